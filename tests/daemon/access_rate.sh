#!/bin/sh
# SPDX-License-Identifier: ISC
# Token buckets that never shut the door. A flood of 2,000 connections from
# 127.0.0.2 against per_source_rate, while 127.0.0.3 asks every 50 ms: all
# of 127.0.0.3's requests are served, with a 99th percentile under 100 ms;
# with on_limit = defer the flood's excess waits in the queue (counted as
# deferred) and what is past it is refused; with on_limit = refuse it is
# refused at once, logged with a rate limit and counted exactly. The whole
# service's `rate` defers: a burst waits in the backlog and is served, at
# the rate, with nothing refused.
. "${top_srcdir:-../..}/tests/lib/lib.sh"
pt_init
ACCESS="python3 $top_srcdir/tests/lib/access.py"

N=2000
[ "$(ulimit -n)" = unlimited ] || [ "$(ulimit -n)" -ge $((N + 100)) ] ||
	ulimit -n $((N + 100)) 2>/dev/null || pt_skip "cannot open $N descriptors"
python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.3", 0))' 2>/dev/null ||
	pt_skip "cannot bind 127.0.0.3 (no 127/8 on loopback)"

set -- $(pt_ports 3)
P_DEFER=$1 P_REFUSE=$2 P_WHOLE=$3
# cps and the concurrency limits out of the way: only the buckets decide
LIMITS='cps = { 0, 0 }
	per_source = UNLIMITED
	instances = UNLIMITED'
pt_tcp_service defer "$P_DEFER" /bin/echo '"pong"' "$LIMITS" 'per_source_rate = { 50, 20 }'
pt_tcp_service refuse "$P_REFUSE" /bin/echo '"pong"' "$LIMITS" 'per_source_rate = { 50, 20 }' \
	'on_limit = refuse'
pt_tcp_service whole "$P_WHOLE" /bin/echo '"pong"' "$LIMITS" 'rate = { 20, 5 }'
pt_start

status() {
	"$PORTIERCTL" -s "$PT_DIR/control" status --json > "$PT_DIR/status.json" ||
		pt_fail "status"
	python3 - "$PT_DIR/status.json" "$@" <<'PY'
import json, sys
svc = {s["id"]: s for s in json.load(open(sys.argv[1]))["services"]}
for expr in sys.argv[2:]:
    assert eval(expr, {"svc": svc}), "%s: %s" % (expr, svc)
PY
}

# flood ID PORT: the flood with a probe; sets SERVED and REFUSED
flood() {
	out=$($ACCESS srcflood 127.0.0.1 "$2" "$N" 127.0.0.2 127.0.0.3) || pt_fail "$1: flood"
	echo "$1: $out"
	set -- $out
	SERVED=$2 REFUSED=$4
	[ $((SERVED + REFUSED)) -eq "$N" ] || pt_fail "flood: $SERVED + $REFUSED of $N ended"
	[ "${13}" -eq 0 ] || pt_fail "the second source was refused or unanswered: $out"
	[ "$8" -ge 10 ] || pt_fail "the second source made too few requests: $out"
	awk -v p="${10}" 'BEGIN { exit !(p >= 0 && p < 100) }' ||
		pt_fail "the second source's p99 is ${10} ms, not under 100 ms"
}

flood defer "$P_DEFER"
# the burst (20) and the held ones (16 of a source) at least; the rest refused
[ "$SERVED" -ge 36 ] && [ "$REFUSED" -gt 0 ] || pt_fail "defer: $SERVED served, $REFUSED refused"
status "svc['defer']['refused']['per_source_rate'] == $REFUSED" \
	"svc['defer']['deferred'] >= 16" "svc['defer']['refused']['rate'] == 0" ||
	pt_fail "defer: status counters"
pt_assert_grep 'defer: refused connection from 127\.0\.0\.2:[0-9]*: per_source_rate' "$PT_LOG" \
	"defer: a refusal past the queue is logged"

flood refuse "$P_REFUSE"
[ "$SERVED" -ge 20 ] && [ "$REFUSED" -gt 0 ] || pt_fail "refuse: $SERVED served, $REFUSED refused"
status "svc['refuse']['refused']['per_source_rate'] == $REFUSED" \
	"svc['refuse']['deferred'] == 0" || pt_fail "refuse: status counters"
n=$(grep -c 'refuse: refused connection from 127\.0\.0\.2:[0-9]*: per_source_rate' "$PT_LOG")
[ "$n" -ge 1 ] && [ "$n" -le 40 ] || pt_fail "$n refusal lines logged, expected 1 to 40"
grep 'refuse: refused connection from 127\.0\.0\.3' "$PT_LOG" && pt_fail "127.0.0.3 refused"
REFUSE_REFUSED=$REFUSED

# the whole service: 60 at once, 5 at once then 20 a second: none refused,
# the last one after about 2.75 s
out=$($ACCESS burst 127.0.0.1 "$P_WHOLE" 60) || pt_fail "whole: burst"
echo "whole: $out"
set -- $out
[ "$2" -eq 60 ] && [ "$4" -eq 0 ] || pt_fail "whole: $out"
awk -v s="$6" 'BEGIN { exit !(s >= 2.0 && s < 15) }' || pt_fail "whole: not paced by rate: $out"
status "svc['whole']['deferred'] > 0" "svc['whole']['refused_total'] == 0" \
	"svc['whole']['started'] == 60" || pt_fail "whole: status counters"
"$PORTIERCTL" -s "$PT_DIR/control" status | grep -A3 '^whole' | grep -q 'deferred [1-9]' ||
	pt_fail "portierctl status shows no deferred count"

pt_stop || pt_fail "portierd exit status on SIGTERM"
# rate-limited: the lines written and the counts of those held back add
# up to every refusal
held=$(sed -n 's/.*refuse: refused.*[ (]\([0-9][0-9]*\) similar messages suppressed.*/\1/p' "$PT_LOG" |
	awk '{ s += $1 } END { print s + 0 }')
n=$(grep -c 'refuse: refused connection from 127\.0\.0\.2:[0-9]*: per_source_rate' "$PT_LOG")
[ $((n + held)) -eq "$REFUSE_REFUSED" ] ||
	pt_fail "$n refusal lines + $held suppressed, expected $REFUSE_REFUSED"
exit 0
