/* log: stderr, syslog or the journal, chosen once at start-up. */
#include "autoconf.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "log.h"
#include "sd.h"

static enum log_target target = LOG_TO_STDERR;
static bool debug_on;
static const char *log_ident = "portier";

void
log_open(const char *ident, enum log_target t, int facility)
{
	log_ident = ident;
	if (target == LOG_TO_SYSLOG && t != LOG_TO_SYSLOG)
		closelog();
	target = t;
	if (t == LOG_TO_SYSLOG)
		openlog(ident, LOG_PID | LOG_NDELAY, facility);
}

void
log_set_debug(bool on)
{
	debug_on = on;
}

bool
log_debug_enabled(void)
{
	return debug_on;
}

enum log_target
log_target(void)
{
	return target;
}

static void
log_emit(int prio, const struct log_fields *f, const char *msg)
{
	switch (target) {
	case LOG_TO_SYSLOG:
		syslog(prio, "%s", msg);
		return;
	case LOG_TO_JOURNAL:
		if (sd_journal_log(prio, f, msg) == 0)
			return;
		break;		/* the journal refused: fall back to stderr */
	case LOG_TO_STDERR:
		break;
	}
	fprintf(stderr, "%s[%d]: %s\n", log_ident, (int)getpid(), msg);
}

static void
log_vemit(int prio, const struct log_fields *f, const char *suffix,
	  const char *fmt, va_list ap)
{
	char msg[2048];
	int n;

	if (prio == LOG_DEBUG && !debug_on)
		return;
	n = vsnprintf(msg, sizeof(msg), fmt, ap);
	if (suffix && n >= 0 && (size_t)n < sizeof(msg))
		snprintf(msg + n, sizeof(msg) - n, ": %s", suffix);
	log_emit(prio, f, msg);
}

void
logit(int prio, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_vemit(prio, NULL, NULL, fmt, ap);
	va_end(ap);
}

void
logerr(int prio, const char *fmt, ...)
{
	const char *why = strerror(errno);
	va_list ap;

	va_start(ap, fmt);
	log_vemit(prio, NULL, why, fmt, ap);
	va_end(ap);
}

void
log_fields(int prio, const struct log_fields *f, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_vemit(prio, f, NULL, fmt, ap);
	va_end(ap);
}
