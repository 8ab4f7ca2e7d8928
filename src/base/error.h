/*
 * Errors carry their alert. The first fatal error is recorded and sticks:
 * later failures do not overwrite it, so what the user reads is the cause,
 * not a consequence. The message is for logs and the application, never
 * for the peer (which only gets the alert).
 */
#ifndef MT_ERROR_H
#define MT_ERROR_H

#include <stdarg.h>

#include "mutls.h"

#define MT_MUST __attribute__((warn_unused_result))
#define MT_PRINTF(f, a) __attribute__((format(printf, f, a)))

/* Alert descriptions (RFC 8446 section 6). */
enum {
    MT_ALERT_CLOSE_NOTIFY = 0,
    MT_ALERT_UNEXPECTED_MESSAGE = 10,
    MT_ALERT_BAD_RECORD_MAC = 20,
    MT_ALERT_RECORD_OVERFLOW = 22,
    MT_ALERT_HANDSHAKE_FAILURE = 40,
    MT_ALERT_BAD_CERTIFICATE = 42,
    MT_ALERT_UNSUPPORTED_CERTIFICATE = 43,
    MT_ALERT_CERTIFICATE_REVOKED = 44,
    MT_ALERT_CERTIFICATE_EXPIRED = 45,
    MT_ALERT_CERTIFICATE_UNKNOWN = 46,
    MT_ALERT_ILLEGAL_PARAMETER = 47,
    MT_ALERT_UNKNOWN_CA = 48,
    MT_ALERT_ACCESS_DENIED = 49,
    MT_ALERT_DECODE_ERROR = 50,
    MT_ALERT_DECRYPT_ERROR = 51,
    MT_ALERT_PROTOCOL_VERSION = 70,
    MT_ALERT_INSUFFICIENT_SECURITY = 71,
    MT_ALERT_INTERNAL_ERROR = 80,
    MT_ALERT_INAPPROPRIATE_FALLBACK = 86,
    MT_ALERT_USER_CANCELED = 90,
    MT_ALERT_NO_RENEGOTIATION = 100,
    MT_ALERT_MISSING_EXTENSION = 109,
    MT_ALERT_UNSUPPORTED_EXTENSION = 110,
    MT_ALERT_UNRECOGNIZED_NAME = 112,
    MT_ALERT_BAD_CERTIFICATE_STATUS_RESPONSE = 113,
    MT_ALERT_UNKNOWN_PSK_IDENTITY = 115,
    MT_ALERT_CERTIFICATE_REQUIRED = 116,
    MT_ALERT_NO_APPLICATION_PROTOCOL = 120,
};
#define MT_NO_ALERT (-1)

typedef struct mt_error {
    int code;  /* MUTLS_ERR_* or MUTLS_OK */
    int alert; /* alert to send to the peer, or MT_NO_ALERT */
    char msg[768];
} mt_error;

void mt_error_clear(mt_error *e);
/* Record a failure (unless one is already recorded) and return the
 * recorded code, so that `return mt_fail(...)` propagates it. */
int mt_fail(mt_error *e, int code, int alert, const char *fmt, ...) MT_PRINTF(4, 5);
int mt_vfail(mt_error *e, int code, int alert, const char *fmt, va_list ap) MT_PRINTF(4, 0);

/* The one control-flow idiom: `int ret = 0; ... TRY(f()); ... Exit:`. */
#define TRY(expr)                                                              \
    do {                                                                       \
        if ((ret = (expr)) != 0)                                               \
            goto Exit;                                                         \
    } while (0)

#endif
