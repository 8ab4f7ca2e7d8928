/*
 * mutls client HOST:PORT [options]
 */
#include "client.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "describe.h"
#include "net.h"
#include "opts.h"
#include "session_file.h"

#define PROG "mutls client"
#define CLIENT_OPTS (CLI_OPT_CERT | CLI_OPT_CA | CLI_OPT_TLS | CLI_OPT_DEBUG)
#define IO_CHUNK 16384
#define HANDSHAKE_TIMEOUT_S 30

/* ---- one connection's state ---------------------------------------------- */

/* What the client has to send first (the --early-data content, then the
 * GET request), and what became of it. */
struct run {
    mutls_conn *conn;
    int fd;
    const struct cli_client_params *p;
    uint8_t *first;        /* data to send first, or NULL             */
    size_t first_len;
    int first_sent;        /* on its way (0-RTT accepted, False Start, or
                              written after the handshake)            */
    int early_queued;      /* handed to mutls_conn_write_early_data   */
    int false_start_sent;  /* the first data went at False Start      */
    int stdin_eof;         /* relay: standard input ended during the
                              handshake (close_notify is still owed)  */
    int stdin_fs;          /* relay: stdin data went at False Start   */
    char io_error[256];    /* a socket error of our own handshake loop */
};

/* ---- reporting --------------------------------------------------------- */

/* Why a call failed, in words. */
static void explain(const struct run *r, int rc, char *why, size_t cap)
{
    if (r->io_error[0] != '\0')
        snprintf(why, cap, "%s", r->io_error);
    else if (rc == MUTLS_WANT_READ || rc == MUTLS_WANT_WRITE)
        snprintf(why, cap, "timed out after %d s", HANDSHAKE_TIMEOUT_S);
    else if (rc == MUTLS_ERR_TRUNCATED && mutls_conn_handshake_done(r->conn))
        snprintf(why, cap, "connection closed without close_notify "
                 "(data may be truncated)");
    else
        cli_describe_error(r->conn, rc, why, cap);
}

static void report_error(const struct run *r, int rc)
{
    char why[1024];

    explain(r, rc, why, sizeof why);
    fprintf(stderr, "%s: %s: %s\n", r->p->prog, r->p->target, why);
}

static void report_handshake_failure(const struct run *r, int rc)
{
    char why[1024];

    explain(r, rc, why, sizeof why);
    fprintf(stderr, "%s: handshake with %s failed: %s\n", r->p->prog, r->p->target,
            why);
}

static void describe_server_cert(const mutls_conn *conn, char *out,
                                 size_t cap)
{
    const char *subject = mutls_conn_peer_subject(conn);
    const char *issuer = mutls_conn_peer_issuer(conn);

    if (subject == NULL || subject[0] == '\0') {
        snprintf(out, cap, "%s", mutls_conn_is_resumed(conn)
                                     ? "no server certificate (none is sent when resuming)"
                                     : "no server certificate");
        return;
    }
    snprintf(out, cap, "server certificate %s (issuer %s) %s", subject,
             issuer != NULL ? issuer : "?",
             mutls_conn_peer_verified(conn) ? "verified" : "NOT verified");
}

/* ", resumed, early data accepted (37 bytes), False Start": what the
 * resumption options did; "" for a plain connection. */
static void describe_resumption(const struct run *r, char *out, size_t cap)
{
    int st = mutls_conn_early_data_status(r->conn);
    size_t n = 0;

    out[0] = '\0';
    if (mutls_conn_is_resumed(r->conn))
        n += (size_t)snprintf(out + n, cap - n, ", resumed");
    if (n < cap && r->early_queued && st == MUTLS_EARLY_DATA_ACCEPTED)
        n += (size_t)snprintf(out + n, cap - n, ", early data accepted (%zu byte%s)",
                              r->first_len, r->first_len == 1 ? "" : "s");
    else if (n < cap && r->early_queued && st == MUTLS_EARLY_DATA_REJECTED)
        n += (size_t)snprintf(out + n, cap - n, ", early data rejected");
    else if (n < cap && r->early_queued)
        n += (size_t)snprintf(out + n, cap - n, ", early data not offered");
    if (n < cap && (r->false_start_sent || r->stdin_fs))
        n += (size_t)snprintf(out + n, cap - n, ", False Start");
}

static void report_connected(const struct run *r)
{
    char params[160], cert[1024], alpn[300], res[160];
    const char *proto = mutls_conn_alpn(r->conn);

    cli_describe_params(r->conn, params, sizeof params);
    describe_server_cert(r->conn, cert, sizeof cert);
    describe_resumption(r, res, sizeof res);
    if (proto != NULL)
        snprintf(alpn, sizeof alpn, "ALPN %s", proto);
    else
        snprintf(alpn, sizeof alpn, "no ALPN");
    fprintf(stderr, "mutls: connected to %s: %s, %s, %s%s\n", r->p->target, params,
            alpn, cert, res);
}

/* ---- connecting -------------------------------------------------------- */

static mutls_conn *new_conn(mutls_config *cfg,
                            const struct cli_client_params *p, int fd)
{
    const char *name = p->servername != NULL ? p->servername : p->host;
    mutls_conn *conn = mutls_conn_new(cfg);
    int rc;

    if (conn == NULL) {
        fprintf(stderr, "%s: out of memory\n", p->prog);
        return NULL;
    }
    rc = mutls_conn_set_server_name(conn, name);
    if (rc == MUTLS_OK)
        rc = mutls_conn_set_fd(conn, fd);
    if (rc != MUTLS_OK) {
        char why[1024];
        cli_describe_error(conn, rc, why, sizeof why);
        fprintf(stderr, "%s: server name '%s': %s\n", p->prog, name, why);
        mutls_conn_free(conn);
        return NULL;
    }
    if (p->session != NULL && (rc = mutls_conn_set_session(conn, p->session)) != MUTLS_OK) {
        fprintf(stderr, "%s: --sess-in: %s\n", p->prog, mutls_strerror(rc));
        mutls_conn_free(conn);
        return NULL;
    }
    if (p->trace != NULL)
        cli_trace_attach(p->trace, conn);
    return conn;
}

/* Send what the connection has queued (blocking socket). */
static int flush_out(struct run *r)
{
    return mutls_conn_pending(r->conn) > 0 ? mutls_io_flush(r->conn) : MUTLS_OK;
}

/* Queue data and send it; usable at False Start, before the handshake is
 * complete (mutls_io_write would first finish the handshake). */
static int send_now(struct run *r, const uint8_t *buf, size_t len)
{
    int rc = len > 0 ? mutls_conn_write(r->conn, buf, len) : 0;

    return rc < 0 ? rc : flush_out(r);
}

/* The first data, unless it is already on its way. */
static int send_first(struct run *r)
{
    int rc;

    if (r->first == NULL || r->first_sent)
        return MUTLS_OK;
    rc = send_now(r, r->first, r->first_len);
    if (rc == MUTLS_OK)
        r->first_sent = 1;
    return rc;
}

/* Relay mode at False Start: copy what standard input has to offer. */
static int stdin_at_false_start(struct run *r)
{
    uint8_t buf[IO_CHUNK];
    ssize_t n = read(STDIN_FILENO, buf, sizeof buf);

    if (n < 0)
        return errno == EINTR || errno == EAGAIN ? MUTLS_OK : MUTLS_ERR_IO;
    if (n == 0) {
        r->stdin_eof = 1;
        return MUTLS_OK;
    }
    r->stdin_fs = 1;
    return send_now(r, buf, (size_t)n);
}

/* The handshake, driven here rather than by mutls_io_handshake() so that
 * it can stop once False Start allows application data: with stop_at_fs
 * it returns 1 then; with watch_stdin (relay mode) it keeps going and
 * sends standard input as it comes. MUTLS_OK once complete, or the error
 * (MUTLS_WANT_READ: timed out). */
static int drive_handshake(struct run *r, int stop_at_fs, int watch_stdin)
{
    uint8_t buf[IO_CHUNK + 512];

    for (;;) {
        int rc = mutls_conn_handshake(r->conn);
        int f = flush_out(r); /* including an alert after a failure */
        if (rc != MUTLS_OK && rc != MUTLS_WANT_READ)
            return rc;
        if (f != MUTLS_OK)
            return f;
        if (rc == MUTLS_OK)
            return MUTLS_OK;
        int fs = mutls_conn_false_start_ready(r->conn);
        if (fs && stop_at_fs)
            return 1;
        struct pollfd pfd[2] = {{r->fd, POLLIN, 0}, {-1, POLLIN, 0}};
        if (fs && watch_stdin && !r->stdin_eof)
            pfd[1].fd = STDIN_FILENO;
        int n = poll(pfd, 2, HANDSHAKE_TIMEOUT_S * 1000);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            snprintf(r->io_error, sizeof r->io_error, "poll: %s", strerror(errno));
            return MUTLS_ERR_IO;
        }
        if (n == 0)
            return MUTLS_WANT_READ;
        if (pfd[1].revents != 0 && (rc = stdin_at_false_start(r)) != MUTLS_OK) {
            if (rc == MUTLS_ERR_IO)
                snprintf(r->io_error, sizeof r->io_error, "standard input: %s",
                         strerror(errno));
            return rc;
        }
        if (pfd[0].revents == 0)
            continue;
        ssize_t got = recv(r->fd, buf, sizeof buf, 0);
        if (got < 0 && (errno == EINTR || errno == EAGAIN))
            continue;
        if (got < 0) {
            snprintf(r->io_error, sizeof r->io_error, "recv: %s", strerror(errno));
            return MUTLS_ERR_IO;
        }
        rc = mutls_conn_feed(r->conn, buf, (size_t)got); /* 0: end of stream */
        if (rc <= MUTLS_ERR_FIRST) {
            (void)flush_out(r);
            return rc;
        }
    }
}

/* The handshake, with False Start when asked: the first data (then,
 * relaying, standard input as it comes) goes as soon as it is allowed. */
static int run_handshake(struct run *r, int relay)
{
    int rc;

    if (!r->p->false_start)
        return mutls_io_handshake(r->conn);
    rc = drive_handshake(r, 1, 0);
    if (rc == 1) {
        int had_first = r->first != NULL && !r->first_sent;
        rc = send_first(r);
        if (rc == MUTLS_OK) {
            r->false_start_sent = had_first;
            rc = drive_handshake(r, 0, relay);
        }
    }
    return rc;
}

/* Say why --false-start did not send early, when it could have mattered. */
static void note_no_false_start(const struct run *r)
{
    char sbuf[8];
    uint16_t suite = mutls_conn_cipher_suite(r->conn);

    if (!r->p->false_start || r->false_start_sent || r->stdin_fs ||
        mutls_conn_version(r->conn) != MUTLS_TLS1_2 || mutls_conn_is_resumed(r->conn) ||
        (r->p->trace != NULL && r->p->trace->false_start))
        return;
    fprintf(stderr, "%s: False Start not used: %s does not allow it (it needs ECDHE and an "
            "AEAD cipher)\n", r->p->prog,
            cli_name_or_hex(mutls_cipher_suite_name(suite), suite, sbuf, sizeof sbuf));
}

/* Early data the server did not take goes again, now that the handshake
 * is complete. */
static void settle_early_data(struct run *r)
{
    int st = mutls_conn_early_data_status(r->conn);

    if (!r->early_queued || r->first_sent) /* (sent at False Start) */
        return;
    if (st == MUTLS_EARLY_DATA_ACCEPTED) {
        r->first_sent = 1;
        return;
    }
    if (st == MUTLS_EARLY_DATA_REJECTED)
        fprintf(stderr, "%s: the server rejected the early data; sending it again after the "
                "handshake (%zu bytes)\n", r->p->prog, r->first_len);
    else
        fprintf(stderr, "%s: the session could not be offered for 0-RTT with this "
                "configuration; sending the early data after the handshake (%zu bytes)\n",
                r->p->prog, r->first_len);
}

/* Connect and complete the handshake; an exit status. */
static int handshake(struct run *r, int relay)
{
    const struct cli_client_params *p = r->p;
    int rc;

    if (cli_set_timeouts(r->fd, HANDSHAKE_TIMEOUT_S) != 0) {
        fprintf(stderr, "%s: %s: setsockopt: %s\n", p->prog, p->target,
                strerror(errno));
        return CLI_EXIT_FAIL;
    }
    if (p->trace != NULL)
        cli_trace_start(p->trace);
    rc = run_handshake(r, relay);
    if (rc != MUTLS_OK) {
        report_handshake_failure(r, rc);
        return CLI_EXIT_FAIL;
    }
    if (cli_set_timeouts(r->fd, 0) != 0) {
        fprintf(stderr, "%s: %s: setsockopt: %s\n", p->prog, p->target,
                strerror(errno));
        return CLI_EXIT_FAIL;
    }
    if (p->trace != NULL)
        cli_trace_summary(p->trace, r->conn);
    report_connected(r);
    note_no_false_start(r);
    settle_early_data(r);
    return CLI_EXIT_OK;
}

static int send_key_update(struct run *r)
{
    int rc = mutls_conn_key_update(r->conn, 1);

    if (rc == MUTLS_OK)
        rc = mutls_io_flush(r->conn);
    if (rc != MUTLS_OK) {
        report_error(r, rc);
        return CLI_EXIT_FAIL;
    }
    return CLI_EXIT_OK;
}

static int write_out(const struct cli_client_params *p, const uint8_t *buf,
                     size_t len)
{
    if (cli_write_all(p->out_fd, buf, len) != 0) {
        fprintf(stderr, "%s: writing the output: %s\n", p->prog, strerror(errno));
        return -1;
    }
    return 0;
}

/* ---- --get PATH -------------------------------------------------------- */

static void host_header(const struct cli_client_params *p, char *out,
                        size_t cap)
{
    if (p->servername != NULL)
        snprintf(out, cap, "%s", p->servername);
    else if (strchr(p->host, ':') != NULL)
        snprintf(out, cap, "[%s]", p->host);
    else
        snprintf(out, cap, "%s", p->host);
}

/* The first data: the --early-data content, then (--get) the request.
 * 0, or an exit status after printing. */
static int prepare_first(struct run *r)
{
    const struct cli_client_params *p = r->p;
    char host[CLI_HOST_MAX + 2], request[8192];
    int n = 0;

    if (p->get_path != NULL) {
        host_header(p, host, sizeof host);
        n = snprintf(request, sizeof request, "GET %s HTTP/1.0\r\nHost: %s\r\n\r\n",
                     p->get_path, host);
        if (n < 0 || (size_t)n >= sizeof request) {
            fprintf(stderr, "%s: --get: path too long\n", p->prog);
            return CLI_EXIT_USAGE;
        }
    }
    if (n == 0 && !p->early_requested)
        return CLI_EXIT_OK;
    r->first_len = p->early_len + (size_t)n;
    r->first = malloc(r->first_len > 0 ? r->first_len : 1);
    if (r->first == NULL) {
        fprintf(stderr, "%s: out of memory\n", p->prog);
        return CLI_EXIT_FAIL;
    }
    if (p->early_len > 0)
        memcpy(r->first, p->early_data, p->early_len);
    memcpy(r->first + p->early_len, request, (size_t)n);
    return CLI_EXIT_OK;
}

/* --early-data: queue the first data as 0-RTT early data if the session
 * allows it, or say why it goes after the handshake. */
static void queue_early_data(struct run *r)
{
    const struct cli_client_params *p = r->p;
    uint32_t max = p->session != NULL ? mutls_session_max_early_data(p->session) : 0;
    int rc;

    if (!p->early_requested)
        return;
    if (p->session == NULL) {
        fprintf(stderr, "%s: --early-data: no session to resume (--sess-in); sending the data "
                "without 0-RTT\n", p->prog);
        return;
    }
    if (max == 0) {
        fprintf(stderr, "%s: --early-data: the session does not allow early data (the "
                "server's ticket did not offer 0-RTT); sending the data without 0-RTT\n",
                p->prog);
        return;
    }
    if (r->first_len > max) {
        fprintf(stderr, "%s: --early-data: %zu bytes, more than the %u the session allows; "
                "sending the data without 0-RTT\n", p->prog, r->first_len, max);
        return;
    }
    if (r->first_len == 0) {
        fprintf(stderr, "%s: --early-data: nothing to send\n", p->prog);
        return;
    }
    rc = mutls_conn_write_early_data(r->conn, r->first, r->first_len);
    if (rc < 0) {
        fprintf(stderr, "%s: --early-data: %s; sending the data without 0-RTT\n", p->prog,
                mutls_strerror(rc));
        return;
    }
    r->early_queued = 1;
}

static int run_get(struct run *r)
{
    uint8_t buf[IO_CHUNK];
    int n, rc;

    rc = send_first(r);
    if (rc < 0) {
        report_error(r, rc);
        return CLI_EXIT_FAIL;
    }
    while ((n = mutls_io_read(r->conn, buf, sizeof buf)) > 0) {
        if (write_out(r->p, buf, (size_t)n) != 0)
            return CLI_EXIT_FAIL;
    }
    if (n < 0) {
        report_error(r, n);
        return CLI_EXIT_FAIL;
    }
    /* The server closed cleanly; answering its close_notify is courtesy,
     * and the server may already be gone. */
    (void)mutls_io_close(r->conn);
    return CLI_EXIT_OK;
}

/* ---- relay: stdin -> server, server -> stdout ---------------------------- */

enum step { STEP_MORE, STEP_DONE, STEP_FAIL };

struct relay {
    struct run *run;
    mutls_conn *conn;
    const struct cli_client_params *p;
    int stdin_open;
    int blocked_on_write; /* the last TLS call waits for POLLOUT */
};

/* A MUTLS_* result of a non-blocking call: go on, or fail. */
static enum step io_result(struct relay *r, int rc)
{
    if (rc == MUTLS_WANT_WRITE) {
        r->blocked_on_write = 1;
        return STEP_MORE;
    }
    if (rc >= 0 || rc == MUTLS_WANT_READ)
        return STEP_MORE;
    report_error(r->run, rc);
    return STEP_FAIL;
}

/* The server sent close_notify: answer it unless ours is already out, and
 * stop. Best effort: the server may be gone already. */
static enum step peer_closed(struct relay *r, int fd)
{
    if (r->stdin_open && cli_set_nonblocking(fd, 0) == 0)
        (void)mutls_io_close(r->conn);
    return STEP_DONE;
}

static enum step read_server(struct relay *r, int fd)
{
    uint8_t buf[IO_CHUNK];

    for (;;) {
        int n = mutls_io_read(r->conn, buf, sizeof buf);
        if (n > 0) {
            if (write_out(r->p, buf, (size_t)n) != 0)
                return STEP_FAIL;
            continue;
        }
        if (n == 0)
            return peer_closed(r, fd);
        return io_result(r, n);
    }
}

static enum step on_socket(struct relay *r, int fd)
{
    r->blocked_on_write = 0;
    if (mutls_conn_pending(r->conn) > 0) {
        enum step s = io_result(r, mutls_io_flush(r->conn));
        if (s != STEP_MORE || r->blocked_on_write)
            return s;
    }
    return read_server(r, fd);
}

static enum step on_stdin(struct relay *r)
{
    uint8_t buf[IO_CHUNK];
    ssize_t n = read(STDIN_FILENO, buf, sizeof buf);
    int rc;

    if (n < 0) {
        if (errno == EINTR || errno == EAGAIN)
            return STEP_MORE;
        fprintf(stderr, "%s: standard input: %s\n", r->p->prog, strerror(errno));
        return STEP_FAIL;
    }
    if (n == 0) {
        r->stdin_open = 0;
        return io_result(r, mutls_io_close(r->conn));
    }
    rc = mutls_conn_write(r->conn, buf, (size_t)n);
    if (rc < 0)
        return io_result(r, rc);
    return io_result(r, mutls_io_flush(r->conn));
}

static enum step relay_once(struct relay *r, int fd)
{
    int pending = mutls_conn_pending(r->conn) > 0;
    struct pollfd pfd[2];
    enum step s = STEP_MORE;

    /* Read stdin only once the previous input is on its way. */
    pfd[0].fd = r->stdin_open && !pending ? STDIN_FILENO : -1;
    pfd[0].events = POLLIN;
    pfd[1].fd = fd;
    pfd[1].events = r->blocked_on_write ? POLLOUT
                                        : (short)(POLLIN | (pending ? POLLOUT : 0));
    pfd[0].revents = pfd[1].revents = 0;
    if (poll(pfd, 2, -1) < 0) {
        if (errno == EINTR)
            return STEP_MORE;
        fprintf(stderr, "%s: poll: %s\n", r->p->prog, strerror(errno));
        return STEP_FAIL;
    }
    if (pfd[1].revents != 0)
        s = on_socket(r, fd);
    if (s == STEP_MORE && pfd[0].revents != 0)
        s = on_stdin(r);
    return s;
}

static int run_relay(struct run *run)
{
    struct relay r = {.run = run, .conn = run->conn, .p = run->p,
                      .stdin_open = !run->stdin_eof, .blocked_on_write = 0};
    int fd = run->fd, rc;
    enum step s;

    /* The --early-data content, unless the server took it as 0-RTT; and
     * close_notify if standard input ended during a False Start. */
    rc = send_first(run);
    if (rc == MUTLS_OK && run->stdin_eof)
        rc = mutls_io_close(run->conn);
    if (rc != MUTLS_OK) {
        report_error(run, rc);
        return CLI_EXIT_FAIL;
    }
    if (cli_set_nonblocking(fd, 1) != 0) {
        fprintf(stderr, "%s: fcntl: %s\n", run->p->prog, strerror(errno));
        return CLI_EXIT_FAIL;
    }
    /* Bytes may have arrived with the end of the handshake. */
    s = read_server(&r, fd);
    while (s == STEP_MORE)
        s = relay_once(&r, fd);
    return s == STEP_DONE ? CLI_EXIT_OK : CLI_EXIT_FAIL;
}

/* ---- the whole connection ---------------------------------------------- */

static int converse(struct run *r)
{
    int relay = r->p->get_path == NULL;
    int status = prepare_first(r);

    if (status != CLI_EXIT_OK)
        return status;
    queue_early_data(r);
    status = handshake(r, relay);
    if (status == CLI_EXIT_OK && r->p->key_update)
        status = send_key_update(r);
    if (status != CLI_EXIT_OK)
        return status;
    if (!relay)
        return run_get(r);
    return run_relay(r);
}

/* --sess-out: the newest session the server gave (for TLS 1.3, tickets
 * come after the handshake: the conversation has read them by now). */
static int save_session(const struct run *r)
{
    const struct cli_client_params *p = r->p;
    mutls_session *s;
    char err[512];
    int rc;

    if (p->sess_out == NULL || !mutls_conn_handshake_done(r->conn))
        return CLI_EXIT_OK;
    s = mutls_conn_get_session(r->conn);
    if (s == NULL) {
        fprintf(stderr, "%s: --sess-out %s: the server gave no session to resume (no ticket, "
                "or a TLS 1.2 session without extended master secret); not written\n",
                p->prog, p->sess_out);
        return CLI_EXIT_OK;
    }
    rc = cli_session_save(p->sess_out, s, err, sizeof err);
    mutls_session_free(s);
    if (rc != 0) {
        fprintf(stderr, "%s: --sess-out: %s\n", p->prog, err);
        return CLI_EXIT_FAIL;
    }
    return CLI_EXIT_OK;
}

int cli_client_run(mutls_config *cfg, const struct cli_client_params *p)
{
    char err[256];
    struct run r;
    int fd, status, saved;

    fd = cli_tcp_connect(p->host, p->port, err, sizeof err);
    if (fd < 0) {
        fprintf(stderr, "%s: cannot connect to %s: %s\n", p->prog, p->target, err);
        return CLI_EXIT_FAIL;
    }
    memset(&r, 0, sizeof r);
    r.fd = fd;
    r.p = p;
    r.conn = new_conn(cfg, p, fd);
    if (r.conn == NULL) {
        close(fd);
        return CLI_EXIT_FAIL;
    }
    status = converse(&r);
    saved = save_session(&r);
    if (status == CLI_EXIT_OK)
        status = saved;
    mutls_conn_free(r.conn);
    close(fd);
    free(r.first);
    return status;
}

/* ---- command line ------------------------------------------------------ */

void cli_client_usage(FILE *out)
{
    fputs("Usage: mutls client HOST:PORT [options]\n"
          "\n"
          "Connect to a TLS server and print one line describing the connection\n"
          "to standard error. Then copy standard input to the server and the\n"
          "server's data to standard output; at the end of standard input send\n"
          "close_notify and read until the server closes. With --get, fetch a\n"
          "page instead.\n"
          "\n"
          "HOST is a DNS name, an IPv4 address or an IPv6 address in brackets\n"
          "([::1]:4433).\n"
          "\n"
          "Options:\n"
          "  --servername NAME\n"
          "                   name to send in server_name and to check the\n"
          "                   certificate against (default: HOST)\n", out);
    cli_opts_usage(out, CLIENT_OPTS);
    fputs("  --get PATH       send \"GET PATH HTTP/1.0\" and copy the response to\n"
          "                   standard output\n"
          "  --key-update     after the handshake, send a KeyUpdate that asks\n"
          "                   the server to update its keys too\n"
          "  --sess-out FILE  save the session the server gives, to resume it\n"
          "                   later, in FILE (mode 0600: it holds secrets)\n"
          "  --sess-in FILE   resume the session saved in FILE (refused when\n"
          "                   it is corrupt, expired or for another server name)\n"
          "  --early-data FILE\n"
          "                   send FILE's content as TLS 1.3 early data (0-RTT)\n"
          "                   when the session allows it, else, or if the server\n"
          "                   rejects it, right after the handshake; with --get\n"
          "                   the request follows FILE's content as early data\n"
          "                   too (--early-data /dev/null: just the request).\n"
          "                   Early data can be replayed: idempotent requests only\n"
          "  --false-start    TLS 1.2: send the first data (the request, or\n"
          "                   standard input) after our Finished, before the\n"
          "                   server's (ECDHE with AEAD suites only)\n"
          "  -h, --help       show this help\n"
          "\n"
          "Exit status: 0 on success, 1 if the connection, the handshake or the\n"
          "certificate check failed, or a session file cannot be used, 2 on a\n"
          "usage error.\n", out);
}

struct client_args {
    struct cli_tls_opts tls;
    const char *target;
    const char *servername;
    const char *get_path;
    const char *sess_in, *sess_out, *early_data;
    int key_update, false_start;
    int help;
};

static int parse_own_option(struct client_args *a, int argc, char **argv,
                            int *i)
{
    int rc;

    if ((rc = cli_arg_value(PROG, argc, argv, i, "--servername", &a->servername)) != 0)
        return rc;
    if ((rc = cli_arg_value(PROG, argc, argv, i, "--get", &a->get_path)) != 0)
        return rc;
    if ((rc = cli_arg_value(PROG, argc, argv, i, "--sess-in", &a->sess_in)) != 0)
        return rc;
    if ((rc = cli_arg_value(PROG, argc, argv, i, "--sess-out", &a->sess_out)) != 0)
        return rc;
    if ((rc = cli_arg_value(PROG, argc, argv, i, "--early-data", &a->early_data)) != 0)
        return rc;
    if (strcmp(argv[*i], "--key-update") == 0) {
        a->key_update = 1;
        return 1;
    }
    if (strcmp(argv[*i], "--false-start") == 0) {
        a->false_start = 1;
        return 1;
    }
    return 0;
}

static int parse_args(struct client_args *a, int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        int rc;
        if (cli_is_help(argv[i])) {
            a->help = 1;
            return 0;
        }
        rc = cli_opts_parse(&a->tls, PROG, CLIENT_OPTS, argc, argv, &i);
        if (rc == 0)
            rc = parse_own_option(a, argc, argv, &i);
        if (rc < 0)
            return -1;
        if (rc > 0)
            continue;
        if (argv[i][0] == '-' && argv[i][1] != '\0') {
            cli_usage_error(PROG, "unknown option '%s'", argv[i]);
            return -1;
        }
        if (a->target != NULL) {
            cli_usage_error(PROG, "unexpected argument '%s'", argv[i]);
            return -1;
        }
        a->target = argv[i];
    }
    if (a->target == NULL) {
        cli_usage_error(PROG, "missing HOST:PORT");
        return -1;
    }
    return cli_opts_check(&a->tls, PROG);
}

/* The --early-data file, whole (at most 16 MiB). NULL after printing. */
#define EARLY_FILE_MAX (16u * 1024 * 1024)
static uint8_t *read_early_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    uint8_t *buf = NULL;
    size_t used = 0, cap = 0;

    if (f == NULL) {
        fprintf(stderr, "%s: --early-data: cannot read %s: %s\n", PROG, path, strerror(errno));
        return NULL;
    }
    for (;;) {
        if (used == cap) {
            uint8_t *nb;
            if (cap >= EARLY_FILE_MAX) {
                fprintf(stderr, "%s: --early-data: %s is larger than 16 MiB\n", PROG, path);
                goto fail;
            }
            cap = cap == 0 ? 4096 : cap * 2;
            if ((nb = realloc(buf, cap)) == NULL) {
                fprintf(stderr, "%s: out of memory\n", PROG);
                goto fail;
            }
            buf = nb;
        }
        size_t n = fread(buf + used, 1, cap - used, f);
        used += n;
        if (n == 0) {
            if (ferror(f)) {
                fprintf(stderr, "%s: --early-data: cannot read %s: %s\n", PROG, path,
                        strerror(errno));
                goto fail;
            }
            break;
        }
    }
    fclose(f);
    *len = used;
    return buf;
fail:
    fclose(f);
    free(buf);
    return NULL;
}

int cli_client_main(int argc, char **argv)
{
    struct client_args a;
    struct cli_client_params p;
    struct cli_trace trace;
    char host[CLI_HOST_MAX], port[CLI_PORT_MAX], err[1024];
    mutls_config *cfg;
    mutls_session *session = NULL;
    uint8_t *early = NULL;
    size_t early_len = 0;
    int status;

    memset(&a, 0, sizeof a);
    cli_opts_init(&a.tls);
    if (parse_args(&a, argc, argv) != 0)
        return CLI_EXIT_USAGE;
    if (a.help) {
        cli_client_usage(stdout);
        return CLI_EXIT_OK;
    }
    if (cli_split_host_port(a.target, host, sizeof host, port, sizeof port) != 0) {
        cli_usage_error(PROG, "'%s': expected HOST:PORT or [IPv6]:PORT", a.target);
        return CLI_EXIT_USAGE;
    }
    if (a.early_data != NULL && (early = read_early_file(a.early_data, &early_len)) == NULL)
        return CLI_EXIT_FAIL;
    if (a.sess_in != NULL) {
        session = cli_session_load(a.sess_in, a.servername != NULL ? a.servername : host,
                                   (int64_t)time(NULL), NULL, err, sizeof err);
        if (session == NULL) {
            fprintf(stderr, "%s: --sess-in: %s\n", PROG, err);
            free(early);
            return CLI_EXIT_FAIL;
        }
    }
    cfg = cli_opts_build(&a.tls, MUTLS_CLIENT, PROG, &status);
    if (cfg == NULL) {
        mutls_session_free(session);
        free(early);
        return status;
    }
    if (a.false_start)
        mutls_config_set_false_start(cfg, 1);
    cli_trace_init(&trace, MUTLS_CLIENT, stderr, NULL, NULL);
    p = (struct cli_client_params){
        .prog = PROG, .target = a.target, .host = host, .port = port,
        .servername = a.servername, .get_path = a.get_path,
        .out_fd = STDOUT_FILENO,
        .key_update = a.key_update, .trace = a.tls.trace ? &trace : NULL,
        .session = session, .sess_out = a.sess_out,
        .early_data = early, .early_len = early_len,
        .early_requested = a.early_data != NULL, .false_start = a.false_start};
    status = cli_client_run(cfg, &p);
    mutls_config_free(cfg);
    mutls_session_free(session);
    if (early != NULL)
        memset(early, 0, early_len);
    free(early);
    return status;
}
