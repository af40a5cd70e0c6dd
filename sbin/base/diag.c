/* SPDX-License-Identifier: ISC */
/* diag: collected diagnostics, see base.h. */
#include "autoconf.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/base.h"

void
diag_init(struct diag *d)
{
	memset(d, 0, sizeof(*d));
}

void
diag_free(struct diag *d)
{
	for (size_t i = 0; i < d->count; i++)
		free(d->items[i].text);
	free(d->items);
	diag_init(d);
}

void
diag_take(struct diag *d, enum diag_level level, char *text)
{
	if (level == DIAG_ERROR)
		d->errors++;
	if (array_reserve(&d->items, &d->alloc, d->count + 1, sizeof(*d->items)) < 0) {
		free(text);	/* out of memory while reporting: the count stays honest */
		return;
	}
	d->items[d->count].level = level;
	d->items[d->count].text = text;
	d->count++;
}

void
diag_add(struct diag *d, enum diag_level level, const char *file, int line,
	 const char *fmt, ...)
{
	char msg[1024];
	char *text;
	va_list ap;
	int n;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);

	const char *tag = level == DIAG_WARNING ? "warning: " : "";

	if (file && line > 0)
		n = asprintf(&text, "%s:%d: %s%s", file, line, tag, msg);
	else if (file)
		n = asprintf(&text, "%s: %s%s", file, tag, msg);
	else
		n = asprintf(&text, "%s%s", tag, msg);
	if (n < 0)
		text = NULL;
	diag_take(d, level, text);
}

void
diag_print(const struct diag *d, FILE *fp)
{
	for (size_t i = 0; i < d->count; i++)
		fprintf(fp, "%s\n", d->items[i].text ? d->items[i].text : "(out of memory)");
}

void
diag_move(struct diag *dst, struct diag *src)
{
	for (size_t i = 0; i < src->count; i++)
		diag_take(dst, src->items[i].level, src->items[i].text);
	free(src->items);
	diag_init(src);
}
