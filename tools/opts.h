/*
 * Command-line options shared by the subcommands, and building a
 * configuration from them.
 */
#ifndef CLI_OPTS_H
#define CLI_OPTS_H

#include <stdint.h>
#include <stdio.h>

#include "mutls.h"

#define CLI_MAX_CHAINS 8

/* Which common options a subcommand accepts. */
#define CLI_OPT_CERT 0x01u  /* --cert FILE --key FILE (repeatable)      */
#define CLI_OPT_CA 0x02u    /* --ca FILE|DIR                            */
#define CLI_OPT_TLS 0x04u   /* --alpn --tls-min --tls-max --ciphers --groups
                               --sigalgs --rsa-kex --no-middlebox */
#define CLI_OPT_DEBUG 0x08u /* --keylog FILE, --trace                   */

struct cli_tls_opts {
    const char *cert[CLI_MAX_CHAINS]; /* paired in order with key[] */
    const char *key[CLI_MAX_CHAINS];
    int n_cert, n_key;
    const char *ca;
    const char *alpn, *ciphers, *groups;
    uint16_t tls_min, tls_max; /* 0: the library's default */
    int rsa_kex;               /* --rsa-kex */
    int no_middlebox;          /* --no-middlebox */
    const char *sigalgs;       /* --sigalgs */
    const char *keylog;
    int trace;
};

void cli_opts_init(struct cli_tls_opts *o);

/* If argv[*i] is one of the accepted common options, take it (and its
 * value) and return 1, leaving *i on the last argument used; return 0 if
 * it is not one of them, -1 after printing a usage error. */
int cli_opts_parse(struct cli_tls_opts *o, const char *prog,
                   unsigned accepted, int argc, char **argv, int *i);

/* After parsing: --cert and --key must pair up. 0, or -1 after printing. */
int cli_opts_check(const struct cli_tls_opts *o, const char *prog);

/* A configuration for role built from o. On failure prints why
 * ("mutls client: --groups: unknown group 'x448'"), sets *status to
 * CLI_EXIT_USAGE (a bad list or version) or CLI_EXIT_FAIL (a file that
 * cannot be used, no memory) and returns NULL. */
mutls_config *cli_opts_build(const struct cli_tls_opts *o, mutls_role role,
                             const char *prog, int *status);

/* Help lines for the accepted common options. */
void cli_opts_usage(FILE *out, unsigned accepted);

/* Generic helpers for the subcommands' own options. */

/* If argv[*i] is "NAME VALUE" or "NAME=VALUE", set *value, leave *i on the
 * last argument used and return 1; 0 if it is not NAME; -1 after printing
 * an error when the value is missing. */
int cli_arg_value(const char *prog, int argc, char **argv, int *i,
                  const char *name, const char **value);

/* "PROG: message" and a hint to --help, on stderr. */
void cli_usage_error(const char *prog, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* 1 for -h and --help. */
int cli_is_help(const char *arg);

#endif
