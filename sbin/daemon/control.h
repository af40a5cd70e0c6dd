/* SPDX-License-Identifier: ISC */
/* control: the control socket and its commands. A unix stream socket
 * (mode 0600) in the event loop; only root and portierd's own user may use
 * it (SO_PEERCRED). Each connection sends one request line (control_proto in
 * base.h) and reads one JSON document, then portierd closes it. Bounded:
 * the request's length, the number of clients at once, and the time a
 * client may stay idle. The commands act on the running services through
 * service_ctl.c and daemon_state.c, and reload through daemon.c's function. */
#ifndef PORTIER_CONTROL_H
#define PORTIER_CONTROL_H

struct config;
struct daemon_state;
struct diag;
struct service_table;

/* Clients served at once; more are told "busy" and closed. */
#define CONTROL_MAX_CLIENTS 8
/* A client must send its line, and read its reply, within this (ms). */
#define CONTROL_IDLE_MS 5000

/* What the commands act on: the daemon's, for its whole life. */
struct control_target {
	struct service_table *table;
	struct config **cfg;		/* the running one: a reload replaces it */
	struct daemon_state *st;
	/* Reloads the files: 0, or -1 with the errors in errs (logged). */
	int (*reload)(struct diag *errs);
};

/* Creates the socket at path (a stale one is replaced; one a live process
 * answers on is left alone) and watches it. -1 (logged) on failure. */
int control_open(const char *path, const struct control_target *target);
/* Closes every client and the socket, and removes its file. */
void control_close(void);

#endif
