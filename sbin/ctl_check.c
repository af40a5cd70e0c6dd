/* portierctl check: load the registry (strictly) and the configuration as
 * portierd would, print every problem, and each enabled service resolved. */
#include "autoconf.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "config.h"
#include "ctl.h"
#include "registry.h"

#define CHECK_USAGE "usage: portierctl check [-c DIR] [-r FILE]...\n"
#define EXPIRY_NOTICE	(7 * 24 * 3600)	/* warn a week ahead */

static void
check_expiry(const struct config *cfg, struct diag *d)
{
	time_t now = time(NULL);

	for (size_t i = 0; i < cfg->count; i++) {
		const struct service *s = &cfg->services[i];
		char when[64];
		struct tm tm;

		if (s->disabled || !s->expires || s->expires - now > EXPIRY_NOTICE)
			continue;
		if (!localtime_r(&s->expires, &tm) ||
		    !strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S %z", &tm))
			snprintf(when, sizeof(when), "%lld", (long long)s->expires);
		if (s->expires <= now)
			diag_add(d, DIAG_WARNING, s->file, s->line,
				 "service '%s' expired on %s: portierd will not offer it", s->id, when);
		else
			diag_add(d, DIAG_WARNING, s->file, s->line,
				 "service '%s' expires on %s, in %lld hours", s->id, when,
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
		printf("%s\n", line);
		free(line);
	}
	return 0;
}

static int
check_run(const char *dir, const char **files, size_t nfiles)
{
	struct registry *reg = registry_new();
	struct config *cfg = NULL;
	struct diag d;
	int rc = 1;

	if (!reg) {
		fprintf(stderr, "portierctl check: out of memory\n");
		return 1;
	}
	diag_init(&d);
	for (size_t i = 0; i < nfiles; i++)
		registry_load(reg, files[i], true, &d);
	cfg = config_load(dir, reg, 0, &d);
	if (cfg)
		check_expiry(cfg, &d);
	diag_print(&d, stderr);
	if (cfg && !d.errors && check_print(cfg) == 0)
		rc = 0;
	if (d.errors)
		fprintf(stderr, "portierctl check: %zu error%s\n", d.errors,
			d.errors == 1 ? "" : "s");
	config_free(cfg);
	registry_free(reg);
	diag_free(&d);
	return rc;
}

int
ctl_check(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "confdir", required_argument, NULL, 'c' },
		{ "registry", required_argument, NULL, 'r' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char **files = calloc((size_t)argc + 1, sizeof(*files));
	const char *dir = PORTIER_CONFDIR;
	size_t nfiles = 0;
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
	rc = check_run(dir, files, nfiles);
out:
	free(files);
	return rc;
}
