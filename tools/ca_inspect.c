/*
 * mutls ca inspect: a readable summary of a certificate (the first of a
 * chain file) or a CRL, and whether a certificate can serve as a TLS server
 * or client certificate.
 */
#include "ca.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "cli.h"
#include "opts.h"

#define PROG CA_PROG " inspect"
#define FILE_MAX (16L * 1024 * 1024)
#define LINE_MAX_ 4096

void ca_inspect_usage(FILE *out)
{
    fputs("Usage: mutls ca inspect FILE [--ca CAFILE]\n"
          "\n"
          "Describe a certificate (PEM or DER; the first one of a chain file) or a\n"
          "CRL: subject, issuer, serial, validity, names, SPIFFE ID, key, key usage,\n"
          "extended key usage, basic constraints, SHA-256 fingerprint, and whether\n"
          "the certificate can serve as a TLS server and as a TLS client\n"
          "certificate (and if not, why); for a CRL, its dates, number and\n"
          "revoked serials.\n"
          "\n"
          "Options:\n"
          "  --ca CAFILE      also check the certificate's chain (the rest of FILE\n"
          "                   as intermediates) or the CRL's signature against the\n"
          "                   CA certificates in CAFILE\n"
          "  -h, --help       show this help\n"
          "\n"
          "Exit status: 0 if FILE could be read (whatever it says), 1 if not (or,\n"
          "with --ca, if it does not verify), 2 on a usage error.\n",
          out);
}

static void field(const char *label, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void field(const char *label, const char *fmt, ...)
{
    va_list ap;
    char l[64];

    snprintf(l, sizeof l, "%s:", label);
    printf("%-24s", l);
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    putchar('\n');
}

/* Append to a string buffer. */
struct sbuf {
    char *p;
    size_t cap, len;
};

static void sb_add(struct sbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void sb_add(struct sbuf *b, const char *fmt, ...)
{
    va_list ap;
    int n;

    if (b->len >= b->cap)
        return;
    va_start(ap, fmt);
    n = vsnprintf(b->p + b->len, b->cap - b->len, fmt, ap);
    va_end(ap);
    if (n > 0)
        b->len = b->len + (size_t)n < b->cap ? b->len + (size_t)n : b->cap - 1;
}

static void hex_colon(const unsigned char *d, size_t n, char *out, size_t cap)
{
    struct sbuf b = {out, cap, 0};

    out[0] = '\0';
    for (size_t k = 0; k < n; k++)
        sb_add(&b, "%s%02X", k > 0 ? ":" : "", d[k]);
}

static void time_str(const ASN1_TIME *t, char *out, size_t cap)
{
    time_t v;

    if (t == NULL || ca_asn1_time(t, &v) != 0)
        snprintf(out, cap, "(none)");
    else
        ca_time_iso(v, out, cap);
}

/* "N days" / "N hours" / "N minutes" for a span in seconds, with infix
 * between the number and the unit ("N more days"). */
static void span_x(double secs, const char *infix, char *out, size_t cap)
{
    if (secs < 0)
        secs = -secs;
    if (secs >= 2 * 86400.0)
        snprintf(out, cap, "%.0f %sdays", secs / 86400.0, infix);
    else if (secs >= 2 * 3600.0)
        snprintf(out, cap, "%.0f %shours", secs / 3600.0, infix);
    else
        snprintf(out, cap, "%.0f %sminutes", secs / 60.0 < 1 ? 1 : secs / 60.0, infix);
}

static void span(double secs, char *out, size_t cap)
{
    span_x(secs, "", out, cap);
}

static int ext_critical(const X509 *x, int nid)
{
    int i = X509_get_ext_by_NID(x, nid, -1);

    return i >= 0 && X509_EXTENSION_get_critical(X509_get_ext(x, i));
}

static int has_ext(const X509 *x, int nid)
{
    return X509_get_ext_by_NID(x, nid, -1) >= 0;
}

/* ---- the certificate's parts ------------------------------------------------------- */

struct cert_facts {
    int is_ca;           /* basicConstraints CA:TRUE */
    int has_eku, eku_server, eku_client, eku_any;
    int has_ku, ku_ds, ku_ke;
    int n_dns_ip, n_uri;
    int expired, not_yet;
    int rsa_weak;
    char eku_list[512];
};

static void print_names(X509 *x, struct cert_facts *cf)
{
    GENERAL_NAMES *names = X509_get_ext_d2i(x, NID_subject_alt_name, NULL, NULL);
    char buf[LINE_MAX_], spiffe[2200] = "";
    struct sbuf b = {buf, sizeof buf, 0};
    int n_spiffe = 0;

    buf[0] = '\0';
    for (int k = 0; names != NULL && k < sk_GENERAL_NAME_num(names); k++) {
        const GENERAL_NAME *gn = sk_GENERAL_NAME_value(names, k);
        const char *sep = k > 0 ? ", " : "";
        const ASN1_STRING *s;
        char ip[INET6_ADDRSTRLEN];

        switch (gn->type) {
        case GEN_DNS:
        case GEN_URI:
        case GEN_EMAIL:
            s = gn->d.ia5;
            sb_add(&b, "%s%s:%.*s", sep,
                   gn->type == GEN_DNS ? "DNS" : gn->type == GEN_URI ? "URI" : "email",
                   ASN1_STRING_length(s), (const char *)ASN1_STRING_get0_data(s));
            if (gn->type == GEN_DNS)
                cf->n_dns_ip++;
            if (gn->type == GEN_URI) {
                cf->n_uri++;
                if (ASN1_STRING_length(s) > 9 &&
                    strncmp((const char *)ASN1_STRING_get0_data(s), "spiffe://", 9) == 0 &&
                    ASN1_STRING_length(s) < (int)sizeof spiffe) {
                    n_spiffe++;
                    snprintf(spiffe, sizeof spiffe, "%.*s", ASN1_STRING_length(s),
                             (const char *)ASN1_STRING_get0_data(s));
                }
            }
            break;
        case GEN_IPADD:
            s = gn->d.iPAddress;
            cf->n_dns_ip++;
            if ((ASN1_STRING_length(s) == 4 &&
                 inet_ntop(AF_INET, ASN1_STRING_get0_data(s), ip, sizeof ip) != NULL) ||
                (ASN1_STRING_length(s) == 16 &&
                 inet_ntop(AF_INET6, ASN1_STRING_get0_data(s), ip, sizeof ip) != NULL))
                sb_add(&b, "%sIP:%s", sep, ip);
            else
                sb_add(&b, "%sIP:(%d bytes)", sep, ASN1_STRING_length(s));
            break;
        case GEN_DIRNAME: {
            char dn[512];

            ca_name_str(gn->d.directoryName, dn, sizeof dn);
            sb_add(&b, "%sdirName:%s", sep, dn);
            break;
        }
        default:
            sb_add(&b, "%s(other name of type %d)", sep, gn->type);
        }
    }
    GENERAL_NAMES_free(names);
    field("names", "%s", buf[0] != '\0' ? buf : "(no subject alternative names)");
    if (n_spiffe == 0) {
        field("SPIFFE ID", "none");
    } else {
        char err[CA_ERR_MAX];

        if (n_spiffe > 1 || cf->n_uri > 1)
            field("SPIFFE ID", "%s (but %d URI names: an X.509-SVID has exactly one)", spiffe,
                  cf->n_uri);
        else if (ca_check_spiffe_id(spiffe, err, sizeof err) != 0)
            field("SPIFFE ID", "%s (invalid: %s)", spiffe, err);
        else
            field("SPIFFE ID", "%s", spiffe);
    }
}

static void print_key(X509 *x, struct cert_facts *cf)
{
    EVP_PKEY *key = X509_get0_pubkey(x);
    char kd[64];
    int sig_nid = X509_get_signature_nid(x);

    if (key == NULL) {
        ERR_clear_error();
        field("public key", "(unreadable)");
    } else {
        ca_key_describe(key, kd, sizeof kd);
        if (EVP_PKEY_get_base_id(key) == EVP_PKEY_RSA ||
            EVP_PKEY_get_base_id(key) == EVP_PKEY_RSA_PSS) {
            cf->rsa_weak = EVP_PKEY_get_bits(key) < 2048;
            field("public key", "%s bits%s", kd, cf->rsa_weak ? " (too short: under 2048)" : "");
        } else if (EVP_PKEY_get_base_id(key) == EVP_PKEY_EC) {
            field("public key", "%s (%d bits)", kd, EVP_PKEY_get_bits(key));
        } else {
            field("public key", "%s", kd);
        }
    }
    field("signature", "%s", sig_nid != NID_undef ? OBJ_nid2ln(sig_nid) : "(unknown)");
}

static void print_usage_exts(X509 *x, struct cert_facts *cf)
{
    static const struct { uint32_t bit; const char *name; } kus[] = {
        {KU_DIGITAL_SIGNATURE, "digitalSignature"}, {KU_NON_REPUDIATION, "nonRepudiation"},
        {KU_KEY_ENCIPHERMENT, "keyEncipherment"},   {KU_DATA_ENCIPHERMENT, "dataEncipherment"},
        {KU_KEY_AGREEMENT, "keyAgreement"},         {KU_KEY_CERT_SIGN, "keyCertSign"},
        {KU_CRL_SIGN, "cRLSign"},                   {KU_ENCIPHER_ONLY, "encipherOnly"},
        {KU_DECIPHER_ONLY, "decipherOnly"},
    };
    char buf[512];
    struct sbuf b = {buf, sizeof buf, 0};
    struct sbuf e = {cf->eku_list, sizeof cf->eku_list, 0};
    EXTENDED_KEY_USAGE *eku;
    BASIC_CONSTRAINTS *bc;

    buf[0] = '\0';
    cf->has_ku = has_ext(x, NID_key_usage);
    if (cf->has_ku) {
        uint32_t ku = X509_get_key_usage(x);

        for (size_t k = 0; k < sizeof kus / sizeof kus[0]; k++) {
            if (ku & kus[k].bit)
                sb_add(&b, "%s%s", b.len > 0 ? ", " : "", kus[k].name);
        }
        cf->ku_ds = (ku & KU_DIGITAL_SIGNATURE) != 0;
        cf->ku_ke = (ku & KU_KEY_ENCIPHERMENT) != 0;
        field("key usage", "%s%s", buf[0] != '\0' ? buf : "(none)",
              ext_critical(x, NID_key_usage) ? " (critical)" : "");
    } else {
        field("key usage", "(no extension: any)");
    }

    cf->eku_list[0] = '\0';
    eku = X509_get_ext_d2i(x, NID_ext_key_usage, NULL, NULL);
    cf->has_eku = has_ext(x, NID_ext_key_usage);
    for (int k = 0; eku != NULL && k < sk_ASN1_OBJECT_num(eku); k++) {
        const ASN1_OBJECT *o = sk_ASN1_OBJECT_value(eku, k);
        int nid = OBJ_obj2nid(o);
        char txt[128];

        if (nid != NID_undef)
            snprintf(txt, sizeof txt, "%s", OBJ_nid2sn(nid));
        else
            OBJ_obj2txt(txt, sizeof txt, o, 1);
        sb_add(&e, "%s%s", k > 0 ? ", " : "", txt);
        cf->eku_server |= nid == NID_server_auth;
        cf->eku_client |= nid == NID_client_auth;
        cf->eku_any |= nid == NID_anyExtendedKeyUsage;
    }
    EXTENDED_KEY_USAGE_free(eku);
    if (cf->has_eku)
        field("extended key usage", "%s%s", cf->eku_list[0] != '\0' ? cf->eku_list : "(none)",
              ext_critical(x, NID_ext_key_usage) ? " (critical)" : "");
    else
        field("extended key usage", "(no extension: any)");

    bc = X509_get_ext_d2i(x, NID_basic_constraints, NULL, NULL);
    if (bc == NULL) {
        field("basic constraints", "(no extension: not a CA)");
    } else {
        cf->is_ca = bc->ca != 0;
        if (cf->is_ca && bc->pathlen != NULL)
            field("basic constraints", "CA:TRUE, pathlen:%ld%s", ASN1_INTEGER_get(bc->pathlen),
                  ext_critical(x, NID_basic_constraints) ? " (critical)" : "");
        else
            field("basic constraints", "CA:%s%s", cf->is_ca ? "TRUE" : "FALSE",
                  ext_critical(x, NID_basic_constraints) ? " (critical)" : "");
        BASIC_CONSTRAINTS_free(bc);
    }
}

static void print_key_ids(X509 *x)
{
    const ASN1_OCTET_STRING *ski = X509_get0_subject_key_id(x);
    const ASN1_OCTET_STRING *aki = X509_get0_authority_key_id(x);
    char buf[256];

    if (ski != NULL) {
        hex_colon(ASN1_STRING_get0_data(ski), (size_t)ASN1_STRING_length(ski), buf, sizeof buf);
        field("subject key id", "%s", buf);
    }
    if (aki != NULL) {
        hex_colon(ASN1_STRING_get0_data(aki), (size_t)ASN1_STRING_length(aki), buf, sizeof buf);
        field("authority key id", "%s", buf);
    }
}

static void print_validity(X509 *x, struct cert_facts *cf)
{
    char nb[32], na[32], s[32];
    time_t tb = 0, ta = 0, now = time(NULL);

    time_str(X509_get0_notBefore(x), nb, sizeof nb);
    time_str(X509_get0_notAfter(x), na, sizeof na);
    (void)ca_asn1_time(X509_get0_notBefore(x), &tb);
    (void)ca_asn1_time(X509_get0_notAfter(x), &ta);
    field("valid from", "%s", nb);
    if (now < tb) {
        cf->not_yet = 1;
        span(difftime(tb, now), s, sizeof s);
        field("valid until", "%s (not yet valid: starts in %s)", na, s);
    } else if (now > ta) {
        cf->expired = 1;
        span(difftime(now, ta), s, sizeof s);
        field("valid until", "%s (expired %s ago)", na, s);
    } else {
        span_x(difftime(ta, now), "more ", s, sizeof s);
        field("valid until", "%s (valid for %s)", na, s);
    }
}

/* Whether the certificate can be a TLS server (server=1) or client
 * certificate, and why not. */
static void verdict(const struct cert_facts *cf, int server)
{
    char buf[1024];
    struct sbuf b = {buf, sizeof buf, 0};
    const char *role = server ? "server" : "client";
    int want_eku = server ? cf->eku_server : cf->eku_client;

    buf[0] = '\0';
#define WHY(...) sb_add(&b, "%s", b.len > 0 ? "; " : ""), sb_add(&b, __VA_ARGS__)
    if (cf->is_ca)
        WHY("it is a CA certificate (basicConstraints CA:TRUE), not an end-entity one");
    if (cf->has_eku && !want_eku)
        WHY("not a %s certificate: extended key usage lacks %s (has %s)", role,
            server ? "serverAuth" : "clientAuth",
            cf->eku_list[0] != '\0' ? cf->eku_list : "nothing");
    if (cf->has_ku && !cf->ku_ds)
        WHY("key usage lacks digitalSignature, which TLS 1.3 needs%s",
            server && cf->ku_ke ? " (keyEncipherment alone serves only TLS 1.2 RSA key exchange)"
                                : "");
    if (server && cf->n_dns_ip == 0)
        WHY("it has no DNS or IP subject alternative name (clients ignore the CN)");
    if (cf->rsa_weak)
        WHY("its RSA key is shorter than 2048 bits");
    if (cf->expired)
        WHY("it has expired");
    if (cf->not_yet)
        WHY("it is not valid yet");
#undef WHY
    if (b.len == 0)
        field(server ? "TLS server certificate" : "TLS client certificate", "yes");
    else
        field(server ? "TLS server certificate" : "TLS client certificate", "no: %s", buf);
}

static void print_fingerprint(const char *label, const unsigned char *md, unsigned n)
{
    char buf[256];

    hex_colon(md, n, buf, sizeof buf);
    field(label, "%s", buf);
}

/* ---- --ca: check the chain or the signature --------------------------------------- */

static STACK_OF(X509) *read_all_certs(BIO *b)
{
    STACK_OF(X509) *sk = sk_X509_new_null();
    X509 *x;

    if (sk == NULL)
        return NULL;
    while ((x = PEM_read_bio_X509(b, NULL, NULL, NULL)) != NULL) {
        if (!sk_X509_push(sk, x)) {
            X509_free(x);
            break;
        }
    }
    ERR_clear_error();
    return sk;
}

static STACK_OF(X509) *load_ca_file(const char *path, char *err, size_t cap)
{
    BIO *b = BIO_new_file(path, "r");
    STACK_OF(X509) *sk;

    if (b == NULL) {
        ERR_clear_error();
        ca_errf(err, cap, "--ca: %s: %s", path, strerror(errno));
        return NULL;
    }
    sk = read_all_certs(b);
    BIO_free(b);
    if (sk == NULL || sk_X509_num(sk) == 0) {
        sk_X509_pop_free(sk, X509_free);
        ca_errf(err, cap, "--ca: %s: no PEM certificate in it", path);
        return NULL;
    }
    return sk;
}

/* 0 if the chain verifies against the CAs (no purpose), else 1. */
static int check_chain(X509 *leaf, STACK_OF(X509) *rest, const char *ca_path,
                       STACK_OF(X509) *cas)
{
    X509_STORE *store = X509_STORE_new();
    X509_STORE_CTX *ctx = X509_STORE_CTX_new();
    int ok = 0, err = X509_V_ERR_UNSPECIFIED;

    for (int k = 0; store != NULL && k < sk_X509_num(cas); k++)
        X509_STORE_add_cert(store, sk_X509_value(cas, k));
    if (store != NULL && ctx != NULL && X509_STORE_CTX_init(ctx, store, leaf, rest) == 1) {
        ok = X509_verify_cert(ctx) == 1;
        err = X509_STORE_CTX_get_error(ctx);
    }
    X509_STORE_CTX_free(ctx);
    X509_STORE_free(store);
    ERR_clear_error();
    if (ok)
        field("chain", "verifies against %s", ca_path);
    else
        field("chain", "does NOT verify against %s: %s", ca_path,
              X509_verify_cert_error_string(err));
    return ok ? 0 : 1;
}

/* ---- a certificate ------------------------------------------------------------------- */

static int inspect_cert(const char *path, STACK_OF(X509) *certs, const char *ca_path,
                        STACK_OF(X509) *cas)
{
    X509 *x = sk_X509_value(certs, 0);
    char subject[1024], issuer[1024], serial[80], other[1024];
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int md_len = 0;
    struct cert_facts cf;
    EVP_PKEY *own = X509_get0_pubkey(x);
    int self_signed, n = sk_X509_num(certs), rc = 0;

    memset(&cf, 0, sizeof cf);
    ca_name_str(X509_get_subject_name(x), subject, sizeof subject);
    ca_name_str(X509_get_issuer_name(x), issuer, sizeof issuer);
    self_signed = X509_NAME_cmp(X509_get_subject_name(x), X509_get_issuer_name(x)) == 0 &&
                  own != NULL && X509_verify(x, own) == 1;
    ERR_clear_error();
    if (n > 1) {
        ca_name_str(X509_get_subject_name(sk_X509_value(certs, 1)), other, sizeof other);
        field("certificate", "%s (the first of %d in the file; then %s%s)", path, n, other,
              n > 2 ? ", ..." : "");
    } else {
        field("certificate", "%s", path);
    }
    field("subject", "%s", subject);
    field("issuer", "%s%s", issuer, self_signed ? " (self-signed)" : "");
    if (ca_serial_hex(x, serial, sizeof serial) != 0)
        snprintf(serial, sizeof serial, "?");
    field("serial", "%s", serial);
    print_validity(x, &cf);
    print_names(x, &cf);
    print_key(x, &cf);
    print_usage_exts(x, &cf);
    print_key_ids(x);
    if (X509_digest(x, EVP_sha256(), md, &md_len) == 1)
        print_fingerprint("SHA-256 fingerprint", md, md_len);
    verdict(&cf, 1);
    verdict(&cf, 0);
    if (cas != NULL) {
        STACK_OF(X509) *rest = sk_X509_new_null();

        for (int k = 1; rest != NULL && k < n; k++)
            sk_X509_push(rest, sk_X509_value(certs, k));
        rc = check_chain(x, rest, ca_path, cas);
        sk_X509_free(rest);
    }
    return rc;
}

/* ---- a CRL ----------------------------------------------------------------------------- */

static int inspect_crl(const char *path, X509_CRL *crl, const char *ca_path,
                       STACK_OF(X509) *cas)
{
    STACK_OF(X509_REVOKED) *revs = X509_CRL_get_REVOKED(crl);
    ASN1_INTEGER *num = X509_CRL_get_ext_d2i(crl, NID_crl_number, NULL, NULL);
    const ASN1_TIME *nu = X509_CRL_get0_nextUpdate(crl);
    AUTHORITY_KEYID *akid = X509_CRL_get_ext_d2i(crl, NID_authority_key_identifier, NULL, NULL);
    char issuer[1024], tu[32], nus[32], s[32], buf[256];
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int md_len = 0;
    int n = revs != NULL ? sk_X509_REVOKED_num(revs) : 0, rc = 0;
    time_t t = 0, now = time(NULL);

    ca_name_str(X509_CRL_get_issuer(crl), issuer, sizeof issuer);
    time_str(X509_CRL_get0_lastUpdate(crl), tu, sizeof tu);
    field("CRL", "%s", path);
    field("issuer", "%s", issuer);
    field("version", "%ld", X509_CRL_get_version(crl) + 1);
    if (num != NULL) {
        BIGNUM *bn = ASN1_INTEGER_to_BN(num, NULL);
        char *dec = bn != NULL ? BN_bn2dec(bn) : NULL;

        field("CRL number", "%s", dec != NULL ? dec : "?");
        OPENSSL_free(dec);
        BN_free(bn);
        ASN1_INTEGER_free(num);
    } else {
        field("CRL number", "(none)");
    }
    field("this update", "%s", tu);
    if (nu == NULL) {
        field("next update", "(none)");
    } else {
        time_str(nu, nus, sizeof nus);
        (void)ca_asn1_time(nu, &t);
        span(difftime(t, now), s, sizeof s);
        if (t < now)
            field("next update", "%s (out of date: overdue by %s)", nus, s);
        else
            field("next update", "%s (in %s)", nus, s);
    }
    field("signature", "%s", OBJ_nid2ln(X509_CRL_get_signature_nid(crl)));
    if (akid != NULL && akid->keyid != NULL) {
        hex_colon(ASN1_STRING_get0_data(akid->keyid), (size_t)ASN1_STRING_length(akid->keyid),
                  buf, sizeof buf);
        field("authority key id", "%s", buf);
    }
    AUTHORITY_KEYID_free(akid);
    field("revoked", "%d certificate%s", n, n == 1 ? "" : "s");
    for (int k = 0; k < n; k++) {
        X509_REVOKED *r = sk_X509_REVOKED_value(revs, k);
        ASN1_ENUMERATED *reason = X509_REVOKED_get_ext_d2i(r, NID_crl_reason, NULL, NULL);
        BIGNUM *bn = ASN1_INTEGER_to_BN(X509_REVOKED_get0_serialNumber(r), NULL);
        char *hex = bn != NULL ? BN_bn2hex(bn) : NULL;
        const char *rname = NULL;
        long code = reason != NULL ? ASN1_ENUMERATED_get(reason) : 0;

        rname = ca_reason_name((int)code);
        time_str(X509_REVOKED_get0_revocationDate(r), tu, sizeof tu);
        printf("  %s  %s  %s\n", hex != NULL ? hex : "?", tu,
               reason == NULL ? "(no reason given)" : rname != NULL ? rname : "other reason");
        OPENSSL_free(hex);
        BN_free(bn);
        ASN1_ENUMERATED_free(reason);
    }
    if (X509_CRL_digest(crl, EVP_sha256(), md, &md_len) == 1)
        print_fingerprint("SHA-256 fingerprint", md, md_len);
    if (cas != NULL) {
        int ok = 0;

        for (int k = 0; !ok && k < sk_X509_num(cas); k++) {
            X509 *ca = sk_X509_value(cas, k);
            EVP_PKEY *pub = X509_get0_pubkey(ca);

            ok = X509_NAME_cmp(X509_get_subject_name(ca), X509_CRL_get_issuer(crl)) == 0 &&
                 pub != NULL && X509_CRL_verify(crl, pub) == 1;
        }
        ERR_clear_error();
        field("signature check", ok ? "verifies against %s" : "does NOT verify against %s",
              ca_path);
        rc = ok ? 0 : 1;
    }
    return rc;
}

/* ---- the command ------------------------------------------------------------------------ */

static int read_file(const char *path, unsigned char **data, long *len)
{
    FILE *f = fopen(path, "rb");
    unsigned char *buf = NULL;
    size_t n = 0, cap = 0;

    if (f == NULL)
        return -1;
    for (;;) {
        size_t got;

        if (n == cap) {
            unsigned char *nb;

            if (cap >= (size_t)FILE_MAX) {
                errno = EFBIG;
                goto Fail;
            }
            cap = cap != 0 ? 2 * cap : 65536;
            nb = realloc(buf, cap + 1);
            if (nb == NULL)
                goto Fail;
            buf = nb;
        }
        got = fread(buf + n, 1, cap - n, f);
        n += got;
        if (got == 0)
            break;
    }
    if (ferror(f))
        goto Fail;
    fclose(f);
    buf[n] = '\0';
    *data = buf;
    *len = (long)n;
    return 0;
Fail:
    fclose(f);
    free(buf);
    return -1;
}

static const char *find_marker(const unsigned char *data, long len, const char *m)
{
    size_t ml = strlen(m);

    for (long k = 0; k + (long)ml <= len; k++) {
        if (memcmp(data + k, m, ml) == 0)
            return (const char *)data + k;
    }
    return NULL;
}

static int inspect_data(const char *path, const unsigned char *data, long len,
                        const char *ca_path, STACK_OF(X509) *cas)
{
    const char *cert_at = find_marker(data, len, "-----BEGIN CERTIFICATE-----");
    const char *crl_at = find_marker(data, len, "-----BEGIN X509 CRL-----");
    const char *key_at = find_marker(data, len, "PRIVATE KEY-----");
    STACK_OF(X509) *certs = NULL;
    X509_CRL *crl = NULL;
    BIO *b;
    int rc = CLI_EXIT_FAIL;

    if (crl_at != NULL && (cert_at == NULL || crl_at < cert_at)) {
        b = BIO_new_mem_buf(crl_at, (int)(len - (crl_at - (const char *)data)));
        crl = b != NULL ? PEM_read_bio_X509_CRL(b, NULL, NULL, NULL) : NULL;
        BIO_free(b);
    } else if (cert_at != NULL) {
        b = BIO_new_mem_buf(cert_at, (int)(len - (cert_at - (const char *)data)));
        certs = b != NULL ? read_all_certs(b) : NULL;
        BIO_free(b);
    } else if (key_at != NULL) {
        fprintf(stderr, "%s: %s holds a private key, not a certificate (inspect the .pem "
                "file instead)\n", PROG, path);
        return CLI_EXIT_FAIL;
    } else {
        const unsigned char *p = data;
        X509 *x = d2i_X509(NULL, &p, len);

        if (x != NULL && (certs = sk_X509_new_null()) != NULL && sk_X509_push(certs, x)) {
            x = NULL;
        } else {
            X509_free(x);
            p = data;
            crl = d2i_X509_CRL(NULL, &p, len);
        }
    }
    ERR_clear_error();
    if (certs != NULL && sk_X509_num(certs) > 0)
        rc = inspect_cert(path, certs, ca_path, cas) == 0 ? CLI_EXIT_OK : CLI_EXIT_FAIL;
    else if (crl != NULL)
        rc = inspect_crl(path, crl, ca_path, cas) == 0 ? CLI_EXIT_OK : CLI_EXIT_FAIL;
    else
        fprintf(stderr, "%s: %s: no certificate or CRL in it (PEM or DER)\n", PROG, path);
    sk_X509_pop_free(certs, X509_free);
    X509_CRL_free(crl);
    return rc;
}

int ca_inspect_main(int argc, char **argv)
{
    const char *path = NULL, *ca_path = NULL, *v;
    STACK_OF(X509) *cas = NULL;
    unsigned char *data = NULL;
    char err[CA_ERR_MAX];
    long len = 0;
    int rc, positional_only = 0;

    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];

        if (!positional_only && cli_is_help(a)) {
            ca_inspect_usage(stdout);
            return CLI_EXIT_OK;
        }
        if (!positional_only && strcmp(a, "--") == 0) {
            positional_only = 1;
            continue;
        }
        if (positional_only || a[0] != '-' || a[1] == '\0') {
            if (path != NULL) {
                cli_usage_error(PROG, "unexpected argument '%s' (one FILE at a time)", a);
                return CLI_EXIT_USAGE;
            }
            path = a;
        } else if ((rc = cli_arg_value(PROG, argc, argv, &i, "--ca", &v)) != 0) {
            if (rc < 0)
                return CLI_EXIT_USAGE;
            ca_path = v;
        } else {
            cli_usage_error(PROG, "unknown option '%s'", a);
            return CLI_EXIT_USAGE;
        }
    }
    if (path == NULL) {
        cli_usage_error(PROG, "missing FILE");
        return CLI_EXIT_USAGE;
    }
    if (read_file(path, &data, &len) != 0) {
        fprintf(stderr, "%s: %s: %s\n", PROG, path, strerror(errno));
        return CLI_EXIT_FAIL;
    }
    if (ca_path != NULL && (cas = load_ca_file(ca_path, err, sizeof err)) == NULL) {
        free(data);
        fprintf(stderr, "%s: %s\n", PROG, err);
        return CLI_EXIT_FAIL;
    }
    rc = inspect_data(path, data, len, ca_path, cas);
    sk_X509_pop_free(cas, X509_free);
    free(data);
    return rc;
}
