/* readytime: starts a daemon and measures how long it takes to be ready, its
 * idle RSS, and how long each reload (SIGHUP) takes; then stops it.
 *   readytime [-n] [-p PORT] [-w TEXT] [-r COUNT -R TEXT] [-s MS] [-t MS]
 *             [-o LOG] -- COMMAND [ARG…]
 * Ready is the first of: READY=1 on $NOTIFY_SOCKET (-n, the sd_notify
 * protocol), a line of the daemon's stderr that contains TEXT (-w), or a TCP
 * connect to 127.0.0.1:PORT that succeeds (-p). A reload is done when the
 * daemon says READY=1 again (-n) or prints a line containing TEXT (-R).
 * Prints: ready_ms=… rss_kb=… [reload_ms=…,…]; exit 1 on a timeout. */
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
	fprintf(stderr, "usage: readytime [-n] [-p PORT] [-w TEXT] [-r COUNT -R TEXT] [-s MS]\n"
			"                 [-t MS] [-o LOG] -- COMMAND [ARG…]\n");
	exit(2);
}

static void
parse_opts(struct opts *o, int argc, char *argv[])
{
	int c;

	*o = (struct opts){ .settle_ms = 200, .timeout_ms = 10000 };
	while ((c = getopt(argc, argv, "+np:w:r:R:s:t:o:")) != -1) {
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
			if (text && strstr(d->line, text))
				found = true;
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

/* Waits for ready (or reload done, with the reload's text); false on timeout
 * or when the daemon died. */
static bool
wait_for(struct daemon *d, const struct opts *o, const char *text, unsigned port)
{
	double deadline = now_ms() + o->timeout_ms;
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
		if (d->notify_fd >= 0 && read_notify(d))
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
			fprintf(stderr, "readytime: %s: not ready after %d ms\n", o->cmd[0],
				o->timeout_ms);
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

int
main(int argc, char *argv[])
{
	struct opts o;
	struct daemon d = { .pid = -1 };
	double t0, t;
	int i;

	parse_opts(&o, argc, argv);
	if (o.log && !(d.log = fopen(o.log, "we"))) {
		perror(o.log);
		return 1;
	}
	signal(SIGPIPE, SIG_IGN);
	t0 = now_ms();
	start(&d, &o);
	if (!wait_for(&d, &o, o.ready_text, o.port)) {
		stop(&d);
		return 1;
	}
	printf("ready_ms=%.2f", now_ms() - t0);
	usleep((useconds_t)o.settle_ms * 1000);
	read_stderr(&d, NULL);
	printf(" rss_kb=%ld", rss_kb(d.pid));
	for (i = 0; i < o.reloads; i++) {
		t = now_ms();
		if (kill(d.pid, SIGHUP) < 0 || !wait_for(&d, &o, o.reload_text, 0)) {
			printf("\n");
			stop(&d);
			return 1;
		}
		printf("%s%.2f", i ? "," : " reload_ms=", now_ms() - t);
		fflush(stdout);
	}
	printf("\n");
	stop(&d);
	return 0;
}
