/* The shared, immutable-after-first-use configuration. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/conn.h"

/* TLS 1.3, then TLS 1.2 forward-secret suites: AEAD before CBC. RSA key
 * exchange is only added on request (mutls_config_set_rsa_kex). */
static const uint16_t default_suites[] = {
    0x1301, 0x1302, 0x1303, /* TLS 1.3 */
    0xc02b, 0xc02f, 0xc02c, 0xc030, 0xcca9, 0xcca8, /* ECDHE AEAD */
    0xc009, 0xc013, 0xc00a, 0xc014,                 /* ECDHE CBC */
};
static const uint16_t rsa_kex_suites[] = {0x009c, 0x009d, 0x002f, 0x0035};
static const uint16_t default_groups[] = {MT_GROUP_X25519, MT_GROUP_SECP256R1, MT_GROUP_SECP384R1};
/* Signature schemes we accept and use, in preference order. rsa_pkcs1_*
 * are listed so that servers know we accept them in certificate chains;
 * they are refused in CertificateVerify (RFC 8446 section 4.2.3). */
static const uint16_t default_sigs[] = {
    MT_SIG_ECDSA_SECP256R1_SHA256, MT_SIG_ECDSA_SECP384R1_SHA384, MT_SIG_ED25519,
    MT_SIG_RSA_PSS_RSAE_SHA256,    MT_SIG_RSA_PSS_RSAE_SHA384,    MT_SIG_RSA_PSS_RSAE_SHA512,
    MT_SIG_RSA_PSS_PSS_SHA256,     MT_SIG_RSA_PSS_PSS_SHA384,     MT_SIG_RSA_PSS_PSS_SHA512,
    MT_SIG_RSA_PKCS1_SHA256,       MT_SIG_RSA_PKCS1_SHA384,       MT_SIG_RSA_PKCS1_SHA512,
};

static int64_t system_time(void *ctx)
{
    (void)ctx;
    return (int64_t)time(NULL);
}

mutls_config *mutls_config_new(mutls_role role)
{
    mutls_config *cfg = calloc(1, sizeof(*cfg));
    if (cfg == NULL)
        return NULL;
    atomic_init(&cfg->refs, 1);
    cfg->role = role;
    cfg->cx = mt_crypto_new();
    if (cfg->cx == NULL || pthread_mutex_init(&cfg->lock, NULL) != 0) {
        mt_crypto_free(cfg->cx);
        free(cfg);
        return NULL;
    }
    cfg->verify = role == MUTLS_CLIENT ? MUTLS_VERIFY_REQUIRE : MUTLS_VERIFY_NONE;
    cfg->verify_depth = 10;
    cfg->send_ca_names = 1;
    cfg->tickets = 2;
    cfg->ticket_lifetime = 7200;
    cfg->cache_entries = 1024;
    cfg->cache_timeout = 7200;
    mt_buf_init(&cfg->ca_names);
    memcpy(cfg->suites, default_suites, sizeof(default_suites));
    cfg->n_suites = sizeof(default_suites) / sizeof(default_suites[0]);
    memcpy(cfg->groups, default_groups, sizeof(default_groups));
    cfg->n_groups = sizeof(default_groups) / sizeof(default_groups[0]);
    memcpy(cfg->sigs, default_sigs, sizeof(default_sigs));
    cfg->n_sigs = sizeof(default_sigs) / sizeof(default_sigs[0]);
    cfg->min_version = MUTLS_TLS1_2;
    cfg->max_version = MUTLS_TLS1_3;
    cfg->middlebox_compat = 1;
    cfg->time_fn = system_time;
    mt_error_clear(&cfg->err);
    return cfg;
}

mutls_config *mutls_config_up_ref(mutls_config *cfg)
{
    if (cfg != NULL)
        atomic_fetch_add(&cfg->refs, 1);
    return cfg;
}

void mutls_config_free(mutls_config *cfg)
{
    if (cfg == NULL || atomic_fetch_sub(&cfg->refs, 1) != 1)
        return;
    for (size_t i = 0; i < cfg->n_chains; i++)
        mt_cert_chain_free(cfg->chains[i]);
    mt_trust_free(cfg->trust);
    mt_trust_free(cfg->client_trust);
    mt_ticket_keys_free(cfg->ticket_keys);
    mt_session_cache_free(cfg->session_cache);
    mt_antireplay_free(cfg->antireplay);
    mt_buf_free(&cfg->ca_names);
    free(cfg->ca_names_text);
    mt_crypto_free(cfg->cx);
    free(cfg->keylog_path);
    pthread_mutex_destroy(&cfg->lock);
    free(cfg);
}

const char *mutls_config_error(const mutls_config *cfg)
{
    return cfg ? cfg->err.msg : "no configuration";
}

/* Setters are for building a configuration, before its first connection;
 * afterwards it is shared read-only and they refuse. */
static int check_mutable(mutls_config *cfg)
{
    if (cfg == NULL)
        return MUTLS_ERR_INVALID_ARGUMENT;
    mt_error_clear(&cfg->err);
    if (cfg->frozen)
        return mt_fail(&cfg->err, MUTLS_ERR_INVALID_ARGUMENT, MT_NO_ALERT,
                       "configuration is in use by connections and can no longer change");
    return 0;
}

static char *read_file(const char *path, size_t *len, mt_error *e)
{
    FILE *f = fopen(path, "rb");
    char *buf = NULL;
    size_t cap = 0, n = 0;
    if (f == NULL) {
        mt_fail(e, MUTLS_ERR_CONFIG, MT_NO_ALERT, "cannot open %s: %m", path);
        return NULL;
    }
    for (;;) {
        if (n + 4096 + 1 > cap) {
            size_t ncap = cap ? cap * 2 : 8192;
            char *nb = realloc(buf, ncap);
            if (nb == NULL || ncap > (64u << 20)) {
                free(nb ? nb : buf);
                fclose(f);
                mt_fail(e, MUTLS_ERR_CONFIG, MT_NO_ALERT, "%s is too large", path);
                return NULL;
            }
            buf = nb;
            cap = ncap;
        }
        size_t r = fread(buf + n, 1, cap - n - 1, f);
        n += r;
        if (r == 0)
            break;
    }
    fclose(f);
    buf[n] = '\0';
    *len = n;
    return buf;
}

int mutls_config_add_cert_chain_mem(mutls_config *cfg, const char *chain_pem, size_t chain_len,
                                    const char *key_pem, size_t key_len)
{
    int ret;
    mt_cert_chain *ch = NULL;
    if ((ret = check_mutable(cfg)) != 0)
        return ret;
    if (cfg->n_chains == MT_MAX_CHAINS)
        return mt_fail(&cfg->err, MUTLS_ERR_CONFIG, MT_NO_ALERT,
                       "at most %d certificate chains", MT_MAX_CHAINS);
    if ((ret = mt_cert_chain_load(chain_pem, chain_len, key_pem, key_len, &ch, &cfg->err)) != 0)
        return ret;
    cfg->chains[cfg->n_chains++] = ch;
    return 0;
}

int mutls_config_add_cert_chain_file(mutls_config *cfg, const char *chain_path,
                                     const char *key_path)
{
    size_t cl = 0, kl = 0;
    char *chain, *key;
    int ret;
    if ((ret = check_mutable(cfg)) != 0)
        return ret;
    if ((chain = read_file(chain_path, &cl, &cfg->err)) == NULL)
        return cfg->err.code;
    if ((key = read_file(key_path, &kl, &cfg->err)) == NULL) {
        free(chain);
        return cfg->err.code;
    }
    ret = mutls_config_add_cert_chain_mem(cfg, chain, cl, key, kl);
    if (ret != 0) {
        /* Name the files: the loader only saw their contents. */
        char msg[sizeof(cfg->err.msg)];
        memcpy(msg, cfg->err.msg, sizeof(msg));
        int n = snprintf(cfg->err.msg, sizeof(cfg->err.msg), "%.200s / %.200s: ", chain_path,
                         key_path);
        if (n > 0 && (size_t)n < sizeof(cfg->err.msg))
            snprintf(cfg->err.msg + n, sizeof(cfg->err.msg) - (size_t)n, "%.*s",
                     (int)(sizeof(cfg->err.msg) - (size_t)n - 1), msg);
    }
    mt_wipe(key, kl);
    free(key);
    free(chain);
    return ret;
}

static int ensure_trust(mutls_config *cfg)
{
    if (cfg->trust == NULL && (cfg->trust = mt_trust_new()) == NULL)
        return mt_fail(&cfg->err, MUTLS_ERR_INTERNAL, MT_NO_ALERT, "out of memory");
    cfg->trust_explicit = 1;
    return 0;
}

int mutls_config_set_ca_file(mutls_config *cfg, const char *path)
{
    int ret;
    if ((ret = check_mutable(cfg)) != 0 || (ret = ensure_trust(cfg)) != 0)
        return ret;
    return mt_trust_add_file(cfg->trust, path, &cfg->err);
}

int mutls_config_set_ca_dir(mutls_config *cfg, const char *path)
{
    int ret;
    if ((ret = check_mutable(cfg)) != 0 || (ret = ensure_trust(cfg)) != 0)
        return ret;
    return mt_trust_add_dir(cfg->trust, path, &cfg->err);
}

int mutls_config_set_ca_mem(mutls_config *cfg, const char *pem, size_t len)
{
    int ret;
    if ((ret = check_mutable(cfg)) != 0 || (ret = ensure_trust(cfg)) != 0)
        return ret;
    return mt_trust_add_pem(cfg->trust, pem, len, &cfg->err);
}

void mutls_config_set_verify(mutls_config *cfg, mutls_verify_mode mode)
{
    if (check_mutable(cfg) == 0) {
        cfg->verify = mode;
        cfg->verify_explicit = 1;
    }
}

static int ensure_client_trust(mutls_config *cfg)
{
    if (cfg->role != MUTLS_SERVER)
        return mt_fail(&cfg->err, MUTLS_ERR_INVALID_ARGUMENT, MT_NO_ALERT,
                       "client CAs are a server setting (a client uses its CA file)");
    if (cfg->client_trust == NULL && (cfg->client_trust = mt_trust_new()) == NULL)
        return mt_fail(&cfg->err, MUTLS_ERR_INTERNAL, MT_NO_ALERT, "out of memory");
    /* Client CAs mean mutual TLS: require a certificate unless told not to. */
    if (!cfg->verify_explicit)
        cfg->verify = MUTLS_VERIFY_REQUIRE;
    return 0;
}

int mutls_config_add_client_ca_file(mutls_config *cfg, const char *path)
{
    int ret;
    if ((ret = check_mutable(cfg)) != 0 || (ret = ensure_client_trust(cfg)) != 0)
        return ret;
    return mt_trust_add_file(cfg->client_trust, path, &cfg->err);
}

int mutls_config_add_client_ca_mem(mutls_config *cfg, const char *pem, size_t len)
{
    int ret;
    if ((ret = check_mutable(cfg)) != 0 || (ret = ensure_client_trust(cfg)) != 0)
        return ret;
    return mt_trust_add_pem(cfg->client_trust, pem, len, &cfg->err);
}

int mutls_config_add_crl_file(mutls_config *cfg, const char *path)
{
    int ret;
    if ((ret = check_mutable(cfg)) != 0)
        return ret;
    if (cfg->role == MUTLS_SERVER) {
        if ((ret = ensure_client_trust(cfg)) != 0)
            return ret;
        return mt_trust_add_crl_file(cfg->client_trust, path, &cfg->err);
    }
    if ((ret = ensure_trust(cfg)) != 0)
        return ret;
    return mt_trust_add_crl_file(cfg->trust, path, &cfg->err);
}

int mutls_config_set_verify_depth(mutls_config *cfg, int depth)
{
    int ret;
    if ((ret = check_mutable(cfg)) != 0)
        return ret;
    if (depth < 1 || depth > 32)
        return mt_fail(&cfg->err, MUTLS_ERR_INVALID_ARGUMENT, MT_NO_ALERT,
                       "verify depth must be between 1 and 32");
    cfg->verify_depth = depth;
    return 0;
}

int mutls_config_set_tickets(mutls_config *cfg, unsigned n)
{
    int ret;
    if ((ret = check_mutable(cfg)) != 0)
        return ret;
    if (n > 16)
        return mt_fail(&cfg->err, MUTLS_ERR_INVALID_ARGUMENT, MT_NO_ALERT,
                       "at most 16 tickets per handshake");
    cfg->tickets = n;
    return 0;
}

int mutls_config_set_ticket_lifetime(mutls_config *cfg, uint32_t seconds)
{
    int ret;
    if ((ret = check_mutable(cfg)) != 0)
        return ret;
    /* RFC 8446 section 4.6.1: at most seven days. */
    if (seconds == 0 || seconds > MT_MAX_TICKET_LIFETIME)
        return mt_fail(&cfg->err, MUTLS_ERR_INVALID_ARGUMENT, MT_NO_ALERT,
                       "ticket lifetime must be 1 to 604800 seconds (seven days)");
    cfg->ticket_lifetime = seconds;
    return 0;
}

static int ensure_ticket_keys(mutls_config *cfg)
{
    if (cfg->ticket_keys == NULL &&
        (cfg->ticket_keys = mt_ticket_keys_new(cfg->cx, &cfg->rng, 12 * 3600,
                                               cfg->ticket_lifetime)) == NULL)
        return mt_fail(&cfg->err, MUTLS_ERR_INTERNAL, MT_NO_ALERT, "out of memory");
    return 0;
}

int mutls_config_load_ticket_keys(mutls_config *cfg, const char *path)
{
    int ret;
    mt_error e;
    if (cfg == NULL || cfg->role != MUTLS_SERVER)
        return MUTLS_ERR_INVALID_ARGUMENT;
    /* Allowed on a configuration in use: the key set has its own lock. */
    pthread_mutex_lock(&cfg->lock);
    ret = ensure_ticket_keys(cfg);
    pthread_mutex_unlock(&cfg->lock);
    if (ret != 0)
        return ret;
    mt_error_clear(&e);
    if ((ret = mt_ticket_keys_load_file(cfg->ticket_keys, path, mt_config_now(cfg), &e)) != 0) {
        pthread_mutex_lock(&cfg->lock);
        cfg->err = e;
        pthread_mutex_unlock(&cfg->lock);
    }
    return ret;
}

int mutls_config_set_session_cache(mutls_config *cfg, size_t entries, uint32_t timeout)
{
    int ret;
    if ((ret = check_mutable(cfg)) != 0)
        return ret;
    if (entries > 10000000 || (entries > 0 && (timeout == 0 || timeout > MT_MAX_TICKET_LIFETIME)))
        return mt_fail(&cfg->err, MUTLS_ERR_INVALID_ARGUMENT, MT_NO_ALERT,
                       "session cache: at most 10000000 entries, timeout 1 to 604800 seconds");
    cfg->cache_entries = entries;
    cfg->cache_timeout = timeout;
    return 0;
}

int mutls_config_set_early_data(mutls_config *cfg, uint32_t max_bytes)
{
    int ret;
    if ((ret = check_mutable(cfg)) != 0)
        return ret;
    cfg->early_data_max = max_bytes;
    return 0;
}

void mutls_config_set_psk_ke(mutls_config *cfg, int on)
{
    if (check_mutable(cfg) == 0)
        cfg->psk_ke = on != 0;
}

void mutls_config_set_false_start(mutls_config *cfg, int on)
{
    if (check_mutable(cfg) == 0)
        cfg->false_start = on != 0;
}

void mutls_config_set_post_handshake_auth(mutls_config *cfg, int on)
{
    if (check_mutable(cfg) == 0)
        cfg->defer_client_auth = on != 0;
}

void mutls_config_set_send_ca_names(mutls_config *cfg, int on)
{
    if (check_mutable(cfg) == 0)
        cfg->send_ca_names = on != 0;
}

/* Split a comma-separated list; call fn for each trimmed item. */
static int each_item(mutls_config *cfg, const char *list, const char *what,
                     int (*fn)(mutls_config *, const char *, void *), void *arg)
{
    char item[128];
    const char *p = list;
    int count = 0;
    if (list == NULL)
        return mt_fail(&cfg->err, MUTLS_ERR_INVALID_ARGUMENT, MT_NO_ALERT, "empty %s list", what);
    while (*p) {
        const char *end = strchr(p, ',');
        size_t n = end ? (size_t)(end - p) : strlen(p);
        while (n > 0 && isspace((unsigned char)*p)) {
            p++;
            n--;
        }
        while (n > 0 && isspace((unsigned char)p[n - 1]))
            n--;
        if (n == 0 || n >= sizeof(item))
            return mt_fail(&cfg->err, MUTLS_ERR_INVALID_ARGUMENT, MT_NO_ALERT,
                           "bad %s list '%s'", what, list);
        memcpy(item, p, n);
        item[n] = '\0';
        int ret = fn(cfg, item, arg);
        if (ret != 0)
            return ret;
        count++;
        p = end ? end + 1 : p + strlen(p);
    }
    if (count == 0)
        return mt_fail(&cfg->err, MUTLS_ERR_INVALID_ARGUMENT, MT_NO_ALERT, "empty %s list", what);
    return 0;
}

typedef struct {
    uint16_t *out;
    size_t n, cap;
} u16_list;

static int push(mutls_config *cfg, u16_list *l, uint16_t v, const char *what, const char *name)
{
    for (size_t i = 0; i < l->n; i++)
        if (l->out[i] == v)
            return mt_fail(&cfg->err, MUTLS_ERR_INVALID_ARGUMENT, MT_NO_ALERT,
                           "%s '%s' listed twice", what, name);
    if (l->n == l->cap)
        return mt_fail(&cfg->err, MUTLS_ERR_INVALID_ARGUMENT, MT_NO_ALERT, "too many %ss", what);
    l->out[l->n++] = v;
    return 0;
}

static int add_suite(mutls_config *cfg, const char *name, void *arg)
{
    const mt_suite *s = mt_suite_by_name(name);
    if (s == NULL)
        return mt_fail(&cfg->err, MUTLS_ERR_INVALID_ARGUMENT, MT_NO_ALERT,
                       "unknown cipher suite '%s'", name);
    return push(cfg, arg, s->code, "cipher suite", name);
}

static int add_group(mutls_config *cfg, const char *name, void *arg)
{
    const mt_group *g = mt_group_by_name(name);
    if (g == NULL)
        return mt_fail(&cfg->err, MUTLS_ERR_INVALID_ARGUMENT, MT_NO_ALERT,
                       "unknown group '%s' (supported: x25519, secp256r1, secp384r1)", name);
    return push(cfg, arg, g->code, "group", name);
}

static int add_sig(mutls_config *cfg, const char *name, void *arg)
{
    const mt_sig_scheme *s = mt_sig_scheme_by_name(name);
    if (s == NULL)
        return mt_fail(&cfg->err, MUTLS_ERR_INVALID_ARGUMENT, MT_NO_ALERT,
                       "unknown signature scheme '%s'", name);
    return push(cfg, arg, s->code, "signature scheme", name);
}

int mutls_config_set_ciphers(mutls_config *cfg, const char *list)
{
    uint16_t tmp[MT_MAX_SUITES];
    u16_list l = {tmp, 0, MT_MAX_SUITES};
    int ret;
    if ((ret = check_mutable(cfg)) != 0 || (ret = each_item(cfg, list, "cipher suite", add_suite, &l)) != 0)
        return ret;
    memcpy(cfg->suites, tmp, l.n * sizeof(tmp[0]));
    cfg->n_suites = l.n;
    return 0;
}

int mutls_config_set_rsa_kex(mutls_config *cfg, int on)
{
    int ret;
    size_t n = 0;
    if ((ret = check_mutable(cfg)) != 0)
        return ret;
    /* Drop them, then (when on) append them: least preferred. */
    for (size_t i = 0; i < cfg->n_suites; i++) {
        const mt_suite *s = mt_suite_find(cfg->suites[i]);
        if (s == NULL || s->kx != MT_KX_RSA)
            cfg->suites[n++] = cfg->suites[i];
    }
    cfg->n_suites = n;
    for (size_t i = 0; on && i < sizeof(rsa_kex_suites) / sizeof(rsa_kex_suites[0]); i++)
        if (cfg->n_suites < MT_MAX_SUITES)
            cfg->suites[cfg->n_suites++] = rsa_kex_suites[i];
    return 0;
}

int mutls_config_set_groups(mutls_config *cfg, const char *list)
{
    uint16_t tmp[MT_MAX_GROUPS];
    u16_list l = {tmp, 0, MT_MAX_GROUPS};
    int ret;
    if ((ret = check_mutable(cfg)) != 0 || (ret = each_item(cfg, list, "group", add_group, &l)) != 0)
        return ret;
    memcpy(cfg->groups, tmp, l.n * sizeof(tmp[0]));
    cfg->n_groups = l.n;
    return 0;
}

int mutls_config_set_sig_schemes(mutls_config *cfg, const char *list)
{
    uint16_t tmp[MT_MAX_SIGS];
    u16_list l = {tmp, 0, MT_MAX_SIGS};
    int ret;
    if ((ret = check_mutable(cfg)) != 0 ||
        (ret = each_item(cfg, list, "signature scheme", add_sig, &l)) != 0)
        return ret;
    memcpy(cfg->sigs, tmp, l.n * sizeof(tmp[0]));
    cfg->n_sigs = l.n;
    return 0;
}

static int add_alpn(mutls_config *cfg, const char *name, void *arg)
{
    size_t n = strlen(name);
    (void)arg;
    if (n > 255 || cfg->alpn_len + 1 + n > sizeof(cfg->alpn))
        return mt_fail(&cfg->err, MUTLS_ERR_INVALID_ARGUMENT, MT_NO_ALERT,
                       "ALPN protocol list too long");
    cfg->alpn[cfg->alpn_len++] = (uint8_t)n;
    memcpy(cfg->alpn + cfg->alpn_len, name, n);
    cfg->alpn_len += n;
    return 0;
}

int mutls_config_set_alpn(mutls_config *cfg, const char *list)
{
    int ret;
    if ((ret = check_mutable(cfg)) != 0)
        return ret;
    cfg->alpn_len = 0;
    if ((ret = each_item(cfg, list, "ALPN protocol", add_alpn, NULL)) != 0)
        cfg->alpn_len = 0;
    return ret;
}

int mutls_config_set_versions(mutls_config *cfg, uint16_t min, uint16_t max)
{
    int ret;
    if ((ret = check_mutable(cfg)) != 0)
        return ret;
    if (min > max || (min != MUTLS_TLS1_2 && min != MUTLS_TLS1_3) ||
        (max != MUTLS_TLS1_2 && max != MUTLS_TLS1_3))
        return mt_fail(&cfg->err, MUTLS_ERR_INVALID_ARGUMENT, MT_NO_ALERT,
                       "versions must be TLS 1.2 or TLS 1.3, minimum not above maximum");
    cfg->min_version = min;
    cfg->max_version = max;
    return 0;
}

int mutls_config_set_record_size_limit(mutls_config *cfg, uint16_t limit)
{
    int ret;
    if ((ret = check_mutable(cfg)) != 0)
        return ret;
    if (limit != 0 && (limit < 64 || limit > MT_MAX_PLAINTEXT + 1))
        return mt_fail(&cfg->err, MUTLS_ERR_INVALID_ARGUMENT, MT_NO_ALERT,
                       "record_size_limit must be between 64 and 16385");
    cfg->record_size_limit = limit;
    return 0;
}

void mutls_config_set_middlebox_compat(mutls_config *cfg, int on)
{
    if (check_mutable(cfg) == 0)
        cfg->middlebox_compat = on != 0;
}

void mutls_config_set_key_update_interval(mutls_config *cfg, uint64_t records)
{
    if (check_mutable(cfg) == 0)
        cfg->key_update_interval = records;
}

void mutls_config_set_random(mutls_config *cfg, mutls_random_fn fn, void *ctx)
{
    if (check_mutable(cfg) == 0) {
        cfg->rng.fn = fn;
        cfg->rng.ctx = ctx;
    }
}

void mutls_config_set_time(mutls_config *cfg, mutls_time_fn fn, void *ctx)
{
    if (check_mutable(cfg) == 0) {
        cfg->time_fn = fn ? fn : system_time;
        cfg->time_ctx = ctx;
    }
}

void mutls_config_set_keylog(mutls_config *cfg, mutls_keylog_fn fn, void *ctx)
{
    if (check_mutable(cfg) == 0) {
        cfg->keylog = fn;
        cfg->keylog_ctx = ctx;
    }
}

static void keylog_to_file(void *ctx, const char *line)
{
    const char *path = ctx;
    FILE *f = fopen(path, "a");
    if (f == NULL)
        return;
    fprintf(f, "%s\n", line);
    fclose(f);
}

int mutls_config_set_keylog_file(mutls_config *cfg, const char *path)
{
    int ret;
    FILE *f;
    if ((ret = check_mutable(cfg)) != 0)
        return ret;
    /* Fail now, not silently per line, when the file cannot be written. */
    if ((f = fopen(path, "a")) == NULL)
        return mt_fail(&cfg->err, MUTLS_ERR_CONFIG, MT_NO_ALERT, "cannot open key log %s: %m", path);
    fclose(f);
    free(cfg->keylog_path);
    if ((cfg->keylog_path = strdup(path)) == NULL)
        return mt_fail(&cfg->err, MUTLS_ERR_INTERNAL, MT_NO_ALERT, "out of memory");
    cfg->keylog = keylog_to_file;
    cfg->keylog_ctx = cfg->keylog_path;
    return 0;
}

void mutls_config_set_trace(mutls_config *cfg, mutls_trace_fn fn, void *ctx)
{
    if (check_mutable(cfg) == 0) {
        cfg->trace = fn;
        cfg->trace_ctx = ctx;
    }
}

/* Called by each new connection: the first one completes the
 * configuration (the system trust store for clients without CAs) and
 * freezes it. */
int mt_config_freeze(mutls_config *cfg)
{
    int ret = 0;
    pthread_mutex_lock(&cfg->lock);
    if (!cfg->frozen) {
        size_t usable = 0, v13 = 0, v12 = 0;
        for (size_t i = 0; i < cfg->n_suites; i++) {
            const mt_suite *s = mt_suite_find(cfg->suites[i]);
            usable += s && s->max_version >= cfg->min_version && s->min_version <= cfg->max_version;
            v13 += s && s->min_version == MUTLS_TLS1_3;
            v12 += s && s->max_version == MUTLS_TLS1_2;
        }
        /* A version without a configured suite is not offered (nor does a
         * client then expect the server to prefer it). */
        if (usable > 0 && v13 == 0 && cfg->min_version <= MUTLS_TLS1_2)
            cfg->max_version = MUTLS_TLS1_2;
        if (usable > 0 && v12 == 0 && cfg->max_version >= MUTLS_TLS1_3)
            cfg->min_version = MUTLS_TLS1_3;
        if (cfg->role == MUTLS_SERVER && cfg->n_chains == 0)
            ret = mt_fail(&cfg->err, MUTLS_ERR_CONFIG, MT_NO_ALERT,
                          "a server needs at least one certificate chain and key");
        else if (usable == 0)
            ret = mt_fail(&cfg->err, MUTLS_ERR_CONFIG, MT_NO_ALERT,
                          "no configured cipher suite can be used with the allowed TLS versions");
        else if (cfg->role == MUTLS_SERVER && cfg->verify != MUTLS_VERIFY_NONE &&
                 cfg->client_trust == NULL)
            ret = mt_fail(&cfg->err, MUTLS_ERR_CONFIG, MT_NO_ALERT,
                          "verifying clients needs client CAs (mutls_config_add_client_ca_file)");
        else if (cfg->role == MUTLS_SERVER && cfg->client_trust != NULL) {
            /* The names sent in CertificateRequest, computed once. */
            size_t count = 0;
            /* Names beyond what a message can carry: send none. */
            if (mt_trust_ca_names(cfg->client_trust, &cfg->ca_names, &count) != 0)
                mt_buf_reset(&cfg->ca_names);
            if ((cfg->ca_names_text = mt_trust_ca_names_text(cfg->client_trust)) == NULL)
                ret = mt_fail(&cfg->err, MUTLS_ERR_INTERNAL, MT_NO_ALERT,
                              "could not list the client CAs' names");
            else if (count == 0 && cfg->ca_names.len == 0 && cfg->ca_names_text[0] == '\0')
                ret = mt_fail(&cfg->err, MUTLS_ERR_CONFIG, MT_NO_ALERT,
                              "the client CA files hold no CA certificate");
        }
        /* Server-side resumption state, shared by every connection. */
        if (ret == 0 && cfg->role == MUTLS_SERVER) {
            if (cfg->tickets > 0 && ensure_ticket_keys(cfg) != 0)
                ret = cfg->err.code;
            else if (cfg->cache_entries > 0 &&
                     (cfg->session_cache = mt_session_cache_new(cfg->cache_entries,
                                                                cfg->cache_timeout)) == NULL)
                ret = mt_fail(&cfg->err, MUTLS_ERR_INTERNAL, MT_NO_ALERT, "out of memory");
            /* RFC 8446 section 8: remember 0-RTT tickets for as long as the
             * freshness check could accept a replay, bounded. */
            else if (cfg->early_data_max > 0 &&
                     (cfg->antireplay = mt_antireplay_new(65536, MT_ANTIREPLAY_WINDOW_S)) ==
                         NULL)
                ret = mt_fail(&cfg->err, MUTLS_ERR_INTERNAL, MT_NO_ALERT, "out of memory");
        }
        if (ret == 0 && cfg->role == MUTLS_CLIENT && cfg->verify != MUTLS_VERIFY_NONE &&
            cfg->trust == NULL) {
            if ((cfg->trust = mt_trust_new()) == NULL)
                ret = mt_fail(&cfg->err, MUTLS_ERR_INTERNAL, MT_NO_ALERT, "out of memory");
            else
                ret = mt_trust_add_system(cfg->trust, &cfg->err);
        }
        if (ret == 0)
            cfg->frozen = 1;
    }
    pthread_mutex_unlock(&cfg->lock);
    return ret;
}

int64_t mt_config_now(const mutls_config *cfg)
{
    return cfg->time_fn(cfg->time_ctx);
}
