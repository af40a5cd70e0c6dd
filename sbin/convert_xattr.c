/* convert_xattr: every attribute of xinetd.conf(5), as xinetd 2.3.15 reads
 * it (parse.c, parsers.c, confparse.c), mapped to the portier option with
 * the same meaning, or kept as a comment and named in a warning. */
#include "autoconf.h"

#include <arpa/inet.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "convert_int.h"

typedef void (*xattr_fn)(struct xst *x, const struct xattr *a);

struct xattr_def {
	const char *name;
	int nvalues;		/* > 0 exactly, -1 any, -2 any and += -= allowed */
	bool in_defaults;
	xattr_fn fn;
};

static char *
attr_text(const struct xattr *a)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&buf, &len);

	if (!fp)
		abort();
	fprintf(fp, "%s %s", a->name, a->op == '=' ? "=" : a->op == '+' ? "+=" : "-=");
	for (size_t i = 0; i < a->vals.n; i++)
		fprintf(fp, " %s", a->vals.v[i]);
	if (fclose(fp) != 0)
		abort();
	return buf;
}

static char *
vformat(const char *fmt, va_list ap)
{
	char *p;

	if (vasprintf(&p, fmt, ap) < 0)
		abort();
	return p;
}

/* The attribute has no portier counterpart: comment and warning. */
void
xlost(struct xst *x, const struct xattr *a, const char *fmt, ...)
{
	char *t = attr_text(a), *why;
	va_list ap;

	va_start(ap, fmt);
	why = vformat(fmt, ap);
	va_end(ap);
	cv_lost(x->s, x->d, x->e->file, a->line, "%s: %s", t, why);
	free(t);
	free(why);
}

/* Informational comment: nothing is lost. */
void
xnote(struct xst *x, const struct xattr *a, const char *fmt, ...)
{
	char *t = attr_text(a), *why;
	va_list ap;

	va_start(ap, fmt);
	why = vformat(fmt, ap);
	va_end(ap);
	cv_note(x->s, "%s: %s", t, why);
	free(t);
	free(why);
}

/* xinetd rejects the value: it disables the service (or, in the defaults,
 * refuses to start). */
void
xbad(struct xst *x, const struct xattr *a, const char *fmt, ...)
{
	char *t = attr_text(a), *why;
	va_list ap;

	va_start(ap, fmt);
	why = vformat(fmt, ap);
	va_end(ap);
	if (x->wdefs)
		diag_add(x->d, DIAG_ERROR, x->e->file, a->line,
			 "defaults: %s: %s (xinetd refuses to start)", a->name, why);
	else if (x->lenient)
		diag_add(x->d, DIAG_WARNING, x->e->file, a->line,
			 "service %s: %s: %s (the entry is disabled; xinetd never reads it)",
			 x->s->name, a->name, why);
	else
		diag_add(x->d, DIAG_ERROR, x->e->file, a->line,
			 "service %s: %s: %s (xinetd disables the service)",
			 x->s->name, a->name, why);
	cv_note(x->s, "xinetd rejects `%s`: %s", t, why);
	x->failed = true;
	free(t);
	free(why);
}

/* Errors about the whole entry (a missing attribute) */
void
xbad_entry(struct xst *x, const char *fmt, ...)
{
	char *why;
	va_list ap;

	va_start(ap, fmt);
	why = vformat(fmt, ap);
	va_end(ap);
	diag_add(x->d, x->lenient ? DIAG_WARNING : DIAG_ERROR, x->e->file, x->e->line,
		 "service %s: %s%s", x->s->name, why,
		 x->lenient ? " (the entry is disabled)" : " (xinetd does not start it)");
	cv_note(x->s, "xinetd rejects this entry: %s", why);
	x->failed = true;
	free(why);
}

static void
fold_apply(struct fold *f, char op, const struct cv_strv *vals, const struct cv_strv *dflt)
{
	f->touched = true;
	if (op == '=') {
		f->own = true;
		cv_strv_free(&f->items);
	} else if (op == '-' && !f->own) {
		struct cv_strv all = { 0 };

		if (dflt)
			cv_strv_copy(&all, dflt);
		cv_strv_copy(&all, &f->items);
		cv_strv_free(&f->items);
		f->items = all;
		f->own = true;
	}
	for (size_t i = 0; i < vals->n; i++) {
		if (op == '-')
			cv_strv_remove(&f->items, vals->v[i]);
		else if (!cv_strv_has(&f->items, vals->v[i]))
			cv_strv_push(&f->items, vals->v[i]);
	}
}

static void
fold_result(struct fold *f, struct cv_list *l)
{
	if (f->touched && (f->own || f->items.n)) {
		l->op = f->own ? CV_SET : CV_ADD;
		l->v = f->items;
		memset(&f->items, 0, sizeof(f->items));
	}
	cv_strv_free(&f->items);
}

/* In the defaults, '=' adds to what earlier lines gave (xinetd). */
static char
list_op(const struct xst *x, const struct xattr *a)
{
	return x->wdefs && a->op == '=' ? '+' : a->op;
}

/* The defaults' value of a list, which a service's `-=` starts from */
#define DFLT(x, field) ((x)->wdefs || !(x)->defs->svc ? NULL : &(x)->defs->svc->field.v)

static int
yes_no(struct xst *x, const struct xattr *a)
{
	if (!strcmp(a->vals.v[0], "yes"))
		return 1;
	if (!strcmp(a->vals.v[0], "no"))
		return 0;
	xbad(x, a, "expects yes or no, not %s", a->vals.v[0]);
	return -1;
}

static void
set_str(char **dst, const char *val)
{
	free(*dst);
	*dst = cv_strdup(val);
}

static void
a_socket_type(struct xst *x, const struct xattr *a)
{
	const char *v = a->vals.v[0];

	if (!strcmp(v, "stream"))
		x->s->socket_type = "stream";
	else if (!strcmp(v, "dgram"))
		x->s->socket_type = "dgram";
	else if (!strcmp(v, "raw") || !strcmp(v, "seqpacket"))
		x->cannot = cv_printf("socket_type %s: portier serves stream and dgram sockets only", v);
	else
		xbad(x, a, "bad socket type %s", v);
}

static void
a_protocol(struct xst *x, const struct xattr *a)
{
	const char *v = a->vals.v[0];

	if (!strcmp(v, "tcp") || !strcmp(v, "udp"))
		x->s->protocol = v[0] == 't' ? "tcp" : "udp";
	else
		x->cannot = cv_printf("protocol %s: portier serves tcp and udp only", v);
}

static void
a_wait(struct xst *x, const struct xattr *a)
{
	int v = yes_no(x, a);

	if (v >= 0)
		x->s->wait = v;
}

static void
a_disable(struct xst *x, const struct xattr *a)
{
	int v = yes_no(x, a);

	if (v >= 0)
		x->s->disable = v;
}

static void
a_user(struct xst *x, const struct xattr *a)
{
	set_str(&x->s->user, a->vals.v[0]);
}

static void
a_group(struct xst *x, const struct xattr *a)
{
	set_str(&x->s->group, a->vals.v[0]);
}

static void
a_server(struct xst *x, const struct xattr *a)
{
	set_str(&x->s->server, a->vals.v[0]);
}

static void
a_server_args(struct xst *x, const struct xattr *a)
{
	if (!a->vals.n) {
		xbad(x, a, "expects at least one value");
		return;
	}
	cv_strv_free(&x->s->args);
	cv_strv_copy(&x->s->args, &a->vals);
	x->s->args_set = true;
	x->args_line = a->line;
}

static void
a_id(struct xst *x, const struct xattr *a)
{
	set_str(&x->s->xid, a->vals.v[0]);
}

static void
a_count(struct xst *x, const struct xattr *a, char **dst)
{
	char *v = cvv_count(a->vals.v[0]);

	if (!v) {
		xbad(x, a, "expects a number or UNLIMITED, not %s", a->vals.v[0]);
		return;
	}
	if (!strcmp(v, "0")) {
		/* Nothing may run: the same as not serving at all. */
		xlost(x, a, "0 lets no handler start; portier writes disable = yes instead");
		x->s->disable = 1;
		free(v);
		return;
	}
	free(*dst);
	*dst = v;
}

static void
a_instances(struct xst *x, const struct xattr *a)
{
	a_count(x, a, &x->s->instances);
}

static void
a_per_source(struct xst *x, const struct xattr *a)
{
	a_count(x, a, &x->s->per_source);
}

static void
a_port(struct xst *x, const struct xattr *a)
{
	long v;

	if (!cvv_int(a->vals.v[0], 0, 65535, &v))
		xbad(x, a, "port number is invalid");
	else if (v == 0)
		xlost(x, a, "port 0 (any free port) has no portier counterpart");
	else
		x->s->port = (unsigned)v;
}

static void
a_nice(struct xst *x, const struct xattr *a)
{
	long v;

	if (!cvv_int(a->vals.v[0], -20, 19, &v)) {
		xbad(x, a, "expects a number from -20 to 19");
		return;
	}
	free(x->s->nice);
	x->s->nice = cv_printf("%ld", v);
}

static void
a_umask(struct xst *x, const struct xattr *a)
{
	char *v = cvv_umask(a->vals.v[0]);

	if (!v) {
		xbad(x, a, "expects an octal value up to 0777");
		return;
	}
	free(x->s->umask);
	x->s->umask = v;
}

static void
a_cps(struct xst *x, const struct xattr *a)
{
	long rate, wait;

	if (!cvv_int(a->vals.v[0], 0, 1000000, &rate) ||
	    !cvv_int(a->vals.v[1], 0, 1000000, &wait)) {
		xbad(x, a, "expects two numbers: connections per second and seconds to pause");
		return;
	}
	x->cps_set = true;
	if (rate > 0 && wait == 0) {
		xlost(x, a, "a pause of 0 seconds: portier pauses at least 1");
		wait = 1;
	}
	x->s->cps_set = true;
	x->s->cps_rate = (unsigned)rate;
	x->s->cps_wait = (unsigned)wait;
}

static void
a_max_load(struct xst *x, const struct xattr *a)
{
	char *end;
	double v = strtod(a->vals.v[0], &end);

	if (end == a->vals.v[0] || v <= 0) {
		xbad(x, a, "expects a load average above 0");
		return;
	}
	free(x->s->max_load);
	x->s->max_load = cv_printf("%g", v);
}

static void
a_banner(struct xst *x, const struct xattr *a)
{
	char **dst = !strcmp(a->name, "banner") ? &x->s->banner :
		     !strcmp(a->name, "banner_success") ? &x->s->banner_success :
		     &x->s->banner_fail;

	set_str(dst, a->vals.v[0]);
}

static void
a_bind(struct xst *x, const struct xattr *a)
{
	set_str(&x->bind, a->vals.v[0]);
	x->bind_line = a->line;
}

static void
a_v6only(struct xst *x, const struct xattr *a)
{
	int v = yes_no(x, a);

	if (v >= 0)
		x->v6only = v;
}

static void
a_groups(struct xst *x, const struct xattr *a)
{
	int v = yes_no(x, a);

	if (v == 1)
		xnote(x, a, "portier always gives a handler its user's supplementary groups");
	else if (v == 0)
		xlost(x, a, "portier gives a handler its user's supplementary groups; "
		      "xinetd gave none");
	if (v >= 0)
		x->groups = v;
}

static void
a_rlimit(struct xst *x, const struct xattr *a)
{
	bool sized = strcmp(a->name, "rlimit_cpu") != 0;
	char *v = cvv_rlimit(a->vals.v[0], sized);

	if (!v) {
		xbad(x, a, "expects %s or UNLIMITED", sized ? "a size (K and M allowed)" : "seconds");
		return;
	}
	if (!strcmp(a->name, "rlimit_rss")) {
		xlost(x, a, "portier has no rlimit_rss (Linux ignores RLIMIT_RSS)");
		free(v);
		return;
	}
	for (int i = 0; i < CV_RL_COUNT; i++) {
		if (!strcmp(a->name, cv_rlimit_names[i])) {
			free(x->s->rlimit[i]);
			x->s->rlimit[i] = v;
			return;
		}
	}
	free(v);
}

static void
a_access_times(struct xst *x, const struct xattr *a)
{
	struct cv_strv v = { 0 };

	if (!a->vals.n) {
		xbad(x, a, "expects at least one interval");
		return;
	}
	for (size_t i = 0; i < a->vals.n; i++) {
		char *w = cvv_time_window(a->vals.v[i]);

		if (!w) {
			xbad(x, a, "invalid time interval %s (hours 0-23, minutes 0-59)",
			     a->vals.v[i]);
			cv_strv_free(&v);
			return;
		}
		cv_strv_push_own(&v, w);
	}
	cv_strv_free(&x->s->access_times.v);
	x->s->access_times.v = v;
	x->s->access_times.op = CV_SET;
}

/* only_from / no_access: every value in xinetd's forms */
static void
a_addresses(struct xst *x, const struct xattr *a)
{
	bool only = !strcmp(a->name, "only_from");
	struct cv_strv vals = { 0 };

	for (size_t i = 0; i < a->vals.n; i++) {
		char *why = NULL;

		switch (cvv_address(a->vals.v[i], &vals, &why)) {
		case CVV_OK:
			break;
		case CVV_HOST:
			xlost(x, a, "%s", why);
			break;
		case CVV_LOST:
			xlost(x, a, "%s%s", why, only ? "" :
			      "; the service is now open to those clients");
			break;
		case CVV_BAD:
			xbad(x, a, "%s: %s", a->vals.v[i], why);
			free(why);
			cv_strv_free(&vals);
			return;
		}
		free(why);
	}
	if (only)
		fold_apply(&x->only_from, list_op(x, a), &vals,
			   DFLT(x, only_from));
	else
		fold_apply(&x->no_access, list_op(x, a), &vals,
			   DFLT(x, no_access));
	cv_strv_free(&vals);
}

static void
a_log_flags(struct xst *x, const struct xattr *a)
{
	static const char *const success[] = { "PID", "HOST", "USERID", "EXIT", "DURATION", NULL };
	static const char *const failure[] = { "HOST", "USERID", "ATTEMPT", NULL };
	bool ok = !strcmp(a->name, "log_on_success");
	const char *const *known = ok ? success : failure;
	struct cv_strv vals = { 0 };

	for (size_t i = 0; i < a->vals.n; i++) {
		const char *v = a->vals.v[i];
		size_t k;

		if (ok && !strcmp(v, "TRAFFIC")) {
			if (a->op != '-')
				xlost(x, a, "TRAFFIC counts a redirect's bytes; portier has no redirect");
			continue;
		}
		for (k = 0; known[k] && strcmp(known[k], v); k++)
			;
		if (!known[k]) {
			xbad(x, a, "bad %s flag %s", a->name, v);
			cv_strv_free(&vals);
			return;
		}
		cv_strv_push(&vals, v);
	}
	if (ok)
		fold_apply(&x->log_s, list_op(x, a), &vals,
			   DFLT(x, log_success));
	else
		fold_apply(&x->log_f, list_op(x, a), &vals,
			   DFLT(x, log_failure));
	cv_strv_free(&vals);
}

static void
a_env(struct xst *x, const struct xattr *a)
{
	if (a->op == '-') {
		xbad(x, a, "operator -= is not supported for env");
		return;
	}
	for (size_t i = 0; i < a->vals.n; i++) {
		if (!strchr(a->vals.v[i], '=')) {
			xbad(x, a, "%s has no '='", a->vals.v[i]);
			return;
		}
	}
	x->env.own = true;
	fold_apply(&x->env, a->op, &a->vals, NULL);
}

static void
a_passenv(struct xst *x, const struct xattr *a)
{
	fold_apply(&x->passenv, list_op(x, a), &a->vals,
		   DFLT(x, passenv));
}

static void
a_type(struct xst *x, const struct xattr *a)
{
	if (!a->vals.n) {
		xbad(x, a, "expects at least one type");
		return;
	}
	for (size_t i = 0; i < a->vals.n; i++) {
		const char *v = a->vals.v[i];

		if (!strcmp(v, "INTERNAL"))
			x->t_internal = true;
		else if (!strcmp(v, "UNLISTED"))
			x->t_unlisted = true;
		else if (!strcmp(v, "RPC"))
			x->t_rpc = true;
		else if (!strcmp(v, "SPECIAL"))
			x->t_special = true;
		else if (!strcmp(v, "TCPMUX"))
			x->t_tcpmux = true;
		else if (!strcmp(v, "TCPMUXPLUS"))
			x->t_tcpmuxplus = true;
		else
			xbad(x, a, "bad service type %s", v);
	}
}

static void
a_flag(struct xst *x, const struct xattr *a, const char *v)
{
	if (!strcmp(v, "NAMEINARGS")) {
		x->nameinargs = true;
		x->nameinargs_late = x->s->args_set;
	} else if (!strcmp(v, "IPv4")) {
		x->ipv4 = true;
	} else if (!strcmp(v, "IPv6")) {
		x->ipv6 = true;
	} else if (!strcmp(v, "KEEPALIVE")) {
		x->s->keepalive = true;
	} else if (!strcmp(v, "NODELAY")) {
		x->s->nodelay = true;
	} else if (!strcmp(v, "SENSOR")) {
		x->sensor = true;
	} else if (!strcmp(v, "DISABLE")) {
		x->s->disable = 1;
	} else if (!strcmp(v, "REUSE")) {
		xnote(x, a, "REUSE: portier sets SO_REUSEADDR on its TCP sockets, as xinetd "
		      "always does since 2.3.12");
	} else if (!strcmp(v, "NOLIBWRAP")) {
		xnote(x, a, "NOLIBWRAP: portier never consults libwrap");
	} else if (!strcmp(v, "NORETRY")) {
		xnote(x, a, "NORETRY: portier does not retry a failed fork either");
	} else if (!strcmp(v, "INTERCEPT")) {
		xlost(x, a, "INTERCEPT: portier checks access when it accepts, and has no "
		      "filter process for wait services");
	} else if (!strcmp(v, "IDONLY")) {
		xlost(x, a, "IDONLY: portier cannot refuse clients that run no identd (RFC 1413)");
	} else if (!strcmp(v, "LABELED")) {
		xlost(x, a, "LABELED: portier does not set SELinux contexts");
	} else {
		xbad(x, a, "bad service flag %s", v);
	}
}

static void
a_flags(struct xst *x, const struct xattr *a)
{
	if (!a->vals.n)
		xbad(x, a, "expects at least one flag");
	for (size_t i = 0; i < a->vals.n; i++)
		a_flag(x, a, a->vals.v[i]);
}

static void
a_redirect(struct xst *x, const struct xattr *a)
{
	set_str(&x->redirect[0], a->vals.v[0]);
	set_str(&x->redirect[1], a->vals.v[1]);
	x->redirect_line = a->line;
}

static void
a_deny_time(struct xst *x, const struct xattr *a)
{
	long v;
	const char *s = a->vals.v[0];

	if (strcmp(s, "FOREVER") && strcmp(s, "NEVER") && !cvv_int(s, 0, 1L << 30, &v))
		xbad(x, a, "expects FOREVER, NEVER or minutes");
	else
		xnote(x, a, "belongs to the SENSOR flag, which portier does not have");
}

static void
a_log_type(struct xst *x, const struct xattr *a)
{
	static const char *const fac[] = {
		"daemon", "auth", "authpriv", "user", "mail", "lpr", "news", "uucp",
		"ftp", "local0", "local1", "local2", "local3", "local4", "local5",
		"local6", "local7", NULL,
	};
	const char *type = a->vals.n ? a->vals.v[0] : "";
	size_t k;

	if (!strcmp(type, "FILE") && a->vals.n >= 2 && a->vals.n <= 4) {
		xlost(x, a, "portier logs to syslog, the journal or stderr, not to a file");
		return;
	}
	if (strcmp(type, "SYSLOG") || a->vals.n < 2 || a->vals.n > 3) {
		xbad(x, a, "expects SYSLOG facility [level] or FILE path [limits]");
		return;
	}
	for (k = 0; fac[k] && strcmp(fac[k], a->vals.v[1]); k++)
		;
	if (!fac[k]) {
		xbad(x, a, "unknown syslog facility %s", a->vals.v[1]);
		return;
	}
	if (!x->wdefs) {
		xlost(x, a, "portier logs every service alike (log and log_facility in the defaults)");
		return;
	}
	set_str(&x->s->log, "syslog");
	set_str(&x->s->log_facility, a->vals.v[1]);
	if (a->vals.n == 3 && strcmp(a->vals.v[2], "info"))
		xlost(x, a, "portier logs connections at its own levels, not all at %s",
		      a->vals.v[2]);
}

static void
a_idlist(struct xst *x, const struct xattr *a)
{
	bool en = !strcmp(a->name, "enabled");
	struct cv_strv *l = en ? &x->wdefs->enabled : &x->wdefs->disabled;

	for (size_t i = 0; i < a->vals.n; i++)
		if (!cv_strv_has(l, a->vals.v[i]))
			cv_strv_push(l, a->vals.v[i]);
	if (en)
		x->wdefs->has_enabled = true;
	xnote(x, a, "applied to the converted services (portier has no such list)");
}

static void
a_lost(struct xst *x, const struct xattr *a)
{
	if (!strcmp(a->name, "libwrap"))
		xlost(x, a, "portier does not consult libwrap (hosts.allow, hosts.deny); "
		      "carry the rules into only_from and no_access");
	else if (!strcmp(a->name, "mdns"))
		xlost(x, a, "portier does not register services with mDNS");
	else
		xlost(x, a, "RPC services need portmap registration, which portier does not do");
}

static const struct xattr_def xattr_table[] = {
	{ "socket_type", 1, false, a_socket_type },
	{ "protocol", 1, false, a_protocol },
	{ "wait", 1, false, a_wait },
	{ "user", 1, false, a_user },
	{ "group", 1, false, a_group },
	{ "server", 1, false, a_server },
	{ "server_args", -1, false, a_server_args },
	{ "instances", 1, true, a_instances },
	{ "log_on_success", -2, true, a_log_flags },
	{ "log_on_failure", -2, true, a_log_flags },
	{ "log_type", -1, true, a_log_type },
	{ "only_from", -2, true, a_addresses },
	{ "no_access", -2, true, a_addresses },
	{ "access_times", -1, false, a_access_times },
	{ "type", -1, false, a_type },
	{ "rpc_version", 1, false, a_lost },
	{ "rpc_number", 1, false, a_lost },
	{ "id", 1, false, a_id },
	{ "env", -2, false, a_env },
	{ "port", 1, false, a_port },
	{ "passenv", -2, true, a_passenv },
	{ "flags", -1, false, a_flags },
	{ "nice", 1, false, a_nice },
	{ "redirect", 2, false, a_redirect },
	{ "banner", 1, true, a_banner },
	{ "banner_success", 1, true, a_banner },
	{ "banner_fail", 1, true, a_banner },
	{ "bind", 1, true, a_bind },
	{ "interface", 1, true, a_bind },
	{ "per_source", 1, true, a_per_source },
	{ "groups", 1, true, a_groups },
	{ "cps", 2, true, a_cps },
	{ "disable", 1, false, a_disable },
	{ "max_load", 1, true, a_max_load },
	{ "rlimit_as", 1, false, a_rlimit },
	{ "rlimit_cpu", 1, false, a_rlimit },
	{ "rlimit_data", 1, false, a_rlimit },
	{ "rlimit_files", 1, false, a_rlimit },
	{ "rlimit_rss", 1, false, a_rlimit },
	{ "rlimit_stack", 1, false, a_rlimit },
	{ "v6only", 1, true, a_v6only },
	{ "deny_time", 1, false, a_deny_time },
	{ "umask", 1, true, a_umask },
	{ "libwrap", 1, false, a_lost },
	{ "mdns", 1, false, a_lost },
	{ "disabled", -2, true, a_idlist },
	{ "enabled", -2, true, a_idlist },
	{ NULL, 0, false, NULL },
};

static void
map_attr(struct xst *x, const struct xattr *a)
{
	const struct xattr_def *def;

	for (def = xattr_table; def->name && strcmp(def->name, a->name); def++)
		;
	bool defaults_only = def->name && (!strcmp(def->name, "disabled") ||
					   !strcmp(def->name, "enabled"));

	if (!def->name || (x->wdefs && !def->in_defaults) || (!x->wdefs && defaults_only)) {
		xlost(x, a, x->wdefs ? "xinetd does not take it in the defaults (it ignored it)" :
		      "no such xinetd attribute (xinetd ignored it)");
		return;
	}
	if (def->nvalues != -2) {
		if (cv_strv_has(&x->seen, a->name)) {
			xlost(x, a, "set twice: xinetd kept the first and ignored this");
			return;
		}
		if (a->op != '=') {
			xlost(x, a, "xinetd takes only '=' for %s (it ignored this line)", a->name);
			return;
		}
		cv_strv_push(&x->seen, a->name);
	}
	if (def->nvalues > 0 && a->vals.n != (size_t)def->nvalues) {
		xlost(x, a, "expects %d value%s (xinetd ignored it)", def->nvalues,
		      def->nvalues > 1 ? "s" : "");
		return;
	}
	def->fn(x, a);
}

static void
map_all(struct xst *x)
{
	for (size_t i = 0; i < x->e->n; i++)
		map_attr(x, &x->e->attrs[i]);
}

static void
xst_free(struct xst *x)
{
	cv_strv_free(&x->seen);
	cv_strv_free(&x->only_from.items);
	cv_strv_free(&x->no_access.items);
	cv_strv_free(&x->log_s.items);
	cv_strv_free(&x->log_f.items);
	cv_strv_free(&x->passenv.items);
	cv_strv_free(&x->env.items);
	free(x->redirect[0]);
	free(x->redirect[1]);
	free(x->bind);
	free(x->cannot);
}

static void
store_lists(struct xst *x)
{
	fold_result(&x->only_from, &x->s->only_from);
	fold_result(&x->no_access, &x->s->no_access);
	fold_result(&x->log_s, &x->s->log_success);
	fold_result(&x->log_f, &x->s->log_failure);
	fold_result(&x->passenv, &x->s->passenv);
	fold_result(&x->env, &x->s->env);
}

void
xattr_defaults(const struct xentry *e, struct xdefs *defs, struct diag *d)
{
	struct xst x = { .e = e, .defs = defs, .wdefs = defs, .d = d, .v6only = -1, .groups = -1 };

	x.s = cv_svc_new("defaults", e->file, e->line);
	x.s->defaults = true;
	x.only_from.own = x.no_access.own = x.log_s.own = x.log_f.own = x.passenv.own = true;
	map_all(&x);
	store_lists(&x);
	if (x.bind) {
		cv_strv_push(&x.s->bind, x.bind);
		defs->bind_set = true;
	}
	defs->v6only = x.v6only;
	defs->groups = x.groups;
	defs->cps_set = x.cps_set;
	defs->instances_set = x.s->instances != NULL;
	defs->per_source_set = x.s->per_source != NULL;
	defs->svc = x.s;
	xst_free(&x);
}

struct cv_svc *
xattr_service(const struct xentry *e, const struct xdefs *defs,
	      struct xsummary *sum, struct diag *d)
{
	struct xst x = { .e = e, .defs = defs, .d = d, .v6only = -1, .groups = -1 };

	x.s = cv_svc_new(e->name, e->file, e->line);
	for (size_t i = 0; i < e->n; i++) {
		const struct xattr *a = &e->attrs[i];

		if (!strcmp(a->name, "disable") && a->vals.n == 1 &&
		    !strcmp(a->vals.v[0], "yes"))
			x.lenient = true;
	}
	map_all(&x);
	store_lists(&x);
	xfinal_service(&x, sum);
	xst_free(&x);
	return x.s;
}
