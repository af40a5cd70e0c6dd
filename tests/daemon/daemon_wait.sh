#!/bin/sh
# SPDX-License-Identifier: ISC
# portierd, wait mode: a UDP handler gets the listening socket and answers
# the datagram; a TCP handler gets the listening socket and accepts by
# itself. While a handler runs, portierd does not watch its socket: a slow
# handler is started once per datagram or connection, not once per wake-up.
# A handler that exits without reading its datagram trips the loop guard.
. "${top_srcdir:-../..}/tests/lib/lib.sh"
pt_init

set -- $(pt_ports 3)
UDP=$1 TCP=$2 LOOP=$3

pt_conf defaults <<CONF
defaults {
	loop_limit = 3
	loop_disable = 2
}
CONF
pt_udp_service looping "$LOOP" "$PT_HANDLER" '"exit", "0"'
pt_udp_service wait-udp "$UDP" "$PT_HANDLER" '"udp", "300"'
pt_service wait-tcp tcp-wait "$TCP" "$PT_HANDLER" '"accept", "300"'
pt_start

out=$($PT_CLIENT udp 127.0.0.1 "$UDP" ping-1) || pt_fail "no UDP reply"
[ "$out" = "udp:ping-1" ] || pt_fail "UDP reply '$out'"
pt_wait_log "wait-udp: exit pid" || pt_fail "the UDP handler's exit was not logged"
out=$($PT_CLIENT udp 127.0.0.1 "$UDP" ping-2) || pt_fail "no second UDP reply (listener not resumed?)"
[ "$out" = "udp:ping-2" ] || pt_fail "second UDP reply '$out'"
pt_wait_count "wait-udp: exit pid" 2 || pt_fail "the second UDP handler's exit was not logged"
n=$(grep -c 'wait-udp: start' "$PT_LOG")
[ "$n" -eq 2 ] || pt_fail "2 datagrams to a slow handler started $n handlers"

a=$($PT_CLIENT tcp 127.0.0.1 "$TCP") || pt_fail "wait-mode TCP connection"
case $a in "accepted pid="*) ;; *) pt_fail "wait-mode TCP reply '$a'" ;; esac
b=$($PT_CLIENT tcp 127.0.0.1 "$TCP") || pt_fail "second wait-mode TCP connection"
case $b in "accepted pid="*) ;; *) pt_fail "second wait-mode TCP reply '$b'" ;; esac
[ "$a" != "$b" ] || pt_fail "one handler served both connections: '$a'"
# counted once both have exited: a start per wake-up would be logged by then
pt_wait_count "wait-tcp: exit pid" 2 || pt_fail "the wait-mode TCP handlers' exits were not logged"
n=$(grep -c 'wait-tcp: start' "$PT_LOG")
[ "$n" -eq 2 ] || pt_fail "2 connections to a slow wait-mode handler started $n handlers"

# the looping service: 3 starts are allowed per minute, the 4th trips the
# guard, which pauses the service for 2 s, then lets it run (and trip) again
python3 -c 'import socket, sys
socket.socket(socket.AF_INET, socket.SOCK_DGRAM).sendto(b"x", ("127.0.0.1", int(sys.argv[1])))' "$LOOP"
pt_wait_log "looping: 4 starts within a minute: the handler seems to loop; service paused for 2 s" ||
	pt_fail "the loop guard did not trip"
pt_wait_log "looping: loop guard released" || pt_fail "the loop guard was not released"
# The 4th start is logged just after the guard's line, and no start while
# paused: the starts logged before the release are the ones that tripped it
# (counted at the trip's line, the 4th may not be written yet).
n=$(sed '/looping: loop guard released/q' "$PT_LOG" | grep -c 'looping: start')
[ "$n" -eq 4 ] || pt_fail "$n starts before the loop guard tripped, expected 4"
kill -0 "$PT_PID" || pt_fail "portierd died"

[ "$(pt_wait_zombies)" -eq 0 ] || pt_fail "zombie children left"
pt_stop || pt_fail "portierd exit status on SIGTERM"
exit 0
