/*
 * What the TLS 1.3 client and server state machines share: the transcript,
 * message framing and dispatch, key installation, the key log and trace.
 *
 * The handshake is data: each role has a table of (state, message type)
 * -> handler. A message with no row for the current state is an
 * unexpected_message alert (RFC 8446 section 6.2).
 */
#ifndef MT_HANDSHAKE_H
#define MT_HANDSHAKE_H

#include "core/conn.h"

typedef int (*mt_hs_handler)(mutls_conn *c, mt_reader *body, const uint8_t *msg, size_t len);

typedef struct mt_transition {
    int state;
    uint8_t type;
    mt_hs_handler handle;
} mt_transition;

extern const mt_transition mt_tls13_client_table[];
extern const size_t mt_tls13_client_table_count;
extern const mt_transition mt_tls13_server_table[];
extern const size_t mt_tls13_server_table_count;
extern const mt_transition mt_tls12_client_table[];
extern const size_t mt_tls12_client_table_count;
extern const mt_transition mt_tls12_server_table[];
extern const size_t mt_tls12_server_table_count;

const char *mt_hs_type_name(uint8_t type);
const char *mt_state_name(int state);

int mt_hs_new(mutls_conn *c) MT_MUST;
void mt_hs_free(mutls_conn *c);

/* Transcript: raw bytes until the suite (and so the hash) is known. */
int mt_transcript_add(mutls_conn *c, const uint8_t *msg, size_t len) MT_MUST;
int mt_transcript_start_hash(mutls_conn *c, mt_hash_id h) MT_MUST;
int mt_transcript_hash(mutls_conn *c, uint8_t *out) MT_MUST;
/* RFC 8446 section 4.4.1: after a HelloRetryRequest the first
 * ClientHello is replaced by message_hash(Hash(ClientHello1)). */
int mt_transcript_replace_with_message_hash(mutls_conn *c) MT_MUST;

/* Build a message in c->scratch: begin returns the length prefix offset. */
size_t mt_msg_begin(mutls_conn *c, uint8_t type);
/* Close it, add it to the transcript, queue it, trace it. */
int mt_msg_send(mutls_conn *c, size_t len_off, const char *detail) MT_MUST;
/* The same, traced under another name (HelloRetryRequest). */
int mt_msg_send_as(mutls_conn *c, size_t len_off, const char *name, const char *detail) MT_MUST;

/* Feed handshake record content; dispatches whole messages. */
int mt_hs_receive(mutls_conn *c, const uint8_t *data, size_t len) MT_MUST;
/* Start the client handshake. */
int mt_tls13_client_start(mutls_conn *c) MT_MUST;

uint64_t mt_key_update_limit(const mutls_conn *c);
int mt_derive_application_secrets(mutls_conn *c) MT_MUST;

/* Install a traffic secret for reading (write=0) or writing (write=1). */
int mt_install_secret(mutls_conn *c, int write, const uint8_t *secret) MT_MUST;
int mt_send_ccs(mutls_conn *c) MT_MUST;

void mt_keylog(mutls_conn *c, const char *label, const uint8_t *secret);
void mt_keylog_len(mutls_conn *c, const char *label, const uint8_t *secret, size_t len);
void mt_trace(mutls_conn *c, int sent, uint8_t type, const char *name, const char *detail);
/* Failure helpers that carry the alert. */
#define MT_DECODE_ERROR(c, what)                                                               \
    mt_conn_fail((c), MUTLS_ERR_PROTOCOL, MT_ALERT_DECODE_ERROR, "malformed %s", (what))

/* Messages (one file each). */
int mt_send_client_hello(mutls_conn *c) MT_MUST;
typedef struct mt_client_hello {
    uint16_t legacy_version;
    const uint8_t *random;
    const uint8_t *session_id;
    size_t session_id_len;
    mt_reader suites;
    size_t compression_len;
    int null_compression;
    mt_exts ext;
} mt_client_hello;
int mt_parse_client_hello(mutls_conn *c, mt_reader *r, mt_client_hello *ch) MT_MUST;
/* 1 if the ClientHello lists the cipher suite (or signalling value). */
int mt_client_hello_offers(const mt_client_hello *ch, uint16_t suite);

typedef struct mt_server_hello {
    uint16_t legacy_version;
    const uint8_t *random;
    const uint8_t *session_id;
    size_t session_id_len;
    uint16_t suite;
    int is_hrr;
    mt_exts ext;
} mt_server_hello;
int mt_parse_server_hello(mutls_conn *c, mt_reader *r, mt_server_hello *sh) MT_MUST;
/* Server: ServerHello, or HelloRetryRequest when hrr is set. */
int mt_send_server_hello(mutls_conn *c, int hrr, const uint8_t *pub, size_t pub_len) MT_MUST;
extern const uint8_t mt_hrr_random[32];

int mt_send_encrypted_extensions(mutls_conn *c, const mt_exts *ch_ext) MT_MUST;
int mt_parse_encrypted_extensions(mutls_conn *c, mt_reader *r, mt_exts *x) MT_MUST;

int mt_send_certificate(mutls_conn *c, const mt_cert_chain *chain) MT_MUST;
/* Parse a Certificate message; der/der_len point into the message. */
#define MT_MAX_CHAIN_LEN 10
typedef struct mt_certificate_msg {
    const uint8_t *context;
    size_t context_len;
    const uint8_t *der[MT_MAX_CHAIN_LEN];
    size_t der_len[MT_MAX_CHAIN_LEN];
    size_t n;
} mt_certificate_msg;
int mt_parse_certificate(mutls_conn *c, mt_reader *r, mt_certificate_msg *m) MT_MUST;

int mt_send_certificate_verify(mutls_conn *c, const mt_pkey *key, const mt_sig_scheme *s) MT_MUST;
/* Verify the peer's CertificateVerify against its leaf key. */
int mt_check_certificate_verify(mutls_conn *c, mt_reader *r, const mt_pkey *peer_key,
                                const uint16_t *allowed, size_t n_allowed) MT_MUST;

int mt_send_finished(mutls_conn *c, const uint8_t *base_key) MT_MUST;
int mt_check_finished(mutls_conn *c, mt_reader *r, const uint8_t *base_key) MT_MUST;

int mt_send_certificate_request(mutls_conn *c) MT_MUST;
/* Server: the client's Certificate and CertificateVerify (client_auth.c). */
int mt_server_handle_client_certificate(mutls_conn *c, mt_reader *body, const uint8_t *msg,
                                        size_t len) MT_MUST;
int mt_server_handle_client_certificate_verify(mutls_conn *c, mt_reader *body,
                                               const uint8_t *msg, size_t len) MT_MUST;
int mt_server_pha_certificate(mutls_conn *c, mt_reader *body, const uint8_t *msg, size_t len) MT_MUST;
int mt_server_pha_certificate_verify(mutls_conn *c, mt_reader *body, const uint8_t *msg,
                                     size_t len) MT_MUST;
int mt_server_pha_finished(mutls_conn *c, mt_reader *body, const uint8_t *msg, size_t len) MT_MUST;
/* Client side: parse, remember the context and choose our chain. */
int mt_parse_certificate_request(mutls_conn *c, mt_reader *body, mt_exts *x) MT_MUST;
/* Client: answer a CertificateRequest (Certificate, CertificateVerify when
 * a chain fits) with the traffic secret that keys its Finished. */
int mt_send_client_auth(mutls_conn *c, const uint8_t *base_key) MT_MUST;

/* Client: verify the server's chain (per the configuration) and keep the
 * leaf for the signature check that follows. */
int mt_client_check_server_chain(mutls_conn *c, const mt_certificate_msg *m) MT_MUST;
/* Server: ALPN by our preference; no overlap is no_application_protocol. */
int mt_server_choose_alpn(mutls_conn *c, const mt_client_hello *ch) MT_MUST;

/* Resumption and 0-RTT (resumption.c). */
int mt_client_psk_usable(const mutls_conn *c);
int mt_client_write_psk(mutls_conn *c, mt_buf *b) MT_MUST;
int mt_client_fill_binder(mutls_conn *c) MT_MUST;
int mt_client_send_early_data(mutls_conn *c) MT_MUST;
int mt_restore_peer(mutls_conn *c, const mt_session_state *st) MT_MUST;
int mt_server_seal_session(mutls_conn *c, const mt_session_state *st, mt_buf *ticket) MT_MUST;
/* 0: sent; 1: not sent, the session could not be sealed or is too large
 * for a ticket (the connection goes on); or the connection's error. */
int mt_server_send_ticket(mutls_conn *c) MT_MUST;
int mt_server_open_ticket(mutls_conn *c, const uint8_t *ticket, size_t len,
                          mt_session_state *st) MT_MUST;
int mt_server_session_still_good(mutls_conn *c, const mt_session_state *st, const char **why);
int mt_server_choose_psk(mutls_conn *c, const mt_client_hello *ch, const uint8_t *msg,
                         size_t len) MT_MUST;
int mt_server_accept_early_data(mutls_conn *c, const mt_client_hello *ch) MT_MUST;
size_t mt_server_early_skip_budget(const mutls_conn *c);
int mt_server_install_early_key(mutls_conn *c, const uint8_t *ch_hash) MT_MUST;

int mt_send_key_update(mutls_conn *c, int request_peer) MT_MUST;
int mt_handle_key_update(mutls_conn *c, mt_reader *r, const uint8_t *msg, size_t len) MT_MUST;
int mt_handle_new_session_ticket(mutls_conn *c, mt_reader *r, const uint8_t *msg, size_t len) MT_MUST;

#endif
