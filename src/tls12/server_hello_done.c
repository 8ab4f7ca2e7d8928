/* TLS 1.2 ServerHelloDone (RFC 5246 section 7.4.5): empty. */
#include "tls12/tls12.h"

int mt_tls12_send_server_hello_done(mutls_conn *c)
{
    size_t len_off = mt_msg_begin(c, MT_HS_SERVER_HELLO_DONE);
    return mt_msg_send(c, len_off, NULL);
}
