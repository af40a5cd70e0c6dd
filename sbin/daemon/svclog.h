/* svclog: log lines about connections and handlers (see svclog.c). */
#ifndef PORTIER_SVCLOG_H
#define PORTIER_SVCLOG_H

#include <stdbool.h>

#include "daemon/service.h"

struct child;

/* True when a rate-limited message may go out now (one per 10 s); *held
 * gets the number of messages held back since the last one. */
bool svclog_ratelimit(struct ratelimit *rl, unsigned *held);

void svclog_start(struct service_rt *rt, const struct child *ch);
void svclog_exit(struct service_rt *rt, const struct child *ch, int status);
/* An internal service's connection or datagram: "SERVICE: EVENT internal
 * from HOST:PORT duration S" (HOST and DURATION of log_on_success; dur_us
 * < 0: none). */
void svclog_internal(struct service_rt *rt, const char *event, const char *host, int port,
		     long long dur_us);
void svclog_refused(struct service_rt *rt, const struct conn *c, enum refusal why);
/* "SERVICE: exec /path: reason", rate-limited per service. */
void svclog_spawn_error(struct service_rt *rt, const struct spawn_error *e);

#endif
