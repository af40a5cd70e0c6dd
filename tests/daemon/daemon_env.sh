#!/bin/sh
# SPDX-License-Identifier: ISC
# A handler's PATH (portierd(8), ENVIRONMENT): systemd's default when the
# service sets none, so that a handler can run a program by name; `env`
# replaces it; `passenv = { "PATH" }` gives portierd's own, and the default
# when portierd has none. Nothing else of portierd's environment leaks.
. "${top_srcdir:-../..}/tests/lib/lib.sh"
pt_init

DEFAULT=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
set -- $(pt_ports 3)
DFLT=$1 ENVP=$2 PASS=$3
pt_tcp_service dflt "$DFLT" "$PT_HANDLER" '"report"'
pt_tcp_service envp "$ENVP" "$PT_HANDLER" '"report"' 'env = { "PATH=/opt/pt/bin" }'
pt_tcp_service pass "$PASS" "$PT_HANDLER" '"report"' 'passenv = { "PATH" }'

# report PORT: the handler's environment, one "NAME=value" a line
report() {
	$PT_CLIENT tcp 127.0.0.1 "$1" | sed -n 's/^env://p' > "$PT_DIR/env.$1" ||
		pt_fail "no report from port $1"
}
# path PORT: the handler's PATH, "unset" when it has none
path() {
	grep -q '^PATH=' "$PT_DIR/env.$1" || { echo unset; return; }
	sed -n 's/^PATH=//p' "$PT_DIR/env.$1"
}

PATH="/pt/portierd/bin:$PATH" PT_SECRET=leak
export PATH PT_SECRET
pt_start
report "$DFLT"
report "$ENVP"
report "$PASS"
[ "$(path "$DFLT")" = "$DEFAULT" ] || pt_fail "no env or passenv: PATH is '$(path "$DFLT")'"
[ "$(path "$ENVP")" = /opt/pt/bin ] || pt_fail "env's PATH: got '$(path "$ENVP")'"
[ "$(path "$PASS")" = "$PATH" ] || pt_fail "passenv's PATH: got '$(path "$PASS")'"
for p in "$DFLT" "$ENVP" "$PASS"; do
	[ "$(grep -c '^PATH=' "$PT_DIR/env.$p")" -eq 1 ] || pt_fail "port $p: PATH more than once"
	grep -q '^PT_SECRET=' "$PT_DIR/env.$p" && pt_fail "port $p: portierd's PT_SECRET leaked"
	# PATH, SERVICE, PROTO and the eight of a TCP connection
	names=$(sed 's/=.*//' "$PT_DIR/env.$p" | sort | tr '\n' ' ')
	[ "$names" = "LOCAL_ADDR LOCAL_PORT PATH PROTO REMOTE_ADDR REMOTE_PORT SERVICE \
TCPLOCALIP TCPLOCALPORT TCPREMOTEIP TCPREMOTEPORT " ] ||
		pt_fail "port $p: the handler's environment is $names"
done
pt_stop || pt_fail "portierd exit status"

# portierd without a PATH: passenv = { "PATH" } passes nothing, the default stays.
: > "$PT_LOG"
env -u PATH "$PORTIERD" -f -c "$PT_CONFD" -r "$REGISTRY" >> "$PT_LOG" 2>&1 &
PT_PID=$!
pt_wait_log started || pt_fail "portierd without PATH did not start"
report "$PASS"
[ "$(path "$PASS")" = "$DEFAULT" ] ||
	pt_fail "passenv PATH, portierd without one: PATH is '$(path "$PASS")'"
pt_stop || pt_fail "portierd exit status"
exit 0
