/* SPDX-License-Identifier: ISC */
/* fuzz_tcpmux: the RFC 1078 request parser fed as a socket would feed it,
 * in pieces (the first byte sets their size); what it says it used and the
 * name it returns are checked against its contract (builtin.h). */
#include "autoconf.h"

#include <stdlib.h>
#include <string.h>

#include "builtin/builtin.h"
#include "fuzz.h"

static void
check_name(const struct tcpmux_req *r)
{
	size_t len = strlen(r->line);

	if (len == 0 || len != r->len || len >= BUILTIN_TCPMUX_LINE)
		abort();
	for (size_t i = 0; i < len; i++)
		if ((unsigned char)r->line[i] < 0x20 || r->line[i] == 0x7f)
			abort();
	(void)builtin_tcpmux_is_help(r->line);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tcpmux_req r;
	size_t piece, used, total = 0;
	enum tcpmux_parse st = TCPMUX_MORE;

	if (size == 0)
		return 0;
	piece = (size_t)(data[0] % 16) + 1;
	data++;
	size--;
	builtin_tcpmux_init(&r);
	while (st == TCPMUX_MORE && size > 0) {
		size_t n = size < piece ? size : piece;

		st = builtin_tcpmux_feed(&r, (const char *)data, n, &used);
		if (used > n || (st == TCPMUX_MORE && used != n))
			abort();
		total += used;
		data += used;
		size -= used;
	}
	if (total > BUILTIN_TCPMUX_LINE)
		abort();
	if (st == TCPMUX_LINE)
		check_name(&r);
	return 0;
}
