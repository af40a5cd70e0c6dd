/* SPDX-License-Identifier: ISC */
/* service_reload: reconcile the running services with a new configuration,
 * by mark and sweep. Sockets are matched by identity (socket type, family,
 * address, port), so a service whose address is unchanged keeps its
 * listening socket and the kernel's backlog; every new socket is bound
 * before anything old is closed, and one failure undoes them all. Records of
 * removed services live on until their last handler is gone. */
#ifndef PORTIER_SERVICE_RELOAD_H
#define PORTIER_SERVICE_RELOAD_H

struct config;
struct diag;
struct service_table;

/* Moves t from configuration old to cfg. On success returns 0 and owns old
 * (freed once no retired service points into it). On failure (a socket
 * could not be bound, out of memory) returns -1 with the reasons in errs,
 * and t and old are exactly as they were. */
int service_reload(struct service_table *t, struct config *old, const struct config *cfg,
		   struct diag *errs);
/* Shutdown: frees the retired services and their configurations. */
void service_reload_free(struct service_table *t);

#endif
