/*
 * Sockets for the mutls command: address parsing, connect, listen.
 */
#ifndef CLI_NET_H
#define CLI_NET_H

#include <stddef.h>
#include <sys/socket.h>

/* Large enough for "[IPv6]:port" and for a host name with its port. */
#define CLI_ADDR_MAX 300
#define CLI_HOST_MAX 256
#define CLI_PORT_MAX 32

/* Split "host:port", "[v6addr]:port" or ":port" (empty host). The host is
 * returned without brackets. 0 on success, -1 when malformed. */
int cli_split_host_port(const char *arg, char *host, size_t host_cap,
                        char *port, size_t port_cap);

/* TCP connection to host:port, trying each resolved address in turn.
 * Returns the (blocking) socket, or -1 with the reason in err. */
int cli_tcp_connect(const char *host, const char *port, char *err,
                    size_t err_cap);

/* Listening TCP socket (SO_REUSEADDR) on host:port; an empty host means
 * every local address. Returns the socket, or -1 with the reason in err. */
int cli_tcp_listen(const char *host, const char *port, char *err,
                   size_t err_cap);

/* "127.0.0.1:4433" or "[::1]:4433". */
void cli_format_addr(const struct sockaddr *sa, socklen_t len, char *out,
                     size_t cap);
/* The local address of a socket, formatted as above. 0 or -1. */
int cli_local_addr(int fd, char *out, size_t cap);

int cli_set_nonblocking(int fd, int on);
/* TCP_NODELAY: handshake flights and short records go out at once. */
int cli_set_nodelay(int fd);
/* Receive and send timeouts; 0 clears them. 0 or -1. */
int cli_set_timeouts(int fd, int seconds);

/* Write all of buf to fd (a blocking descriptor). 0 or -1 (errno set). */
int cli_write_all(int fd, const void *buf, size_t len);

/* Half-close our side and discard what the peer still sends for up to
 * wait_ms, so that closing does not reset the connection while the peer
 * is still reading our last bytes. Closes fd. */
void cli_close_gracefully(int fd, int wait_ms);

#endif
