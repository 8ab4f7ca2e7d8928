/* ClientHello (RFC 8446 section 4.1.2): built by the client, parsed by the
 * server. */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include "tls13/handshake.h"

static int is_ip_literal(const char *name)
{
    uint8_t tmp[16];
    return inet_pton(AF_INET, name, tmp) == 1 || inet_pton(AF_INET6, name, tmp) == 1;
}

/* Generate (or reuse) the key shares to offer: the first configured group,
 * or after a HelloRetryRequest the one the server asked for. */
static int make_shares(mutls_conn *c, const uint8_t **pubs, size_t *lens, uint16_t *groups,
                       uint8_t pub_store[][MT_MAX_KX_PUB], size_t *n)
{
    mt_handshake *hs = c->hs;
    uint16_t want = hs->hrr_group ? hs->hrr_group : c->cfg->groups[0];

    for (size_t i = 0; i < hs->n_kx; i++)
        mt_kx_free(hs->kx[i]);
    hs->n_kx = 0;
    if (mt_kx_generate(c->cfg->cx, want, &c->cfg->rng, &hs->kx[0], pub_store[0], &lens[0]) != 0)
        return mt_conn_fail(c, MUTLS_ERR_INTERNAL, MT_ALERT_INTERNAL_ERROR,
                            "could not generate a %s key share", mutls_group_name(want));
    hs->kx_group[0] = want;
    hs->n_kx = 1;
    groups[0] = want;
    pubs[0] = pub_store[0];
    *n = 1;
    return 0;
}

#define OFFER(c, type) ((c)->hs->offered |= 1ull << mt_ext_index(type))

int mt_send_client_hello(mutls_conn *c)
{
    const mutls_config *cfg = c->cfg;
    mt_handshake *hs = c->hs;
    mt_buf *b = &c->scratch;
    uint8_t pub_store[1][MT_MAX_KX_PUB];
    const uint8_t *pubs[1];
    size_t lens[1], n_shares = 0;
    uint16_t share_groups[1], versions[2];
    uint16_t sigs[MT_MAX_SIGS];
    size_t n_sigs = 0, n_versions = 0;
    char detail[1024];
    int ret;

    if (!c->did_hrr) {
        if (mt_random(&cfg->rng, hs->client_random, 32) != 0)
            return mt_conn_fail(c, MUTLS_ERR_INTERNAL, MT_ALERT_INTERNAL_ERROR, "no randomness");
        /* RFC 8446 D.4: a non-empty session id turns on middlebox mode.
         * Resuming TLS 1.2 sends the session's ID, or for a ticket a fresh
         * one that the server echoes when it resumes (RFC 5077 3.4). */
        const mutls_session *rs = c->resume;
        int64_t now = mt_config_now(cfg);
        /* Only for the same server name, and only while fresh. */
        int resume12 = rs != NULL && rs->st.version == MUTLS_TLS1_2 && cfg->min_version <= MUTLS_TLS1_2 &&
                       strcmp(rs->st.sni, c->server_name ? c->server_name : "") == 0 &&
                       (cfg->verify == MUTLS_VERIFY_NONE || rs->st.peer_chain_len > 0) &&
                       now >= rs->st.issued &&
                       (uint64_t)now - (uint64_t)rs->st.issued < rs->st.lifetime;
        hs->session_id_len = cfg->middlebox_compat || (resume12 && rs->ticket_len > 0) ? 32 : 0;
        if (hs->session_id_len && mt_random(&cfg->rng, hs->session_id, 32) != 0)
            return mt_conn_fail(c, MUTLS_ERR_INTERNAL, MT_ALERT_INTERNAL_ERROR, "no randomness");
        if (resume12 && rs->ticket_len == 0 && rs->session_id_len > 0) {
            memcpy(hs->session_id, rs->session_id, rs->session_id_len);
            hs->session_id_len = rs->session_id_len;
        }
        if (resume12 && (rs->ticket_len > 0 || rs->session_id_len > 0)) {
            memcpy(hs->session_id12, hs->session_id, hs->session_id_len);
            hs->session_id12_len = hs->session_id_len;
        }
    }
    if (cfg->max_version >= MUTLS_TLS1_3 &&
        (ret = make_shares(c, pubs, lens, share_groups, pub_store, &n_shares)) != 0)
        return ret;

    size_t len_off = mt_msg_begin(c, MT_HS_CLIENT_HELLO);
    mt_w_u16(b, 0x0303); /* legacy_version */
    mt_w_bytes(b, hs->client_random, 32);
    size_t v = mt_w_open(b, 1);
    mt_w_bytes(b, hs->session_id, hs->session_id_len);
    mt_w_close(b, v, 1);
    v = mt_w_open(b, 2);
    for (size_t i = 0; i < cfg->n_suites; i++) {
        const mt_suite *s = mt_suite_find(cfg->suites[i]);
        if (s && s->max_version >= cfg->min_version && s->min_version <= cfg->max_version)
            mt_w_u16(b, cfg->suites[i]);
    }
    mt_w_close(b, v, 2);
    mt_w_u8(b, 1); /* legacy_compression_methods: null only */
    mt_w_u8(b, 0);

    size_t ext = mt_w_open(b, 2);
    hs->offered = 0;
    if (c->server_name != NULL && !is_ip_literal(c->server_name)) {
        mt_ext_write_server_name(b, c->server_name);
        OFFER(c, MT_EXT_SERVER_NAME);
    }
    int offer13 = cfg->max_version >= MUTLS_TLS1_3, offer12 = cfg->min_version <= MUTLS_TLS1_2;
    if (offer13)
        versions[n_versions++] = MUTLS_TLS1_3;
    if (offer12)
        versions[n_versions++] = MUTLS_TLS1_2;
    /* A TLS 1.2-only client sends the classic hello, without the TLS 1.3
     * extensions. */
    if (offer13) {
        mt_ext_write_supported_versions_ch(b, versions, n_versions);
        OFFER(c, MT_EXT_SUPPORTED_VERSIONS);
    }
    mt_ext_write_supported_groups(b, cfg->groups, cfg->n_groups);
    OFFER(c, MT_EXT_SUPPORTED_GROUPS);
    if (offer13) {
        mt_ext_write_key_share_ch(b, share_groups, pubs, lens, n_shares);
        OFFER(c, MT_EXT_KEY_SHARE);
    }
    if (offer12) {
        int cbc = 0;
        for (size_t i = 0; i < cfg->n_suites; i++) {
            const mt_suite *s = mt_suite_find(cfg->suites[i]);
            cbc |= s && s->max_version == MUTLS_TLS1_2 && s->cipher == MT_CIPHER_CBC;
        }
        mt_ext_write_ec_point_formats(b);
        OFFER(c, MT_EXT_EC_POINT_FORMATS);
        mt_ext_write_empty(b, MT_EXT_EXTENDED_MASTER_SECRET);
        OFFER(c, MT_EXT_EXTENDED_MASTER_SECRET);
        if (cbc) {
            mt_ext_write_empty(b, MT_EXT_ENCRYPT_THEN_MAC);
            OFFER(c, MT_EXT_ENCRYPT_THEN_MAC);
        }
        /* RFC 5746 section 3.4: signal secure renegotiation support. */
        mt_ext_write_renegotiation_info(b);
        OFFER(c, MT_EXT_RENEGOTIATION_INFO);
        /* RFC 5077: ask for a ticket, or present ours. */
        const mutls_session *rs = c->resume;
        int t12 = rs != NULL && rs->st.version == MUTLS_TLS1_2 && rs->ticket_len > 0 &&
                  hs->session_id12_len > 0;
        mt_ext_write_session_ticket(b, t12 ? rs->ticket : NULL, t12 ? rs->ticket_len : 0);
        OFFER(c, MT_EXT_SESSION_TICKET);
    }
    for (size_t i = 0; i < cfg->n_sigs; i++)
        sigs[n_sigs++] = cfg->sigs[i];
    mt_ext_write_signature_algorithms(b, MT_EXT_SIGNATURE_ALGORITHMS, sigs, n_sigs);
    OFFER(c, MT_EXT_SIGNATURE_ALGORITHMS);
    if (cfg->alpn_len > 0) {
        mt_ext_write_alpn(b, cfg->alpn, cfg->alpn_len);
        OFFER(c, MT_EXT_ALPN);
    }
    if (cfg->record_size_limit > 0) {
        mt_ext_write_record_size_limit(b, cfg->record_size_limit);
        OFFER(c, MT_EXT_RECORD_SIZE_LIMIT);
    }
    /* RFC 8446 4.2.6: let the server ask for our certificate later. */
    if (offer13 && cfg->n_chains > 0) {
        mt_ext_write_empty(b, MT_EXT_POST_HANDSHAKE_AUTH);
        c->pha_offered = 1;
    }
    if (hs->cookie.len > 0) /* RFC 8446 4.2.2: echo the HRR's cookie */
        mt_ext_write_cookie(b, hs->cookie.data, hs->cookie.len);
    /* RFC 8446 4.2.9: the modes we accept for resumption, in every
     * ClientHello offering TLS 1.3: servers (Go's, ours) send tickets only
     * to a client that lists one. */
    if (offer13)
        mt_ext_write_psk_modes(b, cfg->psk_ke, 1);
    /* RFC 8446 4.2.11: resumption; pre_shared_key comes last. */
    int psk = offer13 && mt_client_psk_usable(c);
    if (psk) {
        /* 0-RTT only with the first ClientHello (RFC 8446 4.2.10). */
        if (!c->did_hrr && c->early_out.len > 0 && c->resume->st.max_early_data > 0) {
            mt_ext_write_early_data(b, 0, 0);
            OFFER(c, MT_EXT_EARLY_DATA);
            hs->early_offered = 1;
        }
        if (mt_client_write_psk(c, b) != 0)
            return mt_conn_fail(c, MUTLS_ERR_INTERNAL, MT_ALERT_INTERNAL_ERROR, "out of memory");
        OFFER(c, MT_EXT_PRE_SHARED_KEY);
    }
    mt_w_close(b, ext, 2);
    if (b->err || mt_w_close(b, len_off, 3) != 0)
        return mt_conn_fail(c, MUTLS_ERR_INTERNAL, MT_ALERT_INTERNAL_ERROR, "out of memory");
    if (psk && (ret = mt_client_fill_binder(c)) != 0)
        return ret;

    size_t dn = (size_t)snprintf(detail, sizeof(detail), "versions=%s key_share=%s sni=%s alpn=%s ",
                                 offer13 && offer12 ? "TLSv1.3,TLSv1.2"
                                 : offer13          ? "TLSv1.3"
                                                    : "TLSv1.2",
                                 n_shares ? mutls_group_name(share_groups[0]) : "-",
                                 (hs->offered & (1ull << mt_ext_index(MT_EXT_SERVER_NAME)))
                                     ? c->server_name : "-",
                                 cfg->alpn_len ? "yes" : "-");
    if (psk && dn < sizeof(detail))
        dn += (size_t)snprintf(detail + dn, sizeof(detail) - dn, "psk=resuming%s ",
                               hs->early_offered ? " early_data" : "");
    else if (hs->session_id12_len > 0 && dn < sizeof(detail))
        dn += (size_t)snprintf(detail + dn, sizeof(detail) - dn, "resuming a TLS 1.2 session ");
    if (dn < sizeof(detail))
        dn += (size_t)snprintf(detail + dn, sizeof(detail) - dn, "suites=");
    for (size_t i = 0, k = 0; i < cfg->n_suites && dn < sizeof(detail); i++) {
        const mt_suite *s = mt_suite_find(cfg->suites[i]);
        if (s && s->max_version >= cfg->min_version && s->min_version <= cfg->max_version)
            dn += (size_t)snprintf(detail + dn, sizeof(detail) - dn, "%s%s", k++ ? "," : "",
                                   s->name);
    }
    if ((ret = mt_msg_send(c, len_off, detail)) != 0)
        return ret;
    return hs->early_offered && !c->did_hrr ? mt_client_send_early_data(c) : 0;
}

int mt_parse_client_hello(mutls_conn *c, mt_reader *r, mt_client_hello *ch)
{
    mt_reader sid, comp, ext;
    uint8_t method;
    int null_comp = 0;

    memset(ch, 0, sizeof(*ch));
    if (mt_r_u16(r, &ch->legacy_version) != 0 || mt_r_bytes(r, 32, &ch->random) != 0 ||
        mt_r_vec(r, 1, 0, 32, &sid) != 0 || mt_r_vec(r, 2, 2, 0xfffe, &ch->suites) != 0 ||
        ch->suites.len % 2 != 0 || mt_r_vec(r, 1, 1, 255, &comp) != 0)
        return MT_DECODE_ERROR(c, "ClientHello");
    ch->session_id = sid.p;
    ch->session_id_len = sid.len;
    ch->compression_len = comp.len;
    while (mt_r_left(&comp) > 0) {
        (void)mt_r_u8(&comp, &method);
        if (method == 0)
            null_comp = 1;
    }
    ch->null_compression = null_comp;
    /* RFC 5246 7.4.1.2: a hello may end after the compression methods
     * (no extensions); otherwise the extensions fill the rest exactly. */
    if (mt_r_left(r) == 0)
        return 0;
    if (mt_r_vec(r, 2, 0, 0xffff, &ext) != 0 || mt_r_done(r) != 0)
        return MT_DECODE_ERROR(c, "ClientHello");
    if (mt_exts_parse(&ext, MT_IN_CH, 0, &ch->ext, &c->err) != 0)
        return c->err.code;
    return 0;
}

int mt_client_hello_offers(const mt_client_hello *ch, uint16_t suite)
{
    mt_reader r = ch->suites;
    uint16_t s;
    while (mt_r_u16(&r, &s) == 0)
        if (s == suite)
            return 1;
    return 0;
}
