/*
 * Extensions as data. Each extension is a descriptor: its code point, the
 * messages it may appear in, and its parser; its writer sits beside it in
 * one file per extension. One generic walker (ext.c) reads an extension
 * block, rejects duplicates (RFC 8446 section 4.2), rejects a known
 * extension in a message that does not allow it (illegal_parameter), and
 * on the client rejects a response to an extension it did not offer
 * (unsupported_extension).
 */
#ifndef MT_EXT_H
#define MT_EXT_H

#include <stdint.h>

#include "base/error.h"
#include "base/wire.h"

/* Messages an extension may appear in (RFC 8446 section 4.2 table). */
enum {
    MT_IN_CH = 1u << 0,  /* ClientHello */
    MT_IN_SH = 1u << 1,  /* ServerHello */
    MT_IN_HRR = 1u << 2, /* HelloRetryRequest */
    MT_IN_EE = 1u << 3,  /* EncryptedExtensions */
    MT_IN_CT = 1u << 4,  /* Certificate entry */
    MT_IN_CR = 1u << 5,  /* CertificateRequest */
    MT_IN_NST = 1u << 6, /* NewSessionTicket */
    MT_IN_SH12 = 1u << 7, /* TLS 1.2 ServerHello */
};

/* Extension code points. */
enum {
    MT_EXT_SERVER_NAME = 0,
    MT_EXT_SUPPORTED_GROUPS = 10,
    MT_EXT_EC_POINT_FORMATS = 11,
    MT_EXT_SIGNATURE_ALGORITHMS = 13,
    MT_EXT_ALPN = 16,
    MT_EXT_ENCRYPT_THEN_MAC = 22,
    MT_EXT_EXTENDED_MASTER_SECRET = 23,
    MT_EXT_RECORD_SIZE_LIMIT = 28,
    MT_EXT_SESSION_TICKET = 35,
    MT_EXT_PRE_SHARED_KEY = 41,
    MT_EXT_EARLY_DATA = 42,
    MT_EXT_SUPPORTED_VERSIONS = 43,
    MT_EXT_COOKIE = 44,
    MT_EXT_PSK_KEY_EXCHANGE_MODES = 45,
    MT_EXT_CERTIFICATE_AUTHORITIES = 47,
    MT_EXT_POST_HANDSHAKE_AUTH = 49,
    MT_EXT_SIGNATURE_ALGORITHMS_CERT = 50,
    MT_EXT_KEY_SHARE = 51,
    MT_EXT_RENEGOTIATION_INFO = 0xff01,
};

#define MT_MAX_LIST 64       /* groups, schemes, versions we keep */
#define MT_MAX_SHARES 8      /* key shares we look at in a ClientHello */
#define MT_MAX_HOSTNAME 255
#define MT_MAX_PSKS 4        /* PSK identities we look at in a ClientHello */

typedef struct mt_key_share {
    uint16_t group;
    const uint8_t *pub; /* points into the message */
    size_t len;
} mt_key_share;

/* What the parsers extracted. Pointers point into the message being
 * processed and are valid only while it is. */
typedef struct mt_exts {
    uint64_t seen; /* bit i: descriptor i was present */
    char sni[MT_MAX_HOSTNAME + 1];
    int sni_empty; /* server's empty acknowledgement */
    uint16_t groups[MT_MAX_LIST];
    size_t n_groups;
    mt_key_share shares[MT_MAX_SHARES];
    size_t n_shares;
    uint16_t hrr_group; /* HelloRetryRequest selected_group */
    uint16_t sigs[MT_MAX_LIST];
    size_t n_sigs;
    uint16_t sigs_cert[MT_MAX_LIST];
    size_t n_sigs_cert;
    const uint8_t *alpn; /* ProtocolNameList contents (validated) */
    size_t alpn_len;
    uint16_t versions[MT_MAX_LIST];
    size_t n_versions;
    uint16_t selected_version;
    const uint8_t *cookie;
    size_t cookie_len;
    uint16_t record_size_limit;
    int point_uncompressed; /* ec_point_formats lists uncompressed */
    const uint8_t *ca_names; /* certificate_authorities: DistinguishedName list */
    size_t ca_names_len;
    uint16_t last_type;      /* the last extension of the block */
    /* pre_shared_key (RFC 8446 4.2.11): ClientHello offers, ServerHello
     * selection */
    size_t n_psk;
    struct {
        const uint8_t *identity;
        size_t len;
        uint32_t obfuscated_age;
        const uint8_t *binder;
        size_t binder_len;
    } psk[MT_MAX_PSKS];
    size_t psk_binders_len;  /* the binders vector with its 2-byte length */
    uint16_t psk_selected;
    uint8_t psk_modes;       /* bit 0: psk_ke, bit 1: psk_dhe_ke */
    uint32_t max_early_data; /* early_data in NewSessionTicket */
    const uint8_t *session_ticket; /* TLS 1.2 session_ticket (may be empty) */
    size_t session_ticket_len;
} mt_exts;

typedef int (*mt_ext_parse_fn)(mt_reader *body, uint32_t msg, mt_exts *out, mt_error *e);

typedef struct mt_ext_desc {
    uint16_t type;
    const char *name;
    uint32_t allowed; /* MT_IN_* mask */
    mt_ext_parse_fn parse;
} mt_ext_desc;

extern const mt_ext_desc mt_ext_table[];
extern const size_t mt_ext_table_count;

/* Index of the descriptor for type, or -1. */
int mt_ext_index(uint16_t type);
int mt_exts_has(const mt_exts *x, uint16_t type);

/* Parse the contents of an extensions vector found in message msg. For
 * messages the client receives, offered lists the extension types it sent
 * in its ClientHello (bit = descriptor index). */
int mt_exts_parse(mt_reader *block, uint32_t msg, uint64_t offered, mt_exts *out,
                  mt_error *e) MT_MUST;

/* Writers: each appends one whole extension (type, length, body). */
int mt_ext_write_server_name(mt_buf *b, const char *host);
int mt_ext_write_server_name_ack(mt_buf *b);
int mt_ext_write_supported_groups(mt_buf *b, const uint16_t *groups, size_t n);
int mt_ext_write_key_share_ch(mt_buf *b, const uint16_t *groups, const uint8_t *const *pubs,
                              const size_t *lens, size_t n);
int mt_ext_write_key_share_sh(mt_buf *b, uint16_t group, const uint8_t *pub, size_t len);
int mt_ext_write_key_share_hrr(mt_buf *b, uint16_t group);
int mt_ext_write_signature_algorithms(mt_buf *b, uint16_t type, const uint16_t *s, size_t n);
/* protos: ProtocolNameList contents (each a 1-byte-length string). */
int mt_ext_write_alpn(mt_buf *b, const uint8_t *protos, size_t len);
/* The server's answer: the one protocol it selected (RFC 7301 3.1). */
int mt_ext_write_alpn_selected(mt_buf *b, const char *proto);
int mt_ext_write_supported_versions_ch(mt_buf *b, const uint16_t *v, size_t n);
int mt_ext_write_supported_versions_sh(mt_buf *b, uint16_t v);
int mt_ext_write_cookie(mt_buf *b, const uint8_t *cookie, size_t len);
int mt_ext_write_record_size_limit(mt_buf *b, uint16_t limit);
/* TLS 1.2 */
int mt_ext_write_ec_point_formats(mt_buf *b);
int mt_ext_write_empty(mt_buf *b, uint16_t type); /* EMS, EtM */
int mt_ext_write_renegotiation_info(mt_buf *b);
/* Fail unless every extension seen is allowed in msg (used once the
 * ServerHello's version is known). */
int mt_exts_check_allowed(const mt_exts *x, uint32_t msg, mt_error *e) MT_MUST;

/* Parsers, referenced by the table. */
int mt_ext_parse_server_name(mt_reader *r, uint32_t msg, mt_exts *x, mt_error *e);
int mt_ext_parse_supported_groups(mt_reader *r, uint32_t msg, mt_exts *x, mt_error *e);
int mt_ext_parse_key_share(mt_reader *r, uint32_t msg, mt_exts *x, mt_error *e);
int mt_ext_parse_signature_algorithms(mt_reader *r, uint32_t msg, mt_exts *x, mt_error *e);
int mt_ext_parse_signature_algorithms_cert(mt_reader *r, uint32_t msg, mt_exts *x, mt_error *e);
int mt_ext_parse_alpn(mt_reader *r, uint32_t msg, mt_exts *x, mt_error *e);
int mt_ext_parse_supported_versions(mt_reader *r, uint32_t msg, mt_exts *x, mt_error *e);
int mt_ext_parse_cookie(mt_reader *r, uint32_t msg, mt_exts *x, mt_error *e);
int mt_ext_parse_record_size_limit(mt_reader *r, uint32_t msg, mt_exts *x, mt_error *e);
int mt_ext_parse_ignored(mt_reader *r, uint32_t msg, mt_exts *x, mt_error *e);
int mt_ext_parse_pre_shared_key(mt_reader *r, uint32_t msg, mt_exts *x, mt_error *e);
int mt_ext_parse_psk_modes(mt_reader *r, uint32_t msg, mt_exts *x, mt_error *e);
int mt_ext_parse_early_data(mt_reader *r, uint32_t msg, mt_exts *x, mt_error *e);
int mt_ext_parse_session_ticket(mt_reader *r, uint32_t msg, mt_exts *x, mt_error *e);
/* ClientHello pre_shared_key with one identity and a zero binder of
 * binder_len bytes (filled in afterwards: it covers the message up to the
 * binders, RFC 8446 4.2.11.2). */
int mt_ext_write_pre_shared_key_ch(mt_buf *b, const uint8_t *identity, size_t len,
                                   uint32_t obfuscated_age, size_t binder_len);
int mt_ext_write_pre_shared_key_sh(mt_buf *b, uint16_t selected);
int mt_ext_write_psk_modes(mt_buf *b, int psk_ke, int psk_dhe_ke);
int mt_ext_write_early_data(mt_buf *b, int with_max, uint32_t max);
int mt_ext_write_session_ticket(mt_buf *b, const uint8_t *ticket, size_t len);
int mt_ext_parse_certificate_authorities(mt_reader *r, uint32_t msg, mt_exts *x, mt_error *e);
int mt_ext_write_certificate_authorities(mt_buf *b, const uint8_t *names, size_t len);
int mt_ext_parse_ec_point_formats(mt_reader *r, uint32_t msg, mt_exts *x, mt_error *e);
int mt_ext_parse_empty(mt_reader *r, uint32_t msg, mt_exts *x, mt_error *e);
int mt_ext_parse_renegotiation_info(mt_reader *r, uint32_t msg, mt_exts *x, mt_error *e);

/* The decode_error every parser reports for a malformed body. */
int mt_ext_malformed(mt_error *e, const char *name);

#endif
