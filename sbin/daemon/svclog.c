/* SPDX-License-Identifier: ISC */
/* svclog: what portierd logs about connections and handlers, as
 * log_on_success and log_on_failure ask: start, exit, refusal, failure to
 * start. Addresses are logged as accept() gave them: never a DNS look-up.
 * Every line also carries structured fields (log_fields) for the journal. */
#include "autoconf.h"

#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>

#include "spawn/spawn.h"
#include "config/config.h"
#include "base/base.h"
#include "daemon/svclog.h"

/* At most one "cannot start handler" or "cannot accept" message per service
 * in SVCLOG_INTERVAL_MS, a few refusals per reason; the others are counted
 * and reported with the next one (or at the interval's end, by the caller).
 * A flood of refusals from one client would otherwise write a line per
 * connection (186,800 in 15 s): the status counters stay exact. */
bool
svclog_ratelimit(struct ratelimit *rl, unsigned burst, unsigned long *held)
{
	uint64_t now = loop_now();

	*held = 0;
	if (rl->last_ms && now - rl->last_ms < SVCLOG_INTERVAL_MS) {
		if (rl->sent < burst) {
			rl->sent++;
			return true;
		}
		rl->suppressed++;
		return false;
	}
	*held = svclog_ratelimit_end(rl);
	rl->last_ms = now ? now : 1;
	rl->sent = 1;
	return true;
}

unsigned long
svclog_ratelimit_end(struct ratelimit *rl)
{
	unsigned long n = rl->suppressed;

	*rl = (struct ratelimit){ 0 };
	return n;
}

/* "HOST:PORT" (a unix peer: HOST) into from when log_on_success or log_on_failure (m) asks for
 * the host and it is known, with the journal's fields. */
static void
from_text(unsigned m, const char *host, int port, struct log_fields *f, char *from, size_t len)
{
	if (!(m & LOGF_HOST) || !host[0])
		return;
	f->remote_addr = host;
	f->remote_port = port;
	/* a unix socket's peer has no port: "uid=N,pid=N" alone */
	if (port)
		addr_join(host, port, from, len);
	else
		snprintf(from, len, "%s", host);
}

void
svclog_start(const struct service *svc, pid_t pid, const char *host, int port)
{
	unsigned m = svc->log_on_success;
	struct log_fields f = {
		.event = LOG_EVENT_HANDLER_START, .service_id = svc->id, .duration_usec = -1,
	};
	char from[ADDR_NAME_MAX] = "";

	if (!(m & (LOGF_PID | LOGF_HOST)))
		return;
	if (m & LOGF_PID)
		f.handler_pid = pid;
	from_text(m, host, port, &f, from, sizeof(from));
	log_fields(LOG_INFO, &f, "%s: start%s%.0d%s%s", svc->id,
		   f.handler_pid ? " pid " : "", f.handler_pid,
		   from[0] ? " from " : "", from);
}

/* " duration 1.250s" when m asks for it and dur_us is known. */
static void
dur_text(unsigned m, long long dur_us, struct log_fields *f, char *buf, size_t len)
{
	if (!(m & LOGF_DURATION) || dur_us < 0)
		return;
	f->duration_usec = dur_us;
	snprintf(buf, len, " duration %lld.%03llds", dur_us / 1000000, dur_us / 1000 % 1000);
}

static void
status_text(char *buf, size_t len, int status)
{
	if (WIFEXITED(status))
		snprintf(buf, len, "status %d", WEXITSTATUS(status));
	else if (WIFSIGNALED(status))
		snprintf(buf, len, "signal %s%s", sigabbrev_np(WTERMSIG(status)) ?: "?",
			 WCOREDUMP(status) ? " (core dumped)" : "");
	else
		snprintf(buf, len, "wait status %#x", status);
}

void
svclog_exit(const struct service *svc, pid_t pid, const char *host, int port, int status,
	    long long dur_us)
{
	unsigned m = svc->log_on_success;
	struct log_fields f = {
		.event = LOG_EVENT_HANDLER_EXIT, .service_id = svc->id, .duration_usec = -1,
	};
	char st[64] = "", from[ADDR_NAME_MAX] = "", dur[32] = "";
	int prio = LOG_INFO;

	/* A crash is worth a line whatever log_on_success says. */
	if (WIFSIGNALED(status) && WTERMSIG(status) != SIGTERM && WTERMSIG(status) != SIGPIPE &&
	    WTERMSIG(status) != SIGHUP && WTERMSIG(status) != SIGINT) {
		prio = LOG_WARNING;
		m |= LOGF_EXIT | LOGF_PID;
	}
	if (!(m & (LOGF_EXIT | LOGF_DURATION)))
		return;
	status_text(st, sizeof(st), status);
	if (m & LOGF_EXIT)
		f.exit_status = st;
	if (m & LOGF_PID)
		f.handler_pid = pid;
	from_text(m, host, port, &f, from, sizeof(from));
	dur_text(m, dur_us, &f, dur, sizeof(dur));
	log_fields(prio, &f, "%s: exit%s%.0d%s%s%s%s%s", svc->id,
		   f.handler_pid ? " pid " : "", f.handler_pid,
		   from[0] ? " from " : "", from, f.exit_status ? " " : "",
		   f.exit_status ? st : "", dur);
}

void
svclog_internal(const struct service *svc, const char *event, const char *host, int port,
		long long dur_us)
{
	unsigned m = svc->log_on_success;
	struct log_fields f = {
		.event = LOG_EVENT_INTERNAL, .service_id = svc->id, .duration_usec = -1,
	};
	char from[ADDR_NAME_MAX] = "", dur[32] = "";

	/* PID and EXIT mean nothing here; HOST and DURATION as for handlers */
	from_text(m, host, port, &f, from, sizeof(from));
	dur_text(m, dur_us, &f, dur, sizeof(dur));
	if (!from[0] && !dur[0])
		return;
	log_fields(LOG_INFO, &f, "%s: %s internal%s%s%s", svc->id, event,
		   from[0] ? " from " : "", from, dur);
}

bool
svclog_refused(const struct service *svc, const char *host, int port, enum refusal why,
	       struct ratelimit *rl)
{
	unsigned m = svc->log_on_failure;
	struct log_fields f = {
		.event = LOG_EVENT_REFUSED, .service_id = svc->id, .duration_usec = -1,
		.refused_reason = access_refusal_name(why),
	};
	char from[ADDR_NAME_MAX] = "", held_text[64] = "";
	unsigned long held;

	if (!(m & (LOGF_HOST | LOGF_ATTEMPT)))
		return false;
	if (!svclog_ratelimit(rl, SVCLOG_REFUSED_BURST, &held))
		return true;
	if (held)
		snprintf(held_text, sizeof(held_text), " (%lu similar messages suppressed)", held);
	from_text(m, host, port, &f, from, sizeof(from));
	log_fields(LOG_NOTICE, &f, "%s: refused%s%s: %s%s", svc->id,
		   from[0] ? " connection from " : "", from, f.refused_reason, held_text);
	return false;
}

void
svclog_refused_held(const struct service *svc, enum refusal why, unsigned long n)
{
	struct log_fields f = {
		.service_id = svc->id, .duration_usec = -1,
		.refused_reason = access_refusal_name(why),
	};

	log_fields(LOG_NOTICE, &f, "%s: refused: %s: %lu similar messages suppressed", svc->id,
		   f.refused_reason, n);
}

void
svclog_spawn_error(const struct service *svc, const struct spawn_error *e, unsigned long held)
{
	struct log_fields f = {
		.event = LOG_EVENT_SPAWN_FAILED, .service_id = svc->id, .duration_usec = -1,
		.refused_reason = "spawn",
	};
	char held_text[64] = "";

	if (held)
		snprintf(held_text, sizeof(held_text), " (%lu similar messages suppressed)", held);
	if (!strcmp(e->step, "exec"))
		log_fields(LOG_ERR, &f, "%s: exec %s: %s%s", svc->id, svc->server,
			   strerror(e->err), held_text);
	else
		log_fields(LOG_ERR, &f, "%s: cannot start %s: %s: %s%s", svc->id,
			   svc->server, e->step, strerror(e->err), held_text);
}
