/* SPDX-License-Identifier: ISC */
/* daemon_state: the daemon's own state, see daemon_state.h. */
#include "autoconf.h"

#include <string.h>
#include <unistd.h>

#include "daemon/daemon_state.h"
#include "base/base.h"
#include "daemon/service_ctl.h"

void
daemon_state_init(struct daemon_state *s)
{
	memset(s, 0, sizeof(*s));
	s->started = time(NULL);
	s->generation = 1;
	diag_init(&s->reload_errs);
}

void
daemon_state_free(struct daemon_state *s)
{
	diag_free(&s->reload_errs);
}

void
daemon_state_reload(struct daemon_state *s, bool ok, const struct diag *errs)
{
	diag_free(&s->reload_errs);
	diag_init(&s->reload_errs);
	s->reloaded = true;
	s->reload_ok = ok;
	s->reload_when = time(NULL);
	for (size_t i = 0; !ok && i < errs->count; i++)
		if (errs->items[i].level == DIAG_ERROR)
			diag_add(&s->reload_errs, DIAG_ERROR, NULL, 0, "%s",
				 errs->items[i].text ? errs->items[i].text : "(out of memory)");
}

void
daemon_state_json_errors(struct json *j, const struct diag *errs)
{
	json_array_begin(j, "errors");
	for (size_t i = 0; i < errs->count; i++)
		if (errs->items[i].level == DIAG_ERROR)
			json_string(j, NULL, errs->items[i].text);
	json_array_end(j);
}

void
daemon_state_json(const struct daemon_state *s, const struct service_table *t, struct json *j)
{
	json_int(j, "pid", (long long)getpid());
	json_int(j, "uptime", (long long)(time(NULL) - s->started));
	json_int(j, "generation", (long long)s->generation);
	json_string(j, "confdir", s->confdir);
	if (!s->reloaded) {
		json_string(j, "last_reload", NULL);
	} else {
		json_object_begin(j, "last_reload");
		json_bool(j, "ok", s->reload_ok);
		json_int(j, "time", (long long)s->reload_when);
		daemon_state_json_errors(j, &s->reload_errs);
		json_object_end(j);
	}
	service_ctl_status(t, j);
}

void
daemon_state_log(const struct daemon_state *s, const struct service_table *t)
{
	const char *first = s->reload_errs.count ? s->reload_errs.items[0].text : NULL;

	logit(LOG_INFO, "state: portierd pid %d, up %lld s, generation %lu, last reload: %s%s%s",
	      (int)getpid(), (long long)(time(NULL) - s->started), s->generation,
	      !s->reloaded ? "none" : s->reload_ok ? "ok" : "failed", first ? ": " : "",
	      first ? first : "");
	service_ctl_log(t);
}
