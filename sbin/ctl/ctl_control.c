/* portierctl status, reload, enable, disable, open, close: one request
 * line to portierd's control socket, one JSON reply
 * (control_proto in base/base.h). */
#include "autoconf.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>
#include <unistd.h>

#include "base/base.h"
#include "ctl/ctl.h"

/* A reply larger than this is not portierd's. */
#define REPLY_MAX (64 << 20)
/* portierd answers at once; a reload of many services takes a while. */
#define REPLY_TIMEOUT_S 60

static const char *socket_path = PORTIER_RUNDIR "/control";

void
ctl_set_socket(const char *path)
{
	socket_path = path;
}

/* Only root, or our own user (a portierd run without privileges), may
 * answer: anyone else who got a socket in its place (a directory others may
 * write, a wrong -s) could fake a "reload ok" or a status. */
static int
check_peer(int fd)
{
	struct ucred cred;
	socklen_t len = sizeof(cred);

	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) < 0) {
		fprintf(stderr, "portierctl: %s: SO_PEERCRED: %s\n", socket_path, strerror(errno));
		return -1;
	}
	if (cred.uid == 0 || cred.uid == geteuid())
		return 0;
	if (geteuid() == 0)
		fprintf(stderr, "portierctl: the control socket %s is served by uid %u, not by "
			"root\n", socket_path, (unsigned)cred.uid);
	else
		fprintf(stderr, "portierctl: the control socket %s is served by uid %u, not by "
			"root or uid %u (portierctl's own)\n", socket_path, (unsigned)cred.uid,
			(unsigned)geteuid());
	return -1;
}

static int
connect_daemon(void)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	struct timeval tv = { .tv_sec = REPLY_TIMEOUT_S };
	int fd;

	if (strlen(socket_path) >= sizeof(sa.sun_path)) {
		fprintf(stderr, "portierctl: %s: path too long\n", socket_path);
		return -1;
	}
	strcpy(sa.sun_path, socket_path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)) < 0 ||
	    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv)) < 0 ||
	    connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		int err = errno;

		if (err == ENOENT || err == ECONNREFUSED)
			fprintf(stderr, "portierctl: portierd is not running (no control socket at "
				"%s: %s)\n", socket_path, strerror(err));
		else
			fprintf(stderr, "portierctl: %s: %s\n", socket_path, strerror(err));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	if (check_peer(fd) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}

static char *
read_all(int fd, size_t *len)
{
	size_t cap = 4096;
	char *buf = malloc(cap);

	*len = 0;
	while (buf) {
		ssize_t n;

		if (*len + 1 >= cap) {	/* room for the NUL */
			char *b = cap < REPLY_MAX ? realloc(buf, cap * 2) : NULL;

			if (!b)
				break;
			buf = b;
			cap *= 2;
		}
		n = read(fd, buf + *len, cap - *len);
		/* portierd closed without reading our line (a refusal): the
		 * reply came first, and the reset only ends it */
		if (n < 0 && errno == ECONNRESET && *len)
			n = 0;
		if (n == 0) {
			buf[*len] = '\0';
			return buf;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			fprintf(stderr, "portierctl: reading the reply: %s\n", strerror(errno));
			break;
		}
		*len += (size_t)n;
	}
	free(buf);
	return NULL;
}

/* Sends rq and returns the parsed reply, or NULL (reported). *raw gets the
 * text as received when raw is not NULL. */
static struct json_value *
ask(const struct control_request *rq, char **raw)
{
	char line[CONTROL_LINE_MAX + 16];
	int n = control_format(rq, line, sizeof(line));
	struct json_value *v = NULL;
	size_t len;
	char *text;
	int fd, sent_err = 0;

	if (n < 0 || (size_t)n >= sizeof(line))
		return NULL;
	fd = connect_daemon();
	if (fd < 0)
		return NULL;
	/* A refused client may find the socket closed before it has sent:
	 * the refusal is still there to be read. */
	if (send(fd, line, (size_t)n, MSG_NOSIGNAL) != n)
		sent_err = errno;
	text = read_all(fd, &len);
	close(fd);
	if (text)
		v = json_parse(text, len);
	if (!v && sent_err)
		fprintf(stderr, "portierctl: sending to %s: %s\n", socket_path, strerror(sent_err));
	else if (!v)
		fprintf(stderr, "portierctl: no valid reply from portierd on %s\n", socket_path);
	if (v && raw) {
		*raw = text;
		text = NULL;
	}
	free(text);
	return v;
}

/* ---- status ---- */

static void
print_header(const struct json_value *v)
{
	const struct json_value *lr = json_get(v, "last_reload");
	long up = (long)json_get_num(v, "uptime", 0);
	char when[64] = "";

	printf("portierd pid %.0f, up %ldd %02ld:%02ld:%02ld, configuration generation %.0f\n",
	       json_get_num(v, "pid", 0), up / 86400, up / 3600 % 24, up / 60 % 60, up % 60,
	       json_get_num(v, "generation", 0));
	if (!lr || lr->type != JSON_OBJECT) {
		printf("last reload: none\n");
		return;
	}
	text_date((time_t)json_get_num(lr, "time", 0), false, when, sizeof(when));
	printf("last reload: %s at %s\n", json_get(lr, "ok") && json_get(lr, "ok")->b ?
	       "ok" : "FAILED", when);
	for (const struct json_value *e = json_get(lr, "errors") ?
	     json_get(lr, "errors")->child : NULL; e; e = e->next)
		printf("  %s\n", e->type == JSON_STRING ? e->str : "?");
}

static void
print_service(const struct json_value *s, int idw)
{
	const struct json_value *addrs = json_get(s, "addresses"), *ref = json_get(s, "refused");
	char state[96], refused[256] = "", list[1024] = "";
	double until = json_get_num(s, "until", 0);
	size_t used = 0;

	snprintf(state, sizeof(state), "%s", json_get_str(s, "state", "?"));
	if (until > 0) {
		size_t n = strlen(state);

		snprintf(state + n, sizeof(state) - n, " until ");
		n = strlen(state);
		text_date((time_t)until, false, state + n, sizeof(state) - n);
	}
	for (const struct json_value *a = addrs ? addrs->child : NULL; a; a = a->next) {
		int n = snprintf(list + used, sizeof(list) - used, "%s%s", used ? "," : "",
				 a->type == JSON_STRING ? a->str : "?");

		if (n < 0 || (size_t)n >= sizeof(list) - used)
			break;
		used += (size_t)n;
	}
	used = 0;
	for (const struct json_value *r = ref ? ref->child : NULL; r; r = r->next) {
		int n;

		if (r->type != JSON_NUMBER || r->num == 0)
			continue;
		n = snprintf(refused + used, sizeof(refused) - used, "%s%s=%.0f", used ? "," : "",
			     r->key, r->num);
		if (n < 0 || (size_t)n >= sizeof(refused) - used)
			break;
		used += (size_t)n;
	}
	printf("%-*s  %-38s %7.0f %9.0f %8.0f  %s\n", idw, json_get_str(s, "id", "?"), state,
	       json_get_num(s, "running", 0), json_get_num(s, "accepted", 0),
	       json_get_num(s, "refused_total", 0), refused[0] ? refused : "-");
	printf("%-*s    %s\n", idw, "", list[0] ? list : "-");
	if (json_get_str(s, "last_error", NULL))
		printf("%-*s    last error: %s\n", idw, "", json_get_str(s, "last_error", ""));
}

static void
print_status(const struct json_value *v)
{
	const struct json_value *svcs = json_get(v, "services");
	int idw = 2;

	print_header(v);
	for (const struct json_value *s = svcs ? svcs->child : NULL; s; s = s->next) {
		int n = (int)strlen(json_get_str(s, "id", "?"));

		idw = n > idw ? n : idw;
	}
	printf("\n%-*s  %-38s %7s %9s %8s  %s\n", idw, "ID", "STATE", "RUNNING", "ACCEPTED",
	       "REFUSED", "BY REASON");
	printf("%-*s    %s\n", idw, "", "ADDRESSES");
	for (const struct json_value *s = svcs ? svcs->child : NULL; s; s = s->next)
		print_service(s, idw);
}

/* ---- the commands ---- */

/* Common options: -s PATH, --json (status), --for DURATION (open). The
 * remaining arguments (the service id) go to *rest. */
struct opts {
	bool json;
	const char *dur;
	char **rest;
	int nrest;
};

static int
parse_opts(int argc, char *argv[], const char *usage, struct opts *o)
{
	static const struct option longopts[] = {
		{ "socket", required_argument, NULL, 's' },
		{ "json", no_argument, NULL, 'j' },
		{ "for", required_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	memset(o, 0, sizeof(*o));
	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":s:h", longopts, NULL)) != -1) {
		switch (c) {
		case 's':
			socket_path = optarg;
			break;
		case 'j':
			o->json = true;
			break;
		case 'f':
			o->dur = optarg;
			break;
		case 'h':
			printf("usage: %s\n", usage);
			return 0;
		default:
			fprintf(stderr, "portierctl %s: bad option '%s'\nusage: %s\n", argv[0],
				argv[optind - 1], usage);
			return 2;
		}
	}
	o->rest = argv + optind;
	o->nrest = argc - optind;
	return -1;
}

/* Prints an ok/error reply; the exit code. */
static int
report(const struct json_value *v)
{
	const struct json_value *ok = json_get(v, "ok"), *errs = json_get(v, "errors");
	bool good = ok && ok->type == JSON_BOOL && ok->b;

	if (good)
		printf("%s\n", json_get_str(v, "message", "ok"));
	else
		fprintf(stderr, "portierctl: %s\n", json_get_str(v, "error", "failed"));
	for (const struct json_value *e = errs ? errs->child : NULL; e; e = e->next)
		fprintf(stderr, "%s\n", e->type == JSON_STRING ? e->str : "?");
	return good ? CTL_EXIT_OK : CTL_EXIT_NO;
}

static int
run(const struct control_request *rq, bool json)
{
	char *raw = NULL;
	struct json_value *v = ask(rq, json ? &raw : NULL);
	int rc;

	if (!v)
		return CTL_EXIT_DAEMON;
	if (json) {
		fputs(raw, stdout);
		putchar('\n');
		rc = json_get(v, "ok") && json_get(v, "ok")->b ? CTL_EXIT_OK : CTL_EXIT_NO;
	} else if (rq->cmd == CONTROL_STATUS && json_get(v, "ok") && json_get(v, "ok")->b) {
		print_status(v);
		rc = CTL_EXIT_OK;
	} else {
		rc = report(v);
	}
	free(raw);
	json_value_free(v);
	return rc;
}

static int
ctl_plain(int argc, char *argv[], enum control_cmd cmd, const char *usage)
{
	struct control_request rq = { .cmd = cmd };
	struct opts o;
	int rc = parse_opts(argc, argv, usage, &o);

	if (rc >= 0)
		return rc;
	if (o.nrest || o.dur || (o.json && cmd != CONTROL_STATUS)) {
		fprintf(stderr, "usage: %s\n", usage);
		return CTL_EXIT_USAGE;
	}
	return run(&rq, o.json);
}

static int
ctl_service(int argc, char *argv[], enum control_cmd cmd, const char *usage)
{
	struct control_request rq = { .cmd = cmd };
	const char *err;
	struct opts o;
	int rc = parse_opts(argc, argv, usage, &o);

	if (rc >= 0)
		return rc;
	if (o.nrest != 1 || o.json || (cmd == CONTROL_OPEN) != !!o.dur ||
	    strlen(o.rest[0]) > CONTROL_ID_MAX) {
		fprintf(stderr, "usage: %s\n", usage);
		return CTL_EXIT_USAGE;
	}
	if (o.dur && control_duration(o.dur, &rq.seconds, &err) < 0) {
		fprintf(stderr, "portierctl open: '%s': %s\n", o.dur, err);
		return CTL_EXIT_USAGE;
	}
	snprintf(rq.id, sizeof(rq.id), "%s", o.rest[0]);
	return run(&rq, false);
}

int
ctl_status(int argc, char *argv[])
{
	return ctl_plain(argc, argv, CONTROL_STATUS, "portierctl status [-s PATH] [--json]");
}

int
ctl_reload(int argc, char *argv[])
{
	return ctl_plain(argc, argv, CONTROL_RELOAD, "portierctl reload [-s PATH]");
}

int
ctl_enable(int argc, char *argv[])
{
	return ctl_service(argc, argv, CONTROL_ENABLE, "portierctl enable [-s PATH] ID");
}

int
ctl_disable(int argc, char *argv[])
{
	return ctl_service(argc, argv, CONTROL_DISABLE, "portierctl disable [-s PATH] ID");
}

int
ctl_open(int argc, char *argv[])
{
	return ctl_service(argc, argv, CONTROL_OPEN,
			   "portierctl open [-s PATH] ID --for DURATION (30s, 15m, 2h, 3d, 1h30m)");
}

int
ctl_close(int argc, char *argv[])
{
	return ctl_service(argc, argv, CONTROL_CLOSE, "portierctl close [-s PATH] ID");
}
