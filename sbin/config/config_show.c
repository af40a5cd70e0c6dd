/* SPDX-License-Identifier: ISC */
/* config_show: one service's settings with their origins, for portierctl
 * show. The loader notes where each option was written (struct build's
 * wrote[] and under[]) while it assembles a service; this file turns the
 * finished build of the service asked for into text before the build is
 * dropped, so that portierd keeps nothing for it.
 *
 * A written value is shown as written, which is conf.d syntax by
 * definition (a `+=` joined to what it appended to); a value nobody wrote
 * is printed from the field, and is the built-in default when the field
 * holds what a fresh build holds, else derived by the loader. */
#include "autoconf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "config/config_int.h"

/* A word as conf.d takes it: bare when it is a plain token, else quoted. */
static void
put_word(FILE *fp, const char *s, bool quote)
{
	quote = quote || !*s || s[strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
					 "0123456789_.:@+-")];
	if (!quote) {
		fputs(s, fp);
		return;
	}
	putc('"', fp);
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			fprintf(fp, "\\%c", *s);
		else if (*s == '\n')
			fputs("\\n", fp);
		else if (*s == '\t')
			fputs("\\t", fp);
		else
			putc(*s, fp);
	}
	putc('"', fp);
}

/* One more item of a list being printed. */
static void
put_item(FILE *fp, const char *s, size_t *n)
{
	fputs((*n)++ ? ", " : "{", fp);
	put_word(fp, s, true);
}

static void
put_items(FILE *fp, const char *const *items, size_t count, size_t *n)
{
	for (size_t i = 0; i < count; i++)
		put_item(fp, items[i], n);
}

/* The keywords of the bits in flags, or the word of val. */
static const char *
word_of(const struct optdef *o, int val)
{
	for (const struct opt_word *w = o->words; w && w->word; w++)
		if (w->val == val)
			return w->word;
	return NULL;
}

static void
put_flags(FILE *fp, const struct optdef *o, unsigned flags, size_t *n)
{
	for (const struct opt_word *w = o->words; w && w->word; w++)
		if (flags & (unsigned)w->val)
			put_item(fp, w->word, n);
}

static void
put_num(FILE *fp, long long v, size_t *n)
{
	char num[32];

	snprintf(num, sizeof(num), "%lld", v);
	put_item(fp, num, n);
}

static int
field_int(const struct optdef *o, const char *base)
{
	if (o->size == sizeof(bool))
		return *(const bool *)(base + o->off);
	return *(const int *)(base + o->off);
}

/* A list's items from the field; *n stays 0 when it is empty. */
static void
put_list_field(FILE *fp, const struct optdef *o, const char *base, size_t *n)
{
	if (o->apply == config_apply_cps) {
		put_num(fp, *(const int *)(base + o->off), n);
		put_num(fp, *(const int *)(base + o->aux), n);
	} else if (o->apply == config_apply_logflags) {
		put_flags(fp, o, *(const unsigned *)(base + o->off), n);
	} else if (o->owns == OWNS_STRV) {
		char *const *v = *(char *const *const *)(base + o->off);

		for (size_t i = 0; v && v[i]; i++)
			put_item(fp, v[i], n);
	}
	/* bind, only_from, no_access, access_times: only ever written */
}

/* A scalar from the field; false when it holds no value. */
static bool
put_scalar_field(FILE *fp, const struct optdef *o, const char *base)
{
	const void *f = base + o->off;
	char buf[64];
	int v;

	if (o->aux && !*(const bool *)(base + o->aux))
		return false;	/* nice, umask: not set */
	if (o->apply == config_apply_bool) {
		fputs(*(const bool *)f ? "yes" : "no", fp);
	} else if (o->apply == config_apply_int) {
		if ((v = field_int(o, base)) == 0 && o->min > 0)
			return false;
		fprintf(fp, "%d", v);
	} else if (o->apply == config_apply_limit) {
		if ((v = field_int(o, base)) == LIMIT_UNLIMITED)
			fputs("UNLIMITED", fp);
		else
			fprintf(fp, "%d", v);
	} else if (o->apply == config_apply_float) {
		fprintf(fp, "%g", *(const double *)f);
	} else if (o->apply == config_apply_umask) {
		fprintf(fp, "%03o", (unsigned)*(const mode_t *)f);
	} else if (o->apply == config_apply_time) {
		time_t t = *(const time_t *)f;

		if (!t || !strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%SZ", gmtime(&t)))
			return false;
		fputs(buf, fp);
	} else if (o->apply == config_apply_keyword) {
		const char *w = word_of(o, field_int(o, base));

		if (!w)
			return false;
		fputs(w, fp);
	} else if (o->apply == config_apply_rlimit) {
		const struct rlimit_opt *r = f;

		if (!r->set)
			return false;
		if (r->value == RLIM_INFINITY)
			fputs("unlimited", fp);
		else
			fprintf(fp, "%llu", (unsigned long long)r->value);
	} else if (o->owns == OWNS_STRING) {
		const char *s = *(const char *const *)f;

		if (!s && !(s = o->defstr))
			return false;
		put_word(fp, s, s[0] == '/');
	} else {
		return false;
	}
	return true;
}

/* The value of field o in base (a struct build) as text; NULL when it
 * holds none. */
static char *
field_text(const struct optdef *o, const char *base, bool *oom)
{
	char *text = NULL;
	size_t len = 0, n = 0;
	FILE *fp = open_memstream(&text, &len);
	bool set;

	if (!fp) {
		*oom = true;
		return NULL;
	}
	if (o->list) {
		put_list_field(fp, o, base, &n);
		if (n)
			putc('}', fp);
		set = n > 0;
	} else {
		set = put_scalar_field(fp, o, base);
	}
	if (fclose(fp) != 0 || !text)
		*oom = true;
	if (!set || *oom) {
		free(text);
		return NULL;
	}
	return text;
}

/* A written value, joined to what a `+=` appended to. */
static char *
written_text(const struct optdef *o, const struct written *w, const struct written *under,
	     const char *builtin, bool *oom)
{
	const struct popt *first = under->o ? under->o : w->o;
	char *text = NULL;
	size_t len = 0, n = 0;
	FILE *fp = open_memstream(&text, &len);

	if (!fp) {
		*oom = true;
		return NULL;
	}
	if (!o->list) {
		put_word(fp, w->o->items[0], w->o->items[0][0] == '/');
	} else {
		if (first->append)
			put_list_field(fp, o, builtin, &n);
		if (under->o)
			put_items(fp, under->o->items, under->o->n, &n);
		put_items(fp, w->o->items, w->o->n, &n);
		fputs(n ? "}" : "{}", fp);
	}
	if (fclose(fp) != 0 || !text)
		*oom = true;
	return text;
}

static void
describe(struct config_setting *st, const struct optdef *o, enum opt_id id,
	 const struct build *b, const char *builtin, bool *oom)
{
	const struct written *w = &b->wrote[id];
	char *dflt;

	st->name = o->name;
	if (w->o) {
		st->from = b->own[id] ? FROM_SERVICE : FROM_DEFAULTS;
		st->line = w->o->line;
		if (!(st->file = strdup(w->file)))
			*oom = true;
		st->value = written_text(o, w, &b->under[id], builtin, oom);
		return;
	}
	/* socket_mode's 0660 and the like say nothing of a network service */
	if (o->unix_only && !b->s.local) {
		st->from = FROM_BUILTIN;
		return;
	}
	st->value = field_text(o, (const char *)b, oom);
	dflt = field_text(o, builtin, oom);
	st->from = (!st->value && !dflt) || (st->value && dflt && !strcmp(st->value, dflt))
		       ? FROM_BUILTIN : FROM_DERIVED;
	free(dflt);
}

static void
show_build(struct config_shown *sh, const struct build *b)
{
	struct build fresh;
	bool oom = false;

	config_shown_free(sh);
	if (!(sh->items = calloc(O_COUNT, sizeof(*sh->items)))) {
		sh->oom = true;
		return;
	}
	config_build_init(&fresh, "built-in");
	for (int id = 0; id < O_COUNT; id++) {
		const struct optdef *o = config_opt(id);

		if (!o->daemon)
			describe(&sh->items[sh->count++], o, id, b, (const char *)&fresh, &oom);
	}
	config_build_release(&fresh);
	config_service_clear(&fresh.s);
	sh->oom = oom;
}

struct config *
config_show(const char *dir, const struct registry *reg, unsigned flags, const char *id,
	    struct config_shown *shown, struct diag *d)
{
	const struct show_hook show = { .id = id, .fn = show_build, .shown = shown };

	memset(shown, 0, sizeof(*shown));
	return config_load_dir(dir, reg, flags, NULL, &show, d);
}

void
config_shown_free(struct config_shown *sh)
{
	for (size_t i = 0; i < sh->count; i++) {
		free(sh->items[i].value);
		free(sh->items[i].file);
	}
	free(sh->items);
	memset(sh, 0, sizeof(*sh));
}
