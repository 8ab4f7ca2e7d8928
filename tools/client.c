/*
 * mutls client HOST:PORT [options]
 */
#include "client.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "describe.h"
#include "net.h"
#include "opts.h"

#define PROG "mutls client"
#define CLIENT_OPTS (CLI_OPT_CERT | CLI_OPT_CA | CLI_OPT_TLS | CLI_OPT_DEBUG)
#define IO_CHUNK 16384
#define HANDSHAKE_TIMEOUT_S 30

/* ---- reporting --------------------------------------------------------- */

/* Why a call failed, in words. */
static void explain(const mutls_conn *conn, int rc, char *why, size_t cap)
{
    if (rc == MUTLS_WANT_READ || rc == MUTLS_WANT_WRITE)
        snprintf(why, cap, "timed out after %d s", HANDSHAKE_TIMEOUT_S);
    else if (rc == MUTLS_ERR_TRUNCATED && mutls_conn_handshake_done(conn))
        snprintf(why, cap, "connection closed without close_notify "
                 "(data may be truncated)");
    else
        cli_describe_error(conn, rc, why, cap);
}

static void report_error(const struct cli_client_params *p,
                         const mutls_conn *conn, int rc)
{
    char why[1024];

    explain(conn, rc, why, sizeof why);
    fprintf(stderr, "%s: %s: %s\n", p->prog, p->target, why);
}

static void report_handshake_failure(const struct cli_client_params *p,
                                     const mutls_conn *conn, int rc)
{
    char why[1024];

    explain(conn, rc, why, sizeof why);
    fprintf(stderr, "%s: handshake with %s failed: %s\n", p->prog, p->target,
            why);
}

static void describe_server_cert(const mutls_conn *conn, char *out,
                                 size_t cap)
{
    const char *subject = mutls_conn_peer_subject(conn);
    const char *issuer = mutls_conn_peer_issuer(conn);

    if (subject == NULL || subject[0] == '\0') {
        snprintf(out, cap, "%s", mutls_conn_is_resumed(conn)
                                     ? "session resumed" : "no server certificate");
        return;
    }
    snprintf(out, cap, "server certificate %s (issuer %s) %s", subject,
             issuer != NULL ? issuer : "?",
             mutls_conn_peer_verified(conn) ? "verified" : "NOT verified");
}

static void report_connected(const struct cli_client_params *p,
                             const mutls_conn *conn)
{
    char params[160], cert[1024], alpn[300];
    const char *proto = mutls_conn_alpn(conn);

    cli_describe_params(conn, params, sizeof params);
    describe_server_cert(conn, cert, sizeof cert);
    if (proto != NULL)
        snprintf(alpn, sizeof alpn, "ALPN %s", proto);
    else
        snprintf(alpn, sizeof alpn, "no ALPN");
    fprintf(stderr, "mutls: connected to %s: %s, %s, %s\n", p->target, params,
            alpn, cert);
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
    if (p->trace != NULL)
        cli_trace_attach(p->trace, conn);
    return conn;
}

/* Connect and complete the handshake; an exit status. */
static int handshake(mutls_conn *conn, int fd,
                     const struct cli_client_params *p)
{
    int rc;

    if (cli_set_timeouts(fd, HANDSHAKE_TIMEOUT_S) != 0) {
        fprintf(stderr, "%s: %s: setsockopt: %s\n", p->prog, p->target,
                strerror(errno));
        return CLI_EXIT_FAIL;
    }
    if (p->trace != NULL)
        cli_trace_start(p->trace);
    rc = mutls_io_handshake(conn);
    if (rc != MUTLS_OK) {
        report_handshake_failure(p, conn, rc);
        return CLI_EXIT_FAIL;
    }
    if (cli_set_timeouts(fd, 0) != 0) {
        fprintf(stderr, "%s: %s: setsockopt: %s\n", p->prog, p->target,
                strerror(errno));
        return CLI_EXIT_FAIL;
    }
    if (p->trace != NULL)
        cli_trace_summary(p->trace, conn);
    report_connected(p, conn);
    return CLI_EXIT_OK;
}

static int send_key_update(mutls_conn *conn,
                           const struct cli_client_params *p)
{
    int rc = mutls_conn_key_update(conn, 1);

    if (rc == MUTLS_OK)
        rc = mutls_io_flush(conn);
    if (rc != MUTLS_OK) {
        report_error(p, conn, rc);
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

static int run_get(mutls_conn *conn, const struct cli_client_params *p)
{
    char host[CLI_HOST_MAX + 2], request[8192];
    uint8_t buf[IO_CHUNK];
    int n, rc;

    host_header(p, host, sizeof host);
    n = snprintf(request, sizeof request, "GET %s HTTP/1.0\r\nHost: %s\r\n\r\n",
                 p->get_path, host);
    if (n < 0 || (size_t)n >= sizeof request) {
        fprintf(stderr, "%s: --get: path too long\n", p->prog);
        return CLI_EXIT_USAGE;
    }
    rc = mutls_io_write(conn, (const uint8_t *)request, (size_t)n);
    if (rc < 0) {
        report_error(p, conn, rc);
        return CLI_EXIT_FAIL;
    }
    while ((n = mutls_io_read(conn, buf, sizeof buf)) > 0) {
        if (write_out(p, buf, (size_t)n) != 0)
            return CLI_EXIT_FAIL;
    }
    if (n < 0) {
        report_error(p, conn, n);
        return CLI_EXIT_FAIL;
    }
    /* The server closed cleanly; answering its close_notify is courtesy,
     * and the server may already be gone. */
    (void)mutls_io_close(conn);
    return CLI_EXIT_OK;
}

/* ---- relay: stdin -> server, server -> stdout ---------------------------- */

enum step { STEP_MORE, STEP_DONE, STEP_FAIL };

struct relay {
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
    report_error(r->p, r->conn, rc);
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

static int run_relay(mutls_conn *conn, int fd,
                     const struct cli_client_params *p)
{
    struct relay r = {.conn = conn, .p = p, .stdin_open = 1, .blocked_on_write = 0};
    enum step s;

    if (cli_set_nonblocking(fd, 1) != 0) {
        fprintf(stderr, "%s: fcntl: %s\n", p->prog, strerror(errno));
        return CLI_EXIT_FAIL;
    }
    /* Bytes may have arrived with the end of the handshake. */
    s = read_server(&r, fd);
    while (s == STEP_MORE)
        s = relay_once(&r, fd);
    return s == STEP_DONE ? CLI_EXIT_OK : CLI_EXIT_FAIL;
}

/* ---- the whole connection ---------------------------------------------- */

static int converse(mutls_conn *conn, int fd, const struct cli_client_params *p)
{
    int status = handshake(conn, fd, p);

    if (status == CLI_EXIT_OK && p->key_update)
        status = send_key_update(conn, p);
    if (status != CLI_EXIT_OK)
        return status;
    if (p->get_path != NULL)
        return run_get(conn, p);
    return run_relay(conn, fd, p);
}

int cli_client_run(mutls_config *cfg, const struct cli_client_params *p)
{
    char err[256];
    mutls_conn *conn;
    int fd, status;

    fd = cli_tcp_connect(p->host, p->port, err, sizeof err);
    if (fd < 0) {
        fprintf(stderr, "%s: cannot connect to %s: %s\n", p->prog, p->target, err);
        return CLI_EXIT_FAIL;
    }
    conn = new_conn(cfg, p, fd);
    if (conn == NULL) {
        close(fd);
        return CLI_EXIT_FAIL;
    }
    status = converse(conn, fd, p);
    mutls_conn_free(conn);
    close(fd);
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
          "  -h, --help       show this help\n"
          "\n"
          "Exit status: 0 on success, 1 if the connection, the handshake or the\n"
          "certificate check failed, 2 on a usage error.\n", out);
}

struct client_args {
    struct cli_tls_opts tls;
    const char *target;
    const char *servername;
    const char *get_path;
    int key_update;
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
    if (strcmp(argv[*i], "--key-update") == 0) {
        a->key_update = 1;
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

int cli_client_main(int argc, char **argv)
{
    struct client_args a;
    struct cli_client_params p;
    struct cli_trace trace;
    char host[CLI_HOST_MAX], port[CLI_PORT_MAX];
    mutls_config *cfg;
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
    cfg = cli_opts_build(&a.tls, MUTLS_CLIENT, PROG, &status);
    if (cfg == NULL)
        return status;
    cli_trace_init(&trace, MUTLS_CLIENT, stderr, NULL, NULL);
    p = (struct cli_client_params){
        .prog = PROG, .target = a.target, .host = host, .port = port,
        .servername = a.servername, .get_path = a.get_path,
        .out_fd = STDOUT_FILENO,
        .key_update = a.key_update, .trace = a.tls.trace ? &trace : NULL};
    status = cli_client_run(cfg, &p);
    mutls_config_free(cfg);
    return status;
}
