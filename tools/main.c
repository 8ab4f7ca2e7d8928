/*
 * mutls: command-line client, server and demo for the mutls TLS stack.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "ca.h"
#include "cli.h"
#include "mutls.h"

struct command {
    const char *name;
    int (*run)(int argc, char **argv);
    void (*usage)(FILE *out);
    const char *summary;
};

static const struct command commands[] = {
    {"client", cli_client_main, cli_client_usage, "connect to a TLS server"},
    {"server", cli_server_main, cli_server_usage, "accept TLS connections"},
    {"demo", cli_demo_main, cli_demo_usage,
     "a client and a server talking over loopback, no setup needed"},
    {"ca", cli_ca_main, cli_ca_usage, "a small CA for mTLS: certificates, revocation, CRLs"},
};

#define N_COMMANDS (sizeof commands / sizeof commands[0])

static const struct command *find_command(const char *name)
{
    for (size_t k = 0; k < N_COMMANDS; k++) {
        if (strcmp(commands[k].name, name) == 0)
            return &commands[k];
    }
    return NULL;
}

static void usage(FILE *out)
{
    fputs("Usage: mutls COMMAND [options]\n"
          "\n"
          "Commands:\n", out);
    for (size_t k = 0; k < N_COMMANDS; k++)
        fprintf(out, "  %-16s %s\n", commands[k].name, commands[k].summary);
    fputs("  help [COMMAND]   show help\n"
          "\n"
          "Options:\n"
          "  -h, --help       show this help\n"
          "  --version        show the version\n"
          "\n"
          "Run 'mutls COMMAND --help' for a command's options.\n"
          "Exit status: 0 success, 1 connection, handshake or other runtime\n"
          "failure, 2 usage error.\n", out);
}

static int help(int argc, char **argv)
{
    const struct command *cmd;

    if (argc < 2) {
        usage(stdout);
        return CLI_EXIT_OK;
    }
    cmd = find_command(argv[1]);
    if (cmd == NULL) {
        fprintf(stderr, "mutls help: unknown command '%s'\n", argv[1]);
        return CLI_EXIT_USAGE;
    }
    cmd->usage(stdout);
    return CLI_EXIT_OK;
}

/* Started with stdin, stdout or stderr closed, a socket could get that
 * number and be taken for it: open /dev/null there instead. */
static int ensure_std_fds(void)
{
    for (int fd = 0; fd <= 2; fd++) {
        if (fcntl(fd, F_GETFD) >= 0 || errno != EBADF)
            continue;
        if (open("/dev/null", O_RDWR) != fd)
            return -1;
    }
    return 0;
}

int main(int argc, char **argv)
{
    const struct command *cmd;

    if (ensure_std_fds() != 0)
        return CLI_EXIT_FAIL;
    /* A peer or a reader that goes away is an error to report, not a
     * reason to die. */
    if (signal(SIGPIPE, SIG_IGN) == SIG_ERR) {
        perror("mutls: signal");
        return CLI_EXIT_FAIL;
    }
    if (argc < 2) {
        usage(stderr);
        return CLI_EXIT_USAGE;
    }
    if (strcmp(argv[1], "--version") == 0) {
        printf("mutls %s\n", MUTLS_VERSION_STRING);
        return CLI_EXIT_OK;
    }
    if (strcmp(argv[1], "help") == 0 || strcmp(argv[1], "--help") == 0 ||
        strcmp(argv[1], "-h") == 0)
        return help(argc - 1, argv + 1);
    cmd = find_command(argv[1]);
    if (cmd == NULL) {
        fprintf(stderr, "mutls: unknown command '%s'\nTry 'mutls help'.\n", argv[1]);
        return CLI_EXIT_USAGE;
    }
    return cmd->run(argc - 1, argv + 1);
}
