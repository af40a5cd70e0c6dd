/* SPDX-License-Identifier: ISC */
/* portierctl check: the command line of config_verify(), and the same
 * result as one JSON document. */
#include "autoconf.h"

#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

#include "config/config.h"
#include "ctl/ctl.h"

static const struct ctl_option_help check_options[] = {
	{ "-c, --confdir DIR", "the configuration to check", PORTIER_CONFDIR },
	{ "-r, --registry FILE", "a registry file, read strictly; repeat for several",
	  CTL_REGISTRY_DEFAULT },
	{ "--json", "diagnostics, counts and every service as one JSON object", NULL },
	{ "--insecure-config", "as root, skip portierd's file ownership checks", NULL },
	{ "-h, --help", "this help", NULL },
	{ NULL, NULL, NULL },
};

const struct ctl_help ctl_check_help = {
	"check", "[-c DIR] [-r FILE]... [--json] [--insecure-config]",
	"validate the registry and the configuration as portierd would load them",
	check_options,
};

/* { ok, confdir, diagnostics, errors, warnings, services }: stdout stays
 * one document, so nothing goes to stderr; d holds what the registry search
 * said already, and files is NULL when it failed. */
static int
check_json(const char *dir, const char *const *files, size_t nfiles, bool insecure,
	   struct diag *d)
{
	struct registry *reg = NULL;
	struct config *cfg = NULL;
	struct json j;
	int rc;

	json_init(&j);
	if (files)
		cfg = config_verify_load(dir, files, nfiles, insecure, &reg, d);
	json_object_begin(&j, NULL);
	json_bool(&j, "ok", cfg != NULL);
	json_string(&j, "confdir", dir);
	json_array_begin(&j, "registries");
	for (size_t i = 0; files && i < nfiles; i++)
		json_string(&j, NULL, files[i]);
	json_array_end(&j);
	ctl_diag_json(&j, d);
	ctl_services_json(&j, cfg);
	json_object_end(&j);
	rc = ctl_json_print(&j, "check") < 0 || !cfg ? 1 : 0;
	json_free(&j);
	config_free(cfg);
	registry_free(reg);
	return rc;
}

int
ctl_check(int argc, char *argv[])
{
	static const struct option longopts[] = {
		CTL_OPTS_LONG,
		{ "insecure-config", no_argument, NULL, 'I' },
		{ NULL, 0, NULL, 0 },
	};
	const char *const *regs;
	struct ctl_opts o;
	bool insecure = false;
	int c, rc = 2;

	if (ctl_opts_begin(&o, "check", argc) < 0)
		return 1;
	while ((c = getopt_long(argc, argv, ":c:r:h", longopts, NULL)) != -1) {
		if (ctl_opts_take(&o, c))
			continue;
		if (c == 'I') {	/* long only, as portierd's */
			insecure = true;
			continue;
		}
		rc = ctl_opts_stop(&ctl_check_help, c, argv);
		goto out;
	}
	if (optind < argc) {
		ctl_usage_error(&ctl_check_help, "unexpected argument '%s'", argv[optind]);
		goto out;
	}
	if (o.json) {
		struct diag d;

		diag_init(&d);
		o.diag = &d;
		regs = ctl_opts_registries(&o);
		rc = check_json(o.dir, regs, o.nfiles, insecure, &d);
		diag_free(&d);
	} else {
		regs = ctl_opts_registries(&o);
		rc = regs ? config_verify(o.dir, regs, o.nfiles, insecure) : 1;
	}
out:
	ctl_opts_end(&o);
	return rc;
}
