/* spawn: starting a handler. Everything that needs malloc or NSS (argv, the
 * static environment, uid/gid/groups) is prepared at load time; per connection
 * the parent only formats a few addresses into fixed buffers and starts the
 * child with clone(CLONE_VM | CLONE_VFORK), whose code does nothing but
 * async-signal-safe system calls before execve(). See docs/architecture.md. */
#ifndef PORTIER_SPAWN_H
#define PORTIER_SPAWN_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

struct service;
struct conn;

/* Per-service, built by spawn_prepare(). */
struct spawn_ctx {
	char **envp;		/* static part, then room for the per-connection part, NULL */
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

/* Once at start-up: the child's stack, whether credentials can change, and
 * the soft descriptor limit raised to the hard one (at most 65,536) for the
 * children's pidfds; handlers get the limit portierd was started with. */
int spawn_init(void);
void spawn_exit(void);

/* Builds envp from env, passenv (read from portierd's environment now),
 * SERVICE and PROTO (and LISTEN_FDS, LISTEN_FDNAMES for systemd activation). Returns -1 when out of memory. */
int spawn_prepare(struct spawn_ctx *ctx, const struct service *svc);
void spawn_release(struct spawn_ctx *ctx);

/* Starts svc's handler with c->fd on descriptors 0, 1 and 2; with
 * `activation = systemd`, on descriptor 3 with /dev/null on 0-2 and
 * LISTEN_FDS=1, LISTEN_PID (the child's own pid, written by the child) and
 * LISTEN_FDNAMES=svc->id, as sd_listen_fds(3) expects. Returns the pid,
 * or -1 when no process could be created (e says why). A pid with e->step set
 * is a child that failed before or at exec and exits with status 127. With
 * pidfd, *pidfd is the child's pidfd (close-on-exec), or -1 when the kernel
 * or the descriptor limit gave none. */
pid_t spawn_handler(const struct service *svc, struct spawn_ctx *ctx,
		    const struct conn *c, struct spawn_error *e, int *pidfd);

/* True when name is one of the variables portierd sets per connection. */
int spawn_reserved_env(const char *name, size_t len);

#endif
