#!/bin/sh
# SPDX-License-Identifier: ISC
# portierctl status (plain and JSON) after known traffic shows the right
# counts; SIGUSR1 writes the same state to the log; the control socket
# refuses a client of another uid (SO_PEERCRED), portierctl refuses a
# socket served by another uid, and portierctl's exit codes;
# a socket whose directories do not exist yet gets them.
. "${top_srcdir:-../..}/tests/lib/lib.sh"
pt_init

set -- $(pt_ports 2)
OPEN=$1 SHUT=$2
pt_echo open "$OPEN"
pt_echo shut "$SHUT" 'only_from = { "192.0.2.1" }'
pt_start_ctl
for i in 1 2 3; do
	pt_answers "$OPEN" || pt_fail "open does not answer ($i)"
done
for i in 1 2; do
	pt_answers "$SHUT" && pt_fail "only_from let 127.0.0.1 in"
done
pt_wait_count 'shut: refused' 2 5 || pt_fail "refusals not logged"

pt_ctl status --json > "$PT_DIR/status.json" || pt_fail "status --json"
python3 - "$PT_DIR/status.json" "$PT_PID" "$OPEN" <<'PY' || pt_fail "status --json counts"
import json, sys
st = json.load(open(sys.argv[1]))
assert st["ok"] is True and st["pid"] == int(sys.argv[2]) and st["generation"] == 1, st
assert st["uptime"] >= 0 and st["last_reload"] is None
svc = {s["id"]: s for s in st["services"]}
o, s = svc["open"], svc["shut"]
assert o["state"] == "listening" and o["addresses"] == ["127.0.0.1:%s/tcp" % sys.argv[3]], o
assert o["accepted"] == 3 and o["refused_total"] == 0 and o["running"] == 0, o
assert s["accepted"] == 2 and s["refused"]["access"] == 2 and s["refused_total"] == 2, s
assert all(v == 0 for k, v in s["refused"].items() if k != "access"), s
assert o["last_error"] is None
PY
pt_ctl status > "$PT_DIR/status" || pt_fail "status"
pt_assert_grep "^portierd pid $PT_PID, up .*generation 1" "$PT_DIR/status" "status header"
pt_assert_grep '^open +listening +0 +3 +0  -$' "$PT_DIR/status" "status line of open"
pt_assert_grep '^shut +listening +0 +2 +2  access=2$' "$PT_DIR/status" "status line of shut"

kill -USR1 "$PT_PID"
pt_wait_log "state: shut listening 127\.0\.0\.1:$SHUT/tcp running 0 accepted 2 refused access=2" 5 ||
	pt_fail "SIGUSR1 state dump"
pt_assert_grep "state: portierd pid $PT_PID, up [0-9]+ s, generation 1, last reload: none" "$PT_LOG" "SIGUSR1 header"

# Exit codes: unknown service 1, usage 2, no daemon 3.
pt_ctl enable nosuch > /dev/null 2> "$PT_DIR/err"; rc=$?
[ $rc -eq 1 ] || pt_fail "unknown service: exit $rc"
pt_assert_grep "no service 'nosuch'" "$PT_DIR/err" "unknown service message"
pt_ctl open open > /dev/null 2>&1; rc=$?
[ $rc -eq 2 ] || pt_fail "open without --for: exit $rc"
"$PORTIERCTL" -s "$PT_DIR/nothing" status > /dev/null 2> "$PT_DIR/err"; rc=$?
[ $rc -eq 3 ] || pt_fail "no daemon: exit $rc"
pt_assert_grep "not running" "$PT_DIR/err" "no daemon message"

# Another uid: the socket's mode keeps it out, and with the mode opened up,
# SO_PEERCRED does.
if [ "$(id -u)" -eq 0 ] && command -v setpriv > /dev/null && id nobody > /dev/null 2>&1; then
	asnobody() { setpriv --reuid=nobody --regid="$(id -g nobody)" --clear-groups "$@"; }
	[ "$(stat -c %a "$PT_CTL")" = 600 ] || pt_fail "control socket mode $(stat -c %a "$PT_CTL")"
	asnobody "$PORTIERCTL" -s "$PT_CTL" status > /dev/null 2>&1; rc=$?
	[ $rc -eq 3 ] || pt_fail "nobody through a 0600 socket: exit $rc"
	chmod 666 "$PT_CTL"
	asnobody "$PORTIERCTL" -s "$PT_CTL" reload > /dev/null 2> "$PT_DIR/err"; rc=$?
	[ $rc -eq 1 ] || pt_fail "nobody: exit $rc: $(cat "$PT_DIR/err")"
	pt_assert_grep "permission denied" "$PT_DIR/err" "nobody was not told why"
	pt_wait_log "control: refused a client of uid $(id -u nobody)" 5 || pt_fail "refusal not logged"
	grep -q "reload requested" "$PT_LOG" && pt_fail "nobody's reload was carried out"
	# a socket served by another user: portierctl believes none of it
	# (the system's python3: nobody may not run a per-user one)
	[ -x /usr/bin/python3 ] || pt_error "/usr/bin/python3 is needed (package python3)"
	mkdir "$PT_DIR/fake" && chown nobody "$PT_DIR/fake" || pt_error "mkdir"
	pt_bg asnobody /usr/bin/python3 -c '
import socket, sys
s = socket.socket(socket.AF_UNIX)
s.bind(sys.argv[1])
s.listen(4)
while True:
    c, _ = s.accept()
    c.recv(4096)
    c.sendall(b"{\"ok\": true, \"message\": \"configuration reloaded\"}\n")
    c.close()' "$PT_DIR/fake/control"
	pt_wait_until '[ -S "$PT_DIR/fake/control" ]'
	"$PORTIERCTL" -s "$PT_DIR/fake/control" reload > "$PT_DIR/out" 2> "$PT_DIR/err"; rc=$?
	[ $rc -eq 3 ] || pt_fail "a reply from nobody's socket: exit $rc"
	pt_assert_grep "the control socket $PT_DIR/fake/control is served by uid $(id -u nobody), not by root" \
		"$PT_DIR/err" "nobody's socket: no reason given"
	grep -q reloaded "$PT_DIR/out" && pt_fail "portierctl believed nobody's reply"
else
	echo "not root (or no setpriv/nobody): uid check not run"
fi
pt_stop || pt_fail "portierd exit status on SIGTERM"

# The directories of the socket's path are created (as for a runstatedir
# under /usr/local/var that nothing else makes).
PT_CTL="$PT_DIR/run/deeper/portier/control"
pt_start --control-socket "$PT_CTL"
pt_ctl status > "$PT_DIR/out" || pt_fail "status through a socket in new directories"
pt_assert_grep "open" "$PT_DIR/out" "status through new directories lists nothing"
[ "$(stat -c %a "$PT_DIR/run/deeper")" = 755 ] || pt_fail "a created directory has mode $(stat -c %a "$PT_DIR/run/deeper")"
pt_stop || pt_fail "portierd exit status on SIGTERM"
exit 0
