#!/bin/sh
# SPDX-License-Identifier: ISC
# The legacy lab, TFTP: conf.d/tftp.conf enabled (a wait = yes datagram
# service), portierd on port 69/udp of its own network namespace, in.tftpd
# from tftpd-hpa serving a root the test makes. A request from outside the
# example's only_from starts nothing; tftp-hpa's client fetches a file twice
# (the second time after in.tftpd has exited and portierd watches the port
# again), then over IPv6, and is refused a file that does not exist.
. "${top_srcdir:-../..}/tests/lab/lab.sh"
lab_init lab-tftp "$@"
lab_need /usr/sbin/in.tftpd tftpd-hpa
lab_need /usr/bin/tftp tftp-hpa
id tftp >/dev/null 2>&1 || pt_error "no user tftp (tftpd-hpa's postinst creates it)"

root=$PT_DIR/tftproot
mkdir -m 755 "$root" || pt_error "mkdir $root"
head -c 262144 /dev/urandom >"$root/boot.img" && chmod 644 "$root/boot.img" ||
	pt_error "cannot make the test file"
# The shipped example serves /srv/tftp; the test serves its own root, and
# in.tftpd exits 2 seconds after its last request instead of 900.
lab_conf tftp.conf
sed -i -e "s|\"/srv/tftp\"|\"--timeout\", \"2\", \"$root\"|" "$PT_CONFD/tftp.conf"
grep -q "$root" "$PT_CONFD/tftp.conf" || pt_error "cannot point tftp.conf at $root"

fetch()
{
	rm -f "$PT_DIR/got"
	(cd "$PT_DIR" && timeout "${3:-$LAB_TIMEOUT}" tftp -m binary "$1" -c get "$2" got) >"$PT_DIR/tftp.out" 2>&1
	rc=$?
	cat "$PT_DIR/tftp.out"
	return $rc
}

lab_start 69/udp

# A request from outside only_from starts no in.tftpd and gets no answer.
lab_outsider
fetch "$LAB_OUT4" boot.img 5
[ -s "$PT_DIR/got" ] && pt_fail "a request from $LAB_OUT4 got data"
pt_wait_log "tftp: refused connection from $LAB_OUT4:[0-9]+: access" ||
	pt_fail "no refusal of $LAB_OUT4 logged"
grep -q "tftp: start" "$PT_LOG" && pt_fail "a refused request started in.tftpd"
lab_say "a request from $LAB_OUT4 was refused"

fetch 127.0.0.1 boot.img || pt_fail "tftp get failed"
cmp "$root/boot.img" "$PT_DIR/got" || pt_fail "fetched file differs"
lab_say "fetched boot.img (256 KiB), identical"

# in.tftpd times out and exits; portierd must then watch the port again and
# hand it to a new in.tftpd for the next request.
pt_wait_log "tftp: exit pid" $LAB_TIMEOUT || pt_fail "in.tftpd did not exit after its --timeout"
fetch 127.0.0.1 boot.img || pt_fail "second tftp get (a new in.tftpd) failed"
cmp "$root/boot.img" "$PT_DIR/got" || pt_fail "second fetched file differs"
pt_wait_count "tftp: exit pid" 2 $LAB_TIMEOUT || pt_fail "the second in.tftpd did not exit"
n=$(grep -c "tftp: start" "$PT_LOG")
[ "$n" -eq 2 ] || pt_fail "two requests far apart started $n in.tftpd, not 2"
lab_say "fetched it again from a second in.tftpd after the first exited"

fetch ::1 boot.img || pt_fail "tftp get over IPv6 failed"
cmp "$root/boot.img" "$PT_DIR/got" || pt_fail "file fetched over IPv6 differs"
lab_say "fetched it over IPv6"

fetch 127.0.0.1 no-such-file && [ -s "$PT_DIR/got" ] && pt_fail "a missing file was served"
grep -q "File not found" "$PT_DIR/tftp.out" || pt_fail "no error for a missing file"
pt_stop || pt_fail "portierd exit status on SIGTERM"
lab_say PASS
