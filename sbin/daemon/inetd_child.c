/* SPDX-License-Identifier: ISC */
/* inetd_child: inetd_compat's converter in a child, see inetd_child.h. As
 * the load, synchronous: the child is waited for here, before the loop
 * (children.c) could see it; its input a memfd (no pipe to deadlock on). */
#include "autoconf.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <libgen.h>
#include <poll.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "base/base.h"
#include "config/config.h"
#include "daemon/inetd_child.h"

#define INETD_CHILD_SECONDS 10	/* from fork to the end of the answer */
/* The answer is a few hundred octets per entry: more is a broken child. */
#define INETD_ANSWER_MAX (64u << 20)
#define NOBODY_ID 65534	/* when the passwd database has no nobody */
#define CHILD_PATH "PATH=/usr/sbin:/usr/bin:/sbin:/bin"	/* its whole environment */

static const char *const *child_registries;
static size_t child_nregistries;

/* The child: input on 0, the answer on 1, stderr left as it is; nobody
 * when root; nothing else open, no signal blocked, no environment but
 * PATH, in /. */
static _Noreturn void
child_run(const char *prog, char *const argv[], int in, int out, uid_t uid, gid_t gid)
{
	static char *const envp[] = { CHILD_PATH, NULL };
	const char *step = "dup2";
	sigset_t none;

	sigemptyset(&none);
	/* above 2 first, so that no dup2() meets its own descriptor */
	in = fcntl(in, F_DUPFD, 3);
	out = fcntl(out, F_DUPFD, 3);
	if (in < 0 || out < 0 || dup2(in, STDIN_FILENO) < 0 || dup2(out, STDOUT_FILENO) < 0)
		goto fail;
	step = "close_range";
	if (close_range(3, ~0U, 0) < 0)
		goto fail;
	step = "sigprocmask";
	if (sigprocmask(SIG_SETMASK, &none, NULL) < 0)
		goto fail;
	step = "chdir /";
	if (chdir("/") < 0)
		goto fail;
	if (geteuid() == 0) {
		/* in this order, each checked, then proved: no way back to root */
		step = "dropping to nobody";
		if (setgroups(0, NULL) < 0 || setgid(gid) < 0 || setuid(uid) < 0 ||
		    getuid() != uid || geteuid() != uid || getgid() != gid ||
		    getegid() != gid || (uid != 0 && setuid(0) == 0))
			goto fail;
	}
	step = "execve";
	execve(prog, argv, envp);
fail:
	dprintf(STDERR_FILENO, "portierd: inetd_conf: %s: %s: %s\n", prog, step,
		strerror(errno));
	_exit(127);
}

/* DIR/portierctl, DIR being portierd's own; NULL with the error in d. */
static char *
ctl_path(struct diag *d)
{
	char exe[PATH_MAX], *path = NULL;
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);

	if (n < 0) {
		diag_add(d, DIAG_ERROR, NULL, 0, "inetd_conf: /proc/self/exe: %s", strerror(errno));
		return NULL;
	}
	exe[n] = '\0';
	if (asprintf(&path, "%s/portierctl", dirname(exe)) < 0) {
		diag_add(d, DIAG_ERROR, NULL, 0, "out of memory");
		return NULL;
	}
	if (access(path, X_OK) == 0)
		return path;
	diag_add(d, DIAG_ERROR, NULL, 0, "inetd_conf: cannot run %s: %s", path, strerror(errno));
	free(path);
	return NULL;
}

/* A memfd holding text, at offset 0; -1 with the error in d. */
static int
input_fd(const char *text, struct diag *d)
{
	int fd = memfd_create("inetd.conf", MFD_CLOEXEC);
	size_t len = strlen(text), done = 0;

	while (fd >= 0 && done < len) {
		ssize_t w = write(fd, text + done, len - done);

		if (w < 0 && errno != EINTR)
			break;
		done += w > 0 ? (size_t)w : 0;
	}
	if (fd < 0 || done < len || lseek(fd, 0, SEEK_SET) < 0) {
		diag_add(d, DIAG_ERROR, NULL, 0, "inetd_conf: memfd: %s", strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	return fd;
}

static long
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

/* The child's whole answer from fd into *buf (*len octets) before the
 * deadline. 0, or the reason it stopped. */
static const char *
read_answer(int fd, char **buf, size_t *len)
{
	long deadline = now_ms() + INETD_CHILD_SECONDS * 1000L;
	size_t cap = 0;

	for (;;) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		long left = deadline - now_ms();
		int r = left > 0 ? poll(&p, 1, (int)left) : 0;
		ssize_t n;

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return r < 0 ? strerror(errno) : "took too long, killed";
		if (*len >= INETD_ANSWER_MAX)
			return "answered too much, killed";
		if (array_reserve(buf, &cap, *len + 65536, 1) < 0)
			return "out of memory";
		n = read(fd, *buf + *len, cap - *len);
		if (n < 0 && errno != EINTR)
			return strerror(errno);
		if (n == 0)
			return NULL;
		*len += n > 0 ? (size_t)n : 0;
	}
}

/* Runs prog on text; the decoded answer into *out, *n and d. */
static int
run(const char *prog, char *const argv[], const char *text, struct config_chunk **out,
    size_t *n, struct diag *d)
{
	struct passwd *pw = getpwnam("nobody");
	uid_t uid = pw ? pw->pw_uid : NOBODY_ID;
	gid_t gid = pw ? pw->pw_gid : NOBODY_ID;
	int in = input_fd(text, d), p[2], status = 0, rc = 0;
	const char *why;
	char *buf = NULL, what[64];
	size_t len = 0;
	pid_t pid;

	if (in < 0)
		return 0;
	if (pipe2(p, O_CLOEXEC) < 0) {
		diag_add(d, DIAG_ERROR, NULL, 0, "inetd_conf: pipe: %s", strerror(errno));
		close(in);
		return 0;
	}
	pid = fork();
	if (pid == 0)
		child_run(prog, argv, in, p[1], uid, gid);
	if (pid < 0)
		snprintf(what, sizeof(what), "fork: %s", strerror(errno));
	why = pid < 0 ? what : NULL;
	close(in);
	close(p[1]);
	if (!why && (why = read_answer(p[0], &buf, &len)))
		kill(pid, SIGKILL);
	close(p[0]);
	while (pid > 0 && waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (!why && WIFSIGNALED(status))
		snprintf(what, sizeof(what), "signal %d", WTERMSIG(status));
	else if (!why && status)
		snprintf(what, sizeof(what), "exit %d", WEXITSTATUS(status));
	if (why || status)
		diag_add(d, DIAG_ERROR, NULL, 0, "inetd_conf: %s inetd-entries: %s", prog,
			 why ? why : what);
	else
		rc = config_inetd_decode(buf ? buf : "", len, out, n, d);
	free(buf);
	return rc;
}

/* config_inetd_fn: reg is the child's own, loaded from the same files. */
static int
inetd_child_read(const char *text, const char *path, const struct registry *reg,
		 struct config_chunk **out, size_t *n, struct diag *d)
{
	char *prog = ctl_path(d);
	const char **argv = prog ? calloc(2 * child_nregistries + 4, sizeof(*argv)) : NULL;
	int rc = prog ? -1 : 0;
	size_t k = 2;

	*out = NULL;
	*n = 0;
	if (argv) {	/* portierctl inetd-entries [-r FILE]... PATH */
		argv[0] = "portierctl";
		argv[1] = "inetd-entries";
		for (size_t i = 0; i < child_nregistries; i++) {
			argv[k++] = "-r";
			argv[k++] = child_registries[i];
		}
		argv[k] = path;
		rc = run(prog, (char *const *)argv, text, out, n, d);
	}
	free(argv);
	free(prog);
	return rc;
}

void
inetd_child_use(const char *const *registries, size_t n)
{
	child_registries = registries;
	child_nregistries = n;
	config_set_inetd_reader(inetd_child_read);
}
