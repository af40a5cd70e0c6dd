/* SPDX-License-Identifier: ISC */
/* config_cleartext: the protocols that carry passwords or mail in clear
 * text, and the access rules that decide who reaches them. portierd warns
 * at each load (and `portierctl check` with it) about such a service open
 * to everyone on a public address; `portierctl audit` reuses the tests. */
#include "autoconf.h"

#include <netinet/in.h>
#include <string.h>

#include "config/config.h"

/* The login and mail protocols that send secrets in clear text, by their
 * registry names and aliases (/etc/services spells imap "imap2"). */
static const char *const cleartext_names[] = {
	"ftp", "telnet", "exec", "rexec", "login", "rlogin", "shell", "rsh",
	"pop3", "pop-3", "imap", "imap2", NULL,
};

bool
config_cleartext_name(const char *name)
{
	for (size_t i = 0; name && cleartext_names[i]; i++)
		if (!strcmp(name, cleartext_names[i]))
			return true;
	return false;
}

bool
config_cleartext_port(unsigned port, int protocol)
{
	if (protocol != IPPROTO_TCP)
		return false;	/* 512-514/udp are biff, who and syslog */
	return port == 21 || port == 23 || port == 110 || port == 143 ||
	    (port >= 512 && port <= 514);
}

bool
config_cleartext(const struct service *svc)
{
	return !svc->tcpmux && (config_cleartext_name(svc->name) ||
	    config_cleartext_port(svc->port, svc->protocol));
}

bool
config_addr_loopback(int family, const uint8_t *addr)
{
	static const uint8_t v6_loopback[16] = { [15] = 1 };

	if (family == AF_INET)
		return addr[0] == 127;
	return family == AF_INET6 && !memcmp(addr, v6_loopback, 16);
}

static bool
sockaddr_loopback(const struct sockaddr_storage *ss)
{
	if (ss->ss_family == AF_INET)
		return config_addr_loopback(AF_INET,
		    (const uint8_t *)&((const struct sockaddr_in *)ss)->sin_addr);
	return config_addr_loopback(AF_INET6,
	    ((const struct sockaddr_in6 *)ss)->sin6_addr.s6_addr);
}

/* Every address, or at least one that is not loopback. */
static bool
config_binds_public(const struct service *svc)
{
	if (svc->nbind == 0)
		return true;	/* every address */
	for (size_t i = 0; i < svc->nbind; i++)
		if (!sockaddr_loopback(&svc->bind[i]))
			return true;
	return false;
}

/* No only_from (or one with a /0 block) and no no_access: nobody is
 * turned away by address. */
bool
config_admits_everyone(const struct service *svc)
{
	bool all = !svc->only_from_set && svc->only_from.count == 0;

	for (size_t i = 0; !all && i < svc->only_from.count; i++)
		all = svc->only_from.rules[i].prefix == 0;
	return all && svc->no_access.count == 0;
}

bool
config_admits_loopback_only(const struct service *svc)
{
	const struct addr_list *l = &svc->only_from;

	if (!svc->only_from_set || l->count == 0)
		return false;
	for (size_t i = 0; i < l->count; i++) {
		const struct addr_rule *r = &l->rules[i];
		int min = r->family == AF_INET ? 8 : 128;

		if (r->prefix < min || !config_addr_loopback(r->family, r->addr))
			return false;
	}
	return true;
}

void
config_check_cleartext(const struct config *cfg, struct diag *d)
{
	for (size_t i = 0; cfg && i < cfg->count; i++) {
		const struct service *s = &cfg->services[i];

		if (s->disabled || !config_cleartext(s) || !config_binds_public(s) ||
		    !config_admits_everyone(s))
			continue;
		diag_add(d, DIAG_WARNING, s->file, s->line,
			 "service '%s' (%s, clear text) is open to everyone on a public "
			 "address: set only_from, or bind it to a trusted address", s->id, s->name);
	}
}
