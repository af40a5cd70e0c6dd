/* config_parse: from the files of conf.d to libconfuse's cfg_t, one per
 * file, with the line of every section and option noted on the way.
 *
 * libconfuse keeps no line per option (cfg_opt_t has no line field in
 * 3.3), so every option has a validation callback that notes the line as
 * it is parsed; the first call for a section comes when libconfuse installs
 * the list defaults at its opening brace, which gives the section's line.
 * Its callbacks carry no user pointer, hence the file-scope parse state;
 * libconfuse's lexer is global state anyway, so parsing is single-threaded. */
#include "autoconf.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config_int.h"

#define INHERIT_DEFAULT	"{\"\\001inherit\"}"
#define MAX_FILE_SIZE	(4 << 20)	/* a conf.d file is a few hundred bytes */

static struct {
	struct conf_file *file;
	struct diag *d;
	bool oom;
} ps;

/* Makes room for element n of an array that grows by doubling: the
 * capacity is 8, 16, 32..., so a resize is due at 0, 8 and each larger
 * power of two. */
static void *
grow(void *arrp, size_t n, size_t sz)
{
	void **arr = arrp;
	void *p;

	if (n != 0 && (n < 8 || (n & (n - 1))))
		return *arr;
	p = realloc(*arr, (n ? 2 * n : 8) * sz);
	if (p)
		*arr = p;
	return p;
}

static int
mark_line(cfg_t *sec, cfg_opt_t *opt)
{
	struct conf_file *f = ps.file;
	struct run *r = f->nruns ? &f->runs[f->nruns - 1] : NULL;
	int idx = (int)(opt - sec->opts);

	if (!r || r->sec != sec) {
		/* First call for a section: libconfuse is installing the list
		 * defaults at its opening brace. */
		if (!grow(&f->runs, f->nruns, sizeof(*r))) {
			ps.oom = true;
			return 0;
		}
		r = &f->runs[f->nruns++];
		*r = (struct run){ .sec = sec, .line = sec->line, .first = f->nmarks };
	}
	if (opt->nvalues == 1 && opt->values[0]->string &&
	    !strcmp(opt->values[0]->string, INHERIT))
		return 0;
	if ((opt->flags & CFGF_LIST) && r->count && f->marks[f->nmarks - 1].opt == idx)
		return 0;	/* the next item of the same list */
	if (!grow(&f->marks, f->nmarks, sizeof(struct mark))) {
		ps.oom = true;
		return 0;
	}
	f->marks[f->nmarks++] = (struct mark){ .opt = idx, .line = sec->line };
	r->count++;
	return 0;
}

/* The line where the section titled title starts, 0 if unknown. */
static int
title_line(cfg_t *root, const char *title)
{
	cfg_t *sec = cfg_gettsec(root, "service", title);

	for (size_t i = 0; sec && i < ps.file->nruns; i++)
		if (ps.file->runs[i].sec == sec)
			return ps.file->runs[i].line;
	return 0;
}

static void
parse_error(cfg_t *cfg, const char *fmt, va_list ap)
{
	char msg[512];

	if (cfg && ps.file && !strcmp(fmt, "found duplicate title '%s'")) {
		/* Said as for duplicates across files. */
		const char *title = va_arg(ap, const char *);

		snprintf(msg, sizeof(msg), "duplicate service '%s' (first declared at %s:%d)",
			 title, ps.file->path, title_line(cfg, title));
	} else {
		vsnprintf(msg, sizeof(msg), fmt, ap);
	}
	diag_add(ps.d, DIAG_ERROR, cfg ? cfg->filename : NULL, cfg ? cfg->line : 0, "%s", msg);
}

static cfg_opt_t *
section_opts(unsigned scope, enum opt_id *ids)
{
	cfg_opt_t *o = calloc(O_COUNT + 1, sizeof(*o));
	size_t n = 0;

	if (!o)
		return NULL;
	for (int id = 0; id < O_COUNT; id++) {
		const char *name = config_opt_name(id);

		if (!(config_opt_scope(id) & scope))
			continue;
		if (config_opt_is_list(id))
			o[n] = (cfg_opt_t)CFG_STR_LIST(name, INHERIT_DEFAULT, CFGF_NONE);
		else
			o[n] = (cfg_opt_t)CFG_STR(name, NULL, CFGF_NODEFAULT);
		o[n].validcb = mark_line;
		ids[n++] = id;
	}
	o[n] = (cfg_opt_t)CFG_END();
	return o;
}

int
config_schema_init(struct schema *sc)
{
	sc->svc = section_opts(IN_SERVICE, sc->svc_ids);
	sc->def = section_opts(IN_DEFAULTS, sc->def_ids);
	sc->root[0] = (cfg_opt_t)CFG_SEC("service", sc->svc,
					 CFGF_MULTI | CFGF_TITLE | CFGF_NO_TITLE_DUPES);
	sc->root[1] = (cfg_opt_t)CFG_SEC("defaults", sc->def, CFGF_MULTI);
	sc->root[2] = (cfg_opt_t)CFG_END();
	return sc->svc && sc->def ? 0 : -1;
}

void
config_schema_free(struct schema *sc)
{
	free(sc->svc);
	free(sc->def);
}

/* Prepares text for libconfuse, which has two blind spots: version 3.3
 * counts a line twice after a `#` or `//` comment and rejects comments
 * inside lists, so comments are blanked out here (their newlines kept); and
 * it takes the end of the file as the end of an open section, so braces
 * are counted here. Returns 0, or -1 after reporting why the text is bad. */
static int
prescan(char *p, size_t n, const char *file, struct diag *d)
{
	enum { CODE, DQUOTE, SQUOTE, LINE, BLOCK } st = CODE;
	int line = 1, block_line = 0, depth = 0, open_line = 0;

	for (size_t i = 0; i < n; i++) {
		char c = p[i], next = i + 1 < n ? p[i + 1] : '\0';

		if (c == '\n')
			line++;
		switch (st) {
		case CODE:
			if (c == '"' || c == '\'') {
				st = c == '"' ? DQUOTE : SQUOTE;
			} else if (c == '#' || (c == '/' && next == '/')) {
				st = LINE;
				p[i] = ' ';
			} else if (c == '/' && next == '*') {
				st = BLOCK;
				block_line = line;
				p[i++] = ' ';
				p[i] = ' ';
			} else if (c == '{' && depth++ == 0) {
				open_line = line;
			} else if (c == '}' && depth > 0) {
				depth--;	/* one too many: libconfuse says so */
			}
			break;
		case DQUOTE:
		case SQUOTE:
			if (c == '\\' && next) {
				if (next == '\n')
					line++;
				i++;
			} else if (c == (st == DQUOTE ? '"' : '\'')) {
				st = CODE;
			}
			break;
		case LINE:
			if (c == '\n')
				st = CODE;
			else
				p[i] = ' ';
			break;
		case BLOCK:
			if (c == '*' && next == '/') {
				p[i++] = ' ';
				p[i] = ' ';
				st = CODE;
			} else if (c != '\n') {
				p[i] = ' ';
			}
			break;
		}
	}
	if (st == BLOCK) {
		diag_add(d, DIAG_ERROR, file, block_line, "unterminated /* comment");
		return -1;
	}
	if (depth > 0) {
		diag_add(d, DIAG_ERROR, file, open_line, "this { is never closed");
		return -1;
	}
	return 0;
}

static int
cmp_run(const void *a, const void *b)
{
	uintptr_t x = (uintptr_t)((const struct run *)a)->sec;
	uintptr_t y = (uintptr_t)((const struct run *)b)->sec;

	return x < y ? -1 : x > y;
}

/* Parses text (modified in place) as the file f->path. */
void
config_parse_text(struct conf_file *f, const struct schema *sc, char *text, size_t len,
	   struct diag *d)
{
	FILE *fp;
	int rc;

	if (prescan(text, len, f->path, d) < 0)
		return;
	f->cfg = cfg_init((cfg_opt_t *)sc->root, CFGF_NONE);
	if (!f->cfg || !(f->cfg->filename = strdup(f->path))) {
		diag_add(d, DIAG_ERROR, f->path, 0, "out of memory");
		return;
	}
	cfg_set_error_function(f->cfg, parse_error);
	if (len == 0)
		return;		/* fmemopen refuses empty buffers; nothing to parse */
	fp = fmemopen(text, len, "r");
	if (!fp) {
		diag_add(d, DIAG_ERROR, f->path, 0, "fmemopen: %s", strerror(errno));
		cfg_free(f->cfg);
		f->cfg = NULL;
		return;
	}
	ps.file = f;
	ps.d = d;
	ps.oom = false;
	rc = cfg_parse_fp(f->cfg, fp);
	fclose(fp);
	ps.file = NULL;
	if (ps.oom)
		diag_add(d, DIAG_ERROR, f->path, 0, "out of memory");
	if (rc != CFG_SUCCESS || ps.oom) {
		cfg_free(f->cfg);
		f->cfg = NULL;
		return;
	}
	if (f->nruns)	/* qsort wants a non-NULL base even for 0 items */
		qsort(f->runs, f->nruns, sizeof(*f->runs), cmp_run);
}

char *
config_read_file(const char *path, size_t *len, struct diag *d)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	struct stat st;
	char *buf = NULL;
	ssize_t n;
	size_t got = 0;

	if (fd < 0 || fstat(fd, &st) < 0) {
		diag_add(d, DIAG_ERROR, path, 0, "cannot read: %s", strerror(errno));
		goto out;
	}
	if (st.st_size > MAX_FILE_SIZE) {
		diag_add(d, DIAG_ERROR, path, 0, "file is larger than %d bytes", MAX_FILE_SIZE);
		goto out;
	}
	buf = malloc((size_t)st.st_size + 1);
	if (!buf) {
		diag_add(d, DIAG_ERROR, path, 0, "out of memory");
		goto out;
	}
	while (got < (size_t)st.st_size &&
	       (n = read(fd, buf + got, (size_t)st.st_size - got)) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			diag_add(d, DIAG_ERROR, path, 0, "read: %s", strerror(errno));
			free(buf);
			buf = NULL;
			goto out;
		}
		got += (size_t)n;
	}
	buf[got] = '\0';
	*len = got;
out:
	if (fd >= 0)
		close(fd);
	return buf;
}

void
config_file_free(struct conf_file *f)
{
	if (f->cfg)
		cfg_free(f->cfg);
	free(f->path);
	free(f->runs);
	free(f->marks);
}

/* Lines of a parsed section: its own, and each option's (last written). */
const struct run *
config_find_run(const struct conf_file *f, const cfg_t *sec)
{
	struct run key = { .sec = sec };

	return bsearch(&key, f->runs, f->nruns, sizeof(key), cmp_run);
}

int
config_option_line(const struct conf_file *f, const struct run *r, int idx, int *earlier)
{
	int line = 0;

	*earlier = 0;
	for (size_t i = r->count; i > 0; i--) {
		if (f->marks[r->first + i - 1].opt != idx)
			continue;
		if (line) {
			*earlier = f->marks[r->first + i - 1].line;
			break;
		}
		line = f->marks[r->first + i - 1].line;
	}
	return line ? line : r->line;
}

/* Names that package managers and editors leave behind, skipped quietly. */
static bool
leftover_name(const char *n)
{
	static const char *const suffixes[] = { "~", ".rpmnew", ".rpmsave", ".orig" };
	size_t len = strlen(n);

	if (n[0] == '.' || strstr(n, ".dpkg-"))
		return true;
	for (size_t i = 0; i < sizeof(suffixes) / sizeof(suffixes[0]); i++) {
		size_t sl = strlen(suffixes[i]);

		if (len >= sl && !strcmp(n + len - sl, suffixes[i]))
			return true;
	}
	return false;
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The paths of the files to read, in lexical (byte) order. */
char **
config_list_dir(const char *dir, size_t *count, struct diag *d)
{
	DIR *dp = opendir(dir);
	struct dirent *de;
	char **paths = NULL;
	size_t n = 0;
	bool oom = false;

	if (!dp) {
		diag_add(d, DIAG_ERROR, dir, 0, "cannot open directory: %s", strerror(errno));
		return NULL;
	}
	while ((errno = 0, de = readdir(dp))) {
		size_t len = strlen(de->d_name);
		struct stat st;
		char *path;

		if (leftover_name(de->d_name))
			continue;
		if (asprintf(&path, "%s/%s", dir, de->d_name) < 0) {
			oom = true;
			break;
		}
		if (stat(path, &st) < 0 || !S_ISREG(st.st_mode)) {
			free(path);	/* subdirectories, dangling links */
			continue;
		}
		if (len < 6 || strcmp(de->d_name + len - 5, ".conf")) {
			diag_add(d, DIAG_WARNING, path, 0, "ignored: the name does not end in .conf");
			free(path);
			continue;
		}
		if (!grow(&paths, n, sizeof(char *))) {
			free(path);
			oom = true;
			break;
		}
		paths[n++] = path;
	}
	if (oom)
		diag_add(d, DIAG_ERROR, dir, 0, "out of memory");
	else if (errno)
		diag_add(d, DIAG_ERROR, dir, 0, "reading the directory: %s", strerror(errno));
	closedir(dp);
	if (n)
		qsort(paths, n, sizeof(char *), cmp_str);
	*count = n;
	return paths;
}
