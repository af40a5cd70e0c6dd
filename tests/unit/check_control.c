/* SPDX-License-Identifier: ISC */
/* Unit tests for the control socket's request lines and durations
 * (sbin/control_proto.c). */
#include "autoconf.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "base/base.h"
#include "check_run.h"

static int
parse(const char *line, struct control_request *rq, const char **err)
{
	return control_parse(line, strlen(line), rq, err);
}

START_TEST(test_parse_commands)
{
	struct control_request rq;
	const char *err;

	ck_assert_int_eq(parse("status\n", &rq, &err), 0);
	ck_assert_int_eq(rq.cmd, CONTROL_STATUS);
	ck_assert_int_eq(parse("reload\r\n", &rq, &err), 0);
	ck_assert_int_eq(rq.cmd, CONTROL_RELOAD);
	ck_assert_int_eq(parse("enable echo/udp", &rq, &err), 0);
	ck_assert_int_eq(rq.cmd, CONTROL_ENABLE);
	ck_assert_str_eq(rq.id, "echo/udp");
	ck_assert_int_eq(parse("disable  telnet \n", &rq, &err), 0);
	ck_assert_int_eq(rq.cmd, CONTROL_DISABLE);
	ck_assert_str_eq(rq.id, "telnet");
	ck_assert_int_eq(parse("open ftp 7200\n", &rq, &err), 0);
	ck_assert_int_eq(rq.cmd, CONTROL_OPEN);
	ck_assert_str_eq(rq.id, "ftp");
	ck_assert_uint_eq(rq.seconds, 7200);
	ck_assert_int_eq(parse("close ftp\n", &rq, &err), 0);
	ck_assert_int_eq(rq.cmd, CONTROL_CLOSE);
}
END_TEST

START_TEST(test_parse_rejects)
{
	static const char *bad[] = {
		"", "\n", "stat\n", "STATUS\n", "status now\n", "enable\n", "enable a b\n",
		"open ftp\n", "open ftp 0\n", "open ftp -1\n", "open ftp 2h\n", "open ftp 1x\n",
		"open ftp 99999999999999999999999\n", "open ftp 31622401\n", "close\n",
		"enable a\tb\n", "enable \x7f\n", "status\x01\n",
	};
	struct control_request rq;
	const char *err;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		err = NULL;
		if (parse(bad[i], &rq, &err) == 0)
			ck_abort_msg("accepted: '%s'", bad[i]);
		ck_assert_ptr_nonnull(err);
	}
}
END_TEST

START_TEST(test_parse_id_length)
{
	char line[CONTROL_ID_MAX + 16];
	struct control_request rq;
	const char *err;

	strcpy(line, "enable ");
	memset(line + 7, 'a', CONTROL_ID_MAX);
	line[7 + CONTROL_ID_MAX] = '\0';
	ck_assert_int_eq(parse(line, &rq, &err), 0);
	ck_assert_uint_eq(strlen(rq.id), CONTROL_ID_MAX);
	strcat(line, "a");
	ck_assert_int_eq(parse(line, &rq, &err), -1);
}
END_TEST

START_TEST(test_duration_ok)
{
	static const struct { const char *s; unsigned long v; } ok[] = {
		{ "30s", 30 }, { "15m", 900 }, { "2h", 7200 }, { "3d", 259200 },
		{ "1h30m", 5400 }, { "1d2h3m4s", 93784 }, { "90s", 90 }, { "0h5m", 300 },
		{ "366d", 366UL * 86400 },
	};
	const char *err;

	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		unsigned long v = 0;

		if (control_duration(ok[i].s, &v, &err) < 0)
			ck_abort_msg("refused '%s': %s", ok[i].s, err);
		ck_assert_uint_eq(v, ok[i].v);
	}
}
END_TEST

START_TEST(test_duration_rejects)
{
	static const char *bad[] = {
		"", "0s", "0h0m", "30", "s", "h1", "1x", "1h1h", "1m1h", "2 h", "-1h", "1.5h",
		"367d", "366d1s", "99999999999999999999s", "18446744073709551617s", "1h30",
	};
	unsigned long v;
	const char *err;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		err = NULL;
		if (control_duration(bad[i], &v, &err) == 0)
			ck_abort_msg("accepted '%s' as %lu s", bad[i], v);
		ck_assert_ptr_nonnull(err);
	}
}
END_TEST

START_TEST(test_format_round_trip)
{
	struct control_request rq = { .cmd = CONTROL_OPEN, .seconds = 42 }, back;
	char line[CONTROL_LINE_MAX];
	const char *err;
	int n;

	strcpy(rq.id, "smtp/tcp");
	n = control_format(&rq, line, sizeof(line));
	ck_assert_str_eq(line, "open smtp/tcp 42\n");
	ck_assert_int_eq(control_parse(line, (size_t)n, &back, &err), 0);
	ck_assert_int_eq(back.cmd, CONTROL_OPEN);
	ck_assert_str_eq(back.id, "smtp/tcp");
	ck_assert_uint_eq(back.seconds, 42);
	rq.cmd = CONTROL_STATUS;
	control_format(&rq, line, sizeof(line));
	ck_assert_str_eq(line, "status\n");
}
END_TEST

static Suite *
control_suite(void)
{
	Suite *s = suite_create("control");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_parse_commands);
	tcase_add_test(tc, test_parse_rejects);
	tcase_add_test(tc, test_parse_id_length);
	tcase_add_test(tc, test_duration_ok);
	tcase_add_test(tc, test_duration_rejects);
	tcase_add_test(tc, test_format_round_trip);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return check_run(control_suite());
}
