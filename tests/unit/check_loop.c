/* SPDX-License-Identifier: ISC */
/* Unit tests for the event loop (sbin/loop.c): the timer heap and watchers. */
#include "autoconf.h"

#include <check.h>
#include <stdbool.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <unistd.h>

#include "base/base.h"
#include "check_run.h"

#define NTIMERS 200

struct tt {
	struct timer t;
	int id;
	bool cancelled;
};

static struct tt timers[NTIMERS];
static uint64_t last_when;
static int fired, expected;
static bool out_of_order, fired_cancelled;

static void
on_timer(struct timer *t)
{
	struct tt *x = container_of(t, struct tt, t);

	if (t->when < last_when)
		out_of_order = true;
	if (x->cancelled)
		fired_cancelled = true;
	last_when = t->when;
	if (++fired == expected)
		loop_stop();
}

START_TEST(test_timers_fire_in_order)
{
	srand(42);
	ck_assert_int_eq(loop_init(), 0);
	fired = 0;
	expected = 0;
	last_when = 0;
	for (int i = 0; i < NTIMERS; i++) {
		timers[i] = (struct tt){ .t.fn = on_timer, .id = i };
		timer_arm(&timers[i].t, rand() % 30);
	}
	/* re-arm some (moves them in the heap), cancel others */
	for (int i = 0; i < NTIMERS; i += 3)
		timer_arm(&timers[i].t, rand() % 30);
	for (int i = 1; i < NTIMERS; i += 4) {
		timer_cancel(&timers[i].t);
		timers[i].cancelled = true;
		ck_assert_uint_eq(timers[i].t.slot, 0);
	}
	for (int i = 0; i < NTIMERS; i++)
		expected += !timers[i].cancelled;
	ck_assert_int_eq(loop_run(), 0);
	ck_assert_int_eq(fired, expected);
	ck_assert(!out_of_order);
	ck_assert(!fired_cancelled);
	for (int i = 0; i < NTIMERS; i++)
		ck_assert_uint_eq(timers[i].t.slot, 0);
	loop_exit();
}
END_TEST

/* Two readable pipes in one epoll batch: the first callback removes the
 * second watcher, whose pending event must then be dropped. */
static struct watcher wa, wb;
static int pa[2], pb[2];
static int calls_a, calls_b;

static void
on_a(struct watcher *w, uint32_t ev)
{
	calls_a++;
	loop_unwatch(&wb);
	loop_unwatch(&wa);
	loop_stop();
}

static void
on_b(struct watcher *w, uint32_t ev)
{
	calls_b++;
	loop_unwatch(&wa);
	loop_unwatch(&wb);
	loop_stop();
}

START_TEST(test_unwatch_drops_pending_event)
{
	ck_assert_int_eq(loop_init(), 0);
	ck_assert_int_eq(pipe(pa), 0);
	ck_assert_int_eq(pipe(pb), 0);
	wa = (struct watcher){ .fd = pa[0], .fn = on_a };
	wb = (struct watcher){ .fd = pb[0], .fn = on_b };
	ck_assert_int_eq(loop_watch(&wa, EPOLLIN), 0);
	ck_assert_int_eq(loop_watch(&wb, EPOLLIN), 0);
	ck_assert_int_eq(write(pa[1], "x", 1), 1);
	ck_assert_int_eq(write(pb[1], "x", 1), 1);
	ck_assert_int_eq(loop_run(), 0);
	/* whichever ran first removed the other before it could run */
	ck_assert_int_eq(calls_a + calls_b, 1);
	ck_assert_uint_eq(wa.events, 0);
	ck_assert_uint_eq(wb.events, 0);
	for (int i = 0; i < 2; i++) {
		close(pa[i]);
		close(pb[i]);
	}
	loop_exit();
}
END_TEST

static void
stop_timer(struct timer *t)
{
	loop_stop();
}

START_TEST(test_now_advances)
{
	struct timer t = { .fn = stop_timer };
	uint64_t before;

	ck_assert_int_eq(loop_init(), 0);
	before = loop_now();
	timer_arm(&t, 20);
	ck_assert_uint_eq(t.when, before + 20);
	ck_assert_int_eq(loop_run(), 0);
	ck_assert_uint_ge(loop_now(), before + 20);
	loop_exit();
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("loop");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_timers_fire_in_order);
	tcase_add_test(tc, test_unwatch_drops_pending_event);
	tcase_add_test(tc, test_now_advances);
	suite_add_tcase(s, tc);
	return check_run(s);
}
