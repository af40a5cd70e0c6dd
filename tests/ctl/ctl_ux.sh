#!/bin/sh
# SPDX-License-Identifier: ISC
# portierctl as an admin meets it: list without a daemon (plain and JSON,
# and a configuration with errors), lookup's header and JSON, check's
# summary and JSON, every command's --help and usage errors, status within
# 80 columns with a long id, ::1 and an open period, and the bash
# completion.
. "${top_srcdir:-../..}/tests/lib/lib.sh"
pt_init
: "${PORTIERCTL:=$top_builddir/sbin/portierctl}"
CTL=$PORTIERCTL
OUT=$PT_DIR/out ERR=$PT_DIR/err

# ctl RC ARGS...: portierctl ARGS exits with RC, output in $OUT and $ERR.
ctl() {
	local want=$1 rc

	shift
	"$CTL" "$@" > "$OUT" 2> "$ERR"
	rc=$?
	[ "$rc" -eq "$want" ] || { cat "$OUT" "$ERR" >&2; pt_fail "portierctl $*: exit $rc, expected $want"; }
}

# json FILE PYTHON: runs PYTHON with d = the parsed FILE.
json() {
	python3 -c "import json, sys; d = json.load(open(sys.argv[1])); $2" "$1" ||
		pt_fail "JSON of $1: $2"
}

# ---- list: every service of the files, no daemon ----
LIST=$PT_DIR/list.d
mkdir "$LIST"
cat > "$LIST/10-a.conf" <<'EOF2'
service echo {
	type = internal
	bind = { "127.0.0.1", "::1" }
}
service old-echo {
	type = internal
	name = echo
	port = 50007
	expires = "2001-01-01T00:00:00Z"
}
service mux-echo {
	type = internal
	name = echo
	tcpmux = yes
}
EOF2
cat > "$LIST/20-b.conf" <<'EOF2'
service telnet {
	disable = yes
	server = /nonexistent/in.telnetd
	user = no-such-user-here
}
EOF2
ctl 0 list -c "$LIST" -r "$REGISTRY"
pt_assert_grep '^ID +STATE +TYPE +FILE:LINE +LISTEN$' "$OUT" "list: no header"
pt_assert_grep "^echo +enabled +internal +$LIST/10-a.conf:1 +127\.0\.0\.1:7/tcp,\[::1\]:7/tcp$" "$OUT" "list: echo"
pt_assert_grep "^old-echo +expired +internal +$LIST/10-a.conf:5 +50007/tcp$" "$OUT" "list: expired"
pt_assert_grep "^mux-echo +tcpmux-only +internal +$LIST/10-a.conf:11 +tcpmux:echo$" "$OUT" "list: tcpmux"
pt_assert_grep "^telnet +disabled +handler +$LIST/20-b.conf:1 +23/tcp$" "$OUT" "list: disabled"
[ "$(wc -l < "$OUT")" -eq 5 ] || pt_fail "list: $(wc -l < "$OUT") lines, expected 5"
ctl 0 list --json --confdir "$LIST" --registry "$REGISTRY"
json "$OUT" '
s = {x["id"]: x for x in d["services"]}
assert d["ok"] is True and d["errors"] == 0 and list(s) == ["echo", "old-echo", "mux-echo", "telnet"], d
e = s["echo"]
assert e["state"] == "enabled" and e["type"] == "internal" and e["port"] == 7, e
assert e["protocol"] == "tcp" and e["bind"] == ["127.0.0.1", "::1"] and e["line"] == 1, e
assert e["file"].endswith("/10-a.conf") and e["expires"] is None, e
assert s["old-echo"]["state"] == "expired" and s["old-echo"]["expires"] == 978307200
assert s["mux-echo"]["state"] == "tcpmux-only" and s["mux-echo"]["port"] is None
t = s["telnet"]
assert t["state"] == "disabled" and t["type"] == "handler" and t["bind"] == [], t
assert t["server"] == "/nonexistent/in.telnetd", t'
# Errors: the diagnostics on stderr, nothing listed, exit 1.
printf 'service bad {\n\tbogus = 1\n}\n' > "$LIST/30-bad.conf"
ctl 1 list -c "$LIST" -r "$REGISTRY"
[ -s "$OUT" ] && pt_fail "list printed services of an invalid configuration"
pt_assert_grep "^$LIST/30-bad.conf:2: no such option 'bogus'$" "$ERR" "list: no FILE:LINE error"
pt_assert_grep '^portierctl list: 1 error: nothing to list' "$ERR" "list: no summary of the failure"
ctl 1 list -c "$LIST" -r "$REGISTRY" --json
json "$OUT" 'assert d["ok"] is False and d["errors"] == 1 and d["services"] == [], d
assert d["diagnostics"][0]["level"] == "error" and "bogus" in d["diagnostics"][0]["text"], d'
[ -s "$ERR" ] && pt_fail "list --json wrote to stderr"
rm "$LIST/30-bad.conf"
ctl 2 list extra
ctl 2 list -c

# ---- check: the summary line, and JSON ----
# (the summary of a check with host checks: telnet's user is only a
# warning, telnet being disabled)
ctl 0 check -c "$LIST" -r "$REGISTRY"
pt_assert_grep '^portierctl check: 4 services \(3 enabled\), 0 errors, [0-9]+ warnings?$' "$ERR" "check: no summary"
[ "$(tail -n 1 "$ERR" | cut -c1-18)" = "portierctl check: " ] || pt_fail "check: the summary is not the last line"
ctl 0 check -c "$LIST" -r "$REGISTRY" --json
[ -s "$ERR" ] && pt_fail "check --json wrote to stderr"
json "$OUT" '
assert d["ok"] is True and d["errors"] == 0 and d["warnings"] == len(d["diagnostics"]) >= 1, d
assert any("expired" in x["text"] for x in d["diagnostics"]), d
assert [x["id"] for x in d["services"]] == ["echo", "old-echo", "mux-echo", "telnet"], d'
printf 'service bad {\n\tbogus = 1\n}\n' > "$LIST/30-bad.conf"
ctl 1 check -c "$LIST" -r "$REGISTRY" --json
json "$OUT" 'assert d["ok"] is False and d["errors"] == 1 and d["services"] == [], d'
ctl 1 check -c "$LIST" -r "$REGISTRY"
pt_assert_grep '^portierctl check: 1 error, [0-9]+ warnings?: the configuration is not valid$' "$ERR" "check: no failure summary"
rm "$LIST/30-bad.conf"

# ---- lookup: a header, and JSON ----
ctl 0 lookup 22/tcp -r "$REGISTRY"
[ "$(head -n 1 "$OUT")" = "NAME  PORT    CLASS       ALIASES  DESCRIPTION" ] ||
	pt_fail "lookup header: $(head -n 1 "$OUT")"
pt_assert_grep '^ssh   22/tcp  well-known  -        The Secure Shell' "$OUT" "lookup: the columns under the header"
ctl 0 lookup --json mail -r "$REGISTRY"
json "$OUT" 'e = d["entries"]
assert d["query"] == "mail" and len(e) == 1 and e[0]["name"] == "smtp" and e[0]["port"] == 25, d
assert e[0]["protocol"] == "tcp" and e[0]["aliases"] == ["mail"] and e[0]["class"] == "well-known", d'
ctl 1 lookup --json no-such-name -r "$REGISTRY"
json "$OUT" 'assert d["entries"] == [], d'

# ---- --help of every command, usage errors ----
commands=$("$CTL" --help | awk '/^commands:/ { on = 1; next } on && /^  [a-z]/ { print $1 }')
[ "$(echo $commands)" = "check convert list lookup show status reload enable disable open close audit inetd-entries" ] ||
	pt_fail "portierctl --help lists: $(echo $commands)"
for c in $commands; do
	ctl 0 "$c" --help
	pt_assert_grep "^usage: portierctl $c( |$)" "$OUT" "$c --help: no usage line"
	pt_assert_grep '^  -h, --help +this help$' "$OUT" "$c --help: no line for --help"
	# one line per option: each starts with the option, then its text; a
	# default too long for it goes below, on as many lines as it needs
	awk '/^options:/ { on = 1; next }
		on && more { more = !/\)$/; next }
		on && /^  +\(default / { more = !/\)$/; next }
		on && !/^(  -[a-z], --|      --)/ { bad = 1 } END { exit bad }' "$OUT" ||
		pt_fail "$c --help: an option line is not one option and its description"
	# (but for a default path, which is the build's, on one line or more)
	awk 'more { more = !/\)$/; next }
		/^ +\(default / { more = !/\)$/; next }
		length($0) > 80 { bad = 1 } END { exit bad }' "$OUT" ||
		pt_fail "$c --help: wider than 80 columns"
	ctl 2 "$c" --no-such-option
	pt_assert_grep "^usage: portierctl $c" "$ERR" "$c: a usage error without the usage"
	[ -s "$OUT" ] && pt_fail "$c: a usage error printed to stdout"
done
ctl 0 status --help
pt_assert_grep '^      --json +' "$OUT" "status --help: --json"
pt_assert_grep '^  -s, --socket PATH +' "$OUT" "status --help: -s"
ctl 0 open --help
pt_assert_grep '^      --for DURATION +' "$OUT" "open --help: --for"

# ---- status: 80 columns ----
set -- $(pt_ports 4)
LONG=a-rather-long-service-identifier-that-needs-a-line/tcp
if pt_ipv6; then PT_BIND='"127.0.0.1", "::1"'; fi
pt_internal echo echo "$1"
pt_internal "$LONG" daytime "$2"
pt_internal door echo "$3" "disable = yes"
PT_BIND='"127.0.0.1"' pt_internal shut echo "$4" 'only_from = { "192.0.2.1" }'
PT_CTL=$PT_DIR/control
pt_start --control-socket "$PT_CTL"
"$CTL" -s "$PT_CTL" open door --for 1h > /dev/null || pt_fail "open door"
$PT_CLIENT tcp 127.0.0.1 "$4" x > /dev/null 2>&1
pt_wait_log 'shut: refused' 5 || pt_fail "no refusal"
ctl 0 -s "$PT_CTL" status
awk 'length($0) > 80 { print "too wide: " $0; bad = 1 } END { exit bad }' "$OUT" >&2 ||
	{ cat "$OUT" >&2; pt_fail "status is wider than 80 columns"; }
pt_assert_grep "^$LONG\$" "$OUT" "status: the long id is not on a line of its own"
pt_assert_grep '^ +listening +0 +0 +0  -$' "$OUT" "status: the long id's row"
pt_assert_grep '^door +open +0 +0 +0  -$' "$OUT" "status: door"
pt_assert_grep '^    until [0-9-]+ [0-9:]+$' "$OUT" "status: door's open period"
pt_assert_grep '^shut +listening +0 +1 +1  access=1$' "$OUT" "status: shut"
pt_assert_grep "^    127\.0\.0\.1:$4/tcp\$" "$OUT" "status: shut's address"
if pt_ipv6; then
	pt_assert_grep "^    (\[::1\]:$1/tcp,127\.0\.0\.1:$1/tcp|127\.0\.0\.1:$1/tcp,\[::1\]:$1/tcp)\$" "$OUT" "status: echo's addresses"
fi
# A failed reload's messages wrap too.
printf 'service bad {\n\tan_unknown_option_with_a_rather_long_name_here = 1\n}\n' > "$PT_CONFD/zz-bad.conf"
"$CTL" -s "$PT_CTL" reload > /dev/null 2>&1 && pt_fail "a reload of a bad file succeeded"
ctl 0 -s "$PT_CTL" status
awk 'length($0) > 80 { print "too wide: " $0; bad = 1 } END { exit bad }' "$OUT" >&2 ||
	{ cat "$OUT" >&2; pt_fail "status after a failed reload is wider than 80 columns"; }
pt_assert_grep '^last reload: FAILED at ' "$OUT" "status: the failed reload"
pt_assert_grep "^  $PT_CONFD/zz-bad\.conf:2:" "$OUT" "status: the reload's error"
# (a quoted token shows its first 32 bytes: portier.conf(5), VALIDATION)
pt_assert_grep "^    .*'an_unknown_option_with_a_rather_\.\.\.'\$" "$OUT" "status: the error's wrapped part"
pt_stop || pt_fail "portierd exit status"

# ---- bash completion ----
COMP=$top_srcdir/sbin/ctl/bash-completion/portierctl
command -v bash > /dev/null || pt_skip "no bash: the completion was not tried"
bash -n "$COMP" || pt_fail "the completion script does not parse"
# A portierctl whose list reads our directory, as the installed one reads
# the installed conf.d.
cat > "$PT_DIR/portierctl" <<EOF2
#!/bin/sh
[ "\$*" = list ] && exec "$CTL" list -c "$LIST" -r "$REGISTRY"
exec "$CTL" "\$@"
EOF2
chmod 755 "$PT_DIR/portierctl"
BC=/usr/share/bash-completion/bash_completion
[ -r "$BC" ] || BC=/dev/null
bash --norc --noprofile -c '
	. "$1" 2> /dev/null
	. "$2" || exit 1
	complete -p portierctl | grep -q _portierctl || { echo "no completion registered"; exit 1; }
	try() {
		COMP_WORDS=("$@"); COMP_CWORD=$(( $# - 1 ))
		COMP_LINE="$*"; COMP_POINT=${#COMP_LINE}
		COMPREPLY=(); _portierctl portierctl "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}"
		echo "${COMPREPLY[*]}"
	}
	p=$3
	got=$(try "$p" "")
	[ "$got" = "check convert list lookup show status reload enable disable open close audit inetd-entries" ] || { echo "portierctl <TAB>: $got"; exit 1; }
	got=$(try "$p" -s /x "")
	[ "$got" = "check convert list lookup show status reload enable disable open close audit inetd-entries" ] || { echo "portierctl -s PATH <TAB>: $got"; exit 1; }
	got=$(try "$p" lo)
	[ "$got" = "lookup" ] || { echo "portierctl lo<TAB>: $got"; exit 1; }
	got=$(try "$p" list --)
	[ "$got" = "--confdir --registry --json --help" ] || { echo "list --<TAB>: $got"; exit 1; }
	got=$(try "$p" open --)
	[ "$got" = "--socket --for --help" ] || { echo "open --<TAB>: $got"; exit 1; }
	got=$(try "$p" enable "")
	[ "$got" = "echo old-echo mux-echo telnet" ] || { echo "enable <TAB>: $got"; exit 1; }
	got=$(try "$p" disable m)
	[ "$got" = "mux-echo" ] || { echo "disable m<TAB>: $got"; exit 1; }
	got=$(try "$p" show o)
	[ "$got" = "old-echo" ] || { echo "show o<TAB>: $got"; exit 1; }
	got=$(try "$p" open echo --for "")
	[ "${got%% *}" = "30s" ] || { echo "open echo --for <TAB>: $got"; exit 1; }
	got=$(try "$p" audit --fail-on "")
	[ "$got" = "info warning critical" ] || { echo "audit --fail-on <TAB>: $got"; exit 1; }
	got=$(try "$p" audit --)
	[ "$got" = "--json --fail-on --confdir --registry --socket --help" ] || { echo "audit --<TAB>: $got"; exit 1; }
' ctl_ux "$BC" "$COMP" "$PT_DIR/portierctl" || pt_fail "bash completion"
exit 0
