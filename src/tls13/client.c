/* The TLS 1.3 client (RFC 8446 section 2, figure 1, left column). */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/peer.h"
#include "tls12/tls12.h"
#include "tls13/handshake.h"

static int offered_suite(const mutls_config *cfg, uint16_t suite)
{
    for (size_t i = 0; i < cfg->n_suites; i++)
        if (cfg->suites[i] == suite)
            return 1;
    return 0;
}

static int offered_group(const mutls_config *cfg, uint16_t g)
{
    for (size_t i = 0; i < cfg->n_groups; i++)
        if (cfg->groups[i] == g)
            return 1;
    return 0;
}

int mt_tls13_client_start(mutls_conn *c)
{
    int ret;
    if (mt_hs_new(c) != 0)
        return mt_conn_fail(c, MUTLS_ERR_INTERNAL, MT_ALERT_INTERNAL_ERROR, "out of memory");
    if ((ret = mt_send_client_hello(c)) != 0)
        return ret;
    c->state = MT_ST_C_WAIT_SH;
    return 0;
}

/* Checks common to ServerHello and HelloRetryRequest (RFC 8446 4.1.3/4). */
static int check_server_hello(mutls_conn *c, const mt_server_hello *sh)
{
    mt_handshake *hs = c->hs;
    if (c->cfg->max_version < MUTLS_TLS1_3 || sh->ext.selected_version != MUTLS_TLS1_3 ||
        sh->legacy_version != 0x0303)
        return mt_conn_fail(c, MUTLS_ERR_PROTOCOL, MT_ALERT_ILLEGAL_PARAMETER,
                            "server selected version 0x%04x, which was not offered",
                            sh->ext.selected_version);
    if (sh->session_id_len != hs->session_id_len ||
        memcmp(sh->session_id, hs->session_id, hs->session_id_len) != 0)
        return mt_conn_fail(c, MUTLS_ERR_PROTOCOL, MT_ALERT_ILLEGAL_PARAMETER,
                            "server did not echo the legacy_session_id");
    const mt_suite *s = mt_suite_find(sh->suite);
    if (!offered_suite(c->cfg, sh->suite) || s == NULL || s->min_version > MUTLS_TLS1_3 ||
        s->max_version < MUTLS_TLS1_3)
        return mt_conn_fail(c, MUTLS_ERR_PROTOCOL, MT_ALERT_ILLEGAL_PARAMETER,
                            "server chose cipher suite 0x%04x, which was not offered", sh->suite);
    /* RFC 8446 4.1.4: the ServerHello must keep the HRR's suite. */
    if (c->suite != NULL && c->suite != s)
        return mt_conn_fail(c, MUTLS_ERR_PROTOCOL, MT_ALERT_ILLEGAL_PARAMETER,
                            "server changed cipher suite after HelloRetryRequest");
    c->suite = s;
    return 0;
}

static int handle_hello_retry_request(mutls_conn *c, const mt_server_hello *sh, const uint8_t *msg,
                                      size_t len)
{
    mt_handshake *hs = c->hs;
    uint16_t g = sh->ext.hrr_group;
    char detail[160];
    int ret;

    /* RFC 8446 section 4.1.4: one HelloRetryRequest at most. */
    if (c->did_hrr)
        return mt_conn_fail(c, MUTLS_ERR_PROTOCOL, MT_ALERT_UNEXPECTED_MESSAGE,
                            "server sent a second HelloRetryRequest");
    if (!mt_exts_has(&sh->ext, MT_EXT_KEY_SHARE) && !mt_exts_has(&sh->ext, MT_EXT_COOKIE))
        return mt_conn_fail(c, MUTLS_ERR_PROTOCOL, MT_ALERT_ILLEGAL_PARAMETER,
                            "HelloRetryRequest would not change the ClientHello");
    if (mt_exts_has(&sh->ext, MT_EXT_KEY_SHARE)) {
        if (!offered_group(c->cfg, g) || (hs->n_kx > 0 && hs->kx_group[0] == g))
            return mt_conn_fail(c, MUTLS_ERR_PROTOCOL, MT_ALERT_ILLEGAL_PARAMETER,
                                "HelloRetryRequest asks for group 0x%04x, which is not acceptable", g);
        hs->hrr_group = g;
    } else {
        hs->hrr_group = hs->kx_group[0];
    }
    if (mt_exts_has(&sh->ext, MT_EXT_COOKIE)) {
        mt_buf_reset(&hs->cookie);
        if (mt_w_bytes(&hs->cookie, sh->ext.cookie, sh->ext.cookie_len) != 0)
            return mt_conn_fail(c, MUTLS_ERR_INTERNAL, MT_ALERT_INTERNAL_ERROR, "out of memory");
    }
    c->did_hrr = 1;
    if (mt_transcript_replace_with_message_hash(c) != 0 || mt_transcript_add(c, msg, len) != 0)
        return mt_conn_fail(c, MUTLS_ERR_INTERNAL, MT_ALERT_INTERNAL_ERROR, "transcript failure");
    if (mt_exts_has(&sh->ext, MT_EXT_KEY_SHARE))
        snprintf(detail, sizeof(detail), "version=TLSv1.3 suite=%s group=%s%s", c->suite->name,
                 mutls_group_name(hs->hrr_group), hs->cookie.len ? " cookie" : "");
    else
        snprintf(detail, sizeof(detail), "version=TLSv1.3 suite=%s cookie only", c->suite->name);
    mt_trace(c, 0, MT_HS_SERVER_HELLO, "HelloRetryRequest", detail);
    /* Early data does not survive a HelloRetryRequest (RFC 8446 4.2.10);
     * the second ClientHello goes in the clear. */
    if (hs->early_offered) {
        c->early_status = MUTLS_EARLY_DATA_REJECTED;
        hs->early_offered = 0;
        mt_rec_dir_clear(&c->rec.wr);
    }
    /* RFC 8446 D.4: in compatibility mode, CCS before the second flight. */
    if (c->cfg->middlebox_compat && (ret = mt_send_ccs(c)) != 0)
        return ret;
    return mt_send_client_hello(c);
}

static int handle_server_hello(mutls_conn *c, mt_reader *body, const uint8_t *msg, size_t len)
{
    mt_handshake *hs = c->hs;
    mt_server_hello sh;
    uint8_t dhe[MT_MAX_KX_SECRET], th[MT_MAX_HASH];
    size_t dhe_len = sizeof(dhe);
    mt_kx *kx = NULL;
    char detail[160];
    int ret;

    if ((ret = mt_parse_server_hello(c, body, &sh)) != 0)
        return ret;
    /* Without supported_versions the server chose TLS 1.2 or older. */
    if (!sh.is_hrr && !mt_exts_has(&sh.ext, MT_EXT_SUPPORTED_VERSIONS))
        return mt_tls12_client_server_hello(c, &sh, msg, len);
    if ((ret = check_server_hello(c, &sh)) != 0)
        return ret;
    if (sh.is_hrr)
        return handle_hello_retry_request(c, &sh, msg, len);

    /* RFC 8446 4.2.11: the server took our PSK (we offer one). */
    int resumed = mt_exts_has(&sh.ext, MT_EXT_PRE_SHARED_KEY);
    if (resumed) {
        const mt_suite *ps = mt_suite_find(c->resume->st.suite);
        if (sh.ext.psk_selected != 0)
            return mt_conn_fail(c, MUTLS_ERR_PROTOCOL, MT_ALERT_ILLEGAL_PARAMETER,
                                "server selected PSK %u, but only one was offered",
                                sh.ext.psk_selected);
        if (ps == NULL || ps->hash != c->suite->hash)
            return mt_conn_fail(c, MUTLS_ERR_PROTOCOL, MT_ALERT_ILLEGAL_PARAMETER,
                                "server resumed with a cipher suite whose hash differs from the "
                                "session's");
    }
    if (!mt_exts_has(&sh.ext, MT_EXT_KEY_SHARE) && !(resumed && c->cfg->psk_ke))
        return mt_conn_fail(c, MUTLS_ERR_PROTOCOL, MT_ALERT_MISSING_EXTENSION,
                            "ServerHello has no key_share");
    if (mt_exts_has(&sh.ext, MT_EXT_KEY_SHARE)) {
        for (size_t i = 0; i < hs->n_kx; i++)
            if (hs->kx_group[i] == sh.ext.shares[0].group)
                kx = hs->kx[i];
        if (kx == NULL)
            return mt_conn_fail(c, MUTLS_ERR_PROTOCOL, MT_ALERT_ILLEGAL_PARAMETER,
                                "server's key_share is for group 0x%04x, for which no share was sent",
                                sh.ext.shares[0].group);
        c->group = sh.ext.shares[0].group;
    }
    c->version = MUTLS_TLS1_3;
    c->resumed = resumed;
    memcpy(hs->server_random, sh.random, 32);
    snprintf(detail, sizeof(detail), "version=TLSv1.3 suite=%s group=%s%s", c->suite->name,
             kx ? mutls_group_name(c->group) : "- (psk_ke)", resumed ? " resumed (PSK)" : "");
    mt_trace(c, 0, MT_HS_SERVER_HELLO, "ServerHello", detail);

    if (kx != NULL) {
        if (mt_kx_derive(kx, sh.ext.shares[0].pub, sh.ext.shares[0].len, dhe, &dhe_len) != 0)
            return mt_conn_fail(c, MUTLS_ERR_PROTOCOL, MT_ALERT_ILLEGAL_PARAMETER,
                                "server's %s key share is invalid", mutls_group_name(c->group));
    } else {
        memset(dhe, 0, sizeof(dhe)); /* psk_ke: no (EC)DHE input */
        dhe_len = mt_hash_size(c->suite->hash);
    }
    if (!resumed) {
        /* A full handshake: the early secret without a PSK (the one the
         * binder used, if any, is dropped). */
        mt_ks_init(&hs->ks, c->cfg->cx, c->suite->hash);
        if (mt_ks_early(&hs->ks, NULL, 0) != 0)
            return mt_conn_fail(c, MUTLS_ERR_INTERNAL, MT_ALERT_INTERNAL_ERROR,
                                "key derivation failed");
    }
    ret = -1;
    if (mt_transcript_start_hash(c, c->suite->hash) == 0 && mt_transcript_add(c, msg, len) == 0 &&
        mt_transcript_hash(c, th) == 0 && mt_ks_handshake(&hs->ks, dhe, dhe_len) == 0 &&
        mt_ks_derive(&hs->ks, "c hs traffic", th, hs->c_hs_secret) == 0 &&
        mt_ks_derive(&hs->ks, "s hs traffic", th, hs->s_hs_secret) == 0)
        ret = 0;
    mt_wipe(dhe, sizeof(dhe));
    if (ret != 0)
        return mt_conn_fail(c, MUTLS_ERR_INTERNAL, MT_ALERT_INTERNAL_ERROR,
                            "handshake key derivation failed");
    mt_keylog(c, "CLIENT_HANDSHAKE_TRAFFIC_SECRET", hs->c_hs_secret);
    mt_keylog(c, "SERVER_HANDSHAKE_TRAFFIC_SECRET", hs->s_hs_secret);
    if ((ret = mt_install_secret(c, 0, hs->s_hs_secret)) != 0)
        return ret;
    /* With early data in flight our write key stays the early one until
     * EncryptedExtensions says whether the server takes it. */
    if (!hs->early_offered && (ret = mt_install_secret(c, 1, hs->c_hs_secret)) != 0)
        return ret;
    if (hs->early_offered && !resumed) {
        c->early_status = MUTLS_EARLY_DATA_REJECTED;
        hs->early_offered = 0;
        if ((ret = mt_install_secret(c, 1, hs->c_hs_secret)) != 0)
            return ret;
    }
    if (resumed && mt_restore_peer(c, &c->resume->st) != 0)
        return mt_conn_fail(c, MUTLS_ERR_INTERNAL, MT_ALERT_INTERNAL_ERROR,
                            "the session's server certificate chain could not be restored "
                            "(out of memory, or a corrupted session)");
    c->state = MT_ST_C_WAIT_EE;
    return 0;
}

static int handle_encrypted_extensions(mutls_conn *c, mt_reader *body, const uint8_t *msg,
                                       size_t len)
{
    mt_exts x;
    char detail[320];
    int ret;

    if ((ret = mt_parse_encrypted_extensions(c, body, &x)) != 0)
        return ret;
    if (mt_exts_has(&x, MT_EXT_ALPN)) {
        /* RFC 7301 section 3.2: the choice must be one we offered. */
        mt_reader names = mt_reader_init(c->cfg->alpn, c->cfg->alpn_len), one;
        int found = 0;
        while (mt_r_left(&names) > 0 && mt_r_vec(&names, 1, 1, 255, &one) == 0)
            if (one.len + 1 == x.alpn_len && memcmp(one.p, x.alpn + 1, one.len) == 0)
                found = 1;
        if (!found)
            return mt_conn_fail(c, MUTLS_ERR_PROTOCOL, MT_ALERT_ILLEGAL_PARAMETER,
                                "server chose an ALPN protocol that was not offered");
        c->alpn = strndup((const char *)x.alpn + 1, x.alpn_len - 1);
        if (c->alpn == NULL)
            return mt_conn_fail(c, MUTLS_ERR_INTERNAL, MT_ALERT_INTERNAL_ERROR, "out of memory");
    }
    if (mt_exts_has(&x, MT_EXT_RECORD_SIZE_LIMIT)) {
        /* RFC 8449 section 4: in TLS 1.3 the limit counts the content
         * type byte; our limit applies now that the server knows it. */
        size_t lim = (size_t)x.record_size_limit - 1;
        c->rec.send_plaintext_max = lim < MT_MAX_PLAINTEXT ? lim : MT_MAX_PLAINTEXT;
        if (c->cfg->record_size_limit)
            c->rec.recv_inner_max = c->cfg->record_size_limit;
    }
    if (mt_transcript_add(c, msg, len) != 0)
        return mt_conn_fail(c, MUTLS_ERR_INTERNAL, MT_ALERT_INTERNAL_ERROR, "transcript failure");
    if (c->hs->early_offered) {
        int ok = mt_exts_has(&x, MT_EXT_EARLY_DATA);
        c->early_status = ok ? MUTLS_EARLY_DATA_ACCEPTED : MUTLS_EARLY_DATA_REJECTED;
        if (!ok) { /* the server skips it; on with the handshake key */
            c->hs->early_offered = 0;
            int ret2 = mt_install_secret(c, 1, c->hs->c_hs_secret);
            if (ret2 != 0)
                return ret2;
        }
    }
    snprintf(detail, sizeof(detail), "alpn=%s%s%s", c->alpn ? c->alpn : "-",
             mt_exts_has(&x, MT_EXT_RECORD_SIZE_LIMIT) ? " record_size_limit" : "",
             c->early_status == MUTLS_EARLY_DATA_ACCEPTED   ? " early_data=accepted"
             : c->early_status == MUTLS_EARLY_DATA_REJECTED ? " early_data=rejected"
                                                            : "");
    mt_trace(c, 0, MT_HS_ENCRYPTED_EXTENSIONS, "EncryptedExtensions", detail);
    /* A resumed session skips the server's certificate (RFC 8446 2.2). */
    c->state = c->resumed ? MT_ST_C_WAIT_FINISHED : MT_ST_C_WAIT_CERT_CR;
    return 0;
}

static int handle_certificate_request(mutls_conn *c, mt_reader *body, const uint8_t *msg,
                                      size_t len)
{
    mt_exts x;
    int ret;
    if ((ret = mt_parse_certificate_request(c, body, &x)) != 0)
        return ret;
    /* RFC 8446 section 4.3.2: empty context during the handshake. */
    if (c->hs->cr_context_len != 0)
        return mt_conn_fail(c, MUTLS_ERR_PROTOCOL, MT_ALERT_ILLEGAL_PARAMETER,
                            "CertificateRequest in the handshake has a non-empty context");
    if (mt_transcript_add(c, msg, len) != 0)
        return mt_conn_fail(c, MUTLS_ERR_INTERNAL, MT_ALERT_INTERNAL_ERROR, "transcript failure");
    c->state = MT_ST_C_WAIT_CERT;
    return 0;
}

int mt_client_check_server_chain(mutls_conn *c, const mt_certificate_msg *m)
{
    char detail[700];
    int ret = mt_accept_peer_chain(c, m->der, m->der_len, m->n, &c->hs->peer_leaf);
    if (ret != 0)
        return ret;
    snprintf(detail, sizeof(detail), "%zu certificate(s), subject %s, issuer %s%s", m->n,
             mutls_peer_subject(c->peer), mutls_peer_issuer(c->peer),
             mutls_peer_verified(c->peer) ? ", verified" : ", NOT verified (verification disabled)");
    mt_trace(c, 0, MT_HS_CERTIFICATE, "Certificate", detail);
    return 0;
}

static int handle_certificate(mutls_conn *c, mt_reader *body, const uint8_t *msg, size_t len)
{
    mt_certificate_msg m;
    int ret;

    if ((ret = mt_parse_certificate(c, body, &m)) != 0)
        return ret;
    if (m.context_len != 0)
        return mt_conn_fail(c, MUTLS_ERR_PROTOCOL, MT_ALERT_ILLEGAL_PARAMETER,
                            "server Certificate has a non-empty request context");
    /* RFC 8446 section 4.4.2.4: an empty server Certificate is decode_error. */
    if (m.n == 0)
        return mt_conn_fail(c, MUTLS_ERR_PROTOCOL, MT_ALERT_DECODE_ERROR,
                            "server sent an empty Certificate message");
    if ((ret = mt_client_check_server_chain(c, &m)) != 0)
        return ret;
    if (mt_transcript_add(c, msg, len) != 0)
        return mt_conn_fail(c, MUTLS_ERR_INTERNAL, MT_ALERT_INTERNAL_ERROR, "transcript failure");
    c->state = MT_ST_C_WAIT_CV;
    return 0;
}

static int handle_certificate_verify(mutls_conn *c, mt_reader *body, const uint8_t *msg,
                                     size_t len)
{
    mt_pkey *key = mt_x509_public_key(c->hs->peer_leaf);
    char detail[96];
    int ret;

    if (key == NULL)
        return mt_conn_fail(c, MUTLS_ERR_VERIFY, MT_ALERT_UNSUPPORTED_CERTIFICATE,
                            "server certificate has an unsupported public key");
    ret = mt_check_certificate_verify(c, body, key, c->cfg->sigs, c->cfg->n_sigs);
    mt_pkey_free(key);
    if (ret != 0)
        return ret;
    if (mt_transcript_add(c, msg, len) != 0)
        return mt_conn_fail(c, MUTLS_ERR_INTERNAL, MT_ALERT_INTERNAL_ERROR, "transcript failure");
    snprintf(detail, sizeof(detail), "scheme=%s, signature valid", mutls_sig_scheme_name(c->sig_scheme));
    mt_trace(c, 0, MT_HS_CERTIFICATE_VERIFY, "CertificateVerify", detail);
    c->state = MT_ST_C_WAIT_FINISHED;
    return 0;
}

static int handle_finished(mutls_conn *c, mt_reader *body, const uint8_t *msg, size_t len)
{
    mt_handshake *hs = c->hs;
    int ret;

    if ((ret = mt_check_finished(c, body, hs->s_hs_secret)) != 0)
        return ret;
    if (mt_transcript_add(c, msg, len) != 0)
        return mt_conn_fail(c, MUTLS_ERR_INTERNAL, MT_ALERT_INTERNAL_ERROR, "transcript failure");
    mt_trace(c, 0, MT_HS_FINISHED, "Finished", "verify_data valid");
    if ((ret = mt_derive_application_secrets(c)) != 0 ||
        (ret = mt_install_secret(c, 0, c->s_ap_secret)) != 0)
        return ret;
    if (c->cfg->middlebox_compat && (ret = mt_send_ccs(c)) != 0)
        return ret;
    /* RFC 8446 4.5: accepted early data ends with EndOfEarlyData, the
     * last message under the early key. */
    if (hs->early_offered && c->early_status == MUTLS_EARLY_DATA_ACCEPTED) {
        size_t len_off = mt_msg_begin(c, MT_HS_END_OF_EARLY_DATA);
        if ((ret = mt_msg_send(c, len_off, "early data accepted by the server")) != 0 ||
            (ret = mt_install_secret(c, 1, hs->c_hs_secret)) != 0)
            return ret;
    }
    if ((ret = mt_send_client_auth(c, hs->c_hs_secret)) != 0 ||
        (ret = mt_install_secret(c, 1, c->c_ap_secret)) != 0)
        return ret;
    /* The resumption secret covers our Finished (RFC 8446 7.1). */
    uint8_t th[MT_MAX_HASH];
    if (mt_transcript_hash(c, th) != 0 || mt_ks_derive(&hs->ks, "res master", th, c->res_master) != 0)
        return mt_conn_fail(c, MUTLS_ERR_INTERNAL, MT_ALERT_INTERNAL_ERROR,
                            "resumption key derivation failed");
    /* Post-handshake authentication continues this transcript. */
    if (c->pha_offered && (c->pha_base = mt_hash_dup(hs->transcript)) == NULL)
        return mt_conn_fail(c, MUTLS_ERR_INTERNAL, MT_ALERT_INTERNAL_ERROR, "out of memory");
    c->state = MT_ST_CONNECTED;
    mt_hs_free(c);
    return 0;
}

int mt_send_client_auth(mutls_conn *c, const uint8_t *base_key)
{
    mt_handshake *hs = c->hs;
    int ret;
    if (hs->cert_requested) {
        if ((ret = mt_send_certificate(c, hs->chain)) != 0)
            return ret;
        if (hs->chain != NULL &&
            (ret = mt_send_certificate_verify(c, hs->chain->key, hs->client_sig)) != 0)
            return ret;
    }
    return mt_send_finished(c, base_key);
}

/* RFC 8446 section 4.6.2: a CertificateRequest after the handshake, which
 * we invited with post_handshake_auth. Answered at once, on a transcript
 * that continues the handshake's. */
static int handle_post_handshake_request(mutls_conn *c, mt_reader *body, const uint8_t *msg,
                                         size_t len)
{
    mt_exts x;
    int ret;
    if (!c->pha_offered || c->pha_base == NULL)
        return mt_conn_fail(c, MUTLS_ERR_PROTOCOL, MT_ALERT_UNEXPECTED_MESSAGE,
                            "post-handshake CertificateRequest, which this client did not offer");
    if (mt_hs_new(c) != 0 || (c->hs->transcript = mt_hash_dup(c->pha_base)) == NULL)
        return mt_conn_fail(c, MUTLS_ERR_INTERNAL, MT_ALERT_INTERNAL_ERROR, "out of memory");
    if ((ret = mt_parse_certificate_request(c, body, &x)) != 0)
        return ret;
    if (mt_transcript_add(c, msg, len) != 0)
        return mt_conn_fail(c, MUTLS_ERR_INTERNAL, MT_ALERT_INTERNAL_ERROR, "transcript failure");
    if ((ret = mt_send_client_auth(c, c->c_ap_secret)) != 0)
        return ret;
    mt_hs_free(c);
    return 0;
}

const mt_transition mt_tls13_client_table[] = {
    {MT_ST_C_WAIT_SH, MT_HS_SERVER_HELLO, handle_server_hello},
    {MT_ST_C_WAIT_EE, MT_HS_ENCRYPTED_EXTENSIONS, handle_encrypted_extensions},
    {MT_ST_C_WAIT_CERT_CR, MT_HS_CERTIFICATE_REQUEST, handle_certificate_request},
    {MT_ST_C_WAIT_CERT_CR, MT_HS_CERTIFICATE, handle_certificate},
    {MT_ST_C_WAIT_CERT, MT_HS_CERTIFICATE, handle_certificate},
    {MT_ST_C_WAIT_CV, MT_HS_CERTIFICATE_VERIFY, handle_certificate_verify},
    {MT_ST_C_WAIT_FINISHED, MT_HS_FINISHED, handle_finished},
    {MT_ST_CONNECTED, MT_HS_NEW_SESSION_TICKET, mt_handle_new_session_ticket},
    {MT_ST_CONNECTED, MT_HS_KEY_UPDATE, mt_handle_key_update},
    {MT_ST_CONNECTED, MT_HS_CERTIFICATE_REQUEST, handle_post_handshake_request},
};
const size_t mt_tls13_client_table_count =
    sizeof(mt_tls13_client_table) / sizeof(mt_tls13_client_table[0]);
