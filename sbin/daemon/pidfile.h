/* SPDX-License-Identifier: ISC */
/* pidfile: portierd's pid on disk, written atomically (temporary file, then
 * rename) so that a reader never sees a partial file. */
#ifndef PORTIER_PIDFILE_H
#define PORTIER_PIDFILE_H

#include <sys/types.h>

/* The pid of another live portierd recorded in path; 0 when the file is
 * absent, unreadable as a pid, or names a process that is gone or is not
 * a portierd (a stale file, replaced by pidfile_write). */
pid_t pidfile_check(const char *path);
/* Creates path's directory when missing and checks it (rundir.h): 0, or
 * -1 with the reason logged (portierd refuses to start). */
int pidfile_prepare(const char *path);
/* Writes our pid, after pidfile_prepare(). 0 or -1 (logged). */
int pidfile_write(const char *path);
/* Removes path if it still holds our pid. */
void pidfile_remove(const char *path);

#endif
