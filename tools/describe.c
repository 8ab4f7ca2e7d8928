/*
 * Words for what a connection negotiated and for why it failed.
 */
#include "describe.h"

#include <stdio.h>

const char *cli_name_or_hex(const char *name, unsigned code, char *buf,
                            size_t cap)
{
    if (name != NULL)
        return name;
    snprintf(buf, cap, "0x%04x", code);
    return buf;
}

void cli_describe_params(const mutls_conn *conn, char *out, size_t cap)
{
    char vbuf[8], sbuf[8], gbuf[8];
    uint16_t version = mutls_conn_version(conn);
    uint16_t suite = mutls_conn_cipher_suite(conn);
    uint16_t group = mutls_conn_group(conn);

    snprintf(out, cap, "%s %s %s",
             cli_name_or_hex(mutls_version_name(version), version, vbuf, sizeof vbuf),
             cli_name_or_hex(mutls_cipher_suite_name(suite), suite, sbuf, sizeof sbuf),
             group == 0 ? "-"
                        : cli_name_or_hex(mutls_group_name(group), group, gbuf, sizeof gbuf));
}

static const char *alert_name(int alert, char *buf, size_t cap)
{
    const char *name = mutls_alert_name((uint8_t)alert);

    if (name != NULL)
        return name;
    snprintf(buf, cap, "%d", alert);
    return buf;
}

/* " (sent alert NAME)": always, so that scripts can look for it. */
static void append_alert(char *out, size_t cap, size_t used, const char *how,
                         int alert)
{
    char abuf[16];

    snprintf(out + used, cap - used, " (%s alert %s)", how,
             alert_name(alert, abuf, sizeof abuf));
}

void cli_describe_error(const mutls_conn *conn, int rc, char *out,
                        size_t cap)
{
    const char *why = conn != NULL ? mutls_conn_error(conn) : NULL;
    int sent = conn != NULL ? mutls_conn_alert_sent(conn) : -1;
    int received = conn != NULL ? mutls_conn_alert_received(conn) : -1;
    int n;

    if (why == NULL || why[0] == '\0')
        why = mutls_strerror(rc);
    if (why == NULL)
        why = "unknown error";
    n = snprintf(out, cap, "%s", why);
    if (n < 0 || (size_t)n >= cap)
        return;
    /* close_notify (0) is not the reason for a failure. */
    if (received > 0)
        append_alert(out, cap, (size_t)n, "received", received);
    else if (sent > 0)
        append_alert(out, cap, (size_t)n, "sent", sent);
}
