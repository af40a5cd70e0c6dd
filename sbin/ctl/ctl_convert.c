/* SPDX-License-Identifier: ISC */
/* portierctl convert: xinetd or inetd.conf configuration to conf.d files
 * (convert.c does the text), written to a directory or standard output,
 * then loaded as portierctl check loads a configuration. */
#include "autoconf.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config/config.h"
#include "convert/convert.h"
#include "ctl/ctl.h"

static const struct ctl_option_help convert_options[] = {
	{ "--from-xinetd PATH", "xinetd.conf, a file of service entries, or a directory", NULL },
	{ "--from-inetd FILE", "an inetd.conf", NULL },
	{ "--out DIR", "write one file per service into DIR", "standard output" },
	{ "--force", "replace files that exist in DIR", NULL },
	{ "--prefix P", "before every file name and service id; '' for none",
	  "xinetd- or inetd-" },
	{ "--no-host-checks", "skip the checks of this host's users and files", NULL },
	CTL_HELP_REGISTRY,
	{ "-h, --help", "this help", NULL },
	{ NULL, NULL, NULL },
};

const struct ctl_help ctl_convert_help = {
	"convert", "--from-xinetd PATH | --from-inetd FILE\n"
	"[--out DIR] [--force] [--prefix P] [--no-host-checks]\n[-r FILE]...",
	"turn an xinetd or inetd configuration into conf.d files", convert_options,
};
#define STDOUT_NAME "(standard output)"

/* tcpd and libwrap read these; portier does not */
static const char *const hosts_files[] = { "/etc/hosts.allow", "/etc/hosts.deny" };

struct convert_args {
	const char *xinetd;
	const char *inetd;
	const char *out;
	const char *prefix;	/* NULL: the converter's own */
	bool force;
	unsigned config_flags;
	const char *const *registries;
	size_t nregistries;
};

static void
note_hosts_access(struct diag *d)
{
	for (size_t i = 0; i < sizeof(hosts_files) / sizeof(hosts_files[0]); i++) {
		int n = convert_hosts_rules(hosts_files[i]);

		if (n > 0)
			diag_add(d, DIAG_WARNING, hosts_files[i], 0,
				 "%d rule%s: xinetd (built with libwrap), tcpd and inetd -l "
				 "applied them; portier does not: carry them into only_from and "
				 "no_access", n, n == 1 ? "" : "s");
		else if (n < 0)
			diag_add(d, DIAG_WARNING, hosts_files[i], 0,
				 "cannot be read: %s; if it has rules, portier does not apply them",
				 strerror(errno));
	}
}

/* convert_write's messages, each as one of this command's lines */
static int
write_all(const char *dir, const struct convert_out *out, bool force)
{
	struct diag d;
	int rc;

	diag_init(&d);
	rc = convert_write(dir, out, force, &d);
	for (size_t i = 0; i < d.count; i++)
		fprintf(stderr, "portierctl convert: %s\n", d.items[i].text);
	diag_free(&d);
	return rc;
}

/* Loads what was written, as portierctl check would. */
static size_t
validate(const struct convert_args *a, const struct registry *reg, const char *text)
{
	struct config *cfg;
	struct diag d;
	size_t errors;

	diag_init(&d);
	if (a->out)
		cfg = config_load(a->out, reg, a->config_flags, &d);
	else
		cfg = config_load_buffer(text, STDOUT_NAME, reg, a->config_flags, &d);
	diag_print(&d, stderr);
	errors = d.errors;
	if (errors)
		fprintf(stderr, "portierctl convert: the result does not load: %zu error%s\n",
			errors, errors == 1 ? "" : "s");
	else
		fprintf(stderr, "portierctl convert: the result loads: %zu service%s\n",
			cfg->count, cfg->count == 1 ? "" : "s");
	config_free(cfg);
	diag_free(&d);
	return errors;
}

static int
convert_run(const struct convert_args *a)
{
	struct registry *reg = registry_new();
	struct convert_opts o = { convert_system_port, convert_registry_port, reg, a->prefix };
	struct convert_out out = { 0 };
	struct diag d;
	char *text = NULL;
	int rc = 1, conv;

	if (!reg) {
		fprintf(stderr, "portierctl convert: out of memory\n");
		return 1;
	}
	diag_init(&d);
	for (size_t i = 0; i < a->nregistries; i++)
		registry_load(reg, a->registries[i], true, &d);
	if (!o.prefix)
		o.prefix = a->xinetd ? CONVERT_XINETD_PREFIX : CONVERT_INETD_PREFIX;
	if (a->xinetd)
		conv = convert_xinetd_path(a->xinetd, &o, &out, &d);
	else
		conv = convert_inetd_path(a->inetd, &o, &out, &d);
	note_hosts_access(&d);
	diag_print(&d, stderr);
	fprintf(stderr, "portierctl convert: %zu service%s converted, %zu kept as comments "
		"only; %zu warning%s, %zu error%s\n", out.live, out.live == 1 ? "" : "s",
		out.commented, d.count - d.errors, d.count - d.errors == 1 ? "" : "s",
		d.errors, d.errors == 1 ? "" : "s");
	text = convert_join(&out);
	if (a->out) {
		if (write_all(a->out, &out, a->force) < 0)
			goto done;
	} else if (fputs(text, stdout) == EOF || fflush(stdout) == EOF) {
		fprintf(stderr, "portierctl convert: standard output: %s\n", strerror(errno));
		goto done;
	}
	if (validate(a, reg, text) == 0 && conv == 0 && d.errors == 0)
		rc = 0;
done:
	free(text);
	convert_out_free(&out);
	registry_free(reg);
	diag_free(&d);
	return rc;
}

static int
usage_error(const char *what, const char *arg)
{
	return ctl_usage_error(&ctl_convert_help, "%s%s", what, arg);
}

int
ctl_convert(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "from-xinetd", required_argument, NULL, 'x' },
		{ "from-inetd", required_argument, NULL, 'i' },
		{ "out", required_argument, NULL, 'o' },
		{ "force", no_argument, NULL, 'f' },
		{ "prefix", required_argument, NULL, 'p' },
		{ "no-host-checks", no_argument, NULL, 'n' },
		{ "registry", required_argument, NULL, 'r' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct convert_args a = { 0 };
	struct ctl_opts o;
	int c, rc;

	if (ctl_opts_begin(&o, "convert", argc) < 0)
		return 1;
	while ((c = getopt_long(argc, argv, ":r:h", longopts, NULL)) != -1) {
		if (ctl_opts_take(&o, c))
			continue;
		switch (c) {
		case 'x': a.xinetd = optarg; break;
		case 'i': a.inetd = optarg; break;
		case 'o': a.out = optarg; break;
		case 'f': a.force = true; break;
		case 'p': a.prefix = optarg; break;
		case 'n': a.config_flags |= CONFIG_NO_FS_CHECKS; break;
		case 'h':
			ctl_help(&ctl_convert_help, stdout);
			ctl_opts_end(&o);
			return 0;
		case ':':
			rc = usage_error("an argument is missing after ", argv[optind - 1]);
			goto out;
		default:
			rc = usage_error("unknown option ", argv[optind - 1]);
			goto out;
		}
	}
	if (optind < argc) {
		rc = usage_error("unexpected argument ", argv[optind]);
		goto out;
	}
	if (!a.xinetd == !a.inetd) {
		rc = usage_error("give one of --from-xinetd and --from-inetd", "");
		goto out;
	}
	if (a.prefix && !convert_prefix_valid(a.prefix)) {
		rc = usage_error("--prefix takes letters, digits and . _ + - @ "
				 "(not a leading dot): ", a.prefix);
		goto out;
	}
	if (a.force && !a.out) {
		rc = usage_error("--force needs --out", "");
		goto out;
	}
	a.registries = ctl_opts_registries(&o);
	a.nregistries = o.nfiles;
	rc = a.registries ? convert_run(&a) : 1;
out:
	ctl_opts_end(&o);
	return rc;
}
