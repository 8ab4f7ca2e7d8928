/*
 * fuzz_record: the record layer alone (mt_rec_feed / mt_rec_read /
 * mt_rec_release / mt_rec_write), with no key or with a fixed read key.
 *
 * Input: one control byte, then the payload.
 *   bits 0..1 read key: 0 none (plaintext), 1 AES-128-GCM,
 *             2 ChaCha20-Poly1305, 3 AES-256-GCM (fixed key and IV)
 *   bits 2..3 mode
 *             0, 3: raw, the payload is wire bytes, fed in chunks
 *                (bits 5..7)
 *             1: sealed, the payload is items
 *                  outer_type inner_type pad len16 data
 *                each sealed by the harness with the fixed key (so it
 *                authenticates) as one record: header outer_type & 0x7f,
 *                plaintext data || inner_type || pad*4 zero bytes; bit 7 of
 *                outer_type corrupts the tag. Without a key the item
 *                is sent as a plaintext record.
 *             2: round trip, the payload is items type len16 data, each
 *                written with mt_rec_write (the same key for writing) and
 *                read back: type and data must come back unchanged
 *   bit 4     a small receive limit (512-byte TLSInnerPlaintext, as after
 *             record_size_limit) and cleartext alerts accepted
 *
 * Checks: a record returned is within the buffer and the limits; an error
 * carries an alert; the round trip is exact.
 */
#include "fuzz_common.h"

static mt_crypto *cx;
static const uint8_t key[32] = {
    0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f,
    0x10, 0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17, 0x18, 0x19, 0x1a, 0x1b, 0x1c, 0x1d, 0x1e, 0x1f,
};
static const uint8_t iv[MT_AEAD_NONCE_LEN] = {0x40, 0x41, 0x42, 0x43, 0x44, 0x45,
                                              0x46, 0x47, 0x48, 0x49, 0x4a, 0x4b};
static const mt_aead_id aeads[4] = {MT_AES_128_GCM, MT_AES_128_GCM, MT_CHACHA20_POLY1305,
                                    MT_AES_256_GCM};

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    if ((cx = mt_crypto_new()) == NULL)
        fz_die("mt_crypto_new");
    return 0;
}

/* Read every whole record; 0 while fine, -1 after an error. */
static int drain(mt_record *r)
{
    for (;;) {
        uint8_t type, *p;
        size_t n, limit;
        mt_error e;
        int ret;
        /* A protected record gives at most recv_inner_max - 1 bytes (the
         * content type is not returned); a plaintext one 2^14. */
        if (mt_rec_buffered(r) >= MT_RECORD_HEADER && r->rd.aead != NULL &&
            r->in.data[r->in_off] == MT_CT_APPLICATION_DATA)
            limit = r->recv_inner_max - 1;
        else
            limit = MT_MAX_PLAINTEXT;
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
        if (type == 0)
            abort(); /* a protected record always has a content type */
        mt_rec_release(r);
    }
}

static void set_key(mt_rec_dir *d, mt_aead_id a, int encrypt)
{
    uint8_t k[32];
    memcpy(k, key, sizeof(k));
    if (mt_rec_dir_set(d, cx, a, encrypt, k, iv) != 0)
        abort();
}

/* Seal one record under the fixed key (as fz_seal, with a fixed key). */
static void seal(mt_buf *out, mt_aead_id a, uint64_t seq, uint8_t outer, uint8_t inner_type,
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

static void raw_mode(mt_record *r, const uint8_t *p, size_t n, unsigned chunking)
{
    static const size_t fixed[8] = {0, 1, 3, 5, 6, 21, 300, 17000};
    size_t k = fixed[chunking & 7];
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

static void sealed_mode(mt_record *r, int keyed, mt_aead_id a, const uint8_t *p, size_t n)
{
    uint64_t seq = 0;
    while (n >= 5) {
        uint8_t outer = p[0], inner = p[1], pad = p[2];
        size_t len = ((size_t)p[3] << 8) | p[4];
        mt_buf b;
        p += 5;
        n -= 5;
        if (len > n)
            len = n;
        mt_buf_init(&b);
        if (keyed) {
            seal(&b, a, seq++, outer & 0x7f, inner, p, len, (size_t)pad * 4, outer >> 7);
        } else {
            (void)mt_w_u8(&b, outer);
            (void)mt_w_u16(&b, 0x0303);
            (void)mt_w_u16(&b, (uint16_t)len);
            (void)mt_w_bytes(&b, p, len);
        }
        p += len;
        n -= len;
        if (mt_rec_feed(r, b.data, b.len) != 0)
            abort();
        mt_buf_free(&b);
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
    int keyed;
    mt_aead_id a;

    if (size < 1)
        return 0;
    ctl = data[0];
    keyed = (ctl & 3) != 0;
    a = aeads[ctl & 3];
    mt_record_init(&r);
    mt_record_init(&w);
    if (keyed) {
        set_key(&r.rd, a, 0);
        set_key(&w.wr, a, 1);
    }
    if (ctl & 0x10) {
        r.recv_inner_max = 512;
        r.plain_alerts_ok = 1;
    }
    switch ((ctl >> 2) & 3) {
    case 1:
        sealed_mode(&r, keyed, a, data + 1, size - 1);
        break;
    case 2:
        r.recv_inner_max = MT_MAX_PLAINTEXT + 1;
        r.plain_alerts_ok = 0;
        round_trip(&w, &r, data + 1, size - 1);
        break;
    default:
        raw_mode(&r, data + 1, size - 1, ctl >> 5);
        break;
    }
    mt_record_free(&r);
    mt_record_free(&w);
    return 0;
}
