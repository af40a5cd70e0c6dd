/* SPDX-License-Identifier: ISC */
/* audit_out: the audit for people (a table fitted to the terminal, the
 * findings under it) and for programs (one JSON document whose schema
 * portierctl(8) documents and keeps stable: fields are only ever added). */
#include "autoconf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "base/base.h"
#include "config/config.h"
#include "ctl/audit.h"

/* The JSON document's version: raised only when a field changes meaning. */
#define AUDIT_JSON_VERSION 1
/* Below this, columns would be cut to nothing: the table overflows. */
#define MIN_WIDTH 40
/* Where a finding's text starts: after "critical  ". */
#define FINDING_INDENT 10

enum { C_PROTO, C_ADDR, C_PORT, C_PID, C_USER, C_CMD, C_NAME, C_CLASS, C_SVC, C_STATE, NCOLS };

static const char *const headers[NCOLS] = {
	"PROTO", "ADDRESS", "PORT", "PID", "USER", "COMMAND", "NAME", "CLASS", "SERVICE", "STATE",
};
/* When the terminal is narrow, the widest column above its floor is cut
 * first, until all are at their floors; then, in this order, down to 4
 * (the address last: it is what the admin looks for). */
static const int floors[NCOLS] = {
	[C_ADDR] = 15, [C_USER] = 6, [C_CMD] = 8, [C_NAME] = 8, [C_SVC] = 8, [C_STATE] = 10,
};
static const int cut_order[] = { C_STATE, C_SVC, C_CMD, C_NAME, C_USER, C_ADDR };

int
audit_term_width(void)
{
	struct winsize ws;
	const char *cols = getenv("COLUMNS");
	long n;

	if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
		return ws.ws_col;
	if (cols && cval_int(cols, 1, 10000, &n) == 0)
		return (int)n;
	return 80;
}

/* "open until 2026-12-06 16:40:02", "listening, expires ..." */
static void
state_text(const struct audit_sock *k, char *buf, size_t len)
{
	char when[64];
	int n;

	if (!k->service) {
		snprintf(buf, len, "-");
		return;
	}
	n = snprintf(buf, len, "%s", k->state ? k->state : "?");
	if (k->until && n >= 0 && (size_t)n < len) {
		text_date(k->until, false, when, sizeof(when));
		n += snprintf(buf + n, len - (size_t)n, " until %s", when);
	}
	if (k->expires && n >= 0 && (size_t)n < len) {
		text_date(k->expires, false, when, sizeof(when));
		snprintf(buf + n, len - (size_t)n, ", expires %s", when);
	}
}

static void
cells(const struct audit_sock *k, char c[NCOLS][96])
{
	snprintf(c[C_PROTO], 96, "%s%s", audit_proto_name(k->protocol),
		 k->family == AF_INET6 ? "6" : "");
	audit_addr_str(k, c[C_ADDR], 96);
	/* bound to an interface: "0.0.0.0@eth0", as portierctl status says */
	if (k->ifname[0])
		snprintf(c[C_ADDR] + strlen(c[C_ADDR]), 96 - strlen(c[C_ADDR]), "@%s", k->ifname);
	if (k->family == AF_UNIX)
		snprintf(c[C_PORT], 96, "-");
	else
		snprintf(c[C_PORT], 96, "%u", k->port);
	if (k->npids)
		snprintf(c[C_PID], 96, "%d%s", (int)k->pids[0], k->npids > 1 ? "+" : "");
	else
		snprintf(c[C_PID], 96, "-");
	snprintf(c[C_USER], 96, "%s", k->npids ? k->user : "-");
	snprintf(c[C_CMD], 96, "%s", k->npids && k->command[0] ? k->command : "-");
	snprintf(c[C_NAME], 96, "%s", k->reg_name ? k->reg_name : "-");
	snprintf(c[C_CLASS], 96, "%s", k->family == AF_UNIX ? "-" :
		 registry_port_class_name(registry_port_class(k->port)));
	snprintf(c[C_SVC], 96, "%s", k->service ? k->service : k->portier ? "(portierd)" : "-");
	state_text(k, c[C_STATE], 96);
}

static void
fit_widths(const struct audit_socks *s, int w[NCOLS], int width)
{
	char c[NCOLS][96];
	int total;

	for (int i = 0; i < NCOLS; i++)
		w[i] = (int)strlen(headers[i]);
	for (size_t r = 0; r < s->count; r++) {
		cells(&s->v[r], c);
		for (int i = 0; i < NCOLS; i++)
			w[i] = (int)strlen(c[i]) > w[i] ? (int)strlen(c[i]) : w[i];
	}
	width = width < MIN_WIDTH ? MIN_WIDTH : width;
	total = 2 * (NCOLS - 1);
	for (int i = 0; i < NCOLS; i++)
		total += w[i];
	while (total > width) {
		int widest = -1;

		for (int i = 0; i < NCOLS; i++)
			if (floors[i] && w[i] > floors[i] && (widest < 0 || w[i] > w[widest]))
				widest = i;
		if (widest < 0)
			break;
		w[widest]--;
		total--;
	}
	for (size_t i = 0; total > width && i < sizeof(cut_order) / sizeof(cut_order[0]); i++) {
		int cut = w[cut_order[i]] - 4 < total - width ? w[cut_order[i]] - 4 : total - width;

		if (cut > 0) {
			w[cut_order[i]] -= cut;
			total -= cut;
		}
	}
}

/* A cell cut to its column ends in '~'. */
static void
print_row(char c[NCOLS][96], const int w[NCOLS])
{
	for (int i = 0; i < NCOLS; i++) {
		int n = (int)strlen(c[i]);
		const char *sep = i ? "  " : "";

		if (n > w[i])
			printf("%s%.*s~", sep, w[i] - 1, c[i]);
		else if (i == NCOLS - 1)
			printf("%s%s", sep, c[i]);
		else
			printf("%s%-*s", sep, w[i], c[i]);
	}
	putchar('\n');
}

/* text from column col, broken at blanks before width, going on at indent. */
static void
wrap(const char *text, int col, int indent, int width)
{
	for (const char *p = text; *p;) {
		size_t n = strcspn(p, " ");

		if (p != text && col + 1 + (int)n > width) {
			printf("\n%*s", indent, "");
			col = indent;
		} else if (p != text) {
			putchar(' ');
			col++;
		}
		printf("%.*s", (int)n, p);
		col += (int)n;
		p += n;
		p += strspn(p, " ");
	}
	putchar('\n');
}

static void
print_findings(const struct audit_report *r, int width)
{
	const struct audit_findings *f = r->f;

	printf("\nfindings: %zu critical, %zu warning, %zu info", f->by_severity[AUDIT_CRITICAL],
	       f->by_severity[AUDIT_WARNING], f->by_severity[AUDIT_INFO]);
	printf(" (fail on %s: %s)\n", audit_severity_name(r->fail_on), r->failed ? "FAIL" : "ok");
	for (size_t i = 0; i < f->count; i++) {
		const struct audit_finding *x = &f->v[i];

		printf("%-*s", FINDING_INDENT, audit_severity_name(x->severity));
		wrap(x->text, FINDING_INDENT, FINDING_INDENT, width);
		printf("%*sfix: ", FINDING_INDENT, "");
		wrap(x->fix, FINDING_INDENT + 5, FINDING_INDENT + 5, width);
	}
}

void
audit_print_table(const struct audit_report *r, int width)
{
	const struct audit_socks *s = r->in->socks;
	char c[NCOLS][96];
	int w[NCOLS];

	if (r->daemon)
		printf("portierd pid %d; configuration %s\n", (int)r->in->daemon_pid, r->confdir);
	else
		printf("portierd is not running: audited from conf.d alone (%s)\n", r->confdir);
	if (r->note)
		printf("note: %s\n", r->note);
	printf("%zu socket%s (from %s)\n\n", s->count, s->count == 1 ? "" : "s", s->source);
	fit_widths(s, w, width);
	for (int i = 0; i < NCOLS; i++)
		snprintf(c[i], sizeof(c[i]), "%s", headers[i]);
	print_row(c, w);
	for (size_t i = 0; i < s->count; i++) {
		cells(&s->v[i], c);
		print_row(c, w);
	}
	print_findings(r, width);
}

static void
json_time(struct json *j, const char *key, time_t t)
{
	if (t)
		json_int(j, key, (long long)t);
	else
		json_string(j, key, NULL);
}

static void
json_socket(struct json *j, const struct audit_sock *k)
{
	char a[AUDIT_ADDR_MAX];

	json_object_begin(j, NULL);
	json_string(j, "protocol", audit_proto_name(k->protocol));
	json_string(j, "family", k->family == AF_INET ? "ipv4" : k->family == AF_INET6 ?
		    "ipv6" : "unix");
	json_string(j, "address", audit_addr_str(k, a, sizeof(a)));
	json_string(j, "interface", k->ifname[0] ? k->ifname : NULL);
	if (k->family == AF_UNIX)
		json_string(j, "port", NULL);
	else
		json_int(j, "port", k->port);
	json_string(j, "path", k->family == AF_UNIX ? k->path : NULL);
	json_int(j, "inode", (long long)k->inode);
	if (k->uid == (uid_t)-1)
		json_string(j, "uid", NULL);	/* /proc/net/unix does not say */
	else
		json_int(j, "uid", (long long)k->uid);
	json_array_begin(j, "pids");
	for (unsigned i = 0; i < k->npids && i < AUDIT_MAX_PIDS; i++)
		json_int(j, NULL, k->pids[i]);
	json_array_end(j);
	json_string(j, "command", k->npids ? k->command : NULL);
	json_string(j, "user", k->npids ? k->user : NULL);
	json_string(j, "registry_name", k->reg_name);
	json_string(j, "class", k->family == AF_UNIX ? NULL :
		    registry_port_class_name(registry_port_class(k->port)));
	json_bool(j, "portier", k->portier);
	json_string(j, "service", k->service);
	json_string(j, "state", k->state);
	json_time(j, "until", k->until);
	json_time(j, "expires", k->expires);
	json_object_end(j);
}

static void
json_finding(struct json *j, const struct audit_finding *x)
{
	char a[AUDIT_ADDR_MAX];

	json_object_begin(j, NULL);
	json_string(j, "severity", audit_severity_name(x->severity));
	json_string(j, "code", x->code);
	json_string(j, "protocol", x->protocol ? audit_proto_name(x->protocol) : NULL);
	if (x->port)
		json_int(j, "port", x->port);
	else
		json_string(j, "port", NULL);
	json_string(j, "address", x->sock ? audit_addr_str(x->sock, a, sizeof(a)) : NULL);
	if (x->sock && x->sock->npids)
		json_int(j, "pid", x->sock->pids[0]);
	else
		json_string(j, "pid", NULL);
	json_string(j, "command", x->sock && x->sock->npids ? x->sock->command : NULL);
	json_string(j, "service", x->service);
	json_string(j, "text", x->text);
	json_string(j, "fix", x->fix);
	json_object_end(j);
}

int
audit_print_json(const struct audit_report *r)
{
	const struct audit_findings *f = r->f;
	struct json j;
	int rc = 0;

	json_init(&j);
	json_object_begin(&j, NULL);
	json_int(&j, "version", AUDIT_JSON_VERSION);
	json_int(&j, "time", (long long)r->in->now);
	json_bool(&j, "portierd_running", r->daemon);
	if (r->daemon)
		json_int(&j, "portierd_pid", r->in->daemon_pid);
	else
		json_string(&j, "portierd_pid", NULL);
	json_string(&j, "confdir", r->confdir);
	json_string(&j, "note", r->note);
	json_string(&j, "source", r->in->socks->source);
	json_array_begin(&j, "sockets");
	for (size_t i = 0; i < r->in->socks->count; i++)
		json_socket(&j, &r->in->socks->v[i]);
	json_array_end(&j);
	json_array_begin(&j, "findings");
	for (size_t i = 0; i < f->count; i++)
		json_finding(&j, &f->v[i]);
	json_array_end(&j);
	json_object_begin(&j, "counts");
	for (int s = AUDIT_INFO; s <= AUDIT_CRITICAL; s++)
		json_int(&j, audit_severity_name((enum audit_severity)s), (long long)f->by_severity[s]);
	json_object_end(&j);
	json_string(&j, "fail_on", audit_severity_name(r->fail_on));
	json_bool(&j, "failed", r->failed);
	json_object_end(&j);
	if (!json_text(&j)) {
		fprintf(stderr, "portierctl audit: out of memory\n");
		rc = -1;
	} else {
		printf("%s\n", json_text(&j));
	}
	json_free(&j);
	return rc;
}
