/* SPDX-License-Identifier: ISC */
/* Unit tests for tcpmux's name index: case-insensitive look-up, non-tcpmux
 * services left out, disabled ones indexed but not served, and one name
 * shared by a disabled and a served service. */
#include "autoconf.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "config/config.h"
#include "builtin/builtin.h"
#include "check_run.h"

static struct service svcs[7];
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

/* The daemon's question, played by the file's disable here. */
static bool
serving(const struct service *svc, void *arg)
{
	return !svc->disabled;
}

static const struct tcpmux_ops ops = { .serving = serving };

static const struct service *
lookup(const char *name)
{
	return tcpmux_lookup(name, &ops, NULL);
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
	ck_assert_ptr_eq(lookup("hello"), &svcs[1]);
	ck_assert_ptr_eq(lookup("HELLO"), &svcs[1]);
	ck_assert_ptr_eq(lookup("hElLo"), &svcs[1]);
	ck_assert_ptr_eq(lookup("ZETA"), &svcs[2]);
	ck_assert_ptr_eq(lookup("alpha"), &svcs[5]);
}
END_TEST

START_TEST(test_lookup_excluded)
{
	ck_assert_ptr_null(lookup("off"));	/* disabled */
	ck_assert_ptr_null(lookup("plain"));	/* tcpmux = no */
	ck_assert_ptr_null(lookup("tcpmux"));
	ck_assert_ptr_null(lookup("hell"));
	ck_assert_ptr_null(lookup("helloo"));
	ck_assert_ptr_null(lookup(""));
	/* Alpha, Hello, off, zeta: off may be enabled at run time */
	ck_assert_uint_eq(tcpmux_count(), 4);
}
END_TEST

START_TEST(test_reindex)
{
	svcs[2].disabled = true;
	ck_assert_int_eq(tcpmux_index(svcs, nsvcs), 0);
	ck_assert_ptr_null(lookup("zeta"));
	ck_assert_ptr_eq(lookup("hello"), &svcs[1]);
	ck_assert_uint_eq(tcpmux_count(), 4);
	ck_assert_int_eq(tcpmux_index(svcs, 0), 0);
	ck_assert_ptr_null(lookup("hello"));
	ck_assert_uint_eq(tcpmux_count(), 0);
}
END_TEST

/* A disabled service may carry a served one's name: the served one answers,
 * on either side of it in the index. */
START_TEST(test_shared_name)
{
	add(6, "hello-old", "HELLO", true, true);
	ck_assert_int_eq(tcpmux_index(svcs, 7), 0);
	ck_assert_ptr_eq(lookup("hello"), &svcs[1]);
	svcs[1].disabled = true;
	svcs[6].disabled = false;
	ck_assert_ptr_eq(lookup("Hello"), &svcs[6]);
	svcs[6].disabled = true;
	ck_assert_ptr_null(lookup("hello"));
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
	tcase_add_test(tc, test_shared_name);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return check_run(tcpmux_suite());
}
