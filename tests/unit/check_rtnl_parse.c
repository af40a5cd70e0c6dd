/* SPDX-License-Identifier: ISC */
/* Unit tests for sbin/daemon/rtnl_parse.c: rtnetlink notifications built by
 * hand as the kernel sends them (RTM_NEWADDR, RTM_DELADDR, RTM_NEWLINK,
 * RTM_DELLINK, several in one datagram), acks, errors and the end of a
 * dump; then the hostile ones: lengths that lie about the message or an
 * attribute, truncation at every octet, addresses of the wrong size, names
 * without room for their NUL. Each buffer is malloc'd at its exact size, so
 * that a sanitizer build catches any read past its end. */
#include "autoconf.h"

#include <arpa/inet.h>
#include <check.h>
#include <errno.h>
#include <linux/if_addr.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "daemon/rtnl_parse.h"
#include "check_run.h"

/* ---- building messages ---- */

struct msg {
	uint32_t buf[1024];	/* aligned as recv's buffer */
	size_t len;		/* octets used */
	size_t start;		/* of the message being built */
};

static uint8_t *
msg_bytes(struct msg *m)
{
	return (uint8_t *)m->buf;
}

static void
msg_begin(struct msg *m, uint16_t type, const void *fixed, size_t flen)
{
	struct nlmsghdr h = { .nlmsg_type = type, .nlmsg_len = NLMSG_HDRLEN };

	m->start = m->len;
	memcpy(msg_bytes(m) + m->len, &h, sizeof(h));
	m->len += NLMSG_HDRLEN;
	memcpy(msg_bytes(m) + m->len, fixed, flen);
	m->len += NLMSG_ALIGN(flen);
}

static void
msg_attr(struct msg *m, uint16_t type, const void *data, size_t dlen)
{
	struct rtattr a = { .rta_len = (unsigned short)RTA_LENGTH(dlen), .rta_type = type };

	memcpy(msg_bytes(m) + m->len, &a, sizeof(a));
	memcpy(msg_bytes(m) + m->len + RTA_LENGTH(0), data, dlen);
	m->len += RTA_SPACE(dlen);
}

static void
msg_end(struct msg *m)
{
	struct nlmsghdr *h = (struct nlmsghdr *)(msg_bytes(m) + m->start);

	h->nlmsg_len = (uint32_t)(m->len - m->start);
}

static void
add_addr(struct msg *m, uint16_t type, int family, unsigned index, const char *text,
	 uint32_t flags)
{
	struct ifaddrmsg ifa = { .ifa_family = (uint8_t)family, .ifa_index = index,
				 .ifa_prefixlen = family == AF_INET ? 24 : 64,
				 .ifa_flags = (uint8_t)flags };
	uint8_t a[16];

	ck_assert_int_eq(inet_pton(family, text, a), 1);
	msg_begin(m, type, &ifa, sizeof(ifa));
	msg_attr(m, IFA_ADDRESS, a, family == AF_INET ? 4 : 16);
	if (family == AF_INET)
		msg_attr(m, IFA_LOCAL, a, 4);
	msg_attr(m, IFA_FLAGS, &flags, sizeof(flags));
	msg_end(m);
}

static void
add_link(struct msg *m, uint16_t type, int index, const char *name, bool up)
{
	struct ifinfomsg ifi = { .ifi_family = AF_UNSPEC, .ifi_index = index,
				 .ifi_flags = up ? IFF_UP : 0 };

	msg_begin(m, type, &ifi, sizeof(ifi));
	msg_attr(m, IFLA_IFNAME, name, strlen(name) + 1);
	msg_end(m);
}

/* ---- collecting events ---- */

struct seen {
	struct rtnl_event ev[32];
	size_t n;
};

static void
collect(const struct rtnl_event *e, void *arg)
{
	struct seen *s = arg;

	ck_assert_uint_lt(s->n, 32);
	s->ev[s->n++] = *e;
}

/* Parses len octets of m from a buffer of exactly that size. */
static unsigned
parse_exact(const struct msg *m, size_t len, struct seen *s)
{
	void *copy = malloc(len ? len : 1);
	unsigned rc;

	ck_assert_ptr_nonnull(copy);
	memcpy(copy, m->buf, len);
	memset(s, 0, sizeof(*s));
	rc = rtnl_parse(copy, len, collect, s);
	free(copy);
	return rc;
}

/* ---- well-formed notifications ---- */

START_TEST(test_ipv4_address_added)
{
	struct msg m = { .len = 0 };
	struct seen s;
	uint8_t want[4] = { 192, 0, 2, 10 };

	add_addr(&m, RTM_NEWADDR, AF_INET, 3, "192.0.2.10", 0);
	ck_assert_uint_eq(parse_exact(&m, m.len, &s), RTNL_SEEN_EVENT);
	ck_assert_uint_eq(s.n, 1);
	ck_assert_int_eq(s.ev[0].kind, RTNL_ADDR_NEW);
	ck_assert_int_eq(s.ev[0].family, AF_INET);
	ck_assert_uint_eq(s.ev[0].ifindex, 3);
	ck_assert_mem_eq(s.ev[0].addr, want, 4);
}
END_TEST

/* IPv6 sends IFA_ADDRESS only; IFA_FLAGS (32 bits) carries what the 8-bit
 * ifa_flags cannot, and wins. */
START_TEST(test_ipv6_tentative_then_ready)
{
	struct msg m = { .len = 0 };
	struct seen s;
	uint8_t want[16];

	inet_pton(AF_INET6, "2001:db8::10", want);
	add_addr(&m, RTM_NEWADDR, AF_INET6, 4, "2001:db8::10", IFA_F_TENTATIVE);
	add_addr(&m, RTM_NEWADDR, AF_INET6, 4, "2001:db8::10", IFA_F_PERMANENT);
	ck_assert_uint_eq(parse_exact(&m, m.len, &s), RTNL_SEEN_EVENT);
	ck_assert_uint_eq(s.n, 2);
	ck_assert_mem_eq(s.ev[0].addr, want, 16);
	ck_assert(s.ev[0].flags & IFA_F_TENTATIVE);
	ck_assert(!(s.ev[1].flags & IFA_F_TENTATIVE));
	ck_assert(s.ev[1].flags & IFA_F_PERMANENT);
}
END_TEST

/* Point-to-point IPv4: IFA_ADDRESS is the peer, IFA_LOCAL the address. */
START_TEST(test_local_beats_peer)
{
	struct msg m = { .len = 0 };
	struct ifaddrmsg ifa = { .ifa_family = AF_INET, .ifa_index = 7 };
	uint8_t peer[4] = { 198, 51, 100, 1 }, local[4] = { 198, 51, 100, 2 };
	struct seen s;

	msg_begin(&m, RTM_NEWADDR, &ifa, sizeof(ifa));
	msg_attr(&m, IFA_ADDRESS, peer, 4);
	msg_attr(&m, IFA_LOCAL, local, 4);
	msg_end(&m);
	ck_assert_uint_eq(parse_exact(&m, m.len, &s), RTNL_SEEN_EVENT);
	ck_assert_mem_eq(s.ev[0].addr, local, 4);
	/* without IFA_FLAGS, ifa_flags */
	ck_assert_uint_eq(s.ev[0].flags, 0);
}
END_TEST

START_TEST(test_links_and_deletions)
{
	struct msg m = { .len = 0 };
	struct seen s;

	add_link(&m, RTM_NEWLINK, 5, "veth1", true);
	add_addr(&m, RTM_DELADDR, AF_INET, 5, "203.0.113.7", 0);
	add_link(&m, RTM_DELLINK, 5, "veth1", false);
	ck_assert_uint_eq(parse_exact(&m, m.len, &s), RTNL_SEEN_EVENT);
	ck_assert_uint_eq(s.n, 3);
	ck_assert_int_eq(s.ev[0].kind, RTNL_LINK_NEW);
	ck_assert_str_eq(s.ev[0].name, "veth1");
	ck_assert(s.ev[0].up);
	ck_assert_uint_eq(s.ev[0].ifindex, 5);
	ck_assert_int_eq(s.ev[1].kind, RTNL_ADDR_DEL);
	ck_assert_int_eq(s.ev[2].kind, RTNL_LINK_DEL);
	ck_assert(!s.ev[2].up);
}
END_TEST

/* A name sent without its NUL (the kernel adds one, others may not). */
START_TEST(test_link_name_without_nul)
{
	struct msg m = { .len = 0 };
	struct ifinfomsg ifi = { .ifi_index = 2 };
	struct seen s;

	msg_begin(&m, RTM_NEWLINK, &ifi, sizeof(ifi));
	msg_attr(&m, IFLA_IFNAME, "eth0", 4);
	msg_end(&m);
	ck_assert_uint_eq(parse_exact(&m, m.len, &s), RTNL_SEEN_EVENT);
	ck_assert_str_eq(s.ev[0].name, "eth0");
}
END_TEST

START_TEST(test_control_messages)
{
	struct msg m = { .len = 0 };
	struct nlmsgerr ack = { .error = 0 }, err = { .error = -ENOBUFS };
	struct seen s;
	int done = 0;

	msg_begin(&m, NLMSG_ERROR, &ack, sizeof(ack));
	msg_end(&m);
	ck_assert_uint_eq(parse_exact(&m, m.len, &s), 0);
	msg_begin(&m, NLMSG_ERROR, &err, sizeof(err));
	msg_end(&m);
	msg_begin(&m, NLMSG_DONE, &done, sizeof(done));
	msg_end(&m);
	ck_assert_uint_eq(parse_exact(&m, m.len, &s), RTNL_SEEN_ERROR | RTNL_SEEN_DONE);
	ck_assert_uint_eq(s.n, 0);
}
END_TEST

/* Routes and neighbours are not ours; other families neither. */
START_TEST(test_other_messages_ignored)
{
	struct msg m = { .len = 0 };
	struct rtmsg rt = { .rtm_family = AF_INET };
	struct ifaddrmsg ifa = { .ifa_family = AF_PACKET, .ifa_index = 1 };
	struct seen s;

	msg_begin(&m, RTM_NEWROUTE, &rt, sizeof(rt));
	msg_end(&m);
	msg_begin(&m, RTM_NEWADDR, &ifa, sizeof(ifa));
	msg_end(&m);
	add_addr(&m, RTM_NEWADDR, AF_INET, 9, "192.0.2.1", 0);
	ck_assert_uint_eq(parse_exact(&m, m.len, &s), RTNL_SEEN_OTHER | RTNL_SEEN_EVENT);
	ck_assert_uint_eq(s.n, 1);
	ck_assert_uint_eq(s.ev[0].ifindex, 9);
}
END_TEST

/* ---- hostile input ---- */

/* Every prefix of a datagram of four messages: never a read past the end
 * (the sanitizers say), the complete messages before the cut still seen,
 * and a cut inside a message flagged. */
START_TEST(test_truncated_everywhere)
{
	struct msg m = { .len = 0 };
	size_t ends[4];

	add_link(&m, RTM_NEWLINK, 5, "veth1", true);
	ends[0] = m.len;
	add_addr(&m, RTM_NEWADDR, AF_INET, 5, "192.0.2.10", 0);
	ends[1] = m.len;
	add_addr(&m, RTM_NEWADDR, AF_INET6, 5, "2001:db8::10", 0);
	ends[2] = m.len;
	add_link(&m, RTM_DELLINK, 5, "veth1", false);
	ends[3] = m.len;
	for (size_t len = 0; len <= m.len; len++) {
		struct seen s;
		unsigned rc = parse_exact(&m, len, &s);
		size_t whole = 0;
		bool at_end = len == 0;

		for (int k = 0; k < 4; k++) {
			whole += ends[k] <= len;
			at_end |= ends[k] == len;
		}
		ck_assert_uint_eq(s.n, whole);
		ck_assert_msg(at_end == !(rc & RTNL_SEEN_BAD), "len %zu: rc %#x", len, rc);
	}
}
END_TEST

/* A message that claims more than the datagram holds, less than its own
 * header, or a length near 2^32 that would wrap an addition. */
START_TEST(test_lying_message_lengths)
{
	static const uint32_t lies[] = { 0, 1, 15, 4096, 0xfffffffc, 0xffffffff };
	struct msg m = { .len = 0 };

	add_addr(&m, RTM_NEWADDR, AF_INET, 5, "192.0.2.10", 0);
	for (size_t i = 0; i < sizeof(lies) / sizeof(lies[0]); i++) {
		struct nlmsghdr *h = (struct nlmsghdr *)m.buf;
		uint32_t keep = h->nlmsg_len;
		struct seen s;

		h->nlmsg_len = lies[i];
		ck_assert_uint_eq(parse_exact(&m, m.len, &s), RTNL_SEEN_BAD);
		ck_assert_uint_eq(s.n, 0);
		h->nlmsg_len = keep;
	}
}
END_TEST

/* An attribute longer than its message, shorter than its header, or an
 * address of the wrong size: the message gives no event. */
START_TEST(test_lying_attributes)
{
	struct ifaddrmsg ifa = { .ifa_family = AF_INET6, .ifa_index = 5 };
	uint8_t a[16] = { 0x20, 0x01, 0x0d, 0xb8 };
	static const unsigned short alen[] = { 0, 3, 200, 0xffff };

	for (size_t i = 0; i < sizeof(alen) / sizeof(alen[0]); i++) {
		struct msg m = { .len = 0 };
		struct rtattr *at;
		struct seen s;

		msg_begin(&m, RTM_NEWADDR, &ifa, sizeof(ifa));
		at = (struct rtattr *)(msg_bytes(&m) + m.len);
		msg_attr(&m, IFA_ADDRESS, a, 16);
		msg_end(&m);
		at->rta_len = alen[i];
		ck_assert_uint_eq(parse_exact(&m, m.len, &s), RTNL_SEEN_BAD);
		ck_assert_uint_eq(s.n, 0);
	}
	for (size_t size = 0; size <= 16; size += 4) {
		struct msg m = { .len = 0 };
		struct seen s;

		if (size == 16)
			continue;
		msg_begin(&m, RTM_NEWADDR, &ifa, sizeof(ifa));
		msg_attr(&m, IFA_ADDRESS, a, size);
		msg_end(&m);
		ck_assert_uint_eq(parse_exact(&m, m.len, &s), RTNL_SEEN_BAD);
		ck_assert_uint_eq(s.n, 0);
	}
}
END_TEST

/* No address at all, interface index 0, a name that fills IFNAMSIZ with no
 * NUL, a negative link index. */
START_TEST(test_missing_or_bad_fields)
{
	struct ifaddrmsg ifa = { .ifa_family = AF_INET, .ifa_index = 5 };
	struct ifinfomsg ifi = { .ifi_index = 3 };
	char longname[IF_NAMESIZE + 4];
	struct msg m = { .len = 0 };
	struct seen s;

	msg_begin(&m, RTM_NEWADDR, &ifa, sizeof(ifa));
	msg_end(&m);
	ck_assert_uint_eq(parse_exact(&m, m.len, &s), RTNL_SEEN_BAD);
	m.len = 0;
	add_addr(&m, RTM_NEWADDR, AF_INET, 0, "192.0.2.10", 0);
	ck_assert_uint_eq(parse_exact(&m, m.len, &s), RTNL_SEEN_BAD);
	m.len = 0;
	memset(longname, 'x', sizeof(longname));
	msg_begin(&m, RTM_NEWLINK, &ifi, sizeof(ifi));
	msg_attr(&m, IFLA_IFNAME, longname, IF_NAMESIZE);
	msg_end(&m);
	ck_assert_uint_eq(parse_exact(&m, m.len, &s), RTNL_SEEN_BAD);
	m.len = 0;
	add_link(&m, RTM_NEWLINK, -1, "eth0", true);
	ck_assert_uint_eq(parse_exact(&m, m.len, &s), RTNL_SEEN_BAD);
	/* a fixed part cut short, and an error message without its body */
	m.len = 0;
	msg_begin(&m, RTM_NEWLINK, &ifi, 4);
	msg_end(&m);
	ck_assert_uint_eq(parse_exact(&m, m.len, &s), RTNL_SEEN_BAD);
	m.len = 0;
	msg_begin(&m, NLMSG_ERROR, &ifi, 0);
	msg_end(&m);
	ck_assert_uint_eq(parse_exact(&m, m.len, &s), RTNL_SEEN_BAD);
}
END_TEST

/* Trailing octets too few for a header, after a good message. */
START_TEST(test_trailing_garbage)
{
	struct msg m = { .len = 0 };
	struct seen s;

	add_addr(&m, RTM_NEWADDR, AF_INET, 5, "192.0.2.10", 0);
	memset(msg_bytes(&m) + m.len, 0xff, 8);
	ck_assert_uint_eq(parse_exact(&m, m.len + 8, &s), RTNL_SEEN_EVENT | RTNL_SEEN_BAD);
	ck_assert_uint_eq(s.n, 1);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("rtnl_parse");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_ipv4_address_added);
	tcase_add_test(tc, test_ipv6_tentative_then_ready);
	tcase_add_test(tc, test_local_beats_peer);
	tcase_add_test(tc, test_links_and_deletions);
	tcase_add_test(tc, test_link_name_without_nul);
	tcase_add_test(tc, test_control_messages);
	tcase_add_test(tc, test_other_messages_ignored);
	tcase_add_test(tc, test_truncated_everywhere);
	tcase_add_test(tc, test_lying_message_lengths);
	tcase_add_test(tc, test_lying_attributes);
	tcase_add_test(tc, test_missing_or_bad_fields);
	tcase_add_test(tc, test_trailing_garbage);
	suite_add_tcase(s, tc);
	return check_run(s);
}
