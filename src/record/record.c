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
    mt_cbc_free(d->cbc);
    mt_mac_free(d->mac);
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
    d->prot = MT_PROT_TLS13;
    d->aead = a;
    memcpy(d->iv, iv, MT_AEAD_NONCE_LEN);
    d->seq = 0;
    return 0;
}

int mt_rec_dir_set12(mt_rec_dir *d, const mt_crypto *cx, const mt_suite *s, int encrypt,
                     const uint8_t *key, const uint8_t *iv, const uint8_t *mac_key, int etm)
{
    mt_rec_dir n;
    memset(&n, 0, sizeof(n));
    if (s->cipher == MT_CIPHER_AEAD) {
        n.prot = s->aead == MT_CHACHA20_POLY1305 ? MT_PROT_TLS12_CHACHA : MT_PROT_TLS12_GCM;
        n.aead = mt_aead_new(cx, s->aead, encrypt, key);
        if (n.aead == NULL)
            return -1;
        memcpy(n.iv, iv, s->fixed_iv_len);
    } else {
        n.prot = etm ? MT_PROT_TLS12_CBC_ETM : MT_PROT_TLS12_CBC;
        n.cbc = mt_cbc_new(cx, s->key_len, encrypt, key);
        n.mac = mt_mac_new(cx, s->mac_hash, mac_key, s->mac_key_len);
        n.mac_len = mt_hash_size(s->mac_hash);
        if (n.cbc == NULL || n.mac == NULL) {
            mt_rec_dir_clear(&n);
            return -1;
        }
    }
    n.limit = d->limit;
    mt_rec_dir_clear(d);
    *d = n;
    return 0;
}

/* RFC 8446 section 5.3 / RFC 7905: the 64-bit sequence number, left-padded
 * to the IV length, XORed with the static IV. */
static void make_nonce(const mt_rec_dir *d, uint8_t nonce[MT_AEAD_NONCE_LEN])
{
    memcpy(nonce, d->iv, MT_AEAD_NONCE_LEN);
    for (int i = 0; i < 8; i++)
        nonce[MT_AEAD_NONCE_LEN - 1 - i] ^= (uint8_t)(d->seq >> (8 * i));
}

static void put_u64(uint8_t *p, uint64_t v)
{
    for (int i = 7; i >= 0; i--, v >>= 8)
        p[i] = (uint8_t)v;
}

/* TLS 1.2 additional data / MAC header: seq_num, type, version, length.
 * The version is the record's own (RFC 5246 6.2.3.1 and 6.2.3.3:
 * TLSCompressed.version), as sent or as received, so that the header's
 * version bytes are authenticated like its type. */
static void tls12_header(uint8_t ad[13], uint64_t seq, uint8_t type, const uint8_t version[2],
                         size_t len)
{
    put_u64(ad, seq);
    ad[8] = type;
    ad[9] = version[0];
    ad[10] = version[1];
    ad[11] = (uint8_t)(len >> 8);
    ad[12] = (uint8_t)len;
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

/* Protected body size for len bytes of content. */
static size_t sealed_len(const mt_rec_dir *w, size_t len)
{
    switch (w->prot) {
    case MT_PROT_TLS13: return len + 1 + MT_AEAD_TAG_LEN;
    case MT_PROT_TLS12_GCM: return 8 + len + MT_AEAD_TAG_LEN;
    case MT_PROT_TLS12_CHACHA: return len + MT_AEAD_TAG_LEN;
    case MT_PROT_TLS12_CBC:
        return MT_CBC_BLOCK + (len + w->mac_len + MT_CBC_BLOCK) / MT_CBC_BLOCK * MT_CBC_BLOCK;
    case MT_PROT_TLS12_CBC_ETM:
        return MT_CBC_BLOCK + (len + MT_CBC_BLOCK) / MT_CBC_BLOCK * MT_CBC_BLOCK + w->mac_len;
    default: return len;
    }
}

/* Write the protected body of one record at body (room for sealed_len). */
static int seal(mt_record *r, mt_rec_dir *w, uint8_t type, uint8_t *hdr, uint8_t *body,
                size_t len)
{
    uint8_t nonce[MT_AEAD_NONCE_LEN], ad[13];
    size_t total;

    switch (w->prot) {
    case MT_PROT_TLS13:
        body[len] = type; /* TLSInnerPlaintext.type, no padding */
        make_nonce(w, nonce);
        return mt_aead_seal(w->aead, nonce, hdr, MT_RECORD_HEADER, body, len + 1, body);
    case MT_PROT_TLS12_GCM:
        /* RFC 5288 section 3: salt || explicit nonce; the sequence number
         * is a unique explicit nonce. */
        memmove(body + 8, body, len);
        memcpy(nonce, w->iv, 4);
        put_u64(nonce + 4, w->seq);
        memcpy(body, nonce + 4, 8);
        tls12_header(ad, w->seq, type, hdr + 1, len);
        return mt_aead_seal(w->aead, nonce, ad, 13, body + 8, len, body + 8);
    case MT_PROT_TLS12_CHACHA:
        make_nonce(w, nonce);
        tls12_header(ad, w->seq, type, hdr + 1, len);
        return mt_aead_seal(w->aead, nonce, ad, 13, body, len, body);
    case MT_PROT_TLS12_CBC:
    case MT_PROT_TLS12_CBC_ETM: {
        int etm = w->prot == MT_PROT_TLS12_CBC_ETM;
        uint8_t *iv = body, *data = body + MT_CBC_BLOCK;
        size_t enc;
        memmove(data, body, len);
        /* RFC 5246 6.2.3.2: an unpredictable explicit IV per record. */
        if (mt_random(r->rng, iv, MT_CBC_BLOCK) != 0)
            return -1;
        total = len;
        tls12_header(ad, w->seq, type, hdr + 1, len);
        if (!etm) {
            if (mt_mac_start(w->mac) != 0 || mt_mac_update(w->mac, ad, 13) != 0 ||
                mt_mac_update(w->mac, data, len) != 0 || mt_mac_finish(w->mac, data + len) != 0)
                return -1;
            total += w->mac_len;
        }
        enc = (total + MT_CBC_BLOCK) / MT_CBC_BLOCK * MT_CBC_BLOCK;
        memset(data + total, (int)(enc - total - 1), enc - total);
        if (mt_cbc_crypt(w->cbc, iv, data, enc, data) != 0)
            return -1;
        if (etm) {
            /* RFC 7366 section 3: MAC over the IV and ciphertext. */
            tls12_header(ad, w->seq, type, hdr + 1, MT_CBC_BLOCK + enc);
            if (mt_mac_start(w->mac) != 0 || mt_mac_update(w->mac, ad, 13) != 0 ||
                mt_mac_update(w->mac, body, MT_CBC_BLOCK + enc) != 0 ||
                mt_mac_finish(w->mac, body + MT_CBC_BLOCK + enc) != 0)
                return -1;
        }
        return 0;
    }
    default:
        return 0;
    }
}

static int write_one(mt_record *r, uint8_t type, const uint8_t *data, size_t len, mt_error *e)
{
    mt_rec_dir *w = &r->wr;
    /* change_cipher_spec is never protected in TLS 1.3 (RFC 8446 5); in
     * TLS 1.2 it is sent before the new write state is installed. */
    int protect = w->prot != MT_PROT_NONE && !(w->prot == MT_PROT_TLS13 && type == MT_CT_CHANGE_CIPHER_SPEC);
    size_t body = protect ? sealed_len(w, len) : len;
    uint8_t *hdr;

    if (mt_buf_reserve(&r->out, MT_RECORD_HEADER + body) != 0)
        return mt_fail(e, MUTLS_ERR_INTERNAL, MT_ALERT_INTERNAL_ERROR, "out of memory");
    hdr = r->out.data + r->out.len;
    hdr[0] = protect && w->prot == MT_PROT_TLS13 ? MT_CT_APPLICATION_DATA : type;
    hdr[1] = (uint8_t)(r->send_version >> 8);
    hdr[2] = (uint8_t)r->send_version;
    hdr[3] = (uint8_t)(body >> 8);
    hdr[4] = (uint8_t)body;
    if (len > 0)
        memcpy(hdr + MT_RECORD_HEADER, data, len);
    if (protect) {
        /* RFC 8446 section 5.3, RFC 5246 6.1: sequence numbers never wrap. */
        if (w->seq == UINT64_MAX)
            return mt_fail(e, MUTLS_ERR_INTERNAL, MT_ALERT_INTERNAL_ERROR,
                           "write sequence number exhausted");
        if (seal(r, w, type, hdr, hdr + MT_RECORD_HEADER, len) != 0)
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

static int bad_mac(mt_error *e)
{
    /* One answer for every CBC/AEAD failure (Lucky 13, padding oracles). */
    return mt_fail(e, MUTLS_ERR_PROTOCOL, MT_ALERT_BAD_RECORD_MAC,
                   "record failed authentication (bad_record_mac): tampered or wrong key");
}

/* MAC-then-encrypt CBC (RFC 5246 6.2.3.2), after decryption: check the
 * padding and the MAC without branching on, or indexing by, the secret
 * padding length, and with the same hash work whatever it is (Lucky 13:
 * AlFardan and Paterson, 2013). */
static int open_cbc_mte(mt_rec_dir *d, uint8_t type, const uint8_t version[2], uint8_t *p,
                        size_t L, size_t *out_len)
{
    size_t maclen = d->mac_len, bs = mt_mac_block_size(d->mac);
    uint8_t ad[13], mac[MT_MAX_HASH], got[MT_MAX_HASH];
    size_t pad, good, data_len, max_data, to_check;

    /* Public: the record length alone cannot hold a MAC and a pad byte. */
    if (L < maclen + 1)
        return -1;
    pad = p[L - 1];
    good = mt_ct_mask_lt(pad + maclen, L); /* pad + 1 + maclen <= L */
    to_check = L < 256 ? L : 256;
    for (size_t i = 0; i < to_check; i++) {
        size_t in_pad = mt_ct_mask_lt(i, pad + 1);
        good &= ~in_pad | mt_ct_mask_eq(p[L - 1 - i], pad);
    }
    /* With bad padding, compute the MAC as if there were none. */
    pad &= good;
    data_len = L - pad - 1 - maclen;
    max_data = L - 1 - maclen;

    tls12_header(ad, d->seq, type, version, data_len);
    if (mt_mac_start(d->mac) != 0 || mt_mac_update(d->mac, ad, 13) != 0 ||
        mt_mac_update(d->mac, p, data_len) != 0 || mt_mac_finish(d->mac, mac) != 0)
        return -1;
    /* Compressions of the inner hash: key block + header + data + the
     * 9-byte final padding, rounded up. Burn the difference to the
     * longest possible data so the work does not depend on pad. */
    size_t used = (bs + 13 + data_len + 8) / bs, most = (bs + 13 + max_data + 8) / bs;
    if (mt_mac_dummy_blocks(d->mac, most - used) != 0)
        return -1;
    /* Gather the received MAC from its secret offset: touch every
     * position it could start at. */
    memset(got, 0, maclen);
    size_t first = max_data > 255 ? max_data - 255 : 0;
    for (size_t i = first; i <= max_data; i++) {
        size_t here = mt_ct_mask_eq(i, data_len);
        for (size_t j = 0; j < maclen; j++)
            got[j] |= (uint8_t)(p[i + j] & here);
    }
    good &= (size_t)0 - (size_t)mt_ct_equal(mac, got, maclen);
    *out_len = data_len;
    return good ? 0 : -1;
}

/* Remove protection from a TLS 1.2 record body in place; hdr is the
 * record header, body the n bytes after it. */
static int open12(mt_record *r, const uint8_t *hdr, uint8_t *body, size_t n, uint8_t **data,
                  size_t *len, mt_error *e)
{
    mt_rec_dir *d = &r->rd;
    uint8_t type = hdr[0];
    const uint8_t *version = hdr + 1;
    uint8_t nonce[MT_AEAD_NONCE_LEN], ad[13];

    switch (d->prot) {
    case MT_PROT_TLS12_GCM:
        if (n < 8 + MT_AEAD_TAG_LEN)
            return bad_mac(e);
        memcpy(nonce, d->iv, 4);
        memcpy(nonce + 4, body, 8);
        tls12_header(ad, d->seq, type, version, n - 8 - MT_AEAD_TAG_LEN);
        if (mt_aead_open(d->aead, nonce, ad, 13, body + 8, n - 8, body + 8) != 0)
            return bad_mac(e);
        *data = body + 8;
        *len = n - 8 - MT_AEAD_TAG_LEN;
        return 0;
    case MT_PROT_TLS12_CHACHA:
        if (n < MT_AEAD_TAG_LEN)
            return bad_mac(e);
        make_nonce(d, nonce);
        tls12_header(ad, d->seq, type, version, n - MT_AEAD_TAG_LEN);
        if (mt_aead_open(d->aead, nonce, ad, 13, body, n, body) != 0)
            return bad_mac(e);
        *data = body;
        *len = n - MT_AEAD_TAG_LEN;
        return 0;
    case MT_PROT_TLS12_CBC_ETM: {
        uint8_t mac[MT_MAX_HASH];
        size_t c = n - d->mac_len;
        if (n < d->mac_len + 2 * MT_CBC_BLOCK || (c % MT_CBC_BLOCK) != 0)
            return bad_mac(e);
        tls12_header(ad, d->seq, type, version, c);
        if (mt_mac_start(d->mac) != 0 || mt_mac_update(d->mac, ad, 13) != 0 ||
            mt_mac_update(d->mac, body, c) != 0 || mt_mac_finish(d->mac, mac) != 0 ||
            !mt_ct_equal(mac, body + c, d->mac_len))
            return bad_mac(e);
        /* Authenticated: the padding is no longer an oracle. */
        if (mt_cbc_crypt(d->cbc, body, body + MT_CBC_BLOCK, c - MT_CBC_BLOCK, body + MT_CBC_BLOCK) != 0)
            return bad_mac(e);
        size_t L = c - MT_CBC_BLOCK, pad = body[MT_CBC_BLOCK + L - 1];
        if (pad + 1 > L)
            return bad_mac(e);
        for (size_t i = 0; i <= pad; i++)
            if (body[MT_CBC_BLOCK + L - 1 - i] != pad)
                return bad_mac(e);
        *data = body + MT_CBC_BLOCK;
        *len = L - pad - 1;
        return 0;
    }
    case MT_PROT_TLS12_CBC: {
        size_t L = n - MT_CBC_BLOCK;
        if (n < 2 * MT_CBC_BLOCK || (n % MT_CBC_BLOCK) != 0 ||
            mt_cbc_crypt(d->cbc, body, body + MT_CBC_BLOCK, L, body + MT_CBC_BLOCK) != 0 ||
            open_cbc_mte(d, type, version, body + MT_CBC_BLOCK, L, len) != 0) {
            /* Like a failed AEAD open: no unauthenticated plaintext is
             * left in the input buffer. The same work whatever failed. */
            if (n >= 2 * MT_CBC_BLOCK && (n % MT_CBC_BLOCK) == 0)
                mt_wipe(body + MT_CBC_BLOCK, L);
            return bad_mac(e);
        }
        *data = body + MT_CBC_BLOCK;
        return 0;
    }
    default:
        return bad_mac(e);
    }
}

int mt_rec_read(mt_record *r, uint8_t *type, uint8_t **data, size_t *len, mt_error *e)
{
    uint8_t *hdr = r->in.data + r->in_off;
    size_t avail = mt_rec_buffered(r), n, limit;
    int prot = r->rd.prot;

    if (avail < MT_RECORD_HEADER)
        return 0;
    n = ((size_t)hdr[3] << 8) | hdr[4];
    if (hdr[1] != 3)
        return mt_fail(e, MUTLS_ERR_PROTOCOL, MT_ALERT_DECODE_ERROR,
                       "peer did not send a TLS record (version bytes %02x %02x)", hdr[1], hdr[2]);
    if (hdr[0] < MT_CT_CHANGE_CIPHER_SPEC || hdr[0] > MT_CT_APPLICATION_DATA)
        return mt_fail(e, MUTLS_ERR_PROTOCOL, MT_ALERT_UNEXPECTED_MESSAGE,
                       "record of unknown content type %u", hdr[0]);
    /* RFC 8446 5.1/5.2: 2^14 plaintext, 2^14 + 256 ciphertext; RFC 5246
     * 6.2.3: 2^14 + 2048 ciphertext. */
    if (prot == MT_PROT_NONE && hdr[0] == MT_CT_APPLICATION_DATA && r->skip_budget > 0)
        limit = MT_MAX_CIPHERTEXT13; /* rejected early data, before any key */
    else if (prot == MT_PROT_NONE ||
             (prot == MT_PROT_TLS13 && hdr[0] != MT_CT_APPLICATION_DATA))
        limit = MT_MAX_PLAINTEXT;
    else
        limit = prot == MT_PROT_TLS13 ? MT_MAX_CIPHERTEXT13 : MT_MAX_CIPHERTEXT12;
    if (n > limit)
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
    if (prot == MT_PROT_NONE || (prot == MT_PROT_TLS13 && hdr[0] == MT_CT_CHANGE_CIPHER_SPEC) ||
        (hdr[0] == MT_CT_ALERT && r->plain_alerts_ok && prot == MT_PROT_TLS13))
        return 1;

    uint8_t *body = hdr + MT_RECORD_HEADER;
    if (r->rd.seq == UINT64_MAX)
        return bad_mac(e);
    if (prot != MT_PROT_TLS13) {
        if (open12(r, hdr, body, n, data, len, e) != 0)
            return e->code;
        r->rd.seq++;
        /* RFC 5246 6.2.1: 2^14 bytes; RFC 8449 4: the record_size_limit
         * we announced, which in TLS 1.2 counts the plaintext only (one
         * byte less than recv_inner_max). */
        if (*len >= r->recv_inner_max)
            return mt_fail(e, MUTLS_ERR_PROTOCOL, MT_ALERT_RECORD_OVERFLOW,
                           "record plaintext of %zu bytes exceeds the limit of %zu", *len,
                           r->recv_inner_max - 1);
        return 1;
    }

    uint8_t nonce[MT_AEAD_NONCE_LEN];
    if (hdr[0] != MT_CT_APPLICATION_DATA)
        return mt_fail(e, MUTLS_ERR_PROTOCOL, MT_ALERT_UNEXPECTED_MESSAGE,
                       "unprotected %s record after keys were installed",
                       hdr[0] == MT_CT_ALERT ? "alert" : "handshake");
    if (n < 1 + MT_AEAD_TAG_LEN)
        return mt_fail(e, MUTLS_ERR_PROTOCOL, MT_ALERT_BAD_RECORD_MAC,
                       "record too short to be protected");
    make_nonce(&r->rd, nonce);
    if (mt_aead_open(r->rd.aead, nonce, hdr, MT_RECORD_HEADER, body, n, body) != 0) {
        /* Early data the server did not accept: skip it, up to what it
         * could amount to (RFC 8446 4.2.10). */
        if (r->skip_budget >= mt_rec_skip_cost(n)) {
            r->skip_budget -= mt_rec_skip_cost(n);
            return 2;
        }
        return bad_mac(e);
    }
    r->skip_budget = 0; /* the first record that opens ends the skipping */
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
