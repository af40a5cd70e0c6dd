/* SPDX-License-Identifier: ISC */
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
	strv_free(b->server_args);
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
	strv_free(s->groups);
	free(s->gids);
	free(s->socket_user);
	free(s->interface);
	free(s->socket_group);
	strv_free(s->allow_users);
	strv_free(s->allow_groups);
	free(s->allow_uids);
	free(s->allow_gids);
	free(s->server);
	strv_free(s->argv);
	strv_free(s->env);
	strv_free(s->passenv);
	free(s->only_from.rules);
	free(s->no_access.rules);
	free(s->access_times);
	free(s->chroot);
	free(s->banner);
	free(s->banner_success);
	free(s->banner_fail);
	memset(s, 0, sizeof(*s));
}
