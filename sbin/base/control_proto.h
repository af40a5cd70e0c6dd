/* control_proto: the control socket's request lines and durations, pure
 * parsing (tests/check_control.c). One request per connection, one line:
 *   status | reload | enable ID | disable ID | open ID SECONDS | close ID
 * portierctl turns a duration ("30s", "15m", "2h", "3d", "1h30m") into the
 * seconds of `open`. */
#ifndef PORTIER_CONTROL_PROTO_H
#define PORTIER_CONTROL_PROTO_H

#include <stddef.h>

/* A request line is at most this long (LF included); longer is refused. */
#define CONTROL_LINE_MAX 512
/* Service ids on the wire: at most this long, printable, no blanks. */
#define CONTROL_ID_MAX 256
/* The longest `open`: a year. Longer belongs in the files (`expires`). */
#define CONTROL_DURATION_MAX (366UL * 24 * 3600)

enum control_cmd {
	CONTROL_STATUS,
	CONTROL_RELOAD,
	CONTROL_ENABLE,
	CONTROL_DISABLE,
	CONTROL_OPEN,
	CONTROL_CLOSE,
};

struct control_request {
	enum control_cmd cmd;
	char id[CONTROL_ID_MAX + 1];	/* enable, disable, open, close */
	unsigned long seconds;		/* open: 1 .. CONTROL_DURATION_MAX */
};

/* Parses one request line (without or with its LF / CR LF). Returns 0, or
 * -1 with *err saying why (a static string). */
int control_parse(const char *line, size_t len, struct control_request *rq, const char **err);

/* "2h", "1h30m", "90s", "3d": units s, m, h, d, each at most once, largest
 * first. Zero, a number without a unit, garbage and more than
 * CONTROL_DURATION_MAX are refused. Returns 0 or -1 with *err. */
int control_duration(const char *s, unsigned long *seconds, const char **err);

/* The request line for rq into buf (with its LF); like snprintf. */
int control_format(const struct control_request *rq, char *buf, size_t len);

#endif
