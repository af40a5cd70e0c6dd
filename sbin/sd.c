/* sd: libsystemd, confined to this file (see sd.h) */
#include "autoconf.h"

#include <stdio.h>

#include "log.h"
#include "sd.h"

#ifdef HAVE_SYSTEMD
#include <systemd/sd-journal.h>

bool
sd_available(void)
{
	return true;
}

int
sd_journal_log(int prio, const struct log_fields *f, const char *msg)
{
	static const struct log_fields none = { .duration_usec = -1 };
	char port[16] = "", pid[16] = "", dur[32] = "";

	if (!f)
		f = &none;
	if (f->remote_port)
		snprintf(port, sizeof(port), "%d", f->remote_port);
	if (f->handler_pid)
		snprintf(pid, sizeof(pid), "%d", f->handler_pid);
	if (f->duration_usec >= 0)
		snprintf(dur, sizeof(dur), "%lld", f->duration_usec);
	return sd_journal_send("MESSAGE=%s", msg, "PRIORITY=%d", prio,
			       "SERVICE_ID=%s", f->service_id ? f->service_id : "",
			       "REMOTE_ADDR=%s", f->remote_addr ? f->remote_addr : "",
			       "REMOTE_PORT=%s", port,
			       "HANDLER_PID=%s", pid,
			       "EXIT_STATUS=%s", f->exit_status ? f->exit_status : "",
			       "DURATION_USEC=%s", dur,
			       "REFUSED_REASON=%s", f->refused_reason ? f->refused_reason : "",
			       NULL) < 0 ? -1 : 0;
}

#else

bool
sd_available(void)
{
	return false;
}

int
sd_journal_log(int prio, const struct log_fields *f, const char *msg)
{
	return -1;
}

#endif
