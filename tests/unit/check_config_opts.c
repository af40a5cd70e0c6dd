/* SPDX-License-Identifier: ISC */
/* Unit tests for the option table (sbin/config/config_opts.c): every
 * enum opt_id has exactly one row, and setting an option, through a conf.d
 * buffer and the real loader, changes its own field and no other: the
 * loaded service (or daemon settings) is compared, field by field, with
 * one loaded without the option. Each section that allows an option is
 * tried; the other refuses it. */
#include "autoconf.h"

#include <check.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "config/config_int.h"
#include "config/config.h"
#include "check_run.h"

/* How two values of a field compare. */
enum cmp { SCALAR, STR, STRV, ARRAY, RLIMIT };

struct field {
	const char *name;
	bool daemon;		/* in struct daemon_settings, else struct service */
	size_t off, size;
	enum cmp cmp;
	size_t count_off;	/* ARRAY: its size_t count */
	size_t elem;		/* ARRAY: the size of one element */
};

#define SF(f, c) { #f, false, offsetof(struct service, f), \
		   sizeof(((struct service *)0)->f), c, 0, 0 }
#define SA(f, n, e) { #f, false, offsetof(struct service, f), sizeof(void *), ARRAY, \
		      offsetof(struct service, n), e }
#define RL(name, r) { name, false, offsetof(struct service, rlimit[r]), \
		      sizeof(struct rlimit_opt), RLIMIT, 0, 0 }
#define DF(f, c) { #f, true, offsetof(struct daemon_settings, f), \
		   sizeof(((struct daemon_settings *)0)->f), c, 0, 0 }

/* Every field of struct service and struct daemon_settings. */
static const struct field fields[] = {
	SF(id, STR), SF(name, STR), SF(file, STR), SF(line, SCALAR),
	SF(disabled, SCALAR), SF(internal, SCALAR), SF(socktype, SCALAR),
	SF(protocol, SCALAR), SF(wait, SCALAR), SF(port, SCALAR), SF(tcpmux, SCALAR),
	SA(bind, nbind, sizeof(struct sockaddr_storage)),
	SF(user, STR), SF(group, STR), SF(user_name, STR), SF(uid, SCALAR), SF(gid, SCALAR),
	SF(groups, STRV), SA(gids, ngids, sizeof(gid_t)), SF(no_new_privileges, SCALAR),
	SF(server, STR), SF(argv, STRV), SF(env, STRV), SF(passenv, STRV),
	SF(instances, SCALAR), SF(per_source, SCALAR), SF(cps_rate, SCALAR),
	SF(cps_wait, SCALAR), SF(max_load, SCALAR),
	SA(only_from.rules, only_from.count, sizeof(struct addr_rule)),
	SF(only_from_set, SCALAR),
	SA(no_access.rules, no_access.count, sizeof(struct addr_rule)),
	SA(access_times, naccess_times, sizeof(struct time_window)),
	SF(log_on_success, SCALAR), SF(log_on_failure, SCALAR),
	SF(nice, SCALAR), SF(nice_set, SCALAR), SF(umask, SCALAR), SF(umask_set, SCALAR),
	RL("rlimit_as", RLIM_AS), RL("rlimit_cpu", RLIM_CPU), RL("rlimit_data", RLIM_DATA),
	RL("rlimit_files", RLIM_FILES), RL("rlimit_nproc", RLIM_NPROC),
	RL("rlimit_stack", RLIM_STACK), RL("rlimit_core", RLIM_CORE),
	SF(chroot, STR), SF(banner, STR), SF(banner_success, STR), SF(banner_fail, STR),
	SF(expires, SCALAR), SF(listen_backlog, SCALAR), SF(keepalive, SCALAR),
	SF(nodelay, SCALAR), SF(activation, SCALAR), SF(idle_timeout, SCALAR),
	SF(local, SCALAR), SF(socket_mode, SCALAR), SF(socket_user, STR), SF(socket_group, STR),
	SF(socket_uid, SCALAR), SF(socket_gid, SCALAR), SF(allow_users, STRV),
	SF(allow_groups, STRV), SA(allow_uids, nallow_uids, sizeof(uid_t)),
	SA(allow_gids, nallow_gids, sizeof(gid_t)),
	DF(default_user, STR), DF(log, SCALAR), DF(log_set, SCALAR), DF(log_facility, SCALAR),
	DF(max_children, SCALAR), DF(control_socket, STR), DF(loop_limit, SCALAR),
	DF(loop_disable, SCALAR), DF(inetd_compat, SCALAR), DF(inetd_conf, STR),
	SF(rate_milli, SCALAR), SF(rate_burst, SCALAR), SF(source_rate_milli, SCALAR),
	SF(source_burst, SCALAR), SF(on_limit, SCALAR), SF(freebind, SCALAR),
	SF(interface, STR), SF(bind_each_address, SCALAR),
};
#define NFIELDS (sizeof(fields) / sizeof(fields[0]))

/* The service every case starts from, and what may go from it. */
enum base { FULL, NO_PORT, NO_SERVER };

static const char *const base_text[] = {
	[FULL] = "port = 7000\nserver = /bin/cat\n",
	[NO_PORT] = "server = /bin/cat\n",
	[NO_SERVER] = "port = 7000\n",
};

/* One option set to a value other than its default: the fields that must
 * change, and those that may change with them (derived, or what depends
 * on who runs the test), space-separated. */
struct optcase {
	const char *name;
	const char *text;
	const char *must;
	const char *may;
	enum base base;
	const char *must_in_defaults;	/* when not must */
};

static const struct optcase cases[] = {
	{ "disable", "disable = yes", "disabled", "", FULL, NULL },
	/* The internal service has neither server nor handler credentials. */
	{ "type", "type = internal", "internal", "server argv user_name uid gid gids",
	  NO_SERVER, NULL },
	{ "socket_type", "socket_type = dgram", "socktype", "protocol wait", FULL, NULL },
	{ "protocol", "protocol = udp", "protocol", "socktype wait", FULL, NULL },
	{ "wait", "wait = yes", "wait", "", FULL, NULL },
	{ "port", "port = 7001", "port", "", NO_PORT, NULL },
	{ "bind", "bind = { 127.0.0.1 }", "bind", "", FULL, NULL },
	{ "user", "user = daemon", "user", "user_name uid gid gids", FULL, "default_user" },
	{ "group", "group = daemon", "group", "gid gids", FULL, NULL },
	{ "server", "server = /bin/true", "server argv", "", NO_SERVER, NULL },
	{ "server_args", "server_args = { \"-u\" }", "argv", "", FULL, NULL },
	{ "env", "env = { \"A=1\" }", "env", "", FULL, NULL },
	{ "passenv", "passenv = { PATH }", "passenv", "", FULL, NULL },
	{ "instances", "instances = 7", "instances", "", FULL, NULL },
	{ "per_source", "per_source = 3", "per_source", "", FULL, NULL },
	{ "cps", "cps = { 5, 2 }", "cps_rate cps_wait", "", FULL, NULL },
	{ "max_load", "max_load = 2.5", "max_load", "", FULL, NULL },
	{ "only_from", "only_from = { 10.0.0.0/8 }", "only_from.rules only_from_set", "", FULL, NULL },
	{ "no_access", "no_access = { 10.0.0.1 }", "no_access.rules", "", FULL, NULL },
	{ "log_on_success", "log_on_success = { PID }", "log_on_success", "", FULL, NULL },
	{ "log_on_failure", "log_on_failure = { ATTEMPT }", "log_on_failure", "", FULL, NULL },
	{ "nice", "nice = 5", "nice nice_set", "", FULL, NULL },
	{ "umask", "umask = 022", "umask umask_set", "", FULL, NULL },
	{ "rlimit_as", "rlimit_as = 1M", "rlimit_as", "", FULL, NULL },
	{ "rlimit_cpu", "rlimit_cpu = 10", "rlimit_cpu", "", FULL, NULL },
	{ "rlimit_data", "rlimit_data = 1M", "rlimit_data", "", FULL, NULL },
	{ "rlimit_files", "rlimit_files = 64", "rlimit_files", "", FULL, NULL },
	{ "rlimit_nproc", "rlimit_nproc = 5", "rlimit_nproc", "", FULL, NULL },
	{ "rlimit_stack", "rlimit_stack = 1M", "rlimit_stack", "", FULL, NULL },
	{ "rlimit_core", "rlimit_core = 0", "rlimit_core", "", FULL, NULL },
	{ "chroot", "chroot = /srv", "chroot", "", FULL, NULL },
	{ "banner", "banner = /etc/b", "banner", "", FULL, NULL },
	{ "banner_success", "banner_success = /etc/b", "banner_success", "", FULL, NULL },
	{ "banner_fail", "banner_fail = /etc/b", "banner_fail", "", FULL, NULL },
	{ "expires", "expires = 2030-01-01T00:00Z", "expires", "", FULL, NULL },
	{ "access_times", "access_times = { \"08:00-17:00\" }", "access_times", "", FULL, NULL },
	{ "listen_backlog", "listen_backlog = 5", "listen_backlog", "", FULL, NULL },
	{ "keepalive", "keepalive = yes", "keepalive", "", FULL, NULL },
	{ "nodelay", "nodelay = yes", "nodelay", "", FULL, NULL },
	{ "activation", "activation = systemd", "activation", "", FULL, NULL },
	{ "name", "name = other", "name", "", FULL, NULL },
	/* A tcpmux service has no port of its own. */
	{ "tcpmux", "tcpmux = yes", "tcpmux", "port", NO_PORT, NULL },
	{ "idle_timeout", "idle_timeout = 60", "idle_timeout", "", FULL, NULL },
	{ "groups", "groups = { daemon }", "groups", "gids", FULL, NULL },
	{ "no_new_privileges", "no_new_privileges = yes", "no_new_privileges", "", FULL, NULL },
	{ "log", "log = stderr", "log log_set", "", FULL, NULL },
	{ "log_facility", "log_facility = local3", "log_facility", "", FULL, NULL },
	{ "max_children", "max_children = 5", "max_children", "", FULL, NULL },
	{ "control_socket", "control_socket = \"/run/x\"", "control_socket", "", FULL, NULL },
	{ "loop_limit", "loop_limit = 3", "loop_limit", "", FULL, NULL },
	{ "loop_disable", "loop_disable = 9", "loop_disable", "", FULL, NULL },
	{ "inetd_compat", "inetd_compat = yes", "inetd_compat", "", FULL, NULL },
	{ "inetd_conf", "inetd_conf = \"/srv/inetd.conf\"", "inetd_conf", "", FULL, NULL },
	/* On this TCP service they are stored (and warned about), not resolved;
	 * check_config.c loads unix services. */
	{ "socket_mode", "socket_mode = 0600", "socket_mode", "", FULL, NULL },
	{ "socket_user", "socket_user = daemon", "socket_user", "", FULL, NULL },
	{ "socket_group", "socket_group = daemon", "socket_group", "", FULL, NULL },
	{ "allow_users", "allow_users = { daemon, 0 }", "allow_users", "", FULL, NULL },
	{ "allow_groups", "allow_groups = { daemon }", "allow_groups", "", FULL, NULL },
	{ "rate", "rate = { 2.5, 4 }", "rate_milli rate_burst", "", FULL, NULL },
	{ "per_source_rate", "per_source_rate = { 1, 3 }", "source_rate_milli source_burst", "",
	  FULL, NULL },
	{ "on_limit", "on_limit = refuse", "on_limit", "", FULL, NULL },
	{ "freebind", "freebind = yes", "freebind", "", FULL, NULL },
	{ "interface", "interface = eth0", "interface", "", FULL, NULL },
	/* UDP services only: this one is made one. */
	{ "bind_each_address", "protocol = udp\nbind_each_address = yes", "bind_each_address",
	  "protocol socktype wait", FULL, NULL },
};
#define NCASES (sizeof(cases) / sizeof(cases[0]))

static bool
same_strv(char *const *a, char *const *b)
{
	size_t i;

	for (i = 0; a && b && a[i] && b[i]; i++)
		if (strcmp(a[i], b[i]))
			return false;
	return (!a || !a[i]) == (!b || !b[i]);
}

static bool
same(const struct field *f, const char *a, const char *b)
{
	const struct rlimit_opt *ra = (const void *)(a + f->off), *rb = (const void *)(b + f->off);
	const char *sa, *sb;
	size_t na, nb;

	if (f->cmp == SCALAR)
		return !memcmp(a + f->off, b + f->off, f->size);
	if (f->cmp == RLIMIT)
		return ra->set == rb->set && (!ra->set || ra->value == rb->value);
	sa = *(char *const *)(a + f->off);
	sb = *(char *const *)(b + f->off);
	switch (f->cmp) {
	case STR:
		return (!sa && !sb) || (sa && sb && !strcmp(sa, sb));
	case STRV:
		return same_strv(*(char **const *)(a + f->off), *(char **const *)(b + f->off));
	case ARRAY:
		na = *(const size_t *)(a + f->count_off);
		nb = *(const size_t *)(b + f->count_off);
		return na == nb && (!na || !memcmp(sa, sb, na * f->elem));
	default:
		return false;
	}
}

/* name is one of the space-separated words of list. */
static bool
listed(const char *list, const char *name)
{
	size_t n = strlen(name);

	for (const char *p = list; (p = strstr(p, name)); p += n)
		if ((p == list || p[-1] == ' ') && (p[n] == ' ' || p[n] == '\0'))
			return true;
	return false;
}

static struct config *
load(const char *defaults, const char *service, enum base base, struct diag *d)
{
	char text[1024];

	snprintf(text, sizeof(text), "defaults {\n%s\n}\nservice echo {\n%s%s\n}\n", defaults,
		 base_text[base], service);
	diag_free(d);
	diag_init(d);
	return config_load_buffer(text, "t.conf", NULL, CONFIG_NO_FS_CHECKS, d);
}

static void
dump(const struct diag *d)
{
	for (size_t i = 0; i < d->count; i++)
		fprintf(stderr, "  diag: %s\n", d->items[i].text);
}

/* The case's option, written in defaults or in the service, against the
 * same service without it. */
static void
try_case(const struct optcase *c, bool in_defaults)
{
	const char *must = in_defaults && c->must_in_defaults ? c->must_in_defaults : c->must;
	struct diag d = { 0 }, d0 = { 0 };
	struct config *cfg = load(in_defaults ? c->text : "", in_defaults ? "" : c->text,
				  c->base, &d);
	struct config *ref = load("", "", FULL, &d0);

	if (!cfg)
		dump(&d);
	ck_assert_msg(cfg && ref && cfg->count == 1, "%s in %s: rejected", c->name,
		      in_defaults ? "defaults" : "a service");
	for (size_t i = 0; i < NFIELDS; i++) {
		const struct field *f = &fields[i];
		const char *a = f->daemon ? (const char *)&cfg->settings : (const char *)cfg->services;
		const char *b = f->daemon ? (const char *)&ref->settings : (const char *)ref->services;
		bool changed = !same(f, a, b);

		ck_assert_msg(!listed(must, f->name) || changed, "%s in %s: %s did not change",
			      c->name, in_defaults ? "defaults" : "a service", f->name);
		ck_assert_msg(!changed || listed(must, f->name) || listed(c->may, f->name),
			      "%s in %s: %s changed too", c->name,
			      in_defaults ? "defaults" : "a service", f->name);
	}
	config_free(cfg);
	config_free(ref);
	diag_free(&d);
	diag_free(&d0);
}

static void
refuse_case(const struct optcase *c, bool in_defaults)
{
	struct diag d = { 0 };
	struct config *cfg = load(in_defaults ? c->text : "", in_defaults ? "" : c->text,
				  c->base, &d);

	ck_assert_msg(!cfg && d.errors > 0, "%s accepted in %s", c->name,
		      in_defaults ? "defaults" : "a service");
	diag_free(&d);
}

static const struct optcase *
find_case(const char *name)
{
	for (size_t i = 0; i < NCASES; i++)
		if (!strcmp(cases[i].name, name))
			return &cases[i];
	return NULL;
}

START_TEST(one_row_per_id)
{
	for (int id = 0; id < O_COUNT; id++) {
		const struct optdef *o = config_opt(id);
		size_t room = o->daemon ? sizeof(struct daemon_settings) : sizeof(struct build);

		ck_assert_msg(o->name && o->apply, "option %d has no row", id);
		ck_assert_msg(o->scope == IN_SERVICE || o->scope == IN_DEFAULTS ||
			      o->scope == IN_BOTH, "%s: no section allows it", o->name);
		ck_assert_msg(o->off + o->size <= room && o->aux < room, "%s: field out of its struct",
			      o->name);
		/* Numbers and keywords are stored as bool or int. */
		ck_assert_msg(!(o->def || o->words || o->max) || o->size == sizeof(bool) ||
			      o->size == sizeof(int) || o->size == sizeof(struct rlimit_opt),
			      "%s: a number in a field of %zu bytes", o->name, o->size);
		for (int k = 0; k < id; k++)
			ck_assert_msg(strcmp(config_opt(k)->name, o->name), "%s: two rows", o->name);
	}
}
END_TEST

/* A row whose field points to memory says so, so that a service copies
 * it from defaults instead of sharing it (config_build_copy). */
START_TEST(owned_fields)
{
	_Static_assert(offsetof(struct build, s) == 0, "struct build starts with the service");
	for (int id = 0; id < O_COUNT; id++) {
		const struct optdef *o = config_opt(id);

		for (size_t i = 0; i < NFIELDS; i++) {
			const struct field *f = &fields[i];
			enum opt_owns want = f->cmp == STR ? OWNS_STRING : f->cmp == STRV ? OWNS_STRV
					   : f->cmp == ARRAY ? OWNS_ARRAY : OWNS_NOTHING;

			/* the daemon's settings are never copied */
			if (o->daemon || f->daemon || f->off != o->off || f->cmp == RLIMIT)
				continue;
			if (want == OWNS_ARRAY && o->owns == OWNS_ADDRS)
				want = OWNS_ADDRS;
			ck_assert_msg(o->owns == want, "%s: owns %d, its field %s needs %d",
				      o->name, o->owns, f->name, want);
		}
	}
}
END_TEST

START_TEST(every_row_has_a_case)
{
	for (int id = 0; id < O_COUNT; id++)
		ck_assert_msg(find_case(config_opt(id)->name), "%s: no test case",
			      config_opt(id)->name);
	ck_assert_uint_eq(NCASES, O_COUNT);
}
END_TEST

/* The built-in defaults as loaded: what the table says. */
START_TEST(defaults_from_rows)
{
	struct diag d = { 0 };
	struct config *cfg = load("", "", FULL, &d);
	const struct service *s;

	ck_assert_ptr_nonnull(cfg);
	s = &cfg->services[0];
	ck_assert_int_eq(s->instances, config_opt(O_INSTANCES)->def);
	ck_assert_int_eq(s->per_source, config_opt(O_PER_SOURCE)->def);
	ck_assert_int_eq(s->cps_rate, config_opt(O_CPS)->def);
	ck_assert_int_eq(s->cps_wait, config_opt(O_CPS)->def2);
	ck_assert_uint_eq(s->log_on_success, config_opt(O_LOG_ON_SUCCESS)->def);
	ck_assert_uint_eq(s->log_on_failure, config_opt(O_LOG_ON_FAILURE)->def);
	ck_assert_int_eq(s->idle_timeout, config_opt(O_IDLE_TIMEOUT)->def);
	ck_assert_int_eq(cfg->settings.max_children, config_opt(O_MAX_CHILDREN)->def);
	/* no rate limit unless set */
	ck_assert_int_eq(s->rate_milli, 0);
	ck_assert_int_eq(s->source_rate_milli, 0);
	ck_assert_int_eq(s->on_limit, ON_LIMIT_DEFER);
	ck_assert_int_eq(cfg->settings.loop_limit, config_opt(O_LOOP_LIMIT)->def);
	ck_assert_int_eq(cfg->settings.loop_disable, config_opt(O_LOOP_DISABLE)->def);
	ck_assert_int_eq(cfg->settings.log_facility, config_opt(O_LOG_FACILITY)->def);
	ck_assert_int_eq(cfg->settings.log, config_opt(O_LOG)->def);
	ck_assert(!cfg->settings.log_set);
	ck_assert_str_eq(cfg->settings.default_user, config_opt(O_USER)->defstr);
	ck_assert_str_eq(cfg->settings.control_socket, config_opt(O_CONTROL_SOCKET)->defstr);
	config_free(cfg);
	diag_free(&d);
}
END_TEST

START_TEST(each_option_changes_its_field)
{
	const struct optcase *c = find_case(config_opt(_i)->name);

	ck_assert_ptr_nonnull(c);
	if (config_opt(_i)->scope & IN_SERVICE)
		try_case(c, false);
	else
		refuse_case(c, false);
	if (config_opt(_i)->scope & IN_DEFAULTS)
		try_case(c, true);
	else
		refuse_case(c, true);
}
END_TEST

static Suite *
config_opts_suite(void)
{
	Suite *s = suite_create("config_opts");
	TCase *tc = tcase_create("rows");

	tcase_add_test(tc, one_row_per_id);
	tcase_add_test(tc, owned_fields);
	tcase_add_test(tc, every_row_has_a_case);
	tcase_add_test(tc, defaults_from_rows);
	tcase_add_loop_test(tc, each_option_changes_its_field, 0, O_COUNT);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return check_run(config_opts_suite());
}
