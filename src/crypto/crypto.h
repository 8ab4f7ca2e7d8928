/*
 * The one door to OpenSSL's libcrypto. Nothing outside src/crypto/ and
 * src/x509/ includes <openssl/...>; the protocol code sees only the opaque
 * types and const descriptor tables declared here.
 *
 * Algorithms are fetched once per configuration (mt_crypto) and reused by
 * every connection made from it; per-record operations do not allocate.
 * Every function that can fail returns 0 on success and -1 on failure.
 */
#ifndef MT_CRYPTO_H
#define MT_CRYPTO_H

#include <stddef.h>
#include <stdint.h>

#include "base/error.h"
#include "base/wire.h"

/* ---- secrets ----------------------------------------------------------- */

void mt_wipe(void *p, size_t n);                             /* OPENSSL_cleanse */
int mt_ct_equal(const void *a, const void *b, size_t n);     /* 1 if equal     */

/* ---- randomness (the hook) --------------------------------------------- */

typedef struct mt_rng {
    int (*fn)(void *ctx, uint8_t *out, size_t len); /* NULL: libcrypto RAND_bytes */
    void *ctx;
} mt_rng;
int mt_random(const mt_rng *rng, uint8_t *out, size_t len) MT_MUST;

/* ---- algorithms fetched once per configuration ------------------------- */

typedef struct mt_crypto mt_crypto;
mt_crypto *mt_crypto_new(void);
void mt_crypto_free(mt_crypto *cx);

/* ---- hashes, HMAC, HKDF ------------------------------------------------ */

typedef enum { MT_SHA256 = 0, MT_SHA384 = 1, MT_SHA512 = 2, MT_SHA1 = 3, MT_HASH_COUNT } mt_hash_id;
#define MT_MAX_HASH 64
size_t mt_hash_size(mt_hash_id h);

/* A running hash (the transcript). */
typedef struct mt_hash mt_hash;
mt_hash *mt_hash_new(const mt_crypto *cx, mt_hash_id h);
void mt_hash_free(mt_hash *hc);
/* An independent copy of the running hash (post-handshake transcripts). */
mt_hash *mt_hash_dup(const mt_hash *hc);
int mt_hash_update(mt_hash *hc, const uint8_t *p, size_t n) MT_MUST;
/* The digest of everything so far; the running hash continues. */
int mt_hash_peek(const mt_hash *hc, uint8_t *out) MT_MUST;
int mt_hash_oneshot(const mt_crypto *cx, mt_hash_id h, const uint8_t *p, size_t n,
                    uint8_t *out) MT_MUST;

/* SHA-256 without a configuration (session export, ticket hashes). */
int mt_sha256(const uint8_t *p, size_t n, uint8_t out[32]) MT_MUST;

int mt_hmac(const mt_crypto *cx, mt_hash_id h, const uint8_t *key, size_t key_len,
            const uint8_t *data, size_t len, uint8_t *out) MT_MUST;
/* RFC 5869. out is mt_hash_size(h) bytes. salt may be NULL (zeros). */
int mt_hkdf_extract(const mt_crypto *cx, mt_hash_id h, const uint8_t *salt, size_t salt_len,
                    const uint8_t *ikm, size_t ikm_len, uint8_t *out) MT_MUST;
int mt_hkdf_expand(const mt_crypto *cx, mt_hash_id h, const uint8_t *prk, size_t prk_len,
                   const uint8_t *info, size_t info_len, uint8_t *out, size_t out_len) MT_MUST;

/* ---- AEAD (record protection) ------------------------------------------ */

typedef enum { MT_AES_128_GCM = 0, MT_AES_256_GCM = 1, MT_CHACHA20_POLY1305 = 2, MT_AEAD_COUNT } mt_aead_id;
#define MT_AEAD_TAG_LEN 16
#define MT_AEAD_NONCE_LEN 12
#define MT_MAX_KEY_LEN 32
size_t mt_aead_key_len(mt_aead_id a);

/* One direction's cipher context, keyed once; nonce per record. */
typedef struct mt_aead mt_aead;
mt_aead *mt_aead_new(const mt_crypto *cx, mt_aead_id a, int encrypt, const uint8_t *key);
void mt_aead_free(mt_aead *c); /* wipes the key schedule */
/* out must have room for len + MT_AEAD_TAG_LEN; in == out is allowed. */
int mt_aead_seal(mt_aead *c, const uint8_t nonce[MT_AEAD_NONCE_LEN], const uint8_t *aad,
                 size_t aad_len, const uint8_t *in, size_t len, uint8_t *out) MT_MUST;
/* in holds ciphertext || tag (len >= tag); writes len - tag bytes to out.
 * -1 when authentication fails. in == out is allowed. */
int mt_aead_open(mt_aead *c, const uint8_t nonce[MT_AEAD_NONCE_LEN], const uint8_t *aad,
                 size_t aad_len, const uint8_t *in, size_t len, uint8_t *out) MT_MUST;

/* ---- TLS 1.2 CBC record protection (AES-CBC + HMAC) ---------------------- */

#define MT_CBC_BLOCK 16
typedef struct mt_cbc mt_cbc;
/* AES-128-CBC (key_len 16) or AES-256-CBC (32), no padding. */
mt_cbc *mt_cbc_new(const mt_crypto *cx, size_t key_len, int encrypt, const uint8_t *key);
/* len must be a multiple of the block size; in == out is allowed. */
int mt_cbc_crypt(mt_cbc *c, const uint8_t iv[MT_CBC_BLOCK], const uint8_t *in, size_t len,
                 uint8_t *out) MT_MUST;
void mt_cbc_free(mt_cbc *c);

/* A keyed HMAC, reused record after record without allocating. */
typedef struct mt_mac mt_mac;
mt_mac *mt_mac_new(const mt_crypto *cx, mt_hash_id h, const uint8_t *key, size_t key_len);
int mt_mac_start(mt_mac *m) MT_MUST;
int mt_mac_update(mt_mac *m, const uint8_t *p, size_t n) MT_MUST;
int mt_mac_finish(mt_mac *m, uint8_t *out) MT_MUST; /* mt_hash_size bytes */
/* Run `blocks` compression-function calls of the MAC's hash on dummy data,
 * so that a MAC over a secret-dependent length can be padded to constant
 * work (Lucky 13); at most 300 blocks per call. */
int mt_mac_dummy_blocks(mt_mac *m, size_t blocks) MT_MUST;
size_t mt_mac_block_size(const mt_mac *m);
void mt_mac_free(mt_mac *m); /* wipes the key */

/* Constant-time helpers for CBC padding checks: all-ones when true. */
static inline size_t mt_ct_mask_lt(size_t a, size_t b) /* a < b */
{
    return (size_t)0 - (size_t)(((a ^ ((a ^ b) | ((a - b) ^ b))) >> (sizeof(size_t) * 8 - 1)) & 1);
}
static inline size_t mt_ct_mask_eq(size_t a, size_t b)
{
    size_t x = a ^ b;
    return (size_t)0 - (size_t)(((~x & (x - 1)) >> (sizeof(size_t) * 8 - 1)) & 1);
}

/* ---- TLS 1.2 RSA key exchange ------------------------------------------- */

typedef struct mt_pkey mt_pkey; /* declared again, with its functions, below */

/* Client: encrypt the 48-byte premaster secret to the server's RSA key
 * (RSAES-PKCS1-v1_5, RFC 5246 section 7.4.7.1). */
int mt_rsa_encrypt_premaster(const mt_crypto *cx, const mt_pkey *server_key,
                             const uint8_t pms[48], mt_buf *out) MT_MUST;
/* Server: decrypt with implicit rejection. Whatever the ciphertext, pms
 * receives 48 bytes: the real premaster secret, or random bytes when the
 * padding or the version bytes are wrong, chosen in constant time by
 * libcrypto (RSA_PKCS1_WITH_TLS_PADDING), so that nothing observable
 * differs before the Finished check (Bleichenbacher, ROBOT). Returns -1
 * only on an internal failure, never for a bad ciphertext. */
int mt_rsa_decrypt_premaster(const mt_crypto *cx, const mt_pkey *key, const uint8_t *in,
                             size_t len, uint16_t client_version, uint8_t pms[48]) MT_MUST;

/* ---- key exchange (ECDHE) ---------------------------------------------- */

#define MT_GROUP_SECP256R1 0x0017
#define MT_GROUP_SECP384R1 0x0018
#define MT_GROUP_X25519 0x001d
#define MT_MAX_KX_PUB 97 /* uncompressed P-384 point */
#define MT_MAX_KX_SECRET 48

typedef struct mt_kx mt_kx;
/* A fresh key pair whose private part is drawn from rng (so tests can fix
 * it). pub receives the key_share encoding (RFC 8446 section 4.2.8.2). */
int mt_kx_generate(const mt_crypto *cx, uint16_t group, const mt_rng *rng, mt_kx **out,
                   uint8_t *pub, size_t *pub_len) MT_MUST;
/* Validates the peer's share (on the curve, not the identity, not an
 * all-zero X25519 result); -1 when it is invalid. */
int mt_kx_derive(mt_kx *kx, const uint8_t *peer, size_t peer_len, uint8_t *secret,
                 size_t *secret_len) MT_MUST;
void mt_kx_free(mt_kx *kx); /* wipes the private key */

/* ---- keys and signatures ----------------------------------------------- */

typedef enum {
    MT_KEY_UNKNOWN = 0,
    MT_KEY_RSA,      /* rsaEncryption */
    MT_KEY_RSA_PSS,  /* id-RSASSA-PSS */
    MT_KEY_EC_P256,
    MT_KEY_EC_P384,
    MT_KEY_EC_OTHER,
    MT_KEY_ED25519,
} mt_key_type;

typedef struct mt_pkey mt_pkey; /* a public or private key */
/* Load a private key from PEM (PKCS#8, traditional RSA/EC). */
int mt_pkey_from_pem(const char *pem, size_t len, mt_pkey **out, mt_error *e) MT_MUST;
mt_pkey *mt_pkey_up_ref(mt_pkey *k);
void mt_pkey_free(mt_pkey *k);
mt_key_type mt_pkey_type(const mt_pkey *k);
int mt_pkey_bits(const mt_pkey *k);
const char *mt_key_type_name(mt_key_type t); /* "RSA", "ECDSA P-256", ... */
/* 1 when both hold the same public key. */
int mt_pkey_same_public(const mt_pkey *a, const mt_pkey *b);

/* TLS SignatureScheme code points (RFC 8446 section 4.2.3). */
#define MT_SIG_RSA_PKCS1_SHA256 0x0401
#define MT_SIG_RSA_PKCS1_SHA384 0x0501
#define MT_SIG_RSA_PKCS1_SHA512 0x0601
#define MT_SIG_ECDSA_SECP256R1_SHA256 0x0403
#define MT_SIG_ECDSA_SECP384R1_SHA384 0x0503
#define MT_SIG_ECDSA_SECP521R1_SHA512 0x0603
#define MT_SIG_RSA_PSS_RSAE_SHA256 0x0804
#define MT_SIG_RSA_PSS_RSAE_SHA384 0x0805
#define MT_SIG_RSA_PSS_RSAE_SHA512 0x0806
#define MT_SIG_ED25519 0x0807
#define MT_SIG_RSA_PSS_PSS_SHA256 0x0809
#define MT_SIG_RSA_PSS_PSS_SHA384 0x080a
#define MT_SIG_RSA_PSS_PSS_SHA512 0x080b
#define MT_SIG_RSA_PKCS1_SHA1 0x0201
#define MT_SIG_ECDSA_SHA1 0x0203

typedef struct mt_sig_scheme {
    uint16_t code;
    const char *name;   /* IANA */
    mt_key_type key;    /* key type it needs */
    mt_hash_id hash;
    int pss;            /* RSASSA-PSS, salt = hash length */
    int handshake_ok;   /* usable in TLS 1.3 CertificateVerify */
} mt_sig_scheme;
const mt_sig_scheme *mt_sig_scheme_find(uint16_t code);
const mt_sig_scheme *mt_sig_scheme_by_name(const char *name);
extern const mt_sig_scheme mt_sig_schemes[];
extern const size_t mt_sig_schemes_count;
/* 1 if the key can sign with the scheme (type, curve, and for RSA-PSS
 * with a PSS key, that its parameters allow the hash). */
int mt_sig_scheme_fits_key(const mt_sig_scheme *s, const mt_pkey *k);
/* TLS 1.2 rules: an ECDSA scheme names the hash only, any supported
 * curve may sign with it (RFC 8422 / RFC 5246). */
int mt_sig_scheme_fits_key_tls12(const mt_sig_scheme *s, const mt_pkey *k);

/* Sign / verify data (hashing is done here). */
int mt_sign(const mt_crypto *cx, const mt_pkey *k, const mt_sig_scheme *s, const uint8_t *data,
            size_t len, mt_buf *sig) MT_MUST;
/* 0 when the signature is valid; -1 otherwise. */
int mt_verify(const mt_crypto *cx, const mt_pkey *k, const mt_sig_scheme *s, const uint8_t *data,
              size_t len, const uint8_t *sig, size_t sig_len) MT_MUST;

/* ---- descriptor tables ------------------------------------------------- */

/* How a TLS 1.2 suite exchanges keys and authenticates the server. */
typedef enum { MT_KX_NONE = 0 /* TLS 1.3: not part of the suite */, MT_KX_ECDHE, MT_KX_RSA } mt_kx_kind;
typedef enum { MT_AUTH_NONE = 0, MT_AUTH_ECDSA /* ECDSA or Ed25519 */, MT_AUTH_RSA } mt_auth_kind;
typedef enum { MT_CIPHER_AEAD = 0, MT_CIPHER_CBC } mt_cipher_kind;

typedef struct mt_suite {
    uint16_t code;
    const char *name; /* IANA */
    mt_aead_id aead;  /* AEAD suites */
    mt_hash_id hash;  /* TLS 1.3 HKDF hash / TLS 1.2 PRF hash */
    size_t key_len;
    uint16_t min_version, max_version;
    /* TLS 1.2 only */
    mt_kx_kind kx;
    mt_auth_kind auth;
    mt_cipher_kind cipher;
    size_t fixed_iv_len; /* implicit nonce part: 4 for GCM, 12 for ChaCha */
    size_t mac_key_len;  /* CBC: HMAC key length */
    mt_hash_id mac_hash; /* CBC: HMAC hash */
} mt_suite;
const mt_suite *mt_suite_find(uint16_t code);
const mt_suite *mt_suite_by_name(const char *name);
extern const mt_suite mt_suites[];
extern const size_t mt_suites_count;

typedef struct mt_group {
    uint16_t code;
    const char *name;  /* IANA */
    const char *alias; /* X25519, P-256, P-384 */
    size_t pub_len;
} mt_group;
const mt_group *mt_group_find(uint16_t code);
const mt_group *mt_group_by_name(const char *name); /* name or alias, any case */
extern const mt_group mt_groups[];
extern const size_t mt_groups_count;

#endif
