/*
 * Known-answer and behaviour tests for the crypto door (src/crypto/).
 * Vectors: RFC 5869 A.1-A.3, RFC 4231 case 2, the GCM spec (McGrew-Viega)
 * test cases 4 and 16, RFC 8439 section 2.8.2, RFC 7748 section 6.1 and
 * RFC 5903 section 8.1.
 */
#include <stdlib.h>
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include "crypto/crypto.h"
#include "crypto/pkey_evp.h"
#include "testlib.h"

static mt_crypto *cx;

/* ---- a fixed rng: hands out a script of bytes, then fails -------------- */

typedef struct {
    const uint8_t *p;
    size_t len, off;
    int calls;
} script;

static int script_rng(void *ctx, uint8_t *out, size_t len)
{
    script *s = ctx;
    s->calls++;
    if (s->len - s->off < len)
        return -1;
    memcpy(out, s->p + s->off, len);
    s->off += len;
    return 0;
}

/* ---- secrets, randomness, tables --------------------------------------- */

static void test_basics(void)
{
    uint8_t a[8] = {1, 2, 3, 4, 5, 6, 7, 8}, b[8], r1[32], r2[32];
    static const uint8_t zero8[8];
    script s;
    mt_rng rng = {script_rng, &s};

    memcpy(b, a, 8);
    CHECK(mt_ct_equal(a, b, 8) == 1);
    b[7] ^= 1;
    CHECK(mt_ct_equal(a, b, 8) == 0);
    mt_wipe(a, sizeof(a));
    CHECK_MEM(a, zero8, 8);

    s = (script){(const uint8_t *)"0123456789", 10, 0, 0};
    CHECK(mt_random(&rng, r1, 4) == 0);
    CHECK_MEM(r1, "0123", 4);
    CHECK(mt_random(&rng, r1, 7) == -1); /* the hook's failure propagates */
    CHECK(mt_random(NULL, r1, sizeof(r1)) == 0);
    CHECK(mt_random(&(mt_rng){NULL, NULL}, r2, sizeof(r2)) == 0);
    CHECK(!mt_ct_equal(r1, r2, sizeof(r1)));

    CHECK(mt_suites_count == 17); /* 3 TLS 1.3 + 14 TLS 1.2 */
    CHECK(mt_suite_find(0x1301) && mt_suite_find(0x1301)->aead == MT_AES_128_GCM &&
          mt_suite_find(0x1301)->hash == MT_SHA256 && mt_suite_find(0x1301)->key_len == 16);
    CHECK(mt_suite_find(0x1302) && mt_suite_find(0x1302)->hash == MT_SHA384 &&
          mt_suite_find(0x1302)->key_len == 32);
    CHECK(mt_suite_find(0x1303) && mt_suite_find(0x1303)->aead == MT_CHACHA20_POLY1305);
    CHECK(mt_suite_find(0x1304) == NULL);
    CHECK(mt_suite_by_name("tls_chacha20_poly1305_sha256") == mt_suite_find(0x1303));
    CHECK(mt_suite_by_name("TLS_AES_128_CCM_SHA256") == NULL);
    CHECK(mt_suite_find(0x1301)->min_version == 0x0304 &&
          mt_suite_find(0x1301)->max_version == 0x0304);
    CHECK(mt_group_by_name("x25519") == mt_group_find(0x001d));
    CHECK(mt_group_by_name("X25519") == mt_group_find(0x001d));
    CHECK(mt_group_by_name("p-256") == mt_group_find(0x0017));
    CHECK(mt_group_by_name("SECP384R1") == mt_group_find(0x0018));
    CHECK(mt_group_by_name("P-521") == NULL);
    CHECK(mt_group_find(0x0017)->pub_len == 65 && mt_group_find(0x0018)->pub_len == 97 &&
          mt_group_find(0x001d)->pub_len == 32);
    CHECK(strcmp(mutls_cipher_suite_name(0x1302), "TLS_AES_256_GCM_SHA384") == 0);
    CHECK(strcmp(mutls_cipher_suite_name(0xc02f), "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256") == 0);
    CHECK(mutls_cipher_suite_name(0x0005) == NULL); /* RC4: never */
    CHECK(strcmp(mutls_group_name(0x001d), "x25519") == 0);
    CHECK(strcmp(mutls_group_name(0x0017), "secp256r1") == 0);
    /* known to IANA but not implemented: named, yet not usable */
    CHECK(strcmp(mutls_group_name(0x0019), "secp521r1") == 0 && mt_group_find(0x0019) == NULL);
    CHECK(mutls_group_name(0x0aaa) == NULL);
    CHECK(strcmp(mutls_sig_scheme_name(0x0804), "rsa_pss_rsae_sha256") == 0);
    CHECK(strcmp(mutls_sig_scheme_name(0x0807), "ed25519") == 0);
    CHECK(mutls_sig_scheme_name(0x0808) == NULL);
    CHECK(strcmp(mutls_version_name(0x0304), "TLSv1.3") == 0);
    CHECK(strcmp(mutls_version_name(0x0303), "TLSv1.2") == 0);
    CHECK(mutls_version_name(0x0302) == NULL);
    CHECK(mt_sig_scheme_by_name("ECDSA_SECP256R1_SHA256") ==
          mt_sig_scheme_find(MT_SIG_ECDSA_SECP256R1_SHA256));
    CHECK(mt_sig_scheme_find(MT_SIG_RSA_PKCS1_SHA256)->handshake_ok == 0);
    CHECK(mt_sig_scheme_find(MT_SIG_RSA_PSS_PSS_SHA512)->handshake_ok == 1);
    CHECK(strcmp(mt_key_type_name(MT_KEY_EC_P384), "ECDSA P-384") == 0);
    CHECK(strcmp(mt_key_type_name(MT_KEY_ED25519), "Ed25519") == 0);
}

/* ---- hashes, HMAC, HKDF ------------------------------------------------ */

static void test_hash(void)
{
    uint8_t want[64], got[64], got2[64];
    mt_hash *h;

    CHECK(mt_hash_size(MT_SHA256) == 32 && mt_hash_size(MT_SHA384) == 48 &&
          mt_hash_size(MT_SHA512) == 64 && mt_hash_size(MT_SHA1) == 20);
    /* FIPS 180-2 "abc" */
    hex_decode("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", want, 32);
    CHECK(mt_hash_oneshot(cx, MT_SHA256, (const uint8_t *)"abc", 3, got) == 0);
    CHECK_MEM(got, want, 32);

    h = mt_hash_new(cx, MT_SHA256);
    CHECK(h != NULL);
    if (h == NULL)
        return;
    CHECK(mt_hash_update(h, (const uint8_t *)"a", 1) == 0);
    CHECK(mt_hash_peek(h, got2) == 0);
    CHECK(mt_hash_oneshot(cx, MT_SHA256, (const uint8_t *)"a", 1, got) == 0);
    CHECK_MEM(got2, got, 32);
    CHECK(mt_hash_update(h, (const uint8_t *)"bc", 2) == 0);
    CHECK(mt_hash_peek(h, got) == 0);
    CHECK_MEM(got, want, 32);
    CHECK(mt_hash_peek(h, got2) == 0); /* peeking does not disturb it */
    CHECK_MEM(got2, want, 32);
    mt_hash_free(h);

    /* Empty input digest of SHA-384 through a running hash. */
    h = mt_hash_new(cx, MT_SHA384);
    CHECK(h != NULL && mt_hash_peek(h, got) == 0);
    CHECK(mt_hash_oneshot(cx, MT_SHA384, NULL, 0, got2) == 0);
    CHECK_MEM(got, got2, 48);
    mt_hash_free(h);
    CHECK(mt_hash_new(cx, MT_HASH_COUNT) == NULL);
}

static void test_hmac_hkdf(void)
{
    uint8_t want[128], got[128], prk[64], ikm[80], salt[80], info[80];
    size_t i, n;

    /* RFC 4231 test case 2 */
    hex_decode("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843", want, 32);
    CHECK(mt_hmac(cx, MT_SHA256, (const uint8_t *)"Jefe", 4,
                  (const uint8_t *)"what do ya want for nothing?", 28, got) == 0);
    CHECK_MEM(got, want, 32);

    /* RFC 5869 A.1 */
    memset(ikm, 0x0b, 22);
    for (i = 0; i < 13; i++)
        salt[i] = (uint8_t)i;
    for (i = 0; i < 10; i++)
        info[i] = (uint8_t)(0xf0 + i);
    CHECK(mt_hkdf_extract(cx, MT_SHA256, salt, 13, ikm, 22, prk) == 0);
    hex_decode("077709362c2e32df0ddc3f0dc47bba6390b6c73bb50f9c3122ec844ad7c2b3e5", want, 32);
    CHECK_MEM(prk, want, 32);
    CHECK(mt_hkdf_expand(cx, MT_SHA256, prk, 32, info, 10, got, 42) == 0);
    n = hex_decode("3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf"
                   "34007208d5b887185865",
                   want, sizeof(want));
    CHECK(n == 42);
    CHECK_MEM(got, want, 42);

    /* RFC 5869 A.2 */
    for (i = 0; i < 80; i++) {
        ikm[i] = (uint8_t)i;
        salt[i] = (uint8_t)(0x60 + i);
        info[i] = (uint8_t)(0xb0 + i);
    }
    CHECK(mt_hkdf_extract(cx, MT_SHA256, salt, 80, ikm, 80, prk) == 0);
    hex_decode("06a6b88c5853361a06104c9ceb35b45cef760014904671014a193f40c15fc244", want, 32);
    CHECK_MEM(prk, want, 32);
    CHECK(mt_hkdf_expand(cx, MT_SHA256, prk, 32, info, 80, got, 82) == 0);
    n = hex_decode("b11e398dc80327a1c8e7f78c596a49344f012eda2d4efad8a050cc4c19afa97c"
                   "59045a99cac7827271cb41c65e590e09da3275600c2f09b8367793a9aca3db71"
                   "cc30c58179ec3e87c14c01d5c1f3434f1d87",
                   want, sizeof(want));
    CHECK(n == 82);
    CHECK_MEM(got, want, 82);

    /* RFC 5869 A.3: empty salt and info; NULL salt means the same zeros */
    memset(ikm, 0x0b, 22);
    hex_decode("19ef24a32c717b167f33a91d6f648bdf96596776afdb6377ac434c1c293ccb04", want, 32);
    CHECK(mt_hkdf_extract(cx, MT_SHA256, NULL, 0, ikm, 22, prk) == 0);
    CHECK_MEM(prk, want, 32);
    memset(prk, 0, sizeof(prk));
    CHECK(mt_hkdf_extract(cx, MT_SHA256, salt, 0, ikm, 22, prk) == 0);
    CHECK_MEM(prk, want, 32);
    CHECK(mt_hkdf_expand(cx, MT_SHA256, prk, 32, NULL, 0, got, 42) == 0);
    n = hex_decode("8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d"
                   "9d201395faa4b61a96c8",
                   want, sizeof(want));
    CHECK(n == 42);
    CHECK_MEM(got, want, 42);

    /* Expanding in place (out == prk), over several blocks. */
    CHECK(mt_hkdf_expand(cx, MT_SHA256, prk, 32, info, 10, want, 80) == 0);
    memcpy(got, prk, 32);
    CHECK(mt_hkdf_expand(cx, MT_SHA256, got, 32, info, 10, got, 80) == 0);
    CHECK_MEM(got, want, 80);

    /* Limits: at most 255 blocks; an empty IKM is fine (TLS 1.3 uses one). */
    CHECK(mt_hkdf_expand(cx, MT_SHA256, prk, 32, NULL, 0, got, 255 * 32 + 1) == -1);
    CHECK(mt_hkdf_extract(cx, MT_SHA384, NULL, 0, NULL, 0, prk) == 0);
    CHECK(ERR_peek_error() == 0);
}

/* ---- AEAD ---------------------------------------------------------------- */

static void aead_kat(mt_aead_id id, const char *key_hex, const char *nonce_hex,
                     const char *aad_hex, const uint8_t *pt, size_t pt_len,
                     const char *ct_tag_hex)
{
    uint8_t key[32], nonce[12], aad[64], want[256], buf[256], out[256];
    size_t klen = hex_decode(key_hex, key, sizeof(key));
    size_t alen = hex_decode(aad_hex, aad, sizeof(aad));
    size_t wlen = hex_decode(ct_tag_hex, want, sizeof(want));
    mt_aead *enc = mt_aead_new(cx, id, 1, key), *dec = mt_aead_new(cx, id, 0, key);

    hex_decode(nonce_hex, nonce, sizeof(nonce));
    CHECK(klen == mt_aead_key_len(id));
    CHECK(wlen == pt_len + MT_AEAD_TAG_LEN);
    CHECK(enc != NULL && dec != NULL);
    if (enc == NULL || dec == NULL)
        goto out;

    /* Seal twice through the same context (the second must not depend on
     * the first), then in place. */
    CHECK(mt_aead_seal(enc, nonce, aad, alen, pt, pt_len, out) == 0);
    CHECK_MEM(out, want, wlen);
    memset(out, 0, sizeof(out));
    CHECK(mt_aead_seal(enc, nonce, aad, alen, pt, pt_len, out) == 0);
    CHECK_MEM(out, want, wlen);
    memcpy(buf, pt, pt_len);
    CHECK(mt_aead_seal(enc, nonce, aad, alen, buf, pt_len, buf) == 0);
    CHECK_MEM(buf, want, wlen);

    /* Open, out of place and in place. */
    memset(out, 0, sizeof(out));
    CHECK(mt_aead_open(dec, nonce, aad, alen, want, wlen, out) == 0);
    CHECK_MEM(out, pt, pt_len);
    CHECK(mt_aead_open(dec, nonce, aad, alen, buf, wlen, buf) == 0);
    CHECK_MEM(buf, pt, pt_len);

    /* Tampering with the tag, the ciphertext, the AAD or the nonce fails,
     * and what was written is wiped. */
    memcpy(buf, want, wlen);
    buf[wlen - 1] ^= 0x01;
    memset(out, 0xaa, sizeof(out));
    CHECK(mt_aead_open(dec, nonce, aad, alen, buf, wlen, out) == -1);
    CHECK(pt_len == 0 || out[0] == 0);
    memcpy(buf, want, wlen);
    buf[0] ^= 0x80;
    CHECK(mt_aead_open(dec, nonce, aad, alen, buf, wlen, buf) == -1);
    CHECK(pt_len == 0 || memcmp(buf, pt, pt_len) != 0);
    if (alen > 0) {
        aad[0] ^= 1;
        CHECK(mt_aead_open(dec, nonce, aad, alen, want, wlen, out) == -1);
        aad[0] ^= 1;
    }
    nonce[11] ^= 1;
    CHECK(mt_aead_open(dec, nonce, aad, alen, want, wlen, out) == -1);
    nonce[11] ^= 1;
    CHECK(mt_aead_open(dec, nonce, aad, alen, want, MT_AEAD_TAG_LEN - 1, out) == -1);
    /* And the context still works after failures. */
    CHECK(mt_aead_open(dec, nonce, aad, alen, want, wlen, out) == 0);
    CHECK_MEM(out, pt, pt_len);
    /* Direction is fixed at creation. */
    CHECK(mt_aead_open(enc, nonce, aad, alen, want, wlen, out) == -1);
    CHECK(mt_aead_seal(dec, nonce, aad, alen, pt, pt_len, out) == -1);
    CHECK(ERR_peek_error() == 0);
out:
    mt_aead_free(enc);
    mt_aead_free(dec);
}

static void test_aead(void)
{
    static const char sunscreen[] =
        "Ladies and Gentlemen of the class of '99: If I could offer you only one tip for the "
        "future, sunscreen would be it.";
    uint8_t gcm_pt[64], key[32] = {1}, nonce[12] = {2}, out[64], back[64];
    size_t n = hex_decode("d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72"
                          "1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39",
                          gcm_pt, sizeof(gcm_pt));
    mt_aead *enc, *dec;

    CHECK(n == 60);
    CHECK(mt_aead_key_len(MT_AES_128_GCM) == 16 && mt_aead_key_len(MT_AES_256_GCM) == 32 &&
          mt_aead_key_len(MT_CHACHA20_POLY1305) == 32);
    /* GCM spec test case 4 (AES-128) */
    aead_kat(MT_AES_128_GCM, "feffe9928665731c6d6a8f9467308308", "cafebabefacedbaddecaf888",
             "feedfacedeadbeeffeedfacedeadbeefabaddad2", gcm_pt, 60,
             "42831ec2217774244b7221b784d0d49ce3aa212f2c02a4e035c17e2329aca12e"
             "21d514b25466931c7d8f6a5aac84aa051ba30b396a0aac973d58e091"
             "5bc94fbc3221a5db94fae95ae7121a47");
    /* GCM spec test case 16 (AES-256) */
    aead_kat(MT_AES_256_GCM,
             "feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308",
             "cafebabefacedbaddecaf888", "feedfacedeadbeeffeedfacedeadbeefabaddad2", gcm_pt, 60,
             "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa"
             "8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662"
             "76fc6ece0f4e1768cddf8853bb2d551b");
    /* GCM spec test case 1: empty plaintext, empty AAD */
    aead_kat(MT_AES_128_GCM, "00000000000000000000000000000000", "000000000000000000000000", "",
             (const uint8_t *)"", 0, "58e2fccefa7e3061367f1d57a4e7455a");
    /* RFC 8439 section 2.8.2 */
    aead_kat(MT_CHACHA20_POLY1305,
             "808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f",
             "070000004041424344454647", "50515253c0c1c2c3c4c5c6c7",
             (const uint8_t *)sunscreen, strlen(sunscreen),
             "d31a8d34648e60db7b86afbc53ef7ec2a4aded51296e08fea9e2b5a736ee62d6"
             "3dbea45e8ca9671282fafb69da92728b1a71de0a9e060b2905d6a5b67ecd3b36"
             "92ddbd7f2d778b8c9803aee328091b58fab324e4fad675945585808b4831d7bc"
             "3ff4def08e4b7a9de576d26586cec64b6116"
             "1ae10b594f09e26a7e902ecbd0600691");

    /* Many records through one context pair, nonce changing per record. */
    enc = mt_aead_new(cx, MT_CHACHA20_POLY1305, 1, key);
    dec = mt_aead_new(cx, MT_CHACHA20_POLY1305, 0, key);
    CHECK(enc != NULL && dec != NULL);
    if (enc != NULL && dec != NULL) {
        int i, ok = 1;
        for (i = 0; i < 100; i++) {
            nonce[11] = (uint8_t)i;
            memset(out, i, 48);
            ok &= mt_aead_seal(enc, nonce, nonce, 5, out, 48, out) == 0;
            ok &= mt_aead_open(dec, nonce, nonce, 5, out, 64, back) == 0;
            ok &= back[0] == (uint8_t)i && back[47] == (uint8_t)i;
        }
        CHECK(ok);
    }
    mt_aead_free(enc);
    mt_aead_free(dec);
    mt_aead_free(NULL);
    CHECK(mt_aead_new(cx, MT_AEAD_COUNT, 1, key) == NULL);
}

/* ---- key exchange -------------------------------------------------------- */

static void test_x25519(void)
{
    uint8_t a_priv[32], b_priv[32], a_pub[32], b_pub[32], shared[32];
    uint8_t pub[MT_MAX_KX_PUB], sec[MT_MAX_KX_SECRET], bad[33];
    size_t pub_len = 0, sec_len = 0;
    script s;
    mt_rng rng = {script_rng, &s};
    mt_kx *kx = NULL, *kb = NULL;

    hex_decode("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a", a_priv, 32);
    hex_decode("8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a", a_pub, 32);
    hex_decode("5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb", b_priv, 32);
    hex_decode("de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f", b_pub, 32);
    hex_decode("4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742", shared, 32);

    s = (script){a_priv, 32, 0, 0};
    CHECK(mt_kx_generate(cx, MT_GROUP_X25519, &rng, &kx, pub, &pub_len) == 0);
    CHECK(pub_len == 32);
    CHECK_MEM(pub, a_pub, 32);
    CHECK(kx != NULL && mt_kx_derive(kx, b_pub, 32, sec, &sec_len) == 0);
    CHECK(sec_len == 32);
    CHECK_MEM(sec, shared, 32);

    s = (script){b_priv, 32, 0, 0};
    CHECK(mt_kx_generate(cx, MT_GROUP_X25519, &rng, &kb, pub, &pub_len) == 0);
    CHECK_MEM(pub, b_pub, 32);
    CHECK(kb != NULL && mt_kx_derive(kb, a_pub, 32, sec, &sec_len) == 0);
    CHECK_MEM(sec, shared, 32);

    /* Wrong lengths, and low-order points (all-zero result). */
    memset(bad, 0, sizeof(bad));
    CHECK(mt_kx_derive(kx, b_pub, 31, sec, &sec_len) == -1);
    CHECK(mt_kx_derive(kx, bad, 33, sec, &sec_len) == -1);
    CHECK(mt_kx_derive(kx, bad, 32, sec, &sec_len) == -1); /* u = 0 */
    bad[0] = 1;
    CHECK(mt_kx_derive(kx, bad, 32, sec, &sec_len) == -1); /* u = 1 */
    CHECK(ERR_peek_error() == 0);
    mt_kx_free(kx);
    mt_kx_free(kb);

    /* The rng failing makes generation fail. */
    s = (script){a_priv, 16, 0, 0};
    CHECK(mt_kx_generate(cx, MT_GROUP_X25519, &rng, &kx, pub, &pub_len) == -1);
    CHECK(kx == NULL);
    CHECK(mt_kx_generate(cx, 0x001e /* x448 */, NULL, &kx, pub, &pub_len) == -1);
}

static void test_p256_rfc5903(void)
{
    uint8_t rnd[96], i_pub[65], r_pub[65], girx[32], pub[MT_MAX_KX_PUB],
        sec[MT_MAX_KX_SECRET];
    size_t pub_len = 0, sec_len = 0;
    script s;
    mt_rng rng = {script_rng, &s};
    mt_kx *kx = NULL;

    i_pub[0] = r_pub[0] = 0x04;
    hex_decode("DAD0B65394221CF9B051E1FECA5787D098DFE637FC90B9EF945D0C3772581180"
               "5271A0461CDB8252D61F1C456FA3E59AB1F45B33ACCF5F58389E0577B8990BB3",
               i_pub + 1, 64);
    hex_decode("D12DFB5289C8D4F81208B70270398C342296970A0BCCB74C736FC7554494BF63"
               "56FBF3CA366CC23E8157854C13C58D6AAC23F046ADA30F8353E74F33039872AB",
               r_pub + 1, 64);
    hex_decode("D6840F6B42F6EDAFD13116E0E12565202FEF8E9ECE7DCE03812464D04B9442DE", girx, 32);

    /* The scalar i, preceded by a zero scalar and one >= the order: both
     * must be redrawn. */
    memset(rnd, 0, 32);
    memset(rnd + 32, 0xff, 32);
    hex_decode("C88F01F510D9AC3F70A292DAA2316DE544E9AAB8AFE84049C62A9C57862D1433", rnd + 64, 32);
    s = (script){rnd, 96, 0, 0};
    CHECK(mt_kx_generate(cx, MT_GROUP_SECP256R1, &rng, &kx, pub, &pub_len) == 0);
    CHECK(s.calls == 3);
    CHECK(pub_len == 65);
    CHECK_MEM(pub, i_pub, 65);
    CHECK(kx != NULL && mt_kx_derive(kx, r_pub, 65, sec, &sec_len) == 0);
    CHECK(sec_len == 32);
    CHECK_MEM(sec, girx, 32);
    mt_kx_free(kx);
    kx = NULL;

    /* An rng that only ever yields zero gives up rather than loop. */
    memset(rnd, 0, sizeof(rnd));
    s = (script){rnd, sizeof(rnd), 0, 0};
    CHECK(mt_kx_generate(cx, MT_GROUP_SECP256R1, &rng, &kx, pub, &pub_len) == -1);
    CHECK(kx == NULL);
}

static void nist_round_trip(uint16_t group, size_t plen, size_t slen)
{
    uint8_t pa[MT_MAX_KX_PUB], pb[MT_MAX_KX_PUB], sa[MT_MAX_KX_SECRET], sb[MT_MAX_KX_SECRET],
        bad[MT_MAX_KX_PUB + 1];
    size_t la = 0, lb = 0, ka = 0, kb_len = 0;
    mt_kx *a = NULL, *b = NULL;

    CHECK(mt_kx_generate(cx, group, NULL, &a, pa, &la) == 0);
    CHECK(mt_kx_generate(cx, group, NULL, &b, pb, &lb) == 0);
    CHECK(la == plen && lb == plen && pa[0] == 0x04 && pb[0] == 0x04);
    if (a == NULL || b == NULL)
        goto out;
    CHECK(memcmp(pa, pb, plen) != 0);
    CHECK(mt_kx_derive(a, pb, lb, sa, &ka) == 0);
    CHECK(mt_kx_derive(b, pa, la, sb, &kb_len) == 0);
    CHECK(ka == slen && kb_len == slen);
    CHECK_MEM(sa, sb, slen);

    memcpy(bad, pb, plen);
    bad[plen - 1] ^= 0x01; /* y changed: off the curve */
    CHECK(mt_kx_derive(a, bad, plen, sa, &ka) == -1);
    memcpy(bad, pb, plen);
    bad[0] = 0x00;
    CHECK(mt_kx_derive(a, bad, plen, sa, &ka) == -1);
    bad[0] = 0x03; /* compressed form with the full length */
    CHECK(mt_kx_derive(a, bad, plen, sa, &ka) == -1);
    bad[0] = 0x02; /* genuinely compressed */
    CHECK(mt_kx_derive(a, bad, 1 + (plen - 1) / 2, sa, &ka) == -1);
    CHECK(mt_kx_derive(a, pb, plen - 1, sa, &ka) == -1);
    memcpy(bad, pb, plen);
    bad[plen] = 0;
    CHECK(mt_kx_derive(a, bad, plen + 1, sa, &ka) == -1);
    memset(bad, 0, plen);
    bad[0] = 0x04; /* (0, 0) */
    CHECK(mt_kx_derive(a, bad, plen, sa, &ka) == -1);
    CHECK(mt_kx_derive(a, pa, la, sa, &ka) == 0); /* own point is fine */
    CHECK(ERR_peek_error() == 0);
out:
    mt_kx_free(a);
    mt_kx_free(b);
}

/* ---- keys and signatures -------------------------------------------------- */

static EVP_PKEY *keygen(const char *alg, const char *group, int bits, const char *pss_md,
                        const char *mgf1_md)
{
    EVP_PKEY_CTX *c = EVP_PKEY_CTX_new_from_name(NULL, alg, NULL);
    EVP_PKEY *k = NULL;
    OSSL_PARAM p[5];
    size_t bits_sz = (size_t)bits;
    int n = 0;

    if (group != NULL)
        p[n++] = OSSL_PARAM_construct_utf8_string(OSSL_PKEY_PARAM_GROUP_NAME, (char *)group, 0);
    if (bits > 0)
        p[n++] = OSSL_PARAM_construct_size_t(OSSL_PKEY_PARAM_RSA_BITS, &bits_sz);
    if (pss_md != NULL)
        p[n++] = OSSL_PARAM_construct_utf8_string(OSSL_PKEY_PARAM_RSA_DIGEST, (char *)pss_md, 0);
    if (mgf1_md != NULL)
        p[n++] = OSSL_PARAM_construct_utf8_string(OSSL_PKEY_PARAM_RSA_MGF1_DIGEST,
                                                  (char *)mgf1_md, 0);
    p[n] = OSSL_PARAM_construct_end();
    if (c == NULL || EVP_PKEY_keygen_init(c) != 1 || EVP_PKEY_CTX_set_params(c, p) != 1 ||
        EVP_PKEY_generate(c, &k) != 1)
        k = NULL;
    EVP_PKEY_CTX_free(c);
    return k;
}

/* PEM of a key, malloc'ed (optionally encrypted with a passphrase). */
static char *to_pem(EVP_PKEY *k, const char *pass, size_t *len)
{
    BIO *b = BIO_new(BIO_s_mem());
    char *p = NULL, *data;
    long n;
    EVP_CIPHER *aes = pass ? EVP_CIPHER_fetch(NULL, "AES-256-CBC", NULL) : NULL;

    if (b != NULL &&
        PEM_write_bio_PrivateKey(b, k, aes, (unsigned char *)pass, pass ? (int)strlen(pass) : 0,
                                 NULL, NULL) == 1 &&
        (n = BIO_get_mem_data(b, &data)) > 0 && (p = malloc((size_t)n)) != NULL) {
        memcpy(p, data, (size_t)n);
        *len = (size_t)n;
    }
    EVP_CIPHER_free(aes);
    BIO_free(b);
    return p;
}

/* K_PSS256: an RSA-PSS key restricted to SHA-256 (and MGF1-SHA-256);
 * K_PSSMIX: restricted to SHA-256 with MGF1-SHA-1, which no TLS 1.3
 * scheme allows. */
enum { K_RSA, K_PSS, K_PSS256, K_PSSMIX, K_P256, K_P384, K_ED25519, K_COUNT };

static void test_keys_and_sigs(void)
{
    static const mt_key_type types[K_COUNT] = {MT_KEY_RSA,     MT_KEY_RSA_PSS, MT_KEY_RSA_PSS,
                                               MT_KEY_RSA_PSS, MT_KEY_EC_P256, MT_KEY_EC_P384,
                                               MT_KEY_ED25519};
    mt_pkey *keys[K_COUNT] = {0}, *loaded = NULL, *other = NULL;
    const uint8_t msg[] = "TLS 1.3, server CertificateVerify";
    mt_error e;
    size_t i, j, len;
    char *pem;
    mt_buf sig;

    keys[K_RSA] = mt_pkey_wrap_evp(keygen("RSA", NULL, 2048, NULL, NULL));
    keys[K_PSS] = mt_pkey_wrap_evp(keygen("RSA-PSS", NULL, 2048, NULL, NULL));
    keys[K_PSS256] = mt_pkey_wrap_evp(keygen("RSA-PSS", NULL, 2048, "SHA256", "SHA256"));
    keys[K_PSSMIX] = mt_pkey_wrap_evp(keygen("RSA-PSS", NULL, 2048, "SHA256", NULL));
    keys[K_P256] = mt_pkey_wrap_evp(keygen("EC", "P-256", 0, NULL, NULL));
    keys[K_P384] = mt_pkey_wrap_evp(keygen("EC", "P-384", 0, NULL, NULL));
    keys[K_ED25519] = mt_pkey_wrap_evp(keygen("ED25519", NULL, 0, NULL, NULL));
    for (i = 0; i < K_COUNT; i++) {
        CHECK(keys[i] != NULL);
        if (keys[i] == NULL)
            goto out;
        CHECK(mt_pkey_type(keys[i]) == types[i]);
    }
    CHECK(mt_pkey_bits(keys[K_RSA]) == 2048 && mt_pkey_bits(keys[K_P384]) == 384);
    CHECK(mt_pkey_evp(keys[K_RSA]) != NULL);

    /* Every handshake scheme signs and verifies with a key that fits. */
    for (i = 0; i < mt_sig_schemes_count; i++) {
        const mt_sig_scheme *s = &mt_sig_schemes[i];
        int fitted = 0;

        for (j = 0; j < K_COUNT; j++) {
            int fits = mt_sig_scheme_fits_key(s, keys[j]);

            /* TLS 1.2 lets any curve sign under an ECDSA scheme. */
            if (!fits && !mt_sig_scheme_fits_key_tls12(s, keys[j])) {
                mt_buf_init(&sig);
                CHECK(mt_sign(cx, keys[j], s, msg, sizeof(msg), &sig) == -1);
                mt_buf_free(&sig);
                continue;
            }
            fitted++;
            mt_buf_init(&sig);
            CHECK(mt_w_u16(&sig, 0xabcd) == 0); /* appends after existing bytes */
            CHECK(mt_sign(cx, keys[j], s, msg, sizeof(msg), &sig) == 0);
            CHECK(sig.len > 2 && sig.data[0] == 0xab);
            if (sig.len > 2) {
                uint8_t *sg = sig.data + 2;
                size_t sl = sig.len - 2;
                uint8_t m2[sizeof(msg)];

                CHECK(mt_verify(cx, keys[j], s, msg, sizeof(msg), sg, sl) == 0);
                memcpy(m2, msg, sizeof(msg));
                m2[0] ^= 1;
                CHECK(mt_verify(cx, keys[j], s, m2, sizeof(msg), sg, sl) == -1);
                sg[sl / 2] ^= 0x10;
                CHECK(mt_verify(cx, keys[j], s, msg, sizeof(msg), sg, sl) == -1);
                sg[sl / 2] ^= 0x10;
                CHECK(mt_verify(cx, keys[j], s, msg, sizeof(msg), sg, sl - 1) == -1);
                /* Same type, different key. */
                if (j == K_PSS || j == K_PSS256)
                    CHECK(mt_verify(cx, keys[j == K_PSS ? K_PSS256 : K_PSS], s, msg,
                                    sizeof(msg), sg, sl) == -1);
                CHECK(ERR_peek_error() == 0);
            }
            mt_buf_free(&sig);
        }
        if (s->handshake_ok)
            CHECK(fitted > 0);
    }

    /* Fit rules: the curve and the RSA flavour are part of the scheme, and
     * a restricted PSS key only allows its own hash. */
    CHECK(!mt_sig_scheme_fits_key(mt_sig_scheme_find(MT_SIG_ECDSA_SECP256R1_SHA256),
                                  keys[K_P384]));
    CHECK(mt_sig_scheme_fits_key(mt_sig_scheme_find(MT_SIG_ECDSA_SECP384R1_SHA384),
                                 keys[K_P384]));
    CHECK(!mt_sig_scheme_fits_key(mt_sig_scheme_find(MT_SIG_RSA_PSS_RSAE_SHA256), keys[K_PSS]));
    CHECK(!mt_sig_scheme_fits_key(mt_sig_scheme_find(MT_SIG_RSA_PSS_PSS_SHA256), keys[K_RSA]));
    CHECK(mt_sig_scheme_fits_key(mt_sig_scheme_find(MT_SIG_RSA_PSS_PSS_SHA384), keys[K_PSS]));
    CHECK(mt_sig_scheme_fits_key(mt_sig_scheme_find(MT_SIG_RSA_PSS_PSS_SHA256), keys[K_PSS256]));
    CHECK(!mt_sig_scheme_fits_key(mt_sig_scheme_find(MT_SIG_RSA_PSS_PSS_SHA384),
                                  keys[K_PSS256]));
    for (i = 0; i < mt_sig_schemes_count; i++)
        CHECK(!mt_sig_scheme_fits_key(&mt_sig_schemes[i], keys[K_PSSMIX]));
    CHECK(ERR_peek_error() == 0);
    CHECK(mt_sig_scheme_fits_key(mt_sig_scheme_find(MT_SIG_ED25519), keys[K_ED25519]));
    CHECK(!mt_sig_scheme_fits_key(mt_sig_scheme_find(MT_SIG_ED25519), keys[K_P256]));

    /* A signature under one scheme does not verify under a sibling. */
    mt_buf_init(&sig);
    CHECK(mt_sign(cx, keys[K_RSA], mt_sig_scheme_find(MT_SIG_RSA_PSS_RSAE_SHA256), msg,
                  sizeof(msg), &sig) == 0);
    CHECK(mt_verify(cx, keys[K_RSA], mt_sig_scheme_find(MT_SIG_RSA_PSS_RSAE_SHA384), msg,
                    sizeof(msg), sig.data, sig.len) == -1);
    CHECK(mt_verify(cx, keys[K_RSA], mt_sig_scheme_find(MT_SIG_RSA_PKCS1_SHA256), msg,
                    sizeof(msg), sig.data, sig.len) == -1);
    mt_buf_free(&sig);

    /* PEM round trip, type and public-key comparison. */
    for (i = 0; i < K_COUNT; i++) {
        pem = to_pem(mt_pkey_evp(keys[i]), NULL, &len);
        CHECK(pem != NULL);
        if (pem == NULL)
            continue;
        mt_error_clear(&e);
        CHECK(mt_pkey_from_pem(pem, len, &loaded, &e) == 0);
        free(pem);
        CHECK(loaded != NULL && mt_pkey_type(loaded) == types[i]);
        CHECK(mt_pkey_same_public(loaded, keys[i]) == 1);
        CHECK(mt_pkey_same_public(loaded, keys[(i + 1) % K_COUNT]) == 0);
        other = mt_pkey_up_ref(loaded);
        CHECK(other == loaded);
        mt_pkey_free(loaded);
        CHECK(mt_pkey_type(other) == types[i]); /* still alive */
        mt_pkey_free(other);
        loaded = other = NULL;
    }
    CHECK(ERR_peek_error() == 0);

    /* Bad PEM: a message, no key; an encrypted key: refused, no prompt. */
    mt_error_clear(&e);
    CHECK(mt_pkey_from_pem("hello", 5, &loaded, &e) == MUTLS_ERR_CONFIG);
    CHECK(loaded == NULL && e.code == MUTLS_ERR_CONFIG && e.msg[0] != '\0');
    printf("  bad PEM: %s\n", e.msg);
    {
        static const char cert_only[] = "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n";
        static const char broken[] =
            "-----BEGIN PRIVATE KEY-----\nMIIBVQIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----\n";
        mt_error_clear(&e);
        CHECK(mt_pkey_from_pem(cert_only, sizeof(cert_only) - 1, &loaded, &e) ==
              MUTLS_ERR_CONFIG);
        CHECK(loaded == NULL && strstr(e.msg, "no private key") != NULL);
        printf("  certificate PEM: %s\n", e.msg);
        mt_error_clear(&e);
        CHECK(mt_pkey_from_pem(broken, sizeof(broken) - 1, &loaded, &e) == MUTLS_ERR_CONFIG);
        CHECK(loaded == NULL && e.msg[0] != '\0');
        printf("  truncated PEM: %s\n", e.msg);
    }
    {
        /* A key no TLS 1.3 scheme of ours can use is refused at load. */
        EVP_PKEY *ed448 = keygen("ED448", NULL, 0, NULL, NULL);
        pem = ed448 ? to_pem(ed448, NULL, &len) : NULL;
        CHECK(pem != NULL);
        if (pem != NULL) {
            mt_error_clear(&e);
            CHECK(mt_pkey_from_pem(pem, len, &loaded, &e) == MUTLS_ERR_CONFIG);
            CHECK(loaded == NULL && strstr(e.msg, "ED448") != NULL);
            printf("  Ed448 PEM: %s\n", e.msg);
            free(pem);
        }
        EVP_PKEY_free(ed448);
    }
    pem = to_pem(mt_pkey_evp(keys[K_P256]), "secret", &len);
    CHECK(pem != NULL);
    if (pem != NULL) {
        mt_error_clear(&e);
        CHECK(mt_pkey_from_pem(pem, len, &loaded, &e) != 0);
        CHECK(loaded == NULL && e.code == MUTLS_ERR_CONFIG);
        printf("  encrypted PEM: %s\n", e.msg);
        free(pem);
    }
    CHECK(ERR_peek_error() == 0);
out:
    for (i = 0; i < K_COUNT; i++)
        mt_pkey_free(keys[i]);
}

int main(void)
{
    cx = mt_crypto_new();
    CHECK(cx != NULL);
    if (cx == NULL)
        TEST_MAIN_END();
    test_basics();
    test_hash();
    test_hmac_hkdf();
    test_aead();
    test_x25519();
    test_p256_rfc5903();
    nist_round_trip(MT_GROUP_SECP256R1, 65, 32);
    nist_round_trip(MT_GROUP_SECP384R1, 97, 48);
    test_keys_and_sigs();
    mt_crypto_free(cx);
    TEST_MAIN_END();
}
