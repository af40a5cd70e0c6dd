/* SPDX-License-Identifier: ISC */
/* json: the writer of the control socket's replies (see base.h). portierctl
 * reads them back with ctl/ctl_json.c. */
#include "autoconf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/base.h"

void
json_init(struct json *j)
{
	memset(j, 0, sizeof(*j));
}

void
json_free(struct json *j)
{
	free(j->buf);
	json_init(j);
}

static void
put(struct json *j, const char *s, size_t n)
{
	if (j->oom)
		return;
	if (array_reserve(&j->buf, &j->cap, j->len + n + 1, 1) < 0) {
		j->oom = true;
		return;
	}
	memcpy(j->buf + j->len, s, n);
	j->len += n;
	j->buf[j->len] = '\0';
}

static void
puts_raw(struct json *j, const char *s)
{
	put(j, s, strlen(s));
}

/* Quotes s: ", \ and every control character are escaped; other bytes
 * (UTF-8 included) pass as they are. */
static void
put_quoted(struct json *j, const char *s)
{
	const char *run = s;

	put(j, "\"", 1);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		char esc[8];

		if (c >= 0x20 && c != '"' && c != '\\')
			continue;
		put(j, run, (size_t)(s - run));
		run = s + 1;
		switch (c) {
		case '"': puts_raw(j, "\\\""); break;
		case '\\': puts_raw(j, "\\\\"); break;
		case '\n': puts_raw(j, "\\n"); break;
		case '\r': puts_raw(j, "\\r"); break;
		case '\t': puts_raw(j, "\\t"); break;
		default:
			snprintf(esc, sizeof(esc), "\\u%04x", c);
			puts_raw(j, esc);
		}
	}
	put(j, run, (size_t)(s - run));
	put(j, "\"", 1);
}

/* The comma and the member name before a value. */
static void
member(struct json *j, const char *key)
{
	if (j->more[j->depth])
		put(j, ",", 1);
	j->more[j->depth] = true;
	if (key) {
		put_quoted(j, key);
		put(j, ":", 1);
	}
}

static void
open_container(struct json *j, const char *key, const char *c)
{
	member(j, key);
	puts_raw(j, c);
	if (j->depth == JSON_MAX_DEPTH) {
		j->oom = true;	/* a bug of the caller: fail the whole document */
		return;
	}
	j->more[++j->depth] = false;
}

static void
close_container(struct json *j, const char *c)
{
	if (j->depth > 0)
		j->depth--;
	puts_raw(j, c);
}

void
json_object_begin(struct json *j, const char *key)
{
	open_container(j, key, "{");
}

void
json_object_end(struct json *j)
{
	close_container(j, "}");
}

void
json_array_begin(struct json *j, const char *key)
{
	open_container(j, key, "[");
}

void
json_array_end(struct json *j)
{
	close_container(j, "]");
}

void
json_string(struct json *j, const char *key, const char *value)
{
	member(j, key);
	if (value)
		put_quoted(j, value);
	else
		puts_raw(j, "null");
}

void
json_int(struct json *j, const char *key, long long value)
{
	char b[32];

	member(j, key);
	snprintf(b, sizeof(b), "%lld", value);
	puts_raw(j, b);
}

void
json_bool(struct json *j, const char *key, bool value)
{
	member(j, key);
	puts_raw(j, value ? "true" : "false");
}

const char *
json_text(const struct json *j)
{
	if (j->oom)
		return NULL;
	return j->buf ? j->buf : "";
}
