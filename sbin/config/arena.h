/* arena: memory that lives and dies together (a loaded registry). Bump
 * allocation in chunks, one free for everything, and whole files read into
 * a chunk of their own so that parsers can point into them. */
#ifndef PORTIER_ARENA_H
#define PORTIER_ARENA_H

#include <stddef.h>

#include "base/base.h"

struct arena_chunk;

struct arena {
	struct arena_chunk *head;	/* the chunk allocations come from */
};

void arena_init(struct arena *a);
void arena_free(struct arena *a);
/* Memory aligned for any type; NULL when out of memory. */
void *arena_alloc(struct arena *a, size_t size);
char *arena_strdup(struct arena *a, const char *s);
/* The whole file, NUL-terminated, its length in *len (a NUL inside is the
 * caller's to find). NULL after "PATH: cannot ..." went to d as an error;
 * files larger than max are refused. */
char *arena_read_file(struct arena *a, const char *path, size_t max, size_t *len,
		      struct diag *d);

#endif
