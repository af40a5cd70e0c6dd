/* SPDX-License-Identifier: ISC */
/* service_ctl: what portierctl may do to running services (enable, disable,
 * open for a while, close) and their state, as JSON (status) or log lines
 * (SIGUSR1). Runtime changes last until the next reload or restart, which
 * return every service to what its file says. */
#ifndef PORTIER_SERVICE_CTL_H
#define PORTIER_SERVICE_CTL_H

#include <stddef.h>

#include "base/base.h"

struct config;
struct service_table;

/* Applies a service command of the control protocol (CONTROL_ENABLE,
 * CONTROL_OPEN until now + seconds, CONTROL_DISABLE, CONTROL_CLOSE: an open
 * period ends early) to the service id of cfg (t is cfg's table). Returns 0
 * with a message for the admin in msg, or -1 with the error in msg. */
int service_ctl(struct service_table *t, const struct config *cfg, enum control_cmd cmd,
		const char *id, unsigned long seconds, char *msg, size_t len);

/* A "services" array member: one object per service. */
void service_ctl_status(const struct service_table *t, struct json *j);
/* The same, one log line per service. */
void service_ctl_log(const struct service_table *t);

#endif
