/* certificate_authorities (RFC 8446 section 4.2.4): the DistinguishedNames
 * of the CAs a peer accepts. */
#include "ext/ext.h"

int mt_ext_parse_certificate_authorities(mt_reader *r, uint32_t msg, mt_exts *x, mt_error *e)
{
    mt_reader list, name;
    (void)msg;
    if (mt_r_vec(r, 2, 3, 0xffff, &list) != 0)
        return mt_ext_malformed(e, "certificate_authorities");
    x->ca_names = list.p;
    x->ca_names_len = list.len;
    /* Each entry is DistinguishedName<1..2^16-1>; its DER is checked by
     * whoever matches it against certificates. */
    while (mt_r_left(&list) > 0)
        if (mt_r_vec(&list, 2, 1, 0xffff, &name) != 0)
            return mt_ext_malformed(e, "certificate_authorities");
    return 0;
}

int mt_ext_write_certificate_authorities(mt_buf *b, const uint8_t *names, size_t len)
{
    mt_w_u16(b, MT_EXT_CERTIFICATE_AUTHORITIES);
    size_t ext = mt_w_open(b, 2);
    size_t list = mt_w_open(b, 2);
    mt_w_bytes(b, names, len);
    mt_w_close(b, list, 2);
    return mt_w_close(b, ext, 2);
}
