/* config_build: the struct service being put together: deep copies of the
 * defaults section's template, freeing, and string vectors. The built-in
 * defaults are in the option table (config_opts.c). */
#include "autoconf.h"

#include <stdlib.h>
#include <string.h>

#include "config/config_int.h"

static void *
memdup(const void *p, size_t n)
{
	void *q;

	if (!p || n == 0)
		return NULL;
	q = malloc(n);
	if (q)
		memcpy(q, p, n);
	return q;
}

static int
dupstr(char **dst, const char *src)
{
	*dst = src ? strdup(src) : NULL;
	return src && !*dst ? -1 : 0;
}

int
config_build_copy(struct build *dst, const struct build *src)
{
	const struct service *a = &src->s;
	struct service *s = &dst->s;
	int rc = 0;

	/* The scalars first, then every owned pointer replaced by a copy. */
	*s = *a;
	memcpy(dst->at, src->at, sizeof(dst->at));
	memset(dst->own, 0, sizeof(dst->own));
	s->id = s->name = s->file = s->server = s->user = s->group = s->user_name = NULL;
	s->chroot = s->banner = s->banner_success = s->banner_fail = NULL;
	rc |= dupstr(&s->user, a->user);
	rc |= dupstr(&s->group, a->group);
	rc |= dupstr(&s->server, a->server);
	rc |= dupstr(&s->chroot, a->chroot);
	rc |= dupstr(&s->banner, a->banner);
	rc |= dupstr(&s->banner_success, a->banner_success);
	rc |= dupstr(&s->banner_fail, a->banner_fail);
	s->groups = config_strv_dup(a->groups);
	s->env = config_strv_dup(a->env);
	s->passenv = config_strv_dup(a->passenv);
	dst->server_args = config_strv_dup(src->server_args);
	s->argv = NULL;
	s->gids = NULL;
	s->ngids = 0;
	s->bind = memdup(a->bind, a->nbind * sizeof(*a->bind));
	s->only_from.rules = memdup(a->only_from.rules,
				    a->only_from.count * sizeof(struct addr_rule));
	s->no_access.rules = memdup(a->no_access.rules,
				    a->no_access.count * sizeof(struct addr_rule));
	s->access_times = memdup(a->access_times,
				 a->naccess_times * sizeof(struct time_window));
	if ((a->groups && !s->groups) || (a->env && !s->env) ||
	    (a->passenv && !s->passenv) || (src->server_args && !dst->server_args) ||
	    (a->nbind && !s->bind) || (a->only_from.count && !s->only_from.rules) ||
	    (a->no_access.count && !s->no_access.rules) ||
	    (a->naccess_times && !s->access_times))
		rc = -1;
	return rc;
}

void
config_build_release(struct build *b)
{
	config_strv_free(b->server_args);
	b->server_args = NULL;
}

void
config_service_clear(struct service *s)
{
	free(s->id);
	free(s->name);
	free(s->file);
	free(s->bind);
	free(s->user);
	free(s->group);
	free(s->user_name);
	config_strv_free(s->groups);
	free(s->gids);
	free(s->server);
	config_strv_free(s->argv);
	config_strv_free(s->env);
	config_strv_free(s->passenv);
	free(s->only_from.rules);
	free(s->no_access.rules);
	free(s->access_times);
	free(s->chroot);
	free(s->banner);
	free(s->banner_success);
	free(s->banner_fail);
	memset(s, 0, sizeof(*s));
}

size_t
config_strv_len(char *const *v)
{
	size_t n = 0;

	while (v && v[n])
		n++;
	return n;
}

int
config_strv_push(char ***v, const char *s)
{
	size_t n = config_strv_len(*v);
	char **nv = realloc(*v, (n + 2) * sizeof(char *));

	if (!nv)
		return -1;
	*v = nv;
	nv[n] = strdup(s);
	nv[n + 1] = NULL;
	return nv[n] ? 0 : -1;
}

char **
config_strv_dup(char *const *v)
{
	size_t n = config_strv_len(v);
	char **nv;

	if (!v)
		return NULL;
	nv = calloc(n + 1, sizeof(char *));
	if (!nv)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		nv[i] = strdup(v[i]);
		if (!nv[i]) {
			config_strv_free(nv);
			return NULL;
		}
	}
	return nv;
}

void
config_strv_free(char **v)
{
	for (size_t i = 0; v && v[i]; i++)
		free(v[i]);
	free(v);
}
