/* SPDX-License-Identifier: ISC */
/* listener: listening sockets, see listener.h */
#include "autoconf.h"

#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <string.h>
#include <unistd.h>

#include "config/config.h"
#include "daemon/listener.h"
#include "daemon/rundir.h"
#include "base/base.h"

#define SOMAXCONN_PATH "/proc/sys/net/core/somaxconn"

/* The backlog the service asks for, else the kernel's ceiling (read once). */
static int
listener_backlog(const struct listener_opts *o)
{
	static int somaxconn;
	FILE *fp;

	if (o->backlog > 0)
		return o->backlog;
	if (somaxconn > 0)
		return somaxconn;
	somaxconn = SOMAXCONN;
	fp = fopen(SOMAXCONN_PATH, "re");
	if (fp) {
		int v;

		if (fscanf(fp, "%d", &v) == 1 && v > 0)
			somaxconn = v;
		fclose(fp);
	}
	return somaxconn;
}

/* Fills wildcard and the printable name from l->addr (a unix socket has
 * no interface). */
static void
listener_identify(struct listener *l)
{
	l->wildcard = addr_is_wildcard((struct sockaddr *)&l->addr);
	listener_name((struct sockaddr *)&l->addr, l->socktype, l->ifname, l->name,
		      sizeof(l->name));
}

void
listener_name(const struct sockaddr *sa, int socktype, const char *ifname, char *buf,
	      size_t len)
{
	size_t n;

	addr_name(sa, socktype, buf, len);
	n = strlen(buf);
	if (ifname && *ifname && n < len)
		snprintf(buf + n, len - n, "@%s", ifname);
}

static int
set_int_opt(int fd, int level, int opt, int value)
{
	return setsockopt(fd, level, opt, &value, sizeof(value));
}

/* A wildcard UDP socket does not know which of the host's addresses a
 * datagram was sent to: with pktinfo on, the kernel says so with each one.
 * Set either way, as a reload may keep the socket for another use. */
static int
listener_pktinfo(const struct listener *l, enum listener_pktinfo mode)
{
	int on = mode == LISTENER_PKTINFO_ALL || (mode == LISTENER_PKTINFO_WILDCARD && l->wildcard);

	if (l->addr.ss_family == AF_INET6)
		return set_int_opt(l->w.fd, IPPROTO_IPV6, IPV6_RECVPKTINFO, on);
	return set_int_opt(l->w.fd, IPPROTO_IP, IP_PKTINFO, on);
}

int
listener_configure(struct listener *l, const struct listener_opts *o)
{
	int flags = fcntl(l->w.fd, F_GETFL);

	if (flags < 0)
		return -1;
	flags = o->nonblock ? flags | O_NONBLOCK : flags & ~O_NONBLOCK;
	if (fcntl(l->w.fd, F_SETFL, flags) < 0)
		return -1;
	if (l->socktype != SOCK_STREAM)
		return listener_pktinfo(l, o->pktinfo);
	/* Linux copies these from the listening socket to every accepted
	 * one, which saves two system calls per connection. */
	if (l->addr.ss_family == AF_UNIX)
		return 0;
	if (set_int_opt(l->w.fd, SOL_SOCKET, SO_KEEPALIVE, o->keepalive) < 0)
		return -1;
	return set_int_opt(l->w.fd, IPPROTO_TCP, TCP_NODELAY, o->nodelay);
}

int
listener_reconfigure(struct listener *l, const struct listener_opts *o)
{
	if (listener_configure(l, o) < 0)
		return -1;
	/* listen() on a listening socket changes its backlog in place */
	return l->socktype == SOCK_STREAM ? listen(l->w.fd, listener_backlog(o)) : 0;
}

static struct listener *
listener_new(int fd, int socktype)
{
	struct listener *l = calloc(1, sizeof(*l));

	if (!l)
		return NULL;
	l->w.fd = fd;
	l->socktype = socktype;
	return l;
}

/* The interface of SO_BINDTODEVICE, and its index: a socket keeps the
 * index, so a new interface of the same name is another one. ENODEV when
 * there is no such interface; EPERM before Linux 5.7 without CAP_NET_RAW. */
static int
listener_bind_device(struct listener *l, const char *ifname)
{
	size_t n = strlen(ifname);

	if (n >= sizeof(l->ifname)) {
		errno = ENODEV;
		return -1;
	}
	memcpy(l->ifname, ifname, n + 1);
	if (setsockopt(l->w.fd, SOL_SOCKET, SO_BINDTODEVICE, ifname, (socklen_t)n) < 0)
		return -1;
	l->ifindex = if_nametoindex(ifname);
	return 0;
}

/* Socket options that must be set before bind(). */
static int
listener_prebind(int fd, int family, int socktype, const struct listener_opts *o)
{
	/* A non-local address: bound now, served once the host has it.
	 * IP_FREEBIND is the flag both families' bind() read. */
	if (o->freebind && set_int_opt(fd, IPPROTO_IP, IP_FREEBIND, 1) < 0)
		return -1;
	/* TCP: rebind while old connections sit in TIME_WAIT. Not for UDP,
	 * where SO_REUSEADDR would let a second socket share the port silently. */
	if (socktype == SOCK_STREAM && set_int_opt(fd, SOL_SOCKET, SO_REUSEADDR, 1) < 0)
		return -1;
	/* Explicit, whatever net.ipv6.bindv6only says: :: is IPv6 only, and
	 * 0.0.0.0 gets its own socket. */
	if (family == AF_INET6 && set_int_opt(fd, IPPROTO_IPV6, IPV6_V6ONLY, 1) < 0)
		return -1;
	return 0;
}

/* ---- opening and closing ---- */

struct listener *
listener_open(const struct sockaddr *sa, socklen_t len, int socktype,
	      const struct listener_opts *o)
{
	struct listener *l;
	int fd, err;

	fd = socket(sa->sa_family, socktype | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return NULL;
	l = listener_new(fd, socktype);
	if (!l)
		goto fail;
	memcpy(&l->addr, sa, len);
	l->addrlen = len;
	if (o->ifname && *o->ifname && listener_bind_device(l, o->ifname) < 0)
		goto fail;
	listener_identify(l);
	if (listener_prebind(fd, sa->sa_family, socktype, o) < 0 || bind(fd, sa, len) < 0 ||
	    (socktype == SOCK_STREAM && listen(fd, listener_backlog(o)) < 0) ||
	    listener_configure(l, o) < 0)
		goto fail;
	return l;
fail:
	err = errno;
	close(fd);
	free(l);
	errno = err;
	return NULL;
}

/* ---- unix sockets ---- */

/* What stands at path when bind() says EADDRINUSE: a socket nobody
 * accepts on is removed (0); anything else is refused (-1, err). The
 * directory is root's (or ours) and closed to others (rundir), so nobody
 * else can swap the file between the lstat() and the unlink(). */
static int
unix_stale(const struct sockaddr_un *un, char *err, size_t errlen)
{
	struct stat st;
	int fd, rc;

	if (lstat(un->sun_path, &st) < 0) {
		if (errno == ENOENT)
			return 0;
		snprintf(err, errlen, "%s: %s", un->sun_path, strerror(errno));
		return -1;
	}
	if (S_ISLNK(st.st_mode) || !S_ISSOCK(st.st_mode)) {
		snprintf(err, errlen, "%s: %s, not a socket: refusing to replace it (fix: remove "
			 "it, or choose another path)", un->sun_path,
			 S_ISLNK(st.st_mode) ? "a symbolic link" : "a file");
		return -1;
	}
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0) {
		snprintf(err, errlen, "socket: %s", strerror(errno));
		return -1;
	}
	rc = connect(fd, (const struct sockaddr *)un, sizeof(*un));
	if (rc == 0 || errno != ECONNREFUSED) {
		snprintf(err, errlen, "%s: %s", un->sun_path, rc == 0 || errno == EAGAIN ?
			 "another process listens on it" : strerror(errno));
		close(fd);
		return -1;
	}
	close(fd);
	if (unlink(un->sun_path) < 0 && errno != ENOENT) {
		snprintf(err, errlen, "%s: unlink: %s", un->sun_path, strerror(errno));
		return -1;
	}
	logit(LOG_NOTICE, "%s: a stale socket (nobody listened on it): replaced", un->sun_path);
	return 0;
}

/* bind() under a umask that gives o->mode from the first moment, so the
 * file is never more open than asked; one retry after a stale socket. */
static int
unix_bind(int fd, const struct sockaddr_un *un, const struct listener_opts *o, char *err,
	  size_t errlen)
{
	for (int attempt = 0; attempt < 2; attempt++) {
		mode_t old = umask(~o->mode & 0777);
		int rc = bind(fd, (const struct sockaddr *)un, sizeof(*un)), e = errno;

		umask(old);
		if (rc == 0)
			return 0;
		if (e != EADDRINUSE || attempt) {
			snprintf(err, errlen, "bind %s: %s", un->sun_path, strerror(e));
			return -1;
		}
		if (unix_stale(un, err, errlen) < 0)
			return -1;
	}
	return -1;
}

/* The owner, on the file we just made (never through a link), and its
 * inode, so that closing removes our file and no other. */
static int
unix_own(struct listener *l, const struct listener_opts *o, char *err, size_t errlen)
{
	const char *path = ((struct sockaddr_un *)&l->addr)->sun_path;
	struct stat st;

	if ((o->uid != (uid_t)-1 || o->gid != (gid_t)-1) &&
	    fchownat(AT_FDCWD, path, o->uid, o->gid, AT_SYMLINK_NOFOLLOW) < 0) {
		snprintf(err, errlen, "chown %s: %s", path, strerror(errno));
		return -1;
	}
	if (lstat(path, &st) < 0 || !S_ISSOCK(st.st_mode)) {
		snprintf(err, errlen, "%s: gone after bind", path);
		return -1;
	}
	l->dev = st.st_dev;
	l->ino = st.st_ino;
	return 0;
}

static void
unix_remove(struct listener *l)
{
	const char *path = ((struct sockaddr_un *)&l->addr)->sun_path;
	struct stat st;

	if (l->adopted || !l->ino || lstat(path, &st) < 0)
		return;
	if (S_ISSOCK(st.st_mode) && st.st_dev == l->dev && st.st_ino == l->ino &&
	    unlink(path) < 0)
		logerr(LOG_ERR, "unlink %s", path);
}

struct listener *
listener_open_unix(const char *path, const struct listener_opts *o, char *err, size_t errlen)
{
	struct sockaddr_un un = { .sun_family = AF_UNIX };
	struct listener *l = NULL;
	int fd = -1;

	if (strlen(path) >= sizeof(un.sun_path)) {
		snprintf(err, errlen, "%.64s...: name too long", path);
		return NULL;
	}
	memcpy(un.sun_path, path, strlen(path) + 1);
	if (rundir_prepare(path, err, errlen) < 0)
		return NULL;
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || !(l = listener_new(fd, SOCK_STREAM))) {
		snprintf(err, errlen, "socket: %s", strerror(errno));
		goto fail;
	}
	memcpy(&l->addr, &un, sizeof(un));
	l->addrlen = sizeof(un);
	listener_identify(l);
	if (unix_bind(fd, &un, o, err, errlen) < 0)
		goto fail;
	if (unix_own(l, o, err, errlen) < 0) {
		unlink(path);
		goto fail;
	}
	if (listen(fd, listener_backlog(o)) < 0 || listener_configure(l, o) < 0) {
		snprintf(err, errlen, "listen %s: %s", path, strerror(errno));
		unix_remove(l);
		goto fail;
	}
	return l;
fail:
	if (fd >= 0)
		close(fd);
	free(l);
	return NULL;
}

struct listener *
listener_adopt(int fd, int socktype, const struct sockaddr_storage *addr, const char *ifname)
{
	struct listener *l;

	/* FD_CLOEXEC is the only descriptor flag */
	if (fcntl(fd, F_SETFD, FD_CLOEXEC) < 0)
		return NULL;
	l = listener_new(fd, socktype);
	if (!l)
		return NULL;
	l->addr = *addr;
	l->addrlen = addr->ss_family == AF_INET6 ? sizeof(struct sockaddr_in6)
						 : sizeof(struct sockaddr_in);
	/* its interface: it matches a service with that one */
	snprintf(l->ifname, sizeof(l->ifname), "%s", ifname);
	l->ifindex = l->ifname[0] ? if_nametoindex(l->ifname) : 0;
	listener_identify(l);
	l->adopted = true;
	return l;
}

void
listener_close(struct listener *l)
{
	loop_unwatch(&l->w);
	timer_cancel(&l->retry);
	if (l->started && l->socktype == SOCK_DGRAM)
		listener_own_del(l);
	if (l->addr.ss_family == AF_UNIX)
		unix_remove(l);
	if (close(l->w.fd) < 0)
		logerr(LOG_ERR, "close %s", l->name);
	free(l);
}

int
listener_compare_addr(int socktype, const struct sockaddr *sa, const struct listener *l)
{
	if (socktype != l->socktype)
		return socktype < l->socktype ? -1 : 1;
	return addr_compare(sa, (const struct sockaddr *)&l->addr);
}

/* Identity order: socket type, family, port, address (scope for IPv6),
 * interface. */
int
listener_compare(int socktype, const struct sockaddr *sa, const char *ifname,
		 const struct listener *l)
{
	int c = listener_compare_addr(socktype, sa, l);

	return c ? c : strcmp(ifname ? ifname : "", l->ifname);
}

static void
listener_update(struct listener *l)
{
	if (!l->started)
		return;
	if (l->paused)
		loop_unwatch(&l->w);
	else if (loop_watch(&l->w, EPOLLIN) < 0)
		logit(LOG_ERR, "%s: cannot watch the socket", l->name);
}

int
listener_start(struct listener *l, watcher_fn fn)
{
	l->w.fn = fn;
	if (!l->started && l->socktype == SOCK_DGRAM)
		listener_own_add(l);
	l->started = true;
	if (!l->paused && loop_watch(&l->w, EPOLLIN) < 0)
		return -1;
	return 0;
}

void
listener_pause(struct listener *l, unsigned reason)
{
	unsigned was = l->paused;

	l->paused |= reason;
	if (!was)
		listener_update(l);
}

void
listener_resume(struct listener *l, unsigned reason)
{
	unsigned was = l->paused;

	l->paused &= ~reason;
	if (was && !l->paused)
		listener_update(l);
}
