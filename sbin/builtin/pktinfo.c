/* SPDX-License-Identifier: ISC */
/* pktinfo: the reply's source address, from the request's IP_PKTINFO or
 * IPV6_PKTINFO. See builtin.h.
 *
 * IPv4: the kernel's ipi_spec_dst is the local address the request reached
 * (for a broadcast, the interface's own address), which is what a reply may
 * leave from. The interface is left to the routing table (ipi_ifindex 0), as
 * for every other packet of the host: the client checks the address, and
 * forcing the arrival interface would break asymmetric and policy routes.
 * IPv6: the same for ipi6_addr, except that a link-local address only means
 * something with its interface, which it then keeps; a request sent to a
 * multicast group gets the address the kernel chooses. */
#include "autoconf.h"

#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>

#include "builtin/builtin.h"

static size_t
pktinfo_put(void *ctl, size_t len, int level, int type, const void *data, size_t n)
{
	struct cmsghdr *c = ctl;	/* the first header starts the area */

	if (len < CMSG_SPACE(n))
		return 0;
	memset(ctl, 0, CMSG_SPACE(n));
	c->cmsg_level = level;
	c->cmsg_type = type;
	c->cmsg_len = CMSG_LEN(n);
	memcpy(CMSG_DATA(c), data, n);
	return CMSG_SPACE(n);
}

static size_t
pktinfo_reply4(const struct cmsghdr *c, void *ctl, size_t len)
{
	struct in_pktinfo in, out = { 0 };

	if (c->cmsg_len < CMSG_LEN(sizeof(in)))
		return 0;
	memcpy(&in, CMSG_DATA(c), sizeof(in));
	if (in.ipi_spec_dst.s_addr == htonl(INADDR_ANY))
		return 0;
	out.ipi_spec_dst = in.ipi_spec_dst;
	return pktinfo_put(ctl, len, IPPROTO_IP, IP_PKTINFO, &out, sizeof(out));
}

static size_t
pktinfo_reply6(const struct cmsghdr *c, void *ctl, size_t len)
{
	struct in6_pktinfo in, out = { 0 };

	if (c->cmsg_len < CMSG_LEN(sizeof(in)))
		return 0;
	memcpy(&in, CMSG_DATA(c), sizeof(in));
	if (IN6_IS_ADDR_UNSPECIFIED(&in.ipi6_addr) || IN6_IS_ADDR_MULTICAST(&in.ipi6_addr))
		return 0;
	out.ipi6_addr = in.ipi6_addr;
	if (IN6_IS_ADDR_LINKLOCAL(&in.ipi6_addr))
		out.ipi6_ifindex = in.ipi6_ifindex;
	return pktinfo_put(ctl, len, IPPROTO_IPV6, IPV6_PKTINFO, &out, sizeof(out));
}

size_t
pktinfo_reply(const struct msghdr *req, void *ctl, size_t len)
{
	if (req->msg_flags & MSG_CTRUNC)
		return 0;
	for (struct cmsghdr *c = CMSG_FIRSTHDR(req); c; c = CMSG_NXTHDR((struct msghdr *)req, c)) {
		if (c->cmsg_level == IPPROTO_IP && c->cmsg_type == IP_PKTINFO)
			return pktinfo_reply4(c, ctl, len);
		if (c->cmsg_level == IPPROTO_IPV6 && c->cmsg_type == IPV6_PKTINFO)
			return pktinfo_reply6(c, ctl, len);
	}
	return 0;
}
