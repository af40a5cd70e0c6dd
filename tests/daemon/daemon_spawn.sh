#!/bin/sh
# SPDX-License-Identifier: ISC
# Starting handlers (spawn.c): a burst of connections is served in full; a
# handler that closes its connection and lives on releases it at once, not
# when it exits; spawn_handler() knows the result when it returns, so a
# handler's start is logged before the client sees the end of its
# connection (and before its exit), and a handler that cannot be executed
# is logged as such by then, never as a start.
. "${top_srcdir:-../..}/tests/lib/lib.sh"
pt_init

set -- $(pt_ports 4)
CAT=$1 LINGER=$2 REPORT=$3 NOEXEC=$4
# a copy that can be made non-executable once portierd has checked it
cp "$PT_HANDLER" "$PT_DIR/handler-copy" || pt_error "cp"

LOG='log_on_success = { PID, HOST, EXIT }'
pt_tcp_service cat "$CAT" /bin/cat '"-u"' "$LOG" 'per_source = UNLIMITED' \
	'instances = UNLIMITED' 'cps = { 0, 0 }'
pt_tcp_service linger "$LINGER" "$PT_HANDLER" '"linger", "20000"' "$LOG"
pt_tcp_service report "$REPORT" "$PT_HANDLER" '"report"' "$LOG"
pt_tcp_service noexec "$NOEXEC" "$PT_DIR/handler-copy" '"report"' "$LOG"
pt_start -d

# 40 at once, three times: every connection is served.
for round in 1 2 3; do
	out=$($PT_CLIENT flood 127.0.0.1 "$CAT" 40) || pt_fail "burst $round: $out"
	[ "$out" = "ok 40" ] || pt_fail "burst $round: '$out'"
done
pt_wait_count "cat: exit pid" 120 || pt_fail "the bursts' handlers did not all exit"
n=$(grep -c "cat: start pid" "$PT_LOG")
[ "$n" -eq 120 ] || pt_fail "$n starts logged for 120 connections"

# The handler closes its descriptors and lives 20 s more: the client's EOF
# must not wait for its exit (portierd's copy is closed once it has exec'd).
# The handler still alive after the EOF is the proof; the time is bounded
# well below its 20 s, for a loaded machine (python's start alone can take
# seconds there).
t0=$(date +%s%N)
out=$($PT_CLIENT tcp 127.0.0.1 "$LINGER") || pt_fail "connection to linger"
t1=$(date +%s%N)
[ "$out" = "lingering" ] || pt_fail "linger answered '$out'"
ms=$(( (t1 - t0) / 1000000 ))
[ "$ms" -lt 15000 ] || pt_fail "EOF after $ms ms: the connection was held until the handler's exit"
pid=$(sed -n 's/.*linger: start pid \([0-9]*\).*/\1/p' "$PT_LOG" | head -n 1)
[ -n "$pid" ] || pt_fail "linger's start not logged by the client's EOF"
kill -0 "$pid" 2>/dev/null || pt_fail "the lingering handler is gone already"
kill -TERM "$pid"
pt_wait_log "linger: exit pid $pid" || pt_fail "the lingering handler's exit was not logged"

# start before exit, for each handler; logged by the time the client sees EOF
$PT_CLIENT tcp 127.0.0.1 "$REPORT" > "$PT_DIR/report.out" || pt_fail "report"
grep -q "report: start pid" "$PT_LOG" || pt_fail "report's start not logged by the client's EOF"
grep -q '^argc=2$' "$PT_DIR/report.out" || pt_fail "report's output"
pt_wait_log "report: exit pid" || pt_fail "report's exit not logged"
first=$(grep -Eo "report: (start|exit)" "$PT_LOG" | head -n 1)
[ "$first" = "report: start" ] || pt_fail "report's exit logged before its start"

# A failed exec is logged as one by the client's EOF, never as a start.
chmod a-x "$PT_DIR/handler-copy"
$PT_CLIENT tcp 127.0.0.1 "$NOEXEC" > "$PT_DIR/noexec.out" || pt_fail "connection to noexec"
[ -s "$PT_DIR/noexec.out" ] && pt_fail "a non-executable handler answered"
grep -q "noexec: exec $PT_DIR/handler-copy: Permission denied" "$PT_LOG" ||
	pt_fail "the exec failure not logged by the client's EOF"
grep -q 'noexec: start' "$PT_LOG" && pt_fail "an exec failure was logged as a start"
chmod a+x "$PT_DIR/handler-copy"
$PT_CLIENT tcp 127.0.0.1 "$NOEXEC" | grep -q '^argc=2$' ||
	pt_fail "the handler did not run once executable again"
grep -q 'noexec: start pid' "$PT_LOG" || pt_fail "the executable handler's start not logged"

kill -0 "$PT_PID" || pt_fail "portierd died"
[ "$(pt_wait_zombies)" -eq 0 ] || pt_fail "zombie children left"
pt_stop || pt_fail "portierd exit status on SIGTERM"
