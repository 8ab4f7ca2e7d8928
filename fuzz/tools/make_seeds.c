/*
 * make_seeds: writes the seed corpora of the fuzz targets from real mutls
 * handshakes, into fuzz/corpus/<target>/seed-*.
 *
 *   make_seeds [corpus-dir]        (default: <source>/fuzz/corpus)
 *
 * It runs in-memory client/server pairs with the same configurations and
 * deterministic hooks as the targets (fuzz/fuzz_common.h): with and
 * without HelloRetryRequest, each group, each suite, ALPN,
 * record_size_limit, and traffic after the handshake (NewSessionTicket,
 * data, KeyUpdate, close_notify). The key log gives the traffic secrets,
 * with which both byte streams are decrypted into records and messages.
 * From these it writes:
 *   server/    the client's byte stream (raw mode) and its records as a
 *              script (script mode)
 *   client/    the server's byte stream (raw), edits for the in-process
 *              server's flight (tamper), the server's records as a script
 *   messages/  each handshake message, behind its selector byte
 *   ext/       each extension block, behind an offered mask
 *   record/    wire records, sealed items, round-trip items
 *   x509/      every certificate of tests/certs as DER, and the chains
 *   wire/      vectors taken from the messages
 *   session/   session exports, tickets and the states in them, ticket
 *              key files, cache and anti-replay operation lists
 * For resumption it resumes the sessions of full handshakes with the
 * resumption configurations (TLS 1.3 with and without 0-RTT, TLS 1.2 by
 * ticket and by session ID), as the targets' own resuming clients and
 * primed servers do, so that the seeds resume there too.
 * Only files named seed-* are (re)written; regression inputs (regress-*)
 * are left alone. Run it again when the protocol or the targets' input
 * formats change.
 */
#include <dirent.h>
#include <errno.h>
#include <sys/stat.h>

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "fuzz_common.h"

static const char *out_root;
static mt_crypto *cx;
static unsigned n_written;
static size_t bytes_written;

/* ---- output ------------------------------------------------------------ */

/* Contents already written, per target: identical seeds are skipped. */
static struct {
    const char *target;
    uint64_t hash;
} seen[4096];
static size_t n_seen;

static int already_written(const char *target, const uint8_t *p, size_t n)
{
    uint64_t h = UINT64_C(0xcbf29ce484222325);
    for (size_t i = 0; i < n; i++)
        h = (h ^ p[i]) * UINT64_C(0x100000001b3);
    for (size_t i = 0; i < n_seen; i++)
        if (seen[i].hash == h && strcmp(seen[i].target, target) == 0)
            return 1;
    if (n_seen < sizeof(seen) / sizeof(seen[0])) {
        seen[n_seen].target = target;
        seen[n_seen++].hash = h;
    }
    return 0;
}

static void write_seed(const char *target, const char *name, const uint8_t *p, size_t n)
{
    char dir[4096], path[4400];
    FILE *f;
    if (already_written(target, p, n))
        return;
    snprintf(dir, sizeof(dir), "%s/%s", out_root, target);
    if (mkdir(dir, 0777) != 0 && errno != EEXIST)
        fz_die("mkdir %s: %s", dir, strerror(errno));
    snprintf(path, sizeof(path), "%s/seed-%s", dir, name);
    if ((f = fopen(path, "wb")) == NULL || (n > 0 && fwrite(p, 1, n, f) != n) || fclose(f) != 0)
        fz_die("write %s: %s", path, strerror(errno));
    n_written++;
    bytes_written += n;
}

/* ctl/selector bytes followed by a body */
static void write_seed2(const char *target, const char *name, const uint8_t *pre, size_t pre_len,
                        const uint8_t *p, size_t n)
{
    mt_buf b;
    mt_buf_init(&b);
    (void)mt_w_bytes(&b, pre, pre_len);
    (void)mt_w_bytes(&b, p, n);
    if (b.err)
        fz_die("out of memory");
    write_seed(target, name, b.data, b.len);
    mt_buf_free(&b);
}

/* Remove old seed-* files of a target (regress-* stay). */
static void clean_target(const char *target)
{
    char dir[4096], path[4400];
    DIR *d;
    struct dirent *e;
    snprintf(dir, sizeof(dir), "%s/%s", out_root, target);
    if ((d = opendir(dir)) == NULL)
        return;
    while ((e = readdir(d)) != NULL)
        if (strncmp(e->d_name, "seed-", 5) == 0) {
            snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
            (void)remove(path);
        }
    closedir(d);
}

/* ---- key log capture --------------------------------------------------- */

typedef struct secrets {
    uint8_t c_e[MT_MAX_HASH], c_hs[MT_MAX_HASH], s_hs[MT_MAX_HASH], c_ap[MT_MAX_HASH],
        s_ap[MT_MAX_HASH];
    int have, have_early;
} secrets;

static int hexval(int c)
{
    return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

static void keylog(void *ctx, const char *line)
{
    secrets *s = ctx;
    const char *sp1 = strchr(line, ' '), *sp2 = sp1 ? strchr(sp1 + 1, ' ') : NULL;
    uint8_t *dst = NULL;
    size_t label = sp1 ? (size_t)(sp1 - line) : 0;
    if (sp2 == NULL)
        return;
    if (label == 31 && strncmp(line, "CLIENT_HANDSHAKE_TRAFFIC_SECRET", label) == 0)
        dst = s->c_hs;
    else if (label == 31 && strncmp(line, "SERVER_HANDSHAKE_TRAFFIC_SECRET", label) == 0)
        dst = s->s_hs;
    else if (label == 23 && strncmp(line, "CLIENT_TRAFFIC_SECRET_0", label) == 0)
        dst = s->c_ap;
    else if (label == 23 && strncmp(line, "SERVER_TRAFFIC_SECRET_0", label) == 0)
        dst = s->s_ap;
    else if (label == 27 && strncmp(line, "CLIENT_EARLY_TRAFFIC_SECRET", label) == 0) {
        dst = s->c_e;
        s->have_early = 1;
        s->have--; /* counted apart */
    }
    if (dst == NULL)
        return;
    const char *h = sp2 + 1;
    for (size_t i = 0; i < MT_MAX_HASH && h[0] && h[1]; i++, h += 2)
        dst[i] = (uint8_t)(hexval(h[0]) << 4 | hexval(h[1]));
    s->have++;
}

/* ---- decrypting a captured byte stream --------------------------------- */

#define MAX_RECS 64

typedef struct rec {
    uint8_t outer;       /* header content type */
    uint8_t type;        /* inner content type (= outer when plaintext) */
    int epoch;           /* 0 plaintext, 1 handshake keys, 2+ application */
    uint8_t *data;       /* plaintext content */
    size_t len;
    const uint8_t *wire; /* the record as sent (into the log) */
    size_t wire_len;
} rec;

typedef struct stream {
    rec r[MAX_RECS];
    size_t n;
} stream;

static void stream_free(stream *st)
{
    for (size_t i = 0; i < st->n; i++)
        free(st->r[i].data);
    st->n = 0;
}

/* Split a log into records and decrypt them with the direction's secrets.
 * early (a client's 0-RTT key, or NULL) protects the first records up to
 * EndOfEarlyData, or up to the first that does not open with it (early
 * data the server refused). */
static void decrypt_stream(const mt_buf *log, const mt_suite *suite, const uint8_t *early,
                           const uint8_t *hs_secret, const uint8_t *ap_secret, stream *st)
{
    uint8_t secret[MT_MAX_HASH];
    size_t off = 0;
    int epoch = 0, in_early = 0;
    uint64_t seq = 0;

    st->n = 0;
    while (off + MT_RECORD_HEADER <= log->len && st->n < MAX_RECS) {
        const uint8_t *h = log->data + off;
        size_t n = ((size_t)h[3] << 8) | h[4];
        rec *r = &st->r[st->n];
        if (off + MT_RECORD_HEADER + n > log->len)
            break;
        memset(r, 0, sizeof(*r));
        r->outer = h[0];
        r->wire = h;
        r->wire_len = MT_RECORD_HEADER + n;
        off += r->wire_len;
        if (h[0] == MT_CT_APPLICATION_DATA && epoch == 0) {
            epoch = 1;
            in_early = early != NULL;
            memcpy(secret, in_early ? early : hs_secret, sizeof(secret));
            seq = 0;
        }
        r->epoch = h[0] == MT_CT_APPLICATION_DATA ? epoch : 0;
        if (r->epoch == 0) {
            r->type = h[0];
            r->len = n;
            r->data = malloc(n ? n : 1);
            memcpy(r->data, h + MT_RECORD_HEADER, n);
        } else {
            uint8_t key[MT_MAX_KEY_LEN], iv[MT_AEAD_NONCE_LEN], nonce[MT_AEAD_NONCE_LEN];
            mt_aead *a;
            r->data = malloc(n);
            if (mt_traffic_keys(cx, suite->hash, suite->key_len, secret, key, iv) != 0 ||
                (a = mt_aead_new(cx, suite->aead, 0, key)) == NULL)
                fz_die("traffic keys");
            memcpy(nonce, iv, sizeof(nonce));
            for (int i = 0; i < 8; i++)
                nonce[MT_AEAD_NONCE_LEN - 1 - i] ^= (uint8_t)(seq >> (8 * i));
            if (n < MT_AEAD_TAG_LEN + 1 ||
                mt_aead_open(a, nonce, h, MT_RECORD_HEADER, h + MT_RECORD_HEADER, n, r->data) != 0) {
                mt_aead_free(a);
                if (!in_early)
                    fz_die("record %zu of a captured stream does not decrypt", st->n);
                /* refused early data ends here: the handshake key */
                in_early = 0;
                memcpy(secret, hs_secret, sizeof(secret));
                seq = 0;
                free(r->data);
                off -= r->wire_len;
                continue;
            }
            mt_aead_free(a);
            seq++;
            r->len = n - MT_AEAD_TAG_LEN;
            while (r->len > 0 && r->data[r->len - 1] == 0)
                r->len--;
            r->type = r->data[--r->len];
            /* Key changes after Finished (handshake -> application) and
             * after each KeyUpdate. */
            if (r->type == MT_CT_HANDSHAKE && r->len >= 4) {
                if (r->data[0] == MT_HS_END_OF_EARLY_DATA && in_early) {
                    in_early = 0;
                    memcpy(secret, hs_secret, sizeof(secret));
                    seq = 0;
                } else if (r->data[0] == MT_HS_FINISHED && epoch == 1) {
                    epoch = 2;
                    memcpy(secret, ap_secret, sizeof(secret));
                    seq = 0;
                } else if (r->data[0] == MT_HS_KEY_UPDATE && epoch >= 2) {
                    epoch++;
                    if (mt_next_traffic_secret(cx, suite->hash, secret) != 0)
                        fz_die("next secret");
                    seq = 0;
                }
            }
        }
        st->n++;
    }
}

/* TLS 1.2: the records before ChangeCipherSpec are in the clear. */
static void plaintext_records(const mt_buf *log, stream *st)
{
    size_t off = 0;
    st->n = 0;
    while (off + MT_RECORD_HEADER <= log->len && st->n < MAX_RECS) {
        const uint8_t *h = log->data + off;
        size_t n = ((size_t)h[3] << 8) | h[4];
        rec *r = &st->r[st->n];
        if (h[0] == MT_CT_CHANGE_CIPHER_SPEC || off + MT_RECORD_HEADER + n > log->len)
            break;
        memset(r, 0, sizeof(*r));
        r->outer = r->type = h[0];
        r->wire = h;
        r->wire_len = MT_RECORD_HEADER + n;
        r->len = n;
        r->data = malloc(n ? n : 1);
        memcpy(r->data, h + MT_RECORD_HEADER, n);
        off += r->wire_len;
        st->n++;
    }
}

/* ---- one handshake ----------------------------------------------------- */

typedef struct capture {
    const char *name;
    int cv, verify, sv; /* client variant (-1: custom), verify, server variant */
    /* adjust the client's / the server's configuration (NULL: as the
     * targets have it); a side's byte stream is a raw seed for the
     * other side's target only when that other side is not adjusted */
    void (*ctweak)(mutls_config *client);
    void (*stweak)(mutls_config *server);
    uint16_t version;   /* negotiated */
    int ok;             /* the handshake completed */
    mt_buf c_log, s_log;
    stream c_recs, s_recs;
    const mt_suite *suite;
    int hrr;
    int replays; /* raw client stream takes a fresh server to "connected" */
    int resumed, early; /* resumption captures: the server resumed; 0-RTT status */
} capture;

/* A client unlike the targets' variants, for the server target: only
 * Ed25519 signatures, so the server's flight (and so the client's Finished
 * in the capture) is deterministic and replays byte for byte. */
static mutls_config *custom_client(secrets *sec)
{
    mutls_config *cfg = fz_client_config(0, 0, keylog, sec);
    fz_check(cfg, mutls_config_set_sig_schemes(cfg, "ed25519,rsa_pss_rsae_sha256"), "sigs");
    fz_check(cfg, mutls_config_set_groups(cfg, "secp256r1,x25519"), "groups");
    fz_check(cfg, mutls_config_set_alpn(cfg, "h2"), "alpn");
    return cfg;
}

static void server_tls12(mutls_config *server)
{
    fz_check(server, mutls_config_set_versions(server, MUTLS_TLS1_2, MUTLS_TLS1_2), "versions");
}

static void server_tls12_cbc(mutls_config *server)
{
    server_tls12(server);
    fz_check(server, mutls_config_set_ciphers(server, "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA"),
             "ciphers");
}

static void client_tls12(mutls_config *client)
{
    fz_check(client, mutls_config_set_versions(client, MUTLS_TLS1_2, MUTLS_TLS1_2), "versions");
}

static void client_tls12_cbc(mutls_config *client)
{
    client_tls12(client);
    fz_check(client, mutls_config_set_ciphers(client, "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA"),
             "ciphers");
}

static void client_ed25519_cert(mutls_config *client)
{
    fz_add_chain(client, "client-ed25519");
}

static void client_tls12_ed25519_cert(mutls_config *client)
{
    client_tls12(client);
    client_ed25519_cert(client);
}

static void run_capture(capture *cap)
{
    secrets sec;
    mutls_config *ccfg, *scfg;
    mutls_conn *c, *s;

    memset(&sec, 0, sizeof(sec));
    ccfg = cap->cv >= 0 ? fz_client_config(cap->cv, cap->verify, keylog, &sec) : custom_client(&sec);
    scfg = fz_server_config(cap->sv, NULL, NULL);
    if (cap->ctweak)
        cap->ctweak(ccfg);
    if (cap->stweak)
        cap->stweak(scfg);
    mt_buf_init(&cap->c_log);
    mt_buf_init(&cap->s_log);
    cap->c_recs.n = cap->s_recs.n = 0;
    fz_reset();
    c = fz_client_start(ccfg, cap->cv >= 0 ? cap->cv : 0);
    if ((s = mutls_conn_new(scfg)) == NULL)
        fz_die("server: %s", mutls_config_error(scfg));
    if (fz_run_pair(c, s, &cap->c_log, &cap->s_log) != 0) {
        printf("  %-22s skipped: handshake failed: client: %s; server: %s\n", cap->name,
               mutls_conn_error(c), mutls_conn_error(s));
        goto Exit;
    }
    cap->ok = 1;
    cap->version = mutls_conn_version(c);
    cap->suite = mt_suite_find(mutls_conn_cipher_suite(c));
    cap->hrr = mutls_conn_did_hrr(c);
    const char *group = mutls_group_name(mutls_conn_group(c));
    if (cap->suite == NULL)
        fz_die("%s: no suite", cap->name);
    /* Records and messages: TLS 1.3 only (the key log gives its traffic
     * secrets); TLS 1.2 captures give byte streams. */
    if (cap->version == MUTLS_TLS1_3) {
        if (sec.have < 4)
            fz_die("%s: no secrets", cap->name);
        decrypt_stream(&cap->c_log, cap->suite, NULL, sec.c_hs, sec.c_ap, &cap->c_recs);
        decrypt_stream(&cap->s_log, cap->suite, NULL, sec.s_hs, sec.s_ap, &cap->s_recs);
    } else {
        plaintext_records(&cap->c_log, &cap->c_recs);
        plaintext_records(&cap->s_log, &cap->s_recs);
    }
    mutls_conn_free(c);
    mutls_conn_free(s);
    c = s = NULL;

    /* Does the raw client stream replay against the target's server? */
    fz_reset();
    s = mutls_conn_new(scfg);
    (void)mutls_conn_feed(s, cap->c_log.data, cap->c_log.len);
    cap->replays = mutls_conn_handshake_done(s) && mutls_conn_error_code(s) == MUTLS_OK;
    printf("  %-22s %s %s %s%s; client %zu bytes, server %zu bytes%s\n", cap->name,
           mutls_version_name(cap->version), cap->suite->name, group ? group : "-",
           cap->hrr ? " after HelloRetryRequest" : "", cap->c_log.len, cap->s_log.len,
           cap->replays ? "; the client stream replays to connected" : "");
Exit:
    mutls_conn_free(c);
    mutls_conn_free(s);
    mutls_config_free(ccfg);
    mutls_config_free(scfg);
}

static void capture_free(capture *cap)
{
    mt_buf_free(&cap->c_log);
    mt_buf_free(&cap->s_log);
    stream_free(&cap->c_recs);
    stream_free(&cap->s_recs);
}

/* ---- seeds per target -------------------------------------------------- */

static const rec *find_msg(const stream *st, uint8_t type)
{
    for (size_t i = 0; i < st->n; i++)
        if (st->r[i].type == MT_CT_HANDSHAKE && st->r[i].len >= 4 && st->r[i].data[0] == type)
            return &st->r[i];
    return NULL;
}


static void name_of(char *out, size_t cap, const char *a, const char *b)
{
    snprintf(out, cap, "%s-%s", a, b);
}

/* Script of the peer's records: Finished and (when the peer's key is the
 * one the target signs with) CertificateVerify become the ops that compute
 * them; a client's certificate after the handshake is preceded by the
 * server's request for it; the rest are RECORD ops. */
static void make_script(const stream *st, mt_buf *b, int replace_cv)
{
    for (size_t i = 0; i < st->n; i++) {
        const rec *r = &st->r[i];
        uint8_t t = r->type == MT_CT_HANDSHAKE && r->len >= 4 ? r->data[0] : 0;
        if (t == MT_HS_FINISHED) {
            fz_script_op(b, FZ_OP_FINISHED);
            continue;
        }
        if (t == MT_HS_CERTIFICATE_VERIFY && replace_cv) {
            fz_script_op(b, FZ_OP_CERT_VERIFY);
            continue;
        }
        if (t == MT_HS_CERTIFICATE && r->epoch >= 2)
            fz_script_op(b, FZ_OP_REQUEST_CLIENT_AUTH);
        if (t == MT_HS_CLIENT_HELLO) /* with correct binders, however changed */
            fz_script_record_binder(b, r->data, r->len);
        else
            fz_script_record(b, r->type, r->data, r->len);
    }
}

/* fuzz_server's control bits 4..6 for a server variant, or -1. */
static int server_target_bits(int sv)
{
    static const int bits[FZ_SERVER_VARIANTS] = {0x00, 0x20, -1, -1, 0x40, 0x60, 0x10, 0x30};
    return sv >= 0 && sv < FZ_SERVER_VARIANTS ? bits[sv] : -1;
}

static unsigned n_server_api;

static void seeds_server(const capture *cap)
{
    char name[128];
    int bits = server_target_bits(cap->sv);
    /* with post-handshake authentication, the raw stream holds the
     * client's answer: have the server ask (bit 4) */
    uint8_t ctl = (uint8_t)(bits | (cap->sv == 5 ? 0x10 : 0));
    mt_buf b;

    if (bits < 0)
        return; /* not one of fuzz_server's configurations */
    /* raw: whole, byte by byte, pseudo-random chunks + end of stream */
    name_of(name, sizeof(name), "raw", cap->name);
    write_seed2("server", name, &ctl, 1, cap->c_log.data, cap->c_log.len);
    if (cap->cv == 0 || cap->cv < 0) {
        uint8_t c1 = ctl | 1, c7 = ctl | 7 | 8;
        name_of(name, sizeof(name), "raw-bytewise", cap->name);
        write_seed2("server", name, &c1, 1, cap->c_log.data, cap->c_log.len);
        name_of(name, sizeof(name), "raw-chunks-eof", cap->name);
        write_seed2("server", name, &c7, 1, cap->c_log.data, cap->c_log.len);
    }
    if (cap->version != MUTLS_TLS1_3)
        return; /* TLS 1.2: byte streams only */
    /* raw: just the ClientHello(s) */
    {
        mt_buf ch;
        mt_buf_init(&ch);
        for (size_t i = 0; i < cap->c_recs.n && cap->c_recs.r[i].epoch == 0; i++)
            (void)mt_w_bytes(&ch, cap->c_recs.r[i].wire, cap->c_recs.r[i].wire_len);
        name_of(name, sizeof(name), "raw-hello", cap->name);
        write_seed2("server", name, &ctl, 1, ch.data, ch.len);
        mt_buf_free(&ch);
    }
    /* script: the client's records; then the server writes, updates its
     * keys and closes */
    mt_buf_init(&b);
    (void)mt_w_u8(&b, (uint8_t)(0x80 | ctl));
    make_script(&cap->c_recs, &b, cap->cv == 3);
    name_of(name, sizeof(name), "script", cap->name);
    write_seed("server", name, b.data, b.len);
    if (n_server_api++ >= 3) {
        mt_buf_free(&b);
        return;
    }
    fz_script_op(&b, FZ_OP_WRITE);
    (void)mt_w_u8(&b, 5);
    (void)mt_w_bytes(&b, "hello", 5);
    fz_script_op(&b, FZ_OP_KEY_UPDATE);
    (void)mt_w_u8(&b, 1);
    fz_script_op(&b, FZ_OP_CLOSE);
    fz_script_op(&b, FZ_OP_EOF);
    name_of(name, sizeof(name), "script-api", cap->name);
    write_seed("server", name, b.data, b.len);
    mt_buf_free(&b);
}

/* A CertificateRequest for ECDSA P-256 and Ed25519 signatures. */
static size_t certificate_request(uint8_t *out)
{
    static const uint8_t cr[] = {
        MT_HS_CERTIFICATE_REQUEST, 0, 0, 15,
        0,                           /* certificate_request_context */
        0, 12,                       /* extensions */
        0, 13, 0, 8, 0, 6, 0x04, 0x03, 0x08, 0x07, 0x08, 0x04, /* signature_algorithms */
    };
    memcpy(out, cr, sizeof(cr));
    return sizeof(cr);
}

static void seeds_client(const capture *cap)
{
    char name[128];
    uint8_t ctl;
    mt_buf b;

    if (cap->cv < 0)
        return;
    /* raw: the server's byte stream, as answered to this very client */
    ctl = (uint8_t)(0 | cap->verify << 2 | cap->cv << 3);
    name_of(name, sizeof(name), "raw", cap->name);
    write_seed2("client", name, &ctl, 1, cap->s_log.data, cap->s_log.len);
    if (cap->version != MUTLS_TLS1_3)
        return; /* TLS 1.2: byte streams only */
    if (cap->cv == 0) {
        uint8_t c = ctl | 3 << 5; /* pseudo-random chunks */
        name_of(name, sizeof(name), "raw-chunks", cap->name);
        write_seed2("client", name, &c, 1, cap->s_log.data, cap->s_log.len);
    }
    /* script: the server's records, CertificateVerify and Finished
     * computed; the client then writes and updates its keys */
    mt_buf_init(&b);
    (void)mt_w_u8(&b, (uint8_t)(2 | cap->verify << 2 | cap->cv << 3));
    make_script(&cap->s_recs, &b, 1);
    fz_script_op(&b, FZ_OP_WRITE);
    (void)mt_w_u8(&b, 4);
    (void)mt_w_bytes(&b, "ping", 4);
    fz_script_op(&b, FZ_OP_KEY_UPDATE);
    (void)mt_w_u8(&b, 1);
    name_of(name, sizeof(name), "script", cap->name);
    write_seed("client", name, b.data, b.len);
    mt_buf_free(&b);

    /* script with a CertificateRequest after EncryptedExtensions */
    if ((cap->cv == 3 || cap->cv == 0) && find_msg(&cap->s_recs, MT_HS_CERTIFICATE_REQUEST) == NULL) {
        uint8_t cr[32];
        size_t cr_len = certificate_request(cr);
        mt_buf_init(&b);
        (void)mt_w_u8(&b, (uint8_t)(2 | cap->verify << 2 | cap->cv << 3));
        for (size_t i = 0; i < cap->s_recs.n; i++) {
            const rec *r = &cap->s_recs.r[i];
            if (r->type == MT_CT_HANDSHAKE && r->len >= 4 && r->data[0] == MT_HS_CERTIFICATE)
                fz_script_record(&b, MT_CT_HANDSHAKE, cr, cr_len);
            if (r->type == MT_CT_HANDSHAKE && r->epoch == 1 && r->len >= 4 &&
                r->data[0] == MT_HS_FINISHED)
                fz_script_op(&b, FZ_OP_FINISHED);
            else if (r->type == MT_CT_HANDSHAKE && r->len >= 4 &&
                     r->data[0] == MT_HS_CERTIFICATE_VERIFY)
                fz_script_op(&b, FZ_OP_CERT_VERIFY);
            else
                fz_script_record(&b, r->type, r->data, r->len);
        }
        name_of(name, sizeof(name), "script-certreq", cap->name);
        write_seed("client", name, b.data, b.len);
        mt_buf_free(&b);
    }
}

/* Tamper-mode seeds: edits against the targets' own in-process flights. */
static void seeds_client_tamper(void)
{
    static const struct {
        const char *name;
        uint8_t edits[8];
        size_t n;
    } sets[] = {
        {"none", {0}, 0},
        {"sh-random", {0, 0, 20, 0x55}, 4},       /* xor inside ServerHello.random */
        {"sh-suite", {1, 0, 76, 0x02}, 4},        /* set a byte near the suite */
        {"truncate", {4, 0x01, 0x00, 0}, 4},      /* truncate at 256 */
        {"insert-delete", {2, 0, 5, 0x16, 3, 0, 200, 0}, 8},
    };
    char name[64];
    for (int v = 0; v < FZ_CLIENT_VARIANTS; v++)
        for (size_t i = 0; i < sizeof(sets) / sizeof(sets[0]); i++) {
            uint8_t ctl = (uint8_t)(1 | (i & 1) << 2 | v << 3);
            if (v > 1 && i > 1)
                continue;
            snprintf(name, sizeof(name), "tamper-v%d-%s", v, sets[i].name);
            write_seed2("client", name, &ctl, 1, sets[i].edits, sets[i].n);
        }
}

/* The extension block of a message body, or 0. */
static int ext_block(uint8_t type, const uint8_t *body, size_t len, mt_reader *ext)
{
    mt_reader r = mt_reader_init(body, len), v;
    const uint8_t *skip;
    uint32_t u32;
    uint16_t u16;
    uint8_t u8;
    switch (type) {
    case MT_HS_CLIENT_HELLO:
        if (mt_r_bytes(&r, 34, &skip) || mt_r_vec(&r, 1, 0, 32, &v) ||
            mt_r_vec(&r, 2, 0, 0xffff, &v) || mt_r_vec(&r, 1, 0, 255, &v))
            return 0;
        break;
    case MT_HS_SERVER_HELLO:
        if (mt_r_bytes(&r, 34, &skip) || mt_r_vec(&r, 1, 0, 32, &v) || mt_r_u16(&r, &u16) ||
            mt_r_u8(&r, &u8))
            return 0;
        break;
    case MT_HS_ENCRYPTED_EXTENSIONS:
        break;
    case MT_HS_NEW_SESSION_TICKET:
        if (mt_r_u32(&r, &u32) || mt_r_u32(&r, &u32) || mt_r_vec(&r, 1, 0, 255, &v) ||
            mt_r_vec(&r, 2, 0, 0xffff, &v))
            return 0;
        break;
    case MT_HS_CERTIFICATE_REQUEST:
        if (mt_r_vec(&r, 1, 0, 255, &v))
            return 0;
        break;
    default:
        return 0;
    }
    return mt_r_vec(&r, 2, 0, 0xffff, ext) == 0;
}

static unsigned per_selector[10];

static void seeds_messages(const capture *cap, int cv_key)
{
    const stream *sts[2] = {&cap->c_recs, &cap->s_recs};
    char name[160];
    for (int dir = 0; dir < 2; dir++)
        for (size_t i = 0; i < sts[dir]->n; i++) {
            const rec *r = &sts[dir]->r[i];
            uint8_t pre[2] = {0, 0};
            int sel = -1;
            if (r->type != MT_CT_HANDSHAKE || r->len < 4)
                continue;
            switch (r->data[0]) {
            case MT_HS_CLIENT_HELLO: sel = 0; break;
            case MT_HS_SERVER_HELLO: sel = 1; pre[1] = cap->cv == 1; break;
            case MT_HS_ENCRYPTED_EXTENSIONS: sel = 2; pre[1] = 1; break;
            case MT_HS_CERTIFICATE: sel = 3; break;
            case MT_HS_NEW_SESSION_TICKET: sel = 4; break;
            case MT_HS_KEY_UPDATE: sel = 5; pre[1] = (uint8_t)(dir == 0 ? 2 : 0); break;
            case MT_HS_CERTIFICATE_VERIFY: sel = 7; pre[1] = (uint8_t)cv_key; break;
            case MT_HS_FINISHED: sel = 8; pre[1] = r->len == 4 + 48; break;
            default: break;
            }
            if (sel < 0 || (cap->version != MUTLS_TLS1_3 && sel > 1))
                continue; /* TLS 1.2: only the hellos share the 1.3 formats */
            if (per_selector[sel]++ >= 6)
                continue; /* enough of this kind */
            pre[0] = (uint8_t)sel;
            snprintf(name, sizeof(name), "%s-%s-%zu", mt_hs_type_name(r->data[0]), cap->name, i);
            write_seed2("messages", name, pre, 2, r->data + 4, r->len - 4);
            /* the ClientHello whole, for the server's dispatcher */
            if (sel == 0) {
                pre[0] = 9;
                snprintf(name, sizeof(name), "dispatch-ClientHello-%s-%zu", cap->name, i);
                write_seed2("messages", name, pre, 2, r->data, r->len);
            }
        }
    if (cap->version != MUTLS_TLS1_3)
        return;
    /* the client's handshake tail: EE .. Finished as whole messages */
    mt_buf tail;
    mt_buf_init(&tail);
    for (size_t i = 0; i < cap->s_recs.n; i++) {
        const rec *r = &cap->s_recs.r[i];
        if (r->type == MT_CT_HANDSHAKE && r->epoch == 1)
            (void)mt_w_bytes(&tail, r->data, r->len);
    }
    uint8_t pre[2] = {6, (uint8_t)(1 | 8 | ((cap->suite->code - 0x1301) % 3) << 4)};
    snprintf(name, sizeof(name), "tail-%s", cap->name);
    write_seed2("messages", name, pre, 2, tail.data, tail.len);
    if (cap->cv == 0) {
        uint8_t cr[32];
        size_t cr_len = certificate_request(cr);
        mt_buf b;
        mt_buf_init(&b);
        (void)mt_w_bytes(&b, cr, cr_len);
        /* skip the EncryptedExtensions (first message) */
        size_t ee = tail.len >= 4 ? 4 + ((size_t)tail.data[1] << 16 | tail.data[2] << 8 | tail.data[3]) : 0;
        if (ee <= tail.len)
            (void)mt_w_bytes(&b, tail.data + ee, tail.len - ee);
        pre[1] = 4 | 8;
        snprintf(name, sizeof(name), "tail-certreq-%s", cap->name);
        write_seed2("messages", name, pre, 2, b.data, b.len);
        mt_buf_free(&b);
    }
    mt_buf_free(&tail);
}

static void seeds_ext(const capture *cap)
{
    const stream *sts[2] = {&cap->c_recs, &cap->s_recs};
    char name[160];
    for (int dir = 0; dir < 2; dir++)
        for (size_t i = 0; i < sts[dir]->n; i++) {
            const rec *r = &sts[dir]->r[i];
            mt_reader ext;
            uint8_t pre[2] = {0xff, 0xff};
            if (r->type != MT_CT_HANDSHAKE || r->len < 4 ||
                !ext_block(r->data[0], r->data + 4, r->len - 4, &ext) || ext.len == 0)
                continue;
            if (r->data[0] == MT_HS_CLIENT_HELLO)
                pre[0] = pre[1] = 0;
            snprintf(name, sizeof(name), "%s-%s-%zu", mt_hs_type_name(r->data[0]), cap->name, i);
            write_seed2("ext", name, pre, 2, ext.p, ext.len);
        }
}

static void seeds_record(const capture *cap, int idx)
{
    char name[160];
    mt_buf b;
    /* raw wire: the plaintext records (no key) and the protected ones
     * (TLS 1.3 key: they will not authenticate, but frame) */
    for (size_t i = 0; i < cap->c_recs.n && i < 3; i++) {
        const rec *r = &cap->c_recs.r[i];
        uint8_t ctl = r->epoch == 0 ? 0 : 1;
        snprintf(name, sizeof(name), "raw-client-%s-%zu", cap->name, i);
        write_seed2("record", name, &ctl, 1, r->wire, r->wire_len);
    }
    /* sealed: the server's records as items, under each protection */
    for (int k = 0; k < 8; k++) {
        if (idx > 0 && k != 2 * idx && k != 2 * idx + 1)
            continue; /* every protection once, a capture each */
        mt_buf_init(&b);
        (void)mt_w_u8(&b, (uint8_t)(k | 1 << 3));
        for (size_t i = 0; i < cap->s_recs.n; i++) {
            const rec *r = &cap->s_recs.r[i];
            if (k >= 1 && k <= 3) { /* outer inner pad */
                (void)mt_w_u8(&b, MT_CT_APPLICATION_DATA);
                (void)mt_w_u8(&b, r->type);
                (void)mt_w_u8(&b, (uint8_t)(i % 3 == 2 ? 7 : 0));
            } else { /* type pos xor */
                (void)mt_w_u8(&b, r->type);
                (void)mt_w_u8(&b, 0);
                (void)mt_w_u8(&b, 0);
            }
            (void)mt_w_u16(&b, (uint16_t)r->len);
            (void)mt_w_bytes(&b, r->data, r->len);
        }
        snprintf(name, sizeof(name), "sealed-p%d-%s", k, cap->name);
        write_seed("record", name, b.data, b.len);
        mt_buf_free(&b);
    }
    /* round trip: the client's records */
    static const int prots[] = {0, 2, 4, 6, 7};
    for (size_t k = 0; idx == 0 && k < sizeof(prots) / sizeof(prots[0]); k++) {
        mt_buf_init(&b);
        (void)mt_w_u8(&b, (uint8_t)(prots[k] | 2 << 3));
        for (size_t i = 0; i < cap->c_recs.n; i++) {
            const rec *r = &cap->c_recs.r[i];
            (void)mt_w_u8(&b, (uint8_t)(r->type - MT_CT_CHANGE_CIPHER_SPEC));
            (void)mt_w_u16(&b, (uint16_t)r->len);
            (void)mt_w_bytes(&b, r->data, r->len);
        }
        snprintf(name, sizeof(name), "roundtrip-p%d-%s", prots[k], cap->name);
        write_seed("record", name, b.data, b.len);
        mt_buf_free(&b);
    }
}

static void seeds_record_edges(void)
{
    mt_buf b;
    /* TLS 1.3, sealed, small limit: a 600-byte record, a padded one, a bad tag */
    mt_buf_init(&b);
    (void)mt_w_bytes(&b, (const uint8_t[]){1 | 1 << 3 | 1 << 5, 23, 23, 0, 0x02, 0x58}, 6);
    for (int i = 0; i < 600; i++)
        (void)mt_w_u8(&b, (uint8_t)i);
    (void)mt_w_bytes(&b, (const uint8_t[]){23, 0, 200, 0, 3, 'a', 'b', 'c'}, 8);
    (void)mt_w_bytes(&b, (const uint8_t[]){0x80 | 23, 23, 0, 0, 1, 'x'}, 6);
    write_seed("record", "sealed-tls13-limit-padding-badtag", b.data, b.len);
    mt_buf_free(&b);
    /* TLS 1.2 CBC, both MAC orders: a good record, one with a flipped byte
     * in the last ciphertext block (padding), one with arbitrary decrypted
     * bytes that end in a plausible pad */
    for (int prot = 6; prot <= 7; prot++) {
        char name[64];
        uint8_t plain[48];
        mt_buf_init(&b);
        (void)mt_w_u8(&b, (uint8_t)(prot | 1 << 3));
        (void)mt_w_bytes(&b, (const uint8_t[]){23, 0, 0, 0, 5, 'h', 'e', 'l', 'l', 'o'}, 10);
        (void)mt_w_bytes(&b, (const uint8_t[]){23, 0xfe, 0x01, 0, 5, 'h', 'e', 'l', 'l', 'o'}, 10);
        memset(plain, 0x0f, sizeof(plain));
        memcpy(plain, "data+mac.............", 21);
        (void)mt_w_bytes(&b, (const uint8_t[]){0x80 | 23, 0, 0, 0, sizeof(plain)}, 5);
        (void)mt_w_bytes(&b, plain, sizeof(plain));
        snprintf(name, sizeof(name), "sealed-cbc-p%d-padding", prot);
        write_seed("record", name, b.data, b.len);
        mt_buf_free(&b);
    }
    /* plaintext: an alert, a CCS, an oversized header */
    static const uint8_t plain[] = {0x00, 21, 3, 3, 0, 2, 2, 40, 20, 3, 3, 0, 1, 1,
                                    23,   3,  3, 0x40, 1};
    write_seed("record", "raw-alert-ccs-overflow", plain, sizeof(plain));
    static const uint8_t notls[] = {0x00, 'G', 'E', 'T', ' ', '/', ' ', 'H', 'T', 'T', 'P'};
    write_seed("record", "raw-not-tls", notls, sizeof(notls));
}

/* DER of every certificate in a PEM file. */
static size_t pem_certs(const char *file, uint8_t **der, size_t *der_len, size_t max)
{
    size_t len, n = 0;
    uint8_t *pem = fz_read_cert_file(file, &len);
    BIO *bio = BIO_new_mem_buf(pem, (int)len);
    X509 *x;
    while (n < max && (x = PEM_read_bio_X509(bio, NULL, NULL, NULL)) != NULL) {
        int l = i2d_X509(x, NULL);
        unsigned char *p;
        der[n] = malloc((size_t)l);
        p = der[n];
        i2d_X509(x, &p);
        der_len[n++] = (size_t)l;
        X509_free(x);
    }
    ERR_clear_error();
    BIO_free(bio);
    free(pem);
    return n;
}

static void seeds_x509(void)
{
    static const struct {
        const char *file;
        uint8_t ctl; /* chain mode flags (bit 0 set) */
    } files[] = {
        {"ca.pem", 0x01},
        {"intermediate.pem", 0x01},
        {"rogue-ca.pem", 0x01},
        {"server-ecdsa-p256.pem", 0x01 | 1 << 1},
        {"server-ecdsa-p384.pem", 0x01 | 2 << 1},
        {"server-ed25519.pem", 0x01 | 3 << 1},
        {"server-rsa2048.pem", 0x01 | 4 << 1},
        {"server-rsa-pss.pem", 0x01 | 1 << 1},
        {"server-rsa4096.pem", 0x01 | 1 << 1},
        {"server-expired.pem", 0x01 | 1 << 1},
        {"server-not-yet-valid.pem", 0x01 | 1 << 1 | 2 << 5},
        {"server-rogue.pem", 0x01 | 1 << 1},
        {"server-wrong-eku.pem", 0x01 | 1 << 1},
        {"server-wrong-name.pem", 0x01 | 7 << 1},
        {"server-wildcard.pem", 0x01 | 5 << 1},
        {"server-bad-wildcards.pem", 0x01 | 5 << 1},
        {"server-ip-only.pem", 0x01 | 2 << 1},
        {"server-cn-only.pem", 0x01 | 1 << 1},
        {"client-ecdsa-p256.pem", 0x01 | 1 << 4},
        {"client-ed25519.pem", 0x01 | 1 << 4},
        {"client-rsa2048.pem", 0x01 | 1 << 4 | 1 << 5},
    };
    char name[160];
    for (size_t f = 0; f < sizeof(files) / sizeof(files[0]); f++) {
        uint8_t *der[4];
        size_t der_len[4], n = pem_certs(files[f].file, der, der_len, 4);
        const char *stem = files[f].file;
        size_t stem_len = strlen(stem) - 4;
        mt_buf b;
        uint8_t zero = 0;
        if (n == 0)
            fz_die("%s: no certificate", stem);
        /* the leaf alone (the intermediate once, from intermediate.pem) */
        snprintf(name, sizeof(name), "der-%.*s", (int)stem_len, stem);
        write_seed2("x509", name, &zero, 1, der[0], der_len[0]);
        /* the chain as sent */
        mt_buf_init(&b);
        (void)mt_w_u8(&b, files[f].ctl);
        for (size_t i = 0; i < n; i++) {
            (void)mt_w_u16(&b, (uint16_t)der_len[i]);
            (void)mt_w_bytes(&b, der[i], der_len[i]);
        }
        snprintf(name, sizeof(name), "chain-%.*s", (int)stem_len, stem);
        write_seed("x509", name, b.data, b.len);
        mt_buf_free(&b);
        for (size_t i = 0; i < n; i++)
            free(der[i]);
    }
}

static void seeds_wire(const capture *cap)
{
    char name[160];
    for (size_t i = 0; i < cap->s_recs.n; i++) {
        const rec *r = &cap->s_recs.r[i];
        uint8_t ctl;
        mt_reader rd, v;
        if (r->type != MT_CT_HANDSHAKE || r->len < 8)
            continue;
        rd = mt_reader_init(r->data + 4, r->len - 4);
        if (r->data[0] == MT_HS_CERTIFICATE) {
            /* context<1> then certificate_list<3>: u24 vectors */
            if (mt_r_vec(&rd, 1, 0, 255, &v) || mt_r_vec(&rd, 3, 0, 0xffffff, &v))
                continue;
            ctl = 3 | 1 << 2;
            snprintf(name, sizeof(name), "u24-certificate-list-%s", cap->name);
            write_seed2("wire", name, &ctl, 1, v.p, v.len);
        } else if (r->data[0] == MT_HS_ENCRYPTED_EXTENSIONS) {
            /* extensions<2> holds type/vector pairs: u16 vectors */
            ctl = 2 | 3 << 2;
            snprintf(name, sizeof(name), "u16-ee-%s", cap->name);
            write_seed2("wire", name, &ctl, 1, r->data + 4, r->len - 4);
        }
    }
    /* nested u8 vectors (ALPN-like), u16 vectors of vectors */
    static const uint8_t alpn[] = {1, 2, 'h', '2', 8, 'h', 't', 't', 'p', '/', '1', '.', '1'};
    write_seed("wire", "u8-alpn", alpn, sizeof(alpn));
    static const uint8_t nested[] = {2 | 3 << 2, 0, 8, 0, 2, 0xaa, 0xbb, 0, 2, 0, 0, 0, 1, 0x7f,
                                     0x01, 0x02, 0x03};
    write_seed("wire", "u16-nested-tail", nested, sizeof(nested));
}


/* ---- hand-built edge cases --------------------------------------------- */

/* Wrap a body as a handshake message. */
static void hs_msg(mt_buf *out, uint8_t type, const mt_buf *body)
{
    (void)mt_w_u8(out, type);
    (void)mt_w_u24(out, (uint32_t)body->len);
    (void)mt_w_bytes(out, body->data, body->len);
}

typedef struct ch_opts {
    int no_versions, compression, no_sigalgs, extras, share_not_listed;
    uint16_t share_group; /* 0: an empty key_share */
    const char *sni;
    const char *alpn; /* one protocol */
    uint16_t record_size_limit;
    const char *sigs; /* "ecdsa" (default), "ed25519", "rsa" */
    const uint16_t *groups;
    size_t n_groups;
} ch_opts;

/* A ClientHello built from parts, with a fresh key share from the hooks. */
static void build_client_hello(mt_buf *msg, const ch_opts *o)
{
    static const uint16_t def_groups[] = {MT_GROUP_X25519, MT_GROUP_SECP256R1, MT_GROUP_SECP384R1};
    static const uint16_t ecdsa[] = {MT_SIG_ECDSA_SECP256R1_SHA256, MT_SIG_ED25519,
                                     MT_SIG_RSA_PSS_RSAE_SHA256};
    static const uint16_t ed[] = {MT_SIG_ED25519};
    static const uint16_t rsa[] = {MT_SIG_RSA_PKCS1_SHA256, MT_SIG_RSA_PSS_PSS_SHA256};
    static const uint16_t v13[] = {0x7f1c, MUTLS_TLS1_3, MUTLS_TLS1_2};
    static const uint16_t suites[] = {0x00ff, 0x1301, 0x1302, 0x1303, 0xc02b};
    fz_rng rng = {UINT64_C(0x65646765), 0};
    mt_rng hook = {fz_random, &rng};
    uint8_t random[32], sid[32], pub[MT_MAX_KX_PUB];
    size_t pub_len = 0;
    mt_kx *kx = NULL;
    mt_buf b;

    (void)fz_random(&rng, random, sizeof(random));
    (void)fz_random(&rng, sid, sizeof(sid));
    if (o->share_group && mt_kx_generate(cx, o->share_group, &hook, &kx, pub, &pub_len) != 0)
        fz_die("key share");
    mt_kx_free(kx);
    mt_buf_init(&b);
    (void)mt_w_u16(&b, 0x0303);
    (void)mt_w_bytes(&b, random, 32);
    (void)mt_w_u8(&b, 32);
    (void)mt_w_bytes(&b, sid, 32);
    size_t v = mt_w_open(&b, 2);
    for (size_t i = 0; i < sizeof(suites) / sizeof(suites[0]); i++)
        (void)mt_w_u16(&b, suites[i]);
    (void)mt_w_close(&b, v, 2);
    if (o->compression) {
        (void)mt_w_u8(&b, 2);
        (void)mt_w_u8(&b, 1);
        (void)mt_w_u8(&b, 0);
    } else {
        (void)mt_w_u8(&b, 1);
        (void)mt_w_u8(&b, 0);
    }
    size_t ext = mt_w_open(&b, 2);
    if (o->sni)
        (void)mt_ext_write_server_name(&b, o->sni);
    if (!o->no_versions)
        (void)mt_ext_write_supported_versions_ch(&b, v13, 3);
    if (o->groups)
        (void)mt_ext_write_supported_groups(&b, o->groups, o->n_groups);
    else
        (void)mt_ext_write_supported_groups(&b, def_groups, o->share_not_listed ? 2 : 3);
    {
        uint16_t g = o->share_group ? o->share_group : 0;
        const uint8_t *pubs[1] = {pub};
        (void)mt_ext_write_key_share_ch(&b, &g, pubs, &pub_len, o->share_group ? 1 : 0);
    }
    if (!o->no_sigalgs) {
        const uint16_t *l = ecdsa;
        size_t n = 3;
        if (o->sigs && strcmp(o->sigs, "ed25519") == 0)
            l = ed, n = 1;
        else if (o->sigs && strcmp(o->sigs, "rsa") == 0)
            l = rsa, n = 2;
        (void)mt_ext_write_signature_algorithms(&b, MT_EXT_SIGNATURE_ALGORITHMS, l, n);
        (void)mt_ext_write_signature_algorithms(&b, MT_EXT_SIGNATURE_ALGORITHMS_CERT, l, n);
    }
    if (o->alpn) {
        uint8_t one[64];
        size_t n = strlen(o->alpn);
        one[0] = (uint8_t)n;
        memcpy(one + 1, o->alpn, n);
        (void)mt_ext_write_alpn(&b, one, n + 1);
    }
    if (o->record_size_limit)
        (void)mt_ext_write_record_size_limit(&b, o->record_size_limit);
    if (o->extras) {
        /* psk_key_exchange_modes, early_data, post_handshake_auth,
         * certificate_authorities, padding (unknown), pre_shared_key last */
        static const uint8_t more[] = {
            0, 45, 0, 2, 1, 1,
            0, 42, 0, 0,
            0, 49, 0, 0,
            0, 47, 0, 6, 0, 4, 0, 2, 0x30, 0x00,
            0, 21, 0, 4, 0, 0, 0, 0,
            0, 41, 0, 18, 0, 9, 0, 3, 'i', 'd', '1', 0, 0, 0, 1, 0, 5, 4, 1, 2, 3, 4,
        };
        (void)mt_w_bytes(&b, more, sizeof(more));
    }
    (void)mt_w_close(&b, ext, 2);
    hs_msg(msg, MT_HS_CLIENT_HELLO, &b);
    mt_buf_free(&b);
}

static void server_edge(const char *name, uint8_t variant, const ch_opts *o, int finish,
                        int fragment)
{
    mt_buf msg, sc;
    mt_buf_init(&msg);
    mt_buf_init(&sc);
    build_client_hello(&msg, o);
    (void)mt_w_u8(&sc, (uint8_t)(0x80 | variant << 5));
    if (fragment) {
        /* the ClientHello in two records, a CCS wedged in when fragment 2 */
        size_t half = msg.len / 2;
        fz_script_record(&sc, MT_CT_HANDSHAKE, msg.data, half);
        if (fragment == 2)
            fz_script_record(&sc, MT_CT_CHANGE_CIPHER_SPEC, (const uint8_t *)"\1", 1);
        fz_script_record(&sc, MT_CT_HANDSHAKE, msg.data + half, msg.len - half);
    } else {
        fz_script_record(&sc, MT_CT_HANDSHAKE, msg.data, msg.len);
    }
    if (finish) {
        static const uint8_t data[300] = {'x'};
        fz_script_op(&sc, FZ_OP_FINISHED);
        fz_script_record(&sc, MT_CT_APPLICATION_DATA, data, sizeof(data));
        fz_script_op(&sc, FZ_OP_WRITE);
        (void)mt_w_u8(&sc, 200);
        (void)mt_w_bytes(&sc, data, 200);
    }
    write_seed("server", name, sc.data, sc.len);
    mt_buf_free(&msg);
    mt_buf_free(&sc);
}

static void seeds_server_edges(void)
{
    static const uint16_t p384[] = {MT_GROUP_SECP384R1};
    static const uint16_t x_then_p256[] = {MT_GROUP_X25519, MT_GROUP_SECP256R1};
    ch_opts o;
#define OPTS(...) (memset(&o, 0, sizeof(o)), o.share_group = MT_GROUP_X25519, __VA_ARGS__, &o)
    server_edge("edge-ch-tls12", 0, OPTS(o.no_versions = 1), 0, 0);
    server_edge("edge-ch-compression", 0, OPTS(o.compression = 1), 0, 0);
    server_edge("edge-ch-psk-early-data-padding", 0, OPTS(o.extras = 1), 1, 0);
    server_edge("edge-ch-no-sigalgs", 0, OPTS(o.no_sigalgs = 1), 0, 0);
    server_edge("edge-ch-share-not-in-groups", 0, OPTS(o.share_not_listed = 1, o.share_group = MT_GROUP_SECP384R1), 0, 0);
    server_edge("edge-ch-no-share-hrr", 0, OPTS(o.share_group = 0), 0, 0);
    server_edge("edge-ch-sni-alpn-limit", 1,
                OPTS(o.sni = "localhost", o.alpn = "h2", o.record_size_limit = 100,
                     o.groups = x_then_p256, o.n_groups = 2, o.share_group = MT_GROUP_SECP256R1),
                1, 0);
    server_edge("edge-ch-alpn-mismatch", 1, OPTS(o.alpn = "spdy/3", o.share_group = MT_GROUP_SECP256R1), 0, 0);
    server_edge("edge-ch-ed25519-only-v1", 1, OPTS(o.sigs = "ed25519", o.share_group = MT_GROUP_SECP256R1), 1, 0);
    server_edge("edge-ch-ed25519-only-v0", 0, OPTS(o.sigs = "ed25519"), 0, 0);
    server_edge("edge-ch-rsa-only", 0, OPTS(o.sigs = "rsa"), 0, 0);
    server_edge("edge-ch-p384", 0, OPTS(o.groups = p384, o.n_groups = 1, o.share_group = MT_GROUP_SECP384R1), 1, 0);
    server_edge("edge-ch-sni-unknown", 1, OPTS(o.sni = "unknown.example", o.share_group = MT_GROUP_SECP256R1), 1, 0);
    server_edge("edge-ch-fragmented", 0, OPTS(o.sni = "localhost"), 1, 1);
    server_edge("edge-ch-fragmented-ccs-inside", 0, OPTS(o.sni = "localhost"), 0, 2);
#undef OPTS
    /* two ClientHellos in one record; a ClientHello then garbage */
    {
        mt_buf msg, sc;
        ch_opts q;
        memset(&q, 0, sizeof(q));
        q.share_group = MT_GROUP_X25519;
        mt_buf_init(&msg);
        mt_buf_init(&sc);
        build_client_hello(&msg, &q);
        build_client_hello(&msg, &q);
        (void)mt_w_u8(&sc, 0x80);
        fz_script_record(&sc, MT_CT_HANDSHAKE, msg.data, msg.len);
        write_seed("server", "edge-two-hellos-one-record", sc.data, sc.len);
        mt_buf_free(&msg);
        mt_buf_free(&sc);
    }
}

/* ServerHello / HelloRetryRequest from parts. */
typedef struct sh_opts {
    const uint8_t *sid;
    size_t sid_len;
    uint16_t suite;
    int hrr, no_versions, no_share;
    uint16_t group; /* key share (SH) or selected group (HRR) */
    const uint8_t *pub;
    size_t pub_len;
    int cookie;
} sh_opts;

static void build_server_hello(mt_buf *msg, const sh_opts *o)
{
    static const uint8_t random[32] = {1, 2, 3, 4, 5, 6, 7, 8};
    static const uint8_t cookie[12] = "cookie-bytes";
    mt_buf b;
    mt_buf_init(&b);
    (void)mt_w_u16(&b, 0x0303);
    (void)mt_w_bytes(&b, o->hrr ? mt_hrr_random : random, 32);
    (void)mt_w_u8(&b, (uint8_t)o->sid_len);
    (void)mt_w_bytes(&b, o->sid, o->sid_len);
    (void)mt_w_u16(&b, o->suite);
    (void)mt_w_u8(&b, 0);
    size_t ext = mt_w_open(&b, 2);
    if (!o->no_versions)
        (void)mt_ext_write_supported_versions_sh(&b, MUTLS_TLS1_3);
    if (!o->no_share) {
        if (o->hrr)
            (void)mt_ext_write_key_share_hrr(&b, o->group);
        else
            (void)mt_ext_write_key_share_sh(&b, o->group, o->pub, o->pub_len);
    }
    if (o->cookie)
        (void)mt_ext_write_cookie(&b, cookie, sizeof(cookie));
    (void)mt_w_close(&b, ext, 2);
    hs_msg(msg, MT_HS_SERVER_HELLO, &b);
    mt_buf_free(&b);
}


/* Client edge cases, against client variant 0 (the capture "a") and
 * variant 1 (capture "b", which offers ALPN). */
static void seeds_client_edges(const capture *a, const capture *b)
{
    const rec *sh = find_msg(&a->s_recs, MT_HS_SERVER_HELLO);
    const rec *ee = find_msg(&a->s_recs, MT_HS_ENCRYPTED_EXTENSIONS);
    const rec *ct = find_msg(&a->s_recs, MT_HS_CERTIFICATE);
    mt_reader r, sid, ext;
    const uint8_t *skip;
    uint16_t suite;
    uint8_t comp;
    mt_exts x;
    mt_error e;
    sh_opts o;
    mt_buf m, sc;

    if (!sh || !ee || !ct)
        fz_die("capture without ServerHello/EncryptedExtensions/Certificate");
    r = mt_reader_init(sh->data + 4, sh->len - 4);
    memset(&x, 0, sizeof(x));
    mt_error_clear(&e);
    if (mt_r_bytes(&r, 34, &skip) || mt_r_vec(&r, 1, 0, 32, &sid) || mt_r_u16(&r, &suite) ||
        mt_r_u8(&r, &comp) || mt_r_vec(&r, 2, 0, 0xffff, &ext) ||
        mt_exts_parse(&ext, MT_IN_SH, ~0ull, &x, &e) != 0 || x.n_shares != 1)
        fz_die("captured ServerHello");

    const uint8_t ctl = 2; /* script, verify NONE, variant 0 */
#define BEGIN() (mt_buf_init(&m), mt_buf_init(&sc), (void)mt_w_u8(&sc, ctl), memset(&o, 0, sizeof(o)), \
                 o.sid = sid.p, o.sid_len = sid.len, o.suite = suite, o.group = x.shares[0].group,    \
                 o.pub = x.shares[0].pub, o.pub_len = x.shares[0].len)
#define SEND_SH() (m.len = 0, build_server_hello(&m, &o), fz_script_record(&sc, MT_CT_HANDSHAKE, m.data, m.len))
#define END(name) (write_seed("client", name, sc.data, sc.len), mt_buf_free(&m), mt_buf_free(&sc))
#define REST() (fz_script_record(&sc, MT_CT_HANDSHAKE, ee->data, ee->len),                          \
                fz_script_record(&sc, MT_CT_HANDSHAKE, ct->data, ct->len),                          \
                fz_script_op(&sc, FZ_OP_CERT_VERIFY), fz_script_op(&sc, FZ_OP_FINISHED))

    BEGIN(); o.no_versions = 1; SEND_SH(); END("edge-sh-no-supported-versions");
    BEGIN(); o.no_share = 1; SEND_SH(); END("edge-sh-no-key-share");
    BEGIN(); o.group = MT_GROUP_SECP256R1; SEND_SH(); END("edge-sh-share-for-other-group");
    BEGIN(); o.sid_len = 0; SEND_SH(); END("edge-sh-session-id-not-echoed");
    BEGIN(); o.suite = 0x1304; SEND_SH(); END("edge-sh-suite-not-offered");
    /* HelloRetryRequest: twice; cookie only; same group; suite changes */
    BEGIN(); o.hrr = 1; o.group = MT_GROUP_SECP256R1; SEND_SH();
    fz_script_record(&sc, MT_CT_CHANGE_CIPHER_SPEC, (const uint8_t *)"\1", 1);
    o.group = MT_GROUP_SECP384R1; SEND_SH(); END("edge-hrr-twice");
    BEGIN(); o.hrr = 1; o.no_share = 1; o.cookie = 1; SEND_SH();
    o.hrr = 0; o.no_share = 0; o.cookie = 0; SEND_SH(); REST(); END("edge-hrr-cookie-only");
    BEGIN(); o.hrr = 1; SEND_SH(); END("edge-hrr-same-group");
    BEGIN(); o.hrr = 1; o.no_share = 1; SEND_SH(); END("edge-hrr-changes-nothing");
    BEGIN(); o.hrr = 1; o.group = MT_GROUP_SECP256R1; o.suite = 0x1303; SEND_SH();
    o.hrr = 0; o.suite = suite; SEND_SH(); END("edge-hrr-then-other-suite");
    /* Certificate: a request context, an empty list; a CertificateRequest
     * without signature_algorithms; Finished before CertificateVerify */
    BEGIN(); SEND_SH(); fz_script_record(&sc, MT_CT_HANDSHAKE, ee->data, ee->len);
    {
        mt_buf c2;
        mt_buf_init(&c2);
        (void)mt_w_u8(&c2, MT_HS_CERTIFICATE);
        (void)mt_w_u24(&c2, (uint32_t)(ct->len - 4 + 2));
        (void)mt_w_u8(&c2, 2);
        (void)mt_w_u8(&c2, 0xaa);
        (void)mt_w_u8(&c2, 0xbb);
        (void)mt_w_bytes(&c2, ct->data + 5, ct->len - 5);
        fz_script_record(&sc, MT_CT_HANDSHAKE, c2.data, c2.len);
        mt_buf_free(&c2);
    }
    END("edge-cert-with-context");
    BEGIN(); SEND_SH(); fz_script_record(&sc, MT_CT_HANDSHAKE, ee->data, ee->len);
    fz_script_record(&sc, MT_CT_HANDSHAKE, (const uint8_t *)"\x0b\x00\x00\x04\x00\x00\x00\x00", 8);
    END("edge-cert-empty");
    BEGIN(); SEND_SH(); fz_script_record(&sc, MT_CT_HANDSHAKE, ee->data, ee->len);
    fz_script_record(&sc, MT_CT_HANDSHAKE,
                     (const uint8_t *)"\x0d\x00\x00\x09\x00\x00\x06\x00\x2f\x00\x02\x00\x00", 13);
    END("edge-certreq-no-sigalgs");
    BEGIN(); SEND_SH(); fz_script_record(&sc, MT_CT_HANDSHAKE, ee->data, ee->len);
    fz_script_record(&sc, MT_CT_HANDSHAKE, ct->data, ct->len);
    fz_script_op(&sc, FZ_OP_FINISHED); END("edge-finished-without-cv");
    /* records: a cleartext alert mid-handshake, data too early, two CCS,
     * end of stream, ServerHello and more in one record */
    BEGIN(); SEND_SH();
    (void)mt_w_u8(&sc, FZ_OP_RAW); (void)mt_w_u16(&sc, 7);
    (void)mt_w_bytes(&sc, (const uint8_t *)"\x15\x03\x03\x00\x02\x02\x28", 7);
    END("edge-cleartext-alert-in-handshake");
    BEGIN(); SEND_SH(); fz_script_record(&sc, MT_CT_APPLICATION_DATA, (const uint8_t *)"early", 5);
    END("edge-data-before-finished");
    BEGIN(); SEND_SH(); fz_script_record(&sc, MT_CT_CHANGE_CIPHER_SPEC, (const uint8_t *)"\1", 1);
    fz_script_record(&sc, MT_CT_CHANGE_CIPHER_SPEC, (const uint8_t *)"\1", 1);
    END("edge-two-ccs");
    BEGIN(); SEND_SH(); fz_script_op(&sc, FZ_OP_EOF); END("edge-eof-in-handshake");
    BEGIN(); build_server_hello(&m, &o); (void)mt_w_bytes(&m, ee->data, ee->len);
    fz_script_record(&sc, MT_CT_HANDSHAKE, m.data, m.len); END("edge-sh-and-ee-one-record");
    /* after the handshake: a bad KeyUpdate, a KeyUpdate with data behind
     * it, a NewSessionTicket over seven days, a warning alert, data after
     * close_notify */
    BEGIN(); SEND_SH(); REST();
    fz_script_record(&sc, MT_CT_HANDSHAKE, (const uint8_t *)"\x18\x00\x00\x01\x02", 5);
    END("edge-keyupdate-bad-value");
    BEGIN(); SEND_SH(); REST();
    fz_script_record(&sc, MT_CT_HANDSHAKE, (const uint8_t *)"\x18\x00\x00\x01\x00\x18\x00\x00\x01\x00", 10);
    END("edge-keyupdate-data-after");
    BEGIN(); SEND_SH(); REST();
    {
        uint8_t nst[64];
        size_t n = fz_new_session_ticket(nst);
        nst[4] = 0x7f; /* lifetime far over seven days */
        fz_script_record(&sc, MT_CT_HANDSHAKE, nst, n);
    }
    END("edge-nst-lifetime");
    BEGIN(); SEND_SH(); REST();
    fz_script_record(&sc, MT_CT_ALERT, (const uint8_t *)"\x01\x5a", 2);
    fz_script_record(&sc, MT_CT_ALERT, (const uint8_t *)"\x01\x00", 2);
    fz_script_record(&sc, MT_CT_APPLICATION_DATA, (const uint8_t *)"late", 4);
    fz_script_op(&sc, FZ_OP_EOF);
    END("edge-user-canceled-close-then-data");
    BEGIN(); SEND_SH(); REST();
    fz_script_record(&sc, MT_CT_HANDSHAKE, (const uint8_t *)"\x04\x00", 2);
    fz_script_record(&sc, MT_CT_ALERT, (const uint8_t *)"\x02\x0a", 2);
    END("edge-fragment-then-alert");
#undef BEGIN
#undef SEND_SH
#undef END
#undef REST

    /* variant 1 (ALPN offered): the server picks a protocol never offered */
    mt_buf_init(&sc);
    (void)mt_w_u8(&sc, (uint8_t)(2 | 1 << 3));
    for (size_t i = 0; i < b->s_recs.n; i++) {
        const rec *q = &b->s_recs.r[i];
        if (q->type == MT_CT_HANDSHAKE && q->len >= 4 && q->data[0] == MT_HS_ENCRYPTED_EXTENSIONS) {
            static const uint8_t ee_spdy[] = {8, 0, 0, 15, 0, 13, 0, 16, 0, 9, 0, 7, 6,
                                              's', 'p', 'd', 'y', '/', '3'};
            fz_script_record(&sc, MT_CT_HANDSHAKE, ee_spdy, sizeof(ee_spdy));
            break;
        }
        fz_script_record(&sc, q->type, q->data, q->len);
    }
    write_seed("client", "edge-alpn-not-offered", sc.data, sc.len);
    mt_buf_free(&sc);
}

/* ---- resumption, 0-RTT, False Start ---------------------------------------- */

/* A resumed handshake (or an attempt): a client of ccfg named as client
 * variant base offering sess, with 0-RTT data when early, against scfg;
 * the way fz_resume_client_start and the targets start one. */
static int run_resumed(capture *cap, mutls_config *ccfg, int base, mutls_session *sess, int early,
                       mutls_config *scfg, secrets *sec, int other_server_random)
{
    mutls_conn *c, *s;
    int ret = -1;

    memset(sec, 0, sizeof(*sec));
    mt_buf_init(&cap->c_log);
    mt_buf_init(&cap->s_log);
    cap->c_recs.n = cap->s_recs.n = 0;
    fz_reset();
    /* A server that declines a session ID must not draw the same random
     * session ID as the one that made it (only a fixed random stream
     * would). */
    if (other_server_random)
        fz_server_rng.counter = 1000;
    if ((c = mutls_conn_new(ccfg)) == NULL || (s = mutls_conn_new(scfg)) == NULL)
        fz_die("%s: mutls_conn_new", cap->name);
    if (mutls_conn_set_server_name(c, fz_client_server_name(base)) != 0 ||
        (sess != NULL && mutls_conn_set_session(c, sess) != 0) ||
        (early && mutls_conn_write_early_data(c, fz_early_data, sizeof(fz_early_data) - 1) < 0))
        fz_die("%s: client setup", cap->name);
    (void)mutls_conn_handshake(c);
    if (fz_run_pair(c, s, &cap->c_log, &cap->s_log) != 0) {
        printf("  %-30s skipped: handshake failed: client: %s; server: %s\n", cap->name,
               mutls_conn_error(c), mutls_conn_error(s));
        goto Exit;
    }
    cap->ok = 1;
    cap->version = mutls_conn_version(c);
    cap->suite = mt_suite_find(mutls_conn_cipher_suite(c));
    cap->hrr = mutls_conn_did_hrr(c);
    cap->resumed = mutls_conn_is_resumed(s);
    cap->early = mutls_conn_early_data_status(s);
    if (cap->version == MUTLS_TLS1_3) {
        if (sec->have < 4)
            fz_die("%s: no secrets", cap->name);
        decrypt_stream(&cap->c_log, cap->suite, sec->have_early ? sec->c_e : NULL, sec->c_hs,
                       sec->c_ap, &cap->c_recs);
        decrypt_stream(&cap->s_log, cap->suite, NULL, sec->s_hs, sec->s_ap, &cap->s_recs);
    }
    ret = 0;
Exit:
    mutls_conn_free(c);
    mutls_conn_free(s);
    return ret;
}

/* fuzz_server, raw mode, configuration 7: ask once connected. */
static int asked;

static void ask_once(mutls_conn *c)
{
    if (!asked && mutls_conn_handshake_done(c)) {
        asked = 1;
        (void)mutls_conn_request_client_auth(c);
    }
}

/* Does the client stream take a server of scfg, as fuzz_server holds it
 * (fresh state after each input), fed in chunks chunk (fz_feed_chunked),
 * to connected and resumed? */
static int replays_resumed(const capture *cap, mutls_config *scfg, unsigned chunk)
{
    mutls_conn *s;
    int ok;
    fz_server_fresh_state(scfg);
    fz_reset();
    asked = 0;
    if ((s = mutls_conn_new(scfg)) == NULL)
        fz_die("server");
    fz_feed_chunked(s, cap->c_log.data, cap->c_log.len, chunk, cap->sv == 7 ? ask_once : NULL);
    ok = mutls_conn_handshake_done(s) && mutls_conn_error_code(s) == MUTLS_OK &&
         mutls_conn_is_resumed(s);
    if (cap->early == MUTLS_EARLY_DATA_ACCEPTED &&
        mutls_conn_early_data_status(s) != MUTLS_EARLY_DATA_ACCEPTED)
        ok = 0;
    fz_server_fresh_state(scfg);
    mutls_conn_free(s);
    return ok;
}

static const char *early_name(int status)
{
    return status == MUTLS_EARLY_DATA_ACCEPTED   ? ", 0-RTT accepted"
           : status == MUTLS_EARLY_DATA_REJECTED ? ", 0-RTT refused"
                                                 : "";
}

static void print_resumed(const capture *cap, const char *what)
{
    printf("  %-30s %s %s%s%s%s; client %zu bytes, server %zu bytes%s\n", cap->name,
           mutls_version_name(cap->version), cap->suite ? cap->suite->name : "-",
           cap->resumed ? " resumed" : " full handshake", cap->hrr ? " after HelloRetryRequest" : "",
           early_name(cap->early), cap->c_log.len, cap->s_log.len, what);
}

/* An export, as is (fuzz_session selector 0) or without its check for the
 * harness to append (selector 1). */
static void seed_export(const char *name, const mutls_session *sess, int sealed)
{
    uint8_t *blob, sel = (uint8_t)sealed;
    size_t len;
    if (mutls_session_export(sess, &blob, &len) != MUTLS_OK)
        fz_die("export %s", name);
    write_seed2("session", name, &sel, 1, blob, sealed ? len - 32 : len);
    free(blob);
}

/* The state inside a ticket (selector 2) and the ticket (selector 3). */
static mt_ticket_keys *fixed_keys;

/* Selector 8: the export (without its check) of a session whose ticket
 * field holds the state its ticket seals, in the clear. */
static void seed_export_state_ticket(const char *name, const mutls_session *sess)
{
    mt_buf plain;
    mutls_session *copy;
    uint8_t *blob, sel = 8;
    size_t len;
    mt_buf_init(&plain);
    if (mt_ticket_open(fixed_keys, FZ_NOW, sess->ticket, sess->ticket_len, &plain) != 0 ||
        (copy = mt_session_new(&sess->st, plain.data, plain.len, sess->session_id,
                               sess->session_id_len)) == NULL ||
        mutls_session_export(copy, &blob, &len) != MUTLS_OK)
        fz_die("%s: the ticket does not open under the fixed keys", name);
    write_seed2("session", name, &sel, 1, blob, len - 32);
    free(blob);
    mutls_session_free(copy);
    mt_buf_free(&plain);
}

static void seed_ticket(const char *name, const uint8_t *ticket, size_t len)
{
    char n2[128];
    uint8_t sel = 3;
    mt_buf plain;
    write_seed2("session", name, &sel, 1, ticket, len);
    mt_buf_init(&plain);
    if (mt_ticket_open(fixed_keys, FZ_NOW, ticket, len, &plain) != 0)
        fz_die("%s: the ticket does not open under the fixed keys", name);
    sel = 2;
    snprintf(n2, sizeof(n2), "state-in-%s", name);
    write_seed2("session", n2, &sel, 1, plain.data, plain.len);
    mt_buf_free(&plain);
}

/* The first NewSessionTicket's ticket in a server's decrypted records. */
static int nst_ticket(const stream *st, const uint8_t **t, size_t *len)
{
    for (size_t i = 0; i < st->n; i++) {
        const rec *r = &st->r[i];
        mt_reader rd, nonce, tk;
        uint32_t u32;
        if (r->type != MT_CT_HANDSHAKE || r->len < 4 || r->data[0] != MT_HS_NEW_SESSION_TICKET)
            continue;
        rd = mt_reader_init(r->data + 4, r->len - 4);
        if (mt_r_u32(&rd, &u32) || mt_r_u32(&rd, &u32) || mt_r_vec(&rd, 1, 0, 255, &nonce) ||
            mt_r_vec(&rd, 2, 1, 0xffff, &tk))
            continue;
        *t = tk.p;
        *len = tk.len;
        return 0;
    }
    return -1;
}

/* fuzz_server seeds from a resumed capture: the raw client stream and,
 * for TLS 1.3, its records as a script (the ClientHello through
 * RECORD_BINDER). */
static void seeds_server_resumed(const capture *cap, int bytewise)
{
    char name[128];
    uint8_t ctl = (uint8_t)server_target_bits(cap->sv), c1 = ctl | 1 | 8;
    mt_buf b;

    /* configuration 7 asks for a certificate once connected: feed byte by
     * byte so that it asks before the client's answer arrives */
    if (cap->sv == 7 && cap->cv >= 0)
        ctl |= 1;
    name_of(name, sizeof(name), "raw", cap->name);
    write_seed2("server", name, &ctl, 1, cap->c_log.data, cap->c_log.len);
    if (bytewise) {
        name_of(name, sizeof(name), "raw-bytewise-eof", cap->name);
        write_seed2("server", name, &c1, 1, cap->c_log.data, cap->c_log.len);
    }
    if (cap->version != MUTLS_TLS1_3 || cap->c_recs.n == 0)
        return;
    mt_buf_init(&b);
    (void)mt_w_u8(&b, (uint8_t)(0x80 | ctl));
    make_script(&cap->c_recs, &b, 0);
    name_of(name, sizeof(name), "script", cap->name);
    write_seed("server", name, b.data, b.len);
    mt_buf_free(&b);
}

/* The ClientHello of a capture's client records, as a copy to edit. */
static rec *client_hello_rec(capture *cap)
{
    for (size_t i = 0; i < cap->c_recs.n; i++) {
        rec *r = &cap->c_recs.r[i];
        if (r->type == MT_CT_HANDSHAKE && r->len >= 4 && r->data[0] == MT_HS_CLIENT_HELLO)
            return r;
    }
    fz_die("%s: no ClientHello", cap->name);
}

/* The extension block of a ClientHello message (header included). */
static int ch_exts(const uint8_t *msg, size_t len, mt_reader *ext)
{
    return len >= 4 && ext_block(MT_HS_CLIENT_HELLO, msg + 4, len - 4, ext);
}

/* psk_key_exchange_modes: psk_dhe_ke -> psk_ke only (same length). */
static int ch_psk_ke_only(uint8_t *msg, size_t len)
{
    mt_reader ext, body;
    uint16_t type;
    if (!ch_exts(msg, len, &ext))
        return -1;
    while (mt_r_u16(&ext, &type) == 0 && mt_r_vec(&ext, 2, 0, 0xffff, &body) == 0)
        if (type == MT_EXT_PSK_KEY_EXCHANGE_MODES && body.len == 2 && body.p[0] == 1) {
            msg[body.p + 1 - msg] = 0; /* psk_ke */
            return 0;
        }
    return -1;
}

/* The ClientHello with an unknown identity (a binder of zeros) before its
 * own in pre_shared_key: the server resumes with the second, and refuses
 * 0-RTT (only the first identity may carry it). */
static int ch_two_identities(const uint8_t *msg, size_t len, mt_buf *out)
{
    static const uint8_t unknown[] = "no-such-ticket-no-such-ticket";
    mt_reader ext, body, ids, binders, last;
    const uint8_t *last_start = NULL;
    uint16_t type = 0;
    if (!ch_exts(msg, len, &ext))
        return -1;
    while (mt_r_left(&ext) > 0) {
        last_start = ext.p + ext.off;
        if (mt_r_u16(&ext, &type) != 0 || mt_r_vec(&ext, 2, 0, 0xffff, &last) != 0)
            return -1;
    }
    if (type != MT_EXT_PRE_SHARED_KEY || mt_r_vec(&last, 2, 0, 0xffff, &ids) != 0 ||
        mt_r_vec(&last, 2, 0, 0xffff, &binders) != 0 || binders.len < 1)
        return -1;
    (void)body;
    size_t hlen = binders.p[0];
    mt_buf e;
    mt_buf_init(&e);
    (void)mt_w_u16(&e, MT_EXT_PRE_SHARED_KEY);
    size_t el = mt_w_open(&e, 2);
    size_t il = mt_w_open(&e, 2);
    (void)mt_w_u16(&e, sizeof(unknown) - 1);
    (void)mt_w_bytes(&e, unknown, sizeof(unknown) - 1);
    (void)mt_w_u32(&e, 0);
    (void)mt_w_bytes(&e, ids.p, ids.len);
    (void)mt_w_close(&e, il, 2);
    size_t bl = mt_w_open(&e, 2);
    (void)mt_w_u8(&e, (uint8_t)hlen);
    for (size_t i = 0; i < hlen; i++)
        (void)mt_w_u8(&e, 0);
    (void)mt_w_bytes(&e, binders.p, binders.len);
    (void)mt_w_close(&e, bl, 2);
    (void)mt_w_close(&e, el, 2);
    /* header and body up to the old pre_shared_key, the new one; then fix
     * the message and extension-block lengths */
    size_t head = (size_t)(last_start - msg), ext_len_off = (size_t)(ext.p - 2 - msg);
    mt_buf_reset(out);
    (void)mt_w_bytes(out, msg, head);
    (void)mt_w_bytes(out, e.data, e.len);
    mt_buf_free(&e);
    if (out->err)
        return -1;
    size_t body_len = out->len - 4, exts_len = out->len - ext_len_off - 2;
    out->data[1] = (uint8_t)(body_len >> 16);
    out->data[2] = (uint8_t)(body_len >> 8);
    out->data[3] = (uint8_t)body_len;
    out->data[ext_len_off] = (uint8_t)(exts_len >> 8);
    out->data[ext_len_off + 1] = (uint8_t)exts_len;
    return 0;
}

/* A script of the capture's client records with the ClientHello replaced,
 * up to a post-handshake client certificate. With early_raw, the 0-RTT records (data, EndOfEarlyData) go as they
 * were sent, under the original early key: a server that refuses 0-RTT
 * skips them. */
static void server_script_with_hello(const capture *cap, const char *name, const uint8_t *ch,
                                     size_t ch_len, int early_raw)
{
    uint8_t ctl = (uint8_t)(0x80 | server_target_bits(cap->sv));
    mt_buf b;
    mt_buf_init(&b);
    (void)mt_w_u8(&b, ctl);
    for (size_t i = 0; i < cap->c_recs.n; i++) {
        const rec *r = &cap->c_recs.r[i];
        uint8_t t = r->type == MT_CT_HANDSHAKE && r->len >= 4 ? r->data[0] : 0;
        if (early_raw && r->epoch == 1 &&
            (r->type == MT_CT_APPLICATION_DATA || t == MT_HS_END_OF_EARLY_DATA)) {
            (void)mt_w_u8(&b, FZ_OP_RAW);
            (void)mt_w_u16(&b, (uint16_t)r->wire_len);
            (void)mt_w_bytes(&b, r->wire, r->wire_len);
        } else if (t == MT_HS_CLIENT_HELLO) {
            fz_script_record_binder(&b, ch, ch_len);
        } else if (t == MT_HS_FINISHED) {
            fz_script_op(&b, FZ_OP_FINISHED);
        } else if (t == MT_HS_CERTIFICATE && r->epoch >= 2) {
            break; /* the answer to a post-handshake request signed the
                      original transcript: stop here */
        } else {
            fz_script_record(&b, r->type, r->data, r->len);
        }
    }
    fz_script_op(&b, FZ_OP_SEND_TICKET);
    write_seed("server", name, b.data, b.len);
    mt_buf_free(&b);
}

static void client_mtls_resume(mutls_config *client)
{
    fz_check(client, mutls_config_set_groups(client, "secp256r1,x25519"), "groups");
    fz_check(client, mutls_config_set_alpn(client, "h2"), "alpn");
    client_ed25519_cert(client);
}

/* fuzz_server: both resumption configurations, each primed as the target
 * primes it; tickets from full handshakes, then resumed handshakes. */
static void seeds_server_resumption(void)
{
    static const struct {
        const char *name;
        int sv, cv; /* cv: fz_client_config variant, -1: the priming client */
        void (*ctweak)(mutls_config *);
        int early, kind; /* kind: 13 ticket, 12 TLS 1.2 ticket, 0 session ID */
    } runs[] = {
        {"res-s6-tls13", 6, 0, NULL, 0, 13},
        {"res-s6-tls13-0rtt", 6, 0, NULL, 1, 13},
        {"res-s6-tls12-ticket", 6, -1, NULL, 0, 12},
        {"res-s6-tls12-session-id", 6, -1, NULL, 0, 0},
        {"res-s7-mtls-0rtt", 7, 0, client_mtls_resume, 1, 13},
        {"res-s7-hrr-0rtt-refused", 7, 0, NULL, 1, 13},
        {"res-s7-tls12-session-id", 7, -1, NULL, 0, 0},
    };
    char name_buf[128];
    printf("resumption (fuzz_server):\n");
    for (int sv = 6; sv <= 7; sv++) {
        mutls_config *scfg = fz_server_config(sv, NULL, NULL);
        mutls_session *id_sess = NULL, *t12 = NULL;
        mutls_conn_free(mutls_conn_new(scfg));
        fz_server_prime(scfg, &id_sess, &t12);
        if (sv == 6) { /* what fuzz_session's server holds */
            seed_export("export-tls12-session-id", id_sess, 1);
            seed_export("export-tls12-ticket", t12, 1);
            seed_ticket("ticket-tls12", t12->ticket, t12->ticket_len);
            seed_export_state_ticket("export-state-tls12-ticket", t12);
        }
        for (size_t i = 0; i < sizeof(runs) / sizeof(runs[0]); i++) {
            capture cap;
            secrets sec;
            mutls_config *ccfg;
            mutls_session *sess;
            if (runs[i].sv != sv)
                continue;
            memset(&cap, 0, sizeof(cap));
            cap.name = runs[i].name;
            cap.sv = sv;
            cap.cv = runs[i].cv;
            if (runs[i].cv < 0) {
                ccfg = fz_prime_client_config(keylog, &sec);
                sess = mt_session_up_ref(runs[i].kind == 12 ? t12 : id_sess);
            } else {
                ccfg = fz_client_config(runs[i].cv, 0, keylog, &sec);
                if (runs[i].ctweak)
                    runs[i].ctweak(ccfg);
                /* the ticket: a full handshake with this server */
                fz_reset();
                mutls_conn *c = fz_client_start(ccfg, runs[i].cv), *s = mutls_conn_new(scfg);
                if (fz_run_pair(c, s, NULL, NULL) != 0 || (sess = mutls_conn_get_session(c)) == NULL)
                    fz_die("%s: no session", runs[i].name);
                mutls_conn_free(c);
                mutls_conn_free(s);
                fz_server_fresh_state(scfg);
            }
            if (run_resumed(&cap, ccfg, runs[i].cv < 0 ? 0 : runs[i].cv, sess, runs[i].early, scfg,
                            &sec, 0) == 0) {
                cap.replays = replays_resumed(&cap, scfg, sv == 7 && runs[i].cv >= 0 ? 1 : 0);
                print_resumed(&cap, cap.replays ? "; the client stream replays, resumed" : "");
                if (!cap.resumed)
                    fz_die("%s: did not resume", cap.name);
                seeds_server_resumed(&cap, i == 1);
                if (i == 0) {
                    /* the same ticket to the server that requires a client
                     * certificate (same ticket keys): no certificate in
                     * the session, so a full handshake */
                    uint8_t c4 = (uint8_t)server_target_bits(4);
                    write_seed2("server", "raw-res-s6-ticket-to-mtls-required", &c4, 1,
                                cap.c_log.data, cap.c_log.len);
                }
                if (i == 1 || i == 4) {
                    /* the ClientHello with an unknown identity first */
                    mt_buf two;
                    mt_buf_init(&two);
                    const rec *ch = client_hello_rec(&cap);
                    if (ch_two_identities(ch->data, ch->len, &two) != 0)
                        fz_die("%s: ClientHello edit", cap.name);
                    name_of(name_buf, sizeof(name_buf), "script-two-identities", cap.name);
                    server_script_with_hello(&cap, name_buf, two.data, two.len, 1);
                    mt_buf_free(&two);
                }
                if (i == 4) {
                    /* psk_ke only: resumed without (EC)DHE */
                    rec *ch = client_hello_rec(&cap);
                    if (ch_psk_ke_only(ch->data, ch->len) != 0)
                        fz_die("%s: ClientHello edit", cap.name);
                    name_of(name_buf, sizeof(name_buf), "script-psk-ke", cap.name);
                    server_script_with_hello(&cap, name_buf, ch->data, ch->len, 0);
                    /* and the state inside its ticket, which holds a client chain */
                    const uint8_t *t;
                    size_t tlen;
                    if (nst_ticket(&cap.s_recs, &t, &tlen) == 0)
                        seed_ticket("ticket-tls13-client-chain", t, tlen);
                }
                if (i == 1)
                    seeds_ext(&cap);
            }
            capture_free(&cap);
            mutls_session_free(sess);
            mutls_config_free(ccfg);
            fz_server_fresh_state(scfg);
        }
        mutls_session_free(id_sess);
        mutls_session_free(t12);
        mutls_config_free(scfg);
    }
}

/* fuzz_client: each resumption variant, its session made as the target
 * makes it; the resumed flight (raw, script, tamper) and a flight from a
 * server that cannot resume it (other ticket keys, empty cache): a full
 * handshake, 0-RTT refused, False Start. */
static void seeds_client_resumption(void)
{
    printf("resumption (fuzz_client):\n");
    for (int r = 0; r < FZ_RESUME_VARIANTS; r++) {
        mutls_config *scfg = fz_server_config(6, NULL, NULL);
        mutls_config *v1 = fz_resume_client_config(r, 1, NULL, NULL);
        secrets sec;
        mutls_config *v0 = fz_resume_client_config(r, 0, keylog, &sec);
        mutls_session *made = fz_resume_make_session(r, v1, scfg, NULL), *sess;
        uint8_t *blob;
        size_t blen;
        char name[128];
        capture cap;
        mt_buf b;

        /* as fuzz_client: exported and imported */
        if (mutls_session_export(made, &blob, &blen) != MUTLS_OK ||
            (sess = mutls_session_import(blob, blen)) == NULL)
            fz_die("variant %d: export/import", r);
        free(blob);
        snprintf(name, sizeof(name), "export-client-r%d", r);
        seed_export(name, made, r != 3); /* r 3's ID is unknown to fuzz_session's server */
        if (r == 0 || r == 2) {
            snprintf(name, sizeof(name), "export-client-r%d-as-is", r);
            seed_export(name, made, 0);
        }
        if (r == 0)
            seed_ticket("ticket-tls13", made->ticket, made->ticket_len);
        if (r == 1)
            seed_export_state_ticket("export-state-client-r1", made);
        mutls_session_free(made);

        memset(&cap, 0, sizeof(cap));
        snprintf(name, sizeof(name), "res-r%d", r);
        cap.name = name;
        if (run_resumed(&cap, v0, fz_resume_base(r), sess, r == 1, scfg, &sec, 0) != 0 || !cap.resumed)
            fz_die("%s: the resumed handshake failed", name);
        print_resumed(&cap, "");
        uint8_t ctl = (uint8_t)(0x80 | r << 3);
        write_seed2("client", name, &ctl, 1, cap.s_log.data, cap.s_log.len);
        if (r == 0 || r == 2) {
            uint8_t cv = ctl | 1 << 2 | 3 << 5; /* REQUIRE, pseudo-random chunks */
            snprintf(name, sizeof(name), "res-r%d-verify-chunks", r);
            write_seed2("client", name, &cv, 1, cap.s_log.data, cap.s_log.len);
        }
        /* tamper: none; the ServerHello's random; truncated */
        {
            static const uint8_t edits[3][4] = {{0, 0, 0, 0}, {0, 0, 20, 0x55}, {4, 0, 200, 0}};
            for (int k = 0; k < 3; k++) {
                uint8_t tctl = ctl | 1;
                snprintf(name, sizeof(name), "tamper-r%d-%d", r, k);
                write_seed2("client", name, &tctl, 1, edits[k], k == 0 ? 0 : 4);
            }
        }
        if (cap.version == MUTLS_TLS1_3) {
            /* the server's records as a script; the client writes after */
            mt_buf_init(&b);
            (void)mt_w_u8(&b, (uint8_t)(ctl | 2));
            make_script(&cap.s_recs, &b, 1);
            fz_script_op(&b, FZ_OP_WRITE);
            (void)mt_w_u8(&b, 4);
            (void)mt_w_bytes(&b, "ping", 4);
            snprintf(name, sizeof(name), "script-res-r%d", r);
            write_seed("client", name, b.data, b.len);
            mt_buf_free(&b);
        }
        /* fuzz_server, configuration 6, takes the same client stream
         * (except the session ID: its cache holds another session) */
        if (r != 3) {
            cap.sv = 6;
            cap.replays = replays_resumed(&cap, scfg, 0);
            if (!cap.replays)
                printf("    (%s does not replay against fuzz_server)\n", cap.name);
            else if (r == 2) {
                uint8_t sctl = (uint8_t)server_target_bits(6);
                write_seed2("server", "raw-res-r2-tls12-ticket", &sctl, 1, cap.c_log.data,
                            cap.c_log.len);
            }
        }
        capture_free(&cap);

        /* a server that cannot resume: another ticket key, a fresh cache */
        mutls_config *other = fz_server_config(6, NULL, NULL);
        fz_load_ticket_keys(other, 1);
        memset(&cap, 0, sizeof(cap));
        snprintf(name, sizeof(name), "declined-r%d", r);
        cap.name = name;
        if (run_resumed(&cap, v0, fz_resume_base(r), sess, r == 1, other, &sec, 1) == 0 && !cap.resumed) {
            print_resumed(&cap, "");
            write_seed2("client", name, &ctl, 1, cap.s_log.data, cap.s_log.len);
        } else {
            fz_die("%s: expected a full handshake", name);
        }
        capture_free(&cap);
        mutls_config_free(other);
        mutls_session_free(sess);
        mutls_config_free(v0);
        mutls_config_free(v1);
        mutls_config_free(scfg);
    }
}

/* fuzz_session: key files, cache and anti-replay operations, a sealed
 * state (the exports, tickets and states come from the handshakes). */
static void seeds_session(void)
{
    static const char *const files[][2] = {
        {"keys-fixed", NULL},
        {"keys-two-comments",
         "# two keys\n\n  6d75746c732d66757a7a2d6b65792d30 "
         "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f 1767139200 1769817600 "
         "# until February\n"
         "\t6D75746C732D66757A7A2D6B65792D31\tF0E0D0C0B0A090807060504030201000F1E1D1C1B1A191817161514131211101\t1767225000\t1767225601\r\n"},
        {"keys-expired-and-future",
         "00000000000000000000000000000001 "
         "1111111111111111111111111111111111111111111111111111111111111111 1000 2000\n"
         "00000000000000000000000000000002 "
         "2222222222222222222222222222222222222222222222222222222222222222 1767225601 1799999999\n"},
        {"keys-duplicate-id",
         "00000000000000000000000000000001 "
         "1111111111111111111111111111111111111111111111111111111111111111 1 9999999999\n"
         "00000000000000000000000000000001 "
         "2222222222222222222222222222222222222222222222222222222222222222 1 9999999999\n"},
        {"keys-short-fields", "0011 2233 1 2\n"},
        {"keys-bad-times",
         "00000000000000000000000000000001 "
         "1111111111111111111111111111111111111111111111111111111111111111 99999999999999999999 5\n"},
        {"keys-extra-field",
         "00000000000000000000000000000001 "
         "1111111111111111111111111111111111111111111111111111111111111111 1 9999999999 extra\n"},
    };
    for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
        const char *text = files[i][1] ? files[i][1] : fz_ticket_key_files[0];
        uint8_t sel = 5;
        write_seed2("session", files[i][0], &sel, 1, (const uint8_t *)text, strlen(text));
    }
    {
        uint8_t sel = 5;
        static const uint8_t nul[] = "00000000000000000000000000000001\0 x 1 2\n";
        write_seed2("session", "keys-nul", &sel, 1, nul, sizeof(nul) - 1);
    }
    /* cache: put a..e (e evicts a), get them, time steps forward past the
     * timeout and back before an entry */
    static const uint8_t cache[] = {6,
                                    0, 0, 1,   0, 1, 1,   0, 2, 1,   0, 3, 1,   1, 0, 0,
                                    0, 4, 1,   1, 1, 0,   1, 0, 0,   2, 2, 0,   3, 0, 0,
                                    1, 3, 90,  1, 4, 20,  0, 5, 0,   1, 5, 0x80, 1, 5, 0x7f};
    write_seed("session", "cache-ops", cache, sizeof(cache));
    /* anti-replay: first uses, a replay, full, the window passing, the
     * clock going back */
    static const uint8_t ar[] = {7,   0, 0,  1, 1,  0, 0,  2, 1,  3, 1,  4, 0,  1, 11,
                                 4, 0,  5, 0xf6,  5, 0x14,  6, 0,  7, 0};
    write_seed("session", "antireplay-ops", ar, sizeof(ar));
    static const uint8_t seal[] = {4, 1, 0, 5, 'x', 'y', 'z'};
    write_seed("session", "seal-short", seal, sizeof(seal));
}

int main(int argc, char **argv)
{
    capture caps[] = {
        /* name                  cv verify sv */
        {.name = "x25519-aes128", .cv = 0, .verify = 1, .sv = 0},
        {.name = "hrr-p256-chacha-alpn", .cv = 1, .verify = 1, .sv = 1},
        {.name = "p384-aes256-nocompat", .cv = 2, .verify = 1, .sv = 0},
        {.name = "p256-clientcert", .cv = 3, .verify = 1, .sv = 1},
        {.name = "hrr-x25519-to-p256", .cv = 0, .verify = 0, .sv = 1},
        {.name = "p384-aes256-sv1", .cv = 2, .verify = 0, .sv = 1},
        {.name = "ed25519-replayable", .cv = -1, .verify = 0, .sv = 1},
        /* mutual TLS: in the handshake; after it (post-handshake auth) */
        {.name = "mtls-p256", .cv = 3, .verify = 1, .sv = 4},
        {.name = "mtls-pha", .cv = 3, .verify = 1, .sv = 5},
        {.name = "mtls-pha-ed25519-replayable", .cv = -1, .verify = 0, .sv = 5,
         .ctweak = client_ed25519_cert},
        /* TLS 1.2 (byte streams only): servers limited to 1.2 answer the
         * targets' clients; clients limited to 1.2 talk to the targets' servers */
        {.name = "tls12-ecdsa-gcm", .cv = 0, .verify = 1, .sv = 0, .stweak = server_tls12},
        {.name = "tls12-ecdsa-cbc", .cv = 0, .verify = 0, .sv = 0, .stweak = server_tls12_cbc},
        {.name = "tls12-v1-chacha", .cv = 3, .verify = 1, .sv = 1, .stweak = server_tls12},
        {.name = "tls12-client-v0", .cv = 0, .verify = 0, .sv = 0, .ctweak = client_tls12},
        {.name = "tls12-ed25519-replayable", .cv = -1, .verify = 0, .sv = 1, .ctweak = client_tls12},
        {.name = "tls12-ed25519-cbc-replayable", .cv = -1, .verify = 0, .sv = 1, .ctweak = client_tls12_cbc},
        {.name = "tls12-mtls-ed25519-replayable", .cv = -1, .verify = 0, .sv = 5,
         .ctweak = client_tls12_ed25519_cert},
        {.name = "tls12-mtls-p256", .cv = 3, .verify = 0, .sv = 4, .ctweak = client_tls12},
    };
    const size_t n_caps = sizeof(caps) / sizeof(caps[0]);
    static const char *const targets[] = {"server", "client", "messages", "ext",
                                          "record", "x509",   "wire",     "session"};

    out_root = argc > 1 ? argv[1] : MUTLS_SOURCE_DIR "/fuzz/corpus";
    if (mkdir(out_root, 0777) != 0 && errno != EEXIST)
        fz_die("mkdir %s: %s", out_root, strerror(errno));
    if ((cx = mt_crypto_new()) == NULL)
        fz_die("mt_crypto_new");
    {
        char path[4200];
        mt_error e;
        fz_tmp_path(path, sizeof(path), "ticket.keys");
        fz_write_file(path, (const uint8_t *)fz_ticket_key_files[0],
                      strlen(fz_ticket_key_files[0]));
        mt_error_clear(&e);
        if ((fixed_keys = mt_ticket_keys_new(cx, NULL, 3600, 7200)) == NULL ||
            mt_ticket_keys_load_file(fixed_keys, path, FZ_NOW, &e) != 0)
            fz_die("fixed ticket keys: %s", e.msg);
        (void)unlink(path);
    }
    for (size_t t = 0; t < sizeof(targets) / sizeof(targets[0]); t++)
        clean_target(targets[t]);

    printf("handshakes:\n");
    for (size_t i = 0; i < n_caps; i++)
        run_capture(&caps[i]);
    for (size_t i = 0; i < n_caps; i++) {
        if (!caps[i].ok)
            continue;
        if (caps[i].stweak == NULL)
            seeds_server(&caps[i]);
        if (caps[i].ctweak == NULL)
            seeds_client(&caps[i]);
        if (caps[i].cv >= 0) {
            seeds_messages(&caps[i], 0);
            seeds_ext(&caps[i]);
        }
        if (i < 3) {
            seeds_record(&caps[i], (int)i);
            seeds_wire(&caps[i]);
        }
    }
    seeds_client_tamper();
    if (!caps[0].ok || !caps[1].ok)
        fz_die("the base handshakes failed");
    seeds_client_edges(&caps[0], &caps[1]);
    seeds_server_edges();
    seeds_record_edges();
    seeds_x509();
    seeds_server_resumption();
    seeds_client_resumption();
    seeds_session();
    mt_ticket_keys_free(fixed_keys);
    for (size_t i = 0; i < n_caps; i++)
        capture_free(&caps[i]);
    mt_crypto_free(cx);
    printf("wrote %u seed files, %zu bytes, under %s\n", n_written, bytes_written, out_root);
    return 0;
}
