/* portierctl: main() only: the subcommand table. */
#include "autoconf.h"

#include <stdio.h>
#include <string.h>

#include "ctl/ctl.h"

static const struct {
	const char *name;
	int (*run)(int argc, char *argv[]);
	const char *usage;
} commands[] = {
	{ "check", ctl_check, "check [-c DIR] [-r FILE]...      validate registry and configuration" },
	{ "convert", ctl_convert, "convert --from-xinetd PATH | --from-inetd FILE [--out DIR] [--force]\n"
	  "                                   turn an xinetd or inetd configuration into conf.d files" },
	{ "lookup", ctl_lookup, "lookup NAME|PORT|PORT/PROTO [-r FILE]...  search the registry" },
	{ "status", ctl_status, "status [--json]                  the running portierd and its services" },
	{ "reload", ctl_reload, "reload                           make portierd read its files again" },
	{ "enable", ctl_enable, "enable ID                        offer a service until the next reload" },
	{ "disable", ctl_disable, "disable ID                       close a service until the next reload" },
	{ "open", ctl_open, "open ID --for DURATION           offer a service for a while (30s, 2h, 3d)" },
	{ "close", ctl_close, "close ID                         end an open period early" },
};

#define NCOMMANDS (sizeof(commands) / sizeof(commands[0]))

static void
usage(FILE *fp)
{
	fprintf(fp, "usage: portierctl [-s PATH] COMMAND [OPTIONS]\n       portierctl --help | --version\n\n"
		"  -s, --socket PATH  portierd's control socket (default %s)\n\ncommands:\n",
		PORTIER_RUNDIR "/control");
	for (size_t i = 0; i < NCOMMANDS; i++)
		fprintf(fp, "  %s\n", commands[i].usage);
	fprintf(fp, "\nExit status: 0 success, 1 negative answer, invalid configuration or refused\n"
		"request, 2 usage error, 3 portierd could not be asked (not running, no access).\n");
}

int
main(int argc, char *argv[])
{
	if (argc >= 3 && (!strcmp(argv[1], "-s") || !strcmp(argv[1], "--socket"))) {
		ctl_set_socket(argv[2]);
		argv[2] = argv[0];
		argc -= 2;
		argv += 2;
	}
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
