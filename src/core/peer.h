/*
 * The peer's certificate, on both sides and in both versions: accepting a
 * chain (verification per the configuration, the identity kept for the
 * application), and the client's choice of its own certificate. This is
 * the one place that decides "verified"; callers read the verdict through
 * mutls_conn_peer(), they never re-derive it.
 */
#ifndef MT_PEER_H
#define MT_PEER_H

#include "core/conn.h"

/* Verify the peer's chain (DER, leaf first): a client checks the server's
 * against its trust anchors and the server name; a server checks the
 * client's against the client CAs (clientAuth, CRLs, depth, RSA >= 2048).
 * The identity is kept whatever the verdict (for logs). On success *leaf
 * receives the parsed leaf, for the CertificateVerify that follows. */
int mt_accept_peer_chain(mutls_conn *c, const uint8_t *const *der, const size_t *der_len,
                         size_t n, mt_x509 **leaf) MT_MUST;

/* Server: the chain of a client Certificate message (both versions): an
 * empty one goes to mt_no_client_certificate, otherwise it is verified
 * and traced, and its leaf kept in hs->peer_leaf for CertificateVerify. */
int mt_server_take_client_chain(mutls_conn *c, const uint8_t *const *der, const size_t *der_len,
                                size_t n) MT_MUST;

/* Server: the client sent an empty Certificate. Fine unless a certificate
 * is required: then certificate_required (TLS 1.3, RFC 8446 4.4.2.4) or
 * handshake_failure (TLS 1.2), naming the CAs we accept. */
int mt_no_client_certificate(mutls_conn *c) MT_MUST;

/* Client: the chain to answer a CertificateRequest with: one whose key can
 * sign with a scheme the server listed and, when the server named CAs,
 * issued by one of them. Sets *chain (NULL: send an empty Certificate) and
 * *scheme, traces the choice and remembers it to explain a rejection. */
void mt_choose_client_chain(mutls_conn *c, const uint16_t *sigs, size_t n_sigs,
                            const uint8_t *ca_names, size_t ca_len, int tls12,
                            const mt_cert_chain **chain, const mt_sig_scheme **scheme);

/* Client: turn an alert received after a CertificateRequest into words
 * ("the server requires a client certificate and none is configured (it
 * accepts certificates from: CN=...)"). */
void mt_explain_client_auth_alert(mutls_conn *c, uint8_t alert);

#endif
