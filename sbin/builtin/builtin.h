/* builtin: echo, discard, daytime, chargen and time served inside portierd,
 * in the event loop, without forking. The wire formats are builtin_proto's;
 * this module owns the connections and the UDP replies. Admission (access
 * lists, instances, per_source, cps) happens before a connection gets here. */
#ifndef PORTIER_BUILTIN_H
#define PORTIER_BUILTIN_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/socket.h>

#include "builtin/builtin_proto.h"

struct service;

/* Every internal TCP connection together (pending tcpmux requests included):
 * at 16 KiB of echo buffer each this bounds the daemon's memory for them to
 * about 32 MiB, whatever the services' instances say. */
#define BUILTIN_MAX_CONNS	2048
/* Echo's buffer per connection: echo stops reading while it is full. */
#define BUILTIN_ECHO_BUF	(16 * 1024)
/* UDP replies per source address per second, and the burst allowed. */
#define BUILTIN_UDP_RATE	50
#define BUILTIN_UDP_BURST	100
/* Datagrams handled per readiness event, so one busy service cannot starve
 * the rest of the loop. */
#define BUILTIN_UDP_BATCH	64
/* chargen over UDP: a reply of a random length 0..512 (RFC 864). */
#define BUILTIN_CHARGEN_UDP_MAX	512

/* Called once when a connection that builtin_tcp_start() took ends, never
 * from inside builtin_tcp_start() itself. */
typedef void (*builtin_done_fn)(void *arg);

enum builtin_start {
	BUILTIN_STARTED,	/* running in the loop; done(arg) follows at its end */
	BUILTIN_FINISHED,	/* answered and closed at once (daytime, time, or an
				 * echo or discard whose client had already said all) */
	BUILTIN_REFUSED,	/* not served (no such service, over the limit): fd closed */
};

/* Serves the accepted, non-blocking TCP socket fd for the internal service
 * svc. The fd is builtin's from now on, whatever the result. Nothing of svc
 * is kept, so a reload may free it while the connection runs. */
enum builtin_start builtin_tcp_start(const struct service *svc, int fd,
				     builtin_done_fn done, void *arg);
/* True while BUILTIN_MAX_CONNS connections are open: stop accepting. */
bool builtin_tcp_full(void);
/* True when there is room for one more; else closes fd (and says so in the
 * log at most once a minute). */
bool builtin_tcp_room(const struct service *svc, int fd);
size_t builtin_tcp_count(void);

/* Decides whether src may be answered (access lists and the like); NULL
 * lets everyone through builtin's own checks. */
enum builtin_admit {
	BUILTIN_ADMIT,		/* answer it */
	BUILTIN_DENY,		/* no reply to this one */
	BUILTIN_DENY_STOP,	/* no reply, and read no more now (the service paused) */
};
typedef enum builtin_admit (*builtin_admit_fn)(const struct service *svc,
					       const struct sockaddr *src,
					       socklen_t srclen, void *arg);

/* The UDP socket fd of internal service svc is readable: answers up to
 * BUILTIN_UDP_BATCH datagrams. Requests from a loop-prone source port or
 * over the per-source rate are dropped before admit is asked; those admit
 * refuses get no reply either. */
void builtin_udp_serve(const struct service *svc, int fd, builtin_admit_fn admit, void *arg);

/* Every open internal connection, builtin.c's and tcpmux.c's, is on one
 * list: it counts against BUILTIN_MAX_CONNS, and shutdown closes them all
 * through close(), which must unlink it. */
struct builtin_link {
	struct builtin_link *prev, *next;
	void (*close)(struct builtin_link *l);
};

void builtin_link_add(struct builtin_link *l, void (*close)(struct builtin_link *l));
void builtin_link_del(struct builtin_link *l);

/* Closes every connection (shutdown); done() is called for each. */
void builtin_close_all(void);

#endif
