/* SPDX-License-Identifier: ISC */
/* convert: the model, service identities and the portier text, shared by the
 * xinetd and inetd readers (convert_xinetd.c, convert_inetd.c). */
#include "autoconf.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "convert/convert.h"
#include "convert/convert_int.h"

/* Debian's tcpd looks up a relative daemon name here (REAL_DAEMON_DIR) */
#define TCPD_DAEMON_DIR "/usr/sbin"

const char *const cv_rlimit_names[CV_RL_COUNT] = {
	"rlimit_as", "rlimit_cpu", "rlimit_data", "rlimit_files", "rlimit_stack",
};

/* The services portier provides itself (type = internal). */
static const char *const builtins[] = {
	"echo", "discard", "daytime", "chargen", "time", "tcpmux", NULL,
};

void
cv_oom(void)
{
	fputs("portierctl: out of memory\n", stderr);
	abort();
}

void *
cv_alloc(size_t n)
{
	void *p = calloc(1, n ? n : 1);

	if (!p)
		cv_oom();
	return p;
}

char *
cv_strdup(const char *s)
{
	char *p = strdup(s);

	if (!p)
		cv_oom();
	return p;
}

char *
cv_vprintf(const char *fmt, va_list ap)
{
	char *p;

	if (vasprintf(&p, fmt, ap) < 0)
		cv_oom();
	return p;
}

char *
cv_printf(const char *fmt, ...)
{
	va_list ap;
	char *p;

	va_start(ap, fmt);
	p = cv_vprintf(fmt, ap);
	va_end(ap);
	return p;
}

void *
cv_grow(void *arr, size_t *alloc, size_t need, size_t size)
{
	if (array_reserve(&arr, alloc, need, size) < 0)
		cv_oom();
	return arr;
}

void
cv_strv_push_own(struct cv_strv *s, char *x)
{
	s->v = cv_grow(s->v, &s->alloc, s->n + 2, sizeof(*s->v));
	s->v[s->n++] = x;
	s->v[s->n] = NULL;
}

void
cv_strv_push(struct cv_strv *s, const char *x)
{
	cv_strv_push_own(s, cv_strdup(x));
}

bool
cv_strv_has(const struct cv_strv *s, const char *x)
{
	for (size_t i = 0; i < s->n; i++)
		if (!strcmp(s->v[i], x))
			return true;
	return false;
}

/* Removes every copy of x, as xinetd's `-=` does. */
void
cv_strv_remove(struct cv_strv *s, const char *x)
{
	size_t j = 0;

	for (size_t i = 0; i < s->n; i++) {
		if (!strcmp(s->v[i], x))
			free(s->v[i]);
		else
			s->v[j++] = s->v[i];
	}
	s->n = j;
	if (s->v)
		s->v[j] = NULL;
}

void
cv_strv_copy(struct cv_strv *dst, const struct cv_strv *src)
{
	for (size_t i = 0; i < src->n; i++)
		cv_strv_push(dst, src->v[i]);
}

void
cv_strv_free(struct cv_strv *s)
{
	for (size_t i = 0; i < s->n; i++)
		free(s->v[i]);
	free(s->v);
	memset(s, 0, sizeof(*s));
}

char *
cv_strv_join(const struct cv_strv *s, const char *sep)
{
	char *t = cv_strdup("");

	for (size_t i = 0; i < s->n; i++) {
		char *more = cv_printf("%s%s%s", t, i ? sep : "", s->v[i]);

		free(t);
		t = more;
	}
	return t;
}

void
cv_strv_split(struct cv_strv *s, const char *line)
{
	const char *p = line;

	for (;;) {
		while (*p == ' ' || *p == '\t')
			p++;
		if (!*p)
			return;
		size_t len = strcspn(p, " \t");

		cv_strv_push_own(s, cv_printf("%.*s", (int)len, p));
		p += len;
	}
}

void
cv_strv_lines(struct cv_strv *s, const char *buf)
{
	for (const char *p = buf; *p; ) {
		size_t len = strcspn(p, "\n");
		char *line = cv_printf("%.*s", (int)len, p);

		if (len && line[len - 1] == '\r')
			line[len - 1] = '\0';
		cv_strv_push_own(s, line);
		p += len + (p[len] == '\n');
	}
}

bool
cv_in_list(const char *const *list, const char *s)
{
	for (size_t i = 0; list[i]; i++)
		if (!strcmp(list[i], s))
			return true;
	return false;
}

const char *
cv_basename(const char *path)
{
	const char *b = strrchr(path, '/');

	return b ? b + 1 : path;
}

struct cv_svc *
cv_svc_new(const char *name, const char *file, int line)
{
	struct cv_svc *s = cv_alloc(sizeof(*s));

	s->name = cv_strdup(name);
	s->file = cv_strdup(file);
	s->line = line;
	s->disable = -1;
	s->wait = -1;
	return s;
}

void
cv_svc_free(struct cv_svc *s)
{
	if (!s)
		return;
	free(s->id);
	free(s->name);
	free(s->xid);
	free(s->file);
	cv_strv_free(&s->bind);
	free(s->user);
	free(s->group);
	free(s->server);
	cv_strv_free(&s->args);
	cv_strv_free(&s->env.v);
	cv_strv_free(&s->passenv.v);
	free(s->instances);
	free(s->per_source);
	free(s->max_load);
	cv_strv_free(&s->only_from.v);
	cv_strv_free(&s->no_access.v);
	cv_strv_free(&s->access_times.v);
	cv_strv_free(&s->log_success.v);
	cv_strv_free(&s->log_failure.v);
	free(s->nice);
	free(s->umask);
	for (int i = 0; i < CV_RL_COUNT; i++)
		free(s->rlimit[i]);
	free(s->banner);
	free(s->banner_success);
	free(s->banner_fail);
	free(s->socket_mode);
	free(s->log_facility);
	cv_strv_free(&s->notes);
	free(s);
}

const char *
cv_proto(const struct cv_svc *s)
{
	if (s->unix_socket)
		return "tcp";	/* a stream, or comments: no /udp in its id */
	if (s->protocol)
		return s->protocol;
	if (s->socket_type && !strcmp(s->socket_type, "dgram"))
		return "udp";
	return "tcp";
}

char *
cv_natural_id(const struct cv_svc *s)
{
	if (!strcmp(cv_proto(s), "udp"))
		return cv_printf("%s/udp", s->name);
	return cv_strdup(s->name);
}

/* portier hands a datagram socket to one handler at a time; an internal
 * service answers datagrams itself and a stream one never waits. */
void
cv_fit_wait(struct cv_svc *s, struct diag *d, const char *daemon)
{
	bool dgram = s->socket_type && !strcmp(s->socket_type, "dgram");

	if (s->wait < 0 || s->wait == dgram)
		return;
	if (s->internal) {
		cv_note(s, "wait = %s: internal %s services take wait = %s in portier (the "
			"same service)", s->wait ? "yes" : "no", s->socket_type,
			dgram ? "yes" : "no");
		s->wait = dgram;
	} else if (dgram) {
		cv_lost(s, d, s->line,
			"wait = no on a datagram socket: portier gives the socket to one "
			"handler at a time (wait = yes); %s started one per datagram", daemon);
		s->wait = 1;
	}
}

void
cv_fit_argv0(struct cv_svc *s, struct diag *d, int line, const char *argv0)
{
	if (!strcmp(cv_basename(s->server), "tcpd")) {
		free(s->server);
		s->server = argv0[0] == '/' ? cv_strdup(argv0) :
			    cv_printf("%s/%s", TCPD_DAEMON_DIR, argv0);
		cv_lost(s, d, line,
			"server tcpd: converted to the daemon it runs, %s; the rules of "
			"/etc/hosts.allow and /etc/hosts.deny no longer apply: carry them "
			"into only_from and no_access", s->server);
	}
	if (strcmp(argv0, cv_basename(s->server)) && strcmp(argv0, s->server))
		cv_lost(s, d, line,
			"argv[0] was %s; portier passes the server's base name, %s",
			argv0, cv_basename(s->server));
}

/* A built-in service of that name on that socket: tcpmux is TCP only. */
bool
cv_builtin_ok(const struct cv_svc *s)
{
	bool dgram = (s->socket_type && !strcmp(s->socket_type, "dgram")) ||
		     (s->protocol && !strcmp(s->protocol, "udp"));

	return cv_in_list(builtins, s->name) && !(dgram && !strcmp(s->name, "tcpmux"));
}

void
cv_note(struct cv_svc *s, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	cv_strv_push_own(&s->notes, cv_vprintf(fmt, ap));
	va_end(ap);
}

void
cv_lost(struct cv_svc *s, struct diag *d, int line, const char *fmt, ...)
{
	va_list ap;
	char *text;

	va_start(ap, fmt);
	text = cv_vprintf(fmt, ap);
	va_end(ap);
	if (s->defaults)
		diag_add(d, DIAG_WARNING, s->file, line, "defaults: %s", text);
	else
		diag_add(d, DIAG_WARNING, s->file, line, "service %s: %s", s->name, text);
	cv_strv_push_own(&s->notes, text);
}

void
cv_set_add(struct cv_set *set, struct cv_svc *s)
{
	set->svc = cv_grow(set->svc, &set->alloc, set->count + 1, sizeof(*set->svc));
	set->svc[set->count++] = s;
}

void
cv_set_free(struct cv_set *set)
{
	cv_svc_free(set->defaults);
	for (size_t i = 0; i < set->count; i++)
		cv_svc_free(set->svc[i]);
	free(set->svc);
	memset(set, 0, sizeof(*set));
}

char *
cv_no_passenv_ids(const struct cv_set *set, size_t *n)
{
	struct cv_strv ids = { 0 };
	char *list = NULL;

	for (size_t i = 0; i < set->count; i++) {
		const struct cv_svc *s = set->svc[i];

		if (!s->commented && !s->internal && s->passenv.op == CV_NONE)
			cv_strv_push(&ids, s->id);
	}
	*n = ids.n;
	if (ids.n)
		list = cv_strv_join(&ids, ", ");
	cv_strv_free(&ids);
	return list;
}

void
convert_out_free(struct convert_out *out)
{
	for (size_t i = 0; i < out->count; i++) {
		free(out->files[i].name);
		free(out->files[i].text);
	}
	free(out->files);
	memset(out, 0, sizeof(*out));
}

void
cv_out_add(struct convert_out *out, char *name, char *text)
{
	struct convert_file *v = realloc(out->files, (out->count + 1) * sizeof(*v));

	if (!v)
		cv_oom();
	out->files = v;
	out->files[out->count].name = name;
	out->files[out->count].text = text;
	out->count++;
}

char *
convert_join(const struct convert_out *out)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&buf, &len);

	if (!fp)
		cv_oom();
	for (size_t i = 0; i < out->count; i++)
		fprintf(fp, "%s# file: %s\n%s", i ? "\n" : "",
			out->files[i].name, out->files[i].text);
	if (fclose(fp) != 0)
		cv_oom();
	return buf;
}

/* The whole file; NULL with errno set when it cannot be read. */
char *
cv_slurp(const char *path)
{
	FILE *fp = fopen(path, "r");
	char *buf = NULL;
	size_t len = 0;
	FILE *mem;
	char chunk[4096];
	size_t got;
	int err = 0;

	if (!fp)
		return NULL;
	mem = open_memstream(&buf, &len);
	if (!mem)
		cv_oom();
	while ((got = fread(chunk, 1, sizeof(chunk), fp)) > 0)
		fwrite(chunk, 1, got, mem);
	if (ferror(fp))
		err = errno ? errno : EIO;
	fclose(fp);
	if (fclose(mem) != 0)
		cv_oom();
	if (err) {
		free(buf);
		errno = err;
		return NULL;
	}
	return buf;
}

int
convert_hosts_rules(const char *path)
{
	FILE *fp = fopen(path, "r");
	char line[4096];
	int rules = 0;

	if (!fp)
		return errno == ENOENT ? 0 : -1;
	while (fgets(line, sizeof(line), fp)) {
		const char *p = line;

		while (isspace((unsigned char)*p))
			p++;
		if (*p && *p != '#')
			rules++;
	}
	if (ferror(fp))
		rules = -1;
	fclose(fp);
	return rules;
}
