/*
 * Cipher suites and groups, and the public name functions of mutls.h.
 */
#include <stddef.h>

#include "crypto/crypto.h"

const mt_suite mt_suites[] = {
#define T13 MUTLS_TLS1_3, MUTLS_TLS1_3, MT_KX_NONE, MT_AUTH_NONE, MT_CIPHER_AEAD, 12, 0, MT_SHA256
    {0x1301, "TLS_AES_128_GCM_SHA256", MT_AES_128_GCM, MT_SHA256, 16, T13},
    {0x1302, "TLS_AES_256_GCM_SHA384", MT_AES_256_GCM, MT_SHA384, 32, T13},
    {0x1303, "TLS_CHACHA20_POLY1305_SHA256", MT_CHACHA20_POLY1305, MT_SHA256, 32, T13},
#undef T13
#define T12 MUTLS_TLS1_2, MUTLS_TLS1_2
#define GCM(kx, au) kx, au, MT_CIPHER_AEAD, 4, 0, MT_SHA256
#define CHACHA(kx, au) kx, au, MT_CIPHER_AEAD, 12, 0, MT_SHA256
#define CBC(kx, au) kx, au, MT_CIPHER_CBC, 0, 20, MT_SHA1
    /* TLS 1.2 (RFC 5288, RFC 7905, RFC 8422, RFC 5246) */
    {0xc02b, "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", MT_AES_128_GCM, MT_SHA256, 16, T12,
     GCM(MT_KX_ECDHE, MT_AUTH_ECDSA)},
    {0xc02f, "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", MT_AES_128_GCM, MT_SHA256, 16, T12,
     GCM(MT_KX_ECDHE, MT_AUTH_RSA)},
    {0xc02c, "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", MT_AES_256_GCM, MT_SHA384, 32, T12,
     GCM(MT_KX_ECDHE, MT_AUTH_ECDSA)},
    {0xc030, "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", MT_AES_256_GCM, MT_SHA384, 32, T12,
     GCM(MT_KX_ECDHE, MT_AUTH_RSA)},
    {0xcca9, "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256", MT_CHACHA20_POLY1305, MT_SHA256, 32,
     T12, CHACHA(MT_KX_ECDHE, MT_AUTH_ECDSA)},
    {0xcca8, "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256", MT_CHACHA20_POLY1305, MT_SHA256, 32,
     T12, CHACHA(MT_KX_ECDHE, MT_AUTH_RSA)},
    {0xc009, "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA", MT_AEAD_COUNT, MT_SHA256, 16, T12,
     CBC(MT_KX_ECDHE, MT_AUTH_ECDSA)},
    {0xc013, "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA", MT_AEAD_COUNT, MT_SHA256, 16, T12,
     CBC(MT_KX_ECDHE, MT_AUTH_RSA)},
    {0xc00a, "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA", MT_AEAD_COUNT, MT_SHA256, 32, T12,
     CBC(MT_KX_ECDHE, MT_AUTH_ECDSA)},
    {0xc014, "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA", MT_AEAD_COUNT, MT_SHA256, 32, T12,
     CBC(MT_KX_ECDHE, MT_AUTH_RSA)},
    /* RSA key exchange: no forward secrecy, off unless asked for. */
    {0x009c, "TLS_RSA_WITH_AES_128_GCM_SHA256", MT_AES_128_GCM, MT_SHA256, 16, T12,
     GCM(MT_KX_RSA, MT_AUTH_RSA)},
    {0x009d, "TLS_RSA_WITH_AES_256_GCM_SHA384", MT_AES_256_GCM, MT_SHA384, 32, T12,
     GCM(MT_KX_RSA, MT_AUTH_RSA)},
    {0x002f, "TLS_RSA_WITH_AES_128_CBC_SHA", MT_AEAD_COUNT, MT_SHA256, 16, T12,
     CBC(MT_KX_RSA, MT_AUTH_RSA)},
    {0x0035, "TLS_RSA_WITH_AES_256_CBC_SHA", MT_AEAD_COUNT, MT_SHA256, 32, T12,
     CBC(MT_KX_RSA, MT_AUTH_RSA)},
#undef T12
#undef GCM
#undef CHACHA
#undef CBC
};
const size_t mt_suites_count = sizeof(mt_suites) / sizeof(mt_suites[0]);

const mt_group mt_groups[] = {
    {MT_GROUP_X25519, "x25519", "X25519", 32},
    {MT_GROUP_SECP256R1, "secp256r1", "P-256", 65},
    {MT_GROUP_SECP384R1, "secp384r1", "P-384", 97},
};
const size_t mt_groups_count = sizeof(mt_groups) / sizeof(mt_groups[0]);

/* Locale-independent: configuration strings are ASCII names. */
static int name_eq(const char *a, const char *b)
{
    for (;; a++, b++) {
        int ca = (unsigned char)*a, cb = (unsigned char)*b;
        if (ca >= 'A' && ca <= 'Z')
            ca += 'a' - 'A';
        if (cb >= 'A' && cb <= 'Z')
            cb += 'a' - 'A';
        if (ca != cb)
            return 0;
        if (ca == 0)
            return 1;
    }
}

const mt_suite *mt_suite_find(uint16_t code)
{
    size_t i;
    for (i = 0; i < mt_suites_count; i++)
        if (mt_suites[i].code == code)
            return &mt_suites[i];
    return NULL;
}

const mt_suite *mt_suite_by_name(const char *name)
{
    size_t i;
    if (name == NULL)
        return NULL;
    for (i = 0; i < mt_suites_count; i++)
        if (name_eq(mt_suites[i].name, name))
            return &mt_suites[i];
    return NULL;
}

const mt_group *mt_group_find(uint16_t code)
{
    size_t i;
    for (i = 0; i < mt_groups_count; i++)
        if (mt_groups[i].code == code)
            return &mt_groups[i];
    return NULL;
}

const mt_group *mt_group_by_name(const char *name)
{
    size_t i;
    if (name == NULL)
        return NULL;
    for (i = 0; i < mt_groups_count; i++)
        if (name_eq(mt_groups[i].name, name) || name_eq(mt_groups[i].alias, name))
            return &mt_groups[i];
    return NULL;
}

const char *mutls_cipher_suite_name(uint16_t suite)
{
    const mt_suite *s = mt_suite_find(suite);
    return s != NULL ? s->name : NULL;
}

const char *mutls_group_name(uint16_t group)
{
    /* Groups peers offer that mutls does not implement still get their
     * IANA name, so that traces and errors read well. */
    static const struct {
        uint16_t code;
        const char *name;
    } others[] = {
        {0x0019, "secp521r1"}, {0x001e, "x448"},      {0x0100, "ffdhe2048"},
        {0x0101, "ffdhe3072"}, {0x0102, "ffdhe4096"}, {0x0103, "ffdhe6144"},
        {0x0104, "ffdhe8192"}, {0x6399, "X25519Kyber768Draft00"}, {0x11ec, "X25519MLKEM768"},
    };
    const mt_group *g = mt_group_find(group);
    if (g != NULL)
        return g->name;
    for (size_t i = 0; i < sizeof(others) / sizeof(others[0]); i++)
        if (others[i].code == group)
            return others[i].name;
    return NULL;
}

const char *mutls_sig_scheme_name(uint16_t scheme)
{
    const mt_sig_scheme *s = mt_sig_scheme_find(scheme);
    return s != NULL ? s->name : NULL;
}

const char *mutls_version_name(uint16_t version)
{
    switch (version) {
    case MUTLS_TLS1_3: return "TLSv1.3";
    case MUTLS_TLS1_2: return "TLSv1.2";
    default: return NULL;
    }
}
