/*
 * mutls server --listen ADDR:PORT --cert FILE --key FILE [options]
 */
#include "server.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/select.h>
#include <unistd.h>

#include "cli.h"
#include "describe.h"
#include "net.h"
#include "opts.h"

#define PROG "mutls server"
#define SERVER_OPTS (CLI_OPT_CERT | CLI_OPT_TLS | CLI_OPT_DEBUG)
#define IO_CHUNK 16384
#define REQUEST_MAX 16384
#define TIMEOUT_S 30      /* handshake, and reading an HTTP request */
#define CLOSE_WAIT_MS 1000

/* ---- one connection ---------------------------------------------------- */

/* A connection and the early data it brought. Accepted 0-RTT data is all
 * in the connection once the handshake is complete (it precedes the
 * client's Finished); it is read out then, to count it for the log line,
 * and served from here before anything else. */
struct sconn {
    mutls_conn *conn;
    uint8_t *pre;          /* read ahead: early data, then maybe more   */
    size_t pre_len, pre_off;
    size_t pre_early;      /* pre[0 .. pre_early) was early data        */
    size_t req_bytes, req_early; /* --www: the request, and how much of
                                    it arrived as early data            */
};

/* Read the early data out of the connection (no socket I/O). */
static void read_ahead(struct sconn *sc)
{
    size_t cap = 0;

    for (;;) {
        if (sc->pre_len + 4096 > cap) {
            uint8_t *nb = realloc(sc->pre, cap + 16384);
            if (nb == NULL)
                return; /* what is left stays in the connection */
            sc->pre = nb;
            cap += 16384;
        }
        int n = mutls_conn_read(sc->conn, sc->pre + sc->pre_len, cap - sc->pre_len);
        if (n <= 0)
            return; /* the same answer comes again to the next read */
        sc->pre_len += (size_t)n;
        if (!mutls_conn_last_read_was_early(sc->conn))
            return; /* ordinary data: keep it, stop */
        sc->pre_early = sc->pre_len;
    }
}

/* mutls_io_read(), served from the read-ahead first; *early tells whether
 * the bytes were early data. */
static int sconn_read(struct sconn *sc, uint8_t *buf, size_t len, int *early)
{
    if (sc->pre_off < sc->pre_len) {
        size_t end = sc->pre_off < sc->pre_early ? sc->pre_early : sc->pre_len;
        size_t n = end - sc->pre_off < len ? end - sc->pre_off : len;
        memcpy(buf, sc->pre + sc->pre_off, n);
        *early = sc->pre_off < sc->pre_early;
        sc->pre_off += n;
        return (int)n;
    }
    *early = 0;
    int n = mutls_io_read(sc->conn, buf, len);
    if (n > 0 && mutls_conn_last_read_was_early(sc->conn))
        *early = 1;
    return n;
}

/* Why a call failed, in words. */
static void explain(const mutls_conn *conn, int rc, char *why, size_t cap)
{
    if (rc == MUTLS_WANT_READ || rc == MUTLS_WANT_WRITE)
        snprintf(why, cap, "timed out after %d s", TIMEOUT_S);
    else if (rc == MUTLS_ERR_TRUNCATED && mutls_conn_handshake_done(conn))
        snprintf(why, cap, "connection closed without close_notify");
    else
        cli_describe_error(conn, rc, why, cap);
}

static void log_error(const struct cli_serve_params *p, const mutls_conn *conn,
                      int rc)
{
    char why[1024];

    explain(conn, rc, why, sizeof why);
    fprintf(stderr, "%s: %s: %s\n", p->prog, p->peer, why);
}

/* ", resumed, early data accepted (37 bytes)"; "" for a full handshake
 * without early data. */
static void describe_resumption(const struct sconn *sc, char *out, size_t cap)
{
    int st = mutls_conn_early_data_status(sc->conn);

    snprintf(out, cap, "%s%s", mutls_conn_is_resumed(sc->conn) ? ", resumed" : "",
             st == MUTLS_EARLY_DATA_REJECTED ? ", early data rejected" : "");
    if (st == MUTLS_EARLY_DATA_ACCEPTED) {
        size_t used = strlen(out);
        snprintf(out + used, cap - used, ", early data accepted (%zu byte%s)", sc->pre_early,
                 sc->pre_early == 1 ? "" : "s");
    }
}

static void log_handshake(const struct cli_serve_params *p,
                          const struct sconn *sc)
{
    char params[160], res[96];
    const char *sni = mutls_conn_server_name(sc->conn);
    const char *alpn = mutls_conn_alpn(sc->conn);

    cli_describe_params(sc->conn, params, sizeof params);
    describe_resumption(sc, res, sizeof res);
    fprintf(stderr, "%s: %s: %s sni=%s alpn=%s%s\n", p->prog, p->peer, params,
            sni != NULL ? sni : "-", alpn != NULL ? alpn : "-", res);
}

static int handshake(struct sconn *sc, const struct cli_serve_params *p)
{
    mutls_conn *conn = sc->conn;
    char why[1024];
    int rc;

    if (p->trace != NULL)
        cli_trace_start(p->trace);
    rc = mutls_io_handshake(conn);
    if (rc != MUTLS_OK) {
        const mutls_peer *peer = mutls_conn_peer(conn);
        explain(conn, rc, why, sizeof why);
        /* A rejected client: who it said it was, and why it was refused. */
        if (peer != NULL)
            fprintf(stderr, "%s: %s: client rejected: subject %s, issuer %s, serial %s: %s\n",
                    p->prog, p->peer, mutls_peer_subject(peer), mutls_peer_issuer(peer),
                    mutls_peer_serial(peer), why);
        else
            fprintf(stderr, "%s: %s: handshake failed: %s\n", p->prog, p->peer, why);
        return -1;
    }
    if (p->post_handshake_auth) {
        rc = mutls_conn_request_client_auth(conn);
        if (rc == MUTLS_OK)
            rc = mutls_io_flush(conn);
        /* Clients that cannot do it were asked during the handshake. */
        if (rc != MUTLS_OK && mutls_conn_peer(conn) == NULL)
            fprintf(stderr, "%s: %s: post-handshake authentication not possible "
                    "(needs a TLS 1.3 client that offers it)\n", p->prog, p->peer);
    }
    if (mutls_conn_early_data_status(conn) == MUTLS_EARLY_DATA_ACCEPTED)
        read_ahead(sc);
    if (p->trace != NULL) {
        p->trace->early_received = (long)sc->pre_early;
        cli_trace_summary(p->trace, conn);
    }
    log_handshake(p, sc);
    return 0;
}

/* The end of the HTTP headers: an empty line (CRLF or bare LF). */
static int headers_complete(const char *buf, size_t len)
{
    for (size_t k = 0; k + 1 < len; k++) {
        if (buf[k] != '\n')
            continue;
        if (buf[k + 1] == '\n' || (k + 2 < len && buf[k + 1] == '\r' &&
                                   buf[k + 2] == '\n'))
            return 1;
    }
    return 0;
}

static int read_request(struct sconn *sc, const struct cli_serve_params *p)
{
    char buf[REQUEST_MAX];
    size_t len = 0;
    int early;

    while (!headers_complete(buf, len)) {
        int n;
        if (len == sizeof buf) {
            fprintf(stderr, "%s: %s: request headers exceed %d bytes\n",
                    p->prog, p->peer, REQUEST_MAX);
            return -1;
        }
        n = sconn_read(sc, (uint8_t *)buf + len, sizeof buf - len, &early);
        if (n == 0) {
            fprintf(stderr, "%s: %s: closed before the end of the request\n",
                    p->prog, p->peer);
            return -1;
        }
        if (n < 0) {
            log_error(p, sc->conn, n);
            return -1;
        }
        len += (size_t)n;
        if (early)
            sc->req_early += (size_t)n;
    }
    sc->req_bytes = len;
    return 0;
}

/* "URI:spiffe://example.org/alice, email:alice@example.org" */
static void san_list(const mutls_peer *peer, char *out, size_t cap)
{
    static const char *const kind[] = {"", "DNS", "IP", "URI", "email"};
    size_t n = mutls_peer_san_count(peer), o = 0;
    out[0] = '\0';
    for (size_t i = 0; i < n && o + 1 < cap; i++) {
        mutls_san_type t;
        const char *v;
        if (mutls_peer_san(peer, i, &t, &v) != MUTLS_OK)
            continue;
        int w = snprintf(out + o, cap - o, "%s%s:%s", o ? ", " : "",
                         (unsigned)t < 5 ? kind[t] : "?", v);
        if (w < 0)
            break;
        o += (size_t)w;
    }
    if (o == 0)
        snprintf(out, cap, "-");
}

static const char *early_status_word(const mutls_conn *conn)
{
    switch (mutls_conn_early_data_status(conn)) {
    case MUTLS_EARLY_DATA_ACCEPTED: return "accepted";
    case MUTLS_EARLY_DATA_REJECTED: return "rejected";
    default: return "none";
    }
}

static void status_body(const struct sconn *sc, char *out, size_t cap)
{
    const mutls_conn *conn = sc->conn;
    char vbuf[8], sbuf[8], gbuf[8];
    uint16_t version = mutls_conn_version(conn);
    uint16_t suite = mutls_conn_cipher_suite(conn);
    uint16_t group = mutls_conn_group(conn);
    const char *sni = mutls_conn_server_name(conn);
    const char *alpn = mutls_conn_alpn(conn);

    snprintf(out, cap,
             "protocol: %s\ncipher: %s\ngroup: %s\nsni: %s\nalpn: %s\n"
             "resumed: %s\nearly_data: %s\n%s"
             "hrr: %s\nems: %s\netm: %s\n",
             cli_name_or_hex(mutls_version_name(version), version, vbuf, sizeof vbuf),
             cli_name_or_hex(mutls_cipher_suite_name(suite), suite, sbuf, sizeof sbuf),
             group == 0 ? "-"
                        : cli_name_or_hex(mutls_group_name(group), group, gbuf, sizeof gbuf),
             sni != NULL ? sni : "-", alpn != NULL ? alpn : "-",
             mutls_conn_is_resumed(conn) ? "yes" : "no", early_status_word(conn),
             /* What of the request can have been replayed. */
             sc->req_early == 0             ? ""
             : sc->req_early < sc->req_bytes ? "request_early: partly\n"
                                             : "request_early: yes\n",
             mutls_conn_did_hrr(conn) ? "yes" : "no",
             /* extended master secret and encrypt-then-MAC are TLS 1.2's */
             version != MUTLS_TLS1_2 ? "-" : mutls_conn_ems(conn) ? "yes" : "no",
             version != MUTLS_TLS1_2 ? "-" : mutls_conn_etm(conn) ? "yes" : "no");
    const mutls_peer *peer = mutls_conn_peer(conn);
    char sans[1024];
    size_t used = strlen(out);
    san_list(peer, sans, sizeof sans);
    snprintf(out + used, cap - used,
             "client_subject: %s\nclient_issuer: %s\nclient_san: %s\nclient_spiffe_id: %s\n"
             "client_fingerprint: %s%s\nclient_verified: %s\n",
             peer ? mutls_peer_subject(peer) : "-", peer ? mutls_peer_issuer(peer) : "-",
             peer ? sans : "-", peer && mutls_peer_spiffe_id(peer) ? mutls_peer_spiffe_id(peer) : "-",
             peer ? "sha256:" : "-", peer ? mutls_peer_fingerprint_sha256(peer) : "",
             peer && mutls_peer_verified(peer) ? "yes" : "no");
}

static int serve_www(struct sconn *sc, const struct cli_serve_params *p)
{
    mutls_conn *conn = sc->conn;
    char body[4096], page[4352];
    int n, rc;

    if (read_request(sc, p) != 0)
        return -1;
    /* The client may send its request before answering a post-handshake
     * CertificateRequest: no page before the answer is in. */
    if (mutls_conn_client_auth_pending(conn) && (rc = mutls_io_complete_client_auth(conn)) != 0) {
        log_error(p, conn, rc);
        return -1;
    }
    status_body(sc, body, sizeof body);
    n = snprintf(page, sizeof page,
                 "HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n"
                 "Content-Length: %zu\r\n\r\n%s", strlen(body), body);
    if (n < 0 || (size_t)n >= sizeof page)
        return -1;
    rc = mutls_io_write(conn, (const uint8_t *)page, (size_t)n);
    if (rc >= 0)
        rc = mutls_io_close(conn);
    if (rc < 0) {
        log_error(p, conn, rc);
        return -1;
    }
    return 0;
}

/* Echo or print one chunk of the client's data. 0 or -1 (logged). */
static int pass_on(mutls_conn *conn, const struct cli_serve_params *p,
                   const uint8_t *buf, size_t len)
{
    int rc;

    if (p->mode != CLI_SERVE_ECHO) {
        if (cli_write_all(STDOUT_FILENO, buf, len) == 0)
            return 0;
        fprintf(stderr, "%s: standard output: %s\n", p->prog, strerror(errno));
        return -1;
    }
    rc = mutls_io_write(conn, buf, len);
    if (rc < 0) {
        log_error(p, conn, rc);
        return -1;
    }
    return 0;
}

/* Echo (or print) until the client's close_notify, then answer it. */
static int serve_stream(struct sconn *sc, const struct cli_serve_params *p)
{
    mutls_conn *conn = sc->conn;
    uint8_t buf[IO_CHUNK];
    int n, rc, early;

    while ((n = sconn_read(sc, buf, sizeof buf, &early)) > 0) {
        if (pass_on(conn, p, buf, (size_t)n) != 0)
            return -1;
    }
    rc = n < 0 ? n : mutls_io_close(conn);
    if (rc < 0) {
        log_error(p, conn, rc);
        return -1;
    }
    return 0;
}

static int serve(struct sconn *sc, int fd, const struct cli_serve_params *p)
{
    int rc;

    if (cli_set_timeouts(fd, TIMEOUT_S) != 0) {
        fprintf(stderr, "%s: %s: setsockopt: %s\n", p->prog, p->peer, strerror(errno));
        return -1;
    }
    if (handshake(sc, p) != 0)
        return -1;
    if (p->mode == CLI_SERVE_WWW)
        return serve_www(sc, p);
    rc = cli_set_timeouts(fd, 0);
    if (rc != 0) {
        fprintf(stderr, "%s: %s: setsockopt: %s\n", p->prog, p->peer, strerror(errno));
        return -1;
    }
    return serve_stream(sc, p);
}

int cli_serve_connection(mutls_config *cfg, int fd,
                         const struct cli_serve_params *p)
{
    mutls_conn *conn = mutls_conn_new(cfg);
    int status;

    if (conn == NULL) {
        fprintf(stderr, "%s: %s: out of memory\n", p->prog, p->peer);
        close(fd);
        return -1;
    }
    if (p->trace != NULL)
        cli_trace_attach(p->trace, conn);
    struct sconn sc = {.conn = conn};
    status = mutls_conn_set_fd(conn, fd);
    if (status != MUTLS_OK)
        log_error(p, conn, status);
    else
        status = serve(&sc, fd, p);
    if (sc.pre != NULL)
        memset(sc.pre, 0, sc.pre_len);
    free(sc.pre);
    mutls_conn_free(conn);
    cli_close_gracefully(fd, CLOSE_WAIT_MS);
    return status == 0 ? 0 : -1;
}

/* ---- the listening server ---------------------------------------------- */

static volatile sig_atomic_t g_stop, g_reload;

static void on_signal(int sig)
{
    if (sig == SIGHUP)
        g_reload = 1;
    else
        g_stop = 1;
}

/* A connection handed to its thread; owns a configuration reference. */
struct job {
    mutls_config *cfg;
    int fd;
    int done_fd; /* where the thread reports that it is over */
    enum cli_serve_mode mode;
    int trace;
    unsigned long id;
    int pha;
    char peer[CLI_ADDR_MAX];
};

/* A connection thread's last words, written to the pipe in one piece
 * (atomic: far below PIPE_BUF). The main thread joins it, so that the
 * thread is gone, thread-local state and all, before the process exits. */
struct done_msg {
    pthread_t thread;
    int ok;
};

static void *connection_thread(void *arg)
{
    struct job *j = arg;
    struct cli_trace trace;
    struct cli_serve_params p;
    struct done_msg msg;
    char prefix[32];
    int done_fd;

    snprintf(prefix, sizeof prefix, "#%lu ", j->id);
    cli_trace_init(&trace, MUTLS_SERVER, stderr, prefix, NULL);
    p = (struct cli_serve_params){.prog = PROG, .peer = j->peer, .mode = j->mode,
                                  .trace = j->trace ? &trace : NULL,
                                  .post_handshake_auth = j->pha};
    msg.thread = pthread_self();
    msg.ok = cli_serve_connection(j->cfg, j->fd, &p) == 0;
    done_fd = j->done_fd;
    mutls_config_free(j->cfg);
    free(j);
    if (write(done_fd, &msg, sizeof msg) != (ssize_t)sizeof msg)
        fprintf(stderr, "%s: cannot report a finished connection: %s\n", PROG,
                strerror(errno));
    return NULL;
}

struct server {
    mutls_config *cfg;
    enum cli_serve_mode mode;
    int trace;
    int pha;
    unsigned long count;  /* stop after this many connections; 0: never */
    int listen_fd;
    int done_pipe[2];
    unsigned long accepted, active, failed;
    const char *ticket_key_file; /* reloaded on SIGHUP */
};

/* SIGHUP: load the ticket key file again. Connections keep running; a
 * file that is refused leaves the keys in use as they were. */
static void reload_ticket_keys(struct server *s)
{
    int rc;

    g_reload = 0;
    if (s->ticket_key_file == NULL)
        return;
    rc = mutls_config_load_ticket_keys(s->cfg, s->ticket_key_file);
    if (rc == MUTLS_OK)
        fprintf(stderr, "%s: reloaded ticket keys from %s\n", PROG, s->ticket_key_file);
    else
        fprintf(stderr, "%s: reloading ticket keys from %s failed, keeping the keys in use: "
                "%s\n", PROG, s->ticket_key_file, mutls_config_error(s->cfg));
    fflush(stderr);
}

/* Accept one connection and start its thread. 0 if one was started. */
static int accept_one(struct server *s)
{
    struct sockaddr_storage ss;
    socklen_t len = sizeof ss;
    struct job *j;
    pthread_t tid;
    int fd = accept(s->listen_fd, (struct sockaddr *)&ss, &len);
    int rc;

    if (fd < 0) {
        if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR &&
            errno != ECONNABORTED)
            fprintf(stderr, "%s: accept: %s\n", PROG, strerror(errno));
        return -1;
    }
    j = calloc(1, sizeof *j);
    if (j == NULL || cli_set_nonblocking(fd, 0) != 0 || cli_set_nodelay(fd) != 0) {
        fprintf(stderr, "%s: cannot take a connection: %s\n", PROG,
                j == NULL ? "out of memory" : strerror(errno));
        free(j);
        close(fd);
        return -1;
    }
    *j = (struct job){.cfg = mutls_config_up_ref(s->cfg), .fd = fd,
                      .done_fd = s->done_pipe[1], .mode = s->mode,
                      .trace = s->trace, .pha = s->pha, .id = s->accepted + 1};
    cli_format_addr((struct sockaddr *)&ss, len, j->peer, sizeof j->peer);
    rc = pthread_create(&tid, NULL, connection_thread, j);
    if (rc != 0) {
        fprintf(stderr, "%s: %s: cannot start a thread: %s\n", PROG, j->peer,
                strerror(rc));
        mutls_config_free(j->cfg);
        free(j);
        close(fd);
        return -1;
    }
    return 0;
}

/* A connection is over: join its thread and count it. */
static void collect(struct server *s)
{
    struct done_msg msg;
    ssize_t n = read(s->done_pipe[0], &msg, sizeof msg);

    if (n != (ssize_t)sizeof msg)
        return; /* EINTR: pselect will report the pipe again */
    s->active--;
    if (!msg.ok)
        s->failed++;
    if (pthread_join(msg.thread, NULL) != 0)
        fprintf(stderr, "%s: cannot join a connection thread\n", PROG);
}

static int accepting(const struct server *s)
{
    return s->count == 0 || s->accepted < s->count;
}

/* Serve until a signal, or until --count connections are over. One wait,
 * with SIGINT/SIGTERM deliverable only inside it (pselect), so that a
 * signal cannot slip in between the check and the wait. */
static int serve_loop(struct server *s, const sigset_t *wait_mask)
{
    while (!g_stop && (accepting(s) || s->active > 0)) {
        fd_set rfds;
        if (g_reload)
            reload_ticket_keys(s);
        int maxfd = s->done_pipe[0];
        FD_ZERO(&rfds);
        FD_SET(s->done_pipe[0], &rfds);
        if (accepting(s)) {
            FD_SET(s->listen_fd, &rfds);
            if (s->listen_fd > maxfd)
                maxfd = s->listen_fd;
        }
        if (pselect(maxfd + 1, &rfds, NULL, NULL, NULL, wait_mask) < 0) {
            if (errno == EINTR)
                continue;
            fprintf(stderr, "%s: pselect: %s\n", PROG, strerror(errno));
            return CLI_EXIT_FAIL;
        }
        if (FD_ISSET(s->done_pipe[0], &rfds))
            collect(s);
        if (accepting(s) && FD_ISSET(s->listen_fd, &rfds) && accept_one(s) == 0) {
            s->accepted++;
            s->active++;
        }
    }
    if (g_stop)
        return CLI_EXIT_OK;
    return s->failed > 0 ? CLI_EXIT_FAIL : CLI_EXIT_OK;
}

/* Block SIGINT and SIGTERM, and SIGHUP with a ticket key file to reload
 * (connection threads inherit that), and catch them; *wait_mask is the
 * mask to wait with, where they are deliverable. */
static int setup_signals(sigset_t *wait_mask, int hup)
{
    struct sigaction sa;
    sigset_t block;

    sigemptyset(&block);
    sigaddset(&block, SIGINT);
    sigaddset(&block, SIGTERM);
    if (hup)
        sigaddset(&block, SIGHUP);
    if (pthread_sigmask(SIG_BLOCK, &block, wait_mask) != 0)
        return -1;
    sigdelset(wait_mask, SIGINT);
    sigdelset(wait_mask, SIGTERM);
    if (hup)
        sigdelset(wait_mask, SIGHUP);
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    if (sigaction(SIGINT, &sa, NULL) != 0 || sigaction(SIGTERM, &sa, NULL) != 0 ||
        (hup && sigaction(SIGHUP, &sa, NULL) != 0))
        return -1;
    return 0;
}

static int open_listener(struct server *s, const char *listen_arg)
{
    char host[CLI_HOST_MAX], port[CLI_PORT_MAX], err[256], addr[CLI_ADDR_MAX];

    if (cli_split_host_port(listen_arg, host, sizeof host, port, sizeof port) != 0) {
        cli_usage_error(PROG, "--listen: '%s': expected ADDR:PORT or [IPv6]:PORT",
                        listen_arg);
        return CLI_EXIT_USAGE;
    }
    s->listen_fd = cli_tcp_listen(host, port, err, sizeof err);
    if (s->listen_fd < 0) {
        fprintf(stderr, "%s: cannot listen on %s: %s\n", PROG, listen_arg, err);
        return CLI_EXIT_FAIL;
    }
    if (cli_set_nonblocking(s->listen_fd, 1) != 0 ||
        cli_local_addr(s->listen_fd, addr, sizeof addr) != 0) {
        fprintf(stderr, "%s: %s: %s\n", PROG, listen_arg, strerror(errno));
        return CLI_EXIT_FAIL;
    }
    fprintf(stderr, "%s: listening on %s\n", PROG, addr);
    fflush(stderr);
    return CLI_EXIT_OK;
}

static int run_server(struct server *s, const char *listen_arg)
{
    sigset_t wait_mask;
    int status;

    if (setup_signals(&wait_mask, s->ticket_key_file != NULL) != 0 || pipe(s->done_pipe) != 0) {
        fprintf(stderr, "%s: %s\n", PROG, strerror(errno));
        return CLI_EXIT_FAIL;
    }
    status = open_listener(s, listen_arg);
    if (status == CLI_EXIT_OK)
        status = serve_loop(s, &wait_mask);
    if (s->listen_fd >= 0)
        close(s->listen_fd);
    /* The pipe stays open: connection threads may still report to it
     * until the process exits. */
    return status;
}

/* ---- command line ------------------------------------------------------ */

void cli_server_usage(FILE *out)
{
    fputs("Usage: mutls server --listen ADDR:PORT --cert FILE --key FILE [options]\n"
          "\n"
          "Accept TLS connections, each in its own thread, until interrupted\n"
          "(SIGINT, SIGTERM) or until --count connections are over. Prints\n"
          "\"mutls server: listening on ADDR:PORT\" once ready (with port 0, the\n"
          "port chosen), then one line per connection, to standard error.\n"
          "\n"
          "Options:\n"
          "  --listen ADDR:PORT\n"
          "                   address to listen on: 127.0.0.1:4433, [::]:4433,\n"
          "                   :4433 (every address); port 0 picks a free port\n", out);
    cli_opts_usage(out, SERVER_OPTS);
    fputs("  --www            answer an HTTP request with a text page of the\n"
          "                   negotiated parameters, then close\n"
          "  --echo           send back whatever the client sends\n"
          "                   (default: copy it to standard output)\n"
          "  --count N        exit after N connections are over\n"
          "  --client-ca FILE trust client certificates from the CAs in FILE\n"
          "                   (repeatable); turns on mutual TLS\n"
          "  --verify-client none|optional|require\n"
          "                   client certificates: none asks for none;\n"
          "                   optional accepts clients without one; require\n"
          "                   (the default with --client-ca) refuses them\n"
          "  --crl FILE       refuse client certificates revoked by this CRL\n"
          "                   (PEM, repeatable; every CA of the chain needs one)\n"
          "  --no-ca-names    do not list the client CAs in CertificateRequest\n"
          "  --post-handshake-auth\n"
          "                   TLS 1.3: ask for the client certificate after the\n"
          "                   handshake instead of during it\n"
          "  --tickets N      TLS 1.3 session tickets sent after each handshake\n"
          "                   (default 2, at most 16); TLS 1.2 clients get one\n"
          "                   when N > 0\n"
          "  --no-tickets     send no session tickets (same as --tickets 0)\n"
          "  --ticket-lifetime SECONDS\n"
          "                   how long a session may be resumed (default 7200,\n"
          "                   at most 604800)\n"
          "  --ticket-key-file FILE\n"
          "                   seal tickets with the keys in FILE, shared with other\n"
          "                   servers (format: docs/resumption.md; default: random\n"
          "                   keys of this process); reloaded on SIGHUP\n"
          "  --session-cache N\n"
          "                   TLS 1.2 session IDs remembered (default 1024; 0: off)\n"
          "  --early-data MAX_BYTES\n"
          "                   accept up to MAX_BYTES of TLS 1.3 early data (0-RTT)\n"
          "                   from resuming clients (default: refuse it); replays\n"
          "                   of a ticket's early data are rejected\n"
          "  --psk-ke         allow TLS 1.3 resumption without a new (EC)DHE\n"
          "                   exchange for clients that offer only that (no\n"
          "                   forward secrecy)\n"
          "  -h, --help       show this help\n"
          "\n"
          "Exit status: 0 when stopped by a signal or when all --count\n"
          "connections succeeded, 1 if one of them failed or the server could\n"
          "not start, 2 on a usage error.\n", out);
}

#define MAX_CA_FILES 8

struct server_args {
    struct cli_tls_opts tls;
    const char *listen;
    int www, echo, help;
    unsigned long count;
    const char *client_ca[MAX_CA_FILES];
    int n_client_ca;
    const char *crl[MAX_CA_FILES];
    int n_crl;
    const char *verify_client;
    int no_ca_names, pha;
    long tickets, session_cache, early_data, ticket_lifetime; /* -1: default */
    const char *ticket_key_file;
    int psk_ke;
};

static int take_repeat(const char *opt, const char *v, const char **list, int *n)
{
    if (*n == MAX_CA_FILES) {
        cli_usage_error(PROG, "%s: at most %d files", opt, MAX_CA_FILES);
        return -1;
    }
    list[(*n)++] = v;
    return 1;
}

static int parse_count(const char *v, unsigned long *out)
{
    char *end;
    unsigned long n;

    errno = 0;
    n = strtoul(v, &end, 10);
    if (v[0] < '0' || v[0] > '9' || *end != '\0' || errno != 0 || n == 0) {
        cli_usage_error(PROG, "--count: '%s' is not a positive number", v);
        return -1;
    }
    *out = n;
    return 1;
}

/* A number in [min, max] for option opt. 1, or -1 after printing. */
static int parse_number(const char *opt, const char *v, long min, long max, long *out)
{
    char *end;
    long n;

    errno = 0;
    n = strtol(v, &end, 10);
    if (v[0] < '0' || v[0] > '9' || *end != '\0' || errno != 0 || n < min || n > max) {
        cli_usage_error(PROG, "%s: '%s' is not a number from %ld to %ld", opt, v, min, max);
        return -1;
    }
    *out = n;
    return 1;
}

static int parse_resumption_option(struct server_args *a, int argc, char **argv, int *i)
{
    const char *v;
    int rc;

    if ((rc = cli_arg_value(PROG, argc, argv, i, "--tickets", &v)) != 0)
        return rc < 0 ? rc : parse_number("--tickets", v, 0, 16, &a->tickets);
    if ((rc = cli_arg_value(PROG, argc, argv, i, "--ticket-lifetime", &v)) != 0)
        return rc < 0 ? rc : parse_number("--ticket-lifetime", v, 1, 604800, &a->ticket_lifetime);
    if ((rc = cli_arg_value(PROG, argc, argv, i, "--session-cache", &v)) != 0)
        return rc < 0 ? rc : parse_number("--session-cache", v, 0, 10000000, &a->session_cache);
    if ((rc = cli_arg_value(PROG, argc, argv, i, "--early-data", &v)) != 0)
        return rc < 0 ? rc : parse_number("--early-data", v, 0, 0x7fffffffL, &a->early_data);
    if ((rc = cli_arg_value(PROG, argc, argv, i, "--ticket-key-file", &a->ticket_key_file)) != 0)
        return rc;
    if (strcmp(argv[*i], "--no-tickets") == 0) {
        a->tickets = 0;
        return 1;
    }
    if (strcmp(argv[*i], "--psk-ke") == 0) {
        a->psk_ke = 1;
        return 1;
    }
    return 0;
}

static int parse_own_option(struct server_args *a, int argc, char **argv, int *i)
{
    const char *v;
    int rc;

    if ((rc = parse_resumption_option(a, argc, argv, i)) != 0)
        return rc;

    if ((rc = cli_arg_value(PROG, argc, argv, i, "--listen", &a->listen)) != 0)
        return rc;
    if ((rc = cli_arg_value(PROG, argc, argv, i, "--count", &v)) != 0)
        return rc < 0 ? rc : parse_count(v, &a->count);
    if ((rc = cli_arg_value(PROG, argc, argv, i, "--client-ca", &v)) != 0)
        return rc < 0 ? rc : take_repeat("--client-ca", v, a->client_ca, &a->n_client_ca);
    if ((rc = cli_arg_value(PROG, argc, argv, i, "--crl", &v)) != 0)
        return rc < 0 ? rc : take_repeat("--crl", v, a->crl, &a->n_crl);
    if ((rc = cli_arg_value(PROG, argc, argv, i, "--verify-client", &a->verify_client)) != 0) {
        if (rc > 0 && strcmp(a->verify_client, "none") != 0 &&
            strcmp(a->verify_client, "optional") != 0 && strcmp(a->verify_client, "require") != 0) {
            cli_usage_error(PROG, "--verify-client: '%s' is not none, optional or require",
                            a->verify_client);
            return -1;
        }
        return rc;
    }
    if (strcmp(argv[*i], "--no-ca-names") == 0) {
        a->no_ca_names = 1;
        return 1;
    }
    if (strcmp(argv[*i], "--post-handshake-auth") == 0) {
        a->pha = 1;
        return 1;
    }
    if (strcmp(argv[*i], "--www") == 0) {
        a->www = 1;
        return 1;
    }
    if (strcmp(argv[*i], "--echo") == 0) {
        a->echo = 1;
        return 1;
    }
    return 0;
}

static int check_args(const struct server_args *a)
{
    if (a->listen == NULL) {
        cli_usage_error(PROG, "--listen ADDR:PORT is required");
        return -1;
    }
    if (a->tls.n_cert == 0) {
        cli_usage_error(PROG, "--cert FILE --key FILE is required");
        return -1;
    }
    if (a->www && a->echo) {
        cli_usage_error(PROG, "--www and --echo cannot be combined");
        return -1;
    }
    if (a->verify_client != NULL && strcmp(a->verify_client, "none") != 0 && a->n_client_ca == 0) {
        cli_usage_error(PROG, "--verify-client %s needs --client-ca FILE", a->verify_client);
        return -1;
    }
    if (a->tickets == 0 && a->early_data > 0) {
        cli_usage_error(PROG, "--early-data needs session tickets (not with --no-tickets or "
                        "--tickets 0)");
        return -1;
    }
    if (a->tickets == 0 && a->ticket_key_file != NULL) {
        cli_usage_error(PROG, "--ticket-key-file has no use with --no-tickets or --tickets 0");
        return -1;
    }
    if ((a->n_crl > 0 || a->pha) && a->n_client_ca == 0) {
        cli_usage_error(PROG, "%s needs --client-ca FILE", a->pha ? "--post-handshake-auth" : "--crl");
        return -1;
    }
    return cli_opts_check(&a->tls, PROG);
}

static int parse_args(struct server_args *a, int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        int rc;
        if (cli_is_help(argv[i])) {
            a->help = 1;
            return 0;
        }
        rc = cli_opts_parse(&a->tls, PROG, SERVER_OPTS, argc, argv, &i);
        if (rc == 0)
            rc = parse_own_option(a, argc, argv, &i);
        if (rc < 0)
            return -1;
        if (rc == 0) {
            if (argv[i][0] == '-')
                cli_usage_error(PROG, "unknown option '%s'", argv[i]);
            else
                cli_usage_error(PROG, "unexpected argument '%s'", argv[i]);
            return -1;
        }
    }
    return check_args(a);
}

/* --client-ca, --crl, --verify-client, --no-ca-names. 0 or -1 (printed). */
static int configure_client_auth(mutls_config *cfg, const struct server_args *a)
{
    for (int i = 0; i < a->n_client_ca; i++)
        if (mutls_config_add_client_ca_file(cfg, a->client_ca[i]) != MUTLS_OK) {
            fprintf(stderr, "%s: --client-ca %s: %s\n", PROG, a->client_ca[i], mutls_config_error(cfg));
            return -1;
        }
    for (int i = 0; i < a->n_crl; i++)
        if (mutls_config_add_crl_file(cfg, a->crl[i]) != MUTLS_OK) {
            fprintf(stderr, "%s: --crl %s: %s\n", PROG, a->crl[i], mutls_config_error(cfg));
            return -1;
        }
    if (a->verify_client != NULL)
        mutls_config_set_verify(cfg, strcmp(a->verify_client, "require") == 0   ? MUTLS_VERIFY_REQUIRE
                                     : strcmp(a->verify_client, "optional") == 0 ? MUTLS_VERIFY_OPTIONAL
                                                                                 : MUTLS_VERIFY_NONE);
    if (a->no_ca_names)
        mutls_config_set_send_ca_names(cfg, 0);
    if (a->pha)
        mutls_config_set_post_handshake_auth(cfg, 1);
    return 0;
}

/* --tickets, --ticket-lifetime, --ticket-key-file, --session-cache,
 * --early-data, --psk-ke. 0 or -1 (printed). */
static int configure_resumption(mutls_config *cfg, const struct server_args *a)
{
    int rc = MUTLS_OK;
    const char *what = "";

    /* The lifetime first: it sizes the automatic ticket keys. */
    if (a->ticket_lifetime > 0 &&
        (rc = mutls_config_set_ticket_lifetime(cfg, (uint32_t)a->ticket_lifetime)) != MUTLS_OK)
        what = "--ticket-lifetime";
    else if (a->tickets >= 0 &&
             (rc = mutls_config_set_tickets(cfg, (unsigned)a->tickets)) != MUTLS_OK)
        what = "--tickets";
    else if (a->session_cache >= 0 &&
             (rc = mutls_config_set_session_cache(cfg, (size_t)a->session_cache,
                                                  a->ticket_lifetime > 0
                                                      ? (uint32_t)a->ticket_lifetime
                                                      : 7200)) != MUTLS_OK)
        what = "--session-cache";
    else if (a->early_data > 0 &&
             (rc = mutls_config_set_early_data(cfg, (uint32_t)a->early_data)) != MUTLS_OK)
        what = "--early-data";
    else if (a->ticket_key_file != NULL &&
             (rc = mutls_config_load_ticket_keys(cfg, a->ticket_key_file)) != MUTLS_OK)
        what = "--ticket-key-file";
    if (rc != MUTLS_OK) {
        fprintf(stderr, "%s: %s: %s\n", PROG, what, mutls_config_error(cfg));
        return -1;
    }
    if (a->psk_ke)
        mutls_config_set_psk_ke(cfg, 1);
    return 0;
}

int cli_server_main(int argc, char **argv)
{
    struct server_args a;
    struct server s;
    int status;

    memset(&a, 0, sizeof a);
    a.tickets = a.session_cache = a.early_data = a.ticket_lifetime = -1;
    cli_opts_init(&a.tls);
    if (parse_args(&a, argc, argv) != 0)
        return CLI_EXIT_USAGE;
    if (a.help) {
        cli_server_usage(stdout);
        return CLI_EXIT_OK;
    }
    memset(&s, 0, sizeof s);
    s.listen_fd = -1;
    s.mode = a.www ? CLI_SERVE_WWW : a.echo ? CLI_SERVE_ECHO : CLI_SERVE_PRINT;
    s.trace = a.tls.trace;
    s.count = a.count;
    s.cfg = cli_opts_build(&a.tls, MUTLS_SERVER, PROG, &status);
    if (s.cfg == NULL)
        return status;
    if (configure_client_auth(s.cfg, &a) != 0 || configure_resumption(s.cfg, &a) != 0) {
        mutls_config_free(s.cfg);
        return CLI_EXIT_FAIL;
    }
    s.pha = a.pha;
    s.ticket_key_file = a.ticket_key_file;
    status = run_server(&s, a.listen);
    mutls_config_free(s.cfg); /* running connections hold their own */
    return status;
}
