/* SPDX-License-Identifier: ISC */
/* fuzz_inetd_wire: config_inetd_decode() on one answer of `portierctl
 * inetd-entries`, exactly the bytes given, as portierd reads them from the
 * child; an answer that decodes without the malformed error is encoded
 * again and decodes to the same chunks and diagnostics. */
#include "autoconf.h"

#include <stdlib.h>
#include <string.h>

#include "fuzz.h"

static void
same(const struct config_chunk *c, size_t n, const struct diag *d,
     const struct config_chunk *c2, size_t n2, const struct diag *d2)
{
	if (n != n2 || d->count != d2->count || d->errors != d2->errors)
		abort();
	for (size_t i = 0; i < n; i++)
		if (c[i].line != c2[i].line || c[i].line < 1 || strcmp(c[i].text, c2[i].text))
			abort();
	for (size_t i = 0; i < d->count; i++)
		if (d->items[i].level != d2->items[i].level ||
		    strcmp(d->items[i].text, d2->items[i].text))
			abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct config_chunk *c = NULL, *c2 = NULL;
	size_t n = 0, n2 = 0, len = 0;
	struct diag d, d2;
	char *buf;

	diag_init(&d);
	diag_init(&d2);
	if (config_inetd_decode((const char *)data, size, &c, &n, &d) < 0)
		abort();	/* no allocation fails here */
	buf = config_inetd_encode(c, n, &d, &len);
	if (!buf || config_inetd_decode(buf, len, &c2, &n2, &d2) < 0)
		abort();
	same(c, n, &d, c2, n2, &d2);
	free(buf);
	config_chunks_free(c, n);
	config_chunks_free(c2, n2);
	diag_free(&d);
	diag_free(&d2);
	return 0;
}
