/* SPDX-License-Identifier: ISC */
/* convert_xlist: xinetd's list attributes (only_from, no_access,
 * log_on_success, log_on_failure, env, passenv, access_times, and the
 * defaults' enabled and disabled), folded over their =, += and -= lines. */
#include "autoconf.h"

#include <stdlib.h>
#include <string.h>

#include "config/config.h"
#include "convert/convert_int.h"

/* A list attribute's line folded into the service's list l. Until a line
 * replaces it, a service's list starts from the defaults' (xinetd copies it
 * into the service first), which portier writes as `+=`. The defaults' list
 * is their own, and there '=' adds to what earlier lines gave (xinetd). */
static void
fold(const struct xst *x, struct cv_list *l, char op, const struct cv_strv *vals,
     const struct cv_strv *dflt)
{
	if (x->wdefs) {
		l->op = CV_SET;
		op = op == '=' ? '+' : op;
	}
	if (op == '=') {
		l->op = CV_SET;
		cv_strv_free(&l->v);
	} else if (op == '-' && l->op != CV_SET) {
		struct cv_strv all = { 0 };

		if (dflt)
			cv_strv_copy(&all, dflt);
		cv_strv_copy(&all, &l->v);
		cv_strv_free(&l->v);
		l->v = all;
		l->op = CV_SET;
	}
	for (size_t i = 0; i < vals->n; i++) {
		if (op == '-')
			cv_strv_remove(&l->v, vals->v[i]);
		else if (!cv_strv_has(&l->v, vals->v[i]))
			cv_strv_push(&l->v, vals->v[i]);
	}
	/* += lines alone that leave it empty add nothing */
	if (l->op != CV_SET)
		l->op = l->v.n ? CV_ADD : CV_NONE;
}

/* The defaults' value of a list, which a service's `-=` starts from */
#define DFLT(x, field) ((x)->wdefs || !(x)->defs->svc ? NULL : &(x)->defs->svc->field.v)

void
xlist_access_times(struct xst *x, const struct xattr *a)
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
void
xlist_addresses(struct xst *x, const struct xattr *a)
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
		fold(x, &x->s->only_from, a->op, &vals, DFLT(x, only_from));
	else
		fold(x, &x->s->no_access, a->op, &vals, DFLT(x, no_access));
	cv_strv_free(&vals);
}

void
xlist_log_flags(struct xst *x, const struct xattr *a)
{
	static const char *const success[] = { "PID", "HOST", "USERID", "EXIT", "DURATION", NULL };
	static const char *const failure[] = { "HOST", "USERID", "ATTEMPT", NULL };
	bool ok = !strcmp(a->name, "log_on_success");
	const char *const *known = ok ? success : failure;
	struct cv_strv vals = { 0 };

	for (size_t i = 0; i < a->vals.n; i++) {
		const char *v = a->vals.v[i];

		if (ok && !strcmp(v, "TRAFFIC")) {
			if (a->op != '-')
				xlost(x, a, "TRAFFIC counts a redirect's bytes; portier has no redirect");
			continue;
		}
		if (!cv_in_list(known, v)) {
			xbad(x, a, "bad %s flag %s", a->name, v);
			cv_strv_free(&vals);
			return;
		}
		cv_strv_push(&vals, v);
	}
	if (ok)
		fold(x, &x->s->log_success, a->op, &vals, DFLT(x, log_success));
	else
		fold(x, &x->s->log_failure, a->op, &vals, DFLT(x, log_failure));
	cv_strv_free(&vals);
}

/* xinetd takes any word as a variable name (env: before the '='); portier
 * takes what a shell can expand, and the loader refuses the rest. Those
 * are left out with a warning, so that the output loads. */
static void
env_names(struct xst *x, const struct xattr *a, bool env, struct cv_strv *keep)
{
	for (size_t i = 0; i < a->vals.n; i++) {
		const char *v = a->vals.v[i], *eq = env ? strchr(v, '=') : NULL;

		if (cval_env_name(v, eq ? (size_t)(eq - v) : strlen(v)))
			cv_strv_push(keep, v);
		else
			xlost(x, a, "%.*s is not a variable name portier takes "
			      "(letters, digits and '_', not first a digit); left out",
			      (int)(eq ? eq - v : (int)strlen(v)), v);
	}
}

void
xlist_env(struct xst *x, const struct xattr *a)
{
	if (a->op == '-') {
		xbad(x, a, "operator -= is not supported for env");
		return;
	}
	struct cv_strv vals = { 0 };

	for (size_t i = 0; i < a->vals.n; i++) {
		if (!strchr(a->vals.v[i], '=')) {
			xbad(x, a, "%s has no '='", a->vals.v[i]);
			return;
		}
	}
	env_names(x, a, true, &vals);
	x->s->env.op = CV_SET;
	fold(x, &x->s->env, a->op, &vals, NULL);
	cv_strv_free(&vals);
}

void
xlist_passenv(struct xst *x, const struct xattr *a)
{
	struct cv_strv vals = { 0 };

	if (a->op == '-')
		cv_strv_copy(&vals, &a->vals);
	else
		env_names(x, a, false, &vals);
	fold(x, &x->s->passenv, a->op, &vals, DFLT(x, passenv));
	cv_strv_free(&vals);
}

void
xlist_idlist(struct xst *x, const struct xattr *a)
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
