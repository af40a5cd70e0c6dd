#!/bin/sh
# SPDX-License-Identifier: ISC
# Internal services under load: a client that writes 100 MiB to echo without
# reading anything cannot grow portierd's memory (RSS measured) and does not
# stop other clients or services; then 500 echo clients connected at once
# are all served byte-exact.
. "${top_srcdir:-../..}/tests/lib/lib.sh"
pt_init
BC="python3 $top_srcdir/tests/lib/builtin_client.py"

set -- $(pt_ports 2)
ECHO=$1 DAYTIME=$2
# the limits are the test's subject here, not the access rules
pt_conf load <<CONF
defaults {
	instances = UNLIMITED
	per_source = UNLIMITED
	cps = { 0, 0 }
}
service echo {
	type = internal
	port = $ECHO
	bind = { "127.0.0.1" }
	log_on_success = { }
}
service daytime {
	type = internal
	port = $DAYTIME
	bind = { "127.0.0.1" }
}
CONF
# 500 clients and 500 server sockets in one test
ulimit -n 4096 2>/dev/null || ulimit -n 2048 2>/dev/null || true
[ "$(ulimit -n)" -ge 1100 ] || pt_skip "descriptor limit $(ulimit -n) is below 1100"
pt_start

# a warm-up so that the baseline RSS includes what any connection costs
$BC echo 127.0.0.1 "$ECHO" 65536 || pt_fail "echo"

# 100 MiB, never reading: echo stops reading once its 16 KiB buffer and the
# sockets' buffers are full. RSS may grow by at most 2 MiB; daytime and
# another echo client are served meanwhile.
$BC echo-flood 127.0.0.1 "$ECHO" 100 "$PT_PID" 2048 "$DAYTIME" ||
	pt_fail "echo flood"

$BC echo-many 127.0.0.1 "$ECHO" 500 || pt_fail "500 concurrent echo clients"
$BC daytime 127.0.0.1 "$DAYTIME" || pt_fail "daytime after the load"

pt_stop || pt_fail "portierd exit status"
exit 0
