/* SPDX-License-Identifier: ISC */
/* fuzz_util: what the harnesses share (fuzz.h). */
#include "autoconf.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fuzz.h"

#ifndef FUZZ_REGISTRY
#define FUZZ_REGISTRY "services.db"
#endif

static char tmpdir[4096];

static void
die(const char *what)
{
	fprintf(stderr, "fuzz: %s: %s\n", what, strerror(errno));
	exit(2);
}

static void
write_proc(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);

	if (fd < 0 || write(fd, text, strlen(text)) != (ssize_t)strlen(text))
		die(path);
	close(fd);
}

void
fuzz_isolate(void)
{
	uid_t uid = geteuid();
	gid_t gid = getegid();
	char map[64];

	if (unshare(CLONE_NEWNET) == 0)
		return;
	/* Not root: a user namespace of our own, where we keep our ids. */
	if (unshare(CLONE_NEWUSER | CLONE_NEWNET) < 0)
		die("unshare (a network namespace keeps the fuzzer's host names off DNS)");
	write_proc("/proc/self/setgroups", "deny");
	snprintf(map, sizeof(map), "%lu %lu 1", (unsigned long)uid, (unsigned long)uid);
	write_proc("/proc/self/uid_map", map);
	snprintf(map, sizeof(map), "%lu %lu 1", (unsigned long)gid, (unsigned long)gid);
	write_proc("/proc/self/gid_map", map);
}

const struct registry *
fuzz_registry(void)
{
	static struct registry *reg;
	const char *path = getenv("PORTIER_FUZZ_REGISTRY");
	struct diag d;

	if (reg)
		return reg;
	if (!path)
		path = FUZZ_REGISTRY;
	diag_init(&d);
	if (!(reg = registry_new()) || registry_load(reg, path, false, &d) < 0) {
		diag_print(&d, stderr);
		fprintf(stderr, "fuzz: %s does not load (PORTIER_FUZZ_REGISTRY)\n", path);
		exit(2);
	}
	diag_free(&d);
	return reg;
}

static int
remove_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static void
remove_tmpdir(void)
{
	nftw(tmpdir, remove_one, 16, FTW_DEPTH | FTW_PHYS);
}

const char *
fuzz_tmpdir(void)
{
	const char *base = getenv("TMPDIR");

	if (tmpdir[0])
		return tmpdir;
	snprintf(tmpdir, sizeof(tmpdir), "%s/portier-fuzz.XXXXXX", base && *base ? base : "/tmp");
	if (!mkdtemp(tmpdir))
		die(tmpdir);
	atexit(remove_tmpdir);
	return tmpdir;
}

void
fuzz_write(const char *dir, const char *name, const void *data, size_t len)
{
	char path[4096];
	const char *p = data;
	int fd;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		die(path);
	while (len > 0) {
		ssize_t n = write(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			die(path);
		p += n;
		len -= (size_t)n;
	}
	if (close(fd) < 0)
		die(path);
}

char *
fuzz_string(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);

	if (!s)
		abort();
	memcpy(s, data, size);
	s[size] = '\0';
	return s;
}

/* The old system's /etc/services: a few classic entries, some of which
 * portier's registry spells otherwise or lacks. */
static unsigned
system_port(const char *name, const char *proto, void *arg)
{
	static const struct {
		const char *name;
		unsigned port;
	} ports[] = {
		{ "tcpmux", 1 }, { "echo", 7 }, { "discard", 9 }, { "daytime", 13 },
		{ "chargen", 19 }, { "ftp", 21 }, { "telnet", 23 }, { "smtp", 25 },
		{ "time", 37 }, { "tftp", 69 }, { "finger", 79 }, { "pop3", 110 },
		{ "imap", 143 }, { "exec", 512 }, { "login", 513 }, { "shell", 514 },
		{ "talk", 517 }, { "ntalk", 518 }, { "rsync", 873 }, { "swat", 901 },
		{ "cvspserver", 2401 }, { "nrpe", 5666 }, { "git", 9418 },
		{ "mysqlchk", 9200 }, { "amanda", 10080 }, { "ftp-sensor", 3021 },
	};

	(void)proto;
	(void)arg;
	for (size_t i = 0; i < sizeof(ports) / sizeof(ports[0]); i++)
		if (!strcmp(ports[i].name, name))
			return ports[i].port;
	return 0;
}

void
fuzz_convert_opts(struct convert_opts *o, const char *prefix)
{
	memset(o, 0, sizeof(*o));
	o->prefix = prefix;
	o->system_port = system_port;
	o->registry_port = convert_registry_port;
	o->arg = (void *)fuzz_registry();
}

void
fuzz_roundtrip(const struct convert_out *out)
{
	char *text = convert_join(out);
	struct config *cfg;
	struct diag d;

	if (!text)
		abort();
	diag_init(&d);
	cfg = config_load_buffer(text, "converted", fuzz_registry(), CONFIG_NO_FS_CHECKS, &d);
	if (!cfg) {
		fprintf(stderr, "fuzz: the converter reported no error, but its output does "
			"not load:\n%s\n--- the loader says:\n", text);
		diag_print(&d, stderr);
		abort();
	}
	config_free(cfg);
	diag_free(&d);
	free(text);
}
