/* SPDX-License-Identifier: ISC */
/* fuzz_registry: registry_load() on one services.db file, strictly and not,
 * then every entry looked up again by name and by port. */
#include "autoconf.h"

#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "fuzz.h"

static int
check_entry(const struct reg_entry *e, void *arg)
{
	const struct registry *reg = arg;

	/* What the walk found, the look-ups find. */
	if (!registry_lookup_port(reg, e->port, e->proto))
		abort();
	if (!e->name || !registry_lookup_name(reg, e->name, e->proto))
		abort();
	for (const char *const *a = e->aliases; a && *a; a++)
		if (!registry_lookup_name(reg, *a, e->proto))
			abort();
	return 0;
}

static void
load(const char *path, bool strict, int times)
{
	struct registry *reg = registry_new();
	struct diag d;

	if (!reg)
		abort();
	diag_init(&d);
	for (int i = 0; i < times; i++)
		registry_load(reg, path, strict, &d);
	registry_foreach_range(reg, 0, 65535, check_entry, reg);
	registry_free(reg);
	diag_free(&d);
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int fd = -1;
	static char path[64];

	if (fd < 0) {
		if ((fd = memfd_create("services.db", MFD_CLOEXEC)) < 0)
			abort();
		snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	}
	if (ftruncate(fd, 0) < 0 || pwrite(fd, data, size, 0) != (ssize_t)size)
		abort();
	load(path, true, 1);
	/* Loaded twice: the second load redefines every name it adds. */
	load(path, false, 2);
	return 0;
}
