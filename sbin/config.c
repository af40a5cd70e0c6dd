/* config: conf.d to plain data, see config.h.
 *
 * Every *.conf is parsed by libconfuse into its own cfg_t (config_parse.c),
 * then converted here: first the (single) defaults section into a
 * template, then each service as a copy of the template with its own
 * options applied. Inheritance needs to
 * know which options a section sets and whether a list was assigned (=) or
 * appended to (+=): scalars have no libconfuse default, so "set" means "has
 * a value"; lists default to a one-element marker list, which `=` replaces
 * and `+=` keeps in front of the new items. */
#include "autoconf.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config_int.h"

/* Applies every option that sec sets to b. */
static void
apply_section(struct loader *ld, struct build *b, const struct conf_file *f,
	      cfg_t *sec, const enum opt_id *ids)
{
	const struct run *r = config_find_run(f, sec);
	char *items[64], **v;

	b->sec_at = (struct origin){ f->path, r ? r->line : sec->line };
	for (int i = 0; sec->opts[i].name; i++) {
		cfg_opt_t *o = &sec->opts[i];
		struct optval val = { .id = ids[i], .name = o->name, .n = o->nvalues };
		size_t skip = 0;
		int earlier = 0;

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
		b->at[ids[i]] = (struct origin){ f->path, r ? config_option_line(f, r, i, &earlier)
							    : sec->line };
		b->own[ids[i]] = true;
		if (earlier && !config_opt_is_list(ids[i]))
			/* libconfuse keeps the last; the first would be lost unseen. */
			config_err(ld, b, ids[i], "%s is set twice (also at line %d)", o->name, earlier);
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
	free(cfg);
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
			const struct run *r = config_find_run(&files[i], sec);
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
		config_service_clear(&b.s);
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
	config_service_clear(&tmpl.s);
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
		config_file_free(&files[i]);
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
	char **paths = config_list_dir(dir, &n, d);

	if (!paths && d->errors > errors0)
		return NULL;
	files = calloc(n + 1, sizeof(*files));
	if (!files || config_schema_init(&sc) < 0) {
		diag_add(d, DIAG_ERROR, dir, 0, "out of memory");
		for (size_t i = 0; i < n; i++)
			free(paths[i]);
		free(paths);
		free(files);
		config_schema_free(&sc);
		return NULL;
	}
	for (size_t i = 0; i < n; i++) {
		size_t len;
		char *text;

		files[i].path = paths[i];	/* the file owns it now */
		text = config_read_file(paths[i], &len, d);
		if (text)
			config_parse_text(&files[i], &sc, text, len, d);
		free(text);
	}
	free(paths);
	cfg = load_files(files, n, &sc, reg, flags, d, errors0);
	config_schema_free(&sc);
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

	if (!files || !text || config_schema_init(&sc) < 0 || !(files->path = strdup(name))) {
		diag_add(d, DIAG_ERROR, name, 0, "out of memory");
		free(text);
		if (files)
			free(files->path);
		free(files);
		config_schema_free(&sc);
		return NULL;
	}
	memcpy(text, buf, len + 1);
	config_parse_text(files, &sc, text, len, d);
	free(text);
	cfg = load_files(files, 1, &sc, reg, flags, d, errors0);
	config_schema_free(&sc);
	return cfg;
}
