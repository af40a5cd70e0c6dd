/* SPDX-License-Identifier: ISC */
/* control_proto: request lines and durations, see base.h. */
#include "autoconf.h"

#include <stdio.h>
#include <string.h>

#include "base/base.h"

static const struct {
	const char *name;
	int args;		/* 0: none, 1: ID, 2: ID SECONDS */
} commands[] = {
	[CONTROL_STATUS] = { "status", 0 },
	[CONTROL_RELOAD] = { "reload", 0 },
	[CONTROL_ENABLE] = { "enable", 1 },
	[CONTROL_DISABLE] = { "disable", 1 },
	[CONTROL_OPEN] = { "open", 2 },
	[CONTROL_CLOSE] = { "close", 1 },
};

#define NCOMMANDS (sizeof(commands) / sizeof(commands[0]))

/* Splits the next blank-separated word off *p (up to end). */
static size_t
word(const char **p, const char *end, const char **start)
{
	const char *s = *p;

	while (s < end && *s == ' ')
		s++;
	*start = s;
	while (s < end && *s != ' ')
		s++;
	*p = s;
	return (size_t)(s - *start);
}

/* Decimal digits only, within max; -1 on anything else. */
static int
number(const char *s, size_t n, unsigned long max, unsigned long *out)
{
	unsigned long v = 0;

	if (!n)
		return -1;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		if (v > (max - (unsigned long)(s[i] - '0')) / 10)
			return -1;
		v = v * 10 + (unsigned long)(s[i] - '0');
	}
	*out = v;
	return 0;
}

static int
parse_id(const char *s, size_t n, struct control_request *rq, const char **err)
{
	if (!n) {
		*err = "missing service id";
		return -1;
	}
	if (n > CONTROL_ID_MAX) {
		*err = "service id too long";
		return -1;
	}
	for (size_t i = 0; i < n; i++) {
		if ((unsigned char)s[i] <= ' ' || (unsigned char)s[i] >= 0x7f) {
			*err = "service id with a control character";
			return -1;
		}
	}
	memcpy(rq->id, s, n);
	rq->id[n] = '\0';
	return 0;
}

static int
parse_args(const char *p, const char *end, int args, struct control_request *rq,
	   const char **err)
{
	const char *s;
	size_t n;

	if (args >= 1) {
		n = word(&p, end, &s);
		if (parse_id(s, n, rq, err) < 0)
			return -1;
	}
	if (args == 2) {
		n = word(&p, end, &s);
		if (number(s, n, CONTROL_DURATION_MAX, &rq->seconds) < 0 || !rq->seconds) {
			*err = "open needs a number of seconds from 1 to a year";
			return -1;
		}
	}
	if (word(&p, end, &s)) {
		*err = "unexpected argument";
		return -1;
	}
	return 0;
}

int
control_parse(const char *line, size_t len, struct control_request *rq, const char **err)
{
	const char *p = line, *end = line + len, *s;
	size_t n;

	memset(rq, 0, sizeof(*rq));
	if (len && line[len - 1] == '\n')
		end--;
	if (end > line && end[-1] == '\r')
		end--;
	for (const char *c = line; c < end; c++) {
		if ((unsigned char)*c < ' ' || *c == 0x7f) {
			*err = "control character in the request";
			return -1;
		}
	}
	n = word(&p, end, &s);
	for (size_t i = 0; i < NCOMMANDS; i++) {
		if (strlen(commands[i].name) != n || memcmp(commands[i].name, s, n))
			continue;
		rq->cmd = (enum control_cmd)i;
		return parse_args(p, end, commands[i].args, rq, err);
	}
	*err = n ? "unknown command" : "empty request";
	return -1;
}

int
control_duration(const char *s, unsigned long *seconds, const char **err)
{
	static const struct { char unit; unsigned long secs; } units[] = {
		{ 'd', 86400 }, { 'h', 3600 }, { 'm', 60 }, { 's', 1 },
	};
	unsigned long total = 0;
	size_t next = 0;

	*err = "not a duration (examples: 30s, 15m, 2h, 3d, 1h30m)";
	if (!*s)
		return -1;
	while (*s) {
		size_t n = strspn(s, "0123456789");
		unsigned long v;
		size_t u = next;

		while (u < 4 && units[u].unit != s[n])
			u++;
		if (!n || u == 4)
			return -1;
		if (number(s, n, CONTROL_DURATION_MAX, &v) < 0 ||
		    v > (CONTROL_DURATION_MAX - total) / units[u].secs) {
			*err = "duration too long (at most a year)";
			return -1;
		}
		total += v * units[u].secs;
		next = u + 1;
		s += n + 1;
	}
	if (!total) {
		*err = "a duration must be longer than zero";
		return -1;
	}
	*seconds = total;
	return 0;
}

int
control_format(const struct control_request *rq, char *buf, size_t len)
{
	const char *name = (size_t)rq->cmd < NCOMMANDS ? commands[rq->cmd].name : "status";

	switch (rq->cmd) {
	case CONTROL_STATUS:
	case CONTROL_RELOAD:
		return snprintf(buf, len, "%s\n", name);
	case CONTROL_OPEN:
		return snprintf(buf, len, "%s %s %lu\n", name, rq->id, rq->seconds);
	default:
		return snprintf(buf, len, "%s %s\n", name, rq->id);
	}
}
