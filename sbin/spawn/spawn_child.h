/* spawn_child: what a new handler process runs between clone() and execve().
 *
 * The child shares portierd's memory (CLONE_VM) and, at first, its descriptor
 * table (CLONE_FILES). Where spawn_child.c has raw system calls for the
 * architecture (SPAWN_CONCURRENT), portierd does not wait for it: the two run
 * at the same time. So the child touches nothing but its own stack and its
 * request: no libc function that could set errno (portierd's, since they share
 * the thread pointer), take a lock or allocate; only raw system calls. Where
 * it has not, the clone waits (CLONE_VFORK) and libc's syscall() is used. */
#ifndef PORTIER_SPAWN_CHILD_H
#define PORTIER_SPAWN_CHILD_H

#include <stdbool.h>
#include <sys/resource.h>

#ifndef SPAWN_CONCURRENT	/* -DSPAWN_CONCURRENT=0 tries the other way */
#if defined(__x86_64__) || defined(__aarch64__)
#define SPAWN_CONCURRENT 1
#else
#define SPAWN_CONCURRENT 0
#endif
#endif

struct service;

/* activation = systemd (sd_listen_fds(3)): the socket goes on this
 * descriptor, and LISTEN_PID= is followed by the child's pid. */
#define SPAWN_LISTEN_FD 3
#define SPAWN_LISTEN_PID_PREFIX "LISTEN_PID="

/* Calls of the child that spawn_plan() found to be no-ops. */
#define SPAWN_SKIP_SETGROUPS 0x1u
#define SPAWN_SKIP_SETGID 0x2u
#define SPAWN_SKIP_SETUID 0x4u
#define SPAWN_SKIP_CHDIR 0x8u
#define SPAWN_SKIP_RLIMIT(i) (0x10u << (i))

/* The RLIMIT_* of each RLIM_* (config.h). */
extern const int spawn_rlimit_resource[];

/* Everything the child reads. portierd fills it before clone() and leaves it
 * alone until the child has called execve() or exited. */
struct spawn_req {
	const struct service *svc;	/* argv, credentials, limits, chroot… */
	char *const *envp;
	char *listen_pid;		/* systemd activation: "LISTEN_PID=" and room */
	const struct rlimit *nofile;	/* the descriptor limit to give back, or NULL */
	int fd;				/* the connection (or listener) */
	bool clear_nonblock;		/* a handed-over listener: make it blocking */
	bool set_creds;			/* portierd is root: change credentials */
	unsigned int skip;		/* SPAWN_SKIP_* */
	/* The step that failed and its errno, written before the child exits
	 * with status 127; step stays NULL otherwise. */
	int err;
	const char *step;
};

/* clone()'s fn: arg is a struct spawn_req. Returns only by exiting. */
int spawn_child(void *arg);

#endif
