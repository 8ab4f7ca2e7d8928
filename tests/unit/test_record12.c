/*
 * The TLS 1.2 record layer (src/record/record.c) on its own: two mt_record
 * structs keyed with mt_rec_dir_set12, one sealing, one opening, for each
 * protection: AES-GCM with its explicit nonce (RFC 5288), ChaCha20-Poly1305
 * (RFC 7905), AES-CBC MAC-then-encrypt (RFC 5246 6.2.3.2) and AES-CBC
 * encrypt-then-MAC (RFC 7366).
 *
 * MAC-then-encrypt is only reachable here: a mutls client offers
 * encrypt_then_mac whenever it offers a CBC suite, and a mutls server
 * accepts it, so two mutls peers always use EtM (interop covers MtE
 * against OpenSSL). A reference implementation written directly on
 * libcrypto (EVP AES-CBC, HMAC-SHA1) builds records with chosen padding
 * and MAC, good and bad, and opens what the library seals, so that each
 * side checks the other against the RFC layout rather than against
 * itself.
 *
 * The Lucky 13 / padding-oracle property checked: for MtE, a record with a
 * bad MAC, one with bad padding, one whose padding length overruns the
 * record, and one too short to hold a MAC all fail the same way: the same
 * error code, the same alert (bad_record_mac, 20) and the same message
 * text. (Timing is not measured here.)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "crypto/crypto.h"
#include "record/record.h"
#include "testlib.h"

static mt_crypto *cx;

static const uint8_t KEY[32] = {0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99, 0xaa,
                                0xbb, 0xcc, 0xdd, 0xee, 0xff, 0x01, 0x23, 0x45, 0x67, 0x89, 0xab,
                                0xcd, 0xef, 0xfe, 0xdc, 0xba, 0x98, 0x76, 0x54, 0x32, 0x10};
static const uint8_t FIXED_IV[12] = {0xa0, 0xa1, 0xa2, 0xa3, 0xa4, 0xa5,
                                     0xa6, 0xa7, 0xa8, 0xa9, 0xaa, 0xab};
static const uint8_t MAC_KEY[20] = {0x5a, 0x5b, 0x5c, 0x5d, 0x5e, 0x5f, 0x60, 0x61, 0x62, 0x63,
                                    0x64, 0x65, 0x66, 0x67, 0x68, 0x69, 0x6a, 0x6b, 0x6c, 0x6d};

#define MAC_LEN 20 /* HMAC-SHA1: the CBC suites */

/* ---- the library's side --------------------------------------------------- */

typedef struct {
    mt_record r;
    mt_rng rng;
} endpoint;

static void ep_init(endpoint *ep, const mt_suite *s, int etm, int writer)
{
    mt_record_init(&ep->r);
    ep->rng.fn = NULL; /* libcrypto's RAND_bytes: explicit CBC IVs */
    ep->rng.ctx = NULL;
    ep->r.rng = &ep->rng;
    if (mt_rec_dir_set12(writer ? &ep->r.wr : &ep->r.rd, cx, s, writer, KEY, FIXED_IV, MAC_KEY,
                         etm) != 0)
        abort();
}

static void ep_free(endpoint *ep) { mt_record_free(&ep->r); }

/* Seal len bytes of type `type` (one record) with a fresh writer whose
 * sequence number is seq; the record goes to out (cap bytes). */
static size_t lib_seal(const mt_suite *s, int etm, uint64_t seq, uint8_t type, const uint8_t *p,
                       size_t len, uint8_t *out, size_t cap)
{
    endpoint w;
    mt_error e;
    size_t n;
    mt_error_clear(&e);
    ep_init(&w, s, etm, 1);
    w.r.wr.seq = seq;
    if (mt_rec_write(&w.r, type, p, len, &e) != 0 || w.r.out.len > cap) {
        fprintf(stderr, "lib_seal: %s\n", e.msg);
        abort();
    }
    n = w.r.out.len;
    memcpy(out, w.r.out.data, n);
    ep_free(&w);
    return n;
}

/* Open one record with a fresh reader at sequence number seq. Returns
 * mt_rec_read's result; the plaintext is copied to out. */
static int lib_open(const mt_suite *s, int etm, uint64_t seq, const uint8_t *rec, size_t n,
                    uint8_t *type, uint8_t *out, size_t *out_len, mt_error *e)
{
    endpoint rd;
    uint8_t *data;
    size_t len;
    int ret;
    mt_error_clear(e);
    ep_init(&rd, s, etm, 0);
    rd.r.rd.seq = seq;
    if (mt_rec_feed(&rd.r, rec, n) != 0)
        abort();
    ret = mt_rec_read(&rd.r, type, &data, &len, e);
    if (ret == 1) {
        memcpy(out, data, len);
        *out_len = len;
        mt_rec_release(&rd.r);
        /* a whole record was consumed, nothing else */
        if (mt_rec_buffered(&rd.r) != 0)
            ret = -1000;
        if (rd.r.rd.seq != seq + 1)
            ret = -1001;
    }
    ep_free(&rd);
    return ret;
}

/* ---- the reference: RFC 5246 / RFC 7366 layouts on plain libcrypto -------- */

static void ref_header(uint8_t ad[13], uint64_t seq, uint8_t type, size_t len)
{
    for (int i = 7; i >= 0; i--, seq >>= 8)
        ad[i] = (uint8_t)seq;
    ad[8] = type;
    ad[9] = 3;
    ad[10] = 3;
    ad[11] = (uint8_t)(len >> 8);
    ad[12] = (uint8_t)len;
}

static void ref_hmac(const uint8_t ad[13], const uint8_t *p, size_t n, uint8_t mac[MAC_LEN])
{
    uint8_t buf[20000];
    unsigned int ml = 0;
    memcpy(buf, ad, 13);
    memcpy(buf + 13, p, n);
    if (HMAC(EVP_sha1(), MAC_KEY, sizeof(MAC_KEY), buf, 13 + n, mac, &ml) == NULL || ml != MAC_LEN)
        abort();
}

static void ref_cbc(int enc, size_t key_len, const uint8_t iv[16], const uint8_t *in, size_t n,
                    uint8_t *out)
{
    EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
    int l1 = 0, l2 = 0;
    if (ctx == NULL ||
        EVP_CipherInit_ex(ctx, key_len == 16 ? EVP_aes_128_cbc() : EVP_aes_256_cbc(), NULL, KEY,
                          iv, enc) != 1 ||
        EVP_CIPHER_CTX_set_padding(ctx, 0) != 1 || EVP_CipherUpdate(ctx, out, &l1, in, (int)n) != 1 ||
        EVP_CipherFinal_ex(ctx, out + l1, &l2) != 1 || (size_t)(l1 + l2) != n)
        abort();
    EVP_CIPHER_CTX_free(ctx);
}

/* How to spoil a reference record. */
enum {
    GOOD = 0,
    BAD_MAC = 1,       /* one bit of the MAC flipped */
    BAD_PAD_BYTE = 2,  /* one padding byte differs from the length byte */
    PAD_OVERRUN = 4,   /* the length byte claims more than the record holds */
};

/* A MAC-then-encrypt record: IV || E(content || MAC || padding). pad is
 * the padding length byte (pad + 1 bytes of padding; the caller makes
 * content + 20 + pad + 1 a multiple of 16). */
static size_t ref_seal_mte(size_t key_len, uint64_t seq, uint8_t type, const uint8_t *p, size_t len,
                           size_t pad, int spoil, uint8_t *out)
{
    uint8_t ad[13], plain[20000], iv[16];
    size_t L = len + MAC_LEN + pad + 1;
    if (L % 16 != 0 || pad > 255)
        abort();
    for (int i = 0; i < 16; i++)
        iv[i] = (uint8_t)(0xc0 + i + seq);
    memcpy(plain, p, len);
    ref_header(ad, seq, type, len);
    ref_hmac(ad, p, len, plain + len);
    memset(plain + len + MAC_LEN, (int)pad, pad + 1);
    if (spoil & BAD_MAC)
        plain[len + 3] ^= 0x01;
    if ((spoil & BAD_PAD_BYTE) && pad >= 1)
        plain[L - 1 - pad] ^= 0x01; /* the first padding byte */
    if (spoil & PAD_OVERRUN)
        plain[L - 1] = (uint8_t)(L - MAC_LEN); /* pad + 1 + MAC > L */
    out[0] = type;
    out[1] = 3;
    out[2] = 3;
    out[3] = (uint8_t)((16 + L) >> 8);
    out[4] = (uint8_t)(16 + L);
    memcpy(out + 5, iv, 16);
    ref_cbc(1, key_len, iv, plain, L, out + 5 + 16);
    return 5 + 16 + L;
}

/* An encrypt-then-MAC record: IV || E(content || padding) || MAC over the
 * header (with the length of IV + ciphertext), the IV and the ciphertext. */
static size_t ref_seal_etm(size_t key_len, uint64_t seq, uint8_t type, const uint8_t *p, size_t len,
                           size_t pad, int spoil, uint8_t *out)
{
    uint8_t ad[13], plain[20000], iv[16];
    size_t L = len + pad + 1, body = 16 + L + MAC_LEN;
    if (L % 16 != 0 || pad > 255)
        abort();
    for (int i = 0; i < 16; i++)
        iv[i] = (uint8_t)(0x30 + i + seq);
    memcpy(plain, p, len);
    memset(plain + len, (int)pad, pad + 1);
    if ((spoil & BAD_PAD_BYTE) && pad >= 1)
        plain[len] ^= 0x01;
    if (spoil & PAD_OVERRUN)
        plain[L - 1] = (uint8_t)L; /* pad + 1 > L */
    out[0] = type;
    out[1] = 3;
    out[2] = 3;
    out[3] = (uint8_t)(body >> 8);
    out[4] = (uint8_t)body;
    memcpy(out + 5, iv, 16);
    ref_cbc(1, key_len, iv, plain, L, out + 5 + 16);
    ref_header(ad, seq, type, 16 + L);
    ref_hmac(ad, out + 5, 16 + L, out + 5 + 16 + L);
    if (spoil & BAD_MAC)
        out[5 + 16 + L + 7] ^= 0x01;
    return 5 + body;
}

/* Open a library-sealed CBC record with the reference; 0 when it is
 * well-formed (MAC and padding as the RFC says). */
static int ref_open_cbc(size_t key_len, int etm, uint64_t seq, const uint8_t *rec, size_t n,
                        uint8_t *out, size_t *out_len)
{
    uint8_t ad[13], plain[20000], mac[MAC_LEN];
    size_t body = n - 5, L, pad;
    if (n < 5 || (((size_t)rec[3] << 8) | rec[4]) != body || rec[1] != 3 || rec[2] != 3)
        return -1;
    if (etm) {
        if (body < 16 + 16 + MAC_LEN || (body - MAC_LEN) % 16 != 0)
            return -1;
        L = body - 16 - MAC_LEN;
        ref_header(ad, seq, rec[0], 16 + L);
        ref_hmac(ad, rec + 5, 16 + L, mac);
        if (memcmp(mac, rec + 5 + 16 + L, MAC_LEN) != 0)
            return -1;
        ref_cbc(0, key_len, rec + 5, rec + 5 + 16, L, plain);
        pad = plain[L - 1];
        if (pad + 1 > L)
            return -1;
        for (size_t i = 0; i <= pad; i++)
            if (plain[L - 1 - i] != pad)
                return -1;
        *out_len = L - pad - 1;
    } else {
        if (body < 32 || body % 16 != 0)
            return -1;
        L = body - 16;
        ref_cbc(0, key_len, rec + 5, rec + 5 + 16, L, plain);
        pad = plain[L - 1];
        if (pad + 1 + MAC_LEN > L)
            return -1;
        for (size_t i = 0; i <= pad; i++)
            if (plain[L - 1 - i] != pad)
                return -1;
        *out_len = L - pad - 1 - MAC_LEN;
        ref_header(ad, seq, rec[0], *out_len);
        ref_hmac(ad, plain, *out_len, mac);
        if (memcmp(mac, plain + *out_len, MAC_LEN) != 0)
            return -1;
    }
    memcpy(out, plain, *out_len);
    return 0;
}

/* ---- checks ------------------------------------------------------------------ */

static void pattern(uint8_t *p, size_t n, unsigned seed)
{
    for (size_t i = 0; i < n; i++)
        p[i] = (uint8_t)(i * 31 + seed * 7 + (i >> 8));
}

/* The one rejection every tampered record must get. */
static char first_msg[sizeof(((mt_error *)0)->msg)];

static int is_bad_mac(int ret, const mt_error *e, const char *what)
{
    int ok = ret == MUTLS_ERR_PROTOCOL && e->code == MUTLS_ERR_PROTOCOL &&
             e->alert == MT_ALERT_BAD_RECORD_MAC;
    if (first_msg[0] == '\0' && ok)
        snprintf(first_msg, sizeof(first_msg), "%s", e->msg);
    ok = ok && strcmp(e->msg, first_msg) == 0;
    if (!ok)
        fprintf(stderr, "  %s: ret %d code %d alert %d \"%s\" (want bad_record_mac, \"%s\")\n",
                what, ret, e->code, e->alert, e->msg, first_msg);
    return ok;
}

static const struct {
    uint16_t code;
    const char *name;
} suites[] = {
    {0xc02b, "AES-128-GCM"},       {0xc030, "AES-256-GCM"},
    {0xcca8, "ChaCha20-Poly1305"}, {0xc013, "AES-128-CBC-SHA"},
    {0xc014, "AES-256-CBC-SHA"},
};

static void test_roundtrip(void)
{
    static const size_t sizes[] = {0, 1, 2, 11, 12, 15, 16, 17, 31, 32, 33, 100, 255, 256,
                                   1000, 4096, 16383, 16384};
    uint8_t *in = malloc(4 * 16384), *out = malloc(16384 + 2048), *rec = malloc(16384 + 2048 + 5);
    uint8_t *ref = malloc(16384 + 2048);
    CHECK(in && out && rec && ref);
    if (!in || !out || !rec || !ref)
        goto Exit;

    for (size_t si = 0; si < sizeof(suites) / sizeof(suites[0]); si++) {
        const mt_suite *s = mt_suite_find(suites[si].code);
        int cbc = s->cipher == MT_CIPHER_CBC;
        for (int etm = 0; etm <= cbc; etm++) {
            int bad_len = 0, bad_open = 0, bad_ref = 0;
            printf("- %s%s: records of 0..16384 bytes seal and open; sizes as the RFC says%s\n",
                   suites[si].name, cbc ? (etm ? " encrypt-then-MAC" : " MAC-then-encrypt") : "",
                   cbc ? "; the reference implementation opens them" : "");
            for (size_t k = 0; k < sizeof(sizes) / sizeof(sizes[0]); k++) {
                size_t n = sizes[k], want, got_len = 0, ref_len = 0;
                uint64_t seq = k * 1000 + 7;
                uint8_t type = 0;
                mt_error e;
                pattern(in, n, (unsigned)k);
                size_t rl = lib_seal(s, etm, seq, MT_CT_APPLICATION_DATA, in, n, rec,
                                     16384 + 2048 + 5);
                if (!cbc)
                    want = n + 16 + (s->aead == MT_CHACHA20_POLY1305 ? 0 : 8);
                else if (etm)
                    want = 16 + (n + 16) / 16 * 16 + MAC_LEN;
                else
                    want = 16 + (n + MAC_LEN + 16) / 16 * 16;
                if (rl != 5 + want || rec[0] != MT_CT_APPLICATION_DATA || rec[1] != 3 ||
                    rec[2] != 3 || (((size_t)rec[3] << 8) | rec[4]) != want) {
                    fprintf(stderr, "  %zu bytes: record of %zu bytes, want %zu\n", n, rl, 5 + want);
                    bad_len++;
                }
                /* GCM: the explicit nonce is the sequence number (RFC 5288 3). */
                if (!cbc && s->aead != MT_CHACHA20_POLY1305) {
                    uint8_t be[8];
                    for (int i = 7; i >= 0; i--)
                        be[7 - i] = (uint8_t)(seq >> (8 * i));
                    if (memcmp(rec + 5, be, 8) != 0)
                        bad_len++;
                }
                if (lib_open(s, etm, seq, rec, rl, &type, out, &got_len, &e) != 1 ||
                    type != MT_CT_APPLICATION_DATA || got_len != n || memcmp(in, out, n) != 0) {
                    fprintf(stderr, "  %zu bytes: open failed: %s\n", n, e.msg);
                    bad_open++;
                }
                if (cbc && (ref_open_cbc(s->key_len, etm, seq, rec, rl, ref, &ref_len) != 0 ||
                            ref_len != n || memcmp(ref, in, n) != 0)) {
                    fprintf(stderr, "  %zu bytes: the reference cannot open the record\n", n);
                    bad_ref++;
                }
            }
            CHECK(bad_len == 0);
            CHECK(bad_open == 0);
            CHECK(bad_ref == 0);
        }
    }

    printf("- a stream of records: sequence numbers advance; one record out of order fails\n");
    for (size_t si = 0; si < sizeof(suites) / sizeof(suites[0]); si++) {
        const mt_suite *s = mt_suite_find(suites[si].code);
        int etm = s->cipher == MT_CIPHER_CBC; /* MtE has its own tests below */
        endpoint w, r;
        mt_error e;
        uint8_t type, *data;
        size_t len;
        int bad = 0;
        mt_error_clear(&e);
        ep_init(&w, s, etm, 1);
        ep_init(&r, s, etm, 0);
        pattern(in, 3 * 16384 + 100, 1);
        /* three full records and a short one, in one write */
        CHECK(mt_rec_write(&w.r, MT_CT_APPLICATION_DATA, in, 3 * 16384 + 100, &e) == 0);
        CHECK(w.r.wr.seq == 4);
        CHECK(mt_rec_feed(&r.r, w.r.out.data, w.r.out.len) == 0);
        for (int i = 0; i < 4; i++) {
            if (mt_rec_read(&r.r, &type, &data, &len, &e) != 1 ||
                len != (i < 3 ? 16384u : 100u) || memcmp(data, in + 16384 * i, len) != 0)
                bad++;
            mt_rec_release(&r.r);
        }
        CHECK(bad == 0 && r.r.rd.seq == 4 && mt_rec_buffered(&r.r) == 0);
        /* two more records, delivered in the wrong order */
        mt_buf_reset(&w.r.out);
        CHECK(mt_rec_write(&w.r, MT_CT_APPLICATION_DATA, in, 10, &e) == 0);
        size_t first = w.r.out.len;
        CHECK(mt_rec_write(&w.r, MT_CT_APPLICATION_DATA, in, 10, &e) == 0);
        CHECK(mt_rec_feed(&r.r, w.r.out.data + first, w.r.out.len - first) == 0);
        CHECK(is_bad_mac(mt_rec_read(&r.r, &type, &data, &len, &e), &e, "out of order"));
        ep_free(&w);
        ep_free(&r);
    }

    printf("- a TLS 1.2 record holding 2^14+1 bytes of plaintext -> record_overflow (22)\n");
    for (size_t si = 0; si < sizeof(suites) / sizeof(suites[0]); si++) {
        const mt_suite *s = mt_suite_find(suites[si].code);
        int etm = s->cipher == MT_CIPHER_CBC;
        endpoint w, r;
        mt_error e;
        uint8_t type, *data, *big = calloc(1, 16385);
        size_t len;
        mt_error_clear(&e);
        ep_init(&w, s, etm, 1);
        ep_init(&r, s, etm, 0);
        w.r.send_plaintext_max = 16385; /* a broken peer */
        CHECK(big != NULL && mt_rec_write(&w.r, MT_CT_APPLICATION_DATA, big, 16385, &e) == 0);
        CHECK(mt_rec_feed(&r.r, w.r.out.data, w.r.out.len) == 0);
        CHECK(mt_rec_read(&r.r, &type, &data, &len, &e) == MUTLS_ERR_PROTOCOL &&
              e.alert == MT_ALERT_RECORD_OVERFLOW);
        CHECK(strstr(e.msg, "16385") != NULL);
        free(big);
        ep_free(&w);
        ep_free(&r);
    }
Exit:
    free(in);
    free(out);
    free(rec);
    free(ref);
}

/* A library record with one byte changed at `at` (from the start of the
 * record; negative: from the end). */
static void lib_tamper_case(const mt_suite *s, int etm, const char *what, long at, uint8_t mask)
{
    uint8_t in[100], rec[300], out[300], type;
    size_t len, rl;
    mt_error e;
    pattern(in, sizeof(in), 9);
    rl = lib_seal(s, etm, 5, MT_CT_APPLICATION_DATA, in, sizeof(in), rec, sizeof(rec));
    rec[at < 0 ? rl - (size_t)-at : (size_t)at] ^= mask;
    printf("    %s\n", what);
    CHECK(is_bad_mac(lib_open(s, etm, 5, rec, rl, &type, out, &len, &e), &e, what));
}

static void test_tampered_aead(void)
{
    for (size_t si = 0; si < 3; si++) {
        const mt_suite *s = mt_suite_find(suites[si].code);
        int gcm = s->aead != MT_CHACHA20_POLY1305;
        printf("- %s: any change to a record -> bad_record_mac (20), one message\n",
               suites[si].name);
        lib_tamper_case(s, 0, "last byte of the tag", -1, 0x80);
        lib_tamper_case(s, 0, "first byte of the tag", -16, 0x01);
        lib_tamper_case(s, 0, "first byte of the ciphertext", 5 + (gcm ? 8 : 0), 0x01);
        if (gcm)
            lib_tamper_case(s, 0, "explicit nonce", 5 + 3, 0x01);
        lib_tamper_case(s, 0, "content type in the header (additional data)", 0, 0x02);
        lib_tamper_case(s, 0, "version in the header, 0x0303 -> 0x0301 (additional data)", 2,
                        0x02);
        /* A record too short to hold a tag. */
        {
            uint8_t rec[5 + 15] = {23, 3, 3, 0, 15}, out[32], type;
            size_t len;
            mt_error e;
            printf("    record shorter than a tag\n");
            CHECK(is_bad_mac(lib_open(s, 0, 0, rec, sizeof(rec), &type, out, &len, &e), &e,
                             "short AEAD record"));
        }
        /* The right record at the wrong sequence number. */
        {
            uint8_t in[10] = {0}, rec[64], out[64], type;
            size_t len, rl = lib_seal(s, 0, 3, 23, in, sizeof(in), rec, sizeof(rec));
            mt_error e;
            printf("    replayed at another sequence number\n");
            CHECK(is_bad_mac(lib_open(s, 0, 4, rec, rl, &type, out, &len, &e), &e, "replay"));
        }
    }
}

static void test_mac_then_encrypt(void)
{
    for (size_t si = 3; si < 5; si++) {
        const mt_suite *s = mt_suite_find(suites[si].code);
        uint8_t in[300], rec[600], out[600], type;
        size_t len, rl;
        mt_error e;
        int ret;

        printf("- %s MAC-then-encrypt, records from the reference implementation:\n",
               suites[si].name);
        pattern(in, sizeof(in), 3);

        printf("    minimal padding opens (content 27 + MAC 20 + 1 pad byte = 48)\n");
        rl = ref_seal_mte(s->key_len, 9, 23, in, 27, 0, GOOD, rec);
        CHECK(lib_open(s, 0, 9, rec, rl, &type, out, &len, &e) == 1 && len == 27 &&
              memcmp(out, in, 27) == 0 && type == 23);
        printf("    the longest padding, 256 bytes (length byte 255), opens\n");
        /* content 12 + MAC 20 + 256 = 288 = 18 blocks */
        rl = ref_seal_mte(s->key_len, 9, 23, in, 12, 255, GOOD, rec);
        CHECK(lib_open(s, 0, 9, rec, rl, &type, out, &len, &e) == 1 && len == 12 &&
              memcmp(out, in, 12) == 0);
        printf("    an empty record (MAC 20 + 12 pad bytes) opens\n");
        rl = ref_seal_mte(s->key_len, 2, 23, in, 0, 11, GOOD, rec);
        CHECK(lib_open(s, 0, 2, rec, rl, &type, out, &len, &e) == 1 && len == 0);
        printf("    padding of 3 + 1 bytes opens (content 24)\n");
        rl = ref_seal_mte(s->key_len, 0, 23, in, 24, 3, GOOD, rec);
        CHECK(lib_open(s, 0, 0, rec, rl, &type, out, &len, &e) == 1 && len == 24 &&
              memcmp(out, in, 24) == 0);

        printf("    the failures below: MUTLS_ERR_PROTOCOL, bad_record_mac (20), one message\n");
        printf("    bad MAC, good padding\n");
        rl = ref_seal_mte(s->key_len, 0, 23, in, 24, 3, BAD_MAC, rec);
        CHECK(is_bad_mac(lib_open(s, 0, 0, rec, rl, &type, out, &len, &e), &e, "MtE bad MAC"));
        printf("    bad padding (one byte of 4), good MAC\n");
        rl = ref_seal_mte(s->key_len, 0, 23, in, 24, 3, BAD_PAD_BYTE, rec);
        CHECK(is_bad_mac(lib_open(s, 0, 0, rec, rl, &type, out, &len, &e), &e,
                         "MtE bad padding"));
        printf("    bad padding in the longest padding (first of 256 bytes)\n");
        rl = ref_seal_mte(s->key_len, 0, 23, in, 12, 255, BAD_PAD_BYTE, rec);
        CHECK(is_bad_mac(lib_open(s, 0, 0, rec, rl, &type, out, &len, &e), &e,
                         "MtE bad long padding"));
        printf("    bad padding and bad MAC\n");
        rl = ref_seal_mte(s->key_len, 0, 23, in, 24, 3, BAD_PAD_BYTE | BAD_MAC, rec);
        CHECK(is_bad_mac(lib_open(s, 0, 0, rec, rl, &type, out, &len, &e), &e,
                         "MtE bad padding and MAC"));
        printf("    padding length byte overruns the record\n");
        rl = ref_seal_mte(s->key_len, 0, 23, in, 24, 3, PAD_OVERRUN, rec);
        CHECK(is_bad_mac(lib_open(s, 0, 0, rec, rl, &type, out, &len, &e), &e,
                         "MtE padding overrun"));
        printf("    good record, wrong sequence number (replay)\n");
        rl = ref_seal_mte(s->key_len, 1, 23, in, 24, 3, GOOD, rec);
        CHECK(is_bad_mac(lib_open(s, 0, 0, rec, rl, &type, out, &len, &e), &e, "MtE replay"));
        printf("    good record, content type changed in the header\n");
        rl = ref_seal_mte(s->key_len, 0, 23, in, 24, 3, GOOD, rec);
        rec[0] = 22;
        CHECK(is_bad_mac(lib_open(s, 0, 0, rec, rl, &type, out, &len, &e), &e,
                         "MtE type changed"));
        printf("    one block after the IV: too short for a MAC\n");
        {
            uint8_t shortrec[5 + 32] = {23, 3, 3, 0, 32};
            CHECK(is_bad_mac(lib_open(s, 0, 0, shortrec, sizeof(shortrec), &type, out, &len, &e),
                             &e, "MtE too short"));
        }
        printf("    ciphertext not a multiple of the block size\n");
        rl = ref_seal_mte(s->key_len, 0, 23, in, 24, 3, GOOD, rec);
        rec[4]--, rl--;
        CHECK(is_bad_mac(lib_open(s, 0, 0, rec, rl, &type, out, &len, &e), &e,
                         "MtE not a block multiple"));
        printf("    IV only, no ciphertext\n");
        {
            uint8_t ivonly[5 + 16] = {23, 3, 3, 0, 16};
            CHECK(is_bad_mac(lib_open(s, 0, 0, ivonly, sizeof(ivonly), &type, out, &len, &e),
                             &e, "MtE IV only"));
        }
        printf("    library records tampered: IV, ciphertext, last block (padding)\n");
        lib_tamper_case(s, 0, "IV byte (changes the first content byte)", 5, 0x01);
        lib_tamper_case(s, 0, "ciphertext byte", 5 + 16 + 20, 0x10);
        lib_tamper_case(s, 0, "last ciphertext byte (changes the padding)", -1, 0x01);
        lib_tamper_case(s, 0, "byte of the second-to-last block (padding/MAC)", -17, 0x01);
        lib_tamper_case(s, 0, "version in the header (MAC input)", 2, 0x02);

        /* every padding length with every single-byte padding defect:
         * never accepted, and always the same answer */
        {
            int bad = 0;
            printf("    every padding length 0..255: good opens; each one-byte defect fails alike\n");
            for (size_t pad = 0; pad < 256; pad++) {
                /* content so that content + 20 + pad + 1 is a multiple of 16 */
                size_t clen = (16 - (20 + pad + 1) % 16) % 16 + 16;
                rl = ref_seal_mte(s->key_len, pad, 23, in, clen, pad, GOOD, rec);
                ret = lib_open(s, 0, pad, rec, rl, &type, out, &len, &e);
                if (ret != 1 || len != clen || memcmp(out, in, clen) != 0)
                    bad++;
                rl = ref_seal_mte(s->key_len, pad, 23, in, clen, pad, pad ? BAD_PAD_BYTE : BAD_MAC,
                                  rec);
                if (!is_bad_mac(lib_open(s, 0, pad, rec, rl, &type, out, &len, &e), &e,
                                "padding sweep"))
                    bad++;
            }
            CHECK(bad == 0);
        }
    }
}

static void test_encrypt_then_mac(void)
{
    for (size_t si = 3; si < 5; si++) {
        const mt_suite *s = mt_suite_find(suites[si].code);
        uint8_t in[300], rec[600], out[600], type;
        size_t len, rl;
        mt_error e;

        printf("- %s encrypt-then-MAC, records from the reference implementation:\n",
               suites[si].name);
        pattern(in, sizeof(in), 4);
        printf("    good records open (padding 1, 4 and 256 bytes)\n");
        rl = ref_seal_etm(s->key_len, 3, 23, in, 31, 0, GOOD, rec);
        CHECK(lib_open(s, 1, 3, rec, rl, &type, out, &len, &e) == 1 && len == 31 &&
              memcmp(out, in, 31) == 0);
        rl = ref_seal_etm(s->key_len, 3, 23, in, 28, 3, GOOD, rec);
        CHECK(lib_open(s, 1, 3, rec, rl, &type, out, &len, &e) == 1 && len == 28 &&
              memcmp(out, in, 28) == 0);
        rl = ref_seal_etm(s->key_len, 3, 23, in, 32, 255, GOOD, rec);
        CHECK(lib_open(s, 1, 3, rec, rl, &type, out, &len, &e) == 1 && len == 32 &&
              memcmp(out, in, 32) == 0);
        printf("    bad MAC -> bad_record_mac (20), the same message\n");
        rl = ref_seal_etm(s->key_len, 3, 23, in, 28, 3, BAD_MAC, rec);
        CHECK(is_bad_mac(lib_open(s, 1, 3, rec, rl, &type, out, &len, &e), &e, "EtM bad MAC"));
        printf("    authentic record with bad padding (a malicious sender) -> the same\n");
        rl = ref_seal_etm(s->key_len, 3, 23, in, 28, 3, BAD_PAD_BYTE, rec);
        CHECK(is_bad_mac(lib_open(s, 1, 3, rec, rl, &type, out, &len, &e), &e,
                         "EtM bad padding"));
        printf("    authentic record whose padding length overruns it -> the same\n");
        rl = ref_seal_etm(s->key_len, 3, 23, in, 28, 3, PAD_OVERRUN, rec);
        CHECK(is_bad_mac(lib_open(s, 1, 3, rec, rl, &type, out, &len, &e), &e,
                         "EtM padding overrun"));
        printf("    MtE record given to an EtM reader -> the same\n");
        rl = ref_seal_mte(s->key_len, 3, 23, in, 27, 0, GOOD, rec);
        CHECK(is_bad_mac(lib_open(s, 1, 3, rec, rl, &type, out, &len, &e), &e, "MtE to EtM"));
        printf("    EtM record given to an MtE reader -> the same\n");
        rl = ref_seal_etm(s->key_len, 3, 23, in, 28, 3, GOOD, rec);
        CHECK(is_bad_mac(lib_open(s, 0, 3, rec, rl, &type, out, &len, &e), &e, "EtM to MtE"));
        printf("    too short for IV + block + MAC; MAC missing its last byte\n");
        {
            uint8_t shortrec[5 + 16 + 20] = {23, 3, 3, 0, 36};
            CHECK(is_bad_mac(lib_open(s, 1, 0, shortrec, sizeof(shortrec), &type, out, &len, &e),
                             &e, "EtM too short"));
        }
        rl = ref_seal_etm(s->key_len, 3, 23, in, 28, 3, GOOD, rec);
        rec[4]--, rl--;
        CHECK(is_bad_mac(lib_open(s, 1, 3, rec, rl, &type, out, &len, &e), &e, "EtM cut"));
        printf("    library records tampered: IV, ciphertext, MAC, header\n");
        lib_tamper_case(s, 1, "IV byte", 5, 0x01);
        lib_tamper_case(s, 1, "ciphertext byte", 5 + 16 + 3, 0x01);
        lib_tamper_case(s, 1, "last byte of the MAC", -1, 0x01);
        lib_tamper_case(s, 1, "content type in the header", 0, 0x02);
        lib_tamper_case(s, 1, "version in the header (MAC input)", 2, 0x02);
    }
}

int main(void)
{
    cx = mt_crypto_new();
    if (cx == NULL)
        return 1;
    test_roundtrip();
    test_tampered_aead();
    test_mac_then_encrypt();
    test_encrypt_then_mac();
    printf("- every rejection above had the same text: \"%s\"\n", first_msg);
    mt_crypto_free(cx);
    TEST_MAIN_END();
}
