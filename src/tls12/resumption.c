/*
 * TLS 1.2 session resumption: session IDs with the server's cache (RFC
 * 5246 7.3) and RFC 5077 tickets. A session is resumable only if it used
 * the extended master secret (RFC 7627 5.3).
 */
#include <stdio.h>
#include <string.h>

#include "tls12/tls12.h"

static int configured(const mutls_config *cfg, uint16_t suite)
{
    for (size_t i = 0; i < cfg->n_suites; i++)
        if (cfg->suites[i] == suite)
            return 1;
    return 0;
}

int mt_tls12_server_try_resume(mutls_conn *c, const mt_client_hello *ch, mt_session_state *st)
{
    const mutls_config *cfg = c->cfg;
    const char *why = NULL, *how = NULL;
    char detail[200];
    int found = 0;

    memset(st, 0, sizeof(*st));
    if (mt_exts_has(&ch->ext, MT_EXT_SESSION_TICKET) && ch->ext.session_ticket_len > 0) {
        how = "ticket";
        if (cfg->tickets > 0 && mt_server_open_ticket(c, ch->ext.session_ticket,
                                                      ch->ext.session_ticket_len, st) == 0)
            found = 1;
        else
            why = "the ticket cannot be opened (unknown or expired key, tampered or expired)";
    }
    if (!found && ch->session_id_len == 32 && cfg->session_cache != NULL) {
        mt_buf state;
        mt_buf_init(&state);
        if (mt_session_cache_get(cfg->session_cache, ch->session_id, mt_config_now(cfg), &state) == 0 &&
            mt_session_state_decode(state.data, state.len, st) == 0) {
            found = 1;
            how = "session ID";
        }
        /* An unknown ID is no news: clients send random ones (TLS 1.3
         * middlebox mode) that were never sessions. */
        mt_buf_free(&state);
    }
    if (!found) {
        if (how != NULL) {
            snprintf(detail, sizeof(detail), "not resumed (%s): %s", how, why);
            mt_trace(c, 0, MT_HS_CLIENT_HELLO, "Session", detail);
        }
        return 0;
    }
    if (st->version != MUTLS_TLS1_2 || st->secret_len != 48)
        why = "the session is not a TLS 1.2 session";
    /* RFC 7627 5.3: never resume without the extended master secret. */
    else if (!st->ems || !mt_exts_has(&ch->ext, MT_EXT_EXTENDED_MASTER_SECRET))
        why = "the extended master secret is missing";
    else if (!mt_client_hello_offers(ch, st->suite) || !configured(cfg, st->suite))
        why = "the session's cipher suite is no longer offered";
    else if (!mt_server_session_still_good(c, st, &why))
        ;
    else
        return 1;
    snprintf(detail, sizeof(detail), "not resumed (%s): %s", how, why);
    mt_trace(c, 0, MT_HS_CLIENT_HELLO, "Session", detail);
    mt_session_state_clear(st);
    return 0;
}

static void state_of(mutls_conn *c, mt_session_state *st)
{
    memset(st, 0, sizeof(*st));
    st->version = MUTLS_TLS1_2;
    st->suite = c->suite->code;
    memcpy(st->secret, c->hs->master, 48);
    st->secret_len = 48;
    st->ems = (uint8_t)c->ems;
    st->issued = mt_config_now(c->cfg);
    st->lifetime = c->cfg->ticket_lifetime;
    snprintf(st->sni, sizeof(st->sni), "%s",
             c->role == MUTLS_SERVER ? (c->sni ? c->sni : "") : (c->server_name ? c->server_name : ""));
    snprintf(st->alpn, sizeof(st->alpn), "%s", c->alpn ? c->alpn : "");
    st->peer_chain = c->peer_chain.data;
    st->peer_chain_len = c->peer_chain.len;
}

int mt_tls12_send_new_session_ticket(mutls_conn *c)
{
    mt_session_state st;
    mt_buf ticket;
    char detail[96];
    int ret;

    state_of(c, &st);
    mt_buf_init(&ticket);
    ret = mt_server_seal_session(c, &st, &ticket);
    mt_wipe(st.secret, sizeof(st.secret));
    /* RFC 5077 3.3: having promised a ticket, an empty one says "none". */
    if (ret != 0 || ticket.len > 0xffff)
        mt_buf_reset(&ticket);
    size_t len_off = mt_msg_begin(c, MT_HS_NEW_SESSION_TICKET);
    mt_w_u32(&c->scratch, c->cfg->ticket_lifetime);
    size_t v = mt_w_open(&c->scratch, 2);
    mt_w_bytes(&c->scratch, ticket.data, ticket.len);
    mt_w_close(&c->scratch, v, 2);
    snprintf(detail, sizeof(detail), "lifetime hint %u s, %zu-byte ticket", c->cfg->ticket_lifetime,
             ticket.len);
    mt_buf_free(&ticket);
    return mt_msg_send(c, len_off, detail);
}

int mt_tls12_handle_new_session_ticket(mutls_conn *c, mt_reader *body, const uint8_t *msg,
                                       size_t len)
{
    uint32_t hint;
    mt_reader t;
    char detail[96];
    if (!c->hs->ticket12_wanted)
        return mt_conn_fail(c, MUTLS_ERR_PROTOCOL, MT_ALERT_UNEXPECTED_MESSAGE,
                            "NewSessionTicket without session_ticket in the ServerHello");
    if (mt_r_u32(body, &hint) != 0 || mt_r_vec(body, 2, 0, 0xffff, &t) != 0 || mt_r_done(body) != 0)
        return MT_DECODE_ERROR(c, "NewSessionTicket");
    mt_buf_reset(&c->hs->ticket12);
    c->hs->ticket12_hint = hint;
    if (mt_w_bytes(&c->hs->ticket12, t.p, t.len) != 0 || mt_transcript_add(c, msg, len) != 0)
        return mt_conn_fail(c, MUTLS_ERR_INTERNAL, MT_ALERT_INTERNAL_ERROR, "out of memory");
    snprintf(detail, sizeof(detail), "lifetime hint %u s, %zu-byte ticket", hint, t.len);
    mt_trace(c, 0, MT_HS_NEW_SESSION_TICKET, "NewSessionTicket", detail);
    return 0;
}

void mt_tls12_server_remember_session(mutls_conn *c)
{
    mt_handshake *hs = c->hs;
    mt_session_state st;
    mt_buf enc;
    if (c->resumed || !c->ems || c->cfg->session_cache == NULL || hs->session_id12_len != 32)
        return;
    state_of(c, &st);
    mt_buf_init(&enc);
    /* A full cache or no memory only costs a future full handshake. */
    if (mt_session_state_encode(&st, &enc) == 0 &&
        mt_session_cache_put(c->cfg->session_cache, hs->session_id12, enc.data, enc.len,
                             st.issued) != 0)
        mt_trace(c, 1, 0, "Session", "could not be cached");
    mt_wipe(st.secret, sizeof(st.secret));
    mt_buf_free(&enc);
}

void mt_tls12_client_remember_session(mutls_conn *c)
{
    mt_handshake *hs = c->hs;
    mt_session_state st;
    /* Resumable only with the extended master secret (RFC 7627 5.3), and
     * only if the server gave us a way back (a session ID or a ticket). */
    if (!c->ems || (hs->session_id12_len == 0 && hs->ticket12.len == 0))
        return;
    state_of(c, &st);
    /* RFC 5077 3.3: the server's hint, when it gives one, bounds how long
     * the client offers the ticket (never beyond seven days). */
    if (hs->ticket12.len > 0 && hs->ticket12_hint > 0)
        st.lifetime = hs->ticket12_hint < MT_MAX_TICKET_LIFETIME ? hs->ticket12_hint
                                                                 : MT_MAX_TICKET_LIFETIME;
    mutls_session *s = mt_session_new(&st, hs->ticket12.data, hs->ticket12.len, hs->session_id12,
                                      hs->ticket12.len > 0 ? 0 : hs->session_id12_len);
    mt_wipe(st.secret, sizeof(st.secret));
    if (s != NULL) {
        mutls_session_free(c->session);
        c->session = s;
    }
}
