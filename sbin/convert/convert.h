/* SPDX-License-Identifier: ISC */
/* convert: xinetd (xinetd.conf, xinetd.d) and classic inetd.conf text to
 * portier conf.d text. Pure text work: it reads the files it is given and
 * never opens a socket or starts a process. Every attribute is either mapped
 * to the portier option with the same meaning or written as a comment and
 * named in a warning (FILE:LINE); input that xinetd or inetd itself rejects
 * is an error. */
#ifndef PORTIER_CONVERT_H
#define PORTIER_CONVERT_H

#include <stdbool.h>
#include <stddef.h>

#include "base/base.h"
#include "config/config.h"

struct convert_file {
	char *name;		/* file name inside conf.d: "echo.conf" */
	char *text;		/* its complete contents */
	int line;		/* where its section comes from in the source */
};

struct convert_out {
	struct convert_file *files;	/* the defaults file first, then services */
	size_t count;
	size_t live;		/* services written as live sections */
	size_t commented;	/* services written entirely as comments */
};

/* The port a service name has for proto ("tcp" or "udp"), 0 when unknown. */
typedef unsigned (*convert_port_fn)(const char *name, const char *proto, void *arg);

/* The two look-ups portierctl and inetd_compat give the converter: the
 * system's /etc/services (getservbyname; arg unused), and portier's registry
 * (arg: the struct registry, NULL for none). */
unsigned convert_system_port(const char *name, const char *proto, void *arg);
unsigned convert_registry_port(const char *name, const char *proto, void *arg);

/* A service the source names without a port listens where the old daemon's
 * services file says; when portier's registry says otherwise (or nothing),
 * the port is spelled out in the result. */
struct convert_opts {
	convert_port_fn system_port;	/* /etc/services; NULL: not known */
	convert_port_fn registry_port;	/* portier's registry; NULL: not known */
	void *arg;
	const char *prefix;	/* before every file name and service id; NULL: none */
};

/* portierctl's default prefixes: converted files and ids never collide with
 * the files and ids a package ships in conf.d (telnet.conf, service telnet). */
#define CONVERT_XINETD_PREFIX "xinetd-"
#define CONVERT_INETD_PREFIX "inetd-"

/* Whether p can start a file name and a service id: letters, digits and
 * . _ + - @, not starting with a dot (the empty prefix is valid). */
bool convert_prefix_valid(const char *p);

/* path: xinetd.conf (include and includedir are followed), one file of
 * service entries, or a directory read as xinetd's includedir reads it.
 * Return 0, or -1 when d holds errors (out holds what could be converted). */
int convert_xinetd_path(const char *path, const struct convert_opts *o,
			struct convert_out *out, struct diag *d);
/* Same from one buffer, as if it were the file name (unit tests). */
int convert_xinetd_buffer(const char *buf, const char *name,
			  const struct convert_opts *o, struct convert_out *out,
			  struct diag *d);
int convert_inetd_path(const char *path, const struct convert_opts *o,
		       struct convert_out *out, struct diag *d);
int convert_inetd_buffer(const char *buf, const char *name,
			 const struct convert_opts *o, struct convert_out *out,
			 struct diag *d);

/* config_inetd_fn for inetd_compat (config.h): the entries of path, whose
 * bytes are text, each a chunk with the id `portierctl convert --from-inetd`
 * gives it (prefix "inetd-"); ports known by name in /etc/services or reg
 * (NULL: none). Registered by portierd and portierctl. 0, or -1 when out
 * of memory. */
int convert_inetd_config(const char *text, const char *path, const struct registry *reg,
			 struct config_chunk **chunks, size_t *n, struct diag *d);

/* Writes every file into dir (created if missing). A name in dir is never
 * followed: each file is written under a temporary name and renamed over
 * its name (force: a file or symlink there is replaced, not what it points
 * to) or linked to it (no force: nothing is ever replaced). Without force,
 * when any name is taken nothing is written. 0, or -1 with errors in d. */
int convert_write(const char *dir, const struct convert_out *out, bool force,
		  struct diag *d);
/* Every file one after the other, each under a "# file: NAME" line. */
char *convert_join(const struct convert_out *out);
/* Rules (non-comment lines) in a hosts.allow/hosts.deny file; 0 when the
 * file does not exist, -1 when it cannot be read. */
int convert_hosts_rules(const char *path);
void convert_out_free(struct convert_out *out);

#endif
