/*
 * Certificates: loading chains and keys, trust stores, and verification of
 * a peer's chain through libcrypto's X509_STORE. The second (and last)
 * place allowed to include <openssl/...>.
 *
 * Every failure yields an alert and a message a person can act on: the
 * reason and the certificate (subject, issuer, validity, names).
 */
#ifndef MT_X509_H
#define MT_X509_H

#include <stddef.h>
#include <stdint.h>

#include "base/error.h"
#include "base/wire.h"
#include "crypto/crypto.h"

typedef struct mt_x509 mt_x509; /* one parsed certificate */

/* 0, or -1 when der is not exactly one DER certificate (no trailing
 * bytes). */
int mt_x509_from_der(const uint8_t *der, size_t len, mt_x509 **out);
void mt_x509_free(mt_x509 *x);
/* The subject public key (new reference) or NULL. */
mt_pkey *mt_x509_public_key(const mt_x509 *x);
/* RFC 4514 strings, malloc'ed; caller frees. */
char *mt_x509_subject(const mt_x509 *x);
char *mt_x509_issuer(const mt_x509 *x);
/* 1 if the certificate is valid for name: a DNS name (RFC 9525: SAN
 * dNSName only, case-insensitive, wildcard only as the whole left-most
 * label) or an IP literal (iPAddress SAN only). */
int mt_x509_matches_name(const mt_x509 *x, const char *name);

/* A chain we present, with its private key. */
typedef struct mt_cert_chain {
    size_t n;          /* number of certificates, leaf first */
    uint8_t **der;     /* DER of each */
    size_t *der_len;
    mt_x509 *leaf;
    mt_pkey *key;      /* private key matching the leaf */
    char *subject;     /* of the leaf, RFC 4514 */
    uint16_t *sig_schemes; /* TLS SignatureScheme each certificate is
                              signed with (0 when it has no TLS name) */
    char **names;      /* DNS SANs of the leaf (its CN when it has no DNS SAN);
                        * informational: matching uses the SANs only */
    size_t names_n;
} mt_cert_chain;

/* Loads a PEM chain (leaf first) and PEM private key; checks that the key
 * matches the leaf. The messages name the file/section at fault. Failures
 * are MUTLS_ERR_CONFIG (MUTLS_ERR_INTERNAL when out of memory), with no
 * alert. Non-certificate PEM blocks in the chain text are skipped. */
int mt_cert_chain_load(const char *chain_pem, size_t chain_len, const char *key_pem,
                       size_t key_len, mt_cert_chain **out, mt_error *e) MT_MUST;
void mt_cert_chain_free(mt_cert_chain *c);
/* 1 if the leaf is valid for the DNS name or IP literal (RFC 9525 rules,
 * as mt_x509_matches_name). */
int mt_cert_chain_matches_name(const mt_cert_chain *c, const char *name);

/* Client side of CertificateRequest: 1 when some certificate of the chain
 * is issued by (its issuer name equals, X509_NAME_cmp) one of the names in
 * the list; 0 otherwise, and for a malformed or empty list. `names` is the
 * body of certificate_authorities (RFC 8446 4.2.4) or of the TLS 1.2
 * CertificateRequest's certificate_authorities field, without the outer
 * length: a sequence of DistinguishedName<1..2^16-1> (2-byte length + DER
 * X.509 Name). An empty list means "any CA" in TLS 1.2: that is for the
 * caller to decide, this returns 0 for it. */
int mt_cert_chain_issued_by(const mt_cert_chain *c, const uint8_t *names, size_t len);
/* Such a list in words, for traces and messages: "CN=Example Client CA;
 * CN=Other CA" (RFC 4514 names joined by "; "), "" for an empty list, and
 * "(malformed name list)" appended where parsing stops. malloc'ed; NULL
 * only on allocation failure. */
char *mt_dn_list_text(const uint8_t *names, size_t len);

/* Key usage (RFC 5280 4.2.1.3): 1 when the certificate has no keyUsage
 * extension or it allows the use. */
#define MT_KU_DIGITAL_SIGNATURE 0x80
#define MT_KU_KEY_ENCIPHERMENT 0x20
int mt_x509_key_usage_allows(const mt_x509 *x, unsigned usage);
/* 1 unless an extended key usage extension leaves out clientAuth. */
int mt_x509_usable_for_client(const mt_x509 *x);

/* The TLS SignatureScheme a certificate's signature uses (for
 * signature_algorithms_cert), or 0. A PSS signature maps to the rsae
 * variant: the signer's key type is not known from the certificate. */
uint16_t mt_x509_signature_scheme(const mt_x509 *x);

/* Trust anchors (an X509_STORE), shared and reference counted. */
typedef struct mt_trust mt_trust;
mt_trust *mt_trust_new(void);
mt_trust *mt_trust_up_ref(mt_trust *t);
void mt_trust_free(mt_trust *t);
/* These fail with MUTLS_ERR_CONFIG and a message when the file/directory
 * cannot be read or holds no certificate. A directory must hold OpenSSL
 * hashed names (1a2b3c4d.0, made by `openssl rehash`). The store must not
 * be changed once it is shared with connections. */
int mt_trust_add_file(mt_trust *t, const char *path, mt_error *e) MT_MUST;
int mt_trust_add_dir(mt_trust *t, const char *path, mt_error *e) MT_MUST;
int mt_trust_add_pem(mt_trust *t, const char *pem, size_t len, mt_error *e) MT_MUST;
/* The system store: /etc/ssl/certs (file ca-certificates.crt and the
 * hashed directory); succeeds when either is usable. */
int mt_trust_add_system(mt_trust *t, mt_error *e) MT_MUST;
/* Certificate revocation lists (PEM, one or more per file/text; a file
 * holding a single DER CRL is accepted too). Adding any CRL turns on
 * revocation checking for every later verification against the store, the
 * way nginx's ssl_crl does (X509_V_FLAG_CRL_CHECK | CRL_CHECK_ALL): every
 * certificate of the chain, the trust anchor included, must then be
 * covered by a current CRL from its issuer, or verification fails with
 * "no CRL loaded for CA CN=...". A client CA that issues leaves directly
 * thus needs exactly its own CRL. MUTLS_ERR_CONFIG with a message when the
 * file cannot be read or holds no CRL. */
int mt_trust_add_crl_file(mt_trust *t, const char *path, mt_error *e) MT_MUST;
int mt_trust_add_crl_pem(mt_trust *t, const char *pem, size_t len, mt_error *e) MT_MUST;

/* Server side of CertificateRequest: appends, for every trust anchor in
 * the store (duplicate subjects once), its subject as a
 * DistinguishedName<1..2^16-1>: 2-byte length + DER X.509 Name, the
 * encoding of each entry of certificate_authorities (RFC 8446 4.2.4) and of
 * the TLS 1.2 CertificateRequest. The caller writes the outer 2-byte
 * length. *count receives the number of names. Returns 0, or -1 (out
 * unchanged) on allocation failure or when the names would not fit in one
 * 2^16-1 vector (the caller should then send no list). Certificates of a
 * trust directory are listed only once a verification has looked them up:
 * configure client CAs from a file or PEM for a stable list. */
int mt_trust_ca_names(const mt_trust *t, mt_buf *out, size_t *count) MT_MUST;
/* The same names in words, "CN=Example Client CA; CN=Other CA" ("" when
 * the store is empty); malloc'ed, NULL on allocation failure. */
char *mt_trust_ca_names_text(const mt_trust *t);

/* What to check the peer's chain for. */
typedef struct mt_verify_params {
    const char *host;  /* DNS name or IP literal; NULL: no name check */
    int64_t now;       /* seconds since the epoch (from the clock hook);
                        * <= 0: the system clock */
    int want_server;   /* 1: serverAuth EKU, 0: clientAuth EKU */
    int max_depth;     /* most intermediate CA certificates between the
                        * leaf and a trust anchor (OpenSSL's verify depth:
                        * a chain has at most max_depth + 2 certificates);
                        * 0: 10 */
    int min_rsa_bits;  /* an RSA (or RSA-PSS) leaf key smaller than this
                        * fails with unsupported_certificate; 0: no check */
} mt_verify_params;

/* Verify the chain (DER, leaf first) against the anchors. On success *leaf
 * (if non-NULL) receives the parsed leaf. On failure the error carries
 * MUTLS_ERR_VERIFY, the alert (bad_certificate, unsupported_certificate,
 * certificate_expired, unknown_ca, ...) and a message such as
 *   "server certificate CN=a.example (issuer CN=Test CA, valid
 *    2025-01-01T00:00:00Z to 2026-01-03T00:00:00Z) expired
 *    2026-01-03T00:00:00Z"
 *   "host name mismatch: certificate CN=a.example is for a.example,
 *    b.example; wanted c.example"
 * `role` ("server" / "client") prefixes the messages. The certificate
 * named is the one at fault (a CA certificate up the chain is named after
 * the leaf: "server certificate CN=leaf: CA certificate CN=ca ...").
 * Alerts: certificate_expired (also not yet valid), unknown_ca,
 * unsupported_certificate (key usage / extended key usage),
 * certificate_revoked, bad_certificate (name mismatch, bad signature,
 * chain longer than max_depth, anything else), decode_error (malformed
 * DER, or an empty server chain), certificate_required (an empty client
 * chain); with CRLs: unknown_ca when no CRL covers a CA of the chain,
 * certificate_unknown for an out-of-date or unverifiable CRL. The name and
 * the RSA key size are checked after the chain itself verifies. For the
 * "client" role an untrusted issuer reads "... issued by CN=x, which is not
 * a trusted client CA (trusted: CN=a; CN=b)". */
int mt_verify_chain(const mt_trust *t, const uint8_t *const *der, const size_t *der_len,
                    size_t n, const mt_verify_params *p, const char *role, mt_x509 **leaf,
                    mt_error *e) MT_MUST;

/* ---- the peer's identity (mutls_peer of mutls.h) ----------------------- */

/* Build the identity from a chain as received (DER, leaf first). NULL when
 * the leaf cannot be parsed (or n is 0) or on allocation failure; the other
 * certificates need not parse (they appear in the PEM as sent). verified
 * starts 0 with the error "not verified". */
mutls_peer *mt_peer_new(const uint8_t *const *der, const size_t *der_len, size_t n);
/* The same with the leaf already parsed (from mt_verify_chain). */
mutls_peer *mt_peer_new_parsed(const mt_x509 *leaf, const uint8_t *const *der,
                               const size_t *der_len, size_t n);
/* verified 1: the error becomes ""; verified 0: the error is copied (NULL
 * or "": "not verified"; on allocation failure it reads "not verified"). */
void mt_peer_set_verified(mutls_peer *p, int verified, const char *error);
void mt_peer_free(mutls_peer *p);

#endif
