/* TLS 1.2 Certificate (RFC 5246 section 7.4.2): a plain list of DER
 * certificates, no request context and no per-entry extensions. */
#include <stdio.h>
#include <string.h>

#include "tls12/tls12.h"

int mt_tls12_send_certificate(mutls_conn *c, const mt_cert_chain *chain)
{
    mt_buf *b = &c->scratch;
    char detail[600];

    size_t len_off = mt_msg_begin(c, MT_HS_CERTIFICATE);
    size_t list = mt_w_open(b, 3);
    for (size_t i = 0; chain != NULL && i < chain->n; i++) {
        size_t cd = mt_w_open(b, 3);
        mt_w_bytes(b, chain->der[i], chain->der_len[i]);
        mt_w_close(b, cd, 3);
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

int mt_tls12_parse_certificate(mutls_conn *c, mt_reader *r, mt_certificate_msg *m)
{
    mt_reader list;
    memset(m, 0, sizeof(*m));
    if (mt_r_vec(r, 3, 0, 0xffffff, &list) != 0 || mt_r_done(r) != 0)
        return MT_DECODE_ERROR(c, "Certificate");
    while (mt_r_left(&list) > 0) {
        mt_reader cert;
        if (mt_r_vec(&list, 3, 1, 0xffffff, &cert) != 0)
            return MT_DECODE_ERROR(c, "Certificate");
        if (m->n == MT_MAX_CHAIN_LEN)
            return mt_conn_fail(c, MUTLS_ERR_VERIFY, MT_ALERT_BAD_CERTIFICATE,
                                "peer sent a chain of more than %d certificates",
                                MT_MAX_CHAIN_LEN);
        m->der[m->n] = cert.p;
        m->der_len[m->n] = cert.len;
        m->n++;
    }
    return 0;
}
