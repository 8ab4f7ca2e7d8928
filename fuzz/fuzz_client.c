/*
 * fuzz_client: a mutls client connection that has sent its ClientHello,
 * fed what a server might answer.
 *
 * Input: one control byte, then the payload.
 *   bits 0..1 mode
 *             0: raw, the payload is the server's byte stream;
 *             1: tamper, the payload is a list of 4-byte edits
 *                (kind, offset hi, offset lo, value; kind % 5: xor, set,
 *                insert, delete, truncate) applied to the byte stream a
 *                real in-process mutls server sent to this very client
 *                (ServerHello .. Finished, then a NewSessionTicket,
 *                data, KeyUpdate, data, close_notify), so tampered
 *                records with valid framing are exercised;
 *             2, 3: script, the payload is a script of plaintext server
 *                records the harness encrypts with the keys the client
 *                expects, with a correct CertificateVerify and Finished on
 *                request (see fuzz_common.h): every handshake state and
 *                the post-handshake messages are reachable.
 *   bit 2     verification: 0 MUTLS_VERIFY_NONE, 1 MUTLS_VERIFY_REQUIRE
 *             (tests/certs/ca.pem, the variant's server name, fixed clock)
 *   bits 3..4 client variant (groups, suites, ALPN, record_size_limit,
 *             client certificate; see fuzz_common.h). In tamper mode the
 *             variant also picks the server: 0, 2 a default Ed25519
 *             server; 1, 3 one that only does P-256/P-384 (variant 1 gets a
 *             HelloRetryRequest), with ALPN and record_size_limit, and asks
 *             for a client certificate (variant 3 has one).
 *   bits 5..7 chunking of raw and tampered streams
 */
#include "fuzz_common.h"

static mutls_config *clients[FZ_CLIENT_VARIANTS][2];
static mt_buf flights[FZ_CLIENT_VARIANTS]; /* what the real server sent */
static mt_pkey *cv_key;                    /* signs scripted CertificateVerify */

static const int server_for_variant[FZ_CLIENT_VARIANTS] = {2, 3, 2, 3};

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    for (int v = 0; v < FZ_CLIENT_VARIANTS; v++)
        for (int verify = 0; verify < 2; verify++) {
            clients[v][verify] = fz_client_config(v, verify, NULL, NULL);
            mutls_conn_free(mutls_conn_new(clients[v][verify])); /* freeze */
        }

    for (int v = 0; v < FZ_CLIENT_VARIANTS; v++) {
        mutls_config *scfg = fz_server_config(server_for_variant[v], NULL, NULL);
        mutls_conn *c, *s;
        fz_reset();
        c = fz_client_start(clients[v][0], v);
        s = mutls_conn_new(scfg);
        if (s == NULL)
            fz_die("server: %s", mutls_config_error(scfg));
        mt_buf_init(&flights[v]);
        if (fz_run_pair(c, s, NULL, &flights[v]) != 0 || flights[v].err)
            fz_die("variant %d: handshake with the in-process server failed: %s / %s", v,
                   mutls_conn_error(c), mutls_conn_error(s));
        mutls_conn_free(c);
        mutls_conn_free(s);
        mutls_config_free(scfg);
    }

    cv_key = fz_load_key("server-ecdsa-p256");
    return 0;
}

/* Apply 4-byte edits to buf (len bytes, room for cap). */
static size_t apply_edits(uint8_t *buf, size_t len, size_t cap, const uint8_t *ed, size_t n)
{
    for (; n >= 4; ed += 4, n -= 4) {
        size_t off = ((size_t)ed[1] << 8) | ed[2], pos;
        uint8_t val = ed[3];
        switch (ed[0] % 5) {
        case 0:
            if (len > 0)
                buf[off % len] ^= val;
            break;
        case 1:
            if (len > 0)
                buf[off % len] = val;
            break;
        case 2:
            if (len < cap) {
                pos = off % (len + 1);
                memmove(buf + pos + 1, buf + pos, len - pos);
                buf[pos] = val;
                len++;
            }
            break;
        case 3:
            if (len > 0) {
                pos = off % len;
                memmove(buf + pos, buf + pos + 1, len - pos - 1);
                len--;
            }
            break;
        default:
            len = off % (len + 1);
            break;
        }
    }
    return len;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    mutls_conn *c;
    uint8_t ctl;
    int mode, verify, variant;

    if (size < 1)
        return 0;
    fz_reset();
    ctl = data[0];
    mode = ctl & 3;
    verify = (ctl >> 2) & 1;
    variant = (ctl >> 3) & 3;
    c = fz_client_start(clients[variant][verify], variant);
    fz_drain(c, NULL); /* the ClientHello */

    if (mode == 0) {
        fz_feed_chunked(c, data + 1, size - 1, ctl >> 5, NULL);
    } else if (mode == 1) {
        const mt_buf *f = &flights[variant];
        size_t edits = (size - 1) / 4, cap = f->len + edits, len;
        uint8_t *buf = malloc(cap ? cap : 1);
        if (buf == NULL)
            abort();
        memcpy(buf, f->data, f->len);
        len = apply_edits(buf, f->len, cap, data + 1, size - 1);
        fz_feed_chunked(c, buf, len, ctl >> 5, NULL);
        free(buf);
    } else {
        fz_run_script(c, data + 1, size - 1, cv_key);
    }

    (void)mutls_conn_handshake_done(c);
    (void)mutls_conn_alpn(c);
    (void)mutls_conn_peer_subject(c);
    (void)mutls_conn_peer_issuer(c);
    (void)mutls_conn_key_updates_received(c);
    fz_check_conn(c);
    if (verify && mutls_conn_handshake_done(c) && !mutls_conn_peer_verified(c))
        abort(); /* REQUIRE must never complete unverified */
    fz_report("client", c);
    mutls_conn_free(c);
    return 0;
}
