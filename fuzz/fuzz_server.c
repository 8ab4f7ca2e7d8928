/*
 * fuzz_server: a mutls server connection (tests/certs/server-ecdsa-p256)
 * fed what a client might send.
 *
 * Input: one control byte, then the payload.
 *   bit 7     0: raw mode, the payload is the client's byte stream, fed in
 *               chunks chosen by bits 0..2 (whole, 1, 2, 5, 7, 64, 333 bytes,
 *               pseudo-random sizes), then end of stream when bit 3 is set;
 *               with bit 4, the server asks for a client certificate once
 *               connected (TLS 1.3 post-handshake authentication);
 *             1: script mode, the payload is a script of plaintext client
 *               records that the harness encrypts with the keys the server
 *               expects (see fuzz_common.h), so the handshake can complete
 *               and the post-handshake code (application data, KeyUpdate,
 *               alerts, close) is reached.
 *   bits 5..6 server configuration: 0 defaults; 1 two chains (ECDSA P-256,
 *             Ed25519), groups P-256/P-384 (so x25519 shares get a
 *             HelloRetryRequest), ChaCha20 first, ALPN, record_size_limit,
 *             TLS 1.2 ChaCha20/CBC; 2 defaults requiring a client
 *             certificate (tests/certs/ca.pem); 3 as 1 with an optional
 *             client certificate, asked for after the handshake when the
 *             client offers post-handshake authentication.
 * In script mode, CERTIFICATE_VERIFY ops sign as the client with
 * client-ecdsa-p256.key, the client certificate the seeds present.
 * After each feed the output is taken and application data read.
 */
#include "fuzz_common.h"

static const int variants[4] = {0, 1, 4, 5}; /* fz_server_config variants */
static mutls_config *servers[4];
static mt_pkey *client_key; /* signs scripted client CertificateVerify */

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    for (int i = 0; i < 4; i++) {
        servers[i] = fz_server_config(variants[i], NULL, NULL);
        mutls_conn_free(mutls_conn_new(servers[i])); /* freeze it now */
    }
    client_key = fz_load_key("client-ecdsa-p256");
    return 0;
}

/* Raw mode, bit 4: ask for a client certificate once connected (TLS 1.3
 * post-handshake authentication), as an application would. */
static int asked;

static void ask_once(mutls_conn *c)
{
    if (!asked && mutls_conn_handshake_done(c)) {
        asked = 1;
        (void)mutls_conn_request_client_auth(c);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    mutls_conn *c;
    uint8_t ctl;

    if (size < 1)
        return 0;
    fz_reset();
    asked = 0;
    ctl = data[0];
    c = mutls_conn_new(servers[(ctl >> 5) & 3]);
    if (c == NULL)
        abort();
    if (ctl & 0x80) {
        fz_run_script(c, data + 1, size - 1, client_key);
    } else {
        fz_feed_chunked(c, data + 1, size - 1, ctl & 7, (ctl & 0x10) ? ask_once : NULL);
        if (ctl & 8) {
            (void)mutls_conn_feed(c, NULL, 0);
            fz_drain(c, NULL);
        }
    }
    /* What an application asks afterwards. */
    (void)mutls_conn_handshake_done(c);
    (void)mutls_conn_alpn(c);
    (void)mutls_conn_server_name(c);
    (void)mutls_conn_group(c);
    (void)mutls_conn_cipher_suite(c);
    fz_check_conn(c);
    fz_report("server", c);
    mutls_conn_free(c);
    return 0;
}
