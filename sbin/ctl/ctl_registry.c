/* SPDX-License-Identifier: ISC */
/* ctl_registry: the registry files of the commands that read it (check,
 * convert, list, lookup, show, audit): those -r named, else the default search order
 * of config/ (registry_defaults()), the one portierd reads. */
#include "autoconf.h"

#include <stdio.h>

#include "config/config.h"
#include "ctl/ctl.h"

const char *const *
ctl_registries(const char *cmd, const char **files, size_t *n, char ***owned,
	       struct diag *into)
{
	struct diag d;

	*owned = NULL;
	if (*n)
		return files;
	diag_init(&d);
	*owned = registry_defaults(&d);
	if (into)
		diag_move(into, &d);
	for (size_t i = 0; i < d.count; i++)
		fprintf(stderr, "portierctl %s: %s\n", cmd,
			d.items[i].text ? d.items[i].text : "out of memory");
	diag_free(&d);
	*n = strv_len(*owned);
	return (const char *const *)*owned;
}
