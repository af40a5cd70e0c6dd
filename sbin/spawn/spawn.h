/* spawn: starting a handler. Everything that needs malloc or NSS (argv, the
 * static environment, uid/gid/groups) is prepared at load time; per connection
 * the parent only formats a few addresses into a slot's fixed buffers and
 * starts the child with clone(CLONE_VM), whose code (spawn_child.c) does
 * nothing but raw system calls before execve(). portierd does not wait for
 * the exec: whether it happened comes later, through spawn_settle(). See
 * docs/architecture.md. */
#ifndef PORTIER_SPAWN_H
#define PORTIER_SPAWN_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

struct service;
struct conn;

/* Per-service, built by spawn_prepare(). */
struct spawn_ctx {
	char **envp;		/* the static part, NULL (a slot adds the rest) */
	size_t nstatic;
	/* The child's calls that would change nothing (spawn.c's SKIP_*), decided at the service's first connection,
	 * once portierd's own credentials and limits are final. */
	unsigned int skip;
	bool planned;
};

/* Why a handler did not start: the step that failed and its errno. */
struct spawn_error {
	const char *step;	/* "exec", "setuid", "chroot"…; NULL: no error */
	int err;
};

/* How a child started by spawn_handler() fared: e->step is NULL when it
 * reached execve() (the handler runs), else the step that failed and its
 * errno (the child exits with status 127). */
typedef void (*spawn_settled_fn)(pid_t pid, const struct spawn_error *e);

/* Once at start-up: the children's stacks and slots, whether credentials can
 * change, and the soft descriptor limit raised to the hard one (at most
 * 65,536) for the children's pidfds; handlers get the limit portierd was
 * started with. settled hears of every child, from spawn_settle(). */
int spawn_init(spawn_settled_fn settled);
/* Waits a moment for children still on their way to exec. */
void spawn_exit(void);

/* Builds envp from env, passenv (read from portierd's environment now),
 * SERVICE and PROTO (and LISTEN_FDS, LISTEN_FDNAMES for systemd activation). Returns -1 when out of memory. */
int spawn_prepare(struct spawn_ctx *ctx, const struct service *svc);
void spawn_release(struct spawn_ctx *ctx);

/* Starts svc's handler with c->fd on descriptors 0, 1 and 2; with
 * `activation = systemd`, on descriptor 3 with /dev/null on 0-2 and
 * LISTEN_FDS=1, LISTEN_PID (the child's own pid, written by the child) and
 * LISTEN_FDNAMES=svc->id, as sd_listen_fds(3) expects. Returns the pid,
 * or -1 when no process could be created (e says why). The caller may close
 * c->fd at once. Whether the child reached exec is told later, to the
 * settled function, by a spawn_settle() call. With pidfd, *pidfd is the
 * child's pidfd (close-on-exec), or -1 when the kernel or the descriptor
 * limit gave none. */
pid_t spawn_handler(const struct service *svc, struct spawn_ctx *ctx,
		    const struct conn *c, struct spawn_error *e, int *pidfd);

/* Reports (to settled) every child that has exec'd or exited since the last
 * call and frees its slot. Call it after recording a new child and before
 * handling a child's exit; it also runs from a timer while children are on
 * their way to exec. */
void spawn_settle(void);

/* Waits (a second at most) until no child is on its way to exec, settling
 * them: before anything a child reads (its service, its environment) is
 * freed or replaced. -1 when some still are. */
int spawn_quiesce(void);

/* Whether spawn_handler() returns before the child has exec'd (this
 * architecture has spawn_child.c's raw system calls), for --version. */
bool spawn_concurrent(void);

/* True when name is one of the variables portierd sets per connection. */
int spawn_reserved_env(const char *name, size_t len);

#endif
