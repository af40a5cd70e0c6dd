/* SPDX-License-Identifier: ISC */
/* spawn_child: the handler process before execve(), see spawn_child.h */
#include "autoconf.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config/config.h"
#include "spawn/spawn_child.h"

/* Not instrumented: ASan cannot tell this stack from a wild pointer, and
 * says so (into the connection) at every call that does not return. */
#define CHILD_CODE __attribute__((no_sanitize("address")))

/* The RLIMIT_* of each RLIM_* (config.h). */
static const int rlimit_resource[RLIM_COUNT] = {
	[RLIM_AS] = RLIMIT_AS, [RLIM_CPU] = RLIMIT_CPU, [RLIM_DATA] = RLIMIT_DATA,
	[RLIM_FILES] = RLIMIT_NOFILE, [RLIM_NPROC] = RLIMIT_NPROC,
	[RLIM_STACK] = RLIMIT_STACK, [RLIM_CORE] = RLIMIT_CORE,
};

/* Puts fd on 0, 1 and 2. dup3() clears close-on-exec on the copies. */
CHILD_CODE static int
child_stdio(int fd)
{
	for (int i = 0; i < 3; i++)
		if (fd != i && dup3(fd, i, 0) < 0)
			return -1;
	/* fd == 0..2 keeps its flags: make sure it survives exec. */
	return fd <= 2 ? fcntl(fd, F_SETFD, 0) : 0;
}

/* activation = systemd: /dev/null on 0, 1 and 2, the socket on 3. */
CHILD_CODE static int
child_listen_fd(int fd)
{
	int null = open("/dev/null", O_RDWR);

	/* 0-2 are open (daemon.c), so null is 3 or above; if it is 3, the
	 * socket's dup3() below replaces it. */
	if (null < 0)
		return -1;
	for (int i = 0; i < 3; i++)
		if (dup3(null, i, 0) < 0)
			return -1;
	if (fd != SPAWN_LISTEN_FD)
		return dup3(fd, SPAWN_LISTEN_FD, 0) < 0 ? -1 : 0;
	return fcntl(fd, F_SETFD, 0);	/* survive exec */
}

/* Our pid in decimal after "LISTEN_PID=", written by hand (no stdio). */
CHILD_CODE static void
child_listen_pid(char *entry)
{
	char digits[24];
	long pid = getpid();
	char *p = entry + sizeof(SPAWN_LISTEN_PID_PREFIX) - 1;
	int n = 0;

	do {
		digits[n++] = (char)('0' + pid % 10);
		pid /= 10;
	} while (pid && n < (int)sizeof(digits));
	while (n)
		*p++ = digits[--n];
	*p = '\0';
}

CHILD_CODE static int
child_nonblock_off(int fd)
{
	int flags = fcntl(fd, F_GETFL);

	if (flags < 0)
		return -1;
	return fcntl(fd, F_SETFL, flags & ~O_NONBLOCK);
}

CHILD_CODE static int
child_limits(const struct spawn_child_args *a)
{
	const struct service *svc = a->svc;

	if (a->nofile && !svc->rlimit[RLIM_FILES].set && setrlimit(RLIMIT_NOFILE, a->nofile) < 0)
		return -1;
	for (int i = 0; i < RLIM_COUNT; i++) {
		struct rlimit rl;

		if (!svc->rlimit[i].set)
			continue;
		rl.rlim_cur = rl.rlim_max = svc->rlimit[i].value;
		if (setrlimit(rlimit_resource[i], &rl) < 0)
			return -1;
	}
	return 0;
}

/* Closes every descriptor from first on, but keep (-1, or the report pipe,
 * which is close-on-exec and above first). */
CHILD_CODE static int
child_close_from(unsigned int first, int keep)
{
	if (keep < 0)
		return close_range(first, ~0U, 0);
	if ((unsigned int)keep > first && close_range(first, (unsigned int)keep - 1, 0) < 0)
		return -1;
	return close_range((unsigned int)keep + 1, ~0U, 0);
}

/* A failed step's name and errno for portierd, then exit 127. */
CHILD_CODE __attribute__((noreturn)) static void
child_fail(const struct spawn_child_args *a, const char *step, int err)
{
	struct spawn_report rep;
	ssize_t n;

	memset(&rep, 0, sizeof(rep));	/* the padding too */
	rep.step = step;
	rep.err = err;
	if (a->report_fd < 0) {
		*a->report = rep;
		_exit(127);
	}
	/* A pipe with room: cannot fail short of a bug. */
	n = write(a->report_fd, &rep, sizeof(rep));
	(void)n;
	_exit(127);
}

#define TRY(a, step, call) do { if ((call) < 0) child_fail((a), (step), errno); } while (0)

/* Order matters: groups while still root, the uid last. portierd has one
 * thread, so libc makes these plain system calls (no broadcast to threads). */
CHILD_CODE static void
child_credentials(const struct spawn_child_args *a)
{
	const struct service *svc = a->svc;

	TRY(a, "setgroups", setgroups(svc->ngids, svc->gids));
	TRY(a, "setgid", setresgid(svc->gid, svc->gid, svc->gid));
	TRY(a, "setuid", setresuid(svc->uid, svc->uid, svc->uid));
}

CHILD_CODE int
spawn_child(void *arg)
{
	const struct spawn_child_args *a = arg;
	const struct service *svc = a->svc;
	sigset_t none;

	/* Before anything else touches a descriptor: until this, the table
	 * is portierd's. It copies those below keep_below and closes none of
	 * portierd's. Unshared already (no CLONE_FILES), it only closes. */
	if (close_range(a->keep_below, ~0U, CLOSE_RANGE_UNSHARE) < 0 && a->share_files)
		child_fail(a, "close_range", errno);
	if (a->listen_pid) {
		TRY(a, "dup2", child_listen_fd(a->fd));
		child_listen_pid(a->listen_pid);
	} else {
		TRY(a, "dup2", child_stdio(a->fd));
	}
	if (a->clear_nonblock)
		TRY(a, "fcntl", child_nonblock_off(a->listen_pid ? SPAWN_LISTEN_FD : 0));
	if (a->new_session)
		TRY(a, "setsid", setsid());
	else
		TRY(a, "setpgid", setpgid(0, 0));
	/* portierd leaves every disposition at its default and only blocks
	 * signals (signalfd; SIGPIPE too, since an ignored signal would stay
	 * ignored across exec): the mask is all there is to undo. */
	sigemptyset(&none);
	TRY(a, "sigprocmask", sigprocmask(SIG_SETMASK, &none, NULL));
	if (svc->umask_set)
		umask(svc->umask);
	if (a->set_nice)
		TRY(a, "setpriority", setpriority(PRIO_PROCESS, 0, a->nice));
	TRY(a, "setrlimit", child_limits(a));
	if (svc->chroot)
		TRY(a, "chroot", chroot(svc->chroot));
	TRY(a, "chdir /", chdir("/"));
	if (a->set_creds)
		child_credentials(a);
	if (svc->no_new_privileges)
		TRY(a, "prctl(NO_NEW_PRIVS)", prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0));
	/* Everything is close-on-exec already; this also catches descriptors
	 * portierd inherited from whoever started it. ENOSYS: before Linux 5.9. */
	if (child_close_from(a->listen_pid ? SPAWN_LISTEN_FD + 1U : 3U, a->report_fd) < 0 &&
	    errno != ENOSYS)
		child_fail(a, "close_range", errno);
	execve(svc->server, svc->argv, a->envp);
	child_fail(a, "exec", errno);
}
