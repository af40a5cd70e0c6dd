/* SPDX-License-Identifier: ISC */
/* registry_load: services.db files (/etc/services format) into the
 * registry's table (registry.c), every problem reported as "FILE:LINE: ...".
 * Names, aliases and descriptions point into the file's buffer, whose
 * separators are overwritten with NULs. */
#include "autoconf.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config/config.h"
#include "config/registry_int.h"

#define REG_MAX_FILE	(64u << 20)	/* no registry is this large: refuse, do not swap */
#define REG_READ_GUESS	(64u << 10)	/* first buffer when the size says 0 (/proc) */
#define REG_MAX_FIELDS	34		/* name, port/protocol and up to 32 aliases */
#define SEPARATORS	" \t\r\v\f"

/* What one registry_load() call needs while it parses. */
struct load {
	struct registry *reg;
	const char *file;	/* the registry's copy of the path */
	bool strict;
	struct diag *d;
	size_t ddp;		/* AppleTalk entries skipped (Debian lists four) */
	int ddp_line;
};

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
	unsigned long v;

	if (!slash) {
		load_problem(ld, line, "'%s' is not PORT/PROTOCOL (such as 25/tcp)",
			     config_quote_token(field));
		return -1;
	}
	*slash = '\0';
	if (ndigits == 0 || field[ndigits]) {
		load_problem(ld, line, "bad port '%s' (a number 0-65535)", config_quote_token(field));
		return -1;
	}
	/* digits only: strtoul() sees no sign or blank, and saturates */
	v = strtoul(field, NULL, 10);
	if (v > 65535) {
		load_problem(ld, line, "port %s out of range (0-65535)", config_quote_token(field));
		return -1;
	}
	*port = (unsigned)v;
	if (!slash[1]) {
		load_problem(ld, line, "missing protocol after '%s/'", config_quote_token(field));
		return -1;
	}
	if (registry_proto_parse(slash + 1, proto) == 0)
		return 0;
	if (!strcmp(slash + 1, "ddp")) {
		if (!ld->ddp++)
			ld->ddp_line = line;
		return 1;
	}
	load_problem(ld, line, "unknown protocol '%s' (tcp, udp, sctp or dccp)",
		     config_quote_token(slash + 1));
	return -1;
}

/* What a line may not hold: 0 for a NUL (reported first: the line is not
 * text), else the first control character other than SEPARATORS; -1 when
 * the line is clean. */
static int
bad_byte(const char *s, size_t len)
{
	if (memchr(s, '\0', len))
		return 0;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if ((c < ' ' || c == 0x7f) && !strchr(SEPARATORS, c))
			return c;
	}
	return -1;
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

		while (e > c && strchr(SEPARATORS, e[-1]))
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
		const struct node *old = registry_find(ld->reg, names[i], proto);

		if (!old || old->e.port == port)
			continue;

		bool redefined = i == 0 && !strcmp(old->e.name, names[0]);

		diag_add(ld->d, redefined && ld->strict ? DIAG_ERROR : DIAG_WARNING, ld->file, line,
			 "%s/%s redefined as port %u; keeping port %u from %s:%d", config_quote_token(names[i]),
			 registry_proto_name(proto), port, old->e.port, old->e.file, old->e.line);
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

	while (i < n && registry_find(ld->reg, names[i], node->e.proto))
		i++;
	if (i == n)
		return 0;	/* nothing new: the usual case */
	while (node->e.aliases[old])
		old++;

	const char **v = registry_alloc(ld->reg, (old + (size_t)n + 1) * sizeof(*v));

	if (!v)
		return -1;
	memcpy(v, node->e.aliases, old * sizeof(*v));
	count = old;
	for (; i < n; i++) {
		if (registry_find(ld->reg, names[i], node->e.proto))
			continue;
		if (registry_bind(ld->reg, names[i], node) < 0)
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
	struct node *node = registry_alloc(ld->reg, sizeof(*node) + (size_t)n * sizeof(char *));
	const char **aliases = node ? node->aliases : NULL;
	size_t na = 0;

	if (!node)
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
	if (registry_append(ld->reg, node) < 0)
		return -1;
	for (int i = 0; i < n; i++)
		if (registry_bind(ld->reg, names[i], node) < 0)
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

	if (bad == 0)
		load_problem(ld, line, "NUL byte in line");
	else if (bad > 0)
		load_problem(ld, line, "control character 0x%02x in line", (unsigned)bad);
	if (bad >= 0)
		return 0;
	if (split_line(ld, line, s, len, field, &nfield, &comment) < 0 || nfield == 0)
		return 0;
	if (nfield == 1) {
		load_problem(ld, line, "'%s': missing PORT/PROTOCOL after the name",
			     config_quote_token(field[0]));
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
				     i == 1 ? "service name" : "alias", config_quote_token(field[i]));
			return 0;
		}
	if (conflicts(ld, line, field + 1, nfield - 1, port, proto))
		return 0;

	struct node *old = registry_find(ld->reg, field[1], proto);

	if (old && old->e.port == port)
		return add_aliases(ld, old, field + 2, nfield - 2);
	return add_entry(ld, line, field + 1, nfield - 1, port, proto, comment);
}

static int
load_buffer(struct load *ld, char *buf, size_t len)
{
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
	registry_sort(ld->reg);
	return 0;
}

/* Reads fd (a regular file) to its end into one block, NUL-terminated (a
 * NUL inside is the caller's to find); NULL after "PATH: cannot read: ..."
 * went to d. st_size is a hint: a file may grow while we read, and some
 * (in /proc) say 0. One byte more than the size lets read() report the end
 * without a reallocation, another one is for the NUL. */
static struct block *
read_all(int fd, const struct stat *st, size_t *len, const char *path, struct diag *d)
{
	size_t size = st->st_size > 0 ? (size_t)st->st_size + 2 : REG_READ_GUESS;
	struct block *b = NULL, *nb;
	const char *why;
	size_t n = 0;
	ssize_t r;

	for (;;) {
		if (!b || n + 1 >= size) {
			if (b)
				size *= 2;
			if (!(nb = realloc(b, sizeof(*b) + size))) {
				why = "out of memory";
				break;
			}
			b = nb;
		}
		r = read(fd, (char *)b->data + n, size - 1 - n);
		if (r == 0) {
			((char *)b->data)[n] = '\0';
			*len = n;
			return b;
		}
		if (r < 0 && errno != EINTR) {
			why = strerror(errno);
			break;
		}
		if (r > 0 && (n += (size_t)r) > REG_MAX_FILE) {
			why = "file too large";
			break;
		}
	}
	diag_add(d, DIAG_ERROR, path, 0, "cannot read: %s", why);
	free(b);
	return NULL;
}

/* The whole file, its length in *len, kept with reg; NULL after
 * "PATH: cannot ..." went to d. Only a regular file is read: the open does
 * not wait (O_NONBLOCK), so a FIFO with no writer blocks neither portierd
 * nor portierctl, and is refused with the rest. */
static char *
read_file(struct registry *reg, const char *path, size_t *len, struct diag *d)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	struct block *b = NULL;
	struct stat st;

	if (fd < 0 || fstat(fd, &st) < 0)
		diag_add(d, DIAG_ERROR, path, 0, "cannot %s: %s", fd < 0 ? "open" : "stat",
			 strerror(errno));
	else if (S_ISDIR(st.st_mode))
		diag_add(d, DIAG_ERROR, path, 0, "is a directory, not a file");
	else if (!S_ISREG(st.st_mode))
		diag_add(d, DIAG_ERROR, path, 0, "not a regular file");
	else if (st.st_size > REG_MAX_FILE)
		diag_add(d, DIAG_ERROR, path, 0, "cannot read: file too large");
	else
		b = read_all(fd, &st, len, path, d);
	if (fd >= 0)
		close(fd);
	return b ? registry_keep(reg, b) : NULL;
}

int
registry_load(struct registry *reg, const char *path, bool strict, struct diag *d)
{
	size_t len;
	char *buf = read_file(reg, path, &len, d);
	struct load ld = { .reg = reg, .strict = strict, .d = d };
	char *file;

	if (!buf)
		return -1;
	if ((file = registry_alloc(reg, strlen(path) + 1))) {
		ld.file = strcpy(file, path);
		if (load_buffer(&ld, buf, len) == 0)
			return 0;
	}
	diag_add(d, DIAG_ERROR, path, 0, "out of memory while loading");
	return -1;
}

