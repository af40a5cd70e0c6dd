/* SPDX-License-Identifier: ISC */
/* portierd: main() only: the command line, then daemon_run(). */
#include "autoconf.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/config.h"
#include "daemon/daemon.h"
#include "daemon/inetd_child.h"
#include "base/base.h"

/* -r may be given this many times. */
#define MAX_REGISTRIES 32

static void
usage(FILE *fp)
{
	fprintf(fp,
		"usage: portierd [-f|--foreground] [-c DIR] [-r FILE]... [-p PIDFILE]\n"
		"                [-d|--debug] [--strict] [--insecure-config] [--check]\n"
		"                [--control-socket PATH]\n"
		"                [--help] [--version]\n"
		"\n"
		"  -f, --foreground   stay attached, log to stderr (the journal when stderr\n"
		"                     is the journal's), no pidfile unless -p\n"
		"  -c, --confdir DIR  service files (default %s)\n"
		"  -r, --registry FILE  port registry, repeatable; by default\n"
		"                     %s, then every *.db\n"
		"                     in %s, in name order\n"
		"  -p, --pidfile FILE pidfile (default %s when root and detaching)\n"
		"  -d, --debug        log debug messages\n"
		"      --strict       exit when any address cannot be bound\n"
		"      --insecure-config  as root, accept configuration and registry files\n"
		"                     that others own or may write (labs only)\n"
		"      --control-socket PATH  socket for portierctl (\"\": none; default:\n"
		"                     control_socket in the files, else\n"
		"                     %s)\n"
		"      --check        validate registry and configuration, then exit\n"
		"                     (as portierctl check)\n"
		"      --version      the version and the features built in (systemd, journal)\n"
		"\n"
		"Exit status: 0 stopped by SIGTERM/SIGINT or check passed, 1 failure, 2 usage error.\n",
		PORTIER_CONFDIR, PORTIER_REGISTRY, PORTIER_REGISTRY_DIR,
		PORTIER_RUNDIR "/portierd.pid",
		PORTIER_RUNDIR "/control");
}

/* --check: the registry files that -r named, else the default ones. */
static int
check_files(const struct daemon_opts *o)
{
	char **defaults;
	struct diag d;
	int rc;

	if (o->nregistries)
		return config_verify(o->confdir, o->registries, o->nregistries,
				     o->insecure_config);
	diag_init(&d);
	defaults = registry_defaults(&d);
	diag_print(&d, stderr);
	diag_free(&d);
	if (!defaults)
		return DAEMON_EXIT_FAIL;
	rc = config_verify(o->confdir, (const char *const *)defaults, strv_len(defaults),
			   o->insecure_config);
	strv_free(defaults);
	return rc;
}

int
main(int argc, char *argv[])
{
	enum { OPT_STRICT = 256, OPT_INSECURE, OPT_CHECK, OPT_HELP, OPT_VERSION, OPT_CONTROL };
	static const struct option longopts[] = {
		{ "foreground", no_argument, NULL, 'f' },
		{ "confdir", required_argument, NULL, 'c' },
		{ "registry", required_argument, NULL, 'r' },
		{ "pidfile", required_argument, NULL, 'p' },
		{ "debug", no_argument, NULL, 'd' },
		{ "strict", no_argument, NULL, OPT_STRICT },
		{ "insecure-config", no_argument, NULL, OPT_INSECURE },
		{ "check", no_argument, NULL, OPT_CHECK },
		{ "control-socket", required_argument, NULL, OPT_CONTROL },
		{ "help", no_argument, NULL, OPT_HELP },
		{ "version", no_argument, NULL, OPT_VERSION },
		{ NULL, 0, NULL, 0 },
	};
	const char *registries[MAX_REGISTRIES];
	struct daemon_opts o = { .confdir = PORTIER_CONFDIR, .registries = registries };
	bool check = false;
	int c;

	while ((c = getopt_long(argc, argv, "fc:r:p:dh", longopts, NULL)) != -1) {
		switch (c) {
		case 'f':
			o.foreground = true;
			break;
		case 'c':
			o.confdir = optarg;
			break;
		case 'r':
			if (o.nregistries == MAX_REGISTRIES) {
				fprintf(stderr, "portierd: at most %d -r options\n", MAX_REGISTRIES);
				return DAEMON_EXIT_USAGE;
			}
			registries[o.nregistries++] = optarg;
			break;
		case 'p':
			o.pidfile = optarg;
			break;
		case 'd':
			o.debug = true;
			break;
		case OPT_STRICT:
			o.strict = true;
			break;
		case OPT_INSECURE:
			o.insecure_config = true;
			break;
		case OPT_CHECK:
			check = true;
			break;
		case OPT_CONTROL:
			o.control_socket = optarg;
			break;
		case 'h':
		case OPT_HELP:
			usage(stdout);
			return DAEMON_EXIT_OK;
		case OPT_VERSION:
			printf("portierd %s\nfeatures: %s\n", PACKAGE_VERSION, sd_features());
			return DAEMON_EXIT_OK;
		default:
			usage(stderr);
			return DAEMON_EXIT_USAGE;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "portierd: unexpected argument '%s'\n", argv[optind]);
		usage(stderr);
		return DAEMON_EXIT_USAGE;
	}
	/* inetd_compat: inetd.conf's entries from portierctl in a child, which
	 * reads the registry files this portierd reads. */
	inetd_child_use(o.registries, o.nregistries);
	if (check)
		return check_files(&o);
	return daemon_run(&o);
}
