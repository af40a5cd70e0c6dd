/* SPDX-License-Identifier: ISC */
/* service: listeners, admission and dispatch of each service, see service.h */
#include "autoconf.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "spawn/spawn.h"
#include "config/config.h"
#include "daemon/internal.h"
#include "daemon/listener.h"
#include "base/base.h"
#include "daemon/notify.h"
#include "daemon/service.h"
#include "daemon/svclog.h"

/* Connections accepted per readiness event of one listener: a burst drains
 * in a few loop iterations without starving the other services. */
#define ACCEPT_BATCH 32
/* After EMFILE/ENFILE/ENOBUFS the listener rests this long (ms). */
#define ACCEPT_RETRY_MS 250
/* After fork/clone failed (EAGAIN, ENOMEM) the listener rests this long (ms):
 * the process table or memory needs time to drain, not more attempts. */
#define SPAWN_RETRY_MS 1000
/* The loop guard counts wait-mode starts per window of this many ms. */
#define GUARD_WINDOW_MS 60000

static const struct daemon_settings *settings;

bool
service_servable(const struct service *svc)
{
	return !svc->internal || internal_servable(svc);
}

/* ---- wait-mode loop guard ---- */

static void
guard_release(struct timer *t)
{
	struct service_rt *rt = container_of(t, struct service_rt, guard);

	logit(LOG_NOTICE, "%s: loop guard released: service resumed", rt->svc->id);
	rt->state = SERVICE_ACTIVE;
	notify_changed();
	rt->guard_starts = 0;
	for (struct listener *l = rt->listeners; l; l = l->next)
		listener_resume(l, LISTENER_GUARD);
}

/* Counts a wait-mode start; a handler restarted too often (one that exits
 * without consuming its datagram, or cannot be executed) pauses the service. */
static void
guard_count(struct service_rt *rt)
{
	uint64_t now = loop_now();

	if (!settings || settings->loop_limit <= 0)
		return;
	if (!rt->guard_starts || now - rt->guard_window >= GUARD_WINDOW_MS) {
		rt->guard_window = now;
		rt->guard_starts = 0;
	}
	if (++rt->guard_starts <= settings->loop_limit)
		return;
	logit(LOG_ERR, "%s: %d starts within a minute: the handler seems to loop; "
	      "service paused for %d s", rt->svc->id, rt->guard_starts, settings->loop_disable);
	rt->state = SERVICE_LOOPING;
	notify_changed();
	for (struct listener *l = rt->listeners; l; l = l->next)
		listener_pause(l, LISTENER_GUARD);
	rt->guard.fn = guard_release;
	timer_arm(&rt->guard, (uint64_t)settings->loop_disable * 1000);
}

/* ---- admission and dispatch ---- */

static void
accept_retry(struct timer *t)
{
	struct listener *l = container_of(t, struct listener, retry);

	listener_resume(l, LISTENER_RETRY);
}

/* Out of descriptors, memory or processes: the listener rests for ms
 * instead of failing again on every queued connection. */
static void
listener_rest(struct listener *l, uint64_t ms)
{
	listener_pause(l, LISTENER_RETRY);
	l->retry.fn = accept_retry;
	timer_arm(&l->retry, ms);
}

void
service_note(struct service_rt *rt, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(rt->last_error, sizeof(rt->last_error), fmt, ap);
	va_end(ap);
}

/* The last failure to start a handler: for status, and to the log (at
 * most one line per service and interval). */
static void
spawn_note(struct service_rt *rt, const struct spawn_error *e)
{
	unsigned long held;

	service_note(rt, "%s %s: %s", e->step, rt->svc->server, strerror(e->err));
	if (svclog_ratelimit(&rt->exec_log, 1, &held))
		svclog_spawn_error(rt->svc, e, held);
}

/* The address c was reached on: a wildcard listener does not know which of
 * ours was dialled; a connection handed over by tcpmux (no listener) asks
 * its socket. */
static const struct sockaddr *
conn_local(const struct conn *c, struct sockaddr_storage *ss)
{
	socklen_t len = sizeof(*ss);

	if (c->l && !(c->l->wildcard && c->fd != c->l->w.fd))
		return (const struct sockaddr *)&c->l->addr;
	memset(ss, 0, sizeof(*ss));
	if (getsockname(c->fd, (struct sockaddr *)ss, &len) < 0 && c->l)
		return (const struct sockaddr *)&c->l->addr;
	return (const struct sockaddr *)ss;
}

/* spawn_handler()'s word on a recorded child: it reached exec (started), or
 * a step before failed. */
static void
dispatch_result(struct service_rt *rt, struct child *ch, const struct spawn_error *e)
{
	if (e->step) {
		ch->exec_failed = true;
		rt->refused[REFUSED_SPAWN]++;
		spawn_note(rt, e);
		return;
	}
	rt->started++;
	notify_changed();
	svclog_start(rt->svc, ch->pid, ch->host, ch->port);
}

static void
dispatch_external(struct service_rt *rt, struct conn *c)
{
	const struct service *svc = rt->svc;
	struct sockaddr_storage local;
	struct spawn_request req = {
		.svc = svc,
		.fd = c->fd,
		.listening = c->l && c->fd == c->l->w.fd,
		.local = conn_local(c, &local),
		.remote = c->peer.ss_family != AF_UNSPEC ? (const struct sockaddr *)&c->peer : NULL,
		.remote_text = c->host[0] ? c->host : NULL,	/* addr_text() of peer */
		.cred = c->has_cred ? &c->cred : NULL,
	};
	struct spawn_error e;
	struct child *ch;
	int pidfd = -1;
	pid_t pid;

	/* A pidfd reports this child's exit alone (children.h). */
	pid = spawn_handler(&rt->spawn, &req, &e,
			    children_watching(service_child_exited) ? &pidfd : NULL);
	if (pid < 0) {
		rt->refused[REFUSED_SPAWN]++;
		spawn_note(rt, &e);
		if (c->l)	/* handed over by tcpmux: no listener of its own */
			listener_rest(c->l, SPAWN_RETRY_MS);
		return;
	}
	ch = children_add(pid);
	if (!ch) {
		/* It will be reaped as an unknown child: not counted as running. */
		logit(LOG_ERR, "%s: out of memory recording pid %d", svc->id, (int)pid);
		if (pidfd >= 0)
			close(pidfd);
		return;
	}
	rt->running++;
	if (pidfd >= 0)
		children_watch(ch, pidfd, service_child_exited);
	ch->rt = rt;
	ch->start_us = loop_clock_us();
	memcpy(ch->host, c->host, sizeof(ch->host));
	ch->port = c->port;
	ch->src_held = admit_hold(rt, c, &ch->src);
	if (svc->wait) {
		ch->held = c->l;
		listener_pause(c->l, LISTENER_HELD);
		guard_count(rt);
	}
	dispatch_result(rt, ch, &e);
}

/* Serves an admitted connection; the caller closes c->fd (nowait) unless
 * an internal service took it, which sets c->fd to -1. */
static void
service_dispatch(struct service_rt *rt, struct conn *c)
{
	/* type = internal: served in the loop (internal.c), which takes c->fd;
	 * tcpmux hands its named service's connection back to us */
	if (rt->svc->internal)
		internal_dispatch(rt, c, service_dispatch);
	else
		dispatch_external(rt, c);
}

void
service_child_exited(struct child *ch, int status)
{
	struct service_rt *rt = ch->rt;

	rt->running--;
	notify_changed();
	if (ch->src_held)
		admit_release(rt, &ch->src);
	if (ch->held)
		listener_resume(ch->held, LISTENER_HELD);
	if (!ch->exec_failed)
		svclog_exit(rt->svc, ch->pid, ch->host, ch->port, status,
			    (long long)(loop_clock_us() - ch->start_us));
}

/* ---- the accept path ---- */

/* Admission, then the handler or banner_fail; also for a connection that
 * waited for its source's token (admit.c). */
static void
service_serve(struct service_rt *rt, struct conn *c)
{
	if (admit_check(rt, c, settings) != REFUSED_NONE) {
		if (c->deferred)
			return;	/* admit.c holds it */
		banner_send(&rt->banner_fail, c->fd, rt->svc->id);
	} else {
		banner_send(&rt->banner_success, c->fd, rt->svc->id);
		service_dispatch(rt, c);
	}
	/* The handler has its own copy; an internal service took c->fd (-1). */
	if (c->fd >= 0 && close(c->fd) < 0)
		logerr(LOG_ERR, "%s: close", rt->svc->id);
}

static void
service_connection(struct service_rt *rt, struct listener *l, int fd,
		   struct sockaddr_storage *peer, socklen_t peerlen)
{
	struct conn c = { .fd = fd, .l = l, .peerlen = peerlen, .deferrable = true };

	memcpy(&c.peer, peer, peerlen);
	if (l->addr.ss_family == AF_UNIX) {
		socklen_t len = sizeof(c.cred);

		/* The peer is whoever connected: no address, its credentials. */
		c.has_cred = getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &c.cred, &len) == 0;
		if (c.has_cred) {
			snprintf(c.host, sizeof(c.host), "uid=%u,pid=%d", (unsigned)c.cred.uid,
				 (int)c.cred.pid);
		} else {
			logerr(LOG_ERR, "%s: SO_PEERCRED", rt->svc->id);
			snprintf(c.host, sizeof(c.host), "unix");
		}
		c.peer.ss_family = AF_UNSPEC;
	} else {
		c.port = addr_text((struct sockaddr *)peer, c.host, sizeof(c.host));
	}
	rt->accepted++;
	banner_send(&rt->banner, fd, rt->svc->id);
	service_serve(rt, &c);
}

static bool
accept_transient(int err)
{
	/* accept(2): errors of the pending connection, not of the listener. */
	switch (err) {
	case EINTR: case ECONNABORTED: case EPROTO: case ENETDOWN: case ENOPROTOOPT:
	case EHOSTDOWN: case ENONET: case EHOSTUNREACH: case EOPNOTSUPP: case ENETUNREACH:
	case EPERM:
		return true;
	}
	return false;
}

static void
service_accept(struct service_rt *rt, struct listener *l)
{
	/* A connection may pause the listener (a limit reached): stop then. */
	for (int i = 0; i < ACCEPT_BATCH && !l->paused && !admit_rate_defer(rt); i++) {
		struct sockaddr_storage peer;
		socklen_t len = sizeof(peer);
		unsigned long held;
		int fd = accept4(l->w.fd, (struct sockaddr *)&peer, &len, SOCK_CLOEXEC);

		if (fd >= 0) {
			service_connection(rt, l, fd, &peer, len);
			continue;
		}
		if (errno == EAGAIN || errno == EWOULDBLOCK)
			return;
		if (accept_transient(errno))
			continue;
		/* Out of descriptors or memory: let handlers exit, try again. */
		if (svclog_ratelimit(&rt->accept_log, 1, &held))
			logerr(LOG_ERR, "%s: accept on %s (retrying in %d ms)", rt->svc->id,
			       l->name, ACCEPT_RETRY_MS);
		listener_rest(l, ACCEPT_RETRY_MS);
		return;
	}
}

/* Wait mode, refused: consume what woke us so that the loop does not spin. */
static void
handoff_drop(struct listener *l)
{
	if (l->socktype == SOCK_DGRAM) {
		char b;

		if (recv(l->w.fd, &b, 1, MSG_DONTWAIT | MSG_TRUNC) < 0 && errno != EAGAIN)
			logerr(LOG_ERR, "%s: recv", l->name);
		return;
	}
	int flags = fcntl(l->w.fd, F_GETFL);
	int fd;

	if (flags < 0 || fcntl(l->w.fd, F_SETFL, flags | O_NONBLOCK) < 0)
		return;
	fd = accept4(l->w.fd, NULL, NULL, SOCK_CLOEXEC);
	if (fd >= 0)
		close(fd);
	if (fcntl(l->w.fd, F_SETFL, flags) < 0)
		logerr(LOG_ERR, "%s: fcntl", l->name);
}

/* Wait mode: the handler gets the listening socket itself. */
static void
service_handoff(struct service_rt *rt, struct listener *l)
{
	struct conn c = { .fd = l->w.fd, .l = l, .peer.ss_family = AF_UNSPEC };

	if (admit_rate_defer(rt))
		return;	/* paused: what woke us waits in the socket */
	if (admit_check(rt, &c, settings) != REFUSED_NONE) {
		handoff_drop(l);
		return;
	}
	service_dispatch(rt, &c);
}

static void
service_ready(struct watcher *w, uint32_t events)
{
	struct listener *l = container_of(w, struct listener, w);

	/* internal UDP services answer in the loop, whatever wait says */
	if (l->rt->svc->internal && l->socktype == SOCK_DGRAM)
		internal_udp_ready(l->rt, l);
	else if (l->rt->svc->wait)
		service_handoff(l->rt, l);
	else
		service_accept(l->rt, l);
}

/* ---- expiry: a service offered until a date ---- */

static void
forget_listener(struct child *ch, void *arg)
{
	if (ch->held == arg)
		ch->held = NULL;
}

void
service_listener_drop(struct listener *l)
{
	if (l->rt && l->rt->svc->wait)
		children_foreach(forget_listener, l);
	listener_close(l);
}

void
service_close_listeners(struct service_rt *rt)
{
	while (rt->listeners) {
		struct listener *l = rt->listeners;

		rt->listeners = l->next;
		service_listener_drop(l);
	}
	rt->nlisteners = 0;
	service_wait_clear(rt);
}

uint64_t
service_ms_until(time_t t)
{
	time_t now = time(NULL);

	return t > now ? (uint64_t)(t - now) * 1000 : 0;
}

static void
expiry_fire(struct timer *t)
{
	struct service_rt *rt = container_of(t, struct service_rt, expiry);
	uint64_t left = service_ms_until(rt->svc->expires);

	/* The loop's clock is monotonic; the date is not. */
	if (left) {
		timer_arm(t, left);
		return;
	}
	logit(LOG_NOTICE, "%s: expired: no longer offered (%d handler(s) still running)",
	      rt->svc->id, rt->running);
	service_close_listeners(rt);
	timer_cancel(&rt->guard);
	timer_cancel(&rt->open_timer);
	rt->open_until = 0;
	rt->state = SERVICE_EXPIRED;
	notify_changed();
}

void
service_listener_pauses(const struct service_rt *rt, struct listener *l)
{
	if (rt->state == SERVICE_LOOPING)
		listener_pause(l, LISTENER_GUARD);
	if (rt->adm.cps_pause.slot)
		listener_pause(l, LISTENER_LIMIT);
	if (rt->adm.rate_pause.slot)
		listener_pause(l, LISTENER_RATE);
}

int
service_listener_watch(struct listener *l)
{
	return listener_start(l, service_ready);
}

int
service_rt_start(struct service_rt *rt)
{
	rt->adm.serve = service_serve;
	rt->watching = true;
	for (struct listener *l = rt->listeners; l; l = l->next)
		if (!l->started && service_listener_watch(l) < 0)
			return -1;
	if (rt->nlisteners && rt->svc->expires) {
		rt->expiry.fn = expiry_fire;
		timer_arm(&rt->expiry, service_ms_until(rt->svc->expires));
	}
	return 0;
}

void
service_table_settings(struct service_table *t, const struct daemon_settings *s)
{
	settings = s;
	t->settings = s;
}
