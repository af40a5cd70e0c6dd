/* SPDX-License-Identifier: ISC */
/* pidfile: see pidfile.h */
#include "autoconf.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/base.h"
#include "daemon/pidfile.h"
#include "daemon/rundir.h"

static pid_t
pidfile_read(const char *path)
{
	char buf[32];
	ssize_t n;
	long v;
	char *end;
	/* not through a link, and never blocked on a FIFO */
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);

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
	return theirs[0] && ours[0] && strcmp(theirs, ours) ? 0 : pid;
}

int
pidfile_prepare(const char *path)
{
	char err[PATH_MAX + 256];

	if (rundir_prepare(path, err, sizeof(err)) == 0)
		return 0;
	logit(LOG_ERR, "pidfile %s: %s; refusing to start", path, err);
	return -1;
}

/* The temporary file is ours alone: O_EXCL, never through a link, and a
 * left-over of a crash (or a name planted before us) is removed first. */
static int
open_tmp(const char *tmp)
{
	int flags = O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW;
	int fd = open(tmp, flags, 0644);

	if (fd < 0 && errno == EEXIST && unlink(tmp) == 0)
		fd = open(tmp, flags, 0644);
	return fd;
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
	if (pidfile_prepare(path) < 0)
		return -1;
	fd = open_tmp(tmp);
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
	/* rename() replaces whatever has the name, a link included, and
	 * never writes through it. */
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
	if (pidfile_read(path) == getpid() && unlink(path) < 0)
		logerr(LOG_ERR, "pidfile %s: unlink", path);
}
