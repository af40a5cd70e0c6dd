/* SPDX-License-Identifier: ISC */
/* Unit tests for sbin/access.c: address lists, time windows, rate windows,
 * the per-source table, admission order, /proc/loadavg and StrictModes. */
#include "autoconf.h"

#include <arpa/inet.h>
#include <check.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "config/config.h"
#include "check_run.h"

/* "10.0.0.0/8", "2001:db8::/32", "::ffff:192.0.2.0/120" -> one rule */
static struct addr_rule
rule(const char *text)
{
	struct addr_rule r;
	char buf[64];
	char *slash;

	memset(&r, 0, sizeof(r));
	snprintf(buf, sizeof(buf), "%s", text);
	slash = strchr(buf, '/');
	if (slash)
		*slash = '\0';
	if (inet_pton(AF_INET, buf, r.addr) == 1) {
		r.family = AF_INET;
		r.prefix = slash ? atoi(slash + 1) : 32;
	} else {
		ck_assert_int_eq(inet_pton(AF_INET6, buf, r.addr), 1);
		r.family = AF_INET6;
		r.prefix = slash ? atoi(slash + 1) : 128;
	}
	return r;
}

/* A list from a NULL-terminated array of rule texts; freed by list_free. */
static struct addr_list
list(const char *const *texts)
{
	struct addr_list l = { NULL, 0 };

	while (texts[l.count])
		l.count++;
	l.rules = calloc(l.count + 1, sizeof(*l.rules));
	ck_assert_ptr_nonnull(l.rules);
	for (size_t i = 0; i < l.count; i++)
		l.rules[i] = rule(texts[i]);
	return l;
}

static struct access_addr
addr(const char *text)
{
	struct sockaddr_storage ss;
	socklen_t len;

	memset(&ss, 0, sizeof(ss));
	if (strchr(text, ':')) {
		struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&ss;

		sin6->sin6_family = AF_INET6;
		ck_assert_int_eq(inet_pton(AF_INET6, text, &sin6->sin6_addr), 1);
		len = sizeof(*sin6);
	} else {
		struct sockaddr_in *sin = (struct sockaddr_in *)&ss;

		sin->sin_family = AF_INET;
		ck_assert_int_eq(inet_pton(AF_INET, text, &sin->sin_addr), 1);
		len = sizeof(*sin);
	}
	struct access_addr a;

	ck_assert_int_eq(access_addr_from_sockaddr((struct sockaddr *)&ss, len, &a), 0);
	return a;
}

static struct service svc;

static void
svc_setup(void)
{
	memset(&svc, 0, sizeof(svc));
	svc.instances = LIMIT_UNLIMITED;
	svc.per_source = LIMIT_UNLIMITED;
}

static void
svc_teardown(void)
{
	free(svc.only_from.rules);
	free(svc.no_access.rules);
	free(svc.access_times);
}

static void
only_from(const char *const *texts)
{
	svc.only_from = list(texts);
	svc.only_from_set = true;
}

static void
no_access(const char *const *texts)
{
	svc.no_access = list(texts);
}

static bool
allowed(const char *text)
{
	struct access_addr a = addr(text);

	return access_address_allowed(&svc, &a);
}

START_TEST(addr_mapped_is_ipv4)
{
	struct access_addr a = addr("::ffff:192.0.2.1"), b = addr("192.0.2.1");
	struct access_addr c = addr("2001:db8::1");

	ck_assert_int_eq(a.family, AF_INET);
	ck_assert_mem_eq(&a, &b, sizeof(a));
	ck_assert_int_eq(c.family, AF_INET6);
	ck_assert_int_eq(c.addr[0], 0x20);
	ck_assert_int_eq(c.addr[15], 1);
}
END_TEST

START_TEST(addr_other_family)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	struct sockaddr_in sin = { .sin_family = AF_INET };
	struct access_addr a;

	ck_assert_int_eq(access_addr_from_sockaddr((struct sockaddr *)&sun, sizeof(sun), &a), -1);
	/* too short for its family */
	ck_assert_int_eq(access_addr_from_sockaddr((struct sockaddr *)&sin, 4, &a), -1);
}
END_TEST

START_TEST(match_longest_prefix)
{
	static const char *const texts[] = {
		"10.0.0.0/8", "10.1.0.0/16", "10.1.2.3", "2001:db8::/32", "2001:db8:1::/48", NULL
	};
	struct addr_list l = list(texts);
	struct access_addr a;

	a = addr("10.9.9.9");
	ck_assert_int_eq(access_list_match(&l, &a), 8);
	a = addr("10.1.9.9");
	ck_assert_int_eq(access_list_match(&l, &a), 16);
	a = addr("10.1.2.3");
	ck_assert_int_eq(access_list_match(&l, &a), 32);
	a = addr("::ffff:10.1.2.3");
	ck_assert_int_eq(access_list_match(&l, &a), 32);
	a = addr("11.0.0.1");
	ck_assert_int_eq(access_list_match(&l, &a), -1);
	a = addr("2001:db8:1::5");
	ck_assert_int_eq(access_list_match(&l, &a), 48);
	a = addr("2001:db8:2::5");
	ck_assert_int_eq(access_list_match(&l, &a), 32);
	a = addr("2001:db9::1");
	ck_assert_int_eq(access_list_match(&l, &a), -1);
	free(l.rules);
}
END_TEST

START_TEST(match_odd_prefix_bits)
{
	static const char *const texts[] = { "192.168.4.0/22", "fe80::/10", NULL };
	struct addr_list l = list(texts);
	struct access_addr a;

	a = addr("192.168.7.255");
	ck_assert_int_eq(access_list_match(&l, &a), 22);
	a = addr("192.168.8.0");
	ck_assert_int_eq(access_list_match(&l, &a), -1);
	a = addr("192.168.3.255");
	ck_assert_int_eq(access_list_match(&l, &a), -1);
	a = addr("febf::1");
	ck_assert_int_eq(access_list_match(&l, &a), 10);
	a = addr("fec0::1");
	ck_assert_int_eq(access_list_match(&l, &a), -1);
	free(l.rules);
}
END_TEST

START_TEST(match_families_apart)
{
	static const char *const v6all[] = { "::/0", NULL };
	static const char *const v4all[] = { "0.0.0.0/0", NULL };
	static const char *const mapped[] = { "::ffff:192.0.2.0/120", NULL };
	struct addr_list l6 = list(v6all), l4 = list(v4all), lm = list(mapped);
	struct access_addr v4 = addr("192.0.2.7"), v6 = addr("::1");

	/* ::/0 is "all of IPv6"; IPv4 peers are matched as IPv4 */
	ck_assert_int_eq(access_list_match(&l6, &v4), -1);
	ck_assert_int_eq(access_list_match(&l6, &v6), 0);
	ck_assert_int_eq(access_list_match(&l4, &v6), -1);
	ck_assert_int_eq(access_list_match(&l4, &v4), 0);
	/* a rule written as a mapped block is an IPv4 rule: /120 is /24 */
	ck_assert_int_eq(access_list_match(&lm, &v4), 24);
	v4 = addr("192.0.3.7");
	ck_assert_int_eq(access_list_match(&lm, &v4), -1);
	free(l6.rules);
	free(l4.rules);
	free(lm.rules);
}
END_TEST

START_TEST(allowed_no_lists)
{
	ck_assert(allowed("127.0.0.1"));
	ck_assert(allowed("::1"));
}
END_TEST

START_TEST(allowed_empty_only_from)
{
	static const char *const none[] = { NULL };

	only_from(none);
	ck_assert(!allowed("127.0.0.1"));
	ck_assert(!allowed("::1"));
}
END_TEST

START_TEST(allowed_only_from)
{
	static const char *const of[] = { "127.0.0.1", "::1", NULL };

	only_from(of);
	ck_assert(allowed("127.0.0.1"));
	ck_assert(allowed("::ffff:127.0.0.1"));
	ck_assert(!allowed("127.0.0.2"));
	ck_assert(allowed("::1"));
	ck_assert(!allowed("::2"));
}
END_TEST

START_TEST(allowed_no_access)
{
	static const char *const na[] = { "127.0.0.2", "2001:db8::/32", NULL };

	no_access(na);
	ck_assert(allowed("127.0.0.1"));
	ck_assert(!allowed("127.0.0.2"));
	ck_assert(!allowed("::ffff:127.0.0.2"));
	ck_assert(!allowed("2001:db8::1"));
	ck_assert(allowed("::1"));
}
END_TEST

START_TEST(allowed_more_specific_wins)
{
	static const char *const of[] = { "10.0.0.0/8", "10.1.2.3", NULL };
	static const char *const na[] = { "10.1.0.0/16", NULL };

	only_from(of);
	no_access(na);
	ck_assert(allowed("10.2.0.1"));		/* only only_from matches */
	ck_assert(!allowed("10.1.0.1"));	/* /16 deny beats /8 allow */
	ck_assert(allowed("10.1.2.3"));		/* /32 allow beats /16 deny */
	ck_assert(!allowed("11.0.0.1"));	/* neither: only_from is set */
}
END_TEST

START_TEST(allowed_tie_denies)
{
	static const char *const of[] = { "10.0.0.0/8", "::ffff:10.0.0.5", NULL };
	static const char *const na[] = { "10.0.0.0/8", "10.0.0.5", NULL };

	only_from(of);
	no_access(na);
	ck_assert(!allowed("10.9.9.9"));
	/* the same /32, once written mapped, once plain: still a tie */
	ck_assert(!allowed("10.0.0.5"));
}
END_TEST

static bool
time_ok(int hour, int min)
{
	struct tm tm = { .tm_hour = hour, .tm_min = min };

	return access_time_allowed(&svc, &tm);
}

static void
windows(const struct time_window *w, size_t n)
{
	svc.access_times = calloc(n, sizeof(*w));
	ck_assert_ptr_nonnull(svc.access_times);
	memcpy(svc.access_times, w, n * sizeof(*w));
	svc.naccess_times = n;
}

START_TEST(times_none_always)
{
	ck_assert(time_ok(0, 0));
	ck_assert(time_ok(23, 59));
}
END_TEST

START_TEST(times_day_window)
{
	static const struct time_window w[] = { { 9 * 60, 17 * 60 } };

	windows(w, 1);
	ck_assert(!time_ok(8, 59));
	ck_assert(time_ok(9, 0));
	ck_assert(time_ok(12, 30));
	ck_assert(time_ok(17, 0));	/* the end minute is inside */
	ck_assert(!time_ok(17, 1));
}
END_TEST

START_TEST(times_over_midnight_and_several)
{
	static const struct time_window w[] = { { 22 * 60, 2 * 60 }, { 12 * 60, 12 * 60 + 5 } };

	windows(w, 2);
	ck_assert(time_ok(23, 0));
	ck_assert(time_ok(0, 0));
	ck_assert(time_ok(2, 0));
	ck_assert(!time_ok(2, 1));
	ck_assert(!time_ok(21, 59));
	ck_assert(time_ok(12, 3));
	ck_assert(!time_ok(12, 6));
}
END_TEST

START_TEST(rate_window)
{
	struct access_rate r = { 0, 0 };

	ck_assert(!access_rate_hit(&r, 3, 1000, 5000));
	ck_assert(!access_rate_hit(&r, 3, 1000, 5100));
	ck_assert(!access_rate_hit(&r, 3, 1000, 5999));
	ck_assert(access_rate_hit(&r, 3, 1000, 5999));		/* the 4th in the window */
	ck_assert(!access_rate_hit(&r, 3, 1000, 6000));	/* starts over */
	ck_assert(!access_rate_hit(&r, 3, 1000, 6001));
	ck_assert(!access_rate_hit(&r, 3, 1000, 6002));
	ck_assert(access_rate_hit(&r, 3, 1000, 6003));
	/* a new window after the old one ran out */
	ck_assert(!access_rate_hit(&r, 3, 1000, 9000));
	ck_assert(!access_rate_hit(&r, 3, 1000, 9999));
	ck_assert(!access_rate_hit(&r, 3, 1000, 10000));
}
END_TEST

START_TEST(rate_from_zero_clock)
{
	struct access_rate r = { 0, 0 };

	/* a monotonic clock may read 0 at the first event */
	ck_assert(!access_rate_hit(&r, 1, 60000, 0));
	ck_assert(access_rate_hit(&r, 1, 60000, 10));
}
END_TEST

START_TEST(sources_count)
{
	struct access_sources *t = access_sources_new();
	struct access_addr a = addr("127.0.0.1"), m = addr("::ffff:127.0.0.1");
	struct access_addr b = addr("::1");

	ck_assert_ptr_nonnull(t);
	ck_assert_uint_eq(access_sources_get(t, &a), 0);
	ck_assert_int_eq(access_sources_inc(t, &a), 1);
	ck_assert_int_eq(access_sources_inc(t, &m), 2);	/* the same peer */
	ck_assert_int_eq(access_sources_inc(t, &b), 1);
	ck_assert_uint_eq(access_sources_size(t), 2);
	access_sources_dec(t, &a);
	ck_assert_uint_eq(access_sources_get(t, &a), 1);
	access_sources_dec(t, &a);
	ck_assert_uint_eq(access_sources_get(t, &a), 0);
	ck_assert_uint_eq(access_sources_size(t), 1);	/* freed at zero */
	access_sources_dec(t, &a);			/* absent: no effect */
	ck_assert_uint_eq(access_sources_size(t), 1);
	ck_assert_uint_eq(access_sources_get(t, &b), 1);
	access_sources_free(t);
	access_sources_free(NULL);
}
END_TEST

START_TEST(sources_many)
{
	enum { N = 20000 };
	struct access_sources *t = access_sources_new();
	struct access_addr a;

	ck_assert_ptr_nonnull(t);
	memset(&a, 0, sizeof(a));
	a.family = AF_INET6;
	a.addr[0] = 0x20;
	for (unsigned i = 0; i < N; i++) {
		a.addr[14] = (uint8_t)(i >> 8);
		a.addr[15] = (uint8_t)i;
		a.addr[13] = (uint8_t)(i >> 16);
		ck_assert_int_eq(access_sources_inc(t, &a), 1);
		if (i % 3 == 0)
			ck_assert_int_eq(access_sources_inc(t, &a), 2);
	}
	ck_assert_uint_eq(access_sources_size(t), N);
	for (unsigned i = 0; i < N; i++) {
		a.addr[14] = (uint8_t)(i >> 8);
		a.addr[15] = (uint8_t)i;
		a.addr[13] = (uint8_t)(i >> 16);
		ck_assert_uint_eq(access_sources_get(t, &a), i % 3 == 0 ? 2 : 1);
		access_sources_dec(t, &a);
	}
	ck_assert_uint_eq(access_sources_size(t), N / 3 + 1);
	access_sources_free(t);
}
END_TEST

static struct access_request
request(const struct access_addr *a)
{
	struct access_request rq = {
		.addr = a, .local = NULL, .now_ms = 1000, .load = -1,
		.running = 0, .children = 0, .max_children = LIMIT_UNLIMITED,
	};
	return rq;
}

START_TEST(admit_each_reason)
{
	static const char *const na[] = { "127.0.0.2", NULL };
	static const struct time_window w[] = { { 9 * 60, 10 * 60 } };
	struct access_sources *t = access_sources_new();
	struct access_rate cps = { 0, 0 };
	struct access_addr ok = addr("127.0.0.1"), bad = addr("127.0.0.2");
	struct access_request rq = request(&ok);
	struct tm eleven = { .tm_hour = 11 }, nine = { .tm_hour = 9 };

	no_access(na);
	windows(w, 1);
	svc.instances = 2;
	svc.per_source = 1;
	svc.max_load = 1.5;
	ck_assert_int_eq(access_admit(&svc, t, &cps, &rq), REFUSED_NONE);
	rq.addr = &bad;
	ck_assert_int_eq(access_admit(&svc, t, &cps, &rq), REFUSED_ACCESS);
	rq.addr = &ok;
	rq.local = &eleven;
	ck_assert_int_eq(access_admit(&svc, t, &cps, &rq), REFUSED_TIME);
	rq.local = &nine;
	rq.max_children = 3;
	rq.children = 3;
	ck_assert_int_eq(access_admit(&svc, t, &cps, &rq), REFUSED_CHILDREN);
	rq.children = 2;
	rq.running = 2;
	ck_assert_int_eq(access_admit(&svc, t, &cps, &rq), REFUSED_INSTANCES);
	rq.running = 1;
	ck_assert_int_eq(access_sources_inc(t, &ok), 1);
	ck_assert_int_eq(access_admit(&svc, t, &cps, &rq), REFUSED_PER_SOURCE);
	access_sources_dec(t, &ok);
	rq.load = 1.6;
	ck_assert_int_eq(access_admit(&svc, t, &cps, &rq), REFUSED_LOAD);
	rq.load = 1.5;
	ck_assert_int_eq(access_admit(&svc, t, &cps, &rq), REFUSED_NONE);
	/* an unknown remote skips the address checks only */
	rq.addr = NULL;
	ck_assert_int_eq(access_admit(&svc, t, &cps, &rq), REFUSED_NONE);
	rq.running = 2;
	ck_assert_int_eq(access_admit(&svc, t, &cps, &rq), REFUSED_INSTANCES);
	access_sources_free(t);
}
END_TEST

/* 2 a second, burst 3, on a made-up clock: full at first, then one token
 * every 500 ms, never more than the burst, and the wait until the next. */
START_TEST(bucket_arithmetic)
{
	struct access_bucket b = { 0 };

	for (int i = 0; i < 3; i++)
		ck_assert(access_bucket_take(&b, 2000, 3, 0));
	ck_assert(!access_bucket_take(&b, 2000, 3, 0));
	ck_assert_uint_eq(access_bucket_wait(&b, 2000, 3, 0), 500);
	ck_assert_uint_eq(access_bucket_wait(&b, 2000, 3, 499), 1);
	ck_assert(!access_bucket_take(&b, 2000, 3, 499));
	ck_assert(access_bucket_take(&b, 2000, 3, 500));
	ck_assert(!access_bucket_take(&b, 2000, 3, 999));
	/* a long rest fills it to the burst, not beyond */
	ck_assert_uint_eq(access_bucket_wait(&b, 2000, 3, 86400000ULL * 365), 0);
	for (int i = 0; i < 3; i++)
		ck_assert(access_bucket_take(&b, 2000, 3, 86400000ULL * 365));
	ck_assert(!access_bucket_take(&b, 2000, 3, 86400000ULL * 365));
}
END_TEST

/* A fraction of a connection a second (0.001 to 0.5) refills exactly, and
 * a clock that does not move adds nothing. */
START_TEST(bucket_slow_and_fast)
{
	struct access_bucket b = { 0 }, f = { 0 };

	ck_assert(access_bucket_take(&b, 500, 1, 10));
	ck_assert_uint_eq(access_bucket_wait(&b, 500, 1, 10), 2000);
	ck_assert(!access_bucket_take(&b, 500, 1, 2009));
	ck_assert(access_bucket_take(&b, 500, 1, 2010));
	ck_assert(!access_bucket_take(&b, 500, 1, 2010));
	b = (struct access_bucket){ 0 };
	ck_assert(access_bucket_take(&b, 1, 1, 5));
	ck_assert_uint_eq(access_bucket_wait(&b, 1, 1, 5), 1000000);
	/* a million a second: a thousand each millisecond */
	for (int i = 0; i < 1000; i++)
		ck_assert(access_bucket_take(&f, 1000000000, 1000, 7));
	ck_assert(!access_bucket_take(&f, 1000000000, 1000, 7));
	for (int i = 0; i < 1000; i++)
		ck_assert(access_bucket_take(&f, 1000000000, 1000, 8));
	/* a burst lowered (a reload) caps what the bucket holds */
	ck_assert(access_bucket_take(&f, 1000000000, 1, 100));
	ck_assert(!access_bucket_take(&f, 1000000000, 1, 100));
}
END_TEST

/* Keyed by /32 and /64; the least recently seen goes first when full. */
START_TEST(rate_table_keys_and_eviction)
{
	struct access_rate_table *t = access_rate_table_new(3);
	struct access_addr a = addr("192.0.2.1"), b = addr("192.0.2.2");
	struct access_addr c = addr("2001:db8::1"), c2 = addr("2001:db8::ffff:1");
	struct access_addr d = addr("2001:db8:0:1::1");
	struct access_bucket *ba;

	ck_assert_ptr_nonnull(t);
	ba = access_rate_table_get(t, &a);
	ck_assert(access_bucket_take(ba, 1000, 1, 0));
	ck_assert(!access_bucket_take(access_rate_table_get(t, &a), 1000, 1, 0));
	/* another /32 has a bucket of its own */
	ck_assert(access_bucket_take(access_rate_table_get(t, &b), 1000, 1, 0));
	/* one /64: one bucket */
	ck_assert(access_bucket_take(access_rate_table_get(t, &c), 1000, 1, 0));
	ck_assert(!access_bucket_take(access_rate_table_get(t, &c2), 1000, 1, 0));
	ck_assert_uint_eq(access_rate_table_size(t), 3);
	/* a seen again: b is now the oldest, and d evicts it */
	ck_assert(!access_bucket_take(access_rate_table_get(t, &a), 1000, 1, 0));
	ck_assert(access_bucket_take(access_rate_table_get(t, &d), 1000, 1, 0));
	ck_assert_uint_eq(access_rate_table_size(t), 3);
	ck_assert(!access_bucket_take(access_rate_table_get(t, &a), 1000, 1, 0));
	/* b comes back full (and evicts c, the oldest now) */
	ck_assert(access_bucket_take(access_rate_table_get(t, &b), 1000, 1, 0));
	ck_assert(access_bucket_take(access_rate_table_get(t, &c2), 1000, 1, 0));
	ck_assert_uint_eq(access_rate_table_size(t), 3);
	access_rate_table_free(t);
}
END_TEST

/* Many sources through a small table: bounded, every lookup found. */
START_TEST(rate_table_bounded)
{
	struct access_rate_table *t = access_rate_table_new(64);

	for (unsigned i = 0; i < 5000; i++) {
		struct access_addr a = { .family = AF_INET };

		memcpy(a.addr, &i, sizeof(i));
		ck_assert_ptr_nonnull(access_rate_table_get(t, &a));
		ck_assert_uint_le(access_rate_table_size(t), 64);
	}
	ck_assert_uint_eq(access_rate_table_size(t), 64);
	access_rate_table_free(t);
}
END_TEST

/* per_source_rate then rate come after load and before cps; a refused
 * connection takes no token from either bucket. */
START_TEST(admit_rates)
{
	static const char *const na[] = { "127.0.0.3", NULL };
	struct access_bucket svcb = { 0 }, srcb = { 0 }, other = { 0 };
	struct access_rate cps = { 0, 0 };
	struct access_addr a = addr("127.0.0.2"), bad = addr("127.0.0.3");
	struct access_request rq = request(&a);

	no_access(na);
	svc.rate_milli = 3000;
	svc.rate_burst = 3;
	svc.source_rate_milli = 1000;
	svc.source_burst = 2;
	svc.cps_rate = 100;
	svc.cps_wait = 1;
	rq.rate = &svcb;
	rq.source_rate = &srcb;
	ck_assert_int_eq(access_admit(&svc, NULL, &cps, &rq), REFUSED_NONE);
	ck_assert_int_eq(access_admit(&svc, NULL, &cps, &rq), REFUSED_NONE);
	ck_assert_int_eq(access_admit(&svc, NULL, &cps, &rq), REFUSED_SOURCE_RATE);
	ck_assert_int_eq(access_admit(&svc, NULL, &cps, &rq), REFUSED_SOURCE_RATE);
	/* another source: its own bucket, the service's last token */
	rq.source_rate = &other;
	ck_assert_int_eq(access_admit(&svc, NULL, &cps, &rq), REFUSED_NONE);
	ck_assert_int_eq(access_admit(&svc, NULL, &cps, &rq), REFUSED_RATE);
	/* an address refusal comes first and costs nothing */
	rq.addr = &bad;
	rq.now_ms += 1000;
	for (int i = 0; i < 10; i++)
		ck_assert_int_eq(access_admit(&svc, NULL, &cps, &rq), REFUSED_ACCESS);
	rq.addr = &a;
	ck_assert_int_eq(access_admit(&svc, NULL, &cps, &rq), REFUSED_NONE);
	/* held back by its source's bucket: the service keeps its tokens */
	rq.source_rate = &srcb;
	ck_assert_int_eq(access_admit(&svc, NULL, &cps, &rq), REFUSED_NONE);
	ck_assert_int_eq(access_admit(&svc, NULL, &cps, &rq), REFUSED_SOURCE_RATE);
	ck_assert_uint_eq(access_bucket_wait(&svcb, 3000, 3, rq.now_ms), 0);
	/* no bucket given (an unknown source): that check is skipped */
	rq.source_rate = NULL;
	ck_assert_int_eq(access_admit(&svc, NULL, &cps, &rq), REFUSED_NONE);
	ck_assert_int_eq(access_admit(&svc, NULL, &cps, &rq), REFUSED_RATE);
	/* the cps window (since the clock moved) counts only what the
	 * buckets let through */
	ck_assert_uint_eq(cps.count, 3);
	ck_assert_str_eq(access_refusal_name(REFUSED_RATE), "rate");
	ck_assert_str_eq(access_refusal_name(REFUSED_SOURCE_RATE), "per_source_rate");
}
END_TEST

START_TEST(admit_cps_counts_admitted_only)
{
	static const char *const na[] = { "127.0.0.2", NULL };
	struct access_rate cps = { 0, 0 };
	struct access_addr ok = addr("127.0.0.1"), bad = addr("127.0.0.2");
	struct access_request rq = request(&ok);

	no_access(na);
	svc.cps_rate = 2;
	svc.cps_wait = 5;
	ck_assert_int_eq(access_admit(&svc, NULL, &cps, &rq), REFUSED_NONE);
	rq.addr = &bad;
	for (int i = 0; i < 10; i++)
		ck_assert_int_eq(access_admit(&svc, NULL, &cps, &rq), REFUSED_ACCESS);
	rq.addr = &ok;
	ck_assert_int_eq(access_admit(&svc, NULL, &cps, &rq), REFUSED_NONE);
	ck_assert_int_eq(access_admit(&svc, NULL, &cps, &rq), REFUSED_CPS);
	rq.now_ms += 1000;
	ck_assert_int_eq(access_admit(&svc, NULL, &cps, &rq), REFUSED_NONE);
}
END_TEST

START_TEST(admit_unlimited)
{
	struct access_sources *t = access_sources_new();
	struct access_addr ok = addr("::1");
	struct access_request rq = request(&ok);

	rq.running = 1000000;
	rq.children = 1000000;
	for (int i = 0; i < 1000; i++)
		ck_assert_int_eq(access_sources_inc(t, &ok), i + 1);
	ck_assert_int_eq(access_admit(&svc, t, NULL, &rq), REFUSED_NONE);
	access_sources_free(t);
}
END_TEST

START_TEST(loadavg)
{
	double v = -1;

	ck_assert_int_eq(access_parse_loadavg("0.52 0.58 0.59 1/467 12345\n", &v), 0);
	ck_assert(v > 0.519 && v < 0.521);
	ck_assert_int_eq(access_parse_loadavg("12.00 1 1 1/1 1", &v), 0);
	ck_assert(v > 11.99 && v < 12.01);
	ck_assert_int_eq(access_parse_loadavg("", &v), -1);
	ck_assert_int_eq(access_parse_loadavg("x 1 2", &v), -1);
	ck_assert_int_eq(access_parse_loadavg("-1", &v), -1);
}
END_TEST

static char tmpdir[256];

static void
tmp_setup(void)
{
	const char *base = getenv("TMPDIR");

	ck_assert_int_lt(snprintf(tmpdir, sizeof(tmpdir), "%s/check_access.XXXXXX",
				  base ? base : "/tmp"), (int)sizeof(tmpdir));
	ck_assert_ptr_nonnull(mkdtemp(tmpdir));
	ck_assert_int_eq(chmod(tmpdir, 0755), 0);
}

static void
tmp_teardown(void)
{
	char cmd[sizeof(tmpdir) + 16];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", tmpdir);
}

static void
touch(const char *name, mode_t mode)
{
	char path[PATH_MAX];
	FILE *fp;

	snprintf(path, sizeof(path), "%s/%s", tmpdir, name);
	fp = fopen(path, "w");
	ck_assert_ptr_nonnull(fp);
	fclose(fp);
	ck_assert_int_eq(chmod(path, mode), 0);
}

/* The positive cases need the temporary directory's parents to be safe
 * themselves and the files to be root's. */
static bool
can_be_secure(void)
{
	char err[512];

	return geteuid() == 0 && access_secure_path(tmpdir, err, sizeof(err)) == 0;
}

START_TEST(secure_modes)
{
	char err[512], path[PATH_MAX];

	touch("a.conf", 0644);
	touch("b.conf", 0664);
	touch("notes.txt", 0666);	/* not read, not checked */
	snprintf(path, sizeof(path), "%s/b.conf", tmpdir);
	ck_assert_int_eq(access_secure_path(path, err, sizeof(err)), -1);
	if (geteuid() == 0)
		ck_assert_msg(strstr(err, "writable by its group") && strstr(err, "chmod go-w"), "%s", err);
	ck_assert_int_eq(access_secure_dir(tmpdir, err, sizeof(err)), -1);
	ck_assert_msg(strstr(err, tmpdir), "%s", err);
	ck_assert_int_eq(chmod(path, 0640), 0);
	if (can_be_secure()) {
		ck_assert_msg(access_secure_dir(tmpdir, err, sizeof(err)) == 0, "%s", err);
		/* the directory itself */
		ck_assert_int_eq(chmod(tmpdir, 0757), 0);
		ck_assert_int_eq(access_secure_dir(tmpdir, err, sizeof(err)), -1);
		ck_assert_msg(strstr(err, "writable by others"), "%s", err);
		/* sticky is no excuse for the directory that holds the config */
		ck_assert_int_eq(chmod(tmpdir, 01777), 0);
		ck_assert_int_eq(access_secure_dir(tmpdir, err, sizeof(err)), -1);
		ck_assert_int_eq(chmod(tmpdir, 0755), 0);
	}
}
END_TEST

START_TEST(secure_owner_and_parent)
{
	char err[512], sub[sizeof(tmpdir) + 8], path[PATH_MAX];

	if (!can_be_secure())
		return;
	snprintf(sub, sizeof(sub), "%s/sub", tmpdir);
	ck_assert_int_eq(mkdir(sub, 0755), 0);
	snprintf(path, sizeof(path), "%s/x.conf", sub);
	touch("sub/x.conf", 0644);
	ck_assert_msg(access_secure_path(path, err, sizeof(err)) == 0, "%s", err);
	ck_assert_int_eq(chown(path, 65534, 0), 0);
	ck_assert_int_eq(access_secure_path(path, err, sizeof(err)), -1);
	ck_assert_msg(strstr(err, "owned by uid 65534") && strstr(err, "chown root"), "%s", err);
	ck_assert_int_eq(chown(path, 0, 0), 0);
	/* a group-writable parent lets its group swap the file */
	ck_assert_int_eq(chmod(tmpdir, 0775), 0);
	ck_assert_int_eq(access_secure_path(path, err, sizeof(err)), -1);
	ck_assert_msg(strstr(err, tmpdir) && strstr(err, "its group"), "%s", err);
	ck_assert_int_eq(chmod(tmpdir, 0755), 0);
	ck_assert_int_eq(access_secure_path(path, err, sizeof(err)), 0);
	snprintf(path, sizeof(path), "%s/missing", sub);
	ck_assert_int_eq(access_secure_path(path, err, sizeof(err)), -1);
}
END_TEST

/* access_secure_dir() checks a plain entry by itself (its directory's
 * chain is checked once), but follows a link and checks the whole chain
 * of its target. */
START_TEST(secure_dir_links)
{
	char err[512], open_dir[sizeof(tmpdir) + 8], target[PATH_MAX], link[PATH_MAX];

	if (!can_be_secure())
		return;
	snprintf(open_dir, sizeof(open_dir), "%s/open", tmpdir);
	ck_assert_int_eq(mkdir(open_dir, 0755), 0);
	touch("open/y.conf", 0644);
	touch("x.conf", 0644);
	ck_assert_int_eq(chmod(open_dir, 0777), 0);	/* others may swap y.conf */
	ck_assert_msg(access_secure_dir(tmpdir, err, sizeof(err)) == 0, "%s", err);
	snprintf(target, sizeof(target), "%s/y.conf", open_dir);
	snprintf(link, sizeof(link), "%s/link.conf", tmpdir);
	ck_assert_int_eq(symlink(target, link), 0);
	ck_assert_int_eq(access_secure_dir(tmpdir, err, sizeof(err)), -1);
	ck_assert_msg(strstr(err, open_dir) && strstr(err, "writable by others"), "%s", err);
	ck_assert_int_eq(chmod(open_dir, 0755), 0);
	ck_assert_msg(access_secure_dir(tmpdir, err, sizeof(err)) == 0, "%s", err);
	/* a plain entry is still checked itself */
	snprintf(target, sizeof(target), "%s/x.conf", tmpdir);
	ck_assert_int_eq(chown(target, 65534, 0), 0);
	ck_assert_int_eq(access_secure_dir(tmpdir, err, sizeof(err)), -1);
	ck_assert_msg(strstr(err, "x.conf: owned by uid 65534"), "%s", err);
	ck_assert_int_eq(unlink(link), 0);
}
END_TEST

static Suite *
access_suite(void)
{
	Suite *s = suite_create("access");
	TCase *tc = tcase_create("addresses");

	tcase_add_checked_fixture(tc, svc_setup, svc_teardown);
	tcase_add_test(tc, addr_mapped_is_ipv4);
	tcase_add_test(tc, addr_other_family);
	tcase_add_test(tc, match_longest_prefix);
	tcase_add_test(tc, match_odd_prefix_bits);
	tcase_add_test(tc, match_families_apart);
	tcase_add_test(tc, allowed_no_lists);
	tcase_add_test(tc, allowed_empty_only_from);
	tcase_add_test(tc, allowed_only_from);
	tcase_add_test(tc, allowed_no_access);
	tcase_add_test(tc, allowed_more_specific_wins);
	tcase_add_test(tc, allowed_tie_denies);
	suite_add_tcase(s, tc);

	tc = tcase_create("limits");
	tcase_add_checked_fixture(tc, svc_setup, svc_teardown);
	tcase_add_test(tc, times_none_always);
	tcase_add_test(tc, times_day_window);
	tcase_add_test(tc, times_over_midnight_and_several);
	tcase_add_test(tc, rate_window);
	tcase_add_test(tc, rate_from_zero_clock);
	tcase_add_test(tc, sources_count);
	tcase_add_test(tc, sources_many);
	tcase_add_test(tc, admit_each_reason);
	tcase_add_test(tc, admit_cps_counts_admitted_only);
	tcase_add_test(tc, bucket_arithmetic);
	tcase_add_test(tc, bucket_slow_and_fast);
	tcase_add_test(tc, rate_table_keys_and_eviction);
	tcase_add_test(tc, rate_table_bounded);
	tcase_add_test(tc, admit_rates);
	tcase_add_test(tc, admit_unlimited);
	tcase_add_test(tc, loadavg);
	suite_add_tcase(s, tc);

	tc = tcase_create("strictmodes");
	tcase_add_checked_fixture(tc, tmp_setup, tmp_teardown);
	tcase_add_test(tc, secure_modes);
	tcase_add_test(tc, secure_owner_and_parent);
	tcase_add_test(tc, secure_dir_links);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return check_run(access_suite());
}
