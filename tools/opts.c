/*
 * Command-line options shared by the subcommands.
 */
#include "opts.h"

#include <stdarg.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "trace.h"

void cli_opts_init(struct cli_tls_opts *o)
{
    memset(o, 0, sizeof *o);
}

int cli_is_help(const char *arg)
{
    return strcmp(arg, "-h") == 0 || strcmp(arg, "--help") == 0;
}

void cli_usage_error(const char *prog, const char *fmt, ...)
{
    va_list ap;

    fprintf(stderr, "%s: ", prog);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\nTry '%s --help'.\n", prog);
}

int cli_arg_value(const char *prog, int argc, char **argv, int *i,
                  const char *name, const char **value)
{
    const char *arg = argv[*i];
    size_t len = strlen(name);

    if (strncmp(arg, name, len) != 0)
        return 0;
    if (arg[len] == '=') {
        *value = arg + len + 1;
        return 1;
    }
    if (arg[len] != '\0')
        return 0;
    if (*i + 1 >= argc) {
        cli_usage_error(prog, "%s needs an argument", name);
        return -1;
    }
    *i += 1;
    *value = argv[*i];
    return 1;
}

/* "1.2", "1.3", or the same with a "TLSv" prefix. */
static uint16_t parse_version(const char *s)
{
    if (strncmp(s, "TLSv", 4) == 0)
        s += 4;
    if (strcmp(s, "1.2") == 0)
        return MUTLS_TLS1_2;
    if (strcmp(s, "1.3") == 0)
        return MUTLS_TLS1_3;
    return 0;
}

static int take_version(const char *prog, const char *name, const char *value,
                        uint16_t *out)
{
    *out = parse_version(value);
    if (*out == 0) {
        cli_usage_error(prog, "%s: unknown version '%s' (expected 1.2 or 1.3)",
                        name, value);
        return -1;
    }
    return 1;
}

static int take_file(const char *prog, const char *name, const char *value,
                     const char **list, int *count)
{
    if (*count >= CLI_MAX_CHAINS) {
        cli_usage_error(prog, "%s: at most %d may be given", name, CLI_MAX_CHAINS);
        return -1;
    }
    list[(*count)++] = value;
    return 1;
}

static int parse_cert_opts(struct cli_tls_opts *o, const char *prog, int argc,
                           char **argv, int *i)
{
    const char *v;
    int rc;

    if ((rc = cli_arg_value(prog, argc, argv, i, "--cert", &v)) != 0)
        return rc < 0 ? rc : take_file(prog, "--cert", v, o->cert, &o->n_cert);
    if ((rc = cli_arg_value(prog, argc, argv, i, "--key", &v)) != 0)
        return rc < 0 ? rc : take_file(prog, "--key", v, o->key, &o->n_key);
    return 0;
}

static int parse_tls_opts(struct cli_tls_opts *o, const char *prog, int argc,
                          char **argv, int *i)
{
    const char *v;
    int rc;

    if ((rc = cli_arg_value(prog, argc, argv, i, "--alpn", &o->alpn)) != 0)
        return rc;
    if ((rc = cli_arg_value(prog, argc, argv, i, "--ciphers", &o->ciphers)) != 0)
        return rc;
    if ((rc = cli_arg_value(prog, argc, argv, i, "--groups", &o->groups)) != 0)
        return rc;
    if ((rc = cli_arg_value(prog, argc, argv, i, "--tls-min", &v)) != 0)
        return rc < 0 ? rc : take_version(prog, "--tls-min", v, &o->tls_min);
    if ((rc = cli_arg_value(prog, argc, argv, i, "--tls-max", &v)) != 0)
        return rc < 0 ? rc : take_version(prog, "--tls-max", v, &o->tls_max);
    if ((rc = cli_arg_value(prog, argc, argv, i, "--sigalgs", &o->sigalgs)) != 0)
        return rc;
    if (strcmp(argv[*i], "--rsa-kex") == 0) {
        o->rsa_kex = 1;
        return 1;
    }
    if (strcmp(argv[*i], "--no-middlebox") == 0) {
        o->no_middlebox = 1;
        return 1;
    }
    return 0;
}

int cli_opts_parse(struct cli_tls_opts *o, const char *prog,
                   unsigned accepted, int argc, char **argv, int *i)
{
    int rc = 0;

    if (accepted & CLI_OPT_CERT)
        rc = parse_cert_opts(o, prog, argc, argv, i);
    if (rc == 0 && (accepted & CLI_OPT_CA))
        rc = cli_arg_value(prog, argc, argv, i, "--ca", &o->ca);
    if (rc == 0 && (accepted & CLI_OPT_TLS))
        rc = parse_tls_opts(o, prog, argc, argv, i);
    if (rc == 0 && (accepted & CLI_OPT_DEBUG)) {
        rc = cli_arg_value(prog, argc, argv, i, "--keylog", &o->keylog);
        if (rc == 0 && strcmp(argv[*i], "--trace") == 0) {
            o->trace = 1;
            rc = 1;
        }
    }
    return rc;
}

int cli_opts_check(const struct cli_tls_opts *o, const char *prog)
{
    if (o->n_cert != o->n_key) {
        cli_usage_error(prog, "--cert and --key must come in pairs "
                        "(got %d --cert, %d --key)", o->n_cert, o->n_key);
        return -1;
    }
    return 0;
}

/* Report a failed mutls_config_* call. */
static void config_failed(const mutls_config *cfg, const char *prog,
                          const char *what, int rc)
{
    const char *why = mutls_config_error(cfg);

    if (why == NULL || why[0] == '\0')
        why = mutls_strerror(rc);
    fprintf(stderr, "%s: %s: %s\n", prog, what, why != NULL ? why : "error");
}

/* The library's messages name the files at fault. */
static int add_chains(mutls_config *cfg, const struct cli_tls_opts *o,
                      const char *prog)
{
    for (int k = 0; k < o->n_cert; k++) {
        int rc = mutls_config_add_cert_chain_file(cfg, o->cert[k], o->key[k]);
        if (rc != MUTLS_OK) {
            config_failed(cfg, prog, "--cert/--key", rc);
            return -1;
        }
    }
    return 0;
}

static int set_ca(mutls_config *cfg, const char *path, const char *prog)
{
    struct stat st;
    int rc;

    if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
        rc = mutls_config_set_ca_dir(cfg, path);
    else
        rc = mutls_config_set_ca_file(cfg, path);
    if (rc != MUTLS_OK) {
        config_failed(cfg, prog, "--ca", rc);
        return -1;
    }
    return 0;
}

/* Lists and versions: a failure is a usage error. */
static int set_list(mutls_config *cfg, const char *prog, const char *name,
                    const char *list,
                    int (*setter)(mutls_config *, const char *))
{
    int rc;

    if (list == NULL)
        return 0;
    rc = setter(cfg, list);
    if (rc != MUTLS_OK) {
        config_failed(cfg, prog, name, rc);
        return -1;
    }
    return 0;
}

static int set_versions(mutls_config *cfg, const struct cli_tls_opts *o,
                        const char *prog)
{
    uint16_t max = o->tls_max != 0 ? o->tls_max : MUTLS_TLS1_3;
    uint16_t min = o->tls_min != 0 ? o->tls_min : MUTLS_TLS1_2;
    int rc;

    if (o->tls_min == 0 && o->tls_max == 0)
        return 0;
    rc = mutls_config_set_versions(cfg, min, max);
    if (rc != MUTLS_OK) {
        config_failed(cfg, prog, "--tls-min/--tls-max", rc);
        return -1;
    }
    return 0;
}

static int apply_tls(mutls_config *cfg, const struct cli_tls_opts *o,
                     const char *prog)
{
    if (set_list(cfg, prog, "--ciphers", o->ciphers, mutls_config_set_ciphers) != 0 ||
        set_list(cfg, prog, "--groups", o->groups, mutls_config_set_groups) != 0 ||
        set_list(cfg, prog, "--alpn", o->alpn, mutls_config_set_alpn) != 0 ||
        set_list(cfg, prog, "--sigalgs", o->sigalgs, mutls_config_set_sig_schemes) != 0 ||
        set_versions(cfg, o, prog) != 0)
        return -1;
    if (o->rsa_kex && mutls_config_set_rsa_kex(cfg, 1) != MUTLS_OK) {
        config_failed(cfg, prog, "--rsa-kex", MUTLS_ERR_CONFIG);
        return -1;
    }
    if (o->no_middlebox)
        mutls_config_set_middlebox_compat(cfg, 0);
    return 0;
}

static int apply_files(mutls_config *cfg, const struct cli_tls_opts *o,
                       const char *prog)
{
    if (add_chains(cfg, o, prog) != 0)
        return -1;
    if (o->ca != NULL && set_ca(cfg, o->ca, prog) != 0)
        return -1;
    if (o->keylog != NULL) {
        int rc = mutls_config_set_keylog_file(cfg, o->keylog);
        if (rc != MUTLS_OK) {
            config_failed(cfg, prog, "--keylog", rc);
            return -1;
        }
    }
    return 0;
}

mutls_config *cli_opts_build(const struct cli_tls_opts *o, mutls_role role,
                             const char *prog, int *status)
{
    mutls_config *cfg = mutls_config_new(role);

    if (cfg == NULL) {
        fprintf(stderr, "%s: out of memory\n", prog);
        *status = CLI_EXIT_FAIL;
        return NULL;
    }
    if (apply_tls(cfg, o, prog) != 0) {
        *status = CLI_EXIT_USAGE;
        mutls_config_free(cfg);
        return NULL;
    }
    if (apply_files(cfg, o, prog) != 0) {
        *status = CLI_EXIT_FAIL;
        mutls_config_free(cfg);
        return NULL;
    }
    if (o->trace)
        mutls_config_set_trace(cfg, cli_trace_hook, NULL);
    *status = CLI_EXIT_OK;
    return cfg;
}

void cli_opts_usage(FILE *out, unsigned accepted)
{
    if (accepted & CLI_OPT_CERT)
        fputs("  --cert FILE --key FILE\n"
              "                   certificate chain (PEM, leaf first) and its\n"
              "                   private key; repeat for more chains (paired\n"
              "                   in order)\n", out);
    if (accepted & CLI_OPT_CA)
        fputs("  --ca FILE|DIR    trust anchors: a PEM file or a hashed\n"
              "                   directory (default: the system store)\n", out);
    if (accepted & CLI_OPT_TLS)
        fputs("  --alpn LIST      ALPN protocols, comma-separated, preferred\n"
              "                   first (e.g. h2,http/1.1)\n"
              "  --tls-min VER    lowest TLS version: 1.2 or 1.3 (default 1.2)\n"
              "  --tls-max VER    highest TLS version: 1.2 or 1.3 (default 1.3)\n"
              "  --ciphers LIST   cipher suites (IANA names, TLS 1.3 and TLS 1.2),\n"
              "                   preferred first; naming a TLS_RSA_WITH_* suite\n"
              "                   enables RSA key exchange for it\n"
              "  --rsa-kex        also allow TLS 1.2 RSA key exchange (no forward\n"
              "                   secrecy: off by default)\n"
              "  --groups LIST    key exchange groups, preferred first\n"
              "                   (x25519, secp256r1, secp384r1; X25519, P-256,\n"
              "                   P-384 also accepted)\n"
              "  --sigalgs LIST   signature schemes accepted and used, preferred\n"
              "                   first (e.g. ecdsa_secp256r1_sha256,rsa_pss_rsae_sha256)\n"
              "  --no-middlebox   turn off TLS 1.3 middlebox compatibility mode\n", out);
    if (accepted & CLI_OPT_DEBUG)
        fputs("  --keylog FILE    append the session secrets to FILE\n"
              "                   (SSLKEYLOGFILE format, for Wireshark)\n"
              "  --trace          print the handshake ladder to standard error\n",
              out);
}
