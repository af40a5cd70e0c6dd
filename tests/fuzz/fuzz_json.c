/* SPDX-License-Identifier: ISC */
/* fuzz_json: the JSON reader (portierctl reads the control socket's replies
 * with it) on exactly the bytes given. A document that parses is walked,
 * every member found again by json_get(), then written back with the JSON
 * writer (numbers as integers when they are whole, else null) and read
 * again to the same tree. */
#include "autoconf.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctl/ctl.h"
#include "fuzz.h"

static bool
whole(double x)
{
	return x == floor(x) && fabs(x) < 9007199254740992.0;	/* 2^53 */
}

static void
write_value(struct json *j, const struct json_value *v, const char *key)
{
	switch (v->type) {
	case JSON_NULL:
		json_string(j, key, NULL);
		break;
	case JSON_BOOL:
		json_bool(j, key, v->b);
		break;
	case JSON_NUMBER:
		if (whole(v->num))
			json_int(j, key, (long long)v->num);
		else
			json_string(j, key, NULL);
		break;
	case JSON_STRING:
		json_string(j, key, v->str);
		break;
	case JSON_ARRAY:
		json_array_begin(j, key);
		for (const struct json_value *c = v->child; c; c = c->next)
			write_value(j, c, NULL);
		json_array_end(j);
		break;
	case JSON_OBJECT:
		json_object_begin(j, key);
		for (const struct json_value *c = v->child; c; c = c->next) {
			if (!c->key || json_get(v, c->key) == NULL)
				abort();
			write_value(j, c, c->key);
		}
		json_object_end(j);
		break;
	}
}

/* The tree b read back from a's text is a, numbers aside. */
static void
same(const struct json_value *a, const struct json_value *b)
{
	bool nulled = a->type == JSON_NUMBER && !whole(a->num);

	if (!b || (nulled ? b->type != JSON_NULL : b->type != a->type))
		abort();
	if ((a->key || b->key) && (!a->key || !b->key || strcmp(a->key, b->key)))
		abort();
	switch (a->type) {
	case JSON_BOOL:
		if (a->b != b->b)
			abort();
		break;
	case JSON_NUMBER:
		if (!nulled && a->num != b->num)
			abort();
		break;
	case JSON_STRING:
		if (strcmp(a->str, b->str))
			abort();
		break;
	case JSON_ARRAY:
	case JSON_OBJECT:
		for (a = a->child, b = b->child; a; a = a->next, b = b->next)
			same(a, b);
		if (b)
			abort();
		break;
	default:
		break;
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct json_value *v = json_parse((const char *)data, size), *again;
	struct json j;
	const char *text;

	if (!v)
		return 0;
	json_init(&j);
	write_value(&j, v, NULL);
	if (!(text = json_text(&j)))
		abort();
	if (!(again = json_parse(text, strlen(text)))) {
		fprintf(stderr, "fuzz: the writer's text does not parse: %s\n", text);
		abort();
	}
	same(v, again);
	json_value_free(again);
	json_free(&j);
	json_value_free(v);
	return 0;
}
