/* config_opts: the options of the service and defaults sections, one row
 * each in opts[]: name, the sections that allow it, the field it is stored
 * in, its range and built-in default (portier.conf(5)), and the function
 * that converts a written value into that field. The functions serve a
 * kind of value (a boolean, a number, a list of addresses) and know no
 * option by name: what differs between two options of a kind is in their
 * rows. Values that need the host (users, files) are checked later, in
 * config_finish.c, once everything is known. */
#include "autoconf.h"

#include <limits.h>
#include <netdb.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/un.h>

#include "config/config_int.h"
#include "config/config.h"

static opt_apply_fn apply_bool, apply_int, apply_limit, apply_float, apply_umask,
	apply_time, apply_keyword, apply_facility, apply_string, apply_user,
	apply_control_socket, apply_strlist, apply_env, apply_bind, apply_cps,
	apply_addrs, apply_logflags, apply_rlimit, apply_windows;
static opt_check_fn check_name, check_regname, check_path, check_env_name;

/* Where a row's value goes: a field of struct build (the service), or of
 * struct daemon_settings; AUX names the companion field. */
#define SVC(f)	.off = offsetof(struct build, s.f), .size = sizeof(((struct build *)0)->s.f)
#define BLD(f)	.off = offsetof(struct build, f), .size = sizeof(((struct build *)0)->f)
#define AUX(f)	.aux = offsetof(struct build, s.f)
#define DMN(f)	.daemon = true, .off = offsetof(struct daemon_settings, f), \
		.size = sizeof(((struct daemon_settings *)0)->f)
#define DAUX(f)	.aux = offsetof(struct daemon_settings, f)

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
#define RLIMIT(f, m, sz) SVC(rlimit[f]), .min = m, .sized = sz, .apply = apply_rlimit

static const struct optdef opts[O_COUNT] = {
	[O_DISABLE] = { "disable", IN_BOTH, false, SVC(disabled), .why = NOT_BOOL,
			.apply = apply_bool },
	[O_TYPE] = { "type", IN_BOTH, false, SVC(internal), .words = type_words,
		     .apply = apply_keyword },
	[O_SOCKET_TYPE] = { "socket_type", IN_BOTH, false, SVC(socktype), .words = socktype_words,
			    .apply = apply_keyword },
	[O_PROTOCOL] = { "protocol", IN_BOTH, false, SVC(protocol), .words = protocol_words,
			 .apply = apply_keyword },
	[O_WAIT] = { "wait", IN_BOTH, false, SVC(wait), .why = NOT_BOOL, .apply = apply_bool },
	[O_PORT] = { "port", IN_SERVICE, false, SVC(port), .min = 1, .max = 65535,
		     .apply = apply_int },
	[O_BIND] = { "bind", IN_BOTH, true, SVC(bind), AUX(nbind),
		     .why = "is not an IPv4 or IPv6 address", .apply = apply_bind },
	/* In defaults, `user` is whom services without one run as. */
	[O_USER] = { "user", IN_BOTH, false, SVC(user), .defstr = "nobody", .check = check_name,
		     .apply = apply_user },
	[O_GROUP] = { "group", IN_BOTH, false, SVC(group), .check = check_name,
		      .apply = apply_string },
	[O_SERVER] = { "server", IN_BOTH, false, SVC(server), .check = check_path,
		       .apply = apply_string },
	[O_SERVER_ARGS] = { "server_args", IN_BOTH, true, BLD(server_args), .apply = apply_strlist },
	/* NAME=value; a name given again replaces what was inherited. */
	[O_ENV] = { "env", IN_BOTH, true, SVC(env), .why = "is not NAME=value", .apply = apply_env },
	[O_PASSENV] = { "passenv", IN_BOTH, true, SVC(passenv), .check = check_env_name,
			.apply = apply_strlist },
	[O_INSTANCES] = { "instances", IN_BOTH, false, SVC(instances), .def = 50, .why = NOT_LIMIT,
			  .apply = apply_limit },
	[O_PER_SOURCE] = { "per_source", IN_BOTH, false, SVC(per_source), .def = 10,
			   .why = NOT_LIMIT, .apply = apply_limit },
	/* { RATE, SECONDS }: the rate into cps_rate, the wait into cps_wait. */
	[O_CPS] = { "cps", IN_BOTH, true, SVC(cps_rate), AUX(cps_wait), .min = 0, .max = 86400,
		    .def = 50, .def2 = 10, .apply = apply_cps },
	[O_MAX_LOAD] = { "max_load", IN_BOTH, false, SVC(max_load),
			 .why = "is not a number of 0 or more", .apply = apply_float },
	[O_ONLY_FROM] = { "only_from", IN_BOTH, true, SVC(only_from), AUX(only_from_set),
			  .apply = apply_addrs },
	[O_NO_ACCESS] = { "no_access", IN_BOTH, true, SVC(no_access), .apply = apply_addrs },
	[O_LOG_ON_SUCCESS] = { "log_on_success", IN_BOTH, true, SVC(log_on_success),
			       .def = LOGF_PID | LOGF_HOST | LOGF_DURATION | LOGF_EXIT,
			       .words = success_words, .apply = apply_logflags },
	[O_LOG_ON_FAILURE] = { "log_on_failure", IN_BOTH, true, SVC(log_on_failure),
			       .def = LOGF_HOST, .words = failure_words, .apply = apply_logflags },
	[O_NICE] = { "nice", IN_BOTH, false, SVC(nice), AUX(nice_set), .min = -20, .max = 19,
		     .apply = apply_int },
	[O_UMASK] = { "umask", IN_BOTH, false, SVC(umask), AUX(umask_set),
		      .why = "is not an octal mode from 000 to 777", .apply = apply_umask },
	[O_RLIMIT_AS] = { "rlimit_as", IN_BOTH, false, RLIMIT(RLIM_AS, 1, true) },
	[O_RLIMIT_CPU] = { "rlimit_cpu", IN_BOTH, false, RLIMIT(RLIM_CPU, 1, false) },
	[O_RLIMIT_DATA] = { "rlimit_data", IN_BOTH, false, RLIMIT(RLIM_DATA, 1, true) },
	[O_RLIMIT_FILES] = { "rlimit_files", IN_BOTH, false, RLIMIT(RLIM_FILES, 3, false) },
	[O_RLIMIT_NPROC] = { "rlimit_nproc", IN_BOTH, false, RLIMIT(RLIM_NPROC, 1, false) },
	[O_RLIMIT_STACK] = { "rlimit_stack", IN_BOTH, false, RLIMIT(RLIM_STACK, 1, true) },
	[O_RLIMIT_CORE] = { "rlimit_core", IN_BOTH, false, RLIMIT(RLIM_CORE, 0, true) },
	[O_CHROOT] = { "chroot", IN_BOTH, false, SVC(chroot), .check = check_path,
		       .apply = apply_string },
	[O_BANNER] = { "banner", IN_BOTH, false, SVC(banner), .check = check_path,
		       .apply = apply_string },
	[O_BANNER_SUCCESS] = { "banner_success", IN_BOTH, false, SVC(banner_success),
			       .check = check_path, .apply = apply_string },
	[O_BANNER_FAIL] = { "banner_fail", IN_BOTH, false, SVC(banner_fail), .check = check_path,
			    .apply = apply_string },
	[O_EXPIRES] = { "expires", IN_BOTH, false, SVC(expires),
			.why = "is not an ISO 8601 time (2026-12-01T18:00:00Z, +02:00, or local)",
			.apply = apply_time },
	[O_ACCESS_TIMES] = { "access_times", IN_BOTH, true, SVC(access_times), AUX(naccess_times),
			     .why = "is not HH:MM-HH:MM", .apply = apply_windows },
	[O_LISTEN_BACKLOG] = { "listen_backlog", IN_BOTH, false, SVC(listen_backlog), .min = 0,
			       .max = 65535, .apply = apply_int },
	[O_KEEPALIVE] = { "keepalive", IN_BOTH, false, SVC(keepalive), .why = NOT_BOOL,
			  .apply = apply_bool },
	[O_NODELAY] = { "nodelay", IN_BOTH, false, SVC(nodelay), .why = NOT_BOOL,
			.apply = apply_bool },
	[O_ACTIVATION] = { "activation", IN_BOTH, false, SVC(activation), .def = ACTIVATION_INETD,
			   .words = activation_words, .apply = apply_keyword },
	/* Registry names may hold a slash ("cl/1"); user and group names not. */
	[O_NAME] = { "name", IN_SERVICE, false, SVC(name), .check = check_regname,
		     .apply = apply_string },
	[O_TCPMUX] = { "tcpmux", IN_BOTH, false, SVC(tcpmux), .why = NOT_BOOL,
		       .apply = apply_bool },
	[O_IDLE_TIMEOUT] = { "idle_timeout", IN_BOTH, false, SVC(idle_timeout), .min = 1,
			     .max = 86400 * 365, .def = 300, .apply = apply_int },
	[O_GROUPS] = { "groups", IN_BOTH, true, SVC(groups), .check = check_name,
		       .apply = apply_strlist },
	[O_NO_NEW_PRIVILEGES] = { "no_new_privileges", IN_BOTH, false, SVC(no_new_privileges),
				  .why = NOT_BOOL, .apply = apply_bool },
	/* The defaults section's own: the daemon's settings. */
	[O_LOG] = { "log", IN_DEFAULTS, false, DMN(log), DAUX(log_set), .def = LOG_TO_SYSLOG,
		    .words = log_words, .apply = apply_keyword },
	[O_LOG_FACILITY] = { "log_facility", IN_DEFAULTS, false, DMN(log_facility),
			     .def = LOG_DAEMON, .apply = apply_facility },
	[O_MAX_CHILDREN] = { "max_children", IN_DEFAULTS, false, DMN(max_children), .def = 512,
			     .why = NOT_LIMIT, .apply = apply_limit },
	[O_CONTROL_SOCKET] = { "control_socket", IN_DEFAULTS, false, DMN(control_socket),
			       .defstr = PORTIER_RUNDIR "/control", .apply = apply_control_socket },
	/* Wait-mode restarts per minute before the loop guard trips, and the
	 * seconds a looping service then stays disabled. */
	[O_LOOP_LIMIT] = { "loop_limit", IN_DEFAULTS, false, DMN(loop_limit), .min = 1,
			   .max = INT_MAX, .def = 40, .apply = apply_int },
	[O_LOOP_DISABLE] = { "loop_disable", IN_DEFAULTS, false, DMN(loop_disable), .min = 1,
			     .max = INT_MAX, .def = 600, .apply = apply_int },
};

const struct optdef *
config_opt(enum opt_id id)
{
	return &opts[id];
}

const char *
config_opt_name(enum opt_id id)
{
	return opts[id].name;
}

bool
config_opt_is_list(enum opt_id id)
{
	return opts[id].list;
}

unsigned
config_opt_scope(enum opt_id id)
{
	return opts[id].scope;
}

/* Numbers and keywords go into bool or int-sized fields (int, unsigned,
 * an enum): the unit test checks that every row's field is one of them. */
static void
store_int(void *field, size_t size, long val)
{
	if (size == sizeof(bool))
		*(bool *)field = val != 0;
	else
		*(int *)field = (int)val;
}

static void
mark_set(const struct optdef *o, char *base)
{
	if (o->aux)
		*(bool *)(base + o->aux) = true;
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
			store_int(base + o->off, o->size, o->def);
		if (o->def2)
			store_int(base + o->aux, sizeof(int), o->def2);
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
	memset(b, 0, sizeof(*b));
	snprintf(b->what_buf, sizeof(b->what_buf), "%s", what);
	b->what = b->what_buf;
	init_rows((char *)b, false);
	b->s.uid = (uid_t)-1;
	b->s.gid = (gid_t)-1;
}

static enum opt_id
row_id(const struct optdef *o)
{
	return (enum opt_id)(o - opts);
}

/* "NAME: 'VALUE' is not ...": the row's complaint about a value. */
static void
bad_value(struct loader *ld, struct build *b, const struct optdef *o, const char *s)
{
	config_err(ld, b, row_id(o), "%s: '%s' %s", o->name, s, o->why);
}

static void
out_of_memory(struct loader *ld, struct build *b, const struct optdef *o)
{
	config_err(ld, b, row_id(o), "out of memory");
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

static void
apply_bool(struct loader *ld, struct build *b, const struct optdef *o, char *base,
	   const struct optval *v)
{
	if (cval_bool(v->items[0], (bool *)(base + o->off)) < 0)
		bad_value(ld, b, o, v->items[0]);
}

static void
apply_int(struct loader *ld, struct build *b, const struct optdef *o, char *base,
	  const struct optval *v)
{
	long val;

	if (cval_int(v->items[0], o->min, o->max, &val) < 0) {
		config_err(ld, b, row_id(o), "%s: '%s' is not a number from %ld to %ld",
			   o->name, v->items[0], o->min, o->max);
		return;
	}
	store_int(base + o->off, o->size, val);
	mark_set(o, base);
}

static void
apply_limit(struct loader *ld, struct build *b, const struct optdef *o, char *base,
	    const struct optval *v)
{
	if (cval_limit(v->items[0], (int *)(base + o->off)) < 0)
		bad_value(ld, b, o, v->items[0]);
}

static void
apply_float(struct loader *ld, struct build *b, const struct optdef *o, char *base,
	    const struct optval *v)
{
	if (cval_float(v->items[0], (double *)(base + o->off)) < 0)
		bad_value(ld, b, o, v->items[0]);
}

static void
apply_umask(struct loader *ld, struct build *b, const struct optdef *o, char *base,
	    const struct optval *v)
{
	if (cval_umask(v->items[0], (mode_t *)(base + o->off)) < 0)
		bad_value(ld, b, o, v->items[0]);
	else
		mark_set(o, base);
}

static void
apply_time(struct loader *ld, struct build *b, const struct optdef *o, char *base,
	   const struct optval *v)
{
	if (cval_time(v->items[0], (time_t *)(base + o->off)) < 0)
		bad_value(ld, b, o, v->items[0]);
}

/* The row's word s (any case) in *val; else false, with the words in
 * choices, comma-separated. */
static bool
find_word(const struct optdef *o, const char *s, int *val, char *choices, size_t len)
{
	size_t n = 0;

	choices[0] = '\0';
	for (const struct opt_word *w = o->words; w->word; w++) {
		if (!strcasecmp(s, w->word)) {
			*val = w->val;
			return true;
		}
		if (n < len)
			n += (size_t)snprintf(choices + n, len - n, "%s%s", n ? ", " : "", w->word);
	}
	return false;
}

static void
apply_keyword(struct loader *ld, struct build *b, const struct optdef *o, char *base,
	      const struct optval *v)
{
	char choices[64];
	int val;

	if (!find_word(o, v->items[0], &val, choices, sizeof(choices))) {
		config_err(ld, b, row_id(o), "%s: '%s' is not one of: %s", o->name, v->items[0],
			   choices);
		return;
	}
	store_int(base + o->off, o->size, val);
	mark_set(o, base);
}

static void
apply_facility(struct loader *ld, struct build *b, const struct optdef *o, char *base,
	       const struct optval *v)
{
	int f = cval_facility(v->items[0]);

	if (f < 0)
		config_err(ld, b, row_id(o), "%s: unknown syslog facility '%s'", o->name,
			   v->items[0]);
	else
		store_int(base + o->off, o->size, f);
}

static int
replace_string(char **f, const char *s)
{
	char *n = strdup(s);

	if (!n)
		return -1;
	free(*f);
	*f = n;
	return 0;
}

/* A string through the row's check. */
static void
set_string(struct loader *ld, struct build *b, const struct optdef *o, char **field,
	   const char *s)
{
	const char *why = o->check(s);

	if (why)
		config_err(ld, b, row_id(o), "%s: '%s' %s", o->name, s, why);
	else if (replace_string(field, s) < 0)
		out_of_memory(ld, b, o);
}

static void
apply_string(struct loader *ld, struct build *b, const struct optdef *o, char *base,
	     const struct optval *v)
{
	set_string(ld, b, o, (char **)(base + o->off), v->items[0]);
}

/* In a service, whom its handlers run as; in defaults, whom those of
 * services without one run as: daemon_settings.default_user, whose
 * origin is kept to report an unknown default user at each service. */
static void
apply_user(struct loader *ld, struct build *b, const struct optdef *o, char *base,
	   const struct optval *v)
{
	if (!b->is_defaults || o->check(v->items[0])) {
		apply_string(ld, b, o, base, v);
		return;
	}
	ld->default_user_at = b->at[O_USER];
	b->at[O_USER].file = NULL;
	set_string(ld, b, o, &ld->settings.default_user, v->items[0]);
}

static void
apply_control_socket(struct loader *ld, struct build *b, const struct optdef *o, char *base,
		     const struct optval *v)
{
	const char *s = v->items[0];

	if (*s && s[0] != '/')
		config_err(ld, b, row_id(o), "%s: '%s' is not an absolute path", o->name, s);
	else if (strlen(s) >= sizeof(((struct sockaddr_un *)0)->sun_path))
		config_err(ld, b, row_id(o), "%s: path is too long for a socket", o->name);
	else if (replace_string((char **)(base + o->off), s) < 0)
		out_of_memory(ld, b, o);
}

static void
apply_strlist(struct loader *ld, struct build *b, const struct optdef *o, char *base,
	      const struct optval *v)
{
	char ***f = (char ***)(base + o->off);

	if (!v->append) {
		config_strv_free(*f);
		*f = NULL;
	}
	for (size_t i = 0; i < v->n; i++) {
		const char *why = o->check ? o->check(v->items[i]) : NULL;

		if (why) {
			config_err(ld, b, row_id(o), "%s: '%s' %s", o->name, v->items[i], why);
			continue;
		}
		if (config_strv_push(f, v->items[i]) < 0) {
			out_of_memory(ld, b, o);
			return;
		}
	}
}

/* A name given again replaces what was inherited, but twice in one
 * assignment is a mistake. */
static void
apply_env(struct loader *ld, struct build *b, const struct optdef *o, char *base,
	  const struct optval *v)
{
	char ***f = (char ***)(base + o->off);
	size_t inherited;

	if (!v->append) {
		config_strv_free(*f);
		*f = NULL;
	}
	inherited = config_strv_len(*f);
	for (size_t i = 0; i < v->n; i++) {
		const char *s = v->items[i], *eq = strchr(s, '=');
		size_t k, len = eq ? (size_t)(eq - s) : 0;
		char **env = *f;

		if (!eq || !cval_env_name(s, len)) {
			bad_value(ld, b, o, s);
			continue;
		}
		for (k = 0; env && env[k]; k++)
			if (!strncmp(env[k], s, len + 1))
				break;
		if (env && env[k] && k >= inherited)
			config_err(ld, b, row_id(o), "%s: %.*s is set twice", o->name, (int)len, s);
		else if (env && env[k] ? replace_string(&env[k], s) < 0 : config_strv_push(f, s) < 0)
			out_of_memory(ld, b, o);
	}
}

/* Grows the array at field (its count at the row's aux) by one zeroed
 * element of size sz. */
static void *
push_elem(const struct optdef *o, char *base, size_t sz)
{
	void **arr = (void **)(base + o->off);
	size_t *n = (size_t *)(base + o->aux);
	char *p = realloc(*arr, (*n + 1) * sz);

	if (!p)
		return NULL;
	*arr = p;
	memset(p + *n * sz, 0, sz);
	return p + (*n)++ * sz;
}

static void
clear_array(const struct optdef *o, char *base)
{
	free(*(void **)(base + o->off));
	*(void **)(base + o->off) = NULL;
	*(size_t *)(base + o->aux) = 0;
}

static void
apply_bind(struct loader *ld, struct build *b, const struct optdef *o, char *base,
	   const struct optval *v)
{
	if (!v->append)
		clear_array(o, base);
	for (size_t i = 0; i < v->n; i++) {
		struct sockaddr_storage ss, *p;

		if (cval_bind_addr(v->items[i], &ss) < 0) {
			bad_value(ld, b, o, v->items[i]);
			continue;
		}
		if (!(p = push_elem(o, base, sizeof(ss)))) {
			out_of_memory(ld, b, o);
			return;
		}
		*p = ss;
	}
}

static void
apply_windows(struct loader *ld, struct build *b, const struct optdef *o, char *base,
	      const struct optval *v)
{
	if (!v->append)
		clear_array(o, base);
	for (size_t i = 0; i < v->n; i++) {
		struct time_window w, *p;

		if (cval_time_window(v->items[i], &w) < 0) {
			bad_value(ld, b, o, v->items[i]);
			continue;
		}
		if (!(p = push_elem(o, base, sizeof(w)))) {
			out_of_memory(ld, b, o);
			return;
		}
		*p = w;
	}
}

static void
apply_cps(struct loader *ld, struct build *b, const struct optdef *o, char *base,
	  const struct optval *v)
{
	long rate, wait;

	if (v->append || v->n != 2) {
		config_err(ld, b, row_id(o), "%s: needs exactly two numbers: cps = { RATE, SECONDS }",
			   o->name);
		return;
	}
	if (cval_int(v->items[0], 0, INT_MAX, &rate) < 0 ||
	    cval_int(v->items[1], o->min, o->max, &wait) < 0 || (rate > 0 && wait == 0)) {
		config_err(ld, b, row_id(o),
			   "%s: '%s, %s' is not a rate of 0 (off) or more connections and a wait of 1 to %ld seconds",
			   o->name, v->items[0], v->items[1], o->max);
		return;
	}
	store_int(base + o->off, o->size, rate);
	store_int(base + o->aux, sizeof(int), wait);
}

static int
push_rule(struct addr_list *l, const struct addr_rule *r)
{
	struct addr_rule *p = realloc(l->rules, (l->count + 1) * sizeof(*r));

	if (!p)
		return -1;
	l->rules = p;
	p[l->count++] = *r;
	return 0;
}

/* A host name becomes one rule per address, resolved now, once: the
 * daemon never does DNS in the accept path. */
static void
resolve_host(struct loader *ld, struct build *b, const struct optdef *o, const char *host,
	     struct addr_list *l)
{
	struct addrinfo hints = { .ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM };
	struct addrinfo *res, *ai;
	int rc = getaddrinfo(host, NULL, &hints, &res);

	if (rc != 0) {
		bool hard = !(ld->flags & CONFIG_NO_FS_CHECKS) && !b->s.disabled;

		config_report(ld, b, row_id(o), hard ? DIAG_ERROR : DIAG_WARNING,
			      "%s: cannot resolve '%s': %s", o->name, host, gai_strerror(rc));
		return;
	}
	for (ai = res; ai; ai = ai->ai_next) {
		struct addr_rule r = { .family = ai->ai_family };

		if (ai->ai_family == AF_INET) {
			memcpy(r.addr, &((struct sockaddr_in *)ai->ai_addr)->sin_addr, 4);
			r.prefix = 32;
		} else if (ai->ai_family == AF_INET6) {
			memcpy(r.addr, &((struct sockaddr_in6 *)ai->ai_addr)->sin6_addr, 16);
			r.prefix = 128;
		} else {
			continue;
		}
		if (push_rule(l, &r) < 0) {
			out_of_memory(ld, b, o);
			break;
		}
	}
	freeaddrinfo(res);
}

static void
apply_addrs(struct loader *ld, struct build *b, const struct optdef *o, char *base,
	    const struct optval *v)
{
	struct addr_list *l = (struct addr_list *)(base + o->off);

	if (!v->append) {
		free(l->rules);
		l->rules = NULL;
		l->count = 0;
	}
	mark_set(o, base);
	for (size_t i = 0; i < v->n; i++) {
		struct addr_rule r;
		bool host_bits;

		switch (cval_addr_rule(v->items[i], &r, &host_bits)) {
		case CVAL_ADDR_BAD:
			config_err(ld, b, row_id(o), "%s: '%s' is not an address, CIDR block or host name",
				   o->name, v->items[i]);
			break;
		case CVAL_ADDR_HOST:
			resolve_host(ld, b, o, v->items[i], l);
			break;
		case CVAL_ADDR_OK:
			if (host_bits)
				config_warn(ld, b, row_id(o), "%s: '%s' has bits set beyond /%d; they are ignored",
					    o->name, v->items[i], r.prefix);
			if (push_rule(l, &r) < 0)
				out_of_memory(ld, b, o);
			break;
		}
	}
}

static void
apply_logflags(struct loader *ld, struct build *b, const struct optdef *o, char *base,
	       const struct optval *v)
{
	unsigned *f = (unsigned *)(base + o->off);
	unsigned bits = v->append ? *f : 0;
	char choices[64];
	int bit;

	for (size_t i = 0; i < v->n; i++) {
		if (!find_word(o, v->items[i], &bit, choices, sizeof(choices))) {
			config_err(ld, b, row_id(o), "%s: '%s' is not one of %s", o->name,
				   v->items[i], choices);
			continue;
		}
		bits |= (unsigned)bit;
	}
	*f = bits;
}

static void
apply_rlimit(struct loader *ld, struct build *b, const struct optdef *o, char *base,
	     const struct optval *v)
{
	struct rlimit_opt *f = (struct rlimit_opt *)(base + o->off);
	rlim_t val;

	if (cval_rlimit(v->items[0], o->sized, &val) < 0 || val < (rlim_t)o->min) {
		config_err(ld, b, row_id(o), "%s: '%s' is not %s of at least %lu, or unlimited",
			   o->name, v->items[0], o->sized ? "a size (K, M, G suffixes)" : "a number",
			   (unsigned long)o->min);
		return;
	}
	f->set = true;
	f->value = val;
}

void
config_opt_apply(struct loader *ld, struct build *b, const struct optval *v)
{
	const struct optdef *o = &opts[v->id];

	o->apply(ld, b, o, o->daemon ? (char *)&ld->settings : (char *)b, v);
}
