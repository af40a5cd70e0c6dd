/* SPDX-License-Identifier: ISC */
/* convert_xinetd: reads xinetd's configuration the way xinetd's parse.c does
 * (service/defaults entries, include, includedir) into entries of
 * attributes, then hands them to convert_xattr.c and the result to
 * convert_render.c. */
#include "autoconf.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "convert/convert.h"
#include "convert/convert_int.h"

/* Files read in all, includes counted: a bound on includes that repeat
 * each other without a cycle (a file that includes another twice, which
 * includes a third twice...). A real xinetd.d has tens. */
#define XINETD_MAX_FILES 1024

/* A file or directory being read: include and includedir nest. */
struct xopen {
	dev_t dev;
	ino_t ino;
	char *path;
};

/* An include that closed a cycle: reported once however often it is met. */
struct xcycle {
	dev_t from_dev, to_dev;
	ino_t from_ino, to_ino;
};

struct xreader {
	struct diag *d;
	struct xentry **ent;
	size_t n;
	size_t alloc;
	struct xopen *stack;	/* what is being read, outermost first */
	size_t depth;
	size_t stack_alloc;
	struct xcycle *cycles;	/* back edges already reported */
	size_t ncycles;
	size_t cycles_alloc;
	size_t files;		/* files read so far */
	bool too_many;		/* XINETD_MAX_FILES reported */
};

/* One buffer, cut into lines, with a cursor. */
struct xlines {
	struct cv_strv lines;
	size_t pos;
	const char *file;
};

static void xread_file(struct xreader *r, const char *path, const char *from, int line);
static void xread_dir(struct xreader *r, const char *dir, const char *from, int line);

/* The next line that is neither blank nor a comment (xinetd's next_line);
 * *lineno gets its number. */
static const char *
next_line(struct xlines *l, int *lineno)
{
	while (l->pos < l->lines.n) {
		const char *s = l->lines.v[l->pos++];
		const char *p = s + strspn(s, " \t");

		if (*p && *p != '#') {
			*lineno = (int)l->pos;
			return s;
		}
	}
	return NULL;
}

static bool
only_char(const char *s, char c)
{
	const char *p = s + strspn(s, " \t");

	return *p == c && p[1 + strspn(p + 1, " \t")] == '\0';
}

/* xinetd's skip_entry: everything up to a line holding only '}' */
static void
skip_entry(struct xlines *l)
{
	int ln;
	const char *s;

	while ((s = next_line(l, &ln)))
		if (only_char(s, '}'))
			return;
}

static void
entry_free(struct xentry *e)
{
	for (size_t i = 0; i < e->n; i++) {
		free(e->attrs[i].name);
		cv_strv_free(&e->attrs[i].vals);
	}
	free(e->attrs);
	free(e->name);
	free(e->file);
	free(e);
}

/* "name op value..." where op is =, += or -= and may touch the first value
 * but never the name (xinetd: "needs a space before operator"). */
static int
parse_attr(struct xentry *e, const char *line, int ln, struct diag *d)
{
	struct cv_strv t = { 0 };
	struct xattr a = { .line = ln };
	const char *op;

	cv_strv_split(&t, line);
	if (strchr(t.v[0], '=')) {
		size_t len = strcspn(t.v[0], "+-=");

		diag_add(d, DIAG_ERROR, e->file, ln,
			 "attribute %.*s needs a space before its operator (xinetd skips the entry)",
			 (int)len, t.v[0]);
		cv_strv_free(&t);
		return -1;
	}
	op = t.n > 1 ? t.v[1] : "";
	if (!strncmp(op, "+=", 2) || !strncmp(op, "-=", 2)) {
		a.op = op[0];
		op += 2;
	} else if (op[0] == '=') {
		a.op = '=';
		op += 1;
	} else {
		diag_add(d, DIAG_ERROR, e->file, ln,
			 "attribute %s: no operator (=, += or -=) (xinetd skips the entry)", t.v[0]);
		cv_strv_free(&t);
		return -1;
	}
	if (*op)
		cv_strv_push(&a.vals, op);
	for (size_t i = 2; i < t.n; i++)
		cv_strv_push(&a.vals, t.v[i]);
	a.name = cv_strdup(t.v[0]);
	cv_strv_free(&t);
	e->attrs = cv_grow(e->attrs, &e->alloc, e->n + 1, sizeof(*e->attrs));
	e->attrs[e->n++] = a;
	return 0;
}

/* The body of an entry whose '{' has been read. */
static void
read_body(struct xreader *r, struct xlines *l, struct xentry *e)
{
	const char *s;
	int ln;

	while ((s = next_line(l, &ln))) {
		if (only_char(s, '}')) {
			r->ent = cv_grow(r->ent, &r->alloc, r->n + 1, sizeof(*r->ent));
			r->ent[r->n++] = e;
			return;
		}
		if (parse_attr(e, s, ln, r->d) < 0) {
			skip_entry(l);
			entry_free(e);
			return;
		}
	}
	diag_add(r->d, DIAG_ERROR, e->file, e->line,
		 "%s %s: incomplete entry (no closing '}')",
		 e->defaults ? "defaults" : "service", e->defaults ? "" : e->name);
	entry_free(e);
}

/* A path in an include: relative ones are taken from the including file's
 * directory (xinetd would take them from its working directory, /). */
static char *
relative_to(const char *path, const char *from)
{
	const char *slash = strrchr(from, '/');

	if (path[0] == '/' || !slash)
		return cv_strdup(path);
	return cv_printf("%.*s/%s", (int)(slash - from), from, path);
}

static void
read_lines(struct xreader *r, struct xlines *l)
{
	const char *s;
	int ln;

	while ((s = next_line(l, &ln))) {
		struct cv_strv t = { 0 };
		struct xentry *e;

		cv_strv_split(&t, s);
		bool svc = !strcmp(t.v[0], "service");
		bool inc = !strcmp(t.v[0], "include"), incdir = !strcmp(t.v[0], "includedir");

		if ((svc || inc || incdir) && t.n < 2) {
			diag_add(r->d, DIAG_ERROR, l->file, ln, "%s: name missing", t.v[0]);
			skip_entry(l);
		} else if (inc || incdir) {
			char *path = relative_to(t.v[1], l->file);

			if (inc)
				xread_file(r, path, l->file, ln);
			else
				xread_dir(r, path, l->file, ln);
			free(path);
		} else if (svc || !strcmp(t.v[0], "defaults")) {
			const char *brace;
			int bl;

			e = cv_alloc(sizeof(*e));
			e->defaults = !svc;
			e->name = cv_strdup(svc ? t.v[1] : "defaults");
			e->file = cv_strdup(l->file);
			e->line = ln;
			brace = next_line(l, &bl);
			if (!brace || !only_char(brace, '{')) {
				diag_add(r->d, DIAG_ERROR, l->file, ln,
					 "%s: '{' must follow on a line of its own (xinetd skips the entry)",
					 e->name);
				entry_free(e);
				skip_entry(l);
			} else {
				read_body(r, l, e);
			}
		} else {
			diag_add(r->d, DIAG_ERROR, l->file, ln,
				 "'%s': expected service, defaults, include or includedir "
				 "(xinetd skips the entry)", t.v[0]);
			skip_entry(l);
		}
		cv_strv_free(&t);
	}
}

static void
xread_buffer(struct xreader *r, const char *buf, const char *name)
{
	struct xlines l = { .file = name };

	cv_strv_lines(&l.lines, buf);
	read_lines(r, &l);
	cv_strv_free(&l.lines);
}

/* path (with st) closes a cycle when it is being read already: one error
 * per include line's edge, naming the files of the cycle in order. */
static bool
in_cycle(struct xreader *r, const char *path, const struct stat *st,
	 const char *from, int line)
{
	const struct xopen *top = r->depth ? &r->stack[r->depth - 1] : NULL;
	struct cv_strv chain = { 0 };
	size_t i;
	char *text;

	for (i = 0; i < r->depth; i++)
		if (r->stack[i].dev == st->st_dev && r->stack[i].ino == st->st_ino)
			break;
	if (i == r->depth)
		return false;
	for (size_t k = 0; k < r->ncycles; k++) {
		const struct xcycle *c = &r->cycles[k];

		if (c->from_dev == top->dev && c->from_ino == top->ino &&
		    c->to_dev == st->st_dev && c->to_ino == st->st_ino)
			return true;
	}
	r->cycles = cv_grow(r->cycles, &r->cycles_alloc, r->ncycles + 1, sizeof(*r->cycles));
	r->cycles[r->ncycles++] = (struct xcycle){
		.from_dev = top->dev, .from_ino = top->ino,
		.to_dev = st->st_dev, .to_ino = st->st_ino,
	};
	for (size_t k = i; k < r->depth; k++)
		cv_strv_push(&chain, r->stack[k].path);
	cv_strv_push(&chain, path);
	text = cv_strv_join(&chain, " -> ");
	diag_add(r->d, DIAG_ERROR, from, line, "include cycle: %s (not read again)", text);
	free(text);
	cv_strv_free(&chain);
	return true;
}

/* Puts path on the include stack: 0, or -1 when it closes a cycle and is
 * not to be read again (reported). */
static int
xpush(struct xreader *r, const char *path, const struct stat *st, const char *from, int line)
{
	if (in_cycle(r, path, st, from, line))
		return -1;
	r->stack = cv_grow(r->stack, &r->stack_alloc, r->depth + 1, sizeof(*r->stack));
	r->stack[r->depth++] = (struct xopen){ st->st_dev, st->st_ino, cv_strdup(path) };
	return 0;
}

static void
xpop(struct xreader *r)
{
	free(r->stack[--r->depth].path);
}

/* An include's path (line > 0) is said where the include is. */
static void
xread_error(struct xreader *r, const char *path, const char *from, int line,
	    const char *why)
{
	if (line)
		diag_add(r->d, DIAG_ERROR, from, line, "%s: %s", path, why);
	else
		diag_add(r->d, DIAG_ERROR, path, 0, "%s", why);
}

static void
xread_file(struct xreader *r, const char *path, const char *from, int line)
{
	struct stat st;
	char *buf;

	if (r->files >= XINETD_MAX_FILES) {
		if (!r->too_many)
			diag_add(r->d, DIAG_ERROR, from, line, "%s: more than %d files "
				 "read through include and includedir; the rest is not "
				 "read (do includes repeat each other?)", path, XINETD_MAX_FILES);
		r->too_many = true;
		return;
	}
	if (stat(path, &st) < 0) {
		xread_error(r, path, from, line, strerror(errno));
		return;
	}
	if (!S_ISREG(st.st_mode)) {
		/* a FIFO would block the reader; a directory is includedir's */
		xread_error(r, path, from, line, "not a regular file");
		return;
	}
	if (xpush(r, path, &st, from, line) < 0)
		return;
	r->files++;
	buf = cv_slurp(path);
	if (!buf)
		xread_error(r, path, from, line, strerror(errno));
	else
		xread_buffer(r, buf, path);
	free(buf);
	xpop(r);
}

/* xinetd's includedir: every file whose name has no '.' and does not end in
 * '~', in C-locale order. */
static int
includedir_filter(const struct dirent *de)
{
	size_t len = strlen(de->d_name);

	return !strchr(de->d_name, '.') && len && de->d_name[len - 1] != '~';
}

static int
c_order(const struct dirent **a, const struct dirent **b)
{
	return strcmp((*a)->d_name, (*b)->d_name);
}

static void
xread_dir(struct xreader *r, const char *dir, const char *from, int line)
{
	struct dirent **names;
	struct stat st;
	int n;

	if (stat(dir, &st) < 0) {
		xread_error(r, dir, from, line, strerror(errno));
		return;
	}
	if (xpush(r, dir, &st, from, line) < 0)
		return;
	n = scandir(dir, &names, includedir_filter, c_order);
	if (n < 0) {
		xread_error(r, dir, from, line, strerror(errno));
		xpop(r);
		return;
	}
	for (int i = 0; i < n; i++) {
		char *path = cv_printf("%s/%s", dir, names[i]->d_name);
		struct stat fst;

		if (stat(path, &fst) == 0 && S_ISREG(fst.st_mode))
			xread_file(r, path, from, line);
		free(path);
		free(names[i]);
	}
	free(names);
	xpop(r);
}

static void
apply_lists(struct cv_set *set, const struct xdefs *defs)
{
	for (size_t i = 0; i < set->count; i++) {
		struct cv_svc *s = set->svc[i];
		const char *xid = s->xid ? s->xid : s->name;
		const char *why = NULL;

		if (defs->has_enabled && !cv_strv_has(&defs->enabled, xid))
			why = "`enabled` list does not name";
		else if (cv_strv_has(&defs->disabled, xid))
			why = "`disabled` list names";
		if (why && s->disable != 1) {
			s->disable = 1;
			cv_note(s, "disabled: the defaults' %s %s", why, xid);
		}
	}
}

static void
summarize(const struct xsummary *sum, struct diag *d)
{
	if (sum->no_groups)
		diag_add(d, DIAG_WARNING, NULL, 0,
			 "%zu service(s) ran without supplementary groups under xinetd "
			 "(groups = no, its default); portier gives a handler its user's "
			 "supplementary groups", sum->no_groups);
	if (sum->unlimited)
		diag_add(d, DIAG_WARNING, NULL, 0,
			 "%zu service(s) had no instances or per_source limit under xinetd "
			 "(UNLIMITED, its default); portier's defaults are instances = 50 and "
			 "per_source = 10 (set them to UNLIMITED in the defaults to keep "
			 "xinetd's behaviour)", sum->unlimited);
}

/* After cv_finish, which gives the ids the admin will look for and turns
 * duplicates into comments. */
static void
summarize_env(const struct cv_set *set, struct diag *d)
{
	size_t n;
	char *list;

	if (set->defaults && set->defaults->passenv.op != CV_NONE)
		return;
	list = cv_no_passenv_ids(set, &n);
	if (!list)
		return;
	diag_add(d, DIAG_WARNING, NULL, 0,
		 "%zu service(s) had no passenv: xinetd passed them its whole "
		 "environment; portier starts handlers with a clean one, PATH aside "
		 "(list what they need in passenv or env): %s", n, list);
	free(list);
}

static int
convert_entries(struct xreader *r, const struct convert_opts *o,
		struct convert_out *out, struct diag *d, size_t errors_before)
{
	struct cv_set set = { 0 };
	struct xdefs defs = { .v6only = -1, .groups = -1 };
	struct xsummary sum = { 0 };

	for (size_t i = 0; i < r->n; i++) {
		if (!r->ent[i]->defaults)
			continue;
		if (defs.svc)
			diag_add(d, DIAG_ERROR, r->ent[i]->file, r->ent[i]->line,
				 "only one defaults entry is allowed (xinetd ignores this one)");
		else
			xattr_defaults(r->ent[i], &defs, d);
	}
	for (size_t i = 0; i < r->n; i++)
		if (!r->ent[i]->defaults)
			cv_set_add(&set, xattr_service(r->ent[i], &defs, &sum, d));
	apply_lists(&set, &defs);
	summarize(&sum, d);
	set.defaults = defs.svc;
	cv_finish(&set, o, out, d);
	summarize_env(&set, d);
	cv_set_free(&set);
	free(defs.bind_host);
	cv_strv_free(&defs.disabled);
	cv_strv_free(&defs.enabled);
	for (size_t i = 0; i < r->n; i++)
		entry_free(r->ent[i]);
	free(r->ent);
	free(r->stack);
	free(r->cycles);
	return d->errors > errors_before ? -1 : 0;
}

int
convert_xinetd_buffer(const char *buf, const char *name,
		      const struct convert_opts *o, struct convert_out *out,
		      struct diag *d)
{
	struct xreader r = { .d = d };
	size_t before = d->errors;

	xread_buffer(&r, buf, name);
	return convert_entries(&r, o, out, d, before);
}

int
convert_xinetd_path(const char *path, const struct convert_opts *o,
		    struct convert_out *out, struct diag *d)
{
	struct xreader r = { .d = d };
	size_t before = d->errors;
	struct stat st;

	if (stat(path, &st) < 0) {
		diag_add(d, DIAG_ERROR, path, 0, "%s", strerror(errno));
		return -1;
	}
	if (S_ISDIR(st.st_mode))
		xread_dir(&r, path, path, 0);
	else
		xread_file(&r, path, path, 0);
	return convert_entries(&r, o, out, d, before);
}
