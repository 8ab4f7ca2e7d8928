/* The thin adapter that drives a sans-I/O connection over a socket. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sys/socket.h>
#include <string.h>
#include <unistd.h>

#include "core/conn.h"

int mutls_conn_set_fd(mutls_conn *c, int fd)
{
    if (c == NULL || fd < 0)
        return MUTLS_ERR_INVALID_ARGUMENT;
    c->fd = fd;
    return 0;
}

short mutls_io_poll_events(const mutls_conn *c)
{
    return c->io_events;
}

static int io_fail(mutls_conn *c, const char *what)
{
    if (c->err.code == MUTLS_OK)
        mt_fail(&c->err, MUTLS_ERR_IO, MT_NO_ALERT, "%s: %s", what, strerror(errno));
    return c->err.code;
}

int mutls_io_flush(mutls_conn *c)
{
    if (c == NULL || c->fd < 0)
        return MUTLS_ERR_INVALID_ARGUMENT;
    while (c->rec.out.len > 0) {
        ssize_t n = send(c->fd, c->rec.out.data, c->rec.out.len, MSG_NOSIGNAL);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            if (errno == EAGAIN || errno == EWOULDBLOCK) {
                c->io_events = POLLOUT;
                return MUTLS_WANT_WRITE;
            }
            return io_fail(c, "send");
        }
        mt_buf_drop(&c->rec.out, (size_t)n);
    }
    return 0;
}

/* Read once from the socket into the connection. */
static int pull(mutls_conn *c)
{
    uint8_t buf[16384 + 512];
    for (;;) {
        ssize_t n = recv(c->fd, buf, sizeof(buf), 0);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            if (errno == EAGAIN || errno == EWOULDBLOCK) {
                c->io_events = POLLIN;
                return MUTLS_WANT_READ;
            }
            return io_fail(c, "recv");
        }
        return mutls_conn_feed(c, buf, (size_t)n);
    }
}

/* Flush what the last step produced (including a fatal alert), then
 * report that step's result. */
static int settle(mutls_conn *c, int ret)
{
    int f = mutls_io_flush(c);
    if (ret <= MUTLS_ERR_FIRST)
        return ret;
    return f != 0 ? f : ret;
}

int mutls_io_handshake(mutls_conn *c)
{
    int ret;
    if (c == NULL || c->fd < 0)
        return MUTLS_ERR_INVALID_ARGUMENT;
    for (;;) {
        ret = mutls_conn_handshake(c);
        int f = settle(c, ret);
        if (f != MUTLS_WANT_READ)
            return f; /* done, error, or WANT_WRITE */
        if ((ret = pull(c)) != 0) {
            f = settle(c, ret);
            if (f != 0)
                return f;
        }
    }
}

int mutls_io_read(mutls_conn *c, uint8_t *buf, size_t len)
{
    int ret;
    if (c == NULL || c->fd < 0)
        return MUTLS_ERR_INVALID_ARGUMENT;
    for (;;) {
        ret = mutls_conn_read(c, buf, len);
        /* A KeyUpdate answer may be waiting; it must go out. */
        int f = settle(c, ret);
        if (ret != MUTLS_WANT_READ)
            return f == MUTLS_WANT_WRITE ? ret : f;
        if (f == MUTLS_WANT_WRITE)
            return f;
        if ((ret = pull(c)) != 0) {
            f = settle(c, ret);
            if (f != 0)
                return f;
        }
    }
}

int mutls_io_write(mutls_conn *c, const uint8_t *buf, size_t len)
{
    int ret;
    if (c == NULL || c->fd < 0)
        return MUTLS_ERR_INVALID_ARGUMENT;
    if (!mutls_conn_handshake_done(c) && (ret = mutls_io_handshake(c)) != 0)
        return ret;
    ret = mutls_conn_write(c, buf, len);
    if (ret < 0)
        return settle(c, ret);
    /* The data is queued; a non-blocking caller finishes with flush. */
    int f = mutls_io_flush(c);
    return f == 0 || f == MUTLS_WANT_WRITE ? ret : f;
}

int mutls_io_close(mutls_conn *c)
{
    if (c == NULL || c->fd < 0)
        return MUTLS_ERR_INVALID_ARGUMENT;
    (void)mutls_conn_close(c);
    return mutls_io_flush(c);
}

int mutls_io_complete_client_auth(mutls_conn *c)
{
    int ret;
    if (c == NULL || c->fd < 0)
        return MUTLS_ERR_INVALID_ARGUMENT;
    while (c->pha_stage != 0) {
        if (c->err.code != MUTLS_OK)
            return c->err.code;
        if ((ret = mutls_io_flush(c)) != 0)
            return ret;
        if ((ret = pull(c)) != 0) {
            int f = settle(c, ret);
            if (f != 0)
                return f;
        }
        if (c->eof && c->pha_stage != 0)
            return mt_fail(&c->err, MUTLS_ERR_TRUNCATED, MT_NO_ALERT,
                           "connection closed during post-handshake authentication");
    }
    return c->err.code != MUTLS_OK ? c->err.code : settle(c, MUTLS_OK);
}
