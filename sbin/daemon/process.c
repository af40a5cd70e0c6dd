/* SPDX-License-Identifier: ISC */
/* process: what portierd sets up once about itself as a process, see
 * process.h. */
#include "autoconf.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "base/base.h"
#include "daemon/daemon.h"
#include "daemon/process.h"

/* Descriptors 0-2 must be open, or the first socket would become "stdin" and
 * be handed to handlers by accident. */
int
process_stdio_ensure(void)
{
	for (int fd = 0; fd < 3; fd++) {
		int n;

		if (fcntl(fd, F_GETFD) >= 0 || errno != EBADF)
			continue;
		n = open("/dev/null", O_RDWR);
		if (n < 0) {
			logerr(LOG_ERR, "/dev/null");
			return -1;
		}
		if (n != fd) {
			close(n);
			return -1;
		}
	}
	return 0;
}

/* A signal ignored by whoever started us stays ignored in every handler we
 * exec (shells ignore SIGINT and SIGQUIT in background jobs): reset them all
 * once here, so that a child only has to clear its signal mask. */
int
process_signals_reset(void)
{
	/* An all-zero kernel sigaction is SIG_DFL, no flags, empty mask, in
	 * every architecture's layout; this is larger than any of them. */
	static const unsigned char dfl[64];
	struct sigaction sa;

	for (int sig = 1; sig < NSIG; sig++) {
		if (sig == SIGKILL || sig == SIGSTOP)
			continue;
		/* glibc refuses the signals it reserves for itself (between 31
		 * and SIGRTMIN); portierd never uses them. */
		if (sig > 31 && sig < SIGRTMIN) {
			syscall(SYS_rt_sigaction, sig, dfl, NULL, (size_t)(NSIG - 1) / 8);
			continue;
		}
		if (sigaction(sig, NULL, &sa) < 0)
			continue;
		if (sa.sa_handler == SIG_IGN && signal(sig, SIG_DFL) == SIG_ERR)
			return -1;
	}
	return 0;
}

/* Detaches: fork, new session, fork again (never a session leader, so never a
 * controlling terminal), chdir /, stdio on /dev/null. The first process waits
 * until the daemon reports ready through *ready_fd (or dies), so that its exit
 * status tells whether portierd is running. */
int
process_daemonize(int *ready_fd)
{
	int p[2], null;
	pid_t pid;

	if (pipe2(p, O_CLOEXEC) < 0) {
		logerr(LOG_ERR, "pipe");
		return -1;
	}
	pid = fork();
	if (pid < 0) {
		logerr(LOG_ERR, "fork");
		return -1;
	}
	if (pid > 0) {
		char c;
		ssize_t n;

		close(p[1]);
		while ((n = read(p[0], &c, 1)) < 0 && errno == EINTR)
			;
		if (n != 1)
			fprintf(stderr, "portierd: failed to start; see the system log\n");
		_exit(n == 1 ? DAEMON_EXIT_OK : DAEMON_EXIT_FAIL);
	}
	close(p[0]);
	if (setsid() < 0)
		_exit(DAEMON_EXIT_FAIL);
	pid = fork();
	if (pid < 0)
		_exit(DAEMON_EXIT_FAIL);
	if (pid > 0)
		_exit(DAEMON_EXIT_OK);
	if (chdir("/") < 0)
		_exit(DAEMON_EXIT_FAIL);
	null = open("/dev/null", O_RDWR | O_CLOEXEC);
	if (null < 0)
		_exit(DAEMON_EXIT_FAIL);
	for (int fd = 0; fd < 3; fd++)
		if (dup2(null, fd) < 0)
			_exit(DAEMON_EXIT_FAIL);
	close(null);
	*ready_fd = p[1];
	return 0;
}
