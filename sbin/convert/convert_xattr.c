/* SPDX-License-Identifier: ISC */
/* convert_xattr: every attribute of xinetd.conf(5), as xinetd 2.3.15 reads
 * it (parse.c, parsers.c, confparse.c), mapped to the portier option with
 * the same meaning, or kept as a comment and named in a warning. */
#include "autoconf.h"

#include <stdlib.h>
#include <string.h>

#include "config/config.h"
#include "convert/convert_int.h"

struct xattr_def {
	const char *name;
	int nvalues;		/* > 0 exactly, -1 any, -2 any and += -= allowed */
	bool in_defaults;
	void (*fn)(struct xst *x, const struct xattr *a);
};

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
		xcannot(x, "socket_type %s: portier serves stream and dgram sockets only", v);
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
		xcannot(x, "protocol %s: portier serves tcp and udp only", v);
}

/* wait, disable and v6only: yes or no into dst */
static void
set_yes_no(struct xst *x, const struct xattr *a, int *dst)
{
	int v = yes_no(x, a);

	if (v >= 0)
		*dst = v;
}

static void
a_wait(struct xst *x, const struct xattr *a)
{
	set_yes_no(x, a, &x->s->wait);
}

static void
a_disable(struct xst *x, const struct xattr *a)
{
	set_yes_no(x, a, &x->s->disable);
}

static void
a_v6only(struct xst *x, const struct xattr *a)
{
	set_yes_no(x, a, &x->v6only);
}

/* user and group: xinetd looks the name up when it reads the entry; one
 * with a slash can exist on no system (and portier refuses it). */
static void
set_account(struct xst *x, const struct xattr *a, char **dst)
{
	if (strchr(a->vals.v[0], '/'))
		xbad(x, a, "no %s can be named %s", a->name, a->vals.v[0]);
	else
		set_str(dst, a->vals.v[0]);
}

static void
a_user(struct xst *x, const struct xattr *a)
{
	set_account(x, a, &x->s->user);
}

static void
a_group(struct xst *x, const struct xattr *a)
{
	set_account(x, a, &x->s->group);
}

static void
a_server(struct xst *x, const struct xattr *a)
{
	set_str(&x->s->server, a->vals.v[0]);
}

static void
a_id(struct xst *x, const struct xattr *a)
{
	set_str(&x->s->xid, a->vals.v[0]);
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

/* instances and per_source: a count into dst */
static void
set_count(struct xst *x, const struct xattr *a, char **dst)
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
	set_count(x, a, &x->s->instances);
}

static void
a_per_source(struct xst *x, const struct xattr *a)
{
	set_count(x, a, &x->s->per_source);
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

	if (a->vals.v[0][0] != '/') {
		/* the loader refuses it; xinetd opened it from its working
		 * directory at each connection */
		xlost(x, a, "not an absolute path, which portier requires; left out");
		return;
	}
	set_str(dst, a->vals.v[0]);
}

static void
a_bind(struct xst *x, const struct xattr *a)
{
	set_str(&x->bind, a->vals.v[0]);
	x->bind_line = a->line;
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
	rlim_t r;

	if (!v) {
		xbad(x, a, "expects %s or UNLIMITED", sized ? "a size (K and M allowed)" : "seconds");
		return;
	}
	if (strcmp(v, "unlimited") && (cval_rlimit(v, false, &r) < 0 || r == 0)) {
		/* xinetd set it (a 0 stack or CPU time: the server died at
		 * once); the loader refuses it */
		xlost(x, a, "portier takes a limit of at least 1; left out");
		free(v);
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

	if (!strcmp(type, "FILE") && a->vals.n >= 2 && a->vals.n <= 4) {
		xlost(x, a, "portier logs to syslog, the journal or stderr, not to a file");
		return;
	}
	if (strcmp(type, "SYSLOG") || a->vals.n < 2 || a->vals.n > 3) {
		xbad(x, a, "expects SYSLOG facility [level] or FILE path [limits]");
		return;
	}
	if (!cv_in_list(fac, a->vals.v[1])) {
		xbad(x, a, "unknown syslog facility %s", a->vals.v[1]);
		return;
	}
	if (!x->wdefs) {
		xlost(x, a, "portier logs every service alike (log and log_facility in the defaults)");
		return;
	}
	/* Only the facility: where portierd logs (syslog, the journal, stderr
	 * in the foreground) stays its own choice. */
	set_str(&x->s->log_facility, a->vals.v[1]);
	if (a->vals.n == 3 && strcmp(a->vals.v[2], "info"))
		xlost(x, a, "portier logs connections at its own levels, not all at %s",
		      a->vals.v[2]);
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
	{ "log_on_success", -2, true, xlist_log_flags },
	{ "log_on_failure", -2, true, xlist_log_flags },
	{ "log_type", -1, true, a_log_type },
	{ "only_from", -2, true, xlist_addresses },
	{ "no_access", -2, true, xlist_addresses },
	{ "access_times", -1, false, xlist_access_times },
	{ "type", -1, false, xfinal_type_attr },
	{ "rpc_version", 1, false, a_lost },
	{ "rpc_number", 1, false, a_lost },
	{ "id", 1, false, a_id },
	{ "env", -2, false, xlist_env },
	{ "port", 1, false, a_port },
	{ "passenv", -2, true, xlist_passenv },
	{ "flags", -1, false, xfinal_flags_attr },
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
	{ "disabled", -2, true, xlist_idlist },
	{ "enabled", -2, true, xlist_idlist },
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
		/* interface is xinetd's other name for bind: one attribute */
		const char *attr = def->fn == a_bind ? "bind" : def->name;

		if (cv_strv_has(&x->seen, attr)) {
			xlost(x, a, "set twice: xinetd kept the first and ignored this");
			return;
		}
		if (a->op != '=') {
			xlost(x, a, "xinetd takes only '=' for %s (it ignored this line)", a->name);
			return;
		}
		cv_strv_push(&x->seen, attr);
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
	free(x->redirect[0]);
	free(x->redirect[1]);
	free(x->bind);
	cv_strv_free(&x->cannot);
}

void
xattr_defaults(const struct xentry *e, struct xdefs *defs, struct diag *d)
{
	struct xst x = { .e = e, .defs = defs, .wdefs = defs, .d = d, .v6only = -1, .groups = -1 };

	x.s = cv_svc_new("defaults", e->file, e->line);
	x.s->defaults = true;
	map_all(&x);
	if (x.bind && !cvv_is_address(x.bind)) {
		/* Not in the defaults: each service that takes it is kept as
		 * comments (final_bind), none binds every address instead. */
		cv_lost(x.s, d, x.bind_line, "bind = %s: a host name; xinetd bound "
			"the address it resolved to at start, portier binds addresses only: "
			"every service without its own bind is kept as comments (give portier "
			"the address)", x.bind);
		defs->bind_host = cv_strdup(x.bind);
	} else if (x.bind) {
		cv_strv_push(&x.s->bind, x.bind);
		defs->bind_set = true;
	}
	defs->v6only = x.v6only;
	defs->groups = x.groups;
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
	xfinal_service(&x, sum);
	xst_free(&x);
	return x.s;
}
