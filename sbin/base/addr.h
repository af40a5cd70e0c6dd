/* addr: socket addresses as text, for logs, status and the environment. */
#ifndef PORTIER_ADDR_H
#define PORTIER_ADDR_H

#include <arpa/inet.h>
#include <stddef.h>
#include <sys/socket.h>

/* "[ffff:…]:65535/tcp" */
#define ADDR_NAME_MAX (INET6_ADDRSTRLEN + 16)

/* Formats sa as "1.2.3.4" / "::1" into buf (a v4-mapped address reads as
 * IPv4); returns the port (host order). */
int addr_text(const struct sockaddr *sa, char *buf, size_t len);
/* A socket's name: "1.2.3.4:80/tcp", "[::1]:53/udp". */
void addr_name(const struct sockaddr *sa, int socktype, char *buf, size_t len);
/* The port of an IPv4 or IPv6 address (host order); 0 for other families. */
unsigned addr_port(const struct sockaddr *sa);

#endif
