#!/bin/sh
# SPDX-License-Identifier: ISC
# Hardening, as root. StrictModes: portierd refuses a configuration directory,
# a service file, a directory above them or a registry that another user owns
# or may write, naming the file and the fix; --insecure-config overrides.
# The privilege steps in the child: exactly the user, group and supplementary
# groups asked for (setgroups, setgid, setuid: any other order fails), chroot
# before them (the unprivileged handler sees only its jail), and a failed step
# aborts the exec and is logged. (umask, nice, rlimits, no_new_privileges and
# descriptors: daemon_limits.sh.)
. "${top_srcdir:-../..}/tests/lib/lib.sh"
[ "$(id -u)" -eq 0 ] || pt_skip "needs root"
id nobody >/dev/null 2>&1 || pt_skip "needs the user nobody"
for g in adm audio; do getent group $g >/dev/null || pt_skip "needs the group $g"; done
pt_init
ACCESS="python3 $top_srcdir/tests/lib/access.py"

# ---- StrictModes ----
P_ECHO=$(pt_ports 1)
pt_tcp_service echo "$P_ECHO" /bin/echo

refused() {	# REGEX WHAT
	pt_run && pt_fail "portierd ran with $2"
	pt_assert_grep "$1" "$PT_LOG" "no refusal naming $2"
	pt_assert_grep 'refusing to run' "$PT_LOG" "no refusal for $2"
}
chmod g+w "$PT_CONFD"
refused "conf.d: writable by its group \(fix: chmod go-w .*conf.d, or run with --insecure-config\)" \
	"a group-writable conf.d"
pt_start --insecure-config
out=$($ACCESS conn 127.0.0.1 "$P_ECHO") || pt_fail "--insecure-config: connection"
pt_stop || pt_fail "portierd exit status on SIGTERM"
chmod g-w "$PT_CONFD"

chown nobody "$PT_CONFD/echo.conf"
refused "echo.conf: owned by uid $(id -u nobody), not root \(fix: chown root " "a service file of nobody's"
chown root "$PT_CONFD/echo.conf"
chmod o+w "$REGISTRY"
refused "services.db: writable by others \(fix: chmod go-w " "a world-writable registry"
chmod o-w "$REGISTRY"
chmod 775 "$PT_DIR"
refused "$(basename "$PT_DIR"): writable by its group" "a group-writable directory above conf.d"
chmod 755 "$PT_DIR"

# ---- the handler's process ----
set -- $(pt_ports 2)
P_CREDS=$1 P_JAIL=$2
cp "$PT_HANDLER" "$PT_DIR/handler" || pt_error "cp handler"
# a jail with ls and the libraries it needs, and a marker
JAIL="$PT_DIR/jail"
mkdir -p "$JAIL/bin" || pt_error "mkdir"
cp /bin/ls "$JAIL/bin/ls" || pt_error "cp ls"
for lib in $(ldd /bin/ls | grep -o '/[^ ]*'); do
	mkdir -p "$JAIL$(dirname "$lib")" && cp "$lib" "$JAIL$lib" || pt_error "cp $lib"
done
touch "$JAIL/marker"

rm "$PT_CONFD/echo.conf"
pt_tcp_service creds "$P_CREDS" "$PT_DIR/handler" '"report"' \
	'user = nobody' 'groups = { "adm", "audio" }'
pt_tcp_service jail "$P_JAIL" /bin/ls '"-a", "/"' 'user = nobody' "chroot = \"$JAIL\""
pt_start

$ACCESS conn 127.0.0.1 "$P_CREDS" > "$PT_DIR/creds" || pt_fail "connection to creds"
pt_assert_grep "^uid=$(id -u nobody)\$" "$PT_DIR/creds" "handler not run as nobody"
pt_assert_grep "^gid=$(id -g nobody)\$" "$PT_DIR/creds" "handler not in nobody's group"
want=$( (id -G nobody | tr ' ' '\n'; getent group adm audio | cut -d: -f3) | sort -nu | tr '\n' ,)
got=$(sed -n 's/^groups=//p' "$PT_DIR/creds" | tr ',' '\n' | grep . | sort -nu | tr '\n' ,)
[ "$got" = "$want" ] || pt_fail "supplementary groups '$got', expected '$want'"

$ACCESS conn 127.0.0.1 "$P_JAIL" > "$PT_DIR/jail.ls" || pt_fail "connection to jail"
(cd "$JAIL" && ls -a) > "$PT_DIR/jail.want"
cmp -s "$PT_DIR/jail.ls" "$PT_DIR/jail.want" ||
	pt_fail "the chroot'ed handler saw '$(tr '\n' ' ' < "$PT_DIR/jail.ls")'"
# a step that fails aborts the exec and says which
mv "$JAIL" "$JAIL.gone"
out=$($ACCESS conn 127.0.0.1 "$P_JAIL") || pt_fail "connection to a missing jail"
[ -z "$out" ] || pt_fail "a handler ran without its chroot: '$out'"
pt_wait_log "jail: cannot start /bin/ls: chroot: No such file or directory" ||
	pt_fail "the failed chroot was not logged"

[ "$(pt_wait_zombies)" -eq 0 ] || pt_fail "zombie children left"
pt_stop || pt_fail "portierd exit status on SIGTERM"
exit 0
