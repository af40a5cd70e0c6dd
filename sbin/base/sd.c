/* SPDX-License-Identifier: ISC */
/* sd: libsystemd, confined to this file (see base.h). It sends what it is
 * given and formats nothing: log.c builds the journal's fields. */
#include "autoconf.h"

#include <errno.h>
#include <sys/uio.h>

#include "base/base.h"

#ifdef HAVE_SYSTEMD
#include <sys/socket.h>
#include <systemd/sd-daemon.h>
#include <systemd/sd-journal.h>

bool
sd_available(void)
{
	return true;
}

int
sd_send(const struct iovec *iov, int n)
{
	return sd_journal_sendv(iov, n) < 0 ? -1 : 0;
}

int
sd_listen(char ***names)
{
	int n;

	*names = NULL;
	/* 1: unset LISTEN_*, so that nothing we start inherits them. */
	n = sd_listen_fds_with_names(1, names);
	if (n < 0) {
		errno = -n;
		return -1;
	}
	return n;
}

bool
sd_socket_inet(int fd, int type, uint16_t port)
{
	return sd_is_socket_inet(fd, AF_UNSPEC, type, type == SOCK_STREAM ? 1 : -1, port) > 0;
}

int
sd_notify_state(const char *state)
{
	return sd_notify(0, state);
}

uint64_t
sd_watchdog_usec(void)
{
	uint64_t usec = 0;

	return sd_watchdog_enabled(0, &usec) > 0 ? usec : 0;
}

#else

bool
sd_available(void)
{
	return false;
}

int
sd_send(const struct iovec *iov, int n)
{
	return -1;
}

int
sd_listen(char ***names)
{
	*names = NULL;
	return 0;
}

bool
sd_socket_inet(int fd, int type, uint16_t port)
{
	return false;
}

int
sd_notify_state(const char *state)
{
	return 0;
}

uint64_t
sd_watchdog_usec(void)
{
	return 0;
}

#endif

const char *
sd_features(void)
{
	return sd_available() ? "+systemd +journal" : "-systemd -journal";
}
