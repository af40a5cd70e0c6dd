/* SPDX-License-Identifier: ISC */
/* adopt: sockets handed to portierd by its service manager (socket
 * activation of portierd itself: LISTEN_FDS, LISTEN_FDNAMES). A socket whose
 * name is a service's id serves that service, which then binds nothing of
 * its own; a socket that does not fit its service, or whose name matches no
 * service, is logged and closed. The fit is decided by adopt_fits(), which is
 * pure (tests/unit/check_adopt.c); the descriptors come from sd.c. */
#ifndef PORTIER_ADOPT_H
#define PORTIER_ADOPT_H

#include <net/if.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/socket.h>

struct config;
struct service;
struct service_table;

/* An inherited socket as the kernel describes it. */
struct adopt_sock {
	int family;			/* AF_INET, AF_INET6 or anything else */
	int socktype;			/* SOCK_STREAM, SOCK_DGRAM… */
	bool listening;			/* SO_ACCEPTCONN */
	struct sockaddr_storage addr;	/* getsockname() */
	char ifname[IF_NAMESIZE];	/* SO_BINDTODEVICE's interface, "" when none */
};

/* True when s can serve svc: IPv4 or IPv6, svc's socket type (a listening
 * socket for TCP), svc's port, one of svc's `bind` addresses when it names
 * any (a wildcard socket would serve more than it allows), and svc's
 * `interface` when it names one. Otherwise false, with "expected …, found …"
 * in why. */
bool adopt_fits(const struct service *svc, const struct adopt_sock *s, char *why, size_t len);

/* Reads fd's identity; -1 with errno set. */
int adopt_identify(int fd, struct adopt_sock *s);

/* Takes the sockets passed by the service manager and gives each to the
 * service it names (before service_table_bind(), which then skips those
 * services). Built without libsystemd, adopts nothing and warns when
 * LISTEN_FDS is set. */
void adopt_sockets(struct service_table *t, const struct config *cfg);

#endif
