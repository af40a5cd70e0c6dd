/* SPDX-License-Identifier: ISC */
/* service_wait: binding the addresses services wait for, see service.h.
 *
 * A bind() to an address the host does not have fails with EADDRNOTAVAIL
 * (an IPv6 address in duplicate address detection too, until DAD ends), and
 * SO_BINDTODEVICE to an unknown interface with ENODEV. Such an address is
 * kept in its service's list (service_waitlist.c), and bound again here
 * whenever addrwatch.c says that addresses or links changed: no timer, no
 * polling. What Linux does with a bound socket whose address goes away: the
 * socket stays bound and listening, and accepts again once the address is
 * back (tests/daemon/daemon_netns.sh checks it), so such a socket is kept.
 * A socket bound to an interface keeps that interface's index, which a new
 * interface of the same name does not have: it is closed, and waits. */
#include "autoconf.h"

#include <errno.h>
#include <net/if.h>
#include <string.h>
#include <sys/socket.h>

#include "base/base.h"
#include "config/config.h"
#include "daemon/listener.h"
#include "daemon/notify.h"
#include "daemon/service.h"
#include "daemon/service_addrs.h"

/* A bind that fails for another reason now (the port taken meanwhile) is
 * logged when its reason changes, and the address goes on waiting. */
static void
wait_failed(struct service_rt *rt, const char *err)
{
	if (!strcmp(rt->last_error, err))
		return;
	logit(LOG_ERR, "%s: %s", rt->svc->id, err);
	service_note(rt, "%s", err);
}

/* Binds what the host has now; true when a socket was opened. */
static bool
wait_retry(struct service_rt *rt)
{
	size_t kept = 0;
	bool opened = false;

	for (size_t i = 0; i < rt->nwaiting; i++) {
		struct service_wait *w = &rt->waiting[i];
		char err[256];
		struct listener *l = service_listener_open(rt->svc, &w->ss, false, err,
							   sizeof(err));

		if (!l) {
			if (!service_bind_waits(errno)) {
				wait_failed(rt, err);
			} else if (errno != w->err) {
				/* the interface came, the address not yet: said */
				w->err = errno;
				w->announced = false;
			}
			rt->waiting[kept++] = *w;
			continue;
		}
		service_listener_pauses(rt, l);
		service_listener_attach(rt, l);
		logit(LOG_NOTICE, "%s: now listening on %s", rt->svc->id, l->name);
		opened = true;
	}
	rt->nwaiting = kept;
	service_wait_announce(rt);
	if (opened && !rt->nwaiting)
		rt->last_error[0] = '\0';
	return opened;
}

/* Closes the sockets bound to an interface that is gone, or replaced by
 * another of its name; their addresses wait. True when one was closed. */
static bool
wait_links(struct service_rt *rt)
{
	const char *ifname = rt->svc->interface;
	unsigned now_index;
	struct listener **pl = &rt->listeners;
	bool closed = false;

	if (!ifname || rt->svc->local)
		return false;
	now_index = if_nametoindex(ifname);
	while (*pl) {
		struct listener *l = *pl;

		if (l->adopted || !l->ifindex || l->ifindex == now_index) {
			pl = &l->next;
			continue;
		}
		if (service_wait_push(&rt->waiting, &rt->nwaiting, &l->addr, ENODEV, true) < 0) {
			pl = &l->next;	/* out of memory: better a stale socket than none */
			continue;
		}
		logit(LOG_NOTICE, "%s: interface %s is gone: %s closed, waiting for it",
		      rt->svc->id, ifname, l->name);
		service_note(rt, "waiting for interface %s", ifname);
		*pl = l->next;
		rt->nlisteners--;
		service_listener_drop(l);
		closed = true;
	}
	return closed;
}

void
service_table_addresses_changed(struct service_table *t)
{
	bool changed = false;

	for (size_t i = 0; i < t->count; i++) {
		struct service_rt *rt = t->rt[i];

		if (rt->state != SERVICE_ACTIVE && rt->state != SERVICE_WAITING &&
		    rt->state != SERVICE_LOOPING)
			continue;
		/* its sockets follow the host's addresses, not a list (below) */
		if (rt->svc->bind_each_address)
			continue;
		changed |= wait_links(rt);
		if (rt->nwaiting && wait_retry(rt)) {
			changed = true;
			if (service_rt_start(rt) < 0)
				service_note(rt, "cannot watch its sockets");
		}
		if (rt->state != SERVICE_LOOPING && (rt->nlisteners || rt->nwaiting))
			rt->state = rt->nlisteners ? SERVICE_ACTIVE : SERVICE_WAITING;
	}
	if (changed)
		notify_changed();
	/* bind_each_address: a socket per address the host has now */
	service_table_refresh_addresses(t);
}
