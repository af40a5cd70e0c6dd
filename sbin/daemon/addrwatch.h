/* SPDX-License-Identifier: ISC */
/* addrwatch: the host's addresses and interfaces followed in the event
 * loop, without polling: one NETLINK_ROUTE socket subscribed to
 * RTMGRP_IPV4_IFADDR, RTMGRP_IPV6_IFADDR and RTMGRP_LINK. Each wake-up
 * reads every datagram waiting, without parsing it, and calls the
 * callback once if any came; a lost
 * notification (ENOBUFS: the socket's buffer overran) counts as "anything
 * may have changed", so the callback must look at the host itself rather
 * than trust a list of events. */
#ifndef PORTIER_ADDRWATCH_H
#define PORTIER_ADDRWATCH_H

typedef void addrwatch_fn(void *arg);

/* Opens the socket and watches it (the loop must exist). -1 with the
 * reason logged: portierd then runs without following addresses. */
int addrwatch_open(addrwatch_fn *changed, void *arg);
void addrwatch_close(void);

#endif
