/* SPDX-License-Identifier: ISC */
/* config_int: what the config_*.c files share.
 * Not for other modules: they see config.h only. */
#ifndef PORTIER_CONFIG_INT_H
#define PORTIER_CONFIG_INT_H

#include <confuse.h>

#include "config/config.h"

/* Every option of the service and defaults sections, in the order of the
 * table in config_opts.c. */
enum opt_id {
	O_DISABLE, O_TYPE, O_SOCKET_TYPE, O_PROTOCOL, O_WAIT, O_PORT, O_BIND,
	O_USER, O_GROUP, O_SERVER, O_SERVER_ARGS, O_ENV, O_PASSENV,
	O_INSTANCES, O_PER_SOURCE, O_CPS, O_MAX_LOAD, O_ONLY_FROM, O_NO_ACCESS,
	O_LOG_ON_SUCCESS, O_LOG_ON_FAILURE, O_NICE, O_UMASK,
	O_RLIMIT_AS, O_RLIMIT_CPU, O_RLIMIT_DATA, O_RLIMIT_FILES, O_RLIMIT_NPROC,
	O_RLIMIT_STACK, O_RLIMIT_CORE, O_CHROOT, O_BANNER, O_BANNER_SUCCESS,
	O_BANNER_FAIL, O_EXPIRES, O_ACCESS_TIMES, O_LISTEN_BACKLOG, O_KEEPALIVE,
	O_NODELAY, O_ACTIVATION, O_NAME, O_TCPMUX, O_IDLE_TIMEOUT, O_GROUPS,
	O_NO_NEW_PRIVILEGES,
	/* the defaults section's own */
	O_LOG, O_LOG_FACILITY, O_MAX_CHILDREN, O_CONTROL_SOCKET, O_LOOP_LIMIT,
	O_LOOP_DISABLE, O_INETD_COMPAT, O_INETD_CONF,
	/* unix-domain services */
	O_SOCKET_MODE, O_SOCKET_USER, O_SOCKET_GROUP, O_ALLOW_USERS, O_ALLOW_GROUPS,
	/* token buckets */
	O_RATE, O_PER_SOURCE_RATE, O_ON_LIMIT,
	/* where a socket may bind */
	O_FREEBIND, O_INTERFACE,
	/* UDP on a multi-homed host */
	O_BIND_EACH_ADDRESS,
	O_COUNT
};

enum opt_scope { IN_SERVICE = 1, IN_DEFAULTS = 2, IN_BOTH = 3 };

/* Where a value was written. */
struct origin {
	const char *file;	/* NULL: not set (built-in default) */
	int line;
};

/* An option as written in a file, for portierctl show (config_show.c). */
struct written {
	const char *file;		/* NULL: not written */
	const struct popt *o;
};

/* A service while it is being assembled: the public struct plus what the
 * checks need to know about where each value came from. */
struct build {
	struct service s;
	char **server_args;		/* argv is built from these at the end */
	struct origin at[O_COUNT];	/* set in the service or in defaults */
	bool own[O_COUNT];		/* set in this very section */
	struct written wrote[O_COUNT];	/* the assignment in force */
	struct written under[O_COUNT];	/* what a `+=` of it appended to */
	struct origin sec_at;		/* the section's opening brace */
	const char *what;		/* "service 'echo'" or "defaults" */
	char what_buf[300];
	bool is_defaults;
	bool bad;			/* an error was reported for it */
};

/* Users and groups looked up once per load: services share a few users,
 * and each NSS lookup may read /etc/passwd again. */
struct ident {
	char *name;
	bool group;		/* a group, else a user */
	bool found;
	uid_t uid;		/* a user's */
	gid_t gid;		/* a user's primary group, or the group's */
	gid_t *gids;		/* a user's getgrouplist(name, gid) */
	int ngids;
};

struct user_cache {
	struct ident **v;	/* pointers: an entry stays put as the cache grows */
	size_t n;
	char *me;		/* the current user's name (not root) */
	gid_t *my_gids;
	int nmy;
};

struct config_shown;

/* The service config_show() describes, and how: a hook, so that portierd,
 * which shows nothing, links nothing of config_show.c. */
struct show_hook {
	const char *id;
	void (*fn)(struct config_shown *shown, const struct build *b);
	struct config_shown *shown;
};

struct loader {
	const struct registry *reg;
	unsigned flags;
	struct diag *d;
	bool root;			/* geteuid() == 0 */
	struct daemon_settings settings;
	struct origin default_user_at;
	struct user_cache *users;
	const struct show_hook *show;	/* config_show(): NULL for a load */
};

/* One value as the option handlers see it: a scalar has n == 1. */
struct optval {
	enum opt_id id;
	const char *const *items;
	size_t n;
	bool append;		/* `+=`: add to the inherited list */
};

/* config_parse.c: files to cfg_t. A list not written in a section holds
 * the one item INHERIT; `+=` keeps it in front of the new items. */
#define INHERIT		"\001inherit"

/* A parsed file, libconfuse-free: each section with the options it
 * writes, in schema order, each option with its line. One allocation
 * (free() frees it all), so a reload can keep it while the file is unchanged
 * (config_cache.c). */
struct popt {
	enum opt_id id;
	int line;		/* of its last assignment */
	int earlier;		/* of the one before, 0 when there is none */
	bool append;		/* a list written with `+=` only */
	size_t n;
	const char **items;	/* a scalar has n == 1 */
};

struct psec {
	const char *title;	/* NULL for defaults */
	int line;		/* of its opening brace */
	size_t first, count;	/* its options: opts[first .. first + count) */
};

struct pfile {
	struct psec *secs;	/* the defaults sections first, then the services */
	size_t ndefaults, nsecs;
	struct popt *opts;
};

/* One file of a load. */
struct conf_file {
	char *path;
	char *text;		/* its bytes as parsed, kept for the cache; or NULL */
	size_t len;
	struct pfile *pf;	/* NULL when unreadable or unparsable */
};

/* The schema: option arrays and, per array index, the option's id. */
struct schema {
	cfg_opt_t *svc, *def, root[3];
	enum opt_id svc_ids[O_COUNT], def_ids[O_COUNT];
};

int config_schema_init(struct schema *sc);
void config_schema_free(struct schema *sc);
/* config_files.c: names that package managers and editors leave behind
 * (dot files, *.dpkg-*, *~, *.rpmnew, *.rpmsave, *.orig), skipped quietly
 * in conf.d and in the registry's services.d. */
bool config_leftover_name(const char *n);
/* n is at least one byte, then suffix (".conf"). */
bool config_name_ends(const char *n, const char *suffix);
/* qsort() order of an array of strings: byte order. */
int config_cmp_str(const void *a, const void *b);
/* The *.conf files of dir to read, in byte order; NULL
 * with an error in d when dir cannot be read. Other *.conf entries are
 * warnings, or errors when their path is in held (sorted, nheld of them). */
char **config_list_dir(const char *dir, char *const *held, size_t nheld, size_t *count,
		       struct diag *d);
/* A regular file's bytes, NUL-terminated; NULL after saying why in d. */
char *config_read_file(const char *path, size_t *len, struct diag *d);
/* Parses text (modified in place) as the file path; NULL after reporting
 * every problem to d. */
struct pfile *config_parse_text(const char *path, const struct schema *sc, char *text,
				size_t len, struct diag *d);

/* config_cache.c: parses kept from one load to the next, keyed by the
 * file's path and its exact bytes. */
/* The parse of path, moved out of the cache, when the bytes it was made
 * from are text's; NULL otherwise. c may be NULL. */
struct pfile *config_cache_take(struct config_cache *c, const char *path, const char *text,
				size_t len);
/* Ends a load: the cache drops what it held and keeps, from files, those
 * with both text and a parse; the rest is freed. c may be NULL (all freed).
 * loaded: the load succeeded, and files (sorted by path) are from now on
 * those the running configuration was read from. */
void config_cache_keep(struct config_cache *c, struct conf_file *files, size_t n,
		       bool loaded);
/* The paths the last successful load read sections from, sorted; none
 * before the first one, or without a cache. */
char *const *config_cache_held(const struct config_cache *c, size_t *n);
void config_files_free(struct conf_file *files, size_t n);

/* config_inetd.c: with inetd_compat, the entries of the inetd.conf as
 * parsed files of their own, one per entry, each line of which is the
 * entry's line (*n of them, to config_files_free), read with the program's
 * reader (config_set_inetd_reader). Nothing when the option is off, the
 * file is missing or no reader is set; 0, or -1 when out of memory. */
int config_inetd_files(struct loader *ld, struct conf_file **files, size_t *n);
/* Moves src's items to dst, each error said of path a warning. */
void config_inetd_report(struct diag *dst, struct diag *src, const char *path);

/* config_report.c: "FILE:LINE: service 'x': message" for an option of b
 * (where it was set; O_COUNT or unset: the section's brace). Below every
 * other file of the module. */
void config_report(struct loader *ld, struct build *b, enum opt_id id,
		   enum diag_level lvl, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
#define config_err(ld, b, id, ...) config_report(ld, b, id, DIAG_ERROR, __VA_ARGS__)
#define config_warn(ld, b, id, ...) config_report(ld, b, id, DIAG_WARNING, __VA_ARGS__)

/* config_opts.c: the option table, one row per option. */
struct optdef;
/* Converts v into the field at base + o->off; base is the struct build of
 * the section, or the loader's daemon_settings (o->daemon). */
typedef void opt_apply_fn(struct loader *ld, struct build *b, const struct optdef *o,
			  char *base, const struct optval *v);
/* One word of a list or scalar: NULL when fine, else what is wrong. */
typedef const char *opt_check_fn(const char *s);
struct opt_word {
	const char *word;
	int val;
};

/* What a field holds that a service copied from the defaults must not
 * share with them. */
enum opt_owns { OWNS_NOTHING, OWNS_STRING, OWNS_STRV, OWNS_ARRAY, OWNS_ADDRS };

struct optdef {
	const char *name;
	unsigned scope;		/* IN_SERVICE, IN_DEFAULTS, IN_BOTH */
	bool list;
	bool daemon;		/* stored in struct daemon_settings, else in struct build */
	bool unix_only;		/* for a unix socket's service: a warning elsewhere */
	size_t off, size;	/* the field: offset into that struct and size */
	enum opt_owns owns;	/* what it points to */
	size_t elem;		/* OWNS_ARRAY, OWNS_ADDRS: the size of an element */
	size_t aux;		/* its companion ("nice_set", cps's wait, a count); 0: none
				 * (offset 0 holds the id or default_user) */
	long min, max;		/* the range of a number */
	long def, def2;		/* built-in defaults of the field and of aux */
	const char *defstr;	/* built-in default of a string */
	bool sized;		/* rlimit: K, M, G suffixes allowed */
	const struct opt_word *words;	/* keywords, NULL-terminated */
	const char *why;	/* "is not a boolean (yes or no)": said of a bad value */
	opt_check_fn *check;	/* each word of a string or list */
	opt_apply_fn *apply;	/* converts the value into the field */
};

/* The row of id; every id has one (tests/check_config_opts.c). */
const struct optdef *config_opt(enum opt_id id);
/* The built-in defaults every service starts from, and the daemon's. */
void config_build_init(struct build *b, const char *what);
/* Deep copy of the inheritable part of src (the defaults) into dst. */
int config_build_copy(struct build *dst, const struct build *src);
/* Frees what a service or the rest of a build owns, and zeroes it. */
void config_service_clear(struct service *s);
void config_build_release(struct build *b);
void config_settings_init(struct daemon_settings *st);
/* Converts and checks one value into b (or ld->settings). */
void config_opt_apply(struct loader *ld, struct build *b, const struct optval *v);

/* config_apply.c: the converters of the rows, one per kind of value. */
opt_apply_fn config_apply_bool, config_apply_int, config_apply_limit, config_apply_float,
	config_apply_umask, config_apply_time, config_apply_keyword,
	config_apply_facility, config_apply_string, config_apply_user, config_apply_control_socket,
	config_apply_strlist, config_apply_env, config_apply_bind, config_apply_cps,
	config_apply_addrs, config_apply_logflags, config_apply_rlimit, config_apply_windows,
	config_apply_bucket;
/* A number or keyword into a bool or int-sized field. */
void config_store_int(void *field, size_t size, long val);

/* config_finish.c: derived values and host checks for one service. */
void config_finish(struct loader *ld, struct build *b);

/* config_users.c: ld's user cache (NULL when out of memory), created on
 * first use; a name's entry, NULL when out of memory, else found says
 * whether it exists. */
struct user_cache *config_users(struct loader *ld);
const struct ident *config_ident(struct loader *ld, const char *name, bool group);
void config_users_free(struct user_cache *uc);

/* config.c: config_load_cached() that also gives the service show->id,
 * finished, to show->fn (config_show.c) when show is not NULL. */
struct config *config_load_dir(const char *dir, const struct registry *reg, unsigned flags,
			       struct config_cache *cache, const struct show_hook *show,
			       struct diag *d);

/* config_check.c: checks across services (duplicate ids, addresses in
 * use twice, tcpmux names); builds cfg->by_id. -1 when out of memory. */
int config_cross_check(struct loader *ld, struct config *cfg, bool *bad);

/* access_hash.c: SipHash-2-4 of an address under key (the per-source tables'
 * bucket), and a random key for one (table: salt when there is no entropy
 * yet). */
uint64_t access_hash(const uint64_t key[2], const struct access_addr *a);
void access_random_key(uint64_t key[2], const void *table);

#endif
