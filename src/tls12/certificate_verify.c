/* TLS 1.2 CertificateVerify (RFC 5246 section 7.4.8), client side: a
 * signature over every handshake message so far. */
#include <stdio.h>

#include "tls12/tls12.h"

int mt_tls12_send_certificate_verify(mutls_conn *c)
{
    mt_handshake *hs = c->hs;
    mt_buf sig;
    char detail[96];
    int ret;

    mt_buf_init(&sig);
    if (mt_sign(c->cfg->cx, hs->chain->key, hs->client_sig, hs->raw_transcript.data,
                hs->raw_transcript.len, &sig) != 0) {
        mt_buf_free(&sig);
        return mt_conn_fail(c, MUTLS_ERR_INTERNAL, MT_ALERT_INTERNAL_ERROR,
                            "signing CertificateVerify with %s failed", hs->client_sig->name);
    }
    size_t len_off = mt_msg_begin(c, MT_HS_CERTIFICATE_VERIFY);
    mt_w_u16(&c->scratch, hs->client_sig->code);
    size_t v = mt_w_open(&c->scratch, 2);
    mt_w_bytes(&c->scratch, sig.data, sig.len);
    mt_w_close(&c->scratch, v, 2);
    snprintf(detail, sizeof(detail), "scheme=%s (%zu-byte signature)", hs->client_sig->name,
             sig.len);
    mt_buf_free(&sig);
    ret = mt_msg_send(c, len_off, detail);
    return ret;
}

int mt_tls12_check_certificate_verify(mutls_conn *c, mt_reader *r)
{
    mt_handshake *hs = c->hs;
    uint16_t code;
    mt_reader sig;
    mt_pkey *key;
    const mt_sig_scheme *s;
    int offered = 0, ok;
    char detail[96];

    if (mt_r_u16(r, &code) != 0 || mt_r_vec(r, 2, 1, 0xffff, &sig) != 0 || mt_r_done(r) != 0)
        return MT_DECODE_ERROR(c, "CertificateVerify");
    s = mt_sig_scheme_find(code);
    for (size_t i = 0; i < c->cfg->n_sigs; i++)
        offered |= c->cfg->sigs[i] == code;
    key = mt_x509_public_key(hs->peer_leaf);
    /* RFC 5246 7.4.8: a scheme from our CertificateRequest that the
     * client's key can make. */
    if (key == NULL || s == NULL || !offered || s->hash == MT_SHA1 ||
        !mt_sig_scheme_fits_key_tls12(s, key)) {
        mt_pkey_free(key);
        return mt_conn_fail(c, MUTLS_ERR_PROTOCOL, MT_ALERT_ILLEGAL_PARAMETER,
                            "client signed CertificateVerify with %s (0x%04x), which was not "
                            "offered or does not fit its certificate", s ? s->name : "?", code);
    }
    ok = mt_verify(c->cfg->cx, key, s, hs->raw_transcript.data, hs->raw_transcript.len, sig.p,
                   sig.len) == 0;
    mt_pkey_free(key);
    if (!ok) {
        mt_conn_fail(c, MUTLS_ERR_PROTOCOL, MT_ALERT_DECRYPT_ERROR,
                     "client CertificateVerify signature (%s) does not verify with the key of "
                     "its certificate", s->name);
        mt_peer_set_verified(c->peer, 0, c->err.msg);
        return c->err.code;
    }
    snprintf(detail, sizeof(detail), "scheme=%s, signature valid", s->name);
    mt_trace(c, 0, MT_HS_CERTIFICATE_VERIFY, "CertificateVerify", detail);
    return 0;
}
