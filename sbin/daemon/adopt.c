/* SPDX-License-Identifier: ISC */
/* adopt: sockets from the service manager, see adopt.h */
#include "autoconf.h"

#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "daemon/adopt.h"
#include "config/config.h"
#include "daemon/listener.h"
#include "base/base.h"
#include "daemon/service.h"

/* sd_listen_fds(3): passed descriptors start here. */
#define LISTEN_FDS_START 3

static const char *
type_name(int socktype)
{
	switch (socktype) {
	case SOCK_STREAM: return "TCP";
	case SOCK_DGRAM: return "UDP";
	case SOCK_SEQPACKET: return "SEQPACKET";
	case SOCK_RAW: return "raw";
	}
	return "unknown-type";
}

static bool
inet_family(int family)
{
	return family == AF_INET || family == AF_INET6;
}

/* Same family and address (ports are compared by the caller). */
static bool
addr_equal(const struct sockaddr_storage *a, const struct sockaddr_storage *b)
{
	if (a->ss_family != b->ss_family)
		return false;
	if (a->ss_family == AF_INET)
		return ((const struct sockaddr_in *)a)->sin_addr.s_addr ==
		       ((const struct sockaddr_in *)b)->sin_addr.s_addr;
	return IN6_ARE_ADDR_EQUAL(&((const struct sockaddr_in6 *)a)->sin6_addr,
				  &((const struct sockaddr_in6 *)b)->sin6_addr);
}

/* "a UDP socket on 127.0.0.1:53", "a TCP socket (not listening) on [::1]:80" */
static void
adopt_describe(const struct adopt_sock *s, char *buf, size_t len)
{
	char host[INET6_ADDRSTRLEN], where[ADDR_NAME_MAX];
	struct sockaddr_storage a = s->addr;
	int port;

	if (!inet_family(s->family)) {
		snprintf(buf, len, "a socket of address family %d (not IPv4 or IPv6)", s->family);
		return;
	}
	cval_sockaddr_unmap(&a);
	port = addr_text((const struct sockaddr *)&a, host, sizeof(host));
	addr_join(host, port, where, sizeof(where));
	snprintf(buf, len, "a %s socket%s on %s%s%s", type_name(s->socktype),
		 s->socktype == SOCK_STREAM && !s->listening ? " (not listening)" : "", where,
		 s->ifname[0] ? " on interface " : "", s->ifname);
}

/* "a listening TCP socket on port 23", "… on 127.0.0.1 or ::1 port 23" */
static void
expected_text(const struct service *svc, char *buf, size_t len)
{
	int n = snprintf(buf, len, "a %s%s socket on ", svc->socktype == SOCK_STREAM ? "listening " : "",
			 type_name(svc->socktype));

	for (size_t i = 0; i < svc->nbind && n >= 0 && (size_t)n < len; i++) {
		char host[INET6_ADDRSTRLEN];

		addr_text((const struct sockaddr *)&svc->bind[i], host, sizeof(host));
		n += snprintf(buf + n, len - n, "%s%s", i ? " or " : "", host);
	}
	if (n >= 0 && (size_t)n < len)
		n += snprintf(buf + n, len - n, "%sport %u", svc->nbind ? " " : "", svc->port);
	if (svc->interface && n >= 0 && (size_t)n < len)
		snprintf(buf + n, len - n, " on interface %s", svc->interface);
}

static bool
bind_allows(const struct service *svc, const struct sockaddr_storage *a)
{
	if (!svc->nbind)
		return true;	/* every address: any one socket is narrower */
	for (size_t i = 0; i < svc->nbind; i++)
		if (addr_equal(&svc->bind[i], a))
			return true;
	return false;
}

bool
adopt_fits(const struct service *svc, const struct adopt_sock *s, char *why, size_t len)
{
	struct sockaddr_storage a = s->addr;
	char want[512], found[INET6_ADDRSTRLEN + 96];

	/* as config.c stores it: an IPv4-mapped IPv6 address is IPv4 */
	cval_sockaddr_unmap(&a);
	if (inet_family(s->family) && s->socktype == svc->socktype &&
	    (s->socktype != SOCK_STREAM || s->listening) &&
	    addr_port((const struct sockaddr *)&a) == svc->port && bind_allows(svc, &a) &&
	    (!svc->interface || !strcmp(svc->interface, s->ifname)))
		return true;
	expected_text(svc, want, sizeof(want));
	adopt_describe(s, found, sizeof(found));
	snprintf(why, len, "expected %s, found %s", want, found);
	return false;
}

int
adopt_identify(int fd, struct adopt_sock *s)
{
	socklen_t len = sizeof(s->family);
	int accepting = 0;

	memset(s, 0, sizeof(*s));
	if (getsockopt(fd, SOL_SOCKET, SO_DOMAIN, &s->family, &len) < 0)
		return -1;
	len = sizeof(s->socktype);
	if (getsockopt(fd, SOL_SOCKET, SO_TYPE, &s->socktype, &len) < 0)
		return -1;
	len = sizeof(accepting);
	if (s->socktype == SOCK_STREAM &&
	    getsockopt(fd, SOL_SOCKET, SO_ACCEPTCONN, &accepting, &len) < 0)
		return -1;
	s->listening = accepting;
	len = sizeof(s->addr);
	if (getsockname(fd, (struct sockaddr *)&s->addr, &len) < 0)
		return -1;
	/* BindToDevice= of the socket unit; "" when none */
	len = sizeof(s->ifname);
	if (getsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, s->ifname, &len) < 0 ||
	    len >= sizeof(s->ifname))
		len = 0;
	s->ifname[len] = '\0';
	return 0;
}

/* Why a configured service takes no socket, or NULL when it may. */
static const char *
state_refuses(const struct service_rt *rt)
{
	switch (rt->state) {
	case SERVICE_UNBOUND:
	case SERVICE_ACTIVE:	/* a second socket of the same service */
		return NULL;
	case SERVICE_DISABLED: return "the service is disabled";
	case SERVICE_EXPIRED: return "the service has expired";
	case SERVICE_TCPMUX: return "the service is reached through tcpmux only";
	default: return "this build cannot serve the service";
	}
}

/* Checks one passed socket and hands it to rt; false when it was refused
 * (the caller closes it). */
static bool
adopt_one(struct service_rt *rt, int fd)
{
	const struct service *svc = rt->svc;
	struct adopt_sock s;
	struct listener *l;
	char why[1024];

	if (state_refuses(rt)) {
		logit(LOG_WARNING, "%s: socket %d from the service manager not used: %s; closed",
		      svc->id, fd, state_refuses(rt));
		return false;
	}
	if (adopt_identify(fd, &s) < 0) {
		logerr(LOG_ERR, "%s: socket %d from the service manager", svc->id, fd);
		return false;
	}
	if (!adopt_fits(svc, &s, why, sizeof(why))) {
		logit(LOG_ERR, "%s: socket %d from the service manager refused: %s; closed",
		      svc->id, fd, why);
		return false;
	}
	/* The same question through libsystemd's own check. */
	if (!sd_socket_inet(fd, svc->socktype, (uint16_t)svc->port)) {
		logit(LOG_ERR, "%s: socket %d from the service manager refused: "
		      "sd_is_socket_inet() says it is no %s socket on port %u; closed",
		      svc->id, fd, type_name(svc->socktype), svc->port);
		return false;
	}
	/* adopt_fits() made it an IPv4 or IPv6 socket of svc's type */
	l = listener_adopt(fd, s.socktype, &s.addr, s.ifname);
	if (!l || service_adopt(rt, l) < 0) {
		logerr(LOG_ERR, "%s: socket %d from the service manager", svc->id, fd);
		free(l);
		return false;
	}
	logit(LOG_INFO, "%s: listening on %s (socket %d from the service manager)", svc->id,
	      l->name, fd);
	return true;
}

void
adopt_sockets(struct service_table *t, const struct config *cfg)
{
	char **names = NULL;
	int n;

	if (!sd_available()) {
		if (getenv("LISTEN_FDS"))
			logit(LOG_WARNING, "LISTEN_FDS is set, but this portierd was built "
			      "without systemd support: the sockets passed are not used");
		return;
	}
	n = sd_listen(&names);
	if (n < 0) {
		logerr(LOG_ERR, "LISTEN_FDS");
		return;
	}
	for (int i = 0; i < n; i++) {
		int fd = LISTEN_FDS_START + i;
		const char *name = names && names[i] ? names[i] : "unknown";
		const struct service *svc = config_find(cfg, name);

		if (!svc)
			logit(LOG_WARNING, "socket %d from the service manager is named '%s', "
			      "which is no service's id; closed", fd, name);
		if (!svc || !adopt_one(t->rt[svc - cfg->services], fd))
			close(fd);
	}
	strv_free(names);
}
