/* SPDX-License-Identifier: ISC */
/* service: the runtime side of a configured service. One struct service_rt
 * per `struct service` of the configuration holds its listeners, its running
 * handlers and its counters. Every connection goes through admit_check()
 * (admit.h, the single admission point: access rules and limits) and then
 * service_dispatch() (an external handler via spawn.c, or a built-in). */
#ifndef PORTIER_SERVICE_H
#define PORTIER_SERVICE_H

#include <arpa/inet.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>
#include <time.h>

#include "config/config.h"
#include "daemon/admit.h"
#include "daemon/banner.h"
#include "daemon/svclog.h"
#include "base/base.h"
#include "spawn/spawn.h"

struct listener;
struct listener_opts;

enum service_state {
	SERVICE_DISABLED,	/* disable = yes */
	SERVICE_SKIPPED,	/* not served by this build (see service_servable) */
	SERVICE_UNBOUND,	/* no listener could be opened */
	SERVICE_WAITING,	/* none open, some address or interface not there yet */
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
	char host[INET6_ADDRSTRLEN];	/* the peer as text, "" when unknown; never a DNS name;
					 * "uid=N,pid=N" on a unix socket */
	int port;
	struct ucred cred;		/* a unix socket's peer (SO_PEERCRED) */
	bool has_cred;
	/* per_source_rate, on_limit = defer (admit.c): an accepted connection
	 * may wait in the service's queue (deferrable); admit_check() then
	 * takes it (deferred, fd -1); let through, its source's token is
	 * already taken (rate_passed). */
	bool deferrable, deferred, rate_passed;
};

/* An address a service waits for (service_wait.c): its bind failed because
 * the host does not have it, or not the service's interface, yet. */
struct service_wait {
	struct sockaddr_storage ss;	/* port included */
	int err;			/* EADDRNOTAVAIL or ENODEV */
	bool announced;			/* "waiting for address" logged */
};

struct service_rt {
	const struct service *svc;
	enum service_state state;
	struct listener *listeners;	/* list through listener.next */
	size_t nlisteners;
	struct service_wait *waiting;	/* bound when they appear (service_wait.c) */
	size_t nwaiting;
	struct spawn_ctx spawn;
	int running;			/* handlers not yet reaped */
	unsigned long started;		/* handlers started */
	unsigned long accepted;		/* connections accepted (nowait) */
	unsigned long refused[REFUSED_COUNT];
	unsigned long deferred;		/* held back by rate or per_source_rate (admit.c) */
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
	bool prepared;			/* service_rt_prepare() done for svc */
	bool runtime;			/* state set by portierctl, not by the files */
	time_t open_until;		/* portierctl open: closed at this date; 0: none */
	struct timer open_timer;
	char last_error[192];		/* for status; "" when none */
	bool kept;			/* reload: claimed by the new configuration */
	bool watching;			/* service_rt_start() ran: a new socket is watched
					 * at once (service_addrs.c) */
	/* bind_each_address: the addresses that could not be bound at the last
	 * refresh, sorted (service_addrs.c); each failure is logged once */
	struct sockaddr_storage *addr_failed;
	size_t naddr_failed;
	struct service_rt *next;	/* a reload's list of retired services */
};

struct service_retired;

/* The runtime of every configured service, in the configuration's order
 * (rt[i]->svc == &cfg->services[i]). Each service_rt is allocated on its own
 * and never moves: children, connections, listeners and timers point to it.
 * A reload keeps the record of a service whose id remains and retires the
 * others until their last handler is gone (service_reload.c). */
struct service_table {
	struct service_rt **rt;
	size_t count;
	const struct daemon_settings *settings;
	struct service_retired *retired;	/* service_reload.c */
};

/* What the files say about svc now: DISABLED, SKIPPED, EXPIRED, TCPMUX, or
 * UNBOUND for a service that wants its listeners. */
enum service_state service_state_of(const struct service *svc);
/* rt (zeroed or quiesced) serves svc: its state, then service_rt_prepare()
 * if it may accept connections. -1 when out of memory. */
int service_rt_setup(struct service_rt *rt, const struct service *svc);
/* Environment template, per-source table, banners: once per configuration. */
int service_rt_prepare(struct service_rt *rt);
void service_rt_unprepare(struct service_rt *rt);
/* Cancels the service's timers (loop guard, cps pause unless keep_cps,
 * expiry, open) and the pauses they hold. */
void service_rt_quiesce(struct service_rt *rt, bool keep_cps);
/* Closes everything and frees rt (no handler may still point to it). */
void service_rt_free(struct service_rt *rt);
/* Starts watching rt's new listeners and arms its expiry. */
int service_rt_start(struct service_rt *rt);
/* A new listener of rt takes the pauses its service is under (the loop
 * guard, cps, rate); then it may be watched, if rt is started. */
void service_listener_pauses(const struct service_rt *rt, struct listener *l);
int service_listener_watch(struct listener *l);
/* Opens rt's listeners as at start-up (failures logged, noted, counted;
 * an address the host does not have yet waits: service_wait.c). Returns
 * the failures, not counting those. */
size_t service_bind(struct service_rt *rt);
/* The addresses svc listens on: service_addr() fills the i-th, port
 * included, and returns true when it was only implied (no bind list).
 * None for bind_each_address: the host's are (service_addrs.h). */
size_t service_naddrs(const struct service *svc);
bool service_addr(const struct service *svc, size_t i, struct sockaddr_storage *ss);
void service_listener_opts(const struct service *svc, struct listener_opts *o);
/* Opens one listener for svc; NULL with the reason in err ("" when an
 * implied IPv6 address is not available: not a failure) and errno set
 * (service_bind_waits(errno): the address may come). Logs nothing. */
struct listener *service_listener_open(const struct service *svc,
				       const struct sockaddr_storage *ss, bool implicit,
				       char *err, size_t errlen);
void service_listener_attach(struct service_rt *rt, struct listener *l);
/* Closes l; a wait-mode handler holding it forgets it. */
void service_listener_drop(struct listener *l);
/* The status' "last error" of rt. */
void service_note(struct service_rt *rt, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Milliseconds until t on the wall clock, 0 when past. */
uint64_t service_ms_until(time_t t);

/* The settings every service reads (max_children, loop guard). */
void service_table_settings(struct service_table *t, const struct daemon_settings *s);
/* Builds the runtime table for cfg's services (nothing is opened yet). */
int service_table_init(struct service_table *t, const struct service *svcs, size_t n,
		       const struct daemon_settings *settings);
/* Opens the listeners of every servable enabled service. Returns the number of
 * addresses that could not be bound, not counting those that wait. */
size_t service_table_bind(struct service_table *t);
/* Gives rt a socket passed by the service manager (adopt.c): rt binds
 * nothing itself then. -1 with errno set when the socket cannot be set up. */
int service_adopt(struct service_rt *rt, struct listener *l);
/* Starts watching every listener (after daemonizing, with the loop ready). */
int service_table_start(struct service_table *t);
/* Closes every listener and frees the table; running handlers are left alone. */
void service_table_free(struct service_table *t);

/* Closes rt's listeners and forgets the addresses it waits for; handlers
 * that hold one (wait mode) keep running and forget it. */
void service_close_listeners(struct service_rt *rt);

/* service_waitlist.c, service_wait.c: addresses that are not on the host
 * yet. A bind that
 * fails with EADDRNOTAVAIL (the address is not here, or an IPv6 address
 * still in duplicate address detection) or ENODEV (no such interface) does
 * not fail the service: the address waits, and is bound as soon as the host
 * has it. */
bool service_bind_waits(int err);
/* Adds ss to the list *v of *n entries (once); -1 when out of memory. */
int service_wait_push(struct service_wait **v, size_t *n, const struct sockaddr_storage *ss,
		      int err, bool announced);
/* Whether rt waits for ss on the interface ifname (NULL: none). */
bool service_wait_has(const struct service_rt *rt, const struct sockaddr_storage *ss,
		      const char *ifname);
/* Logs once each address rt newly waits for, and notes it for status. */
void service_wait_announce(struct service_rt *rt);
/* The name of rt's i-th waiting address, as a listener's would be. */
void service_wait_name(const struct service_rt *rt, size_t i, char *buf, size_t len);
void service_wait_clear(struct service_rt *rt);
/* service_wait.c: the single entry point of address and interface changes (addrwatch.c's
 * callback): every service binds the addresses it waits for that the host
 * now has, and a socket bound to an interface that is gone is closed and
 * waits again. Idempotent: it looks at the host, not at events. */
void service_table_addresses_changed(struct service_table *t);

/* Whether this build can serve svc; false logs why at debug level. */
bool service_servable(const struct service *svc);

/* Called by the reaper for each exited handler of the service. */
void service_child_exited(struct child *ch, int status);

#endif
