/*
 * The configuration and connection objects (internal view).
 */
#ifndef MT_CONN_H
#define MT_CONN_H

#include <pthread.h>
#include <stdatomic.h>

#include "base/error.h"
#include "base/wire.h"
#include "crypto/crypto.h"
#include "ext/ext.h"
#include "record/record.h"
#include "session/session.h"
#include "tls13/key_schedule.h"
#include "x509/x509.h"

#define MT_MAX_CHAINS 8
#define MT_MAX_SUITES 24
#define MT_MAX_GROUPS 8
#define MT_MAX_SIGS 16
#define MT_MAX_HS_MESSAGE (256 * 1024) /* bounds certificate chains too */

struct mutls_config {
    atomic_int refs;
    mutls_role role;
    mt_crypto *cx;
    mt_cert_chain *chains[MT_MAX_CHAINS];
    size_t n_chains;
    mt_trust *trust;         /* NULL until set or frozen */
    int trust_explicit;      /* a CA file/dir/mem was given */
    mutls_verify_mode verify;
    int verify_explicit;     /* set by mutls_config_set_verify */
    mt_trust *client_trust;  /* server: CAs for client certificates */
    int verify_depth;
    int send_ca_names;
    int defer_client_auth;   /* TLS 1.3: ask after the handshake */
    mt_buf ca_names;         /* server: DistinguishedName list (frozen) */
    char *ca_names_text;     /* the same, for messages */
    /* resumption and 0-RTT */
    unsigned tickets;        /* TLS 1.3 NewSessionTickets per handshake */
    uint32_t ticket_lifetime;
    mt_ticket_keys *ticket_keys;
    size_t cache_entries;
    uint32_t cache_timeout;
    mt_session_cache *session_cache; /* TLS 1.2 session IDs */
    uint32_t early_data_max;
    mt_antireplay *antireplay;
    int psk_ke;
    int false_start;
    uint16_t suites[MT_MAX_SUITES];
    size_t n_suites;
    uint16_t groups[MT_MAX_GROUPS];
    size_t n_groups;
    uint16_t sigs[MT_MAX_SIGS];
    size_t n_sigs;
    uint8_t alpn[512]; /* ProtocolNameList contents */
    size_t alpn_len;
    uint16_t min_version, max_version;
    uint16_t record_size_limit;
    int middlebox_compat;
    uint64_t key_update_interval;
    mt_rng rng;
    mutls_time_fn time_fn;
    void *time_ctx;
    mutls_keylog_fn keylog;
    void *keylog_ctx;
    char *keylog_path;
    mutls_trace_fn trace;
    void *trace_ctx;
    pthread_mutex_t lock; /* guards the one-time freeze below */
    int frozen;
    mt_error err;
};

/* Handshake states. Each names the message it expects next. */
enum {
    MT_ST_START = 0,
    /* client */
    MT_ST_C_WAIT_SH,
    MT_ST_C_WAIT_EE,
    MT_ST_C_WAIT_CERT_CR,
    MT_ST_C_WAIT_CERT,
    MT_ST_C_WAIT_CV,
    MT_ST_C_WAIT_FINISHED,
    /* server */
    MT_ST_S_WAIT_CH,
    MT_ST_S_WAIT_CH2,
    MT_ST_S_WAIT_FINISHED,
    MT_ST_S_WAIT_CERT, /* client Certificate (mTLS) */
    MT_ST_S_WAIT_CV,   /* client CertificateVerify */
    MT_ST_S_WAIT_EOED, /* early data, then EndOfEarlyData */
    /* TLS 1.2 client */
    MT_ST_C12_WAIT_CERT,
    MT_ST_C12_WAIT_SKE,
    MT_ST_C12_WAIT_CR_SHD,
    MT_ST_C12_WAIT_SHD,
    MT_ST_C12_WAIT_CCS,
    MT_ST_C12_WAIT_FINISHED,
    MT_ST_C12R_WAIT_CCS,      /* resumed: the server's ChangeCipherSpec */
    MT_ST_C12R_WAIT_FINISHED, /* resumed: the server's Finished */
    /* TLS 1.2 server */
    MT_ST_S12_WAIT_CERT,
    MT_ST_S12_WAIT_CKE,
    MT_ST_S12_WAIT_CV,
    MT_ST_S12_WAIT_CCS,
    MT_ST_S12_WAIT_FINISHED,
    MT_ST_S12R_WAIT_CCS,      /* resumed: the client's ChangeCipherSpec */
    MT_ST_S12R_WAIT_FINISHED, /* resumed: the client's Finished */
    /* both */
    MT_ST_CONNECTED,
    MT_ST_STATE_COUNT
};

/* Handshake message types (RFC 8446 section 4). */
enum {
    MT_HS_HELLO_REQUEST = 0,
    MT_HS_CLIENT_HELLO = 1,
    MT_HS_SERVER_HELLO = 2,
    MT_HS_NEW_SESSION_TICKET = 4,
    MT_HS_END_OF_EARLY_DATA = 5,
    MT_HS_ENCRYPTED_EXTENSIONS = 8,
    MT_HS_CERTIFICATE = 11,
    MT_HS_SERVER_KEY_EXCHANGE = 12,
    MT_HS_CERTIFICATE_REQUEST = 13,
    MT_HS_SERVER_HELLO_DONE = 14,
    MT_HS_CERTIFICATE_VERIFY = 15,
    MT_HS_CLIENT_KEY_EXCHANGE = 16,
    MT_HS_FINISHED = 20,
    MT_HS_KEY_UPDATE = 24,
    MT_HS_MESSAGE_HASH = 254,
};

/* State that lives only during the handshake; wiped and freed after. */
typedef struct mt_handshake {
    mt_buf raw_transcript; /* until the hash is known */
    mt_hash *transcript;
    mt_key_schedule ks;
    uint8_t client_random[32];
    uint8_t server_random[32];
    uint8_t session_id[32];
    size_t session_id_len;
    mt_kx *kx[MT_MAX_GROUPS]; /* client: the shares offered */
    uint16_t kx_group[MT_MAX_GROUPS];
    size_t n_kx;
    uint8_t c_hs_secret[MT_MAX_HASH];
    uint8_t s_hs_secret[MT_MAX_HASH];
    mt_buf cookie;      /* HelloRetryRequest cookie (sent or to echo) */
    uint16_t hrr_group;
    uint64_t offered; /* client: extension descriptor bits sent in CH */
    const mt_cert_chain *chain; /* the chain we present (if any) */
    const mt_sig_scheme *client_sig; /* client: scheme for its CertificateVerify */
    int cert_requested;         /* CertificateRequest sent (server) / received (client) */
    uint8_t cr_context[255];
    size_t cr_context_len;
    mt_x509 *peer_leaf; /* until CertificateVerify is checked */
    int ccs_received;
    int ccs_sent;
    /* TLS 1.2 */
    int keep_raw;              /* keep every message (CertificateVerify) */
    uint16_t client_version;   /* ClientHello.legacy_version (RSA kex) */
    uint8_t master[48];
    uint8_t key_block[2 * (20 + 32 + 12)];
    mt_kx *kx12;               /* our ECDHE key */
    uint16_t group12;
    uint8_t peer_pub[MT_MAX_KX_PUB]; /* server's ECDHE public key */
    size_t peer_pub_len;
    const mt_sig_scheme *ske_sig; /* server: scheme for ServerKeyExchange */
    /* resumption */
    int psk_selected;       /* TLS 1.3: identity in use, -1 none */
    int psk_ke;             /* TLS 1.3: resumed without (EC)DHE */
    mt_session_state psk;   /* the session being resumed (both sides) */
    uint8_t c_e_secret[MT_MAX_HASH]; /* client_early_traffic_secret */
    int early_offered;      /* early_data sent (client) / received (server) */
    int early_accepted;
    int ticket12_wanted;    /* TLS 1.2: session_ticket negotiated */
    int resume12;           /* TLS 1.2: abbreviated handshake */
    uint8_t session_id12[32]; /* TLS 1.2: the session ID in use */
    size_t session_id12_len;
    mt_buf ticket12;        /* TLS 1.2 client: ticket received */
    uint32_t ticket12_hint; /* its lifetime hint (0: none given) */
} mt_handshake;

struct mutls_conn {
    mutls_config *cfg;
    mutls_role role;
    mt_error err;
    int alert_sent;
    int alert_received;
    int fatal_sent;
    mt_record rec;
    mt_buf hs_in; /* handshake bytes awaiting a whole message */
    mt_buf scratch;
    int state;
    mt_handshake *hs;
    /* negotiated */
    uint16_t version;
    const mt_suite *suite;
    uint16_t group;
    uint16_t sig_scheme;
    char *alpn;
    char *sni;         /* server: what the client asked for */
    char *server_name; /* client: whom we connect to */
    int did_hrr;
    int ems, etm; /* TLS 1.2: extended master secret, encrypt-then-MAC */
    int renegotiations_refused;
    int read_key_changed; /* set when a read key is installed */
    /* application traffic secrets, kept for KeyUpdate */
    uint8_t c_ap_secret[MT_MAX_HASH];
    uint8_t s_ap_secret[MT_MAX_HASH];
    uint64_t ku_sent, ku_received;
    int ku_pending; /* peer asked us to update */
    /* application data received, not yet read */
    mt_buf app_in;
    size_t app_in_off;
    int close_sent, close_received, eof;
    /* the peer's certificate: identity and verdict */
    mutls_peer *peer;
    mt_buf peer_chain;      /* as received: 3-byte-length DERs, for tickets */
    /* resumption and 0-RTT */
    mutls_session *resume;  /* client: the session to offer */
    mutls_session *session; /* client: the newest session received */
    int resumed;
    uint8_t res_master[MT_MAX_HASH]; /* TLS 1.3 resumption_master_secret */
    uint64_t ticket_nonce;
    int early_status;       /* MUTLS_EARLY_DATA_* */
    mt_buf early_out;       /* client: early data to send */
    mt_buf early_in;        /* server: early data received, unread */
    size_t early_in_off;
    uint32_t early_received;
    int last_read_early;
    size_t early_skip;      /* server: rejected early data still to skip */
    int false_start_ready;  /* client, TLS 1.2 */
    /* identities a post-handshake authentication replaced: still owned by
     * the connection (mutls.h: valid until it is freed) */
    mutls_peer **old_peers;
    size_t n_old_peers;
    /* client: what the server asked for and what we sent, to explain a
     * rejection that arrives as an alert */
    char *client_auth_note;
    int client_auth_empty;  /* we answered with an empty Certificate */
    /* TLS 1.3 post-handshake authentication (RFC 8446 4.6.2) */
    int pha_offered;        /* client offered post_handshake_auth */
    int peer_psk_mode;      /* server: the client lists a PSK mode we accept */
    mt_hash *pha_base;      /* transcript through the client Finished */
    int pha_stage;          /* server: 1 Certificate, 2 CertificateVerify, 3 Finished */
    /* fd adapter */
    int fd;
    short io_events;
    void *user;
};

/* config.c */
int mt_config_freeze(mutls_config *cfg) MT_MUST;
int64_t mt_config_now(const mutls_config *cfg);

/* conn.c */
int mt_conn_fail(mutls_conn *c, int code, int alert, const char *fmt, ...) MT_PRINTF(4, 5);
/* Encode and queue an alert record. */
void mt_conn_send_alert(mutls_conn *c, uint8_t alert);

#endif
