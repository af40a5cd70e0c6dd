/* SPDX-License-Identifier: ISC */
/* addrwatch: rtnetlink notifications in the loop, see addrwatch.h. */
#include "autoconf.h"

#include <errno.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "base/base.h"
#include "daemon/addrwatch.h"

/* Room for a burst of notifications (an interface with many addresses
 * going down) before the kernel drops some and says ENOBUFS. */
#define ADDRWATCH_RCVBUF (256 * 1024)
/* Datagrams read per wake-up: the rest wait for the next one, so that a
 * storm of changes cannot hold the loop. */
#define ADDRWATCH_BATCH 64

static struct {
	struct watcher w;
	addrwatch_fn *changed;
	void *arg;
} aw = { .w.fd = -1 };

static void
addrwatch_ready(struct watcher *w, uint32_t events)
{
	bool changed = false;
	char byte;

	(void)events;
	for (int i = 0; i < ADDRWATCH_BATCH; i++) {
		/* Only the content-free fact counts: the groups carry nothing
		 * but address and link notifications, and the callback reads
		 * the host's addresses itself. A datagram longer than the
		 * byte is cut, which drops its rest. */
		ssize_t n = recv(w->fd, &byte, 1, MSG_DONTWAIT | MSG_TRUNC);

		if (n < 0 && errno == ENOBUFS) {
			debug("rtnetlink: notifications lost: looking at every address");
			changed = true;
			continue;
		}
		if (n < 0) {
			if (errno != EAGAIN && errno != EINTR)
				logerr(LOG_WARNING, "rtnetlink: recv");
			break;
		}
		changed = true;
	}
	if (changed) {
		debug("rtnetlink: the host's addresses or links changed");
		aw.changed(aw.arg);
	}
}

int
addrwatch_open(addrwatch_fn *changed, void *arg)
{
	struct sockaddr_nl sa = {
		.nl_family = AF_NETLINK,
		.nl_groups = RTMGRP_LINK | RTMGRP_IPV4_IFADDR | RTMGRP_IPV6_IFADDR,
	};
	int fd, size = ADDRWATCH_RCVBUF;

	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC | SOCK_NONBLOCK, NETLINK_ROUTE);
	if (fd < 0) {
		logerr(LOG_WARNING, "rtnetlink socket: addresses that appear later are not "
		       "followed (a reload binds them)");
		return -1;
	}
	/* a larger buffer is a wish: the kernel's ceiling (rmem_max) may cut it */
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof(size)) < 0)
		debug("rtnetlink: SO_RCVBUF: %s", strerror(errno));
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		logerr(LOG_WARNING, "rtnetlink bind: addresses that appear later are not "
		       "followed (a reload binds them)");
		close(fd);
		return -1;
	}
	aw.w.fd = fd;
	aw.w.fn = addrwatch_ready;
	aw.changed = changed;
	aw.arg = arg;
	if (loop_watch(&aw.w, EPOLLIN) < 0) {
		logerr(LOG_WARNING, "rtnetlink: cannot watch the socket");
		addrwatch_close();
		return -1;
	}
	return 0;
}

void
addrwatch_close(void)
{
	if (aw.w.fd < 0)
		return;
	loop_unwatch(&aw.w);
	close(aw.w.fd);
	aw.w.fd = -1;
}
