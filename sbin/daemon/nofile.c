/* SPDX-License-Identifier: ISC */
/* nofile: see nofile.h. */
#include "autoconf.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>

#include "daemon/nofile.h"

/* Descriptors open now (without the one that reads the list); 0 when
 * /proc is not there to say. */
static size_t
open_now(void)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *e;
	size_t n = 0;

	if (!d)
		return 0;
	while ((e = readdir(d)) != NULL)
		n += e->d_name[0] != '.';
	closedir(d);
	return n ? n - 1 : 0;
}

int
nofile_room(size_t sockets, char *err, size_t errlen)
{
	size_t open = open_now(), need = open + sockets + NOFILE_RESERVE;
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) < 0) {
		snprintf(err, errlen, "RLIMIT_NOFILE: %s", strerror(errno));
		return -1;
	}
	if (rl.rlim_cur == RLIM_INFINITY || need <= rl.rlim_cur)
		return 0;
	if (rl.rlim_max == RLIM_INFINITY || need <= rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		if (setrlimit(RLIMIT_NOFILE, &rl) == 0)
			return 0;
		snprintf(err, errlen, "%zu sockets needed (and %zu descriptors open, %d kept "
			 "free): RLIMIT_NOFILE cannot be raised to its hard limit: %s", sockets,
			 open, NOFILE_RESERVE, strerror(errno));
		return -1;
	}
	snprintf(err, errlen, "%zu sockets needed (and %zu descriptors open, %d kept free), "
		 "RLIMIT_NOFILE allows %llu: raise LimitNOFILE= / ulimit -n", sockets, open,
		 NOFILE_RESERVE, (unsigned long long)rl.rlim_max);
	return -1;
}
