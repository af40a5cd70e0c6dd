#!/bin/sh
# SPDX-License-Identifier: ISC
# A handler never reaches portierd's terminal. Started in the foreground from
# a terminal (here a pseudo-terminal that python3's pty module makes
# portierd's controlling terminal), portierd gives each handler a session of
# its own, so /dev/tty cannot be opened in it (no TIOCSTI into the admin's
# shell); without a terminal a process group of its own is enough
# (tests/daemon/daemon_basic.sh and daemon_life.sh check that case).
. "${top_srcdir:-../..}/tests/lib/lib.sh"
pt_init

set -- $(pt_ports 1)
REPORT=$1
pt_tcp_service report "$REPORT" "$PT_HANDLER" '"report"'

: > "$PT_LOG"
# The pty's child is a session leader with the pty as its controlling
# terminal; it execs portierd with its output in the log. The parent drains
# the terminal until portierd has gone.
python3 -c '
import os, pty, sys
pid, fd = pty.fork()
if pid == 0:
    log = os.open(sys.argv[1], os.O_WRONLY | os.O_APPEND)
    os.dup2(log, 1)
    os.dup2(log, 2)
    os.execv(sys.argv[2], sys.argv[2:])
while True:
    try:
        if not os.read(fd, 1024):
            break
    except OSError:
        break
os.waitpid(pid, 0)
' "$PT_LOG" "$PORTIERD" -f -c "$PT_CONFD" -r "$REGISTRY" --control-socket "$PT_DIR/control" &
PY=$!
PT_BG="$PT_BG $PY"
pt_wait_until 'grep -q started "$PT_LOG"' ||
	pt_fail "portierd under a terminal not ready after $PT_WAIT_MIN s: $(cat "$PT_LOG")"
PT_PID=$(pgrep -P "$PY" -x portierd) || pt_error "no portierd under the pty"
# field 7 of /proc/PID/stat: the controlling terminal (0: none)
tty_nr=$(sed 's/^.*) //' "/proc/$PT_PID/stat" | cut -d' ' -f5)
[ "$tty_nr" != 0 ] || pt_error "portierd got no controlling terminal from the pty"

R="$PT_DIR/report.out"
$PT_CLIENT tcp 127.0.0.1 "$REPORT" > "$R" || pt_fail "report connection"
pt_assert_grep '^sid_is_pid=1$' "$R" "the handler has no session of its own under a terminal"
pt_assert_grep '^tty=0$' "$R" "the handler can open portierd's terminal"

kill -TERM "$PT_PID"
pt_wait_until '! kill -0 "$PT_PID" 2>/dev/null' || pt_fail "portierd did not stop on SIGTERM"
PT_PID=
wait "$PY"
exit 0
