/* SPDX-License-Identifier: ISC */
/* convert_value: single xinetd values to portier's spelling: addresses
 * (xinetd's five forms), time windows, sizes and small numbers. */
#include "autoconf.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <netdb.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/config.h"
#include "convert/convert_int.h"

/* "10.1.0.0/16", or just the address for a single host */
static char *
v4_text(uint32_t addr, int prefix)
{
	struct in_addr a;
	char buf[INET_ADDRSTRLEN];

	if (prefix < 32)
		addr &= prefix ? ~0u << (32 - prefix) : 0;
	a.s_addr = htonl(addr);
	inet_ntop(AF_INET, &a, buf, sizeof(buf));
	if (prefix == 32)
		return cv_strdup(buf);
	return cv_printf("%s/%d", buf, prefix);
}

static char *
v6_text(struct in6_addr *a, int prefix)
{
	char buf[INET6_ADDRSTRLEN];

	for (int i = 0; i < 16; i++) {
		int keep = prefix - 8 * i;

		if (keep <= 0)
			a->s6_addr[i] = 0;
		else if (keep < 8)
			a->s6_addr[i] &= 0xff << (8 - keep);
	}
	inet_ntop(AF_INET6, a, buf, sizeof(buf));
	if (prefix == 128)
		return cv_strdup(buf);
	return cv_printf("%s/%d", buf, prefix);
}

/* host, an IPv4 or IPv6 address, as the block of its first bits bits; bits
 * < 0: xinetd's numeric form, an IPv4 address whose rightmost zero bytes
 * are wildcards (10.0.0.0 is 10/8, 0.0.0.0 everything) or one IPv6 address
 * (:: everything). */
static int
push_block(const char *host, int bits, struct cv_strv *out)
{
	if (strchr(host, ':')) {
		struct in6_addr a6;

		if (inet_pton(AF_INET6, host, &a6) != 1)
			return -1;
		if (bits < 0)
			bits = IN6_IS_ADDR_UNSPECIFIED(&a6) ? 0 : 128;
		cv_strv_push_own(out, v6_text(&a6, bits));
		return 0;
	}
	struct in_addr a;

	if (!inet_aton(host, &a))
		return -1;
	uint32_t addr = ntohl(a.s_addr);

	if (bits < 0)
		for (bits = 32; bits > 0 && !(addr & (0xffu << (32 - bits))); bits -= 8)
			;
	cv_strv_push_own(out, v4_text(addr, bits > 32 ? 32 : bits));
	return 0;
}

/* 10.1.0.0/16 or 2001:db8::/32 */
static int
addr_mask(const char *in, struct cv_strv *out)
{
	const char *slash = strchr(in, '/');
	char host[INET6_ADDRSTRLEN + 1];
	char *end;
	unsigned long bits;

	if (!slash || slash == in || (size_t)(slash - in) >= sizeof(host))
		return -1;
	memcpy(host, in, slash - in);
	host[slash - in] = '\0';
	errno = 0;
	bits = strtoul(slash + 1, &end, 10);
	if (end == slash + 1 || *end || errno)
		return -1;
	return push_block(host, bits > 128 ? 128 : (int)bits, out);
}

/* 10.0.0.{1,2}: the numbers replace the first missing byte, so 10.0.{1,2}
 * is 10.0.1.0/24 and 10.0.2.0/24. Returns 1 when in is not this form. */
static int
addr_factorized(const char *in, struct cv_strv *out, char **why)
{
	const char *brace = strchr(in, '{'), *p;
	uint32_t addr = 0;
	unsigned num = 0;
	int shift = 24;
	char last = '.';

	if (!brace)
		return 1;
	for (p = in; p < brace; last = *p++) {
		if (isdigit((unsigned char)*p)) {
			num = num * 10 + (*p - '0');
			continue;
		}
		if (*p != '.')
			return 1;
		if (last == '.') {
			*why = cv_strdup("consecutive dots");
			return -1;
		}
		addr = addr * 256 + num;
		num = 0;
		shift -= 8;
	}
	if (shift < 0) {
		*why = cv_strdup("too many bytes before '{'");
		return -1;
	}
	if (addr)
		addr <<= shift + 8;

	struct cv_strv got = { 0 };

	num = 0;
	last = ',';
	for (p = brace + 1; ; last = *p++) {
		if (isdigit((unsigned char)*p)) {
			num = num * 10 + (*p - '0');
			if (num > 255)
				break;
			continue;
		}
		if (*p != ',' && *p != '}')
			break;
		if (last == ',') {
			cv_strv_free(&got);
			*why = cv_strdup("consecutive commas");
			return -1;
		}
		cv_strv_push_own(&got, v4_text(addr + (num << shift), 32 - shift));
		num = 0;
		if (*p == '}') {
			if (p[1])
				break;
			cv_strv_copy(out, &got);
			cv_strv_free(&got);
			return 0;
		}
	}
	cv_strv_free(&got);
	*why = cv_strdup("bad factorized address");
	return -1;
}

/* A network name from /etc/networks, as xinetd's last resort. */
static int
addr_network(const char *in, struct cv_strv *out)
{
	struct netent *ne = getnetbyname(in);
	uint32_t net;
	int prefix;

	if (!ne || ne->n_addrtype != AF_INET || ne->n_net == 0)
		return -1;
	/* the number's bytes are the network's first ones */
	for (net = ne->n_net, prefix = 32; net <= 0xffffff; prefix -= 8)
		net <<= 8;
	cv_strv_push_own(out, v4_text(net, prefix));
	return 0;
}

enum cvv_result
cvv_address(const char *in, struct cv_strv *out, char **why)
{
	struct addr_rule rule;
	bool host_bits;
	int r;

	*why = NULL;
	if (strchr(in, ',') && !strchr(in, '{')) {
		*why = cv_strdup("has a comma in it (xinetd: remove the comma)");
		return CVV_BAD;
	}
	if (!strchr(in, '/') && !strchr(in, '{') && push_block(in, -1, out) == 0)
		return CVV_OK;
	if (in[0] == '.' && strspn(in, "0123456789.") != strlen(in)) {
		*why = cv_printf("the domain %s matched the client's reverse DNS name; "
				 "portier has no such rule", in);
		return CVV_LOST;
	}
	if (strchr(in, '/')) {
		if (addr_mask(in, out) == 0)
			return CVV_OK;
		*why = cv_printf("%s is no address/mask xinetd understands (it ignored it)", in);
		return CVV_LOST;
	}
	r = addr_factorized(in, out, why);
	if (r == 0)
		return CVV_OK;
	if (r < 0)
		return CVV_BAD;
	if (addr_network(in, out) == 0)
		return CVV_OK;
	/* the loader's test: a name it would refuse is no host to it */
	if (cval_addr_rule(in, &rule, &host_bits) == CVAL_ADDR_HOST) {
		cv_strv_push(out, in);
		*why = cv_printf("host name %s: xinetd matched the client's reverse DNS "
				 "name against it; portier resolves it to addresses when it "
				 "loads the configuration", in);
		return CVV_HOST;
	}
	*why = cv_printf("%s is no address xinetd understands (it ignored it)", in);
	return CVV_LOST;
}

/* hour:min-hour:min, hours 0-23 and minutes 0-59, read as portier reads
 * access_times (cval_time_window) and written in portier's spelling. */
char *
cvv_time_window(const char *in)
{
	struct time_window w;

	if (cval_time_window(in, &w) < 0)
		return NULL;
	return cv_printf("%02d:%02d-%02d:%02d", w.start / 60, w.start % 60, w.end / 60,
			 w.end % 60);
}

/* "UNLIMITED" or a number, with xinetd's K and M suffixes when sized;
 * returns "unlimited" or the plain number, NULL when xinetd rejects it. */
char *
cvv_rlimit(const char *in, bool sized)
{
	unsigned long long v, mult = 1;
	char *end;
	size_t len = strlen(in);

	if (!strcmp(in, "UNLIMITED"))
		return cv_strdup("unlimited");
	if (sized && len > 1 && strchr("kKmM", in[len - 1]))
		mult = (in[len - 1] == 'k' || in[len - 1] == 'K') ? 1024 : 1024 * 1024;
	if (!isdigit((unsigned char)in[0]))
		return NULL;
	errno = 0;
	v = strtoull(in, &end, 10);
	if (errno || end != in + len - (mult > 1))
		return NULL;
	if (v > ULLONG_MAX / mult)
		return NULL;
	return cv_printf("%llu", v * mult);
}

/* A decimal integer within [min, max]; xinetd's parse_base10. */
bool
cvv_int(const char *in, long min, long max, long *out)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(in, &end, 10);
	if (end == in || *end || errno || v < min || v > max)
		return false;
	*out = v;
	return true;
}

/* "UNLIMITED" or a count >= 0 (instances, per_source) */
char *
cvv_count(const char *in)
{
	long v;

	if (!strcmp(in, "UNLIMITED"))
		return cv_strdup("UNLIMITED");
	if (!cvv_int(in, 0, INT_MAX, &v))
		return NULL;
	return cv_printf("%ld", v);
}

char *
cvv_umask(const char *in)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(in, &end, 8);
	if (end == in || *end || errno || v < 0 || v > 0777)
		return NULL;
	return cv_printf("%03lo", v);
}

/* A numeric IPv4 or IPv6 address, not a name to resolve. An IPv6 address
 * may carry its zone (fe80::1%eth0): getaddrinfo() reads that as a number
 * for xinetd and inetd, and so does the loader's bind. */
bool
cvv_is_address(const char *s)
{
	unsigned char buf[16];
	char host[INET6_ADDRSTRLEN];
	const char *zone = strchr(s, '%');
	size_t len = zone ? (size_t)(zone - s) : 0;

	if (inet_pton(AF_INET, s, buf) == 1 || inet_pton(AF_INET6, s, buf) == 1)
		return true;
	if (!zone || !zone[1] || len >= sizeof(host))
		return false;
	memcpy(host, s, len);
	host[len] = '\0';
	return inet_pton(AF_INET6, host, buf) == 1;
}

/* An address or block as written by cvv_address; false for a host name. */
static bool
parse_block(const char *s, int *family, unsigned char addr[16], int *prefix)
{
	char host[INET6_ADDRSTRLEN + 1];
	const char *slash = strchr(s, '/');
	size_t len = slash ? (size_t)(slash - s) : strlen(s);

	if (len >= sizeof(host))
		return false;
	memcpy(host, s, len);
	host[len] = '\0';
	*family = strchr(host, ':') ? AF_INET6 : AF_INET;
	if (inet_pton(*family, host, addr) != 1)
		return false;
	*prefix = slash ? atoi(slash + 1) : *family == AF_INET ? 32 : 128;
	return true;
}

/* inner is a strictly narrower block inside outer: the better match for its
 * addresses, in xinetd's reading of only_from against no_access. */
bool
cvv_narrower(const char *inner, const char *outer)
{
	unsigned char a[16], b[16];
	int fa, fb, pa, pb;

	if (!parse_block(inner, &fa, a, &pa) || !parse_block(outer, &fb, b, &pb))
		return false;
	if (fa != fb || pa <= pb)
		return false;
	for (int bit = 0; bit < pb; bit++) {
		int m = 0x80 >> (bit % 8);

		if ((a[bit / 8] & m) != (b[bit / 8] & m))
			return false;
	}
	return true;
}
