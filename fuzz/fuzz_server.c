/*
 * fuzz_server: a mutls server connection (tests/certs/server-ecdsa-p256)
 * fed what a client might send.
 *
 * Input: one control byte, then the payload.
 *   bit 7     0: raw mode, the payload is the client's byte stream, fed in
 *               chunks chosen by bits 0..2 (whole, 1, 2, 5, 7, 64, 333 bytes,
 *               pseudo-random sizes), then end of stream when bit 3 is set;
 *             1: script mode, the payload is a script of plaintext client
 *               records that the harness encrypts with the keys the server
 *               expects (see fuzz_common.h), so the handshake can complete
 *               and the post-handshake code (application data, KeyUpdate,
 *               alerts, close) is reached.
 *   bit 6     server configuration: 0 defaults; 1 two chains (ECDSA P-256,
 *             Ed25519), groups P-256/P-384 (so x25519 shares get a
 *             HelloRetryRequest), ChaCha20 first, ALPN, record_size_limit.
 * After each feed the output is taken and application data read.
 */
#include "fuzz_common.h"

static mutls_config *servers[2];

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    for (int i = 0; i < 2; i++) {
        servers[i] = fz_server_config(i, NULL, NULL);
        mutls_conn_free(mutls_conn_new(servers[i])); /* freeze it now */
    }
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    mutls_conn *c;
    uint8_t ctl;

    if (size < 1)
        return 0;
    fz_reset();
    ctl = data[0];
    c = mutls_conn_new(servers[(ctl >> 6) & 1]);
    if (c == NULL)
        abort();
    if (ctl & 0x80) {
        fz_run_script(c, data + 1, size - 1, NULL);
    } else {
        fz_feed_chunked(c, data + 1, size - 1, ctl & 7);
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
    if (strlen(mutls_conn_error(c)) >= sizeof(c->err.msg))
        abort();
    if ((mutls_conn_error_code(c) == MUTLS_OK) != (mutls_conn_error(c)[0] == '\0'))
        abort(); /* an error always comes with words, and only an error */
    fz_report("server", c);
    mutls_conn_free(c);
    return 0;
}
