/* SPDX-License-Identifier: ISC */
/* portierctl show ID: one service's effective settings, each with where its
 * value came from (config_show()), then what the loader derives from them
 * and a handler gets: the port, protocol and socket type, the argv, the
 * user and group, the PATH. Read from the files, as list does. */
#include "autoconf.h"

#include <getopt.h>
#include <grp.h>
#include <netinet/in.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/config.h"
#include "ctl/ctl.h"

static const struct ctl_option_help show_options[] = {
	{ "-c, --confdir DIR", "the configuration to read", PORTIER_CONFDIR },
	CTL_HELP_REGISTRY,
	{ "--json", "the settings and the derived values as one JSON object", NULL },
	{ "-h, --help", "this help", NULL },
	{ NULL, NULL, NULL },
};

const struct ctl_help ctl_show_help = {
	"show", "[-c DIR] [-r FILE]... [--json] ID",
	"one service's effective settings, each with where it came from",
	show_options,
};

/* What the loader and the host make of the settings. */
struct derived {
	const char *protocol, *socket_type;
	const char *user, *group;	/* NULL: internal, runs no handler */
	long long uid, gid;		/* -1: not known on this host */
	const char *path;		/* the handler's PATH */
	const char *path_from;		/* "env", "passenv" or "default" */
};

static void
derive(const struct config *cfg, const struct service *s, struct derived *dv)
{
	const struct passwd *pw;
	const struct group *gr;

	memset(dv, 0, sizeof(*dv));
	dv->protocol = s->protocol == IPPROTO_UDP ? "udp" : "tcp";
	dv->socket_type = s->socktype == SOCK_DGRAM ? "dgram" : "stream";
	dv->uid = dv->gid = -1;
	if (s->internal)
		return;
	dv->user = s->user ? s->user : cfg->settings.default_user;
	dv->group = s->group;
	if ((pw = getpwnam(dv->user))) {
		dv->uid = pw->pw_uid;
		dv->gid = pw->pw_gid;
		if (!dv->group && (gr = getgrgid(pw->pw_gid)))
			dv->group = gr->gr_name;
	}
	if (s->group)
		dv->gid = (gr = getgrnam(s->group)) ? (long long)gr->gr_gid : -1;
	dv->path = CONFIG_DEFAULT_PATH;
	dv->path_from = "default";
	for (size_t i = 0; s->passenv && s->passenv[i]; i++)
		if (!strcmp(s->passenv[i], "PATH")) {
			dv->path = NULL;	/* portierd's own, whatever it is */
			dv->path_from = "passenv";
		}
	for (size_t i = 0; s->env && s->env[i]; i++)
		if (!strncmp(s->env[i], "PATH=", 5)) {
			dv->path = s->env[i] + 5;
			dv->path_from = "env";
		}
}

static const char *const from_names[] = {
	[FROM_SERVICE] = "service", [FROM_DEFAULTS] = "defaults",
	[FROM_BUILTIN] = "built-in", [FROM_DERIVED] = "derived",
};

static void
show_json(const struct config *cfg, const struct service *s, const struct config_shown *sh,
	  const struct derived *dv, int *rc)
{
	struct json j;

	json_init(&j);
	json_object_begin(&j, NULL);
	json_string(&j, "id", s->id);
	json_string(&j, "file", s->file);
	json_int(&j, "line", s->line);
	json_array_begin(&j, "settings");
	for (size_t i = 0; i < sh->count; i++) {
		const struct config_setting *st = &sh->items[i];

		json_object_begin(&j, NULL);
		json_string(&j, "name", st->name);
		json_string(&j, "value", st->value);
		json_string(&j, "origin", from_names[st->from]);
		json_string(&j, "file", st->file);
		if (st->file)
			json_int(&j, "line", st->line);
		else
			json_string(&j, "line", NULL);
		json_object_end(&j);
	}
	json_array_end(&j);
	json_object_begin(&j, "derived");
	if (s->tcpmux)
		json_string(&j, "port", NULL);
	else
		json_int(&j, "port", s->port);
	json_string(&j, "protocol", dv->protocol);
	json_string(&j, "socket_type", dv->socket_type);
	json_array_begin(&j, "argv");
	for (size_t i = 0; s->argv && s->argv[i]; i++)
		json_string(&j, NULL, s->argv[i]);
	json_array_end(&j);
	json_string(&j, "user", dv->user);
	json_string(&j, "group", dv->group);
	if (dv->uid >= 0)
		json_int(&j, "uid", dv->uid);
	else
		json_string(&j, "uid", NULL);
	if (dv->gid >= 0)
		json_int(&j, "gid", dv->gid);
	else
		json_string(&j, "gid", NULL);
	json_string(&j, "path", dv->path);
	json_string(&j, "path_from", s->internal ? NULL : dv->path_from);
	json_object_end(&j);
	json_object_end(&j);
	*rc = ctl_json_print(&j, "show") == 0 && cfg ? 0 : 1;
	json_free(&j);
}

/* "NAME = VALUE", or a comment when there is no value. */
static int
show_left(const struct config_setting *st, char *buf, size_t len)
{
	if (!st->value)
		return snprintf(buf, len, "# %s is not set", st->name);
	return snprintf(buf, len, "%s = %s", st->name, st->value);
}

static void
show_text(const struct service *s, const struct config_shown *sh, const struct derived *dv)
{
	int width = 0;
	char left[4096];

	for (size_t i = 0; i < sh->count; i++) {
		int n = show_left(&sh->items[i], left, sizeof(left));

		width = n > width && n <= 40 ? n : width;
	}
	printf("# service '%s' at %s:%d\n", s->id, s->file, s->line);
	for (size_t i = 0; i < sh->count; i++) {
		const struct config_setting *st = &sh->items[i];

		show_left(st, left, sizeof(left));
		printf("%-*s  # ", width, left);
		if (st->from == FROM_SERVICE)
			printf("%s:%d\n", st->file, st->line);
		else if (st->from == FROM_DEFAULTS)
			printf("defaults %s:%d\n", st->file, st->line);
		else if (st->from == FROM_DERIVED)
			printf("derived\n");
		else
			printf("built-in default\n");
	}
	if (s->tcpmux)
		printf("# derived: port = none (tcpmux only)\n");
	else
		printf("# derived: port = %u\n", s->port);
	printf("# derived: protocol = %s\n# derived: socket_type = %s\n", dv->protocol,
	       dv->socket_type);
	if (s->internal) {
		printf("# derived: internal: no handler, no user, no environment\n");
		return;
	}
	printf("# derived: argv =");
	for (size_t i = 0; s->argv && s->argv[i]; i++)
		printf(" %s", s->argv[i]);
	printf("\n# derived: user = %s", dv->user);
	if (dv->uid >= 0)
		printf(" (uid %lld)", dv->uid);
	else
		printf(" (unknown on this host)");
	printf("\n# derived: group = %s", dv->group ? dv->group : "?");
	if (dv->gid >= 0)
		printf(" (gid %lld)", dv->gid);
	else
		printf(" (unknown on this host)");
	if (dv->path)
		printf("\n# derived: PATH = %s (%s)\n", dv->path,
		       !strcmp(dv->path_from, "env") ? "env" : "the built-in default");
	else
		printf("\n# derived: PATH = portierd's own (passenv)\n");
}

static int
show_run(const struct ctl_opts *o, const char *const *regs, const char *id)
{
	struct registry *reg = registry_new();
	struct config_shown sh;
	struct config *cfg;
	const struct service *s;
	struct derived dv;
	struct diag d;
	int rc = 1;

	if (!reg) {
		fprintf(stderr, "portierctl show: out of memory\n");
		return 1;
	}
	diag_init(&d);
	for (size_t i = 0; i < o->nfiles; i++)
		registry_load(reg, regs[i], false, &d);
	cfg = config_show(o->dir, reg, CONFIG_NO_FS_CHECKS, id, &sh, &d);
	diag_print(&d, stderr);
	if (!cfg)
		fprintf(stderr, "portierctl show: %zu error%s: nothing to show "
			"(portierctl check tells more)\n", d.errors, d.errors == 1 ? "" : "s");
	else if (sh.oom)
		fprintf(stderr, "portierctl show: out of memory\n");
	else if (!(s = config_find(cfg, id)) || !sh.count)
		fprintf(stderr, "portierctl show: no service '%s' in %s\n", id, o->dir);
	else {
		derive(cfg, s, &dv);
		if (o->json)
			show_json(cfg, s, &sh, &dv, &rc);
		else {
			show_text(s, &sh, &dv);
			rc = 0;
		}
	}
	config_shown_free(&sh);
	config_free(cfg);
	registry_free(reg);
	diag_free(&d);
	return rc;
}

int
ctl_show(int argc, char *argv[])
{
	const char *const *regs;
	struct ctl_opts o;
	int rc;

	if (ctl_opts_begin(&o, "show", argc) < 0)
		return 1;
	rc = ctl_opts_parse(&o, &ctl_show_help, argc, argv);
	if (rc < 0 && optind == argc)
		rc = ctl_usage_error(&ctl_show_help, "which service? (portierctl list shows them)");
	else if (rc < 0 && optind < argc - 1)
		rc = ctl_usage_error(&ctl_show_help, "unexpected argument '%s'", argv[optind + 1]);
	else if (rc < 0)
		rc = (regs = ctl_opts_registries(&o)) ? show_run(&o, regs, argv[optind]) : 1;
	ctl_opts_end(&o);
	return rc;
}
