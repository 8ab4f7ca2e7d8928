/*
 * mutls ca: subject alternative names and SPIFFE IDs, checked before they
 * go into a certificate.
 */
#include "ca.h"

#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <openssl/x509v3.h>

#define DNS_MAX 253
#define LABEL_MAX 63
#define SPIFFE_MAX 2048
#define TRUST_DOMAIN_MAX 255
#define URI_MAX 2048

static const char *const type_names[] = {"DNS", "IP", "URI", "email"};

/* ---- checks -------------------------------------------------------------- */

int ca_parse_ip(const char *s, unsigned char out[16], size_t *len)
{
    if (inet_pton(AF_INET, s, out) == 1) {
        *len = 4;
        return 1;
    }
    if (inet_pton(AF_INET6, s, out) == 1) {
        *len = 16;
        return 1;
    }
    return 0;
}

static int is_ldh(int c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           c == '-';
}

/* Describe byte c for a message: "'x'" or "byte 0xNN". */
static const char *show_char(unsigned char c, char *buf, size_t cap)
{
    if (c > 0x20 && c < 0x7f)
        snprintf(buf, cap, "'%c'", c);
    else if (c == ' ')
        snprintf(buf, cap, "a space");
    else
        snprintf(buf, cap, "byte 0x%02x", c);
    return buf;
}

int ca_check_dns(const char *name, int allow_wildcard, char *err, size_t cap)
{
    const char *p = name, *label;
    size_t len = strlen(name), labels = 0;
    char cb[16];

    if (len == 0) {
        ca_errf(err, cap, "'' is not a DNS name (empty)");
        return -1;
    }
    if (len > DNS_MAX) {
        ca_errf(err, cap, "'%.40s...' is not a DNS name: %zu characters, at most %d",
                 name, len, DNS_MAX);
        return -1;
    }
    if (name[len - 1] == '.') {
        ca_errf(err, cap, "'%s': write DNS names without the final '.'", name);
        return -1;
    }
    if (p[0] == '*') {
        if (!allow_wildcard) {
            ca_errf(err, cap, "'%s': a wildcard is not allowed here", name);
            return -1;
        }
        if (p[1] != '.') {
            ca_errf(err, cap, "'%s': a wildcard must be a whole first label ('*.example.com')",
                     name);
            return -1;
        }
        p += 2;
        if (strchr(p, '.') == NULL) {
            ca_errf(err, cap,
                     "'%s': a wildcard needs at least two labels after it ('*.example.com')",
                     name);
            return -1;
        }
    }
    for (label = p;; p++) {
        if (*p == '.' || *p == '\0') {
            size_t n = (size_t)(p - label);

            if (n == 0) {
                ca_errf(err, cap, "'%s' is not a DNS name: empty label", name);
                return -1;
            }
            if (n > LABEL_MAX) {
                ca_errf(err, cap, "'%s' is not a DNS name: a label of %zu characters (at most %d)",
                         name, n, LABEL_MAX);
                return -1;
            }
            if (label[0] == '-' || p[-1] == '-') {
                ca_errf(err, cap, "'%s' is not a DNS name: a label starts or ends with '-'",
                         name);
                return -1;
            }
            labels++;
            if (*p == '\0')
                break;
            label = p + 1;
            continue;
        }
        if (*p == '*') {
            ca_errf(err, cap, "'%s': '*' is allowed only as the whole first label", name);
            return -1;
        }
        if ((unsigned char)*p >= 0x80) {
            ca_errf(err, cap,
                     "'%s' is not a DNS name: non-ASCII characters (write internationalized "
                     "names in their xn-- form)", name);
            return -1;
        }
        if (!is_ldh((unsigned char)*p)) {
            ca_errf(err, cap,
                     "'%s' is not a DNS name: it contains %s (only letters, digits, '-' and "
                     "'.' are allowed)", name,
                     show_char((unsigned char)*p, cb, sizeof cb));
            return -1;
        }
    }
    (void)labels;
    return 0;
}

int ca_check_email(const char *addr, char *err, size_t cap)
{
    const char *at = strrchr(addr, '@');
    char dns_err[CA_ERR_MAX], cb[16];

    if (at == NULL || at == addr || at[1] == '\0') {
        ca_errf(err, cap, "'%s' is not an e-mail address (expected LOCAL@DOMAIN)", addr);
        return -1;
    }
    if ((size_t)(at - addr) > 64) {
        ca_errf(err, cap, "'%s' is not an e-mail address: the part before '@' is longer "
                 "than 64 characters", addr);
        return -1;
    }
    for (const char *p = addr; p < at; p++) {
        unsigned char c = (unsigned char)*p;

        if (c <= 0x20 || c >= 0x7f || strchr("@,;:<>()[]\\\"", c) != NULL) {
            ca_errf(err, cap, "'%s' is not an e-mail address: %s before the '@'%s", addr,
                     show_char(c, cb, sizeof cb),
                     c >= 0x80 ? " (only ASCII addresses are supported)" : "");
            return -1;
        }
    }
    if (ca_check_dns(at + 1, 0, dns_err, sizeof dns_err) != 0) {
        ca_errf(err, cap, "'%s' is not an e-mail address: the domain %s", addr, dns_err);
        return -1;
    }
    return 0;
}

static int is_tdchar(int c)
{
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '-' ||
           c == '_';
}

static int is_pathchar(int c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           c == '.' || c == '-' || c == '_';
}

int ca_check_spiffe_id(const char *id, char *err, size_t cap)
{
    static const char prefix[] = "spiffe://";
    size_t len = strlen(id), td_len;
    const char *td, *path, *seg;
    char cb[16];

    if (len == 0) {
        ca_errf(err, cap, "'' is not a SPIFFE ID (empty)");
        return -1;
    }
    if (strncmp(id, prefix, sizeof prefix - 1) != 0) {
        if (strncasecmp(id, prefix, sizeof prefix - 1) == 0)
            ca_errf(err, cap, "'%s' is not a SPIFFE ID: write the scheme in lower case "
                     "('spiffe://')", id);
        else
            ca_errf(err, cap, "'%s' is not a SPIFFE ID: it must start with 'spiffe://' "
                     "(spiffe://TRUST-DOMAIN/PATH)", id);
        return -1;
    }
    if (len > SPIFFE_MAX) {
        ca_errf(err, cap, "'%.60s...' is not a SPIFFE ID: %zu bytes, at most %d", id, len,
                 SPIFFE_MAX);
        return -1;
    }
    td = id + sizeof prefix - 1;
    path = strchr(td, '/');
    td_len = path != NULL ? (size_t)(path - td) : strlen(td);
    if (td_len == 0) {
        ca_errf(err, cap, "'%s' is not a SPIFFE ID: the trust domain is missing "
                 "(spiffe://TRUST-DOMAIN/PATH)", id);
        return -1;
    }
    if (td_len > TRUST_DOMAIN_MAX) {
        ca_errf(err, cap, "'%.60s...' is not a SPIFFE ID: the trust domain has %zu bytes, "
                 "at most %d", id, td_len, TRUST_DOMAIN_MAX);
        return -1;
    }
    for (size_t k = 0; k < td_len; k++) {
        unsigned char c = (unsigned char)td[k];
        const char *why = NULL;

        if (is_tdchar(c))
            continue;
        if (c >= 'A' && c <= 'Z')
            why = "the trust domain must be in lower case";
        else if (c == ':')
            why = "the trust domain cannot have a port";
        else if (c == '@')
            why = "the trust domain cannot have a user part";
        else if (c == '%')
            why = "the trust domain cannot have percent-encoded characters";
        else if (c == '?' || c == '#')
            why = "a SPIFFE ID has no query or fragment";
        if (why != NULL)
            ca_errf(err, cap, "'%s' is not a SPIFFE ID: %s", id, why);
        else
            ca_errf(err, cap, "'%s' is not a SPIFFE ID: %s in the trust domain (allowed: "
                     "a-z 0-9 . - _)", id, show_char(c, cb, sizeof cb));
        return -1;
    }
    if (path == NULL)
        return 0; /* a trust domain's own ID: no path */
    for (seg = path + 1;; ) {
        const char *end = seg;

        while (*end != '\0' && *end != '/')
            end++;
        if (end == seg) {
            ca_errf(err, cap, "'%s' is not a SPIFFE ID: %s", id,
                     *end == '\0' ? "the path cannot end with '/'"
                                  : "the path cannot have empty segments ('//')");
            return -1;
        }
        if ((end - seg == 1 && seg[0] == '.') ||
            (end - seg == 2 && seg[0] == '.' && seg[1] == '.')) {
            ca_errf(err, cap, "'%s' is not a SPIFFE ID: the path cannot have '.' or '..' "
                     "segments", id);
            return -1;
        }
        for (const char *p = seg; p < end; p++) {
            unsigned char c = (unsigned char)*p;

            if (is_pathchar(c))
                continue;
            if (c == '%')
                ca_errf(err, cap, "'%s' is not a SPIFFE ID: the path cannot have "
                         "percent-encoded characters", id);
            else if (c == '?' || c == '#')
                ca_errf(err, cap, "'%s' is not a SPIFFE ID: a SPIFFE ID has no query or "
                         "fragment", id);
            else
                ca_errf(err, cap, "'%s' is not a SPIFFE ID: %s in the path (allowed: "
                         "a-z A-Z 0-9 . - _ and '/' between segments)", id,
                         show_char(c, cb, sizeof cb));
            return -1;
        }
        if (*end == '\0')
            break;
        seg = end + 1;
    }
    return 0;
}

int ca_check_uri(const char *uri, char *err, size_t cap)
{
    const char *colon = strchr(uri, ':');
    char cb[16];

    if (colon == NULL || colon == uri || colon[1] == '\0') {
        ca_errf(err, cap, "'%s' is not a URI (expected SCHEME:REST, e.g. "
                 "spiffe://example.org/service)", uri);
        return -1;
    }
    if (strncasecmp(uri, "spiffe:", 7) == 0)
        return ca_check_spiffe_id(uri, err, cap);
    for (const char *p = uri; p < colon; p++) {
        unsigned char c = (unsigned char)*p;
        int ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                 (p > uri && ((c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.'));

        if (!ok) {
            ca_errf(err, cap, "'%s' is not a URI: %s in the scheme", uri,
                     show_char(c, cb, sizeof cb));
            return -1;
        }
    }
    if (strlen(uri) > URI_MAX) {
        ca_errf(err, cap, "'%.60s...' is too long for a URI (at most %d bytes)", uri, URI_MAX);
        return -1;
    }
    for (const char *p = colon + 1; *p != '\0'; p++) {
        unsigned char c = (unsigned char)*p;

        if (c <= 0x20 || c >= 0x7f || c == '"' || c == '<' || c == '>' || c == '\\') {
            ca_errf(err, cap, "'%s' is not a URI: %s (percent-encode it)", uri,
                     show_char(c, cb, sizeof cb));
            return -1;
        }
    }
    return 0;
}

/* ---- the list ------------------------------------------------------------ */

void ca_san_free(struct ca_san_list *l)
{
    for (size_t k = 0; k < l->n; k++)
        free(l->v[k].value);
    free(l->v);
    memset(l, 0, sizeof *l);
}

size_t ca_san_count(const struct ca_san_list *l, enum ca_san_type type)
{
    size_t n = 0;

    for (size_t k = 0; k < l->n; k++)
        n += l->v[k].type == type;
    return n;
}

static int same_name(const struct ca_san *a, enum ca_san_type type, const char *value,
                     const unsigned char *ip, size_t ip_len)
{
    if (a->type != type)
        return 0;
    switch (type) {
    case CA_SAN_IP:
        return a->ip_len == ip_len && memcmp(a->ip, ip, ip_len) == 0;
    case CA_SAN_DNS:
    case CA_SAN_EMAIL:
        return strcasecmp(a->value, value) == 0;
    case CA_SAN_URI:
        break;
    }
    return strcmp(a->value, value) == 0;
}

int ca_san_add(struct ca_san_list *l, enum ca_san_type type, const char *value, char *err,
               size_t cap)
{
    unsigned char ip[16];
    size_t ip_len = 0;
    struct ca_san *s;
    int rc = 0;

    switch (type) {
    case CA_SAN_DNS:
        rc = ca_check_dns(value, 1, err, cap);
        break;
    case CA_SAN_IP:
        if (!ca_parse_ip(value, ip, &ip_len)) {
            ca_errf(err, cap, "'%s' is not an IPv4 or IPv6 address%s", value,
                     value[0] == '[' ? " (write IPv6 addresses without brackets)" : "");
            rc = -1;
        }
        break;
    case CA_SAN_URI:
        rc = ca_check_uri(value, err, cap);
        break;
    case CA_SAN_EMAIL:
        rc = ca_check_email(value, err, cap);
        break;
    }
    if (rc != 0)
        return -1;
    for (size_t k = 0; k < l->n; k++) {
        if (same_name(&l->v[k], type, value, ip, ip_len))
            return 0;
    }
    if (l->n == l->cap) {
        size_t ncap = l->cap != 0 ? 2 * l->cap : 8;
        struct ca_san *nv = realloc(l->v, ncap * sizeof *nv);

        if (nv == NULL)
            goto Nomem;
        l->v = nv;
        l->cap = ncap;
    }
    s = &l->v[l->n];
    memset(s, 0, sizeof *s);
    s->type = type;
    s->value = strdup(value);
    if (s->value == NULL)
        goto Nomem;
    memcpy(s->ip, ip, ip_len);
    s->ip_len = ip_len;
    l->n++;
    return 0;
Nomem:
    ca_errf(err, cap, "out of memory");
    return -1;
}

static int parse_type(const char *s, size_t n, enum ca_san_type *type)
{
    static const struct { const char *name; enum ca_san_type type; } names[] = {
        {"DNS", CA_SAN_DNS}, {"IP", CA_SAN_IP},       {"URI", CA_SAN_URI},
        {"email", CA_SAN_EMAIL}, {"mail", CA_SAN_EMAIL},
    };

    for (size_t k = 0; k < sizeof names / sizeof names[0]; k++) {
        if (strlen(names[k].name) == n && strncasecmp(s, names[k].name, n) == 0) {
            *type = names[k].type;
            return 1;
        }
    }
    return 0;
}

int ca_san_parse(struct ca_san_list *l, const char *text, char *err, size_t cap)
{
    const char *p = text;

    if (*p == '\0') {
        ca_errf(err, cap, "empty list (expected TYPE:VALUE,... with TYPE DNS, IP, URI or "
                 "email)");
        return -1;
    }
    for (;;) {
        const char *end = strchr(p, ',');
        size_t n = end != NULL ? (size_t)(end - p) : strlen(p);
        const char *colon = memchr(p, ':', n);
        enum ca_san_type type;
        char *value;
        int rc;

        if (n == 0) {
            ca_errf(err, cap, "an empty entry in '%s'", text);
            return -1;
        }
        if (colon == NULL || !parse_type(p, (size_t)(colon - p), &type)) {
            ca_errf(err, cap, "'%.*s': expected TYPE:VALUE with TYPE DNS, IP, URI or email",
                     (int)n, p);
            return -1;
        }
        value = strndup(colon + 1, n - (size_t)(colon + 1 - p));
        if (value == NULL) {
            ca_errf(err, cap, "out of memory");
            return -1;
        }
        rc = ca_san_add(l, type, value, err, cap);
        free(value);
        if (rc != 0)
            return -1;
        if (end == NULL)
            return 0;
        p = end + 1;
    }
}

void ca_san_describe(const struct ca_san_list *l, char *out, size_t cap)
{
    size_t used = 0;

    if (cap == 0)
        return;
    out[0] = '\0';
    for (size_t k = 0; k < l->n && used < cap; k++) {
        int n = snprintf(out + used, cap - used, "%s%s:%s", k > 0 ? ", " : "",
                         type_names[l->v[k].type], l->v[k].value);
        if (n < 0)
            break;
        used += (size_t)n;
    }
}

static GENERAL_NAME *make_name(const struct ca_san *s)
{
    GENERAL_NAME *gn = GENERAL_NAME_new();
    ASN1_OCTET_STRING *ip;
    ASN1_IA5STRING *ia5;
    int gtype;

    if (gn == NULL)
        return NULL;
    if (s->type == CA_SAN_IP) {
        ip = ASN1_OCTET_STRING_new();
        if (ip == NULL || !ASN1_OCTET_STRING_set(ip, s->ip, (int)s->ip_len)) {
            ASN1_OCTET_STRING_free(ip);
            GENERAL_NAME_free(gn);
            return NULL;
        }
        GENERAL_NAME_set0_value(gn, GEN_IPADD, ip);
        return gn;
    }
    gtype = s->type == CA_SAN_DNS ? GEN_DNS : s->type == CA_SAN_URI ? GEN_URI : GEN_EMAIL;
    ia5 = ASN1_IA5STRING_new();
    if (ia5 == NULL || !ASN1_STRING_set(ia5, s->value, (int)strlen(s->value))) {
        ASN1_IA5STRING_free(ia5);
        GENERAL_NAME_free(gn);
        return NULL;
    }
    GENERAL_NAME_set0_value(gn, gtype, ia5);
    return gn;
}

X509_EXTENSION *ca_san_extension(const struct ca_san_list *l)
{
    GENERAL_NAMES *names = GENERAL_NAMES_new();
    X509_EXTENSION *ext = NULL;

    if (names == NULL)
        return NULL;
    for (size_t k = 0; k < l->n; k++) {
        GENERAL_NAME *gn = make_name(&l->v[k]);

        if (gn == NULL || !sk_GENERAL_NAME_push(names, gn)) {
            GENERAL_NAME_free(gn);
            goto Done;
        }
    }
    ext = X509V3_EXT_i2d(NID_subject_alt_name, 0, names);
Done:
    GENERAL_NAMES_free(names);
    return ext;
}
