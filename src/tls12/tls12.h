/*
 * TLS 1.2 (RFC 5246) beside TLS 1.3: its own state machines and messages,
 * sharing the record layer, codecs, certificates and verification.
 *
 *   Client                                   Server
 *   ClientHello            -------->
 *                                            ServerHello
 *                                            Certificate
 *                                            ServerKeyExchange  (ECDHE)
 *                                            CertificateRequest (mTLS)
 *                          <--------         ServerHelloDone
 *   Certificate, ClientKeyExchange,
 *   CertificateVerify, [ChangeCipherSpec]
 *   Finished               -------->
 *                                            [ChangeCipherSpec]
 *                          <--------         Finished
 */
#ifndef MT_TLS12_H
#define MT_TLS12_H

#include "tls13/handshake.h"

/* The downgrade sentinel of RFC 8446 section 4.1.3 ("DOWNGRD" 01). */
extern const uint8_t mt_downgrade_tls12[8];

/* Entry points from the version-neutral hello handling. */
int mt_tls12_client_server_hello(mutls_conn *c, const mt_server_hello *sh, const uint8_t *msg,
                                 size_t len) MT_MUST;
int mt_tls12_server_client_hello(mutls_conn *c, const mt_client_hello *ch, const uint8_t *msg,
                                 size_t len) MT_MUST;
/* A change_cipher_spec record arrived. */
int mt_tls12_receive_ccs(mutls_conn *c, const uint8_t *p, size_t n) MT_MUST;
/* A handshake message after the handshake: renegotiation, refused. */
int mt_tls12_refuse_renegotiation(mutls_conn *c, mt_reader *body, const uint8_t *msg,
                                  size_t len) MT_MUST;

/* PRF (RFC 5246 section 5) with the suite's hash: label + seed1 + seed2. */
int mt_tls12_prf(const mt_crypto *cx, mt_hash_id h, const uint8_t *secret, size_t secret_len,
                 const char *label, const uint8_t *seed1, size_t seed1_len, const uint8_t *seed2,
                 size_t seed2_len, uint8_t *out, size_t out_len) MT_MUST;
/* Master secret from the premaster secret (RFC 7627 when ems), then the
 * key block (RFC 5246 section 6.3); wipes nothing it does not own. */
int mt_tls12_derive_keys(mutls_conn *c, const uint8_t *pms, size_t pms_len) MT_MUST;
/* The key block from hs->master and both randoms (also for resumption). */
int mt_tls12_key_block(mutls_conn *c) MT_MUST;
/* Resumption (resumption.c). */
int mt_tls12_server_try_resume(mutls_conn *c, const mt_client_hello *ch, mt_session_state *st) MT_MUST;
int mt_tls12_send_new_session_ticket(mutls_conn *c) MT_MUST;
int mt_tls12_handle_new_session_ticket(mutls_conn *c, mt_reader *body, const uint8_t *msg,
                                       size_t len) MT_MUST;
void mt_tls12_server_remember_session(mutls_conn *c);
void mt_tls12_client_remember_session(mutls_conn *c);
/* Install the key block half for one direction. */
int mt_tls12_install_keys(mutls_conn *c, int write) MT_MUST;

/* Messages. */
int mt_tls12_send_server_hello(mutls_conn *c, const mt_client_hello *ch) MT_MUST;
int mt_tls12_send_certificate(mutls_conn *c, const mt_cert_chain *chain) MT_MUST;
int mt_tls12_parse_certificate(mutls_conn *c, mt_reader *r, mt_certificate_msg *m) MT_MUST;
int mt_tls12_send_server_key_exchange(mutls_conn *c) MT_MUST;
int mt_tls12_handle_server_key_exchange(mutls_conn *c, mt_reader *r) MT_MUST;
int mt_tls12_send_server_hello_done(mutls_conn *c) MT_MUST;
int mt_tls12_send_client_key_exchange(mutls_conn *c) MT_MUST;
/* Server: the premaster secret from the client's key exchange. */
int mt_tls12_parse_client_key_exchange(mutls_conn *c, mt_reader *r, uint8_t *pms,
                                       size_t *pms_len) MT_MUST;
int mt_tls12_parse_certificate_request(mutls_conn *c, mt_reader *r) MT_MUST;
int mt_tls12_send_certificate_verify(mutls_conn *c) MT_MUST;
int mt_tls12_send_certificate_request(mutls_conn *c) MT_MUST;
/* Server: the client's CertificateVerify over every message so far. */
int mt_tls12_check_certificate_verify(mutls_conn *c, mt_reader *r) MT_MUST;
int mt_tls12_send_finished(mutls_conn *c) MT_MUST;
int mt_tls12_check_finished(mutls_conn *c, mt_reader *r) MT_MUST;
int mt_tls12_send_ccs(mutls_conn *c) MT_MUST;

/* Signature schemes usable in TLS 1.2 for key and suite. */
int mt_tls12_scheme_ok(const mt_sig_scheme *s, const mt_pkey *k, const mt_suite *suite);
/* The leaf's keyUsage allows what the suite does with the key. */
int mt_tls12_cert_usage_fits_suite(const mt_x509 *leaf, const mt_suite *suite);
/* The key types a suite's authentication allows. */
int mt_tls12_key_fits_suite(const mt_pkey *k, const mt_suite *suite);

#endif
