/* SPDX-License-Identifier: ISC */
/* config_verify: what `portierctl check` and `portierd --check` do: load the
 * registry (strictly) and the configuration as portierd would, print every
 * problem, each enabled service resolved, and a one-line summary. */
#include "autoconf.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "config/config.h"

#define EXPIRY_NOTICE	(7 * 24 * 3600)	/* warn a week ahead */

static void
check_expiry(const struct config *cfg, struct diag *d)
{
	time_t now = time(NULL);

	for (size_t i = 0; i < cfg->count; i++) {
		const struct service *s = &cfg->services[i];
		char when[64];

		if (s->disabled || !s->expires || s->expires - now > EXPIRY_NOTICE)
			continue;
		text_date(s->expires, true, when, sizeof(when));
		if (s->expires <= now)
			diag_add(d, DIAG_WARNING, s->file, s->line,
				 "service '%s' expired on %s: portierd will not offer it",
				 config_quote_id(s->id), when);
		else
			diag_add(d, DIAG_WARNING, s->file, s->line,
				 "service '%s' expires on %s, in %lld hours", config_quote_id(s->id), when,
				 (long long)(s->expires - now) / 3600);
	}
}

static int
check_print(const struct config *cfg)
{
	for (size_t i = 0; i < cfg->count; i++) {
		const struct service *s = &cfg->services[i];
		int n = config_describe(s, NULL, 0);
		char *line;

		if (s->disabled)
			continue;
		line = malloc((size_t)n + 1);
		if (!line) {
			fprintf(stderr, "portierctl check: out of memory\n");
			return -1;
		}
		config_describe(s, line, (size_t)n + 1);
		/* A conf.d service is found by its id; an inetd_compat entry
		 * is in another file, named here. */
		if (cfg->settings.inetd_compat && !strcmp(s->file, cfg->settings.inetd_conf))
			printf("%s (%s:%d)\n", line, s->file, s->line);
		else
			printf("%s\n", line);
		free(line);
	}
	return 0;
}

/* StrictModes under portierd's conditions (as root, unless insecure) and
 * on the same paths (the real path of dir), so that the check fails with
 * the daemon's own words where the daemon would refuse to run. */
static void
check_secure(const char *dir, const char *const *files, size_t nfiles, bool insecure,
	     struct diag *d)
{
	char err[PATH_MAX + 256], *real;

	if (geteuid() != 0 || insecure)
		return;
	real = realpath(dir, NULL);
	if (!real)
		return;		/* the loader says why it cannot be read */
	if (access_secure_config(real, files, nfiles, err, sizeof(err)) < 0)
		diag_add(d, DIAG_ERROR, NULL, 0, "%s; portierd would refuse to run", err);
	free(real);
}

struct config *
config_verify_load(const char *dir, const char *const *files, size_t nfiles, bool insecure,
		   struct registry **regp, struct diag *d)
{
	struct config *cfg;

	check_secure(dir, files, nfiles, insecure, d);
	*regp = registry_new();
	if (!*regp) {
		diag_add(d, DIAG_ERROR, NULL, 0, "out of memory");
		return NULL;
	}
	for (size_t i = 0; i < nfiles; i++)
		registry_load(*regp, files[i], true, d);
	cfg = config_load(dir, *regp, geteuid() == 0 && !insecure ? CONFIG_SECURE : 0, d);
	if (cfg) {
		check_expiry(cfg, d);
		config_check_cleartext(cfg, d);
	}
	if (cfg && d->errors) {		/* the registry's, or StrictModes' */
		config_free(cfg);
		cfg = NULL;
	}
	return cfg;
}

int
config_verify(const char *dir, const char *const *files, size_t nfiles, bool insecure)
{
	struct registry *reg;
	struct config *cfg;
	struct diag d;
	size_t enabled = 0;
	int rc = 1;

	diag_init(&d);
	cfg = config_verify_load(dir, files, nfiles, insecure, &reg, &d);
	diag_print(&d, stderr);
	if (cfg && check_print(cfg) == 0)
		rc = 0;
	for (size_t i = 0; cfg && i < cfg->count; i++)
		enabled += !cfg->services[i].disabled;
	/* One line that says how it went, after everything else (also when
	 * both go to one file). */
	fflush(stdout);
	fprintf(stderr, "portierctl check: ");
	if (cfg)
		fprintf(stderr, "%zu service%s (%zu enabled), ", cfg->count,
			cfg->count == 1 ? "" : "s", enabled);
	fprintf(stderr, "%zu error%s, %zu warning%s%s\n", d.errors, d.errors == 1 ? "" : "s",
		d.count - d.errors, d.count - d.errors == 1 ? "" : "s",
		cfg ? "" : ": the configuration is not valid");
	config_free(cfg);
	registry_free(reg);
	diag_free(&d);
	return rc;
}
