/* SPDX-License-Identifier: ISC */
/* portierctl audit: every open door of this host (listening TCP, bound
 * UDP, listening unix stream sockets with a name), who opened it, and whether it should be open, from the kernel's
 * sockets, the registry, conf.d and the running portierd's status. Sends
 * no packet. */
#include "autoconf.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/base.h"
#include "config/config.h"
#include "ctl/audit.h"
#include "ctl/ctl.h"

static const struct ctl_option_help audit_options[] = {
	{ "--json", "one JSON document (schema in portierctl(8))", NULL },
	{ "--fail-on LEVEL", "exit 1 on a finding this severe or more", "critical" },
	{ "-c, --confdir DIR", "the configuration, when portierd is not running",
	  PORTIER_CONFDIR },
	CTL_HELP_REGISTRY,
	{ "-s, --socket PATH", "portierd's control socket", PORTIER_RUNDIR "/control" },
	{ "-h, --help", "this help", NULL },
	{ NULL, NULL, NULL },
};

const struct ctl_help ctl_audit_help = {
	"audit", "[--json] [--fail-on info|warning|critical]\n"
	"[-c DIR] [-r FILE]... [-s PATH]",
	"every listening socket of this host, who holds it, and what should not be open",
	audit_options,
};

struct audit_opts {
	struct ctl_opts c;	/* c.dir NULL: portierd's, else PORTIER_CONFDIR */
	enum audit_severity fail_on;
	const char *const *registries;	/* -r FILE..., else the default ones */
};

/* What portierd said: its pid, confdir and each service's state. */
struct audit_daemon {
	struct json_value *status;
	struct audit_state *states;
	size_t nstates;
	pid_t pid;
};

static void
daemon_ask(struct audit_daemon *dm)
{
	struct control_request rq = { .cmd = CONTROL_STATUS };
	const struct json_value *svcs, *ok;
	size_t n = 0;

	memset(dm, 0, sizeof(*dm));
	dm->status = ctl_ask_quiet(&rq);
	ok = dm->status ? json_get(dm->status, "ok") : NULL;
	if (!ok || ok->type != JSON_BOOL || !ok->b)
		return;
	dm->pid = (pid_t)json_get_num(dm->status, "pid", 0);
	svcs = json_get(dm->status, "services");
	for (const struct json_value *s = svcs ? svcs->child : NULL; s; s = s->next)
		n++;
	dm->states = calloc(n ? n : 1, sizeof(*dm->states));
	for (const struct json_value *s = svcs ? svcs->child : NULL; dm->states && s; s = s->next) {
		struct audit_state *st = &dm->states[dm->nstates++];

		st->id = json_get_str(s, "id", "?");
		st->state = json_get_str(s, "state", "?");
		st->until = (time_t)json_get_num(s, "until", 0);
		st->last_error = json_get_str(s, "last_error", NULL);
	}
}

static void
daemon_free(struct audit_daemon *dm)
{
	free(dm->states);
	json_value_free(dm->status);
}

static int
by_address(const void *a, const void *b)
{
	const struct audit_sock *x = a, *y = b;

	/* the unix sockets last, by path */
	if ((x->family == AF_UNIX) != (y->family == AF_UNIX))
		return x->family == AF_UNIX ? 1 : -1;
	if (x->family == AF_UNIX)
		return strcmp(x->path, y->path);
	if (x->protocol != y->protocol)
		return x->protocol < y->protocol ? -1 : 1;
	if (x->port != y->port)
		return x->port < y->port ? -1 : 1;
	if (x->family != y->family)
		return x->family < y->family ? -1 : 1;
	return memcmp(x->addr, y->addr, sizeof(x->addr));
}

/* The configuration as portierd reads it, without the checks that look at
 * this host's users and files (check does those): any user may audit. */
static struct config *
load_config(const struct audit_opts *o, const char *dir, struct registry *reg,
	    char *note, size_t len)
{
	struct config *cfg;
	struct diag d;

	diag_init(&d);
	for (size_t i = 0; i < o->c.nfiles; i++)
		registry_load(reg, o->registries[i], false, &d);
	cfg = config_load(dir, reg, CONFIG_NO_FS_CHECKS, &d);
	if (!cfg)
		snprintf(note, len, "the configuration in %s is not valid (%zu error%s; "
			 "portierctl check tells more): audited without it", dir, d.errors,
			 d.errors == 1 ? "" : "s");
	diag_free(&d);
	return cfg;
}

static bool
failed(const struct audit_findings *f, enum audit_severity fail_on)
{
	for (int s = (int)fail_on; s <= AUDIT_CRITICAL; s++)
		if (f->by_severity[s])
			return true;
	return false;
}

static int
audit_report(const struct audit_opts *o, struct audit_input *in, const char *dir,
	     const char *note)
{
	struct audit_findings f;
	struct audit_report r = { .in = in, .f = &f, .confdir = dir, .fail_on = o->fail_on,
		.daemon = in->daemon_pid != 0, .note = note[0] ? note : NULL };
	int rc;

	if (audit_findings(in, &f) < 0) {
		audit_findings_free(&f);
		fprintf(stderr, "portierctl audit: out of memory\n");
		return CTL_EXIT_NO;
	}
	r.failed = failed(&f, o->fail_on);
	rc = r.failed ? CTL_EXIT_NO : CTL_EXIT_OK;
	if (o->c.json) {
		if (audit_print_json(&r) < 0)
			rc = CTL_EXIT_NO;
	} else {
		audit_print_table(&r, audit_term_width());
	}
	audit_findings_free(&f);
	return rc;
}

static int
audit_run(const struct audit_opts *o)
{
	struct audit_socks socks = { .v = NULL };
	struct audit_input in = { .socks = &socks, .now = time(NULL) };
	struct registry *reg = registry_new();
	struct audit_daemon dm;
	const char *dir = o->c.dir;
	char note[512] = "";
	int rc = CTL_EXIT_NO;

	daemon_ask(&dm);
	if (!dir)
		dir = dm.pid ? json_get_str(dm.status, "confdir", PORTIER_CONFDIR) : PORTIER_CONFDIR;
	if (!reg) {
		fprintf(stderr, "portierctl audit: out of memory\n");
		goto out;
	}
	if (audit_read_sockets(&socks) < 0) {
		fprintf(stderr, "portierctl audit: reading the sockets: %s\n", strerror(errno));
		goto out;
	}
	audit_find_owners(&socks);
	qsort(socks.v, socks.count, sizeof(socks.v[0]), by_address);
	in.cfg = load_config(o, dir, reg, note, sizeof(note));
	in.reg = reg;
	in.states = dm.states;
	in.nstates = dm.nstates;
	in.daemon_pid = dm.pid;
	if (!note[0] && geteuid() != 0)
		snprintf(note, sizeof(note), "not root: the processes of other users are not "
			 "named");
	rc = audit_report(o, &in, dir, note);
	config_free((struct config *)in.cfg);
out:
	audit_socks_free(&socks);
	registry_free(reg);
	daemon_free(&dm);
	return rc;
}

static int
parse_opts(int argc, char *argv[], struct audit_opts *o)
{
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "fail-on", required_argument, NULL, 'f' },
		{ "confdir", required_argument, NULL, 'c' },
		{ "registry", required_argument, NULL, 'r' },
		{ "socket", required_argument, NULL, 's' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	while ((c = getopt_long(argc, argv, ":c:r:s:h", longopts, NULL)) != -1) {
		if (ctl_opts_take(&o->c, c))
			continue;
		switch (c) {
		case 'f':
			if (audit_severity_parse(optarg, &o->fail_on) < 0)
				return ctl_usage_error(&ctl_audit_help, "--fail-on: '%s' is not "
						       "info, warning or critical", optarg);
			break;
		case 's':
			ctl_set_socket(optarg);
			break;
		default:
			return ctl_opts_stop(&ctl_audit_help, c, argv);
		}
	}
	if (optind < argc)
		return ctl_usage_error(&ctl_audit_help, "unexpected argument '%s'", argv[optind]);
	return -1;
}

int
ctl_audit(int argc, char *argv[])
{
	struct audit_opts o = { .fail_on = AUDIT_CRITICAL };
	int rc;

	if (ctl_opts_begin(&o.c, "audit", argc) < 0)
		return CTL_EXIT_NO;
	o.c.dir = NULL;		/* portierd's, when it runs */
	rc = parse_opts(argc, argv, &o);
	if (rc < 0) {
		o.registries = ctl_opts_registries(&o.c);
		rc = o.registries ? audit_run(&o) : CTL_EXIT_NO;
	}
	ctl_opts_end(&o.c);
	return rc;
}
