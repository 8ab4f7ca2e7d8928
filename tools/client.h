/*
 * One client connection: connect, handshake, then either fetch a page
 * (--get) or relay standard input and output. Used by `mutls client` and
 * `mutls demo`.
 */
#ifndef CLI_CLIENT_H
#define CLI_CLIENT_H

#include "mutls.h"
#include "trace.h"

struct cli_client_params {
    const char *prog;        /* prefix of error messages: "mutls client" */
    const char *target;      /* HOST:PORT as the user wrote it           */
    const char *host;        /* HOST without brackets                    */
    const char *port;
    const char *servername;  /* SNI and name to verify; NULL: host      */
    const char *get_path;    /* NULL: relay stdin/stdout                 */
    int out_fd;              /* where the server's data goes (stdout)    */
    int key_update;          /* send a KeyUpdate asking the peer's too   */
    struct cli_trace *trace; /* NULL: not traced                         */
    /* Resumption (mutls client only; zero for a plain connection). */
    mutls_session *session;  /* offer this session (--sess-in)           */
    const char *sess_out;    /* save the newest session there at the end */
    const uint8_t *early_data; /* --early-data: sent as 0-RTT early data
                                  when the session allows, else after the
                                  handshake; with get_path, before the
                                  request, which is early data too      */
    size_t early_len;
    int early_requested;     /* --early-data given (early_len may be 0)  */
    int false_start;         /* send the first data at False Start       */
};

/* Run the connection; returns an exit status (CLI_EXIT_*). The response
 * or the server's data goes to out_fd, messages to stderr. */
int cli_client_run(mutls_config *cfg, const struct cli_client_params *p);

#endif
