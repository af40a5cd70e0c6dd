/* admit: access control in the daemon, see admit.h. */
#include "autoconf.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "daemon/admit.h"
#include "spawn/spawn.h"
#include "config/config.h"
#include "daemon/listener.h"
#include "base/base.h"
#include "daemon/service.h"
#include "daemon/svclog.h"

/* The load average is read at most this often (ms): /proc/loadavg changes
 * every 5 s, and a flood must not cost a file read per connection. */
#define LOAD_READ_MS 1000

int
admit_init(struct service_rt *rt)
{
	const struct service *svc = rt->svc;

	/* Wait mode has one handler for every peer: nothing to count. */
	if (!svc->wait && !(rt->adm.sources = access_sources_new()))
		return -1;
	if (svc->wait && svc->socktype == SOCK_STREAM &&
	    (svc->only_from_set || svc->no_access.count))
		logit(LOG_WARNING, "%s: only_from/no_access cannot be applied to a wait-mode "
		      "stream service (its handler accepts the connections)", svc->id);
	return 0;
}

/* The end of an interval in which refusal lines were held back: one line
 * with the count per reason, so that a flood that stops is still reported. */
static void
refused_held_report(struct timer *t)
{
	struct service_rt *rt = container_of(t, struct service_rt, adm.refused_held);

	for (int why = 0; why < REFUSED_COUNT; why++) {
		unsigned long n = rt->adm.refused_log[why].suppressed;

		if (n) {
			svclog_ratelimit_end(&rt->adm.refused_log[why]);
			svclog_refused_held(rt->svc, why, n);
		}
	}
}

void
admit_free(struct service_rt *rt)
{
	if (rt->adm.refused_held.slot) {
		timer_cancel(&rt->adm.refused_held);
		refused_held_report(&rt->adm.refused_held);
	}
	timer_cancel(&rt->adm.cps_pause);
	access_sources_free(rt->adm.sources);
	rt->adm.sources = NULL;
}

/* The 1-minute load average, cached; -1 when it cannot be read. */
static double
load_now(void)
{
	static double load = -1;
	static uint64_t read_ms;
	static bool complained;
	uint64_t now = loop_now();
	char buf[128];
	ssize_t n;
	int fd;

	if (read_ms && now - read_ms < LOAD_READ_MS)
		return load;
	read_ms = now ? now : 1;
	load = -1;
	fd = open("/proc/loadavg", O_RDONLY | O_CLOEXEC);
	if (fd >= 0) {
		n = read(fd, buf, sizeof(buf) - 1);
		close(fd);
		if (n > 0) {
			buf[n] = '\0';
			if (access_parse_loadavg(buf, &load) == 0)
				return load;
		}
	}
	if (!complained)
		logit(LOG_WARNING, "/proc/loadavg unreadable: max_load is not applied until it is");
	complained = true;
	return -1;
}

static void
cps_resume(struct timer *t)
{
	struct service_rt *rt = container_of(t, struct service_rt, adm.cps_pause);

	logit(LOG_NOTICE, "%s: cps: accepting connections again", rt->svc->id);
	for (struct listener *l = rt->listeners; l; l = l->next)
		listener_resume(l, LISTENER_LIMIT);
}

static void
cps_pause(struct service_rt *rt)
{
	const struct service *svc = rt->svc;

	logit(LOG_WARNING, "%s: cps: more than %d connections in a second: "
	      "not accepting for %d s", svc->id, svc->cps_rate, svc->cps_wait);
	for (struct listener *l = rt->listeners; l; l = l->next)
		listener_pause(l, LISTENER_LIMIT);
	rt->adm.cps_pause.fn = cps_resume;
	timer_arm(&rt->adm.cps_pause, (uint64_t)svc->cps_wait * 1000);
}

/* Wait-mode datagrams: the sender of the next one, without consuming it. */
static int
peek_sender(const struct conn *c, struct access_addr *a, char *host, size_t hostlen,
	    int *port)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);
	char b;

	if (recvfrom(c->fd, &b, 1, MSG_PEEK | MSG_DONTWAIT | MSG_TRUNC,
		     (struct sockaddr *)&ss, &len) < 0)
		return -1;
	if (access_addr_from_sockaddr((struct sockaddr *)&ss, len, a) < 0)
		return -1;
	*port = addr_text((struct sockaddr *)&ss, host, hostlen);
	return 0;
}

/* allow_users / allow_groups on a unix socket: the peer's uid, or its
 * primary gid as SO_PEERCRED gives it (supplementary groups are not
 * seen: reading them from /proc races with the peer's exit). Without
 * credentials nobody passes a list. */
static bool
admit_peer_allowed(const struct service *svc, const struct conn *c)
{
	if (!svc->nallow_uids && !svc->nallow_gids && !svc->allow_users && !svc->allow_groups)
		return true;
	if (!c->has_cred)
		return false;
	for (size_t i = 0; i < svc->nallow_uids; i++)
		if (svc->allow_uids[i] == c->cred.uid)
			return true;
	for (size_t i = 0; i < svc->nallow_gids; i++)
		if (svc->allow_gids[i] == c->cred.gid)
			return true;
	return false;
}

enum refusal
admit_check(struct service_rt *rt, struct conn *c, const struct daemon_settings *s)
{
	const struct service *svc = rt->svc;
	struct access_addr addr;
	struct tm tm;
	time_t now;
	struct access_request rq = {
		.now_ms = loop_now(), .load = -1, .running = (unsigned)rt->running,
		.children = (unsigned)children_count(),
		.max_children = s ? s->max_children : LIMIT_UNLIMITED,
	};
	char host[INET6_ADDRSTRLEN];
	int port = 0;
	enum refusal why;

	if (c->peer.ss_family != AF_UNSPEC) {
		if (access_addr_from_sockaddr((struct sockaddr *)&c->peer, c->peerlen, &addr) == 0)
			rq.addr = &addr;
	} else if (svc->socktype == SOCK_DGRAM && (svc->only_from_set || svc->no_access.count) &&
		   peek_sender(c, &addr, host, sizeof(host), &port) == 0) {
		rq.addr = &addr;
	}
	if (svc->naccess_times) {
		now = time(NULL);
		if (localtime_r(&now, &tm))
			rq.local = &tm;
	}
	if (svc->max_load > 0)
		rq.load = load_now();
	why = svc->local && c->fd != (c->l ? c->l->w.fd : -1) && !admit_peer_allowed(svc, c)
	    ? REFUSED_USER : access_admit(svc, rt->adm.sources, &rt->adm.cps, &rq);
	if (why == REFUSED_CPS)
		cps_pause(rt);
	/* A refused datagram's sender goes to the log (and nowhere else:
	 * the handler of an admitted one serves every sender). */
	if (why != REFUSED_NONE && c->peer.ss_family == AF_UNSPEC && rq.addr) {
		memcpy(c->host, host, sizeof(c->host));
		c->port = port;
	}
	if (why != REFUSED_NONE) {
		rt->refused[why]++;
		if (svclog_refused(svc, c->host, c->port, why, &rt->adm.refused_log[why]) &&
		    !rt->adm.refused_held.slot) {
			rt->adm.refused_held.fn = refused_held_report;
			timer_arm(&rt->adm.refused_held, SVCLOG_INTERVAL_MS);
		}
	}
	return why;
}

bool
admit_hold(struct service_rt *rt, const struct conn *c, struct access_addr *src)
{
	if (!rt->adm.sources || c->peer.ss_family == AF_UNSPEC ||
	    access_addr_from_sockaddr((const struct sockaddr *)&c->peer, c->peerlen, src) < 0)
		return false;
	if (access_sources_inc(rt->adm.sources, src) < 0) {
		logit(LOG_ERR, "%s: out of memory counting connections from %s: "
		      "per_source does not see this one", rt->svc->id, c->host);
		return false;
	}
	return true;
}

void
admit_release(struct service_rt *rt, const struct access_addr *src)
{
	access_sources_dec(rt->adm.sources, src);
}
