#!/bin/sh
# SPDX-License-Identifier: ISC
# A flood of 2,000 connections from one source against per_source = 5:
# exactly 5 are served, the rest refused at once and logged with a rate
# limit (status counts every one); another service answers
# every probe within 1 s throughout, while a third one's handler floods its
# standard error to a client that never reads; afterwards no zombie is left
# and portierd holds as many descriptors as before.
. "${top_srcdir:-../..}/tests/lib/lib.sh"
pt_init
ACCESS="python3 $top_srcdir/tests/lib/access.py"

N=2000
[ "$(ulimit -n)" = unlimited ] || [ "$(ulimit -n)" -ge $((N + 100)) ] ||
	ulimit -n $((N + 100)) 2>/dev/null || pt_skip "cannot open $N descriptors"

set -- $(pt_ports 3)
P_FLOOD=$1 P_PROBE=$2 P_NOISY=$3
pt_tcp_service flood "$P_FLOOD" /bin/cat "" 'per_source = 5' 'log_on_success = { PID, EXIT }'
pt_tcp_service probe "$P_PROBE" /bin/echo '"pong"'
pt_tcp_service noisy "$P_NOISY" /bin/sh "\"-c\", \"exec yes 'log line on stderr' >&2\""
pt_start

before=$(pt_fd_count)
# a client that never reads: the handler blocks on its own full socket
pt_bg python3 -c 'import socket, sys, time
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
time.sleep(60)' "$P_NOISY"
noisy=$!
pt_wait_log 'noisy: start pid' || pt_fail "the noisy handler did not start"
$ACCESS flood 127.0.0.1 "$P_FLOOD" "$N" 5 "$P_PROBE" || pt_fail "flood"
# the log is rate-limited (10 lines per reason in 10 s, then a count),
# the status counter is exact
n=$(grep -c 'flood: refused connection from 127\.0\.0\.1:[0-9]*: per_source' "$PT_LOG")
[ "$n" -ge 10 ] && [ "$n" -le 40 ] || pt_fail "$n per_source refusal lines logged, expected 10 to 40"
"$PORTIERCTL" -s "$PT_DIR/control" status --json > "$PT_DIR/status.json" || pt_fail "status"
python3 - "$PT_DIR/status.json" $((N - 5)) <<'PY' || pt_fail "status counts the refusals exactly"
import json, sys
svc = {s["id"]: s for s in json.load(open(sys.argv[1]))["services"]}
assert svc["flood"]["refused"]["per_source"] == int(sys.argv[2]), svc["flood"]
PY
pt_wait_count 'flood: exit pid' 5 || pt_fail "the 5 served handlers were not reaped"
[ "$(pt_wait_zombies)" -eq 0 ] || pt_fail "zombie children after the flood"
after=$(pt_fd_count)
[ "$after" -eq "$before" ] || pt_fail "portierd had $before descriptors before, $after after"
kill "$noisy"
pt_wait_log 'noisy: exit pid' || pt_fail "the noisy handler did not end with its client"
out=$($ACCESS conn 127.0.0.1 "$P_PROBE") || pt_fail "probe after the flood"
[ "$out" = pong ] || pt_fail "probe after the flood: '$out'"

pt_stop || pt_fail "portierd exit status on SIGTERM"
# every refusal held back is counted in a "suppressed" line (at the end of
# its interval, or at the latest when portierd stops)
held=$(sed -n 's/.*flood: refused.*[ (]\([0-9][0-9]*\) similar messages suppressed.*/\1/p' "$PT_LOG" |
	awk '{ s += $1 } END { print s + 0 }')
n=$(grep -c 'flood: refused connection from 127\.0\.0\.1:[0-9]*: per_source' "$PT_LOG")
[ $((n + held)) -eq $((N - 5)) ] ||
	pt_fail "$n refusal lines + $held suppressed = $((n + held)), expected $((N - 5))"
echo "ok: $n refusal lines, $held suppressed"
exit 0
