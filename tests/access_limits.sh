#!/bin/sh
# instances, per_source and cps: each serves exactly up to its limit, refuses
# the next connection (closed at once, logged with the reason) and serves
# again once a handler has gone (instances, per_source) or the pause is over
# (cps).
. "${top_srcdir:-..}/tests/lib.sh"
pt_init
ACCESS="python3 $top_srcdir/tests/access.py"

set -- $(pt_ports 3)
P_INST=$1 P_SRC=$2 P_CPS=$3

svc() {	# name port server limits
	pt_conf "$1" <<CONF
service $1 {
	socket_type = stream
	protocol = tcp
	wait = no
	port = $2
	bind = { "127.0.0.1" }
	server = "$3"
	log_on_failure = { HOST }
$4
}
CONF
}
svc inst "$P_INST" /bin/cat '
	instances = 3
	per_source = UNLIMITED
	cps = { 0, 0 }'
svc src "$P_SRC" /bin/cat '
	instances = UNLIMITED
	per_source = 2
	cps = { 0, 0 }'
svc rate "$P_CPS" /bin/echo '
	instances = UNLIMITED
	per_source = UNLIMITED
	cps = { 4, 2 }'
pt_start

$ACCESS limit instances 127.0.0.1 "$P_INST" 3 || pt_fail "instances = 3"
pt_assert_grep 'inst: refused connection from 127\.0\.0\.1:[0-9]+: instances' "$PT_LOG" \
	"instances refusal not logged"

$ACCESS limit per_source 127.0.0.1 "$P_SRC" 2 127.0.0.2 || pt_fail "per_source = 2"
pt_assert_grep 'src: refused connection from 127\.0\.0\.1:[0-9]+: per_source' "$PT_LOG" \
	"per_source refusal not logged"

$ACCESS cps 127.0.0.1 "$P_CPS" 4 2
rc=$?
[ $rc -eq 77 ] && pt_skip "this machine is too slow for a 1-second window"
[ $rc -eq 0 ] || pt_fail "cps = { 4, 2 }"
pt_assert_grep 'rate: refused connection from 127\.0\.0\.1:[0-9]+: cps' "$PT_LOG" \
	"cps refusal not logged"
pt_assert_grep 'rate: cps: more than 4 connections in a second: not accepting for 2 s' \
	"$PT_LOG" "cps pause not logged"
pt_assert_grep 'rate: cps: accepting connections again' "$PT_LOG" "cps resume not logged"

[ "$(pt_wait_zombies)" -eq 0 ] || pt_fail "zombie children left"
pt_stop || pt_fail "portierd exit status on SIGTERM"
exit 0
