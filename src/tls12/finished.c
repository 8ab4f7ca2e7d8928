/* TLS 1.2 Finished (RFC 5246 section 7.4.9) and ChangeCipherSpec (7.1). */
#include "tls12/tls12.h"

#define VERIFY_DATA_LEN 12

static int verify_data(mutls_conn *c, int client, uint8_t out[VERIFY_DATA_LEN])
{
    uint8_t th[MT_MAX_HASH];
    if (mt_transcript_hash(c, th) != 0)
        return -1;
    return mt_tls12_prf(c->cfg->cx, c->suite->hash, c->hs->master, 48,
                        client ? "client finished" : "server finished", th,
                        mt_hash_size(c->suite->hash), NULL, 0, out, VERIFY_DATA_LEN);
}

int mt_tls12_send_finished(mutls_conn *c)
{
    uint8_t vd[VERIFY_DATA_LEN];
    if (verify_data(c, c->role == MUTLS_CLIENT, vd) != 0)
        return mt_conn_fail(c, MUTLS_ERR_INTERNAL, MT_ALERT_INTERNAL_ERROR,
                            "could not compute Finished");
    size_t len_off = mt_msg_begin(c, MT_HS_FINISHED);
    mt_w_bytes(&c->scratch, vd, VERIFY_DATA_LEN);
    mt_wipe(vd, sizeof(vd));
    return mt_msg_send(c, len_off, "verify_data");
}

int mt_tls12_check_finished(mutls_conn *c, mt_reader *r)
{
    uint8_t vd[VERIFY_DATA_LEN];
    const uint8_t *got;
    int ok;

    if (mt_r_bytes(r, VERIFY_DATA_LEN, &got) != 0 || mt_r_done(r) != 0)
        return MT_DECODE_ERROR(c, "Finished");
    if (verify_data(c, c->role != MUTLS_CLIENT, vd) != 0)
        return mt_conn_fail(c, MUTLS_ERR_INTERNAL, MT_ALERT_INTERNAL_ERROR,
                            "could not compute Finished");
    ok = mt_ct_equal(vd, got, VERIFY_DATA_LEN);
    mt_wipe(vd, sizeof(vd));
    /* RFC 5246 7.4.9: a wrong verify_data is decrypt_error. A different
     * premaster secret (a bad RSA ciphertext, an altered key share) or an
     * altered transcript (extended master secret) gives other keys: the
     * Finished record then fails authentication first (bad_record_mac). */
    if (!ok)
        return mt_conn_fail(c, MUTLS_ERR_PROTOCOL, MT_ALERT_DECRYPT_ERROR,
                            "%s Finished does not match the handshake",
                            c->role == MUTLS_CLIENT ? "server" : "client");
    return 0;
}

int mt_tls12_send_ccs(mutls_conn *c)
{
    static const uint8_t one = 1;
    int ret;
    if ((ret = mt_rec_write(&c->rec, MT_CT_CHANGE_CIPHER_SPEC, &one, 1, &c->err)) != 0)
        return ret;
    mt_trace(c, 1, 0, "ChangeCipherSpec", NULL);
    /* RFC 5246 7.1: the new write state applies right after it. */
    return mt_tls12_install_keys(c, 1);
}

int mt_tls12_receive_ccs(mutls_conn *c, const uint8_t *p, size_t n)
{
    int expected = c->hs != NULL &&
                   (c->state == MT_ST_C12_WAIT_CCS || c->state == MT_ST_S12_WAIT_CCS ||
                    c->state == MT_ST_C12R_WAIT_CCS || c->state == MT_ST_S12R_WAIT_CCS);
    if (n != 1 || p[0] != 1 || !expected)
        return mt_conn_fail(c, MUTLS_ERR_PROTOCOL, MT_ALERT_UNEXPECTED_MESSAGE,
                            "unexpected change_cipher_spec record");
    /* No handshake message may straddle the change of keys. */
    if (c->hs_in.len != 0)
        return mt_conn_fail(c, MUTLS_ERR_PROTOCOL, MT_ALERT_UNEXPECTED_MESSAGE,
                            "change_cipher_spec inside a fragmented handshake message");
    mt_trace(c, 0, 0, "ChangeCipherSpec", NULL);
    c->state = c->state == MT_ST_C12_WAIT_CCS    ? MT_ST_C12_WAIT_FINISHED
               : c->state == MT_ST_S12_WAIT_CCS  ? MT_ST_S12_WAIT_FINISHED
               : c->state == MT_ST_C12R_WAIT_CCS ? MT_ST_C12R_WAIT_FINISHED
                                                 : MT_ST_S12R_WAIT_FINISHED;
    return mt_tls12_install_keys(c, 0);
}
