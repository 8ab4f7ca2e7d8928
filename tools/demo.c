/*
 * mutls demo: mutual TLS in one process, over loopback. A throw-away CA,
 * a server certificate and a client certificate; a server that requires
 * client certificates from that CA; a client without a certificate (refused)
 * and a client with one (accepted, identified); then the same client again,
 * resuming its session, and once more with its request as 0-RTT early data,
 * with the round trips each one costs.
 */
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "certgen.h"
#include "cli.h"
#include "client.h"
#include "net.h"
#include "opts.h"
#include "server.h"
#include "session_file.h"
#include "trace.h"

#define PROG "mutls demo"
#define ACCEPT_TIMEOUT_MS 10000
#define CLIENT_CN "alice"
#define CLIENT_SPIFFE_ID "spiffe://demo.mutls.test/alice"
#define EXPECTED_ALERT "certificate_required"

/* ---- what each side saw ------------------------------------------------- */

/* A connection's trace, written to memory and printed once the connection
 * is over, with what the trace hook noted on the way: the fatal alerts and
 * the peer's identity (mutls_conn_peer()), copied while the connection
 * exists. The cli_trace comes first: it is the connection's user pointer,
 * which cli_trace_hook reads. */
struct demo_trace {
    struct cli_trace trace;
    char *text;
    size_t len;
    char alert_sent[64], alert_received[64]; /* fatal alerts, "" if none */
    int has_peer, peer_verified;
    char subject[512], issuer[512], spiffe_id[2100], fingerprint[80];
};

static void copy_str(char *dst, size_t cap, const char *src)
{
    snprintf(dst, cap, "%s", src != NULL ? src : "");
}

/* The ladder as always, plus the notes. */
static void demo_trace_hook(void *ctx, const mutls_conn *conn, const mutls_trace_event *ev)
{
    struct demo_trace *dt = mutls_conn_user(conn);
    const mutls_peer *peer;

    cli_trace_hook(ctx, conn, ev);
    if (dt == NULL || ev == NULL)
        return;
    if (ev->msg_type == 0 && ev->name != NULL && strcmp(ev->name, "Alert") == 0 &&
        ev->detail != NULL && strncmp(ev->detail, "fatal ", 6) == 0) {
        if (ev->sent)
            copy_str(dt->alert_sent, sizeof dt->alert_sent, ev->detail + 6);
        else
            copy_str(dt->alert_received, sizeof dt->alert_received, ev->detail + 6);
    }
    peer = mutls_conn_peer(conn);
    if (peer == NULL)
        return;
    dt->has_peer = 1;
    dt->peer_verified = mutls_peer_verified(peer);
    copy_str(dt->subject, sizeof dt->subject, mutls_peer_subject(peer));
    copy_str(dt->issuer, sizeof dt->issuer, mutls_peer_issuer(peer));
    copy_str(dt->spiffe_id, sizeof dt->spiffe_id, mutls_peer_spiffe_id(peer));
    copy_str(dt->fingerprint, sizeof dt->fingerprint, mutls_peer_fingerprint_sha256(peer));
}

static int open_demo_trace(struct demo_trace *dt, mutls_role role, const struct timespec *start)
{
    FILE *f;

    memset(dt, 0, sizeof *dt);
    f = open_memstream(&dt->text, &dt->len);
    if (f == NULL)
        return -1;
    cli_trace_init(&dt->trace, role, f, NULL, start);
    return 0;
}

/* Close the stream (the text stays until free_demo_trace). */
static int close_demo_trace(struct demo_trace *dt)
{
    int rc = 0;

    if (dt->trace.out != NULL && fclose(dt->trace.out) != 0)
        rc = -1;
    dt->trace.out = NULL;
    return rc;
}

static void free_demo_trace(struct demo_trace *dt)
{
    (void)close_demo_trace(dt); /* only on error paths: nothing to report */
    free(dt->text);
    dt->text = NULL;
}

/* ---- the log lines of both sides ----------------------------------------- */

/* The client and the server report on standard error, as `mutls client`
 * and `mutls server` do. While a connection runs, standard error goes to a
 * temporary file, so that the lines can then be shown in order under their
 * headings. */
struct capture {
    FILE *f;
    int saved_fd;
};

static void capture_begin(struct capture *c)
{
    fflush(stdout);
    fflush(stderr);
    c->saved_fd = -1;
    c->f = tmpfile();
    if (c->f == NULL)
        return; /* not captured: the lines go straight to standard error */
    c->saved_fd = dup(STDERR_FILENO);
    if (c->saved_fd < 0 || dup2(fileno(c->f), STDERR_FILENO) < 0) {
        if (c->saved_fd >= 0)
            close(c->saved_fd);
        fclose(c->f);
        c->f = NULL;
        c->saved_fd = -1;
    }
}

static void capture_end(struct capture *c)
{
    if (c->f == NULL)
        return;
    fflush(stderr);
    (void)dup2(c->saved_fd, STDERR_FILENO);
    close(c->saved_fd);
    c->saved_fd = -1;
    rewind(c->f);
}

static int is_server_line(const char *line)
{
    return strncmp(line, "mutls server:", 13) == 0;
}

/* Print the captured lines of one side (the server's, or everything else),
 * under a heading. */
static void print_captured(const struct capture *c, int server, const char *heading)
{
    char *line = NULL;
    size_t cap = 0;
    int first = 1;

    if (c->f == NULL)
        return;
    rewind(c->f);
    while (getline(&line, &cap, c->f) > 0) {
        if (is_server_line(line) != server)
            continue;
        if (first)
            printf("%s\n", heading);
        first = 0;
        printf("  %s", line);
        if (line[strlen(line) - 1] != '\n')
            putchar('\n');
    }
    free(line);
}

static void capture_free(struct capture *c)
{
    if (c->f != NULL)
        fclose(c->f);
    c->f = NULL;
}

/* ---- one connection: the server thread and the client ------------------- */

struct demo_server {
    mutls_config *cfg;
    int listen_fd, wake_fd;
    struct demo_trace *dt;
    int status; /* CLI_EXIT_* */
};

/* Accept one connection and serve it like `mutls server --www`. Gives up
 * when the client could not connect (a byte on wake_fd) or after
 * ACCEPT_TIMEOUT_MS. */
static void *server_thread(void *arg)
{
    struct demo_server *ds = arg;
    struct pollfd pfd[2] = {{ds->listen_fd, POLLIN, 0}, {ds->wake_fd, POLLIN, 0}};
    struct sockaddr_storage ss;
    socklen_t len = sizeof ss;
    char peer[CLI_ADDR_MAX];
    struct cli_serve_params p;
    int fd = -1;

    ds->status = CLI_EXIT_FAIL;
    if (poll(pfd, 2, ACCEPT_TIMEOUT_MS) > 0 && (pfd[0].revents & POLLIN))
        fd = accept(ds->listen_fd, (struct sockaddr *)&ss, &len);
    if (fd < 0 || cli_set_nodelay(fd) != 0) {
        fprintf(stderr, "%s: the server got no connection\n", PROG);
        if (fd >= 0)
            close(fd);
        return NULL;
    }
    cli_format_addr((struct sockaddr *)&ss, len, peer, sizeof peer);
    p = (struct cli_serve_params){.prog = "mutls server", .peer = peer,
                                  .mode = CLI_SERVE_WWW, .trace = &ds->dt->trace};
    if (cli_serve_connection(ds->cfg, fd, &p) == 0)
        ds->status = CLI_EXIT_OK;
    return NULL;
}

/* One client connection to the demo server, and what both sides saw. */
struct demo_conn {
    mutls_config *client_cfg;
    mutls_session *session; /* offer it (resumption) */
    const char *sess_out;   /* keep the new session there */
    int early;              /* send the request as 0-RTT early data */
    struct demo_trace client, server;
    struct capture log;
    FILE *response;
    int client_status, server_status;
};

/* The client side: GET / from the server, the response kept in response. */
static int run_client(const struct demo_conn *c, const char *port, FILE *response,
                      struct demo_trace *dt)
{
    char target[CLI_ADDR_MAX];
    struct cli_client_params p;

    snprintf(target, sizeof target, "127.0.0.1:%s", port);
    p = (struct cli_client_params){.prog = "mutls client", .target = target,
                                   .host = "127.0.0.1", .port = port,
                                   .servername = "localhost", .get_path = "/",
                                   .out_fd = fileno(response),
                                   .trace = &dt->trace, .session = c->session,
                                   .sess_out = c->sess_out, .early_requested = c->early};
    return cli_client_run(c->client_cfg, &p);
}

/* Run the server thread and the client. 0 once both are over (whatever
 * their outcome, in c->client_status and c->server_status), -1 if the
 * demo itself failed. */
static int run_conn(struct demo_conn *c, mutls_config *server_cfg, int listen_fd,
                    const char *port)
{
    struct demo_server ds = {.cfg = server_cfg, .listen_fd = listen_fd,
                             .dt = &c->server, .status = CLI_EXIT_FAIL};
    struct timespec start;
    pthread_t tid;
    int wake[2], rc;

    c->response = tmpfile();
    if (c->response == NULL || pipe(wake) != 0) {
        fprintf(stderr, "%s: %s\n", PROG, strerror(errno));
        return -1;
    }
    ds.wake_fd = wake[0];
    /* Both ladders on one clock, from just before the client connects. */
    cli_clock_now(&start);
    if (open_demo_trace(&c->client, MUTLS_CLIENT, &start) != 0 ||
        open_demo_trace(&c->server, MUTLS_SERVER, &start) != 0) {
        fprintf(stderr, "%s: %s\n", PROG, strerror(errno));
        close(wake[0]);
        close(wake[1]);
        return -1;
    }
    capture_begin(&c->log);
    rc = pthread_create(&tid, NULL, server_thread, &ds);
    if (rc == 0) {
        c->client_status = run_client(c, port, c->response, &c->client);
        if (c->client_status != CLI_EXIT_OK && write(wake[1], "", 1) != 1)
            fprintf(stderr, "%s: cannot wake the server: %s\n", PROG, strerror(errno));
        rc = pthread_join(tid, NULL);
    }
    capture_end(&c->log);
    close(wake[0]);
    close(wake[1]);
    c->server_status = ds.status;
    if (rc != 0 || close_demo_trace(&c->client) != 0 || close_demo_trace(&c->server) != 0) {
        fprintf(stderr, "%s: cannot run the server thread or collect the traces\n", PROG);
        return -1;
    }
    return 0;
}

static void free_conn(struct demo_conn *c)
{
    free_demo_trace(&c->client);
    free_demo_trace(&c->server);
    capture_free(&c->log);
    if (c->response != NULL)
        fclose(c->response);
    c->response = NULL;
}

/* ---- printing ------------------------------------------------------------ */

static void heading(const char *title)
{
    size_t n = strlen(title);

    printf("\n%s\n", title);
    while (n-- > 0)
        putchar('-');
    printf("\n\n");
}

/* Copy a file's contents to stdout. 0 or -1. */
static int print_file(FILE *f)
{
    char buf[4096];
    size_t n;

    rewind(f);
    while ((n = fread(buf, 1, sizeof buf, f)) > 0) {
        if (fwrite(buf, 1, n, stdout) != n)
            return -1;
    }
    return ferror(f) ? -1 : 0;
}

/* Both sides' log lines. */
static void print_logs(const struct demo_conn *c)
{
    print_captured(&c->log, 0, "The client reported:");
    printf("\n");
    print_captured(&c->log, 1, "The server logged:");
}

/* The client's ladder from the server's CertificateRequest on: where it
 * decides what to send. */
static void print_ladder_from_request(const struct demo_trace *dt)
{
    const char *text = dt->text != NULL ? dt->text : "";
    const char *at = strstr(text, "CertificateRequest");

    if (at == NULL) {
        printf("%s", text);
        return;
    }
    while (at > text && at[-1] != '\n')
        at--;
    printf("...\n%s", at);
}

/* ---- the two clients ------------------------------------------------------ */

static int unexpected(const char *what)
{
    printf("\nUNEXPECTED: %s\n", what);
    fprintf(stderr, "%s: unexpected: %s\n", PROG, what);
    return CLI_EXIT_FAIL;
}

static int show_refused(const struct demo_conn *c)
{
    printf("The client's side of the handshake, from the server's CertificateRequest on:\n\n");
    print_ladder_from_request(&c->client);
    printf("\n");
    print_logs(c);
    if (c->client_status == CLI_EXIT_OK || c->server_status == CLI_EXIT_OK)
        return unexpected("the server accepted a client without a certificate");
    if (c->server.has_peer)
        return unexpected("the server saw a client certificate");
    if (strcmp(c->server.alert_sent, EXPECTED_ALERT) != 0)
        return unexpected("the server did not refuse with a " EXPECTED_ALERT " alert");
    printf("\nRefused, as expected. With TLS 1.3 the client's part of the handshake\n"
           "is over before the server reads its (empty) Certificate, so the client\n"
           "learns of the refusal from the %s alert, on its first read.\n",
           EXPECTED_ALERT);
    return CLI_EXIT_OK;
}

static int show_accepted(const struct demo_conn *c)
{
    const struct demo_trace *s = &c->server;

    print_logs(c);
    printf("\nGET / over TLS; the server's answer:\n\n");
    if (print_file(c->response) != 0)
        fprintf(stderr, "%s: cannot print the response\n", PROG);
    if (c->client_status != CLI_EXIT_OK || c->server_status != CLI_EXIT_OK)
        return unexpected("the client with a certificate was not served");
    if (!s->has_peer || !s->peer_verified)
        return unexpected("the server has no verified client identity");
    printf("\nWho the client is, from mutls_conn_peer() on the server's connection:\n\n"
           "the server verified: subject %s, SPIFFE ID %s, fingerprint sha256:%s\n",
           s->subject, s->spiffe_id[0] != '\0' ? s->spiffe_id : "none", s->fingerprint);
    if (strcmp(s->subject, "CN=" CLIENT_CN) != 0 || strcmp(s->spiffe_id, CLIENT_SPIFFE_ID) != 0)
        return unexpected("the server saw another identity than alice's");
    printf("\nThe handshake as the client saw it:\n\n%s", c->client.text);
    printf("\nThe handshake as the server saw it:\n\n%s", c->server.text);
    return CLI_EXIT_OK;
}

/* ---- configurations --------------------------------------------------------- */

struct demo {
    const char *dir;
    const struct cli_demo_pki *pki;
    const struct cli_demo_client *alice;
    mutls_config *server_cfg, *anonymous_cfg, *alice_cfg;
};

static mutls_config *server_config(const struct cli_demo_pki *pki)
{
    struct cli_tls_opts o;
    mutls_config *cfg;
    int status;

    cli_opts_init(&o);
    o.cert[0] = pki->server_cert;
    o.key[0] = pki->server_key;
    o.n_cert = o.n_key = 1;
    o.alpn = "h2,http/1.1";
    o.trace = 1;
    cfg = cli_opts_build(&o, MUTLS_SERVER, PROG, &status);
    if (cfg == NULL)
        return NULL;
    /* As `mutls server --client-ca ca.pem --verify-client require`. */
    if (mutls_config_add_client_ca_file(cfg, pki->ca_cert) != MUTLS_OK) {
        fprintf(stderr, "%s: %s: %s\n", PROG, pki->ca_cert, mutls_config_error(cfg));
        mutls_config_free(cfg);
        return NULL;
    }
    mutls_config_set_verify(cfg, MUTLS_VERIFY_REQUIRE);
    /* As --early-data 16384: resumed clients may send 0-RTT data. */
    if (mutls_config_set_early_data(cfg, 16384) != MUTLS_OK) {
        fprintf(stderr, "%s: %s\n", PROG, mutls_config_error(cfg));
        mutls_config_free(cfg);
        return NULL;
    }
    mutls_config_set_trace(cfg, demo_trace_hook, NULL);
    return cfg;
}

/* A client trusting the demo CA, with alice's certificate or without one. */
static mutls_config *client_config(const struct cli_demo_pki *pki,
                                   const struct cli_demo_client *cert)
{
    struct cli_tls_opts o;
    mutls_config *cfg;
    int status;

    cli_opts_init(&o);
    o.ca = pki->ca_cert;
    o.alpn = "http/1.1";
    o.trace = 1;
    if (cert != NULL) {
        o.cert[0] = cert->cert;
        o.key[0] = cert->key;
        o.n_cert = o.n_key = 1;
    }
    cfg = cli_opts_build(&o, MUTLS_CLIENT, PROG, &status);
    if (cfg != NULL)
        mutls_config_set_trace(cfg, demo_trace_hook, NULL);
    return cfg;
}

static void free_configs(struct demo *d)
{
    if (d->server_cfg != NULL)
        mutls_config_free(d->server_cfg);
    if (d->anonymous_cfg != NULL)
        mutls_config_free(d->anonymous_cfg);
    if (d->alice_cfg != NULL)
        mutls_config_free(d->alice_cfg);
}

/* ---- the demo ---------------------------------------------------------------- */

/* Listener on 127.0.0.1, a free port: the fd, and the port in port. */
static int open_listener(char *port, size_t cap, char *addr, size_t addr_cap)
{
    char err[256];
    int fd = cli_tcp_listen("127.0.0.1", "0", err, sizeof err);
    const char *colon;

    if (fd < 0) {
        fprintf(stderr, "%s: cannot listen on 127.0.0.1: %s\n", PROG, err);
        return -1;
    }
    if (cli_local_addr(fd, addr, addr_cap) != 0 || (colon = strrchr(addr, ':')) == NULL) {
        fprintf(stderr, "%s: getsockname: %s\n", PROG, strerror(errno));
        close(fd);
        return -1;
    }
    snprintf(port, cap, "%s", colon + 1);
    return fd;
}

/* One client against the server; check is show_refused or show_accepted. */
static int run_case(struct demo *d, mutls_config *client_cfg, int listen_fd, const char *port,
                    int (*check)(const struct demo_conn *))
{
    struct demo_conn c;
    int status = CLI_EXIT_FAIL;

    memset(&c, 0, sizeof c);
    c.client_cfg = client_cfg;
    if (run_conn(&c, d->server_cfg, listen_fd, port) == 0)
        status = check(&c);
    free_conn(&c);
    return status;
}

/* The last line of a ladder: "handshake complete: ..., N round trips
 * before the first byte of application data". */
static const char *summary_line(const struct demo_trace *dt, char *out, size_t cap)
{
    const char *p = dt->text ? strstr(dt->text, "handshake complete: ") : NULL;
    size_t n = 0;
    if (p == NULL)
        return "(no summary)";
    while (p[n] != '\0' && p[n] != '\n' && n + 1 < cap)
        n++;
    memcpy(out, p, n);
    out[n] = '\0';
    return out;
}

/* Has the server's page this line ("resumed: yes")? */
static int page_says(FILE *response, const char *line)
{
    char buf[512];
    int found = 0;
    rewind(response);
    while (fgets(buf, sizeof buf, response) != NULL)
        if (strncmp(buf, line, strlen(line)) == 0)
            found = 1;
    return found;
}

struct faster {
    const char *title, *like;
    int resumed, early; /* what the page must say */
};

/* Full handshake, resumption, 0-RTT: one connection each, the session of
 * one offered by the next. */
static int show_faster(struct demo *d, int listen_fd, const char *port, const char *dir)
{
    static const struct faster steps[3] = {
        {"5a. Full handshake (certificates, signatures): keep the session",
         "--cert client.pem --key client.key --get / --sess-out s", 0, 0},
        {"5b. Resumed: no certificates sent or verified, the identity carried over",
         "--cert client.pem --key client.key --get / --sess-in s --sess-out s", 1, 0},
        {"5c. 0-RTT: the request goes out with the ClientHello",
         "--cert client.pem --key client.key --get / --sess-in s --early-data /dev/null", 1, 1},
    };
    char sess[CLI_PATH_MAX + 32], line[512], err[512];
    const char *summary[3] = {NULL, NULL, NULL};
    char lines[3][512];
    int status = CLI_EXIT_OK;

    if ((size_t)snprintf(sess, sizeof sess, "%s/alice.session", dir) >= sizeof sess)
        return unexpected("the temporary directory name is too long");
    for (int i = 0; i < 3 && status == CLI_EXIT_OK; i++) {
        struct demo_conn c;
        memset(&c, 0, sizeof c);
        c.client_cfg = d->alice_cfg;
        c.sess_out = i < 2 ? sess : NULL;
        c.early = steps[i].early;
        heading(steps[i].title);
        printf("Like: mutls client 127.0.0.1:%s --servername localhost --ca ca.pem \\\n"
               "          %s --trace\n\n", port, steps[i].like);
        if (i > 0 && (c.session = cli_session_load(sess, "localhost", (int64_t)time(NULL), NULL,
                                                   err, sizeof err)) == NULL) {
            fprintf(stderr, "%s: %s\n", PROG, err);
            return CLI_EXIT_FAIL;
        }
        if (run_conn(&c, d->server_cfg, listen_fd, port) != 0)
            status = CLI_EXIT_FAIL;
        else {
            printf("%s", c.client.text ? c.client.text : "");
            snprintf(lines[i], sizeof lines[i], "%s", summary_line(&c.client, line, sizeof line));
            summary[i] = lines[i];
            if (c.client_status != CLI_EXIT_OK || c.server_status != CLI_EXIT_OK)
                status = unexpected("the connection failed");
            else if (page_says(c.response, "resumed: yes") != steps[i].resumed)
                status = unexpected(steps[i].resumed ? "the session was not resumed"
                                                     : "a first connection was resumed");
            else if (steps[i].early && !page_says(c.response, "early_data: accepted"))
                status = unexpected("the early data was not accepted");
            else if (!page_says(c.response, "client_subject: CN=" CLIENT_CN))
                status = unexpected("the server lost alice's identity");
        }
        mutls_session_free(c.session);
        free_conn(&c);
    }
    unlink(sess);
    if (status == CLI_EXIT_OK) {
        heading("5d. What each mode costs before the first byte of the request");
        for (int i = 0; i < 3; i++)
            printf("%s\n  %s\n", i == 0 ? "full:" : i == 1 ? "resumed:" : "0-RTT:", summary[i]);
    }
    return status;
}

static int run_demo(struct demo *d)
{
    char port[CLI_PORT_MAX], addr[CLI_ADDR_MAX];
    int listen_fd, status;

    d->server_cfg = server_config(d->pki);
    d->anonymous_cfg = client_config(d->pki, NULL);
    d->alice_cfg = client_config(d->pki, d->alice);
    if (d->server_cfg == NULL || d->anonymous_cfg == NULL || d->alice_cfg == NULL)
        return CLI_EXIT_FAIL; /* cli_opts_build said why */
    listen_fd = open_listener(port, sizeof port, addr, sizeof addr);
    if (listen_fd < 0)
        return CLI_EXIT_FAIL;

    heading("2. A server that requires client certificates");
    printf("Listening on %s, serving like\n"
           "  mutls server --listen %s --cert server.pem --key server.key \\\n"
           "      --client-ca ca.pem --verify-client require --www\n"
           "It asks every client for a certificate issued by CN=mutls demo CA.\n",
           addr, addr);

    heading("3. A client without a certificate: refused");
    printf("Like: mutls client %s --servername localhost --ca ca.pem --get / --trace\n\n", addr);
    status = run_case(d, d->anonymous_cfg, listen_fd, port, show_refused);

    if (status == CLI_EXIT_OK) {
        heading("4. A client with alice's certificate: accepted");
        printf("Like: mutls client %s --servername localhost --ca ca.pem \\\n"
               "          --cert client.pem --key client.key --get / --trace\n\n", addr);
        status = run_case(d, d->alice_cfg, listen_fd, port, show_accepted);
    }
    if (status == CLI_EXIT_OK)
        status = show_faster(d, listen_fd, port, d->dir);
    close(listen_fd);
    return status;
}

static int make_temp_dir(char *dir, size_t cap)
{
    const char *tmp = getenv("TMPDIR");

    if (tmp == NULL || tmp[0] == '\0')
        tmp = "/tmp";
    if ((size_t)snprintf(dir, cap, "%s/mutls-demo-XXXXXX", tmp) >= cap ||
        mkdtemp(dir) == NULL) {
        fprintf(stderr, "%s: cannot create a directory in %s: %s\n", PROG, tmp,
                strerror(errno));
        return -1;
    }
    return 0;
}

static void print_pki(const char *dir)
{
    heading("1. A throw-away PKI");
    printf("In %s (removed at the end), all ECDSA P-256:\n"
           "  ca.pem                  CN=mutls demo CA, the only CA either side trusts\n"
           "  server.pem, server.key  CN=localhost (DNS:localhost, IP:127.0.0.1, IP:::1),\n"
           "                          extended key usage serverAuth\n"
           "  client.pem, client.key  CN=%s (URI:%s),\n"
           "                          extended key usage clientAuth\n",
           dir, CLIENT_CN, CLIENT_SPIFFE_ID);
}

void cli_demo_usage(FILE *out)
{
    fputs("Usage: mutls demo\n"
          "\n"
          "Show mutual TLS without any setup: make a throw-away CA, a certificate\n"
          "for localhost and a client certificate for alice (with the SPIFFE ID\n"
          "spiffe://demo.mutls.test/alice) in a temporary directory; start a\n"
          "server on 127.0.0.1 (a free port) that requires client certificates\n"
          "from that CA and answers like `mutls server --www`; then connect two\n"
          "clients that check the server's certificate and send \"GET /\": one\n"
          "without a certificate, which is refused (both sides' messages are\n"
          "shown), and one with alice's, which gets the page and whose identity\n"
          "the server reports; its handshake is shown as each side saw it. The\n"
          "directory is removed at the end.\n"
          "\n"
          "Options:\n"
          "  -h, --help       show this help\n"
          "\n"
          "Exit status: 0 if everything went as described, 1 otherwise (for\n"
          "example if the client without a certificate was accepted), 2 on a\n"
          "usage error.\n",
          out);
}

int cli_demo_main(int argc, char **argv)
{
    struct cli_demo_pki pki;
    struct cli_demo_client alice;
    struct demo d;
    char dir[CLI_PATH_MAX], err[512];
    int status = CLI_EXIT_FAIL;

    if (argc > 1 && cli_is_help(argv[1])) {
        cli_demo_usage(stdout);
        return CLI_EXIT_OK;
    }
    if (argc > 1) {
        cli_usage_error(PROG, "%s '%s'", argv[1][0] == '-' ? "unknown option"
                        : "unexpected argument", argv[1]);
        return CLI_EXIT_USAGE;
    }
    printf("%s: mutual TLS between a client and a server on this machine\n", PROG);
    if (make_temp_dir(dir, sizeof dir) != 0)
        return CLI_EXIT_FAIL;
    memset(&pki, 0, sizeof pki);
    memset(&d, 0, sizeof d);
    if (cli_certgen_demo_mtls(dir, CLIENT_CN, CLIENT_SPIFFE_ID, &pki, &alice, err,
                              sizeof err) != 0) {
        fprintf(stderr, "%s: %s\n", PROG, err);
    } else {
        print_pki(dir);
        d.dir = dir;
        d.pki = &pki;
        d.alice = &alice;
        status = run_demo(&d);
    }
    free_configs(&d);
    heading("Done");
    if (cli_certgen_demo_client_cleanup(&alice) != 0 || cli_certgen_cleanup(dir, &pki) != 0) {
        fprintf(stderr, "%s: cannot remove %s: %s\n", PROG, dir, strerror(errno));
        status = CLI_EXIT_FAIL;
    } else {
        printf("%s: removed %s\n", PROG, dir);
    }
    printf("%s: %s\n", PROG, status == CLI_EXIT_OK ? "success" : "FAILED");
    return status;
}
