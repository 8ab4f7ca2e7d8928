/* pre_shared_key, psk_key_exchange_modes and early_data (RFC 8446
 * sections 4.2.11, 4.2.9, 4.2.10) and TLS 1.2's session_ticket (RFC
 * 5077). */
#include "ext/ext.h"

int mt_ext_parse_pre_shared_key(mt_reader *r, uint32_t msg, mt_exts *x, mt_error *e)
{
    mt_reader ids, binders;
    if (msg == MT_IN_SH)
        return mt_r_u16(r, &x->psk_selected) == 0 ? 0 : mt_ext_malformed(e, "pre_shared_key");
    if (mt_r_vec(r, 2, 7, 0xffff, &ids) != 0)
        return mt_ext_malformed(e, "pre_shared_key");
    size_t before = r->off;
    if (mt_r_vec(r, 2, 33, 0xffff, &binders) != 0)
        return mt_ext_malformed(e, "pre_shared_key");
    x->psk_binders_len = r->off - before;
    x->n_psk = 0;
    size_t n_ids = 0, n_binders = 0;
    while (mt_r_left(&ids) > 0) {
        mt_reader id;
        uint32_t age;
        if (mt_r_vec(&ids, 2, 1, 0xffff, &id) != 0 || mt_r_u32(&ids, &age) != 0)
            return mt_ext_malformed(e, "pre_shared_key");
        if (n_ids < MT_MAX_PSKS) {
            x->psk[n_ids].identity = id.p;
            x->psk[n_ids].len = id.len;
            x->psk[n_ids].obfuscated_age = age;
        }
        n_ids++;
    }
    while (mt_r_left(&binders) > 0) {
        mt_reader b;
        if (mt_r_vec(&binders, 1, 32, 255, &b) != 0)
            return mt_ext_malformed(e, "pre_shared_key");
        if (n_binders < MT_MAX_PSKS) {
            x->psk[n_binders].binder = b.p;
            x->psk[n_binders].binder_len = b.len;
        }
        n_binders++;
    }
    /* RFC 8446 section 4.2.11: one binder per identity. */
    if (n_ids != n_binders)
        return mt_fail(e, MUTLS_ERR_PROTOCOL, MT_ALERT_ILLEGAL_PARAMETER,
                       "pre_shared_key has %zu identities but %zu binders", n_ids, n_binders);
    x->n_psk = n_ids < MT_MAX_PSKS ? n_ids : MT_MAX_PSKS;
    return 0;
}

int mt_ext_parse_psk_modes(mt_reader *r, uint32_t msg, mt_exts *x, mt_error *e)
{
    mt_reader modes;
    uint8_t m;
    (void)msg;
    if (mt_r_vec(r, 1, 1, 255, &modes) != 0)
        return mt_ext_malformed(e, "psk_key_exchange_modes");
    while (mt_r_u8(&modes, &m) == 0)
        if (m <= 1)
            x->psk_modes |= (uint8_t)(1u << m);
    return 0;
}

int mt_ext_parse_early_data(mt_reader *r, uint32_t msg, mt_exts *x, mt_error *e)
{
    if (msg == MT_IN_NST)
        return mt_r_u32(r, &x->max_early_data) == 0 ? 0 : mt_ext_malformed(e, "early_data");
    return mt_r_left(r) == 0 ? 0 : mt_ext_malformed(e, "early_data");
}

int mt_ext_parse_session_ticket(mt_reader *r, uint32_t msg, mt_exts *x, mt_error *e)
{
    const uint8_t *p;
    size_t n = mt_r_left(r);
    (void)e;
    /* A server's answer is empty; a client's carries its ticket, if any. */
    if (msg == MT_IN_SH12 && n != 0)
        return mt_ext_malformed(e, "session_ticket");
    (void)mt_r_bytes(r, n, &p);
    x->session_ticket = p;
    x->session_ticket_len = n;
    return 0;
}

int mt_ext_write_pre_shared_key_ch(mt_buf *b, const uint8_t *identity, size_t len,
                                   uint32_t obfuscated_age, size_t binder_len)
{
    static const uint8_t zeros[255];
    mt_w_u16(b, MT_EXT_PRE_SHARED_KEY);
    size_t ext = mt_w_open(b, 2);
    size_t ids = mt_w_open(b, 2);
    size_t id = mt_w_open(b, 2);
    mt_w_bytes(b, identity, len);
    mt_w_close(b, id, 2);
    mt_w_u32(b, obfuscated_age);
    mt_w_close(b, ids, 2);
    size_t binders = mt_w_open(b, 2);
    size_t one = mt_w_open(b, 1);
    mt_w_bytes(b, zeros, binder_len);
    mt_w_close(b, one, 1);
    mt_w_close(b, binders, 2);
    return mt_w_close(b, ext, 2);
}

int mt_ext_write_pre_shared_key_sh(mt_buf *b, uint16_t selected)
{
    mt_w_u16(b, MT_EXT_PRE_SHARED_KEY);
    mt_w_u16(b, 2);
    return mt_w_u16(b, selected);
}

int mt_ext_write_psk_modes(mt_buf *b, int psk_ke, int psk_dhe_ke)
{
    mt_w_u16(b, MT_EXT_PSK_KEY_EXCHANGE_MODES);
    mt_w_u16(b, (uint16_t)(1 + (psk_ke != 0) + (psk_dhe_ke != 0)));
    mt_w_u8(b, (uint8_t)((psk_ke != 0) + (psk_dhe_ke != 0)));
    if (psk_dhe_ke)
        mt_w_u8(b, 1);
    if (psk_ke)
        mt_w_u8(b, 0);
    return b->err ? -1 : 0;
}

int mt_ext_write_early_data(mt_buf *b, int with_max, uint32_t max)
{
    mt_w_u16(b, MT_EXT_EARLY_DATA);
    mt_w_u16(b, with_max ? 4 : 0);
    if (with_max)
        mt_w_u32(b, max);
    return b->err ? -1 : 0;
}

int mt_ext_write_session_ticket(mt_buf *b, const uint8_t *ticket, size_t len)
{
    mt_w_u16(b, MT_EXT_SESSION_TICKET);
    size_t ext = mt_w_open(b, 2);
    mt_w_bytes(b, ticket, len);
    return mt_w_close(b, ext, 2);
}
