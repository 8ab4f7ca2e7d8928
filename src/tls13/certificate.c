/* Certificate (RFC 8446 section 4.4.2). */
#include <stdio.h>
#include <string.h>

#include "tls13/handshake.h"

int mt_send_certificate(mutls_conn *c, const mt_cert_chain *chain)
{
    mt_buf *b = &c->scratch;
    char detail[600];

    size_t len_off = mt_msg_begin(c, MT_HS_CERTIFICATE);
    size_t ctx = mt_w_open(b, 1);
    if (c->role == MUTLS_CLIENT)
        mt_w_bytes(b, c->hs->cr_context, c->hs->cr_context_len);
    mt_w_close(b, ctx, 1);
    size_t list = mt_w_open(b, 3);
    for (size_t i = 0; chain != NULL && i < chain->n; i++) {
        size_t cd = mt_w_open(b, 3);
        mt_w_bytes(b, chain->der[i], chain->der_len[i]);
        mt_w_close(b, cd, 3);
        mt_w_u16(b, 0); /* no per-certificate extensions */
    }
    mt_w_close(b, list, 3);
    if (b->err)
        return mt_conn_fail(c, MUTLS_ERR_INTERNAL, MT_ALERT_INTERNAL_ERROR, "out of memory");
    if (chain != NULL)
        snprintf(detail, sizeof(detail), "%zu certificate(s), subject %s, key %s", chain->n,
                 chain->subject, mt_key_type_name(mt_pkey_type(chain->key)));
    else
        snprintf(detail, sizeof(detail), "empty (no certificate)");
    return mt_msg_send(c, len_off, detail);
}

int mt_parse_certificate(mutls_conn *c, mt_reader *r, mt_certificate_msg *m)
{
    mt_reader ctx, list;
    memset(m, 0, sizeof(*m));
    if (mt_r_vec(r, 1, 0, 255, &ctx) != 0 || mt_r_vec(r, 3, 0, 0xffffff, &list) != 0 ||
        mt_r_done(r) != 0)
        return MT_DECODE_ERROR(c, "Certificate");
    m->context = ctx.p;
    m->context_len = ctx.len;
    while (mt_r_left(&list) > 0) {
        mt_reader cert, ext;
        if (mt_r_vec(&list, 3, 1, 0xffffff, &cert) != 0 || mt_r_vec(&list, 2, 0, 0xffff, &ext) != 0)
            return MT_DECODE_ERROR(c, "Certificate");
        if (m->n == MT_MAX_CHAIN_LEN)
            return mt_conn_fail(c, MUTLS_ERR_VERIFY, MT_ALERT_BAD_CERTIFICATE,
                                "peer sent a chain of more than %d certificates",
                                MT_MAX_CHAIN_LEN);
        /* We request neither OCSP nor SCTs; any entry extension is one we
         * did not offer (RFC 8446 section 4.4.2). */
        mt_exts x;
        memset(&x, 0, sizeof(x));
        if (mt_exts_parse(&ext, MT_IN_CT, 0, &x, &c->err) != 0)
            return c->err.code;
        m->der[m->n] = cert.p;
        m->der_len[m->n] = cert.len;
        m->n++;
    }
    return 0;
}
