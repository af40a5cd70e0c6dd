/* SPDX-License-Identifier: ISC */
/* rtnl_parse: rtnetlink notifications (what the kernel multicasts to
 * RTMGRP_LINK, RTMGRP_IPV4_IFADDR and RTMGRP_IPV6_IFADDR) turned into plain
 * events. Pure: a buffer in, events out, no socket; every length is checked
 * against the buffer (NLMSG_OK, RTA_OK), so a truncated or hostile datagram
 * yields fewer events and a flag, never a read past its end. addrwatch.c
 * reads the socket and hands each datagram here. */
#ifndef PORTIER_RTNL_PARSE_H
#define PORTIER_RTNL_PARSE_H

#include <net/if.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum rtnl_kind {
	RTNL_ADDR_NEW,		/* RTM_NEWADDR: an address added, or its flags changed */
	RTNL_ADDR_DEL,		/* RTM_DELADDR */
	RTNL_LINK_NEW,		/* RTM_NEWLINK: an interface added, renamed, up or down */
	RTNL_LINK_DEL,		/* RTM_DELLINK */
};

struct rtnl_event {
	enum rtnl_kind kind;
	unsigned ifindex;
	/* addresses */
	int family;		/* AF_INET or AF_INET6 */
	uint8_t addr[16];	/* IFA_LOCAL, else IFA_ADDRESS; 4 octets for IPv4 */
	uint32_t flags;		/* IFA_F_*: IFA_FLAGS when present, else ifa_flags */
	/* links */
	bool up;		/* IFF_UP */
	char name[IF_NAMESIZE];	/* IFLA_IFNAME, "" when absent */
};

/* What a datagram held besides events (rtnl_parse's result, OR'ed). */
enum {
	RTNL_SEEN_EVENT = 1 << 0,	/* at least one event was given to fn */
	RTNL_SEEN_ERROR = 1 << 1,	/* NLMSG_ERROR with an error (not an ack) */
	RTNL_SEEN_DONE = 1 << 2,	/* NLMSG_DONE: the end of a dump */
	RTNL_SEEN_BAD = 1 << 3,		/* a truncated or malformed message: the rest skipped */
	RTNL_SEEN_OTHER = 1 << 4,	/* a message of another type, ignored */
};

typedef void rtnl_event_fn(const struct rtnl_event *e, void *arg);

/* Calls fn for each address or link message of buf (len octets, as recv
 * left them, 4-octet aligned) and returns the RTNL_SEEN_* flags. */
unsigned rtnl_parse(const void *buf, size_t len, rtnl_event_fn *fn, void *arg);

#endif
