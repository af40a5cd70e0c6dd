#!/bin/sh
# SPDX-License-Identifier: ISC
# instances, per_source, cps and max_children: each serves exactly up to its
# limit, refuses the next connection (closed at once, logged with the
# reason) and serves again once a handler has gone or the pause is over.
# max_load refuses while the load average is above it (when this machine's
# load is measurable at all).
. "${top_srcdir:-../..}/tests/lib/lib.sh"
pt_init
ACCESS="python3 $top_srcdir/tests/lib/access.py"

set -- $(pt_ports 3)
P_INST=$1 P_SRC=$2 P_CPS=$3

svc() {	# name port server limits
	pt_tcp_service "$1" "$2" "$3" "" 'log_on_failure = { HOST }' "$4"
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

# 5 connections must fit in one second: on a loaded machine, try again once
# the pause (2 s) and the window (1 s) of the last try are surely over
for try in 1 2 3 4 5; do
	$ACCESS cps 127.0.0.1 "$P_CPS" 4 2
	rc=$?
	[ $rc -eq 77 ] || break
	sleep 3
done
[ $rc -eq 77 ] && pt_skip "this machine is too slow for a 1-second window ($try tries)"
[ $rc -eq 0 ] || pt_fail "cps = { 4, 2 }"
pt_assert_grep 'rate: refused connection from 127\.0\.0\.1:[0-9]+: cps' "$PT_LOG" \
	"cps refusal not logged"
pt_assert_grep 'rate: cps: more than 4 connections in a second: not accepting for 2 s' \
	"$PT_LOG" "cps pause not logged"
pt_assert_grep 'rate: cps: accepting connections again' "$PT_LOG" "cps resume not logged"

[ "$(pt_wait_zombies)" -eq 0 ] || pt_fail "zombie children left"
pt_stop || pt_fail "portierd exit status on SIGTERM"

# max_children counts the handlers of every service
rm "$PT_CONFD"/*.conf
pt_conf defaults <<CONF
defaults {
	max_children = 2
}
CONF
svc kids "$P_INST" /bin/cat '
	instances = UNLIMITED
	per_source = UNLIMITED'
# max_load below the current load: refused (an idle machine may read 0.00)
load=$(cut -d' ' -f1 /proc/loadavg)
LOADED=$(awk "BEGIN { print ($load >= 0.02) ? \"yes\" : \"\" }")
[ -n "$LOADED" ] && svc load "$P_SRC" /bin/pwd '
	max_load = 0.01'
svc light "$P_CPS" /bin/pwd '
	max_load = 1000'
pt_start
$ACCESS limit children 127.0.0.1 "$P_INST" 2 || pt_fail "max_children = 2"
pt_assert_grep 'kids: refused connection from 127\.0\.0\.1:[0-9]+: children' "$PT_LOG" \
	"max_children refusal not logged"
pt_wait_count 'kids: exit pid' 3 || pt_fail "handlers of kids not reaped"
out=$($ACCESS conn 127.0.0.1 "$P_CPS") || pt_fail "connection to light"
[ -n "$out" ] || pt_fail "max_load = 1000 refused a connection"
if [ -n "$LOADED" ]; then
	out=$($ACCESS conn 127.0.0.1 "$P_SRC") || pt_fail "connection to load"
	[ -z "$out" ] || pt_fail "max_load = 0.01 at load $load: served"
	pt_assert_grep 'load: refused connection from 127\.0\.0\.1:[0-9]+: load' "$PT_LOG" \
		"max_load refusal not logged"
	echo "ok max_load below the load average ($load)"
fi
pt_stop || pt_fail "portierd exit status on SIGTERM"
exit 0
