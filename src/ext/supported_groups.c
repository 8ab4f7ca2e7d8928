/* supported_groups (RFC 8446 section 4.2.7). */
#include "ext/ext.h"

int mt_ext_parse_supported_groups(mt_reader *r, uint32_t msg, mt_exts *x, mt_error *e)
{
    mt_reader list;
    (void)msg;
    if (mt_r_vec(r, 2, 2, 0xffff, &list) != 0 || list.len % 2 != 0)
        return mt_ext_malformed(e, "supported_groups");
    x->n_groups = 0;
    while (mt_r_left(&list) > 0) {
        uint16_t g;
        (void)mt_r_u16(&list, &g);
        if (x->n_groups < MT_MAX_LIST)
            x->groups[x->n_groups++] = g;
    }
    return 0;
}

int mt_ext_write_supported_groups(mt_buf *b, const uint16_t *groups, size_t n)
{
    mt_w_u16(b, MT_EXT_SUPPORTED_GROUPS);
    size_t ext = mt_w_open(b, 2);
    size_t list = mt_w_open(b, 2);
    for (size_t i = 0; i < n; i++)
        mt_w_u16(b, groups[i]);
    mt_w_close(b, list, 2);
    return mt_w_close(b, ext, 2);
}
