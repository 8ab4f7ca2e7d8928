/*
 * The --trace ladder.
 */
#include "trace.h"

#include <string.h>

#include "describe.h"

/* Width of the "Name ------>" / "<------ Name" column. */
#define ARROW_WIDTH 36
#define MIN_DASHES 3
#define MSG_FINISHED 20

void cli_clock_now(struct timespec *ts)
{
    if (clock_gettime(CLOCK_MONOTONIC, ts) != 0) {
        ts->tv_sec = 0;
        ts->tv_nsec = 0;
    }
}

double cli_elapsed_ms(const struct timespec *since)
{
    struct timespec now;

    cli_clock_now(&now);
    return (double)(now.tv_sec - since->tv_sec) * 1e3 +
           (double)(now.tv_nsec - since->tv_nsec) / 1e6;
}

void cli_trace_init(struct cli_trace *t, mutls_role role, FILE *out,
                    const char *prefix, const struct timespec *start)
{
    memset(t, 0, sizeof *t);
    t->out = out;
    t->role = role;
    snprintf(t->prefix, sizeof t->prefix, "%s", prefix != NULL ? prefix : "");
    t->fixed_start = start != NULL;
    if (start != NULL)
        t->start = *start;
    else
        cli_clock_now(&t->start);
    t->last_to_server = -1;
    t->complete_ms = -1.0;
}

void cli_trace_start(struct cli_trace *t)
{
    if (!t->fixed_start)
        cli_clock_now(&t->start);
}

void cli_trace_attach(struct cli_trace *t, mutls_conn *conn)
{
    mutls_conn_set_user(conn, t);
}

/* "Name ------->" when the message travels to the server, else
 * "<------- Name"; always ARROW_WIDTH wide unless the name is very long. */
static void format_arrow(char *out, size_t cap, const char *name,
                         int to_server)
{
    char dashes[ARROW_WIDTH + 1];
    size_t name_len = strlen(name);
    size_t n = MIN_DASHES;

    if (name_len + 2 + MIN_DASHES < ARROW_WIDTH)
        n = ARROW_WIDTH - name_len - 2;
    memset(dashes, '-', n);
    dashes[n] = '\0';
    if (to_server)
        snprintf(out, cap, "%s %s>", name, dashes);
    else
        snprintf(out, cap, "<%s %*s", dashes, (int)name_len, name);
}

/* A round trip is a client flight answered by the server: a message to
 * the client that follows one to the server. Counted the same on both
 * sides, until both Finished messages have been seen. */
static void count_event(struct cli_trace *t, const mutls_trace_event *ev,
                        int to_server, double ms)
{
    if (t->complete_ms >= 0)
        return;
    if (!to_server && t->last_to_server == 1)
        t->round_trips++;
    t->last_to_server = to_server;
    if (ev->msg_type == MSG_FINISHED) {
        if (ev->sent)
            t->finished_sent = 1;
        else
            t->finished_received = 1;
        if (t->finished_sent && t->finished_received)
            t->complete_ms = ms;
    }
}

void cli_trace_hook(void *ctx, const mutls_conn *conn,
                    const mutls_trace_event *ev)
{
    struct cli_trace *t = mutls_conn_user(conn);
    char arrow[128];
    const char *detail;
    int to_server;
    double ms;

    (void)ctx;
    if (t == NULL || t->out == NULL || ev == NULL)
        return;
    /* We are the client and sent it, or the server and received it. */
    to_server = (t->role == MUTLS_CLIENT) == (ev->sent != 0);
    detail = ev->detail != NULL ? ev->detail : "";
    ms = cli_elapsed_ms(&t->start);
    count_event(t, ev, to_server, ms);
    format_arrow(arrow, sizeof arrow, ev->name != NULL ? ev->name : "?",
                 to_server);
    fprintf(t->out, "%s[%8.2f ms]  client  %-*s  server%s%s\n", t->prefix,
            ms, ARROW_WIDTH, arrow, detail[0] != '\0' ? "  " : "", detail);
}

void cli_trace_summary(const struct cli_trace *t, const mutls_conn *conn)
{
    char params[160];
    double ms = t->complete_ms >= 0 ? t->complete_ms : cli_elapsed_ms(&t->start);

    if (t->out == NULL)
        return;
    cli_describe_params(conn, params, sizeof params);
    fprintf(t->out, "%shandshake complete: %s, %u round trip%s, %.2f ms\n",
            t->prefix, params, t->round_trips, t->round_trips == 1 ? "" : "s",
            ms);
}
