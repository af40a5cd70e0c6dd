/* spawn: starting a handler, see spawn.h.
 *
 * The child is created with clone(CLONE_VM): it runs spawn_child.c on a stack
 * of its own inside portierd's memory until it calls execve(), so no page
 * tables are copied. portierd does not wait for that (where spawn_child.c has
 * raw system calls: SPAWN_CONCURRENT): under load, the wait for a child to be
 * scheduled and to reach exec was most of the time between two connections.
 * So each child in flight has a slot of its own: its stack, its request and
 * its per-connection environment, which portierd leaves alone until the
 * kernel says the child is done with them. CLONE_CHILD_CLEARTID does: the
 * kernel writes 0 to the slot's word (and wakes futex waiters) when the child
 * execs or exits. spawn_settle() then frees the slot and reports whether the
 * exec happened (a failing child wrote the step and errno into its request).
 *
 * The child also shares the descriptor table at first (CLONE_FILES): copying
 * it, then closing every copy before exec, would cost each connection time in
 * proportion to portierd's descriptors (a listener per service, a pidfd per
 * running handler). Instead the connection goes on the slot's low reserved
 * descriptor, and the child's first call, close_range(fd + 1, ~0,
 * CLOSE_RANGE_UNSHARE), gives it a table of its own holding only 0..fd. The
 * slot's descriptor keeps the connection open in portierd until the slot is
 * settled (then it holds /dev/null again): a settle follows every spawn, every
 * exit, and a timer while a slot is in use, so a handler's exit still ends the
 * connection at once and one that closes it early sees that within
 * SETTLE_MS. */
#include "autoconf.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/futex.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "config/config.h"
#include "daemon/listener.h"
#include "base/base.h"
#include "daemon/service.h"
#include "spawn/spawn.h"
#include "spawn/spawn_child.h"
#include "spawn/spawn_plan.h"

/* The child's stack: execve() and the few calls before it need little, but
 * sanitizer builds add large frames. Only the pages touched cost memory. */
#define SPAWN_STACK (256 * 1024)
/* Children between clone() and exec at once; a spawn with none free waits
 * (SLOT_WAIT_MS at most, then the connection is refused like a failed
 * clone). Without concurrent spawning the clone waits and one is enough. */
#if SPAWN_CONCURRENT
#define SPAWN_SLOTS 16
#else
#define SPAWN_SLOTS 1
#endif
#define SLOT_WAIT_MS 1000
/* While a slot is in use, a settle at least this often (see the top). */
#define SETTLE_MS 10

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

/* activation = systemd: set for the handler by portierd. */
static const char *const listen_env[] = { "LISTEN_FDS", "LISTEN_PID", "LISTEN_FDNAMES" };

/* What one child in flight uses until it has exec'd or exited. */
struct spawn_slot {
	struct spawn_req req;
	char dyn[DYN_COUNT][DYN_LEN];
	char **envp;		/* the service's static entries, then dyn, NULL */
	size_t envp_cap;
	char *stack;		/* lowest address; SPAWN_STACK bytes above a guard page */
	int fd;			/* the low descriptor the connection goes on */
	pid_t pid;
	/* -1 from before clone() until the kernel writes 0 (CLONE_CHILD_CLEARTID). */
	pid_t tid;
	bool busy;
	unsigned long seq;	/* spawn order: the oldest child is waited for */
};

static struct spawn_slot slots[SPAWN_SLOTS];
static size_t nslots = SPAWN_SLOTS;	/* in use: PORTIER_SPAWN_SLOTS may lower it */
static size_t nbusy;
static unsigned long spawns;
static char *stacks;			/* one mapping for every slot's stack */
static size_t stacks_len;
static spawn_settled_fn settled;
static struct timer settle_timer;
static int can_setuid;
static int pidfd_ok = 1;		/* cleared when the kernel has no CLONE_PIDFD */
static struct rlimit nofile;		/* the limit we were given, for handlers */
static int nofile_raised;
/* portierd's own credentials and limits (after raise_nofile()), which the
 * child inherits: a call that would set them to the same is skipped. */
static unsigned int my_uids[3], my_gids[3];
static gid_t *my_groups;
static size_t my_ngroups;
static struct rlimit my_rlimit[RLIM_COUNT];
static int cwd_root = -1;		/* our directory is "/" (-1: not checked yet) */
static int devnull = -1;		/* what a slot's descriptor holds when free */

/* Watching each child's pidfd costs a descriptor per running handler. */
#define NOFILE_WANTED 65536

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
		if (getrlimit(spawn_rlimit_resource[i], &my_rlimit[i]) < 0)
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

/* The stacks (a guard page below each, so that an overflow faults instead
 * of writing into the next child's) and the slots' descriptors: the lowest
 * free ones now, while few are open, each holding /dev/null. */
static int
slots_init(void)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE), each = SPAWN_STACK + page;
	const char *n = getenv("PORTIER_SPAWN_SLOTS");

	/* For tests (portierd(8)): fewer slots make a burst wait for them. */
	if (n && atoi(n) >= 1 && atoi(n) < SPAWN_SLOTS)
		nslots = (size_t)atoi(n);

	stacks_len = each * SPAWN_SLOTS;
	stacks = mmap(NULL, stacks_len, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK | MAP_NORESERVE, -1, 0);
	if (stacks == MAP_FAILED) {
		stacks = NULL;
		logerr(LOG_ERR, "mmap (handler stacks)");
		return -1;
	}
	for (size_t i = 0; i < SPAWN_SLOTS; i++) {
		struct spawn_slot *s = &slots[i];

		if (mprotect(stacks + i * each, page, PROT_NONE) < 0) {
			logerr(LOG_ERR, "mprotect (handler stack guard)");
			return -1;
		}
		s->stack = stacks + i * each + page;
		if ((s->fd = fcntl(devnull, F_DUPFD_CLOEXEC, 3)) < 0) {
			logerr(LOG_ERR, "/dev/null");
			return -1;
		}
	}
	return 0;
}

static void settle_fire(struct timer *t);

bool
spawn_concurrent(void)
{
	return SPAWN_CONCURRENT;
}

int
spawn_init(spawn_settled_fn fn)
{
	if (stacks)
		return 0;
	settled = fn;
	settle_timer.fn = settle_fire;
	/* Only root can change credentials; otherwise handlers run as us
	 * (config refuses a `user` other than ours). */
	can_setuid = geteuid() == 0;
	raise_nofile();
	if (own_state() < 0) {
		logerr(LOG_ERR, "credentials and limits");
		return -1;
	}
	if ((devnull = open("/dev/null", O_RDONLY | O_CLOEXEC)) < 0) {
		logerr(LOG_ERR, "/dev/null");
		return -1;
	}
	return slots_init();
}

/* Waits for a slot's child to exec or exit, ms at most. */
static void
slot_wait(struct spawn_slot *s, long ms)
{
	struct timespec ts = { .tv_sec = ms / 1000, .tv_nsec = (ms % 1000) * 1000000L };
	pid_t v = __atomic_load_n(&s->tid, __ATOMIC_ACQUIRE);

	if (v != 0)
		syscall(SYS_futex, &s->tid, FUTEX_WAIT, v, &ts, NULL, 0);
}

/* The slot's child has not exec'd or exited yet. */
static bool
in_flight(struct spawn_slot *s)
{
	return s->busy && __atomic_load_n(&s->tid, __ATOMIC_ACQUIRE) != 0;
}

/* Waits (SLOT_WAIT_MS at most) until no child is in flight; false when some
 * still are. */
static bool
slots_drain(void)
{
	for (int waits = 0;; waits++) {
		size_t i = 0;

		while (i < SPAWN_SLOTS && !in_flight(&slots[i]))
			i++;
		if (i == SPAWN_SLOTS)
			return true;
		if (waits == SLOT_WAIT_MS / 10)
			return false;
		slot_wait(&slots[i], 10);
	}
}

void
spawn_exit(void)
{
	/* A child still on its stack (stopped before exec, say) keeps the
	 * stacks mapped: unmapping them would crash it. */
	bool in_use = !slots_drain();

	timer_cancel(&settle_timer);
	if (stacks && !in_use)
		munmap(stacks, stacks_len);
	stacks = NULL;
	for (size_t i = 0; i < SPAWN_SLOTS; i++) {
		if (slots[i].stack && slots[i].fd >= 0)
			close(slots[i].fd);
		free(slots[i].envp);
		memset(&slots[i], 0, sizeof(slots[i]));
	}
	nbusy = 0;
	nslots = SPAWN_SLOTS;
	if (devnull >= 0)
		close(devnull);
	devnull = -1;
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
	/* SERVICE, PROTO, LISTEN_FDS, LISTEN_FDNAMES, NULL */
	size_t cap = strv_len(svc->env) + strv_len(svc->passenv) + 4 + 1;
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
	for (size_t i = 0; ctx->envp && i < ctx->nstatic; i++)
		free(ctx->envp[i]);
	free(ctx->envp);
	ctx->envp = NULL;
	ctx->nstatic = 0;
}

/* The slot's envp: the service's static entries (which live as long as the
 * service, and a running child keeps its service), then the per-connection
 * ones, formatted into the slot. -1 when out of memory. */
static int
spawn_env(struct spawn_slot *s, const struct service *svc, const struct spawn_ctx *ctx,
	  const struct conn *c)
{
	char (*dyn)[DYN_LEN] = s->dyn;
	char **v;
	const struct listener *l = c->l;
	struct sockaddr_storage local;
	const struct sockaddr *lsa = l ? (const struct sockaddr *)&l->addr : NULL;
	char laddr[INET6_ADDRSTRLEN];
	size_t n = 0;
	int lport;

	if (s->envp_cap < ctx->nstatic + DYN_COUNT + 1) {
		size_t cap = ctx->nstatic + DYN_COUNT + 1;
		char **e = realloc(s->envp, cap * sizeof(*e));

		if (!e)
			return -1;
		s->envp = e;
		s->envp_cap = cap;
	}
	memcpy(s->envp, ctx->envp, ctx->nstatic * sizeof(*s->envp));
	v = s->envp + ctx->nstatic;

	/* A wildcard listener does not know which of our addresses was dialled;
	 * a connection handed over by tcpmux (no listener) asks its socket. */
	if (!l || (l->wildcard && c->fd != l->w.fd)) {
		socklen_t len = sizeof(local);

		memset(&local, 0, sizeof(local));
		if (getsockname(c->fd, (struct sockaddr *)&local, &len) == 0 || !lsa)
			lsa = (const struct sockaddr *)&local;
	}
	lport = addr_text(lsa, laddr, sizeof(laddr));
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
		spawn_plan_put(dyn[DYN_LISTEN_PID], DYN_LEN, SPAWN_LISTEN_PID_PREFIX, "0");
		v[n++] = dyn[DYN_LISTEN_PID];
	}
	v[n] = NULL;
	return 0;
}

/* The slot's descriptor back to /dev/null (dropping the connection) and the
 * slot free. */
static void
slot_free(struct spawn_slot *s)
{
	if (dup3(devnull, s->fd, O_CLOEXEC) < 0)
		logerr(LOG_ERR, "dup3 (handler slot)");
	if (s->busy)
		nbusy--;
	s->busy = false;
}

void
spawn_settle(void)
{
	for (size_t i = 0; nbusy && i < nslots; i++) {
		struct spawn_slot *s = &slots[i];
		struct spawn_error e;

		if (!s->busy || in_flight(s))
			continue;
		e.step = s->req.step;
		e.err = s->req.err;
		slot_free(s);
		if (settled)
			settled(s->pid, &e);
	}
	if (nbusy && !settle_timer.slot)
		timer_arm(&settle_timer, SETTLE_MS);
}

int
spawn_quiesce(void)
{
	slots_drain();
	spawn_settle();
	return nbusy ? -1 : 0;
}

static void
settle_fire(struct timer *t)
{
	(void)t;
	spawn_settle();
}

/* A free slot, after waiting (SLOT_WAIT_MS at most) for one when every
 * slot's child is still on its way to exec: for the oldest, which is the
 * likeliest to get there first. */
static struct spawn_slot *
slot_get(void)
{
	for (int round = 0; round <= SLOT_WAIT_MS / 10; round++) {
		struct spawn_slot *oldest = NULL;

		spawn_settle();
		for (size_t i = 0; i < nslots; i++) {
			if (!slots[i].busy)
				return &slots[i];
			if (!oldest || slots[i].seq < oldest->seq)
				oldest = &slots[i];
		}
		if (!round)
			debug("all %zu spawn slots in use: waiting for pid %d to exec",
			      nslots, (int)oldest->pid);
		slot_wait(oldest, 10);
	}
	return NULL;
}

/* clone(), with a pidfd when asked and possible: a kernel without
 * CLONE_PIDFD (before 5.2) says EINVAL once; no descriptor left gives a
 * child without one rather than none. */
static pid_t
spawn_clone(struct spawn_slot *s, int *pidfd)
{
	int flags = CLONE_VM | CLONE_FILES | CLONE_CHILD_CLEARTID | SIGCHLD;
	char *top = s->stack + SPAWN_STACK;
	pid_t pid;

	if (!SPAWN_CONCURRENT)
		flags |= CLONE_VFORK;
	/* Not CLONE_PARENT_SETTID, which clone() cannot have with CLONE_PIDFD:
	 * the word is set here, and only the kernel clears it. */
	__atomic_store_n(&s->tid, -1, __ATOMIC_RELEASE);
	if (pidfd)
		*pidfd = -1;
	if (pidfd && pidfd_ok) {
		pid = clone(spawn_child, top, flags | CLONE_PIDFD, &s->req, pidfd, NULL, &s->tid);
		if (pid >= 0 || (errno != EINVAL && errno != EMFILE && errno != ENFILE))
			return pid;
		if (errno == EINVAL)
			pidfd_ok = 0;
		*pidfd = -1;
	}
	return clone(spawn_child, top, flags, &s->req, NULL, NULL, &s->tid);
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
		ctx->skip |= SPAWN_SKIP_CHDIR;
	if (spawn_plan_same_groups(svc->gids, svc->ngids, my_groups, my_ngroups))
		ctx->skip |= SPAWN_SKIP_SETGROUPS;
	if (spawn_plan_same_id(svc->gid, my_gids))
		ctx->skip |= SPAWN_SKIP_SETGID;
	if (spawn_plan_same_id(svc->uid, my_uids))
		ctx->skip |= SPAWN_SKIP_SETUID;
	for (int i = 0; i < RLIM_COUNT; i++)
		if (svc->rlimit[i].set &&
		    spawn_plan_same_rlimit(&my_rlimit[i], (rlim_t)svc->rlimit[i].value))
			ctx->skip |= SPAWN_SKIP_RLIMIT(i);
	ctx->planned = true;
}

pid_t
spawn_handler(const struct service *svc, struct spawn_ctx *ctx,
	      const struct conn *c, struct spawn_error *e, int *pidfd)
{
	struct spawn_slot *s;
	int saved = errno;
	pid_t pid;

	e->step = NULL;
	e->err = 0;
	if (!ctx->planned)
		spawn_plan(svc, ctx);
	if (!(s = slot_get())) {
		e->step = "clone";
		e->err = EAGAIN;
		return -1;
	}
	/* The connection on the slot's descriptor (see the top). */
	if (dup3(c->fd, s->fd, O_CLOEXEC) < 0) {
		e->step = "dup3";
		e->err = errno;
		return -1;
	}
	if (spawn_env(s, svc, ctx, c) < 0) {
		slot_free(s);
		e->step = "environment";
		e->err = ENOMEM;
		return -1;
	}
	s->req = (struct spawn_req){
		.svc = svc,
		.envp = s->envp,
		.listen_pid = svc->activation == ACTIVATION_SYSTEMD ? s->dyn[DYN_LISTEN_PID] : NULL,
		.nofile = nofile_raised ? &nofile : NULL,
		.fd = s->fd,
		/* accept4() without SOCK_NONBLOCK gives a blocking connection;
		 * only a handed-over listener may carry O_NONBLOCK. */
		.clear_nonblock = c->l && c->fd == c->l->w.fd,
		.set_creds = can_setuid,
		.skip = ctx->skip,
	};
	pid = spawn_clone(s, pidfd);
	if (pid < 0) {
		e->step = "clone";
		e->err = errno;
		slot_free(s);
		errno = saved;
		return -1;
	}
	s->pid = pid;
	s->busy = true;
	s->seq = ++spawns;
	nbusy++;
	errno = saved;
	return pid;
}
