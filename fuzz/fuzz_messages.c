/*
 * fuzz_messages: each handshake message parser on its own, without the
 * record layer or the state machine in front of it.
 *
 * Input: selector byte, flags byte, then the message body (without the
 * 4-byte handshake header) or, for selectors 6 and 9, whole handshake
 * messages (with headers).
 *   0  mt_parse_client_hello            (server connection)
 *   1  mt_parse_server_hello            (client; flags bit 0: everything
 *                                        offered, else what a default
 *                                        client offers)
 *   2  mt_parse_encrypted_extensions    (client, offered as for 1)
 *   3  mt_parse_certificate             (client)
 *   4  mt_handle_new_session_ticket     (client, connected, suite by
 *                                        flags >> 2)
 *   5  mt_handle_key_update             (flags bit 1: server, else client;
 *                                        connected, suite by flags >> 2)
 *   6  the client's handshake tail through mt_hs_receive, starting in
 *      WAIT_EE (flags bit 2: WAIT_CERT_CR): EncryptedExtensions,
 *      CertificateRequest, Certificate (bit 3: verify REQUIRE), ...
 *   7  mt_check_certificate_verify      (peer key by flags: ECDSA P-256,
 *                                        Ed25519, RSA, RSA-PSS)
 *   8  mt_check_finished                (suite by flags)
 *   9  mt_hs_receive on a server waiting for a ClientHello
 * A connection with its handshake state (mt_hs_new) is made per input.
 */
#include "fuzz_common.h"

#define N_SELECTORS 10

static mutls_config *client_none, *client_verify, *server;
/* Client variant 1 (ALPN, record_size_limit) for the handshake tail. */
static mutls_config *tail_none, *tail_verify;
static uint64_t default_offered, tail_offered;
static mt_pkey *peer_keys[4];
static const uint16_t suites[3] = {0x1301, 0x1302, 0x1303};

/* The public key of the leaf of tests/certs/<stem>.pem. */
static mt_pkey *leaf_key(const char *stem)
{
    char name[128];
    size_t pem_len, key_len;
    uint8_t *pem, *key;
    mt_cert_chain *chain = NULL;
    mt_error e;
    mt_pkey *k;

    snprintf(name, sizeof(name), "%s.pem", stem);
    pem = fz_read_cert_file(name, &pem_len);
    snprintf(name, sizeof(name), "%s.key", stem);
    key = fz_read_cert_file(name, &key_len);
    mt_error_clear(&e);
    if (mt_cert_chain_load((const char *)pem, pem_len, (const char *)key, key_len, &chain, &e) != 0)
        fz_die("%s: %s", stem, e.msg);
    k = mt_x509_public_key(chain->leaf);
    if (k == NULL)
        fz_die("%s: public key", stem);
    mt_cert_chain_free(chain);
    free(pem);
    free(key);
    return k;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    mutls_conn *c;
    (void)argc;
    (void)argv;
    client_none = fz_client_config(0, 0, NULL, NULL);
    client_verify = fz_client_config(0, 1, NULL, NULL);
    server = fz_server_config(0, NULL, NULL);
    mutls_conn_free(mutls_conn_new(server));
    mutls_conn_free(mutls_conn_new(client_verify));
    tail_none = fz_client_config(1, 0, NULL, NULL);
    tail_verify = fz_client_config(1, 1, NULL, NULL);
    mutls_conn_free(mutls_conn_new(tail_none));
    mutls_conn_free(mutls_conn_new(tail_verify));
    fz_reset();
    c = fz_client_start(client_none, 0);
    if (c->hs == NULL)
        fz_die("client did not start");
    default_offered = c->hs->offered;
    mutls_conn_free(c);
    fz_reset();
    c = fz_client_start(tail_none, 1);
    if (c->hs == NULL)
        fz_die("client did not start");
    tail_offered = c->hs->offered;
    mutls_conn_free(c);
    peer_keys[0] = leaf_key("server-ecdsa-p256");
    peer_keys[1] = leaf_key("server-ed25519");
    peer_keys[2] = leaf_key("server-rsa2048");
    peer_keys[3] = leaf_key("server-rsa-pss");
    return 0;
}

static mutls_conn *new_conn(mutls_config *cfg)
{
    mutls_conn *c = mutls_conn_new(cfg);
    if (c == NULL)
        abort();
    if (c->hs == NULL && mt_hs_new(c) != 0)
        abort();
    return c;
}

/* A failed parse must leave a fatal error with an alert on the connection. */
static void check_result(const mutls_conn *c, int ret)
{
    if (ret != 0 && (c->err.code != ret || ret > MUTLS_ERR_FIRST || c->err.alert < 0))
        abort();
    if (ret == 0 && c->err.code != MUTLS_OK)
        abort();
}

static void set_suite(mutls_conn *c, uint8_t which)
{
    c->suite = mt_suite_find(suites[which % 3]);
    if (c->suite == NULL || mt_transcript_start_hash(c, c->suite->hash) != 0)
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    mutls_conn *c = NULL;
    mt_reader r;
    uint8_t sel, flags;
    const uint8_t *body;
    size_t len;
    int ret = 0;

    if (size < 2)
        return 0;
    fz_reset();
    sel = data[0] % N_SELECTORS;
    flags = data[1];
    body = data + 2;
    len = size - 2;
    r = mt_reader_init(body, len);

    switch (sel) {
    case 0: {
        mt_client_hello ch;
        c = new_conn(server);
        ret = mt_parse_client_hello(c, &r, &ch);
        check_result(c, ret);
        if (ret == 0 && (ch.session_id_len > 32 || ch.suites.len % 2 != 0))
            abort();
        break;
    }
    case 1: {
        mt_server_hello sh;
        c = new_conn(client_none);
        c->hs->offered = (flags & 1) ? ~0ull : default_offered;
        ret = mt_parse_server_hello(c, &r, &sh);
        check_result(c, ret);
        if (ret == 0 && sh.session_id_len > 32)
            abort();
        break;
    }
    case 2: {
        mt_exts x;
        c = new_conn(client_none);
        c->hs->offered = (flags & 1) ? ~0ull : default_offered;
        ret = mt_parse_encrypted_extensions(c, &r, &x);
        check_result(c, ret);
        break;
    }
    case 3: {
        mt_certificate_msg m;
        c = new_conn(client_none);
        ret = mt_parse_certificate(c, &r, &m);
        check_result(c, ret);
        if (ret == 0) {
            if (m.n > MT_MAX_CHAIN_LEN)
                abort();
            for (size_t i = 0; i < m.n; i++)
                if (m.der_len[i] == 0 || m.der[i] < body || m.der[i] + m.der_len[i] > body + len)
                    abort();
        }
        break;
    }
    case 4:
        /* as after a handshake: a suite, no handshake state */
        c = new_conn(client_none);
        set_suite(c, (uint8_t)(flags >> 2));
        c->state = MT_ST_CONNECTED;
        mt_hs_free(c);
        ret = mt_handle_new_session_ticket(c, &r, body, len);
        check_result(c, ret);
        break;
    case 5:
        c = new_conn((flags & 2) ? server : client_none);
        set_suite(c, (uint8_t)(flags >> 2));
        mt_hs_free(c);
        c->state = MT_ST_CONNECTED;
        ret = mt_handle_key_update(c, &r, body, len);
        check_result(c, ret);
        if (ret == 0 && c->ku_received != 1)
            abort();
        fz_drain(c, NULL);
        break;
    case 6:
        c = new_conn((flags & 8) ? tail_verify : tail_none);
        if (mutls_conn_set_server_name(c, "localhost") != 0)
            abort();
        c->hs->offered = (flags & 1) ? ~0ull : tail_offered;
        set_suite(c, (uint8_t)(flags >> 4));
        c->state = (flags & 4) ? MT_ST_C_WAIT_CERT_CR : MT_ST_C_WAIT_EE;
        if (len > 0)
            ret = mt_hs_receive(c, body, len);
        break;
    case 7:
        c = new_conn(client_none);
        set_suite(c, (uint8_t)(flags >> 2));
        ret = mt_check_certificate_verify(c, &r, peer_keys[flags & 3], c->cfg->sigs,
                                          c->cfg->n_sigs);
        if (ret == 0)
            abort(); /* nobody can sign this transcript */
        check_result(c, ret);
        break;
    case 8:
        c = new_conn(client_none);
        set_suite(c, flags);
        ret = mt_check_finished(c, &r, c->hs->s_hs_secret);
        check_result(c, ret);
        break;
    default:
        c = new_conn(server);
        if (len > 0)
            ret = mt_hs_receive(c, body, len);
        fz_drain(c, NULL);
        break;
    }
    (void)ret;
    mutls_conn_free(c);
    return 0;
}
