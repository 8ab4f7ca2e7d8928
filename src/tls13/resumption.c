/*
 * TLS 1.3 resumption and 0-RTT (RFC 8446 sections 2.2, 2.3, 4.2.11, 4.6.1,
 * 8): NewSessionTicket both ways, the PSK offer and its binder on the
 * client, the PSK choice and binder check on the server, and whether early
 * data is accepted (anti-replay and freshness).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/peer.h"
#include "tls13/handshake.h"

/* ---- the binder -------------------------------------------------------- */

/* binder = HMAC(finished_key(Derive-Secret(early, "res binder", "")),
 * Hash(prefix || truncated ClientHello)), RFC 8446 4.2.11.2. prefix is
 * the transcript before this ClientHello (NULL: none). ks holds the early
 * secret of the PSK. */
static int compute_binder(const mt_crypto *cx, const mt_key_schedule *ks, const mt_hash *prefix,
                          const uint8_t *truncated, size_t len, uint8_t *out)
{
    uint8_t empty[MT_MAX_HASH], binder_key[MT_MAX_HASH], th[MT_MAX_HASH];
    mt_hash *h = prefix ? mt_hash_dup(prefix) : mt_hash_new(cx, ks->hash);
    int ret = -1;

    if (h != NULL && mt_hash_update(h, truncated, len) == 0 && mt_hash_peek(h, th) == 0 &&
        mt_hash_oneshot(cx, ks->hash, NULL, 0, empty) == 0 &&
        mt_ks_derive(ks, "res binder", empty, binder_key) == 0 &&
        mt_finished_mac(cx, ks->hash, binder_key, th, out) == 0)
        ret = 0;
    mt_hash_free(h);
    mt_wipe(binder_key, sizeof(binder_key));
    return ret;
}

/* ---- client ------------------------------------------------------------ */

int mt_client_psk_usable(const mutls_conn *c)
{
    const mutls_session *s = c->resume;
    if (s == NULL || s->st.version != MUTLS_TLS1_3 || s->ticket_len == 0 ||
        c->cfg->max_version < MUTLS_TLS1_3)
        return 0;
    /* RFC 8446 4.6.1: only for the server name it was made with, and not
     * past its lifetime (by our clock). */
    if (strcmp(s->st.sni, c->server_name ? c->server_name : "") != 0)
        return 0;
    /* A client that verifies the server resumes only a session whose
     * server chain was verified (a session from an unverified connection
     * carries none): resumption must not skip verification. */
    if (c->cfg->verify != MUTLS_VERIFY_NONE && s->st.peer_chain_len == 0)
        return 0;
    int64_t now = mt_config_now(c->cfg);
    /* (the difference taken unsigned: issued comes from an imported
     * session and may be anything) */
    if (now < s->st.issued || (uint64_t)now - (uint64_t)s->st.issued >= s->st.lifetime)
        return 0;
    const mt_suite *ps = mt_suite_find(s->st.suite);
    /* After a HelloRetryRequest only a PSK of the chosen hash (4.1.4). */
    if (ps != NULL && c->did_hrr && c->suite != NULL && c->suite->hash != ps->hash)
        return 0;
    for (size_t i = 0; ps != NULL && i < c->cfg->n_suites; i++) {
        const mt_suite *ours = mt_suite_find(c->cfg->suites[i]);
        if (ours && ours->min_version == MUTLS_TLS1_3 && ours->hash == ps->hash)
            return 1;
    }
    return 0;
}

int mt_client_write_psk(mutls_conn *c, mt_buf *b)
{
    const mutls_session *s = c->resume;
    const mt_suite *ps = mt_suite_find(s->st.suite);
    int64_t age_ms = (mt_config_now(c->cfg) - s->st.issued) * 1000;
    /* RFC 8446 4.2.11.1: the age in ms plus ticket_age_add, mod 2^32. */
    uint32_t obfuscated = (uint32_t)((uint64_t)age_ms + s->st.age_add);
    return mt_ext_write_pre_shared_key_ch(b, s->ticket, s->ticket_len, obfuscated,
                                          mt_hash_size(ps->hash));
}

/* Called with the whole ClientHello in c->scratch, binder zeroed at its
 * end: compute and fill it in. */
int mt_client_fill_binder(mutls_conn *c)
{
    mt_handshake *hs = c->hs;
    const mutls_session *s = c->resume;
    const mt_suite *ps = mt_suite_find(s->st.suite);
    size_t hlen = mt_hash_size(ps->hash);
    mt_buf *b = &c->scratch;
    uint8_t binder[MT_MAX_HASH];

    mt_ks_init(&hs->ks, c->cfg->cx, ps->hash);
    if (mt_ks_early(&hs->ks, s->st.secret, s->st.secret_len) != 0 ||
        compute_binder(c->cfg->cx, &hs->ks, hs->transcript, b->data, b->len - (2 + 1 + hlen),
                       binder) != 0)
        return mt_conn_fail(c, MUTLS_ERR_INTERNAL, MT_ALERT_INTERNAL_ERROR,
                            "could not compute the PSK binder");
    memcpy(b->data + b->len - hlen, binder, hlen);
    mt_wipe(binder, sizeof(binder));
    return 0;
}

/* After the first ClientHello: the early traffic key, then the early data
 * (RFC 8446 section 2.3). */
int mt_client_send_early_data(mutls_conn *c)
{
    mt_handshake *hs = c->hs;
    const mt_suite *ps = mt_suite_find(c->resume->st.suite);
    uint8_t th[MT_MAX_HASH], key[MT_MAX_KEY_LEN], iv[MT_AEAD_NONCE_LEN];
    char detail[96];
    int ret = 0;

    /* Hash(ClientHello): the transcript is still raw here. */
    if (mt_hash_oneshot(c->cfg->cx, ps->hash, hs->raw_transcript.data, hs->raw_transcript.len,
                        th) != 0 ||
        mt_ks_derive(&hs->ks, "c e traffic", th, hs->c_e_secret) != 0)
        return mt_conn_fail(c, MUTLS_ERR_INTERNAL, MT_ALERT_INTERNAL_ERROR,
                            "early traffic key derivation failed");
    /* The key log needs the suite's hash: borrow the PSK's suite. */
    const mt_suite *saved = c->suite;
    c->suite = ps;
    mt_keylog(c, "CLIENT_EARLY_TRAFFIC_SECRET", hs->c_e_secret);
    c->suite = saved;
    if (c->cfg->middlebox_compat && (ret = mt_send_ccs(c)) != 0)
        return ret;
    if (mt_traffic_keys(c->cfg->cx, ps->hash, ps->key_len, hs->c_e_secret, key, iv) != 0 ||
        mt_rec_dir_set(&c->rec.wr, c->cfg->cx, ps->aead, 1, key, iv) != 0)
        ret = mt_conn_fail(c, MUTLS_ERR_INTERNAL, MT_ALERT_INTERNAL_ERROR,
                           "could not install the early traffic key");
    mt_wipe(key, sizeof(key));
    mt_wipe(iv, sizeof(iv));
    if (ret != 0)
        return ret;
    if ((ret = mt_rec_write(&c->rec, MT_CT_APPLICATION_DATA, c->early_out.data, c->early_out.len,
                            &c->err)) != 0)
        return ret;
    snprintf(detail, sizeof(detail), "%zu bytes of early data (0-RTT), with the ClientHello",
             c->early_out.len);
    mt_trace(c, 1, 0, "EarlyData", detail);
    return 0;
}

/* The peer's chain kept with a session becomes its identity again. */
int mt_restore_peer(mutls_conn *c, const mt_session_state *st)
{
    const uint8_t *der[MT_MAX_CHAIN_LEN];
    size_t len[MT_MAX_CHAIN_LEN], n = 0;
    mt_reader r = mt_reader_init(st->peer_chain, st->peer_chain_len), one;

    while (mt_r_left(&r) > 0 && n < MT_MAX_CHAIN_LEN) {
        if (mt_r_vec(&r, 3, 1, 0xffffff, &one) != 0)
            return -1;
        der[n] = one.p;
        len[n++] = one.len;
    }
    if (n == 0)
        return 0;
    mutls_peer *p = mt_peer_new(der, len, n);
    if (p == NULL)
        return -1;
    mt_peer_set_verified(p, 1, "");
    mt_peer_free(c->peer);
    c->peer = p;
    mt_buf_reset(&c->peer_chain);
    return mt_w_bytes(&c->peer_chain, st->peer_chain, st->peer_chain_len);
}

int mt_handle_new_session_ticket(mutls_conn *c, mt_reader *r, const uint8_t *msg, size_t len)
{
    uint32_t lifetime, age_add;
    mt_reader nonce, ticket, ext;
    mt_exts x;
    uint8_t psk[MT_MAX_HASH];
    char detail[160];
    (void)msg;
    (void)len;
    memset(&x, 0, sizeof(x));
    if (mt_r_u32(r, &lifetime) != 0 || mt_r_u32(r, &age_add) != 0 ||
        mt_r_vec(r, 1, 0, 255, &nonce) != 0 || mt_r_vec(r, 2, 1, 0xffff, &ticket) != 0 ||
        mt_r_vec(r, 2, 0, 0xfffe, &ext) != 0 || mt_r_done(r) != 0)
        return MT_DECODE_ERROR(c, "NewSessionTicket");
    /* RFC 8446 section 4.6.1: at most seven days. */
    if (lifetime > MT_MAX_TICKET_LIFETIME)
        return mt_conn_fail(c, MUTLS_ERR_PROTOCOL, MT_ALERT_ILLEGAL_PARAMETER,
                            "NewSessionTicket lifetime %u exceeds seven days", lifetime);
    if (mt_exts_parse(&ext, MT_IN_NST, 0, &x, &c->err) != 0)
        return c->err.code;
    if (lifetime == 0) { /* "the ticket SHOULD be discarded immediately" */
        mt_trace(c, 0, MT_HS_NEW_SESSION_TICKET, "NewSessionTicket", "lifetime 0: discarded");
        return 0;
    }
    /* PSK = HKDF-Expand-Label(resumption_master_secret, "resumption",
     * ticket_nonce, Hash.length), RFC 8446 4.6.1. */
    size_t hlen = mt_hash_size(c->suite->hash);
    if (mt_hkdf_expand_label(c->cfg->cx, c->suite->hash, c->res_master, "resumption", nonce.p,
                             nonce.len, psk, hlen) != 0)
        return mt_conn_fail(c, MUTLS_ERR_INTERNAL, MT_ALERT_INTERNAL_ERROR,
                            "resumption key derivation failed");
    mt_session_state st;
    memset(&st, 0, sizeof(st));
    st.version = MUTLS_TLS1_3;
    st.suite = c->suite->code;
    memcpy(st.secret, psk, hlen);
    st.secret_len = (uint8_t)hlen;
    st.issued = mt_config_now(c->cfg);
    st.lifetime = lifetime;
    st.age_add = age_add;
    st.max_early_data = mt_exts_has(&x, MT_EXT_EARLY_DATA) ? x.max_early_data : 0;
    snprintf(st.sni, sizeof(st.sni), "%s", c->server_name ? c->server_name : "");
    snprintf(st.alpn, sizeof(st.alpn), "%s", c->alpn ? c->alpn : "");
    st.peer_chain = c->peer_chain.data;
    st.peer_chain_len = c->peer_chain.len;
    mutls_session *s = mt_session_new(&st, ticket.p, ticket.len, NULL, 0);
    mt_wipe(psk, sizeof(psk));
    mt_wipe(st.secret, sizeof(st.secret));
    if (s == NULL)
        return mt_conn_fail(c, MUTLS_ERR_INTERNAL, MT_ALERT_INTERNAL_ERROR, "out of memory");
    mutls_session_free(c->session);
    c->session = s;
    snprintf(detail, sizeof(detail), "lifetime %u s, %zu-byte ticket, early data %s", lifetime,
             ticket.len, st.max_early_data ? "allowed" : "not allowed");
    mt_trace(c, 0, MT_HS_NEW_SESSION_TICKET, "NewSessionTicket", detail);
    return 0;
}

/* ---- server ------------------------------------------------------------ */

/* The state a ticket carries for this connection's session. */
static int session_state(mutls_conn *c, mt_session_state *st, const uint8_t *secret, size_t len)
{
    memset(st, 0, sizeof(*st));
    st->version = c->version;
    st->suite = c->suite->code;
    memcpy(st->secret, secret, len);
    st->secret_len = (uint8_t)len;
    st->ems = (uint8_t)c->ems;
    st->issued = mt_config_now(c->cfg);
    st->lifetime = c->cfg->ticket_lifetime;
    snprintf(st->sni, sizeof(st->sni), "%s", c->sni ? c->sni : "");
    snprintf(st->alpn, sizeof(st->alpn), "%s", c->alpn ? c->alpn : "");
    st->peer_chain = c->peer_chain.data;
    st->peer_chain_len = c->peer_chain.len;
    return 0;
}

int mt_server_seal_session(mutls_conn *c, const mt_session_state *st, mt_buf *ticket)
{
    mt_buf plain;
    int ret;
    mt_buf_init(&plain);
    ret = mt_session_state_encode(st, &plain) == 0 &&
                  mt_ticket_seal(c->cfg->ticket_keys, mt_config_now(c->cfg), plain.data, plain.len,
                                 ticket) == 0
              ? 0
              : -1;
    mt_buf_free(&plain);
    return ret;
}

int mt_server_send_ticket(mutls_conn *c)
{
    mt_session_state st;
    uint8_t nonce[8], psk[MT_MAX_HASH];
    size_t hlen = mt_hash_size(c->suite->hash);
    mt_buf ticket;
    char detail[128];
    int ret;

    /* RFC 8446 4.2.9: no tickets the client could not use; a client that
     * lists no PSK key exchange mode (or only psk_ke, which is off here)
     * does not resume. */
    if (!c->peer_psk_mode) {
        mt_trace(c, 1, 0, "NewSessionTicket",
                 "not sent: the client lists no PSK key exchange mode in common "
                 "(psk_key_exchange_modes)");
        return 1;
    }
    for (int i = 7; i >= 0; i--)
        nonce[7 - i] = (uint8_t)(c->ticket_nonce >> (8 * i));
    c->ticket_nonce++;
    if (mt_hkdf_expand_label(c->cfg->cx, c->suite->hash, c->res_master, "resumption", nonce,
                             sizeof(nonce), psk, hlen) != 0)
        return mt_conn_fail(c, MUTLS_ERR_INTERNAL, MT_ALERT_INTERNAL_ERROR,
                            "resumption key derivation failed");
    session_state(c, &st, psk, hlen);
    mt_wipe(psk, sizeof(psk));
    st.max_early_data = c->cfg->early_data_max;
    if (mt_random(&c->cfg->rng, (uint8_t *)&st.age_add, sizeof(st.age_add)) != 0) {
        mt_wipe(st.secret, sizeof(st.secret));
        return mt_conn_fail(c, MUTLS_ERR_INTERNAL, MT_ALERT_INTERNAL_ERROR, "no randomness");
    }
    mt_buf_init(&ticket);
    ret = mt_server_seal_session(c, &st, &ticket);
    mt_wipe(st.secret, sizeof(st.secret));
    if (ret != 0) {
        /* Tickets are optional (RFC 8446 4.6.1): without one (no ticket
         * key valid now, or a state too large to seal) the connection goes
         * on and the client will do a full handshake next time. */
        mt_buf_free(&ticket);
        mt_trace(c, 1, 0, "NewSessionTicket",
                 "not sent: the session could not be sealed (no ticket key valid now?)");
        return 1;
    }
    /* A ticket is at most 2^16-1 bytes (RFC 8446 4.6.1): a session with a
     * very large client chain is simply not resumable. */
    if (ticket.len > 0xffff) {
        mt_buf_free(&ticket);
        mt_trace(c, 1, MT_HS_NEW_SESSION_TICKET, "NewSessionTicket",
                 "not sent: the session (client chain) is too large for a ticket");
        return 1;
    }
    size_t len_off = mt_msg_begin(c, MT_HS_NEW_SESSION_TICKET);
    mt_buf *b = &c->scratch;
    mt_w_u32(b, st.lifetime);
    mt_w_u32(b, st.age_add);
    mt_w_u8(b, sizeof(nonce));
    mt_w_bytes(b, nonce, sizeof(nonce));
    size_t t = mt_w_open(b, 2);
    mt_w_bytes(b, ticket.data, ticket.len);
    mt_w_close(b, t, 2);
    size_t ext = mt_w_open(b, 2);
    if (st.max_early_data > 0)
        mt_ext_write_early_data(b, 1, st.max_early_data);
    mt_w_close(b, ext, 2);
    snprintf(detail, sizeof(detail), "lifetime %u s, %zu-byte ticket, early data %s", st.lifetime,
             ticket.len, st.max_early_data ? "allowed" : "not allowed");
    mt_buf_free(&ticket);
    if (b->err)
        return mt_conn_fail(c, MUTLS_ERR_INTERNAL, MT_ALERT_INTERNAL_ERROR, "out of memory");
    return mt_msg_send(c, len_off, detail);
}

int mutls_conn_send_ticket(mutls_conn *c)
{
    if (c == NULL || c->role != MUTLS_SERVER || c->state != MT_ST_CONNECTED ||
        c->version != MUTLS_TLS1_3 || c->cfg->ticket_keys == NULL || c->close_sent)
        return MUTLS_ERR_INVALID_ARGUMENT;
    if (c->err.code != MUTLS_OK)
        return c->err.code;
    int ret = mt_server_send_ticket(c);
    return ret > 0 ? MUTLS_ERR_CONFIG : ret;
}

/* Open a ticket into a session state; -1 for anything that cannot be
 * used (unknown key, tampered, expired): the caller does a full
 * handshake. */
int mt_server_open_ticket(mutls_conn *c, const uint8_t *ticket, size_t len, mt_session_state *st)
{
    mt_buf plain;
    int ret = -1;
    int64_t now = mt_config_now(c->cfg);

    if (c->cfg->ticket_keys == NULL)
        return -1;
    mt_buf_init(&plain);
    memset(st, 0, sizeof(*st));
    if (mt_ticket_open(c->cfg->ticket_keys, now, ticket, len, &plain) == 0 &&
        mt_session_state_decode(plain.data, plain.len, st) == 0) {
        if (now >= st->issued && (uint64_t)now - (uint64_t)st->issued < st->lifetime)
            ret = 0;
        else
            mt_session_state_clear(st);
    }
    mt_buf_free(&plain);
    return ret;
}

/* A session may be resumed only for the same server name, and (mTLS) only
 * while the client certificate is still valid and not revoked: its chain
 * is verified again, now. */
int mt_server_session_still_good(mutls_conn *c, const mt_session_state *st, const char **why)
{
    if (strcmp(st->sni, c->sni ? c->sni : "") != 0) {
        *why = "the server name differs from the original handshake";
        return 0;
    }
    if (st->peer_chain_len == 0) {
        if (c->cfg->verify == MUTLS_VERIFY_REQUIRE) {
            *why = "the original handshake had no client certificate, which is now required";
            return 0;
        }
        return 1;
    }
    const uint8_t *der[MT_MAX_CHAIN_LEN];
    size_t dlen[MT_MAX_CHAIN_LEN], n = 0;
    mt_reader r = mt_reader_init(st->peer_chain, st->peer_chain_len), one;
    while (mt_r_left(&r) > 0 && n < MT_MAX_CHAIN_LEN && mt_r_vec(&r, 3, 1, 0xffffff, &one) == 0) {
        der[n] = one.p;
        dlen[n++] = one.len;
    }
    if (c->cfg->client_trust == NULL || n == 0) {
        *why = "client certificates are no longer accepted";
        return 0;
    }
    mt_verify_params p;
    mt_error e;
    memset(&p, 0, sizeof(p));
    mt_error_clear(&e);
    p.now = mt_config_now(c->cfg);
    p.max_depth = c->cfg->verify_depth;
    p.min_rsa_bits = 2048;
    if (mt_verify_chain(c->cfg->client_trust, der, dlen, n, &p, "client", NULL, &e) != 0) {
        /* Resumption falls back to a full handshake, which will say why. */
        *why = "the client certificate no longer verifies (expired or revoked)";
        return 0;
    }
    return 1;
}

int mt_server_choose_psk(mutls_conn *c, const mt_client_hello *ch, const uint8_t *msg, size_t len)
{
    mt_handshake *hs = c->hs;
    const mt_exts *x = &ch->ext;
    const char *why = NULL;
    char detail[200];

    hs->psk_selected = -1;
    if (!mt_exts_has(x, MT_EXT_PRE_SHARED_KEY))
        return 0;
    /* RFC 8446 4.2.11: pre_shared_key must be the last extension, and it
     * needs psk_key_exchange_modes. */
    if (x->last_type != MT_EXT_PRE_SHARED_KEY)
        return mt_conn_fail(c, MUTLS_ERR_PROTOCOL, MT_ALERT_ILLEGAL_PARAMETER,
                            "pre_shared_key is not the last extension of the ClientHello");
    if (!mt_exts_has(x, MT_EXT_PSK_KEY_EXCHANGE_MODES))
        return mt_conn_fail(c, MUTLS_ERR_PROTOCOL, MT_ALERT_MISSING_EXTENSION,
                            "pre_shared_key without psk_key_exchange_modes");
    int dhe = (x->psk_modes & 2) != 0, ke = (x->psk_modes & 1) != 0 && c->cfg->psk_ke;
    if (!dhe && !ke) {
        mt_trace(c, 0, MT_HS_CLIENT_HELLO, "PSK", "not used: no key exchange mode in common");
        return 0;
    }
    for (size_t i = 0; i < x->n_psk && hs->psk_selected < 0; i++) {
        mt_session_state st;
        if (mt_server_open_ticket(c, x->psk[i].identity, x->psk[i].len, &st) != 0) {
            why = "the ticket cannot be opened (unknown or expired key, tampered or expired)";
            continue;
        }
        const mt_suite *ps = mt_suite_find(st.suite);
        if (st.version != MUTLS_TLS1_3 || ps == NULL || ps->hash != c->suite->hash ||
            st.secret_len != mt_hash_size(ps->hash))
            why = "the ticket's cipher suite does not fit this handshake";
        else if (mt_server_session_still_good(c, &st, &why)) {
            hs->psk_selected = (int)i;
            hs->psk = st;
            continue;
        }
        mt_session_state_clear(&st);
    }
    if (hs->psk_selected < 0) {
        snprintf(detail, sizeof(detail), "not resumed: %s", why ? why : "no usable identity");
        mt_trace(c, 0, MT_HS_CLIENT_HELLO, "PSK", detail);
        return 0;
    }
    /* The binder proves the client holds the PSK; a wrong one is fatal
     * (RFC 8446 4.2.11: decrypt_error). */
    uint8_t binder[MT_MAX_HASH];
    size_t hlen = mt_hash_size(c->suite->hash);
    const size_t i = (size_t)hs->psk_selected;
    mt_ks_init(&hs->ks, c->cfg->cx, c->suite->hash);
    if (mt_ks_early(&hs->ks, hs->psk.secret, hs->psk.secret_len) != 0 ||
        compute_binder(c->cfg->cx, &hs->ks, hs->transcript, msg, len - x->psk_binders_len,
                       binder) != 0)
        return mt_conn_fail(c, MUTLS_ERR_INTERNAL, MT_ALERT_INTERNAL_ERROR,
                            "PSK binder computation failed");
    int ok = x->psk[i].binder_len == hlen && mt_ct_equal(binder, x->psk[i].binder, hlen);
    mt_wipe(binder, sizeof(binder));
    if (!ok)
        return mt_conn_fail(c, MUTLS_ERR_PROTOCOL, MT_ALERT_DECRYPT_ERROR,
                            "the PSK binder of the resumed session does not verify");
    hs->psk_ke = !dhe;
    return 0;
}

/* How much rejected early data the server skips: as much as this server
 * allows, or the resumed ticket allowed when it was issued (the
 * configuration may have changed since, or another server sharing the
 * ticket keys issued it), and at least one full record. */
size_t mt_server_early_skip_budget(const mutls_conn *c)
{
    size_t b = c->cfg->early_data_max > MT_MAX_PLAINTEXT ? c->cfg->early_data_max
                                                         : MT_MAX_PLAINTEXT;
    if (c->hs != NULL && c->hs->psk_selected >= 0 && c->hs->psk.max_early_data > b)
        b = c->hs->psk.max_early_data;
    return b;
}

/* Early data: accepted only for the first identity of a first ClientHello,
 * when enabled here and by the ticket, with the same suite and ALPN, a
 * fresh ticket age, and a ticket never used for 0-RTT before. */
int mt_server_accept_early_data(mutls_conn *c, const mt_client_hello *ch)
{
    mt_handshake *hs = c->hs;
    const char *why = NULL;
    char detail[200];

    if (!hs->early_offered)
        return 0;
    if (c->did_hrr)
        why = "a HelloRetryRequest was needed";
    else if (c->cfg->early_data_max == 0 || c->cfg->antireplay == NULL)
        why = "0-RTT is not enabled on this server";
    else if (hs->psk_selected != 0)
        why = "the session is not resumed with the first PSK";
    else if (hs->psk.max_early_data == 0)
        why = "the ticket does not allow early data";
    else if (hs->psk.suite != c->suite->code)
        why = "the cipher suite differs from the ticket's";
    else if (strcmp(hs->psk.alpn, c->alpn ? c->alpn : "") != 0)
        why = "the ALPN protocol differs from the ticket's";
    else {
        /* RFC 8446 8.3: the client's idea of the ticket age must agree
         * with ours within the window. */
        int64_t client_age = (int64_t)(uint32_t)(ch->ext.psk[0].obfuscated_age - hs->psk.age_add);
        int64_t server_age = (mt_config_now(c->cfg) - hs->psk.issued) * 1000;
        int64_t skew = client_age - server_age;
        uint8_t h[32];
        if (skew > MT_EARLY_AGE_TOLERANCE_MS || skew < -MT_EARLY_AGE_TOLERANCE_MS)
            why = "the ticket age is outside the freshness window";
        else if (mt_sha256(ch->ext.psk[0].identity, ch->ext.psk[0].len, h) != 0 ||
                 !mt_antireplay_first_use(c->cfg->antireplay, h, mt_config_now(c->cfg)))
            why = "the ticket was already used for 0-RTT (a replay)";
    }
    if (why != NULL) {
        c->early_status = MUTLS_EARLY_DATA_REJECTED;
        /* RFC 8446 4.2.10: skip the records we cannot read, up to the
         * amount early data could take. */
        c->early_skip = mt_server_early_skip_budget(c);
        snprintf(detail, sizeof(detail), "early data rejected: %s", why);
        mt_trace(c, 0, 0, "EarlyData", detail);
        return 0;
    }
    hs->early_accepted = 1;
    c->early_status = MUTLS_EARLY_DATA_ACCEPTED;
    return 0;
}

/* The server's read side for accepted early data. */
int mt_server_install_early_key(mutls_conn *c, const uint8_t *ch_hash)
{
    mt_handshake *hs = c->hs;
    if (mt_ks_derive(&hs->ks, "c e traffic", ch_hash, hs->c_e_secret) != 0)
        return mt_conn_fail(c, MUTLS_ERR_INTERNAL, MT_ALERT_INTERNAL_ERROR,
                            "early traffic key derivation failed");
    mt_keylog(c, "CLIENT_EARLY_TRAFFIC_SECRET", hs->c_e_secret);
    return mt_install_secret(c, 0, hs->c_e_secret);
}
