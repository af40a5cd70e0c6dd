/* SPDX-License-Identifier: ISC */
/* Unit tests for builtin_proto: the internal services' wire formats and
 * policies, driven with plain data. */
#include "autoconf.h"

#include <arpa/inet.h>
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "builtin/builtin.h"
#include "check_run.h"

START_TEST(test_kind_names)
{
	ck_assert_int_eq(builtin_kind("echo"), BUILTIN_ECHO);
	ck_assert_int_eq(builtin_kind("discard"), BUILTIN_DISCARD);
	ck_assert_int_eq(builtin_kind("daytime"), BUILTIN_DAYTIME);
	ck_assert_int_eq(builtin_kind("chargen"), BUILTIN_CHARGEN);
	ck_assert_int_eq(builtin_kind("time"), BUILTIN_TIME);
	ck_assert_int_eq(builtin_kind("tcpmux"), BUILTIN_TCPMUX);
	ck_assert_int_eq(builtin_kind("Echo"), BUILTIN_NONE);
	ck_assert_int_eq(builtin_kind("none"), BUILTIN_NONE);
	ck_assert_int_eq(builtin_kind(""), BUILTIN_NONE);
	ck_assert_str_eq(builtin_kind_name(BUILTIN_CHARGEN), "chargen");
	ck_assert_str_eq(builtin_kind_name((enum builtin_kind)99), "none");
}
END_TEST

/* Line n of RFC 864's pattern, built independently of the generator. */
static void
chargen_line(unsigned n, char out[74])
{
	static const char printable[] =
		" !\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ"
		"[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~";
	unsigned i;

	ck_assert_uint_eq(sizeof(printable) - 1, 95);
	for (i = 0; i < 72; i++)
		out[i] = printable[(n + i) % 95];
	out[72] = '\r';
	out[73] = '\n';
}

START_TEST(test_chargen_first_lines)
{
	const char *p = builtin_chargen_at(0);
	char want[74];
	unsigned n;

	ck_assert_int_eq(BUILTIN_CHARGEN_PERIOD, 95 * 74);
	ck_assert(memcmp(p, " !\"#$%&'()*+,-./0123456789", 26) == 0);
	for (n = 0; n < 10; n++) {
		chargen_line(n, want);
		ck_assert_msg(memcmp(p + n * 74, want, 74) == 0, "line %u differs", n);
	}
	/* line 1 starts with '!', line 94 with '~' and wraps to ' ' */
	ck_assert_int_eq(p[74], '!');
	ck_assert_int_eq(p[94 * 74], '~');
	ck_assert_int_eq(p[94 * 74 + 1], ' ');
}
END_TEST

START_TEST(test_chargen_rotation)
{
	char want[74];
	unsigned n;

	/* Every line of three periods, read through the ring from any offset. */
	for (n = 0; n < 3 * 95; n++) {
		chargen_line(n, want);
		ck_assert(memcmp(builtin_chargen_at((size_t)n * 74), want, 74) == 0);
	}
	/* A full period is contiguous from every offset. */
	for (n = 0; n < BUILTIN_CHARGEN_PERIOD; n += 37) {
		const char *a = builtin_chargen_at(n);
		const char *b = builtin_chargen_at(0);

		ck_assert(memcmp(a, b + n, BUILTIN_CHARGEN_PERIOD - n) == 0);
		ck_assert(memcmp(a + BUILTIN_CHARGEN_PERIOD - n, b, n) == 0);
	}
	ck_assert_ptr_eq(builtin_chargen_at(BUILTIN_CHARGEN_PERIOD + 5), builtin_chargen_at(5));
}
END_TEST

static void
set_tz(const char *tz)
{
	ck_assert_int_eq(setenv("TZ", tz, 1), 0);
	tzset();
}

START_TEST(test_daytime_format)
{
	char buf[BUILTIN_DAYTIME_MAX];
	size_t n;

	set_tz("UTC0");
	n = builtin_daytime(0, buf, sizeof(buf));
	ck_assert_str_eq(buf, "Thursday, January 01, 1970 00:00:00-UTC\r\n");
	ck_assert_uint_eq(n, strlen(buf));
	/* RFC 867's own example instant, 1982-02-22 17:37:43 PST */
	set_tz("PST8");
	builtin_daytime(383276263, buf, sizeof(buf));
	ck_assert_str_eq(buf, "Monday, February 22, 1982 17:37:43-PST\r\n");
	set_tz("UTC0");
	builtin_daytime(1700000000, buf, sizeof(buf));
	ck_assert_str_eq(buf, "Tuesday, November 14, 2023 22:13:20-UTC\r\n");
}
END_TEST

START_TEST(test_daytime_small_buffer)
{
	char buf[10];

	set_tz("UTC0");
	ck_assert_uint_eq(builtin_daytime(0, buf, sizeof(buf)), 0);
}
END_TEST

START_TEST(test_time_value)
{
	unsigned char w[4];

	ck_assert_uint_eq(builtin_time_value(0), 2208988800U);
	ck_assert_uint_eq(builtin_time_value(1700000000), 1700000000U + 2208988800U);
	/* 2036-02-07 06:28:16 UTC is 2^32 s after 1900: the value wraps. */
	ck_assert_uint_eq(builtin_time_value(2085978496), 0);
	ck_assert_uint_eq(builtin_time_value(2085978497), 1);
	builtin_time_wire(0, w);
	/* 2208988800 = 0x83AA7E80 */
	ck_assert_int_eq(w[0], 0x83);
	ck_assert_int_eq(w[1], 0xAA);
	ck_assert_int_eq(w[2], 0x7E);
	ck_assert_int_eq(w[3], 0x80);
}
END_TEST

START_TEST(test_udp_port_policy)
{
	static const unsigned small[] = { 0, 7, 9, 13, 19, 37 };
	enum builtin_kind k;
	size_t i;

	for (k = BUILTIN_ECHO; k <= BUILTIN_TIME; k++) {
		for (i = 0; i < sizeof(small) / sizeof(small[0]); i++)
			ck_assert_msg(!builtin_udp_port_ok(k, small[i]), "%s from %u",
				      builtin_kind_name(k), small[i]);
		ck_assert(builtin_udp_port_ok(k, 1024));
		ck_assert(builtin_udp_port_ok(k, 40000));
		ck_assert(builtin_udp_port_ok(k, 65535));
	}
	/* privileged ports: refused by the amplifiers only */
	ck_assert(!builtin_udp_port_ok(BUILTIN_ECHO, 53));
	ck_assert(!builtin_udp_port_ok(BUILTIN_CHARGEN, 123));
	ck_assert(!builtin_udp_port_ok(BUILTIN_ECHO, 1023));
	ck_assert(builtin_udp_port_ok(BUILTIN_DAYTIME, 53));
	ck_assert(builtin_udp_port_ok(BUILTIN_TIME, 1023));
	ck_assert(builtin_udp_port_ok(BUILTIN_DISCARD, 8));
}
END_TEST

/* An IPv4 or IPv6 address (by its spelling) and port. */
static struct sockaddr_storage
sa(const char *a, unsigned port)
{
	struct sockaddr_storage ss;
	struct sockaddr_in *s4 = (struct sockaddr_in *)&ss;
	struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&ss;

	memset(&ss, 0, sizeof(ss));
	if (strchr(a, ':')) {
		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons(port);
		ck_assert_int_eq(inet_pton(AF_INET6, a, &s6->sin6_addr), 1);
	} else {
		s4->sin_family = AF_INET;
		s4->sin_port = htons(port);
		ck_assert_int_eq(inet_pton(AF_INET, a, &s4->sin_addr), 1);
	}
	return ss;
}

static struct builtin_rl rl;

START_TEST(test_rl_burst_then_refill)
{
	struct sockaddr_storage a = sa("192.0.2.1", 5000);
	int i;

	builtin_rl_init(&rl, 10, 5, 42);
	for (i = 0; i < 5; i++)
		ck_assert(builtin_rl_allow(&rl, (struct sockaddr *)&a, 1000));
	ck_assert(!builtin_rl_allow(&rl, (struct sockaddr *)&a, 1000));
	ck_assert(!builtin_rl_allow(&rl, (struct sockaddr *)&a, 1050));
	/* 10/s: one token back after 100 ms */
	ck_assert(builtin_rl_allow(&rl, (struct sockaddr *)&a, 1100));
	ck_assert(!builtin_rl_allow(&rl, (struct sockaddr *)&a, 1100));
	/* a long pause refills to the burst, not beyond */
	for (i = 0; i < 5; i++)
		ck_assert(builtin_rl_allow(&rl, (struct sockaddr *)&a, 100000));
	ck_assert(!builtin_rl_allow(&rl, (struct sockaddr *)&a, 100000));
}
END_TEST

START_TEST(test_rl_per_source)
{
	struct sockaddr_storage a = sa("192.0.2.1", 5000), b, a2 = sa("192.0.2.1", 6000);
	struct sockaddr_storage m = sa("::ffff:192.0.2.1", 7000);
	char addr[32];
	int i;

	builtin_rl_init(&rl, 1, 3, 7);
	/* find a source that does not share a's slot */
	for (i = 2; i < 250; i++) {
		snprintf(addr, sizeof(addr), "192.0.2.%d", i);
		b = sa(addr, 5000);
		if (builtin_rl_slot_of(&rl, (struct sockaddr *)&b) !=
		    builtin_rl_slot_of(&rl, (struct sockaddr *)&a))
			break;
	}
	for (i = 0; i < 3; i++)
		ck_assert(builtin_rl_allow(&rl, (struct sockaddr *)&a, 10));
	ck_assert(!builtin_rl_allow(&rl, (struct sockaddr *)&a, 10));
	/* the port does not make another source, nor does IPv4-mapped IPv6 */
	ck_assert(!builtin_rl_allow(&rl, (struct sockaddr *)&a2, 10));
	ck_assert(!builtin_rl_allow(&rl, (struct sockaddr *)&m, 10));
	ck_assert(builtin_rl_allow(&rl, (struct sockaddr *)&b, 10));
}
END_TEST

START_TEST(test_rl_flood_cannot_reset)
{
	struct sockaddr_storage victim = sa("198.51.100.7", 5000), other;
	char addr[32];
	int i;

	builtin_rl_init(&rl, 1, 2, 99);
	ck_assert(builtin_rl_allow(&rl, (struct sockaddr *)&victim, 10));
	ck_assert(builtin_rl_allow(&rl, (struct sockaddr *)&victim, 10));
	ck_assert(!builtin_rl_allow(&rl, (struct sockaddr *)&victim, 10));
	/* requests from thousands of other sources in the same instant */
	for (i = 0; i < 4096; i++) {
		snprintf(addr, sizeof(addr), "10.%d.%d.1", i / 256, i % 256);
		other = sa(addr, 1);
		builtin_rl_allow(&rl, (struct sockaddr *)&other, 10);
	}
	ck_assert(!builtin_rl_allow(&rl, (struct sockaddr *)&victim, 10));
}
END_TEST

START_TEST(test_rl_v6_spread)
{
	struct sockaddr_storage s;
	char addr[64];
	size_t used = 0, i;
	static unsigned char hit[BUILTIN_RL_SLOTS];

	builtin_rl_init(&rl, 1, 1, 12345);
	memset(hit, 0, sizeof(hit));
	/* sources differing only in the low bits spread over the table */
	for (i = 0; i < 512; i++) {
		snprintf(addr, sizeof(addr), "2001:db8::%zx", i);
		s = sa(addr, 1);
		size_t slot = builtin_rl_slot_of(&rl, (struct sockaddr *)&s);

		ck_assert_uint_lt(slot, BUILTIN_RL_SLOTS);
		if (!hit[slot]++)
			used++;
	}
	ck_assert_uint_gt(used, 300);
}
END_TEST

static enum tcpmux_parse
feed_str(struct tcpmux_req *r, const char *s, size_t *used)
{
	return builtin_tcpmux_feed(r, s, strlen(s), used);
}

START_TEST(test_tcpmux_line)
{
	struct tcpmux_req r;
	size_t used;

	builtin_tcpmux_init(&r);
	ck_assert_int_eq(feed_str(&r, "my-service\r\n", &used), TCPMUX_LINE);
	ck_assert_str_eq(r.line, "my-service");
	ck_assert_uint_eq(used, 12);

	/* bare LF; bytes after the line end are not used */
	builtin_tcpmux_init(&r);
	ck_assert_int_eq(feed_str(&r, "HELP\nhello handler", &used), TCPMUX_LINE);
	ck_assert_str_eq(r.line, "HELP");
	ck_assert_uint_eq(used, 5);
	ck_assert(builtin_tcpmux_is_help(r.line));
	ck_assert(!builtin_tcpmux_is_help("helpme"));
}
END_TEST

START_TEST(test_tcpmux_split)
{
	struct tcpmux_req r;
	size_t used;

	builtin_tcpmux_init(&r);
	ck_assert_int_eq(feed_str(&r, "ec", &used), TCPMUX_MORE);
	ck_assert_uint_eq(used, 2);
	ck_assert_int_eq(feed_str(&r, "ho\r", &used), TCPMUX_MORE);
	ck_assert_int_eq(feed_str(&r, "\nrest", &used), TCPMUX_LINE);
	ck_assert_uint_eq(used, 1);
	ck_assert_str_eq(r.line, "echo");
}
END_TEST

START_TEST(test_tcpmux_bound)
{
	struct tcpmux_req r;
	char big[300];
	size_t used;

	/* 254 octets of name + CR LF = 256: accepted */
	memset(big, 'a', sizeof(big));
	memcpy(big + 254, "\r\n", 2);
	builtin_tcpmux_init(&r);
	ck_assert_int_eq(builtin_tcpmux_feed(&r, big, 256, &used), TCPMUX_LINE);
	ck_assert_uint_eq(strlen(r.line), 254);

	/* 255 + CR LF = 257: refused */
	memset(big, 'a', sizeof(big));
	memcpy(big + 255, "\r\n", 2);
	builtin_tcpmux_init(&r);
	ck_assert_int_eq(builtin_tcpmux_feed(&r, big, 257, &used), TCPMUX_TOO_LONG);

	/* 256 octets without a line end, fed in pieces: refused at once */
	memset(big, 'b', sizeof(big));
	builtin_tcpmux_init(&r);
	ck_assert_int_eq(builtin_tcpmux_feed(&r, big, 200, &used), TCPMUX_MORE);
	ck_assert_int_eq(builtin_tcpmux_feed(&r, big, 56, &used), TCPMUX_TOO_LONG);
	ck_assert_int_eq(builtin_tcpmux_feed(&r, big, 1, &used), TCPMUX_TOO_LONG);
	ck_assert_uint_eq(used, 0);
}
END_TEST

START_TEST(test_tcpmux_bad)
{
	struct tcpmux_req r;
	size_t used;

	builtin_tcpmux_init(&r);
	ck_assert_int_eq(feed_str(&r, "\r\n", &used), TCPMUX_BAD);
	builtin_tcpmux_init(&r);
	ck_assert_int_eq(feed_str(&r, "\n", &used), TCPMUX_BAD);
	builtin_tcpmux_init(&r);
	ck_assert_int_eq(feed_str(&r, "ec\tho\r\n", &used), TCPMUX_BAD);
	builtin_tcpmux_init(&r);
	ck_assert_int_eq(feed_str(&r, "ec\rho\r\n", &used), TCPMUX_BAD);
	builtin_tcpmux_init(&r);
	ck_assert_int_eq(builtin_tcpmux_feed(&r, "ec\0ho\r\n", 7, &used), TCPMUX_BAD);
	builtin_tcpmux_init(&r);
	ck_assert_int_eq(feed_str(&r, "echo\x7f\r\n", &used), TCPMUX_BAD);
	builtin_tcpmux_init(&r);
	ck_assert_int_eq(feed_str(&r, "echo\r\r\n", &used), TCPMUX_BAD);
}
END_TEST

static Suite *
builtin_suite(void)
{
	Suite *s = suite_create("builtin");
	TCase *tc = tcase_create("proto");

	tcase_add_test(tc, test_kind_names);
	tcase_add_test(tc, test_chargen_first_lines);
	tcase_add_test(tc, test_chargen_rotation);
	tcase_add_test(tc, test_daytime_format);
	tcase_add_test(tc, test_daytime_small_buffer);
	tcase_add_test(tc, test_time_value);
	tcase_add_test(tc, test_udp_port_policy);
	tcase_add_test(tc, test_rl_burst_then_refill);
	tcase_add_test(tc, test_rl_per_source);
	tcase_add_test(tc, test_rl_flood_cannot_reset);
	tcase_add_test(tc, test_rl_v6_spread);
	tcase_add_test(tc, test_tcpmux_line);
	tcase_add_test(tc, test_tcpmux_split);
	tcase_add_test(tc, test_tcpmux_bound);
	tcase_add_test(tc, test_tcpmux_bad);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return check_run(builtin_suite());
}
