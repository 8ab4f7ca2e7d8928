/* NewSessionTicket (RFC 8446 section 4.6.1). mutls does not resume
 * sessions yet: a client validates the ticket's framing and drops it. */
#include "tls13/handshake.h"

int mt_handle_new_session_ticket(mutls_conn *c, mt_reader *r, const uint8_t *msg, size_t len)
{
    uint32_t lifetime, age_add;
    mt_reader nonce, ticket, ext;
    mt_exts x = {0};
    (void)msg;
    (void)len;
    if (mt_r_u32(r, &lifetime) != 0 || mt_r_u32(r, &age_add) != 0 ||
        mt_r_vec(r, 1, 0, 255, &nonce) != 0 || mt_r_vec(r, 2, 1, 0xffff, &ticket) != 0 ||
        mt_r_vec(r, 2, 0, 0xfffe, &ext) != 0 || mt_r_done(r) != 0)
        return MT_DECODE_ERROR(c, "NewSessionTicket");
    /* RFC 8446 section 4.6.1: at most seven days. */
    if (lifetime > 604800)
        return mt_conn_fail(c, MUTLS_ERR_PROTOCOL, MT_ALERT_ILLEGAL_PARAMETER,
                            "NewSessionTicket lifetime %u exceeds seven days", lifetime);
    if (mt_exts_parse(&ext, MT_IN_NST, 0, &x, &c->err) != 0)
        return c->err.code;
    mt_trace(c, 0, MT_HS_NEW_SESSION_TICKET, "NewSessionTicket", "ticket ignored (no resumption)");
    return 0;
}
