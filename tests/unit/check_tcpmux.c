/* SPDX-License-Identifier: ISC */
/* Unit tests for tcpmux's name index: case-insensitive look-up, disabled and
 * non-tcpmux services left out. */
#include "autoconf.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "config/config.h"
#include "builtin/builtin.h"
#include "check_run.h"

static struct service svcs[6];
static size_t nsvcs;

static void
add(size_t i, const char *id, const char *name, bool mux, bool disabled)
{
	memset(&svcs[i], 0, sizeof(svcs[i]));
	svcs[i].id = (char *)id;
	svcs[i].name = (char *)name;
	svcs[i].file = (char *)"test.conf";
	svcs[i].line = (int)i + 1;
	svcs[i].tcpmux = mux;
	svcs[i].disabled = disabled;
}

static void
setup(void)
{
	add(0, "tcpmux", "tcpmux", false, false);
	add(1, "hello", "Hello", true, false);
	add(2, "later", "zeta", true, false);
	add(3, "off", "off", true, true);
	add(4, "plain", "plain", false, false);
	add(5, "again", "Alpha", true, false);
	nsvcs = 6;
	ck_assert_int_eq(tcpmux_index(svcs, nsvcs), 0);
}

static void
teardown(void)
{
	tcpmux_index_free();
}

START_TEST(test_lookup_case)
{
	ck_assert_ptr_eq(tcpmux_lookup("hello"), &svcs[1]);
	ck_assert_ptr_eq(tcpmux_lookup("HELLO"), &svcs[1]);
	ck_assert_ptr_eq(tcpmux_lookup("hElLo"), &svcs[1]);
	ck_assert_ptr_eq(tcpmux_lookup("ZETA"), &svcs[2]);
	ck_assert_ptr_eq(tcpmux_lookup("alpha"), &svcs[5]);
}
END_TEST

START_TEST(test_lookup_excluded)
{
	ck_assert_ptr_null(tcpmux_lookup("off"));	/* disabled */
	ck_assert_ptr_null(tcpmux_lookup("plain"));	/* tcpmux = no */
	ck_assert_ptr_null(tcpmux_lookup("tcpmux"));
	ck_assert_ptr_null(tcpmux_lookup("hell"));
	ck_assert_ptr_null(tcpmux_lookup("helloo"));
	ck_assert_ptr_null(tcpmux_lookup(""));
	/* Alpha, Hello, zeta */
	ck_assert_uint_eq(tcpmux_count(), 3);
}
END_TEST

START_TEST(test_reindex)
{
	svcs[2].disabled = true;
	ck_assert_int_eq(tcpmux_index(svcs, nsvcs), 0);
	ck_assert_ptr_null(tcpmux_lookup("zeta"));
	ck_assert_ptr_eq(tcpmux_lookup("hello"), &svcs[1]);
	ck_assert_uint_eq(tcpmux_count(), 2);
	ck_assert_int_eq(tcpmux_index(svcs, 0), 0);
	ck_assert_ptr_null(tcpmux_lookup("hello"));
	ck_assert_uint_eq(tcpmux_count(), 0);
}
END_TEST

static Suite *
tcpmux_suite(void)
{
	Suite *s = suite_create("tcpmux");
	TCase *tc = tcase_create("index");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_lookup_case);
	tcase_add_test(tc, test_lookup_excluded);
	tcase_add_test(tc, test_reindex);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return check_run(tcpmux_suite());
}
