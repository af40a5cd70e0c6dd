/* tcpmux: the RFC 1078 multiplexer, in the event loop. A client sends a
 * service name and CR LF; "help" lists the names, an unknown name gets "-"
 * and a reason, a known one gets "+Go" and then its handler, which the daemon
 * starts exactly as it starts a nowait stream handler of that service. */
#ifndef PORTIER_TCPMUX_H
#define PORTIER_TCPMUX_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/socket.h>

struct service;

/* The request line must arrive within the tcpmux service's idle_timeout,
 * and never later than this. */
#define TCPMUX_TIMEOUT_MAX_MS	(30 * 1000)

/* What the daemon does for tcpmux once a name is matched. */
struct tcpmux_ops {
	/* The target service's own admission (access lists, instances,
	 * per_source, cps): NULL when admitted, else the reason the client
	 * reads after "-". */
	const char *(*admit)(const struct service *svc, int fd, const struct sockaddr *peer,
			     socklen_t peerlen, void *arg);
	/* Starts svc's handler on fd (the "+Go" is already sent); fd is the
	 * callee's from now on. */
	void (*spawn)(const struct service *svc, int fd, const struct sockaddr *peer,
		      socklen_t peerlen, void *arg);
	/* The tcpmux connection ended (handed over or closed): like
	 * builtin_done_fn, never called from inside tcpmux_start(). */
	void (*done)(void *arg);
};

/* Indexes the services reachable through tcpmux (tcpmux = yes, enabled) by
 * name, case-insensitively; called after every (re)load. svcs must stay
 * alive until the next call or tcpmux_index_free(). Returns -1 when out of
 * memory (the old index is kept). */
int tcpmux_index(const struct service *svcs, size_t count);
void tcpmux_index_free(void);
/* The service named name (any case), or NULL. */
const struct service *tcpmux_lookup(const char *name);
size_t tcpmux_count(void);

/* Serves an accepted connection to the tcpmux service svc. fd is tcpmux's
 * from now on. Returns false when refused at once (out of memory, or
 * BUILTIN_MAX_CONNS internal connections open; fd closed, done not
 * called). builtin_close_all() closes pending requests too. */
bool tcpmux_start(const struct service *svc, int fd, const struct sockaddr *peer,
		  socklen_t peerlen, const struct tcpmux_ops *ops, void *arg);

#endif
