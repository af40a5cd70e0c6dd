/* SPDX-License-Identifier: ISC */
/* log: stderr, syslog or the journal, chosen once at start-up. */
#include "autoconf.h"

#include <errno.h>
#include <inttypes.h>
#include <paths.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "base/base.h"

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

/* openlog() says nothing when no syslog daemon listens, and syslog() then
 * drops every message: connect as glibc does (datagram, else stream). */
int
log_syslog_probe(void)
{
	static const int types[] = { SOCK_DGRAM, SOCK_STREAM };
	struct sockaddr_un sa = { .sun_family = AF_UNIX, .sun_path = _PATH_LOG };
	int fd, rc = -1, err = 0;

	for (size_t i = 0; i < sizeof(types) / sizeof(types[0]) && rc < 0; i++) {
		fd = socket(AF_UNIX, types[i] | SOCK_CLOEXEC, 0);
		if (fd < 0)
			return -1;
		rc = connect(fd, (struct sockaddr *)&sa, sizeof(sa));
		err = errno;
		close(fd);
		if (rc < 0 && err != EPROTOTYPE)
			break;
	}
	errno = err;
	return rc;
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

/* Made once (uuid4) and never changed: programs and journal queries match
 * them. docs/systemd.md lists them. */
static const char *const event_ids[LOG_EVENT_COUNT] = {
	[LOG_EVENT_HANDLER_START] = "0f20d3c015904264b4f3b7a68e9d50dd",
	[LOG_EVENT_HANDLER_EXIT] = "016d1b5ee7404e2ebbadfe964b25ebbd",
	[LOG_EVENT_INTERNAL] = "e001f781e5e24ec0863c65e75d8259e7",
	[LOG_EVENT_REFUSED] = "7cae5b880d8746719b3aaa75048c3fe5",
	[LOG_EVENT_SPAWN_FAILED] = "1aa41eb84d1144bd8718117cac18a2e8",
	[LOG_EVENT_STARTED] = "509453c49d024f7eb0c7611bd300677b",
	[LOG_EVENT_RELOADED] = "00819a06c33a4c809d6b941203b12473",
	[LOG_EVENT_RELOAD_FAILED] = "42d9ec9670004e96bab8ada187745e9e",
	[LOG_EVENT_STOPPING] = "220c94229d734effaa1480bbbce4be6b",
};

const char *
log_event_id(enum log_event event)
{
	return (unsigned)event < LOG_EVENT_COUNT ? event_ids[event] : NULL;
}

/* Appends "NAME=value" to r; a field that does not fit is left out. */
static void __attribute__((format(printf, 2, 3)))
record_add(struct log_record *r, const char *fmt, ...)
{
	size_t used = 0;
	va_list ap;
	int len;

	if (r->n)
		used = (size_t)((char *)r->iov[r->n - 1].iov_base - r->buf) +
		       r->iov[r->n - 1].iov_len;
	if (r->n == LOG_RECORD_FIELDS || used >= sizeof(r->buf))
		return;
	va_start(ap, fmt);
	len = vsnprintf(r->buf + used, sizeof(r->buf) - used, fmt, ap);
	va_end(ap);
	if (len < 0 || (size_t)len >= sizeof(r->buf) - used)
		return;
	r->iov[r->n].iov_base = r->buf + used;
	r->iov[r->n].iov_len = (size_t)len;
	r->n++;
}

void
log_record_format(struct log_record *r, int prio, const struct log_fields *f,
		  const char *msg)
{
	r->n = 0;
	record_add(r, "MESSAGE=%s", msg);
	record_add(r, "PRIORITY=%d", prio);
	record_add(r, "SYSLOG_IDENTIFIER=%s", log_ident);
	if (!f)
		return;
	if (log_event_id(f->event))
		record_add(r, "MESSAGE_ID=%s", log_event_id(f->event));
	/* Only what is known: an empty field would match nothing useful
	 * and cost space in every entry. */
	if (f->service_id)
		record_add(r, "SERVICE_ID=%s", f->service_id);
	if (f->remote_addr && f->remote_addr[0])
		record_add(r, "REMOTE_ADDR=%s", f->remote_addr);
	if (f->remote_port)
		record_add(r, "REMOTE_PORT=%d", f->remote_port);
	if (f->handler_pid)
		record_add(r, "HANDLER_PID=%d", f->handler_pid);
	if (f->exit_status)
		record_add(r, "EXIT_STATUS=%s", f->exit_status);
	if (f->duration_usec >= 0)
		record_add(r, "DURATION_USEC=%lld", f->duration_usec);
	if (f->refused_reason)
		record_add(r, "REFUSED_REASON=%s", f->refused_reason);
}

bool
log_stream_matches(const char *js, dev_t dev, ino_t ino)
{
	uintmax_t d, i;
	char *end;

	if (!js)
		return false;
	errno = 0;
	d = strtoumax(js, &end, 10);
	if (errno || end == js || *end != ':')
		return false;
	js = end + 1;
	i = strtoumax(js, &end, 10);
	if (errno || end == js || *end)
		return false;
	return d == (uintmax_t)dev && i == (uintmax_t)ino;
}

bool
log_stderr_is_journal(void)
{
	struct stat st;

	if (fstat(STDERR_FILENO, &st) < 0)
		return false;
	return log_stream_matches(getenv("JOURNAL_STREAM"), st.st_dev, st.st_ino);
}

static void
log_emit(int prio, const struct log_fields *f, const char *msg)
{
	struct log_record r;

	switch (target) {
	case LOG_TO_SYSLOG:
		syslog(prio, "%s", msg);
		return;
	case LOG_TO_JOURNAL:
		/* the journal gets the message as fields, formatted here and
		 * sent by sd.c */
		log_record_format(&r, prio, f, msg);
		if (sd_send(r.iov, (int)r.n) == 0)
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

void
log_event(int prio, enum log_event event, const char *fmt, ...)
{
	struct log_fields f = { .event = event, .duration_usec = -1 };
	va_list ap;

	va_start(ap, fmt);
	log_vemit(prio, &f, NULL, fmt, ap);
	va_end(ap);
}
