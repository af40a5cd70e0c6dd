/* SPDX-License-Identifier: ISC */
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

#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/config_int.h"

#define INHERIT_DEFAULT	"{\"\\001inherit\"}"
#define PARSE_MSG_MAX	160	/* a message of libconfuse's we cannot take apart */

/* libconfuse keeps no line per option; these are noted while it parses. */
struct mark {			/* an option's line */
	int opt;		/* index into the section's option array */
	int line;
};

struct run {			/* one section's marks */
	const cfg_t *sec;
	int line;		/* of its opening brace */
	size_t first, count;
};

static struct {
	const char *path;	/* NULL: not parsing */
	struct run *runs;
	size_t nruns, runs_cap;
	struct mark *marks;
	size_t nmarks, marks_cap;
	struct diag *d;
	bool oom;
} ps;

static int
mark_line(cfg_t *sec, cfg_opt_t *opt)
{
	struct run *r = ps.nruns ? &ps.runs[ps.nruns - 1] : NULL;
	int idx = (int)(opt - sec->opts);

	if (!r || r->sec != sec) {
		/* First call for a section: libconfuse is installing the list
		 * defaults at its opening brace. */
		if (array_reserve(&ps.runs, &ps.runs_cap, ps.nruns + 1, sizeof(*r)) < 0) {
			ps.oom = true;
			return 0;
		}
		r = &ps.runs[ps.nruns++];
		*r = (struct run){ .sec = sec, .line = sec->line, .first = ps.nmarks };
	}
	if (opt->nvalues == 1 && opt->values[0]->string &&
	    !strcmp(opt->values[0]->string, INHERIT))
		return 0;
	if ((opt->flags & CFGF_LIST) && r->count && ps.marks[ps.nmarks - 1].opt == idx)
		return 0;	/* the next item of the same list */
	if (array_reserve(&ps.marks, &ps.marks_cap, ps.nmarks + 1, sizeof(struct mark)) < 0) {
		ps.oom = true;
		return 0;
	}
	ps.marks[ps.nmarks++] = (struct mark){ .opt = idx, .line = sec->line };
	r->count++;
	return 0;
}

/* The line where the section titled title starts, 0 if unknown. */
static int
title_line(cfg_t *root, const char *title)
{
	cfg_t *sec = cfg_gettsec(root, "service", title);

	for (size_t i = 0; sec && i < ps.nruns; i++)
		if (ps.runs[i].sec == sec)
			return ps.runs[i].line;
	return 0;
}

/* True when every conversion in fmt is %s. */
static bool
only_strings(const char *fmt)
{
	for (const char *p = strchr(fmt, '%'); p; p = strchr(p + 2, '%'))
		if (p[1] != 's')
			return false;
	return true;
}

/* libconfuse's message with each %s in it (a token of the file, mostly)
 * cut by config_quote_token(): the file may be a link to a secret one.
 * Version 3.3 formats nothing but %s; should another conversion come, the
 * message is formatted as it is and cut as a whole. */
static void
format_cut(char *msg, size_t len, const char *fmt, va_list ap)
{
	char whole[512];
	size_t n = 0;

	if (!only_strings(fmt)) {
		vsnprintf(whole, sizeof(whole), fmt, ap);
		config_quote(whole, PARSE_MSG_MAX, msg, len);
		return;
	}
	msg[0] = '\0';
	for (const char *p = fmt; *p && n < len; p++) {
		if (p[0] == '%') {
			n += (size_t)snprintf(msg + n, len - n, "%s",
					      config_quote_token(va_arg(ap, const char *)));
			p++;
		} else {
			n += (size_t)snprintf(msg + n, len - n, "%c", *p);
		}
	}
}

static void
parse_error(cfg_t *cfg, const char *fmt, va_list ap)
{
	char msg[512];

	if (cfg && ps.path && !strcmp(fmt, "found duplicate title '%s'")) {
		/* Said as for duplicates across files. */
		const char *title = va_arg(ap, const char *);

		snprintf(msg, sizeof(msg), "duplicate service '%s' (first declared at %s:%d)",
			 config_quote_id(title), ps.path, title_line(cfg, title));
	} else {
		format_cut(msg, sizeof(msg), fmt, ap);
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
		const char *name = config_opt(id)->name;

		if (!(config_opt(id)->scope & scope))
			continue;
		if (config_opt(id)->list)
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

/* Prepares text for libconfuse, which has three blind spots: a NUL byte
 * ends its input without a word, so any NUL is an error here; version 3.3
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

		if (c == '\0') {
			/* libconfuse would stop at it, silently: in a value the
			 * rest is lost, elsewhere the rest of the file. */
			diag_add(d, DIAG_ERROR, file, line, "a NUL byte: the file is damaged "
				 "or not text (truncated, or zero-filled after a crash?)");
			return -1;
		}
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

static int
option_line(const struct run *r, int idx, int *earlier)
{
	int line = 0;

	*earlier = 0;
	for (size_t i = r->count; i > 0; i--) {
		if (ps.marks[r->first + i - 1].opt != idx)
			continue;
		if (line) {
			*earlier = ps.marks[r->first + i - 1].line;
			break;
		}
		line = ps.marks[r->first + i - 1].line;
	}
	return line ? line : r->line;
}

/* Copying a cfg_t into one pfile block: counted first (buf NULL), then
 * filled. The block holds the pfile, the sections, the options, the item
 * pointers and the strings, in that order. */
struct flat {
	struct pfile *pf;
	size_t nsecs, nopts, nitems, nchars;
	const char **items;
	char *chars;
};

static char *
flat_str(struct flat *fl, const char *s)
{
	size_t n = strlen(s) + 1;
	char *p = fl->chars;

	fl->nchars += n;
	if (!p)
		return NULL;
	fl->chars += n;
	return memcpy(p, s, n);
}

/* One option as written: the INHERIT marker in front of a list means
 * "appended to" and is left out; nothing written leaves no option. */
static void
flat_opt(struct flat *fl, const cfg_opt_t *o, enum opt_id id, const struct run *r, int line,
	 int idx)
{
	bool list = config_opt(id)->list;
	size_t skip = 0;
	struct popt *po;

	if (o->nvalues == 0 && !list)
		return;
	if (o->nvalues > 0 && list && !strcmp(o->values[0]->string, INHERIT)) {
		if (o->nvalues == 1)
			return;		/* not written: inherited */
		skip = 1;
	}
	po = fl->pf ? &fl->pf->opts[fl->nopts] : NULL;
	fl->nopts++;
	if (po) {
		*po = (struct popt){ .id = id, .line = line, .append = skip, .n = o->nvalues - skip,
				     .items = fl->items + fl->nitems };
		if (r)
			po->line = option_line(r, idx, &po->earlier);
	}
	for (size_t k = skip; k < o->nvalues; k++) {
		char *v = flat_str(fl, o->values[k]->string);

		if (po)
			po->items[k - skip] = v;
	}
	fl->nitems += o->nvalues - skip;
}

static void
flat_sec(struct flat *fl, cfg_t *sec, bool is_service, const enum opt_id *ids)
{
	/* the lines of the section: its own, and each option's (last written) */
	const struct run *r = bsearch(&(struct run){ .sec = sec }, ps.runs, ps.nruns,
				      sizeof(*r), cmp_run);
	struct psec *s = fl->pf ? &fl->pf->secs[fl->nsecs] : NULL;
	const char *title = is_service ? flat_str(fl, cfg_title(sec)) : NULL;

	if (s)
		*s = (struct psec){ .title = title, .line = r ? r->line : sec->line,
				    .first = fl->nopts };
	fl->nsecs++;
	for (int i = 0; sec->opts[i].name; i++)
		flat_opt(fl, &sec->opts[i], ids[i], r, s ? s->line : 0, i);
	if (s)
		s->count = fl->nopts - s->first;
}

static void
flat_walk(struct flat *fl, cfg_t *cfg, const struct schema *sc)
{
	unsigned nd = cfg_size(cfg, "defaults"), ns = cfg_size(cfg, "service");

	fl->nsecs = fl->nopts = fl->nitems = fl->nchars = 0;
	for (unsigned k = 0; k < nd; k++)
		flat_sec(fl, cfg_getnsec(cfg, "defaults", k), false, sc->def_ids);
	for (unsigned k = 0; k < ns; k++)
		flat_sec(fl, cfg_getnsec(cfg, "service", k), true, sc->svc_ids);
	if (fl->pf)
		fl->pf->ndefaults = nd;
}

static struct pfile *
flatten(cfg_t *cfg, const struct schema *sc)
{
	struct flat fl = { 0 };
	size_t size;
	char *p;

	flat_walk(&fl, cfg, sc);
	size = sizeof(struct pfile) + fl.nsecs * sizeof(struct psec) +
	       fl.nopts * sizeof(struct popt) + fl.nitems * sizeof(char *) + fl.nchars;
	p = malloc(size);
	if (!p)
		return NULL;
	fl.pf = (struct pfile *)p;
	fl.pf->secs = (struct psec *)(p + sizeof(struct pfile));
	fl.pf->opts = (struct popt *)(fl.pf->secs + fl.nsecs);
	fl.pf->nsecs = fl.nsecs;
	fl.items = (const char **)(fl.pf->opts + fl.nopts);
	fl.chars = (char *)(fl.items + fl.nitems);
	flat_walk(&fl, cfg, sc);
	return fl.pf;
}

static void
parse_state_reset(void)
{
	free(ps.runs);
	free(ps.marks);
	memset(&ps, 0, sizeof(ps));
}

/* libconfuse's part: text to cfg_t, with the lines noted in ps. */
static cfg_t *
parse_cfg(const char *path, const struct schema *sc, char *text, size_t len, struct diag *d)
{
	cfg_t *cfg;
	FILE *fp;
	int rc;

	ps.path = path;
	ps.d = d;
	cfg = cfg_init((cfg_opt_t *)sc->root, CFGF_NONE);
	if (!cfg || !(cfg->filename = strdup(path))) {
		diag_add(d, DIAG_ERROR, path, 0, "out of memory");
		cfg_free(cfg);	/* NULL: EINVAL, nothing else */
		return NULL;
	}
	cfg_set_error_function(cfg, parse_error);
	if (len == 0)
		return cfg;	/* fmemopen refuses empty buffers; nothing to parse */
	fp = fmemopen(text, len, "r");
	if (!fp) {
		diag_add(d, DIAG_ERROR, path, 0, "fmemopen: %s", strerror(errno));
		cfg_free(cfg);
		return NULL;
	}
	rc = cfg_parse_fp(cfg, fp);
	fclose(fp);
	if (ps.oom)
		diag_add(d, DIAG_ERROR, path, 0, "out of memory");
	if (rc != CFG_SUCCESS || ps.oom) {
		cfg_free(cfg);
		return NULL;
	}
	if (ps.nruns)	/* qsort wants a non-NULL base even for 0 items */
		qsort(ps.runs, ps.nruns, sizeof(*ps.runs), cmp_run);
	return cfg;
}

struct pfile *
config_parse_text(const char *path, const struct schema *sc, char *text, size_t len,
		  struct diag *d)
{
	struct pfile *pf = NULL;
	cfg_t *cfg;

	if (prescan(text, len, path, d) < 0)
		return NULL;
	cfg = parse_cfg(path, sc, text, len, d);
	if (cfg) {
		pf = flatten(cfg, sc);
		if (!pf)
			diag_add(d, DIAG_ERROR, path, 0, "out of memory");
		cfg_free(cfg);
	}
	parse_state_reset();
	return pf;
}
