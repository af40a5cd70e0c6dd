#!/bin/sh
# SPDX-License-Identifier: ISC
# What a service's settings do to its handler: umask, nice, rlimit_files,
# no_new_privileges, and the banners; as root also `groups` and `chroot`
# (the handler and its libraries copied into a directory of the test).
# portierd runs 5 below the nice value it was started with when it may
# (root, CAP_SYS_NICE); a handler without `nice` gets the value portierd
# was started with.
# Descriptors that portierd itself inherited never reach a handler.
. "${top_srcdir:-../..}/tests/lib/lib.sh"
pt_init

set -- $(pt_ports 5)
LIMITS=$1 BANNER=$2 CHROOT=$3 PLAIN=$4 MANY=$5
printf 'hello banner\n' > "$PT_DIR/banner"
printf 'welcome\n' > "$PT_DIR/banner_ok"
chmod 644 "$PT_DIR/banner" "$PT_DIR/banner_ok"
EXTRA=
[ "$(id -u)" -eq 0 ] && getent group adm > /dev/null && EXTRA='groups = {"adm"}'

pt_tcp_service limits "$LIMITS" "$PT_HANDLER" '"report"' 'umask = 027' 'nice = 7' \
	'rlimit_files = 77' 'no_new_privileges = yes' "$EXTRA"
pt_tcp_service plain "$PLAIN" "$PT_HANDLER" '"report"'
pt_tcp_service many "$MANY" /bin/sleep '"5"' 'instances = UNLIMITED' \
	'per_source = UNLIMITED' 'cps = { 0, 0 }'
pt_tcp_service banner "$BANNER" /bin/echo '"from the handler"' \
	"banner = \"$PT_DIR/banner\"" "banner_success = \"$PT_DIR/banner_ok\""

JAIL="$PT_DIR/jail"
if [ "$(id -u)" -eq 0 ]; then
	# the handler and every library it needs, at the same paths
	mkdir -p "$JAIL/bin"
	cp "$PT_HANDLER" "$JAIL/bin/handler"
	: > "$JAIL/PORTIER_JAIL"
	for lib in $(ldd "$PT_HANDLER" | grep -o '/[^ ]*'); do
		mkdir -p "$JAIL$(dirname "$lib")"
		cp "$lib" "$JAIL$lib"
	done
	pt_tcp_service jailed "$CHROOT" /bin/handler '"report"' "chroot = \"$JAIL\""
fi

# a descriptor portierd inherits (fd 7) must not reach handlers
exec 7> "$PT_DIR/leak"
pt_start
exec 7>&-

R="$PT_DIR/report.out"
$PT_CLIENT tcp 127.0.0.1 "$LIMITS" > "$R" || pt_fail "connection"
expect() { pt_assert_grep "$1" "$R" "limits: expected '$1'"; }
expect '^umask=027$'
expect '^nice=7$'
expect '^nofile=77/77$'
expect '^NoNewPrivs=1$'
expect '^fds=0,1,2,$'
if [ -n "$EXTRA" ]; then
	expect "^groups=.*\\b$(getent group adm | cut -d: -f3),"
fi

# started with the test's nice value, which the handler without `nice` gets
START_NICE=$(nice)
$PT_CLIENT tcp 127.0.0.1 "$PLAIN" > "$R" || pt_fail "connection"
expect "^nice=$START_NICE\$"
# portierd's own: 5 lower when the test may lower a nice value (root or
# CAP_SYS_NICE: GNU nice(1) runs the command at the old value otherwise)
own=$(ps -o ni= -p "$PT_PID" | tr -d ' ')
want=$START_NICE
if [ "$(nice -n -1 nice 2>/dev/null)" = "$((START_NICE - 1))" ]; then
	want=$((START_NICE - 5))
	[ "$want" -lt -20 ] && want=-20
fi
[ "$own" = "$want" ] || pt_fail "portierd's nice value: $own, expected $want"

# 64 handlers or more running: each has a pidfd, which portierd keeps in
# the upper half of its descriptor table, and a new handler shares that
# table until its first step copies the part below its connection
# (CLONE_FILES, close_range(CLOSE_RANGE_UNSHARE)). It still gets 0, 1 and 2
# only.
python3 -c 'import socket, sys
for _ in range(70):
    socket.create_connection(("127.0.0.1", int(sys.argv[1])), 5).close()' "$MANY" ||
	pt_fail "70 connections to many"
pt_wait_until '[ "$(ps --ppid "$PT_PID" -o pid= | wc -l)" -ge 70 ]' 10 ||
	pt_fail "70 handlers of many running: $(ps --ppid "$PT_PID" -o pid= | wc -l)"
$PT_CLIENT tcp 127.0.0.1 "$PLAIN" > "$R" || pt_fail "connection with 70 handlers running"
expect '^fds=0,1,2,$'
expect "^nice=$START_NICE\$"
# the pidfds are in the upper half of portierd's soft descriptor limit
soft=$(awk '/^Max open files/ { print $4 }' "/proc/$PT_PID/limits")
low=$(ls -l "/proc/$PT_PID/fd" | awk -v half=$((soft / 2)) \
	'/pidfd/ { n++; if ($9 < half) low++ } END { print n + 0, low + 0 }')
case $low in
"0 "*) pt_fail "no pidfd with 70 handlers running" ;;
*" 0") ;;
*) pt_fail "pidfds below $((soft / 2)) (of $soft): $low" ;;
esac

out=$($PT_CLIENT tcp 127.0.0.1 "$BANNER") || pt_fail "banner connection"
[ "$out" = "hello banner
welcome
from the handler" ] || pt_fail "banners: got '$out'"

if [ "$(id -u)" -eq 0 ]; then
	$PT_CLIENT tcp 127.0.0.1 "$CHROOT" > "$R" || pt_fail "chroot connection"
	expect '^jailed=1$'
	expect '^cwd=/$'
	expect "^uid=$(id -u nobody)\$"
fi

pt_stop || pt_fail "portierd exit status"
exit 0
