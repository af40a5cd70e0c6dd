/* SPDX-License-Identifier: ISC */
/* fuzz_rtnetlink: the rtnetlink notification parser of portierd's address
 * watcher (rtnl_parse, daemon/) fed one datagram as recv would leave it, in
 * a buffer of its exact size so that a read past its end is caught. Every
 * event and the flags returned are checked against rtnl_parse.h's
 * contract. */
#include "autoconf.h"

#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "daemon/rtnl_parse.h"
#include "fuzz.h"

#define RTNL_ALL (RTNL_SEEN_EVENT | RTNL_SEEN_ERROR | RTNL_SEEN_DONE | RTNL_SEEN_BAD | \
		  RTNL_SEEN_OTHER)

static void
check_event(const struct rtnl_event *e, void *arg)
{
	size_t *count = arg;

	(*count)++;
	if (e->ifindex == 0)
		abort();
	switch (e->kind) {
	case RTNL_ADDR_NEW:
	case RTNL_ADDR_DEL:
		if (e->family != AF_INET && e->family != AF_INET6)
			abort();
		break;
	case RTNL_LINK_NEW:
	case RTNL_LINK_DEL:
		if (!memchr(e->name, '\0', sizeof(e->name)))
			abort();
		break;
	default:
		abort();
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t count = 0;
	unsigned rc;
	void *buf;

	/* recv's buffer is aligned, as the parser may assume */
	buf = malloc(size ? size : 1);
	if (!buf)
		return 0;
	memcpy(buf, data, size);
	rc = rtnl_parse(buf, size, check_event, &count);
	if ((rc & ~(unsigned)RTNL_ALL) || !(rc & RTNL_SEEN_EVENT) != !count)
		abort();
	free(buf);
	return 0;
}
