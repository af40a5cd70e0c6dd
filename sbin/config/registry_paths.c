/* SPDX-License-Identifier: ISC */
/* registry_paths: which files make the registry when no -r names any
 * (services.db(5)). The shipped file is data, replaced by every upgrade;
 * an admin's names live in files of their own in services.d, that no
 * package owns, so an upgrade never asks about them. */
#include "autoconf.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "config/config.h"
#include "config/config_int.h"

#define LOCAL_SUFFIX	".db"

/* Regular files only, links followed, none opened here: a FIFO would block
 * the reader. As in conf.d, a subdirectory is skipped quietly; another
 * entry named *.db (a dangling link, a FIFO) and a file with another name
 * (a README) are said to be ignored. */
static int
local_add(char ***v, const struct dirent *de, const char *path, struct diag *d)
{
	struct stat st;
	int err = 0;

	if (de->d_type == DT_DIR)
		return 0;
	if (de->d_type != DT_REG && stat(path, &st) < 0)
		err = errno;
	else if (de->d_type != DT_REG && S_ISDIR(st.st_mode))
		return 0;
	if (!config_name_ends(de->d_name, LOCAL_SUFFIX)) {
		if (!err && (de->d_type == DT_REG || S_ISREG(st.st_mode)))
			diag_add(d, DIAG_WARNING, path, 0,
				 "ignored: the name does not end in " LOCAL_SUFFIX);
		return 0;
	}
	if (err || (de->d_type != DT_REG && !S_ISREG(st.st_mode))) {
		diag_add(d, DIAG_WARNING, path, 0, "ignored: not a regular file (%s)",
			 err == ENOENT ? "a dangling symbolic link" : err ? strerror(err) :
			 S_ISFIFO(st.st_mode) ? "a FIFO" : "not a file");
		return 0;
	}
	if (strv_push(v, path) < 0) {
		diag_add(d, DIAG_ERROR, path, 0, "out of memory");
		return -1;
	}
	return 0;
}

/* Appends dir's *.db files to *v in byte order of their names. A missing
 * directory adds nothing: it is optional. */
static int
local_files(char ***v, const char *dir, struct diag *d)
{
	size_t first = strv_len(*v);
	DIR *dp = opendir(dir);
	struct dirent *de;
	int rc = 0;

	if (!dp) {
		if (errno == ENOENT)
			return 0;
		diag_add(d, DIAG_ERROR, dir, 0, "cannot open directory: %s", strerror(errno));
		return -1;
	}
	while (rc == 0 && (errno = 0, de = readdir(dp))) {
		char *path;

		if (config_leftover_name(de->d_name))
			continue;
		if (asprintf(&path, "%s/%s", dir, de->d_name) < 0) {
			diag_add(d, DIAG_ERROR, dir, 0, "out of memory");
			rc = -1;
			break;
		}
		rc = local_add(v, de, path, d);
		free(path);
	}
	if (rc == 0 && errno) {
		diag_add(d, DIAG_ERROR, dir, 0, "reading the directory: %s", strerror(errno));
		rc = -1;
	}
	closedir(dp);
	if (*v)
		qsort(*v + first, strv_len(*v) - first, sizeof(char *), config_cmp_str);
	return rc;
}

char **
registry_default_paths(const char *shipped, const char *localdir, struct diag *d)
{
	char **v = NULL;

	if (strv_push(&v, shipped) < 0) {
		diag_add(d, DIAG_ERROR, NULL, 0, "out of memory");
		strv_free(v);
		return NULL;
	}
	if (local_files(&v, localdir, d) < 0) {
		strv_free(v);
		return NULL;
	}
	return v;
}

char **
registry_defaults(struct diag *d)
{
	return registry_default_paths(PORTIER_REGISTRY, PORTIER_REGISTRY_DIR, d);
}
