/* SPDX-License-Identifier: ISC */
/* Unit tests for the registry module (sbin/config/registry.c, registry_load.c). */
#include "autoconf.h"

#include <check.h>
#include <errno.h>
#include <ftw.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config/config.h"
#include "check_run.h"

static char tmpdir[4096];

static void
make_tmpdir(void)
{
	const char *base = getenv("TMPDIR");

	snprintf(tmpdir, sizeof(tmpdir), "%s/portier-check-registry-XXXXXX",
		 base && *base ? base : "/tmp");
	if (!mkdtemp(tmpdir)) {
		perror("mkdtemp");
		exit(99);
	}
}

static int
remove_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	return remove(path);
}

static void
remove_tmpdir(void)
{
	nftw(tmpdir, remove_one, 16, FTW_DEPTH | FTW_PHYS);
}

/* Writes len bytes to tmpdir/name; the path stays valid until the next call. */
static const char *
write_bytes(const char *name, const char *text, size_t len)
{
	static char path[2][4200];
	static int which;
	char *p = path[which++ % 2];
	FILE *fp;

	snprintf(p, sizeof(path[0]), "%s/%s", tmpdir, name);
	fp = fopen(p, "w");
	ck_assert_msg(fp != NULL, "fopen %s: %s", p, strerror(errno));
	ck_assert_uint_eq(fwrite(text, 1, len, fp), len);
	ck_assert_int_eq(fclose(fp), 0);
	return p;
}

static const char *
write_text(const char *name, const char *text)
{
	return write_bytes(name, text, strlen(text));
}

static const char *
srcdir_file(const char *name)
{
	static char path[4200];
	const char *top = getenv("top_srcdir");

	snprintf(path, sizeof(path), "%s/%s", top && *top ? top : ".", name);
	return path;
}

/* Loads text as one file; the caller frees both. */
static struct registry *
load_text(const char *text, bool strict, struct diag *d, const char **path)
{
	struct registry *reg = registry_new();
	const char *p = write_text("test.db", text);

	ck_assert_ptr_nonnull(reg);
	diag_init(d);
	ck_assert_int_eq(registry_load(reg, p, strict, d), 0);
	if (path)
		*path = p;
	return reg;
}

static void
assert_diag(const struct diag *d, size_t i, enum diag_level level, const char *path,
	    int line, const char *msg)
{
	char want[2048];

	ck_assert_uint_gt(d->count, i);
	snprintf(want, sizeof(want), "%s:%d: %s%s", path, line,
		 level == DIAG_WARNING ? "warning: " : "", msg);
	ck_assert_str_eq(d->items[i].text, want);
	ck_assert_int_eq(d->items[i].level, level);
}

/* "NAME/PROTO redefined as port NEW; keeping port OLD from OLDFILE:OLDLINE" */
static void
assert_redefined(const struct diag *d, size_t i, enum diag_level level, const char *path,
		 int line, const char *name, unsigned port, unsigned old, const char *oldpath,
		 int oldline)
{
	char msg[9000];

	snprintf(msg, sizeof(msg), "%s redefined as port %u; keeping port %u from %s:%d",
		 name, port, old, oldpath, oldline);
	assert_diag(d, i, level, path, line, msg);
}

static size_t
nalias(const struct reg_entry *e)
{
	size_t n = 0;

	while (e->aliases[n])
		n++;
	return n;
}

START_TEST(test_basic_entry)
{
	struct diag d;
	const char *path;
	struct registry *reg = load_text("smtp\t25/tcp\tmail  # Simple Mail Transfer  \n",
					 true, &d, &path);
	const struct reg_entry *e = registry_lookup_name(reg, "smtp", REG_TCP);

	ck_assert_uint_eq(d.count, 0);
	ck_assert_uint_eq(registry_count(reg), 1);
	ck_assert_ptr_nonnull(e);
	ck_assert_str_eq(e->name, "smtp");
	ck_assert_uint_eq(e->port, 25);
	ck_assert_int_eq(e->proto, REG_TCP);
	ck_assert_str_eq(e->description, "Simple Mail Transfer");
	ck_assert_str_eq(e->file, path);
	ck_assert_int_eq(e->line, 1);
	ck_assert_uint_eq(nalias(e), 1);
	ck_assert_str_eq(e->aliases[0], "mail");
	ck_assert_ptr_eq(registry_lookup_name(reg, "mail", REG_TCP), e);
	ck_assert_ptr_eq(registry_lookup_port(reg, 25, REG_TCP), e);
	ck_assert_ptr_null(registry_lookup_name(reg, "smtp", REG_UDP));
	ck_assert_ptr_null(registry_lookup_name(reg, "SMTP", REG_TCP));
	ck_assert_ptr_null(registry_lookup_port(reg, 25, REG_UDP));
	ck_assert_ptr_null(registry_lookup_port(reg, 26, REG_TCP));
	ck_assert_ptr_null(registry_lookup_port(reg, 70000, REG_TCP));
	registry_free(reg);
	diag_free(&d);
}
END_TEST

START_TEST(test_no_comment_no_newline)
{
	struct diag d;
	struct registry *reg = load_text("# only a comment\n\n   \t\nfinger 79/tcp", true, &d, NULL);
	const struct reg_entry *e = registry_lookup_name(reg, "finger", REG_TCP);

	ck_assert_uint_eq(d.count, 0);
	ck_assert_ptr_nonnull(e);
	ck_assert_str_eq(e->description, "");
	ck_assert_uint_eq(nalias(e), 0);
	ck_assert_int_eq(e->line, 4);
	registry_free(reg);
	diag_free(&d);
}
END_TEST

/* Every malformed line: its message, on its own line number. */
static const struct {
	const char *line;
	const char *msg;
} bad_lines[] = {
	{ "lonely", "'lonely': missing PORT/PROTOCOL after the name" },
	{ "lonely   # with a comment", "'lonely': missing PORT/PROTOCOL after the name" },
	{ "foo 25", "'25' is not PORT/PROTOCOL (such as 25/tcp)" },
	{ "foo tcp/25", "bad port 'tcp' (a number 0-65535)" },
	{ "foo abc/tcp", "bad port 'abc' (a number 0-65535)" },
	{ "foo -1/tcp", "bad port '-1' (a number 0-65535)" },
	{ "foo 2x5/tcp", "bad port '2x5' (a number 0-65535)" },
	{ "foo /tcp", "bad port '' (a number 0-65535)" },
	{ "foo 65536/tcp", "port 65536 out of range (0-65535)" },
	{ "foo 99999999999999999999999/udp",
	  "port 99999999999999999999999 out of range (0-65535)" },
	{ "foo 25/xyz", "unknown protocol 'xyz' (tcp, udp, sctp or dccp)" },
	{ "foo 25/TCP", "unknown protocol 'TCP' (tcp, udp, sctp or dccp)" },
	{ "foo 25/tcp/udp", "unknown protocol 'tcp/udp' (tcp, udp, sctp or dccp)" },
	{ "foo 25/", "missing protocol after '25/'" },
	{ "1234 25/tcp", "bad service name '1234' (printable ASCII, not only digits)" },
	/* quoted as printable ASCII only (config_quote) */
	{ "foo 25/tcp b\xc3\xa4r", "bad alias 'b??r' (printable ASCII, not only digits)" },
	/* a long token is cut: a registry path may lead to a secret file */
	{ "foo 25/tcp 012345678901234567890123456789012345",
	  "bad alias '01234567890123456789012345678901...' (printable ASCII, not only digits)" },
	{ "root:$6$saltsaltsaltsalt$hashhashhashhashhashhash:19000:0:99999:7:::",
	  "'root:$6$saltsaltsaltsalt$hashhas...': missing PORT/PROTOCOL after the name" },
	{ "foo 25/tcp 42", "bad alias '42' (printable ASCII, not only digits)" },
	{ "fo\x01o 25/tcp", "control character 0x01 in line" },
	{ "foo 25/tcp \x1b[31m", "control character 0x1b in line" },
	/* bytes are checked eight at a time: a bad one anywhere in a word */
	{ "foo 25/tcp # a long comment with a DEL\x7f at byte 38", "control character 0x7f in line" },
	{ "foo 25/tcp # twenty-four\x1f", "control character 0x1f in line" },
	{ "foo\t25/tcp\t# a tab, then \x02 after it", "control character 0x02 in line" },
	{ "@@@ !!! ???", "'!!!' is not PORT/PROTOCOL (such as 25/tcp)" },
	{ "foo 25/tcp a1 a2 a3 a4 a5 a6 a7 a8 a9 a10 a11 a12 a13 a14 a15 a16 a17 a18 a19 a20 "
	  "a21 a22 a23 a24 a25 a26 a27 a28 a29 a30 a31 a32 a33", "more than 32 aliases" },
};

static void
check_bad_line(int i, bool strict)
{
	char text[1024];
	struct diag d;
	const char *path;
	struct registry *reg;

	snprintf(text, sizeof(text), "# header\n\nfirst 1/tcp\n%s\nlast 2/tcp\n", bad_lines[i].line);
	reg = load_text(text, strict, &d, &path);
	ck_assert_uint_eq(d.count, 1);
	assert_diag(&d, 0, strict ? DIAG_ERROR : DIAG_WARNING, path, 4, bad_lines[i].msg);
	ck_assert_uint_eq(d.errors, strict ? 1 : 0);
	/* The bad line is skipped, the lines around it are not. */
	ck_assert_uint_eq(registry_count(reg), 2);
	ck_assert_ptr_nonnull(registry_lookup_name(reg, "first", REG_TCP));
	ck_assert_ptr_nonnull(registry_lookup_name(reg, "last", REG_TCP));
	ck_assert_ptr_null(registry_lookup_name(reg, "foo", REG_TCP));
	registry_free(reg);
	diag_free(&d);
}

START_TEST(test_bad_line_strict)
{
	check_bad_line(_i, true);
}
END_TEST

START_TEST(test_bad_line_lenient)
{
	check_bad_line(_i, false);
}
END_TEST

/* Loads bytes strictly; expects one diagnostic, an error at line 2 of two
 * entries. */
static struct registry *
load_bad_line2(const char *name, const char *text, size_t len, const char *msg)
{
	struct registry *reg = registry_new();
	const char *path = write_bytes(name, text, len);
	struct diag d;

	diag_init(&d);
	ck_assert_int_eq(registry_load(reg, path, true, &d), 0);
	ck_assert_uint_eq(d.count, 1);
	assert_diag(&d, 0, DIAG_ERROR, path, 2, msg);
	ck_assert_uint_eq(registry_count(reg), 2);
	ck_assert_ptr_null(registry_lookup_name(reg, "foo", REG_TCP));
	diag_free(&d);
	return reg;
}

START_TEST(test_nul_byte)
{
	static const char text[] = "a 1/tcp\nfoo 25/tcp\0junk\nb 2/tcp\n";

	registry_free(load_bad_line2("nul.db", text, sizeof(text) - 1, "NUL byte in line"));
}
END_TEST

/* A NUL is reported rather than a control character before it; tabs and
 * other separators, and UTF-8 in a comment, are fine. */
START_TEST(test_bytes_in_lines)
{
	static const char text[] = "a\t1/tcp\v\f# caf\xc3\xa9, tabbed\r\n"
		"foo 25/tcp # a control character \x01 then a NUL \0 later\nb 2/tcp\n";
	struct registry *reg = load_bad_line2("bytes.db", text, sizeof(text) - 1,
					      "NUL byte in line");
	const struct reg_entry *e = registry_lookup_name(reg, "a", REG_TCP);

	ck_assert_ptr_nonnull(e);
	ck_assert_str_eq(e->description, "caf\xc3\xa9, tabbed");
	registry_free(reg);
}
END_TEST

START_TEST(test_every_problem_reported)
{
	struct diag d;
	const char *path;
	struct registry *reg = load_text("a 1/tcp\nb\nc 2/tcp\nd 3/bogus\n\n# x\ne 70000/udp\n",
					 true, &d, &path);

	ck_assert_uint_eq(d.count, 3);
	ck_assert_uint_eq(d.errors, 3);
	assert_diag(&d, 0, DIAG_ERROR, path, 2, "'b': missing PORT/PROTOCOL after the name");
	assert_diag(&d, 1, DIAG_ERROR, path, 4, "unknown protocol 'bogus' (tcp, udp, sctp or dccp)");
	assert_diag(&d, 2, DIAG_ERROR, path, 7, "port 70000 out of range (0-65535)");
	ck_assert_uint_eq(registry_count(reg), 2);
	registry_free(reg);
	diag_free(&d);
}
END_TEST

START_TEST(test_unreadable)
{
	struct registry *reg = registry_new();
	struct diag d;
	char missing[4200];
	const char *huge;

	diag_init(&d);
	snprintf(missing, sizeof(missing), "%s/does-not-exist.db", tmpdir);
	ck_assert_int_eq(registry_load(reg, missing, false, &d), -1);
	ck_assert_uint_eq(d.errors, 1);
	ck_assert_str_eq(d.items[0].text + strlen(missing), ": cannot open: No such file or directory");
	ck_assert_int_eq(registry_load(reg, tmpdir, false, &d), -1);
	ck_assert_uint_eq(d.errors, 2);
	ck_assert_str_eq(d.items[1].text + strlen(tmpdir), ": is a directory, not a file");
	/* larger than any registry: refused before it is read */
	huge = write_text("huge.db", "smtp 25/tcp\n");
	ck_assert_int_eq(truncate(huge, (64 << 20) + 1), 0);	/* sparse */
	ck_assert_int_eq(registry_load(reg, huge, false, &d), -1);
	ck_assert_uint_eq(d.errors, 3);
	ck_assert_str_eq(d.items[2].text + strlen(huge), ": cannot read: file too large");
	ck_assert_uint_eq(registry_count(reg), 0);
	ck_assert_ptr_null(registry_lookup_port(reg, 25, REG_TCP));
	ck_assert_ptr_null(registry_lookup_name(reg, "smtp", REG_TCP));
	registry_free(reg);
	diag_free(&d);
}
END_TEST

/* A big file: the buffer is sized from the file, all of it is read. */
START_TEST(test_large_file)
{
	struct registry *reg = registry_new();
	size_t cap = 10000 * 40, n = 0;
	char *text = malloc(cap);
	const char *path;
	struct diag d;

	ck_assert_ptr_nonnull(text);
	for (unsigned port = 1000; port < 11000; port++)
		n += (size_t)snprintf(text + n, cap - n, "svc%u %u/tcp # number %u\n", port, port,
				      port);
	path = write_bytes("large.db", text, n);
	free(text);
	diag_init(&d);
	ck_assert_int_eq(registry_load(reg, path, true, &d), 0);
	ck_assert_uint_eq(d.count, 0);
	ck_assert_uint_eq(registry_count(reg), 10000);
	ck_assert_str_eq(registry_lookup_port(reg, 10999, REG_TCP)->name, "svc10999");
	ck_assert_str_eq(registry_lookup_name(reg, "svc1000", REG_TCP)->description, "number 1000");
	registry_free(reg);
	diag_free(&d);
}
END_TEST

static void
on_alarm(int sig)
{
	(void)sig;
	_exit(3);	/* blocked: the test fails with exit status 3 */
}

/* Only a regular file is a registry: a FIFO (with no writer, whose open
 * would wait forever), a pipe, a device are refused, without blocking. */
START_TEST(test_not_regular)
{
	struct registry *reg = registry_new();
	char fifo[4200], pipepath[64], want[4300];
	const char *const paths[] = { fifo, pipepath, "/dev/null" };
	struct diag d;
	int fds[2];

	snprintf(fifo, sizeof(fifo), "%s/fifo.db", tmpdir);
	ck_assert_int_eq(mkfifo(fifo, 0644), 0);
	ck_assert_int_eq(pipe(fds), 0);
	ck_assert_int_eq(write(fds[1], "smtp 25/tcp\n", 12), 12);
	snprintf(pipepath, sizeof(pipepath), "/proc/self/fd/%d", fds[0]);
	signal(SIGALRM, on_alarm);
	alarm(10);
	diag_init(&d);
	for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
		ck_assert_int_eq(registry_load(reg, paths[i], false, &d), -1);
		ck_assert_uint_eq(d.errors, i + 1);
		snprintf(want, sizeof(want), "%s: not a regular file", paths[i]);
		ck_assert_str_eq(d.items[i].text, want);
	}
	alarm(0);
	ck_assert_uint_eq(registry_count(reg), 0);
	close(fds[0]);
	close(fds[1]);
	unlink(fifo);
	registry_free(reg);
	diag_free(&d);
}
END_TEST

START_TEST(test_empty_file)
{
	struct diag d;
	struct registry *reg = load_text("", true, &d, NULL);

	ck_assert_uint_eq(d.count, 0);
	ck_assert_uint_eq(registry_count(reg), 0);
	ck_assert_ptr_null(registry_lookup_port(reg, 0, REG_TCP));
	registry_free(reg);
	diag_free(&d);
}
END_TEST

START_TEST(test_aliases)
{
	struct diag d;
	struct registry *reg = load_text(
		"kerberos\t88/tcp\t\tkerberos5 krb5 kerberos-sec\t# Kerberos v5\n"
		"kerberos\t88/udp\t\tkerberos5 krb5 kerberos-sec\n"
		"dup\t99/tcp\t\tdup twice twice\n",
		true, &d, NULL);
	const struct reg_entry *t = registry_lookup_name(reg, "kerberos", REG_TCP);
	const struct reg_entry *u = registry_lookup_name(reg, "kerberos", REG_UDP);
	const struct reg_entry *dup = registry_lookup_name(reg, "twice", REG_TCP);

	ck_assert_uint_eq(d.count, 0);
	ck_assert_ptr_nonnull(t);
	ck_assert_ptr_nonnull(u);
	ck_assert_ptr_ne(t, u);
	ck_assert_uint_eq(nalias(t), 3);
	ck_assert_str_eq(t->aliases[2], "kerberos-sec");
	ck_assert_ptr_eq(registry_lookup_name(reg, "krb5", REG_TCP), t);
	ck_assert_ptr_eq(registry_lookup_name(reg, "kerberos-sec", REG_UDP), u);
	ck_assert_ptr_null(registry_lookup_name(reg, "krb5", REG_SCTP));
	/* An alias repeating the name or itself is kept once. */
	ck_assert_ptr_nonnull(dup);
	ck_assert_uint_eq(nalias(dup), 1);
	ck_assert_str_eq(dup->aliases[0], "twice");
	registry_free(reg);
	diag_free(&d);
}
END_TEST

START_TEST(test_redefinition_in_file)
{
	struct diag d;
	const char *path;
	struct registry *reg = load_text("foo 1/tcp\nfoo 1/udp\nfoo 2/tcp # moved\nfoo 3/sctp\n",
					 false, &d, &path);

	ck_assert_uint_eq(d.count, 1);
	assert_redefined(&d, 0, DIAG_WARNING, path, 3, "foo/tcp", 2, 1, path, 1);
	ck_assert_uint_eq(registry_lookup_name(reg, "foo", REG_TCP)->port, 1);
	ck_assert_uint_eq(registry_lookup_name(reg, "foo", REG_UDP)->port, 1);
	ck_assert_uint_eq(registry_lookup_name(reg, "foo", REG_SCTP)->port, 3);
	ck_assert_ptr_null(registry_lookup_port(reg, 2, REG_TCP));
	ck_assert_uint_eq(registry_count(reg), 3);
	registry_free(reg);
	diag_free(&d);
}
END_TEST

/* Loads first.db then second.db; returns the registry. */
static struct registry *
load_two(const char *first, const char *second, bool strict, struct diag *d,
	 char *path1, char *path2)
{
	struct registry *reg = registry_new();

	strcpy(path1, write_text("first.db", first));
	strcpy(path2, write_text("second.db", second));
	diag_init(d);
	ck_assert_int_eq(registry_load(reg, path1, strict, d), 0);
	ck_assert_int_eq(registry_load(reg, path2, strict, d), 0);
	return reg;
}

START_TEST(test_first_definition_wins)
{
	char p1[4200], p2[4200];
	struct diag d;
	bool strict = _i;
	struct registry *reg = load_two("# system\nsmtp 25/tcp mail # Simple Mail Transfer\n",
					"smtp 2525/tcp\n", strict, &d, p1, p2);

	ck_assert_uint_eq(d.count, 1);
	ck_assert_uint_eq(d.errors, strict ? 1 : 0);
	assert_redefined(&d, 0, strict ? DIAG_ERROR : DIAG_WARNING, p2, 1, "smtp/tcp", 2525, 25,
			 p1, 2);
	ck_assert_uint_eq(registry_lookup_name(reg, "smtp", REG_TCP)->port, 25);
	/* A redefinition is skipped as a whole. */
	ck_assert_ptr_null(registry_lookup_port(reg, 2525, REG_TCP));
	ck_assert_uint_eq(registry_count(reg), 1);
	registry_free(reg);
	diag_free(&d);
}
END_TEST

/* An alias on either side only shadows a name: a warning even when strict,
 * and the line keeps its port and its other names (as getservbyname(3)). */
START_TEST(test_alias_shadows)
{
	char p1[4200], p2[4200];
	struct diag d;
	bool strict = _i;
	struct registry *reg = load_two("acr-nema 104/tcp dicom\nsmtp 25/tcp mail\n",
					"dicom 11112/tcp\nmymail 2526/tcp mail relay\n"
					"mail 2527/tcp\n", strict, &d, p1, p2);
	const struct reg_entry *e;

	ck_assert_uint_eq(d.count, 3);
	ck_assert_uint_eq(d.errors, 0);
	assert_redefined(&d, 0, DIAG_WARNING, p2, 1, "dicom/tcp", 11112, 104, p1, 1);
	assert_redefined(&d, 1, DIAG_WARNING, p2, 2, "mail/tcp", 2526, 25, p1, 2);
	assert_redefined(&d, 2, DIAG_WARNING, p2, 3, "mail/tcp", 2527, 25, p1, 2);
	ck_assert_uint_eq(registry_count(reg), 5);
	ck_assert_uint_eq(registry_lookup_name(reg, "dicom", REG_TCP)->port, 104);
	ck_assert_uint_eq(registry_lookup_name(reg, "mail", REG_TCP)->port, 25);
	e = registry_lookup_port(reg, 11112, REG_TCP);
	ck_assert_ptr_nonnull(e);
	ck_assert_str_eq(e->name, "dicom");
	ck_assert_ptr_eq(registry_lookup_name(reg, "relay", REG_TCP),
			 registry_lookup_name(reg, "mymail", REG_TCP));
	ck_assert_uint_eq(registry_lookup_name(reg, "mymail", REG_TCP)->port, 2526);
	ck_assert_str_eq(registry_lookup_port(reg, 2527, REG_TCP)->name, "mail");
	registry_free(reg);
	diag_free(&d);
}
END_TEST

START_TEST(test_later_file_adds_names)
{
	char p1[4200], p2[4200];
	struct diag d;
	struct registry *reg = load_two("smtp 25/tcp mail # Simple Mail Transfer\nhttp 80/tcp www\n",
					"smtp 25/tcp mail # the same line again\n"
					"smtp 25/tcp relay mail relay\n"
					"mailer 25/tcp smtp\n"
					"myapp 8080/tcp # local\n"
					"smtp 25/udp # another protocol\n",
					true, &d, p1, p2);
	const struct reg_entry *smtp = registry_lookup_name(reg, "smtp", REG_TCP);
	const struct reg_entry *mailer = registry_lookup_name(reg, "mailer", REG_TCP);

	ck_assert_uint_eq(d.count, 0);
	ck_assert_uint_eq(registry_count(reg), 5);
	/* A repeated name gains the new aliases; its first definition stays. */
	ck_assert_str_eq(smtp->file, p1);
	ck_assert_int_eq(smtp->line, 1);
	ck_assert_str_eq(smtp->description, "Simple Mail Transfer");
	ck_assert_uint_eq(nalias(smtp), 2);
	ck_assert_str_eq(smtp->aliases[0], "mail");
	ck_assert_str_eq(smtp->aliases[1], "relay");
	ck_assert_ptr_eq(registry_lookup_name(reg, "relay", REG_TCP), smtp);
	/* Another name for the port: its own entry; the port keeps the first. */
	ck_assert_ptr_nonnull(mailer);
	ck_assert_ptr_ne(mailer, smtp);
	ck_assert_str_eq(mailer->file, p2);
	ck_assert_int_eq(mailer->line, 3);
	ck_assert_ptr_eq(registry_lookup_port(reg, 25, REG_TCP), smtp);
	ck_assert_uint_eq(registry_lookup_name(reg, "myapp", REG_TCP)->port, 8080);
	ck_assert_uint_eq(registry_lookup_name(reg, "smtp", REG_UDP)->port, 25);
	registry_free(reg);
	diag_free(&d);
}
END_TEST

struct collected {
	char text[1024];
	int stop_after;
	int calls;
};

static int
collect(const struct reg_entry *e, void *arg)
{
	struct collected *c = arg;
	size_t n = strlen(c->text);

	snprintf(c->text + n, sizeof(c->text) - n, "%s%s %u/%s", n ? ", " : "", e->name,
		 e->port, registry_proto_name(e->proto));
	return ++c->calls == c->stop_after;
}

static void
assert_range(const struct registry *reg, unsigned lo, unsigned hi, int stop_after,
	     size_t calls, const char *want)
{
	struct collected c = { .stop_after = stop_after };

	ck_assert_uint_eq(registry_foreach_range(reg, lo, hi, collect, &c), calls);
	ck_assert_str_eq(c.text, want);
}

START_TEST(test_foreach_range)
{
	char p1[4200], p2[4200];
	struct diag d;
	struct registry *reg = load_two("b 80/udp\na 80/tcp\nc 22/tcp\nd 443/tcp\ne 80/sctp\n"
					"f 80/dccp\ng 65535/udp\nh 0/tcp\n",
					"a2 80/tcp\nz 1/tcp\n", true, &d, p1, p2);

	ck_assert_uint_eq(d.count, 0);
	assert_range(reg, 0, 65535, 0, 10,
		     "h 0/tcp, z 1/tcp, c 22/tcp, a 80/tcp, a2 80/tcp, b 80/udp, e 80/sctp, "
		     "f 80/dccp, d 443/tcp, g 65535/udp");
	assert_range(reg, 80, 80, 0, 5, "a 80/tcp, a2 80/tcp, b 80/udp, e 80/sctp, f 80/dccp");
	assert_range(reg, 23, 79, 0, 0, "");
	assert_range(reg, 22, 443, 2, 2, "c 22/tcp, a 80/tcp");
	assert_range(reg, 444, 100000, 0, 1, "g 65535/udp");
	assert_range(reg, 443, 80, 0, 0, "");
	assert_range(reg, 70000, 80000, 0, 0, "");
	ck_assert_str_eq(registry_lookup_port(reg, 80, REG_TCP)->name, "a");
	ck_assert_str_eq(registry_lookup_port(reg, 80, REG_DCCP)->name, "f");
	registry_free(reg);
	diag_free(&d);
}
END_TEST

START_TEST(test_port_class)
{
	ck_assert_int_eq(registry_port_class(0), PORT_WELL_KNOWN);
	ck_assert_int_eq(registry_port_class(1023), PORT_WELL_KNOWN);
	ck_assert_int_eq(registry_port_class(1024), PORT_REGISTERED);
	ck_assert_int_eq(registry_port_class(49151), PORT_REGISTERED);
	ck_assert_int_eq(registry_port_class(49152), PORT_DYNAMIC);
	ck_assert_int_eq(registry_port_class(65535), PORT_DYNAMIC);
	ck_assert_str_eq(registry_port_class_name(PORT_WELL_KNOWN), "well-known");
	ck_assert_str_eq(registry_port_class_name(PORT_REGISTERED), "registered");
	ck_assert_str_eq(registry_port_class_name(PORT_DYNAMIC), "dynamic");
}
END_TEST

START_TEST(test_proto_names)
{
	static const char *const names[REG_NPROTO] = { "tcp", "udp", "sctp", "dccp" };
	enum reg_proto p;

	for (int i = 0; i < REG_NPROTO; i++) {
		ck_assert_str_eq(registry_proto_name((enum reg_proto)i), names[i]);
		ck_assert_int_eq(registry_proto_parse(names[i], &p), 0);
		ck_assert_int_eq(p, i);
	}
	ck_assert_int_eq(registry_proto_parse("TCP", &p), -1);
	ck_assert_int_eq(registry_proto_parse("ddp", &p), -1);
	ck_assert_int_eq(registry_proto_parse("", &p), -1);
	ck_assert_str_eq(registry_proto_name(REG_NPROTO), "?");
}
END_TEST

/* /etc/services as Debian writes it: tabs, aliases, CRLF from a careless
 * editor, and AppleTalk entries that portier does not serve. */
START_TEST(test_etc_services_format)
{
	struct diag d;
	const char *path;
	struct registry *reg = load_text(
		"# Network services, Internet style\r\n"
		"#\r\n"
		"tcpmux\t\t1/tcp\t\t\t\t# TCP port service multiplexer\r\n"
		"discard\t\t9/tcp\t\tsink null\r\n"
		"http\t\t80/tcp\t\twww\t\t# WorldWideWeb HTTP\r\n"
		"\r\n"
		"rtmp\t\t1/ddp\t\t\t# Routing Table Maintenance Protocol\r\n"
		"nbp\t\t2/ddp\t\t\t# Name Binding Protocol\r\n"
		"kerberos\t88/tcp\t\tkerberos5 krb5 kerberos-sec\t# Kerberos v5\r\n",
		true, &d, &path);
	const struct reg_entry *e = registry_lookup_name(reg, "www", REG_TCP);

	ck_assert_uint_eq(d.errors, 0);
	ck_assert_uint_eq(d.count, 1);
	assert_diag(&d, 0, DIAG_WARNING, path, 7,
		    "2 entries for protocol ddp (AppleTalk, not IP) ignored, the first here");
	ck_assert_uint_eq(registry_count(reg), 4);
	ck_assert_ptr_nonnull(e);
	ck_assert_str_eq(e->name, "http");
	ck_assert_str_eq(e->description, "WorldWideWeb HTTP");
	e = registry_lookup_name(reg, "null", REG_TCP);
	ck_assert_ptr_nonnull(e);
	ck_assert_uint_eq(e->port, 9);
	ck_assert_str_eq(e->aliases[1], "null");
	ck_assert_str_eq(registry_lookup_name(reg, "krb5", REG_TCP)->description, "Kerberos v5");
	registry_free(reg);
	diag_free(&d);
}
END_TEST

/* The system's own /etc/services (netbase, listed in .ci/run) loads cleanly. */
START_TEST(test_system_etc_services)
{
	struct registry *reg = registry_new();
	struct diag d;

	diag_init(&d);
	ck_assert_msg(access("/etc/services", R_OK) == 0, "/etc/services: %s (install netbase)",
		      strerror(errno));
	ck_assert_int_eq(registry_load(reg, "/etc/services", true, &d), 0);
	for (size_t i = 0; i < d.count; i++)
		ck_assert_msg(d.items[i].level == DIAG_WARNING, "unexpected: %s", d.items[i].text);
	ck_assert_uint_eq(d.errors, 0);
	ck_assert_uint_gt(registry_count(reg), 300);
	ck_assert_uint_eq(registry_lookup_name(reg, "www", REG_TCP)->port, 80);
	ck_assert_uint_eq(registry_lookup_name(reg, "mail", REG_TCP)->port, 25);
	registry_free(reg);
	diag_free(&d);
}
END_TEST

static const struct {
	const char *name;
	unsigned port;
	enum reg_proto proto;
	const char *alias;	/* NULL: none checked */
} shipped[] = {
	{ "telnet", 23, REG_TCP, NULL },
	{ "ftp", 21, REG_TCP, NULL },
	{ "ftp-data", 20, REG_TCP, NULL },
	{ "ssh", 22, REG_TCP, NULL },
	{ "smtp", 25, REG_TCP, "mail" },
	{ "domain", 53, REG_UDP, NULL },
	{ "domain", 53, REG_TCP, NULL },
	{ "ntp", 123, REG_UDP, NULL },
	{ "snmp", 161, REG_UDP, NULL },
	{ "syslog", 514, REG_UDP, NULL },
	{ "submission", 587, REG_TCP, NULL },
	{ "imaps", 993, REG_TCP, NULL },
	{ "pop3s", 995, REG_TCP, NULL },
	{ "http-alt", 8080, REG_TCP, "webcache" },
	{ "postgresql", 5432, REG_TCP, "postgres" },
	{ "http", 80, REG_TCP, "www" },
};

static int
check_consistent(const struct reg_entry *e, void *arg)
{
	const struct registry *reg = arg;
	const struct reg_entry *byname = registry_lookup_name(reg, e->name, e->proto);
	const struct reg_entry *byport = registry_lookup_port(reg, e->port, e->proto);

	ck_assert_ptr_nonnull(byname);
	ck_assert_uint_eq(byname->port, e->port);
	ck_assert_ptr_nonnull(byport);
	ck_assert_uint_eq(byport->port, e->port);
	return 0;
}

START_TEST(test_shipped_registry)
{
	struct registry *reg = registry_new();
	const char *path = srcdir_file("services.db");
	struct diag d;

	diag_init(&d);
	ck_assert_int_eq(registry_load(reg, path, true, &d), 0);
	for (size_t i = 0; i < d.count; i++)
		ck_abort_msg("shipped registry: %s", d.items[i].text);
	ck_assert_uint_gt(registry_count(reg), 11000);
	ck_assert_uint_lt(registry_count(reg), 12500);

	for (size_t i = 0; i < sizeof(shipped) / sizeof(shipped[0]); i++) {
		const struct reg_entry *e = registry_lookup_name(reg, shipped[i].name,
								 shipped[i].proto);

		ck_assert_msg(e != NULL, "%s/%s missing", shipped[i].name,
			      registry_proto_name(shipped[i].proto));
		ck_assert_str_eq(e->name, shipped[i].name);
		ck_assert_uint_eq(e->port, shipped[i].port);
		ck_assert_ptr_eq(registry_lookup_port(reg, shipped[i].port, shipped[i].proto), e);
		if (shipped[i].alias) {
			ck_assert_uint_ge(nalias(e), 1);
			ck_assert_str_eq(e->aliases[0], shipped[i].alias);
			ck_assert_ptr_eq(registry_lookup_name(reg, shipped[i].alias,
							      shipped[i].proto), e);
		}
	}
	ck_assert_ptr_null(registry_lookup_name(reg, "snmp", REG_DCCP));
	ck_assert_uint_eq(registry_foreach_range(reg, 0, 65535, check_consistent, reg),
			  registry_count(reg));
	registry_free(reg);
	diag_free(&d);
}
END_TEST

static Suite *
registry_suite(void)
{
	Suite *s = suite_create("registry");
	TCase *tc = tcase_create("parse");
	int nbad = (int)(sizeof(bad_lines) / sizeof(bad_lines[0]));

	tcase_add_unchecked_fixture(tc, make_tmpdir, remove_tmpdir);
	tcase_add_test(tc, test_basic_entry);
	tcase_add_test(tc, test_no_comment_no_newline);
	tcase_add_loop_test(tc, test_bad_line_strict, 0, nbad);
	tcase_add_loop_test(tc, test_bad_line_lenient, 0, nbad);
	tcase_add_test(tc, test_nul_byte);
	tcase_add_test(tc, test_bytes_in_lines);
	tcase_add_test(tc, test_every_problem_reported);
	tcase_add_test(tc, test_unreadable);
	tcase_add_test(tc, test_large_file);
	tcase_add_test(tc, test_not_regular);
	tcase_add_test(tc, test_empty_file);
	tcase_add_test(tc, test_aliases);
	tcase_add_test(tc, test_redefinition_in_file);
	tcase_add_loop_test(tc, test_first_definition_wins, 0, 2);
	tcase_add_loop_test(tc, test_alias_shadows, 0, 2);
	tcase_add_test(tc, test_later_file_adds_names);
	tcase_add_test(tc, test_foreach_range);
	tcase_add_test(tc, test_port_class);
	tcase_add_test(tc, test_proto_names);
	tcase_add_test(tc, test_etc_services_format);
	tcase_add_test(tc, test_system_etc_services);
	tcase_add_test(tc, test_shipped_registry);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return check_run(registry_suite());
}
