/* SPDX-License-Identifier: ISC */
/* listener: one listening socket (TCP or UDP, IPv4 or IPv6, or a unix stream
 * socket, whose path is its identity) and its identity.
 * The identity (socket type, bound address and port, and the interface of
 * SO_BINDTODEVICE) is kept
 * explicit so that a reload can match new services to open sockets and so that
 * sockets handed over by systemd can be adopted. Only sockets live here: what
 * happens on readiness is the owner's business (service.c). */
#ifndef PORTIER_LISTENER_H
#define PORTIER_LISTENER_H

#include <arpa/inet.h>
#include <net/if.h>
#include <stdbool.h>
#include <sys/socket.h>

#include "base/base.h"

struct service_rt;

/* Why a listener is not watched; it is watched again when no reason is left. */
enum {
	LISTENER_HELD = 1 << 0,		/* a wait-mode handler owns the socket */
	LISTENER_GUARD = 1 << 1,	/* loop guard tripped (service.c) */
	LISTENER_RETRY = 1 << 2,	/* accept ran out of descriptors: retry later */
	LISTENER_LIMIT = 1 << 3,	/* a connection limit is reached (access) */
	LISTENER_RATE = 1 << 4,		/* `rate`, on_limit = defer: no token yet (admit.c) */
};

/* "unix:" and a sun_path are longer than any IP address and port; an
 * interface adds "@" and its name: "[::]:7/tcp@eth0". */
#define LISTENER_NAME_MAX ((ADDR_NAME_MAX > 114 ? ADDR_NAME_MAX : 114) + IF_NAMESIZE + 1)

struct listener {
	struct watcher w;	/* w.fd is the socket */
	/* identity */
	int socktype;		/* SOCK_STREAM or SOCK_DGRAM */
	struct sockaddr_storage addr;	/* as bound, port included; AF_UNIX: the path */
	socklen_t addrlen;
	char ifname[IF_NAMESIZE];	/* SO_BINDTODEVICE, "" when none */
	unsigned ifindex;	/* the interface's index when bound: a new
				 * interface of that name has another one */
	bool wildcard;		/* 0.0.0.0 or ::: a connection's local address needs getsockname() */
	bool adopted;		/* received (systemd), not opened by us */
	bool marked;		/* reload: claimed by the new configuration */

	unsigned paused;	/* LISTENER_* reasons; 0 = watched when started */
	bool started;		/* listener_start() was called */
	struct timer retry;	/* LISTENER_RETRY */
	struct service_rt *rt;	/* owner */
	struct listener *next;	/* owner's list */
	struct listener *own_next;	/* UDP, once started: the list of its port */
	char name[LISTENER_NAME_MAX];
	dev_t dev;		/* AF_UNIX: the socket file we made, removed only if */
	ino_t ino;		/* it is still this one */
};

/* UDP: whether the kernel gives each datagram's destination address with it
 * (IP_PKTINFO, IPV6_RECVPKTINFO). */
enum listener_pktinfo {
	LISTENER_PKTINFO_OFF,
	LISTENER_PKTINFO_WILDCARD,	/* on wildcard sockets: the one thing they cannot know */
	LISTENER_PKTINFO_ALL,
};

struct listener_opts {
	int backlog;		/* stream only; 0 = the kernel's somaxconn */
	bool nonblock;		/* nowait: accepted in batches from the loop */
	bool keepalive;		/* inherited by accepted connections */
	bool nodelay;
	bool freebind;		/* IP_FREEBIND: bind an address the host does not have */
	const char *ifname;	/* SO_BINDTODEVICE; NULL: every interface */
	enum listener_pktinfo pktinfo;	/* UDP */
	mode_t mode;		/* AF_UNIX: the socket file's mode, */
	uid_t uid;		/* owner and group ((uid_t)-1: portierd's) */
	gid_t gid;
};

/* Creates, configures and binds a socket for sa (and listens, for streams).
 * Returns NULL with errno set; nothing is logged. ENODEV: o->ifname is no
 * interface (yet); EADDRNOTAVAIL: sa is no address of the host (yet). */
struct listener *listener_open(const struct sockaddr *sa, socklen_t len, int socktype,
			       const struct listener_opts *o);
/* A unix stream socket at path: the directory checked as rundir does,
 * a stale socket replaced (nobody accepts on it), anything else at path
 * refused; the file made with o->mode, then given o->uid/o->gid. NULL with
 * the reason in err. */
struct listener *listener_open_unix(const char *path, const struct listener_opts *o,
				    char *err, size_t errlen);
/* Wraps an already bound IPv4 or IPv6 socket (LISTEN_FDS) of socktype,
 * whose identity adopt.c read from the kernel (addr, ifname "" when none).
 * The descriptor becomes close-on-exec. NULL with errno set. */
struct listener *listener_adopt(int fd, int socktype, const struct sockaddr_storage *addr,
				const char *ifname);
/* Applies options that may differ between two configurations of the same
 * socket (blocking mode, keepalive, nodelay, pktinfo); used after adopt or
 * reload. */
int listener_configure(struct listener *l, const struct listener_opts *o);
/* The same, and for a stream socket the backlog too: a reload that keeps
 * the socket of a service whose options changed. */
int listener_reconfigure(struct listener *l, const struct listener_opts *o);
void listener_close(struct listener *l);

/* Orders identities (socket type, family, port, address, interface): <0, 0
 * or >0 as (socktype, sa, ifname) sorts before, with or after l's; ifname
 * NULL is "". Reload sorts by it. */
int listener_compare(int socktype, const struct sockaddr *sa, const char *ifname,
		     const struct listener *l);
/* The same order without the interface: its first keys. */
int listener_compare_addr(int socktype, const struct sockaddr *sa, const struct listener *l);
/* A socket's name as status and the log show it: addr_name()'s, then
 * "@IFNAME" when bound to an interface ("0.0.0.0:7/tcp@eth0"). */
void listener_name(const struct sockaddr *sa, int socktype, const char *ifname, char *buf,
		   size_t len);

/* Whether src (a datagram's source) is an address and port of one of
 * portierd's own started UDP sockets, a wildcard one standing for every
 * local address. An internal service that answered it would talk to another
 * one (or to itself) for ever, and a spoofed source can ask for just that. */
bool listener_udp_own(const struct sockaddr *src);

/* listener_own.c, for listener.c: a started UDP socket joins the set
 * listener_udp_own() looks in, and leaves it when it closes. */
void listener_own_add(struct listener *l);
void listener_own_del(struct listener *l);

/* Registers fn for readiness; watching begins unless a pause reason is set. */
int listener_start(struct listener *l, watcher_fn fn);
void listener_pause(struct listener *l, unsigned reason);
void listener_resume(struct listener *l, unsigned reason);

#endif
