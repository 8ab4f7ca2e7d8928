/* Server side of TLS 1.3 client authentication: the client's Certificate
 * and CertificateVerify during the handshake (RFC 8446 4.4.2, 4.4.3) and
 * after it (post-handshake authentication, 4.6.2). */
#include <stdio.h>
#include <string.h>

#include "core/peer.h"
#include "tls13/handshake.h"

/* Returns 0 and sets *presented; the transcript includes the message. */
static int take_client_certificate(mutls_conn *c, mt_reader *body, const uint8_t *msg,
                                   size_t len, int *presented)
{
    mt_handshake *hs = c->hs;
    mt_certificate_msg m;
    int ret;

    if ((ret = mt_parse_certificate(c, body, &m)) != 0)
        return ret;
    /* RFC 8446 section 4.4.2: the context echoes the request's. */
    if (m.context_len != hs->cr_context_len ||
        memcmp(m.context, hs->cr_context, m.context_len) != 0)
        return mt_conn_fail(c, MUTLS_ERR_PROTOCOL, MT_ALERT_ILLEGAL_PARAMETER,
                            "client Certificate does not echo the request's context");
    *presented = m.n > 0;
    if ((ret = mt_server_take_client_chain(c, m.der, m.der_len, m.n)) != 0)
        return ret;
    if (mt_transcript_add(c, msg, len) != 0)
        return mt_conn_fail(c, MUTLS_ERR_INTERNAL, MT_ALERT_INTERNAL_ERROR, "transcript failure");
    return 0;
}

static int take_client_certificate_verify(mutls_conn *c, mt_reader *body, const uint8_t *msg,
                                          size_t len)
{
    mt_pkey *key = mt_x509_public_key(c->hs->peer_leaf);
    uint16_t server_sig = c->sig_scheme; /* keep reporting the server's */
    char detail[160];
    int ret;

    if (key == NULL)
        return mt_conn_fail(c, MUTLS_ERR_VERIFY, MT_ALERT_UNSUPPORTED_CERTIFICATE,
                            "client certificate has an unsupported public key");
    ret = mt_check_certificate_verify(c, body, key, c->cfg->sigs, c->cfg->n_sigs);
    mt_pkey_free(key);
    snprintf(detail, sizeof(detail), "scheme=%s, signature valid", mutls_sig_scheme_name(c->sig_scheme));
    c->sig_scheme = server_sig;
    if (ret != 0) {
        /* The chain verified but its key did not sign: not verified. */
        mt_peer_set_verified(c->peer, 0, c->err.msg);
        return ret;
    }
    mt_trace(c, 0, MT_HS_CERTIFICATE_VERIFY, "CertificateVerify", detail);
    if (mt_transcript_add(c, msg, len) != 0)
        return mt_conn_fail(c, MUTLS_ERR_INTERNAL, MT_ALERT_INTERNAL_ERROR, "transcript failure");
    return 0;
}

int mt_server_handle_client_certificate(mutls_conn *c, mt_reader *body, const uint8_t *msg,
                                        size_t len)
{
    int presented = 0, ret;
    if ((ret = take_client_certificate(c, body, msg, len, &presented)) != 0)
        return ret;
    c->state = presented ? MT_ST_S_WAIT_CV : MT_ST_S_WAIT_FINISHED;
    return 0;
}

int mt_server_handle_client_certificate_verify(mutls_conn *c, mt_reader *body,
                                               const uint8_t *msg, size_t len)
{
    int ret;
    if ((ret = take_client_certificate_verify(c, body, msg, len)) != 0)
        return ret;
    c->state = MT_ST_S_WAIT_FINISHED;
    return 0;
}

/* ---- post-handshake ---------------------------------------------------- */

int mutls_conn_request_client_auth(mutls_conn *c)
{
    int ret;
    if (c == NULL)
        return MUTLS_ERR_INVALID_ARGUMENT;
    if (c->err.code != MUTLS_OK)
        return c->err.code;
    if (c->role != MUTLS_SERVER || c->state != MT_ST_CONNECTED || c->version != MUTLS_TLS1_3 ||
        !c->pha_offered || c->pha_base == NULL || c->cfg->client_trust == NULL ||
        c->pha_stage != 0 || c->close_sent)
        return MUTLS_ERR_INVALID_ARGUMENT;
    if (mt_hs_new(c) != 0 || (c->hs->transcript = mt_hash_dup(c->pha_base)) == NULL) {
        mt_hs_free(c);
        return MUTLS_ERR_INTERNAL;
    }
    /* A fresh context ties the answer to this request (RFC 8446 4.3.2). */
    c->hs->cr_context_len = 16;
    if (mt_random(&c->cfg->rng, c->hs->cr_context, 16) != 0 ||
        (ret = mt_send_certificate_request(c)) != 0) {
        mt_hs_free(c);
        return MUTLS_ERR_INTERNAL;
    }
    c->pha_stage = 1;
    return 0;
}

int mt_server_pha_certificate(mutls_conn *c, mt_reader *body, const uint8_t *msg, size_t len)
{
    int presented = 0, ret;
    if (c->pha_stage != 1 || c->hs == NULL)
        return mt_conn_fail(c, MUTLS_ERR_PROTOCOL, MT_ALERT_UNEXPECTED_MESSAGE,
                            "client Certificate that was not requested");
    if ((ret = take_client_certificate(c, body, msg, len, &presented)) != 0)
        return ret;
    c->pha_stage = presented ? 2 : 3;
    return 0;
}

int mt_server_pha_certificate_verify(mutls_conn *c, mt_reader *body, const uint8_t *msg, size_t len)
{
    int ret;
    if (c->pha_stage != 2 || c->hs == NULL)
        return mt_conn_fail(c, MUTLS_ERR_PROTOCOL, MT_ALERT_UNEXPECTED_MESSAGE,
                            "unexpected client CertificateVerify");
    if ((ret = take_client_certificate_verify(c, body, msg, len)) != 0)
        return ret;
    c->pha_stage = 3;
    return 0;
}

int mt_server_pha_finished(mutls_conn *c, mt_reader *body, const uint8_t *msg, size_t len)
{
    int ret;
    (void)msg;
    (void)len;
    if (c->pha_stage != 3 || c->hs == NULL)
        return mt_conn_fail(c, MUTLS_ERR_PROTOCOL, MT_ALERT_UNEXPECTED_MESSAGE,
                            "unexpected client Finished");
    /* RFC 8446 section 4.4: keyed by client_application_traffic_secret_N. */
    if ((ret = mt_check_finished(c, body, c->c_ap_secret)) != 0)
        return ret;
    mt_trace(c, 0, MT_HS_FINISHED, "Finished", "post-handshake authentication complete");
    c->pha_stage = 0;
    mt_hs_free(c);
    return 0;
}


int mutls_conn_client_auth_pending(const mutls_conn *c)
{
    return c != NULL && c->pha_stage != 0;
}
