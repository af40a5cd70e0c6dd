/* SPDX-License-Identifier: ISC */
/* convert_xreport: the comment lines, warnings and errors about one xinetd
 * attribute or entry, "FILE:LINE: ..." with the attribute as written. Below
 * its callers (convert_xattr.c, convert_xlist.c, convert_xfinal.c), calling
 * only convert.c. */
#include "autoconf.h"

#include <stdarg.h>
#include <stdlib.h>

#include "convert/convert_int.h"

/* "attr op values" as written */
static char *
attr_text(const struct xattr *a)
{
	char *vals = cv_strv_join(&a->vals, " ");
	char *t = cv_printf("%s %s%s%s", a->name,
			    a->op == '=' ? "=" : a->op == '+' ? "+=" : "-=",
			    a->vals.n ? " " : "", vals);

	free(vals);
	return t;
}

/* "attr op values: why" */
static char *
attr_why(const struct xattr *a, const char *fmt, va_list ap)
{
	char *t = attr_text(a), *why = cv_vprintf(fmt, ap);
	char *text = cv_printf("%s: %s", t, why);

	free(t);
	free(why);
	return text;
}

/* The attribute has no portier counterpart: comment and warning. */
void
xlost(struct xst *x, const struct xattr *a, const char *fmt, ...)
{
	va_list ap;
	char *text;

	va_start(ap, fmt);
	text = attr_why(a, fmt, ap);
	va_end(ap);
	cv_lost(x->s, x->d, a->line, "%s", text);
	free(text);
}

/* Informational comment: nothing is lost. */
void
xnote(struct xst *x, const struct xattr *a, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	cv_strv_push_own(&x->s->notes, attr_why(a, fmt, ap));
	va_end(ap);
}

/* xinetd rejects the value: it disables the service (or, in the defaults,
 * refuses to start). */
void
xbad(struct xst *x, const struct xattr *a, const char *fmt, ...)
{
	char *t = attr_text(a), *why;
	va_list ap;

	va_start(ap, fmt);
	why = cv_vprintf(fmt, ap);
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
	why = cv_vprintf(fmt, ap);
	va_end(ap);
	diag_add(x->d, x->lenient ? DIAG_WARNING : DIAG_ERROR, x->e->file, x->e->line,
		 "service %s: %s%s", x->s->name, why,
		 x->lenient ? " (the entry is disabled; kept as comments)" :
		 " (xinetd does not start it)");
	cv_note(x->s, "xinetd rejects this entry: %s", why);
	x->failed = true;
	x->rejected = true;
	free(why);
}

/* A reason portier cannot run the service at all; an entry may have
 * several (socket_type = raw and protocol = sctp), each is said. */
void
xcannot(struct xst *x, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	cv_strv_push_own(&x->cannot, cv_vprintf(fmt, ap));
	va_end(ap);
}
