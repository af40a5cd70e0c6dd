/* SPDX-License-Identifier: ISC */
/* config_apply: the converters of option values, one per kind of value
 * (a boolean, a number, a list of addresses): each takes the written
 * value, checks it, and stores it in the field its row names
 * (config_opts.c). They know no option by name: what differs between two
 * options of a kind is in their rows. */
#include "autoconf.h"

#include <limits.h>
#include <netdb.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/un.h>

#include "config/config_int.h"
#include "config/config.h"

/* Numbers and keywords go into bool or int-sized fields (int, unsigned,
 * an enum); tests/check_config_opts.c checks that every row's field is one
 * of them, and no other size is ever written to. */
void
config_store_int(void *field, size_t size, long val)
{
	if (size == sizeof(bool))
		*(bool *)field = val != 0;
	else if (size == sizeof(int))
		*(int *)field = (int)val;
	else
		abort();
}

static void
mark_set(const struct optdef *o, char *base)
{
	if (o->aux)
		*(bool *)(base + o->aux) = true;
}

/* "NAME: 'VALUE' is not ...": the row's complaint about a value. */
static void
bad_value(struct loader *ld, struct build *b, const struct optdef *o, const struct optval *v,
	  const char *s)
{
	config_err(ld, b, v->id, "%s: '%s' %s", o->name, config_quote_token(s), o->why);
}

void
config_apply_bool(struct loader *ld, struct build *b, const struct optdef *o,
		  char *base, const struct optval *v)
{
	if (cval_bool(v->items[0], (bool *)(base + o->off)) < 0)
		bad_value(ld, b, o, v, v->items[0]);
}

void
config_apply_int(struct loader *ld, struct build *b, const struct optdef *o,
		 char *base, const struct optval *v)
{
	long val;

	if (cval_int(v->items[0], o->min, o->max, &val) < 0) {
		config_err(ld, b, v->id, "%s: '%s' is not a number from %ld to %ld",
			   o->name, config_quote_token(v->items[0]), o->min, o->max);
		return;
	}
	config_store_int(base + o->off, o->size, val);
	mark_set(o, base);
}

void
config_apply_limit(struct loader *ld, struct build *b, const struct optdef *o,
		   char *base, const struct optval *v)
{
	if (cval_limit(v->items[0], (int *)(base + o->off)) < 0)
		bad_value(ld, b, o, v, v->items[0]);
}

void
config_apply_float(struct loader *ld, struct build *b, const struct optdef *o,
		   char *base, const struct optval *v)
{
	if (cval_float(v->items[0], (double *)(base + o->off)) < 0)
		bad_value(ld, b, o, v, v->items[0]);
}

void
config_apply_umask(struct loader *ld, struct build *b, const struct optdef *o,
		   char *base, const struct optval *v)
{
	if (cval_umask(v->items[0], (mode_t *)(base + o->off)) < 0)
		bad_value(ld, b, o, v, v->items[0]);
	else
		mark_set(o, base);
}

void
config_apply_time(struct loader *ld, struct build *b, const struct optdef *o,
		  char *base, const struct optval *v)
{
	if (cval_time(v->items[0], (time_t *)(base + o->off)) < 0)
		bad_value(ld, b, o, v, v->items[0]);
}

/* The row's word s (any case) in *val; else false, with the words in
 * choices, comma-separated. */
static bool
find_word(const struct optdef *o, const char *s, int *val, char *choices, size_t len)
{
	size_t n = 0;

	choices[0] = '\0';
	for (const struct opt_word *w = o->words; w->word; w++) {
		if (!strcasecmp(s, w->word)) {
			*val = w->val;
			return true;
		}
		if (n < len)
			n += (size_t)snprintf(choices + n, len - n, "%s%s", n ? ", " : "", w->word);
	}
	return false;
}

void
config_apply_keyword(struct loader *ld, struct build *b, const struct optdef *o,
		     char *base, const struct optval *v)
{
	char choices[64];
	int val;

	if (!find_word(o, v->items[0], &val, choices, sizeof(choices))) {
		config_err(ld, b, v->id, "%s: '%s' is not one of: %s", o->name,
			   config_quote_token(v->items[0]), choices);
		return;
	}
	config_store_int(base + o->off, o->size, val);
	mark_set(o, base);
}

void
config_apply_facility(struct loader *ld, struct build *b, const struct optdef *o,
		      char *base, const struct optval *v)
{
	int f = cval_facility(v->items[0]);

	if (f < 0)
		config_err(ld, b, v->id, "%s: unknown syslog facility '%s'", o->name,
			   config_quote_token(v->items[0]));
	else
		config_store_int(base + o->off, o->size, f);
}

static int
replace_string(char **f, const char *s)
{
	char *n = strdup(s);

	if (!n)
		return -1;
	free(*f);
	*f = n;
	return 0;
}

/* A string through the row's check. */
static void
set_string(struct loader *ld, struct build *b, const struct optdef *o, const struct optval *v,
	   char **field, const char *s)
{
	const char *why = o->check(s);

	if (why)
		config_err(ld, b, v->id, "%s: '%s' %s", o->name, config_quote_token(s), why);
	else if (replace_string(field, s) < 0)
		config_err(ld, b, v->id, "out of memory");
}

void
config_apply_string(struct loader *ld, struct build *b, const struct optdef *o,
		    char *base, const struct optval *v)
{
	set_string(ld, b, o, v, (char **)(base + o->off), v->items[0]);
}

/* In a service, whom its handlers run as; in defaults, whom those of
 * services without one run as: daemon_settings.default_user, whose
 * origin is kept to report an unknown default user at each service. */
void
config_apply_user(struct loader *ld, struct build *b, const struct optdef *o,
		  char *base, const struct optval *v)
{
	if (!b->is_defaults || o->check(v->items[0])) {
		config_apply_string(ld, b, o, base, v);
		return;
	}
	ld->default_user_at = b->at[v->id];
	b->at[v->id].file = NULL;
	set_string(ld, b, o, v, &ld->settings.default_user, v->items[0]);
}

void
config_apply_control_socket(struct loader *ld, struct build *b, const struct optdef *o,
			    char *base, const struct optval *v)
{
	const char *s = v->items[0];

	if (*s && s[0] != '/')
		config_err(ld, b, v->id, "%s: '%s' is not an absolute path", o->name,
			   config_quote_token(s));
	else if (strlen(s) >= sizeof(((struct sockaddr_un *)0)->sun_path))
		config_err(ld, b, v->id, "%s: path is too long for a socket", o->name);
	else if (replace_string((char **)(base + o->off), s) < 0)
		config_err(ld, b, v->id, "out of memory");
}

void
config_apply_strlist(struct loader *ld, struct build *b, const struct optdef *o,
		     char *base, const struct optval *v)
{
	char ***f = (char ***)(base + o->off);

	if (!v->append) {
		strv_free(*f);
		*f = NULL;
	}
	for (size_t i = 0; i < v->n; i++) {
		const char *why = o->check ? o->check(v->items[i]) : NULL;

		if (why) {
			config_err(ld, b, v->id, "%s: '%s' %s", o->name, config_quote_token(v->items[i]),
				   why);
			continue;
		}
		if (strv_push(f, v->items[i]) < 0) {
			config_err(ld, b, v->id, "out of memory");
			return;
		}
	}
}

/* A name given again replaces what was inherited, but twice in one
 * assignment is a mistake. */
void
config_apply_env(struct loader *ld, struct build *b, const struct optdef *o,
		 char *base, const struct optval *v)
{
	char ***f = (char ***)(base + o->off);
	size_t inherited;

	if (!v->append) {
		strv_free(*f);
		*f = NULL;
	}
	inherited = strv_len(*f);
	for (size_t i = 0; i < v->n; i++) {
		const char *s = v->items[i], *eq = strchr(s, '=');
		size_t k, len = eq ? (size_t)(eq - s) : 0;
		char **env = *f;

		if (!eq || !cval_env_name(s, len)) {
			bad_value(ld, b, o, v, s);
			continue;
		}
		for (k = 0; env && env[k]; k++)
			if (!strncmp(env[k], s, len + 1))
				break;
		if (env && env[k] && k >= inherited)
			config_err(ld, b, v->id, "%s: %.*s%s is set twice", o->name,
				   (int)(len < CONFIG_QUOTE_MAX ? len : CONFIG_QUOTE_MAX), s,
				   len > CONFIG_QUOTE_MAX ? "..." : "");
		else if (env && env[k] ? replace_string(&env[k], s) < 0 : strv_push(f, s) < 0)
			config_err(ld, b, v->id, "out of memory");
	}
}

/* Appends e (the row's elem bytes) to the array at the field, its count
 * at the row's aux; false when out of memory (said). */
static bool
push_elem(struct loader *ld, struct build *b, const struct optdef *o, char *base,
	  const struct optval *v, const void *e)
{
	void **arr = (void **)(base + o->off);
	size_t *n = (size_t *)(base + o->aux);
	char *p = realloc(*arr, (*n + 1) * o->elem);

	if (!p) {
		config_err(ld, b, v->id, "out of memory");
		return false;
	}
	*arr = p;
	memcpy(p + (*n)++ * o->elem, e, o->elem);
	return true;
}

static void
clear_array(const struct optdef *o, char *base)
{
	free(*(void **)(base + o->off));
	*(void **)(base + o->off) = NULL;
	*(size_t *)(base + o->aux) = 0;
}

void
config_apply_bind(struct loader *ld, struct build *b, const struct optdef *o,
		  char *base, const struct optval *v)
{
	if (!v->append)
		clear_array(o, base);
	for (size_t i = 0; i < v->n; i++) {
		struct sockaddr_storage ss;

		if (cval_bind_addr(v->items[i], &ss) < 0)
			bad_value(ld, b, o, v, v->items[i]);
		else if (!push_elem(ld, b, o, base, v, &ss))
			return;
	}
}

void
config_apply_windows(struct loader *ld, struct build *b, const struct optdef *o,
		     char *base, const struct optval *v)
{
	if (!v->append)
		clear_array(o, base);
	for (size_t i = 0; i < v->n; i++) {
		struct time_window w;

		if (cval_time_window(v->items[i], &w) < 0)
			bad_value(ld, b, o, v, v->items[i]);
		else if (!push_elem(ld, b, o, base, v, &w))
			return;
	}
}

void
config_apply_cps(struct loader *ld, struct build *b, const struct optdef *o,
		 char *base, const struct optval *v)
{
	long rate, wait;

	if (v->append || v->n != 2) {
		config_err(ld, b, v->id, "%s: needs exactly two numbers: %s = { RATE, SECONDS }",
			   o->name, o->name);
		return;
	}
	if (cval_int(v->items[0], 0, INT_MAX, &rate) < 0 ||
	    cval_int(v->items[1], o->min, o->max, &wait) < 0 || (rate > 0 && wait == 0)) {
		config_err(ld, b, v->id,
			   "%s: '%s, %s' is not a rate of 0 (off) or more connections and a wait of 1 to %ld seconds",
			   o->name, config_quote_token(v->items[0]), config_quote_token(v->items[1]),
			   o->max);
		return;
	}
	config_store_int(base + o->off, o->size, rate);
	config_store_int(base + o->aux, sizeof(int), wait);
}

static int
push_rule(struct addr_list *l, const struct addr_rule *r)
{
	struct addr_rule *p = realloc(l->rules, (l->count + 1) * sizeof(*r));

	if (!p)
		return -1;
	l->rules = p;
	p[l->count++] = *r;
	return 0;
}

/* A host name becomes one rule per address, resolved now, once: the
 * daemon never does DNS in the accept path. */
static void
resolve_host(struct loader *ld, struct build *b, const struct optdef *o, const struct optval *v,
	     const char *host, struct addr_list *l)
{
	struct addrinfo hints = { .ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM };
	struct addrinfo *res, *ai;
	int rc = getaddrinfo(host, NULL, &hints, &res);

	if (rc != 0) {
		bool hard = !(ld->flags & CONFIG_NO_FS_CHECKS) && !b->s.disabled;

		config_report(ld, b, v->id, hard ? DIAG_ERROR : DIAG_WARNING,
			      "%s: cannot resolve '%s': %s", o->name, config_quote_token(host),
			      gai_strerror(rc));
		return;
	}
	for (ai = res; ai; ai = ai->ai_next) {
		struct addr_rule r = { .family = ai->ai_family };

		if (ai->ai_family == AF_INET) {
			memcpy(r.addr, &((struct sockaddr_in *)ai->ai_addr)->sin_addr, 4);
			r.prefix = 32;
		} else if (ai->ai_family == AF_INET6) {
			memcpy(r.addr, &((struct sockaddr_in6 *)ai->ai_addr)->sin6_addr, 16);
			r.prefix = 128;
		} else {
			continue;
		}
		if (push_rule(l, &r) < 0) {
			config_err(ld, b, v->id, "out of memory");
			break;
		}
	}
	freeaddrinfo(res);
}

void
config_apply_addrs(struct loader *ld, struct build *b, const struct optdef *o,
		   char *base, const struct optval *v)
{
	struct addr_list *l = (struct addr_list *)(base + o->off);

	if (!v->append) {
		free(l->rules);
		l->rules = NULL;
		l->count = 0;
	}
	mark_set(o, base);
	for (size_t i = 0; i < v->n; i++) {
		struct addr_rule r;
		bool host_bits;

		switch (cval_addr_rule(v->items[i], &r, &host_bits)) {
		case CVAL_ADDR_BAD:
			config_err(ld, b, v->id, "%s: '%s' is not an address, CIDR block or host name",
				   o->name, config_quote_token(v->items[i]));
			break;
		case CVAL_ADDR_HOST:
			resolve_host(ld, b, o, v, v->items[i], l);
			break;
		case CVAL_ADDR_OK:
			if (host_bits)
				config_warn(ld, b, v->id, "%s: '%s' has bits set beyond /%d; they are ignored",
					    o->name, config_quote_token(v->items[i]), r.prefix);
			if (push_rule(l, &r) < 0)
				config_err(ld, b, v->id, "out of memory");
			break;
		}
	}
}

void
config_apply_logflags(struct loader *ld, struct build *b, const struct optdef *o,
		      char *base, const struct optval *v)
{
	unsigned *f = (unsigned *)(base + o->off);
	unsigned bits = v->append ? *f : 0;
	char choices[64];
	int bit;

	for (size_t i = 0; i < v->n; i++) {
		if (!find_word(o, v->items[i], &bit, choices, sizeof(choices))) {
			config_err(ld, b, v->id, "%s: '%s' is not one of %s", o->name,
				   config_quote_token(v->items[i]), choices);
			continue;
		}
		bits |= (unsigned)bit;
	}
	*f = bits;
}

void
config_apply_rlimit(struct loader *ld, struct build *b, const struct optdef *o,
		    char *base, const struct optval *v)
{
	struct rlimit_opt *f = (struct rlimit_opt *)(base + o->off);
	rlim_t val;

	if (cval_rlimit(v->items[0], o->sized, &val) < 0 || val < (rlim_t)o->min) {
		config_err(ld, b, v->id, "%s: '%s' is not %s of at least %lu, or unlimited",
			   o->name, config_quote_token(v->items[0]), o->sized ? "a size (K, M, G suffixes)" : "a number",
			   (unsigned long)o->min);
		return;
	}
	f->set = true;
	f->value = val;
}

/* { RATE, BURST }: RATE connections a second, up to three decimals (0.5:
 * one every two seconds; 0: no limit), kept in thousandths; BURST, at
 * least 1 with a rate, the connections that may come at once. */
void
config_apply_bucket(struct loader *ld, struct build *b, const struct optdef *o,
		    char *base, const struct optval *v)
{
	double rate;
	long burst;

	if (v->append || v->n != 2) {
		config_err(ld, b, v->id, "%s: needs exactly two numbers: %s = { RATE, BURST }",
			   o->name, o->name);
		return;
	}
	if (cval_float(v->items[0], &rate) < 0 || rate > o->max ||
	    (rate > 0 && rate < 0.001) ||
	    cval_int(v->items[1], o->min, o->max, &burst) < 0 || (rate > 0 && burst == 0)) {
		config_err(ld, b, v->id,
			   "%s: '%s, %s' is not a rate of 0 (off) or 0.001 to %ld connections a second and a burst of 1 to %ld",
			   o->name, config_quote_token(v->items[0]), config_quote_token(v->items[1]),
			   o->max, o->max);
		return;
	}
	config_store_int(base + o->off, o->size, (long)(rate * 1000 + 0.5));
	config_store_int(base + o->aux, sizeof(int), burst);
}
