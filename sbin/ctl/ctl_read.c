/* SPDX-License-Identifier: ISC */
/* ctl_read: a descriptor read to its end, for the commands that take a
 * whole text at once (see ctl.h). */
#include "autoconf.h"

#include <errno.h>
#include <stdlib.h>
#include <unistd.h>

#include "base/base.h"
#include "ctl/ctl.h"

char *
ctl_read_all(int fd, size_t max, size_t *len)
{
	size_t cap = 0;
	char *buf = NULL;

	*len = 0;
	for (;;) {
		ssize_t n;

		if (*len >= max) {
			errno = EFBIG;
			break;
		}
		/* room for a read and the NUL */
		if (array_reserve(&buf, &cap, *len + 4096 + 1, 1) < 0) {
			errno = ENOMEM;
			break;
		}
		n = read(fd, buf + *len, cap - *len - 1);
		/* a peer that closed without reading what we sent (portierd
		 * refusing a control client): what came first is the text */
		if (n < 0 && errno == ECONNRESET && *len)
			n = 0;
		if (n == 0) {
			buf[*len] = '\0';
			return buf;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			break;
		*len += (size_t)n;
	}
	free(buf);
	return NULL;
}
