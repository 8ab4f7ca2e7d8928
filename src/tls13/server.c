/* The TLS 1.3 server (RFC 8446 section 2, figure 1, right column). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tls12/tls12.h"
#include "tls13/handshake.h"

static int list_has(const uint16_t *l, size_t n, uint16_t v)
{
    for (size_t i = 0; i < n; i++)
        if (l[i] == v)
            return 1;
    return 0;
}

/* The server's own preference order decides (RFC 8446 leaves it open). */
static const mt_suite *choose_suite(const mutls_config *cfg, const mt_client_hello *ch)
{
    for (size_t i = 0; i < cfg->n_suites; i++) {
        const mt_suite *ours = mt_suite_find(cfg->suites[i]);
        mt_reader r = ch->suites;
        uint16_t s;
        if (ours == NULL || ours->min_version != MUTLS_TLS1_3)
            continue;
        while (mt_r_u16(&r, &s) == 0)
            if (s == ours->code)
                return ours;
    }
    return NULL;
}

/* 1 if every certificate we would send is signed with a scheme the client
 * lists in signature_algorithms_cert (or, without it, in
 * signature_algorithms), RFC 8446 section 4.2.3. The last certificate may
 * be a trust anchor the client has, but it is checked too. */
static int chain_signatures_ok(const mt_cert_chain *chain, const mt_client_hello *ch)
{
    const uint16_t *l = ch->ext.n_sigs_cert ? ch->ext.sigs_cert : ch->ext.sigs;
    size_t n = ch->ext.n_sigs_cert ? ch->ext.n_sigs_cert : ch->ext.n_sigs;
    for (size_t i = 0; i < chain->n; i++)
        if (!list_has(l, n, chain->sig_schemes[i]))
            return 0;
    return 1;
}

/* Certificate and signature scheme: among the chains valid for the SNI
 * (all of them if none is), the first whose key can sign with a scheme the
 * client accepts, in our order of preference; chains signed only with
 * algorithms the client accepts first (RFC 8446 section 4.4.2.2: otherwise
 * send a chain of our choice). */
static int choose_certificate(mutls_conn *c, const mt_client_hello *ch, const mt_cert_chain **chain,
                              const mt_sig_scheme **scheme)
{
    const mutls_config *cfg = c->cfg;
    int any_named = 0;
    if (c->sni != NULL)
        for (size_t i = 0; i < cfg->n_chains; i++)
            any_named |= mt_cert_chain_matches_name(cfg->chains[i], c->sni);
    for (int strict = 1; strict >= 0; strict--)
        for (size_t i = 0; i < cfg->n_chains; i++) {
            if (any_named && !mt_cert_chain_matches_name(cfg->chains[i], c->sni))
                continue;
            if (strict && !chain_signatures_ok(cfg->chains[i], ch))
                continue;
            for (size_t j = 0; j < cfg->n_sigs; j++) {
                const mt_sig_scheme *s = mt_sig_scheme_find(cfg->sigs[j]);
                if (s && s->handshake_ok && list_has(ch->ext.sigs, ch->ext.n_sigs, s->code) &&
                    mt_sig_scheme_fits_key(s, cfg->chains[i]->key)) {
                    *chain = cfg->chains[i];
                    *scheme = s;
                    return 0;
                }
            }
        }
    return -1;
}

/* RFC 7301 section 3.2: our preference; no overlap is fatal. */
int mt_server_choose_alpn(mutls_conn *c, const mt_client_hello *ch)
{
    const mutls_config *cfg = c->cfg;
    mt_reader ours = mt_reader_init(cfg->alpn, cfg->alpn_len), a;
    if (!mt_exts_has(&ch->ext, MT_EXT_ALPN) || cfg->alpn_len == 0)
        return 0;
    while (mt_r_vec(&ours, 1, 1, 255, &a) == 0) {
        mt_reader theirs = mt_reader_init(ch->ext.alpn, ch->ext.alpn_len), b;
        while (mt_r_vec(&theirs, 1, 1, 255, &b) == 0)
            if (a.len == b.len && memcmp(a.p, b.p, a.len) == 0) {
                c->alpn = strndup((const char *)a.p, a.len);
                return c->alpn ? 0
                               : mt_conn_fail(c, MUTLS_ERR_INTERNAL, MT_ALERT_INTERNAL_ERROR,
                                              "out of memory");
            }
    }
    return mt_conn_fail(c, MUTLS_ERR_NEGOTIATION, MT_ALERT_NO_APPLICATION_PROTOCOL,
                        "no ALPN protocol in common with the client");
}

/* Pick the group: a key share the client sent for a group we accept (our
 * preference among those), or else the most preferred group we both
 * support, for a HelloRetryRequest. Returns the key share index, or -1
 * with *hrr_group set, or -2 when nothing is in common. */
static int choose_group(const mutls_config *cfg, const mt_client_hello *ch, uint16_t *hrr_group)
{
    for (size_t i = 0; i < cfg->n_groups; i++)
        for (size_t k = 0; k < ch->ext.n_shares; k++)
            if (ch->ext.shares[k].group == cfg->groups[i] &&
                list_has(ch->ext.groups, ch->ext.n_groups, cfg->groups[i]))
                return (int)k;
    for (size_t i = 0; i < cfg->n_groups; i++)
        if (list_has(ch->ext.groups, ch->ext.n_groups, cfg->groups[i])) {
            *hrr_group = cfg->groups[i];
            return -1;
        }
    return -2;
}

static void list_names(char *out, size_t cap, const uint16_t *l, size_t n,
                       const char *(*name)(uint16_t))
{
    size_t o = 0;
    out[0] = '\0';
    for (size_t i = 0; i < n && o + 1 < cap; i++) {
        const char *nm = name(l[i]);
        int w = nm ? snprintf(out + o, cap - o, "%s%s", i ? ", " : "", nm)
                   : snprintf(out + o, cap - o, "%s0x%04x", i ? ", " : "", l[i]);
        if (w < 0)
            break;
        o += (size_t)w;
    }
    if (n == 0)
        snprintf(out, cap, "none");
}

static const char *version_words(uint16_t v)
{
    return v == 0x0300 ? "SSL 3.0" : v == 0x0301 ? "TLS 1.0" : v == 0x0302 ? "TLS 1.1" : "TLS 1.2";
}

/* RFC 8446 section 4.2.1: supported_versions decides; without it the
 * legacy_version does (RFC 5246). Below TLS 1.2 is refused (RFC 8996).
 * Returns the version, or 0 after recording the failure. */
static uint16_t choose_version(mutls_conn *c, const mt_client_hello *ch)
{
    const mutls_config *cfg = c->cfg;
    uint16_t best = 0;
    if (mt_exts_has(&ch->ext, MT_EXT_SUPPORTED_VERSIONS)) {
        if (cfg->max_version >= MUTLS_TLS1_3 && list_has(ch->ext.versions, ch->ext.n_versions, MUTLS_TLS1_3))
            best = MUTLS_TLS1_3;
        else if (cfg->min_version <= MUTLS_TLS1_2 &&
                 list_has(ch->ext.versions, ch->ext.n_versions, MUTLS_TLS1_2))
            best = MUTLS_TLS1_2;
    } else if (ch->legacy_version >= MUTLS_TLS1_2 && cfg->min_version <= MUTLS_TLS1_2) {
        best = MUTLS_TLS1_2;
    }
    if (best != 0)
        return best;
    if (ch->legacy_version < MUTLS_TLS1_2 && !mt_exts_has(&ch->ext, MT_EXT_SUPPORTED_VERSIONS))
        mt_conn_fail(c, MUTLS_ERR_NEGOTIATION, MT_ALERT_PROTOCOL_VERSION,
                     "client offered only %s (0x%04x), which is obsolete and refused (RFC 8996)",
                     version_words(ch->legacy_version), ch->legacy_version);
    else
        mt_conn_fail(c, MUTLS_ERR_NEGOTIATION, MT_ALERT_PROTOCOL_VERSION,
                     "no TLS version in common: this server allows %s",
                     cfg->min_version == cfg->max_version
                         ? (cfg->max_version == MUTLS_TLS1_3 ? "TLS 1.3 only" : "TLS 1.2 only")
                         : "TLS 1.2 and TLS 1.3");
    return 0;
}

static int negotiate_basics(mutls_conn *c, const mt_client_hello *ch)
{
    const mutls_config *cfg = c->cfg;
    char theirs[400], ours[200];

    /* RFC 8446 section 4.1.2: TLS 1.3 hellos offer only null compression. */
    if (ch->compression_len != 1 || !ch->null_compression)
        return mt_conn_fail(c, MUTLS_ERR_PROTOCOL, MT_ALERT_ILLEGAL_PARAMETER,
                            "client offered compression, which TLS 1.3 forbids");
    const mt_suite *s = choose_suite(cfg, ch);
    if (s == NULL) {
        uint16_t l[32];
        size_t n = 0;
        mt_reader r = ch->suites;
        while (n < 32 && mt_r_u16(&r, &l[n]) == 0)
            n++;
        list_names(theirs, sizeof(theirs), l, n, mutls_cipher_suite_name);
        list_names(ours, sizeof(ours), cfg->suites, cfg->n_suites, mutls_cipher_suite_name);
        return mt_conn_fail(c, MUTLS_ERR_NEGOTIATION, MT_ALERT_HANDSHAKE_FAILURE,
                            "no cipher suite in common: client offers %s; server allows %s",
                            theirs, ours);
    }
    if (c->suite != NULL && c->suite != s)
        return mt_conn_fail(c, MUTLS_ERR_PROTOCOL, MT_ALERT_ILLEGAL_PARAMETER,
                            "second ClientHello changed the cipher suite");
    c->suite = s;
    /* RFC 8446 section 4.2.3 / 9.2: mandatory extensions. */
    if (!mt_exts_has(&ch->ext, MT_EXT_SIGNATURE_ALGORITHMS))
        return mt_conn_fail(c, MUTLS_ERR_PROTOCOL, MT_ALERT_MISSING_EXTENSION,
                            "client sent no signature_algorithms");
    /* A client offering only psk_ke may leave out key_share (RFC 8446
     * 9.2); the PSK choice then decides. */
    int psk_ke_only = mt_exts_has(&ch->ext, MT_EXT_PRE_SHARED_KEY) &&
                      (ch->ext.psk_modes & 3) == 1 && c->cfg->psk_ke;
    if ((!mt_exts_has(&ch->ext, MT_EXT_SUPPORTED_GROUPS) || !mt_exts_has(&ch->ext, MT_EXT_KEY_SHARE)) &&
        !psk_ke_only)
        return mt_conn_fail(c, MUTLS_ERR_PROTOCOL, MT_ALERT_MISSING_EXTENSION,
                            "client sent no %s",
                            mt_exts_has(&ch->ext, MT_EXT_KEY_SHARE) ? "supported_groups" : "key_share");
    /* RFC 8446 section 4.2.8: each share must be for an offered group. */
    for (size_t k = 0; k < ch->ext.n_shares; k++)
        if (!list_has(ch->ext.groups, ch->ext.n_groups, ch->ext.shares[k].group))
            return mt_conn_fail(c, MUTLS_ERR_PROTOCOL, MT_ALERT_ILLEGAL_PARAMETER,
                                "key_share for group 0x%04x not listed in supported_groups",
                                ch->ext.shares[k].group);
    return 0;
}

static int send_hello_retry_request(mutls_conn *c, const uint8_t *msg, size_t len, uint16_t group)
{
    mt_handshake *hs = c->hs;
    uint8_t cookie[32];
    int ret;

    hs->hrr_group = group;
    /* A fresh random cookie the client must echo (RFC 8446 4.2.2). */
    if (mt_random(&c->cfg->rng, cookie, sizeof(cookie)) != 0 ||
        mt_w_bytes(&hs->cookie, cookie, sizeof(cookie)) != 0)
        return mt_conn_fail(c, MUTLS_ERR_INTERNAL, MT_ALERT_INTERNAL_ERROR, "no randomness");
    c->did_hrr = 1;
    if (mt_transcript_add(c, msg, len) != 0 || mt_transcript_replace_with_message_hash(c) != 0)
        return mt_conn_fail(c, MUTLS_ERR_INTERNAL, MT_ALERT_INTERNAL_ERROR, "transcript failure");
    if ((ret = mt_send_server_hello(c, 1, NULL, 0)) != 0)
        return ret;
    if (hs->session_id_len > 0 && (ret = mt_send_ccs(c)) != 0)
        return ret;
    c->state = MT_ST_S_WAIT_CH2;
    return 0;
}

static int check_second_client_hello(mutls_conn *c, const mt_client_hello *ch)
{
    mt_handshake *hs = c->hs;
    /* RFC 8446 section 4.1.2: the second ClientHello repeats the first
     * except for the key share, the cookie and PSK details. */
    if (ch->session_id_len != hs->session_id_len ||
        memcmp(ch->session_id, hs->session_id, hs->session_id_len) != 0)
        return mt_conn_fail(c, MUTLS_ERR_PROTOCOL, MT_ALERT_ILLEGAL_PARAMETER,
                            "second ClientHello changed legacy_session_id");
    if (ch->ext.n_shares != 1 || ch->ext.shares[0].group != hs->hrr_group)
        return mt_conn_fail(c, MUTLS_ERR_PROTOCOL, MT_ALERT_ILLEGAL_PARAMETER,
                            "second ClientHello does not carry exactly one key share for %s",
                            mutls_group_name(hs->hrr_group));
    if (ch->ext.cookie_len != hs->cookie.len ||
        !mt_ct_equal(ch->ext.cookie, hs->cookie.data, hs->cookie.len))
        return mt_conn_fail(c, MUTLS_ERR_PROTOCOL, MT_ALERT_ILLEGAL_PARAMETER,
                            "second ClientHello does not echo the cookie");
    return 0;
}

static int send_server_flight(mutls_conn *c, const mt_client_hello *ch, const mt_key_share *share,
                              const uint8_t *msg, size_t len)
{
    const mutls_config *cfg = c->cfg;
    mt_handshake *hs = c->hs;
    const mt_cert_chain *chain = NULL;
    const mt_sig_scheme *scheme = NULL;
    uint8_t pub[MT_MAX_KX_PUB], dhe[MT_MAX_KX_SECRET], th[MT_MAX_HASH];
    size_t pub_len = sizeof(pub), dhe_len = sizeof(dhe);
    int resumed = hs->psk_selected >= 0;
    int ret;

    /* A resumed session authenticates with the PSK (RFC 8446 2.2). */
    if (!resumed && choose_certificate(c, ch, &chain, &scheme) != 0) {
        char theirs[600];
        list_names(theirs, sizeof(theirs), ch->ext.sigs, ch->ext.n_sigs, mutls_sig_scheme_name);
        return mt_conn_fail(c, MUTLS_ERR_NEGOTIATION, MT_ALERT_HANDSHAKE_FAILURE,
                            "no server certificate can sign with a scheme the client accepts "
                            "(client accepts: %s)", theirs);
    }
    hs->chain = chain;
    c->sig_scheme = scheme ? scheme->code : 0;
    c->group = share ? share->group : 0;
    c->version = MUTLS_TLS1_3;
    c->resumed = resumed;

    if (mt_transcript_start_hash(c, c->suite->hash) != 0 || mt_transcript_add(c, msg, len) != 0)
        return mt_conn_fail(c, MUTLS_ERR_INTERNAL, MT_ALERT_INTERNAL_ERROR, "transcript failure");
    if (!resumed) {
        mt_ks_init(&hs->ks, cfg->cx, c->suite->hash);
        if (mt_ks_early(&hs->ks, NULL, 0) != 0)
            return mt_conn_fail(c, MUTLS_ERR_INTERNAL, MT_ALERT_INTERNAL_ERROR,
                                "key derivation failed");
    }
    if ((ret = mt_server_accept_early_data(c, ch)) != 0)
        return ret;
    if (hs->early_accepted) {
        /* client_early_traffic_secret: Hash(ClientHello), early stage. */
        if (mt_transcript_hash(c, th) != 0 || (ret = mt_server_install_early_key(c, th)) != 0)
            return ret != 0 ? ret : mt_conn_fail(c, MUTLS_ERR_INTERNAL, MT_ALERT_INTERNAL_ERROR,
                                                 "transcript failure");
    }
    if (mt_random(&cfg->rng, hs->server_random, 32) != 0)
        return mt_conn_fail(c, MUTLS_ERR_INTERNAL, MT_ALERT_INTERNAL_ERROR, "no randomness");
    if (hs->psk_ke) {
        /* psk_ke: no (EC)DHE, a zero input (RFC 8446 7.1). */
        memset(dhe, 0, sizeof(dhe));
        dhe_len = mt_hash_size(c->suite->hash);
        pub_len = 0;
    } else {
        mt_kx *kx = NULL;
        if (mt_kx_generate(cfg->cx, share->group, &cfg->rng, &kx, pub, &pub_len) != 0)
            return mt_conn_fail(c, MUTLS_ERR_INTERNAL, MT_ALERT_INTERNAL_ERROR,
                                "could not generate a key share");
        ret = mt_kx_derive(kx, share->pub, share->len, dhe, &dhe_len);
        mt_kx_free(kx);
        if (ret != 0)
            return mt_conn_fail(c, MUTLS_ERR_PROTOCOL, MT_ALERT_ILLEGAL_PARAMETER,
                                "client's %s key share is invalid", mutls_group_name(share->group));
    }
    if ((ret = mt_send_server_hello(c, 0, hs->psk_ke ? NULL : pub, pub_len)) != 0) {
        mt_wipe(dhe, sizeof(dhe));
        return ret;
    }
    ret = -1;
    if (mt_transcript_hash(c, th) == 0 && mt_ks_handshake(&hs->ks, dhe, dhe_len) == 0 &&
        mt_ks_derive(&hs->ks, "c hs traffic", th, hs->c_hs_secret) == 0 &&
        mt_ks_derive(&hs->ks, "s hs traffic", th, hs->s_hs_secret) == 0)
        ret = 0;
    mt_wipe(dhe, sizeof(dhe));
    if (ret != 0)
        return mt_conn_fail(c, MUTLS_ERR_INTERNAL, MT_ALERT_INTERNAL_ERROR,
                            "handshake key derivation failed");
    mt_keylog(c, "CLIENT_HANDSHAKE_TRAFFIC_SECRET", hs->c_hs_secret);
    mt_keylog(c, "SERVER_HANDSHAKE_TRAFFIC_SECRET", hs->s_hs_secret);
    /* RFC 8446 D.4: CCS right after our first flight's first message. */
    if (hs->session_id_len > 0 && (ret = mt_send_ccs(c)) != 0)
        return ret;
    if ((ret = mt_install_secret(c, 1, hs->s_hs_secret)) != 0)
        return ret;
    /* Early data is read with the early key until EndOfEarlyData. */
    if (!hs->early_accepted && (ret = mt_install_secret(c, 0, hs->c_hs_secret)) != 0)
        return ret;
    if (mt_exts_has(&ch->ext, MT_EXT_RECORD_SIZE_LIMIT)) {
        size_t lim = (size_t)ch->ext.record_size_limit - 1;
        c->rec.send_plaintext_max = lim < MT_MAX_PLAINTEXT ? lim : MT_MAX_PLAINTEXT;
        if (cfg->record_size_limit)
            c->rec.recv_inner_max = cfg->record_size_limit;
    }
    if ((ret = mt_send_encrypted_extensions(c, &ch->ext)) != 0)
        return ret;
    if (resumed) {
        if (mt_restore_peer(c, &hs->psk) != 0)
            return mt_conn_fail(c, MUTLS_ERR_INTERNAL, MT_ALERT_INTERNAL_ERROR, "out of memory");
    } else {
        /* RFC 8446 section 4.3.2: ask for the client's certificate, now
         * or, when configured and the client allows it, after the
         * handshake. */
        if (cfg->verify != MUTLS_VERIFY_NONE &&
            !(cfg->defer_client_auth && mt_exts_has(&ch->ext, MT_EXT_POST_HANDSHAKE_AUTH)) &&
            (ret = mt_send_certificate_request(c)) != 0)
            return ret;
        if ((ret = mt_send_certificate(c, chain)) != 0 ||
            (ret = mt_send_certificate_verify(c, chain->key, scheme)) != 0)
            return ret;
    }
    if ((ret = mt_send_finished(c, hs->s_hs_secret)) != 0)
        return ret;
    if ((ret = mt_derive_application_secrets(c)) != 0 ||
        (ret = mt_install_secret(c, 1, c->s_ap_secret)) != 0)
        return ret;
    c->pha_offered = mt_exts_has(&ch->ext, MT_EXT_POST_HANDSHAKE_AUTH);
    c->peer_psk_mode = (ch->ext.psk_modes & 2) != 0 || ((ch->ext.psk_modes & 1) != 0 && c->cfg->psk_ke);
    c->state = hs->early_accepted ? MT_ST_S_WAIT_EOED
               : hs->cert_requested ? MT_ST_S_WAIT_CERT
                                    : MT_ST_S_WAIT_FINISHED;
    return 0;
}

static int handle_client_hello(mutls_conn *c, mt_reader *body, const uint8_t *msg, size_t len)
{
    mt_handshake *hs = c->hs;
    mt_client_hello ch;
    uint16_t hrr_group = 0;
    char detail[700], groups[200];
    int ret, share;

    if ((ret = mt_parse_client_hello(c, body, &ch)) != 0)
        return ret;
    if (c->state == MT_ST_S_WAIT_CH2) {
        if ((ret = check_second_client_hello(c, &ch)) != 0)
            return ret;
    } else {
        memcpy(hs->client_random, ch.random, 32);
        memcpy(hs->session_id, ch.session_id, ch.session_id_len);
        hs->session_id_len = ch.session_id_len;
        if (ch.ext.sni[0] != '\0' && (c->sni = strdup(ch.ext.sni)) == NULL)
            return mt_conn_fail(c, MUTLS_ERR_INTERNAL, MT_ALERT_INTERNAL_ERROR, "out of memory");
    }
    list_names(groups, sizeof(groups), ch.ext.groups, ch.ext.n_groups, mutls_group_name);
    snprintf(detail, sizeof(detail), "%ssni=%s groups=%s key_shares=%zu alpn=%s",
             c->state == MT_ST_S_WAIT_CH2 ? "(after HelloRetryRequest) " : "",
             ch.ext.sni[0] ? ch.ext.sni : "-", groups, ch.ext.n_shares,
             mt_exts_has(&ch.ext, MT_EXT_ALPN) ? "offered" : "-");
    mt_trace(c, 0, MT_HS_CLIENT_HELLO, "ClientHello", detail);
    if (c->state == MT_ST_S_WAIT_CH) {
        uint16_t v = choose_version(c, &ch);
        if (v == 0)
            return c->err.code;
        if (v == MUTLS_TLS1_2)
            return mt_tls12_server_client_hello(c, &ch, msg, len);
    }
    if ((ret = negotiate_basics(c, &ch)) != 0)
        return ret;
    if (c->state != MT_ST_S_WAIT_CH2 && (ret = mt_server_choose_alpn(c, &ch)) != 0)
        return ret;
    if (c->state == MT_ST_S_WAIT_CH)
        hs->early_offered = mt_exts_has(&ch.ext, MT_EXT_EARLY_DATA);
    mt_session_state_clear(&hs->psk);
    if ((ret = mt_server_choose_psk(c, &ch, msg, len)) != 0)
        return ret;
    if (hs->psk_selected >= 0 && hs->psk_ke)
        return send_server_flight(c, &ch, NULL, msg, len);
    if (!mt_exts_has(&ch.ext, MT_EXT_KEY_SHARE))
        return mt_conn_fail(c, MUTLS_ERR_NEGOTIATION, MT_ALERT_HANDSHAKE_FAILURE,
                            "the client offered only a PSK key exchange without (EC)DHE, and the "
                            "PSK could not be used");
    share = choose_group(c->cfg, &ch, &hrr_group);
    if (share == -2) {
        char ours[200];
        list_names(ours, sizeof(ours), c->cfg->groups, c->cfg->n_groups, mutls_group_name);
        return mt_conn_fail(c, MUTLS_ERR_NEGOTIATION, MT_ALERT_HANDSHAKE_FAILURE,
                            "no group in common: client supports %s; server allows %s", groups,
                            ours);
    }
    if (share == -1) {
        if (c->state == MT_ST_S_WAIT_CH2) /* already checked above; defensive */
            return mt_conn_fail(c, MUTLS_ERR_PROTOCOL, MT_ALERT_ILLEGAL_PARAMETER,
                                "second ClientHello still has no usable key share");
        /* Early data cannot follow a HelloRetryRequest: skip it. */
        if (hs->early_offered) {
            c->early_status = MUTLS_EARLY_DATA_REJECTED;
            c->early_skip = mt_server_early_skip_budget(c);
            mt_trace(c, 0, 0, "EarlyData", "early data rejected: a HelloRetryRequest was needed");
        }
        return send_hello_retry_request(c, msg, len, hrr_group);
    }
    return send_server_flight(c, &ch, &ch.ext.shares[share], msg, len);
}

static int handle_finished(mutls_conn *c, mt_reader *body, const uint8_t *msg, size_t len)
{
    int ret;
    if ((ret = mt_check_finished(c, body, c->hs->c_hs_secret)) != 0)
        return ret;
    mt_trace(c, 0, MT_HS_FINISHED, "Finished", "verify_data valid");
    /* The resumption secret covers the client Finished (RFC 8446 7.1), and
     * so does post-handshake authentication. */
    uint8_t th[MT_MAX_HASH];
    if (mt_transcript_add(c, msg, len) != 0 || mt_transcript_hash(c, th) != 0 ||
        mt_ks_derive(&c->hs->ks, "res master", th, c->res_master) != 0)
        return mt_conn_fail(c, MUTLS_ERR_INTERNAL, MT_ALERT_INTERNAL_ERROR,
                            "resumption key derivation failed");
    if (c->pha_offered && c->cfg->client_trust != NULL &&
        (c->pha_base = mt_hash_dup(c->hs->transcript)) == NULL)
        return mt_conn_fail(c, MUTLS_ERR_INTERNAL, MT_ALERT_INTERNAL_ERROR, "out of memory");
    if ((ret = mt_install_secret(c, 0, c->c_ap_secret)) != 0)
        return ret;
    c->state = MT_ST_CONNECTED;
    mt_hs_free(c);
    /* RFC 8446 4.6.1: tickets for later resumption. */
    for (unsigned i = 0; c->cfg->ticket_keys != NULL && i < c->cfg->tickets; i++) {
        if ((ret = mt_server_send_ticket(c)) < 0)
            return ret;
        if (ret > 0) /* not sent: the others would not be either */
            break;
    }
    return 0;
}

/* RFC 8446 4.5: the end of the early data; from here the handshake key. */
static int handle_end_of_early_data(mutls_conn *c, mt_reader *body, const uint8_t *msg, size_t len)
{
    char detail[96];
    if (mt_r_done(body) != 0)
        return MT_DECODE_ERROR(c, "EndOfEarlyData");
    if (mt_transcript_add(c, msg, len) != 0)
        return mt_conn_fail(c, MUTLS_ERR_INTERNAL, MT_ALERT_INTERNAL_ERROR, "transcript failure");
    snprintf(detail, sizeof(detail), "%u bytes of early data accepted", c->early_received);
    mt_trace(c, 0, MT_HS_END_OF_EARLY_DATA, "EndOfEarlyData", detail);
    c->state = MT_ST_S_WAIT_FINISHED;
    return mt_install_secret(c, 0, c->hs->c_hs_secret);
}

const mt_transition mt_tls13_server_table[] = {
    {MT_ST_S_WAIT_CH, MT_HS_CLIENT_HELLO, handle_client_hello},
    {MT_ST_S_WAIT_CH2, MT_HS_CLIENT_HELLO, handle_client_hello},
    {MT_ST_S_WAIT_CERT, MT_HS_CERTIFICATE, mt_server_handle_client_certificate},
    {MT_ST_S_WAIT_CV, MT_HS_CERTIFICATE_VERIFY, mt_server_handle_client_certificate_verify},
    {MT_ST_S_WAIT_EOED, MT_HS_END_OF_EARLY_DATA, handle_end_of_early_data},
    {MT_ST_S_WAIT_FINISHED, MT_HS_FINISHED, handle_finished},
    {MT_ST_CONNECTED, MT_HS_KEY_UPDATE, mt_handle_key_update},
    {MT_ST_CONNECTED, MT_HS_CERTIFICATE, mt_server_pha_certificate},
    {MT_ST_CONNECTED, MT_HS_CERTIFICATE_VERIFY, mt_server_pha_certificate_verify},
    {MT_ST_CONNECTED, MT_HS_FINISHED, mt_server_pha_finished},
};
const size_t mt_tls13_server_table_count =
    sizeof(mt_tls13_server_table) / sizeof(mt_tls13_server_table[0]);
