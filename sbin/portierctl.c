/* SPDX-License-Identifier: ISC */
/* portierctl: main() only: the subcommand table. */
#include "autoconf.h"

#include <stdio.h>
#include <string.h>

#include "config/config.h"
#include "convert/convert.h"
#include "ctl/ctl.h"

static const struct {
	int (*run)(int argc, char *argv[]);
	const struct ctl_help *help;
} commands[] = {
	{ ctl_check, &ctl_check_help },
	{ ctl_convert, &ctl_convert_help },
	{ ctl_list, &ctl_list_help },
	{ ctl_lookup, &ctl_lookup_help },
	{ ctl_show, &ctl_show_help },
	{ ctl_status, &ctl_status_help },
	{ ctl_reload, &ctl_reload_help },
	{ ctl_enable, &ctl_enable_help },
	{ ctl_disable, &ctl_disable_help },
	{ ctl_open, &ctl_open_help },
	{ ctl_close, &ctl_close_help },
	{ ctl_audit, &ctl_audit_help },
	{ ctl_inetd_entries, &ctl_inetd_entries_help },
};

#define NCOMMANDS (sizeof(commands) / sizeof(commands[0]))

static void
usage(FILE *fp)
{
	fprintf(fp, "usage: portierctl [-s PATH] COMMAND [OPTIONS]\n"
		"       portierctl COMMAND --help\n"
		"       portierctl --help | --version\n\n"
		"  -s, --socket PATH  portierd's control socket\n"
		"                     (default %s)\n\ncommands:\n",
		PORTIER_RUNDIR "/control");
	for (size_t i = 0; i < NCOMMANDS; i++)
		/* a name longer than the column gets a line of its own */
		fprintf(fp, strlen(commands[i].help->name) > 8 ? "  %s\n            %s\n"
			: "  %-8s  %s\n", commands[i].help->name, commands[i].help->summary);
	fprintf(fp, "\nThe registry (check, convert, list, lookup, show) unless -r names files:\n"
		"%s, then every *.db in\n%s, in name order (services.db(5)).\n",
		PORTIER_REGISTRY, PORTIER_REGISTRY_DIR);
	fprintf(fp, "\nExit status: 0 success, 1 negative answer, invalid configuration or refused\n"
		"request, 2 usage error, 3 portierd could not be asked (not running, no access).\n");
}

int
main(int argc, char *argv[])
{
	/* inetd_compat: check, list and audit read inetd.conf as portierd does. */
	config_set_inetd_reader(convert_inetd_config);
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
		if (!strcmp(argv[1], commands[i].help->name))
			return commands[i].run(argc - 1, argv + 1);
	fprintf(stderr, "portierctl: unknown command '%s' (try --help)\n", argv[1]);
	return 2;
}
