/* SPDX-License-Identifier: ISC */
/* bench_load: how long portierd takes to read what it is given, before it
 * opens anything: the full shipped registry (registry_load), and a conf.d of
 * N generated service files (config_load with every host check, as the
 * daemon does it at start-up; then through a warm config_cache, as a reload
 * of unchanged files does it). Prints markdown table rows with the median of
 * ITER runs.
 *   bench_load -r REGISTRY -d EMPTY_DIR [-n N] [-i ITER] [-s SERVER] */
#include "autoconf.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "config/config.h"
#include "base/base.h"

#define MAX_ITER	101

struct opts {
	const char *registry;
	const char *dir;
	const char *server;
	int services;
	int iter;
};

static double
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double
median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof(*v), cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static void
usage(void)
{
	fprintf(stderr, "usage: bench_load -r REGISTRY -d EMPTY_DIR [-n N] [-i ITER] [-s SERVER]\n");
	exit(2);
}

static void
parse_opts(struct opts *o, int argc, char *argv[])
{
	int c;

	*o = (struct opts){ .services = 1000, .iter = 7, .server = "/bin/true" };
	while ((c = getopt(argc, argv, "r:d:n:i:s:")) != -1) {
		switch (c) {
		case 'r':
			o->registry = optarg;
			break;
		case 'd':
			o->dir = optarg;
			break;
		case 'n':
			o->services = atoi(optarg);
			break;
		case 'i':
			o->iter = atoi(optarg);
			break;
		case 's':
			o->server = optarg;
			break;
		default:
			usage();
		}
	}
	if (!o->registry || !o->dir || o->services < 1 || o->services > 30000 ||
	    o->iter < 1 || o->iter > MAX_ITER || optind != argc)
		usage();
}

/* Loads the registry; with keep, returns it, else frees it and returns NULL.
 * Exits when it cannot be loaded: the figures would mean nothing. */
static struct registry *
load_registry(const char *path, double *ms, size_t *count)
{
	struct registry *reg = registry_new();
	struct diag d;
	double t0 = now_ms();

	diag_init(&d);
	if (!reg || registry_load(reg, path, false, &d) < 0) {
		diag_print(&d, stderr);
		fprintf(stderr, "bench_load: %s: cannot load the registry\n", path);
		exit(1);
	}
	*ms = now_ms() - t0;
	*count = registry_count(reg);
	diag_free(&d);
	return reg;
}

/* One file per service, as an administrator would write them. */
static void
write_services(const struct opts *o)
{
	char path[4096];
	FILE *fp;
	int i;

	for (i = 0; i < o->services; i++) {
		snprintf(path, sizeof(path), "%s/bench%05d.conf", o->dir, i);
		fp = fopen(path, "we");
		if (!fp) {
			fprintf(stderr, "bench_load: %s: %s\n", path, strerror(errno));
			exit(1);
		}
		fprintf(fp, "service bench%d {\n\tsocket_type = stream\n\tprotocol = tcp\n"
			"\twait = no\n\tport = %d\n\tbind = {\"127.0.0.1\"}\n"
			"\tserver = \"%s\"\n\tserver_args = {\"-x\", \"%d\"}\n}\n",
			i, 20000 + i % 10000, o->server, i);
		if (fclose(fp) != 0) {
			fprintf(stderr, "bench_load: %s: %s\n", path, strerror(errno));
			exit(1);
		}
	}
}

static void
remove_services(const struct opts *o)
{
	char path[4096];
	int i;

	for (i = 0; i < o->services; i++) {
		snprintf(path, sizeof(path), "%s/bench%05d.conf", o->dir, i);
		unlink(path);
	}
}

static double
load_config(const struct opts *o, const struct registry *reg, struct config_cache *cache)
{
	struct config *cfg;
	struct diag d;
	double t0, ms;

	diag_init(&d);
	t0 = now_ms();
	cfg = config_load_cached(o->dir, reg, 0, cache, &d);
	ms = now_ms() - t0;
	if (!cfg || cfg->count != (size_t)o->services) {
		diag_print(&d, stderr);
		fprintf(stderr, "bench_load: %s: the generated services did not load\n", o->dir);
		exit(1);
	}
	config_free(cfg);
	diag_free(&d);
	return ms;
}

int
main(int argc, char *argv[])
{
	double reg_ms[MAX_ITER], cfg_ms[MAX_ITER], cached_ms[MAX_ITER];
	struct config_cache *cache;
	struct registry *reg;
	struct opts o;
	size_t count = 0;
	double ms;
	int i;

	parse_opts(&o, argc, argv);
	for (i = 0; i < o.iter; i++)
		registry_free(load_registry(o.registry, &reg_ms[i], &count));
	reg = load_registry(o.registry, &ms, &count);
	write_services(&o);
	for (i = 0; i < o.iter; i++)
		cfg_ms[i] = load_config(&o, reg, NULL);
	cache = config_cache_new();
	if (!cache) {
		fprintf(stderr, "bench_load: out of memory\n");
		exit(1);
	}
	load_config(&o, reg, cache);	/* fills it, as start-up does */
	for (i = 0; i < o.iter; i++)
		cached_ms[i] = load_config(&o, reg, cache);
	config_cache_free(cache);
	remove_services(&o);
	registry_free(reg);
	printf("| registry_load, full registry (%zu entries) | %.2f ms |\n", count,
	       median(reg_ms, o.iter));
	printf("| config_load, %d service files | %.2f ms |\n", o.services,
	       median(cfg_ms, o.iter));
	printf("| config_load_cached, %d unchanged service files (a reload) | %.2f ms |\n",
	       o.services, median(cached_ms, o.iter));
	return 0;
}
