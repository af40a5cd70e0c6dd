/* Unit tests for the child table (sbin/children.c). */
#include "autoconf.h"

#include <check.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "children.h"

#define N 1000

START_TEST(test_add_find_remove)
{
	struct child *c[N];

	for (int i = 0; i < N; i++) {
		c[i] = children_add(100000 + i * 7);
		ck_assert_ptr_nonnull(c[i]);
		ck_assert_int_eq(c[i]->pid, 100000 + i * 7);
	}
	ck_assert_uint_eq(children_count(), N);
	for (int i = 0; i < N; i++)
		ck_assert_ptr_eq(children_find(100000 + i * 7), c[i]);
	ck_assert_ptr_null(children_find(99999));
	for (int i = 1; i < N; i += 2)
		children_remove(c[i]);
	ck_assert_uint_eq(children_count(), N / 2);
	for (int i = 0; i < N; i++) {
		if (i % 2)
			ck_assert_ptr_null(children_find(100000 + i * 7));
		else
			ck_assert_ptr_eq(children_find(100000 + i * 7), c[i]);
	}
	/* a freed record is reused, zeroed */
	struct child *again = children_add(42);

	ck_assert_ptr_nonnull(again);
	ck_assert_ptr_null(again->rt);
	ck_assert_int_eq(again->port, 0);
	ck_assert_ptr_eq(children_find(42), again);
	children_free_all();
	ck_assert_uint_eq(children_count(), 0);
	ck_assert_ptr_null(children_find(42));
}
END_TEST

static int reaped, wrong_status;

static void
on_exit_status(struct child *c, int status)
{
	reaped++;
	if (!WIFEXITED(status) || WEXITSTATUS(status) != c->port)
		wrong_status++;
}

START_TEST(test_reap_all)
{
	/* five children exit with 1..5; the record's port holds what we expect */
	for (int i = 1; i <= 5; i++) {
		pid_t pid = fork();

		ck_assert_int_ge(pid, 0);
		if (pid == 0)
			_exit(i);
		children_add(pid)->port = i;
	}
	for (int tries = 0; reaped < 5 && tries < 500; tries++) {
		children_reap(on_exit_status);
		if (reaped < 5)
			usleep(10000);
	}
	ck_assert_int_eq(reaped, 5);
	ck_assert_int_eq(wrong_status, 0);
	ck_assert_uint_eq(children_count(), 0);
	ck_assert_int_eq(waitpid(-1, NULL, WNOHANG), -1);	/* ECHILD: no zombie */
	children_free_all();
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("children");
	TCase *tc = tcase_create("core");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, test_add_find_remove);
	tcase_add_test(tc, test_reap_all);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
