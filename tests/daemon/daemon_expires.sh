#!/bin/sh
# SPDX-License-Identifier: ISC
# portierd and `expires`: a service past its date is not offered; one that
# expires while portierd runs has its listener closed at that time, and the
# other services go on.
. "${top_srcdir:-../..}/tests/lib/lib.sh"
pt_init

set -- $(pt_ports 3)
SOON=$1 PAST=$2 KEEP=$3
pt_tcp_service past "$PAST" /bin/cat "" "expires = \"$(date -u -d '-1 hour' +%Y-%m-%dT%H:%M:%SZ)\""
pt_tcp_service keep "$KEEP" /bin/cat

# soon expires WINDOW s after it is written. Its answer before that date is
# checked only when portierd was ready (PT_READY) and the client done in
# time: a start slower than the window (ASan, a loaded machine) tries again
# with a window twice as long.
out=
for window in 5 10 20 40 80; do
	end=$(( $(date +%s) + window ))
	pt_tcp_service soon "$SOON" /bin/cat "" "expires = \"$(date -u -d "@$end" +%Y-%m-%dT%H:%M:%SZ)\""
	pt_start
	if [ "$PT_READY" -lt "$end" ]; then
		out=$($PT_CLIENT tcp 127.0.0.1 "$SOON" before) && break
		[ "$(date +%s)" -ge "$end" ] || pt_fail "the service answers not before its date"
	fi
	echo "portierd ready or answering after the $window s window: again with a longer one"
	pt_stop || pt_fail "portierd exit status on SIGTERM"
done
[ -n "$PT_PID" ] || pt_fail "portierd was never ready $window s before the date"
[ "$out" = before ] || pt_fail "echo before expiry: '$out'"
pt_assert_grep "past: expired: not offered" "$PT_LOG" "an expired service was not reported"
$PT_CLIENT tcp 127.0.0.1 "$PAST" x > /dev/null 2>&1 && pt_fail "an expired service answers"
pt_wait_log "soon: expired: no longer offered" 15 || pt_fail "expiry not logged"
$PT_CLIENT tcp 127.0.0.1 "$SOON" x > /dev/null 2>&1 && pt_fail "the service answers after its date"
out=$($PT_CLIENT tcp 127.0.0.1 "$KEEP" after) || pt_fail "the other service stopped"
[ "$out" = after ] || pt_fail "echo of the other service: '$out'"
pt_stop || pt_fail "portierd exit status on SIGTERM"
exit 0
