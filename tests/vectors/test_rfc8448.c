/*
 * RFC 8448 section 3, "Simple 1-RTT Handshake", against mutls:
 *
 *   1. the key schedule (src/tls13/key_schedule.h) and the X25519 exchange,
 *      value by value, including HKDF-Expand-Label for each derivation;
 *   2. the record layer (src/record/record.h): every protected record of
 *      the trace decrypts to the RFC plaintext, and re-encrypting that
 *      plaintext at the same sequence number reproduces the record byte for
 *      byte;
 *   3. the client state machine, fed the RFC server's records, answers with
 *      the RFC's client Finished record, byte for byte, and then exchanges
 *      the RFC's application data and close_notify records;
 *   4. the server state machine, fed the RFC ClientHello, answers with the
 *      RFC's ServerHello record, byte for byte; the rest of its flight is
 *      checked for structure (see test_server for why not byte for byte).
 *
 * The vectors and where they come from are in rfc8448.h.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>

#include "core/conn.h"
#include "tls13/handshake.h"
#include "rfc8448.h"
#include "testlib.h"
#include "vector_bytes.h"

static mt_crypto *cx;

/* ---- helpers ----------------------------------------------------------- */

static int contains(const uint8_t *hay, size_t n, const uint8_t *needle, size_t m)
{
    for (size_t i = 0; m <= n && i <= n - m; i++)
        if (memcmp(hay + i, needle, m) == 0)
            return 1;
    return 0;
}

/* SHA-256 of the concatenation of parts. */
static void transcript(uint8_t out[32], size_t n, const bytes *parts)
{
    mt_buf b;
    mt_buf_init(&b);
    for (size_t i = 0; i < n; i++)
        CHECK(mt_w_bytes(&b, parts[i].p, parts[i].n) == 0);
    CHECK(mt_hash_oneshot(cx, MT_SHA256, b.data, b.len, out) == 0);
    mt_buf_free(&b);
}

/* ---- hooks --------------------------------------------------------------- */

/* A random source that hands out a fixed script of bytes, then fails. */
typedef struct {
    uint8_t bytes[128];
    size_t len, off;
    int calls, failures;
} script;

static int script_rng(void *ctx, uint8_t *out, size_t len)
{
    script *s = ctx;
    s->calls++;
    if (s->len - s->off < len) {
        s->failures++;
        return -1;
    }
    memcpy(out, s->bytes + s->off, len);
    s->off += len;
    return 0;
}

static void script_set(script *s, const char *hex1, const char *hex2)
{
    memset(s, 0, sizeof(*s));
    s->len = hex_decode(hex1, s->bytes, sizeof(s->bytes));
    s->len += hex_decode(hex2, s->bytes + s->len, sizeof(s->bytes) - s->len);
}

/* 2016-08-01 00:00:00 UTC: inside the RFC certificate's validity
 * (2016-07-30 .. 2026-07-30). */
static int64_t rfc_time(void *ctx)
{
    (void)ctx;
    return INT64_C(1470009600);
}

typedef struct {
    char *lines[16];
    size_t n;
} keylog;

static void keylog_cb(void *ctx, const char *line)
{
    keylog *k = ctx;
    if (k->n < sizeof(k->lines) / sizeof(k->lines[0]))
        k->lines[k->n++] = strdup(line);
}

static void keylog_free(keylog *k)
{
    for (size_t i = 0; i < k->n; i++)
        free(k->lines[i]);
    k->n = 0;
}

static int keylog_has(const keylog *k, const char *line)
{
    for (size_t i = 0; i < k->n; i++)
        if (k->lines[i] != NULL && strcmp(k->lines[i], line) == 0)
            return 1;
    return 0;
}

/* ---- PEM built from the RFC's DER and key components --------------------- */

/* The RFC certificate: the DER inside the Certificate message (after
 * type(1) length(3) context(1) list length(3) entry length(3)). */
static bytes rfc_cert_der(void)
{
    bytes msg = V(RFC8448_CERTIFICATE);
    bytes der = {msg.p + 11, ((size_t)msg.p[8] << 16) | ((size_t)msg.p[9] << 8) | msg.p[10]};
    CHECK(der.n == 0x1b0 && 11 + der.n + 2 == msg.n);
    return der;
}

static char *bio_string(BIO *bio, size_t *len)
{
    char *data = NULL, *out;
    long n = BIO_get_mem_data(bio, &data);
    if (n <= 0 || (out = malloc((size_t)n + 1)) == NULL)
        return NULL;
    memcpy(out, data, (size_t)n);
    out[n] = '\0';
    *len = (size_t)n;
    return out;
}

static char *rfc_cert_pem(size_t *len)
{
    bytes der = rfc_cert_der();
    const unsigned char *p = der.p;
    X509 *x = d2i_X509(NULL, &p, (long)der.n);
    BIO *bio = BIO_new(BIO_s_mem());
    char *pem = NULL;
    if (x != NULL && bio != NULL && PEM_write_bio_X509(bio, x) == 1)
        pem = bio_string(bio, len);
    CHECK(pem != NULL);
    X509_free(x);
    BIO_free(bio);
    return pem;
}

/* The RSA key of RFC 8448 section 2, from its components. */
static EVP_PKEY *rfc_rsa_key(void)
{
    static const struct {
        const char *param, *hex;
    } parts[] = {
        {OSSL_PKEY_PARAM_RSA_N, RFC8448_RSA_N},
        {OSSL_PKEY_PARAM_RSA_E, RFC8448_RSA_E},
        {OSSL_PKEY_PARAM_RSA_D, RFC8448_RSA_D},
        {OSSL_PKEY_PARAM_RSA_FACTOR1, RFC8448_RSA_P},
        {OSSL_PKEY_PARAM_RSA_FACTOR2, RFC8448_RSA_Q},
        {OSSL_PKEY_PARAM_RSA_EXPONENT1, RFC8448_RSA_DP},
        {OSSL_PKEY_PARAM_RSA_EXPONENT2, RFC8448_RSA_DQ},
        {OSSL_PKEY_PARAM_RSA_COEFFICIENT1, RFC8448_RSA_QINV},
    };
    BIGNUM *bn[sizeof(parts) / sizeof(parts[0])] = {0};
    OSSL_PARAM_BLD *bld = OSSL_PARAM_BLD_new();
    OSSL_PARAM *params = NULL;
    EVP_PKEY_CTX *pctx = EVP_PKEY_CTX_new_from_name(NULL, "RSA", NULL);
    EVP_PKEY *key = NULL;
    int ok = bld != NULL && pctx != NULL;

    for (size_t i = 0; ok && i < sizeof(parts) / sizeof(parts[0]); i++) {
        bytes b = V(parts[i].hex);
        ok = (bn[i] = BN_bin2bn(b.p, (int)b.n, NULL)) != NULL &&
             OSSL_PARAM_BLD_push_BN(bld, parts[i].param, bn[i]) == 1;
    }
    if (ok && (params = OSSL_PARAM_BLD_to_param(bld)) != NULL && EVP_PKEY_fromdata_init(pctx) == 1)
        ok = EVP_PKEY_fromdata(pctx, &key, EVP_PKEY_KEYPAIR, params) == 1;
    CHECK(ok && key != NULL);
    for (size_t i = 0; i < sizeof(parts) / sizeof(parts[0]); i++)
        BN_clear_free(bn[i]);
    OSSL_PARAM_free(params);
    OSSL_PARAM_BLD_free(bld);
    EVP_PKEY_CTX_free(pctx);
    return key;
}

static char *rfc_key_pem(size_t *len)
{
    EVP_PKEY *key = rfc_rsa_key();
    BIO *bio = BIO_new(BIO_s_mem());
    char *pem = NULL;
    if (key != NULL && bio != NULL &&
        PEM_write_bio_PrivateKey(bio, key, NULL, NULL, 0, NULL, NULL) == 1)
        pem = bio_string(bio, len);
    CHECK(pem != NULL);
    EVP_PKEY_free(key);
    BIO_free(bio);
    return pem;
}

/* ---- 1. key schedule ------------------------------------------------------ */

static void test_key_schedule(void)
{
    bytes ch = V(RFC8448_CLIENT_HELLO), sh = V(RFC8448_SERVER_HELLO);
    bytes ee = V(RFC8448_ENCRYPTED_EXTENSIONS), cert = V(RFC8448_CERTIFICATE);
    bytes cv = V(RFC8448_CERTIFICATE_VERIFY), sfin = V(RFC8448_SERVER_FINISHED);
    bytes cfin = V(RFC8448_CLIENT_FINISHED);
    bytes ecdhe = V(RFC8448_ECDHE), early = V(RFC8448_EARLY_SECRET);
    bytes derived_hs = V(RFC8448_DERIVED_FOR_HANDSHAKE), hs = V(RFC8448_HANDSHAKE_SECRET);
    bytes c_hs = V(RFC8448_C_HS_TRAFFIC), s_hs = V(RFC8448_S_HS_TRAFFIC);
    bytes derived_ms = V(RFC8448_DERIVED_FOR_MASTER), master = V(RFC8448_MASTER_SECRET);
    bytes c_ap = V(RFC8448_C_AP_TRAFFIC), s_ap = V(RFC8448_S_AP_TRAFFIC);
    bytes exporter = V(RFC8448_EXPORTER_SECRET), res = V(RFC8448_RESUMPTION_MASTER);
    bytes s_fk = V(RFC8448_S_FINISHED_KEY), c_fk = V(RFC8448_C_FINISHED_KEY);
    bytes s_vd = V(RFC8448_S_VERIFY_DATA), c_vd = V(RFC8448_C_VERIFY_DATA);
    uint8_t th_sh[32], th_cv[32], th_sf[32], th_cf[32], empty[32], out[64], zeros[32] = {0};
    uint8_t key[16], iv[12];
    mt_key_schedule ks;

    /* Transcript hashes, from the RFC's messages. */
    transcript(th_sh, 2, (bytes[]){ch, sh});
    CHECK_MEM(th_sh, V(RFC8448_TH_CH_SH).p, 32);
    transcript(th_cv, 5, (bytes[]){ch, sh, ee, cert, cv});
    transcript(th_sf, 6, (bytes[]){ch, sh, ee, cert, cv, sfin});
    CHECK_MEM(th_sf, V(RFC8448_TH_CH_SF).p, 32);
    transcript(th_cf, 7, (bytes[]){ch, sh, ee, cert, cv, sfin, cfin});
    CHECK_MEM(th_cf, V(RFC8448_TH_CH_CF).p, 32);
    CHECK(mt_hash_oneshot(cx, MT_SHA256, NULL, 0, empty) == 0);

    /* The X25519 exchange, both ways, with private keys drawn from the rng
     * hook (as the handshake draws them). */
    {
        script s;
        mt_rng rng = {script_rng, &s};
        mt_kx *kx = NULL;
        uint8_t pub[MT_MAX_KX_PUB], secret[MT_MAX_KX_SECRET];
        size_t pub_len = 0, secret_len = 0;

        script_set(&s, RFC8448_CLIENT_X25519_PRIV, "");
        CHECK(mt_kx_generate(cx, MT_GROUP_X25519, &rng, &kx, pub, &pub_len) == 0);
        CHECK(pub_len == 32);
        CHECK_MEM(pub, V(RFC8448_CLIENT_X25519_PUB).p, 32);
        CHECK(kx != NULL && mt_kx_derive(kx, V(RFC8448_SERVER_X25519_PUB).p, 32, secret,
                                         &secret_len) == 0);
        CHECK(secret_len == 32);
        CHECK_MEM(secret, ecdhe.p, 32);
        mt_kx_free(kx);

        script_set(&s, RFC8448_SERVER_X25519_PRIV, "");
        kx = NULL;
        CHECK(mt_kx_generate(cx, MT_GROUP_X25519, &rng, &kx, pub, &pub_len) == 0);
        CHECK_MEM(pub, V(RFC8448_SERVER_X25519_PUB).p, 32);
        CHECK(kx != NULL && mt_kx_derive(kx, V(RFC8448_CLIENT_X25519_PUB).p, 32, secret,
                                         &secret_len) == 0);
        CHECK_MEM(secret, ecdhe.p, 32);
        mt_kx_free(kx);
    }

    /* The staged key schedule. */
    mt_ks_init(&ks, cx, MT_SHA256);
    CHECK(ks.hlen == 32);
    CHECK(mt_ks_derive(&ks, "c hs traffic", th_sh, out) == -1); /* no stage yet */
    CHECK(mt_ks_handshake(&ks, ecdhe.p, ecdhe.n) == -1);      /* out of order */
    CHECK(mt_ks_master(&ks) == -1);
    CHECK(mt_ks_early(&ks, NULL, 0) == 0);
    CHECK(ks.stage == 1);
    CHECK_MEM(ks.secret, early.p, 32);
    CHECK(mt_ks_master(&ks) == -1);
    CHECK(mt_ks_handshake(&ks, ecdhe.p, ecdhe.n) == 0);
    CHECK(ks.stage == 2);
    CHECK_MEM(ks.secret, hs.p, 32);
    CHECK(mt_ks_derive(&ks, "c hs traffic", th_sh, out) == 0);
    CHECK_MEM(out, c_hs.p, 32);
    CHECK(mt_ks_derive(&ks, "s hs traffic", th_sh, out) == 0);
    CHECK_MEM(out, s_hs.p, 32);
    CHECK(mt_ks_handshake(&ks, ecdhe.p, ecdhe.n) == -1); /* not twice */
    CHECK(mt_ks_master(&ks) == 0);
    CHECK(ks.stage == 3);
    CHECK_MEM(ks.secret, master.p, 32);
    CHECK(mt_ks_derive(&ks, "c ap traffic", th_sf, out) == 0);
    CHECK_MEM(out, c_ap.p, 32);
    CHECK(mt_ks_derive(&ks, "s ap traffic", th_sf, out) == 0);
    CHECK_MEM(out, s_ap.p, 32);
    CHECK(mt_ks_derive(&ks, "exp master", th_sf, out) == 0);
    CHECK_MEM(out, exporter.p, 32);
    CHECK(mt_ks_derive(&ks, "res master", th_cf, out) == 0);
    CHECK_MEM(out, res.p, 32);
    CHECK(mt_ks_master(&ks) == -1);
    mt_ks_clear(&ks);
    CHECK(ks.stage == 0);
    CHECK_MEM(ks.secret, zeros, 32);

    /* The same steps through the primitives. */
    CHECK(mt_hkdf_extract(cx, MT_SHA256, NULL, 0, zeros, 32, out) == 0);
    CHECK_MEM(out, early.p, 32);
    CHECK(mt_derive_secret(cx, MT_SHA256, early.p, "derived", empty, out) == 0);
    CHECK_MEM(out, derived_hs.p, 32);
    CHECK(mt_hkdf_extract(cx, MT_SHA256, derived_hs.p, 32, ecdhe.p, 32, out) == 0);
    CHECK_MEM(out, hs.p, 32);
    CHECK(mt_derive_secret(cx, MT_SHA256, hs.p, "derived", empty, out) == 0);
    CHECK_MEM(out, derived_ms.p, 32);
    CHECK(mt_hkdf_extract(cx, MT_SHA256, derived_ms.p, 32, zeros, 32, out) == 0);
    CHECK_MEM(out, master.p, 32);

    /* HKDF-Expand-Label for each Derive-Secret of the trace. */
    {
        static const struct {
            int from_master;
            const char *label;
            int th; /* 0 empty, 1 CH..SH, 2 CH..SF, 3 CH..CF */
            const char *want;
        } d[] = {
            {-1, "derived", 0, RFC8448_DERIVED_FOR_HANDSHAKE},
            {0, "derived", 0, RFC8448_DERIVED_FOR_MASTER},
            {0, "c hs traffic", 1, RFC8448_C_HS_TRAFFIC},
            {0, "s hs traffic", 1, RFC8448_S_HS_TRAFFIC},
            {1, "c ap traffic", 2, RFC8448_C_AP_TRAFFIC},
            {1, "s ap traffic", 2, RFC8448_S_AP_TRAFFIC},
            {1, "exp master", 2, RFC8448_EXPORTER_SECRET},
            {1, "res master", 3, RFC8448_RESUMPTION_MASTER},
        };
        const uint8_t *ths[] = {empty, th_sh, th_sf, th_cf};
        for (size_t i = 0; i < sizeof(d) / sizeof(d[0]); i++) {
            const uint8_t *prk = d[i].from_master > 0 ? master.p : d[i].from_master == 0 ? hs.p
                                                                                         : early.p;
            memset(out, 0, sizeof(out));
            CHECK(mt_hkdf_expand_label(cx, MT_SHA256, prk, d[i].label, ths[d[i].th], 32, out, 32) ==
                  0);
            CHECK_MEM(out, V(d[i].want).p, 32);
        }
    }

    /* Traffic keys and IVs, and "key"/"iv"/"finished" expansions. */
    {
        static const struct {
            const char *secret, *key, *iv;
        } t[] = {
            {RFC8448_S_HS_TRAFFIC, RFC8448_S_HS_KEY, RFC8448_S_HS_IV},
            {RFC8448_C_HS_TRAFFIC, RFC8448_C_HS_KEY, RFC8448_C_HS_IV},
            {RFC8448_S_AP_TRAFFIC, RFC8448_S_AP_KEY, RFC8448_S_AP_IV},
            {RFC8448_C_AP_TRAFFIC, RFC8448_C_AP_KEY, RFC8448_C_AP_IV},
        };
        for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
            bytes secret = V(t[i].secret);
            memset(key, 0, sizeof(key));
            memset(iv, 0, sizeof(iv));
            CHECK(mt_traffic_keys(cx, MT_SHA256, 16, secret.p, key, iv) == 0);
            CHECK_MEM(key, V(t[i].key).p, 16);
            CHECK_MEM(iv, V(t[i].iv).p, 12);
            CHECK(mt_hkdf_expand_label(cx, MT_SHA256, secret.p, "key", NULL, 0, key, 16) == 0);
            CHECK_MEM(key, V(t[i].key).p, 16);
            CHECK(mt_hkdf_expand_label(cx, MT_SHA256, secret.p, "iv", NULL, 0, iv, 12) == 0);
            CHECK_MEM(iv, V(t[i].iv).p, 12);
        }
    }
    CHECK(mt_hkdf_expand_label(cx, MT_SHA256, s_hs.p, "finished", NULL, 0, out, 32) == 0);
    CHECK_MEM(out, s_fk.p, 32);
    CHECK(mt_hkdf_expand_label(cx, MT_SHA256, c_hs.p, "finished", NULL, 0, out, 32) == 0);
    CHECK_MEM(out, c_fk.p, 32);

    /* verify_data of both Finished messages, and the messages. */
    CHECK(mt_finished_mac(cx, MT_SHA256, s_hs.p, th_cv, out) == 0);
    CHECK_MEM(out, s_vd.p, 32);
    CHECK(sfin.n == 36 && memcmp(sfin.p, "\x14\x00\x00\x20", 4) == 0);
    CHECK_MEM(sfin.p + 4, out, 32);
    CHECK(mt_finished_mac(cx, MT_SHA256, c_hs.p, th_sf, out) == 0);
    CHECK_MEM(out, c_vd.p, 32);
    CHECK(cfin.n == 36 && memcmp(cfin.p, "\x14\x00\x00\x20", 4) == 0);
    CHECK_MEM(cfin.p + 4, out, 32);
    CHECK(mt_hmac(cx, MT_SHA256, s_fk.p, 32, th_cv, 32, out) == 0);
    CHECK_MEM(out, s_vd.p, 32);
    CHECK(mt_hmac(cx, MT_SHA256, c_fk.p, 32, th_sf, 32, out) == 0);
    CHECK_MEM(out, c_vd.p, 32);

    /* Limits of HKDF-Expand-Label. */
    {
        char long_label[260];
        memset(long_label, 'a', sizeof(long_label) - 1);
        long_label[sizeof(long_label) - 1] = '\0';
        CHECK(mt_hkdf_expand_label(cx, MT_SHA256, hs.p, long_label, NULL, 0, out, 32) == -1);
        long_label[249] = '\0'; /* "tls13 " + 249 = 255: the most that fits */
        CHECK(mt_hkdf_expand_label(cx, MT_SHA256, hs.p, long_label, NULL, 0, out, 32) == 0);
        CHECK(mt_hkdf_expand_label(cx, MT_SHA256, hs.p, "x", zeros, 256, out, 32) == -1);
    }
}

/* ---- 2. record layer --------------------------------------------------------- */

typedef struct {
    uint8_t type;
    const char *plaintext; /* hex */
    const char *record;    /* hex */
} rec_vec;

/* Records of one direction under one traffic key, sequence numbers from 0:
 * each decrypts to its plaintext and type; encrypting the plaintexts in
 * order reproduces the records byte for byte. */
static void record_direction(const char *key_hex, const char *iv_hex, const rec_vec *v, size_t n)
{
    bytes key = V(key_hex), iv = V(iv_hex);
    mt_record r;
    mt_error e;
    mt_buf all;

    mt_error_clear(&e);
    mt_buf_init(&all);

    /* Read. */
    mt_record_init(&r);
    CHECK(mt_rec_dir_set(&r.rd, cx, MT_AES_128_GCM, 0, key.p, iv.p) == 0);
    for (size_t i = 0; i < n; i++) {
        bytes rec = V(v[i].record), pt = V(v[i].plaintext);
        uint8_t type = 0, *data = NULL;
        size_t len = 0;
        CHECK(mt_w_bytes(&all, rec.p, rec.n) == 0);
        CHECK(mt_rec_feed(&r, rec.p, rec.n) == 0);
        CHECK(mt_rec_read(&r, &type, &data, &len, &e) == 1);
        CHECK(type == v[i].type);
        CHECK(len == pt.n);
        if (len == pt.n)
            CHECK_MEM(data, pt.p, pt.n);
        mt_rec_release(&r);
        CHECK(r.rd.seq == i + 1);
    }
    CHECK(mt_rec_buffered(&r) == 0);
    mt_record_free(&r);

    /* Write. */
    mt_record_init(&r);
    CHECK(mt_rec_dir_set(&r.wr, cx, MT_AES_128_GCM, 1, key.p, iv.p) == 0);
    for (size_t i = 0; i < n; i++) {
        bytes pt = V(v[i].plaintext);
        CHECK(mt_rec_write(&r, v[i].type, pt.p, pt.n, &e) == 0);
    }
    CHECK(r.out.len == all.len);
    if (r.out.len == all.len)
        CHECK_MEM(r.out.data, all.data, all.len);
    CHECK(r.wr.seq == n);
    mt_record_free(&r);

    /* All records at once, fed one byte at a time: nothing comes out
     * before a record is whole, each comes out once it is. */
    mt_record_init(&r);
    CHECK(mt_rec_dir_set(&r.rd, cx, MT_AES_128_GCM, 0, key.p, iv.p) == 0);
    {
        size_t got = 0, end = V(v[0].record).n, i = 0, bad = 0;
        for (size_t off = 0; off < all.len; off++) {
            uint8_t type, *data;
            size_t len;
            int ret;
            CHECK(mt_rec_feed(&r, all.data + off, 1) == 0);
            ret = mt_rec_read(&r, &type, &data, &len, &e);
            if (i < n && off + 1 == end) {
                bad += !(ret == 1 && type == v[i].type);
                mt_rec_release(&r);
                got++;
                if (++i < n)
                    end += V(v[i].record).n;
            } else {
                bad += ret != 0;
            }
        }
        CHECK(got == n && bad == 0);
    }
    mt_record_free(&r);

    /* A record altered anywhere (header, ciphertext or tag) fails with
     * bad_record_mac; the header's length field is left alone. */
    {
        bytes rec = V(v[0].record);
        /* legacy_record_version's low byte, the first ciphertext byte, one
         * in the middle, the last tag byte */
        size_t spots[] = {2, MT_RECORD_HEADER, rec.n / 2, rec.n - 1};
        for (size_t k = 0; k < sizeof(spots) / sizeof(spots[0]); k++) {
            uint8_t type, *data;
            size_t len;
            mt_error e2;
            mt_error_clear(&e2);
            mt_record_init(&r);
            CHECK(mt_rec_dir_set(&r.rd, cx, MT_AES_128_GCM, 0, key.p, iv.p) == 0);
            CHECK(mt_rec_feed(&r, rec.p, rec.n) == 0);
            r.in.data[spots[k]] ^= 0x01;
            CHECK(mt_rec_read(&r, &type, &data, &len, &e2) < 0);
            CHECK(e2.alert == MT_ALERT_BAD_RECORD_MAC);
            mt_record_free(&r);
        }
    }
    mt_buf_free(&all);
}

static void test_record_layer(void)
{
    char flight[2 * 1024];
    bytes ee = V(RFC8448_ENCRYPTED_EXTENSIONS), cert = V(RFC8448_CERTIFICATE);
    bytes cv = V(RFC8448_CERTIFICATE_VERIFY), sfin = V(RFC8448_SERVER_FINISHED);
    size_t o = 0;

    /* EE || Certificate || CertificateVerify || Finished, as hex. */
    flight[0] = '\0';
    for (int m = 0; m < 4; m++) {
        bytes b = m == 0 ? ee : m == 1 ? cert : m == 2 ? cv : sfin;
        for (size_t i = 0; i < b.n; i++)
            o += (size_t)snprintf(flight + o, sizeof(flight) - o, "%02x", b.p[i]);
    }
    CHECK(o == 2 * 657);

    /* The server's handshake flight: one record, seq 0. */
    record_direction(RFC8448_S_HS_KEY, RFC8448_S_HS_IV,
                     (rec_vec[]){{MT_CT_HANDSHAKE, flight, RFC8448_SERVER_FLIGHT_RECORD}}, 1);
    /* The client's Finished, seq 0 under the client handshake key. */
    record_direction(RFC8448_C_HS_KEY, RFC8448_C_HS_IV,
                     (rec_vec[]){{MT_CT_HANDSHAKE, RFC8448_CLIENT_FINISHED,
                                  RFC8448_CLIENT_FINISHED_RECORD}},
                     1);
    /* Server application key: NewSessionTicket (0), data (1), close (2). */
    record_direction(RFC8448_S_AP_KEY, RFC8448_S_AP_IV,
                     (rec_vec[]){
                         {MT_CT_HANDSHAKE, RFC8448_NEW_SESSION_TICKET,
                          RFC8448_NEW_SESSION_TICKET_RECORD},
                         {MT_CT_APPLICATION_DATA, RFC8448_APP_DATA, RFC8448_SERVER_APP_RECORD},
                         {MT_CT_ALERT, "0100", RFC8448_SERVER_CLOSE_RECORD},
                     },
                     3);
    /* Client application key: data (0), close (1). */
    record_direction(RFC8448_C_AP_KEY, RFC8448_C_AP_IV,
                     (rec_vec[]){
                         {MT_CT_APPLICATION_DATA, RFC8448_APP_DATA, RFC8448_CLIENT_APP_RECORD},
                         {MT_CT_ALERT, "0100", RFC8448_CLIENT_CLOSE_RECORD},
                     },
                     2);

    /* The plaintext records of the trace pass through unchanged. */
    {
        mt_record r;
        mt_error e;
        bytes chr = V(RFC8448_CLIENT_HELLO_RECORD), shr = V(RFC8448_SERVER_HELLO_RECORD);
        bytes sh = V(RFC8448_SERVER_HELLO);
        uint8_t type, *data;
        size_t len;
        mt_error_clear(&e);
        mt_record_init(&r);
        CHECK(mt_rec_feed(&r, chr.p, chr.n) == 0);
        CHECK(mt_rec_read(&r, &type, &data, &len, &e) == 1);
        CHECK(type == MT_CT_HANDSHAKE && len == 196);
        CHECK_MEM(data, V(RFC8448_CLIENT_HELLO).p, 196);
        mt_rec_release(&r);
        CHECK(mt_rec_write(&r, MT_CT_HANDSHAKE, sh.p, sh.n, &e) == 0);
        CHECK(r.out.len == shr.n);
        CHECK_MEM(r.out.data, shr.p, shr.n);
        mt_record_free(&r);
    }
}

/* ---- 3. the client state machine ------------------------------------------ */

static size_t take_all(mutls_conn *c, uint8_t *out, size_t cap)
{
    size_t n = mutls_conn_take(c, out, cap);
    CHECK(mutls_conn_pending(c) == 0);
    return n;
}

static void test_client(void)
{
    bytes ch = V(RFC8448_CLIENT_HELLO), shr = V(RFC8448_SERVER_HELLO_RECORD);
    bytes flight = V(RFC8448_SERVER_FLIGHT_RECORD), cfin = V(RFC8448_CLIENT_FINISHED_RECORD);
    bytes nst = V(RFC8448_NEW_SESSION_TICKET_RECORD), sapp = V(RFC8448_SERVER_APP_RECORD);
    bytes capp = V(RFC8448_CLIENT_APP_RECORD), app = V(RFC8448_APP_DATA);
    bytes cclose = V(RFC8448_CLIENT_CLOSE_RECORD), sclose = V(RFC8448_SERVER_CLOSE_RECORD);
    bytes crandom = V(RFC8448_CLIENT_RANDOM), cpub = V(RFC8448_CLIENT_X25519_PUB);
    uint8_t out[4096], buf[256];
    size_t n, pem_len = 0;
    char *pem = rfc_cert_pem(&pem_len);
    script s;
    keylog kl = {{0}, 0};
    mutls_config *cfg = mutls_config_new(MUTLS_CLIENT);
    mutls_conn *c;

    CHECK(cfg != NULL && pem != NULL);
    if (cfg == NULL || pem == NULL) {
        free(pem);
        mutls_config_free(cfg);
        return;
    }
    /* The client draws: ClientHello.random (32), then - in middlebox
     * compatibility mode only - a legacy_session_id (32), then its X25519
     * private key (32). The RFC client sends an empty session id, so
     * compatibility mode is off and the script is random || private key. */
    script_set(&s, RFC8448_CLIENT_RANDOM, RFC8448_CLIENT_X25519_PRIV);
    mutls_config_set_random(cfg, script_rng, &s);
    mutls_config_set_time(cfg, rfc_time, NULL);
    mutls_config_set_middlebox_compat(cfg, 0);
    CHECK(mutls_config_set_ca_mem(cfg, pem, pem_len) == 0);
    /* The RFC certificate names "rsa" (CN only, no SAN) and is not a CA:
     * name and chain checks are off. CertificateVerify and Finished are
     * still checked, with the certificate's key. */
    mutls_config_set_verify(cfg, MUTLS_VERIFY_NONE);
    /* With server_name and record_size_limit offered, our ClientHello
     * offers every extension the RFC's EncryptedExtensions answers
     * (server_name, supported_groups, record_size_limit). */
    CHECK(mutls_config_set_record_size_limit(cfg, 0x4001) == 0);
    mutls_config_set_keylog(cfg, keylog_cb, &kl);
    c = mutls_conn_new(cfg);
    mutls_config_free(cfg);
    CHECK(c != NULL);
    if (c == NULL) {
        free(pem);
        return;
    }
    CHECK(mutls_conn_set_server_name(c, "server") == 0);

    /* Our ClientHello: it carries the RFC random and key share. */
    CHECK(mutls_conn_handshake(c) == MUTLS_WANT_READ);
    n = take_all(c, out, sizeof(out));
    CHECK(n > 5 + 4 + 2 + 32 + 1 && out[0] == MT_CT_HANDSHAKE && out[5] == MT_HS_CLIENT_HELLO);
    CHECK(((size_t)out[3] << 8 | out[4]) == n - 5);
    CHECK_MEM(out + 5 + 4 + 2, crandom.p, 32);
    CHECK(out[5 + 4 + 2 + 32] == 0); /* empty legacy_session_id */
    CHECK(contains(out, n, cpub.p, cpub.n));
    CHECK(s.off == 64 && s.failures == 0);
    CHECK(c->hs != NULL && c->hs->raw_transcript.len == n - 5);

    /* THE TEST SEAM. Our ClientHello cannot be the RFC's: the RFC client
     * also offers groups, signature schemes and extensions mutls does not
     * send (ffdhe groups, session_ticket, renegotiation_info,
     * psk_key_exchange_modes, ...). Every later secret hashes the
     * ClientHello, so the transcript is made to hold the RFC's ClientHello
     * instead of ours. The client's own state (random, X25519 key, the
     * extensions it offered) is what the RFC client's was as far as the
     * server's answer is concerned, so from here on every byte the client
     * produces must be the RFC's. Nothing else of the connection is
     * touched. */
    CHECK(c->hs->transcript == NULL); /* still raw: the hash is not chosen yet */
    mt_buf_reset(&c->hs->raw_transcript);
    CHECK(mt_w_bytes(&c->hs->raw_transcript, ch.p, ch.n) == 0);

    /* ServerHello: handshake traffic secrets. */
    CHECK(mutls_conn_feed(c, shr.p, shr.n) == MUTLS_OK);
    CHECK(c->state == MT_ST_C_WAIT_EE);
    CHECK(mutls_conn_pending(c) == 0);
    CHECK(kl.n == 2);
    CHECK(keylog_has(&kl, "CLIENT_HANDSHAKE_TRAFFIC_SECRET " RFC8448_CLIENT_RANDOM
                          " " RFC8448_C_HS_TRAFFIC));
    CHECK(keylog_has(&kl, "SERVER_HANDSHAKE_TRAFFIC_SECRET " RFC8448_CLIENT_RANDOM
                          " " RFC8448_S_HS_TRAFFIC));

    /* The server's flight (EE, Certificate, CertificateVerify, Finished in
     * one record): the client answers with its Finished. */
    CHECK(mutls_conn_feed(c, flight.p, flight.n) == MUTLS_OK);
    if (mutls_conn_error_code(c) != MUTLS_OK)
        fprintf(stderr, "client: %s\n", mutls_conn_error(c));
    CHECK(mutls_conn_handshake_done(c));
    CHECK(mutls_conn_handshake(c) == MUTLS_OK);
    CHECK(c->hs == NULL);
    CHECK(mutls_conn_version(c) == MUTLS_TLS1_3);
    CHECK(mutls_conn_cipher_suite(c) == 0x1301);
    CHECK(mutls_conn_group(c) == MT_GROUP_X25519);
    CHECK(mutls_conn_sig_scheme(c) == MT_SIG_RSA_PSS_RSAE_SHA256);
    CHECK(mutls_conn_peer_subject(c) != NULL && strcmp(mutls_conn_peer_subject(c), "CN=rsa") == 0);
    CHECK(!mutls_conn_peer_verified(c));
    CHECK(mutls_conn_alpn(c) == NULL);
    CHECK(!mutls_conn_did_hrr(c));
    /* RFC 8449: the server's limit 0x4001 leaves 2^14 bytes of content. */
    CHECK(c->rec.send_plaintext_max == 0x4000);
    CHECK(c->rec.recv_inner_max == 0x4001);

    n = take_all(c, out, sizeof(out));
    CHECK(n == cfin.n);
    if (n == cfin.n)
        CHECK_MEM(out, cfin.p, cfin.n); /* byte for byte the RFC's record */

    /* The key log: exactly the RFC's secrets. */
    CHECK(kl.n == 5);
    CHECK(keylog_has(&kl, "CLIENT_TRAFFIC_SECRET_0 " RFC8448_CLIENT_RANDOM " " RFC8448_C_AP_TRAFFIC));
    CHECK(keylog_has(&kl, "SERVER_TRAFFIC_SECRET_0 " RFC8448_CLIENT_RANDOM " " RFC8448_S_AP_TRAFFIC));
    CHECK(keylog_has(&kl, "EXPORTER_SECRET " RFC8448_CLIENT_RANDOM " " RFC8448_EXPORTER_SECRET));

    /* NewSessionTicket (server seq 0): accepted, nothing to read. */
    CHECK(mutls_conn_feed(c, nst.p, nst.n) == MUTLS_OK);
    CHECK(mutls_conn_read(c, buf, sizeof(buf)) == MUTLS_WANT_READ);
    /* Application data (server seq 1). */
    CHECK(mutls_conn_feed(c, sapp.p, sapp.n) == MUTLS_OK);
    CHECK(mutls_conn_read(c, buf, sizeof(buf)) == (int)app.n);
    CHECK_MEM(buf, app.p, app.n);
    CHECK(mutls_conn_read(c, buf, sizeof(buf)) == MUTLS_WANT_READ);

    /* The client's application data (seq 0) and close_notify (seq 1). */
    CHECK(mutls_conn_write(c, app.p, app.n) == (int)app.n);
    n = take_all(c, out, sizeof(out));
    CHECK(n == capp.n);
    if (n == capp.n)
        CHECK_MEM(out, capp.p, capp.n);
    CHECK(mutls_conn_close(c) == 0);
    n = take_all(c, out, sizeof(out));
    CHECK(n == cclose.n);
    if (n == cclose.n)
        CHECK_MEM(out, cclose.p, cclose.n);
    CHECK(mutls_conn_write(c, app.p, app.n) == MUTLS_ERR_CLOSED);

    /* The server's close_notify (seq 2): a clean end of stream. */
    CHECK(mutls_conn_feed(c, sclose.p, sclose.n) == MUTLS_OK);
    CHECK(mutls_conn_read(c, buf, sizeof(buf)) == 0);
    CHECK(mutls_conn_error_code(c) == MUTLS_OK);
    CHECK(mutls_conn_alert_sent(c) == -1 && mutls_conn_alert_received(c) == -1);
    CHECK(s.off == 64 && s.failures == 0); /* nothing more was drawn */

    mutls_conn_free(c);
    keylog_free(&kl);
    free(pem);
}

/* The same client, with the server flight altered: every tampering is
 * caught (bad_record_mac), and a valid record carrying a wrong Finished
 * (re-encrypted with the RFC key) is decrypt_error. */
static void test_client_rejects(void)
{
    bytes ch = V(RFC8448_CLIENT_HELLO), shr = V(RFC8448_SERVER_HELLO_RECORD);
    bytes flight = V(RFC8448_SERVER_FLIGHT_RECORD);
    uint8_t out[4096];

    for (int variant = 0; variant < 3; variant++) {
        script s;
        mutls_config *cfg = mutls_config_new(MUTLS_CLIENT);
        mutls_conn *c;
        mt_buf alt;
        mt_buf_init(&alt);
        script_set(&s, RFC8448_CLIENT_RANDOM, RFC8448_CLIENT_X25519_PRIV);
        mutls_config_set_random(cfg, script_rng, &s);
        mutls_config_set_time(cfg, rfc_time, NULL);
        mutls_config_set_middlebox_compat(cfg, 0);
        mutls_config_set_verify(cfg, MUTLS_VERIFY_NONE);
        CHECK(mutls_config_set_record_size_limit(cfg, 0x4001) == 0);
        c = mutls_conn_new(cfg);
        mutls_config_free(cfg);
        CHECK(c != NULL && mutls_conn_set_server_name(c, "server") == 0);
        CHECK(mutls_conn_handshake(c) == MUTLS_WANT_READ);
        (void)mutls_conn_take(c, out, sizeof(out));
        mt_buf_reset(&c->hs->raw_transcript);
        CHECK(mt_w_bytes(&c->hs->raw_transcript, ch.p, ch.n) == 0);
        CHECK(mutls_conn_feed(c, shr.p, shr.n) == MUTLS_OK);

        if (variant == 0) {
            /* one ciphertext bit */
            CHECK(mt_w_bytes(&alt, flight.p, flight.n) == 0);
            alt.data[100] ^= 0x80;
            CHECK(mutls_conn_feed(c, alt.data, alt.len) == MUTLS_ERR_PROTOCOL);
            CHECK(mutls_conn_alert_sent(c) == MT_ALERT_BAD_RECORD_MAC);
        } else {
            /* re-encrypt the RFC flight with one bit changed in the
             * Finished (variant 1) or the CertificateVerify signature
             * (variant 2) */
            mt_record r;
            mt_error e;
            uint8_t type, *data;
            size_t len;
            mt_error_clear(&e);
            mt_record_init(&r);
            CHECK(mt_rec_dir_set(&r.rd, cx, MT_AES_128_GCM, 0, V(RFC8448_S_HS_KEY).p,
                                 V(RFC8448_S_HS_IV).p) == 0);
            CHECK(mt_rec_dir_set(&r.wr, cx, MT_AES_128_GCM, 1, V(RFC8448_S_HS_KEY).p,
                                 V(RFC8448_S_HS_IV).p) == 0);
            CHECK(mt_rec_feed(&r, flight.p, flight.n) == 0);
            CHECK(mt_rec_read(&r, &type, &data, &len, &e) == 1 && len == 657);
            if (len == 657) {
                data[variant == 1 ? len - 1 : 40 + 445 + 8 + 10] ^= 0x01;
                CHECK(mt_rec_write(&r, MT_CT_HANDSHAKE, data, len, &e) == 0);
            }
            CHECK(mutls_conn_feed(c, r.out.data, r.out.len) == MUTLS_ERR_PROTOCOL);
            CHECK(mutls_conn_alert_sent(c) == MT_ALERT_DECRYPT_ERROR);
            mt_record_free(&r);
        }
        CHECK(!mutls_conn_handshake_done(c));
        /* the connection is frozen: an encrypted alert is all it sends */
        {
            size_t n = mutls_conn_take(c, out, sizeof(out));
            CHECK(n == 5 + 2 + 1 + MT_AEAD_TAG_LEN && out[0] == MT_CT_APPLICATION_DATA);
        }
        mt_buf_free(&alt);
        mutls_conn_free(c);
    }
}

/* ---- 4. the server state machine ------------------------------------------ */

/* RSASSA-PSS (SHA-256, MGF1-SHA-256, 32-byte salt) verification with the
 * RFC certificate's key, straight through libcrypto. */
static int rfc_pss_verify(const uint8_t *msg, size_t len, const uint8_t *sig, size_t sig_len)
{
    bytes der = rfc_cert_der();
    const unsigned char *p = der.p;
    X509 *x = d2i_X509(NULL, &p, (long)der.n);
    EVP_PKEY *pk = x ? X509_get0_pubkey(x) : NULL;
    EVP_MD_CTX *md = EVP_MD_CTX_new();
    EVP_PKEY_CTX *pctx = NULL;
    int ok = pk != NULL && md != NULL &&
             EVP_DigestVerifyInit_ex(md, &pctx, "SHA256", NULL, NULL, pk, NULL) == 1 &&
             EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING) == 1 &&
             EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, 32) == 1 &&
             EVP_PKEY_CTX_set_rsa_mgf1_md_name(pctx, "SHA256", NULL) == 1 &&
             EVP_DigestVerify(md, sig, sig_len, msg, len) == 1;
    EVP_MD_CTX_free(md);
    X509_free(x);
    ERR_clear_error();
    return ok;
}

static void hmac_sha256(const uint8_t *key, const uint8_t *data, size_t len, uint8_t out[32])
{
    size_t outlen = 0;
    CHECK(EVP_Q_mac(NULL, "HMAC", NULL, "SHA256", NULL, key, 32, data, len, out, 32, &outlen) !=
              NULL &&
          outlen == 32);
}

static void test_server(void)
{
    bytes chr = V(RFC8448_CLIENT_HELLO_RECORD), ch = V(RFC8448_CLIENT_HELLO);
    bytes shr = V(RFC8448_SERVER_HELLO_RECORD), sh = V(RFC8448_SERVER_HELLO);
    bytes rfc_cert = V(RFC8448_CERTIFICATE), master = V(RFC8448_MASTER_SECRET);
    bytes app = V(RFC8448_APP_DATA);
    size_t cert_len = 0, key_len = 0, n;
    char *cert_pem = rfc_cert_pem(&cert_len), *key_pem = rfc_key_pem(&key_len);
    script s;
    keylog kl = {{0}, 0};
    mutls_config *cfg = mutls_config_new(MUTLS_SERVER);
    /* The RFC's server sends one ticket with randomness of its own; ours
     * would need more from the scripted random tape: none here. */
    CHECK(mutls_config_set_tickets(cfg, 0) == 0);
    mutls_conn *c = NULL;
    const uint8_t *outp;
    mt_buf msgs;
    mt_record r;
    mt_error e;

    mt_buf_init(&msgs);
    mt_error_clear(&e);
    CHECK(cfg != NULL && cert_pem != NULL && key_pem != NULL);
    if (cfg == NULL || cert_pem == NULL || key_pem == NULL)
        goto Exit;
    CHECK(mutls_config_add_cert_chain_mem(cfg, cert_pem, cert_len, key_pem, key_len) == 0);
    /* The server draws ServerHello.random (32), then its X25519 private
     * key (32). Middlebox compatibility does not matter: the RFC client's
     * legacy_session_id is empty, so no change_cipher_spec is sent. */
    script_set(&s, RFC8448_SERVER_RANDOM, RFC8448_SERVER_X25519_PRIV);
    mutls_config_set_random(cfg, script_rng, &s);
    mutls_config_set_time(cfg, rfc_time, NULL);
    CHECK(mutls_config_set_record_size_limit(cfg, 0x4001) == 0);
    mutls_config_set_keylog(cfg, keylog_cb, &kl);
    c = mutls_conn_new(cfg);
    CHECK(c != NULL);
    if (c == NULL)
        goto Exit;

    CHECK(mutls_conn_feed(c, chr.p, chr.n) == MUTLS_OK);
    if (mutls_conn_error_code(c) != MUTLS_OK)
        fprintf(stderr, "server: %s\n", mutls_conn_error(c));
    CHECK(s.off == 64 && s.failures == 0);
    CHECK(mutls_conn_server_name(c) != NULL && strcmp(mutls_conn_server_name(c), "server") == 0);
    CHECK(mutls_conn_cipher_suite(c) == 0x1301 && mutls_conn_group(c) == MT_GROUP_X25519);
    CHECK(mutls_conn_sig_scheme(c) == MT_SIG_RSA_PSS_RSAE_SHA256);

    /* The first record is the RFC's ServerHello record, byte for byte. */
    outp = mutls_conn_peek_output(c, &n);
    CHECK(n > shr.n);
    if (n > shr.n)
        CHECK_MEM(outp, shr.p, shr.n);
    /* ... so the handshake traffic secrets are the RFC's. */
    CHECK(kl.n >= 2);
    CHECK(keylog_has(&kl, "CLIENT_HANDSHAKE_TRAFFIC_SECRET " RFC8448_CLIENT_RANDOM
                          " " RFC8448_C_HS_TRAFFIC));
    CHECK(keylog_has(&kl, "SERVER_HANDSHAKE_TRAFFIC_SECRET " RFC8448_CLIENT_RANDOM
                          " " RFC8448_S_HS_TRAFFIC));

    /*
     * From here on the server's bytes cannot be the RFC's, for two reasons:
     *  - its EncryptedExtensions differs: the RFC server also listed its
     *    supported_groups (including ffdhe groups mutls does not implement),
     *    mutls sends only the server_name acknowledgement and
     *    record_size_limit;
     *  - its RSA-PSS CertificateVerify signature is randomized (libcrypto
     *    draws the salt), and mutls puts each handshake message in its own
     *    record where the RFC server packed all four in one.
     * What is checked instead: the records decrypt with the RFC's server
     * handshake key and IV (the handshake secrets match), they hold
     * EncryptedExtensions, the RFC Certificate message exactly, a
     * CertificateVerify that verifies under the RFC certificate's key over
     * this transcript, and a Finished that is right for it.
     */
    mt_record_init(&r);
    CHECK(mt_rec_dir_set(&r.rd, cx, MT_AES_128_GCM, 0, V(RFC8448_S_HS_KEY).p,
                         V(RFC8448_S_HS_IV).p) == 0);
    CHECK(mt_rec_feed(&r, outp + shr.n, n - shr.n) == 0);
    for (;;) {
        uint8_t type, *data;
        size_t len;
        int ret = mt_rec_read(&r, &type, &data, &len, &e);
        if (ret != 1) {
            CHECK(ret == 0);
            break;
        }
        CHECK(type == MT_CT_HANDSHAKE);
        CHECK(mt_w_bytes(&msgs, data, len) == 0);
        mt_rec_release(&r);
    }
    CHECK(mt_rec_buffered(&r) == 0);
    CHECK(r.rd.seq == 4); /* one record per message */
    mt_record_free(&r);
    mutls_conn_consume_output(c, n);

    {
        /* Walk EE, Certificate, CertificateVerify, Finished. */
        static const uint8_t want_ee[] = {0x08, 0x00, 0x00, 0x0c, 0x00, 0x0a, 0x00, 0x00,
                                          0x00, 0x00, 0x00, 0x1c, 0x00, 0x02, 0x40, 0x01};
        const uint8_t *m[4] = {0};
        size_t mlen[4] = {0}, off = 0, count = 0;
        while (off + 4 <= msgs.len && count < 4) {
            size_t l = ((size_t)msgs.data[off + 1] << 16) | ((size_t)msgs.data[off + 2] << 8) |
                       msgs.data[off + 3];
            if (off + 4 + l > msgs.len)
                break;
            m[count] = msgs.data + off;
            mlen[count++] = 4 + l;
            off += 4 + l;
        }
        CHECK(count == 4 && off == msgs.len);
        if (count != 4)
            goto Exit;
        CHECK(m[0][0] == MT_HS_ENCRYPTED_EXTENSIONS && m[1][0] == MT_HS_CERTIFICATE &&
              m[2][0] == MT_HS_CERTIFICATE_VERIFY && m[3][0] == MT_HS_FINISHED);

        /* EncryptedExtensions: server_name acknowledged, record_size_limit. */
        CHECK(mlen[0] == sizeof(want_ee));
        if (mlen[0] == sizeof(want_ee))
            CHECK_MEM(m[0], want_ee, sizeof(want_ee));
        {
            mt_reader body = mt_reader_init(m[0] + 4, mlen[0] - 4), block;
            mt_exts x;
            mt_error e2;
            memset(&x, 0, sizeof(x));
            mt_error_clear(&e2);
            CHECK(mt_r_vec(&body, 2, 0, 0xffff, &block) == 0 && mt_r_done(&body) == 0);
            CHECK(mt_exts_parse(&block, MT_IN_EE, ~0ull, &x, &e2) == 0);
            CHECK(x.sni_empty && mt_exts_has(&x, MT_EXT_SERVER_NAME));
            CHECK(mt_exts_has(&x, MT_EXT_RECORD_SIZE_LIMIT) && x.record_size_limit == 0x4001);
            CHECK(!mt_exts_has(&x, MT_EXT_ALPN) && !mt_exts_has(&x, MT_EXT_SUPPORTED_GROUPS));
        }

        /* Certificate: the RFC's message, byte for byte. */
        CHECK(mlen[1] == rfc_cert.n);
        if (mlen[1] == rfc_cert.n)
            CHECK_MEM(m[1], rfc_cert.p, rfc_cert.n);

        /* CertificateVerify: rsa_pss_rsae_sha256 over this transcript. */
        {
            bytes ee = {(uint8_t *)m[0], mlen[0]};
            uint8_t th[32], content[64 + 34 + 32];
            transcript(th, 4, (bytes[]){ch, sh, ee, rfc_cert});
            memset(content, 0x20, 64);
            memcpy(content + 64, "TLS 1.3, server CertificateVerify", 34); /* with its NUL */
            memcpy(content + 98, th, 32);
            CHECK(mlen[2] == 4 + 2 + 2 + 128);
            CHECK(m[2][4] == 0x08 && m[2][5] == 0x04 && m[2][6] == 0x00 && m[2][7] == 0x80);
            CHECK(rfc_pss_verify(content, sizeof(content), m[2] + 8, mlen[2] - 8));
            content[sizeof(content) - 1] ^= 1;
            CHECK(!rfc_pss_verify(content, sizeof(content), m[2] + 8, mlen[2] - 8));
        }

        /* Finished: HMAC(RFC server finished_key, Hash(CH..CV)). */
        {
            bytes ee = {(uint8_t *)m[0], mlen[0]}, cv = {(uint8_t *)m[2], mlen[2]};
            uint8_t th[32], mac[32];
            transcript(th, 5, (bytes[]){ch, sh, ee, rfc_cert, cv});
            hmac_sha256(V(RFC8448_S_FINISHED_KEY).p, th, 32, mac);
            CHECK(mlen[3] == 36 && memcmp(m[3], "\x14\x00\x00\x20", 4) == 0);
            CHECK_MEM(m[3] + 4, mac, 32);
        }

        /* The application secrets follow from the RFC's master secret and
         * this transcript; complete the handshake with a client Finished
         * made from the RFC's client handshake secret. */
        {
            bytes ee = {(uint8_t *)m[0], mlen[0]}, cv = {(uint8_t *)m[2], mlen[2]};
            bytes sf = {(uint8_t *)m[3], mlen[3]};
            uint8_t th[32], c_ap[32], s_ap[32], exp[32], fin[36], key[16], iv[12], buf[128];
            char line[200];
            static const char hex[] = "0123456789abcdef";
            transcript(th, 6, (bytes[]){ch, sh, ee, rfc_cert, cv, sf});
            CHECK(mt_derive_secret(cx, MT_SHA256, master.p, "c ap traffic", th, c_ap) == 0);
            CHECK(mt_derive_secret(cx, MT_SHA256, master.p, "s ap traffic", th, s_ap) == 0);
            CHECK(mt_derive_secret(cx, MT_SHA256, master.p, "exp master", th, exp) == 0);
            for (int k = 0; k < 3; k++) {
                const uint8_t *sec = k == 0 ? c_ap : k == 1 ? s_ap : exp;
                int o = snprintf(line, sizeof(line), "%s %s ",
                                 k == 0   ? "CLIENT_TRAFFIC_SECRET_0"
                                 : k == 1 ? "SERVER_TRAFFIC_SECRET_0"
                                          : "EXPORTER_SECRET",
                                 RFC8448_CLIENT_RANDOM);
                for (int i = 0; i < 32; i++) {
                    line[o++] = hex[sec[i] >> 4];
                    line[o++] = hex[sec[i] & 15];
                }
                line[o] = '\0';
                CHECK(keylog_has(&kl, line));
            }
            CHECK(kl.n == 5);

            memcpy(fin, "\x14\x00\x00\x20", 4);
            hmac_sha256(V(RFC8448_C_FINISHED_KEY).p, th, 32, fin + 4);
            mt_record_init(&r);
            CHECK(mt_rec_dir_set(&r.wr, cx, MT_AES_128_GCM, 1, V(RFC8448_C_HS_KEY).p,
                                 V(RFC8448_C_HS_IV).p) == 0);
            CHECK(mt_rec_write(&r, MT_CT_HANDSHAKE, fin, sizeof(fin), &e) == 0);
            CHECK(mutls_conn_feed(c, r.out.data, r.out.len) == MUTLS_OK);
            mt_record_free(&r);
            CHECK(mutls_conn_handshake_done(c));
            CHECK(mutls_conn_pending(c) == 0); /* tickets are off, nothing else */

            /* The server now writes under s_ap (seq 0) and reads c_ap. */
            CHECK(mutls_conn_write(c, app.p, app.n) == (int)app.n);
            outp = mutls_conn_peek_output(c, &n);
            CHECK(mt_traffic_keys(cx, MT_SHA256, 16, s_ap, key, iv) == 0);
            mt_record_init(&r);
            CHECK(mt_rec_dir_set(&r.rd, cx, MT_AES_128_GCM, 0, key, iv) == 0);
            CHECK(mt_rec_feed(&r, outp, n) == 0);
            {
                uint8_t type, *data;
                size_t len;
                CHECK(mt_rec_read(&r, &type, &data, &len, &e) == 1);
                CHECK(type == MT_CT_APPLICATION_DATA && len == app.n);
                if (len == app.n)
                    CHECK_MEM(data, app.p, app.n);
            }
            mt_record_free(&r);
            mutls_conn_consume_output(c, n);

            CHECK(mt_traffic_keys(cx, MT_SHA256, 16, c_ap, key, iv) == 0);
            mt_record_init(&r);
            CHECK(mt_rec_dir_set(&r.wr, cx, MT_AES_128_GCM, 1, key, iv) == 0);
            CHECK(mt_rec_write(&r, MT_CT_APPLICATION_DATA, app.p, app.n, &e) == 0);
            CHECK(mutls_conn_feed(c, r.out.data, r.out.len) == MUTLS_OK);
            CHECK(mutls_conn_read(c, buf, sizeof(buf)) == (int)app.n);
            CHECK_MEM(buf, app.p, app.n);
            mt_record_free(&r);
        }
    }
    CHECK(mutls_conn_error_code(c) == MUTLS_OK);

Exit:
    mt_buf_free(&msgs);
    mutls_conn_free(c);
    mutls_config_free(cfg);
    keylog_free(&kl);
    free(cert_pem);
    free(key_pem);
}

/* The RSA key built from the RFC's components is the certificate's, and
 * signs with rsa_pss_rsae_sha256 through mutls's own signing path. */
static void test_rsa_key(void)
{
    size_t key_len = 0;
    char *key_pem = rfc_key_pem(&key_len);
    mt_pkey *k = NULL;
    mt_error e;
    mt_buf sig;
    const mt_sig_scheme *s = mt_sig_scheme_find(MT_SIG_RSA_PSS_RSAE_SHA256);
    static const uint8_t msg[] = "RFC 8448 section 2";

    mt_error_clear(&e);
    mt_buf_init(&sig);
    CHECK(key_pem != NULL && mt_pkey_from_pem(key_pem, key_len, &k, &e) == 0);
    if (k != NULL) {
        CHECK(mt_pkey_type(k) == MT_KEY_RSA && mt_pkey_bits(k) == 1024);
        CHECK(mt_sig_scheme_fits_key(s, k));
        CHECK(mt_sign(cx, k, s, msg, sizeof(msg), &sig) == 0 && sig.len == 128);
        CHECK(rfc_pss_verify(msg, sizeof(msg), sig.data, sig.len));
        CHECK(mt_verify(cx, k, s, msg, sizeof(msg), sig.data, sig.len) == 0);
    }
    /* The RFC's own CertificateVerify signature verifies through mt_verify
     * with the public key of the certificate. */
    {
        bytes der = rfc_cert_der(), cv = V(RFC8448_CERTIFICATE_VERIFY);
        bytes ch = V(RFC8448_CLIENT_HELLO), sh = V(RFC8448_SERVER_HELLO);
        bytes ee = V(RFC8448_ENCRYPTED_EXTENSIONS), cert = V(RFC8448_CERTIFICATE);
        mt_x509 *x = NULL;
        mt_pkey *pub = NULL;
        uint8_t th[32], content[64 + 34 + 32];
        transcript(th, 4, (bytes[]){ch, sh, ee, cert});
        memset(content, 0x20, 64);
        memcpy(content + 64, "TLS 1.3, server CertificateVerify", 34);
        memcpy(content + 98, th, 32);
        CHECK(mt_x509_from_der(der.p, der.n, &x) == 0);
        CHECK(x != NULL && (pub = mt_x509_public_key(x)) != NULL);
        if (pub != NULL) {
            CHECK(mt_pkey_same_public(pub, k));
            CHECK(mt_verify(cx, pub, s, content, sizeof(content), cv.p + 8, cv.n - 8) == 0);
            content[100] ^= 1;
            CHECK(mt_verify(cx, pub, s, content, sizeof(content), cv.p + 8, cv.n - 8) == -1);
        }
        mt_pkey_free(pub);
        mt_x509_free(x);
    }
    mt_buf_free(&sig);
    mt_pkey_free(k);
    free(key_pem);
}

int main(void)
{
    cx = mt_crypto_new();
    if (cx == NULL) {
        fprintf(stderr, "mt_crypto_new failed\n");
        return 1;
    }
    test_key_schedule();
    test_record_layer();
    test_rsa_key();
    test_client();
    test_client_rejects();
    test_server();
    free_vectors();
    mt_crypto_free(cx);
    TEST_MAIN_END();
}
