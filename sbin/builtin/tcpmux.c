/* SPDX-License-Identifier: ISC */
/* tcpmux: RFC 1078 in the event loop.
 *
 * A pending request is one struct mux_conn: a watcher, a timer and the
 * request line (at most BUILTIN_TCPMUX_LINE octets). The line is read with
 * MSG_PEEK and then consumed only up to its end, so whatever the client sends
 * after the CR LF stays in the socket for the handler. The reply ("+Go", or
 * "-" and a reason, or the help list) goes out from the connection's own
 * small buffer; nothing of the tcpmux connection survives the hand-over. */
#include "autoconf.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/epoll.h>
#include <unistd.h>

#include "builtin/builtin.h"
#include "config/config.h"
#include "base/base.h"

struct mux_conn {
	struct watcher w;
	struct timer timeout;
	struct builtin_link link;	/* on builtin.c's list of connections */
	const struct tcpmux_ops *ops;
	void *arg;
	struct sockaddr_storage peer;
	socklen_t peerlen;
	struct tcpmux_req req;
	char *out;		/* reply still to send, then close */
	size_t out_len, out_pos;
};

/* The index: tcpmux services sorted by name, compared without case. */
static const struct service **index_svc;
static size_t index_len;

static int
cmp_name(const void *a, const void *b)
{
	const struct service *const *x = a, *const *y = b;

	return strcasecmp((*x)->name, (*y)->name);
}

int
tcpmux_index(const struct service *svcs, size_t count)
{
	const struct service **v;
	size_t i, n = 0;

	v = calloc(count ? count : 1, sizeof(*v));
	if (!v) {
		logerr(LOG_ERR, "tcpmux index");
		return -1;
	}
	for (i = 0; i < count; i++)
		if (svcs[i].tcpmux && svcs[i].name && svcs[i].name[0])
			v[n++] = &svcs[i];
	/* Equal names: tcpmux_lookup() tries each, and at most one of them is
	 * served (config_load() and portierctl enable see to that). */
	qsort(v, n, sizeof(*v), cmp_name);
	free(index_svc);
	index_svc = v;
	index_len = n;
	return 0;
}

void
tcpmux_index_free(void)
{
	free(index_svc);
	index_svc = NULL;
	index_len = 0;
}

size_t
tcpmux_count(void)
{
	return index_len;
}

const struct service *
tcpmux_lookup(const char *name, const struct tcpmux_ops *ops, void *arg)
{
	size_t lo = 0, hi = index_len;

	while (lo < hi) {	/* the first entry not below name */
		size_t mid = lo + (hi - lo) / 2;

		if (strcasecmp(index_svc[mid]->name, name) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (; lo < index_len && !strcasecmp(index_svc[lo]->name, name); lo++)
		if (ops->serving(index_svc[lo], arg))
			return index_svc[lo];
	return NULL;
}

/* Unread input turns close() into a reset, which can destroy a reply the
 * client has not read yet: read what is waiting (a bounded amount) first. */
static void
mux_drain(int fd)
{
	char buf[4096];

	for (int i = 0; i < 4 && recv(fd, buf, sizeof(buf), MSG_DONTWAIT) > 0; i++)
		;
}

static void
mux_close(struct mux_conn *c)
{
	const struct tcpmux_ops *ops = c->ops;
	void *arg = c->arg;

	loop_unwatch(&c->w);
	timer_cancel(&c->timeout);
	if (c->w.fd >= 0) {
		mux_drain(c->w.fd);
		if (close(c->w.fd) < 0)
			debug("tcpmux fd %d: close: %s", c->w.fd, strerror(errno));
	}
	builtin_link_del(&c->link);
	free(c->out);
	free(c);
	ops->done(arg);
}

/* Sends what is left of the reply; closes when it is all out or the client
 * is gone. */
static void
mux_flush(struct mux_conn *c)
{
	while (c->out_pos < c->out_len) {
		ssize_t n = send(c->w.fd, c->out + c->out_pos, c->out_len - c->out_pos,
				 MSG_DONTWAIT | MSG_NOSIGNAL);

		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)) {
			if (loop_watch(&c->w, EPOLLOUT) < 0)
				break;
			return;
		}
		if (n < 0) {
			debug("tcpmux fd %d: send: %s", c->w.fd, strerror(errno));
			break;
		}
		c->out_pos += (size_t)n;
	}
	mux_close(c);
}

/* Queues "-reason\r\n" (or any text) and starts sending it. */
static void
mux_reply(struct mux_conn *c, const char *text)
{
	/* out of memory: nothing to send, and mux_flush() closes */
	c->out = strdup(text);
	c->out_len = c->out ? strlen(text) : 0;
	mux_flush(c);
}

/* "help": every name served now, one per line (RFC 1078), then close. */
static void
mux_help(struct mux_conn *c)
{
	FILE *f = open_memstream(&c->out, &c->out_len);

	if (!f) {
		mux_close(c);
		return;
	}
	for (size_t i = 0; i < index_len; i++)
		if (c->ops->serving(index_svc[i], c->arg))
			fprintf(f, "%s\r\n", index_svc[i]->name);
	/* out of memory: mux_close() frees what the stream had */
	if (fclose(f) != 0) {
		mux_close(c);
		return;
	}
	mux_flush(c);
}

/* A known name: the target's admission, "+Go", then its handler. */
static void
mux_handoff(struct mux_conn *c, const struct service *svc)
{
	static const char go[] = "+Go\r\n";
	const char *why = c->ops->admit(svc, c->w.fd, (struct sockaddr *)&c->peer, c->peerlen,
					c->arg);
	char msg[128];
	ssize_t n;
	int fd = c->w.fd;

	if (why) {
		snprintf(msg, sizeof(msg), "-%s\r\n", why);
		mux_reply(c, msg);
		return;
	}
	/* A fresh connection's send buffer is empty: five octets go at once
	 * unless the client is already gone. */
	n = send(fd, go, sizeof(go) - 1, MSG_DONTWAIT | MSG_NOSIGNAL);
	if (n != (ssize_t)sizeof(go) - 1) {
		debug("tcpmux fd %d: %s: client gone before +Go", fd, svc->id);
		mux_close(c);
		return;
	}
	loop_unwatch(&c->w);
	c->w.fd = -1;		/* the handler's now */
	c->ops->spawn(svc, fd, (struct sockaddr *)&c->peer, c->peerlen, c->arg);
	mux_close(c);
}

static void
mux_line(struct mux_conn *c)
{
	const struct service *svc;

	if (builtin_tcpmux_is_help(c->req.line)) {
		mux_help(c);
		return;
	}
	svc = tcpmux_lookup(c->req.line, c->ops, c->arg);
	if (!svc) {
		debug("tcpmux fd %d: unknown service '%s'", c->w.fd, c->req.line);
		mux_reply(c, "-Service not available\r\n");
		return;
	}
	mux_handoff(c, svc);
}

static void
mux_read(struct mux_conn *c)
{
	char peek[BUILTIN_TCPMUX_LINE];
	size_t want = BUILTIN_TCPMUX_LINE - c->req.len, used;
	enum tcpmux_parse r;
	ssize_t n;

	/* want is never 0 here: a full line without its end was refused */
	n = recv(c->w.fd, peek, want, MSG_PEEK | MSG_DONTWAIT);
	if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR))
		return;
	if (n <= 0) {
		mux_close(c);	/* gone before naming a service */
		return;
	}
	r = builtin_tcpmux_feed(&c->req, peek, (size_t)n, &used);
	/* consume exactly the request's octets */
	if (used > 0 && recv(c->w.fd, peek, used, MSG_DONTWAIT) != (ssize_t)used) {
		mux_close(c);
		return;
	}
	switch (r) {
	case TCPMUX_MORE:
		return;
	case TCPMUX_LINE:
		mux_line(c);
		return;
	case TCPMUX_TOO_LONG:
		mux_reply(c, "-Request line too long\r\n");
		return;
	case TCPMUX_BAD:
		mux_reply(c, "-Malformed request\r\n");
		return;
	}
}

static void
mux_event(struct watcher *w, uint32_t events)
{
	struct mux_conn *c = container_of(w, struct mux_conn, w);

	if (c->out)
		mux_flush(c);
	else
		mux_read(c);
}

static void
mux_timeout(struct timer *t)
{
	struct mux_conn *c = container_of(t, struct mux_conn, timeout);

	debug("tcpmux fd %d: no request in time, closing", c->w.fd);
	mux_close(c);
}

static void
mux_unlink_close(struct builtin_link *l)
{
	mux_close(container_of(l, struct mux_conn, link));
}

bool
tcpmux_start(const struct service *svc, int fd, const struct sockaddr *peer,
	     socklen_t peerlen, const struct tcpmux_ops *ops, void *arg)
{
	struct mux_conn *c;
	uint64_t ms;

	if (!builtin_tcp_room(svc, fd))
		return false;
	c = calloc(1, sizeof(*c));
	if (!c || peerlen > sizeof(c->peer)) {
		logerr(LOG_ERR, "%s: tcpmux connection", svc->id);
		free(c);
		close(fd);
		return false;
	}
	*c = (struct mux_conn){
		.w = { .fd = fd, .fn = mux_event }, .timeout.fn = mux_timeout, .ops = ops,
		.arg = arg, .peerlen = peerlen,
	};
	memcpy(&c->peer, peer, peerlen);
	builtin_tcpmux_init(&c->req);
	if (loop_watch(&c->w, EPOLLIN) < 0) {
		free(c);
		close(fd);
		return false;
	}
	builtin_link_add(&c->link, mux_unlink_close);
	ms = svc->idle_timeout > 0 ? (uint64_t)svc->idle_timeout * 1000 : TCPMUX_TIMEOUT_MAX_MS;
	timer_arm(&c->timeout, ms < TCPMUX_TIMEOUT_MAX_MS ? ms : TCPMUX_TIMEOUT_MAX_MS);
	return true;
}
