/* diag: a list of diagnostics ("FILE:LINE: message") collected while loading
 * the registry or the configuration, so that every problem is reported in one
 * run and a reload can hand the whole list back to portierctl. */
#ifndef PORTIER_DIAG_H
#define PORTIER_DIAG_H

#include <stddef.h>
#include <stdio.h>

enum diag_level { DIAG_WARNING, DIAG_ERROR };

struct diag_item {
	enum diag_level level;
	char *text;		/* "FILE:LINE: message"; warnings read "FILE:LINE: warning: message" */
};

struct diag {
	struct diag_item *items;
	size_t count;
	size_t alloc;
	size_t errors;		/* items with DIAG_ERROR */
};

void diag_init(struct diag *d);
void diag_free(struct diag *d);
/* file may be NULL, line 0 means "no line". */
void diag_add(struct diag *d, enum diag_level level, const char *file,
	      int line, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
/* Writes every item's text, one per line. */
void diag_print(const struct diag *d, FILE *fp);
/* Moves all items of src to the end of dst; src is left empty. */
void diag_move(struct diag *dst, struct diag *src);

#endif
