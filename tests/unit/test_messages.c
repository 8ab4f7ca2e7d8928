/*
 * Handshake message codecs (src/tls13/): ClientHello, ServerHello,
 * HelloRetryRequest, EncryptedExtensions, Certificate, CertificateVerify,
 * Finished, KeyUpdate and NewSessionTicket. The good messages are those of
 * RFC 8448 section 3 (tests/vectors/rfc8448.h); each parses, and every
 * truncation of it (each prefix length of its body) and the message with a
 * byte of trailing garbage fail cleanly with decode_error. The ClientHello
 * and ServerHello truncations also go through the real state machines, to
 * check the alert that reaches the wire.
 */
#include <stdlib.h>
#include <string.h>

#include "core/conn.h"
#include "tls13/handshake.h"
#include "testlib.h"
#include "vectors/rfc8448.h"

#define ALL (~0ull)

static mutls_config *client_cfg;

typedef struct {
    uint8_t *p;
    size_t n;
} bytes;

/* Decoded vectors, cached by their hex text (decoded once, freed at exit). */
static struct {
    const char *hex;
    bytes b;
} held[64];
static size_t n_held;

static bytes V(const char *hex)
{
    size_t want = strlen(hex) / 2;
    bytes b;
    for (size_t i = 0; i < n_held; i++)
        if (held[i].hex == hex || strcmp(held[i].hex, hex) == 0)
            return held[i].b;
    b.p = malloc(want + 1);
    if (b.p == NULL || n_held == sizeof(held) / sizeof(held[0]))
        abort();
    b.n = hex_decode(hex, b.p, want + 1);
    if (b.n != want)
        abort();
    held[n_held].hex = hex;
    held[n_held++].b = b;
    return b;
}

/* A client-side connection in the middle of a handshake: the TLS 1.3
 * suite of the trace chosen, every extension "offered". */
static mutls_conn *new_conn(void)
{
    mutls_conn *c = mutls_conn_new(client_cfg);
    if (c == NULL || mt_hs_new(c) != 0)
        abort();
    c->hs->offered = ALL;
    c->suite = mt_suite_find(0x1301);
    return c;
}

typedef int (*parse_fn)(mutls_conn *c, mt_reader *body, const uint8_t *msg, size_t len);

static int p_client_hello(mutls_conn *c, mt_reader *r, const uint8_t *m, size_t n)
{
    mt_client_hello ch;
    (void)m;
    (void)n;
    return mt_parse_client_hello(c, r, &ch);
}

static int p_server_hello(mutls_conn *c, mt_reader *r, const uint8_t *m, size_t n)
{
    mt_server_hello sh;
    (void)m;
    (void)n;
    return mt_parse_server_hello(c, r, &sh);
}

static int p_encrypted_extensions(mutls_conn *c, mt_reader *r, const uint8_t *m, size_t n)
{
    mt_exts x;
    (void)m;
    (void)n;
    return mt_parse_encrypted_extensions(c, r, &x);
}

static int p_certificate(mutls_conn *c, mt_reader *r, const uint8_t *m, size_t n)
{
    mt_certificate_msg cm;
    (void)m;
    (void)n;
    return mt_parse_certificate(c, r, &cm);
}

static mt_pkey *rfc_key; /* the RFC certificate's public key */
static const uint16_t cv_allowed[] = {MT_SIG_RSA_PSS_RSAE_SHA256, MT_SIG_ECDSA_SECP256R1_SHA256,
                                      MT_SIG_RSA_PKCS1_SHA256};

static int p_certificate_verify(mutls_conn *c, mt_reader *r, const uint8_t *m, size_t n)
{
    (void)m;
    (void)n;
    return mt_check_certificate_verify(c, r, rfc_key, cv_allowed,
                                       sizeof(cv_allowed) / sizeof(cv_allowed[0]));
}

static int p_finished(mutls_conn *c, mt_reader *r, const uint8_t *m, size_t n)
{
    (void)m;
    (void)n;
    return mt_check_finished(c, r, V(RFC8448_S_HS_TRAFFIC).p);
}

/* The transcript a server CertificateVerify (n = 4) or Finished (n = 5)
 * of RFC 8448 s3 is checked against. */
static void rfc_transcript(mutls_conn *c, int n)
{
    const char *msgs[] = {RFC8448_CLIENT_HELLO, RFC8448_SERVER_HELLO,
                          RFC8448_ENCRYPTED_EXTENSIONS, RFC8448_CERTIFICATE,
                          RFC8448_CERTIFICATE_VERIFY};
    CHECK(mt_transcript_start_hash(c, MT_SHA256) == 0);
    for (int i = 0; i < n; i++) {
        bytes b = V(msgs[i]);
        CHECK(mt_transcript_add(c, b.p, b.n) == 0);
    }
}

/* Parse msg (with its 4-byte header) through fn on a fresh connection
 * prepared by setup; returns the error code, and the alert in *alert. */
static int run(parse_fn fn, void (*setup)(mutls_conn *), const uint8_t *msg, size_t body_len,
               int *alert)
{
    mutls_conn *c = new_conn();
    mt_reader r = mt_reader_init(msg + 4, body_len);
    int ret;
    if (setup != NULL)
        setup(c);
    ret = fn(c, &r, msg, 4 + body_len);
    *alert = c->err.alert;
    if (ret != c->err.code) /* the returned code is the recorded one */
        ret = -1000;
    mutls_conn_free(c);
    return ret;
}

static void setup_cv(mutls_conn *c) { rfc_transcript(c, 4); }
static void setup_fin(mutls_conn *c) { rfc_transcript(c, 5); }

static void truncations(const char *name, parse_fn fn, void (*setup)(mutls_conn *), bytes msg,
                        size_t legacy_prefix)
{
    int alert = 0, bad = 0;
    size_t body = msg.n - 4;
    uint8_t *longer = malloc(msg.n + 1);

    CHECK(run(fn, setup, msg.p, body, &alert) == 0);
    for (size_t k = 0; k < body; k++) {
        int ret = run(fn, setup, msg.p, k, &alert);
        /* Cut at legacy_prefix, the message is a complete pre-TLS 1.3
         * hello (no extensions), which TLS 1.2 allows (RFC 5246 7.4.1.2,
         * 7.4.1.3): the codec accepts it, and the version is decided by
         * the state machine (test_state_machine_alerts), not here. */
        int want_alert = k == legacy_prefix ? -1 : MT_ALERT_DECODE_ERROR;
        int want_ret = k == legacy_prefix ? 0 : MUTLS_ERR_PROTOCOL;
        if (ret != want_ret || (ret != 0 && alert != want_alert)) {
            fprintf(stderr, "  %s cut to %zu of %zu body bytes: %d, alert %d\n", name, k, body, ret,
                    alert);
            bad++;
        }
    }
    CHECK(bad == 0);
    /* trailing garbage */
    memcpy(longer, msg.p, msg.n);
    longer[msg.n] = 0;
    CHECK(run(fn, setup, longer, body + 1, &alert) == MUTLS_ERR_PROTOCOL &&
          alert == MT_ALERT_DECODE_ERROR);
    longer[msg.n] = 0xff;
    CHECK(run(fn, setup, longer, body + 1, &alert) == MUTLS_ERR_PROTOCOL &&
          alert == MT_ALERT_DECODE_ERROR);
    free(longer);
}

/* ---- each message ------------------------------------------------------- */

static void test_client_hello(void)
{
    bytes msg = V(RFC8448_CLIENT_HELLO);
    mutls_conn *c = new_conn();
    mt_reader r = mt_reader_init(msg.p + 4, msg.n - 4);
    mt_client_hello ch;
    uint16_t s;

    CHECK(mt_parse_client_hello(c, &r, &ch) == 0);
    CHECK(ch.legacy_version == 0x0303 && ch.session_id_len == 0);
    CHECK(memcmp(ch.random, V(RFC8448_CLIENT_RANDOM).p, 32) == 0);
    CHECK(ch.suites.len == 6 && mt_r_u16(&ch.suites, &s) == 0 && s == 0x1301);
    CHECK(strcmp(ch.ext.sni, "server") == 0 && ch.ext.n_shares == 1);
    CHECK(ch.ext.n_versions == 1 && ch.ext.versions[0] == 0x0304);
    CHECK(ch.ext.record_size_limit == 0x4001);
    mutls_conn_free(c);

    /* 2 + 32 + 1 (empty session id) + 2 + 6 + 1 + 1: after that point the
     * hello is a complete TLS 1.2-style hello (no extensions), which parses;
     * a server then refuses it by version or by content (see
     * test_state_machine_alerts), not as decode_error. */
    truncations("ClientHello", p_client_hello, NULL, msg, 45);

    /* Field checks. */
    {
        int alert;
        uint8_t *m = malloc(msg.n);
        memcpy(m, msg.p, msg.n);
        m[4 + 2 + 32 + 1 + 2 + 6 + 1] = 1; /* compression method 1, not null */
        /* The codec records the methods; refusing a hello without null
         * compression is the version's rule (RFC 8446 4.1.2, RFC 5246
         * 7.4.1.2), checked by the server state machines: see
         * test_state_machine_alerts, which expects illegal_parameter. */
        c = new_conn();
        r = mt_reader_init(m + 4, msg.n - 4);
        CHECK(mt_parse_client_hello(c, &r, &ch) == 0);
        CHECK(ch.compression_len == 1 && !ch.null_compression);
        mutls_conn_free(c);
        memcpy(m, msg.p, msg.n);
        m[4 + 2 + 32 + 1 + 1] = 5; /* suites length 5: odd */
        CHECK(run(p_client_hello, NULL, m, msg.n - 4, &alert) == MUTLS_ERR_PROTOCOL &&
              alert == MT_ALERT_DECODE_ERROR);
        memcpy(m, msg.p, msg.n);
        m[4 + 2 + 32] = 33; /* session id longer than 32 */
        CHECK(run(p_client_hello, NULL, m, msg.n - 4, &alert) == MUTLS_ERR_PROTOCOL &&
              alert == MT_ALERT_DECODE_ERROR);
        memcpy(m, msg.p, msg.n);
        m[4 + 2 + 32 + 1 + 2 + 6] = 0; /* no compression methods */
        CHECK(run(p_client_hello, NULL, m, msg.n - 4, &alert) == MUTLS_ERR_PROTOCOL &&
              alert == MT_ALERT_DECODE_ERROR);
        free(m);
    }
}

static void test_server_hello(void)
{
    bytes msg = V(RFC8448_SERVER_HELLO);
    mutls_conn *c = new_conn();
    mt_reader r = mt_reader_init(msg.p + 4, msg.n - 4);
    mt_server_hello sh;
    int alert;

    CHECK(mt_parse_server_hello(c, &r, &sh) == 0);
    CHECK(sh.legacy_version == 0x0303 && sh.suite == 0x1301 && !sh.is_hrr);
    CHECK(memcmp(sh.random, V(RFC8448_SERVER_RANDOM).p, 32) == 0 && sh.session_id_len == 0);
    CHECK(sh.ext.selected_version == 0x0304 && sh.ext.n_shares == 1 &&
          sh.ext.shares[0].group == 0x001d);
    CHECK(memcmp(sh.ext.shares[0].pub, V(RFC8448_SERVER_X25519_PUB).p, 32) == 0);
    mutls_conn_free(c);

    /* 2 + 32 + 1 + 2 + 1: a complete pre-1.3 ServerHello */
    truncations("ServerHello", p_server_hello, NULL, msg, 38);

    {
        uint8_t *m = malloc(msg.n);
        memcpy(m, msg.p, msg.n);
        m[4 + 2 + 32 + 1 + 2] = 1; /* compression method 1 */
        CHECK(run(p_server_hello, NULL, m, msg.n - 4, &alert) == MUTLS_ERR_PROTOCOL &&
              alert == MT_ALERT_ILLEGAL_PARAMETER);
        free(m);
    }
    /* extensions the client did not offer: unsupported_extension */
    c = new_conn();
    c->hs->offered = 0;
    r = mt_reader_init(msg.p + 4, msg.n - 4);
    CHECK(mt_parse_server_hello(c, &r, &sh) == MUTLS_ERR_PROTOCOL &&
          c->err.alert == MT_ALERT_UNSUPPORTED_EXTENSION);
    mutls_conn_free(c);
}

static void test_hello_retry_request(void)
{
    /* legacy_version, the special random, empty session id, suite,
     * compression, {supported_versions, key_share(secp256r1), cookie} */
    mt_buf b;
    mutls_conn *c;
    mt_server_hello sh;
    mt_reader r;
    int alert, bad = 0;

    mt_buf_init(&b);
    CHECK(mt_w_u8(&b, MT_HS_SERVER_HELLO) == 0);
    size_t len = mt_w_open(&b, 3);
    mt_w_u16(&b, 0x0303);
    mt_w_bytes(&b, mt_hrr_random, 32);
    mt_w_u8(&b, 0);
    mt_w_u16(&b, 0x1301);
    mt_w_u8(&b, 0);
    size_t ext = mt_w_open(&b, 2);
    mt_ext_write_supported_versions_sh(&b, 0x0304);
    mt_ext_write_key_share_hrr(&b, 0x0017);
    mt_ext_write_cookie(&b, (const uint8_t *)"cookie", 6);
    mt_w_close(&b, ext, 2);
    CHECK(mt_w_close(&b, len, 3) == 0);

    c = new_conn();
    c->hs->offered = 1ull << mt_ext_index(MT_EXT_SUPPORTED_VERSIONS) |
                     1ull << mt_ext_index(MT_EXT_KEY_SHARE); /* no cookie offered */
    r = mt_reader_init(b.data + 4, b.len - 4);
    CHECK(mt_parse_server_hello(c, &r, &sh) == 0);
    CHECK(sh.is_hrr && sh.ext.hrr_group == 0x0017 && sh.ext.selected_version == 0x0304);
    CHECK(sh.ext.cookie_len == 6 && memcmp(sh.ext.cookie, "cookie", 6) == 0);
    mutls_conn_free(c);

    for (size_t k = 0; k < b.len - 4; k++) {
        int ret = run(p_server_hello, NULL, b.data, k, &alert);
        /* Cut before its extensions, the HelloRetryRequest is a complete
         * pre-1.3 ServerHello, which the codec accepts; the client state
         * machine refuses it (it lacks supported_versions). */
        int legacy = k == 38;
        if (legacy ? ret != 0
                   : ret != MUTLS_ERR_PROTOCOL || alert != MT_ALERT_DECODE_ERROR)
            bad++;
    }
    CHECK(bad == 0);
    /* an extension only a ServerHello may carry, in a HelloRetryRequest */
    mt_buf_reset(&b);
    mt_w_u8(&b, MT_HS_SERVER_HELLO);
    len = mt_w_open(&b, 3);
    mt_w_u16(&b, 0x0303);
    mt_w_bytes(&b, mt_hrr_random, 32);
    mt_w_u8(&b, 0);
    mt_w_u16(&b, 0x1301);
    mt_w_u8(&b, 0);
    ext = mt_w_open(&b, 2);
    mt_ext_write_supported_versions_sh(&b, 0x0304);
    mt_w_u16(&b, MT_EXT_PRE_SHARED_KEY);
    mt_w_u16(&b, 2);
    mt_w_u16(&b, 0);
    mt_w_close(&b, ext, 2);
    CHECK(mt_w_close(&b, len, 3) == 0);
    CHECK(run(p_server_hello, NULL, b.data, b.len - 4, &alert) == MUTLS_ERR_PROTOCOL &&
          alert == MT_ALERT_ILLEGAL_PARAMETER);
    mt_buf_free(&b);
}

static void test_encrypted_extensions(void)
{
    bytes msg = V(RFC8448_ENCRYPTED_EXTENSIONS);
    mutls_conn *c = new_conn();
    mt_reader r = mt_reader_init(msg.p + 4, msg.n - 4);
    mt_exts x;
    int alert;

    CHECK(mt_parse_encrypted_extensions(c, &r, &x) == 0);
    CHECK(x.n_groups == 9 && x.record_size_limit == 0x4001 && x.sni_empty);
    mutls_conn_free(c);
    truncations("EncryptedExtensions", p_encrypted_extensions, NULL, msg, (size_t)-1);
    /* the empty EncryptedExtensions */
    CHECK(run(p_encrypted_extensions, NULL, (const uint8_t *)"\x08\x00\x00\x02\x00\x00", 2,
              &alert) == 0);
    /* key_share does not belong here */
    CHECK(run(p_encrypted_extensions, NULL,
              (const uint8_t *)"\x08\x00\x00\x08\x00\x06\x00\x33\x00\x02\x00\x1d", 8,
              &alert) == MUTLS_ERR_PROTOCOL &&
          alert == MT_ALERT_ILLEGAL_PARAMETER);
}

static void test_certificate(void)
{
    bytes msg = V(RFC8448_CERTIFICATE);
    mutls_conn *c = new_conn();
    mt_reader r = mt_reader_init(msg.p + 4, msg.n - 4);
    mt_certificate_msg m;
    int alert;

    CHECK(mt_parse_certificate(c, &r, &m) == 0);
    CHECK(m.context_len == 0 && m.n == 1 && m.der_len[0] == 0x1b0);
    CHECK(m.der[0] == msg.p + 11 && m.der[0][0] == 0x30);
    mutls_conn_free(c);
    truncations("Certificate", p_certificate, NULL, msg, (size_t)-1);

    /* an empty certificate_list parses (the caller decides) */
    CHECK(run(p_certificate, NULL, (const uint8_t *)"\x0b\x00\x00\x04\x00\x00\x00\x00", 4,
              &alert) == 0);
    /* an empty cert_data is decode_error */
    CHECK(run(p_certificate, NULL,
              (const uint8_t *)"\x0b\x00\x00\x09\x00\x00\x00\x05\x00\x00\x00\x00\x00", 9,
              &alert) == MUTLS_ERR_PROTOCOL &&
          alert == MT_ALERT_DECODE_ERROR);
    /* a request context, and an entry extension nobody asked for */
    {
        static const uint8_t with_ctx[] = {0x0b, 0, 0, 0x0c, 0x02, 0xaa, 0xbb, 0, 0, 0x06,
                                           0, 0, 0x01, 0x30, 0x00, 0x00};
        static const uint8_t with_ext[] = {0x0b, 0, 0, 0x0e, 0x00, 0, 0, 0x0a, 0, 0, 0x01, 0x30,
                                           0x00, 0x04, 0x00, 0x05, 0x00, 0x00};
        static const uint8_t with_grp[] = {0x0b, 0, 0, 0x10, 0x00, 0, 0, 0x0c, 0, 0, 0x01, 0x30,
                                           0x00, 0x06, 0x00, 0x0a, 0x00, 0x02, 0x00, 0x1d};
        c = new_conn();
        r = mt_reader_init(with_ctx + 4, sizeof(with_ctx) - 4);
        CHECK(mt_parse_certificate(c, &r, &m) == 0);
        CHECK(m.context_len == 2 && m.context[0] == 0xaa && m.n == 1 && m.der_len[0] == 1);
        mutls_conn_free(c);
        /* status_request (5) is not a known extension here */
        CHECK(run(p_certificate, NULL, with_ext, sizeof(with_ext) - 4, &alert) ==
                  MUTLS_ERR_PROTOCOL &&
              alert == MT_ALERT_UNSUPPORTED_EXTENSION);
        CHECK(run(p_certificate, NULL, with_grp, sizeof(with_grp) - 4, &alert) ==
                  MUTLS_ERR_PROTOCOL &&
              alert == MT_ALERT_ILLEGAL_PARAMETER);
    }
    /* a chain longer than MT_MAX_CHAIN_LEN */
    {
        mt_buf b;
        mt_buf_init(&b);
        mt_w_u8(&b, MT_HS_CERTIFICATE);
        size_t len = mt_w_open(&b, 3);
        mt_w_u8(&b, 0);
        size_t list = mt_w_open(&b, 3);
        for (int i = 0; i < MT_MAX_CHAIN_LEN + 1; i++) {
            mt_w_u24(&b, 1);
            mt_w_u8(&b, 0x30);
            mt_w_u16(&b, 0);
        }
        mt_w_close(&b, list, 3);
        CHECK(mt_w_close(&b, len, 3) == 0);
        CHECK(run(p_certificate, NULL, b.data, b.len - 4, &alert) == MUTLS_ERR_VERIFY &&
              alert == MT_ALERT_BAD_CERTIFICATE);
        mt_buf_free(&b);
    }
}

static void test_certificate_verify(void)
{
    bytes msg = V(RFC8448_CERTIFICATE_VERIFY);
    mutls_conn *c = new_conn();
    mt_reader r = mt_reader_init(msg.p + 4, msg.n - 4);
    uint8_t *m = malloc(msg.n);
    int alert;

    setup_cv(c);
    CHECK(mt_check_certificate_verify(c, &r, rfc_key, cv_allowed, 3) == 0);
    CHECK(c->sig_scheme == MT_SIG_RSA_PSS_RSAE_SHA256 && c->err.code == MUTLS_OK);
    mutls_conn_free(c);
    truncations("CertificateVerify", p_certificate_verify, setup_cv, msg, (size_t)-1);

    /* a changed signature: decrypt_error */
    memcpy(m, msg.p, msg.n);
    m[msg.n - 1] ^= 1;
    CHECK(run(p_certificate_verify, setup_cv, m, msg.n - 4, &alert) == MUTLS_ERR_PROTOCOL &&
          alert == MT_ALERT_DECRYPT_ERROR);
    /* the signature is right, the transcript is not */
    CHECK(run(p_certificate_verify, setup_fin, msg.p, msg.n - 4, &alert) == MUTLS_ERR_PROTOCOL &&
          alert == MT_ALERT_DECRYPT_ERROR);
    /* schemes: ECDSA with an RSA key; rsa_pkcs1 (not for TLS 1.3
     * CertificateVerify); one not offered: illegal_parameter */
    {
        static const uint16_t schemes[] = {MT_SIG_ECDSA_SECP256R1_SHA256, MT_SIG_RSA_PKCS1_SHA256,
                                           MT_SIG_RSA_PSS_RSAE_SHA384, 0xfefe};
        for (size_t i = 0; i < sizeof(schemes) / sizeof(schemes[0]); i++) {
            memcpy(m, msg.p, msg.n);
            m[4] = (uint8_t)(schemes[i] >> 8);
            m[5] = (uint8_t)schemes[i];
            CHECK(run(p_certificate_verify, setup_cv, m, msg.n - 4, &alert) ==
                      MUTLS_ERR_PROTOCOL &&
                  alert == MT_ALERT_ILLEGAL_PARAMETER);
        }
    }
    /* an empty signature */
    CHECK(run(p_certificate_verify, setup_cv, (const uint8_t *)"\x0f\x00\x00\x04\x08\x04\x00\x00",
              4, &alert) == MUTLS_ERR_PROTOCOL &&
          alert == MT_ALERT_DECODE_ERROR);
    free(m);
}

static void test_finished(void)
{
    bytes msg = V(RFC8448_SERVER_FINISHED);
    mutls_conn *c = new_conn();
    mt_reader r = mt_reader_init(msg.p + 4, msg.n - 4);
    uint8_t m[37];
    int alert;

    setup_fin(c);
    CHECK(mt_check_finished(c, &r, V(RFC8448_S_HS_TRAFFIC).p) == 0);
    mutls_conn_free(c);
    truncations("Finished", p_finished, setup_fin, msg, (size_t)-1);
    memcpy(m, msg.p, msg.n);
    m[10] ^= 0x40;
    CHECK(run(p_finished, setup_fin, m, 32, &alert) == MUTLS_ERR_PROTOCOL &&
          alert == MT_ALERT_DECRYPT_ERROR);
    /* right verify_data, wrong transcript */
    CHECK(run(p_finished, setup_cv, msg.p, 32, &alert) == MUTLS_ERR_PROTOCOL &&
          alert == MT_ALERT_DECRYPT_ERROR);
    /* a SHA-384 suite wants 48 bytes */
    {
        mutls_conn *c2 = new_conn();
        mt_reader r2 = mt_reader_init(msg.p + 4, 32);
        uint8_t key48[48] = {0};
        c2->suite = mt_suite_find(0x1302);
        CHECK(mt_transcript_start_hash(c2, MT_SHA384) == 0);
        CHECK(mt_check_finished(c2, &r2, key48) == MUTLS_ERR_PROTOCOL &&
              c2->err.alert == MT_ALERT_DECODE_ERROR);
        mutls_conn_free(c2);
    }
}

/* KeyUpdate: after the handshake; the client's secrets are the RFC's
 * application traffic secrets. */
static mutls_conn *connected(void)
{
    mutls_conn *c = new_conn();
    mt_hs_free(c);
    c->state = MT_ST_CONNECTED;
    memcpy(c->c_ap_secret, V(RFC8448_C_AP_TRAFFIC).p, 32);
    memcpy(c->s_ap_secret, V(RFC8448_S_AP_TRAFFIC).p, 32);
    return c;
}

static int p_key_update(mutls_conn *c, mt_reader *r, const uint8_t *m, size_t n)
{
    return mt_handle_key_update(c, r, m, n);
}

static int p_new_session_ticket(mutls_conn *c, mt_reader *r, const uint8_t *m, size_t n)
{
    return mt_handle_new_session_ticket(c, r, m, n);
}

static void test_key_update(void)
{
    static const uint8_t ku0[] = {MT_HS_KEY_UPDATE, 0, 0, 1, 0};
    static const uint8_t ku1[] = {MT_HS_KEY_UPDATE, 0, 0, 1, 1};
    uint8_t next[32];
    mutls_conn *c;
    mt_reader r;
    int bad = 0;

    /* update_not_requested: the peer's secret moves on, nothing is sent */
    c = connected();
    r = mt_reader_init(ku0 + 4, 1);
    CHECK(mt_handle_key_update(c, &r, ku0, sizeof(ku0)) == 0);
    CHECK(c->ku_received == 1 && c->ku_sent == 0 && mutls_conn_pending(c) == 0);
    memcpy(next, V(RFC8448_S_AP_TRAFFIC).p, 32);
    CHECK(mt_next_traffic_secret(c->cfg->cx, MT_SHA256, next) == 0);
    CHECK(memcmp(c->s_ap_secret, next, 32) == 0);
    CHECK(memcmp(c->c_ap_secret, V(RFC8448_C_AP_TRAFFIC).p, 32) == 0);
    CHECK(c->rec.rd.aead != NULL && c->rec.rd.seq == 0);
    mutls_conn_free(c);

    /* update_requested: an answer is due (sent once the batch of records
     * at hand is processed, so that several requests get one answer);
     * sending it moves our own secret on */
    c = connected();
    r = mt_reader_init(ku1 + 4, 1);
    CHECK(mt_handle_key_update(c, &r, ku1, sizeof(ku1)) == 0);
    CHECK(c->ku_received == 1 && c->ku_pending == 1 && c->ku_sent == 0);
    CHECK(mt_send_key_update(c, 0) == 0);
    CHECK(c->ku_sent == 1 && c->ku_pending == 0 && mutls_conn_pending(c) > 0);
    memcpy(next, V(RFC8448_C_AP_TRAFFIC).p, 32);
    CHECK(mt_next_traffic_secret(c->cfg->cx, MT_SHA256, next) == 0);
    CHECK(memcmp(c->c_ap_secret, next, 32) == 0);
    mutls_conn_free(c);

    /* truncation (the empty body), trailing garbage, a bad value */
    for (int v = 0; v < 256; v++) {
        uint8_t m[6] = {MT_HS_KEY_UPDATE, 0, 0, 1, (uint8_t)v, 0};
        int alert, ret;
        mutls_conn *cc = connected();
        r = mt_reader_init(m + 4, 1);
        ret = mt_handle_key_update(cc, &r, m, 5);
        alert = cc->err.alert;
        mutls_conn_free(cc);
        if (v <= 1 ? ret != 0 : (ret != MUTLS_ERR_PROTOCOL || alert != MT_ALERT_ILLEGAL_PARAMETER))
            bad++;
        cc = connected();
        r = mt_reader_init(m + 4, 2);
        ret = mt_handle_key_update(cc, &r, m, 6);
        if (ret != MUTLS_ERR_PROTOCOL || cc->err.alert != MT_ALERT_DECODE_ERROR)
            bad++;
        mutls_conn_free(cc);
    }
    CHECK(bad == 0);
    c = connected();
    r = mt_reader_init(ku0 + 4, 0);
    CHECK(mt_handle_key_update(c, &r, ku0, 4) == MUTLS_ERR_PROTOCOL &&
          c->err.alert == MT_ALERT_DECODE_ERROR);
    CHECK(c->ku_received == 0);
    mutls_conn_free(c);
    truncations("KeyUpdate", p_key_update, NULL, (bytes){(uint8_t *)ku1, sizeof(ku1)}, (size_t)-1);
}

static void test_new_session_ticket(void)
{
    bytes msg = V(RFC8448_NEW_SESSION_TICKET);
    mutls_conn *c = connected();
    mt_reader r = mt_reader_init(msg.p + 4, msg.n - 4);
    int alert;

    CHECK(mt_handle_new_session_ticket(c, &r, msg.p, msg.n) == 0);
    CHECK(c->err.code == MUTLS_OK && mutls_conn_pending(c) == 0);
    mutls_conn_free(c);

    /* every truncation, trailing garbage */
    truncations("NewSessionTicket", p_new_session_ticket, NULL, msg, (size_t)-1);

    /* Built tickets: lifetime, ticket, extensions. */
    {
        static const struct {
            uint32_t lifetime;
            size_t ticket_len;
            const char *ext; /* hex of the extensions block */
            int ret, alert;
            const char *why;
        } t[] = {
            {604800, 1, "", 0, -1, "seven days, a one-byte ticket"},
            {604801, 1, "", MUTLS_ERR_PROTOCOL, MT_ALERT_ILLEGAL_PARAMETER, "more than seven days"},
            {30, 0, "", MUTLS_ERR_PROTOCOL, MT_ALERT_DECODE_ERROR, "an empty ticket"},
            {30, 4, "0a0a0000", 0, -1, "GREASE extension: ignored (RFC 8446 4.6.1)"},
            {30, 4, "002a000400000400fafa0001ff", 0, -1, "early_data and an unknown one"},
            {30, 4, "002a000400000400002a000400000400", MUTLS_ERR_PROTOCOL,
             MT_ALERT_ILLEGAL_PARAMETER, "early_data twice"},
            {30, 4, "00330002001d", MUTLS_ERR_PROTOCOL, MT_ALERT_ILLEGAL_PARAMETER,
             "key_share in a ticket"},
            {30, 4, "002a0004000004", MUTLS_ERR_PROTOCOL, MT_ALERT_DECODE_ERROR,
             "an extension cut short"},
        };
        for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
            mt_buf b;
            uint8_t ext[64];
            size_t en = hex_decode(t[i].ext, ext, sizeof(ext));
            int ret;
            mt_buf_init(&b);
            mt_w_u8(&b, MT_HS_NEW_SESSION_TICKET);
            size_t len = mt_w_open(&b, 3);
            mt_w_u32(&b, t[i].lifetime);
            mt_w_u32(&b, 0x01020304);
            mt_w_u8(&b, 1);
            mt_w_u8(&b, 0);
            mt_w_u16(&b, (uint16_t)t[i].ticket_len);
            for (size_t k = 0; k < t[i].ticket_len; k++)
                mt_w_u8(&b, (uint8_t)k);
            mt_w_u16(&b, (uint16_t)en);
            mt_w_bytes(&b, ext, en);
            CHECK(mt_w_close(&b, len, 3) == 0);
            c = connected();
            r = mt_reader_init(b.data + 4, b.len - 4);
            ret = mt_handle_new_session_ticket(c, &r, b.data, b.len);
            alert = c->err.alert;
            if (ret != t[i].ret || (ret != 0 && alert != t[i].alert))
                fprintf(stderr, "  NewSessionTicket (%s): %d, alert %d\n", t[i].why, ret, alert);
            CHECK(ret == t[i].ret && (ret == 0 || alert == t[i].alert));
            mutls_conn_free(c);
            mt_buf_free(&b);
        }
    }
}

/* ---- the alerts on the wire, through the state machines ----------------- */

static char *load_cert_file(const char *name, size_t *len)
{
    char path[512];
    test_cert_path(path, sizeof(path), name);
    return read_file(path, len);
}

/* The record that carries msg cut to k body bytes (header adjusted). */
static size_t cut_record(uint8_t *out, const bytes msg, size_t k)
{
    out[0] = MT_CT_HANDSHAKE;
    out[1] = 3;
    out[2] = 3;
    out[3] = (uint8_t)((4 + k) >> 8);
    out[4] = (uint8_t)(4 + k);
    out[5] = msg.p[0];
    out[6] = (uint8_t)(k >> 16);
    out[7] = (uint8_t)(k >> 8);
    out[8] = (uint8_t)k;
    memcpy(out + 9, msg.p + 4, k);
    return 9 + k;
}

static void test_state_machine_alerts(void)
{
    size_t cl = 0, kl = 0;
    char *chain = load_cert_file("server-ecdsa-p256.pem", &cl);
    char *key = load_cert_file("server-ecdsa-p256.key", &kl);
    mutls_config *scfg[2] = {mutls_config_new(MUTLS_SERVER), mutls_config_new(MUTLS_SERVER)};
    mutls_config *ccfg13 = mutls_config_new(MUTLS_CLIENT);
    bytes ch = V(RFC8448_CLIENT_HELLO), sh = V(RFC8448_SERVER_HELLO);
    uint8_t rec[512], out[64];
    int bad = 0;

    CHECK(chain != NULL && key != NULL && scfg[0] != NULL && scfg[1] != NULL && ccfg13 != NULL);
    if (chain == NULL || key == NULL || scfg[0] == NULL || scfg[1] == NULL || ccfg13 == NULL)
        goto Exit;
    /* scfg[0]: TLS 1.3 only; scfg[1]: the default, TLS 1.2 and 1.3. */
    CHECK(mutls_config_set_versions(scfg[0], MUTLS_TLS1_3, MUTLS_TLS1_3) == 0);
    for (int i = 0; i < 2; i++)
        CHECK(mutls_config_add_cert_chain_mem(scfg[i], chain, cl, key, kl) == 0);
    mutls_config_set_verify(ccfg13, MUTLS_VERIFY_NONE);
    mutls_config_set_middlebox_compat(ccfg13, 0);
    CHECK(mutls_config_set_versions(ccfg13, MUTLS_TLS1_3, MUTLS_TLS1_3) == 0);

    /* The server, every truncated ClientHello. Cut at 45 bytes the hello
     * has no extensions, so it offers TLS 1.2 only (by its legacy_version):
     * a TLS 1.3-only server refuses it with protocol_version; a server
     * that allows TLS 1.2 reads it as a TLS 1.2 hello, and refuses it with
     * handshake_failure since it offers only TLS 1.3 cipher suites. */
    for (int v = 0; v < 2; v++) {
        bad = 0;
        for (size_t k = 0; k <= ch.n - 4; k++) {
            mutls_conn *s = mutls_conn_new(scfg[v]);
            size_t n = cut_record(rec, ch, k), o;
            int ret = mutls_conn_feed(s, rec, n);
            int want = k == ch.n - 4 ? MUTLS_OK
                       : k == 45     ? MUTLS_ERR_NEGOTIATION
                                     : MUTLS_ERR_PROTOCOL;
            int want_alert = k != 45 ? MT_ALERT_DECODE_ERROR
                             : v == 0 ? MT_ALERT_PROTOCOL_VERSION
                                      : MT_ALERT_HANDSHAKE_FAILURE;
            if (ret != want) {
                fprintf(stderr, "  %s server, ClientHello cut to %zu: %d (%s)\n",
                        v ? "default" : "TLS 1.3-only", k, ret, mutls_conn_error(s));
                bad++;
            } else if (ret != MUTLS_OK) {
                /* a plaintext fatal alert is what goes out */
                o = mutls_conn_take(s, out, sizeof(out));
                if (o != 7 || out[0] != MT_CT_ALERT || out[5] != 2 || out[6] != want_alert ||
                    mutls_conn_alert_sent(s) != want_alert)
                    bad++;
                if (k == 45)
                    printf("  %s server, ClientHello without extensions: %s\n",
                           v ? "default" : "TLS 1.3-only", mutls_conn_error(s));
            }
            mutls_conn_free(s);
        }
        CHECK(bad == 0);
    }

    /* A ClientHello offering only compression method 1: illegal_parameter
     * from the TLS 1.3 server (RFC 8446 4.1.2). */
    for (int v = 0; v < 2; v++) {
        mutls_conn *s = mutls_conn_new(scfg[v]);
        uint8_t *m = malloc(ch.n);
        size_t n, o;
        memcpy(m, ch.p, ch.n);
        m[4 + 2 + 32 + 1 + 2 + 6 + 1] = 1;
        n = cut_record(rec, (bytes){m, ch.n}, ch.n - 4);
        CHECK(mutls_conn_feed(s, rec, n) == MUTLS_ERR_PROTOCOL);
        CHECK(mutls_conn_alert_sent(s) == MT_ALERT_ILLEGAL_PARAMETER);
        o = mutls_conn_take(s, out, sizeof(out));
        CHECK(o == 7 && out[0] == MT_CT_ALERT && out[6] == MT_ALERT_ILLEGAL_PARAMETER);
        CHECK(strstr(mutls_conn_error(s), "compression") != NULL);
        free(m);
        mutls_conn_free(s);
    }

    /* The client, every truncated ServerHello. Cut at 38 bytes it has no
     * supported_versions: a TLS 1.2 ServerHello. A TLS 1.3-only client
     * refuses it with protocol_version; a client that allows TLS 1.2
     * refuses it with illegal_parameter, because it names a TLS 1.3 cipher
     * suite (TLS_AES_128_GCM_SHA256), which no TLS 1.2 hello may choose. */
    for (int v = 0; v < 2; v++) {
        bad = 0;
        for (size_t k = 0; k < sh.n - 4; k++) {
            mutls_conn *c = mutls_conn_new(v == 0 ? ccfg13 : client_cfg);
            size_t n = cut_record(rec, sh, k), o;
            int ret;
            if (c == NULL || mutls_conn_handshake(c) != MUTLS_WANT_READ) {
                bad++;
                mutls_conn_free(c);
                continue;
            }
            (void)mutls_conn_take(c, rec + 256, 256); /* drop our ClientHello */
            ret = mutls_conn_feed(c, rec, n);
            if (k == 38) {
                int want = v == 0 ? MUTLS_ERR_NEGOTIATION : MUTLS_ERR_PROTOCOL;
                int want_alert = v == 0 ? MT_ALERT_PROTOCOL_VERSION : MT_ALERT_ILLEGAL_PARAMETER;
                printf("  %s client, ServerHello without extensions: %s\n",
                       v ? "default" : "TLS 1.3-only", mutls_conn_error(c));
                if (ret != want || mutls_conn_alert_sent(c) != want_alert)
                    bad++;
            } else if (ret != MUTLS_ERR_PROTOCOL ||
                       mutls_conn_alert_sent(c) != MT_ALERT_DECODE_ERROR) {
                fprintf(stderr, "  %s client, ServerHello cut to %zu: %d (%s)\n",
                        v ? "default" : "TLS 1.3-only", k, ret, mutls_conn_error(c));
                bad++;
            }
            o = mutls_conn_take(c, out, sizeof(out));
            if (o != 7 || out[0] != MT_CT_ALERT)
                bad++;
            mutls_conn_free(c);
        }
        CHECK(bad == 0);
    }

Exit:
    mutls_config_free(scfg[0]);
    mutls_config_free(scfg[1]);
    mutls_config_free(ccfg13);
    free(chain);
    free(key);
}

int main(void)
{
    client_cfg = mutls_config_new(MUTLS_CLIENT);
    if (client_cfg == NULL)
        return 1;
    mutls_config_set_verify(client_cfg, MUTLS_VERIFY_NONE);
    mutls_config_set_middlebox_compat(client_cfg, 0);
    {
        bytes cert = V(RFC8448_CERTIFICATE);
        mt_x509 *x = NULL;
        CHECK(mt_x509_from_der(cert.p + 11, 0x1b0, &x) == 0);
        rfc_key = x ? mt_x509_public_key(x) : NULL;
        CHECK(rfc_key != NULL);
        mt_x509_free(x);
    }
    test_client_hello();
    test_server_hello();
    test_hello_retry_request();
    test_encrypted_extensions();
    test_certificate();
    test_certificate_verify();
    test_finished();
    test_key_update();
    test_new_session_ticket();
    test_state_machine_alerts();
    mt_pkey_free(rfc_key);
    mutls_config_free(client_cfg);
    for (size_t i = 0; i < n_held; i++)
        free(held[i].b.p);
    TEST_MAIN_END();
}
