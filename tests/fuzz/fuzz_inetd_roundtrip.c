/* SPDX-License-Identifier: ISC */
/* fuzz_inetd_roundtrip: fuzz_inetd, and what converts without errors must
 * load with the configuration loader. */
#define FUZZ_ROUNDTRIP 1
#include "fuzz_inetd.c"
