/* SPDX-License-Identifier: ISC */
/* Unit tests for the child table (sbin/children.c). */
#include "autoconf.h"

#include <check.h>
#include <stdbool.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "spawn/spawn.h"
#include "base/base.h"
#include "check_run.h"

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

/* Children that exit with their index once the pipe is closed. */
static void
fork_waiting(int n, int pipe_rd, int pipe_wr)
{
	for (int i = 1; i <= n; i++) {
		pid_t pid = fork();
		char b;

		ck_assert_int_ge(pid, 0);
		if (pid == 0) {
			close(pipe_wr);
			while (read(pipe_rd, &b, 1) > 0)
				;
			_exit(i);
		}
		children_add(pid)->port = i;
	}
}

static int nwatched;

static void
count_watched(struct child *c, void *arg)
{
	(void)arg;
	nwatched += c->exit_w.fd >= 0;
}

struct pid_list {
	pid_t v[70];
	int n;
};

static void
note_pid(struct child *c, void *arg)
{
	struct pid_list *l = arg;

	if (l->n < 70)
		l->v[l->n++] = c->pid;
}

static void
stop_when_reaped(struct timer *t)
{
	static int ticks;

	if (reaped >= 70 || ++ticks > 500)
		loop_stop();
	else
		timer_arm(t, 10);
}

START_TEST(test_watch_many)
{
	struct timer t = { .fn = stop_when_reaped };
	int p[2];

	reaped = wrong_status = 0;
	ck_assert_int_eq(loop_init(), 0);
	ck_assert_int_eq(pipe(p), 0);
	/* a few children: a SIGCHLD scan is cheaper, no pidfd */
	fork_waiting(10, p[0], p[1]);
	ck_assert(!children_watching(on_exit_status));
	/* many: the next child gets a pidfd, and so do those running */
	fork_waiting(60, p[0], p[1]);
	ck_assert(children_watching(on_exit_status));
	children_foreach(count_watched, NULL);
	ck_assert_int_eq(nwatched, 70);
	close(p[0]);
	close(p[1]);
	/* every child watched: a SIGCHLD does not scan (a timer will) */
	usleep(100000);
	ck_assert_uint_eq(children_reap(on_exit_status), 0);
	ck_assert_uint_eq(children_count(), 70);
	timer_arm(&t, 10);
	ck_assert_int_eq(loop_run(), 0);
	ck_assert_int_eq(reaped, 70);
	ck_assert_int_eq(wrong_status, 0);
	ck_assert_uint_eq(children_count(), 0);
	ck_assert_int_eq(waitpid(-1, NULL, WNOHANG), -1);	/* ECHILD: no zombie */
	children_free_all();
	loop_exit();
}
END_TEST

/* True once pid has exited (a zombie, not collected). */
static bool
exited(pid_t pid)
{
	siginfo_t si = { 0 };

	return waitid(P_PID, (id_t)pid, &si, WEXITED | WNOHANG | WNOWAIT) == 0 && si.si_pid == pid;
}

START_TEST(test_watch_not_for_zombies)
{
	struct pid_list pids = { .n = 0 };
	int p[2];
	int n = 0;

	reaped = wrong_status = 0;
	ck_assert_int_eq(loop_init(), 0);
	ck_assert_int_eq(pipe(p), 0);
	fork_waiting(70, p[0], p[1]);
	children_foreach(note_pid, &pids);
	ck_assert_int_eq(pids.n, 70);
	close(p[0]);
	close(p[1]);
	for (int tries = 0; tries < 500; tries++) {
		for (n = 0; n < 70 && exited(pids.v[n]); n++)
			;
		if (n == 70)
			break;
		usleep(10000);
	}
	ck_assert_int_eq(n, 70);
	/* 70 in the table, all exited: collected, not watched */
	ck_assert(!children_watching(on_exit_status));
	ck_assert_int_eq(reaped, 70);
	ck_assert_int_eq(wrong_status, 0);
	ck_assert_uint_eq(children_count(), 0);
	nwatched = 0;
	children_foreach(count_watched, NULL);
	ck_assert_int_eq(nwatched, 0);
	ck_assert_int_eq(waitpid(-1, NULL, WNOHANG), -1);	/* ECHILD: no zombie */
	children_free_all();
	loop_exit();
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("children");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_add_find_remove);
	tcase_add_test(tc, test_reap_all);
	tcase_add_test(tc, test_watch_many);
	tcase_add_test(tc, test_watch_not_for_zombies);
	suite_add_tcase(s, tc);
	return check_run(s);
}
