/* json: a small JSON writer (the control socket's replies) and reader
 * (portierctl reads them back). The writer escapes every string, so a
 * service id or a file name can never break the document; the reader builds
 * a tree with a bounded depth. Pure: no I/O, tested by tests/check_json.c. */
#ifndef PORTIER_JSON_H
#define PORTIER_JSON_H

#include <stdbool.h>
#include <stddef.h>

#define JSON_MAX_DEPTH 16

/* ---- writer ---- */

struct json {
	char *buf;
	size_t len, cap;
	bool oom;			/* an allocation failed: json_text() is NULL */
	int depth;
	bool more[JSON_MAX_DEPTH + 1];	/* the current container has a member already */
};

void json_init(struct json *j);
void json_free(struct json *j);
/* key is the member name inside an object, NULL inside an array or at the top. */
void json_object_begin(struct json *j, const char *key);
void json_object_end(struct json *j);
void json_array_begin(struct json *j, const char *key);
void json_array_end(struct json *j);
void json_string(struct json *j, const char *key, const char *value);	/* NULL: null */
void json_int(struct json *j, const char *key, long long value);
void json_bool(struct json *j, const char *key, bool value);
/* The document so far, NUL-terminated; NULL when out of memory. */
const char *json_text(const struct json *j);

/* ---- reader ---- */

enum json_type { JSON_NULL, JSON_BOOL, JSON_NUMBER, JSON_STRING, JSON_ARRAY, JSON_OBJECT };

struct json_value {
	enum json_type type;
	char *key;			/* member name when inside an object */
	char *str;			/* JSON_STRING, UTF-8, NUL-terminated */
	double num;			/* JSON_NUMBER */
	bool b;				/* JSON_BOOL */
	struct json_value *child;	/* first member or element */
	struct json_value *next;	/* next sibling */
};

/* Parses one document (whitespace around it allowed); NULL when it is not
 * valid JSON, nests deeper than JSON_MAX_DEPTH or memory runs out. */
struct json_value *json_parse(const char *text, size_t len);
void json_value_free(struct json_value *v);
/* Member key of object v, or NULL. */
const struct json_value *json_get(const struct json_value *v, const char *key);
/* Member key as a string / number, or the fallback. */
const char *json_get_str(const struct json_value *v, const char *key, const char *fallback);
double json_get_num(const struct json_value *v, const char *key, double fallback);

#endif
