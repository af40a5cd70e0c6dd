/* SPDX-License-Identifier: ISC */
/* nofile: the descriptor budget. Every listening socket holds a descriptor
 * for as long as its service listens, so a configuration can need more than
 * RLIMIT_NOFILE allows; this is known before the first socket is opened. */
#ifndef PORTIER_NOFILE_H
#define PORTIER_NOFILE_H

#include <stddef.h>

/* Descriptors kept free for portierd's own use beyond its listening sockets:
 * the control socket's clients, the notify socket, the pidfile while it is
 * written, a connection on its way to a handler, a handler's pidfd, internal
 * connections. When they run out at run time, accept pauses (service.c). */
#define NOFILE_RESERVE 32

/* Makes room for `sockets` new descriptors beside those open now and the
 * reserve, raising the soft RLIMIT_NOFILE up to the hard one when needed.
 * 0, or -1 with one line in err: what is needed, what the limit allows,
 * and what to raise. */
int nofile_room(size_t sockets, char *err, size_t errlen);

#endif
