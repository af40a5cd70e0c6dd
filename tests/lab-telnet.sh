#!/bin/sh
# The legacy lab, TELNET: conf.d/telnet.conf enabled, portierd on port 23 of
# its own network namespace, telnetd and login(1) from inetutils-telnetd.
# Python's telnetlib negotiates the options, is refused with a wrong
# password, logs in, reaches a shell prompt and gets a command's output back.
. "${top_srcdir:-..}/tests/lab.sh"
lab_init lab-telnet "$@"
lab_need /usr/sbin/telnetd inetutils-telnetd
lab_need /bin/login login

lab_user
lab_conf telnet.conf
lab_start 23/tcp
lab_client telnet 127.0.0.1 23 "$LAB_USER" "$LAB_PASS"
lab_client telnet ::1 23 "$LAB_USER" "$LAB_PASS"
pt_stop || pt_fail "portierd exit status on SIGTERM"
lab_say PASS
