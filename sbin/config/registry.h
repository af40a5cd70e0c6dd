/* registry: the port registry (services.db, /etc/services format).
 * Pure data: no sockets, no processes. */
#ifndef PORTIER_REGISTRY_H
#define PORTIER_REGISTRY_H

#include <stdbool.h>
#include <stddef.h>

#include "base/diag.h"

enum reg_proto { REG_TCP, REG_UDP, REG_SCTP, REG_DCCP, REG_NPROTO };
enum port_class { PORT_WELL_KNOWN, PORT_REGISTERED, PORT_DYNAMIC };

struct reg_entry {
	const char *name;
	unsigned port;
	enum reg_proto proto;
	const char *const *aliases;	/* NULL-terminated */
	const char *description;	/* the line's comment, "" when none */
	const char *file;		/* where it was defined */
	int line;
};

struct registry;

struct registry *registry_new(void);
void registry_free(struct registry *reg);
/* Loads one file, adding to what is there: a later file adds names, the first
 * definition of a name/protocol wins. Malformed lines and redefinitions of a
 * name for another port go to d as "FILE:LINE: ...": errors when strict, else
 * warnings, and the line is skipped. A name that is an alias on either side is
 * only shadowed: always a warning, and the line keeps its port and other names
 * (see services.db(5)). Returns 0, or -1 when the file cannot be read or
 * memory runs out (also in d). */
int registry_load(struct registry *reg, const char *path, bool strict, struct diag *d);
size_t registry_count(const struct registry *reg);

/* Name or alias, case-sensitive as /etc/services is. NULL when absent. */
const struct reg_entry *registry_lookup_name(const struct registry *reg,
					     const char *name, enum reg_proto proto);
const struct reg_entry *registry_lookup_port(const struct registry *reg,
					     unsigned port, enum reg_proto proto);
/* Calls fn for every entry with lo <= port <= hi, in port then protocol order;
 * stops early when fn returns non-zero. Returns the number of calls. */
size_t registry_foreach_range(const struct registry *reg, unsigned lo, unsigned hi,
			      int (*fn)(const struct reg_entry *e, void *arg), void *arg);

enum port_class registry_port_class(unsigned port);
const char *registry_port_class_name(enum port_class c);	/* "well-known" … */
const char *registry_proto_name(enum reg_proto p);		/* "tcp" … */
int registry_proto_parse(const char *s, enum reg_proto *p);	/* 0 or -1 */

#endif
