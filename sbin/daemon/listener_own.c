/* SPDX-License-Identifier: ISC */
/* listener_own: portierd's own started UDP sockets, hashed by port, for
 * the loop guard of the internal UDP services (listener_udp_own(), see
 * listener.h). listener.c adds a socket when it starts and removes it when
 * it closes. */
#include "autoconf.h"

#include <ifaddrs.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>

#include "config/config.h"
#include "daemon/listener.h"
#include "base/base.h"

/* The open UDP sockets, hashed by port. */
#define OWN_BUCKETS 256
/* The host's addresses are read again at most this often (ms). */
#define LOCAL_ADDRS_MS 1000

static struct listener *own_udp[OWN_BUCKETS];

void
listener_own_add(struct listener *l)
{
	struct listener **b = &own_udp[addr_port((struct sockaddr *)&l->addr) % OWN_BUCKETS];

	l->own_next = *b;
	*b = l;
}

void
listener_own_del(struct listener *l)
{
	struct listener **p = &own_udp[addr_port((struct sockaddr *)&l->addr) % OWN_BUCKETS];

	while (*p && *p != l)
		p = &(*p)->own_next;
	if (*p)
		*p = l->own_next;
}

static socklen_t
sockaddr_len(const struct sockaddr *sa)
{
	return sa->sa_family == AF_INET6 ? sizeof(struct sockaddr_in6) : sizeof(struct sockaddr_in);
}

/* Whether a is one of the host's addresses: the loopback nets, or an
 * address of an interface (read again after LOCAL_ADDRS_MS, so that a
 * flood of spoofed datagrams costs one getifaddrs() a second). */
static bool
addr_is_local(const struct access_addr *a)
{
	static struct access_addr *addrs;
	static size_t naddrs;
	static uint64_t read_ms;
	static const uint8_t v6_loopback[16] = { [15] = 1 };
	uint64_t now = loop_now();

	if ((a->family == AF_INET && a->addr[0] == 127) ||
	    (a->family == AF_INET6 && !memcmp(a->addr, v6_loopback, 16)))
		return true;
	if (!read_ms || now - read_ms >= LOCAL_ADDRS_MS) {
		struct ifaddrs *ifs, *i;
		size_t n = 0;

		read_ms = now ? now : 1;
		naddrs = 0;
		if (getifaddrs(&ifs) < 0) {
			logerr(LOG_WARNING, "getifaddrs");
			return true;	/* unknown: answering is the risk */
		}
		for (i = ifs; i; i = i->ifa_next)
			n++;
		free(addrs);
		addrs = calloc(n ? n : 1, sizeof(*addrs));
		for (i = ifs; addrs && i; i = i->ifa_next)
			if (i->ifa_addr && access_addr_from_sockaddr(i->ifa_addr,
				sockaddr_len(i->ifa_addr), &addrs[naddrs]) == 0)
				naddrs++;
		freeifaddrs(ifs);
		if (!addrs)
			return true;
	}
	for (size_t k = 0; k < naddrs; k++)
		if (!memcmp(&addrs[k], a, sizeof(*a)))
			return true;
	return false;
}

bool
listener_udp_own(const struct sockaddr *src)
{
	unsigned port = addr_port(src);
	struct access_addr a, own;

	if (access_addr_from_sockaddr(src, sockaddr_len(src), &a) < 0)
		return false;
	for (struct listener *l = own_udp[port % OWN_BUCKETS]; l; l = l->own_next) {
		if (addr_port((struct sockaddr *)&l->addr) != port)
			continue;
		if (l->wildcard) {
			if (addr_is_local(&a))
				return true;
			continue;
		}
		if (access_addr_from_sockaddr((struct sockaddr *)&l->addr, l->addrlen, &own) == 0 &&
		    !memcmp(&own, &a, sizeof(a)))
			return true;
	}
	return false;
}
