/* SPDX-License-Identifier: ISC */
/* config: files to plain data (the registry, conf.d, the access policy); no
 * sockets, no processes.
 * The folder's interface: one section per module, each opening with what
 * the module is for. */
#ifndef PORTIER_CONFIG_H
#define PORTIER_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <time.h>

#include "base/base.h"

/* registry: the port registry (services.db, /etc/services format).
 * Pure data: no sockets, no processes. */

enum reg_proto { REG_TCP, REG_UDP, REG_SCTP, REG_DCCP, REG_NPROTO };
enum port_class { PORT_WELL_KNOWN, PORT_REGISTERED, PORT_DYNAMIC };

struct reg_entry {
	const char *name;
	unsigned port;
	enum reg_proto proto;
	const char *const *aliases;	/* NULL-terminated */
	const char *description;	/* the line's comment, "" when none */
	const char *file;		/* where it was defined */
	int line;
};

struct registry;

struct registry *registry_new(void);
void registry_free(struct registry *reg);
/* Loads one file, adding to what is there: a later file adds names, the first
 * definition of a name/protocol wins. Malformed lines and redefinitions of a
 * name for another port go to d as "FILE:LINE: ...": errors when strict, else
 * warnings, and the line is skipped. A name that is an alias on either side is
 * only shadowed: always a warning, and the line keeps its port and other names
 * (see services.db(5)). Returns 0, or -1 when the file cannot be read or
 * memory runs out (also in d). */
int registry_load(struct registry *reg, const char *path, bool strict, struct diag *d);
size_t registry_count(const struct registry *reg);

/* registry_paths: the files read when no -r names any (services.db(5)):
 * the shipped registry, then every *.db of localdir in byte order of
 * names, skipping what editors and package managers leave behind (as in
 * conf.d); a missing localdir adds nothing. A NULL-terminated list for
 * strv_free(), or NULL with the error in d (memory, an unreadable
 * directory); names not ending in .db are warnings in d. portierd and
 * every portierctl command that reads the registry use registry_defaults(),
 * the configured paths: PORTIER_REGISTRY, then PORTIER_REGISTRY_DIR. */
char **registry_default_paths(const char *shipped, const char *localdir, struct diag *d);
char **registry_defaults(struct diag *d);

/* Name or alias, case-sensitive as /etc/services is. NULL when absent. */
const struct reg_entry *registry_lookup_name(const struct registry *reg,
					     const char *name, enum reg_proto proto);
const struct reg_entry *registry_lookup_port(const struct registry *reg,
					     unsigned port, enum reg_proto proto);
/* Calls fn for every entry with lo <= port <= hi, in port then protocol order;
 * stops early when fn returns non-zero. Returns the number of calls. */
size_t registry_foreach_range(const struct registry *reg, unsigned lo, unsigned hi,
			      int (*fn)(const struct reg_entry *e, void *arg), void *arg);

enum port_class registry_port_class(unsigned port);
const char *registry_port_class_name(enum port_class c);	/* "well-known" … */
const char *registry_proto_name(enum reg_proto p);		/* "tcp" … */
int registry_proto_parse(const char *s, enum reg_proto *p);	/* 0 or -1 */

/* config: conf.d (libconfuse) to plain data. config_load() parses and
 * validates every file and returns structs that hold no libconfuse state, no
 * sockets and no processes; config_free() releases them. */

#define LIMIT_UNLIMITED (-1)

/* log_on_success / log_on_failure fields */
enum {
	LOGF_PID = 1 << 0,
	LOGF_HOST = 1 << 1,
	LOGF_USERID = 1 << 2,
	LOGF_EXIT = 1 << 3,
	LOGF_DURATION = 1 << 4,
	LOGF_ATTEMPT = 1 << 5,
};

enum activation { ACTIVATION_INETD, ACTIVATION_SYSTEMD };

/* One entry of only_from / no_access. IPv4 is kept as AF_INET (4 bytes);
 * a host name is resolved at load time into one rule per address. */
struct addr_rule {
	int family;		/* AF_INET or AF_INET6 */
	uint8_t addr[16];	/* network byte order, masked to prefix */
	int prefix;		/* 0..32 or 0..128 */
};

struct addr_list {
	struct addr_rule *rules;
	size_t count;
};

struct time_window {
	int start;		/* minutes after local midnight, 0..1439 */
	int end;		/* inclusive; end < start spans midnight */
};

/* The rlimits a service may set: index into service.rlimit[] */
enum { RLIM_AS, RLIM_CPU, RLIM_DATA, RLIM_FILES, RLIM_NPROC, RLIM_STACK, RLIM_CORE, RLIM_COUNT };

struct rlimit_opt {
	bool set;
	rlim_t value;		/* RLIM_INFINITY for "unlimited" */
};

/* on_limit: what a connection over `rate` or `per_source_rate` gets. */
enum on_limit { ON_LIMIT_DEFER, ON_LIMIT_REFUSE };

struct service {
	char *id;		/* the section title: unique identity */
	char *name;		/* registry name: `name`, or id minus /tcp or /udp */
	char *file;		/* where it is declared */
	int line;

	bool disabled;
	bool internal;		/* type = internal */
	int socktype;		/* SOCK_STREAM or SOCK_DGRAM */
	int protocol;		/* IPPROTO_TCP or IPPROTO_UDP */
	bool wait;
	unsigned port;
	bool tcpmux;		/* reachable through tcpmux, no port of its own */

	/* Addresses to bind, port filled in; count 0 means every address of
	 * both families. IPv4-mapped IPv6 addresses are stored as IPv4. */
	struct sockaddr_storage *bind;
	size_t nbind;
	bool freebind;		/* IP_FREEBIND: bind addresses the host does not have yet */
	char *interface;	/* SO_BINDTODEVICE: only this interface; NULL: all */

	char *user;		/* NULL: the default user */
	char *group;		/* NULL: the user's primary group */
	char *user_name;	/* whom handlers run as, resolved (NULL for internal) */
	uid_t uid;		/* resolved at load time; -1 when unknown (CONFIG_NO_FS_CHECKS) */
	gid_t gid;
	char **groups;		/* `groups`: extra supplementary group names, NULL-terminated */
	gid_t *gids;		/* every supplementary group the handler gets: the user's own
				 * (getgrouplist at load time, so the child needs no NSS call)
				 * plus `groups` */
	size_t ngids;
	bool no_new_privileges;

	char *server;		/* absolute path; NULL for internal services */
	char **argv;		/* argv[0] = basename(server), then server_args; NULL-terminated */
	char **env;		/* "NAME=value", NULL-terminated */
	char **passenv;		/* names, NULL-terminated */

	int instances;		/* LIMIT_UNLIMITED or > 0 */
	int per_source;		/* LIMIT_UNLIMITED or > 0 */
	int cps_rate;		/* 0: no cps limit */
	int cps_wait;		/* seconds */
	double max_load;	/* 0: no load limit */
	struct addr_list only_from;	/* empty + !only_from_set: everyone */
	bool only_from_set;
	struct addr_list no_access;
	struct time_window *access_times;
	size_t naccess_times;

	unsigned log_on_success;	/* LOGF_* */
	unsigned log_on_failure;

	int nice;
	bool nice_set;
	mode_t umask;
	bool umask_set;
	struct rlimit_opt rlimit[RLIM_COUNT];
	char *chroot;

	char *banner;		/* paths */
	char *banner_success;
	char *banner_fail;

	time_t expires;		/* 0: never */

	int listen_backlog;	/* 0: the kernel's somaxconn */
	bool keepalive;
	bool nodelay;
	/* UDP, bind a wildcard or absent: one socket per local address of
	 * the family (or both), following the host's addresses (daemon/
	 * service_addrs.c), instead of one wildcard socket. */
	bool bind_each_address;
	enum activation activation;
	int idle_timeout;	/* seconds, internal TCP services */
	/* Token buckets (access_rate.c): rates in thousandths of a connection per
	 * second, 0: no limit (the default); bursts in connections. */
	int rate_milli;		/* `rate`: the whole service */
	int rate_burst;
	int source_rate_milli;	/* `per_source_rate`: per /32 or /64 */
	int source_burst;
	enum on_limit on_limit;

	/* A unix-domain stream service: bind[0] is its one AF_UNIX path, port
	 * and protocol are 0, and only_from gives way to allow_users/groups. */
	bool local;
	mode_t socket_mode;	/* the socket file's mode (0660) */
	char *socket_user;	/* the socket file's owner; NULL: portierd's */
	char *socket_group;	/* its group; NULL: socket_user's, else portierd's */
	uid_t socket_uid;	/* resolved; (uid_t)-1: left as created */
	gid_t socket_gid;
	char **allow_users;	/* peers admitted by uid; both NULL: everyone */
	char **allow_groups;	/* by the peer's primary gid (SO_PEERCRED) */
	uid_t *allow_uids;	/* resolved */
	size_t nallow_uids;
	gid_t *allow_gids;
	size_t nallow_gids;
};

/* Daemon-wide settings: the `defaults` section's own options. */
struct daemon_settings {
	char *default_user;	/* handlers' user when a service names none ("nobody") */
	enum log_target log;	/* where portierd logs */
	bool log_set;		/* log given in the file (else decided at start) */
	int log_facility;	/* LOG_DAEMON … */
	int max_children;	/* LIMIT_UNLIMITED or > 0 */
	char *control_socket;	/* "" disables it */
	int loop_limit;		/* wait-mode restarts per minute before the loop guard trips */
	int loop_disable;	/* seconds a looping service stays disabled */
	bool inetd_compat;	/* read inetd_conf's entries too */
	char *inetd_conf;	/* "/etc/inetd.conf" */
};

struct config {
	struct daemon_settings settings;
	struct service *services;	/* in file then declaration order */
	size_t count;
	size_t *by_id;			/* indexes into services, sorted by id */
};

enum {
	/* Skips every check that depends on the host, for configurations
	 * meant for another machine (convert, tests): that server, chroot and
	 * banners exist, that users and groups exist (an unknown one leaves
	 * uid/gid at -1), and the not-root rule below. A host name in
	 * only_from/no_access that does not resolve is a warning instead of
	 * an error. Syntax and values are still checked. */
	CONFIG_NO_FS_CHECKS = 1 << 1,
	/* StrictModes on the files the loader finds by itself (inetd_conf),
	 * as access_secure_path(): what portierd asks as root unless
	 * --insecure-config. */
	CONFIG_SECURE = 1 << 2,
};

/* Builds the configuration from every *.conf in dir (portier.conf(5)).
 * Returns NULL when there is at least one error; every problem (errors and
 * warnings, "FILE:LINE: message") goes to d, all of them in one run.
 * Host checks are errors for enabled services and warnings for disabled
 * ones. Not running as root (geteuid() != 0), handlers run as the current
 * user: uid, gid and gids are ours, and a `user` or `group` naming another
 * is an error. reg may be NULL (no registry: every service needs `port`).
 * Not thread-safe: libconfuse's parser is global state. */
struct config *config_load(const char *dir, const struct registry *reg,
			   unsigned flags, struct diag *d);
/* Parsed files kept from one load of a directory to the next, for a
 * daemon that reloads: a file whose bytes are exactly those of the last
 * load is not parsed again; every other step (defaults, registry names,
 * users, files, checks across services) runs each time. It holds each
 * file's bytes and their parse, about twice the size of the files. */
struct config_cache;
struct config_cache *config_cache_new(void);
void config_cache_free(struct config_cache *cache);
/* config_load() through cache (NULL: none), which it updates. */
struct config *config_load_cached(const char *dir, const struct registry *reg,
				  unsigned flags, struct config_cache *cache,
				  struct diag *d);
/* Same from one buffer, as if it were the file `name` (unit tests). */
struct config *config_load_buffer(const char *buf, const char *name,
				  const struct registry *reg, unsigned flags,
				  struct diag *d);
void config_free(struct config *cfg);

/* config_inetd.c: inetd_compat (portier.conf(5)). With it, a load reads
 * the inetd.conf of the defaults section too, each entry turned into one
 * conf.d service section by a reader that the program sets: portierctl's
 * is the converter (convert/, above config/), portierd's runs it in a
 * portierctl child (daemon/inetd_child.c). Every value of
 * such a service, and every problem with it, has the entry's FILE:LINE. An
 * entry the reader cannot convert, or whose service could not run here
 * (server, user), is left out with warnings: a broken line some package
 * wrote must not stop the other services. */
struct config_chunk {
	char *text;		/* one service section, conf.d syntax */
	int line;		/* the entry's line in the file */
};
/* text holds the file path's bytes. *out gets *n chunks (the array and
 * each text malloc'd); problems go to d, an error for each entry that
 * gives no chunk. 0, or -1 when out of memory. */
typedef int (*config_inetd_fn)(const char *text, const char *path,
			       const struct registry *reg, struct config_chunk **out,
			       size_t *n, struct diag *d);
/* Without a reader (the unit tests), inetd_compat reads nothing. */
void config_set_inetd_reader(config_inetd_fn fn);
/* Frees c[0..n) with their texts. */
void config_chunks_free(struct config_chunk *c, size_t n);

/* config_inetd_wire.c: the reader's answer as bytes, between the converter
 * in `portierctl inetd-entries` and portierd (the format is in the file's
 * header comment). encode: the chunks, then d's items, in one malloc'd
 * buffer of *len octets; NULL when out of memory. decode: the chunks into
 * *out (as config_inetd_fn gives them) and the diagnostics into d; an
 * answer that does not follow the format gives no chunk and an error in d.
 * 0, or -1 when out of memory. */
char *config_inetd_encode(const struct config_chunk *c, size_t n, const struct diag *d,
			  size_t *len);
int config_inetd_decode(const char *buf, size_t len, struct config_chunk **out, size_t *n,
			struct diag *d);

const struct service *config_find(const struct config *cfg, const char *id);
/* Whether svc listens on family (AF_INET, AF_INET6, AF_UNIX): it has no
 * bind list (both IP families), or its list names an address of family. */
bool config_binds_family(const struct service *svc, int family);
/* "telnet 23/tcp stream nowait user=telnetd /usr/sbin/in.telnetd -h";
 * like snprintf: returns the length the whole line needs. */
int config_describe(const struct service *svc, char *buf, size_t len);

/* config_show: one service's settings, each with where its value came
 * from, for portierctl show. Nothing of it is kept after the load. */
enum config_from {
	FROM_SERVICE,		/* written in the service's section */
	FROM_DEFAULTS,		/* inherited from the defaults section */
	FROM_BUILTIN,		/* the built-in default (portier.conf(5)) */
	FROM_DERIVED,		/* worked out by the loader (registry, socket type) */
};

struct config_setting {
	const char *name;	/* the option's */
	char *value;		/* in conf.d syntax ("yes", { "a", "b" }); NULL: not set */
	enum config_from from;
	char *file;		/* FROM_SERVICE, FROM_DEFAULTS: where it was written */
	int line;
};

/* The service's options in the order of the option table. */
struct config_shown {
	struct config_setting *items;
	size_t count;
	bool oom;
};

/* config_load() that also describes the service id into shown (count 0
 * when there is none). */
struct config *config_show(const char *dir, const struct registry *reg, unsigned flags,
			   const char *id, struct config_shown *shown, struct diag *d);
void config_shown_free(struct config_shown *shown);
/* The PATH of a handler whose env and passenv give it none (systemd's). */
#define CONFIG_DEFAULT_PATH "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

/* A service id: at most this many characters (the control protocol takes
 * up to CONTROL_ID_MAX). */
#define CONFIG_ID_MAX 64
_Static_assert(CONFIG_ID_MAX <= CONTROL_ID_MAX, "every id must be one portierctl can name");

/* config_report.c: input quoted in a diagnostic: at most max bytes of s,
 * then "...", each byte that is not printable ASCII as '?'. Returns buf
 * (len bytes). Files may hold anything, a link to a secret one included:
 * quote every token with config_quote_token(), every id with
 * config_quote_id() (shown whole when valid). */
const char *config_quote(const char *s, size_t max, char *buf, size_t len);
#define CONFIG_QUOTE_MAX 32
#define CONFIG_QUOTE_SIZE (CONFIG_ID_MAX + 4)
#define config_quote_token(s) \
	config_quote((s), CONFIG_QUOTE_MAX, (char[CONFIG_QUOTE_SIZE]){ 0 }, CONFIG_QUOTE_SIZE)
#define config_quote_id(s) \
	config_quote((s), CONFIG_ID_MAX, (char[CONFIG_QUOTE_SIZE]){ 0 }, CONFIG_QUOTE_SIZE)

/* config_verify.c: load the registries (strictly) and dir as portierd would,
 * print every problem to stderr, each enabled service to stdout, then a
 * summary line (services, errors, warnings) to stderr. 0 when the
 * configuration is valid, 1 otherwise (`portierctl check`, `portierd
 * --check`). As root and unless insecure (--insecure-config), the files
 * must also pass portierd's StrictModes (access_secure_config). */
int config_verify(const char *dir, const char *const *registries, size_t nregistries,
		  bool insecure);
/* Its loading half, printing nothing: every problem, and the notices of
 * services that expire within a week, go to d. The configuration, or NULL
 * when d holds an error; *reg gets the registry (NULL when out of memory),
 * which the caller frees after the configuration. */
struct config *config_verify_load(const char *dir, const char *const *registries,
				  size_t nregistries, bool insecure, struct registry **reg,
				  struct diag *d);

/* config_cleartext.c: login and mail protocols that carry secrets in clear
 * text (telnet, ftp, rsh/rlogin/rexec, pop3, imap), and who reaches them. */
bool config_cleartext_name(const char *name);		/* "telnet" */
bool config_cleartext_port(unsigned port, int protocol);	/* 23, IPPROTO_TCP */
bool config_cleartext(const struct service *svc);	/* by name or port */
/* 127.0.0.0/8 or ::1; addr in network byte order (4 or 16 bytes). */
bool config_addr_loopback(int family, const uint8_t *addr);
/* only_from and no_access turn nobody away by address. */
bool config_admits_everyone(const struct service *svc);
/* only_from lets in loopback addresses and nothing else. */
bool config_admits_loopback_only(const struct service *svc);
/* A warning in d ("FILE:LINE: ...") for every enabled clear-text service
 * on a public address that admits everyone (portierd's loads, check). */
void config_check_cleartext(const struct config *cfg, struct diag *d);

/* config_value: parsers for the value syntaxes of portier.conf (numbers,
 * addresses, times, sizes). Pure functions of their input: no NSS, no
 * files, so the unit tests can drive every branch. Used by the option
 * converters (config_apply.c) and by whoever reads an address back. */

/* Decimal integer in [min, max]. 0, or -1 when s is not one. */
int cval_int(const char *s, long min, long max, long *out);
/* `UNLIMITED` (any case) gives LIMIT_UNLIMITED, else an integer >= 1. */
int cval_limit(const char *s, int *out);
/* yes/no, true/false, on/off (any case), like libconfuse's own booleans. */
int cval_bool(const char *s, bool *out);
/* A non-negative decimal number ("1.5"). */
int cval_float(const char *s, double *out);

enum cval_addr { CVAL_ADDR_OK, CVAL_ADDR_HOST, CVAL_ADDR_BAD };
/* One only_from / no_access entry: an address or CIDR block of either family
 * (::ffff:a.b.c.d becomes IPv4). CVAL_ADDR_HOST when s looks like a host
 * name, which the caller resolves. *host_bits is set when the address had
 * bits beyond the prefix (they are cleared). */
enum cval_addr cval_addr_rule(const char *s, struct addr_rule *r, bool *host_bits);
/* A numeric address to bind (an IPv6 scope "%eth0" is allowed); the port
 * is left 0. ::ffff:a.b.c.d becomes IPv4. "unix:/path" is an AF_UNIX
 * address (absolute, shorter than sun_path). */
int cval_bind_addr(const char *s, struct sockaddr_storage *ss);
/* An IPv4-mapped IPv6 address (::ffff:a.b.c.d) made IPv4 in place, port
 * kept: the form the configuration holds addresses in. */
void cval_sockaddr_unmap(struct sockaddr_storage *ss);
/* The address of ss as text, "[v6]" bracketed when bracket is set;
 * "unix:/path" for a unix socket. */
const char *cval_sockaddr_str(const struct sockaddr_storage *ss, bool bracket,
			      char *buf, size_t len);

/* ISO 8601: 2026-12-01, 2026-12-01T18:00[:00] with Z, +HH:MM, -HH:MM or no
 * zone (local time). */
int cval_time(const char *s, time_t *out);
/* HH:MM-HH:MM */
int cval_time_window(const char *s, struct time_window *w);
/* A number, "unlimited", or with sized a K/M/G suffix (powers of 1024). */
int cval_rlimit(const char *s, bool sized, rlim_t *out);
/* Octal, 0 to 0777. */
int cval_umask(const char *s, mode_t *out);
/* syslog facility name ("daemon", "local3"): LOG_* value, or -1. */
int cval_facility(const char *s);
/* An environment variable name: [A-Za-z_][A-Za-z0-9_]* */
bool cval_env_name(const char *s, size_t len);

/* access: who may connect, when, and how often. Pure policy: no sockets and
 * no processes; the daemon hands in the remote address, the local time, the
 * monotonic clock and the load average, and keeps the state this module
 * updates in its per-service runtime. */

/* Why a connection was not served: counted per service (service_rt.refused)
 * and logged under log_on_failure with access_refusal_name(). */
enum refusal {
	REFUSED_NONE,
	REFUSED_ACCESS,		/* only_from / no_access */
	REFUSED_TIME,		/* outside access_times */
	REFUSED_INSTANCES,	/* instances reached */
	REFUSED_PER_SOURCE,	/* per_source reached */
	REFUSED_CPS,		/* connection rate: the service pauses */
	REFUSED_LOAD,		/* max_load */
	REFUSED_CHILDREN,	/* daemon-wide max_children */
	REFUSED_SPAWN,		/* the handler could not be started (the daemon's own) */
	REFUSED_USER,		/* allow_users / allow_groups (unix sockets) */
	REFUSED_RATE,		/* `rate`: the service's bucket is empty */
	REFUSED_SOURCE_RATE,	/* `per_source_rate`: the source's bucket is empty */
	REFUSED_COUNT
};

/* The refusal's name in logs and status ("access", "per_source"...). */
const char *access_refusal_name(enum refusal r);

/* A remote address in canonical form: IPv4-mapped IPv6 is IPv4, unused bytes
 * are zero, so that two equal addresses compare equal with memcmp. */
struct access_addr {
	uint8_t family;		/* AF_INET or AF_INET6 */
	uint8_t addr[16];	/* network byte order; IPv4 uses the first 4 */
};

/* 0, or -1 for a family other than AF_INET/AF_INET6 (AF_UNIX peers). */
int access_addr_from_sockaddr(const struct sockaddr *sa, socklen_t len,
			      struct access_addr *out);
/* The longest prefix of a rule in l that contains a, or -1 for none. */
int access_list_match(const struct addr_list *l, const struct access_addr *a);
/* only_from / no_access with xinetd's semantics (see portier.conf(5)). */
bool access_address_allowed(const struct service *svc, const struct access_addr *a);
/* access_times against a broken-down local time; no windows: always. */
bool access_time_allowed(const struct service *svc, const struct tm *tm);

/* Events counted in fixed windows: the cps limit and the loop guard. */
struct access_rate {
	uint64_t start;		/* monotonic ms at which the window opened */
	unsigned count;
};

/* Counts one event at now_ms. True when it is more than limit in the current
 * window of window_ms; the window then starts over. */
bool access_rate_hit(struct access_rate *r, unsigned limit, uint64_t window_ms,
		     uint64_t now_ms);

/* Concurrent connections per remote address: a hash table keyed with a
 * random SipHash key (addresses are chosen by the peer), O(1) per update,
 * an entry exists only while its count is above zero. */
struct access_sources;

struct access_sources *access_sources_new(void);
void access_sources_free(struct access_sources *t);
unsigned access_sources_get(const struct access_sources *t, const struct access_addr *a);
/* The new count, or -1 when out of memory (nothing changed). */
int access_sources_inc(struct access_sources *t, const struct access_addr *a);
void access_sources_dec(struct access_sources *t, const struct access_addr *a);
size_t access_sources_size(const struct access_sources *t);	/* addresses */

/* A token bucket on the monotonic clock: it holds up to `burst` tokens,
 * gains rate_milli thousandths of a token per second, and a connection
 * takes one. Kept in millionths of a token, so that any rate from 0.001 to
 * 1,000,000 a second refills by exact integer steps every millisecond. */
struct access_bucket {
	uint64_t tokens;	/* millionths */
	uint64_t last_ms;	/* monotonic ms of the last refill */
	bool primed;		/* used once: a new bucket starts full */
};

/* Milliseconds until b holds a token at now_ms (0: it holds one now). */
uint64_t access_bucket_wait(struct access_bucket *b, int rate_milli, int burst,
			    uint64_t now_ms);
/* Takes a token: true, or false when b holds none (nothing taken). */
bool access_bucket_take(struct access_bucket *b, int rate_milli, int burst, uint64_t now_ms);

/* The per-source buckets of per_source_rate: keyed by the source's /32
 * (IPv4) or /64 (IPv6: one host's addresses), with the random-keyed hash
 * of the per-source table, at most max entries: a new source evicts the
 * one seen least recently (which comes back, if ever, with a full bucket). */
struct access_rate_table;

struct access_rate_table *access_rate_table_new(size_t max);
void access_rate_table_free(struct access_rate_table *t);
/* a's bucket (made full when new), now the most recently seen; NULL only
 * when out of memory with nothing to evict. Valid until the next call. */
struct access_bucket *access_rate_table_get(struct access_rate_table *t,
					    const struct access_addr *a);
size_t access_rate_table_size(const struct access_rate_table *t);

/* One connection asking to be handled. */
struct access_request {
	const struct access_addr *addr;	/* NULL: not known (skips address checks) */
	const struct tm *local;		/* NULL: skip access_times */
	uint64_t now_ms;		/* monotonic */
	double load;			/* 1-minute load average; < 0: unknown */
	unsigned running;		/* handlers of this service now */
	unsigned children;		/* handlers of every service now */
	int max_children;		/* LIMIT_UNLIMITED or > 0 */
	struct access_bucket *source_rate;	/* the source's; NULL: skip per_source_rate */
	struct access_bucket *rate;	/* the service's; NULL: skip rate */
};

/* REFUSED_NONE or why not. Every check in a fixed order: address, time,
 * children, instances, per_source, load, per_source_rate, rate, then cps,
 * which counts the connections that passed the others (handler starts).
 * The buckets lose the token of an admitted connection only (a source held
 * back spends none of the service's); the cps state changes too; the caller
 * counts the source with access_sources_inc() once the handler runs. */
enum refusal access_admit(const struct service *svc, struct access_sources *sources,
				struct access_rate *cps, const struct access_request *rq);

/* The first field of /proc/loadavg. 0, or -1 when buf does not start with one. */
int access_parse_loadavg(const char *buf, double *load1);

/* StrictModes: when running as root, path and every directory above it must
 * be owned by root and not writable by group or others (a root-owned sticky
 * directory like /tmp is fine). 0, or -1 with the reason and the fix in err. */
int access_secure_path(const char *path, char *err, size_t errlen);
/* The same for a directory, then for every *.conf in it (a symbolic link
 * that leads nowhere is left to the loader, which reads nothing from it). */
int access_secure_dir(const char *dir, char *err, size_t errlen);
/* What portierd checks as root unless --insecure-config: the directory of
 * conf.d (realpath'd, as the daemon holds it) and every registry. */
int access_secure_config(const char *dir, const char *const *registries, size_t n,
			 char *err, size_t errlen);

#endif
