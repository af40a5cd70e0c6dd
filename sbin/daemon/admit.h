/* SPDX-License-Identifier: ISC */
/* admit: the daemon's side of access control. The policy itself is pure
 * (access.c); this module feeds it per connection (peer address, local time,
 * load average, handler counts), keeps each service's per-source table,
 * cps window and token buckets, pauses the listeners while cps or `rate`
 * hold them back, and holds the connections that per_source_rate defers. */
#ifndef PORTIER_ADMIT_H
#define PORTIER_ADMIT_H

#include <stdbool.h>
#include <stddef.h>

#include "config/config.h"
#include "base/base.h"
#include "daemon/svclog.h"

struct conn;
struct service_rt;
struct admit_deferred;

/* Serves a connection let through after it waited (service.c). */
typedef void admit_serve_fn(struct service_rt *rt, struct conn *c);

/* Embedded in struct service_rt. */
struct admit {
	struct access_sources *sources;	/* nowait: handlers per remote address */
	struct access_rate cps;		/* handler starts in the current second */
	struct timer cps_pause;		/* resumes the listeners after cps_wait */
	struct ratelimit refused_log[REFUSED_COUNT];	/* refusal lines, per reason */
	struct timer refused_held;	/* reports the refusal lines held back */
	struct access_bucket rate;	/* `rate`: the service's tokens */
	struct timer rate_pause;	/* on_limit = defer: resumes at the next token */
	struct access_rate_table *source_rates;	/* per_source_rate's buckets */
	struct admit_deferred *queue;	/* connections waiting for their source's token */
	size_t nqueued;
	struct timer queue_timer;	/* lets them through as tokens come */
	admit_serve_fn *serve;		/* how (set by service.c) */
};

/* At each load of the service: the per-source table and the
 * per_source_rate buckets, when missing. -1 when out of memory. */
int admit_init(struct service_rt *rt);
/* Before rt is freed: the held refusal counts reported, everything freed. */
void admit_free(struct service_rt *rt);
/* Unless keep (a reload), ends the `rate` pause and closes the deferred
 * connections (counted as refused by per_source_rate). */
void admit_quiesce(struct service_rt *rt, bool keep);

/* `rate` with on_limit = defer, before a connection is taken from the
 * kernel: true when the service has no token now; its listeners then
 * pause until the next one (the backlog holds the clients). */
bool admit_rate_defer(struct service_rt *rt);

/* The single admission point: every connection, wait-mode hand-over,
 * tcpmux hand-over and internal datagram passes here. The checks of
 * access_admit(), with the daemon's max_children (s NULL: unlimited); a
 * refusal is counted in rt->refused and logged as log_on_failure asks (a
 * few lines per reason in an interval, then one count of those held back), and
 * on a cps refusal the service's listeners pause for cps_wait seconds.
 * A deferrable connection over per_source_rate with on_limit = defer is
 * held instead while the queue has room (c->deferred, c->fd -1: the caller
 * neither serves nor closes it) and given to rt->adm.serve later.
 * REFUSED_NONE or why not. */
enum refusal admit_check(struct service_rt *rt, struct conn *c, const struct daemon_settings *s);

/* Counts c's remote address against per_source while its handler runs (a
 * child, or an internal connection): true when counted, then *src is what
 * admit_release() needs to uncount it. */
bool admit_hold(struct service_rt *rt, const struct conn *c, struct access_addr *src);
void admit_release(struct service_rt *rt, const struct access_addr *src);

#endif
