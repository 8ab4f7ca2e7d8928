/* Extensions only TLS 1.2 uses: ec_point_formats (RFC 8422 5.1.2),
 * extended_master_secret (RFC 7627), encrypt_then_mac (RFC 7366) and
 * renegotiation_info (RFC 5746). */
#include "ext/ext.h"

int mt_ext_parse_ec_point_formats(mt_reader *r, uint32_t msg, mt_exts *x, mt_error *e)
{
    mt_reader list;
    uint8_t f;
    (void)msg;
    if (mt_r_vec(r, 1, 1, 255, &list) != 0)
        return mt_ext_malformed(e, "ec_point_formats");
    while (mt_r_u8(&list, &f) == 0)
        if (f == 0)
            x->point_uncompressed = 1;
    return 0;
}

int mt_ext_parse_empty(mt_reader *r, uint32_t msg, mt_exts *x, mt_error *e)
{
    (void)msg;
    (void)x;
    /* RFC 7627 section 5.1, RFC 7366 section 2: the body is empty. */
    return mt_r_left(r) == 0 ? 0
                             : mt_fail(e, MUTLS_ERR_PROTOCOL, MT_ALERT_DECODE_ERROR,
                                       "extension that must be empty has a body");
}

int mt_ext_parse_renegotiation_info(mt_reader *r, uint32_t msg, mt_exts *x, mt_error *e)
{
    mt_reader conn;
    (void)msg;
    (void)x;
    if (mt_r_vec(r, 1, 0, 255, &conn) != 0)
        return mt_ext_malformed(e, "renegotiation_info");
    /* RFC 5746 section 3.6/3.4: the initial handshake carries an empty
     * renegotiated_connection; mutls never renegotiates. */
    if (conn.len != 0)
        return mt_fail(e, MUTLS_ERR_PROTOCOL, MT_ALERT_HANDSHAKE_FAILURE,
                       "renegotiation_info is not empty on an initial handshake");
    return 0;
}

int mt_ext_write_ec_point_formats(mt_buf *b)
{
    mt_w_u16(b, MT_EXT_EC_POINT_FORMATS);
    mt_w_u16(b, 2);
    mt_w_u8(b, 1);
    return mt_w_u8(b, 0); /* uncompressed */
}

int mt_ext_write_empty(mt_buf *b, uint16_t type)
{
    mt_w_u16(b, type);
    return mt_w_u16(b, 0);
}

int mt_ext_write_renegotiation_info(mt_buf *b)
{
    mt_w_u16(b, MT_EXT_RENEGOTIATION_INFO);
    mt_w_u16(b, 1);
    return mt_w_u8(b, 0);
}
