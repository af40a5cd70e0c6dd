/* SPDX-License-Identifier: ISC */
/* Unit tests for pktinfo (sbin/builtin/pktinfo.c): the control data of an
 * internal UDP reply, built from the request's, driven with messages made
 * by hand as recvmsg() would fill them. */
#include "autoconf.h"

#include <arpa/inet.h>
#include <check.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>

#include "builtin/builtin.h"
#include "check_run.h"

/* A received message's control area: room for a timestamp and a pktinfo. */
struct ctl {
	union {
		struct cmsghdr align;
		char buf[CMSG_SPACE(sizeof(struct timeval)) + PKTINFO_SPACE];
	} u;
	struct msghdr msg;
	struct cmsghdr *next;
};

static void
ctl_init(struct ctl *c)
{
	memset(c, 0, sizeof(*c));
	c->msg.msg_control = c->u.buf;
	c->msg.msg_controllen = sizeof(c->u.buf);
	c->next = CMSG_FIRSTHDR(&c->msg);
}

static void
ctl_add(struct ctl *c, int level, int type, const void *data, size_t n)
{
	struct cmsghdr *h = c->next;

	ck_assert_ptr_nonnull(h);
	h->cmsg_level = level;
	h->cmsg_type = type;
	h->cmsg_len = CMSG_LEN(n);
	memcpy(CMSG_DATA(h), data, n);
	c->next = (struct cmsghdr *)((char *)h + CMSG_SPACE(n));
	/* what the kernel reports: the length actually used */
	c->msg.msg_controllen = (size_t)((char *)c->next - c->u.buf);
}

static void
ctl_add4(struct ctl *c, const char *spec_dst, const char *addr, int ifindex)
{
	struct in_pktinfo pi = { .ipi_ifindex = ifindex };

	ck_assert_int_eq(inet_pton(AF_INET, spec_dst, &pi.ipi_spec_dst), 1);
	ck_assert_int_eq(inet_pton(AF_INET, addr, &pi.ipi_addr), 1);
	ctl_add(c, IPPROTO_IP, IP_PKTINFO, &pi, sizeof(pi));
}

static void
ctl_add6(struct ctl *c, const char *addr, unsigned ifindex)
{
	struct in6_pktinfo pi = { .ipi6_ifindex = ifindex };

	ck_assert_int_eq(inet_pton(AF_INET6, addr, &pi.ipi6_addr), 1);
	ctl_add(c, IPPROTO_IPV6, IPV6_PKTINFO, &pi, sizeof(pi));
}

/* The reply's one control message, which must be level/type. */
static const void *
reply_data(const void *buf, size_t len, int level, int type, size_t n)
{
	struct msghdr m = { .msg_control = (void *)buf, .msg_controllen = len };
	struct cmsghdr *h = CMSG_FIRSTHDR(&m);

	ck_assert_uint_eq(len, CMSG_SPACE(n));
	ck_assert_ptr_nonnull(h);
	ck_assert_int_eq(h->cmsg_level, level);
	ck_assert_int_eq(h->cmsg_type, type);
	ck_assert_uint_eq(h->cmsg_len, CMSG_LEN(n));
	ck_assert_ptr_null(CMSG_NXTHDR(&m, h));
	return CMSG_DATA(h);
}

union reply {
	struct cmsghdr align;
	char buf[PKTINFO_SPACE];
};

/* The local address the kernel chose (a broadcast request's included) is
 * the source; the interface is the routing table's. */
START_TEST(ipv4_source_is_spec_dst)
{
	struct ctl c;
	union reply r;
	struct in_pktinfo out;
	size_t n;

	ctl_init(&c);
	ctl_add4(&c, "192.0.2.2", "192.0.2.255", 3);
	memset(&r, 0xa5, sizeof(r));
	n = pktinfo_reply(&c.msg, r.buf, sizeof(r.buf));
	memcpy(&out, reply_data(r.buf, n, IPPROTO_IP, IP_PKTINFO, sizeof(out)), sizeof(out));
	ck_assert_str_eq(inet_ntoa(out.ipi_spec_dst), "192.0.2.2");
	ck_assert_uint_eq(out.ipi_addr.s_addr, 0);
	ck_assert_int_eq(out.ipi_ifindex, 0);
}
END_TEST

static struct in6_pktinfo
reply6(const char *addr, unsigned ifindex)
{
	struct ctl c;
	union reply r;
	struct in6_pktinfo out;
	size_t n;

	ctl_init(&c);
	ctl_add6(&c, addr, ifindex);
	n = pktinfo_reply(&c.msg, r.buf, sizeof(r.buf));
	memcpy(&out, reply_data(r.buf, n, IPPROTO_IPV6, IPV6_PKTINFO, sizeof(out)), sizeof(out));
	return out;
}

START_TEST(ipv6_source_and_scope)
{
	struct in6_pktinfo out;
	char text[INET6_ADDRSTRLEN];

	out = reply6("2001:db8::2", 4);
	ck_assert_str_eq(inet_ntop(AF_INET6, &out.ipi6_addr, text, sizeof(text)), "2001:db8::2");
	ck_assert_uint_eq(out.ipi6_ifindex, 0);
	/* a link-local address names its link */
	out = reply6("fe80::2", 4);
	ck_assert_str_eq(inet_ntop(AF_INET6, &out.ipi6_addr, text, sizeof(text)), "fe80::2");
	ck_assert_uint_eq(out.ipi6_ifindex, 4);
	/* an IPv4 request on a dual-stack socket (one passed by systemd) */
	out = reply6("::ffff:192.0.2.2", 4);
	ck_assert_str_eq(inet_ntop(AF_INET6, &out.ipi6_addr, text, sizeof(text)),
			 "::ffff:192.0.2.2");
	ck_assert_uint_eq(out.ipi6_ifindex, 0);
}
END_TEST

/* Another control message before the pktinfo is stepped over. */
START_TEST(other_messages_skipped)
{
	struct timeval tv = { 1, 2 };
	struct ctl c;
	union reply r;
	struct in_pktinfo out;
	size_t n;

	ctl_init(&c);
	ctl_add(&c, SOL_SOCKET, SO_TIMESTAMP, &tv, sizeof(tv));
	ctl_add4(&c, "198.51.100.1", "198.51.100.1", 2);
	n = pktinfo_reply(&c.msg, r.buf, sizeof(r.buf));
	memcpy(&out, reply_data(r.buf, n, IPPROTO_IP, IP_PKTINFO, sizeof(out)), sizeof(out));
	ck_assert_str_eq(inet_ntoa(out.ipi_spec_dst), "198.51.100.1");
}
END_TEST

/* Nothing usable: no control data, and the kernel chooses. */
START_TEST(nothing_to_say)
{
	struct ctl c;
	union reply r;

	/* a bound socket: no control message at all */
	ctl_init(&c);
	c.msg.msg_controllen = 0;
	ck_assert_uint_eq(pktinfo_reply(&c.msg, r.buf, sizeof(r.buf)), 0);
	/* truncated: what is there may be cut */
	ctl_init(&c);
	ctl_add4(&c, "192.0.2.2", "192.0.2.2", 1);
	c.msg.msg_flags = MSG_CTRUNC;
	ck_assert_uint_eq(pktinfo_reply(&c.msg, r.buf, sizeof(r.buf)), 0);
	/* no room for the reply's */
	ctl_init(&c);
	ctl_add4(&c, "192.0.2.2", "192.0.2.2", 1);
	ck_assert_uint_eq(pktinfo_reply(&c.msg, r.buf, CMSG_LEN(sizeof(struct in_pktinfo)) - 1),
			  0);
	/* no local address */
	ctl_init(&c);
	ctl_add4(&c, "0.0.0.0", "192.0.2.2", 1);
	ck_assert_uint_eq(pktinfo_reply(&c.msg, r.buf, sizeof(r.buf)), 0);
	/* a multicast group is no source */
	ctl_init(&c);
	ctl_add6(&c, "ff02::1", 2);
	ck_assert_uint_eq(pktinfo_reply(&c.msg, r.buf, sizeof(r.buf)), 0);
	/* a pktinfo shorter than its structure */
	ctl_init(&c);
	ctl_add(&c, IPPROTO_IPV6, IPV6_PKTINFO, "\x20\x01", 2);
	ck_assert_uint_eq(pktinfo_reply(&c.msg, r.buf, sizeof(r.buf)), 0);
}
END_TEST

static Suite *
pktinfo_suite(void)
{
	Suite *s = suite_create("pktinfo");
	TCase *tc = tcase_create("reply");

	tcase_add_test(tc, ipv4_source_is_spec_dst);
	tcase_add_test(tc, ipv6_source_and_scope);
	tcase_add_test(tc, other_messages_skipped);
	tcase_add_test(tc, nothing_to_say);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return check_run(pktinfo_suite());
}
