#!/bin/sh
# SPDX-License-Identifier: ISC
# Ports opened for a while: `portierctl open ID --for 2s` answers, then
# refuses when the time is up without any command; close ends it early;
# enable/disable are runtime only. `expires` in the file: a date past is
# closed at start, one a few seconds ahead closes on time, and both stay
# closed across a reload.
. "${top_srcdir:-../..}/tests/lib/lib.sh"
pt_init

set -- $(pt_ports 3)
DOOR=$1 PAST=$2 SOON=$3
pt_echo door "$DOOR" "disable = yes"
pt_echo past "$PAST" "expires = \"$(date -u -d '-1 hour' +%Y-%m-%dT%H:%M:%SZ)\""
# soon must still be ahead when portierd is ready (PT_READY), to close
# while it runs: a start slower than the window (ASan, a loaded machine)
# tries again with a window twice as long
for window in 3 6 12 24 48; do
	end=$(( $(date +%s) + window ))
	pt_echo soon "$SOON" "expires = \"$(date -u -d "@$end" +%Y-%m-%dT%H:%M:%SZ)\""
	pt_start_ctl
	[ "$PT_READY" -lt "$end" ] && break
	echo "portierd ready after the $window s window: again with a longer one"
	pt_stop || pt_fail "portierd exit status on SIGTERM"
done
[ -n "$PT_PID" ] || pt_fail "portierd was never ready $window s before the date"

pt_answers "$DOOR" && pt_fail "a disabled service answers"
pt_answers "$PAST" && pt_fail "an expired service answers"
T0=$(date +%s)
out=$(pt_ctl open door --for 2s) || pt_fail "open door --for 2s"
echo "$out" | grep -q "door open until" || pt_fail "open said: $out"
if ! pt_answers "$DOOR"; then
	# only a failure when the 2 s cannot be over yet (a slow machine)
	[ $(( $(date +%s) - T0 )) -ge 2 ] || pt_fail "an opened service does not answer"
	echo "more than 2 s passed: the answer within the open period was not checked"
fi
pt_wait_log "door: open period ended: closed" 10 || pt_fail "the open period did not end"
pt_answers "$DOOR" && pt_fail "the service answers after its open period"

pt_ctl open door --for 1h > /dev/null || pt_fail "open door --for 1h"
pt_answers "$DOOR" || pt_fail "door does not answer after open --for 1h"
pt_ctl status --json > "$PT_DIR/st.json" || pt_fail "status"
python3 - "$PT_DIR/st.json" <<'PY' || pt_fail "state of an open service"
import json, sys, time
svc = {s["id"]: s for s in json.load(open(sys.argv[1]))["services"]}
d = svc["door"]
assert d["state"] == "open" and 3000 < d["until"] - time.time() <= 3600, d
assert svc["past"]["state"] == "expired", svc["past"]
PY
pt_ctl close door > /dev/null || pt_fail "close door"
pt_answers "$DOOR" && pt_fail "door answers after close"
pt_ctl close door > /dev/null 2>&1 && pt_fail "close of a service that is not open succeeded"

out=$(pt_ctl enable door) || pt_fail "enable door"
echo "$out" | grep -q "reload or restart" || pt_fail "enable does not say it is runtime only: $out"
pt_answers "$DOOR" || pt_fail "door does not answer after enable"
pt_ctl disable door > /dev/null || pt_fail "disable door"
pt_answers "$DOOR" && pt_fail "door answers after disable"
pt_ctl open past --for 1h > /dev/null 2> "$PT_DIR/err" && pt_fail "an expired service was opened"
pt_assert_grep "past expired on" "$PT_DIR/err" "why an expired service stays closed"

pt_wait_log "soon: expired: no longer offered" 15 || pt_fail "soon did not expire"
pt_answers "$SOON" && pt_fail "soon answers after its date"
pt_ctl enable door > /dev/null || pt_fail "enable door again"
pt_ctl reload > /dev/null || pt_fail "reload"
pt_answers "$SOON" && pt_fail "an expired service came back with a reload"
pt_answers "$PAST" && pt_fail "an expired service came back with a reload"
pt_answers "$DOOR" && pt_fail "a reload did not return door to its file (disabled)"
pt_stop || pt_fail "portierd exit status on SIGTERM"
exit 0
