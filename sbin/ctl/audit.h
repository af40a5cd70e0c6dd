/* SPDX-License-Identifier: ISC */
/* audit: portierctl audit's modules, private to sbin/ctl.
 * audit_diag.c reads the kernel's sockets (sock_diag netlink, else
 * /proc/net), audit_proc.c finds the processes that hold them,
 * audit_find.c turns sockets and the configuration into findings,
 * audit_out.c prints them, ctl_audit.c is the command. */
#ifndef PORTIER_AUDIT_H
#define PORTIER_AUDIT_H

#include <net/if.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <time.h>

/* The processes a socket's table line names; more are counted only. */
#define AUDIT_MAX_PIDS 4

/* "unix:" and a sun_path; audit_addr_str's buffers. */
#define AUDIT_ADDR_MAX 120

/* One listening TCP, bound UDP or listening unix stream socket. */
struct audit_sock {
	int family;		/* AF_INET, AF_INET6 or AF_UNIX */
	int protocol;		/* IPPROTO_TCP, IPPROTO_UDP; 0 for AF_UNIX */
	uint8_t addr[16];	/* network byte order */
	unsigned port;		/* 0 for AF_UNIX */
	char path[110];		/* AF_UNIX: the path; "@name" when abstract */
	uint64_t inode;
	uid_t uid;		/* the socket's owner, as the kernel says */
	unsigned ifindex;	/* SO_BINDTODEVICE's interface (idiag_if), 0: none */
	char ifname[IF_NAMESIZE];	/* its name ("if7" when gone), "" when none */

	/* audit_proc.c */
	pid_t pids[AUDIT_MAX_PIDS];
	unsigned npids;		/* every holder, even beyond AUDIT_MAX_PIDS */
	char command[32];	/* the first holder's comm ("" when none found) */
	char user[32];		/* the first holder's user name or uid */

	/* audit_find.c */
	bool portier;		/* held by portierd */
	const char *reg_name;	/* the registry's name for port/protocol, or NULL */
	const char *service;	/* portier's service id, or NULL */
	const char *state;	/* its state, or NULL */
	time_t until;		/* open --for until, or 0 */
	time_t expires;		/* the service's expires, or 0 */
};

struct audit_socks {
	struct audit_sock *v;
	size_t count, cap;
	const char *source;	/* "netlink" or "proc" */
};

/* audit_diag.c */
/* Every listening TCP and unconnected UDP socket of both families, and
 * every listening unix stream socket with a name, into s: sock_diag
 * netlink, or /proc/net/{tcp,tcp6,udp,udp6,unix} when netlink is refused.
 * 0, or -1 with errno. */
int audit_read_sockets(struct audit_socks *s);
void audit_socks_free(struct audit_socks *s);
/* One netlink datagram of a SOCK_DIAG_BY_FAMILY dump for protocol
 * (IPPROTO_TCP/UDP): its sockets go to s. 1 when the dump is done, 0 when
 * more follow, -1 on an error message (errno from it) or a malformed reply
 * (EBADMSG), or out of memory. */
int audit_diag_parse(const void *buf, size_t len, int protocol, struct audit_socks *s);
/* The same for an AF_UNIX dump (struct unix_diag_msg and its
 * UNIX_DIAG_NAME, UNIX_DIAG_UID): unnamed sockets are skipped. */
int audit_unix_parse(const void *buf, size_t len, struct audit_socks *s);
/* /proc/net/unix's text: its listening stream sockets with a name. 0, or
 * -1 when out of memory. */
int audit_procunix_parse(const char *text, struct audit_socks *s);
/* One /proc/net/{tcp,udp}[6] file's text; family AF_INET or AF_INET6. 0,
 * or -1 when out of memory. Lines that do not parse are skipped. */
int audit_procnet_parse(const char *text, int family, int protocol, struct audit_socks *s);
/* "127.0.0.1", "::", "unix:/run/x" */
const char *audit_addr_str(const struct audit_sock *k, char *buf, size_t len);
/* "tcp", "udp", "unix" (protocol 0) */
const char *audit_proto_name(int protocol);

/* audit_proc.c */
/* Fills pids, npids, command and user of every socket from /proc/PID/fd.
 * Sorts s by inode. Processes we may not look into stay unknown. */
void audit_find_owners(struct audit_socks *s);

/* audit_find.c */
enum audit_severity { AUDIT_INFO, AUDIT_WARNING, AUDIT_CRITICAL };

struct audit_finding {
	enum audit_severity severity;
	const char *code;	/* "unregistered", "registered", ... (portierctl(8)) */
	int protocol;		/* 0 when not about one socket */
	unsigned port;
	const struct audit_sock *sock;	/* NULL when not about one socket */
	const char *service;	/* NULL when not about a portier service */
	char *text;
	char *fix;
};

/* What portierd said about one service (status), or what conf.d implies
 * when portierd is not running. */
struct audit_state {
	const char *id;
	const char *state;	/* "listening", "open", "unbound", ... */
	time_t until;
	const char *last_error;	/* NULL when none */
};

struct audit_findings {
	struct audit_finding *v;
	size_t count, cap;
	size_t by_severity[3];
};

struct config;
struct registry;
struct service;

/* The input of the findings: plain data. */
struct audit_input {
	struct audit_socks *socks;
	const struct config *cfg;	/* NULL: no valid conf.d */
	const struct registry *reg;	/* NULL: no registry */
	const struct audit_state *states;	/* portierd's status, NULL when not running */
	size_t nstates;
	pid_t daemon_pid;		/* 0 when not running */
	time_t now;
};

/* Marks portier's sockets, names every socket, and adds every finding
 * (sorted, most severe first). 0, or -1 when out of memory. */
int audit_findings(const struct audit_input *in, struct audit_findings *f);
void audit_findings_free(struct audit_findings *f);
const char *audit_severity_name(enum audit_severity s);
/* "info", "warning", "critical": 0, or -1. */
int audit_severity_parse(const char *s, enum audit_severity *out);

/* audit_out.c */
struct audit_report {
	const struct audit_input *in;
	const struct audit_findings *f;
	const char *confdir;
	bool daemon;		/* portierd answered */
	const char *note;	/* why the audit is partial, or NULL */
	enum audit_severity fail_on;
	bool failed;
};

/* The table, fitted to width columns, then the findings. */
void audit_print_table(const struct audit_report *r, int width);
/* The JSON document (portierctl(8)); -1 when out of memory. */
int audit_print_json(const struct audit_report *r);
/* The terminal's width: TIOCGWINSZ on stdout, else $COLUMNS, else 80. */
int audit_term_width(void);

#endif
