#!/bin/sh
# SPDX-License-Identifier: ISC
# sd_notify (docs/systemd.md): the test plays the service manager with its
# own NOTIFY_SOCKET (tests/sd/notify_recv.py). READY=1 comes with a STATUS=
# summary once every listener is open; STATUS= follows a handler's start;
# WATCHDOG=1 comes every half of WATCHDOG_USEC; STOPPING=1 on SIGTERM; in
# that order. Without WATCHDOG_USEC no WATCHDOG=1 is sent. SIGHUP's reload
# sends RELOADING=1, then READY=1.
. "${top_srcdir:-../..}/tests/lib/lib.sh"
pt_init

"$PORTIERD" --version | grep -q '^features:.*+systemd' ||
	pt_skip "portierd built without systemd support"

set -- $(pt_ports 2)
SLOW=$1 ECHO=$2
pt_tcp_service slow "$SLOW" /bin/sleep '"3"'
pt_internal echo echo "$ECHO"

SOCK="$PT_DIR/notify"
MSGS="$PT_DIR/messages"

receiver() {	# SECONDS
	rm -f "$SOCK" "$MSGS"
	: > "$MSGS"
	pt_bg python3 "$top_srcdir/tests/sd/notify_recv.py" "$SOCK" "$MSGS" "$1"
	pt_wait_until '[ -S "$SOCK" ]' || pt_error "the notify receiver did not start"
}

wait_msg() {	# REGEX [SECS]: bounded as pt_wait_until is
	local msg_re=$1

	pt_wait_until 'grep -Eq -- "$msg_re" "$MSGS"' "${2:-}"
}

line_of() {	# REGEX: the line number of its first match
	grep -En -- "$1" "$MSGS" | head -n 1 | cut -d: -f1
}

receiver 30
export NOTIFY_SOCKET="$SOCK" WATCHDOG_USEC=1000000
pt_start
unset NOTIFY_SOCKET WATCHDOG_USEC
wait_msg '^READY=1 \| STATUS=2 services listening, 0 handlers running$' ||
	{ cat "$MSGS" >&2; pt_fail "no READY=1 with STATUS="; }
# 500 ms apart: three within 3 s
wait_msg 'WATCHDOG=1' 3 || pt_fail "no WATCHDOG=1"
for _ in $(seq 30); do
	[ "$(grep -c '^WATCHDOG=1$' "$MSGS")" -ge 3 ] && break
	sleep 0.1
done
[ "$(grep -c '^WATCHDOG=1$' "$MSGS")" -ge 3 ] || { cat "$MSGS" >&2; pt_fail "WATCHDOG=1 not repeated"; }
pt_bg $PT_CLIENT tcp 127.0.0.1 "$SLOW" x
wait_msg '^STATUS=2 services listening, 1 handler running$' 5 ||
	{ cat "$MSGS" >&2; pt_fail "no STATUS= update for the running handler"; }
pt_stop || pt_fail "portierd exited with status $?"
wait_msg '^STOPPING=1$' 5 || { cat "$MSGS" >&2; pt_fail "no STOPPING=1"; }
ready=$(line_of '^READY=1') status=$(line_of '1 handler running') stop=$(line_of '^STOPPING=1')
[ "$ready" -lt "$status" ] && [ "$status" -lt "$stop" ] ||
	{ cat "$MSGS" >&2; pt_fail "READY=1, STATUS=, STOPPING=1 out of order"; }
[ "$(tail -n 1 "$MSGS")" = STOPPING=1 ] || { cat "$MSGS" >&2; pt_fail "messages after STOPPING=1"; }

# No watchdog asked for: none sent.
receiver 30
export NOTIFY_SOCKET="$SOCK"
pt_start
unset NOTIFY_SOCKET
wait_msg '^READY=1' || pt_fail "no READY=1 in the second run"
# A reload (SIGHUP) is framed by RELOADING=1 and READY=1.
kill -HUP "$PT_PID"
pt_wait_log 'reload: generation 2' || pt_fail "SIGHUP did not reload"
wait_msg '^RELOADING=1' 5 || { cat "$MSGS" >&2; pt_fail "no RELOADING=1 at the reload"; }
pt_wait_until '[ "$(grep -c "^READY=1" "$MSGS")" -ge 2 ]'
reloading=$(line_of '^RELOADING=1')
again=$(grep -En '^READY=1' "$MSGS" | sed -n 2p | cut -d: -f1)
[ -n "$again" ] && [ "$reloading" -lt "$again" ] ||
	{ cat "$MSGS" >&2; pt_fail "no READY=1 after RELOADING=1"; }
sleep 1.2
grep -q WATCHDOG "$MSGS" && pt_fail "WATCHDOG=1 sent although WATCHDOG_USEC is unset"
pt_stop || pt_fail "portierd exited with status $?"
wait_msg '^STOPPING=1$' 5 || pt_fail "no STOPPING=1 in the second run"
exit 0
