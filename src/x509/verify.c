/*
 * Verification of a peer's chain: libcrypto builds and checks the path
 * (signatures, validity at the given instant, basic constraints, key usage
 * and extended key usage for the TLS role); we then check the name. Each
 * failure becomes an alert for the peer and, for the application only, a
 * message naming the reason and the certificate at fault.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>
#include <openssl/x509v3.h>

#include "x509/internal.h"

#define LABEL_MAX 256
#define DEFAULT_MAX_DEPTH 10

/* "YYYY-MM-DDTHH:MM:SSZ" of a time_t. */
static void unix_time_str(int64_t t, char buf[32])
{
    ASN1_TIME *a = ASN1_TIME_set(NULL, (time_t)t);
    mt_x509_time_str(a, buf);
    ASN1_TIME_free(a);
}

/* The alert for a libcrypto verification error. */
static int alert_for(int err)
{
    switch (err) {
    case X509_V_ERR_CERT_HAS_EXPIRED:
    case X509_V_ERR_CERT_NOT_YET_VALID:
        return MT_ALERT_CERTIFICATE_EXPIRED;
    case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT:
    case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY:
    case X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE:
    case X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT:
    case X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN:
    case X509_V_ERR_CERT_UNTRUSTED:
    case X509_V_ERR_CERT_REJECTED:
        return MT_ALERT_UNKNOWN_CA;
    case X509_V_ERR_INVALID_PURPOSE:
        return MT_ALERT_UNSUPPORTED_CERTIFICATE;
    case X509_V_ERR_CERT_REVOKED:
        return MT_ALERT_CERTIFICATE_REVOKED;
    /* revocation checking: no CRL for a CA is an unknown CA to the peer,
     * as OpenSSL's libssl says; a stale or unverifiable CRL is our
     * problem, not the certificate's */
    case X509_V_ERR_UNABLE_TO_GET_CRL:
        return MT_ALERT_UNKNOWN_CA;
    case X509_V_ERR_CRL_HAS_EXPIRED:
    case X509_V_ERR_CRL_NOT_YET_VALID:
    case X509_V_ERR_CRL_SIGNATURE_FAILURE:
    case X509_V_ERR_UNABLE_TO_DECRYPT_CRL_SIGNATURE:
    case X509_V_ERR_ERROR_IN_CRL_LAST_UPDATE_FIELD:
    case X509_V_ERR_ERROR_IN_CRL_NEXT_UPDATE_FIELD:
    case X509_V_ERR_UNABLE_TO_GET_CRL_ISSUER:
    case X509_V_ERR_KEYUSAGE_NO_CRL_SIGN:
    case X509_V_ERR_DIFFERENT_CRL_SCOPE:
    case X509_V_ERR_UNHANDLED_CRITICAL_CRL_EXTENSION:
    case X509_V_ERR_CRL_PATH_VALIDATION_ERROR:
        return MT_ALERT_CERTIFICATE_UNKNOWN;
    case X509_V_ERR_CERT_CHAIN_TOO_LONG:
        return MT_ALERT_BAD_CERTIFICATE;
    case X509_V_ERR_HOSTNAME_MISMATCH:
    case X509_V_ERR_IP_ADDRESS_MISMATCH:
    case X509_V_ERR_CERT_SIGNATURE_FAILURE:
    default:
        return MT_ALERT_BAD_CERTIFICATE;
    }
}

typedef struct {
    const char *role;     /* "server" / "client" */
    char leaf[LABEL_MAX]; /* subject of the leaf */
    char now[32];         /* the instant checked */
    int want_server;
    int max_depth;        /* effective verify depth */
    const mt_trust *trust;
    X509_STORE_CTX *ctx;  /* after a failed X509_verify_cert */
} vctx;

/* The CRLs the store holds for an issuer name (may be NULL). */
static STACK_OF(X509_CRL) *crls_of(const vctx *v, const X509_NAME *issuer)
{
    STACK_OF(X509_CRL) *crls;
    if (v->ctx == NULL || issuer == NULL)
        return NULL;
    crls = X509_STORE_CTX_get1_crls(v->ctx, issuer);
    ERR_clear_error();
    return crls;
}

static const char *crl_reason_name(long r)
{
    switch (r) {
    case 0: return "unspecified";
    case 1: return "keyCompromise";
    case 2: return "cACompromise";
    case 3: return "affiliationChanged";
    case 4: return "superseded";
    case 5: return "cessationOfOperation";
    case 6: return "certificateHold";
    case 8: return "removeFromCRL";
    case 9: return "privilegeWithdrawn";
    case 10: return "aACompromise";
    default: return "unknown reason";
    }
}

/* " on 2024-01-01T00:00:00Z (reason: keyCompromise)" from the CRL entry
 * that revokes cert, or "" when it cannot be found again. */
static void revocation_str(const vctx *v, X509 *cert, char *buf, size_t size)
{
    STACK_OF(X509_CRL) *crls = crls_of(v, X509_get_issuer_name(cert));
    int i;

    buf[0] = '\0';
    for (i = 0; i < sk_X509_CRL_num(crls); i++) {
        X509_REVOKED *rev = NULL;
        char when[32];
        if (X509_CRL_get0_by_cert(sk_X509_CRL_value(crls, i), &rev, cert) != 1 || rev == NULL)
            continue;
        mt_x509_time_str(X509_REVOKED_get0_revocationDate(rev), when);
        ASN1_ENUMERATED *reason = X509_REVOKED_get_ext_d2i(rev, NID_crl_reason, NULL, NULL);
        if (reason != NULL)
            snprintf(buf, size, " on %s (reason: %s)", when,
                     crl_reason_name(ASN1_ENUMERATED_get(reason)));
        else
            snprintf(buf, size, " on %s", when);
        ASN1_ENUMERATED_free(reason);
        break;
    }
    sk_X509_CRL_pop_free(crls, X509_CRL_free);
    ERR_clear_error();
}

/* " (lastUpdate ..., nextUpdate ...)" of the newest CRL from issuer. */
static void crl_dates_str(const vctx *v, const X509_NAME *issuer, char *buf, size_t size)
{
    STACK_OF(X509_CRL) *crls = crls_of(v, issuer);
    X509_CRL *best = NULL;
    int i;

    buf[0] = '\0';
    for (i = 0; i < sk_X509_CRL_num(crls); i++) {
        X509_CRL *c = sk_X509_CRL_value(crls, i);
        if (best == NULL ||
            ASN1_TIME_compare(X509_CRL_get0_lastUpdate(c), X509_CRL_get0_lastUpdate(best)) > 0)
            best = c;
    }
    if (best != NULL) {
        char lu[32], nu[32];
        mt_x509_time_str(X509_CRL_get0_lastUpdate(best), lu);
        if (X509_CRL_get0_nextUpdate(best) != NULL)
            mt_x509_time_str(X509_CRL_get0_nextUpdate(best), nu);
        else
            snprintf(nu, sizeof(nu), "none");
        snprintf(buf, size, " (lastUpdate %s, nextUpdate %s; checked at %s)", lu, nu, v->now);
    }
    sk_X509_CRL_pop_free(crls, X509_CRL_free);
    ERR_clear_error();
}

/* "CN=a; CN=b" of the trusted CAs (truncated with "..."), for the client
 * role's messages. */
static void trusted_str(const vctx *v, char *buf, size_t size)
{
    char *s = v->trust != NULL ? mt_trust_ca_names_text(v->trust) : NULL;
    buf[0] = '\0';
    if (s == NULL || s[0] == '\0') {
        mt_x509_append(buf, size, "none");
    } else if (strlen(s) < size) {
        mt_x509_append(buf, size, s);
    } else {
        mt_x509_append(buf, size, s);
        if (size > 4)
            memcpy(buf + size - 4, "...", 4);
    }
    free(s);
}

/* "server certificate CN=leaf" or, for a certificate up the chain,
 * "server certificate CN=leaf: CA certificate CN=ca". */
static void who(const vctx *v, X509 *cert, int depth, char *buf, size_t size)
{
    char label[LABEL_MAX];
    snprintf(buf, size, "%s certificate %s", v->role, v->leaf);
    if (depth > 0 && cert != NULL) {
        mt_x509_label(cert, label, sizeof(label));
        mt_x509_append(buf, size, ": CA certificate ");
        mt_x509_append(buf, size, label);
    }
}

static int fail_verify(mt_error *e, const vctx *v, X509 *cert, int depth, int err)
{
    char w[2 * LABEL_MAX + 64], issuer[LABEL_MAX], nb[32], na[32];
    char *iss;
    int alert = alert_for(err);
    int code = MUTLS_ERR_VERIFY;

    who(v, cert, depth, w, sizeof(w));
    iss = cert != NULL ? mt_x509_name_str(X509_get_issuer_name(cert)) : NULL;
    snprintf(issuer, sizeof(issuer), "%s", iss != NULL && iss[0] != '\0' ? iss : "(no issuer)");
    free(iss);
    mt_x509_time_str(cert != NULL ? X509_get0_notBefore(cert) : NULL, nb);
    mt_x509_time_str(cert != NULL ? X509_get0_notAfter(cert) : NULL, na);

    /* First the reasons whose words depend on the role or need more than
     * the certificate (revocation entry, CRL dates, depth); the others
     * (break) read the same for both roles, below. */
    switch (err) {
    case X509_V_ERR_CERT_HAS_EXPIRED:
        return mt_fail(e, code, alert, "%s (issuer %s, valid %s to %s) expired %s (checked at %s)",
                       w, issuer, nb, na, na, v->now);
    case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT:
    case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY:
    case X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE:
    case X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT:
    case X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN:
        if (!v->want_server) { /* name the client CAs we do trust */
            char trusted[320], root[LABEL_MAX];
            trusted_str(v, trusted, sizeof(trusted));
            if (err == X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT)
                return mt_fail(e, code, alert,
                               "%s is self-signed and not a trusted client CA (trusted client "
                               "CAs: %s)",
                               w, trusted);
            if (err == X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN) {
                mt_x509_label(cert, root, sizeof(root));
                return mt_fail(e, code, alert,
                               "%s certificate %s: its chain ends at self-signed %s, which is "
                               "not a trusted client CA (trusted client CAs: %s)",
                               v->role, v->leaf, root, trusted);
            }
            return mt_fail(e, code, alert,
                           "%s issued by %s, which is not a trusted client CA (trusted client "
                           "CAs: %s)",
                           w, issuer, trusted);
        }
        break;
    case X509_V_ERR_CERT_REVOKED: {
        char *serial = cert != NULL ? mt_x509_serial_str(X509_get0_serialNumber(cert)) : NULL;
        char when[128];
        revocation_str(v, cert, when, sizeof(when));
        mt_fail(e, code, alert, "%s (issuer %s, serial %s) was revoked%s", w, issuer,
                serial != NULL ? serial : "?", when);
        free(serial);
        return e->code;
    }
    case X509_V_ERR_CERT_CHAIN_TOO_LONG:
        return mt_fail(e, code, alert,
                       "%s certificate chain is longer than the maximum depth of %d (%s "
                       "certificate %s; at most %d intermediate CA certificate%s between the "
                       "leaf and a trust anchor)",
                       v->role, v->max_depth, v->role, v->leaf, v->max_depth,
                       v->max_depth == 1 ? "" : "s");
    case X509_V_ERR_UNABLE_TO_GET_CRL:
        return mt_fail(e, code, alert,
                       "%s: no CRL loaded for CA %s (revocation checking is on: every CA of "
                       "the chain, the trust anchor included, needs a current CRL)",
                       w, issuer);
    case X509_V_ERR_CRL_HAS_EXPIRED:
    case X509_V_ERR_CRL_NOT_YET_VALID: {
        char dates[160];
        crl_dates_str(v, cert != NULL ? X509_get_issuer_name(cert) : NULL, dates, sizeof(dates));
        return mt_fail(e, code, alert, "%s: the CRL of CA %s %s%s", w, issuer,
                       err == X509_V_ERR_CRL_HAS_EXPIRED ? "is out of date: load a newer one"
                                                         : "is not yet valid",
                       dates);
    }
    case X509_V_ERR_CRL_SIGNATURE_FAILURE:
    case X509_V_ERR_UNABLE_TO_DECRYPT_CRL_SIGNATURE:
        return mt_fail(e, code, alert, "%s: the CRL of CA %s has an invalid signature", w,
                       issuer);
    case X509_V_ERR_UNABLE_TO_GET_CRL_ISSUER:
    case X509_V_ERR_KEYUSAGE_NO_CRL_SIGN:
    case X509_V_ERR_DIFFERENT_CRL_SCOPE:
    case X509_V_ERR_UNHANDLED_CRITICAL_CRL_EXTENSION:
    case X509_V_ERR_CRL_PATH_VALIDATION_ERROR:
    case X509_V_ERR_ERROR_IN_CRL_LAST_UPDATE_FIELD:
    case X509_V_ERR_ERROR_IN_CRL_NEXT_UPDATE_FIELD:
        return mt_fail(e, code, alert, "%s: the CRL of CA %s cannot be used: %s", w, issuer,
                       X509_verify_cert_error_string(err));
    default:
        break;
    }

    switch (err) {
    case X509_V_ERR_CERT_NOT_YET_VALID:
        return mt_fail(e, code, alert,
                       "%s is not yet valid: valid from %s to %s (issuer %s; checked at %s)", w,
                       nb, na, issuer, v->now);
    case X509_V_ERR_ERROR_IN_CERT_NOT_BEFORE_FIELD:
    case X509_V_ERR_ERROR_IN_CERT_NOT_AFTER_FIELD:
        return mt_fail(e, code, alert, "%s (issuer %s) has a malformed validity period", w,
                       issuer);
    case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT:
    case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY:
    case X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE:
        return mt_fail(e, code, alert, "%s issued by %s, which is not a trusted CA", w, issuer);
    case X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT:
        return mt_fail(e, code, alert, "%s is self-signed and not a trusted CA", w);
    case X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN: {
        char root[LABEL_MAX];
        mt_x509_label(cert, root, sizeof(root));
        return mt_fail(e, code, alert,
                       "%s certificate %s: its chain ends at self-signed %s, which is not a "
                       "trusted CA",
                       v->role, v->leaf, root);
    }
    case X509_V_ERR_CERT_UNTRUSTED:
    case X509_V_ERR_CERT_REJECTED:
        return mt_fail(e, code, alert, "%s: the chain's CA is not trusted for TLS %s authentication",
                       w, v->want_server ? "server" : "client");
    case X509_V_ERR_INVALID_PURPOSE: {
        char usage[256];
        uint32_t need = v->want_server ? XKU_SSL_SERVER : XKU_SSL_CLIENT;
        int eku_bad = depth == 0 && cert != NULL &&
                      (X509_get_extension_flags(cert) & EXFLAG_XKUSAGE) &&
                      !(X509_get_extended_key_usage(cert) & need);
        if (eku_bad || depth > 0) {
            mt_x509_eku_str(cert, usage, sizeof(usage));
            return mt_fail(e, code, alert,
                           "%s is not valid for TLS %s authentication (extended key usage: %s)",
                           w, v->want_server ? "server" : "client", usage);
        }
        mt_x509_ku_str(cert, usage, sizeof(usage));
        return mt_fail(e, code, alert,
                       "%s is not valid for TLS %s authentication (key usage: %s)", w,
                       v->want_server ? "server" : "client", usage);
    }
    case X509_V_ERR_CERT_SIGNATURE_FAILURE:
        return mt_fail(e, code, alert, "%s has an invalid signature (issuer %s)", w, issuer);
    case X509_V_ERR_INVALID_CA:
        return mt_fail(e, code, alert, "%s is used as an issuer but is not a CA certificate", w);
    case X509_V_ERR_PATH_LENGTH_EXCEEDED:
        return mt_fail(e, code, alert, "%s: the chain exceeds a CA's path length constraint", w);
    default:
        return mt_fail(e, code, alert, "%s (issuer %s): %s", w, issuer,
                       X509_verify_cert_error_string(err));
    }
}

static int fail_name(mt_error *e, const vctx *v, X509 *leaf, const char *host)
{
    char names[512];
    unsigned char ip[16];
    size_t ip_len, n;
    int is_ip = mt_x509_parse_ip(host, ip, &ip_len);

    names[0] = '\0';
    n = mt_x509_list_names(leaf, 1, names, sizeof(names));
    if (n == 0)
        return mt_fail(e, MUTLS_ERR_VERIFY, MT_ALERT_BAD_CERTIFICATE,
                       "%s mismatch: %s certificate %s has no DNS or IP subjectAltName (the "
                       "CN is not used); wanted %s",
                       is_ip ? "IP address" : "host name", v->role, v->leaf, host);
    return mt_fail(e, MUTLS_ERR_VERIFY, MT_ALERT_BAD_CERTIFICATE,
                   "%s mismatch: %s certificate %s is for %s; wanted %s",
                   is_ip ? "IP address" : "host name", v->role, v->leaf, names, host);
}

int mt_verify_chain(const mt_trust *t, const uint8_t *const *der, const size_t *der_len,
                    size_t n, const mt_verify_params *p, const char *role, mt_x509 **leaf,
                    mt_error *e)
{
    X509 **certs = NULL;
    STACK_OF(X509) *untrusted = NULL;
    X509_STORE_CTX *ctx = NULL;
    vctx v;
    size_t i;
    int ret = 0, r;

    if (leaf != NULL)
        *leaf = NULL;
    memset(&v, 0, sizeof(v));
    v.role = role != NULL ? role : "peer";
    v.want_server = p != NULL ? p->want_server : (role != NULL && strcmp(role, "server") == 0);
    v.max_depth = p != NULL && p->max_depth > 0 ? p->max_depth : DEFAULT_MAX_DEPTH;
    v.trust = t;
    unix_time_str(p != NULL && p->now > 0 ? p->now : (int64_t)time(NULL), v.now);
    ERR_clear_error();

    if (n == 0 || der == NULL || der_len == NULL) {
        /* RFC 8446 4.4.2.4: an empty server Certificate is a decode_error;
         * an empty client Certificate means none was sent. */
        return mt_fail(e, MUTLS_ERR_VERIFY,
                       v.want_server ? MT_ALERT_DECODE_ERROR : MT_ALERT_CERTIFICATE_REQUIRED,
                       "the %s sent no certificate", v.role);
    }
    certs = calloc(n, sizeof(*certs));
    untrusted = sk_X509_new_null();
    ctx = X509_STORE_CTX_new();
    if (certs == NULL || untrusted == NULL || ctx == NULL)
        goto Nomem;
    for (i = 0; i < n; i++) {
        const unsigned char *q = der[i];
        if (der[i] == NULL || der_len[i] == 0 || der_len[i] > 0x7fffffff ||
            (certs[i] = d2i_X509(NULL, &q, (long)der_len[i])) == NULL ||
            (size_t)(q - der[i]) != der_len[i]) {
            ERR_clear_error();
            if (i == 0)
                ret = mt_fail(e, MUTLS_ERR_VERIFY, MT_ALERT_DECODE_ERROR,
                              "%s certificate is malformed (not a DER X.509 certificate, %zu "
                              "bytes)",
                              v.role, der_len[i]);
            else
                ret = mt_fail(e, MUTLS_ERR_VERIFY, MT_ALERT_DECODE_ERROR,
                              "certificate #%zu of the %s chain is malformed (not a DER X.509 "
                              "certificate, %zu bytes)",
                              i + 1, v.role, der_len[i]);
            goto Exit;
        }
        if (i > 0 && !sk_X509_push(untrusted, certs[i]))
            goto Nomem;
    }
    mt_x509_label(certs[0], v.leaf, sizeof(v.leaf));
    if (X509_get0_pubkey(certs[0]) == NULL) {
        ERR_clear_error();
        ret = mt_fail(e, MUTLS_ERR_VERIFY, MT_ALERT_BAD_CERTIFICATE,
                      "%s certificate %s has a public key that cannot be parsed", v.role, v.leaf);
        goto Exit;
    }
    if (t == NULL) {
        ret = mt_fail(e, MUTLS_ERR_VERIFY, MT_ALERT_UNKNOWN_CA,
                      "%s certificate %s cannot be verified: no trust anchors are configured",
                      v.role, v.leaf);
        goto Exit;
    }

    if (!X509_STORE_CTX_init(ctx, mt_trust_store(t), certs[0], untrusted))
        goto Nomem;
    if (p != NULL && p->now > 0)
        X509_VERIFY_PARAM_set_time(X509_STORE_CTX_get0_param(ctx), (time_t)p->now);
    /* the store's flags (CRL checking, when it has CRLs) are inherited */
    X509_VERIFY_PARAM_set_depth(X509_STORE_CTX_get0_param(ctx), v.max_depth);
    if (!X509_STORE_CTX_set_purpose(ctx, v.want_server ? X509_PURPOSE_SSL_SERVER
                                                        : X509_PURPOSE_SSL_CLIENT))
        goto Nomem;

    r = X509_verify_cert(ctx);
    if (r != 1) {
        int err = X509_STORE_CTX_get_error(ctx);
        int depth = X509_STORE_CTX_get_error_depth(ctx);
        X509 *cur = X509_STORE_CTX_get_current_cert(ctx);
        STACK_OF(X509) *chain = X509_STORE_CTX_get0_chain(ctx);
        ERR_clear_error();
        if (err == X509_V_OK) {
            ret = mt_fail(e, MUTLS_ERR_INTERNAL, MT_ALERT_INTERNAL_ERROR,
                          "internal error verifying %s certificate %s", v.role, v.leaf);
            goto Exit;
        }
        if (depth < 0)
            depth = 0;
        if (cur == NULL && chain != NULL && depth < sk_X509_num(chain))
            cur = sk_X509_value(chain, depth);
        if (cur == NULL)
            cur = certs[0];
        if (cur == certs[0] || X509_cmp(cur, certs[0]) == 0)
            depth = 0;
        v.ctx = ctx;
        ret = fail_verify(e, &v, cur, depth, err);
        goto Exit;
    }

    if (p != NULL && p->min_rsa_bits > 0) {
        EVP_PKEY *k = X509_get0_pubkey(certs[0]);
        int id = k != NULL ? EVP_PKEY_get_base_id(k) : EVP_PKEY_NONE;
        int bits = k != NULL ? EVP_PKEY_get_bits(k) : 0;
        if ((id == EVP_PKEY_RSA || id == EVP_PKEY_RSA_PSS) && bits < p->min_rsa_bits) {
            ret = mt_fail(e, MUTLS_ERR_VERIFY, MT_ALERT_UNSUPPORTED_CERTIFICATE,
                          "%s certificate %s has a %d-bit %s key; at least %d bits are required",
                          v.role, v.leaf, bits, id == EVP_PKEY_RSA ? "RSA" : "RSA-PSS",
                          p->min_rsa_bits);
            goto Exit;
        }
    }

    if (p != NULL && p->host != NULL && !mt_x509_match_host(certs[0], p->host)) {
        ret = fail_name(e, &v, certs[0], p->host);
        goto Exit;
    }

    if (leaf != NULL) {
        X509_up_ref(certs[0]);
        if ((*leaf = mt_x509_wrap(certs[0])) == NULL)
            goto Nomem;
    }
    goto Exit;

Nomem:
    ret = mt_fail(e, MUTLS_ERR_INTERNAL, MT_ALERT_INTERNAL_ERROR,
                  "out of memory verifying the %s certificate", v.role);
Exit:
    ERR_clear_error();
    X509_STORE_CTX_free(ctx);
    sk_X509_free(untrusted); /* the certificates are freed below */
    if (certs != NULL)
        for (i = 0; i < n; i++)
            X509_free(certs[i]);
    free(certs);
    return ret;
}
