/* SPDX-License-Identifier: ISC */
/* convert_render: one converted service, or the defaults, as conf.d text in
 * libconfuse syntax; a service portier cannot run becomes comments only. */
#include "autoconf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "convert/convert.h"
#include "convert/convert_int.h"

/* A libconfuse double-quoted string: `\`, `"` and `$` (which would start a
 * ${VAR} substitution) are escaped. */
static void
put_str(FILE *fp, const char *s)
{
	fputc('"', fp);
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p == '\\' || *p == '"' || *p == '$')
			fprintf(fp, "\\%c", *p);
		else if (*p == '\t')
			fputs("\\t", fp);
		else if (*p < 0x20 || *p == 0x7f)
			/* not octal: libconfuse refuses "\0019", a digit after it */
			fprintf(fp, "\\x%02x", *p);
		else
			fputc(*p, fp);
	}
	fputc('"', fp);
}

/* key op { "a", "b" } */
static void
opt_strv(FILE *fp, const char *key, const char *op, const struct cv_strv *v)
{
	fprintf(fp, "\t%s %s {", key, op);
	for (size_t i = 0; i < v->n; i++) {
		fputs(i ? ", " : " ", fp);
		put_str(fp, v->v[i]);
	}
	fputs(v->n ? " }\n" : "}\n", fp);
}

static void
opt_str(FILE *fp, const char *key, const char *val)
{
	if (!val)
		return;
	fprintf(fp, "\t%s = ", key);
	put_str(fp, val);
	fputc('\n', fp);
}

/* Numbers and the words UNLIMITED/unlimited go unquoted. */
static void
opt_word(FILE *fp, const char *key, const char *val)
{
	if (val)
		fprintf(fp, "\t%s = %s\n", key, val);
}

static void
opt_bool(FILE *fp, const char *key, int val)
{
	if (val >= 0)
		fprintf(fp, "\t%s = %s\n", key, val ? "yes" : "no");
}

static void
opt_list(FILE *fp, const char *key, const struct cv_list *l)
{
	if (l->op != CV_NONE)
		opt_strv(fp, key, l->op == CV_ADD ? "+=" : "=", &l->v);
}

static void
render_identity(FILE *fp, const struct cv_svc *s)
{
	/* a unix service's name is made from its path and finds nothing */
	if (s->id && strcmp(s->id, s->name) && !s->unix_socket) {
		char *nat = cv_natural_id(s);

		if (strcmp(s->id, nat))
			opt_str(fp, "name", s->name);
		free(nat);
	}
	opt_bool(fp, "disable", s->disable);
	if (s->internal)
		opt_str(fp, "type", "internal");
	if (s->tcpmux)
		opt_bool(fp, "tcpmux", 1);
	opt_str(fp, "socket_type", s->socket_type);
	opt_str(fp, "protocol", s->protocol);
	opt_bool(fp, "wait", s->wait);
	if (s->port)
		fprintf(fp, "\tport = %u\n", s->port);
	if (s->bind.n)
		opt_strv(fp, "bind", "=", &s->bind);
	opt_str(fp, "socket_mode", s->socket_mode);
}

static void
render_handler(FILE *fp, const struct cv_svc *s)
{
	opt_str(fp, "user", s->user);
	opt_str(fp, "group", s->group);
	opt_str(fp, "server", s->server);
	if (s->args_set)
		opt_strv(fp, "server_args", "=", &s->args);
	opt_list(fp, "env", &s->env);
	opt_list(fp, "passenv", &s->passenv);
}

static void
render_limits(FILE *fp, const struct cv_svc *s)
{
	opt_word(fp, "instances", s->instances);
	opt_word(fp, "per_source", s->per_source);
	if (s->cps_set)
		fprintf(fp, "\tcps = { %u, %u }\n", s->cps_rate, s->cps_wait);
	opt_word(fp, "max_load", s->max_load);
	opt_list(fp, "only_from", &s->only_from);
	opt_list(fp, "no_access", &s->no_access);
	opt_list(fp, "access_times", &s->access_times);
	opt_list(fp, "log_on_success", &s->log_success);
	opt_list(fp, "log_on_failure", &s->log_failure);
	opt_word(fp, "nice", s->nice);
	opt_str(fp, "umask", s->umask);
	for (int i = 0; i < CV_RL_COUNT; i++)
		opt_word(fp, cv_rlimit_names[i], s->rlimit[i]);
	opt_str(fp, "banner", s->banner);
	opt_str(fp, "banner_success", s->banner_success);
	opt_str(fp, "banner_fail", s->banner_fail);
	if (s->keepalive)
		opt_bool(fp, "keepalive", 1);
	if (s->nodelay)
		opt_bool(fp, "nodelay", 1);
	opt_str(fp, "log_facility", s->log_facility);
}

/* Comment lines: every line of a note starts with "# ". */
static void
put_comment(FILE *fp, const char *indent, const char *text)
{
	fprintf(fp, "%s# ", indent);
	for (const char *p = text; *p; p++) {
		fputc(*p, fp);
		if (*p == '\n' && p[1])
			fprintf(fp, "%s# ", indent);
	}
	fputc('\n', fp);
}

static char *
render_section(const struct cv_svc *s)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&buf, &len);

	if (!fp)
		cv_oom();
	if (s->defaults) {
		fputs("defaults {\n", fp);
	} else {
		fputs("service ", fp);
		put_str(fp, s->id);
		fputs(" {\n", fp);
	}
	for (size_t i = 0; i < s->notes.n; i++)
		put_comment(fp, "\t", s->notes.v[i]);
	render_identity(fp, s);
	render_handler(fp, s);
	render_limits(fp, s);
	fputs("}\n", fp);
	if (fclose(fp) != 0)
		cv_oom();
	return buf;
}

char *
cv_render(const struct cv_svc *s)
{
	char *body = render_section(s), *what, *buf = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&buf, &len);

	if (!fp)
		cv_oom();
	if (s->defaults)
		what = cv_strdup("defaults");
	else if (s->unix_socket)
		what = cv_printf("unix socket %s", s->bind.v[0] + strlen("unix:"));
	else if (s->xid && strcmp(s->xid, s->name))
		what = cv_printf("service %s, id %s", s->name, s->xid);
	else
		what = cv_printf("service %s", s->name);
	fprintf(fp, "# From %s:%d (%s) by portierctl convert.\n", s->file, s->line, what);
	if (!s->commented) {
		fputs(body, fp);
	} else {
		/* Nothing portier can run: every line becomes a comment. */
		fputs("# Not converted: portier cannot run this service as written.\n", fp);
		for (char *line = strtok(body, "\n"); line; line = strtok(NULL, "\n"))
			fprintf(fp, "#%s%s\n", line[0] == '\t' ? "" : " ", line);
	}
	if (fclose(fp) != 0)
		cv_oom();
	free(what);
	free(body);
	return buf;
}
