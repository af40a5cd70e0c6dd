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
#include "daemon/service.h"
#include "daemon/svclog.h"

/* At most one "cannot start handler" or "cannot accept" message per service
 * in this many ms; the others are counted and reported with the next one. */
#define LOG_INTERVAL_MS 10000

/* True when a message may go out now; *held gets the number held back. */
bool
svclog_ratelimit(struct ratelimit *rl, unsigned *held)
{
	uint64_t now = loop_now();

	if (rl->last_ms && now - rl->last_ms < LOG_INTERVAL_MS) {
		rl->suppressed++;
		return false;
	}
	rl->last_ms = now ? now : 1;
	*held = rl->suppressed;
	rl->suppressed = 0;
	return true;
}

static void
host_text(char *buf, size_t len, const char *host, int port)
{
	if (strchr(host, ':'))
		snprintf(buf, len, "[%s]:%d", host, port);
	else
		snprintf(buf, len, "%s:%d", host, port);
}

void
svclog_start(struct service_rt *rt, const struct child *ch)
{
	unsigned m = rt->svc->log_on_success;
	struct log_fields f = { .service_id = rt->svc->id, .duration_usec = -1 };
	char from[INET6_ADDRSTRLEN + 16] = "";

	if (!(m & (LOGF_PID | LOGF_HOST)))
		return;
	if (m & LOGF_PID)
		f.handler_pid = ch->pid;
	if ((m & LOGF_HOST) && ch->host[0]) {
		f.remote_addr = ch->host;
		f.remote_port = ch->port;
		host_text(from, sizeof(from), ch->host, ch->port);
	}
	log_fields(LOG_INFO, &f, "%s: start%s%.0d%s%s", rt->svc->id,
		   f.handler_pid ? " pid " : "", f.handler_pid,
		   from[0] ? " from " : "", from);
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
svclog_exit(struct service_rt *rt, const struct child *ch, int status)
{
	unsigned m = rt->svc->log_on_success;
	struct log_fields f = { .service_id = rt->svc->id, .duration_usec = -1 };
	char st[64] = "", from[INET6_ADDRSTRLEN + 16] = "", dur[32] = "";
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
		f.handler_pid = ch->pid;
	if ((m & LOGF_HOST) && ch->host[0]) {
		f.remote_addr = ch->host;
		f.remote_port = ch->port;
		host_text(from, sizeof(from), ch->host, ch->port);
	}
	if (m & LOGF_DURATION) {
		f.duration_usec = children_clock_us() - ch->start_us;
		snprintf(dur, sizeof(dur), " duration %lld.%03llds", f.duration_usec / 1000000,
			 f.duration_usec / 1000 % 1000);
	}
	log_fields(prio, &f, "%s: exit%s%.0d%s%s%s%s%s", rt->svc->id,
		   f.handler_pid ? " pid " : "", f.handler_pid,
		   from[0] ? " from " : "", from, f.exit_status ? " " : "",
		   f.exit_status ? st : "", dur);
}

void
svclog_internal(struct service_rt *rt, const char *event, const char *host, int port,
		long long dur_us)
{
	unsigned m = rt->svc->log_on_success;
	struct log_fields f = { .service_id = rt->svc->id, .duration_usec = -1 };
	char from[INET6_ADDRSTRLEN + 16] = "", dur[32] = "";

	/* PID and EXIT mean nothing here; HOST and DURATION as for handlers */
	if ((m & LOGF_HOST) && host[0]) {
		f.remote_addr = host;
		f.remote_port = port;
		host_text(from, sizeof(from), host, port);
	}
	if ((m & LOGF_DURATION) && dur_us >= 0) {
		f.duration_usec = dur_us;
		snprintf(dur, sizeof(dur), " duration %lld.%03llds", dur_us / 1000000,
			 dur_us / 1000 % 1000);
	}
	if (!from[0] && !dur[0])
		return;
	log_fields(LOG_INFO, &f, "%s: %s internal%s%s%s", rt->svc->id, event,
		   from[0] ? " from " : "", from, dur);
}

void
svclog_refused(struct service_rt *rt, const struct conn *c, enum refusal why)
{
	unsigned m = rt->svc->log_on_failure;
	struct log_fields f = {
		.service_id = rt->svc->id, .duration_usec = -1,
		.refused_reason = service_refusal_name(why),
	};
	char from[INET6_ADDRSTRLEN + 16] = "";

	if (!(m & (LOGF_HOST | LOGF_ATTEMPT)))
		return;
	if ((m & LOGF_HOST) && c->host[0]) {
		f.remote_addr = c->host;
		f.remote_port = c->port;
		host_text(from, sizeof(from), c->host, c->port);
	}
	log_fields(LOG_NOTICE, &f, "%s: refused%s%s: %s", rt->svc->id,
		   from[0] ? " connection from " : "", from, f.refused_reason);
}

void
svclog_spawn_error(struct service_rt *rt, const struct spawn_error *e)
{
	struct log_fields f = {
		.service_id = rt->svc->id, .duration_usec = -1, .refused_reason = "spawn",
	};
	char held_text[64] = "";
	unsigned held;

	if (!svclog_ratelimit(&rt->exec_log, &held))
		return;
	if (held)
		snprintf(held_text, sizeof(held_text), " (%u similar messages suppressed)", held);
	if (!strcmp(e->step, "exec"))
		log_fields(LOG_ERR, &f, "%s: exec %s: %s%s", rt->svc->id, rt->svc->server,
			   strerror(e->err), held_text);
	else
		log_fields(LOG_ERR, &f, "%s: cannot start %s: %s: %s%s", rt->svc->id,
			   rt->svc->server, e->step, strerror(e->err), held_text);
}
