/*
 * Lists of distinguished names as TLS carries them: certificate_authorities
 * (RFC 8446 section 4.2.4) and the TLS 1.2 CertificateRequest (RFC 5246
 * section 7.4.4) are vectors of DistinguishedName<1..2^16-1>, each the DER
 * of an X.509 Name. The server builds the list from its client trust
 * anchors (mt_trust_ca_names); the client reads it to pick a chain issued
 * by one of the named CAs, and prints it in traces and messages.
 */
#include <stdlib.h>
#include <string.h>

#include <openssl/err.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>

#include "x509/internal.h"

#define DN_MAX 0xffff

/* The next name of the list: 1 and *out (to free), 0 at the end of the
 * list, -1 when malformed (bad length, not exactly one DER Name). */
static int next_name(mt_reader *r, X509_NAME **out)
{
    mt_reader sub;
    const uint8_t *der;
    const unsigned char *q;
    size_t len;

    *out = NULL;
    if (r->err)
        return -1;
    if (mt_r_left(r) == 0)
        return 0;
    if (mt_r_vec(r, 2, 1, DN_MAX, &sub) != 0)
        return -1;
    len = mt_r_left(&sub);
    if (mt_r_bytes(&sub, len, &der) != 0)
        return -1;
    q = der;
    *out = d2i_X509_NAME(NULL, &q, (long)len);
    if (*out == NULL || (size_t)(q - der) != len) {
        ERR_clear_error();
        X509_NAME_free(*out);
        *out = NULL;
        return -1;
    }
    return 1;
}

int mt_cert_chain_issued_by(const mt_cert_chain *c, const uint8_t *names, size_t len)
{
    X509_NAME **list = NULL, *nm;
    X509_NAME **grown;
    size_t n = 0, i, j;
    mt_reader r;
    int found = 0, k;

    if (c == NULL || c->n == 0 || names == NULL || len == 0)
        return 0;
    /* the whole list first: a malformed list matches nothing */
    r = mt_reader_init(names, len);
    while ((k = next_name(&r, &nm)) == 1) {
        grown = realloc(list, (n + 1) * sizeof(*list));
        if (grown == NULL) {
            X509_NAME_free(nm);
            k = -1;
            break;
        }
        list = grown;
        list[n++] = nm;
    }
    if (k != 0)
        goto Exit;
    for (i = 0; i < c->n && !found; i++) {
        mt_x509 *x = NULL;
        if (mt_x509_from_der(c->der[i], c->der_len[i], &x) != 0)
            continue;
        for (j = 0; j < n && !found; j++)
            found = X509_NAME_cmp(X509_get_issuer_name(x->x), list[j]) == 0;
        mt_x509_free(x);
    }
Exit:
    for (i = 0; i < n; i++)
        X509_NAME_free(list[i]);
    free(list);
    ERR_clear_error();
    return found;
}

/* A growable NUL-terminated string; sticky allocation failure. */
typedef struct {
    char *s;
    size_t len, cap;
    int err;
} strbuf;

static void sb_add(strbuf *b, const char *s)
{
    size_t n = strlen(s);
    if (b->err)
        return;
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 64;
        char *p;
        while (cap < b->len + n + 1)
            cap *= 2;
        p = realloc(b->s, cap);
        if (p == NULL) {
            b->err = 1;
            return;
        }
        b->s = p;
        b->cap = cap;
    }
    memcpy(b->s + b->len, s, n + 1);
    b->len += n;
}

static char *sb_finish(strbuf *b)
{
    sb_add(b, "");
    if (b->err) {
        free(b->s);
        return NULL;
    }
    return b->s;
}

/* Appends the RFC 4514 form of a name ("(empty name)" for an empty one)
 * after "; " when the string is not empty. */
static void sb_add_name(strbuf *b, const X509_NAME *nm)
{
    char *s = mt_x509_name_str(nm);
    if (s == NULL) {
        b->err = 1;
        return;
    }
    if (b->len > 0)
        sb_add(b, "; ");
    sb_add(b, s[0] != '\0' ? s : "(empty name)");
    free(s);
}

char *mt_dn_list_text(const uint8_t *names, size_t len)
{
    strbuf b = {NULL, 0, 0, 0};
    mt_reader r = mt_reader_init(names, names != NULL ? len : 0);
    X509_NAME *nm;
    int k;

    while ((k = next_name(&r, &nm)) == 1) {
        sb_add_name(&b, nm);
        X509_NAME_free(nm);
    }
    if (k < 0) {
        if (b.len > 0)
            sb_add(&b, "; ");
        sb_add(&b, "(malformed name list)");
    }
    return sb_finish(&b);
}

/* ---- the names of a trust store ---------------------------------------- */

/* The distinct subjects of the store's certificates, in the store's order
 * (sorted by name); borrowed pointers, valid while the store is. -1 on
 * allocation failure. */
static int anchor_names(const mt_trust *t, const X509_NAME ***out, size_t *out_n)
{
    X509_STORE *store = mt_trust_store(t);
    STACK_OF(X509_OBJECT) *objs;
    const X509_NAME **v = NULL, **grown;
    size_t n = 0, j;
    int i, ret = 0;

    *out = NULL;
    *out_n = 0;
    if (t == NULL)
        return 0;
    /* a hashed-directory lookup may add to the objects concurrently */
    if (!X509_STORE_lock(store))
        return -1;
    objs = X509_STORE_get0_objects(store);
    for (i = 0; i < sk_X509_OBJECT_num(objs); i++) {
        X509_OBJECT *o = sk_X509_OBJECT_value(objs, i);
        X509 *x = X509_OBJECT_get_type(o) == X509_LU_X509 ? X509_OBJECT_get0_X509(o) : NULL;
        const X509_NAME *nm = x != NULL ? X509_get_subject_name(x) : NULL;
        int dup = 0;
        if (nm == NULL)
            continue;
        for (j = 0; j < n && !dup; j++)
            dup = X509_NAME_cmp(v[j], nm) == 0;
        if (dup)
            continue;
        grown = realloc(v, (n + 1) * sizeof(*v));
        if (grown == NULL) {
            ret = -1;
            break;
        }
        v = grown;
        v[n++] = nm;
    }
    X509_STORE_unlock(store);
    if (ret != 0) {
        free(v);
        return ret;
    }
    *out = v;
    *out_n = n;
    return 0;
}

int mt_trust_ca_names(const mt_trust *t, mt_buf *out, size_t *count)
{
    const X509_NAME **names = NULL;
    size_t n = 0, i, start, total = 0;
    int ret = 0;

    if (count != NULL)
        *count = 0;
    if (out == NULL || out->err)
        return -1;
    start = out->len;
    if (anchor_names(t, &names, &n) != 0)
        return -1;
    for (i = 0; i < n; i++) {
        unsigned char *der = NULL;
        int len = i2d_X509_NAME(names[i], &der);
        if (len <= 0 || (size_t)len > DN_MAX || total + 2 + (size_t)len > DN_MAX) {
            OPENSSL_free(der);
            ret = -1;
            break;
        }
        total += 2 + (size_t)len;
        if (mt_w_u16(out, (uint16_t)len) != 0 || mt_w_bytes(out, der, (size_t)len) != 0)
            ret = -1;
        OPENSSL_free(der);
        if (ret != 0)
            break;
    }
    free(names);
    ERR_clear_error();
    if (ret != 0 || out->err) {
        /* leave out as it was (an allocation error stays sticky) */
        if (out->len > start)
            memset(out->data + start, 0, out->len - start);
        out->len = start;
        return -1;
    }
    if (count != NULL)
        *count = n;
    return 0;
}

char *mt_trust_ca_names_text(const mt_trust *t)
{
    const X509_NAME **names = NULL;
    strbuf b = {NULL, 0, 0, 0};
    size_t n = 0, i;

    if (anchor_names(t, &names, &n) != 0)
        return NULL;
    for (i = 0; i < n; i++)
        sb_add_name(&b, names[i]);
    free(names);
    return sb_finish(&b);
}
