/* SPDX-License-Identifier: ISC */
/* ctl_json: the JSON reader, portierctl's only (it reads the control
 * socket's replies, which base/json.c writes). It builds a tree with a
 * bounded depth; pure, no I/O, tested by tests/check_json.c. */
#include "autoconf.h"

#include <stdlib.h>
#include <string.h>

#include "base/base.h"
#include "ctl/ctl.h"

struct reader {
	const char *p, *end;
	int depth;
};

static void
skip_ws(struct reader *r)
{
	while (r->p < r->end && (*r->p == ' ' || *r->p == '\t' || *r->p == '\n' || *r->p == '\r'))
		r->p++;
}

static bool
literal(struct reader *r, const char *word)
{
	size_t n = strlen(word);

	if ((size_t)(r->end - r->p) < n || memcmp(r->p, word, n))
		return false;
	r->p += n;
	return true;
}

static int
hex4(struct reader *r, unsigned *out)
{
	unsigned v = 0;

	if (r->end - r->p < 4)
		return -1;
	for (int i = 0; i < 4; i++) {
		char c = *r->p++;

		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= (unsigned)(c - '0');
		else if (c >= 'a' && c <= 'f')
			v |= (unsigned)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			v |= (unsigned)(c - 'A' + 10);
		else
			return -1;
	}
	*out = v;
	return 0;
}

static size_t
utf8_put(char *o, unsigned cp)
{
	if (cp < 0x80) {
		o[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		o[0] = (char)(0xc0 | cp >> 6);
		o[1] = (char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		o[0] = (char)(0xe0 | cp >> 12);
		o[1] = (char)(0x80 | (cp >> 6 & 0x3f));
		o[2] = (char)(0x80 | (cp & 0x3f));
		return 3;
	}
	o[0] = (char)(0xf0 | cp >> 18);
	o[1] = (char)(0x80 | (cp >> 12 & 0x3f));
	o[2] = (char)(0x80 | (cp >> 6 & 0x3f));
	o[3] = (char)(0x80 | (cp & 0x3f));
	return 4;
}

/* \uXXXX, with a surrogate pair when the first one asks for it. */
static int
unicode_escape(struct reader *r, unsigned *cp)
{
	unsigned lo;

	if (hex4(r, cp) < 0 || (*cp >= 0xdc00 && *cp <= 0xdfff))
		return -1;
	if (*cp < 0xd800 || *cp > 0xdbff)
		return 0;
	if (!literal(r, "\\u") || hex4(r, &lo) < 0 || lo < 0xdc00 || lo > 0xdfff)
		return -1;
	*cp = 0x10000 + ((*cp - 0xd800) << 10) + (lo - 0xdc00);
	return 0;
}

static int
escape(struct reader *r, char *o, size_t *n)
{
	static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
	const char *e;
	unsigned cp;

	if (r->p == r->end)
		return -1;
	if (*r->p == 'u') {
		r->p++;
		if (unicode_escape(r, &cp) < 0)
			return -1;
		*n += utf8_put(o + *n, cp);
		return 0;
	}
	e = strchr(from, *r->p);
	if (!e || !*r->p)
		return -1;
	o[(*n)++] = to[e - from];
	r->p++;
	return 0;
}

/* A string after its opening quote; the result never grows longer than the
 * input (an escape of six or twelve octets yields at most four). */
static char *
read_string(struct reader *r)
{
	char *o = malloc((size_t)(r->end - r->p) + 1);
	size_t n = 0;

	if (!o)
		return NULL;
	while (r->p < r->end && *r->p != '"') {
		unsigned char c = (unsigned char)*r->p;

		if (c < 0x20)
			goto bad;
		r->p++;
		if (c != '\\')
			o[n++] = (char)c;
		else if (escape(r, o, &n) < 0)
			goto bad;
	}
	if (r->p == r->end)
		goto bad;
	r->p++;
	o[n] = '\0';
	return o;
bad:
	free(o);
	return NULL;
}

static int
read_number(struct reader *r, double *out)
{
	char buf[64], *end;
	size_t n = 0;

	while (r->p + n < r->end && n < sizeof(buf) - 1 && strchr("+-0123456789.eE", r->p[n]))
		n++;
	if (!n || n == sizeof(buf) - 1 || r->p[0] == '+')
		return -1;
	memcpy(buf, r->p, n);
	buf[n] = '\0';
	*out = strtod(buf, &end);
	if (end != buf + n)
		return -1;
	r->p += n;
	return 0;
}

static struct json_value *read_value(struct reader *r);

/* Members or elements up to the closing character; objects read keys. */
static int
read_members(struct reader *r, struct json_value *v, char close, bool keyed)
{
	struct json_value **tail = &v->child;

	skip_ws(r);
	if (r->p < r->end && *r->p == close) {
		r->p++;
		return 0;
	}
	for (;;) {
		char *key = NULL;
		struct json_value *m;

		skip_ws(r);
		if (keyed) {
			if (r->p == r->end || *r->p++ != '"' || !(key = read_string(r)))
				return -1;
			skip_ws(r);
			if (r->p == r->end || *r->p++ != ':') {
				free(key);
				return -1;
			}
		}
		m = read_value(r);
		if (!m) {
			free(key);
			return -1;
		}
		m->key = key;
		*tail = m;
		tail = &m->next;
		skip_ws(r);
		if (r->p == r->end)
			return -1;
		if (*r->p == close) {
			r->p++;
			return 0;
		}
		if (*r->p++ != ',')
			return -1;
	}
}

static int
read_into(struct reader *r, struct json_value *v)
{
	char c = *r->p;

	switch (c) {
	case '{':
	case '[':
		if (++r->depth > JSON_MAX_DEPTH)
			return -1;
		r->p++;
		v->type = c == '{' ? JSON_OBJECT : JSON_ARRAY;
		if (read_members(r, v, c == '{' ? '}' : ']', c == '{') < 0)
			return -1;
		r->depth--;
		return 0;
	case '"':
		r->p++;
		v->type = JSON_STRING;
		return (v->str = read_string(r)) ? 0 : -1;
	case 't':
	case 'f':
		v->type = JSON_BOOL;
		v->b = c == 't';
		return literal(r, v->b ? "true" : "false") ? 0 : -1;
	case 'n':
		v->type = JSON_NULL;
		return literal(r, "null") ? 0 : -1;
	}
	v->type = JSON_NUMBER;
	return read_number(r, &v->num);
}

static struct json_value *
read_value(struct reader *r)
{
	struct json_value *v;

	skip_ws(r);
	if (r->p == r->end)
		return NULL;
	v = calloc(1, sizeof(*v));
	if (!v)
		return NULL;
	if (read_into(r, v) < 0) {
		json_value_free(v);
		return NULL;
	}
	return v;
}

struct json_value *
json_parse(const char *text, size_t len)
{
	struct reader r = { .p = text, .end = text + len };
	struct json_value *v = read_value(&r);

	skip_ws(&r);
	if (v && r.p != r.end) {
		json_value_free(v);
		return NULL;
	}
	return v;
}

void
json_value_free(struct json_value *v)
{
	while (v) {
		struct json_value *next = v->next;

		json_value_free(v->child);
		free(v->key);
		free(v->str);
		free(v);
		v = next;
	}
}

const struct json_value *
json_get(const struct json_value *v, const char *key)
{
	if (!v || v->type != JSON_OBJECT)
		return NULL;
	for (const struct json_value *m = v->child; m; m = m->next)
		if (m->key && !strcmp(m->key, key))
			return m;
	return NULL;
}

const char *
json_get_str(const struct json_value *v, const char *key, const char *fallback)
{
	const struct json_value *m = json_get(v, key);

	return m && m->type == JSON_STRING ? m->str : fallback;
}

double
json_get_num(const struct json_value *v, const char *key, double fallback)
{
	const struct json_value *m = json_get(v, key);

	return m && m->type == JSON_NUMBER ? m->num : fallback;
}
