/* SPDX-License-Identifier: ISC */
/* audit_find: sockets, conf.d and portierd's status in, findings out.
 * Plain data only (the unit tests build every case by hand): no sockets
 * opened, no files read. Each finding says what is wrong in one sentence
 * and what to do in another (portierctl(8) lists them). */
#include "autoconf.h"

#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/un.h>

#include "config/config.h"
#include "ctl/audit.h"

/* portierd closes a service at its expiry on its own timer; a socket
 * seen open this long after it is past any race with our reading. */
#define AUDIT_GRACE_S 2

static const char *const severity_names[] = { "info", "warning", "critical" };

const char *
audit_severity_name(enum audit_severity s)
{
	return severity_names[s];
}

int
audit_severity_parse(const char *s, enum audit_severity *out)
{
	for (int i = AUDIT_INFO; i <= AUDIT_CRITICAL; i++)
		if (!strcmp(s, severity_names[i])) {
			*out = (enum audit_severity)i;
			return 0;
		}
	return -1;
}

void
audit_findings_free(struct audit_findings *f)
{
	for (size_t i = 0; i < f->count; i++) {
		free(f->v[i].text);
		free(f->v[i].fix);
	}
	free(f->v);
	memset(f, 0, sizeof(*f));
}

static int
add(struct audit_findings *f, enum audit_severity sev, const char *code,
    const struct audit_sock *k, const struct service *svc, const char *fix,
    const char *fmt, ...) __attribute__((format(printf, 7, 8)));

static int
add(struct audit_findings *f, enum audit_severity sev, const char *code,
    const struct audit_sock *k, const struct service *svc, const char *fix,
    const char *fmt, ...)
{
	struct audit_finding *x;
	va_list ap;
	int n;

	if (f->count == f->cap) {
		size_t cap = f->cap ? f->cap * 2 : 16;
		struct audit_finding *v = realloc(f->v, cap * sizeof(*v));

		if (!v)
			return -1;
		f->v = v;
		f->cap = cap;
	}
	x = &f->v[f->count];
	*x = (struct audit_finding){ .severity = sev, .code = code, .sock = k,
		.service = svc ? svc->id : NULL };
	x->protocol = k ? k->protocol : svc ? svc->protocol : 0;
	x->port = k ? k->port : svc ? svc->port : 0;
	va_start(ap, fmt);
	n = vasprintf(&x->text, fmt, ap);
	va_end(ap);
	x->fix = strdup(fix);
	if (n < 0 || !x->fix) {
		if (n >= 0)
			free(x->text);
		free(x->fix);
		return -1;
	}
	f->count++;
	f->by_severity[sev]++;
	return 0;
}

static bool
sock_wildcard(const struct audit_sock *k)
{
	static const uint8_t zero[16];

	if (k->family == AF_UNIX)
		return false;
	return !memcmp(k->addr, zero, k->family == AF_INET ? 4 : 16);
}

static bool
sock_loopback(const struct audit_sock *k)
{
	return config_addr_loopback(k->family, k->addr);
}

static bool
bind_equal(const struct sockaddr_storage *ss, const struct audit_sock *k)
{
	if (ss->ss_family != k->family)
		return false;
	if (k->family == AF_INET)
		return !memcmp(&((const struct sockaddr_in *)ss)->sin_addr, k->addr, 4);
	return !memcmp(((const struct sockaddr_in6 *)ss)->sin6_addr.s6_addr, k->addr, 16);
}

/* Would svc, binding its addresses, collide with k? A wildcard on either
 * side meets everything (an IPv6 wildcard also takes IPv4 by default). */
static bool
overlaps(const struct service *svc, const struct audit_sock *k)
{
	if (svc->tcpmux || svc->local || svc->port != k->port || svc->protocol != k->protocol)
		return false;
	if (svc->nbind == 0 || sock_wildcard(k))
		return true;
	for (size_t i = 0; i < svc->nbind; i++)
		if (bind_equal(&svc->bind[i], k))
			return true;
	return false;
}

static bool
unix_path_equal(const struct sockaddr_storage *ss, const struct audit_sock *k)
{
	const struct sockaddr_un *un = (const struct sockaddr_un *)ss;

	return ss->ss_family == AF_UNIX &&
	    !strncmp(un->sun_path, k->path, sizeof(un->sun_path));
}

/* The service a socket of portierd's belongs to: the one naming its
 * address, else one binding every address on its port (bind_each_address
 * too: one socket per address, its bind only wildcards). */
static const struct service *
sock_service(const struct config *cfg, const struct audit_sock *k)
{
	const struct service *any = NULL;

	for (size_t i = 0; cfg && i < cfg->count; i++) {
		const struct service *s = &cfg->services[i];

		if (k->family == AF_UNIX) {
			if (s->local && s->nbind && unix_path_equal(&s->bind[0], k))
				return s;
			continue;
		}
		if (s->tcpmux || s->local || s->port != k->port || s->protocol != k->protocol)
			continue;
		for (size_t b = 0; b < s->nbind; b++)
			if (bind_equal(&s->bind[b], k))
				return s;
		if ((s->nbind == 0 || (s->bind_each_address && config_binds_family(s, k->family))) &&
		    !any)
			any = s;
	}
	return any;
}

static const struct audit_state *
find_state(const struct audit_input *in, const char *id)
{
	for (size_t i = 0; i < in->nstates; i++)
		if (!strcmp(in->states[i].id, id))
			return &in->states[i];
	return NULL;
}

/* Offered according to the files: enabled, not expired, a socket of its
 * own (a port, or a unix path). */
static bool
declared_on(const struct service *s, time_t now)
{
	return !s->disabled && !s->tcpmux && (!s->expires || s->expires > now);
}

static bool
held_by(const struct audit_sock *k, pid_t pid)
{
	for (unsigned i = 0; i < k->npids && i < AUDIT_MAX_PIDS; i++)
		if (k->pids[i] == pid)
			return true;
	return false;
}

/* portier, its service and state; the registry's name. */
static void
name_socket(const struct audit_input *in, struct audit_sock *k)
{
	const struct reg_entry *e = in->reg && k->family != AF_UNIX ? registry_lookup_port(in->reg, k->port,
	    k->protocol == IPPROTO_UDP ? REG_UDP : REG_TCP) : NULL;
	const struct service *svc;
	const struct audit_state *st;

	k->reg_name = e ? e->name : NULL;
	k->portier = in->daemon_pid ? held_by(k, in->daemon_pid) :
	    !strcmp(k->command, "portierd");
	svc = k->portier ? sock_service(in->cfg, k) : NULL;
	if (!svc)
		return;
	k->service = svc->id;
	k->expires = svc->expires;
	st = find_state(in, svc->id);
	k->state = st ? st->state : svc->disabled ? "disabled" : "listening";
	k->until = st ? st->until : 0;
}

static const char *
who(const struct audit_sock *k, char *buf, size_t len)
{
	if (k->npids)
		snprintf(buf, len, "%s (pid %d, user %s)", k->command[0] ? k->command : "?",
			 (int)k->pids[0], k->user);
	else
		snprintf(buf, len, "a process we cannot see (socket uid %u)", (unsigned)k->uid);
	return buf;
}

/* A door portierd should have shut: past expires, past open --for, or
 * open while its status says it is closed. */
static bool
open_too_long(const struct audit_sock *k, const struct service *svc, time_t now)
{
	if (svc->expires && svc->expires + AUDIT_GRACE_S <= now)
		return true;
	if (k->state && !strcmp(k->state, "open") && k->until &&
	    k->until + AUDIT_GRACE_S <= now)
		return true;
	return k->state && (!strcmp(k->state, "expired") || !strncmp(k->state, "disabled", 8));
}

/* "127.0.0.1:22/tcp", "unix:/run/x" */
static const char *
where(const struct audit_sock *k, char *buf, size_t len)
{
	char a[AUDIT_ADDR_MAX];

	audit_addr_str(k, a, sizeof(a));
	if (k->family == AF_UNIX)
		snprintf(buf, len, "%s", a);
	else
		snprintf(buf, len, "%s:%u/%s", a, k->port, audit_proto_name(k->protocol));
	return buf;
}

static int
portier_socket(const struct audit_input *in, const struct audit_sock *k,
	       struct audit_findings *f)
{
	/* no service: portierd's own (its control socket) */
	const struct service *svc = k->service ? config_find(in->cfg, k->service) : NULL;
	char a[AUDIT_ADDR_MAX], w[AUDIT_ADDR_MAX + 16];

	if (!svc)
		return 0;
	audit_addr_str(k, a, sizeof(a));
	if (open_too_long(k, svc, in->now) &&
	    add(f, AUDIT_CRITICAL, "open-after-expiry", k, svc,
		"portierctl close (or disable) it now, and report this as a bug in portier",
		"service %s is still listening on %s after its %s", svc->id,
		where(k, w, sizeof(w)), svc->expires && svc->expires <= in->now ?
		"expires time" : "open period") < 0)
		return -1;
	/* a unix socket is reachable from this host alone */
	if (k->family != AF_UNIX && config_cleartext(svc) && !sock_loopback(k) &&
	    add(f, config_admits_everyone(svc) ? AUDIT_CRITICAL : AUDIT_WARNING, "cleartext",
		k, svc, config_admits_everyone(svc) ?
		"set only_from to the networks that need it, or bind it to loopback" :
		"prefer an encrypted protocol (ssh, imaps, pop3s) and disable this one",
		"service %s (%s, clear text) is reachable on %s:%u/%s%s", svc->id, svc->name,
		a, k->port, audit_proto_name(k->protocol),
		config_admits_everyone(svc) ? " by everyone" : "") < 0)
		return -1;
	return 0;
}

/* The first service declared on k's port that k keeps from binding. */
static const struct service *
blocked_service(const struct audit_input *in, const struct audit_sock *k)
{
	for (size_t i = 0; in->cfg && i < in->cfg->count; i++)
		if (declared_on(&in->cfg->services[i], in->now) &&
		    overlaps(&in->cfg->services[i], k))
			return &in->cfg->services[i];
	return NULL;
}

static int
foreign_socket(const struct audit_input *in, const struct audit_sock *k,
	       struct audit_findings *f)
{
	const struct service *svc = blocked_service(in, k);
	const char *proto = audit_proto_name(k->protocol);
	char a[AUDIT_ADDR_MAX], w[96], fix[256];

	/* another program's unix socket: the host's own business */
	if (k->family == AF_UNIX)
		return 0;
	audit_addr_str(k, a, sizeof(a));
	who(k, w, sizeof(w));
	if (svc) {
		snprintf(fix, sizeof(fix), "stop %s, or move service %s to another port",
			 k->command[0] ? k->command : "that process", svc->id);
		return add(f, AUDIT_CRITICAL, "port-taken", k, svc, fix,
			   "%u/%s, declared for service %s, is held by %s on %s: the service "
			   "cannot bind", k->port, proto, svc->id, w, a);
	}
	if (config_cleartext_port(k->port, k->protocol) || config_cleartext_name(k->reg_name))
		return add(f, AUDIT_WARNING, "cleartext", k, NULL,
			   sock_loopback(k) ? "nothing to do" :
			   "replace it with an encrypted protocol, or bind it to loopback",
			   "%u/%s (%s, clear text) is reachable on %s; held by %s", k->port, proto,
			   k->reg_name ? k->reg_name : "login/mail", a, w);
	if (!k->reg_name) {
		snprintf(fix, sizeof(fix), "if %s should not listen, stop it; else name the "
			 "port in a registry file", k->command[0] ? k->command : "it");
		return add(f, AUDIT_WARNING, "unregistered", k, NULL, fix,
			   "%u/%s is in no registry; held by %s on %s", k->port, proto, w, a);
	}
	snprintf(fix, sizeof(fix), "nothing, if %s is meant to serve %s; else stop it",
		 k->command[0] ? k->command : "it", k->reg_name);
	return add(f, AUDIT_INFO, "registered", k, NULL, fix, "%u/%s is %s; owned by %s",
		   k->port, proto, k->reg_name, k->npids && k->command[0] ? k->command : w);
}

static bool
has_socket(const struct audit_input *in, const struct service *svc, bool *wildcard)
{
	bool found = false;

	*wildcard = false;
	for (size_t i = 0; i < in->socks->count; i++) {
		const struct audit_sock *k = &in->socks->v[i];

		if (k->service && !strcmp(k->service, svc->id)) {
			found = true;
			*wildcard = *wildcard || sock_wildcard(k);
		}
	}
	return found;
}

static bool
paused(const char *state)
{
	return !strcmp(state, "unbound") || !strcmp(state, "not-served") ||
	    !strncmp(state, "paused", 6);
}

static int
service_findings(const struct audit_input *in, const struct service *svc,
		 struct audit_findings *f)
{
	const struct audit_state *st = find_state(in, svc->id);
	bool wild, listening = has_socket(in, svc, &wild);
	char fix[256];

	if (in->daemon_pid && declared_on(svc, in->now) && (!listening || (st && paused(st->state)))) {
		bool waiting = st && !strcmp(st->state, "waiting");

		if (add(f, AUDIT_WARNING, "not-listening", NULL, svc, waiting ?
			"bring the address or interface up: portierd binds it as soon as it "
			"appears (or set freebind = yes)" : "fix the cause (the address, "
			"a port in use, a limit; portierctl status tells), then portierctl reload",
			"service %s (%s:%d) is enabled but not listening: %s", svc->id, svc->file,
			svc->line, st && st->last_error ? st->last_error : st ? st->state :
			"portierd does not know it") < 0)
			return -1;
	}
	if (!svc->local && (listening ? wild : declared_on(svc, in->now) && svc->nbind == 0) &&
	    config_admits_loopback_only(svc)) {
		snprintf(fix, sizeof(fix), "bind = 127.0.0.1 (and ::1) in %s:%d: the door "
			 "need not be open at all", svc->file, svc->line);
		if (add(f, AUDIT_INFO, "all-addresses", NULL, svc, fix,
			"service %s listens on all addresses but only_from admits loopback only",
			svc->id) < 0)
			return -1;
	}
	return 0;
}

static int
by_severity(const void *a, const void *b)
{
	const struct audit_finding *x = a, *y = b;

	if (x->severity != y->severity)
		return x->severity > y->severity ? -1 : 1;
	if (x->port != y->port)
		return x->port < y->port ? -1 : 1;
	if (x->protocol != y->protocol)
		return x->protocol < y->protocol ? -1 : 1;
	return strcmp(x->text, y->text);
}

int
audit_findings(const struct audit_input *in, struct audit_findings *f)
{
	memset(f, 0, sizeof(*f));
	for (size_t i = 0; i < in->socks->count; i++)
		name_socket(in, &in->socks->v[i]);
	for (size_t i = 0; i < in->socks->count; i++) {
		const struct audit_sock *k = &in->socks->v[i];

		if ((k->portier ? portier_socket(in, k, f) : foreign_socket(in, k, f)) < 0)
			return -1;
	}
	for (size_t i = 0; in->cfg && i < in->cfg->count; i++)
		if (service_findings(in, &in->cfg->services[i], f) < 0)
			return -1;
	if (f->count)	/* no findings: v may be NULL, which qsort() must not get */
		qsort(f->v, f->count, sizeof(f->v[0]), by_severity);
	return 0;
}
