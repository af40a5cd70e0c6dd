/* loop: the event loop. One thread, epoll for descriptors, a binary heap of
 * timers on CLOCK_MONOTONIC. Every module that waits for something registers
 * a watcher or a timer here; nothing blocks. */
#ifndef PORTIER_LOOP_H
#define PORTIER_LOOP_H

#include <stddef.h>
#include <stdint.h>

/* The struct that embeds member m at p (watchers and timers are embedded). */
#ifndef container_of
#define container_of(p, type, m) ((type *)((char *)(p) - offsetof(type, m)))
#endif

struct watcher;
typedef void (*watcher_fn)(struct watcher *w, uint32_t events);

/* Embed in the owner's struct; container_of-style casts get the owner back. */
struct watcher {
	int fd;
	watcher_fn fn;
	uint32_t events;	/* what is currently asked of epoll, 0 = not added */
};

struct timer;
typedef void (*timer_fn)(struct timer *t);

struct timer {
	uint64_t when;		/* loop_now() at which it fires */
	timer_fn fn;
	size_t slot;		/* heap position + 1; 0 = not armed */
};

int loop_init(void);
void loop_exit(void);

/* events: EPOLLIN/EPOLLOUT…; loop_watch with 0 removes the watcher. */
int loop_watch(struct watcher *w, uint32_t events);
void loop_unwatch(struct watcher *w);
/* loop_unwatch() for a watcher whose fd the caller closes right away (which
 * removes it from epoll): saves the epoll_ctl() call. */
void loop_forget(struct watcher *w);

void timer_arm(struct timer *t, uint64_t delay_ms);
void timer_cancel(struct timer *t);

uint64_t loop_now(void);	/* milliseconds, CLOCK_MONOTONIC, cached per iteration */
int loop_run(void);		/* until loop_stop(); -1 on a fatal epoll error */
void loop_stop(void);

#endif
