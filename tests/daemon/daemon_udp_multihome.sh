#!/bin/sh
# SPDX-License-Identifier: ISC
# UDP on a host with several addresses: a reply must leave from the address
# the request was sent to, or the client (a connected socket, a resolver, a
# TFTP client) drops it. In network namespaces made here: portierd's, with
# two veth links to a client's namespace, two IPv4 and two IPv6 addresses on
# each link (the second of each a secondary: replies the kernel addresses
# itself leave from the first); the client has one address per link. Checked
# by the address the reply came from (client.py udpfrom, unconnected):
#  - the internal echo on wildcard sockets answers from every address;
#  - a wait-mode handler on the same wildcard sockets answers from the
#    link's first address: the failure the next service cures (this test
#    can fail);
#  - with bind_each_address = yes the same handler answers from every
#    address, link-local IPv6 too, each address its own socket;
#  - an address added, then one removed, gets its socket, then loses it,
#    without a reload; one in duplicate address detection once it ends; a
#    reload keeps the sockets.
. "${top_srcdir:-../..}/tests/lib/lib.sh"

pt_netns "$@"
pt_init
pt_client_ns
C=$PT_IN_CLIENT
pt_veth va vb && pt_veth vc vd || pt_skip "cannot make veth links (module veth?)"

# net NS DEV ITEM...: on DEV of namespace NS ("" or "$C") each ITEM, an
# address (ADDRESS/LEN) or an on-link IPv6 route (route:PREFIX/LEN).
net() {
	ns=$1 dev=$2
	shift 2
	for a in "$@"; do
		case $a in
		route:*) $ns ip -6 route add "${a#route:}" dev "$dev" ;;
		*:*)	$ns ip -6 addr add "$a" dev "$dev" nodad ;;
		*)	$ns ip addr add "$a" dev "$dev" ;;
		esac || pt_error "$dev: cannot add $a"
	done
}
net "" va 192.0.2.1/24 192.0.2.2/24 2001:db8:a::1/64 2001:db8:b::1/64
net "" vc 198.51.100.1/24 198.51.100.2/24 2001:db8:c::1/64 2001:db8:d::1/64
net "$C" vb 192.0.2.10/24 2001:db8:a::10/64 route:2001:db8:b::/64
net "$C" vd 198.51.100.10/24 2001:db8:c::10/64 route:2001:db8:d::/64
LL=$(ip -6 -o addr show dev va scope link | awk '{ sub("/.*", "", $4); print $4; exit }')
[ -n "$LL" ] || pt_error "va has no link-local address"
FIRST="192.0.2.1 198.51.100.1 2001:db8:a::1 2001:db8:c::1"
SECOND="192.0.2.2 198.51.100.2 2001:db8:b::1 2001:db8:d::1"

set -- $(pt_ports 3)
ECHO=$1 PLAIN=$2 EACH=$3
pt_conf multihome <<CONF
service echo-any/udp {
	type = internal
	name = echo
	port = $ECHO
}
service plain/udp {
	port = $PLAIN
	server = "$PT_HANDLER"
	server_args = { "udp" }
}
service each/udp {
	port = $EACH
	server = "$PT_HANDLER"
	server_args = { "udp" }
	bind_each_address = yes
}
CONF
pt_start_ctl

# from ADDRESS PORT DATA: "SOURCE REPLY" of the answer to the client
from() {
	$C $PT_CLIENT udpfrom "$@" || pt_fail "no reply from $1 port $2"
}

# The link's first address of the link that carries $1.
first_of() {
	case $1 in
	192.0.2.*)	echo 192.0.2.1 ;;
	198.51.100.*)	echo 198.51.100.1 ;;
	2001:db8:[ab]::*) echo 2001:db8:a::1 ;;
	*)		echo 2001:db8:c::1 ;;
	esac
}

# (a link-local source is shown without its scope)
for a in $FIRST $SECOND "$LL%vb"; do
	out=$(from "$a" "$ECHO" "hello $a")
	[ "$out" = "${a%\%*} hello $a" ] || pt_fail "internal echo to $a: the reply is '$out'"
done
echo "internal echo: every address answered from itself, link-local included"

for a in $SECOND; do
	out=$(from "$a" "$PLAIN" x)
	[ "$out" = "$(first_of "$a") udp:x" ] ||
		pt_fail "a handler on a wildcard socket, asked at $a: '$out', expected the reply" \
			"from $(first_of "$a") (the kernel's choice)"
done
echo "plain handler: the secondary addresses' replies came from the first ones"

for a in $FIRST $SECOND "$LL%vb"; do
	out=$(from "$a" "$EACH" x)
	[ "$out" = "${a%\%*} udp:x" ] ||
		pt_fail "bind_each_address, asked at $a: the reply is '$out'"
done
ss -Hlun "sport = :$EACH" > "$PT_DIR/each.ss"
for a in 127.0.0.1 192.0.2.1 192.0.2.2 198.51.100.2 '\[::1\]' '\[2001:db8:b::1\]' "\\[$LL\\]%va"; do
	pt_assert_grep " $a:$EACH " "$PT_DIR/each.ss" "no socket of each/udp on $a"
done
grep -Eq ' (0\.0\.0\.0|\[::\]|\*):'"$EACH " "$PT_DIR/each.ss" &&
	pt_fail "each/udp has a wildcard socket: $(cat "$PT_DIR/each.ss")"
pt_ctl status --json > "$PT_DIR/status" || pt_fail "status --json"
pt_assert_grep "\\[2001:db8:d::1\\]:$EACH/udp" "$PT_DIR/status" "status does not list every socket"
echo "bind_each_address: every address answered from itself, link-local included"

# Addresses come and go, and the sockets follow them without a reload
# (rtnetlink); one in duplicate address detection waits for its end.
ip addr add 192.0.2.3/24 dev va || pt_error "cannot add 192.0.2.3"
ip addr del 192.0.2.2/24 dev va || pt_error "cannot remove 192.0.2.2"
echo 1 > /proc/sys/net/ipv6/conf/va/accept_dad &&
	ip -6 addr add 2001:db8:a::5/64 dev va || pt_error "cannot add 2001:db8:a::5"
pt_wait_log "each/udp: listening on 192\.0\.2\.3:$EACH/udp" ||
	pt_fail "no socket for the new address 192.0.2.3"
pt_wait_log "each/udp: 192\.0\.2\.2:$EACH/udp closed: the address is gone" ||
	pt_fail "the socket of the removed address 192.0.2.2 stayed"
pt_wait_log "each/udp: listening on \[2001:db8:a::5\]:$EACH/udp" ||
	pt_fail "no socket for 2001:db8:a::5 after its duplicate address detection"
grep -q "reload" "$PT_LOG" && pt_fail "a reload happened: $(grep reload "$PT_LOG")"
for a in 192.0.2.3 2001:db8:a::5; do
	out=$(from "$a" "$EACH" x)
	[ "$out" = "$a udp:x" ] || pt_fail "bind_each_address, asked at $a: '$out'"
done
ss -Hlun "sport = :$EACH" | grep -q " 192\.0\.2\.2:$EACH " &&
	pt_fail "192.0.2.2:$EACH is still bound"
n=$(grep -c "each/udp: cannot listen on \[2001:db8:a::5\]" "$PT_LOG")
[ "$n" -le 1 ] || pt_fail "the tentative 2001:db8:a::5 was logged $n times, not once at most"
echo "bind_each_address: followed addresses added and removed, without a reload"

# A reload keeps the sockets whose address is still there.
pt_ctl reload > /dev/null || pt_fail "reload"
out=$(from 192.0.2.1 "$EACH" x)
[ "$out" = "192.0.2.1 udp:x" ] || pt_fail "after the reload, asked at 192.0.2.1: '$out'"
n=$(grep -c "each/udp: listening on 192\.0\.2\.1:" "$PT_LOG")
[ "$n" -eq 1 ] || pt_fail "the socket of 192.0.2.1 was opened $n times, not once"
echo "bind_each_address: a reload kept the sockets"

# Turning the option off: the wildcard socket cannot be bound beside the
# per-address ones, so that reload fails and changes nothing; after
# `portierctl disable` (which closes them) it works.
sed -i '/bind_each_address = yes/d' "$PT_CONFD/multihome.conf" || pt_error "sed"
pt_ctl reload > "$PT_DIR/reload.out" 2>&1 && pt_fail "a reload bound a wildcard socket beside them"
out=$(from 192.0.2.3 "$EACH" x)
[ "$out" = "192.0.2.3 udp:x" ] || pt_fail "after the failed reload, asked at 192.0.2.3: '$out'"
pt_ctl disable each/udp > /dev/null || pt_fail "disable each/udp"
pt_ctl reload > "$PT_DIR/reload.out" 2>&1 ||
	pt_fail "reload without bind_each_address after disable: $(cat "$PT_DIR/reload.out")"
ss -Hlun "sport = :$EACH" > "$PT_DIR/each.ss"
pt_assert_grep " 0\.0\.0\.0:$EACH " "$PT_DIR/each.ss" "no wildcard socket once the option is off"
grep -q " 192\.0\.2\.3:$EACH " "$PT_DIR/each.ss" && pt_fail "a per-address socket stayed"
echo "bind_each_address turned off: after disable, a reload binds the wildcard"

[ "$(pt_wait_zombies)" -eq 0 ] || pt_fail "zombie children left"
pt_stop || pt_fail "portierd exit status on SIGTERM"

# At start the sockets of every address count against RLIMIT_NOFILE, not
# the one wildcard the bind names: 60 addresses more and a limit of 80 give
# one line saying what is missing, and no start (not a failed bind per
# address).
i=1
while [ $i -le 60 ]; do
	ip addr add "203.0.113.$i/32" dev lo || pt_error "ip addr add 203.0.113.$i"
	i=$((i + 1))
done
sed -i "s/^\(\tport = $EACH\)\$/\1\n\tbind_each_address = yes/" "$PT_CONFD/multihome.conf" ||
	pt_error "sed"
grep -q "bind_each_address = yes" "$PT_CONFD/multihome.conf" || pt_error "the option is not back"
(ulimit -n 80 && pt_run) && pt_fail "portierd started with 60 more addresses and 80 descriptors"
pt_assert_grep "portierd\[[0-9]+\]: [0-9]+ sockets needed .*RLIMIT_NOFILE allows 80: .*refusing to start$" \
	"$PT_LOG" "no line saying what is missing"
grep -q "cannot listen on" "$PT_LOG" && pt_fail "sockets were opened beyond the limit"
echo "bind_each_address: its addresses count against RLIMIT_NOFILE at start"
exit 0
