/* CertificateVerify (RFC 8446 section 4.4.3). */
#include <stdio.h>
#include <string.h>

#include "tls13/handshake.h"

/* 64 spaces, the context string, a zero byte, the transcript hash. */
static size_t signed_content(mutls_conn *c, int server, uint8_t *out, const uint8_t *th,
                             size_t hlen)
{
    static const char server_ctx[] = "TLS 1.3, server CertificateVerify";
    static const char client_ctx[] = "TLS 1.3, client CertificateVerify";
    const char *ctx = server ? server_ctx : client_ctx;
    size_t n = 0;
    (void)c;
    memset(out, 0x20, 64);
    n = 64;
    memcpy(out + n, ctx, sizeof(server_ctx)); /* includes the 0 byte */
    n += sizeof(server_ctx);
    memcpy(out + n, th, hlen);
    return n + hlen;
}

int mt_send_certificate_verify(mutls_conn *c, const mt_pkey *key, const mt_sig_scheme *s)
{
    uint8_t th[MT_MAX_HASH], content[64 + 34 + MT_MAX_HASH];
    mt_buf sig;
    mt_buf *b = &c->scratch;
    char detail[128];
    int ret;

    if (mt_transcript_hash(c, th) != 0)
        return mt_conn_fail(c, MUTLS_ERR_INTERNAL, MT_ALERT_INTERNAL_ERROR, "transcript failure");
    size_t n = signed_content(c, c->role == MUTLS_SERVER, content, th, mt_hash_size(c->suite->hash));
    mt_buf_init(&sig);
    if (mt_sign(c->cfg->cx, key, s, content, n, &sig) != 0) {
        mt_buf_free(&sig);
        return mt_conn_fail(c, MUTLS_ERR_INTERNAL, MT_ALERT_INTERNAL_ERROR,
                            "signing CertificateVerify with %s failed", s->name);
    }
    size_t len_off = mt_msg_begin(c, MT_HS_CERTIFICATE_VERIFY);
    mt_w_u16(b, s->code);
    size_t v = mt_w_open(b, 2);
    mt_w_bytes(b, sig.data, sig.len);
    mt_w_close(b, v, 2);
    snprintf(detail, sizeof(detail), "scheme=%s (%zu-byte signature)", s->name, sig.len);
    mt_buf_free(&sig);
    if (b->err)
        return mt_conn_fail(c, MUTLS_ERR_INTERNAL, MT_ALERT_INTERNAL_ERROR, "out of memory");
    ret = mt_msg_send(c, len_off, detail);
    return ret;
}

int mt_check_certificate_verify(mutls_conn *c, mt_reader *r, const mt_pkey *peer_key,
                                const uint16_t *allowed, size_t n_allowed)
{
    uint16_t code;
    mt_reader sig;
    uint8_t th[MT_MAX_HASH], content[64 + 34 + MT_MAX_HASH];
    const mt_sig_scheme *s;
    int ok = 0;

    if (mt_r_u16(r, &code) != 0 || mt_r_vec(r, 2, 1, 0xffff, &sig) != 0 || mt_r_done(r) != 0)
        return MT_DECODE_ERROR(c, "CertificateVerify");
    for (size_t i = 0; i < n_allowed; i++)
        ok |= allowed[i] == code;
    s = mt_sig_scheme_find(code);
    /* RFC 8446 section 4.4.3: the scheme must be one we offered, usable
     * in TLS 1.3 and consistent with the certificate's key. */
    if (!ok || s == NULL || !s->handshake_ok)
        return mt_conn_fail(c, MUTLS_ERR_PROTOCOL, MT_ALERT_ILLEGAL_PARAMETER,
                            "peer signed CertificateVerify with %s (0x%04x), which was not offered",
                            s ? s->name : "an unknown scheme", code);
    if (!mt_sig_scheme_fits_key(s, peer_key))
        return mt_conn_fail(c, MUTLS_ERR_PROTOCOL, MT_ALERT_ILLEGAL_PARAMETER,
                            "peer signed CertificateVerify with %s, which does not fit its %s "
                            "certificate key", s->name, mt_key_type_name(mt_pkey_type(peer_key)));
    if (mt_transcript_hash(c, th) != 0)
        return mt_conn_fail(c, MUTLS_ERR_INTERNAL, MT_ALERT_INTERNAL_ERROR, "transcript failure");
    size_t n = signed_content(c, c->role == MUTLS_CLIENT, content, th, mt_hash_size(c->suite->hash));
    if (mt_verify(c->cfg->cx, peer_key, s, content, n, sig.p, sig.len) != 0)
        return mt_conn_fail(c, MUTLS_ERR_PROTOCOL, MT_ALERT_DECRYPT_ERROR,
                            "%s CertificateVerify signature (%s) does not verify with the key of "
                            "its certificate", c->role == MUTLS_CLIENT ? "server" : "client",
                            s->name);
    c->sig_scheme = code;
    return 0;
}
