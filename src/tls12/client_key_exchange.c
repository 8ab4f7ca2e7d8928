/* TLS 1.2 ClientKeyExchange: an ECDHE public key (RFC 8422 section 5.7)
 * or an RSA-encrypted premaster secret (RFC 5246 section 7.4.7.1). The
 * premaster secret lives in the handshake state only until the master
 * secret is derived. */
#include <stdio.h>
#include <string.h>

#include "tls12/tls12.h"

#define PMS_MAX 48

static int send_ecdhe(mutls_conn *c, uint8_t *pms, size_t *pms_len)
{
    mt_handshake *hs = c->hs;
    uint8_t pub[MT_MAX_KX_PUB];
    size_t pub_len = sizeof(pub);
    char detail[96];

    if (mt_kx_generate(c->cfg->cx, hs->group12, &c->cfg->rng, &hs->kx12, pub, &pub_len) != 0)
        return mt_conn_fail(c, MUTLS_ERR_INTERNAL, MT_ALERT_INTERNAL_ERROR,
                            "could not generate a %s key", mutls_group_name(hs->group12));
    if (mt_kx_derive(hs->kx12, hs->peer_pub, hs->peer_pub_len, pms, pms_len) != 0)
        return mt_conn_fail(c, MUTLS_ERR_PROTOCOL, MT_ALERT_ILLEGAL_PARAMETER,
                            "server's %s public key is invalid", mutls_group_name(hs->group12));
    size_t len_off = mt_msg_begin(c, MT_HS_CLIENT_KEY_EXCHANGE);
    mt_w_u8(&c->scratch, (uint8_t)pub_len);
    mt_w_bytes(&c->scratch, pub, pub_len);
    snprintf(detail, sizeof(detail), "ECDHE public key (%zu bytes, %s)", pub_len,
             mutls_group_name(hs->group12));
    return mt_msg_send(c, len_off, detail);
}

static int send_rsa(mutls_conn *c, uint8_t *pms, size_t *pms_len)
{
    mt_buf ct;
    mt_pkey *key = mt_x509_public_key(c->hs->peer_leaf);
    char detail[96];
    int ret;

    /* RFC 5246 7.4.7.1: client_version (the version offered) + 46 random
     * bytes. */
    pms[0] = 3;
    pms[1] = 3;
    *pms_len = 48;
    mt_buf_init(&ct);
    if (key == NULL || mt_random(&c->cfg->rng, pms + 2, 46) != 0 ||
        mt_rsa_encrypt_premaster(c->cfg->cx, key, pms, &ct) != 0) {
        mt_pkey_free(key);
        mt_buf_free(&ct);
        return mt_conn_fail(c, MUTLS_ERR_INTERNAL, MT_ALERT_INTERNAL_ERROR,
                            "could not encrypt the premaster secret to the server's RSA key");
    }
    mt_pkey_free(key);
    size_t len_off = mt_msg_begin(c, MT_HS_CLIENT_KEY_EXCHANGE);
    size_t v = mt_w_open(&c->scratch, 2);
    mt_w_bytes(&c->scratch, ct.data, ct.len);
    mt_w_close(&c->scratch, v, 2);
    snprintf(detail, sizeof(detail), "RSA-encrypted premaster secret (%zu bytes)", ct.len);
    mt_buf_free(&ct);
    ret = mt_msg_send(c, len_off, detail);
    return ret;
}

int mt_tls12_send_client_key_exchange(mutls_conn *c)
{
    uint8_t pms[PMS_MAX];
    size_t pms_len = sizeof(pms);
    int ret = c->suite->kx == MT_KX_RSA ? send_rsa(c, pms, &pms_len) : send_ecdhe(c, pms, &pms_len);
    if (ret == 0)
        ret = mt_tls12_derive_keys(c, pms, pms_len);
    mt_wipe(pms, sizeof(pms));
    return ret;
}

int mt_tls12_parse_client_key_exchange(mutls_conn *c, mt_reader *r, uint8_t *pms,
                                       size_t *pms_len)
{
    mt_handshake *hs = c->hs;
    mt_reader v;
    char detail[96];

    if (c->suite->kx == MT_KX_RSA) {
        if (mt_r_vec(r, 2, 0, 0xffff, &v) != 0 || mt_r_done(r) != 0)
            return MT_DECODE_ERROR(c, "ClientKeyExchange");
        /* Implicit rejection: a bad ciphertext yields a random premaster
         * secret and the handshake fails at Finished, exactly as for a
         * good ciphertext with a wrong key (RFC 5246 7.4.7.1). */
        if (mt_rsa_decrypt_premaster(c->cfg->cx, hs->chain->key, v.p, v.len, hs->client_version,
                                     pms) != 0)
            return mt_conn_fail(c, MUTLS_ERR_INTERNAL, MT_ALERT_INTERNAL_ERROR,
                                "RSA decryption failed");
        *pms_len = 48;
        snprintf(detail, sizeof(detail), "RSA-encrypted premaster secret (%zu bytes)", v.len);
    } else {
        if (mt_r_vec(r, 1, 1, 255, &v) != 0 || mt_r_done(r) != 0)
            return MT_DECODE_ERROR(c, "ClientKeyExchange");
        if (mt_kx_derive(hs->kx12, v.p, v.len, pms, pms_len) != 0)
            return mt_conn_fail(c, MUTLS_ERR_PROTOCOL, MT_ALERT_ILLEGAL_PARAMETER,
                                "client's %s public key is invalid", mutls_group_name(hs->group12));
        snprintf(detail, sizeof(detail), "ECDHE public key (%zu bytes, %s)", v.len,
                 mutls_group_name(hs->group12));
    }
    mt_trace(c, 0, MT_HS_CLIENT_KEY_EXCHANGE, "ClientKeyExchange", detail);
    return 0;
}
