/* SPDX-License-Identifier: ISC */
/* builtin: the internal services (RFC 862-868) and tcpmux (RFC 1078).
 * The folder's interface: one section per module, each opening with what
 * the module is for. */
#ifndef PORTIER_BUILTIN_H
#define PORTIER_BUILTIN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <netinet/in.h>
#include <sys/queue.h>
#include <sys/socket.h>
#include <time.h>

/* builtin_proto: the wire formats and policies of the internal services
 * (RFC 862 echo, 863 discard, 864 chargen, 867 daytime, 868 time, 1078
 * tcpmux). Pure: no sockets, no processes, no allocation after init, so the
 * unit tests drive every function with plain data. builtin.c and tcpmux.c do
 * the serving. */

enum builtin_kind {
	BUILTIN_NONE,
	BUILTIN_ECHO,
	BUILTIN_DISCARD,
	BUILTIN_DAYTIME,
	BUILTIN_CHARGEN,
	BUILTIN_TIME,
	BUILTIN_TCPMUX,
};

/* "echo" -> BUILTIN_ECHO …; BUILTIN_NONE for anything else. */
enum builtin_kind builtin_kind(const char *name);
const char *builtin_kind_name(enum builtin_kind k);

/* chargen (RFC 864): 95 lines of 72 printable characters plus CR LF, line n
 * starting at printable character n mod 95 (character 0 is the space). The
 * stream repeats every BUILTIN_CHARGEN_PERIOD octets. */
#define BUILTIN_CHARGEN_LINE	72
#define BUILTIN_CHARGEN_LINES	95
#define BUILTIN_CHARGEN_PERIOD	(BUILTIN_CHARGEN_LINES * (BUILTIN_CHARGEN_LINE + 2))

/* The octets of the stream from offset pos (0 <= pos < PERIOD); at least
 * BUILTIN_CHARGEN_PERIOD of them are contiguous, so a sender can hand any
 * window of one period to send() without copying. */
const char *builtin_chargen_at(size_t pos);

/* daytime (RFC 867): "Weekday, Month DD, YYYY HH:MM:SS-ZONE\r\n" in the
 * host's local time, English names, ZONE the zone's abbreviation. Returns
 * the length written (without NUL), 0 when buf is too small. */
#define BUILTIN_DAYTIME_MAX	64
size_t builtin_daytime(time_t t, char *buf, size_t len);

/* time (RFC 868): seconds since 1900-01-01 00:00 UTC, truncated to 32 bits,
 * and its 4-octet big-endian wire form. */
#define BUILTIN_TIME_OFFSET	2208988800ULL
uint32_t builtin_time_value(time_t t);
void builtin_time_wire(time_t t, unsigned char out[4]);

/* UDP loop prevention: false when a request from src_port must be dropped
 * unanswered (a reply would go to another small service, or to a privileged
 * port for the amplifying echo and chargen). */
bool builtin_udp_port_ok(enum builtin_kind k, unsigned src_port);

/* Per-source reply rate limit: a token bucket per hash slot of the source
 * address (port ignored). Sources that share a slot share its budget, so
 * memory is fixed, every check is O(1), and no flood of new sources can
 * reset a victim's bucket by evicting it. */
#define BUILTIN_RL_SLOTS	1024
struct builtin_rl_slot {
	uint64_t last_ms;	/* when tokens was last brought up to date */
	uint32_t tokens;	/* in thousandths of a reply */
};

struct builtin_rl {
	uint64_t key;		/* hash key, random unless a test fixes it */
	uint32_t rate;		/* replies per second */
	uint32_t burst;		/* bucket size in replies */
	struct builtin_rl_slot slot[BUILTIN_RL_SLOTS];
};

void builtin_rl_init(struct builtin_rl *rl, uint32_t rate, uint32_t burst, uint64_t key);
/* True (and one token spent) when src may get a reply at now_ms. */
bool builtin_rl_allow(struct builtin_rl *rl, const struct sockaddr *src, uint64_t now_ms);
/* The slot src maps to (tests use it to find colliding addresses). */
size_t builtin_rl_slot_of(const struct builtin_rl *rl, const struct sockaddr *src);

/* tcpmux (RFC 1078) request line: the service name then CR LF (a bare LF is
 * accepted too), at most BUILTIN_TCPMUX_LINE octets including the line end. */
#define BUILTIN_TCPMUX_LINE	256

enum tcpmux_parse {
	TCPMUX_MORE,		/* no line end yet: feed more */
	TCPMUX_LINE,		/* a complete line: the name is in the parser */
	TCPMUX_TOO_LONG,	/* no line end within the bound */
	TCPMUX_BAD,		/* a control character or an empty name */
};

struct tcpmux_req {
	size_t len;				/* octets kept so far */
	char line[BUILTIN_TCPMUX_LINE + 1];	/* NUL-terminated name once parsed */
};

void builtin_tcpmux_init(struct tcpmux_req *r);
/* Scans n new octets; *used is how many of them belong to the request line
 * (the rest, after the line end, are the handler's and must not be read). */
enum tcpmux_parse builtin_tcpmux_feed(struct tcpmux_req *r, const char *data,
				      size_t n, size_t *used);
/* "help" in any case (RFC 1078: names are matched case-insensitively). */
bool builtin_tcpmux_is_help(const char *name);

/* pktinfo: on a socket bound to a wildcard address, the reply to a datagram
 * leaves from the address the datagram was sent to, so that a client on a
 * host with several addresses recognises it. The request is read with
 * IP_PKTINFO or IPV6_RECVPKTINFO on (listener.c sets them); the reply's
 * control data names its source. Pure: plain buffers in and out. */

/* Room for the control data of a request or a reply: one pktinfo, either
 * family. */
#define PKTINFO_SPACE	CMSG_SPACE(sizeof(struct in6_pktinfo))

/* Writes into ctl (len octets) the control data of the reply to req, a
 * message received with recvmsg(): an IP_PKTINFO whose ipi_spec_dst is the
 * local address the request reached, or an IPV6_PKTINFO with that address
 * (and, for a link-local one, its interface). Returns its length, 0 when
 * req carries no usable pktinfo (a bound socket, a multicast request, a
 * truncated control area): the kernel then chooses, as for sendto(). */
size_t pktinfo_reply(const struct msghdr *req, void *ctl, size_t len);

/* builtin: echo, discard, daytime, chargen and time served inside portierd,
 * in the event loop, without forking. The wire formats are builtin_proto's;
 * this module owns the connections and the UDP replies. Admission (access
 * lists, instances, per_source, cps) happens before a connection gets here. */

struct service;

/* Every internal TCP connection together (pending tcpmux requests included):
 * at 16 KiB of echo buffer each this bounds the daemon's memory for them to
 * about 32 MiB, whatever the services' instances say. */
#define BUILTIN_MAX_CONNS	2048
/* Echo's buffer per connection: echo stops reading while it is full. */
#define BUILTIN_ECHO_BUF	(16 * 1024)
/* UDP replies per source address per second, and the burst allowed. */
#define BUILTIN_UDP_RATE	50
#define BUILTIN_UDP_BURST	100
/* Datagrams handled per readiness event, so one busy service cannot starve
 * the rest of the loop. */
#define BUILTIN_UDP_BATCH	64
/* chargen over UDP: a reply of a random length 0..512 (RFC 864). */
#define BUILTIN_CHARGEN_UDP_MAX	512

/* Called once when a connection that builtin_tcp_start() took ends, never
 * from inside builtin_tcp_start() itself. */
typedef void (*builtin_done_fn)(void *arg);

enum builtin_start {
	BUILTIN_STARTED,	/* running in the loop; done(arg) follows at its end */
	BUILTIN_FINISHED,	/* answered and closed at once (daytime, time, or an
				 * echo or discard whose client had already said all) */
	BUILTIN_REFUSED,	/* not served (no such service, over the limit): fd closed */
};

/* Serves the accepted, non-blocking TCP socket fd for the internal service
 * svc. The fd is builtin's from now on, whatever the result. Nothing of svc
 * is kept, so a reload may free it while the connection runs. */
enum builtin_start builtin_tcp_start(const struct service *svc, int fd,
				     builtin_done_fn done, void *arg);
/* True when there is room for one more; else closes fd (and says so in the
 * log at most once a minute). */
bool builtin_tcp_room(const struct service *svc, int fd);

/* Decides whether src may be answered (access lists and the like). */
enum builtin_admit {
	BUILTIN_ADMIT,		/* answer it */
	BUILTIN_DENY,		/* no reply to this one */
	BUILTIN_DENY_STOP,	/* no reply, and read no more now (the service paused) */
};
typedef enum builtin_admit (*builtin_admit_fn)(const struct service *svc,
					       const struct sockaddr *src,
					       socklen_t srclen, void *arg);

/* Whether src is an address and port the daemon itself serves over UDP
 * (a reply would start a loop between two of its services). */
typedef bool (*builtin_own_fn)(const struct sockaddr *src);

/* The UDP socket fd of internal service svc is readable: answers up to
 * BUILTIN_UDP_BATCH datagrams. Requests from a loop-prone source port or
 * from an address own says is the daemon's are dropped before
 * they spend the per-source rate; those over the rate are dropped before
 * admit is asked; those admit refuses get no reply either. */
void builtin_udp_serve(const struct service *svc, int fd, builtin_own_fn own,
		       builtin_admit_fn admit, void *arg);

/* Every open internal connection, builtin.c's and tcpmux.c's, is on one
 * list: it counts against BUILTIN_MAX_CONNS, and shutdown closes them all
 * through close(), which must unlink it. */
struct builtin_link {
	LIST_ENTRY(builtin_link) entry;
	void (*close)(struct builtin_link *l);
};

void builtin_link_add(struct builtin_link *l, void (*close)(struct builtin_link *l));
void builtin_link_del(struct builtin_link *l);

/* Closes every connection (shutdown); done() is called for each. */
void builtin_close_all(void);

/* tcpmux: the RFC 1078 multiplexer, in the event loop. A client sends a
 * service name and CR LF; "help" lists the names, an unknown name gets "-"
 * and a reason, a known one gets "+Go" and then its handler, which the daemon
 * starts exactly as it starts a nowait stream handler of that service. */

/* The request line must arrive within the tcpmux service's idle_timeout,
 * and never later than this. */
#define TCPMUX_TIMEOUT_MAX_MS	(30 * 1000)

/* What the daemon does for tcpmux once a name is matched. */
struct tcpmux_ops {
	/* Whether svc, found in the index, is served now (not disabled,
	 * expired or skipped since the index was built): help lists only
	 * those, and a request for another one gets "-Service not available". */
	bool (*serving)(const struct service *svc, void *arg);
	/* The target service's own admission (access lists, instances,
	 * per_source, cps): NULL when admitted, else the reason the client
	 * reads after "-". */
	const char *(*admit)(const struct service *svc, int fd, const struct sockaddr *peer,
			     socklen_t peerlen, void *arg);
	/* Starts svc's handler on fd (the "+Go" is already sent); fd is the
	 * callee's from now on. */
	void (*spawn)(const struct service *svc, int fd, const struct sockaddr *peer,
		      socklen_t peerlen, void *arg);
	/* The tcpmux connection ended (handed over or closed): like
	 * builtin_done_fn, never called from inside tcpmux_start(). */
	void (*done)(void *arg);
};

/* Indexes the services reachable through tcpmux (tcpmux = yes) by name,
 * case-insensitively; called after every (re)load. Those disabled in their
 * files are indexed too, as portierctl enable may serve them until the next
 * reload; ops->serving() says which are served now. svcs must stay alive
 * until the next call or tcpmux_index_free(). Returns -1 when out of memory
 * (the old index is kept). */
int tcpmux_index(const struct service *svcs, size_t count);
void tcpmux_index_free(void);
/* The service named name (any case) that ops->serving() accepts, or NULL.
 * Only the enabled services' names are unique (config_check), so a disabled
 * service may share its name with one that is served. */
const struct service *tcpmux_lookup(const char *name, const struct tcpmux_ops *ops,
				    void *arg);
size_t tcpmux_count(void);

/* Serves an accepted connection to the tcpmux service svc. fd is tcpmux's
 * from now on. Returns false when refused at once (out of memory, or
 * BUILTIN_MAX_CONNS internal connections open; fd closed, done not
 * called). builtin_close_all() closes pending requests too. */
bool tcpmux_start(const struct service *svc, int fd, const struct sockaddr *peer,
		  socklen_t peerlen, const struct tcpmux_ops *ops, void *arg);

#endif
