/*
 * mutls ca: the CA directory — paths, the CA's key and certificate, the
 * index of issued certificates, counters, the lock, times and names.
 *
 * index.txt, format 1: lines starting with '#' are comments; every other
 * line is one issued certificate, eight fields separated by one tab:
 *
 *   serial   upper-case hex, no separators (as `openssl x509 -serial`)
 *   status   V (valid: not revoked; may have expired) or R (revoked)
 *   expires  notAfter, UTC, 2027-03-04T05:06:07Z
 *   revoked  when it was revoked (same format), or -
 *   reason   the revocation reason (keyCompromise, ...), or -
 *   profile  server or client
 *   subject  the subject name (CN=alice)
 *   file     the certificate chain file: relative to the CA directory,
 *            or absolute
 *
 * In subject and file, a backslash, a tab and a newline are written \\,
 * \t and \n.
 */
#include "ca.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/objects.h>
#include <openssl/pem.h>

#define INDEX_HEADER                                                              \
    "# mutls CA index, format 1 (docs/ca.md). One line per issued certificate,\n" \
    "# fields separated by a tab:\n"                                              \
    "# serial\tstatus\texpires\trevoked\treason\tprofile\tsubject\tfile\n"

void ca_errf(char *err, size_t cap, const char *fmt, ...)
{
    va_list ap;

    if (cap == 0)
        return;
    va_start(ap, fmt);
    (void)vsnprintf(err, cap, fmt, ap);
    va_end(ap);
}

/* ---- paths ----------------------------------------------------------------- */

int ca_join(char *out, size_t cap, const char *dir, const char *name)
{
    int n;

    if (name[0] == '/')
        n = snprintf(out, cap, "%s", name);
    else if (strcmp(dir, ".") == 0)
        n = snprintf(out, cap, "%s", name);
    else
        n = snprintf(out, cap, "%s%s%s", dir,
                     dir[0] != '\0' && dir[strlen(dir) - 1] == '/' ? "" : "/", name);
    return n > 0 && (size_t)n < cap ? 0 : -1;
}

int ca_paths_set(struct ca_paths *p, const char *dir)
{
    memset(p, 0, sizeof *p);
    if (snprintf(p->dir, sizeof p->dir, "%s", dir) >= (int)sizeof p->dir)
        return -1;
    return ca_join(p->key, sizeof p->key, dir, "ca.key") == 0 &&
                   ca_join(p->cert, sizeof p->cert, dir, "ca.pem") == 0 &&
                   ca_join(p->serial, sizeof p->serial, dir, "serial") == 0 &&
                   ca_join(p->crlnumber, sizeof p->crlnumber, dir, "crlnumber") == 0 &&
                   ca_join(p->index, sizeof p->index, dir, "index.txt") == 0 &&
                   ca_join(p->crl, sizeof p->crl, dir, "crl.pem") == 0 &&
                   ca_join(p->lock, sizeof p->lock, dir, ".lock") == 0
               ? 0
               : -1;
}

/* ---- the CA ---------------------------------------------------------------- */

static void no_ca(const struct ca_paths *p, const char *path, int e, char *err, size_t cap)
{
    char q[CLI_PATH_MAX + 16];

    ca_shell_quote(p->dir, q, sizeof q);
    ca_errf(err, cap, "no CA in %s (%s: %s); create one with: mutls ca init%s%s", p->dir,
             path, strerror(e), strcmp(p->dir, CA_DEFAULT_DIR) == 0 ? "" : " --dir ",
             strcmp(p->dir, CA_DEFAULT_DIR) == 0 ? "" : q);
}

int ca_load(const struct ca_paths *p, struct ca *ca, char *err, size_t cap)
{
    FILE *f;
    struct stat st;

    memset(ca, 0, sizeof *ca);
    f = fopen(p->cert, "r");
    if (f == NULL) {
        no_ca(p, p->cert, errno, err, cap);
        return -1;
    }
    ca->cert = PEM_read_X509(f, NULL, NULL, NULL);
    fclose(f);
    if (ca->cert == NULL) {
        cli_openssl_error(p->cert, err, cap);
        return -1;
    }
    f = fopen(p->key, "r");
    if (f == NULL) {
        no_ca(p, p->key, errno, err, cap);
        goto Fail;
    }
    if (fstat(fileno(f), &st) == 0 && (st.st_mode & 077) != 0)
        fprintf(stderr, "%s: warning: %s is readable or writable by others (mode %04o); "
                "run: chmod 600 %s\n", CA_PROG, p->key, (unsigned)(st.st_mode & 07777),
                p->key);
    /* An empty passphrase: an encrypted key fails instead of prompting. */
    ca->key = PEM_read_PrivateKey(f, NULL, NULL, (void *)"");
    fclose(f);
    if (ca->key == NULL) {
        cli_openssl_error(p->key, err, cap);
        goto Fail;
    }
    if (X509_check_private_key(ca->cert, ca->key) != 1) {
        ERR_clear_error();
        ca_errf(err, cap, "%s does not belong to %s (the public keys differ)", p->key,
                 p->cert);
        goto Fail;
    }
    return 0;
Fail:
    ca_free(ca);
    return -1;
}

void ca_free(struct ca *ca)
{
    X509_free(ca->cert);
    EVP_PKEY_free(ca->key);
    memset(ca, 0, sizeof *ca);
}

/* ---- revocation reasons ------------------------------------------------------ */

static const struct {
    int code;
    const char *name;
} reasons[] = {
    /* certificateHold (6) and removeFromCRL (8) are left out: a hold would
     * have to be undone, and this CA never does that. */
    {0, "unspecified"},         {1, "keyCompromise"},        {2, "cACompromise"},
    {3, "affiliationChanged"},  {4, "superseded"},           {5, "cessationOfOperation"},
    {9, "privilegeWithdrawn"},  {10, "aACompromise"},
};

#define N_REASONS (sizeof reasons / sizeof reasons[0])

int ca_reason_parse(const char *name)
{
    for (size_t k = 0; k < N_REASONS; k++) {
        if (strcasecmp(reasons[k].name, name) == 0)
            return reasons[k].code;
    }
    return -1;
}

const char *ca_reason_name(int code)
{
    for (size_t k = 0; k < N_REASONS; k++) {
        if (reasons[k].code == code)
            return reasons[k].name;
    }
    return NULL;
}

void ca_reason_list(char *out, size_t cap)
{
    size_t used = 0;

    out[0] = '\0';
    for (size_t k = 0; k < N_REASONS && used < cap; k++) {
        int n = snprintf(out + used, cap - used, "%s%s", k > 0 ? ", " : "", reasons[k].name);
        if (n < 0)
            break;
        used += (size_t)n;
    }
}

/* ---- times, names, serials ----------------------------------------------------- */

void ca_time_iso(time_t t, char *out, size_t cap)
{
    struct tm tm;

    if (gmtime_r(&t, &tm) == NULL || strftime(out, cap, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
        snprintf(out, cap, "?");
}

int ca_time_parse(const char *s, time_t *t)
{
    struct tm tm;
    int n = 0;

    memset(&tm, 0, sizeof tm);
    if (sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2dZ%n", &tm.tm_year, &tm.tm_mon, &tm.tm_mday,
               &tm.tm_hour, &tm.tm_min, &tm.tm_sec, &n) != 6 || n == 0 || s[n] != '\0')
        return -1;
    tm.tm_year -= 1900;
    tm.tm_mon -= 1;
    *t = timegm(&tm);
    return 0;
}

int ca_asn1_time(const ASN1_TIME *a, time_t *t)
{
    struct tm tm;

    memset(&tm, 0, sizeof tm);
    if (a == NULL || ASN1_TIME_to_tm(a, &tm) != 1)
        return -1;
    *t = timegm(&tm);
    return 0;
}

void ca_name_str(const X509_NAME *name, char *out, size_t cap)
{
    BIO *b = BIO_new(BIO_s_mem());
    unsigned long flags = (ASN1_STRFLGS_RFC2253 & ~ASN1_STRFLGS_ESC_MSB) |
                          XN_FLAG_SEP_CPLUS_SPC | XN_FLAG_DN_REV | XN_FLAG_FN_SN;
    int n;

    if (cap == 0)
        return;
    out[0] = '\0';
    if (b == NULL)
        return;
    if (X509_NAME_print_ex(b, name, 0, flags) >= 0) {
        n = BIO_read(b, out, (int)cap - 1);
        out[n > 0 ? n : 0] = '\0';
    }
    BIO_free(b);
    if (out[0] == '\0')
        snprintf(out, cap, "(empty)");
}

int ca_serial_hex(const X509 *cert, char *out, size_t cap)
{
    BIGNUM *bn = ASN1_INTEGER_to_BN(X509_get0_serialNumber(cert), NULL);
    char *hex = bn != NULL ? BN_bn2hex(bn) : NULL;
    int rc = -1;

    if (hex != NULL && strlen(hex) < cap) {
        strcpy(out, hex);
        rc = 0;
    }
    OPENSSL_free(hex);
    BN_free(bn);
    return rc;
}

void ca_shell_quote(const char *s, char *out, size_t cap)
{
    size_t used = 0;
    int plain = s[0] != '\0';

    for (const char *p = s; *p != '\0'; p++) {
        unsigned char c = (unsigned char)*p;

        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              strchr("_-./:=@,+%", c) != NULL))
            plain = 0;
    }
    if (plain) {
        snprintf(out, cap, "%s", s);
        return;
    }
    if (cap < 3) {
        if (cap > 0)
            out[0] = '\0';
        return;
    }
    out[used++] = '\'';
    for (const char *p = s; *p != '\0' && used + 6 < cap; p++) {
        if (*p == '\'') {
            memcpy(out + used, "'\\''", 4);
            used += 4;
        } else {
            out[used++] = *p;
        }
    }
    out[used++] = '\'';
    out[used] = '\0';
}

/* ---- the index ----------------------------------------------------------------- */

void ca_index_free(struct ca_index *ix)
{
    for (size_t k = 0; k < ix->n; k++) {
        free(ix->v[k].subject);
        free(ix->v[k].file);
    }
    free(ix->v);
    memset(ix, 0, sizeof *ix);
}

int ca_index_add(struct ca_index *ix, const struct ca_entry *e)
{
    struct ca_entry *d;

    if (ix->n == ix->cap) {
        size_t ncap = ix->cap != 0 ? 2 * ix->cap : 16;
        struct ca_entry *nv = realloc(ix->v, ncap * sizeof *nv);

        if (nv == NULL)
            return -1;
        ix->v = nv;
        ix->cap = ncap;
    }
    d = &ix->v[ix->n];
    *d = *e;
    d->subject = strdup(e->subject);
    d->file = strdup(e->file);
    if (d->subject == NULL || d->file == NULL) {
        free(d->subject);
        free(d->file);
        return -1;
    }
    ix->n++;
    return 0;
}

struct ca_entry *ca_index_find(struct ca_index *ix, const char *serial)
{
    for (size_t k = 0; k < ix->n; k++) {
        if (strcasecmp(ix->v[k].serial, serial) == 0)
            return &ix->v[k];
    }
    return NULL;
}

/* Undo the escapes in place. 0, or -1 on a bad escape. */
static int unescape(char *s)
{
    char *w = s;

    for (char *r = s; *r != '\0'; r++) {
        if (*r != '\\') {
            *w++ = *r;
            continue;
        }
        r++;
        if (*r == '\\')
            *w++ = '\\';
        else if (*r == 't')
            *w++ = '\t';
        else if (*r == 'n')
            *w++ = '\n';
        else
            return -1;
    }
    *w = '\0';
    return 0;
}

static void put_escaped(FILE *f, const char *s)
{
    for (; *s != '\0'; s++) {
        if (*s == '\\')
            fputs("\\\\", f);
        else if (*s == '\t')
            fputs("\\t", f);
        else if (*s == '\n')
            fputs("\\n", f);
        else
            fputc(*s, f);
    }
}

static int is_hex_serial(const char *s)
{
    if (*s == '\0' || strlen(s) >= sizeof ((struct ca_entry *)0)->serial)
        return 0;
    for (; *s != '\0'; s++) {
        if (!((*s >= '0' && *s <= '9') || (*s >= 'A' && *s <= 'F')))
            return 0;
    }
    return 1;
}

/* Parse one line (modified in place) into e; the strings point into line.
 * NULL, or what is wrong. */
static const char *parse_line(char *line, struct ca_entry *e)
{
    char *f[8];
    size_t n = 0;
    char *p = line;

    for (;;) {
        char *tab = strchr(p, '\t');

        if (n == 8)
            return "more than 8 fields";
        f[n++] = p;
        if (tab == NULL)
            break;
        *tab = '\0';
        p = tab + 1;
    }
    if (n != 8)
        return "fewer than 8 fields";
    memset(e, 0, sizeof *e);
    if (!is_hex_serial(f[0]))
        return "bad serial (upper-case hex expected)";
    strcpy(e->serial, f[0]);
    if (strcmp(f[1], "V") != 0 && strcmp(f[1], "R") != 0)
        return "bad status (V or R expected)";
    e->status = f[1][0];
    if (ca_time_parse(f[2], &e->expires) != 0)
        return "bad expiry time (YYYY-MM-DDTHH:MM:SSZ expected)";
    e->reason = -1;
    if (e->status == 'R') {
        if (ca_time_parse(f[3], &e->revoked) != 0)
            return "bad revocation time (YYYY-MM-DDTHH:MM:SSZ expected)";
        e->reason = ca_reason_parse(f[4]);
        if (e->reason < 0)
            return "bad revocation reason";
    } else if (strcmp(f[3], "-") != 0 || strcmp(f[4], "-") != 0) {
        return "revocation time or reason on a certificate that is not revoked";
    }
    if (strcmp(f[5], "server") != 0 && strcmp(f[5], "client") != 0)
        return "bad profile (server or client expected)";
    strcpy(e->profile, f[5]);
    if (unescape(f[6]) != 0 || unescape(f[7]) != 0)
        return "bad backslash escape";
    if (f[7][0] == '\0')
        return "empty file name";
    e->subject = f[6];
    e->file = f[7];
    return NULL;
}

int ca_index_load(const char *path, struct ca_index *ix, char *err, size_t cap)
{
    FILE *f = fopen(path, "r");
    char *line = NULL;
    size_t line_cap = 0;
    ssize_t len;
    unsigned long lineno = 0;
    int rc = 0;

    memset(ix, 0, sizeof *ix);
    if (f == NULL) {
        ca_errf(err, cap, "%s: %s", path, strerror(errno));
        return -1;
    }
    while ((len = getline(&line, &line_cap, f)) >= 0) {
        struct ca_entry e;
        const char *why;

        lineno++;
        if (len > 0 && line[len - 1] == '\n')
            line[--len] = '\0';
        if (line[0] == '#' || line[0] == '\0')
            continue;
        why = parse_line(line, &e);
        if (why == NULL && ca_index_find(ix, e.serial) != NULL)
            why = "serial listed twice";
        if (why != NULL) {
            ca_errf(err, cap, "%s, line %lu: %s", path, lineno, why);
            rc = -1;
            break;
        }
        if (ca_index_add(ix, &e) != 0) {
            ca_errf(err, cap, "out of memory");
            rc = -1;
            break;
        }
    }
    if (rc == 0 && ferror(f)) {
        ca_errf(err, cap, "%s: %s", path, strerror(errno));
        rc = -1;
    }
    free(line);
    fclose(f);
    if (rc != 0)
        ca_index_free(ix);
    return rc;
}

/* Write text through write_fn into path.tmp, then rename it over path. */
int ca_replace_file(const char *path, int (*write_fn)(FILE *, const void *),
                    const void *arg, char *err, size_t cap)
{
    char tmp[CLI_PATH_MAX + 8];
    FILE *f;
    int fd, ok;

    if (snprintf(tmp, sizeof tmp, "%s.tmp", path) >= (int)sizeof tmp) {
        ca_errf(err, cap, "%s: path too long", path);
        return -1;
    }
    fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0 || (f = fdopen(fd, "w")) == NULL) {
        ca_errf(err, cap, "%s: %s", tmp, strerror(errno));
        if (fd >= 0)
            close(fd);
        return -1;
    }
    ok = write_fn(f, arg);
    ok = ok && fflush(f) == 0 && !ferror(f) && fsync(fd) == 0;
    if (fclose(f) != 0)
        ok = 0;
    if (!ok || rename(tmp, path) != 0) {
        if (!ok && ERR_peek_error() != 0)
            cli_openssl_error(tmp, err, cap);
        else
            ca_errf(err, cap, "%s: %s", ok ? path : tmp, strerror(errno));
        unlink(tmp);
        return -1;
    }
    return 0;
}

static int write_index(FILE *f, const void *arg)
{
    const struct ca_index *ix = arg;

    fputs(INDEX_HEADER, f);
    for (size_t k = 0; k < ix->n; k++) {
        const struct ca_entry *e = &ix->v[k];
        char exp[32], rev[32];

        ca_time_iso(e->expires, exp, sizeof exp);
        if (e->status == 'R')
            ca_time_iso(e->revoked, rev, sizeof rev);
        else
            strcpy(rev, "-");
        fprintf(f, "%s\t%c\t%s\t%s\t%s\t%s\t", e->serial, e->status, exp, rev,
                e->status == 'R' ? ca_reason_name(e->reason) : "-", e->profile);
        put_escaped(f, e->subject);
        fputc('\t', f);
        put_escaped(f, e->file);
        fputc('\n', f);
    }
    return 1;
}

int ca_index_save(const char *path, const struct ca_index *ix, char *err, size_t cap)
{
    return ca_replace_file(path, write_index, ix, err, cap);
}

/* ---- counters, files, the lock -------------------------------------------------- */

int ca_counter_read(const char *path, unsigned long long *v, char *err, size_t cap)
{
    FILE *f = fopen(path, "r");
    char buf[64], *end;

    if (f == NULL) {
        ca_errf(err, cap, "%s: %s", path, strerror(errno));
        return -1;
    }
    if (fgets(buf, sizeof buf, f) == NULL) {
        fclose(f);
        ca_errf(err, cap, "%s: empty (expected a decimal number)", path);
        return -1;
    }
    fclose(f);
    errno = 0;
    *v = strtoull(buf, &end, 10);
    if (errno != 0 || end == buf || (*end != '\n' && *end != '\0') || buf[0] == '-') {
        ca_errf(err, cap, "%s: expected a decimal number", path);
        return -1;
    }
    return 0;
}

static int write_counter(FILE *f, const void *arg)
{
    return fprintf(f, "%llu\n", *(const unsigned long long *)arg) > 0;
}

int ca_counter_write(const char *path, unsigned long long v, char *err, size_t cap)
{
    return ca_replace_file(path, write_counter, &v, err, cap);
}

int ca_create_text_file(const char *path, const char *text, char *err, size_t cap)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    size_t len = strlen(text);
    int ok;

    if (fd < 0) {
        ca_errf(err, cap, "%s: %s", path, strerror(errno));
        return -1;
    }
    ok = write(fd, text, len) == (ssize_t)len && fsync(fd) == 0;
    if (close(fd) != 0)
        ok = 0;
    if (!ok) {
        ca_errf(err, cap, "%s: %s", path, strerror(errno));
        unlink(path);
        return -1;
    }
    return 0;
}

int ca_lock(const struct ca_paths *p, char *err, size_t cap)
{
    struct flock fl;
    int fd = open(p->lock, O_RDWR | O_CREAT | O_CLOEXEC, 0600);

    if (fd < 0) {
        ca_errf(err, cap, "%s: %s", p->lock, strerror(errno));
        return -1;
    }
    memset(&fl, 0, sizeof fl);
    fl.l_type = F_WRLCK;
    fl.l_whence = SEEK_SET;
    while (fcntl(fd, F_SETLKW, &fl) != 0) {
        if (errno == EINTR)
            continue;
        ca_errf(err, cap, "locking %s: %s", p->lock, strerror(errno));
        close(fd);
        return -1;
    }
    return fd;
}

void ca_unlock(int fd)
{
    if (fd >= 0)
        close(fd); /* releases the lock */
}

const char *ca_index_header(void)
{
    return INDEX_HEADER;
}

void ca_key_describe(EVP_PKEY *key, char *out, size_t cap)
{
    int id = EVP_PKEY_get_base_id(key), bits = EVP_PKEY_get_bits(key);
    char group[64];

    switch (id) {
    case EVP_PKEY_RSA:
        snprintf(out, cap, "RSA %d", bits);
        return;
    case EVP_PKEY_RSA_PSS:
        snprintf(out, cap, "RSA-PSS %d", bits);
        return;
    case EVP_PKEY_EC:
        if (EVP_PKEY_get_group_name(key, group, sizeof group, NULL) == 1) {
            int nid = OBJ_txt2nid(group);
            const char *nist = nid != NID_undef ? EC_curve_nid2nist(nid) : NULL;

            snprintf(out, cap, "ECDSA %s", nist != NULL ? nist : group);
        } else {
            snprintf(out, cap, "ECDSA %d", bits);
        }
        return;
    case EVP_PKEY_ED25519:
        snprintf(out, cap, "Ed25519");
        return;
    case EVP_PKEY_ED448:
        snprintf(out, cap, "Ed448");
        return;
    default:
        snprintf(out, cap, "%s %d", OBJ_nid2sn(id), bits);
    }
}
