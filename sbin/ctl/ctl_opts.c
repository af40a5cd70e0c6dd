/* SPDX-License-Identifier: ISC */
/* ctl_opts: the option plumbing that the commands reading files share
 * (check, list, lookup, show, convert, audit): -c DIR, -r FILE in order,
 * --json, and the registries -r names or the default ones. Each command
 * keeps its own getopt loop, help and messages. */
#include "autoconf.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include "config/config.h"
#include "ctl/ctl.h"

int
ctl_opts_begin(struct ctl_opts *o, const char *cmd, int argc)
{
	*o = (struct ctl_opts){ .cmd = cmd, .dir = PORTIER_CONFDIR };
	/* every argument could be a -r */
	o->files = calloc((size_t)argc + 1, sizeof(*o->files));
	if (!o->files) {
		fprintf(stderr, "portierctl %s: out of memory\n", cmd);
		return -1;
	}
	optind = 0;	/* GNU getopt: start afresh, argv[0] is the command */
	opterr = 0;
	return 0;
}

bool
ctl_opts_take(struct ctl_opts *o, int c)
{
	switch (c) {
	case 'c':
		o->dir = optarg;
		return true;
	case 'r':
		o->files[o->nfiles++] = optarg;
		return true;
	case 'j':
		o->json = true;
		return true;
	default:
		return false;
	}
}

int
ctl_opts_stop(const struct ctl_help *h, int c, char *argv[])
{
	if (c == 'h') {
		ctl_help(h, stdout);
		return 0;
	}
	if (c == ':')
		return ctl_usage_error(h, "%s needs an argument", argv[optind - 1]);
	return ctl_usage_error(h, "unknown option '%s'", argv[optind - 1]);
}

int
ctl_opts_parse(struct ctl_opts *o, const struct ctl_help *h, int argc, char *argv[])
{
	static const struct option longopts[] = {
		CTL_OPTS_LONG,
		{ NULL, 0, NULL, 0 },
	};
	int c;

	while ((c = getopt_long(argc, argv, ":c:r:h", longopts, NULL)) != -1)
		if (!ctl_opts_take(o, c))
			return ctl_opts_stop(h, c, argv);
	return -1;
}

const char *const *
ctl_opts_registries(struct ctl_opts *o)
{
	return ctl_registries(o->cmd, o->files, &o->nfiles, &o->defaults, o->diag);
}

void
ctl_opts_end(struct ctl_opts *o)
{
	strv_free(o->defaults);
	free(o->files);
	o->defaults = NULL;
	o->files = NULL;
}
