/*
 * The --trace ladder: one line per handshake message, the client on the
 * left and the server on the right, with the time since the connection's
 * start, and a summary once the handshake is over:
 *
 *   [    0.10 ms]  client  ClientHello --------------------->  server  versions=...
 *   [    1.52 ms]  client  <--------------------- ServerHello  server  version=...
 *   handshake complete: TLSv1.3 TLS_AES_128_GCM_SHA256 x25519, 1 round trip, 1.87 ms
 *
 * Records that are not handshake messages but matter to the handshake
 * (EarlyData, ApplicationData sent before the handshake is over) are
 * arrows too; decisions a side takes on its own (FalseStart, and the
 * server's PSK, Session and rejected EarlyData) are notes in parentheses
 * on that side. The summary says whether the session was resumed, what
 * became of early data, and, on the client, how many round trips passed
 * before the first byte of application data could be sent.
 *
 * The state is per connection: it is attached to the connection as its
 * user pointer, and the configuration's trace hook (cli_trace_hook) finds
 * it there, so one configuration serves any number of traced connections.
 */
#ifndef CLI_TRACE_H
#define CLI_TRACE_H

#include <stdio.h>
#include <time.h>

#include "mutls.h"

struct cli_trace {
    FILE *out;            /* where lines go                          */
    mutls_role role;      /* our side of the ladder                  */
    char prefix[24];      /* printed before each line ("#3 ")        */
    struct timespec start;
    int fixed_start;      /* start given to cli_trace_init: keep it   */
    int last_to_server;   /* direction of the previous message, -1 none */
    unsigned round_trips; /* client flights answered by the server   */
    int finished_sent;    /* Finished messages seen, each direction  */
    int finished_received;
    double complete_ms;   /* when both Finished were seen, or < 0    */
    unsigned data_round_trips; /* client: round trips when application
                                  data could first be sent before the end
                                  of the handshake (False Start)       */
    int false_start;      /* client: False Start became possible      */
    int false_start_data; /* client: data sent before the server's Finished */
    unsigned long early_sent; /* client: bytes of early data sent     */
    long early_received;  /* server: bytes of early data accepted (set by
                             the caller before the summary; < 0 unknown) */
};

/* Prepare a trace. Times count from start, or, when start is NULL, from
 * the last cli_trace_start(). prefix may be NULL. */
void cli_trace_init(struct cli_trace *t, mutls_role role, FILE *out,
                    const char *prefix, const struct timespec *start);

/* The handshake begins now (unless a start was given to cli_trace_init). */
void cli_trace_start(struct cli_trace *t);

/* Make the connection report to t (sets the connection's user pointer). */
void cli_trace_attach(struct cli_trace *t, mutls_conn *conn);

/* The hook to install with mutls_config_set_trace (ctx unused). Events of
 * connections without an attached trace are ignored. */
void cli_trace_hook(void *ctx, const mutls_conn *conn,
                    const mutls_trace_event *ev);

/* Print the "handshake complete: ..." line. */
void cli_trace_summary(const struct cli_trace *t, const mutls_conn *conn);

/* Monotonic clock. */
void cli_clock_now(struct timespec *ts);
double cli_elapsed_ms(const struct timespec *since);

#endif
