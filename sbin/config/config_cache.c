/* SPDX-License-Identifier: ISC */
/* config_cache: parsed files kept from one load to the next (config.h).
 *
 * The key is the file's path and its bytes, compared in full: reading a
 * small file costs a few microseconds, parsing it with libconfuse about
 * fifty, and bytes cannot be stale the way a (size, mtime) key can when a
 * file is rewritten within one tick of the file system's clock. What a
 * parse depends on besides the bytes is fixed for the life of the process:
 * the schema, and the environment libconfuse reads for ${VAR}, which
 * portierd never changes. */
#include "autoconf.h"

#include <stdlib.h>
#include <string.h>

#include "config/config_int.h"

struct config_cache {
	struct conf_file *files;	/* sorted by path; each has text and pf */
	size_t n;
	/* The files that the last load that succeeded was read from (those
	 * with a section), sorted: a name among them that is no longer a
	 * regular file is an error (config_files.c). */
	char **held;		/* NULL-terminated */
	size_t nheld;
};

struct config_cache *
config_cache_new(void)
{
	return calloc(1, sizeof(struct config_cache));
}

void
config_files_free(struct conf_file *files, size_t n)
{
	for (size_t i = 0; files && i < n; i++) {
		free(files[i].path);
		free(files[i].text);
		free(files[i].pf);
	}
	free(files);
}

void
config_cache_free(struct config_cache *c)
{
	if (!c)
		return;
	config_files_free(c->files, c->n);
	strv_free(c->held);
	free(c);
}

char *const *
config_cache_held(const struct config_cache *c, size_t *n)
{
	*n = c ? c->nheld : 0;
	return c ? c->held : NULL;
}

static int
cmp_key(const void *key, const void *elem)
{
	return strcmp(key, ((const struct conf_file *)elem)->path);
}

static int
cmp_file(const void *a, const void *b)
{
	return strcmp(((const struct conf_file *)a)->path, ((const struct conf_file *)b)->path);
}

struct pfile *
config_cache_take(struct config_cache *c, const char *path, const char *text, size_t len)
{
	struct conf_file *f;
	struct pfile *pf;

	if (!c || !c->n)
		return NULL;
	f = bsearch(path, c->files, c->n, sizeof(*f), cmp_key);
	if (!f || !f->pf || f->len != len || memcmp(f->text, text, len))
		return NULL;
	pf = f->pf;
	f->pf = NULL;
	return pf;
}

/* Notes the files a successful load was read from (files is sorted by
 * path). Out of memory, the old set stays: it errs on the side of errors. */
static void
held_note(struct config_cache *c, const struct conf_file *files, size_t n)
{
	char **held = calloc(n + 1, sizeof(*held));
	size_t k = 0;

	if (!held)
		return;
	for (size_t i = 0; i < n; i++) {
		if (!files[i].pf || !files[i].pf->nsecs)
			continue;
		if (!(held[k++] = strdup(files[i].path))) {
			strv_free(held);
			return;
		}
	}
	strv_free(c->held);
	c->held = held;
	c->nheld = k;
}

void
config_cache_keep(struct config_cache *c, struct conf_file *files, size_t n, bool loaded)
{
	size_t k = 0;

	if (!c) {
		config_files_free(files, n);
		return;
	}
	if (loaded)
		held_note(c, files, n);
	config_files_free(c->files, c->n);
	for (size_t i = 0; i < n; i++) {
		if (files[i].text && files[i].pf) {
			files[k++] = files[i];
			continue;
		}
		free(files[i].path);
		free(files[i].text);
		free(files[i].pf);
	}
	if (k > 1)
		qsort(files, k, sizeof(*files), cmp_file);
	c->files = files;
	c->n = k;
}
