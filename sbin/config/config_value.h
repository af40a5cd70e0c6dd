/* config_value: parsers for the value syntaxes of portier.conf (numbers,
 * addresses, times, sizes). Pure functions of their input: no NSS, no
 * files, so the unit tests can drive every branch. Used by config.c only. */
#ifndef PORTIER_CONFIG_VALUE_H
#define PORTIER_CONFIG_VALUE_H

#include <stdbool.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <time.h>

#include "config/config.h"

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
 * is left 0. ::ffff:a.b.c.d becomes IPv4. */
int cval_bind_addr(const char *s, struct sockaddr_storage *ss);
/* An IPv4-mapped IPv6 address (::ffff:a.b.c.d) made IPv4 in place, port
 * kept: the form the configuration holds addresses in. */
void cval_sockaddr_unmap(struct sockaddr_storage *ss);
/* The address of ss as text, "[v6]" bracketed when bracket is set. */
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
/* One log_on_success / log_on_failure keyword: its LOGF_* bit, or 0. */
unsigned cval_logflag(const char *s);
/* syslog facility name ("daemon", "local3"): LOG_* value, or -1. */
int cval_facility(const char *s);
/* An environment variable name: [A-Za-z_][A-Za-z0-9_]* */
bool cval_env_name(const char *s, size_t len);

#endif
