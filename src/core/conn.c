/* The sans-I/O connection: bytes in, bytes out, plaintext both ways. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/peer.h"
#include "tls12/tls12.h"
#include "tls13/handshake.h"

mutls_conn *mutls_conn_new(mutls_config *cfg)
{
    mutls_conn *c;
    if (cfg == NULL || mt_config_freeze(cfg) != 0)
        return NULL;
    if ((c = calloc(1, sizeof(*c))) == NULL)
        return NULL;
    c->cfg = mutls_config_up_ref(cfg);
    c->role = cfg->role;
    mt_error_clear(&c->err);
    c->alert_sent = c->alert_received = -1;
    c->fd = -1;
    mt_record_init(&c->rec);
    c->rec.rng = &cfg->rng;
    mt_buf_init(&c->hs_in);
    mt_buf_init(&c->scratch);
    mt_buf_init(&c->app_in);
    mt_buf_init(&c->peer_chain);
    mt_buf_init(&c->early_out);
    mt_buf_init(&c->early_in);
    if (c->role == MUTLS_SERVER) {
        if (mt_hs_new(c) != 0) {
            mutls_conn_free(c);
            return NULL;
        }
        c->state = MT_ST_S_WAIT_CH;
    } else {
        c->state = MT_ST_START;
    }
    return c;
}

void mutls_conn_free(mutls_conn *c)
{
    if (c == NULL)
        return;
    mt_hs_free(c);
    mt_record_free(&c->rec);
    mt_buf_free(&c->hs_in);
    mt_buf_free(&c->scratch);
    mt_buf_free(&c->app_in);
    mt_wipe(c->c_ap_secret, sizeof(c->c_ap_secret));
    mt_wipe(c->s_ap_secret, sizeof(c->s_ap_secret));
    free(c->alpn);
    free(c->sni);
    free(c->server_name);
    mt_peer_free(c->peer);
    for (size_t i = 0; i < c->n_old_peers; i++)
        mt_peer_free(c->old_peers[i]);
    free(c->old_peers);
    free(c->client_auth_note);
    mt_hash_free(c->pha_base);
    /* resumption: the connection's references and buffers */
    mutls_session_free(c->resume);
    mutls_session_free(c->session);
    mt_buf_free(&c->peer_chain);
    mt_buf_free(&c->early_out);
    mt_buf_free(&c->early_in);
    mt_wipe(c->res_master, sizeof(c->res_master));
    mutls_config_free(c->cfg);
    free(c);
}

int mutls_conn_set_server_name(mutls_conn *c, const char *name)
{
    if (c == NULL || name == NULL || strlen(name) == 0 || strlen(name) > MT_MAX_HOSTNAME ||
        c->state != MT_ST_START)
        return MUTLS_ERR_INVALID_ARGUMENT;
    free(c->server_name);
    c->server_name = strdup(name);
    return c->server_name ? 0 : MUTLS_ERR_INTERNAL;
}

void mutls_conn_set_user(mutls_conn *c, void *user) { c->user = user; }
void *mutls_conn_user(const mutls_conn *c) { return c->user; }

static void send_alert(mutls_conn *c, uint8_t alert, int warning);

void mt_conn_send_alert(mutls_conn *c, uint8_t alert)
{
    /* Warning level for the closure alerts and TLS 1.2's no_renegotiation
     * (RFC 5246 7.2.2); everything else is fatal. */
    send_alert(c, alert, alert == MT_ALERT_CLOSE_NOTIFY || alert == MT_ALERT_USER_CANCELED ||
                             alert == MT_ALERT_NO_RENEGOTIATION);
}

static void send_alert(mutls_conn *c, uint8_t alert, int warning)
{
    uint8_t rec[2] = {warning ? 1 : 2, alert};
    mt_error scratch;
    mt_error_clear(&scratch);
    if (mt_rec_write(&c->rec, MT_CT_ALERT, rec, 2, &scratch) == 0 && alert != MT_ALERT_CLOSE_NOTIFY) {
        c->alert_sent = alert;
        c->fatal_sent |= !warning;
    }
    char detail[64];
    snprintf(detail, sizeof(detail), "%s %s", rec[0] == 2 ? "fatal" : "warning",
             mutls_alert_name(alert) ? mutls_alert_name(alert) : "?");
    mt_trace(c, 1, 0, "Alert", detail);
}

/* Record the first fatal error (later ones are consequences). Its alert
 * goes out when the connection freezes; the message never reaches the
 * peer, only the alert does. */
int mt_conn_fail(mutls_conn *c, int code, int alert, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    mt_vfail(&c->err, code, alert, fmt, ap);
    va_end(ap);
    return c->err.code;
}

/* Called once an error is recorded: emit its alert (once) and drop the
 * secrets nothing will use any more. */
static int freeze(mutls_conn *c)
{
    if (c->err.alert >= 0 && !c->fatal_sent && c->alert_received < 0 && !c->close_sent)
        send_alert(c, (uint8_t)c->err.alert, 0);
    c->close_sent = 1;
    if (c->hs != NULL)
        mt_hs_free(c);
    mt_wipe(c->c_ap_secret, sizeof(c->c_ap_secret));
    mt_wipe(c->s_ap_secret, sizeof(c->s_ap_secret));
    mt_wipe(c->res_master, sizeof(c->res_master));
    return c->err.code;
}

static int handle_alert(mutls_conn *c, const uint8_t *p, size_t n)
{
    char detail[64];
    /* RFC 8446 section 5.1: alerts are never fragmented. */
    if (n != 2)
        return mt_conn_fail(c, MUTLS_ERR_PROTOCOL, MT_ALERT_DECODE_ERROR, "malformed alert record");
    snprintf(detail, sizeof(detail), "%s %s", p[0] == 1 ? "warning" : "fatal",
             mutls_alert_name(p[1]) ? mutls_alert_name(p[1]) : "unknown");
    mt_trace(c, 0, 0, "Alert", detail);
    if (p[1] == MT_ALERT_CLOSE_NOTIFY) {
        c->close_received = 1;
        /* RFC 8446 section 6.1: nothing follows close_notify, so a
         * handshake in progress can never complete; waiting would hang. */
        if (c->state != MT_ST_CONNECTED)
            return mt_conn_fail(c, MUTLS_ERR_CLOSED, MT_NO_ALERT,
                                "peer sent close_notify during the handshake (%s)",
                                mt_state_name(c->state));
        return 0;
    }
    /* RFC 8446 section 6: user_canceled precedes close_notify; all other
     * alerts are fatal whatever their level. TLS 1.2 (RFC 5246 7.2) lets
     * warnings pass, such as unrecognized_name or no_renegotiation. */
    if (p[1] == MT_ALERT_USER_CANCELED || (p[0] == 1 && c->version == MUTLS_TLS1_2))
        return 0;
    c->alert_received = p[1];
    mt_conn_fail(c, MUTLS_ERR_ALERT_RECEIVED, MT_NO_ALERT, "peer sent alert %s (%u)%s",
                 mutls_alert_name(p[1]) ? mutls_alert_name(p[1]) : "unknown", p[1],
                 c->state != MT_ST_CONNECTED ? " during the handshake" : "");
    mt_explain_client_auth_alert(c, p[1]);
    return c->err.code;
}

static int handle_ccs(mutls_conn *c, const uint8_t *p, size_t n)
{
    if (c->version == MUTLS_TLS1_2)
        return mt_tls12_receive_ccs(c, p, n);
    /* RFC 8446 section 5: one byte 0x01, only during the handshake (after
     * the first ClientHello), otherwise unexpected_message. */
    if (n != 1 || p[0] != 1 || c->hs == NULL || c->state == MT_ST_S_WAIT_CH ||
        c->state == MT_ST_CONNECTED ||
        c->state == MT_ST_START || c->rec.rd.seq != 0 || c->hs->ccs_received)
        return mt_conn_fail(c, MUTLS_ERR_PROTOCOL, MT_ALERT_UNEXPECTED_MESSAGE,
                            "unexpected change_cipher_spec record");
    c->hs->ccs_received = 1;
    mt_trace(c, 0, 0, "ChangeCipherSpec", "middlebox compatibility (ignored)");
    return 0;
}

static int handle_app_data(mutls_conn *c, const uint8_t *p, size_t n)
{
    /* Accepted early data, before EndOfEarlyData (RFC 8446 4.2.10). */
    if (c->state == MT_ST_S_WAIT_EOED) {
        if (n > c->cfg->early_data_max - c->early_received)
            return mt_conn_fail(c, MUTLS_ERR_PROTOCOL, MT_ALERT_UNEXPECTED_MESSAGE,
                                "client sent more than %u bytes of early data",
                                c->cfg->early_data_max);
        c->early_received += (uint32_t)n;
        if (c->early_in_off == c->early_in.len)
            c->early_in.len = c->early_in_off = 0;
        if (mt_w_bytes(&c->early_in, p, n) != 0)
            return mt_conn_fail(c, MUTLS_ERR_INTERNAL, MT_ALERT_INTERNAL_ERROR, "out of memory");
        return 0;
    }

    if (c->state != MT_ST_CONNECTED || c->close_received)
        return mt_conn_fail(c, MUTLS_ERR_PROTOCOL, MT_ALERT_UNEXPECTED_MESSAGE,
                            "application data %s", c->close_received ? "after close_notify"
                                                                     : "before the handshake completed");
    if (c->app_in_off == c->app_in.len) {
        c->app_in.len = 0;
        c->app_in_off = 0;
    }
    if (mt_w_bytes(&c->app_in, p, n) != 0)
        return mt_conn_fail(c, MUTLS_ERR_INTERNAL, MT_ALERT_INTERNAL_ERROR, "out of memory");
    return 0;
}

/* Process every whole record buffered. */
static int process(mutls_conn *c)
{
    int ret = 0;
    if (c->err.code != MUTLS_OK)
        return c->err.code;
    for (;;) {
        uint8_t type;
        uint8_t *data;
        size_t n;
        if (c->close_received)
            break;
        c->rec.plain_alerts_ok = c->state != MT_ST_CONNECTED;
        c->rec.skip_budget = c->early_skip;
        ret = mt_rec_read(&c->rec, &type, &data, &n, &c->err);
        c->early_skip = c->rec.skip_budget;
        if (ret == 2) { /* rejected early data, skipped */
            mt_rec_release(&c->rec);
            ret = 0;
            continue;
        }
        if (ret <= 0)
            break;
        /* Early data sent with a ClientHello that got a HelloRetryRequest
         * arrives before any key: skip it too (RFC 8446 4.2.10). */
        if (type == MT_CT_APPLICATION_DATA && c->state == MT_ST_S_WAIT_CH2 &&
            c->early_skip >= mt_rec_skip_cost(n)) {
            c->early_skip -= mt_rec_skip_cost(n);
            mt_rec_release(&c->rec);
            continue;
        }
        /* RFC 8446 section 5.1: handshake messages may not interleave
         * with other record types. */
        if (type != MT_CT_HANDSHAKE && c->hs_in.len > 0) {
            ret = mt_conn_fail(c, MUTLS_ERR_PROTOCOL, MT_ALERT_UNEXPECTED_MESSAGE,
                               "record of type %u inside a fragmented handshake message", type);
            break;
        }
        switch (type) {
        case MT_CT_HANDSHAKE:
            ret = c->close_received ? MUTLS_OK : mt_hs_receive(c, data, n);
            break;
        case MT_CT_ALERT:
            ret = handle_alert(c, data, n);
            break;
        case MT_CT_CHANGE_CIPHER_SPEC:
            ret = handle_ccs(c, data, n);
            break;
        case MT_CT_APPLICATION_DATA:
            ret = handle_app_data(c, data, n);
            break;
        default:
            ret = mt_conn_fail(c, MUTLS_ERR_PROTOCOL, MT_ALERT_UNEXPECTED_MESSAGE,
                               "record of unknown type %u", type);
        }
        mt_rec_release(&c->rec);
        if (ret != 0)
            break;
    }
    /* One KeyUpdate answers every request found in this batch. */
    if (ret >= 0 && c->err.code == MUTLS_OK && c->ku_pending && !c->close_sent &&
        mt_send_key_update(c, 0) != 0)
        return freeze(c);
    if (c->err.code != MUTLS_OK)
        return freeze(c);
    return 0;
}

int mutls_conn_feed(mutls_conn *c, const uint8_t *in, size_t len)
{
    if (c == NULL || (in == NULL && len > 0))
        return MUTLS_ERR_INVALID_ARGUMENT;
    if (c->err.code != MUTLS_OK)
        return c->err.code;
    if (len == 0) {
        c->eof = 1;
        if (c->state != MT_ST_CONNECTED && !c->close_received) {
            mt_conn_fail(c, MUTLS_ERR_TRUNCATED, MT_NO_ALERT,
                         "peer closed the connection during the handshake (%s)",
                         mt_state_name(c->state));
            return freeze(c);
        }
        return 0;
    }
    /* RFC 8446 section 6.1: data after close_notify is ignored, so it
     * need not be buffered (without bound) either. */
    if (c->close_received)
        return 0;
    if (mt_rec_feed(&c->rec, in, len) != 0) {
        mt_conn_fail(c, MUTLS_ERR_INTERNAL, MT_ALERT_INTERNAL_ERROR, "out of memory");
        return freeze(c);
    }
    return process(c);
}

size_t mutls_conn_pending(const mutls_conn *c)
{
    return c->rec.out.len;
}

size_t mutls_conn_take(mutls_conn *c, uint8_t *out, size_t cap)
{
    size_t n = c->rec.out.len < cap ? c->rec.out.len : cap;
    /* Nothing written yet: data is NULL, and memcpy must not see it. */
    if (n == 0)
        return 0;
    memcpy(out, c->rec.out.data, n);
    mt_buf_drop(&c->rec.out, n);
    return n;
}

const uint8_t *mutls_conn_peek_output(const mutls_conn *c, size_t *len)
{
    *len = c->rec.out.len;
    return c->rec.out.data;
}

void mutls_conn_consume_output(mutls_conn *c, size_t n)
{
    mt_buf_drop(&c->rec.out, n);
}

int mutls_conn_handshake(mutls_conn *c)
{
    if (c == NULL)
        return MUTLS_ERR_INVALID_ARGUMENT;
    if (c->err.code != MUTLS_OK)
        return c->err.code;
    if (c->state == MT_ST_START) {
        if (mt_tls13_client_start(c) != 0)
            return freeze(c);
    }
    if (c->state == MT_ST_CONNECTED)
        return MUTLS_OK;
    return MUTLS_WANT_READ;
}

int mutls_conn_handshake_done(const mutls_conn *c)
{
    return c->state == MT_ST_CONNECTED;
}

int mutls_conn_read(mutls_conn *c, uint8_t *buf, size_t len)
{
    int ret;
    /* 0 means close_notify; a zero-length read could not be told apart. */
    if (c == NULL || buf == NULL || len == 0)
        return MUTLS_ERR_INVALID_ARGUMENT;
    if (c->err.code != MUTLS_OK)
        return c->err.code;
    /* Early data first, and never mixed with later data in one read, so
     * that mutls_conn_last_read_was_early() is exact. */
    c->last_read_early = 0;
    if (c->early_in_off < c->early_in.len) {
        size_t n = c->early_in.len - c->early_in_off;
        if (n > len)
            n = len;
        if (n > INT32_MAX)
            n = INT32_MAX;
        memcpy(buf, c->early_in.data + c->early_in_off, n);
        c->early_in_off += n;
        c->last_read_early = 1;
        return (int)n;
    }
    if (c->state != MT_ST_CONNECTED)
        return (ret = mutls_conn_handshake(c)) == MUTLS_OK ? MUTLS_WANT_READ : ret;
    size_t avail = c->app_in.len - c->app_in_off;
    if (avail > 0) {
        size_t n = avail < len ? avail : len;
        if (n > INT32_MAX)
            n = INT32_MAX;
        memcpy(buf, c->app_in.data + c->app_in_off, n);
        c->app_in_off += n;
        if (c->app_in_off == c->app_in.len)
            c->app_in.len = c->app_in_off = 0;
        return (int)n;
    }
    if (c->close_received)
        return 0;
    if (c->eof) {
        mt_conn_fail(c, MUTLS_ERR_TRUNCATED, MT_NO_ALERT,
                     "connection closed by the peer without close_notify: data may be truncated");
        return freeze(c);
    }
    return MUTLS_WANT_READ;
}

int mutls_conn_write(mutls_conn *c, const uint8_t *buf, size_t len)
{
    if (c == NULL || (buf == NULL && len > 0) || len > INT32_MAX)
        return MUTLS_ERR_INVALID_ARGUMENT;
    if (c->err.code != MUTLS_OK)
        return c->err.code;
    if (c->close_sent)
        return MUTLS_ERR_CLOSED;
    if (c->state != MT_ST_CONNECTED && !c->false_start_ready)
        return mutls_conn_handshake(c) == MUTLS_WANT_READ ? MUTLS_WANT_READ : c->err.code;
    if (c->state != MT_ST_CONNECTED)
        mt_trace(c, 1, 0, "ApplicationData", "False Start: sent before the server's Finished");
    size_t done = 0;
    while (done < len) {
        size_t n = len - done;
        if (n > c->rec.send_plaintext_max)
            n = c->rec.send_plaintext_max;
        /* RFC 8446 section 5.5: rekey before the AEAD limit is reached. */
        if (c->rec.wr.seq >= c->rec.wr.limit && mt_send_key_update(c, 0) != 0)
            return freeze(c);
        if (mt_rec_write(&c->rec, MT_CT_APPLICATION_DATA, buf + done, n, &c->err) != 0)
            return freeze(c);
        done += n;
    }
    return (int)len;
}

int mutls_conn_key_update(mutls_conn *c, int request_peer)
{
    if (c == NULL)
        return MUTLS_ERR_INVALID_ARGUMENT;
    if (c->err.code != MUTLS_OK)
        return c->err.code;
    if (c->state != MT_ST_CONNECTED || c->close_sent)
        return MUTLS_ERR_INVALID_ARGUMENT;
    /* TLS 1.2 has no KeyUpdate (and no renegotiation in mutls): nothing
     * is sent, the connection carries on. */
    if (c->version != MUTLS_TLS1_3)
        return MUTLS_ERR_INVALID_ARGUMENT;
    if (mt_send_key_update(c, request_peer) != 0)
        return freeze(c);
    return 0;
}

int mutls_conn_close(mutls_conn *c)
{
    if (c == NULL)
        return MUTLS_ERR_INVALID_ARGUMENT;
    if (c->close_sent)
        return c->err.code != MUTLS_OK ? c->err.code : 0;
    mt_conn_send_alert(c, MT_ALERT_CLOSE_NOTIFY);
    c->close_sent = 1;
    /* RFC 8446 section 6.1: nothing may follow close_notify, so a
     * handshake in progress ends here (no Finished after it). */
    if (c->state != MT_ST_CONNECTED) {
        mt_conn_fail(c, MUTLS_ERR_CLOSED, MT_NO_ALERT, "closed by the application during the "
                     "handshake (%s)", mt_state_name(c->state));
        (void)freeze(c);
    }
    return 0;
}

uint16_t mutls_conn_version(const mutls_conn *c) { return c->version; }
uint16_t mutls_conn_cipher_suite(const mutls_conn *c) { return c->suite ? c->suite->code : 0; }
uint16_t mutls_conn_group(const mutls_conn *c) { return c->group; }
uint16_t mutls_conn_sig_scheme(const mutls_conn *c) { return c->sig_scheme; }
const char *mutls_conn_alpn(const mutls_conn *c) { return c->alpn; }
const char *mutls_conn_server_name(const mutls_conn *c)
{
    return c->role == MUTLS_SERVER ? c->sni : c->server_name;
}
int mutls_conn_did_hrr(const mutls_conn *c) { return c->did_hrr; }

int mutls_conn_set_session(mutls_conn *c, mutls_session *s)
{
    if (c == NULL || s == NULL || c->role != MUTLS_CLIENT || c->state != MT_ST_START)
        return MUTLS_ERR_INVALID_ARGUMENT;
    mutls_session_free(c->resume);
    c->resume = mt_session_up_ref(s);
    return 0;
}

mutls_session *mutls_conn_get_session(const mutls_conn *c)
{
    return c != NULL ? mt_session_up_ref(c->session) : NULL;
}

int mutls_conn_write_early_data(mutls_conn *c, const uint8_t *buf, size_t len)
{
    if (c == NULL || (buf == NULL && len > 0) || c->role != MUTLS_CLIENT ||
        c->state != MT_ST_START || c->resume == NULL || len > INT32_MAX ||
        c->early_out.len + len > mutls_session_max_early_data(c->resume))
        return MUTLS_ERR_INVALID_ARGUMENT;
    if (mt_w_bytes(&c->early_out, buf, len) != 0)
        return MUTLS_ERR_INTERNAL;
    return (int)len;
}

int mutls_conn_early_data_status(const mutls_conn *c) { return c->early_status; }
int mutls_conn_last_read_was_early(const mutls_conn *c) { return c->last_read_early; }
int mutls_conn_false_start_ready(const mutls_conn *c) { return c->false_start_ready; }
int mutls_conn_ems(const mutls_conn *c) { return c->ems; }
int mutls_conn_etm(const mutls_conn *c) { return c->etm; }
int mutls_conn_is_resumed(const mutls_conn *c) { return c->resumed; }
uint64_t mutls_conn_key_updates_sent(const mutls_conn *c) { return c->ku_sent; }
uint64_t mutls_conn_key_updates_received(const mutls_conn *c) { return c->ku_received; }
const mutls_peer *mutls_conn_peer(const mutls_conn *c) { return c->peer; }
const char *mutls_conn_peer_subject(const mutls_conn *c) { return mutls_peer_subject(c->peer); }
const char *mutls_conn_peer_issuer(const mutls_conn *c) { return mutls_peer_issuer(c->peer); }
int mutls_conn_peer_verified(const mutls_conn *c) { return mutls_peer_verified(c->peer); }
int mutls_conn_error_code(const mutls_conn *c) { return c->err.code; }
const char *mutls_conn_error(const mutls_conn *c) { return c->err.msg; }
int mutls_conn_alert_sent(const mutls_conn *c) { return c->alert_sent; }
int mutls_conn_alert_received(const mutls_conn *c) { return c->alert_received; }
