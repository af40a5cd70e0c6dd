/* config: conf.d (libconfuse) to plain data. config_load() parses and
 * validates every file and returns structs that hold no libconfuse state, no
 * sockets and no processes; config_free() releases them. */
#ifndef PORTIER_CONFIG_H
#define PORTIER_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <time.h>

#include "base/diag.h"
#include "base/log.h"
#include "config/registry.h"

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
	enum activation activation;
	int idle_timeout;	/* seconds, internal TCP services */
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
};

struct config {
	struct daemon_settings settings;
	struct service *services;	/* in file then declaration order */
	size_t count;
	size_t *by_id;			/* indexes into services, sorted by id */
};

enum {
	CONFIG_STRICT = 1 << 0,		/* unused for now: config errors are always errors */
	/* Skips every check that depends on the host, for configurations
	 * meant for another machine (convert, tests): that server, chroot and
	 * banners exist, that users and groups exist (an unknown one leaves
	 * uid/gid at -1), and the not-root rule below. A host name in
	 * only_from/no_access that does not resolve is a warning instead of
	 * an error. Syntax and values are still checked. */
	CONFIG_NO_FS_CHECKS = 1 << 1,
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

const struct service *config_find(const struct config *cfg, const char *id);
/* "telnet 23/tcp stream nowait user=telnetd /usr/sbin/in.telnetd -h";
 * like snprintf: returns the length the whole line needs. */
int config_describe(const struct service *svc, char *buf, size_t len);

/* config_verify.c: load the registries (strictly) and dir as portierd would,
 * print every problem to stderr and each enabled service to stdout. 0 when
 * the configuration is valid, 1 otherwise (`portierctl check`, `portierd
 * --check`). */
int config_verify(const char *dir, const char *const *registries, size_t nregistries);

#endif
