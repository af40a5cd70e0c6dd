#!/bin/sh
# SPDX-License-Identifier: ISC
# log = syslog without a syslog daemon (portierd(8), LOGGING): in the
# foreground portierd says once that syslog is unavailable and logs to
# stderr; detaching, it says so on the caller's stderr before it detaches.
# With a syslog daemon on /dev/log, lines go there and nothing is said. As
# root the test runs in a private mount namespace with a /dev of its own
# (tmpfs), so the host's /dev/log is neither used nor touched; otherwise it
# needs a host without /dev/log and leaves out the syslog daemon's part.
. "${top_srcdir:-../..}/tests/lib/lib.sh"

if [ "$(id -u)" = 0 ] && [ -z "${PT_SYSLOG_NS:-}" ] &&
   unshare --mount --propagation private true 2>/dev/null; then
	PT_SYSLOG_NS=1
	export PT_SYSLOG_NS
	exec unshare --mount --propagation private /bin/sh "$0" "$@"
fi
if [ -n "${PT_SYSLOG_NS:-}" ]; then
	mount -t tmpfs -o mode=755 tmpfs /dev || pt_error "cannot mount a tmpfs on /dev"
	{ mknod -m 666 /dev/null c 1 3 && mknod -m 666 /dev/zero c 1 5 &&
	  mknod -m 666 /dev/random c 1 8 && mknod -m 666 /dev/urandom c 1 9 &&
	  ln -s /proc/self/fd /dev/fd; } || pt_error "cannot make /dev's nodes"
elif [ -e /dev/log ]; then
	pt_skip "/dev/log exists: hiding it needs root (a mount namespace)"
fi
pt_init

set -- $(pt_ports 1)
PORT=$1
pt_tcp_service lg "$PORT" /bin/echo '"logged"'
pt_conf log <<CONF
defaults {
	log = syslog
}
CONF

# 1. In the foreground: said once, then everything on stderr.
pt_start
out=$($PT_CLIENT tcp 127.0.0.1 "$PORT") || pt_fail "lg does not answer"
[ "$out" = logged ] || pt_fail "lg answered '$out'"
pt_wait_log "lg: exit pid" || pt_fail "log = syslog without syslog: the handler's exit not on stderr"
pt_stop || pt_fail "portierd exited with status $?"
n=$(grep -c "syslog unavailable (/dev/log: .*): logging to stderr instead" "$PT_LOG")
[ "$n" -eq 1 ] || pt_fail "syslog's absence said $n times, expected once"
grep -q "portierd 0.1.0 started" "$PT_LOG" || pt_fail "the start-up line is not on stderr"
grep -q "SIGTERM: shutting down" "$PT_LOG" || pt_fail "the stop line is not on stderr"

# 2. Detaching: said on the caller's stderr, before it becomes /dev/null.
ERR="$PT_DIR/detached.err"
"$PORTIERD" -c "$PT_CONFD" -r "$REGISTRY" --control-socket "" -p "$PT_DIR/pid" 2> "$ERR" ||
	pt_fail "detaching portierd failed: $(cat "$ERR")"
pid=$(cat "$PT_DIR/pid") || pt_fail "no pidfile"
PT_BG="$PT_BG $pid"
n=$(grep -c "syslog unavailable (/dev/log: .*): messages are lost until a syslog daemon" "$ERR")
[ "$n" -eq 1 ] || pt_fail "detaching: syslog's absence said $n times: $(cat "$ERR")"
out=$($PT_CLIENT tcp 127.0.0.1 "$PORT") || pt_fail "the detached portierd does not answer"
kill -TERM "$pid"
pt_wait_until '! kill -0 "$pid" 2>/dev/null' || pt_fail "the detached portierd did not stop"

# 3. With a syslog daemon on /dev/log (root, in the namespace only).
[ -n "${PT_SYSLOG_NS:-}" ] || exit 0
pt_bg python3 -c 'import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind("/dev/log")
out = open(sys.argv[1], "ab", buffering=0)
while True:
	out.write(s.recv(65536) + b"\n")' "$PT_DIR/syslog"
pt_wait_until '[ -S /dev/log ]' || pt_error "the test's syslog daemon did not start"
: > "$PT_LOG"
"$PORTIERD" -f -c "$PT_CONFD" -r "$REGISTRY" --control-socket "" >> "$PT_LOG" 2>&1 &
PT_PID=$!
pt_wait_until 'grep -q "portierd 0.1.0 started" "$PT_DIR/syslog" 2>/dev/null' ||
	pt_fail "nothing reached the syslog daemon"
pt_stop || pt_fail "portierd exited with status $?"
grep -q "syslog unavailable" "$PT_LOG" && pt_fail "syslog unavailable said with a syslog daemon"
grep -q "started" "$PT_LOG" && pt_fail "with a syslog daemon, lines went to stderr"
exit 0
