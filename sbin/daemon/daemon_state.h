/* SPDX-License-Identifier: ISC */
/* daemon_state: what portierd tells about itself (portierctl status, SIGUSR1):
 * pid, uptime, configuration generation, the last reload, then every
 * service (service_ctl.c). */
#ifndef PORTIER_DAEMON_STATE_H
#define PORTIER_DAEMON_STATE_H

#include <stdbool.h>
#include <time.h>

#include "base/base.h"

struct service_table;

struct daemon_state {
	const char *confdir;
	time_t started;
	unsigned long generation;	/* 1 at start, +1 per successful reload */
	bool reloaded;			/* a reload was tried */
	bool reload_ok;
	time_t reload_when;
	struct diag reload_errs;	/* the errors of the last failed reload */
};

void daemon_state_init(struct daemon_state *s);
void daemon_state_free(struct daemon_state *s);
/* Notes a reload's outcome; on failure, keeps copies of the errors in errs. */
void daemon_state_reload(struct daemon_state *s, bool ok, const struct diag *errs);
/* Members of the status object (the caller opened it). */
void daemon_state_json(const struct daemon_state *s, const struct service_table *t,
		       struct json *j);
/* "errors": the error-level texts of errs (a reload's, in the control reply
 * and in last_reload). */
void daemon_state_json_errors(struct json *j, const struct diag *errs);
/* The same as log lines. */
void daemon_state_log(const struct daemon_state *s, const struct service_table *t);

#endif
