/* SPDX-License-Identifier: ISC */
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
/* ctl_ask_quiet(): portierd not running is an answer, not an error. */
static bool quiet;

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

		if ((err == ENOENT || err == ECONNREFUSED) && !quiet)
			fprintf(stderr, "portierctl: portierd is not running (no control socket at "
				"%s: %s)\n", socket_path, strerror(err));
		else if (err != ENOENT && err != ECONNREFUSED)
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
	text = ctl_read_all(fd, REPLY_MAX, &len);
	if (!text)
		fprintf(stderr, "portierctl: reading the reply: %s\n", strerror(errno));
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

struct json_value *
ctl_ask_quiet(const struct control_request *rq)
{
	struct json_value *v;

	quiet = true;
	v = ask(rq, NULL);
	quiet = false;
	return v;
}

/* ---- the commands ---- */

#define OPT_SOCKET { "-s, --socket PATH", "portierd's control socket", PORTIER_RUNDIR "/control" }
#define OPT_HELP { "-h, --help", "this help", NULL }

static const struct ctl_option_help status_options[] = {
	OPT_SOCKET,
	{ "--json", "portierd's reply as it is: one JSON object", NULL },
	OPT_HELP,
	{ NULL, NULL, NULL },
};

static const struct ctl_option_help plain_options[] = {
	OPT_SOCKET,
	OPT_HELP,
	{ NULL, NULL, NULL },
};

static const struct ctl_option_help open_options[] = {
	OPT_SOCKET,
	{ "--for DURATION", "how long: 30s, 15m, 2h, 3d, 1h30m (at most 366d)", NULL },
	OPT_HELP,
	{ NULL, NULL, NULL },
};

const struct ctl_help ctl_status_help = {
	"status", "[-s PATH] [--json]",
	"the running portierd and its services", status_options,
};
const struct ctl_help ctl_reload_help = {
	"reload", "[-s PATH]", "make portierd read its files again", plain_options,
};
const struct ctl_help ctl_enable_help = {
	"enable", "[-s PATH] ID", "offer a service until the next reload", plain_options,
};
const struct ctl_help ctl_disable_help = {
	"disable", "[-s PATH] ID", "close a service until the next reload", plain_options,
};
const struct ctl_help ctl_open_help = {
	"open", "[-s PATH] ID --for DURATION",
	"offer a service for a while, then close it", open_options,
};
const struct ctl_help ctl_close_help = {
	"close", "[-s PATH] ID", "end an open period early", plain_options,
};

/* Common options: -s PATH, --json (status), --for DURATION (open). The
 * remaining arguments (the service id) go to *rest. */
struct opts {
	bool json;
	const char *dur;
	char **rest;
	int nrest;
};

static int
parse_opts(int argc, char *argv[], const struct ctl_help *h, struct opts *o)
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
			ctl_help(h, stdout);
			return 0;
		default:
			return ctl_usage_error(h, "bad option '%s'", argv[optind - 1]);
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
		ctl_status_print(v);
		rc = CTL_EXIT_OK;
	} else {
		rc = report(v);
	}
	free(raw);
	json_value_free(v);
	return rc;
}

static int
ctl_plain(int argc, char *argv[], enum control_cmd cmd, const struct ctl_help *h)
{
	struct control_request rq = { .cmd = cmd };
	struct opts o;
	int rc = parse_opts(argc, argv, h, &o);

	if (rc >= 0)
		return rc;
	if (o.nrest)
		return ctl_usage_error(h, "unexpected argument '%s'", o.rest[0]);
	if (o.dur || (o.json && cmd != CONTROL_STATUS))
		return ctl_usage_error(h, "%s does not apply", o.dur ? "--for" : "--json");
	return run(&rq, o.json);
}

static int
ctl_service(int argc, char *argv[], enum control_cmd cmd, const struct ctl_help *h)
{
	struct control_request rq = { .cmd = cmd };
	const char *err;
	struct opts o;
	int rc = parse_opts(argc, argv, h, &o);

	if (rc >= 0)
		return rc;
	if (o.nrest != 1)
		return ctl_usage_error(h, "one service ID, please");
	if (o.json || (cmd != CONTROL_OPEN && o.dur))
		return ctl_usage_error(h, "%s does not apply", o.json ? "--json" : "--for");
	if (cmd == CONTROL_OPEN && !o.dur)
		return ctl_usage_error(h, "for how long? (--for DURATION)");
	if (strlen(o.rest[0]) > CONTROL_ID_MAX)
		return ctl_usage_error(h, "a service ID is at most %d bytes", CONTROL_ID_MAX);
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
	return ctl_plain(argc, argv, CONTROL_STATUS, &ctl_status_help);
}

int
ctl_reload(int argc, char *argv[])
{
	return ctl_plain(argc, argv, CONTROL_RELOAD, &ctl_reload_help);
}

int
ctl_enable(int argc, char *argv[])
{
	return ctl_service(argc, argv, CONTROL_ENABLE, &ctl_enable_help);
}

int
ctl_disable(int argc, char *argv[])
{
	return ctl_service(argc, argv, CONTROL_DISABLE, &ctl_disable_help);
}

int
ctl_open(int argc, char *argv[])
{
	return ctl_service(argc, argv, CONTROL_OPEN, &ctl_open_help);
}

int
ctl_close(int argc, char *argv[])
{
	return ctl_service(argc, argv, CONTROL_CLOSE, &ctl_close_help);
}
