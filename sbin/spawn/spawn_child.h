/* SPDX-License-Identifier: ISC */
/* spawn_child: what a new handler process runs between clone() and execve().
 *
 * The child shares portierd's memory (CLONE_VM) while portierd sleeps
 * (CLONE_VFORK) until it has called execve() or exited: the rules of a
 * vfork() child. It makes ordinary libc calls, but none that allocates or
 * takes a lock (no malloc, no stdio, no NSS): everything it reads is prepared
 * by the parent. It writes nothing of portierd's but errno (the thread's,
 * which spawn.c saves around the clone), LISTEN_PID's digits and, when a
 * step fails, its report. Its descriptor table is portierd's own
 * (CLONE_FILES) until its first step makes it a copy of the descriptors
 * below keep_below: with many handlers running, their pidfds (at the top of
 * the table, see children.c) are never copied.
 * valgrind and qemu-user run such a clone as a plain fork, where the report
 * must go through a pipe (spawn.c finds out at start-up). Private to
 * sbin/spawn/. */
#ifndef PORTIER_SPAWN_CHILD_H
#define PORTIER_SPAWN_CHILD_H

#include <stdbool.h>
#include <sys/resource.h>

struct service;
struct spawn_report;

/* activation = systemd (sd_listen_fds(3)): the socket goes on this
 * descriptor, and LISTEN_PID= is followed by the child's pid. */
#define SPAWN_LISTEN_FD 3
#define SPAWN_LISTEN_PID_PREFIX "LISTEN_PID="

/* Everything the child reads, filled by portierd before clone(). */
struct spawn_child_args {
	const struct service *svc;	/* argv, credentials, limits, chroot… */
	char *const *envp;
	char *listen_pid;		/* systemd activation: "LISTEN_PID=" and room */
	const struct rlimit *nofile;	/* the descriptor limit to give back, or NULL */
	int fd;				/* the connection (or listener) */
	unsigned keep_below;		/* above fd and report_fd: the copy's end */
	bool share_files;		/* cloned with CLONE_FILES (see spawn.c) */
	int nice;			/* the handler's nice value, when set_nice */
	bool set_nice;			/* it differs from portierd's */
	struct spawn_report *report;	/* where a failing step is told, in shared memory; */
	int report_fd;			/* or, -1 if not, a pipe's close-on-exec write end
					 * above SPAWN_LISTEN_FD */
	bool clear_nonblock;		/* a handed-over listener: make it blocking */
	bool new_session;		/* setsid(), not only setpgid(): see spawn.c */
	bool set_creds;			/* portierd is root: change credentials */
};

/* What a failing child reports before it exits with status 127: the step
 * that failed and its errno. Nothing comes when the exec succeeds (which
 * closes the pipe). */
struct spawn_report {
	const char *step;	/* a string literal: the same address in portierd */
	int err;
};

/* clone()'s fn: arg is a struct spawn_child_args. Returns only by exiting. */
int spawn_child(void *arg);

#endif
