#!/bin/sh
# SPDX-License-Identifier: ISC
# The demo set in conf.d/ works as README says: portierd -f -c conf.d -r
# services.db, then demo-hello (10013/tcp), demo-cat (10007/tcp, IPv4 and
# IPv6), demo-udp (10007/udp) and the internal demo-echo (10107/tcp and udp)
# and demo-daytime (10113/tcp) answer on loopback.
. "${top_srcdir:-../..}/tests/lib/lib.sh"
pt_init

# The demo's ports are fixed: one demo at a time on this machine (other
# build trees may run their suites at once), and pt_ports never picks them.
pt_lock demo
demo_ports_free() {
	python3 - 2>/dev/null <<'PY'
import socket
for fam, typ, host in ((socket.AF_INET, socket.SOCK_STREAM, "127.0.0.1"),
                       (socket.AF_INET, socket.SOCK_DGRAM, "127.0.0.1")):
    for port in (10013, 10007, 10107, 10113):
        s = socket.socket(fam, typ)
        if typ == socket.SOCK_STREAM:  # as portierd: TIME_WAIT is no obstacle
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind((host, port))
        s.close()
PY
}
pt_wait_until demo_ports_free 60 || pt_skip "the demo ports 10013/10007/10107/10113 are in use"
PT_CONFD="$top_srcdir/conf.d"
pt_start

out=$($PT_CLIENT tcp 127.0.0.1 10013) || pt_fail "demo-hello"
case $out in "Hello from portier"*) ;; *) pt_fail "demo-hello said '$out'" ;; esac
out=$($PT_CLIENT tcp 127.0.0.1 10007 "cat demo") || pt_fail "demo-cat"
[ "$out" = "cat demo" ] || pt_fail "demo-cat said '$out'"
if pt_ipv6; then
	out=$($PT_CLIENT tcp ::1 10007 "cat demo 6") || pt_fail "demo-cat on ::1"
	[ "$out" = "cat demo 6" ] || pt_fail "demo-cat on ::1 said '$out'"
fi
out=$($PT_CLIENT udp 127.0.0.1 10007 "udp demo") || pt_fail "demo-udp"
[ "$out" = "portier demo-udp got: udp demo" ] || pt_fail "demo-udp said '$out'"
out=$($PT_CLIENT tcp 127.0.0.1 10107 "internal echo") || pt_fail "demo-echo"
[ "$out" = "internal echo" ] || pt_fail "demo-echo said '$out'"
out=$($PT_CLIENT udp 127.0.0.1 10107 "internal udp echo") || pt_fail "demo-echo/udp"
[ "$out" = "internal udp echo" ] || pt_fail "demo-echo/udp said '$out'"
out=$($PT_CLIENT tcp 127.0.0.1 10113) || pt_fail "demo-daytime"
echo "$out" | grep -Eq '^[A-Z][a-z]+day, [A-Z][a-z]+ [0-9]{2}, [0-9]{4} [0-9]{2}:[0-9]{2}:[0-9]{2}-' ||
	pt_fail "demo-daytime said '$out'"
pt_stop || pt_fail "portierd exit status on SIGTERM"
exit 0
