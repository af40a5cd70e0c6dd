#!/bin/sh
# SPDX-License-Identifier: ISC
# portierd's bind policy: a service whose port is taken is logged and
# skipped while the others run; an address the host does not have waits
# (logged once, shown by status) and does not fail anything, even when it is
# all a service asks for; --strict makes any bind failure fatal, a waiting
# address included; no service bound at all is fatal.
. "${top_srcdir:-../..}/tests/lib/lib.sh"
pt_init

set -- $(pt_ports 3)
BUSY=$1 FREE=$2 ELSEWHERE=$3
pt_hold_port 127.0.0.1 "$BUSY"

for s in busy:$BUSY free:$FREE; do
	pt_tcp_service "${s%%:*}" "${s#*:}" /bin/cat
done

# 192.0.2.1 (TEST-NET-1) is nobody's address, certainly not this host's
(PT_BIND='"192.0.2.1", "127.0.0.1"'; pt_tcp_service elsewhere "$ELSEWHERE" /bin/cat)

pt_start_ctl
pt_assert_grep "elsewhere: waiting for address 192\.0\.2\.1:$ELSEWHERE/tcp \(Cannot assign requested address\)" \
	"$PT_LOG" "an address not on this host was not logged as waited for, with its reason"
pt_ctl status > "$PT_DIR/status" || pt_fail "portierctl status failed"
pt_assert_grep "^ +waiting for address 192\.0\.2\.1:$ELSEWHERE/tcp$" "$PT_DIR/status" \
	"status does not show the address waited for"
# said once: the waiting line, not a last error too (--json keeps it)
grep -q 'last error: waiting' "$PT_DIR/status" && pt_fail "status says the wait twice"
pt_ctl status --json > "$PT_DIR/status.json" || pt_fail "portierctl status --json failed"
python3 - "$PT_DIR/status.json" "$ELSEWHERE" <<'PY' || pt_fail "status --json: the waiting address is wrong"
import json, sys
doc = json.load(open(sys.argv[1]))
svc = {s["id"]: s for s in doc["services"]}
e = svc["elsewhere"]
assert e["state"] == "listening", e
assert e["addresses"] == ["127.0.0.1:%s/tcp" % sys.argv[2]], e
assert e["waiting"] == ["192.0.2.1:%s/tcp" % sys.argv[2]], e
assert e["last_error"] == "waiting for address 192.0.2.1:%s/tcp" % sys.argv[2], e
assert svc["free"]["waiting"] == [], svc["free"]
PY
out=$($PT_CLIENT tcp 127.0.0.1 "$ELSEWHERE" partly) || pt_fail "the service's other address does not answer"
[ "$out" = partly ] || pt_fail "echo on the service's other address: '$out'"
pt_assert_grep "busy: cannot listen on 127\.0\.0\.1 port $BUSY/tcp: Address already in use" \
	"$PT_LOG" "the bind failure was not logged with its reason"
out=$($PT_CLIENT tcp 127.0.0.1 "$FREE" ok) || pt_fail "the free service does not answer"
[ "$out" = ok ] || pt_fail "free service echo: '$out'"
pt_stop || pt_fail "portierd exit status on SIGTERM"

# --strict: the same configuration is refused
pt_run --strict
rc=$?
[ "$rc" -eq 1 ] || pt_fail "--strict with a bind failure: exit status $rc, expected 1"
pt_assert_grep "strict" "$PT_LOG" "--strict: no message says why portierd stopped"

# every address of the only other service waits: portierd starts all the
# same, and the service is "waiting"
rm "$PT_CONFD/free.conf"
(PT_BIND='"192.0.2.1"'; pt_tcp_service elsewhere "$ELSEWHERE" /bin/cat)
pt_start_ctl
pt_ctl status > "$PT_DIR/status" || pt_fail "portierctl status failed"
pt_assert_grep "^elsewhere +waiting " "$PT_DIR/status" "a service whose addresses all wait is not 'waiting'"

pt_stop || pt_fail "portierd exit status on SIGTERM (every address waiting)"

# A reload: what still waits goes on waiting and is not said again; a new
# address the host does not have waits instead of failing the reload; one
# the files no longer name is forgotten. (Without busy, whose failure would
# fail every reload.)
mv "$PT_CONFD/busy.conf" "$PT_DIR/busy.conf"
# two more addresses of 192.0.2.0/24 that this host does not have (some
# hosts and containers do use that range)
set -- $(python3 -c 'import errno, socket
found = []
for last in range(200, 255):
    s = socket.socket()
    try:
        s.bind(("192.0.2.%d" % last, 0))
    except OSError as e:
        if e.errno == errno.EADDRNOTAVAIL:
            found.append("192.0.2.%d" % last)
    s.close()
print(" ".join(found[:2]))')
[ $# -eq 2 ] || pt_error "no two addresses of 192.0.2.0/24 absent from this host"
A1=$1 A2=$2
(PT_BIND="\"$A1\""; pt_tcp_service elsewhere "$ELSEWHERE" /bin/cat)
pt_start_ctl
# waiting_for: the addresses elsewhere waits for, as status --json says
waiting_for() {
	pt_ctl status --json | python3 -c 'import json, sys
print(" ".join(s["waiting"] and ",".join(s["waiting"]) or "-" for s in
      json.load(sys.stdin)["services"] if s["id"] == "elsewhere"))'
}
pt_ctl reload > /dev/null || pt_fail "reload with a waiting address failed"
[ "$(waiting_for)" = "$A1:$ELSEWHERE/tcp" ] || pt_fail "after a reload: waiting for '$(waiting_for)'"
[ "$(grep -c "elsewhere: waiting for address $A1:" "$PT_LOG")" -eq 1 ] ||
	pt_fail "a reload said again what was already waited for"
(PT_BIND="\"$A1\", \"$A2\""; pt_tcp_service elsewhere "$ELSEWHERE" /bin/cat)
pt_ctl reload > /dev/null || pt_fail "reload adding an address the host does not have failed"
[ "$(waiting_for)" = "$A1:$ELSEWHERE/tcp,$A2:$ELSEWHERE/tcp" ] ||
	pt_fail "after adding an address: waiting for '$(waiting_for)'"
pt_assert_grep "elsewhere: waiting for address $A2:$ELSEWHERE/tcp" "$PT_LOG" \
	"the address a reload added was not said to wait"
(PT_BIND="\"$A2\", \"127.0.0.1\""; pt_tcp_service elsewhere "$ELSEWHERE" /bin/cat)
pt_ctl reload > /dev/null || pt_fail "reload dropping a waiting address failed"
[ "$(waiting_for)" = "$A2:$ELSEWHERE/tcp" ] || pt_fail "a dropped address still waits: '$(waiting_for)'"
out=$($PT_CLIENT tcp 127.0.0.1 "$ELSEWHERE" back) || pt_fail "the address a reload added does not answer"
[ "$out" = back ] || pt_fail "echo after the reload: '$out'"
pt_stop || pt_fail "portierd exit status on SIGTERM (after the reloads)"
mv "$PT_DIR/busy.conf" "$PT_CONFD/busy.conf"

# nothing bound at all
rm "$PT_CONFD/elsewhere.conf"
pt_run
rc=$?
[ "$rc" -eq 1 ] || pt_fail "no service bound: exit status $rc, expected 1"
pt_assert_grep "no service could be bound" "$PT_LOG" "no message for 'nothing bound'"
exit 0
