/* SPDX-License-Identifier: ISC */
/* convert_finish: the converted services get their portier identity (the
 * section title), duplicates and overlapping addresses are folded into
 * comments, ports are spelled out where portier's registry differs, and
 * each service becomes one file (its text from convert_render.c). */
#include "autoconf.h"

#include <sys/socket.h>

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "config/config.h"
#include "convert/convert.h"
#include "convert/convert_int.h"

#define DEFAULTS_FILE "00-defaults.conf"

/* A character portier takes in a service id (before a /udp suffix). */
static bool
id_char(char c)
{
	return isalnum((unsigned char)c) || strchr("._+-@", c);
}

bool
convert_prefix_valid(const char *p)
{
	if (p[0] == '.')
		return false;
	for (; *p; p++)
		if (!id_char(*p))
			return false;
	return true;
}

static bool
id_taken(const struct cv_set *set, const char *id)
{
	for (size_t i = 0; i < set->count; i++)
		if (set->svc[i]->id && !strcmp(set->svc[i]->id, id))
			return true;
	return false;
}

/* The port the old daemon listened on: its own, or its services file's. */
static unsigned
old_port(const struct cv_svc *s, const struct convert_opts *o)
{
	if (s->port || s->tcpmux || s->unix_socket || !o || !o->system_port)
		return s->port;
	return o->system_port(s->name, cv_proto(s), o->arg);
}

/* Two entries the old daemon would both bind to one address and port. */
static bool
same_socket(const struct cv_svc *a, const struct cv_svc *b,
	    const struct convert_opts *o)
{
	if (strcmp(a->name, b->name) || strcmp(cv_proto(a), cv_proto(b)))
		return false;
	if (a->tcpmux != b->tcpmux || old_port(a, o) != old_port(b, o))
		return false;
	if (a->bind.n != b->bind.n)
		return false;
	for (size_t i = 0; i < a->bind.n; i++)
		if (strcmp(a->bind.v[i], b->bind.v[i]))
			return false;
	return true;
}

/* id, made valid when the service is to be loaded: portier's characters
 * (a name xinetd took, any word, gets '_' for the others) and at most room
 * long (the prefix takes the rest of CONFIG_ID_MAX); the service keeps its
 * name, so nothing is lost. A /udp ending stays only on a UDP service's:
 * the loader refuses it on a TCP one. */
static char *
valid_id(const struct cv_svc *s, char *id, size_t room)
{
	size_t len = strlen(id);
	size_t udp = !strcmp(cv_proto(s), "udp") && len >= 4 &&
		     !strcmp(id + len - 4, "/udp") ? 4 : 0;

	if (s->commented)
		return id;
	for (size_t i = 0; i < len - udp; i++)
		if (!id_char(id[i]))
			id[i] = '_';
	if (len > room)
		memmove(id + room - udp, id + len - udp, udp + 1);
	return id;
}

static void
assign_id(struct cv_set *set, struct cv_svc *s, size_t room)
{
	char *id = valid_id(s, cv_natural_id(s), room);
	const char *udp = strcmp(cv_proto(s), "udp") ? "" : "/udp";

	if (id_taken(set, id) && s->xid) {
		/* xinetd's id told the entries apart: keep it */
		char *xid = valid_id(s, cv_strdup(s->xid), room);

		if (id_taken(set, xid)) {
			free(xid);
		} else {
			free(id);
			id = xid;
		}
	}
	for (int n = 2; id_taken(set, id); n++) {
		char *tail = cv_printf("-%d%s", n, udp);
		size_t keep = strlen(s->name);

		/* cut the name, not the number, or the ids stay equal */
		if (!s->commented && keep + strlen(tail) > room)
			keep = room - strlen(tail);
		free(id);
		id = valid_id(s, cv_printf("%.*s%s", (int)keep, s->name, tail), room);
		free(tail);
	}
	s->id = id;
}

/* s listens where t (earlier) does: keep one of them live. The old daemon
 * would have tried both binds and one would have failed or shadowed the
 * other; an enabled entry wins over a disabled one. */
static void
fold_duplicate(struct cv_svc *t, struct cv_svc *s, struct diag *d)
{
	struct cv_svc *gone = s, *kept = t;

	if (t->disable == 1 && s->disable != 1) {
		gone = t;
		kept = s;
		s->id = t->id;
		t->id = NULL;
	}
	gone->commented = true;
	if (kept->disable != 1 && gone->disable != 1)
		cv_lost(gone, d, gone->line,
			"listens on the same %s as the service at %s:%d; both are enabled, "
			"only that one is converted", gone->unix_socket ? "socket" : "port",
			kept->file, kept->line);
	else
		cv_lost(gone, d, gone->line,
			"duplicate of the service at %s:%d (same name, protocol and port); "
			"kept as comments only", kept->file, kept->line);
}

/* The port portier will listen on: the entry's, /etc/services' or the
 * registry's (spell_port() writes the first two). */
static unsigned
final_port(const struct cv_svc *s, const struct convert_opts *o)
{
	unsigned p = old_port(s, o);

	if (p || s->port || s->unix_socket || !o || !o->registry_port)
		return p;
	return o->registry_port(s->name, cv_proto(s), o->arg);
}

/* One listening address of s: bind i, or (no bind) every address of one
 * family, as the loader counts them. */
static bool
endpoint_of(const struct cv_svc *s, size_t i, struct sockaddr_storage *ss)
{
	memset(ss, 0, sizeof(*ss));
	if (!s->bind.n) {
		ss->ss_family = i == 0 ? AF_INET : AF_INET6;
		return true;
	}
	return cval_bind_addr(s->bind.v[i], ss) == 0;
}

/* A wildcard overlaps every address of its family; else the loader's test:
 * the same address (a unix socket: the same spelling of the path). */
static bool
addr_overlap(const struct sockaddr_storage *a, const struct sockaddr_storage *b)
{
	const struct sockaddr *x = (const struct sockaddr *)a, *y = (const struct sockaddr *)b;

	return a->ss_family == b->ss_family &&
	       (addr_is_wildcard(x) || addr_is_wildcard(y) || addr_compare(x, y) == 0);
}

/* Whether an address of a is one of b's (a == b: two of a's own overlap) */
static bool
binds_overlap(const struct cv_svc *a, const struct cv_svc *b)
{
	size_t na = a->bind.n ? a->bind.n : 2, nb = b->bind.n ? b->bind.n : 2;
	struct sockaddr_storage x, y;

	for (size_t i = 0; i < na; i++) {
		if (!endpoint_of(a, i, &x))
			continue;
		for (size_t j = a == b ? i + 1 : 0; j < nb; j++)
			if (endpoint_of(b, j, &y) && addr_overlap(&x, &y))
				return true;
	}
	return false;
}

/* Live entries whose addresses overlap on one port (not the same socket,
 * which fold_duplicate() took): the old daemon's second bind failed with
 * "address in use" (TCP), and portier loads neither. The later entry
 * becomes comments, an error the admin resolves. */
static void
check_overlap(struct cv_set *set, size_t i, const struct convert_opts *o, struct diag *d)
{
	struct cv_svc *s = set->svc[i];

	if (s->commented || s->disable == 1)
		return;
	for (size_t j = 0; j <= i; j++) {
		struct cv_svc *t = set->svc[j];

		/* tcpmux names are one space, whatever the addresses */
		if (s->tcpmux && t != s && t->tcpmux && !t->commented && t->disable != 1 &&
		    !strcasecmp(t->name, s->name)) {
			s->commented = true;
			diag_add(d, DIAG_ERROR, s->file, s->line, "service %s: tcpmux name "
				 "also served by the service at %s:%d; kept as comments",
				 s->name, t->file, t->line);
			return;
		}
		if (s->tcpmux || t->commented || t->tcpmux || t->disable == 1 ||
		    strcmp(cv_proto(t), cv_proto(s)) ||
		    final_port(t, o) != final_port(s, o) || !binds_overlap(t, s))
			continue;
		s->commented = true;
		if (t == s) {
			cv_note(s, "kept as comments: two of its bind addresses overlap");
			diag_add(d, DIAG_ERROR, s->file, s->line, "service %s: two of its "
				 "addresses overlap on port %u/%s (the old daemon's second "
				 "bind failed: address in use); kept as comments",
				 s->name, final_port(s, o), cv_proto(s));
		} else {
			cv_note(s, "kept as comments: the service at %s:%d listens on "
				"the same port and address", t->file, t->line);
			diag_add(d, DIAG_ERROR, s->file, s->line, "service %s: port %u/%s "
				 "on an address the service at %s:%d listens on too (the "
				 "old daemon's bind failed: address in use); kept as comments",
				 s->name, final_port(s, o), cv_proto(s), t->file, t->line);
		}
		return;
	}
}

static void
spell_port(struct cv_svc *s, const struct convert_opts *o, struct diag *d)
{
	unsigned sys, reg;

	if (s->port || s->tcpmux || s->unlisted || s->unix_socket || !o || !o->system_port)
		return;
	sys = o->system_port(s->name, cv_proto(s), o->arg);
	reg = o->registry_port ? o->registry_port(s->name, cv_proto(s), o->arg) : 0;
	if (!sys && !reg && !s->commented) {
		/* The old daemon did not start it either; portier would not load it. */
		s->commented = true;
		cv_note(s, "no port given and none in /etc/services or portier's registry");
		diag_add(d, s->disable == 1 ? DIAG_WARNING : DIAG_ERROR, s->file, s->line,
			 "service %s: no port given and none in /etc/services or "
			 "portier's registry for %s/%s (kept as comments)", s->name,
			 s->name, cv_proto(s));
	}
	if (!sys || sys == reg)
		return;
	s->port = sys;
	cv_note(s, "port %u: from /etc/services, where the old daemon found it "
		"(portier's registry %s)", sys, reg ? "differs" : "lacks the name");
}

static char *
file_name(const struct convert_out *out, const char *id)
{
	char *base = cv_strdup(id + strspn(id, "/.-")), *name = NULL;

	for (char *p = base; *p; p++)
		if (*p == '/')
			*p = '-';
		else if (!isalnum((unsigned char)*p) && !strchr("._-", *p))
			*p = '_';
	for (int n = 1; ; n++) {
		bool taken = false;

		name = n == 1 ? cv_printf("%s.conf", base) : cv_printf("%s-%d.conf", base, n);
		for (size_t i = 0; i < out->count && !taken; i++)
			taken = !strcmp(out->files[i].name, name);
		if (!taken)
			break;
		free(name);
	}
	free(base);
	return name;
}

/* An empty `defaults { }` (Debian's xinetd.conf) gives no file. */
static bool
defaults_empty(const struct cv_svc *s)
{
	char *text = cv_render(s);
	bool empty = strstr(text, "defaults {\n}\n") != NULL;

	free(text);
	return empty;
}

/* What the old daemon took but portier cannot load, even disabled: written
 * as comments, so that output converted without errors always loads. */
static void
check_loadable(struct cv_svc *s, struct diag *d)
{
	struct sockaddr_storage ss;

	if (s->commented)
		return;
	for (size_t i = 0; i < s->bind.n; i++) {
		/* "unix:/x" in xinetd's bind or an inetd host was a host name
		 * to the old daemon; a unix path only for a unix service */
		if (cval_bind_addr(s->bind.v[i], &ss) < 0 ||
		    (ss.ss_family == AF_UNIX && !s->unix_socket)) {
			/* said where it was read; binding every address instead
			 * would open the service wider than it was */
			s->commented = true;
			cv_note(s, "kept as comments: bind %s is not an address, and "
				"portier binds addresses only", s->bind.v[i]);
			return;
		}
	}
	if (s->tcpmux && (s->wait == 1 || strcmp(cv_proto(s), "tcp") ||
			  (s->socket_type && strcmp(s->socket_type, "stream")))) {
		/* the multiplexer accepts the connection before the server runs */
		s->commented = true;
		cv_lost(s, d, s->line, "tcpmux: portier runs tcpmux services on "
			"TCP streams with wait = no only; kept as comments");
		return;
	}
	if (s->internal || !s->server || s->server[0] == '/')
		return;
	s->commented = true;
	cv_lost(s, d, s->line, "server %s: not an absolute path, which portier "
		"requires (the old daemon ran it from its working directory, /); kept as "
		"comments: write the full path", s->server);
}

/* The prefix before every id, so that converted services never share an id
 * with the services already in conf.d: the service keeps its old name in
 * `name` (ports, tcpmux and internal services go by the name). */
static void
prefix_ids(struct cv_set *set, const char *prefix)
{
	if (!prefix || !*prefix)
		return;
	for (size_t i = 0; i < set->count; i++) {
		char *id = cv_printf("%s%s", prefix, set->svc[i]->id);

		free(set->svc[i]->id);
		set->svc[i]->id = id;
	}
}

void
cv_finish(struct cv_set *set, const struct convert_opts *o,
	  struct convert_out *out, struct diag *d)
{
	const char *prefix = o && o->prefix ? o->prefix : "";
	/* a prefix too long for any id is the loader's to refuse */
	size_t room = strlen(prefix) + 16 < CONFIG_ID_MAX ? CONFIG_ID_MAX - strlen(prefix) : 16;

	for (size_t i = 0; i < set->count; i++)
		check_loadable(set->svc[i], d);
	/* Live services first: they own the natural identities. */
	for (size_t i = 0; i < set->count; i++) {
		struct cv_svc *s = set->svc[i];

		if (s->commented)
			continue;
		for (size_t j = 0; j < i; j++) {
			if (!set->svc[j]->commented && same_socket(set->svc[j], s, o)) {
				fold_duplicate(set->svc[j], s, d);
				break;
			}
		}
		check_overlap(set, i, o, d);
		if (!s->commented && !s->id && !s->unix_socket)
			assign_id(set, s, room);
	}
	/* then unix services, whose names are only ids, then comments */
	for (size_t i = 0; i < set->count; i++)
		if (!set->svc[i]->id && !set->svc[i]->commented)
			assign_id(set, set->svc[i], room);
	for (size_t i = 0; i < set->count; i++)
		if (!set->svc[i]->id)
			assign_id(set, set->svc[i], room);
	prefix_ids(set, prefix);

	if (set->defaults && !defaults_empty(set->defaults))
		cv_out_add(out, cv_printf("%s%s", prefix, DEFAULTS_FILE),
			   cv_render(set->defaults));
	for (size_t i = 0; i < set->count; i++) {
		struct cv_svc *s = set->svc[i];

		spell_port(s, o, d);
		cv_out_add(out, file_name(out, s->id), cv_render(s));
		out->files[out->count - 1].line = s->line;
		if (s->commented)
			out->commented++;
		else
			out->live++;
	}
}
