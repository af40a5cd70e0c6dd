/* SPDX-License-Identifier: ISC */
/* Unit tests for portierctl audit: the sock_diag reply parser on replies
 * recorded from a real kernel (a network namespace holding a TCP listener
 * on 127.0.0.1:7777, one on [::1]:8888 and a UDP socket on 0.0.0.0:9999;
 * the replies were read with a SOCK_DIAG_BY_FAMILY dump request per family
 * and protocol, and a request for family 99 that the kernel refuses), the
 * /proc/net fallback, and the findings from plain data. The AF_UNIX reply
 * was recorded the same way from a namespace holding three unix stream
 * listeners: /tmp/auditunix-rec.sock, the abstract "\0portier-abs" and an
 * autobound one (abstract, five hex digits). */
#include "autoconf.h"

#include <check.h>
#include <errno.h>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <netinet/in.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <unistd.h>

#include "config/config.h"
#include "ctl/audit.h"
#include "check_run.h"

/* The inodes of the three sockets when the replies were recorded. */
#define INODE_TCP4 7668379
#define INODE_TCP6 7668380
#define INODE_UDP4 7668381

static const unsigned char reply_tcp4_0[] = {
	0x7c, 0x00, 0x00, 0x00, 0x14, 0x00, 0x02, 0x00, 0x01, 0x00, 0x00, 0x00,
	0x57, 0x26, 0x00, 0x00, 0x02, 0x0a, 0x00, 0x00, 0x1e, 0x61, 0x00, 0x00,
	0x7f, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x93, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x80, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x9b, 0x02, 0x75, 0x00, 0x05, 0x00, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x08, 0x00, 0x0f, 0x00, 0x00, 0x00, 0x00, 0x00, 0x0c, 0x00, 0x15, 0x00,
	0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x06, 0x00, 0x16, 0x00,
	0x52, 0x00, 0x00, 0x00
};

static const unsigned char reply_tcp4_1[] = {
	0x14, 0x00, 0x00, 0x00, 0x03, 0x00, 0x02, 0x00, 0x01, 0x00, 0x00, 0x00,
	0x57, 0x26, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00
};

static const unsigned char reply_tcp6_0[] = {
	0x84, 0x00, 0x00, 0x00, 0x14, 0x00, 0x02, 0x00, 0x01, 0x00, 0x00, 0x00,
	0x57, 0x26, 0x00, 0x00, 0x0a, 0x0a, 0x00, 0x00, 0x22, 0xb8, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x94, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x80, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x9c, 0x02, 0x75, 0x00, 0x05, 0x00, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x05, 0x00, 0x0b, 0x00, 0x01, 0x00, 0x00, 0x00, 0x08, 0x00, 0x0f, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x0c, 0x00, 0x15, 0x00, 0x01, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x06, 0x00, 0x16, 0x00, 0x12, 0x00, 0x00, 0x00
};

static const unsigned char reply_tcp6_1[] = {
	0x14, 0x00, 0x00, 0x00, 0x03, 0x00, 0x02, 0x00, 0x01, 0x00, 0x00, 0x00,
	0x57, 0x26, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00
};

static const unsigned char reply_udp4_0[] = {
	0x7c, 0x00, 0x00, 0x00, 0x14, 0x00, 0x02, 0x00, 0x01, 0x00, 0x00, 0x00,
	0x57, 0x26, 0x00, 0x00, 0x02, 0x07, 0x00, 0x00, 0x27, 0x0f, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x95, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x9d, 0x02, 0x75, 0x00, 0x05, 0x00, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x08, 0x00, 0x0f, 0x00, 0x00, 0x00, 0x00, 0x00, 0x0c, 0x00, 0x15, 0x00,
	0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x06, 0x00, 0x16, 0x00,
	0x50, 0x00, 0x00, 0x00
};

static const unsigned char reply_udp4_1[] = {
	0x14, 0x00, 0x00, 0x00, 0x03, 0x00, 0x02, 0x00, 0x01, 0x00, 0x00, 0x00,
	0x57, 0x26, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00
};

static const unsigned char reply_bad_0[] = {
	0x5c, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00,
	0x57, 0x26, 0x00, 0x00, 0xea, 0xff, 0xff, 0xff, 0x48, 0x00, 0x00, 0x00,
	0x14, 0x00, 0x01, 0x03, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x63, 0x06, 0x00, 0x00, 0x00, 0x04, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00
};

/* The inodes of the two named unix listeners. */
#define INODE_UNIX_PATH 21197898
#define INODE_UNIX_ABS 21197899

static const unsigned char reply_unix_0[] = {
	0x4c, 0x00, 0x00, 0x00, 0x14, 0x00, 0x02, 0x00, 0x01, 0x00, 0x00, 0x00,
	0x66, 0x48, 0x00, 0x00, 0x01, 0x01, 0x0a, 0x00, 0x4a, 0x74, 0x43, 0x01,
	0xed, 0x05, 0x06, 0x00, 0x00, 0x00, 0x00, 0x00, 0x1c, 0x00, 0x00, 0x00,
	0x2f, 0x74, 0x6d, 0x70, 0x2f, 0x61, 0x75, 0x64, 0x69, 0x74, 0x75, 0x6e,
	0x69, 0x78, 0x2d, 0x72, 0x65, 0x63, 0x2e, 0x73, 0x6f, 0x63, 0x6b, 0x00,
	0x05, 0x00, 0x06, 0x00, 0x00, 0x00, 0x00, 0x00, 0x08, 0x00, 0x07, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x40, 0x00, 0x00, 0x00, 0x14, 0x00, 0x02, 0x00,
	0x01, 0x00, 0x00, 0x00, 0x66, 0x48, 0x00, 0x00, 0x01, 0x01, 0x0a, 0x00,
	0x4b, 0x74, 0x43, 0x01, 0xee, 0x05, 0x06, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x10, 0x00, 0x00, 0x00, 0x00, 0x70, 0x6f, 0x72, 0x74, 0x69, 0x65, 0x72,
	0x2d, 0x61, 0x62, 0x73, 0x05, 0x00, 0x06, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x08, 0x00, 0x07, 0x00, 0x00, 0x00, 0x00, 0x00, 0x3c, 0x00, 0x00, 0x00,
	0x14, 0x00, 0x02, 0x00, 0x01, 0x00, 0x00, 0x00, 0x66, 0x48, 0x00, 0x00,
	0x01, 0x01, 0x0a, 0x00, 0x4c, 0x74, 0x43, 0x01, 0xef, 0x05, 0x06, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x0a, 0x00, 0x00, 0x00, 0x00, 0x36, 0x33, 0x64,
	0x38, 0x66, 0x00, 0x00, 0x05, 0x00, 0x06, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x08, 0x00, 0x07, 0x00, 0x00, 0x00, 0x00, 0x00
};

static const unsigned char reply_unix_1[] = {
	0x14, 0x00, 0x00, 0x00, 0x03, 0x00, 0x02, 0x00, 0x01, 0x00, 0x00, 0x00,
	0x66, 0x48, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00
};

/* Found by fuzz_sockdiag (tests/fuzz/found/sockdiag/error-int-min): an
 * NLMSG_ERROR carrying INT_MIN, whose negation is undefined. */
static const unsigned char reply_error_int_min[] = {
	0x5c, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00,
	0x57, 0x26, 0x00, 0x00, 0x00, 0x00, 0x00, 0x80, 0x00, 0x63, 0x06, 0x00,
	0x00, 0x00, 0x04, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
	0xff, 0xff, 0x5c, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0x01, 0x00,
	0x00, 0x00, 0x57, 0x26, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xb4,
	0x63, 0x06, 0xbf, 0xbf, 0xbf, 0xbf, 0xbf, 0xbf, 0xbf, 0xbf, 0xbf, 0x00,
	0x00, 0x00, 0x00, 0x04, 0x00, 0x00, 0x00, 0x00
};

START_TEST(test_diag_tcp4)
{
	struct audit_socks s = { .v = NULL };
	char a[64];

	ck_assert_int_eq(audit_diag_parse(reply_tcp4_0, sizeof(reply_tcp4_0), IPPROTO_TCP, &s),
			 sizeof(reply_tcp4_1) ? 0 : 1);
	ck_assert_int_eq(audit_diag_parse(reply_tcp4_1, sizeof(reply_tcp4_1), IPPROTO_TCP, &s), 1);
	ck_assert_uint_eq(s.count, 1);
	ck_assert_int_eq(s.v[0].family, AF_INET);
	ck_assert_int_eq(s.v[0].protocol, IPPROTO_TCP);
	ck_assert_str_eq(audit_addr_str(&s.v[0], a, sizeof(a)), "127.0.0.1");
	ck_assert_uint_eq(s.v[0].port, 7777);
	ck_assert_uint_eq(s.v[0].inode, INODE_TCP4);
	ck_assert_uint_eq(s.v[0].uid, 0);
	audit_socks_free(&s);
}
END_TEST

/* A socket bound to an interface (SO_BINDTODEVICE): the kernel says its
 * index in idiag_if; the recorded replies have none. */
START_TEST(test_diag_interface)
{
	struct audit_socks s = { .v = NULL };
	unsigned char bound[sizeof(reply_udp4_0)];
	uint32_t ifindex = 7;

	memcpy(bound, reply_udp4_0, sizeof(bound));
	ck_assert_int_ge(audit_diag_parse(bound, sizeof(bound), IPPROTO_UDP, &s), 0);
	ck_assert_uint_eq(s.count, 1);
	ck_assert_uint_eq(s.v[0].ifindex, 0);
	memcpy(bound + NLMSG_HDRLEN + offsetof(struct inet_diag_msg, id.idiag_if), &ifindex,
	       sizeof(ifindex));
	ck_assert_int_ge(audit_diag_parse(bound, sizeof(bound), IPPROTO_UDP, &s), 0);
	ck_assert_uint_eq(s.count, 2);
	ck_assert_uint_eq(s.v[1].ifindex, 7);
	ck_assert_uint_eq(s.v[1].port, 9999);
	audit_socks_free(&s);
}
END_TEST

START_TEST(test_diag_tcp6_udp)
{
	struct audit_socks s = { .v = NULL };
	char a[64];

	ck_assert_int_ge(audit_diag_parse(reply_tcp6_0, sizeof(reply_tcp6_0), IPPROTO_TCP, &s), 0);
	ck_assert_int_eq(audit_diag_parse(reply_tcp6_1, sizeof(reply_tcp6_1), IPPROTO_TCP, &s), 1);
	ck_assert_int_ge(audit_diag_parse(reply_udp4_0, sizeof(reply_udp4_0), IPPROTO_UDP, &s), 0);
	ck_assert_int_eq(audit_diag_parse(reply_udp4_1, sizeof(reply_udp4_1), IPPROTO_UDP, &s), 1);
	ck_assert_uint_eq(s.count, 2);
	ck_assert_int_eq(s.v[0].family, AF_INET6);
	ck_assert_str_eq(audit_addr_str(&s.v[0], a, sizeof(a)), "::1");
	ck_assert_uint_eq(s.v[0].port, 8888);
	ck_assert_uint_eq(s.v[0].inode, INODE_TCP6);
	ck_assert_int_eq(s.v[1].protocol, IPPROTO_UDP);
	ck_assert_str_eq(audit_addr_str(&s.v[1], a, sizeof(a)), "0.0.0.0");
	ck_assert_uint_eq(s.v[1].port, 9999);
	ck_assert_uint_eq(s.v[1].inode, INODE_UDP4);
	audit_socks_free(&s);
}
END_TEST

START_TEST(test_diag_errors)
{
	struct audit_socks s = { .v = NULL };
	unsigned char cut[sizeof(reply_tcp4_0)];

	errno = 0;
	ck_assert_int_eq(audit_diag_parse(reply_bad_0, sizeof(reply_bad_0), IPPROTO_TCP, &s), -1);
	ck_assert_int_ne(errno, 0);
	/* a message cut short */
	memcpy(cut, reply_tcp4_0, sizeof(cut));
	ck_assert_int_eq(audit_diag_parse(cut, sizeof(cut) - 8, IPPROTO_TCP, &s), -1);
	ck_assert_int_eq(errno, EBADMSG);
	/* a connected UDP socket (a destination port) is a client's */
	memcpy(cut, reply_udp4_0, sizeof(reply_udp4_0) < sizeof(cut) ? sizeof(reply_udp4_0) : sizeof(cut));
	cut[16 + 4 + 2] = 0x12;	/* nlmsghdr, family/state/timer/retrans, sport: dport */
	s.count = 0;
	ck_assert_int_ge(audit_diag_parse(cut, sizeof(reply_udp4_0), IPPROTO_UDP, &s), 0);
	ck_assert_uint_eq(s.count, 0);
	audit_socks_free(&s);
}
END_TEST

START_TEST(test_diag_unix)
{
	struct audit_socks s = { .v = NULL };
	char a[AUDIT_ADDR_MAX];

	ck_assert_int_eq(audit_unix_parse(reply_unix_0, sizeof(reply_unix_0), &s), 0);
	ck_assert_int_eq(audit_unix_parse(reply_unix_1, sizeof(reply_unix_1), &s), 1);
	ck_assert_uint_eq(s.count, 3);
	ck_assert_int_eq(s.v[0].family, AF_UNIX);
	ck_assert_int_eq(s.v[0].protocol, 0);
	ck_assert_str_eq(s.v[0].path, "/tmp/auditunix-rec.sock");
	ck_assert_str_eq(audit_addr_str(&s.v[0], a, sizeof(a)), "unix:/tmp/auditunix-rec.sock");
	ck_assert_str_eq(audit_proto_name(s.v[0].protocol), "unix");
	ck_assert_uint_eq(s.v[0].port, 0);
	ck_assert_uint_eq(s.v[0].inode, INODE_UNIX_PATH);
	ck_assert_uint_eq(s.v[0].uid, 0);
	ck_assert_str_eq(s.v[1].path, "@portier-abs");
	ck_assert_uint_eq(s.v[1].inode, INODE_UNIX_ABS);
	ck_assert_int_eq(s.v[2].path[0], '@');
	ck_assert_uint_eq(strlen(s.v[2].path), 6);
	/* an inet parse of the same bytes refuses them: too short */
	s.count = 0;
	ck_assert_int_eq(audit_diag_parse(reply_unix_0, sizeof(reply_unix_0), IPPROTO_TCP, &s), -1);
	ck_assert_int_eq(errno, EBADMSG);
	audit_socks_free(&s);
}
END_TEST

START_TEST(test_diag_error_int_min)
{
	struct audit_socks s = { .v = NULL };

	errno = 0;
	ck_assert_int_eq(audit_diag_parse(reply_error_int_min, sizeof(reply_error_int_min),
					  IPPROTO_TCP, &s), -1);
	ck_assert_int_eq(errno, EBADMSG);
	ck_assert_int_eq(audit_unix_parse(reply_error_int_min, sizeof(reply_error_int_min), &s), -1);
	ck_assert_int_eq(errno, EBADMSG);
	audit_socks_free(&s);
}
END_TEST

START_TEST(test_procunix)
{
	static const char text[] =
	    "Num       RefCount Protocol Flags    Type St Inode Path\n"
	    "0000000000000000: 00000002 00000000 00010000 0001 01 4242 /run/portier/echo.sock\n"
	    "0000000000000000: 00000002 00000000 00010000 0001 01 4243 @abstract\n"
	    "0000000000000000: 00000002 00000000 00010000 0001 01 4244\n"
	    "0000000000000000: 00000003 00000000 00000000 0001 03 4245 /run/connected\n"
	    "0000000000000000: 00000002 00000000 00000000 0002 01 4246 /run/dgram\n"
	    "garbage\n";
	struct audit_socks s = { .v = NULL };
	char a[AUDIT_ADDR_MAX];

	ck_assert_int_eq(audit_procunix_parse(text, &s), 0);
	ck_assert_uint_eq(s.count, 2);
	ck_assert_str_eq(audit_addr_str(&s.v[0], a, sizeof(a)), "unix:/run/portier/echo.sock");
	ck_assert_uint_eq(s.v[0].inode, 4242);
	ck_assert_int_eq(s.v[0].family, AF_UNIX);
	ck_assert_str_eq(s.v[1].path, "@abstract");
	audit_socks_free(&s);
}
END_TEST

START_TEST(test_procnet)
{
	static const char tcp[] =
	    "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n"
	    "   0: 0100007F:1E61 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 7668379 1 0000000000000000 100 0 0 10 0\n"
	    "   1: 0100007F:A2B4 0100007F:1E61 01 00000000:00000000 00:00000000 00000000  1000        0 7668390 1 0000000000000000 20 4 30 10 -1\n"
	    "   2: garbage\n";
	static const char udp6[] =
	    "  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops\n"
	    "   0: 00000000000000000000000001000000:22B8 00000000000000000000000000000000:0000 07 00000000:00000000 00:00000000 00000000   104        0 4242 2 0000000000000000 0\n";
	struct audit_socks s = { .v = NULL };
	char a[64];

	ck_assert_int_eq(audit_procnet_parse(tcp, AF_INET, IPPROTO_TCP, &s), 0);
	ck_assert_int_eq(audit_procnet_parse(udp6, AF_INET6, IPPROTO_UDP, &s), 0);
	ck_assert_uint_eq(s.count, 2);
	ck_assert_str_eq(audit_addr_str(&s.v[0], a, sizeof(a)), "127.0.0.1");
	ck_assert_uint_eq(s.v[0].port, 7777);
	ck_assert_uint_eq(s.v[0].inode, INODE_TCP4);
	ck_assert_str_eq(audit_addr_str(&s.v[1], a, sizeof(a)), "::1");
	ck_assert_uint_eq(s.v[1].port, 8888);
	ck_assert_uint_eq(s.v[1].uid, 104);
	ck_assert_uint_eq(s.v[1].inode, 4242);
	audit_socks_free(&s);
}
END_TEST

/* ---- findings from plain data ---- */

static const char conf_text[] =
	"service telnet {\n type = internal\n name = echo\n port = 23\n}\n"
	"service pop3 {\n type = internal\n name = echo\n port = 110\n"
	" only_from = { \"192.0.2.0/24\" }\n}\n"
	"service local {\n type = internal\n name = echo\n port = 2000\n"
	" only_from = { \"127.0.0.1\", \"::1\" }\n}\n"
	"service late {\n type = internal\n name = echo\n port = 4001\n"
	" bind = { \"127.0.0.1\" }\n expires = \"2000-01-01\"\n}\n"
	"service ghost {\n type = internal\n name = echo\n port = 4004\n"
	" bind = { \"192.0.2.99\" }\n}\n"
	"service taken {\n type = internal\n name = echo\n port = 4005\n"
	" bind = { \"127.0.0.1\" }\n}\n";

#define DAEMON 100
#define OTHER 200

static struct audit_sock
sock(int protocol, const char *v4, unsigned port, pid_t pid, const char *command)
{
	struct audit_sock k = { .family = AF_INET, .protocol = protocol, .port = port,
		.pids = { pid }, .npids = pid ? 1 : 0 };

	inet_pton(AF_INET, v4, k.addr);
	snprintf(k.command, sizeof(k.command), "%s", command);
	snprintf(k.user, sizeof(k.user), "root");
	return k;
}

static struct registry *
small_registry(void)
{
	char path[] = "/tmp/check_audit.XXXXXX";
	int fd = mkstemp(path);
	struct registry *reg = registry_new();
	struct diag d;

	ck_assert_int_ge(fd, 0);
	ck_assert_int_gt(write(fd, "nfs 2049/tcp\ntelnet 23/tcp\npop3 110/tcp\n", 40), 0);
	close(fd);
	diag_init(&d);
	ck_assert_int_eq(registry_load(reg, path, false, &d), 0);
	diag_free(&d);
	unlink(path);
	return reg;
}

/* "severity code port service", one string per finding */
static bool
has(const struct audit_findings *f, const char *want)
{
	for (size_t i = 0; i < f->count; i++) {
		char got[128];

		snprintf(got, sizeof(got), "%s %s %u %s", audit_severity_name(f->v[i].severity),
			 f->v[i].code, f->v[i].port, f->v[i].service ? f->v[i].service : "-");
		if (!strcmp(got, want))
			return true;
	}
	return false;
}

START_TEST(test_findings)
{
	struct audit_sock v[] = {
		sock(IPPROTO_TCP, "0.0.0.0", 23, DAEMON, "portierd"),
		sock(IPPROTO_TCP, "192.0.2.1", 110, DAEMON, "portierd"),
		sock(IPPROTO_TCP, "0.0.0.0", 2000, DAEMON, "portierd"),
		sock(IPPROTO_TCP, "127.0.0.1", 4001, DAEMON, "portierd"),
		sock(IPPROTO_TCP, "127.0.0.1", 4005, OTHER, "squatter"),
		sock(IPPROTO_TCP, "0.0.0.0", 2049, OTHER, "rpc.nfsd"),
		sock(IPPROTO_UDP, "0.0.0.0", 40002, OTHER, "stray"),
		sock(IPPROTO_TCP, "192.0.2.1", 21, OTHER, "vsftpd"),
	};
	struct audit_socks s = { .v = v, .count = sizeof(v) / sizeof(v[0]) };
	struct audit_state states[] = {
		{ "ghost", "unbound", 0, "bind 192.0.2.99:4004/tcp: Cannot assign requested address" },
		{ "taken", "unbound", 0, "bind 127.0.0.1:4005/tcp: Address already in use" },
		{ "late", "listening", 0, NULL },
	};
	struct registry *reg = small_registry();
	struct diag d;
	struct config *cfg;
	struct audit_input in = { .socks = &s, .reg = reg, .states = states, .nstates = 3,
		.daemon_pid = DAEMON, .now = time(NULL) };
	struct audit_findings f;

	diag_init(&d);
	cfg = config_load_buffer(conf_text, "t.conf", reg, CONFIG_NO_FS_CHECKS, &d);
	ck_assert_ptr_nonnull(cfg);
	in.cfg = cfg;
	ck_assert_int_eq(audit_findings(&in, &f), 0);
	ck_assert(has(&f, "critical cleartext 23 telnet"));
	ck_assert(has(&f, "warning cleartext 110 pop3"));
	ck_assert(has(&f, "info all-addresses 2000 local"));
	ck_assert(has(&f, "critical open-after-expiry 4001 late"));
	ck_assert(has(&f, "critical port-taken 4005 taken"));
	ck_assert(has(&f, "warning not-listening 4005 taken"));
	ck_assert(has(&f, "warning not-listening 4004 ghost"));
	ck_assert(has(&f, "info registered 2049 -"));
	ck_assert(has(&f, "warning unregistered 40002 -"));
	ck_assert(has(&f, "warning cleartext 21 -"));
	ck_assert_uint_eq(f.count, 10);
	ck_assert_int_eq(f.v[0].severity, AUDIT_CRITICAL);	/* most severe first */
	ck_assert_int_eq(f.v[f.count - 1].severity, AUDIT_INFO);
	ck_assert_str_eq(v[5].reg_name, "nfs");
	ck_assert(v[0].portier && !v[5].portier);
	ck_assert_str_eq(v[3].service, "late");
	for (size_t i = 0; i < f.count; i++)
		if (!strcmp(f.v[i].code, "registered"))
			ck_assert_str_eq(f.v[i].text, "2049/tcp is nfs; owned by rpc.nfsd");
	audit_findings_free(&f);
	config_free(cfg);
	registry_free(reg);
	diag_free(&d);
}
END_TEST

/* bind_each_address: portierd's sockets on the host's addresses belong to
 * the service whose bind names only the wildcard of their family. */
START_TEST(test_findings_each_address)
{
	struct audit_sock v[] = {
		sock(IPPROTO_UDP, "192.0.2.1", 4006, DAEMON, "portierd"),
		sock(IPPROTO_UDP, "127.0.0.1", 4006, DAEMON, "portierd"),
	};
	struct audit_socks s = { .v = v, .count = sizeof(v) / sizeof(v[0]) };
	struct audit_state states[] = { { "each", "listening", 0, NULL } };
	struct registry *reg = small_registry();
	struct diag d;
	struct config *cfg;
	struct audit_input in = { .socks = &s, .reg = reg, .states = states, .nstates = 1,
		.daemon_pid = DAEMON, .now = time(NULL) };
	struct audit_findings f;

	diag_init(&d);
	cfg = config_load_buffer("service each {\n type = internal\n name = echo\n"
				 " protocol = udp\n port = 4006\n bind = { \"0.0.0.0\" }\n"
				 " bind_each_address = yes\n}\n", "t.conf", reg,
				 CONFIG_NO_FS_CHECKS, &d);
	ck_assert_ptr_nonnull(cfg);
	in.cfg = cfg;
	ck_assert_int_eq(audit_findings(&in, &f), 0);
	ck_assert_str_eq(v[0].service, "each");
	ck_assert_str_eq(v[1].service, "each");
	ck_assert(!has(&f, "warning not-listening 4006 each"));
	audit_findings_free(&f);
	config_free(cfg);
	registry_free(reg);
	diag_free(&d);
}
END_TEST

/* Without portierd: no not-listening (nothing listens), the squatter is
 * still found from conf.d alone, an open --for past its time is critical. */
START_TEST(test_findings_no_daemon)
{
	struct audit_sock v[] = {
		sock(IPPROTO_TCP, "0.0.0.0", 4005, OTHER, "squatter"),
	};
	struct audit_socks s = { .v = v, .count = 1 };
	struct diag d;
	struct config *cfg;
	struct audit_input in = { .socks = &s, .now = time(NULL) };
	struct audit_findings f;

	diag_init(&d);
	cfg = config_load_buffer(conf_text, "t.conf", NULL, CONFIG_NO_FS_CHECKS, &d);
	ck_assert_ptr_nonnull(cfg);
	in.cfg = cfg;
	ck_assert_int_eq(audit_findings(&in, &f), 0);
	ck_assert(has(&f, "critical port-taken 4005 taken"));
	ck_assert(has(&f, "info all-addresses 2000 local"));
	ck_assert_uint_eq(f.count, 2);
	audit_findings_free(&f);
	config_free(cfg);
	diag_free(&d);
}
END_TEST

START_TEST(test_open_period)
{
	struct audit_sock v[] = { sock(IPPROTO_TCP, "127.0.0.1", 4005, DAEMON, "portierd") };
	struct audit_socks s = { .v = v, .count = 1 };
	struct audit_state st = { "taken", "open", 0, NULL };
	struct diag d;
	struct config *cfg;
	struct audit_input in = { .socks = &s, .states = &st, .nstates = 1,
		.daemon_pid = DAEMON, .now = time(NULL) };
	struct audit_findings f;

	diag_init(&d);
	cfg = config_load_buffer(conf_text, "t.conf", NULL, CONFIG_NO_FS_CHECKS, &d);
	in.cfg = cfg;
	st.until = in.now + 60;		/* still open: fine */
	ck_assert_int_eq(audit_findings(&in, &f), 0);
	ck_assert(!has(&f, "critical open-after-expiry 4005 taken"));
	audit_findings_free(&f);
	st.until = in.now - 60;		/* past it and still listening */
	ck_assert_int_eq(audit_findings(&in, &f), 0);
	ck_assert(has(&f, "critical open-after-expiry 4005 taken"));
	audit_findings_free(&f);
	config_free(cfg);
	diag_free(&d);
}
END_TEST

START_TEST(test_cleartext_check)
{
	static const char text[] =
	    "service telnet {\n type = internal\n name = echo\n port = 23\n}\n"
	    "service pop3 {\n type = internal\n name = echo\n port = 110\n"
	    " bind = { \"127.0.0.1\" }\n}\n"
	    "service imap {\n type = internal\n name = echo\n port = 143\n"
	    " only_from = { \"10.0.0.0/8\" }\n}\n"
	    "service rsh {\n type = internal\n name = echo\n port = 514\n"
	    " only_from = { \"0.0.0.0/0\" }\n}\n"
	    "service ftp {\n type = internal\n name = echo\n port = 21\n disable = yes\n}\n";
	struct diag d, w;
	struct config *cfg;

	diag_init(&d);
	diag_init(&w);
	cfg = config_load_buffer(text, "c.conf", NULL, CONFIG_NO_FS_CHECKS, &d);
	ck_assert_ptr_nonnull(cfg);
	config_check_cleartext(cfg, &w);
	ck_assert_uint_eq(w.count, 2);
	ck_assert_uint_eq(w.errors, 0);
	ck_assert_ptr_nonnull(strstr(w.items[0].text, "c.conf:1: "));
	ck_assert_ptr_nonnull(strstr(w.items[0].text, "'telnet'"));
	ck_assert_ptr_nonnull(strstr(w.items[1].text, "'rsh'"));
	ck_assert(config_cleartext_name("imap2") && !config_cleartext_name("imaps"));
	ck_assert(config_cleartext_port(513, IPPROTO_TCP) && !config_cleartext_port(513, IPPROTO_UDP));
	config_free(cfg);
	diag_free(&d);
	diag_free(&w);
}
END_TEST

START_TEST(test_severity)
{
	enum audit_severity s;

	ck_assert_int_eq(audit_severity_parse("warning", &s), 0);
	ck_assert_int_eq(s, AUDIT_WARNING);
	ck_assert_int_eq(audit_severity_parse("fatal", &s), -1);
	ck_assert_str_eq(audit_severity_name(AUDIT_CRITICAL), "critical");
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("audit");
	TCase *tc = tcase_create("audit");

	tcase_add_test(tc, test_diag_tcp4);
	tcase_add_test(tc, test_diag_interface);
	tcase_add_test(tc, test_diag_tcp6_udp);
	tcase_add_test(tc, test_diag_errors);
	tcase_add_test(tc, test_diag_unix);
	tcase_add_test(tc, test_diag_error_int_min);
	tcase_add_test(tc, test_procunix);
	tcase_add_test(tc, test_procnet);
	tcase_add_test(tc, test_findings);
	tcase_add_test(tc, test_findings_no_daemon);
	tcase_add_test(tc, test_findings_each_address);
	tcase_add_test(tc, test_open_period);
	tcase_add_test(tc, test_cleartext_check);
	tcase_add_test(tc, test_severity);
	suite_add_tcase(s, tc);
	return check_run(s);
}
