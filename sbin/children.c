/* children: running handlers by pid, see children.h */
#include "autoconf.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>

#include "children.h"
#include "log.h"

/* Records are allocated this many at a time and never returned to malloc
 * before shutdown: a burst leaves a free list that the next burst reuses. */
#define CHILD_BLOCK 64
/* Initial buckets (a power of two); the table doubles when it holds more
 * children than buckets, so chains stay short. */
#define CHILD_BUCKETS 64

struct child_block {
	struct child_block *next;
	struct child rec[CHILD_BLOCK];
};

static struct child **buckets;
static size_t nbuckets;
static size_t count;
static struct child *free_list;
static struct child_block *blocks;

uint64_t
children_clock_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000 + (uint64_t)ts.tv_nsec / 1000;
}

static size_t
bucket_of(pid_t pid, size_t n)
{
	/* Pids are mostly sequential: a multiplicative hash spreads them. */
	return ((uint32_t)pid * 2654435761u) & (n - 1);
}

static int
grow_buckets(void)
{
	size_t n = nbuckets ? nbuckets * 2 : CHILD_BUCKETS;
	struct child **v = calloc(n, sizeof(*v));

	if (!v)
		return -1;
	for (size_t i = 0; i < nbuckets; i++) {
		struct child *c = buckets[i], *next;

		for (; c; c = next) {
			size_t b = bucket_of(c->pid, n);

			next = c->next;
			c->next = v[b];
			v[b] = c;
		}
	}
	free(buckets);
	buckets = v;
	nbuckets = n;
	return 0;
}

static int
grow_free_list(void)
{
	struct child_block *b = malloc(sizeof(*b));

	if (!b)
		return -1;
	b->next = blocks;
	blocks = b;
	for (size_t i = 0; i < CHILD_BLOCK; i++) {
		b->rec[i].next = free_list;
		free_list = &b->rec[i];
	}
	return 0;
}

struct child *
children_add(pid_t pid)
{
	struct child *c;
	size_t b;

	/* A failed resize keeps the old table: chains just get longer. */
	if ((count >= nbuckets && grow_buckets() < 0 && !nbuckets) ||
	    (!free_list && grow_free_list() < 0))
		return NULL;
	c = free_list;
	free_list = c->next;
	memset(c, 0, sizeof(*c));
	c->pid = pid;
	b = bucket_of(pid, nbuckets);
	c->next = buckets[b];
	buckets[b] = c;
	count++;
	return c;
}

struct child *
children_find(pid_t pid)
{
	if (!nbuckets)
		return NULL;
	for (struct child *c = buckets[bucket_of(pid, nbuckets)]; c; c = c->next)
		if (c->pid == pid)
			return c;
	return NULL;
}

void
children_remove(struct child *c)
{
	struct child **pp = &buckets[bucket_of(c->pid, nbuckets)];

	for (; *pp; pp = &(*pp)->next) {
		if (*pp == c) {
			*pp = c->next;
			c->next = free_list;
			free_list = c;
			count--;
			return;
		}
	}
}

size_t
children_count(void)
{
	return count;
}

void
children_foreach(void (*fn)(struct child *c, void *arg), void *arg)
{
	for (size_t i = 0; i < nbuckets; i++)
		for (struct child *c = buckets[i]; c; c = c->next)
			fn(c, arg);
}

size_t
children_reap(void (*fn)(struct child *c, int status))
{
	size_t n = 0;

	for (;;) {
		int status;
		pid_t pid = waitpid(-1, &status, WNOHANG);
		struct child *c;

		if (pid == 0)
			break;
		if (pid < 0) {
			if (errno == EINTR)
				continue;
			if (errno != ECHILD)
				logerr(LOG_ERR, "waitpid");
			break;
		}
		n++;
		c = children_find(pid);
		if (!c) {
			debug("reaped unknown child %d", (int)pid);
			continue;
		}
		fn(c, status);
		children_remove(c);
	}
	return n;
}

void
children_free_all(void)
{
	while (blocks) {
		struct child_block *b = blocks;

		blocks = b->next;
		free(b);
	}
	free(buckets);
	buckets = NULL;
	nbuckets = count = 0;
	free_list = NULL;
}
