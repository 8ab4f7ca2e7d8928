/* EncryptedExtensions (RFC 8446 section 4.3.1). */
#include <stdio.h>
#include <string.h>

#include "tls13/handshake.h"

int mt_send_encrypted_extensions(mutls_conn *c, const mt_exts *ch_ext)
{
    const mutls_config *cfg = c->cfg;
    mt_buf *b = &c->scratch;
    char detail[320];

    size_t len_off = mt_msg_begin(c, MT_HS_ENCRYPTED_EXTENSIONS);
    size_t ext = mt_w_open(b, 2);
    /* RFC 6066 section 3: acknowledge a server_name we used. */
    if (c->sni != NULL)
        mt_ext_write_server_name_ack(b);
    if (c->alpn != NULL)
        mt_ext_write_alpn_selected(b, c->alpn);
    /* RFC 8449 section 4: only in answer to the client's. */
    if (mt_exts_has(ch_ext, MT_EXT_RECORD_SIZE_LIMIT))
        mt_ext_write_record_size_limit(b, cfg->record_size_limit ? cfg->record_size_limit
                                                                 : MT_MAX_PLAINTEXT + 1);
    /* RFC 8446 4.2.10: accepting early data. */
    if (c->hs->early_accepted)
        mt_ext_write_early_data(b, 0, 0);
    mt_w_close(b, ext, 2);
    if (b->err)
        return mt_conn_fail(c, MUTLS_ERR_INTERNAL, MT_ALERT_INTERNAL_ERROR, "out of memory");
    snprintf(detail, sizeof(detail), "sni=%s alpn=%s%s", c->sni ? c->sni : "-",
             c->alpn ? c->alpn : "-",
             c->hs->early_accepted ? " early_data=accepted"
             : c->hs->early_offered ? " early_data=rejected"
                                    : "");
    return mt_msg_send(c, len_off, detail);
}

int mt_parse_encrypted_extensions(mutls_conn *c, mt_reader *r, mt_exts *x)
{
    mt_reader ext;
    memset(x, 0, sizeof(*x));
    if (mt_r_vec(r, 2, 0, 0xffff, &ext) != 0 || mt_r_done(r) != 0)
        return MT_DECODE_ERROR(c, "EncryptedExtensions");
    if (mt_exts_parse(&ext, MT_IN_EE, c->hs->offered, x, &c->err) != 0)
        return c->err.code;
    return 0;
}
