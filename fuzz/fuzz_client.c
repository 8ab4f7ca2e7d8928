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
 *                (ServerHello .. Finished, then its NewSessionTickets,
 *                data, KeyUpdate, data, close_notify), so tampered
 *                records with valid framing are exercised;
 *             2, 3: script, the payload is a script of plaintext server
 *                records the harness encrypts with the keys the client
 *                expects, with a correct CertificateVerify and Finished on
 *                request (see fuzz_common.h): every handshake state and
 *                the post-handshake messages are reachable.
 *   bit 2     verification: 0 MUTLS_VERIFY_NONE, 1 MUTLS_VERIFY_REQUIRE
 *             (tests/certs/ca.pem, the variant's server name, fixed clock)
 *   bits 3..4 client variant, in the family bit 7 chooses:
 *             bit 7 = 0, a full handshake: groups, suites, ALPN,
 *                record_size_limit, client certificate (fz_client_config).
 *                In tamper mode the variant also picks the server: 0, 2 a
 *                default Ed25519 server; 1, 3 one that only does
 *                P-256/P-384 (variant 1 gets a HelloRetryRequest), with
 *                ALPN and record_size_limit, and asks for a client
 *                certificate (variant 3 has one).
 *             bit 7 = 1, resumption (fz_resume_client_config): the client
 *                offers a session it got from the in-process resumption
 *                server (fz_server_config 6) in a full handshake at init,
 *                exported and imported back: 0 a TLS 1.3 ticket (psk_ke
 *                allowed); 1 a TLS 1.3 ticket with 0-RTT data; 2 a TLS 1.2
 *                ticket, 3 a TLS 1.2 session ID, both with False Start (the
 *                harness writes once False Start allows it). The tamper
 *                flight is that server's answer (a resumed handshake).
 *   bits 5..6 chunking of raw and tampered streams: whole, 1, 64 bytes,
 *             pseudo-random sizes
 * Every session the client ends up with must export, import and export
 * again to the same bytes; 0-RTT accepted means resumed, and a client
 * that offered no session never resumes.
 */
#include "fuzz_common.h"

static mutls_config *clients[FZ_CLIENT_VARIANTS][2];
static mt_buf flights[FZ_CLIENT_VARIANTS]; /* what the real server sent */
static mt_pkey *cv_key;                    /* signs scripted CertificateVerify */

static const int server_for_variant[FZ_CLIENT_VARIANTS] = {2, 3, 2, 3};

/* The resumption family. */
static mutls_config *rclients[FZ_RESUME_VARIANTS][2];
static mutls_session *sessions[FZ_RESUME_VARIANTS];
static mt_buf rflights[FZ_RESUME_VARIANTS];

/* The session of resumption variant r, made as the seed generator makes
 * it (fresh server configuration 6, the REQUIRE client), then exported
 * and imported, as an application keeping sessions would. */
static void make_session(int r)
{
    mutls_config *scfg = fz_server_config(6, NULL, NULL);
    mutls_session *s = fz_resume_make_session(r, rclients[r][1], scfg, NULL);
    uint8_t *blob;
    size_t len;
    mutls_conn *c, *srv;

    fz_check_session_round_trip(s);
    if (mutls_session_export(s, &blob, &len) != MUTLS_OK ||
        (sessions[r] = mutls_session_import(blob, len)) == NULL)
        fz_die("resumption variant %d: session export/import failed", r);
    free(blob);
    mutls_session_free(s);

    /* The flight a resuming client of this variant gets (same server). */
    fz_reset();
    c = fz_resume_client_start(rclients[r][0], r, sessions[r]);
    if ((srv = mutls_conn_new(scfg)) == NULL)
        fz_die("server: %s", mutls_config_error(scfg));
    mt_buf_init(&rflights[r]);
    if (fz_run_pair(c, srv, NULL, &rflights[r]) != 0 || rflights[r].err ||
        !mutls_conn_is_resumed(c) ||
        (r == 1 && mutls_conn_early_data_status(c) != MUTLS_EARLY_DATA_ACCEPTED))
        fz_die("resumption variant %d: the resumed handshake failed: %s / %s", r,
               mutls_conn_error(c), mutls_conn_error(srv));
    mutls_conn_free(c);
    mutls_conn_free(srv);
    mutls_config_free(scfg);
}

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

    for (int r = 0; r < FZ_RESUME_VARIANTS; r++) {
        for (int verify = 0; verify < 2; verify++)
            rclients[r][verify] = fz_resume_client_config(r, verify, NULL, NULL);
        make_session(r);
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

/* False Start: write once the client may (TLS 1.2, before the server's
 * Finished), as an application in a hurry would. */
static int fs_written;

static void false_start_write(mutls_conn *c)
{
    static const uint8_t req[] = "GET /false-start HTTP/1.1\r\n\r\n";
    if (!fs_written && mutls_conn_false_start_ready(c)) {
        int ok = mutls_conn_error_code(c) == MUTLS_OK;
        fs_written = 1;
        if (mutls_conn_write(c, req, sizeof(req) - 1) != (int)(sizeof(req) - 1) && ok)
            abort(); /* ready (and no error) means a write goes through */
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const unsigned chunking[4] = {0, 1, 5, 7}; /* fz_feed_chunked: whole, 1, 64, random */
    mutls_conn *c;
    mutls_session *got;
    const mt_buf *f;
    uint8_t ctl;
    int mode, verify, variant, resume;

    if (size < 1)
        return 0;
    fz_reset();
    fs_written = 0;
    ctl = data[0];
    mode = ctl & 3;
    verify = (ctl >> 2) & 1;
    variant = (ctl >> 3) & 3;
    resume = ctl >> 7;
    if (resume) {
        c = fz_resume_client_start(rclients[variant][verify], variant, sessions[variant]);
        f = &rflights[variant];
    } else {
        c = fz_client_start(clients[variant][verify], variant);
        f = &flights[variant];
    }
    fz_drain(c, NULL); /* the ClientHello (and 0-RTT data) */

    if (mode == 0) {
        fz_feed_chunked(c, data + 1, size - 1, chunking[(ctl >> 5) & 3], false_start_write);
    } else if (mode == 1) {
        size_t edits = (size - 1) / 4, cap = f->len + edits, len;
        uint8_t *buf = malloc(cap ? cap : 1);
        if (buf == NULL)
            abort();
        memcpy(buf, f->data, f->len);
        len = apply_edits(buf, f->len, cap, data + 1, size - 1);
        fz_feed_chunked(c, buf, len, chunking[(ctl >> 5) & 3], false_start_write);
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
    if (mutls_conn_is_resumed(c) && !resume)
        abort(); /* resumed without offering a session */
    if (mutls_conn_early_data_status(c) == MUTLS_EARLY_DATA_ACCEPTED && !mutls_conn_is_resumed(c))
        abort(); /* 0-RTT accepted in a handshake that did not resume */
    if ((got = mutls_conn_get_session(c)) != NULL) {
        fz_check_session_round_trip(got);
        mutls_session_free(got);
    }
    fz_report("client", c);
    mutls_conn_free(c);
    return 0;
}
