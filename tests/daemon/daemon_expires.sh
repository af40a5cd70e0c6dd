#!/bin/sh
# portierd and `expires`: a service past its date is not offered; one that
# expires while portierd runs has its listener closed at that time, and the
# other services go on.
. "${top_srcdir:-../..}/tests/lib/lib.sh"
pt_init

set -- $(pt_ports 3)
SOON=$1 PAST=$2 KEEP=$3
# 5 s: a start under ASan on a busy machine has taken more than 3
pt_tcp_service soon "$SOON" /bin/cat "" "expires = \"$(date -u -d '+5 seconds' +%Y-%m-%dT%H:%M:%SZ)\""
pt_tcp_service past "$PAST" /bin/cat "" "expires = \"$(date -u -d '-1 hour' +%Y-%m-%dT%H:%M:%SZ)\""
pt_tcp_service keep "$KEEP" /bin/cat
pt_start

pt_assert_grep "past: expired: not offered" "$PT_LOG" "an expired service was not reported"
$PT_CLIENT tcp 127.0.0.1 "$PAST" x > /dev/null 2>&1 && pt_fail "an expired service answers"
out=$($PT_CLIENT tcp 127.0.0.1 "$SOON" before) || pt_fail "the service answers not before its date"
[ "$out" = before ] || pt_fail "echo before expiry: '$out'"
pt_wait_log "soon: expired: no longer offered" 15 || pt_fail "expiry not logged"
$PT_CLIENT tcp 127.0.0.1 "$SOON" x > /dev/null 2>&1 && pt_fail "the service answers after its date"
out=$($PT_CLIENT tcp 127.0.0.1 "$KEEP" after) || pt_fail "the other service stopped"
[ "$out" = after ] || pt_fail "echo of the other service: '$out'"
pt_stop || pt_fail "portierd exit status on SIGTERM"
exit 0
