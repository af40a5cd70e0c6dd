/* SPDX-License-Identifier: ISC */
/* convert_write: the converted files into a directory such as conf.d, as
 * root may run it. A name in that directory is never followed: whoever can
 * write there could have planted a symlink to /etc/shadow under a name the
 * conversion will use. Each file is written under a temporary name created
 * with O_EXCL|O_NOFOLLOW, synced, then renamed over its name (force) or
 * linked to its name, which fails if anything took the name meanwhile. */
#include "autoconf.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "convert/convert.h"
#include "convert/convert_int.h"

/* Temporary names tried before giving up: others may exist (O_EXCL). */
#define TMP_TRIES 100
/* The mode of a converted file, whatever the umask: a conf.d file others
 * may read, and only its owner write (portierd refuses anything wider). */
#define FILE_MODE 0644

/* Every name free (or, with force, a file or symlink to replace): else
 * nothing is written at all. */
static int
check_names(int dfd, const char *dir, const struct convert_out *out, bool force,
	    struct diag *d)
{
	size_t clash = 0;
	struct stat st;

	for (size_t i = 0; i < out->count; i++) {
		const char *name = out->files[i].name;

		if (fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0) {
			if (errno == ENOENT)
				continue;
			diag_add(d, DIAG_ERROR, NULL, 0, "%s/%s: %s", dir, name, strerror(errno));
		} else if (S_ISREG(st.st_mode) || S_ISLNK(st.st_mode)) {
			if (force)
				continue;
			diag_add(d, DIAG_ERROR, NULL, 0, S_ISREG(st.st_mode) ?
				 "%s/%s exists (--force replaces it)" : "%s/%s exists and is a "
				 "symbolic link (--force replaces the link, never what it points "
				 "to)", dir, name);
		} else {
			diag_add(d, DIAG_ERROR, NULL, 0, "%s/%s exists and is %s: never replaced",
				 dir, name, S_ISDIR(st.st_mode) ? "a directory" :
				 "not a regular file");
		}
		clash++;
	}
	if (clash)
		diag_add(d, DIAG_ERROR, NULL, 0, "nothing written");
	return clash ? -1 : 0;
}

/* A new file under a name no *.conf pattern matches; *tmp gets the name. */
static int
tmp_create(int dfd, const char *name, char **tmp)
{
	for (int i = 0; i < TMP_TRIES; i++) {
		char *t = cv_printf(".%s.%ld-%d.tmp", name, (long)getpid(), i);
		int fd = openat(dfd, t, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
				FILE_MODE);

		if (fd >= 0) {
			*tmp = t;
			return fd;
		}
		free(t);
		if (errno != EEXIST)
			return -1;
	}
	return -1;
}

static int
write_text(int fd, const char *text)
{
	size_t len = strlen(text), done = 0;

	while (done < len) {
		ssize_t n = write(fd, text + done, len - done);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		done += (size_t)n;
	}
	return 0;
}

/* The temporary file, complete and on disk, takes the name. */
static int
write_one(int dfd, const char *dir, const struct convert_file *f, bool force,
	  struct diag *d)
{
	char *tmp = NULL;
	int fd = tmp_create(dfd, f->name, &tmp), rc = -1;

	if (fd < 0) {
		diag_add(d, DIAG_ERROR, NULL, 0, "%s: cannot create a temporary file for "
			 "%s: %s", dir, f->name, strerror(errno));
		return -1;
	}
	if (fchmod(fd, FILE_MODE) < 0 || write_text(fd, f->text) < 0 || fsync(fd) < 0) {
		diag_add(d, DIAG_ERROR, NULL, 0, "%s/%s: %s", dir, tmp, strerror(errno));
		close(fd);
		goto out;
	}
	if (close(fd) < 0) {
		diag_add(d, DIAG_ERROR, NULL, 0, "%s/%s: %s", dir, tmp, strerror(errno));
		goto out;
	}
	/* rename replaces a symlink itself; link never replaces anything */
	if (force ? renameat(dfd, tmp, dfd, f->name) : linkat(dfd, tmp, dfd, f->name, 0)) {
		diag_add(d, DIAG_ERROR, NULL, 0, "%s/%s: %s%s", dir, f->name, strerror(errno),
			 errno == EEXIST ? " (it appeared while writing; not replaced)" : "");
		goto out;
	}
	rc = 0;
out:
	if (rc < 0 || !force)
		unlinkat(dfd, tmp, 0);
	free(tmp);
	return rc;
}

int
convert_write(const char *dir, const struct convert_out *out, bool force, struct diag *d)
{
	int dfd, rc = 0;

	if (mkdir(dir, 0755) < 0 && errno != EEXIST) {
		diag_add(d, DIAG_ERROR, NULL, 0, "%s: %s", dir, strerror(errno));
		return -1;
	}
	dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0) {
		diag_add(d, DIAG_ERROR, NULL, 0, "%s: %s", dir, strerror(errno));
		return -1;
	}
	if (check_names(dfd, dir, out, force, d) < 0) {
		close(dfd);
		return -1;
	}
	for (size_t i = 0; i < out->count && rc == 0; i++)
		rc = write_one(dfd, dir, &out->files[i], force, d);
	/* the new names are on disk too */
	if (rc == 0 && fsync(dfd) < 0) {
		diag_add(d, DIAG_ERROR, NULL, 0, "%s: %s", dir, strerror(errno));
		rc = -1;
	}
	close(dfd);
	return rc;
}
