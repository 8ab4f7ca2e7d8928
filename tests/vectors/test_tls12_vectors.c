/*
 * TLS 1.2 known answers against mutls:
 *
 *   1. the PRF (src/tls12/prf.c, mt_tls12_prf): the P_SHA256 and P_SHA384
 *      vectors of the IETF TLS list, whole and as prefixes, with the seed
 *      split between seed1 and seed2, and cross-checked with OpenSSL's
 *      EVP_KDF "TLS1-PRF" (an independent implementation, used only here);
 *   2. key derivation (mt_tls12_derive_keys): the NIST CAVP master secrets,
 *      and for SHA-256 and SHA-384 suites, with and without the extended
 *      master secret (RFC 7627), the master secret and key block against
 *      EVP_KDF; the key block partition (mt_tls12_install_keys, RFC 5246
 *      6.3) for both roles and both directions against records sealed by
 *      the generator under the partitioned keys;
 *   3. record protection (src/record/record.c) in every TLS 1.2 mode -
 *      AES-128/256-GCM (RFC 5288), ChaCha20-Poly1305 (RFC 7905), AES-CBC
 *      with HMAC-SHA1 MAC-then-encrypt (RFC 5246) and encrypt-then-MAC
 *      (RFC 7366): mt_rec_write reproduces the generator's records byte
 *      for byte (CBC: the explicit IV comes from a scripted mt_rng) and
 *      mt_rec_read opens them, alone and as a stream, at sequence numbers
 *      0, 1, 2, 2^40 + 5 and 2^64 - 2;
 *   4. negative answers: a single-bit flip at every byte position of every
 *      valid record (all eight bits where the record is at most 160 bytes,
 *      one rotating bit in longer ones), every truncation and extension, the
 *      wrong sequence number, and the CBC padding and MAC forgeries of the
 *      generator all fail with the same code, alert (bad_record_mac) and
 *      message - no padding oracle - never succeed, and leave no
 *      unauthenticated plaintext behind. In the 5-byte header, the type and
 *      version are authenticated (bad_record_mac); a flip that makes the
 *      type unknown, the major version not 3 or the length too large fails
 *      earlier with unexpected_message, decode_error or record_overflow
 *      (or waits for the missing bytes).
 *
 * The vectors and where they come from are in tls12_vectors.h; the record
 * vectors are produced by gen_tls12_records.py (not run here).
 */
#include <stdlib.h>
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/kdf.h>
#include <openssl/params.h>

#include "core/conn.h"
#include "record/record.h"
#include "tls12/tls12.h"
#include "tls13/handshake.h"
#include "testlib.h"
#include "vector_bytes.h"
#include "tls12_vectors.h"

static mt_crypto *cx;

/* ---- helpers ----------------------------------------------------------- */

static int all_zero(const uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (p[i] != 0)
            return 0;
    return 1;
}

static int contains(const uint8_t *hay, size_t n, const uint8_t *needle, size_t m)
{
    for (size_t i = 0; m <= n && i <= n - m; i++)
        if (memcmp(hay + i, needle, m) == 0)
            return 1;
    return 0;
}

/* ---- the independent PRF: OpenSSL's EVP_KDF "TLS1-PRF" ------------------ */

static const char *md_name(mt_hash_id h)
{
    return h == MT_SHA384 ? "SHA384" : "SHA256";
}

/* PRF(secret, label, seed1 + seed2) by libcrypto; 0 on success. */
static int evp_prf(mt_hash_id h, const uint8_t *secret, size_t secret_len, const char *label,
                   const uint8_t *s1, size_t n1, const uint8_t *s2, size_t n2, uint8_t *out,
                   size_t out_len)
{
    uint8_t seed[512];
    size_t llen = strlen(label), n = llen + n1 + n2;
    EVP_KDF *kdf;
    EVP_KDF_CTX *k;
    OSSL_PARAM params[4];
    int ok;

    if (n > sizeof(seed))
        return -1;
    memcpy(seed, label, llen);
    if (n1)
        memcpy(seed + llen, s1, n1);
    if (n2)
        memcpy(seed + llen + n1, s2, n2);
    kdf = EVP_KDF_fetch(NULL, "TLS1-PRF", NULL);
    k = kdf ? EVP_KDF_CTX_new(kdf) : NULL;
    params[0] = OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST, (char *)md_name(h), 0);
    params[1] = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_SECRET, (void *)secret, secret_len);
    params[2] = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_SEED, seed, n);
    params[3] = OSSL_PARAM_construct_end();
    ok = k != NULL && EVP_KDF_derive(k, out, out_len, params) == 1;
    EVP_KDF_CTX_free(k);
    EVP_KDF_free(kdf);
    return ok ? 0 : -1;
}

static int evp_hash(mt_hash_id h, const uint8_t *p, size_t n, uint8_t *out)
{
    unsigned int len = 0;
    return EVP_Digest(p, n, out, &len, EVP_get_digestbyname(md_name(h)), NULL) == 1 ? 0 : -1;
}

/* ---- 1. PRF known answers ------------------------------------------------ */

static void prf_kat(mt_hash_id h, const char *secret_hex, const char *seed_hex, const char *out_hex)
{
    bytes secret = V(secret_hex), seed = V(seed_hex), want = V(out_hex);
    uint8_t out[256], ref[256];
    static const size_t lens[] = {1, 31, 32, 33, 47, 48, 49, 64, 65, 99, 100, 147, 148};

    /* The whole vector, by mutls and by libcrypto. */
    memset(out, 0xa5, sizeof(out));
    CHECK(mt_tls12_prf(cx, h, secret.p, secret.n, TLS12_PRF_LABEL, seed.p, seed.n, NULL, 0, out,
                       want.n) == 0);
    CHECK_MEM(out, want.p, want.n);
    CHECK(out[want.n] == 0xa5); /* nothing written past out_len */
    CHECK(evp_prf(h, secret.p, secret.n, TLS12_PRF_LABEL, seed.p, seed.n, NULL, 0, ref, want.n) == 0);
    CHECK_MEM(ref, want.p, want.n);

    /* seed1 + seed2 is one seed, wherever it is split. */
    for (size_t cut = 0; cut <= seed.n; cut += 5) {
        memset(out, 0, sizeof(out));
        CHECK(mt_tls12_prf(cx, h, secret.p, secret.n, TLS12_PRF_LABEL, seed.p, cut, seed.p + cut,
                           seed.n - cut, out, want.n) == 0);
        CHECK_MEM(out, want.p, want.n);
    }

    /* Every shorter output is a prefix (partial last block). */
    for (size_t i = 0; i < sizeof(lens) / sizeof(lens[0]) && lens[i] <= want.n; i++) {
        memset(out, 0xa5, sizeof(out));
        CHECK(mt_tls12_prf(cx, h, secret.p, secret.n, TLS12_PRF_LABEL, seed.p, seed.n, NULL, 0,
                           out, lens[i]) == 0);
        CHECK_MEM(out, want.p, lens[i]);
        CHECK(out[lens[i]] == 0xa5);
    }
}

static void test_prf(void)
{
    uint8_t big[200], out[100], ref[100];

    prf_kat(MT_SHA256, TLS12_PRF_SHA256_SECRET, TLS12_PRF_SHA256_SEED, TLS12_PRF_SHA256_OUT);
    prf_kat(MT_SHA384, TLS12_PRF_SHA384_SECRET, TLS12_PRF_SHA384_SEED, TLS12_PRF_SHA384_OUT);

    /* The seed buffer holds label + seeds up to 128 bytes: the largest
     * agrees with libcrypto, one more is refused (no overflow). */
    for (size_t i = 0; i < sizeof(big); i++)
        big[i] = (uint8_t)(i * 13 + 1);
    for (int h = MT_SHA256; h <= MT_SHA384; h++) {
        size_t room = 128 - strlen(TLS12_PRF_LABEL);
        CHECK(mt_tls12_prf(cx, (mt_hash_id)h, big, 48, TLS12_PRF_LABEL, big, room - 40, big + 100,
                           40, out, sizeof(out)) == 0);
        CHECK(evp_prf((mt_hash_id)h, big, 48, TLS12_PRF_LABEL, big, room - 40, big + 100, 40, ref,
                      sizeof(ref)) == 0);
        CHECK_MEM(out, ref, sizeof(out));
        CHECK(mt_tls12_prf(cx, (mt_hash_id)h, big, 48, TLS12_PRF_LABEL, big, room - 40, big + 100,
                           41, out, sizeof(out)) == -1);
        CHECK(mt_tls12_prf(cx, (mt_hash_id)h, big, 48, TLS12_PRF_LABEL, big, 100, big + 100, 100,
                           out, sizeof(out)) == -1);
    }
}

/* ---- connections for key derivation ------------------------------------ */

typedef struct {
    char line[512];
    int n;
} keylog_capture;

static void keylog_cb(void *ctx, const char *line)
{
    keylog_capture *k = ctx;
    snprintf(k->line, sizeof(k->line), "%s", line);
    k->n++;
}

static keylog_capture keylog;

static mutls_conn *new_conn(void)
{
    mutls_config *cfg = mutls_config_new(MUTLS_CLIENT);
    mutls_conn *c;
    if (cfg == NULL)
        return NULL;
    mutls_config_set_verify(cfg, MUTLS_VERIFY_NONE);
    mutls_config_set_keylog(cfg, keylog_cb, &keylog);
    c = mutls_conn_new(cfg);
    mutls_config_free(cfg);
    if (c != NULL && c->hs == NULL && mt_hs_new(c) != 0) {
        mutls_conn_free(c);
        return NULL;
    }
    return c;
}

static size_t key_block_len(const mt_suite *s)
{
    return 2 * (s->mac_key_len + s->key_len + s->fixed_iv_len);
}

static void hex_of(char *out, const uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        sprintf(out + 2 * i, "%02x", p[i]);
}

/* ---- 2. master secret and key block --------------------------------------- */

static void test_cavp(void)
{
    for (size_t i = 0; i < sizeof(tls12_cavp_vectors) / sizeof(tls12_cavp_vectors[0]); i++) {
        const tls12_cavp *v = &tls12_cavp_vectors[i];
        bytes pms = V(v->pms), chr = V(v->ch_random), shr = V(v->sh_random);
        bytes sr = V(v->s_random), cr = V(v->c_random), ms = V(v->master), kb = V(v->key_block);
        mutls_conn *c = new_conn();
        uint8_t out[128], ref[128];
        char want[512], hex[200];

        CHECK(c != NULL);
        if (c == NULL)
            continue;
        c->suite = mt_suite_find(v->suite);
        CHECK(c->suite != NULL && ms.n == 48 && kb.n == 128);
        c->ems = 0;
        memcpy(c->hs->client_random, chr.p, 32);
        memcpy(c->hs->server_random, shr.p, 32);
        keylog.n = 0;
        CHECK(mt_tls12_derive_keys(c, pms.p, pms.n) == 0);
        CHECK_MEM(c->hs->master, ms.p, 48);

        /* The key block of derive_keys: the hello randoms again, server
         * first (CAVP's key block uses other randoms; checked below). */
        size_t n = key_block_len(c->suite);
        CHECK(evp_prf(c->suite->hash, ms.p, 48, "key expansion", shr.p, 32, chr.p, 32, ref, n) == 0);
        CHECK_MEM(c->hs->key_block, ref, n);
        CHECK(all_zero(c->hs->key_block + n, sizeof(c->hs->key_block) - n));

        /* CAVP's key block from its master secret and randoms. */
        CHECK(mt_tls12_prf(cx, c->suite->hash, ms.p, 48, "key expansion", sr.p, 32, cr.p, 32, out,
                           128) == 0);
        CHECK_MEM(out, kb.p, 128);
        CHECK(evp_prf(c->suite->hash, ms.p, 48, "key expansion", sr.p, 32, cr.p, 32, ref, 128) == 0);
        CHECK_MEM(ref, kb.p, 128);

        /* NSS key log: CLIENT_RANDOM <client random> <master secret>. */
        hex_of(hex, chr.p, 32);
        snprintf(want, sizeof(want), "CLIENT_RANDOM %s %s", hex, v->master);
        CHECK(keylog.n == 1 && strcmp(keylog.line, want) == 0);
        mutls_conn_free(c);
    }
}

/* A handshake transcript stand-in: what the session hash covers. */
static const char *const transcript_msgs[] = {
    /* ClientHello, ServerHello, Certificate (empty), ServerHelloDone,
     * ClientKeyExchange: well-formed framing, made-up content. */
    "0100002903030391ee00e4b1b672f516fc2c9f08892d5687220dd9f524b6d01ba50112ed1817000002c02f0100",
    "02000026030326cece777686efaea14f67d2817648e35ef7836417380dac07dde5ce540d1bdc00c02f00",
    "0b000003000000",
    "0e000000",
    "10000021201edc8badc2732b34a186515099e05d3af762646ecdb18f6f797dfa50dc57b3b9",
};

static void test_derive_keys(void)
{
    static const uint16_t suites[] = {
        0xc02f, /* AES_128_GCM_SHA256 */
        0xcca8, /* CHACHA20_POLY1305_SHA256 */
        0xc013, /* AES_128_CBC_SHA: PRF SHA-256, MAC SHA-1 */
        0xc014, /* AES_256_CBC_SHA */
        0xc030, /* AES_256_GCM_SHA384 */
        0x009d, /* RSA_WITH_AES_256_GCM_SHA384 */
    };
    uint8_t pms[48], cr[32], sr[32];

    for (size_t i = 0; i < sizeof(pms); i++)
        pms[i] = (uint8_t)(0x30 + i);
    for (size_t i = 0; i < 32; i++) {
        cr[i] = (uint8_t)(0xc0 ^ i);
        sr[i] = (uint8_t)(0x50 + 3 * i);
    }
    for (size_t si = 0; si < sizeof(suites) / sizeof(suites[0]); si++) {
        uint8_t master_plain[48] = {0};
        for (int ems = 0; ems <= 1; ems++) {
            mutls_conn *c = new_conn();
            const mt_suite *s = mt_suite_find(suites[si]);
            uint8_t sh[MT_MAX_HASH], sh2[MT_MAX_HASH], want[48], kb[128];
            mt_buf all;
            /* ECDHE gives 32 (X25519) or 48 (P-384) bytes, RSA 48. */
            size_t pms_len = si % 2 ? 32 : 48;

            CHECK(c != NULL && s != NULL);
            if (c == NULL || s == NULL) {
                mutls_conn_free(c);
                continue;
            }
            c->suite = s;
            c->ems = ems;
            memcpy(c->hs->client_random, cr, 32);
            memcpy(c->hs->server_random, sr, 32);
            mt_buf_init(&all);
            CHECK(mt_transcript_start_hash(c, s->hash) == 0);
            for (size_t m = 0; m < sizeof(transcript_msgs) / sizeof(transcript_msgs[0]); m++) {
                bytes msg = V(transcript_msgs[m]);
                CHECK(mt_transcript_add(c, msg.p, msg.n) == 0);
                CHECK(mt_w_bytes(&all, msg.p, msg.n) == 0);
            }
            /* The session hash, by libcrypto (RFC 7627 section 3). */
            CHECK(evp_hash(s->hash, all.data, all.len, sh) == 0);
            mt_buf_free(&all);

            CHECK(mt_tls12_derive_keys(c, pms, pms_len) == 0);
            if (ems)
                CHECK(evp_prf(s->hash, pms, pms_len, "extended master secret", sh,
                              mt_hash_size(s->hash), NULL, 0, want, 48) == 0);
            else
                CHECK(evp_prf(s->hash, pms, pms_len, "master secret", cr, 32, sr, 32, want, 48) == 0);
            CHECK_MEM(c->hs->master, want, 48);
            size_t n = key_block_len(s);
            CHECK(evp_prf(s->hash, want, 48, "key expansion", sr, 32, cr, 32, kb, n) == 0);
            CHECK_MEM(c->hs->key_block, kb, n);
            CHECK(all_zero(c->hs->key_block + n, sizeof(c->hs->key_block) - n));
            if (!ems)
                memcpy(master_plain, c->hs->master, 48);
            else
                CHECK(memcmp(master_plain, c->hs->master, 48) != 0);
            /* The session hash was read, not consumed. */
            CHECK(mt_transcript_hash(c, sh2) == 0);
            CHECK_MEM(sh2, sh, mt_hash_size(s->hash));
            mutls_conn_free(c);
        }
    }
}

/* ---- deterministic explicit IVs ------------------------------------------ */

typedef struct {
    uint8_t bytes[256];
    size_t len, off;
    int calls, failures;
} script;

static int script_rng(void *ctx, uint8_t *out, size_t len)
{
    script *s = ctx;
    s->calls++;
    if (len != MT_CBC_BLOCK || s->len - s->off < len) {
        s->failures++;
        return -1;
    }
    memcpy(out, s->bytes + s->off, len);
    s->off += len;
    return 0;
}

static void script_add(script *s, const bytes *b)
{
    if (b->n <= sizeof(s->bytes) - s->len) {
        memcpy(s->bytes + s->len, b->p, b->n);
        s->len += b->n;
    }
}

/* ---- the bad_record_mac answer ------------------------------------------- */

static char bad_mac_msg[sizeof(((mt_error *)0)->msg)];
static unsigned long n_bad, n_flips, n_header_flips;

/* A read that must fail as bad_record_mac, with the one message. */
static int is_bad_mac(int ret, const mt_error *e)
{
    if (bad_mac_msg[0] == '\0' && e->alert == MT_ALERT_BAD_RECORD_MAC)
        snprintf(bad_mac_msg, sizeof(bad_mac_msg), "%s", e->msg);
    return ret == MUTLS_ERR_PROTOCOL && e->code == MUTLS_ERR_PROTOCOL &&
           e->alert == MT_ALERT_BAD_RECORD_MAC && strcmp(e->msg, bad_mac_msg) == 0;
}

static void reset_input(mt_record *r)
{
    mt_buf_reset(&r->in);
    r->in_off = 0;
    r->pending = 0;
}

/* Feed one record into a fresh input and read it. */
static int read_once(mt_record *r, uint64_t seq, const uint8_t *rec, size_t n, uint8_t *type,
                     uint8_t **data, size_t *len, mt_error *e)
{
    reset_input(r);
    r->rd.seq = seq;
    mt_error_clear(e);
    if (mt_rec_feed(r, rec, n) != 0)
        return -1000;
    return mt_rec_read(r, type, data, len, e);
}

/* ---- 3. and 4. record vectors ---------------------------------------------- */

typedef struct {
    const tls12_kat_keys *k;
    const mt_suite *suite;
    bytes key, iv, mac;
} config;

static int find_config(const char *name, config *out)
{
    for (size_t i = 0; i < sizeof(tls12_kat_keys_table) / sizeof(tls12_kat_keys_table[0]); i++)
        if (strcmp(tls12_kat_keys_table[i].config, name) == 0) {
            const tls12_kat_keys *k = &tls12_kat_keys_table[i];
            out->k = k;
            out->suite = mt_suite_find(k->suite);
            out->key = V(k->key);
            out->iv = V(k->fixed_iv);
            out->mac = V(k->mac_key);
            return out->suite != NULL;
        }
    return 0;
}

static int set_dir(mt_rec_dir *d, const config *cf, int encrypt)
{
    /* The suite's lengths must be the vector's. */
    if (cf->key.n != cf->suite->key_len || cf->iv.n != cf->suite->fixed_iv_len ||
        cf->mac.n != cf->suite->mac_key_len)
        return -1;
    return mt_rec_dir_set12(d, cx, cf->suite, encrypt, cf->key.p, cf->iv.p, cf->mac.p, cf->k->etm);
}

static int is_cbc(const config *cf)
{
    return cf->suite->cipher == MT_CIPHER_CBC;
}

/* What a bit flip in the 5-byte header must give. Only the type and the
 * version are inside the MAC / additional data; the version's first byte
 * and the length are checked before it. */
static void check_header_flip(const uint8_t *rec, size_t n, size_t pos, uint8_t bit, int ret,
                              const mt_error *e)
{
    uint8_t v = (uint8_t)(rec[pos] ^ bit);
    size_t body = n - MT_RECORD_HEADER;
    n_header_flips++;
    CHECK(ret != 1);
    switch (pos) {
    case 0: /* content type: another known type fails the MAC */
        if (v >= MT_CT_CHANGE_CIPHER_SPEC && v <= MT_CT_APPLICATION_DATA)
            CHECK(is_bad_mac(ret, e));
        else
            CHECK(ret == MUTLS_ERR_PROTOCOL && e->alert == MT_ALERT_UNEXPECTED_MESSAGE);
        break;
    case 1: /* major version: not a TLS record */
        CHECK(ret == MUTLS_ERR_PROTOCOL && e->alert == MT_ALERT_DECODE_ERROR);
        break;
    case 2: /* minor version: authenticated (RFC 5246 6.2.3.1, 6.2.3.3) */
        if (!is_bad_mac(ret, e))
            fprintf(stderr, "    header version byte flipped to %02x: ret %d alert %d\n", v, ret,
                    e->alert);
        CHECK(is_bad_mac(ret, e));
        break;
    default: { /* length */
        size_t len = pos == 3 ? ((size_t)v << 8 | rec[4]) : ((size_t)rec[3] << 8 | v);
        if (len > MT_MAX_CIPHERTEXT12)
            CHECK(ret == MUTLS_ERR_PROTOCOL && e->alert == MT_ALERT_RECORD_OVERFLOW);
        else if (len > body)
            CHECK(ret == 0); /* waits for more bytes */
        else
            CHECK(is_bad_mac(ret, e));
    }
    }
}

/* Every failure path for one valid record: bit flips, truncation,
 * extension, wrong sequence number. The record must still open afterwards
 * (a failure leaves no state behind). */
static void negatives(const config *cf, const tls12_kat_record *v, const bytes *rec,
                      const bytes *pt)
{
    mt_record r;
    mt_error e;
    uint8_t type, *data, *buf = malloc(rec->n + 32);
    size_t len, body = rec->n - MT_RECORD_HEADER;
    int ret;

    mt_record_init(&r);
    CHECK(buf != NULL && set_dir(&r.rd, cf, 0) == 0);
    if (buf == NULL) {
        mt_record_free(&r);
        return;
    }

    /* Every byte; every bit of it in short records, one bit (rotating)
     * in long ones. */
    for (size_t pos = 0; pos < rec->n; pos++) {
        for (int b = 0; b < 8; b++) {
            uint8_t bit = (uint8_t)(1u << b);
            if (rec->n > 160 && pos >= MT_RECORD_HEADER && b != (int)(pos % 8))
                continue;
            memcpy(buf, rec->p, rec->n);
            buf[pos] ^= bit;
            ret = read_once(&r, v->seq, buf, rec->n, &type, &data, &len, &e);
            if (pos < MT_RECORD_HEADER) {
                check_header_flip(rec->p, rec->n, pos, bit, ret, &e);
            } else {
                n_flips++;
                if (!is_bad_mac(ret, &e))
                    fprintf(stderr, "    %s/%s: flip at %zu bit %d: ret %d alert %d \"%s\"\n",
                            v->config, v->name, pos, b, ret, e.alert, e.msg);
                CHECK(is_bad_mac(ret, &e));
                CHECK(r.rd.seq == v->seq);
                /* No unauthenticated plaintext survives a failed read. */
                if (pt->n >= 12)
                    CHECK(!contains(r.in.data, r.in.len, pt->p, pt->n));
            }
        }
    }

    /* Truncated to every shorter body, and extended: the header's length
     * says so, the record is complete - and not authentic. */
    for (size_t l = 0; l < body + 17; l++) {
        if (l == body)
            continue;
        memset(buf, 0, rec->n + 32);
        memcpy(buf, rec->p, l < body ? MT_RECORD_HEADER + l : rec->n);
        buf[3] = (uint8_t)(l >> 8);
        buf[4] = (uint8_t)l;
        ret = read_once(&r, v->seq, buf, MT_RECORD_HEADER + l, &type, &data, &len, &e);
        if (!is_bad_mac(ret, &e))
            fprintf(stderr, "    %s/%s: body of %zu bytes: ret %d alert %d \"%s\"\n", v->config,
                    v->name, l, ret, e.alert, e.msg);
        CHECK(is_bad_mac(ret, &e));
        n_bad++;
    }

    /* Another sequence number. */
    ret = read_once(&r, v->seq ^ 1, rec->p, rec->n, &type, &data, &len, &e);
    CHECK(is_bad_mac(ret, &e));
    n_bad++;

    /* And the record itself still opens. */
    ret = read_once(&r, v->seq, rec->p, rec->n, &type, &data, &len, &e);
    CHECK(ret == 1 && type == v->type && len == pt->n);
    if (ret == 1 && len == pt->n)
        CHECK_MEM(data, pt->p, pt->n);

    free(buf);
    mt_record_free(&r);
}

static unsigned long n_written, n_read, n_rejected;

static void test_record(const tls12_kat_record *v)
{
    config cf;
    bytes pt = V(v->plaintext), iv = V(v->explicit_iv), rec = V(v->record);
    mt_record w, r;
    mt_error e;
    script s;
    uint8_t type = 0, *data = NULL;
    size_t len = 0;
    int ret;

    CHECK(find_config(v->config, &cf));
    if (cf.suite == NULL)
        return;
    CHECK(rec.n >= MT_RECORD_HEADER && rec.p[0] == v->type && rec.p[1] == 3 && rec.p[2] == 3 &&
          ((size_t)rec.p[3] << 8 | rec.p[4]) == rec.n - MT_RECORD_HEADER);

    if (v->kind == TLS12_KAT_RW) {
        memset(&s, 0, sizeof(s));
        script_add(&s, &iv);
        mt_rng rng = {script_rng, &s};
        mt_record_init(&w);
        w.rng = &rng;
        CHECK(set_dir(&w.wr, &cf, 1) == 0);
        w.wr.seq = v->seq;
        mt_error_clear(&e);
        CHECK(mt_rec_write(&w, v->type, pt.p, pt.n, &e) == 0);
        CHECK(w.out.len == rec.n);
        if (w.out.len == rec.n)
            CHECK_MEM(w.out.data, rec.p, rec.n);
        else
            fprintf(stderr, "    %s/%s: wrote %zu bytes, want %zu\n", v->config, v->name,
                    w.out.len, rec.n);
        CHECK(w.wr.seq == v->seq + 1);
        /* CBC draws exactly one explicit IV; the AEADs draw nothing. */
        CHECK(s.calls == (is_cbc(&cf) ? 1 : 0) && s.failures == 0);
        mt_record_free(&w);
        n_written++;
    }

    mt_record_init(&r);
    CHECK(set_dir(&r.rd, &cf, 0) == 0);
    ret = read_once(&r, v->seq, rec.p, rec.n, &type, &data, &len, &e);
    if (v->kind == TLS12_KAT_BAD) {
        if (!is_bad_mac(ret, &e))
            fprintf(stderr, "    %s/%s: ret %d alert %d \"%s\"\n", v->config, v->name, ret,
                    e.alert, e.msg);
        CHECK(is_bad_mac(ret, &e));
        CHECK(r.rd.seq == v->seq);
        /* MtE forgeries: nothing decrypted and unauthenticated is left
         * behind. (The EtM padding forgeries carry a valid MAC: what they
         * decrypt to is authentic.) */
        if (pt.n >= 12 && !cf.k->etm)
            CHECK(!contains(r.in.data, r.in.len, pt.p, pt.n));
        n_rejected++;
    } else {
        CHECK(ret == 1);
        CHECK(type == v->type && len == pt.n);
        if (ret == 1 && len == pt.n)
            CHECK_MEM(data, pt.p, pt.n);
        CHECK(r.rd.seq == v->seq + 1);
        mt_rec_release(&r);
        CHECK(mt_rec_buffered(&r) == 0);
        n_read++;
    }
    mt_record_free(&r);

    if (v->kind != TLS12_KAT_BAD)
        negatives(&cf, v, &rec, &pt);
}

/* The records at sequence numbers 0, 1, 2 of a configuration, written by
 * one direction one after the other, and read back from one buffer. */
static void test_stream(const char *config_name)
{
    const tls12_kat_record *vs[3] = {NULL, NULL, NULL};
    bytes recs[3], pts[3];
    config cf;
    mt_record w, r;
    mt_error e;
    script s;
    size_t total = 0;

    for (size_t i = 0; i < sizeof(tls12_kat_records) / sizeof(tls12_kat_records[0]); i++) {
        const tls12_kat_record *v = &tls12_kat_records[i];
        if (strcmp(v->config, config_name) == 0 && v->kind == TLS12_KAT_RW && v->seq < 3)
            vs[v->seq] = v;
    }
    CHECK(vs[0] != NULL && vs[1] != NULL && vs[2] != NULL);
    if (vs[0] == NULL || vs[1] == NULL || vs[2] == NULL || !find_config(config_name, &cf))
        return;

    memset(&s, 0, sizeof(s));
    for (int i = 0; i < 3; i++) {
        bytes iv = V(vs[i]->explicit_iv);
        recs[i] = V(vs[i]->record);
        pts[i] = V(vs[i]->plaintext);
        script_add(&s, &iv);
        total += recs[i].n;
    }
    mt_rng rng = {script_rng, &s};
    mt_record_init(&w);
    w.rng = &rng;
    CHECK(set_dir(&w.wr, &cf, 1) == 0);
    mt_error_clear(&e);
    for (int i = 0; i < 3; i++)
        CHECK(mt_rec_write(&w, vs[i]->type, pts[i].p, pts[i].n, &e) == 0);
    CHECK(w.out.len == total && w.wr.seq == 3);
    if (w.out.len == total) {
        size_t off = 0;
        for (int i = 0; i < 3; i++) {
            CHECK_MEM(w.out.data + off, recs[i].p, recs[i].n);
            off += recs[i].n;
        }
    }

    mt_record_init(&r);
    CHECK(set_dir(&r.rd, &cf, 0) == 0);
    CHECK(mt_rec_feed(&r, w.out.data, w.out.len) == 0);
    for (int i = 0; i < 3; i++) {
        uint8_t type = 0, *data = NULL;
        size_t len = 0;
        CHECK(mt_rec_read(&r, &type, &data, &len, &e) == 1);
        CHECK(type == vs[i]->type && len == pts[i].n);
        if (len == pts[i].n)
            CHECK_MEM(data, pts[i].p, len);
        mt_rec_release(&r);
    }
    CHECK(r.rd.seq == 3 && mt_rec_buffered(&r) == 0);
    mt_record_free(&r);
    mt_record_free(&w);
}

/* RFC 5246 6.3 partition, through mt_tls12_install_keys, for both roles:
 * the client writes with the client_write keys and reads with the
 * server_write ones; the server the other way round. */
static void test_keyblock(const tls12_kat_keyblock *k)
{
    bytes kb = V(k->key_block), civ = V(k->client_iv), crec = V(k->client_record);
    bytes siv = V(k->server_iv), srec = V(k->server_record);
    bytes http = V(TLS12_KAT_HTTP), fin = V(TLS12_KAT_FINISHED);
    mutls_conn *c = new_conn();
    const mt_suite *suite = mt_suite_find(k->suite);

    CHECK(c != NULL && suite != NULL);
    if (c == NULL || suite == NULL) {
        mutls_conn_free(c);
        return;
    }
    CHECK(kb.n == key_block_len(suite) && kb.n <= sizeof(c->hs->key_block));
    for (int role = 0; role < 2; role++) {
        /* role 0: client; role 1: server (the role is all that changes). */
        const bytes *my_iv = role ? &siv : &civ, *my_rec = role ? &srec : &crec;
        const bytes *peer_rec = role ? &crec : &srec;
        const bytes *my_pt = role ? &fin : &http, *peer_pt = role ? &http : &fin;
        script s;
        mt_rng rng = {script_rng, &s};
        mt_error e;
        uint8_t type = 0, *data = NULL;
        size_t len = 0;

        mt_record_free(&c->rec);
        mt_record_init(&c->rec);
        c->role = role ? MUTLS_SERVER : MUTLS_CLIENT;
        c->suite = suite;
        c->etm = k->etm;
        c->read_key_changed = 0;
        memcpy(c->hs->key_block, kb.p, kb.n);
        memset(&s, 0, sizeof(s));
        script_add(&s, my_iv);
        c->rec.rng = &rng;

        CHECK(mt_tls12_install_keys(c, 1) == 0);
        CHECK(c->rec.wr.limit == UINT64_MAX && c->rec.wr.seq == 0);
        mt_error_clear(&e);
        CHECK(mt_rec_write(&c->rec, MT_CT_APPLICATION_DATA, my_pt->p, my_pt->n, &e) == 0);
        CHECK(c->rec.out.len == my_rec->n);
        if (c->rec.out.len == my_rec->n)
            CHECK_MEM(c->rec.out.data, my_rec->p, my_rec->n);

        CHECK(mt_tls12_install_keys(c, 0) == 0);
        CHECK(c->read_key_changed == 1);
        CHECK(mt_rec_feed(&c->rec, peer_rec->p, peer_rec->n) == 0);
        CHECK(mt_rec_read(&c->rec, &type, &data, &len, &e) == 1);
        CHECK(type == MT_CT_APPLICATION_DATA && len == peer_pt->n);
        if (len == peer_pt->n)
            CHECK_MEM(data, peer_pt->p, len);
        mt_rec_release(&c->rec);
        c->rec.rng = NULL;
    }
    c->role = MUTLS_CLIENT;
    mutls_conn_free(c);
}

static void test_records(void)
{
    static const char *const configs[] = {"gcm128", "gcm256", "chacha", "cbc128",
                                          "cbc256", "cbc128_etm", "cbc256_etm"};
    size_t n = sizeof(tls12_kat_records) / sizeof(tls12_kat_records[0]);
    int kinds[3] = {0, 0, 0};

    /* The reference bad_record_mac message: a record read at the wrong
     * sequence number. */
    {
        config cf;
        bytes rec = V(tls12_kat_records[0].record);
        mt_record r;
        mt_error e;
        uint8_t type, *data;
        size_t len;
        CHECK(find_config(tls12_kat_records[0].config, &cf));
        mt_record_init(&r);
        CHECK(set_dir(&r.rd, &cf, 0) == 0);
        CHECK(read_once(&r, tls12_kat_records[0].seq + 1, rec.p, rec.n, &type, &data, &len, &e) ==
              MUTLS_ERR_PROTOCOL);
        CHECK(e.alert == MT_ALERT_BAD_RECORD_MAC && strstr(e.msg, "bad_record_mac") != NULL);
        snprintf(bad_mac_msg, sizeof(bad_mac_msg), "%s", e.msg);
        mt_record_free(&r);
    }

    for (size_t i = 0; i < n; i++) {
        kinds[tls12_kat_records[i].kind]++;
        test_record(&tls12_kat_records[i]);
    }
    /* Every configuration has its records; CBC has its forgeries. */
    for (size_t c = 0; c < sizeof(configs) / sizeof(configs[0]); c++) {
        int rw = 0, bad = 0;
        for (size_t i = 0; i < n; i++)
            if (strcmp(tls12_kat_records[i].config, configs[c]) == 0) {
                rw += tls12_kat_records[i].kind == TLS12_KAT_RW;
                bad += tls12_kat_records[i].kind == TLS12_KAT_BAD;
            }
        CHECK(rw >= 5);
        CHECK(strncmp(configs[c], "cbc", 3) != 0 || bad >= 6);
        test_stream(configs[c]);
    }
    for (size_t i = 0; i < sizeof(tls12_kat_keyblocks) / sizeof(tls12_kat_keyblocks[0]); i++)
        test_keyblock(&tls12_kat_keyblocks[i]);
    printf("records: %d write+read, %d read-only, %d forgeries; %lu written, %lu read, %lu "
           "rejected; %lu body bit flips, %lu header bit flips, %lu other bad records\n",
           kinds[TLS12_KAT_RW], kinds[TLS12_KAT_READ], kinds[TLS12_KAT_BAD], n_written, n_read,
           n_rejected, n_flips, n_header_flips, n_bad);
}

int main(void)
{
    cx = mt_crypto_new();
    if (cx == NULL) {
        fprintf(stderr, "mt_crypto_new failed\n");
        return 1;
    }
    static const struct {
        const char *name;
        void (*fn)(void);
    } parts[] = {
        {"PRF known answers", test_prf},
        {"CAVP master secret / key block", test_cavp},
        {"derive_keys vs EVP_KDF (EMS and not)", test_derive_keys},
        {"records, key block partition, negatives", test_records},
    };
    for (size_t i = 0; i < sizeof(parts) / sizeof(parts[0]); i++) {
        unsigned long checks = test_checks_, failed = test_failed_;
        parts[i].fn();
        printf("%s: %lu checks, %lu failed\n", parts[i].name, test_checks_ - checks,
               test_failed_ - failed);
    }
    free_vectors();
    mt_crypto_free(cx);
    TEST_MAIN_END();
}
