#!/bin/sh
# SPDX-License-Identifier: ISC
# Unix-domain stream services (portier.conf(5), bind = { "unix:/path" }):
# the handler gets PROTO=UNIX and UNIXREMOTEUID/GID/PID from SO_PEERCRED
# and none of the TCP variables (also with activation = systemd, the
# connection on descriptor 3); wait = yes hands over the listening socket;
# the socket file has socket_mode (and, as
# root, socket_user/socket_group); a stale socket is replaced, a regular
# file, a symbolic link or a live socket at the path is refused, two
# services on one path are a load error; allow_users refuses
# another uid (as root); a reload keeps the socket (same inode), a reload
# that drops the service and portierd's exit remove the file; an OpenBSD
# inetd.conf unix line converted by portierctl serves.
. "${top_srcdir:-../..}/tests/lib/lib.sh"
pt_init

RUN="$PT_DIR/run"
SOCK="$RUN/env.sock"

# unix_service ID PATH [OPTION...]: the handler reports (ARGS overrides it)
unix_service() {
	local id=$1 path=$2 opt

	shift 2
	{
		printf 'service %s {\n\tbind = { "unix:%s" }\n' "$id" "$path"
		printf '\tserver = "%s"\n\tserver_args = { %s }\n' "$PT_HANDLER" "${ARGS:-\"report\"}"
		for opt in "$@"; do
			printf '\t%s\n' "$opt"
		done
		printf '}\n'
	} > "$PT_CONFD/$id.conf"
}

# ask PATH [UID GID]: the handler's report through the socket at PATH (as UID:GID)
ask() {
	local run= py=python3

	# another user may not reach the caller's python (pyenv): the system's
	[ $# -gt 1 ] && run="setpriv --reuid=$2 --regid=$3 --clear-groups" py=/usr/bin/python3
	$run $py -c 'import socket, sys
s = socket.socket(socket.AF_UNIX)
s.settimeout(10)
s.connect(sys.argv[1])
s.shutdown(socket.SHUT_WR)
out = b""
while True:
    b = s.recv(4096)
    if not b:
        break
    out += b
sys.stdout.write(out.decode(errors="replace"))' "$1"
}

# The path is a stale socket: a file nobody listens on.
mkdir -m 755 "$RUN"
python3 -c 'import socket, sys; socket.socket(socket.AF_UNIX).bind(sys.argv[1])' "$SOCK" ||
	pt_error "cannot make a stale socket"
unix_service env "$SOCK" 'socket_mode = 0640'
# wait = yes: the handler gets the listening socket and accepts itself
ARGS='"accept"' unix_service held "$RUN/held.sock" 'wait = yes'
# activation = systemd: the connection on descriptor 3, the credentials too
if [ -x /usr/bin/python3 ]; then
	cat > "$PT_CONFD/sd.conf" <<EOT
service sd {
	bind = { "unix:$RUN/sd.sock" }
	server = /usr/bin/python3
	server_args = { "-c", "import os, socket; s = socket.socket(fileno=3); s.sendall(('fds=%s family=%d uid=%s' % (os.environ.get('LISTEN_FDS'), s.family, os.environ.get('UNIXREMOTEUID'))).encode())" }
	activation = systemd
}
EOT
fi
pt_start_ctl
ask "$RUN/held.sock" | grep -q '^accepted pid=' || pt_fail "wait = yes: the handler did not accept"
if [ -x /usr/bin/python3 ]; then
	out=$(ask "$RUN/sd.sock")
	[ "$out" = "fds=1 family=1 uid=$(id -u)" ] || pt_fail "activation = systemd: got '$out'"
	rm "$PT_CONFD/sd.conf"
fi
pt_assert_grep "stale socket" "$PT_LOG" "the stale socket was not replaced"
[ -S "$SOCK" ] || pt_fail "no socket at $SOCK"
[ "$(stat -c %a "$SOCK")" = 640 ] || pt_fail "socket_mode 0640: the file is $(stat -c %a "$SOCK")"
ino=$(stat -c %i "$SOCK")

ask "$SOCK" > "$PT_DIR/report" || pt_fail "no answer on $SOCK"
env=$(sed -n 's/^env://p' "$PT_DIR/report")
echo "$env" | grep -qx 'PROTO=UNIX' || pt_fail "PROTO is not UNIX: $env"
echo "$env" | grep -qx "UNIXREMOTEUID=$(id -u)" || pt_fail "UNIXREMOTEUID: $env"
echo "$env" | grep -qx "UNIXREMOTEGID=$(id -g)" || pt_fail "UNIXREMOTEGID: $env"
echo "$env" | grep -Eqx 'UNIXREMOTEPID=[1-9][0-9]*' || pt_fail "UNIXREMOTEPID: $env"
echo "$env" | grep -Eq '^(TCP|LOCAL_|REMOTE_)' && pt_fail "TCP variables on a unix socket: $env"
pt_ctl status > "$PT_DIR/status" || pt_fail "status"
pt_assert_grep "unix:$SOCK" "$PT_DIR/status" "status does not show the socket's path"

# A reload keeps the socket: the same file, still answering.
pt_ctl reload > /dev/null || pt_fail "reload"
[ "$(stat -c %i "$SOCK")" = "$ino" ] || pt_fail "a reload replaced the socket file"
ask "$SOCK" | grep -q '^env:PROTO=UNIX' || pt_fail "no answer after a reload"

# A reload that drops the service removes the file.
rm "$PT_CONFD/env.conf" "$PT_CONFD/held.conf"
pt_tcp_service keep "$(pt_ports 1)" "$PT_HANDLER" '"report"'
pt_ctl reload > /dev/null || pt_fail "reload without the unix service"
[ -e "$SOCK" ] && pt_fail "the dropped service's socket file is still there"

# A regular file, a symbolic link at the path: refused at a reload, and kept.
touch "$RUN/file.sock"
ln -s "$RUN/file.sock" "$RUN/link.sock"
unix_service file "$RUN/file.sock"
pt_ctl reload > /dev/null 2>&1
pt_assert_grep "file.sock: a file, not a socket" "$PT_LOG" "a regular file was not refused"
[ -f "$RUN/file.sock" ] || pt_fail "the regular file was removed"
rm "$PT_CONFD/file.conf"
unix_service link "$RUN/link.sock"
pt_ctl reload > /dev/null 2>&1
pt_assert_grep "link.sock: a symbolic link" "$PT_LOG" "a symbolic link was not refused"
[ -L "$RUN/link.sock" ] || pt_fail "the symbolic link was removed"
rm "$PT_CONFD/link.conf"

# A live socket at the path is somebody else's: refused, and kept.
pt_bg python3 -c 'import socket, sys, time
s = socket.socket(socket.AF_UNIX)
s.bind(sys.argv[1])
s.listen()
time.sleep(60)' "$RUN/live.sock"
for _ in $(seq 50); do
	[ -S "$RUN/live.sock" ] && break
	sleep 0.1
done
unix_service live "$RUN/live.sock"
pt_ctl reload > /dev/null 2>&1
pt_assert_grep "live.sock: another process listens on it" "$PT_LOG" "a live socket was not refused"
[ -S "$RUN/live.sock" ] || pt_fail "the live socket was removed"
rm "$PT_CONFD/live.conf"
# Two services on one path: a load error.
unix_service env "$SOCK"
unix_service env2 "$SOCK"
pt_ctl reload > /dev/null 2>&1
pt_assert_grep "env2.conf:1: service 'env2': unix socket .* is already used by service 'env'" \
	"$PT_LOG" "two services on one path were accepted"
rm "$PT_CONFD/env2.conf"
pt_ctl reload > /dev/null || pt_fail "reload with env alone"
[ -S "$SOCK" ] || pt_fail "no socket after the reload"

# issue 17: OpenBSD inetd.conf's unix-domain line, converted, is served
# on its path with the mode inetd gave the socket
printf '%s\tstream\tunix\tnowait\t%s\t%s\t%s\treport\n' "$RUN/conv.sock" "$(id -un)" \
	"$PT_HANDLER" "$(basename "$PT_HANDLER")" > "$PT_DIR/inetd.conf"
"$PORTIERCTL" convert --from-inetd "$PT_DIR/inetd.conf" --prefix '' --out "$PT_CONFD" \
	-r "$REGISTRY" > /dev/null 2> "$PT_DIR/convert" || {
	cat "$PT_DIR/convert" >&2; pt_fail "convert of a unix line"; }
pt_ctl reload > /dev/null || pt_fail "reload with the converted unix service"
[ "$(stat -c %a "$RUN/conv.sock")" = 666 ] || pt_fail "converted: mode $(stat -c %a "$RUN/conv.sock")"
ask "$RUN/conv.sock" | grep -q '^env:PROTO=UNIX' || pt_fail "the converted unix service does not answer"
pt_stop || pt_fail "portierd exit status"
[ -e "$SOCK" ] && pt_fail "the socket file outlived portierd"

# only_from on a unix service is an error at its line.
unix_service bad "$RUN/bad.sock" 'only_from = { "127.0.0.1" }'
pt_run --check > /dev/null 2>&1 && pt_fail "only_from on a unix socket was accepted"
"$PORTIERD" --check -c "$PT_CONFD" -r "$REGISTRY" 2>&1 |
	grep -q "bad.conf:5: .*only_from does not apply to a unix socket" ||
	pt_fail "only_from on a unix socket: no FILE:LINE error"
rm "$PT_CONFD/bad.conf"

[ "$(id -u)" -eq 0 ] || { echo "not root: socket_user/group and allow_users not tested"; exit 0; }
command -v setpriv > /dev/null && [ -x /usr/bin/python3 ] ||
	{ echo "no setpriv or /usr/bin/python3: allow_users not tested"; exit 0; }
nobody=$(id -u nobody) || pt_skip "no user nobody"
nogroup=$(id -g nobody)
unix_service env "$SOCK" 'socket_user = "nobody"' 'socket_mode = 0666'
unix_service only "$RUN/only.sock" 'allow_users = { "root" }' 'socket_mode = 0666'
unix_service grp "$RUN/grp.sock" "allow_groups = { \"$nogroup\" }" 'socket_mode = 0666'
pt_start_ctl
[ "$(stat -c %u:%g "$SOCK")" = "$nobody:$nogroup" ] ||
	pt_fail "socket_user nobody: the file is $(stat -c %u:%g "$SOCK")"
ask "$SOCK" "$nobody" "$nogroup" | grep -qx "env:UNIXREMOTEUID=$nobody" || pt_fail "nobody's uid not reported"
ask "$RUN/only.sock" | grep -q '^env:PROTO=UNIX' || pt_fail "allow_users root: root refused"
ask "$RUN/only.sock" "$nobody" "$nogroup" | grep -q 'env:' && pt_fail "allow_users root: nobody admitted"
pt_wait_log "only.*refused.*user" || pt_fail "the refusal of nobody was not logged"
ask "$RUN/grp.sock" "$nobody" "$nogroup" | grep -q '^env:' || pt_fail "allow_groups: nobody's group refused"
ask "$RUN/grp.sock" | grep -q 'env:' && pt_fail "allow_groups: root admitted"
pt_ctl status --json > "$PT_DIR/status.json" || pt_fail "status --json"
pt_assert_grep '"user": *1' "$PT_DIR/status.json" "the refusals are not counted"
pt_stop || pt_fail "portierd exit status"
exit 0
