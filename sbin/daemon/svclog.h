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

/* At most one message per interval, then a count of what was held back. */
struct ratelimit {
	uint64_t last_ms;
	unsigned suppressed;
};

/* True when a rate-limited message may go out now (one per 10 s); *held
 * gets the number of messages held back since the last one. */
bool svclog_ratelimit(struct ratelimit *rl, unsigned *held);

/* host is the remote address as text, "" when unknown; dur_us < 0: none. */
void svclog_start(const struct service *svc, pid_t pid, const char *host, int port);
void svclog_exit(const struct service *svc, pid_t pid, const char *host, int port, int status,
		 long long dur_us);
/* An internal service's connection or datagram: "SERVICE: EVENT internal
 * from HOST:PORT duration S" (HOST and DURATION of log_on_success). */
void svclog_internal(const struct service *svc, const char *event, const char *host, int port,
		     long long dur_us);
void svclog_refused(const struct service *svc, const char *host, int port, enum refusal why);
/* "SERVICE: exec /path: reason"; held: similar messages held back by the
 * caller's svclog_ratelimit(). */
void svclog_spawn_error(const struct service *svc, const struct spawn_error *e, unsigned held);

#endif
