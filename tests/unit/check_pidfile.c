/* SPDX-License-Identifier: ISC */
/* Unit tests for the pidfile module (sbin/daemon/pidfile.c, rundir.c). */
#include "autoconf.h"

#include <check.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "daemon/pidfile.h"
#include "check_run.h"

static char dir[256], path[300];

static void
setup(void)
{
	const char *base = getenv("TMPDIR");

	snprintf(dir, sizeof(dir), "%s/portier-check-pidfile-XXXXXX", base && *base ? base : "/tmp");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	/* a directory that does not exist yet: pidfile_write creates it */
	snprintf(path, sizeof(path), "%s/run/portier/test.pid", dir);
}

static void
teardown(void)
{
	char cmd[400];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	ck_assert_int_eq(system(cmd), 0);
}

static void
put(const char *text)
{
	char sub[300];
	FILE *fp;

	snprintf(sub, sizeof(sub), "%s/run", dir);
	mkdir(sub, 0755);
	snprintf(sub, sizeof(sub), "%s/run/portier", dir);
	mkdir(sub, 0755);
	fp = fopen(path, "w");

	ck_assert_ptr_nonnull(fp);
	fputs(text, fp);
	ck_assert_int_eq(fclose(fp), 0);
}

/* A pidfile naming pid, as portierd writes it. */
static void
put_pid(pid_t pid)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%d\n", (int)pid);
	put(buf);
}

static long
read_back(void)
{
	long v = -1;
	FILE *fp = fopen(path, "r");

	if (!fp)
		return -1;
	if (fscanf(fp, "%ld", &v) != 1)
		v = -2;
	fclose(fp);
	return v;
}

START_TEST(test_write_remove)
{
	char tmp[400];

	ck_assert_int_eq(pidfile_check(path), 0);	/* absent */
	ck_assert_int_eq(pidfile_write(path), 0);
	ck_assert_int_eq(read_back(), getpid());
	snprintf(tmp, sizeof(tmp), "%s.%d.tmp", path, (int)getpid());
	ck_assert_int_ne(access(tmp, F_OK), 0);		/* renamed, not left */
	ck_assert_int_eq(pidfile_check(path), 0);	/* our own pid is no obstacle */
	pidfile_remove(path);
	ck_assert_int_ne(access(path, F_OK), 0);
}
END_TEST

START_TEST(test_remove_only_ours)
{
	put("1\n");
	pidfile_remove(path);
	ck_assert_int_eq(read_back(), 1);
}
END_TEST

START_TEST(test_garbage_and_dead_are_stale)
{
	pid_t pid = fork();

	put("not a pid\n");
	ck_assert_int_eq(pidfile_check(path), 0);
	put("123abc\n");
	ck_assert_int_eq(pidfile_check(path), 0);
	ck_assert_int_ge(pid, 0);
	if (pid == 0)
		_exit(0);
	ck_assert_int_eq(waitpid(pid, NULL, 0), pid);
	put_pid(pid);
	ck_assert_int_eq(pidfile_check(path), 0);
}
END_TEST

START_TEST(test_live_same_program_refuses)
{
	/* a fork of this test has the same command name: a live "portierd" */
	pid_t pid = fork();

	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		pause();
		_exit(0);
	}
	put_pid(pid);
	ck_assert_int_eq(pidfile_check(path), pid);
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
}
END_TEST

START_TEST(test_live_other_program_is_stale)
{
	/* a recycled pid: alive, but another program */
	pid_t pid = fork();

	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		execl("/bin/sleep", "sleep", "10", (char *)NULL);
		_exit(127);
	}
	/* wait (bounded) until the exec has changed its name */
	for (int i = 0; i < 200; i++) {
		char p[64], comm[64] = "";
		FILE *fp;

		snprintf(p, sizeof(p), "/proc/%d/comm", (int)pid);
		fp = fopen(p, "r");
		if (fp) {
			if (!fgets(comm, sizeof(comm), fp))
				comm[0] = '\0';
			fclose(fp);
		}
		if (!strcmp(comm, "sleep\n"))
			break;
		usleep(10000);
	}
	put_pid(pid);
	ck_assert_int_eq(pidfile_check(path), 0);
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
}
END_TEST

/* A directory others may write: nothing is written (rundir.c). */
START_TEST(test_insecure_dir_refused)
{
	char sub[300], tmp[400];

	put("1\n");
	unlink(path);
	snprintf(sub, sizeof(sub), "%s/run/portier", dir);
	ck_assert_int_eq(chmod(sub, 0777), 0);
	ck_assert_int_eq(pidfile_prepare(path), -1);
	ck_assert_int_eq(pidfile_write(path), -1);
	ck_assert_int_ne(access(path, F_OK), 0);
	snprintf(tmp, sizeof(tmp), "%s.%d.tmp", path, (int)getpid());
	ck_assert_int_ne(access(tmp, F_OK), 0);
	ck_assert_int_eq(chmod(sub, 01777), 0);		/* sticky: still its holder */
	ck_assert_int_eq(pidfile_write(path), -1);
	ck_assert_int_eq(chmod(sub, 0755), 0);
	ck_assert_int_eq(pidfile_write(path), 0);
	ck_assert_int_eq(read_back(), getpid());
}
END_TEST

/* The pidfile's name is a link: refused, the target untouched; a
 * left-over temporary file (or one planted) is replaced, not written
 * through. */
START_TEST(test_links_not_followed)
{
	char target[300], tmp[400];

	put("1\n");
	unlink(path);
	snprintf(target, sizeof(target), "%s/target", dir);
	ck_assert_int_eq(symlink(target, path), 0);
	ck_assert_int_eq(pidfile_write(path), -1);
	ck_assert_int_ne(access(target, F_OK), 0);
	ck_assert_int_eq(pidfile_check(path), 0);	/* not read through it */
	ck_assert_int_eq(unlink(path), 0);
	snprintf(tmp, sizeof(tmp), "%s.%d.tmp", path, (int)getpid());
	ck_assert_int_eq(symlink(target, tmp), 0);
	ck_assert_int_eq(pidfile_write(path), 0);
	ck_assert_int_ne(access(target, F_OK), 0);
	ck_assert_int_eq(read_back(), getpid());
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("pidfile");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_write_remove);
	tcase_add_test(tc, test_remove_only_ours);
	tcase_add_test(tc, test_garbage_and_dead_are_stale);
	tcase_add_test(tc, test_live_same_program_refuses);
	tcase_add_test(tc, test_live_other_program_is_stale);
	tcase_add_test(tc, test_insecure_dir_refused);
	tcase_add_test(tc, test_links_not_followed);
	suite_add_tcase(s, tc);
	return check_run(s);
}
