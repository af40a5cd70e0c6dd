#!/bin/sh
# SPDX-License-Identifier: ISC
# tcpmux (RFC 1078): help lists the names; a known name (in any case) gets
# "+Go" and its handler, started as the service's own user, with the octets
# that followed the request line; an internal service works through it too;
# an unknown name, an oversized line, a name whose own only_from refuses us,
# and a silent client are refused; a service disabled at run time is not
# listed; one disabled in its file is served once enabled at run time, unless
# another service is served under its name.
. "${top_srcdir:-../..}/tests/lib/lib.sh"
pt_init
BC="python3 $top_srcdir/tests/lib/builtin_client.py"

set -- $(pt_ports 1)
MUX=$1
# Only root may start a handler as another user: not root, the report
# handler runs as portierd's own user (checked below as root only).
REPORT_USER=
[ "$(id -u)" -eq 0 ] && REPORT_USER='user = daemon'
pt_conf tcpmux <<CONF
service tcpmux {
	type = internal
	port = $MUX
	bind = { "127.0.0.1" }
	idle_timeout = 2
}
service cat-mux {
	name = "Cat"
	tcpmux = yes
	server = "/bin/cat"
}
service report-mux {
	name = "report"
	tcpmux = yes
	$REPORT_USER
	server = "$PT_HANDLER"
	server_args = { "report" }
}
service echo-mux {
	type = internal
	name = "echo"
	tcpmux = yes
}
service later-mux {
	name = "later"
	tcpmux = yes
	disable = yes
	server = "/bin/cat"
}
service cat-twin {
	name = "CAT"
	tcpmux = yes
	disable = yes
	server = "/bin/cat"
}
service locked-mux {
	name = "locked"
	tcpmux = yes
	only_from = { 192.0.2.1 }
	server = "/bin/cat"
}
CONF
pt_start

$BC tcpmux-help 127.0.0.1 "$MUX" Cat echo locked report || pt_fail "help"
# the handler gets what the client sent after CR LF
$BC tcpmux-go 127.0.0.1 "$MUX" cAT '^hello, handler$' 'hello, handler' ||
	pt_fail "cat through tcpmux"
$BC tcpmux-go 127.0.0.1 "$MUX" ECHO '^hello, echo$' 'hello, echo' ||
	pt_fail "internal echo through tcpmux"
$BC tcpmux-go 127.0.0.1 "$MUX" report '(^|\n)argv1=\[report\]\n' || pt_fail "report through tcpmux"
$BC tcpmux-refused 127.0.0.1 "$MUX" unknown || pt_fail "unknown name"
$BC tcpmux-refused 127.0.0.1 "$MUX" long || pt_fail "oversized request line"
# the named service's own access rules apply
$BC tcpmux-refused 127.0.0.1 "$MUX" LOCKED '^-Refused \(access\)\r\n$' ||
	pt_fail "only_from of a tcpmux service"
pt_wait_log "locked-mux: refused connection from 127\.0\.0\.1:[0-9]+: access" ||
	pt_fail "no refusal logged for the tcpmux service"
$BC silent 127.0.0.1 "$MUX" 1.5 10 || pt_fail "silent client"

# a service disabled at run time is neither listed nor served (issue 19)
"$PORTIERCTL" -s "$PT_DIR/control" disable echo-mux > /dev/null || pt_fail "disable echo-mux"
$BC tcpmux-help 127.0.0.1 "$MUX" Cat locked report || pt_fail "help lists a disabled service"
$BC tcpmux-refused 127.0.0.1 "$MUX" echo '^-Service not available\r\n$' ||
	pt_fail "a disabled service served through tcpmux"
"$PORTIERCTL" -s "$PT_DIR/control" enable echo-mux > /dev/null || pt_fail "enable echo-mux"
$BC tcpmux-help 127.0.0.1 "$MUX" Cat echo locked report || pt_fail "help after enable"

# one disabled in its file is served once enabled at run time
$BC tcpmux-refused 127.0.0.1 "$MUX" later '^-Service not available\r\n$' ||
	pt_fail "a service disabled in its file served through tcpmux"
"$PORTIERCTL" -s "$PT_DIR/control" enable later-mux > /dev/null || pt_fail "enable later-mux"
$BC tcpmux-help 127.0.0.1 "$MUX" Cat echo later locked report || pt_fail "help after enabling later"
$BC tcpmux-go 127.0.0.1 "$MUX" LATER '^late$' 'late' || pt_fail "later-mux through tcpmux after enable"
# ... but not under a name another service is served by
"$PORTIERCTL" -s "$PT_DIR/control" enable cat-twin > "$PT_DIR/twin.out" 2>&1 &&
	pt_fail "cat-twin enabled under cat-mux's tcpmux name"
pt_assert_grep "cat-twin: tcpmux name 'CAT' is served by cat-mux" "$PT_DIR/twin.out" \
	"enable of a second service under one tcpmux name: no reason"
$BC tcpmux-help 127.0.0.1 "$MUX" Cat echo later locked report || pt_fail "help after the refused enable"

# as root, the handler runs as the service's user, not the tcpmux service's
# (portierd's) nor the default user
if [ "$(id -u)" -eq 0 ]; then
	uid=$(id -u daemon) || pt_skip "no user daemon"
	$BC tcpmux-go 127.0.0.1 "$MUX" report "(^|\\n)uid=$uid\\n" ||
		pt_fail "report did not run as user daemon"
else
	echo "not root: the handler's user is not checked"
fi
# logged like any handler of the named service
pt_wait_log "report-mux: exit pid [0-9]+ from 127\.0\.0\.1:[0-9]+ status 0" ||
	pt_fail "no exit line for the handler started through tcpmux"
pt_assert_grep "tcpmux: start internal from 127\.0\.0\.1" "$PT_LOG" "no tcpmux start line"

pt_stop || pt_fail "portierd exit status"
exit 0
