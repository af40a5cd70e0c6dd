/* SPDX-License-Identifier: ISC */
/* children: running handlers by pid, see children.h */
#include "autoconf.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "spawn/spawn.h"
#include "base/base.h"

/* Records are allocated this many at a time and never returned to malloc
 * before shutdown: a burst leaves a free list that the next burst reuses. */
#define CHILD_BLOCK 64
/* Initial buckets (a power of two); the table doubles when it holds more
 * children than buckets, so chains stay short. */
#define CHILD_BUCKETS 64
/* With every child watched, a SIGCHLD still scans this long after, for
 * strays (children inherited across exec, a record that could not be made).
 * A scan walks every child, once per zombie it collects: each scan that
 * finds no stray doubles the wait, up to the maximum. */
#define STRAY_SCAN_MS 1000
#define STRAY_SCAN_MAX_MS 64000
/* From this many running children on, each gets a pidfd: below it, a scan
 * (the kernel walks every child) is cheaper than a pidfd's creation, epoll
 * registration and close for each. */
#define WATCH_FROM 64

struct child_block {
	struct child_block *next;
	struct child rec[CHILD_BLOCK];
};

static struct child **buckets;
static size_t nbuckets;
static size_t count;
static struct child *free_list;
static struct child_block *blocks;
static size_t watched;			/* records whose pidfd is watched */
static size_t watch_budget;		/* at most this many, 0: not computed yet */
static int pidfd_floor;			/* where pidfds go in the table, 0: anywhere */
static children_exit_fn watch_fn;	/* what children_watch() was given */
static children_exit_fn stray_fn;	/* what the stray scan calls */
static struct timer stray_scan;
static uint64_t stray_wait_ms = STRAY_SCAN_MS;
static size_t strays;			/* unknown children reaped so far */

static size_t
bucket_of(pid_t pid, size_t n)
{
	/* Pids are mostly sequential: a multiplicative hash spreads them. */
	return ((uint32_t)pid * 2654435761u) & (n - 1);
}

static int
grow_buckets(void)
{
	size_t n = nbuckets ? nbuckets * 2 : CHILD_BUCKETS;
	struct child **v = calloc(n, sizeof(*v));

	if (!v)
		return -1;
	for (size_t i = 0; i < nbuckets; i++) {
		for (struct child *c = buckets[i], *next; c; c = next) {
			size_t b = bucket_of(c->pid, n);

			next = c->next;
			c->next = v[b];
			v[b] = c;
		}
	}
	free(buckets);
	buckets = v;
	nbuckets = n;
	return 0;
}

static int
grow_free_list(void)
{
	struct child_block *b = malloc(sizeof(*b));

	if (!b)
		return -1;
	b->next = blocks;
	blocks = b;
	for (size_t i = 0; i < CHILD_BLOCK; i++) {
		b->rec[i].next = free_list;
		free_list = &b->rec[i];
	}
	return 0;
}

struct child *
children_add(pid_t pid)
{
	struct child *c;
	size_t b;

	/* A failed resize keeps the old table: chains just get longer. */
	if ((count >= nbuckets && grow_buckets() < 0 && !nbuckets) ||
	    (!free_list && grow_free_list() < 0))
		return NULL;
	c = free_list;
	free_list = c->next;
	*c = (struct child){ .pid = pid, .exit_w.fd = -1 };
	b = bucket_of(pid, nbuckets);
	c->next = buckets[b];
	buckets[b] = c;
	count++;
	return c;
}

struct child *
children_find(pid_t pid)
{
	if (!nbuckets)
		return NULL;
	for (struct child *c = buckets[bucket_of(pid, nbuckets)]; c; c = c->next)
		if (c->pid == pid)
			return c;
	return NULL;
}

/* Closing the pidfd drops it from epoll too: no epoll_ctl() needed. */
static void
unwatch(struct child *c)
{
	if (c->exit_w.fd < 0)
		return;
	loop_forget(&c->exit_w);
	close(c->exit_w.fd);
	c->exit_w.fd = -1;
	watched--;
}

void
children_remove(struct child *c)
{
	struct child **pp = &buckets[bucket_of(c->pid, nbuckets)];

	unwatch(c);
	for (; *pp; pp = &(*pp)->next) {
		if (*pp == c) {
			*pp = c->next;
			c->next = free_list;
			free_list = c;
			count--;
			return;
		}
	}
}

size_t
children_count(void)
{
	return count;
}

void
children_foreach(void (*fn)(struct child *c, void *arg), void *arg)
{
	for (size_t i = 0; i < nbuckets; i++)
		for (struct child *c = buckets[i]; c; c = c->next)
			fn(c, arg);
}

/* The wait status that waitpid() would have given. */
static int
wait_status(const siginfo_t *si)
{
	switch (si->si_code) {
	case CLD_EXITED:
		return W_EXITCODE(si->si_status & 0xff, 0);
	case CLD_DUMPED:
		return (si->si_status & 0x7f) | WCOREFLAG;
	default:
		return si->si_status & 0x7f;
	}
}

static void
child_exited(struct watcher *w, uint32_t events)
{
	struct child *c = container_of(w, struct child, exit_w);
	siginfo_t si = { 0 };

	if (waitid(P_PIDFD, (id_t)w->fd, &si, WEXITED | WNOHANG) < 0) {
		if (errno == EINTR)
			return;	/* still readable: called again */
		logerr(LOG_ERR, "waitid(pid %d)", (int)c->pid);
		unwatch(c);	/* a scan reaps it */
		return;
	}
	if (si.si_pid == 0)
		return;
	watch_fn(c, wait_status(&si));
	children_remove(c);
}

static size_t reap_all(children_exit_fn fn, bool full);

bool
children_watching(children_exit_fn fn)
{
	struct rlimit rl;

	if (count < WATCH_FROM)
		return false;
	/* About to enter the watched regime: what pushed the count up may be
	 * children that exited but wait for the next SIGCHLD (it is read after
	 * a batch of connections). Collecting them is one scan of a few dozen;
	 * a pidfd for each would cost more (make bench, 8 clients: one child in
	 * eight got a pidfd_open). Not for a large table that could not be
	 * watched (no pidfds): that would scan it for every connection. */
	if (!watched && count < 2 * WATCH_FROM) {
		reap_all(fn, false);
		if (count < WATCH_FROM)
			return false;
	}
	if (!watch_budget) {
		watch_budget = WATCH_FROM;
		if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY &&
		    rl.rlim_cur / 2 > watch_budget && rl.rlim_cur <= INT_MAX) {
			watch_budget = rl.rlim_cur / 2;
			pidfd_floor = (int)(rl.rlim_cur - watch_budget);
		}
	}
	/* Crossing the threshold: those started without a pidfd get one now
	 * (pidfd_open(2), Linux 5.3), or each SIGCHLD would still scan every
	 * child. */
	for (size_t i = 0; watched < count && watched < watch_budget && i < nbuckets; i++) {
		for (struct child *c = buckets[i]; c; c = c->next) {
			int fd;

			if (c->exit_w.fd >= 0 || (fd = (int)syscall(SYS_pidfd_open, c->pid, 0U)) < 0)
				continue;
			children_watch(c, fd, fn);
		}
	}
	return watched < watch_budget;
}

/* A pidfd moved to the upper half of the descriptor limit, which the watch
 * budget leaves to pidfds: a new handler copies only the descriptors below
 * its connection's (spawn_child.h), and so none of these. Where it cannot
 * move, it stays (a handler's start is only slower). */
static int
pidfd_high(int fd)
{
	int high;

	if (!pidfd_floor || fd >= pidfd_floor ||
	    (high = fcntl(fd, F_DUPFD_CLOEXEC, pidfd_floor)) < 0)
		return fd;
	close(fd);
	return high;
}

int
children_watch(struct child *c, int pidfd, children_exit_fn fn)
{
	c->exit_w = (struct watcher){ .fd = pidfd_high(pidfd), .fn = child_exited };
	if (loop_watch(&c->exit_w, EPOLLIN) < 0) {
		close(c->exit_w.fd);
		c->exit_w.fd = -1;
		return -1;
	}
	watch_fn = fn;
	watched++;
	return 0;
}

static void
stray_scan_fire(struct timer *t)
{
	size_t before = strays;

	reap_all(stray_fn, true);
	if (strays != before)
		stray_wait_ms = STRAY_SCAN_MS;
	else if (stray_wait_ms < STRAY_SCAN_MAX_MS)
		stray_wait_ms *= 2;
}

/* Strays (children not in the table) are collected by a full scan a second
 * from now, or later while scans find none (see STRAY_SCAN_MS). */
static void
stray_scan_later(children_exit_fn fn)
{
	stray_fn = fn;
	if (!stray_scan.slot) {
		stray_scan.fn = stray_scan_fire;
		timer_arm(&stray_scan, stray_wait_ms);
	}
}

size_t
children_reap(children_exit_fn fn)
{
	/* Every running child has a pidfd that reports its exit: scanning
	 * them all for each SIGCHLD would make every exit cost O(children). */
	if (count == watched) {
		stray_scan_later(fn);
		return 0;
	}
	return reap_all(fn, false);
}

/* waitpid(-1) until nothing is left; unless full, stops once the table is
 * empty (a last call would only say so, at the price of another walk). */
static size_t
reap_all(children_exit_fn fn, bool full)
{
	size_t n = 0;

	for (;;) {
		if (!full && n && !count) {
			stray_scan_later(fn);
			break;
		}
		int status;
		pid_t pid = waitpid(-1, &status, WNOHANG);
		struct child *c;

		if (pid == 0)
			break;
		if (pid < 0) {
			if (errno == EINTR)
				continue;
			if (errno != ECHILD)
				logerr(LOG_ERR, "waitpid");
			break;
		}
		n++;
		c = children_find(pid);
		if (!c) {
			debug("reaped unknown child %d", (int)pid);
			strays++;
			continue;
		}
		fn(c, status);
		children_remove(c);
	}
	return n;
}

void
children_free_all(void)
{
	for (size_t i = 0; i < nbuckets; i++)
		for (struct child *c = buckets[i]; c; c = c->next)
			unwatch(c);
	timer_cancel(&stray_scan);
	stray_wait_ms = STRAY_SCAN_MS;
	watch_budget = 0;
	pidfd_floor = 0;
	while (blocks) {
		struct child_block *b = blocks;

		blocks = b->next;
		free(b);
	}
	free(buckets);
	buckets = NULL;
	nbuckets = count = 0;
	free_list = NULL;
}
