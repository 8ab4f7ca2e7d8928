/* CertificateRequest (RFC 8446 section 4.3.2): sent by a server that wants
 * a client certificate, during the handshake (empty context) or after it
 * (post-handshake authentication, a fresh random context). */
#include <stdio.h>
#include <string.h>

#include "core/peer.h"
#include "tls13/handshake.h"

int mt_send_certificate_request(mutls_conn *c)
{
    const mutls_config *cfg = c->cfg;
    mt_handshake *hs = c->hs;
    mt_buf *b = &c->scratch;
    char detail[900];

    size_t len_off = mt_msg_begin(c, MT_HS_CERTIFICATE_REQUEST);
    size_t ctx = mt_w_open(b, 1);
    mt_w_bytes(b, hs->cr_context, hs->cr_context_len);
    mt_w_close(b, ctx, 1);
    size_t ext = mt_w_open(b, 2);
    mt_ext_write_signature_algorithms(b, MT_EXT_SIGNATURE_ALGORITHMS, cfg->sigs, cfg->n_sigs);
    if (cfg->send_ca_names && cfg->ca_names.len > 0)
        mt_ext_write_certificate_authorities(b, cfg->ca_names.data, cfg->ca_names.len);
    mt_w_close(b, ext, 2);
    if (b->err)
        return mt_conn_fail(c, MUTLS_ERR_INTERNAL, MT_ALERT_INTERNAL_ERROR, "out of memory");
    hs->cert_requested = 1;
    snprintf(detail, sizeof(detail), "%sclient certificate %s; CAs: %s",
             hs->cr_context_len ? "post-handshake: " : "",
             cfg->verify == MUTLS_VERIFY_REQUIRE ? "required" : "requested (optional)",
             cfg->send_ca_names ? (cfg->ca_names_text ? cfg->ca_names_text : "-")
                                : "(names not sent)");
    return mt_msg_send(c, len_off, detail);
}

int mt_parse_certificate_request(mutls_conn *c, mt_reader *body, mt_exts *x)
{
    mt_reader ctx, ext;
    memset(x, 0, sizeof(*x));
    if (mt_r_vec(body, 1, 0, 255, &ctx) != 0 || mt_r_vec(body, 2, 2, 0xffff, &ext) != 0 ||
        mt_r_done(body) != 0)
        return MT_DECODE_ERROR(c, "CertificateRequest");
    if (mt_exts_parse(&ext, MT_IN_CR, ~0ull, x, &c->err) != 0)
        return c->err.code;
    /* RFC 8446 section 4.3.2: signature_algorithms must be present. */
    if (!mt_exts_has(x, MT_EXT_SIGNATURE_ALGORITHMS))
        return mt_conn_fail(c, MUTLS_ERR_PROTOCOL, MT_ALERT_MISSING_EXTENSION,
                            "CertificateRequest without signature_algorithms");
    memcpy(c->hs->cr_context, ctx.p, ctx.len);
    c->hs->cr_context_len = ctx.len;
    c->hs->cert_requested = 1;
    mt_choose_client_chain(c, x->sigs, x->n_sigs, x->ca_names, x->ca_names_len, 0, &c->hs->chain,
                           &c->hs->client_sig);
    return 0;
}
