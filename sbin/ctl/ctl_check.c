/* portierctl check: the command line of config_verify(). */
#include "autoconf.h"

#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

#include "config/config.h"
#include "ctl/ctl.h"

#define CHECK_USAGE "usage: portierctl check [-c DIR] [-r FILE]... [--insecure-config]\n"
int
ctl_check(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "confdir", required_argument, NULL, 'c' },
		{ "registry", required_argument, NULL, 'r' },
		{ "help", no_argument, NULL, 'h' },
		{ "insecure-config", no_argument, NULL, 'I' },
		{ NULL, 0, NULL, 0 },
	};
	const char **files = calloc((size_t)argc + 1, sizeof(*files));
	const char *dir = PORTIER_CONFDIR;
	size_t nfiles = 0;
	bool insecure = false;
	int c, rc = 2;

	if (!files) {
		fprintf(stderr, "portierctl check: out of memory\n");
		return 1;
	}
	optind = 0;	/* GNU getopt: start afresh, argv[0] is "check" */
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":c:r:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'c':
			dir = optarg;
			break;
		case 'r':
			files[nfiles++] = optarg;
			break;
		case 'I':	/* long only, as portierd's */
			insecure = true;
			break;
		case 'h':
			fputs(CHECK_USAGE, stdout);
			rc = 0;
			goto out;
		case ':':
			fprintf(stderr, "portierctl check: %s needs an argument\n" CHECK_USAGE,
				argv[optind - 1]);
			goto out;
		default:
			fprintf(stderr, "portierctl check: unknown option '%s'\n" CHECK_USAGE,
				argv[optind - 1]);
			goto out;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "portierctl check: unexpected argument '%s'\n" CHECK_USAGE,
			argv[optind]);
		goto out;
	}
	if (!nfiles)
		files[nfiles++] = PORTIER_REGISTRY;
	rc = config_verify(dir, files, nfiles, insecure);
out:
	free(files);
	return rc;
}
