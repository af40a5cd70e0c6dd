/* SPDX-License-Identifier: ISC */
/* audit_proc: which processes hold each socket. The kernel names a
 * socket's inode in /proc/PID/fd/N ("socket:[INODE]"); the sockets are
 * sorted by inode so each descriptor costs one readlink and a binary
 * search. */
#include "autoconf.h"

#include <ctype.h>
#include <dirent.h>
#include <fcntl.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ctl/audit.h"

/* Distinct users a host's listeners run as: a handful; names past this
 * are looked up again. */
#define USER_CACHE 16

struct user_cache {
	uid_t uid[USER_CACHE];
	char name[USER_CACHE][32];
	size_t count;
};

/* The process we are looking into, read once when it holds a socket. */
struct proc_info {
	pid_t pid;
	bool known;
	char command[32];
	char user[32];
};

static int
by_inode(const void *a, const void *b)
{
	const struct audit_sock *x = a, *y = b;

	return x->inode < y->inode ? -1 : x->inode > y->inode;
}

static const char *
user_name(struct user_cache *c, uid_t uid)
{
	struct passwd *pw;
	size_t i;

	for (i = 0; i < c->count; i++)
		if (c->uid[i] == uid)
			return c->name[i];
	i = c->count < USER_CACHE ? c->count++ : USER_CACHE - 1;
	c->uid[i] = uid;
	pw = getpwuid(uid);
	if (pw)
		snprintf(c->name[i], sizeof(c->name[i]), "%s", pw->pw_name);
	else
		snprintf(c->name[i], sizeof(c->name[i]), "%u", (unsigned)uid);
	return c->name[i];
}

/* comm, the kernel's name of the process (rpc.nfsd, python3). */
static void
proc_read(int procfd, struct proc_info *p, struct user_cache *uc)
{
	char path[64];
	struct stat st;
	ssize_t n;
	int fd;

	p->known = true;
	snprintf(path, sizeof(path), "%d/comm", (int)p->pid);
	fd = openat(procfd, path, O_RDONLY | O_CLOEXEC);
	n = fd >= 0 ? read(fd, p->command, sizeof(p->command) - 1) : -1;
	if (fd >= 0)
		close(fd);
	p->command[n > 0 ? n : 0] = '\0';
	p->command[strcspn(p->command, "\n")] = '\0';
	snprintf(path, sizeof(path), "%d", (int)p->pid);
	if (fstatat(procfd, path, &st, 0) == 0)
		snprintf(p->user, sizeof(p->user), "%s", user_name(uc, st.st_uid));
	else
		snprintf(p->user, sizeof(p->user), "?");
}

static void
sock_add_holder(struct audit_sock *k, struct proc_info *p, int procfd, struct user_cache *uc)
{
	for (unsigned i = 0; i < k->npids && i < AUDIT_MAX_PIDS; i++)
		if (k->pids[i] == p->pid)
			return;		/* two descriptors of one socket */
	if (k->npids < AUDIT_MAX_PIDS)
		k->pids[k->npids] = p->pid;
	if (k->npids++ == 0) {
		if (!p->known)
			proc_read(procfd, p, uc);
		snprintf(k->command, sizeof(k->command), "%s", p->command);
		snprintf(k->user, sizeof(k->user), "%s", p->user);
	}
}

static uint64_t
socket_inode(int fdfd, const char *name)
{
	char link[64];
	ssize_t n = readlinkat(fdfd, name, link, sizeof(link) - 1);

	if (n < 9 || memcmp(link, "socket:[", 8))
		return 0;
	link[n] = '\0';
	return strtoull(link + 8, NULL, 10);
}

static void
scan_process(int procfd, pid_t pid, struct audit_socks *s, struct user_cache *uc)
{
	struct proc_info p = { .pid = pid };
	char path[32];
	struct dirent *e;
	DIR *dir;
	int fd;

	snprintf(path, sizeof(path), "%d/fd", (int)pid);
	fd = openat(procfd, path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return;		/* gone, or not ours to look into */
	dir = fdopendir(fd);
	if (!dir) {
		close(fd);
		return;
	}
	while ((e = readdir(dir))) {
		struct audit_sock key, *k;

		if (e->d_name[0] == '.')
			continue;
		key.inode = socket_inode(fd, e->d_name);
		if (!key.inode)
			continue;
		k = bsearch(&key, s->v, s->count, sizeof(*k), by_inode);
		if (k)
			sock_add_holder(k, &p, procfd, uc);
	}
	closedir(dir);
}

void
audit_find_owners(struct audit_socks *s)
{
	struct user_cache uc = { .count = 0 };
	struct dirent *e;
	DIR *proc;

	qsort(s->v, s->count, sizeof(s->v[0]), by_inode);
	proc = opendir("/proc");
	if (!proc)
		return;
	while ((e = readdir(proc)))
		if (isdigit((unsigned char)e->d_name[0]))
			scan_process(dirfd(proc), (pid_t)atoi(e->d_name), s, &uc);
	closedir(proc);
}
