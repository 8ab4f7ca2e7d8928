/* record_size_limit (RFC 8449). */
#include "ext/ext.h"

int mt_ext_parse_record_size_limit(mt_reader *r, uint32_t msg, mt_exts *x, mt_error *e)
{
    (void)msg;
    if (mt_r_u16(r, &x->record_size_limit) != 0)
        return mt_ext_malformed(e, "record_size_limit");
    /* RFC 8449 section 4: a value below 64 is illegal_parameter. */
    if (x->record_size_limit < 64)
        return mt_fail(e, MUTLS_ERR_PROTOCOL, MT_ALERT_ILLEGAL_PARAMETER,
                       "record_size_limit %u is below the minimum of 64", x->record_size_limit);
    return 0;
}

int mt_ext_write_record_size_limit(mt_buf *b, uint16_t limit)
{
    mt_w_u16(b, MT_EXT_RECORD_SIZE_LIMIT);
    mt_w_u16(b, 2);
    return mt_w_u16(b, limit);
}
