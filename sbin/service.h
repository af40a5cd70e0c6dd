/* service: the runtime side of a configured service. One struct service_rt
 * per `struct service` of the configuration holds its listeners, its running
 * handlers and its counters. Every connection goes through service_admit()
 * (the single admission point: access rules and limits) and then
 * service_dispatch() (an external handler via spawn.c, or a built-in). */
#ifndef PORTIER_SERVICE_H
#define PORTIER_SERVICE_H

#include <arpa/inet.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include "access.h"
#include "admit.h"
#include "banner.h"
#include "loop.h"
#include "spawn.h"

struct service;
struct daemon_settings;
struct listener;
struct child;

enum service_state {
	SERVICE_DISABLED,	/* disable = yes */
	SERVICE_SKIPPED,	/* not served by this build (see service_servable) */
	SERVICE_UNBOUND,	/* no listener could be opened */
	SERVICE_ACTIVE,		/* listening */
	SERVICE_TCPMUX,		/* reachable through tcpmux only (tcpmux = yes) */
	SERVICE_LOOPING,	/* wait-mode loop guard tripped: paused for a while */
	SERVICE_EXPIRED,	/* past `expires`: listeners closed */
};

/* One connection (nowait) or one hand-over of a listener (wait). */
struct conn {
	int fd;				/* accepted socket, or the listener itself in wait mode */
	struct listener *l;		/* NULL: handed over by tcpmux */
	struct sockaddr_storage peer;	/* ss_family AF_UNSPEC when unknown (wait mode) */
	socklen_t peerlen;
	char host[INET6_ADDRSTRLEN];	/* the peer as text, "" when unknown; never a DNS name */
	int port;
};

/* At most one message per interval, then a count of what was held back. */
struct ratelimit {
	uint64_t last_ms;
	unsigned suppressed;
};

struct service_rt {
	const struct service *svc;
	enum service_state state;
	struct listener *listeners;	/* list through listener.next */
	size_t nlisteners;
	struct spawn_ctx spawn;
	int running;			/* handlers not yet reaped */
	unsigned long started;		/* handlers started */
	unsigned long accepted;		/* connections accepted (nowait) */
	unsigned long refused[REFUSED_COUNT];
	struct ratelimit exec_log;	/* "exec failed" messages */
	struct ratelimit accept_log;	/* "cannot accept" messages */
	/* wait-mode loop guard: starts in the current one-minute window */
	uint64_t guard_window;
	int guard_starts;
	struct timer guard;
	struct timer expiry;		/* closes the listeners at `expires` */
	struct banner banner;		/* to every connection */
	struct banner banner_success;	/* to an admitted one, before its handler starts */
	struct banner banner_fail;	/* to a refused one */
	struct admit adm;		/* per-source counts, cps, banners (admit.c) */
};

struct service_table {
	struct service_rt *rt;
	size_t count;
	const struct daemon_settings *settings;
};

const char *service_refusal_name(enum refusal r);

/* Builds the runtime table for cfg's services (nothing is opened yet). */
int service_table_init(struct service_table *t, const struct service *svcs, size_t n,
		       const struct daemon_settings *settings);
/* Opens the listeners of every servable enabled service. Returns the number of
 * addresses that could not be bound; *bound gets the number of listeners open. */
size_t service_table_bind(struct service_table *t, size_t *bound);
/* Gives rt a socket passed by the service manager (adopt.c): rt binds
 * nothing itself then. -1 with errno set when the socket cannot be set up. */
int service_adopt(struct service_rt *rt, struct listener *l);
/* Starts watching every listener (after daemonizing, with the loop ready). */
int service_table_start(struct service_table *t);
/* Closes every listener and frees the table; running handlers are left alone. */
void service_table_free(struct service_table *t);

/* Closes rt's listeners; handlers that hold one (wait mode) keep running and
 * forget it. */
void service_close_listeners(struct service_rt *rt);

/* Whether this build can serve svc; false logs why at debug level. */
bool service_servable(const struct service *svc);

/* The single admission point for a connection: REFUSED_NONE or why not. */
enum refusal service_admit(struct service_rt *rt, struct conn *c);
/* Serves an admitted connection; the caller closes c->fd (nowait) unless
 * an internal service took it, which sets c->fd to -1. */
void service_dispatch(struct service_rt *rt, struct conn *c);
/* Called by the reaper for each exited handler of the service. */
void service_child_exited(struct child *ch, int status);

#endif
