/* SPDX-License-Identifier: ISC */
/* process: what portierd sets up once about itself as a process, before
 * the event loop: descriptors 0-2 open, signal dispositions at their
 * defaults, and detaching from the caller. */
#ifndef PORTIER_PROCESS_H
#define PORTIER_PROCESS_H

/* Opens /dev/null on any of 0-2 that is closed; -1 (logged) on failure. */
int process_stdio_ensure(void);
/* Resets every signal inherited as ignored to its default; -1 on failure. */
int process_signals_reset(void);
/* Detaches; in the daemon, *ready_fd is the pipe to write one byte to once
 * ready. -1 (logged) when the first fork fails. */
int process_daemonize(int *ready_fd);

#endif
