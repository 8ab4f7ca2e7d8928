/* KeyUpdate (RFC 8446 section 4.6.3). */
#include "tls13/handshake.h"

static uint8_t *own_secret(mutls_conn *c)
{
    return c->role == MUTLS_CLIENT ? c->c_ap_secret : c->s_ap_secret;
}

static uint8_t *peer_secret(mutls_conn *c)
{
    return c->role == MUTLS_CLIENT ? c->s_ap_secret : c->c_ap_secret;
}

int mt_send_key_update(mutls_conn *c, int request_peer)
{
    int ret;
    size_t len_off = mt_msg_begin(c, MT_HS_KEY_UPDATE);
    mt_w_u8(&c->scratch, request_peer ? 1 : 0);
    /* Sent under the old key; everything after under the new one. */
    if ((ret = mt_msg_send(c, len_off, request_peer ? "update_requested" : "update_not_requested")) != 0)
        return ret;
    if (mt_next_traffic_secret(c->cfg->cx, c->suite->hash, own_secret(c)) != 0)
        return mt_conn_fail(c, MUTLS_ERR_INTERNAL, MT_ALERT_INTERNAL_ERROR, "key update failed");
    if ((ret = mt_install_secret(c, 1, own_secret(c))) != 0)
        return ret;
    c->ku_sent++;
    c->ku_pending = 0;
    return 0;
}

int mt_handle_key_update(mutls_conn *c, mt_reader *r, const uint8_t *msg, size_t len)
{
    uint8_t req;
    int ret;
    (void)msg;
    (void)len;
    if (mt_r_u8(r, &req) != 0 || mt_r_done(r) != 0)
        return MT_DECODE_ERROR(c, "KeyUpdate");
    /* RFC 8446 section 4.6.3: any other value is illegal_parameter. */
    if (req > 1)
        return mt_conn_fail(c, MUTLS_ERR_PROTOCOL, MT_ALERT_ILLEGAL_PARAMETER,
                            "KeyUpdate with request_update=%u", req);
    mt_trace(c, 0, MT_HS_KEY_UPDATE, "KeyUpdate", req ? "update_requested" : "update_not_requested");
    if (mt_next_traffic_secret(c->cfg->cx, c->suite->hash, peer_secret(c)) != 0)
        return mt_conn_fail(c, MUTLS_ERR_INTERNAL, MT_ALERT_INTERNAL_ERROR, "key update failed");
    if ((ret = mt_install_secret(c, 0, peer_secret(c))) != 0)
        return ret;
    c->ku_received++;
    /* RFC 8446 section 4.6.3: answer before our next application data;
     * several requests received together get a single answer, sent once
     * the records at hand are processed (mt_conn_answer_key_update). */
    if (req == 1 && !c->close_sent)
        c->ku_pending = 1;
    return 0;
}
