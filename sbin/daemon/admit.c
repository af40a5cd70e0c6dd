/* SPDX-License-Identifier: ISC */
/* admit: access control in the daemon, see admit.h. */
#include "autoconf.h"

#include <fcntl.h>
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
/* per_source_rate: the sources whose buckets a service keeps. A new one
 * beyond that evicts the source seen least recently, whose bucket is full
 * again if it comes back (about 300 KiB per service at most). */
#define RATE_SOURCES_MAX 4096
/* on_limit = defer: accepted connections a service holds while their
 * sources are over per_source_rate, and how many of them one source may
 * hold (so that one flood cannot fill the queue for every other source);
 * past either, the connection is refused. Each holds a descriptor. */
#define DEFER_QUEUE_MAX 64
#define DEFER_SOURCE_MAX 16

/* A connection waiting for its source's next token. */
struct admit_deferred {
	int fd;
	struct sockaddr_storage peer;
	socklen_t peerlen;
	struct access_addr src;		/* the /32 or /64 */
};

int
admit_init(struct service_rt *rt)
{
	const struct service *svc = rt->svc;

	/* Wait mode has one handler for every peer: nothing to count. */
	if (!svc->wait && !rt->adm.sources && !(rt->adm.sources = access_sources_new()))
		return -1;
	if (svc->source_rate_milli > 0 && !rt->adm.source_rates &&
	    !(rt->adm.source_rates = access_rate_table_new(RATE_SOURCES_MAX)))
		return -1;
	if (svc->wait && svc->socktype == SOCK_STREAM &&
	    (svc->only_from_set || svc->no_access.count))
		logit(LOG_WARNING, "%s: only_from/no_access cannot be applied to a wait-mode "
		      "stream service (its handler accepts the connections)", svc->id);
	if (svc->wait && !svc->internal && svc->source_rate_milli > 0)
		logit(LOG_WARNING, "%s: per_source_rate cannot be applied to a wait-mode "
		      "service (its handler serves every source); rate can", svc->id);
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
	admit_quiesce(rt, false);
	access_sources_free(rt->adm.sources);
	access_rate_table_free(rt->adm.source_rates);
	free(rt->adm.queue);
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

/* ---- rate: the whole service ---- */

static void
rate_resume(struct timer *t)
{
	struct service_rt *rt = container_of(t, struct service_rt, adm.rate_pause);

	for (struct listener *l = rt->listeners; l; l = l->next)
		listener_resume(l, LISTENER_RATE);
}

static void
rate_pause(struct service_rt *rt, uint64_t ms)
{
	for (struct listener *l = rt->listeners; l; l = l->next)
		listener_pause(l, LISTENER_RATE);
	rt->adm.rate_pause.fn = rate_resume;
	timer_arm(&rt->adm.rate_pause, ms);
}

/* Milliseconds until the service's next token (0: one is there). */
static uint64_t
rate_wait(struct service_rt *rt)
{
	const struct service *svc = rt->svc;

	if (svc->rate_milli <= 0)
		return 0;
	return access_bucket_wait(&rt->adm.rate, svc->rate_milli, svc->rate_burst, loop_now());
}

bool
admit_rate_defer(struct service_rt *rt)
{
	uint64_t ms;

	if (rt->svc->on_limit != ON_LIMIT_DEFER || !(ms = rate_wait(rt)))
		return false;
	rt->deferred++;
	rate_pause(rt, ms);
	return true;
}

/* ---- per_source_rate: the queue of deferred connections ---- */

static void queue_release(struct timer *t);

/* Arms the queue's timer to fire within ms (sooner if it already would). */
static void
queue_arm(struct service_rt *rt, uint64_t ms)
{
	struct timer *t = &rt->adm.queue_timer;

	if (t->slot && t->when <= loop_now() + ms)
		return;
	t->fn = queue_release;
	timer_arm(t, ms);
}

/* Takes c into the queue: false when it (or its source's share) is full. */
static bool
queue_push(struct service_rt *rt, struct conn *c, const struct access_addr *a, uint64_t ms)
{
	struct access_addr k = *a;
	size_t mine = 0;

	if (!rt->adm.serve || rt->adm.nqueued >= DEFER_QUEUE_MAX)
		return false;
	if (k.family == AF_INET6)
		memset(k.addr + 8, 0, 8);
	for (size_t i = 0; i < rt->adm.nqueued; i++)
		mine += !memcmp(&rt->adm.queue[i].src, &k, sizeof(k));
	if (mine >= DEFER_SOURCE_MAX)
		return false;
	if (!rt->adm.queue &&
	    !(rt->adm.queue = calloc(DEFER_QUEUE_MAX, sizeof(*rt->adm.queue))))
		return false;
	rt->adm.queue[rt->adm.nqueued++] = (struct admit_deferred){
		.fd = c->fd, .peer = c->peer, .peerlen = c->peerlen, .src = k,
	};
	queue_arm(rt, ms);
	return true;
}

/* Milliseconds until d's source has a token (0: taken for it now). */
static uint64_t
queue_token(struct service_rt *rt, const struct admit_deferred *d)
{
	const struct service *svc = rt->svc;
	struct access_bucket *b;
	uint64_t ms;

	/* per_source_rate gone with a reload: nothing holds it back */
	if (svc->source_rate_milli <= 0 || !rt->adm.source_rates ||
	    !(b = access_rate_table_get(rt->adm.source_rates, &d->src)))
		return 0;
	ms = access_bucket_wait(b, svc->source_rate_milli, svc->source_burst, loop_now());
	if (!ms)
		access_bucket_take(b, svc->source_rate_milli, svc->source_burst, loop_now());
	return ms;
}

/* Lets through, oldest first, every held connection whose source has a
 * token again (and while the service has one, for `rate`). */
static void
queue_release(struct timer *t)
{
	struct service_rt *rt = container_of(t, struct service_rt, adm.queue_timer);
	struct admit *a = &rt->adm;
	uint64_t next = 0, ms;
	size_t i = 0;

	/* a reload made it a service that cannot take them (disabled, wait
	 * mode): they end as the queue's overflow does */
	if (!rt->prepared || rt->svc->wait) {
		admit_quiesce(rt, false);
		return;
	}
	while (i < a->nqueued) {
		struct admit_deferred d = a->queue[i];
		struct conn c = { .fd = d.fd, .peerlen = d.peerlen, .rate_passed = true };

		/* the service's own token first: nobody goes before it */
		if ((ms = rate_wait(rt))) {
			next = !next || ms < next ? ms : next;
			break;
		}
		if ((ms = queue_token(rt, &d))) {
			next = !next || ms < next ? ms : next;
			i++;
			continue;
		}
		memmove(&a->queue[i], &a->queue[i + 1], (a->nqueued - i - 1) * sizeof(*a->queue));
		a->nqueued--;
		memcpy(&c.peer, &d.peer, d.peerlen);
		c.port = addr_text((struct sockaddr *)&c.peer, c.host, sizeof(c.host));
		a->serve(rt, &c);
	}
	if (a->nqueued)
		queue_arm(rt, next ? next : 1);
}

void
admit_quiesce(struct service_rt *rt, bool keep)
{
	if (keep)
		return;
	timer_cancel(&rt->adm.rate_pause);
	for (struct listener *l = rt->listeners; l; l = l->next)
		listener_resume(l, LISTENER_RATE);
	timer_cancel(&rt->adm.queue_timer);
	for (size_t i = 0; i < rt->adm.nqueued; i++) {
		close(rt->adm.queue[i].fd);
		rt->refused[REFUSED_SOURCE_RATE]++;
	}
	rt->adm.nqueued = 0;
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
		.rate = &rt->adm.rate,		/* used only with a `rate` */
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
	/* allow_users/allow_groups is an access rule, as only_from is: it
	 * comes before the token buckets, so that a peer it refuses takes no
	 * token that an allowed one would have had. */
	if (svc->local && c->fd != (c->l ? c->l->w.fd : -1) && !admit_peer_allowed(svc, c)) {
		why = REFUSED_USER;
	} else {
		/* out of memory for a bucket: per_source_rate does not see it */
		if (rq.addr && svc->source_rate_milli > 0 && rt->adm.source_rates &&
		    !c->rate_passed)
			rq.source_rate = access_rate_table_get(rt->adm.source_rates, rq.addr);
		why = access_admit(svc, rt->adm.sources, &rt->adm.cps, &rq);
	}
	if (why == REFUSED_CPS)
		cps_pause(rt);
	/* what admit_rate_defer() could not stop before it came (a datagram,
	 * a tcpmux hand-over): the rest waits */
	if (why == REFUSED_RATE && svc->on_limit == ON_LIMIT_DEFER)
		rate_pause(rt, rate_wait(rt) ? rate_wait(rt) : 1);
	if (why == REFUSED_SOURCE_RATE && svc->on_limit == ON_LIMIT_DEFER && c->deferrable &&
	    queue_push(rt, c, rq.addr, access_bucket_wait(rq.source_rate, svc->source_rate_milli,
							   svc->source_burst, rq.now_ms))) {
		c->deferred = true;
		c->fd = -1;
		rt->deferred++;
		return why;
	}
	if (why == REFUSED_NONE)
		return why;
	/* A refused datagram's sender goes to the log (and nowhere else:
	 * the handler of an admitted one serves every sender). */
	if (c->peer.ss_family == AF_UNSPEC && rq.addr) {
		memcpy(c->host, host, sizeof(c->host));
		c->port = port;
	}
	rt->refused[why]++;
	if (svclog_refused(svc, c->host, c->port, why, &rt->adm.refused_log[why]) &&
	    !rt->adm.refused_held.slot) {
		rt->adm.refused_held.fn = refused_held_report;
		timer_arm(&rt->adm.refused_held, SVCLOG_INTERVAL_MS);
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
