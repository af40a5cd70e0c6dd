/* config_build: freeing the struct service being put together, and string
 * vectors. Its built-in defaults and the copies of the defaults section's
 * template are made from the option table (config_opts.c). */
#include "autoconf.h"

#include <stdlib.h>
#include <string.h>

#include "config/config_int.h"

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
