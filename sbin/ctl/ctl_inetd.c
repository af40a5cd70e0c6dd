/* SPDX-License-Identifier: ISC */
/* portierctl inetd-entries: the converter's side of inetd_compat in
 * portierd, which runs this command as nobody (daemon/inetd_child.c) so
 * that no converter code runs, or is even linked, in the daemon. It reads
 * the bytes of the inetd.conf from standard input (PATH only names the file
 * in messages), converts every entry with convert_inetd_config(), the
 * registry loaded from the -r files (none: the default ones, as portierd's),
 * and writes the answer to standard output as config_inetd_encode() frames
 * it (sbin/config/config_inetd_wire.c):
 *   'C' LINE ' ' TEXT NUL   one entry's conf.d service section
 *   'E' TEXT NUL            an error, "FILE:LINE: message"
 *   'W' TEXT NUL            a warning
 * A registry that cannot be loaded is the answer's errors. Exit 0 with the
 * answer; 1 when out of memory or standard input or output fail (said on
 * standard error); 2 usage error. */
#include "autoconf.h"

#include <errno.h>
#include <getopt.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "config/config.h"
#include "convert/convert.h"
#include "ctl/ctl.h"

static const struct ctl_option_help inetd_options[] = {
	CTL_HELP_REGISTRY,
	{ "-h, --help", "this help", NULL },
	{ NULL, NULL, NULL },
};

const struct ctl_help ctl_inetd_entries_help = {
	"inetd-entries", "[-r FILE]... PATH < PATH",
	"inetd_compat's converter, as portierd runs it (not for people)", inetd_options,
};

/* The registry of the -r files (or the default ones), read leniently as
 * portierd reads it; NULL with the reasons in d, which the answer carries:
 * detached, portierd has no standard error to read ours from. */
static struct registry *
load_registry(struct ctl_opts *o, struct diag *d)
{
	const char *const *files = ctl_opts_registries(o);
	struct registry *reg = files ? registry_new() : NULL;

	if (!reg) {
		if (!d->errors)	/* the default files' reasons are in d */
			diag_add(d, DIAG_ERROR, NULL, 0, "out of memory");
		return NULL;
	}
	for (size_t i = 0; i < o->nfiles; i++)
		registry_load(reg, files[i], false, d);
	if (d->errors) {
		registry_free(reg);
		reg = NULL;
	}
	return reg;
}

/* The answer for text (NULL: only what d holds), on standard output. */
static int
answer(const char *text, const char *path, const struct registry *reg, struct diag *d)
{
	struct config_chunk *c = NULL;
	size_t n = 0, len = 0;
	char *buf = NULL;
	int rc = 1;

	if (!text || convert_inetd_config(text, path, reg, &c, &n, d) == 0)
		buf = config_inetd_encode(c, n, d, &len);
	if (!buf)
		fprintf(stderr, "portierctl inetd-entries: out of memory\n");
	else if (fwrite(buf, 1, len, stdout) != len || fflush(stdout) != 0)
		perror("portierctl inetd-entries: standard output");
	else
		rc = 0;
	free(buf);
	config_chunks_free(c, n);
	return rc;
}

int
ctl_inetd_entries(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "registry", required_argument, NULL, 'r' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct registry *reg = NULL;
	struct ctl_opts o;
	char *text = NULL;
	struct diag d;
	size_t len;
	int c, rc = 1;

	if (ctl_opts_begin(&o, "inetd-entries", argc) < 0)
		return 1;
	diag_init(&d);
	o.diag = &d;
	while ((c = getopt_long(argc, argv, ":r:h", longopts, NULL)) != -1) {
		if (c != 'r' || !ctl_opts_take(&o, c)) {
			rc = ctl_opts_stop(&ctl_inetd_entries_help, c, argv);
			goto out;
		}
	}
	if (optind != argc - 1) {
		rc = ctl_usage_error(&ctl_inetd_entries_help, "one PATH expected");
		goto out;
	}
	reg = load_registry(&o, &d);
	text = reg ? ctl_read_all(STDIN_FILENO, SIZE_MAX, &len) : NULL;
	if (reg && !text)
		perror("portierctl inetd-entries: standard input");
	else
		rc = answer(text, argv[optind], reg, &d);
out:
	diag_free(&d);
	free(text);
	registry_free(reg);
	ctl_opts_end(&o);
	return rc;
}
