/*
 * mutls — a TLS 1.3 stack built around mutual TLS.
 *
 * The connection is sans-I/O: it consumes bytes received from the network
 * (mutls_conn_feed) and produces bytes to send (mutls_conn_take); the
 * application exchanges plaintext with mutls_conn_read / mutls_conn_write.
 * It never touches a socket, a clock or a random source directly: those come
 * through the configuration's hooks. A thin adapter (mutls_io_*) drives a
 * connection over a file descriptor, blocking or non-blocking.
 *
 * A configuration is built once, then shared read-only by any number of
 * connections (and threads). It is reference counted: a connection holds a
 * reference, so the application may release its own at any time.
 *
 * Return values: functions returning int give MUTLS_OK (0) or a positive
 * count on success, and one of the negative MUTLS_* codes below otherwise.
 * After a fatal error, the connection is frozen: every later call returns
 * the same error, and mutls_conn_error() describes it in words.
 */
#ifndef MUTLS_H
#define MUTLS_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define MUTLS_VERSION_STRING "0.1.0"

/* ---- status and error codes ------------------------------------------ */

#define MUTLS_OK 0
/* More bytes from the peer are needed before progress can be made. */
#define MUTLS_WANT_READ (-1)
/* fd adapter only: the socket would block on write; call again later. */
#define MUTLS_WANT_WRITE (-2)
/* Codes at or below MUTLS_ERR_FIRST are fatal errors. */
#define MUTLS_ERR_FIRST (-10)
#define MUTLS_ERR_INVALID_ARGUMENT (-10) /* caller misuse                */
#define MUTLS_ERR_PROTOCOL (-11)         /* the peer broke the protocol  */
#define MUTLS_ERR_VERIFY (-12)           /* peer certificate rejected    */
#define MUTLS_ERR_ALERT_RECEIVED (-13)   /* the peer sent a fatal alert  */
#define MUTLS_ERR_TRUNCATED (-14)        /* stream ended w/o close_notify */
#define MUTLS_ERR_NEGOTIATION (-15)      /* no common version/suite/...  */
#define MUTLS_ERR_INTERNAL (-16)         /* allocation or crypto failure */
#define MUTLS_ERR_IO (-17)               /* fd adapter: socket error     */
#define MUTLS_ERR_CLOSED (-18)           /* connection already closed    */
#define MUTLS_ERR_CONFIG (-19)           /* configuration is unusable    */

/* Short constant name of a code ("MUTLS_ERR_VERIFY"). */
const char *mutls_strerror(int code);

/* ---- versions, roles, names -------------------------------------------- */

#define MUTLS_TLS1_2 0x0303
#define MUTLS_TLS1_3 0x0304

typedef enum { MUTLS_CLIENT = 0, MUTLS_SERVER = 1 } mutls_role;

/* Verification of the peer's certificate. */
typedef enum {
    MUTLS_VERIFY_NONE = 0,     /* clients: do not verify (testing only);
                                  servers: do not ask for a certificate */
    MUTLS_VERIFY_OPTIONAL = 1, /* servers: ask; a client without one is
                                  accepted, one with an invalid one is not */
    MUTLS_VERIFY_REQUIRE = 2,  /* default for clients, and for servers once
                                  client CAs are set */
} mutls_verify_mode;

/* IANA names ("TLS_AES_128_GCM_SHA256", "x25519", "ecdsa_secp256r1_sha256",
 * "close_notify") for the numeric code points used on the wire; NULL when
 * unknown. */
const char *mutls_cipher_suite_name(uint16_t suite);
const char *mutls_group_name(uint16_t group);
const char *mutls_sig_scheme_name(uint16_t scheme);
const char *mutls_alert_name(uint8_t alert);
const char *mutls_version_name(uint16_t version); /* "TLSv1.3" */

/* ---- configuration ----------------------------------------------------- */

typedef struct mutls_config mutls_config;
typedef struct mutls_conn mutls_conn;

/* Random bytes: fill out[0..len). Return 0 on success. */
typedef int (*mutls_random_fn)(void *ctx, uint8_t *out, size_t len);
/* Current time, in seconds since the Unix epoch. */
typedef int64_t (*mutls_time_fn)(void *ctx);
/* Key log: one SSLKEYLOGFILE line, without the trailing newline. */
typedef void (*mutls_keylog_fn)(void *ctx, const char *line);

/* Handshake trace: one call per handshake message sent or received. */
typedef struct mutls_trace_event {
    int sent;            /* 1: we sent it, 0: we received it          */
    uint8_t msg_type;    /* handshake type; 0 for non-handshake events */
    const char *name;    /* "ClientHello", "ChangeCipherSpec", ...     */
    const char *detail;  /* the fields that matter, human readable     */
} mutls_trace_event;
typedef void (*mutls_trace_fn)(void *ctx, const mutls_conn *conn,
                               const mutls_trace_event *ev);

/* Create a configuration for a client or a server. NULL on allocation
 * failure. Defaults: TLS 1.2 and TLS 1.3; the three TLS 1.3 suites
 * (AES-128-GCM, AES-256-GCM, ChaCha20-Poly1305), then the forward-secret
 * TLS 1.2 suites (ECDHE with AES-GCM, ChaCha20-Poly1305, then AES-CBC);
 * groups x25519, secp256r1, secp384r1; extended master secret and
 * encrypt-then-MAC negotiated; clients verify the server against the
 * system store (/etc/ssl/certs). */
mutls_config *mutls_config_new(mutls_role role);
mutls_config *mutls_config_up_ref(mutls_config *cfg);
void mutls_config_free(mutls_config *cfg);

/* The last configuration error, in words. */
const char *mutls_config_error(const mutls_config *cfg);

/* Add a certificate chain (leaf first, PEM) and its private key (PEM).
 * A server may hold several chains (e.g. RSA and ECDSA); for each
 * handshake it picks one the client's signature_algorithms and
 * server_name allow. */
int mutls_config_add_cert_chain_file(mutls_config *cfg, const char *chain_pem,
                                     const char *key_pem);
int mutls_config_add_cert_chain_mem(mutls_config *cfg, const char *chain_pem,
                                    size_t chain_len, const char *key_pem,
                                    size_t key_len);

/* Trust anchors used to verify the peer. Without any of these a client
 * uses the system store. */
int mutls_config_set_ca_file(mutls_config *cfg, const char *path);
int mutls_config_set_ca_dir(mutls_config *cfg, const char *path);
int mutls_config_set_ca_mem(mutls_config *cfg, const char *pem, size_t len);
void mutls_config_set_verify(mutls_config *cfg, mutls_verify_mode mode);

/* ---- mutual TLS ---------------------------------------------------------- */

/* Server: trust client certificates issued by the CAs in this PEM bundle
 * (may be called for several bundles). The system store is never used for
 * clients. Setting client CAs makes MUTLS_VERIFY_REQUIRE the default. */
int mutls_config_add_client_ca_file(mutls_config *cfg, const char *path);
int mutls_config_add_client_ca_mem(mutls_config *cfg, const char *pem, size_t len);
/* A CRL (PEM) checked for the peer's leaf and intermediates; the server
 * checks client chains, the client server chains. With CRLs loaded, every
 * CA of the chain needs one (as with nginx's ssl_crl). */
int mutls_config_add_crl_file(mutls_config *cfg, const char *path);
/* Longest chain accepted from the peer, CA certificates included (default
 * 10). */
int mutls_config_set_verify_depth(mutls_config *cfg, int depth);
/* Server: list the client CAs' names in CertificateRequest
 * (certificate_authorities); on by default; turn off when the list would
 * be large. */
void mutls_config_set_send_ca_names(mutls_config *cfg, int on);

/* Comma-separated lists of IANA names (aliases X25519, P-256, P-384 are
 * accepted). Order is preference order; a server follows its own. The
 * cipher list may mix TLS 1.3 and TLS 1.2 suites; naming a TLS_RSA_WITH_*
 * suite enables RSA key exchange for it. */
int mutls_config_set_ciphers(mutls_config *cfg, const char *list);
/* RSA key exchange (TLS 1.2 TLS_RSA_WITH_* suites): no forward secrecy,
 * so off by default; on appends them at the end of the suite list. */
int mutls_config_set_rsa_kex(mutls_config *cfg, int on);
int mutls_config_set_groups(mutls_config *cfg, const char *list);
/* Signature schemes we accept from / offer to the peer. */
int mutls_config_set_sig_schemes(mutls_config *cfg, const char *list);
/* ALPN protocols, comma-separated, in preference order. */
int mutls_config_set_alpn(mutls_config *cfg, const char *list);
/* MUTLS_TLS1_2 / MUTLS_TLS1_3. */
int mutls_config_set_versions(mutls_config *cfg, uint16_t min, uint16_t max);
/* Advertise record_size_limit (RFC 8449): the largest plaintext record we
 * are willing to receive, 64..16385. 0 (default) does not send it. */
int mutls_config_set_record_size_limit(mutls_config *cfg, uint16_t limit);
/* Middlebox-compatibility mode (RFC 8446 D.4); on by default. */
void mutls_config_set_middlebox_compat(mutls_config *cfg, int on);
/* Number of records after which a KeyUpdate is sent automatically; by
 * default the RFC 8446 section 5.5 limits of the negotiated AEAD with a
 * safety margin. For tests. */
void mutls_config_set_key_update_interval(mutls_config *cfg, uint64_t records);

void mutls_config_set_random(mutls_config *cfg, mutls_random_fn fn, void *ctx);
void mutls_config_set_time(mutls_config *cfg, mutls_time_fn fn, void *ctx);
void mutls_config_set_keylog(mutls_config *cfg, mutls_keylog_fn fn, void *ctx);
/* Convenience: append key log lines to a file (opened per line). */
int mutls_config_set_keylog_file(mutls_config *cfg, const char *path);
void mutls_config_set_trace(mutls_config *cfg, mutls_trace_fn fn, void *ctx);

/* ---- resumption, 0-RTT, False Start --------------------------------------- */

/* Server: NewSessionTickets sent after each TLS 1.3 handshake (default 2;
 * 0: none), and whether TLS 1.2 clients get RFC 5077 tickets (on with
 * n > 0). */
int mutls_config_set_tickets(mutls_config *cfg, unsigned n);
/* Ticket lifetime in seconds (default 7200; at most 604800, RFC 8446). */
int mutls_config_set_ticket_lifetime(mutls_config *cfg, uint32_t seconds);
/* Ticket keys from a file shared by several servers (docs/resumption.md);
 * without one, random keys rotate every 12 hours. May be called again on a
 * configuration in use to load a new file (thread-safe): tickets under
 * keys that are still in the file keep working. */
int mutls_config_load_ticket_keys(mutls_config *cfg, const char *path);
/* Server: TLS 1.2 session-ID cache: at most `entries` sessions (least
 * recently used evicted), each for `timeout` seconds. 0 entries: off
 * (default 1024 entries, 7200 s). Shared by all connections of the
 * configuration, thread-safe. */
int mutls_config_set_session_cache(mutls_config *cfg, size_t entries, uint32_t timeout);
/* Server: accept up to max_bytes of TLS 1.3 early data (0-RTT) from
 * resuming clients; 0 (default) refuses it. Replayed early data is refused
 * (RFC 8446 section 8: single-use tickets for 0-RTT and a freshness window
 * on the ticket age) while the handshake itself goes on. */
int mutls_config_set_early_data(mutls_config *cfg, uint32_t max_bytes);
/* Allow resumption without a fresh (EC)DHE exchange (psk_ke): no forward
 * secrecy for the resumed session. Off by default; used only when both
 * sides allow it. */
void mutls_config_set_psk_ke(mutls_config *cfg, int on);
/* Client, TLS 1.2: False Start (RFC 7918): send application data after our
 * Finished without waiting for the server's, only with forward-secret
 * ECDHE AEAD suites. Off by default. */
void mutls_config_set_false_start(mutls_config *cfg, int on);

/* A client's resumable session (a TLS 1.3 ticket, or a TLS 1.2 session ID
 * or ticket), with what it was established with. */
typedef struct mutls_session mutls_session;
/* The newest session the server gave this connection, or NULL; a new
 * reference the caller frees. For TLS 1.3, tickets arrive after the
 * handshake: read some data first. */
mutls_session *mutls_conn_get_session(const mutls_conn *conn);
/* Client, before the handshake: try to resume this session. */
int mutls_conn_set_session(mutls_conn *conn, mutls_session *session);
void mutls_session_free(mutls_session *session);
/* Bytes of early data the session allows (0: no 0-RTT). */
uint32_t mutls_session_max_early_data(const mutls_session *session);
/* What the session was made with: version, suite, server name ("" none),
 * ALPN ("" none), when it was issued (the client's clock, Unix time) and
 * for how long the server lets it be resumed (seconds). */
uint16_t mutls_session_version(const mutls_session *session);
uint16_t mutls_session_cipher_suite(const mutls_session *session);
const char *mutls_session_server_name(const mutls_session *session);
const char *mutls_session_alpn(const mutls_session *session);
int64_t mutls_session_issued(const mutls_session *session);
uint32_t mutls_session_lifetime(const mutls_session *session);
/* A versioned byte string holding the session, secrets included (keep it
 * private), with a SHA-256 check that import verifies; malloc'ed. */
int mutls_session_export(const mutls_session *session, uint8_t **out, size_t *len);
mutls_session *mutls_session_import(const uint8_t *in, size_t len);

/* ---- connection: sans-I/O ---------------------------------------------- */

mutls_conn *mutls_conn_new(mutls_config *cfg);
void mutls_conn_free(mutls_conn *conn);

/* Client: the name to send in server_name and to check the certificate
 * against (a DNS name, or an IPv4/IPv6 literal, which is checked against
 * the certificate's IP addresses and not sent as SNI). */
int mutls_conn_set_server_name(mutls_conn *conn, const char *name);

/* Arbitrary application pointer. */
void mutls_conn_set_user(mutls_conn *conn, void *user);
void *mutls_conn_user(const mutls_conn *conn);

/* Give the connection bytes received from the network. Consumes all of
 * them (buffering as needed) and advances the handshake. Returns MUTLS_OK,
 * or a fatal error (an alert to the peer may then be waiting in the
 * output). Passing len == 0 signals end of stream from the peer. */
int mutls_conn_feed(mutls_conn *conn, const uint8_t *in, size_t len);

/* Bytes waiting to be sent. */
size_t mutls_conn_pending(const mutls_conn *conn);
/* Move up to cap pending bytes into out; returns the count. */
size_t mutls_conn_take(mutls_conn *conn, uint8_t *out, size_t cap);
/* Zero-copy form: peek at pending bytes, then mark n of them sent. */
const uint8_t *mutls_conn_peek_output(const mutls_conn *conn, size_t *len);
void mutls_conn_consume_output(mutls_conn *conn, size_t n);

/* Start (client) or continue the handshake. MUTLS_OK once complete,
 * MUTLS_WANT_READ while it needs peer bytes, or a fatal error. */
int mutls_conn_handshake(mutls_conn *conn);
int mutls_conn_handshake_done(const mutls_conn *conn);

/* Read decrypted application data (len > 0). Returns the count (> 0), 0 once the
 * peer has closed cleanly (close_notify), MUTLS_WANT_READ when more bytes
 * must be fed, or a fatal error (MUTLS_ERR_TRUNCATED when the stream ended
 * without close_notify). */
int mutls_conn_read(mutls_conn *conn, uint8_t *buf, size_t len);
/* Encrypt application data into the output. Returns len or an error.
 * Large writes are split into records. */
int mutls_conn_write(mutls_conn *conn, const uint8_t *buf, size_t len);
/* Server, TLS 1.3: ask an established client for its certificate (post-
 * handshake authentication, RFC 8446 section 4.6.2). Only when the client
 * offered it (it does when it has a certificate configured). The answer is
 * processed as it arrives; mutls_conn_peer() then shows the identity. */
int mutls_conn_request_client_auth(mutls_conn *conn);
/* Server: 1 while a post-handshake authentication is under way (the
 * client's answer has not been fully processed). Do not act on the
 * identity until it is 0: the client may send data before answering. */
int mutls_conn_client_auth_pending(const mutls_conn *conn);
/* Server: with TLS 1.3 clients that offer post-handshake authentication,
 * do not ask for the certificate during the handshake; the application
 * asks later with mutls_conn_request_client_auth() and the verify mode
 * applies to the answer. Other clients are asked during the handshake. */
void mutls_config_set_post_handshake_auth(mutls_config *cfg, int on);
/* Client, TLS 1.3: queue early data (0-RTT) to go with the ClientHello;
 * call before the handshake starts, with a session that allows it. Returns
 * len or an error (more than the session allows: MUTLS_ERR_INVALID_ARGUMENT).
 * Whether the server took it: mutls_conn_early_data_status(); if rejected,
 * send it again after the handshake. */
int mutls_conn_write_early_data(mutls_conn *conn, const uint8_t *buf, size_t len);
#define MUTLS_EARLY_DATA_NONE 0     /* not offered / not received */
#define MUTLS_EARLY_DATA_ACCEPTED 1
#define MUTLS_EARLY_DATA_REJECTED 2
int mutls_conn_early_data_status(const mutls_conn *conn);
/* Server: 1 when the bytes returned by the last mutls_conn_read were early
 * data (sent before the handshake completed, possibly replayed by an
 * attacker within the anti-replay limits); refuse requests that are not
 * safe to replay. */
int mutls_conn_last_read_was_early(const mutls_conn *conn);
/* Server: send one more NewSessionTicket (TLS 1.3). MUTLS_ERR_CONFIG, the
 * connection going on, when no ticket can be made: no ticket key is valid
 * now (a key file whose keys have all expired), the session is too large
 * for a ticket (a very large client chain), or the client listed no PSK key
 * exchange mode this server accepts (RFC 8446 4.2.9). */
int mutls_conn_send_ticket(mutls_conn *conn);
/* Client, TLS 1.2 with False Start: 1 once application data may be
 * written although the handshake is not complete. */
int mutls_conn_false_start_ready(const mutls_conn *conn);
/* Send a KeyUpdate; with request_peer the peer is asked to update too. */
int mutls_conn_key_update(mutls_conn *conn, int request_peer);
/* Queue close_notify. Further writes fail with MUTLS_ERR_CLOSED. */
int mutls_conn_close(mutls_conn *conn);

/* ---- connection: what was negotiated ----------------------------------- */

uint16_t mutls_conn_version(const mutls_conn *conn);
uint16_t mutls_conn_cipher_suite(const mutls_conn *conn);
uint16_t mutls_conn_group(const mutls_conn *conn);
uint16_t mutls_conn_sig_scheme(const mutls_conn *conn); /* the server's CV */
const char *mutls_conn_alpn(const mutls_conn *conn);        /* or NULL */
const char *mutls_conn_server_name(const mutls_conn *conn); /* SNI or NULL */
int mutls_conn_did_hrr(const mutls_conn *conn);
/* TLS 1.2: extended master secret (RFC 7627) and encrypt-then-MAC
 * (RFC 7366) in use. */
int mutls_conn_ems(const mutls_conn *conn);
int mutls_conn_etm(const mutls_conn *conn);
int mutls_conn_is_resumed(const mutls_conn *conn);
/* Number of KeyUpdates sent / received so far. */
uint64_t mutls_conn_key_updates_sent(const mutls_conn *conn);
uint64_t mutls_conn_key_updates_received(const mutls_conn *conn);

/* The peer's leaf certificate, as seen (verified or not). Strings are
 * owned by the connection. RFC 4514 subject and issuer. */
const char *mutls_conn_peer_subject(const mutls_conn *conn);
const char *mutls_conn_peer_issuer(const mutls_conn *conn);
int mutls_conn_peer_verified(const mutls_conn *conn);

/* ---- the peer's identity ------------------------------------------------ */

/* What the peer's certificate chain says, read through the API rather than
 * re-derived by callers. Owned by the connection; valid until it is freed.
 * A peer that presented no certificate has no identity (NULL). When
 * verification failed, the identity of the unverified chain is still
 * available for logging, with mutls_peer_verified() == 0 and the reason in
 * mutls_peer_verify_error(). After a post-handshake authentication
 * mutls_conn_peer() returns the new identity; one obtained before stays
 * valid (and unchanged) until the connection is freed. */
typedef struct mutls_peer mutls_peer;
const mutls_peer *mutls_conn_peer(const mutls_conn *conn);

int mutls_peer_verified(const mutls_peer *p);
const char *mutls_peer_verify_error(const mutls_peer *p); /* "" when verified */
const char *mutls_peer_subject(const mutls_peer *p);      /* RFC 4514 */
const char *mutls_peer_issuer(const mutls_peer *p);       /* RFC 4514 */
const char *mutls_peer_serial(const mutls_peer *p);       /* hex, "01:a3:..." */
int64_t mutls_peer_not_before(const mutls_peer *p);       /* Unix time */
int64_t mutls_peer_not_after(const mutls_peer *p);
typedef enum {
    MUTLS_SAN_DNS = 1,
    MUTLS_SAN_IP = 2,
    MUTLS_SAN_URI = 3,
    MUTLS_SAN_EMAIL = 4,
} mutls_san_type;
size_t mutls_peer_san_count(const mutls_peer *p);
/* The i-th subject alternative name; 0, or MUTLS_ERR_INVALID_ARGUMENT. */
int mutls_peer_san(const mutls_peer *p, size_t i, mutls_san_type *type, const char **value);
/* The SPIFFE ID (a spiffe:// URI SAN valid as an X509-SVID requires), or
 * NULL when the certificate has none or it is not valid. */
const char *mutls_peer_spiffe_id(const mutls_peer *p);
/* SHA-256 of the leaf (DER), 64 lowercase hex digits. */
const char *mutls_peer_fingerprint_sha256(const mutls_peer *p);
/* The chain as sent, leaf first, PEM. */
const char *mutls_peer_chain_pem(const mutls_peer *p);
/* Key type and size of the leaf ("ECDSA P-256", 256). */
const char *mutls_peer_key_type(const mutls_peer *p);
int mutls_peer_key_bits(const mutls_peer *p);

/* ---- errors ------------------------------------------------------------ */

/* The fatal error that froze the connection (MUTLS_OK if none). */
int mutls_conn_error_code(const mutls_conn *conn);
/* In words, naming the reason and the certificate, name or value at fault;
 * never sent to the peer. "" when there is no error. */
const char *mutls_conn_error(const mutls_conn *conn);
/* Alert we sent / received (-1 when none). */
int mutls_conn_alert_sent(const mutls_conn *conn);
int mutls_conn_alert_received(const mutls_conn *conn);

/* ---- fd adapter -------------------------------------------------------- */

/* Attach a connected socket. The connection does not own it: the caller
 * closes it (after mutls_conn_free or mutls_io_close). For a non-blocking
 * fd the mutls_io_* calls return MUTLS_WANT_READ / MUTLS_WANT_WRITE when
 * the socket would block; call again once poll() reports readiness
 * (mutls_io_poll_events). */
int mutls_conn_set_fd(mutls_conn *conn, int fd);
int mutls_io_handshake(mutls_conn *conn);
int mutls_io_read(mutls_conn *conn, uint8_t *buf, size_t len);
/* Encrypts all of buf and returns len once it is queued, even if the
 * socket could not take all of it yet: a non-blocking caller then calls
 * mutls_io_flush() until it returns MUTLS_OK (never mutls_io_write again
 * for the same bytes). */
int mutls_io_write(mutls_conn *conn, const uint8_t *buf, size_t len);
/* Send pending output (KeyUpdate, alerts). */
int mutls_io_flush(mutls_conn *conn);
/* Send close_notify and flush. */
int mutls_io_close(mutls_conn *conn);
/* Server: read (and keep, for mutls_io_read) until a pending post-handshake
 * authentication is complete; MUTLS_OK then, or the error (a missing or
 * rejected certificate is fatal under MUTLS_VERIFY_REQUIRE). */
int mutls_io_complete_client_auth(mutls_conn *conn);
/* Events to wait for when the last call returned WANT_*: POLLIN/POLLOUT. */
short mutls_io_poll_events(const mutls_conn *conn);

#ifdef __cplusplus
}
#endif
#endif
