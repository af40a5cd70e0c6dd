/* SPDX-License-Identifier: ISC */
/* access_hash: the keyed hash of the per-source tables (access.c,
 * access_rate.c): peers choose their addresses, so where an address lands
 * must not be predictable from it. */
#include "autoconf.h"

#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#include "config/config_int.h"
#include "config/config.h"

static uint64_t
rotl(uint64_t x, int b)
{
	return (x << b) | (x >> (64 - b));
}

#define SIPROUND(v0, v1, v2, v3) do { \
	v0 += v1; v1 = rotl(v1, 13); v1 ^= v0; v0 = rotl(v0, 32); \
	v2 += v3; v3 = rotl(v3, 16); v3 ^= v2; \
	v0 += v3; v3 = rotl(v3, 21); v3 ^= v0; \
	v2 += v1; v1 = rotl(v1, 17); v1 ^= v2; v2 = rotl(v2, 32); \
} while (0)

/* SipHash-2-4 (Aumasson and Bernstein) of exactly 17 bytes, the size of an
 * access_addr: peers pick their addresses, so the bucket must not be
 * predictable from them or one /64 could chain every entry in one bucket. */
uint64_t
access_hash(const uint64_t key[2], const struct access_addr *a)
{
	uint8_t in[24] = { 0 };
	uint64_t v0 = key[0] ^ 0x736f6d6570736575ULL;
	uint64_t v1 = key[1] ^ 0x646f72616e646f6dULL;
	uint64_t v2 = key[0] ^ 0x6c7967656e657261ULL;
	uint64_t v3 = key[1] ^ 0x7465646279746573ULL;
	const size_t len = sizeof(a->family) + sizeof(a->addr);

	in[0] = a->family;
	memcpy(in + 1, a->addr, sizeof(a->addr));
	in[23] = (uint8_t)len;	/* the last word carries the length in its top byte */
	for (size_t i = 0; i < sizeof(in); i += 8) {
		uint64_t m = 0;

		for (int j = 7; j >= 0; j--)
			m = (m << 8) | in[i + j];
		v3 ^= m;
		SIPROUND(v0, v1, v2, v3);
		SIPROUND(v0, v1, v2, v3);
		v0 ^= m;
	}
	v2 ^= 0xff;
	for (int i = 0; i < 4; i++)
		SIPROUND(v0, v1, v2, v3);
	return v0 ^ v1 ^ v2 ^ v3;
}

/* Without entropy yet (early boot) a weaker key from the clock and the
 * table's own address still differs per run. */
void
access_random_key(uint64_t key[2], const void *table)
{
	struct timespec ts;

	if (getrandom(key, 2 * sizeof(*key), GRND_NONBLOCK) == (ssize_t)(2 * sizeof(*key)))
		return;
	if (clock_gettime(CLOCK_MONOTONIC, &ts) != 0)
		memset(&ts, 0, sizeof(ts));
	key[0] = (uint64_t)ts.tv_nsec ^ ((uint64_t)ts.tv_sec << 32);
	key[1] = (uint64_t)(uintptr_t)table ^ (uint64_t)getpid();
}
