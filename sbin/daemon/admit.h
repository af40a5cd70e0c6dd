/* admit: the daemon's side of access control. The policy itself is pure
 * (access.c); this module feeds it per connection (peer address, local time,
 * load average, handler counts), keeps each service's per-source table and
 * cps window, and pauses the listeners while cps holds them back. */
#ifndef PORTIER_ADMIT_H
#define PORTIER_ADMIT_H

#include <stdbool.h>
#include <stddef.h>

#include "config/config.h"
#include "base/base.h"
#include "daemon/svclog.h"

struct conn;
struct daemon_settings;
struct service_rt;

/* Embedded in struct service_rt. */
struct admit {
	struct access_sources *sources;	/* nowait: handlers per remote address */
	struct access_rate cps;		/* handler starts in the current second */
	struct timer cps_pause;		/* resumes the listeners after cps_wait */
	struct ratelimit refused_log[REFUSED_COUNT];	/* refusal lines, per reason */
	struct timer refused_held;	/* reports the refusal lines held back */
};

/* At load: the per-source table. -1 when out of memory. */
int admit_init(struct service_rt *rt);
void admit_free(struct service_rt *rt);

/* The single admission point: every connection, wait-mode hand-over,
 * tcpmux hand-over and internal datagram passes here. The checks of
 * access_admit(), with the daemon's max_children (s NULL: unlimited); a
 * refusal is counted in rt->refused and logged as log_on_failure asks (a
 * few lines per reason in an interval, then one count of those held back), and
 * on a cps refusal the service's listeners pause for cps_wait seconds.
 * REFUSED_NONE or why not. */
enum refusal admit_check(struct service_rt *rt, struct conn *c, const struct daemon_settings *s);

/* Counts c's remote address against per_source while its handler runs (a
 * child, or an internal connection): true when counted, then *src is what
 * admit_release() needs to uncount it. */
bool admit_hold(struct service_rt *rt, const struct conn *c, struct access_addr *src);
void admit_release(struct service_rt *rt, const struct access_addr *src);

#endif
