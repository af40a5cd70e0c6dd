/* spawn_plan: the pure part of starting a handler. Deciding, once per
 * service, which of the child's calls would change nothing (credentials the
 * daemon already has, a limit already at the wanted value) so that the child
 * skips them, and formatting the per-connection environment without stdio.
 * No system calls: tests/check_spawn_plan.c drives it with plain values. */
#ifndef PORTIER_SPAWN_PLAN_H
#define PORTIER_SPAWN_PLAN_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/resource.h>
#include <sys/types.h>

/* The same set of groups (order and repeats do not matter: the kernel keeps
 * supplementary groups as a sorted set). */
bool spawn_plan_same_groups(const gid_t *a, size_t na, const gid_t *b, size_t nb);

/* True when an id equals the real, effective and saved one (ids[3]): the
 * setres*id() call to it would change nothing. */
bool spawn_plan_same_id(unsigned int want, const unsigned int ids[3]);

/* True when a limit of want (soft and hard) is what cur says already. */
bool spawn_plan_same_rlimit(const struct rlimit *cur, rlim_t want);

/* Writes prefix then text into dst (cap bytes), cut to fit and always
 * terminated; returns the length written. */
size_t spawn_plan_put(char *dst, size_t cap, const char *prefix, const char *text);
/* The same with a number in decimal. */
size_t spawn_plan_put_uint(char *dst, size_t cap, const char *prefix, unsigned long v);

#endif
