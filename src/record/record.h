/*
 * The TLS record layer (RFC 8446 section 5, RFC 5246 section 6): framing,
 * protection, sequence numbers, size limits. TLS 1.3 protects with an AEAD
 * and an inner content type; TLS 1.2 with an AEAD (explicit nonce for GCM,
 * RFC 5288; implicit for ChaCha20-Poly1305, RFC 7905) or with AES-CBC and
 * HMAC, MAC-then-encrypt checked in constant time (Lucky 13) or
 * encrypt-then-MAC (RFC 7366). Input is decrypted in
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
#define MT_MAX_CIPHERTEXT12 (MT_MAX_PLAINTEXT + 2048) /* RFC 5246 6.2.3 */

/* How a direction protects its records. */
typedef enum {
    MT_PROT_NONE = 0,
    MT_PROT_TLS13,        /* AEAD, inner content type */
    MT_PROT_TLS12_GCM,    /* AEAD, 8-byte explicit nonce */
    MT_PROT_TLS12_CHACHA, /* AEAD, nonce from the sequence number */
    MT_PROT_TLS12_CBC,    /* MAC-then-encrypt */
    MT_PROT_TLS12_CBC_ETM /* encrypt-then-MAC */
} mt_prot;
#define MT_RECORD_HEADER 5

/* One direction's protection state. */
typedef struct mt_rec_dir {
    mt_prot prot;
    mt_aead *aead; /* AEAD protection */
    mt_cbc *cbc;   /* CBC protection */
    mt_mac *mac;
    size_t mac_len;
    uint8_t iv[MT_AEAD_NONCE_LEN]; /* static IV (1.3, ChaCha) or salt (GCM) */
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
    size_t recv_inner_max;     /* TLSInnerPlaintext bytes we accept (TLS
                                * 1.2: plaintext bytes + 1) */
    uint16_t send_version;     /* legacy_record_version */
    int plain_alerts_ok;       /* accept unprotected alerts (handshake) */
    const mt_rng *rng;         /* explicit CBC IVs (the config's hook) */
    size_t skip_budget;        /* TLS 1.3 server: bytes of rejected early
                                  data that may be skipped (RFC 8446 4.2.10) */
} mt_record;

/* What a skipped record of rejected early data, n bytes protected, takes
 * from the skip budget: its content bytes at most (max_early_data_size
 * counts the payload, not the AEAD tag and the content type byte, RFC 8446
 * 4.6.1), and at least 1. */
static inline size_t mt_rec_skip_cost(size_t n)
{
    return n > MT_AEAD_TAG_LEN + 1 ? n - (MT_AEAD_TAG_LEN + 1) : 1;
}

void mt_record_init(mt_record *r);
void mt_record_free(mt_record *r);

/* Install a new key for one direction (sequence number back to 0); the
 * old one is wiped. key/iv are the traffic key and IV. */
int mt_rec_dir_set(mt_rec_dir *d, const mt_crypto *cx, mt_aead_id aead, int encrypt,
                   const uint8_t *key, const uint8_t *iv) MT_MUST;

/* TLS 1.2: install a suite's keys for one direction. key is the
 * encryption key, iv the fixed IV (AEAD suites), mac_key the HMAC key
 * (CBC suites); etm selects encrypt-then-MAC. */
int mt_rec_dir_set12(mt_rec_dir *d, const mt_crypto *cx, const mt_suite *s, int encrypt,
                     const uint8_t *key, const uint8_t *iv, const uint8_t *mac_key,
                     int etm) MT_MUST;
static inline int mt_rec_dir_protected(const mt_rec_dir *d) { return d->prot != MT_PROT_NONE; }

/* Append bytes received from the network. */
int mt_rec_feed(mt_record *r, const uint8_t *p, size_t n) MT_MUST;
/* Bytes received and not yet consumed as records. */
size_t mt_rec_buffered(const mt_record *r);
void mt_rec_dir_clear(mt_rec_dir *d);

/* Append data as one or more records of the given content type, protected
 * if a write key is installed. */
int mt_rec_write(mt_record *r, uint8_t type, const uint8_t *data, size_t len, mt_error *e) MT_MUST;

/* The next whole record from the input: returns 1 and sets *type and the
 * plaintext; 2 when a record was skipped as rejected early data; ...
 * (below). Returns 1 and sets *type and the
 * plaintext (pointing into the input buffer, valid until mt_rec_release),
 * 0 when more bytes are needed, or an error. Enforces record_overflow,
 * bad_record_mac and the TLS 1.3 inner-plaintext rules. */
int mt_rec_read(mt_record *r, uint8_t *type, uint8_t **data, size_t *len, mt_error *e) MT_MUST;
/* Drop the record returned by the last mt_rec_read. */
void mt_rec_release(mt_record *r);

#endif
