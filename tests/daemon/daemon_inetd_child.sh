#!/bin/sh
# SPDX-License-Identifier: ISC
# inetd_compat's converter runs in `portierctl inetd-entries`, the
# portierctl beside portierd's own executable, as nobody: a portierd copied
# beside a portierctl that notes who runs it, with what, then runs the real
# one, serves the entry from the child's answer; the child is nobody, with
# PATH alone in its environment and only its stdio open. Without portierctl
# a reload keeps the running services; portierd refuses to start and
# --check says the same, naming the path; a registry file that nobody
# cannot read is named with the child's reason; a child that answers garbage,
# fails, or hangs (killed after 10 s) is an error too.
. "${top_srcdir:-../..}/tests/lib/lib.sh"
[ "$(id -u)" = 0 ] || pt_skip "needs root (the converter runs as nobody)"
id nobody > /dev/null 2>&1 || pt_skip "no user nobody"
pt_init

BIN="$PT_DIR/bin" SEEN="$PT_DIR/seen" F="$PT_DIR/inetd.conf"
mkdir "$BIN" "$SEEN" && chmod 1777 "$SEEN" || pt_error "mkdir"
cp "$PORTIERD" "$BIN/portierd" || pt_error "cannot copy portierd"
PORTIERD="$BIN/portierd"
# The wrapper runs as nobody: it writes into $SEEN only, then does $1.
ctl_wrapper() {
	{
		echo '#!/bin/sh'
		echo "id -u > $SEEN/uid; id -G > $SEEN/groups; env > $SEEN/env"
		echo "echo \"\$@\" > $SEEN/args"
		echo "ls /proc/\$\$/fd > $SEEN/fds; readlink /proc/\$\$/fd/* > $SEEN/fdlinks"
		echo "$1"
	} > "$BIN/portierctl"
	chmod 755 "$BIN/portierctl"
}
ctl_wrapper "exec $PORTIERCTL \"\$@\""

set -- $(pt_ports 3)
P=$1 Q=$2 ECHO=$3
pt_echo echo "$ECHO"
printf 'defaults {\n\tinetd_compat = yes\n\tinetd_conf = "%s"\n}\n' "$F" | pt_conf 00-inetd
printf '%s\tstream\ttcp\tnowait\tnobody\t/bin/cat\tcat\n' "$P" > "$F"
pt_start_ctl
pt_answers "$P" || pt_fail "the entry the child converted does not answer"
[ "$(cat "$SEEN/uid")" = "$(id -u nobody)" ] || pt_fail "the converter ran as uid $(cat "$SEEN/uid")"
[ "$(cat "$SEEN/groups")" = "$(id -g nobody)" ] ||
	pt_fail "the converter's groups: $(cat "$SEEN/groups")"
[ "$(cat "$SEEN/args")" = "inetd-entries -r $REGISTRY $F" ] ||
	pt_fail "the converter's arguments: $(cat "$SEEN/args")"
pt_assert_grep "^PATH=/usr/sbin:/usr/bin:/sbin:/bin$" "$SEEN/env" "the child's PATH"
grep -Ev '^(PATH|PWD|SHLVL|_)=' "$SEEN/env" | grep -q . &&
	pt_fail "the child inherited environment: $(grep -Ev '^(PATH|PWD|SHLVL|_)=' "$SEEN/env")"
# 0 the memfd, 1 the pipe, 2 portierd's stderr; the shell's own script
# descriptor aside (10 and up), nothing else: no listener, no control socket.
[ "$(grep -Ec '^[3-9]$' "$SEEN/fds")" = 0 ] || pt_fail "the child has descriptors: $(cat "$SEEN/fds")"
grep -q "socket:" "$SEEN/fdlinks" && pt_fail "a socket leaked into the child: $(cat "$SEEN/fdlinks")"
pt_assert_grep "^/memfd:inetd.conf" "$SEEN/fdlinks" "the child's stdin is not the memfd"

# portierctl gone: the reload fails, says why, and changes nothing.
mv "$BIN/portierctl" "$PT_DIR/portierctl.away"
printf '%s\tstream\ttcp\tnowait\tnobody\t/bin/cat\tcat\n' "$Q" >> "$F"
pt_ctl reload > "$PT_DIR/reload" 2>&1 && pt_fail "the reload without portierctl succeeded"
pt_assert_grep "inetd_conf: cannot run $BIN/portierctl: No such file or directory" \
	"$PT_DIR/reload" "the reload does not say portierctl is missing"
pt_wait_log "inetd_conf: cannot run $BIN/portierctl" || pt_fail "the log does not say why"
pt_answers "$P" || pt_fail "the failed reload stopped the entry"
pt_answers "$ECHO" || pt_fail "the failed reload stopped conf.d's service"
pt_answers "$Q" && pt_fail "the failed reload opened the new entry"
mv "$PT_DIR/portierctl.away" "$BIN/portierctl"
pt_ctl reload > /dev/null || pt_fail "the reload with portierctl back"
pt_answers "$Q" || pt_fail "the new entry does not answer after portierctl came back"
pt_stop || pt_fail "portierd exited with an error"

# Missing or not executable: portierd refuses to start, --check too.
check_says() {
	"$PORTIERD" --check -c "$PT_CONFD" -r "$REGISTRY" > "$PT_DIR/check" 2>&1 &&
		pt_fail "--check passed: $2"
	pt_assert_grep "$1" "$PT_DIR/check" "--check: $2"
}
rm "$BIN/portierctl"
check_says "inetd_conf: cannot run $BIN/portierctl: No such file or directory" "missing"
pt_run && pt_fail "portierd started without portierctl beside it"
pt_assert_grep "inetd_conf: cannot run $BIN/portierctl: No such file or directory" "$PT_LOG" \
	"portierd does not say portierctl is missing"
ctl_wrapper "exec $PORTIERCTL \"\$@\""
chmod 644 "$BIN/portierctl"
check_says "inetd_conf: cannot run $BIN/portierctl: Permission denied" "not executable"

# A registry nobody may read: the child's reason reaches the load.
chmod 755 "$BIN/portierctl"
cp "$REGISTRY" "$PT_DIR/secret.db" && chmod 600 "$PT_DIR/secret.db" || pt_error "cp registry"
"$PORTIERD" --check -c "$PT_CONFD" -r "$PT_DIR/secret.db" > "$PT_DIR/check" 2>&1 &&
	pt_fail "--check passed with a registry nobody can read"
grep "secret.db" "$PT_DIR/check" | grep -q "Permission denied" ||
	pt_fail "--check does not say the child cannot read the registry: $(cat "$PT_DIR/check")"

# A child that fails, answers garbage, or hangs.
ctl_wrapper "exit 3"
check_says "inetd_conf: $BIN/portierctl inetd-entries: exit 3$" "exit 3"
ctl_wrapper "printf X; exit 0"
check_says "inetd_conf: the converter's answer is malformed" "garbage"
ctl_wrapper "exec sleep 60"
t0=$(date +%s)
check_says "inetd_conf: $BIN/portierctl inetd-entries: took too long, killed" "a hang"
[ $(($(date +%s) - t0)) -lt 30 ] || pt_fail "the hanging child was not killed in time"
exit 0
