/* SPDX-License-Identifier: ISC */
/* banner: the texts of `banner`, `banner_success` and `banner_fail`, read
 * once at start-up and written to a new TCP connection without blocking
 * (a fresh connection's send buffer takes a banner of BANNER_MAX bytes). */
#ifndef PORTIER_BANNER_H
#define PORTIER_BANNER_H

#include <stddef.h>

/* Longer files are cut here (with a warning at start-up). */
#define BANNER_MAX 8192

struct banner {
	char *text;		/* NULL: no banner */
	size_t len;
};

/* Reads path (NULL: no banner); a file that cannot be read is logged for
 * service id and leaves the banner empty. */
void banner_load(struct banner *b, const char *path, const char *id);
/* Writes the banner to the connection fd, never blocking. */
void banner_send(const struct banner *b, int fd, const char *id);
void banner_free(struct banner *b);

#endif
