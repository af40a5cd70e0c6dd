/* SPDX-License-Identifier: ISC */
/* fuzz_inetd: the input as inetd.conf, read from a file as `portierctl
 * convert --from-inetd` reads it, then as inetd_compat reads it at every
 * load of portierd (a conf.d whose defaults name it: the entries converted
 * again, relocated to their lines, each left out on its own errors). With
 * FUZZ_ROUNDTRIP (fuzz_inetd_roundtrip.c) a conversion without errors must
 * load, and inetd_compat is left to fuzz_inetd. */
#include "autoconf.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

#include "fuzz.h"

#ifndef FUZZ_ROUNDTRIP
static char compat_dir[4096];

/* conf.d with a defaults section that turns inetd_compat on for the
 * harness's inetd.conf */
static void
compat_init(void)
{
	char text[PATH_MAX + 128], abs[PATH_MAX];
	int n;

	/* inetd_conf is an absolute path; TMPDIR may be relative */
	if (!realpath(fuzz_tmpdir(), abs))
		abort();
	snprintf(compat_dir, sizeof(compat_dir), "%s/conf.d", abs);
	if (mkdir(compat_dir, 0755) < 0)
		abort();
	n = snprintf(text, sizeof(text), "defaults {\n\tinetd_compat = yes\n"
		     "\tinetd_conf = \"%s/inetd.conf\"\n}\n", abs);
	fuzz_write(compat_dir, "00-defaults.conf", text, (size_t)n);
	config_set_inetd_reader(convert_inetd_config);
}

static void
compat_load(void)
{
	struct config *cfg;
	struct diag d;

	diag_init(&d);
	cfg = config_load(compat_dir, fuzz_registry(), CONFIG_NO_FS_CHECKS, &d);
	config_free(cfg);
	diag_free(&d);
}
#endif

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_isolate();
	fuzz_registry();
#ifndef FUZZ_ROUNDTRIP
	compat_init();
#endif
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *dir = fuzz_tmpdir();
	struct convert_opts o;
	struct convert_out out = { 0 };
	struct diag d;
	char path[4096];
	int rc;

	fuzz_convert_opts(&o, CONVERT_INETD_PREFIX);
	fuzz_write(dir, "inetd.conf", data, size);
	snprintf(path, sizeof(path), "%s/inetd.conf", dir);
	diag_init(&d);
	rc = convert_inetd_path(path, &o, &out, &d);
#ifdef FUZZ_ROUNDTRIP
	if (rc == 0 && d.errors == 0)
		fuzz_roundtrip(&out);
#else
	free(convert_join(&out));
	compat_load();
#endif
	(void)rc;
	convert_out_free(&out);
	diag_free(&d);
	return 0;
}
