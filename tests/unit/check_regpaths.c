/* SPDX-License-Identifier: ISC */
/* Unit tests for the registry's default search order
 * (sbin/config/registry_paths.c): the shipped file first, then services.d's
 * *.db in byte order, leftovers skipped, a missing directory adding nothing;
 * and what a local file may do: add names and aliases that the registry's
 * users (lookup, a conf.d service without `port`) see, but not move a
 * shipped name. The programs pass the configured paths; these tests pass
 * directories of their own. */
#include "autoconf.h"

#include <check.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config/config.h"
#include "check_run.h"

static char tmpdir[4096];
static char shipped[4200];
static char localdir[4200];

static int
remove_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st, (void)flag, (void)ftw;
	return remove(path);
}

static const char *
local_path(const char *name)
{
	static char path[4][4400];
	static int which;
	char *p = path[which++ % 4];

	snprintf(p, sizeof(path[0]), "%s/%s", localdir, name);
	return p;
}

static void
write_file(const char *path, const char *text)
{
	FILE *fp = fopen(path, "w");

	ck_assert_ptr_nonnull(fp);
	fputs(text, fp);
	ck_assert_int_eq(fclose(fp), 0);
}

static void
setup(void)
{
	const char *t = getenv("TMPDIR");

	snprintf(tmpdir, sizeof(tmpdir), "%s/check_regpaths.XXXXXX", t ? t : "/tmp");
	ck_assert_ptr_nonnull(mkdtemp(tmpdir));
	snprintf(shipped, sizeof(shipped), "%s/services.db", tmpdir);
	snprintf(localdir, sizeof(localdir), "%s/services.d", tmpdir);
	write_file(shipped, "smtp 25/tcp mail\nhttp 80/tcp www\n");
	ck_assert_int_eq(mkdir(localdir, 0755), 0);
}

static void
teardown(void)
{
	nftw(tmpdir, remove_one, 16, FTW_DEPTH | FTW_PHYS);
}

/* The list as one string, "a b c", names relative to tmpdir. */
static const char *
joined(char **v)
{
	static char buf[4096];
	size_t len = strlen(tmpdir);

	buf[0] = '\0';
	for (size_t i = 0; v && v[i]; i++) {
		ck_assert_int_eq(strncmp(v[i], tmpdir, len), 0);
		if (i)
			strcat(buf, " ");
		strcat(buf, v[i] + len + 1);
	}
	return buf;
}

/* The diagnostic that contains text, or NULL. */
static const char *
has_diag(const struct diag *d, const char *text)
{
	for (size_t i = 0; i < d->count; i++)
		if (d->items[i].text && strstr(d->items[i].text, text))
			return d->items[i].text;
	return NULL;
}

START_TEST(test_shipped_then_local_in_byte_order)
{
	struct diag d;
	char **v;

	write_file(local_path("b.db"), "");
	write_file(local_path("a.db"), "");
	write_file(local_path("Z.db"), "");
	ck_assert_int_eq(symlink(local_path("a.db"), local_path("link.db")), 0);
	diag_init(&d);
	v = registry_default_paths(shipped, localdir, &d);
	ck_assert_str_eq(joined(v), "services.db services.d/Z.db services.d/a.db "
			 "services.d/b.db services.d/link.db");
	ck_assert_uint_eq(d.count, 0);
	strv_free(v);
	diag_free(&d);
}
END_TEST

/* What editors and package managers leave behind is skipped quietly, as
 * in conf.d, and so are subdirectories; other files, dangling links and
 * FIFOs are named in a warning, and never opened. */
START_TEST(test_leftovers_skipped)
{
	static const char *const leftovers[] = {
		"local.db~", "local.db.dpkg-old", "local.db.dpkg-dist", "local.db.dpkg-new",
		".local.db.swp", ".hidden.db", "local.db.rpmnew", "local.db.rpmsave",
		"local.db.orig",
	};
	struct diag d;
	char **v;

	write_file(local_path("local.db"), "");
	for (size_t i = 0; i < sizeof(leftovers) / sizeof(leftovers[0]); i++)
		write_file(local_path(leftovers[i]), "");
	write_file(local_path("README"), "");
	ck_assert_int_eq(mkdir(local_path("sub.db"), 0755), 0);
	ck_assert_int_eq(symlink(local_path("gone"), local_path("dangling.db")), 0);
	ck_assert_int_eq(mkfifo(local_path("fifo.db"), 0644), 0);
	diag_init(&d);
	v = registry_default_paths(shipped, localdir, &d);
	ck_assert_str_eq(joined(v), "services.db services.d/local.db");
	ck_assert_uint_eq(d.count, 3);
	ck_assert_uint_eq(d.errors, 0);
	ck_assert_ptr_nonnull(has_diag(&d, "services.d/README: warning: ignored: "
				       "the name does not end in .db"));
	ck_assert_ptr_nonnull(has_diag(&d, "services.d/dangling.db: warning: ignored: "
				       "not a regular file (a dangling symbolic link)"));
	ck_assert_ptr_nonnull(has_diag(&d, "services.d/fifo.db: warning: ignored: "
				       "not a regular file (a FIFO)"));
	strv_free(v);
	diag_free(&d);
}
END_TEST

START_TEST(test_missing_dir_adds_nothing)
{
	struct diag d;
	char **v;

	ck_assert_int_eq(rmdir(localdir), 0);
	diag_init(&d);
	v = registry_default_paths(shipped, localdir, &d);
	ck_assert_str_eq(joined(v), "services.db");
	ck_assert_uint_eq(d.count, 0);
	strv_free(v);
	diag_free(&d);
}
END_TEST

/* Another failure to read it is an error: names would go missing. */
START_TEST(test_unreadable_dir)
{
	struct diag d;

	ck_assert_int_eq(rmdir(localdir), 0);
	write_file(localdir, "not a directory\n");
	diag_init(&d);
	ck_assert_ptr_null(registry_default_paths(shipped, localdir, &d));
	ck_assert_uint_eq(d.errors, 1);
	ck_assert_ptr_nonnull(strstr(d.items[0].text, "services.d: cannot open directory: "));
	diag_free(&d);
}
END_TEST

/* Loads the default list as portierd does (leniently) or check does. */
static struct registry *
load_defaults(bool strict, struct diag *d)
{
	struct registry *reg = registry_new();
	char **v = registry_default_paths(shipped, localdir, d);

	ck_assert_ptr_nonnull(reg);
	ck_assert_ptr_nonnull(v);
	for (size_t i = 0; v[i]; i++)
		registry_load(reg, v[i], strict, d);
	strv_free(v);
	return reg;
}

/* A local file's name is seen by lookup and by a service without `port`;
 * an alias it gives a shipped name too; a leftover's names are not. */
START_TEST(test_local_names_visible)
{
	static const char service[] =
		"service myapp {\n"
		"\tsocket_type = stream\n\tprotocol = tcp\n\twait = no\n"
		"\tserver = \"/bin/cat\"\n"
		"}\n";
	const struct reg_entry *e;
	struct registry *reg;
	struct config *cfg;
	struct diag d;

	write_file(local_path("local.db"), "myapp 4242/tcp # ours\nhttp 80/tcp web\n");
	write_file(local_path("local.db~"), "ghost 4343/tcp\n");
	write_file(local_path("local.db.dpkg-old"), "ghost 4343/tcp\n");
	diag_init(&d);
	reg = load_defaults(true, &d);
	ck_assert_uint_eq(d.count, 0);
	e = registry_lookup_name(reg, "myapp", REG_TCP);
	ck_assert_ptr_nonnull(e);
	ck_assert_uint_eq(e->port, 4242);
	ck_assert_str_eq(e->file, local_path("local.db"));
	e = registry_lookup_name(reg, "web", REG_TCP);
	ck_assert_ptr_nonnull(e);
	ck_assert_uint_eq(e->port, 80);
	ck_assert_ptr_null(registry_lookup_name(reg, "ghost", REG_TCP));
	ck_assert_ptr_null(registry_lookup_port(reg, 4343, REG_TCP));

	cfg = config_load_buffer(service, "myapp.conf", reg, CONFIG_NO_FS_CHECKS, &d);
	ck_assert_msg(cfg != NULL, "%s", d.count ? d.items[0].text : "?");
	ck_assert_uint_eq(cfg->count, 1);
	ck_assert_uint_eq(cfg->services[0].port, 4242);
	config_free(cfg);
	registry_free(reg);
	diag_free(&d);
}
END_TEST

/* The first definition wins: a local file cannot move a shipped name
 * (portierd warns and keeps the shipped port; check calls it an error). */
START_TEST(test_local_cannot_redefine)
{
	struct registry *reg;
	struct diag d;

	write_file(local_path("local.db"), "smtp 2525/tcp\n");
	diag_init(&d);
	reg = load_defaults(_i == 1, &d);
	ck_assert_uint_eq(d.count, 1);
	ck_assert_uint_eq(d.errors, _i == 1 ? 1 : 0);
	ck_assert_ptr_nonnull(strstr(d.items[0].text, "smtp/tcp redefined as port 2525; "
				     "keeping port 25"));
	ck_assert_uint_eq(registry_lookup_name(reg, "smtp", REG_TCP)->port, 25);
	registry_free(reg);
	diag_free(&d);
}
END_TEST

static Suite *
regpaths_suite(void)
{
	Suite *s = suite_create("registry_paths");
	TCase *tc = tcase_create("defaults");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_shipped_then_local_in_byte_order);
	tcase_add_test(tc, test_leftovers_skipped);
	tcase_add_test(tc, test_missing_dir_adds_nothing);
	tcase_add_test(tc, test_unreadable_dir);
	tcase_add_test(tc, test_local_names_visible);
	tcase_add_loop_test(tc, test_local_cannot_redefine, 0, 2);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return check_run(regpaths_suite());
}
