/* SPDX-License-Identifier: ISC */
/* svclog: log lines about connections and handlers (see svclog.c). Each
 * line takes the service's configuration and the facts of the connection as
 * plain values (pid, remote host and port, duration): never the runtime
 * record, so that this module stays below service.c. */
#ifndef PORTIER_SVCLOG_H
#define PORTIER_SVCLOG_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "config/config.h"

struct spawn_error;

/* At most a few messages per interval, then a count of what was held back. */
struct ratelimit {
	uint64_t last_ms;		/* start of the interval; 0: none yet */
	unsigned sent;			/* messages sent in it */
	unsigned long suppressed;	/* messages held back since the last one */
};

/* The interval of every rate limit (ms). */
#define SVCLOG_INTERVAL_MS 10000
/* Refusals logged per service and reason in one interval. */
#define SVCLOG_REFUSED_BURST 10

/* True when a rate-limited message may go out now (burst per interval);
 * *held gets the number of messages held back since the last one. */
bool svclog_ratelimit(struct ratelimit *rl, unsigned burst, unsigned long *held);
/* Ends rl's interval: the number held back, which the caller reports. */
unsigned long svclog_ratelimit_end(struct ratelimit *rl);

/* host is the remote address as text, "" when unknown; dur_us < 0: none. */
void svclog_start(const struct service *svc, pid_t pid, const char *host, int port);
void svclog_exit(const struct service *svc, pid_t pid, const char *host, int port, int status,
		 long long dur_us);
/* An internal service's connection or datagram: "SERVICE: EVENT internal
 * from HOST:PORT duration S" (HOST and DURATION of log_on_success). */
void svclog_internal(const struct service *svc, const char *event, const char *host, int port,
		     long long dur_us);
/* A refused connection, as log_on_failure asks, at most SVCLOG_REFUSED_BURST
 * lines per reason in an interval (rl: the service's limit for why). True
 * when the line was held back: the caller reports the count later with
 * svclog_refused_held(). */
bool svclog_refused(const struct service *svc, const char *host, int port, enum refusal why,
		    struct ratelimit *rl);
/* "SERVICE: refused: REASON: N similar messages suppressed". */
void svclog_refused_held(const struct service *svc, enum refusal why, unsigned long n);
/* "SERVICE: exec /path: reason"; held: similar messages held back by the
 * caller's svclog_ratelimit(). */
void svclog_spawn_error(const struct service *svc, const struct spawn_error *e,
			unsigned long held);

#endif
