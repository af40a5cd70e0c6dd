/* SPDX-License-Identifier: ISC */
/* Unit tests for sbin/config/config_inetd_wire.c, the answer of
 * `portierctl inetd-entries` to portierd: what the encoder writes, the
 * decoder gives back whole (chunks, lines, errors and warnings as their
 * texts); cut at every octet, an answer either ends on a record (fewer
 * records, no error) or is malformed (no chunk, one error); garbage
 * (unknown types, bad lines, empty records) is malformed too. Each buffer
 * is malloc'd at its exact size, so that a sanitizer build catches any read
 * past its end. */
#include "autoconf.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "config/config.h"
#include "check_run.h"

#define MALFORMED "inetd_conf: the converter's answer is malformed"

struct answer {
	struct config_chunk *c;
	size_t n;
	struct diag d;
	int rc;
};

static void
decode(const char *bytes, size_t len, struct answer *a)
{
	char *copy = malloc(len ? len : 1);

	ck_assert_ptr_nonnull(copy);
	memcpy(copy, bytes, len);
	diag_init(&a->d);
	a->rc = config_inetd_decode(copy, len, &a->c, &a->n, &a->d);
	free(copy);
}

static void
answer_free(struct answer *a)
{
	config_chunks_free(a->c, a->n);
	diag_free(&a->d);
}

/* bytes is malformed: no chunk, the one error. */
static void
assert_malformed(const char *bytes, size_t len)
{
	struct answer a;

	decode(bytes, len, &a);
	ck_assert_int_eq(a.rc, 0);
	ck_assert_uint_eq(a.n, 0);
	ck_assert_ptr_null(a.c);
	ck_assert_uint_eq(a.d.count, 1);
	ck_assert_uint_eq(a.d.errors, 1);
	ck_assert_str_eq(a.d.items[0].text, MALFORMED);
	answer_free(&a);
}

/* Two chunks, an error and a warning, as the converter gives them. */
static char *
sample(size_t *len)
{
	struct config_chunk c[] = {
		{ (char *)"service inetd-echo {\n\tport = 7\n}\n", 3 },
		{ (char *)"service inetd-x {\n}\n", 2147483647 },
	};
	struct diag d;
	char *buf;

	diag_init(&d);
	diag_add(&d, DIAG_ERROR, "/etc/inetd.conf", 9, "syntax error");
	diag_add(&d, DIAG_WARNING, "/etc/inetd.conf", 4, "left out");
	buf = config_inetd_encode(c, 2, &d, len);
	diag_free(&d);
	ck_assert_ptr_nonnull(buf);
	return buf;
}

START_TEST(test_roundtrip)
{
	size_t len;
	char *buf = sample(&len);
	struct answer a;

	decode(buf, len, &a);
	ck_assert_int_eq(a.rc, 0);
	ck_assert_uint_eq(a.n, 2);
	ck_assert_int_eq(a.c[0].line, 3);
	ck_assert_str_eq(a.c[0].text, "service inetd-echo {\n\tport = 7\n}\n");
	ck_assert_int_eq(a.c[1].line, 2147483647);
	ck_assert_str_eq(a.c[1].text, "service inetd-x {\n}\n");
	ck_assert_uint_eq(a.d.count, 2);
	ck_assert_uint_eq(a.d.errors, 1);
	ck_assert_int_eq(a.d.items[0].level, DIAG_ERROR);
	ck_assert_str_eq(a.d.items[0].text, "/etc/inetd.conf:9: syntax error");
	ck_assert_int_eq(a.d.items[1].level, DIAG_WARNING);
	ck_assert_str_eq(a.d.items[1].text, "/etc/inetd.conf:4: warning: left out");
	answer_free(&a);
	free(buf);
}
END_TEST

START_TEST(test_empty)
{
	struct config_chunk *c = NULL;
	struct answer a;
	struct diag d;
	size_t len = 99;
	char *buf;

	diag_init(&d);
	buf = config_inetd_encode(c, 0, &d, &len);
	ck_assert_ptr_nonnull(buf);
	ck_assert_uint_eq(len, 0);
	free(buf);
	decode("", 0, &a);
	ck_assert_int_eq(a.rc, 0);
	ck_assert_uint_eq(a.n, 0);
	ck_assert_uint_eq(a.d.count, 0);
	answer_free(&a);
}
END_TEST

/* Cut after a record's NUL (or before any): the records before it;
 * anywhere else: malformed. */
START_TEST(test_truncated)
{
	size_t len, records = 0;
	char *buf = sample(&len);

	for (size_t cut = 0; cut < len; cut++) {
		struct answer a;

		if (!cut || buf[cut - 1] == '\0') {
			records += cut > 0;
			decode(buf, cut, &a);
			ck_assert_int_eq(a.rc, 0);
			ck_assert_uint_eq(a.n + a.d.count, records);
			answer_free(&a);
		} else {
			assert_malformed(buf, cut);
		}
	}
	ck_assert_uint_eq(records, 3);
	free(buf);
}
END_TEST

START_TEST(test_garbage)
{
	static const struct { const char *bytes; size_t len; } bad[] = {
		{ "X12 text", 9 },		/* unknown type */
		{ "c12 text", 9 },
		{ "", 1 },			/* an empty record */
		{ "C0 text", 8 },		/* line 0 */
		{ "C012 text", 10 },		/* a leading zero */
		{ "C2147483648 text", 17 },	/* over INT_MAX */
		{ "C99999999999 text", 18 },
		{ "C12text", 8 },		/* no space */
		{ "C 12 text", 10 },
		{ "C-1 text", 9 },
		{ "C", 2 },
		{ "Eok\0Wok\0\0", 9 },		/* good records, then an empty one */
		{ "Eok\0Q", 6 },
		{ "C1 a\0C", 7 },
	};

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_malformed(bad[i].bytes, bad[i].len);
}
END_TEST

/* An error's text is kept as it is; a record with nothing after the type
 * is an empty text, not a malformed answer. */
START_TEST(test_texts)
{
	struct answer a;

	decode("E\0Wwarning: x\0C1 \0", 18, &a);
	ck_assert_int_eq(a.rc, 0);
	ck_assert_uint_eq(a.n, 1);
	ck_assert_str_eq(a.c[0].text, "");
	ck_assert_uint_eq(a.d.count, 2);
	ck_assert_str_eq(a.d.items[0].text, "");
	ck_assert_str_eq(a.d.items[1].text, "warning: x");
	ck_assert_uint_eq(a.d.errors, 1);
	answer_free(&a);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("config_inetd_wire");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_roundtrip);
	tcase_add_test(tc, test_empty);
	tcase_add_test(tc, test_truncated);
	tcase_add_test(tc, test_garbage);
	tcase_add_test(tc, test_texts);
	suite_add_tcase(s, tc);
	return check_run(s);
}
