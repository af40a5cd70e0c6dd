#!/bin/sh
# SPDX-License-Identifier: ISC
# The directories of portierd's run-time files are checked as StrictModes
# checks conf.d (issue 19): a pidfile in a directory that others may write
# (sticky or not), below a group-writable one, or that is itself a symbolic
# link makes portierd refuse to start with the reason; a control socket
# there is not created (one error line, portierd runs without it). As root:
# a directory or a symbolic link of another user is refused too, while
# root's own link (as /var/run -> /run) is followed.
. "${top_srcdir:-../..}/tests/lib/lib.sh"
pt_init

set -- $(pt_ports 1)
pt_internal echo echo "$1"

# refused PIDFILE REGEX WHAT: portierd -p PIDFILE exits at once, saying REGEX
refused() {
	pt_run -p "$1" && pt_fail "$3: portierd started"
	pt_assert_grep "pidfile $1: $2.*; refusing to start" "$PT_LOG" "$3: no reason given"
	grep -q "started" "$PT_LOG" && pt_fail "$3: portierd started"
	[ -e "$1" ] && pt_fail "$3: a pidfile was written"
	return 0
}

mkdir -m 777 "$PT_DIR/ww" && chmod 777 "$PT_DIR/ww" || pt_error "mkdir"
refused "$PT_DIR/ww/portierd.pid" "$PT_DIR/ww: writable by others \(fix: chmod go-w " \
	"a world-writable directory"
chmod 1777 "$PT_DIR/ww"
refused "$PT_DIR/ww/portierd.pid" "$PT_DIR/ww: writable by others" \
	"a sticky world-writable directory that holds the file"
mkdir -p "$PT_DIR/gw/sub" && chmod 775 "$PT_DIR/gw" || pt_error "mkdir"
refused "$PT_DIR/gw/sub/portierd.pid" "$PT_DIR/gw: writable by its group" \
	"a group-writable directory above"
# a directory that does not exist yet is created inside the bad one: still refused
refused "$PT_DIR/gw/new/portierd.pid" "$PT_DIR/gw: writable by its group" \
	"a new directory below a group-writable one"
mkdir "$PT_DIR/run" && ln -s "$PT_DIR/elsewhere" "$PT_DIR/run/portierd.pid" || pt_error "ln"
refused "$PT_DIR/run/portierd.pid" "$PT_DIR/run/portierd.pid: a symbolic link" \
	"a pidfile that is a symbolic link"
[ -e "$PT_DIR/elsewhere" ] && pt_fail "written through the pidfile's symbolic link"

# a sticky directory above the one that holds the file is fine (as /tmp)
mkdir -p "$PT_DIR/sticky/portier" && chmod 1777 "$PT_DIR/sticky" || pt_error "mkdir"
pt_start -p "$PT_DIR/sticky/portier/portierd.pid"
[ "$(cat "$PT_DIR/sticky/portier/portierd.pid")" = "$PT_PID" ] || pt_fail "pidfile below a sticky directory"
pt_stop || pt_fail "exit status"

# the control socket: one error, no socket, portierd serves all the same
pt_start --control-socket "$PT_DIR/ww/control"
pt_wait_log "control socket $PT_DIR/ww/control: not available: $PT_DIR/ww: writable by others" ||
	pt_fail "no error for a control socket in a world-writable directory"
[ "$(grep -c 'control socket' "$PT_LOG")" -eq 1 ] || pt_fail "more than one line about the socket"
[ -e "$PT_DIR/ww/control" ] && pt_fail "a control socket in a world-writable directory"
[ "$($PT_CLIENT tcp 127.0.0.1 "$1" ping)" = ping ] || pt_fail "echo without a control socket"
pt_stop || pt_fail "exit status"

if [ "$(id -u)" -ne 0 ] || ! id nobody > /dev/null 2>&1; then
	echo "not root (or no user nobody): other users' directories and links not checked"
	exit 0
fi
mkdir "$PT_DIR/theirs" && chown nobody "$PT_DIR/theirs" || pt_error "chown"
refused "$PT_DIR/theirs/portierd.pid" "$PT_DIR/theirs: owned by uid $(id -u nobody), not by root" \
	"a directory of nobody's"
mkdir -m 755 "$PT_DIR/real" && ln -s "$PT_DIR/real" "$PT_DIR/link" && chown -h nobody "$PT_DIR/link" ||
	pt_error "ln"
refused "$PT_DIR/link/portierd.pid" "$PT_DIR/link: a symbolic link owned by uid $(id -u nobody)" \
	"a symbolic link of nobody's"
pt_start --control-socket "$PT_DIR/link/control"
pt_wait_log "control socket $PT_DIR/link/control: not available: $PT_DIR/link: a symbolic link owned" ||
	pt_fail "no error for a control socket behind nobody's link"
[ -e "$PT_DIR/real/control" ] && pt_fail "a control socket through nobody's link"
pt_stop || pt_fail "exit status"
# root's own link is followed, and the target is checked
ln -s "$PT_DIR/real" "$PT_DIR/rootlink" || pt_error "ln"
pt_start -p "$PT_DIR/rootlink/portierd.pid" --control-socket "$PT_DIR/rootlink/control"
[ "$(cat "$PT_DIR/real/portierd.pid")" = "$PT_PID" ] || pt_fail "pidfile through root's link"
[ -S "$PT_DIR/real/control" ] || pt_fail "control socket through root's link"
pt_stop || pt_fail "exit status"
ln -s "$PT_DIR/ww" "$PT_DIR/rootlink-ww" || pt_error "ln"
refused "$PT_DIR/rootlink-ww/portierd.pid" "$PT_DIR/ww: writable by others" \
	"root's link to a world-writable directory"
exit 0
