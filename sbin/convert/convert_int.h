/* SPDX-License-Identifier: ISC */
/* convert_int: the model shared by convert.c (identities, rendering),
 * convert_xinetd.c and convert_inetd.c (the two readers). A cv_svc holds one
 * service, or the defaults, as portier will read it; whatever has no portier
 * counterpart travels in notes and is written as comments. */
#ifndef PORTIER_CONVERT_INT_H
#define PORTIER_CONVERT_INT_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

#include "convert/convert.h"
#include "base/base.h"

struct cv_strv {
	char **v;
	size_t n;
	size_t alloc;
};

/* How a list option is written: not at all, `=` (replaces the defaults'
 * list) or `+=` (appends to it). */
enum cv_op { CV_NONE, CV_SET, CV_ADD };

struct cv_list {
	enum cv_op op;
	struct cv_strv v;
};

enum { CV_RL_AS, CV_RL_CPU, CV_RL_DATA, CV_RL_FILES, CV_RL_STACK, CV_RL_COUNT };
extern const char *const cv_rlimit_names[CV_RL_COUNT];

struct cv_svc {
	char *id;		/* portier's section title, set by cv_finish */
	char *name;		/* the source's service name */
	char *xid;		/* xinetd's id attribute, NULL when none */
	char *file;
	int line;
	bool defaults;		/* the defaults section */
	bool commented;		/* nothing portier can run: written as comments */
	bool unlisted;		/* the name is not to be looked up */
	bool unix_socket;	/* bind is one "unix:/path", the name made from it */

	int disable;		/* -1 unset, 0, 1 */
	bool internal;
	bool tcpmux;
	const char *socket_type;	/* "stream", "dgram" or NULL */
	const char *protocol;		/* "tcp", "udp" or NULL */
	int wait;		/* -1 unset, 0, 1 */
	unsigned port;		/* 0: the registry's */
	struct cv_strv bind;
	char *user;
	char *group;
	char *server;
	struct cv_strv args;	/* server_args, argv[0] not included */
	bool args_set;
	struct cv_list env;
	struct cv_list passenv;
	char *instances;	/* "UNLIMITED" or a number */
	char *per_source;
	bool cps_set;
	unsigned cps_rate;
	unsigned cps_wait;
	char *max_load;
	struct cv_list only_from;
	struct cv_list no_access;
	struct cv_list access_times;
	struct cv_list log_success;
	struct cv_list log_failure;
	char *nice;
	char *umask;		/* three octal digits */
	char *rlimit[CV_RL_COUNT];	/* a number or "unlimited" */
	char *banner;
	char *banner_success;
	char *banner_fail;
	bool keepalive;
	bool nodelay;
	char *socket_mode;	/* a unix socket's, three or four octal digits */
	char *log_facility;	/* defaults only */

	struct cv_strv notes;	/* comment lines inside the section */
};

/* convert.c: memory and strings (out of memory aborts: a converter that
 * cannot allocate cannot write a faithful result either) */
void cv_oom(void) __attribute__((noreturn));
void *cv_alloc(size_t n);
char *cv_strdup(const char *s);
char *cv_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
char *cv_vprintf(const char *fmt, va_list ap) __attribute__((format(printf, 1, 0)));
/* arr, grown (doubling) to hold at least need elements of size bytes. */
void *cv_grow(void *arr, size_t *alloc, size_t need, size_t size);
void cv_strv_push(struct cv_strv *s, const char *x);
void cv_strv_push_own(struct cv_strv *s, char *x);
void cv_strv_remove(struct cv_strv *s, const char *x);
bool cv_strv_has(const struct cv_strv *s, const char *x);
void cv_strv_copy(struct cv_strv *dst, const struct cv_strv *src);
void cv_strv_free(struct cv_strv *s);
/* "a, b, c" */
char *cv_strv_join(const struct cv_strv *s, const char *sep);
/* Splits on blanks (space, tab), as xinetd and inetd do; no quoting. */
void cv_strv_split(struct cv_strv *s, const char *line);
/* Cuts buf into lines, without their "\n" or "\r\n". */
void cv_strv_lines(struct cv_strv *s, const char *buf);
/* Whether s is one of the NULL-terminated list. */
bool cv_in_list(const char *const *list, const char *s);
const char *cv_basename(const char *path);
char *cv_slurp(const char *path);
bool cv_builtin_ok(const struct cv_svc *s);

/* convert.c: the model */
struct cv_svc *cv_svc_new(const char *name, const char *file, int line);
void cv_svc_free(struct cv_svc *s);
/* "tcp" or "udp": the protocol the service's id and port go by */
const char *cv_proto(const struct cv_svc *s);
/* `echo` for TCP, `echo/udp` for UDP: what portier derives the name from. */
char *cv_natural_id(const struct cv_svc *s);
/* wait as portier takes it, said when it differs from the old daemon's. */
void cv_fit_wait(struct cv_svc *s, struct diag *d, const char *daemon);
/* argv[0] as the source gave it (line: where): tcpd gives way to the
 * daemon it runs, and a name other than the server's is said. */
void cv_fit_argv0(struct cv_svc *s, struct diag *d, int line, const char *argv0);
/* A comment line in the section (printf format) */
void cv_note(struct cv_svc *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* A comment line plus the same text as a warning at the service's file, line. */
void cv_lost(struct cv_svc *s, struct diag *d, int line, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

struct cv_set {
	struct cv_svc *defaults;	/* NULL when the source had none */
	struct cv_svc **svc;
	size_t count;
	size_t alloc;
};

void cv_set_add(struct cv_set *set, struct cv_svc *s);
void cv_set_free(struct cv_set *set);
/* The ids of the live handlers without passenv, ", "-joined (NULL: none),
 * *n of them: after cv_finish, which gives the ids the admin looks for. */
char *cv_no_passenv_ids(const struct cv_set *set, size_t *n);
/* convert_finish.c: identities, duplicates, ports, then one file per
 * service into out. */
void cv_finish(struct cv_set *set, const struct convert_opts *o,
	       struct convert_out *out, struct diag *d);
/* convert_render.c: the service's (or the defaults') conf.d text */
char *cv_render(const struct cv_svc *s);
/* Takes ownership of name and text. */
void cv_out_add(struct convert_out *out, char *name, char *text);

/* convert_xinetd.c reads entries; convert_xattr.c maps their attributes. */
struct xattr {
	char *name;
	char op;		/* '=', '+' or '-' */
	struct cv_strv vals;
	int line;
};

struct xentry {
	bool defaults;
	char *name;
	char *file;
	int line;
	struct xattr *attrs;
	size_t n;
	size_t alloc;
};

/* What the defaults section means for every service. */
struct xdefs {
	struct cv_svc *svc;	/* NULL when there is none */
	struct cv_strv disabled;	/* xinetd ids */
	struct cv_strv enabled;
	bool has_enabled;
	int v6only;		/* -1 unset */
	bool bind_set;
	char *bind_host;	/* the defaults' bind, a host name: each service's */
	int groups;		/* -1 unset */
	bool instances_set;
	bool per_source_set;
};

/* Differences that hold for many services: reported once. */
struct xsummary {
	size_t no_groups;	/* handlers xinetd gave no supplementary groups */
	size_t unlimited;	/* no instances or per_source limit under xinetd */
};

void xattr_defaults(const struct xentry *e, struct xdefs *defs, struct diag *d);
struct cv_svc *xattr_service(const struct xentry *e, const struct xdefs *defs,
			     struct xsummary *sum, struct diag *d);

/* One xinetd entry being mapped (convert_xattr.c, convert_xfinal.c). */
struct xst {
	const struct xentry *e;
	const struct xdefs *defs;
	struct xdefs *wdefs;	/* the defaults being read, else NULL */
	struct cv_svc *s;
	struct diag *d;
	bool lenient;		/* disable = yes: xinetd never reads the rest */
	bool failed;		/* xinetd would disable the service */
	bool rejected;		/* ... for the whole entry (xbad_entry) */
	struct cv_strv cannot;	/* why portier cannot run it at all */
	struct cv_strv seen;	/* single-valued attributes already set */
	bool nameinargs;
	bool nameinargs_late;
	int args_line;
	bool ipv4, ipv6, sensor;
	int v6only;
	bool t_internal, t_unlisted, t_rpc, t_special, t_tcpmux, t_tcpmuxplus;
	char *redirect[2];	/* host, port */
	int redirect_line;
	char *bind;
	int bind_line;
	int groups;
};

/* convert_xreport.c: comment lines, warnings and errors about one attribute */
void xlost(struct xst *x, const struct xattr *a, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));	/* no portier counterpart */
void xnote(struct xst *x, const struct xattr *a, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));	/* nothing lost */
void xbad(struct xst *x, const struct xattr *a, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));	/* xinetd rejects it */
void xbad_entry(struct xst *x, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void xcannot(struct xst *x, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));	/* portier cannot run it */
/* convert_xlist.c: the list attributes, folded into the model's lists */
void xlist_addresses(struct xst *x, const struct xattr *a);
void xlist_log_flags(struct xst *x, const struct xattr *a);
void xlist_env(struct xst *x, const struct xattr *a);
void xlist_passenv(struct xst *x, const struct xattr *a);
void xlist_access_times(struct xst *x, const struct xattr *a);
void xlist_idlist(struct xst *x, const struct xattr *a);
/* convert_xfinal.c: the type and flags attributes, then what xinetd checks
 * and rewrites once an entry is read */
void xfinal_type_attr(struct xst *x, const struct xattr *a);
void xfinal_flags_attr(struct xst *x, const struct xattr *a);
void xfinal_service(struct xst *x, struct xsummary *sum);

/* convert_value.c: one xinetd value to portier's spelling */
enum cvv_result {
	CVV_OK,		/* out holds the rule(s) */
	CVV_HOST,	/* out holds a host name; why says how matching differs */
	CVV_LOST,	/* no portier counterpart (or xinetd ignored it); why says so */
	CVV_BAD,	/* xinetd rejects the value; why says so */
};
enum cvv_result cvv_address(const char *in, struct cv_strv *out, char **why);
char *cvv_time_window(const char *in);
char *cvv_rlimit(const char *in, bool sized);
bool cvv_int(const char *in, long min, long max, long *out);
char *cvv_count(const char *in);
char *cvv_umask(const char *in);
bool cvv_narrower(const char *inner, const char *outer);
bool cvv_is_address(const char *s);

#endif
