#include "base/error.h"

#include <stdio.h>
#include <string.h>

void mt_error_clear(mt_error *e)
{
    e->code = MUTLS_OK;
    e->alert = MT_NO_ALERT;
    e->msg[0] = '\0';
}

int mt_vfail(mt_error *e, int code, int alert, const char *fmt, va_list ap)
{
    if (e->code != MUTLS_OK)
        return e->code;
    e->code = code;
    e->alert = alert;
    vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
    return code;
}

int mt_fail(mt_error *e, int code, int alert, const char *fmt, ...)
{
    va_list ap;
    int r;
    va_start(ap, fmt);
    r = mt_vfail(e, code, alert, fmt, ap);
    va_end(ap);
    return r;
}

const char *mutls_strerror(int code)
{
    switch (code) {
    case MUTLS_OK: return "MUTLS_OK";
    case MUTLS_WANT_READ: return "MUTLS_WANT_READ";
    case MUTLS_WANT_WRITE: return "MUTLS_WANT_WRITE";
    case MUTLS_ERR_INVALID_ARGUMENT: return "MUTLS_ERR_INVALID_ARGUMENT";
    case MUTLS_ERR_PROTOCOL: return "MUTLS_ERR_PROTOCOL";
    case MUTLS_ERR_VERIFY: return "MUTLS_ERR_VERIFY";
    case MUTLS_ERR_ALERT_RECEIVED: return "MUTLS_ERR_ALERT_RECEIVED";
    case MUTLS_ERR_TRUNCATED: return "MUTLS_ERR_TRUNCATED";
    case MUTLS_ERR_NEGOTIATION: return "MUTLS_ERR_NEGOTIATION";
    case MUTLS_ERR_INTERNAL: return "MUTLS_ERR_INTERNAL";
    case MUTLS_ERR_IO: return "MUTLS_ERR_IO";
    case MUTLS_ERR_CLOSED: return "MUTLS_ERR_CLOSED";
    case MUTLS_ERR_CONFIG: return "MUTLS_ERR_CONFIG";
    default: return "MUTLS_ERR_UNKNOWN";
    }
}

const char *mutls_alert_name(uint8_t alert)
{
    switch (alert) {
    case MT_ALERT_CLOSE_NOTIFY: return "close_notify";
    case MT_ALERT_UNEXPECTED_MESSAGE: return "unexpected_message";
    case MT_ALERT_BAD_RECORD_MAC: return "bad_record_mac";
    case MT_ALERT_RECORD_OVERFLOW: return "record_overflow";
    case MT_ALERT_HANDSHAKE_FAILURE: return "handshake_failure";
    case MT_ALERT_BAD_CERTIFICATE: return "bad_certificate";
    case MT_ALERT_UNSUPPORTED_CERTIFICATE: return "unsupported_certificate";
    case MT_ALERT_CERTIFICATE_REVOKED: return "certificate_revoked";
    case MT_ALERT_CERTIFICATE_EXPIRED: return "certificate_expired";
    case MT_ALERT_CERTIFICATE_UNKNOWN: return "certificate_unknown";
    case MT_ALERT_ILLEGAL_PARAMETER: return "illegal_parameter";
    case MT_ALERT_UNKNOWN_CA: return "unknown_ca";
    case MT_ALERT_ACCESS_DENIED: return "access_denied";
    case MT_ALERT_DECODE_ERROR: return "decode_error";
    case MT_ALERT_DECRYPT_ERROR: return "decrypt_error";
    case MT_ALERT_PROTOCOL_VERSION: return "protocol_version";
    case MT_ALERT_INSUFFICIENT_SECURITY: return "insufficient_security";
    case MT_ALERT_INTERNAL_ERROR: return "internal_error";
    case MT_ALERT_INAPPROPRIATE_FALLBACK: return "inappropriate_fallback";
    case MT_ALERT_USER_CANCELED: return "user_canceled";
    case MT_ALERT_NO_RENEGOTIATION: return "no_renegotiation";
    case MT_ALERT_MISSING_EXTENSION: return "missing_extension";
    case MT_ALERT_UNSUPPORTED_EXTENSION: return "unsupported_extension";
    case MT_ALERT_UNRECOGNIZED_NAME: return "unrecognized_name";
    case MT_ALERT_BAD_CERTIFICATE_STATUS_RESPONSE: return "bad_certificate_status_response";
    case MT_ALERT_UNKNOWN_PSK_IDENTITY: return "unknown_psk_identity";
    case MT_ALERT_CERTIFICATE_REQUIRED: return "certificate_required";
    case MT_ALERT_NO_APPLICATION_PROTOCOL: return "no_application_protocol";
    default: return NULL;
    }
}
