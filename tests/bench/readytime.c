/* SPDX-License-Identifier: ISC */
/* readytime: starts a daemon and measures how long it takes to be ready, its
 * idle RSS, and how long each reload (SIGHUP) takes; then stops it.
 *   readytime [-n] [-p PORT] [-w TEXT] [-r COUNT [-R TEXT] [-T MS]] [-s MS]
 *             [-t MS] [-o LOG] -- COMMAND [ARG…]
 * Ready is the first of: READY=1 on $NOTIFY_SOCKET (-n, the sd_notify
 * protocol), a line of the daemon's stderr that contains TEXT (-w), or a TCP
 * connect to 127.0.0.1:PORT that succeeds (-p). A reload (SIGHUP) is done
 * when the daemon prints a line containing TEXT (-R), or else says READY=1
 * again (-n); it must be done within -T MS (default: -t).
 * Prints: ready_ms=… cpu_ms=… rss_kb=… [reload_ms=…,… [reload_said_ms=…,…]],
 * where cpu_ms is the daemon's CPU time until ready (less noisy than the wall
 * time on a busy machine), and
 * reload_said_ms is the last "N ms" figure of each reload's line (the
 * daemon's own measure). Exit 1 when the daemon is not ready in time, 3 when
 * a reload is not done in time (what came before is printed). */
#include "autoconf.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_RELOADS	100
#define LINE_MAX_LEN	4096

struct opts {
	bool notify;
	unsigned port;
	const char *ready_text;
	const char *reload_text;
	int reloads;
	int reload_timeout_ms;
	int settle_ms;
	int timeout_ms;
	const char *log;
	char **cmd;
};

struct daemon {
	pid_t pid;
	int notify_fd;		/* -1 when not asked for */
	int err_fd;		/* the daemon's stderr, -1 once closed */
	FILE *log;		/* copy of that stderr, or NULL */
	char line[LINE_MAX_LEN];
	size_t linelen;
	char found[LINE_MAX_LEN];	/* the last line that contained the text */
};

static double
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static void
usage(void)
{
	fprintf(stderr, "usage: readytime [-n] [-p PORT] [-w TEXT] [-r COUNT [-R TEXT] [-T MS]]\n"
			"                 [-s MS] [-t MS] [-o LOG] -- COMMAND [ARG…]\n");
	exit(2);
}

static void
parse_opts(struct opts *o, int argc, char *argv[])
{
	int c;

	*o = (struct opts){ .settle_ms = 200, .timeout_ms = 10000 };
	while ((c = getopt(argc, argv, "+np:w:r:R:T:s:t:o:")) != -1) {
		switch (c) {
		case 'n':
			o->notify = true;
			break;
		case 'p':
			o->port = (unsigned)strtoul(optarg, NULL, 10);
			break;
		case 'w':
			o->ready_text = optarg;
			break;
		case 'r':
			o->reloads = atoi(optarg);
			break;
		case 'R':
			o->reload_text = optarg;
			break;
		case 'T':
			o->reload_timeout_ms = atoi(optarg);
			break;
		case 's':
			o->settle_ms = atoi(optarg);
			break;
		case 't':
			o->timeout_ms = atoi(optarg);
			break;
		case 'o':
			o->log = optarg;
			break;
		default:
			usage();
		}
	}
	if (optind >= argc || o->reloads < 0 || o->reloads > MAX_RELOADS ||
	    (!o->notify && !o->port && !o->ready_text) ||
	    (o->reloads && !o->notify && !o->reload_text))
		usage();
	if (o->reload_timeout_ms <= 0)
		o->reload_timeout_ms = o->timeout_ms;
	o->cmd = argv + optind;
}

/* An abstract socket named after our pid: nothing to clean up. */
static int
notify_socket(void)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	char env[sizeof(sun.sun_path) + 1];
	int fd;

	snprintf(sun.sun_path + 1, sizeof(sun.sun_path) - 1, "readytime-%d", (int)getpid());
	fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0 || bind(fd, (struct sockaddr *)&sun,
			   (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 1 +
				       strlen(sun.sun_path + 1))) < 0) {
		perror("readytime: notify socket");
		exit(1);
	}
	snprintf(env, sizeof(env), "@%s", sun.sun_path + 1);
	if (setenv("NOTIFY_SOCKET", env, 1) < 0) {
		perror("readytime: setenv");
		exit(1);
	}
	return fd;
}

static void
start(struct daemon *d, const struct opts *o)
{
	int p[2];

	d->notify_fd = o->notify ? notify_socket() : -1;
	if (pipe2(p, O_CLOEXEC) < 0) {
		perror("readytime: pipe");
		exit(1);
	}
	d->pid = fork();
	if (d->pid < 0) {
		perror("readytime: fork");
		exit(1);
	}
	if (d->pid == 0) {
		if (dup2(p[1], 2) < 0)
			_exit(127);
		execvp(o->cmd[0], o->cmd);
		fprintf(stderr, "readytime: %s: %s\n", o->cmd[0], strerror(errno));
		_exit(127);
	}
	close(p[1]);
	d->err_fd = p[0];
	if (fcntl(d->err_fd, F_SETFL, O_NONBLOCK) < 0) {
		perror("readytime: fcntl");
		exit(1);
	}
}

/* Reads what the daemon wrote to stderr; true when a whole line contains text. */
static bool
read_stderr(struct daemon *d, const char *text)
{
	char buf[4096];
	bool found = false;
	ssize_t n, i;

	while (d->err_fd >= 0 && (n = read(d->err_fd, buf, sizeof(buf))) != 0) {
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return found;
		}
		if (d->log)
			fwrite(buf, 1, (size_t)n, d->log);
		for (i = 0; i < n; i++) {
			if (buf[i] != '\n') {
				if (d->linelen < sizeof(d->line) - 1)
					d->line[d->linelen++] = buf[i];
				continue;
			}
			d->line[d->linelen] = '\0';
			d->linelen = 0;
			if (text && strstr(d->line, text)) {
				memcpy(d->found, d->line, sizeof(d->found));
				found = true;
			}
		}
	}
	if (d->err_fd >= 0 && n == 0) {
		close(d->err_fd);
		d->err_fd = -1;
	}
	return found;
}

static bool
read_notify(struct daemon *d)
{
	char buf[4096];
	bool found = false;
	ssize_t n;

	while ((n = recv(d->notify_fd, buf, sizeof(buf) - 1, 0)) > 0) {
		buf[n] = '\0';
		/* One assignment per line: READY=1 on a line of its own. */
		if (strncmp(buf, "READY=1", 7) == 0 || strstr(buf, "\nREADY=1"))
			found = true;
	}
	return found;
}

static bool
port_open(unsigned port)
{
	struct sockaddr_in sin = { .sin_family = AF_INET, .sin_port = htons(port) };
	bool ok;
	int fd;

	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return false;
	ok = connect(fd, (struct sockaddr *)&sin, sizeof(sin)) == 0;
	close(fd);
	return ok;
}

/* Waits for ready, or for a reload to be done: a line with text, READY=1 when
 * notify, a connect to port; false on timeout or when the daemon died. */
static bool
wait_for(struct daemon *d, const struct opts *o, const char *text, bool notify,
	 unsigned port, int timeout_ms)
{
	double deadline = now_ms() + timeout_ms;
	struct pollfd pfd[2];
	int status;

	for (;;) {
		pfd[0] = (struct pollfd){ .fd = d->err_fd, .events = POLLIN };
		pfd[1] = (struct pollfd){ .fd = d->notify_fd, .events = POLLIN };
		if (poll(pfd, 2, port ? 1 : 10) < 0 && errno != EINTR) {
			perror("readytime: poll");
			return false;
		}
		if (read_stderr(d, text))
			return true;
		if (d->notify_fd >= 0 && read_notify(d) && notify)
			return true;
		if (port && port_open(port))
			return true;
		if (waitpid(d->pid, &status, WNOHANG) == d->pid) {
			read_stderr(d, NULL);
			fprintf(stderr, "readytime: %s exited (status %d) before it was ready\n",
				o->cmd[0], status);
			d->pid = -1;
			return false;
		}
		if (now_ms() > deadline) {
			fprintf(stderr, "readytime: %s: nothing after %d ms\n", o->cmd[0],
				timeout_ms);
			return false;
		}
	}
}

static long
rss_kb(pid_t pid)
{
	char path[64], line[256];
	long kb = -1;
	FILE *fp;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	fp = fopen(path, "re");
	if (!fp)
		return -1;
	while (fgets(line, sizeof(line), fp))
		if (sscanf(line, "VmRSS: %ld kB", &kb) == 1)
			break;
	fclose(fp);
	return kb;
}

/* CPU time the process has used (ms): schedstat's run time, in ns. */
static double
cpu_ms(pid_t pid)
{
	char path[64];
	unsigned long long ns = 0;
	FILE *fp;

	snprintf(path, sizeof(path), "/proc/%d/schedstat", (int)pid);
	fp = fopen(path, "re");
	if (!fp)
		return -1;
	if (fscanf(fp, "%llu", &ns) != 1)
		ns = 0;
	fclose(fp);
	return (double)ns / 1e6;
}

static void
stop(struct daemon *d)
{
	int i;

	if (d->pid <= 0)
		return;
	kill(d->pid, SIGTERM);
	for (i = 0; i < 500; i++) {
		read_stderr(d, NULL);
		if (waitpid(d->pid, NULL, WNOHANG) == d->pid)
			return;
		usleep(10000);
	}
	kill(d->pid, SIGKILL);
	waitpid(d->pid, NULL, 0);
}

/* The last "N ms" (or "N.N ms") of a line: the daemon's own figure; -1 if none. */
static double
said_ms(const char *line)
{
	double v = -1, x;
	const char *p;

	for (p = line; (p = strstr(p, " ms")) != NULL; p += 3) {
		const char *q = p;

		while (q > line && (q[-1] == '.' || (q[-1] >= '0' && q[-1] <= '9')))
			q--;
		if (q < p && sscanf(q, "%lf", &x) == 1)
			v = x;
	}
	return v;
}

/* Sends SIGHUP count times, each once the previous reload is done; prints
 * the wall times and the daemon's own figures. False on a timeout. */
static bool
reloads(struct daemon *d, const struct opts *o)
{
	double said[MAX_RELOADS], t;
	bool notify = !o->reload_text;
	int i;

	for (i = 0; i < o->reloads; i++) {
		t = now_ms();
		d->found[0] = '\0';
		if (kill(d->pid, SIGHUP) < 0 ||
		    !wait_for(d, o, o->reload_text, notify, 0, o->reload_timeout_ms))
			return false;
		printf("%s%.2f", i ? "," : " reload_ms=", now_ms() - t);
		said[i] = said_ms(d->found);
	}
	for (i = 0; o->reload_text && i < o->reloads; i++)
		printf("%s%.2f", i ? "," : " reload_said_ms=", said[i]);
	return true;
}

int
main(int argc, char *argv[])
{
	struct opts o;
	struct daemon d = { .pid = -1 };
	double t0;
	bool ok;

	parse_opts(&o, argc, argv);
	if (o.log && !(d.log = fopen(o.log, "we"))) {
		perror(o.log);
		return 1;
	}
	signal(SIGPIPE, SIG_IGN);
	t0 = now_ms();
	start(&d, &o);
	if (!wait_for(&d, &o, o.ready_text, o.notify, o.port, o.timeout_ms)) {
		stop(&d);
		return 1;
	}
	printf("ready_ms=%.2f cpu_ms=%.2f", now_ms() - t0, cpu_ms(d.pid));
	usleep((useconds_t)o.settle_ms * 1000);
	read_stderr(&d, NULL);
	printf(" rss_kb=%ld", rss_kb(d.pid));
	fflush(stdout);
	ok = reloads(&d, &o);
	printf("\n");
	stop(&d);
	return ok ? 0 : 3;
}
