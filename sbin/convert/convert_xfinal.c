/* SPDX-License-Identifier: ISC */
/* convert_xfinal: the type and flags attributes, and what xinetd decides
 * once a whole entry is read (confparse.c service_fill, fix_server_argv,
 * service_attr_check): the service type, required attributes, argv with
 * NAMEINARGS and tcpd, redirect, the address family, and xinetd's own
 * defaults. */
#include "autoconf.h"

#include <stdlib.h>
#include <string.h>

#include "convert/convert_int.h"

void
xfinal_type_attr(struct xst *x, const struct xattr *a)
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
flag_one(struct xst *x, const struct xattr *a, const char *v)
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

void
xfinal_flags_attr(struct xst *x, const struct xattr *a)
{
	if (!a->vals.n)
		xbad(x, a, "expects at least one flag");
	for (size_t i = 0; i < a->vals.n; i++)
		flag_one(x, a, a->vals.v[i]);
}

/* xinetd's internal services that report on xinetd itself */
static const char *const xinetd_own[] = { "services", "servers", "xadmin", NULL };

static void
drop_for_internal(struct cv_svc *s, char **field, const char *key)
{
	if (!*field)
		return;
	cv_note(s, "%s = %s: not used, internal services run inside portierd", key, *field);
	free(*field);
	*field = NULL;
}

static void
final_internal(struct xst *x)
{
	struct cv_svc *s = x->s;

	if (cv_in_list(xinetd_own, s->name)) {
		xcannot(x, "xinetd's internal %s service reports xinetd's own state; "
			"portier has no such service (use `portierctl status`)", s->name);
		return;
	}
	if (!cv_builtin_ok(s)) {
		xbad_entry(x, "no such internal service %s", s->name);
		return;
	}
	s->internal = true;
	drop_for_internal(s, &s->user, "user");
	drop_for_internal(s, &s->group, "group");
	drop_for_internal(s, &s->server, "server");
	if (s->args_set) {
		cv_note(s, "server_args: not used, internal services run inside portierd");
		cv_strv_free(&s->args);
		s->args_set = false;
	}
}

static void
final_type(struct xst *x)
{
	struct cv_svc *s = x->s;

	if (x->t_rpc)
		xcannot(x, "type RPC: portier does not register RPC services with the "
			"portmapper");
	else if (x->t_special)
		xcannot(x, "type SPECIAL is reserved for xinetd's own use");
	else if (x->sensor)
		xcannot(x, "flags SENSOR: xinetd answers nothing and denies the client "
			"every service for deny_time; portier has no sensor (list known "
			"offenders in no_access)");
	if (x->cannot.n)
		return;
	if (x->t_internal)
		final_internal(x);
	if (x->t_tcpmux || x->t_tcpmuxplus) {
		s->tcpmux = true;
		if (x->t_tcpmux)
			cv_lost(s, x->d, x->e->line,
				"type TCPMUX: the server itself answered \"+\" to the client; "
				"portier sends \"+Go\" (as xinetd does for TCPMUXPLUS), so the "
				"server must no longer send its own");
	}
	if (x->t_unlisted) {
		s->unlisted = true;
		if (!s->port && !s->tcpmux)
			xbad_entry(x, "type UNLISTED needs a port");
	}
}

static void
final_required(struct xst *x)
{
	struct cv_svc *s = x->s;

	if (!s->socket_type && s->protocol)
		s->socket_type = strcmp(s->protocol, "udp") ? "stream" : "dgram";
	if (!s->protocol && s->socket_type)
		s->protocol = strcmp(s->socket_type, "dgram") ? "tcp" : "udp";
	if (!s->socket_type)
		xbad_entry(x, "socket_type is missing");
	else if (s->protocol && !strcmp(s->socket_type, "dgram") != !strcmp(s->protocol, "udp"))
		/* xinetd takes the pair, then cannot open the socket */
		xbad_entry(x, "socket_type %s does not fit protocol %s", s->socket_type,
			   s->protocol);
	if (s->wait < 0)
		xbad_entry(x, "wait is missing");
	if (s->internal)
		return;
	if (!s->server && !x->redirect[0])
		xbad_entry(x, "server is missing");
	if (!s->user)
		xbad_entry(x, "user is missing");
}

/* With NAMEINARGS the first server_args word is argv[0]. portier always
 * passes the server's base name there; tcpd is replaced by the daemon it
 * would have run. */
static void
final_nameinargs(struct xst *x)
{
	struct cv_svc *s = x->s;
	char *argv0;

	if (!s->args_set) {
		xbad_entry(x, "flags NAMEINARGS needs server_args (argv[0] first)");
		return;
	}
	if (x->nameinargs_late)
		cv_lost(s, x->d, x->args_line,
			"flags NAMEINARGS comes after server_args: xinetd then starts %s "
			"with an empty argument list; converted as if NAMEINARGS came first",
			s->server);
	argv0 = s->args.v[0];
	memmove(s->args.v, s->args.v + 1, s->args.n * sizeof(char *));
	s->args.n--;
	s->args_set = s->args.n > 0;
	cv_fit_argv0(s, x->d, x->args_line, argv0);
	free(argv0);
}

static void
final_redirect(struct xst *x)
{
	struct cv_svc *s = x->s;
	const char *host = x->redirect[0], *port = x->redirect[1];

	if (s->server)
		cv_note(s, "server %s: not used by xinetd, redirect takes priority", s->server);
	free(s->server);
	cv_strv_free(&s->args);
	s->server = cv_strdup("/usr/bin/socat");
	cv_strv_push(&s->args, "-");
	if (strchr(host, ':'))
		cv_strv_push_own(&s->args, cv_printf("TCP:[%s]:%s", host, port));
	else
		cv_strv_push_own(&s->args, cv_printf("TCP:%s:%s", host, port));
	s->args_set = true;
	cv_lost(s, x->d, x->redirect_line,
		"redirect = %s %s: portier has no redirect; converted to a socat handler "
		"that relays to %s port %s (install socat; it resolves the name at "
		"each connection, xinetd did once at start)", host, port, host, port);
}

/* bind, flags IPv4/IPv6 and v6only to portier's bind list (empty: every
 * address of both families, which is xinetd's dual-stack default). */
static void
final_bind(struct xst *x)
{
	struct cv_svc *s = x->s;
	int v6only = x->v6only >= 0 ? x->v6only : x->defs->v6only;

	if (x->bind) {
		cv_strv_push(&s->bind, x->bind);
		if (!cvv_is_address(x->bind))
			cv_lost(s, x->d, x->bind_line,
				"bind = %s: a host name; xinetd bound the first address it "
				"resolved to at start (IPv%c); give portier that address",
				x->bind, x->ipv4 && !x->ipv6 ? '4' : '6');
		return;
	}
	if (x->defs->bind_set)
		return;
	if (x->defs->bind_host) {
		cv_strv_push(&s->bind, x->defs->bind_host);
		return;
	}
	if (x->ipv4 && !x->ipv6) {
		cv_strv_push(&s->bind, "0.0.0.0");
		cv_note(s, "bind 0.0.0.0: flags IPv4 (xinetd listened on IPv4 only)");
	} else if (v6only == 1) {
		cv_strv_push(&s->bind, "::");
		cv_note(s, "bind ::: v6only = yes (xinetd listened on IPv6 only)");
	}
}

static void
final_defaults(struct xst *x, struct xsummary *sum)
{
	struct cv_svc *s = x->s;

	if (s->internal)
		return;
	/* xinetd's default is no limit; portier's are instances 50, per_source 10 */
	if ((!s->instances && !x->defs->instances_set) ||
	    (!s->per_source && !x->defs->per_source_set))
		sum->unlimited++;
	if (x->groups < 0 && x->defs->groups != 1)
		sum->no_groups++;
}

/* portier takes a variable once per env list and not also in passenv;
 * xinetd let a later env entry replace an earlier one and env override
 * what passenv passed. */
static void
final_env(struct xst *x)
{
	struct cv_svc *s = x->s;
	struct cv_strv keep = { 0 };

	for (size_t i = 0; i < s->env.v.n; i++) {
		const char *e = s->env.v.v[i];
		size_t len = strcspn(e, "=");
		bool later = false;

		for (size_t j = i + 1; j < s->env.v.n && !later; j++)
			later = !strncmp(s->env.v.v[j], e, len + 1);
		if (later) {
			cv_note(s, "env %s: replaced by a later value, as in xinetd", e);
			continue;
		}
		cv_strv_push(&keep, e);
		for (size_t j = 0; j < s->passenv.v.n; j++) {
			if (strlen(s->passenv.v.v[j]) == len &&
			    !strncmp(s->passenv.v.v[j], e, len)) {
				char *name = cv_strdup(s->passenv.v.v[j]);

				cv_note(s, "passenv %s: env sets it, which wins in xinetd too", name);
				cv_strv_remove(&s->passenv.v, name);
				free(name);
				break;
			}
		}
	}
	cv_strv_free(&s->env.v);
	s->env.v = keep;
}

/* The list a service ends up with: its own, the defaults', or both. */
static void
effective(struct cv_strv *out, const struct cv_list *own, const struct cv_list *dflt)
{
	if (own->op != CV_SET && dflt)
		cv_strv_copy(out, &dflt->v);
	if (own->op != CV_NONE)
		cv_strv_copy(out, &own->v);
}

/* When both lists match a client, xinetd lets the more specific rule
 * decide; portier refuses whatever no_access matches. */
static void
final_precedence(struct xst *x)
{
	struct cv_svc *s = x->s;
	const struct cv_svc *def = x->defs->svc;
	struct cv_strv only = { 0 }, deny = { 0 };

	effective(&only, &s->only_from, def ? &def->only_from : NULL);
	effective(&deny, &s->no_access, def ? &def->no_access : NULL);
	for (size_t i = 0; i < only.n; i++)
		for (size_t j = 0; j < deny.n; j++)
			if (cvv_narrower(only.v[i], deny.v[j]))
				cv_lost(s, x->d, x->e->line,
					"only_from %s lies inside no_access %s: xinetd admitted "
					"those clients (the narrower rule wins), portier refuses "
					"them (no_access always wins)", only.v[i], deny.v[j]);
	cv_strv_free(&only);
	cv_strv_free(&deny);
}

void
xfinal_service(struct xst *x, struct xsummary *sum)
{
	struct cv_svc *s = x->s;

	final_type(x);
	if (!x->cannot.n) {
		final_required(x);
		if (x->redirect[0] && !s->internal)
			final_redirect(x);
		else if (x->nameinargs && s->server && !s->internal)
			final_nameinargs(x);
		final_bind(x);
		cv_fit_wait(s, x->d, "xinetd");
		final_env(x);
		final_precedence(x);
		if (!(x->rejected && x->lenient))
			final_defaults(x, sum);
	}
	if (x->cannot.n) {
		s->commented = true;
		for (size_t i = 0; i < x->cannot.n; i++)
			cv_lost(s, x->d, x->e->line, "%s", x->cannot.v[i]);
	}
	if (x->rejected && x->lenient && !s->commented) {
		/* xinetd never read it; portier would refuse it even disabled */
		s->commented = true;
		cv_note(s, "kept as comments: disabled, and xinetd would reject it as written");
	}
	if (x->failed && s->disable != 1) {
		s->disable = 1;
		cv_note(s, "disable = yes: xinetd does not run this entry as written");
	}
}
