/* SPDX-License-Identifier: ISC */
/* Unit tests for sbin/daemon/adopt.c: whether a socket passed by the service
 * manager fits a service (adopt_fits) and the words of the refusal. The
 * sockets are described with plain data; adopt_identify() is checked once
 * against a real socket. */
#include "autoconf.h"

#include <arpa/inet.h>
#include <check.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "daemon/adopt.h"
#include "config/config.h"
#include "check_run.h"

static struct service
svc_make(int socktype, unsigned port)
{
	struct service s;

	memset(&s, 0, sizeof(s));
	s.id = (char *)"test";
	s.socktype = socktype;
	s.protocol = socktype == SOCK_STREAM ? IPPROTO_TCP : IPPROTO_UDP;
	s.port = port;
	return s;
}

/* A socket on addr:port, IPv6 when addr has a colon. */
static struct adopt_sock
sock_make(int socktype, bool listening, const char *addr, unsigned port)
{
	struct adopt_sock s;
	struct sockaddr_in *a4 = (struct sockaddr_in *)&s.addr;
	struct sockaddr_in6 *a6 = (struct sockaddr_in6 *)&s.addr;

	memset(&s, 0, sizeof(s));
	s.family = strchr(addr, ':') ? AF_INET6 : AF_INET;
	s.socktype = socktype;
	s.listening = listening;
	s.addr.ss_family = (sa_family_t)s.family;
	if (s.family == AF_INET6) {
		a6->sin6_port = htons(port);
		inet_pton(AF_INET6, addr, &a6->sin6_addr);
	} else {
		a4->sin_port = htons(port);
		inet_pton(AF_INET, addr, &a4->sin_addr);
	}
	return s;
}

static struct sockaddr_storage
bind4(const char *addr, unsigned port)
{
	struct sockaddr_storage ss;
	struct sockaddr_in *a = (struct sockaddr_in *)&ss;

	memset(&ss, 0, sizeof(ss));
	a->sin_family = AF_INET;
	a->sin_port = htons(port);
	inet_pton(AF_INET, addr, &a->sin_addr);
	return ss;
}

START_TEST(test_wildcard_service_takes_any_address)
{
	struct service svc = svc_make(SOCK_STREAM, 23);
	struct adopt_sock any4 = sock_make(SOCK_STREAM, true, "0.0.0.0", 23);
	struct adopt_sock any6 = sock_make(SOCK_STREAM, true, "::", 23);
	struct adopt_sock lo = sock_make(SOCK_STREAM, true, "127.0.0.1", 23);
	char why[256] = "";

	ck_assert(adopt_fits(&svc, &any4, why, sizeof(why)));
	ck_assert(adopt_fits(&svc, &any6, why, sizeof(why)));
	ck_assert(adopt_fits(&svc, &lo, why, sizeof(why)));
	ck_assert_str_eq(why, "");
	svc = svc_make(SOCK_DGRAM, 69);
	any4 = sock_make(SOCK_DGRAM, false, "0.0.0.0", 69);
	ck_assert(adopt_fits(&svc, &any4, why, sizeof(why)));
}
END_TEST

/* interface = NAME: a socket bound to that interface (BindToDevice=), no
 * other; a socket bound to an interface serves a service without one (it
 * is narrower). */
START_TEST(test_interface)
{
	struct service svc = svc_make(SOCK_STREAM, 23);
	struct adopt_sock any = sock_make(SOCK_STREAM, true, "0.0.0.0", 23);
	char why[256] = "";

	svc.interface = (char *)"veth0";
	ck_assert(!adopt_fits(&svc, &any, why, sizeof(why)));
	ck_assert_str_eq(why, "expected a listening TCP socket on port 23 on interface veth0, "
			 "found a TCP socket on 0.0.0.0:23");
	memcpy(any.ifname, "veth1", 6);
	ck_assert(!adopt_fits(&svc, &any, why, sizeof(why)));
	ck_assert_str_eq(why, "expected a listening TCP socket on port 23 on interface veth0, "
			 "found a TCP socket on 0.0.0.0:23 on interface veth1");
	memcpy(any.ifname, "veth0", 6);
	ck_assert(adopt_fits(&svc, &any, why, sizeof(why)));
	svc.interface = NULL;
	ck_assert(adopt_fits(&svc, &any, why, sizeof(why)));
}
END_TEST

/* A socket that does not fit a service without bind addresses, and the
 * words of the refusal. */
static const struct {
	int svc_type;
	unsigned svc_port;
	int type;
	bool listening;
	const char *addr;
	unsigned port;
	const char *why;
} misfits[] = {
	{ SOCK_STREAM, 23, SOCK_DGRAM, false, "127.0.0.1", 23,
	  "expected a listening TCP socket on port 23, found a UDP socket on 127.0.0.1:23" },
	{ SOCK_DGRAM, 69, SOCK_STREAM, true, "::1", 69,
	  "expected a UDP socket on port 69, found a TCP socket on [::1]:69" },
	{ SOCK_STREAM, 23, SOCK_STREAM, true, "0.0.0.0", 2323,
	  "expected a listening TCP socket on port 23, found a TCP socket on 0.0.0.0:2323" },
	/* Accept=yes hands over connections: portierd needs the listener. */
	{ SOCK_STREAM, 23, SOCK_STREAM, false, "127.0.0.1", 23,
	  "expected a listening TCP socket on port 23, "
	  "found a TCP socket (not listening) on 127.0.0.1:23" },
};

START_TEST(test_misfit)
{
	struct service svc = svc_make(misfits[_i].svc_type, misfits[_i].svc_port);
	struct adopt_sock s = sock_make(misfits[_i].type, misfits[_i].listening,
					misfits[_i].addr, misfits[_i].port);
	char why[256];

	ck_assert(!adopt_fits(&svc, &s, why, sizeof(why)));
	ck_assert_str_eq(why, misfits[_i].why);
}
END_TEST

START_TEST(test_bind_addresses_are_enforced)
{
	struct sockaddr_storage binds[2] = { bind4("127.0.0.1", 23), bind4("192.0.2.1", 23) };
	struct service svc = svc_make(SOCK_STREAM, 23);
	struct adopt_sock lo = sock_make(SOCK_STREAM, true, "127.0.0.1", 23);
	struct adopt_sock mapped = sock_make(SOCK_STREAM, true, "::ffff:192.0.2.1", 23);
	struct adopt_sock any = sock_make(SOCK_STREAM, true, "0.0.0.0", 23);
	struct adopt_sock other = sock_make(SOCK_STREAM, true, "127.0.0.2", 23);
	char why[256];

	svc.bind = binds;
	svc.nbind = 2;
	ck_assert(adopt_fits(&svc, &lo, why, sizeof(why)));
	ck_assert(adopt_fits(&svc, &mapped, why, sizeof(why)));
	/* a wildcard socket would serve addresses the service does not allow */
	ck_assert(!adopt_fits(&svc, &any, why, sizeof(why)));
	ck_assert_str_eq(why, "expected a listening TCP socket on 127.0.0.1 or 192.0.2.1 port 23, "
			 "found a TCP socket on 0.0.0.0:23");
	ck_assert(!adopt_fits(&svc, &other, why, sizeof(why)));
	ck_assert_str_eq(why, "expected a listening TCP socket on 127.0.0.1 or 192.0.2.1 port 23, "
			 "found a TCP socket on 127.0.0.2:23");
}
END_TEST

START_TEST(test_not_inet)
{
	struct service svc = svc_make(SOCK_STREAM, 23);
	struct adopt_sock s;
	char why[256];

	memset(&s, 0, sizeof(s));
	s.family = AF_UNIX;
	s.socktype = SOCK_STREAM;
	s.listening = true;
	s.addr.ss_family = AF_UNIX;
	ck_assert(!adopt_fits(&svc, &s, why, sizeof(why)));
	ck_assert_str_eq(why, "expected a listening TCP socket on port 23, "
			 "found a socket of address family 1 (not IPv4 or IPv6)");
}
END_TEST

START_TEST(test_short_buffer)
{
	struct service svc = svc_make(SOCK_STREAM, 23);
	struct adopt_sock s = sock_make(SOCK_DGRAM, false, "127.0.0.1", 23);
	char why[16];

	ck_assert(!adopt_fits(&svc, &s, why, sizeof(why)));
	ck_assert_uint_eq(strlen(why), sizeof(why) - 1);
}
END_TEST

START_TEST(test_identify_real_sockets)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	struct service svc = svc_make(SOCK_STREAM, 0);
	socklen_t len = sizeof(a);
	struct adopt_sock s;
	char why[256];
	int tcp = socket(AF_INET, SOCK_STREAM, 0);
	int udp = socket(AF_INET, SOCK_DGRAM, 0);

	ck_assert_int_ge(tcp, 0);
	ck_assert_int_ge(udp, 0);
	ck_assert_int_eq(bind(tcp, (struct sockaddr *)&a, sizeof(a)), 0);
	ck_assert_int_eq(adopt_identify(tcp, &s), 0);
	ck_assert_int_eq(s.family, AF_INET);
	ck_assert_int_eq(s.socktype, SOCK_STREAM);
	ck_assert(!s.listening);
	ck_assert_int_eq(listen(tcp, 1), 0);
	ck_assert_int_eq(adopt_identify(tcp, &s), 0);
	ck_assert(s.listening);
	ck_assert_int_eq(getsockname(tcp, (struct sockaddr *)&a, &len), 0);
	svc.port = ntohs(a.sin_port);
	ck_assert(adopt_fits(&svc, &s, why, sizeof(why)));
	ck_assert_int_eq(adopt_identify(udp, &s), 0);
	ck_assert_int_eq(s.socktype, SOCK_DGRAM);
	ck_assert(!adopt_fits(&svc, &s, why, sizeof(why)));
	close(tcp);
	close(udp);
	ck_assert_int_eq(adopt_identify(tcp, &s), -1);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("adopt");
	TCase *tc = tcase_create("fit");

	tcase_add_test(tc, test_wildcard_service_takes_any_address);
	tcase_add_loop_test(tc, test_misfit, 0, sizeof(misfits) / sizeof(misfits[0]));
	tcase_add_test(tc, test_bind_addresses_are_enforced);
	tcase_add_test(tc, test_interface);
	tcase_add_test(tc, test_not_inet);
	tcase_add_test(tc, test_short_buffer);
	tcase_add_test(tc, test_identify_real_sockets);
	suite_add_tcase(s, tc);
	return check_run(s);
}
