/*
 * fuzz_x509: certificate parsing and chain verification.
 *
 * Input: one control byte, then the payload.
 *   bit 0 = 0  single certificate: the payload is DER for
 *              mt_x509_from_der; then subject, issuer, public key (type,
 *              bits), signature scheme and name matching.
 *   bit 0 = 1  chain: the payload is pieces "len16 DER" (leaf first, up to
 *              12) for mt_verify_chain against tests/certs/ca.pem, with
 *              bits 1..3 choosing the name (none, localhost, 127.0.0.1,
 *              ::1, [::1], a.example.test, other.example, 10.0.0.1),
 *              bit 4 the role (server / client EKU) and bits 5..6 the
 *              instant checked (2026, 1999, 2095, 2021-06).
 *
 * Checks: a failure carries MUTLS_ERR_VERIFY (or INTERNAL) and an alert; a
 * success hands out the leaf.
 */
#include "fuzz_common.h"

static mt_trust *trust;

static const char *const hosts[8] = {NULL,          "localhost",      "127.0.0.1",     "::1",
                                     "[::1]",       "a.example.test", "other.example", "10.0.0.1"};
static const int64_t instants[4] = {FZ_NOW, INT64_C(915148800), INT64_C(3944678400),
                                    INT64_C(1622505600)};

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    char ca[4096];
    mt_error e;
    (void)argc;
    (void)argv;
    mt_error_clear(&e);
    fz_cert_path(ca, sizeof(ca), "ca.pem");
    if ((trust = mt_trust_new()) == NULL || mt_trust_add_file(trust, ca, &e) != 0)
        fz_die("trust: %s", e.msg);
    return 0;
}

static void inspect(const mt_x509 *x)
{
    char *s = mt_x509_subject(x), *i = mt_x509_issuer(x);
    mt_pkey *k = mt_x509_public_key(x);
    if (s == NULL || i == NULL)
        abort(); /* RFC 4514 text exists for every parsed name ("" if empty) */
    free(s);
    free(i);
    if (k != NULL) {
        (void)mt_key_type_name(mt_pkey_type(k));
        (void)mt_pkey_bits(k);
        for (size_t j = 0; j < mt_sig_schemes_count; j++)
            (void)mt_sig_scheme_fits_key(&mt_sig_schemes[j], k);
        mt_pkey_free(k);
    }
    (void)mt_x509_signature_scheme(x);
    for (size_t j = 1; j < sizeof(hosts) / sizeof(hosts[0]); j++)
        (void)mt_x509_matches_name(x, hosts[j]);
    (void)mt_x509_matches_name(x, "*.example.test");
    (void)mt_x509_matches_name(x, "Mixed.Case.Example.");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    uint8_t ctl;
    if (size < 1)
        return 0;
    ctl = data[0];
    data++;
    size--;
    if ((ctl & 1) == 0) {
        mt_x509 *x = NULL;
        if (mt_x509_from_der(data, size, &x) == 0) {
            if (x == NULL)
                abort();
            inspect(x);
            mt_x509_free(x);
        } else if (x != NULL) {
            abort();
        }
        return 0;
    }

    const uint8_t *der[12];
    size_t der_len[12], n = 0;
    while (size >= 2 && n < 12) {
        size_t len = ((size_t)data[0] << 8) | data[1];
        data += 2;
        size -= 2;
        if (len > size)
            len = size;
        der[n] = data;
        der_len[n] = len;
        n++;
        data += len;
        size -= len;
    }
    mt_verify_params p = {.host = hosts[(ctl >> 1) & 7],
                          .now = instants[(ctl >> 5) & 3],
                          .want_server = (ctl >> 4) & 1 ? 0 : 1};
    mt_x509 *leaf = NULL;
    mt_error e;
    int ret;
    mt_error_clear(&e);
    ret = mt_verify_chain(trust, der, der_len, n, &p, p.want_server ? "server" : "client", &leaf,
                          &e);
    if (ret != 0) {
        if (ret != e.code || (ret != MUTLS_ERR_VERIFY && ret != MUTLS_ERR_INTERNAL) ||
            e.alert < 0 || e.msg[0] == '\0' || leaf != NULL)
            abort();
    } else {
        if (leaf == NULL || e.code != MUTLS_OK)
            abort();
        inspect(leaf);
        mt_x509_free(leaf);
    }
    return 0;
}
