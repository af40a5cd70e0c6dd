/* SPDX-License-Identifier: ISC */
/* fuzz_xinetd: the input as xinetd.conf, read as `portierctl convert
 * --from-xinetd` reads it, includes followed. A line starting with "#@"
 * (a comment to xinetd) begins the next file of a small tree:
 *
 *	xinetd.conf		the input up to the first "#@" line
 *	xinetd.d/a, xinetd.d/b	the next two parts (includedir xinetd.d)
 *	extra			the fourth part (include extra; includedir .)
 *
 * Include paths are taken from the including file's directory; an input
 * whose include or includedir names an absolute path or ".." is skipped, so
 * the converter reads only this tree (not /dev/zero or the host's files).
 * With FUZZ_ROUNDTRIP (fuzz_xinetd_roundtrip.c) a conversion without errors
 * must load. */
#include "autoconf.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fuzz.h"

static const char *const parts[] = { "xinetd.conf", "xinetd.d/a", "xinetd.d/b", "extra" };
#define NPARTS (sizeof(parts) / sizeof(parts[0]))

/* A word of the line [p, end) as cv_strv_split cuts it: blanks and tabs. */
static bool
leaves_tree(const char *p, const char *end)
{
	bool first = true, inc = false;

	while (p < end) {
		size_t len;

		while (p < end && (*p == ' ' || *p == '\t'))
			p++;
		for (len = 0; p + len < end && p[len] != ' ' && p[len] != '\t'; len++)
			;
		if (!len)
			break;
		if (first)
			inc = (len == 7 && !memcmp(p, "include", 7)) ||
			      (len == 10 && !memcmp(p, "includedir", 10));
		else if (inc && (p[0] == '/' || memmem(p, len, "..", 2)))
			return true;
		first = false;
		p += len;
	}
	return false;
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	char path[4096];

	(void)argc;
	(void)argv;
	fuzz_isolate();
	fuzz_registry();
	snprintf(path, sizeof(path), "%s/xinetd.d", fuzz_tmpdir());
	if (mkdir(path, 0755) < 0)
		abort();
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *dir = fuzz_tmpdir(), *p = (const char *)data, *end = p + size;
	const char *start = p;
	struct convert_opts o;
	struct convert_out out = { 0 };
	struct diag d;
	char path[4096];
	size_t part = 0;
	int rc;

	for (size_t i = 0; i < NPARTS; i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, parts[i]);
		unlink(path);
	}
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *eol = nl ? nl : end, *next = nl ? nl + 1 : end;
		const char *tail = eol > p && eol[-1] == '\r' ? eol - 1 : eol;

		if (leaves_tree(p, tail))
			return 0;
		if (eol - p >= 2 && p[0] == '#' && p[1] == '@' && part + 1 < NPARTS) {
			fuzz_write(dir, parts[part++], start, (size_t)(p - start));
			start = next;
		}
		p = next;
	}
	fuzz_write(dir, parts[part], start, (size_t)(end - start));

	fuzz_convert_opts(&o, CONVERT_XINETD_PREFIX);
	snprintf(path, sizeof(path), "%s/xinetd.conf", dir);
	diag_init(&d);
	rc = convert_xinetd_path(path, &o, &out, &d);
#ifdef FUZZ_ROUNDTRIP
	if (rc == 0 && d.errors == 0)
		fuzz_roundtrip(&out);
#else
	free(convert_join(&out));
#endif
	(void)rc;
	convert_out_free(&out);
	diag_free(&d);
	return 0;
}
