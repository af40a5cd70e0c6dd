/* SPDX-License-Identifier: ISC */
/* addr: socket addresses as text, for logs, status and the environment,
 * and their order. */
#include "autoconf.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/un.h>

#include "base/base.h"

unsigned
addr_port(const struct sockaddr *sa)
{
	if (sa->sa_family == AF_INET6)
		return ntohs(((const struct sockaddr_in6 *)sa)->sin6_port);
	if (sa->sa_family == AF_INET)
		return ntohs(((const struct sockaddr_in *)sa)->sin_port);
	return 0;
}

bool
addr_is_wildcard(const struct sockaddr *sa)
{
	if (sa->sa_family == AF_INET6)
		return IN6_IS_ADDR_UNSPECIFIED(&((const struct sockaddr_in6 *)sa)->sin6_addr);
	return sa->sa_family == AF_INET &&
	       ((const struct sockaddr_in *)sa)->sin_addr.s_addr == htonl(INADDR_ANY);
}

int
addr_compare(const struct sockaddr *a, const struct sockaddr *b)
{
	unsigned pa = addr_port(a), pb = addr_port(b);

	if (a->sa_family != b->sa_family)
		return a->sa_family < b->sa_family ? -1 : 1;
	if (a->sa_family == AF_UNIX)
		return strcmp(((const struct sockaddr_un *)a)->sun_path,
			      ((const struct sockaddr_un *)b)->sun_path);
	if (pa != pb)
		return pa < pb ? -1 : 1;
	if (a->sa_family == AF_INET)
		return memcmp(&((const struct sockaddr_in *)a)->sin_addr,
			      &((const struct sockaddr_in *)b)->sin_addr, sizeof(struct in_addr));
	const struct sockaddr_in6 *x = (const struct sockaddr_in6 *)a;
	const struct sockaddr_in6 *y = (const struct sockaddr_in6 *)b;

	if (x->sin6_scope_id != y->sin6_scope_id)
		return x->sin6_scope_id < y->sin6_scope_id ? -1 : 1;
	return memcmp(&x->sin6_addr, &y->sin6_addr, sizeof(x->sin6_addr));
}

int
addr_text(const struct sockaddr *sa, char *buf, size_t len)
{
	const struct sockaddr_in6 *s6 = (const struct sockaddr_in6 *)sa;

	/* A v4-mapped peer (adopted dual-stack socket) reads as IPv4. */
	if (sa->sa_family == AF_INET6 && IN6_IS_ADDR_V4MAPPED(&s6->sin6_addr))
		inet_ntop(AF_INET, &s6->sin6_addr.s6_addr[12], buf, len);
	else if (sa->sa_family == AF_INET6)
		inet_ntop(AF_INET6, &s6->sin6_addr, buf, len);
	else if (sa->sa_family == AF_INET)
		inet_ntop(AF_INET, &((const struct sockaddr_in *)sa)->sin_addr, buf, len);
	else
		snprintf(buf, len, "?");
	return (int)addr_port(sa);
}

int
addr_join(const char *host, int port, char *buf, size_t len)
{
	return snprintf(buf, len, strchr(host, ':') ? "[%s]:%d" : "%s:%d", host, port);
}

void
addr_name(const struct sockaddr *sa, int socktype, char *buf, size_t len)
{
	char host[INET6_ADDRSTRLEN];
	int port, n;

	if (sa->sa_family == AF_UNIX) {
		snprintf(buf, len, "unix:%s", ((const struct sockaddr_un *)sa)->sun_path);
		return;
	}
	port = addr_text(sa, host, sizeof(host));
	n = addr_join(host, port, buf, len);
	if (n >= 0 && (size_t)n < len)
		snprintf(buf + n, len - (size_t)n, "/%s", socktype == SOCK_STREAM ? "tcp" : "udp");
}
