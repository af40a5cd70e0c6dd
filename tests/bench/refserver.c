/* SPDX-License-Identifier: ISC */
/* refserver: the reference servers the benchmark measures super-servers
 * against: the least a server can do for each kind of service, with no
 * configuration, limits, logging or bookkeeping. On 127.0.0.1:PORT:
 *   refserver fork PORT HANDLER [ARG…]   accept, fork, dup2, exec, close
 *   refserver vfork PORT HANDLER [ARG…]  the same with vfork
 *   … [-- PORT HANDLER [ARG…]]           a second listener (the growth test's
 *                                        sleeping handlers); adds a poll()
 *   refserver daytime PORT               accept, write the time, close
 *   refserver echo PORT                  accept, echo to EOF, close
 *   refserver udp PORT HANDLER [ARG…]    UDP wait mode: on a datagram, start
 *                                        HANDLER with the socket, wait for it
 * Children are reaped by the kernel (SA_NOCLDWAIT), the cheapest way there
 * is; the disposition stays SIG_DFL so that the handler inherits nothing. */
#include "autoconf.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_LISTENERS	2

struct listener {
	int fd;
	char **argv;		/* the handler: path, then its arguments */
};

static void
die(const char *what)
{
	perror(what);
	exit(1);
}

static int
listen_on(int type, const char *port)
{
	struct sockaddr_in sin = { .sin_family = AF_INET };
	int fd, on = 1;

	sin.sin_port = htons((unsigned short)strtoul(port, NULL, 10));
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	fd = socket(AF_INET, type | SOCK_CLOEXEC, 0);
	if (fd < 0)
		die("refserver: socket");
	if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on)) < 0)
		die("refserver: SO_REUSEADDR");
	if (bind(fd, (struct sockaddr *)&sin, sizeof(sin)) < 0)
		die("refserver: bind");
	if (type == SOCK_STREAM && listen(fd, SOMAXCONN) < 0)
		die("refserver: listen");
	return fd;
}

static void
no_zombies(void)
{
	struct sigaction sa = { .sa_handler = SIG_DFL, .sa_flags = SA_NOCLDWAIT };

	if (sigaction(SIGCHLD, &sa, NULL) < 0)
		die("refserver: sigaction");
}

static int
accept_one(int lfd)
{
	int fd;

	/* CLOEXEC: the handler gets its copies from dup2, not this one. */
	while ((fd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC)) < 0)
		if (errno != EINTR && errno != ECONNABORTED)
			die("refserver: accept");
	return fd;
}

/* The listener that has a connection waiting: with one, no poll() at all. */
static struct listener *
ready_listener(struct listener *l, int n)
{
	struct pollfd pfd[MAX_LISTENERS];
	int i;

	if (n == 1)
		return l;
	for (i = 0; i < n; i++)
		pfd[i] = (struct pollfd){ .fd = l[i].fd, .events = POLLIN };
	while (poll(pfd, (nfds_t)n, -1) < 0)
		if (errno != EINTR)
			die("refserver: poll");
	for (i = 0; i < n; i++)
		if (pfd[i].revents)
			return &l[i];
	return l;
}

/* The child never returns from here: a vfork child must not leave the
 * function that called vfork. */
static void
start_handler(int fd, char **argv, int use_vfork)
{
	pid_t pid = use_vfork ? vfork() : fork();

	if (pid == 0) {
		if (dup2(fd, 0) < 0 || dup2(fd, 1) < 0)
			_exit(127);
		execv(argv[0], argv);
		_exit(127);
	}
	if (pid < 0)
		perror("refserver: fork");
}

static void
fork_loop(struct listener *l, int n, int use_vfork)
{
	struct listener *ready;
	int fd;

	no_zombies();
	for (;;) {
		ready = ready_listener(l, n);
		fd = accept_one(ready->fd);
		start_handler(fd, ready->argv, use_vfork);
		if (close(fd) < 0)
			die("refserver: close");
	}
}

static void
daytime_loop(int lfd)
{
	char buf[64];
	struct tm tm;
	time_t t;
	size_t n;
	int fd;

	for (;;) {
		fd = accept_one(lfd);
		t = time(NULL);
		n = strftime(buf, sizeof(buf), "%A, %B %d, %Y %H:%M:%S-%Z\r\n",
			     localtime_r(&t, &tm));
		if (write(fd, buf, n) < 0)
			perror("refserver: write");
		if (close(fd) < 0)
			die("refserver: close");
	}
}

static void
echo_loop(int lfd)
{
	char buf[4096];
	ssize_t n;
	int fd;

	for (;;) {
		fd = accept_one(lfd);
		while ((n = read(fd, buf, sizeof(buf))) > 0)
			if (write(fd, buf, (size_t)n) != n)
				break;
		if (close(fd) < 0)
			die("refserver: close");
	}
}

static void
udp_wait_loop(int sfd, char *argv[])
{
	struct pollfd pfd = { .fd = sfd, .events = POLLIN };
	pid_t pid;

	for (;;) {
		if (poll(&pfd, 1, -1) < 0) {
			if (errno == EINTR)
				continue;
			die("refserver: poll");
		}
		pid = vfork();
		if (pid == 0) {
			if (dup2(sfd, 0) < 0)
				_exit(127);
			execv(argv[0], argv);
			_exit(127);
		}
		if (pid < 0)
			die("refserver: vfork");
		/* Wait mode: the socket is the handler's until it exits. */
		while (waitpid(pid, NULL, 0) < 0)
			if (errno != EINTR)
				die("refserver: waitpid");
	}
}

/* "PORT HANDLER [ARG…] [-- PORT HANDLER [ARG…]]": one listener each. */
static int
parse_listeners(int argc, char *argv[], struct listener *l)
{
	int n = 0, i = 0;

	while (i < argc && n < MAX_LISTENERS) {
		if (argc - i < 2)
			return -1;
		l[n].fd = listen_on(SOCK_STREAM, argv[i]);
		l[n].argv = &argv[i + 1];
		for (i += 2; i < argc && strcmp(argv[i], "--") != 0; i++)
			;
		if (i < argc)
			argv[i++] = NULL;	/* ends this handler's argv */
		n++;
	}
	return i < argc ? -1 : n;
}

int
main(int argc, char *argv[])
{
	struct listener l[MAX_LISTENERS];
	const char *mode = argc > 2 ? argv[1] : "";
	int needs_handler = strcmp(mode, "daytime") != 0 && strcmp(mode, "echo") != 0;
	int n;

	if (argc < 3 || (needs_handler && argc < 4)) {
		fprintf(stderr, "usage: refserver fork|vfork PORT HANDLER [ARG…] [-- PORT HANDLER [ARG…]]\n"
				"       refserver udp PORT HANDLER [ARG…]\n"
				"       refserver daytime|echo PORT\n");
		return 2;
	}
	if (strcmp(mode, "fork") == 0 || strcmp(mode, "vfork") == 0) {
		n = parse_listeners(argc - 2, argv + 2, l);
		if (n < 0) {
			fprintf(stderr, "refserver: at most %d listeners\n", MAX_LISTENERS);
			return 2;
		}
		fork_loop(l, n, mode[0] == 'v');
	} else if (strcmp(mode, "daytime") == 0) {
		daytime_loop(listen_on(SOCK_STREAM, argv[2]));
	} else if (strcmp(mode, "echo") == 0) {
		echo_loop(listen_on(SOCK_STREAM, argv[2]));
	} else if (strcmp(mode, "udp") == 0) {
		udp_wait_loop(listen_on(SOCK_DGRAM, argv[2]), argv + 3);
	}
	fprintf(stderr, "refserver: %s: unknown mode\n", mode);
	return 2;
}
