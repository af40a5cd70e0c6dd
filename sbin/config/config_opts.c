/* config_opts: the options of the service and defaults sections: their
 * names, their built-in defaults, and the conversion of each written value
 * into struct service. Values that need the host (users, files) are checked
 * later, in config_finish.c, once everything is known. */
#include "autoconf.h"

#include <limits.h>
#include <netdb.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/un.h>

#include "config/config_int.h"
#include "config/config.h"

typedef void apply_fn(struct loader *ld, struct build *b, const struct optval *v);

static apply_fn apply_bool, apply_int, apply_limit, apply_keyword, apply_string,
	apply_path, apply_bind, apply_strlist, apply_env, apply_cps, apply_max_load,
	apply_addrs, apply_logflags, apply_umask, apply_rlimit, apply_expires,
	apply_access_times, apply_facility, apply_control_socket;

static const struct optdef {
	const char *name;
	bool list;
	unsigned scope;
	apply_fn *apply;
} opts[O_COUNT] = {
	[O_DISABLE] = { "disable", false, IN_BOTH, apply_bool },
	[O_TYPE] = { "type", false, IN_BOTH, apply_keyword },
	[O_SOCKET_TYPE] = { "socket_type", false, IN_BOTH, apply_keyword },
	[O_PROTOCOL] = { "protocol", false, IN_BOTH, apply_keyword },
	[O_WAIT] = { "wait", false, IN_BOTH, apply_bool },
	[O_PORT] = { "port", false, IN_SERVICE, apply_int },
	[O_BIND] = { "bind", true, IN_BOTH, apply_bind },
	[O_USER] = { "user", false, IN_BOTH, apply_string },
	[O_GROUP] = { "group", false, IN_BOTH, apply_string },
	[O_SERVER] = { "server", false, IN_BOTH, apply_path },
	[O_SERVER_ARGS] = { "server_args", true, IN_BOTH, apply_strlist },
	[O_ENV] = { "env", true, IN_BOTH, apply_env },
	[O_PASSENV] = { "passenv", true, IN_BOTH, apply_strlist },
	[O_INSTANCES] = { "instances", false, IN_BOTH, apply_limit },
	[O_PER_SOURCE] = { "per_source", false, IN_BOTH, apply_limit },
	[O_CPS] = { "cps", true, IN_BOTH, apply_cps },
	[O_MAX_LOAD] = { "max_load", false, IN_BOTH, apply_max_load },
	[O_ONLY_FROM] = { "only_from", true, IN_BOTH, apply_addrs },
	[O_NO_ACCESS] = { "no_access", true, IN_BOTH, apply_addrs },
	[O_LOG_ON_SUCCESS] = { "log_on_success", true, IN_BOTH, apply_logflags },
	[O_LOG_ON_FAILURE] = { "log_on_failure", true, IN_BOTH, apply_logflags },
	[O_NICE] = { "nice", false, IN_BOTH, apply_int },
	[O_UMASK] = { "umask", false, IN_BOTH, apply_umask },
	[O_RLIMIT_AS] = { "rlimit_as", false, IN_BOTH, apply_rlimit },
	[O_RLIMIT_CPU] = { "rlimit_cpu", false, IN_BOTH, apply_rlimit },
	[O_RLIMIT_DATA] = { "rlimit_data", false, IN_BOTH, apply_rlimit },
	[O_RLIMIT_FILES] = { "rlimit_files", false, IN_BOTH, apply_rlimit },
	[O_RLIMIT_NPROC] = { "rlimit_nproc", false, IN_BOTH, apply_rlimit },
	[O_RLIMIT_STACK] = { "rlimit_stack", false, IN_BOTH, apply_rlimit },
	[O_RLIMIT_CORE] = { "rlimit_core", false, IN_BOTH, apply_rlimit },
	[O_CHROOT] = { "chroot", false, IN_BOTH, apply_path },
	[O_BANNER] = { "banner", false, IN_BOTH, apply_path },
	[O_BANNER_SUCCESS] = { "banner_success", false, IN_BOTH, apply_path },
	[O_BANNER_FAIL] = { "banner_fail", false, IN_BOTH, apply_path },
	[O_EXPIRES] = { "expires", false, IN_BOTH, apply_expires },
	[O_ACCESS_TIMES] = { "access_times", true, IN_BOTH, apply_access_times },
	[O_LISTEN_BACKLOG] = { "listen_backlog", false, IN_BOTH, apply_int },
	[O_KEEPALIVE] = { "keepalive", false, IN_BOTH, apply_bool },
	[O_NODELAY] = { "nodelay", false, IN_BOTH, apply_bool },
	[O_ACTIVATION] = { "activation", false, IN_BOTH, apply_keyword },
	[O_NAME] = { "name", false, IN_SERVICE, apply_string },
	[O_TCPMUX] = { "tcpmux", false, IN_BOTH, apply_bool },
	[O_IDLE_TIMEOUT] = { "idle_timeout", false, IN_BOTH, apply_int },
	[O_GROUPS] = { "groups", true, IN_BOTH, apply_strlist },
	[O_NO_NEW_PRIVILEGES] = { "no_new_privileges", false, IN_BOTH, apply_bool },
	[O_LOG] = { "log", false, IN_DEFAULTS, apply_keyword },
	[O_LOG_FACILITY] = { "log_facility", false, IN_DEFAULTS, apply_facility },
	[O_MAX_CHILDREN] = { "max_children", false, IN_DEFAULTS, apply_limit },
	[O_CONTROL_SOCKET] = { "control_socket", false, IN_DEFAULTS, apply_control_socket },
	[O_LOOP_LIMIT] = { "loop_limit", false, IN_DEFAULTS, apply_int },
	[O_LOOP_DISABLE] = { "loop_disable", false, IN_DEFAULTS, apply_int },
};

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

/* Every option's field, looked up by id so that one handler serves many. */
static bool *
bool_field(struct build *b, enum opt_id id)
{
	switch (id) {
	case O_DISABLE: return &b->s.disabled;
	case O_WAIT: return &b->s.wait;
	case O_KEEPALIVE: return &b->s.keepalive;
	case O_NODELAY: return &b->s.nodelay;
	case O_TCPMUX: return &b->s.tcpmux;
	default: return &b->s.no_new_privileges;
	}
}

static char **
string_field(struct build *b, enum opt_id id)
{
	switch (id) {
	case O_USER: return &b->s.user;
	case O_GROUP: return &b->s.group;
	case O_NAME: return &b->s.name;
	case O_SERVER: return &b->s.server;
	case O_CHROOT: return &b->s.chroot;
	case O_BANNER: return &b->s.banner;
	case O_BANNER_SUCCESS: return &b->s.banner_success;
	default: return &b->s.banner_fail;
	}
}

static char ***
strlist_field(struct build *b, enum opt_id id)
{
	switch (id) {
	case O_SERVER_ARGS: return &b->server_args;
	case O_PASSENV: return &b->s.passenv;
	case O_ENV: return &b->s.env;
	default: return &b->s.groups;
	}
}

static void
apply_bool(struct loader *ld, struct build *b, const struct optval *v)
{
	if (cval_bool(v->items[0], bool_field(b, v->id)) < 0)
		config_err(ld, b, v->id, "%s: '%s' is not a boolean (yes or no)",
			   v->name, v->items[0]);
}

static void
apply_int(struct loader *ld, struct build *b, const struct optval *v)
{
	static const struct { enum opt_id id; long min, max; } ranges[] = {
		{ O_PORT, 1, 65535 }, { O_NICE, -20, 19 }, { O_LISTEN_BACKLOG, 0, 65535 },
		{ O_IDLE_TIMEOUT, 1, 86400 * 365 }, { O_LOOP_LIMIT, 1, INT_MAX },
		{ O_LOOP_DISABLE, 1, INT_MAX },
	};
	long min = 0, max = 0, val;
	size_t i;

	for (i = 0; i < sizeof(ranges) / sizeof(ranges[0]); i++)
		if (ranges[i].id == v->id)
			break;
	min = ranges[i].min;
	max = ranges[i].max;
	if (cval_int(v->items[0], min, max, &val) < 0) {
		config_err(ld, b, v->id, "%s: '%s' is not a number from %ld to %ld",
			   v->name, v->items[0], min, max);
		return;
	}
	switch (v->id) {
	case O_PORT: b->s.port = (unsigned)val; break;
	case O_NICE: b->s.nice = (int)val; b->s.nice_set = true; break;
	case O_LISTEN_BACKLOG: b->s.listen_backlog = (int)val; break;
	case O_IDLE_TIMEOUT: b->s.idle_timeout = (int)val; break;
	case O_LOOP_LIMIT: ld->settings.loop_limit = (int)val; break;
	default: ld->settings.loop_disable = (int)val; break;
	}
}

static void
apply_limit(struct loader *ld, struct build *b, const struct optval *v)
{
	int *f = v->id == O_INSTANCES ? &b->s.instances :
		 v->id == O_PER_SOURCE ? &b->s.per_source : &ld->settings.max_children;

	if (cval_limit(v->items[0], f) < 0)
		config_err(ld, b, v->id, "%s: '%s' is neither a number of at least 1 nor UNLIMITED",
			   v->name, v->items[0]);
}

static void
apply_keyword(struct loader *ld, struct build *b, const struct optval *v)
{
	static const struct { enum opt_id id; const char *word; int val; } words[] = {
		{ O_TYPE, "internal", 1 },
		{ O_SOCKET_TYPE, "stream", SOCK_STREAM }, { O_SOCKET_TYPE, "dgram", SOCK_DGRAM },
		{ O_PROTOCOL, "tcp", IPPROTO_TCP }, { O_PROTOCOL, "udp", IPPROTO_UDP },
		{ O_ACTIVATION, "inetd", ACTIVATION_INETD },
		{ O_ACTIVATION, "systemd", ACTIVATION_SYSTEMD },
		{ O_LOG, "syslog", LOG_TO_SYSLOG }, { O_LOG, "stderr", LOG_TO_STDERR },
		{ O_LOG, "journal", LOG_TO_JOURNAL },
	};
	char choices[64] = "";

	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
		if (words[i].id != v->id)
			continue;
		if (strcasecmp(v->items[0], words[i].word)) {
			size_t n = strlen(choices);

			snprintf(choices + n, sizeof(choices) - n, "%s%s", n ? ", " : "",
				 words[i].word);
			continue;
		}
		switch (v->id) {
		case O_TYPE: b->s.internal = true; break;
		case O_SOCKET_TYPE: b->s.socktype = words[i].val; break;
		case O_PROTOCOL: b->s.protocol = words[i].val; break;
		case O_ACTIVATION: b->s.activation = words[i].val; break;
		default:
			ld->settings.log = words[i].val;
			ld->settings.log_set = true;
			break;
		}
		return;
	}
	config_err(ld, b, v->id, "%s: '%s' is not one of: %s", v->name, v->items[0], choices);
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

static void
apply_string(struct loader *ld, struct build *b, const struct optval *v)
{
	const char *s = v->items[0];

	/* Registry names may hold a slash ("cl/1"); user and group names not. */
	if (!*s || strpbrk(s, v->id == O_NAME ? " \t\n" : " \t\n/")) {
		config_err(ld, b, v->id, "%s: '%s' is not a valid name", v->name, s);
		return;
	}
	if (v->id == O_USER && b->is_defaults) {
		/* In defaults, `user` is whom services without one run as. */
		ld->default_user_at = b->at[O_USER];
		b->at[O_USER].file = NULL;
		if (replace_string(&ld->settings.default_user, s) < 0)
			config_err(ld, b, v->id, "out of memory");
		return;
	}
	if (replace_string(string_field(b, v->id), s) < 0)
		config_err(ld, b, v->id, "out of memory");
}

static void
apply_path(struct loader *ld, struct build *b, const struct optval *v)
{
	if (v->items[0][0] != '/') {
		config_err(ld, b, v->id, "%s: '%s' is not an absolute path", v->name, v->items[0]);
		return;
	}
	if (replace_string(string_field(b, v->id), v->items[0]) < 0)
		config_err(ld, b, v->id, "out of memory");
}

static void
apply_control_socket(struct loader *ld, struct build *b, const struct optval *v)
{
	const char *s = v->items[0];

	if (*s && s[0] != '/')
		config_err(ld, b, v->id, "%s: '%s' is not an absolute path", v->name, s);
	else if (strlen(s) >= sizeof(((struct sockaddr_un *)0)->sun_path))
		config_err(ld, b, v->id, "%s: path is too long for a socket", v->name);
	else if (replace_string(&ld->settings.control_socket, s) < 0)
		config_err(ld, b, v->id, "out of memory");
}

static void
apply_facility(struct loader *ld, struct build *b, const struct optval *v)
{
	int f = cval_facility(v->items[0]);

	if (f < 0)
		config_err(ld, b, v->id, "%s: unknown syslog facility '%s'", v->name, v->items[0]);
	else
		ld->settings.log_facility = f;
}

/* Grows *arr (of *n elements of size sz) by one zeroed element. */
static void *
push_elem(void *arr, size_t *n, size_t sz)
{
	char *p = realloc(*(void **)arr, (*n + 1) * sz);

	if (!p)
		return NULL;
	*(void **)arr = p;
	memset(p + *n * sz, 0, sz);
	return p + (*n)++ * sz;
}

static void
apply_bind(struct loader *ld, struct build *b, const struct optval *v)
{
	if (!v->append) {
		free(b->s.bind);
		b->s.bind = NULL;
		b->s.nbind = 0;
	}
	for (size_t i = 0; i < v->n; i++) {
		struct sockaddr_storage ss;
		struct sockaddr_storage *p;

		if (cval_bind_addr(v->items[i], &ss) < 0) {
			config_err(ld, b, v->id, "bind: '%s' is not an IPv4 or IPv6 address",
				   v->items[i]);
			continue;
		}
		p = push_elem(&b->s.bind, &b->s.nbind, sizeof(*p));
		if (!p) {
			config_err(ld, b, v->id, "out of memory");
			return;
		}
		*p = ss;
	}
}

static void
apply_strlist(struct loader *ld, struct build *b, const struct optval *v)
{
	char ***f = strlist_field(b, v->id);

	if (!v->append) {
		config_strv_free(*f);
		*f = NULL;
	}
	for (size_t i = 0; i < v->n; i++) {
		const char *s = v->items[i];

		if (v->id == O_PASSENV && !cval_env_name(s, strlen(s))) {
			config_err(ld, b, v->id, "passenv: '%s' is not a variable name", s);
			continue;
		}
		if (v->id == O_GROUPS && (!*s || strpbrk(s, " \t\n/"))) {
			config_err(ld, b, v->id, "groups: '%s' is not a valid name", s);
			continue;
		}
		if (config_strv_push(f, s) < 0) {
			config_err(ld, b, v->id, "out of memory");
			return;
		}
	}
}

/* env: NAME=value. A name given again replaces what was inherited, but
 * twice in one assignment is a mistake. */
static void
apply_env(struct loader *ld, struct build *b, const struct optval *v)
{
	size_t inherited;

	if (!v->append) {
		config_strv_free(b->s.env);
		b->s.env = NULL;
	}
	inherited = config_strv_len(b->s.env);
	for (size_t i = 0; i < v->n; i++) {
		const char *s = v->items[i], *eq = strchr(s, '=');
		size_t k, len = eq ? (size_t)(eq - s) : 0;

		if (!eq || !cval_env_name(s, len)) {
			config_err(ld, b, v->id, "env: '%s' is not NAME=value", s);
			continue;
		}
		for (k = 0; b->s.env && b->s.env[k]; k++)
			if (!strncmp(b->s.env[k], s, len + 1))
				break;
		if (b->s.env && b->s.env[k] && k >= inherited) {
			config_err(ld, b, v->id, "env: %.*s is set twice", (int)len, s);
		} else if (b->s.env && b->s.env[k]) {
			if (replace_string(&b->s.env[k], s) < 0)
				config_err(ld, b, v->id, "out of memory");
		} else if (config_strv_push(&b->s.env, s) < 0) {
			config_err(ld, b, v->id, "out of memory");
		}
	}
}

static void
apply_cps(struct loader *ld, struct build *b, const struct optval *v)
{
	long rate, wait;

	if (v->append || v->n != 2) {
		config_err(ld, b, v->id, "cps: needs exactly two numbers: cps = { RATE, SECONDS }");
		return;
	}
	if (cval_int(v->items[0], 0, INT_MAX, &rate) < 0 ||
	    cval_int(v->items[1], 0, 86400, &wait) < 0 || (rate > 0 && wait == 0)) {
		config_err(ld, b, v->id,
			   "cps: '%s, %s' is not a rate of 0 (off) or more connections and a wait of 1 to 86400 seconds",
			   v->items[0], v->items[1]);
		return;
	}
	b->s.cps_rate = (int)rate;
	b->s.cps_wait = (int)wait;
}

static void
apply_max_load(struct loader *ld, struct build *b, const struct optval *v)
{
	if (cval_float(v->items[0], &b->s.max_load) < 0)
		config_err(ld, b, v->id, "max_load: '%s' is not a number of 0 or more",
			   v->items[0]);
}

static int
push_rule(struct addr_list *l, const struct addr_rule *r)
{
	struct addr_rule *p = push_elem(&l->rules, &l->count, sizeof(*r));

	if (!p)
		return -1;
	*p = *r;
	return 0;
}

/* A host name becomes one rule per address, resolved now, once: the
 * daemon never does DNS in the accept path. */
static void
resolve_host(struct loader *ld, struct build *b, const struct optval *v,
	     const char *host, struct addr_list *l)
{
	struct addrinfo hints = { .ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM };
	struct addrinfo *res, *ai;
	int rc = getaddrinfo(host, NULL, &hints, &res);

	if (rc != 0) {
		bool hard = !(ld->flags & CONFIG_NO_FS_CHECKS) && !b->s.disabled;

		config_report(ld, b, v->id, hard ? DIAG_ERROR : DIAG_WARNING,
			      "%s: cannot resolve '%s': %s", v->name, host, gai_strerror(rc));
		return;
	}
	for (ai = res; ai; ai = ai->ai_next) {
		struct sockaddr_storage ss = { 0 };
		struct addr_rule r = { .family = ai->ai_family };

		memcpy(&ss, ai->ai_addr, ai->ai_addrlen);
		if (ai->ai_family == AF_INET) {
			memcpy(r.addr, &((struct sockaddr_in *)&ss)->sin_addr, 4);
			r.prefix = 32;
		} else if (ai->ai_family == AF_INET6) {
			memcpy(r.addr, &((struct sockaddr_in6 *)&ss)->sin6_addr, 16);
			r.prefix = 128;
		} else {
			continue;
		}
		if (push_rule(l, &r) < 0) {
			config_err(ld, b, v->id, "out of memory");
			break;
		}
	}
	freeaddrinfo(res);
}

static void
apply_addrs(struct loader *ld, struct build *b, const struct optval *v)
{
	struct addr_list *l = v->id == O_ONLY_FROM ? &b->s.only_from : &b->s.no_access;

	if (!v->append) {
		free(l->rules);
		l->rules = NULL;
		l->count = 0;
	}
	if (v->id == O_ONLY_FROM)
		b->s.only_from_set = true;
	for (size_t i = 0; i < v->n; i++) {
		struct addr_rule r;
		bool host_bits;

		switch (cval_addr_rule(v->items[i], &r, &host_bits)) {
		case CVAL_ADDR_BAD:
			config_err(ld, b, v->id, "%s: '%s' is not an address, CIDR block or host name",
				   v->name, v->items[i]);
			break;
		case CVAL_ADDR_HOST:
			resolve_host(ld, b, v, v->items[i], l);
			break;
		case CVAL_ADDR_OK:
			if (host_bits)
				config_warn(ld, b, v->id, "%s: '%s' has bits set beyond /%d; they are ignored",
					    v->name, v->items[i], r.prefix);
			if (push_rule(l, &r) < 0)
				config_err(ld, b, v->id, "out of memory");
			break;
		}
	}
}

static void
apply_logflags(struct loader *ld, struct build *b, const struct optval *v)
{
	/* As in xinetd: a failed attempt has no process, a success no attempt. */
	bool success = v->id == O_LOG_ON_SUCCESS;
	unsigned allowed = success ? LOGF_PID | LOGF_HOST | LOGF_USERID | LOGF_EXIT | LOGF_DURATION
				   : LOGF_HOST | LOGF_USERID | LOGF_ATTEMPT;
	unsigned *f = success ? &b->s.log_on_success : &b->s.log_on_failure;
	unsigned bits = v->append ? *f : 0;

	for (size_t i = 0; i < v->n; i++) {
		unsigned bit = cval_logflag(v->items[i]);

		if (!(bit & allowed)) {
			config_err(ld, b, v->id, "%s: '%s' is not one of %s", v->name, v->items[i],
				   success ? "PID, HOST, USERID, EXIT, DURATION"
					   : "HOST, USERID, ATTEMPT");
			continue;
		}
		bits |= bit;
	}
	*f = bits;
}

static void
apply_umask(struct loader *ld, struct build *b, const struct optval *v)
{
	if (cval_umask(v->items[0], &b->s.umask) < 0)
		config_err(ld, b, v->id, "umask: '%s' is not an octal mode from 000 to 777",
			   v->items[0]);
	else
		b->s.umask_set = true;
}

static void
apply_rlimit(struct loader *ld, struct build *b, const struct optval *v)
{
	int r = (int)(v->id - O_RLIMIT_AS);
	bool sized = r == RLIM_AS || r == RLIM_DATA || r == RLIM_STACK || r == RLIM_CORE;
	/* Without 3 descriptors the handler has no stdin, stdout, stderr;
	 * with 0 of the others it cannot even exec. A core limit of 0 is how
	 * one says "no core files". */
	rlim_t min = r == RLIM_FILES ? 3 : r == RLIM_CORE ? 0 : 1;
	rlim_t val;

	if (cval_rlimit(v->items[0], sized, &val) < 0 || val < min) {
		config_err(ld, b, v->id, "%s: '%s' is not %s of at least %lu, or unlimited",
			   v->name, v->items[0], sized ? "a size (K, M, G suffixes)" : "a number",
			   (unsigned long)min);
		return;
	}
	b->s.rlimit[r].set = true;
	b->s.rlimit[r].value = val;
}

static void
apply_expires(struct loader *ld, struct build *b, const struct optval *v)
{
	if (cval_time(v->items[0], &b->s.expires) < 0)
		config_err(ld, b, v->id,
			   "expires: '%s' is not an ISO 8601 time (2026-12-01T18:00:00Z, +02:00, or local)",
			   v->items[0]);
}

static void
apply_access_times(struct loader *ld, struct build *b, const struct optval *v)
{
	if (!v->append) {
		free(b->s.access_times);
		b->s.access_times = NULL;
		b->s.naccess_times = 0;
	}
	for (size_t i = 0; i < v->n; i++) {
		struct time_window w, *p;

		if (cval_time_window(v->items[i], &w) < 0) {
			config_err(ld, b, v->id, "access_times: '%s' is not HH:MM-HH:MM", v->items[i]);
			continue;
		}
		p = push_elem(&b->s.access_times, &b->s.naccess_times, sizeof(w));
		if (!p) {
			config_err(ld, b, v->id, "out of memory");
			return;
		}
		*p = w;
	}
}

void
config_opt_apply(struct loader *ld, struct build *b, const struct optval *v)
{
	opts[v->id].apply(ld, b, v);
}
