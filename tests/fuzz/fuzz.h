/* SPDX-License-Identifier: ISC */
/* What the libFuzzer harnesses of tests/fuzz/ share: a network the fuzzer
 * cannot reach out of, the real registry, a scratch directory, and the
 * converters' round trip. See tests/fuzz/README.md. */
#ifndef PORTIER_FUZZ_H
#define PORTIER_FUZZ_H

#include <stddef.h>
#include <stdint.h>

#include "config/config.h"
#include "convert/convert.h"

/* libFuzzer's entry points. */
int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The loader resolves host names in only_from and no_access: in a network
 * namespace of its own (a user namespace too when not root) the fuzzer's
 * names never become DNS queries. Exits when that cannot be had. */
void fuzz_isolate(void);

/* The registry the project ships (FUZZ_REGISTRY, or $PORTIER_FUZZ_REGISTRY),
 * loaded once; exits when it does not load. */
const struct registry *fuzz_registry(void);

/* A directory of this process's own, removed at exit. */
const char *fuzz_tmpdir(void);

/* Writes len bytes to dir/name (created or truncated); exits on failure. */
void fuzz_write(const char *dir, const char *name, const void *data, size_t len);

/* data as a NUL-terminated string (a NUL inside ends it, as it would in C
 * text); free() it. */
char *fuzz_string(const uint8_t *data, size_t size);

/* The converters' look-ups: a fixed table stands for the old system's
 * /etc/services, the shipped registry for portier's. */
void fuzz_convert_opts(struct convert_opts *o, const char *prefix);

/* The round trip: output a converter wrote with no error must load with the
 * configuration loader (as `portierctl convert` checks it, without host
 * checks). Aborts with the converted text and the loader's diagnostics when
 * it does not. */
void fuzz_roundtrip(const struct convert_out *out);

#endif
