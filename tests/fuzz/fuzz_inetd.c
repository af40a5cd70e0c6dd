/* SPDX-License-Identifier: ISC */
/* fuzz_inetd: the input as inetd.conf, read from a file as `portierctl
 * convert --from-inetd` reads it. With FUZZ_ROUNDTRIP (fuzz_inetd_roundtrip.c)
 * a conversion without errors must load. */
#include "autoconf.h"

#include <stdio.h>
#include <stdlib.h>

#include "fuzz.h"

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_isolate();
	fuzz_registry();
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
#endif
	(void)rc;
	convert_out_free(&out);
	diag_free(&d);
	return 0;
}
