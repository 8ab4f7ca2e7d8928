/*
 * Extensions (src/ext/): each writer's output parses back through the
 * generic walker (mt_exts_parse) to what was written, and reproduces the
 * RFC 8448 section 3 extension bytes where the trace has them; malformed
 * and truncated bodies are decode_error; duplicates and extensions in the
 * wrong message are illegal_parameter; unknown or unsolicited extensions
 * in a response are unsupported_extension and are ignored in a
 * ClientHello (RFC 8446 section 4.2).
 */
#include <stdlib.h>
#include <string.h>

#include "ext/ext.h"
#include "testlib.h"

#define ALL (~0ull)

static const uint32_t all_msgs[] = {MT_IN_CH, MT_IN_SH, MT_IN_HRR, MT_IN_EE,
                                    MT_IN_CT, MT_IN_CR, MT_IN_NST};

static const char *msg_name(uint32_t m)
{
    switch (m) {
    case MT_IN_CH: return "ClientHello";
    case MT_IN_SH: return "ServerHello";
    case MT_IN_HRR: return "HelloRetryRequest";
    case MT_IN_EE: return "EncryptedExtensions";
    case MT_IN_CT: return "Certificate";
    case MT_IN_CR: return "CertificateRequest";
    case MT_IN_NST: return "NewSessionTicket";
    default: return "?";
    }
}

static uint64_t bit(uint16_t type)
{
    int i = mt_ext_index(type);
    return i < 0 ? 0 : 1ull << i;
}

/* Parse an extensions block (the contents of the vector). */
static int parse(const uint8_t *p, size_t n, uint32_t msg, uint64_t offered, mt_exts *x,
                 mt_error *e)
{
    mt_reader r = mt_reader_init(p, n);
    memset(x, 0, sizeof(*x));
    mt_error_clear(e);
    return mt_exts_parse(&r, msg, offered, x, e);
}

/* Append one extension (type, length, body). */
static void put(mt_buf *b, uint16_t type, const uint8_t *body, size_t n)
{
    CHECK(mt_w_u16(b, type) == 0 && mt_w_u16(b, (uint16_t)n) == 0 && mt_w_bytes(b, body, n) == 0);
}

/* The outcome of a one-extension block: 0 or the alert. */
static int outcome(uint16_t type, const uint8_t *body, size_t n, uint32_t msg, uint64_t offered)
{
    mt_buf b;
    mt_exts x;
    mt_error e;
    int ret;
    mt_buf_init(&b);
    put(&b, type, body, n);
    ret = parse(b.data, b.len, msg, offered, &x, &e);
    mt_buf_free(&b);
    if (ret == 0)
        return 0;
    if (ret != MUTLS_ERR_PROTOCOL || e.code != MUTLS_ERR_PROTOCOL)
        return -1000; /* every failure here must be a protocol error */
    return e.alert;
}

static size_t unhex(const char *s, uint8_t *out, size_t cap)
{
    size_t n = hex_decode(s, out, cap);
    CHECK(n != (size_t)-1);
    return n;
}

/* ---- round trips ---------------------------------------------------------- */

static void test_round_trips(void)
{
    mt_buf b;
    mt_exts x;
    mt_error e;
    uint8_t want[128];
    size_t wn;

    mt_buf_init(&b);

    /* server_name: RFC 8448 s3 ClientHello carries "server". */
    CHECK(mt_ext_write_server_name(&b, "server") == 0);
    wn = unhex("0000000b0009000006736572766572", want, sizeof(want));
    CHECK(b.len == wn);
    CHECK_MEM(b.data, want, wn);
    CHECK(parse(b.data, b.len, MT_IN_CH, 0, &x, &e) == 0);
    CHECK(strcmp(x.sni, "server") == 0 && mt_exts_has(&x, MT_EXT_SERVER_NAME));
    CHECK(x.seen == bit(MT_EXT_SERVER_NAME));
    mt_buf_reset(&b);
    CHECK(mt_ext_write_server_name(&b, "a-b.example_1.COM") == 0);
    CHECK(parse(b.data, b.len, MT_IN_CH, 0, &x, &e) == 0 && strcmp(x.sni, "a-b.example_1.COM") == 0);

    /* the server's empty acknowledgement (RFC 8448 s3 EncryptedExtensions) */
    mt_buf_reset(&b);
    CHECK(mt_ext_write_server_name_ack(&b) == 0);
    CHECK(b.len == 4 && memcmp(b.data, "\x00\x00\x00\x00", 4) == 0);
    CHECK(parse(b.data, b.len, MT_IN_EE, ALL, &x, &e) == 0 && x.sni_empty);

    /* supported_groups: RFC 8448 s3 ClientHello's nine groups. */
    {
        static const uint16_t g[] = {0x001d, 0x0017, 0x0018, 0x0019, 0x0100,
                                     0x0101, 0x0102, 0x0103, 0x0104};
        mt_buf_reset(&b);
        CHECK(mt_ext_write_supported_groups(&b, g, 9) == 0);
        wn = unhex("000a00140012001d00170018001901000101010201030104", want, sizeof(want));
        CHECK(b.len == wn);
        CHECK_MEM(b.data, want, wn);
        for (int m = 0; m < 2; m++) {
            CHECK(parse(b.data, b.len, m ? MT_IN_EE : MT_IN_CH, ALL, &x, &e) == 0);
            CHECK(x.n_groups == 9 && memcmp(x.groups, g, sizeof(g)) == 0);
        }
    }

    /* key_share: ClientHello list, ServerHello entry, HelloRetryRequest group. */
    {
        uint8_t cpub[32], spub[32], p256[65];
        unhex("99381de560e4bd43d23d8e435a7dbafeb3c06e51c13cae4d5413691e529aaf2c", cpub, 32);
        unhex("c9828876112095fe66762bdbf7c672e156d6cc253b833df1dd69b1b04e751f0f", spub, 32);
        memset(p256, 0x04, sizeof(p256));
        const uint8_t *pubs[] = {cpub};
        size_t lens[] = {32};
        uint16_t groups[] = {0x001d};
        mt_buf_reset(&b);
        CHECK(mt_ext_write_key_share_ch(&b, groups, pubs, lens, 1) == 0);
        wn = unhex("003300260024001d0020", want, sizeof(want));
        CHECK(b.len == wn + 32);
        CHECK_MEM(b.data, want, wn); /* RFC 8448 s3 ClientHello */
        CHECK_MEM(b.data + wn, cpub, 32);
        CHECK(parse(b.data, b.len, MT_IN_CH, 0, &x, &e) == 0);
        CHECK(x.n_shares == 1 && x.shares[0].group == 0x001d && x.shares[0].len == 32);
        CHECK(x.shares[0].pub == b.data + wn); /* points into the message */

        const uint8_t *pubs2[] = {cpub, p256};
        size_t lens2[] = {32, 65};
        uint16_t groups2[] = {0x001d, 0x0017};
        mt_buf_reset(&b);
        CHECK(mt_ext_write_key_share_ch(&b, groups2, pubs2, lens2, 2) == 0);
        CHECK(parse(b.data, b.len, MT_IN_CH, 0, &x, &e) == 0);
        CHECK(x.n_shares == 2 && x.shares[1].group == 0x0017 && x.shares[1].len == 65);
        CHECK(memcmp(x.shares[1].pub, p256, 65) == 0);

        mt_buf_reset(&b);
        CHECK(mt_ext_write_key_share_ch(&b, groups2, pubs2, lens2, 0) == 0); /* empty list */
        CHECK(parse(b.data, b.len, MT_IN_CH, 0, &x, &e) == 0 && x.n_shares == 0);
        CHECK(mt_exts_has(&x, MT_EXT_KEY_SHARE));

        mt_buf_reset(&b);
        CHECK(mt_ext_write_key_share_sh(&b, 0x001d, spub, 32) == 0);
        wn = unhex("00330024001d0020", want, sizeof(want)); /* RFC 8448 s3 ServerHello */
        CHECK(b.len == wn + 32);
        CHECK_MEM(b.data, want, wn);
        CHECK(parse(b.data, b.len, MT_IN_SH, ALL, &x, &e) == 0);
        CHECK(x.n_shares == 1 && x.shares[0].group == 0x001d && x.shares[0].len == 32);
        CHECK(memcmp(x.shares[0].pub, spub, 32) == 0);

        mt_buf_reset(&b);
        CHECK(mt_ext_write_key_share_hrr(&b, 0x0017) == 0);
        CHECK(b.len == 6 && memcmp(b.data, "\x00\x33\x00\x02\x00\x17", 6) == 0);
        CHECK(parse(b.data, b.len, MT_IN_HRR, ALL, &x, &e) == 0 && x.hrr_group == 0x0017);
    }

    /* signature_algorithms (RFC 8448 s3 ClientHello) and _cert. */
    {
        static const uint16_t s[] = {0x0403, 0x0503, 0x0603, 0x0203, 0x0804,
                                     0x0805, 0x0806, 0x0401, 0x0501, 0x0601,
                                     0x0201, 0x0402, 0x0502, 0x0602, 0x0202};
        mt_buf_reset(&b);
        CHECK(mt_ext_write_signature_algorithms(&b, MT_EXT_SIGNATURE_ALGORITHMS, s, 15) == 0);
        wn = unhex("000d0020001e040305030603020308040805080604010501060102010402050206020202",
                   want, sizeof(want));
        CHECK(b.len == wn);
        CHECK_MEM(b.data, want, wn);
        for (int m = 0; m < 2; m++) {
            CHECK(parse(b.data, b.len, m ? MT_IN_CR : MT_IN_CH, ALL, &x, &e) == 0);
            CHECK(x.n_sigs == 15 && memcmp(x.sigs, s, sizeof(s)) == 0 && x.n_sigs_cert == 0);
        }
        mt_buf_reset(&b);
        CHECK(mt_ext_write_signature_algorithms(&b, MT_EXT_SIGNATURE_ALGORITHMS_CERT, s, 2) == 0);
        CHECK(parse(b.data, b.len, MT_IN_CH, 0, &x, &e) == 0);
        CHECK(x.n_sigs_cert == 2 && x.sigs_cert[1] == 0x0503 && x.n_sigs == 0);
        CHECK(mt_exts_has(&x, MT_EXT_SIGNATURE_ALGORITHMS_CERT) &&
              !mt_exts_has(&x, MT_EXT_SIGNATURE_ALGORITHMS));
    }

    /* ALPN: a list in the ClientHello, exactly one name in EE. */
    {
        static const uint8_t protos[] = "\x02h2\x08http/1.1";
        mt_buf_reset(&b);
        CHECK(mt_ext_write_alpn(&b, protos, 12) == 0);
        CHECK(b.len == 4 + 2 + 12 && b.data[1] == 0x10 && b.data[5] == 12);
        CHECK(parse(b.data, b.len, MT_IN_CH, 0, &x, &e) == 0);
        CHECK(x.alpn_len == 12 && memcmp(x.alpn, protos, 12) == 0);
        mt_buf_reset(&b);
        CHECK(mt_ext_write_alpn(&b, protos, 3) == 0);
        CHECK(parse(b.data, b.len, MT_IN_EE, ALL, &x, &e) == 0);
        CHECK(x.alpn_len == 3 && memcmp(x.alpn, "\x02h2", 3) == 0);
    }

    /* supported_versions (RFC 8448 s3 ClientHello and ServerHello). */
    {
        static const uint16_t v[] = {0x0304};
        static const uint16_t v2[] = {0x0304, 0x0303, 0x7f1c};
        mt_buf_reset(&b);
        CHECK(mt_ext_write_supported_versions_ch(&b, v, 1) == 0);
        CHECK(b.len == 7 && memcmp(b.data, "\x00\x2b\x00\x03\x02\x03\x04", 7) == 0);
        CHECK(parse(b.data, b.len, MT_IN_CH, 0, &x, &e) == 0);
        CHECK(x.n_versions == 1 && x.versions[0] == 0x0304);
        mt_buf_reset(&b);
        CHECK(mt_ext_write_supported_versions_ch(&b, v2, 3) == 0);
        CHECK(parse(b.data, b.len, MT_IN_CH, 0, &x, &e) == 0);
        CHECK(x.n_versions == 3 && x.versions[2] == 0x7f1c);
        for (int m = 0; m < 2; m++) {
            mt_buf_reset(&b);
            CHECK(mt_ext_write_supported_versions_sh(&b, 0x0304) == 0);
            CHECK(b.len == 6 && memcmp(b.data, "\x00\x2b\x00\x02\x03\x04", 6) == 0);
            CHECK(parse(b.data, b.len, m ? MT_IN_HRR : MT_IN_SH, ALL, &x, &e) == 0);
            CHECK(x.selected_version == 0x0304);
        }
    }

    /* cookie: in a HelloRetryRequest (unsolicited is allowed there) and
     * echoed in the second ClientHello. */
    {
        uint8_t cookie[300];
        for (size_t i = 0; i < sizeof(cookie); i++)
            cookie[i] = (uint8_t)i;
        mt_buf_reset(&b);
        CHECK(mt_ext_write_cookie(&b, cookie, sizeof(cookie)) == 0);
        CHECK(b.len == 4 + 2 + 300);
        CHECK(parse(b.data, b.len, MT_IN_HRR, 0, &x, &e) == 0);
        CHECK(x.cookie_len == 300 && memcmp(x.cookie, cookie, 300) == 0);
        CHECK(parse(b.data, b.len, MT_IN_CH, 0, &x, &e) == 0 && x.cookie_len == 300);
    }

    /* record_size_limit (RFC 8448 s3: 0x4001 both ways), and its bounds. */
    {
        static const uint16_t limits[] = {64, 0x4001, 0xffff};
        for (size_t i = 0; i < 3; i++) {
            mt_buf_reset(&b);
            CHECK(mt_ext_write_record_size_limit(&b, limits[i]) == 0);
            CHECK(b.len == 6 && b.data[1] == 0x1c && b.data[3] == 2);
            for (int m = 0; m < 2; m++) {
                CHECK(parse(b.data, b.len, m ? MT_IN_EE : MT_IN_CH, ALL, &x, &e) == 0);
                CHECK(x.record_size_limit == limits[i]);
            }
        }
        mt_buf_reset(&b);
        CHECK(mt_ext_write_record_size_limit(&b, 0x4001) == 0);
        CHECK(memcmp(b.data, "\x00\x1c\x00\x02\x40\x01", 6) == 0);
    }

    /* Several in one block, as in a real ClientHello. */
    {
        static const uint16_t g[] = {0x001d};
        static const uint16_t v[] = {0x0304};
        mt_buf_reset(&b);
        CHECK(mt_ext_write_server_name(&b, "example.com") == 0);
        CHECK(mt_ext_write_supported_versions_ch(&b, v, 1) == 0);
        CHECK(mt_ext_write_supported_groups(&b, g, 1) == 0);
        CHECK(mt_ext_write_record_size_limit(&b, 1000) == 0);
        CHECK(parse(b.data, b.len, MT_IN_CH, 0, &x, &e) == 0);
        CHECK(x.seen == (bit(MT_EXT_SERVER_NAME) | bit(MT_EXT_SUPPORTED_VERSIONS) |
                         bit(MT_EXT_SUPPORTED_GROUPS) | bit(MT_EXT_RECORD_SIZE_LIMIT)));
        CHECK(strcmp(x.sni, "example.com") == 0 && x.n_groups == 1 && x.record_size_limit == 1000);
    }

    /* Writers report an encoding that does not fit. */
    {
        char *host = malloc(70000);
        uint16_t many[200];
        CHECK(host != NULL);
        memset(host, 'a', 69999);
        host[69999] = '\0';
        mt_buf_reset(&b);
        CHECK(mt_ext_write_server_name(&b, host) == -1 && b.err);
        for (int i = 0; i < 200; i++)
            many[i] = (uint16_t)i;
        mt_buf_reset(&b);
        CHECK(mt_ext_write_supported_versions_ch(&b, many, 128) == -1 && b.err);
        mt_buf_reset(&b);
        CHECK(mt_ext_write_supported_versions_ch(&b, many, 127) == 0);
        free(host);
    }
    mt_buf_free(&b);
}

/* The whole extension blocks of RFC 8448 s3 ClientHello and
 * EncryptedExtensions. */
static void test_rfc8448_blocks(void)
{
    uint8_t blk[256];
    size_t n;
    mt_exts x;
    mt_error e;

    n = unhex("0000000b0009000006736572766572ff01000100000a00140012001d00170018001901000101"
              "010201030104002300000033002600 24001d002099381de560e4bd43d23d8e435a7dbafeb3c06e"
              "51c13cae4d5413691e529aaf2c002b0003020304000d0020001e0403050306030203080408050806"
              "04010501060102010402050206020202002d00020101001c00024001",
              blk, sizeof(blk));
    CHECK(n == 0x91);
    CHECK(parse(blk, n, MT_IN_CH, 0, &x, &e) == 0);
    CHECK(strcmp(x.sni, "server") == 0);
    CHECK(x.n_groups == 9 && x.groups[0] == 0x001d && x.groups[8] == 0x0104);
    CHECK(x.n_shares == 1 && x.shares[0].group == 0x001d && x.shares[0].len == 32);
    CHECK(x.n_versions == 1 && x.versions[0] == 0x0304);
    CHECK(x.n_sigs == 15 && x.sigs[4] == 0x0804);
    CHECK(x.record_size_limit == 0x4001);
    /* renegotiation_info (0xff01) and session_ticket (35) are TLS 1.2
     * extensions mutls recognises; psk_key_exchange_modes is recognised
     * and ignored. */
    CHECK(mt_exts_has(&x, MT_EXT_PSK_KEY_EXCHANGE_MODES));
    CHECK(x.seen == (bit(MT_EXT_RENEGOTIATION_INFO) | bit(MT_EXT_SESSION_TICKET) |
                     bit(MT_EXT_SERVER_NAME) | bit(MT_EXT_SUPPORTED_GROUPS) | bit(MT_EXT_KEY_SHARE) |
                     bit(MT_EXT_SUPPORTED_VERSIONS) | bit(MT_EXT_SIGNATURE_ALGORITHMS) |
                     bit(MT_EXT_PSK_KEY_EXCHANGE_MODES) | bit(MT_EXT_RECORD_SIZE_LIMIT)));

    n = unhex("000a00140012001d00170018001901000101010201030104001c0002400100000000", blk,
              sizeof(blk));
    CHECK(n == 0x22);
    CHECK(parse(blk, n, MT_IN_EE, ALL, &x, &e) == 0);
    CHECK(x.n_groups == 9 && x.record_size_limit == 0x4001 && x.sni_empty);
    /* the same block is refused by a client that offered no server_name */
    CHECK(parse(blk, n, MT_IN_EE, ALL & ~bit(MT_EXT_SERVER_NAME), &x, &e) ==
              MUTLS_ERR_PROTOCOL &&
          e.alert == MT_ALERT_UNSUPPORTED_EXTENSION);

    /* ServerHello of RFC 8448 s3. */
    n = unhex("00330024001d0020c9828876112095fe66762bdbf7c672e156d6cc253b833df1dd69b1b04e751f0f"
              "002b00020304",
              blk, sizeof(blk));
    CHECK(n == 0x2e);
    CHECK(parse(blk, n, MT_IN_SH, bit(MT_EXT_KEY_SHARE) | bit(MT_EXT_SUPPORTED_VERSIONS), &x,
                &e) == 0);
    CHECK(x.selected_version == 0x0304 && x.n_shares == 1);

    /* NewSessionTicket of RFC 8448 s3: early_data (max_early_data_size). */
    CHECK(parse((const uint8_t *)"\x00\x2a\x00\x04\x00\x00\x04\x00", 8, MT_IN_NST, 0, &x, &e) == 0);
    CHECK(mt_exts_has(&x, MT_EXT_EARLY_DATA));
}

/* ---- malformed and truncated ------------------------------------------------ */

typedef struct {
    uint16_t type;
    uint32_t msg;
    const char *body; /* hex, a valid body */
} good_ext;

static const good_ext goods[] = {
    {MT_EXT_SERVER_NAME, MT_IN_CH, "0009000006736572766572"},
    {MT_EXT_SUPPORTED_GROUPS, MT_IN_CH, "0006001d00170018"},
    {MT_EXT_SUPPORTED_GROUPS, MT_IN_EE, "0002001d"},
    {MT_EXT_KEY_SHARE, MT_IN_CH, "0024001d0020" "0101010101010101010101010101010101010101010101010101010101010101"},
    {MT_EXT_KEY_SHARE, MT_IN_SH, "001d0020" "0202020202020202020202020202020202020202020202020202020202020202"},
    {MT_EXT_KEY_SHARE, MT_IN_HRR, "0017"},
    {MT_EXT_SIGNATURE_ALGORITHMS, MT_IN_CH, "000408040403"},
    {MT_EXT_SIGNATURE_ALGORITHMS, MT_IN_CR, "00020804"},
    {MT_EXT_SIGNATURE_ALGORITHMS_CERT, MT_IN_CH, "00020401"},
    {MT_EXT_ALPN, MT_IN_CH, "000c02683208687474702f312e31"},
    {MT_EXT_ALPN, MT_IN_EE, "0003026832"},
    {MT_EXT_SUPPORTED_VERSIONS, MT_IN_CH, "0403040303"},
    {MT_EXT_SUPPORTED_VERSIONS, MT_IN_SH, "0304"},
    {MT_EXT_SUPPORTED_VERSIONS, MT_IN_HRR, "0304"},
    {MT_EXT_COOKIE, MT_IN_HRR, "0003abcdef"},
    {MT_EXT_COOKIE, MT_IN_CH, "0001ff"},
    {MT_EXT_RECORD_SIZE_LIMIT, MT_IN_CH, "4001"},
    {MT_EXT_RECORD_SIZE_LIMIT, MT_IN_EE, "0040"},
};

static void test_truncated_and_trailing(void)
{
    for (size_t i = 0; i < sizeof(goods) / sizeof(goods[0]); i++) {
        uint8_t body[128], longer[129];
        size_t n = unhex(goods[i].body, body, sizeof(body));
        int bad = 0;

        CHECK(outcome(goods[i].type, body, n, goods[i].msg, ALL) == 0);
        /* every truncation of the body: decode_error */
        for (size_t k = 0; k < n; k++) {
            int got = outcome(goods[i].type, body, k, goods[i].msg, ALL);
            if (got != MT_ALERT_DECODE_ERROR) {
                fprintf(stderr, "  extension %u in %s cut to %zu of %zu bytes: %d\n",
                        goods[i].type, msg_name(goods[i].msg), k, n, got);
                bad++;
            }
        }
        CHECK(bad == 0);
        /* trailing bytes after a valid body: decode_error */
        memcpy(longer, body, n);
        longer[n] = 0;
        CHECK(outcome(goods[i].type, longer, n + 1, goods[i].msg, ALL) == MT_ALERT_DECODE_ERROR);
        /* called directly, each parser reports a cut body the same way */
        {
            const mt_ext_desc *d = &mt_ext_table[mt_ext_index(goods[i].type)];
            mt_reader r = mt_reader_init(body, n > 0 ? n - 1 : 0);
            mt_exts x;
            mt_error e;
            memset(&x, 0, sizeof(x));
            mt_error_clear(&e);
            CHECK(d->parse(&r, goods[i].msg, &x, &e) == MUTLS_ERR_PROTOCOL &&
                  e.alert == MT_ALERT_DECODE_ERROR);
        }
    }

    /* The server's server_name acknowledgement must be empty. */
    CHECK(outcome(MT_EXT_SERVER_NAME, (const uint8_t *)"", 0, MT_IN_EE, ALL) == 0);
    CHECK(outcome(MT_EXT_SERVER_NAME, (const uint8_t *)"\x00", 1, MT_IN_EE, ALL) ==
          MT_ALERT_DECODE_ERROR);
    CHECK(outcome(MT_EXT_SERVER_NAME, (const uint8_t *)"\x00\x09\x00\x00\x06server", 11, MT_IN_EE,
                  ALL) == MT_ALERT_DECODE_ERROR);
}

static void test_malformed(void)
{
    static const struct {
        uint16_t type;
        uint32_t msg;
        const char *body;
        int alert;
        const char *why;
    } t[] = {
        /* server_name */
        {MT_EXT_SERVER_NAME, MT_IN_CH, "0000", MT_ALERT_DECODE_ERROR, "empty list"},
        {MT_EXT_SERVER_NAME, MT_IN_CH, "00030000", MT_ALERT_DECODE_ERROR, "entry cut"},
        {MT_EXT_SERVER_NAME, MT_IN_CH, "0003000000", MT_ALERT_DECODE_ERROR, "empty name"},
        {MT_EXT_SERVER_NAME, MT_IN_CH, "000a000006736572766572 00", MT_ALERT_DECODE_ERROR,
         "a stray byte after the entry"},
        {MT_EXT_SERVER_NAME, MT_IN_CH, "000a00000773657276657200", MT_ALERT_ILLEGAL_PARAMETER,
         "NUL at the end of the name"},
        {MT_EXT_SERVER_NAME, MT_IN_CH, "00080000017800000179", MT_ALERT_ILLEGAL_PARAMETER,
         "two host names"},
        {MT_EXT_SERVER_NAME, MT_IN_CH, "0006000003610062", MT_ALERT_ILLEGAL_PARAMETER, "NUL in name"},
        {MT_EXT_SERVER_NAME, MT_IN_CH, "0006000003612f62", MT_ALERT_ILLEGAL_PARAMETER, "slash in name"},
        {MT_EXT_SERVER_NAME, MT_IN_CH, "0004010001ff", 0, "unknown name type is skipped"},
        /* supported_groups */
        {MT_EXT_SUPPORTED_GROUPS, MT_IN_CH, "0000", MT_ALERT_DECODE_ERROR, "empty list"},
        {MT_EXT_SUPPORTED_GROUPS, MT_IN_CH, "0003001d00", MT_ALERT_DECODE_ERROR, "odd length"},
        {MT_EXT_SUPPORTED_GROUPS, MT_IN_CH, "00", MT_ALERT_DECODE_ERROR, "cut length"},
        /* key_share */
        {MT_EXT_KEY_SHARE, MT_IN_CH, "0004001d0000", MT_ALERT_DECODE_ERROR, "empty key_exchange"},
        {MT_EXT_KEY_SHARE, MT_IN_CH, "0003001d00", MT_ALERT_DECODE_ERROR, "entry cut"},
        {MT_EXT_KEY_SHARE, MT_IN_CH, "000a001d000101001d000102", MT_ALERT_ILLEGAL_PARAMETER,
         "same group twice"},
        {MT_EXT_KEY_SHARE, MT_IN_CH, "0000", 0, "empty list (asks for a HelloRetryRequest)"},
        {MT_EXT_KEY_SHARE, MT_IN_SH, "001d0000", MT_ALERT_DECODE_ERROR, "empty key_exchange"},
        {MT_EXT_KEY_SHARE, MT_IN_SH, "0024001d0020", MT_ALERT_DECODE_ERROR, "a list, not an entry"},
        {MT_EXT_KEY_SHARE, MT_IN_HRR, "001d00", MT_ALERT_DECODE_ERROR, "extra byte"},
        /* signature_algorithms */
        {MT_EXT_SIGNATURE_ALGORITHMS, MT_IN_CH, "0000", MT_ALERT_DECODE_ERROR, "empty list"},
        {MT_EXT_SIGNATURE_ALGORITHMS, MT_IN_CH, "00030804ff", MT_ALERT_DECODE_ERROR, "odd length"},
        {MT_EXT_SIGNATURE_ALGORITHMS_CERT, MT_IN_CH, "0000", MT_ALERT_DECODE_ERROR, "empty list"},
        /* ALPN */
        {MT_EXT_ALPN, MT_IN_CH, "0000", MT_ALERT_DECODE_ERROR, "empty list"},
        {MT_EXT_ALPN, MT_IN_CH, "000100", MT_ALERT_DECODE_ERROR, "empty name"},
        {MT_EXT_ALPN, MT_IN_CH, "0004026832 00", MT_ALERT_DECODE_ERROR, "empty name after h2"},
        {MT_EXT_ALPN, MT_IN_CH, "0003036832", MT_ALERT_DECODE_ERROR, "name longer than the list"},
        {MT_EXT_ALPN, MT_IN_EE, "0006026832026833", MT_ALERT_DECODE_ERROR, "two names in EE"},
        {MT_EXT_ALPN, MT_IN_EE, "000100", MT_ALERT_DECODE_ERROR, "empty name in EE"},
        /* supported_versions */
        {MT_EXT_SUPPORTED_VERSIONS, MT_IN_CH, "00", MT_ALERT_DECODE_ERROR, "empty list"},
        {MT_EXT_SUPPORTED_VERSIONS, MT_IN_CH, "0103", MT_ALERT_DECODE_ERROR, "one byte"},
        {MT_EXT_SUPPORTED_VERSIONS, MT_IN_CH, "03030403", MT_ALERT_DECODE_ERROR, "odd length"},
        {MT_EXT_SUPPORTED_VERSIONS, MT_IN_SH, "0203 04", MT_ALERT_DECODE_ERROR, "a list in SH"},
        {MT_EXT_SUPPORTED_VERSIONS, MT_IN_SH, "03", MT_ALERT_DECODE_ERROR, "one byte in SH"},
        /* cookie */
        {MT_EXT_COOKIE, MT_IN_HRR, "0000", MT_ALERT_DECODE_ERROR, "empty cookie"},
        {MT_EXT_COOKIE, MT_IN_HRR, "0005abcd", MT_ALERT_DECODE_ERROR, "cookie cut"},
        /* record_size_limit */
        {MT_EXT_RECORD_SIZE_LIMIT, MT_IN_CH, "003f", MT_ALERT_ILLEGAL_PARAMETER, "63 < 64"},
        {MT_EXT_RECORD_SIZE_LIMIT, MT_IN_EE, "0000", MT_ALERT_ILLEGAL_PARAMETER, "zero"},
        {MT_EXT_RECORD_SIZE_LIMIT, MT_IN_EE, "0001", MT_ALERT_ILLEGAL_PARAMETER, "one"},
        {MT_EXT_RECORD_SIZE_LIMIT, MT_IN_CH, "0040", 0, "64 is the minimum"},
        {MT_EXT_RECORD_SIZE_LIMIT, MT_IN_CH, "40", MT_ALERT_DECODE_ERROR, "one byte"},
        {MT_EXT_RECORD_SIZE_LIMIT, MT_IN_CH, "400100", MT_ALERT_DECODE_ERROR, "three bytes"},
    };
    for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
        uint8_t body[64];
        size_t n;
        int got;
        n = unhex(t[i].body, body, sizeof(body));
        got = outcome(t[i].type, body, n, t[i].msg, ALL);
        if (got != t[i].alert)
            fprintf(stderr, "  extension %u in %s (%s): got %d, want %d\n", t[i].type,
                    msg_name(t[i].msg), t[i].why, got, t[i].alert);
        CHECK(got == t[i].alert);
    }

    /* A host name of 255 bytes is accepted, 256 is not. */
    {
        mt_buf b;
        char host[257];
        mt_exts x;
        mt_error e;
        mt_buf_init(&b);
        memset(host, 'h', 256);
        host[255] = '\0';
        CHECK(mt_ext_write_server_name(&b, host) == 0);
        CHECK(parse(b.data, b.len, MT_IN_CH, 0, &x, &e) == 0 && strlen(x.sni) == 255);
        host[255] = 'h';
        host[256] = '\0';
        mt_buf_reset(&b);
        CHECK(mt_ext_write_server_name(&b, host) == 0);
        CHECK(parse(b.data, b.len, MT_IN_CH, 0, &x, &e) == MUTLS_ERR_PROTOCOL &&
              e.alert == MT_ALERT_ILLEGAL_PARAMETER);
        mt_buf_free(&b);
    }
}

/* ---- the block walker ------------------------------------------------------ */

static void test_block(void)
{
    mt_exts x;
    mt_error e;
    mt_buf b;
    mt_buf_init(&b);

    /* an empty block */
    CHECK(parse(NULL, 0, MT_IN_CH, 0, &x, &e) == 0 && x.seen == 0);
    CHECK(parse(NULL, 0, MT_IN_EE, 0, &x, &e) == 0);
    /* a cut extension header or length */
    for (size_t k = 1; k < 4; k++) {
        CHECK(parse((const uint8_t *)"\x00\x1c\x00\x02\x40\x01", k, MT_IN_CH, 0, &x, &e) ==
                  MUTLS_ERR_PROTOCOL &&
              e.alert == MT_ALERT_DECODE_ERROR);
    }
    /* the length runs past the block */
    CHECK(parse((const uint8_t *)"\x00\x1c\x00\x03\x40\x01", 6, MT_IN_CH, 0, &x, &e) ==
              MUTLS_ERR_PROTOCOL &&
          e.alert == MT_ALERT_DECODE_ERROR);
    /* ... also for an unknown extension, in a ClientHello */
    CHECK(parse((const uint8_t *)"\xfa\xfa\x00\x03\x40\x01", 6, MT_IN_CH, 0, &x, &e) ==
              MUTLS_ERR_PROTOCOL &&
          e.alert == MT_ALERT_DECODE_ERROR);

    /* Duplicates: illegal_parameter, known or unknown, in any message. */
    put(&b, MT_EXT_RECORD_SIZE_LIMIT, (const uint8_t *)"\x40\x01", 2);
    put(&b, MT_EXT_SUPPORTED_GROUPS, (const uint8_t *)"\x00\x02\x00\x1d", 4);
    put(&b, MT_EXT_RECORD_SIZE_LIMIT, (const uint8_t *)"\x40\x01", 2);
    CHECK(parse(b.data, b.len, MT_IN_CH, 0, &x, &e) == MUTLS_ERR_PROTOCOL &&
          e.alert == MT_ALERT_ILLEGAL_PARAMETER);
    CHECK(parse(b.data, b.len, MT_IN_EE, ALL, &x, &e) == MUTLS_ERR_PROTOCOL &&
          e.alert == MT_ALERT_ILLEGAL_PARAMETER);
    mt_buf_reset(&b);
    put(&b, 0x1a1a, NULL, 0);
    put(&b, 0x1a1a, NULL, 0);
    CHECK(parse(b.data, b.len, MT_IN_CH, 0, &x, &e) == MUTLS_ERR_PROTOCOL &&
          e.alert == MT_ALERT_ILLEGAL_PARAMETER);
    mt_buf_reset(&b);
    put(&b, MT_EXT_PSK_KEY_EXCHANGE_MODES, (const uint8_t *)"\x01\x01", 2); /* ignored type */
    put(&b, MT_EXT_PSK_KEY_EXCHANGE_MODES, (const uint8_t *)"\x01\x01", 2);
    CHECK(parse(b.data, b.len, MT_IN_CH, 0, &x, &e) == MUTLS_ERR_PROTOCOL &&
          e.alert == MT_ALERT_ILLEGAL_PARAMETER);

    /* Many distinct unknown extensions in a ClientHello are ignored... */
    mt_buf_reset(&b);
    for (uint16_t t = 0; t < 100; t++)
        put(&b, (uint16_t)(0x8000 + t), NULL, 0);
    CHECK(parse(b.data, b.len, MT_IN_CH, 0, &x, &e) == 0 && x.seen == 0);
    /* ...up to the walker's bound (128), then decode_error. */
    for (uint16_t t = 100; t < 129; t++)
        put(&b, (uint16_t)(0x8000 + t), NULL, 0);
    CHECK(parse(b.data, b.len, MT_IN_CH, 0, &x, &e) == MUTLS_ERR_PROTOCOL &&
          e.alert == MT_ALERT_DECODE_ERROR);
    mt_buf_free(&b);
}

/* RFC 8446 section 4.2: a known extension in a message it is not defined
 * for is illegal_parameter. Every descriptor, every message it does not
 * allow. */
static void test_wrong_message(void)
{
    size_t tried = 0, bad = 0;
    for (size_t i = 0; i < mt_ext_table_count; i++) {
        const mt_ext_desc *d = &mt_ext_table[i];
        for (size_t m = 0; m < sizeof(all_msgs) / sizeof(all_msgs[0]); m++) {
            int got;
            if (d->allowed & all_msgs[m])
                continue;
            got = outcome(d->type, (const uint8_t *)"\x00\x02\x00\x1d", 4, all_msgs[m], ALL);
            tried++;
            if (got != MT_ALERT_ILLEGAL_PARAMETER) {
                fprintf(stderr, "  %s in %s: got %d\n", d->name, msg_name(all_msgs[m]), got);
                bad++;
            }
        }
    }
    CHECK(tried > 40 && bad == 0);

    /* Spot checks of the RFC 8446 section 4.2 table. */
    CHECK(outcome(MT_EXT_KEY_SHARE, (const uint8_t *)"", 0, MT_IN_EE, ALL) ==
          MT_ALERT_ILLEGAL_PARAMETER);
    CHECK(outcome(MT_EXT_SUPPORTED_VERSIONS, (const uint8_t *)"\x03\x04", 2, MT_IN_EE, ALL) ==
          MT_ALERT_ILLEGAL_PARAMETER);
    CHECK(outcome(MT_EXT_SERVER_NAME, (const uint8_t *)"", 0, MT_IN_SH, ALL) ==
          MT_ALERT_ILLEGAL_PARAMETER);
    CHECK(outcome(MT_EXT_ALPN, (const uint8_t *)"\x00\x03\x02h2", 5, MT_IN_SH, ALL) ==
          MT_ALERT_ILLEGAL_PARAMETER);
    CHECK(outcome(MT_EXT_SIGNATURE_ALGORITHMS, (const uint8_t *)"\x00\x02\x08\x04", 4, MT_IN_EE,
                  ALL) == MT_ALERT_ILLEGAL_PARAMETER);
    CHECK(outcome(MT_EXT_COOKIE, (const uint8_t *)"\x00\x01\x01", 3, MT_IN_SH, ALL) ==
          MT_ALERT_ILLEGAL_PARAMETER);
    CHECK(outcome(MT_EXT_RECORD_SIZE_LIMIT, (const uint8_t *)"\x40\x01", 2, MT_IN_SH, ALL) ==
          MT_ALERT_ILLEGAL_PARAMETER);
    CHECK(outcome(MT_EXT_EARLY_DATA, (const uint8_t *)"", 0, MT_IN_SH, ALL) ==
          MT_ALERT_ILLEGAL_PARAMETER);
    CHECK(outcome(MT_EXT_SUPPORTED_GROUPS, (const uint8_t *)"\x00\x02\x00\x1d", 4, MT_IN_CT, ALL) ==
          MT_ALERT_ILLEGAL_PARAMETER);
    CHECK(outcome(MT_EXT_KEY_SHARE, (const uint8_t *)"\x00\x1d", 2, MT_IN_NST, ALL) ==
          MT_ALERT_ILLEGAL_PARAMETER);
}

/* RFC 8446 section 4.2: an extension response that was not requested is
 * unsupported_extension; unknown extensions are ignored where the RFC
 * says so (ClientHello; CertificateRequest and NewSessionTicket, sections
 * 4.3.2 and 4.6.1: "Clients MUST ignore unrecognized extensions"). */
static void test_unknown_and_unsolicited(void)
{
    static const uint16_t unknown[] = {0x0a0a /* GREASE */, 15 /* heartbeat */, 18, 0xfe0d, 0x4469};
    for (size_t u = 0; u < sizeof(unknown) / sizeof(unknown[0]); u++) {
        mt_exts x;
        mt_error e;
        mt_buf b;
        mt_buf_init(&b);
        put(&b, unknown[u], (const uint8_t *)"\x00", 1);
        CHECK(parse(b.data, b.len, MT_IN_CH, 0, &x, &e) == 0 && x.seen == 0);
        CHECK(outcome(unknown[u], (const uint8_t *)"\x00", 1, MT_IN_SH, ALL) ==
              MT_ALERT_UNSUPPORTED_EXTENSION);
        CHECK(outcome(unknown[u], (const uint8_t *)"\x00", 1, MT_IN_HRR, ALL) ==
              MT_ALERT_UNSUPPORTED_EXTENSION);
        CHECK(outcome(unknown[u], (const uint8_t *)"\x00", 1, MT_IN_EE, ALL) ==
              MT_ALERT_UNSUPPORTED_EXTENSION);
        CHECK(outcome(unknown[u], (const uint8_t *)"\x00", 1, MT_IN_CT, ALL) ==
              MT_ALERT_UNSUPPORTED_EXTENSION);
        CHECK(outcome(unknown[u], (const uint8_t *)"\x00", 1, MT_IN_CR, ALL) == 0);
        CHECK(outcome(unknown[u], (const uint8_t *)"\x00", 1, MT_IN_NST, 0) == 0);
        mt_buf_free(&b);
    }

    /* Known but not offered, in a response: unsupported_extension. */
    CHECK(outcome(MT_EXT_ALPN, (const uint8_t *)"\x00\x03\x02h2", 5, MT_IN_EE,
                  ALL & ~bit(MT_EXT_ALPN)) == MT_ALERT_UNSUPPORTED_EXTENSION);
    CHECK(outcome(MT_EXT_RECORD_SIZE_LIMIT, (const uint8_t *)"\x40\x01", 2, MT_IN_EE, 0) ==
          MT_ALERT_UNSUPPORTED_EXTENSION);
    CHECK(outcome(MT_EXT_SERVER_NAME, (const uint8_t *)"", 0, MT_IN_EE, 0) ==
          MT_ALERT_UNSUPPORTED_EXTENSION);
    CHECK(outcome(MT_EXT_SUPPORTED_GROUPS, (const uint8_t *)"\x00\x02\x00\x1d", 4, MT_IN_EE, 0) ==
          MT_ALERT_UNSUPPORTED_EXTENSION);
    CHECK(outcome(MT_EXT_EARLY_DATA, (const uint8_t *)"", 0, MT_IN_EE, 0) ==
          MT_ALERT_UNSUPPORTED_EXTENSION);
    CHECK(outcome(MT_EXT_KEY_SHARE, (const uint8_t *)"\x00\x17", 2, MT_IN_HRR, 0) ==
          MT_ALERT_UNSUPPORTED_EXTENSION);
    CHECK(outcome(MT_EXT_PRE_SHARED_KEY, (const uint8_t *)"\x00\x00", 2, MT_IN_SH, 0) ==
          MT_ALERT_UNSUPPORTED_EXTENSION);
    /* ...the exceptions: cookie in a HelloRetryRequest, and the
     * server-initiated messages */
    CHECK(outcome(MT_EXT_COOKIE, (const uint8_t *)"\x00\x01\x01", 3, MT_IN_HRR, 0) == 0);
    CHECK(outcome(MT_EXT_EARLY_DATA, (const uint8_t *)"\x00\x00\x04\x00", 4, MT_IN_NST, 0) == 0);
    /* ...and offered: accepted. */
    CHECK(outcome(MT_EXT_ALPN, (const uint8_t *)"\x00\x03\x02h2", 5, MT_IN_EE, bit(MT_EXT_ALPN)) ==
          0);
    /* A ClientHello is never checked against "offered". */
    CHECK(outcome(MT_EXT_ALPN, (const uint8_t *)"\x00\x03\x02h2", 5, MT_IN_CH, 0) == 0);
}

static void test_table(void)
{
    /* Every descriptor: a parser, a name, allowed in the ClientHello, found
     * by its code point, and the index fits the 64-bit masks. */
    CHECK(mt_ext_table_count > 0 && mt_ext_table_count <= 64);
    for (size_t i = 0; i < mt_ext_table_count; i++) {
        const mt_ext_desc *d = &mt_ext_table[i];
        CHECK(d->parse != NULL && d->name != NULL && (d->allowed & MT_IN_CH));
        CHECK(mt_ext_index(d->type) == (int)i);
    }
    CHECK(mt_ext_index(0x0a0a) == -1 && mt_ext_index(0xffff) == -1);
    {
        mt_exts x;
        memset(&x, 0, sizeof(x));
        CHECK(!mt_exts_has(&x, MT_EXT_ALPN) && !mt_exts_has(&x, 0x0a0a));
        x.seen = ALL;
        CHECK(mt_exts_has(&x, MT_EXT_ALPN) && !mt_exts_has(&x, 0x0a0a));
    }
    {
        mt_error e;
        mt_error_clear(&e);
        CHECK(mt_ext_malformed(&e, "x") == MUTLS_ERR_PROTOCOL && e.alert == MT_ALERT_DECODE_ERROR);
    }
}

int main(void)
{
    test_table();
    test_round_trips();
    test_rfc8448_blocks();
    test_truncated_and_trailing();
    test_malformed();
    test_block();
    test_wrong_message();
    test_unknown_and_unsolicited();
    TEST_MAIN_END();
}
