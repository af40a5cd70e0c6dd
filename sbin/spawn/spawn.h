/* SPDX-License-Identifier: ISC */
/* spawn: the process boundary: a handler started, its children tracked.
 * The folder's interface: one section per module, each opening with what
 * the module is for. */
#ifndef PORTIER_SPAWN_H
#define PORTIER_SPAWN_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>
#include <arpa/inet.h>
#include <stdint.h>
#include <sys/socket.h>

#include "config/config.h"
#include "base/base.h"

/* spawn: starting a handler. Everything that needs malloc or NSS (argv, the
 * static environment, uid/gid/groups) is prepared at load time; per connection
 * the parent formats the addresses into the environment and starts the child
 * with clone(CLONE_VM | CLONE_VFORK | CLONE_FILES): the child runs
 * spawn_child.c on a stack of its own inside portierd's memory, copies the
 * low part of the descriptor table as its first step, and portierd sleeps
 * until it has called execve() or exited, like vfork(). So when
 * spawn_handler() returns, whether the handler started is known. See
 * docs/architecture.md. */

struct service;

/* Per service, built by spawn_prepare(). */
struct spawn_ctx {
	char **envp;		/* the static part, then room for a connection's */
	size_t nstatic;
};

/* Why a handler did not start: the step that failed and its errno. */
struct spawn_error {
	const char *step;	/* "exec", "setuid", "chroot"…; NULL: no error */
	int err;
};

/* One start, built by the daemon for a connection or a hand-over. */
struct spawn_request {
	const struct service *svc;
	int fd;				/* the connection, or the listening socket (wait) */
	bool listening;			/* fd is a listener handed over: made blocking */
	const struct sockaddr *local;	/* the address fd was reached on */
	const struct sockaddr *remote;	/* the peer; NULL when unknown (wait mode) */
	const char *remote_text;	/* remote's address as text if the caller has it, or NULL */
	const struct ucred *cred;	/* a unix socket's peer (SO_PEERCRED); NULL: unknown */
};

/* Once at start-up: whether credentials can change; the soft descriptor
 * limit raised to the hard one (at most 65,536) for the children's pidfds;
 * portierd's nice value lowered by SPAWN_NICE_LEAD when it may (root,
 * CAP_SYS_NICE), so that accepting and the few steps of a child before its
 * exec are not starved by running handlers (docs/performance.md). Handlers
 * get the limit and the nice value portierd was started with, or their
 * service's `nice`. */
void spawn_init(void);
#define SPAWN_NICE_LEAD 5

/* A handler's PATH when neither env nor passenv gives one: systemd's default,
 * so that a handler can run another program by name. */
#define SPAWN_DEFAULT_PATH CONFIG_DEFAULT_PATH

/* Builds envp from env, passenv (read from portierd's environment now),
 * SPAWN_DEFAULT_PATH when neither set PATH, SERVICE and PROTO (and LISTEN_FDS, LISTEN_FDNAMES for systemd activation),
 * with room for a connection's entries. Returns -1 when out of memory. */
int spawn_prepare(struct spawn_ctx *ctx, const struct service *svc);
void spawn_release(struct spawn_ctx *ctx);

/* Starts r->svc's handler (ctx is its spawn_prepare()) with r->fd on
 * descriptors 0, 1 and 2; with `activation = systemd`, on descriptor 3 with
 * /dev/null on 0-2 and LISTEN_FDS=1, LISTEN_PID (the child's own pid) and
 * LISTEN_FDNAMES=svc->id, as sd_listen_fds(3) expects. Returns the child's
 * pid with e->step NULL once it has exec'd; when a step before failed, e
 * says which and its errno, and the child (whose pid is returned too: it
 * must be reaped) exits with status 127. -1 when no process could be
 * created (e says why). The caller may close r->fd at once. With pidfd,
 * *pidfd is the child's pidfd (close-on-exec), or -1 when the kernel or
 * the descriptor limit gave none. */
pid_t spawn_handler(struct spawn_ctx *ctx, const struct spawn_request *r,
		    struct spawn_error *e, int *pidfd);

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

#endif
