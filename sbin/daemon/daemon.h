/* SPDX-License-Identifier: ISC */
/* daemon: portierd's life cycle. Load the registry and the configuration,
 * bind, detach, run the event loop (signals through signalfd), and stop
 * cleanly on SIGTERM/SIGINT. */
#ifndef PORTIER_DAEMON_H
#define PORTIER_DAEMON_H

#include <stdbool.h>
#include <stddef.h>

/* Exit codes of portierd (documented in portierd.8). */
enum {
	DAEMON_EXIT_OK = 0,
	DAEMON_EXIT_FAIL = 1,	/* invalid configuration, nothing bound, already running… */
	DAEMON_EXIT_USAGE = 2,
};

struct daemon_opts {
	bool foreground;
	bool debug;
	bool strict;		/* any bind failure is fatal */
	bool insecure_config;	/* as root, accept files others could have written */
	const char *confdir;
	const char **registries;	/* none: registry_defaults(), listed at each load */
	size_t nregistries;
	const char *pidfile;	/* NULL: PORTIER_RUNDIR/portierd.pid when root and
				 * detaching, else none */
	const char *control_socket;	/* NULL: control_socket of the files; "": none */
};

/* Runs portierd; returns its exit code. */
int daemon_run(const struct daemon_opts *o);

#endif
