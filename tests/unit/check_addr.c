/* SPDX-License-Identifier: ISC */
/* Unit tests for addr (sbin/base/addr.c): socket addresses as text,
 * addr_is_wildcard(), and addr_compare(), the one order of socket addresses
 * that listeners, waiting addresses and bind_each_address's host addresses
 * share. */
#include "autoconf.h"

#include <arpa/inet.h>
#include <check.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>

#include "base/base.h"
#include "check_run.h"

static struct sockaddr_storage
in4(const char *a, unsigned port)
{
	struct sockaddr_storage ss;
	struct sockaddr_in *s = (struct sockaddr_in *)&ss;

	memset(&ss, 0xa5, sizeof(ss));	/* padding that must not count */
	s->sin_family = AF_INET;
	s->sin_port = htons(port);
	ck_assert_int_eq(inet_pton(AF_INET, a, &s->sin_addr), 1);
	return ss;
}

static struct sockaddr_storage
in6(const char *a, unsigned port, unsigned scope)
{
	struct sockaddr_storage ss;
	struct sockaddr_in6 *s = (struct sockaddr_in6 *)&ss;

	memset(&ss, 0x5a, sizeof(ss));
	s->sin6_family = AF_INET6;
	s->sin6_port = htons(port);
	s->sin6_flowinfo = 0;
	s->sin6_scope_id = scope;
	ck_assert_int_eq(inet_pton(AF_INET6, a, &s->sin6_addr), 1);
	return ss;
}

static struct sockaddr_storage
un(const char *path)
{
	struct sockaddr_storage ss;
	struct sockaddr_un *s = (struct sockaddr_un *)&ss;

	memset(&ss, 0, sizeof(ss));
	s->sun_family = AF_UNIX;
	strcpy(s->sun_path, path);
	return ss;
}

static int
cmp(struct sockaddr_storage a, struct sockaddr_storage b)
{
	int ab = addr_compare((struct sockaddr *)&a, (struct sockaddr *)&b);
	int ba = addr_compare((struct sockaddr *)&b, (struct sockaddr *)&a);

	/* antisymmetric, whatever the case */
	ck_assert_int_eq(ab < 0, ba > 0);
	ck_assert_int_eq(ab == 0, ba == 0);
	return ab;
}

START_TEST(compare_order)
{
	/* equal whatever the padding holds */
	ck_assert_int_eq(cmp(in4("192.0.2.1", 7), in4("192.0.2.1", 7)), 0);
	ck_assert_int_eq(cmp(in6("2001:db8::1", 7, 0), in6("2001:db8::1", 7, 0)), 0);
	ck_assert_int_eq(cmp(un("/run/a.sock"), un("/run/a.sock")), 0);
	/* family first, then port, then address */
	ck_assert_int_lt(cmp(in4("203.0.113.9", 9), in6("::", 1, 0)), 0);
	ck_assert_int_lt(cmp(in4("203.0.113.9", 7), in4("192.0.2.1", 9)), 0);
	ck_assert_int_lt(cmp(in4("192.0.2.1", 7), in4("192.0.2.2", 7)), 0);
	ck_assert_int_lt(cmp(in6("2001:db8::1", 7, 0), in6("2001:db8::2", 7, 0)), 0);
	/* a port in network order would sort 256 before 1 */
	ck_assert_int_lt(cmp(in4("192.0.2.1", 1), in4("192.0.2.1", 256)), 0);
	/* a link-local address once per interface */
	ck_assert_int_lt(cmp(in6("fe80::1", 7, 2), in6("fe80::1", 7, 3)), 0);
	ck_assert_int_lt(cmp(in6("fe80::2", 7, 2), in6("fe80::1", 7, 3)), 0);
	/* unix: the path, no port */
	ck_assert_int_lt(cmp(un("/run/a.sock"), un("/run/b.sock")), 0);
}
END_TEST

START_TEST(text_and_name)
{
	struct sockaddr_storage a = in4("192.0.2.1", 80), b = in6("2001:db8::1", 53, 0);
	struct sockaddr_storage c = un("/run/x.sock");
	char buf[ADDR_NAME_MAX + 16];

	ck_assert_int_eq(addr_text((struct sockaddr *)&a, buf, sizeof(buf)), 80);
	ck_assert_str_eq(buf, "192.0.2.1");
	ck_assert_uint_eq(addr_port((struct sockaddr *)&b), 53);
	addr_name((struct sockaddr *)&a, SOCK_STREAM, buf, sizeof(buf));
	ck_assert_str_eq(buf, "192.0.2.1:80/tcp");
	addr_name((struct sockaddr *)&b, SOCK_DGRAM, buf, sizeof(buf));
	ck_assert_str_eq(buf, "[2001:db8::1]:53/udp");
	addr_name((struct sockaddr *)&c, SOCK_STREAM, buf, sizeof(buf));
	ck_assert_str_eq(buf, "unix:/run/x.sock");
	ck_assert_uint_eq(addr_port((struct sockaddr *)&c), 0);
}
END_TEST

static bool
wild(struct sockaddr_storage ss)
{
	return addr_is_wildcard((struct sockaddr *)&ss);
}

/* The one test of "every address" that the loader, the converter and the
 * listeners share. */
START_TEST(wildcard)
{
	ck_assert(wild(in4("0.0.0.0", 7)));
	ck_assert(wild(in6("::", 7, 0)));
	ck_assert(!wild(in4("192.0.2.1", 7)));
	ck_assert(!wild(in6("::1", 7, 0)));
	ck_assert(!wild(in6("::ffff:0.0.0.0", 7, 0)));
	/* a unix path whose first bytes are zero as an IPv4 address would be */
	ck_assert(!wild(un("")));
}
END_TEST

static Suite *
addr_suite(void)
{
	Suite *s = suite_create("addr");
	TCase *tc = tcase_create("addr");

	tcase_add_test(tc, compare_order);
	tcase_add_test(tc, text_and_name);
	tcase_add_test(tc, wildcard);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return check_run(addr_suite());
}
