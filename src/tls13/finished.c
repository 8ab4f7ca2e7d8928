/* Finished (RFC 8446 section 4.4.4). */
#include "tls13/handshake.h"

int mt_send_finished(mutls_conn *c, const uint8_t *base_key)
{
    uint8_t th[MT_MAX_HASH], mac[MT_MAX_HASH];
    size_t hlen = mt_hash_size(c->suite->hash);
    int ret;

    if (mt_transcript_hash(c, th) != 0 ||
        mt_finished_mac(c->cfg->cx, c->suite->hash, base_key, th, mac) != 0)
        return mt_conn_fail(c, MUTLS_ERR_INTERNAL, MT_ALERT_INTERNAL_ERROR,
                            "could not compute Finished");
    size_t len_off = mt_msg_begin(c, MT_HS_FINISHED);
    mt_w_bytes(&c->scratch, mac, hlen);
    mt_wipe(mac, sizeof(mac));
    ret = mt_msg_send(c, len_off, "verify_data");
    return ret;
}

int mt_check_finished(mutls_conn *c, mt_reader *r, const uint8_t *base_key)
{
    uint8_t th[MT_MAX_HASH], mac[MT_MAX_HASH];
    size_t hlen = mt_hash_size(c->suite->hash);
    const uint8_t *got;
    int ok;

    if (mt_r_bytes(r, hlen, &got) != 0 || mt_r_done(r) != 0)
        return MT_DECODE_ERROR(c, "Finished");
    if (mt_transcript_hash(c, th) != 0 ||
        mt_finished_mac(c->cfg->cx, c->suite->hash, base_key, th, mac) != 0)
        return mt_conn_fail(c, MUTLS_ERR_INTERNAL, MT_ALERT_INTERNAL_ERROR,
                            "could not compute Finished");
    ok = mt_ct_equal(mac, got, hlen);
    mt_wipe(mac, sizeof(mac));
    /* RFC 8446 section 4.4.4: a wrong verify_data is decrypt_error. */
    if (!ok)
        return mt_conn_fail(c, MUTLS_ERR_PROTOCOL, MT_ALERT_DECRYPT_ERROR,
                            "%s Finished does not match the handshake transcript",
                            c->role == MUTLS_CLIENT ? "server" : "client");
    return 0;
}
