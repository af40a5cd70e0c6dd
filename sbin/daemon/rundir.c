/* SPDX-License-Identifier: ISC */
/* rundir: see rundir.h.
 *
 * The walk goes down from "/" with lstat(2), so that a symbolic link is
 * seen as one: a link planted in /tmp by another user would otherwise lead
 * root's pidfile anywhere, and a realpath() of the whole directory would
 * hide it. A link owned by root (or by us) is followed, and its target's
 * own chain is checked the same way: Debian's /var/run -> /run passes. */
#include "autoconf.h"

#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "daemon/rundir.h"

/* Symbolic links followed on the way: more is a loop or a trap. */
#define RUNDIR_LINKS_MAX 8

static int walk(const char *dir, bool create, bool last_leaf, int links, char *err,
		size_t errlen);

/* Root, or the user portierd runs as when it is not root. */
static bool
owner_ok(uid_t uid)
{
	return uid == 0 || uid == geteuid();
}

static const char *
owners(char *buf, size_t len)
{
	if (geteuid() == 0)
		return "root";
	snprintf(buf, len, "root or uid %u", (unsigned)geteuid());
	return buf;
}

/* leaf: the directory that holds the file, where whoever may write could
 * put a name of their own in the file's place before we do (sticky or not). */
static int
check_dir(const char *p, const struct stat *st, bool leaf, char *err, size_t errlen)
{
	char who[48];

	if (!S_ISDIR(st->st_mode)) {
		snprintf(err, errlen, "%s: not a directory", p);
		return -1;
	}
	if (!owner_ok(st->st_uid)) {
		snprintf(err, errlen, "%s: owned by uid %u, not by %s (fix: chown %s %s, or "
			 "choose another directory)", p, (unsigned)st->st_uid,
			 owners(who, sizeof(who)), geteuid() == 0 ? "root" : "$USER", p);
		return -1;
	}
	if ((st->st_mode & (S_IWGRP | S_IWOTH)) && (leaf || !(st->st_mode & S_ISVTX))) {
		snprintf(err, errlen, "%s: writable by %s (fix: chmod go-w %s, or choose "
			 "another directory)", p, (st->st_mode & S_IWOTH) ? "others" : "its group",
			 p);
		return -1;
	}
	return 0;
}

/* One component p of the walk, created when missing and create is set. */
static int
check_one(char *p, bool leaf, bool create, int links, char *err, size_t errlen)
{
	struct stat st;
	char *real;
	int rc;

	if (lstat(p, &st) < 0) {
		if (errno != ENOENT || !create ||
		    (mkdir(p, 0755) < 0 && errno != EEXIST) || lstat(p, &st) < 0) {
			snprintf(err, errlen, "%s: %s", p, strerror(errno));
			return -1;
		}
	}
	if (!S_ISLNK(st.st_mode))
		return check_dir(p, &st, leaf, err, errlen);
	if (!owner_ok(st.st_uid)) {
		snprintf(err, errlen, "%s: a symbolic link owned by uid %u (fix: remove it, or "
			 "choose another directory)", p, (unsigned)st.st_uid);
		return -1;
	}
	if (links >= RUNDIR_LINKS_MAX) {
		snprintf(err, errlen, "%s: too many symbolic links", p);
		return -1;
	}
	real = realpath(p, NULL);
	if (!real) {
		snprintf(err, errlen, "%s: %s", p, strerror(errno));
		return -1;
	}
	/* The target stands where the link does: the leaf when it is. */
	rc = walk(real, false, leaf, links + 1, err, errlen);
	free(real);
	return rc;
}

/* Every directory from "/" down to dir (absolute); the last one is the
 * leaf when last_leaf is set. */
static int
walk(const char *dir, bool create, bool last_leaf, int links, char *err, size_t errlen)
{
	char p[PATH_MAX];
	size_t n;

	if (snprintf(p, sizeof(p), "%s", dir) >= (int)sizeof(p)) {
		snprintf(err, errlen, "%.64s...: name too long", dir);
		return -1;
	}
	n = strlen(p);
	while (n > 1 && p[n - 1] == '/')
		p[--n] = '\0';
	/* i = 0 is "/"; then the end of every component */
	for (size_t i = 0; i <= n; i++) {
		size_t end = i ? i : 1;
		char c;
		int rc;

		if (i > 0 && ((i < n && p[i] != '/') || p[i - 1] == '/'))
			continue;
		c = p[end];
		p[end] = '\0';
		rc = check_one(p, last_leaf && end == n, create, links, err, errlen);
		p[end] = c;
		if (rc < 0)
			return -1;
	}
	return 0;
}

int
rundir_prepare(const char *path, char *err, size_t errlen)
{
	char abs[PATH_MAX], *slash;
	struct stat st;
	int n;

	if (path[0] == '/') {
		n = snprintf(abs, sizeof(abs), "%s", path);
	} else {
		char cwd[PATH_MAX];

		if (!getcwd(cwd, sizeof(cwd))) {
			snprintf(err, errlen, "%s: the current directory: %s", path, strerror(errno));
			return -1;
		}
		n = snprintf(abs, sizeof(abs), "%s/%s", strcmp(cwd, "/") ? cwd : "", path);
	}
	if (n < 0 || (size_t)n >= sizeof(abs)) {
		snprintf(err, errlen, "%.64s...: name too long", path);
		return -1;
	}
	if (lstat(abs, &st) == 0 && S_ISLNK(st.st_mode)) {
		snprintf(err, errlen, "%s: a symbolic link (fix: remove it)", abs);
		return -1;
	}
	slash = strrchr(abs, '/');
	if (slash == abs)
		slash[1] = '\0';	/* a file in "/" */
	else
		*slash = '\0';
	return walk(abs, true, true, 0, err, errlen);
}
