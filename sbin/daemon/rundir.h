/* SPDX-License-Identifier: ISC */
/* rundir: the directory of a run-time file (the pidfile, the control
 * socket). Root writes these files and others trust them (portierctl talks
 * to the socket, scripts and systemd kill the pid in the file), so their
 * directory is checked as StrictModes checks conf.d before anything is
 * created in it. */
#ifndef PORTIER_RUNDIR_H
#define PORTIER_RUNDIR_H

#include <stddef.h>

/* Creates the missing directories above the file path (mode 0755), then
 * checks, one component at a time without following the last one:
 *   - every directory is owned by root (or by portierd's own user when it
 *     does not run as root);
 *   - the directory that holds the file is writable by its owner alone;
 *     one above it may be writable by others only when it is sticky (/tmp);
 *   - a symbolic link on the way is owned as a directory must be, and its
 *     target passes the same checks.
 * 0, or -1 with the reason (the path, what is wrong, the fix) in err. */
int rundir_prepare(const char *path, char *err, size_t errlen);

#endif
