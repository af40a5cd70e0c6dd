#!/bin/sh
# SPDX-License-Identifier: ISC
# Faults that must not make portierd spin. Out of descriptors: with
# RLIMIT_NOFILE lowered (prlimit) accept() fails with EMFILE; portierd stops
# watching the listener for a short back-off, uses next to no CPU, and serves
# the queued connections once descriptors are available again. Out of
# processes (root only: portierd runs as nobody with RLIMIT_NPROC at 1, as
# root is exempt from it):
# clone() fails with EAGAIN; the connection is refused, the failure logged
# once, the listener rests, and service resumes when processes are allowed.
. "${top_srcdir:-../..}/tests/lib/lib.sh"
pt_init
ACCESS="python3 $top_srcdir/tests/lib/access.py"
command -v prlimit >/dev/null || pt_skip "prlimit (util-linux) is needed"
# CPU seconds portierd may use over a 3-second fault: spinning uses them all.
MAX_CPU=0.3

PORT=$(pt_ports 1)
pt_conf defaults <<CONF
defaults {
	control_socket = ""
}
CONF
pt_tcp_service echo "$PORT" /bin/echo '"served"'

# fault NAME FIX-COMMAND...: 6 connections over 3 s, then the fix
fault() {
	name=$1
	shift
	$ACCESS fault 127.0.0.1 "$PORT" "$PT_PID" 3 6 "$@" > "$PT_DIR/$name.out" ||
		pt_fail "$name: client failed"
	cat "$PT_DIR/$name.out"
	cpu=$(sed -n 's/^cpu \([0-9.]*\) s.*/\1/p' "$PT_DIR/$name.out")
	awk "BEGIN { exit !($cpu <= $MAX_CPU) }" ||
		pt_fail "$name: portierd used $cpu s of CPU in 3 s"
	set -- $(sed -n 's/^served \([0-9]*\) refused \([0-9]*\)$/\1 \2/p' "$PT_DIR/$name.out")
	SERVED=$1 REFUSED=$2
}

soft_limit() {	# RESOURCE [AS]
	${2:-} prlimit --pid "$PT_PID" "--$1" --output SOFT --noheadings | tr -d ' '
}

# ---- EMFILE ----
pt_start
nofile=$(soft_limit nofile)
# the lowest free descriptor number: the next accept() would get it
free=$(python3 -c 'import os, sys
used = {int(f) for f in os.listdir("/proc/%s/fd" % sys.argv[1])}
print(min(set(range(len(used) + 1)) - used))' "$PT_PID")
prlimit --pid "$PT_PID" --nofile="$free:" || pt_error "prlimit --nofile"
fault emfile prlimit --pid "$PT_PID" --nofile="$nofile:"
[ "$SERVED" -eq 6 ] || pt_fail "emfile: $SERVED of 6 queued connections served after recovery"
pt_assert_grep 'echo: accept on 127\.0\.0\.1:[0-9]+/tcp \(retrying in [0-9]+ ms\): Too many open files' \
	"$PT_LOG" "EMFILE not logged"
n=$(grep -c 'echo: accept on' "$PT_LOG")
[ "$n" -eq 1 ] || pt_fail "EMFILE logged $n times in 3 s (once per interval expected)"
pt_stop || pt_fail "portierd exit status on SIGTERM"

# ---- clone() failure ----
[ "$(id -u)" -eq 0 ] || { echo "clone failure part skipped: needs root"; exit 0; }
command -v setpriv >/dev/null || { echo "clone failure part skipped: no setpriv"; exit 0; }
id nobody >/dev/null 2>&1 || { echo "clone failure part skipped: no user nobody"; exit 0; }
# portierd and the prlimit calls run as nobody: a process may change the
# soft limits of another with its own uid and gid, no capability needed.
AS_NOBODY="setpriv --reuid=nobody --regid=$(id -g nobody) --clear-groups --"
printf '#!/bin/sh\nexec %s "%s" "$@"\n' "$AS_NOBODY" "$PORTIERD" > "$PT_DIR/as-nobody"
chmod 755 "$PT_DIR/as-nobody"
REAL_PORTIERD=$PORTIERD
PORTIERD="$PT_DIR/as-nobody"
pt_start
PORTIERD=$REAL_PORTIERD
[ "$(stat -c %u "/proc/$PT_PID")" -eq "$(id -u nobody)" ] || pt_error "portierd is not nobody"
nproc=$(soft_limit nproc "$AS_NOBODY")
# portierd is one process of nobody's already: no clone() can succeed
$AS_NOBODY prlimit --pid "$PT_PID" --nproc=1: || pt_error "prlimit --nproc"
[ -n "$nproc" ] || pt_error "cannot read portierd's RLIMIT_NPROC"
fault clone $AS_NOBODY prlimit --pid "$PT_PID" --nproc="$nproc:"
[ "$REFUSED" -ge 1 ] || pt_fail "clone: no connection was refused while clone() failed"
[ "$SERVED" -ge 1 ] || pt_fail "clone: nothing served after processes were allowed again"
[ $((SERVED + REFUSED)) -eq 6 ] || pt_fail "clone: $SERVED served + $REFUSED refused != 6"
pt_assert_grep 'echo: cannot start /bin/echo: clone: Resource temporarily unavailable' \
	"$PT_LOG" "clone failure not logged"
n=$(grep -c 'echo: cannot start' "$PT_LOG")
[ "$n" -eq 1 ] || pt_fail "clone failure logged $n times in 3 s (once per interval expected)"
out=$($ACCESS conn 127.0.0.1 "$PORT") || pt_fail "connection after recovery"
[ "$out" = served ] || pt_fail "after recovery: '$out'"
[ "$(pt_wait_zombies)" -eq 0 ] || pt_fail "zombie children left"
pt_stop || pt_fail "portierd exit status on SIGTERM"
exit 0
