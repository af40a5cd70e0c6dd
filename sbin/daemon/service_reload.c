/* SPDX-License-Identifier: ISC */
/* service_reload: mark and sweep, see service_reload.h.
 *
 * Plan (may fail, changes nothing visible): every new service finds its old
 * record by id (config_find() in the old configuration) and every
 * address it wants finds an open socket by identity (binary search over the
 * old sockets sorted by identity), which is marked; what is not found is
 * bound now. Commit (cannot fail): unmarked sockets close, kept records take
 * their new service, removed ones retire, the table switches. */
#include "autoconf.h"

#include <errno.h>
#include <stdlib.h>
#include <sys/socket.h>

#include "config/config.h"
#include "base/base.h"
#include "daemon/internal.h"
#include "daemon/listener.h"
#include "daemon/nofile.h"
#include "daemon/service.h"
#include "daemon/service_addrs.h"
#include "daemon/service_reload.h"

/* Retired records are looked at this often (ms) until their handlers end. */
#define SWEEP_MS 1000

/* The records one configuration left behind, and that configuration. */
struct service_retired {
	struct config *cfg;
	struct service_rt *rts;		/* through service_rt.next */
	struct service_retired *next;
};

struct plan {
	const struct service_table *t;
	const struct config *old;	/* t's: t->rt[i]->svc == &old->services[i] */
	const struct config *cfg;
	struct listener **old_ls;	/* old sockets sorted by identity */
	size_t nold_ls;
	struct service_rt **rt;		/* per new service: its record (kept or fresh) */
	bool *fresh;			/* per new service: rt was allocated here */
	struct listener **ls;		/* every new service's sockets, in order */
	size_t *first;			/* per new service: its first entry in ls, and n + 1 */
	bool *reconf;			/* per ls entry: a kept socket whose options change */
	size_t nls;
	struct service_wait **wait;	/* per new service: the addresses it waits for */
	size_t *nwait;
};

static struct timer sweep_timer;
static struct service_table *sweep_table;

static int
ls_cmp(const void *a, const void *b)
{
	const struct listener *const *x = a, *const *y = b;

	return listener_compare((*x)->socktype, (const struct sockaddr *)&(*x)->addr,
				(*x)->ifname, *y);
}

struct identity {
	int socktype;
	const struct sockaddr_storage *ss;
	const char *ifname;
};

static int
identity_cmp(const void *key, const void *b)
{
	const struct identity *k = key;
	const struct listener *const *y = b;

	return listener_compare(k->socktype, (const struct sockaddr *)k->ss, k->ifname, *y);
}

/* An old socket with this identity that no new service claimed yet. */
static struct listener *
old_socket(struct plan *p, const struct service *svc, const struct sockaddr_storage *ss)
{
	struct identity key = { svc->socktype, ss, svc->local ? NULL : svc->interface };
	struct listener **l = bsearch(&key, p->old_ls, p->nold_ls, sizeof(*p->old_ls),
				      identity_cmp);

	return l && !(*l)->marked ? *l : NULL;
}

static int
address_cmp(const void *key, const void *b)
{
	const struct identity *k = key;
	const struct listener *const *y = b;

	return listener_compare_addr(k->socktype, (const struct sockaddr *)k->ss, *y);
}

/* Whether an old socket has this address and port on another interface
 * (or on none): Linux refuses a second one on the same port unless both
 * name an interface, so the new socket is bound once the old one is closed
 * (service_reload() calls service_table_addresses_changed() after the
 * commit). The interface is the last key of the order, so such sockets sort
 * next to each other. */
static bool
old_other_interface(struct plan *p, const struct service *svc,
		    const struct sockaddr_storage *ss)
{
	struct identity key = { svc->socktype, ss, NULL };

	return svc->socktype && ss->ss_family != AF_UNIX &&
	       bsearch(&key, p->old_ls, p->nold_ls, sizeof(*p->old_ls), address_cmp);
}

static int
plan_alloc(struct plan *p)
{
	const struct service_table *t = p->t;
	size_t n = p->cfg->count + 1, naddrs = 1;

	for (size_t i = 0; i < t->count; i++)
		p->nold_ls += t->rt[i]->nlisteners;
	for (size_t i = 0; i < p->cfg->count; i++)
		naddrs += service_naddrs(&p->cfg->services[i]);
	/* bind_each_address: what it keeps are old sockets, each once */
	naddrs += p->nold_ls;
	p->old_ls = calloc(p->nold_ls + 1, sizeof(*p->old_ls));
	p->rt = calloc(n, sizeof(*p->rt));
	p->fresh = calloc(n, sizeof(*p->fresh));
	p->first = calloc(n + 1, sizeof(*p->first));
	p->ls = calloc(naddrs, sizeof(*p->ls));
	p->reconf = calloc(naddrs, sizeof(*p->reconf));
	p->wait = calloc(n, sizeof(*p->wait));
	p->nwait = calloc(n, sizeof(*p->nwait));
	if (!p->old_ls || !p->rt || !p->fresh || !p->first || !p->ls ||
	    !p->reconf || !p->wait || !p->nwait)
		return -1;
	n = 0;
	for (size_t i = 0; i < t->count; i++)
		for (struct listener *l = t->rt[i]->listeners; l; l = l->next)
			p->old_ls[n++] = l;
	qsort(p->old_ls, p->nold_ls, sizeof(*p->old_ls), ls_cmp);
	return 0;
}

static void
plan_free(struct plan *p)
{
	free(p->old_ls);
	free(p->rt);
	free(p->fresh);
	free(p->first);
	free(p->ls);
	free(p->reconf);
	for (size_t i = 0; p->wait && i < p->cfg->count; i++)
		free(p->wait[i]);
	free(p->wait);
	free(p->nwait);
}

/* Whether a socket of service a needs new options to serve b. */
static bool
options_differ(const struct service *a, const struct service *b)
{
	return a->wait != b->wait || a->keepalive != b->keepalive || a->nodelay != b->nodelay ||
	       a->listen_backlog != b->listen_backlog || a->internal != b->internal ||
	       a->bind_each_address != b->bind_each_address;
}

/* An address of new service i that it waits for (service_wait.c), which
 * fails nothing; said again only if announced is false. */
static int
plan_wait(struct plan *p, size_t i, const struct sockaddr_storage *ss, int err,
	  bool announced, struct diag *errs)
{
	const struct service *svc = &p->cfg->services[i];

	if (service_wait_push(&p->wait[i], &p->nwait[i], ss, err, announced) == 0)
		return 0;
	diag_add(errs, DIAG_ERROR, svc->file, svc->line, "%s: out of memory", svc->id);
	return -1;
}

/* The sockets of new service i: kept ones marked, others bound or waited
 * for. */
static int
plan_sockets(struct plan *p, size_t i, struct diag *errs)
{
	const struct service *svc = &p->cfg->services[i];

	for (size_t a = 0; a < service_naddrs(svc); a++) {
		struct sockaddr_storage ss;
		bool implicit = service_addr(svc, a, &ss);
		struct listener *l = old_socket(p, svc, &ss);
		char err[256];

		if (l) {
			l->marked = true;
			p->reconf[p->nls] = options_differ(l->rt->svc, svc);
		} else if (old_other_interface(p, svc, &ss)) {
			/* `interface` changed: bound right after the commit */
			if (plan_wait(p, i, &ss, 0, true, errs) < 0)
				return -1;
			continue;
		} else if (!(l = service_listener_open(svc, &ss, implicit, err, sizeof(err)))) {
			if (!*err)
				continue;
			/* the host does not have it yet: said again only if it
			 * did not wait under the old configuration */
			if (ss.ss_family != AF_UNIX && service_bind_waits(errno)) {
				if (plan_wait(p, i, &ss, errno, !p->fresh[i] &&
					      service_wait_has(p->rt[i], &ss, svc->interface),
					      errs) < 0)
					return -1;
				continue;
			}
			diag_add(errs, DIAG_ERROR, svc->file, svc->line, "%s: %s", svc->id, err);
			return -1;
		}
		p->ls[p->nls++] = l;
	}
	return 0;
}

/* The sockets the new configuration opens (those it keeps cost nothing)
 * against RLIMIT_NOFILE, before the first is opened: a reload that could
 * not open them all is refused with one line that says why. */
static int
plan_room(struct plan *p, struct diag *errs)
{
	size_t sockets = 0;
	char err[256];

	for (size_t i = 0; i < p->cfg->count; i++) {
		const struct service *svc = &p->cfg->services[i];

		if (service_state_of(svc) != SERVICE_UNBOUND)
			continue;
		/* its kept sockets counted again: a few too many at most */
		if (svc->bind_each_address) {
			sockets += service_addrs_wanted(svc);
			continue;
		}
		for (size_t a = 0; a < service_naddrs(svc); a++) {
			struct sockaddr_storage ss;

			service_addr(svc, a, &ss);
			sockets += !old_socket(p, svc, &ss);
		}
	}
	if (nofile_room(sockets, err, sizeof(err)) == 0)
		return 0;
	diag_add(errs, DIAG_ERROR, NULL, 0, "%s", err);
	return -1;
}

/* bind_each_address: the old record's sockets that still fit stay; the
 * refresh after the commit opens and closes the rest (service_addrs.c). */
static void
plan_each_address(struct plan *p, const struct service *svc, struct service_rt *old)
{
	for (struct listener *l = old->listeners; l; l = l->next) {
		if (l->marked || !service_addrs_keeps(svc, l))
			continue;
		l->marked = true;
		p->reconf[p->nls] = options_differ(l->rt->svc, svc);
		p->ls[p->nls++] = l;
	}
}

static int
plan_service(struct plan *p, size_t i, struct diag *errs)
{
	const struct service *svc = &p->cfg->services[i];
	const struct service *was = config_find(p->old, svc->id);
	struct service_rt *old = was ? p->t->rt[was - p->old->services] : NULL;

	p->first[i] = p->nls;
	if (old) {
		p->rt[i] = old;
	} else {
		/* fresh as soon as it exists: plan_undo frees a half set-up
		 * record too, as service_table_free does at start-up */
		p->rt[i] = calloc(1, sizeof(*p->rt[i]));
		p->fresh[i] = p->rt[i] != NULL;
		if (!p->rt[i] || service_rt_setup(p->rt[i], svc) < 0) {
			diag_add(errs, DIAG_ERROR, svc->file, svc->line, "%s: out of memory", svc->id);
			return -1;
		}
	}
	if (service_state_of(svc) != SERVICE_UNBOUND)
		return 0;
	if (svc->bind_each_address) {
		if (old)
			plan_each_address(p, svc, old);
		return 0;
	}
	return plan_sockets(p, i, errs);
}

static void
plan_undo(struct plan *p, size_t upto)
{
	for (size_t k = 0; k < p->nls; k++) {
		if (p->ls[k]->marked)
			p->ls[k]->marked = false;
		else
			listener_close(p->ls[k]);
	}
	for (size_t i = 0; i <= upto; i++)
		if (p->fresh[i])
			service_rt_free(p->rt[i]);
}

/* ---- commit ---- */

static void
reattach(struct plan *p, size_t i)
{
	struct service_rt *rt = p->rt[i];
	struct listener_opts o;

	service_listener_opts(rt->svc, &o);
	for (size_t k = p->first[i]; k < p->first[i + 1]; k++) {
		struct listener *l = p->ls[k];

		if (p->reconf[k] && listener_reconfigure(l, &o) < 0)
			logerr(LOG_WARNING, "%s: new socket options on %s", rt->svc->id, l->name);
		l->marked = false;
		/* the loop guard of its old owner is over; a cps pause of its
		 * service goes on until its timer ends */
		listener_resume(l, LISTENER_GUARD);
		if (rt->adm.cps_pause.slot)
			listener_pause(l, LISTENER_LIMIT);
		else
			listener_resume(l, LISTENER_LIMIT);
		service_listener_attach(rt, l);
	}
	/* what it waited for under the old configuration and waits for
	 * still is not said again; what it no longer asks for is forgotten */
	service_wait_clear(rt);
	rt->waiting = p->wait[i];
	rt->nwaiting = p->nwait[i];
	p->wait[i] = NULL;
	service_wait_announce(rt);
	if (rt->nlisteners)
		rt->state = SERVICE_ACTIVE;
	else if (rt->nwaiting)
		rt->state = SERVICE_WAITING;
}

/* Frees the retired records whose handlers are gone (all of them when
 * all), and each configuration no record points into any more. */
static void
retired_free(struct service_table *t, bool all)
{
	struct service_retired **pr = &t->retired;

	while (*pr) {
		struct service_retired *r = *pr;
		struct service_rt **prt = &r->rts;

		while (*prt) {
			struct service_rt *rt = *prt;

			if (!all && rt->running > 0) {
				prt = &rt->next;
				continue;
			}
			*prt = rt->next;
			service_rt_free(rt);
		}
		if (r->rts) {
			pr = &r->next;
			continue;
		}
		*pr = r->next;
		config_free(r->cfg);
		free(r);
	}
}

static void
sweep(struct timer *tm)
{
	retired_free(sweep_table, false);
	if (sweep_table->retired)
		timer_arm(tm, SWEEP_MS);
}

/* Old records no new service kept: closed now, freed with their
 * configuration once their handlers are gone. */
static int
retire(struct service_table *t, struct config *old, struct service_rt **gone, size_t ngone)
{
	struct service_retired *r = calloc(1, sizeof(*r));

	if (!r)
		return -1;
	r->cfg = old;
	for (size_t i = 0; i < ngone; i++) {
		service_rt_quiesce(gone[i], false);
		service_rt_unprepare(gone[i]);
		gone[i]->next = r->rts;
		r->rts = gone[i];
	}
	r->next = t->retired;
	t->retired = r;
	sweep_table = t;
	sweep_timer.fn = sweep;
	sweep(&sweep_timer);
	return 0;
}

/* Old records whose id the new configuration drops. */
static size_t
commit_old(struct plan *p, struct service_rt **gone)
{
	const struct service_table *t = p->t;
	size_t ngone = 0;

	for (size_t i = 0; i < p->cfg->count; i++)
		if (!p->fresh[i])
			p->rt[i]->kept = true;
	for (size_t i = 0; i < t->count; i++) {
		struct service_rt *rt = t->rt[i];

		for (struct listener *l = rt->listeners, *next; l; l = next) {
			next = l->next;
			if (!l->marked)
				service_listener_drop(l);
		}
		rt->listeners = NULL;
		rt->nlisteners = 0;
		if (!rt->kept)
			gone[ngone++] = rt;
		rt->kept = false;
	}
	return ngone;
}

static void
commit(struct plan *p, struct service_table *t)
{
	for (size_t i = 0; i < p->cfg->count; i++) {
		struct service_rt *rt = p->rt[i];

		if (!p->fresh[i]) {
			service_rt_quiesce(rt, true);
			service_rt_unprepare(rt);
			rt->runtime = false;
			if (service_rt_setup(rt, &p->cfg->services[i]) < 0)
				service_note(rt, "out of memory at reload");
		}
		reattach(p, i);
	}
	free(t->rt);
	t->rt = p->rt;
	p->rt = NULL;
	t->count = p->cfg->count;
	service_table_settings(t, &p->cfg->settings);
}

int
service_reload(struct service_table *t, struct config *old, const struct config *cfg,
	       struct diag *errs)
{
	struct plan p = { .t = t, .old = old, .cfg = cfg };
	struct service_rt **gone = calloc(t->count + 1, sizeof(*gone));
	size_t i = 0, ngone;
	int rc = -1;

	if (!gone || plan_alloc(&p) < 0) {
		diag_add(errs, DIAG_ERROR, NULL, 0, "out of memory");
		goto out;
	}
	if (plan_room(&p, errs) < 0)
		goto out;
	for (i = 0; i < cfg->count; i++) {
		if (plan_service(&p, i, errs) < 0) {
			plan_undo(&p, i);
			goto out;
		}
	}
	p.first[cfg->count] = p.nls;
	ngone = commit_old(&p, gone);
	commit(&p, t);
	/* bind_each_address: the host's addresses now, not those of the last
	 * load (failures are logged and tried again, never undo a reload) */
	service_table_refresh_addresses(t);
	if (internal_table(t) < 0)
		logit(LOG_ERR, "tcpmux: out of memory: its index is the old one");
	for (i = 0; i < t->count; i++)
		if (service_rt_start(t->rt[i]) < 0)
			service_note(t->rt[i], "cannot watch its sockets");
	/* the sockets whose interface changed, now that the old ones are
	 * closed; and whatever address appeared meanwhile */
	service_table_addresses_changed(t);
	if (!ngone) {
		config_free(old);
	} else if (retire(t, old, gone, ngone) < 0) {
		/* Freeing them would leave their handlers' records dangling. */
		logit(LOG_ERR, "reload: out of memory: %zu removed service(s) and the old "
		      "configuration are kept until portierd stops", ngone);
	}
	rc = 0;
out:
	free(gone);
	plan_free(&p);
	return rc;
}

void
service_reload_free(struct service_table *t)
{
	timer_cancel(&sweep_timer);
	retired_free(t, true);
}
