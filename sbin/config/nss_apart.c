/* nss_apart: a look-up in a child process, see nss_apart.h */
#include "autoconf.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "config/nss_apart.h"

/* In the child: the look-up, its answer into the pipe, and out. */
static void __attribute__((noreturn))
child(int fd, void (*lookup)(const void *arg, void *out), const void *arg, void *out,
      size_t size)
{
	const char *c = out;
	size_t sent = 0;

	lookup(arg, out);
	while (sent < size) {
		ssize_t n = write(fd, c + sent, size - sent);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			_exit(1);
		sent += (size_t)n;
	}
	_exit(0);
}

/* Up to size bytes from fd; the number read. */
static size_t
read_all(int fd, void *out, size_t size)
{
	size_t got = 0;

	while (got < size) {
		ssize_t n = read(fd, (char *)out + got, size - got);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	return got;
}

int
nss_apart(void (*lookup)(const void *arg, void *out), const void *arg, void *out,
	  size_t size)
{
	int p[2], status = -1;
	size_t got;
	pid_t pid;

	if (pipe2(p, O_CLOEXEC) < 0)
		return -1;
	if ((pid = fork()) < 0) {
		close(p[0]);
		close(p[1]);
		return -1;
	}
	if (pid == 0) {
		close(p[0]);
		child(p[1], lookup, arg, out, size);
	}
	close(p[1]);
	got = read_all(p[0], out, size);
	close(p[0]);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	return got == size && WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
}
