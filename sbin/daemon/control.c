/* SPDX-License-Identifier: ISC */
/* control: the control socket's server side and the commands, see
 * control.h. */
#include "autoconf.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "base/base.h"
#include "daemon/control.h"
#include "daemon/daemon_state.h"
#include "daemon/rundir.h"
#include "daemon/service_ctl.h"

struct client {
	struct watcher w;
	struct timer idle;
	bool used;
	char in[CONTROL_LINE_MAX];
	size_t inlen;
	char *out;
	size_t outlen, outpos;
};

static struct {
	struct watcher w;
	char *path;
	const struct control_target *to;
	struct client clients[CONTROL_MAX_CLIENTS];
} ctl = { .w.fd = -1 };

/* ---- the commands ---- */

/* {"ok":false,"error":why}: every refusal's answer. */
static void
json_failure(struct json *j, const char *why)
{
	json_object_begin(j, NULL);
	json_bool(j, "ok", false);
	json_string(j, "error", why);
	json_object_end(j);
}

static void
command_reload(struct json *j)
{
	struct diag errs;
	int rc;

	diag_init(&errs);
	logit(LOG_NOTICE, "reload requested through the control socket");
	rc = ctl.to->reload(&errs);
	json_bool(j, "ok", rc == 0);
	json_int(j, "generation", (long long)ctl.to->st->generation);
	if (rc == 0)
		json_string(j, "message", "configuration reloaded");
	else
		json_string(j, "error", "configuration not reloaded: the running one is kept");
	daemon_state_json_errors(j, &errs);
	diag_free(&errs);
}

/* Answers one parsed request with one JSON object. */
static void
command_run(const struct control_request *rq, struct json *j)
{
	char msg[512];
	int rc;

	json_object_begin(j, NULL);
	switch (rq->cmd) {
	case CONTROL_STATUS:
		json_bool(j, "ok", true);
		daemon_state_json(ctl.to->st, ctl.to->table, j);
		break;
	case CONTROL_RELOAD:
		command_reload(j);
		break;
	default:
		rc = service_ctl(ctl.to->table, *ctl.to->cfg, rq->cmd, rq->id, rq->seconds, msg,
				 sizeof(msg));
		json_bool(j, "ok", rc == 0);
		json_string(j, rc == 0 ? "message" : "error", msg);
		break;
	}
	json_object_end(j);
}

/* ---- clients ---- */

static void
client_close(struct client *c)
{
	loop_unwatch(&c->w);
	timer_cancel(&c->idle);
	close(c->w.fd);
	free(c->out);
	memset(c, 0, sizeof(*c));
}

/* A short answer to a client that gets no slot: best effort, never blocks. */
static void
refuse(int fd, const char *why)
{
	char drain[CONTROL_LINE_MAX];
	struct json j;
	const char *text;

	json_init(&j);
	json_failure(&j, why);
	text = json_text(&j);
	if (text && send(fd, text, strlen(text), MSG_DONTWAIT | MSG_NOSIGNAL) < 0)
		debug("control: refusal not sent: %s", strerror(errno));
	json_free(&j);
	/* A request left unread would reach the client as a reset. */
	while (recv(fd, drain, sizeof(drain), MSG_DONTWAIT) > 0)
		;
	close(fd);
}

static void
client_write(struct client *c)
{
	while (c->outpos < c->outlen) {
		ssize_t n = send(c->w.fd, c->out + c->outpos, c->outlen - c->outpos,
				 MSG_DONTWAIT | MSG_NOSIGNAL);

		if (n < 0 && errno == EAGAIN) {
			timer_arm(&c->idle, CONTROL_IDLE_MS);
			loop_watch(&c->w, EPOLLOUT);
			return;
		}
		if (n <= 0) {
			debug("control: client gone before its reply: %s", strerror(errno));
			break;
		}
		c->outpos += (size_t)n;
	}
	client_close(c);
}

/* Answers the request line, or with the error fail when it is not NULL. */
static void
client_answer(struct client *c, const char *fail)
{
	struct control_request rq;
	const char *err = fail, *text;
	struct json j;

	json_init(&j);
	if (fail || control_parse(c->in, c->inlen, &rq, &err) < 0)
		json_failure(&j, err);
	else
		command_run(&rq, &j);
	text = json_text(&j);
	if (!text) {
		json_free(&j);
		logit(LOG_ERR, "control: out of memory for a reply");
		client_close(c);
		return;
	}
	c->outlen = j.len;
	c->out = j.buf;		/* the buffer is the client's now */
	c->outpos = 0;
	client_write(c);
}

static void
client_ready(struct watcher *w, uint32_t events)
{
	struct client *c = container_of(w, struct client, w);
	ssize_t n;
	char *lf;

	if (c->out) {
		client_write(c);
		return;
	}
	n = recv(w->fd, c->in + c->inlen, sizeof(c->in) - c->inlen, MSG_DONTWAIT);
	if (n < 0 && errno == EAGAIN)
		return;
	if (n <= 0) {
		/* end of input: a last line without LF still counts */
		if (c->inlen)
			client_answer(c, NULL);
		else
			client_close(c);
		return;
	}
	c->inlen += (size_t)n;
	if ((lf = memchr(c->in, '\n', c->inlen))) {
		c->inlen = (size_t)(lf - c->in) + 1;
		client_answer(c, NULL);
	} else if (c->inlen == sizeof(c->in)) {
		logit(LOG_WARNING, "control: request longer than %d octets refused",
		      CONTROL_LINE_MAX);
		client_answer(c, "request too long");
	}
}

static void
client_timeout(struct timer *t)
{
	struct client *c = container_of(t, struct client, idle);

	debug("control: idle client closed");
	client_close(c);
}

/* Root and portierd's own user only. */
static bool
peer_allowed(int fd)
{
	struct ucred cred;
	socklen_t len = sizeof(cred);

	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) < 0) {
		logerr(LOG_ERR, "control: SO_PEERCRED");
		return false;
	}
	if (cred.uid == 0 || cred.uid == geteuid())
		return true;
	logit(LOG_WARNING, "control: refused a client of uid %u (pid %d): only root and "
	      "uid %u may use the control socket", (unsigned)cred.uid, (int)cred.pid,
	      (unsigned)geteuid());
	return false;
}

static void
client_start(int fd)
{
	struct client *c = NULL;

	for (int i = 0; i < CONTROL_MAX_CLIENTS && !c; i++)
		if (!ctl.clients[i].used)
			c = &ctl.clients[i];
	if (!c) {
		logit(LOG_WARNING, "control: %d clients already: one refused", CONTROL_MAX_CLIENTS);
		refuse(fd, "busy: too many control clients");
		return;
	}
	*c = (struct client){
		.used = true, .w = { .fd = fd, .fn = client_ready }, .idle.fn = client_timeout,
	};
	if (loop_watch(&c->w, EPOLLIN) < 0) {
		client_close(c);
		return;
	}
	timer_arm(&c->idle, CONTROL_IDLE_MS);
}

static void
control_accept(struct watcher *w, uint32_t events)
{
	for (int i = 0; i < CONTROL_MAX_CLIENTS; i++) {
		int fd = accept4(w->fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);

		if (fd < 0) {
			if (errno != EAGAIN && errno != EINTR && errno != ECONNABORTED)
				logerr(LOG_ERR, "control: accept");
			return;
		}
		if (!peer_allowed(fd))
			refuse(fd, "permission denied: only root and portierd's user may "
			       "use the control socket");
		else
			client_start(fd);
	}
}

/* A socket file left behind by a portierd that died is replaced; a live
 * one (something accepts on it) and anything not a socket are not. */
static int
clear_stale(const struct sockaddr_un *sa)
{
	struct stat st;
	int fd, rc;

	if (lstat(sa->sun_path, &st) < 0)
		return errno == ENOENT ? 0 : -1;
	if (!S_ISSOCK(st.st_mode)) {
		errno = EEXIST;
		return -1;
	}
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	rc = connect(fd, (const struct sockaddr *)sa, sizeof(*sa));
	close(fd);
	if (rc == 0) {
		errno = EADDRINUSE;
		return -1;
	}
	return unlink(sa->sun_path);
}

/* The socket's directory and those above it are created (0755) when
 * missing (a build with the default prefix has its runstatedir under
 * /usr/local/var, which nothing else creates), then checked: in a
 * directory others may write, they could put their own socket in our
 * place, and portierctl would talk to it. */
static int
control_bind(const char *path, char *err, size_t errlen)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	mode_t old;
	int fd, rc;

	if (strlen(path) >= sizeof(sa.sun_path)) {
		snprintf(err, errlen, "%s", strerror(ENAMETOOLONG));
		return -1;
	}
	strcpy(sa.sun_path, path);
	if (rundir_prepare(path, err, errlen) < 0)
		return -1;
	if (clear_stale(&sa) < 0) {
		snprintf(err, errlen, "%s", strerror(errno));
		return -1;
	}
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		snprintf(err, errlen, "socket: %s", strerror(errno));
		return -1;
	}
	/* 0600 from the start: no window for others, and no chmod(2), which
	 * would follow a link put in the socket's place after bind(2). */
	old = umask(0177);
	rc = bind(fd, (struct sockaddr *)&sa, sizeof(sa));
	umask(old);
	if (rc < 0 || listen(fd, CONTROL_MAX_CLIENTS) < 0) {
		int e = errno;

		close(fd);
		if (rc == 0)
			unlink(path);
		snprintf(err, errlen, "%s: %s", rc < 0 ? "bind" : "listen", strerror(e));
		return -1;
	}
	return fd;
}

int
control_open(const char *path, const struct control_target *target)
{
	char err[PATH_MAX + 256];

	ctl.w.fd = control_bind(path, err, sizeof(err));
	if (ctl.w.fd < 0) {
		logit(LOG_ERR, "control socket %s: not available: %s; portierd runs without it",
		      path, err);
		return -1;
	}
	ctl.path = strdup(path);
	ctl.to = target;
	ctl.w.fn = control_accept;
	if (!ctl.path || loop_watch(&ctl.w, EPOLLIN) < 0) {
		logit(LOG_ERR, "control socket %s: cannot watch it", path);
		control_close();
		return -1;
	}
	debug("control socket %s", path);
	return 0;
}

void
control_close(void)
{
	for (int i = 0; i < CONTROL_MAX_CLIENTS; i++)
		if (ctl.clients[i].used)
			client_close(&ctl.clients[i]);
	if (ctl.w.fd >= 0) {
		loop_unwatch(&ctl.w);
		close(ctl.w.fd);
		if (ctl.path && unlink(ctl.path) < 0 && errno != ENOENT)
			logerr(LOG_WARNING, "%s", ctl.path);
	}
	free(ctl.path);
	memset(&ctl, 0, sizeof(ctl));
	ctl.w.fd = -1;
}
