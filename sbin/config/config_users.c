/* SPDX-License-Identifier: ISC */
/* config_users: the users and groups the services name, each looked up
 * once per load (see config_int.h). */
#include "autoconf.h"

#include <ctype.h>
#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>

#include "config/config_int.h"

#define MAX_GROUPS	1024	/* more supplementary groups than any sane user has */

void
config_users_free(struct user_cache *uc)
{
	if (!uc)
		return;
	for (size_t i = 0; i < uc->n; i++) {
		free(uc->v[i]->name);
		free(uc->v[i]->gids);
		free(uc->v[i]);
	}
	free(uc->v);
	free(uc->me);
	free(uc->my_gids);
	free(uc);
}

static bool
numeric(const char *s, unsigned long *v)
{
	char *end;

	if (!isdigit((unsigned char)*s))
		return false;
	errno = 0;
	*v = strtoul(s, &end, 10);
	return !*end && errno == 0;
}

static gid_t *
group_list(const char *name, gid_t gid, int *n)
{
	int cap = 32;
	gid_t *g = NULL;

	for (int tries = 0; tries < 4; tries++) {
		gid_t *ng = realloc(g, (size_t)cap * sizeof(gid_t));

		if (!ng)
			break;
		g = ng;
		*n = cap;
		if (getgrouplist(name, gid, g, n) >= 0)
			return g;
		cap = *n > cap && *n <= MAX_GROUPS ? *n : cap * 2;
	}
	free(g);
	*n = 0;
	return NULL;
}

/* By name, else by number. In the daemon itself: the NSS modules this
 * loads (libnss_systemd, sssd's) stay mapped for its life. */
static void
resolve(struct ident *e)
{
	unsigned long num;

	if (e->group) {
		struct group *gr = getgrnam(e->name);

		if (!gr && numeric(e->name, &num))
			gr = getgrgid((gid_t)num);
		if (gr) {
			e->found = true;
			e->gid = gr->gr_gid;
		}
		return;
	}

	struct passwd *pw = getpwnam(e->name);

	if (!pw && numeric(e->name, &num))
		pw = getpwuid((uid_t)num);
	if (pw) {
		e->found = true;
		e->uid = pw->pw_uid;
		e->gid = pw->pw_gid;
		e->gids = group_list(pw->pw_name, pw->pw_gid, &e->ngids);
	}
}

struct user_cache *
config_users(struct loader *ld)
{
	if (!ld->users)
		ld->users = calloc(1, sizeof(*ld->users));
	return ld->users;
}

const struct ident *
config_ident(struct loader *ld, const char *name, bool group)
{
	struct user_cache *uc = config_users(ld);
	struct ident *e, **v;

	if (!uc)
		return NULL;
	for (size_t i = 0; i < uc->n; i++)
		if (uc->v[i]->group == group && !strcmp(uc->v[i]->name, name))
			return uc->v[i];
	v = realloc(uc->v, (uc->n + 1) * sizeof(*v));
	if (!v)
		return NULL;
	uc->v = v;
	e = calloc(1, sizeof(*e));
	if (!e || !(e->name = strdup(name))) {
		free(e);
		return NULL;
	}
	v[uc->n++] = e;
	e->group = group;
	resolve(e);
	return e;
}
