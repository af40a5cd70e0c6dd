/* SPDX-License-Identifier: ISC */
/* internal: the daemon's side of `type = internal` services. service.c
 * admits a connection as for any service, then hands it here; this module
 * counts it as an instance of its service, logs it like a handler, and
 * gives it to builtin.c (echo, discard, daytime, chargen, time) or tcpmux.c.
 * A tcpmux request for a named service passes that service's admission
 * (admit_check) and goes back through the dispatch function service.c
 * handed in: this module sits below service.c and never calls it. */
#ifndef PORTIER_INTERNAL_H
#define PORTIER_INTERNAL_H

#include <stdbool.h>

struct conn;
struct listener;
struct service;
struct service_rt;
struct service_table;

/* Whether svc names an internal service this build serves. */
bool internal_servable(const struct service *svc);
/* After every table is built: tcpmux's name index points into it. */
int internal_table(struct service_table *t);
/* The service that tcpmux serves under name (any case) now, or NULL: one
 * name has one service at a time, portierctl enable included. */
const struct service *internal_tcpmux_serving(const char *name);
/* Serves an admitted connection of a service: service.c's
 * service_dispatch(). */
typedef void internal_dispatch_fn(struct service_rt *rt, struct conn *c);

/* A TCP connection admitted for an internal service; takes c->fd (sets it
 * to -1). A tcpmux request matched to a named service is served by
 * dispatch. */
void internal_dispatch(struct service_rt *rt, struct conn *c, internal_dispatch_fn *dispatch);
/* The UDP socket of an internal service is readable. */
void internal_udp_ready(struct service_rt *rt, struct listener *l);
/* Shutdown: closes every internal connection and pending tcpmux request. */
void internal_shutdown(void);

#endif
