/* SPDX-License-Identifier: ISC */
/* convert_inetd: classic inetd.conf lines, as Debian's openbsd-inetd reads
 * them (inetd(8)) and update-inetd(8) writes them:
 *   [host[,host]:]name socket_type proto[,sndbuf=N][,rcvbuf=N] wait|nowait[.max]
 *     user[.group|:group] server|internal [argv0 args...]
 * A line starting with a blank continues the one before; "host:" alone sets
 * the host for the lines after it; "#<off># " marks an entry update-inetd
 * disabled. OpenBSD's unix-domain lines have the socket's path as name and
 * "unix" as protocol: /path stream unix nowait user server argv0 args... */
#include "autoconf.h"

#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>

#include "config/config.h"
#include "convert/convert.h"
#include "convert/convert_int.h"

/* update-inetd's mark for an entry it disabled (DebianNet.pm $SEP) */
#define UPDATE_INETD_OFF "#<off># "

struct iline {
	char *text;		/* the entry, continuation lines joined */
	int line;
	bool off;		/* disabled by update-inetd */
};

struct ireader {
	const char *file;
	struct diag *d;
	char *defhost;		/* "*" or the last "host:" line */
	struct cv_set set;
};

/* "h1,h2" to bind addresses; "*" is every address */
static void
host_binds(struct ireader *r, struct cv_svc *s, const char *hosts, const char *family)
{
	char *copy = cv_strdup(hosts), *save;
	size_t n = 0;
	bool star = false;

	for (char *host = strtok_r(copy, ",", &save); host; host = strtok_r(NULL, ",", &save)) {
		n++;
		if (!strcmp(host, "*")) {
			star = true;
			if (family)
				cv_strv_push(&s->bind, family);
			continue;
		}
		cv_strv_push(&s->bind, host);
		if (!cvv_is_address(host))
			cv_lost(s, r->d, s->line,
				"host %s: inetd bound every address the name resolved to at "
				"start; give portier those addresses", host);
	}
	if (n > 1 && star)
		cv_note(s, "bind: \"*\" next to other hosts listens on every address");
	free(copy);
}

/* tcp, udp (both families), tcp4/udp4, tcp6/udp6, tcp46/udp46 (one
 * dual-stack socket), with ,sndbuf=N and ,rcvbuf=N options. Returns the
 * bind address a "*" host stands for, "" for both families, NULL when
 * portier cannot serve the protocol. */
static const char *
parse_proto(struct ireader *r, struct cv_svc *s, const char *field)
{
	char *copy = cv_strdup(field), *opt = strchr(copy, ',');
	const char *fam = "";

	if (opt) {
		*opt++ = '\0';
		cv_lost(s, r->d, s->line,
			"%s: portier sets no socket buffer sizes", opt);
	}
	if (!strncmp(copy, "tcp", 3) || !strncmp(copy, "udp", 3)) {
		const char *v = copy + 3;

		s->protocol = copy[0] == 't' ? "tcp" : "udp";
		if (!strcmp(v, "4"))
			fam = "0.0.0.0";
		else if (!strcmp(v, "6"))
			fam = "::";
		else if (!strcmp(v, "46"))
			cv_lost(s, r->d, s->line,
				"%s: portier listens on separate IPv4 and IPv6 sockets; the "
				"server sees IPv4 clients as IPv4, not as IPv4-mapped IPv6", copy);
		else if (*v)
			fam = NULL;
	} else {
		fam = NULL;
	}
	if (!fam)
		cv_lost(s, r->d, s->line, "protocol %s: portier serves tcp and "
			"udp only, besides unix sockets (no RPC)", copy);
	free(copy);
	return fam;
}

static void
parse_wait(struct ireader *r, struct cv_svc *s, const char *field)
{
	char *copy = cv_strdup(field), *max = strchr(copy, '.');

	if (max)
		*max++ = '\0';
	s->wait = !strcmp(copy, "wait");
	if (strcmp(copy, "wait") && strcmp(copy, "nowait"))
		diag_add(r->d, DIAG_WARNING, r->file, s->line,
			 "service %s: '%s' is neither wait nor nowait; inetd reads it as nowait",
			 s->name, copy);
	if (max)
		cv_lost(s, r->d, s->line,
			"%s.%s: inetd's limit of %s starts a minute (then 10 minutes off) "
			"has no portier counterpart; portier's are cps and instances",
			copy, max, max);
	free(copy);
}

/* user.group or user:group (inetd looks for the dot first) */
static void
parse_user(struct cv_svc *s, const char *field)
{
	const char *sep = strchr(field, '.');

	if (!sep)
		sep = strchr(field, ':');
	s->user = sep ? cv_printf("%.*s", (int)(sep - field), field) : cv_strdup(field);
	if (sep)
		s->group = cv_strdup(sep + 1);
}

/* A name a user or group can have (portier refuses the others). */
static bool
name_ok(const char *s)
{
	return *s && !strchr(s, '/');
}

/* What inetd checks when it reads the line (and then skips it). */
static bool
entry_valid(struct ireader *r, const struct cv_svc *s, const char *user)
{
	if (s->tcpmux && !*s->name) {
		diag_add(r->d, DIAG_ERROR, r->file, s->line,
			 "service tcpmux/: no name after tcpmux/ (no client can ask for it)");
		return false;
	}
	if (!name_ok(s->user) || (s->group && !name_ok(s->group))) {
		diag_add(r->d, DIAG_ERROR, r->file, s->line,
			 "service %s: user %s: no user or group has that name (inetd skips "
			 "the line)", s->name, user);
		return false;
	}
	if (s->socket_type && s->protocol &&
	    !strcmp(s->socket_type, "dgram") != !strcmp(s->protocol, "udp")) {
		diag_add(r->d, DIAG_ERROR, r->file, s->line,
			 "service %s: socket type %s does not fit protocol %s (inetd cannot "
			 "open the socket)", s->name, s->socket_type, s->protocol);
		return false;
	}
	return true;
}

/* server argv0 args... with tcpd replaced by the daemon it would run */
static void
parse_server(struct ireader *r, struct cv_svc *s, struct cv_strv *f, size_t first)
{
	s->server = cv_strdup(f->v[first]);
	for (size_t i = first + 2; i < f->n; i++)
		cv_strv_push(&s->args, f->v[i]);
	s->args_set = s->args.n > 0;
	if (f->n > first + 1)
		cv_fit_argv0(s, r->d, s->line, f->v[first + 1]);
}

/* name, name/version (RPC), tcpmux/name or tcpmux/+name, or a port number */
static void
parse_name(struct ireader *r, struct cv_svc *s, bool rpc)
{
	char *slash = strchr(s->name, '/');
	long port;

	if (!strncmp(s->name, "tcpmux/", 7)) {
		const char *n = s->name + 7 + (s->name[7] == '+');

		if (s->name[7] != '+')
			cv_lost(s, r->d, s->line,
				"tcpmux/%s: the server itself answered \"+\" to the client; "
				"portier sends \"+Go\", so the server must no longer send its own",
				n);
		char *name = cv_strdup(n);

		free(s->name);
		s->name = name;
		s->tcpmux = true;
		return;
	}
	if (slash && rpc) {
		*slash = '\0';
		return;
	}
	if (cvv_int(s->name, 1, 65535, &port)) {
		s->port = (unsigned)port;
		s->unlisted = true;
		free(s->name);
		s->name = cv_printf("port-%ld", port);
		cv_note(s, "inetd named the service by its port number, %ld", port);
	}
}

/* A unix service's name, for its id: the path's last part without a
 * .sock or .socket ending ("/run/backup.sock" is backup). */
static char *
unix_name(const char *path)
{
	const char *base = cv_basename(path);
	size_t len = strlen(base);

	if (len > 5 && !strcmp(base + len - 5, ".sock"))
		len -= 5;
	else if (len > 7 && !strcmp(base + len - 7, ".socket"))
		len -= 7;
	return len ? cv_printf("%.*s", (int)len, base) : cv_strdup("unix");
}

/* OpenBSD inetd's unix-domain socket: the path (the service field) becomes
 * bind = { "unix:PATH" }. inetd made the socket with mode 0666 and
 * ignored a host prefix; portier listens on unix stream sockets only. */
static void
unix_entry(struct ireader *r, struct cv_svc *s, const char *hosts)
{
	char *path = s->name;
	struct sockaddr_storage ss;

	s->unix_socket = true;
	s->name = unix_name(path);
	cv_strv_push_own(&s->bind, cv_printf("unix:%s", path));
	cv_note(s, "unix socket %s: inetd's service field", path);
	if (strcmp(hosts, "*"))
		cv_note(s, "host %s: not used for a unix socket (inetd ignored it too)", hosts);
	if (s->internal) {
		s->commented = true;
		cv_lost(s, r->d, s->line, "internal on a unix socket: portier's "
			"internal services listen on TCP and UDP only");
	} else if (s->socket_type && !strcmp(s->socket_type, "dgram")) {
		s->commented = true;
		cv_lost(s, r->d, s->line, "dgram on a unix socket: portier's unix "
			"listeners are stream sockets only");
	} else if (path[0] != '/') {
		s->commented = true;
		cv_lost(s, r->d, s->line, "unix socket %s: not an absolute path, "
			"which portier requires (inetd made it in its working directory, "
			"/); kept as comments: write the full path", path);
	} else if (cval_bind_addr(s->bind.v[0], &ss) < 0) {
		s->commented = true;
		diag_add(r->d, DIAG_ERROR, r->file, s->line, "service %s: unix socket %s: "
			 "longer than %zu bytes or ending in / (inetd cannot bind it "
			 "either); kept as comments", s->name, path,
			 sizeof(((struct sockaddr_un *)0)->sun_path) - 1);
	}
	s->socket_mode = cv_strdup("0666");
	cv_note(s, "socket_mode 0666: as inetd made the socket, for every local user; "
		"socket_mode, socket_group, allow_users and allow_groups narrow it");
	free(path);
}

static struct cv_svc *
parse_entry(struct ireader *r, const struct iline *il)
{
	struct cv_strv f = { 0 };
	struct cv_svc *s = NULL;
	char *hosts;
	const char *fam = NULL;
	bool unix_sock;

	cv_strv_split(&f, il->text);	/* read_entries passes no blank entry */
	char *colon = strrchr(f.v[0], ':');

	if (colon) {
		*colon = '\0';
		hosts = f.v[0][0] == '[' && colon > f.v[0] && colon[-1] == ']' ?
			cv_printf("%.*s", (int)(colon - f.v[0] - 2), f.v[0] + 1) :
			cv_strdup(f.v[0]);
		if (!colon[1] && f.n == 1) {
			free(r->defhost);
			r->defhost = hosts;
			cv_strv_free(&f);
			return NULL;
		}
		if (!colon[1]) {
			/* "host: name ..." */
			free(f.v[0]);
			memmove(f.v, f.v + 1, f.n * sizeof(char *));
			f.n--;
		} else {
			memmove(f.v[0], colon + 1, strlen(colon + 1) + 1);
		}
	} else {
		hosts = cv_strdup(r->defhost);
	}
	if (f.n < 6) {
		diag_add(r->d, DIAG_ERROR, r->file, il->line,
			 "syntax error: an entry needs name, socket type, protocol, "
			 "wait/nowait, user and server (inetd skips the line)");
		goto out;
	}
	s = cv_svc_new(f.v[0], r->file, il->line);
	if (il->off) {
		s->disable = 1;
		cv_note(s, "disable = yes: update-inetd had disabled the entry (#<off>#)");
	}
	if (!strcmp(f.v[1], "stream") || !strcmp(f.v[1], "dgram")) {
		s->socket_type = f.v[1][0] == 's' ? "stream" : "dgram";
	} else {
		s->commented = true;
		cv_lost(s, r->d, il->line,
			"socket type %s: portier serves stream and dgram only", f.v[1]);
	}
	unix_sock = !strcmp(f.v[2], "unix");
	if (!unix_sock) {
		parse_name(r, s, !strncmp(f.v[2], "rpc/", 4));
		fam = parse_proto(r, s, f.v[2]);
		if (!fam)
			s->commented = true;
	}
	parse_wait(r, s, f.v[3]);
	parse_user(s, f.v[4]);
	if (!entry_valid(r, s, f.v[4])) {
		cv_svc_free(s);
		s = NULL;
		goto out;
	}
	if (!unix_sock)
		host_binds(r, s, hosts, fam && *fam ? fam : NULL);
	if (!strcmp(f.v[5], "internal")) {
		if (!cv_builtin_ok(s)) {
			diag_add(r->d, DIAG_ERROR, r->file, il->line,
				 "internal service %s unknown (inetd skips the line)", s->name);
			cv_svc_free(s);
			s = NULL;
			goto out;
		}
		s->internal = true;
		cv_note(s, "user %s: not used, internal services run inside portierd", s->user);
		free(s->user);
		s->user = NULL;
		free(s->group);
		s->group = NULL;
	} else {
		parse_server(r, s, &f, 5);
	}
	if (unix_sock)
		unix_entry(r, s, hosts);	/* a stream, or comments */
	else
		cv_fit_wait(s, r->d, "inetd");
out:
	free(hosts);
	cv_strv_free(&f);
	return s;
}

/* The entry read so far, if any, into the set. */
static void
add_entry(struct ireader *r, struct iline *cur)
{
	struct cv_svc *s;

	if (!cur->text)
		return;
	s = parse_entry(r, cur);
	if (s)
		cv_set_add(&r->set, s);
	free(cur->text);
	cur->text = NULL;
}

/* Cuts the text into entries: comments dropped, continuation lines joined,
 * update-inetd's disabled entries kept and marked. */
static void
read_entries(struct ireader *r, const char *buf)
{
	struct cv_strv lines = { 0 };
	struct iline cur = { 0 };

	cv_strv_lines(&lines, buf);
	for (size_t i = 0; i < lines.n; i++) {
		const char *line = lines.v[i];
		bool blank = line[strspn(line, " \t")] == '\0';

		if (!blank && (line[0] == ' ' || line[0] == '\t') && cur.text) {
			char *joined = cv_printf("%s %s", cur.text, line);

			free(cur.text);
			cur.text = joined;
			continue;
		}
		add_entry(r, &cur);
		if (!strncmp(line, UPDATE_INETD_OFF, strlen(UPDATE_INETD_OFF))) {
			const char *rest = line + strlen(UPDATE_INETD_OFF);

			/* the mark with nothing after it is a comment, as for inetd */
			if (rest[strspn(rest, " \t")]) {
				cur.text = cv_strdup(rest);
				cur.off = true;
			}
		} else if (!blank && line[0] != '#') {
			cur.text = cv_strdup(line);
			cur.off = false;
		}
		cur.line = (int)i + 1;
	}
	add_entry(r, &cur);
	cv_strv_free(&lines);
}

/* Differences that hold for every handler inetd started (inetd has no
 * passenv: that is every live one). */
static void
summarize(const struct cv_set *set, struct diag *d)
{
	size_t handlers;
	char *list = cv_no_passenv_ids(set, &handlers);

	if (!list)
		return;
	diag_add(d, DIAG_WARNING, NULL, 0,
		 "%zu service(s) got inetd's environment (less PATH and a few others); "
		 "portier starts handlers with a clean one, PATH aside (list what they "
		 "need in passenv or env): %s", handlers, list);
	free(list);
	diag_add(d, DIAG_WARNING, NULL, 0,
		 "%zu service(s) had no limit on handlers at once under inetd, only 256 "
		 "starts a minute; portier's defaults are instances = 50, per_source = 10 "
		 "and cps = { 50, 10 } (set instances and per_source to UNLIMITED in the "
		 "defaults to keep inetd's behaviour)", handlers);
}

/* summary: for a migration; a load (inetd_compat) leaves it out, as it
 * would repeat at every reload. */
static int
inetd_read(const char *buf, const char *name, const struct convert_opts *o,
	   struct convert_out *out, struct diag *d, bool summary)
{
	struct ireader r = { .file = name, .d = d, .defhost = cv_strdup("*") };
	size_t before = d->errors;

	read_entries(&r, buf);
	cv_finish(&r.set, o, out, d);
	if (summary)
		summarize(&r.set, d);
	cv_set_free(&r.set);
	free(r.defhost);
	return d->errors > before ? -1 : 0;
}

int
convert_inetd_buffer(const char *buf, const char *name,
		     const struct convert_opts *o, struct convert_out *out,
		     struct diag *d)
{
	return inetd_read(buf, name, o, out, d, true);
}

int
convert_inetd_path(const char *path, const struct convert_opts *o,
		   struct convert_out *out, struct diag *d)
{
	char *buf = cv_slurp(path);
	int rc;

	if (!buf) {
		diag_add(d, DIAG_ERROR, path, 0, "%s", strerror(errno));
		return -1;
	}
	rc = convert_inetd_buffer(buf, path, o, out, d);
	free(buf);
	return rc;
}

/* The port the old daemon found in /etc/services. */
unsigned
convert_system_port(const char *name, const char *proto, void *arg)
{
	struct servent *se = getservbyname(name, proto);

	(void)arg;
	return se ? ntohs((unsigned short)se->s_port) : 0;
}

unsigned
convert_registry_port(const char *name, const char *proto, void *arg)
{
	const struct reg_entry *e;

	if (!arg)
		return 0;
	e = registry_lookup_name(arg, name, strcmp(proto, "udp") ? REG_TCP : REG_UDP);
	return e ? e->port : 0;
}

int
convert_inetd_config(const char *text, const char *path, const struct registry *reg,
		     struct config_chunk **chunks, size_t *n, struct diag *d)
{
	struct convert_opts o = {
		.system_port = convert_system_port, .registry_port = convert_registry_port,
		.arg = (void *)reg, .prefix = CONVERT_INETD_PREFIX,
	};
	struct convert_out out = { 0 };

	*n = 0;
	inetd_read(text, path, &o, &out, d, false);
	*chunks = calloc(out.count + 1, sizeof(**chunks));
	if (!*chunks) {
		convert_out_free(&out);
		return -1;
	}
	for (size_t i = 0; i < out.count; i++) {
		(*chunks)[i].text = out.files[i].text;
		(*chunks)[i].line = out.files[i].line;
		out.files[i].text = NULL;
	}
	*n = out.count;
	convert_out_free(&out);
	return 0;
}
