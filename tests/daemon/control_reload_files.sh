#!/bin/sh
# SPDX-License-Identifier: ISC
# Reload with damaged or odd files in conf.d (issue 19): a file with a NUL
# byte, a service file whose symbolic link lost its target, a service file
# turned into a FIFO: each reload fails with FILE[:LINE], and every running
# service keeps answering. A new FIFO or dangling link is only a warning, at
# a reload as at start; a registry that is a FIFO stops nothing from
# starting with a clear error instead of blocking.
. "${top_srcdir:-../..}/tests/lib/lib.sh"
pt_init

set -- $(pt_ports 3)
KEEP=$1 TEL=$2 LATE=$3
pt_echo keep "$KEEP"
mkdir "$PT_DIR/real"
pt_echo telnet "$TEL"
mv "$PT_CONFD/telnet.conf" "$PT_DIR/real/telnet.conf"
ln -s "$PT_DIR/real/telnet.conf" "$PT_CONFD/telnet.conf"
# Present at start: a link that leads nowhere is a warning, not a refusal.
ln -s "$PT_DIR/nowhere.conf" "$PT_CONFD/gone.conf"
pt_start_ctl
pt_assert_grep "gone\.conf: warning: ignored: not a regular file \(a dangling symbolic link\)" \
	"$PT_LOG" "no warning at start for a dangling link"
pt_answers "$KEEP" || pt_fail "keep does not answer"
pt_answers "$TEL" || pt_fail "telnet does not answer"

# reload_fails REGEX MSG: a reload fails, its reply has REGEX, nothing stops.
reload_fails() {
	timeout 20 "$PORTIERCTL" -s "$PT_CTL" reload > "$PT_DIR/out" 2> "$PT_DIR/err"
	rc=$?
	[ $rc -eq 1 ] || pt_fail "$2: reload exit status $rc, expected 1"
	pt_assert_grep "$1" "$PT_DIR/err" "$2: the reply does not say why"
	pt_answers "$KEEP" || pt_fail "$2: keep stopped answering"
	pt_answers "$TEL" || pt_fail "$2: telnet stopped answering"
}

# A NUL byte (a file zero-filled after a crash): the file is refused, the
# running configuration stays, and the reply says where.
cp "$PT_CONFD/keep.conf" "$PT_DIR/keep.conf"
printf '\000\000\000\000' >> "$PT_CONFD/keep.conf"
reload_fails "keep\.conf:[0-9]+: a NUL byte" "NUL byte"
pt_ctl status > "$PT_DIR/status" || pt_fail "status"
pt_assert_grep 'last reload: FAILED' "$PT_DIR/status" "status does not show the failed reload"
cp "$PT_DIR/keep.conf" "$PT_CONFD/keep.conf"

# The link's target vanishes: an error, at each reload, until it is fixed.
mv "$PT_DIR/real/telnet.conf" "$PT_DIR/real/telnet.conf.old"
reload_fails "telnet\.conf: not a regular file \(a dangling symbolic link\), but the running configuration was read from it" \
	"dangling link"
reload_fails "telnet\.conf: not a regular file" "dangling link, again"
mv "$PT_DIR/real/telnet.conf.old" "$PT_DIR/real/telnet.conf"

# A service file made a FIFO: the same, and the reload does not block.
rm "$PT_CONFD/telnet.conf"
mkfifo "$PT_CONFD/telnet.conf"
reload_fails "telnet\.conf: not a regular file \(a FIFO\)" "FIFO"
rm "$PT_CONFD/telnet.conf"
ln -s "$PT_DIR/real/telnet.conf" "$PT_CONFD/telnet.conf"

# New odd entries are warnings: the reload goes through.
mkfifo "$PT_CONFD/new.conf"
pt_echo late "$LATE"
out=$(timeout 20 "$PORTIERCTL" -s "$PT_CTL" reload 2>&1) || pt_fail "reload with a new FIFO: $out"
pt_wait_log "new\.conf: warning: ignored: not a regular file \(a FIFO\)" ||
	pt_fail "the reload did not name the new FIFO"
pt_answers "$LATE" || pt_fail "late does not answer"
pt_answers "$TEL" || pt_fail "telnet stopped answering"
pt_stop || pt_fail "portierd exit status on SIGTERM"

# A registry that is a FIFO: refused at once, not waited on.
mkfifo "$PT_DIR/fifo.db"
rm "$PT_CONFD/new.conf"
pt_run -r "$PT_DIR/fifo.db"
rc=$?
[ $rc -eq 1 ] || pt_fail "portierd with a FIFO registry: exit status $rc (124: it blocked)"
pt_assert_grep "fifo\.db: not a regular file" "$PT_LOG" "the FIFO registry is not named"
exit 0
