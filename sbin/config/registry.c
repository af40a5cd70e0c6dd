/* registry: services.db (/etc/services format), see registry.h.
 *
 * Memory: each file is read once into one buffer that lives as long as the
 * registry; names, aliases and descriptions point into it (separators are
 * overwritten with NULs). Entries and alias arrays come from an arena, so
 * loading the shipped registry costs a few dozen allocations, not one per
 * entry.
 *
 * Look-ups: names (and aliases) with their protocol in an open-addressing
 * hash table; ports through an index of every port into the entries sorted
 * by port, protocol and load order, which also serves range listings. */
#include "autoconf.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "config/arena.h"
#include "config/config.h"

#define REG_MAX_FILE	(64u << 20)	/* no registry is this large: refuse, do not swap */
#define REG_MAX_FIELDS	34		/* name, port/protocol and up to 32 aliases */
#define REG_NPORTS	65536u
#define SEPARATORS	" \t\r\v\f"

struct node {
	struct reg_entry e;
	size_t seq;		/* load order: the tie-break that keeps "first wins" */
};

struct name_slot {
	const char *name;	/* NULL: free */
	uint32_t hash;
	enum reg_proto proto;
	struct node *node;
};

struct registry {
	struct arena arena;
	struct node **order;	/* by port, protocol, load order */
	size_t count;
	size_t alloc;
	bool sorted;
	uint32_t *port_start;	/* order[port_start[p] .. port_start[p + 1]) have port p */
	struct name_slot *names;
	size_t nslots;		/* a power of two, at least twice nnames */
	size_t nnames;
};

/* What one registry_load() call needs while it parses. */
struct load {
	struct registry *reg;
	const char *file;	/* the arena's copy of the path */
	bool strict;
	struct diag *d;
	size_t ddp;		/* AppleTalk entries skipped (Debian lists four) */
	int ddp_line;
};

static const char *const proto_names[REG_NPROTO] = { "tcp", "udp", "sctp", "dccp" };

struct registry *
registry_new(void)
{
	struct registry *reg = calloc(1, sizeof(*reg));

	if (reg)
		arena_init(&reg->arena);
	return reg;
}

void
registry_free(struct registry *reg)
{
	if (!reg)
		return;
	arena_free(&reg->arena);
	free(reg->order);
	free(reg->port_start);
	free(reg->names);
	free(reg);
}

size_t
registry_count(const struct registry *reg)
{
	return reg->count;
}

/* FNV-1a, with the protocol folded in: tcp and udp names share a table. */
static uint32_t
name_hash(const char *name, enum reg_proto proto)
{
	uint32_t h = 2166136261u;

	for (const unsigned char *p = (const unsigned char *)name; *p; p++)
		h = (h ^ *p) * 16777619u;
	return (h ^ (uint32_t)proto) * 16777619u;
}

static struct name_slot *
name_slot(const struct registry *reg, const char *name, enum reg_proto proto, uint32_t h)
{
	size_t mask = reg->nslots - 1;

	for (size_t i = h & mask;; i = (i + 1) & mask) {
		struct name_slot *s = &reg->names[i];

		if (!s->name || (s->hash == h && s->proto == proto && !strcmp(s->name, name)))
			return s;
	}
}

static int
names_reserve(struct registry *reg, size_t more)
{
	size_t want = reg->nslots ? reg->nslots : 1024;

	while (want < 2 * (reg->nnames + more))
		want *= 2;
	if (want == reg->nslots)
		return 0;

	struct name_slot *old = reg->names;
	size_t nold = reg->nslots;

	reg->names = calloc(want, sizeof(*reg->names));
	if (!reg->names) {
		reg->names = old;
		return -1;
	}
	reg->nslots = want;
	for (size_t i = 0; i < nold; i++)
		if (old[i].name)
			*name_slot(reg, old[i].name, old[i].proto, old[i].hash) = old[i];
	free(old);
	return 0;
}

static struct node *
name_find(const struct registry *reg, const char *name, enum reg_proto proto)
{
	if (!reg->nslots)
		return NULL;
	return name_slot(reg, name, proto, name_hash(name, proto))->node;
}

/* Binds name to node unless the name is bound already; the first wins. */
static int
name_bind(struct registry *reg, const char *name, struct node *node)
{
	if (names_reserve(reg, 1) < 0)
		return -1;

	uint32_t h = name_hash(name, node->e.proto);
	struct name_slot *s = name_slot(reg, name, node->e.proto, h);

	if (!s->name) {
		*s = (struct name_slot){ name, h, node->e.proto, node };
		reg->nnames++;
	}
	return 0;
}

static int
order_append(struct registry *reg, struct node *node)
{
	if (reg->count == reg->alloc) {
		size_t n = reg->alloc ? reg->alloc * 2 : 1024;
		struct node **v = realloc(reg->order, n * sizeof(*v));

		if (!v)
			return -1;
		reg->order = v;
		reg->alloc = n;
	}
	if (reg->count) {
		const struct reg_entry *last = &reg->order[reg->count - 1]->e;

		if (node->e.port < last->port ||
		    (node->e.port == last->port && node->e.proto < last->proto))
			reg->sorted = false;
	} else {
		reg->sorted = true;
	}
	node->seq = reg->count;
	reg->order[reg->count++] = node;
	return 0;
}

static int
node_cmp(const void *a, const void *b)
{
	const struct node *x = *(struct node *const *)a;
	const struct node *y = *(struct node *const *)b;

	if (x->e.port != y->e.port)
		return x->e.port < y->e.port ? -1 : 1;
	if (x->e.proto != y->e.proto)
		return x->e.proto < y->e.proto ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* Sorts the entries (the shipped file is sorted already: no work) and
 * rebuilds the port index. */
static int
order_index(struct registry *reg)
{
	if (!reg->sorted && reg->count) {
		qsort(reg->order, reg->count, sizeof(*reg->order), node_cmp);
		reg->sorted = true;
	}
	if (!reg->port_start) {
		reg->port_start = malloc((REG_NPORTS + 1) * sizeof(*reg->port_start));
		if (!reg->port_start)
			return -1;
	}

	size_t i = 0;

	for (unsigned p = 0; p < REG_NPORTS; p++) {
		reg->port_start[p] = (uint32_t)i;
		while (i < reg->count && reg->order[i]->e.port == p)
			i++;
	}
	reg->port_start[REG_NPORTS] = (uint32_t)i;
	return 0;
}

static bool
valid_name(const char *s)
{
	bool digits = true;

	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p <= ' ' || *p >= 0x7f)
			return false;
		if (*p < '0' || *p > '9')
			digits = false;
	}
	return !digits;
}

#define load_problem(ld, line, ...) \
	diag_add((ld)->d, (ld)->strict ? DIAG_ERROR : DIAG_WARNING, (ld)->file, (line), __VA_ARGS__)

/* "PORT/PROTOCOL": 0 when it names an entry to add, 1 for a protocol that is
 * not IP (skipped, counted), -1 after reporting a malformed field. */
static int
parse_port_proto(struct load *ld, int line, char *field, unsigned *port, enum reg_proto *proto)
{
	char *slash = strchr(field, '/');
	size_t ndigits = strspn(field, "0123456789");
	unsigned long v = 0;

	if (!slash) {
		load_problem(ld, line, "'%s' is not PORT/PROTOCOL (such as 25/tcp)", field);
		return -1;
	}
	*slash = '\0';
	if (ndigits == 0 || field[ndigits]) {
		load_problem(ld, line, "bad port '%s' (a number 0-65535)", field);
		return -1;
	}
	for (size_t i = 0; i < ndigits && v <= 65535; i++)
		v = v * 10 + (unsigned long)(field[i] - '0');
	if (v > 65535) {
		load_problem(ld, line, "port %s out of range (0-65535)", field);
		return -1;
	}
	*port = (unsigned)v;
	if (!slash[1]) {
		load_problem(ld, line, "missing protocol after '%s/'", field);
		return -1;
	}
	if (registry_proto_parse(slash + 1, proto) == 0)
		return 0;
	if (!strcmp(slash + 1, "ddp")) {
		if (!ld->ddp++)
			ld->ddp_line = line;
		return 1;
	}
	load_problem(ld, line, "unknown protocol '%s' (tcp, udp, sctp or dccp)", slash + 1);
	return -1;
}

static bool
is_sep(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

/* Whether one of the 8 bytes of w is below ' ' or is 0x7f: the classic
 * test for a byte below n in a word (exact for n <= 128: a borrow only
 * starts at a byte that is below n itself). */
static bool
word_suspect(uint64_t w)
{
	const uint64_t ones = 0x0101010101010101u, highs = 0x8080808080808080u;
	uint64_t del = w ^ (0x7f * ones);

	return ((((w - ' ' * ones) & ~w) | ((del - ones) & ~del)) & highs) != 0;
}

/* What a line may not hold: 0 for a NUL (reported first: the line is not
 * text), else the first control character other than SEPARATORS; -1 when
 * the line is clean. Eight bytes at a time until one looks suspect. */
static int
bad_byte(const char *s, size_t len)
{
	int ctrl = -1;
	size_t i = 0;

	for (uint64_t w; i + 8 <= len; i += 8) {
		memcpy(&w, s + i, 8);
		if (word_suspect(w))
			break;
	}
	for (; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c >= ' ' && c != 0x7f)
			continue;
		if (c == 0)
			return 0;
		if (ctrl < 0 && !is_sep((char)c))
			ctrl = c;
	}
	return ctrl;
}

/* Splits a clean line (NUL-terminated at len) into fields and its comment;
 * -1 after reporting. */
static int
split_line(struct load *ld, int line, char *s, size_t len, char **field, int *nfield,
	   const char **comment)
{
	char *hash = memchr(s, '#', len);

	*comment = "";
	if (hash) {
		*hash = '\0';
		char *c = hash + 1 + strspn(hash + 1, SEPARATORS);
		char *e = c + strlen(c);

		while (e > c && is_sep(e[-1]))
			*--e = '\0';
		*comment = c;
	}
	*nfield = 0;
	for (char *p = s + strspn(s, SEPARATORS); *p; p += strspn(p, SEPARATORS)) {
		if (*nfield == REG_MAX_FIELDS) {
			load_problem(ld, line, "more than %d aliases", REG_MAX_FIELDS - 2);
			return -1;
		}
		field[(*nfield)++] = p;
		p += strcspn(p, SEPARATORS);
		if (*p)
			*p++ = '\0';
	}
	return 0;
}

/* Names already bound to another port of the protocol keep that port: the
 * first definition wins, as getservbyname(3) finds the first line. When the
 * line's name was another line's name, the line redefines a service: it is a
 * problem (an error when strict) and skipped. When an alias is involved on
 * either side, the name is only shadowed, as in Debian's own /etc/services
 * ("acr-nema 104/tcp dicom", then "dicom 11112/tcp"): a warning, and the line
 * is kept with its other names and its port. Returns true to skip the line. */
static bool
conflicts(struct load *ld, int line, char **names, int n, unsigned port, enum reg_proto proto)
{
	for (int i = 0; i < n; i++) {
		const struct node *old = name_find(ld->reg, names[i], proto);

		if (!old || old->e.port == port)
			continue;

		bool redefined = i == 0 && !strcmp(old->e.name, names[0]);

		diag_add(ld->d, redefined && ld->strict ? DIAG_ERROR : DIAG_WARNING, ld->file, line,
			 "%s/%s redefined as port %u; keeping port %u from %s:%d", names[i],
			 proto_names[proto], port, old->e.port, old->e.file, old->e.line);
		if (redefined)
			return true;
	}
	return false;
}

/* Gives an existing entry the names of a later line for the same port that
 * it does not have yet (the same line in services.db and /etc/services). */
static int
add_aliases(struct load *ld, struct node *node, char **names, int n)
{
	size_t old = 0, count;
	int i = 0;

	while (i < n && name_find(ld->reg, names[i], node->e.proto))
		i++;
	if (i == n)
		return 0;	/* nothing new: the usual case */
	while (node->e.aliases[old])
		old++;

	const char **v = arena_alloc(&ld->reg->arena, (old + (size_t)n + 1) * sizeof(*v));

	if (!v)
		return -1;
	memcpy(v, node->e.aliases, old * sizeof(*v));
	count = old;
	for (; i < n; i++) {
		if (name_find(ld->reg, names[i], node->e.proto))
			continue;
		if (name_bind(ld->reg, names[i], node) < 0)
			return -1;
		v[count++] = names[i];
	}
	v[count] = NULL;
	node->e.aliases = v;
	return 0;
}

static int
add_entry(struct load *ld, int line, char **names, int n, unsigned port,
	  enum reg_proto proto, const char *comment)
{
	struct node *node = arena_alloc(&ld->reg->arena, sizeof(*node));
	const char **aliases = arena_alloc(&ld->reg->arena, (size_t)n * sizeof(*aliases));
	size_t na = 0;

	if (!node || !aliases)
		return -1;
	for (int i = 1; i < n; i++) {
		bool seen = false;

		for (int j = 0; j < i; j++)
			seen = seen || !strcmp(names[i], names[j]);
		if (!seen)
			aliases[na++] = names[i];
	}
	aliases[na] = NULL;
	node->e = (struct reg_entry){
		.name = names[0], .port = port, .proto = proto, .aliases = aliases,
		.description = comment, .file = ld->file, .line = line,
	};
	if (order_append(ld->reg, node) < 0)
		return -1;
	for (int i = 0; i < n; i++)
		if (name_bind(ld->reg, names[i], node) < 0)
			return -1;
	return 0;
}

/* One line: "NAME PORT/PROTOCOL [ALIAS...] [# COMMENT]". Returns -1 only when
 * out of memory; every problem with the line itself is reported and skipped. */
static int
load_line(struct load *ld, int line, char *s, size_t len)
{
	char *field[REG_MAX_FIELDS];
	const char *comment;
	int nfield;

	int bad = bad_byte(s, len);

	if (bad == 0) {
		load_problem(ld, line, "NUL byte in line");
		return 0;
	}
	if (bad > 0) {
		load_problem(ld, line, "control character 0x%02x in line", (unsigned)bad);
		return 0;
	}
	if (split_line(ld, line, s, len, field, &nfield, &comment) < 0 || nfield == 0)
		return 0;
	if (nfield == 1) {
		load_problem(ld, line, "'%s': missing PORT/PROTOCOL after the name", field[0]);
		return 0;
	}

	unsigned port;
	enum reg_proto proto;

	if (parse_port_proto(ld, line, field[1], &port, &proto) != 0)
		return 0;
	/* From here on field[] holds the names: the name, then the aliases. */
	field[1] = field[0];
	for (int i = 1; i < nfield; i++)
		if (!valid_name(field[i])) {
			load_problem(ld, line, "bad %s '%s' (printable ASCII, not only digits)",
				     i == 1 ? "service name" : "alias", field[i]);
			return 0;
		}
	if (conflicts(ld, line, field + 1, nfield - 1, port, proto))
		return 0;

	struct node *old = name_find(ld->reg, field[1], proto);

	if (old && old->e.port == port)
		return add_aliases(ld, old, field + 2, nfield - 2);
	return add_entry(ld, line, field + 1, nfield - 1, port, proto, comment);
}

static int
load_buffer(struct load *ld, char *buf, size_t len)
{
	size_t lines = 1;

	for (const char *p = buf; (p = memchr(p, '\n', (size_t)(buf + len - p))); p++)
		lines++;
	if (names_reserve(ld->reg, lines) < 0)
		return -1;

	char *p = buf, *end = buf + len;
	int line = 0;

	while (p < end) {
		char *eol = memchr(p, '\n', (size_t)(end - p));

		if (!eol)
			eol = end;
		*eol = '\0';
		if (load_line(ld, ++line, p, (size_t)(eol - p)) < 0)
			return -1;
		p = eol + 1;
	}
	if (ld->ddp)
		diag_add(ld->d, DIAG_WARNING, ld->file, ld->ddp_line,
			 "%zu entr%s for protocol ddp (AppleTalk, not IP) ignored, the first here",
			 ld->ddp, ld->ddp == 1 ? "y" : "ies");
	return order_index(ld->reg);
}

int
registry_load(struct registry *reg, const char *path, bool strict, struct diag *d)
{
	size_t len;
	char *buf = arena_read_file(&reg->arena, path, REG_MAX_FILE, &len, d);
	struct load ld = { .reg = reg, .strict = strict, .d = d };

	if (!buf)
		return -1;
	ld.file = arena_strdup(&reg->arena, path);
	if (ld.file && load_buffer(&ld, buf, len) == 0)
		return 0;
	diag_add(d, DIAG_ERROR, path, 0, "out of memory while loading");
	return -1;
}

const struct reg_entry *
registry_lookup_name(const struct registry *reg, const char *name, enum reg_proto proto)
{
	const struct node *n;

	if ((unsigned)proto >= REG_NPROTO || !name)
		return NULL;
	n = name_find(reg, name, proto);
	return n ? &n->e : NULL;
}

const struct reg_entry *
registry_lookup_port(const struct registry *reg, unsigned port, enum reg_proto proto)
{
	if (!reg->port_start || port >= REG_NPORTS)
		return NULL;
	for (uint32_t i = reg->port_start[port]; i < reg->port_start[port + 1]; i++)
		if (reg->order[i]->e.proto == proto)
			return &reg->order[i]->e;
	return NULL;
}

size_t
registry_foreach_range(const struct registry *reg, unsigned lo, unsigned hi,
		       int (*fn)(const struct reg_entry *e, void *arg), void *arg)
{
	size_t calls = 0;

	if (!reg->port_start || lo >= REG_NPORTS || lo > hi)
		return 0;
	if (hi >= REG_NPORTS)
		hi = REG_NPORTS - 1;
	for (uint32_t i = reg->port_start[lo]; i < reg->port_start[hi + 1]; i++) {
		calls++;
		if (fn(&reg->order[i]->e, arg))
			break;
	}
	return calls;
}

enum port_class
registry_port_class(unsigned port)
{
	if (port < 1024)
		return PORT_WELL_KNOWN;
	if (port < 49152)
		return PORT_REGISTERED;
	return PORT_DYNAMIC;
}

const char *
registry_port_class_name(enum port_class c)
{
	switch (c) {
	case PORT_WELL_KNOWN:
		return "well-known";
	case PORT_REGISTERED:
		return "registered";
	case PORT_DYNAMIC:
		return "dynamic";
	}
	return "?";
}

const char *
registry_proto_name(enum reg_proto p)
{
	return (unsigned)p < REG_NPROTO ? proto_names[p] : "?";
}

int
registry_proto_parse(const char *s, enum reg_proto *p)
{
	for (int i = 0; i < REG_NPROTO; i++)
		if (!strcmp(s, proto_names[i])) {
			*p = (enum reg_proto)i;
			return 0;
		}
	return -1;
}
