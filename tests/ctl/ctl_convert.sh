#!/bin/bash
# SPDX-License-Identifier: ISC
# convert.sh: portierctl convert as a command: the realistic xinetd.d files
# and inetd.conf samples of tests/ctl/convert converted to standard output and to
# a directory and loaded; files never overwritten without --force; warnings
# with FILE:LINE; exit status 0, 1 (input or result invalid), 2 (usage).
. "${top_srcdir:-../..}/tests/lib/lib.sh"
pt_init

CTL=${PORTIERCTL:-$top_builddir/sbin/portierctl}
DATA="$top_srcdir/tests/ctl/convert"
OUT="$PT_DIR/out"
ERR="$PT_DIR/err"

run() {
	"$CTL" convert "$@" -r "$REGISTRY" > "$OUT" 2> "$ERR"
}

expect() {
	local want=$1 got
	shift
	run "$@"
	got=$?
	[ "$got" -eq "$want" ] || { cat "$ERR" >&2; pt_fail "convert $*: exit $got, not $want"; }
}

# xinetd.conf with its defaults and includedir, to standard output
expect 0 --from-xinetd "$DATA/xinetd.conf" --no-host-checks
pt_assert_grep '^# file: xinetd-00-defaults.conf$' "$OUT" "no defaults file"
pt_assert_grep '^service "xinetd-rsync" \{$' "$OUT" "rsync missing"
pt_assert_grep '^service "xinetd-tftp/udp" \{$' "$OUT" "tftp missing"
pt_assert_grep '^	name = "tftp"$' "$OUT" "a prefixed id without its name"
pt_assert_grep '^# service "xinetd-ftp-sensor" \{$' "$OUT" "the SENSOR service is not a comment"
pt_assert_grep '19 services converted, 1 kept as comments only' "$ERR" "wrong count"
pt_assert_grep 'the result loads: 19 services' "$ERR" "the result does not load"
pt_assert_grep 'xinetd.d/ftp:14: warning: service ftp: no_access = 10.0.0.66 .badguys.example' \
	"$ERR" "a lost attribute is not named with FILE:LINE"
pt_assert_grep 'xinetd.d/http-forward:10: warning: .*redirect' "$ERR" "redirect not warned about"

# one directory of xinetd.d files, into a directory
expect 0 --from-xinetd "$DATA/xinetd.d" --no-host-checks --out "$PT_DIR/conf.x"
[ "$(ls "$PT_DIR/conf.x" | wc -l)" -eq 20 ] || pt_fail "expected 20 files: $(ls "$PT_DIR/conf.x")"
[ ! -s "$OUT" ] || pt_fail "--out also wrote to standard output"
pt_assert_grep '^	server_args = \{ "daemon", "--inetd", "--export-all", "--base-path=/srv/git", "/srv/git" \}$' \
	"$PT_DIR/conf.x/xinetd-git.conf" "git daemon's arguments"
pt_assert_grep '^	only_from = \{ "10.0.0.0/8", "192.168.1.10", "192.168.1.11", "192.168.1.12", "127.0.0.1" \}$' \
	"$PT_DIR/conf.x/xinetd-mysqlchk.conf" "the health check's only_from"
pt_assert_grep 'had no instances or per_source limit' "$ERR" "xinetd's unlimited default not reported"

# never overwrite: nothing is written, the existing file stays as it was
echo "# mine" > "$PT_DIR/conf.x/xinetd-rsync.conf"
rm "$PT_DIR/conf.x/xinetd-git.conf"
expect 1 --from-xinetd "$DATA/xinetd.d" --no-host-checks --out "$PT_DIR/conf.x"
pt_assert_grep 'xinetd-rsync.conf exists \(--force replaces it\)' "$ERR" "the clash is not named"
pt_assert_grep 'nothing written' "$ERR" "no word that nothing was written"
[ "$(cat "$PT_DIR/conf.x/xinetd-rsync.conf")" = "# mine" ] || pt_fail "rsync.conf was overwritten"
[ ! -e "$PT_DIR/conf.x/xinetd-git.conf" ] || pt_fail "git.conf was written despite the clash"
expect 0 --from-xinetd "$DATA/xinetd.d" --no-host-checks --out "$PT_DIR/conf.x" --force
pt_assert_grep 'server = "/usr/bin/rsync"' "$PT_DIR/conf.x/xinetd-rsync.conf" "--force did not replace"

# issue 19: --force replaced the target of a symlink planted in DIR; now the
# link itself is replaced, and without --force it is refused
echo "secret" > "$PT_DIR/target"
rm "$PT_DIR/conf.x/xinetd-rsync.conf"
ln -s "$PT_DIR/target" "$PT_DIR/conf.x/xinetd-rsync.conf"
expect 1 --from-xinetd "$DATA/xinetd.d" --no-host-checks --out "$PT_DIR/conf.x"
pt_assert_grep 'xinetd-rsync.conf exists and is a symbolic link' "$ERR" "the planted link is not named"
[ -L "$PT_DIR/conf.x/xinetd-rsync.conf" ] || pt_fail "the link was replaced without --force"
expect 0 --from-xinetd "$DATA/xinetd.d" --no-host-checks --out "$PT_DIR/conf.x" --force
[ "$(cat "$PT_DIR/target")" = "secret" ] || pt_fail "--force wrote through a symlink"
[ -f "$PT_DIR/conf.x/xinetd-rsync.conf" ] && [ ! -L "$PT_DIR/conf.x/xinetd-rsync.conf" ] ||
	pt_fail "the symlink was not replaced by a file"
[ "$(stat -c %a "$PT_DIR/conf.x/xinetd-rsync.conf")" = 644 ] || pt_fail "not mode 0644"
[ -z "$(ls -A "$PT_DIR/conf.x" | grep -v '^xinetd-.*\.conf$')" ] || pt_fail "files left behind"
rm "$PT_DIR/conf.x/xinetd-git.conf"
mkfifo "$PT_DIR/conf.x/xinetd-git.conf"
expect 1 --from-xinetd "$DATA/xinetd.d" --no-host-checks --out "$PT_DIR/conf.x" --force
pt_assert_grep 'xinetd-git.conf exists and is not a regular file: never replaced' "$ERR" \
	"a FIFO at a name is not refused"

# issue 18: converted into a conf.d that ships the examples (telnet.conf:
# service telnet, disabled), the prefix keeps file names and ids apart
for from in "xinetd:$DATA/xinetd.d" "inetd:$DATA/inetd.conf"; do
	dir="$PT_DIR/shipped-${from%%:*}"
	mkdir "$dir"
	cp "$top_srcdir"/conf.d/*.conf "$dir"
	expect 0 --from-${from%%:*} "${from#*:}" --no-host-checks --out "$dir"
	pt_assert_grep 'the result loads' "$ERR" "${from%%:*}: does not load next to the examples"
	[ -s "$dir/${from%%:*}-telnet.conf" ] || pt_fail "no ${from%%:*}-telnet.conf"
	pt_assert_grep '^	name = "telnet"$' "$dir/${from%%:*}-telnet.conf" "telnet's name not kept"
	cmp -s "$dir/telnet.conf" "$top_srcdir/conf.d/telnet.conf" || pt_fail "telnet.conf changed"
done
# --prefix '' for none, another prefix, or an invalid one
expect 0 --from-inetd "$DATA/inetd.conf" --no-host-checks --prefix ''
pt_assert_grep '^# file: telnet.conf$' "$OUT" "--prefix '' still prefixes"
pt_assert_grep '^service "telnet" \{$' "$OUT" "--prefix '' still prefixes the id"
expect 0 --from-inetd "$DATA/inetd.conf" --no-host-checks --prefix old-
pt_assert_grep '^# file: old-telnet.conf$' "$OUT" "--prefix old- not used"
expect 2 --from-inetd "$DATA/inetd.conf" --prefix ../
expect 2 --from-inetd "$DATA/inetd.conf" --prefix .hidden

# issue 19: the update-inetd mark alone on a line crashed the converter
printf '#<off># \necho stream tcp nowait root internal\n' > "$PT_DIR/off.conf"
expect 0 --from-inetd "$PT_DIR/off.conf" --no-host-checks
pt_assert_grep '1 service converted' "$ERR" "the entry after the mark is lost"

# issue 19: a file that includes itself six times never finished
mkdir "$PT_DIR/loop"
for i in 1 2 3 4 5 6; do echo "include self.conf"; done > "$PT_DIR/loop/self.conf"
timeout 20 "$CTL" convert --from-xinetd "$PT_DIR/loop/self.conf" -r "$REGISTRY" > "$OUT" 2> "$ERR"
rc=$?
[ $rc -eq 1 ] || pt_fail "include cycle: exit $rc, not 1"
[ "$(grep -c 'include cycle' "$ERR")" -eq 1 ] || pt_fail "not one error for the cycle: $(cat "$ERR")"
pt_assert_grep 'self.conf:1: include cycle: .*self.conf -> .*self.conf' "$ERR" "the cycle is not named"

# Debian's inetd.conf as update-inetd writes it
expect 0 --from-inetd "$DATA/inetd.conf" --no-host-checks --out "$PT_DIR/conf.i"
pt_assert_grep '18 services converted, 1 kept as comments only' "$ERR" "wrong inetd count"
pt_assert_grep 'inetd.conf:26: warning: service telnet: server tcpd' "$ERR" "tcpd not warned about"
pt_assert_grep '^	disable = yes$' "$PT_DIR/conf.i/inetd-ftp.conf" "#<off># entry not disabled"
pt_assert_grep '^	server = "/usr/sbin/in.telnetd"$' "$PT_DIR/conf.i/inetd-telnet.conf" "tcpd not replaced"

# issue 17: OpenBSD's unix-domain lines become unix services, a datagram
# one comments with the reason
expect 0 --from-inetd "$DATA/inetd-unix.conf" --no-host-checks --out "$PT_DIR/conf.u"
pt_assert_grep '3 services converted, 1 kept as comments only' "$ERR" "wrong unix count"
pt_assert_grep 'the result loads: 3 services' "$ERR" "the unix services do not load"
pt_assert_grep '^	bind = \{ "unix:/var/run/backup.sock" \}$' "$PT_DIR/conf.u/inetd-backup.conf" \
	"no unix bind"
pt_assert_grep '^	socket_mode = "0666"$' "$PT_DIR/conf.u/inetd-backup.conf" "not inetd's mode"
pt_assert_grep '^	wait = yes$' "$PT_DIR/conf.u/inetd-spool.conf" "wait lost"
pt_assert_grep 'inetd-unix.conf:5: warning: service log: dgram on a unix socket' "$ERR" \
	"the dgram socket is not named"
pt_assert_grep '^# service "inetd-log" \{$' "$PT_DIR/conf.u/inetd-log.conf" "dgram not comments"

# inetd.conf lines inetd rejects: converted as far as possible, exit 1
expect 1 --from-inetd "$DATA/inetd-hosts.conf" --no-host-checks
pt_assert_grep 'inetd-hosts.conf:14: syntax error' "$ERR" "the short line is not reported"
pt_assert_grep 'inetd-hosts.conf:15: internal service whois unknown' "$ERR" "whois not reported"
pt_assert_grep '^	bind = \{ "10.0.0.1", "10.0.0.2" \}$' "$OUT" "host list not converted"

# validated as portierctl check would: a handler that is not there
mkdir "$PT_DIR/xin"
# (not root, naming another user is an error of its own: name ours then)
user_line="\\tuser = $(id -un)\\n"
[ "$(id -u)" -eq 0 ] && user_line="\\tuser = nobody\\n"
printf "service mine\\n{\\n\\ttype = UNLISTED\\n\\tport = 9000\\n\\tsocket_type = stream\\n\\twait = no\\n${user_line}\\tserver = %s\\n}\\n" \
	"$PT_DIR/no-such-handler" > "$PT_DIR/xin/mine"
expect 1 --from-xinetd "$PT_DIR/xin"
pt_assert_grep "no-such-handler: No such file" "$ERR" "a missing server is not found"
pt_assert_grep 'the result does not load: 1 error' "$ERR" "validation failure not summed up"
printf "service mine\\n{\\n\\ttype = UNLISTED\\n\\tport = 9000\\n\\tsocket_type = stream\\n\\twait = no\\n${user_line}\\tserver = %s\\n}\\n" \
	"$PT_HANDLER" > "$PT_DIR/xin/mine"
expect 0 --from-xinetd "$PT_DIR/xin"

# usage
expect 2
expect 2 --from-xinetd a --from-inetd b
expect 2 --from-xinetd "$DATA/xinetd.d" --force
expect 2 --from-xinetd "$DATA/xinetd.d" --bogus
expect 2 --from-xinetd
expect 1 --from-inetd "$PT_DIR/nonexistent"
pt_assert_grep 'nonexistent: No such file or directory' "$ERR" "missing file not reported"
"$CTL" convert --help | grep -q -- '--from-xinetd PATH' || pt_fail "--help"
exit 0
