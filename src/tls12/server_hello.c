/* TLS 1.2 ServerHello (RFC 5246 section 7.4.1.3), sent by the server. */
#include <stdio.h>
#include <string.h>

#include "tls12/tls12.h"

const uint8_t mt_downgrade_tls12[8] = {0x44, 0x4f, 0x57, 0x4e, 0x47, 0x52, 0x44, 0x01};

int mt_tls12_send_server_hello(mutls_conn *c, const mt_client_hello *ch)
{
    mt_handshake *hs = c->hs;
    mt_buf *b = &c->scratch;
    char detail[256];

    if (mt_random(&c->cfg->rng, hs->server_random, 32) != 0)
        return mt_conn_fail(c, MUTLS_ERR_INTERNAL, MT_ALERT_INTERNAL_ERROR, "no randomness");
    /* RFC 8446 section 4.1.3: a TLS 1.3 server that negotiates TLS 1.2
     * says so in its random, so that a TLS 1.3 client detects a forced
     * downgrade. */
    if (c->cfg->max_version >= MUTLS_TLS1_3)
        memcpy(hs->server_random + 24, mt_downgrade_tls12, 8);

    size_t len_off = mt_msg_begin(c, MT_HS_SERVER_HELLO);
    mt_w_u16(b, MUTLS_TLS1_2);
    mt_w_bytes(b, hs->server_random, 32);
    size_t sid = mt_w_open(b, 1); /* the session ID: empty unless resumable */
    mt_w_bytes(b, hs->session_id12, hs->session_id12_len);
    mt_w_close(b, sid, 1);
    mt_w_u16(b, c->suite->code);
    mt_w_u8(b, 0);
    size_t ext = mt_w_open(b, 2);
    /* RFC 5746 section 3.6: answer the client's signalling. */
    mt_ext_write_renegotiation_info(b);
    if (c->ems)
        mt_ext_write_empty(b, MT_EXT_EXTENDED_MASTER_SECRET);
    if (hs->ticket12_wanted)
        mt_ext_write_session_ticket(b, NULL, 0);
    if (c->etm)
        mt_ext_write_empty(b, MT_EXT_ENCRYPT_THEN_MAC);
    if (c->suite->kx == MT_KX_ECDHE && mt_exts_has(&ch->ext, MT_EXT_EC_POINT_FORMATS))
        mt_ext_write_ec_point_formats(b);
    if (c->sni != NULL)
        mt_ext_write_server_name_ack(b);
    if (c->alpn != NULL)
        mt_ext_write_alpn_selected(b, c->alpn);
    /* RFC 8449 section 4: in TLS 1.2 the limit excludes the type byte
     * (our configured limit counts it, as in TLS 1.3), and no value below
     * 64 may be sent. The record layer holds the client to it. */
    if (mt_exts_has(&ch->ext, MT_EXT_RECORD_SIZE_LIMIT)) {
        uint16_t own = c->cfg->record_size_limit ? (uint16_t)(c->cfg->record_size_limit - 1)
                                                 : MT_MAX_PLAINTEXT;
        if (own < 64)
            own = 64;
        mt_ext_write_record_size_limit(b, own);
        c->rec.recv_inner_max = (size_t)own + 1;
    }
    mt_w_close(b, ext, 2);
    if (b->err)
        return mt_conn_fail(c, MUTLS_ERR_INTERNAL, MT_ALERT_INTERNAL_ERROR, "out of memory");
    snprintf(detail, sizeof(detail), "version=TLSv1.2 suite=%s ems=%s etm=%s alpn=%s%s%s",
             c->suite->name, c->ems ? "yes" : "no", c->etm ? "yes" : "no",
             c->alpn ? c->alpn : "-", hs->resume12 ? " resumed" : "",
             hs->ticket12_wanted ? " ticket" : "");
    return mt_msg_send(c, len_off, detail);
}
