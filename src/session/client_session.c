/* The client's session: kept, shared by reference, exported and imported. */
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "session/session.h"

/* "MUTLS-SESSION" v1 || u32 length || state || u16 + ticket || u8 + id ||
 * SHA-256 of everything before it. */
static const uint8_t magic[8] = {'M', 'U', 'T', 'L', 'S', 'S', 'E', 'S'};
#define EXPORT_VERSION 1

mutls_session *mt_session_new(const mt_session_state *st, const uint8_t *ticket, size_t ticket_len,
                              const uint8_t *session_id, size_t session_id_len)
{
    mutls_session *s = calloc(1, sizeof(*s));
    if (s == NULL || session_id_len > 32 || ticket_len > 0xffff)
        goto fail;
    s->refs = 1;
    if (mt_session_state_copy(&s->st, st) != 0)
        goto fail;
    if (ticket_len > 0) {
        if ((s->ticket = malloc(ticket_len)) == NULL)
            goto fail;
        memcpy(s->ticket, ticket, ticket_len);
        s->ticket_len = ticket_len;
    }
    if (session_id_len > 0)
        memcpy(s->session_id, session_id, session_id_len);
    s->session_id_len = session_id_len;
    return s;
fail:
    mutls_session_free(s);
    return NULL;
}

mutls_session *mt_session_up_ref(mutls_session *s)
{
    if (s != NULL)
        atomic_fetch_add((_Atomic int *)&s->refs, 1);
    return s;
}

void mutls_session_free(mutls_session *s)
{
    if (s == NULL || atomic_fetch_sub((_Atomic int *)&s->refs, 1) != 1)
        return;
    mt_session_state_clear(&s->st);
    free(s->ticket);
    mt_wipe(s, sizeof(*s));
    free(s);
}

uint32_t mutls_session_max_early_data(const mutls_session *s)
{
    return s != NULL && s->st.version == MUTLS_TLS1_3 ? s->st.max_early_data : 0;
}

uint16_t mutls_session_version(const mutls_session *s) { return s ? s->st.version : 0; }
uint16_t mutls_session_cipher_suite(const mutls_session *s) { return s ? s->st.suite : 0; }
const char *mutls_session_server_name(const mutls_session *s) { return s ? s->st.sni : NULL; }
const char *mutls_session_alpn(const mutls_session *s) { return s ? s->st.alpn : NULL; }
int64_t mutls_session_issued(const mutls_session *s) { return s ? s->st.issued : 0; }
uint32_t mutls_session_lifetime(const mutls_session *s) { return s ? s->st.lifetime : 0; }

int mutls_session_export(const mutls_session *s, uint8_t **out, size_t *len)
{
    mt_buf b, st;
    uint8_t digest[32];
    int ret = MUTLS_ERR_INTERNAL;

    if (s == NULL || out == NULL || len == NULL)
        return MUTLS_ERR_INVALID_ARGUMENT;
    mt_buf_init(&b);
    mt_buf_init(&st);
    if (mt_session_state_encode(&s->st, &st) != 0)
        goto Exit;
    mt_w_bytes(&b, magic, sizeof(magic));
    mt_w_u8(&b, EXPORT_VERSION);
    mt_w_u32(&b, (uint32_t)st.len);
    mt_w_bytes(&b, st.data, st.len);
    mt_w_u16(&b, (uint16_t)s->ticket_len);
    mt_w_bytes(&b, s->ticket, s->ticket_len);
    mt_w_u8(&b, (uint8_t)s->session_id_len);
    mt_w_bytes(&b, s->session_id, s->session_id_len);
    if (b.err || mt_sha256(b.data, b.len, digest) != 0)
        goto Exit;
    mt_w_bytes(&b, digest, sizeof(digest));
    if (b.err || (*out = malloc(b.len)) == NULL)
        goto Exit;
    memcpy(*out, b.data, b.len);
    *len = b.len;
    ret = MUTLS_OK;
Exit:
    mt_buf_free(&b);
    mt_buf_free(&st);
    return ret;
}

mutls_session *mutls_session_import(const uint8_t *in, size_t len)
{
    mt_reader r, tk, id;
    const uint8_t *m;
    uint8_t version, want[32];
    uint32_t st_len;
    mt_session_state state;
    mutls_session *s = NULL;

    if (in == NULL || len < 32)
        return NULL;
    /* The check covers everything before it. */
    if (mt_sha256(in, len - 32, want) != 0 ||
        !mt_ct_equal(want, in + len - 32, 32))
        return NULL;
    r = mt_reader_init(in, len - 32);
    if (mt_r_bytes(&r, sizeof(magic), &m) != 0 || memcmp(m, magic, sizeof(magic)) != 0 ||
        mt_r_u8(&r, &version) != 0 || version != EXPORT_VERSION || mt_r_u32(&r, &st_len) != 0)
        return NULL;
    const uint8_t *stp;
    if (mt_r_bytes(&r, st_len, &stp) != 0 || mt_r_vec(&r, 2, 0, 0xffff, &tk) != 0 ||
        mt_r_vec(&r, 1, 0, 32, &id) != 0 || mt_r_done(&r) != 0)
        return NULL;
    memset(&state, 0, sizeof(state));
    if (mt_session_state_decode(stp, st_len, &state) != 0)
        return NULL;
    s = mt_session_new(&state, tk.p, tk.len, id.p, id.len);
    mt_session_state_clear(&state);
    return s;
}
