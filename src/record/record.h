/*
 * The TLS record layer (RFC 8446 section 5): framing, protection with the
 * negotiated AEAD, sequence numbers, size limits. Input is decrypted in
 * place in the receive buffer; output is appended to the send buffer. In
 * the steady state neither allocates: both buffers keep their capacity.
 */
#ifndef MT_RECORD_H
#define MT_RECORD_H

#include "base/error.h"
#include "base/wire.h"
#include "crypto/crypto.h"

enum {
    MT_CT_CHANGE_CIPHER_SPEC = 20,
    MT_CT_ALERT = 21,
    MT_CT_HANDSHAKE = 22,
    MT_CT_APPLICATION_DATA = 23,
};

#define MT_MAX_PLAINTEXT 16384                      /* 2^14 */
#define MT_MAX_CIPHERTEXT13 (MT_MAX_PLAINTEXT + 256) /* RFC 8446 5.2 */
#define MT_RECORD_HEADER 5

/* One direction's protection state. */
typedef struct mt_rec_dir {
    mt_aead *aead; /* NULL: plaintext */
    uint8_t iv[MT_AEAD_NONCE_LEN];
    uint64_t seq;
    uint64_t limit; /* records before a key update is due */
} mt_rec_dir;

typedef struct mt_record {
    mt_buf in;  /* bytes received, not yet consumed */
    mt_buf out; /* bytes to send */
    mt_rec_dir rd, wr;
    size_t in_off;             /* start of unconsumed input in `in` */
    size_t pending;            /* bytes of input used by the last record */
    size_t send_plaintext_max; /* content bytes per record we send */
    size_t recv_inner_max;     /* TLSInnerPlaintext bytes we accept */
    uint16_t send_version;     /* legacy_record_version */
    int plain_alerts_ok;       /* accept unprotected alerts (handshake) */
} mt_record;

void mt_record_init(mt_record *r);
void mt_record_free(mt_record *r);

/* Install a new key for one direction (sequence number back to 0); the
 * old one is wiped. key/iv are the traffic key and IV. */
int mt_rec_dir_set(mt_rec_dir *d, const mt_crypto *cx, mt_aead_id aead, int encrypt,
                   const uint8_t *key, const uint8_t *iv) MT_MUST;

/* Append bytes received from the network. */
int mt_rec_feed(mt_record *r, const uint8_t *p, size_t n) MT_MUST;
/* Bytes received and not yet consumed as records. */
size_t mt_rec_buffered(const mt_record *r);
void mt_rec_dir_clear(mt_rec_dir *d);

/* Append data as one or more records of the given content type, protected
 * if a write key is installed. */
int mt_rec_write(mt_record *r, uint8_t type, const uint8_t *data, size_t len, mt_error *e) MT_MUST;

/* The next whole record from the input: returns 1 and sets *type and the
 * plaintext (pointing into the input buffer, valid until mt_rec_release),
 * 0 when more bytes are needed, or an error. Enforces record_overflow,
 * bad_record_mac and the TLS 1.3 inner-plaintext rules. */
int mt_rec_read(mt_record *r, uint8_t *type, uint8_t **data, size_t *len, mt_error *e) MT_MUST;
/* Drop the record returned by the last mt_rec_read. */
void mt_rec_release(mt_record *r);

#endif
