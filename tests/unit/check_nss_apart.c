/* Unit tests for nss_apart (sbin/nss_apart.c): a look-up in a child process. */
#include "autoconf.h"

#include <check.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check_run.h"
#include "config/nss_apart.h"

struct answer {
	pid_t pid;		/* who ran the look-up */
	char text[4000];	/* bigger than one write to a pipe can be atomic */
};

static void
fill(const void *arg, void *out)
{
	struct answer *a = out;

	a->pid = getpid();
	memset(a->text, 'x', sizeof(a->text));
	strcpy(a->text, arg);
}

static void
die(const void *arg, void *out)
{
	(void)arg;
	(void)out;
	_exit(3);
}

static void
crash(const void *arg, void *out)
{
	(void)arg;
	(void)out;
	signal(SIGABRT, SIG_DFL);
	raise(SIGABRT);
}

START_TEST(test_answer_comes_back_from_another_process)
{
	struct answer *a = calloc(1, sizeof(*a));

	ck_assert_ptr_nonnull(a);
	ck_assert_int_eq(nss_apart(fill, "nobody", a, sizeof(*a)), 0);
	ck_assert_str_eq(a->text, "nobody");
	ck_assert_int_eq(a->text[sizeof(a->text) - 1], 'x');
	ck_assert_int_ne(a->pid, 0);
	ck_assert_int_ne(a->pid, getpid());
	free(a);
}
END_TEST

START_TEST(test_child_that_exits_early_fails)
{
	struct answer a;

	ck_assert_int_eq(nss_apart(die, NULL, &a, sizeof(a)), -1);
}
END_TEST

START_TEST(test_child_that_crashes_fails)
{
	struct answer a;

	ck_assert_int_eq(nss_apart(crash, NULL, &a, sizeof(a)), -1);
}
END_TEST

START_TEST(test_no_descriptor_left_behind)
{
	struct answer a;
	int before = dup(0), after;

	close(before);
	for (int i = 0; i < 20; i++)
		ck_assert_int_eq(nss_apart(fill, "x", &a, sizeof(a)), 0);
	after = dup(0);
	close(after);
	ck_assert_int_eq(after, before);
}
END_TEST

static Suite *
nss_apart_suite(void)
{
	Suite *s = suite_create("nss_apart");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_answer_comes_back_from_another_process);
	tcase_add_test(tc, test_child_that_exits_early_fails);
	tcase_add_test(tc, test_child_that_crashes_fails);
	tcase_add_test(tc, test_no_descriptor_left_behind);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return check_run(nss_apart_suite());
}
