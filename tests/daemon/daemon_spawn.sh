#!/bin/sh
# Spawning without waiting for exec (spawn.c): a burst of connections larger
# than the spawn slots (PORTIER_SPAWN_SLOTS=1 for the test) is served in full,
# the spawn that finds every slot in use waits for one; a handler that closes
# its connection and lives on releases it at once, not when it exits; the
# start of a handler is logged only once it has exec'd, before its exit.
# Also: the user and group look-ups ran in a child, so no NSS module (such
# as Debian's libnss_systemd) is mapped into portierd.
. "${top_srcdir:-../..}/tests/lib/lib.sh"
pt_init

set -- $(pt_ports 3)
CAT=$1 LINGER=$2 REPORT=$3

LOG='log_on_success = { PID, HOST, EXIT }'
pt_tcp_service cat "$CAT" /bin/cat '"-u"' "$LOG" 'per_source = UNLIMITED' \
	'instances = UNLIMITED' 'cps = { 0, 0 }'
pt_tcp_service linger "$LINGER" "$PT_HANDLER" '"linger", "4000"' "$LOG"
pt_tcp_service report "$REPORT" "$PT_HANDLER" '"report"' "$LOG"
PORTIER_SPAWN_SLOTS=1
export PORTIER_SPAWN_SLOTS
pt_start -d
unset PORTIER_SPAWN_SLOTS

# 40 at once through one slot; repeated, since a burst may happen to be
# spaced enough for each child to exec before the next accept (3 at most).
# A build whose clone waits for the exec never has to wait for a slot.
concurrent=yes
"$PORTIERD" --version | grep -q -- '-concurrent-spawn' && concurrent=
for round in 1 2 3; do
	out=$($PT_CLIENT flood 127.0.0.1 "$CAT" 40) || pt_fail "burst $round: $out"
	[ "$out" = "ok 40" ] || pt_fail "burst $round: '$out'"
	grep -q "all 1 spawn slots in use: waiting for pid" "$PT_LOG" && break
done
[ -z "$concurrent" ] || grep -q "all 1 spawn slots in use: waiting for pid" "$PT_LOG" ||
	pt_fail "no spawn waited for the slot in 3 bursts of 40"
pt_wait_count "cat: exit pid" 40 || pt_fail "the burst's handlers did not all exit"

# The handler closes its descriptors and lives 4 s more: the client's EOF
# must not wait for its exit (portierd's copy is dropped once it has exec'd).
t0=$(date +%s%N)
out=$($PT_CLIENT tcp 127.0.0.1 "$LINGER") || pt_fail "connection to linger"
t1=$(date +%s%N)
[ "$out" = "lingering" ] || pt_fail "linger answered '$out'"
ms=$(( (t1 - t0) / 1000000 ))
[ "$ms" -lt 2500 ] || pt_fail "EOF after $ms ms: the connection was held until the handler's exit"
pid=$(sed -n 's/.*linger: start pid \([0-9]*\).*/\1/p' "$PT_LOG" | head -n 1)
[ -n "$pid" ] || pt_fail "linger's start not logged"
kill -0 "$pid" 2>/dev/null || pt_fail "the lingering handler is gone already"

# start before exit, for each handler
$PT_CLIENT tcp 127.0.0.1 "$REPORT" | grep -q '^argc=2$' || pt_fail "report"
pt_wait_log "report: exit pid" || pt_fail "report's exit not logged"
first=$(grep -Eo "report: (start|exit)" "$PT_LOG" | head -n 1)
[ "$first" = "report: start" ] || pt_fail "report's exit logged before its start"

if grep 'libnss_' "/proc/$PT_PID/maps"; then
	pt_fail "an NSS module is mapped into portierd"
fi

kill -0 "$PT_PID" || pt_fail "portierd died"
[ "$(pt_wait_zombies)" -eq 0 ] || pt_fail "zombie children left"
pt_stop || pt_fail "portierd exit status on SIGTERM"
