#!/bin/sh
# SPDX-License-Identifier: ISC
# A build without libsystemd (configure --without-systemd) says so and never
# pretends: --version lists -systemd -journal; LISTEN_FDS is warned about and
# not used (portierd binds its own sockets); `log = journal` is warned about
# and stderr is used; nothing is sent to NOTIFY_SOCKET. SKIP in a build with
# libsystemd (the sd_*.sh tests cover that one).
. "${top_srcdir:-../..}/tests/lib/lib.sh"
pt_init

"$PORTIERD" --version > "$PT_DIR/version" || pt_fail "--version failed"
grep -q '^features:.*+systemd' "$PT_DIR/version" && pt_skip "this build has systemd support"
pt_assert_grep '^features: -systemd -journal$' "$PT_DIR/version" "--version does not list the features"

set -- $(pt_ports 1)
PORT=$1
pt_internal echo echo "$PORT"
pt_conf log <<CONF
defaults {
	log = journal
}
CONF
SOCK="$PT_DIR/notify"
MSGS="$PT_DIR/messages"
: > "$MSGS"
pt_bg python3 "$top_srcdir/tests/sd/notify_recv.py" "$SOCK" "$MSGS" 30
pt_wait_until '[ -S "$SOCK" ]' || pt_error "the notify receiver did not start"

export LISTEN_FDS=1 LISTEN_PID=1 NOTIFY_SOCKET="$SOCK"
pt_start
unset LISTEN_FDS LISTEN_PID NOTIFY_SOCKET
pt_assert_grep "LISTEN_FDS is set, but this portierd was built without systemd support: the sockets passed are not used" \
	"$PT_LOG" "LISTEN_FDS was not warned about"
pt_assert_grep "log = journal: this portierd was built without systemd support; logging to stderr instead" \
	"$PT_LOG" "log = journal was not warned about"
out=$($PT_CLIENT tcp 127.0.0.1 "$PORT" bound-itself) || pt_fail "the service does not answer"
[ "$out" = bound-itself ] || pt_fail "answer '$out'"
pt_wait_log "echo: (end|served) internal" || pt_fail "lines after the warning did not go to stderr"
pt_stop || pt_fail "portierd exited with status $?"
sleep 0.3
[ -s "$MSGS" ] && { cat "$MSGS" >&2; pt_fail "something was sent to NOTIFY_SOCKET"; }
exit 0
