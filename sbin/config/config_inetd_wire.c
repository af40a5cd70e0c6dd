/* SPDX-License-Identifier: ISC */
/* config_inetd_wire: the answer of `portierctl inetd-entries`, the converter
 * that portierd runs in a child for inetd_compat (config.h), both ends of it.
 * The answer is a sequence of records, each one type octet, its text, and a
 * NUL (the texts never hold one):
 *   'C' LINE ' ' TEXT   a chunk: the entry's line (decimal, 1 to INT_MAX)
 *                       and its conf.d service section
 *   'E' TEXT            an error, as its whole "FILE:LINE: message" text
 *   'W' TEXT            a warning, likewise ("FILE:LINE: warning: ...")
 * Pure functions of their input: no I/O, so the decoder is tested with
 * plain bytes and trusts none of them (the child runs as nobody). */
#include "autoconf.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/config.h"

void
config_chunks_free(struct config_chunk *c, size_t n)
{
	for (size_t i = 0; c && i < n; i++)
		free(c[i].text);
	free(c);
}

char *
config_inetd_encode(const struct config_chunk *c, size_t n, const struct diag *d,
		    size_t *len)
{
	char *buf = NULL;
	FILE *f = open_memstream(&buf, len);

	if (!f)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		fprintf(f, "C%d %s", c[i].line, c[i].text);
		fputc('\0', f);
	}
	for (size_t i = 0; i < d->count; i++) {
		fprintf(f, "%c%s", d->items[i].level == DIAG_ERROR ? 'E' : 'W',
			d->items[i].text ? d->items[i].text : "(out of memory)");
		fputc('\0', f);
	}
	if (ferror(f)) {
		fclose(f);
		free(buf);
		return NULL;
	}
	if (fclose(f) != 0) {
		free(buf);
		return NULL;
	}
	return buf;
}

/* The line of a chunk record's body "LINE TEXT", its text in *text; 0 when
 * the body is not that. */
static int
chunk_line(const char *body, const char **text)
{
	size_t digits = strspn(body, "0123456789");
	long line;

	if (!digits || digits > 10 || body[digits] != ' ' || body[0] == '0')
		return 0;
	errno = 0;
	line = strtol(body, NULL, 10);
	if (errno || line > INT_MAX)
		return 0;
	*text = body + digits + 1;
	return (int)line;
}

/* One record, rec[0] its type, its NUL at end. 0, 1 when malformed, -1
 * when out of memory. */
static int
take_record(const char *rec, struct config_chunk **c, size_t *n, size_t *alloc,
	    struct diag *got)
{
	const char *text = NULL;
	char *copy;
	int line = 0;

	switch (rec[0]) {
	case 'E':
	case 'W':
		copy = strdup(rec + 1);
		if (!copy)
			return -1;
		diag_take(got, rec[0] == 'E' ? DIAG_ERROR : DIAG_WARNING, copy);
		return 0;
	case 'C':
		line = chunk_line(rec + 1, &text);
		if (!line)
			return 1;
		if (array_reserve(c, alloc, *n + 1, sizeof(**c)) < 0)
			return -1;
		(*c)[*n].line = line;
		(*c)[*n].text = strdup(text);
		if (!(*c)[*n].text)
			return -1;
		(*n)++;
		return 0;
	default:
		return 1;
	}
}

int
config_inetd_decode(const char *buf, size_t len, struct config_chunk **out, size_t *n,
		    struct diag *d)
{
	const char *p = buf, *end = buf + len;
	struct config_chunk *c = NULL;
	size_t nc = 0, alloc = 0;
	struct diag got;
	int rc = 0;

	*out = NULL;
	*n = 0;
	diag_init(&got);
	while (p < end && rc == 0) {
		const char *nul = memchr(p, '\0', (size_t)(end - p));

		rc = nul && nul > p ? take_record(p, &c, &nc, &alloc, &got) : 1;
		p = nul ? nul + 1 : end;
	}
	if (rc != 0) {
		config_chunks_free(c, nc);
		diag_free(&got);
		if (rc > 0)
			diag_add(d, DIAG_ERROR, NULL, 0,
				 "inetd_conf: the converter's answer is malformed");
		return rc > 0 ? 0 : -1;
	}
	diag_move(d, &got);
	*out = c;
	*n = nc;
	return 0;
}
