/* SPDX-License-Identifier: ISC */
/* internal: accounting, logging and tcpmux hand-over for the internal
 * services, between service.c (the accept path) and builtin.c/tcpmux.c (the
 * bytes). Below service.c: it admits through admit.c and hands a tcpmux
 * connection back through the dispatch function service.c gives it. See
 * internal.h. */
#include "autoconf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "daemon/admit.h"
#include "builtin/builtin.h"
#include "config/config.h"
#include "daemon/internal.h"
#include "daemon/listener.h"
#include "base/base.h"
#include "daemon/service.h"
#include "daemon/svclog.h"

/* One open internal TCP connection (a tcpmux request included) as the
 * daemon sees it: an instance of its service until builtin.c or tcpmux.c
 * report its end. */
struct internal_conn {
	struct service_rt *rt;
	uint64_t start_us;
	char host[INET6_ADDRSTRLEN];
	int port;
	bool src_held;			/* src counts against per_source (admit.c) */
	struct access_addr src;
	internal_dispatch_fn *dispatch;	/* a tcpmux request's named service */
};

static struct service_table *table;

bool
internal_servable(const struct service *svc)
{
	enum builtin_kind k = builtin_kind(svc->name);

	if (k == BUILTIN_NONE || (k == BUILTIN_TCPMUX && svc->socktype != SOCK_STREAM)) {
		logit(LOG_ERR, "%s: no internal service '%s' for %s", svc->id, svc->name,
		      svc->socktype == SOCK_STREAM ? "tcp" : "udp");
		return false;
	}
	return true;
}

int
internal_table(struct service_table *t)
{
	table = t;
	return tcpmux_index(t->count ? t->rt[0]->svc : NULL, t->count);
}

/* The runtime of a service of the current table: the table's entries are
 * in the configuration's order, so the index is the pointer difference. */
static struct service_rt *
rt_of(const struct service *svc)
{
	size_t i;

	if (!table->count)
		return NULL;
	i = (size_t)(svc - table->rt[0]->svc);
	return i < table->count && table->rt[i]->svc == svc ? table->rt[i] : NULL;
}

static struct internal_conn *
internal_begin(struct service_rt *rt, const struct conn *c, internal_dispatch_fn *dispatch)
{
	struct internal_conn *ic = malloc(sizeof(*ic));

	if (!ic) {
		logerr(LOG_ERR, "%s: connection", rt->svc->id);
		rt->refused[REFUSED_SPAWN]++;
		return NULL;
	}
	*ic = (struct internal_conn){
		.rt = rt, .dispatch = dispatch, .start_us = loop_clock_us(), .port = c->port,
	};
	memcpy(ic->host, c->host, sizeof(ic->host));
	ic->src_held = admit_hold(rt, c, &ic->src);
	rt->running++;
	rt->started++;
	return ic;
}

/* No longer an instance of its service. */
static void
internal_release(struct internal_conn *ic)
{
	ic->rt->running--;
	if (ic->src_held)
		admit_release(ic->rt, &ic->src);
}

/* The connection ended (builtin_done_fn and tcpmux's done). */
static void
internal_end(void *arg)
{
	struct internal_conn *ic = arg;

	internal_release(ic);
	svclog_internal(ic->rt->svc, "end", ic->host, ic->port,
		     (long long)(loop_clock_us() - ic->start_us));
	free(ic);
}

/* Never served after all: not an instance, no end to log. */
static void
internal_drop(struct internal_conn *ic)
{
	internal_release(ic);
	ic->rt->started--;
	ic->rt->refused[REFUSED_SPAWN]++;
	free(ic);
}

/* ---- tcpmux: a named service's own admission and dispatch ---- */

static void
conn_from(struct conn *c, int fd, struct listener *l, const struct sockaddr *peer,
	  socklen_t peerlen)
{
	*c = (struct conn){ .fd = fd, .l = l, .peerlen = peerlen };
	memcpy(&c->peer, peer, peerlen);
	c->port = addr_text(peer, c->host, sizeof(c->host));
}

/* Not disabled (portierctl disable), skipped or expired since the index
 * was built: help and the hand-over ask the same question. */
static bool
mux_serving(const struct service *svc, void *arg)
{
	struct service_rt *rt = rt_of(svc);

	return rt && rt->state == SERVICE_TCPMUX && !(svc->expires && time(NULL) >= svc->expires);
}

static const char *
mux_admit(const struct service *svc, int fd, const struct sockaddr *peer, socklen_t peerlen,
	  void *arg)
{
	static char reason[64];
	struct service_rt *rt = rt_of(svc);
	enum refusal why;
	struct conn c;

	if (!rt)
		return "Service not available";
	/* l = NULL: the connection came through tcpmux, not a listener of svc */
	conn_from(&c, fd, NULL, peer, peerlen);
	rt->accepted++;
	why = admit_check(rt, &c, table->settings);
	if (why == REFUSED_NONE)
		return NULL;
	snprintf(reason, sizeof(reason), "Refused (%s)", access_refusal_name(why));
	return reason;
}

static void
mux_spawn(const struct service *svc, int fd, const struct sockaddr *peer, socklen_t peerlen,
	  void *arg)
{
	struct internal_conn *ic = arg;
	struct service_rt *rt = rt_of(svc);
	struct conn c;

	conn_from(&c, fd, NULL, peer, peerlen);
	if (rt)
		ic->dispatch(rt, &c);
	/* the handler has its own copy (an internal service took it: -1) */
	if (c.fd >= 0 && close(c.fd) < 0)
		logerr(LOG_ERR, "%s: close", svc->id);
}

static const struct tcpmux_ops mux_ops = {
	.serving = mux_serving,
	.admit = mux_admit,
	.spawn = mux_spawn,
	.done = internal_end,
};

const struct service *
internal_tcpmux_serving(const char *name)
{
	return tcpmux_lookup(name, &mux_ops, NULL);
}

/* ---- dispatch ---- */

void
internal_dispatch(struct service_rt *rt, struct conn *c, internal_dispatch_fn *dispatch)
{
	const struct service *svc = rt->svc;
	struct internal_conn *ic = internal_begin(rt, c, dispatch);
	int fd = c->fd;

	c->fd = -1;
	if (!ic) {
		close(fd);
		return;
	}
	if (builtin_kind(svc->name) == BUILTIN_TCPMUX) {
		if (tcpmux_start(svc, fd, (struct sockaddr *)&c->peer, c->peerlen, &mux_ops, ic))
			svclog_internal(svc, "start", c->host, c->port, -1);
		else
			internal_drop(ic);
		return;
	}
	switch (builtin_tcp_start(svc, fd, internal_end, ic)) {
	case BUILTIN_STARTED:
		svclog_internal(svc, "start", c->host, c->port, -1);
		break;
	case BUILTIN_FINISHED:
		internal_release(ic);
		svclog_internal(svc, "served", c->host, c->port, -1);
		free(ic);
		break;
	case BUILTIN_REFUSED:
		internal_drop(ic);
		break;
	}
}

struct udp_ctx {
	struct service_rt *rt;
	struct listener *l;
};

static enum builtin_admit
udp_admit(const struct service *svc, const struct sockaddr *src, socklen_t srclen, void *arg)
{
	struct udp_ctx *u = arg;
	struct conn c;

	conn_from(&c, u->l->w.fd, u->l, src, srclen);
	u->rt->accepted++;
	if (admit_check(u->rt, &c, table->settings) != REFUSED_NONE) {
		/* cps paused the socket: the rest waits in it until it resumes */
		return u->l->paused ? BUILTIN_DENY_STOP : BUILTIN_DENY;
	}
	u->rt->started++;
	svclog_internal(svc, "served", c.host, c.port, -1);
	return BUILTIN_ADMIT;
}

void
internal_udp_ready(struct service_rt *rt, struct listener *l)
{
	struct udp_ctx u = { .rt = rt, .l = l };

	if (admit_rate_defer(rt))
		return;	/* paused: the datagrams wait in the socket */
	builtin_udp_serve(rt->svc, l->w.fd, listener_udp_own, udp_admit, &u);
}

void
internal_shutdown(void)
{
	builtin_close_all();
	tcpmux_index_free();
	table = NULL;
}
