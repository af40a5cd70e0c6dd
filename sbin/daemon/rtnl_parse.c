/* SPDX-License-Identifier: ISC */
/* rtnl_parse: rtnetlink notifications to events, see rtnl_parse.h.
 * The lengths of messages and attributes come from the datagram, so each
 * is checked against what is left of the buffer before it is used; the
 * kernel's NLMSG_OK and RTA_OK macros do that with int arithmetic, the
 * walks below do it with size_t and say which check failed. */
#include "autoconf.h"

#include <linux/if_addr.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <string.h>
#include <sys/socket.h>

#include "daemon/rtnl_parse.h"

/* One message's attributes: calls fn for each well-formed one; false when
 * one claims more than is left. */
typedef void attr_fn(unsigned short type, const uint8_t *data, size_t len, void *arg);

static bool
attrs_walk(const uint8_t *p, size_t len, attr_fn *fn, void *arg)
{
	while (len >= sizeof(struct rtattr)) {
		const struct rtattr *a = (const struct rtattr *)p;
		size_t alen = a->rta_len, step = RTA_ALIGN(alen);

		if (alen < sizeof(*a) || alen > len)
			return false;
		fn(a->rta_type, p + RTA_LENGTH(0), alen - RTA_LENGTH(0), arg);
		if (step >= len)
			return true;
		p += step;
		len -= step;
	}
	/* fewer octets than an attribute header: padding only if none */
	return len == 0;
}

/* ---- addresses ---- */

struct addr_attrs {
	const uint8_t *local, *address;
	size_t local_len, address_len;
	uint32_t flags;
	bool has_flags;
};

static void
addr_attr(unsigned short type, const uint8_t *data, size_t len, void *arg)
{
	struct addr_attrs *x = arg;

	switch (type) {
	case IFA_LOCAL:
		x->local = data;
		x->local_len = len;
		break;
	case IFA_ADDRESS:
		x->address = data;
		x->address_len = len;
		break;
	case IFA_FLAGS:
		if (len == sizeof(uint32_t)) {
			memcpy(&x->flags, data, sizeof(x->flags));
			x->has_flags = true;
		}
		break;
	}
}

static unsigned
parse_addr(const struct nlmsghdr *h, size_t mlen, rtnl_event_fn *fn, void *arg)
{
	const struct ifaddrmsg *m = NLMSG_DATA(h);
	const size_t head = NLMSG_HDRLEN + NLMSG_ALIGN(sizeof(*m));
	struct addr_attrs x = { 0 };
	struct rtnl_event e = { 0 };
	size_t want;

	if (mlen < NLMSG_HDRLEN + sizeof(*m))
		return RTNL_SEEN_BAD;
	if (m->ifa_family != AF_INET && m->ifa_family != AF_INET6)
		return RTNL_SEEN_OTHER;
	if (mlen > head && !attrs_walk((const uint8_t *)h + head, mlen - head, addr_attr, &x))
		return RTNL_SEEN_BAD;
	/* IFA_LOCAL is the address itself where IFA_ADDRESS is a peer's
	 * (point-to-point IPv4); IPv6 sends only IFA_ADDRESS. */
	if (!x.local) {
		x.local = x.address;
		x.local_len = x.address_len;
	}
	want = m->ifa_family == AF_INET ? 4 : 16;
	if (!x.local || x.local_len != want || m->ifa_index == 0)
		return RTNL_SEEN_BAD;
	e.kind = h->nlmsg_type == RTM_NEWADDR ? RTNL_ADDR_NEW : RTNL_ADDR_DEL;
	e.ifindex = m->ifa_index;
	e.family = m->ifa_family;
	memcpy(e.addr, x.local, want);
	e.flags = x.has_flags ? x.flags : m->ifa_flags;
	fn(&e, arg);
	return RTNL_SEEN_EVENT;
}

/* ---- links ---- */

struct link_attrs {
	const uint8_t *name;
	size_t name_len;
};

static void
link_attr(unsigned short type, const uint8_t *data, size_t len, void *arg)
{
	struct link_attrs *x = arg;

	if (type == IFLA_IFNAME) {
		x->name = data;
		x->name_len = len;
	}
}

static unsigned
parse_link(const struct nlmsghdr *h, size_t mlen, rtnl_event_fn *fn, void *arg)
{
	const struct ifinfomsg *m = NLMSG_DATA(h);
	const size_t head = NLMSG_HDRLEN + NLMSG_ALIGN(sizeof(*m));
	struct link_attrs x = { 0 };
	struct rtnl_event e = { 0 };
	size_t n;

	if (mlen < NLMSG_HDRLEN + sizeof(*m))
		return RTNL_SEEN_BAD;
	if (mlen > head && !attrs_walk((const uint8_t *)h + head, mlen - head, link_attr, &x))
		return RTNL_SEEN_BAD;
	if (m->ifi_index <= 0)
		return RTNL_SEEN_BAD;
	/* the name with or without its NUL; one that does not fit is no name */
	n = x.name ? strnlen((const char *)x.name, x.name_len) : 0;
	if (n >= sizeof(e.name))
		return RTNL_SEEN_BAD;
	memcpy(e.name, x.name ? x.name : (const uint8_t *)"", n);
	e.name[n] = '\0';
	e.kind = h->nlmsg_type == RTM_NEWLINK ? RTNL_LINK_NEW : RTNL_LINK_DEL;
	e.ifindex = (unsigned)m->ifi_index;
	e.up = m->ifi_flags & IFF_UP;
	fn(&e, arg);
	return RTNL_SEEN_EVENT;
}

/* ---- messages ---- */

static unsigned
parse_one(const struct nlmsghdr *h, size_t mlen, rtnl_event_fn *fn, void *arg)
{
	const struct nlmsgerr *err = NLMSG_DATA(h);

	switch (h->nlmsg_type) {
	case RTM_NEWADDR:
	case RTM_DELADDR:
		return parse_addr(h, mlen, fn, arg);
	case RTM_NEWLINK:
	case RTM_DELLINK:
		return parse_link(h, mlen, fn, arg);
	case NLMSG_DONE:
		return RTNL_SEEN_DONE;
	case NLMSG_ERROR:
		if (mlen < NLMSG_HDRLEN + sizeof(*err))
			return RTNL_SEEN_BAD;
		return err->error ? RTNL_SEEN_ERROR : 0;	/* 0: an ack */
	case NLMSG_OVERRUN:
		return RTNL_SEEN_ERROR;
	case NLMSG_NOOP:
		return 0;
	}
	return RTNL_SEEN_OTHER;
}

unsigned
rtnl_parse(const void *buf, size_t len, rtnl_event_fn *fn, void *arg)
{
	const uint8_t *p = buf;
	unsigned seen = 0;

	while (len >= sizeof(struct nlmsghdr)) {
		const struct nlmsghdr *h = (const struct nlmsghdr *)p;
		size_t mlen = h->nlmsg_len, step = NLMSG_ALIGN(mlen);

		if (mlen < sizeof(*h) || mlen > len)
			return seen | RTNL_SEEN_BAD;
		seen |= parse_one(h, mlen, fn, arg);
		if (step >= len)
			return seen;
		p += step;
		len -= step;
	}
	return len ? seen | RTNL_SEEN_BAD : seen;
}
