/* builtin_proto: the wire formats and policies of the internal services
 * (RFC 862 echo, 863 discard, 864 chargen, 867 daytime, 868 time, 1078
 * tcpmux). Pure: no sockets, no processes, no allocation after init, so the
 * unit tests drive every function with plain data. builtin.c and tcpmux.c do
 * the serving. */
#ifndef PORTIER_BUILTIN_PROTO_H
#define PORTIER_BUILTIN_PROTO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>
#include <time.h>

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

#endif
