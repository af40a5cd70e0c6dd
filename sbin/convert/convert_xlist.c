/* SPDX-License-Identifier: ISC */
/* convert_xlist: xinetd's list attributes (only_from, no_access,
 * log_on_success, log_on_failure, env, passenv, access_times, and the
 * defaults' enabled and disabled), folded over their =, += and -= lines. */
#include "autoconf.h"

#include <stdlib.h>
#include <string.h>

#include "config/config.h"
#include "convert/convert_int.h"

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

void
xlist_store(struct fold *f, struct cv_list *l)
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
		fold_apply(&x->only_from, list_op(x, a), &vals,
			   DFLT(x, only_from));
	else
		fold_apply(&x->no_access, list_op(x, a), &vals,
			   DFLT(x, no_access));
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
	x->env.own = true;
	fold_apply(&x->env, a->op, &vals, NULL);
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
	fold_apply(&x->passenv, list_op(x, a), &vals,
		   DFLT(x, passenv));
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
