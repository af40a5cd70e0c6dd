#!/bin/sh
# SPDX-License-Identifier: ISC
# portierd's life cycle: SIGTERM and SIGINT stop it with status 0, close
# its listeners and remove its pidfile; detached, it writes its pidfile
# before its starter returns, refuses to start over a live pidfile and
# replaces a stale one; running handlers are left to finish. A handler of
# the detached daemon still starts in /, in a process group of its own,
# unable to open a terminal, with clean signals.
. "${top_srcdir:-../..}/tests/lib/lib.sh"
pt_init

set -- $(pt_ports 3)
PORT=$1 SLOW=$2 REPORT=$3
PIDFILE="$PT_DIR/run/portierd.pid"
pt_tcp_service cat "$PORT" /bin/cat
pt_udp_service slow "$SLOW" "$PT_HANDLER" '"udp", "1500"'
pt_tcp_service report "$REPORT" "$PT_HANDLER" '"report"'
refused() { ! $PT_CLIENT tcp 127.0.0.1 "$PORT" x > /dev/null 2>&1; }

# foreground with -p; SIGTERM while a handler runs
pt_start -p "$PIDFILE"
[ "$(cat "$PIDFILE")" = "$PT_PID" ] || pt_fail "pidfile holds '$(cat "$PIDFILE")', not $PT_PID"
$PT_CLIENT udp 127.0.0.1 "$SLOW" late > "$PT_DIR/late.out" &
client=$!
pt_wait_log "slow: start pid" || pt_fail "the slow handler did not start"
pt_stop || pt_fail "SIGTERM: exit status not 0"
[ -e "$PIDFILE" ] && pt_fail "SIGTERM: pidfile left behind"
refused || pt_fail "SIGTERM: the listener is still open"
wait "$client" || pt_fail "the running handler was killed with portierd"
[ "$(cat "$PT_DIR/late.out")" = "udp:late" ] || pt_fail "the running handler did not finish its reply"
# the handler holds the UDP port until it exits, just after its reply: the
# next start needs the port (a loaded machine may not have run its exit yet)
udp_free() {
	python3 -c 'import socket, sys
socket.socket(socket.AF_INET, socket.SOCK_DGRAM).bind(("127.0.0.1", int(sys.argv[1])))' "$SLOW" 2>/dev/null
}
pt_wait_until udp_free || pt_fail "the handler did not release $SLOW/udp"

# SIGINT
pt_start
kill -INT "$PT_PID"
pt_wait_until '! kill -0 "$PT_PID" 2>/dev/null' || pt_fail "SIGINT: still running"
wait "$PT_PID"
rc=$?
PT_PID=
[ "$rc" -eq 0 ] || pt_fail "SIGINT: exit status $rc"

# detached: the starter returns once the pidfile is written
"$PORTIERD" -c "$PT_CONFD" -r "$REGISTRY" -p "$PIDFILE" 2> "$PT_LOG" ||
	pt_fail "detached start failed: $(cat "$PT_LOG")"
[ -s "$PIDFILE" ] || pt_fail "detached: no pidfile when the starter returned"
PT_PID=$(cat "$PIDFILE")
kill -0 "$PT_PID" || pt_fail "detached: pid $PT_PID from the pidfile is not running"
[ "$(ps -o sid= -p "$PT_PID" | tr -d ' ')" != "$(ps -o sid= -p $$ | tr -d ' ')" ] ||
	pt_fail "detached: still in the caller's session"
[ "$(readlink "/proc/$PT_PID/cwd")" = / ] || pt_fail "detached: cwd is not /"
[ "$(readlink "/proc/$PT_PID/fd/0")" = /dev/null ] || pt_fail "detached: stdin is not /dev/null"
out=$($PT_CLIENT tcp 127.0.0.1 "$PORT" detached) || pt_fail "detached: no answer"
[ "$out" = detached ] || pt_fail "detached: echo '$out'"
R="$PT_DIR/report.out"
$PT_CLIENT tcp 127.0.0.1 "$REPORT" > "$R" || pt_fail "detached: report connection"
for want in '^cwd=/$' '^root=/$' '^pgid_is_pid=1$' '^tty=0$' '^SigBlk=0+$' '^SigIgn=0+$' '^fds=0,1,2,$'; do
	pt_assert_grep "$want" "$R" "detached: handler report: expected '$want'"
done

# a second instance refuses to start over the live pidfile
"$PORTIERD" -c "$PT_CONFD" -r "$REGISTRY" -p "$PIDFILE" 2> "$PT_DIR/second.log"
rc=$?
[ "$rc" -eq 1 ] || pt_fail "second instance: exit status $rc, expected 1"
pt_assert_grep "already running as pid $PT_PID" "$PT_DIR/second.log" \
	"second instance: no clear message"
[ "$(cat "$PIDFILE")" = "$PT_PID" ] || pt_fail "second instance touched the pidfile"

kill -TERM "$PT_PID"
pt_wait_until '! kill -0 "$PT_PID" 2>/dev/null' || pt_fail "detached: still running after SIGTERM"
PT_PID=
pt_wait_until '[ ! -e "$PIDFILE" ]' || pt_fail "detached: pidfile left behind"

# stale pidfiles: a dead pid, and a live process that is not portierd
sh -c 'echo $$' > "$PIDFILE"
pt_start -p "$PIDFILE"
[ "$(cat "$PIDFILE")" = "$PT_PID" ] || pt_fail "a dead pid's pidfile was not replaced"
pt_stop || pt_fail "exit status"
sleep 30 &
sleeper=$!
PT_BG="$PT_BG $sleeper"
echo "$sleeper" > "$PIDFILE"
pt_start -p "$PIDFILE"
[ "$(cat "$PIDFILE")" = "$PT_PID" ] || pt_fail "a pidfile naming a non-portierd process was not replaced"
pt_stop || pt_fail "exit status"
exit 0
