/*
 * fuzz_server: a mutls server connection fed what a client might send.
 *
 * Input: one control byte, then the payload.
 *   bit 7     0: raw mode, the payload is the client's byte stream, fed in
 *               chunks chosen by bits 0..2 (whole, 1, 2, 5, 7, 64, 333 bytes,
 *               pseudo-random sizes), then end of stream when bit 3 is set;
 *             1: script mode, the payload is a script of plaintext client
 *               records that the harness encrypts with the keys the server
 *               expects (see fuzz_common.h), so the handshake can complete
 *               and the post-handshake code (application data, KeyUpdate,
 *               alerts, close) is reached; RECORD_BINDER sends a
 *               ClientHello with correct PSK binders for the tickets in it,
 *               so a changed ClientHello still resumes.
 *   bits 4..6 server configuration (fz_server_config variant):
 *             000 0: tests/certs/server-ecdsa-p256, defaults
 *             010 1: two chains (ECDSA P-256, Ed25519), groups P-256/P-384
 *                 (x25519 shares get a HelloRetryRequest), ChaCha20 first,
 *                 ALPN, record_size_limit, TLS 1.2 ChaCha20/CBC
 *             100 4: defaults requiring a client certificate (ca.pem)
 *             101 4, raw mode: asking for a certificate once connected
 *             110 5: as 1 with an optional client certificate, asked for
 *                 after the handshake when the client offers
 *                 post-handshake authentication
 *             111 5, raw mode: the server asks once connected
 *             001 6: resumption: Ed25519, tickets, session cache, 0-RTT
 *             011 7: resumption with HelloRetryRequest, ALPN, optional
 *                 client certificates, psk_ke, 0-RTT up to 1024 bytes; in
 *                 raw mode the server asks for a certificate once
 *                 connected (a resumed session has none fresh)
 *             (This keeps the meaning of inputs written when bit 4 only
 *             asked for a certificate and bits 5..6 chose among 0, 1, 4,
 *             5: asking never did anything with 0 and 1.)
 * Every configuration seals tickets under the same fixed key as the seed
 * generator, so tickets in the seeds open; configurations 6 and 7 hold
 * one TLS 1.2 session in their cache (fz_server_prime, also made by the
 * seed generator), and after each input the cache and the 0-RTT
 * anti-replay record are put back as they were.
 * In script mode, CERTIFICATE_VERIFY ops sign as the client with
 * client-ecdsa-p256.key, the client certificate the seeds present.
 * After each feed the output is taken and application data read (early
 * data included).
 */
#include "fuzz_common.h"

static const int variants[8] = {0, 6, 1, 7, 4, 4, 5, 5}; /* by bits 4..6 */
static mutls_config *servers[FZ_SERVER_VARIANTS];
static mt_pkey *client_key; /* signs scripted client CertificateVerify */

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    for (int i = 0; i < 8; i++) {
        int v = variants[i];
        if (servers[v] != NULL)
            continue;
        servers[v] = fz_server_config(v, NULL, NULL);
        mutls_conn_free(mutls_conn_new(servers[v])); /* freeze it now */
        if (v == 6 || v == 7)
            fz_server_prime(servers[v], NULL, NULL);
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
    mutls_config *cfg;
    mutls_conn *c;
    uint8_t ctl;
    int v;

    if (size < 1)
        return 0;
    fz_reset();
    asked = 0;
    ctl = data[0];
    v = variants[(ctl >> 4) & 7];
    cfg = servers[v];
    c = mutls_conn_new(cfg);
    if (c == NULL)
        abort();
    if (ctl & 0x80) {
        fz_run_script(c, data + 1, size - 1, client_key);
    } else {
        int ask = v == 7 || ((ctl & 0x10) && (v == 4 || v == 5));
        fz_feed_chunked(c, data + 1, size - 1, ctl & 7, ask ? ask_once : NULL);
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
    (void)mutls_conn_last_read_was_early(c);
    if (mutls_conn_get_session(c) != NULL)
        abort(); /* servers hold no client sessions */
    fz_check_conn(c);
    /* 0-RTT only ever goes with a resumed session, and never after a
     * HelloRetryRequest (RFC 8446 4.2.10). */
    if (mutls_conn_early_data_status(c) == MUTLS_EARLY_DATA_ACCEPTED &&
        (!mutls_conn_is_resumed(c) || mutls_conn_did_hrr(c)))
        abort();
    fz_report("server", c);
    fz_server_after_input(cfg, c);
    mutls_conn_free(c);
    return 0;
}
