/* SPDX-License-Identifier: ISC */
/* sdhandler: a handler written against sd_listen_fds(3), for the tests of
 * `activation = systemd` (tests/sd/sd_handler.sh). It checks what portierd
 * promises such a handler, then answers with "ok MODE pid=PID" or
 * "FAIL: what was wrong":
 *   - sd_listen_fds() finds exactly one descriptor (LISTEN_FDS=1 and
 *     LISTEN_PID equal to our own pid: it was set in the child before exec),
 *     and LISTEN_PID, read by hand, is getpid() too;
 *   - its name (LISTEN_FDNAMES) is the service id (SERVICE);
 *   - descriptor 3 is a socket of the expected kind (sd_is_socket_inet);
 *   - 0, 1 and 2 are /dev/null, and nothing above 3 is open.
 *
 *   sdhandler nowait     3 is the connection: answer on it
 *   sdhandler wait-tcp   3 is the listening socket: accept one, answer
 *   sdhandler wait-udp   3 is the UDP socket: answer one datagram
 */
#include "autoconf.h"

#include <dirent.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <systemd/sd-daemon.h>
#include <unistd.h>

static char problem[512];

static void __attribute__((format(printf, 1, 2)))
fail(const char *fmt, ...)
{
	va_list ap;

	if (problem[0])
		return;		/* the first problem is the one to report */
	va_start(ap, fmt);
	vsnprintf(problem, sizeof(problem), fmt, ap);
	va_end(ap);
}

static void
check_env(void)
{
	const char *pid = getenv("LISTEN_PID"), *service = getenv("SERVICE");
	char **names = NULL;
	int n;

	if (!pid || atol(pid) != (long)getpid())
		fail("LISTEN_PID=%s, but my pid is %d", pid ? pid : "(unset)", (int)getpid());
	n = sd_listen_fds_with_names(0, &names);
	if (n != 1)
		fail("sd_listen_fds() returned %d, not 1", n);
	else if (!service || !names || strcmp(names[0], service))
		fail("LISTEN_FDNAMES gives '%s', the service is '%s'", names ? names[0] : "?",
		     service ? service : "?");
	for (int i = 0; names && names[i]; i++)
		free(names[i]);
	free(names);
}

static void
check_fds(void)
{
	DIR *dir = opendir("/proc/self/fd");
	struct dirent *de;

	for (int fd = 0; fd < 3; fd++) {
		struct stat st;

		if (fstat(fd, &st) < 0 || !S_ISCHR(st.st_mode) ||
		    st.st_rdev != makedev(1, 3))
			fail("descriptor %d is not /dev/null", fd);
	}
	if (!dir) {
		fail("no /proc/self/fd");
		return;
	}
	while ((de = readdir(dir)))
		if (de->d_name[0] != '.' && atoi(de->d_name) > 3 && atoi(de->d_name) != dirfd(dir))
			fail("descriptor %s is open (leaked)", de->d_name);
	closedir(dir);
}

static void
check_socket(int type, int listening)
{
	if (sd_is_socket_inet(SD_LISTEN_FDS_START, AF_UNSPEC, type, listening, 0) <= 0)
		fail("descriptor 3 is not a%s %s socket", listening > 0 ? " listening" :
		     listening == 0 ? " connected" : "", type == SOCK_STREAM ? "TCP" : "UDP");
}

static int
answer(int fd, const char *mode, const char *data)
{
	char msg[700];
	int len;

	if (problem[0])
		len = snprintf(msg, sizeof(msg), "FAIL: %s\n", problem);
	else
		len = snprintf(msg, sizeof(msg), "ok %s pid=%d%s%s\n", mode, (int)getpid(),
			       data ? " " : "", data ? data : "");
	return write(fd, msg, (size_t)len) == len ? 0 : 1;
}

int
main(int argc, char *argv[])
{
	const char *mode = argc > 1 ? argv[1] : "";
	int fd = SD_LISTEN_FDS_START;

	check_env();
	check_fds();
	if (!strcmp(mode, "nowait")) {
		check_socket(SOCK_STREAM, 0);
		return answer(fd, mode, NULL);
	}
	if (!strcmp(mode, "wait-tcp")) {
		int c;

		check_socket(SOCK_STREAM, 1);
		c = accept(fd, NULL, NULL);
		if (c < 0)
			return 1;
		return answer(c, mode, NULL);
	}
	if (!strcmp(mode, "wait-udp")) {
		struct sockaddr_storage peer;
		socklen_t plen = sizeof(peer);
		char buf[128], out[700];
		ssize_t n;
		int len;

		check_socket(SOCK_DGRAM, -1);
		n = recvfrom(fd, buf, sizeof(buf) - 1, 0, (struct sockaddr *)&peer, &plen);
		if (n < 0)
			return 1;
		buf[n] = '\0';
		len = problem[0] ? snprintf(out, sizeof(out), "FAIL: %s", problem)
				 : snprintf(out, sizeof(out), "ok %s pid=%d %s", mode, (int)getpid(), buf);
		return sendto(fd, out, (size_t)len, 0, (struct sockaddr *)&peer, plen) == len ? 0 : 1;
	}
	fprintf(stderr, "usage: sdhandler nowait|wait-tcp|wait-udp\n");
	return 2;
}
