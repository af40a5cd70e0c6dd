/* SPDX-License-Identifier: ISC */
/* portierctl status: portierd's reply as a table for people, in 80
 * columns. */
#include "autoconf.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "base/base.h"
#include "ctl/ctl.h"

/* The table fits a terminal this wide: long ids get a line of their own,
 * lists and messages wrap. A single word wider than that (a long path)
 * stays whole. */
#define STATUS_WIDTH 80
/* Detail lines under a service (addresses, until, last error). */
#define STATUS_INDENT 4

/* Writes text from column col and ends the line, breaking before a piece
 * that would pass STATUS_WIDTH and going on at column indent. Pieces end at
 * each sep: a comma stays with the piece before it, a blank is where a
 * line may break and goes. */
static void
status_wrap(const char *text, int col, int indent, char sep)
{
	const char seps[2] = { sep, '\0' };
	bool first = true;

	for (const char *p = text; *p; first = false) {
		size_t n = strcspn(p, seps);
		int piece = (int)n + (sep != ' ' && p[n]);
		int join = first || sep != ' ' ? 0 : 1;

		if (!first && col + join + piece > STATUS_WIDTH) {
			printf("\n%*s", indent, "");
			col = indent;
			join = 0;
		}
		printf("%*s%.*s", join, "", piece, p);
		col += join + piece;
		p += n + (p[n] ? 1 : 0);
	}
	putchar('\n');
}

static void
print_header(const struct json_value *v)
{
	const struct json_value *lr = json_get(v, "last_reload");
	long up = (long)json_get_num(v, "uptime", 0);
	char when[64] = "";

	printf("portierd pid %.0f, up %ldd %02ld:%02ld:%02ld, configuration generation %.0f\n",
	       json_get_num(v, "pid", 0), up / 86400, up / 3600 % 24, up / 60 % 60, up % 60,
	       json_get_num(v, "generation", 0));
	if (!lr || lr->type != JSON_OBJECT) {
		printf("last reload: none\n");
		return;
	}
	text_date((time_t)json_get_num(lr, "time", 0), false, when, sizeof(when));
	printf("last reload: %s at %s\n", json_get(lr, "ok") && json_get(lr, "ok")->b ?
	       "ok" : "FAILED", when);
	for (const struct json_value *e = json_get(lr, "errors") ?
	     json_get(lr, "errors")->child : NULL; e; e = e->next) {
		printf("  ");
		status_wrap(e->type == JSON_STRING ? e->str : "?", 2, STATUS_INDENT, ' ');
	}
}

/* The strings of array a joined with commas into buf ("" when none). */
static void
join_strings(const struct json_value *a, char *buf, size_t len)
{
	size_t used = 0;

	buf[0] = '\0';
	for (const struct json_value *e = a ? a->child : NULL; e; e = e->next) {
		int n = snprintf(buf + used, len - used, "%s%s", used ? "," : "",
				 e->type == JSON_STRING ? e->str : "?");

		if (n < 0 || (size_t)n >= len - used)
			break;
		used += (size_t)n;
	}
}

/* "access=2,cps=1": the reasons that refused anything ("" when none). */
static void
join_refusals(const struct json_value *ref, char *buf, size_t len)
{
	size_t used = 0;

	buf[0] = '\0';
	for (const struct json_value *r = ref ? ref->child : NULL; r; r = r->next) {
		int n;

		if (r->type != JSON_NUMBER || r->num == 0)
			continue;
		n = snprintf(buf + used, len - used, "%s%s=%.0f", used ? "," : "", r->key, r->num);
		if (n < 0 || (size_t)n >= len - used)
			break;
		used += (size_t)n;
	}
}

/* Column widths: as wide as the widest value, the id capped so that a
 * row fits STATUS_WIDTH. */
struct status_cols {
	int id, state, running, accepted, refused;
};

static int
num_width(double v, int w)
{
	int n = snprintf(NULL, 0, "%.0f", v);

	return n > w ? n : w;
}

static void
status_widths(const struct json_value *svcs, struct status_cols *c)
{
	int idmax = 2, cap;

	*c = (struct status_cols){ 2, 5, 7, 8, 7 };
	for (const struct json_value *s = svcs ? svcs->child : NULL; s; s = s->next) {
		int n = (int)strlen(json_get_str(s, "state", "?"));

		c->state = n > c->state ? n : c->state;
		c->running = num_width(json_get_num(s, "running", 0), c->running);
		c->accepted = num_width(json_get_num(s, "accepted", 0), c->accepted);
		c->refused = num_width(json_get_num(s, "refused_total", 0), c->refused);
	}
	/* id, state, the three counts, "BY REASON" */
	cap = STATUS_WIDTH - (2 + c->state + 1 + c->running + 1 + c->accepted + 1 +
			      c->refused + 2 + 9);
	/* as wide as the widest id that fits: the others get a line each */
	for (const struct json_value *s = svcs ? svcs->child : NULL; s; s = s->next) {
		int n = (int)strlen(json_get_str(s, "id", "?"));

		idmax = n > idmax && n <= cap ? n : idmax;
	}
	c->id = idmax;
}

static void
print_service(const struct json_value *s, const struct status_cols *c)
{
	const char *id = json_get_str(s, "id", "?"), *state = json_get_str(s, "state", "?"), *err;
	double until = json_get_num(s, "until", 0);
	char list[1024], when[64];
	int col;

	/* An id wider than its column has the line to itself. */
	if ((int)strlen(id) > c->id) {
		printf("%s\n", id);
		id = "";
	}
	col = printf("%-*s  %-*s %*.0f %*.0f %*.0f  ", c->id, id, c->state, state,
		     c->running, json_get_num(s, "running", 0), c->accepted,
		     json_get_num(s, "accepted", 0), c->refused, json_get_num(s, "refused_total", 0));
	join_refusals(json_get(s, "refused"), list, sizeof(list));
	status_wrap(list[0] ? list : "-", col, STATUS_INDENT, ',');
	if (until > 0) {
		text_date((time_t)until, false, when, sizeof(when));
		printf("%*s%s %s\n", STATUS_INDENT, "", strcmp(state, "expired") ? "until" :
		       "expired on", when);
	}
	/* held back by rate or per_source_rate, then served or refused */
	if (json_get_num(s, "deferred", 0) > 0)
		printf("%*sdeferred %.0f\n", STATUS_INDENT, "", json_get_num(s, "deferred", 0));
	join_strings(json_get(s, "addresses"), list, sizeof(list));
	printf("%*s", STATUS_INDENT, "");
	status_wrap(list[0] ? list : "-", STATUS_INDENT, STATUS_INDENT, ',');
	/* not on the host yet: bound by portierd when they appear */
	join_strings(json_get(s, "waiting"), list, sizeof(list));
	if (list[0]) {
		col = printf("%*swaiting for address ", STATUS_INDENT, "");
		status_wrap(list, col, STATUS_INDENT + 2, ',');
	}
	/* "waiting for address X" (or interface) is what the line above says
	 * of every waiting address */
	err = json_get_str(s, "last_error", NULL);
	if (err && !(list[0] && !strncmp(err, "waiting for ", 12))) {
		col = printf("%*slast error: ", STATUS_INDENT, "");
		status_wrap(err, col, STATUS_INDENT + 2, ' ');
	}
}

void
ctl_status_print(const struct json_value *v)
{
	const struct json_value *svcs = json_get(v, "services");
	struct status_cols c;

	print_header(v);
	status_widths(svcs, &c);
	printf("\n%-*s  %-*s %*s %*s %*s  %s\n", c.id, "ID", c.state, "STATE", c.running,
	       "RUNNING", c.accepted, "ACCEPTED", c.refused, "REFUSED", "BY REASON");
	printf("%*s%s\n", STATUS_INDENT, "", "ADDRESSES");
	for (const struct json_value *s = svcs ? svcs->child : NULL; s; s = s->next)
		print_service(s, &c);
}
