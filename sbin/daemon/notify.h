/* SPDX-License-Identifier: ISC */
/* notify: tells the service manager how portierd is doing (sd_notify(3),
 * through sd.c): READY=1 once every listener is open, STATUS= with a short
 * summary kept current, RELOADING=1 and READY=1 around a reload, STOPPING=1
 * on shutdown, and WATCHDOG=1 every half of WATCHDOG_USEC. When
 * NOTIFY_SOCKET is unset (or the build has no libsystemd) every function
 * returns at once and nothing is sent. */
#ifndef PORTIER_NOTIFY_H
#define PORTIER_NOTIFY_H

struct service_table;

/* After loop_init(): reads NOTIFY_SOCKET and the watchdog interval. */
void notify_init(void);
/* READY=1 and the status of t (kept for later updates; call again with the
 * new table after a reload). Starts the watchdog timer the first time. */
void notify_ready(const struct service_table *t);
/* RELOADING=1: a reload begins; notify_ready() ends it. */
void notify_reloading(void);
/* Something the status summarises changed (a handler started or exited, a
 * service stopped or resumed listening): STATUS= is sent again, at most once
 * a second and only when its text changed. */
void notify_changed(void);
/* STOPPING=1, and no more timers. */
void notify_stopping(void);
/* Cancels the timers (shutdown, before loop_exit()). */
void notify_exit(void);

#endif
