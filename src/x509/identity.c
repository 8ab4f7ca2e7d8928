/*
 * The peer's identity (mutls_peer of mutls.h): what its certificate chain
 * says, computed once when the chain arrives and owned by the connection.
 * The strings are built here so that callers never re-derive them from DER:
 * RFC 4514 subject and issuer, the serial number, validity as Unix time,
 * the subjectAltNames in certificate order, the SPIFFE ID (X509-SVID), the
 * SHA-256 fingerprint, the chain as PEM and the key type and size.
 */
#include <arpa/inet.h>
#include <limits.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include <openssl/asn1.h>
#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "crypto/pkey_evp.h"
#include "x509/internal.h"

#define NOT_VERIFIED "not verified"

typedef struct {
    mutls_san_type type;
    char *value;
} peer_san;

struct mutls_peer {
    int verified;
    char *verify_error; /* NULL: NOT_VERIFIED (or "" when verified) */
    char *subject;
    char *issuer;
    char *serial;
    int64_t not_before;
    int64_t not_after;
    peer_san *sans;
    size_t san_n;
    char *spiffe_id; /* points into sans[] (not owned), or NULL */
    char fingerprint[2 * 32 + 1];
    char *chain_pem;
    const char *key_type; /* static (mt_key_type_name) */
    int key_bits;
};

/* ---- SPIFFE ID (SPIFFE-ID.md section 2, X509-SVID.md) -------------------- */

#define SPIFFE_PREFIX "spiffe://"
#define SPIFFE_MAX_LEN 2048
#define SPIFFE_MAX_TRUST_DOMAIN 255

static int td_char(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '-' || c == '_';
}

static int path_char(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           c == '.' || c == '-' || c == '_';
}

/*
 * 1 if the bytes are a SPIFFE ID usable in a leaf X509-SVID:
 *   - the scheme is "spiffe" in lowercase, followed by "://";
 *   - the trust domain (the URI host) is not empty, at most 255 bytes, and
 *     holds only [a-z0-9.-_]: so no uppercase, no percent-encoding, no
 *     userinfo ('@'), no port (':'), no IPv6 literal;
 *   - the path is one or more "/segment", each segment non-empty, not "."
 *     nor "..", made of [a-zA-Z0-9.-_]: so no trailing '/', no empty
 *     segment, no percent-encoding, no query ('?') and no fragment ('#');
 *   - at most 2048 bytes in all.
 * SPIFFE-ID.md lets a SPIFFE ID have no path (a trust domain's own ID,
 * carried by signing certificates); X509-SVID.md section 3.1 requires a
 * leaf's to have a non-root path, which is what a peer presents.
 */
static int spiffe_id_ok(const unsigned char *s, size_t n)
{
    size_t i = sizeof(SPIFFE_PREFIX) - 1, start, segments = 0;

    if (n > SPIFFE_MAX_LEN || n < i || memcmp(s, SPIFFE_PREFIX, i) != 0)
        return 0;
    start = i;
    while (i < n && s[i] != '/') {
        if (!td_char(s[i]))
            return 0;
        i++;
    }
    if (i == start || i - start > SPIFFE_MAX_TRUST_DOMAIN)
        return 0;
    while (i < n) { /* s[i] == '/' */
        size_t seg = ++i;
        while (i < n && s[i] != '/') {
            if (!path_char(s[i]))
                return 0;
            i++;
        }
        if (i == seg)
            return 0; /* empty segment, or a trailing '/' */
        if ((i - seg == 1 && s[seg] == '.') || (i - seg == 2 && s[seg] == '.' && s[seg + 1] == '.'))
            return 0;
        segments++;
    }
    return segments > 0;
}

/* X509-SVID.md 5.2: a leaf SVID is not a CA (basicConstraints cA false or
 * absent) and does not set keyCertSign or cRLSign; a certificate whose
 * extensions libcrypto found invalid (duplicates, undecodable) is not
 * trusted to say either. */
static int svid_leaf_ok(X509 *x)
{
    uint32_t flags = X509_get_extension_flags(x);
    BASIC_CONSTRAINTS *bc;
    int crit = -1, ca;

    if (flags & EXFLAG_INVALID)
        return 0;
    bc = X509_get_ext_d2i(x, NID_basic_constraints, &crit, NULL);
    if (bc == NULL && crit != -1) { /* present but undecodable, or twice */
        ERR_clear_error();
        return 0;
    }
    ca = bc != NULL && bc->ca;
    BASIC_CONSTRAINTS_free(bc);
    if (ca || (flags & EXFLAG_CA))
        return 0;
    if ((flags & EXFLAG_KUSAGE) && (X509_get_key_usage(x) & (KU_KEY_CERT_SIGN | KU_CRL_SIGN)))
        return 0;
    return 1;
}

/* ---- building -------------------------------------------------------------- */

/* A copy of an ASN1 string's bytes with anything outside printable ASCII
 * (0x20..0x7e) replaced by '?', so that an embedded NUL or control byte
 * can neither cut nor disguise the value. */
static char *printable_copy(const ASN1_STRING *a)
{
    const unsigned char *p = ASN1_STRING_get0_data(a);
    int len = ASN1_STRING_length(a), i;
    char *s;

    if (len < 0)
        len = 0;
    s = malloc((size_t)len + 1);
    if (s == NULL)
        return NULL;
    for (i = 0; i < len; i++)
        s[i] = (p[i] >= 0x20 && p[i] < 0x7f) ? (char)p[i] : '?';
    s[len] = '\0';
    return s;
}

char *mt_x509_serial_str(const ASN1_INTEGER *serial)
{
    const unsigned char *p = ASN1_STRING_get0_data(serial);
    int len = ASN1_STRING_length(serial), i, neg;
    static const char hex[] = "0123456789abcdef";
    char *s, *q;

    if (p == NULL || len <= 0) {
        static const unsigned char zero = 0;
        p = &zero;
        len = 1;
    }
    /* skip leading zero bytes of the magnitude, keeping one */
    while (len > 1 && p[0] == 0) {
        p++;
        len--;
    }
    neg = ASN1_STRING_type(serial) == V_ASN1_NEG_INTEGER;
    s = malloc((size_t)len * 3 + 2);
    if (s == NULL)
        return NULL;
    q = s;
    if (neg)
        *q++ = '-';
    for (i = 0; i < len; i++) {
        if (i > 0)
            *q++ = ':';
        *q++ = hex[p[i] >> 4];
        *q++ = hex[p[i] & 15];
    }
    *q = '\0';
    return s;
}

static int64_t unix_time(const ASN1_TIME *t)
{
    struct tm tm;
    memset(&tm, 0, sizeof(tm));
    if (t == NULL || !ASN1_TIME_to_tm(t, &tm)) {
        ERR_clear_error();
        return 0;
    }
    return (int64_t)timegm(&tm);
}

static int push_san(mutls_peer *p, mutls_san_type type, char *value)
{
    peer_san *v;
    if (value == NULL)
        return -1;
    v = realloc(p->sans, (p->san_n + 1) * sizeof(*v));
    if (v == NULL) {
        free(value);
        return -1;
    }
    p->sans = v;
    v[p->san_n].type = type;
    v[p->san_n].value = value;
    p->san_n++;
    return 0;
}

/* The SANs we report (DNS, IP, URI, email) in certificate order, and the
 * SPIFFE ID when the leaf is a valid X509-SVID. Other name types
 * (directoryName, otherName, registeredID) and iPAddress values of a
 * length other than 4 or 16 are skipped. */
static int read_sans(mutls_peer *p, X509 *x)
{
    GENERAL_NAMES *gens;
    const ASN1_IA5STRING *uri = NULL;
    size_t uri_index = 0, uris = 0;
    int i, ret = 0;

    gens = X509_get_ext_d2i(x, NID_subject_alt_name, NULL, NULL);
    ERR_clear_error();
    if (gens == NULL)
        return 0;
    for (i = 0; i < sk_GENERAL_NAME_num(gens) && ret == 0; i++) {
        const GENERAL_NAME *g = sk_GENERAL_NAME_value(gens, i);
        switch (g->type) {
        case GEN_DNS:
            ret = push_san(p, MUTLS_SAN_DNS, printable_copy(g->d.dNSName));
            break;
        case GEN_EMAIL:
            ret = push_san(p, MUTLS_SAN_EMAIL, printable_copy(g->d.rfc822Name));
            break;
        case GEN_URI:
            uris++;
            uri = g->d.uniformResourceIdentifier;
            uri_index = p->san_n;
            ret = push_san(p, MUTLS_SAN_URI, printable_copy(uri));
            break;
        case GEN_IPADD: {
            char a[INET6_ADDRSTRLEN];
            int len = ASN1_STRING_length(g->d.iPAddress);
            const unsigned char *b = ASN1_STRING_get0_data(g->d.iPAddress);
            if ((len == 4 && inet_ntop(AF_INET, b, a, sizeof(a)) != NULL) ||
                (len == 16 && inet_ntop(AF_INET6, b, a, sizeof(a)) != NULL))
                ret = push_san(p, MUTLS_SAN_IP, strdup(a));
            break;
        }
        default:
            break;
        }
    }
    /* exactly one URI SAN (X509-SVID section 2), checked on its raw bytes */
    if (ret == 0 && uris == 1 &&
        spiffe_id_ok(ASN1_STRING_get0_data(uri), (size_t)ASN1_STRING_length(uri)) &&
        svid_leaf_ok(x))
        p->spiffe_id = p->sans[uri_index].value;
    GENERAL_NAMES_free(gens);
    return ret;
}

static char *chain_pem(const uint8_t *const *der, const size_t *der_len, size_t n)
{
    BIO *b = BIO_new(BIO_s_mem());
    char *data, *s = NULL;
    long len;
    size_t i;

    if (b == NULL)
        return NULL;
    for (i = 0; i < n; i++) {
        /* the bytes as sent, whether or not they parse */
        if (der[i] == NULL || der_len[i] == 0 || der_len[i] > INT_MAX)
            continue;
        if (PEM_write_bio(b, "CERTIFICATE", "", der[i], (long)der_len[i]) <= 0)
            goto Exit;
    }
    len = BIO_get_mem_data(b, &data);
    if (len < 0)
        goto Exit;
    s = malloc((size_t)len + 1);
    if (s == NULL)
        goto Exit;
    if (len > 0)
        memcpy(s, data, (size_t)len);
    s[len] = '\0';
Exit:
    BIO_free(b);
    ERR_clear_error();
    return s;
}

/* The RFC 4514 string, or a placeholder when libcrypto cannot print the
 * name: only an allocation failure makes mt_peer_new fail. */
static char *name_or_placeholder(const X509_NAME *n)
{
    char *s = mt_x509_name_str(n);
    return s != NULL ? s : strdup("(unprintable name)");
}

mutls_peer *mt_peer_new(const uint8_t *const *der, const size_t *der_len, size_t n)
{
    return mt_peer_new_parsed(NULL, der, der_len, n);
}

mutls_peer *mt_peer_new_parsed(const mt_x509 *parsed, const uint8_t *const *der,
                               const size_t *der_len, size_t n)
{
    static const char hex[] = "0123456789abcdef";
    mt_x509 *leaf = NULL;
    mutls_peer *p = NULL;
    mt_pkey *key;
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int md_len = 0, i;
    X509 *x;

    if (n == 0 || der == NULL || der_len == NULL)
        return NULL;
    /* Parsing is the costly part (OpenSSL 3 decoders): reuse the leaf the
     * verification already parsed when there is one. */
    if (parsed != NULL) {
        if (!X509_up_ref(parsed->x) || (leaf = mt_x509_wrap(parsed->x)) == NULL)
            return NULL;
    } else if (mt_x509_from_der(der[0], der_len[0], &leaf) != 0) {
        return NULL;
    }
    x = leaf->x;
    p = calloc(1, sizeof(*p));
    if (p == NULL)
        goto Fail;
    p->subject = name_or_placeholder(X509_get_subject_name(x));
    p->issuer = name_or_placeholder(X509_get_issuer_name(x));
    p->serial = mt_x509_serial_str(X509_get0_serialNumber(x));
    p->chain_pem = chain_pem(der, der_len, n);
    if (p->subject == NULL || p->issuer == NULL || p->serial == NULL || p->chain_pem == NULL)
        goto Fail;
    p->not_before = unix_time(X509_get0_notBefore(x));
    p->not_after = unix_time(X509_get0_notAfter(x));
    if (read_sans(p, x) != 0)
        goto Fail;
    if (!EVP_Digest(der[0], der_len[0], md, &md_len, EVP_sha256(), NULL) || md_len != 32)
        goto Fail;
    for (i = 0; i < md_len; i++) {
        p->fingerprint[2 * i] = hex[md[i] >> 4];
        p->fingerprint[2 * i + 1] = hex[md[i] & 15];
    }
    p->fingerprint[2 * md_len] = '\0';
    key = mt_x509_public_key(leaf);
    p->key_type = mt_key_type_name(key != NULL ? mt_pkey_type(key) : MT_KEY_UNKNOWN);
    p->key_bits = key != NULL ? mt_pkey_bits(key) : 0;
    mt_pkey_free(key);
    mt_x509_free(leaf);
    ERR_clear_error();
    return p;

Fail:
    ERR_clear_error();
    mt_x509_free(leaf);
    mt_peer_free(p);
    return NULL;
}

void mt_peer_set_verified(mutls_peer *p, int verified, const char *error)
{
    if (p == NULL)
        return;
    free(p->verify_error);
    p->verify_error = NULL;
    p->verified = verified ? 1 : 0;
    if (verified)
        p->verify_error = strdup("");
    else if (error != NULL && error[0] != '\0')
        p->verify_error = strdup(error);
    /* NULL (no message, or no memory): reads NOT_VERIFIED, or "" when
     * verified */
}

void mt_peer_free(mutls_peer *p)
{
    size_t i;
    if (p == NULL)
        return;
    free(p->verify_error);
    free(p->subject);
    free(p->issuer);
    free(p->serial);
    for (i = 0; i < p->san_n; i++)
        free(p->sans[i].value);
    free(p->sans);
    free(p->chain_pem);
    free(p);
}

/* ---- the public getters ----------------------------------------------------- */

int mutls_peer_verified(const mutls_peer *p)
{
    return p != NULL && p->verified;
}

const char *mutls_peer_verify_error(const mutls_peer *p)
{
    if (p == NULL)
        return NULL;
    if (p->verify_error != NULL)
        return p->verify_error;
    return p->verified ? "" : NOT_VERIFIED;
}

const char *mutls_peer_subject(const mutls_peer *p)
{
    return p != NULL ? p->subject : NULL;
}

const char *mutls_peer_issuer(const mutls_peer *p)
{
    return p != NULL ? p->issuer : NULL;
}

const char *mutls_peer_serial(const mutls_peer *p)
{
    return p != NULL ? p->serial : NULL;
}

int64_t mutls_peer_not_before(const mutls_peer *p)
{
    return p != NULL ? p->not_before : 0;
}

int64_t mutls_peer_not_after(const mutls_peer *p)
{
    return p != NULL ? p->not_after : 0;
}

size_t mutls_peer_san_count(const mutls_peer *p)
{
    return p != NULL ? p->san_n : 0;
}

int mutls_peer_san(const mutls_peer *p, size_t i, mutls_san_type *type, const char **value)
{
    if (p == NULL || i >= p->san_n) {
        if (type != NULL)
            *type = (mutls_san_type)0;
        if (value != NULL)
            *value = NULL;
        return MUTLS_ERR_INVALID_ARGUMENT;
    }
    if (type != NULL)
        *type = p->sans[i].type;
    if (value != NULL)
        *value = p->sans[i].value;
    return 0;
}

const char *mutls_peer_spiffe_id(const mutls_peer *p)
{
    return p != NULL ? p->spiffe_id : NULL;
}

const char *mutls_peer_fingerprint_sha256(const mutls_peer *p)
{
    return p != NULL ? p->fingerprint : NULL;
}

const char *mutls_peer_chain_pem(const mutls_peer *p)
{
    return p != NULL ? p->chain_pem : NULL;
}

const char *mutls_peer_key_type(const mutls_peer *p)
{
    return p != NULL ? p->key_type : NULL;
}

int mutls_peer_key_bits(const mutls_peer *p)
{
    return p != NULL ? p->key_bits : 0;
}
