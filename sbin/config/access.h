/* access: who may connect, when, and how often. Pure policy: no sockets and
 * no processes; the daemon hands in the remote address, the local time, the
 * monotonic clock and the load average, and keeps the state this module
 * updates in its per-service runtime. */
#ifndef PORTIER_ACCESS_H
#define PORTIER_ACCESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>
#include <time.h>

#include "config/config.h"

/* Why a connection was not served: counted per service (service_rt.refused)
 * and logged under log_on_failure with service_refusal_name(). */
enum refusal {
	REFUSED_NONE,
	REFUSED_ACCESS,		/* only_from / no_access */
	REFUSED_TIME,		/* outside access_times */
	REFUSED_INSTANCES,	/* instances reached */
	REFUSED_PER_SOURCE,	/* per_source reached */
	REFUSED_CPS,		/* connection rate: the service pauses */
	REFUSED_LOAD,		/* max_load */
	REFUSED_CHILDREN,	/* daemon-wide max_children */
	REFUSED_SPAWN,		/* the handler could not be started (the daemon's own) */
	REFUSED_COUNT
};

/* A remote address in canonical form: IPv4-mapped IPv6 is IPv4, unused bytes
 * are zero, so that two equal addresses compare equal with memcmp. */
struct access_addr {
	uint8_t family;		/* AF_INET or AF_INET6 */
	uint8_t addr[16];	/* network byte order; IPv4 uses the first 4 */
};

/* 0, or -1 for a family other than AF_INET/AF_INET6 (AF_UNIX peers). */
int access_addr_from_sockaddr(const struct sockaddr *sa, socklen_t len,
			      struct access_addr *out);
/* The longest prefix of a rule in l that contains a, or -1 for none. */
int access_list_match(const struct addr_list *l, const struct access_addr *a);
/* only_from / no_access with xinetd's semantics (see portier.conf(5)). */
bool access_address_allowed(const struct service *svc, const struct access_addr *a);
/* access_times against a broken-down local time; no windows: always. */
bool access_time_allowed(const struct service *svc, const struct tm *tm);

/* Events counted in fixed windows: the cps limit and the loop guard. */
struct access_rate {
	uint64_t start;		/* monotonic ms at which the window opened */
	unsigned count;
};

/* Counts one event at now_ms. True when it is more than limit in the current
 * window of window_ms; the window then starts over. */
bool access_rate_hit(struct access_rate *r, unsigned limit, uint64_t window_ms,
		     uint64_t now_ms);

/* Concurrent connections per remote address: a hash table keyed with a
 * random SipHash key (addresses are chosen by the peer), O(1) per update,
 * an entry exists only while its count is above zero. */
struct access_sources;

struct access_sources *access_sources_new(void);
void access_sources_free(struct access_sources *t);
unsigned access_sources_get(const struct access_sources *t, const struct access_addr *a);
/* The new count, or -1 when out of memory (nothing changed). */
int access_sources_inc(struct access_sources *t, const struct access_addr *a);
void access_sources_dec(struct access_sources *t, const struct access_addr *a);
size_t access_sources_size(const struct access_sources *t);	/* addresses */

/* One connection asking to be handled. */
struct access_request {
	const struct access_addr *addr;	/* NULL: not known (skips address checks) */
	const struct tm *local;		/* NULL: skip access_times */
	uint64_t now_ms;		/* monotonic */
	double load;			/* 1-minute load average; < 0: unknown */
	unsigned running;		/* handlers of this service now */
	unsigned children;		/* handlers of every service now */
	int max_children;		/* LIMIT_UNLIMITED or > 0 */
};

/* REFUSED_NONE or why not. Every check in a fixed order: address, time,
 * children, instances,
 * per_source, load, then cps, which counts the connections that passed the
 * others (handler starts). Only the cps state changes; the caller counts the
 * source with access_sources_inc() once the handler runs. */
enum refusal access_admit(const struct service *svc, struct access_sources *sources,
				struct access_rate *cps, const struct access_request *rq);

/* The first field of /proc/loadavg. 0, or -1 when buf does not start with one. */
int access_parse_loadavg(const char *buf, double *load1);

/* StrictModes: when running as root, path and every directory above it must
 * be owned by root and not writable by group or others (a root-owned sticky
 * directory like /tmp is fine). 0, or -1 with the reason and the fix in err. */
int access_secure_path(const char *path, char *err, size_t errlen);
/* The same for a directory, then for every *.conf in it. */
int access_secure_dir(const char *dir, char *err, size_t errlen);

#endif
