/* SPDX-License-Identifier: ISC */
/* convert_render: the converted services get their portier identity (the
 * section title), duplicates are folded, and each becomes one conf.d file in
 * libconfuse syntax. */
#include "autoconf.h"

#include <sys/socket.h>

#include <netinet/in.h>

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "config/config.h"
#include "convert/convert.h"
#include "convert/convert_int.h"

#define DEFAULTS_FILE "00-defaults.conf"

static const char *
svc_proto(const struct cv_svc *s)
{
	if (s->protocol)
		return s->protocol;
	if (s->socket_type && !strcmp(s->socket_type, "dgram"))
		return "udp";
	return "tcp";
}

/* `echo` for TCP, `echo/udp` for UDP: what portier derives the name from. */
static char *
natural_id(const struct cv_svc *s)
{
	if (!strcmp(svc_proto(s), "udp"))
		return cv_printf("%s/udp", s->name);
	return cv_strdup(s->name);
}

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

/* A name xinetd took (any word) made a valid id: other characters become
 * '_'; the service then carries `name`, so nothing is lost. */
static void
id_sanitize(char *id, bool udp)
{
	size_t len = strlen(id);

	/* only a UDP service's: the loader refuses /udp on a TCP one */
	if (udp && len >= 4 && !strcmp(id + len - 4, "/udp"))
		len -= 4;
	for (size_t i = 0; i < len; i++)
		if (!id_char(id[i]))
			id[i] = '_';
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
	if (s->port || s->tcpmux || !o || !o->system_port)
		return s->port;
	return o->system_port(s->name, svc_proto(s), o->arg);
}

/* Two entries the old daemon would both bind to one address and port. */
static bool
same_socket(const struct cv_svc *a, const struct cv_svc *b,
	    const struct convert_opts *o)
{
	if (strcmp(a->name, b->name) || strcmp(svc_proto(a), svc_proto(b)))
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

/* id, made valid when the service is to be loaded: portier's characters,
 * and at most room long (the prefix takes the rest of CONFIG_ID_MAX); the
 * service keeps its name, so a cut id loses nothing. */
static char *
valid_id(const struct cv_svc *s, char *id, size_t room)
{
	bool is_udp = !strcmp(svc_proto(s), "udp");
	size_t len = strlen(id), udp = is_udp && len >= 4 && !strcmp(id + len - 4, "/udp") ? 4 : 0;

	if (s->commented)
		return id;
	id_sanitize(id, is_udp);
	if (len > room)
		memmove(id + room - udp, id + len - udp, udp + 1);
	return id;
}

static void
assign_id(struct cv_set *set, struct cv_svc *s, size_t room)
{
	char *id = valid_id(s, natural_id(s), room);
	const char *udp = strcmp(svc_proto(s), "udp") ? "" : "/udp";

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
		cv_lost(gone, d, gone->file, gone->line,
			"listens on the same port as the service at %s:%d; both are enabled, "
			"only that one is converted", kept->file, kept->line);
	else
		cv_lost(gone, d, gone->file, gone->line,
			"duplicate of the service at %s:%d (same name, protocol and port); "
			"kept as comments only", kept->file, kept->line);
}

/* The port portier will listen on: the entry's, /etc/services' or the
 * registry's (spell_port() writes the first two). */
static unsigned
final_port(const struct cv_svc *s, const struct convert_opts *o)
{
	unsigned p = old_port(s, o);

	if (p || s->port || !o || !o->registry_port)
		return p;
	return o->registry_port(s->name, svc_proto(s), o->arg);
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

static bool
wildcard(const struct sockaddr_storage *ss)
{
	static const struct in6_addr any6;

	if (ss->ss_family == AF_INET)
		return ((const struct sockaddr_in *)ss)->sin_addr.s_addr == INADDR_ANY;
	return !memcmp(&((const struct sockaddr_in6 *)ss)->sin6_addr, &any6, sizeof(any6));
}

static bool
addr_overlap(const struct sockaddr_storage *a, const struct sockaddr_storage *b)
{
	if (a->ss_family != b->ss_family)
		return false;
	if (wildcard(a) || wildcard(b))
		return true;
	if (a->ss_family == AF_INET)
		return ((const struct sockaddr_in *)a)->sin_addr.s_addr ==
		       ((const struct sockaddr_in *)b)->sin_addr.s_addr;
	return !memcmp(&((const struct sockaddr_in6 *)a)->sin6_addr,
		       &((const struct sockaddr_in6 *)b)->sin6_addr, sizeof(struct in6_addr)) &&
	       ((const struct sockaddr_in6 *)a)->sin6_scope_id ==
	       ((const struct sockaddr_in6 *)b)->sin6_scope_id;
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
		    strcmp(svc_proto(t), svc_proto(s)) ||
		    final_port(t, o) != final_port(s, o) || !binds_overlap(t, s))
			continue;
		s->commented = true;
		if (t == s) {
			cv_note(s, "kept as comments: two of its bind addresses overlap");
			diag_add(d, DIAG_ERROR, s->file, s->line, "service %s: two of its "
				 "addresses overlap on port %u/%s (the old daemon's second "
				 "bind failed: address in use); kept as comments",
				 s->name, final_port(s, o), svc_proto(s));
		} else {
			cv_note(s, "kept as comments: the service at %s:%d listens on "
				"the same port and address", t->file, t->line);
			diag_add(d, DIAG_ERROR, s->file, s->line, "service %s: port %u/%s "
				 "on an address the service at %s:%d listens on too (the "
				 "old daemon's bind failed: address in use); kept as comments",
				 s->name, final_port(s, o), svc_proto(s), t->file, t->line);
		}
		return;
	}
}

static void
spell_port(struct cv_svc *s, const struct convert_opts *o, struct diag *d)
{
	unsigned sys, reg;

	if (s->port || s->tcpmux || s->unlisted || !o || !o->system_port)
		return;
	sys = o->system_port(s->name, svc_proto(s), o->arg);
	reg = o->registry_port ? o->registry_port(s->name, svc_proto(s), o->arg) : 0;
	if (!sys && !reg && !s->commented) {
		/* The old daemon did not start it either; portier would not load it. */
		s->commented = true;
		cv_note(s, "no port given and none in /etc/services or portier's registry");
		diag_add(d, s->disable == 1 ? DIAG_WARNING : DIAG_ERROR, s->file, s->line,
			 "service %s: no port given and none in /etc/services or "
			 "portier's registry for %s/%s (kept as comments)", s->name,
			 s->name, svc_proto(s));
	}
	if (!sys)
		return;
	if (sys == reg)
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
		else if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
			   (*p >= '0' && *p <= '9') || *p == '.' || *p == '_' || *p == '-'))
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
		if (cval_bind_addr(s->bind.v[i], &ss) < 0) {
			/* said where it was read; binding every address instead
			 * would open the service wider than it was */
			s->commented = true;
			cv_note(s, "kept as comments: bind %s is not an address, and "
				"portier binds addresses only", s->bind.v[i]);
			return;
		}
	}
	if (s->tcpmux && (s->wait == 1 || strcmp(svc_proto(s), "tcp") ||
			  (s->socket_type && strcmp(s->socket_type, "stream")))) {
		/* the multiplexer accepts the connection before the server runs */
		s->commented = true;
		cv_lost(s, d, s->file, s->line, "tcpmux: portier runs tcpmux services on "
			"TCP streams with wait = no only; kept as comments");
		return;
	}
	if (s->internal || !s->server || s->server[0] == '/')
		return;
	s->commented = true;
	cv_lost(s, d, s->file, s->line, "server %s: not an absolute path, which portier "
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
		if (!s->commented && !s->id)
			assign_id(set, s, room);
	}
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

static void
put_list(FILE *fp, const struct cv_strv *v)
{
	fputs("{", fp);
	for (size_t i = 0; i < v->n; i++) {
		fputs(i ? ", " : " ", fp);
		put_str(fp, v->v[i]);
	}
	fputs(v->n ? " }" : "}", fp);
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
	if (l->op == CV_NONE)
		return;
	fprintf(fp, "\t%s %s ", key, l->op == CV_ADD ? "+=" : "=");
	put_list(fp, &l->v);
	fputc('\n', fp);
}

static void
render_identity(FILE *fp, const struct cv_svc *s)
{
	if (s->id && strcmp(s->id, s->name)) {
		char *nat = natural_id(s);

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
	if (s->wait >= 0)
		opt_bool(fp, "wait", s->wait);
	if (s->port)
		fprintf(fp, "\tport = %u\n", s->port);
	if (s->bind.n) {
		fputs("\tbind = ", fp);
		put_list(fp, &s->bind);
		fputc('\n', fp);
	}
}

static void
render_handler(FILE *fp, const struct cv_svc *s)
{
	opt_str(fp, "user", s->user);
	opt_str(fp, "group", s->group);
	opt_str(fp, "server", s->server);
	if (s->args_set) {
		fputs("\tserver_args = ", fp);
		put_list(fp, &s->args);
		fputc('\n', fp);
	}
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

	if (!fp) {
		fputs("portierctl: out of memory\n", stderr);
		abort();
	}
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
	if (fclose(fp) != 0) {
		fputs("portierctl: out of memory\n", stderr);
		abort();
	}
	return buf;
}

char *
cv_render(const struct cv_svc *s)
{
	char *body = render_section(s), *text;
	char *head;

	if (s->defaults)
		head = cv_printf("# From %s:%d (defaults) by portierctl convert.\n",
				 s->file, s->line);
	else if (s->xid && strcmp(s->xid, s->name))
		head = cv_printf("# From %s:%d (service %s, id %s) by portierctl convert.\n",
				 s->file, s->line, s->name, s->xid);
	else
		head = cv_printf("# From %s:%d (service %s) by portierctl convert.\n",
				 s->file, s->line, s->name);
	if (!s->commented) {
		text = cv_printf("%s%s", head, body);
	} else {
		/* Nothing portier can run: every line becomes a comment. */
		char *buf = NULL;
		size_t len = 0;
		FILE *fp = open_memstream(&buf, &len);

		if (!fp)
			abort();
		fputs(head, fp);
		fputs("# Not converted: portier cannot run this service as written.\n", fp);
		for (char *line = strtok(body, "\n"); line; line = strtok(NULL, "\n"))
			fprintf(fp, "#%s%s\n", line[0] == '\t' ? "" : " ", line);
		if (fclose(fp) != 0)
			abort();
		text = buf;
	}
	free(head);
	free(body);
	return text;
}
