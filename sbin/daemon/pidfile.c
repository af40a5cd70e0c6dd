/* pidfile: see pidfile.h */
#include "autoconf.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/base.h"
#include "daemon/pidfile.h"

static pid_t
pidfile_read(const char *path)
{
	char buf[32];
	ssize_t n;
	long v;
	char *end;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return 0;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	errno = 0;
	v = strtol(buf, &end, 10);
	if (errno || end == buf || (*end && *end != '\n') || v <= 0 || v > INT_MAX)
		return 0;
	return (pid_t)v;
}

/* The command name of pid ("" when unknown). */
static void
proc_comm(const char *pid, char *buf, size_t len)
{
	char path[64];
	FILE *fp;

	buf[0] = '\0';
	snprintf(path, sizeof(path), "/proc/%s/comm", pid);
	fp = fopen(path, "re");
	if (!fp)
		return;
	if (!fgets(buf, len, fp))
		buf[0] = '\0';
	fclose(fp);
}

pid_t
pidfile_check(const char *path)
{
	pid_t pid = pidfile_read(path);
	char num[16], theirs[32], ours[32];

	if (pid <= 0 || pid == getpid())
		return 0;
	if (kill(pid, 0) < 0 && errno != EPERM)
		return 0;
	/* A recycled pid: alive, but not a portierd. An unreadable comm
	 * (hidepid) is taken as alive: refusing is the safe mistake. */
	snprintf(num, sizeof(num), "%d", (int)pid);
	proc_comm(num, theirs, sizeof(theirs));
	proc_comm("self", ours, sizeof(ours));
	if (theirs[0] && ours[0] && strcmp(theirs, ours))
		return 0;
	return pid;
}

/* mkdir -p for the directory part of path. */
static int
make_parent(const char *path)
{
	char dir[PATH_MAX];
	char *slash;

	if (snprintf(dir, sizeof(dir), "%s", path) >= (int)sizeof(dir))
		return -1;
	slash = strrchr(dir, '/');
	if (!slash || slash == dir)
		return 0;
	*slash = '\0';
	for (char *p = dir + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(dir, 0755) < 0 && errno != EEXIST)
			return -1;
		*p = '/';
	}
	if (mkdir(dir, 0755) < 0 && errno != EEXIST)
		return -1;
	return 0;
}

int
pidfile_write(const char *path)
{
	char tmp[PATH_MAX], buf[32];
	int fd, n;

	if (snprintf(tmp, sizeof(tmp), "%s.%d.tmp", path, (int)getpid()) >= (int)sizeof(tmp)) {
		logit(LOG_ERR, "pidfile %s: name too long", path);
		return -1;
	}
	if (make_parent(path) < 0) {
		logerr(LOG_ERR, "pidfile %s: cannot create its directory", path);
		return -1;
	}
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0644);
	if (fd < 0) {
		logerr(LOG_ERR, "pidfile %s", tmp);
		return -1;
	}
	n = snprintf(buf, sizeof(buf), "%d\n", (int)getpid());
	if (write(fd, buf, n) != n) {
		logerr(LOG_ERR, "pidfile %s: write", tmp);
		close(fd);
		unlink(tmp);
		return -1;
	}
	if (close(fd) < 0 || rename(tmp, path) < 0) {
		logerr(LOG_ERR, "pidfile %s", path);
		unlink(tmp);
		return -1;
	}
	return 0;
}

void
pidfile_remove(const char *path)
{
	if (pidfile_read(path) != getpid())
		return;
	if (unlink(path) < 0)
		logerr(LOG_ERR, "pidfile %s: unlink", path);
}
