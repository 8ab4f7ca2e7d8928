#include "record/record.h"

#include <string.h>

void mt_record_init(mt_record *r)
{
    memset(r, 0, sizeof(*r));
    mt_buf_init(&r->in);
    mt_buf_init(&r->out);
    r->send_plaintext_max = MT_MAX_PLAINTEXT;
    r->recv_inner_max = MT_MAX_PLAINTEXT + 1;
    r->send_version = 0x0303;
}

void mt_rec_dir_clear(mt_rec_dir *d)
{
    uint64_t limit = d->limit;
    mt_aead_free(d->aead);
    mt_wipe(d, sizeof(*d));
    d->limit = limit;
}

void mt_record_free(mt_record *r)
{
    mt_rec_dir_clear(&r->rd);
    mt_rec_dir_clear(&r->wr);
    mt_buf_free(&r->in);
    mt_buf_free(&r->out);
}

int mt_rec_dir_set(mt_rec_dir *d, const mt_crypto *cx, mt_aead_id aead, int encrypt,
                   const uint8_t *key, const uint8_t *iv)
{
    mt_aead *a = mt_aead_new(cx, aead, encrypt, key);
    if (a == NULL)
        return -1;
    mt_rec_dir_clear(d);
    d->aead = a;
    memcpy(d->iv, iv, MT_AEAD_NONCE_LEN);
    d->seq = 0;
    return 0;
}

/* RFC 8446 section 5.3: the 64-bit sequence number, left-padded to the IV
 * length, XORed with the static IV. */
static void make_nonce(const mt_rec_dir *d, uint8_t nonce[MT_AEAD_NONCE_LEN])
{
    memcpy(nonce, d->iv, MT_AEAD_NONCE_LEN);
    for (int i = 0; i < 8; i++)
        nonce[MT_AEAD_NONCE_LEN - 1 - i] ^= (uint8_t)(d->seq >> (8 * i));
}

int mt_rec_feed(mt_record *r, const uint8_t *p, size_t n)
{
    /* Compact once per feed rather than once per record. */
    if (r->in_off > 0) {
        mt_buf_consume(&r->in, r->in_off);
        r->in_off = 0;
    }
    return mt_w_bytes(&r->in, p, n);
}

size_t mt_rec_buffered(const mt_record *r)
{
    return r->in.len - r->in_off;
}

static int write_one(mt_record *r, uint8_t type, const uint8_t *data, size_t len, mt_error *e)
{
    mt_rec_dir *w = &r->wr;
    uint8_t *hdr;
    /* change_cipher_spec is never protected (RFC 8446 section 5). */
    mt_aead *aead = type == MT_CT_CHANGE_CIPHER_SPEC ? NULL : w->aead;
    size_t body = aead ? len + 1 + MT_AEAD_TAG_LEN : len;

    if (mt_buf_reserve(&r->out, MT_RECORD_HEADER + body) != 0)
        return mt_fail(e, MUTLS_ERR_INTERNAL, MT_ALERT_INTERNAL_ERROR, "out of memory");
    hdr = r->out.data + r->out.len;
    hdr[0] = aead ? MT_CT_APPLICATION_DATA : type;
    hdr[1] = (uint8_t)(r->send_version >> 8);
    hdr[2] = (uint8_t)r->send_version;
    hdr[3] = (uint8_t)(body >> 8);
    hdr[4] = (uint8_t)body;
    if (len > 0)
        memcpy(hdr + MT_RECORD_HEADER, data, len);
    if (aead != NULL) {
        uint8_t nonce[MT_AEAD_NONCE_LEN];
        /* RFC 8446 section 5.3: the sequence number must not wrap. */
        if (w->seq == UINT64_MAX)
            return mt_fail(e, MUTLS_ERR_INTERNAL, MT_ALERT_INTERNAL_ERROR,
                           "write sequence number exhausted");
        hdr[MT_RECORD_HEADER + len] = type; /* TLSInnerPlaintext.type, no padding */
        make_nonce(w, nonce);
        if (mt_aead_seal(aead, nonce, hdr, MT_RECORD_HEADER, hdr + MT_RECORD_HEADER, len + 1,
                         hdr + MT_RECORD_HEADER) != 0)
            return mt_fail(e, MUTLS_ERR_INTERNAL, MT_ALERT_INTERNAL_ERROR, "record encryption failed");
        w->seq++;
    }
    r->out.len += MT_RECORD_HEADER + body;
    return 0;
}

int mt_rec_write(mt_record *r, uint8_t type, const uint8_t *data, size_t len, mt_error *e)
{
    int ret;
    do {
        size_t n = len < r->send_plaintext_max ? len : r->send_plaintext_max;
        if ((ret = write_one(r, type, data, n, e)) != 0)
            return ret;
        data += n;
        len -= n;
    } while (len > 0);
    return 0;
}

int mt_rec_read(mt_record *r, uint8_t *type, uint8_t **data, size_t *len, mt_error *e)
{
    uint8_t *hdr = r->in.data + r->in_off;
    size_t avail = mt_rec_buffered(r), n;

    if (avail < MT_RECORD_HEADER)
        return 0;
    n = ((size_t)hdr[3] << 8) | hdr[4];
    if (hdr[1] != 3)
        return mt_fail(e, MUTLS_ERR_PROTOCOL, MT_ALERT_DECODE_ERROR,
                       "peer did not send a TLS record (version bytes %02x %02x)", hdr[1], hdr[2]);
    if (hdr[0] < MT_CT_CHANGE_CIPHER_SPEC || hdr[0] > MT_CT_APPLICATION_DATA)
        return mt_fail(e, MUTLS_ERR_PROTOCOL, MT_ALERT_UNEXPECTED_MESSAGE,
                       "record of unknown content type %u", hdr[0]);
    /* RFC 8446 section 5.1/5.2: 2^14 plaintext, 2^14 + 256 ciphertext. */
    if (n > (r->rd.aead && hdr[0] == MT_CT_APPLICATION_DATA ? MT_MAX_CIPHERTEXT13 : MT_MAX_PLAINTEXT))
        return mt_fail(e, MUTLS_ERR_PROTOCOL, MT_ALERT_RECORD_OVERFLOW,
                       "record of %zu bytes exceeds the limit", n);
    if (avail < MT_RECORD_HEADER + n)
        return 0;
    r->pending = MT_RECORD_HEADER + n;
    *type = hdr[0];
    *data = hdr + MT_RECORD_HEADER;
    *len = n;
    /* change_cipher_spec stays unprotected in TLS 1.3 (RFC 8446 5). A
     * peer that fails before it installs keys sends its alert in the
     * clear; during the handshake we accept it so that the user learns
     * the peer's reason rather than a record-layer complaint. */
    if (r->rd.aead == NULL || hdr[0] == MT_CT_CHANGE_CIPHER_SPEC ||
        (hdr[0] == MT_CT_ALERT && r->plain_alerts_ok))
        return 1;
    if (hdr[0] != MT_CT_APPLICATION_DATA)
        return mt_fail(e, MUTLS_ERR_PROTOCOL, MT_ALERT_UNEXPECTED_MESSAGE,
                       "unprotected %s record after keys were installed",
                       hdr[0] == MT_CT_ALERT ? "alert" : "handshake");

    uint8_t nonce[MT_AEAD_NONCE_LEN];
    uint8_t *body = hdr + MT_RECORD_HEADER;
    if (n < 1 + MT_AEAD_TAG_LEN || r->rd.seq == UINT64_MAX)
        return mt_fail(e, MUTLS_ERR_PROTOCOL, MT_ALERT_BAD_RECORD_MAC,
                       "record too short to be protected");
    make_nonce(&r->rd, nonce);
    if (mt_aead_open(r->rd.aead, nonce, hdr, MT_RECORD_HEADER, body, n, body) != 0)
        return mt_fail(e, MUTLS_ERR_PROTOCOL, MT_ALERT_BAD_RECORD_MAC,
                       "record failed authentication (bad_record_mac): tampered or wrong key");
    r->rd.seq++;
    n -= MT_AEAD_TAG_LEN;
    /* RFC 8446 section 5.4: TLSInnerPlaintext limit (RFC 8449 lowers it). */
    if (n > r->recv_inner_max)
        return mt_fail(e, MUTLS_ERR_PROTOCOL, MT_ALERT_RECORD_OVERFLOW,
                       "record plaintext of %zu bytes exceeds the limit of %zu", n,
                       r->recv_inner_max);
    /* The content type is the last non-zero byte; the rest is padding. */
    while (n > 0 && body[n - 1] == 0)
        n--;
    if (n == 0)
        return mt_fail(e, MUTLS_ERR_PROTOCOL, MT_ALERT_UNEXPECTED_MESSAGE,
                       "protected record has no content type");
    *type = body[n - 1];
    *len = n - 1;
    return 1;
}

void mt_rec_release(mt_record *r)
{
    r->in_off += r->pending;
    r->pending = 0;
    if (r->in_off == r->in.len) {
        r->in.len = 0;
        r->in_off = 0;
    }
}
