/* SPDX-License-Identifier: ISC */
/* config_opts: the options of the service and defaults sections, one row
 * each in opts[]: name, the sections that allow it, the field it is stored
 * in, its range and built-in default (portier.conf(5)), what is wrong with
 * a bad value, and the converter of its kind of value (config_apply.c),
 * which knows no option by name. The built-in defaults, the copy of the
 * defaults section each service starts from, and its freeing, are made
 * from the rows.
 * Values that need the host (users, files) are checked later, in
 * config_finish.c, once everything is known. */
#include "autoconf.h"

#include <ctype.h>
#include <limits.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

#include "config/config_int.h"
#include "config/config.h"

static opt_check_fn check_name, check_regname, check_path, check_env_name, check_ifname;

/* Where a row's value goes: a field of struct build (the service), or of
 * struct daemon_settings; AUX names the companion field. */
#define SVC(f)	.off = offsetof(struct build, s.f), .size = sizeof(((struct build *)0)->s.f)
#define BLD(f)	.off = offsetof(struct build, f), .size = sizeof(((struct build *)0)->f)
#define AUX(f)	.aux = offsetof(struct build, s.f)
#define DMN(f)	.daemon = true, .off = offsetof(struct daemon_settings, f), \
		.size = sizeof(((struct daemon_settings *)0)->f)
#define DAUX(f)	.aux = offsetof(struct daemon_settings, f)
/* Fields that own memory: copied, not shared, by a service from defaults. */
#define STR(f)	SVC(f), .owns = OWNS_STRING
#define STRV(f)	SVC(f), .owns = OWNS_STRV
#define ARR(f, n) SVC(f), AUX(n), .owns = OWNS_ARRAY, .elem = sizeof(*((struct build *)0)->s.f)
#define ADDRS(f) SVC(f), .owns = OWNS_ADDRS, .elem = sizeof(struct addr_rule)

static const struct opt_word type_words[] = { { "internal", 1 }, { NULL, 0 } };
static const struct opt_word socktype_words[] = {
	{ "stream", SOCK_STREAM }, { "dgram", SOCK_DGRAM }, { NULL, 0 },
};
static const struct opt_word protocol_words[] = {
	{ "tcp", IPPROTO_TCP }, { "udp", IPPROTO_UDP }, { NULL, 0 },
};
static const struct opt_word activation_words[] = {
	{ "inetd", ACTIVATION_INETD }, { "systemd", ACTIVATION_SYSTEMD }, { NULL, 0 },
};
static const struct opt_word on_limit_words[] = {
	{ "defer", ON_LIMIT_DEFER }, { "refuse", ON_LIMIT_REFUSE }, { NULL, 0 },
};
static const struct opt_word log_words[] = {
	{ "syslog", LOG_TO_SYSLOG }, { "stderr", LOG_TO_STDERR }, { "journal", LOG_TO_JOURNAL },
	{ NULL, 0 },
};
/* As in xinetd: a failed attempt has no process, a success no attempt. */
static const struct opt_word success_words[] = {
	{ "PID", LOGF_PID }, { "HOST", LOGF_HOST }, { "USERID", LOGF_USERID },
	{ "EXIT", LOGF_EXIT }, { "DURATION", LOGF_DURATION }, { NULL, 0 },
};
static const struct opt_word failure_words[] = {
	{ "HOST", LOGF_HOST }, { "USERID", LOGF_USERID }, { "ATTEMPT", LOGF_ATTEMPT },
	{ NULL, 0 },
};

#define NOT_BOOL	"is not a boolean (yes or no)"
#define NOT_LIMIT	"is neither a number of at least 1 nor UNLIMITED"
/* Without 3 descriptors the handler has no stdin, stdout, stderr; with 0
 * of the others it cannot even exec. A core limit of 0 is how one says
 * "no core files". */
#define RLIMIT(f, m, sz) \
	SVC(rlimit[f]), .min = m, .sized = sz, .apply = config_apply_rlimit

static const struct optdef opts[O_COUNT] = {
	[O_DISABLE] = { "disable", IN_BOTH, false, SVC(disabled), .why = NOT_BOOL,
			.apply = config_apply_bool },
	[O_TYPE] = { "type", IN_BOTH, false, SVC(internal), .words = type_words,
		     .apply = config_apply_keyword },
	[O_SOCKET_TYPE] = { "socket_type", IN_BOTH, false, SVC(socktype), .words = socktype_words,
			    .apply = config_apply_keyword },
	[O_PROTOCOL] = { "protocol", IN_BOTH, false, SVC(protocol), .words = protocol_words,
			 .apply = config_apply_keyword },
	[O_WAIT] = { "wait", IN_BOTH, false, SVC(wait), .why = NOT_BOOL,
		     .apply = config_apply_bool },
	[O_PORT] = { "port", IN_SERVICE, false, SVC(port), .min = 1, .max = 65535,
		     .apply = config_apply_int },
	[O_BIND] = { "bind", IN_BOTH, true, ARR(bind, nbind),
		     .why = "is not an IPv4 or IPv6 address, nor unix:/absolute/path",
		     .apply = config_apply_bind },
	/* In defaults, `user` is whom services without one run as. */
	[O_USER] = { "user", IN_BOTH, false, STR(user), .defstr = "nobody", .check = check_name,
		     .apply = config_apply_user },
	[O_GROUP] = { "group", IN_BOTH, false, STR(group), .check = check_name,
		      .apply = config_apply_string },
	[O_SERVER] = { "server", IN_BOTH, false, STR(server), .check = check_path,
		       .apply = config_apply_string },
	[O_SERVER_ARGS] = { "server_args", IN_BOTH, true, BLD(server_args), .owns = OWNS_STRV,
			    .apply = config_apply_strlist },
	/* NAME=value; a name given again replaces what was inherited. */
	[O_ENV] = { "env", IN_BOTH, true, STRV(env), .why = "is not NAME=value",
		    .apply = config_apply_env },
	[O_PASSENV] = { "passenv", IN_BOTH, true, STRV(passenv), .check = check_env_name,
			.apply = config_apply_strlist },
	[O_INSTANCES] = { "instances", IN_BOTH, false, SVC(instances), .def = 50, .why = NOT_LIMIT,
			  .apply = config_apply_limit },
	[O_PER_SOURCE] = { "per_source", IN_BOTH, false, SVC(per_source), .def = 10,
			   .why = NOT_LIMIT, .apply = config_apply_limit },
	/* { RATE, SECONDS }: the rate into cps_rate, the wait into cps_wait. */
	[O_CPS] = { "cps", IN_BOTH, true, SVC(cps_rate), AUX(cps_wait), .min = 0, .max = 86400,
		    .def = 50, .def2 = 10, .apply = config_apply_cps },
	[O_MAX_LOAD] = { "max_load", IN_BOTH, false, SVC(max_load),
			 .why = "is not a number of 0 or more", .apply = config_apply_float },
	[O_ONLY_FROM] = { "only_from", IN_BOTH, true, ADDRS(only_from), AUX(only_from_set),
			  .apply = config_apply_addrs },
	[O_NO_ACCESS] = { "no_access", IN_BOTH, true, ADDRS(no_access), .apply = config_apply_addrs },
	[O_LOG_ON_SUCCESS] = { "log_on_success", IN_BOTH, true, SVC(log_on_success),
			       .def = LOGF_PID | LOGF_HOST | LOGF_DURATION | LOGF_EXIT,
			       .words = success_words, .apply = config_apply_logflags },
	[O_LOG_ON_FAILURE] = { "log_on_failure", IN_BOTH, true, SVC(log_on_failure),
			       .def = LOGF_HOST, .words = failure_words,
			       .apply = config_apply_logflags },
	[O_NICE] = { "nice", IN_BOTH, false, SVC(nice), AUX(nice_set), .min = -20, .max = 19,
		     .apply = config_apply_int },
	[O_UMASK] = { "umask", IN_BOTH, false, SVC(umask), AUX(umask_set),
		      .why = "is not an octal mode from 000 to 777", .apply = config_apply_umask },
	[O_RLIMIT_AS] = { "rlimit_as", IN_BOTH, false, RLIMIT(RLIM_AS, 1, true) },
	[O_RLIMIT_CPU] = { "rlimit_cpu", IN_BOTH, false, RLIMIT(RLIM_CPU, 1, false) },
	[O_RLIMIT_DATA] = { "rlimit_data", IN_BOTH, false, RLIMIT(RLIM_DATA, 1, true) },
	[O_RLIMIT_FILES] = { "rlimit_files", IN_BOTH, false, RLIMIT(RLIM_FILES, 3, false) },
	[O_RLIMIT_NPROC] = { "rlimit_nproc", IN_BOTH, false, RLIMIT(RLIM_NPROC, 1, false) },
	[O_RLIMIT_STACK] = { "rlimit_stack", IN_BOTH, false, RLIMIT(RLIM_STACK, 1, true) },
	[O_RLIMIT_CORE] = { "rlimit_core", IN_BOTH, false, RLIMIT(RLIM_CORE, 0, true) },
	[O_CHROOT] = { "chroot", IN_BOTH, false, STR(chroot), .check = check_path,
		       .apply = config_apply_string },
	[O_BANNER] = { "banner", IN_BOTH, false, STR(banner), .check = check_path,
		       .apply = config_apply_string },
	[O_BANNER_SUCCESS] = { "banner_success", IN_BOTH, false, STR(banner_success),
			       .check = check_path, .apply = config_apply_string },
	[O_BANNER_FAIL] = { "banner_fail", IN_BOTH, false, STR(banner_fail), .check = check_path,
			    .apply = config_apply_string },
	[O_EXPIRES] = { "expires", IN_BOTH, false, SVC(expires),
			.why = "is not an ISO 8601 time (2026-12-01T18:00:00Z, +02:00, or local)",
			.apply = config_apply_time },
	[O_ACCESS_TIMES] = { "access_times", IN_BOTH, true, ARR(access_times, naccess_times),
			     .why = "is not HH:MM-HH:MM", .apply = config_apply_windows },
	[O_LISTEN_BACKLOG] = { "listen_backlog", IN_BOTH, false, SVC(listen_backlog), .min = 0,
			       .max = 65535, .apply = config_apply_int },
	[O_KEEPALIVE] = { "keepalive", IN_BOTH, false, SVC(keepalive), .why = NOT_BOOL,
			  .apply = config_apply_bool },
	[O_NODELAY] = { "nodelay", IN_BOTH, false, SVC(nodelay), .why = NOT_BOOL,
			.apply = config_apply_bool },
	[O_ACTIVATION] = { "activation", IN_BOTH, false, SVC(activation), .def = ACTIVATION_INETD,
			   .words = activation_words, .apply = config_apply_keyword },
	/* Registry names may hold a slash ("cl/1"); user and group names not. */
	[O_NAME] = { "name", IN_SERVICE, false, STR(name), .check = check_regname,
		     .apply = config_apply_string },
	[O_TCPMUX] = { "tcpmux", IN_BOTH, false, SVC(tcpmux), .why = NOT_BOOL,
		       .apply = config_apply_bool },
	[O_IDLE_TIMEOUT] = { "idle_timeout", IN_BOTH, false, SVC(idle_timeout), .min = 1,
			     .max = 86400 * 365, .def = 300, .apply = config_apply_int },
	[O_GROUPS] = { "groups", IN_BOTH, true, STRV(groups), .check = check_name,
		       .apply = config_apply_strlist },
	[O_NO_NEW_PRIVILEGES] = { "no_new_privileges", IN_BOTH, false, SVC(no_new_privileges),
				  .why = NOT_BOOL, .apply = config_apply_bool },
	/* The defaults section's own: the daemon's settings. */
	[O_LOG] = { "log", IN_DEFAULTS, false, DMN(log), DAUX(log_set), .def = LOG_TO_SYSLOG,
		    .words = log_words, .apply = config_apply_keyword },
	[O_LOG_FACILITY] = { "log_facility", IN_DEFAULTS, false, DMN(log_facility),
			     .def = LOG_DAEMON, .apply = config_apply_facility },
	[O_MAX_CHILDREN] = { "max_children", IN_DEFAULTS, false, DMN(max_children), .def = 512,
			     .why = NOT_LIMIT, .apply = config_apply_limit },
	[O_CONTROL_SOCKET] = { "control_socket", IN_DEFAULTS, false, DMN(control_socket),
			       .defstr = PORTIER_RUNDIR "/control",
			       .apply = config_apply_control_socket },
	/* Wait-mode restarts per minute before the loop guard trips, and the
	 * seconds a looping service then stays disabled. */
	[O_LOOP_LIMIT] = { "loop_limit", IN_DEFAULTS, false, DMN(loop_limit), .min = 1,
			   .max = INT_MAX, .def = 40, .apply = config_apply_int },
	[O_LOOP_DISABLE] = { "loop_disable", IN_DEFAULTS, false, DMN(loop_disable), .min = 1,
			     .max = INT_MAX, .def = 600, .apply = config_apply_int },
	/* Debian's inet-superserver: the services update-inetd writes. A
	 * distribution turns it on at build time (--enable-inetd-compat). */
	[O_INETD_COMPAT] = { "inetd_compat", IN_DEFAULTS, false, DMN(inetd_compat),
			     .def = PORTIER_INETD_COMPAT, .why = NOT_BOOL,
			     .apply = config_apply_bool },
	[O_INETD_CONF] = { "inetd_conf", IN_DEFAULTS, false, DMN(inetd_conf),
			   .defstr = "/etc/inetd.conf", .check = check_path,
			   .apply = config_apply_string },
	/* Unix-domain services (bind = { "unix:/path" }): the socket file's
	 * mode and owner, and the peers admitted by SO_PEERCRED. */
	[O_SOCKET_MODE] = { "socket_mode", IN_BOTH, false, SVC(socket_mode), .def = 0660,
			    .why = "is not an octal mode from 000 to 777",
			    .apply = config_apply_umask, .unix_only = true },
	[O_SOCKET_USER] = { "socket_user", IN_BOTH, false, STR(socket_user), .check = check_name,
			    .apply = config_apply_string, .unix_only = true },
	[O_SOCKET_GROUP] = { "socket_group", IN_BOTH, false, STR(socket_group),
			     .check = check_name, .apply = config_apply_string, .unix_only = true },
	[O_ALLOW_USERS] = { "allow_users", IN_BOTH, true, STRV(allow_users), .check = check_name,
			    .apply = config_apply_strlist, .unix_only = true },
	[O_ALLOW_GROUPS] = { "allow_groups", IN_BOTH, true, STRV(allow_groups),
			     .check = check_name, .apply = config_apply_strlist, .unix_only = true },
	/* { RATE, BURST }: connections a second (thousandths kept) into the
	 * field, the burst into aux; no limit unless set. */
	[O_RATE] = { "rate", IN_BOTH, true, SVC(rate_milli), AUX(rate_burst), .min = 0,
		     .max = 1000000, .apply = config_apply_bucket },
	[O_PER_SOURCE_RATE] = { "per_source_rate", IN_BOTH, true, SVC(source_rate_milli),
				AUX(source_burst), .min = 0, .max = 1000000,
				.apply = config_apply_bucket },
	[O_ON_LIMIT] = { "on_limit", IN_BOTH, false, SVC(on_limit), .def = ON_LIMIT_DEFER,
			 .words = on_limit_words, .apply = config_apply_keyword },
	/* A `bind` address that is not on the host yet is bound at once
	 * (IP_FREEBIND), rather than waited for. */
	[O_FREEBIND] = { "freebind", IN_BOTH, false, SVC(freebind), .why = NOT_BOOL,
			 .apply = config_apply_bool },
	/* SO_BINDTODEVICE; an interface that does not exist yet is waited for. */
	[O_INTERFACE] = { "interface", IN_BOTH, false, STR(interface), .check = check_ifname,
			  .apply = config_apply_string },
	/* A UDP service's own choice (config_finish.c checks its bind): in
	 * defaults it would be wrong for every TCP service. */
	[O_BIND_EACH_ADDRESS] = { "bind_each_address", IN_SERVICE, false, SVC(bind_each_address),
				  .why = NOT_BOOL, .apply = config_apply_bool },
};

const struct optdef *
config_opt(enum opt_id id)
{
	return &opts[id];
}

/* The defaults of the rows stored in base (struct build or settings). */
static void
init_rows(char *base, bool daemon)
{
	for (size_t i = 0; i < O_COUNT; i++) {
		const struct optdef *o = &opts[i];

		if (o->daemon != daemon)
			continue;
		if (o->def)
			config_store_int(base + o->off, o->size, o->def);
		if (o->def2)
			config_store_int(base + o->aux, sizeof(int), o->def2);
		if (o->defstr && daemon)
			*(char **)(base + o->off) = strdup(o->defstr);
	}
}

void
config_settings_init(struct daemon_settings *st)
{
	memset(st, 0, sizeof(*st));
	init_rows((char *)st, true);
	st->default_user = strdup(opts[O_USER].defstr);
}

void
config_build_init(struct build *b, const char *what)
{
	*b = (struct build){ .s.uid = (uid_t)-1, .s.gid = (gid_t)-1 };
	snprintf(b->what_buf, sizeof(b->what_buf), "%s", what);
	b->what = b->what_buf;
	init_rows((char *)b, false);
}

static void *
memdup(const void *p, size_t n)
{
	void *q;

	if (!p || n == 0)
		return NULL;
	q = malloc(n);
	if (q)
		memcpy(q, p, n);
	return q;
}

/* Replaces the pointer that dst shares with src by a copy of what it
 * points to (NULL when that fails: -1). */
static int
copy_owned(const struct optdef *o, char *dst, const char *src)
{
	void **d = (void **)(dst + o->off);
	const void *p;
	size_t n;

	/* Only a field that owns something holds a pointer: reading one from
	 * an int or a bool would be a misaligned load (UBSan says so). */
	if (o->owns == OWNS_NOTHING)
		return 0;
	p = *(void *const *)(src + o->off);
	switch (o->owns) {
	case OWNS_NOTHING:
		return 0;
	case OWNS_STRING:
		*d = p ? strdup(p) : NULL;
		break;
	case OWNS_STRV:
		*d = strv_dup((char *const *)p);
		break;
	case OWNS_ARRAY:
	case OWNS_ADDRS:
		n = o->owns == OWNS_ADDRS ? ((const struct addr_list *)(src + o->off))->count
					  : *(const size_t *)(src + o->aux);
		*d = memdup(p, n * o->elem);
		return n && !*d ? -1 : 0;
	}
	return p && !*d ? -1 : 0;
}

int
config_build_copy(struct build *dst, const struct build *src)
{
	struct service *s = &dst->s;
	int rc = 0;

	/* The scalars first, then every owned pointer replaced by a copy:
	 * of every one, even after a failure, so that none is shared. */
	*s = src->s;
	memcpy(dst->at, src->at, sizeof(dst->at));
	memcpy(dst->wrote, src->wrote, sizeof(dst->wrote));
	memset(dst->under, 0, sizeof(dst->under));
	memset(dst->own, 0, sizeof(dst->own));
	for (size_t i = 0; i < O_COUNT; i++)
		if (!opts[i].daemon)
			rc |= copy_owned(&opts[i], (char *)dst, (const char *)src);
	/* What the loader derives (id, argv, gids...) is NULL in src: the
	 * defaults are never finished (config_finish). */
	return rc;
}

_Static_assert(offsetof(struct build, s) == 0, "a row's offset is one into the service");

void
config_service_clear(struct service *s)
{
	/* What the rows own, those of struct build beyond the service aside
	 * (config_build_release), then what the loader derives. */
	for (size_t i = 0; i < O_COUNT; i++) {
		const struct optdef *o = &opts[i];

		if (o->daemon || o->owns == OWNS_NOTHING || o->off >= sizeof(*s))
			continue;
		if (o->owns == OWNS_STRV)
			strv_free(*(char ***)((char *)s + o->off));
		else	/* a string, an array, an addr_list's rules (its first field) */
			free(*(void **)((char *)s + o->off));
	}
	free(s->id);
	free(s->file);
	free(s->user_name);
	free(s->gids);
	free(s->allow_uids);
	free(s->allow_gids);
	strv_free(s->argv);
	memset(s, 0, sizeof(*s));
}

void
config_build_release(struct build *b)
{
	strv_free(b->server_args);
	b->server_args = NULL;
}

static const char *
check_name(const char *s)
{
	return !*s || strpbrk(s, " \t\n/") ? "is not a valid name" : NULL;
}

static const char *
check_regname(const char *s)
{
	return !*s || strpbrk(s, " \t\n") ? "is not a valid name" : NULL;
}

/* The kernel's rules for an interface name (dev_valid_name): shorter than
 * IFNAMSIZ, not "." or "..", no '/', ':' or blank. */
static const char *
check_ifname(const char *s)
{
	if (!*s || strlen(s) >= IF_NAMESIZE)
		return "is not an interface name (1 to 15 characters)";
	if (!strcmp(s, ".") || !strcmp(s, ".."))
		return "is not an interface name";
	for (const char *p = s; *p; p++)
		if (*p == '/' || *p == ':' || isspace((unsigned char)*p) || !isprint((unsigned char)*p))
			return "is not an interface name (no '/', ':', blank or control character)";
	return NULL;
}

static const char *
check_path(const char *s)
{
	return s[0] != '/' ? "is not an absolute path" : NULL;
}

static const char *
check_env_name(const char *s)
{
	return !cval_env_name(s, strlen(s)) ? "is not a variable name" : NULL;
}

void
config_opt_apply(struct loader *ld, struct build *b, const struct optval *v)
{
	const struct optdef *o = &opts[v->id];

	o->apply(ld, b, o, o->daemon ? (char *)&ld->settings : (char *)b, v);
}
