/* Unit tests for the arena module (sbin/arena.c). */
#include "autoconf.h"

#include <check.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config/arena.h"
#include "check_run.h"

START_TEST(test_alloc_aligned_and_distinct)
{
	struct arena a;
	char *prev = NULL;

	arena_init(&a);
	for (size_t i = 1; i < 5000; i += 7) {
		char *p = arena_alloc(&a, i);

		ck_assert_ptr_nonnull(p);
		ck_assert_uint_eq((uintptr_t)p % _Alignof(max_align_t), 0);
		memset(p, 0xa5, i);	/* ASan: every byte handed out is ours */
		ck_assert_ptr_ne(p, prev);
		prev = p;
	}
	arena_free(&a);
	ck_assert_ptr_null(a.head);
	arena_free(&a);		/* twice is harmless */
}
END_TEST

START_TEST(test_large_alloc_keeps_chunk)
{
	struct arena a;

	arena_init(&a);
	char *small = arena_alloc(&a, 16);
	char *big = arena_alloc(&a, 1 << 20);
	char *copy = arena_strdup(&a, "portier");

	ck_assert_ptr_nonnull(small);
	ck_assert_ptr_nonnull(big);
	memset(big, 0, 1 << 20);
	ck_assert_str_eq(copy, "portier");
	ck_assert_ptr_ne(copy, small);
	arena_free(&a);
}
END_TEST

static char *
temp_file(const char *text, size_t len)
{
	const char *base = getenv("TMPDIR");
	char *p;
	int fd;

	if (asprintf(&p, "%s/portier-check-arena-XXXXXX", base && *base ? base : "/tmp") < 0)
		ck_abort_msg("asprintf");
	fd = mkstemp(p);
	ck_assert_msg(fd >= 0, "mkstemp: %s", strerror(errno));
	ck_assert_int_eq(write(fd, text, len), (ssize_t)len);
	ck_assert_int_eq(close(fd), 0);
	return p;
}

START_TEST(test_read_file)
{
	static const char text[] = "one\ntwo\0three";
	char *path = temp_file(text, sizeof(text) - 1);
	struct arena a;
	struct diag d;
	size_t len = 0;

	arena_init(&a);
	diag_init(&d);
	char *buf = arena_read_file(&a, path, 1024, &len, &d);

	ck_assert_ptr_nonnull(buf);
	ck_assert_uint_eq(len, sizeof(text) - 1);
	ck_assert_mem_eq(buf, text, len);
	ck_assert_int_eq(buf[len], '\0');
	ck_assert_uint_eq(d.count, 0);

	/* A buffer and allocations after it do not overlap. */
	char *after = arena_strdup(&a, "x");

	ck_assert(after < buf || after >= buf + len + 1);
	ck_assert_mem_eq(buf, text, len);

	/* Too large for the caller's limit. */
	ck_assert_ptr_null(arena_read_file(&a, path, 4, &len, &d));
	ck_assert_uint_eq(d.errors, 1);
	ck_assert_str_eq(d.items[0].text + strlen(path), ": cannot read: file too large");
	unlink(path);
	free(path);
	arena_free(&a);
	diag_free(&d);
}
END_TEST

START_TEST(test_read_empty_and_pipe)
{
	char *path = temp_file("", 0);
	struct arena a;
	struct diag d;
	size_t len = 99;
	int fds[2];
	char fdpath[64];
	char *buf;

	arena_init(&a);
	diag_init(&d);
	buf = arena_read_file(&a, path, 1024, &len, &d);
	ck_assert_ptr_nonnull(buf);
	ck_assert_uint_eq(len, 0);
	ck_assert_str_eq(buf, "");

	/* No size to trust: the buffer grows while reading. */
	ck_assert_int_eq(pipe(fds), 0);
	for (int i = 0; i < 2000; i++)
		ck_assert_int_eq(write(fds[1], "0123456789abcdef", 16), 16);
	ck_assert_int_eq(close(fds[1]), 0);
	snprintf(fdpath, sizeof(fdpath), "/proc/self/fd/%d", fds[0]);
	buf = arena_read_file(&a, fdpath, 1 << 20, &len, &d);
	ck_assert_ptr_nonnull(buf);
	ck_assert_uint_eq(len, 32000);
	ck_assert_mem_eq(buf + 31984, "0123456789abcdef", 16);
	ck_assert_uint_eq(d.count, 0);
	close(fds[0]);
	unlink(path);
	free(path);
	arena_free(&a);
	diag_free(&d);
}
END_TEST

START_TEST(test_read_errors)
{
	struct arena a;
	struct diag d;
	size_t len;

	arena_init(&a);
	diag_init(&d);
	ck_assert_ptr_null(arena_read_file(&a, "/nonexistent/portier", 1024, &len, &d));
	ck_assert_ptr_null(arena_read_file(&a, "/", 1024, &len, &d));
	ck_assert_uint_eq(d.errors, 2);
	ck_assert_str_eq(d.items[0].text, "/nonexistent/portier: cannot open: No such file or directory");
	ck_assert_str_eq(d.items[1].text, "/: is a directory, not a file");
	arena_free(&a);
	diag_free(&d);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("arena");
	TCase *tc = tcase_create("arena");

	tcase_add_test(tc, test_alloc_aligned_and_distinct);
	tcase_add_test(tc, test_large_alloc_keeps_chunk);
	tcase_add_test(tc, test_read_file);
	tcase_add_test(tc, test_read_empty_and_pipe);
	tcase_add_test(tc, test_read_errors);
	suite_add_tcase(s, tc);
	return check_run(s);
}
