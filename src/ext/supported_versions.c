/* supported_versions (RFC 8446 section 4.2.1). */
#include "ext/ext.h"

int mt_ext_parse_supported_versions(mt_reader *r, uint32_t msg, mt_exts *x, mt_error *e)
{
    if (msg != MT_IN_CH)
        return mt_r_u16(r, &x->selected_version) == 0 ? 0
                                                      : mt_ext_malformed(e, "supported_versions");
    mt_reader list;
    if (mt_r_vec(r, 1, 2, 254, &list) != 0 || list.len % 2 != 0)
        return mt_ext_malformed(e, "supported_versions");
    x->n_versions = 0;
    while (mt_r_left(&list) > 0) {
        uint16_t v;
        (void)mt_r_u16(&list, &v);
        if (x->n_versions < MT_MAX_LIST)
            x->versions[x->n_versions++] = v;
    }
    return 0;
}

int mt_ext_write_supported_versions_ch(mt_buf *b, const uint16_t *v, size_t n)
{
    mt_w_u16(b, MT_EXT_SUPPORTED_VERSIONS);
    size_t ext = mt_w_open(b, 2);
    size_t list = mt_w_open(b, 1);
    for (size_t i = 0; i < n; i++)
        mt_w_u16(b, v[i]);
    mt_w_close(b, list, 1);
    return mt_w_close(b, ext, 2);
}

int mt_ext_write_supported_versions_sh(mt_buf *b, uint16_t v)
{
    mt_w_u16(b, MT_EXT_SUPPORTED_VERSIONS);
    mt_w_u16(b, 2);
    return mt_w_u16(b, v);
}
