/* log: the one place that decides where a message goes: stderr in the
 * foreground, syslog when detached, the journal when asked (sd.c). */
#ifndef PORTIER_LOG_H
#define PORTIER_LOG_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <syslog.h>

enum log_target { LOG_TO_STDERR, LOG_TO_SYSLOG, LOG_TO_JOURNAL };

/* Structured fields that travel with a message (the journal keeps them as
 * fields, the text targets ignore what the message already says). */
struct log_fields {
	const char *service_id;
	const char *remote_addr;
	int remote_port;	/* 0: none */
	int handler_pid;	/* 0: none */
	const char *exit_status;
	long long duration_usec;	/* -1: none */
	const char *refused_reason;
};

/* A message as journal fields ("NAME=value" each), for sd_journal_sendv:
 * MESSAGE, PRIORITY, SYSLOG_IDENTIFIER, then each field of log_fields that
 * is set. */
#define LOG_RECORD_FIELDS 10
struct log_record {
	struct iovec iov[LOG_RECORD_FIELDS];
	size_t n;
	char buf[4096];		/* the texts the iovecs point to */
};

/* Fills r from a message and its fields (f may be NULL). Pure: no I/O. */
void log_record_format(struct log_record *r, int prio, const struct log_fields *f,
		       const char *msg);
/* True when JOURNAL_STREAM ("DEV:INODE", as systemd sets it) names the file
 * with this device and inode. Pure. */
bool log_stream_matches(const char *journal_stream, dev_t dev, ino_t ino);
/* True when our stderr is the journal's stream (systemd.exec(5),
 * JOURNAL_STREAM): then the journal is the natural default target. */
bool log_stderr_is_journal(void);

void log_open(const char *ident, enum log_target target, int facility);
void log_set_debug(bool on);
bool log_debug_enabled(void);
enum log_target log_target(void);

void logit(int prio, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* logit plus ": strerror(errno)" */
void logerr(int prio, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void log_fields(int prio, const struct log_fields *f, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#define debug(...) do { if (log_debug_enabled()) logit(LOG_DEBUG, __VA_ARGS__); } while (0)

#endif
