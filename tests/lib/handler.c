/* SPDX-License-Identifier: ISC */
/* handler: a test handler for the integration tests. portierd starts it with
 * a connection (or, in wait mode, the listening socket) on 0, 1 and 2.
 *
 *   handler report [ARGS...]  print what the handler was given: argv, ids,
 *                             descriptors, socket options, signal state and
 *                             the environment, one "key=value" per line
 *   handler exit N            exit with status N
 *   handler segv              die of SIGSEGV (no core file)
 *   handler udp [MS]          wait-mode UDP: sleep MS milliseconds, then answer
 *                             one datagram with "udp:" + data
 *   handler accept [MS]       wait-mode TCP: sleep MS milliseconds, accept one
 *                             connection on fd 0, write "accepted pid=PID\n"
 *   handler linger MS         write "lingering\n", close 0, 1 and 2, then live
 *                             on for MS milliseconds
 */
#include "autoconf.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

extern char **environ;

/* Whether the controlling terminal of the handler's session can be opened. */
static int
tty_opens(void)
{
	int fd = open("/dev/tty", O_RDWR | O_NOCTTY);

	if (fd < 0)
		return 0;
	close(fd);
	return 1;
}

static void
report_fds(void)
{
	DIR *dir = opendir("/proc/self/fd");
	struct dirent *de;

	if (!dir) {
		printf("fds=?\n");	/* no /proc: in a chroot */
		return;
	}
	printf("fds=");
	while ((de = readdir(dir))) {
		if (de->d_name[0] == '.' || atoi(de->d_name) == dirfd(dir))
			continue;
		printf("%s,", de->d_name);
	}
	printf("\n");
	closedir(dir);
}

static int
sockopt(int level, int opt)
{
	int v = -1;
	socklen_t len = sizeof(v);

	if (getsockopt(0, level, opt, &v, &len) < 0)
		return -1;
	return v;
}

/* SigBlk and SigIgn from /proc/self/status. */
static void
report_signals(void)
{
	char line[256];
	FILE *fp = fopen("/proc/self/status", "r");

	if (!fp)
		return;
	while (fgets(line, sizeof(line), fp))
		if (!strncmp(line, "SigBlk:", 7) || !strncmp(line, "SigIgn:", 7) ||
		    !strncmp(line, "NoNewPrivs:", 11)) {
			size_t k = strcspn(line, ":");

			printf("%.*s=%s", (int)k, line, line + k + 1 + strspn(line + k + 1, " \t"));
		}
	fclose(fp);
}

static int
report(int argc, char *argv[])
{
	gid_t groups[64];
	int n = getgroups(64, groups);
	char cwd[256];
	struct rlimit rl;
	ssize_t len;

	printf("argc=%d\n", argc);
	for (int i = 0; i < argc; i++)
		printf("argv%d=[%s]\n", i, argv[i]);
	printf("uid=%d\ngid=%d\ngroups=", (int)getuid(), (int)getgid());
	for (int i = 0; i < n; i++)
		printf("%d,", (int)groups[i]);
	printf("\n");
	report_fds();
	printf("keepalive=%d\nnodelay=%d\n", sockopt(SOL_SOCKET, SO_KEEPALIVE),
	       sockopt(IPPROTO_TCP, TCP_NODELAY));
	printf("nonblock=%d\n", (fcntl(0, F_GETFL) & O_NONBLOCK) != 0);
	printf("sid_is_pid=%d\n", getsid(0) == getpid());
	printf("pgid_is_pid=%d\n", getpgid(0) == getpid());
	printf("tty=%d\n", tty_opens());
	printf("cwd=%s\n", getcwd(cwd, sizeof(cwd)) ? cwd : "?");
	printf("umask=%03o\n", (unsigned)umask(022));
	errno = 0;
	printf("nice=%d\n", getpriority(PRIO_PROCESS, 0));
	getrlimit(RLIMIT_NOFILE, &rl);
	printf("nofile=%lld/%lld\n", (long long)rl.rlim_cur, (long long)rl.rlim_max);
	len = readlink("/proc/self/root", cwd, sizeof(cwd) - 1);
	cwd[len > 0 ? len : 0] = '\0';
	printf("root=%s\n", cwd);
	printf("jailed=%d\n", access("/PORTIER_JAIL", F_OK) == 0);
	report_signals();
	for (char **e = environ; *e; e++)
		printf("env:%s\n", *e);
	return fflush(stdout) == 0 ? 0 : 1;
}

static int
serve_udp(void)
{
	char buf[512], out[600];
	struct sockaddr_storage from;
	socklen_t len = sizeof(from);
	ssize_t n = recvfrom(0, buf, sizeof(buf), 0, (struct sockaddr *)&from, &len);
	int m;

	if (n < 0) {
		perror("recvfrom");
		return 1;
	}
	m = snprintf(out, sizeof(out), "udp:%.*s", (int)n, buf);
	if (sendto(0, out, m, 0, (struct sockaddr *)&from, len) != m) {
		perror("sendto");
		return 1;
	}
	return 0;
}

static int
serve_accept(void)
{
	char msg[64];
	int fd = accept(0, NULL, NULL);
	int m;

	if (fd < 0) {
		perror("accept");
		return 1;
	}
	m = snprintf(msg, sizeof(msg), "accepted pid=%d\n", (int)getpid());
	if (write(fd, msg, m) != m)
		return 1;
	close(fd);
	return 0;
}

int
main(int argc, char *argv[])
{
	if (argc < 2) {
		fprintf(stderr, "usage: handler report|exit N|segv|udp|accept|linger MS\n");
		return 2;
	}
	if (!strcmp(argv[1], "report"))
		return report(argc, argv);
	if (!strcmp(argv[1], "exit") && argc > 2)
		return atoi(argv[2]);
	if (!strcmp(argv[1], "segv")) {
		struct rlimit none = { 0, 0 };

		setrlimit(RLIMIT_CORE, &none);
		/* a sanitizer build would catch it and exit 1 */
		signal(SIGSEGV, SIG_DFL);
		raise(SIGSEGV);
		return 1;
	}
	if (!strcmp(argv[1], "linger") && argc > 2) {
		fputs("lingering\n", stdout);
		fflush(stdout);
		close(0);
		close(1);
		close(2);
		usleep(atoi(argv[2]) * 1000);
		return 0;
	}
	if (argc > 2)
		usleep(atoi(argv[2]) * 1000);
	if (!strcmp(argv[1], "udp"))
		return serve_udp();
	if (!strcmp(argv[1], "accept"))
		return serve_accept();
	fprintf(stderr, "handler: unknown mode %s\n", argv[1]);
	return 2;
}
