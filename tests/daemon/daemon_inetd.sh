#!/bin/sh
# SPDX-License-Identifier: ISC
# inetd_compat: Debian's own update-inetd adds, disables, enables and
# removes an entry of the inetd.conf while portierd runs, and each reload
# follows it (the disabled entry closes, the removed one is gone); check,
# list and status name the entry by its FILE:LINE; a broken line is a
# warning that stops nothing; an inetd.conf that another user could have
# written is refused (StrictModes).
. "${top_srcdir:-../..}/tests/lib/lib.sh"
[ "$(id -u)" = 0 ] || pt_skip "needs root (the entry runs as nobody)"
command -v update-inetd >/dev/null || pt_skip "update-inetd is not installed"
pt_init

# update-inetd must not wake a real inetd, nor see an xinetd, nor ask.
UPDATE_INETD_FAKE_IT=1 UPDATE_INETD_NOXINETD=1 DEBIAN_FRONTEND=noninteractive
export UPDATE_INETD_FAKE_IT UPDATE_INETD_NOXINETD DEBIAN_FRONTEND
F="$PT_DIR/inetd.conf"
ui() {
	update-inetd --file "$F" "$@" > "$PT_DIR/ui.out" 2>&1 ||
		{ cat "$PT_DIR/ui.out" >&2; pt_fail "update-inetd $*"; }
}

set -- $(pt_ports 3)
P=$1 ECHO=$2 GONE=$3
pt_echo echo "$ECHO"
pt_conf 00-inetd <<EOF
defaults {
	inetd_compat = yes
	inetd_conf = "$F"
}
EOF
: > "$F"
pt_start_ctl
pt_answers "$ECHO" || pt_fail "conf.d's service does not answer"

# Added: a numeric port, as update-inetd writes it (tabs).
ui --add "$P\tstream\ttcp\tnowait\tnobody\t/bin/cat\tcat"
grep -q "^$P	stream" "$F" || pt_fail "update-inetd wrote no entry"
pt_ctl reload > /dev/null || pt_fail "reload after --add"
pt_answers "$P" || pt_fail "the added entry does not answer"
LINE=$(grep -n "^$P	" "$F" | cut -d: -f1)

pt_ctl status --json > "$PT_DIR/status.json" || pt_fail "status --json"
python3 - "$PT_DIR/status.json" "inetd-port-$P" "$F" "$LINE" <<'PY' || pt_fail "status: file and line"
import json, sys
st = json.load(open(sys.argv[1]))
svc = {s["id"]: s for s in st["services"]}
s = svc[sys.argv[2]]
assert s["state"] == "listening" and s["file"] == sys.argv[3] and s["line"] == int(sys.argv[4]), s
assert svc["echo"]["file"].endswith("/echo.conf"), svc["echo"]
PY
"$PORTIERCTL" check -c "$PT_CONFD" -r "$REGISTRY" > "$PT_DIR/check" 2>&1 || {
	cat "$PT_DIR/check" >&2; pt_fail "check"; }
pt_assert_grep "^inetd-port-$P $P/tcp stream nowait user=nobody /bin/cat \($F:$LINE\)$" \
	"$PT_DIR/check" "check shows the entry with FILE:LINE"
"$PORTIERCTL" list -c "$PT_CONFD" -r "$REGISTRY" > "$PT_DIR/list" 2>&1 || pt_fail "list"
pt_assert_grep "^inetd-port-$P +enabled +handler +$F:$LINE " "$PT_DIR/list" "list shows FILE:LINE"

# Disabled (#<off>#): closed at the reload; enabled again: open.
ui --disable "$P"
grep -q "^#<off># $P	" "$F" || pt_fail "update-inetd did not disable the entry"
pt_ctl reload > /dev/null || pt_fail "reload after --disable"
pt_answers "$P" && pt_fail "the disabled entry still answers"
pt_ctl status --json | grep -q "\"id\":\"inetd-port-$P\",\"state\":\"disabled\"" ||
	pt_fail "status does not show the entry disabled"
ui --enable "$P"
pt_ctl reload > /dev/null || pt_fail "reload after --enable"
pt_answers "$P" || pt_fail "the enabled entry does not answer"

# A line no inetd can read, and an entry whose server is not here (its
# package removed): warnings with their lines, nothing stops.
echo "garbage line" >> "$F"
printf '%s\tstream\ttcp\tnowait\tnobody\t/nonexistent/in.gone\tin.gone\n' "$GONE" >> "$F"
pt_ctl reload > /dev/null || pt_fail "a broken line refused the reload"
pt_wait_log "$F:[0-9]+: warning: syntax error" || pt_fail "no warning for the broken line"
pt_wait_log "$F:[0-9]+: warning: service 'inetd-port-$GONE' left out" ||
	pt_fail "no warning for the entry without its server"
pt_answers "$P" || pt_fail "the entry stopped with a broken line beside it"
pt_answers "$GONE" && pt_fail "the entry without its server answers"
sed -i '/^garbage line$/d; /in\.gone/d' "$F"

# Removed: gone at the reload, conf.d's service untouched.
ui --remove "$P"
grep -q "$P" "$F" && pt_fail "update-inetd did not remove the entry"
pt_ctl reload > /dev/null || pt_fail "reload after --remove"
pt_answers "$P" && pt_fail "the removed entry still answers"
pt_ctl status --json | grep -q "inetd-port-$P" && pt_fail "status still lists the removed entry"
pt_answers "$ECHO" || pt_fail "conf.d's service stopped"

# StrictModes: an inetd.conf another user owns, even through a symbolic
# link, is refused as a conf.d file would be; the running set stays.
echo "$P stream tcp nowait nobody /bin/cat cat" > "$PT_DIR/theirs.conf"
chown nobody "$PT_DIR/theirs.conf"
rm -f "$F"
ln -s "$PT_DIR/theirs.conf" "$F"
"$PORTIERCTL" check -c "$PT_CONFD" -r "$REGISTRY" > "$PT_DIR/check" 2>&1 &&
	pt_fail "check accepted an inetd.conf owned by nobody"
pt_assert_grep "inetd_conf" "$PT_DIR/check" "check does not say why"
pt_ctl reload > /dev/null 2>&1 && pt_fail "reload accepted an inetd.conf owned by nobody"
pt_answers "$P" && pt_fail "an entry of nobody's inetd.conf answers"
pt_answers "$ECHO" || pt_fail "the refused reload stopped conf.d's service"
pt_stop || pt_fail "portierd exited with an error"
exit 0
