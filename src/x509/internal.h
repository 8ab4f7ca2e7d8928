/*
 * Private to src/x509/: the X509 behind an mt_x509, and the helpers that
 * turn certificates into words for error messages.
 */
#ifndef MT_X509_INTERNAL_H
#define MT_X509_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include <openssl/x509.h>

#include "x509/x509.h"

struct mt_x509 {
    X509 *x;
};

/* An mt_trust is an X509_STORE (never dereferenced as anything else), so
 * that its reference count and lock are libcrypto's. */
static inline X509_STORE *mt_trust_store(const mt_trust *t)
{
    return (X509_STORE *)(void *)(uintptr_t)t;
}

/* Wraps one reference (taken over) to x; NULL on allocation failure, in
 * which case the reference is released. */
mt_x509 *mt_x509_wrap(X509 *x);

/* RFC 4514 string of a name (malloc'ed; NULL on allocation failure). An
 * empty name gives "". */
char *mt_x509_name_str(const X509_NAME *n);
/* "01:a3:ff": a serial number's magnitude, big-endian, lowercase hex
 * bytes joined by ':' (as `openssl x509 -text` prints long serials); a
 * negative serial (not allowed by RFC 5280, but parsable) gets a '-'.
 * malloc'ed; NULL on allocation failure. */
char *mt_x509_serial_str(const ASN1_INTEGER *serial);
/* Writes "YYYY-MM-DDTHH:MM:SSZ" (or "(invalid time)") into buf. */
void mt_x509_time_str(const ASN1_TIME *t, char buf[32]);
/* A printable copy of the label for a certificate in messages: its
 * subject, or "(no subject)". Writes into buf (truncating). */
void mt_x509_label(X509 *x, char *buf, size_t size);

/* Appends s to the NUL-terminated string in buf, truncating. */
void mt_x509_append(char *buf, size_t size, const char *s);

/* Appends the leaf's names (DNS and, with with_ip, iPAddress SANs), joined
 * by ", ", into buf (truncating). Returns the number of names listed. */
size_t mt_x509_list_names(X509 *x, int with_ip, char *buf, size_t size);
/* The DNS subjectAltNames of x (printable ones), or its last CN when it
 * has none; a malloc'ed array of malloc'ed strings. -1 on allocation
 * failure. */
int mt_x509_dns_names(X509 *x, char ***out, size_t *out_n);
/* 1 if x is valid for host (a DNS name or an IP literal), RFC 9525. */
int mt_x509_match_host(X509 *x, const char *host);
/* Parses an IP literal ("127.0.0.1", "::1", "[::1]"): 1 and the address
 * bytes (4 or 16) if it is one, 0 otherwise. */
int mt_x509_parse_ip(const char *host, unsigned char out[16], size_t *out_len);

/* Appends the extended key usages ("TLS Web Client Authentication, ...") or
 * "none" into buf. */
void mt_x509_eku_str(X509 *x, char *buf, size_t size);
/* Appends the key usages ("Digital Signature, ...") or "none" into buf. */
void mt_x509_ku_str(X509 *x, char *buf, size_t size);

#endif
