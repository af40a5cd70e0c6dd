/* SPDX-License-Identifier: ISC */
/* spawn: starting a handler, see spawn.h.
 *
 * The child is created with clone(CLONE_VM | CLONE_VFORK): it runs
 * spawn_child.c on a stack of its own inside portierd's memory until it calls
 * execve(), so no page tables are copied, and portierd sleeps until then (as
 * with vfork()): one child on its way to exec at a time, one stack, and
 * everything it reads (the request, the environment) on portierd's stack or
 * in the service's records, which nothing changes meanwhile. A step that
 * fails writes its report into portierd's memory before it exits, so when
 * clone() returns the result is known. valgrind and qemu-user run the clone
 * as a fork, where the child's memory is its own and portierd does not wait:
 * there (found out once at start-up) the report goes through a close-on-exec
 * pipe instead, whose end of file means "started". */
#include "autoconf.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "config/config.h"
#include "base/base.h"
#include "spawn/spawn.h"
#include "spawn/spawn_child.h"

/* The child's stack: the calls before exec need little, but sanitizer builds
 * add large frames. Only the pages touched cost memory. */
#define SPAWN_STACK (256 * 1024)
/* Watching each child's pidfd costs a descriptor per running handler. */
#define NOFILE_WANTED 65536

/* Per-connection variables, after each service's static entries. */
enum {
	DYN_LOCAL_ADDR, DYN_LOCAL_PORT, DYN_REMOTE_ADDR, DYN_REMOTE_PORT,
	DYN_TCPLOCALIP, DYN_TCPLOCALPORT, DYN_TCPREMOTEIP, DYN_TCPREMOTEPORT,
	DYN_LISTEN_PID,		/* activation = systemd: the child writes its pid */
	/* a unix socket's UNIXREMOTEUID, GID and PID take three of the slots above */
	DYN_COUNT
};
#define DYN_LEN (sizeof("TCPREMOTEIP=") + INET6_ADDRSTRLEN)

/* The variables portierd sets per connection. */
static const char *const reserved_env[] = {
	"SERVICE", "PROTO", "LOCAL_ADDR", "LOCAL_PORT", "REMOTE_ADDR", "REMOTE_PORT",
	"TCPLOCALIP", "TCPLOCALPORT", "TCPREMOTEIP", "TCPREMOTEPORT",
	"UNIXREMOTEUID", "UNIXREMOTEGID", "UNIXREMOTEPID", NULL
};

/* activation = systemd: set for the handler by portierd. */
static const char *const listen_env[] = { "LISTEN_FDS", "LISTEN_PID", "LISTEN_FDNAMES", NULL };

static char child_stack[SPAWN_STACK] __attribute__((aligned(16)));
static bool can_setuid;
static bool pidfd_ok = true;		/* cleared when the kernel has no CLONE_PIDFD */
static struct rlimit nofile;		/* the limit we were given, for handlers */
static bool nofile_raised;
static int start_nice, own_nice;	/* the nice value we were given, ours now */
static bool report_in_memory;		/* the clone shares our memory (probe_memory) */
static bool share_files;		/* clone with CLONE_FILES (spawn_init) */

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
		nofile_raised = true;
}

/* Between accept and a child's exec portierd works alone, and each
 * connection waits for it: with the CPUs busy with handlers, that part
 * waited for a time slice behind them (10-17 % idle CPU at 8 clients, see
 * docs/performance.md). A lower nice value than the handlers' puts it first.
 * Without the privilege (not root, no CAP_SYS_NICE) it stays as it was. */
static void
raise_priority(void)
{
	errno = 0;
	start_nice = getpriority(PRIO_PROCESS, 0);
	if (start_nice == -1 && errno) {
		start_nice = 0;
		return;
	}
	own_nice = start_nice;
	if (setpriority(PRIO_PROCESS, 0, start_nice - SPAWN_NICE_LEAD) == 0)
		own_nice = getpriority(PRIO_PROCESS, 0);
	else
		debug("nice value stays %d: %s", start_nice, strerror(errno));
}

/* Not instrumented, as spawn_child.c: on child_stack, ASan would take the
 * _exit() for a wild stack and say so. */
__attribute__((no_sanitize("address"))) static int
probe_child(void *arg)
{
	*(volatile bool *)arg = true;
	_exit(0);
}

/* Whether a child of the clone below writes into our memory: the kernel's
 * does; under valgrind or qemu-user (a fork) it writes into its own copy.
 * Saves each start a pipe, its two ends and a read (docs/performance.md). */
static void
probe_memory(void)
{
	bool shared = false;
	pid_t pid = clone(probe_child, child_stack + sizeof(child_stack),
			  CLONE_VM | CLONE_VFORK | SIGCHLD, &shared);

	if (pid < 0)
		return;
	while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
		;
	report_in_memory = shared;
	debug("handlers report a failed start %s", shared ? "in memory" : "through a pipe");
}

void
spawn_init(void)
{
	/* Only root can change credentials; otherwise handlers run as us
	 * (config refuses a `user` other than ours). */
	can_setuid = geteuid() == 0;
	raise_nofile();
	raise_priority();
	probe_memory();
	/* A copy of the descriptor table at each clone costs a reference to
	 * every open descriptor, and with many handlers running most are their
	 * pidfds: 5,000 made a connection cost 115 us of daemon CPU instead of
	 * 45 (docs/performance.md). Shared, the child copies only those below
	 * its own (close_range(CLOSE_RANGE_UNSHARE), Linux 5.9; asked here of
	 * our own table, where it changes nothing). Not under valgrind or
	 * qemu-user: they cannot run CLONE_FILES with CLONE_VFORK. */
	share_files = report_in_memory && close_range(~0U, ~0U, CLOSE_RANGE_UNSHARE) == 0;
}

/* A handler gets a process group of its own, so that signals meant for
 * portierd's group (a terminal's ^C) never reach it. It also needs a session
 * of its own when portierd has a controlling terminal (started in the
 * foreground from one): then it cannot open /dev/tty and reach that terminal
 * (TIOCSTI). Without one, a new session buys nothing and costs much: it is a
 * new scheduler autogroup, and the child moved into it before exec waits for
 * a time slice while portierd waits for the child (docs/performance.md: at 8
 * clients 0.35 of the vfork loop's rate with setsid(), 0.92 with setpgid()).
 * Asked at the first spawn, once portierd has detached or not. */
static bool
needs_session(void)
{
	static int ctty = -1;

	if (ctty < 0) {
		int fd = open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC);

		ctty = fd >= 0;
		if (fd >= 0)
			close(fd);
	}
	return ctty;
}

/* Whether the first len bytes of name are one of the names. */
static bool
names_have(const char *const *names, const char *name, size_t len)
{
	for (; *names; names++)
		if (strlen(*names) == len && !strncmp(*names, name, len))
			return true;
	return false;
}

/* True when one of the n entries of v is NAME=... */
static bool
env_has(char *const *v, size_t n, const char *name)
{
	size_t len = strlen(name);

	for (size_t i = 0; i < n; i++)
		if (!strncmp(v[i], name, len) && v[i][len] == '=')
			return true;
	return false;
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

/* Whether the configured variable (the first len bytes of name) is one
 * portierd sets itself: then it is said and left out. */
static bool
env_reserved(const struct service *svc, const char *name, size_t len)
{
	if (!names_have(reserved_env, name, len) &&
	    (svc->activation != ACTIVATION_SYSTEMD || !names_have(listen_env, name, len)))
		return false;
	logit(LOG_WARNING, "%s: %.*s is set by portierd for each connection; "
	      "the configured value is ignored", svc->id, (int)len, name);
	return true;
}

int
spawn_prepare(struct spawn_ctx *ctx, const struct service *svc)
{
	/* PATH, SERVICE, PROTO, LISTEN_FDS, LISTEN_FDNAMES, a connection's, NULL */
	size_t cap = strv_len(svc->env) + strv_len(svc->passenv) + 5 + DYN_COUNT + 1;
	char *entry;
	size_t n = 0;

	ctx->envp = calloc(cap, sizeof(char *));
	if (!ctx->envp)
		return -1;
	for (char **e = svc->env; e && *e; e++)
		if (!env_reserved(svc, *e, strcspn(*e, "=")) &&
		    env_put(ctx->envp, &n, strdup(*e)) < 0)
			goto oom;
	/* passenv: portierd's own value, read once; unset names are skipped. */
	for (char **p = svc->passenv; p && *p; p++) {
		const char *val = getenv(*p);

		if (val && !env_reserved(svc, *p, strcspn(*p, "=")) &&
		    (asprintf(&entry, "%s=%s", *p, val) < 0 || env_put(ctx->envp, &n, entry) < 0))
			goto oom;
	}
	/* passenv = { "PATH" } with no PATH of ours gives the default too. */
	if (!env_has(ctx->envp, n, "PATH") &&
	    env_put(ctx->envp, &n, strdup("PATH=" SPAWN_DEFAULT_PATH)) < 0)
		goto oom;
	if (asprintf(&entry, "SERVICE=%s", svc->id) < 0 || env_put(ctx->envp, &n, entry) < 0)
		goto oom;
	/* unixserver's PROTO=UNIX for a unix socket (UCSPI) */
	entry = strdup(svc->local ? "PROTO=UNIX" : svc->socktype == SOCK_STREAM ? "PROTO=TCP"
									: "PROTO=UDP");
	if (env_put(ctx->envp, &n, entry) < 0)
		goto oom;
	/* LISTEN_PID is per process: spawn_env() and the child write it. */
	if (svc->activation == ACTIVATION_SYSTEMD &&
	    (env_put(ctx->envp, &n, strdup("LISTEN_FDS=1")) < 0 ||
	     asprintf(&entry, "LISTEN_FDNAMES=%s", svc->id) < 0 ||
	     env_put(ctx->envp, &n, entry) < 0))
		goto oom;
	ctx->nstatic = n;
	return 0;
oom:
	ctx->nstatic = n;
	spawn_release(ctx);
	return -1;
}

void
spawn_release(struct spawn_ctx *ctx)
{
	for (size_t i = 0; ctx->envp && i < ctx->nstatic; i++)
		free(ctx->envp[i]);
	free(ctx->envp);
	ctx->envp = NULL;
	ctx->nstatic = 0;
}

/* A connection's entries after ctx's static ones, formatted into dyn;
 * returns the LISTEN_PID entry for the child to complete, or NULL. */
static char *
spawn_env(struct spawn_ctx *ctx, const struct spawn_request *r, char dyn[DYN_COUNT][DYN_LEN])
{
	const struct service *svc = r->svc;
	char **v = ctx->envp + ctx->nstatic;
	char laddr[INET6_ADDRSTRLEN], raddr[INET6_ADDRSTRLEN];
	int lport, rport;
	size_t n = 0;

	if (svc->local) {
		/* unixserver's names: the peer's credentials, from SO_PEERCRED */
		if (r->cred) {
			snprintf(dyn[n++], DYN_LEN, "UNIXREMOTEUID=%u", (unsigned)r->cred->uid);
			snprintf(dyn[n++], DYN_LEN, "UNIXREMOTEGID=%u", (unsigned)r->cred->gid);
			snprintf(dyn[n++], DYN_LEN, "UNIXREMOTEPID=%d", (int)r->cred->pid);
		}
		goto done;
	}
	lport = addr_text(r->local, laddr, sizeof(laddr));
	snprintf(dyn[n++], DYN_LEN, "LOCAL_ADDR=%s", laddr);
	snprintf(dyn[n++], DYN_LEN, "LOCAL_PORT=%d", lport);
	if (r->remote) {
		/* the daemon's text for its log, when it made one */
		const char *rtext = r->remote_text ? r->remote_text : raddr;

		rport = r->remote_text ? (int)addr_port(r->remote) :
					 addr_text(r->remote, raddr, sizeof(raddr));
		snprintf(dyn[n++], DYN_LEN, "REMOTE_ADDR=%s", rtext);
		snprintf(dyn[n++], DYN_LEN, "REMOTE_PORT=%d", rport);
		/* ucspi-tcp's names, for handlers written for tcpserver. */
		if (svc->socktype == SOCK_STREAM) {
			snprintf(dyn[n++], DYN_LEN, "TCPLOCALIP=%s", laddr);
			snprintf(dyn[n++], DYN_LEN, "TCPLOCALPORT=%d", lport);
			snprintf(dyn[n++], DYN_LEN, "TCPREMOTEIP=%s", rtext);
			snprintf(dyn[n++], DYN_LEN, "TCPREMOTEPORT=%d", rport);
		}
	}
done:
	/* Room for any pid; the child overwrites the digits. */
	if (svc->activation == ACTIVATION_SYSTEMD)
		snprintf(dyn[n++], DYN_LEN, "%s0", SPAWN_LISTEN_PID_PREFIX);
	for (size_t i = 0; i < n; i++)
		v[i] = dyn[i];
	v[n] = NULL;
	return svc->activation == ACTIVATION_SYSTEMD ? dyn[n - 1] : NULL;
}

/* A close-on-exec pipe for the child's report, the write end above the
 * descriptors the child puts the socket on (0-3). */
static int
report_pipe(int p[2])
{
	int fd;

	if (pipe2(p, O_CLOEXEC) < 0)
		return -1;
	if (p[1] > SPAWN_LISTEN_FD)
		return 0;
	fd = fcntl(p[1], F_DUPFD_CLOEXEC, SPAWN_LISTEN_FD + 1);
	close(p[1]);
	if ((p[1] = fd) < 0) {
		close(p[0]);
		return -1;
	}
	return 0;
}

/* clone(), with a pidfd when asked and possible: a kernel without
 * CLONE_PIDFD (before 5.2) says EINVAL once; no descriptor left gives a
 * child without one rather than none. */
static pid_t
spawn_clone(struct spawn_child_args *a, int *pidfd)
{
	int flags = CLONE_VM | CLONE_VFORK | SIGCHLD | (a->share_files ? CLONE_FILES : 0);
	char *top = child_stack + sizeof(child_stack);
	pid_t pid;

	if (pidfd)
		*pidfd = -1;
	if (pidfd && pidfd_ok) {
		pid = clone(spawn_child, top, flags | CLONE_PIDFD, a, pidfd);
		if (pid >= 0 || (errno != EINVAL && errno != EMFILE && errno != ENFILE))
			return pid;
		if (errno == EINVAL)
			pidfd_ok = false;
		*pidfd = -1;
	}
	return clone(spawn_child, top, flags, a);
}

/* The pipe's word (report_in_memory false): EOF once the child has
 * exec'd, else what failed. */
static void
pipe_result(int p[2], pid_t pid, struct spawn_error *e)
{
	struct spawn_report rep;
	ssize_t n = 0;

	close(p[1]);	/* now only the child's copy holds the pipe open */
	if (pid >= 0) {
		while ((n = read(p[0], &rep, sizeof(rep))) < 0 && errno == EINTR)
			;
		if (n == (ssize_t)sizeof(rep))
			*e = (struct spawn_error){ rep.step, rep.err };
	}
	close(p[0]);
}

pid_t
spawn_handler(struct spawn_ctx *ctx, const struct spawn_request *r,
	      struct spawn_error *e, int *pidfd)
{
	char dyn[DYN_COUNT][DYN_LEN];
	struct spawn_report rep = { 0 };
	struct spawn_child_args a = {
		.svc = r->svc,
		.envp = ctx->envp,
		.listen_pid = spawn_env(ctx, r, dyn),
		.nofile = nofile_raised ? &nofile : NULL,
		.fd = r->fd,
		.nice = r->svc->nice_set ? r->svc->nice : start_nice,
		.clear_nonblock = r->listening,
		.new_session = needs_session(),
		.set_creds = can_setuid,
		.report = &rep,
		.share_files = share_files,
	};
	int saved = errno, p[2] = { -1, -1 };
	pid_t pid;

	a.set_nice = a.nice != own_nice;
	*e = (struct spawn_error){ NULL, 0 };
	if (!report_in_memory && report_pipe(p) < 0) {
		*e = (struct spawn_error){ "pipe", errno };
		errno = saved;
		return -1;
	}
	a.report_fd = p[1];
	a.keep_below = (unsigned)(r->fd > p[1] ? r->fd : p[1]) + 1;
	/* The child's libc calls set errno: it is ours too (CLONE_VM). */
	pid = spawn_clone(&a, pidfd);
	if (pid < 0)
		*e = (struct spawn_error){ "clone", errno };
	else if (report_in_memory)
		*e = (struct spawn_error){ rep.step, rep.err };
	if (!report_in_memory)
		pipe_result(p, pid, e);
	errno = saved;
	return pid;
}
