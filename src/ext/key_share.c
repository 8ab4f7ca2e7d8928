/* key_share (RFC 8446 section 4.2.8): a list in a ClientHello, the
 * selected group in a HelloRetryRequest, one entry in a ServerHello. */
#include "ext/ext.h"

static int read_entry(mt_reader *r, mt_key_share *ks)
{
    mt_reader pub;
    if (mt_r_u16(r, &ks->group) != 0 || mt_r_vec(r, 2, 1, 0xffff, &pub) != 0)
        return -1;
    ks->pub = pub.p;
    ks->len = pub.len;
    return 0;
}

int mt_ext_parse_key_share(mt_reader *r, uint32_t msg, mt_exts *x, mt_error *e)
{
    if (msg == MT_IN_HRR)
        return mt_r_u16(r, &x->hrr_group) == 0 ? 0 : mt_ext_malformed(e, "key_share");
    if (msg == MT_IN_SH) {
        x->n_shares = 1;
        return read_entry(r, &x->shares[0]) == 0 ? 0 : mt_ext_malformed(e, "key_share");
    }
    mt_reader list;
    uint16_t seen[MT_MAX_LIST];
    size_t n_seen = 0;
    if (mt_r_vec(r, 2, 0, 0xffff, &list) != 0)
        return mt_ext_malformed(e, "key_share");
    x->n_shares = 0;
    while (mt_r_left(&list) > 0) {
        mt_key_share ks;
        if (read_entry(&list, &ks) != 0)
            return mt_ext_malformed(e, "key_share");
        /* RFC 8446 section 4.2.8: no two entries for the same group. */
        for (size_t i = 0; i < n_seen; i++)
            if (seen[i] == ks.group)
                return mt_fail(e, MUTLS_ERR_PROTOCOL, MT_ALERT_ILLEGAL_PARAMETER,
                               "key_share lists group 0x%04x twice", ks.group);
        /* Far more entries than there are groups is not a real client. */
        if (n_seen == MT_MAX_LIST)
            return mt_fail(e, MUTLS_ERR_PROTOCOL, MT_ALERT_ILLEGAL_PARAMETER,
                           "key_share lists more than %d entries", MT_MAX_LIST);
        seen[n_seen++] = ks.group;
        if (x->n_shares < MT_MAX_SHARES)
            x->shares[x->n_shares++] = ks;
    }
    return 0;
}

int mt_ext_write_key_share_ch(mt_buf *b, const uint16_t *groups, const uint8_t *const *pubs,
                              const size_t *lens, size_t n)
{
    mt_w_u16(b, MT_EXT_KEY_SHARE);
    size_t ext = mt_w_open(b, 2);
    size_t list = mt_w_open(b, 2);
    for (size_t i = 0; i < n; i++) {
        mt_w_u16(b, groups[i]);
        size_t k = mt_w_open(b, 2);
        mt_w_bytes(b, pubs[i], lens[i]);
        mt_w_close(b, k, 2);
    }
    mt_w_close(b, list, 2);
    return mt_w_close(b, ext, 2);
}

int mt_ext_write_key_share_sh(mt_buf *b, uint16_t group, const uint8_t *pub, size_t len)
{
    mt_w_u16(b, MT_EXT_KEY_SHARE);
    size_t ext = mt_w_open(b, 2);
    mt_w_u16(b, group);
    size_t k = mt_w_open(b, 2);
    mt_w_bytes(b, pub, len);
    mt_w_close(b, k, 2);
    return mt_w_close(b, ext, 2);
}

int mt_ext_write_key_share_hrr(mt_buf *b, uint16_t group)
{
    mt_w_u16(b, MT_EXT_KEY_SHARE);
    mt_w_u16(b, 2);
    return mt_w_u16(b, group);
}
