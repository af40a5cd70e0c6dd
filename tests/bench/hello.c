/* SPDX-License-Identifier: ISC */
/* hello: the benchmark's handler, as small as a handler can be, so that what
 * is measured is the server that starts it.
 *   hello            writes "hello\n" to its stdout (the connection), exits
 *   hello -u         UDP wait mode: answers one datagram on fd 0, exits
 *   hello -s SECS    writes "hello\n", closes the connection, then stays
 *                    alive for SECS seconds or until its parent (the server)
 *                    dies: the long-running handlers of the growth test */
#include "autoconf.h"

#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include <signal.h>

static const char reply[] = "hello\n";

static int
answer_datagram(void)
{
	struct sockaddr_storage from;
	socklen_t fromlen = sizeof(from);
	char buf[2048];

	if (recvfrom(0, buf, sizeof(buf), 0, (struct sockaddr *)&from, &fromlen) < 0)
		return 1;
	if (sendto(0, reply, sizeof(reply) - 1, 0, (struct sockaddr *)&from, fromlen) < 0)
		return 1;
	return 0;
}

static int
linger(const char *arg)
{
	struct timespec ts = { .tv_sec = strtol(arg, NULL, 10) };
	pid_t parent = getppid();

	if (write(1, reply, sizeof(reply) - 1) < 0)
		return 1;
	/* The client sees EOF now; the process itself stays. */
	close(0);
	close(1);
	close(2);
	/* Die with the server, so that a benchmark that stops it leaves no
	 * orphans; the second getppid() closes the race with its exit. */
	if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0 || getppid() != parent)
		return 1;
	while (nanosleep(&ts, &ts) < 0)
		;
	return 0;
}

int
main(int argc, char *argv[])
{
	if (argc == 2 && strcmp(argv[1], "-u") == 0)
		return answer_datagram();
	if (argc == 3 && strcmp(argv[1], "-s") == 0)
		return linger(argv[2]);
	return write(1, reply, sizeof(reply) - 1) == sizeof(reply) - 1 ? 0 : 1;
}
