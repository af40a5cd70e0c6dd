/* internal: the daemon's side of `type = internal` services. service.c
 * admits a connection as for any service, then hands it here; this module
 * counts it as an instance of its service, logs it like a handler, and
 * gives it to builtin.c (echo, discard, daytime, chargen, time) or tcpmux.c.
 * A tcpmux request for a named service comes back through service_admit()
 * and service_dispatch() of that service. */
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
/* A TCP connection admitted for an internal service; takes c->fd (sets it
 * to -1). */
void internal_dispatch(struct service_rt *rt, struct conn *c);
/* The UDP socket of an internal service is readable. */
void internal_udp_ready(struct service_rt *rt, struct listener *l);
/* Shutdown: closes every internal connection and pending tcpmux request. */
void internal_shutdown(void);

#endif
