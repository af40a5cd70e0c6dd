/* SPDX-License-Identifier: ISC */
/* portierctl lookup: search the registry by name, alias, port or
 * port/protocol and print one aligned line per matching entry under a
 * header, or the entries as JSON. */
#include "autoconf.h"

#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctl/ctl.h"
#include "config/config.h"

static const struct ctl_option_help lookup_options[] = {
	CTL_HELP_REGISTRY,
	{ "--json", "the matching entries as one JSON object", NULL },
	{ "-h, --help", "this help", NULL },
	{ NULL, NULL, NULL },
};

const struct ctl_help ctl_lookup_help = {
	"lookup", "NAME|PORT|PORT/PROTO [-r FILE]... [--json]",
	"search the registry by name, alias, port or port/protocol",
	lookup_options,
};

struct query {
	const char *text;
	bool by_port;
	unsigned port;
	bool any_proto;
	enum reg_proto proto;
};

struct matches {
	const struct reg_entry **v;
	size_t n;
	size_t alloc;
	const struct query *q;
	bool oom;
};

/* 0, or -1 after printing why the argument is no query. */
static int
lookup_parse(const char *arg, struct query *q)
{
	size_t ndigits = strspn(arg, "0123456789");

	*q = (struct query){ .text = arg, .any_proto = true };
	if (!*arg) {
		fprintf(stderr, "portierctl lookup: empty name\n");
		return -1;
	}
	/* Names may start with digits (3com-tsmux) and hold a slash (cl/1). */
	if (ndigits == 0 || (arg[ndigits] && arg[ndigits] != '/'))
		return 0;
	q->by_port = true;
	q->port = ndigits > 5 ? 65536 : (unsigned)strtoul(arg, NULL, 10);
	if (q->port > 65535) {
		fprintf(stderr, "portierctl lookup: port %.*s out of range (0-65535)\n",
			(int)ndigits, arg);
		return -1;
	}
	if (arg[ndigits] == '/') {
		if (registry_proto_parse(arg + ndigits + 1, &q->proto) < 0) {
			fprintf(stderr, "portierctl lookup: unknown protocol '%s' (tcp, udp, sctp or dccp)\n",
				arg + ndigits + 1);
			return -1;
		}
		q->any_proto = false;
	}
	return 0;
}

static int
lookup_collect(const struct reg_entry *e, void *arg)
{
	struct matches *m = arg;

	if (!m->q->any_proto && e->proto != m->q->proto)
		return 0;
	if (m->n == m->alloc) {
		size_t n = m->alloc ? m->alloc * 2 : 8;
		const struct reg_entry **v = realloc(m->v, n * sizeof(*v));

		if (!v) {
			m->oom = true;
			return 1;
		}
		m->v = v;
		m->alloc = n;
	}
	m->v[m->n++] = e;
	return 0;
}

/* Every entry of the port, or the entry each protocol binds the name to. */
static void
lookup_find(const struct registry *reg, struct matches *m)
{
	const struct query *q = m->q;

	if (q->by_port) {
		registry_foreach_range(reg, q->port, q->port, lookup_collect, m);
		return;
	}
	for (int p = 0; p < REG_NPROTO && !m->oom; p++) {
		const struct reg_entry *e = registry_lookup_name(reg, q->text, (enum reg_proto)p);

		if (e)
			lookup_collect(e, m);
	}
}

/* The aliases column: "mail,smtps", or "-" when there are none. */
static int
lookup_alias_width(const struct reg_entry *e)
{
	size_t n = 0;

	for (size_t i = 0; e->aliases[i]; i++)
		n += strlen(e->aliases[i]) + (i ? 1 : 0);
	return n ? (int)n : 1;
}

static void
lookup_print_aliases(const struct reg_entry *e, int width)
{
	int n = lookup_alias_width(e);

	if (!e->aliases[0])
		putchar('-');
	for (size_t i = 0; e->aliases[i]; i++)
		printf("%s%s", i ? "," : "", e->aliases[i]);
	if (width > n)
		printf("%*s", width - n, "");
}

static const char *
lookup_class(const struct reg_entry *e)
{
	return registry_port_class_name(registry_port_class(e->port));
}

/* A header, then one line per entry, columns as wide as their widest
 * value. */
static void
lookup_print(const struct matches *m)
{
	int wname = 4, wport = 4, wclass = 5, walias = 7;
	char port[32];

	for (size_t i = 0; i < m->n; i++) {
		const struct reg_entry *e = m->v[i];
		int n;

		n = (int)strlen(e->name);
		wname = n > wname ? n : wname;
		n = snprintf(port, sizeof(port), "%u/%s", e->port, registry_proto_name(e->proto));
		wport = n > wport ? n : wport;
		n = (int)strlen(lookup_class(e));
		wclass = n > wclass ? n : wclass;
		n = lookup_alias_width(e);
		walias = n > walias ? n : walias;
	}
	printf("%-*s  %-*s  %-*s  %-*s  DESCRIPTION\n", wname, "NAME", wport, "PORT",
	       wclass, "CLASS", walias, "ALIASES");
	for (size_t i = 0; i < m->n; i++) {
		const struct reg_entry *e = m->v[i];

		snprintf(port, sizeof(port), "%u/%s", e->port, registry_proto_name(e->proto));
		printf("%-*s  %-*s  %-*s  ", wname, e->name, wport, port, wclass, lookup_class(e));
		/* No trailing blanks when there is no description. */
		lookup_print_aliases(e, e->description[0] ? walias : 0);
		if (e->description[0])
			printf("  %s", e->description);
		putchar('\n');
	}
}

/* Loads every file in order; warnings and errors go to stderr. */
static struct registry *
lookup_load(const char *const *files, size_t nfiles)
{
	struct registry *reg = registry_new();
	struct diag d;
	bool failed = false;

	if (!reg) {
		fprintf(stderr, "portierctl lookup: out of memory\n");
		return NULL;
	}
	diag_init(&d);
	for (size_t i = 0; i < nfiles; i++)
		if (registry_load(reg, files[i], false, &d) < 0)
			failed = true;
	diag_print(&d, stderr);
	diag_free(&d);
	if (failed) {
		registry_free(reg);
		return NULL;
	}
	return reg;
}

/* { query, entries: [{ name, port, protocol, class, aliases,
 * description, file, line }] } */
static int
lookup_json(const struct query *q, const struct matches *m)
{
	struct json j;
	int rc;

	json_init(&j);
	json_object_begin(&j, NULL);
	json_string(&j, "query", q->text);
	json_array_begin(&j, "entries");
	for (size_t i = 0; i < m->n; i++) {
		const struct reg_entry *e = m->v[i];

		json_object_begin(&j, NULL);
		json_string(&j, "name", e->name);
		json_int(&j, "port", e->port);
		json_string(&j, "protocol", registry_proto_name(e->proto));
		json_string(&j, "class", lookup_class(e));
		json_array_begin(&j, "aliases");
		for (size_t k = 0; e->aliases[k]; k++)
			json_string(&j, NULL, e->aliases[k]);
		json_array_end(&j);
		json_string(&j, "description", e->description);
		json_string(&j, "file", e->file);
		json_int(&j, "line", e->line);
		json_object_end(&j);
	}
	json_array_end(&j);
	json_object_end(&j);
	rc = ctl_json_print(&j, "lookup");
	json_free(&j);
	return rc;
}

static int
lookup_run(const char *const *files, size_t nfiles, const struct query *q, bool json)
{
	struct registry *reg = lookup_load(files, nfiles);
	struct matches m = { .q = q };
	int rc = 1;

	if (!reg)
		return 1;
	lookup_find(reg, &m);
	if (m.oom) {
		fprintf(stderr, "portierctl lookup: out of memory\n");
		goto out;
	}
	if (!m.n)
		fprintf(stderr, "portierctl lookup: %s: no such %s in the registry\n", q->text,
			q->by_port ? "port" : "name or alias");
	/* JSON answers a miss too (no entries), with the same exit status. */
	if (json && lookup_json(q, &m) < 0)
		goto out;
	if (m.n && !json)
		lookup_print(&m);
	rc = m.n ? 0 : 1;
out:
	free(m.v);
	registry_free(reg);
	return rc;
}

int
ctl_lookup(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "registry", required_argument, NULL, 'r' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *const *regs;
	struct ctl_opts o;
	struct query q;
	int c, rc = 2;

	if (ctl_opts_begin(&o, "lookup", argc) < 0)
		return 1;
	while ((c = getopt_long(argc, argv, ":r:h", longopts, NULL)) != -1) {
		if (ctl_opts_take(&o, c))
			continue;
		if (c == ':')
			ctl_usage_error(&ctl_lookup_help, "%s needs a FILE", argv[optind - 1]);
		else
			rc = ctl_opts_stop(&ctl_lookup_help, c, argv);
		goto out;
	}
	if (optind == argc)
		ctl_usage_error(&ctl_lookup_help, "what to look up?");
	else if (optind < argc - 1)
		ctl_usage_error(&ctl_lookup_help, "one NAME, PORT or PORT/PROTO only");
	else if (lookup_parse(argv[optind], &q) == 0) {
		regs = ctl_opts_registries(&o);
		rc = regs ? lookup_run(regs, o.nfiles, &q, o.json) : 1;
	}
out:
	ctl_opts_end(&o);
	return rc;
}
