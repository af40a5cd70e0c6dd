/* SPDX-License-Identifier: ISC */
/* config_finish: what a service's options imply once all are known:
 * registry name and protocol, port, wait mode, argv, credentials; and the
 * checks that look at the host (users, groups, files). Host checks are
 * errors for enabled services and warnings for disabled ones, and are all
 * skipped under CONFIG_NO_FS_CHECKS. */
#include "autoconf.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <netinet/in.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config/config_int.h"

static const char *const internal_names[] = {
	"echo", "discard", "daytime", "chargen", "time", "tcpmux",
};

static bool
has_gid(const gid_t *g, size_t n, gid_t gid)
{
	for (size_t i = 0; i < n; i++)
		if (g[i] == gid)
			return true;
	return false;
}

static int
add_gid(struct service *s, gid_t gid)
{
	gid_t *g;

	if (has_gid(s->gids, s->ngids, gid))
		return 0;
	g = realloc(s->gids, (s->ngids + 1) * sizeof(gid_t));
	if (!g)
		return -1;
	s->gids = g;
	g[s->ngids++] = gid;
	return 0;
}

/* A suffix /tcp or /udp of the id: its protocol, else 0; -1 when the id
 * is no id at all (then nothing else about the service is worth saying). */
static int
finish_identity(struct loader *ld, struct build *b)
{
	struct service *s = &b->s;
	size_t len = strlen(s->id), base = len;
	int proto = 0;

	if (len >= 4 && (!strcmp(s->id + len - 4, "/tcp") || !strcmp(s->id + len - 4, "/udp"))) {
		proto = s->id[len - 3] == 't' ? IPPROTO_TCP : IPPROTO_UDP;
		base -= 4;
	}
	if (base == 0) {
		config_err(ld, b, O_COUNT, "the service id is empty");
		return -1;
	}
	if (len > CONFIG_ID_MAX) {
		config_err(ld, b, O_COUNT, "the service id is longer than %d characters",
			   CONFIG_ID_MAX);
		return -1;
	}
	for (size_t i = 0; i < base; i++) {
		if (!isalnum((unsigned char)s->id[i]) && !strchr("._+-@", s->id[i])) {
			config_err(ld, b, O_COUNT, "not a valid service id: use letters, digits and . _ + - @, then optionally /tcp or /udp");
			return -1;
		}
	}
	if (!s->name && !(s->name = strndup(s->id, base)))
		config_err(ld, b, O_COUNT, "out of memory");
	return proto;
}

static int
registry_protocol(struct loader *ld, const char *name)
{
	if (ld->reg && !registry_lookup_name(ld->reg, name, REG_TCP) &&
	    registry_lookup_name(ld->reg, name, REG_UDP))
		return IPPROTO_UDP;
	return IPPROTO_TCP;
}

static const char *
proto_name(int p)
{
	return p == IPPROTO_UDP ? "udp" : "tcp";
}

static void
finish_port(struct loader *ld, struct build *b)
{
	struct service *s = &b->s;
	const struct reg_entry *e = NULL;

	if (s->tcpmux) {
		if (s->protocol != IPPROTO_TCP) {
			config_err(ld, b, O_TCPMUX, "tcpmux services are TCP services");
			return;
		}
		if (b->at[O_PORT].file)
			config_err(ld, b, O_PORT, "a tcpmux service has no port of its own");
		if (s->wait)
			config_err(ld, b, O_WAIT, "tcpmux services do not support wait = yes");
		s->port = 0;
		return;
	}
	if (!b->at[O_PORT].file) {
		if (ld->reg && s->name)
			e = registry_lookup_name(ld->reg, s->name,
						 s->protocol == IPPROTO_UDP ? REG_UDP : REG_TCP);
		if (!e || e->port == 0 || e->port > 65535) {
			config_err(ld, b, O_COUNT, "'%s' has no %s port in the registry: set port",
				   config_quote_id(s->name ? s->name : s->id), proto_name(s->protocol));
			return;
		}
		s->port = e->port;
	}
	for (size_t i = 0; i < s->nbind; i++) {
		if (s->bind[i].ss_family == AF_INET)
			((struct sockaddr_in *)&s->bind[i])->sin_port = htons(s->port);
		else
			((struct sockaddr_in6 *)&s->bind[i])->sin6_port = htons(s->port);
	}
}

static void
finish_transport(struct loader *ld, struct build *b, int suffix)
{
	struct service *s = &b->s;
	bool has_proto = b->at[O_PROTOCOL].file, has_type = b->at[O_SOCKET_TYPE].file;

	if (has_proto && suffix && s->protocol != suffix)
		config_err(ld, b, O_PROTOCOL, "protocol %s contradicts the /%s of the service id",
			   proto_name(s->protocol), proto_name(suffix));
	if (!has_proto)
		s->protocol = suffix ? suffix
			    : has_type ? (s->socktype == SOCK_STREAM ? IPPROTO_TCP : IPPROTO_UDP)
			    : s->tcpmux || !s->name ? IPPROTO_TCP : registry_protocol(ld, s->name);
	if (!has_type)
		s->socktype = s->protocol == IPPROTO_TCP ? SOCK_STREAM : SOCK_DGRAM;
	else if ((s->socktype == SOCK_STREAM) != (s->protocol == IPPROTO_TCP))
		config_err(ld, b, O_SOCKET_TYPE, "socket_type %s does not fit protocol %s",
			   s->socktype == SOCK_STREAM ? "stream" : "dgram", proto_name(s->protocol));
	if (!b->at[O_WAIT].file)
		s->wait = s->socktype == SOCK_DGRAM;
	else if (s->socktype == SOCK_DGRAM && !s->wait)
		config_err(ld, b, O_WAIT, "wait = no does not work with dgram sockets (the handler gets the socket itself)");
	finish_port(ld, b);
}

/* Options that configure a handler process, which internal services do
 * not have. Said once, where the service sets them itself. */
static void
warn_process_options(struct loader *ld, struct build *b)
{
	static const enum opt_id ids[] = {
		O_USER, O_GROUP, O_GROUPS, O_ENV, O_PASSENV, O_NICE, O_UMASK, O_RLIMIT_AS,
		O_RLIMIT_CPU, O_RLIMIT_DATA, O_RLIMIT_FILES, O_RLIMIT_NPROC, O_RLIMIT_STACK,
		O_RLIMIT_CORE, O_CHROOT, O_NO_NEW_PRIVILEGES,
	};

	for (size_t i = 0; i < sizeof(ids) / sizeof(ids[0]); i++)
		if (b->own[ids[i]])
			config_warn(ld, b, ids[i], "%s has no effect on an internal service",
				    config_opt(ids[i])->name);
}

static void
finish_internal(struct loader *ld, struct build *b)
{
	struct service *s = &b->s;
	size_t i;

	for (i = 0; i < sizeof(internal_names) / sizeof(internal_names[0]); i++)
		if (s->name && !strcmp(s->name, internal_names[i]))
			break;
	if (i == sizeof(internal_names) / sizeof(internal_names[0]))
		config_err(ld, b, O_TYPE, "there is no internal service '%s' (there are echo, discard, daytime, chargen, time and tcpmux)",
			   config_quote_token(s->name ? s->name : s->id));
	if (s->server)
		config_err(ld, b, O_SERVER, "an internal service has no server");
	if (b->server_args)
		config_err(ld, b, O_SERVER_ARGS, "an internal service has no server_args");
	if (s->socktype == SOCK_STREAM && s->wait)
		config_err(ld, b, O_WAIT, "internal stream services do not support wait = yes");
	if (s->name && !strcmp(s->name, "tcpmux") && s->protocol != IPPROTO_TCP)
		config_err(ld, b, O_PROTOCOL, "the tcpmux service is TCP only");
	if (s->name && !strcmp(s->name, "tcpmux") && s->tcpmux)
		config_err(ld, b, O_TCPMUX, "the tcpmux service cannot be reached through itself");
	if (b->own[O_IDLE_TIMEOUT] && s->socktype != SOCK_STREAM)
		config_warn(ld, b, O_IDLE_TIMEOUT, "idle_timeout applies to internal TCP services only");
	/* Inherited from defaults it only concerns handlers; said here, it is a mistake. */
	if (b->own[O_ACTIVATION] && s->activation == ACTIVATION_SYSTEMD)
		config_err(ld, b, O_ACTIVATION, "activation = systemd passes the socket to a handler; "
			   "an internal service has none");
	warn_process_options(ld, b);
}

static void
finish_external(struct loader *ld, struct build *b)
{
	struct service *s = &b->s;
	const char *base;

	if (!s->server) {
		if (!b->at[O_SERVER].file && !b->at[O_TYPE].file)	/* else reported */
			config_err(ld, b, O_COUNT, "no server (set server = /path/to/handler, or type = internal)");
		return;
	}
	base = strrchr(s->server, '/') + 1;
	if (strv_push(&s->argv, *base ? base : s->server) < 0)
		config_err(ld, b, O_COUNT, "out of memory");
	for (size_t i = 0; b->server_args && b->server_args[i]; i++)
		if (strv_push(&s->argv, b->server_args[i]) < 0)
			config_err(ld, b, O_COUNT, "out of memory");
	if (b->own[O_IDLE_TIMEOUT])
		config_warn(ld, b, O_IDLE_TIMEOUT, "idle_timeout applies to internal TCP services only");
	for (size_t i = 0; s->passenv && s->passenv[i]; i++) {
		size_t len = strlen(s->passenv[i]);

		for (size_t k = 0; s->env && s->env[k]; k++)
			if (!strncmp(s->env[k], s->passenv[i], len) && s->env[k][len] == '=')
				config_err(ld, b, O_PASSENV, "%s is set by env and passed by passenv",
					   config_quote_token(s->passenv[i]));
	}
}

static enum diag_level
host_level(const struct build *b)
{
	return b->s.disabled ? DIAG_WARNING : DIAG_ERROR;
}

/* The ids (gid_t or uid_t) of the names (a NULL-terminated list; each a
 * name or a number) into ids; unknown names are reported unless
 * CONFIG_NO_FS_CHECKS. Returns how many ids it wrote. */
static size_t
name_ids(struct loader *ld, struct build *b, enum opt_id id, char *const *names, bool group,
	 void *ids)
{
	size_t n = 0;

	for (size_t i = 0; names && names[i]; i++) {
		const struct ident *e = config_ident(ld, names[i], group);

		if (!e) {
			config_err(ld, b, O_COUNT, "out of memory");
			break;
		}
		if (!e->found) {
			if (!(ld->flags & CONFIG_NO_FS_CHECKS))
				config_report(ld, b, id, host_level(b), "unknown %s '%s'",
					      group ? "group" : "user", config_quote_token(names[i]));
			continue;
		}
		if (group)
			((gid_t *)ids)[n++] = e->gid;
		else
			((uid_t *)ids)[n++] = e->uid;
	}
	return n;
}

static void
creds_groups(struct loader *ld, struct build *b, bool root, const struct user_cache *uc)
{
	struct service *s = &b->s;

	for (size_t i = 0; s->groups && s->groups[i]; i++) {
		const struct ident *g = config_ident(ld, s->groups[i], true);

		if (!g || !g->found) {
			config_report(ld, b, O_GROUPS, host_level(b), "groups: unknown group '%s'",
				      config_quote_token(s->groups[i]));
		} else if (!root && g->gid != getegid() && !has_gid(uc->my_gids, (size_t)uc->nmy, g->gid)) {
			config_report(ld, b, O_GROUPS, host_level(b),
				      "groups: portierd is not root and not in group '%s'",
				      config_quote_token(s->groups[i]));
		} else if (add_gid(s, g->gid) < 0) {
			config_err(ld, b, O_COUNT, "out of memory");
		}
	}
}

static void
creds_root(struct loader *ld, struct build *b, bool check)
{
	struct service *s = &b->s;
	const char *uname = s->user ? s->user : ld->settings.default_user;
	const struct ident *u = config_ident(ld, uname, false);

	if (!s->user)
		b->at[O_USER] = ld->default_user_at;	/* report where it was set */
	if (!(s->user_name = strdup(uname)) || !u) {
		config_err(ld, b, O_COUNT, "out of memory");
		return;
	}
	if (!u->found) {
		if (check)
			config_report(ld, b, O_USER, host_level(b), "unknown user '%s'%s", config_quote_token(uname),
				      s->user ? "" : " (the default user)");
		return;
	}
	s->uid = u->uid;
	s->gid = u->gid;
	if (s->group)
		name_ids(ld, b, O_GROUP, (char *[]){ s->group, NULL }, true, &s->gid);
	for (int i = 0; i < u->ngids; i++)
		if (add_gid(s, u->gids[i]) < 0)
			config_err(ld, b, O_COUNT, "out of memory");
	if (add_gid(s, s->gid) < 0)
		config_err(ld, b, O_COUNT, "out of memory");
	if (check)
		creds_groups(ld, b, true, ld->users);
}

static int
whoami(struct user_cache *uc)
{
	struct passwd *pw = getpwuid(geteuid());
	int n = getgroups(0, NULL);

	if (pw)
		uc->me = strdup(pw->pw_name);
	else if (asprintf(&uc->me, "%lu", (unsigned long)geteuid()) < 0)
		uc->me = NULL;
	if (n < 0 || !uc->me)
		return -1;
	uc->my_gids = calloc((size_t)n + 1, sizeof(gid_t));
	if (!uc->my_gids || (uc->nmy = getgroups(n, uc->my_gids)) < 0)
		return -1;
	return 0;
}

/* Not root: handlers run as portierd's own user, whatever is written. */
static void
creds_user(struct loader *ld, struct build *b, bool check)
{
	struct service *s = &b->s;
	struct user_cache *uc = config_users(ld);
	gid_t g;

	if (!uc || (!uc->me && whoami(uc) < 0)) {
		config_err(ld, b, O_COUNT, "cannot find out who portierd runs as: %s", strerror(errno));
		return;
	}
	s->uid = geteuid();
	s->gid = getegid();
	if (!(s->user_name = strdup(uc->me)))
		config_err(ld, b, O_COUNT, "out of memory");
	for (int i = 0; i < uc->nmy; i++)
		if (add_gid(s, uc->my_gids[i]) < 0)
			config_err(ld, b, O_COUNT, "out of memory");
	if (add_gid(s, s->gid) < 0)
		config_err(ld, b, O_COUNT, "out of memory");
	if (!check)
		return;
	if (s->user && strcmp(s->user, uc->me))
		config_report(ld, b, O_USER, host_level(b),
			      "user '%s': portierd is not root: handlers run as %s", config_quote_token(s->user),
			      uc->me);
	if (s->group && name_ids(ld, b, O_GROUP, (char *[]){ s->group, NULL }, true, &g) &&
	    g != s->gid)
		config_report(ld, b, O_GROUP, host_level(b),
			      "group '%s': portierd is not root: handlers run in its own group",
			      config_quote_token(s->group));
	creds_groups(ld, b, false, uc);
}

/* path must exist, be of the type, and allow the access mode. */
static bool
check_file(struct loader *ld, struct build *b, enum opt_id id, const char *path,
	   mode_t type, int mode)
{
	struct stat st;

	if (stat(path, &st) < 0)
		config_report(ld, b, id, host_level(b), "%s %s: %s", config_opt(id)->name, path,
			      strerror(errno));
	else if ((st.st_mode & S_IFMT) != type)
		config_report(ld, b, id, host_level(b), "%s %s is not a %s", config_opt(id)->name,
			      path, type == S_IFDIR ? "directory" : "regular file");
	else if (access(path, mode) < 0)
		config_report(ld, b, id, host_level(b), "%s %s is not %s", config_opt(id)->name,
			      path, mode == X_OK ? "executable" : "readable");
	else
		return true;
	return false;
}

static void
finish_files(struct loader *ld, struct build *b)
{
	struct service *s = &b->s;

	if (s->chroot && !check_file(ld, b, O_CHROOT, s->chroot, S_IFDIR, X_OK))
		return;		/* the server cannot be found in it either */
	if (s->server) {
		/* After chroot, the server is found inside it. */
		char *path = NULL;

		if (asprintf(&path, "%s%s", s->chroot ? s->chroot : "", s->server) < 0)
			config_err(ld, b, O_COUNT, "out of memory");
		else
			check_file(ld, b, O_SERVER, path, S_IFREG, X_OK);
		free(path);
	}
	if (s->banner)
		check_file(ld, b, O_BANNER, s->banner, S_IFREG, R_OK);
	if (s->banner_success)
		check_file(ld, b, O_BANNER_SUCCESS, s->banner_success, S_IFREG, R_OK);
	if (s->banner_fail)
		check_file(ld, b, O_BANNER_FAIL, s->banner_fail, S_IFREG, R_OK);
}

/* ---- unix-domain services ---- */

static void
unix_owner(struct loader *ld, struct build *b)
{
	struct service *s = &b->s;
	size_t nu = strv_len(s->allow_users), ng = strv_len(s->allow_groups);

	s->socket_uid = (uid_t)-1;
	s->socket_gid = (gid_t)-1;
	if (s->socket_user &&
	    name_ids(ld, b, O_SOCKET_USER, (char *[]){ s->socket_user, NULL }, false, &s->socket_uid))
		s->socket_gid = config_ident(ld, s->socket_user, false)->gid;
	if (s->socket_group)
		name_ids(ld, b, O_SOCKET_GROUP, (char *[]){ s->socket_group, NULL }, true,
			 &s->socket_gid);
	s->allow_uids = calloc(nu + 1, sizeof(uid_t));
	s->allow_gids = calloc(ng + 1, sizeof(gid_t));
	if (!s->allow_uids || !s->allow_gids) {
		config_err(ld, b, O_COUNT, "out of memory");
		return;
	}
	s->nallow_uids = name_ids(ld, b, O_ALLOW_USERS, s->allow_users, false, s->allow_uids);
	s->nallow_gids = name_ids(ld, b, O_ALLOW_GROUPS, s->allow_groups, true, s->allow_gids);
}

/* Address rules and per-source limits, which a unix service's own section
 * may not have: its peers have no address, so they would do nothing there
 * (inherited from defaults they concern the network services). */
static const struct {
	enum opt_id id;
	const char *instead;
} no_unix[] = {
	{ O_ONLY_FROM, "allow_users or allow_groups" },
	{ O_NO_ACCESS, "allow_users or allow_groups" },
	{ O_PER_SOURCE, "instances" },
	{ O_PER_SOURCE_RATE, "rate" },
};

/* bind = { "unix:/path" }: one path alone, a stream, no port, no
 * protocol, no address rules. */
static void
finish_unix(struct loader *ld, struct build *b, int suffix)
{
	struct service *s = &b->s;
	enum opt_id net = b->own[O_INTERFACE] ? O_INTERFACE : O_FREEBIND;

	s->local = true;
	if (s->nbind != 1)
		config_err(ld, b, O_BIND, "a unix socket stands alone in bind");
	if (suffix)
		config_err(ld, b, O_COUNT, "a unix service's id has no /tcp or /udp");
	if (b->at[O_PROTOCOL].file)
		config_err(ld, b, O_PROTOCOL, "a unix service has no protocol");
	if (b->at[O_SOCKET_TYPE].file && s->socktype != SOCK_STREAM)
		config_err(ld, b, O_SOCKET_TYPE, "unix services are stream services");
	if (b->at[O_PORT].file)
		config_err(ld, b, O_PORT, "a unix service has no port");
	if (s->tcpmux)
		config_err(ld, b, O_TCPMUX, "a unix service cannot be reached through tcpmux");
	if (s->internal)
		config_err(ld, b, O_TYPE, "internal services listen on TCP and UDP only");
	for (size_t i = 0; i < sizeof(no_unix) / sizeof(no_unix[0]); i++)
		if (b->own[no_unix[i].id])
			config_err(ld, b, no_unix[i].id, "%s does not apply to a unix socket: use %s",
				   config_opt(no_unix[i].id)->name, no_unix[i].instead);
	if (b->own[net])
		config_warn(ld, b, net, "%s applies to network sockets only", config_opt(net)->name);
	s->socktype = SOCK_STREAM;
	s->protocol = 0;
	s->port = 0;
	if (!b->at[O_WAIT].file)
		s->wait = false;
	if (s->wait && (s->allow_users || s->allow_groups))
		config_err(ld, b, s->allow_users ? O_ALLOW_USERS : O_ALLOW_GROUPS,
			   "allow_users and allow_groups need wait = no: in wait mode the "
			   "handler accepts, and portierd never sees the peer");
	unix_owner(ld, b);
}

/* The unix options, written in a network service's own section. */
static void
warn_unix_options(struct loader *ld, struct build *b)
{
	for (enum opt_id id = 0; id < O_COUNT; id++)
		if (b->own[id] && config_opt(id)->unix_only)
			config_warn(ld, b, id, "%s applies to unix sockets only",
				    config_opt(id)->name);
}

/* bind_each_address: a UDP service whose bind names no address of its
 * own (none, 0.0.0.0, ::): the host's addresses become its sockets. */
static void
finish_each_address(struct loader *ld, struct build *b)
{
	struct service *s = &b->s;
	char host[INET6_ADDRSTRLEN];

	if (!s->bind_each_address)
		return;
	if (s->local || s->socktype != SOCK_DGRAM) {
		config_err(ld, b, O_BIND_EACH_ADDRESS, "bind_each_address applies to UDP services "
			   "only (a TCP connection already answers from the address it reached)");
		return;
	}
	for (size_t i = 0; i < s->nbind; i++) {
		if (addr_is_wildcard((const struct sockaddr *)&s->bind[i]))
			continue;
		addr_text((const struct sockaddr *)&s->bind[i], host, sizeof(host));
		config_err(ld, b, O_BIND_EACH_ADDRESS, "bind_each_address needs a wildcard bind "
			   "(0.0.0.0, ::) or none, and bind names %s", host);
		return;
	}
}

void
config_finish(struct loader *ld, struct build *b)
{
	bool check = !(ld->flags & CONFIG_NO_FS_CHECKS);
	int suffix = finish_identity(ld, b);

	if (suffix < 0)
		return;
	if (config_binds_family(&b->s, AF_UNIX)) {
		finish_unix(ld, b, suffix);
	} else {
		warn_unix_options(ld, b);
		finish_transport(ld, b, suffix);
	}
	finish_each_address(ld, b);
	if (b->s.internal) {
		finish_internal(ld, b);
		return;
	}
	finish_external(ld, b);
	if (ld->root)
		creds_root(ld, b, check);
	else
		creds_user(ld, b, check);
	if (check)
		finish_files(ld, b);
}
