/*
 * One server connection: handshake on an accepted socket, then serve it.
 * Used by `mutls server` (one thread per connection) and `mutls demo`.
 */
#ifndef CLI_SERVER_H
#define CLI_SERVER_H

#include "mutls.h"
#include "trace.h"

enum cli_serve_mode {
    CLI_SERVE_PRINT, /* copy what the client sends to standard output   */
    CLI_SERVE_ECHO,  /* send back what the client sends                 */
    CLI_SERVE_WWW,   /* answer one HTTP request with the TLS parameters */
};

struct cli_serve_params {
    const char *prog;        /* prefix of log lines: "mutls server"     */
    const char *peer;        /* the client's address: "127.0.0.1:54321" */
    enum cli_serve_mode mode;
    struct cli_trace *trace; /* NULL: not traced                        */
    int post_handshake_auth; /* TLS 1.3: ask for a client certificate
                                after the handshake                      */
};

/* Handshake on the accepted (blocking) socket fd and serve the
 * connection; logs one line to stderr when the handshake is over (and one
 * more if the connection fails later). Closes fd. Returns 0 on success,
 * -1 on failure. */
int cli_serve_connection(mutls_config *cfg, int fd,
                         const struct cli_serve_params *p);

#endif
