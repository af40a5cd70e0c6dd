/* SPDX-License-Identifier: ISC */
/* builtin_proto: wire formats and policies of the internal services. */
#include "autoconf.h"

#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "builtin/builtin.h"

static const char *const kind_names[] = {
	[BUILTIN_NONE] = "none",
	[BUILTIN_ECHO] = "echo",
	[BUILTIN_DISCARD] = "discard",
	[BUILTIN_DAYTIME] = "daytime",
	[BUILTIN_CHARGEN] = "chargen",
	[BUILTIN_TIME] = "time",
	[BUILTIN_TCPMUX] = "tcpmux",
};

enum builtin_kind
builtin_kind(const char *name)
{
	for (size_t i = BUILTIN_ECHO; i < sizeof(kind_names) / sizeof(kind_names[0]); i++)
		if (strcmp(name, kind_names[i]) == 0)
			return (enum builtin_kind)i;
	return BUILTIN_NONE;
}

const char *
builtin_kind_name(enum builtin_kind k)
{
	return (size_t)k < sizeof(kind_names) / sizeof(kind_names[0]) ? kind_names[k]
								     : kind_names[BUILTIN_NONE];
}

/* Two periods back to back: any window of one period starting inside the
 * first copy is contiguous. Built on first use; 14 KiB, shared by every
 * chargen connection, which therefore needs no buffer of its own. */
static char chargen_ring[2 * BUILTIN_CHARGEN_PERIOD];
static bool chargen_ready;

static void
chargen_build(void)
{
	size_t line, col, o = 0;

	for (line = 0; line < BUILTIN_CHARGEN_LINES; line++) {
		for (col = 0; col < BUILTIN_CHARGEN_LINE; col++)
			chargen_ring[o++] = (char)(' ' + (line + col) % 95);
		chargen_ring[o++] = '\r';
		chargen_ring[o++] = '\n';
	}
	memcpy(chargen_ring + BUILTIN_CHARGEN_PERIOD, chargen_ring, BUILTIN_CHARGEN_PERIOD);
	chargen_ready = true;
}

const char *
builtin_chargen_at(size_t pos)
{
	if (!chargen_ready)
		chargen_build();
	return chargen_ring + pos % BUILTIN_CHARGEN_PERIOD;
}

/* Names spelled out here rather than by strftime's %A/%B, which follow
 * LC_TIME: the wire format must not change with the daemon's locale. */
static const char *const weekdays[] = {
	"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday",
};
static const char *const months[] = {
	"January", "February", "March", "April", "May", "June", "July",
	"August", "September", "October", "November", "December",
};

size_t
builtin_daytime(time_t t, char *buf, size_t len)
{
	struct tm tm;
	int n;

	if (!localtime_r(&t, &tm) || tm.tm_wday < 0 || tm.tm_wday > 6 ||
	    tm.tm_mon < 0 || tm.tm_mon > 11)
		return 0;
	n = snprintf(buf, len, "%s, %s %02d, %04d %02d:%02d:%02d-%s\r\n",
		     weekdays[tm.tm_wday], months[tm.tm_mon], tm.tm_mday,
		     tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec,
		     tm.tm_zone ? tm.tm_zone : "UTC");
	return n < 0 || (size_t)n >= len ? 0 : (size_t)n;
}

uint32_t
builtin_time_value(time_t t)
{
	return (uint32_t)((uint64_t)t + BUILTIN_TIME_OFFSET);
}

void
builtin_time_wire(time_t t, unsigned char out[4])
{
	uint32_t v = htonl(builtin_time_value(t));

	memcpy(out, &v, sizeof(v));
}

bool
builtin_udp_port_ok(enum builtin_kind k, unsigned src_port)
{
	switch (src_port) {
	case 0:		/* not a real source: nowhere to answer */
	case 7:		/* echo */
	case 9:		/* discard */
	case 13:	/* daytime */
	case 19:	/* chargen */
	case 37:	/* time */
		return false;
	}
	/* echo and chargen answer with as much as (or more than) they get: a
	 * spoofed privileged source port is another service's, never a client's. */
	return src_port >= 1024 || (k != BUILTIN_ECHO && k != BUILTIN_CHARGEN);
}

void
builtin_rl_init(struct builtin_rl *rl, uint32_t rate, uint32_t burst, uint64_t key)
{
	*rl = (struct builtin_rl){ .key = key, .rate = rate, .burst = burst };
	for (size_t i = 0; i < BUILTIN_RL_SLOTS; i++)
		rl->slot[i].tokens = burst * 1000;
}

/* splitmix64's finaliser: every input bit reaches every output bit. */
static uint64_t
mix64(uint64_t x)
{
	x ^= x >> 30;
	x *= 0xbf58476d1ce4e5b9ULL;
	x ^= x >> 27;
	x *= 0x94d049bb133111ebULL;
	x ^= x >> 31;
	return x;
}

size_t
builtin_rl_slot_of(const struct builtin_rl *rl, const struct sockaddr *src)
{
	uint64_t h = rl->key, w[2] = { 0, 0 };
	const void *v4 = NULL;

	if (src->sa_family == AF_INET6) {
		const struct sockaddr_in6 *s6 = (const struct sockaddr_in6 *)src;

		/* An IPv4-mapped source is the same host as the plain IPv4 one. */
		if (IN6_IS_ADDR_V4MAPPED(&s6->sin6_addr))
			v4 = &s6->sin6_addr.s6_addr[12];
		else
			memcpy(w, &s6->sin6_addr, sizeof(w));
	} else if (src->sa_family == AF_INET) {
		v4 = &((const struct sockaddr_in *)src)->sin_addr;
	}
	if (v4)
		memcpy(&w[1], v4, 4);
	h = mix64(h ^ w[0]);
	h = mix64(h ^ w[1]);
	return (size_t)(h % BUILTIN_RL_SLOTS);
}

bool
builtin_rl_allow(struct builtin_rl *rl, const struct sockaddr *src, uint64_t now_ms)
{
	struct builtin_rl_slot *s = &rl->slot[builtin_rl_slot_of(rl, src)];
	uint64_t full = (uint64_t)rl->burst * 1000, t = s->tokens;

	if (now_ms > s->last_ms) {
		/* rate replies per second = rate thousandths per millisecond */
		t += (now_ms - s->last_ms) * rl->rate;
		if (t > full)
			t = full;
		s->last_ms = now_ms;
	}
	bool allow = t >= 1000;

	s->tokens = (uint32_t)(allow ? t - 1000 : t);
	return allow;
}

void
builtin_tcpmux_init(struct tcpmux_req *r)
{
	r->len = 0;
	r->line[0] = '\0';
}

enum tcpmux_parse
builtin_tcpmux_feed(struct tcpmux_req *r, const char *data, size_t n, size_t *used)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)data[i];

		if (r->len >= BUILTIN_TCPMUX_LINE) {
			*used = i;
			return TCPMUX_TOO_LONG;
		}
		r->line[r->len++] = (char)c;
		if (c == '\n') {
			*used = i + 1;
			r->len--;
			if (r->len > 0 && r->line[r->len - 1] == '\r')
				r->len--;
			r->line[r->len] = '\0';
			return r->len == 0 ? TCPMUX_BAD : TCPMUX_LINE;
		}
		/* CR is allowed only just before LF: checked when LF comes, or here
		 * when anything else follows it. */
		if ((c < 0x20 && c != '\r') || c == 0x7f ||
		    (r->len >= 2 && r->line[r->len - 2] == '\r')) {
			*used = i + 1;
			return TCPMUX_BAD;
		}
	}
	*used = n;
	return r->len >= BUILTIN_TCPMUX_LINE ? TCPMUX_TOO_LONG : TCPMUX_MORE;
}

bool
builtin_tcpmux_is_help(const char *name)
{
	return strcasecmp(name, "help") == 0;
}
