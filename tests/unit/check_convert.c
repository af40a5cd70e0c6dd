/* SPDX-License-Identifier: ISC */
/* Unit tests for convert: every xinetd attribute and inetd field, what it
 * becomes, what is warned about, and that the result loads in config. */
#include "autoconf.h"

#include <arpa/inet.h>
#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <dirent.h>
#include <fcntl.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "config/config.h"
#include "convert/convert.h"
#include "check_run.h"

/* A minimal xinetd service body that xinetd accepts. */
#define BODY "\tsocket_type = stream\n\twait = no\n\tuser = nobody\n\tserver = /bin/cat\n"
#define SVC(name, extra) "service " name "\n{\n" BODY extra "}\n"

static struct convert_out out;
static struct diag d;
static char *text;
static struct registry *reg;
static struct config *cfg;

/* /etc/services as the old daemon saw it */
static unsigned
fake_system(const char *name, const char *proto, void *arg)
{
	static const struct { const char *name; unsigned port; } ports[] = {
		{ "echo", 7 }, { "discard", 9 }, { "daytime", 13 }, { "chargen", 19 },
		{ "time", 37 }, { "ftp", 21 }, { "telnet", 23 }, { "tcpmux", 1 },
		{ "oldname", 4242 }, { "tftp", 69 }, { "finger", 79 },
	};

	(void)arg;
	(void)proto;
	for (size_t i = 0; i < sizeof(ports) / sizeof(ports[0]); i++)
		if (!strcmp(ports[i].name, name))
			return ports[i].port;
	return 0;
}

static unsigned
real_registry(const char *name, const char *proto, void *arg)
{
	const struct reg_entry *e = registry_lookup_name(arg, name,
							  strcmp(proto, "udp") ? REG_TCP : REG_UDP);

	return e ? e->port : 0;
}

static void
setup(void)
{
	const char *path = getenv("REGISTRY");

	diag_init(&d);
	memset(&out, 0, sizeof(out));
	text = NULL;
	cfg = NULL;
	reg = registry_new();
	ck_assert_ptr_nonnull(reg);
	ck_assert_msg(path, "REGISTRY is not set (run through make check)");
	ck_assert_int_eq(registry_load(reg, path, false, &d), 0);
	diag_free(&d);
	diag_init(&d);
}

static void
teardown(void)
{
	config_free(cfg);
	free(text);
	convert_out_free(&out);
	diag_free(&d);
	registry_free(reg);
}

static int
xconv(const char *buf)
{
	struct convert_opts o = { fake_system, real_registry, reg, NULL };
	int rc = convert_xinetd_buffer(buf, "t.conf", &o, &out, &d);

	text = convert_join(&out);
	return rc;
}

static int
iconv_(const char *buf)
{
	struct convert_opts o = { fake_system, real_registry, reg, NULL };
	int rc = convert_inetd_buffer(buf, "inetd.conf", &o, &out, &d);

	text = convert_join(&out);
	return rc;
}

static bool
has(const char *s)
{
	return strstr(text, s) != NULL;
}

static bool
said(enum diag_level level, const char *s)
{
	for (size_t i = 0; i < d.count; i++)
		if (d.items[i].level == level && strstr(d.items[i].text, s))
			return true;
	return false;
}

#define warned(s) said(DIAG_WARNING, s)
#define erred(s) said(DIAG_ERROR, s)

/* The converted text, loaded by config as portierd would (no host checks). */
static const struct service *
load(const char *id)
{
	struct diag ld;
	const struct service *s;

	diag_init(&ld);
	if (!cfg)
		cfg = config_load_buffer(text, "converted", reg, CONFIG_NO_FS_CHECKS, &ld);
	if (!cfg) {
		diag_print(&ld, stderr);
		fputs(text, stderr);
	}
	ck_assert_msg(cfg, "the converted text does not load");
	diag_free(&ld);
	s = config_find(cfg, id);
	ck_assert_msg(s, "no service '%s' in the converted text", id);
	return s;
}

/* For a second conversion in one test. */
static void
reset(void)
{
	config_free(cfg);
	cfg = NULL;
	free(text);
	text = NULL;
	convert_out_free(&out);
	diag_free(&d);
	diag_init(&d);
}

/* The whole converted text loads without a single error. */
static void
loads_clean(void)
{
	struct diag ld;
	struct config *c;

	diag_init(&ld);
	c = config_load_buffer(text, "converted", reg, CONFIG_NO_FS_CHECKS, &ld);
	if (!c || ld.errors) {
		diag_print(&ld, stderr);
		fputs(text, stderr);
	}
	ck_assert_ptr_nonnull(c);
	ck_assert_uint_eq(ld.errors, 0);
	config_free(c);
	diag_free(&ld);
}

static bool
has_rule(const struct addr_list *l, const char *addr, int prefix)
{
	unsigned char a[16];
	int fam = strchr(addr, ':') ? AF_INET6 : AF_INET;

	ck_assert_int_eq(inet_pton(fam, addr, a), 1);
	for (size_t i = 0; i < l->count; i++)
		if (l->rules[i].family == fam && l->rules[i].prefix == prefix &&
		    !memcmp(l->rules[i].addr, a, fam == AF_INET ? 4 : 16))
			return true;
	return false;
}

/* --- identity, type and transport --- */

START_TEST(test_basic_service)
{
	ck_assert_int_eq(xconv(SVC("oldname", "\tdisable = no\n")), 0);
	ck_assert(has("service \"oldname\" {"));
	ck_assert(has("\tsocket_type = \"stream\"\n"));
	ck_assert(has("\tprotocol = \"tcp\"\n"));
	ck_assert(has("\tserver = \"/bin/cat\"\n"));
	/* not in portier's registry: the port /etc/services gave xinetd */
	ck_assert(has("\tport = 4242\n"));
	const struct service *s = load("oldname");

	ck_assert_uint_eq(s->port, 4242);
	ck_assert(!s->disabled);
	ck_assert_str_eq(s->argv[0], "cat");
	ck_assert_ptr_null(s->argv[1]);
	ck_assert_int_eq(d.errors, 0);
}
END_TEST

START_TEST(test_registry_port_not_spelled)
{
	xconv(SVC("ftp", ""));
	ck_assert(!has("port ="));
	ck_assert_uint_eq(load("ftp")->port, 21);
}
END_TEST

START_TEST(test_disable_yes)
{
	xconv(SVC("ftp", "\tdisable = yes\n"));
	ck_assert(has("\tdisable = yes\n"));
	ck_assert(load("ftp")->disabled);
}
END_TEST

START_TEST(test_disable_bad)
{
	ck_assert_int_eq(xconv(SVC("ftp", "\tdisable = maybe\n")), -1);
	ck_assert(erred("t.conf:7: service ftp: disable: expects yes or no"));
}
END_TEST

START_TEST(test_tcp_udp_twins)
{
	xconv("service echo\n{\n\ttype = INTERNAL\n\tid = echo-stream\n\tsocket_type = stream\n"
	      "\twait = no\n}\nservice echo\n{\n\ttype = INTERNAL\n\tid = echo-dgram\n"
	      "\tsocket_type = dgram\n\twait = yes\n}\n");
	ck_assert(has("service \"echo\" {"));
	ck_assert(has("service \"echo/udp\" {"));
	ck_assert_int_eq(load("echo")->protocol, IPPROTO_TCP);
	ck_assert_int_eq(load("echo/udp")->protocol, IPPROTO_UDP);
	ck_assert(load("echo/udp")->internal);
	ck_assert_str_eq(out.files[0].name, "echo.conf");
	ck_assert_str_eq(out.files[1].name, "echo-udp.conf");
}
END_TEST

START_TEST(test_id_kept_when_it_tells_apart)
{
	xconv(SVC("ftp", "\tid = ftp-inside\n\tbind = 10.0.0.1\n")
	      SVC("ftp", "\tid = ftp-outside\n\tbind = 192.0.2.1\n"));
	ck_assert(has("service \"ftp\" {"));
	ck_assert(has("service \"ftp-outside\" {\n\tname = \"ftp\"\n"));
	ck_assert(has("(service ftp, id ftp-inside)"));
	ck_assert_str_eq(load("ftp-outside")->name, "ftp");
	ck_assert_uint_eq(load("ftp-outside")->port, 21);
}
END_TEST

START_TEST(test_same_name_numbered_without_id)
{
	xconv(SVC("ftp", "\tbind = 10.0.0.1\n") SVC("ftp", "\tbind = 10.0.0.2\n"));
	ck_assert(has("service \"ftp-2\" {\n\tname = \"ftp\"\n"));
	load("ftp-2");
}
END_TEST

START_TEST(test_duplicate_disabled_copy_folded)
{
	/* Debian ships echo/udp twice: in echo and in echo-udp */
	xconv("service echo\n{\n\ttype = INTERNAL\n\tid = echo-dgram\n\tsocket_type = dgram\n"
	      "\tprotocol = udp\n\twait = yes\n\tdisable = yes\n}\n"
	      "service echo\n{\n\ttype = INTERNAL UNLISTED\n\tid = echo-dgram\n"
	      "\tsocket_type = dgram\n\tprotocol = udp\n\twait = yes\n\tport = 7\n\tdisable = no\n}\n");
	ck_assert(warned("t.conf:1: warning: service echo: duplicate of the service at t.conf:10"));
	/* the enabled copy owns the natural id */
	ck_assert(!load("echo/udp")->disabled);
	ck_assert_uint_eq(out.live, 1);
	ck_assert_uint_eq(out.commented, 1);
	ck_assert(has("# service \"echo-dgram\" {"));
}
END_TEST

START_TEST(test_duplicate_both_enabled)
{
	xconv(SVC("ftp", "") SVC("ftp", ""));
	ck_assert(warned("both are enabled, only that one is converted"));
	ck_assert_uint_eq(out.live, 1);
}
END_TEST

START_TEST(test_type_internal)
{
	xconv("service daytime\n{\n\ttype = INTERNAL\n\tsocket_type = stream\n\twait = no\n"
	      "\tuser = root\n}\n");
	ck_assert(has("\ttype = \"internal\"\n"));
	ck_assert(has("# user = root: not used, internal services run inside portierd"));
	ck_assert(!has("\tuser ="));
	ck_assert(load("daytime")->internal);
}
END_TEST

START_TEST(test_type_internal_unknown)
{
	ck_assert_int_eq(xconv("service whois\n{\n\ttype = INTERNAL\n\tsocket_type = stream\n"
			       "\twait = no\n}\n"), -1);
	ck_assert(erred("service whois: no such internal service whois"));
}
END_TEST

START_TEST(test_internal_services_servers)
{
	xconv("service services\n{\n\ttype = INTERNAL UNLISTED\n\tport = 9098\n"
	      "\tsocket_type = stream\n\tprotocol = tcp\n\twait = no\n\tonly_from = 127.0.0.1\n}\n"
	      "service servers\n{\n\ttype = INTERNAL UNLISTED\n\tport = 9099\n"
	      "\tsocket_type = stream\n\tprotocol = tcp\n\twait = no\n}\n");
	ck_assert(warned("t.conf:1: warning: service services: xinetd's internal services service"));
	ck_assert(warned("portierctl status"));
	ck_assert(warned("service servers:"));
	ck_assert_uint_eq(out.live, 0);
	ck_assert_uint_eq(out.commented, 2);
	ck_assert(has("# Not converted"));
	ck_assert(has("#\tport = 9098"));
}
END_TEST

START_TEST(test_unlisted_needs_port)
{
	ck_assert_int_eq(xconv(SVC("mine", "\ttype = UNLISTED\n")), -1);
	ck_assert(erred("type UNLISTED needs a port"));
	ck_assert(has("\tdisable = yes\n"));
}
END_TEST

START_TEST(test_unlisted_with_port)
{
	ck_assert_int_eq(xconv(SVC("mine", "\ttype = UNLISTED\n\tport = 9000\n")), 0);
	ck_assert_uint_eq(load("mine")->port, 9000);
}
END_TEST

START_TEST(test_tcpmux_types)
{
	xconv(SVC("plus", "\ttype = TCPMUXPLUS\n") SVC("bare", "\ttype = TCPMUX UNLISTED\n"));
	ck_assert(has("service \"plus\" {\n\ttcpmux = yes\n"));
	ck_assert(warned("service bare: type TCPMUX: the server itself answered"));
	ck_assert(!warned("service plus: type TCPMUX"));
	ck_assert(load("plus")->tcpmux);
	ck_assert_uint_eq(load("bare")->port, 0);
}
END_TEST

/* found by a generator of random entries: each loaded after "0 errors" */
START_TEST(test_tcpmux_wait_and_defaults_bind_host)
{
	ck_assert_int_eq(xconv(SVC("plus", "\ttype = TCPMUXPLUS\n") "service w\n{\n"
			       "\ttype = TCPMUXPLUS\n\tsocket_type = stream\n\twait = yes\n"
			       "\tuser = nobody\n\tserver = /bin/cat\n}\n"), 0);
	ck_assert(warned("service w: tcpmux: portier runs tcpmux services on TCP streams"));
	ck_assert_uint_eq(out.commented, 1);
	ck_assert(load("plus")->tcpmux);
	loads_clean();
	reset();
	/* the defaults' host name goes to the services, not the defaults */
	ck_assert_int_eq(xconv("defaults\n{\n\tbind = gateway.example\n\tinstances = 7\n}\n"
			       SVC("ftp", "") SVC("telnet", "\tbind = 127.0.0.1\n")), 0);
	ck_assert(warned("defaults: bind = gateway.example: a host name"));
	ck_assert(has("# service \"ftp\" {"));
	ck_assert_uint_eq(load("telnet")->instances, 7);
	ck_assert_uint_eq(out.commented, 1);
	loads_clean();
}
END_TEST

START_TEST(test_type_rpc)
{
	xconv(SVC("rstatd", "\ttype = RPC\n\trpc_version = 2-4\n"));
	ck_assert(warned("type RPC"));
	ck_assert(warned("rpc_version = 2-4"));
	ck_assert_uint_eq(out.commented, 1);
}
END_TEST

START_TEST(test_type_bad)
{
	ck_assert_int_eq(xconv(SVC("x", "\ttype = FANCY\n\tport = 9\n")), -1);
	ck_assert(erred("bad service type FANCY"));
}
END_TEST

/* issue 19: two reasons the service cannot run leaked the first (the
 * sanitizer build and valgrind see it); each reason is now said */
START_TEST(test_two_reasons_cannot)
{
	ck_assert_int_eq(xconv("service a\n{\n\tsocket_type = raw\n\tprotocol = sctp\n"
			       "\ttype = RPC\n\twait = no\n\tuser = root\n\tserver = /bin/x\n}\n"), 0);
	ck_assert(warned("service a: socket_type raw: portier serves stream and dgram"));
	ck_assert(warned("service a: protocol sctp: portier serves tcp and udp only"));
	ck_assert(warned("service a: type RPC"));
	ck_assert_uint_eq(out.commented, 1);
	loads_clean();
}
END_TEST

START_TEST(test_socket_type_raw)
{
	xconv("service ping\n{\n\tsocket_type = raw\n\twait = no\n\tuser = root\n\tserver = /bin/x\n}\n");
	ck_assert(warned("socket_type raw"));
	ck_assert_uint_eq(out.commented, 1);
}
END_TEST

START_TEST(test_protocol_derived_and_other)
{
	xconv("service tftp\n{\n\tprotocol = udp\n\twait = yes\n\tuser = nobody\n\tserver = /bin/x\n}\n"
	      "service s\n{\n\tprotocol = sctp\n\tsocket_type = stream\n\twait = no\n\tuser = root\n"
	      "\tserver = /bin/x\n\tport = 9\n}\n");
	ck_assert(has("service \"tftp/udp\" {"));
	ck_assert(has("\tsocket_type = \"dgram\"\n"));
	ck_assert(warned("protocol sctp"));
	ck_assert_int_eq(load("tftp/udp")->socktype, SOCK_DGRAM);
}
END_TEST

/* xinetd took the pair and failed to open the socket */
START_TEST(test_socket_type_protocol_mismatch)
{
	ck_assert_int_eq(xconv("service tftp\n{\n\tsocket_type = stream\n\tprotocol = udp\n"
			       "\twait = no\n\tuser = nobody\n\tserver = /bin/x\n}\n"), -1);
	ck_assert(erred("service tftp: socket_type stream does not fit protocol udp"));
	reset();
	ck_assert_int_eq(xconv(SVC("tftp", "\tdisable = yes\n\tprotocol = udp\n")), 0);
	ck_assert_uint_eq(out.commented, 1);
	loads_clean();
	ck_assert(warned("socket_type stream does not fit protocol udp (the entry is disabled"));
}
END_TEST

START_TEST(test_wait_missing_and_bad)
{
	ck_assert_int_eq(xconv("service ftp\n{\n\tsocket_type = stream\n\tuser = root\n"
			       "\tserver = /bin/x\n}\n"), -1);
	ck_assert(erred("wait is missing"));
}
END_TEST

START_TEST(test_dgram_nowait)
{
	xconv("service tftp\n{\n\tsocket_type = dgram\n\twait = no\n\tuser = root\n\tserver = /bin/x\n}\n"
	      "service echo\n{\n\ttype = INTERNAL\n\tsocket_type = dgram\n\twait = no\n}\n");
	ck_assert(warned("wait = no on a datagram socket"));
	ck_assert(load("tftp/udp")->wait);
	ck_assert(load("echo/udp")->wait);
}
END_TEST

START_TEST(test_required_user_server)
{
	ck_assert_int_eq(xconv("service ftp\n{\n\tsocket_type = stream\n\twait = no\n}\n"), -1);
	ck_assert(erred("server is missing"));
	ck_assert(erred("user is missing"));
}
END_TEST

/* issue 19: a disabled entry xinetd never read, without what portier needs
 * to load it, was written live and failed to load after "0 errors" */
START_TEST(test_disabled_entry_incomplete)
{
	ck_assert_int_eq(xconv("service a\n{\n\tdisable = yes\n\tsocket_type = stream\n"
			       "\twait = no\n}\n"
			       "service b\n{\n\tdisable = yes\n\ttype = UNLISTED\n" BODY "}\n"
			       SVC("ftp", "")), 0);
	ck_assert(warned("service a: server is missing (the entry is disabled; kept as comments)"));
	ck_assert(warned("service b: type UNLISTED needs a port (the entry is disabled; "
			 "kept as comments)"));
	ck_assert(has("# service \"a\" {"));
	ck_assert(has("# service \"b\" {"));
	ck_assert_uint_eq(out.commented, 2);
	ck_assert_uint_eq(out.live, 1);
	loads_clean();
	load("ftp");
}
END_TEST

/* A name the old daemon's services file does not know, without a port: it
 * did not start it, portier would not load it. */
START_TEST(test_port_unknown)
{
	ck_assert_int_eq(xconv(SVC("nosuchsvc", "")), -1);
	ck_assert(erred("service nosuchsvc: no port given and none in /etc/services"));
	ck_assert_uint_eq(out.commented, 1);
	loads_clean();
	reset();
	ck_assert_int_eq(xconv(SVC("nosuchsvc", "\tdisable = yes\n")), 0);
	ck_assert(warned("service nosuchsvc: no port given"));
	ck_assert_uint_eq(out.commented, 1);
	loads_clean();
}
END_TEST

/* xinetd takes any word as a service name; portier's ids are narrower */
START_TEST(test_id_made_valid)
{
	ck_assert_int_eq(xconv(SVC("my!svc", "\ttype = UNLISTED\n\tport = 9000\n")), 0);
	ck_assert(has("service \"my_svc\" {\n"));
	ck_assert(has("\tname = \"my!svc\"\n"));
	ck_assert_uint_eq(load("my_svc")->port, 9000);
	reset();
	/* xinetd's id, when it becomes the id, is made valid too */
	xconv(SVC("ftp", "\tid = ftp!in\n\tbind = 10.0.0.1\n")
	      SVC("ftp", "\tid = ftp!out\n\tbind = 192.0.2.1\n"));
	ck_assert_str_eq(load("ftp_out")->name, "ftp");
	loads_clean();
}
END_TEST

START_TEST(test_disabled_entry_is_lenient)
{
	/* xinetd stops reading an entry at disable = yes: its errors are warnings */
	ck_assert_int_eq(xconv(SVC("ftp", "\tdisable = yes\n\tnice = 99\n")), 0);
	ck_assert(warned("nice: expects a number from -20 to 19 (the entry is disabled"));
}
END_TEST

/* --- handler --- */

START_TEST(test_user_group)
{
	xconv("service ftp\n{\n\tsocket_type = stream\n\twait = no\n\tuser = ftp\n\tgroup = ftp\n"
	      "\tserver = /usr/sbin/in.ftpd\n}\n");
	ck_assert(has("\tuser = \"ftp\"\n\tgroup = \"ftp\"\n"));
	ck_assert_str_eq(load("ftp")->group, "ftp");
}
END_TEST

START_TEST(test_user_group_invalid)
{
	ck_assert_int_eq(xconv("service ftp\n{\n\tsocket_type = stream\n\twait = no\n"
			       "\tuser = /bin/x\n\tgroup = a/b\n\tserver = /bin/x\n}\n"), -1);
	ck_assert(erred("service ftp: user: no user can be named /bin/x"));
	ck_assert(erred("service ftp: group: no group can be named a/b"));
}
END_TEST

START_TEST(test_groups)
{
	xconv(SVC("ftp", "\tgroups = yes\n") SVC("telnet", "\tgroups = no\n") SVC("finger", ""));
	ck_assert(has("# groups = yes: portier always gives"));
	ck_assert(warned("service telnet: groups = no"));
	ck_assert(warned("1 service(s) ran without supplementary groups"));
	ck_assert(!has("\tgroups ="));
}
END_TEST

START_TEST(test_server_args_split)
{
	xconv(SVC("ftp", "\tserver_args = -l\t-a  \"two words\" $HOME a\\b\n"));
	ck_assert(has("server_args = { \"-l\", \"-a\", \"\\\"two\", \"words\\\"\", \"\\$HOME\", \"a\\\\b\" }"));
	const struct service *s = load("ftp");

	ck_assert_str_eq(s->argv[0], "cat");
	ck_assert_str_eq(s->argv[1], "-l");
	ck_assert_str_eq(s->argv[3], "\"two");
	ck_assert_str_eq(s->argv[5], "$HOME");
	ck_assert_str_eq(s->argv[6], "a\\b");
	ck_assert_ptr_null(s->argv[7]);
}
END_TEST

START_TEST(test_server_args_empty)
{
	ck_assert_int_eq(xconv(SVC("ftp", "\tserver_args =\n")), -1);
	ck_assert(erred("server_args: expects at least one value"));
}
END_TEST

START_TEST(test_nameinargs_tcpd)
{
	xconv("service telnet\n{\n\tflags = REUSE NAMEINARGS\n\tsocket_type = stream\n\twait = no\n"
	      "\tuser = root\n\tserver = /usr/sbin/tcpd\n\tserver_args = /usr/sbin/in.telnetd -h\n}\n");
	ck_assert(has("\tserver = \"/usr/sbin/in.telnetd\"\n\tserver_args = { \"-h\" }\n"));
	ck_assert(warned("t.conf:8: warning: service telnet: server tcpd: converted to the daemon it runs"));
	ck_assert(warned("hosts.allow"));
	const struct service *s = load("telnet");

	ck_assert_str_eq(s->argv[0], "in.telnetd");
	ck_assert_str_eq(s->argv[1], "-h");
}
END_TEST

START_TEST(test_nameinargs_tcpd_relative)
{
	xconv(SVC("ftp", "") "service telnet\n{\n\tflags = NAMEINARGS\n\tsocket_type = stream\n"
	      "\twait = no\n\tuser = root\n\tserver = /usr/sbin/tcpd\n\tserver_args = in.telnetd\n}\n");
	ck_assert(has("\tserver = \"/usr/sbin/in.telnetd\"\n"));
	ck_assert(!has("server_args = {}"));
	ck_assert_ptr_null(load("telnet")->argv[1]);
}
END_TEST

START_TEST(test_nameinargs_argv0)
{
	xconv(SVC("ftp", "\tflags = NAMEINARGS\n\tserver_args = cat -u\n")
	      SVC("telnet", "\tflags = NAMEINARGS\n\tserver_args = kitty -u\n"));
	ck_assert(!warned("service ftp: argv[0]"));
	ck_assert(warned("service telnet: argv[0] was kitty; portier passes the server's base name, cat"));
	ck_assert_str_eq(load("ftp")->argv[1], "-u");
}
END_TEST

START_TEST(test_nameinargs_late)
{
	xconv(SVC("ftp", "\tserver_args = cat -u\n\tflags = NAMEINARGS\n"));
	ck_assert(warned("flags NAMEINARGS comes after server_args"));
	ck_assert_str_eq(load("ftp")->argv[1], "-u");
}
END_TEST

START_TEST(test_nameinargs_without_args)
{
	ck_assert_int_eq(xconv(SVC("ftp", "\tflags = NAMEINARGS\n")), -1);
	ck_assert(erred("flags NAMEINARGS needs server_args"));
}
END_TEST

START_TEST(test_env_passenv)
{
	xconv(SVC("cvs", "\ttype = UNLISTED\n\tport = 2401\n\tenv = HOME=/var/cvs\n"
		  "\tenv += LANG=C\n\tpassenv = PATH TZ\n\tpassenv -= TZ\n"));
	ck_assert(has("\tenv = { \"HOME=/var/cvs\", \"LANG=C\" }\n"));
	ck_assert(has("\tpassenv = { \"PATH\" }\n"));
	const struct service *s = load("cvs");

	ck_assert_str_eq(s->env[1], "LANG=C");
	ck_assert_str_eq(s->passenv[0], "PATH");
	ck_assert_ptr_null(s->passenv[1]);
}
END_TEST

START_TEST(test_env_twice_and_passenv)
{
	xconv(SVC("cvs", "\ttype = UNLISTED\n\tport = 2401\n\tenv = HOME=/a LANG=C\n"
		  "\tenv += HOME=/b\n\tpassenv = LANG PATH\n"));
	ck_assert(has("\tenv = { \"LANG=C\", \"HOME=/b\" }\n"));
	ck_assert(has("\tpassenv = { \"PATH\" }\n"));
	ck_assert(has("# env HOME=/a: replaced by a later value"));
	const struct service *s = load("cvs");

	ck_assert_str_eq(s->env[1], "HOME=/b");
	ck_assert_ptr_null(s->passenv[1]);
}
END_TEST

START_TEST(test_env_bad)
{
	ck_assert_int_eq(xconv(SVC("a", "\tenv = NOEQUALS\n") SVC("b", "\tenv -= A=1\n")), -1);
	ck_assert(erred("NOEQUALS has no '='"));
	ck_assert(erred("operator -= is not supported for env"));
}
END_TEST

/* xinetd passes any word; portier refuses a name a shell cannot expand:
 * left out with a warning, so the output loads (found by fuzzing). */
START_TEST(test_env_names_portier_refuses)
{
	ck_assert_int_eq(xconv("defaults\n{\n\tpassenv = PATH\xc3LANG TZ LANG=C\n}\n"
			       SVC("cvs", "\ttype = UNLISTED\n\tport = 2401\n"
				   "\tenv = A-B=1 HOME=/x\n")), 0);
	ck_assert(warned("PATH\xc3LANG is not a variable name portier takes"));
	ck_assert(warned("LANG=C is not a variable name portier takes"));
	ck_assert(warned("A-B is not a variable name portier takes"));
	ck_assert(has("\tpassenv = { \"TZ\" }\n"));
	ck_assert(has("\tenv = { \"HOME=/x\" }\n"));
	loads_clean();
}
END_TEST

/* A control character before a digit: "\0019" is no escape libconfuse
 * takes, "\x01" followed by "9" is (found by fuzzing). */
START_TEST(test_name_control_then_digit)
{
	ck_assert_int_eq(xconv("service a\x01" "9\n{\n" BODY "\tport = 901\n}\n"), 0);
	ck_assert(has("\tname = \"a\\x019\"\n"));
	loads_clean();
}
END_TEST

/* A relative banner: the loader refuses it, so it is left out with a
 * warning (found by fuzzing). */
START_TEST(test_banner_not_absolute)
{
	ck_assert_int_eq(xconv("defaults\n{\n\tbanner_fail = UNLIMITED\n}\n"
			       SVC("ftp", "\tbanner = motd\n\tbanner_success = /etc/issue\n")), 0);
	ck_assert(warned("banner_fail = UNLIMITED: not an absolute path, which portier requires"));
	ck_assert(warned("banner = motd: not an absolute path, which portier requires"));
	ck_assert(!has("\tbanner = "));
	ck_assert(has("\tbanner_success = \"/etc/issue\"\n"));
	loads_clean();
}
END_TEST

/* xinetd takes a limit of 0; the loader does not: left out with a warning
 * (found by fuzzing). */
START_TEST(test_rlimit_zero)
{
	ck_assert_int_eq(xconv(SVC("ftp", "\trlimit_stack = 0M\n\trlimit_cpu = 0\n"
				   "\trlimit_as = 1K\n")), 0);
	ck_assert(warned("rlimit_stack = 0M: portier takes a limit of at least 1"));
	ck_assert(warned("rlimit_cpu = 0: portier takes a limit of at least 1"));
	ck_assert(!has("\trlimit_stack"));
	ck_assert(has("\trlimit_as = "));
	loads_clean();
}
END_TEST

START_TEST(test_whole_environment_summary)
{
	xconv(SVC("ftp", "") SVC("telnet", "\tpassenv = PATH\n") SVC("finger", ""));
	ck_assert(warned("xinetd passed them its whole environment"));
	/* issue 18: the warning names the services, by their portier ids */
	ck_assert(warned("2 service(s) had no passenv"));
	ck_assert(warned("(list what they need in passenv or env): ftp, finger"));
}
END_TEST

/* --- limits --- */

START_TEST(test_instances_per_source)
{
	xconv(SVC("ftp", "\tinstances = UNLIMITED\n\tper_source = 5\n"));
	ck_assert(has("\tinstances = UNLIMITED\n\tper_source = 5\n"));
	ck_assert_int_eq(load("ftp")->instances, LIMIT_UNLIMITED);
	ck_assert_int_eq(load("ftp")->per_source, 5);
	ck_assert(!warned("no instances or per_source limit"));
}
END_TEST

START_TEST(test_instances_default_summary)
{
	xconv(SVC("ftp", ""));
	ck_assert(warned("1 service(s) had no instances or per_source limit under xinetd"));
}
END_TEST

START_TEST(test_instances_zero_and_bad)
{
	ck_assert_int_eq(xconv(SVC("ftp", "\tinstances = 0\n") SVC("telnet", "\tper_source = lots\n")),
			 -1);
	ck_assert(warned("instances = 0: 0 lets no handler start"));
	ck_assert(load("ftp")->disabled);
	ck_assert(erred("per_source: expects a number or UNLIMITED"));
}
END_TEST

START_TEST(test_cps)
{
	xconv(SVC("ftp", "\tcps = 10 5\n") SVC("telnet", "\tcps = 3 0\n"));
	ck_assert(has("\tcps = { 10, 5 }\n"));
	ck_assert_int_eq(load("ftp")->cps_rate, 10);
	ck_assert_int_eq(load("ftp")->cps_wait, 5);
	ck_assert(warned("a pause of 0 seconds"));
	ck_assert_int_eq(load("telnet")->cps_wait, 1);
}
END_TEST

START_TEST(test_cps_bad_count)
{
	xconv(SVC("ftp", "\tcps = 10\n"));
	ck_assert(warned("cps = 10: expects 2 values (xinetd ignored it)"));
	ck_assert(has("# cps = 10: expects 2 values"));
}
END_TEST

START_TEST(test_max_load_nice_umask)
{
	xconv(SVC("ftp", "\tmax_load = 2.5\n\tnice = -5\n\tumask = 27\n"));
	ck_assert(has("\tmax_load = 2.5\n"));
	ck_assert(has("\tnice = -5\n"));
	ck_assert(has("\tumask = \"027\"\n"));
	const struct service *s = load("ftp");

	ck_assert(s->max_load > 2.4 && s->max_load < 2.6);
	ck_assert_int_eq(s->nice, -5);
	ck_assert_int_eq(s->umask, 027);
}
END_TEST

START_TEST(test_umask_bad)
{
	ck_assert_int_eq(xconv(SVC("ftp", "\tumask = 999\n")), -1);
	ck_assert(erred("umask: expects an octal value"));
}
END_TEST

START_TEST(test_rlimits)
{
	xconv(SVC("ctf", "\ttype = UNLISTED\n\tport = 31337\n\trlimit_as = 8M\n\trlimit_cpu = 20\n"
		  "\trlimit_data = UNLIMITED\n\trlimit_stack = 512K\n\trlimit_files = 64\n"
		  "\trlimit_rss = 1M\n"));
	ck_assert(has("\trlimit_as = 8388608\n"));
	ck_assert(has("\trlimit_data = unlimited\n"));
	ck_assert(warned("rlimit_rss = 1M: portier has no rlimit_rss"));
	const struct service *s = load("ctf");

	ck_assert(s->rlimit[RLIM_AS].set);
	ck_assert_uint_eq(s->rlimit[RLIM_AS].value, 8u << 20);
	ck_assert_uint_eq(s->rlimit[RLIM_CPU].value, 20);
	ck_assert(s->rlimit[RLIM_DATA].value == RLIM_INFINITY);
	ck_assert_uint_eq(s->rlimit[RLIM_STACK].value, 512u << 10);
	ck_assert_uint_eq(s->rlimit[RLIM_FILES].value, 64);
}
END_TEST

START_TEST(test_rlimit_bad)
{
	ck_assert_int_eq(xconv(SVC("ftp", "\trlimit_cpu = 20M\n")), -1);
	ck_assert(erred("rlimit_cpu: expects seconds or UNLIMITED"));
}
END_TEST

START_TEST(test_access_times)
{
	xconv(SVC("ftp", "\taccess_times = 2:00-9:00 12:00-23:59\n"));
	ck_assert(has("\taccess_times = { \"02:00-09:00\", \"12:00-23:59\" }\n"));
	const struct service *s = load("ftp");

	ck_assert_uint_eq(s->naccess_times, 2);
	ck_assert_int_eq(s->access_times[0].start, 120);
	ck_assert_int_eq(s->access_times[1].end, 23 * 60 + 59);
}
END_TEST

START_TEST(test_access_times_bad)
{
	/* xinetd's own man page shows 24:00, which xinetd rejects */
	ck_assert_int_eq(xconv(SVC("ftp", "\taccess_times = 12:00-24:00\n")), -1);
	ck_assert(erred("invalid time interval 12:00-24:00"));
}
END_TEST

/* --- addresses --- */

START_TEST(test_only_from_forms)
{
	xconv(SVC("ftp", "\tonly_from = 10.0.0.{1,2} 172.16.{3,4} 192.168.0.0 10.1.2.3/16 "
		  "2001:db8::/32 ::1 127.1\n"));
	const struct service *s = load("ftp");

	ck_assert(s->only_from_set);
	ck_assert(has_rule(&s->only_from, "10.0.0.1", 32));
	ck_assert(has_rule(&s->only_from, "10.0.0.2", 32));
	ck_assert(has_rule(&s->only_from, "172.16.3.0", 24));
	ck_assert(has_rule(&s->only_from, "172.16.4.0", 24));
	/* trailing zero bytes are wildcards in xinetd */
	ck_assert(has_rule(&s->only_from, "192.168.0.0", 16));
	ck_assert(has_rule(&s->only_from, "10.1.0.0", 16));
	ck_assert(has_rule(&s->only_from, "2001:db8::", 32));
	ck_assert(has_rule(&s->only_from, "::1", 128));
	ck_assert(has_rule(&s->only_from, "127.0.0.1", 32));
	ck_assert_uint_eq(s->only_from.count, 9);
	ck_assert_int_eq(d.errors, 0);
}
END_TEST

START_TEST(test_only_from_everyone_and_nobody)
{
	xconv(SVC("ftp", "\tonly_from = 0.0.0.0 ::\n") SVC("telnet", "\tonly_from =\n"));
	ck_assert(has("\tonly_from = { \"0.0.0.0/0\", \"::/0\" }\n"));
	ck_assert(has("\tonly_from = {}\n"));
	ck_assert(load("telnet")->only_from_set);
	ck_assert_uint_eq(load("telnet")->only_from.count, 0);
}
END_TEST

START_TEST(test_only_from_host_and_domain)
{
	xconv(SVC("ftp", "\tonly_from = localhost .example.com\n"));
	ck_assert(warned("host name localhost: xinetd matched the client's reverse DNS name"));
	ck_assert(warned("the domain .example.com matched"));
	ck_assert(has("\tonly_from = { \"localhost\" }\n"));
	ck_assert(has_rule(&load("ftp")->only_from, "127.0.0.1", 32));
}
END_TEST

/* "..60010.6" is neither an address nor a host name to the loader: what
 * xinetd ignored is left out, never written for the loader to refuse. */
START_TEST(test_no_access_dots_not_host)
{
	ck_assert_int_eq(xconv(SVC("ftp", "\tno_access = ..60010.6 10.0.0.1\n")), 0);
	ck_assert(warned("..60010.6 is no address xinetd understands"));
	ck_assert(has("\tno_access = { \"10.0.0.1\" }\n"));
	loads_clean();
}
END_TEST

START_TEST(test_no_access_domain_opens)
{
	xconv(SVC("ftp", "\tno_access = .evil.example 10.9.9.9\n"));
	ck_assert(warned("the service is now open to those clients"));
	ck_assert(has("\tno_access = { \"10.9.9.9\" }\n"));
}
END_TEST

START_TEST(test_only_from_inside_no_access)
{
	xconv("defaults\n{\n\tno_access = 10.0.0.0/8\n}\n"
	      SVC("ftp", "\tonly_from = 10.1.2.3 192.168.0.0\n")
	      SVC("telnet", "\tonly_from = 172.16.0.0/12\n\tno_access = 172.16.5.0/24\n"));
	ck_assert(warned("service ftp: only_from 10.1.2.3 lies inside no_access 10.0.0.0/8"));
	ck_assert(!warned("only_from 192.168.0.0/16 lies"));
	/* the other way round is the same in both */
	ck_assert(!warned("service telnet: only_from"));
}
END_TEST

START_TEST(test_address_errors)
{
	ck_assert_int_eq(xconv(SVC("ftp", "\tonly_from = 10.0.0.1,10.0.0.2\n")
			       SVC("telnet", "\tonly_from = 10..0.{1,2}\n")), -1);
	ck_assert(erred("has a comma in it"));
	ck_assert(erred("consecutive dots"));
}
END_TEST

START_TEST(test_defaults_lists)
{
	xconv("defaults\n{\n\tonly_from = 10.0.0.0/8\n\tonly_from = 192.168.1.1\n"
	      "\tlog_on_success = PID HOST\n}\n"
	      SVC("ftp", "\tonly_from += 172.16.0.1\n")
	      SVC("telnet", "\tonly_from -= 192.168.1.1\n")
	      SVC("finger", "\tlog_on_success -= PID\n\tlog_on_success += EXIT\n"));
	ck_assert_str_eq(out.files[0].name, "00-defaults.conf");
	/* in the defaults, = adds to what was there */
	ck_assert(has("defaults {\n"));
	ck_assert(has("\tonly_from = { \"10.0.0.0/8\", \"192.168.1.1\" }\n"));
	ck_assert(has("\tonly_from += { \"172.16.0.1\" }\n"));
	/* -= starts from the defaults' list: written out in full */
	ck_assert(has("service \"telnet\" {"));
	ck_assert(has("\tonly_from = { \"10.0.0.0/8\" }\n"));
	ck_assert(has("\tlog_on_success = { \"HOST\", \"EXIT\" }\n"));
	ck_assert_uint_eq(load("ftp")->only_from.count, 3);
	ck_assert_uint_eq(load("telnet")->only_from.count, 1);
	ck_assert_uint_eq(load("finger")->log_on_success, LOGF_HOST | LOGF_EXIT);
}
END_TEST

/* --- logging --- */

START_TEST(test_log_flags)
{
	xconv(SVC("ftp", "\tlog_on_success = PID HOST USERID EXIT DURATION TRAFFIC\n"
		  "\tlog_on_failure += ATTEMPT USERID\n"));
	ck_assert(has("\tlog_on_success = { \"PID\", \"HOST\", \"USERID\", \"EXIT\", \"DURATION\" }\n"));
	ck_assert(has("\tlog_on_failure += { \"ATTEMPT\", \"USERID\" }\n"));
	ck_assert(warned("TRAFFIC counts a redirect's bytes"));
	ck_assert(load("ftp")->log_on_failure & LOGF_ATTEMPT);
}
END_TEST

START_TEST(test_log_flag_bad)
{
	ck_assert_int_eq(xconv(SVC("ftp", "\tlog_on_failure = RECORD\n")), -1);
	ck_assert(erred("bad log_on_failure flag RECORD"));
}
END_TEST

START_TEST(test_log_type)
{
	xconv("defaults\n{\n\tlog_type = SYSLOG local3 notice\n}\n"
	      SVC("ftp", "\tlog_type = FILE /var/log/ftp.log\n"));
	/* only the facility: where portierd logs stays the daemon's choice */
	ck_assert(has("\tlog_facility = \"local3\"\n"));
	ck_assert(!has("\tlog ="));
	ck_assert(warned("defaults: log_type = SYSLOG local3 notice: portier logs connections at its own levels"));
	ck_assert(warned("service ftp: log_type = FILE /var/log/ftp.log"));
	load("ftp");
	ck_assert_int_eq(cfg->settings.log_facility, LOG_LOCAL3);
}
END_TEST

/* --- sockets --- */

START_TEST(test_flags_family)
{
	xconv(SVC("ftp", "\tflags = IPv4\n") SVC("telnet", "\tflags = IPv6\n")
	      SVC("finger", "\tflags = IPv6\n\tv6only = yes\n"));
	ck_assert(has("\tbind = { \"0.0.0.0\" }\n"));
	ck_assert(has("\tbind = { \"::\" }\n"));
	ck_assert_uint_eq(load("ftp")->nbind, 1);
	ck_assert_int_eq(load("ftp")->bind[0].ss_family, AF_INET);
	ck_assert_uint_eq(load("telnet")->nbind, 0);
	ck_assert_int_eq(load("finger")->bind[0].ss_family, AF_INET6);
}
END_TEST

START_TEST(test_bind_interface)
{
	xconv(SVC("ftp", "\tbind = 127.0.0.1\n") SVC("telnet", "\tinterface = ::1\n")
	      SVC("finger", "\tbind = gateway.example\n"));
	ck_assert(has("\tbind = { \"127.0.0.1\" }\n"));
	ck_assert(has("\tbind = { \"::1\" }\n"));
	ck_assert(warned("bind = gateway.example: a host name"));
	/* portier binds addresses only: kept as comments, never widened */
	ck_assert(has("# service \"finger\" {"));
	ck_assert(has("#\t# kept as comments: bind gateway.example is not an address"));
	ck_assert_uint_eq(out.commented, 1);
	loads_clean();
	reset();
	/* one attribute in xinetd (A_BIND): the second line is ignored */
	xconv(SVC("ftp", "\tbind = 127.0.0.1\n\tinterface = ::1\n")
	      SVC("telnet", "\tinterface = 127.0.0.2\n\tbind = ::1\n"));
	ck_assert(warned("interface = ::1: set twice: xinetd kept the first"));
	ck_assert(warned("bind = ::1: set twice: xinetd kept the first"));
	ck_assert_int_eq(load("ftp")->bind[0].ss_family, AF_INET);
	ck_assert_int_eq(load("telnet")->bind[0].ss_family, AF_INET);
	ck_assert(!has("bind = { \"::1\" }"));
	loads_clean();
	reset();
	/* a link-local address with its zone is a number to getaddrinfo() */
	xconv(SVC("ftp", "\tbind = fe80::1%lo\n"));
	ck_assert(!warned("a host name"));
	ck_assert(has("\tbind = { \"fe80::1%lo\" }\n"));
	ck_assert_uint_eq(out.commented, 0);
	loads_clean();
	reset();
	xconv(SVC("ftp", "\tbind = fe80::1%\n"));
	ck_assert(warned("bind = fe80::1%: a host name"));
	reset();
	/* a host name to xinetd, a unix socket to portier's loader */
	xconv(SVC("ftp", "\tbind = unix:/run/ftp.sock\n"));
	ck_assert(warned("bind = unix:/run/ftp.sock: a host name"));
	ck_assert(has("#\t# kept as comments: bind unix:/run/ftp.sock is not an address"));
	ck_assert_uint_eq(out.commented, 1);
	loads_clean();
}
END_TEST

START_TEST(test_flags_socket_options)
{
	xconv(SVC("ftp", "\tflags = KEEPALIVE NODELAY REUSE NOLIBWRAP NORETRY\n"));
	ck_assert(has("\tkeepalive = yes\n\tnodelay = yes\n"));
	ck_assert(has("REUSE: portier sets SO_REUSEADDR on its TCP sockets"));
	ck_assert(has("NOLIBWRAP"));
	ck_assert(has("NORETRY"));
	ck_assert_uint_eq(d.count, 3);	/* the three summaries, no flag warning */
	ck_assert(load("ftp")->keepalive);
	ck_assert(load("ftp")->nodelay);
}
END_TEST

START_TEST(test_flags_lost)
{
	xconv(SVC("ftp", "\tflags = INTERCEPT IDONLY LABELED\n"));
	ck_assert(warned("INTERCEPT"));
	ck_assert(warned("IDONLY"));
	ck_assert(warned("LABELED"));
	ck_assert_uint_eq(out.live, 1);
}
END_TEST

START_TEST(test_flag_sensor)
{
	xconv(SVC("ftp", "\tflags = SENSOR\n\tdeny_time = 60\n"));
	ck_assert(warned("flags SENSOR"));
	ck_assert(has("# deny_time = 60: belongs to the SENSOR flag"));
	ck_assert_uint_eq(out.commented, 1);
}
END_TEST

START_TEST(test_flag_bad)
{
	ck_assert_int_eq(xconv(SVC("ftp", "\tflags = TURBO\n")), -1);
	ck_assert(erred("bad service flag TURBO"));
}
END_TEST

START_TEST(test_port_bad_and_zero)
{
	ck_assert_int_eq(xconv(SVC("ftp", "\tport = 70000\n") SVC("telnet", "\tport = 0\n")), -1);
	ck_assert(erred("port number is invalid"));
	ck_assert(warned("port 0 (any free port)"));
}
END_TEST

START_TEST(test_redirect)
{
	xconv("service web\n{\n\ttype = UNLISTED\n\tsocket_type = stream\n\tprotocol = tcp\n"
	      "\tport = 8080\n\twait = no\n\tuser = nobody\n\tredirect = 192.0.2.10 80\n}\n"
	      "service web6\n{\n\ttype = UNLISTED\n\tsocket_type = stream\n\tport = 8081\n"
	      "\twait = no\n\tuser = nobody\n\tserver = /bin/cat\n\tredirect = 2001:db8::1 80\n}\n");
	ck_assert(has("\tserver = \"/usr/bin/socat\"\n\tserver_args = { \"-\", \"TCP:192.0.2.10:80\" }\n"));
	ck_assert(has("\"TCP:[2001:db8::1]:80\""));
	ck_assert(has("# server /bin/cat: not used by xinetd, redirect takes priority"));
	ck_assert(warned("t.conf:9: warning: service web: redirect = 192.0.2.10 80: portier has no redirect"));
	ck_assert_str_eq(load("web")->argv[0], "socat");
}
END_TEST

START_TEST(test_banners)
{
	xconv(SVC("ftp", "\tbanner = /etc/issue.net\n\tbanner_success = /etc/ok\n\tbanner_fail = /etc/no\n"));
	ck_assert_str_eq(load("ftp")->banner, "/etc/issue.net");
	ck_assert_str_eq(load("ftp")->banner_success, "/etc/ok");
	ck_assert_str_eq(load("ftp")->banner_fail, "/etc/no");
}
END_TEST

START_TEST(test_libwrap_mdns_unknown)
{
	xconv(SVC("ftp", "\tlibwrap = ftpd\n\tmdns = yes\n\tturbo = on\n"));
	ck_assert(warned("t.conf:7: warning: service ftp: libwrap = ftpd"));
	ck_assert(warned("mdns = yes: portier does not register services with mDNS"));
	ck_assert(warned("turbo = on: no such xinetd attribute (xinetd ignored it)"));
	ck_assert(has("# turbo = on"));
}
END_TEST

START_TEST(test_attribute_twice_and_operator)
{
	xconv(SVC("ftp", "\tnice = 5\n\tnice = 6\n\tinstances += 4\n"));
	ck_assert(warned("nice = 6: set twice"));
	ck_assert(warned("instances += 4: xinetd takes only '='"));
	ck_assert_int_eq(load("ftp")->nice, 5);
}
END_TEST

/* --- syntax and defaults --- */

START_TEST(test_syntax_errors)
{
	ck_assert_int_eq(xconv("service a\n{\n\ttype=UNLISTED\n\tport = 1\n}\n"
			       "service b {\n\tport = 2\n}\n"
			       "garbage here\n\tport = 5\n}\n"
			       "service c\n{\n\tport 3\n}\n"
			       SVC("ftp", "")
			       "service d\n{\n\tport = 4\n"), -1);
	ck_assert(erred("t.conf:3: attribute type needs a space before its operator"));
	ck_assert(erred("t.conf:6: b: '{' must follow on a line of its own"));
	ck_assert(erred("t.conf:9: 'garbage': expected service"));
	ck_assert(erred("t.conf:14: attribute port: no operator"));
	ck_assert(erred("service d: incomplete entry"));
	/* the good entry between them survives */
	ck_assert_uint_eq(out.live, 1);
	load("ftp");
}
END_TEST

START_TEST(test_operator_touching_value)
{
	xconv(SVC("mine", "\ttype = UNLISTED\n\tport =9001\n"));
	ck_assert_uint_eq(load("mine")->port, 9001);
}
END_TEST

START_TEST(test_defaults_enabled_disabled)
{
	xconv("defaults\n{\n\tdisabled = telnet-x\n\tenabled = ftp telnet-x\n}\n"
	      SVC("ftp", "") SVC("telnet", "\tid = telnet-x\n") SVC("finger", ""));
	ck_assert(has("the defaults' `disabled` list names telnet-x"));
	ck_assert(has("the defaults' `enabled` list does not name finger"));
	ck_assert(!load("ftp")->disabled);
	ck_assert(load("telnet")->disabled);
	ck_assert(load("finger")->disabled);
}
END_TEST

START_TEST(test_defaults_scope)
{
	ck_assert_int_eq(xconv("defaults\n{\n\tserver = /bin/x\n\tinstances = 30\n\tcps = 5 5\n"
			       "\tumask = 022\n\tgroups = yes\n\tbind = 127.0.0.1\n}\n"
			       "defaults\n{\n\tinstances = 1\n}\n" SVC("ftp", "\tflags = IPv4\n")), -1);
	ck_assert(warned("defaults: server = /bin/x: xinetd does not take it in the defaults"));
	ck_assert(erred("only one defaults entry is allowed"));
	/* the defaults' bind wins over the IPv4 flag */
	ck_assert(!has("\"0.0.0.0\""));
	const struct service *s = load("ftp");

	ck_assert_int_eq(s->instances, 30);
	ck_assert_int_eq(s->cps_rate, 5);
	ck_assert_int_eq(s->umask, 022);
	ck_assert_uint_eq(s->nbind, 1);
	ck_assert(!warned("without supplementary groups"));
}
END_TEST

START_TEST(test_empty_defaults_no_file)
{
	xconv("defaults\n{\n# log_type = SYSLOG daemon info\n}\n" SVC("ftp", ""));
	ck_assert_str_eq(out.files[0].name, "ftp.conf");
	ck_assert_uint_eq(out.count, 1);
}
END_TEST

START_TEST(test_comments_and_blank_lines)
{
	ck_assert_int_eq(xconv("# a comment\n\n   # indented comment\nservice ftp\n{\n"
			       "\t# inside\n" BODY "\n}\n"), 0);
	load("ftp");
}
END_TEST

/* --- files --- */

static char *
data_path(const char *rel)
{
	char *p;

	ck_assert_int_ge(asprintf(&p, "%s/tests/ctl/convert/%s", getenv("top_srcdir"), rel), 0);
	return p;
}

START_TEST(test_xinetd_conf_includedir)
{
	char *path = data_path("xinetd.conf");
	struct convert_opts o = { fake_system, real_registry, reg, NULL };

	ck_assert_int_eq(convert_xinetd_path(path, &o, &out, &d), 0);
	text = convert_join(&out);
	ck_assert_str_eq(out.files[0].name, "00-defaults.conf");
	ck_assert_uint_ge(out.live, 15);
	/* includedir skips names with a dot or a trailing ~ */
	ck_assert(has("(service rsync)"));
	ck_assert(!has("rsync-old"));
	ck_assert(!has("tftp-backup"));
	ck_assert(load("shell")->disabled);	/* the defaults' disabled list */
	ck_assert(load("tftp/udp")->wait);
	ck_assert_int_eq(load("ctf-pwn")->instances, 50);
	free(path);
}
END_TEST

START_TEST(test_debian_xinetd_files)
{
	char *path = data_path("debian-xinetd.conf");
	struct convert_opts o = { fake_system, real_registry, reg, NULL };

	ck_assert_int_eq(convert_xinetd_path(path, &o, &out, &d), 0);
	text = convert_join(&out);
	/* chargen daytime discard echo time, each tcp and udp; services and servers */
	ck_assert_uint_eq(out.live, 10);
	ck_assert_uint_eq(out.commented, 7);
	const char *names[] = { "chargen", "daytime", "discard", "echo", "time" };

	for (size_t i = 0; i < 5; i++) {
		char udp[32];

		snprintf(udp, sizeof(udp), "%s/udp", names[i]);
		ck_assert(load(names[i])->internal);
		ck_assert(load(udp)->internal);
		ck_assert(load(udp)->disabled);
	}
	free(path);
}
END_TEST

START_TEST(test_missing_path)
{
	struct convert_opts o = { 0 };

	ck_assert_int_eq(convert_xinetd_path("/nonexistent/xinetd.conf", &o, &out, &d), -1);
	ck_assert(erred("/nonexistent/xinetd.conf: No such file or directory"));
	ck_assert_int_eq(convert_inetd_path("/nonexistent/inetd.conf", &o, &out, &d), -1);
}
END_TEST

/* A file of lines in dir; returns its path. */
static char *
put_file(const char *dir, const char *name, const char *body)
{
	char *path;
	FILE *fp;

	ck_assert_int_ge(asprintf(&path, "%s/%s", dir, name), 0);
	fp = fopen(path, "w");
	ck_assert_ptr_nonnull(fp);
	fputs(body, fp);
	ck_assert_int_eq(fclose(fp), 0);
	return path;
}

static size_t
said_count(const char *s)
{
	size_t n = 0;

	for (size_t i = 0; i < d.count; i++)
		n += strstr(d.items[i].text, s) != NULL;
	return n;
}

static void
rm_tree(const char *dir)
{
	char *cmd;

	ck_assert_int_ge(asprintf(&cmd, "rm -rf '%s'", dir), 0);
	ck_assert_int_eq(system(cmd), 0);
	free(cmd);
}

/* issue 19: a file that includes itself six times never finished and grew
 * without bound; every cycle is now one error, and nothing is read twice
 * along one include path. */
START_TEST(test_include_loop)
{
	char dir[] = "/tmp/check_convert.XXXXXX";
	struct convert_opts o = { 0 };
	char *a, *b, *sub, *top;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	a = put_file(dir, "a.conf", "include a.conf\ninclude a.conf\ninclude a.conf\n"
		     "include a.conf\ninclude a.conf\ninclude a.conf\n" SVC("ftp", ""));
	ck_assert_int_eq(convert_xinetd_path(a, &o, &out, &d), -1);
	ck_assert_uint_eq(said_count("include cycle"), 1);
	ck_assert(erred("a.conf:1: include cycle: "));
	ck_assert_uint_eq(out.live, 1);	/* ftp, once */
	convert_out_free(&out);
	diag_free(&d);

	/* b -> c -> b, and a directory whose file includes the directory */
	b = put_file(dir, "b.conf", "include c.conf\n");
	free(put_file(dir, "c.conf", "include b.conf\ninclude b.conf\n"));
	ck_assert_int_ge(asprintf(&sub, "%s/sub", dir), 0);
	ck_assert_int_eq(mkdir(sub, 0700), 0);
	free(put_file(sub, "x", "includedir ../sub\n" SVC("telnet", "")));
	top = put_file(dir, "top.conf", "include b.conf\nincludedir sub\n");
	ck_assert_int_eq(convert_xinetd_path(top, &o, &out, &d), -1);
	ck_assert_uint_eq(said_count("include cycle"), 2);
	ck_assert(erred("c.conf:1: include cycle: "));
	ck_assert(erred("sub/x:1: include cycle: "));
	ck_assert_uint_eq(out.live, 1);	/* telnet, once */
	rm_tree(dir);
	free(a);
	free(b);
	free(sub);
	free(top);
}
END_TEST

/* Includes that repeat each other without a cycle: each file includes the
 * next twice, 2^12 reads in all; the reader stops at its bound, once. */
START_TEST(test_include_bound)
{
	char dir[] = "/tmp/check_convert.XXXXXX";
	struct convert_opts o = { 0 };
	char *first = NULL;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	for (int i = 0; i < 12; i++) {
		char name[16], body[64];
		char *p;

		snprintf(name, sizeof(name), "f%d", i);
		snprintf(body, sizeof(body), "include f%d\ninclude f%d\n", i + 1, i + 1);
		p = put_file(dir, name, i == 11 ? "" : body);
		if (i == 0)
			first = p;
		else
			free(p);
	}
	ck_assert_int_eq(convert_xinetd_path(first, &o, &out, &d), -1);
	ck_assert_uint_eq(said_count("files read through include and includedir"), 1);
	ck_assert_uint_eq(said_count("include cycle"), 0);
	rm_tree(dir);
	free(first);
}
END_TEST

/* issue 18: a prefix on every file name and id, so that converting into a
 * conf.d that ships telnet.conf (service telnet, disabled) collides with
 * neither; the old name stays in `name`, which finds the port */
START_TEST(test_prefix)
{
	struct convert_opts o = { fake_system, real_registry, reg, "xinetd-" };

	ck_assert_int_eq(convert_xinetd_buffer("defaults\n{\n\tinstances = 30\n}\n"
					       SVC("telnet", "") "service tftp\n{\n\tprotocol = udp\n"
					       "\twait = yes\n\tuser = nobody\n\tserver = /bin/cat\n}\n",
					       "t.conf", &o, &out, &d), 0);
	text = convert_join(&out);
	ck_assert_uint_eq(out.count, 3);
	ck_assert_str_eq(out.files[0].name, "xinetd-00-defaults.conf");
	ck_assert_str_eq(out.files[1].name, "xinetd-telnet.conf");
	ck_assert_str_eq(out.files[2].name, "xinetd-tftp-udp.conf");
	ck_assert(has("service \"xinetd-telnet\" {\n\tname = \"telnet\"\n"));
	ck_assert_str_eq(load("xinetd-telnet")->name, "telnet");
	ck_assert_uint_eq(load("xinetd-telnet")->port, 23);
	ck_assert_uint_eq(load("xinetd-tftp/udp")->port, 69);
	ck_assert(convert_prefix_valid(""));
	ck_assert(convert_prefix_valid("old-inetd_2@"));
	ck_assert(!convert_prefix_valid("a/b"));
	ck_assert(!convert_prefix_valid(".hidden-"));
	ck_assert(!convert_prefix_valid("a b"));
}
END_TEST

/* --- writing into a directory --- */

static char *wdir;

static void
wsetup(void)
{
	setup();
	ck_assert_int_ge(asprintf(&wdir, "/tmp/check_convert_w.XXXXXX"), 0);
	ck_assert_ptr_nonnull(mkdtemp(wdir));
}

static void
wteardown(void)
{
	rm_tree(wdir);
	free(wdir);
	teardown();
}

static char *
wpath(const char *name)
{
	char *p;

	ck_assert_int_ge(asprintf(&p, "%s/%s", wdir, name), 0);
	return p;
}

static char *
slurp(const char *path)
{
	FILE *fp = fopen(path, "r");
	char *buf = calloc(1, 4096);

	ck_assert_ptr_nonnull(fp);
	ck_assert_ptr_nonnull(buf);
	fread(buf, 1, 4095, fp);
	fclose(fp);
	return buf;
}

/* Names in wdir other than the converted files: leftovers. */
static size_t
dir_entries(void)
{
	DIR *dp = opendir(wdir);
	struct dirent *de;
	size_t n = 0;

	ck_assert_ptr_nonnull(dp);
	while ((de = readdir(dp)))
		n += strcmp(de->d_name, ".") && strcmp(de->d_name, "..");
	closedir(dp);
	return n;
}

/* issue 19: --out DIR --force wrote through a symlink planted in DIR, so
 * that root overwrote its target */
START_TEST(test_write_symlink)
{
	char *target = wpath("target"), *link = wpath("ftp.conf"), *t;
	struct stat st;

	xconv(SVC("ftp", ""));
	free(put_file(wdir, "target", "secret\n"));
	ck_assert_int_eq(symlink(target, link), 0);
	/* without force: refused, nothing written, the link and target as they were */
	ck_assert_int_eq(convert_write(wdir, &out, false, &d), -1);
	ck_assert(erred("ftp.conf exists and is a symbolic link"));
	ck_assert(erred("nothing written"));
	ck_assert_int_eq(lstat(link, &st), 0);
	ck_assert(S_ISLNK(st.st_mode));
	/* with force: the link itself is replaced, never its target */
	ck_assert_int_eq(convert_write(wdir, &out, true, &d), 0);
	ck_assert_int_eq(lstat(link, &st), 0);
	ck_assert(S_ISREG(st.st_mode));
	t = slurp(target);
	ck_assert_str_eq(t, "secret\n");
	free(t);
	t = slurp(link);
	ck_assert_str_eq(t, out.files[0].text);
	free(t);
	ck_assert_uint_eq(dir_entries(), 2);	/* no temporary file left */
	free(target);
	free(link);
}
END_TEST

/* A dangling symlink, a directory and a FIFO at a name: never replaced,
 * not even with force; a file is replaced only with force. */
START_TEST(test_write_names_taken)
{
	char *p = wpath("ftp.conf");
	struct stat st;

	xconv(SVC("ftp", ""));
	ck_assert_int_eq(symlink("/nonexistent/x", p), 0);
	ck_assert_int_eq(convert_write(wdir, &out, false, &d), -1);
	ck_assert_int_eq(lstat("/nonexistent/x", &st), -1);
	ck_assert_int_eq(unlink(p), 0);
	ck_assert_int_eq(mkdir(p, 0700), 0);
	ck_assert_int_eq(convert_write(wdir, &out, true, &d), -1);
	ck_assert(erred("ftp.conf exists and is a directory: never replaced"));
	ck_assert_int_eq(rmdir(p), 0);
	ck_assert_int_eq(mkfifo(p, 0600), 0);
	ck_assert_int_eq(convert_write(wdir, &out, true, &d), -1);
	ck_assert(erred("ftp.conf exists and is not a regular file: never replaced"));
	ck_assert_int_eq(unlink(p), 0);
	free(put_file(wdir, "ftp.conf", "# mine\n"));
	ck_assert_int_eq(convert_write(wdir, &out, false, &d), -1);
	ck_assert(erred("ftp.conf exists (--force replaces it)"));
	ck_assert_uint_eq(dir_entries(), 1);
	free(p);
}
END_TEST

/* The files are 0644 whatever the umask, and a second write without force
 * finds every name taken. */
START_TEST(test_write_mode)
{
	char *p = wpath("ftp.conf");
	struct stat st;
	mode_t old = umask(077);

	xconv(SVC("ftp", "") SVC("telnet", ""));
	ck_assert_int_eq(convert_write(wdir, &out, false, &d), 0);
	umask(old);
	ck_assert_int_eq(stat(p, &st), 0);
	ck_assert_int_eq(st.st_mode & 07777, 0644);
	ck_assert_uint_eq(dir_entries(), 2);
	ck_assert_int_eq(convert_write(wdir, &out, false, &d), -1);
	free(p);
}
END_TEST

/* --- the round trip: output converted without errors loads --- */

/* Converts one fixture (inetd when its name says so, else xinetd) with
 * and without the prefix, writes it to a directory and loads that. */
static void
round_trip(const char *path, bool inetd, const char *prefix)
{
	struct convert_opts o = { fake_system, real_registry, reg, prefix };
	struct convert_out co = { 0 };
	struct diag cd, ld;
	char dir[] = "/tmp/check_convert_rt.XXXXXX";
	struct config *c;
	int rc;

	diag_init(&cd);
	rc = inetd ? convert_inetd_path(path, &o, &co, &cd) :
		     convert_xinetd_path(path, &o, &co, &cd);
	if (rc == 0 && cd.errors == 0) {
		ck_assert_ptr_nonnull(mkdtemp(dir));
		ck_assert_int_eq(convert_write(dir, &co, false, &cd), 0);
		diag_init(&ld);
		c = config_load(dir, reg, CONFIG_NO_FS_CHECKS, &ld);
		if (!c || ld.errors) {
			fprintf(stderr, "%s (prefix '%s'):\n", path, prefix ? prefix : "");
			diag_print(&ld, stderr);
		}
		ck_assert_msg(c && ld.errors == 0, "%s converted without errors does not load",
			      path);
		ck_assert_uint_eq(c->count, co.live);
		config_free(c);
		diag_free(&ld);
		rm_tree(dir);
	}
	convert_out_free(&co);
	diag_free(&cd);
}

static size_t
round_trip_dir(const char *dir)
{
	struct dirent **names;
	int n = scandir(dir, &names, NULL, alphasort);
	size_t done = 0;

	ck_assert_int_ge(n, 0);
	for (int i = 0; i < n; i++) {
		const char *name = names[i]->d_name;
		char *path;
		struct stat st;

		ck_assert_int_ge(asprintf(&path, "%s/%s", dir, name), 0);
		if (name[0] != '.' && stat(path, &st) == 0) {
			bool inetd = !strncmp(name, "inetd", 5);

			round_trip(path, inetd, NULL);
			round_trip(path, inetd, inetd ? "inetd-" : "xinetd-");
			done++;
			if (S_ISDIR(st.st_mode))
				done += round_trip_dir(path);
		}
		free(path);
		free(names[i]);
	}
	free(names);
	return done;
}

/* Every fixture under tests/ctl/convert: a file or directory each, and every
 * file of the xinetd.d directories alone. */
START_TEST(test_round_trip_fixtures)
{
	char *dir = data_path("");

	ck_assert_uint_ge(round_trip_dir(dir), 39);
	free(dir);
}
END_TEST

START_TEST(test_hosts_rules)
{
	char path[] = "/tmp/check_convert_hosts.XXXXXX";
	int fd = mkstemp(path);
	const char rules[] = "# comment\n\nALL: 10.0.0.0/8\nin.ftpd: ALL EXCEPT .example\n";

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, rules, sizeof(rules) - 1), (int)sizeof(rules) - 1);
	close(fd);
	ck_assert_int_eq(convert_hosts_rules(path), 2);
	unlink(path);
	ck_assert_int_eq(convert_hosts_rules(path), 0);
}
END_TEST

/* --- inetd.conf --- */

START_TEST(test_inetd_basic)
{
	ck_assert_int_eq(iconv_("ftp\tstream\ttcp\tnowait\troot\t/usr/sbin/in.ftpd\tin.ftpd -l\n"), 0);
	ck_assert(has("\tserver_args = { \"-l\" }\n"));
	const struct service *s = load("ftp");

	ck_assert(!s->wait);
	ck_assert_str_eq(s->user, "root");
	ck_assert_str_eq(s->argv[0], "in.ftpd");
	ck_assert(warned("1 service(s) got inetd's environment"));
	ck_assert(warned("(list what they need in passenv or env): ftp"));
	ck_assert(warned("1 service(s) had no limit on handlers at once under inetd"));
}
END_TEST

START_TEST(test_inetd_internal)
{
	iconv_("echo stream tcp nowait root internal\necho dgram udp wait root internal\n"
	       "time stream tcp nowait root internal\n");
	ck_assert(load("echo")->internal);
	ck_assert(load("echo/udp")->internal);
	ck_assert(load("echo/udp")->wait);
	ck_assert(!has("\tuser ="));
	ck_assert_uint_eq(d.count, 0);	/* no handler: no summary */
}
END_TEST

START_TEST(test_inetd_internal_unknown)
{
	ck_assert_int_eq(iconv_("whois stream tcp nowait root internal\n"), -1);
	ck_assert(erred("inetd.conf:1: internal service whois unknown"));
}
END_TEST

START_TEST(test_inetd_families)
{
	iconv_("daytime stream tcp6 nowait root internal\n"
	       "time stream tcp4 nowait root internal\n"
	       "chargen stream tcp46 nowait root internal\n"
	       "echo stream tcp nowait root internal\n");
	ck_assert_int_eq(load("daytime")->bind[0].ss_family, AF_INET6);
	ck_assert_int_eq(load("time")->bind[0].ss_family, AF_INET);
	ck_assert_uint_eq(load("chargen")->nbind, 0);
	ck_assert_uint_eq(load("echo")->nbind, 0);
	ck_assert(warned("tcp46: portier listens on separate IPv4 and IPv6 sockets"));
}
END_TEST

START_TEST(test_inetd_hosts)
{
	iconv_("127.0.0.1:echo stream tcp nowait root internal\n"
	       "[::1]:discard stream tcp6 nowait root internal\n"
	       "10.0.0.1,10.0.0.2:\n"
	       "daytime stream tcp nowait root internal\n"
	       "time stream tcp nowait root internal\n"
	       "*:\n"
	       "chargen stream tcp nowait root internal\n"
	       "127.0.0.2: echo dgram udp wait root internal\n");
	ck_assert(has("\tbind = { \"127.0.0.1\" }\n"));
	ck_assert(has("\tbind = { \"::1\" }\n"));
	ck_assert_uint_eq(load("daytime")->nbind, 2);
	ck_assert_uint_eq(load("time")->nbind, 2);
	ck_assert_uint_eq(load("chargen")->nbind, 0);
	ck_assert_uint_eq(load("echo/udp")->nbind, 1);
	ck_assert(!warned("the name resolved to"));	/* addresses, not names */
}
END_TEST

/* tcp is both families (Debian's openbsd-inetd since 0.20221205): a
 * tcp6 line on ::1 for the same port fails to bind there (address in
 * use) and portier loads neither: an error, the later line comments. */
START_TEST(test_inetd_overlapping_binds)
{
	ck_assert_int_eq(iconv_("echo stream tcp nowait root internal\n"
				"[::1]:echo stream tcp6 nowait root internal\n"
				"127.0.0.1,*:discard stream tcp4 nowait root internal\n"), -1);
	ck_assert(erred("inetd.conf:2: service echo: port 7/tcp on an address the service "
			"at inetd.conf:1 listens on too"));
	ck_assert(erred("inetd.conf:3: service discard: two of its addresses overlap"));
	ck_assert_uint_eq(out.live, 1);
	ck_assert_uint_eq(out.commented, 2);
	loads_clean();
}
END_TEST

/* A TCP service whose name ends in /udp: the id must not (the loader
 * reads it as the UDP suffix); found by fuzzing. */
START_TEST(test_inetd_tcp_name_ends_udp)
{
	ck_assert_int_eq(iconv_("tcpmux/rpc/udp stream tcp nowait nobody /bin/cat cat\n"), 0);
	ck_assert_str_eq(load("rpc_udp")->name, "rpc/udp");
	loads_clean();
}
END_TEST

/* One tcpmux name on two lines with other addresses: the loader takes a
 * name once (found by fuzzing). */
START_TEST(test_inetd_tcpmux_name_twice)
{
	ck_assert_int_eq(iconv_("tcpmux/+backup stream tcp nowait nobody /bin/cat cat\n"
				"127.0.0.1:tcpmux/+BACKUP stream tcp nowait nobody /bin/cat cat\n"), -1);
	ck_assert(erred("inetd.conf:2: service BACKUP: tcpmux name also served by"));
	ck_assert_uint_eq(out.live, 1);
	loads_clean();
}
END_TEST

/* tcpmux/ with no name after it: no client can ask for an empty name and
 * the loader refuses one, so the line is an error (found by fuzzing). */
START_TEST(test_inetd_tcpmux_empty_name)
{
	ck_assert_int_eq(iconv_("tcpmux/ stream tcp nowait nobody /bin/cat cat\n"
				"tcpmux/+ stream tcp nowait nobody /bin/cat cat\n"), -1);
	ck_assert(erred("inetd.conf:1: service tcpmux/: no name after tcpmux/"));
	ck_assert(erred("inetd.conf:2: service tcpmux/: no name after tcpmux/"));
	ck_assert_uint_eq(out.live, 0);
}
END_TEST

/* An id longer than the loader takes is cut (the service keeps its name,
 * found by fuzzing), and ids cut alike still differ. */
START_TEST(test_inetd_long_ids_cut)
{
	char buf[1024];
	const char *long_name = "tcpmux/abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyz"
				"abcdefghijklmnopqrstuvwxyz";

	snprintf(buf, sizeof(buf), "%s1 stream tcp nowait nobody /bin/cat cat\n"
		 "%s2 stream tcp nowait nobody /bin/cat cat\n", long_name, long_name);
	ck_assert_int_eq(iconv_(buf), 0);
	ck_assert_uint_eq(out.live, 2);
	ck_assert_str_eq(load("abcdefghijklmnopqrstuvwxyzabcdef"
			      "ghijklmnopqrstuvwxyzabcdefghijkl")->name + 78, "1");
	ck_assert_str_eq(load("abcdefghijklmnopqrstuvwxyzabcdef"
			      "ghijklmnopqrstuvwxyzabcdefghij-2")->name + 78, "2");
	loads_clean();
}
END_TEST

/* A host name: inetd resolved it once, at start. */
START_TEST(test_inetd_host_name)
{
	iconv_("gateway.example:echo stream tcp nowait root internal\n");
	ck_assert(has("\tbind = { \"gateway.example\" }\n"));
	ck_assert(warned("service echo: host gateway.example: inetd bound every address the "
			 "name resolved to at start; give portier those addresses"));
	ck_assert_uint_eq(out.commented, 1);
	loads_clean();
}
END_TEST

START_TEST(test_inetd_tcpd)
{
	iconv_("telnet stream tcp nowait telnetd /usr/sbin/tcpd /usr/sbin/in.telnetd\n"
	       "finger stream tcp nowait nobody /usr/sbin/tcpd in.fingerd -w\n");
	ck_assert(has("\tserver = \"/usr/sbin/in.telnetd\"\n"));
	ck_assert(has("\tserver = \"/usr/sbin/in.fingerd\"\n\tserver_args = { \"-w\" }\n"));
	ck_assert(warned("inetd.conf:1: warning: service telnet: server tcpd"));
	ck_assert_str_eq(load("telnet")->argv[0], "in.telnetd");
}
END_TEST

START_TEST(test_inetd_user_group_max)
{
	iconv_("talk dgram udp wait nobody.tty /usr/sbin/in.talkd in.talkd\n"
	       "ntalk dgram udp wait nobody:tty /usr/sbin/in.ntalkd in.ntalkd\n"
	       "ftp stream tcp nowait.400 root /usr/sbin/in.ftpd in.ftpd\n");
	ck_assert_str_eq(load("talk/udp")->group, "tty");
	ck_assert_str_eq(load("ntalk/udp")->user, "nobody");
	ck_assert(warned("nowait.400: inetd's limit of 400 starts a minute"));
}
END_TEST

START_TEST(test_inetd_update_inetd_forms)
{
	iconv_("#:STANDARD: These are standard services.\n"
	       "#<off># ftp\tstream\ttcp\tnowait\troot\t/usr/sbin/tcpd\t/usr/sbin/in.ftpd\n"
	       "#telnet stream tcp nowait root /usr/sbin/tcpd /usr/sbin/in.telnetd\n"
	       "git stream tcp nowait nobody /usr/bin/git git daemon --inetd\n"
	       "\t--base-path=/srv/git /srv/git\n");
	ck_assert(load("ftp")->disabled);
	ck_assert(has("update-inetd had disabled the entry"));
	ck_assert(!has("telnet"));	/* commented out by the user: not an entry */
	const struct service *s = load("git");

	ck_assert_str_eq(s->argv[3], "--base-path=/srv/git");
	ck_assert_str_eq(s->argv[4], "/srv/git");
}
END_TEST

/* issue 19: update-inetd's mark with nothing after it dereferenced NULL */
START_TEST(test_inetd_off_mark_alone)
{
	ck_assert_int_eq(iconv_("#<off># \n#<off>#\t \n#<off># \n"
				"#<off>#\n"
				"echo stream tcp nowait root internal\n#<off># "), 0);
	ck_assert_uint_eq(out.live, 1);
	ck_assert(load("echo")->internal);
}
END_TEST

/* issue 19: a relative server loaded as "0 errors" then failed to load */
START_TEST(test_inetd_relative_server)
{
	ck_assert_int_eq(iconv_("ftp stream tcp nowait root in.ftpd in.ftpd -l\n"
				"echo stream tcp nowait root internal\n"), 0);
	ck_assert(warned("service ftp: server in.ftpd: not an absolute path"));
	ck_assert(has("# service \"ftp\" {"));
	ck_assert_uint_eq(out.commented, 1);
	ck_assert(!warned("got inetd's environment"));	/* no handler left */
	loads_clean();
}
END_TEST

START_TEST(test_inetd_unsupported)
{
	iconv_("rstatd/1-3 dgram rpc/udp wait root /usr/sbin/rpc.rstatd rpc.rstatd\n"
	       "rsync stream tcp,sndbuf=64k nowait nobody /usr/bin/rsync rsync --daemon\n"
	       "echo raw tcp nowait root /bin/cat cat\n");
	ck_assert(warned("service rstatd: protocol rpc/udp"));
	ck_assert(warned("sndbuf=64k: portier sets no socket buffer sizes"));
	ck_assert(warned("socket type raw"));
	ck_assert_uint_eq(out.commented, 2);
	ck_assert_uint_eq(out.live, 1);
}
END_TEST

/* issue 17: OpenBSD inetd's unix-domain lines (the path as the service,
 * protocol unix) become unix services; what portier cannot listen on is
 * kept as comments with the reason */
/* 110 characters: with "/run/" and ".sock", too long for sun_path */
#define LONG_NAME "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa" \
	"bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"

START_TEST(test_inetd_unix)
{
	const struct service *s;

	ck_assert_int_eq(iconv_("/run/backup.sock stream unix nowait backup /usr/sbin/bk bk -q\n"
				"127.0.0.1:/run/tool stream unix wait root /usr/bin/tool tool\n"
				"/run/log.socket dgram unix wait root /usr/sbin/logd logd\n"
				"run/rel.sock stream unix nowait root /bin/cat cat\n"
				"/srv/b/backup.sock stream unix nowait backup /usr/sbin/bk bk\n"
				"/run/finger.sock stream unix nowait nobody /usr/sbin/fingerd fingerd\n"
				"finger stream tcp nowait nobody /usr/sbin/fingerd fingerd\n"), 0);
	ck_assert(has("# From inetd.conf:1 (unix socket /run/backup.sock) by portierctl"));
	ck_assert(has("service \"backup\" {\n"));
	ck_assert(has("\tbind = { \"unix:/run/backup.sock\" }\n\tsocket_mode = \"0666\"\n"));
	ck_assert(!has("protocol = \"unix\""));
	ck_assert(!has("name = \"backup\""));
	s = load("backup");
	ck_assert(s->local);
	ck_assert_int_eq(s->bind[0].ss_family, AF_UNIX);
	ck_assert_str_eq(((const struct sockaddr_un *)&s->bind[0])->sun_path, "/run/backup.sock");
	ck_assert_uint_eq(s->socket_mode, 0666);
	ck_assert(!s->wait);
	/* a host prefix means nothing to a unix line, as to inetd */
	ck_assert(has("# host 127.0.0.1: not used for a unix socket"));
	ck_assert(load("tool")->wait);
	/* dgram and a relative path: comments, warned */
	ck_assert(warned("inetd.conf:3: warning: service log: dgram on a unix socket"));
	ck_assert(has("# service \"log\" {"));
	ck_assert(warned("inetd.conf:4: warning: service rel: unix socket run/rel.sock: not an absolute path"));
	/* one name from two paths; a network service keeps its name's id */
	ck_assert_str_eq(((const struct sockaddr_un *)&load("backup-2")->bind[0])->sun_path,
			 "/srv/b/backup.sock");
	ck_assert_uint_eq(load("finger")->port, 79);
	ck_assert(load("finger-2")->local);
	ck_assert_uint_eq(out.live, 5);
	ck_assert_uint_eq(out.commented, 2);
	loads_clean();
	reset();

	/* one path twice: folded, as inetd bound it once; a path too long for
	 * sun_path and internal services on a unix socket are not served */
	ck_assert_int_eq(iconv_("/run/a.sock stream unix nowait root /bin/cat cat\n"
				"/run/a.sock stream unix nowait root /bin/true true\n"
				"echo stream unix nowait root internal\n"
				"/run/no-such-builtin stream unix nowait root internal\n"
				"/run/" LONG_NAME ".sock stream unix nowait root /bin/cat cat\n"), -1);
	ck_assert(warned("inetd.conf:2: warning: service a: listens on the same socket as the service "
			 "at inetd.conf:1"));
	ck_assert(warned("inetd.conf:3: warning: service echo: internal on a unix socket"));
	ck_assert(erred("inetd.conf:4: internal service /run/no-such-builtin unknown"));
	ck_assert(erred("inetd.conf:5: service " LONG_NAME ": unix socket /run/" LONG_NAME
			".sock: longer than 107 bytes"));
	ck_assert_uint_eq(out.live, 1);
	ck_assert_uint_eq(out.commented, 3);
	loads_clean();
}
END_TEST

START_TEST(test_inetd_port_number_and_tcpmux)
{
	iconv_("8080 stream tcp nowait www-data /usr/local/bin/httpd httpd\n"
	       "tcpmux/+backup stream tcp nowait backup /usr/local/sbin/bk bk\n"
	       "tcpmux/sync stream tcp nowait backup /usr/local/sbin/sync sync\n");
	ck_assert_uint_eq(load("port-8080")->port, 8080);
	ck_assert(load("backup")->tcpmux);
	ck_assert(load("sync")->tcpmux);
	ck_assert(warned("tcpmux/sync: the server itself answered"));
	ck_assert(!warned("tcpmux/backup"));
}
END_TEST

/* a field missing: the server in the user's place (found by mutating the
 * fixtures); inetd finds no such user and skips the line */
START_TEST(test_inetd_user_invalid)
{
	ck_assert_int_eq(iconv_("telnet stream tcp nowait /usr/sbin/tcpd /usr/sbin/in.telnetd\n"
				"ftp stream tcp nowait root. /usr/sbin/in.ftpd in.ftpd\n"
				"echo stream tcp nowait root internal\n"), -1);
	ck_assert(erred("inetd.conf:1: service telnet: user /usr/sbin/tcpd: no user"));
	ck_assert(erred("inetd.conf:2: service ftp: user root.: no user"));
	ck_assert_uint_eq(out.count, 1);
	loads_clean();
}
END_TEST

/* found by a generator of random lines: each loaded after "0 errors" */
START_TEST(test_inetd_wait_and_socket)
{
	ck_assert_int_eq(iconv_("tftp dgram udp nowait nobody /usr/sbin/in.tftpd in.tftpd\n"
				"echo dgram udp nowait root internal\n"
				"daytime stream tcp wait root internal\n"), 0);
	ck_assert(warned("service tftp: wait = no on a datagram socket: portier gives the socket "
			 "to one handler at a time (wait = yes); inetd started one per datagram"));
	ck_assert(load("tftp/udp")->wait);
	ck_assert(load("echo/udp")->wait);
	ck_assert(!load("daytime")->wait);
	loads_clean();
	reset();
	ck_assert_int_eq(iconv_("ftp dgram tcp nowait root /usr/sbin/in.ftpd in.ftpd\n"
				"tcpmux dgram udp wait root internal\n"
				"echo stream tcp nowait root internal\n"), -1);
	ck_assert(erred("service ftp: socket type dgram does not fit protocol tcp"));
	ck_assert(erred("internal service tcpmux unknown"));
	ck_assert_uint_eq(out.count, 1);
	loads_clean();
}
END_TEST

START_TEST(test_inetd_syntax)
{
	ck_assert_int_eq(iconv_("ftp stream tcp nowait root\n"
				"telnet stream tcp maybe root /usr/sbin/in.telnetd\n"), -1);
	ck_assert(erred("inetd.conf:1: syntax error"));
	ck_assert(warned("'maybe' is neither wait nor nowait"));
	ck_assert(!load("telnet")->wait);
}
END_TEST

/* inetd_compat: the entries come into a load through the reader, each
 * service and each message with the entry's FILE:LINE; a disabled entry is a
 * disabled service; a broken line is a warning and stops nothing. */
START_TEST(test_inetd_compat_load)
{
	char dir[] = "/tmp/check-inetd.XXXXXX", path[64], conf[160], want[96];
	FILE *fp;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/inetd.conf", dir);
	fp = fopen(path, "w");
	ck_assert_ptr_nonnull(fp);
	fputs("# comment\n"
	      "echo stream tcp nowait root internal\n"
	      "#<off># 4001\tstream\ttcp\tnowait\tnobody\t/bin/cat\tcat\n"
	      "garbage line\n"
	      "\n"
	      "4002 stream tcp nowait nobody /bin/cat cat -n\n", fp);
	ck_assert_int_eq(fclose(fp), 0);
	snprintf(conf, sizeof(conf), "defaults {\n\tinetd_compat = yes\n\tinetd_conf = \"%s\"\n}\n",
		 path);

	config_set_inetd_reader(convert_inetd_config);
	cfg = config_load_buffer(conf, "00.conf", reg, CONFIG_NO_FS_CHECKS, &d);
	config_set_inetd_reader(NULL);
	ck_assert_msg(cfg, "%s", d.count ? d.items[0].text : "no diagnostic");
	ck_assert_int_eq(cfg->count, 3);
	ck_assert_str_eq(config_find(cfg, "inetd-echo")->file, path);
	ck_assert_int_eq(config_find(cfg, "inetd-echo")->line, 2);
	ck_assert(config_find(cfg, "inetd-port-4001")->disabled);
	ck_assert_int_eq(config_find(cfg, "inetd-port-4001")->line, 3);
	ck_assert_int_eq(config_find(cfg, "inetd-port-4002")->line, 6);
	ck_assert_str_eq(config_find(cfg, "inetd-port-4002")->argv[1], "-n");
	ck_assert_int_eq(d.errors, 0);
	snprintf(want, sizeof(want), "%s:4: warning: syntax error", path);
	ck_assert(said(DIAG_WARNING, want));
	/* The migration's summary is not repeated at every load. */
	ck_assert(!said(DIAG_WARNING, "environment"));
	config_free(cfg);

	/* Without a reader, or off: conf.d alone. */
	cfg = config_load_buffer(conf, "00.conf", reg, CONFIG_NO_FS_CHECKS, &d);
	ck_assert_ptr_nonnull(cfg);
	ck_assert_int_eq(cfg->count, 0);
	config_free(cfg);
	snprintf(conf, sizeof(conf), "defaults {\n\tinetd_conf = \"%s\"\n}\n", path);
	config_set_inetd_reader(convert_inetd_config);
	cfg = config_load_buffer(conf, "00.conf", reg, CONFIG_NO_FS_CHECKS, &d);
	config_set_inetd_reader(NULL);
	ck_assert_ptr_nonnull(cfg);
	/* the build's default: --enable-inetd-compat */
	ck_assert_int_eq(cfg->count, PORTIER_INETD_COMPAT ? 3 : 0);
	config_free(cfg);
	snprintf(conf, sizeof(conf), "defaults {\n\tinetd_compat = no\n\tinetd_conf = \"%s\"\n}\n",
		 path);
	config_set_inetd_reader(convert_inetd_config);
	cfg = config_load_buffer(conf, "00.conf", reg, CONFIG_NO_FS_CHECKS, &d);
	config_set_inetd_reader(NULL);
	ck_assert_ptr_nonnull(cfg);
	ck_assert_int_eq(cfg->count, 0);
	unlink(path);
	rmdir(dir);
}
END_TEST

START_TEST(test_inetd_file)
{
	char *path = data_path("inetd.conf");
	struct convert_opts o = { fake_system, real_registry, reg, NULL };

	ck_assert_int_eq(convert_inetd_path(path, &o, &out, &d), 0);
	text = convert_join(&out);
	ck_assert_uint_eq(out.live, 18);
	ck_assert_uint_eq(out.commented, 1);
	ck_assert(load("ftp")->disabled);
	ck_assert(load("netbios-ssn")->disabled);
	ck_assert_str_eq(load("tftp/udp")->argv[2], "/srv/tftp");
	free(path);
}
END_TEST

static void
add(TCase *tc, const TTest *t)
{
	tcase_add_test(tc, t);
}

/* --- the round-trip harnesses' findings (tests/fuzz/found/) --- */

static char *
read_input(const char *path)
{
	FILE *fp = fopen(path, "r");
	char *buf = calloc(1, 65536);
	size_t got;

	ck_assert_msg(fp && buf, "%s: cannot read", path);
	got = fread(buf, 1, 65535, fp);
	ck_assert(!ferror(fp));
	buf[got] = '\0';	/* a NUL inside ends the text, as for the converter */
	fclose(fp);
	return buf;
}

/* Every input a round-trip harness found, under plain make check too (no
 * clang): converted without errors, it loads. An xinetd input is read as
 * one file; one that includes others needs the harness's tree and is left
 * to make fuzz. */
static void
replay_found(const char *target, int (*conv)(const char *))
{
	const char *top = getenv("top_srcdir");
	char dir[1024], path[1536];
	struct dirent *de;
	size_t n = 0;
	DIR *dp;

	snprintf(dir, sizeof(dir), "%s/tests/fuzz/found/%s", top ? top : "../..", target);
	dp = opendir(dir);
	ck_assert_msg(dp, "%s: %s", dir, strerror(errno));
	while ((de = readdir(dp))) {
		struct config *c;
		struct diag ld;
		char *buf;

		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		buf = read_input(path);
		reset();
		if (!(conv == xconv && strstr(buf, "include")) && conv(buf) == 0 && !d.errors) {
			diag_init(&ld);
			c = config_load_buffer(text, "converted", reg, CONFIG_NO_FS_CHECKS, &ld);
			if (!c)
				diag_print(&ld, stderr);
			ck_assert_msg(c, "%s: converted without errors, does not load", path);
			config_free(c);
			diag_free(&ld);
		}
		free(buf);
		n++;
	}
	closedir(dp);
	ck_assert_uint_gt(n, 0);
}

START_TEST(test_found_inetd)
{
	replay_found("inetd_roundtrip", iconv_);
	replay_found("inetd", iconv_);
}
END_TEST

START_TEST(test_found_xinetd)
{
	replay_found("xinetd_roundtrip", xconv);
	replay_found("xinetd", xconv);
}
END_TEST

static Suite *
convert_suite(void)
{
	Suite *s = suite_create("convert");
	TCase *x = tcase_create("xinetd");
	TCase *v = tcase_create("values");
	TCase *f = tcase_create("files");
	TCase *i = tcase_create("inetd");
	TCase *w = tcase_create("write");

	tcase_add_checked_fixture(x, setup, teardown);
	tcase_add_checked_fixture(v, setup, teardown);
	tcase_add_checked_fixture(f, setup, teardown);
	/* every fixture converted and loaded twice, 1024 includes read: more
	 * than Check's 4 s in a sanitizer build on a busy machine */
	tcase_set_timeout(f, 60);
	tcase_add_checked_fixture(i, setup, teardown);
	tcase_add_checked_fixture(w, wsetup, wteardown);

	add(x, test_basic_service);
	add(x, test_registry_port_not_spelled);
	add(x, test_disable_yes);
	add(x, test_disable_bad);
	add(x, test_tcp_udp_twins);
	add(x, test_id_kept_when_it_tells_apart);
	add(x, test_same_name_numbered_without_id);
	add(x, test_duplicate_disabled_copy_folded);
	add(x, test_duplicate_both_enabled);
	add(x, test_type_internal);
	add(x, test_type_internal_unknown);
	add(x, test_internal_services_servers);
	add(x, test_unlisted_needs_port);
	add(x, test_unlisted_with_port);
	add(x, test_tcpmux_types);
	add(x, test_tcpmux_wait_and_defaults_bind_host);
	add(x, test_type_rpc);
	add(x, test_type_bad);
	add(x, test_socket_type_raw);
	add(x, test_protocol_derived_and_other);
	add(x, test_socket_type_protocol_mismatch);
	add(x, test_wait_missing_and_bad);
	add(x, test_dgram_nowait);
	add(x, test_required_user_server);
	add(x, test_disabled_entry_is_lenient);
	add(x, test_user_group);
	add(x, test_user_group_invalid);
	add(x, test_groups);
	add(x, test_server_args_split);
	add(x, test_server_args_empty);
	add(x, test_nameinargs_tcpd);
	add(x, test_nameinargs_tcpd_relative);
	add(x, test_nameinargs_argv0);
	add(x, test_nameinargs_late);
	add(x, test_nameinargs_without_args);
	add(x, test_env_passenv);
	add(x, test_env_twice_and_passenv);
	add(x, test_env_bad);
	add(x, test_env_names_portier_refuses);
	add(x, test_name_control_then_digit);
	add(x, test_banner_not_absolute);
	add(x, test_rlimit_zero);
	add(x, test_whole_environment_summary);
	add(x, test_two_reasons_cannot);
	add(x, test_disabled_entry_incomplete);
	add(x, test_port_unknown);
	add(x, test_id_made_valid);
	add(x, test_flags_family);
	add(x, test_bind_interface);
	add(x, test_flags_socket_options);
	add(x, test_flags_lost);
	add(x, test_flag_sensor);
	add(x, test_flag_bad);
	add(x, test_port_bad_and_zero);
	add(x, test_redirect);
	add(x, test_banners);
	add(x, test_libwrap_mdns_unknown);
	add(x, test_attribute_twice_and_operator);
	add(x, test_syntax_errors);
	add(x, test_operator_touching_value);
	add(x, test_defaults_enabled_disabled);
	add(x, test_defaults_scope);
	add(x, test_empty_defaults_no_file);
	add(x, test_comments_and_blank_lines);
	suite_add_tcase(s, x);

	add(v, test_instances_per_source);
	add(v, test_instances_default_summary);
	add(v, test_instances_zero_and_bad);
	add(v, test_cps);
	add(v, test_cps_bad_count);
	add(v, test_max_load_nice_umask);
	add(v, test_umask_bad);
	add(v, test_rlimits);
	add(v, test_rlimit_bad);
	add(v, test_access_times);
	add(v, test_access_times_bad);
	add(v, test_only_from_forms);
	add(v, test_only_from_everyone_and_nobody);
	add(v, test_only_from_host_and_domain);
	add(v, test_no_access_domain_opens);
	add(v, test_no_access_dots_not_host);
	add(v, test_only_from_inside_no_access);
	add(v, test_address_errors);
	add(v, test_defaults_lists);
	add(v, test_log_flags);
	add(v, test_log_flag_bad);
	add(v, test_log_type);
	suite_add_tcase(s, v);

	add(f, test_xinetd_conf_includedir);
	add(f, test_debian_xinetd_files);
	add(f, test_missing_path);
	add(f, test_include_loop);
	add(f, test_include_bound);
	add(f, test_prefix);
	add(f, test_round_trip_fixtures);
	add(f, test_hosts_rules);
	suite_add_tcase(s, f);

	add(i, test_inetd_basic);
	add(i, test_inetd_internal);
	add(i, test_inetd_internal_unknown);
	add(i, test_inetd_families);
	add(i, test_inetd_hosts);
	add(i, test_inetd_host_name);
	add(i, test_inetd_overlapping_binds);
	add(i, test_inetd_long_ids_cut);
	add(i, test_inetd_tcp_name_ends_udp);
	add(i, test_inetd_tcpmux_name_twice);
	add(i, test_inetd_tcpmux_empty_name);
	add(i, test_inetd_tcpd);
	add(i, test_inetd_user_group_max);
	add(i, test_inetd_update_inetd_forms);
	add(i, test_inetd_off_mark_alone);
	add(i, test_inetd_relative_server);
	add(i, test_inetd_unsupported);
	add(i, test_inetd_unix);
	add(i, test_inetd_port_number_and_tcpmux);
	add(i, test_inetd_user_invalid);
	add(i, test_inetd_wait_and_socket);
	add(i, test_inetd_syntax);
	add(i, test_inetd_file);
	add(i, test_inetd_compat_load);
	add(i, test_found_inetd);
	add(i, test_found_xinetd);
	suite_add_tcase(s, i);

	add(w, test_write_symlink);
	add(w, test_write_names_taken);
	add(w, test_write_mode);
	suite_add_tcase(s, w);
	return s;
}

int
main(void)
{
	return check_run(convert_suite());
}
