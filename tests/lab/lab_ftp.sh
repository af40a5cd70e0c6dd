#!/bin/sh
# SPDX-License-Identifier: ISC
# The legacy lab, FTP: conf.d/ftp.conf enabled, portierd on port 21 of its
# own network namespace, inetutils ftpd in inetd mode. Python's ftplib logs
# in (and is refused with a wrong password), lists, retrieves and stores a
# 1 MiB file in passive and in active mode; every copy is compared byte for
# byte with the original.
. "${top_srcdir:-../..}/tests/lab/lab.sh"
lab_init lab-ftp "$@"
lab_need /usr/sbin/ftpd inetutils-ftpd

lab_user
orig=$PT_DIR/orig.bin
head -c 1048576 /dev/urandom >"$orig" || pt_error "cannot make the test file"
install -m 644 -o "$LAB_USER" "$orig" "$LAB_HOME/lab.bin" ||
	pt_error "cannot put the test file in $LAB_HOME"
lab_conf ftp.conf
lab_start 21/tcp
lab_outsider
lab_refused ftp 21

for mode in passive active; do
	lab_client ftp 127.0.0.1 21 "$LAB_USER" "$LAB_PASS" "$mode" "$LAB_HOME/lab.bin"
	cmp "$orig" "$LAB_HOME/up-$mode.bin" ||
		pt_fail "$mode: the stored file differs from the original"
	owner=$(stat -c %U "$LAB_HOME/up-$mode.bin")
	[ "$owner" = "$LAB_USER" ] ||
		pt_fail "$mode: stored file owned by $owner, not $LAB_USER"
	rm -f "$LAB_HOME/up-$mode.bin"
done
# IPv6: ftplib uses EPSV and EPRT there.
for mode in passive active; do
	lab_client ftp ::1 21 "$LAB_USER" "$LAB_PASS" "$mode" "$LAB_HOME/lab.bin"
	cmp "$orig" "$LAB_HOME/up-$mode.bin" ||
		pt_fail "$mode over IPv6: the stored file differs from the original"
done
pt_stop || pt_fail "portierd exit status on SIGTERM"
lab_say PASS
