/* svclog: log lines about connections and handlers (see svclog.c). */
#ifndef PORTIER_SVCLOG_H
#define PORTIER_SVCLOG_H

#include <stdbool.h>

#include "service.h"

struct child;

/* True when a rate-limited message may go out now (one per 10 s); *held
 * gets the number of messages held back since the last one. */
bool svclog_ratelimit(struct ratelimit *rl, unsigned *held);

void svclog_start(struct service_rt *rt, const struct child *ch);
void svclog_exit(struct service_rt *rt, const struct child *ch, int status);
void svclog_refused(struct service_rt *rt, const struct conn *c, enum refusal why);
/* "SERVICE: exec /path: reason", rate-limited per service. */
void svclog_spawn_error(struct service_rt *rt, const struct spawn_error *e);

#endif
