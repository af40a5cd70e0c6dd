#!/bin/sh
# SPDX-License-Identifier: ISC
# The legacy lab, TFTP on a host with two addresses per family: portierd's
# namespace has a veth link to a client's namespace, with 192.0.2.1 and
# 192.0.2.2 (a secondary), 2001:db8:a::1 and 2001:db8:b::1 on it.
# conf.d/tftp.conf enabled with bind_each_address = yes: one socket per
# address on 69/udp, none on the wildcard, and tftp-hpa's client fetches a
# file through each address from the client's namespace (in.tftpd binds its
# transfer to the destination IP_PKTINFO gives it). The same example on a
# wildcard socket (port 6969, the option off) is tried through the
# secondary addresses and what happens is said, not asserted: Debian 12's
# in.tftpd then answers from the first address, which the client drops
# (docs/lab.md); another version may do better.
. "${top_srcdir:-../..}/tests/lab/lab.sh"
lab_init lab-tftp-multihome "$@"
lab_need /usr/sbin/in.tftpd tftpd-hpa
lab_need /usr/bin/tftp tftp-hpa
id tftp >/dev/null 2>&1 || pt_error "no user tftp (tftpd-hpa's postinst creates it)"

pt_client_ns
C=$PT_IN_CLIENT
pt_veth va vb || pt_error "cannot make a veth link"
ip addr add 192.0.2.1/24 dev va && ip addr add 192.0.2.2/24 dev va &&
	ip -6 addr add 2001:db8:a::1/64 dev va nodad &&
	ip -6 addr add 2001:db8:b::1/64 dev va nodad &&
	$C ip addr add 192.0.2.10/24 dev vb &&
	$C ip -6 addr add 2001:db8:a::10/64 dev vb nodad &&
	$C ip -6 route add 2001:db8:b::/64 dev vb ||
	pt_error "cannot set the addresses up"
ADDRS="192.0.2.1 192.0.2.2 2001:db8:a::1 2001:db8:b::1"

root=$PT_DIR/tftproot
mkdir -m 755 "$root" || pt_error "mkdir $root"
head -c 65536 /dev/urandom >"$root/boot.img" && chmod 644 "$root/boot.img" ||
	pt_error "cannot make the test file"
# The example, serving the test's root, for the client's addresses, with
# one socket per address; in.tftpd exits 2 seconds after its last request.
lab_conf tftp.conf
sed -i -e "s|\"/srv/tftp\"|\"--timeout\", \"2\", \"$root\"|" \
	-e 's|^}$|\tonly_from += { 192.0.2.10, "2001:db8:a::10" }\n}|' "$PT_CONFD/tftp.conf" &&
	sed -e 's|^service tftp {$|service tftp-any {\n\tport = 6969|' "$PT_CONFD/tftp.conf" \
		>"$PT_CONFD/tftp-any.conf" &&
	sed -i -e 's|^}$|\tbind_each_address = yes\n}|' "$PT_CONFD/tftp.conf" ||
	pt_error "cannot edit tftp.conf"
grep -q "bind_each_address = yes" "$PT_CONFD/tftp.conf" &&
	grep -q "port = 6969" "$PT_CONFD/tftp-any.conf" || pt_error "cannot edit tftp.conf"

# fetch ADDRESS PORT [SECS]: boot.img through ADDRESS from the client's
# namespace, identical
fetch()
{
	rm -f "$PT_DIR/got"
	(cd "$PT_DIR" && timeout "${3:-$LAB_TIMEOUT}" $C tftp -m binary "$1" "$2" -c get boot.img got) \
		>"$PT_DIR/tftp.out" 2>&1
	rc=$?
	cat "$PT_DIR/tftp.out"
	[ $rc -eq 0 ] && cmp -s "$root/boot.img" "$PT_DIR/got"
}

lab_start 69/udp 6969/udp
ss -Hlun "sport = :69" >"$PT_DIR/ss"
for a in 127.0.0.1 192.0.2.1 192.0.2.2 '\[::1\]' '\[2001:db8:a::1\]' '\[2001:db8:b::1\]'; do
	pt_assert_grep " $a:69 " "$PT_DIR/ss" "no socket on $a port 69"
done
grep -Eq ' (0\.0\.0\.0|\[::\]|\*):69 ' "$PT_DIR/ss" && pt_fail "a wildcard socket on port 69"
lab_say "port 69: one socket per address, none on the wildcard"

for a in $ADDRS; do
	fetch "$a" 69 || pt_fail "tftp get through $a failed"
	lab_say "fetched boot.img (64 KiB) through $a, identical"
done
# each address its own socket, handed to its own in.tftpd
n=$(grep -c "tftp: start" "$PT_LOG")
[ "$n" -ge 4 ] || pt_fail "4 addresses started $n in.tftpd, expected one each"

for a in 192.0.2.2 2001:db8:b::1; do
	if fetch "$a" 6969 5 >/dev/null; then
		lab_say "without bind_each_address, in.tftpd answered $a too (a newer tftpd-hpa?)"
	else
		lab_say "without bind_each_address, in.tftpd did not answer $a from it (docs/lab.md)"
	fi
done
pt_stop || pt_fail "portierd exit status on SIGTERM"
lab_say PASS
