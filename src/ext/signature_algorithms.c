/* signature_algorithms and signature_algorithms_cert (RFC 8446 4.2.3). */
#include "ext/ext.h"

static int parse_list(mt_reader *r, uint16_t *out, size_t *n, mt_error *e, const char *name)
{
    mt_reader list;
    if (mt_r_vec(r, 2, 2, 0xfffe, &list) != 0 || list.len % 2 != 0)
        return mt_ext_malformed(e, name);
    *n = 0;
    while (mt_r_left(&list) > 0) {
        uint16_t s;
        (void)mt_r_u16(&list, &s);
        if (*n < MT_MAX_LIST)
            out[(*n)++] = s;
    }
    return 0;
}

int mt_ext_parse_signature_algorithms(mt_reader *r, uint32_t msg, mt_exts *x, mt_error *e)
{
    (void)msg;
    return parse_list(r, x->sigs, &x->n_sigs, e, "signature_algorithms");
}

int mt_ext_parse_signature_algorithms_cert(mt_reader *r, uint32_t msg, mt_exts *x, mt_error *e)
{
    (void)msg;
    return parse_list(r, x->sigs_cert, &x->n_sigs_cert, e, "signature_algorithms_cert");
}

int mt_ext_write_signature_algorithms(mt_buf *b, uint16_t type, const uint16_t *s, size_t n)
{
    mt_w_u16(b, type);
    size_t ext = mt_w_open(b, 2);
    size_t list = mt_w_open(b, 2);
    for (size_t i = 0; i < n; i++)
        mt_w_u16(b, s[i]);
    mt_w_close(b, list, 2);
    return mt_w_close(b, ext, 2);
}
