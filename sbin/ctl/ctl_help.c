/* SPDX-License-Identifier: ISC */
/* ctl_help: how portierctl prints a command's usage and help, from the
 * struct ctl_help that each command keeps beside its option parsing. */
#include "autoconf.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "ctl/ctl.h"

/* A default that would make its option's line wider goes below it. */
#define HELP_WIDTH 80

/* The synopsis, its continuation lines indented by indent. */
static void
print_synopsis(const char *s, int indent, FILE *fp)
{
	const char *nl;

	while ((nl = strchr(s, '\n')) != NULL) {
		fprintf(fp, "%.*s\n%*s", (int)(nl - s), s, indent, "");
		s = nl + 1;
	}
	fprintf(fp, "%s\n", s);
}

/* Below its option, "(default " and the text, whose '\n's continue it at
 * the same indentation. */
static void
print_default(const char *s, int indent, FILE *fp)
{
	const char *nl;

	fprintf(fp, "\n%*s(default ", indent, "");
	while ((nl = strchr(s, '\n')) != NULL) {
		fprintf(fp, "%.*s\n%*s", (int)(nl - s), s, indent, "");
		s = nl + 1;
	}
	fprintf(fp, "%s)\n", s);
}

void
ctl_usage(const struct ctl_help *h, FILE *fp)
{
	int n = fprintf(fp, "usage: portierctl %s ", h->name);

	print_synopsis(h->synopsis, n > 0 ? n : 0, fp);
}

void
ctl_help(const struct ctl_help *h, FILE *fp)
{
	int w = 0;

	ctl_usage(h, fp);
	fprintf(fp, "%s\n", h->summary);
	for (const struct ctl_option_help *o = h->options; o->option; o++)
		w = (int)strlen(o->option) > w ? (int)strlen(o->option) : w;
	if (w)
		fprintf(fp, "\noptions:\n");
	for (const struct ctl_option_help *o = h->options; o->option; o++) {
		/* GNU's layout: long options align with the long form of others */
		int n = fprintf(fp, "  %s%-*s  %s", o->option[1] == '-' ? "    " : "",
				o->option[1] == '-' ? w - 4 : w, o->option, o->what);

		if (o->dflt && (strchr(o->dflt, '\n') ||
				n + (int)strlen(o->dflt) + 11 > HELP_WIDTH))
			print_default(o->dflt, w + 4, fp);
		else if (o->dflt)
			fprintf(fp, " (default %s)\n", o->dflt);
		else
			fputc('\n', fp);
	}
}

int
ctl_usage_error(const struct ctl_help *h, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "portierctl %s: ", h->name);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	ctl_usage(h, stderr);
	return CTL_EXIT_USAGE;
}
