/* SPDX-License-Identifier: ISC */
/* check_run.h: how every tests/check_<module>.c ends its main(): run the
 * suite, free it, and turn the number of failed tests into the exit status
 * automake's harness reads. */
#ifndef PORTIER_CHECK_RUN_H
#define PORTIER_CHECK_RUN_H

#include <check.h>
#include <stdlib.h>

static inline int
check_run(Suite *s)
{
	SRunner *sr = srunner_create(s);
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}

#endif
