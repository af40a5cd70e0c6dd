/* SPDX-License-Identifier: ISC */
/* service_table: the records of the configured services: building one for
 * a service (state, environment, per-source table, banners), its addresses
 * and listeners, and the table of all of them. See service.h. */
#include "autoconf.h"

#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/un.h>
#include <sys/socket.h>

#include "config/config.h"
#include "daemon/internal.h"
#include "daemon/listener.h"
#include "base/base.h"
#include "daemon/service.h"

/* ---- one service's runtime ---- */

/* What is read or decided once per service and configuration: the
 * environment template, the per-source table, the banners. */
int
service_rt_prepare(struct service_rt *rt)
{
	const struct service *svc = rt->svc;

	if (rt->prepared)
		return 0;
	if ((!svc->internal && spawn_prepare(&rt->spawn, svc) < 0) ||
	    admit_init(rt) < 0) {
		logit(LOG_ERR, "%s: out of memory", svc->id);
		return -1;
	}
	rt->prepared = true;
	if ((svc->log_on_success | svc->log_on_failure) & LOGF_USERID)
		logit(LOG_WARNING, "%s: USERID: ident (RFC 1413) look-ups are not supported; "
		      "the field is left out of the log", svc->id);
	/* Banners go to connections: wait-mode handlers own theirs. */
	if (svc->wait || svc->socktype != SOCK_STREAM)
		return 0;
	banner_load(&rt->banner, svc->banner, svc->id);
	banner_load(&rt->banner_success, svc->banner_success, svc->id);
	banner_load(&rt->banner_fail, svc->banner_fail, svc->id);
	return 0;
}

/* Undoes service_rt_prepare() but for the per-source table, which running
 * handlers still count in. */
void
service_rt_unprepare(struct service_rt *rt)
{
	spawn_release(&rt->spawn);
	banner_free(&rt->banner);
	banner_free(&rt->banner_success);
	banner_free(&rt->banner_fail);
	rt->prepared = false;
}

/* Stops every timer of the service and lifts the pauses they hold; a cps
 * pause goes on when keep_cps (a reload protects nobody from a flood). */
void
service_rt_quiesce(struct service_rt *rt, bool keep_cps)
{
	timer_cancel(&rt->guard);
	timer_cancel(&rt->expiry);
	timer_cancel(&rt->open_timer);
	if (!keep_cps)
		timer_cancel(&rt->adm.cps_pause);
	admit_quiesce(rt, keep_cps);
	rt->open_until = 0;
	rt->guard_starts = 0;
	for (struct listener *l = rt->listeners; l; l = l->next)
		listener_resume(l, keep_cps ? LISTENER_GUARD : LISTENER_GUARD | LISTENER_LIMIT);
}

enum service_state
service_state_of(const struct service *svc)
{
	if (svc->disabled)
		return SERVICE_DISABLED;
	if (!service_servable(svc))
		return SERVICE_SKIPPED;
	if (svc->expires && !service_ms_until(svc->expires))
		return SERVICE_EXPIRED;
	/* reachable through tcpmux only: no listener of its own */
	return svc->tcpmux ? SERVICE_TCPMUX : SERVICE_UNBOUND;
}

int
service_rt_setup(struct service_rt *rt, const struct service *svc)
{
	rt->svc = svc;
	rt->state = service_state_of(svc);
	if (rt->state == SERVICE_EXPIRED)
		logit(LOG_NOTICE, "%s: expired: not offered", svc->id);
	if (rt->state != SERVICE_UNBOUND && rt->state != SERVICE_TCPMUX)
		return 0;
	return service_rt_prepare(rt);
}

void
service_rt_free(struct service_rt *rt)
{
	service_close_listeners(rt);
	service_rt_quiesce(rt, false);
	admit_free(rt);
	service_rt_unprepare(rt);
	free(rt->addr_failed);
	free(rt);
}

/* ---- addresses and listeners ---- */

static void
sockaddr_set_port(struct sockaddr_storage *ss, unsigned port)
{
	if (ss->ss_family == AF_INET6)
		((struct sockaddr_in6 *)ss)->sin6_port = htons(port);
	else if (ss->ss_family == AF_INET)
		((struct sockaddr_in *)ss)->sin_port = htons(port);
}

size_t
service_naddrs(const struct service *svc)
{
	/* bind_each_address: the host's addresses, each its own socket
	 * (service_addrs.c). */
	if (svc->bind_each_address)
		return 0;
	/* No bind list: every address of both families, two sockets, the
	 * IPv6 one with IPV6_V6ONLY (listener.c), so each family is explicit. */
	return svc->nbind ? svc->nbind : 2;
}

bool
service_addr(const struct service *svc, size_t i, struct sockaddr_storage *ss)
{
	if (svc->nbind)
		*ss = svc->bind[i];
	else
		*ss = (struct sockaddr_storage){ .ss_family = i ? AF_INET6 : AF_INET };
	sockaddr_set_port(ss, svc->port);
	return !svc->nbind;
}

void
service_listener_opts(const struct service *svc, struct listener_opts *o)
{
	*o = (struct listener_opts){
		.backlog = svc->listen_backlog, .nonblock = !svc->wait,
		.keepalive = svc->keepalive, .nodelay = svc->nodelay, .freebind = svc->freebind,
		.ifname = svc->local ? NULL : svc->interface,
		/* Internal: answered by portierd itself, from the address each
		 * request reached. bind_each_address: for handlers that read the
		 * destination when the socket gives it (in.tftpd binds its
		 * transfer to it). */
		.pktinfo = svc->socktype != SOCK_DGRAM ? LISTENER_PKTINFO_OFF
			   : svc->bind_each_address ? LISTENER_PKTINFO_ALL
			   : svc->internal ? LISTENER_PKTINFO_WILDCARD : LISTENER_PKTINFO_OFF,
		.mode = svc->socket_mode,
		.uid = svc->local ? svc->socket_uid : (uid_t)-1,
		.gid = svc->local ? svc->socket_gid : (gid_t)-1,
	};
}

struct listener *
service_listener_open(const struct service *svc, const struct sockaddr_storage *ss,
		      bool implicit, char *err, size_t errlen)
{
	struct listener_opts o;
	socklen_t len = ss->ss_family == AF_INET6 ? sizeof(struct sockaddr_in6)
						  : sizeof(struct sockaddr_in);
	struct listener *l;
	char host[INET6_ADDRSTRLEN];
	int e;

	service_listener_opts(svc, &o);
	if (ss->ss_family == AF_UNIX) {
		char why[200];

		l = listener_open_unix(((const struct sockaddr_un *)ss)->sun_path, &o, why,
				       sizeof(why));
		if (!l)
			snprintf(err, errlen, "cannot listen on unix socket %s", why);
		return l;
	}
	l = listener_open((const struct sockaddr *)ss, len, svc->socktype, &o);
	if (l)
		return l;
	e = errno;
	/* No IPv6 on this host: `::` was only implied. */
	if (implicit && ss->ss_family == AF_INET6 && e == EAFNOSUPPORT) {
		debug("%s: IPv6 not available: listening on IPv4 only", svc->id);
		*err = '\0';
		return NULL;
	}
	addr_text((const struct sockaddr *)ss, host, sizeof(host));
	snprintf(err, errlen, "cannot listen on %s%s%s port %u/%s%s%s: %s%s",
		 ss->ss_family == AF_INET6 ? "[" : "", host, ss->ss_family == AF_INET6 ? "]" : "",
		 svc->port, svc->socktype == SOCK_STREAM ? "tcp" : "udp",
		 o.ifname ? " on interface " : "", o.ifname ? o.ifname : "", strerror(e),
		 /* SO_BINDTODEVICE wants CAP_NET_RAW before Linux 5.7 */
		 o.ifname && e == EPERM ? " (binding to an interface needs CAP_NET_RAW on "
		 "this kernel)" : "");
	errno = e;
	return NULL;
}

void
service_listener_attach(struct service_rt *rt, struct listener *l)
{
	l->rt = rt;
	l->next = rt->listeners;
	rt->listeners = l;
	rt->nlisteners++;
}

int
service_adopt(struct service_rt *rt, struct listener *l)
{
	struct listener_opts o;

	/* Bound and listening already (the backlog is the manager's choice);
	 * what the service says about blocking and TCP options still applies. */
	service_listener_opts(rt->svc, &o);
	if (listener_configure(l, &o) < 0)
		return -1;
	service_listener_attach(rt, l);
	rt->state = SERVICE_ACTIVE;
	return 0;
}

size_t
service_bind(struct service_rt *rt)
{
	const struct service *svc = rt->svc;
	size_t failed = 0;

	for (size_t i = 0; i < service_naddrs(svc); i++) {
		struct sockaddr_storage ss;
		bool implicit = service_addr(svc, i, &ss);
		char err[256];
		struct listener *l = service_listener_open(svc, &ss, implicit, err, sizeof(err));

		if (l) {
			service_listener_attach(rt, l);
			debug("%s: listening on %s", svc->id, l->name);
		} else if (*err && ss.ss_family != AF_UNIX && service_bind_waits(errno)) {
			if (service_wait_push(&rt->waiting, &rt->nwaiting, &ss, errno, false) < 0) {
				logit(LOG_ERR, "%s: %s (out of memory: not waited for)", svc->id,
				      err);
				failed++;
			}
		} else if (*err) {
			logit(LOG_ERR, "%s: %s", svc->id, err);
			service_note(rt, "%s", err);
			failed++;
		}
	}
	service_wait_announce(rt);
	rt->state = rt->nlisteners ? SERVICE_ACTIVE :
		    rt->nwaiting ? SERVICE_WAITING : SERVICE_UNBOUND;
	return failed;
}

/* ---- the table ---- */

int
service_table_init(struct service_table *t, const struct service *svcs, size_t n,
		   const struct daemon_settings *s)
{
	service_table_settings(t, s);
	t->count = 0;
	t->rt = calloc(n ? n : 1, sizeof(*t->rt));
	if (!t->rt)
		return -1;
	for (size_t i = 0; i < n; i++) {
		struct service_rt *rt = calloc(1, sizeof(*rt));

		if (!rt)
			return -1;
		t->rt[t->count++] = rt;
		if (service_rt_setup(rt, &svcs[i]) < 0)
			return -1;
	}
	return internal_table(t);
}

size_t
service_table_bind(struct service_table *t)
{
	size_t failed = 0;

	for (size_t i = 0; i < t->count; i++)
		if (t->rt[i]->state == SERVICE_UNBOUND)
			failed += service_bind(t->rt[i]);
	return failed;
}

int
service_table_start(struct service_table *t)
{
	for (size_t i = 0; i < t->count; i++)
		if (service_rt_start(t->rt[i]) < 0)
			return -1;
	return 0;
}

void
service_table_free(struct service_table *t)
{
	for (size_t i = 0; t->rt && i < t->count; i++)
		service_rt_free(t->rt[i]);
	free(t->rt);
}
