/* ServerHello and HelloRetryRequest (RFC 8446 sections 4.1.3, 4.1.4). */
#include <stdio.h>
#include <string.h>

#include "tls13/handshake.h"

/* SHA-256("HelloRetryRequest"), RFC 8446 section 4.1.3. */
const uint8_t mt_hrr_random[32] = {
    0xcf, 0x21, 0xad, 0x74, 0xe5, 0x9a, 0x61, 0x11, 0xbe, 0x1d, 0x8c, 0x02, 0x1e, 0x65, 0xb8, 0x91,
    0xc2, 0xa2, 0x11, 0x16, 0x7a, 0xbb, 0x8c, 0x5e, 0x07, 0x9e, 0x09, 0xe2, 0xc8, 0xa8, 0x33, 0x9c,
};

int mt_send_server_hello(mutls_conn *c, int hrr, const uint8_t *pub, size_t pub_len)
{
    mt_handshake *hs = c->hs;
    mt_buf *b = &c->scratch;
    char detail[256];

    size_t len_off = mt_msg_begin(c, MT_HS_SERVER_HELLO);
    mt_w_u16(b, 0x0303);
    mt_w_bytes(b, hrr ? mt_hrr_random : hs->server_random, 32);
    size_t v = mt_w_open(b, 1);
    mt_w_bytes(b, hs->session_id, hs->session_id_len); /* echoed */
    mt_w_close(b, v, 1);
    mt_w_u16(b, c->suite->code);
    mt_w_u8(b, 0);
    size_t ext = mt_w_open(b, 2);
    if (hrr) {
        mt_ext_write_supported_versions_sh(b, MUTLS_TLS1_3);
        mt_ext_write_key_share_hrr(b, hs->hrr_group);
        mt_ext_write_cookie(b, hs->cookie.data, hs->cookie.len);
    } else {
        if (pub != NULL) /* absent with psk_ke */
            mt_ext_write_key_share_sh(b, c->group, pub, pub_len);
        mt_ext_write_supported_versions_sh(b, MUTLS_TLS1_3);
        /* RFC 8446 4.2.11: pre_shared_key is the last extension. */
        if (hs->psk_selected >= 0)
            mt_ext_write_pre_shared_key_sh(b, (uint16_t)hs->psk_selected);
    }
    mt_w_close(b, ext, 2);
    if (b->err)
        return mt_conn_fail(c, MUTLS_ERR_INTERNAL, MT_ALERT_INTERNAL_ERROR, "out of memory");
    if (hrr)
        snprintf(detail, sizeof(detail), "version=TLSv1.3 suite=%s group=%s cookie", c->suite->name,
                 mutls_group_name(hs->hrr_group));
    else
        snprintf(detail, sizeof(detail), "version=TLSv1.3 suite=%s group=%s%s", c->suite->name,
                 pub ? mutls_group_name(c->group) : "- (psk_ke)",
                 hs->psk_selected >= 0 ? " resumed (PSK)" : "");
    return mt_msg_send_as(c, len_off, hrr ? "HelloRetryRequest" : NULL, detail);
}

int mt_parse_server_hello(mutls_conn *c, mt_reader *r, mt_server_hello *sh)
{
    mt_reader sid, ext;
    uint8_t comp;

    memset(sh, 0, sizeof(*sh));
    if (mt_r_u16(r, &sh->legacy_version) != 0 || mt_r_bytes(r, 32, &sh->random) != 0 ||
        mt_r_vec(r, 1, 0, 32, &sid) != 0 || mt_r_u16(r, &sh->suite) != 0 ||
        mt_r_u8(r, &comp) != 0)
        return MT_DECODE_ERROR(c, "ServerHello");
    sh->session_id = sid.p;
    sh->session_id_len = sid.len;
    sh->is_hrr = memcmp(sh->random, mt_hrr_random, 32) == 0;
    /* A TLS 1.2 ServerHello may end here (RFC 5246 7.4.1.3). */
    if (mt_r_left(r) == 0)
        ext = mt_reader_init(NULL, 0);
    else if (mt_r_vec(r, 2, 0, 0xffff, &ext) != 0 || mt_r_done(r) != 0)
        return MT_DECODE_ERROR(c, "ServerHello");
    /* The extensions allowed depend on the version, which supported_versions
     * decides (RFC 8446 4.2.1): without it this is a TLS 1.2 ServerHello. */
    uint32_t kind = MT_IN_SH12;
    mt_reader scan = ext;
    while (mt_r_left(&scan) > 0) {
        uint16_t type;
        mt_reader body;
        if (mt_r_u16(&scan, &type) != 0 || mt_r_vec(&scan, 2, 0, 0xffff, &body) != 0)
            break; /* the walker below reports it */
        if (type == MT_EXT_SUPPORTED_VERSIONS)
            kind = MT_IN_SH;
    }
    if (sh->is_hrr)
        kind = MT_IN_HRR;
    if (mt_exts_parse(&ext, kind, c->hs->offered, &sh->ext, &c->err) != 0)
        return c->err.code;
    /* RFC 8446 section 4.1.3: legacy_compression_method must be 0. */
    if (comp != 0)
        return mt_conn_fail(c, MUTLS_ERR_PROTOCOL, MT_ALERT_ILLEGAL_PARAMETER,
                            "server chose compression method %u", comp);
    return 0;
}
