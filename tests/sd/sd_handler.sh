#!/bin/sh
# SPDX-License-Identifier: ISC
# activation = systemd: handlers get their socket the way sd_listen_fds(3)
# expects (fd 3, LISTEN_FDS=1, LISTEN_PID = the handler's own pid,
# LISTEN_FDNAMES = the service id, /dev/null on 0-2, nothing else open).
# tests/sd/sdhandler.c, linked with libsystemd, checks all of it from the
# inside: nowait (the connection, like Accept=yes), wait TCP (the listening
# socket: it accepts by itself) and wait UDP. The mechanism is only
# descriptors and variables, so it works in a build without libsystemd too: a
# Python handler checks the same contract by hand in every build, sdhandler
# runs when the build has libsystemd.
. "${top_srcdir:-../..}/tests/lib/lib.sh"
pt_init

set -- $(pt_ports 4)
NOWAIT=$1 WTCP=$2 WUDP=$3 PY=$4

# The contract read by hand, without libsystemd. Debian's Python: the
# handler runs as nobody, who may not read a python3 under /root (pyenv).
PY3=/usr/bin/python3
[ -x "$PY3" ] || pt_error "/usr/bin/python3 is needed (package python3)"
PYCHECK='import os, socket, stat
e = os.environ
bad = []
if e.get("LISTEN_PID") != str(os.getpid()): bad.append("LISTEN_PID=%s pid=%d" % (e.get("LISTEN_PID"), os.getpid()))
if e.get("LISTEN_FDS") != "1": bad.append("LISTEN_FDS=%s" % e.get("LISTEN_FDS"))
if e.get("LISTEN_FDNAMES") != e.get("SERVICE"): bad.append("LISTEN_FDNAMES=%s" % e.get("LISTEN_FDNAMES"))
for fd in 0, 1, 2:
    st = os.fstat(fd)
    if not stat.S_ISCHR(st.st_mode) or st.st_rdev != os.makedev(1, 3): bad.append("fd %d is not /dev/null" % fd)
s = socket.socket(fileno=3)
if s.type != socket.SOCK_STREAM: bad.append("fd 3 is not a stream")
s.sendall(("FAIL: " + ", ".join(bad) if bad else "py ok").encode())'
pt_tcp_service py-nowait "$PY" "$PY3" \
	"\"-c\", \"$(printf '%s' "$PYCHECK" | sed 's/\\/\\\\/g; s/"/\\"/g')\"" 'activation = systemd'

SDH="$top_builddir/tests/sd/sdhandler"
if [ ! -x "$SDH" ]; then
	# No libsystemd: only the hand-written check.
	pt_start
	out=$($PT_CLIENT tcp 127.0.0.1 "$PY") || pt_fail "python handler: no answer"
	[ "$out" = "py ok" ] || pt_fail "python handler: '$out'"
	pt_stop || pt_fail "portierd exited with status $?"
	exit 0
fi

sd_service() {	# ID KIND PORT MODE
	pt_service "$1" "$2" "$3" "$SDH" "\"$4\"" 'activation = systemd' 'env = { "LISTEN_PID=1" }'
}
sd_service sd-nowait tcp "$NOWAIT" nowait
sd_service sd-wait-tcp tcp-wait "$WTCP" wait-tcp
sd_service sd-wait-udp udp "$WUDP" wait-udp
pt_start
pt_assert_grep "sd-nowait: LISTEN_PID is set by portierd" "$PT_LOG" \
	"a configured LISTEN_PID was not refused"

for i in 1 2; do
	out=$($PT_CLIENT tcp 127.0.0.1 "$NOWAIT") || pt_fail "nowait: no answer"
	case $out in
	"ok nowait pid="[0-9]*) ;;
	*) pt_fail "nowait handler: '$out'" ;;
	esac
	out=$($PT_CLIENT tcp 127.0.0.1 "$WTCP") || pt_fail "wait TCP: no answer"
	case $out in
	"ok wait-tcp pid="[0-9]*) ;;
	*) pt_fail "wait TCP handler: '$out'" ;;
	esac
	pt_wait_count "sd-wait-tcp: exit" "$i" || pt_fail "the wait TCP handler did not exit"
	out=$($PT_CLIENT udp 127.0.0.1 "$WUDP" "ping-$i") || pt_fail "wait UDP: no answer"
	case $out in
	"ok wait-udp pid="[0-9]*" ping-$i") ;;
	*) pt_fail "wait UDP handler: '$out'" ;;
	esac
	pt_wait_count "sd-wait-udp: exit" "$i" || pt_fail "the wait UDP handler did not exit"
done
out=$($PT_CLIENT tcp 127.0.0.1 "$PY") || pt_fail "python handler: no answer"
[ "$out" = "py ok" ] || pt_fail "python handler: '$out'"
pt_wait_count "sd-nowait: exit.*status 0" 2 || pt_fail "nowait handlers did not exit with 0"
grep -q "status [^0]" "$PT_LOG" && pt_fail "a handler failed"
[ "$(pt_wait_zombies)" -eq 0 ] || pt_fail "zombies left"
pt_stop || pt_fail "portierd exited with status $?"
exit 0
