/* SPDX-License-Identifier: ISC */
/* inetd_child: portierd's reader for inetd_compat (config.h's
 * config_inetd_fn). The converter is not linked into portierd: it runs in
 * `portierctl inetd-entries` (portierctl(8)), the portierctl installed beside
 * portierd's own executable, as nobody when portierd is root, for at most
 * INETD_CHILD_SECONDS; its answer is decoded by config_inetd_decode(). */
#ifndef PORTIER_INETD_CHILD_H
#define PORTIER_INETD_CHILD_H

#include <stddef.h>

/* Registers the reader (config_set_inetd_reader). registries: the -r files
 * the child is to load, kept (not copied); none: portierctl's defaults,
 * which are portierd's. */
void inetd_child_use(const char *const *registries, size_t n);

#endif
