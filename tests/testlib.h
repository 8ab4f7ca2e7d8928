/*
 * A tiny header-only test helper: each test program is standalone, counts
 * its failed checks, and exits non-zero when any failed.
 *
 *   CHECK(cond)          counts a check; on failure prints file:line: expr
 *   CHECK_MEM(a, b, n)   n bytes at a and b are equal (prints both in hex)
 *   hex_decode(s, out, max) -> bytes written (stops at max; spaces and
 *                        colons are skipped; (size_t)-1 on a bad digit)
 *   read_file(path, &len) -> malloc'ed contents (NUL-terminated, len
 *                        excludes the NUL), or NULL (message on stderr)
 *   test_cert_path(buf, size, name)  NAME in $MUTLS_TEST_CERTS (default
 *                        tests/certs)
 *   test_cert_load(name, &len) -> read_file of that path; a missing test
 *                        file stops the program (exit 2)
 *   TEST_MAIN_END()      prints "N checks, M failed"; returns M ? 1 : 0
 */
#ifndef MT_TESTLIB_H
#define MT_TESTLIB_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static unsigned long test_checks_, test_failed_;

#define CHECK(cond)                                                            \
    do {                                                                       \
        test_checks_++;                                                        \
        if (!(cond)) {                                                         \
            test_failed_++;                                                    \
            fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__,  \
                    #cond);                                                    \
        }                                                                      \
    } while (0)

static inline void test_print_hex_(const char *label, const void *p, size_t n)
{
    const uint8_t *b = (const uint8_t *)p;
    size_t i;
    fprintf(stderr, "    %s: ", label);
    for (i = 0; i < n; i++)
        fprintf(stderr, "%02x", b[i]);
    fprintf(stderr, "\n");
}

#define CHECK_MEM(a, b, n)                                                     \
    do {                                                                       \
        const void *ta_ = (a), *tb_ = (b);                                     \
        size_t tn_ = (n);                                                      \
        test_checks_++;                                                        \
        if (memcmp(ta_, tb_, tn_) != 0) {                                      \
            test_failed_++;                                                    \
            fprintf(stderr, "%s:%d: CHECK_MEM failed: %s == %s (%zu bytes)\n", \
                    __FILE__, __LINE__, #a, #b, tn_);                          \
            test_print_hex_(#a, ta_, tn_);                                     \
            test_print_hex_(#b, tb_, tn_);                                     \
        }                                                                      \
    } while (0)

static inline int test_hexval_(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

static inline size_t hex_decode(const char *s, uint8_t *out, size_t max)
{
    size_t n = 0;
    int hi = -1;
    for (; *s != '\0'; s++) {
        int v;
        if (*s == ' ' || *s == ':' || *s == '\n' || *s == '\t')
            continue;
        v = test_hexval_((unsigned char)*s);
        if (v < 0)
            return (size_t)-1;
        if (hi < 0) {
            hi = v;
        } else {
            if (n >= max)
                return n;
            out[n++] = (uint8_t)(hi << 4 | v);
            hi = -1;
        }
    }
    return n;
}

static inline char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    char *buf = NULL, *p;
    size_t cap = 0, n = 0, r;
    if (f == NULL) {
        fprintf(stderr, "read_file: cannot open %s\n", path);
        return NULL;
    }
    for (;;) {
        if (cap - n < 4097) {
            cap = cap ? cap * 2 : 8192;
            p = (char *)realloc(buf, cap);
            if (p == NULL) {
                free(buf);
                fclose(f);
                return NULL;
            }
            buf = p;
        }
        r = fread(buf + n, 1, cap - n - 1, f);
        n += r;
        if (r == 0)
            break;
    }
    if (ferror(f)) {
        fprintf(stderr, "read_file: error reading %s\n", path);
        free(buf);
        fclose(f);
        return NULL;
    }
    fclose(f);
    buf[n] = '\0';
    if (len != NULL)
        *len = n;
    return buf;
}

static inline const char *test_certs_dir(void)
{
    const char *d = getenv("MUTLS_TEST_CERTS");
    return d != NULL && d[0] != '\0' ? d : "tests/certs";
}

static inline void test_cert_path(char *buf, size_t size, const char *name)
{
    snprintf(buf, size, "%s/%s", test_certs_dir(), name);
}

static inline char *test_cert_load(const char *name, size_t *len)
{
    char path[1024];
    char *s;
    test_cert_path(path, sizeof(path), name);
    s = read_file(path, len);
    if (s == NULL) {
        fprintf(stderr, "missing test file %s (set MUTLS_TEST_CERTS)\n", path);
        exit(2);
    }
    return s;
}

#define TEST_MAIN_END()                                                        \
    do {                                                                       \
        printf("%lu checks, %lu failed\n", test_checks_, test_failed_);        \
        return test_failed_ ? 1 : 0;                                           \
    } while (0)

#endif
