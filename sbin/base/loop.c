/* SPDX-License-Identifier: ISC */
/* loop: one thread, epoll for descriptors, a binary min-heap of timers (see
 * base.h). The loop never blocks anywhere but in epoll_wait(), whose timeout
 * is the earliest armed timer. */
#include "autoconf.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <time.h>
#include <unistd.h>

#include "base/base.h"

/* Events handled per epoll_wait(): enough to drain a busy iteration in one
 * call, small enough to live on the stack. */
#define LOOP_EVENTS 64

static int epfd = -1;
static bool running;
static uint64_t now_ms;

/* The batch being dispatched, so that loop_unwatch() can drop pending events
 * of a watcher whose owner frees it from inside a callback. */
static struct epoll_event batch[LOOP_EVENTS];
static int batch_len;

static struct timer **heap;	/* heap[0] fires first */
static size_t heap_len;
static size_t heap_alloc;

uint64_t
loop_clock_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000 + (uint64_t)ts.tv_nsec / 1000;
}

int
loop_init(void)
{
	if (epfd >= 0)
		return 0;
	epfd = epoll_create1(EPOLL_CLOEXEC);
	if (epfd < 0) {
		logerr(LOG_ERR, "epoll_create1");
		return -1;
	}
	now_ms = loop_clock_us() / 1000;
	return 0;
}

void
loop_exit(void)
{
	if (epfd >= 0)
		close(epfd);
	epfd = -1;
	for (size_t i = 0; i < heap_len; i++)
		heap[i]->slot = 0;
	free(heap);
	heap = NULL;
	heap_len = heap_alloc = 0;
	running = false;
}

int
loop_watch(struct watcher *w, uint32_t events)
{
	struct epoll_event ev = { .events = events, .data.ptr = w };
	int op;

	if (events == 0) {
		loop_unwatch(w);
		return 0;
	}
	if (w->events == events)
		return 0;
	op = w->events ? EPOLL_CTL_MOD : EPOLL_CTL_ADD;
	if (epoll_ctl(epfd, op, w->fd, &ev) < 0) {
		logerr(LOG_ERR, "epoll_ctl(fd %d)", w->fd);
		return -1;
	}
	w->events = events;
	return 0;
}

void
loop_forget(struct watcher *w)
{
	w->events = 0;
	for (int i = 0; i < batch_len; i++)
		if (batch[i].data.ptr == w)
			batch[i].data.ptr = NULL;
}

void
loop_unwatch(struct watcher *w)
{
	if (!w->events)
		return;
	/* Fails only when the fd was already closed, which removed it anyway. */
	if (epoll_ctl(epfd, EPOLL_CTL_DEL, w->fd, NULL) < 0 && errno != EBADF && errno != ENOENT)
		logerr(LOG_ERR, "epoll_ctl(DEL fd %d)", w->fd);
	loop_forget(w);
}

/* Heap helpers: slot is the index + 1 so that 0 can mean "not armed". */
static void
heap_set(size_t i, struct timer *t)
{
	heap[i] = t;
	t->slot = i + 1;
}

static void
heap_up(size_t i)
{
	struct timer *t = heap[i];

	while (i > 0) {
		size_t parent = (i - 1) / 2;

		if (heap[parent]->when <= t->when)
			break;
		heap_set(i, heap[parent]);
		i = parent;
	}
	heap_set(i, t);
}

static void
heap_down(size_t i)
{
	struct timer *t = heap[i];

	for (;;) {
		size_t c = 2 * i + 1;

		if (c >= heap_len)
			break;
		if (c + 1 < heap_len && heap[c + 1]->when < heap[c]->when)
			c++;
		if (t->when <= heap[c]->when)
			break;
		heap_set(i, heap[c]);
		i = c;
	}
	heap_set(i, t);
}

static void
heap_remove(size_t i)
{
	struct timer *last = heap[--heap_len];

	heap[i]->slot = 0;
	if (i == heap_len)
		return;
	heap_set(i, last);
	heap_down(i);
	heap_up(last->slot - 1);
}

void
timer_arm(struct timer *t, uint64_t delay_ms)
{
	timer_cancel(t);
	if (array_reserve(&heap, &heap_alloc, heap_len + 1, sizeof(*heap)) < 0) {
		/* Timers guard limits and retries; losing one silently would
		 * leave a service paused forever. */
		logit(LOG_CRIT, "out of memory arming a timer");
		abort();
	}
	t->when = now_ms + delay_ms;
	heap_set(heap_len++, t);
	heap_up(heap_len - 1);
}

void
timer_cancel(struct timer *t)
{
	if (t->slot)
		heap_remove(t->slot - 1);
}

uint64_t
loop_now(void)
{
	return now_ms;
}

void
loop_stop(void)
{
	running = false;
}

/* Milliseconds until the first timer, -1 when none is armed. */
static int
loop_timeout(void)
{
	uint64_t when;

	if (!heap_len)
		return -1;
	when = heap[0]->when;
	if (when <= now_ms)
		return 0;
	return when - now_ms > 86400000 ? 86400000 : (int)(when - now_ms);
}

static void
loop_fire_timers(void)
{
	while (running && heap_len && heap[0]->when <= now_ms) {
		struct timer *t = heap[0];

		heap_remove(0);
		t->fn(t);
	}
}

int
loop_run(void)
{
	running = true;
	while (running) {
		int n = epoll_wait(epfd, batch, LOOP_EVENTS, loop_timeout());

		now_ms = loop_clock_us() / 1000;
		if (n < 0) {
			if (errno == EINTR)
				continue;
			logerr(LOG_CRIT, "epoll_wait");
			return -1;
		}
		batch_len = n;
		for (int i = 0; i < n && running; i++) {
			struct watcher *w = batch[i].data.ptr;

			/* NULL: an earlier callback of this batch removed w. */
			if (w)
				w->fn(w, batch[i].events);
		}
		batch_len = 0;
		loop_fire_timers();
	}
	return 0;
}
