/* SPDX-License-Identifier: ISC */
/* fuzz_xinetd_roundtrip: fuzz_xinetd, and what converts without errors must
 * load with the configuration loader. */
#define FUZZ_ROUNDTRIP 1
#include "fuzz_xinetd.c"
