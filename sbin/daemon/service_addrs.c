/* SPDX-License-Identifier: ISC */
/* service_addrs: one socket per local address for bind_each_address, see
 * service_addrs.h.
 *
 * A refresh reads the host's addresses once (getifaddrs), sorted and each
 * once, then walks the service's sockets: one whose address is in the list
 * stays and ticks it off, one whose address is gone is closed (a wait-mode
 * handler holding it keeps its own copy, which is of no use any more).
 * What is left of the list gets a socket. The addresses that could not be
 * bound are remembered in the record, so that a failure is logged when it
 * begins and not again at every refresh. */
#include "autoconf.h"

#include <errno.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "config/config.h"
#include "base/base.h"
#include "daemon/listener.h"
#include "daemon/notify.h"
#include "daemon/service.h"
#include "daemon/service_addrs.h"

struct host_addrs {
	struct sockaddr_storage *a;
	size_t n;
};

/* qsort's and bsearch's form of addr_compare(). */
static int
addr_cmp(const void *pa, const void *pb)
{
	return addr_compare(pa, pb);
}

/* ifa as svc's socket address (port set), false when svc does not serve it
 * (another family, or with `interface`, another interface's address). */
static bool
host_addr(const struct service *svc, const struct ifaddrs *ifa, struct sockaddr_storage *ss)
{
	const struct sockaddr *sa = ifa->ifa_addr;
	const struct sockaddr_in6 *src = (const struct sockaddr_in6 *)sa;
	struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)ss;

	memset(ss, 0, sizeof(*ss));
	if (!sa || (sa->sa_family != AF_INET && sa->sa_family != AF_INET6) ||
	    !config_binds_family(svc, sa->sa_family) ||
	    (svc->interface && strcmp(ifa->ifa_name, svc->interface)))
		return false;
	ss->ss_family = sa->sa_family;
	if (sa->sa_family == AF_INET) {
		((struct sockaddr_in *)ss)->sin_addr = ((const struct sockaddr_in *)sa)->sin_addr;
		((struct sockaddr_in *)ss)->sin_port = htons(svc->port);
		return true;
	}
	in6->sin6_addr = src->sin6_addr;
	in6->sin6_port = htons(svc->port);
	/* fe80::/10 exists once per link: bound with its interface */
	if (IN6_IS_ADDR_LINKLOCAL(&src->sin6_addr))
		in6->sin6_scope_id = src->sin6_scope_id;
	return true;
}

/* The host's addresses that svc serves, sorted, each once. -1 (errno). */
static int
host_addrs_read(const struct service *svc, struct host_addrs *h)
{
	struct ifaddrs *ifs, *i;
	size_t n = 0;

	*h = (struct host_addrs){ NULL, 0 };
	if (getifaddrs(&ifs) < 0)
		return -1;
	for (i = ifs; i; i = i->ifa_next)
		n++;
	h->a = calloc(n + 1, sizeof(*h->a));
	if (!h->a) {
		freeifaddrs(ifs);
		return -1;
	}
	for (i = ifs; i; i = i->ifa_next)
		h->n += host_addr(svc, i, &h->a[h->n]);
	freeifaddrs(ifs);
	qsort(h->a, h->n, sizeof(*h->a), addr_cmp);
	/* an address on two interfaces (IPv4 allows it) is one socket */
	n = 0;
	for (size_t k = 0; k < h->n; k++)
		if (!n || addr_cmp(&h->a[n - 1], &h->a[k]))
			h->a[n++] = h->a[k];
	h->n = n;
	return 0;
}

size_t
service_addrs_wanted(const struct service *svc)
{
	struct host_addrs h;

	if (host_addrs_read(svc, &h) < 0)
		return 0;
	free(h.a);
	return h.n;
}

static bool
refreshable(const struct service_rt *rt)
{
	if (!rt->svc->bind_each_address)
		return false;
	if (rt->state != SERVICE_UNBOUND && rt->state != SERVICE_ACTIVE &&
	    rt->state != SERVICE_LOOPING)
		return false;
	/* systemd's sockets are the service manager's choice */
	for (const struct listener *l = rt->listeners; l; l = l->next)
		if (l->adopted)
			return false;
	return true;
}

/* Closes the sockets whose address is gone, or whose `interface` is no
 * longer the one of that name (it was replaced between two refreshes);
 * ticks off in have[] those that stay. */
static bool
close_gone(struct service_rt *rt, const struct host_addrs *h, bool *have)
{
	const char *ifname = rt->svc->interface;
	unsigned ifindex = ifname ? if_nametoindex(ifname) : 0;
	struct listener **pl = &rt->listeners;
	bool changed = false;

	while (*pl) {
		struct listener *l = *pl;
		const struct sockaddr_storage *found = bsearch(&l->addr, h->a, h->n, sizeof(*h->a),
							       addr_cmp);

		if (found && (!ifname || l->ifindex == ifindex)) {
			have[found - h->a] = true;
			pl = &l->next;
			continue;
		}
		*pl = l->next;
		rt->nlisteners--;
		logit(LOG_NOTICE, "%s: %s closed: %s", rt->svc->id, l->name,
		      found ? "its interface was replaced" : "the address is gone");
		service_listener_drop(l);
		changed = true;
	}
	return changed;
}

/* A new socket of rt for ss, watched at once when rt's are; NULL with the
 * reason in err. */
static struct listener *
open_one(struct service_rt *rt, const struct sockaddr_storage *ss, char *err, size_t errlen)
{
	struct listener *l = service_listener_open(rt->svc, ss, false, err, errlen);

	if (!l)
		return NULL;
	service_listener_pauses(rt, l);
	service_listener_attach(rt, l);
	if (rt->watching && service_listener_watch(l) < 0)
		logit(LOG_ERR, "%s: %s: cannot watch the socket", rt->svc->id, l->name);
	logit(LOG_NOTICE, "%s: listening on %s", rt->svc->id, l->name);
	return l;
}

/* A socket for every address not ticked off; the failures become rt's
 * list (sorted as h is). Returns how many failed. */
static size_t
open_new(struct service_rt *rt, const struct host_addrs *h, const bool *have, bool *changed)
{
	struct sockaddr_storage *failed = calloc(h->n + 1, sizeof(*failed));
	size_t nfailed = 0;
	char err[256];

	for (size_t k = 0; k < h->n; k++) {
		if (have[k])
			continue;
		if (open_one(rt, &h->a[k], err, sizeof(err))) {
			*changed = true;
			continue;
		}
		/* said once, when it begins to fail (an IPv6 address in
		 * duplicate address detection: not yet) */
		if (!bsearch(&h->a[k], rt->addr_failed, rt->naddr_failed, sizeof(*h->a),
			     addr_cmp)) {
			logit(errno == EADDRNOTAVAIL ? LOG_NOTICE : LOG_ERR,
			      "%s: %s (tried again when the host's addresses change)", rt->svc->id,
			      err);
			service_note(rt, "%s", err);
		}
		if (failed)
			failed[nfailed] = h->a[k];
		nfailed++;
	}
	free(rt->addr_failed);
	rt->addr_failed = failed;
	rt->naddr_failed = failed ? nfailed : 0;
	return nfailed;
}

size_t
service_refresh_addresses(struct service_rt *rt)
{
	struct host_addrs h;
	bool changed, *have;
	size_t failed;

	if (!refreshable(rt))
		return 0;
	if (host_addrs_read(rt->svc, &h) < 0 || !(have = calloc(h.n + 1, sizeof(*have)))) {
		logerr(LOG_ERR, "%s: the host's addresses", rt->svc->id);
		service_note(rt, "cannot read the host's addresses");
		free(h.a);
		return 1;
	}
	changed = close_gone(rt, &h, have);
	failed = open_new(rt, &h, have, &changed);
	free(have);
	free(h.a);
	if (rt->state != SERVICE_LOOPING)
		rt->state = rt->nlisteners ? SERVICE_ACTIVE : SERVICE_UNBOUND;
	if (changed)
		notify_changed();
	return failed;
}

size_t
service_table_refresh_addresses(struct service_table *t)
{
	size_t failed = 0;

	for (size_t i = 0; i < t->count; i++)
		failed += service_refresh_addresses(t->rt[i]);
	return failed;
}

bool
service_addrs_keeps(const struct service *svc, const struct listener *l)
{
	return svc->bind_each_address && !l->adopted && !l->wildcard &&
	       l->addr.ss_family != AF_UNIX && l->socktype == svc->socktype &&
	       addr_port((const struct sockaddr *)&l->addr) == svc->port &&
	       config_binds_family(svc, l->addr.ss_family) &&
	       !strcmp(l->ifname, svc->interface ? svc->interface : "");
}
