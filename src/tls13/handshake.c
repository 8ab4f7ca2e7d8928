#include "tls13/handshake.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *mt_hs_type_name(uint8_t type)
{
    switch (type) {
    case MT_HS_HELLO_REQUEST: return "HelloRequest";
    case MT_HS_CLIENT_HELLO: return "ClientHello";
    case MT_HS_SERVER_HELLO: return "ServerHello";
    case MT_HS_NEW_SESSION_TICKET: return "NewSessionTicket";
    case MT_HS_END_OF_EARLY_DATA: return "EndOfEarlyData";
    case MT_HS_ENCRYPTED_EXTENSIONS: return "EncryptedExtensions";
    case MT_HS_CERTIFICATE: return "Certificate";
    case MT_HS_SERVER_KEY_EXCHANGE: return "ServerKeyExchange";
    case MT_HS_CERTIFICATE_REQUEST: return "CertificateRequest";
    case MT_HS_SERVER_HELLO_DONE: return "ServerHelloDone";
    case MT_HS_CLIENT_KEY_EXCHANGE: return "ClientKeyExchange";
    case MT_HS_CERTIFICATE_VERIFY: return "CertificateVerify";
    case MT_HS_FINISHED: return "Finished";
    case MT_HS_KEY_UPDATE: return "KeyUpdate";
    case MT_HS_MESSAGE_HASH: return "message_hash";
    default: return "unknown";
    }
}

const char *mt_state_name(int state)
{
    static const char *const names[MT_ST_STATE_COUNT] = {
        [MT_ST_START] = "start",
        [MT_ST_C_WAIT_SH] = "waiting for ServerHello",
        [MT_ST_C_WAIT_EE] = "waiting for EncryptedExtensions",
        [MT_ST_C_WAIT_CERT_CR] = "waiting for Certificate or CertificateRequest",
        [MT_ST_C_WAIT_CERT] = "waiting for Certificate",
        [MT_ST_C_WAIT_CV] = "waiting for CertificateVerify",
        [MT_ST_C_WAIT_FINISHED] = "waiting for Finished",
        [MT_ST_S_WAIT_CH] = "waiting for ClientHello",
        [MT_ST_S_WAIT_CH2] = "waiting for the second ClientHello",
        [MT_ST_S_WAIT_FINISHED] = "waiting for Finished",
        [MT_ST_S_WAIT_EOED] = "reading early data (waiting for EndOfEarlyData)",
        [MT_ST_C12R_WAIT_CCS] = "waiting for ChangeCipherSpec (resumption)",
        [MT_ST_C12R_WAIT_FINISHED] = "waiting for Finished (resumption)",
        [MT_ST_S12R_WAIT_CCS] = "waiting for ChangeCipherSpec (resumption)",
        [MT_ST_S12R_WAIT_FINISHED] = "waiting for Finished (resumption)",

        [MT_ST_S_WAIT_CERT] = "waiting for the client's Certificate",
        [MT_ST_S_WAIT_CV] = "waiting for the client's CertificateVerify",
        [MT_ST_C12_WAIT_CERT] = "waiting for Certificate",
        [MT_ST_C12_WAIT_SKE] = "waiting for ServerKeyExchange",
        [MT_ST_C12_WAIT_CR_SHD] = "waiting for CertificateRequest or ServerHelloDone",
        [MT_ST_C12_WAIT_SHD] = "waiting for ServerHelloDone",
        [MT_ST_C12_WAIT_CCS] = "waiting for ChangeCipherSpec",
        [MT_ST_C12_WAIT_FINISHED] = "waiting for Finished",
        [MT_ST_S12_WAIT_CERT] = "waiting for the client's Certificate",
        [MT_ST_S12_WAIT_CKE] = "waiting for ClientKeyExchange",
        [MT_ST_S12_WAIT_CV] = "waiting for the client's CertificateVerify",
        [MT_ST_S12_WAIT_CCS] = "waiting for ChangeCipherSpec",
        [MT_ST_S12_WAIT_FINISHED] = "waiting for Finished",
        [MT_ST_CONNECTED] = "connected",
    };
    return state >= 0 && state < MT_ST_STATE_COUNT && names[state] ? names[state] : "?";
}

int mt_hs_new(mutls_conn *c)
{
    c->hs = calloc(1, sizeof(*c->hs));
    if (c->hs == NULL)
        return -1;
    mt_buf_init(&c->hs->raw_transcript);
    mt_buf_init(&c->hs->cookie);
    mt_buf_init(&c->hs->ticket12);
    c->hs->psk_selected = -1;
    return 0;
}

void mt_hs_free(mutls_conn *c)
{
    mt_handshake *hs = c->hs;
    if (hs == NULL)
        return;
    mt_buf_free(&hs->raw_transcript);
    mt_buf_free(&hs->cookie);
    mt_buf_free(&hs->ticket12);
    mt_session_state_clear(&hs->psk);
    mt_hash_free(hs->transcript);
    mt_ks_clear(&hs->ks);
    for (size_t i = 0; i < hs->n_kx; i++)
        mt_kx_free(hs->kx[i]);
    mt_kx_free(hs->kx12);
    mt_x509_free(hs->peer_leaf);
    mt_wipe(hs, sizeof(*hs));
    free(hs);
    c->hs = NULL;
}

int mt_transcript_add(mutls_conn *c, const uint8_t *msg, size_t len)
{
    mt_handshake *hs = c->hs;
    if (hs->transcript == NULL || hs->keep_raw)
        if (mt_w_bytes(&hs->raw_transcript, msg, len) != 0)
            return -1;
    return hs->transcript != NULL ? mt_hash_update(hs->transcript, msg, len) : 0;
}

int mt_transcript_start_hash(mutls_conn *c, mt_hash_id h)
{
    mt_handshake *hs = c->hs;
    if (hs->transcript != NULL)
        return 0;
    hs->transcript = mt_hash_new(c->cfg->cx, h);
    if (hs->transcript == NULL ||
        mt_hash_update(hs->transcript, hs->raw_transcript.data, hs->raw_transcript.len) != 0)
        return -1;
    if (!hs->keep_raw)
        mt_buf_free(&hs->raw_transcript);
    return 0;
}

int mt_transcript_hash(mutls_conn *c, uint8_t *out)
{
    return c->hs->transcript ? mt_hash_peek(c->hs->transcript, out) : -1;
}

int mt_transcript_replace_with_message_hash(mutls_conn *c)
{
    mt_handshake *hs = c->hs;
    uint8_t h[MT_MAX_HASH], hdr[4];
    size_t hlen = mt_hash_size(c->suite->hash);

    if (mt_hash_oneshot(c->cfg->cx, c->suite->hash, hs->raw_transcript.data,
                        hs->raw_transcript.len, h) != 0)
        return -1;
    mt_buf_reset(&hs->raw_transcript);
    hdr[0] = MT_HS_MESSAGE_HASH;
    hdr[1] = 0;
    hdr[2] = 0;
    hdr[3] = (uint8_t)hlen;
    if (mt_transcript_start_hash(c, c->suite->hash) != 0 || mt_transcript_add(c, hdr, 4) != 0 ||
        mt_transcript_add(c, h, hlen) != 0)
        return -1;
    return 0;
}

size_t mt_msg_begin(mutls_conn *c, uint8_t type)
{
    mt_buf_reset(&c->scratch);
    mt_w_u8(&c->scratch, type);
    return mt_w_open(&c->scratch, 3);
}

int mt_msg_send(mutls_conn *c, size_t len_off, const char *detail)
{
    return mt_msg_send_as(c, len_off, NULL, detail);
}

int mt_msg_send_as(mutls_conn *c, size_t len_off, const char *name, const char *detail)
{
    mt_buf *b = &c->scratch;
    int ret;
    if (mt_w_close(b, len_off, 3) != 0)
        return mt_conn_fail(c, MUTLS_ERR_INTERNAL, MT_ALERT_INTERNAL_ERROR,
                            "could not encode a handshake message");
    /* A KeyUpdate is never part of a transcript (RFC 8446 section 4.4.1),
     * though one may be sent while a post-handshake authentication holds
     * a transcript (the server answering the client's update request). */
    if (c->hs != NULL && b->data[0] != MT_HS_KEY_UPDATE &&
        mt_transcript_add(c, b->data, b->len) != 0)
        return mt_conn_fail(c, MUTLS_ERR_INTERNAL, MT_ALERT_INTERNAL_ERROR, "transcript failure");
    if ((ret = mt_rec_write(&c->rec, MT_CT_HANDSHAKE, b->data, b->len, &c->err)) != 0)
        return ret;
    mt_trace(c, 1, b->data[0], name ? name : mt_hs_type_name(b->data[0]), detail);
    return 0;
}

int mt_send_ccs(mutls_conn *c)
{
    static const uint8_t one = 1;
    if (c->hs->ccs_sent)
        return 0;
    c->hs->ccs_sent = 1;
    mt_trace(c, 1, 0, "ChangeCipherSpec", "middlebox compatibility");
    return mt_rec_write(&c->rec, MT_CT_CHANGE_CIPHER_SPEC, &one, 1, &c->err);
}

int mt_install_secret(mutls_conn *c, int write, const uint8_t *secret)
{
    uint8_t key[MT_MAX_KEY_LEN], iv[MT_AEAD_NONCE_LEN];
    mt_rec_dir *d = write ? &c->rec.wr : &c->rec.rd;
    int ret = 0;

    if (!write)
        c->read_key_changed = 1;
    if (mt_traffic_keys(c->cfg->cx, c->suite->hash, c->suite->key_len, secret, key, iv) != 0 ||
        mt_rec_dir_set(d, c->cfg->cx, c->suite->aead, write, key, iv) != 0)
        ret = mt_conn_fail(c, MUTLS_ERR_INTERNAL, MT_ALERT_INTERNAL_ERROR,
                           "could not install traffic keys");
    mt_wipe(key, sizeof(key));
    mt_wipe(iv, sizeof(iv));
    return ret;
}

void mt_keylog(mutls_conn *c, const char *label, const uint8_t *secret)
{
    mt_keylog_len(c, label, secret, mt_hash_size(c->suite->hash));
}

void mt_keylog_len(mutls_conn *c, const char *label, const uint8_t *secret, size_t hlen)
{
    const mutls_config *cfg = c->cfg;
    /* label + space + 64 hex + space + 128 hex */
    char line[48 + 1 + 64 + 1 + 2 * MT_MAX_HASH + 1];
    size_t n;
    static const char hex[] = "0123456789abcdef";

    if (cfg->keylog == NULL)
        return;
    n = (size_t)snprintf(line, sizeof(line), "%s ", label);
    for (size_t i = 0; i < 32; i++) {
        line[n++] = hex[c->hs->client_random[i] >> 4];
        line[n++] = hex[c->hs->client_random[i] & 15];
    }
    line[n++] = ' ';
    for (size_t i = 0; i < hlen; i++) {
        line[n++] = hex[secret[i] >> 4];
        line[n++] = hex[secret[i] & 15];
    }
    line[n] = '\0';
    cfg->keylog(cfg->keylog_ctx, line);
    mt_wipe(line, sizeof(line));
}

void mt_trace(mutls_conn *c, int sent, uint8_t type, const char *name, const char *detail)
{
    mutls_trace_event ev;
    if (c->cfg->trace == NULL)
        return;
    ev.sent = sent;
    ev.msg_type = type;
    ev.name = name;
    ev.detail = detail ? detail : "";
    c->cfg->trace(c->cfg->trace_ctx, c, &ev);
}

/* Dispatch one whole message through the role's table. */
static int dispatch(mutls_conn *c, const uint8_t *msg, size_t len)
{
    int v12 = c->version == MUTLS_TLS1_2, client = c->role == MUTLS_CLIENT;
    const mt_transition *t = v12 ? (client ? mt_tls12_client_table : mt_tls12_server_table)
                                 : (client ? mt_tls13_client_table : mt_tls13_server_table);
    size_t n = v12 ? (client ? mt_tls12_client_table_count : mt_tls12_server_table_count)
                   : (client ? mt_tls13_client_table_count : mt_tls13_server_table_count);
    uint8_t type = msg[0];
    mt_reader body = mt_reader_init(msg + 4, len - 4);

    for (size_t i = 0; i < n; i++)
        if (t[i].state == c->state && t[i].type == type)
            return t[i].handle(c, &body, msg, len);
    return mt_conn_fail(c, MUTLS_ERR_PROTOCOL, MT_ALERT_UNEXPECTED_MESSAGE,
                        "unexpected %s message (%u) while %s", mt_hs_type_name(type), type,
                        mt_state_name(c->state));
}

int mt_hs_receive(mutls_conn *c, const uint8_t *data, size_t len)
{
    int ret = 0;
    size_t off = 0;

    /* RFC 8446 section 5.1: handshake records are never empty. */
    if (len == 0)
        return mt_conn_fail(c, MUTLS_ERR_PROTOCOL, MT_ALERT_UNEXPECTED_MESSAGE,
                            "empty handshake record");
    if (mt_w_bytes(&c->hs_in, data, len) != 0)
        return mt_conn_fail(c, MUTLS_ERR_INTERNAL, MT_ALERT_INTERNAL_ERROR, "out of memory");
    for (;;) {
        size_t avail = c->hs_in.len - off, mlen;
        uint8_t *m = c->hs_in.data + off;
        if (avail < 4)
            break;
        mlen = ((size_t)m[1] << 16) | ((size_t)m[2] << 8) | m[3];
        if (mlen > MT_MAX_HS_MESSAGE) {
            ret = mt_conn_fail(c, MUTLS_ERR_PROTOCOL, MT_ALERT_UNEXPECTED_MESSAGE,
                               "%s message of %zu bytes exceeds the limit of %d bytes",
                               mt_hs_type_name(m[0]), mlen, MT_MAX_HS_MESSAGE);
            break;
        }
        if (avail < 4 + mlen)
            break;
        c->read_key_changed = 0;
        if ((ret = dispatch(c, m, 4 + mlen)) != 0)
            break;
        off += 4 + mlen;
        /* RFC 8446 section 5.1: a message after which the read key changes
         * must end its record; the rest was protected with the old key. */
        if (c->read_key_changed && off != c->hs_in.len) {
            ret = mt_conn_fail(c, MUTLS_ERR_PROTOCOL, MT_ALERT_UNEXPECTED_MESSAGE,
                               "data after %s in the same record, across a key change",
                               mt_hs_type_name(m[0]));
            break;
        }
    }
    if (off > 0)
        mt_buf_consume(&c->hs_in, off);
    return ret;
}

/* AEAD usage limits (RFC 8446 section 5.5), with a margin. */
uint64_t mt_key_update_limit(const mutls_conn *c)
{
    if (c->cfg->key_update_interval)
        return c->cfg->key_update_interval;
    /* AES-GCM: 2^24.5 full-size records; ChaCha20-Poly1305: 2^64 (we
     * stop well before the sequence number would wrap). */
    return c->suite->aead == MT_CHACHA20_POLY1305 ? (UINT64_C(1) << 62) : (UINT64_C(1) << 23);
}

/* Master secret and application traffic secrets, from the transcript up
 * to the server Finished (RFC 8446 section 7.1). */
int mt_derive_application_secrets(mutls_conn *c)
{
    mt_handshake *hs = c->hs;
    uint8_t th[MT_MAX_HASH], exporter[MT_MAX_HASH];
    if (mt_transcript_hash(c, th) != 0 || mt_ks_master(&hs->ks) != 0 ||
        mt_ks_derive(&hs->ks, "c ap traffic", th, c->c_ap_secret) != 0 ||
        mt_ks_derive(&hs->ks, "s ap traffic", th, c->s_ap_secret) != 0 ||
        mt_ks_derive(&hs->ks, "exp master", th, exporter) != 0)
        return mt_conn_fail(c, MUTLS_ERR_INTERNAL, MT_ALERT_INTERNAL_ERROR,
                            "application key derivation failed");
    mt_keylog(c, "CLIENT_TRAFFIC_SECRET_0", c->c_ap_secret);
    mt_keylog(c, "SERVER_TRAFFIC_SECRET_0", c->s_ap_secret);
    mt_keylog(c, "EXPORTER_SECRET", exporter);
    mt_wipe(exporter, sizeof(exporter));
    c->rec.wr.limit = c->rec.rd.limit = mt_key_update_limit(c);
    return 0;
}

