#!/bin/sh
# SPDX-License-Identifier: ISC
# Reload (portierctl reload and SIGHUP): a client connecting without pause
# during 20 reloads never fails; a service added by a reload answers, a
# removed one refuses; a syntax error and a port conflict each leave every
# old service answering, with the errors reported by portierctl reload.
. "${top_srcdir:-../..}/tests/lib/lib.sh"
pt_init

set -- $(pt_ports 5)
KEEP=$1 GONE=$2 NEW=$3 BUSY=$4 HUP=$5
pt_echo keep "$KEEP" "instances = 50" "cps = { 0, 0 }"
pt_echo gone "$GONE"
pt_start_ctl
pt_answers "$KEEP" || pt_fail "keep does not answer"
pt_answers "$GONE" || pt_fail "gone does not answer"

# A bounded client loop (at most 60 s) against keep while reloads happen.
python3 - "$KEEP" "$PT_DIR/stop" > "$PT_DIR/loop.out" 2>&1 <<'PY' &
import os, socket, sys, time
port, stop = int(sys.argv[1]), sys.argv[2]
ok = fail = 0
end = time.time() + 60
while time.time() < end and not os.path.exists(stop):
    try:
        s = socket.create_connection(("127.0.0.1", port), timeout=5)
        s.sendall(b"x")
        s.shutdown(socket.SHUT_WR)
        if s.recv(16) == b"x":
            ok += 1
            if ok == 1:
                open(stop + ".running", "w").close()
        else:
            fail += 1
        s.close()
    except OSError as e:
        fail += 1
        print("error:", e)
print("ok", ok, "fail", fail)
PY
LOOP=$!
# the reloads begin once the loop has been served (python may start slowly)
pt_wait_until '[ -e "$PT_DIR/stop.running" ] || ! kill -0 "$LOOP" 2>/dev/null'
for i in $(seq 20); do
	# a setting changes each time: the socket must stay all the same
	pt_echo keep "$KEEP" "instances = $((50 + i))" "cps = { 0, 0 }"
	pt_ctl reload > /dev/null || pt_fail "reload $i failed"
done
touch "$PT_DIR/stop"
wait "$LOOP"
cat "$PT_DIR/loop.out"
grep -Eq '^ok [1-9][0-9]* fail 0$' "$PT_DIR/loop.out" || pt_fail "connections failed during reloads"
pt_assert_grep 'reload: generation 21, 2 services, [0-9]+\.[0-9] ms' "$PT_LOG" "no reload log line"

# Added and removed services.
rm "$PT_CONFD/gone.conf"
pt_echo new "$NEW"
out=$(pt_ctl reload) || pt_fail "reload with an added service failed"
echo "$out" | grep -q "reloaded" || pt_fail "reload said: $out"
pt_answers "$NEW" || pt_fail "an added service does not answer"
pt_answers "$GONE" && pt_fail "a removed service still answers"
pt_answers "$KEEP" || pt_fail "keep stopped answering"

# A syntax error: nothing changes, the error is reported with file and line.
printf 'service broken {\n\tport = \n' > "$PT_CONFD/broken.conf"
pt_ctl reload > "$PT_DIR/out" 2> "$PT_DIR/err" && pt_fail "a broken reload succeeded"
[ $? -eq 1 ] || pt_fail "exit status of a broken reload"
pt_assert_grep 'broken\.conf:[0-9]+:' "$PT_DIR/err" "the error does not name file and line"
pt_answers "$KEEP" || pt_fail "keep stopped answering after a broken reload"
pt_answers "$NEW" || pt_fail "new stopped answering after a broken reload"
pt_ctl status > "$PT_DIR/status" || pt_fail "status"
pt_assert_grep 'last reload: FAILED' "$PT_DIR/status" "status does not show the failed reload"
rm "$PT_CONFD/broken.conf"

# A port conflict: bind fails, everything is rolled back.
pt_hold_port 127.0.0.1 "$BUSY"
pt_echo busy "$BUSY"
pt_echo keep "$KEEP" "instances = 7" "cps = { 0, 0 }"
pt_ctl reload > "$PT_DIR/out" 2> "$PT_DIR/err" && pt_fail "a reload with a busy port succeeded"
pt_assert_grep "busy: cannot listen on 127\.0\.0\.1 port $BUSY/tcp" "$PT_DIR/err" "the bind error is not reported"
pt_answers "$KEEP" || pt_fail "keep stopped answering after a port conflict"
pt_answers "$NEW" || pt_fail "new stopped answering after a port conflict"
pt_ctl status --json > "$PT_DIR/status.json" || pt_fail "status --json"
python3 - "$PT_DIR/status.json" <<'PY' || pt_fail "status after a failed reload"
import json, sys
st = json.load(open(sys.argv[1]))
assert st["generation"] == 22, st["generation"]
assert st["last_reload"]["ok"] is False
assert [s["id"] for s in st["services"]] == ["keep", "new"], st["services"]
PY
rm "$PT_CONFD/busy.conf"

# SIGHUP reloads too.
pt_echo hup "$HUP"
kill -HUP "$PT_PID"
pt_wait_log 'reload: generation 23,' 10 || pt_fail "SIGHUP did not reload"
pt_answers "$HUP" || pt_fail "a service added by SIGHUP does not answer"
pt_stop || pt_fail "portierd exit status on SIGTERM"
[ ! -e "$PT_CTL" ] || pt_fail "the control socket outlived portierd"
exit 0
