/* config_report: the one way the loader reports a problem with a section
 * or one of its options, "FILE:LINE: service 'x': message", at the line
 * where the option was written (or inherited from), else at the section's
 * brace. It calls nothing of the module: every other file calls it. */
#include "autoconf.h"

#include <stdarg.h>
#include <stdio.h>

#include "config/config_int.h"

void
config_report(struct loader *ld, struct build *b, enum opt_id id, enum diag_level lvl,
	      const char *fmt, ...)
{
	const struct origin *o = id < O_COUNT && b->at[id].file ? &b->at[id] : &b->sec_at;
	char msg[768];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	diag_add(ld->d, lvl, o->file, o->line, "%s: %s", b->what, msg);
	if (lvl == DIAG_ERROR)
		b->bad = true;
}
