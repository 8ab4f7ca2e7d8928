/* TLS 1.2 ServerKeyExchange for ECDHE (RFC 8422 section 5.4). */
#include <stdio.h>
#include <string.h>

#include "tls12/tls12.h"

/* ServerECDHParams: curve_type named_curve (3), the group, the point. */
static void write_params(mt_buf *b, uint16_t group, const uint8_t *pub, size_t len)
{
    mt_w_u8(b, 3);
    mt_w_u16(b, group);
    mt_w_u8(b, (uint8_t)len);
    mt_w_bytes(b, pub, len);
}

/* The signed content: client_random + server_random + params. */
static int signed_content(mutls_conn *c, mt_buf *out, uint16_t group, const uint8_t *pub,
                          size_t len)
{
    mt_w_bytes(out, c->hs->client_random, 32);
    mt_w_bytes(out, c->hs->server_random, 32);
    write_params(out, group, pub, len);
    return out->err ? -1 : 0;
}

int mt_tls12_send_server_key_exchange(mutls_conn *c)
{
    mt_handshake *hs = c->hs;
    uint8_t pub[MT_MAX_KX_PUB];
    size_t pub_len = sizeof(pub);
    mt_buf content, sig;
    char detail[200];
    int ret;

    if (mt_kx_generate(c->cfg->cx, hs->group12, &c->cfg->rng, &hs->kx12, pub, &pub_len) != 0)
        return mt_conn_fail(c, MUTLS_ERR_INTERNAL, MT_ALERT_INTERNAL_ERROR,
                            "could not generate a %s key", mutls_group_name(hs->group12));
    mt_buf_init(&content);
    mt_buf_init(&sig);
    if (signed_content(c, &content, hs->group12, pub, pub_len) != 0 ||
        mt_sign(c->cfg->cx, hs->chain->key, hs->ske_sig, content.data, content.len, &sig) != 0) {
        mt_buf_free(&content);
        mt_buf_free(&sig);
        return mt_conn_fail(c, MUTLS_ERR_INTERNAL, MT_ALERT_INTERNAL_ERROR,
                            "signing ServerKeyExchange with %s failed", hs->ske_sig->name);
    }
    size_t len_off = mt_msg_begin(c, MT_HS_SERVER_KEY_EXCHANGE);
    write_params(&c->scratch, hs->group12, pub, pub_len);
    mt_w_u16(&c->scratch, hs->ske_sig->code);
    size_t v = mt_w_open(&c->scratch, 2);
    mt_w_bytes(&c->scratch, sig.data, sig.len);
    mt_w_close(&c->scratch, v, 2);
    snprintf(detail, sizeof(detail), "ECDHE group=%s public key %zu bytes, signed with %s",
             mutls_group_name(hs->group12), pub_len, hs->ske_sig->name);
    mt_buf_free(&content);
    mt_buf_free(&sig);
    ret = mt_msg_send(c, len_off, detail);
    c->group = hs->group12;
    return ret;
}

int mt_tls12_handle_server_key_exchange(mutls_conn *c, mt_reader *r)
{
    mt_handshake *hs = c->hs;
    uint8_t curve_type;
    uint16_t group, code;
    mt_reader point, sig;
    mt_buf content;
    int offered = 0, ok;
    char detail[200];

    if (mt_r_u8(r, &curve_type) != 0 || mt_r_u16(r, &group) != 0 ||
        mt_r_vec(r, 1, 1, 255, &point) != 0 || mt_r_u16(r, &code) != 0 ||
        mt_r_vec(r, 2, 1, 0xffff, &sig) != 0 || mt_r_done(r) != 0)
        return MT_DECODE_ERROR(c, "ServerKeyExchange");
    for (size_t i = 0; i < c->cfg->n_groups; i++)
        offered |= c->cfg->groups[i] == group;
    /* RFC 8422 section 5.4: a named curve the client listed. */
    if (curve_type != 3 || !offered)
        return mt_conn_fail(c, MUTLS_ERR_PROTOCOL, MT_ALERT_ILLEGAL_PARAMETER,
                            "server chose ECDHE group 0x%04x, which was not offered", group);
    if (point.len > sizeof(hs->peer_pub))
        return mt_conn_fail(c, MUTLS_ERR_PROTOCOL, MT_ALERT_ILLEGAL_PARAMETER,
                            "server's ECDHE public key is too long");

    const mt_sig_scheme *s = mt_sig_scheme_find(code);
    mt_pkey *key = mt_x509_public_key(hs->peer_leaf);
    int allowed = 0;
    for (size_t i = 0; i < c->cfg->n_sigs; i++)
        allowed |= c->cfg->sigs[i] == code;
    if (key == NULL || s == NULL || !allowed || !mt_tls12_scheme_ok(s, key, c->suite)) {
        mt_pkey_free(key);
        return mt_conn_fail(c, MUTLS_ERR_PROTOCOL, MT_ALERT_ILLEGAL_PARAMETER,
                            "server signed ServerKeyExchange with %s (0x%04x), which was not "
                            "offered or does not fit its certificate", s ? s->name : "?", code);
    }
    mt_buf_init(&content);
    ok = signed_content(c, &content, group, point.p, point.len) == 0 &&
         mt_verify(c->cfg->cx, key, s, content.data, content.len, sig.p, sig.len) == 0;
    mt_buf_free(&content);
    mt_pkey_free(key);
    if (!ok)
        return mt_conn_fail(c, MUTLS_ERR_PROTOCOL, MT_ALERT_DECRYPT_ERROR,
                            "server ServerKeyExchange signature (%s) does not verify with the "
                            "key of its certificate", s->name);
    hs->group12 = group;
    c->group = group;
    c->sig_scheme = code;
    memcpy(hs->peer_pub, point.p, point.len);
    hs->peer_pub_len = point.len;
    snprintf(detail, sizeof(detail), "ECDHE group=%s, signed with %s, signature valid",
             mutls_group_name(group), s->name);
    mt_trace(c, 0, MT_HS_SERVER_KEY_EXCHANGE, "ServerKeyExchange", detail);
    return 0;
}
