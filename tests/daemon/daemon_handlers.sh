#!/bin/sh
# SPDX-License-Identifier: ISC
# portierd survives bad handlers: one that exits non-zero, one that dies of
# SIGSEGV, one that cannot be executed. Each is logged (the exec failure at
# most once per 10 s per service), no zombie is left, and the next
# connection is served.
. "${top_srcdir:-../..}/tests/lib/lib.sh"
pt_init

set -- $(pt_ports 4)
EXIT=$1 SEGV=$2 NOEXEC=$3 CAT=$4
# a copy that can be made non-executable once portierd has checked it
cp "$PT_HANDLER" "$PT_DIR/handler-copy" || pt_error "cp"

pt_tcp_service bad-exit "$EXIT" "$PT_HANDLER" '"exit", "3"'
pt_tcp_service crash "$SEGV" "$PT_HANDLER" '"segv"'
pt_tcp_service noexec "$NOEXEC" "$PT_DIR/handler-copy" '"report"'
pt_tcp_service cat "$CAT" /bin/cat '"-u"'
pt_start

$PT_CLIENT tcp 127.0.0.1 "$EXIT" > /dev/null || pt_fail "connection to bad-exit"
pt_wait_log "bad-exit: exit pid [0-9]+ from 127\.0\.0\.1:[0-9]+ status 3" ||
	pt_fail "exit status 3 not logged"

$PT_CLIENT tcp 127.0.0.1 "$SEGV" > /dev/null || pt_fail "connection to crash"
pt_wait_log "crash: exit pid [0-9]+ .*signal SEGV" || pt_fail "SIGSEGV not logged"

chmod a-x "$PT_DIR/handler-copy"
t0=$(date +%s)
for i in 1 2 3; do
	$PT_CLIENT tcp 127.0.0.1 "$NOEXEC" > "$PT_DIR/noexec.out" ||
		pt_fail "connection $i to a non-executable handler"
	[ -s "$PT_DIR/noexec.out" ] && { cat "$PT_DIR/noexec.out"; pt_fail "a non-executable handler answered"; }
done
pt_wait_log "noexec: exec $PT_DIR/handler-copy: Permission denied" ||
	pt_fail "exec failure not logged"
n=$(grep -c 'noexec: exec' "$PT_LOG")
# one line per 10 s: a loaded machine may have taken longer for the three
secs=$(( $(date +%s) - t0 ))
[ "$n" -le $(( 1 + secs / 10 )) ] ||
	pt_fail "3 exec failures within $secs s logged $n times (rate limit: one per 10 s)"
grep -q 'noexec: exit pid' "$PT_LOG" && pt_fail "an exec failure was also logged as an exit"
grep -q 'noexec: start' "$PT_LOG" && pt_fail "an exec failure was logged as a start"

kill -0 "$PT_PID" || pt_fail "portierd died"
out=$($PT_CLIENT tcp 127.0.0.1 "$CAT" "still here") || pt_fail "connection after the failures"
[ "$out" = "still here" ] || pt_fail "echo after the failures: '$out'"
chmod a+x "$PT_DIR/handler-copy"
$PT_CLIENT tcp 127.0.0.1 "$NOEXEC" | grep -q '^argc=2$' ||
	pt_fail "the handler did not run once executable again"

[ "$(pt_wait_zombies)" -eq 0 ] || pt_fail "zombie children left"
pt_stop || pt_fail "portierd exit status on SIGTERM"
exit 0
