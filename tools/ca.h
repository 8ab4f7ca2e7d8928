/*
 * mutls ca: a small certificate authority for mutual-TLS set-ups.
 *
 *   ca.c          command line, init, issue, revoke, crl
 *   ca_store.c    the CA directory: paths, loading the CA, the index,
 *                 counters, locking, times
 *   ca_names.c    subject alternative names, SPIFFE IDs
 *   ca_inspect.c  `mutls ca inspect`
 *
 * The directory (docs/ca.md):
 *   ca.key      the CA's private key, PKCS#8 PEM, mode 0600
 *   ca.pem      the CA's self-signed certificate
 *   serial      how many certificates have been issued (decimal)
 *   crlnumber   the number of the last CRL written (decimal, 0: none)
 *   index.txt   one line per issued certificate (format in ca_store.c)
 *   crl.pem     the last CRL written
 *   .lock       taken (fcntl) while the index or counters change
 */
#ifndef CLI_CA_H
#define CLI_CA_H

#include <stddef.h>
#include <stdio.h>
#include <time.h>

#include <openssl/evp.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "certgen.h"

/* The subcommand, for tools/main.c. */
int cli_ca_main(int argc, char **argv);
void cli_ca_usage(FILE *out);

/* ---- shared by tools/ca*.c ---------------------------------------------- */

#define CA_PROG "mutls ca"
#define CA_DEFAULT_DIR "mutls-ca"
#define CA_ERR_MAX 1024

/* printf into an error buffer (truncating quietly). */
void ca_errf(char *err, size_t cap, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* ca_names.c: subject alternative names ----------------------------------- */

enum ca_san_type { CA_SAN_DNS, CA_SAN_IP, CA_SAN_URI, CA_SAN_EMAIL };

struct ca_san {
    enum ca_san_type type;
    char *value;             /* as given (IP: as given, e.g. "::1") */
    unsigned char ip[16];    /* CA_SAN_IP only */
    size_t ip_len;           /* 4 or 16 */
};

struct ca_san_list {
    struct ca_san *v;
    size_t n, cap;
};

void ca_san_free(struct ca_san_list *l);

/* Parse "DNS:x,IP:y,URI:z,email:w" (types case-insensitive) and add each
 * name, checked, skipping duplicates. 0, or -1 with the reason in err. */
int ca_san_parse(struct ca_san_list *l, const char *text, char *err, size_t cap);

/* Add one name of a known type, checked; duplicates are skipped. */
int ca_san_add(struct ca_san_list *l, enum ca_san_type type, const char *value,
               char *err, size_t cap);

/* Number of names of a type. */
size_t ca_san_count(const struct ca_san_list *l, enum ca_san_type type);

/* "DNS:a, IP:b" */
void ca_san_describe(const struct ca_san_list *l, char *out, size_t cap);

/* The subjectAltName extension (not critical) for the list. NULL on
 * failure. */
X509_EXTENSION *ca_san_extension(const struct ca_san_list *l);

/* Checks; 0 if good, else -1 with the reason (starting with the value in
 * quotes) in err. */
int ca_check_dns(const char *name, int allow_wildcard, char *err, size_t cap);
int ca_check_email(const char *addr, char *err, size_t cap);
int ca_check_uri(const char *uri, char *err, size_t cap);
/* SPIFFE ID rules (github.com/spiffe/spiffe standards/SPIFFE-ID.md). */
int ca_check_spiffe_id(const char *id, char *err, size_t cap);

/* 1 if s is an IPv4 or IPv6 address (IPv6 without brackets); the binary
 * form in out. */
int ca_parse_ip(const char *s, unsigned char out[16], size_t *len);

/* ca_store.c: the CA directory --------------------------------------------- */

struct ca_paths {
    char dir[CLI_PATH_MAX];
    char key[CLI_PATH_MAX];
    char cert[CLI_PATH_MAX];
    char serial[CLI_PATH_MAX];
    char crlnumber[CLI_PATH_MAX];
    char index[CLI_PATH_MAX];
    char crl[CLI_PATH_MAX];
    char lock[CLI_PATH_MAX];
};

/* Fill the paths for dir. 0, or -1 if too long. */
int ca_paths_set(struct ca_paths *p, const char *dir);

/* dir/name into out. 0 or -1 (too long). */
int ca_join(char *out, size_t cap, const char *dir, const char *name);

struct ca {
    X509 *cert;
    EVP_PKEY *key;
};

/* Load ca.pem and ca.key and check they belong together. 0, or -1 with the
 * reason in err. */
int ca_load(const struct ca_paths *p, struct ca *ca, char *err, size_t cap);
void ca_free(struct ca *ca);

/* Revocation reasons (RFC 5280 5.3.1). */
int ca_reason_parse(const char *name);   /* code, or -1 */
const char *ca_reason_name(int code);     /* "keyCompromise", or NULL */
void ca_reason_list(char *out, size_t cap); /* "unspecified, keyCompromise, ..." */

/* One line of index.txt. */
struct ca_entry {
    char serial[80];   /* upper-case hex, no separators */
    char status;       /* 'V' valid, 'R' revoked */
    time_t expires;    /* notAfter */
    time_t revoked;    /* 0 when not revoked */
    int reason;        /* when revoked: RFC 5280 code */
    char profile[16];  /* "server", "client" */
    char *subject;     /* "CN=alice" */
    char *file;        /* relative to the CA directory, or absolute */
};

struct ca_index {
    struct ca_entry *v;
    size_t n, cap;
};

int ca_index_load(const char *path, struct ca_index *ix, char *err, size_t cap);
/* Replace path atomically (write path.tmp, fsync, rename). */
int ca_index_save(const char *path, const struct ca_index *ix, char *err, size_t cap);
/* Append a copy of e (the strings are copied). 0 or -1. */
int ca_index_add(struct ca_index *ix, const struct ca_entry *e);
struct ca_entry *ca_index_find(struct ca_index *ix, const char *serial);
void ca_index_free(struct ca_index *ix);

/* A decimal counter file. */
int ca_counter_read(const char *path, unsigned long long *v, char *err, size_t cap);
/* Replace atomically. */
int ca_counter_write(const char *path, unsigned long long v, char *err, size_t cap);

/* Write path.tmp with write_fn (returns 1 on success), fsync it and
 * rename it over path. 0, or -1 with the reason in err. */
int ca_replace_file(const char *path, int (*write_fn)(FILE *, const void *),
                    const void *arg, char *err, size_t cap);

/* The comment lines a new index.txt starts with. */
const char *ca_index_header(void);

/* "ECDSA P-256", "RSA 3072", "Ed25519". */
void ca_key_describe(EVP_PKEY *key, char *out, size_t cap);

/* Create path exclusively with the given text (used by init). */
int ca_create_text_file(const char *path, const char *text, char *err, size_t cap);

/* Take the CA directory's lock (blocking). A descriptor to pass to
 * ca_unlock, or -1 with the reason in err. */
int ca_lock(const struct ca_paths *p, char *err, size_t cap);
void ca_unlock(int fd);

/* Serial number of cert as upper-case hex without separators. */
int ca_serial_hex(const X509 *cert, char *out, size_t cap);

/* Times: "2026-03-04T05:06:07Z", and back; ASN1_TIME to time_t. */
void ca_time_iso(time_t t, char *out, size_t cap);
int ca_time_parse(const char *s, time_t *t);
int ca_asn1_time(const ASN1_TIME *a, time_t *t);

/* A certificate's or CRL's name as one line ("CN=alice, O=Example"); out
 * is always terminated. */
void ca_name_str(const X509_NAME *name, char *out, size_t cap);

/* Quote s for a POSIX shell if needed ('a b' -> "'a b'"). */
void ca_shell_quote(const char *s, char *out, size_t cap);

/* ca_inspect.c --------------------------------------------------------------- */

int ca_inspect_main(int argc, char **argv);
void ca_inspect_usage(FILE *out);

#endif
