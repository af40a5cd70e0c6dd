/* children: the table of running handlers, keyed by pid. Insert, look-up and
 * remove are O(1) (a hash of chained records); records come from a free list
 * that grows in blocks, so starting a handler allocates nothing in the common
 * case. children_reap() collects every exited child: no zombie survives a
 * SIGCHLD. */
#ifndef PORTIER_CHILDREN_H
#define PORTIER_CHILDREN_H

#include <arpa/inet.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct service_rt;
struct listener;

struct child {
	pid_t pid;
	struct service_rt *rt;		/* the service it serves; must outlive the child */
	struct listener *held;		/* wait mode: the listener handed over, resumed at exit */
	uint64_t start_us;		/* CLOCK_MONOTONIC, for DURATION */
	char host[INET6_ADDRSTRLEN];	/* remote address as text, "" in wait mode */
	int port;			/* remote port, 0 in wait mode */
	bool exec_failed;		/* reported at spawn: its exit needs no second message */
	struct child *next;		/* hash chain, or free list */
};

/* A record for pid, zeroed but for pid; NULL when out of memory. */
struct child *children_add(pid_t pid);
struct child *children_find(pid_t pid);
/* Unlinks c and returns it to the free list. */
void children_remove(struct child *c);
size_t children_count(void);
/* Calls fn for every running child (state dump, reload). fn must not remove. */
void children_foreach(void (*fn)(struct child *c, void *arg), void *arg);
/* waitpid(WNOHANG) until nothing is left to collect; fn sees each known child
 * with its wait status, then the record is removed. Returns the number reaped. */
size_t children_reap(void (*fn)(struct child *c, int status));
/* Releases every record and the table (shutdown; running handlers go on). */
void children_free_all(void);

uint64_t children_clock_us(void);	/* CLOCK_MONOTONIC in microseconds */

#endif
