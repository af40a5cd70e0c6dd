/* SPDX-License-Identifier: ISC */
/* portierctl list: every service of conf.d, enabled or not, with where it
 * is declared and what it listens on, read from the files (no portierd
 * needed). Also the JSON of services and diagnostics that check --json
 * shares. */
#include "autoconf.h"

#include <getopt.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/un.h>
#include <time.h>

#include "config/config.h"
#include "ctl/ctl.h"

static const struct ctl_option_help list_options[] = {
	{ "-c, --confdir DIR", "the configuration to list", PORTIER_CONFDIR },
	CTL_HELP_REGISTRY,
	{ "--json", "the services and the diagnostics as one JSON object", NULL },
	{ "-h, --help", "this help", NULL },
	{ NULL, NULL, NULL },
};

const struct ctl_help ctl_list_help = {
	"list", "[-c DIR] [-r FILE]... [--json]",
	"every service of the configuration, enabled or not, and where it is declared",
	list_options,
};

/* What the files say, as of now; portierd's status adds runtime states. */
static const char *
list_state(const struct service *s, time_t now)
{
	if (s->disabled)
		return "disabled";
	if (s->expires && s->expires <= now)
		return "expired";
	if (s->tcpmux)
		return "tcpmux-only";
	return "enabled";
}

static const char *
list_proto(const struct service *s)
{
	return s->protocol == IPPROTO_UDP ? "udp" : "tcp";
}

/* "7/tcp" (every address), "127.0.0.1:7/tcp,[::1]:7/tcp" or "tcpmux:NAME",
 * as check prints it; like snprintf. */
static int
list_listen(const struct service *s, char *buf, size_t len)
{
	size_t n = 0;

#define PUT(...) (n += (size_t)snprintf(n < len ? buf + n : NULL, n < len ? len - n : 0, __VA_ARGS__))
	if (s->tcpmux)
		PUT("tcpmux:%s", s->name);
	if (s->local)
		PUT("unix:%s", ((const struct sockaddr_un *)&s->bind[0])->sun_path);
	for (size_t i = 0; !s->tcpmux && !s->local && i < s->nbind; i++) {
		char a[INET6_ADDRSTRLEN + 8];

		PUT("%s%s:%u/%s", i ? "," : "", cval_sockaddr_str(&s->bind[i], true, a, sizeof(a)),
		    s->port, list_proto(s));
	}
	if (!s->tcpmux && !s->nbind)
		PUT("%u/%s", s->port, list_proto(s));
#undef PUT
	return (int)n;
}

void
ctl_services_json(struct json *j, const struct config *cfg)
{
	time_t now = time(NULL);

	json_array_begin(j, "services");
	for (size_t i = 0; cfg && i < cfg->count; i++) {
		const struct service *s = &cfg->services[i];
		char a[INET6_ADDRSTRLEN + 112];

		json_object_begin(j, NULL);
		json_string(j, "id", s->id);
		json_string(j, "name", s->name);
		json_string(j, "state", list_state(s, now));
		json_string(j, "file", s->file);
		json_int(j, "line", s->line);
		json_string(j, "type", s->internal ? "internal" : "handler");
		json_string(j, "protocol", list_proto(s));
		json_string(j, "socket_type", s->socktype == SOCK_STREAM ? "stream" : "dgram");
		json_bool(j, "wait", s->wait);
		json_bool(j, "tcpmux", s->tcpmux);
		if (s->tcpmux)
			json_string(j, "port", NULL);
		else
			json_int(j, "port", s->port);
		json_array_begin(j, "bind");	/* empty: every address */
		for (size_t k = 0; k < s->nbind; k++)
			json_string(j, NULL, cval_sockaddr_str(&s->bind[k], false, a, sizeof(a)));
		json_array_end(j);
		if (s->expires)
			json_int(j, "expires", (long long)s->expires);
		else
			json_string(j, "expires", NULL);
		json_string(j, "server", s->server);
		json_string(j, "user", s->internal ? NULL : s->user_name);
		json_object_end(j);
	}
	json_array_end(j);
}

void
ctl_diag_json(struct json *j, const struct diag *d)
{
	json_array_begin(j, "diagnostics");
	for (size_t i = 0; i < d->count; i++) {
		json_object_begin(j, NULL);
		json_string(j, "level", d->items[i].level == DIAG_ERROR ? "error" : "warning");
		json_string(j, "text", d->items[i].text);
		json_object_end(j);
	}
	json_array_end(j);
	json_int(j, "errors", (long long)d->errors);
	json_int(j, "warnings", (long long)(d->count - d->errors));
}

int
ctl_json_print(const struct json *j, const char *cmd)
{
	const char *text = json_text(j);

	if (!text) {
		fprintf(stderr, "portierctl %s: out of memory\n", cmd);
		return -1;
	}
	printf("%s\n", text);
	return 0;
}

/* One line per service, columns as wide as their widest value; the
 * listen column can be long, so file:line comes before it. */
static void
list_print(const struct config *cfg)
{
	int wid = 2, wstate = 5, wtype = 4, wwhere = 9;
	time_t now = time(NULL);
	char listen[1024];

	for (size_t i = 0; i < cfg->count; i++) {
		const struct service *s = &cfg->services[i];
		int n;

		n = (int)strlen(s->id);
		wid = n > wid ? n : wid;
		n = (int)strlen(list_state(s, now));
		wstate = n > wstate ? n : wstate;
		n = s->internal ? 8 : 7;
		wtype = n > wtype ? n : wtype;
		n = snprintf(NULL, 0, "%s:%d", s->file, s->line);
		wwhere = n > wwhere ? n : wwhere;
	}
	printf("%-*s  %-*s  %-*s  %-*s  %s\n", wid, "ID", wstate, "STATE", wtype, "TYPE",
	       wwhere, "FILE:LINE", "LISTEN");
	for (size_t i = 0; i < cfg->count; i++) {
		const struct service *s = &cfg->services[i];
		int n = snprintf(NULL, 0, "%s:%d", s->file, s->line);

		if (list_listen(s, listen, sizeof(listen)) >= (int)sizeof(listen))
			strcpy(listen + sizeof(listen) - 4, "...");
		printf("%-*s  %-*s  %-*s  %s:%d%*s  %s\n", wid, s->id, wstate, list_state(s, now),
		       wtype, s->internal ? "internal" : "handler", s->file, s->line,
		       wwhere - n, "", listen);
	}
}

/* Loads as portierd would, without the checks that look at this host
 * (users, servers, files: check does those), so that any user can list. */
static int
list_run(const char *dir, const char *const *files, size_t nfiles, bool json, struct diag *pre)
{
	struct registry *reg = registry_new();
	struct config *cfg = NULL;
	struct diag d;
	struct json j;
	int rc = 1;

	if (!reg) {
		fprintf(stderr, "portierctl list: out of memory\n");
		return 1;
	}
	diag_init(&d);
	diag_move(&d, pre);
	for (size_t i = 0; files && i < nfiles; i++)
		registry_load(reg, files[i], false, &d);
	if (files)
		cfg = config_load(dir, reg, CONFIG_NO_FS_CHECKS, &d);
	if (json) {
		json_init(&j);
		json_object_begin(&j, NULL);
		json_bool(&j, "ok", cfg != NULL);
		json_string(&j, "confdir", dir);
		ctl_diag_json(&j, &d);
		ctl_services_json(&j, cfg);
		json_object_end(&j);
		if (ctl_json_print(&j, "list") == 0 && cfg)
			rc = 0;
		json_free(&j);
	} else {
		diag_print(&d, stderr);
		if (cfg) {
			list_print(cfg);
			rc = 0;
		} else {
			fprintf(stderr, "portierctl list: %zu error%s: nothing to list "
				"(portierctl check tells more)\n", d.errors, d.errors == 1 ? "" : "s");
		}
	}
	config_free(cfg);
	registry_free(reg);
	diag_free(&d);
	return rc;
}

int
ctl_list(int argc, char *argv[])
{
	const char *const *regs;
	struct ctl_opts o;
	struct diag d;
	int rc;

	if (ctl_opts_begin(&o, "list", argc) < 0)
		return 1;
	diag_init(&d);
	rc = ctl_opts_parse(&o, &ctl_list_help, argc, argv);
	if (rc < 0 && optind < argc) {
		rc = ctl_usage_error(&ctl_list_help, "unexpected argument '%s'", argv[optind]);
	} else if (rc < 0) {
		/* --json: what the registry search says goes into the document */
		o.diag = o.json ? &d : NULL;
		regs = ctl_opts_registries(&o);
		rc = regs || o.json ? list_run(o.dir, regs, o.nfiles, o.json, &d) : 1;
	}
	diag_free(&d);
	ctl_opts_end(&o);
	return rc;
}
