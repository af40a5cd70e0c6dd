/* portierctl: main() only: the subcommand table. */
#include "autoconf.h"

#include <stdio.h>
#include <string.h>

#include "ctl.h"

static const struct {
	const char *name;
	int (*run)(int argc, char *argv[]);
	const char *usage;
} commands[] = {
	{ "check", ctl_check, "check [-c DIR] [-r FILE]...      validate registry and configuration" },
	{ "convert", ctl_convert, "convert --from-xinetd PATH | --from-inetd FILE [--out DIR] [--force]\n"
	  "                                   turn an xinetd or inetd configuration into conf.d files" },
	{ "lookup", ctl_lookup, "lookup NAME|PORT|PORT/PROTO [-r FILE]...  search the registry" },
};

#define NCOMMANDS (sizeof(commands) / sizeof(commands[0]))

static void
usage(FILE *fp)
{
	fprintf(fp, "usage: portierctl COMMAND [OPTIONS]\n       portierctl --help | --version\n\ncommands:\n");
	for (size_t i = 0; i < NCOMMANDS; i++)
		fprintf(fp, "  %s\n", commands[i].usage);
	fprintf(fp, "\nExit status: 0 success, 1 negative answer or invalid configuration, 2 usage error.\n");
}

int
main(int argc, char *argv[])
{
	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		usage(stdout);
		return 0;
	}
	if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "-V")) {
		printf("portierctl %s\n", PACKAGE_VERSION);
		return 0;
	}
	for (size_t i = 0; i < NCOMMANDS; i++)
		if (!strcmp(argv[1], commands[i].name))
			return commands[i].run(argc - 1, argv + 1);
	fprintf(stderr, "portierctl: unknown command '%s' (try --help)\n", argv[1]);
	return 2;
}
