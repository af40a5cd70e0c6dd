/* SPDX-License-Identifier: ISC */
/* config: conf.d to plain data, see config.h.
 *
 * Every *.conf is parsed by libconfuse into its own cfg_t (config_parse.c),
 * then converted here: first the (single) defaults section into a
 * template, then each service as a copy of the template with its own
 * options applied. Inheritance needs to know which options a section sets
 * and whether a list was assigned (=) or appended to (+=): scalars have no
 * libconfuse default, so "set" means "has a value"; lists default to a
 * one-element marker list, which `=` replaces and `+=` keeps in front of
 * the new items. */
#include "autoconf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config/config_int.h"

/* Applies every option that sec sets to b. */
static void
apply_section(struct loader *ld, struct build *b, const struct conf_file *f,
	      const struct psec *sec)
{
	b->sec_at = (struct origin){ f->path, sec->line };
	for (size_t i = 0; i < sec->count; i++) {
		const struct popt *o = &f->pf->opts[sec->first + i];
		struct optval val = { .id = o->id, .items = o->items, .n = o->n, .append = o->append };

		b->at[o->id] = (struct origin){ f->path, o->line };
		b->own[o->id] = true;
		b->under[o->id] = o->append ? b->wrote[o->id] : (struct written){ NULL, NULL };
		b->wrote[o->id] = (struct written){ f->path, o };
		if (o->earlier && !config_opt(o->id)->list)
			/* libconfuse keeps the last; the first would be lost unseen. */
			config_err(ld, b, o->id, "%s is set twice (also at line %d)",
				   config_opt(o->id)->name, o->earlier);
		config_opt_apply(ld, b, &val);
	}
}

void
config_free(struct config *cfg)
{
	if (!cfg)
		return;
	for (size_t i = 0; i < cfg->count; i++)
		config_service_clear(&cfg->services[i]);
	free(cfg->services);
	free(cfg->by_id);
	free(cfg->settings.default_user);
	free(cfg->settings.control_socket);
	free(cfg->settings.inetd_conf);
	free(cfg);
}

static void
apply_defaults(struct loader *ld, struct build *tmpl, const struct conf_file *files, size_t n)
{
	const struct conf_file *first = NULL;
	int first_line = 0;

	for (size_t i = 0; i < n; i++) {
		const struct pfile *pf = files[i].pf;

		for (size_t k = 0; pf && k < pf->ndefaults; k++) {
			const struct psec *sec = &pf->secs[k];

			if (first) {
				diag_add(ld->d, DIAG_ERROR, files[i].path, sec->line,
					 "a second defaults section (the first is at %s:%d)",
					 first->path, first_line);
				continue;
			}
			first = &files[i];
			first_line = sec->line;
			apply_section(ld, tmpl, &files[i], sec);
		}
	}
}

static int
add_service(struct loader *ld, struct config *cfg, bool *bad, const struct build *tmpl,
	    const struct conf_file *f, const struct psec *sec)
{
	struct build b = { 0 };

	if (config_build_copy(&b, tmpl) < 0 || !(b.s.id = strdup(sec->title)) ||
	    !(b.s.file = strdup(f->path))) {
		config_service_clear(&b.s);
		config_build_release(&b);
		return -1;
	}
	snprintf(b.what_buf, sizeof(b.what_buf), "service '%s'", config_quote_id(sec->title));
	b.what = b.what_buf;
	apply_section(ld, &b, f, sec);
	b.s.line = b.sec_at.line;
	config_finish(ld, &b);
	if (ld->show && !strcmp(b.s.id, ld->show->id))
		ld->show->fn(ld->show->shown, &b);
	bad[cfg->count] = b.bad;
	cfg->services[cfg->count++] = b.s;
	config_build_release(&b);
	return 0;
}

/* An entry of inetd_compat: what would refuse a conf.d service (its
 * server or user missing here) leaves this one out, with warnings, as
 * inetd skips a line it cannot serve; clashes with other services are
 * found later, and stay errors. */
static int
add_entry(struct loader *ld, struct config *cfg, bool *bad, const struct build *tmpl,
	  const struct conf_file *f, const struct psec *sec)
{
	struct diag *d = ld->d, own;
	int rc;

	diag_init(&own);
	ld->d = &own;
	rc = add_service(ld, cfg, bad, tmpl, f, sec);
	ld->d = d;
	if (rc == 0 && own.errors) {
		struct service *s = &cfg->services[--cfg->count];

		diag_add(&own, DIAG_WARNING, f->path, sec->line, "service '%s' left out",
			 config_quote_id(s->id));
		config_service_clear(s);
		bad[cfg->count] = false;
	}
	config_inetd_report(d, &own, f->path);
	return rc;
}

/* Converts every parsed file: defaults first, then the services of
 * conf.d, then those of the inetd.conf (inetd_compat), which the defaults
 * name. */
static struct config *
assemble(struct loader *ld, const struct conf_file *files, size_t n)
{
	struct config *cfg = calloc(1, sizeof(*cfg));
	struct conf_file *extra = NULL;
	size_t total = 0, nextra = 0;
	struct build tmpl;
	bool *bad = NULL;

	config_settings_init(&ld->settings);
	config_build_init(&tmpl, "defaults");
	tmpl.is_defaults = true;
	apply_defaults(ld, &tmpl, files, n);
	if (ld->settings.inetd_conf && config_inetd_files(ld, &extra, &nextra) < 0)
		goto oom;
	for (size_t i = 0; i < n; i++)
		total += files[i].pf ? files[i].pf->nsecs - files[i].pf->ndefaults : 0;
	for (size_t i = 0; i < nextra; i++)
		total += extra[i].pf ? extra[i].pf->nsecs - extra[i].pf->ndefaults : 0;
	bad = calloc(total + 1, sizeof(bool));
	if (cfg)
		cfg->services = calloc(total + 1, sizeof(struct service));
	if (!cfg || !bad || !cfg->services || !ld->settings.default_user ||
	    !ld->settings.control_socket || !ld->settings.inetd_conf)
		goto oom;
	for (size_t i = 0; i < n + nextra; i++) {
		const struct conf_file *f = i < n ? &files[i] : &extra[i - n];
		const struct pfile *pf = f->pf;

		for (size_t k = pf ? pf->ndefaults : 0; pf && k < pf->nsecs; k++)
			if ((i < n ? add_service : add_entry)(ld, cfg, bad, &tmpl, f,
							      &pf->secs[k]) < 0)
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
	free(ld->settings.inetd_conf);
	config_files_free(extra, nextra);
	config_service_clear(&tmpl.s);
	config_build_release(&tmpl);
	free(bad);
	return cfg;
}

static struct config *
load_files(struct conf_file *files, size_t n, const struct registry *reg, unsigned flags,
	   const struct show_hook *show, struct diag *d, size_t errors0)
{
	struct loader ld = {
		.reg = reg, .flags = flags, .d = d, .root = geteuid() == 0, .show = show,
	};
	struct config *cfg = assemble(&ld, files, n);

	config_users_free(ld.users);
	if (cfg && d->errors > errors0) {
		config_free(cfg);
		cfg = NULL;
	}
	return cfg;
}

/* Reads one file and parses it, unless the cache has the parse of these
 * very bytes. Keeps the bytes for the cache when there is one. */
static void
load_one(struct conf_file *f, const struct schema *sc, struct config_cache *cache,
	 struct diag *d)
{
	size_t len = 0;
	char *text = config_read_file(f->path, &len, d), *copy;

	if (!text)
		return;
	f->pf = config_cache_take(cache, f->path, text, len);
	if (f->pf) {
		f->text = text;
		f->len = len;
		return;
	}
	/* The parser blanks comments out in place: the cache keeps a copy. */
	copy = cache ? malloc(len + 1) : NULL;
	if (copy)
		memcpy(copy, text, len + 1);
	f->pf = config_parse_text(f->path, sc, text, len, d);
	free(text);
	if (f->pf && copy) {
		f->text = copy;
		f->len = len;
	} else {
		free(copy);
	}
}

struct config *
config_load_dir(const char *dir, const struct registry *reg, unsigned flags,
		struct config_cache *cache, const struct show_hook *show, struct diag *d)
{
	size_t errors0 = d->errors, n = 0;
	struct conf_file *files;
	struct schema sc = { 0 };
	struct config *cfg;
	size_t nheld;
	char *const *held = config_cache_held(cache, &nheld);
	char **paths = config_list_dir(dir, held, nheld, &n, d);

	if (!paths && d->errors > errors0)
		return NULL;
	files = calloc(n + 1, sizeof(*files));
	for (size_t i = 0; i < n; i++)
		if (files)
			files[i].path = paths[i];	/* the file owns it now */
		else
			free(paths[i]);
	free(paths);
	if (!files || config_schema_init(&sc) < 0) {
		diag_add(d, DIAG_ERROR, dir, 0, "out of memory");
		config_files_free(files, n);
		config_schema_free(&sc);
		return NULL;
	}
	for (size_t i = 0; i < n; i++)
		load_one(&files[i], &sc, cache, d);
	config_schema_free(&sc);
	cfg = load_files(files, n, reg, flags, show, d, errors0);
	config_cache_keep(cache, files, n, cfg != NULL);
	return cfg;
}

struct config *
config_load_cached(const char *dir, const struct registry *reg, unsigned flags,
		   struct config_cache *cache, struct diag *d)
{
	return config_load_dir(dir, reg, flags, cache, NULL, d);
}

struct config *
config_load(const char *dir, const struct registry *reg, unsigned flags, struct diag *d)
{
	return config_load_cached(dir, reg, flags, NULL, d);
}

struct config *
config_load_buffer(const char *buf, const char *name, const struct registry *reg,
		   unsigned flags, struct diag *d)
{
	size_t errors0 = d->errors;
	struct conf_file f = { .path = (char *)name };	/* the caller's, never freed here */
	char *text = strdup(buf);	/* the parser blanks comments out in place */
	struct schema sc = { 0 };
	struct config *cfg;

	if (!text || config_schema_init(&sc) < 0) {
		diag_add(d, DIAG_ERROR, name, 0, "out of memory");
		free(text);
		config_schema_free(&sc);
		return NULL;
	}
	f.pf = config_parse_text(name, &sc, text, strlen(text), d);
	free(text);
	config_schema_free(&sc);
	cfg = load_files(&f, 1, reg, flags, NULL, d, errors0);
	free(f.pf);
	return cfg;
}
