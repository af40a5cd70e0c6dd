/* SPDX-License-Identifier: ISC */
/* daemon: life cycle and signals, see daemon.h.
 *
 * Signals are events: they are blocked for the whole life of the process and
 * read from a signalfd in the loop, so no code ever runs in a signal handler.
 *   SIGCHLD          reap every exited handler (children.c)
 *   SIGTERM, SIGINT  close every listener, remove the pidfile, exit 0;
 *                    running handlers are left to finish (as inetd does)
 *   SIGHUP           reload the registry and conf.d (daemon_reload)
 *   SIGUSR1          write the state of every service to the log (as status)
 * SIGPIPE is blocked, not ignored: a write to a closed socket or pipe fails
 * with EPIPE all the same, and a handler only has to clear the mask (an
 * ignored signal would stay ignored across exec). */
#include "autoconf.h"

#include <errno.h>
#include <limits.h>
#ifdef HAVE_MALLOC_TRIM
#include <malloc.h>
#endif
#include <paths.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include "config/config.h"
#include "daemon/addrwatch.h"
#include "daemon/adopt.h"
#include "spawn/spawn.h"
#include "daemon/control.h"
#include "base/base.h"
#include "daemon/daemon.h"
#include "daemon/daemon_state.h"
#include "daemon/internal.h"
#include "daemon/nofile.h"
#include "daemon/notify.h"
#include "daemon/pidfile.h"
#include "daemon/process.h"
#include "daemon/service.h"
#include "daemon/service_addrs.h"
#include "daemon/service_reload.h"

/* The heap is trimmed this long (ms) after the last reload. */
#define RELOAD_TRIM_MS 10000

static struct {
	char *confdir;			/* absolute: reload works after chdir / */
	struct config *cfg;
	struct service_table table;
	const char *pidfile;
	struct watcher sig;
	sigset_t sigs;
	bool journal_stream;		/* stderr was the journal's at start-up */
	const struct daemon_opts *opts;
	struct daemon_state st;		/* generation, last reload, for status */
	struct timer trim;		/* heap_release() a while after a reload */
	struct config_cache *cache;	/* parsed conf.d files: a reload parses only changes */
} d;

static void
diag_log(const struct diag *dg)
{
	for (size_t i = 0; i < dg->count; i++)
		logit(dg->items[i].level == DIAG_ERROR ? LOG_ERR : LOG_WARNING, "%s",
		      dg->items[i].text ? dg->items[i].text : "(out of memory)");
}

/* The registry files of one load: -r's, or the default ones listed afresh,
 * so that a reload reads a file added to services.d as it reads conf.d's.
 * NULL with the error in errs. */
static char **
registry_files(const struct daemon_opts *o, struct diag *errs)
{
	char **v = NULL;

	if (!o->nregistries)
		return registry_defaults(errs);
	for (size_t i = 0; i < o->nregistries; i++) {
		if (strv_push(&v, o->registries[i]) < 0) {
			diag_add(errs, DIAG_ERROR, NULL, 0, "out of memory");
			strv_free(v);
			return NULL;
		}
	}
	return v;
}

/* StrictModes (as sshd): root must not run what another user could have
 * written, so the configuration, the registry files of this load and the
 * directories above them must be root's and writable by root alone. */
static int
daemon_secure_check(const struct daemon_opts *o, char *const *files, char *err, size_t len)
{
	if (geteuid() != 0 || o->insecure_config)
		return 0;
	return access_secure_config(d.confdir, (const char *const *)files, strv_len(files),
				    err, len);
}

/* Loading frees most of what it allocates, but libconfuse's many small
 * blocks leave free pages all over the heap, which malloc does not hand back
 * by itself: an idle portierd would keep the peak of its load (35 MB with
 * 1,000 services instead of 5; docs/performance.md). */
static void
heap_release(void)
{
#ifdef HAVE_MALLOC_TRIM
	malloc_trim(0);
#endif
}

/* The registry and conf.d, read and checked completely; conf.d files
 * unchanged since the last load are not parsed again (d.cache). The registry
 * only names ports while loading (each service holds its number): its ~3 MB
 * go at once. NULL, with the errors in errs, when the files are not valid. */
static struct config *
load_files(char *const *files, struct diag *errs)
{
	struct registry *reg = registry_new();
	struct config *cfg;

	if (!reg) {
		diag_add(errs, DIAG_ERROR, NULL, 0, "out of memory");
		return NULL;
	}
	for (size_t i = 0; files[i]; i++)
		registry_load(reg, files[i], false, errs);
	/* StrictModes on inetd_conf too, found while loading. */
	cfg = config_load_cached(d.confdir, reg, geteuid() == 0 && !d.opts->insecure_config ?
				 CONFIG_SECURE : 0, d.cache, errs);
	registry_free(reg);
	config_check_cleartext(cfg, errs);
	if (cfg && errs->errors) {
		config_free(cfg);
		cfg = NULL;
	}
	return cfg;
}

static int
daemon_load(const struct daemon_opts *o)
{
	char err[PATH_MAX + 256];
	struct diag dg;
	char **files = NULL;
	int rc = -1;

	diag_init(&dg);
	d.confdir = realpath(o->confdir, NULL);
	d.st.confdir = d.confdir;
	if (!d.confdir) {
		logerr(LOG_ERR, "%s", o->confdir);
		goto out;
	}
	files = registry_files(o, &dg);
	if (!files) {
		diag_log(&dg);
		goto out;
	}
	if (daemon_secure_check(o, files, err, sizeof(err)) < 0) {
		logit(LOG_ERR, "%s; refusing to run", err);
		goto out;
	}
	d.cache = config_cache_new();	/* without one, every reload parses all */
	d.cfg = load_files(files, &dg);
	diag_log(&dg);
	if (!d.cfg) {
		logit(LOG_ERR, "%s: configuration invalid: %zu error(s)", o->confdir, dg.errors);
		goto out;
	}
	rc = 0;
out:
	strv_free(files);
	diag_free(&dg);
	heap_release();
	return rc;
}

/* Before detaching, while stderr is still the caller's: a missing syslog
 * daemon is said there, once. In the foreground portierd then logs to
 * stderr; detached, stderr is /dev/null and it stays with syslog, which
 * glibc tries to reach again for every message. */
static void
log_choose(const struct daemon_opts *o)
{
	const struct daemon_settings *s = &d.cfg->settings;
	enum log_target t = o->foreground ? LOG_TO_STDERR : LOG_TO_SYSLOG;
	bool no_journal = false;

	if (d.journal_stream && sd_available())
		t = LOG_TO_JOURNAL;	/* started by systemd: its natural target */
	if (s->log_set)
		t = s->log;
	/* Detached, stderr is /dev/null. */
	if (!o->foreground && t == LOG_TO_STDERR)
		t = LOG_TO_SYSLOG;
	if (t == LOG_TO_JOURNAL && !sd_available()) {
		t = o->foreground ? LOG_TO_STDERR : LOG_TO_SYSLOG;
		no_journal = true;
	}
	if (t == LOG_TO_SYSLOG && log_syslog_probe() < 0) {
		logit(LOG_WARNING, "syslog unavailable (%s: %s): %s", _PATH_LOG, strerror(errno),
		      o->foreground ? "logging to stderr instead"
				    : "messages are lost until a syslog daemon listens there");
		if (o->foreground)
			t = LOG_TO_STDERR;
	}
	log_open("portierd", t, s->log_facility ? s->log_facility : LOG_DAEMON);
	if (no_journal)
		logit(LOG_WARNING, "log = journal: this portierd was built without systemd "
		      "support; logging to %s instead", t == LOG_TO_STDERR ? "stderr" : "syslog");
}

/* ---- reload (SIGHUP, portierctl reload) ---- */

static void
trim_fire(struct timer *t)
{
	heap_release();
}

/* StrictModes, then the files, as at start-up. */
static struct config *
reload_load(struct diag *errs)
{
	char err[PATH_MAX + 256];
	char **files = registry_files(d.opts, errs);
	struct config *cfg = NULL;

	if (!files)
		return NULL;
	if (daemon_secure_check(d.opts, files, err, sizeof(err)) < 0)
		diag_add(errs, DIAG_ERROR, NULL, 0, "%s", err);
	else
		cfg = load_files(files, errs);
	strv_free(files);
	return cfg;
}

/* Reads the files again and moves the running services to them (mark and
 * sweep, service_reload.c). Invalid files or a socket that cannot be bound
 * leave everything as it was. Returns 0, or -1 with the errors in errs
 * (every one is logged). */
static int
daemon_reload(struct diag *errs)
{
	uint64_t t0 = loop_clock_us();
	struct config *cfg;
	int rc = -1;

	notify_reloading();
	cfg = reload_load(errs);
	if (cfg && service_reload(&d.table, d.cfg, cfg, errs) == 0) {
		d.cfg = cfg;
		d.st.generation++;
		rc = 0;
	} else {
		config_free(cfg);
	}
	diag_log(errs);
	daemon_state_reload(&d.st, rc == 0, errs);
	if (rc == 0)
		log_event(LOG_INFO, LOG_EVENT_RELOADED, "reload: generation %lu, %zu services, "
			  "%.1f ms", d.st.generation, cfg->count,
			  (double)(loop_clock_us() - t0) / 1e3);
	else
		log_event(LOG_ERR, LOG_EVENT_RELOAD_FAILED, "reload failed: %zu error(s); the "
			  "running configuration (generation %lu) is unchanged", errs->errors,
			  d.st.generation);
	/* Giving the load's memory back at once would make the next reload
	 * fault every page in again (a third of its time with 1,000 services):
	 * reloads in a row keep the heap, an idle daemon gets small again. */
	d.trim.fn = trim_fire;
	timer_arm(&d.trim, RELOAD_TRIM_MS);
	notify_ready(&d.table);
	return rc;
}

/* ---- the control socket ---- */

/* What portierctl's commands act on (control.c). */
static const struct control_target control_target = {
	.table = &d.table, .cfg = &d.cfg, .st = &d.st, .reload = daemon_reload,
};

static void
on_signal(struct watcher *w, uint32_t events)
{
	struct signalfd_siginfo si[16];
	bool chld = false, hup = false, usr1 = false;
	ssize_t n;

	while ((n = read(w->fd, si, sizeof(si))) > 0) {
		for (size_t i = 0; i < (size_t)n / sizeof(si[0]); i++) {
			switch (si[i].ssi_signo) {
			case SIGCHLD:
				chld = true;
				break;
			case SIGTERM:
			case SIGINT:
				log_event(LOG_NOTICE, LOG_EVENT_STOPPING, "SIG%s: shutting down",
					  sigabbrev_np(si[i].ssi_signo));
				loop_stop();
				break;
			case SIGHUP:
				logit(LOG_NOTICE, "SIGHUP: reloading the configuration");
				hup = true;
				break;
			case SIGUSR1:
				usr1 = true;
				break;
			}
		}
	}
	if (n < 0 && errno != EAGAIN)
		logerr(LOG_ERR, "signalfd read");
	/* Signals coalesce: one SIGCHLD may stand for many exits. */
	if (chld)
		children_reap(service_child_exited);
	if (hup) {
		struct diag errs;

		diag_init(&errs);
		daemon_reload(&errs);
		diag_free(&errs);
	}
	if (usr1)
		daemon_state_log(&d.st, &d.table);
}

static int
signals_block(void)
{
	sigset_t block;

	if (process_signals_reset() < 0) {
		logerr(LOG_ERR, "signal dispositions");
		return -1;
	}
	sigemptyset(&d.sigs);
	sigaddset(&d.sigs, SIGCHLD);
	sigaddset(&d.sigs, SIGTERM);
	sigaddset(&d.sigs, SIGINT);
	sigaddset(&d.sigs, SIGHUP);
	sigaddset(&d.sigs, SIGUSR1);
	/* SIGPIPE blocked, not in d.sigs: nothing reads it (see the top). */
	block = d.sigs;
	sigaddset(&block, SIGPIPE);
	if (sigprocmask(SIG_BLOCK, &block, NULL) < 0) {
		logerr(LOG_ERR, "signals");
		return -1;
	}
	return 0;
}

static int
signals_watch(void)
{
	d.sig.fd = signalfd(-1, &d.sigs, SFD_NONBLOCK | SFD_CLOEXEC);
	if (d.sig.fd < 0) {
		logerr(LOG_ERR, "signalfd");
		return -1;
	}
	d.sig.fn = on_signal;
	return loop_watch(&d.sig, EPOLLIN);
}

static void
addresses_changed(void *arg)
{
	service_table_addresses_changed(arg);
}

/* portierd's own descriptors (epoll, the control socket) come before the
 * listeners: a configuration with more sockets than the limit allows must
 * never leave it without them. Both survive process_daemonize()'s forks. The
 * signalfd cannot: epoll would wait for it on the queue of the process
 * that added it, never woken by the daemon's own signals. It is made after
 * the forks, out of the descriptors daemon_room() keeps free.
 * The address watcher is subscribed before anything is bound, so that an
 * address appearing between a failed bind and the loop is not missed. */
static int
daemon_open_own(void)
{
	/* --control-socket, else control_socket of the files; "" is none. */
	const char *path = d.opts->control_socket ? d.opts->control_socket
						  : d.cfg->settings.control_socket;

	if (loop_init() < 0)
		return -1;
	if (path && *path)
		control_open(path, &control_target);
	addrwatch_open(addresses_changed, &d.table);
	return 0;
}

/* The sockets the services still need (after those adopted), against
 * RLIMIT_NOFILE: one line saying what is missing, rather than an error
 * per socket and a daemon without descriptors. */
static int
daemon_room(void)
{
	char err[256];
	size_t sockets = 0;

	for (size_t i = 0; i < d.table.count; i++)
		if (d.table.rt[i]->state == SERVICE_UNBOUND)
			sockets += d.table.rt[i]->svc->bind_each_address ?
				   service_addrs_wanted(d.table.rt[i]->svc) :
				   service_naddrs(d.table.rt[i]->svc);
	if (nofile_room(sockets, err, sizeof(err)) == 0)
		return 0;
	logit(LOG_ERR, "%s; refusing to start", err);
	return -1;
}

/* Opens every listener. Fails when nothing could be bound, nor waits for
 * its address to appear, although some service wanted to listen; or on any
 * failure with --strict, an address waited for included. A service that
 * waits for all its addresses does not keep portierd from starting: that is
 * what waiting is for (a VPN, DHCP or DAD after portierd starts). */
static int
daemon_bind(const struct daemon_opts *o)
{
	size_t bound = 0, failed, waiting = 0, wanted = 0;

	if (daemon_open_own() < 0)
		return -1;
	if (service_table_init(&d.table, d.cfg->services, d.cfg->count, &d.cfg->settings) < 0)
		return -1;
	for (size_t i = 0; i < d.table.count; i++)
		wanted += d.table.rt[i]->state == SERVICE_UNBOUND;
	/* Sockets from the service manager first: their services bind nothing. */
	adopt_sockets(&d.table, d.cfg);
	if (daemon_room() < 0)
		return -1;
	failed = service_table_bind(&d.table);
	/* bind_each_address: a socket per address the host has now */
	failed += service_table_refresh_addresses(&d.table);
	/* adopted, bound or waited for */
	for (size_t i = 0; i < d.table.count; i++) {
		bound += d.table.rt[i]->nlisteners;
		waiting += d.table.rt[i]->nwaiting;
	}
	if ((failed || waiting) && o->strict) {
		logit(LOG_ERR, "--strict: %zu address(es) could not be bound", failed + waiting);
		return -1;
	}
	if (wanted && !bound && !waiting) {
		logit(LOG_ERR, "no service could be bound");
		return -1;
	}
	if (!wanted)
		logit(LOG_WARNING, "no service is enabled in %s", d.confdir);
	return 0;
}

static void
daemon_cleanup(void)
{
	notify_exit();
	addrwatch_close();
	control_close();
	timer_cancel(&d.trim);
	internal_shutdown();	/* its connections count in the table */
	service_reload_free(&d.table);
	service_table_free(&d.table);
	if (d.pidfile)
		pidfile_remove(d.pidfile);
	if (d.sig.fd > 0) {
		loop_unwatch(&d.sig);
		close(d.sig.fd);
	}
	loop_exit();
	children_free_all();
	config_free(d.cfg);
	config_cache_free(d.cache);
	free(d.confdir);
	daemon_state_free(&d.st);
	memset(&d, 0, sizeof(d));
}

static int
daemon_start(const struct daemon_opts *o)
{
	int ready = -1;

	log_choose(o);
	if (!o->foreground && process_daemonize(&ready) < 0)
		return -1;
	if (signals_watch() < 0 || service_table_start(&d.table) < 0)
		return -1;
	notify_init();
	if (d.pidfile && pidfile_write(d.pidfile) < 0)
		return -1;
	if (ready >= 0) {
		if (write(ready, "", 1) != 1)
			logerr(LOG_WARNING, "readiness pipe");
		close(ready);
	}
	notify_ready(&d.table);
	return 0;
}

int
daemon_run(const struct daemon_opts *o)
{
	int rc = DAEMON_EXIT_FAIL;
	pid_t other;

	log_open("portierd", LOG_TO_STDERR, LOG_DAEMON);
	log_set_debug(o->debug);
	/* Before detaching replaces stderr. */
	d.journal_stream = log_stderr_is_journal();
	d.opts = o;
	daemon_state_init(&d.st);
	if (process_stdio_ensure() < 0 || daemon_load(o) < 0)
		goto out;
	/* by default, only root detaching has one */
	if (o->pidfile)
		d.pidfile = o->pidfile;
	else if (!o->foreground && geteuid() == 0)
		d.pidfile = PORTIER_RUNDIR "/portierd.pid";
	if (d.pidfile && pidfile_prepare(d.pidfile) < 0) {
		d.pidfile = NULL;
		goto out;
	}
	if (d.pidfile && (other = pidfile_check(d.pidfile)) > 0) {
		logit(LOG_ERR, "already running as pid %d (pidfile %s)", (int)other, d.pidfile);
		d.pidfile = NULL;	/* theirs: leave it alone */
		goto out;
	}
	spawn_init();
	if (signals_block() < 0 || daemon_bind(o) < 0)
		goto out;
	if (daemon_start(o) < 0)
		goto out;
	log_event(LOG_INFO, LOG_EVENT_STARTED, "portierd %s started: %zu service(s) configured",
		  PACKAGE_VERSION, d.cfg->count);
	if (loop_run() == 0)
		rc = DAEMON_EXIT_OK;
	notify_stopping();
out:
	daemon_cleanup();
	return rc;
}
