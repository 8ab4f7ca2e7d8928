/* application_layer_protocol_negotiation (RFC 7301). */
#include <string.h>

#include "ext/ext.h"

int mt_ext_parse_alpn(mt_reader *r, uint32_t msg, mt_exts *x, mt_error *e)
{
    mt_reader list, name;
    size_t count = 0;
    if (mt_r_vec(r, 2, 2, 0xffff, &list) != 0)
        return mt_ext_malformed(e, "alpn");
    x->alpn = list.p;
    x->alpn_len = list.len;
    /* RFC 7301 section 3.1: names are non-empty. */
    while (mt_r_left(&list) > 0) {
        if (mt_r_vec(&list, 1, 1, 255, &name) != 0)
            return mt_ext_malformed(e, "alpn");
        count++;
    }
    /* RFC 7301 section 3.1: the server's answer names exactly one. */
    if (msg == MT_IN_EE && count != 1)
        return mt_fail(e, MUTLS_ERR_PROTOCOL, MT_ALERT_DECODE_ERROR,
                       "server's ALPN answer must name exactly one protocol");
    return 0;
}

int mt_ext_write_alpn(mt_buf *b, const uint8_t *protos, size_t len)
{
    mt_w_u16(b, MT_EXT_ALPN);
    size_t ext = mt_w_open(b, 2);
    size_t list = mt_w_open(b, 2);
    mt_w_bytes(b, protos, len);
    mt_w_close(b, list, 2);
    return mt_w_close(b, ext, 2);
}

int mt_ext_write_alpn_selected(mt_buf *b, const char *proto)
{
    size_t n = strlen(proto);
    mt_w_u16(b, MT_EXT_ALPN);
    size_t ext = mt_w_open(b, 2);
    size_t list = mt_w_open(b, 2);
    size_t one = mt_w_open(b, 1);
    mt_w_bytes(b, proto, n);
    mt_w_close(b, one, 1);
    mt_w_close(b, list, 2);
    return mt_w_close(b, ext, 2);
}
