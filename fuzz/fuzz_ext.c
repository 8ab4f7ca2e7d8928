/*
 * fuzz_ext: the extension walker (mt_exts_parse) and every extension
 * parser, on one extension block, for each message an extension block can
 * appear in (ClientHello, ServerHello, HelloRetryRequest,
 * EncryptedExtensions, Certificate entry, CertificateRequest,
 * NewSessionTicket, TLS 1.2 ServerHello) and three "offered" masks.
 *
 * Input: two bytes of offered mask (bit i = descriptor i of mt_ext_table
 * was offered in the ClientHello; 0xffff = everything), then the contents
 * of an extensions vector (without its 2-byte length).
 *
 * Beyond memory safety it checks what callers rely on: a failure carries a
 * fatal code and an alert; a success leaves every pointer inside the block
 * and every count within its array.
 */
#include "fuzz_common.h"

static const uint32_t msgs[] = {MT_IN_CH, MT_IN_SH,  MT_IN_HRR, MT_IN_EE,
                                MT_IN_CT, MT_IN_CR,  MT_IN_NST, MT_IN_SH12};

static int inside(const uint8_t *p, size_t n, const uint8_t *lo, size_t len)
{
    return p == NULL ? n == 0 : (p >= lo && n <= len && (size_t)(p - lo) <= len - n);
}

static void check(const uint8_t *blk, size_t len, uint32_t msg, uint64_t offered)
{
    mt_reader r = mt_reader_init(blk, len);
    mt_exts x;
    mt_error e;
    int ret;

    memset(&x, 0, sizeof(x));
    mt_error_clear(&e);
    ret = mt_exts_parse(&r, msg, offered, &x, &e);
    if (ret != 0) {
        if (ret != e.code || e.code > MUTLS_ERR_FIRST || e.alert < 0 || e.msg[0] == '\0')
            abort();
        return;
    }
    if (e.code != MUTLS_OK || mt_r_left(&r) != 0)
        abort();
    if (x.n_groups > MT_MAX_LIST || x.n_sigs > MT_MAX_LIST || x.n_sigs_cert > MT_MAX_LIST ||
        x.n_versions > MT_MAX_LIST || x.n_shares > MT_MAX_SHARES)
        abort();
    if (memchr(x.sni, 0, sizeof(x.sni)) == NULL)
        abort();
    for (size_t i = 0; i < x.n_shares; i++)
        if (!inside(x.shares[i].pub, x.shares[i].len, blk, len))
            abort();
    if (!inside(x.alpn, x.alpn_len, blk, len) || !inside(x.cookie, x.cookie_len, blk, len))
        abort();
    /* What the handshake code does with a successful parse. */
    if (mt_exts_has(&x, MT_EXT_RECORD_SIZE_LIMIT) && x.record_size_limit < 64)
        abort();
    if (msg == MT_IN_EE && mt_exts_has(&x, MT_EXT_ALPN)) {
        /* client.c reads the single name as alpn[1 .. alpn_len) */
        if (x.alpn_len < 2 || (size_t)x.alpn[0] + 1 != x.alpn_len)
            abort();
    }
    for (size_t i = 0; i < mt_ext_table_count; i++)
        (void)mt_exts_has(&x, mt_ext_table[i].type);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    uint64_t offered;
    if (size < 2)
        return 0;
    offered = ((uint64_t)data[0] << 8) | data[1];
    if (offered == 0xffff)
        offered = ~0ull;
    for (size_t i = 0; i < sizeof(msgs) / sizeof(msgs[0]); i++) {
        check(data + 2, size - 2, msgs[i], offered);
        check(data + 2, size - 2, msgs[i], 0);
        check(data + 2, size - 2, msgs[i], ~0ull);
    }
    return 0;
}
