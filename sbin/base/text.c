/* SPDX-License-Identifier: ISC */
/* text: values written for people (portierd's messages, portierctl's
 * status), one format each for both programs. */
#include "autoconf.h"

#include <stdio.h>

#include "base/base.h"

void
text_date(time_t t, bool zone, char *buf, size_t len)
{
	struct tm tm;
	size_t n;

	if (localtime_r(&t, &tm)) {
		n = strftime(buf, len, "%Y-%m-%d %H:%M:%S", &tm);
		if (n && (!zone || strftime(buf + n, len - n, " %z", &tm)))
			return;
	}
	snprintf(buf, len, "%lld", (long long)t);
}
