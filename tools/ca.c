/*
 * mutls ca: a small certificate authority for mutual-TLS set-ups —
 * init, issue server|client, revoke, crl (inspect is in ca_inspect.c).
 */
#include "ca.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/asn1.h>
#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "cli.h"
#include "opts.h"

#define CA_DAYS_DEFAULT 3650   /* 10 years */
#define LEAF_DAYS_DEFAULT 397  /* the CA/Browser Forum's limit */
#define CRL_DAYS_DEFAULT 30
#define DAYS_MAX 36500
#define RSA_BITS_DEFAULT 3072
#define CN_MAX 64              /* ub-common-name (RFC 5280) */
#define DEMO_PORT "8443"
#define Q_MAX (CLI_PATH_MAX + 64)

/* ---- small helpers ---------------------------------------------------------- */

static int fail(const char *prog, const char *err)
{
    fprintf(stderr, "%s: %s\n", prog, err);
    return CLI_EXIT_FAIL;
}

/* "--days N": 1 to DAYS_MAX. */
static int parse_days(const char *prog, const char *value, long *days)
{
    char *end;
    long v;

    errno = 0;
    v = strtol(value, &end, 10);
    if (errno != 0 || end == value || *end != '\0' || v < 1 || v > DAYS_MAX) {
        cli_usage_error(prog, "--days: '%s' is not a number of days from 1 to %d", value,
                        DAYS_MAX);
        return -1;
    }
    *days = v;
    return 0;
}

static int all_digits(const char *s)
{
    if (*s == '\0')
        return 0;
    for (; *s != '\0'; s++) {
        if (*s < '0' || *s > '9')
            return 0;
    }
    return 1;
}

/* "--rsa", "--rsa BITS" or "--rsa=BITS" at argv[*i]: 1 (taken), 0 (not
 * --rsa), -1 (usage error printed). */
static int parse_rsa(const char *prog, int argc, char **argv, int *i, int *bits)
{
    const char *arg = argv[*i], *value = NULL;

    if (strcmp(arg, "--rsa") == 0) {
        if (*i + 1 < argc && all_digits(argv[*i + 1]))
            value = argv[++*i];
    } else if (strncmp(arg, "--rsa=", 6) == 0) {
        value = arg + 6;
    } else {
        return 0;
    }
    if (value == NULL) {
        *bits = RSA_BITS_DEFAULT;
        return 1;
    }
    if (strcmp(value, "2048") != 0 && strcmp(value, "3072") != 0 && strcmp(value, "4096") != 0) {
        cli_usage_error(prog, "--rsa: '%s' is not a supported key size (2048, 3072 or 4096)",
                        value);
        return -1;
    }
    *bits = atoi(value);
    return 1;
}

static int unknown_arg(const char *prog, const char *arg)
{
    cli_usage_error(prog, "%s '%s'", arg[0] == '-' && arg[1] != '\0' ? "unknown option"
                                                                     : "unexpected argument",
                    arg);
    return CLI_EXIT_USAGE;
}

/* Shell-quoted path, into one of a few rotating buffers (for printf). */
static const char *q(const char *s)
{
    static char bufs[8][Q_MAX];
    static unsigned next;
    char *b = bufs[next++ % 8];

    ca_shell_quote(s, b, Q_MAX);
    return b;
}

/* " --dir DIR" unless DIR is the default. */
static const char *dir_opt(const char *dir)
{
    static char buf[Q_MAX + 8];

    if (strcmp(dir, CA_DEFAULT_DIR) == 0)
        return "";
    snprintf(buf, sizeof buf, " --dir %s", q(dir));
    return buf;
}

static int path_exists(const char *path)
{
    struct stat st;

    return lstat(path, &st) == 0 || errno != ENOENT;
}

static void days_from_now(time_t t, char *out, size_t cap)
{
    double d = difftime(t, time(NULL)) / 86400.0;

    snprintf(out, cap, "%.0f days", d < 0 ? 0 : d);
}

/* ---- mutls ca init --------------------------------------------------------------- */

static void init_usage(FILE *out)
{
    fprintf(out,
            "Usage: mutls ca init [--dir DIR] [--name TEXT] [--rsa [BITS]] [--days N]\n"
            "\n"
            "Create a root CA in DIR: a private key (ca.key, mode 0600) and a\n"
            "self-signed certificate (ca.pem) that can sign server and client\n"
            "certificates directly, plus its bookkeeping (index.txt, serial,\n"
            "crlnumber). Refuses to touch a directory that already holds a CA.\n"
            "\n"
            "Options:\n"
            "  --dir DIR        the CA directory (default ./%s; created, mode 0700)\n"
            "  --name TEXT      the CA's common name (default \"mutls CA\" and 8 random\n"
            "                   hex digits, so that two CAs never share a name)\n"
            "  --rsa [BITS]     an RSA key of 2048, 3072 (default) or 4096 bits\n"
            "                   instead of ECDSA P-256\n"
            "  --days N         validity (default %d, 10 years)\n"
            "  -h, --help       show this help\n",
            CA_DEFAULT_DIR, CA_DAYS_DEFAULT);
}

/* Files made by init, removed again if it fails half-way. */
struct init_files {
    const char *made[5];
    int n;
};

static void init_rollback(struct init_files *f)
{
    while (f->n > 0)
        unlink(f->made[--f->n]);
}

static X509 *make_ca_cert(const char *name, EVP_PKEY *key, long days)
{
    X509 *cert = cli_cert_new(name, key, days, NULL, NULL);
    int ok = cert != NULL &&
             cli_cert_add_ext(cert, cert, NID_basic_constraints, "critical,CA:TRUE,pathlen:0") &&
             cli_cert_add_ext(cert, cert, NID_key_usage, "critical,keyCertSign,cRLSign") &&
             cli_cert_add_ext(cert, cert, NID_subject_key_identifier, "hash") &&
             cli_cert_sign(cert, key);

    if (!ok) {
        X509_free(cert);
        return NULL;
    }
    return cert;
}

/* The directory: created (0700) if missing; refused if it holds a CA. */
static int init_dir(const struct ca_paths *p, char *err, size_t cap)
{
    static const char *const names[] = {"ca.key", "ca.pem", "index.txt", "serial",
                                        "crlnumber"};
    struct stat st;

    if (mkdir(p->dir, 0700) != 0) {
        if (errno != EEXIST) {
            ca_errf(err, cap, "cannot create %s: %s", p->dir, strerror(errno));
            return -1;
        }
        if (stat(p->dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
            ca_errf(err, cap, "%s exists and is not a directory", p->dir);
            return -1;
        }
    }
    for (size_t k = 0; k < sizeof names / sizeof names[0]; k++) {
        char path[CLI_PATH_MAX];

        if (ca_join(path, sizeof path, p->dir, names[k]) == 0 && path_exists(path)) {
            ca_errf(err, cap,
                     "%s already holds a CA (%s exists); refusing to overwrite it. Use "
                     "another --dir, or remove %s first (every certificate it issued "
                     "would then be orphaned)",
                     p->dir, path, p->dir);
            return -1;
        }
    }
    return 0;
}

static int init_write(const struct ca_paths *p, X509 *cert, EVP_PKEY *key, char *err,
                      size_t cap)
{
    struct init_files f = {{NULL}, 0};

    /* The key first: O_EXCL makes creating it the claim on the directory. */
    if (cli_write_key_file(p->key, key, err, cap) != 0)
        return -1;
    f.made[f.n++] = p->key;
    if (cli_write_cert_file(p->cert, &cert, 1, err, cap) != 0)
        goto Fail;
    f.made[f.n++] = p->cert;
    if (ca_create_text_file(p->serial, "0\n", err, cap) != 0)
        goto Fail;
    f.made[f.n++] = p->serial;
    if (ca_create_text_file(p->crlnumber, "0\n", err, cap) != 0)
        goto Fail;
    f.made[f.n++] = p->crlnumber;
    if (ca_create_text_file(p->index, ca_index_header(), err, cap) != 0)
        goto Fail;
    return 0;
Fail:
    init_rollback(&f);
    return -1;
}

static void init_report(const struct ca_paths *p, X509 *cert, EVP_PKEY *key)
{
    char subject[512], kd[64], until[32];
    time_t na = 0;

    ca_name_str(X509_get_subject_name(cert), subject, sizeof subject);
    ca_key_describe(key, kd, sizeof kd);
    (void)ca_asn1_time(X509_get0_notAfter(cert), &na);
    ca_time_iso(na, until, sizeof until);
    printf("%s: created a CA in %s\n"
           "  subject %s, %s key, valid until %s\n"
           "\n"
           "  %-24s the CA certificate: the trust anchor for servers and clients\n"
           "  %-24s the CA private key (mode 0600): keep it secret, it signs certificates\n"
           "  %-24s the certificates issued (none yet)\n"
           "  %s, %s: counters\n"
           "\n"
           "Next:\n"
           "  mutls ca issue server localhost%s\n"
           "  mutls ca issue client alice --spiffe-id spiffe://example.org/alice%s\n",
           CA_PROG, q(p->dir), subject, kd, until, q(p->cert), q(p->key), q(p->index),
           q(p->serial), q(p->crlnumber), dir_opt(p->dir), dir_opt(p->dir));
}

static int ca_init(int argc, char **argv)
{
    static const char prog[] = CA_PROG " init";
    const char *dir = CA_DEFAULT_DIR, *name = NULL, *v;
    char default_name[32], err[CA_ERR_MAX];
    struct ca_paths p;
    long days = CA_DAYS_DEFAULT;
    int rsa_bits = 0, rc, status = CLI_EXIT_FAIL;
    EVP_PKEY *key = NULL;
    X509 *cert = NULL;

    for (int i = 1; i < argc; i++) {
        if (cli_is_help(argv[i])) {
            init_usage(stdout);
            return CLI_EXIT_OK;
        }
        if ((rc = cli_arg_value(prog, argc, argv, &i, "--dir", &v)) != 0) {
            if (rc < 0)
                return CLI_EXIT_USAGE;
            dir = v;
        } else if ((rc = cli_arg_value(prog, argc, argv, &i, "--name", &v)) != 0) {
            if (rc < 0)
                return CLI_EXIT_USAGE;
            name = v;
        } else if ((rc = cli_arg_value(prog, argc, argv, &i, "--days", &v)) != 0) {
            if (rc < 0 || parse_days(prog, v, &days) != 0)
                return CLI_EXIT_USAGE;
        } else if ((rc = parse_rsa(prog, argc, argv, &i, &rsa_bits)) != 0) {
            if (rc < 0)
                return CLI_EXIT_USAGE;
        } else {
            return unknown_arg(prog, argv[i]);
        }
    }
    if (dir[0] == '\0') {
        cli_usage_error(prog, "--dir: empty directory name");
        return CLI_EXIT_USAGE;
    }
    if (name != NULL && (name[0] == '\0' || strlen(name) > CN_MAX)) {
        cli_usage_error(prog, "--name: '%s' must have 1 to %d characters", name, CN_MAX);
        return CLI_EXIT_USAGE;
    }
    if (name == NULL) {
        unsigned char r[4];

        if (RAND_bytes(r, sizeof r) != 1)
            return fail(prog, "no random bytes");
        snprintf(default_name, sizeof default_name, "mutls CA %02x%02x%02x%02x", r[0], r[1],
                 r[2], r[3]);
        name = default_name;
    }
    if (ca_paths_set(&p, dir) != 0) {
        cli_usage_error(prog, "--dir: '%s': path too long", dir);
        return CLI_EXIT_USAGE;
    }
    if (init_dir(&p, err, sizeof err) != 0)
        return fail(prog, err);
    key = cli_keygen(rsa_bits, err, sizeof err);
    if (key == NULL)
        return fail(prog, err);
    cert = make_ca_cert(name, key, days);
    if (cert == NULL) {
        cli_openssl_error("creating the CA certificate", err, sizeof err);
        fail(prog, err);
    } else if (init_write(&p, cert, key, err, sizeof err) != 0) {
        fail(prog, err);
    } else {
        init_report(&p, cert, key);
        status = CLI_EXIT_OK;
    }
    X509_free(cert);
    EVP_PKEY_free(key);
    return status;
}

/* ---- mutls ca issue ------------------------------------------------------------------ */

struct issue_req {
    int server;           /* 1: server, 0: client */
    const char *prog;
    const char *name;
    const char *dir;
    const char *out;      /* --out PREFIX, or NULL */
    const char *spiffe_id;
    const char *email;
    long days;
    int rsa_bits;
    struct ca_san_list sans;
};

struct issue_files {
    char pem[CLI_PATH_MAX];
    char key[CLI_PATH_MAX];
    char index_file[CLI_PATH_MAX]; /* what index.txt records */
};

static void issue_usage_server(FILE *out)
{
    fprintf(out,
            "Usage: mutls ca issue server NAME [--san LIST] [--spiffe-id URI] [--days N]\n"
            "                               [--rsa [BITS]] [--dir DIR] [--out PREFIX]\n"
            "\n"
            "Issue a TLS server certificate for NAME (a DNS name, *.wildcard, or an IP\n"
            "address): subject CN=NAME, subject alternative names NAME plus --san,\n"
            "extended key usage serverAuth, a new key. Writes NAME.pem (the\n"
            "certificate, then the CA certificate) and NAME.key (mode 0600) into the\n"
            "CA directory, and records the certificate in its index.\n"
            "\n"
            "Options:\n"
            "  --san LIST       more names, comma-separated: DNS:name, IP:addr,\n"
            "                   URI:uri, email:addr (repeatable)\n"
            "  --spiffe-id URI  a SPIFFE ID (spiffe://trust-domain/path) as URI name\n"
            "  --days N         validity (default %d; never past the CA's own)\n"
            "  --rsa [BITS]     an RSA key (2048, 3072 default, 4096) instead of\n"
            "                   ECDSA P-256\n"
            "  --dir DIR        the CA directory (default ./%s)\n"
            "  --out PREFIX     write PREFIX.pem and PREFIX.key instead\n"
            "  -h, --help       show this help\n",
            LEAF_DAYS_DEFAULT, CA_DEFAULT_DIR);
}

static void issue_usage_client(FILE *out)
{
    fprintf(out,
            "Usage: mutls ca issue client NAME [--spiffe-id URI] [--email ADDR] [--san LIST]\n"
            "                               [--days N] [--rsa [BITS]] [--dir DIR] [--out PREFIX]\n"
            "\n"
            "Issue a TLS client certificate: subject CN=NAME (any text up to %d\n"
            "characters), extended key usage clientAuth, a new key. Writes NAME.pem\n"
            "(the certificate, then the CA certificate) and NAME.key (mode 0600) into\n"
            "the CA directory, and records the certificate in its index.\n"
            "\n"
            "Options:\n"
            "  --spiffe-id URI  the client's SPIFFE ID, as its one URI name:\n"
            "                   spiffe://TRUST-DOMAIN/PATH (trust domain: a-z 0-9 . - _;\n"
            "                   path segments: a-z A-Z 0-9 . - _)\n"
            "  --email ADDR     an e-mail address name\n"
            "  --san LIST       more names, comma-separated: DNS:name, IP:addr,\n"
            "                   URI:uri, email:addr (repeatable)\n"
            "  --days N         validity (default %d; never past the CA's own)\n"
            "  --rsa [BITS]     an RSA key (2048, 3072 default, 4096) instead of\n"
            "                   ECDSA P-256\n"
            "  --dir DIR        the CA directory (default ./%s)\n"
            "  --out PREFIX     write PREFIX.pem and PREFIX.key instead\n"
            "  -h, --help       show this help\n",
            CN_MAX, LEAF_DAYS_DEFAULT, CA_DEFAULT_DIR);
}

static void issue_usage(FILE *out)
{
    fputs("Usage: mutls ca issue server NAME [options]\n"
          "       mutls ca issue client NAME [options]\n"
          "\n"
          "Issue a server or a client certificate signed by the CA. See\n"
          "'mutls ca issue server --help' and 'mutls ca issue client --help'.\n",
          out);
}

/* The file name stem for NAME ('*' becomes "wildcard"), or -1 if NAME cannot
 * be a file name. */
static int name_stem(const char *name, char *out, size_t cap)
{
    size_t used = 0;

    if (name[0] == '.' || name[0] == '-' || strchr(name, '/') != NULL)
        return -1;
    for (const char *p = name; *p != '\0'; p++) {
        const char *s = *p == '*' ? "wildcard" : NULL;
        size_t n = s != NULL ? strlen(s) : 1;

        if ((unsigned char)*p < 0x20 || *p == 0x7f || used + n >= cap)
            return -1;
        memcpy(out + used, s != NULL ? s : p, n);
        used += n;
    }
    out[used] = '\0';
    return 0;
}

static int set_files(const struct issue_req *r, struct issue_files *f)
{
    char stem[CLI_PATH_MAX], base[CLI_PATH_MAX], cwd[CLI_PATH_MAX];

    if (r->out != NULL) {
        if (snprintf(f->pem, sizeof f->pem, "%s.pem", r->out) >= (int)sizeof f->pem ||
            snprintf(f->key, sizeof f->key, "%s.key", r->out) >= (int)sizeof f->key)
            return -1;
        /* Recorded absolute, so that it means the same from anywhere. */
        if (f->pem[0] == '/')
            return snprintf(f->index_file, sizeof f->index_file, "%s", f->pem) <
                           (int)sizeof f->index_file ? 0 : -1;
        if (getcwd(cwd, sizeof cwd) == NULL)
            return -1;
        return ca_join(f->index_file, sizeof f->index_file, cwd, f->pem);
    }
    if (name_stem(r->name, stem, sizeof stem - 8) != 0)
        return -2;
    if (snprintf(base, sizeof base, "%s.pem", stem) >= (int)sizeof base ||
        snprintf(f->index_file, sizeof f->index_file, "%s", base) >= (int)sizeof f->index_file ||
        ca_join(f->pem, sizeof f->pem, r->dir, base) != 0 ||
        snprintf(base, sizeof base, "%s.key", stem) >= (int)sizeof base)
        return -1;
    return ca_join(f->key, sizeof f->key, r->dir, base);
}

/* Checks of NAME and the names, and the SAN list to use. */
static int issue_check(struct issue_req *r)
{
    char err[CA_ERR_MAX];
    struct ca_san_list extra = {0};
    unsigned char ip[16];
    size_t ip_len, n_uri = 0, n_spiffe = 0;
    int rc = -1;

    if (r->name[0] == '\0' || strlen(r->name) > CN_MAX) {
        cli_usage_error(r->prog, "NAME '%s' must have 1 to %d characters (the most a "
                        "certificate's common name can hold)", r->name, CN_MAX);
        return -1;
    }
    for (const char *p = r->name; *p != '\0'; p++) {
        if ((unsigned char)*p < 0x20 || *p == 0x7f) {
            cli_usage_error(r->prog, "NAME has a control character");
            return -1;
        }
    }
    /* The list the --san options gave, then the final one: NAME (server)
     * or the SPIFFE ID and e-mail address (client) first. */
    extra = r->sans;
    memset(&r->sans, 0, sizeof r->sans);
    if (r->server) {
        int is_ip = ca_parse_ip(r->name, ip, &ip_len);

        if (!is_ip && ca_check_dns(r->name, 1, err, sizeof err) != 0) {
            cli_usage_error(r->prog, "NAME %s (a server's NAME is a DNS name or an IP "
                            "address)", err);
            goto Done;
        }
        if (ca_san_add(&r->sans, is_ip ? CA_SAN_IP : CA_SAN_DNS, r->name, err,
                       sizeof err) != 0) {
            cli_usage_error(r->prog, "NAME %s", err);
            goto Done;
        }
    }
    if (r->spiffe_id != NULL) {
        if (ca_check_spiffe_id(r->spiffe_id, err, sizeof err) != 0 ||
            ca_san_add(&r->sans, CA_SAN_URI, r->spiffe_id, err, sizeof err) != 0) {
            cli_usage_error(r->prog, "--spiffe-id: %s", err);
            goto Done;
        }
    }
    if (r->email != NULL && ca_san_add(&r->sans, CA_SAN_EMAIL, r->email, err, sizeof err) != 0) {
        cli_usage_error(r->prog, "--email: %s", err);
        goto Done;
    }
    for (size_t k = 0; k < extra.n; k++) {
        if (ca_san_add(&r->sans, extra.v[k].type, extra.v[k].value, err, sizeof err) != 0) {
            cli_usage_error(r->prog, "--san: %s", err);
            goto Done;
        }
    }
    for (size_t k = 0; k < r->sans.n; k++) {
        if (r->sans.v[k].type != CA_SAN_URI)
            continue;
        n_uri++;
        n_spiffe += strncmp(r->sans.v[k].value, "spiffe://", 9) == 0;
    }
    if (n_spiffe > 0 && n_uri > 1) {
        cli_usage_error(r->prog, "a certificate with a SPIFFE ID (an X.509-SVID) must have "
                        "exactly one URI name; drop the other URI:s from --san");
        goto Done;
    }
    rc = 0;
Done:
    ca_san_free(&extra);
    return rc;
}

/* A serial number unused by the CA and the index. */
static int unique_serial(X509 *cert, const struct ca *ca, struct ca_index *ix,
                         char *hex, size_t cap)
{
    char ca_hex[80];

    if (ca_serial_hex(ca->cert, ca_hex, sizeof ca_hex) != 0)
        return -1;
    for (int tries = 0; tries < 16; tries++) {
        if (tries > 0 && !cli_cert_random_serial(cert))
            return -1;
        if (ca_serial_hex(cert, hex, cap) != 0)
            return -1;
        if (strcmp(hex, ca_hex) != 0 && ca_index_find(ix, hex) == NULL)
            return 0;
    }
    return -1;
}

static X509 *make_leaf(const struct issue_req *r, const struct ca *ca, EVP_PKEY *key,
                       const ASN1_TIME *not_after, struct ca_index *ix, char *serial,
                       size_t serial_cap)
{
    const char *ku = r->server && EVP_PKEY_get_base_id(key) == EVP_PKEY_RSA
                         ? "critical,digitalSignature,keyEncipherment"
                         : "critical,digitalSignature";
    X509 *cert = cli_cert_new(r->name, key, r->days, not_after, ca->cert);
    X509_EXTENSION *san = NULL;
    int ok = cert != NULL && unique_serial(cert, ca, ix, serial, serial_cap) == 0 &&
             cli_cert_add_ext(cert, ca->cert, NID_basic_constraints, "critical,CA:FALSE") &&
             cli_cert_add_ext(cert, ca->cert, NID_key_usage, ku) &&
             cli_cert_add_ext(cert, ca->cert, NID_ext_key_usage,
                              r->server ? "serverAuth" : "clientAuth");

    if (ok && r->sans.n > 0) {
        san = ca_san_extension(&r->sans);
        ok = san != NULL && X509_add_ext(cert, san, -1) == 1;
        X509_EXTENSION_free(san);
    }
    ok = ok && cli_cert_add_ext(cert, ca->cert, NID_subject_key_identifier, "hash") &&
         cli_cert_add_ext(cert, ca->cert, NID_authority_key_identifier, "keyid:always") &&
         cli_cert_sign(cert, ca->key);
    if (!ok) {
        X509_free(cert);
        return NULL;
    }
    return cert;
}

/* notAfter: now + days, but not past the CA's. *clamped set if cut. */
static ASN1_TIME *leaf_not_after(const struct ca *ca, long days, int *clamped)
{
    ASN1_TIME *t = X509_time_adj_ex(NULL, (int)days, 0, NULL);

    *clamped = 0;
    if (t != NULL && ASN1_TIME_compare(t, X509_get0_notAfter(ca->cert)) > 0) {
        ASN1_TIME_free(t);
        t = ASN1_TIME_dup(X509_get0_notAfter(ca->cert));
        *clamped = 1;
    }
    return t;
}

/* The most recent valid server certificate in the index, for the example
 * commands after issuing a client certificate. */
static const struct ca_entry *latest_server(const struct ca_index *ix)
{
    time_t now = time(NULL);

    for (size_t k = ix->n; k-- > 0;) {
        const struct ca_entry *e = &ix->v[k];

        if (strcmp(e->profile, "server") == 0 && e->status == 'V' && e->expires > now &&
            strncmp(e->subject, "CN=", 3) == 0)
            return e;
    }
    return NULL;
}

/* How to reach a server named NAME when trying it out on this machine. */
struct endpoint {
    char listen[300];     /* --listen */
    char connect[300];    /* mutls client HOST:PORT */
    char servername[300]; /* --servername, or "" */
    char url[320];        /* curl URL */
    char curl_extra[360]; /* "--resolve ... " or "-g " */
};

static void endpoint_for(const char *name, struct endpoint *ep)
{
    unsigned char ip[16];
    size_t ip_len;
    char host[300];

    memset(ep, 0, sizeof *ep);
    if (ca_parse_ip(name, ip, &ip_len)) {
        const char *l = ip_len == 16 ? "[" : "", *r = ip_len == 16 ? "]" : "";

        snprintf(ep->listen, sizeof ep->listen, "%s%s%s:%s", l, name, r, DEMO_PORT);
        snprintf(ep->connect, sizeof ep->connect, "%s", ep->listen);
        snprintf(ep->url, sizeof ep->url, "https://%s/", ep->listen);
        if (ip_len == 16)
            snprintf(ep->curl_extra, sizeof ep->curl_extra, "-g ");
        return;
    }
    /* A wildcard: any name it covers. */
    if (strncmp(name, "*.", 2) == 0)
        snprintf(host, sizeof host, "www.%s", name + 2);
    else
        snprintf(host, sizeof host, "%s", name);
    snprintf(ep->listen, sizeof ep->listen, "127.0.0.1:%s", DEMO_PORT);
    snprintf(ep->connect, sizeof ep->connect, "127.0.0.1:%s", DEMO_PORT);
    snprintf(ep->servername, sizeof ep->servername, "%s", host);
    snprintf(ep->url, sizeof ep->url, "https://%s:%s/", host, DEMO_PORT);
    if (strcmp(host, "localhost") != 0)
        snprintf(ep->curl_extra, sizeof ep->curl_extra, "--resolve %s:%s:127.0.0.1 ",
                 host, DEMO_PORT);
}

/* The commands for a server (spem, skey, name) and optionally a client. */
static void print_commands(const char *ca_pem, const char *name, const char *spem,
                           const char *skey, const char *cpem, const char *ckey,
                           const char *crl)
{
    struct endpoint ep;
    char sn[340] = "", cert_opts[2 * Q_MAX + 32] = "", crl_opt[Q_MAX + 8] = "";

    endpoint_for(name, &ep);
    if (ep.servername[0] != '\0')
        snprintf(sn, sizeof sn, " --servername %s", q(ep.servername));
    if (cpem != NULL)
        snprintf(cert_opts, sizeof cert_opts, " --cert %s --key %s", q(cpem), q(ckey));
    if (crl != NULL)
        snprintf(crl_opt, sizeof crl_opt, " --crl %s", q(crl));
    printf("  mutls server --listen %s --cert %s --key %s%s%s%s --www\n", ep.listen, q(spem),
           q(skey), cpem != NULL || crl != NULL ? " --client-ca " : "",
           cpem != NULL || crl != NULL ? q(ca_pem) : "", crl_opt);
    printf("  mutls client %s --ca %s%s%s --get /\n", ep.connect, q(ca_pem), sn, cert_opts);
    printf("  curl %s--cacert %s%s %s\n", ep.curl_extra, q(ca_pem), cert_opts, ep.url);
}

static void issue_report(const struct issue_req *r, const struct ca_paths *p,
                         const struct issue_files *f, X509 *cert, EVP_PKEY *key,
                         const char *serial, int clamped, const struct ca_index *ix)
{
    char sans[2048], kd[64], until[32], left[32];
    time_t na = 0;
    const struct ca_entry *srv;
    struct endpoint ep;

    ca_san_describe(&r->sans, sans, sizeof sans);
    ca_key_describe(key, kd, sizeof kd);
    (void)ca_asn1_time(X509_get0_notAfter(cert), &na);
    ca_time_iso(na, until, sizeof until);
    days_from_now(na, left, sizeof left);
    printf("%s: issued a %s certificate for %s\n"
           "  serial %s\n"
           "  valid until %s (%s%s)\n"
           "  names %s\n"
           "  extended key usage %s, %s key\n"
           "\n"
           "  %-24s the certificate, then the CA certificate\n"
           "  %-24s the private key (mode 0600): keep it secret\n"
           "\n",
           CA_PROG, r->server ? "server" : "client", r->name, serial, until, left,
           clamped ? ", cut to the CA's own expiry" : "", sans[0] != '\0' ? sans : "(none)",
           r->server ? "serverAuth" : "clientAuth", kd, q(f->pem), q(f->key));
    if (r->server) {
        printf("Use it:\n");
        print_commands(p->cert, r->name, f->pem, f->key, NULL, NULL, NULL);
        printf("With client certificates (mutual TLS; issue one with: mutls ca issue "
               "client NAME%s):\n", dir_opt(p->dir));
        endpoint_for(r->name, &ep);
        printf("  mutls server --listen %s --cert %s --key %s --client-ca %s --www\n",
               ep.listen, q(f->pem), q(f->key), q(p->cert));
    } else {
        srv = latest_server(ix);
        if (srv != NULL) {
            char spem[CLI_PATH_MAX], skey[CLI_PATH_MAX];
            size_t n;

            (void)ca_join(spem, sizeof spem, p->dir, srv->file);
            snprintf(skey, sizeof skey, "%s", spem);
            n = strlen(skey);
            if (n > 4 && strcmp(skey + n - 4, ".pem") == 0)
                memcpy(skey + n - 4, ".key", 4);
            printf("Use it (mutual TLS, with the server certificate %s):\n", srv->subject);
            print_commands(p->cert, srv->subject + 3, spem, skey, f->pem, f->key, NULL);
        } else {
            char spem[CLI_PATH_MAX], skey[CLI_PATH_MAX];

            (void)ca_join(spem, sizeof spem, p->dir, "localhost.pem");
            (void)ca_join(skey, sizeof skey, p->dir, "localhost.key");
            printf("Use it (mutual TLS) once there is a server certificate "
                   "(mutls ca issue server localhost%s):\n", dir_opt(p->dir));
            print_commands(p->cert, "localhost", spem, skey, f->pem, f->key, NULL);
        }
    }
    printf("Check it:\n"
           "  openssl verify -CAfile %s -purpose %s %s\n"
           "  mutls ca inspect %s\n",
           q(p->cert), r->server ? "sslserver" : "sslclient", q(f->pem), q(f->pem));
}

/* Under the lock: make the key and certificate, write them, record them. */
static int issue_locked(struct issue_req *r, const struct ca_paths *p, const struct ca *ca,
                        const struct issue_files *f, char *err, size_t cap)
{
    struct ca_index ix;
    struct ca_entry e;
    unsigned long long count = 0;
    char serial[80], subject[512];
    EVP_PKEY *key = NULL;
    ASN1_TIME *not_after = NULL;
    X509 *cert = NULL, *chain[2];
    int clamped, rc = -1, wrote = 0;

    if (ca_index_load(p->index, &ix, err, cap) != 0)
        return -1;
    if (ca_counter_read(p->serial, &count, err, cap) != 0)
        goto Done;
    key = cli_keygen(r->rsa_bits, err, cap);
    if (key == NULL)
        goto Done;
    not_after = leaf_not_after(ca, r->days, &clamped);
    cert = not_after != NULL ? make_leaf(r, ca, key, not_after, &ix, serial, sizeof serial)
                             : NULL;
    if (cert == NULL) {
        cli_openssl_error("creating the certificate", err, cap);
        goto Done;
    }
    chain[0] = cert;
    chain[1] = ca->cert;
    if (cli_write_key_file(f->key, key, err, cap) != 0)
        goto Done;
    wrote = 1;
    if (cli_write_cert_file(f->pem, chain, 2, err, cap) != 0)
        goto Done;
    wrote = 2;
    memset(&e, 0, sizeof e);
    snprintf(e.serial, sizeof e.serial, "%s", serial);
    e.status = 'V';
    e.reason = -1;
    (void)ca_asn1_time(X509_get0_notAfter(cert), &e.expires);
    snprintf(e.profile, sizeof e.profile, "%s", r->server ? "server" : "client");
    ca_name_str(X509_get_subject_name(cert), subject, sizeof subject);
    e.subject = subject;
    e.file = (char *)f->index_file;
    if (ca_index_add(&ix, &e) != 0) {
        ca_errf(err, cap, "out of memory");
        goto Done;
    }
    if (ca_index_save(p->index, &ix, err, cap) != 0)
        goto Done;
    if (ca_counter_write(p->serial, count + 1, err, cap) != 0)
        fprintf(stderr, "%s: warning: %s\n", r->prog, err); /* the index has it */
    issue_report(r, p, f, cert, key, serial, clamped, &ix);
    rc = 0;
Done:
    if (rc != 0) {
        if (wrote >= 2)
            unlink(f->pem);
        if (wrote >= 1)
            unlink(f->key);
    }
    X509_free(cert);
    ASN1_TIME_free(not_after);
    EVP_PKEY_free(key);
    ca_index_free(&ix);
    return rc;
}

static int issue_run(struct issue_req *r)
{
    struct ca_paths p;
    struct issue_files f;
    struct ca ca;
    char err[CA_ERR_MAX];
    int lock, rc;

    if (issue_check(r) != 0)
        return CLI_EXIT_USAGE;
    if (ca_paths_set(&p, r->dir) != 0) {
        cli_usage_error(r->prog, "--dir: '%s': path too long", r->dir);
        return CLI_EXIT_USAGE;
    }
    rc = set_files(r, &f);
    if (rc == -2) {
        cli_usage_error(r->prog, "NAME '%s' cannot be used as a file name; give --out PREFIX",
                        r->name);
        return CLI_EXIT_USAGE;
    }
    if (rc != 0) {
        cli_usage_error(r->prog, "the file names for '%s' are too long", r->name);
        return CLI_EXIT_USAGE;
    }
    if (ca_load(&p, &ca, err, sizeof err) != 0)
        return fail(r->prog, err);
    if (X509_cmp_time(X509_get0_notAfter(ca.cert), NULL) <= 0) {
        ca_free(&ca);
        ca_errf(err, sizeof err, "the CA certificate %s has expired; it cannot issue "
                 "certificates any more", p.cert);
        return fail(r->prog, err);
    }
    for (int k = 0; k < 2; k++) {
        const char *path = k == 0 ? f.pem : f.key;

        if (path_exists(path)) {
            ca_free(&ca);
            ca_errf(err, sizeof err, "%s already exists; refusing to overwrite it (choose "
                     "another NAME or --out PREFIX, or remove the old files)", path);
            return fail(r->prog, err);
        }
    }
    lock = ca_lock(&p, err, sizeof err);
    rc = lock >= 0 ? issue_locked(r, &p, &ca, &f, err, sizeof err) : -1;
    ca_unlock(lock);
    ca_free(&ca);
    return rc == 0 ? CLI_EXIT_OK : fail(r->prog, err);
}

static int ca_issue(int argc, char **argv)
{
    struct issue_req r;
    char err[CA_ERR_MAX];
    const char *v;
    int rc, status, positional_only = 0;

    if (argc < 2) {
        cli_usage_error(CA_PROG " issue", "missing 'server' or 'client'");
        return CLI_EXIT_USAGE;
    }
    if (cli_is_help(argv[1])) {
        issue_usage(stdout);
        return CLI_EXIT_OK;
    }
    memset(&r, 0, sizeof r);
    if (strcmp(argv[1], "server") == 0) {
        r.server = 1;
        r.prog = CA_PROG " issue server";
    } else if (strcmp(argv[1], "client") == 0) {
        r.prog = CA_PROG " issue client";
    } else {
        cli_usage_error(CA_PROG " issue", "'%s': expected 'server' or 'client'", argv[1]);
        return CLI_EXIT_USAGE;
    }
    r.dir = CA_DEFAULT_DIR;
    r.days = LEAF_DAYS_DEFAULT;
    status = CLI_EXIT_USAGE;
    for (int i = 2; i < argc; i++) {
        const char *a = argv[i];

        if (!positional_only && cli_is_help(a)) {
            (r.server ? issue_usage_server : issue_usage_client)(stdout);
            status = CLI_EXIT_OK;
            goto Done;
        }
        if (!positional_only && strcmp(a, "--") == 0) {
            positional_only = 1;
            continue;
        }
        if (positional_only || a[0] != '-' || a[1] == '\0') {
            if (r.name != NULL) {
                unknown_arg(r.prog, a);
                goto Done;
            }
            r.name = a;
            continue;
        }
        if ((rc = cli_arg_value(r.prog, argc, argv, &i, "--dir", &v)) != 0) {
            if (rc < 0)
                goto Done;
            r.dir = v;
        } else if ((rc = cli_arg_value(r.prog, argc, argv, &i, "--out", &v)) != 0) {
            if (rc < 0)
                goto Done;
            r.out = v;
        } else if ((rc = cli_arg_value(r.prog, argc, argv, &i, "--days", &v)) != 0) {
            if (rc < 0 || parse_days(r.prog, v, &r.days) != 0)
                goto Done;
        } else if ((rc = cli_arg_value(r.prog, argc, argv, &i, "--san", &v)) != 0) {
            if (rc < 0)
                goto Done;
            if (ca_san_parse(&r.sans, v, err, sizeof err) != 0) {
                cli_usage_error(r.prog, "--san: %s", err);
                goto Done;
            }
        } else if ((rc = cli_arg_value(r.prog, argc, argv, &i, "--spiffe-id", &v)) != 0) {
            if (rc < 0)
                goto Done;
            if (r.spiffe_id != NULL) {
                cli_usage_error(r.prog, "--spiffe-id: give it once (a certificate has at "
                                "most one SPIFFE ID)");
                goto Done;
            }
            r.spiffe_id = v;
        } else if (!r.server &&
                   (rc = cli_arg_value(r.prog, argc, argv, &i, "--email", &v)) != 0) {
            if (rc < 0)
                goto Done;
            if (r.email != NULL) {
                cli_usage_error(r.prog, "--email: give it once (use --san email:ADDR,... "
                                "for more)");
                goto Done;
            }
            r.email = v;
        } else if ((rc = parse_rsa(r.prog, argc, argv, &i, &r.rsa_bits)) != 0) {
            if (rc < 0)
                goto Done;
        } else if (r.server && (strcmp(a, "--email") == 0 || strncmp(a, "--email=", 8) == 0)) {
            cli_usage_error(r.prog, "--email is for client certificates (a server certificate "
                            "can still carry one: --san email:ADDR)");
            goto Done;
        } else {
            unknown_arg(r.prog, a);
            goto Done;
        }
    }
    if (r.name == NULL) {
        cli_usage_error(r.prog, "missing NAME");
        goto Done;
    }
    if (r.dir[0] == '\0' || (r.out != NULL && r.out[0] == '\0')) {
        cli_usage_error(r.prog, "%s: empty path", r.dir[0] == '\0' ? "--dir" : "--out");
        goto Done;
    }
    status = issue_run(&r);
Done:
    ca_san_free(&r.sans);
    return status;
}

/* ---- mutls ca revoke ----------------------------------------------------------------- */

static void revoke_usage(FILE *out)
{
    char reasons[512];

    ca_reason_list(reasons, sizeof reasons);
    fprintf(out,
            "Usage: mutls ca revoke CERT [--reason REASON] [--dir DIR]\n"
            "       mutls ca revoke --serial HEX [--reason REASON] [--dir DIR]\n"
            "\n"
            "Mark a certificate issued by the CA as revoked in its index: CERT is\n"
            "the certificate's file (the first certificate in it is the one), or\n"
            "give its serial number. Then write a new CRL with 'mutls ca crl'.\n"
            "\n"
            "Options:\n"
            "  --reason REASON  why (default unspecified):\n"
            "                   %s\n"
            "  --serial HEX     the serial number instead of the file\n"
            "  --dir DIR        the CA directory (default ./%s)\n"
            "  -h, --help       show this help\n",
            reasons, CA_DEFAULT_DIR);
}

/* The first certificate in a PEM or DER file. */
static X509 *read_cert_file(const char *path, char *err, size_t cap)
{
    BIO *b = BIO_new_file(path, "rb");
    X509 *x;

    if (b == NULL) {
        ca_errf(err, cap, "%s: %s", path, strerror(errno));
        ERR_clear_error();
        return NULL;
    }
    x = PEM_read_bio_X509(b, NULL, NULL, NULL);
    if (x == NULL) {
        ERR_clear_error();
        (void)BIO_reset(b);
        x = d2i_X509_bio(b, NULL);
    }
    BIO_free(b);
    if (x == NULL) {
        ERR_clear_error();
        ca_errf(err, cap, "%s: no certificate in it (PEM or DER)", path);
    }
    return x;
}

/* Upper-case hex without separators or 0x; NULL if not hex. */
static int normalize_serial(const char *in, char *out, size_t cap)
{
    size_t used = 0;

    if (strncmp(in, "0x", 2) == 0 || strncmp(in, "0X", 2) == 0)
        in += 2;
    while (*in == '0' && in[1] != '\0')
        in++; /* BN_bn2hex writes no leading zero bytes... */
    for (; *in != '\0'; in++) {
        char c = *in;

        if (c == ':' || c == ' ')
            continue;
        if (c >= 'a' && c <= 'f')
            c = (char)(c - 'a' + 'A');
        if (!((c >= '0' && c <= '9') || (c >= 'A' && c <= 'F')) || used + 1 >= cap)
            return -1;
        out[used++] = c;
    }
    out[used] = '\0';
    if (used == 0)
        return -1;
    /* ...but an even number of digits (as BN_bn2hex). */
    if (used % 2 == 1 && used + 1 < cap) {
        memmove(out + 1, out, used + 1);
        out[0] = '0';
    }
    return 0;
}

static int revoke_locked(const char *prog, const struct ca_paths *p, const char *serial,
                         const char *cert_path, int reason, char *err, size_t cap)
{
    struct ca_index ix;
    struct ca_entry *e;
    char when[32], file[CLI_PATH_MAX];
    int rc = -1;

    if (ca_index_load(p->index, &ix, err, cap) != 0)
        return -1;
    e = ca_index_find(&ix, serial);
    if (e == NULL) {
        ca_errf(err, cap, "serial %s%s%s%s is not in %s: this CA did not issue it", serial,
                 cert_path != NULL ? " (" : "", cert_path != NULL ? cert_path : "",
                 cert_path != NULL ? ")" : "", p->index);
        goto Done;
    }
    if (e->status == 'R') {
        ca_time_iso(e->revoked, when, sizeof when);
        ca_errf(err, cap, "serial %s (%s) was already revoked at %s (%s)", serial,
                 e->subject, when, ca_reason_name(e->reason));
        goto Done;
    }
    e->status = 'R';
    e->revoked = time(NULL);
    e->reason = reason;
    if (ca_index_save(p->index, &ix, err, cap) != 0)
        goto Done;
    ca_time_iso(e->revoked, when, sizeof when);
    (void)ca_join(file, sizeof file, p->dir, e->file);
    printf("%s: revoked serial %s (%s, %s)\n"
           "  at %s, reason %s, recorded in %s\n"
           "\n"
           "Publish a new CRL so that peers refuse it:\n"
           "  mutls ca crl%s\n",
           CA_PROG, serial, e->subject, q(file), when, ca_reason_name(reason), q(p->index),
           dir_opt(p->dir));
    rc = 0;
Done:
    (void)prog;
    ca_index_free(&ix);
    return rc;
}

static int ca_revoke(int argc, char **argv)
{
    static const char prog[] = CA_PROG " revoke";
    const char *dir = CA_DEFAULT_DIR, *cert_path = NULL, *serial_arg = NULL, *v;
    char err[CA_ERR_MAX], serial[80], ca_subject[512], subject[512];
    struct ca_paths p;
    struct ca ca;
    int reason = 0, rc, lock, positional_only = 0;

    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];

        if (!positional_only && cli_is_help(a)) {
            revoke_usage(stdout);
            return CLI_EXIT_OK;
        }
        if (!positional_only && strcmp(a, "--") == 0) {
            positional_only = 1;
            continue;
        }
        if (positional_only || a[0] != '-' || a[1] == '\0') {
            if (cert_path != NULL)
                return unknown_arg(prog, a);
            cert_path = a;
        } else if ((rc = cli_arg_value(prog, argc, argv, &i, "--dir", &v)) != 0) {
            if (rc < 0)
                return CLI_EXIT_USAGE;
            dir = v;
        } else if ((rc = cli_arg_value(prog, argc, argv, &i, "--serial", &v)) != 0) {
            if (rc < 0)
                return CLI_EXIT_USAGE;
            serial_arg = v;
        } else if ((rc = cli_arg_value(prog, argc, argv, &i, "--reason", &v)) != 0) {
            if (rc < 0)
                return CLI_EXIT_USAGE;
            reason = ca_reason_parse(v);
            if (reason < 0) {
                char list[512];

                ca_reason_list(list, sizeof list);
                cli_usage_error(prog, "--reason: unknown reason '%s' (one of: %s)", v, list);
                return CLI_EXIT_USAGE;
            }
        } else {
            return unknown_arg(prog, a);
        }
    }
    if ((cert_path == NULL) == (serial_arg == NULL)) {
        cli_usage_error(prog, cert_path == NULL ? "missing CERT (or --serial HEX)"
                                                : "give CERT or --serial, not both");
        return CLI_EXIT_USAGE;
    }
    if (serial_arg != NULL && normalize_serial(serial_arg, serial, sizeof serial) != 0) {
        cli_usage_error(prog, "--serial: '%s' is not a hexadecimal serial number", serial_arg);
        return CLI_EXIT_USAGE;
    }
    if (ca_paths_set(&p, dir) != 0) {
        cli_usage_error(prog, "--dir: '%s': path too long", dir);
        return CLI_EXIT_USAGE;
    }
    if (ca_load(&p, &ca, err, sizeof err) != 0)
        return fail(prog, err);
    if (cert_path != NULL) {
        X509 *x = read_cert_file(cert_path, err, sizeof err);
        EVP_PKEY *ca_pub = X509_get0_pubkey(ca.cert);

        if (x == NULL) {
            ca_free(&ca);
            return fail(prog, err);
        }
        if (X509_check_issued(ca.cert, x) != X509_V_OK || ca_pub == NULL ||
            X509_verify(x, ca_pub) != 1) {
            ERR_clear_error();
            ca_name_str(X509_get_issuer_name(x), subject, sizeof subject);
            ca_name_str(X509_get_subject_name(ca.cert), ca_subject, sizeof ca_subject);
            ca_errf(err, sizeof err, "%s was not issued by this CA (its issuer is %s; the "
                     "CA in %s is %s)", cert_path, subject, dir, ca_subject);
            X509_free(x);
            ca_free(&ca);
            return fail(prog, err);
        }
        rc = ca_serial_hex(x, serial, sizeof serial);
        X509_free(x);
        if (rc != 0) {
            ca_free(&ca);
            return fail(prog, "cannot read the serial number");
        }
    }
    lock = ca_lock(&p, err, sizeof err);
    rc = lock >= 0 ? revoke_locked(prog, &p, serial, cert_path, reason, err, sizeof err) : -1;
    ca_unlock(lock);
    ca_free(&ca);
    return rc == 0 ? CLI_EXIT_OK : fail(prog, err);
}

/* ---- mutls ca crl ----------------------------------------------------------------------- */

static void crl_usage(FILE *out)
{
    fprintf(out,
            "Usage: mutls ca crl [--days N] [--dir DIR] [--out FILE]\n"
            "\n"
            "Write a certificate revocation list (X.509 v2 CRL, signed by the CA)\n"
            "listing every certificate revoked with 'mutls ca revoke', with its\n"
            "revocation date and reason, and the next CRL number. Write a new one\n"
            "after each revocation and before the next update date.\n"
            "\n"
            "Options:\n"
            "  --days N         next update N days from now (default %d)\n"
            "  --dir DIR        the CA directory (default ./%s)\n"
            "  --out FILE       where to write it (default DIR/crl.pem)\n"
            "  -h, --help       show this help\n",
            CRL_DAYS_DEFAULT, CA_DEFAULT_DIR);
}

static int add_revoked(X509_CRL *crl, const struct ca_entry *e)
{
    X509_REVOKED *rev = X509_REVOKED_new();
    BIGNUM *bn = NULL;
    ASN1_INTEGER *serial = NULL;
    ASN1_TIME *when = NULL;
    ASN1_ENUMERATED *reason = NULL;
    int ok = rev != NULL && BN_hex2bn(&bn, e->serial) > 0 &&
             (serial = BN_to_ASN1_INTEGER(bn, NULL)) != NULL &&
             X509_REVOKED_set_serialNumber(rev, serial) == 1 &&
             (when = ASN1_TIME_set(NULL, e->revoked)) != NULL &&
             X509_REVOKED_set_revocationDate(rev, when) == 1;

    /* RFC 5280 5.3.1: no reasonCode rather than unspecified (0). */
    if (ok && e->reason > 0)
        ok = (reason = ASN1_ENUMERATED_new()) != NULL &&
             ASN1_ENUMERATED_set(reason, e->reason) == 1 &&
             X509_REVOKED_add1_ext_i2d(rev, NID_crl_reason, reason, 0, 0) == 1;
    if (ok)
        ok = X509_CRL_add0_revoked(crl, rev) == 1;
    if (!ok)
        X509_REVOKED_free(rev);
    ASN1_ENUMERATED_free(reason);
    ASN1_TIME_free(when);
    ASN1_INTEGER_free(serial);
    BN_free(bn);
    return ok;
}

static X509_CRL *make_crl(const struct ca *ca, const struct ca_index *ix,
                          unsigned long long number, long days, size_t *n_revoked)
{
    X509_CRL *crl = X509_CRL_new();
    ASN1_TIME *t = NULL;
    ASN1_INTEGER *num = NULL;
    X509_EXTENSION *aki = NULL;
    X509V3_CTX ctx;
    int ok;

    *n_revoked = 0;
    ok = crl != NULL && X509_CRL_set_version(crl, 1) == 1 && /* v2 */
         X509_CRL_set_issuer_name(crl, X509_get_subject_name(ca->cert)) == 1 &&
         (t = X509_gmtime_adj(NULL, 0)) != NULL && X509_CRL_set1_lastUpdate(crl, t) == 1 &&
         X509_time_adj_ex(t, (int)days, 0, NULL) != NULL &&
         X509_CRL_set1_nextUpdate(crl, t) == 1;
    for (size_t k = 0; ok && k < ix->n; k++) {
        if (ix->v[k].status != 'R')
            continue;
        ok = add_revoked(crl, &ix->v[k]);
        *n_revoked += 1;
    }
    if (ok) {
        X509V3_set_ctx(&ctx, ca->cert, NULL, NULL, crl, 0);
        aki = X509V3_EXT_conf_nid(NULL, &ctx, NID_authority_key_identifier, "keyid:always");
        ok = aki != NULL && X509_CRL_add_ext(crl, aki, -1) == 1 &&
             (num = ASN1_INTEGER_new()) != NULL && ASN1_INTEGER_set_uint64(num, number) == 1 &&
             X509_CRL_add1_ext_i2d(crl, NID_crl_number, num, 0, 0) == 1 &&
             X509_CRL_sort(crl) == 1 && X509_CRL_sign(crl, ca->key, EVP_sha256()) > 0;
    }
    X509_EXTENSION_free(aki);
    ASN1_INTEGER_free(num);
    ASN1_TIME_free(t);
    if (!ok) {
        X509_CRL_free(crl);
        return NULL;
    }
    return crl;
}

static int write_crl(FILE *f, const void *arg)
{
    return PEM_write_X509_CRL(f, (X509_CRL *)arg) == 1;
}

static void crl_report(const struct ca_paths *p, const char *out, X509_CRL *crl,
                       unsigned long long number, size_t n_revoked, const struct ca_index *ix)
{
    char next[32], left[32], when[32], file[CLI_PATH_MAX];
    const struct ca_entry *srv = latest_server(ix), *revoked_client = NULL;
    time_t nu = 0;

    (void)ca_asn1_time(X509_CRL_get0_nextUpdate(crl), &nu);
    ca_time_iso(nu, next, sizeof next);
    days_from_now(nu, left, sizeof left);
    printf("%s: wrote %s\n"
           "  CRL number %llu, %zu revoked certificate%s, next update %s (%s)\n",
           CA_PROG, q(out), number, n_revoked, n_revoked == 1 ? "" : "s", next, left);
    for (size_t k = 0; k < ix->n; k++) {
        const struct ca_entry *e = &ix->v[k];

        if (e->status != 'R')
            continue;
        ca_time_iso(e->revoked, when, sizeof when);
        printf("  revoked %s  %s  %s  %s\n", e->serial, when, ca_reason_name(e->reason),
               e->subject);
        if (strcmp(e->profile, "client") == 0)
            revoked_client = e;
    }
    printf("\nUse it:\n");
    if (srv != NULL) {
        char spem[CLI_PATH_MAX], skey[CLI_PATH_MAX];
        size_t n;

        (void)ca_join(spem, sizeof spem, p->dir, srv->file);
        snprintf(skey, sizeof skey, "%s", spem);
        n = strlen(skey);
        if (n > 4 && strcmp(skey + n - 4, ".pem") == 0)
            memcpy(skey + n - 4, ".key", 4);
        printf("  mutls server --listen %s --cert %s --key %s --client-ca %s --crl %s --www\n",
               "127.0.0.1:" DEMO_PORT, q(spem), q(skey), q(p->cert), q(out));
    } else {
        printf("  mutls server --listen 127.0.0.1:%s --cert SERVER.pem --key SERVER.key "
               "--client-ca %s --crl %s --www\n", DEMO_PORT, q(p->cert), q(out));
    }
    if (revoked_client != NULL) {
        (void)ca_join(file, sizeof file, p->dir, revoked_client->file);
        printf("  openssl verify -crl_check -CAfile %s -CRLfile %s %s   (fails: revoked)\n",
               q(p->cert), q(out), q(file));
    }
    printf("  mutls ca inspect %s\n"
           "Write a new one before %s (and after every revocation): mutls ca crl%s\n",
           q(out), next, dir_opt(p->dir));
}

static int crl_locked(const struct ca_paths *p, const struct ca *ca, const char *out,
                      long days, char *err, size_t cap)
{
    struct ca_index ix;
    unsigned long long number = 0;
    size_t n_revoked;
    X509_CRL *crl = NULL;
    int rc = -1;

    if (ca_index_load(p->index, &ix, err, cap) != 0)
        return -1;
    if (ca_counter_read(p->crlnumber, &number, err, cap) != 0)
        goto Done;
    number++;
    crl = make_crl(ca, &ix, number, days, &n_revoked);
    if (crl == NULL) {
        cli_openssl_error("creating the CRL", err, cap);
        goto Done;
    }
    /* The number first: a CRL number is never used twice, even if writing
     * the CRL fails. */
    if (ca_counter_write(p->crlnumber, number, err, cap) != 0 ||
        ca_replace_file(out, write_crl, crl, err, cap) != 0)
        goto Done;
    crl_report(p, out, crl, number, n_revoked, &ix);
    rc = 0;
Done:
    X509_CRL_free(crl);
    ca_index_free(&ix);
    return rc;
}

static int ca_crl(int argc, char **argv)
{
    static const char prog[] = CA_PROG " crl";
    const char *dir = CA_DEFAULT_DIR, *out = NULL, *v;
    char err[CA_ERR_MAX];
    struct ca_paths p;
    struct ca ca;
    long days = CRL_DAYS_DEFAULT;
    int rc, lock;

    for (int i = 1; i < argc; i++) {
        if (cli_is_help(argv[i])) {
            crl_usage(stdout);
            return CLI_EXIT_OK;
        }
        if ((rc = cli_arg_value(prog, argc, argv, &i, "--dir", &v)) != 0) {
            if (rc < 0)
                return CLI_EXIT_USAGE;
            dir = v;
        } else if ((rc = cli_arg_value(prog, argc, argv, &i, "--out", &v)) != 0) {
            if (rc < 0)
                return CLI_EXIT_USAGE;
            out = v;
        } else if ((rc = cli_arg_value(prog, argc, argv, &i, "--days", &v)) != 0) {
            if (rc < 0 || parse_days(prog, v, &days) != 0)
                return CLI_EXIT_USAGE;
        } else {
            return unknown_arg(prog, argv[i]);
        }
    }
    if (dir[0] == '\0' || (out != NULL && out[0] == '\0')) {
        cli_usage_error(prog, "%s: empty path", dir[0] == '\0' ? "--dir" : "--out");
        return CLI_EXIT_USAGE;
    }
    if (ca_paths_set(&p, dir) != 0) {
        cli_usage_error(prog, "--dir: '%s': path too long", dir);
        return CLI_EXIT_USAGE;
    }
    if (out == NULL)
        out = p.crl;
    if (ca_load(&p, &ca, err, sizeof err) != 0)
        return fail(prog, err);
    lock = ca_lock(&p, err, sizeof err);
    rc = lock >= 0 ? crl_locked(&p, &ca, out, days, err, sizeof err) : -1;
    ca_unlock(lock);
    ca_free(&ca);
    return rc == 0 ? CLI_EXIT_OK : fail(prog, err);
}

/* ---- mutls ca -------------------------------------------------------------------------- */

struct ca_command {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *summary;
};

static const struct ca_command ca_commands[] = {
    {"init", ca_init, "create a CA (key and self-signed certificate) in a directory"},
    {"issue", ca_issue, "issue a server or client certificate: issue server|client NAME"},
    {"revoke", ca_revoke, "mark an issued certificate revoked"},
    {"crl", ca_crl, "write the certificate revocation list"},
    {"inspect", ca_inspect_main, "describe a certificate or a CRL"},
};

#define N_CA_COMMANDS (sizeof ca_commands / sizeof ca_commands[0])

void cli_ca_usage(FILE *out)
{
    fputs("Usage: mutls ca COMMAND [options]\n"
          "\n"
          "A small certificate authority for mutual TLS: one CA directory with a\n"
          "root key and certificate, server and client certificates signed by it,\n"
          "revocation and CRLs.\n"
          "\n"
          "Commands:\n", out);
    for (size_t k = 0; k < N_CA_COMMANDS; k++)
        fprintf(out, "  %-10s %s\n", ca_commands[k].name, ca_commands[k].summary);
    fprintf(out,
            "\n"
            "Every command takes --dir DIR (default ./%s) except inspect, and\n"
            "-h/--help. For example:\n"
            "\n"
            "  mutls ca init\n"
            "  mutls ca issue server localhost\n"
            "  mutls ca issue client alice --spiffe-id spiffe://example.org/alice\n"
            "  mutls ca revoke %s/alice.pem --reason keyCompromise\n"
            "  mutls ca crl\n"
            "  mutls ca inspect %s/alice.pem\n"
            "\n"
            "Exit status: 0 success, 1 failure, 2 usage error.\n",
            CA_DEFAULT_DIR, CA_DEFAULT_DIR, CA_DEFAULT_DIR);
}

int cli_ca_main(int argc, char **argv)
{
    if (argc < 2) {
        cli_usage_error(CA_PROG, "missing command (init, issue, revoke, crl or inspect)");
        return CLI_EXIT_USAGE;
    }
    if (cli_is_help(argv[1])) {
        cli_ca_usage(stdout);
        return CLI_EXIT_OK;
    }
    for (size_t k = 0; k < N_CA_COMMANDS; k++) {
        if (strcmp(argv[1], ca_commands[k].name) == 0)
            return ca_commands[k].run(argc - 1, argv + 1);
    }
    cli_usage_error(CA_PROG, "unknown command '%s' (init, issue, revoke, crl or inspect)",
                    argv[1]);
    return CLI_EXIT_USAGE;
}
