#!/bin/sh
# The legacy lab, TFTP: conf.d/tftp.conf enabled (a wait = yes datagram
# service), portierd on port 69/udp of its own network namespace, in.tftpd
# from tftpd-hpa serving a root the test makes. tftp-hpa's client fetches a
# file twice (the second time after in.tftpd has exited and portierd watches
# the port again) and is refused a file that does not exist.
. "${top_srcdir:-.}/tests/lab.sh"
lab_init lab-tftp "$@"
lab_need /usr/sbin/in.tftpd tftpd-hpa
lab_need /usr/bin/tftp tftp-hpa
id tftp >/dev/null 2>&1 || lab_error "no user tftp (tftpd-hpa's postinst creates it)"

root=$LAB_DIR/tftproot
mkdir -m 755 "$root" || lab_error "mkdir $root"
head -c 262144 /dev/urandom >"$root/boot.img" && chmod 644 "$root/boot.img" ||
	lab_error "cannot make the test file"
# The shipped example serves /srv/tftp; the test serves its own root, and
# in.tftpd exits 2 seconds after its last request instead of 900.
lab_conf tftp.conf
sed -i -e "s|\"/srv/tftp\"|\"--timeout\", \"2\", \"$root\"|" "$LAB_DIR/conf.d/tftp.conf"
grep -q "$root" "$LAB_DIR/conf.d/tftp.conf" || lab_error "cannot point tftp.conf at $root"
lab_start 69/udp

fetch()
{
	rm -f "$LAB_DIR/got"
	(cd "$LAB_DIR" && timeout $LAB_TIMEOUT tftp -m binary "$1" -c get "$2" got) >"$LAB_DIR/tftp.out" 2>&1
	rc=$?
	cat "$LAB_DIR/tftp.out"
	return $rc
}

fetch 127.0.0.1 boot.img || lab_fail "tftp get failed"
cmp "$root/boot.img" "$LAB_DIR/got" || lab_fail "fetched file differs"
lab_say "fetched boot.img (256 KiB), identical"

# Let in.tftpd time out and exit: portierd must then serve the port again.
i=0
while pgrep -x in.tftpd >/dev/null; do
	i=$((i + 1))
	[ $i -le $((LAB_TIMEOUT * 10)) ] || lab_fail "in.tftpd did not exit after its --timeout"
	sleep 0.1
done
fetch ::1 boot.img || lab_fail "second tftp get (IPv6, new in.tftpd) failed"
cmp "$root/boot.img" "$LAB_DIR/got" || lab_fail "second fetched file differs"
lab_say "fetched it again over IPv6 after in.tftpd exited"

fetch 127.0.0.1 no-such-file && [ -s "$LAB_DIR/got" ] &&
	lab_fail "a missing file was served"
grep -qi "not found\|error" "$LAB_DIR/tftp.out" || lab_fail "no error for a missing file"
lab_say PASS
