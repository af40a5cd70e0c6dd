/* spawn_child: the handler process before execve(), see spawn_child.h */
#include "autoconf.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/close_range.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "config/config.h"
#include "spawn/spawn_child.h"

/* Not instrumented: ASan would check and poison shadow memory from a process
 * that runs beside portierd, and warn (into the connection) about an exit on
 * a stack it does not know. */
#define CHILD_CODE __attribute__((no_sanitize("address")))

const int spawn_rlimit_resource[RLIM_COUNT] = {
	[RLIM_AS] = RLIMIT_AS, [RLIM_CPU] = RLIMIT_CPU, [RLIM_DATA] = RLIMIT_DATA,
	[RLIM_FILES] = RLIMIT_NOFILE, [RLIM_NPROC] = RLIMIT_NPROC,
	[RLIM_STACK] = RLIMIT_STACK, [RLIM_CORE] = RLIMIT_CORE,
};

/* A system call that leaves errno alone: the result, or -errno. */
#if SPAWN_CONCURRENT && defined(__x86_64__)
CHILD_CODE static inline long
sys6(long n, long a1, long a2, long a3, long a4, long a5, long a6)
{
	register long r10 __asm__("r10") = a4;
	register long r8 __asm__("r8") = a5;
	register long r9 __asm__("r9") = a6;
	long ret;

	__asm__ volatile("syscall"
			 : "=a"(ret)
			 : "a"(n), "D"(a1), "S"(a2), "d"(a3), "r"(r10), "r"(r8), "r"(r9)
			 : "rcx", "r11", "memory");
	return ret;
}
#elif SPAWN_CONCURRENT && defined(__aarch64__)
CHILD_CODE static inline long
sys6(long n, long a1, long a2, long a3, long a4, long a5, long a6)
{
	register long x8 __asm__("x8") = n;
	register long x0 __asm__("x0") = a1;
	register long x1 __asm__("x1") = a2;
	register long x2 __asm__("x2") = a3;
	register long x3 __asm__("x3") = a4;
	register long x4 __asm__("x4") = a5;
	register long x5 __asm__("x5") = a6;

	__asm__ volatile("svc #0"
			 : "+r"(x0)
			 : "r"(x8), "r"(x1), "r"(x2), "r"(x3), "r"(x4), "r"(x5)
			 : "memory", "cc");
	return x0;
}
#else
/* The clone waits (SPAWN_CONCURRENT is 0): errno is ours to use. */
CHILD_CODE static long
sys6(long n, long a1, long a2, long a3, long a4, long a5, long a6)
{
	long r = syscall(n, a1, a2, a3, a4, a5, a6);

	return r < 0 ? -errno : r;
}
#endif

#define SYS(n, ...) sys_n(n, __VA_ARGS__, 0, 0, 0, 0, 0, 0)
#define sys_n(n, a, b, c, d, e, f, ...) \
	sys6((n), (long)(a), (long)(b), (long)(c), (long)(d), (long)(e), (long)(f))

/* Puts fd on 0, 1 and 2. dup3() clears close-on-exec on the copies. */
CHILD_CODE static long
child_stdio(int fd)
{
	long rc;

	for (int i = 0; i < 3; i++)
		if (fd != i && (rc = SYS(SYS_dup3, fd, i, 0)) < 0)
			return rc;
	/* fd == 0..2 keeps its flags: make sure it survives exec. */
	return fd <= 2 ? SYS(SYS_fcntl, fd, F_SETFD, 0) : 0;
}

/* activation = systemd: /dev/null on 0, 1 and 2, the socket on 3. */
CHILD_CODE static long
child_listen_fd(int fd)
{
	long null = SYS(SYS_openat, AT_FDCWD, "/dev/null", O_RDWR);
	long rc;

	/* 0-2 are open (daemon.c), so null is 3 or above; if it is 3, the
	 * socket's dup3() below replaces it. */
	if (null < 0)
		return null;
	for (int i = 0; i < 3; i++)
		if ((rc = SYS(SYS_dup3, null, i, 0)) < 0)
			return rc;
	if (fd != SPAWN_LISTEN_FD)
		return SYS(SYS_dup3, fd, SPAWN_LISTEN_FD, 0);
	return SYS(SYS_fcntl, fd, F_SETFD, 0);	/* survive exec */
}

/* Our pid in decimal after "LISTEN_PID=", written by hand. */
CHILD_CODE static void
child_listen_pid(char *entry)
{
	char digits[24];
	long pid = SYS(SYS_getpid, 0);
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

CHILD_CODE static long
child_nonblock_off(int fd)
{
	long flags = SYS(SYS_fcntl, fd, F_GETFL, 0);

	if (flags < 0)
		return flags;
	return SYS(SYS_fcntl, fd, F_SETFL, flags & ~(long)O_NONBLOCK);
}

CHILD_CODE static long
child_limits(const struct spawn_req *r)
{
	const struct service *svc = r->svc;
	long rc;

	if (r->nofile && !svc->rlimit[RLIM_FILES].set &&
	    (rc = SYS(SYS_prlimit64, 0, RLIMIT_NOFILE, r->nofile, NULL)) < 0)
		return rc;
	for (int i = 0; i < RLIM_COUNT; i++) {
		struct rlimit rl;

		if (!svc->rlimit[i].set || (r->skip & SPAWN_SKIP_RLIMIT(i)))
			continue;
		rl.rlim_cur = rl.rlim_max = svc->rlimit[i].value;
		if ((rc = SYS(SYS_prlimit64, 0, spawn_rlimit_resource[i], &rl, NULL)) < 0)
			return rc;
	}
	return 0;
}

/* A failed step's name and errno for portierd, then exit 127. */
CHILD_CODE __attribute__((noreturn)) static void
child_fail(struct spawn_req *r, const char *step, long rc)
{
	r->err = (int)-rc;
	r->step = step;
	for (;;)
		SYS(SYS_exit_group, 127);
}

#define TRY(r, step, call) do { long rc_ = (call); if (rc_ < 0) child_fail((r), (step), rc_); } while (0)

/* Order matters: groups while still root, the uid last. */
CHILD_CODE static void
child_credentials(struct spawn_req *r)
{
	const struct service *svc = r->svc;

	if (!(r->skip & SPAWN_SKIP_SETGROUPS))
		TRY(r, "setgroups", SYS(SYS_setgroups, svc->ngids, svc->gids));
	if (!(r->skip & SPAWN_SKIP_SETGID))
		TRY(r, "setgid", SYS(SYS_setresgid, svc->gid, svc->gid, svc->gid));
	if (!(r->skip & SPAWN_SKIP_SETUID))
		TRY(r, "setuid", SYS(SYS_setresuid, svc->uid, svc->uid, svc->uid));
}

CHILD_CODE int
spawn_child(void *arg)
{
	struct spawn_req *r = arg;
	const struct service *svc = r->svc;
	int sock = r->listen_pid ? SPAWN_LISTEN_FD : 0;
	uint64_t no_signals = 0;
	long rc;

	/* A table of our own first: until then every call acts on portierd's.
	 * The copy holds only 0..fd (the connection is on a low descriptor). */
	if (SYS(SYS_close_range, (unsigned)r->fd + 1, ~0U, CLOSE_RANGE_UNSHARE) < 0)
		TRY(r, "unshare", SYS(SYS_unshare, CLONE_FILES));
	if (r->listen_pid) {
		TRY(r, "dup2", child_listen_fd(r->fd));
		child_listen_pid(r->listen_pid);
	} else {
		TRY(r, "dup2", child_stdio(r->fd));
	}
	if (r->clear_nonblock)
		TRY(r, "fcntl", child_nonblock_off(sock));
	TRY(r, "setsid", SYS(SYS_setsid, 0));
	/* portierd leaves every disposition at its default and only blocks
	 * signals (signalfd; SIGPIPE too, since an ignored signal would stay
	 * ignored across exec): the mask is all there is to undo. */
	TRY(r, "sigprocmask", SYS(SYS_rt_sigprocmask, SIG_SETMASK, &no_signals, NULL,
				  sizeof(no_signals)));
	if (svc->umask_set)
		SYS(SYS_umask, svc->umask);
	if (svc->nice_set)
		TRY(r, "setpriority", SYS(SYS_setpriority, PRIO_PROCESS, 0, svc->nice));
	TRY(r, "setrlimit", child_limits(r));
	if (svc->chroot)
		TRY(r, "chroot", SYS(SYS_chroot, svc->chroot));
	if (!(r->skip & SPAWN_SKIP_CHDIR))
		TRY(r, "chdir /", SYS(SYS_chdir, "/"));
	if (r->set_creds)
		child_credentials(r);
	if (svc->no_new_privileges)
		TRY(r, "prctl(NO_NEW_PRIVS)", SYS(SYS_prctl, PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0));
	/* Everything is close-on-exec already; this also catches descriptors
	 * portierd inherited from whoever started it (below the connection). */
	rc = SYS(SYS_close_range, r->listen_pid ? SPAWN_LISTEN_FD + 1U : 3U, ~0U, 0U);
	if (rc < 0 && rc != -ENOSYS)
		child_fail(r, "close_range", rc);
	rc = SYS(SYS_execve, svc->server, svc->argv, r->envp);
	child_fail(r, "exec", rc);
}
