/* SPDX-License-Identifier: ISC */
/* service_addrs: the sockets of a UDP service with bind_each_address = yes,
 * one per local address of the families its bind names (both when it has
 * none), instead of one wildcard socket. A wait-mode handler that answers
 * with sendto() on its socket then answers from the address the request
 * was sent to, on a host with several addresses. The addresses are the
 * host's (getifaddrs) when asked: at bind time, after a reload, after
 * `portierctl enable`, and whenever the host's addresses change. Link-local
 * IPv6 addresses are bound too, with their interface (the scope id). */
#ifndef PORTIER_SERVICE_ADDRS_H
#define PORTIER_SERVICE_ADDRS_H

#include <stdbool.h>
#include <stddef.h>

struct listener;
struct service;
struct service_rt;
struct service_table;

/* Reconciles rt's sockets with the host's addresses now: a socket for
 * each address that has none (watched at once when rt is), the socket of
 * an address that is gone closed; each logged once, like a failure to
 * bind an address, which is tried again at the next refresh. Nothing for
 * a service without bind_each_address, not listening (disabled, expired,
 * reached through tcpmux) or given its sockets by systemd. Returns the
 * number of addresses that could not be bound. */
size_t service_refresh_addresses(struct service_rt *rt);
/* The sockets a refresh would open for svc now, one per address it serves
 * (the RLIMIT_NOFILE budget at start and reload); 0 when the host's
 * addresses cannot be read. */
size_t service_addrs_wanted(const struct service *svc);
/* The same for every service of t: when the host's addresses changed. */
size_t service_table_refresh_addresses(struct service_table *t);
/* Reload: whether l, an open socket of a service's old record, can go on
 * serving svc, its new configuration with bind_each_address (the same
 * port and socket type, a family svc binds, an address of its own): the
 * refresh after the reload then keeps it while its address is there. */
bool service_addrs_keeps(const struct service *svc, const struct listener *l);

#endif
