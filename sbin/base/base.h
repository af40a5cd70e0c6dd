/* SPDX-License-Identifier: ISC */
/* base: what both programs use and that depends on nothing else in sbin/.
 * The folder's interface: one section per module, each opening with what
 * the module is for. */
#ifndef PORTIER_BASE_H
#define PORTIER_BASE_H

#include <arpa/inet.h>
#include <stddef.h>
#include <sys/socket.h>
#include <stdio.h>
#include <stdbool.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <syslog.h>
#include <time.h>
#include <stdint.h>

/* addr: socket addresses as text, for logs, status and the environment. */

/* "[ffff:…]:65535/tcp" */
#define ADDR_NAME_MAX (INET6_ADDRSTRLEN + 16)

/* Formats sa as "1.2.3.4" / "::1" into buf (a v4-mapped address reads as
 * IPv4); returns the port (host order). */
int addr_text(const struct sockaddr *sa, char *buf, size_t len);
/* host (addr_text's) and port as "1.2.3.4:80" or "[::1]:53"; like snprintf. */
int addr_join(const char *host, int port, char *buf, size_t len);
/* A socket's name: "1.2.3.4:80/tcp", "[::1]:53/udp", "unix:/run/x.sock". */
void addr_name(const struct sockaddr *sa, int socktype, char *buf, size_t len);
/* The port of an IPv4 or IPv6 address (host order); 0 for other families. */
unsigned addr_port(const struct sockaddr *sa);
/* 0.0.0.0 or :: (every address of the family); false for other families. */
bool addr_is_wildcard(const struct sockaddr *sa);
/* Orders socket addresses: family, then a unix socket's path, or port,
 * IPv6 scope and address; never the padding. <0, 0 or >0. */
int addr_compare(const struct sockaddr *a, const struct sockaddr *b);

/* strv: NULL-terminated vectors of strings that own their strings (argv,
 * environments, lists of names); NULL is the empty vector. */
size_t strv_len(char *const *v);
/* Appends a copy of s; -1 when out of memory (v is unchanged but may have
 * grown). */
int strv_push(char ***v, const char *s);
/* A deep copy; NULL for NULL or when out of memory. */
char **strv_dup(char *const *v);
void strv_free(char **v);
/* Room for need elements of size bytes in the array *arrp (a pointer to the
 * array's pointer) whose capacity is *cap, doubled from 8: 0, or -1 when out
 * of memory (the array is unchanged). */
int array_reserve(void *arrp, size_t *cap, size_t need, size_t size);

/* text: values written for people, in one format for both programs. */

/* t as "2026-12-06 15:42:31" in local time, with " +0100" after it when
 * zone is true; the number of seconds when it cannot be had as a date. */
void text_date(time_t t, bool zone, char *buf, size_t len);

/* diag: a list of diagnostics ("FILE:LINE: message") collected while loading
 * the registry or the configuration, so that every problem is reported in one
 * run and a reload can hand the whole list back to portierctl. */

enum diag_level { DIAG_WARNING, DIAG_ERROR };

struct diag_item {
	enum diag_level level;
	char *text;		/* "FILE:LINE: message"; warnings read "FILE:LINE: warning: message" */
};

struct diag {
	struct diag_item *items;
	size_t count;
	size_t alloc;
	size_t errors;		/* items with DIAG_ERROR */
};

void diag_init(struct diag *d);
void diag_free(struct diag *d);
/* file may be NULL, line 0 means "no line". */
void diag_add(struct diag *d, enum diag_level level, const char *file,
	      int line, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
/* Adds text as it is, already "FILE:LINE: message" (d owns it; NULL counts
 * as out of memory). */
void diag_take(struct diag *d, enum diag_level level, char *text);
/* Writes every item's text, one per line. */
void diag_print(const struct diag *d, FILE *fp);
/* Moves all items of src to the end of dst; src is left empty. */
void diag_move(struct diag *dst, struct diag *src);

/* log: the one place that decides where a message goes: stderr in the
 * foreground, syslog when detached, the journal when asked (sd.c). */

enum log_target { LOG_TO_STDERR, LOG_TO_SYSLOG, LOG_TO_JOURNAL };

/* The kinds of event whose journal entries carry a MESSAGE_ID (a fixed
 * 128-bit id each, listed in docs/systemd.md), so that `journalctl
 * MESSAGE_ID=…` finds them whatever the message's words. */
enum log_event {
	LOG_EVENT_NONE,		/* no MESSAGE_ID */
	LOG_EVENT_HANDLER_START,
	LOG_EVENT_HANDLER_EXIT,
	LOG_EVENT_INTERNAL,	/* an internal service's connection: start, end, served */
	LOG_EVENT_REFUSED,
	LOG_EVENT_SPAWN_FAILED,
	LOG_EVENT_STARTED,	/* portierd is ready */
	LOG_EVENT_RELOADED,
	LOG_EVENT_RELOAD_FAILED,
	LOG_EVENT_STOPPING,
	LOG_EVENT_COUNT
};

/* Structured fields that travel with a message (the journal keeps them as
 * fields, the text targets ignore what the message already says). */
struct log_fields {
	enum log_event event;
	const char *service_id;
	const char *remote_addr;
	int remote_port;	/* 0: none */
	int handler_pid;	/* 0: none */
	const char *exit_status;
	long long duration_usec;	/* -1: none */
	const char *refused_reason;
};

/* A message as journal fields ("NAME=value" each), for sd_send():
 * MESSAGE, PRIORITY, SYSLOG_IDENTIFIER, then MESSAGE_ID and each field of
 * log_fields that is set. */
#define LOG_RECORD_FIELDS 11
struct log_record {
	struct iovec iov[LOG_RECORD_FIELDS];
	size_t n;
	char buf[4096];		/* the texts the iovecs point to */
};

/* The MESSAGE_ID of an event, 32 hex digits; NULL for LOG_EVENT_NONE. */
const char *log_event_id(enum log_event event);
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
/* 0 when a syslog daemon accepts a connection on _PATH_LOG (/dev/log),
 * else -1 with errno. */
int log_syslog_probe(void);
void log_set_debug(bool on);
bool log_debug_enabled(void);

void logit(int prio, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* logit plus ": strerror(errno)" */
void logerr(int prio, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void log_fields(int prio, const struct log_fields *f, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* A message about one of portierd's own events, with its MESSAGE_ID. */
void log_event(int prio, enum log_event event, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#define debug(...) do { if (log_debug_enabled()) logit(LOG_DEBUG, __VA_ARGS__); } while (0)

/* sd: the only module that talks to libsystemd. Built without it, every
 * function here is a no-op that reports "not available". It sends what its
 * callers formatted and calls nothing else in base/. */

/* True when portierd was built with libsystemd. */
bool sd_available(void);
/* "+systemd +journal" or "-systemd -journal": what this build can do. */
const char *sd_features(void);
/* sd_journal_sendv(iov, n): one journal entry of "NAME=value" fields (log.c
 * formats them); 0 on success, -1 when the journal cannot be used (then the
 * caller falls back). */
int sd_send(const struct iovec *iov, int n);

/* The sockets passed by the service manager (sd_listen_fds_with_names with
 * the LISTEN_* variables unset): their number, descriptors from 3 on, and
 * *names gets a NULL-terminated array of their names that the caller frees
 * with strv_free(). 0 when none were passed or in a build without
 * libsystemd; -1 with errno set when LISTEN_* is malformed. */
int sd_listen(char ***names);
/* sd_is_socket_inet(fd, AF_UNSPEC, type, listening, port): true when fd is
 * an IPv4 or IPv6 socket of that type on that port (listening, for streams). */
bool sd_socket_inet(int fd, int type, uint16_t port);

/* sd_notify(0, state); nothing happens when NOTIFY_SOCKET is unset.
 * Returns > 0 when sent, 0 when there is nowhere to send, < 0 on error. */
int sd_notify_state(const char *state);
/* The watchdog interval the service manager asks for, in microseconds; 0
 * when there is none (or it is meant for another process). */
uint64_t sd_watchdog_usec(void);

/* loop: the event loop. One thread, epoll for descriptors, a binary heap of
 * timers on CLOCK_MONOTONIC. Every module that waits for something registers
 * a watcher or a timer here; nothing blocks. */

/* The struct that embeds member m at p (watchers and timers are embedded). */
#ifndef container_of
#define container_of(p, type, m) ((type *)((char *)(p) - offsetof(type, m)))
#endif

struct watcher;
typedef void (*watcher_fn)(struct watcher *w, uint32_t events);

/* Embed in the owner's struct; container_of-style casts get the owner back. */
struct watcher {
	int fd;
	watcher_fn fn;
	uint32_t events;	/* what is currently asked of epoll, 0 = not added */
};

struct timer;
typedef void (*timer_fn)(struct timer *t);

struct timer {
	uint64_t when;		/* loop_now() at which it fires */
	timer_fn fn;
	size_t slot;		/* heap position + 1; 0 = not armed */
};

int loop_init(void);
void loop_exit(void);

/* events: EPOLLIN/EPOLLOUT…; loop_watch with 0 removes the watcher. */
int loop_watch(struct watcher *w, uint32_t events);
void loop_unwatch(struct watcher *w);
/* loop_unwatch() for a watcher whose fd the caller closes right away (which
 * removes it from epoll): saves the epoll_ctl() call. */
void loop_forget(struct watcher *w);

void timer_arm(struct timer *t, uint64_t delay_ms);
void timer_cancel(struct timer *t);

uint64_t loop_now(void);	/* milliseconds, CLOCK_MONOTONIC, cached per iteration */
uint64_t loop_clock_us(void);	/* microseconds, CLOCK_MONOTONIC, read at each call */
int loop_run(void);		/* until loop_stop(); -1 on a fatal epoll error */
void loop_stop(void);

/* json: a small JSON writer (the control socket's replies; portierctl reads
 * them back with ctl/ctl_json.c). It escapes every string, so a service id
 * or a file name can never break the document. Pure: no I/O, tested by
 * tests/unit/check_json.c. */

/* How deep containers nest, for the writer and portierctl's reader. */
#define JSON_MAX_DEPTH 16

struct json {
	char *buf;
	size_t len, cap;
	bool oom;			/* an allocation failed: json_text() is NULL */
	int depth;
	bool more[JSON_MAX_DEPTH + 1];	/* the current container has a member already */
};

void json_init(struct json *j);
void json_free(struct json *j);
/* key is the member name inside an object, NULL inside an array or at the top. */
void json_object_begin(struct json *j, const char *key);
void json_object_end(struct json *j);
void json_array_begin(struct json *j, const char *key);
void json_array_end(struct json *j);
void json_string(struct json *j, const char *key, const char *value);	/* NULL: null */
void json_int(struct json *j, const char *key, long long value);
void json_bool(struct json *j, const char *key, bool value);
/* The document so far, NUL-terminated; NULL when out of memory. */
const char *json_text(const struct json *j);

/* control_proto: the control socket's request lines and durations, pure
 * parsing (tests/unit/check_control.c). One request per connection, one line:
 *   status | reload | enable ID | disable ID | open ID SECONDS | close ID
 * portierctl turns a duration ("30s", "15m", "2h", "3d", "1h30m") into the
 * seconds of `open`. */

/* A request line is at most this long (LF included); longer is refused. */
#define CONTROL_LINE_MAX 512
/* Service ids on the wire: at most this long, printable, no blanks. */
#define CONTROL_ID_MAX 256
/* The longest `open`: a year. Longer belongs in the files (`expires`). */
#define CONTROL_DURATION_MAX (366UL * 24 * 3600)

enum control_cmd {
	CONTROL_STATUS,
	CONTROL_RELOAD,
	CONTROL_ENABLE,
	CONTROL_DISABLE,
	CONTROL_OPEN,
	CONTROL_CLOSE,
};

struct control_request {
	enum control_cmd cmd;
	char id[CONTROL_ID_MAX + 1];	/* enable, disable, open, close */
	unsigned long seconds;		/* open: 1 .. CONTROL_DURATION_MAX */
};

/* Parses one request line (without or with its LF / CR LF). Returns 0, or
 * -1 with *err saying why (a static string). */
int control_parse(const char *line, size_t len, struct control_request *rq, const char **err);

/* "2h", "1h30m", "90s", "3d": units s, m, h, d, each at most once, largest
 * first. Zero, a number without a unit, garbage and more than
 * CONTROL_DURATION_MAX are refused. Returns 0 or -1 with *err. */
int control_duration(const char *s, unsigned long *seconds, const char **err);

/* The request line for rq into buf (with its LF); like snprintf. */
int control_format(const struct control_request *rq, char *buf, size_t len);

#endif
