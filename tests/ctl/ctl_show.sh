#!/bin/sh
# SPDX-License-Identifier: ISC
# portierctl show ID: every option of one service with where its value
# came from (the service's file:line, the defaults section, the built-in
# default, derived by the loader), the derived values, a unix socket's
# options, --json, an unknown id, usage errors and --help.
. "${top_srcdir:-../..}/tests/lib/lib.sh"
pt_init
: "${PORTIERCTL:=$top_builddir/sbin/portierctl}"
CTL=$PORTIERCTL
OUT=$PT_DIR/out ERR=$PT_DIR/err
D=$PT_DIR/show.d

# ctl RC ARGS...: portierctl ARGS exits with RC, output in $OUT and $ERR.
ctl() {
	local want=$1 rc

	shift
	"$CTL" "$@" > "$OUT" 2> "$ERR"
	rc=$?
	[ "$rc" -eq "$want" ] || { cat "$OUT" "$ERR" >&2; pt_fail "portierctl $*: exit $rc, expected $want"; }
}

mkdir "$D"
cat > "$D/00-defaults.conf" <<'EOF2'
defaults {
	instances = 20
	passenv = { "LANG" }
	log = stderr
}
EOF2
cat > "$D/10-cat.conf" <<'EOF2'
service cat {
	socket_type = stream
	port = 50123
	server = /bin/cat
	server_args = { "-u", "a b" }
	passenv += { "TZ" }
	per_source = 3
}
service echo {
	type = internal
}
service sock {
	socket_type = stream
	server = /bin/cat
	bind = { "unix:/run/portier-show-test.sock" }
}
EOF2

ctl 0 show -c "$D" -r "$REGISTRY" cat
S=$D/10-cat.conf DF=$D/00-defaults.conf
pt_assert_grep "^# service 'cat' at $S:1$" "$OUT" "show: no header"
# set in the service
pt_assert_grep "^port = 50123 +# $S:3$" "$OUT" "show: port from the service"
pt_assert_grep "^server = \"/bin/cat\" +# $S:4$" "$OUT" "show: server"
pt_assert_grep "^server_args = {\"-u\", \"a b\"} +# $S:5$" "$OUT" "show: a list"
pt_assert_grep "^per_source = 3 +# $S:7$" "$OUT" "show: per_source"
# inherited from defaults, and a += joined to it
pt_assert_grep "^instances = 20 +# defaults $DF:2$" "$OUT" "show: from defaults"
pt_assert_grep "^passenv = {\"LANG\", \"TZ\"} +# $S:6$" "$OUT" "show: += onto defaults"
# built-in defaults, set or not, and what the loader derives
pt_assert_grep "^disable = no +# built-in default$" "$OUT" "show: a built-in bool"
pt_assert_grep "^cps = {\"50\", \"10\"} +# built-in default$" "$OUT" "show: built-in cps"
pt_assert_grep "^user = nobody +# built-in default$" "$OUT" "show: built-in user"
pt_assert_grep "^# chroot is not set +# built-in default$" "$OUT" "show: an unset option"
# a unix socket's options say nothing of a network service
pt_assert_grep "^# socket_mode is not set +# built-in default$" "$OUT" "show: socket_mode of TCP"
pt_assert_grep "^protocol = tcp +# derived$" "$OUT" "show: derived protocol"
pt_assert_grep "^name = cat +# derived$" "$OUT" "show: derived name"
pt_assert_grep "^# derived: port = 50123$" "$OUT" "show: derived port"
pt_assert_grep "^# derived: argv = cat -u a b$" "$OUT" "show: derived argv"
pt_assert_grep "^# derived: user = nobody" "$OUT" "show: derived user"
pt_assert_grep "^# derived: PATH = /usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \(the built-in default\)$" \
	"$OUT" "show: default PATH"
# the defaults section's own options are the daemon's, not the service's
grep -q '^log ' "$OUT" && pt_fail "show: a daemon option in a service"
# one line per option, in table order: disable first, no_new_privileges last
[ "$(grep -v '^# ' "$OUT" | head -1 | cut -d' ' -f1)" = disable ] || pt_fail "show: not in table order"
pt_assert_grep "^no_new_privileges = no +# built-in default$" "$OUT" "show: last option"

# The option lines paste back into a file as the same service.
{ echo "service cat {"; grep -v '^#' "$OUT"; echo "}"; } > "$PT_DIR/again.conf"
mkdir "$PT_DIR/again.d" && mv "$PT_DIR/again.conf" "$PT_DIR/again.d/"
ctl 0 show -c "$PT_DIR/again.d" -r "$REGISTRY" cat
pt_assert_grep "^passenv = {\"LANG\", \"TZ\"} +# $PT_DIR/again.d/again.conf:[0-9]+$" "$OUT" \
	"show: its output does not read back"

ctl 0 show --json --confdir "$D" --registry "$REGISTRY" cat
python3 - "$OUT" "$S" "$DF" <<'EOF2' || pt_fail "show --json"
import json, sys
d = json.load(open(sys.argv[1]))
s = {x["name"]: x for x in d["settings"]}
assert d["id"] == "cat" and d["file"] == sys.argv[2] and d["line"] == 1, d
assert s["port"] == {"name": "port", "value": "50123", "origin": "service",
                     "file": sys.argv[2], "line": 3}, s["port"]
assert s["instances"]["origin"] == "defaults" and s["instances"]["file"] == sys.argv[3], s
assert s["instances"]["line"] == 2 and s["instances"]["value"] == "20", s
assert s["disable"]["origin"] == "built-in" and s["disable"]["file"] is None, s
assert s["chroot"]["value"] is None and s["chroot"]["origin"] == "built-in", s
assert s["socket_type"]["origin"] == "service", s
assert s["protocol"]["origin"] == "derived", s
assert list(s)[0] == "disable" and "log" not in s, list(s)
dv = d["derived"]
assert dv["port"] == 50123 and dv["protocol"] == "tcp" and dv["socket_type"] == "stream", dv
assert dv["argv"] == ["cat", "-u", "a b"] and dv["user"] == "nobody", dv
assert dv["path"].startswith("/usr/local/sbin:") and dv["path_from"] == "default", dv
EOF2

# An internal service: no handler, so no argv, user or PATH.
ctl 0 show -c "$D" -r "$REGISTRY" echo
pt_assert_grep "^type = internal +# $S:10$" "$OUT" "show: internal type"
pt_assert_grep "^# derived: port = 7$" "$OUT" "show: port from the registry"
pt_assert_grep "^port = 7 +# derived$" "$OUT" "show: a port the registry gives"
pt_assert_grep "^# derived: internal: " "$OUT" "show: internal has no handler"

# A unix service: its socket's built-in mode, and no owner unless set.
ctl 0 show -c "$D" -r "$REGISTRY" sock
pt_assert_grep "^socket_mode = 660 +# built-in default$" "$OUT" "show: built-in socket_mode"
pt_assert_grep "^# socket_user is not set +# built-in default$" "$OUT" "show: socket_user"

# Unknown id, usage errors, help.
ctl 1 show -c "$D" -r "$REGISTRY" nosuch
pt_assert_grep "^portierctl show: no service 'nosuch' in $D$" "$ERR" "show: unknown id"
[ -s "$OUT" ] && pt_fail "show: printed something for an unknown id"
ctl 2 show -c "$D" -r "$REGISTRY"
pt_assert_grep "^portierctl show: which service" "$ERR" "show: no id"
pt_assert_grep "^usage: portierctl show " "$ERR" "show: no usage"
ctl 2 show cat echo
pt_assert_grep "^portierctl show: unexpected argument 'echo'" "$ERR" "show: two ids"
ctl 2 show --bogus cat
pt_assert_grep "^portierctl show: unknown option '--bogus'" "$ERR" "show: unknown option"
ctl 0 show --help
pt_assert_grep "^usage: portierctl show \[-c DIR\] \[-r FILE\]\.\.\. \[--json\] ID$" "$OUT" "show --help"
pt_assert_grep "^  -c, --confdir DIR +" "$OUT" "show --help: -c"
pt_assert_grep "^      --json +" "$OUT" "show --help: --json"

# An invalid configuration: its errors, nothing shown.
printf 'service bad {\n\tbogus = 1\n}\n' > "$D/30-bad.conf"
ctl 1 show -c "$D" -r "$REGISTRY" cat
pt_assert_grep "^$D/30-bad.conf:2: no such option 'bogus'$" "$ERR" "show: no FILE:LINE error"
pt_assert_grep "^portierctl show: 1 error: nothing to show" "$ERR" "show: no summary"
exit 0
