/* server_name (RFC 6066 section 3). */
#include <string.h>

#include "ext/ext.h"

static int hostname_ok(const uint8_t *p, size_t n)
{
    /* A DNS host name: letters, digits, hyphens, dots, no NUL, not an IP
     * literal with a trailing dot. RFC 6066: "Literal IPv4 and IPv6
     * addresses are not permitted in HostName". We only refuse bytes that
     * cannot be part of a name. */
    if (n == 0 || n > MT_MAX_HOSTNAME)
        return 0;
    for (size_t i = 0; i < n; i++) {
        uint8_t c = p[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '.' || c == '_'))
            return 0;
    }
    return 1;
}

int mt_ext_parse_server_name(mt_reader *r, uint32_t msg, mt_exts *x, mt_error *e)
{
    mt_reader list, name;
    int have_host = 0;

    /* The server's acknowledgement is empty: in EncryptedExtensions (TLS
     * 1.3), in the ServerHello (TLS 1.2, RFC 6066 section 3). */
    if (msg == MT_IN_EE || msg == MT_IN_SH12) {
        x->sni_empty = 1;
        return mt_r_left(r) == 0 ? 0 : mt_ext_malformed(e, "server_name");
    }
    if (mt_r_vec(r, 2, 1, 0xffff, &list) != 0)
        return mt_ext_malformed(e, "server_name");
    while (mt_r_left(&list) > 0) {
        uint8_t type;
        if (mt_r_u8(&list, &type) != 0 || mt_r_vec(&list, 2, 1, 0xffff, &name) != 0)
            return mt_ext_malformed(e, "server_name");
        if (type != 0) /* only host_name is defined */
            continue;
        /* RFC 6066: at most one name of a given type. */
        if (have_host)
            return mt_fail(e, MUTLS_ERR_PROTOCOL, MT_ALERT_ILLEGAL_PARAMETER,
                           "server_name lists two host names");
        if (!hostname_ok(name.p, name.len))
            return mt_fail(e, MUTLS_ERR_PROTOCOL, MT_ALERT_ILLEGAL_PARAMETER,
                           "server_name is not a valid host name");
        memcpy(x->sni, name.p, name.len);
        x->sni[name.len] = '\0';
        have_host = 1;
    }
    return 0;
}

int mt_ext_write_server_name(mt_buf *b, const char *host)
{
    size_t n = strlen(host);
    mt_w_u16(b, MT_EXT_SERVER_NAME);
    size_t ext = mt_w_open(b, 2);
    size_t list = mt_w_open(b, 2);
    mt_w_u8(b, 0);
    size_t name = mt_w_open(b, 2);
    mt_w_bytes(b, host, n);
    mt_w_close(b, name, 2);
    mt_w_close(b, list, 2);
    return mt_w_close(b, ext, 2);
}

int mt_ext_write_server_name_ack(mt_buf *b)
{
    mt_w_u16(b, MT_EXT_SERVER_NAME);
    return mt_w_u16(b, 0);
}
