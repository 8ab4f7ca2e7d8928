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
};

/* Run the connection; returns an exit status (CLI_EXIT_*). The response
 * or the server's data goes to out_fd, messages to stderr. */
int cli_client_run(mutls_config *cfg, const struct cli_client_params *p);

#endif
