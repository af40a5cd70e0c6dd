/* spawn: starting a handler, see spawn.h.
 *
 * The child is created with clone(CLONE_VM | CLONE_VFORK): it runs on its own
 * small stack inside the parent's memory, and the parent is suspended until
 * the child has called execve() or exited. So the child must not allocate,
 * use stdio, or take any lock: spawn_child() only makes system calls, and
 * reports a failure by writing the step and errno into the request, which the
 * parent reads once it runs again (no pipe needed). Credentials are changed
 * with raw system calls so that glibc's setxid machinery for threads is never
 * involved.
 *
 * The child also shares the descriptor table at first (CLONE_FILES): copying
 * it, then closing every copy before exec, would cost each connection time in
 * proportion to portierd's descriptors (a listener per service, a pidfd per
 * running handler). Instead the parent puts the connection on a low reserved
 * descriptor, and the child's first call, close_range(slot + 1, ~0,
 * CLOSE_RANGE_UNSHARE), gives it a table of its own holding only 0..slot. */
#include "autoconf.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "config.h"
#include "listener.h"
#include "log.h"
#include "service.h"
#include "spawn.h"
#include "spawn_plan.h"

/* The child's stack: execve() and the few calls before it need little, but
 * sanitizer builds add large frames. */
#define SPAWN_STACK (256 * 1024)

/* Per-connection variables: slots at the end of each service's envp. */
enum {
	DYN_LOCAL_ADDR, DYN_LOCAL_PORT, DYN_REMOTE_ADDR, DYN_REMOTE_PORT,
	DYN_TCPLOCALIP, DYN_TCPLOCALPORT, DYN_TCPREMOTEIP, DYN_TCPREMOTEPORT,
	DYN_LISTEN_PID,		/* activation = systemd: the child writes its pid */
	DYN_COUNT
};
#define DYN_LEN (sizeof("TCPREMOTEIP=") + INET6_ADDRSTRLEN)

static const char *const reserved_env[] = {
	"SERVICE", "PROTO", "LOCAL_ADDR", "LOCAL_PORT", "REMOTE_ADDR", "REMOTE_PORT",
	"TCPLOCALIP", "TCPLOCALPORT", "TCPREMOTEIP", "TCPREMOTEPORT",
};

/* activation = systemd (sd_listen_fds(3)): the socket goes on this
 * descriptor, and these are set for the handler. */
#define LISTEN_FD 3
#define LISTEN_PID_PREFIX "LISTEN_PID="
static const char *const listen_env[] = { "LISTEN_FDS", "LISTEN_PID", "LISTEN_FDNAMES" };

static const int rlimit_resource[RLIM_COUNT] = {
	[RLIM_AS] = RLIMIT_AS, [RLIM_CPU] = RLIMIT_CPU, [RLIM_DATA] = RLIMIT_DATA,
	[RLIM_FILES] = RLIMIT_NOFILE, [RLIM_NPROC] = RLIMIT_NPROC,
	[RLIM_STACK] = RLIMIT_STACK, [RLIM_CORE] = RLIMIT_CORE,
};

/* The parent is suspended while the child runs, so one set of buffers serves
 * every spawn: execve() has copied them before the parent touches them again. */
static char dyn[DYN_COUNT][DYN_LEN];
static char *stack;
static int can_setuid;
static int pidfd_ok = 1;		/* cleared when the kernel has no CLONE_PIDFD */
static struct rlimit nofile;		/* the limit we were given, for handlers */
static int nofile_raised;
static int slot = -1;			/* the low descriptor the connection goes on */
/* portierd's own credentials and limits (after raise_nofile()), which the
 * child inherits: a call that would set them to the same is skipped. */
static unsigned int my_uids[3], my_gids[3];
static gid_t *my_groups;
static size_t my_ngroups;
static struct rlimit my_rlimit[RLIM_COUNT];
static int cwd_root = -1;		/* our directory is "/" (-1: not checked yet) */
static int devnull = -1;		/* what the slot holds between connections */

/* A connection this close above the slot is used where it is. */
#define SLOT_SPAN 16
/* Calls of the child that spawn_plan() may find to be no-ops. */
#define SKIP_SETGROUPS 0x1u
#define SKIP_SETGID 0x2u
#define SKIP_SETUID 0x4u
#define SKIP_CHDIR 0x8u
#define SKIP_RLIMIT(i) (0x10u << (i))
/* Watching each child's pidfd costs a descriptor per running handler. */
#define NOFILE_WANTED 65536

/* Shared with the child; volatile because the child writes them behind the
 * compiler's back. */
struct spawn_req {
	const struct service *svc;
	char *const *envp;
	int fd;
	int clear_nonblock;
	char *listen_pid;	/* systemd activation: where the child writes its pid */
	unsigned int skip;	/* SKIP_* */
	volatile int err;
	const char *volatile step;
};

/* systemd.exec(5)'s advice: a daemon that needs many descriptors raises its
 * soft limit itself and gives its children the original one (select()). */
static void
raise_nofile(void)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &nofile) < 0)
		return;
	rl = nofile;
	rl.rlim_cur = rl.rlim_max < NOFILE_WANTED ? rl.rlim_max : NOFILE_WANTED;
	if (rl.rlim_cur > nofile.rlim_cur && setrlimit(RLIMIT_NOFILE, &rl) == 0)
		nofile_raised = 1;
}

static int
own_state(void)
{
	uid_t u[3];
	gid_t g[3];
	int n;

	if (getresuid(&u[0], &u[1], &u[2]) < 0 || getresgid(&g[0], &g[1], &g[2]) < 0)
		return -1;
	for (int i = 0; i < 3; i++) {
		my_uids[i] = u[i];
		my_gids[i] = g[i];
	}
	for (int i = 0; i < RLIM_COUNT; i++)
		if (getrlimit(rlimit_resource[i], &my_rlimit[i]) < 0)
			return -1;
	if ((n = getgroups(0, NULL)) < 0)
		return -1;
	free(my_groups);
	my_groups = calloc((size_t)n + 1, sizeof(gid_t));
	if (!my_groups || (n = getgroups(n, my_groups)) < 0)
		return -1;
	my_ngroups = (size_t)n;
	return 0;
}

int
spawn_init(void)
{
	if (stack)
		return 0;
	stack = mmap(NULL, SPAWN_STACK, PROT_READ | PROT_WRITE,
		     MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
	if (stack == MAP_FAILED) {
		stack = NULL;
		logerr(LOG_ERR, "mmap (handler stack)");
		return -1;
	}
	/* Only root can change credentials; otherwise handlers run as us
	 * (config refuses a `user` other than ours). */
	can_setuid = geteuid() == 0;
	raise_nofile();
	if (own_state() < 0) {
		logerr(LOG_ERR, "credentials and limits");
		return -1;
	}
	/* The lowest free descriptor now (few are open yet), kept open. */
	if ((devnull = open("/dev/null", O_RDONLY | O_CLOEXEC)) < 0 ||
	    (slot = fcntl(devnull, F_DUPFD_CLOEXEC, 3)) < 0) {
		logerr(LOG_ERR, "/dev/null");
		return -1;
	}
	return 0;
}

void
spawn_exit(void)
{
	if (stack)
		munmap(stack, SPAWN_STACK);
	stack = NULL;
	if (slot >= 0)
		close(slot);
	if (devnull >= 0)
		close(devnull);
	slot = devnull = -1;
	free(my_groups);
	my_groups = NULL;
	my_ngroups = 0;
	cwd_root = -1;
}

/* Whether the first len bytes of name are one of the n names. */
static bool
names_have(const char *const *names, size_t n, const char *name, size_t len)
{
	for (size_t i = 0; i < n; i++)
		if (strlen(names[i]) == len && !strncmp(names[i], name, len))
			return true;
	return false;
}

int
spawn_reserved_env(const char *name, size_t len)
{
	return names_have(reserved_env, sizeof(reserved_env) / sizeof(reserved_env[0]), name, len);
}

/* Adds "NAME=value" to v, replacing an earlier entry of the same name. */
static int
env_put(char **v, size_t *n, char *entry)
{
	size_t len;

	if (!entry)
		return -1;
	len = strcspn(entry, "=");
	for (size_t i = 0; i < *n; i++) {
		if (!strncmp(v[i], entry, len + 1)) {
			free(v[i]);
			v[i] = entry;
			return 0;
		}
	}
	v[(*n)++] = entry;
	return 0;
}

static size_t
strv_len(char *const *v)
{
	size_t n = 0;

	while (v && v[n])
		n++;
	return n;
}

static bool
listen_reserved(const struct service *svc, const char *name, size_t len)
{
	return svc->activation == ACTIVATION_SYSTEMD &&
	       names_have(listen_env, sizeof(listen_env) / sizeof(listen_env[0]), name, len);
}

static int
env_put_static(const struct service *svc, char **v, size_t *n, const char *entry)
{
	size_t len = strcspn(entry, "=");

	if (spawn_reserved_env(entry, len) || listen_reserved(svc, entry, len)) {
		logit(LOG_WARNING, "%s: %.*s is set by portierd for each connection; "
		      "the configured value is ignored", svc->id, (int)len, entry);
		return 0;
	}
	return env_put(v, n, strdup(entry));
}

int
spawn_prepare(struct spawn_ctx *ctx, const struct service *svc)
{
	size_t cap = strv_len(svc->env) + strv_len(svc->passenv) + 4 + DYN_COUNT + 1;
	char *entry;
	size_t n = 0;

	ctx->envp = calloc(cap, sizeof(char *));
	if (!ctx->envp)
		return -1;
	for (char **e = svc->env; e && *e; e++)
		if (env_put_static(svc, ctx->envp, &n, *e) < 0)
			goto oom;
	/* passenv: portierd's own value, read once; unset names are skipped. */
	for (char **p = svc->passenv; p && *p; p++) {
		const char *val = getenv(*p);

		if (!val)
			continue;
		int rc;

		if (asprintf(&entry, "%s=%s", *p, val) < 0)
			goto oom;
		rc = env_put_static(svc, ctx->envp, &n, entry);
		free(entry);
		if (rc < 0)
			goto oom;
	}
	if (asprintf(&entry, "SERVICE=%s", svc->id) < 0 || env_put(ctx->envp, &n, entry) < 0)
		goto oom;
	entry = strdup(svc->socktype == SOCK_STREAM ? "PROTO=TCP" : "PROTO=UDP");
	if (env_put(ctx->envp, &n, entry) < 0)
		goto oom;
	/* LISTEN_PID is per process: spawn_env() and the child write it. */
	if (svc->activation == ACTIVATION_SYSTEMD &&
	    (env_put(ctx->envp, &n, strdup("LISTEN_FDS=1")) < 0 ||
	     asprintf(&entry, "LISTEN_FDNAMES=%s", svc->id) < 0 ||
	     env_put(ctx->envp, &n, entry) < 0))
		goto oom;
	ctx->nstatic = n;
	ctx->planned = false;
	return 0;
oom:
	ctx->nstatic = n;
	spawn_release(ctx);
	return -1;
}

void
spawn_release(struct spawn_ctx *ctx)
{
	/* Only the static part is owned; the rest points into dyn[]. */
	for (size_t i = 0; ctx->envp && i < ctx->nstatic; i++)
		free(ctx->envp[i]);
	free(ctx->envp);
	ctx->envp = NULL;
	ctx->nstatic = 0;
}

/* Fills the per-connection part of ctx->envp; returns the number of entries. */
static size_t
spawn_env(const struct service *svc, struct spawn_ctx *ctx, const struct conn *c)
{
	char **v = ctx->envp + ctx->nstatic;
	const struct listener *l = c->l;
	struct sockaddr_storage local;
	const struct sockaddr *lsa = l ? (const struct sockaddr *)&l->addr : NULL;
	char laddr[INET6_ADDRSTRLEN];
	size_t n = 0;
	int lport;

	/* A wildcard listener does not know which of our addresses was dialled;
	 * a connection handed over by tcpmux (no listener) asks its socket. */
	if (!l || (l->wildcard && c->fd != l->w.fd)) {
		socklen_t len = sizeof(local);

		memset(&local, 0, sizeof(local));
		if (getsockname(c->fd, (struct sockaddr *)&local, &len) == 0 || !lsa)
			lsa = (const struct sockaddr *)&local;
	}
	lport = listener_addr_text(lsa, laddr, sizeof(laddr));
	/* Not snprintf(): this runs for every connection (see spawn_plan.h). */
	spawn_plan_put(dyn[DYN_LOCAL_ADDR], DYN_LEN, "LOCAL_ADDR=", laddr);
	spawn_plan_put_uint(dyn[DYN_LOCAL_PORT], DYN_LEN, "LOCAL_PORT=", (unsigned)lport);
	v[n++] = dyn[DYN_LOCAL_ADDR];
	v[n++] = dyn[DYN_LOCAL_PORT];
	if (c->peer.ss_family != AF_UNSPEC) {
		spawn_plan_put(dyn[DYN_REMOTE_ADDR], DYN_LEN, "REMOTE_ADDR=", c->host);
		spawn_plan_put_uint(dyn[DYN_REMOTE_PORT], DYN_LEN, "REMOTE_PORT=", (unsigned)c->port);
		v[n++] = dyn[DYN_REMOTE_ADDR];
		v[n++] = dyn[DYN_REMOTE_PORT];
	}
	/* ucspi-tcp's names, for handlers written for tcpserver: connections only. */
	if (svc->socktype == SOCK_STREAM && c->peer.ss_family != AF_UNSPEC) {
		spawn_plan_put(dyn[DYN_TCPLOCALIP], DYN_LEN, "TCPLOCALIP=", laddr);
		spawn_plan_put_uint(dyn[DYN_TCPLOCALPORT], DYN_LEN, "TCPLOCALPORT=", (unsigned)lport);
		spawn_plan_put(dyn[DYN_TCPREMOTEIP], DYN_LEN, "TCPREMOTEIP=", c->host);
		spawn_plan_put_uint(dyn[DYN_TCPREMOTEPORT], DYN_LEN, "TCPREMOTEPORT=", (unsigned)c->port);
		v[n++] = dyn[DYN_TCPLOCALIP];
		v[n++] = dyn[DYN_TCPLOCALPORT];
		v[n++] = dyn[DYN_TCPREMOTEIP];
		v[n++] = dyn[DYN_TCPREMOTEPORT];
	}
	if (svc->activation == ACTIVATION_SYSTEMD) {
		/* Room for any pid; the child overwrites the digits. */
		spawn_plan_put(dyn[DYN_LISTEN_PID], DYN_LEN, LISTEN_PID_PREFIX, "0");
		v[n++] = dyn[DYN_LISTEN_PID];
	}
	v[n] = NULL;
	return n;
}

/* Puts fd on 0, 1 and 2. dup2() clears close-on-exec on the copies. */
static int
child_stdio(int fd)
{
	for (int i = 0; i < 3; i++)
		if (fd != i && dup2(fd, i) < 0)
			return -1;
	/* fd == 0..2 keeps its flags: make sure it survives exec. */
	if (fd <= 2 && fcntl(fd, F_SETFD, 0) < 0)
		return -1;
	return 0;
}

/* activation = systemd: /dev/null on 0, 1 and 2, the socket on 3. */
static int
child_listen_fd(int fd)
{
	int null = open("/dev/null", O_RDWR);

	/* 0-2 are open (daemon.c), so null is 3 or above; if it is 3, the
	 * socket's dup2() below replaces it. */
	if (null < 0)
		return -1;
	for (int i = 0; i < 3; i++)
		if (dup2(null, i) < 0)
			return -1;
	if (fd != LISTEN_FD)
		return dup2(fd, LISTEN_FD) < 0 ? -1 : 0;
	return fcntl(fd, F_SETFD, 0);	/* survive exec */
}

/* "LISTEN_PID=" followed by our own pid: decimal digits written by hand,
 * since the child may not call stdio. */
static void
child_listen_pid(char *entry)
{
	char digits[24];
	long pid = syscall(SYS_getpid);
	char *p = entry + sizeof(LISTEN_PID_PREFIX) - 1;
	int n = 0;

	do {
		digits[n++] = (char)('0' + pid % 10);
		pid /= 10;
	} while (pid && n < (int)sizeof(digits));
	while (n)
		*p++ = digits[--n];
	*p = '\0';
}

/* portierd leaves every disposition at its default and only blocks signals
 * (signalfd; SIGPIPE too, instead of ignoring it, since an ignored signal
 * stays ignored across exec): the mask is all there is to undo. */
static int
child_signals(void)
{
	sigset_t none;

	sigemptyset(&none);
	return sigprocmask(SIG_SETMASK, &none, NULL);
}

static int
child_limits(const struct service *svc, unsigned int skip)
{
	if (nofile_raised && !svc->rlimit[RLIM_FILES].set &&
	    setrlimit(RLIMIT_NOFILE, &nofile) < 0)
		return -1;
	for (int i = 0; i < RLIM_COUNT; i++) {
		struct rlimit rl;

		if (!svc->rlimit[i].set || (skip & SKIP_RLIMIT(i)))
			continue;
		rl.rlim_cur = rl.rlim_max = svc->rlimit[i].value;
		if (setrlimit(rlimit_resource[i], &rl) < 0)
			return -1;
	}
	return 0;
}

/* A call skipped here would have set what we already have (spawn_plan()). */
static int
child_credentials(const struct service *svc, unsigned int skip)
{
	/* Order matters: groups while still root, the uid last. */
	if (!(skip & SKIP_SETGROUPS) && syscall(SYS_setgroups, svc->ngids, svc->gids) < 0)
		return -1;
	if (!(skip & SKIP_SETGID) && syscall(SYS_setresgid, svc->gid, svc->gid, svc->gid) < 0)
		return -2;
	if (!(skip & SKIP_SETUID) && syscall(SYS_setresuid, svc->uid, svc->uid, svc->uid) < 0)
		return -3;
	return 0;
}

#define CHILD_FAIL(r, what) do { (r)->err = errno; (r)->step = (what); _exit(127); } while (0)

/* Runs in the child on the spawn stack: system calls only (see the top).
 * Not instrumented by ASan, which would warn (into the connection) about
 * _exit() on a stack it does not know. */
__attribute__((no_sanitize("address")))
static int
spawn_child(void *arg)
{
	struct spawn_req *r = arg;
	const struct service *svc = r->svc;
	int sock = r->listen_pid ? LISTEN_FD : 0;
	int flags;

	/* A table of our own first: until then every call acts on the parent's. */
	if (syscall(SYS_close_range, (unsigned)r->fd + 1, ~0U, CLOSE_RANGE_UNSHARE) < 0 &&
	    syscall(SYS_unshare, CLONE_FILES) < 0)
		CHILD_FAIL(r, "unshare");
	if (r->listen_pid) {
		if (child_listen_fd(r->fd) < 0)
			CHILD_FAIL(r, "dup2");
		child_listen_pid(r->listen_pid);
	} else if (child_stdio(r->fd) < 0) {
		CHILD_FAIL(r, "dup2");
	}
	if (r->clear_nonblock && ((flags = fcntl(sock, F_GETFL)) < 0 ||
				  fcntl(sock, F_SETFL, flags & ~O_NONBLOCK) < 0))
		CHILD_FAIL(r, "fcntl");
	if (setsid() < 0)
		CHILD_FAIL(r, "setsid");
	if (child_signals() < 0)
		CHILD_FAIL(r, "sigprocmask");
	if (svc->umask_set)
		umask(svc->umask);
	if (svc->nice_set && setpriority(PRIO_PROCESS, 0, svc->nice) < 0)
		CHILD_FAIL(r, "setpriority");
	if (child_limits(svc, r->skip) < 0)
		CHILD_FAIL(r, "setrlimit");
	if (svc->chroot && chroot(svc->chroot) < 0)
		CHILD_FAIL(r, "chroot");
	if (!(r->skip & SKIP_CHDIR) && chdir("/") < 0)
		CHILD_FAIL(r, "chdir /");
	if (can_setuid) {
		switch (child_credentials(svc, r->skip)) {
		case -1:
			CHILD_FAIL(r, "setgroups");
		case -2:
			CHILD_FAIL(r, "setgid");
		case -3:
			CHILD_FAIL(r, "setuid");
		}
	}
	if (svc->no_new_privileges && prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		CHILD_FAIL(r, "prctl(NO_NEW_PRIVS)");
	/* Everything is close-on-exec already; this also catches descriptors
	 * portierd inherited from whoever started it (below the slot). */
	if (syscall(SYS_close_range, r->listen_pid ? LISTEN_FD + 1U : 3U, ~0U, 0U) < 0 &&
	    errno != ENOSYS)
		CHILD_FAIL(r, "close_range");
	execve(svc->server, svc->argv, r->envp);
	CHILD_FAIL(r, "exec");
}

/* clone(), with a pidfd when asked and possible: a kernel without
 * CLONE_PIDFD (before 5.2) says EINVAL once; no descriptor left gives a
 * child without one rather than none. */
static pid_t
spawn_clone(struct spawn_req *r, int *pidfd)
{
	int flags = CLONE_VM | CLONE_VFORK | CLONE_FILES | SIGCHLD;
	pid_t pid;

	if (pidfd)
		*pidfd = -1;
	if (pidfd && pidfd_ok) {
		pid = clone(spawn_child, stack + SPAWN_STACK, flags | CLONE_PIDFD, r, pidfd);
		if (pid >= 0 || (errno != EINVAL && errno != EMFILE && errno != ENFILE))
			return pid;
		if (errno == EINVAL)
			pidfd_ok = 0;
		*pidfd = -1;
	}
	return clone(spawn_child, stack + SPAWN_STACK, flags, r);
}

/* Which of the child's calls would change nothing, once per service (and
 * reload): decided at its first connection, when portierd has detached
 * (chdir /) and its credentials and limits are final. */
static void
spawn_plan(const struct service *svc, struct spawn_ctx *ctx)
{
	char cwd[2];

	if (cwd_root < 0)
		cwd_root = getcwd(cwd, sizeof(cwd)) && !strcmp(cwd, "/");
	ctx->skip = 0;
	/* After a chroot, "/" is the new root's: chdir is never skipped. */
	if (cwd_root && !svc->chroot)
		ctx->skip |= SKIP_CHDIR;
	if (spawn_plan_same_groups(svc->gids, svc->ngids, my_groups, my_ngroups))
		ctx->skip |= SKIP_SETGROUPS;
	if (spawn_plan_same_id(svc->gid, my_gids))
		ctx->skip |= SKIP_SETGID;
	if (spawn_plan_same_id(svc->uid, my_uids))
		ctx->skip |= SKIP_SETUID;
	for (int i = 0; i < RLIM_COUNT; i++)
		if (svc->rlimit[i].set &&
		    spawn_plan_same_rlimit(&my_rlimit[i], (rlim_t)svc->rlimit[i].value))
			ctx->skip |= SKIP_RLIMIT(i);
	ctx->planned = true;
}

pid_t
spawn_handler(const struct service *svc, struct spawn_ctx *ctx,
	      const struct conn *c, struct spawn_error *e, int *pidfd)
{
	struct spawn_req r = {
		.svc = svc,
		.envp = ctx->envp,
		.fd = c->fd,
		/* accept4() without SOCK_NONBLOCK gives a blocking connection;
		 * only a handed-over listener may carry O_NONBLOCK. */
		.clear_nonblock = c->l && c->fd == c->l->w.fd,
	};
	int saved = errno;
	pid_t pid;

	if (!ctx->planned)
		spawn_plan(svc, ctx);
	r.skip = ctx->skip;
	spawn_env(svc, ctx, c);
	if (svc->activation == ACTIVATION_SYSTEMD)
		r.listen_pid = dyn[DYN_LISTEN_PID];
	e->step = NULL;
	e->err = 0;
	/* The connection on the slot (see the top); /dev/null back after. A
	 * descriptor close above it costs the child less than two dup3(). */
	if (c->fd > slot + SLOT_SPAN) {
		if (dup3(c->fd, slot, O_CLOEXEC) < 0) {
			e->step = "dup3";
			e->err = errno;
			return -1;
		}
		r.fd = slot;
	}
	pid = spawn_clone(&r, pidfd);
	if (pid < 0) {
		e->step = "clone";
		e->err = errno;
	}
	if (r.fd == slot && dup3(devnull, slot, O_CLOEXEC) < 0)
		logerr(LOG_ERR, "dup3 (handler slot)");
	if (pid < 0)
		return -1;
	if (r.step) {
		e->step = r.step;
		e->err = r.err;
	}
	/* The child shared our errno. */
	errno = saved;
	return pid;
}
