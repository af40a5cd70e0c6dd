/* SPDX-License-Identifier: ISC */
/* config_check: checks that need every service at once (duplicate ids,
 * two services on one address, tcpmux names), by sorting rather than by
 * comparing every pair, so that thousands of services load quickly; and
 * the lookups over a loaded configuration. */
#include "autoconf.h"

#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/un.h>
#include <strings.h>

#include "config/config_int.h"
#include "config/config.h"

/* One address a service listens on. */
struct endpoint {
	int proto;
	unsigned port;
	int family;
	bool wildcard;
	uint8_t addr[16];
	uint32_t scope;		/* IPv6 link-local scope */
	size_t svc;
	size_t bind;		/* index into bind[], or SIZE_MAX for "all addresses" */
	const char *iface;	/* `interface`, or NULL */
};

static int
cmp_id(const void *a, const void *b, void *base)
{
	const struct service *v = base;
	size_t x = *(const size_t *)a, y = *(const size_t *)b;
	int c = strcmp(v[x].id, v[y].id);

	return c ? c : (x > y) - (x < y);
}

/* A second service of an id is marked bad: its addresses would only
 * repeat the error as conflicts. */
static int
check_ids(struct loader *ld, struct config *cfg, bool *bad)
{
	cfg->by_id = malloc((cfg->count + 1) * sizeof(size_t));
	if (!cfg->by_id)
		return -1;
	for (size_t i = 0; i < cfg->count; i++)
		cfg->by_id[i] = i;
	qsort_r(cfg->by_id, cfg->count, sizeof(size_t), cmp_id, cfg->services);
	for (size_t i = 1; i < cfg->count; i++) {
		const struct service *a = &cfg->services[cfg->by_id[i - 1]];
		const struct service *b = &cfg->services[cfg->by_id[i]];

		if (strcmp(a->id, b->id))
			continue;
		diag_add(ld->d, DIAG_ERROR, b->file, b->line,
			 "duplicate service '%s' (first declared at %s:%d)", config_quote_id(b->id), a->file,
			 a->line);
		bad[cfg->by_id[i]] = true;
	}
	return 0;
}

static int
cmp_endpoint(const void *pa, const void *pb)
{
	const struct endpoint *a = pa, *b = pb;
	int c;

	if (a->proto != b->proto)
		return a->proto - b->proto;
	if (a->port != b->port)
		return a->port < b->port ? -1 : 1;
	if (a->family != b->family)
		return a->family - b->family;
	if (a->wildcard != b->wildcard)
		return a->wildcard ? -1 : 1;
	c = memcmp(a->addr, b->addr, sizeof(a->addr));
	if (c)
		return c;
	if (a->scope != b->scope)
		return a->scope < b->scope ? -1 : 1;
	return (a->svc > b->svc) - (a->svc < b->svc);
}

static void
endpoint_from(struct endpoint *e, const struct sockaddr_storage *ss)
{
	const struct sockaddr_in6 *s6 = (const struct sockaddr_in6 *)ss;

	e->family = ss->ss_family;
	e->wildcard = addr_is_wildcard((const struct sockaddr *)ss);
	if (ss->ss_family == AF_INET) {
		memcpy(e->addr, &((const struct sockaddr_in *)ss)->sin_addr, 4);
	} else {
		memcpy(e->addr, &s6->sin6_addr, 16);
		e->scope = s6->sin6_scope_id;
	}
}

/* Every address of every enabled service that has its own port. */
static struct endpoint *
collect_endpoints(const struct config *cfg, const bool *bad, size_t *count)
{
	size_t n = 0, cap = 0;
	struct endpoint *v = NULL;

	for (size_t i = 0; i < cfg->count; i++) {
		const struct service *s = &cfg->services[i];
		size_t k = s->nbind ? s->nbind : 2;

		/* a unix path is no port: portierd refuses a live socket's path */
		if (s->disabled || s->tcpmux || s->local || bad[i])
			continue;
		if (array_reserve(&v, &cap, n + k, sizeof(*v)) < 0) {
			free(v);
			return NULL;
		}
		for (size_t j = 0; j < k; j++) {
			struct endpoint *e = &v[n++];

			/* without a bind list, the wildcard of each family */
			*e = (struct endpoint){ .proto = s->protocol, .port = s->port, .svc = i,
						.iface = s->interface, .bind = s->nbind ? j : SIZE_MAX,
						.family = j == 0 ? AF_INET : AF_INET6, .wildcard = true };
			if (s->nbind)
				endpoint_from(e, &s->bind[j]);
		}
	}
	*count = n;
	return v ? v : calloc(1, sizeof(*v));
}

static const char *
endpoint_str(const struct config *cfg, const struct endpoint *e, char *buf, size_t len)
{
	size_t n;

	if (e->bind == SIZE_MAX)
		snprintf(buf, len, "all %s addresses", e->family == AF_INET ? "IPv4" : "IPv6");
	else
		cval_sockaddr_str(&cfg->services[e->svc].bind[e->bind], false, buf, len);
	n = strlen(buf);
	if (e->iface && n < len)
		snprintf(buf + n, len - n, " of %s", e->iface);
	return buf;
}

/* a is of the earlier service (add_clash), or of the same. */
static void
report_conflict(struct loader *ld, const struct config *cfg, const struct endpoint *a,
		const struct endpoint *b)
{
	const struct service *sa = &cfg->services[a->svc], *sb = &cfg->services[b->svc];
	char x[INET6_ADDRSTRLEN + 64], y[INET6_ADDRSTRLEN + 64];

	if (sa == sb) {
		diag_add(ld->d, DIAG_ERROR, sa->file, sa->line,
			 "service '%s': bind: %s and %s overlap", config_quote_id(sa->id),
			 endpoint_str(cfg, a, x, sizeof(x)), endpoint_str(cfg, b, y, sizeof(y)));
		return;
	}
	diag_add(ld->d, DIAG_ERROR, sb->file, sb->line,
		 "service '%s': port %u/%s on %s is already used by service '%s' on %s (%s:%d)",
		 config_quote_id(sb->id), sb->port, sb->protocol == IPPROTO_UDP ? "udp" : "tcp",
		 endpoint_str(cfg, b, x, sizeof(x)), config_quote_id(sa->id),
		 endpoint_str(cfg, a, y, sizeof(y)), sa->file, sa->line);
}

static bool
same_address(const struct endpoint *a, const struct endpoint *b)
{
	return !memcmp(a->addr, b->addr, sizeof(a->addr)) && a->scope == b->scope;
}

struct clash {
	const struct endpoint *a, *b;	/* a belongs to the earlier service */
};

static int
cmp_clash(const void *pa, const void *pb)
{
	const struct clash *x = pa, *y = pb;

	if (x->b->svc != y->b->svc)
		return x->b->svc < y->b->svc ? -1 : 1;
	return (x->a->svc > y->a->svc) - (x->a->svc < y->a->svc);
}

static int
add_clash(struct clash **v, size_t *n, size_t *cap, const struct endpoint *x,
	  const struct endpoint *y)
{
	if (array_reserve(v, cap, *n + 1, sizeof(**v)) < 0)
		return -1;
	(*v)[(*n)++] = x->svc <= y->svc ? (struct clash){ x, y } : (struct clash){ y, x };
	return 0;
}

/* Whether two endpoints of one port, protocol and family may not both be
 * bound: Linux lets them only when both name an interface, not the same. */
static bool
share_interface(const struct endpoint *a, const struct endpoint *b)
{
	return !a->iface || !b->iface || !strcmp(a->iface, b->iface);
}

/* The first endpoint in v[from, to) that e clashes with (wildcards only,
 * or equal addresses only), or NULL. */
static const struct endpoint *
first_clash(const struct endpoint *v, size_t from, size_t to, bool wildcards,
	    const struct endpoint *e)
{
	for (size_t k = from; k < to && v[k].wildcard == wildcards; k++)
		if (share_interface(&v[k], e))
			return &v[k];
	return NULL;
}

/* After sorting, the endpoints of one port, protocol and family are
 * adjacent, wildcards first: a wildcard clashes with everything after it,
 * and equal addresses are neighbours, unless both sides are bound to
 * different interfaces. Each endpoint is reported against the first it
 * clashes with of each kind; each pair of services once, at the later one. */
static int
check_addresses(struct loader *ld, const struct config *cfg, const bool *bad)
{
	size_t n, nc = 0, cap = 0;
	struct endpoint *v = collect_endpoints(cfg, bad, &n);
	struct clash *c = NULL;
	int rc = 0;

	if (!v)
		return -1;
	qsort(v, n, sizeof(*v), cmp_endpoint);
	for (size_t start = 0, same = 0, i = 1; i < n && rc == 0; i++) {
		const struct endpoint *g = &v[start], *e = &v[i], *x;

		if (e->proto != g->proto || e->port != g->port || e->family != g->family) {
			start = same = i;
			continue;
		}
		if (!same_address(&v[same], e))
			same = i;
		if ((x = first_clash(v, start, i, true, e)))
			rc = add_clash(&c, &nc, &cap, x, e);
		if (rc == 0 && (x = first_clash(v, same, i, false, e)))
			rc = add_clash(&c, &nc, &cap, x, e);
	}
	if (rc == 0 && nc)
		qsort(c, nc, sizeof(*c), cmp_clash);
	for (size_t i = 0; rc == 0 && i < nc; i++)
		if (i == 0 || c[i].a->svc != c[i - 1].a->svc || c[i].b->svc != c[i - 1].b->svc)
			report_conflict(ld, cfg, c[i].a, c[i].b);
	free(c);
	free(v);
	return rc;
}

static int
cmp_tcpmux(const void *a, const void *b, void *base)
{
	const struct service *v = base;
	size_t x = *(const size_t *)a, y = *(const size_t *)b;
	int c = strcasecmp(v[x].name, v[y].name);

	return c ? c : (x > y) - (x < y);
}

/* tcpmux clients ask by name, case-insensitively (RFC 1078). */
static int
check_tcpmux(struct loader *ld, const struct config *cfg, const bool *bad)
{
	size_t *idx = malloc((cfg->count + 1) * sizeof(size_t)), n = 0;
	bool server = false;

	if (!idx)
		return -1;
	for (size_t i = 0; i < cfg->count; i++) {
		const struct service *s = &cfg->services[i];

		if (s->disabled || bad[i])
			continue;
		if (s->tcpmux)
			idx[n++] = i;
		else if (s->internal && !strcmp(s->name, "tcpmux"))
			server = true;
	}
	qsort_r(idx, n, sizeof(size_t), cmp_tcpmux, cfg->services);
	for (size_t i = 1; i < n; i++) {
		const struct service *a = &cfg->services[idx[i - 1]], *b = &cfg->services[idx[i]];

		if (!strcasecmp(a->name, b->name))
			diag_add(ld->d, DIAG_ERROR, b->file, b->line,
				 "service '%s': tcpmux name '%s' is already used by service '%s' (%s:%d)",
				 config_quote_id(b->id), config_quote_id(b->name), config_quote_id(a->id), a->file, a->line);
	}
	if (n && !server) {
		const struct service *s = &cfg->services[idx[0]];

		diag_add(ld->d, DIAG_WARNING, s->file, s->line,
			 "service '%s': tcpmux = yes, but no internal tcpmux service is enabled",
			 config_quote_id(s->id));
	}
	free(idx);
	return 0;
}

static const char *
unix_path(const struct service *s)
{
	return ((const struct sockaddr_un *)&s->bind[0])->sun_path;
}

static int
cmp_unix(const void *a, const void *b, void *base)
{
	const struct service *v = base;
	size_t x = *(const size_t *)a, y = *(const size_t *)b;
	int c = strcmp(unix_path(&v[x]), unix_path(&v[y]));

	return c ? c : (x > y) - (x < y);
}

/* Two unix services on one path: the second would find the first's live
 * socket there. (The same file under two spellings is not seen.) */
static int
check_unix(struct loader *ld, const struct config *cfg, const bool *bad)
{
	size_t *idx = malloc((cfg->count + 1) * sizeof(size_t)), n = 0;

	if (!idx)
		return -1;
	for (size_t i = 0; i < cfg->count; i++)
		if (cfg->services[i].local && !cfg->services[i].disabled && !bad[i])
			idx[n++] = i;
	qsort_r(idx, n, sizeof(size_t), cmp_unix, cfg->services);
	for (size_t i = 1; i < n; i++) {
		const struct service *a = &cfg->services[idx[i - 1]], *b = &cfg->services[idx[i]];
		char q[sizeof(((struct sockaddr_un *)0)->sun_path) + 4];

		if (!strcmp(unix_path(a), unix_path(b)))
			diag_add(ld->d, DIAG_ERROR, b->file, b->line,
				 "service '%s': unix socket '%s' is already used by service '%s' (%s:%d)",
				 config_quote_id(b->id), config_quote(unix_path(b), sizeof(q) - 4,
				 q, sizeof(q)), config_quote_id(a->id), a->file, a->line);
	}
	free(idx);
	return 0;
}

int
config_cross_check(struct loader *ld, struct config *cfg, bool *bad)
{
	if (check_ids(ld, cfg, bad) < 0 || check_addresses(ld, cfg, bad) < 0 ||
	    check_tcpmux(ld, cfg, bad) < 0 || check_unix(ld, cfg, bad) < 0)
		return -1;
	return 0;
}

const struct service *
config_find(const struct config *cfg, const char *id)
{
	size_t lo = 0, hi = cfg->count;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct service *s = &cfg->services[cfg->by_id[mid]];
		int c = strcmp(id, s->id);

		if (c == 0)
			return s;
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

bool
config_binds_family(const struct service *svc, int family)
{
	if (!svc->nbind)
		return family == AF_INET || family == AF_INET6;
	for (size_t i = 0; i < svc->nbind; i++)
		if (svc->bind[i].ss_family == family)
			return true;
	return false;
}

/* An argument as a shell would need it to read it back. */
static int
quote_arg(char *buf, size_t len, const char *a)
{
	size_t n = 0;

	if (*a && !strpbrk(a, " \t\n'\"\\$`*?[]{}();&|<>#~"))
		return snprintf(buf, len, " %s", a);
	n += (size_t)snprintf(buf, len, " '");
	for (const char *p = a; *p; p++) {
		const char *piece = *p == '\'' ? "'\\''" : NULL;
		char one[2] = { *p, '\0' };

		n += (size_t)snprintf(n < len ? buf + n : NULL, n < len ? len - n : 0, "%s",
				      piece ? piece : one);
	}
	n += (size_t)snprintf(n < len ? buf + n : NULL, n < len ? len - n : 0, "'");
	return (int)n;
}

int
config_describe(const struct service *s, char *buf, size_t len)
{
	const char *proto = s->protocol == IPPROTO_UDP ? "udp" : "tcp";
	size_t n = 0;

#define PUT(...) (n += (size_t)snprintf(n < len ? buf + n : NULL, n < len ? len - n : 0, __VA_ARGS__))
	PUT("%s ", s->id);
	if (s->tcpmux)
		PUT("tcpmux:%s", s->name);
	if (s->local)
		PUT("unix:%s", ((const struct sockaddr_un *)&s->bind[0])->sun_path);
	for (size_t i = 0; !s->tcpmux && !s->local && i < s->nbind; i++) {
		char a[INET6_ADDRSTRLEN + 8];

		PUT("%s%s:", i ? "," : "", cval_sockaddr_str(&s->bind[i], true, a, sizeof(a)));
		PUT("%u/%s", s->port, proto);
	}
	if (!s->tcpmux && !s->nbind)
		PUT("%u/%s", s->port, proto);
	if (!s->tcpmux && !s->local && s->interface)
		PUT("@%s", s->interface);
	PUT(" %s %s", s->socktype == SOCK_STREAM ? "stream" : "dgram", s->wait ? "wait" : "nowait");
	if (s->internal) {
		PUT(" internal");
		return (int)n;
	}
	PUT(" user=%s", s->user_name ? s->user_name : "?");
	PUT(" %s", s->server ? s->server : "?");
	for (size_t i = 1; s->argv && s->argv[i]; i++)
		n += (size_t)quote_arg(n < len ? buf + n : NULL, n < len ? len - n : 0, s->argv[i]);
#undef PUT
	return (int)n;
}
