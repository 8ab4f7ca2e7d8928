/* TLS 1.2 CertificateRequest (RFC 5246 section 7.4.4), client side: pick
 * the chain the server can accept. */
#include <stdio.h>

#include "tls12/tls12.h"

int mt_tls12_parse_certificate_request(mutls_conn *c, mt_reader *r)
{
    mt_handshake *hs = c->hs;
    mt_reader types, sigs, cas;
    uint16_t offered[MT_MAX_LIST];
    size_t n = 0;

    if (mt_r_vec(r, 1, 1, 255, &types) != 0 || mt_r_vec(r, 2, 2, 0xfffe, &sigs) != 0 ||
        sigs.len % 2 != 0 || mt_r_vec(r, 2, 0, 0xffff, &cas) != 0 || mt_r_done(r) != 0)
        return MT_DECODE_ERROR(c, "CertificateRequest");
    while (n < MT_MAX_LIST && mt_r_u16(&sigs, &offered[n]) == 0)
        n++;
    hs->cert_requested = 1;
    hs->chain = NULL;
    for (size_t i = 0; i < c->cfg->n_chains && hs->chain == NULL; i++)
        for (size_t j = 0; j < c->cfg->n_sigs && hs->chain == NULL; j++) {
            const mt_sig_scheme *s = mt_sig_scheme_find(c->cfg->sigs[j]);
            int allowed = 0;
            for (size_t k = 0; k < n; k++)
                allowed |= offered[k] == c->cfg->sigs[j];
            if (allowed && s && mt_sig_scheme_fits_key_tls12(s, c->cfg->chains[i]->key)) {
                hs->chain = c->cfg->chains[i];
                hs->client_sig = s;
            }
        }
    mt_trace(c, 0, MT_HS_CERTIFICATE_REQUEST, "CertificateRequest",
             hs->chain ? "client certificate requested"
                       : "client certificate requested (none fits: sending an empty Certificate)");
    return 0;
}
