/* SPDX-License-Identifier: ISC */
/* config_value: value syntaxes of portier.conf, see config_value.h */
#include "autoconf.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/un.h>
#include <strings.h>
#include <syslog.h>

#include "config/config.h"

int
cval_int(const char *s, long min, long max, long *out)
{
	char *end;
	long v;

	/* strtol would skip leading blanks and take "0x10": neither is a
	 * decimal number as the manual page promises. */
	if (!s || !(isdigit((unsigned char)s[0]) ||
		    ((s[0] == '-' || s[0] == '+') && isdigit((unsigned char)s[1]))))
		return -1;
	errno = 0;
	v = strtol(s, &end, 10);
	if (*end || errno == ERANGE || v < min || v > max)
		return -1;
	*out = v;
	return 0;
}

int
cval_limit(const char *s, int *out)
{
	long v;

	if (s && !strcasecmp(s, "unlimited")) {
		*out = LIMIT_UNLIMITED;
		return 0;
	}
	if (cval_int(s, 1, INT_MAX, &v) < 0)
		return -1;
	*out = (int)v;
	return 0;
}

int
cval_bool(const char *s, bool *out)
{
	static const char *const yes[] = { "yes", "true", "on" };
	static const char *const no[] = { "no", "false", "off" };

	for (size_t i = 0; i < 3; i++) {
		if (!strcasecmp(s, yes[i])) {
			*out = true;
			return 0;
		}
		if (!strcasecmp(s, no[i])) {
			*out = false;
			return 0;
		}
	}
	return -1;
}

int
cval_float(const char *s, double *out)
{
	char *end;
	double v;

	if (!isdigit((unsigned char)s[0]))
		return -1;
	errno = 0;
	v = strtod(s, &end);
	if (*end || errno == ERANGE || v < 0)
		return -1;
	*out = v;
	return 0;
}

static void
mask_prefix(struct addr_rule *r, bool *host_bits)
{
	int bytes = r->family == AF_INET ? 4 : 16;

	*host_bits = false;
	for (int i = 0; i < bytes; i++) {
		int keep = r->prefix - 8 * i;
		uint8_t m = keep >= 8 ? 0xff : keep <= 0 ? 0 : (uint8_t)(0xff << (8 - keep));

		if (r->addr[i] & ~m)
			*host_bits = true;
		r->addr[i] &= m;
	}
}

/* A host name as RFC 1123 allows it, with at least one letter so that a
 * mistyped address ("10.0.0.300") is not sent to the resolver. */
static bool
looks_like_host(const char *s)
{
	bool letter = false;

	if (!*s || strlen(s) > 253 || *s == '.' || *s == '-')
		return false;
	for (const char *p = s; *p; p++) {
		if (isalpha((unsigned char)*p))
			letter = true;
		else if (!isdigit((unsigned char)*p) && *p != '.' && *p != '-' && *p != '_')
			return false;
	}
	return letter;
}

enum cval_addr
cval_addr_rule(const char *s, struct addr_rule *r, bool *host_bits)
{
	char buf[INET6_ADDRSTRLEN + 8];
	const char *slash = strchr(s, '/');
	size_t alen = slash ? (size_t)(slash - s) : strlen(s);
	long prefix = -1;

	*host_bits = false;
	memset(r, 0, sizeof(*r));
	if (alen >= sizeof(buf))
		return looks_like_host(s) ? CVAL_ADDR_HOST : CVAL_ADDR_BAD;
	memcpy(buf, s, alen);
	buf[alen] = '\0';

	if (inet_pton(AF_INET, buf, r->addr) == 1) {
		r->family = AF_INET;
		r->prefix = 32;
	} else if (inet_pton(AF_INET6, buf, r->addr) == 1) {
		r->family = AF_INET6;
		r->prefix = 128;
	} else {
		return !slash && looks_like_host(s) ? CVAL_ADDR_HOST : CVAL_ADDR_BAD;
	}
	if (slash && (!isdigit((unsigned char)slash[1]) ||	/* "/-0" or "/+8" */
		      cval_int(slash + 1, 0, r->prefix, &prefix) < 0))
		return CVAL_ADDR_BAD;
	if (prefix >= 0)
		r->prefix = (int)prefix;

	if (r->family == AF_INET6 && IN6_IS_ADDR_V4MAPPED((struct in6_addr *)r->addr)) {
		/* Accepted connections on a dual-stack socket carry IPv4 peers
		 * as mapped addresses; the rules hold them as IPv4. */
		if (r->prefix < 96)
			return CVAL_ADDR_BAD;
		memmove(r->addr, r->addr + 12, 4);
		memset(r->addr + 4, 0, 12);
		r->family = AF_INET;
		r->prefix -= 96;
	}
	mask_prefix(r, host_bits);
	return CVAL_ADDR_OK;
}

/* "unix:/path": absolute, and short enough for sun_path with its NUL. */
static int
cval_unix_path(const char *path, struct sockaddr_storage *ss)
{
	struct sockaddr_un *un = (struct sockaddr_un *)ss;
	size_t len = strlen(path);

	if (path[0] != '/' || len >= sizeof(un->sun_path) || path[len - 1] == '/')
		return -1;
	un->sun_family = AF_UNIX;
	memcpy(un->sun_path, path, len + 1);
	return 0;
}

int
cval_bind_addr(const char *s, struct sockaddr_storage *ss)
{
	struct addrinfo hints = {
		.ai_family = AF_INET6, .ai_flags = AI_NUMERICHOST, .ai_socktype = SOCK_STREAM,
	};
	struct sockaddr_in s4 = { .sin_family = AF_INET };
	struct addrinfo *res;

	memset(ss, 0, sizeof(*ss));
	if (!strncmp(s, "unix:", 5))
		return cval_unix_path(s + 5, ss);
	if (!strchr(s, ':')) {
		/* inet_pton, not getaddrinfo: that would take "10.1" too. */
		if (inet_pton(AF_INET, s, &s4.sin_addr) != 1)
			return -1;
		memcpy(ss, &s4, sizeof(s4));
		return 0;
	}
	/* getaddrinfo for the scope: fe80::1%eth0 */
	if (getaddrinfo(s, NULL, &hints, &res) != 0)
		return -1;
	memcpy(ss, res->ai_addr, res->ai_addrlen);
	freeaddrinfo(res);
	cval_sockaddr_unmap(ss);
	return 0;
}

void
cval_sockaddr_unmap(struct sockaddr_storage *ss)
{
	const struct sockaddr_in6 *s6 = (const struct sockaddr_in6 *)ss;
	struct sockaddr_in s4 = { .sin_family = AF_INET };

	if (ss->ss_family != AF_INET6 || !IN6_IS_ADDR_V4MAPPED(&s6->sin6_addr))
		return;
	s4.sin_port = s6->sin6_port;
	memcpy(&s4.sin_addr, s6->sin6_addr.s6_addr + 12, sizeof(s4.sin_addr));
	memset(ss, 0, sizeof(*ss));
	memcpy(ss, &s4, sizeof(s4));
}

const char *
cval_sockaddr_str(const struct sockaddr_storage *ss, bool bracket, char *buf, size_t len)
{
	char a[INET6_ADDRSTRLEN];

	if (ss->ss_family == AF_UNIX) {
		snprintf(buf, len, "unix:%s", ((const struct sockaddr_un *)ss)->sun_path);
		return buf;
	}
	addr_text((const struct sockaddr *)ss, a, sizeof(a));
	snprintf(buf, len, ss->ss_family == AF_INET6 && bracket ? "[%s]" : "%s", a);
	return buf;
}

/* Reads exactly n digits. */
static int
digits(const char **sp, int n)
{
	int v = 0;

	for (int i = 0; i < n; i++, (*sp)++) {
		if (!isdigit((unsigned char)**sp))
			return -1;
		v = v * 10 + (**sp - '0');
	}
	return v;
}

static int
days_in_month(int year, int month)
{
	static const int days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;

	return month == 2 && leap ? 29 : days[month - 1];
}

/* Z, +HH:MM or -HH:MM: seconds east of UTC. -1 when malformed. */
static int
parse_zone(const char *p, long *off)
{
	int sign, h, m;

	if (!strcmp(p, "Z")) {
		*off = 0;
		return 0;
	}
	if (*p != '+' && *p != '-')
		return -1;
	sign = *p++ == '-' ? -1 : 1;
	h = digits(&p, 2);
	if (h < 0 || *p++ != ':')
		return -1;
	m = digits(&p, 2);
	if (m < 0 || *p || h > 23 || m > 59)
		return -1;
	*off = sign * (h * 3600L + m * 60L);
	return 0;
}

int
cval_time(const char *s, time_t *out)
{
	struct tm tm;
	const char *p = s;
	int year, mon, day, hour = 0, min = 0, sec = 0;
	long off = 0;
	bool zone = false;
	time_t t;

	year = digits(&p, 4);
	if (year < 1970 || *p++ != '-' || (mon = digits(&p, 2)) < 1 || mon > 12 ||
	    *p++ != '-' || (day = digits(&p, 2)) < 1 || day > days_in_month(year, mon))
		return -1;
	if (*p == 'T' || *p == ' ') {
		p++;
		if ((hour = digits(&p, 2)) < 0 || hour > 23 || *p++ != ':' ||
		    (min = digits(&p, 2)) < 0 || min > 59)
			return -1;
		if (*p == ':') {
			p++;
			if ((sec = digits(&p, 2)) < 0 || sec > 59)
				return -1;
		}
		if (*p) {
			if (parse_zone(p, &off) < 0)
				return -1;
			zone = true;
		}
	} else if (*p) {
		return -1;
	}
	tm = (struct tm){ .tm_year = year - 1900, .tm_mon = mon - 1, .tm_mday = day,
			  .tm_hour = hour, .tm_min = min, .tm_sec = sec, .tm_isdst = -1 };
	t = zone ? timegm(&tm) - off : mktime(&tm);
	if (t == (time_t)-1)
		return -1;
	*out = t;
	return 0;
}

static int
parse_hhmm(const char **p)
{
	int h, m;

	if (!isdigit((unsigned char)**p))
		return -1;
	h = *(*p)++ - '0';
	if (isdigit((unsigned char)**p))
		h = h * 10 + (*(*p)++ - '0');
	if (*(*p)++ != ':' || (m = digits(p, 2)) < 0 || h > 23 || m > 59)
		return -1;
	return h * 60 + m;
}

int
cval_time_window(const char *s, struct time_window *w)
{
	const char *p = s;
	int a, b;

	if ((a = parse_hhmm(&p)) < 0 || *p++ != '-' || (b = parse_hhmm(&p)) < 0 || *p)
		return -1;
	w->start = a;
	w->end = b;
	return 0;
}

int
cval_rlimit(const char *s, bool sized, rlim_t *out)
{
	unsigned long long v, mult = 1;
	char *end;

	if (!strcasecmp(s, "unlimited")) {
		*out = RLIM_INFINITY;
		return 0;
	}
	if (!isdigit((unsigned char)s[0]))
		return -1;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno == ERANGE)
		return -1;
	if (*end && sized && !end[1]) {
		switch (toupper((unsigned char)*end)) {
		case 'K': mult = 1ULL << 10; break;
		case 'M': mult = 1ULL << 20; break;
		case 'G': mult = 1ULL << 30; break;
		default: return -1;
		}
	} else if (*end) {
		return -1;
	}
	if (v > (unsigned long long)(RLIM_INFINITY - 1) / mult)
		return -1;
	*out = (rlim_t)(v * mult);
	return 0;
}

int
cval_umask(const char *s, mode_t *out)
{
	size_t n = strlen(s);
	unsigned long v;

	if (n == 0 || n > 4 || strspn(s, "01234567") != n)
		return -1;
	v = strtoul(s, NULL, 8);
	if (v > 0777)
		return -1;
	*out = (mode_t)v;
	return 0;
}

int
cval_facility(const char *s)
{
	static const struct { const char *name; int fac; } facs[] = {
		{ "auth", LOG_AUTH }, { "authpriv", LOG_AUTHPRIV }, { "cron", LOG_CRON },
		{ "daemon", LOG_DAEMON }, { "ftp", LOG_FTP }, { "kern", LOG_KERN },
		{ "lpr", LOG_LPR }, { "mail", LOG_MAIL }, { "news", LOG_NEWS },
		{ "syslog", LOG_SYSLOG }, { "user", LOG_USER }, { "uucp", LOG_UUCP },
		{ "local0", LOG_LOCAL0 }, { "local1", LOG_LOCAL1 }, { "local2", LOG_LOCAL2 },
		{ "local3", LOG_LOCAL3 }, { "local4", LOG_LOCAL4 }, { "local5", LOG_LOCAL5 },
		{ "local6", LOG_LOCAL6 }, { "local7", LOG_LOCAL7 },
	};

	for (size_t i = 0; i < sizeof(facs) / sizeof(facs[0]); i++)
		if (!strcasecmp(s, facs[i].name))
			return facs[i].fac;
	return -1;
}

bool
cval_env_name(const char *s, size_t len)
{
	if (len == 0 || isdigit((unsigned char)s[0]))
		return false;
	for (size_t i = 0; i < len; i++)
		if (!isalnum((unsigned char)s[i]) && s[i] != '_')
			return false;
	return true;
}
