/* TLS 1.2 CertificateRequest (RFC 5246 section 7.4.4), client side: pick
 * the chain the server can accept. */
#include <stdio.h>

#include "core/peer.h"
#include "tls12/tls12.h"

int mt_tls12_parse_certificate_request(mutls_conn *c, mt_reader *r)
{
    mt_handshake *hs = c->hs;
    mt_reader types, sigs, cas, name;
    uint16_t offered[MT_MAX_LIST];
    size_t n = 0;

    if (mt_r_vec(r, 1, 1, 255, &types) != 0 || mt_r_vec(r, 2, 2, 0xfffe, &sigs) != 0 ||
        sigs.len % 2 != 0 || mt_r_vec(r, 2, 0, 0xffff, &cas) != 0 || mt_r_done(r) != 0)
        return MT_DECODE_ERROR(c, "CertificateRequest");
    for (mt_reader all = cas; mt_r_left(&all) > 0;)
        if (mt_r_vec(&all, 2, 1, 0xffff, &name) != 0)
            return MT_DECODE_ERROR(c, "CertificateRequest");
    while (n < MT_MAX_LIST && mt_r_u16(&sigs, &offered[n]) == 0)
        n++;
    hs->cert_requested = 1;
    mt_choose_client_chain(c, offered, n, cas.p, cas.len, 1, &hs->chain, &hs->client_sig);
    return 0;
}

int mt_tls12_send_certificate_request(mutls_conn *c)
{
    const mutls_config *cfg = c->cfg;
    mt_buf *b = &c->scratch;
    char detail[900];

    size_t len_off = mt_msg_begin(c, MT_HS_CERTIFICATE_REQUEST);
    /* RFC 5246 7.4.4 / RFC 8422 5.5: rsa_sign, ecdsa_sign. */
    mt_w_u8(b, 2);
    mt_w_u8(b, 1);
    mt_w_u8(b, 64);
    size_t v = mt_w_open(b, 2);
    for (size_t i = 0; i < cfg->n_sigs; i++) {
        const mt_sig_scheme *s = mt_sig_scheme_find(cfg->sigs[i]);
        if (s != NULL && s->hash != MT_SHA1)
            mt_w_u16(b, s->code);
    }
    mt_w_close(b, v, 2);
    v = mt_w_open(b, 2);
    if (cfg->send_ca_names)
        mt_w_bytes(b, cfg->ca_names.data, cfg->ca_names.len);
    mt_w_close(b, v, 2);
    if (b->err)
        return mt_conn_fail(c, MUTLS_ERR_INTERNAL, MT_ALERT_INTERNAL_ERROR, "out of memory");
    c->hs->cert_requested = 1;
    snprintf(detail, sizeof(detail), "client certificate %s; CAs: %s",
             cfg->verify == MUTLS_VERIFY_REQUIRE ? "required" : "requested (optional)",
             cfg->send_ca_names ? (cfg->ca_names_text ? cfg->ca_names_text : "-")
                                : "(names not sent)");
    return mt_msg_send(c, len_off, detail);
}
