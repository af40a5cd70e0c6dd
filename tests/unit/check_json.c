/* SPDX-License-Identifier: ISC */
/* Unit tests for the JSON writer (sbin/base/json.c) and portierctl's reader
 * (sbin/ctl/ctl_json.c). */
#include "autoconf.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "base/base.h"
#include "ctl/ctl.h"
#include "check_run.h"

START_TEST(test_write_nested)
{
	struct json j;

	json_init(&j);
	json_object_begin(&j, NULL);
	json_bool(&j, "ok", true);
	json_int(&j, "n", -42);
	json_string(&j, "none", NULL);
	json_array_begin(&j, "list");
	json_string(&j, NULL, "a");
	json_object_begin(&j, NULL);
	json_object_end(&j);
	json_array_end(&j);
	json_object_end(&j);
	ck_assert_str_eq(json_text(&j), "{\"ok\":true,\"n\":-42,\"none\":null,\"list\":[\"a\",{}]}");
	json_free(&j);
}
END_TEST

START_TEST(test_write_escapes)
{
	struct json j;

	json_init(&j);
	json_string(&j, NULL, "q\"b\\n\nt\tc\x01\x1f caf\xc3\xa9");
	ck_assert_str_eq(json_text(&j), "\"q\\\"b\\\\n\\nt\\tc\\u0001\\u001f caf\xc3\xa9\"");
	json_free(&j);
}
END_TEST

START_TEST(test_write_key_escaped)
{
	struct json j;

	json_init(&j);
	json_object_begin(&j, NULL);
	json_int(&j, "a\"b", 1);
	json_object_end(&j);
	ck_assert_str_eq(json_text(&j), "{\"a\\\"b\":1}");
	json_free(&j);
}
END_TEST

START_TEST(test_write_too_deep_fails)
{
	struct json j;

	json_init(&j);
	for (int i = 0; i <= JSON_MAX_DEPTH; i++)
		json_array_begin(&j, NULL);
	ck_assert_ptr_null(json_text(&j));
	json_free(&j);
}
END_TEST

START_TEST(test_round_trip)
{
	const char *s = "tab\there \"quoted\" back\\slash \x02 \xe2\x82\xac";
	struct json j;
	struct json_value *v;

	json_init(&j);
	json_object_begin(&j, NULL);
	json_string(&j, "s", s);
	json_int(&j, "n", 1234567890123LL);
	json_object_end(&j);
	v = json_parse(j.buf, j.len);
	ck_assert_ptr_nonnull(v);
	ck_assert_str_eq(json_get_str(v, "s", ""), s);
	ck_assert(json_get_num(v, "n", 0) == 1234567890123.0);
	ck_assert_ptr_null(json_get(v, "missing"));
	json_value_free(v);
	json_free(&j);
}
END_TEST

START_TEST(test_parse_values)
{
	const char *t = " {\"a\": [1, -2.5e1, true, false, null], \"u\": \"\\u00e9\\ud83d\\ude00\\/\"} ";
	struct json_value *v = json_parse(t, strlen(t));
	const struct json_value *a;

	ck_assert_ptr_nonnull(v);
	a = json_get(v, "a");
	ck_assert_int_eq(a->type, JSON_ARRAY);
	ck_assert(a->child->num == 1);
	ck_assert(a->child->next->num == -25);
	ck_assert_int_eq(a->child->next->next->type, JSON_BOOL);
	ck_assert(a->child->next->next->b);
	ck_assert(!a->child->next->next->next->b);
	ck_assert_int_eq(a->child->next->next->next->next->type, JSON_NULL);
	ck_assert_str_eq(json_get_str(v, "u", ""), "\xc3\xa9\xf0\x9f\x98\x80/");
	json_value_free(v);
}
END_TEST

START_TEST(test_parse_rejects)
{
	static const char *bad[] = {
		"", "{", "[1,]", "{\"a\" 1}", "{\"a\":1,}", "tru", "\"open", "\"ctl\x01\"",
		"\"\\x\"", "\"\\ud800\"", "\"\\udc00\"", "\"\\u12\"", "1 2", "+1", "{} x",
		"[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]", "{1:2}", "nul",
	};

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct json_value *v = json_parse(bad[i], strlen(bad[i]));

		if (v)
			ck_abort_msg("accepted: %s", bad[i]);
	}
}
END_TEST

static Suite *
json_suite(void)
{
	Suite *s = suite_create("json");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_write_nested);
	tcase_add_test(tc, test_write_escapes);
	tcase_add_test(tc, test_write_key_escaped);
	tcase_add_test(tc, test_write_too_deep_fails);
	tcase_add_test(tc, test_round_trip);
	tcase_add_test(tc, test_parse_values);
	tcase_add_test(tc, test_parse_rejects);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return check_run(json_suite());
}
