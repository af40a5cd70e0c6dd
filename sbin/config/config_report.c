/* SPDX-License-Identifier: ISC */
/* config_report: the one way the loader reports a problem with a section
 * or one of its options, "FILE:LINE: service 'x': message", at the line
 * where the option was written (or inherited from), else at the section's
 * brace; and how a diagnostic quotes what a file says. It calls nothing of
 * the module: every other file calls it. */
#include "autoconf.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

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

/* A file may hold anything: a symbolic link to a secret file puts its first
 * line where a diagnostic quotes a token, and diagnostics go to the log and
 * to portierctl. So a token shows at most max bytes, and only printable
 * ASCII. */
const char *
config_quote(const char *s, size_t max, char *buf, size_t len)
{
	size_t n = 0;

	if (!len)
		return "";
	if (!s)
		s = "(null)";
	for (; s[n] && n < max && n + 1 < len; n++)
		buf[n] = s[n] >= ' ' && s[n] < 0x7f ? s[n] : '?';
	buf[n] = '\0';
	if (s[n] && len > 4) {
		if (n > len - 4)
			n = len - 4;
		memcpy(buf + n, "...", 4);
	}
	return buf;
}
