/* SPDX-License-Identifier: ISC */
/* fuzz_config: one conf.d file through config_load(), the loader portierd
 * runs (the file read as it is, NUL bytes and all), with the shipped
 * registry, without host checks; a configuration that loads is described
 * and looked up service by service. A file with a NUL byte is not text:
 * it must not load as if the bytes after the NUL were not there. */
#include "autoconf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_isolate();
	fuzz_registry();
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *dir = fuzz_tmpdir();
	struct config *cfg;
	struct diag d;
	char line[512];

	fuzz_write(dir, "fuzz.conf", data, size);
	diag_init(&d);
	cfg = config_load(dir, fuzz_registry(), CONFIG_NO_FS_CHECKS, &d);
	for (size_t i = 0; cfg && i < cfg->count; i++) {
		const struct service *s = &cfg->services[i];

		config_describe(s, line, sizeof(line));
		if (config_find(cfg, s->id) != s)
			abort();
	}
	if (cfg && memchr(data, '\0', size)) {
		fprintf(stderr, "fuzz: a conf.d file with a NUL byte loaded without an error\n");
		abort();
	}
	config_free(cfg);
	diag_free(&d);
	return 0;
}
