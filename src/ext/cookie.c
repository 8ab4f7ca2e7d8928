/* cookie (RFC 8446 section 4.2.2). */
#include "ext/ext.h"

int mt_ext_parse_cookie(mt_reader *r, uint32_t msg, mt_exts *x, mt_error *e)
{
    mt_reader c;
    (void)msg;
    if (mt_r_vec(r, 2, 1, 0xffff, &c) != 0)
        return mt_ext_malformed(e, "cookie");
    x->cookie = c.p;
    x->cookie_len = c.len;
    return 0;
}

int mt_ext_write_cookie(mt_buf *b, const uint8_t *cookie, size_t len)
{
    mt_w_u16(b, MT_EXT_COOKIE);
    size_t ext = mt_w_open(b, 2);
    size_t c = mt_w_open(b, 2);
    mt_w_bytes(b, cookie, len);
    mt_w_close(b, c, 2);
    return mt_w_close(b, ext, 2);
}
