/* The generic extension walker and the table of extension descriptors. */
#include "ext/ext.h"

const mt_ext_desc mt_ext_table[] = {
    {MT_EXT_SERVER_NAME, "server_name", MT_IN_CH | MT_IN_EE | MT_IN_SH12, mt_ext_parse_server_name},
    {MT_EXT_SUPPORTED_GROUPS, "supported_groups", MT_IN_CH | MT_IN_EE,
     mt_ext_parse_supported_groups},
    {MT_EXT_SIGNATURE_ALGORITHMS, "signature_algorithms", MT_IN_CH | MT_IN_CR,
     mt_ext_parse_signature_algorithms},
    {MT_EXT_ALPN, "application_layer_protocol_negotiation", MT_IN_CH | MT_IN_EE | MT_IN_SH12,
     mt_ext_parse_alpn},
    {MT_EXT_RECORD_SIZE_LIMIT, "record_size_limit", MT_IN_CH | MT_IN_EE | MT_IN_SH12,
     mt_ext_parse_record_size_limit},
    /* TLS 1.2 only (RFC 8422, RFC 7627, RFC 7366, RFC 5746, RFC 5077). */
    {MT_EXT_EC_POINT_FORMATS, "ec_point_formats", MT_IN_CH | MT_IN_SH12,
     mt_ext_parse_ec_point_formats},
    {MT_EXT_EXTENDED_MASTER_SECRET, "extended_master_secret", MT_IN_CH | MT_IN_SH12,
     mt_ext_parse_empty},
    {MT_EXT_ENCRYPT_THEN_MAC, "encrypt_then_mac", MT_IN_CH | MT_IN_SH12, mt_ext_parse_empty},
    {MT_EXT_RENEGOTIATION_INFO, "renegotiation_info", MT_IN_CH | MT_IN_SH12,
     mt_ext_parse_renegotiation_info},
    {MT_EXT_SESSION_TICKET, "session_ticket", MT_IN_CH | MT_IN_SH12, mt_ext_parse_session_ticket},
    /* Recognised so that they are placed correctly; mutls does not offer
     * PSK or early data yet, so a server ignores them in a ClientHello and
     * a client refuses them in a response it did not ask for. */
    {MT_EXT_PRE_SHARED_KEY, "pre_shared_key", MT_IN_CH | MT_IN_SH, mt_ext_parse_pre_shared_key},
    {MT_EXT_EARLY_DATA, "early_data", MT_IN_CH | MT_IN_EE | MT_IN_NST, mt_ext_parse_early_data},
    {MT_EXT_SUPPORTED_VERSIONS, "supported_versions", MT_IN_CH | MT_IN_SH | MT_IN_HRR,
     mt_ext_parse_supported_versions},
    {MT_EXT_COOKIE, "cookie", MT_IN_CH | MT_IN_HRR, mt_ext_parse_cookie},
    {MT_EXT_PSK_KEY_EXCHANGE_MODES, "psk_key_exchange_modes", MT_IN_CH, mt_ext_parse_psk_modes},
    {MT_EXT_CERTIFICATE_AUTHORITIES, "certificate_authorities", MT_IN_CH | MT_IN_CR,
     mt_ext_parse_certificate_authorities},
    {MT_EXT_POST_HANDSHAKE_AUTH, "post_handshake_auth", MT_IN_CH, mt_ext_parse_empty},
    {MT_EXT_SIGNATURE_ALGORITHMS_CERT, "signature_algorithms_cert", MT_IN_CH | MT_IN_CR,
     mt_ext_parse_signature_algorithms_cert},
    {MT_EXT_KEY_SHARE, "key_share", MT_IN_CH | MT_IN_SH | MT_IN_HRR, mt_ext_parse_key_share},
};
const size_t mt_ext_table_count = sizeof(mt_ext_table) / sizeof(mt_ext_table[0]);

int mt_ext_index(uint16_t type)
{
    for (size_t i = 0; i < mt_ext_table_count; i++)
        if (mt_ext_table[i].type == type)
            return (int)i;
    return -1;
}

int mt_exts_has(const mt_exts *x, uint16_t type)
{
    int i = mt_ext_index(type);
    return i >= 0 && (x->seen & (1ull << i)) != 0;
}

int mt_ext_malformed(mt_error *e, const char *name)
{
    return mt_fail(e, MUTLS_ERR_PROTOCOL, MT_ALERT_DECODE_ERROR, "malformed %s extension", name);
}

int mt_ext_parse_ignored(mt_reader *r, uint32_t msg, mt_exts *x, mt_error *e)
{
    const uint8_t *skip;
    (void)mt_r_bytes(r, mt_r_left(r), &skip);
    (void)msg;
    (void)x;
    (void)e;
    return 0;
}

/* Messages the client receives from the server. */
#define MT_IN_RESPONSE (MT_IN_SH | MT_IN_HRR | MT_IN_EE | MT_IN_CT | MT_IN_CR | MT_IN_NST | MT_IN_SH12)

int mt_exts_parse(mt_reader *block, uint32_t msg, uint64_t offered, mt_exts *out, mt_error *e)
{
    /* Unknown types are remembered too, to reject duplicates of them. */
    uint16_t seen_types[128];
    size_t n_seen = 0;

    while (mt_r_left(block) > 0) {
        uint16_t type;
        mt_reader body;
        int idx;

        if (mt_r_u16(block, &type) != 0 || mt_r_vec(block, 2, 0, 0xffff, &body) != 0)
            return mt_fail(e, MUTLS_ERR_PROTOCOL, MT_ALERT_DECODE_ERROR,
                           "malformed extension block");
        for (size_t i = 0; i < n_seen; i++)
            /* RFC 8446 section 4.2: no more than one of each type. */
            if (seen_types[i] == type)
                return mt_fail(e, MUTLS_ERR_PROTOCOL, MT_ALERT_ILLEGAL_PARAMETER,
                               "duplicate extension %u", type);
        if (n_seen == sizeof(seen_types) / sizeof(seen_types[0]))
            return mt_fail(e, MUTLS_ERR_PROTOCOL, MT_ALERT_DECODE_ERROR,
                           "too many extensions (more than %zu)", n_seen);
        seen_types[n_seen++] = type;
        out->last_type = type;

        idx = mt_ext_index(type);
        if (idx < 0) {
            /* RFC 8446 section 4.2: a response may only carry extensions
             * that were offered; a ClientHello's unknown ones are ignored,
             * and so are those of a CertificateRequest (4.3.2) or a
             * NewSessionTicket (4.6.1): "Clients MUST ignore unrecognized
             * extensions" (servers send GREASE there). */
            if (msg & (MT_IN_SH | MT_IN_HRR | MT_IN_EE | MT_IN_CT | MT_IN_SH12))
                return mt_fail(e, MUTLS_ERR_PROTOCOL, MT_ALERT_UNSUPPORTED_EXTENSION,
                               "peer sent unknown extension %u which was not offered", type);
            continue;
        }
        const mt_ext_desc *d = &mt_ext_table[idx];
        if ((d->allowed & msg) == 0)
            return mt_fail(e, MUTLS_ERR_PROTOCOL, MT_ALERT_ILLEGAL_PARAMETER,
                           "extension %s is not allowed in this message", d->name);
        if ((msg & MT_IN_RESPONSE) && !(msg & MT_IN_NST) && (offered & (1ull << idx)) == 0 &&
            !(type == MT_EXT_COOKIE && msg == MT_IN_HRR))
            return mt_fail(e, MUTLS_ERR_PROTOCOL, MT_ALERT_UNSUPPORTED_EXTENSION,
                           "peer sent extension %s which was not offered", d->name);
        out->seen |= 1ull << idx;
        int ret = d->parse(&body, msg, out, e);
        if (ret != 0)
            return ret;
        if (mt_r_done(&body) != 0)
            return mt_ext_malformed(e, d->name);
    }
    if (mt_r_done(block) != 0)
        return mt_fail(e, MUTLS_ERR_PROTOCOL, MT_ALERT_DECODE_ERROR, "malformed extension block");
    return 0;
}

int mt_exts_check_allowed(const mt_exts *x, uint32_t msg, mt_error *e)
{
    for (size_t i = 0; i < mt_ext_table_count; i++)
        if ((x->seen & (1ull << i)) && (mt_ext_table[i].allowed & msg) == 0)
            return mt_fail(e, MUTLS_ERR_PROTOCOL,
                           msg == MT_IN_SH12 ? MT_ALERT_UNSUPPORTED_EXTENSION
                                             : MT_ALERT_ILLEGAL_PARAMETER,
                           "extension %s is not allowed in this message", mt_ext_table[i].name);
    return 0;
}
