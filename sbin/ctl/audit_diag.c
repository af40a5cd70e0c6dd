/* SPDX-License-Identifier: ISC */
/* audit_diag: the kernel's listening sockets. sock_diag netlink answers in
 * one dump per family and protocol, filtered by state in the kernel, so a
 * host with 10,000 sockets costs a few datagrams; /proc/net is read only
 * where netlink is refused (some containers). */
#include "autoconf.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/sock_diag.h>
#include <linux/unix_diag.h>
#include <net/if.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "ctl/audit.h"
#include "ctl/ctl.h"

/* Large enough for the kernel's biggest dump datagram (it fills a page
 * or two per message batch); one recv reads one datagram. */
#define DIAG_BUF (64 * 1024)
/* A /proc/net file of a busy host: 150 bytes a socket. */
#define PROCNET_MAX (64 << 20)

/* TCP_LISTEN for TCP; an unconnected UDP socket is TCP_CLOSE (ss -lu). */
#define STATE_LISTEN 10
#define STATE_CLOSE 7

const char *
audit_proto_name(int protocol)
{
	return protocol == IPPROTO_UDP ? "udp" : protocol == IPPROTO_TCP ? "tcp" : "unix";
}

const char *
audit_addr_str(const struct audit_sock *k, char *buf, size_t len)
{
	if (k->family == AF_UNIX)
		snprintf(buf, len, "unix:%s", k->path);
	else if (!inet_ntop(k->family, k->addr, buf, (socklen_t)len))
		snprintf(buf, len, "?");
	return buf;
}

void
audit_socks_free(struct audit_socks *s)
{
	free(s->v);
	s->v = NULL;
	s->count = s->cap = 0;
}

static struct audit_sock *
socks_add(struct audit_socks *s)
{
	if (s->count == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 64;
		struct audit_sock *v = realloc(s->v, cap * sizeof(*v));

		if (!v)
			return NULL;
		s->v = v;
		s->cap = cap;
	}
	memset(&s->v[s->count], 0, sizeof(s->v[0]));
	return &s->v[s->count++];
}

static int
diag_one(const struct inet_diag_msg *m, int protocol, struct audit_socks *s)
{
	struct audit_sock *k;

	if (m->idiag_family != AF_INET && m->idiag_family != AF_INET6)
		return 0;
	/* a connected UDP socket is a client's, not a door */
	if (protocol == IPPROTO_UDP && m->id.idiag_dport != 0)
		return 0;
	k = socks_add(s);
	if (!k)
		return -1;
	k->family = m->idiag_family;
	k->protocol = protocol;
	memcpy(k->addr, m->id.idiag_src, k->family == AF_INET ? 4 : 16);
	k->port = ntohs(m->id.idiag_sport);
	k->inode = m->idiag_inode;
	k->uid = m->idiag_uid;
	k->ifindex = m->id.idiag_if;
	return 0;
}

/* A unix socket's name: "@name" when abstract (a leading NUL), and the
 * NULs an abstract name may hold shown as '@' (as ss does). */
static void
unix_name(struct audit_sock *k, const char *name, size_t len)
{
	if (len > 0 && name[0])
		len = strnlen(name, len);	/* a path may come with its NUL */
	if (len >= sizeof(k->path))
		len = sizeof(k->path) - 1;
	for (size_t i = 0; i < len; i++)
		k->path[i] = name[i] ? name[i] : '@';
	k->path[len] = '\0';
}

static int
unix_one(const struct unix_diag_msg *m, size_t len, struct audit_socks *s)
{
	const struct rtattr *a = (const struct rtattr *)(m + 1);
	/* signed: RTA_NEXT past a last attribute whose length is not
	 * aligned goes below 0, which RTA_OK refuses */
	int n = (int)(len - NLMSG_ALIGN(sizeof(*m)));
	const char *name = NULL;
	size_t namelen = 0;
	uint32_t uid = 0;
	struct audit_sock *k;

	if (m->udiag_family != AF_UNIX || m->udiag_type != SOCK_STREAM ||
	    m->udiag_state != STATE_LISTEN)
		return 0;
	for (; RTA_OK(a, n); a = RTA_NEXT(a, n)) {
		if (a->rta_type == UNIX_DIAG_NAME) {
			name = RTA_DATA(a);
			namelen = RTA_PAYLOAD(a);
		} else if (a->rta_type == UNIX_DIAG_UID && RTA_PAYLOAD(a) >= sizeof(uid))
			memcpy(&uid, RTA_DATA(a), sizeof(uid));
	}
	/* an unnamed socket (socketpair, or bound to nothing) is no door */
	if (!name || namelen == 0)
		return 0;
	k = socks_add(s);
	if (!k)
		return -1;
	k->family = AF_UNIX;
	unix_name(k, name, namelen);
	k->inode = m->udiag_ino;
	k->uid = uid;
	return 0;
}

/* One datagram of a dump: AF_UNIX when protocol is 0. */
static int
diag_parse(const void *buf, size_t len, int protocol, struct audit_socks *s)
{
	size_t need = protocol ? sizeof(struct inet_diag_msg) : sizeof(struct unix_diag_msg);

	/* Lengths in size_t: NLMSG_OK and NLMSG_NEXT compare the kernel's
	 * unsigned nlmsg_len with an int. */
	for (size_t off = 0; off < len; ) {
		const struct nlmsghdr *h = (const void *)((const char *)buf + off);
		int rc;

		if (len - off < sizeof(*h) || h->nlmsg_len < sizeof(*h) ||
		    h->nlmsg_len > len - off) {
			errno = EBADMSG;	/* a truncated message */
			return -1;
		}
		off += NLMSG_ALIGN(h->nlmsg_len);
		if (h->nlmsg_type == NLMSG_DONE)
			return 1;
		if (h->nlmsg_type == NLMSG_ERROR) {
			const struct nlmsgerr *e = NLMSG_DATA(h);

			/* the kernel sends -errno; anything else (INT_MIN has
			 * no negation) is a malformed reply */
			errno = h->nlmsg_len >= NLMSG_LENGTH(sizeof(*e)) &&
			    e->error < 0 && e->error >= -4095 ? -e->error : EBADMSG;
			return -1;
		}
		if (h->nlmsg_type != SOCK_DIAG_BY_FAMILY || h->nlmsg_len < NLMSG_LENGTH(need)) {
			errno = EBADMSG;
			return -1;
		}
		rc = protocol ? diag_one(NLMSG_DATA(h), protocol, s) :
		    unix_one(NLMSG_DATA(h), h->nlmsg_len - NLMSG_HDRLEN, s);
		if (rc < 0)
			return -1;
	}
	return 0;
}

int
audit_diag_parse(const void *buf, size_t len, int protocol, struct audit_socks *s)
{
	return diag_parse(buf, len, protocol, s);
}

int
audit_unix_parse(const void *buf, size_t len, struct audit_socks *s)
{
	return diag_parse(buf, len, 0, s);
}

/* One request to the kernel's sock_diag: 0 when sent whole. */
static int
nl_send(int fd, const void *rq, size_t len)
{
	struct sockaddr_nl nl = { .nl_family = AF_NETLINK };

	return sendto(fd, rq, len, 0, (struct sockaddr *)&nl, sizeof(nl)) == (ssize_t)len ? 0 : -1;
}

static int
unix_request(int fd)
{
	struct {
		struct nlmsghdr h;
		struct unix_diag_req r;
	} rq = {
		.h = {
			.nlmsg_len = sizeof(rq),
			.nlmsg_type = SOCK_DIAG_BY_FAMILY,
			.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP,
			.nlmsg_seq = 1,
		},
		.r = {
			.sdiag_family = AF_UNIX,
			.udiag_states = 1u << STATE_LISTEN,
			.udiag_show = UDIAG_SHOW_NAME | UDIAG_SHOW_UID,
		},
	};

	return nl_send(fd, &rq, sizeof(rq));
}

static int
diag_request(int fd, int family, int protocol)
{
	struct {
		struct nlmsghdr h;
		struct inet_diag_req_v2 r;
	} rq = {
		.h = {
			.nlmsg_len = sizeof(rq),
			.nlmsg_type = SOCK_DIAG_BY_FAMILY,
			.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP,
			.nlmsg_seq = 1,
		},
		.r = {
			.sdiag_family = (uint8_t)family,
			.sdiag_protocol = (uint8_t)protocol,
			.idiag_states = 1u << (protocol == IPPROTO_TCP ? STATE_LISTEN : STATE_CLOSE),
		},
	};

	return nl_send(fd, &rq, sizeof(rq));
}

static int
diag_dump(int fd, int family, int protocol, struct audit_socks *s, char *buf)
{
	int rc = 0;

	if ((family == AF_UNIX ? unix_request(fd) : diag_request(fd, family, protocol)) < 0)
		return -1;
	while (rc == 0) {
		ssize_t n = recv(fd, buf, DIAG_BUF, 0);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			if (n == 0)
				errno = EBADMSG;
			return -1;
		}
		rc = diag_parse(buf, (size_t)n, protocol, s);
	}
	return rc < 0 ? -1 : 0;
}

static const struct {
	int family, protocol;
	const char *procnet;
} dumps[] = {
	{ AF_INET, IPPROTO_TCP, "/proc/net/tcp" },
	{ AF_INET6, IPPROTO_TCP, "/proc/net/tcp6" },
	{ AF_INET, IPPROTO_UDP, "/proc/net/udp" },
	{ AF_INET6, IPPROTO_UDP, "/proc/net/udp6" },
	{ AF_UNIX, 0, "/proc/net/unix" },
};

#define NDUMPS (sizeof(dumps) / sizeof(dumps[0]))

static char *slurp(const char *path);

/* Without unix_diag (a module) the kernel knows no AF_UNIX dump. */
static int
read_procunix(struct audit_socks *s)
{
	char *text = slurp("/proc/net/unix");
	int rc;

	if (!text)
		return -1;
	rc = audit_procunix_parse(text, s);
	free(text);
	return rc;
}

/* 0, 1 when netlink is refused (the caller reads /proc/net), -1. */
static int
read_netlink(struct audit_socks *s)
{
	char *buf;
	int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_SOCK_DIAG);

	if (fd < 0)
		return errno == EACCES || errno == EPERM || errno == EPROTONOSUPPORT ||
		    errno == EAFNOSUPPORT ? 1 : -1;
	buf = malloc(DIAG_BUF);
	for (size_t i = 0; buf && i < NDUMPS; i++) {
		/* IPv6 may be off: its dump fails alone */
		if (diag_dump(fd, dumps[i].family, dumps[i].protocol, s, buf) < 0 &&
		    !(dumps[i].family == AF_INET6 && errno == ENOENT) &&
		    !(dumps[i].family == AF_UNIX && errno == ENOENT && read_procunix(s) == 0)) {
			int err = errno;

			free(buf);
			close(fd);
			errno = err;
			return err == EACCES || err == EPERM ? 1 : -1;
		}
	}
	close(fd);
	if (!buf)
		return -1;
	free(buf);
	s->source = "netlink";
	return 0;
}

/* 32-bit words as the kernel prints them: %08X of the address's bytes
 * read as a native integer. */
static int
hex_addr(const char *p, int family, uint8_t *addr)
{
	int words = family == AF_INET ? 1 : 4;

	for (int i = 0; i < words; i++) {
		char w[9];
		uint32_t v;
		char *end;

		memcpy(w, p + 8 * i, 8);
		w[8] = '\0';
		v = (uint32_t)strtoul(w, &end, 16);
		if (*end)
			return -1;
		memcpy(addr + 4 * i, &v, 4);
	}
	return 0;
}

/* "  0: 0100007F:0016 00000000:0000 0A 00000000:00000000 00:00000000
 * 00000000     0        0 12345 ..." */
static int
procnet_line(const char *line, int family, int protocol, struct audit_socks *s)
{
	char local[40], remote[40];
	unsigned lport, rport, st, uid;
	unsigned long long inode;
	struct audit_sock *k;
	size_t alen = family == AF_INET ? 8 : 32;

	if (sscanf(line, " %*d: %39[0-9A-Fa-f]:%x %39[0-9A-Fa-f]:%x %x %*s %*s %*s %u %*u %llu",
		   local, &lport, remote, &rport, &st, &uid, &inode) != 7 || strlen(local) != alen)
		return 0;
	if (st != (protocol == IPPROTO_TCP ? STATE_LISTEN : STATE_CLOSE) ||
	    (protocol == IPPROTO_UDP && rport))
		return 0;
	k = socks_add(s);
	if (!k)
		return -1;
	k->family = family;
	k->protocol = protocol;
	if (hex_addr(local, family, k->addr) < 0) {
		s->count--;
		return 0;
	}
	k->port = lport;
	k->uid = uid;
	k->inode = inode;
	return 0;
}

int
audit_procnet_parse(const char *text, int family, int protocol, struct audit_socks *s)
{
	const char *p = strchr(text, '\n');	/* the header */

	while (p && *++p) {
		if (procnet_line(p, family, protocol, s) < 0)
			return -1;
		p = strchr(p, '\n');
	}
	return 0;
}

/* "0000000000000000: 00000002 00000000 00010000 0001 01 12345 /run/x":
 * __SO_ACCEPTCON in the flags, SOCK_STREAM, TCP_LISTEN's SS_UNCONNECTED
 * (01), the inode, the path ('@' leads an abstract name). */
static int
procunix_line(const char *line, struct audit_socks *s)
{
	unsigned flags, type, st;
	unsigned long long inode;
	int off = 0;
	struct audit_sock *k;
	const char *path, *end;

	if (sscanf(line, " %*[0-9A-Fa-f]: %*x %*x %x %x %x %llu%n", &flags, &type, &st,
		   &inode, &off) != 4 || off == 0)
		return 0;
	if (!(flags & 0x10000) || type != SOCK_STREAM || st != 1)
		return 0;
	path = line + off;
	path += strspn(path, " \t");	/* not the newline: no path is unnamed */
	end = strchr(path, '\n');
	if (!end)
		end = path + strlen(path);
	if (end == path)
		return 0;	/* unnamed */
	k = socks_add(s);
	if (!k)
		return -1;
	k->family = AF_UNIX;
	unix_name(k, path, (size_t)(end - path));
	k->inode = inode;
	k->uid = (uid_t)-1;	/* /proc/net/unix does not say */
	return 0;
}

int
audit_procunix_parse(const char *text, struct audit_socks *s)
{
	const char *p = strchr(text, '\n');	/* the header */

	while (p && *++p) {
		if (procunix_line(p, s) < 0)
			return -1;
		p = strchr(p, '\n');
	}
	return 0;
}

static char *
slurp(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	size_t len;
	char *text = fd >= 0 ? ctl_read_all(fd, PROCNET_MAX, &len) : NULL;

	if (fd >= 0)
		close(fd);
	return text;
}

static int
read_procnet(struct audit_socks *s)
{
	for (size_t i = 0; i < NDUMPS; i++) {
		char *text = slurp(dumps[i].procnet);
		int rc;

		if (!text && dumps[i].family == AF_INET6 && errno == ENOENT)
			continue;	/* no IPv6 */
		if (!text)
			return -1;
		rc = dumps[i].family == AF_UNIX ? audit_procunix_parse(text, s) :
		    audit_procnet_parse(text, dumps[i].family, dumps[i].protocol, s);
		free(text);
		if (rc < 0)
			return -1;
	}
	s->source = "proc";
	return 0;
}

int
audit_read_sockets(struct audit_socks *s)
{
	int rc = read_netlink(s);

	if (rc > 0) {
		s->count = 0;	/* what a refused dump left */
		rc = read_procnet(s);
	}
	/* the interfaces' names, now: an index is all the kernel keeps */
	for (size_t i = 0; rc == 0 && i < s->count; i++) {
		struct audit_sock *k = &s->v[i];

		if (k->ifindex && !if_indextoname(k->ifindex, k->ifname))
			snprintf(k->ifname, sizeof(k->ifname), "if%u", k->ifindex % 1000000000u);
	}
	return rc;
}
