/* SPDX-License-Identifier: ISC */
/* access_rate: the token buckets of rate and per_source_rate, and the
 * bounded table of per-source buckets; pure, on the clock it is given
 * (see config.h). */
#include "autoconf.h"

#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>

#include "config/config_int.h"
#include "config/config.h"

/* A token in millionths: a rate of r thousandths a second adds r of them
 * every millisecond. */
#define TOKEN 1000000ULL

static void
bucket_fill(struct access_bucket *b, int rate_milli, int burst, uint64_t now_ms)
{
	uint64_t full = (uint64_t)(burst > 0 ? burst : 1) * TOKEN;
	uint64_t rate = (uint64_t)(rate_milli > 0 ? rate_milli : 1);

	if (!b->primed) {
		b->primed = true;
		b->tokens = full;
		b->last_ms = now_ms;
		return;
	}
	if (now_ms > b->last_ms) {
		uint64_t dt = now_ms - b->last_ms;
		uint64_t room = full > b->tokens ? full - b->tokens : 0;

		/* saturating: a bucket left alone for days is just full */
		b->tokens = dt > room / rate ? full : b->tokens + dt * rate;
		b->last_ms = now_ms;
	}
	if (b->tokens > full)	/* a reload lowered the burst */
		b->tokens = full;
}

uint64_t
access_bucket_wait(struct access_bucket *b, int rate_milli, int burst, uint64_t now_ms)
{
	uint64_t rate = (uint64_t)(rate_milli > 0 ? rate_milli : 1);

	bucket_fill(b, rate_milli, burst, now_ms);
	if (b->tokens >= TOKEN)
		return 0;
	return (TOKEN - b->tokens + rate - 1) / rate;
}

bool
access_bucket_take(struct access_bucket *b, int rate_milli, int burst, uint64_t now_ms)
{
	if (access_bucket_wait(b, rate_milli, burst, now_ms) > 0)
		return false;
	b->tokens -= TOKEN;
	return true;
}

/* The per-source buckets: a hash table with chains, and every entry on a
 * list from the most to the least recently seen, whose tail is evicted. */
struct rate_entry {
	struct rate_entry *next;		/* hash chain */
	struct rate_entry *newer, *older;	/* recency list */
	struct access_addr key;			/* the /32 or /64 */
	struct access_bucket bucket;
};

struct access_rate_table {
	struct rate_entry **buckets;
	size_t nbuckets;	/* a power of two, about max / 2 */
	size_t size, max;
	struct rate_entry *newest, *oldest;
	uint64_t key[2];
};

struct access_rate_table *
access_rate_table_new(size_t max)
{
	struct access_rate_table *t = calloc(1, sizeof(*t));

	if (!t)
		return NULL;
	t->max = max ? max : 1;
	for (t->nbuckets = 1; t->nbuckets < t->max / 2; t->nbuckets *= 2)
		;
	t->buckets = calloc(t->nbuckets, sizeof(*t->buckets));
	if (!t->buckets) {
		free(t);
		return NULL;
	}
	access_random_key(t->key, t);
	return t;
}

void
access_rate_table_free(struct access_rate_table *t)
{
	if (!t)
		return;
	for (struct rate_entry *e = t->newest, *next; e; e = next) {
		next = e->older;
		free(e);
	}
	free(t->buckets);
	free(t);
}

static void
recency_unlink(struct access_rate_table *t, struct rate_entry *e)
{
	if (e->newer)
		e->newer->older = e->older;
	else
		t->newest = e->older;
	if (e->older)
		e->older->newer = e->newer;
	else
		t->oldest = e->newer;
	e->newer = e->older = NULL;
}

static void
recency_push(struct access_rate_table *t, struct rate_entry *e)
{
	e->older = t->newest;
	e->newer = NULL;
	if (t->newest)
		t->newest->newer = e;
	t->newest = e;
	if (!t->oldest)
		t->oldest = e;
}

static struct rate_entry **
rate_slot(const struct access_rate_table *t, const struct access_addr *k)
{
	struct rate_entry **p = &t->buckets[access_hash(t->key, k) & (t->nbuckets - 1)];

	while (*p && memcmp(&(*p)->key, k, sizeof(*k)) != 0)
		p = &(*p)->next;
	return p;
}

/* The least recently seen entry, out of the table, for reuse. */
static struct rate_entry *
rate_evict(struct access_rate_table *t)
{
	struct rate_entry *e = t->oldest, **p;

	if (!e)
		return NULL;
	p = rate_slot(t, &e->key);
	*p = e->next;
	recency_unlink(t, e);
	t->size--;
	return e;
}

struct access_bucket *
access_rate_table_get(struct access_rate_table *t, const struct access_addr *a)
{
	struct access_addr k = *a;
	struct rate_entry **p, *e;

	/* one host of IPv6 owns a /64: its bucket is the prefix's */
	if (k.family == AF_INET6)
		memset(k.addr + 8, 0, 8);
	p = rate_slot(t, &k);
	if ((e = *p)) {
		recency_unlink(t, e);
		recency_push(t, e);
		return &e->bucket;
	}
	e = t->size >= t->max ? rate_evict(t) : calloc(1, sizeof(*e));
	if (!e && !(e = rate_evict(t)))
		return NULL;
	*e = (struct rate_entry){ .key = k };
	p = rate_slot(t, &k);	/* the eviction may have changed the chain */
	e->next = *p;
	*p = e;
	recency_push(t, e);
	t->size++;
	return &e->bucket;
}

size_t
access_rate_table_size(const struct access_rate_table *t)
{
	return t->size;
}
