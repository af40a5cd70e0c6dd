/* SPDX-License-Identifier: ISC */
/* banner: see banner.h */
#include "autoconf.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

#include "daemon/banner.h"
#include "base/base.h"

void
banner_load(struct banner *b, const char *path, const char *id)
{
	char *buf;
	ssize_t n;
	char extra;
	int fd;

	b->text = NULL;
	b->len = 0;
	if (!path)
		return;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		logerr(LOG_WARNING, "%s: banner %s", id, path);
		return;
	}
	buf = malloc(BANNER_MAX);
	n = buf ? read(fd, buf, BANNER_MAX) : -1;
	if (n < 0) {
		logerr(LOG_WARNING, "%s: banner %s", id, path);
		free(buf);
		close(fd);
		return;
	}
	if (n == BANNER_MAX && read(fd, &extra, 1) == 1)
		logit(LOG_WARNING, "%s: banner %s: only its first %d bytes are sent", id, path,
		      BANNER_MAX);
	close(fd);
	b->text = buf;
	b->len = (size_t)n;
}

void
banner_send(const struct banner *b, int fd, const char *id)
{
	ssize_t n;

	if (!b->len)
		return;
	/* Non-blocking and no SIGPIPE: the peer may already be gone. */
	n = send(fd, b->text, b->len, MSG_DONTWAIT | MSG_NOSIGNAL);
	if (n < 0)
		debug("%s: banner: %s", id, strerror(errno));
	else if ((size_t)n < b->len)
		debug("%s: banner: %zd of %zu bytes sent", id, n, b->len);
}

void
banner_free(struct banner *b)
{
	free(b->text);
	b->text = NULL;
	b->len = 0;
}
