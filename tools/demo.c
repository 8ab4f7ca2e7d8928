/*
 * mutls demo: a CA, a server and a client in one process, over loopback.
 */
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "certgen.h"
#include "cli.h"
#include "client.h"
#include "net.h"
#include "opts.h"
#include "server.h"
#include "trace.h"

#define PROG "mutls demo"
#define ACCEPT_TIMEOUT_MS 10000

/* A trace written to memory, printed once the connection is over. */
struct mem_trace {
    struct cli_trace trace;
    char *text;
    size_t len;
};

struct demo_server {
    mutls_config *cfg;
    int listen_fd;
    struct mem_trace *mt;
    int status; /* CLI_EXIT_* */
};

static int open_mem_trace(struct mem_trace *mt, mutls_role role,
                          const struct timespec *start)
{
    FILE *f;

    memset(mt, 0, sizeof *mt);
    f = open_memstream(&mt->text, &mt->len);
    if (f == NULL)
        return -1;
    cli_trace_init(&mt->trace, role, f, NULL, start);
    return 0;
}

/* Close the stream (the text stays until free_mem_trace). */
static int close_mem_trace(struct mem_trace *mt)
{
    int rc = 0;

    if (mt->trace.out != NULL && fclose(mt->trace.out) != 0)
        rc = -1;
    mt->trace.out = NULL;
    return rc;
}

static void free_mem_trace(struct mem_trace *mt)
{
    (void)close_mem_trace(mt); /* only on error paths: nothing to report */
    free(mt->text);
    mt->text = NULL;
}

/* Accept the demo's one connection and serve it like `mutls server --www`. */
static void *server_thread(void *arg)
{
    struct demo_server *ds = arg;
    struct pollfd pfd = {ds->listen_fd, POLLIN, 0};
    struct sockaddr_storage ss;
    socklen_t len = sizeof ss;
    char peer[CLI_ADDR_MAX];
    struct cli_serve_params p;
    int fd = -1;

    ds->status = CLI_EXIT_FAIL;
    if (poll(&pfd, 1, ACCEPT_TIMEOUT_MS) == 1)
        fd = accept(ds->listen_fd, (struct sockaddr *)&ss, &len);
    if (fd < 0 || cli_set_nodelay(fd) != 0) {
        fprintf(stderr, "%s: the server got no connection\n", PROG);
        if (fd >= 0)
            close(fd);
        return NULL;
    }
    cli_format_addr((struct sockaddr *)&ss, len, peer, sizeof peer);
    p = (struct cli_serve_params){.prog = "mutls server", .peer = peer,
                                  .mode = CLI_SERVE_WWW, .trace = &ds->mt->trace};
    if (cli_serve_connection(ds->cfg, fd, &p) == 0)
        ds->status = CLI_EXIT_OK;
    return NULL;
}

static mutls_config *server_config(const struct cli_demo_pki *pki)
{
    struct cli_tls_opts o;
    int status;

    cli_opts_init(&o);
    o.cert[0] = pki->server_cert;
    o.key[0] = pki->server_key;
    o.n_cert = o.n_key = 1;
    o.alpn = "h2,http/1.1";
    o.trace = 1;
    return cli_opts_build(&o, MUTLS_SERVER, PROG, &status);
}

static mutls_config *client_config(const struct cli_demo_pki *pki)
{
    struct cli_tls_opts o;
    int status;

    cli_opts_init(&o);
    o.ca = pki->ca_cert;
    o.alpn = "http/1.1";
    o.trace = 1;
    return cli_opts_build(&o, MUTLS_CLIENT, PROG, &status);
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

/* The client side: GET / from the server, the response kept in response. */
static int run_client(mutls_config *cfg, const char *port, FILE *response,
                      struct mem_trace *mt)
{
    char target[CLI_ADDR_MAX];
    struct cli_client_params p;

    snprintf(target, sizeof target, "127.0.0.1:%s", port);
    p = (struct cli_client_params){.prog = "mutls client", .target = target,
                                   .host = "127.0.0.1", .port = port,
                                   .servername = "localhost", .get_path = "/",
                                   .out_fd = fileno(response),
                                   .trace = &mt->trace};
    return cli_client_run(cfg, &p);
}

static void print_results(FILE *response, const struct mem_trace *client,
                          const struct mem_trace *server)
{
    printf("\nGET / over TLS; the server's answer:\n\n");
    if (print_file(response) != 0)
        fprintf(stderr, "%s: cannot print the response\n", PROG);
    printf("\nThe handshake as the client saw it:\n\n%s", client->text);
    printf("\nThe handshake as the server saw it:\n\n%s", server->text);
}

/* Listener on 127.0.0.1, a free port: the fd, and the port in port. */
static int open_listener(char *port, size_t cap)
{
    char err[256], addr[CLI_ADDR_MAX];
    int fd = cli_tcp_listen("127.0.0.1", "0", err, sizeof err);
    const char *colon;

    if (fd < 0) {
        fprintf(stderr, "%s: cannot listen on 127.0.0.1: %s\n", PROG, err);
        return -1;
    }
    if (cli_local_addr(fd, addr, sizeof addr) != 0 ||
        (colon = strrchr(addr, ':')) == NULL) {
        fprintf(stderr, "%s: getsockname: %s\n", PROG, strerror(errno));
        close(fd);
        return -1;
    }
    snprintf(port, cap, "%s", colon + 1);
    printf("%s: server listening on %s\n", PROG, addr);
    return fd;
}

struct demo {
    mutls_config *server_cfg, *client_cfg;
    struct mem_trace client_trace, server_trace;
    FILE *response;
};

/* Server thread and client, then the results. An exit status. */
static int run_pair(struct demo *d, int listen_fd, const char *port)
{
    struct demo_server ds = {.cfg = d->server_cfg, .listen_fd = listen_fd,
                             .mt = &d->server_trace, .status = CLI_EXIT_FAIL};
    struct timespec start;
    pthread_t tid;
    int status, rc;

    /* Both ladders on one clock, from just before the client connects. */
    cli_clock_now(&start);
    if (open_mem_trace(&d->client_trace, MUTLS_CLIENT, &start) != 0 ||
        open_mem_trace(&d->server_trace, MUTLS_SERVER, &start) != 0) {
        fprintf(stderr, "%s: %s\n", PROG, strerror(errno));
        return CLI_EXIT_FAIL;
    }
    rc = pthread_create(&tid, NULL, server_thread, &ds);
    if (rc != 0) {
        fprintf(stderr, "%s: cannot start the server thread: %s\n", PROG, strerror(rc));
        return CLI_EXIT_FAIL;
    }
    fflush(stdout);
    status = run_client(d->client_cfg, port, d->response, &d->client_trace);
    if (status != CLI_EXIT_OK)
        (void)shutdown(listen_fd, SHUT_RDWR); /* wake the server if it waits */
    rc = pthread_join(tid, NULL);
    if (rc != 0 || close_mem_trace(&d->client_trace) != 0 ||
        close_mem_trace(&d->server_trace) != 0) {
        fprintf(stderr, "%s: cannot collect the traces\n", PROG);
        return CLI_EXIT_FAIL;
    }
    print_results(d->response, &d->client_trace, &d->server_trace);
    return status == CLI_EXIT_OK ? ds.status : status;
}

static int setup(struct demo *d, const struct cli_demo_pki *pki)
{
    memset(d, 0, sizeof *d);
    d->server_cfg = server_config(pki);
    d->client_cfg = client_config(pki);
    if (d->server_cfg == NULL || d->client_cfg == NULL)
        return -1; /* cli_opts_build said why */
    d->response = tmpfile();
    if (d->response == NULL) {
        fprintf(stderr, "%s: %s\n", PROG, strerror(errno));
        return -1;
    }
    return 0;
}

static void teardown(struct demo *d)
{
    free_mem_trace(&d->client_trace);
    free_mem_trace(&d->server_trace);
    if (d->response != NULL)
        fclose(d->response);
    if (d->server_cfg != NULL)
        mutls_config_free(d->server_cfg);
    if (d->client_cfg != NULL)
        mutls_config_free(d->client_cfg);
}

static int run_demo(const struct cli_demo_pki *pki)
{
    struct demo d;
    char port[CLI_PORT_MAX];
    int listen_fd, status = CLI_EXIT_FAIL;

    if (setup(&d, pki) == 0 && (listen_fd = open_listener(port, sizeof port)) >= 0) {
        status = run_pair(&d, listen_fd, port);
        close(listen_fd);
    }
    teardown(&d);
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

void cli_demo_usage(FILE *out)
{
    fputs("Usage: mutls demo\n"
          "\n"
          "Show a complete TLS 1.3 exchange without any setup: make a throw-away\n"
          "CA and a certificate for localhost in a temporary directory, start a\n"
          "server on 127.0.0.1 (a free port) that answers like `mutls server\n"
          "--www`, connect a client to it that checks the certificate and sends\n"
          "\"GET /\", and print the answer and the handshake as each side saw it.\n"
          "The directory is removed at the end.\n"
          "\n"
          "Options:\n"
          "  -h, --help       show this help\n"
          "\n"
          "Exit status: 0 if everything worked, 1 otherwise, 2 on a usage error.\n",
          out);
}

int cli_demo_main(int argc, char **argv)
{
    struct cli_demo_pki pki;
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
    if (make_temp_dir(dir, sizeof dir) != 0)
        return CLI_EXIT_FAIL;
    memset(&pki, 0, sizeof pki);
    if (cli_certgen_demo(dir, &pki, err, sizeof err) != 0)
        fprintf(stderr, "%s: %s\n", PROG, err);
    else {
        printf("%s: made a throw-away CA (CN=mutls demo CA) and a certificate "
               "for localhost in %s\n", PROG, dir);
        status = run_demo(&pki);
    }
    if (cli_certgen_cleanup(dir, &pki) != 0) {
        fprintf(stderr, "%s: cannot remove %s: %s\n", PROG, dir, strerror(errno));
        status = CLI_EXIT_FAIL;
    } else {
        printf("\n%s: removed %s\n", PROG, dir);
    }
    printf("%s: %s\n", PROG, status == CLI_EXIT_OK ? "success" : "FAILED");
    return status;
}
