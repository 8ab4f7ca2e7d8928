/* Which keys and signature schemes a TLS 1.2 cipher suite can use. */
#include "tls12/tls12.h"

int mt_tls12_key_fits_suite(const mt_pkey *k, const mt_suite *suite)
{
    mt_key_type t = mt_pkey_type(k);
    switch (suite->auth) {
    case MT_AUTH_RSA:
        /* RSA key exchange needs an rsaEncryption key; ECDHE_RSA may sign
         * with an RSASSA-PSS key (rsa_pss_pss_*, RFC 8446 4.2.3). */
        return t == MT_KEY_RSA || (suite->kx == MT_KX_ECDHE && t == MT_KEY_RSA_PSS);
    case MT_AUTH_ECDSA: /* RFC 8422: ECDSA, and EdDSA under ECDHE_ECDSA */
        return t == MT_KEY_EC_P256 || t == MT_KEY_EC_P384 || t == MT_KEY_ED25519;
    default:
        return 0;
    }
}

int mt_tls12_cert_usage_fits_suite(const mt_x509 *leaf, const mt_suite *suite)
{
    /* RFC 5246 7.4.2 / RFC 5280: RSA key exchange encrypts to the key
     * (keyEncipherment); ECDHE suites sign with it (digitalSignature). */
    return mt_x509_key_usage_allows(leaf, suite->kx == MT_KX_RSA ? MT_KU_KEY_ENCIPHERMENT
                                                                 : MT_KU_DIGITAL_SIGNATURE);
}

int mt_tls12_scheme_ok(const mt_sig_scheme *s, const mt_pkey *k, const mt_suite *suite)
{
    /* SHA-1 signatures are not used (RFC 9155). */
    if (s == NULL || s->hash == MT_SHA1 || !mt_tls12_key_fits_suite(k, suite))
        return 0;
    return mt_sig_scheme_fits_key_tls12(s, k);
}
