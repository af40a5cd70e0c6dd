/* SPDX-License-Identifier: ISC */
/* config_inetd: inetd_compat, the entries of an inetd.conf as services
 * (config.h). The file is read here, under the rules conf.d files follow;
 * its entries become conf.d text in the program's reader (the converter,
 * which config/ cannot call); each entry's text is then parsed as a file
 * of its own whose every line is the entry's line, so that what the loader
 * says of it, and what check, status and audit show, is FILE:LINE of the
 * inetd.conf and not of text nobody wrote. */
#include "autoconf.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config/config_int.h"

static config_inetd_fn inetd_reader;

void
config_set_inetd_reader(config_inetd_fn fn)
{
	inetd_reader = fn;
}

/* The length of text's "FILE:LINE: " prefix (0 when it has none), the
 * line in *line. */
static size_t
line_prefix(const char *text, int *line)
{
	for (const char *p = strchr(text, ':'); p; p = strchr(p + 1, ':')) {
		size_t digits = strspn(p + 1, "0123456789");

		if (digits && !strncmp(p + 1 + digits, ": ", 2)) {
			*line = atoi(p + 1);
			return (size_t)(p - text) + 1 + digits + 2;
		}
	}
	return 0;
}

/* Moves every item of src to dst. Those said of path are said of its line
 * at (when > 0), and when demote are warnings: the reader's errors are
 * entries it left out, and one broken line some package wrote must not
 * refuse every other service. */
static void
relocate(struct diag *dst, struct diag *src, const char *path, int at, bool demote)
{
	size_t plen = strlen(path);

	for (size_t i = 0; i < src->count; i++) {
		struct diag_item *it = &src->items[i];
		int line = 0;
		size_t pre = it->text ? line_prefix(it->text, &line) : 0;
		bool ours = pre > plen && !strncmp(it->text, path, plen) && it->text[plen] == ':';
		bool demoted = demote && ours && it->level == DIAG_ERROR;
		char *text;

		if (!ours || (!demoted && at <= 0))
			continue;
		if (asprintf(&text, "%s:%d: %s%s", path, at > 0 ? at : line,
			     demoted ? "warning: " : "", it->text + pre) < 0)
			continue;
		free(it->text);
		it->text = text;
		if (demoted) {
			it->level = DIAG_WARNING;
			src->errors--;
		}
	}
	diag_move(dst, src);
}

void
config_inetd_report(struct diag *dst, struct diag *src, const char *path)
{
	relocate(dst, src, path, 0, true);
}

/* Every line of pf is the entry's line. */
static void
pfile_at(struct pfile *pf, int line)
{
	for (size_t i = 0; i < pf->nsecs; i++)
		pf->secs[i].line = line;
	for (size_t i = 0; pf->opts && i < pf->secs[pf->nsecs - 1].first +
	     pf->secs[pf->nsecs - 1].count; i++) {
		pf->opts[i].line = line;
		if (pf->opts[i].earlier)
			pf->opts[i].earlier = line;
	}
}

/* The file's bytes, or NULL: missing (nothing to serve: update-inetd
 * creates it with the first entry), or an error in d. */
static char *
read_inetd(struct loader *ld, const char *path, size_t *len)
{
	char err[PATH_MAX + 256];

	if (access(path, F_OK) < 0 && errno == ENOENT)
		return NULL;
	if ((ld->flags & CONFIG_SECURE) && access_secure_path(path, err, sizeof(err)) < 0) {
		diag_add(ld->d, DIAG_ERROR, NULL, 0, "inetd_conf: %s", err);
		return NULL;
	}
	return config_read_file(path, len, ld->d);
}

static int
parse_chunks(struct loader *ld, const char *path, struct config_chunk *c, size_t nc,
	     struct conf_file *files)
{
	struct schema sc = { 0 };

	if (config_schema_init(&sc) < 0)
		return -1;
	for (size_t i = 0; i < nc; i++) {
		struct diag pd;

		diag_init(&pd);
		files[i].path = strdup(path);
		if (!files[i].path) {
			config_schema_free(&sc);
			return -1;
		}
		files[i].pf = config_parse_text(path, &sc, c[i].text, strlen(c[i].text), &pd);
		relocate(ld->d, &pd, path, c[i].line, false);
		if (files[i].pf && files[i].pf->ndefaults) {
			diag_add(ld->d, DIAG_ERROR, path, c[i].line,
				 "the inetd_conf reader gave a defaults section");
			free(files[i].pf);
			files[i].pf = NULL;
		}
		if (files[i].pf && files[i].pf->nsecs)
			pfile_at(files[i].pf, c[i].line);
	}
	config_schema_free(&sc);
	return 0;
}

int
config_inetd_files(struct loader *ld, struct conf_file **files, size_t *n)
{
	const char *path = ld->settings.inetd_conf;
	struct config_chunk *c = NULL;
	size_t nc = 0, len = 0;
	struct diag rd;
	char *text;
	int rc;

	*files = NULL;
	*n = 0;
	if (!ld->settings.inetd_compat || !inetd_reader)
		return 0;
	text = read_inetd(ld, path, &len);
	if (!text)
		return 0;
	diag_init(&rd);
	rc = inetd_reader(text, path, ld->reg, &c, &nc, &rd);
	free(text);
	relocate(ld->d, &rd, path, 0, true);
	if (rc < 0)
		return -1;
	*files = calloc(nc + 1, sizeof(**files));
	if (!*files || parse_chunks(ld, path, c, nc, *files) < 0) {
		config_chunks_free(c, nc);
		config_files_free(*files, nc);
		*files = NULL;
		return -1;
	}
	*n = nc;
	config_chunks_free(c, nc);
	return 0;
}
