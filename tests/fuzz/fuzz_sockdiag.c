/* SPDX-License-Identifier: ISC */
/* fuzz_sockdiag: the sock_diag reply parsers of portierctl audit
 * (audit_diag_parse, audit_unix_parse) fed one datagram as recv would leave
 * it, in a buffer of its exact size so that a read past its end is caught.
 * The first byte picks the dump (TCP, UDP or AF_UNIX); what the parser
 * returns and keeps is checked against its contract (ctl/audit.h). */
#include "autoconf.h"

#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "ctl/audit.h"
#include "fuzz.h"

static void
check_socks(const struct audit_socks *s, int protocol)
{
	for (size_t i = 0; i < s->count; i++) {
		const struct audit_sock *k = &s->v[i];
		char a[AUDIT_ADDR_MAX];

		if (protocol == 0 && (k->family != AF_UNIX || k->port != 0 ||
		    !k->path[0] || !memchr(k->path, '\0', sizeof(k->path))))
			abort();
		if (protocol != 0 && (k->family != AF_INET && k->family != AF_INET6))
			abort();
		if (k->protocol != protocol || k->port > 65535)
			abort();
		(void)audit_addr_str(k, a, sizeof(a));
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct audit_socks s = { .v = NULL };
	int protocol, rc;
	void *buf;

	if (size == 0)
		return 0;
	protocol = data[0] % 3 == 2 ? 0 : data[0] % 3 == 1 ? IPPROTO_UDP : IPPROTO_TCP;
	data++;
	size--;
	/* recv's buffer is malloc'd, so aligned, as the parser may assume */
	buf = malloc(size ? size : 1);
	if (!buf)
		return 0;
	memcpy(buf, data, size);
	rc = protocol ? audit_diag_parse(buf, size, protocol, &s) :
	    audit_unix_parse(buf, size, &s);
	if (rc < -1 || rc > 1)
		abort();
	check_socks(&s, protocol);
	audit_socks_free(&s);
	free(buf);
	return 0;
}
