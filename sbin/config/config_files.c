/* SPDX-License-Identifier: ISC */
/* config_files: which entries of conf.d are configuration, and their bytes.
 *
 * Only regular files named *.conf are read. Any other entry named *.conf (a
 * FIFO, a device, a socket, a dangling symbolic link) is never opened: a
 * FIFO would block the loader until someone writes to it. Such an entry is
 * not skipped silently either, since a link whose target vanished would take
 * its services away at the next reload without a word: it is a warning, and
 * an error when the running configuration was read from that name. */
#include "autoconf.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config/config_int.h"

#define MAX_FILE_SIZE	(4 << 20)	/* a conf.d file is a few hundred bytes */

char *
config_read_file(const char *path, size_t *len, struct diag *d)
{
	/* O_NONBLOCK: an entry turned into a FIFO since the listing must not
	 * block the open; it is refused below. */
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	struct stat st;
	char *buf = NULL;
	ssize_t n;
	size_t got = 0;

	if (fd < 0 || fstat(fd, &st) < 0)
		diag_add(d, DIAG_ERROR, path, 0, "cannot read: %s", strerror(errno));
	else if (!S_ISREG(st.st_mode))
		diag_add(d, DIAG_ERROR, path, 0, "cannot read: not a regular file");
	else if (st.st_size > MAX_FILE_SIZE)
		diag_add(d, DIAG_ERROR, path, 0, "file is larger than %d bytes", MAX_FILE_SIZE);
	else if (!(buf = malloc((size_t)st.st_size + 1)))
		diag_add(d, DIAG_ERROR, path, 0, "out of memory");
	while (buf && got < (size_t)st.st_size &&
	       (n = read(fd, buf + got, (size_t)st.st_size - got)) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			diag_add(d, DIAG_ERROR, path, 0, "read: %s", strerror(errno));
			free(buf);
			buf = NULL;
			break;
		}
		got += (size_t)n;
	}
	if (buf) {
		buf[got] = '\0';
		*len = got;
	}
	if (fd >= 0)
		close(fd);
	return buf;
}

bool
config_leftover_name(const char *n)
{
	static const char *const suffixes[] = { "~", ".rpmnew", ".rpmsave", ".orig" };
	size_t len = strlen(n);

	if (n[0] == '.' || strstr(n, ".dpkg-"))
		return true;
	for (size_t i = 0; i < sizeof(suffixes) / sizeof(suffixes[0]); i++) {
		size_t sl = strlen(suffixes[i]);

		if (len >= sl && !strcmp(n + len - sl, suffixes[i]))
			return true;
	}
	return false;
}

bool
config_name_ends(const char *n, const char *suffix)
{
	size_t len = strlen(n), sl = strlen(suffix);

	return len > sl && !strcmp(n + len - sl, suffix);
}

enum entry { ENTRY_FILE, ENTRY_DIR, ENTRY_GONE, ENTRY_OTHER };

/* What the entry is, without opening it: a symbolic link is followed (a
 * link to a file is a file). For ENTRY_OTHER, *what says what it is. */
static enum entry
entry_type(int dfd, const struct dirent *de, const char **what)
{
	struct stat st;

	if (de->d_type == DT_REG)
		return ENTRY_FILE;
	if (de->d_type == DT_DIR)
		return ENTRY_DIR;
	if (fstatat(dfd, de->d_name, &st, 0) < 0) {
		int err = errno;

		if (fstatat(dfd, de->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0)
			return ENTRY_GONE;	/* removed since readdir */
		if (S_ISLNK(st.st_mode) && err == ENOENT)
			*what = "a dangling symbolic link";
		else if (S_ISLNK(st.st_mode) && err == ELOOP)
			*what = "a loop of symbolic links";
		else
			*what = strerror(err);
		return ENTRY_OTHER;
	}
	if (S_ISREG(st.st_mode))
		return ENTRY_FILE;
	if (S_ISDIR(st.st_mode))
		return ENTRY_DIR;
	if (S_ISFIFO(st.st_mode))
		*what = "a FIFO";
	else if (S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode))
		*what = "a device";
	else if (S_ISSOCK(st.st_mode))
		*what = "a socket";
	else
		*what = "not a file";
	return ENTRY_OTHER;
}

static int
cmp_key(const void *key, const void *elem)
{
	return strcmp(key, *(char *const *)elem);
}

int
config_cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* A *.conf entry that is no regular file: a subdirectory is skipped
 * quietly, anything else with a warning; either is an error when the
 * running configuration was read from that name (held). */
static void
not_a_file(const char *path, enum entry type, const char *what, char *const *held,
	   size_t nheld, struct diag *d)
{
	bool was_read = nheld && bsearch(path, held, nheld, sizeof(*held), cmp_key);

	if (type == ENTRY_DIR)
		what = "a directory";
	if (was_read)
		diag_add(d, DIAG_ERROR, path, 0, "not a regular file (%s), but the running "
			 "configuration was read from it: restore the file, or remove the "
			 "name to remove what it declared", what);
	else if (type != ENTRY_DIR)
		diag_add(d, DIAG_WARNING, path, 0, "ignored: not a regular file (%s)", what);
}

/* One entry: 1 when path is a file to read, 0 when it is not, after saying
 * why when that is worth it. */
static int
entry_wanted(int dfd, const struct dirent *de, const char *path, char *const *held,
	     size_t nheld, struct diag *d)
{
	const char *what = NULL;
	enum entry type = entry_type(dfd, de, &what);

	if (type == ENTRY_GONE)
		return 0;
	if (!config_name_ends(de->d_name, ".conf")) {
		if (type == ENTRY_FILE)
			diag_add(d, DIAG_WARNING, path, 0,
				 "ignored: the name does not end in .conf");
		return 0;
	}
	if (type == ENTRY_FILE)
		return 1;
	not_a_file(path, type, what, held, nheld, d);
	return 0;
}

/* The paths of the files to read, in lexical (byte) order. */
char **
config_list_dir(const char *dir, char *const *held, size_t nheld, size_t *count,
		struct diag *d)
{
	DIR *dp = opendir(dir);
	struct dirent *de;
	char **paths = NULL;
	size_t n = 0, cap = 0;
	bool oom = false;

	if (!dp) {
		diag_add(d, DIAG_ERROR, dir, 0, "cannot open directory: %s", strerror(errno));
		return NULL;
	}
	while ((errno = 0, de = readdir(dp))) {
		char *path;

		if (config_leftover_name(de->d_name))
			continue;
		if (asprintf(&path, "%s/%s", dir, de->d_name) < 0) {
			oom = true;
			break;
		}
		if (!entry_wanted(dirfd(dp), de, path, held, nheld, d)) {
			free(path);
			continue;
		}
		if (array_reserve(&paths, &cap, n + 1, sizeof(*paths)) < 0) {
			free(path);
			oom = true;
			break;
		}
		paths[n++] = path;
	}
	if (oom)
		diag_add(d, DIAG_ERROR, dir, 0, "out of memory");
	else if (errno)
		diag_add(d, DIAG_ERROR, dir, 0, "reading the directory: %s", strerror(errno));
	closedir(dp);
	if (n)
		qsort(paths, n, sizeof(char *), config_cmp_str);
	*count = n;
	return paths;
}
