/*
 * The --trace ladder.
 */
#include "trace.h"

#include <stdlib.h>
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
    t->early_received = -1;
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

/* A decision taken by one side, not something on the wire: the client's
 * False Start, the server's verdict on a PSK, a TLS 1.2 session or early
 * data, a ticket that could not be made. (The client's EarlyData event is
 * the early data records it sends; a NewSessionTicket message has its
 * handshake type.) */
static int is_note(const mutls_trace_event *ev)
{
    const char *n = ev->name != NULL ? ev->name : "";

    return strcmp(n, "FalseStart") == 0 || strcmp(n, "PSK") == 0 ||
           strcmp(n, "Session") == 0 || (strcmp(n, "EarlyData") == 0 && !ev->sent) ||
           (strcmp(n, "NewSessionTicket") == 0 && ev->msg_type == 0);
}

/* "(Name)" on our side of the ladder: left for the client, right for the
 * server. */
static void format_note(char *out, size_t cap, const char *name, mutls_role role)
{
    char text[96];

    snprintf(text, sizeof text, "(%s)", name);
    if (role == MUTLS_CLIENT)
        snprintf(out, cap, "%s", text);
    else
        snprintf(out, cap, "%*s", ARROW_WIDTH, text);
}

/* A round trip is a client flight answered by the server: a message to
 * the client that follows one to the server. Counted the same on both
 * sides, until both Finished messages have been seen. Notes are not
 * messages, but the client's False Start marks when application data
 * could first be sent. */
static void count_event(struct cli_trace *t, const mutls_trace_event *ev,
                        int to_server, double ms)
{
    const char *name = ev->name != NULL ? ev->name : "";

    if (t->complete_ms >= 0)
        return;
    if (is_note(ev)) {
        if (strcmp(name, "FalseStart") == 0 && !t->false_start) {
            t->false_start = 1;
            t->data_round_trips = t->round_trips;
        }
        return;
    }
    if (t->role == MUTLS_CLIENT && ev->sent && ev->msg_type == 0) {
        if (strcmp(name, "ApplicationData") == 0 && !t->finished_received)
            t->false_start_data = 1;
        /* "N bytes of early data (0-RTT), with the ClientHello" */
        if (strcmp(name, "EarlyData") == 0 && ev->detail != NULL)
            t->early_sent += strtoul(ev->detail, NULL, 10);
    }
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
    const char *detail, *name;
    int to_server;
    double ms;

    (void)ctx;
    if (t == NULL || t->out == NULL || ev == NULL)
        return;
    /* We are the client and sent it, or the server and received it. */
    to_server = (t->role == MUTLS_CLIENT) == (ev->sent != 0);
    detail = ev->detail != NULL ? ev->detail : "";
    name = ev->name != NULL ? ev->name : "?";
    ms = cli_elapsed_ms(&t->start);
    count_event(t, ev, to_server, ms);
    if (is_note(ev))
        format_note(arrow, sizeof arrow, name, t->role);
    else
        format_arrow(arrow, sizeof arrow, name, to_server);
    fprintf(t->out, "%s[%8.2f ms]  client  %-*s  server%s%s\n", t->prefix,
            ms, ARROW_WIDTH, arrow, detail[0] != '\0' ? "  " : "", detail);
}

static const char *plural(unsigned n)
{
    return n == 1 ? "" : "s";
}

/* ", early data accepted (37 bytes)" and the like; "" without early data. */
static void describe_early(const struct cli_trace *t, const mutls_conn *conn, char *out,
                           size_t cap)
{
    int st = mutls_conn_early_data_status(conn);
    long bytes = t->role == MUTLS_CLIENT ? (long)t->early_sent : t->early_received;

    out[0] = '\0';
    if (st == MUTLS_EARLY_DATA_ACCEPTED && bytes >= 0)
        snprintf(out, cap, ", early data accepted (%ld byte%s)", bytes, bytes == 1 ? "" : "s");
    else if (st == MUTLS_EARLY_DATA_ACCEPTED)
        snprintf(out, cap, ", early data accepted");
    else if (st == MUTLS_EARLY_DATA_REJECTED && t->role == MUTLS_CLIENT)
        snprintf(out, cap, ", early data rejected (%lu byte%s to send again)", t->early_sent,
                 t->early_sent == 1 ? "" : "s");
    else if (st == MUTLS_EARLY_DATA_REJECTED)
        snprintf(out, cap, ", early data rejected");
}

void cli_trace_summary(const struct cli_trace *t, const mutls_conn *conn)
{
    char params[160], early[96], data[160];
    double ms = t->complete_ms >= 0 ? t->complete_ms : cli_elapsed_ms(&t->start);

    if (t->out == NULL)
        return;
    cli_describe_params(conn, params, sizeof params);
    describe_early(t, conn, early, sizeof early);
    data[0] = '\0';
    if (t->role == MUTLS_CLIENT) {
        /* When the first byte of application data could go: with the
         * ClientHello (accepted 0-RTT), after our Finished (False Start),
         * else once the handshake is complete. */
        unsigned n = mutls_conn_early_data_status(conn) == MUTLS_EARLY_DATA_ACCEPTED ? 0
                     : t->false_start                                             ? t->data_round_trips
                                                                                  : t->round_trips;
        snprintf(data, sizeof data, "%s, %u round trip%s before the first byte of application data",
                 t->false_start_data ? ", False Start (application data sent before the server's Finished)"
                 : t->false_start    ? ", False Start possible"
                                     : "",
                 n, plural(n));
    }
    fprintf(t->out, "%shandshake complete: %s%s, %u round trip%s, %.2f ms%s%s\n",
            t->prefix, params, mutls_conn_is_resumed(conn) ? ", resumed" : "",
            t->round_trips, plural(t->round_trips), ms, early, data);
}
