#!/bin/sh
# SPDX-License-Identifier: ISC
# The registry's default search order with the paths compiled in (no -r):
# the shipped services.db, then services.d/*.db by name, leftovers of
# editors and package managers skipped. Both places are replaced, in a
# private mount namespace, by directories of the test, so nothing of the
# system is read or touched. A local name is seen by portierctl lookup and
# check and by a conf.d service without `port`; a file added to services.d
# is read on reload; a services.d that others may write stops the reload
# (StrictModes). Root only (mount namespace).
. "${top_srcdir:-../..}/tests/lib/lib.sh"

[ -n "${PORTIER_DEFAULT_REGISTRY:-}" ] && [ -n "${PORTIER_DEFAULT_REGISTRY_DIR:-}" ] ||
	pt_error "run through make check (PORTIER_DEFAULT_REGISTRY* unset)"
[ "$(id -u)" = 0 ] || pt_skip "needs root (a mount namespace over the compiled-in paths)"
if [ -z "${PT_REGISTRY_NS:-}" ]; then
	unshare --mount --propagation private true 2>/dev/null ||
		pt_skip "cannot make a mount namespace"
	PT_REGISTRY_NS=1
	export PT_REGISTRY_NS
	exec unshare --mount --propagation private /bin/sh "$0" "$@"
fi

# cover DIR...: an empty tmpfs at each DIR, on DIR itself when it exists,
# else on its nearest existing parent, which must not be one the test needs
# (the system's, the build's, the sources', the test's own). Two DIRs with
# one such parent (distcheck's fresh prefix) share one tmpfs.
cover() {
	local d at need mounted=

	for d in "$@"; do
		at=$d
		while [ ! -d "$at" ]; do
			at=$(dirname "$at")
		done
		case " $mounted " in *" $at "*) continue ;; esac
		case $at in
		/|/etc|/usr|/usr/share|/usr/lib|/var|/tmp|/run)
			pt_skip "$d: would hide $at; configure with a prefix whose directories exist" ;;
		esac
		for need in "$(cd "$top_builddir" && pwd)" "$(cd "$top_srcdir" && pwd)" "$PT_DIR"; do
			case $need/ in
			"$at"/*) pt_skip "$d: would hide $at, which holds $need" ;;
			esac
		done
		mount -t tmpfs -o mode=755 tmpfs "$at" || pt_error "cannot mount a tmpfs on $at"
		mounted="$mounted $at"
	done
	for d in "$@"; do
		mkdir -p "$d" || pt_error "mkdir $d"
	done
}

pt_init
SHIPPED=$PORTIER_DEFAULT_REGISTRY
LOCAL=$PORTIER_DEFAULT_REGISTRY_DIR
if [ -d "$LOCAL" ] && [ -z "$(ls -A "$LOCAL")" ]; then
	cover "$(dirname "$SHIPPED")"
else
	cover "$(dirname "$SHIPPED")" "$LOCAL"
fi
cp "$REGISTRY" "$SHIPPED" || pt_error "cp $SHIPPED"
chmod 755 "$LOCAL"
set -- $(pt_ports 2)
P1=$1 P2=$2
printf 'pt-local %s/tcp ptl # a local name\n' "$P1" > "$LOCAL/local.db"
printf 'pt-ghost %s/tcp\n' "$P2" > "$LOCAL/local.db~"
printf 'pt-ghost %s/tcp\n' "$P2" > "$LOCAL/local.db.dpkg-old"

# lookup: the shipped names and the local ones, not the leftovers'.
out=$("$PORTIERCTL" lookup ssh) || pt_fail "lookup ssh (shipped) failed"
echo "$out" | grep -Eq '^ssh +22/tcp ' || pt_fail "lookup ssh: $out"
out=$("$PORTIERCTL" lookup ptl) || pt_fail "lookup of a local alias failed"
echo "$out" | grep -Eq "^pt-local +$P1/tcp +[a-z-]+ +ptl +a local name\$" ||
	pt_fail "lookup ptl: $out"
"$PORTIERCTL" lookup pt-ghost > /dev/null 2>&1 && pt_fail "a leftover (local.db~) was read"
out=$("$PORTIERCTL" lookup --json pt-local) || pt_fail "lookup --json"
echo "$out" | grep -Fq "\"$LOCAL/local.db\"" || pt_fail "lookup --json: not from local.db: $out"

# A service named by the local registry, without `port`.
pt_conf pt-local <<CONF
service pt-local {
	socket_type = stream
	protocol = tcp
	wait = no
	bind = { "127.0.0.1" }
	server = "/bin/echo"
	server_args = { "local" }
}
CONF
"$PORTIERCTL" check -c "$PT_CONFD" > "$PT_DIR/check.out" 2>&1 ||
	pt_fail "check failed: $(cat "$PT_DIR/check.out")"
grep -q "^pt-local 127.0.0.1:$P1/tcp " "$PT_DIR/check.out" || pt_fail "check: $(cat "$PT_DIR/check.out")"
# --json: the search's warning about a file that is no registry (README) is
# in the document, and stderr stays empty.
printf 'local port names\n' > "$LOCAL/README"
for cmd in check list; do
	"$PORTIERCTL" $cmd --json -c "$PT_CONFD" > "$PT_DIR/$cmd.json" 2> "$PT_DIR/$cmd.err" ||
		pt_fail "$cmd --json"
	[ ! -s "$PT_DIR/$cmd.err" ] || pt_fail "$cmd --json wrote to stderr: $(cat "$PT_DIR/$cmd.err")"
	python3 - "$PT_DIR/$cmd.json" "$LOCAL/README" <<'PY' || pt_fail "$cmd --json's diagnostics"
import json, sys
doc = json.load(open(sys.argv[1]))
assert any(d["level"] == "warning" and d["text"].startswith(sys.argv[2] + ":")
           for d in doc["diagnostics"]), doc["diagnostics"]
assert doc["warnings"] >= 1, doc
PY
done
python3 - "$PT_DIR/check.json" "$SHIPPED" "$LOCAL/local.db" <<'PY' || pt_fail "check --json's registries"
import json, sys
doc = json.load(open(sys.argv[1]))
assert doc["registries"] == sys.argv[2:], doc["registries"]
PY
"$PORTIERD" --check -c "$PT_CONFD" > "$PT_DIR/check.out" 2>&1 ||
	pt_fail "portierd --check failed: $(cat "$PT_DIR/check.out")"

: > "$PT_LOG"
"$PORTIERD" -f -c "$PT_CONFD" --control-socket "$PT_DIR/control" >> "$PT_LOG" 2>&1 &
PT_PID=$!
pt_wait_log started || pt_fail "portierd did not start"
out=$($PT_CLIENT tcp 127.0.0.1 "$P1") || pt_fail "pt-local does not answer on $P1"
[ "$out" = local ] || pt_fail "pt-local said '$out'"

# A new local file and a service using it: a reload reads both.
printf 'pt-more %s/tcp\n' "$P2" > "$LOCAL/more.db"
pt_conf pt-more <<CONF
service pt-more {
	socket_type = stream
	protocol = tcp
	wait = no
	bind = { "127.0.0.1" }
	server = "/bin/echo"
	server_args = { "more" }
}
CONF
kill -HUP "$PT_PID"
pt_wait_log 'reload: generation' || pt_fail "no reload"
out=$($PT_CLIENT tcp 127.0.0.1 "$P2") || pt_fail "pt-more (services.d/more.db) does not answer"
[ "$out" = more ] || pt_fail "pt-more said '$out'"

# StrictModes: the files of a services.d that others may write are refused,
# as portierctl check says.
chmod o+w "$LOCAL"
kill -HUP "$PT_PID"
pt_wait_log 'reload failed' || pt_fail "a world-writable services.d was accepted"
pt_assert_grep "$LOCAL: writable by others" "$PT_LOG" "no reason given"
! "$PORTIERCTL" check -c "$PT_CONFD" > "$PT_DIR/check.out" 2>&1 ||
	pt_fail "check accepts a world-writable services.d"
pt_assert_grep "$LOCAL: writable by others" "$PT_DIR/check.out" "check gives no reason"
chmod o-w "$LOCAL"
pt_answers_local=$($PT_CLIENT tcp 127.0.0.1 "$P1") && [ "$pt_answers_local" = local ] ||
	pt_fail "pt-local stopped after a refused reload"
pt_stop || pt_fail "portierd exited with $?"
