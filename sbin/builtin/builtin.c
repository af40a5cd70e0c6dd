/* SPDX-License-Identifier: ISC */
/* builtin: the internal services in the event loop.
 *
 * A TCP connection is one struct builtin_conn: a watcher, an idle timer and,
 * for echo only, a BUILTIN_ECHO_BUF buffer, all freed at close. Echo watches
 * for input only while its buffer has room and for output only while it holds
 * data, so a client that writes without reading fills its own socket buffers
 * and then simply stalls. chargen sends from one shared pattern ring and
 * needs no buffer; discard reads into one shared scratch buffer. daytime and
 * time answer, and close, inside builtin_tcp_start().
 *
 * UDP has no per-request state: the listening socket's readiness event runs
 * builtin_udp_serve(), which answers a bounded batch of datagrams. */
#include "autoconf.h"

#include <errno.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "builtin/builtin.h"
#include "config/config.h"
#include "base/base.h"

/* Sends (or receives) per readiness event before yielding to the others. */
#define BUILTIN_IO_ROUNDS	8

struct builtin_conn {
	struct watcher w;
	struct timer idle;
	struct builtin_link link;	/* every open connection */
	enum builtin_kind kind;
	uint64_t idle_ms;	/* 0: no idle timeout */
	uint64_t last;		/* loop_now() of the last octet moved */
	builtin_done_fn done;
	void *arg;
	size_t pos;		/* chargen: offset in the pattern */
	size_t head, tail;	/* echo: buf[head..tail) waits to be sent */
	bool eof;		/* the client sent FIN */
	char buf[];		/* echo only */
};

static LIST_HEAD(, builtin_link) conns = LIST_HEAD_INITIALIZER(conns);
static size_t nconns;

/* Read and dropped (discard, and whatever clients send to chargen, daytime,
 * time), the UDP request/reply buffer and the TCP daytime and time answer:
 * one for everything, as the loop runs one callback at a time. Large enough
 * for any UDP datagram. */
static char scratch[65536];

static struct builtin_rl udp_rl;
static bool udp_rl_ready;
static uint64_t prng_state;

bool
builtin_tcp_room(const struct service *svc, int fd)
{
	static uint64_t said;
	uint64_t now = loop_now();

	if (nconns < BUILTIN_MAX_CONNS)
		return true;
	/* at most one line a minute: a flood must not flood the log */
	if (!said || now - said >= 60000) {
		logit(LOG_WARNING, "%s: %d internal connections open: refusing more",
		      svc->id, BUILTIN_MAX_CONNS);
		said = now ? now : 1;
	}
	close(fd);
	return false;
}

/* Reads what the client sent and drops it. Returns 1 while more may come,
 * 0 at EOF, -1 on an error (already logged at debug level). */
static int
drain(int fd)
{
	for (int i = 0; i < BUILTIN_IO_ROUNDS; i++) {
		ssize_t n = recv(fd, scratch, sizeof(scratch), MSG_DONTWAIT);

		if (n > 0)
			continue;
		if (n == 0)
			return 0;
		if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)
			return 1;
		debug("internal connection fd %d: recv: %s", fd, strerror(errno));
		return -1;
	}
	return 1;
}

/* One send of at most len octets: the count sent, 0 when the socket is full,
 * -1 when the client is gone. */
static ssize_t
send_some(int fd, const char *p, size_t len)
{
	ssize_t n = send(fd, p, len, MSG_DONTWAIT | MSG_NOSIGNAL);

	if (n >= 0)
		return n;
	if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)
		return 0;
	debug("internal connection fd %d: send: %s", fd, strerror(errno));
	return -1;
}

/* xorshift64*, seeded once from the kernel: chargen's UDP reply lengths need
 * to vary, not to be secret. */
static uint64_t
prng_next(void)
{
	uint64_t x = prng_state;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	prng_state = x;
	return x * 0x2545f4914f6cdd1dULL;
}

/* The reply to a request of n octets (already in scratch); its length, or
 * -1 for none (discard). Over TCP, daytime and time answer the same. */
static ssize_t
reply(enum builtin_kind kind, size_t n, const char **out)
{
	static size_t chargen_line;
	size_t len;

	*out = scratch;
	switch (kind) {
	case BUILTIN_ECHO:
		return (ssize_t)n;
	case BUILTIN_DAYTIME:
		len = builtin_daytime(time(NULL), scratch, sizeof(scratch));
		return len ? (ssize_t)len : -1;
	case BUILTIN_TIME:
		builtin_time_wire(time(NULL), (unsigned char *)scratch);
		return 4;
	case BUILTIN_CHARGEN:
		/* the pattern from the next line on, so replies rotate as the
		 * stream does */
		*out = builtin_chargen_at(chargen_line * (BUILTIN_CHARGEN_LINE + 2));
		chargen_line = (chargen_line + 1) % BUILTIN_CHARGEN_LINES;
		return (ssize_t)(prng_next() % (BUILTIN_CHARGEN_UDP_MAX + 1));
	default:
		return -1;
	}
}

/* daytime and time over TCP: one answer, then close. Input already waiting
 * is read first, so the close does not turn into a reset that could destroy
 * the answer at the client. */
static void
answer_once(enum builtin_kind kind, int fd)
{
	const char *out;
	ssize_t len = reply(kind, 0, &out);

	if (len > 0)
		send_some(fd, out, (size_t)len);
	drain(fd);
	close(fd);
}

/* Echo: read while there is room, write while there is data, until neither
 * moves (or BUILTIN_IO_ROUNDS): a short request and its FIN are answered
 * and closed in one go. */
static int
echo_io(struct builtin_conn *c)
{
	for (int i = 0; i < BUILTIN_IO_ROUNDS; i++) {
		bool moved = false;
		ssize_t n;

		if (!c->eof && c->tail < BUILTIN_ECHO_BUF) {
			n = recv(c->w.fd, c->buf + c->tail, BUILTIN_ECHO_BUF - c->tail,
				 MSG_DONTWAIT);
			if (n > 0) {
				c->tail += (size_t)n;
				moved = true;
			} else if (n == 0) {
				c->eof = moved = true;
			} else if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) {
				debug("echo fd %d: recv: %s", c->w.fd, strerror(errno));
				return -1;
			}
		}
		if (c->head < c->tail) {
			n = send_some(c->w.fd, c->buf + c->head, c->tail - c->head);
			if (n < 0)
				return -1;
			c->head += (size_t)n;
			moved |= n > 0;
			if (c->head == c->tail) {
				c->head = c->tail = 0;
			} else if (c->tail == BUILTIN_ECHO_BUF && c->head > 0) {
				memmove(c->buf, c->buf + c->head, c->tail - c->head);
				c->tail -= c->head;
				c->head = 0;
			}
		}
		if (c->eof && c->head == c->tail)
			return 0;
		if (!moved)
			break;
		c->last = loop_now();
	}
	return 1;
}

static int
chargen_io(struct builtin_conn *c, uint32_t events)
{
	/* Input is dropped; the client's FIN only stops the reading: chargen
	 * streams until the client closes (send fails) or stops reading (the
	 * idle timeout), as BSD inetd's does. */
	if (!c->eof && (events & (EPOLLIN | EPOLLHUP | EPOLLERR))) {
		int r = drain(c->w.fd);

		if (r < 0)
			return -1;
		c->eof = r == 0;
	}
	if (!(events & (EPOLLOUT | EPOLLHUP | EPOLLERR)))
		return 1;
	for (int i = 0; i < BUILTIN_IO_ROUNDS; i++) {
		ssize_t n = send_some(c->w.fd, builtin_chargen_at(c->pos), BUILTIN_CHARGEN_PERIOD);

		if (n < 0)
			return -1;
		if (n == 0)
			break;
		c->pos = (c->pos + (size_t)n) % BUILTIN_CHARGEN_PERIOD;
		c->last = loop_now();
	}
	return 1;
}

static int
discard_io(struct builtin_conn *c)
{
	int r = drain(c->w.fd);

	if (r > 0)
		c->last = loop_now();
	return r;
}

/* What the connection waits for now. */
static uint32_t
conn_interest(const struct builtin_conn *c)
{
	switch (c->kind) {
	case BUILTIN_ECHO:
		return (!c->eof && c->tail < BUILTIN_ECHO_BUF ? EPOLLIN : 0) |
		       (c->head < c->tail ? EPOLLOUT : 0);
	case BUILTIN_CHARGEN:
		return EPOLLOUT | (c->eof ? 0 : EPOLLIN);
	default:
		return EPOLLIN;
	}
}

/* 1 while the connection goes on, 0 when it is over, -1 on an error. */
static int
conn_io(struct builtin_conn *c, uint32_t events)
{
	switch (c->kind) {
	case BUILTIN_ECHO:
		return echo_io(c);
	case BUILTIN_CHARGEN:
		return chargen_io(c, events);
	default:
		return discard_io(c);
	}
}

static void
conn_close(struct builtin_conn *c)
{
	builtin_done_fn done = c->done;
	void *arg = c->arg;

	loop_unwatch(&c->w);
	timer_cancel(&c->idle);
	if (close(c->w.fd) < 0)
		debug("%s fd %d: close: %s", builtin_kind_name(c->kind), c->w.fd, strerror(errno));
	builtin_link_del(&c->link);
	free(c);
	done(arg);
}

static void
conn_event(struct watcher *w, uint32_t events)
{
	struct builtin_conn *c = container_of(w, struct builtin_conn, w);

	if (conn_io(c, events) <= 0 || loop_watch(&c->w, conn_interest(c)) < 0)
		conn_close(c);
}

/* Fires idle_ms after the start or the last check; closes the connection
 * when nothing moved since, else waits for the rest of the period. Progress
 * only stamps c->last, so busy connections never touch the timer heap. */
static void
conn_idle(struct timer *t)
{
	struct builtin_conn *c = container_of(t, struct builtin_conn, idle);
	uint64_t quiet = loop_now() - c->last;

	if (quiet < c->idle_ms) {
		timer_arm(&c->idle, c->idle_ms - quiet);
		return;
	}
	debug("%s fd %d: idle for %llu ms, closing", builtin_kind_name(c->kind),
	      c->w.fd, (unsigned long long)quiet);
	conn_close(c);
}

static void
conn_unlink_close(struct builtin_link *l)
{
	conn_close(container_of(l, struct builtin_conn, link));
}

enum builtin_start
builtin_tcp_start(const struct service *svc, int fd, builtin_done_fn done, void *arg)
{
	enum builtin_kind kind = builtin_kind(svc->name);
	struct builtin_conn *c;
	bool over;

	switch (kind) {
	case BUILTIN_DAYTIME:
	case BUILTIN_TIME:
		answer_once(kind, fd);
		return BUILTIN_FINISHED;
	case BUILTIN_ECHO:
	case BUILTIN_DISCARD:
	case BUILTIN_CHARGEN:
		break;
	default:
		logit(LOG_ERR, "%s: not an internal stream service", svc->id);
		close(fd);
		return BUILTIN_REFUSED;
	}
	if (!builtin_tcp_room(svc, fd))
		return BUILTIN_REFUSED;
	/* the echo buffer needs no zeroing: only what recv() wrote is sent */
	c = malloc(sizeof(*c) + (kind == BUILTIN_ECHO ? BUILTIN_ECHO_BUF : 0));
	if (!c) {
		logerr(LOG_ERR, "%s: connection", svc->id);
		close(fd);
		return BUILTIN_REFUSED;
	}
	*c = (struct builtin_conn){
		.w = { .fd = fd, .fn = conn_event }, .idle.fn = conn_idle, .kind = kind,
		.idle_ms = svc->idle_timeout > 0 ? (uint64_t)svc->idle_timeout * 1000 : 0,
		.last = loop_now(),
	};
	/* The request is often there already: a short echo or discard is over
	 * before it would cost an epoll registration and a timer. */
	over = kind != BUILTIN_CHARGEN && conn_io(c, EPOLLIN) <= 0;
	if (over || loop_watch(&c->w, conn_interest(c)) < 0) {
		close(fd);
		free(c);
		return over ? BUILTIN_FINISHED : BUILTIN_REFUSED;
	}
	builtin_link_add(&c->link, conn_unlink_close);
	if (c->idle_ms)
		timer_arm(&c->idle, c->idle_ms);
	/* set last: a refusal above must not call done() */
	c->done = done;
	c->arg = arg;
	return BUILTIN_STARTED;
}

void
builtin_link_add(struct builtin_link *l, void (*close_fn)(struct builtin_link *l))
{
	l->close = close_fn;
	LIST_INSERT_HEAD(&conns, l, entry);
	nconns++;
}

void
builtin_link_del(struct builtin_link *l)
{
	LIST_REMOVE(l, entry);
	nconns--;
}

void
builtin_close_all(void)
{
	while (!LIST_EMPTY(&conns))
		LIST_FIRST(&conns)->close(LIST_FIRST(&conns));
}

static void
udp_init(void)
{
	uint64_t seed[2] = { 0, 0 };

	if (getrandom(seed, sizeof(seed), GRND_NONBLOCK) != (ssize_t)sizeof(seed)) {
		/* early boot, no entropy yet: the time will do for these two */
		seed[0] = (uint64_t)time(NULL) ^ ((uint64_t)getpid() << 32);
		seed[1] = loop_now() * 0x9e3779b97f4a7c15ULL;
	}
	builtin_rl_init(&udp_rl, BUILTIN_UDP_RATE, BUILTIN_UDP_BURST, seed[0]);
	prng_state = seed[1] | 1;
	udp_rl_ready = true;
}

void
builtin_udp_serve(const struct service *svc, int fd, builtin_own_fn own,
		  builtin_admit_fn admit, void *arg)
{
	enum builtin_kind kind = builtin_kind(svc->name);

	if (!udp_rl_ready)
		udp_init();
	for (int i = 0; i < BUILTIN_UDP_BATCH; i++) {
		struct sockaddr_storage src;
		struct iovec iov = { .iov_base = scratch, .iov_len = sizeof(scratch) };
		/* cmsghdr-aligned, as CMSG_FIRSTHDR() reads it in place */
		union { struct cmsghdr align; char buf[PKTINFO_SPACE]; } req_ctl, reply_ctl;
		struct msghdr msg = {
			.msg_name = &src, .msg_namelen = sizeof(src), .msg_iov = &iov,
			.msg_iovlen = 1, .msg_control = req_ctl.buf,
			.msg_controllen = sizeof(req_ctl.buf),
		};
		const char *out;
		ssize_t n, len;

		n = recvmsg(fd, &msg, MSG_DONTWAIT | MSG_TRUNC);
		if (n < 0) {
			if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)
				logerr(LOG_WARNING, "%s: recvmsg", svc->id);
			return;
		}
		if ((size_t)n > sizeof(scratch))
			continue;	/* cannot happen for UDP; never echo a part */
		/* Policy first, then the rate, and only then admission, whose
		 * refusals are logged: a spoofed flood is dropped before it can
		 * flood the log too. A source that is one of our own sockets
		 * never spends a token: the rate is per address, and a loop
		 * spoofed from 127.0.0.1 would starve every real client there. */
		unsigned sport = addr_port((struct sockaddr *)&src);

		if (!builtin_udp_port_ok(kind, sport)) {
			debug("%s: request from port %u dropped (loop guard)", svc->id, sport);
			continue;
		}
		if (own((struct sockaddr *)&src)) {
			debug("%s: request from our own port %u dropped (loop guard)", svc->id,
			      sport);
			continue;
		}
		if (!builtin_rl_allow(&udp_rl, (struct sockaddr *)&src, loop_now())) {
			debug("%s: request dropped (per-source rate)", svc->id);
			continue;
		}
		switch (admit(svc, (struct sockaddr *)&src, msg.msg_namelen, arg)) {
		case BUILTIN_ADMIT:
			break;
		case BUILTIN_DENY:
			continue;
		case BUILTIN_DENY_STOP:
			return;
		}
		len = reply(kind, (size_t)n, &out);
		if (len < 0)
			continue;
		/* the reply leaves from the address the request was sent to */
		iov.iov_base = (void *)out;
		iov.iov_len = (size_t)len;
		msg.msg_controllen = pktinfo_reply(&msg, reply_ctl.buf, sizeof(reply_ctl.buf));
		msg.msg_control = msg.msg_controllen ? reply_ctl.buf : NULL;
		msg.msg_flags = 0;
		if (sendmsg(fd, &msg, MSG_DONTWAIT | MSG_NOSIGNAL) < 0)
			debug("%s: sendmsg: %s", svc->id, strerror(errno));
	}
}
