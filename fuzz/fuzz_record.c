/*
 * fuzz_record: the record layer alone (mt_rec_feed / mt_rec_read /
 * mt_rec_release / mt_rec_write), with no key or a fixed read key for each
 * kind of protection.
 *
 * Input: one control byte, then the payload.
 *   bits 0..2 protection (fixed key, IV and MAC key):
 *             0 none (plaintext)
 *             1 TLS 1.3 AES-128-GCM   2 TLS 1.3 ChaCha20   3 TLS 1.3 AES-256-GCM
 *             4 TLS 1.2 AES-128-GCM   5 TLS 1.2 ChaCha20
 *             6 TLS 1.2 AES-128-CBC-SHA, MAC-then-encrypt
 *             7 TLS 1.2 AES-256-CBC-SHA, encrypt-then-MAC (RFC 7366)
 *   bits 3..4 mode
 *             0, 3: raw, the payload is wire bytes, fed in chunks (bits 6..7)
 *             1: sealed, the payload is items the harness protects with the
 *                fixed key before feeding them (so they authenticate):
 *                TLS 1.3: outer inner pad len16 data -> header outer & 0x7f,
 *                  plaintext data || inner || pad*4 zeros; outer bit 7
 *                  corrupts the tag
 *                TLS 1.2: type pos xor len16 data -> mt_rec_write(type, data),
 *                  then byte pos of the record xor'ed with xor; with type
 *                  bit 7 on a CBC key instead: data (zero-filled to whole
 *                  blocks) is CBC-encrypted as is (and MACed for
 *                  encrypt-then-MAC), so the padding and MAC checks see
 *                  arbitrary decrypted bytes
 *                none: plaintext records
 *             2: round trip, the payload is items type len16 data, each
 *                written with mt_rec_write (same key) and read back: type
 *                and data must come back unchanged
 *   bit 5     a small receive limit (512-byte TLSInnerPlaintext, as after
 *             record_size_limit) and cleartext alerts accepted
 *
 * Checks: a record returned is within the buffer and the limits and has a
 * content type; an error carries an alert; the round trip is exact.
 */
#include "fuzz_common.h"

static mt_crypto *cx;
static const uint8_t key[32] = {
    0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f,
    0x10, 0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17, 0x18, 0x19, 0x1a, 0x1b, 0x1c, 0x1d, 0x1e, 0x1f,
};
static const uint8_t iv[MT_AEAD_NONCE_LEN] = {0x40, 0x41, 0x42, 0x43, 0x44, 0x45,
                                              0x46, 0x47, 0x48, 0x49, 0x4a, 0x4b};
static const uint8_t mac_key[20] = {0x60, 0x61, 0x62, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68, 0x69,
                                    0x6a, 0x6b, 0x6c, 0x6d, 0x6e, 0x6f, 0x70, 0x71, 0x72, 0x73};
static const mt_aead_id aeads13[4] = {MT_AES_128_GCM, MT_AES_128_GCM, MT_CHACHA20_POLY1305,
                                      MT_AES_256_GCM};
static const uint16_t suites12[4] = {0xc02b, 0xcca9, 0xc009, 0x0035};
static fz_rng iv_rng = {UINT64_C(0x6976), 0};
static const mt_rng iv_hook = {fz_random, &iv_rng};

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    if ((cx = mt_crypto_new()) == NULL)
        fz_die("mt_crypto_new");
    for (int i = 0; i < 4; i++)
        if (mt_suite_find(suites12[i]) == NULL)
            fz_die("no TLS 1.2 suite 0x%04x", suites12[i]);
    return 0;
}

/* Read every whole record; 0 while fine, -1 after an error. */
static int drain(mt_record *r)
{
    for (;;) {
        uint8_t type, *p;
        size_t n, limit = MT_MAX_PLAINTEXT;
        mt_error e;
        int ret;
        /* A TLS 1.3 protected record gives at most recv_inner_max - 1
         * bytes (the content type is not returned). */
        if (mt_rec_buffered(r) >= MT_RECORD_HEADER && r->rd.prot == MT_PROT_TLS13 &&
            r->in.data[r->in_off] == MT_CT_APPLICATION_DATA)
            limit = r->recv_inner_max - 1;
        mt_error_clear(&e);
        ret = mt_rec_read(r, &type, &p, &n, &e);
        if (ret == 0)
            return 0;
        if (ret < 0) {
            if (ret != e.code || e.alert < 0)
                abort();
            return -1;
        }
        if (ret != 1 || e.code != MUTLS_OK)
            abort();
        if (p < r->in.data || p + n > r->in.data + r->in.len || n > limit)
            abort();
        if (type < MT_CT_CHANGE_CIPHER_SPEC && r->rd.prot != MT_PROT_TLS13)
            abort(); /* only a TLS 1.3 inner type can be outside the header's range */
        if (type == 0)
            abort(); /* a protected record always has a content type */
        mt_rec_release(r);
    }
}

static void set_keys(mt_record *r, mt_record *w, int prot)
{
    uint8_t k[32];
    memcpy(k, key, sizeof(k));
    if (prot >= 1 && prot <= 3) {
        if (mt_rec_dir_set(&r->rd, cx, aeads13[prot], 0, k, iv) != 0 ||
            mt_rec_dir_set(&w->wr, cx, aeads13[prot], 1, k, iv) != 0)
            abort();
    } else if (prot >= 4) {
        const mt_suite *s = mt_suite_find(suites12[prot - 4]);
        int etm = prot == 7;
        if (mt_rec_dir_set12(&r->rd, cx, s, 0, k, iv, mac_key, etm) != 0 ||
            mt_rec_dir_set12(&w->wr, cx, s, 1, k, iv, mac_key, etm) != 0)
            abort();
    }
}

/* TLS 1.3: seal one record under the fixed key, any inner type/padding. */
static void seal13(mt_buf *out, mt_aead_id a, uint64_t seq, uint8_t outer, uint8_t inner_type,
                   const uint8_t *data, size_t len, size_t pad, int corrupt)
{
    mt_aead *ae = mt_aead_new(cx, a, 1, key);
    uint8_t nonce[MT_AEAD_NONCE_LEN], *hdr;
    size_t inner, body;
    if (ae == NULL)
        abort();
    if (len > 0xffff - 1 - MT_AEAD_TAG_LEN)
        len = 0xffff - 1 - MT_AEAD_TAG_LEN;
    if (pad > 0xffff - 1 - MT_AEAD_TAG_LEN - len)
        pad = 0xffff - 1 - MT_AEAD_TAG_LEN - len;
    inner = len + 1 + pad;
    body = inner + MT_AEAD_TAG_LEN;
    if (mt_buf_reserve(out, MT_RECORD_HEADER + body) != 0)
        abort();
    hdr = out->data + out->len;
    hdr[0] = outer;
    hdr[1] = 3;
    hdr[2] = 3;
    hdr[3] = (uint8_t)(body >> 8);
    hdr[4] = (uint8_t)body;
    if (len > 0)
        memcpy(hdr + MT_RECORD_HEADER, data, len);
    hdr[MT_RECORD_HEADER + len] = inner_type;
    memset(hdr + MT_RECORD_HEADER + len + 1, 0, pad);
    memcpy(nonce, iv, sizeof(nonce));
    for (int i = 0; i < 8; i++)
        nonce[MT_AEAD_NONCE_LEN - 1 - i] ^= (uint8_t)(seq >> (8 * i));
    if (mt_aead_seal(ae, nonce, hdr, MT_RECORD_HEADER, hdr + MT_RECORD_HEADER, inner,
                     hdr + MT_RECORD_HEADER) != 0)
        abort();
    if (corrupt)
        hdr[MT_RECORD_HEADER + body - 1] ^= 0x80;
    out->len += MT_RECORD_HEADER + body;
    mt_aead_free(ae);
}

/* TLS 1.2 CBC: encrypt data (zero-filled to whole blocks) as is, under a
 * fixed explicit IV; for encrypt-then-MAC append the right MAC. The reader
 * then checks padding and MAC on bytes the fuzzer chose. */
static void seal_cbc_raw(mt_buf *out, int prot, uint64_t seq, uint8_t type, const uint8_t *data,
                         size_t len)
{
    const mt_suite *s = mt_suite_find(suites12[prot - 4]);
    size_t enc, body, maclen = mt_hash_size(s->mac_hash);
    uint8_t *hdr, *ivp, ad[13];
    mt_cbc *c;
    mt_mac *m;

    if (len > 16384 + 1024)
        len = 16384 + 1024;
    enc = (len + MT_CBC_BLOCK - 1) / MT_CBC_BLOCK * MT_CBC_BLOCK;
    if (enc == 0)
        enc = MT_CBC_BLOCK;
    body = MT_CBC_BLOCK + enc + (prot == 7 ? maclen : 0);
    if (mt_buf_reserve(out, MT_RECORD_HEADER + body) != 0 ||
        (c = mt_cbc_new(cx, s->key_len, 1, key)) == NULL ||
        (m = mt_mac_new(cx, s->mac_hash, mac_key, s->mac_key_len)) == NULL)
        abort();
    hdr = out->data + out->len;
    hdr[0] = type;
    hdr[1] = 3;
    hdr[2] = 3;
    hdr[3] = (uint8_t)(body >> 8);
    hdr[4] = (uint8_t)body;
    ivp = hdr + MT_RECORD_HEADER;
    memcpy(ivp, iv, MT_CBC_BLOCK - 4);
    memcpy(ivp + MT_CBC_BLOCK - 4, "IV!!", 4);
    memset(ivp + MT_CBC_BLOCK, 0, enc);
    if (len > 0)
        memcpy(ivp + MT_CBC_BLOCK, data, len);
    if (mt_cbc_crypt(c, ivp, ivp + MT_CBC_BLOCK, enc, ivp + MT_CBC_BLOCK) != 0)
        abort();
    if (prot == 7) {
        for (int i = 7; i >= 0; i--)
            ad[7 - i] = (uint8_t)(seq >> (8 * i));
        ad[8] = type;
        ad[9] = 3;
        ad[10] = 3;
        ad[11] = (uint8_t)((MT_CBC_BLOCK + enc) >> 8);
        ad[12] = (uint8_t)(MT_CBC_BLOCK + enc);
        if (mt_mac_start(m) != 0 || mt_mac_update(m, ad, 13) != 0 ||
            mt_mac_update(m, ivp, MT_CBC_BLOCK + enc) != 0 ||
            mt_mac_finish(m, ivp + MT_CBC_BLOCK + enc) != 0)
            abort();
    }
    out->len += MT_RECORD_HEADER + body;
    mt_cbc_free(c);
    mt_mac_free(m);
}

static void raw_mode(mt_record *r, const uint8_t *p, size_t n, unsigned chunking)
{
    static const size_t fixed[4] = {0, 1, 5, 333};
    size_t k = fixed[chunking & 3];
    while (n > 0) {
        size_t m = (k == 0 || k > n) ? n : k;
        if (mt_rec_feed(r, p, m) != 0)
            abort();
        p += m;
        n -= m;
        if (drain(r) != 0)
            return;
    }
}

static void sealed_mode(mt_record *r, mt_record *w, int prot, const uint8_t *p, size_t n)
{
    uint64_t seq = 0;
    while (n >= 5) {
        uint8_t a = p[0], b = p[1], c = p[2];
        size_t len = ((size_t)p[3] << 8) | p[4];
        mt_buf out;
        mt_error e;
        p += 5;
        n -= 5;
        if (len > n)
            len = n;
        mt_buf_init(&out);
        mt_error_clear(&e);
        if (prot == 0) {
            (void)mt_w_u8(&out, a);
            (void)mt_w_u16(&out, 0x0303);
            (void)mt_w_u16(&out, (uint16_t)len);
            (void)mt_w_bytes(&out, p, len);
        } else if (prot <= 3) {
            seal13(&out, aeads13[prot], seq++, a & 0x7f, b, p, len, (size_t)c * 4, a >> 7);
        } else if ((a & 0x80) && prot >= 6) {
            seal_cbc_raw(&out, prot, w->wr.seq++, a & 0x7f, p, len);
        } else {
            /* the writer's own record, then one byte flipped */
            if (mt_rec_write(w, a & 0x7f, p, len, &e) != 0)
                abort();
            if (c != 0 && w->out.len > 0)
                w->out.data[b % w->out.len] ^= c;
            (void)mt_w_bytes(&out, w->out.data, w->out.len);
            mt_buf_reset(&w->out);
        }
        p += len;
        n -= len;
        if (out.err || mt_rec_feed(r, out.data, out.len) != 0)
            abort();
        mt_buf_free(&out);
        if (drain(r) != 0)
            return;
    }
}

static void round_trip(mt_record *w, mt_record *r, const uint8_t *p, size_t n)
{
    while (n >= 3) {
        uint8_t type = (uint8_t)(MT_CT_CHANGE_CIPHER_SPEC + p[0] % 4), rtype, *got;
        size_t len = ((size_t)p[1] << 8) | p[2], glen, off = 0;
        mt_error e;
        p += 3;
        n -= 3;
        if (len > n)
            len = n;
        mt_error_clear(&e);
        if (mt_rec_write(w, type, p, len, &e) != 0)
            abort();
        if (mt_rec_feed(r, w->out.data, w->out.len) != 0)
            abort();
        mt_buf_reset(&w->out);
        /* mt_rec_write splits at send_plaintext_max: read all pieces. */
        do {
            int ret = mt_rec_read(r, &rtype, &got, &glen, &e);
            if (ret != 1 || rtype != type || glen > len - off ||
                (glen > 0 && memcmp(got, p + off, glen) != 0))
                abort();
            off += glen;
            mt_rec_release(r);
        } while (off < len);
        if (mt_rec_buffered(r) != 0)
            abort();
        p += len;
        n -= len;
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    mt_record r, w;
    uint8_t ctl;
    int prot;

    if (size < 1)
        return 0;
    ctl = data[0];
    prot = ctl & 7;
    iv_rng.counter = 0;
    mt_record_init(&r);
    mt_record_init(&w);
    w.rng = &iv_hook;
    set_keys(&r, &w, prot);
    if (ctl & 0x20) {
        r.recv_inner_max = 512;
        r.plain_alerts_ok = 1;
    }
    switch ((ctl >> 3) & 3) {
    case 1:
        sealed_mode(&r, &w, prot, data + 1, size - 1);
        break;
    case 2:
        r.recv_inner_max = MT_MAX_PLAINTEXT + 1;
        r.plain_alerts_ok = 0;
        round_trip(&w, &r, data + 1, size - 1);
        break;
    default:
        raw_mode(&r, data + 1, size - 1, ctl >> 6);
        break;
    }
    mt_record_free(&r);
    mt_record_free(&w);
    return 0;
}
