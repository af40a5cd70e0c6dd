/* SPDX-License-Identifier: ISC */
/* access: address lists, time windows, per-source counts, rate windows,
 * admission and the StrictModes check, see config.h (token buckets:
 * access_rate.c). */
#include "autoconf.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config/config_int.h"
#include "config/config.h"

/* ::ffff:0:0/96, the IPv4-mapped block */
static const uint8_t v4mapped[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff };

int
access_addr_from_sockaddr(const struct sockaddr *sa, socklen_t len, struct access_addr *out)
{
	memset(out, 0, sizeof(*out));
	if (sa->sa_family == AF_INET && len >= sizeof(struct sockaddr_in)) {
		const struct sockaddr_in *sin = (const struct sockaddr_in *)sa;

		out->family = AF_INET;
		memcpy(out->addr, &sin->sin_addr, 4);
		return 0;
	}
	if (sa->sa_family == AF_INET6 && len >= sizeof(struct sockaddr_in6)) {
		const struct sockaddr_in6 *sin6 = (const struct sockaddr_in6 *)sa;
		const uint8_t *b = sin6->sin6_addr.s6_addr;

		/* A dual-stack socket reports IPv4 peers as ::ffff:a.b.c.d:
		 * they are matched and counted as the IPv4 address they are. */
		if (memcmp(b, v4mapped, sizeof(v4mapped)) == 0) {
			out->family = AF_INET;
			memcpy(out->addr, b + 12, 4);
		} else {
			out->family = AF_INET6;
			memcpy(out->addr, b, 16);
		}
		return 0;
	}
	return -1;
}

/* True when the first bits of a and b agree. */
static bool
prefix_equal(const uint8_t *a, const uint8_t *b, int bits)
{
	int whole = bits / 8, rest = bits % 8;

	if (memcmp(a, b, whole) != 0)
		return false;
	if (rest == 0)
		return true;
	uint8_t mask = (uint8_t)(0xff << (8 - rest));
	return (a[whole] & mask) == (b[whole] & mask);
}

/* The prefix length by which rule r contains a, or -1. An IPv6 rule inside
 * ::ffff:0:0/96 is an IPv4 rule written the long way; any other IPv6 rule
 * (even ::/0) never matches IPv4, and an IPv4 rule never matches IPv6. */
static int
rule_match(const struct addr_rule *r, const struct access_addr *a)
{
	if (r->family == AF_INET && a->family == AF_INET)
		return prefix_equal(r->addr, a->addr, r->prefix) ? r->prefix : -1;
	if (r->family != AF_INET6)
		return -1;
	if (a->family == AF_INET6)
		return prefix_equal(r->addr, a->addr, r->prefix) ? r->prefix : -1;
	if (r->prefix < 96 || memcmp(r->addr, v4mapped, sizeof(v4mapped)) != 0)
		return -1;
	return prefix_equal(r->addr + 12, a->addr, r->prefix - 96) ? r->prefix - 96 : -1;
}

int
access_list_match(const struct addr_list *l, const struct access_addr *a)
{
	int best = -1;

	for (size_t i = 0; i < l->count; i++) {
		int m = rule_match(&l->rules[i], a);

		if (m > best)
			best = m;
	}
	return best;
}

/* xinetd's rule: no only_from lets everyone in (unless no_access matches);
 * an only_from, even an empty one, lets in only what it matches; when both
 * lists match, the longer prefix decides and no_access wins a tie. */
bool
access_address_allowed(const struct service *svc, const struct access_addr *a)
{
	int deny = access_list_match(&svc->no_access, a);
	int allow = access_list_match(&svc->only_from, a);

	if (!svc->only_from_set && svc->only_from.count == 0)
		return deny < 0;
	if (allow < 0)
		return false;
	return allow > deny;
}

bool
access_time_allowed(const struct service *svc, const struct tm *tm)
{
	int now = tm->tm_hour * 60 + tm->tm_min;

	for (size_t i = 0; i < svc->naccess_times; i++) {
		const struct time_window *w = &svc->access_times[i];

		if (w->start <= w->end) {
			if (now >= w->start && now <= w->end)
				return true;
		} else if (now >= w->start || now <= w->end) {
			return true;	/* the window spans midnight */
		}
	}
	return svc->naccess_times == 0;	/* no window: any time */
}

bool
access_rate_hit(struct access_rate *r, unsigned limit, uint64_t window_ms, uint64_t now_ms)
{
	if (r->count == 0 || now_ms - r->start >= window_ms) {
		r->start = now_ms;
		r->count = 0;
	}
	if (++r->count <= limit)
		return false;
	r->count = 0;
	return true;
}

/* The per-source table ------------------------------------------------- */

struct source {
	struct source *next;
	struct access_addr addr;
	unsigned count;
};

struct access_sources {
	struct source **buckets;
	size_t nbuckets;	/* a power of two */
	size_t size;
	uint64_t key[2];
};

enum { SOURCES_MIN_BUCKETS = 16 };

struct access_sources *
access_sources_new(void)
{
	struct access_sources *t = calloc(1, sizeof(*t));

	if (!t)
		return NULL;
	t->buckets = calloc(SOURCES_MIN_BUCKETS, sizeof(*t->buckets));
	if (!t->buckets) {
		free(t);
		return NULL;
	}
	t->nbuckets = SOURCES_MIN_BUCKETS;
	access_random_key(t->key, t);
	return t;
}

void
access_sources_free(struct access_sources *t)
{
	if (!t)
		return;
	for (size_t i = 0; i < t->nbuckets; i++) {
		for (struct source *s = t->buckets[i], *next; s; s = next) {
			next = s->next;
			free(s);
		}
	}
	free(t->buckets);
	free(t);
}

static struct source **
source_slot(const struct access_sources *t, const struct access_addr *a)
{
	struct source **p = &t->buckets[access_hash(t->key, a) & (t->nbuckets - 1)];

	while (*p && memcmp(&(*p)->addr, a, sizeof(*a)) != 0)
		p = &(*p)->next;
	return p;
}

unsigned
access_sources_get(const struct access_sources *t, const struct access_addr *a)
{
	struct source *s = *source_slot(t, a);

	return s ? s->count : 0;
}

/* Doubles the bucket array; on failure the table just stays denser. */
static void
sources_grow(struct access_sources *t)
{
	size_t n = t->nbuckets * 2;
	struct source **b = calloc(n, sizeof(*b));

	if (!b)
		return;
	for (size_t i = 0; i < t->nbuckets; i++) {
		for (struct source *s = t->buckets[i], *next; s; s = next) {
			size_t h = access_hash(t->key, &s->addr) & (n - 1);

			next = s->next;
			s->next = b[h];
			b[h] = s;
		}
	}
	free(t->buckets);
	t->buckets = b;
	t->nbuckets = n;
}

int
access_sources_inc(struct access_sources *t, const struct access_addr *a)
{
	struct source **p = source_slot(t, a);

	if (*p) {
		if ((*p)->count == INT_MAX)
			return -1;
		return (int)++(*p)->count;
	}
	struct source *s = calloc(1, sizeof(*s));

	if (!s)
		return -1;
	s->addr = *a;
	s->count = 1;
	*p = s;
	if (++t->size > t->nbuckets)
		sources_grow(t);
	return 1;
}

void
access_sources_dec(struct access_sources *t, const struct access_addr *a)
{
	struct source **p = source_slot(t, a), *s = *p;

	if (!s || --s->count > 0)
		return;
	*p = s->next;
	free(s);
	t->size--;
}

size_t
access_sources_size(const struct access_sources *t)
{
	return t->size;
}

/* Admission ------------------------------------------------------------ */

static const char *const refusal_names[REFUSED_COUNT] = {
	[REFUSED_NONE] = "none",
	[REFUSED_ACCESS] = "access",
	[REFUSED_TIME] = "time",
	[REFUSED_INSTANCES] = "instances",
	[REFUSED_PER_SOURCE] = "per_source",
	[REFUSED_CPS] = "cps",
	[REFUSED_LOAD] = "load",
	[REFUSED_CHILDREN] = "children",
	[REFUSED_SPAWN] = "spawn",
	[REFUSED_USER] = "user",
	[REFUSED_RATE] = "rate",
	[REFUSED_SOURCE_RATE] = "per_source_rate",
};

const char *
access_refusal_name(enum refusal r)
{
	return r < REFUSED_COUNT ? refusal_names[r] : "?";
}

static bool
limit_reached(int limit, unsigned current)
{
	return limit != LIMIT_UNLIMITED && current >= (unsigned)limit;
}

enum refusal
access_admit(const struct service *svc, struct access_sources *sources,
	     struct access_rate *cps, const struct access_request *rq)
{
	if (rq->addr && !access_address_allowed(svc, rq->addr))
		return REFUSED_ACCESS;
	if (rq->local && !access_time_allowed(svc, rq->local))
		return REFUSED_TIME;
	if (limit_reached(rq->max_children, rq->children))
		return REFUSED_CHILDREN;
	if (limit_reached(svc->instances, rq->running))
		return REFUSED_INSTANCES;
	if (rq->addr && sources &&
	    limit_reached(svc->per_source, access_sources_get(sources, rq->addr)))
		return REFUSED_PER_SOURCE;
	if (svc->max_load > 0 && rq->load >= 0 && rq->load > svc->max_load)
		return REFUSED_LOAD;
	if (svc->source_rate_milli > 0 && rq->source_rate &&
	    access_bucket_wait(rq->source_rate, svc->source_rate_milli, svc->source_burst,
			       rq->now_ms) > 0)
		return REFUSED_SOURCE_RATE;
	if (svc->rate_milli > 0 && rq->rate &&
	    access_bucket_wait(rq->rate, svc->rate_milli, svc->rate_burst, rq->now_ms) > 0)
		return REFUSED_RATE;
	if (svc->cps_rate > 0 && cps &&
	    access_rate_hit(cps, (unsigned)svc->cps_rate, 1000, rq->now_ms))
		return REFUSED_CPS;
	/* admitted: both buckets hold a token (just checked) */
	if (svc->source_rate_milli > 0 && rq->source_rate)
		access_bucket_take(rq->source_rate, svc->source_rate_milli, svc->source_burst,
				   rq->now_ms);
	if (svc->rate_milli > 0 && rq->rate)
		access_bucket_take(rq->rate, svc->rate_milli, svc->rate_burst, rq->now_ms);
	return REFUSED_NONE;
}

int
access_parse_loadavg(const char *buf, double *load1)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(buf, &end);
	if (end == buf || errno != 0 || v < 0)
		return -1;
	*load1 = v;
	return 0;
}

/* StrictModes ---------------------------------------------------------- */

/* One path element: owned by root, writable by nobody else (a sticky,
 * root-owned directory such as /tmp excepted: others cannot rename what
 * they do not own in it). st is what stat(2) says about path. */
static int
secure_stat(const char *path, const struct stat *st, bool is_leaf, char *err, size_t errlen)
{
	if (st->st_uid != 0) {
		snprintf(err, errlen, "%s: owned by uid %u, not root (fix: chown root %s, "
			 "or run with --insecure-config)", path, (unsigned)st->st_uid, path);
		return -1;
	}
	if (!is_leaf && S_ISDIR(st->st_mode) && (st->st_mode & S_ISVTX))
		return 0;
	if (st->st_mode & (S_IWGRP | S_IWOTH)) {
		snprintf(err, errlen, "%s: writable by %s (fix: chmod go-w %s, "
			 "or run with --insecure-config)", path,
			 (st->st_mode & S_IWOTH) ? "others" : "its group", path);
		return -1;
	}
	return 0;
}

static int
secure_one(const char *path, bool is_leaf, char *err, size_t errlen)
{
	struct stat st;

	if (stat(path, &st) != 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	return secure_stat(path, &st, is_leaf, err, errlen);
}

int
access_secure_path(const char *path, char *err, size_t errlen)
{
	char *real = realpath(path, NULL);

	if (!real) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	int rc = secure_one(real, true, err, errlen);

	/* Then every directory above it: whoever can write one of them can
	 * swap the file. */
	for (char *slash = strrchr(real, '/'); rc == 0 && slash; slash = strrchr(real, '/')) {
		if (slash == real) {
			rc = secure_one("/", false, err, errlen);
			break;
		}
		*slash = '\0';
		rc = secure_one(real, false, err, errlen);
	}
	free(real);
	return rc;
}

/* The directory's chain is checked once. A symbolic link that leads
 * nowhere is the loader's to report (a warning, or an error when the
 * running configuration came from it): refusing to start for it here would
 * make a lost file worse than a removed one. An entry that is no symbolic
 * link has that chain above it, so its own lstat(2) is all it needs (one
 * system call instead of a realpath and a stat per directory: 1,000 files
 * took 12 ms); a symbolic link gets its whole chain checked. */
int
access_secure_dir(const char *dir, char *err, size_t errlen)
{
	if (access_secure_path(dir, err, errlen) != 0)
		return -1;
	DIR *d = opendir(dir);

	if (!d) {
		snprintf(err, errlen, "%s: %s", dir, strerror(errno));
		return -1;
	}
	int rc = 0;
	struct dirent *e;

	while (rc == 0 && (e = readdir(d)) != NULL) {
		size_t n = strlen(e->d_name);
		char path[PATH_MAX];
		struct stat st;

		if (n < 5 || strcmp(e->d_name + n - 5, ".conf") != 0)
			continue;
		if (snprintf(path, sizeof(path), "%s/%s", dir, e->d_name) >= (int)sizeof(path)) {
			snprintf(err, errlen, "%s/%s: name too long", dir, e->d_name);
			rc = -1;
			break;
		}
		if (lstat(path, &st) == 0 && !S_ISLNK(st.st_mode))
			rc = secure_stat(path, &st, true, err, errlen);
		else if (stat(path, &st) != 0 && (errno == ENOENT || errno == ELOOP))
			continue;	/* leads nowhere: nothing is read (config_files.c) */
		else	/* the whole chain: a link may point elsewhere */
			rc = access_secure_path(path, err, errlen);
	}
	closedir(d);
	return rc;
}

int
access_secure_config(const char *dir, const char *const *registries, size_t n, char *err,
		     size_t errlen)
{
	if (access_secure_dir(dir, err, errlen) != 0)
		return -1;
	for (size_t i = 0; i < n; i++)
		if (access_secure_path(registries[i], err, errlen) != 0)
			return -1;
	return 0;
}
