/* SPDX-License-Identifier: ISC */
/* ctl: portierctl's subcommands, one file each (ctl_*.c). Each takes the
 * arguments after the subcommand name (argv[0] is the subcommand) and
 * returns the process exit code: 0 success, 1 a negative answer or invalid
 * input (nothing matched, configuration invalid), 2 usage error. */
#ifndef PORTIER_CTL_H
#define PORTIER_CTL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

struct diag;

/* Exit codes of the control commands (status, reload, enable, disable,
 * open, close); 0, 1 and 2 as above, 3: portierd could not be asked. */
enum { CTL_EXIT_OK = 0, CTL_EXIT_NO = 1, CTL_EXIT_USAGE = 2, CTL_EXIT_DAEMON = 3 };

/* A command's help, next to the code that parses its options:
 * `portierctl COMMAND --help` prints it whole, a usage error its synopsis
 * only, `portierctl --help` the name and summary of each. */
struct ctl_option_help {
	const char *option;	/* "-c, --confdir DIR" */
	const char *what;	/* one line */
	const char *dflt;	/* the default, or NULL */
};

struct ctl_help {
	const char *name;	/* "check" */
	const char *synopsis;	/* after "portierctl NAME"; '\n' continues it */
	const char *summary;	/* one line, for portierctl --help */
	const struct ctl_option_help *options;	/* ends with { NULL } */
};

/* ctl_help.c */
/* "usage: portierctl NAME SYNOPSIS" */
void ctl_usage(const struct ctl_help *h, FILE *fp);
/* The usage, the summary, then one line per option. */
void ctl_help(const struct ctl_help *h, FILE *fp);
/* The usage to stderr after "portierctl NAME: " and the message;
 * returns CTL_EXIT_USAGE. */
int ctl_usage_error(const struct ctl_help *h, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

extern const struct ctl_help ctl_check_help, ctl_convert_help, ctl_list_help,
	ctl_lookup_help, ctl_status_help, ctl_reload_help, ctl_enable_help,
	ctl_disable_help, ctl_open_help, ctl_close_help, ctl_audit_help, ctl_show_help,
	ctl_inetd_entries_help;

int ctl_check(int argc, char *argv[]);
int ctl_convert(int argc, char *argv[]);
int ctl_list(int argc, char *argv[]);
int ctl_lookup(int argc, char *argv[]);
int ctl_show(int argc, char *argv[]);
/* ctl_inetd.c: inetd_compat's converter in a child of portierd. */
int ctl_inetd_entries(int argc, char *argv[]);
/* ctl_registry.c: the registry files to read: files[0..*n) when -r named
 * some, else the default ones (registry_defaults()), which *owned then
 * holds for strv_free() and *n counts. NULL after saying why (memory,
 * an unreadable services.d); what it says, warnings too, goes into `into`,
 * or to stderr when that is NULL. */
/* The default search order in the commands' help (two lines). */
#define CTL_REGISTRY_DEFAULT PORTIER_REGISTRY ",\nthen " PORTIER_REGISTRY_DIR "/*.db"
/* The help line of -r, for the commands that read the registry leniently. */
#define CTL_HELP_REGISTRY \
	{ "-r, --registry FILE", "a registry file; repeat for several in order", \
	  CTL_REGISTRY_DEFAULT }
const char *const *ctl_registries(const char *cmd, const char **files, size_t *n,
				  char ***owned, struct diag *into);
/* ctl_opts.c: the options of the commands that read files. A command's
 * getopt_long loop hands each option to ctl_opts_take() first; longopts
 * give --confdir 'c', --registry 'r', --json 'j'. */
struct ctl_opts {
	const char *cmd;	/* "list", for messages */
	const char *dir;	/* -c, else PORTIER_CONFDIR */
	const char **files;	/* -r, in order */
	size_t nfiles;
	bool json;
	char **defaults;	/* owned by ctl_opts_registries() */
	struct diag *diag;	/* NULL: the search's diagnostics go to stderr */
};
/* Starts getopt afresh for argv (argv[0] the command); -1 after saying
 * "out of memory". */
int ctl_opts_begin(struct ctl_opts *o, const char *cmd, int argc);
/* Stores the option c (with optarg) when it is one of the above. */
bool ctl_opts_take(struct ctl_opts *o, int c);
/* ctl_registries() of what -r named. */
const char *const *ctl_opts_registries(struct ctl_opts *o);
void ctl_opts_end(struct ctl_opts *o);
/* The rows of longopts for -c, -r, --json and --help. */
#define CTL_OPTS_LONG \
	{ "confdir", required_argument, NULL, 'c' }, \
	{ "registry", required_argument, NULL, 'r' }, \
	{ "json", no_argument, NULL, 'j' }, \
	{ "help", no_argument, NULL, 'h' }
/* What getopt_long returned that no command takes itself: 'h' prints h
 * whole (0), ':' and anything else are usage errors ("-c needs an
 * argument", "unknown option '-x'"). Returns the exit code. */
int ctl_opts_stop(const struct ctl_help *h, int c, char *argv[]);
/* The whole getopt loop of a command whose options are those four only
 * (list, show): -1 when it goes on with argv[optind..], else the exit code
 * (after --help or a usage error). */
int ctl_opts_parse(struct ctl_opts *o, const struct ctl_help *h, int argc, char *argv[]);
/* ctl_read.c: all of fd, NUL-terminated (*len octets without the NUL), for
 * a control reply, a /proc/net table, an inetd.conf on standard input; a
 * reset after some octets ends the text. NULL with errno set: the read's,
 * ENOMEM, or EFBIG at max octets. */
char *ctl_read_all(int fd, size_t max, size_t *len);
/* ctl_control.c: the control socket's client. */
void ctl_set_socket(const char *path);
struct control_request;
/* The parsed reply to rq, or NULL; "portierd is not running" is not
 * reported (audit goes on without it), other failures are. */
struct json_value *ctl_ask_quiet(const struct control_request *rq);
int ctl_audit(int argc, char *argv[]);
int ctl_status(int argc, char *argv[]);
int ctl_reload(int argc, char *argv[]);
int ctl_enable(int argc, char *argv[]);
int ctl_disable(int argc, char *argv[]);
int ctl_open(int argc, char *argv[]);
int ctl_close(int argc, char *argv[]);
struct json_value;
/* ctl_status.c: a status reply (ok) as the table people read. */
void ctl_status_print(const struct json_value *v);

/* ctl_list.c: the configuration as data, for list and check --json. */
struct config;
struct json;
/* Every service of cfg (NULL: none) as the array "services", each with
 * its state ("enabled", "disabled", "expired", "tcpmux-only"), file:line,
 * protocol, port and addresses. */
void ctl_services_json(struct json *j, const struct config *cfg);
/* d as the array "diagnostics" of { level, text } and the counts
 * "errors" and "warnings". */
void ctl_diag_json(struct json *j, const struct diag *d);
/* Writes the finished document and a newline to stdout; -1 when out of
 * memory (reported). */
int ctl_json_print(const struct json *j, const char *cmd);

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
