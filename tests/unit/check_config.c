/* SPDX-License-Identifier: ISC */
/* Unit tests for the configuration module (sbin/config*.c): every error
 * with its message and line, inheritance from defaults, `+=`, id suffixes,
 * duplicates, address conflicts, file naming rules, host checks, each
 * option's default. A small registry is written by the tests themselves. */
#include "autoconf.h"

#include <arpa/inet.h>
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <grp.h>
#include <netinet/in.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/un.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <syslog.h>
#include <unistd.h>

#include "config/config.h"
#include "check_run.h"

#define NAME "t.conf"

static char tmpdir[4096];
static struct registry *reg;
static struct diag d;

static const char registry_text[] =
	"tcpmux 1/tcp\n"
	"echo 7/tcp\n"
	"echo 7/udp\n"
	"discard 9/tcp sink null\n"
	"discard 9/udp sink null\n"
	"daytime 13/tcp\n"
	"daytime 13/udp\n"
	"chargen 19/tcp ttytst source\n"
	"time 37/tcp timserver\n"
	"telnet 23/tcp\n"
	"tftp 69/udp\n"
	"shell 514/tcp cmd\n"
	"syslog 514/udp\n"
	"cl/1 172/tcp\n";

static int
remove_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	return remove(path);
}

static const char *
tmp_path(const char *name)
{
	static char path[4][4200];
	static int which;
	char *p = path[which++ % 4];

	snprintf(p, sizeof(path[0]), "%s/%s", tmpdir, name);
	return p;
}

static void
write_file(const char *name, const char *text, mode_t mode)
{
	const char *p = tmp_path(name);
	FILE *fp = fopen(p, "w");

	ck_assert_msg(fp != NULL, "fopen %s: %s", p, strerror(errno));
	ck_assert_int_eq(fputs(text, fp) >= 0, 1);
	ck_assert_int_eq(fclose(fp), 0);
	ck_assert_int_eq(chmod(p, mode), 0);
}

static void
setup(void)
{
	const char *base = getenv("TMPDIR");

	snprintf(tmpdir, sizeof(tmpdir), "%s/portier-check-config-XXXXXX",
		 base && *base ? base : "/tmp");
	ck_assert_msg(mkdtemp(tmpdir) != NULL, "mkdtemp: %s", strerror(errno));
	ck_assert_int_eq(chmod(tmpdir, 0755), 0);
	write_file("services.db", registry_text, 0644);
	diag_init(&d);
	reg = registry_new();
	ck_assert_ptr_nonnull(reg);
	ck_assert_int_eq(registry_load(reg, tmp_path("services.db"), true, &d), 0);
	ck_assert_uint_eq(d.count, 0);
}

static void
teardown(void)
{
	registry_free(reg);
	diag_free(&d);
	nftw(tmpdir, remove_one, 16, FTW_DEPTH | FTW_PHYS);
}

static void
dump(void)
{
	for (size_t i = 0; i < d.count; i++)
		fprintf(stderr, "  diag: %s\n", d.items[i].text);
}

static struct config *
load(const char *text, unsigned flags)
{
	diag_free(&d);
	diag_init(&d);
	return config_load_buffer(text, NAME, reg, flags, &d);
}

/* Loads text, which must be valid; warnings are allowed. */
static struct config *
load_ok(const char *text, unsigned flags)
{
	struct config *cfg = load(text, flags);

	if (!cfg || d.errors)
		dump();
	ck_assert_msg(cfg != NULL && d.errors == 0, "configuration rejected");
	return cfg;
}

/* A diagnostic of the level at t.conf:line (or file:line) containing msg. */
static bool
has_diag_in(enum diag_level lvl, const char *file, int line, const char *msg)
{
	char prefix[4300];

	if (line)
		snprintf(prefix, sizeof(prefix), "%s:%d: %s", file, line,
			 lvl == DIAG_WARNING ? "warning: " : "");
	else
		snprintf(prefix, sizeof(prefix), "%s: %s", file, lvl == DIAG_WARNING ? "warning: " : "");
	for (size_t i = 0; i < d.count; i++)
		if (d.items[i].level == lvl && !strncmp(d.items[i].text, prefix, strlen(prefix)) &&
		    strstr(d.items[i].text, msg))
			return true;
	return false;
}

#define expect_in(lvl, file, line, msg) do { \
	if (!has_diag_in(lvl, file, line, msg)) { \
		dump(); \
		ck_abort_msg("no %s at %s:%d containing \"%s\"", \
			     lvl == DIAG_ERROR ? "error" : "warning", file, line, msg); \
	} \
} while (0)
#define expect_error(line, msg) expect_in(DIAG_ERROR, NAME, line, msg)
#define expect_warning(line, msg) expect_in(DIAG_WARNING, NAME, line, msg)

/* text must be rejected with exactly one error, at line, containing msg. */
static void
reject_one(const char *text, int line, const char *msg)
{
	struct config *cfg = load(text, 0);

	if (cfg || d.errors != 1 || !has_diag_in(DIAG_ERROR, NAME, line, msg)) {
		dump();
		ck_abort_msg("expected the single error %s:%d: ...%s...", NAME, line, msg);
	}
}

static const struct service *
find(const struct config *cfg, const char *id)
{
	const struct service *s = config_find(cfg, id);

	ck_assert_msg(s != NULL, "no service %s", id);
	return s;
}

static bool
am_root(void)
{
	return geteuid() == 0;
}

/* Each text has exactly one error, at the line, with the message. Services
 * are internal or run /bin/sh so that only the error at hand shows. */
static const struct {
	const char *text;
	int line;
	const char *msg;
} bad[] = {
	/* syntax and types, as libconfuse or the option says */
	{ "service echo {\n type = internal\n bogus = 1\n}\n", 3, "no such option 'bogus'" },
	{ "servce echo {\n}\n", 1, "no such option 'servce'" },
	{ "service echo {\n type = internal\n port = { 1, 2 }\n}\n", 3, "unexpected token '{'" },
	{ "service echo {\n type = internal\n name += { x }\n}\n", 3,
	  "attempt to append to non-list option 'name'" },
	{ "service echo {\n type = internal\n port = 7\n", 1, "this { is never closed" },
	{ "service echo {\n type = internal\n}\n/* open\n\n", 4, "unterminated /* comment" },
	{ "service echo {\n type = internal\n}\n}\n", 4, "unexpected closing brace" },
	{ "service echo {\n type = internal\n disable = maybe\n}\n", 3,
	  "service 'echo': disable: 'maybe' is not a boolean (yes or no)" },
	{ "service echo {\n type = internal\n keepalive = 1\n}\n", 3, "keepalive: '1' is not a boolean" },
	{ "service echo {\n type = internal\n port = abc\n}\n", 3,
	  "port: 'abc' is not a number from 1 to 65535" },
	{ "service echo {\n type = internal\n port = 0\n}\n", 3, "port: '0' is not a number from 1 to 65535" },
	{ "service echo {\n type = internal\n port = 65536\n}\n", 3, "port: '65536' is not a number" },
	{ "service echo {\n type = internal\n port = -7\n}\n", 3, "port: '-7' is not a number" },
	{ "service echo {\n type = internal\n port = 0x10\n}\n", 3, "port: '0x10' is not a number" },
	{ "service echo {\n type = external\n}\n", 2, "type: 'external' is not one of: internal" },
	{ "service echo {\n type = internal\n socket_type = raw\n}\n", 3,
	  "socket_type: 'raw' is not one of: stream, dgram" },
	{ "service echo {\n type = internal\n protocol = sctp\n}\n", 3,
	  "protocol: 'sctp' is not one of: tcp, udp" },
	{ "service echo {\n type = internal\n activation = xinetd\n}\n", 3,
	  "activation: 'xinetd' is not one of: inetd, systemd" },
	{ "service echo {\n type = internal\n port = 7\n port = 8\n}\n", 4, "port is set twice (also at line 3)" },
	{ "service echo { type = internal port = 7 port = 7 }\n", 1, "port is set twice (also at line 1)" },
	/* the handler */
	{ "service telnet {\n port = 23\n}\n", 1, "service 'telnet': no server (set server" },
	{ "service telnet {\n server = bin/sh\n}\n", 2, "server: 'bin/sh' is not an absolute path" },
	{ "service telnet {\n server = /nonexistent/in.telnetd\n}\n", 2,
	  "server /nonexistent/in.telnetd: No such file or directory" },
	{ "service telnet {\n server = /bin\n}\n", 2, "server /bin is not a regular file" },
	{ "service telnet {\n server = /bin/sh\n chroot = /nonexistent\n}\n", 3,
	  "chroot /nonexistent: No such file or directory" },
	{ "service telnet {\n server = /bin/sh\n chroot = var/empty\n}\n", 3,
	  "chroot: 'var/empty' is not an absolute path" },
	{ "service telnet {\n server = /bin/sh\n banner = /nonexistent\n}\n", 3,
	  "banner /nonexistent: No such file or directory" },
	{ "service telnet {\n server = /bin/sh\n banner_fail = etc/issue\n}\n", 3,
	  "banner_fail: 'etc/issue' is not an absolute path" },
	{ "service telnet {\n server = /bin/sh\n group = no-such-group-xyz\n}\n", 3,
	  "unknown group 'no-such-group-xyz'" },
	{ "service telnet {\n server = /bin/sh\n groups = { no-such-group-xyz }\n}\n", 3,
	  "groups: unknown group 'no-such-group-xyz'" },
	{ "service telnet {\n server = /bin/sh\n user = \"a b\"\n}\n", 3, "user: 'a b' is not a valid name" },
	{ "service telnet {\n server = /bin/sh\n env = { \"1X=2\" }\n}\n", 3, "env: '1X=2' is not NAME=value" },
	{ "service telnet {\n server = /bin/sh\n env = { NOVALUE }\n}\n", 3, "env: 'NOVALUE' is not NAME=value" },
	{ "service telnet {\n server = /bin/sh\n env = { \"A=1\", \"A=2\" }\n}\n", 3, "env: A is set twice" },
	{ "service telnet {\n server = /bin/sh\n passenv = { \"A-B\" }\n}\n", 3,
	  "passenv: 'A-B' is not a variable name" },
	{ "service telnet {\n server = /bin/sh\n env = { \"TZ=UTC\" }\n passenv = { TZ }\n}\n", 4,
	  "TZ is set by env and passed by passenv" },
	/* ports and protocols */
	{ "service foo {\n server = /bin/sh\n}\n", 1, "service 'foo': 'foo' has no tcp port in the registry: set port" },
	{ "service tftp/tcp {\n server = /bin/sh\n}\n", 1, "'tftp' has no tcp port in the registry" },
	{ "service foo {\n server = /bin/sh\n name = bar\n}\n", 1, "'bar' has no tcp port in the registry" },
	{ "service tftp {\n server = /bin/sh\n wait = no\n}\n", 3,
	  "service 'tftp': wait = no does not work with dgram sockets" },
	{ "service echo {\n type = internal\n socket_type = dgram\n protocol = tcp\n}\n", 3,
	  "socket_type dgram does not fit protocol tcp" },
	{ "service echo/udp {\n type = internal\n protocol = tcp\n}\n", 3,
	  "protocol tcp contradicts the /udp of the service id" },
	{ "service \"e cho\" {\n type = internal\n port = 7\n}\n", 1, "not a valid service id" },
	{ "service /tcp {\n type = internal\n port = 7\n}\n", 1, "the service id is empty" },
	/* ids fit the control protocol (CONFIG_ID_MAX); the message shows at
	 * most that much of one */
	{ "service \"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\" {\n type = internal\n port = 7\n}\n", 1,
	  "service 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa...': the service id is longer than 64 characters" },
	{ "service \"bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb/tcp\" {\n type = internal\n port = 7\n}\n", 1,
	  "the service id is longer than 64 characters" },
	/* a quoted token shows at most 32 bytes, printable only: a file may be a
	 * link to a secret one (libconfuse's messages and the loader's own) */
	{ "root:$6$saltsaltsaltsalt$hashhashhashhash:19000:0:99999:7:::\n", 1,
	  "no such option 'root:$6$saltsaltsaltsalt$hashhas...'" },
	{ "service echo {\n type = internal\n port = \"123456789012345678901234567890123\"\n}\n", 3,
	  "port: '12345678901234567890123456789012...' is not a number" },
	{ "service echo {\n type = internal\n socket_type = \"s\\ttream\"\n}\n", 3,
	  "socket_type: 's?tream' is not one of" },
	{ "service echo {\n type = internal\n name = \"a b\"\n}\n", 3, "name: 'a b' is not a valid name" },
	{ "service telnet {\n server = /bin/sh\n user = \"../x\"\n}\n", 3, "user: '../x' is not a valid name" },
	{ "service echo {\n type = internal\n bind = { 1.2.3 }\n}\n", 3,
	  "bind: '1.2.3' is not an IPv4 or IPv6 address" },
	{ "service echo {\n type = internal\n bind = { localhost }\n}\n", 3, "bind: 'localhost' is not" },
	/* internal services */
	{ "service foo {\n type = internal\n port = 5\n}\n", 2,
	  "there is no internal service 'foo' (there are echo, discard, daytime, chargen, time and tcpmux)" },
	{ "service echo {\n type = internal\n server = /bin/sh\n}\n", 3, "an internal service has no server" },
	{ "service echo {\n type = internal\n server_args = { x }\n}\n", 3,
	  "an internal service has no server_args" },
	{ "service echo {\n type = internal\n wait = yes\n}\n", 3,
	  "internal stream services do not support wait = yes" },
	{ "service tcpmux/udp {\n type = internal\n port = 1\n}\n", 1, "the tcpmux service is TCP only" },
	{ "service tcpmux {\n type = internal\n tcpmux = yes\n}\n", 3,
	  "the tcpmux service cannot be reached through itself" },
	{ "service echo {\n type = internal\n activation = systemd\n}\n", 3,
	  "activation = systemd passes the socket to a handler; an internal service has none" },
	/* tcpmux */
	{ "service tcpmux { type = internal }\nservice foo {\n server = /bin/sh\n tcpmux = yes\n port = 5\n}\n",
	  5, "a tcpmux service has no port of its own" },
	{ "service tcpmux { type = internal }\nservice foo/udp {\n server = /bin/sh\n tcpmux = yes\n}\n",
	  4, "tcpmux services are TCP services" },
	{ "service tcpmux { type = internal }\nservice foo {\n server = /bin/sh\n tcpmux = yes\n wait = yes\n}\n",
	  5, "tcpmux services do not support wait = yes" },
	{ "service tcpmux { type = internal }\n"
	  "service a { server = /bin/sh tcpmux = yes name = Foo }\n"
	  "service b { server = /bin/sh tcpmux = yes name = foo }\n", 3,
	  "service 'b': tcpmux name 'foo' is already used by service 'a' (t.conf:2)" },
	/* limits */
	{ "service echo {\n type = internal\n instances = 0\n}\n", 3,
	  "instances: '0' is neither a number of at least 1 nor UNLIMITED" },
	{ "service echo {\n type = internal\n instances = -1\n}\n", 3, "instances: '-1' is neither" },
	{ "service echo {\n type = internal\n per_source = 0\n}\n", 3, "per_source: '0' is neither" },
	{ "service echo {\n type = internal\n per_source = lots\n}\n", 3, "per_source: 'lots' is neither" },
	{ "service echo {\n type = internal\n cps = { -1, 10 }\n}\n", 3, "cps: '-1, 10' is not a rate" },
	{ "service echo {\n type = internal\n cps = { 5, 0 }\n}\n", 3, "cps: '5, 0' is not a rate" },
	{ "service echo {\n type = internal\n cps = { 5, 123456789012345678901234567890123 }\n}\n", 3,
	  "cps: '5, 12345678901234567890123456789012...' is not a rate" },
	{ "service telnet {\n server = /bin/sh\n env = { \"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=1\", \"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=2\" }\n}\n", 3,
	  "env: AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA... is set twice" },
	{ "service echo {\n type = internal\n cps = { 5 }\n}\n", 3, "cps: needs exactly two numbers" },
	{ "service echo {\n type = internal\n cps += { 5, 5 }\n}\n", 3, "cps: needs exactly two numbers" },
	{ "service echo {\n type = internal\n rate = { 5 }\n}\n", 3, "rate: needs exactly two numbers" },
	{ "service echo {\n type = internal\n rate = { 5, 0 }\n}\n", 3, "rate: '5, 0' is not a rate" },
	{ "service echo {\n type = internal\n rate = { 0.0001, 1 }\n}\n", 3, "rate: '0.0001, 1' is not a rate" },
	{ "service echo {\n type = internal\n rate = { 2000000, 1 }\n}\n", 3, "rate: '2000000, 1' is not a rate" },
	{ "service echo {\n type = internal\n per_source_rate = { -1, 1 }\n}\n", 3,
	  "per_source_rate: '-1, 1' is not a rate" },
	{ "service echo {\n type = internal\n per_source_rate += { 1, 1 }\n}\n", 3,
	  "per_source_rate: needs exactly two numbers" },
	{ "service echo {\n type = internal\n on_limit = drop\n}\n", 3,
	  "on_limit: 'drop' is not one of: defer, refuse" },
	{ "service echo {\n type = internal\n max_load = -1\n}\n", 3, "max_load: '-1' is not a number of 0 or more" },
	{ "service echo {\n type = internal\n listen_backlog = -1\n}\n", 3,
	  "listen_backlog: '-1' is not a number from 0 to 65535" },
	{ "service echo {\n type = internal\n idle_timeout = 0\n}\n", 3, "idle_timeout: '0' is not a number from 1" },
	{ "service telnet {\n server = /bin/sh\n nice = 20\n}\n", 3, "nice: '20' is not a number from -20 to 19" },
	{ "service telnet {\n server = /bin/sh\n nice = -21\n}\n", 3, "nice: '-21' is not a number" },
	{ "service telnet {\n server = /bin/sh\n rlimit_cpu = 0\n}\n", 3,
	  "rlimit_cpu: '0' is not a number of at least 1, or unlimited" },
	{ "service telnet {\n server = /bin/sh\n rlimit_cpu = 10K\n}\n", 3, "rlimit_cpu: '10K' is not a number" },
	{ "service telnet {\n server = /bin/sh\n rlimit_files = 2\n}\n", 3, "rlimit_files: '2' is not a number of at least 3" },
	{ "service telnet {\n server = /bin/sh\n rlimit_nproc = -5\n}\n", 3, "rlimit_nproc: '-5' is not" },
	{ "service telnet {\n server = /bin/sh\n rlimit_as = 0\n}\n", 3,
	  "rlimit_as: '0' is not a size (K, M, G suffixes) of at least 1" },
	{ "service telnet {\n server = /bin/sh\n rlimit_stack = 8T\n}\n", 3, "rlimit_stack: '8T' is not a size" },
	{ "service telnet {\n server = /bin/sh\n rlimit_core = -1\n}\n", 3, "rlimit_core: '-1' is not a size" },
	{ "defaults {\n max_children = 0\n}\n", 2, "defaults: max_children: '0' is neither" },
	{ "defaults {\n loop_limit = 0\n}\n", 2, "defaults: loop_limit: '0' is not a number from 1" },
	{ "defaults {\n loop_disable = -1\n}\n", 2, "defaults: loop_disable: '-1' is not a number from 1" },
	/* addresses and times */
	{ "service echo {\n type = internal\n only_from = { 10.0.0.0/33 }\n}\n", 3,
	  "only_from: '10.0.0.0/33' is not an address, CIDR block or host name" },
	{ "service echo {\n type = internal\n only_from = { 10.0.0.256 }\n}\n", 3, "only_from: '10.0.0.256' is not" },
	{ "service echo {\n type = internal\n only_from = { 10.0.0.0/x }\n}\n", 3, "only_from: '10.0.0.0/x' is not" },
	{ "service echo {\n type = internal\n only_from = { \"10.0.0.0/+8\" }\n}\n", 3, "only_from: '10.0.0.0/+8' is not" },
	{ "service echo {\n type = internal\n only_from = { ::1/129 }\n}\n", 3, "only_from: '::1/129' is not" },
	{ "service echo {\n type = internal\n no_access = { \"::ffff:10.0.0.0/95\" }\n}\n", 3,
	  "no_access: '::ffff:10.0.0.0/95' is not" },
	{ "service echo {\n type = internal\n no_access = { host/24 }\n}\n", 3, "no_access: 'host/24' is not" },
	{ "service echo {\n type = internal\n only_from = { nonexistent.invalid }\n}\n", 3,
	  "only_from: cannot resolve 'nonexistent.invalid'" },
	{ "service echo {\n type = internal\n access_times = { \"9:00-17:60\" }\n}\n", 3,
	  "access_times: '9:00-17:60' is not HH:MM-HH:MM" },
	{ "service echo {\n type = internal\n access_times = { 0900-1700 }\n}\n", 3,
	  "access_times: '0900-1700' is not HH:MM-HH:MM" },
	{ "service echo {\n type = internal\n access_times = { \"24:00-01:00\" }\n}\n", 3, "is not HH:MM-HH:MM" },
	{ "service echo {\n type = internal\n expires = 2026-13-01\n}\n", 3,
	  "expires: '2026-13-01' is not an ISO 8601 time" },
	{ "service echo {\n type = internal\n expires = 2026-02-29\n}\n", 3, "expires: '2026-02-29' is not" },
	{ "service echo {\n type = internal\n expires = \"2026-12-01T25:00Z\"\n}\n", 3, "is not an ISO 8601" },
	{ "service echo {\n type = internal\n expires = \"2026-12-01T18:00+2\"\n}\n", 3, "is not an ISO 8601" },
	{ "service echo {\n type = internal\n expires = tomorrow\n}\n", 3, "expires: 'tomorrow' is not" },
	{ "service echo {\n type = internal\n expires = \"2026-12-01T18:00:00Zulu\"\n}\n", 3, "is not an ISO" },
	{ "service telnet {\n server = /bin/sh\n umask = 0800\n}\n", 3,
	  "umask: '0800' is not an octal mode from 000 to 777" },
	{ "service telnet {\n server = /bin/sh\n umask = 7777\n}\n", 3, "umask: '7777' is not an octal mode" },
	{ "service telnet {\n server = /bin/sh\n umask = u=rwx\n}\n", 3, "unexpected token '='" },
	{ "service telnet {\n server = /bin/sh\n umask = rwx\n}\n", 3, "umask: 'rwx' is not an octal mode" },
	/* logging */
	{ "service echo {\n type = internal\n log_on_success = { PID, ATTEMPT }\n}\n", 3,
	  "log_on_success: 'ATTEMPT' is not one of PID, HOST, USERID, EXIT, DURATION" },
	{ "service echo {\n type = internal\n log_on_failure = { EXIT }\n}\n", 3,
	  "log_on_failure: 'EXIT' is not one of HOST, USERID, ATTEMPT" },
	{ "defaults {\n log = file\n}\n", 2, "log: 'file' is not one of: syslog, stderr, journal" },
	{ "defaults {\n log_facility = local9\n}\n", 2, "log_facility: unknown syslog facility 'local9'" },
	{ "defaults {\n control_socket = run/portier\n}\n", 2, "control_socket: 'run/portier' is not an absolute path" },
	/* interface: the kernel's rules for a name */
	{ "service echo {\n type = internal\n interface = \"eth0/1\"\n}\n", 3,
	  "interface: 'eth0/1' is not an interface name (no '/', ':', blank or control character)" },
	{ "service echo {\n type = internal\n\n interface = \"eth 0\"\n}\n", 4,
	  "interface: 'eth 0' is not an interface name (no '/', ':', blank or control character)" },
	{ "service echo {\n type = internal\n interface = \"eth0:1\"\n}\n", 3,
	  "interface: 'eth0:1' is not an interface name (no '/', ':', blank or control character)" },
	{ "service echo {\n type = internal\n interface = \"..\"\n}\n", 3,
	  "interface: '..' is not an interface name" },
	{ "service echo {\n type = internal\n interface = \".\"\n}\n", 3,
	  "interface: '.' is not an interface name" },
	{ "service echo {\n type = internal\n interface = \"abcdefghijklmnop\"\n}\n", 3,
	  "interface: 'abcdefghijklmnop' is not an interface name (1 to 15 characters)" },
	{ "service echo {\n type = internal\n interface = \"\"\n}\n", 3,
	  "interface: '' is not an interface name (1 to 15 characters)" },
	{ "defaults {\n interface = \"a/b\"\n}\n", 2,
	  "interface: 'a/b' is not an interface name (no '/', ':', blank or control character)" },
	{ "service echo {\n type = internal\n freebind = maybe\n}\n", 3,
	  "freebind: 'maybe' is not a boolean (yes or no)" },
	/* sections */
	{ "defaults {\n}\ndefaults {\n}\n", 3, "a second defaults section (the first is at t.conf:1)" },
	{ "defaults {\n port = 7\n}\n", 2, "no such option 'port'" },
	{ "defaults {\n name = x\n}\n", 2, "no such option 'name'" },
	{ "service echo {\n type = internal\n log = stderr\n}\n", 3, "no such option 'log'" },
	{ "service echo {\n type = internal\n max_children = 5\n}\n", 3, "no such option 'max_children'" },
	{ "service echo {\n type = internal\n}\n\nservice echo {\n type = internal\n}\n", 5,
	  "duplicate service 'echo' (first declared at t.conf:1)" },
	{ "service echo { type = internal }\nservice echo2 {\n type = internal\n name = echo\n}\n", 2,
	  "service 'echo2': port 7/tcp on all IPv4 addresses is already used by service 'echo' on all IPv4 addresses (t.conf:1)" },
	{ "service echo { type = internal bind = { 0.0.0.0, 127.0.0.1 } }\n", 1,
	  "service 'echo': bind: 0.0.0.0 and 127.0.0.1 overlap" },
	/* a port is shared only by sockets bound to different interfaces */
	{ "service echo {\n type = internal\n interface = veth0\n}\n"
	  "service echo2 {\n type = internal\n name = echo\n interface = veth0\n}\n", 5,
	  "service 'echo2': port 7/tcp on all IPv4 addresses of veth0 is already used by service "
	  "'echo' on all IPv4 addresses of veth0 (t.conf:1)" },
	{ "service echo {\n type = internal\n interface = veth0\n}\n"
	  "service echo2 {\n type = internal\n name = echo\n bind = { 192.0.2.1 }\n}\n", 5,
	  "service 'echo2': port 7/tcp on 192.0.2.1 is already used by service "
	  "'echo' on all IPv4 addresses of veth0 (t.conf:1)" },
	{ "service echo {\n type = internal\n interface = veth0\n}\n"
	  "service echo2 {\n type = internal\n name = echo\n interface = veth1\n}\n"
	  "service echo3 {\n type = internal\n name = echo\n bind = { \"::1\" }\n"
	  " interface = veth1\n}\n", 10,
	  "service 'echo3': port 7/tcp on ::1 of veth1 is already used by service "
	  "'echo2' on all IPv6 addresses of veth1 (t.conf:5)" },
	/* bind_each_address: UDP, and the host's addresses, not the file's */
	{ "service tftp {\n server = /bin/sh\n port = 6900\n protocol = tcp\n"
	  " bind_each_address = yes\n}\n", 5,
	  "service 'tftp': bind_each_address applies to UDP services only" },
	{ "service tftp {\n server = /bin/sh\n port = 6900\n protocol = udp\n"
	  " bind = { \"::\", 192.0.2.1 }\n bind_each_address = yes\n}\n", 6,
	  "service 'tftp': bind_each_address needs a wildcard bind (0.0.0.0, ::) or none, and bind "
	  "names 192.0.2.1" },
	{ "service u {\n bind = { \"unix:/run/u.sock\" }\n server = /bin/sh\n"
	  " bind_each_address = yes\n}\n", 4, "bind_each_address applies to UDP services only" },
	{ "defaults {\n bind_each_address = yes\n}\n", 2, "no such option 'bind_each_address'" },
};

START_TEST(test_each_error)
{
	reject_one(bad[_i].text, bad[_i].line, bad[_i].msg);
}
END_TEST

static uid_t
uid_of(const char *name)
{
	struct passwd *pw = getpwnam(name);

	ck_assert_msg(pw != NULL, "no user %s on this host", name);
	return pw->pw_uid;
}

/* A service that sets nothing gets the documented defaults. */
START_TEST(test_defaults_of_every_option)
{
	struct config *cfg = load_ok("service telnet {\n\tserver = /bin/sh\n}\n", 0);
	const struct service *s = find(cfg, "telnet");
	const struct daemon_settings *st = &cfg->settings;

	ck_assert_uint_eq(cfg->count, 1);
	ck_assert_str_eq(s->id, "telnet");
	ck_assert_str_eq(s->name, "telnet");
	ck_assert_str_eq(s->file, NAME);
	ck_assert_int_eq(s->line, 1);
	ck_assert(!s->disabled && !s->internal && !s->wait && !s->tcpmux);
	ck_assert_int_eq(s->socktype, SOCK_STREAM);
	ck_assert_int_eq(s->protocol, IPPROTO_TCP);
	ck_assert_uint_eq(s->port, 23);
	ck_assert_uint_eq(s->nbind, 0);
	ck_assert_ptr_null(s->user);
	ck_assert_ptr_null(s->group);
	ck_assert_ptr_null(s->groups);
	if (am_root()) {
		ck_assert_str_eq(s->user_name, "nobody");
		ck_assert_uint_eq(s->uid, uid_of("nobody"));
	} else {
		ck_assert_uint_eq(s->uid, geteuid());
		ck_assert_uint_eq(s->gid, getegid());
	}
	ck_assert_uint_ge(s->ngids, 1);
	ck_assert(!s->no_new_privileges);
	ck_assert_str_eq(s->server, "/bin/sh");
	ck_assert_str_eq(s->argv[0], "sh");
	ck_assert_ptr_null(s->argv[1]);
	ck_assert_ptr_null(s->env);
	ck_assert_ptr_null(s->passenv);
	ck_assert_int_eq(s->instances, 50);
	ck_assert_int_eq(s->per_source, 10);
	ck_assert_int_eq(s->cps_rate, 50);
	ck_assert_int_eq(s->cps_wait, 10);
	ck_assert(s->max_load == 0.0);
	ck_assert(!s->only_from_set);
	ck_assert_uint_eq(s->only_from.count, 0);
	ck_assert_uint_eq(s->no_access.count, 0);
	ck_assert_uint_eq(s->naccess_times, 0);
	ck_assert_uint_eq(s->log_on_success, LOGF_PID | LOGF_HOST | LOGF_DURATION | LOGF_EXIT);
	ck_assert_uint_eq(s->log_on_failure, LOGF_HOST);
	ck_assert(!s->nice_set && !s->umask_set);
	for (int i = 0; i < RLIM_COUNT; i++)
		ck_assert(!s->rlimit[i].set);
	ck_assert_ptr_null(s->chroot);
	ck_assert_ptr_null(s->banner);
	ck_assert_ptr_null(s->banner_success);
	ck_assert_ptr_null(s->banner_fail);
	ck_assert_int_eq(s->expires, 0);
	ck_assert_int_eq(s->listen_backlog, 0);
	ck_assert(!s->keepalive && !s->nodelay);
	ck_assert_int_eq(s->activation, ACTIVATION_INETD);
	ck_assert_int_eq(s->idle_timeout, 300);

	ck_assert_str_eq(st->default_user, "nobody");
	ck_assert(!st->log_set);
	ck_assert_int_eq(st->log_facility, LOG_DAEMON);
	ck_assert_int_eq(st->max_children, 512);
	ck_assert_str_eq(st->control_socket, PORTIER_RUNDIR "/control");
	ck_assert_int_eq(st->loop_limit, 40);
	ck_assert_int_eq(st->loop_disable, 600);
	config_free(cfg);
}
END_TEST

/* Every option written, every value read back. */
START_TEST(test_every_option)
{
	char text[4096];
	struct config *cfg;
	const struct service *s;
	struct tm tm = { .tm_year = 126, .tm_mon = 11, .tm_mday = 1, .tm_hour = 18 };

	write_file("banner", "hello\n", 0644);
	snprintf(text, sizeof(text),
		 "service mine {\n"
		 " disable = no\n socket_type = stream\n protocol = tcp\n wait = yes\n"
		 " port = 4242\n bind = { 127.0.0.1, \"::1\", \"::ffff:127.0.0.2\" }\n"
		 " group = %s\n server = /bin/sh\n server_args = { -c, \"echo hi\" }\n"
		 " env = { \"LANG=C\", \"A=b=c\" }\n passenv = { TZ, HOME }\n"
		 " instances = UNLIMITED\n per_source = 3\n cps = { 0, 0 }\n max_load = 2.5\n"
		 " only_from = { 10.0.0.0/8, \"2001:db8::/32\" }\n no_access = { 10.1.0.0/16 }\n"
		 " log_on_success = { pid, exit }\n log_on_failure = { HOST, ATTEMPT, USERID }\n"
		 " nice = -5\n umask = 027\n rlimit_as = 1G\n rlimit_cpu = 30\n rlimit_data = 512M\n"
		 " rlimit_files = 64\n rlimit_nproc = unlimited\n rlimit_stack = 8192K\n rlimit_core = 0\n"
		 " chroot = /\n banner = %s\n banner_success = %s\n banner_fail = %s\n"
		 " expires = \"2026-12-01T18:00:00Z\"\n access_times = { \"08:00-12:00\", \"22:30-1:15\" }\n"
		 " listen_backlog = 128\n keepalive = yes\n nodelay = true\n activation = systemd\n"
		 " name = mine\n tcpmux = no\n groups = { %s }\n no_new_privileges = on\n"
		 "}\n",
		 getgrgid(getegid())->gr_name, tmp_path("banner"), tmp_path("banner"),
		 tmp_path("banner"), getgrgid(getegid())->gr_name);
	cfg = load_ok(text, 0);
	s = find(cfg, "mine");
	ck_assert(!s->disabled && s->wait && s->keepalive && s->nodelay && s->no_new_privileges);
	ck_assert_uint_eq(s->port, 4242);
	ck_assert_uint_eq(s->nbind, 3);
	ck_assert_int_eq(s->bind[0].ss_family, AF_INET);
	ck_assert_uint_eq(ntohs(((struct sockaddr_in *)&s->bind[0])->sin_port), 4242);
	ck_assert_int_eq(s->bind[1].ss_family, AF_INET6);
	ck_assert_uint_eq(ntohs(((struct sockaddr_in6 *)&s->bind[1])->sin6_port), 4242);
	ck_assert_int_eq(s->bind[2].ss_family, AF_INET);	/* mapped: IPv4 */
	ck_assert_uint_eq(ntohl(((struct sockaddr_in *)&s->bind[2])->sin_addr.s_addr), 0x7f000002);
	ck_assert_uint_eq(s->gid, getegid());
	ck_assert_str_eq(s->argv[0], "sh");
	ck_assert_str_eq(s->argv[1], "-c");
	ck_assert_str_eq(s->argv[2], "echo hi");
	ck_assert_ptr_null(s->argv[3]);
	ck_assert_str_eq(s->env[0], "LANG=C");
	ck_assert_str_eq(s->env[1], "A=b=c");
	ck_assert_str_eq(s->passenv[1], "HOME");
	ck_assert_int_eq(s->instances, LIMIT_UNLIMITED);
	ck_assert_int_eq(s->per_source, 3);
	ck_assert_int_eq(s->cps_rate, 0);
	ck_assert(s->max_load == 2.5);
	ck_assert(s->only_from_set);
	ck_assert_uint_eq(s->only_from.count, 2);
	ck_assert_int_eq(s->only_from.rules[1].family, AF_INET6);
	ck_assert_int_eq(s->only_from.rules[1].prefix, 32);
	ck_assert_uint_eq(s->no_access.count, 1);
	ck_assert_int_eq(s->no_access.rules[0].prefix, 16);
	ck_assert_uint_eq(s->log_on_success, LOGF_PID | LOGF_EXIT);
	ck_assert_uint_eq(s->log_on_failure, LOGF_HOST | LOGF_ATTEMPT | LOGF_USERID);
	ck_assert(s->nice_set && s->nice == -5);
	ck_assert(s->umask_set && s->umask == 027);
	ck_assert(s->rlimit[RLIM_AS].set && s->rlimit[RLIM_AS].value == 1ULL << 30);
	ck_assert(s->rlimit[RLIM_CPU].value == 30);
	ck_assert(s->rlimit[RLIM_DATA].value == 512ULL << 20);
	ck_assert(s->rlimit[RLIM_FILES].value == 64);
	ck_assert(s->rlimit[RLIM_NPROC].value == RLIM_INFINITY);
	ck_assert(s->rlimit[RLIM_STACK].value == 8192ULL << 10);
	ck_assert(s->rlimit[RLIM_CORE].set && s->rlimit[RLIM_CORE].value == 0);
	ck_assert_str_eq(s->chroot, "/");
	ck_assert_str_eq(s->banner, tmp_path("banner"));
	ck_assert_str_eq(s->banner_fail, tmp_path("banner"));
	ck_assert_int_eq(s->expires, timegm(&tm));
	ck_assert_uint_eq(s->naccess_times, 2);
	ck_assert_int_eq(s->access_times[0].start, 8 * 60);
	ck_assert_int_eq(s->access_times[0].end, 12 * 60);
	ck_assert_int_eq(s->access_times[1].start, 22 * 60 + 30);	/* spans midnight */
	ck_assert_int_eq(s->access_times[1].end, 75);
	ck_assert_int_eq(s->listen_backlog, 128);
	ck_assert_int_eq(s->activation, ACTIVATION_SYSTEMD);
	ck_assert_str_eq(s->groups[0], getgrgid(getegid())->gr_name);
	config_free(cfg);
}
END_TEST

START_TEST(test_settings)
{
	struct config *cfg = load_ok("defaults {\n user = daemon\n log = stderr\n log_facility = local3\n"
				     " max_children = unlimited\n control_socket = \"\"\n"
				     " loop_limit = 5\n loop_disable = 60\n}\n", CONFIG_NO_FS_CHECKS);

	ck_assert_str_eq(cfg->settings.default_user, "daemon");
	ck_assert(cfg->settings.log_set);
	ck_assert_int_eq(cfg->settings.log, LOG_TO_STDERR);
	ck_assert_int_eq(cfg->settings.log_facility, LOG_LOCAL3);
	ck_assert_int_eq(cfg->settings.max_children, LIMIT_UNLIMITED);
	ck_assert_str_eq(cfg->settings.control_socket, "");
	ck_assert_int_eq(cfg->settings.loop_limit, 5);
	ck_assert_int_eq(cfg->settings.loop_disable, 60);
	config_free(cfg);
	cfg = load_ok("defaults {\n log = journal\n control_socket = /run/p.sock\n}\n", 0);
	ck_assert_int_eq(cfg->settings.log, LOG_TO_JOURNAL);
	ck_assert_str_eq(cfg->settings.control_socket, "/run/p.sock");
	config_free(cfg);
}
END_TEST

/* Scalars and lists come from defaults unless the service sets them; `=`
 * replaces a list, `+=` appends to what defaults (or the built-in value)
 * has. */
START_TEST(test_inheritance)
{
	struct config *cfg = load_ok(
		"service a {\n server = /bin/sh\n port = 1001\n}\n"
		"service b {\n server = /bin/sh\n port = 1002\n instances = 7\n"
		" only_from = { 192.168.0.0/16 }\n env = { \"B=1\" }\n log_on_success = { HOST }\n}\n"
		"service c {\n server = /bin/sh\n port = 1003\n only_from += { 192.168.0.0/16 }\n"
		" env += { \"B=1\", \"A=2\" }\n log_on_success += { USERID }\n server_args += { x }\n"
		" server_args += { y }\n}\n"
		"service d {\n server = /bin/sh\n port = 1004\n only_from = {}\n env = {}\n}\n"
		"defaults {\n instances = 20\n nice = 5\n only_from = { 127.0.0.1 }\n"
		" env = { \"A=1\" }\n log_on_success += { USERID }\n server_args = { -i }\n}\n", 0);
	const struct service *a = find(cfg, "a"), *b = find(cfg, "b");
	const struct service *c = find(cfg, "c"), *dd = find(cfg, "d");

	/* a inherits everything; note defaults came last in the file */
	ck_assert_int_eq(a->instances, 20);
	ck_assert(a->nice_set && a->nice == 5);
	ck_assert_uint_eq(a->only_from.count, 1);
	ck_assert_str_eq(a->env[0], "A=1");
	ck_assert_uint_eq(a->log_on_success,
			  LOGF_PID | LOGF_HOST | LOGF_DURATION | LOGF_EXIT | LOGF_USERID);
	ck_assert_str_eq(a->argv[1], "-i");
	ck_assert_int_eq(a->per_source, 10);	/* built-in */
	/* b replaces */
	ck_assert_int_eq(b->instances, 7);
	ck_assert_uint_eq(b->only_from.count, 1);
	ck_assert_uint_eq(b->only_from.rules[0].prefix, 16);
	ck_assert_str_eq(b->env[0], "B=1");
	ck_assert_ptr_null(b->env[1]);
	ck_assert_uint_eq(b->log_on_success, LOGF_HOST);
	/* c appends; a name it sets again replaces the inherited value */
	ck_assert_uint_eq(c->only_from.count, 2);
	ck_assert_str_eq(c->env[0], "A=2");
	ck_assert_str_eq(c->env[1], "B=1");
	ck_assert_ptr_null(c->env[2]);
	ck_assert_uint_eq(c->log_on_success,
			  LOGF_PID | LOGF_HOST | LOGF_DURATION | LOGF_EXIT | LOGF_USERID);
	ck_assert_str_eq(c->argv[1], "-i");
	ck_assert_str_eq(c->argv[2], "x");
	ck_assert_str_eq(c->argv[3], "y");	/* += twice appends twice */
	/* d empties: only_from = {} lets nobody in */
	ck_assert(dd->only_from_set);
	ck_assert_uint_eq(dd->only_from.count, 0);
	ck_assert_ptr_null(dd->env);
	config_free(cfg);
}
END_TEST

/* A bad value in defaults is reported once, where it is written; a value
 * that fails a service is reported where it was inherited from. */
START_TEST(test_inherited_error_location)
{
	struct config *cfg = load("defaults {\n nice = 99\n group = no-such-group-xyz\n}\n"
				  "service a {\n server = /bin/sh\n port = 1001\n}\n"
				  "service b {\n server = /bin/sh\n port = 1002\n}\n", 0);

	ck_assert_ptr_null(cfg);
	expect_error(2, "defaults: nice: '99' is not a number from -20 to 19");
	expect_error(3, "service 'a': unknown group 'no-such-group-xyz'");
	expect_error(3, "service 'b': unknown group 'no-such-group-xyz'");
	ck_assert_uint_eq(d.errors, 3);
}
END_TEST

/* The id names the service; /tcp and /udp choose the protocol; `name`
 * overrides the registry name. */
START_TEST(test_ids_and_protocols)
{
	struct config *cfg = load_ok(
		"service echo { type = internal }\n"
		"service echo/udp { type = internal }\n"
		"service tftp { server = /bin/sh }\n"
		"service my-discard { type = internal name = discard socket_type = dgram }\n"
		"service shell/tcp { server = /bin/sh }\n"
		"service syslog { server = /bin/sh protocol = udp }\n"
		"service daytime { type = internal protocol = udp wait = yes }\n"
		"service x.y { server = /bin/sh port = 4000 }\n"
		"service cl-1 { server = /bin/sh name = \"cl/1\" }\n", 0);
	const struct service *s;

	s = find(cfg, "echo");
	ck_assert(s->protocol == IPPROTO_TCP && s->socktype == SOCK_STREAM && !s->wait);
	ck_assert_uint_eq(s->port, 7);
	s = find(cfg, "echo/udp");
	ck_assert_str_eq(s->name, "echo");
	ck_assert(s->protocol == IPPROTO_UDP && s->socktype == SOCK_DGRAM && s->wait);
	s = find(cfg, "tftp");	/* only udp in the registry */
	ck_assert(s->protocol == IPPROTO_UDP && s->socktype == SOCK_DGRAM && s->wait);
	ck_assert_uint_eq(s->port, 69);
	s = find(cfg, "my-discard");
	ck_assert_str_eq(s->name, "discard");
	ck_assert(s->protocol == IPPROTO_UDP && s->wait);
	ck_assert_uint_eq(s->port, 9);
	s = find(cfg, "shell/tcp");
	ck_assert_uint_eq(s->port, 514);
	ck_assert_int_eq(s->protocol, IPPROTO_TCP);
	s = find(cfg, "syslog");
	ck_assert(s->protocol == IPPROTO_UDP && s->socktype == SOCK_DGRAM);
	ck_assert_uint_eq(s->port, 514);
	s = find(cfg, "daytime");
	ck_assert_uint_eq(s->port, 13);
	ck_assert_int_eq(s->socktype, SOCK_DGRAM);
	s = find(cfg, "x.y");
	ck_assert_str_eq(s->name, "x.y");
	s = find(cfg, "cl-1");
	ck_assert_str_eq(s->name, "cl/1");
	ck_assert_uint_eq(s->port, 172);
	ck_assert_ptr_null(config_find(cfg, "nosuch"));
	config_free(cfg);
}
END_TEST

/* config_binds_family(): no bind list is both IP families, not a unix
 * socket; a list, those it names. */
START_TEST(test_binds_family)
{
	struct config *cfg = load_ok(
		"service echo {\n type = internal\n}\n"
		"service daytime {\n type = internal\n bind = { 192.0.2.1, 198.51.100.1 }\n}\n"
		"service chargen {\n type = internal\n bind = { ::1 }\n}\n"
		"service sock {\n socket_type = stream\n server = /bin/cat\n"
		" bind = { \"unix:/run/portier-check.sock\" }\n}\n", 0);

	ck_assert(config_binds_family(find(cfg, "echo"), AF_INET));
	ck_assert(config_binds_family(find(cfg, "echo"), AF_INET6));
	ck_assert(!config_binds_family(find(cfg, "echo"), AF_UNIX));
	ck_assert(config_binds_family(find(cfg, "daytime"), AF_INET));
	ck_assert(!config_binds_family(find(cfg, "daytime"), AF_INET6));
	ck_assert(!config_binds_family(find(cfg, "chargen"), AF_INET));
	ck_assert(config_binds_family(find(cfg, "chargen"), AF_INET6));
	ck_assert(config_binds_family(find(cfg, "sock"), AF_UNIX));
	ck_assert(!config_binds_family(find(cfg, "sock"), AF_INET));
	config_free(cfg);
}
END_TEST

START_TEST(test_conflicts)
{
	/* No conflict: other protocol, other family, other address, disabled. */
	struct config *cfg = load_ok(
		"service echo { type = internal }\n"
		"service echo/udp { type = internal }\n"
		"service e4 { type = internal name = echo bind = { 127.0.0.1 } disable = yes }\n"
		"service a { server = /bin/sh port = 5000 bind = { 127.0.0.1 } }\n"
		"service b { server = /bin/sh port = 5000 bind = { 127.0.0.2, \"::1\" } }\n"
		"service c { server = /bin/sh port = 5001 bind = { 0.0.0.0 } }\n"
		"service d { server = /bin/sh port = 5001 bind = { \"::1\" } }\n", 0);

	config_free(cfg);
	/* A wildcard takes every address of its family. */
	cfg = load("service a { server = /bin/sh port = 5000 }\n"
		   "service b { server = /bin/sh port = 5000 bind = { \"::1\", 127.0.0.1 } }\n", 0);
	ck_assert_ptr_null(cfg);
	expect_error(2, "service 'b': port 5000/tcp on 127.0.0.1 is already used by service 'a' on all IPv4 addresses (t.conf:1)");
	ck_assert_uint_eq(d.errors, 1);	/* one report per pair of services */
	/* The same address twice, whichever is declared first. */
	cfg = load("service a { server = /bin/sh port = 5000 bind = { \"::1\" } }\n"
		   "service b { server = /bin/sh port = 5000 bind = { \"::1\" } }\n"
		   "service c { server = /bin/sh port = 5000 bind = { \"::\" } }\n", 0);
	ck_assert_ptr_null(cfg);
	expect_error(2, "service 'b': port 5000/tcp on ::1 is already used by service 'a' on ::1 (t.conf:1)");
	expect_error(3, "service 'c': port 5000/tcp on :: is already used by service 'a' on ::1");
	ck_assert_uint_eq(d.errors, 3);
	expect_error(3, "service 'c': port 5000/tcp on :: is already used by service 'b' on ::1");
}
END_TEST

static struct config *
load_dir(const char *dir, unsigned flags)
{
	diag_free(&d);
	diag_init(&d);
	return config_load(dir, reg, flags, &d);
}

/* Only *.conf files are read, in byte order; what editors and package
 * managers leave behind is skipped quietly, anything else with a warning. */
START_TEST(test_file_rules)
{
	static const char *const skipped[] = {
		".hidden.conf", "x.conf~", "x.conf.rpmnew", "x.conf.rpmsave", "x.conf.dpkg-old",
		"x.dpkg-dist.conf", "x.conf.orig", "y.orig",
	};
	char conf[4200];
	struct config *cfg;

	snprintf(conf, sizeof(conf), "%s/conf.d", tmpdir);
	ck_assert_int_eq(mkdir(conf, 0755), 0);
	for (size_t i = 0; i < sizeof(skipped) / sizeof(skipped[0]); i++) {
		char name[256];

		snprintf(name, sizeof(name), "conf.d/%s", skipped[i]);
		write_file(name, "this is not { valid", 0644);
	}
	write_file("conf.d/README", "not a configuration", 0644);
	ck_assert_int_eq(mkdir(tmp_path("conf.d/sub.conf"), 0755), 0);
	write_file("conf.d/b.conf", "service b { server = /bin/sh port = 1002 }\n", 0644);
	write_file("conf.d/10-z.conf", "service z { server = /bin/sh port = 1003 }\n", 0644);
	write_file("conf.d/a.conf", "service a { server = /bin/sh port = 1001 }\n", 0644);
	write_file("conf.d/B.conf", "service B { server = /bin/sh port = 1000 }\n", 0644);
	write_file("conf.d/empty.conf", "", 0644);
	cfg = load_dir(conf, 0);
	if (!cfg)
		dump();
	ck_assert_ptr_nonnull(cfg);
	ck_assert_uint_eq(cfg->count, 4);
	ck_assert_str_eq(cfg->services[0].id, "z");	/* "10-z.conf" < "B.conf" < "a.conf" < "b.conf" */
	ck_assert_str_eq(cfg->services[1].id, "B");
	ck_assert_str_eq(cfg->services[2].id, "a");
	ck_assert_str_eq(cfg->services[3].id, "b");
	ck_assert_uint_eq(d.count, 1);
	expect_in(DIAG_WARNING, tmp_path("conf.d/README"), 0, "ignored: the name does not end in .conf");
	config_free(cfg);
}
END_TEST

static struct config *
load_cached(const char *dir, struct config_cache *cache)
{
	diag_free(&d);
	diag_init(&d);
	return config_load_cached(dir, reg, 0, cache, &d);
}

/* Rewrites a file with text of the same size and gives it back its old
 * times: only its bytes tell that it changed. */
static void
rewrite_same_stat(const char *name, const char *text)
{
	struct stat st;
	struct timespec times[2];

	ck_assert_int_eq(stat(tmp_path(name), &st), 0);
	ck_assert_uint_eq((size_t)st.st_size, strlen(text));
	write_file(name, text, st.st_mode & 07777);
	times[0] = st.st_atim;
	times[1] = st.st_mtim;
	ck_assert_int_eq(utimensat(AT_FDCWD, tmp_path(name), times, 0), 0);
}

/* A reload through the cache sees exactly what a fresh load sees: changed
 * bytes (even with the same size and mtime), new and removed files, a
 * changed defaults section applied to unchanged services, and every error
 * again with its file and line, from cached files too. */
START_TEST(test_cache)
{
	struct config_cache *cache = config_cache_new();
	const char *a = tmp_path("conf.d/a.conf");
	char conf[4200];
	struct config *cfg;

	ck_assert_ptr_nonnull(cache);
	snprintf(conf, sizeof(conf), "%s/conf.d", tmpdir);
	ck_assert_int_eq(mkdir(conf, 0755), 0);
	write_file("conf.d/00-defaults.conf", "defaults {\n instances = 5\n}\n", 0644);
	write_file("conf.d/a.conf", "service a {\n server = /bin/sh\n port = 5000\n}\n", 0644);
	write_file("conf.d/b.conf", "service b { server = /bin/sh port = 5001 }\n", 0644);
	for (int round = 0; round < 2; round++) {	/* parsed, then from the cache */
		cfg = load_cached(conf, cache);
		ck_assert_ptr_nonnull(cfg);
		ck_assert_uint_eq(cfg->count, 2);
		ck_assert_uint_eq(config_find(cfg, "a")->port, 5000);
		ck_assert_int_eq(config_find(cfg, "a")->line, 1);
		ck_assert_int_eq(config_find(cfg, "b")->instances, 5);
		config_free(cfg);
	}
	rewrite_same_stat("conf.d/a.conf", "service a {\n server = /bin/sh\n port = 5009\n}\n");
	rewrite_same_stat("conf.d/00-defaults.conf", "defaults {\n instances = 7\n}\n");
	ck_assert_int_eq(unlink(tmp_path("conf.d/b.conf")), 0);
	write_file("conf.d/c.conf", "service c { server = /bin/sh port = 5002 }\n", 0644);
	cfg = load_cached(conf, cache);
	ck_assert_ptr_nonnull(cfg);
	ck_assert_uint_eq(cfg->count, 2);
	ck_assert_uint_eq(config_find(cfg, "a")->port, 5009);
	ck_assert_int_eq(config_find(cfg, "a")->instances, 7);
	ck_assert_ptr_null(config_find(cfg, "b"));
	ck_assert_ptr_nonnull(config_find(cfg, "c"));
	config_free(cfg);
	/* A value error in a parsed file, reported again from the cache. */
	write_file("conf.d/a.conf", "service a {\n server = /bin/sh\n port = 5000\n port = 5003\n}\n", 0644);
	for (int round = 0; round < 2; round++) {
		ck_assert_ptr_null(load_cached(conf, cache));
		ck_assert_uint_eq(d.errors, 1);
		expect_in(DIAG_ERROR, a, 4, "service 'a': port is set twice (also at line 3)");
	}
	/* A syntax error is never cached: reported each time. */
	write_file("conf.d/a.conf", "service a {\n server = /bin/sh\n port = = 5000\n}\n", 0644);
	for (int round = 0; round < 2; round++) {
		ck_assert_ptr_null(load_cached(conf, cache));
		ck_assert_uint_eq(d.errors, 1);
		expect_in(DIAG_ERROR, a, 3, "");
	}
	/* A cached file that has become unreadable is not served from the cache. */
	write_file("conf.d/a.conf", "service a { server = /bin/sh port = 5000 }\n", 0644);
	cfg = load_cached(conf, cache);
	ck_assert_ptr_nonnull(cfg);
	config_free(cfg);
	ck_assert_int_eq(unlink(a), 0);
	ck_assert_int_eq(mkdir(a, 0755), 0);	/* no longer a file: not read */
	ck_assert_ptr_null(load_cached(conf, cache));
	ck_assert_uint_eq(d.errors, 1);
	expect_in(DIAG_ERROR, a, 0, "not a regular file (a directory), but the running "
		  "configuration was read from it");
	ck_assert_int_eq(rmdir(a), 0);		/* removed: its service goes */
	cfg = load_cached(conf, cache);
	ck_assert_ptr_nonnull(cfg);
	ck_assert_ptr_null(config_find(cfg, "a"));
	config_free(cfg);
	config_cache_free(cache);
	config_cache_free(NULL);
}
END_TEST

/* Writes len bytes (NULs included) to tmpdir/name. */
static void
write_bytes(const char *name, const char *bytes, size_t len)
{
	int fd = open(tmp_path(name), O_WRONLY | O_CREAT | O_TRUNC, 0644);

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, bytes, len), (ssize_t)len);
	ck_assert_int_eq(close(fd), 0);
}

/* A NUL byte anywhere is an error at its line, and the file's services are
 * refused with it: libconfuse would stop there without a word, losing the
 * rest of a value ("/bin/tr\0ue" loaded as /bin/tr) or of the file. */
START_TEST(test_nul_byte)
{
	static const char in_value[] = "service a {\n server = \"/bin/tr\0ue\"\n port = 5000\n}\n";
	static const char padded[] = "service b { server = /bin/sh port = 5001 }\n\n\0\0\0\0";
	static const char in_code[] = "service c {\n server = /bin/sh\n\0 port = 5002\n}\n";
	struct config_cache *cache = config_cache_new();
	char conf[4200];
	struct config *cfg;

	snprintf(conf, sizeof(conf), "%s/conf.d", tmpdir);
	ck_assert_int_eq(mkdir(conf, 0755), 0);
	write_file("conf.d/ok.conf", "service ok { server = /bin/sh port = 5003 }\n", 0644);
	cfg = load_cached(conf, cache);
	ck_assert_ptr_nonnull(cfg);
	config_free(cfg);
	write_bytes("conf.d/a.conf", in_value, sizeof(in_value) - 1);
	write_bytes("conf.d/b.conf", padded, sizeof(padded) - 1);
	write_bytes("conf.d/c.conf", in_code, sizeof(in_code) - 1);
	for (int round = 0; round < 2; round++) {	/* fresh, then through the cache */
		ck_assert_ptr_null(round ? load_cached(conf, cache) : load_dir(conf, 0));
		ck_assert_uint_eq(d.errors, 3);
		expect_in(DIAG_ERROR, tmp_path("conf.d/a.conf"), 2, "a NUL byte: the file is damaged");
		expect_in(DIAG_ERROR, tmp_path("conf.d/b.conf"), 3, "a NUL byte");
		expect_in(DIAG_ERROR, tmp_path("conf.d/c.conf"), 3, "a NUL byte");
	}
	config_cache_free(cache);
}
END_TEST

static void
on_alarm(int sig)
{
	(void)sig;
	_exit(3);	/* the loader blocked: the test fails with status 3 */
}

/* A *.conf entry that is not a regular file is never opened (a FIFO would
 * block) and never skipped silently: a warning, and an error when the
 * running configuration was read from that name, so that a link whose
 * target vanished cannot take services away at a reload. */
START_TEST(test_not_regular)
{
	struct config_cache *cache = config_cache_new();
	char conf[4200], tel[4300];
	struct config *cfg;

	snprintf(conf, sizeof(conf), "%s/conf.d", tmpdir);
	snprintf(tel, sizeof(tel), "%s/telnet.conf", conf);
	ck_assert_int_eq(mkdir(conf, 0755), 0);
	ck_assert_int_eq(mkdir(tmp_path("real"), 0755), 0);
	write_file("real/telnet.conf", "service telnet { server = /bin/sh port = 2323 }\n", 0644);
	write_file("conf.d/echo.conf", "service echo { type = internal }\n", 0644);
	ck_assert_int_eq(symlink(tmp_path("real/telnet.conf"), tel), 0);
	ck_assert_int_eq(mkfifo(tmp_path("conf.d/fifo.conf"), 0644), 0);
	ck_assert_int_eq(mkfifo(tmp_path("conf.d/fifo"), 0644), 0);	/* not *.conf: quiet */
	ck_assert_int_eq(symlink("/dev/null", tmp_path("conf.d/null.conf")), 0);
	ck_assert_int_eq(symlink(tmp_path("nowhere"), tmp_path("conf.d/gone.conf")), 0);
	signal(SIGALRM, on_alarm);
	alarm(20);
	/* At start (or in check): warnings; a link to a file is a file. */
	cfg = load_cached(conf, cache);
	ck_assert_ptr_nonnull(cfg);
	ck_assert_ptr_nonnull(config_find(cfg, "telnet"));
	config_free(cfg);
	ck_assert_uint_eq(d.count, 3);
	expect_in(DIAG_WARNING, tmp_path("conf.d/fifo.conf"), 0,
		  "ignored: not a regular file (a FIFO)");
	expect_in(DIAG_WARNING, tmp_path("conf.d/null.conf"), 0,
		  "ignored: not a regular file (a device)");
	expect_in(DIAG_WARNING, tmp_path("conf.d/gone.conf"), 0,
		  "ignored: not a regular file (a dangling symbolic link)");
	/* The target vanishes: an error, at every reload until the name is
	 * fixed or removed; the other entries stay warnings. */
	ck_assert_int_eq(unlink(tmp_path("real/telnet.conf")), 0);
	for (int round = 0; round < 2; round++) {
		ck_assert_ptr_null(load_cached(conf, cache));
		ck_assert_uint_eq(d.errors, 1);
		expect_in(DIAG_ERROR, tel, 0, "not a regular file (a dangling symbolic link), but "
			  "the running configuration was read from it: restore the file, or "
			  "remove the name to remove what it declared");
		expect_in(DIAG_WARNING, tmp_path("conf.d/gone.conf"), 0, "dangling symbolic link");
	}
	/* Without a cache (portierctl check), nothing is known of a running
	 * configuration: a warning. */
	cfg = load_dir(conf, 0);
	ck_assert_ptr_nonnull(cfg);
	ck_assert_ptr_null(config_find(cfg, "telnet"));
	expect_in(DIAG_WARNING, tel, 0, "ignored: not a regular file (a dangling symbolic link)");
	config_free(cfg);
	/* Restored, then made a FIFO: the same error, and no blocking. */
	write_file("real/telnet.conf", "service telnet { server = /bin/sh port = 2323 }\n", 0644);
	cfg = load_cached(conf, cache);
	ck_assert_ptr_nonnull(cfg);
	config_free(cfg);
	ck_assert_int_eq(unlink(tel), 0);
	ck_assert_int_eq(mkfifo(tel, 0644), 0);
	ck_assert_ptr_null(load_cached(conf, cache));
	expect_in(DIAG_ERROR, tel, 0, "not a regular file (a FIFO), but the running");
	/* Removed: the admin's choice, its service goes without a word. */
	ck_assert_int_eq(unlink(tel), 0);
	cfg = load_cached(conf, cache);
	ck_assert_ptr_nonnull(cfg);
	ck_assert_ptr_null(config_find(cfg, "telnet"));
	ck_assert_ptr_nonnull(config_find(cfg, "echo"));
	ck_assert_uint_eq(d.errors, 0);
	config_free(cfg);
	alarm(0);
	config_cache_free(cache);
}
END_TEST

/* What a diagnostic shows of a token: at most max bytes, then "...", only
 * printable ASCII. */
START_TEST(test_quote)
{
	char buf[CONFIG_QUOTE_SIZE], small[8];

	ck_assert_str_eq(config_quote("echo", 32, buf, sizeof(buf)), "echo");
	ck_assert_str_eq(config_quote("", 32, buf, sizeof(buf)), "");
	ck_assert_str_eq(config_quote(NULL, 32, buf, sizeof(buf)), "(null)");
	ck_assert_str_eq(config_quote("a\tb\x1b[31m\xc3\xa4\x7f", 32, buf, sizeof(buf)),
			 "a?b?[31m???");
	ck_assert_str_eq(config_quote("0123456789", 10, buf, sizeof(buf)), "0123456789");
	ck_assert_str_eq(config_quote("0123456789x", 10, buf, sizeof(buf)), "0123456789...");
	ck_assert_str_eq(config_quote("0123456789", 32, small, sizeof(small)), "0123...");
	ck_assert_str_eq(config_quote_token("abcdefghijklmnopqrstuvwxyz0123456789"),
			 "abcdefghijklmnopqrstuvwxyz012345...");
	ck_assert_uint_eq(strlen(config_quote_id("0123456789012345678901234567890123456789"
						 "01234567890123456789012345")), 64 + 3);
}
END_TEST

START_TEST(test_missing_dir)
{
	ck_assert_ptr_null(load_dir(tmp_path("nonexistent"), 0));
	ck_assert_uint_eq(d.errors, 1);
	ck_assert(strstr(d.items[0].text, "cannot open directory: No such file or directory"));
}
END_TEST

START_TEST(test_empty_config)
{
	struct config *cfg = load_ok("# nothing yet\n", 0);

	ck_assert_uint_eq(cfg->count, 0);
	ck_assert_ptr_null(config_find(cfg, "echo"));
	config_free(cfg);
}
END_TEST

/* One run reports every problem: a syntax error stops its own file only,
 * the other files are still converted and checked against each other. */
START_TEST(test_all_errors_in_one_run)
{
	char conf[4200];
	const char *a, *b, *c;

	snprintf(conf, sizeof(conf), "%s/conf.d", tmpdir);
	ck_assert_int_eq(mkdir(conf, 0755), 0);
	write_file("conf.d/a.conf", "service echo { type = internal }\nservice x {\n bogus = 1\n}\n", 0644);
	write_file("conf.d/b.conf",
		   "# two mistakes\nservice telnet {\n server = /bin/sh\n port = 99999\n"
		   " umask = 9\n}\nservice echo { type = internal }\n", 0644);
	write_file("conf.d/c.conf", "defaults {\n instances = 0\n}\nservice echo2 {\n type = internal\n"
		   " name = echo\n}\nservice echo {\n type = internal\n}\n", 0644);
	a = tmp_path("conf.d/a.conf");
	b = tmp_path("conf.d/b.conf");
	c = tmp_path("conf.d/c.conf");
	ck_assert_ptr_null(load_dir(conf, 0));
	expect_in(DIAG_ERROR, a, 3, "no such option 'bogus'");
	expect_in(DIAG_ERROR, b, 4, "service 'telnet': port: '99999' is not a number");
	expect_in(DIAG_ERROR, b, 5, "service 'telnet': umask: '9' is not an octal mode");
	expect_in(DIAG_ERROR, c, 2, "defaults: instances: '0' is neither");
	snprintf(conf, sizeof(conf), "duplicate service 'echo' (first declared at %s:7)", b);
	expect_in(DIAG_ERROR, c, 8, conf);
	expect_in(DIAG_ERROR, c, 4, "service 'echo2': port 7/tcp on all IPv4 addresses is already used by service 'echo'");
	ck_assert_uint_eq(d.errors, 6);
}
END_TEST

/* The error is at the later file and names the first. */
START_TEST(test_duplicate_across_files)
{
	char conf[4200];

	snprintf(conf, sizeof(conf), "%s/conf.d", tmpdir);
	ck_assert_int_eq(mkdir(conf, 0755), 0);
	write_file("conf.d/a.conf", "\n\nservice echo { type = internal }\n", 0644);
	write_file("conf.d/b.conf", "service echo {\n type = internal\n}\n", 0644);
	ck_assert_ptr_null(load_dir(conf, 0));
	ck_assert_uint_eq(d.errors, 1);
	ck_assert(strstr(d.items[0].text, "/conf.d/b.conf:1: duplicate service 'echo' (first declared at "));
	ck_assert(strstr(d.items[0].text, "/conf.d/a.conf:3)"));
}
END_TEST

/* Host checks fail enabled services and only warn about disabled ones. */
START_TEST(test_host_checks_of_disabled)
{
	struct config *cfg = load_ok(
		"service telnet {\n disable = yes\n server = /nonexistent/in.telnetd\n"
		" group = no-such-group-xyz\n only_from = { nonexistent.invalid }\n}\n", 0);

	expect_warning(3, "service 'telnet': server /nonexistent/in.telnetd: No such file or directory");
	expect_warning(4, "unknown group 'no-such-group-xyz'");
	expect_warning(5, "cannot resolve 'nonexistent.invalid'");
	ck_assert(find(cfg, "telnet")->disabled);
	config_free(cfg);
	/* Other mistakes are errors whether enabled or not. */
	reject_one("service telnet {\n disable = yes\n server = /bin/sh\n port = 0\n}\n", 4, "port: '0'");
}
END_TEST

START_TEST(test_no_fs_checks)
{
	struct config *cfg = load_ok(
		"service telnet {\n server = /nonexistent/in.telnetd\n user = no-such-user-xyz\n"
		" group = no-such-group-xyz\n groups = { no-such-group-xyz }\n chroot = /nonexistent\n"
		" banner = /nonexistent\n only_from = { nonexistent.invalid, 10.0.0.1 }\n}\n",
		CONFIG_NO_FS_CHECKS);
	const struct service *s = find(cfg, "telnet");

	ck_assert_uint_eq(d.count, 1);
	expect_warning(8, "cannot resolve 'nonexistent.invalid'");
	ck_assert_str_eq(s->user, "no-such-user-xyz");
	if (am_root()) {
		ck_assert_uint_eq(s->uid, (uid_t)-1);	/* unknown, not checked */
		ck_assert_str_eq(s->user_name, "no-such-user-xyz");
	}
	ck_assert_uint_eq(s->only_from.count, 1);
	config_free(cfg);
	/* Syntax is still checked. */
	ck_assert_ptr_null(load("service telnet {\n server = bin/sh\n}\n", CONFIG_NO_FS_CHECKS));
	expect_error(2, "is not an absolute path");
}
END_TEST

START_TEST(test_server_not_executable)
{
	char text[4400];

	write_file("handler", "#!/bin/sh\n", 0644);
	snprintf(text, sizeof(text), "service telnet {\n server = %s\n}\n", tmp_path("handler"));
	reject_one(text, 2, "is not executable");
	ck_assert_int_eq(chmod(tmp_path("handler"), 0755), 0);
	config_free(load_ok(text, 0));
	/* Under chroot the server is looked up inside it. */
	snprintf(text, sizeof(text), "service telnet {\n server = /handler\n chroot = %s\n}\n", tmpdir);
	config_free(load_ok(text, 0));
	snprintf(text, sizeof(text), "service telnet {\n server = /bin/sh\n chroot = %s\n}\n", tmpdir);
	reject_one(text, 2, "server ");
}
END_TEST

/* As root: `user` is looked up, unset means the default user, and the
 * supplementary groups are resolved now (the child makes no NSS call). */
START_TEST(test_users_as_root)
{
	struct config *cfg;
	const struct service *s;
	struct passwd pw;
	struct group gr;
	gid_t daemon_gid;

	if (!am_root())
		return;		/* test_users_not_root covers this case */
	/* Copies: the loader's own lookups overwrite getpwnam's storage. */
	ck_assert_ptr_nonnull(getpwnam("daemon"));
	pw = *getpwnam("daemon");
	ck_assert_ptr_nonnull(getgrnam("adm"));
	gr = *getgrnam("adm");
	ck_assert_ptr_nonnull(getgrnam("daemon"));
	daemon_gid = getgrnam("daemon")->gr_gid;
	cfg = load_ok("service a { server = /bin/sh port = 1001 user = daemon }\n"
		      "service b { server = /bin/sh port = 1002 }\n"
		      "service c { server = /bin/sh port = 1003 user = root group = adm groups = { daemon } }\n"
		      "service d { server = /bin/sh port = 1004 user = 1 }\n", 0);
	s = find(cfg, "a");
	ck_assert_uint_eq(s->uid, pw.pw_uid);
	ck_assert_uint_eq(s->gid, pw.pw_gid);
	ck_assert_str_eq(s->user_name, "daemon");
	ck_assert_uint_ge(s->ngids, 1);
	ck_assert_uint_eq(s->gids[0], pw.pw_gid);
	s = find(cfg, "b");
	ck_assert_uint_eq(s->uid, uid_of("nobody"));
	ck_assert_ptr_null(s->user);
	s = find(cfg, "c");
	ck_assert_uint_eq(s->uid, 0);
	ck_assert_uint_eq(s->gid, gr.gr_gid);
	{
		bool has_root = false, has_adm = false, has_daemon = false;

		for (size_t i = 0; i < s->ngids; i++) {
			has_root |= s->gids[i] == 0;
			has_adm |= s->gids[i] == gr.gr_gid;
			has_daemon |= s->gids[i] == daemon_gid;
		}
		ck_assert(has_root && has_adm && has_daemon);
	}
	ck_assert_uint_eq(find(cfg, "d")->uid, 1);	/* a number is a uid */
	config_free(cfg);

	cfg = load_ok("defaults { user = daemon }\nservice b { server = /bin/sh port = 1002 }\n", 0);
	ck_assert_uint_eq(find(cfg, "b")->uid, pw.pw_uid);
	ck_assert_str_eq(find(cfg, "b")->user_name, "daemon");
	config_free(cfg);

	reject_one("service a {\n server = /bin/sh\n port = 1001\n user = no-such-user-xyz\n}\n", 4,
		   "service 'a': unknown user 'no-such-user-xyz'");
	ck_assert_ptr_null(load("defaults {\n user = no-such-user-xyz\n}\n"
				"service a {\n server = /bin/sh\n port = 1001\n}\n", 0));
	expect_error(2, "service 'a': unknown user 'no-such-user-xyz' (the default user)");
}
END_TEST

/* Not root: handlers run as portierd's user, and saying otherwise is an
 * error. As root the test forks and drops to nobody to see it. */
static int
not_root_checks(void)
{
	struct passwd *me = getpwuid(geteuid());
	struct config *cfg;
	char text[512];
	int fails = 0;

	if (!me)
		return 1;
	cfg = load("service a { server = /bin/sh port = 1001 }\n", 0);
	fails += !cfg || d.errors;
	if (cfg) {
		const struct service *s = config_find(cfg, "a");

		fails += s->uid != geteuid() || s->gid != getegid() || strcmp(s->user_name, me->pw_name);
		config_free(cfg);
	}
	snprintf(text, sizeof(text), "service a { server = /bin/sh port = 1001 user = %s }\n", me->pw_name);
	cfg = load(text, 0);
	fails += !cfg;
	config_free(cfg);
	cfg = load("service a {\n server = /bin/sh\n port = 1001\n user = root\n}\n", 0);
	snprintf(text, sizeof(text), "user 'root': portierd is not root: handlers run as %s", me->pw_name);
	fails += cfg != NULL || !has_diag_in(DIAG_ERROR, NAME, 4, text);
	cfg = load("service a {\n disable = yes\n server = /bin/sh\n port = 1001\n user = root\n}\n", 0);
	fails += cfg == NULL || !has_diag_in(DIAG_WARNING, NAME, 5, text);
	config_free(cfg);
	cfg = load("service a {\n server = /bin/sh\n port = 1001\n user = root\n}\n", CONFIG_NO_FS_CHECKS);
	fails += cfg == NULL;
	config_free(cfg);
	if (fails)
		dump();
	return fails;
}

START_TEST(test_users_not_root)
{
	pid_t pid;
	int status;

	if (!am_root()) {
		ck_assert_int_eq(not_root_checks(), 0);
		return;
	}
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		struct passwd *pw = getpwnam("nobody");

		if (!pw || setgroups(0, NULL) < 0 || setgid(pw->pw_gid) < 0 || setuid(pw->pw_uid) < 0)
			_exit(99);
		_exit(not_root_checks() ? 1 : 0);
	}
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0, "checks as nobody failed: %d",
		      status);
}
END_TEST

START_TEST(test_describe)
{
	struct config *cfg = load_ok(
		"service echo { type = internal }\n"
		"service echo/udp { type = internal }\n"
		"service telnet { server = /bin/sh server_args = { -c, \"exec cat\", \"it's\", \"\" } }\n"
		"service local { server = /bin/sh port = 4000 bind = { 127.0.0.1, \"::1\" } }\n"
		"service tcpmux { type = internal }\n"
		"service muxed { server = /bin/sh tcpmux = yes name = Hello }\n", CONFIG_NO_FS_CHECKS);
	const char *user = find(cfg, "telnet")->user_name;
	char buf[512], want[512];
	int n;

	config_describe(find(cfg, "echo"), buf, sizeof(buf));
	ck_assert_str_eq(buf, "echo 7/tcp stream nowait internal");
	config_describe(find(cfg, "echo/udp"), buf, sizeof(buf));
	ck_assert_str_eq(buf, "echo/udp 7/udp dgram wait internal");
	n = config_describe(find(cfg, "telnet"), buf, sizeof(buf));
	snprintf(want, sizeof(want), "telnet 23/tcp stream nowait user=%s /bin/sh -c 'exec cat' 'it'\\''s' ''",
		 user);
	ck_assert_str_eq(buf, want);
	ck_assert_int_eq(n, (int)strlen(want));
	/* Like snprintf: the length it needs, whatever fits. */
	ck_assert_int_eq(config_describe(find(cfg, "telnet"), NULL, 0), n);
	ck_assert_int_eq(config_describe(find(cfg, "telnet"), buf, 8), n);
	ck_assert_str_eq(buf, "telnet ");
	config_describe(find(cfg, "local"), buf, sizeof(buf));
	snprintf(want, sizeof(want), "local 127.0.0.1:4000/tcp,[::1]:4000/tcp stream nowait user=%s /bin/sh", user);
	ck_assert_str_eq(buf, want);
	config_describe(find(cfg, "muxed"), buf, sizeof(buf));
	snprintf(want, sizeof(want), "muxed tcpmux:Hello stream nowait user=%s /bin/sh", user);
	ck_assert_str_eq(buf, want);
	config_free(cfg);
}
END_TEST

/* Lines stay right after every kind of comment; comments may sit inside
 * lists; a # inside quotes is text. */
START_TEST(test_comments_and_lines)
{
	struct config *cfg = load(
		"# one\n"
		"// two\n"
		"/* three\n"
		"   four */\n"
		"service echo { # five\n"
		"\ttype = internal // six\n"
		"\tonly_from = { 127.0.0.1, # seven\n"
		"\t\t10.0.0.0/8 /* eight */,\n"
		"\t\t\"::1\" }\n"
		"\tserver_args = { \"#not a comment\", '// nor this' }\n"
		"\tport = 70000\n"
		"}\n", 0);

	ck_assert_ptr_null(cfg);
	expect_error(10, "an internal service has no server_args");
	expect_error(11, "port: '70000'");
	ck_assert_uint_eq(d.errors, 2);
	cfg = load_ok("service echo {\n type = internal\n only_from = { 127.0.0.1, # x\n \"::1\" }\n}\n", 0);
	ck_assert_uint_eq(find(cfg, "echo")->only_from.count, 2);
	config_free(cfg);
	cfg = load_ok("service telnet {\n server = /bin/sh\n server_args = { \"a#b\", \"c//d\", 'e/*f' }\n}\n", 0);
	ck_assert_str_eq(find(cfg, "telnet")->argv[1], "a#b");
	ck_assert_str_eq(find(cfg, "telnet")->argv[2], "c//d");
	ck_assert_str_eq(find(cfg, "telnet")->argv[3], "e/*f");
	ck_assert_int_eq(find(cfg, "telnet")->line, 1);
	config_free(cfg);
	/* An error in a multi-line list is reported at its first line. */
	reject_one("service echo {\n type = internal\n only_from = {\n  127.0.0.1,\n  10.0.0.0/40\n }\n}\n",
		   4, "'10.0.0.0/40'");
}
END_TEST

START_TEST(test_address_rules)
{
	struct config *cfg = load_ok(
		"service echo {\n type = internal\n"
		" only_from = { \"::ffff:10.1.2.3\", \"::ffff:10.0.0.0/104\", localhost, 10.1.2.3/8 }\n"
		" no_access = { \"2001:db8::1/64\" }\n}\n", 0);
	const struct service *s = find(cfg, "echo");
	const struct addr_rule *r = s->only_from.rules;
	bool found = false;

	expect_warning(3, "only_from: '10.1.2.3/8' has bits set beyond /8; they are ignored");
	expect_warning(4, "no_access: '2001:db8::1/64' has bits set beyond /64");
	ck_assert_int_eq(r[0].family, AF_INET);
	ck_assert_int_eq(r[0].prefix, 32);
	ck_assert_mem_eq(r[0].addr, "\x0a\x01\x02\x03", 4);
	ck_assert_int_eq(r[1].family, AF_INET);
	ck_assert_int_eq(r[1].prefix, 8);
	ck_assert_mem_eq(r[1].addr, "\x0a\x00\x00\x00", 4);
	for (size_t i = 2; i + 1 < s->only_from.count; i++)	/* localhost's addresses */
		found |= r[i].family == AF_INET && !memcmp(r[i].addr, "\x7f\x00\x00\x01", 4);
	ck_assert(found);
	ck_assert_mem_eq(r[s->only_from.count - 1].addr, "\x0a\x00\x00\x00", 4);
	ck_assert_mem_eq(s->no_access.rules[0].addr,
			 "\x20\x01\x0d\xb8\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00", 16);
	config_free(cfg);
}
END_TEST

START_TEST(test_sockaddr_unmap)
{
	struct sockaddr_storage ss = { 0 };
	struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&ss;
	struct sockaddr_in *s4 = (struct sockaddr_in *)&ss;

	s6->sin6_family = AF_INET6;
	s6->sin6_port = htons(23);
	ck_assert_int_eq(inet_pton(AF_INET6, "::ffff:192.0.2.1", &s6->sin6_addr), 1);
	cval_sockaddr_unmap(&ss);
	ck_assert_int_eq(ss.ss_family, AF_INET);
	ck_assert_int_eq(ntohs(s4->sin_port), 23);
	ck_assert_mem_eq(&s4->sin_addr, "\xc0\x00\x02\x01", 4);
	/* a plain IPv6 address stays as it is */
	memset(&ss, 0, sizeof(ss));
	s6->sin6_family = AF_INET6;
	s6->sin6_port = htons(23);
	ck_assert_int_eq(inet_pton(AF_INET6, "2001:db8::1", &s6->sin6_addr), 1);
	cval_sockaddr_unmap(&ss);
	ck_assert_int_eq(ss.ss_family, AF_INET6);
	ck_assert_int_eq(ntohs(s6->sin6_port), 23);
}
END_TEST

START_TEST(test_values)
{
	struct tm tm = { .tm_year = 126, .tm_mon = 11, .tm_mday = 1, .tm_hour = 18, .tm_isdst = -1 };
	time_t utc = timegm(&tm), t;
	struct time_window w;
	struct config *cfg;
	rlim_t r;
	mode_t m;
	int lim;

	ck_assert_int_eq(cval_time("2026-12-01T18:00:00Z", &t), 0);
	ck_assert_int_eq(t, utc);
	ck_assert_int_eq(cval_time("2026-12-01T18:00Z", &t), 0);
	ck_assert_int_eq(t, utc);
	ck_assert_int_eq(cval_time("2026-12-01T20:00:00+02:00", &t), 0);
	ck_assert_int_eq(t, utc);
	ck_assert_int_eq(cval_time("2026-12-01 16:30:00-01:30", &t), 0);
	ck_assert_int_eq(t, utc);
	ck_assert_int_eq(cval_time("2026-12-01T18:00:00", &t), 0);	/* local time */
	ck_assert_int_eq(t, mktime(&tm));
	tm.tm_hour = 0;
	tm.tm_isdst = -1;
	ck_assert_int_eq(cval_time("2026-12-01", &t), 0);	/* local midnight */
	ck_assert_int_eq(t, mktime(&tm));
	ck_assert_int_eq(cval_time("2028-02-29", &t), 0);	/* leap year */
	ck_assert_int_eq(cval_time("2100-02-29", &t), -1);
	ck_assert_int_eq(cval_time("1969-12-31", &t), -1);
	ck_assert_int_eq(cval_time("2026-1-1", &t), -1);

	ck_assert_int_eq(cval_time_window("0:00-23:59", &w), 0);
	ck_assert_int_eq(w.start, 0);
	ck_assert_int_eq(w.end, 1439);
	ck_assert_int_eq(cval_time_window("12:00-12:00x", &w), -1);

	ck_assert_int_eq(cval_rlimit("10k", true, &r), 0);
	ck_assert(r == 10240);
	ck_assert_int_eq(cval_rlimit("2G", true, &r), 0);
	ck_assert(r == 2ULL << 30);
	ck_assert_int_eq(cval_rlimit("UNLIMITED", false, &r), 0);
	ck_assert(r == RLIM_INFINITY);
	ck_assert_int_eq(cval_rlimit("1M", false, &r), -1);
	ck_assert_int_eq(cval_rlimit("99999999999999999999", false, &r), -1);
	ck_assert_int_eq(cval_rlimit("17179869184G", true, &r), -1);	/* 2^64: overflows */
	ck_assert_int_eq(cval_rlimit("", false, &r), -1);

	ck_assert_int_eq(cval_umask("0", &m), 0);
	ck_assert_uint_eq(m, 0);
	ck_assert_int_eq(cval_umask("0777", &m), 0);
	ck_assert_uint_eq(m, 0777);
	ck_assert_int_eq(cval_umask("", &m), -1);

	ck_assert_int_eq(cval_limit("Unlimited", &lim), 0);
	ck_assert_int_eq(lim, LIMIT_UNLIMITED);
	ck_assert_int_eq(cval_limit("3", &lim), 0);
	ck_assert_int_eq(lim, 3);
	ck_assert_int_eq(cval_limit("2147483648", &lim), -1);
	ck_assert_int_eq(cval_limit(" 3", &lim), -1);

	ck_assert_int_eq(cval_facility("LOCAL7"), LOG_LOCAL7);
	ck_assert_int_eq(cval_facility("authpriv"), LOG_AUTHPRIV);
	ck_assert_int_eq(cval_facility("nope"), -1);

	/* log flags are keywords of their option's row, in any case */
	cfg = load_ok("service echo {\n server = /bin/cat\n log_on_success = { duration }\n}\n",
		      CONFIG_NO_FS_CHECKS);
	ck_assert_uint_eq(cfg->services[0].log_on_success, LOGF_DURATION);
	config_free(cfg);
	reject_one("service echo {\n server = /bin/cat\n log_on_success = { bogus }\n}\n", 3,
		   "log_on_success: 'bogus' is not one of");
}
END_TEST

START_TEST(test_tcpmux)
{
	struct config *cfg = load_ok(
		"service tcpmux { type = internal }\n"
		"service hello { server = /bin/sh tcpmux = yes }\n"
		"service Other { server = /bin/sh tcpmux = yes name = other }\n", 0);
	const struct service *s = find(cfg, "hello");

	ck_assert(s->tcpmux);
	ck_assert_uint_eq(s->port, 0);
	ck_assert(s->protocol == IPPROTO_TCP && s->socktype == SOCK_STREAM && !s->wait);
	ck_assert_uint_eq(d.count, 0);
	config_free(cfg);
	cfg = load_ok("service hello {\n server = /bin/sh\n tcpmux = yes\n}\n", 0);
	expect_warning(1, "service 'hello': tcpmux = yes, but no internal tcpmux service is enabled");
	config_free(cfg);
}
END_TEST

/* Options that cannot apply are said so, not silently dropped. */
START_TEST(test_inapplicable_options)
{
	struct config *cfg = load_ok(
		"defaults {\n nice = 5\n}\n"
		"service echo {\n type = internal\n user = daemon\n rlimit_cpu = 5\n idle_timeout = 60\n}\n"
		"service echo/udp {\n type = internal\n idle_timeout = 60\n}\n"
		"service telnet {\n server = /bin/sh\n idle_timeout = 10\n}\n", CONFIG_NO_FS_CHECKS);

	expect_warning(6, "service 'echo': user has no effect on an internal service");
	expect_warning(7, "service 'echo': rlimit_cpu has no effect on an internal service");
	expect_warning(12, "service 'echo/udp': idle_timeout applies to internal TCP services only");
	expect_warning(16, "service 'telnet': idle_timeout applies to internal TCP services only");
	ck_assert_uint_eq(d.count, 4);	/* nothing about the inherited nice */
	ck_assert_int_eq(find(cfg, "echo")->idle_timeout, 60);
	config_free(cfg);
}
END_TEST

/* bind_each_address: on UDP with a wildcard bind, or none; the bind list
 * stays what the file says (the families), the sockets come at run time. */
START_TEST(test_bind_each_address)
{
	struct config *cfg = load_ok(
		"service a {\n server = /bin/sh\n protocol = udp\n port = 69\n"
		" bind_each_address = yes\n}\n"
		"service b {\n server = /bin/sh\n protocol = udp\n port = 70\n"
		" bind = { 0.0.0.0 }\n bind_each_address = yes\n}\n"
		"service c {\n server = /bin/sh\n protocol = udp\n port = 71\n}\n",
		CONFIG_NO_FS_CHECKS);

	ck_assert(find(cfg, "a")->bind_each_address && find(cfg, "a")->nbind == 0);
	ck_assert(find(cfg, "b")->bind_each_address && find(cfg, "b")->nbind == 1);
	ck_assert(!find(cfg, "c")->bind_each_address);
	config_free(cfg);
	/* every address on the port: a fixed one on it clashes */
	ck_assert(!load("service a {\n server = /bin/sh\n protocol = udp\n port = 69\n"
			" bind_each_address = yes\n}\n"
			"service b {\n server = /bin/sh\n protocol = udp\n port = 69\n"
			" bind = { 192.0.2.1 }\n}\n", CONFIG_NO_FS_CHECKS));
	expect_error(7, "port 69/udp on 192.0.2.1 is already used by service 'a'");
}
END_TEST

/* freebind and interface: stored, inherited from defaults; on a unix
 * service a warning at their line. */
START_TEST(test_freebind_interface)
{
	struct config *cfg = load_ok(
		"defaults {\n interface = veth0\n}\n"
		"service echo {\n type = internal\n freebind = yes\n}\n"
		"service daytime {\n type = internal\n interface = \"br-lab.10\"\n}\n"
		"service local {\n bind = { \"unix:/run/portier/l.sock\" }\n server = /bin/sh\n"
		" interface = eth0\n}\n", CONFIG_NO_FS_CHECKS);
	char text[256];

	ck_assert(find(cfg, "echo")->freebind);
	ck_assert_str_eq(find(cfg, "echo")->interface, "veth0");
	ck_assert(!find(cfg, "daytime")->freebind);
	config_free(cfg);
	/* one port on two interfaces: two services */
	cfg = load_ok("service echo {\n type = internal\n interface = veth0\n}\n"
		      "service echo2 {\n type = internal\n name = echo\n interface = veth1\n"
		      " bind = { 192.0.2.1, \"::1\" }\n}\n", CONFIG_NO_FS_CHECKS);
	ck_assert_str_eq(find(cfg, "echo2")->interface, "veth1");
	config_free(cfg);
	cfg = load_ok("defaults {\n interface = veth0\n}\n"
		      "service echo {\n type = internal\n freebind = yes\n}\n"
		      "service daytime {\n type = internal\n interface = \"br-lab.10\"\n}\n"
		      "service local {\n bind = { \"unix:/run/portier/l.sock\" }\n"
		      " server = /bin/sh\n interface = eth0\n}\n", CONFIG_NO_FS_CHECKS);
	ck_assert_str_eq(find(cfg, "daytime")->interface, "br-lab.10");
	config_describe(find(cfg, "daytime"), text, sizeof(text));
	ck_assert_str_eq(text, "daytime 13/tcp@br-lab.10 stream nowait internal");
	expect_warning(15, "service 'local': interface applies to network sockets only");
	config_free(cfg);
}
END_TEST

/* bind = { "unix:/path" }: no port, no protocol, a stream; the unix
 * options resolved; what cannot apply is an error at its line. */
START_TEST(test_unix)
{
	struct config *cfg = load_ok(
		"service local {\n bind = { \"unix:/run/portier/local.sock\" }\n server = /bin/sh\n"
		" socket_user = 0\n socket_group = 0\n allow_users = { 0, 1 }\n"
		" allow_groups = { 0 }\n}\n"
		"service tcp {\n port = 7000\n server = /bin/sh\n socket_mode = 0600\n}\n", 0);
	const struct service *s = find(cfg, "local");
	const struct sockaddr_un *un = (const struct sockaddr_un *)&s->bind[0];
	char text[512];

	ck_assert(s->local && s->nbind == 1 && un->sun_family == AF_UNIX);
	ck_assert_str_eq(un->sun_path, "/run/portier/local.sock");
	ck_assert(s->port == 0 && s->protocol == 0 && s->socktype == SOCK_STREAM && !s->wait);
	ck_assert_uint_eq(s->socket_mode, 0660);
	ck_assert(s->socket_uid == 0 && s->socket_gid == 0);
	ck_assert_uint_eq(s->nallow_uids, 2);
	ck_assert(s->allow_uids[0] == 0 && s->allow_uids[1] == 1);
	ck_assert(s->nallow_gids == 1 && s->allow_gids[0] == 0);
	config_describe(s, text, sizeof(text));
	ck_assert_msg(strstr(text, "local unix:/run/portier/local.sock stream nowait"), "%s", text);
	expect_warning(12, "service 'tcp': socket_mode applies to unix sockets only");
	ck_assert(!find(cfg, "tcp")->local);
	config_free(cfg);

	static const struct {
		const char *opt;
		const char *msg;
	} wrong[] = {
		{ "bind = { \"unix:/a.sock\", 127.0.0.1 }", "a unix socket stands alone in bind" },
		{ "port = 7000", "a unix service has no port" },
		{ "protocol = tcp", "a unix service has no protocol" },
		{ "socket_type = dgram", "unix services are stream services" },
		{ "only_from = { 127.0.0.1 }", "only_from does not apply to a unix socket" },
		{ "no_access = { 10.0.0.1 }", "no_access does not apply to a unix socket" },
		{ "per_source = 3", "per_source does not apply to a unix socket" },
		{ "per_source_rate = { 5, 10 }", "per_source_rate does not apply to a unix socket" },
		{ "tcpmux = yes", "a unix service cannot be reached through tcpmux" },
		{ "wait = yes\n allow_users = { 0 }", "allow_users and allow_groups need wait = no" },
		{ "allow_users = { no-such-user-pt }", "unknown user 'no-such-user-pt'" },
	};
	for (size_t i = 0; i < sizeof(wrong) / sizeof(wrong[0]); i++) {
		char conf[512];

		snprintf(conf, sizeof(conf), "service u {\n bind = { \"unix:/run/u.sock\" }\n"
			 " server = /bin/sh\n %s\n}\n", wrong[i].opt);
		ck_assert_msg(!load(conf, 0), "accepted: %s", wrong[i].opt);
		ck_assert_msg(has_diag_in(DIAG_ERROR, NAME, strchr(wrong[i].opt, '\n') ? 5 : 4, wrong[i].msg) ||
			      has_diag_in(DIAG_ERROR, NAME, 2, wrong[i].msg), "%s: no error '%s'",
			      wrong[i].opt, wrong[i].msg);
	}
	/* relative, too long, a directory */
	ck_assert(!load("service u {\n bind = { \"unix:run/u.sock\" }\n server = /bin/sh\n}\n", 0));
	ck_assert(!load("service u {\n bind = { \"unix:/run/\" }\n server = /bin/sh\n}\n", 0));
	ck_assert(!load("service u {\n bind = { \"unix:/0123456789012345678901234567890123456789"
			"01234567890123456789012345678901234567890123456789012345678901234567890\" }\n"
			" server = /bin/sh\n}\n", 0));
	/* one path, two services */
	ck_assert(!load("service u {\n bind = { \"unix:/run/u.sock\" }\n server = /bin/sh\n}\n"
			"service v {\n bind = { \"unix:/run/u.sock\" }\n server = /bin/sh\n}\n", 0));
	ck_assert(has_diag_in(DIAG_ERROR, NAME, 5, "service 'v': unix socket '/run/u.sock' is "
			      "already used by service 'u'"));
	/* inherited from defaults, only_from, per_source and per_source_rate concern
	 * the network services */
	cfg = load_ok("defaults {\n only_from = { 127.0.0.1 }\n per_source = 3\n"
		      " per_source_rate = { 5, 10 }\n}\n"
		      "service u {\n bind = { \"unix:/run/u.sock\" }\n server = /bin/sh\n}\n", 0);
	config_free(cfg);
}
END_TEST

static Suite *
config_suite(void)
{
	Suite *s = suite_create("config");
	TCase *tc = tcase_create("config");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 30);
	tcase_add_loop_test(tc, test_each_error, 0, sizeof(bad) / sizeof(bad[0]));
	tcase_add_test(tc, test_defaults_of_every_option);
	tcase_add_test(tc, test_every_option);
	tcase_add_test(tc, test_settings);
	tcase_add_test(tc, test_binds_family);
	tcase_add_test(tc, test_inheritance);
	tcase_add_test(tc, test_inherited_error_location);
	tcase_add_test(tc, test_ids_and_protocols);
	tcase_add_test(tc, test_conflicts);
	tcase_add_test(tc, test_file_rules);
	tcase_add_test(tc, test_missing_dir);
	tcase_add_test(tc, test_empty_config);
	tcase_add_test(tc, test_all_errors_in_one_run);
	tcase_add_test(tc, test_cache);
	tcase_add_test(tc, test_nul_byte);
	tcase_add_test(tc, test_not_regular);
	tcase_add_test(tc, test_quote);
	tcase_add_test(tc, test_duplicate_across_files);
	tcase_add_test(tc, test_host_checks_of_disabled);
	tcase_add_test(tc, test_no_fs_checks);
	tcase_add_test(tc, test_server_not_executable);
	tcase_add_test(tc, test_users_as_root);
	tcase_add_test(tc, test_users_not_root);
	tcase_add_test(tc, test_describe);
	tcase_add_test(tc, test_comments_and_lines);
	tcase_add_test(tc, test_address_rules);
	tcase_add_test(tc, test_values);
	tcase_add_test(tc, test_sockaddr_unmap);
	tcase_add_test(tc, test_tcpmux);
	tcase_add_test(tc, test_inapplicable_options);
	tcase_add_test(tc, test_unix);
	tcase_add_test(tc, test_bind_each_address);
	tcase_add_test(tc, test_freebind_interface);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return check_run(config_suite());
}
