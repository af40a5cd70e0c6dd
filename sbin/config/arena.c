/* arena: chunked bump allocation and whole-file buffers, see arena.h */
#include "autoconf.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config/arena.h"

#define ARENA_CHUNK	(64u << 10)
#define ARENA_ALIGN	_Alignof(max_align_t)
#define READ_GUESS	(64u << 10)	/* first buffer when the size is unknown (a pipe) */

struct arena_chunk {
	struct arena_chunk *next;
	size_t used;
	size_t size;
	max_align_t data[];
};

void
arena_init(struct arena *a)
{
	a->head = NULL;
}

void
arena_free(struct arena *a)
{
	for (struct arena_chunk *c = a->head, *next; c; c = next) {
		next = c->next;
		free(c);
	}
	a->head = NULL;
}

void *
arena_alloc(struct arena *a, size_t size)
{
	struct arena_chunk *c = a->head;

	size = (size + ARENA_ALIGN - 1) & ~(ARENA_ALIGN - 1);
	if (!c || c->size - c->used < size) {
		size_t csize = size > ARENA_CHUNK ? size : ARENA_CHUNK;

		c = malloc(sizeof(*c) + csize);
		if (!c)
			return NULL;
		c->next = a->head;
		c->used = 0;
		c->size = csize;
		a->head = c;
	}

	void *p = (char *)c->data + c->used;

	c->used += size;
	return p;
}

char *
arena_strdup(struct arena *a, const char *s)
{
	size_t n = strlen(s) + 1;
	char *p = arena_alloc(a, n);

	return p ? memcpy(p, s, n) : NULL;
}

/* Hands a full chunk to the arena behind the current one, so that the
 * current chunk's free space stays in use. */
static void
arena_adopt(struct arena *a, struct arena_chunk *c)
{
	c->used = c->size;
	if (a->head) {
		c->next = a->head->next;
		a->head->next = c;
	} else {
		c->next = NULL;
		a->head = c;
	}
}

/* Reads fd to its end into one chunk; NULL with a reason in *why. */
static struct arena_chunk *
read_all(int fd, size_t size, size_t max, size_t *len, const char **why)
{
	struct arena_chunk *c = NULL;
	size_t n = 0;

	for (;;) {
		if (!c || n + 1 >= size) {
			if (c)
				size *= 2;

			struct arena_chunk *nc = realloc(c, sizeof(*c) + size);

			if (!nc) {
				*why = "out of memory";
				break;
			}
			c = nc;
			c->size = size;
		}

		ssize_t r = read(fd, (char *)c->data + n, size - 1 - n);

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			*why = strerror(errno);
			break;
		}
		if (r == 0) {
			((char *)c->data)[n] = '\0';
			*len = n;
			return c;
		}
		n += (size_t)r;
		if (n > max) {
			*why = "file too large";
			break;
		}
	}
	free(c);
	return NULL;
}

char *
arena_read_file(struct arena *a, const char *path, size_t max, size_t *len, struct diag *d)
{
	struct stat st;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0) {
		diag_add(d, DIAG_ERROR, path, 0, "cannot open: %s", strerror(errno));
		return NULL;
	}
	if (fstat(fd, &st) < 0) {
		diag_add(d, DIAG_ERROR, path, 0, "cannot stat: %s", strerror(errno));
		close(fd);
		return NULL;
	}
	if (S_ISDIR(st.st_mode)) {
		diag_add(d, DIAG_ERROR, path, 0, "is a directory, not a file");
		close(fd);
		return NULL;
	}

	/* st_size is a hint: pipes say 0, and a file may grow while we read.
	 * One byte more than the size lets read() report the end without a
	 * reallocation, another one is for the NUL. */
	size_t size = S_ISREG(st.st_mode) && st.st_size > 0 && (uintmax_t)st.st_size < max ?
		      (size_t)st.st_size + 2 : READ_GUESS;
	const char *why = NULL;
	struct arena_chunk *c = read_all(fd, size, max, len, &why);

	close(fd);
	if (!c) {
		diag_add(d, DIAG_ERROR, path, 0, "cannot read: %s", why);
		return NULL;
	}
	arena_adopt(a, c);
	return (char *)c->data;
}
