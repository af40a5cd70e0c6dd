/* SPDX-License-Identifier: ISC */
/* registry: the port registry's table, see config.h; registry_load.c reads
 * services.db files into it.
 *
 * Memory: each file is read once into one buffer that lives as long as the
 * registry; names, aliases and descriptions point into it. The buffers,
 * entries and alias arrays are kept on one list and freed together with the
 * registry.
 *
 * Look-ups: names (and aliases) with their protocol in an open-addressing
 * hash table; ports by binary search in the entries sorted by port, protocol
 * and load order, which also serves range listings. */
#include "autoconf.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "config/config.h"
#include "config/registry_int.h"

struct name_slot {
	const char *name;	/* NULL: free */
	uint32_t hash;
	enum reg_proto proto;
	struct node *node;
};

struct registry {
	struct block *blocks;
	struct node **order;	/* by port, protocol, load order */
	size_t count;
	size_t alloc;
	struct name_slot *names;
	size_t nslots;		/* a power of two, at least twice nnames */
	size_t nnames;
};

static const char *const proto_names[REG_NPROTO] = { "tcp", "udp", "sctp", "dccp" };

struct registry *
registry_new(void)
{
	return calloc(1, sizeof(struct registry));
}

void
registry_free(struct registry *reg)
{
	if (!reg)
		return;
	for (struct block *b = reg->blocks, *next; b; b = next) {
		next = b->next;
		free(b);
	}
	free(reg->order);
	free(reg->names);
	free(reg);
}

size_t
registry_count(const struct registry *reg)
{
	return reg->count;
}

void *
registry_keep(struct registry *reg, struct block *b)
{
	b->next = reg->blocks;
	reg->blocks = b;
	return b->data;
}

void *
registry_alloc(struct registry *reg, size_t size)
{
	struct block *b = malloc(sizeof(*b) + size);

	return b ? registry_keep(reg, b) : NULL;
}

/* FNV-1a, with the protocol folded in: tcp and udp names share a table. */
static uint32_t
name_hash(const char *name, enum reg_proto proto)
{
	uint32_t h = 2166136261u;

	for (const unsigned char *p = (const unsigned char *)name; *p; p++)
		h = (h ^ *p) * 16777619u;
	return (h ^ (uint32_t)proto) * 16777619u;
}

static struct name_slot *
name_slot(const struct registry *reg, const char *name, enum reg_proto proto, uint32_t h)
{
	size_t mask = reg->nslots - 1;

	for (size_t i = h & mask;; i = (i + 1) & mask) {
		struct name_slot *s = &reg->names[i];

		if (!s->name || (s->hash == h && s->proto == proto && !strcmp(s->name, name)))
			return s;
	}
}

/* Room for one more name: the table doubles when it is half full. */
static int
names_reserve(struct registry *reg)
{
	struct name_slot *old = reg->names;
	size_t nold = reg->nslots;

	if (2 * (reg->nnames + 1) <= nold)
		return 0;
	reg->names = calloc(nold ? 2 * nold : 1024, sizeof(*reg->names));
	if (!reg->names) {
		reg->names = old;
		return -1;
	}
	reg->nslots = nold ? 2 * nold : 1024;
	for (size_t i = 0; i < nold; i++)
		if (old[i].name)
			*name_slot(reg, old[i].name, old[i].proto, old[i].hash) = old[i];
	free(old);
	return 0;
}

struct node *
registry_find(const struct registry *reg, const char *name, enum reg_proto proto)
{
	if (!reg->nslots)
		return NULL;
	return name_slot(reg, name, proto, name_hash(name, proto))->node;
}

int
registry_bind(struct registry *reg, const char *name, struct node *node)
{
	if (names_reserve(reg) < 0)
		return -1;

	uint32_t h = name_hash(name, node->e.proto);
	struct name_slot *s = name_slot(reg, name, node->e.proto, h);

	if (!s->name) {
		*s = (struct name_slot){ name, h, node->e.proto, node };
		reg->nnames++;
	}
	return 0;
}

int
registry_append(struct registry *reg, struct node *node)
{
	if (array_reserve(&reg->order, &reg->alloc, reg->count + 1, sizeof(*reg->order)) < 0)
		return -1;
	node->seq = reg->count;
	reg->order[reg->count++] = node;
	return 0;
}

static int
node_cmp(const void *a, const void *b)
{
	const struct node *x = *(struct node *const *)a;
	const struct node *y = *(struct node *const *)b;

	if (x->e.port != y->e.port)
		return x->e.port < y->e.port ? -1 : 1;
	if (x->e.proto != y->e.proto)
		return x->e.proto < y->e.proto ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

void
registry_sort(struct registry *reg)
{
	if (reg->count)	/* qsort wants a non-NULL base even for 0 items */
		qsort(reg->order, reg->count, sizeof(*reg->order), node_cmp);
}

/* The first entry in order with a port of at least port (count when none). */
static size_t
order_first(const struct registry *reg, unsigned port)
{
	size_t lo = 0, hi = reg->count;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (reg->order[mid]->e.port < port)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

const struct reg_entry *
registry_lookup_name(const struct registry *reg, const char *name, enum reg_proto proto)
{
	const struct node *n;

	if ((unsigned)proto >= REG_NPROTO || !name)
		return NULL;
	n = registry_find(reg, name, proto);
	return n ? &n->e : NULL;
}

const struct reg_entry *
registry_lookup_port(const struct registry *reg, unsigned port, enum reg_proto proto)
{
	for (size_t i = order_first(reg, port); i < reg->count && reg->order[i]->e.port == port; i++)
		if (reg->order[i]->e.proto == proto)
			return &reg->order[i]->e;
	return NULL;
}

size_t
registry_foreach_range(const struct registry *reg, unsigned lo, unsigned hi,
		       int (*fn)(const struct reg_entry *e, void *arg), void *arg)
{
	size_t calls = 0;

	for (size_t i = order_first(reg, lo); i < reg->count && reg->order[i]->e.port <= hi; i++) {
		calls++;
		if (fn(&reg->order[i]->e, arg))
			break;
	}
	return calls;
}

enum port_class
registry_port_class(unsigned port)
{
	if (port < 1024)
		return PORT_WELL_KNOWN;
	if (port < 49152)
		return PORT_REGISTERED;
	return PORT_DYNAMIC;
}

const char *
registry_port_class_name(enum port_class c)
{
	static const char *const names[] = { "well-known", "registered", "dynamic" };

	return (unsigned)c < sizeof(names) / sizeof(names[0]) ? names[c] : "?";
}

const char *
registry_proto_name(enum reg_proto p)
{
	return (unsigned)p < REG_NPROTO ? proto_names[p] : "?";
}

int
registry_proto_parse(const char *s, enum reg_proto *p)
{
	for (int i = 0; i < REG_NPROTO; i++)
		if (!strcmp(s, proto_names[i])) {
			*p = (enum reg_proto)i;
			return 0;
		}
	return -1;
}
