/* SPDX-License-Identifier: ISC */
/* fuzz_control: control_parse() on one request line, exactly the bytes
 * given (no NUL after them, as read from the socket); a request that
 * parses is formatted and parsed again to the same request. The input as a
 * string also goes through control_duration(). */
#include "autoconf.h"

#include <stdlib.h>
#include <string.h>

#include "fuzz.h"

static void
roundtrip(const struct control_request *rq)
{
	struct control_request again;
	const char *err = NULL;
	char line[CONTROL_LINE_MAX + 64];
	int n = control_format(rq, line, sizeof(line));

	if (n < 0 || (size_t)n >= sizeof(line))
		abort();
	if (control_parse(line, (size_t)n, &again, &err) < 0 || again.cmd != rq->cmd)
		abort();
	switch (rq->cmd) {
	case CONTROL_OPEN:
		if (again.seconds != rq->seconds)
			abort();
		/* FALLTHROUGH */
	case CONTROL_ENABLE:
	case CONTROL_DISABLE:
	case CONTROL_CLOSE:
		if (strcmp(again.id, rq->id))
			abort();
		break;
	default:
		break;
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct control_request rq;
	const char *err = NULL;
	unsigned long seconds;
	char *s;

	memset(&rq, 0, sizeof(rq));
	if (control_parse((const char *)data, size, &rq, &err) == 0)
		roundtrip(&rq);
	else if (!err)
		abort();
	s = fuzz_string(data, size);
	if (control_duration(s, &seconds, &err) == 0 &&
	    (seconds == 0 || seconds > CONTROL_DURATION_MAX))
		abort();
	free(s);
	return 0;
}
