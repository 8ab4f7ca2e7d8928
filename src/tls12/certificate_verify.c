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
