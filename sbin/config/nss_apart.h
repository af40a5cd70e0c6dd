/* nss_apart: user and group look-ups (NSS) in a child process. NSS modules
 * stay loaded for good once used (on Debian, libnss_systemd and its libm:
 * about 550 KiB of the daemon's 4 MiB), and they keep what they allocate; in
 * a child that exits, the daemon carries none of it. */
#ifndef PORTIER_NSS_APART_H
#define PORTIER_NSS_APART_H

#include <stddef.h>

/* Runs lookup(arg, out) in a forked child and copies the size bytes it wrote
 * to out back through a pipe. -1 when that could not be done (no fork, the
 * child died): the caller then looks up itself. */
int nss_apart(void (*lookup)(const void *arg, void *out), const void *arg, void *out,
	      size_t size);

#endif
