/* ctl: portierctl's subcommands, one file each (ctl_*.c). Each takes the
 * arguments after the subcommand name (argv[0] is the subcommand) and
 * returns the process exit code: 0 success, 1 a negative answer or invalid
 * input (nothing matched, configuration invalid), 2 usage error. */
#ifndef PORTIER_CTL_H
#define PORTIER_CTL_H

#include <stdbool.h>
#include <stddef.h>

/* Exit codes of the control commands (status, reload, enable, disable,
 * open, close); 0, 1 and 2 as above, 3: portierd could not be asked. */
enum { CTL_EXIT_OK = 0, CTL_EXIT_NO = 1, CTL_EXIT_USAGE = 2, CTL_EXIT_DAEMON = 3 };

int ctl_check(int argc, char *argv[]);
int ctl_convert(int argc, char *argv[]);
int ctl_lookup(int argc, char *argv[]);
/* ctl_control.c: the control socket's client. */
void ctl_set_socket(const char *path);
int ctl_status(int argc, char *argv[]);
int ctl_reload(int argc, char *argv[]);
int ctl_enable(int argc, char *argv[]);
int ctl_disable(int argc, char *argv[]);
int ctl_open(int argc, char *argv[]);
int ctl_close(int argc, char *argv[]);

/* ctl_json: the JSON reader for the control socket's replies (portierd
 * only writes JSON, with base/json.c, and does not link this). It builds a
 * tree with a bounded depth (JSON_MAX_DEPTH, base/base.h). */

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
