/* The TLS 1.2 server (RFC 5246 section 7.3), entered from the
 * version-neutral ClientHello handling once TLS 1.2 is chosen. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/peer.h"
#include "tls12/tls12.h"

#define TLS_FALLBACK_SCSV 0x5600             /* RFC 7507 */
#define TLS_EMPTY_RENEGOTIATION_INFO_SCSV 0x00ff /* RFC 5746 */

static int list_has(const uint16_t *l, size_t n, uint16_t v)
{
    for (size_t i = 0; i < n; i++)
        if (l[i] == v)
            return 1;
    return 0;
}

/* The group for ECDHE: ours first among the client's. Without
 * supported_groups (RFC 8422 section 4) secp256r1 is assumed. */
static uint16_t choose_group(const mutls_config *cfg, const mt_client_hello *ch)
{
    for (size_t i = 0; i < cfg->n_groups; i++)
        if (mt_exts_has(&ch->ext, MT_EXT_SUPPORTED_GROUPS)
                ? list_has(ch->ext.groups, ch->ext.n_groups, cfg->groups[i])
                : cfg->groups[i] == MT_GROUP_SECP256R1)
            return cfg->groups[i];
    return 0;
}

/* A chain (SNI-matching ones first) whose key fits the suite and, for
 * ECDHE, a signature scheme the client accepts. */
static const mt_cert_chain *choose_chain(mutls_conn *c, const mt_client_hello *ch,
                                         const mt_suite *s, const mt_sig_scheme **scheme)
{
    const mutls_config *cfg = c->cfg;
    int any_named = 0;
    if (c->sni != NULL)
        for (size_t i = 0; i < cfg->n_chains; i++)
            any_named |= mt_cert_chain_matches_name(cfg->chains[i], c->sni);
    for (size_t i = 0; i < cfg->n_chains; i++) {
        const mt_cert_chain *chain = cfg->chains[i];
        if ((any_named && !mt_cert_chain_matches_name(chain, c->sni)) ||
            !mt_tls12_key_fits_suite(chain->key, s) ||
            !mt_tls12_cert_usage_fits_suite(chain->leaf, s))
            continue;
        if (s->kx == MT_KX_RSA) {
            *scheme = NULL;
            return chain;
        }
        for (size_t j = 0; j < cfg->n_sigs; j++) {
            const mt_sig_scheme *sig = mt_sig_scheme_find(cfg->sigs[j]);
            if (list_has(ch->ext.sigs, ch->ext.n_sigs, cfg->sigs[j]) &&
                mt_tls12_scheme_ok(sig, chain->key, s)) {
                *scheme = sig;
                return chain;
            }
        }
    }
    return NULL;
}

static int negotiate(mutls_conn *c, const mt_client_hello *ch)
{
    const mutls_config *cfg = c->cfg;
    mt_handshake *hs = c->hs;

    for (size_t i = 0; i < cfg->n_suites; i++) {
        const mt_suite *s = mt_suite_find(cfg->suites[i]);
        const mt_sig_scheme *scheme = NULL;
        const mt_cert_chain *chain;
        uint16_t group = 0;
        if (s == NULL || s->max_version != MUTLS_TLS1_2 || !mt_client_hello_offers(ch, s->code))
            continue;
        if (s->kx == MT_KX_ECDHE && (group = choose_group(cfg, ch)) == 0)
            continue;
        if ((chain = choose_chain(c, ch, s, &scheme)) == NULL)
            continue;
        c->suite = s;
        hs->chain = chain;
        hs->ske_sig = scheme;
        hs->group12 = group;
        if (scheme)
            c->sig_scheme = scheme->code;
        return 0;
    }
    return mt_conn_fail(c, MUTLS_ERR_NEGOTIATION, MT_ALERT_HANDSHAKE_FAILURE,
                        "no TLS 1.2 cipher suite in common that a server certificate and the "
                        "client's signature algorithms and groups allow (RSA key exchange also "
                        "needs a certificate whose key usage allows keyEncipherment)");
}

static int resume(mutls_conn *c, const mt_client_hello *ch, mt_session_state *st,
                  const uint8_t *msg, size_t len);

int mt_tls12_server_client_hello(mutls_conn *c, const mt_client_hello *ch, const uint8_t *msg,
                                 size_t len)
{
    mt_handshake *hs = c->hs;
    int ret;

    /* RFC 7507: a client that fell back below our highest version
     * although we support more is being downgraded. */
    if (mt_client_hello_offers(ch, TLS_FALLBACK_SCSV) && c->cfg->max_version > MUTLS_TLS1_2)
        return mt_conn_fail(c, MUTLS_ERR_NEGOTIATION, MT_ALERT_INAPPROPRIATE_FALLBACK,
                            "client signalled a fallback (TLS_FALLBACK_SCSV) to TLS 1.2, but this "
                            "server supports TLS 1.3: refusing a possible downgrade attack");
    if (!ch->null_compression)
        return mt_conn_fail(c, MUTLS_ERR_PROTOCOL, MT_ALERT_ILLEGAL_PARAMETER,
                            "client does not offer null compression");
    /* RFC 8422 section 5.1.2. */
    if (mt_exts_has(&ch->ext, MT_EXT_EC_POINT_FORMATS) && !ch->ext.point_uncompressed)
        return mt_conn_fail(c, MUTLS_ERR_PROTOCOL, MT_ALERT_ILLEGAL_PARAMETER,
                            "client's ec_point_formats lacks the uncompressed format");
    if ((ret = mt_server_choose_alpn(c, ch)) != 0)
        return ret;
    mt_session_state st;
    if (mt_tls12_server_try_resume(c, ch, &st))
        return resume(c, ch, &st, msg, len);
    if ((ret = negotiate(c, ch)) != 0)
        return ret;
    c->version = MUTLS_TLS1_2;
    hs->client_version = ch->legacy_version;
    c->ems = mt_exts_has(&ch->ext, MT_EXT_EXTENDED_MASTER_SECRET);
    c->etm = mt_exts_has(&ch->ext, MT_EXT_ENCRYPT_THEN_MAC) && c->suite->cipher == MT_CIPHER_CBC;
    if (mt_exts_has(&ch->ext, MT_EXT_RECORD_SIZE_LIMIT)) {
        size_t lim = ch->ext.record_size_limit;
        c->rec.send_plaintext_max = lim < MT_MAX_PLAINTEXT ? lim : MT_MAX_PLAINTEXT;
    }
    /* The client's CertificateVerify signs the messages themselves. */
    hs->keep_raw = c->cfg->verify != MUTLS_VERIFY_NONE;
    /* A way back: a session ID for the cache, a ticket when asked for;
     * only for sessions with the extended master secret (RFC 7627). */
    if (c->ems && c->cfg->session_cache != NULL) {
        if (mt_random(&c->cfg->rng, hs->session_id12, 32) != 0)
            return mt_conn_fail(c, MUTLS_ERR_INTERNAL, MT_ALERT_INTERNAL_ERROR, "no randomness");
        hs->session_id12_len = 32;
    }
    hs->ticket12_wanted = c->ems && c->cfg->tickets > 0 && c->cfg->ticket_keys != NULL &&
                          mt_exts_has(&ch->ext, MT_EXT_SESSION_TICKET);
    if (mt_transcript_start_hash(c, c->suite->hash) != 0 || mt_transcript_add(c, msg, len) != 0)
        return mt_conn_fail(c, MUTLS_ERR_INTERNAL, MT_ALERT_INTERNAL_ERROR, "transcript failure");
    if ((ret = mt_tls12_send_server_hello(c, ch)) != 0 ||
        (ret = mt_tls12_send_certificate(c, hs->chain)) != 0)
        return ret;
    if (c->suite->kx == MT_KX_ECDHE && (ret = mt_tls12_send_server_key_exchange(c)) != 0)
        return ret;
    if (c->cfg->verify != MUTLS_VERIFY_NONE && (ret = mt_tls12_send_certificate_request(c)) != 0)
        return ret;
    if ((ret = mt_tls12_send_server_hello_done(c)) != 0)
        return ret;
    c->state = hs->cert_requested ? MT_ST_S12_WAIT_CERT : MT_ST_S12_WAIT_CKE;
    return 0;
}

static int handle_client_certificate(mutls_conn *c, mt_reader *body, const uint8_t *msg,
                                     size_t len)
{
    mt_certificate_msg m;
    int ret;

    if ((ret = mt_tls12_parse_certificate(c, body, &m)) != 0)
        return ret;
    if ((ret = mt_server_take_client_chain(c, m.der, m.der_len, m.n)) != 0)
        return ret;
    if (mt_transcript_add(c, msg, len) != 0)
        return mt_conn_fail(c, MUTLS_ERR_INTERNAL, MT_ALERT_INTERNAL_ERROR, "transcript failure");
    c->state = MT_ST_S12_WAIT_CKE;
    return 0;
}

static int handle_client_certificate_verify(mutls_conn *c, mt_reader *body, const uint8_t *msg,
                                            size_t len)
{
    int ret;
    if ((ret = mt_tls12_check_certificate_verify(c, body)) != 0)
        return ret;
    if (mt_transcript_add(c, msg, len) != 0)
        return mt_conn_fail(c, MUTLS_ERR_INTERNAL, MT_ALERT_INTERNAL_ERROR, "transcript failure");
    c->state = MT_ST_S12_WAIT_CCS;
    return 0;
}

static int handle_client_key_exchange(mutls_conn *c, mt_reader *body, const uint8_t *msg,
                                      size_t len)
{
    uint8_t pms[MT_MAX_KX_SECRET > 48 ? MT_MAX_KX_SECRET : 48];
    size_t pms_len = sizeof(pms);
    int ret;

    if ((ret = mt_tls12_parse_client_key_exchange(c, body, pms, &pms_len)) == 0) {
        ret = mt_transcript_add(c, msg, len) == 0
                  ? mt_tls12_derive_keys(c, pms, pms_len)
                  : mt_conn_fail(c, MUTLS_ERR_INTERNAL, MT_ALERT_INTERNAL_ERROR,
                                 "transcript failure");
    }
    mt_wipe(pms, sizeof(pms));
    /* A client that sent a certificate proves it holds the key next. */
    if (ret == 0)
        c->state = c->hs->peer_leaf != NULL ? MT_ST_S12_WAIT_CV : MT_ST_S12_WAIT_CCS;
    return ret;
}

static int handle_finished(mutls_conn *c, mt_reader *body, const uint8_t *msg, size_t len)
{
    int ret;
    if ((ret = mt_tls12_check_finished(c, body)) != 0)
        return ret;
    mt_trace(c, 0, MT_HS_FINISHED, "Finished", "verify_data valid");
    if (mt_transcript_add(c, msg, len) != 0)
        return mt_conn_fail(c, MUTLS_ERR_INTERNAL, MT_ALERT_INTERNAL_ERROR, "transcript failure");
    /* RFC 5077 3.3: the ticket goes before our ChangeCipherSpec. */
    if (c->hs->ticket12_wanted && (ret = mt_tls12_send_new_session_ticket(c)) != 0)
        return ret;
    if ((ret = mt_tls12_send_ccs(c)) != 0 || (ret = mt_tls12_send_finished(c)) != 0)
        return ret;
    mt_tls12_server_remember_session(c);
    c->state = MT_ST_CONNECTED;
    mt_hs_free(c);
    return 0;
}

/* The abbreviated handshake (RFC 5246 7.3, figure 2): ServerHello with the
 * session's ID, [NewSessionTicket], ChangeCipherSpec, Finished; then the
 * client's ChangeCipherSpec and Finished. */
static int resume(mutls_conn *c, const mt_client_hello *ch, mt_session_state *st,
                  const uint8_t *msg, size_t len)
{
    mt_handshake *hs = c->hs;
    int ret;

    c->suite = mt_suite_find(st->suite);
    c->version = MUTLS_TLS1_2;
    c->ems = 1;
    c->etm = mt_exts_has(&ch->ext, MT_EXT_ENCRYPT_THEN_MAC) && c->suite->cipher == MT_CIPHER_CBC;
    c->resumed = 1;
    hs->resume12 = 1;
    hs->client_version = ch->legacy_version;
    memcpy(hs->master, st->secret, 48);
    /* RFC 5077 3.4: echo the client's session ID to say "resumed". */
    memcpy(hs->session_id12, ch->session_id, ch->session_id_len);
    hs->session_id12_len = ch->session_id_len;
    hs->ticket12_wanted = c->cfg->tickets > 0 && c->cfg->ticket_keys != NULL &&
                          mt_exts_has(&ch->ext, MT_EXT_SESSION_TICKET);
    if (mt_exts_has(&ch->ext, MT_EXT_RECORD_SIZE_LIMIT)) {
        size_t lim = ch->ext.record_size_limit;
        c->rec.send_plaintext_max = lim < MT_MAX_PLAINTEXT ? lim : MT_MAX_PLAINTEXT;
    }
    ret = mt_restore_peer(c, st);
    mt_session_state_clear(st);
    if (ret != 0)
        return mt_conn_fail(c, MUTLS_ERR_INTERNAL, MT_ALERT_INTERNAL_ERROR, "out of memory");
    if (mt_transcript_start_hash(c, c->suite->hash) != 0 || mt_transcript_add(c, msg, len) != 0)
        return mt_conn_fail(c, MUTLS_ERR_INTERNAL, MT_ALERT_INTERNAL_ERROR, "transcript failure");
    if ((ret = mt_tls12_send_server_hello(c, ch)) != 0 || (ret = mt_tls12_key_block(c)) != 0)
        return ret;
    if (hs->ticket12_wanted && (ret = mt_tls12_send_new_session_ticket(c)) != 0)
        return ret;
    if ((ret = mt_tls12_send_ccs(c)) != 0 || (ret = mt_tls12_send_finished(c)) != 0)
        return ret;
    c->state = MT_ST_S12R_WAIT_CCS;
    return 0;
}

static int handle_resumed_finished(mutls_conn *c, mt_reader *body, const uint8_t *msg, size_t len)
{
    int ret;
    (void)msg;
    (void)len;
    if ((ret = mt_tls12_check_finished(c, body)) != 0)
        return ret;
    mt_trace(c, 0, MT_HS_FINISHED, "Finished", "verify_data valid (resumed session)");
    c->state = MT_ST_CONNECTED;
    mt_hs_free(c);
    return 0;
}

const mt_transition mt_tls12_server_table[] = {
    {MT_ST_S12_WAIT_CERT, MT_HS_CERTIFICATE, handle_client_certificate},
    {MT_ST_S12_WAIT_CKE, MT_HS_CLIENT_KEY_EXCHANGE, handle_client_key_exchange},
    {MT_ST_S12_WAIT_CV, MT_HS_CERTIFICATE_VERIFY, handle_client_certificate_verify},
    {MT_ST_S12_WAIT_FINISHED, MT_HS_FINISHED, handle_finished},
    {MT_ST_S12R_WAIT_FINISHED, MT_HS_FINISHED, handle_resumed_finished},
    {MT_ST_CONNECTED, MT_HS_CLIENT_HELLO, mt_tls12_refuse_renegotiation},
};
const size_t mt_tls12_server_table_count =
    sizeof(mt_tls12_server_table) / sizeof(mt_tls12_server_table[0]);
