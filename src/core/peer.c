#include "core/peer.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tls13/handshake.h"

/* Make `peer` the connection's identity. A post-handshake authentication
 * replaces the identity; the one the application may still hold stays
 * valid until the connection is freed (mutls.h). */
static int set_peer(mutls_conn *c, mutls_peer *peer)
{
    if (c->peer != NULL) {
        mutls_peer **old = realloc(c->old_peers, (c->n_old_peers + 1) * sizeof(*old));
        if (old == NULL) {
            mt_peer_free(peer);
            return mt_conn_fail(c, MUTLS_ERR_INTERNAL, MT_ALERT_INTERNAL_ERROR, "out of memory");
        }
        c->old_peers = old;
        c->old_peers[c->n_old_peers++] = c->peer;
    }
    c->peer = peer;
    return 0;
}

int mt_accept_peer_chain(mutls_conn *c, const uint8_t *const *der, const size_t *der_len,
                         size_t n, mt_x509 **leaf)
{
    const mutls_config *cfg = c->cfg;
    int server_cert = c->role == MUTLS_CLIENT;
    const char *who = server_cert ? "server" : "client";
    mutls_peer *peer;
    int ret;

    *leaf = NULL;
    if (cfg->verify == MUTLS_VERIFY_NONE && server_cert) {
        if (mt_x509_from_der(der[0], der_len[0], leaf) != 0 ||
            (peer = mt_peer_new_parsed(*leaf, der, der_len, n)) == NULL)
            return mt_conn_fail(c, MUTLS_ERR_VERIFY, MT_ALERT_BAD_CERTIFICATE,
                                "server certificate could not be parsed");
        mt_peer_set_verified(peer, 0, "verification disabled");
        return set_peer(c, peer);
    }
    mt_verify_params p;
    memset(&p, 0, sizeof(p));
    p.host = server_cert ? c->server_name : NULL;
    p.now = mt_config_now(cfg);
    p.want_server = server_cert;
    p.max_depth = cfg->verify_depth;
    p.min_rsa_bits = server_cert ? 0 : 2048;
    ret = mt_verify_chain(server_cert ? cfg->trust : cfg->client_trust, der, der_len, n, &p, who,
                          leaf, &c->err);
    /* The identity is kept whatever the verdict (for logs); on success the
     * leaf the verification parsed is reused. */
    peer = mt_peer_new_parsed(ret == 0 ? *leaf : NULL, der, der_len, n);
    if (peer == NULL)
        return ret != 0 ? ret
                        : mt_conn_fail(c, MUTLS_ERR_VERIFY, MT_ALERT_BAD_CERTIFICATE,
                                       "%s certificate could not be parsed", who);
    mt_peer_set_verified(peer, ret == 0, ret == 0 ? "" : c->err.msg);
    int set = set_peer(c, peer);
    if (ret != 0 || set != 0)
        return ret != 0 ? ret : set;
    /* The verified chain goes with the sessions made from now on (tickets,
     * cache entries, the client's session), so that a resumption restores
     * this identity and the server can check it again. An unverified
     * chain (verification off) is not kept: a resumed identity is marked
     * verified. */
    mt_buf_reset(&c->peer_chain);
    for (size_t i = 0; i < n; i++) {
        mt_w_u24(&c->peer_chain, (uint32_t)der_len[i]);
        mt_w_bytes(&c->peer_chain, der[i], der_len[i]);
    }
    if (c->peer_chain.err) {
        mt_buf_reset(&c->peer_chain);
        return mt_conn_fail(c, MUTLS_ERR_INTERNAL, MT_ALERT_INTERNAL_ERROR, "out of memory");
    }
    return 0;
}

int mt_server_take_client_chain(mutls_conn *c, const uint8_t *const *der, const size_t *der_len,
                                size_t n)
{
    char detail[700];
    int ret;
    if (n == 0) {
        mt_trace(c, 0, MT_HS_CERTIFICATE, "Certificate", "empty (no client certificate)");
        return mt_no_client_certificate(c);
    }
    mt_x509_free(c->hs->peer_leaf);
    c->hs->peer_leaf = NULL;
    if ((ret = mt_accept_peer_chain(c, der, der_len, n, &c->hs->peer_leaf)) != 0)
        return ret;
    snprintf(detail, sizeof(detail), "%zu certificate(s), subject %s, issuer %s, verified", n,
             mutls_peer_subject(c->peer), mutls_peer_issuer(c->peer));
    mt_trace(c, 0, MT_HS_CERTIFICATE, "Certificate", detail);
    return 0;
}

int mt_no_client_certificate(mutls_conn *c)
{
    if (c->cfg->verify != MUTLS_VERIFY_REQUIRE)
        return 0;
    return mt_conn_fail(c, MUTLS_ERR_VERIFY,
                        c->version == MUTLS_TLS1_3 ? MT_ALERT_CERTIFICATE_REQUIRED
                                                   : MT_ALERT_HANDSHAKE_FAILURE,
                        "the client sent no certificate, and this server requires one (it "
                        "accepts certificates from: %s)",
                        c->cfg->ca_names_text ? c->cfg->ca_names_text : "?");
}

static int listed(const uint16_t *l, size_t n, uint16_t v)
{
    for (size_t i = 0; i < n; i++)
        if (l[i] == v)
            return 1;
    return 0;
}

void mt_choose_client_chain(mutls_conn *c, const uint16_t *sigs, size_t n_sigs,
                            const uint8_t *ca_names, size_t ca_len, int tls12,
                            const mt_cert_chain **chain, const mt_sig_scheme **scheme)
{
    const mutls_config *cfg = c->cfg;
    char *cas = ca_len ? mt_dn_list_text(ca_names, ca_len) : NULL;
    char why[1400];
    int wrong_ca = 0, wrong_sig = 0;

    *chain = NULL;
    *scheme = NULL;
    for (size_t i = 0; i < cfg->n_chains && *chain == NULL; i++) {
        const mt_cert_chain *ch = cfg->chains[i];
        if (ca_len > 0 && !mt_cert_chain_issued_by(ch, ca_names, ca_len)) {
            wrong_ca++;
            continue;
        }

        for (size_t j = 0; j < cfg->n_sigs && *chain == NULL; j++) {
            const mt_sig_scheme *s = mt_sig_scheme_find(cfg->sigs[j]);
            if (s == NULL || !listed(sigs, n_sigs, s->code))
                continue;
            if (tls12 ? (s->hash != MT_SHA1 && mt_sig_scheme_fits_key_tls12(s, ch->key))
                      : (s->handshake_ok && mt_sig_scheme_fits_key(s, ch->key))) {
                *chain = ch;
                *scheme = s;
            }
        }
        if (*chain == NULL)
            wrong_sig++;
    }
    if (*chain != NULL)
        snprintf(why, sizeof(why), "sending %s (%s, signing with %s)%s%s", (*chain)->subject,
                 mt_key_type_name(mt_pkey_type((*chain)->key)), (*scheme)->name,
                 ca_len ? ": issued by a CA the server accepts" : "",
                 ca_len ? "" : ": the server named no CAs");
    else if (cfg->n_chains == 0)
        snprintf(why, sizeof(why), "no client certificate is configured: sending an empty "
                                   "Certificate");
    else
        snprintf(why, sizeof(why), "none of the %zu configured client certificates fits (%d not "
                 "issued by a CA the server accepts, %d without a signature scheme it accepts): "
                 "sending an empty Certificate", cfg->n_chains, wrong_ca, wrong_sig);
    size_t wl = strlen(why);
    /* Sent as configured (as other stacks do), but say what will happen. */
    if (*chain != NULL && !mt_x509_usable_for_client((*chain)->leaf)) {
        snprintf(why + wl, sizeof(why) - wl, "; warning: its extended key usage leaves out "
                 "client authentication, so the server will likely refuse it");
        wl = strlen(why);
    }
    snprintf(why + wl, sizeof(why) - wl, "; server accepts certificates from: %s",
             cas ? cas : "(the server did not name its CAs)");
    mt_trace(c, 0, MT_HS_CERTIFICATE_REQUEST, "CertificateRequest", why);

    free(c->client_auth_note);
    c->client_auth_note = NULL;
    char note[1200];
    if (*chain != NULL)
        snprintf(note, sizeof(note), "the server rejected our client certificate %s",
                 (*chain)->subject);
    else if (cfg->n_chains == 0)
        snprintf(note, sizeof(note), "the server requires a client certificate and none is "
                                     "configured");
    else
        snprintf(note, sizeof(note), "the server requires a client certificate and none of ours "
                                     "fits its request");
    if (cas != NULL) {
        size_t l = strlen(note);
        snprintf(note + l, sizeof(note) - l, " (it accepts certificates from: %s)", cas);
    }
    c->client_auth_note = strdup(note);
    c->client_auth_empty = *chain == NULL;
    free(cas);
}

void mt_explain_client_auth_alert(mutls_conn *c, uint8_t alert)
{
    if (c->role != MUTLS_CLIENT || c->client_auth_note == NULL)
        return;
    /* After an empty Certificate any fatal alert is most likely the
     * server's refusal (GnuTLS answers with decode_error). */
    if (c->client_auth_empty && alert != MT_ALERT_CLOSE_NOTIFY)
        goto explain;
    switch (alert) {
    case MT_ALERT_CERTIFICATE_REQUIRED:
    case MT_ALERT_BAD_CERTIFICATE:
    case MT_ALERT_UNSUPPORTED_CERTIFICATE:
    case MT_ALERT_CERTIFICATE_REVOKED:
    case MT_ALERT_CERTIFICATE_EXPIRED:
    case MT_ALERT_CERTIFICATE_UNKNOWN:
    case MT_ALERT_UNKNOWN_CA:
    case MT_ALERT_ACCESS_DENIED:
    case MT_ALERT_HANDSHAKE_FAILURE:
    case MT_ALERT_DECRYPT_ERROR:
        break;
    default:
        return;
    }
explain:;
    size_t l = strlen(c->err.msg);
    snprintf(c->err.msg + l, sizeof(c->err.msg) - l, ": %s", c->client_auth_note);
}
