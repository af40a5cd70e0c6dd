/* Unit tests for the pure part of spawning (sbin/spawn_plan.c). */
#include "autoconf.h"

#include <check.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "spawn/spawn_plan.h"
#include "check_run.h"

START_TEST(test_same_groups)
{
	gid_t a[] = { 65534, 4, 27 }, b[] = { 27, 65534, 4, 4 }, c[] = { 65534, 4 };
	gid_t d[] = { 65534, 4, 28 };

	ck_assert(spawn_plan_same_groups(a, 3, b, 4));
	ck_assert(spawn_plan_same_groups(b, 4, a, 3));
	ck_assert(!spawn_plan_same_groups(a, 3, c, 2));	/* one missing */
	ck_assert(!spawn_plan_same_groups(c, 2, a, 3));	/* one more */
	ck_assert(!spawn_plan_same_groups(a, 3, d, 3));	/* one other */
	ck_assert(spawn_plan_same_groups(NULL, 0, NULL, 0));
	ck_assert(!spawn_plan_same_groups(NULL, 0, c, 2));
	ck_assert(!spawn_plan_same_groups(c, 2, NULL, 0));
}
END_TEST

START_TEST(test_same_id)
{
	unsigned int root[3] = { 0, 0, 0 }, mixed[3] = { 0, 65534, 0 };

	ck_assert(spawn_plan_same_id(0, root));
	ck_assert(!spawn_plan_same_id(65534, root));
	/* any of the three differing means the call would change something */
	ck_assert(!spawn_plan_same_id(0, mixed));
	ck_assert(!spawn_plan_same_id(65534, mixed));
}
END_TEST

START_TEST(test_same_rlimit)
{
	struct rlimit eq = { 100, 100 }, soft = { 100, 200 }, inf = { RLIM_INFINITY, RLIM_INFINITY };

	ck_assert(spawn_plan_same_rlimit(&eq, 100));
	ck_assert(!spawn_plan_same_rlimit(&eq, 99));
	ck_assert(!spawn_plan_same_rlimit(&soft, 100));	/* the hard limit would drop */
	ck_assert(!spawn_plan_same_rlimit(&soft, 200));	/* the soft limit would rise */
	ck_assert(spawn_plan_same_rlimit(&inf, RLIM_INFINITY));
}
END_TEST

START_TEST(test_put)
{
	char buf[64];
	char small[8];

	ck_assert_uint_eq(spawn_plan_put(buf, sizeof(buf), "REMOTE_ADDR=", "127.0.0.1"), 21);
	ck_assert_str_eq(buf, "REMOTE_ADDR=127.0.0.1");
	ck_assert_uint_eq(spawn_plan_put(buf, sizeof(buf), "X=", ""), 2);
	ck_assert_str_eq(buf, "X=");
	/* cut to fit, always terminated */
	ck_assert_uint_eq(spawn_plan_put(small, sizeof(small), "ABCD=", "1234"), 7);
	ck_assert_str_eq(small, "ABCD=12");
	ck_assert_uint_eq(spawn_plan_put(small, sizeof(small), "ABCDEFGHIJ=", "1"), 7);
	ck_assert_str_eq(small, "ABCDEFG");
	small[0] = 'z';
	ck_assert_uint_eq(spawn_plan_put(small, 0, "A=", "b"), 0);
	ck_assert_int_eq(small[0], 'z');	/* nothing written */
}
END_TEST

START_TEST(test_put_uint)
{
	char buf[64], exp[64];
	unsigned long v[] = { 0, 7, 10, 65535, 4294967295UL, ULONG_MAX };

	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		snprintf(exp, sizeof(exp), "PORT=%lu", v[i]);
		ck_assert_uint_eq(spawn_plan_put_uint(buf, sizeof(buf), "PORT=", v[i]), strlen(exp));
		ck_assert_str_eq(buf, exp);
	}
	ck_assert_uint_eq(spawn_plan_put_uint(buf, 6, "PORT=", 80), 5);
	ck_assert_str_eq(buf, "PORT=");
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("spawn_plan");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_same_groups);
	tcase_add_test(tc, test_same_id);
	tcase_add_test(tc, test_same_rlimit);
	tcase_add_test(tc, test_put);
	tcase_add_test(tc, test_put_uint);
	suite_add_tcase(s, tc);
	return check_run(s);
}
