/* SPDX-License-Identifier: ISC */
/* service_waitlist: the list of addresses a service waits for, see
 * service.h: kept, compared, named and said once. Calls nothing of the
 * service's own, so that service.c and service_table.c may use it. */
#include "autoconf.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "base/base.h"
#include "config/config.h"
#include "daemon/listener.h"
#include "daemon/service.h"

bool
service_bind_waits(int err)
{
	return err == EADDRNOTAVAIL || err == ENODEV;
}

int
service_wait_push(struct service_wait **v, size_t *n, const struct sockaddr_storage *ss,
		  int err, bool announced)
{
	struct service_wait *nv;

	for (size_t i = 0; i < *n; i++)
		if (!addr_compare((const struct sockaddr *)&(*v)[i].ss, (const struct sockaddr *)ss))
			return 0;
	nv = realloc(*v, (*n + 1) * sizeof(**v));
	if (!nv)
		return -1;
	*v = nv;
	nv[*n] = (struct service_wait){ .ss = *ss, .err = err, .announced = announced };
	(*n)++;
	return 0;
}

bool
service_wait_has(const struct service_rt *rt, const struct sockaddr_storage *ss,
		 const char *ifname)
{
	const char *had = rt->svc->interface;

	if (strcmp(had ? had : "", ifname ? ifname : ""))
		return false;
	for (size_t i = 0; i < rt->nwaiting; i++)
		if (!addr_compare((const struct sockaddr *)&rt->waiting[i].ss,
				  (const struct sockaddr *)ss))
			return true;
	return false;
}

void
service_wait_name(const struct service_rt *rt, size_t i, char *buf, size_t len)
{
	listener_name((const struct sockaddr *)&rt->waiting[i].ss, rt->svc->socktype,
		      rt->svc->interface, buf, len);
}

/* An interface is said once for all the addresses that wait for it. */
void
service_wait_announce(struct service_rt *rt)
{
	bool interface_said = false;

	for (size_t i = 0; i < rt->nwaiting; i++) {
		struct service_wait *w = &rt->waiting[i];
		char name[LISTENER_NAME_MAX];

		if (w->announced)
			continue;
		w->announced = true;
		if (w->err == ENODEV) {
			if (interface_said)
				continue;
			interface_said = true;
			snprintf(rt->last_error, sizeof(rt->last_error), "waiting for interface %s",
				 rt->svc->interface);
			logit(LOG_NOTICE, "%s: waiting for interface %s (%s): bound as soon as "
			      "it appears", rt->svc->id, rt->svc->interface, strerror(w->err));
			continue;
		}
		service_wait_name(rt, i, name, sizeof(name));
		snprintf(rt->last_error, sizeof(rt->last_error), "waiting for address %s", name);
		logit(LOG_NOTICE, "%s: waiting for address %s (%s): bound as soon as it appears",
		      rt->svc->id, name, strerror(w->err));
	}
}

void
service_wait_clear(struct service_rt *rt)
{
	free(rt->waiting);
	rt->waiting = NULL;
	rt->nwaiting = 0;
}
