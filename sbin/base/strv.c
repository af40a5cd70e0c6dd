/* SPDX-License-Identifier: ISC */
/* strv: NULL-terminated vectors of strings that own their strings (argv,
 * environments, lists of names), and the growth of any array; see base.h. */
#include "autoconf.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/base.h"

size_t
strv_len(char *const *v)
{
	size_t n = 0;

	while (v && v[n])
		n++;
	return n;
}

int
strv_push(char ***v, const char *s)
{
	size_t n = strv_len(*v);
	char **nv = realloc(*v, (n + 2) * sizeof(char *));

	if (!nv)
		return -1;
	*v = nv;
	nv[n] = strdup(s);
	nv[n + 1] = NULL;
	return nv[n] ? 0 : -1;
}

char **
strv_dup(char *const *v)
{
	size_t n = strv_len(v);
	char **nv;

	if (!v)
		return NULL;
	nv = calloc(n + 1, sizeof(char *));
	if (!nv)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		nv[i] = strdup(v[i]);
		if (!nv[i]) {
			strv_free(nv);
			return NULL;
		}
	}
	return nv;
}

void
strv_free(char **v)
{
	for (size_t i = 0; v && v[i]; i++)
		free(v[i]);
	free(v);
}

int
array_reserve(void *arrp, size_t *cap, size_t need, size_t size)
{
	void **arr = arrp;
	size_t n = *cap ? *cap : 8;
	void *v;

	if (need <= *cap)
		return 0;
	while (n < need) {
		if (n > SIZE_MAX / 2)
			return -1;
		n *= 2;
	}
	if (n > SIZE_MAX / size)
		return -1;
	v = realloc(*arr, n * size);
	if (!v)
		return -1;
	*arr = v;
	*cap = n;
	return 0;
}
