#!/bin/sh
# SPDX-License-Identifier: ISC
# Socket activation of portierd (docs/systemd.md). systemd-socket-activate
# (no running systemd needed) opens the sockets and execs portierd with
# LISTEN_FDS and LISTEN_FDNAMES: the service named by --fdname answers through
# the socket it was given and portierd binds nothing of its own for it (one
# listener on the port, and it is the very socket the tool created); a name
# that is no service's id is logged and closed; a UDP socket passed for a TCP
# service is refused with a line saying what was expected and what was found,
# and that service binds its own socket.
. "${top_srcdir:-../..}/tests/lib/lib.sh"
pt_init

"$PORTIERD" --version | grep -q '^features:.*+systemd' ||
	pt_skip "portierd built without systemd support"
SSA=$(command -v systemd-socket-activate) ||
	SSA=/lib/systemd/systemd-socket-activate
[ -x "$SSA" ] || pt_skip "systemd-socket-activate is not installed (package systemd)"
command -v ss >/dev/null || pt_skip "ss (iproute2) is needed"

set -- $(pt_ports 5)
PORT=$1 OWN=$2 NOSUCH=$3 BAD=$4 UDP=$5

pt_internal adopted echo "$PORT"
pt_internal own echo "$OWN"
pt_internal tcpsvc echo "$BAD"
pt_internal uecho/udp echo "$UDP"

# systemd-socket-activate ARGS… execs portierd on the first connection or
# datagram; its pid stays portierd's.
sd_start() {
	: > "$PT_LOG"
	"$SSA" "$@" "$PORTIERD" -f -c "$PT_CONFD" -r "$REGISTRY" >> "$PT_LOG" 2>&1 &
	PT_PID=$!
	pt_wait_log "Listening on" || pt_fail "systemd-socket-activate did not start"
}

listeners() {	# PROTO(t|u) PORT: the sockets listening on 127.0.0.1:PORT
	ss -Hn -l -"$1" -e "sport = :$2"
}

# 1. Two sockets: one for the service "adopted", one named after nothing.
sd_start -l "127.0.0.1:$PORT" -l "127.0.0.1:$NOSUCH" --fdname=adopted:nosuch
out=$($PT_CLIENT tcp 127.0.0.1 "$PORT" through-the-adopted-socket) ||
	pt_fail "no answer through the adopted socket"
[ "$out" = "through-the-adopted-socket" ] || pt_fail "answer '$out'"
pt_wait_log "started" || pt_fail "portierd did not start"
[ "$(cat "/proc/$PT_PID/comm")" = portierd ] || pt_fail "pid $PT_PID is not portierd"
pt_assert_grep "adopted: listening on 127.0.0.1:$PORT/tcp \(socket 3 from the service manager\)" \
	"$PT_LOG" "the adopted socket was not logged"
pt_assert_grep "socket 4 from the service manager is named 'nosuch', which is no service's id; closed" \
	"$PT_LOG" "the socket without a service was not refused"
# Not bound again: one listener on the port, the descriptor the tool made.
[ "$(listeners t "$PORT" | wc -l)" -eq 1 ] || { listeners t "$PORT" >&2; pt_fail "more than one listener on $PORT"; }
ino=$(listeners t "$PORT" | sed -n 's/.* ino:\([0-9]*\).*/\1/p')
[ -n "$ino" ] || pt_error "ss shows no inode"
[ "$(readlink "/proc/$PT_PID/fd/3")" = "socket:[$ino]" ] ||
	pt_fail "the listener on $PORT is not the socket passed as fd 3"
[ "$(listeners t "$NOSUCH" | wc -l)" -eq 0 ] || pt_fail "the unnamed socket is still open"
# A service without a socket binds its own.
out=$($PT_CLIENT tcp 127.0.0.1 "$OWN" own-socket) || pt_fail "the other service does not answer"
[ "$out" = own-socket ] || pt_fail "answer '$out' from the other service"
out=$($PT_CLIENT tcp 127.0.0.1 "$PORT" again) || pt_fail "no second answer"
[ "$out" = again ] || pt_fail "second answer '$out'"
pt_stop || pt_fail "portierd exited with status $?"

# 2. A misfit: a datagram socket named after a TCP service; and a datagram
#    socket that fits a UDP service.
sd_start --datagram -l "127.0.0.1:$BAD" -l "127.0.0.1:$UDP" --fdname=tcpsvc:uecho/udp
python3 -c 'import socket, sys
socket.socket(socket.AF_INET, socket.SOCK_DGRAM).sendto(b"x", ("127.0.0.1", int(sys.argv[1])))' "$BAD"
pt_wait_log "started" || pt_fail "portierd did not start with a misfit socket"
pt_assert_grep "tcpsvc: socket 3 from the service manager refused: expected a listening TCP socket on 127.0.0.1 port $BAD, found a UDP socket on 127.0.0.1:$BAD; closed" \
	"$PT_LOG" "the misfit was not refused with a clear line"
[ "$(listeners u "$BAD" | wc -l)" -eq 0 ] || pt_fail "the refused UDP socket is still open"
[ "$(listeners t "$BAD" | wc -l)" -eq 1 ] || pt_fail "tcpsvc did not bind its own socket"
out=$($PT_CLIENT tcp 127.0.0.1 "$BAD" own) || pt_fail "tcpsvc does not answer on its own socket"
[ "$out" = own ] || pt_fail "tcpsvc answered '$out'"
pt_assert_grep "uecho/udp: listening on 127.0.0.1:$UDP/udp \(socket 4 from the service manager\)" \
	"$PT_LOG" "the UDP socket was not adopted"
out=$($PT_CLIENT udp 127.0.0.1 "$UDP" datagram) || pt_fail "no answer through the adopted UDP socket"
[ "$out" = datagram ] || pt_fail "UDP answer '$out'"
[ "$(listeners u "$UDP" | wc -l)" -eq 1 ] || pt_fail "more than one UDP socket on $UDP"
ino=$(listeners u "$UDP" | sed -n 's/.* ino:\([0-9]*\).*/\1/p')
[ "$(readlink "/proc/$PT_PID/fd/4")" = "socket:[$ino]" ] ||
	pt_fail "the UDP socket on $UDP is not the one passed as fd 4"
pt_stop || pt_fail "portierd exited with status $?"
exit 0
