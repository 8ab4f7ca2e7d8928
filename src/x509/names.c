/*
 * Matching a certificate against the name we want (RFC 9525):
 *   - an IP literal (IPv4 dotted quad, IPv6, "[v6]") is compared only with
 *     iPAddress subjectAltNames, never with DNS names or the CN;
 *   - a DNS name is compared case-insensitively with dNSName
 *     subjectAltNames only (the CN is never consulted);
 *   - a wildcard is honoured only as the complete left-most label of a
 *     presented name with at least two labels after it ("*.example.com"),
 *     and matches exactly one label: never "f*.example.com", "*.com",
 *     "a.*.example.com", nor "example.com" or "a.b.example.com" for
 *     "*.example.com".
 * libcrypto's X509_check_host/X509_check_ip implement these with the flags
 * below; the reference name is validated here first.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <openssl/err.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "x509/internal.h"

#define MT_HOST_FLAGS (X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS | X509_CHECK_FLAG_NEVER_CHECK_SUBJECT)

int mt_x509_parse_ip(const char *host, unsigned char out[16], size_t *out_len)
{
    char tmp[64];
    size_t n;

    if (host == NULL)
        return 0;
    n = strlen(host);
    if (n >= 2 && host[0] == '[' && host[n - 1] == ']') {
        host++;
        n -= 2;
    }
    if (n == 0 || n >= sizeof(tmp))
        return 0;
    memcpy(tmp, host, n);
    tmp[n] = '\0';
    if (inet_pton(AF_INET, tmp, out) == 1) {
        *out_len = 4;
        return 1;
    }
    if (inet_pton(AF_INET6, tmp, out) == 1) {
        *out_len = 16;
        return 1;
    }
    return 0;
}

/* A reference DNS name we are willing to match: LDH-ish labels (we allow
 * '_' as seen in practice), 1..63 bytes each, 253 in all, no wildcard. */
static int dns_name_ok(const char *h, size_t n)
{
    size_t i, label = 0;
    if (n == 0 || n > 253)
        return 0;
    for (i = 0; i < n; i++) {
        unsigned char c = (unsigned char)h[i];
        if (c == '.') {
            if (label == 0)
                return 0; /* empty label */
            label = 0;
            continue;
        }
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '_'))
            return 0;
        if (++label > 63)
            return 0;
    }
    return label > 0;
}

int mt_x509_match_host(X509 *x, const char *host)
{
    unsigned char ip[16];
    size_t ip_len = 0, n;
    int r;

    if (x == NULL || host == NULL)
        return 0;
    if (mt_x509_parse_ip(host, ip, &ip_len)) {
        r = X509_check_ip(x, ip, ip_len, 0);
        ERR_clear_error();
        return r == 1;
    }
    n = strlen(host);
    if (n > 1 && host[n - 1] == '.') /* absolute form "example.com." */
        n--;
    if (!dns_name_ok(host, n))
        return 0;
    r = X509_check_host(x, host, n, MT_HOST_FLAGS, NULL);
    ERR_clear_error();
    return r == 1;
}

int mt_x509_matches_name(const mt_x509 *x, const char *name)
{
    return x != NULL && mt_x509_match_host(x->x, name);
}

int mt_cert_chain_matches_name(const mt_cert_chain *c, const char *name)
{
    return c != NULL && c->leaf != NULL && mt_x509_match_host(c->leaf->x, name);
}

/* Printable copy of an IA5String / UTF8String for messages. */
static void append_sanitized(char *buf, size_t size, const unsigned char *p, int len)
{
    char tmp[256];
    int i, n = len < (int)sizeof(tmp) - 1 ? len : (int)sizeof(tmp) - 1;
    for (i = 0; i < n; i++)
        tmp[i] = (p[i] > 0x20 && p[i] < 0x7f) ? (char)p[i] : '?';
    tmp[n] = '\0';
    mt_x509_append(buf, size, tmp);
}

size_t mt_x509_list_names(X509 *x, int with_ip, char *buf, size_t size)
{
    GENERAL_NAMES *gens;
    size_t count = 0;
    int i;

    gens = X509_get_ext_d2i(x, NID_subject_alt_name, NULL, NULL);
    if (gens == NULL) {
        ERR_clear_error();
        return 0;
    }
    for (i = 0; i < sk_GENERAL_NAME_num(gens); i++) {
        const GENERAL_NAME *g = sk_GENERAL_NAME_value(gens, i);
        if (g->type == GEN_DNS) {
            if (count++ > 0)
                mt_x509_append(buf, size, ", ");
            append_sanitized(buf, size, ASN1_STRING_get0_data(g->d.dNSName),
                             ASN1_STRING_length(g->d.dNSName));
        } else if (g->type == GEN_IPADD && with_ip) {
            char a[INET6_ADDRSTRLEN] = "?";
            int len = ASN1_STRING_length(g->d.iPAddress);
            const unsigned char *p = ASN1_STRING_get0_data(g->d.iPAddress);
            if (len == 4)
                inet_ntop(AF_INET, p, a, sizeof(a));
            else if (len == 16)
                inet_ntop(AF_INET6, p, a, sizeof(a));
            if (count++ > 0)
                mt_x509_append(buf, size, ", ");
            mt_x509_append(buf, size, a);
        }
    }
    GENERAL_NAMES_free(gens);
    return count;
}

/* A copy if the string is printable ASCII (space allowed, for a CN),
 * else NULL. */
static char *clean_copy(const unsigned char *p, int len)
{
    char *s;
    int i;
    if (p == NULL || len <= 0)
        return NULL;
    for (i = 0; i < len; i++)
        if (p[i] < 0x20 || p[i] >= 0x7f)
            return NULL;
    s = malloc((size_t)len + 1);
    if (s == NULL)
        return NULL;
    memcpy(s, p, (size_t)len);
    s[len] = '\0';
    return s;
}

static int push_name(char ***names, size_t *n, char *s)
{
    char **v = realloc(*names, (*n + 1) * sizeof(*v));
    if (v == NULL) {
        free(s);
        return -1;
    }
    v[(*n)++] = s;
    *names = v;
    return 0;
}

int mt_x509_dns_names(X509 *x, char ***out, size_t *out_n)
{
    GENERAL_NAMES *gens;
    char **names = NULL;
    size_t n = 0;
    int i, ret = 0;

    gens = X509_get_ext_d2i(x, NID_subject_alt_name, NULL, NULL);
    ERR_clear_error();
    for (i = 0; gens != NULL && i < sk_GENERAL_NAME_num(gens); i++) {
        const GENERAL_NAME *g = sk_GENERAL_NAME_value(gens, i);
        char *s;
        if (g->type != GEN_DNS)
            continue;
        s = clean_copy(ASN1_STRING_get0_data(g->d.dNSName), ASN1_STRING_length(g->d.dNSName));
        if (s != NULL && push_name(&names, &n, s) != 0) {
            ret = -1;
            goto Exit;
        }
    }
    if (n == 0) { /* no DNS SAN: fall back to the (last) CN */
        X509_NAME *subj = X509_get_subject_name(x);
        int idx = -1, last = -1;
        while ((idx = X509_NAME_get_index_by_NID(subj, NID_commonName, idx)) >= 0)
            last = idx;
        if (last >= 0) {
            ASN1_STRING *d = X509_NAME_ENTRY_get_data(X509_NAME_get_entry(subj, last));
            unsigned char *u = NULL;
            int len = ASN1_STRING_to_UTF8(&u, d);
            char *s = len > 0 ? clean_copy(u, len) : NULL;
            OPENSSL_free(u);
            ERR_clear_error();
            if (s != NULL && push_name(&names, &n, s) != 0) {
                ret = -1;
                goto Exit;
            }
        }
    }
Exit:
    GENERAL_NAMES_free(gens);
    if (ret != 0) {
        while (n > 0)
            free(names[--n]);
        free(names);
        names = NULL;
    }
    *out = names;
    *out_n = n;
    return ret;
}
