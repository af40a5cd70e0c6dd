#!/bin/sh
# SPDX-License-Identifier: ISC
# portierd, nowait stream: /bin/cat round trip on IPv4 and IPv6; what the
# handler is given: argv untouched by any shell, exactly fds 0-2, a clean
# environment with the connection's variables, a process group of its own
# and no terminal, cwd /, clean signals, keepalive/nodelay, and (as root)
# the default user nobody.
. "${top_srcdir:-../..}/tests/lib/lib.sh"
pt_init

set -- $(pt_ports 2)
CAT=$1 REPORT=$2

pt_conf cat <<CONF
service demo-cat {
	socket_type = stream
	protocol = tcp
	wait = no
	port = $CAT
	server = "/bin/cat"
}
CONF
pt_tcp_service report "$REPORT" "$PT_HANDLER" \
	'"report", "two words", "$HOME", "a;b", "'"'q'"'", "\"dq\"", "*"' \
	'keepalive = yes' 'nodelay = yes' 'env = { "GREETING=hello world" }' \
	'passenv = { "PT_PASSED", "PT_UNSET" }'

export PT_PASSED=passed-value
unset PT_UNSET || true
pt_start

out=$($PT_CLIENT tcp 127.0.0.1 "$CAT" "hello over IPv4") || pt_fail "IPv4 connection"
[ "$out" = "hello over IPv4" ] || pt_fail "IPv4 echo: got '$out'"
if pt_ipv6; then
	out=$($PT_CLIENT tcp ::1 "$CAT" "hello over IPv6") || pt_fail "IPv6 connection"
	[ "$out" = "hello over IPv6" ] || pt_fail "IPv6 echo: got '$out'"
fi

R="$PT_DIR/report.out"
$PT_CLIENT tcp 127.0.0.1 "$REPORT" > "$R" || pt_fail "report connection"
expect() { pt_assert_grep "$1" "$R" "handler report: expected '$1'"; }
# argv: argv[0] is the basename, then server_args as separate entries.
expect '^argc=8$'
expect '^argv0=\[handler\]$'
expect '^argv1=\[report\]$'
expect '^argv2=\[two words\]$'
expect '^argv3=\[\$HOME\]$'
expect '^argv4=\[a;b\]$'
expect "^argv5=\\['q'\\]\$"
expect '^argv6=\["dq"\]$'
expect '^argv7=\[\*\]$'
# exactly 0, 1, 2
expect '^fds=0,1,2,$'
expect '^keepalive=1$'
expect '^nodelay=1$'
expect '^nonblock=0$'
expect '^pgid_is_pid=1$'
expect '^tty=0$'
expect '^cwd=/$'
expect '^SigBlk=0+$'
expect '^SigIgn=0+$'
# environment: env, passenv, the default PATH, then the connection's
# variables; nothing else (tests/daemon/daemon_env.sh: PATH)
expect '^env:GREETING=hello world$'
expect '^env:PT_PASSED=passed-value$'
expect '^env:PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin$'
expect '^env:SERVICE=report$'
expect '^env:PROTO=TCP$'
expect '^env:LOCAL_ADDR=127\.0\.0\.1$'
expect "^env:LOCAL_PORT=$REPORT\$"
expect '^env:REMOTE_ADDR=127\.0\.0\.1$'
expect '^env:REMOTE_PORT=[0-9]+$'
expect '^env:TCPLOCALIP=127\.0\.0\.1$'
expect "^env:TCPLOCALPORT=$REPORT\$"
expect '^env:TCPREMOTEIP=127\.0\.0\.1$'
expect '^env:TCPREMOTEPORT=[0-9]+$'
n=$(grep -c '^env:' "$R")
[ "$n" -eq 13 ] || pt_fail "handler environment has $n variables, expected 13: $(grep '^env:' "$R")"
grep -q '^env:PT_UNSET' "$R" && pt_fail "an unset passenv variable appeared"
[ "$(grep -c '^env:PATH=' "$R")" -eq 1 ] || pt_fail "portierd's PATH leaked into the handler"

# the connection's remote port is the client's, as logged
port=$(sed -n 's/^env:REMOTE_PORT=//p' "$R")
pt_wait_log "report: exit pid [0-9]+ from 127\.0\.0\.1:$port status 0 duration" ||
	pt_fail "no exit line with the remote address and status"

if [ "$(id -u)" -eq 0 ]; then
	uid=$(id -u nobody) || pt_skip "no user nobody"
	expect "^uid=$uid\$"
	expect "^gid=$(id -g nobody)\$"
	grep -q '^groups=.*\b0,' "$R" && pt_fail "the handler kept root's group"
	# user = root must be explicit
	pt_stop || pt_fail "portierd exit status"
	sed -i 's|^\tserver = |\tuser = root\n&|' "$PT_CONFD/report.conf"
	pt_start
	$PT_CLIENT tcp 127.0.0.1 "$REPORT" > "$R" || pt_fail "report connection as root"
	expect '^uid=0$'
	expect '^gid=0$'
	# root's own groups, whether or not setgroups was needed
	expect "^groups=$(id -G root | tr ' ' '\n' | sort -n | tr '\n' ',')\$"
fi

pt_stop || pt_fail "portierd exit status on SIGTERM"
exit 0
