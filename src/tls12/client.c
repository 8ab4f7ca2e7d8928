/* The TLS 1.2 client (RFC 5246 section 7.3), entered from the
 * version-neutral ServerHello handling. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tls12/tls12.h"

static int offered_suite(const mutls_config *cfg, uint16_t code)
{
    for (size_t i = 0; i < cfg->n_suites; i++)
        if (cfg->suites[i] == code)
            return 1;
    return 0;
}

int mt_tls12_client_server_hello(mutls_conn *c, const mt_server_hello *sh, const uint8_t *msg,
                                 size_t len)
{
    mt_handshake *hs = c->hs;
    const mt_suite *s = mt_suite_find(sh->suite);
    char detail[256];
    int ret;

    /* RFC 8996: nothing below TLS 1.2. */
    if (sh->legacy_version != MUTLS_TLS1_2)
        return mt_conn_fail(c, MUTLS_ERR_NEGOTIATION, MT_ALERT_PROTOCOL_VERSION,
                            "server chose version 0x%04x; TLS 1.2 is the oldest mutls speaks",
                            sh->legacy_version);
    if (c->cfg->min_version > MUTLS_TLS1_2)
        return mt_conn_fail(c, MUTLS_ERR_NEGOTIATION, MT_ALERT_PROTOCOL_VERSION,
                            "server chose TLS 1.2, and this client requires TLS 1.3");
    /* RFC 8446 section 4.1.3: a TLS 1.3 server that negotiated an older
     * version says so; seeing it means someone removed TLS 1.3 from our
     * ClientHello. */
    if (c->cfg->max_version >= MUTLS_TLS1_3 && memcmp(sh->random + 24, mt_downgrade_tls12, 7) == 0 &&
        (sh->random[31] == 0 || sh->random[31] == 1))
        return mt_conn_fail(c, MUTLS_ERR_PROTOCOL, MT_ALERT_ILLEGAL_PARAMETER,
                            "downgrade detected: the server supports TLS 1.3 but received a "
                            "ClientHello without it (an attacker may have altered it)");
    if ((ret = mt_exts_check_allowed(&sh->ext, MT_IN_SH12, &c->err)) != 0)
        return ret;
    if (s != NULL && s->max_version != MUTLS_TLS1_2 && offered_suite(c->cfg, sh->suite))
        return mt_conn_fail(c, MUTLS_ERR_PROTOCOL, MT_ALERT_ILLEGAL_PARAMETER,
                            "server chose %s, a TLS 1.3 cipher suite, in a TLS 1.2 ServerHello",
                            s->name);
    if (s == NULL || s->max_version != MUTLS_TLS1_2 || !offered_suite(c->cfg, sh->suite))
        return mt_conn_fail(c, MUTLS_ERR_PROTOCOL, MT_ALERT_ILLEGAL_PARAMETER,
                            "server chose cipher suite 0x%04x, which was not offered", sh->suite);
    if (mt_exts_has(&sh->ext, MT_EXT_EC_POINT_FORMATS) && !sh->ext.point_uncompressed)
        return mt_conn_fail(c, MUTLS_ERR_PROTOCOL, MT_ALERT_ILLEGAL_PARAMETER,
                            "server does not accept uncompressed points");
    c->suite = s;
    c->version = MUTLS_TLS1_2;
    c->ems = mt_exts_has(&sh->ext, MT_EXT_EXTENDED_MASTER_SECRET);
    /* RFC 7366 section 3: only meaningful for CBC suites. */
    c->etm = mt_exts_has(&sh->ext, MT_EXT_ENCRYPT_THEN_MAC) && s->cipher == MT_CIPHER_CBC;
    if (mt_exts_has(&sh->ext, MT_EXT_ALPN)) {
        mt_reader names = mt_reader_init(c->cfg->alpn, c->cfg->alpn_len), one;
        int found = 0;
        while (mt_r_left(&names) > 0 && mt_r_vec(&names, 1, 1, 255, &one) == 0)
            if (one.len + 1 == sh->ext.alpn_len && memcmp(one.p, sh->ext.alpn + 1, one.len) == 0)
                found = 1;
        if (!found || sh->ext.alpn_len < 2 || sh->ext.alpn[0] + 1u != sh->ext.alpn_len)
            return mt_conn_fail(c, MUTLS_ERR_PROTOCOL, MT_ALERT_ILLEGAL_PARAMETER,
                                "server chose an ALPN protocol that was not offered");
        if ((c->alpn = strndup((const char *)sh->ext.alpn + 1, sh->ext.alpn_len - 1)) == NULL)
            return mt_conn_fail(c, MUTLS_ERR_INTERNAL, MT_ALERT_INTERNAL_ERROR, "out of memory");
    }
    if (mt_exts_has(&sh->ext, MT_EXT_RECORD_SIZE_LIMIT)) {
        size_t lim = sh->ext.record_size_limit, own = c->cfg->record_size_limit;
        c->rec.send_plaintext_max = lim < MT_MAX_PLAINTEXT ? lim : MT_MAX_PLAINTEXT;
        /* RFC 8449 section 4: ours (sent, so acknowledged here) applies to
         * the server's records; in TLS 1.2 it counts plaintext only. */
        if (own != 0)
            c->rec.recv_inner_max = (own < MT_MAX_PLAINTEXT ? own : MT_MAX_PLAINTEXT) + 1;
    }
    memcpy(hs->server_random, sh->random, 32);
    hs->ticket12_wanted = mt_exts_has(&sh->ext, MT_EXT_SESSION_TICKET);
    /* The server resumes by echoing the session ID we offered (RFC 5246
     * 7.4.1.3; RFC 5077 3.4 for tickets). */
    const mutls_session *rs = c->resume;
    int resumed = rs != NULL && rs->st.version == MUTLS_TLS1_2 && hs->session_id12_len > 0 &&
                  sh->session_id_len == hs->session_id12_len &&
                  memcmp(sh->session_id, hs->session_id12, hs->session_id12_len) == 0;
    if (resumed) {
        if (sh->suite != rs->st.suite)
            return mt_conn_fail(c, MUTLS_ERR_PROTOCOL, MT_ALERT_ILLEGAL_PARAMETER,
                                "server resumed the session with another cipher suite");
        /* RFC 7627 5.3: a session with the extended master secret is
         * resumed with it, or not at all. */
        if (rs->st.ems && !c->ems)
            return mt_conn_fail(c, MUTLS_ERR_PROTOCOL, MT_ALERT_HANDSHAKE_FAILURE,
                                "server resumed without the extended master secret");
        memcpy(hs->master, rs->st.secret, 48);
        /* Keep the way back unless the server sends a new ticket. */
        if (mt_w_bytes(&hs->ticket12, rs->ticket, rs->ticket_len) != 0)
            return mt_conn_fail(c, MUTLS_ERR_INTERNAL, MT_ALERT_INTERNAL_ERROR, "out of memory");
        if (mt_restore_peer(c, &rs->st) != 0)
            return mt_conn_fail(c, MUTLS_ERR_INTERNAL, MT_ALERT_INTERNAL_ERROR,
                                "the session's server certificate chain could not be restored "
                                "(out of memory, or a corrupted session)");
        if (rs->ticket_len == 0) {
            memcpy(hs->session_id12, rs->session_id, rs->session_id_len);
            hs->session_id12_len = rs->session_id_len;
        }
        c->resumed = 1;
        hs->resume12 = 1;
    } else {
        memcpy(hs->session_id12, sh->session_id, sh->session_id_len);
        hs->session_id12_len = sh->session_id_len;
    }
    /* CertificateVerify signs the messages themselves: keep them. */
    hs->keep_raw = c->cfg->n_chains > 0;
    if (mt_transcript_start_hash(c, s->hash) != 0 || mt_transcript_add(c, msg, len) != 0)
        return mt_conn_fail(c, MUTLS_ERR_INTERNAL, MT_ALERT_INTERNAL_ERROR, "transcript failure");
    snprintf(detail, sizeof(detail), "version=TLSv1.2 suite=%s ems=%s etm=%s alpn=%s%s", s->name,
             c->ems ? "yes" : "no", c->etm ? "yes" : "no", c->alpn ? c->alpn : "-",
             resumed ? " resumed" : "");
    mt_trace(c, 0, MT_HS_SERVER_HELLO, "ServerHello", detail);
    if (resumed) {
        if ((ret = mt_tls12_key_block(c)) != 0)
            return ret;
        c->state = MT_ST_C12R_WAIT_CCS;
        return 0;
    }
    c->state = MT_ST_C12_WAIT_CERT;
    return 0;
}

static int add(mutls_conn *c, const uint8_t *msg, size_t len)
{
    return mt_transcript_add(c, msg, len) == 0
               ? 0
               : mt_conn_fail(c, MUTLS_ERR_INTERNAL, MT_ALERT_INTERNAL_ERROR, "transcript failure");
}

static int handle_certificate(mutls_conn *c, mt_reader *body, const uint8_t *msg, size_t len)
{
    mt_certificate_msg m;
    mt_pkey *key;
    int ret, fits;

    if ((ret = mt_tls12_parse_certificate(c, body, &m)) != 0)
        return ret;
    if (m.n == 0)
        return mt_conn_fail(c, MUTLS_ERR_PROTOCOL, MT_ALERT_DECODE_ERROR,
                            "server sent an empty Certificate message");
    if ((ret = mt_client_check_server_chain(c, &m)) != 0)
        return ret;
    key = mt_x509_public_key(c->hs->peer_leaf);
    fits = key != NULL && mt_tls12_key_fits_suite(key, c->suite);
    mt_pkey_free(key);
    if (!fits)
        return mt_conn_fail(c, MUTLS_ERR_VERIFY, MT_ALERT_UNSUPPORTED_CERTIFICATE,
                            "server certificate %s has a key that %s cannot use",
                            mutls_peer_subject(c->peer), c->suite->name);
    if (!mt_tls12_cert_usage_fits_suite(c->hs->peer_leaf, c->suite))
        return mt_conn_fail(c, MUTLS_ERR_VERIFY, MT_ALERT_UNSUPPORTED_CERTIFICATE,
                            "server certificate %s does not allow %s (key usage), which %s needs",
                            mutls_peer_subject(c->peer),
                            c->suite->kx == MT_KX_RSA ? "key encipherment" : "digital signatures",
                            c->suite->name);
    if ((ret = add(c, msg, len)) != 0)
        return ret;
    c->state = c->suite->kx == MT_KX_ECDHE ? MT_ST_C12_WAIT_SKE : MT_ST_C12_WAIT_CR_SHD;
    return 0;
}

static int handle_server_key_exchange(mutls_conn *c, mt_reader *body, const uint8_t *msg,
                                      size_t len)
{
    int ret;
    if ((ret = mt_tls12_handle_server_key_exchange(c, body)) != 0 || (ret = add(c, msg, len)) != 0)
        return ret;
    c->state = MT_ST_C12_WAIT_CR_SHD;
    return 0;
}

static int handle_certificate_request(mutls_conn *c, mt_reader *body, const uint8_t *msg,
                                      size_t len)
{
    int ret;
    if ((ret = mt_tls12_parse_certificate_request(c, body)) != 0 || (ret = add(c, msg, len)) != 0)
        return ret;
    c->state = MT_ST_C12_WAIT_SHD;
    return 0;
}

/* ServerHelloDone: our second flight. */
static int handle_server_hello_done(mutls_conn *c, mt_reader *body, const uint8_t *msg,
                                    size_t len)
{
    mt_handshake *hs = c->hs;
    int ret;

    if (mt_r_done(body) != 0)
        return MT_DECODE_ERROR(c, "ServerHelloDone");
    if ((ret = add(c, msg, len)) != 0)
        return ret;
    mt_trace(c, 0, MT_HS_SERVER_HELLO_DONE, "ServerHelloDone", NULL);
    if (hs->cert_requested && (ret = mt_tls12_send_certificate(c, hs->chain)) != 0)
        return ret;
    if ((ret = mt_tls12_send_client_key_exchange(c)) != 0)
        return ret;
    if (hs->cert_requested && hs->chain != NULL && (ret = mt_tls12_send_certificate_verify(c)) != 0)
        return ret;
    if ((ret = mt_tls12_send_ccs(c)) != 0 || (ret = mt_tls12_send_finished(c)) != 0)
        return ret;
    c->state = MT_ST_C12_WAIT_CCS;
    /* RFC 7918 False Start: application data may follow our Finished,
     * only with forward secrecy and an AEAD (and a 256-bit group or
     * better, which all of ours are). */
    if (c->cfg->false_start && c->suite->kx == MT_KX_ECDHE && c->suite->cipher == MT_CIPHER_AEAD) {
        c->false_start_ready = 1;
        mt_trace(c, 1, 0, "FalseStart", "application data may now be sent, before the server's Finished");
    }
    return 0;
}

static int handle_finished(mutls_conn *c, mt_reader *body, const uint8_t *msg, size_t len)
{
    int ret;
    (void)msg;
    (void)len;
    if ((ret = mt_tls12_check_finished(c, body)) != 0)
        return ret;
    mt_trace(c, 0, MT_HS_FINISHED, "Finished", "verify_data valid");
    c->false_start_ready = 0;
    c->state = MT_ST_CONNECTED;
    mt_tls12_client_remember_session(c);
    mt_hs_free(c);
    return 0;
}

/* Resumed: the server finished first; now our ChangeCipherSpec and
 * Finished (RFC 5246 7.3, figure 2). */
static int handle_resumed_finished(mutls_conn *c, mt_reader *body, const uint8_t *msg, size_t len)
{
    int ret;
    if ((ret = mt_tls12_check_finished(c, body)) != 0)
        return ret;
    mt_trace(c, 0, MT_HS_FINISHED, "Finished", "verify_data valid (resumed session)");
    if (mt_transcript_add(c, msg, len) != 0)
        return mt_conn_fail(c, MUTLS_ERR_INTERNAL, MT_ALERT_INTERNAL_ERROR, "transcript failure");
    if ((ret = mt_tls12_send_ccs(c)) != 0 || (ret = mt_tls12_send_finished(c)) != 0)
        return ret;
    c->state = MT_ST_CONNECTED;
    mt_tls12_client_remember_session(c);
    mt_hs_free(c);
    return 0;
}

int mt_tls12_refuse_renegotiation(mutls_conn *c, mt_reader *body, const uint8_t *msg, size_t len)
{
    (void)body;
    (void)len;
    /* A peer that keeps asking after being refused is not going anywhere
     * (GnuTLS retries many times): end it rather than loop. */
    if (++c->renegotiations_refused > 3)
        return mt_conn_fail(c, MUTLS_ERR_PROTOCOL, MT_ALERT_NO_RENEGOTIATION,
                            "peer asked to renegotiate %d times; mutls never renegotiates",
                            c->renegotiations_refused);
    /* RFC 5746 / RFC 5246 7.2.2: mutls never renegotiates; the warning
     * lets the peer carry on with the current session. */
    mt_trace(c, 0, msg[0], mt_hs_type_name(msg[0]), "renegotiation request: refused");
    mt_conn_send_alert(c, MT_ALERT_NO_RENEGOTIATION);
    return 0;
}

const mt_transition mt_tls12_client_table[] = {
    {MT_ST_C12_WAIT_CERT, MT_HS_CERTIFICATE, handle_certificate},
    {MT_ST_C12_WAIT_SKE, MT_HS_SERVER_KEY_EXCHANGE, handle_server_key_exchange},
    {MT_ST_C12_WAIT_CR_SHD, MT_HS_CERTIFICATE_REQUEST, handle_certificate_request},
    {MT_ST_C12_WAIT_CR_SHD, MT_HS_SERVER_HELLO_DONE, handle_server_hello_done},
    {MT_ST_C12_WAIT_SHD, MT_HS_SERVER_HELLO_DONE, handle_server_hello_done},
    {MT_ST_C12_WAIT_FINISHED, MT_HS_FINISHED, handle_finished},
    {MT_ST_C12_WAIT_CCS, MT_HS_NEW_SESSION_TICKET, mt_tls12_handle_new_session_ticket},
    {MT_ST_C12R_WAIT_CCS, MT_HS_NEW_SESSION_TICKET, mt_tls12_handle_new_session_ticket},
    {MT_ST_C12R_WAIT_FINISHED, MT_HS_FINISHED, handle_resumed_finished},
    {MT_ST_CONNECTED, MT_HS_HELLO_REQUEST, mt_tls12_refuse_renegotiation},
};
const size_t mt_tls12_client_table_count =
    sizeof(mt_tls12_client_table) / sizeof(mt_tls12_client_table[0]);
