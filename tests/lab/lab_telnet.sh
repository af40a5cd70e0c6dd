#!/bin/sh
# SPDX-License-Identifier: ISC
# The legacy lab, TELNET: conf.d/telnet.conf enabled, portierd on port 23 of
# its own network namespace, telnetd and login(1) from inetutils-telnetd.
# Python's telnetlib negotiates the options, is refused with a wrong
# password, logs in, reaches a shell prompt and gets a command's output back.
# Then the example's commented expires, set a few seconds ahead, closes port 23.
. "${top_srcdir:-../..}/tests/lab/lab.sh"
lab_init lab-telnet "$@"
lab_need /usr/sbin/telnetd inetutils-telnetd
lab_need /bin/login login

lab_user
lab_conf telnet.conf
lab_start 23/tcp
lab_outsider
lab_refused telnet 23
lab_client telnet 127.0.0.1 23 "$LAB_USER" "$LAB_PASS"
lab_client telnet ::1 23 "$LAB_USER" "$LAB_PASS"
pt_stop || pt_fail "portierd exit status on SIGTERM"

# The example's commented expires, uncommented: the lab closes by itself.
at=$(date -u -d '+4 seconds' +%Y-%m-%dT%H:%M:%SZ)
sed -i "s|^\([[:space:]]*\)# expires = .*|\1expires = \"$at\"|" "$PT_CONFD/telnet.conf"
grep -q "^[[:space:]]*expires = \"$at\"" "$PT_CONFD/telnet.conf" ||
	pt_error "cannot set expires in telnet.conf"
pt_start
pt_wait_log "telnet: expired: (no longer offered|not offered)" $LAB_TIMEOUT ||
	pt_fail "telnet did not expire at $at"
ss -Hltn "sport = :23" | grep -q . && pt_fail "port 23 still open after expires = $at"
lab_say "expires = $at closed port 23"
pt_stop || pt_fail "portierd exit status on SIGTERM"
lab_say PASS
