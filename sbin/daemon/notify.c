/* SPDX-License-Identifier: ISC */
/* notify: sd_notify messages, see notify.h */
#include "autoconf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "spawn/spawn.h"
#include "base/base.h"
#include "daemon/notify.h"
#include "daemon/service.h"

/* STATUS= goes out at most this often (ms): a connection burst must not
 * become a burst of datagrams to the service manager. */
#define STATUS_INTERVAL_MS 1000

static struct {
	bool on;			/* NOTIFY_SOCKET set, built with libsystemd */
	bool ready;			/* READY=1 sent: status updates may follow */
	bool failed;			/* a send failed: said once */
	const struct service_table *t;
	uint64_t watchdog_ms;		/* half of WATCHDOG_USEC; 0: none */
	struct timer watchdog;
	struct timer status;
	char last[128];			/* the STATUS= text last sent */
} n;

static void
notify_send(const char *state)
{
	int rc = sd_notify_state(state);

	/* One line is enough: the manager's side is gone or misconfigured. */
	if (rc < 0 && !n.failed) {
		n.failed = true;
		logit(LOG_WARNING, "sd_notify: cannot send to NOTIFY_SOCKET (%s)", strerror(-rc));
	}
}

/* "N services listening, M handlers running" */
static void
status_text(const struct service_table *t, size_t running, char *buf, size_t len)
{
	size_t listening = 0, waiting = 0;
	char w[48] = "";

	for (size_t i = 0; t && i < t->count; i++) {
		listening += t->rt[i]->state == SERVICE_ACTIVE && t->rt[i]->nlisteners;
		waiting += t->rt[i]->nwaiting > 0;
	}
	if (waiting)
		snprintf(w, sizeof(w), ", %zu waiting for an address", waiting);
	snprintf(buf, len, "%zu service%s listening%s, %zu handler%s running", listening,
		 listening == 1 ? "" : "s", w, running, running == 1 ? "" : "s");
}

static void
watchdog_fire(struct timer *t)
{
	notify_send("WATCHDOG=1");
	timer_arm(t, n.watchdog_ms);
}

static void
status_fire(struct timer *t)
{
	char text[sizeof(n.last)], msg[sizeof(n.last) + 16];

	status_text(n.t, children_count(), text, sizeof(text));
	if (!strcmp(text, n.last))
		return;
	snprintf(msg, sizeof(msg), "STATUS=%s", text);
	memcpy(n.last, text, sizeof(n.last));
	notify_send(msg);
}

void
notify_init(void)
{
	uint64_t usec;

	memset(&n, 0, sizeof(n));
	n.on = sd_available() && getenv("NOTIFY_SOCKET");
	if (!n.on)
		return;
	usec = sd_watchdog_usec();
	if (usec)
		n.watchdog_ms = usec / 2000 ? usec / 2000 : 1;
	n.watchdog.fn = watchdog_fire;
	n.status.fn = status_fire;
}

void
notify_ready(const struct service_table *t)
{
	char msg[sizeof(n.last) + 32];

	if (!n.on)
		return;
	n.t = t;
	status_text(t, children_count(), n.last, sizeof(n.last));
	snprintf(msg, sizeof(msg), "READY=1\nSTATUS=%s", n.last);
	notify_send(msg);
	n.ready = true;
	if (n.watchdog_ms && !n.watchdog.slot)
		watchdog_fire(&n.watchdog);
}

void
notify_reloading(void)
{
	char msg[64];

	if (!n.on)
		return;
	/* systemd 253 and later want the time with RELOADING=1 (Type=notify-reload);
	 * older versions ignore it. */
	snprintf(msg, sizeof(msg), "RELOADING=1\nMONOTONIC_USEC=%llu",
		 (unsigned long long)loop_clock_us());
	n.ready = false;
	timer_cancel(&n.status);
	notify_send(msg);
}

void
notify_changed(void)
{
	if (!n.ready || n.status.slot)
		return;
	timer_arm(&n.status, STATUS_INTERVAL_MS);
}

void
notify_stopping(void)
{
	if (!n.on)
		return;
	notify_exit();
	n.ready = false;
	notify_send("STOPPING=1");
}

void
notify_exit(void)
{
	timer_cancel(&n.watchdog);
	timer_cancel(&n.status);
}
