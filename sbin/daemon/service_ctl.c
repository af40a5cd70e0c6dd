/* SPDX-License-Identifier: ISC */
/* service_ctl: runtime control and state of services, see service_ctl.h. */
#include "autoconf.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "config/config.h"
#include "base/base.h"
#include "daemon/internal.h"
#include "daemon/listener.h"
#include "daemon/service.h"
#include "daemon/service_addrs.h"
#include "daemon/service_ctl.h"

#define ADDRS_TEXT_MAX 512

/* The wall-clock time at which an armed loop timer fires. */
static time_t
timer_date(const struct timer *tm)
{
	uint64_t now = loop_now();

	return time(NULL) + (time_t)((tm->when > now ? tm->when - now : 0) / 1000);
}

/* "listening", "paused-by-cps"…, and the date it ends (0: none). */
static const char *
state_text(const struct service_rt *rt, time_t *until)
{
	*until = 0;
	switch (rt->state) {
	case SERVICE_DISABLED:
		return rt->runtime ? "disabled-at-runtime" : "disabled";
	case SERVICE_SKIPPED:
		return "not-served";
	case SERVICE_UNBOUND:
		return "unbound";
	case SERVICE_WAITING:
		return "waiting";
	case SERVICE_TCPMUX:
		return "tcpmux-only";
	case SERVICE_EXPIRED:
		*until = rt->svc->expires;
		return "expired";
	case SERVICE_LOOPING:
		*until = timer_date(&rt->guard);
		return "paused-by-loop-guard";
	case SERVICE_ACTIVE:
		break;
	}
	if (rt->adm.cps_pause.slot) {
		*until = timer_date(&rt->adm.cps_pause);
		return "paused-by-cps";
	}
	/* a token is at most a few seconds away: no date */
	if (rt->adm.rate_pause.slot)
		return "paused-by-rate";
	if (rt->open_until) {
		*until = rt->open_until;
		return "open";
	}
	return "listening";
}

/* Calls fn with each address as "127.0.0.1:80/tcp": the open sockets, or
 * what the file asks for when none is open. */
static void
foreach_addr(const struct service_rt *rt, void (*fn)(const char *, void *), void *arg)
{
	const struct service *svc = rt->svc;

	if (rt->listeners || rt->nwaiting || svc->tcpmux) {
		for (const struct listener *l = rt->listeners; l; l = l->next)
			fn(l->name, arg);
		return;
	}
	for (size_t i = 0; i < service_naddrs(svc); i++) {
		struct sockaddr_storage ss;
		char name[LISTENER_NAME_MAX];

		service_addr(svc, i, &ss);
		listener_name((struct sockaddr *)&ss, svc->socktype, svc->local ? NULL :
			      svc->interface, name, sizeof(name));
		fn(name, arg);
	}
}

/* Calls fn with each address rt waits for (service_wait.c). */
static void
foreach_waiting(const struct service_rt *rt, void (*fn)(const char *, void *), void *arg)
{
	for (size_t i = 0; i < rt->nwaiting; i++) {
		char name[LISTENER_NAME_MAX];

		service_wait_name(rt, i, name, sizeof(name));
		fn(name, arg);
	}
}

/* ---- runtime control ---- */

static void
open_fire(struct timer *t)
{
	struct service_rt *rt = container_of(t, struct service_rt, open_timer);
	uint64_t left = service_ms_until(rt->open_until);

	if (left) {
		timer_arm(t, left);	/* the wall clock went back */
		return;
	}
	logit(LOG_NOTICE, "%s: open period ended: closed (%d handler(s) still running)",
	      rt->svc->id, rt->running);
	service_close_listeners(rt);
	service_rt_quiesce(rt, false);
	rt->state = SERVICE_DISABLED;
	rt->runtime = true;
}

static int
ctl_enable(struct service_rt *rt, unsigned long seconds, char *msg, size_t len)
{
	const struct service *svc = rt->svc, *other;
	char when[64];

	switch (rt->state) {
	case SERVICE_SKIPPED:
		snprintf(msg, len, "%s is not served by this build of portierd", svc->id);
		return -1;
	case SERVICE_EXPIRED:
		text_date(svc->expires, true, when, sizeof(when));
		snprintf(msg, len, "%s expired on %s (%s:%d): change `expires` in its file and "
			 "reload", svc->id, when, svc->file, svc->line);
		return -1;
	case SERVICE_DISABLED:
	case SERVICE_UNBOUND:
		/* only the enabled services' tcpmux names are unique */
		if (svc->tcpmux && (other = internal_tcpmux_serving(svc->name))) {
			snprintf(msg, len, "%s: tcpmux name '%s' is served by %s (%s:%d): "
				 "disable it first", svc->id, svc->name, other->id, other->file,
				 other->line);
			return -1;
		}
		if (service_rt_prepare(rt) < 0) {
			snprintf(msg, len, "%s: out of memory", svc->id);
			return -1;
		}
		rt->state = svc->tcpmux ? SERVICE_TCPMUX : SERVICE_UNBOUND;
		if (!svc->tcpmux) {
			service_bind(rt);
			service_refresh_addresses(rt);
		}
		if (rt->state == SERVICE_UNBOUND || service_rt_start(rt) < 0) {
			snprintf(msg, len, "%s: %s", svc->id, rt->last_error);
			return -1;
		}
		break;
	default:
		break;
	}
	rt->runtime = true;
	timer_cancel(&rt->open_timer);
	rt->open_until = 0;
	if (!seconds) {
		logit(LOG_NOTICE, "%s: enabled by portierctl", svc->id);
		snprintf(msg, len, "%s enabled (until the next reload or restart, which return "
			 "to the files)", svc->id);
		return 0;
	}
	rt->open_until = time(NULL) + (time_t)seconds;
	rt->open_timer.fn = open_fire;
	timer_arm(&rt->open_timer, (uint64_t)seconds * 1000);
	text_date(rt->open_until, true, when, sizeof(when));
	logit(LOG_NOTICE, "%s: opened by portierctl until %s", svc->id, when);
	snprintf(msg, len, "%s open until %s (then closed by portierd; a reload or restart "
		 "returns to the files)", svc->id, when);
	return 0;
}

static int
ctl_disable(struct service_rt *rt, bool close_only, char *msg, size_t len)
{
	const struct service *svc = rt->svc;

	if (close_only && !rt->open_until) {
		snprintf(msg, len, "%s is not open for a while (see portierctl open); "
			 "portierctl disable closes it", svc->id);
		return -1;
	}
	if (rt->state == SERVICE_DISABLED || rt->state == SERVICE_EXPIRED ||
	    rt->state == SERVICE_SKIPPED) {
		snprintf(msg, len, "%s is not offered already", svc->id);
		return 0;
	}
	service_close_listeners(rt);
	service_rt_quiesce(rt, false);
	rt->state = SERVICE_DISABLED;
	rt->runtime = true;
	logit(LOG_NOTICE, "%s: %s by portierctl (%d handler(s) still running)", svc->id,
	      close_only ? "closed" : "disabled", rt->running);
	snprintf(msg, len, "%s %s (until the next reload or restart, which return to the files)",
		 svc->id, close_only ? "closed" : "disabled");
	return 0;
}

int
service_ctl(struct service_table *t, const struct config *cfg, enum control_cmd cmd,
	    const char *id, unsigned long seconds, char *msg, size_t len)
{
	const struct service *svc = config_find(cfg, id);
	size_t i = svc ? (size_t)(svc - cfg->services) : t->count;

	if (i >= t->count || t->rt[i]->svc != svc) {
		snprintf(msg, len, "no service '%s'", id);
		return -1;
	}
	switch (cmd) {
	case CONTROL_ENABLE:
		return ctl_enable(t->rt[i], 0, msg, len);
	case CONTROL_OPEN:
		return ctl_enable(t->rt[i], seconds ? seconds : 1, msg, len);
	case CONTROL_DISABLE:
		return ctl_disable(t->rt[i], false, msg, len);
	case CONTROL_CLOSE:
		return ctl_disable(t->rt[i], true, msg, len);
	case CONTROL_STATUS:
	case CONTROL_RELOAD:
		break;
	}
	snprintf(msg, len, "not a service command");
	return -1;
}

/* ---- state ---- */

static void
addr_json(const char *name, void *arg)
{
	json_string(arg, NULL, name);
}

static void
service_json(const struct service_rt *rt, struct json *j)
{
	time_t until;
	const char *state = state_text(rt, &until);
	unsigned long total = 0;

	json_object_begin(j, NULL);
	json_string(j, "id", rt->svc->id);
	json_string(j, "state", state);
	json_string(j, "file", rt->svc->file);
	json_int(j, "line", rt->svc->line);
	if (until)
		json_int(j, "until", (long long)until);
	else
		json_string(j, "until", NULL);
	json_array_begin(j, "addresses");
	foreach_addr(rt, addr_json, j);
	json_array_end(j);
	json_array_begin(j, "waiting");
	foreach_waiting(rt, addr_json, j);
	json_array_end(j);
	json_int(j, "running", rt->running);
	json_int(j, "started", (long long)rt->started);
	json_int(j, "accepted", (long long)rt->accepted);
	json_object_begin(j, "refused");
	for (int r = REFUSED_NONE + 1; r < REFUSED_COUNT; r++) {
		json_int(j, access_refusal_name(r), (long long)rt->refused[r]);
		total += rt->refused[r];
	}
	json_object_end(j);
	json_int(j, "refused_total", (long long)total);
	json_int(j, "deferred", (long long)rt->deferred);
	json_string(j, "last_error", rt->last_error[0] ? rt->last_error : NULL);
	json_object_end(j);
}

void
service_ctl_status(const struct service_table *t, struct json *j)
{
	json_array_begin(j, "services");
	for (size_t i = 0; i < t->count; i++)
		service_json(t->rt[i], j);
	json_array_end(j);
}

struct text {
	char *buf;
	size_t len, used;
};

/* Appends s to the struct text arg, after a comma unless first. */
static void
text_add(const char *s, void *arg)
{
	struct text *x = arg;
	int n = snprintf(x->buf + x->used, x->len - x->used, "%s%s", x->used ? "," : "", s);

	if (n > 0)
		x->used += (size_t)n < x->len - x->used ? (size_t)n : x->len - x->used - 1;
}

void
service_ctl_log(const struct service_table *t)
{
	for (size_t i = 0; i < t->count; i++) {
		const struct service_rt *rt = t->rt[i];
		char addrs[ADDRS_TEXT_MAX] = "", refused[256] = "", when[64] = "", n[48];
		char waits[ADDRS_TEXT_MAX] = "";
		struct text a = { addrs, sizeof(addrs), 0 }, r = { refused, sizeof(refused), 0 };
		struct text w = { waits, sizeof(waits), 0 };
		time_t until;
		const char *state = state_text(rt, &until);

		foreach_addr(rt, text_add, &a);
		foreach_waiting(rt, text_add, &w);
		for (int k = REFUSED_NONE + 1; k < REFUSED_COUNT; k++) {
			if (!rt->refused[k])
				continue;
			snprintf(n, sizeof(n), "%s=%lu", access_refusal_name(k), rt->refused[k]);
			text_add(n, &r);
		}
		if (until) {
			text_date(until, true, when + 7, sizeof(when) - 7);
			memcpy(when, " until ", 7);
		}
		snprintf(n, sizeof(n), " deferred %lu", rt->deferred);
		logit(LOG_INFO, "state: %s %s%s %s%s%s running %d accepted %lu refused %s%s%s%s",
		      rt->svc->id, state, when, addrs[0] ? addrs : "-",
		      waits[0] ? " waiting for address " : "", waits, rt->running, rt->accepted,
		      refused[0] ? refused : "0", rt->deferred ? n : "",
		      rt->last_error[0] ? " last error: " : "", rt->last_error);
	}
}
