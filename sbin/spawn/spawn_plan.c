/* spawn_plan: see spawn_plan.h. */
#include "autoconf.h"

#include <string.h>

#include "spawn/spawn_plan.h"

static bool
has_gid(const gid_t *v, size_t n, gid_t g)
{
	for (size_t i = 0; i < n; i++)
		if (v[i] == g)
			return true;
	return false;
}

/* Quadratic, but both lists are a user's few groups, compared once per
 * service at load time. */
bool
spawn_plan_same_groups(const gid_t *a, size_t na, const gid_t *b, size_t nb)
{
	for (size_t i = 0; i < na; i++)
		if (!has_gid(b, nb, a[i]))
			return false;
	for (size_t i = 0; i < nb; i++)
		if (!has_gid(a, na, b[i]))
			return false;
	return true;
}

bool
spawn_plan_same_id(unsigned int want, const unsigned int ids[3])
{
	return ids[0] == want && ids[1] == want && ids[2] == want;
}

bool
spawn_plan_same_rlimit(const struct rlimit *cur, rlim_t want)
{
	return cur->rlim_cur == want && cur->rlim_max == want;
}

size_t
spawn_plan_put(char *dst, size_t cap, const char *prefix, const char *text)
{
	size_t n = 0;

	if (!cap)
		return 0;
	for (const char *s = prefix; *s && n + 1 < cap; s++)
		dst[n++] = *s;
	for (const char *s = text; *s && n + 1 < cap; s++)
		dst[n++] = *s;
	dst[n] = '\0';
	return n;
}

size_t
spawn_plan_put_uint(char *dst, size_t cap, const char *prefix, unsigned long v)
{
	char digits[24];
	size_t n = sizeof(digits) - 1;

	digits[n] = '\0';
	do {
		digits[--n] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	return spawn_plan_put(dst, cap, prefix, digits + n);
}
