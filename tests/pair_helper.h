/*
 * In-memory client/server pairs for protocol tests (STYLE.md: "every
 * protocol test on an in-memory pair").
 *
 * A pair is two sans-I/O connections whose output is shuttled to each
 * other: mutls_conn_peek_output() on one side, mutls_conn_feed() on the
 * other. Nothing touches a socket or a thread, so runs are reproducible,
 * and every loop is bounded: a broken peer makes a test fail, never hang.
 *
 *   pair_spec spec = {.server_chains = {"server-rsa2048"},
 *                     .client_groups = "x25519,secp256r1",
 *                     .server_groups = "secp256r1"};
 *   pair *p = pair_new(&spec);           // configs + connections
 *   if (pair_handshake(p) == 0) ...      // p->crc / p->src: both results
 *   pair_transfer(p, PAIR_C2S, 1 << 20, 16384, 7);  // checked bytes
 *   pair_free(p);
 *
 * A tamper hook sees every record in flight, one whole record at a time,
 * and may edit, resize, drop it, or end the stream after it.
 *
 * This file deliberately does not use CHECK (testlib.h keeps its counters
 * per test program): functions report through return values, and print
 * what went wrong on stderr.
 */
#ifndef MT_PAIR_HELPER_H
#define MT_PAIR_HELPER_H

#include <stddef.h>
#include <stdint.h>

#include "mutls.h"

#define PAIR_MAX_CHAINS 8

/* What the two configurations look like. The zero value is a working
 * pair: server chain server-ecdsa-p256, client trusting tests/certs/ca.pem
 * and verifying "localhost", library defaults for everything else. */
typedef struct pair_spec {
    /* Server chains by name in the certificate directory (NAME.pem and
     * NAME.key), in order; the list ends at the first NULL. None:
     * "server-ecdsa-p256". */
    const char *server_chains[PAIR_MAX_CHAINS + 1];
    const char *client_ca;   /* file in the cert dir; NULL: "ca.pem"        */
    int client_verify_none;  /* client does not verify the server          */
    const char *server_name; /* client's server_name; NULL: "localhost",
                              * "" : none is set                           */
    /* Comma-separated lists (mutls_config_set_*); NULL: library default. */
    const char *client_suites, *server_suites;
    const char *client_groups, *server_groups;
    const char *client_sigs, *server_sigs;
    const char *client_alpn, *server_alpn;
    uint16_t client_record_size_limit, server_record_size_limit; /* 0: none */
    int server_tickets; /* 0: library default (2); -1: none; n: n per handshake */
    uint64_t client_key_update_interval, server_key_update_interval;
    int no_middlebox;        /* both sides: middlebox compatibility off     */
    /* Versions (mutls_config_set_versions): MUTLS_TLS1_2 / MUTLS_TLS1_3;
     * both 0: library default (TLS 1.2 and TLS 1.3). */
    uint16_t client_min_version, client_max_version;
    uint16_t server_min_version, server_max_version;
    /* Non-zero: mutls_config_set_rsa_kex(cfg, 1) (TLS_RSA_WITH_* suites). */
    int client_rsa_kex, server_rsa_kex;
    /* Mutual TLS (all zero: the server asks for no certificate and the
     * client has none). Names of files in the certificate directory. */
    const char *server_client_cas[PAIR_MAX_CHAINS + 1]; /* client CA bundles
                              * (mutls_config_add_client_ca_file), in order */
    const char *server_crls[PAIR_MAX_CHAINS + 1]; /* server CRL files
                              * (mutls_config_add_crl_file)                 */
    int server_verify;       /* 0: library default; PAIR_VERIFY(mode): set  */
    const char *client_chains[PAIR_MAX_CHAINS + 1]; /* client chains by name
                              * (NAME.pem + NAME.key), in order             */
    int server_no_ca_names;  /* mutls_config_set_send_ca_names(s, 0)       */
    int server_pha;          /* mutls_config_set_post_handshake_auth(s, 1) */
    uint64_t seed;           /* non-zero: deterministic rng on both sides   */
    int64_t now;             /* non-zero: both sides' clock is fixed here   */
} pair_spec;

/* pair_spec.server_verify for a mutls_verify_mode. */
#define PAIR_VERIFY(mode) ((int)(mode) + 1)

typedef enum { PAIR_C2S = 0, PAIR_S2C = 1 } pair_dir;

/* One record in flight, as the tamper hook sees it. */
typedef struct pair_record {
    pair_dir dir;
    unsigned long index; /* 0-based count of records in this direction    */
    int sender_connected;/* the sender had completed its handshake        */
    uint8_t *data;       /* header (5 bytes) + body; may be edited/resized */
    size_t len, cap;
    int drop;            /* set by the hook: do not deliver                */
    int eof;             /* set by the hook: end the stream after this one
                          * (delivered unless drop is set too)             */
} pair_record;

typedef struct pair pair;
typedef void (*pair_tamper_fn)(pair *p, pair_record *r, void *ctx);

typedef struct pair_stream {
    uint8_t *buf; /* bytes taken from the sender, not yet a whole record */
    size_t len, cap;
} pair_stream;

struct pair {
    mutls_config *ccfg, *scfg;
    mutls_conn *c, *s;
    int crc, src;            /* last mutls_conn_handshake() of each side    */
    int last_feed[2];        /* last mutls_conn_feed() into the receiver of
                              * each direction                              */
    unsigned long records[2];/* records delivered per direction            */
    unsigned long long bytes[2];
    int ended[2];            /* the stream in this direction has ended      */
    pair_tamper_fn tamper;
    void *tamper_ctx;
    pair_stream inflight[2];
    uint64_t rng_state[2];   /* client, server */
    int64_t now;
};

/* The certificate directory ($MUTLS_TEST_CERTS or tests/certs) and a
 * path in it (buf of size n; returns buf). */
const char *pair_certs_dir(void);
char *pair_cert_path(char *buf, size_t n, const char *name);

/* Build the two configurations of a spec; 0 or -1 (message on stderr).
 * The caller owns them and may change them further before the first
 * connection. */
int pair_make_configs(const pair_spec *spec, mutls_config **ccfg, mutls_config **scfg);
/* A pair from a spec (NULL: all defaults), or NULL (message on stderr). */
pair *pair_new(const pair_spec *spec);
/* A pair from existing configurations (each is up-ref'ed); server_name as
 * in pair_spec. */
pair *pair_new_from(mutls_config *ccfg, mutls_config *scfg, const char *server_name);
void pair_free(pair *p);

void pair_set_tamper(pair *p, pair_tamper_fn fn, void *ctx);

/* Move everything the sender of dir has pending to the receiver (through
 * the tamper hook). Returns the number of bytes taken from the sender. */
size_t pair_shuttle(pair *p, pair_dir dir);
/* Shuttle both ways until neither side has output (bounded). */
size_t pair_flush(pair *p);

/* Drive both handshakes to completion (or failure) and deliver any alert.
 * 0 when both sides completed; -1 otherwise (p->crc / p->src say how). */
int pair_handshake(pair *p);

/* Write on the sender of dir and shuttle; returns mutls_conn_write's
 * result. */
int pair_send(pair *p, pair_dir dir, const void *buf, size_t len);
/* Read what the receiver of dir has (after a flush), up to cap bytes.
 * Returns the count (>= 0) or, when nothing was read, the read result
 * (0 for close_notify, MUTLS_WANT_READ, an error). */
long pair_recv(pair *p, pair_dir dir, void *buf, size_t cap);

/* The deterministic test byte stream: bytes [off, off + n) of stream seed. */
void pair_pattern(uint32_t seed, uint64_t off, uint8_t *out, size_t n);
/* Send total bytes of stream seed in writes of at most chunk bytes, and
 * check that the receiver reads exactly those bytes. 0 when intact, -1
 * otherwise (with the reason on stderr). */
int pair_transfer(pair *p, pair_dir dir, size_t total, size_t chunk, uint32_t seed);
/* The same in both directions at once (interleaved writes). */
int pair_transfer_both(pair *p, size_t total, size_t chunk, uint32_t seed);
/* Client sends msg, server reads it and sends it back, client checks. */
int pair_echo(pair *p, const char *msg);

/* Feed raw bytes to the receiver of dir (bypassing the tamper hook);
 * returns the feed result. */
int pair_inject(pair *p, pair_dir dir, const uint8_t *bytes, size_t n);
/* End of stream (feed of zero bytes) to the receiver of dir. */
int pair_eof(pair *p, pair_dir dir);

/* Editing a record in the tamper hook; 0 or -1 (out of memory). */
int pair_record_set(pair_record *r, const uint8_t *bytes, size_t n);
int pair_record_append(pair_record *r, const uint8_t *bytes, size_t n);
int pair_record_prepend(pair_record *r, const uint8_t *bytes, size_t n);

/* Both connections' state on stderr (for a failed check). */
void pair_dump(const pair *p, const char *label);

#endif
