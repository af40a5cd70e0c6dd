/* config: conf.d to plain data, see config.h.
 *
 * Every *.conf is parsed by libconfuse into its own cfg_t, then converted:
 * first the (single) defaults section into a template, then each service as
 * a copy of the template with its own options applied. Inheritance needs to
 * know which options a section sets and whether a list was assigned (=) or
 * appended to (+=): scalars have no libconfuse default, so "set" means "has
 * a value"; lists default to a one-element marker list, which `=` replaces
 * and `+=` keeps in front of the new items.
 *
 * libconfuse keeps no line per option, so a validation callback notes the
 * line of each option as it is parsed (and the opening line of each section,
 * when libconfuse installs the list defaults). Its callbacks carry no user
 * pointer, hence the file-scope parse state; libconfuse's lexer is global
 * state anyway, so parsing is single-threaded. */
#include "autoconf.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config_int.h"
#include "config_value.h"

#define INHERIT		"\001inherit"
#define INHERIT_DEFAULT	"{\"\\001inherit\"}"
#define MAX_FILE_SIZE	(4 << 20)	/* a conf.d file is a few hundred bytes */

struct mark {			/* an option's line */
	int opt;		/* index into the section's option array */
	int line;
};

struct run {			/* one section's marks */
	const cfg_t *sec;
	int line;		/* of its opening brace */
	size_t first, count;
};

struct conf_file {
	char *path;
	cfg_t *cfg;		/* NULL when unreadable or unparsable */
	struct run *runs;
	size_t nruns;
	struct mark *marks;
	size_t nmarks;
};

/* The schema: option arrays and, per array index, the option's id. */
struct schema {
	cfg_opt_t *svc, *def, root[3];
	enum opt_id svc_ids[O_COUNT], def_ids[O_COUNT];
};

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
	if (r->count && f->marks[f->nmarks - 1].opt == idx)
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

static int
schema_init(struct schema *sc)
{
	sc->svc = section_opts(IN_SERVICE, sc->svc_ids);
	sc->def = section_opts(IN_DEFAULTS, sc->def_ids);
	sc->root[0] = (cfg_opt_t)CFG_SEC("service", sc->svc,
					 CFGF_MULTI | CFGF_TITLE | CFGF_NO_TITLE_DUPES);
	sc->root[1] = (cfg_opt_t)CFG_SEC("defaults", sc->def, CFGF_MULTI);
	sc->root[2] = (cfg_opt_t)CFG_END();
	return sc->svc && sc->def ? 0 : -1;
}

static void
schema_free(struct schema *sc)
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
static void
parse_text(struct conf_file *f, const struct schema *sc, char *text, size_t len,
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

static char *
read_file(const char *path, size_t *len, struct diag *d)
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

static void
file_free(struct conf_file *f)
{
	if (f->cfg)
		cfg_free(f->cfg);
	free(f->path);
	free(f->runs);
	free(f->marks);
}

/* Lines of a parsed section: its own, and each option's (last written). */
static const struct run *
find_run(const struct conf_file *f, const cfg_t *sec)
{
	struct run key = { .sec = sec };

	return bsearch(&key, f->runs, f->nruns, sizeof(key), cmp_run);
}

static int
option_line(const struct conf_file *f, const struct run *r, int idx)
{
	for (size_t i = r->count; i > 0; i--)
		if (f->marks[r->first + i - 1].opt == idx)
			return f->marks[r->first + i - 1].line;
	return r->line;
}

/* Applies every option that sec sets to b. */
static void
apply_section(struct loader *ld, struct build *b, const struct conf_file *f,
	      cfg_t *sec, const enum opt_id *ids)
{
	const struct run *r = find_run(f, sec);
	char *items[64], **v;

	b->sec_at = (struct origin){ f->path, r ? r->line : sec->line };
	for (int i = 0; sec->opts[i].name; i++) {
		cfg_opt_t *o = &sec->opts[i];
		struct optval val = { .id = ids[i], .name = o->name, .n = o->nvalues };
		size_t skip = 0;

		if (o->nvalues == 0 && !config_opt_is_list(ids[i]))
			continue;
		if (o->nvalues > 0 && config_opt_is_list(ids[i]) &&
		    !strcmp(o->values[0]->string, INHERIT)) {
			if (o->nvalues == 1)
				continue;	/* not written: inherited */
			skip = 1;
			val.append = true;
		}
		val.n -= skip;
		v = val.n <= 64 ? items : malloc(val.n * sizeof(char *));
		if (!v) {
			config_err(ld, b, O_COUNT, "out of memory");
			return;
		}
		for (size_t k = 0; k < val.n; k++)
			v[k] = o->values[k + skip]->string;
		val.items = v;
		b->at[ids[i]] = (struct origin){ f->path, r ? option_line(f, r, i) : sec->line };
		b->own[ids[i]] = true;
		config_opt_apply(ld, b, &val);
		if (v != items)
			free(v);
	}
}

void
config_report(struct loader *ld, struct build *b, enum opt_id id, enum diag_level lvl,
	      const char *fmt, ...)
{
	const struct origin *o = id < O_COUNT && b->at[id].file ? &b->at[id] : &b->sec_at;
	char msg[768];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	diag_add(ld->d, lvl, o->file, o->line, "%s: %s", b->what, msg);
	if (lvl == DIAG_ERROR)
		b->bad = true;
}

static void
service_clear(struct service *s)
{
	free(s->id);
	free(s->name);
	free(s->file);
	free(s->bind);
	free(s->user);
	free(s->group);
	free(s->user_name);
	strv_free(s->groups);
	free(s->gids);
	free(s->server);
	strv_free(s->argv);
	strv_free(s->env);
	strv_free(s->passenv);
	free(s->only_from.rules);
	free(s->no_access.rules);
	free(s->access_times);
	free(s->chroot);
	free(s->banner);
	free(s->banner_success);
	free(s->banner_fail);
	memset(s, 0, sizeof(*s));
}

void
config_free(struct config *cfg)
{
	if (!cfg)
		return;
	for (size_t i = 0; i < cfg->count; i++)
		service_clear(&cfg->services[i]);
	free(cfg->services);
	free(cfg->by_id);
	free(cfg->settings.default_user);
	free(cfg->settings.control_socket);
	free(cfg);
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
static char **
list_dir(const char *dir, size_t *count, struct diag *d)
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

static void
apply_defaults(struct loader *ld, struct build *tmpl, const struct conf_file *files,
	       size_t n, const struct schema *sc)
{
	const struct conf_file *first = NULL;
	int first_line = 0;

	for (size_t i = 0; i < n; i++) {
		cfg_t *cfg = files[i].cfg;

		for (unsigned k = 0; cfg && k < cfg_size(cfg, "defaults"); k++) {
			cfg_t *sec = cfg_getnsec(cfg, "defaults", k);
			const struct run *r = find_run(&files[i], sec);
			int line = r ? r->line : sec->line;

			if (first) {
				diag_add(ld->d, DIAG_ERROR, files[i].path, line,
					 "a second defaults section (the first is at %s:%d)",
					 first->path, first_line);
				continue;
			}
			first = &files[i];
			first_line = line;
			apply_section(ld, tmpl, &files[i], sec, sc->def_ids);
		}
	}
}

static int
add_service(struct loader *ld, struct config *cfg, bool *bad, const struct build *tmpl,
	    const struct conf_file *f, cfg_t *sec, const struct schema *sc)
{
	struct build b;
	const char *title = cfg_title(sec);

	memset(&b, 0, sizeof(b));
	if (config_build_copy(&b, tmpl) < 0 || !(b.s.id = strdup(title)) ||
	    !(b.s.file = strdup(f->path))) {
		service_clear(&b.s);
		config_build_release(&b);
		return -1;
	}
	snprintf(b.what_buf, sizeof(b.what_buf), "service '%s'", title);
	b.what = b.what_buf;
	apply_section(ld, &b, f, sec, sc->svc_ids);
	b.s.line = b.sec_at.line;
	config_finish(ld, &b);
	bad[cfg->count] = b.bad;
	cfg->services[cfg->count++] = b.s;
	config_build_release(&b);
	return 0;
}

/* Converts every parsed file: defaults first, then the services. */
static struct config *
assemble(struct loader *ld, const struct conf_file *files, size_t n, const struct schema *sc)
{
	struct config *cfg = calloc(1, sizeof(*cfg));
	struct build tmpl;
	size_t total = 0;
	bool *bad;

	config_settings_init(&ld->settings);
	config_build_init(&tmpl, "defaults");
	tmpl.is_defaults = true;
	apply_defaults(ld, &tmpl, files, n, sc);
	for (size_t i = 0; i < n; i++)
		total += files[i].cfg ? cfg_size(files[i].cfg, "service") : 0;
	bad = calloc(total + 1, sizeof(bool));
	if (cfg)
		cfg->services = calloc(total + 1, sizeof(struct service));
	if (!cfg || !bad || !cfg->services || !ld->settings.default_user ||
	    !ld->settings.control_socket)
		goto oom;
	for (size_t i = 0; i < n; i++) {
		cfg_t *c = files[i].cfg;

		for (unsigned k = 0; c && k < cfg_size(c, "service"); k++)
			if (add_service(ld, cfg, bad, &tmpl, &files[i],
					cfg_getnsec(c, "service", k), sc) < 0)
				goto oom;
	}
	if (config_cross_check(ld, cfg, bad) < 0)
		goto oom;
	cfg->settings = ld->settings;
	memset(&ld->settings, 0, sizeof(ld->settings));
	goto out;
oom:
	diag_add(ld->d, DIAG_ERROR, NULL, 0, "out of memory while loading the configuration");
	config_free(cfg);
	cfg = NULL;
out:
	free(ld->settings.default_user);
	free(ld->settings.control_socket);
	service_clear(&tmpl.s);
	config_build_release(&tmpl);
	free(bad);
	return cfg;
}

static struct config *
load_files(struct conf_file *files, size_t n, const struct schema *sc,
	   const struct registry *reg, unsigned flags, struct diag *d, size_t errors0)
{
	struct loader ld = {
		.reg = reg, .flags = flags, .d = d, .root = geteuid() == 0,
	};
	struct config *cfg = assemble(&ld, files, n, sc);

	config_users_free(ld.users);
	for (size_t i = 0; i < n; i++)
		file_free(&files[i]);
	free(files);
	if (cfg && d->errors > errors0) {
		config_free(cfg);
		cfg = NULL;
	}
	return cfg;
}

struct config *
config_load(const char *dir, const struct registry *reg, unsigned flags, struct diag *d)
{
	size_t errors0 = d->errors, n = 0;
	struct conf_file *files;
	struct schema sc = { 0 };
	struct config *cfg;
	char **paths = list_dir(dir, &n, d);

	if (!paths && d->errors > errors0)
		return NULL;
	files = calloc(n + 1, sizeof(*files));
	if (!files || schema_init(&sc) < 0) {
		diag_add(d, DIAG_ERROR, dir, 0, "out of memory");
		for (size_t i = 0; i < n; i++)
			free(paths[i]);
		free(paths);
		free(files);
		schema_free(&sc);
		return NULL;
	}
	for (size_t i = 0; i < n; i++) {
		size_t len;
		char *text;

		files[i].path = paths[i];	/* the file owns it now */
		text = read_file(paths[i], &len, d);
		if (text)
			parse_text(&files[i], &sc, text, len, d);
		free(text);
	}
	free(paths);
	cfg = load_files(files, n, &sc, reg, flags, d, errors0);
	schema_free(&sc);
	return cfg;
}

struct config *
config_load_buffer(const char *buf, const char *name, const struct registry *reg,
		   unsigned flags, struct diag *d)
{
	size_t errors0 = d->errors, len = strlen(buf);
	struct conf_file *files = calloc(1, sizeof(*files));
	char *text = malloc(len + 1);
	struct schema sc = { 0 };
	struct config *cfg = NULL;

	if (!files || !text || schema_init(&sc) < 0 || !(files->path = strdup(name))) {
		diag_add(d, DIAG_ERROR, name, 0, "out of memory");
		free(text);
		if (files)
			free(files->path);
		free(files);
		schema_free(&sc);
		return NULL;
	}
	memcpy(text, buf, len + 1);
	parse_text(files, &sc, text, len, d);
	free(text);
	cfg = load_files(files, 1, &sc, reg, flags, d, errors0);
	schema_free(&sc);
	return cfg;
}
