/* SPDX-License-Identifier: ISC */
/* loadgen: the benchmark's client. Keeps N connections in flight against one
 * loopback server: connect, optionally send a payload and shut the write side,
 * read to EOF, close; or, with -u, one UDP request and its reply. Stops after
 * COUNT attempts or SECONDS, whichever comes first, and prints one line:
 *   conns=… errors=… secs=… conn_s=… p50_us=… p99_us=…
 * Latency is measured from connect() to EOF (or to the UDP reply). */
#include "autoconf.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MAX_CONC	4096	/* more clients than this is not what we measure */
#define MAX_COUNT	10000000
#define MAX_JOBS	64
#define READ_CHUNK	4096
#define EXPECT_MAX	256

enum slot_state { SLOT_IDLE, SLOT_CONNECTING, SLOT_READING };

struct slot {
	int fd;
	enum slot_state state;
	uint64_t start_ns;
	size_t got;		/* bytes read so far */
	bool mismatch;		/* reply differs from -e */
};

struct opts {
	bool udp;
	int jobs;
	int conc;
	long count;
	double seconds;
	int timeout_ms;
	const char *send;
	size_t send_len;
	const char *expect;
	size_t expect_len;
	bool verbose;
	struct sockaddr_storage addr;
	socklen_t addrlen;
};

/* One per worker thread: its share of the clients and of the count. */
struct run {
	const struct opts *o;
	pthread_t thread;
	int conc;
	long count;
	uint64_t t0;
	int status;		/* 0, or -1 when the worker failed */
	int ep;
	struct slot *slots;
	uint32_t *lat_us;	/* one per successful connection */
	long started;
	long done;
	long errors;
	long err_connect, err_reset, err_timeout, err_reply;
	bool stopping;		/* duration reached: start nothing new */
};

static uint64_t
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static void
usage(void)
{
	fprintf(stderr,
		"usage: loadgen [-u] [-j THREADS] [-c CONC] [-n COUNT] [-t SECONDS] [-T TIMEOUT_MS]\n"
		"               [-s PAYLOAD] [-e EXPECT] [-v] ADDRESS PORT\n");
	exit(2);
}

static long
parse_num(const char *s, long lo, long hi, const char *what)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || *end || v < lo || v > hi) {
		fprintf(stderr, "loadgen: %s: %s: expected %ld..%ld\n", what, s, lo, hi);
		exit(2);
	}
	return v;
}

static void
parse_addr(struct opts *o, const char *host, const char *port)
{
	struct sockaddr_in *sin = (struct sockaddr_in *)&o->addr;
	struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&o->addr;
	unsigned p = (unsigned)parse_num(port, 1, 65535, "port");

	memset(&o->addr, 0, sizeof(o->addr));
	if (inet_pton(AF_INET, host, &sin->sin_addr) == 1) {
		sin->sin_family = AF_INET;
		sin->sin_port = htons(p);
		o->addrlen = sizeof(*sin);
	} else if (inet_pton(AF_INET6, host, &sin6->sin6_addr) == 1) {
		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons(p);
		o->addrlen = sizeof(*sin6);
	} else {
		/* Numeric only: a benchmark must not wait for a resolver. */
		fprintf(stderr, "loadgen: %s: not a numeric address\n", host);
		exit(2);
	}
}

static void
parse_opts(struct opts *o, int argc, char *argv[])
{
	int c;

	*o = (struct opts){ .jobs = 1, .conc = 8, .count = 2000, .seconds = 30, .timeout_ms = 5000 };
	while ((c = getopt(argc, argv, "uj:c:n:t:T:s:e:v")) != -1) {
		switch (c) {
		case 'u':
			o->udp = true;
			break;
		case 'j':
			o->jobs = (int)parse_num(optarg, 1, MAX_JOBS, "-j");
			break;
		case 'c':
			o->conc = (int)parse_num(optarg, 1, MAX_CONC, "-c");
			break;
		case 'n':
			o->count = parse_num(optarg, 1, MAX_COUNT, "-n");
			break;
		case 't':
			o->seconds = (double)parse_num(optarg, 1, 86400, "-t");
			break;
		case 'T':
			o->timeout_ms = (int)parse_num(optarg, 1, 600000, "-T");
			break;
		case 's':
			o->send = optarg;
			o->send_len = strlen(optarg);
			break;
		case 'e':
			o->expect = optarg;
			o->expect_len = strlen(optarg);
			if (o->expect_len > EXPECT_MAX) {
				fprintf(stderr, "loadgen: -e: longer than %d bytes\n", EXPECT_MAX);
				exit(2);
			}
			break;
		case 'v':
			o->verbose = true;
			break;
		default:
			usage();
		}
	}
	if (argc - optind != 2)
		usage();
	parse_addr(o, argv[optind], argv[optind + 1]);
	if (o->udp && !o->send) {
		o->send = "x";
		o->send_len = 1;
	}
	if (o->conc > o->count)
		o->conc = (int)o->count;
	if (o->jobs > o->conc)
		o->jobs = o->conc;
}

static void
slot_close(struct run *r, struct slot *s)
{
	if (s->fd >= 0 && close(s->fd) < 0)
		perror("loadgen: close");
	s->fd = -1;
	s->state = SLOT_IDLE;
}

static void
slot_fail(struct run *r, struct slot *s, long *counter)
{
	(*counter)++;
	r->errors++;
	r->done++;
	slot_close(r, s);
}

/* Counts an error by its errno (read before anything can change it). */
static void
slot_error(struct run *r, struct slot *s, const char *what, long *counter)
{
	if (r->o->verbose)
		fprintf(stderr, "loadgen: %s: %s\n", what, strerror(errno));
	slot_fail(r, s, counter);
}

static void
slot_succeed(struct run *r, struct slot *s)
{
	uint64_t us = (now_ns() - s->start_ns) / 1000;

	if (s->mismatch || (r->o->expect && s->got < r->o->expect_len)) {
		slot_fail(r, s, &r->err_reply);
		return;
	}
	r->lat_us[r->done - r->errors] = us > UINT32_MAX ? UINT32_MAX : (uint32_t)us;
	r->done++;
	slot_close(r, s);
}

/* Compares what arrived with the expected reply, as far as both go. */
static void
slot_check(struct run *r, struct slot *s, const char *buf, size_t n)
{
	const struct opts *o = r->o;
	size_t off = s->got;

	if (o->expect && off < o->expect_len) {
		size_t cmp = o->expect_len - off < n ? o->expect_len - off : n;

		if (memcmp(o->expect + off, buf, cmp) != 0)
			s->mismatch = true;
	}
	s->got += n;
}

/* Sends the payload and shuts the write side; 1 when the socket is not
 * connected yet (wait for EPOLLOUT), 0 when done, -1 on error. */
static int
slot_send(struct run *r, struct slot *s)
{
	const struct opts *o = r->o;

	/* Small payloads fit the socket buffer: one send is enough. */
	if (send(s->fd, o->send, o->send_len, MSG_NOSIGNAL) != (ssize_t)o->send_len)
		return errno == EAGAIN || errno == ENOTCONN ? 1 : -1;
	if (!o->udp && shutdown(s->fd, SHUT_WR) < 0)
		return -1;
	return 0;
}

/* On loopback the handshake is done before connect() returns, so the slot
 * goes straight to reading (and sending); a refused connection shows up as
 * the error of the first recv(). Only a slow handshake costs an EPOLLOUT. */
static int
slot_start(struct run *r, struct slot *s)
{
	const struct opts *o = r->o;
	struct epoll_event ev = { .events = EPOLLIN, .data.ptr = s };
	int type = (o->udp ? SOCK_DGRAM : SOCK_STREAM) | SOCK_NONBLOCK | SOCK_CLOEXEC;
	int sent = 0;

	s->fd = socket(o->addr.ss_family, type, 0);
	if (s->fd < 0) {
		perror("loadgen: socket");
		return -1;
	}
	s->start_ns = now_ns();
	s->got = 0;
	s->mismatch = false;
	r->started++;
	if (connect(s->fd, (struct sockaddr *)&o->addr, o->addrlen) < 0 && errno != EINPROGRESS) {
		slot_error(r, s, "connect", &r->err_connect);
		return 0;
	}
	if (o->send)
		sent = slot_send(r, s);
	if (sent < 0) {
		slot_error(r, s, "send", &r->err_reset);
		return 0;
	}
	s->state = sent ? SLOT_CONNECTING : SLOT_READING;
	if (sent)
		ev.events = EPOLLOUT;
	if (epoll_ctl(r->ep, EPOLL_CTL_ADD, s->fd, &ev) < 0) {
		perror("loadgen: epoll_ctl");
		return -1;
	}
	return 0;
}

static void
slot_connected(struct run *r, struct slot *s)
{
	struct epoll_event ev = { .events = EPOLLIN, .data.ptr = s };
	int sent = slot_send(r, s);

	if (sent > 0)
		return;
	if (sent < 0) {
		slot_error(r, s, "send", errno == ECONNREFUSED ? &r->err_connect : &r->err_reset);
		return;
	}
	s->state = SLOT_READING;
	if (epoll_ctl(r->ep, EPOLL_CTL_MOD, s->fd, &ev) < 0) {
		perror("loadgen: epoll_ctl");
		slot_fail(r, s, &r->err_connect);
	}
}

static void
slot_readable(struct run *r, struct slot *s)
{
	char buf[READ_CHUNK];
	ssize_t n;

	for (;;) {
		n = recv(s->fd, buf, sizeof(buf), 0);
		if (n > 0) {
			slot_check(r, s, buf, (size_t)n);
			if (r->o->udp) {
				slot_succeed(r, s);
				return;
			}
			continue;
		}
		if (n == 0) {
			slot_succeed(r, s);
			return;
		}
		if (errno == EAGAIN || errno == EINTR)
			return;
		slot_error(r, s, "recv", errno == ECONNREFUSED ? &r->err_connect : &r->err_reset);
		return;
	}
}

static void
expire(struct run *r, uint64_t now)
{
	uint64_t limit = (uint64_t)r->o->timeout_ms * 1000000u;
	int i;

	for (i = 0; i < r->conc; i++) {
		struct slot *s = &r->slots[i];

		if (s->state != SLOT_IDLE && now - s->start_ns > limit)
			slot_fail(r, s, &r->err_timeout);
	}
}

static int
refill(struct run *r)
{
	int i;

	for (i = 0; i < r->conc; i++) {
		struct slot *s = &r->slots[i];

		if (s->state == SLOT_IDLE && !r->stopping && r->started < r->count &&
		    slot_start(r, s) < 0)
			return -1;
	}
	return 0;
}

static int
run_events(struct run *r, uint64_t t0)
{
	struct epoll_event evs[64];
	uint64_t deadline = t0 + (uint64_t)(r->o->seconds * 1e9);
	uint64_t last_expire = t0, now;
	int n, i;

	while (r->done < r->started || (!r->stopping && r->started < r->count)) {
		if (refill(r) < 0)
			return -1;
		n = epoll_wait(r->ep, evs, 64, 10);
		if (n < 0 && errno != EINTR) {
			perror("loadgen: epoll_wait");
			return -1;
		}
		for (i = 0; i < n; i++) {
			struct slot *s = evs[i].data.ptr;

			if (s->state == SLOT_CONNECTING)
				slot_connected(r, s);
			else if (s->state == SLOT_READING)
				slot_readable(r, s);
		}
		now = now_ns();
		if (now >= deadline)
			r->stopping = true;
		if (now - last_expire > 10000000u) {
			expire(r, now);
			last_expire = now;
		}
	}
	return 0;
}

static int
cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

static uint32_t
percentile(const uint32_t *v, long n, int pct)
{
	long i;

	if (n == 0)
		return 0;
	i = (n * pct + 99) / 100 - 1;	/* nearest rank */
	return v[i < 0 ? 0 : i];
}

static void *
worker(void *arg)
{
	struct run *r = arg;
	int i;

	r->slots = calloc((size_t)r->conc, sizeof(*r->slots));
	r->lat_us = calloc((size_t)r->count, sizeof(*r->lat_us));
	r->ep = epoll_create1(EPOLL_CLOEXEC);
	if (!r->slots || !r->lat_us || r->ep < 0) {
		perror("loadgen: worker");
		r->status = -1;
		return NULL;
	}
	for (i = 0; i < r->conc; i++)
		r->slots[i].fd = -1;
	r->status = run_events(r, r->t0);
	return NULL;
}

/* Merges the workers' figures into the first one's. */
static int
merge(struct run *runs, int n)
{
	struct run *all = &runs[0];
	long ok = all->done - all->errors;
	int i;

	for (i = 1; i < n; i++) {
		struct run *r = &runs[i];
		long rok = r->done - r->errors;

		all->lat_us = realloc(all->lat_us, (size_t)(ok + rok + 1) * sizeof(*all->lat_us));
		if (!all->lat_us) {
			perror("loadgen: realloc");
			return -1;
		}
		memcpy(all->lat_us + ok, r->lat_us, (size_t)rok * sizeof(*r->lat_us));
		ok += rok;
		all->done += r->done;
		all->errors += r->errors;
		all->err_connect += r->err_connect;
		all->err_reset += r->err_reset;
		all->err_timeout += r->err_timeout;
		all->err_reply += r->err_reply;
	}
	return 0;
}

static void
report(struct run *r, double secs)
{
	long ok = r->done - r->errors;

	qsort(r->lat_us, (size_t)ok, sizeof(*r->lat_us), cmp_u32);
	printf("conns=%ld errors=%ld secs=%.3f conn_s=%.1f p50_us=%u p99_us=%u\n",
	       ok, r->errors, secs, secs > 0 ? ok / secs : 0.0,
	       percentile(r->lat_us, ok, 50), percentile(r->lat_us, ok, 99));
	if (r->errors)
		fprintf(stderr, "loadgen: errors: connect %ld, reset %ld, timeout %ld, reply %ld\n",
			r->err_connect, r->err_reset, r->err_timeout, r->err_reply);
}

int
main(int argc, char *argv[])
{
	struct run runs[MAX_JOBS];
	struct opts o;
	uint64_t t0;
	int i;

	parse_opts(&o, argc, argv);
	memset(runs, 0, sizeof(runs));
	t0 = now_ns();
	for (i = 0; i < o.jobs; i++) {
		runs[i].o = &o;
		runs[i].t0 = t0;
		runs[i].conc = o.conc / o.jobs + (i < o.conc % o.jobs);
		runs[i].count = o.count / o.jobs + (i < o.count % o.jobs);
		if (pthread_create(&runs[i].thread, NULL, worker, &runs[i]) != 0) {
			fprintf(stderr, "loadgen: pthread_create failed\n");
			return 1;
		}
	}
	for (i = 0; i < o.jobs; i++) {
		pthread_join(runs[i].thread, NULL);
		if (runs[i].status < 0)
			return 1;
	}
	if (merge(runs, o.jobs) < 0)
		return 1;
	report(&runs[0], (double)(now_ns() - t0) / 1e9);
	return runs[0].errors ? 3 : 0;
}
