/* children: the table of running handlers, keyed by pid. Insert, look-up and
 * remove are O(1) (a hash of chained records); records come from a free list
 * that grows in blocks, so starting a handler allocates nothing in the common
 * case. children_reap() collects exited children on SIGCHLD with waitpid(-1),
 * which the kernel answers by walking every child: fine for a few. With many
 * running, each child's pidfd is watched instead (children_watch) and reaped
 * when it says the child exited, O(1) however many run; the scan is then
 * skipped but for a scan now and then (1 s after a SIGCHLD, up to 64 s while
 * scans find nothing) for strays (children inherited across exec). No
 * handler's zombie outlives a loop iteration; a stray's, that interval. */
#ifndef PORTIER_CHILDREN_H
#define PORTIER_CHILDREN_H

#include <arpa/inet.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "config/access.h"
#include "base/loop.h"

struct service_rt;
struct listener;

struct child {
	pid_t pid;
	struct service_rt *rt;		/* the service it serves; must outlive the child */
	struct listener *held;		/* wait mode: the listener handed over, resumed at exit */
	uint64_t start_us;		/* CLOCK_MONOTONIC, for DURATION */
	char host[INET6_ADDRSTRLEN];	/* remote address as text, "" in wait mode */
	int port;			/* remote port, 0 in wait mode */
	bool exec_failed;		/* reported at spawn: its exit needs no second message */
	bool src_held;			/* src counts against per_source (admit.c) */
	struct access_addr src;
	struct watcher exit_w;		/* its pidfd (fd -1: none), see children_watch() */
	struct child *next;		/* hash chain, or free list */
};

typedef void (*children_exit_fn)(struct child *c, int status);

/* A record for pid, zeroed but for pid; NULL when out of memory. */
struct child *children_add(pid_t pid);
struct child *children_find(pid_t pid);
/* Watches c's pidfd (which it takes, closing it on failure): when c exits,
 * fn sees its wait status and the record is removed. -1 when the loop cannot
 * watch it: c is then left to children_reap(). */
int children_watch(struct child *c, int pidfd, children_exit_fn fn);
/* Whether the next child should get a pidfd: with many children running
 * (then the running ones get one too, watched with fn), and while watched
 * children hold less than half of the descriptors portierd may open (accept
 * needs the rest). Before the first pidfd it collects the children that
 * exited already (fn sees each), which may leave too few to watch. */
bool children_watching(children_exit_fn fn);
/* Unlinks c (closing its pidfd) and returns it to the free list. */
void children_remove(struct child *c);
size_t children_count(void);
/* Calls fn for every running child (state dump, reload). fn must not remove. */
void children_foreach(void (*fn)(struct child *c, void *arg), void *arg);
/* waitpid(WNOHANG) until nothing is left to collect or the table is empty;
 * fn sees each known child with its wait status, then the record is removed.
 * Returns the number reaped. With every child watched it only arms the
 * stray scan (a timer, see above), as it does once the table is empty. */
size_t children_reap(children_exit_fn fn);
/* Releases every record and the table (shutdown; running handlers go on). */
void children_free_all(void);

uint64_t children_clock_us(void);	/* CLOCK_MONOTONIC in microseconds */

#endif
