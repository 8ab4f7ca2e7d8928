/*
 * Session files: mutls_session_export() output on disk.
 */
#include "session_file.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define MAX_SESSION_FILE (1024 * 1024)

/* "MUTLSSES" || u8 version: checked here only to say clearly what is
 * wrong with a file; mutls_session_import() checks everything. */
static const char magic[8] = {'M', 'U', 'T', 'L', 'S', 'S', 'E', 'S'};
#define EXPORT_VERSION 1

static void session_info(const mutls_session *s, struct cli_session_info *info)
{
    memset(info, 0, sizeof *info);
    info->version = mutls_session_version(s);
    info->suite = mutls_session_cipher_suite(s);
    info->issued = mutls_session_issued(s);
    info->lifetime = mutls_session_lifetime(s);
    info->max_early_data = mutls_session_max_early_data(s);
    snprintf(info->server_name, sizeof info->server_name, "%s", mutls_session_server_name(s));
    snprintf(info->alpn, sizeof info->alpn, "%s", mutls_session_alpn(s));
}

static void format_time(int64_t t, char *out, size_t cap)
{
    time_t tt = (time_t)t;
    struct tm tm;

    if (gmtime_r(&tt, &tm) == NULL || strftime(out, cap, "%Y-%m-%d %H:%M:%S UTC", &tm) == 0)
        snprintf(out, cap, "%lld", (long long)t);
}

static uint8_t *read_all(const char *path, size_t *len, char *err, size_t err_cap)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    uint8_t *buf = NULL;
    size_t used = 0, cap = 0;

    if (fd < 0) {
        snprintf(err, err_cap, "cannot read %s: %s", path, strerror(errno));
        return NULL;
    }
    for (;;) {
        if (used == cap) {
            uint8_t *nb;
            if (cap >= MAX_SESSION_FILE) {
                snprintf(err, err_cap, "%s is larger than %d bytes: not a session file", path,
                         MAX_SESSION_FILE);
                goto fail;
            }
            cap = cap == 0 ? 4096 : cap * 2;
            if ((nb = realloc(buf, cap)) == NULL) {
                snprintf(err, err_cap, "out of memory");
                goto fail;
            }
            buf = nb;
        }
        ssize_t n = read(fd, buf + used, cap - used);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            snprintf(err, err_cap, "cannot read %s: %s", path, strerror(errno));
            goto fail;
        }
        if (n == 0)
            break;
        used += (size_t)n;
    }
    close(fd);
    *len = used;
    return buf;
fail:
    close(fd);
    free(buf);
    return NULL;
}

mutls_session *cli_session_load(const char *path, const char *server_name, int64_t now,
                                struct cli_session_info *info_out, char *err, size_t err_cap)
{
    struct cli_session_info info;
    mutls_session *s = NULL;
    size_t len = 0;
    uint8_t *buf = read_all(path, &len, err, err_cap);
    char when[64], issued[64];

    if (buf == NULL)
        return NULL;
    if (len < sizeof magic + 1 || memcmp(buf, magic, sizeof magic) != 0) {
        snprintf(err, err_cap, "%s is not a mutls session file (written by --sess-out)", path);
        goto done;
    }
    if (buf[sizeof magic] != EXPORT_VERSION) {
        snprintf(err, err_cap, "%s: session format version %u is not supported (this mutls "
                 "reads version %d)", path, buf[sizeof magic], EXPORT_VERSION);
        goto done;
    }
    s = mutls_session_import(buf, len);
    if (s == NULL) {
        snprintf(err, err_cap, "%s is corrupt or was tampered with (its SHA-256 check or "
                 "format check failed)", path);
        goto fail;
    }
    session_info(s, &info);
    format_time(info.issued, issued, sizeof issued);
    if (now < info.issued) {
        snprintf(err, err_cap, "%s: the session was issued in the future (%s): is the clock "
                 "right?", path, issued);
        goto fail;
    }
    if (now - info.issued >= (int64_t)info.lifetime) {
        format_time(info.issued + (int64_t)info.lifetime, when, sizeof when);
        snprintf(err, err_cap, "%s: the session expired at %s (issued %s, lifetime %u s); "
                 "connect without --sess-in for a new one", path, when, issued, info.lifetime);
        goto fail;
    }
    if (server_name != NULL && strcasecmp(info.server_name, server_name) != 0) {
        snprintf(err, err_cap, "%s: the session was made for server name '%s', not '%s' "
                 "(a resumed session keeps the identity of the server it was made with)",
                 path, info.server_name, server_name);
        goto fail;
    }
    if (info_out != NULL)
        *info_out = info;
    goto done;
fail:
    mutls_session_free(s);
    s = NULL;
done:
    /* The file holds the session's secret. */
    memset(buf, 0, len);
    free(buf);
    return s;
}

int cli_session_save(const char *path, const mutls_session *session, char *err,
                     size_t err_cap)
{
    uint8_t *data = NULL;
    size_t len = 0, dir_len;
    const char *slash = strrchr(path, '/');
    char *tmp;
    int fd, rc;

    rc = mutls_session_export(session, &data, &len);
    if (rc != MUTLS_OK) {
        snprintf(err, err_cap, "cannot export the session: %s", mutls_strerror(rc));
        return -1;
    }
    dir_len = slash != NULL ? (size_t)(slash - path) + 1 : 0;
    tmp = malloc(dir_len + sizeof ".mutls-session.XXXXXX");
    if (tmp == NULL) {
        snprintf(err, err_cap, "out of memory");
        memset(data, 0, len);
        free(data);
        return -1;
    }
    memcpy(tmp, path, dir_len);
    memcpy(tmp + dir_len, ".mutls-session.XXXXXX", sizeof ".mutls-session.XXXXXX");
    fd = mkstemp(tmp); /* mode 0600 */
    rc = -1;
    if (fd < 0) {
        snprintf(err, err_cap, "cannot create a file next to %s: %s", path, strerror(errno));
    } else {
        size_t off = 0;
        while (off < len) {
            ssize_t n = write(fd, data + off, len - off);
            if (n < 0 && errno == EINTR)
                continue;
            if (n < 0)
                break;
            off += (size_t)n;
        }
        int werr = off != len || fchmod(fd, 0600) != 0 || fsync(fd) != 0
                       ? (errno != 0 ? errno : EIO)
                       : 0;
        if (close(fd) != 0 && werr == 0)
            werr = errno;
        if (werr != 0)
            snprintf(err, err_cap, "cannot write %s: %s", tmp, strerror(werr));
        else if (rename(tmp, path) != 0)
            snprintf(err, err_cap, "cannot write %s: %s", path, strerror(errno));
        else
            rc = 0;
        if (rc != 0)
            unlink(tmp);
    }
    free(tmp);
    memset(data, 0, len);
    free(data);
    return rc;
}
