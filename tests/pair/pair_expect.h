/*
 * Checks shared by the pair tests, on top of testlib.h (which must be
 * included first: the counters are per test program). Failures name the
 * caller's line.
 */
#ifndef MT_PAIR_EXPECT_H
#define MT_PAIR_EXPECT_H

#include <ctype.h>
#include <stdarg.h>

#include "pair_helper.h"
#include "testlib.h"

#define PCHECK_AT(cond, file, line, what)                                                      \
    do {                                                                                       \
        test_checks_++;                                                                        \
        if (!(cond)) {                                                                         \
            test_failed_++;                                                                    \
            fprintf(stderr, "%s:%d: CHECK failed: %s\n", (file), (line), (what));              \
        }                                                                                      \
    } while (0)

/* A heading for what the following checks are about. */
static inline void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static inline void say(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    printf("- ");
    vprintf(fmt, ap);
    printf("\n");
    va_end(ap);
    fflush(stdout);
}

/* Case-insensitive substring. */
static inline int contains(const char *hay, const char *needle)
{
    size_t n = strlen(needle);
    if (hay == NULL)
        return 0;
    for (; *hay != '\0'; hay++) {
        size_t i = 0;
        while (i < n && hay[i] != '\0' &&
               tolower((unsigned char)hay[i]) == tolower((unsigned char)needle[i]))
            i++;
        if (i == n)
            return 1;
    }
    return n == 0;
}

#define CHECK_CONTAINS(hay, needle)                                                            \
    do {                                                                                       \
        const char *h_ = (hay), *n_ = (needle);                                                \
        CHECK(contains(h_, n_));                                                               \
        if (!contains(h_, n_))                                                                 \
            fprintf(stderr, "    \"%s\" does not contain \"%s\"\n", h_ ? h_ : "(null)", n_);     \
    } while (0)

#define CHECK_STR(a, b)                                                                        \
    do {                                                                                       \
        const char *a_ = (a), *b_ = (b);                                                       \
        int ok_ = (a_ == NULL && b_ == NULL) || (a_ != NULL && b_ != NULL && strcmp(a_, b_) == 0); \
        CHECK(ok_);                                                                            \
        if (!ok_)                                                                              \
            fprintf(stderr, "    %s: got \"%s\", want \"%s\"\n", #a, a_ ? a_ : "(null)",        \
                    b_ ? b_ : "(null)");                                                       \
    } while (0)

/* A frozen connection answers every call with its error. */
static inline void expect_sticky_(mutls_conn *c, int code, const char *file, int line)
{
    uint8_t buf[16] = {0x17, 3, 3, 0, 1, 0};
    PCHECK_AT(mutls_conn_error_code(c) == code, file, line, "sticky: error code");
    PCHECK_AT(mutls_conn_read(c, buf, sizeof(buf)) == code, file, line, "sticky: read");
    PCHECK_AT(mutls_conn_write(c, buf, 4) == code, file, line, "sticky: write");
    PCHECK_AT(mutls_conn_feed(c, buf, 6) == code, file, line, "sticky: feed");
    PCHECK_AT(mutls_conn_feed(c, NULL, 0) == code, file, line, "sticky: feed(eof)");
    PCHECK_AT(mutls_conn_handshake(c) == code, file, line, "sticky: handshake");
    PCHECK_AT(mutls_conn_key_update(c, 1) == code, file, line, "sticky: key_update");
    PCHECK_AT(mutls_conn_close(c) == code, file, line, "sticky: close");
    PCHECK_AT(mutls_conn_pending(c) == 0, file, line, "sticky: nothing more to send");
    PCHECK_AT(mutls_conn_error_code(c) == code, file, line, "sticky: error code unchanged");
}

/*
 * The side that detected a problem (the server when det_server) failed
 * with `code` and sent `alert`; the other side received that alert and
 * failed with MUTLS_ERR_ALERT_RECEIVED, naming it. With alert < 0 no alert
 * is expected on either side. The detector's message contains every
 * needle. Both sides are then sticky.
 */
static inline void expect_fatal_(pair *p, int det_server, int code, int alert, const char *file,
                                 int line, const char *const *needles)
{
    mutls_conn *det = det_server ? p->s : p->c, *other = det_server ? p->c : p->s;
    const char *dn = det_server ? "server" : "client", *on = det_server ? "client" : "server";
    int ok = 1;
    char what[160];

    pair_flush(p);
    printf("    %s: %s (alert sent %d): %s\n", dn, mutls_strerror(mutls_conn_error_code(det)),
           mutls_conn_alert_sent(det), mutls_conn_error(det));
    printf("    %s: %s (alert received %d): %s\n", on, mutls_strerror(mutls_conn_error_code(other)),
           mutls_conn_alert_received(other), mutls_conn_error(other));

    snprintf(what, sizeof(what), "%s error is %s", dn, mutls_strerror(code));
    PCHECK_AT(mutls_conn_error_code(det) == code, file, line, what);
    ok &= mutls_conn_error_code(det) == code;
    snprintf(what, sizeof(what), "%s sent alert %d", dn, alert);
    PCHECK_AT(mutls_conn_alert_sent(det) == alert, file, line, what);
    ok &= mutls_conn_alert_sent(det) == alert;
    PCHECK_AT(mutls_conn_alert_received(det) == -1, file, line, "detector received no alert");
    for (size_t i = 0; needles != NULL && needles[i] != NULL; i++) {
        snprintf(what, sizeof(what), "%s error mentions \"%s\"", dn, needles[i]);
        PCHECK_AT(contains(mutls_conn_error(det), needles[i]), file, line, what);
        ok &= contains(mutls_conn_error(det), needles[i]);
    }
    if (alert >= 0) {
        snprintf(what, sizeof(what), "%s received alert %d", on, alert);
        PCHECK_AT(mutls_conn_alert_received(other) == alert, file, line, what);
        ok &= mutls_conn_alert_received(other) == alert;
        PCHECK_AT(mutls_conn_error_code(other) == MUTLS_ERR_ALERT_RECEIVED, file, line,
                  "receiver error is MUTLS_ERR_ALERT_RECEIVED");
        PCHECK_AT(mutls_conn_alert_sent(other) == -1, file, line, "receiver sent no alert back");
        if (mutls_alert_name((uint8_t)alert) != NULL) {
            snprintf(what, sizeof(what), "%s error names alert %s", on,
                     mutls_alert_name((uint8_t)alert));
            PCHECK_AT(contains(mutls_conn_error(other), mutls_alert_name((uint8_t)alert)), file,
                      line, what);
        }
        expect_sticky_(other, MUTLS_ERR_ALERT_RECEIVED, file, line);
    } else {
        PCHECK_AT(mutls_conn_alert_received(other) == -1, file, line, "peer received no alert");
    }
    expect_sticky_(det, code, file, line);
    if (!ok)
        pair_dump(p, "unexpected failure");
}

#define EXPECT_FATAL(p, det_server, code, alert, ...)                                          \
    expect_fatal_((p), (det_server), (code), (alert), __FILE__, __LINE__,                     \
                  (const char *const[]){__VA_ARGS__, NULL})
#define DET_CLIENT 0
#define DET_SERVER 1

/* Both sides completed the handshake. */
#define CHECK_CONNECTED(p)                                                                     \
    do {                                                                                       \
        CHECK((p) != NULL && (p)->crc == MUTLS_OK && (p)->src == MUTLS_OK);                    \
        if ((p) != NULL && ((p)->crc != MUTLS_OK || (p)->src != MUTLS_OK))                     \
            pair_dump((p), "handshake failed");                                                \
    } while (0)

#endif
