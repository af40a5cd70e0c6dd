/* SPDX-License-Identifier: ISC */
/* registry_int: between the registry's table (registry.c) and its reader
 * of services.db files (registry_load.c). Not for other modules: they see
 * config.h only. */
#ifndef PORTIER_REGISTRY_INT_H
#define PORTIER_REGISTRY_INT_H

#include <stddef.h>

#include "config/config.h"

/* Memory freed with the registry: a file's text, an entry, an alias array. */
struct block {
	struct block *next;
	max_align_t data[];
};

struct node {
	struct reg_entry e;
	size_t seq;		/* load order: the tie-break that keeps "first wins" */
	const char *aliases[];	/* e.aliases until a later line adds some */
};

/* b's memory, from now on freed with reg */
void *registry_keep(struct registry *reg, struct block *b);
/* Memory aligned for any type, freed with reg; NULL when out of memory. */
void *registry_alloc(struct registry *reg, size_t size);
/* The entry name (or alias) is bound to for proto, NULL when none. */
struct node *registry_find(const struct registry *reg, const char *name,
			   enum reg_proto proto);
/* Binds name to node unless the name is bound already: the first wins. */
int registry_bind(struct registry *reg, const char *name, struct node *node);
/* Adds node to the entries in load order; registry_sort puts them in port,
 * protocol and load order once a file is read. */
int registry_append(struct registry *reg, struct node *node);
void registry_sort(struct registry *reg);

#endif
