#!/bin/sh
# SPDX-License-Identifier: ISC
# Addresses and interfaces that come and go (portier.conf(5) `freebind`,
# `interface`; portierd(8), ADDRESSES THAT APPEAR LATER), on a network of
# the test's own: it re-runs itself in a new network namespace, with two
# veth pairs to a second namespace, the client's. Addresses only from
# 192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24 and 2001:db8::/32.
#
#   server namespace (portierd)          client namespace
#   veth0 192.0.2.1, later .10, ::10  --  veth0c 192.0.2.2
#   veth1 198.51.100.1                --  veth1c 198.51.100.2
#   vethx 203.0.113.1 (made later)    --  vethxc 203.0.113.2
#
# (a) a service bound to 192.0.2.10 (not on the host) waits, shown by
#     status; `ip addr add` gets it listening and answering within a
#     second, without a reload; the same for 2001:db8::10 (nodad), and for
#     2001:db8::11 through duplicate address detection (tentative first).
#     Then what Linux does with a listening socket whose address is deleted
#     and added again: it stays, and answers again (portierd keeps it).
# (b) freebind = yes binds 198.51.100.20 and 2001:db8::20 at start.
# (c) interface = veth0 answers on veth0's address, not on veth1's nor on
#     the loopback; a reload to veth1, then to no interface, binds again.
# (d) interface = vethx, unknown at start, waits; `ip link add` binds it.
# (e) `ip link del vethx` closes its sockets and waits again; a new vethx
#     (another ifindex) is bound again.
. "${top_srcdir:-../..}/tests/lib/lib.sh"

[ "$(id -u)" = 0 ] || pt_skip "needs root (network namespaces, veth interfaces)"
command -v ip >/dev/null || pt_skip "ip (iproute2) is needed"
command -v nsenter >/dev/null || pt_skip "nsenter (util-linux) is needed"
if [ -z "${PT_IN_NETNS:-}" ]; then
	err=$(unshare --net true 2>&1) || pt_skip "cannot make a network namespace: $err"
	PT_IN_NETNS=1
	export PT_IN_NETNS
	exec unshare --net /bin/sh "$0" "$@"
fi
pt_init
ip link set lo up || pt_error "cannot bring loopback up in the namespace"

# The client's namespace: a process that sleeps in it, killed at exit.
pt_bg unshare --net sleep 600
CLIENT_PID=${PT_BG##* }
pt_wait_until '[ "$(readlink /proc/$CLIENT_PID/ns/net)" != "$(readlink /proc/$$/ns/net)" ]' ||
	pt_error "the client's namespace did not come"
in_client() {
	nsenter -t "$CLIENT_PID" -n "$@"
}

# veth_pair NAME ADDRESS PEER_ADDRESS: NAME here, NAMEc in the client's
# namespace, both up.
veth_pair() {
	ip link add "$1" type veth peer name "$1c" || return 1
	ip link set "$1c" netns "$CLIENT_PID" || return 1
	ip addr add "$2/24" dev "$1" && ip link set "$1" up || return 1
	in_client ip addr add "$3/24" dev "$1c" && in_client ip link set "$1c" up
}
err=$(veth_pair veth0 192.0.2.1 192.0.2.2 2>&1) || pt_skip "no veth interfaces here: $err"
veth_pair veth1 198.51.100.1 198.51.100.2 || pt_error "second veth pair"
in_client ip link set lo up

set -- $(pt_ports 8)
P4=$1 P6=$2 PDAD=$3 PFREE=$4 PIF=$5 PLATE=$6 PLOCAL=$7
(PT_BIND='"192.0.2.10"'; pt_echo late4 "$P4")
(PT_BIND='"2001:db8::10"'; pt_echo late6 "$P6")
(PT_BIND='"2001:db8::11"'; pt_echo dad6 "$PDAD")
(PT_BIND='"198.51.100.20", "2001:db8::20"'; pt_echo free "$PFREE" "freebind = yes")
# interface alone: every address of that interface (both families)
pt_conf ifbound <<EOF2
service ifbound {
	type = internal
	name = echo
	port = $PIF
	interface = veth0
}
service late-if {
	type = internal
	name = echo
	port = $PLATE
	interface = vethx
}
EOF2
pt_echo local "$PLOCAL"
pt_start_ctl

# listens ADDR:PORT: a listening TCP socket whose local address ss shows
# so ("192.0.2.10:7", "[2001:db8::10]:7", "0.0.0.0%veth0:7")
listens() {
	ss -Htln "sport = :${1##*:}" 2>/dev/null | awk '{ print $4 }' | grep -qxF -- "$1"
}
answers() {
	[ "$($PT_CLIENT tcp "$1" "$2" hello 2>/dev/null)" = hello ]
}
answers_from_client() {
	[ "$(in_client $PT_CLIENT tcp "$1" "$2" hello 2>/dev/null)" = hello ]
}
now_ms() {
	echo $(( $(date +%s%N) / 1000000 ))
}
# within_second WHAT CONDITION: CONDITION (eval'd) holds within 1 s; polled
# every 20 ms, and waited for up to 30 s so that a slow machine shows how
# late it came rather than only that it did not.
within_second() {
	local t0=$(now_ms) t

	pt_wait_until "$2" || pt_fail "$1: never (30 s)"
	t=$(( $(now_ms) - t0 ))
	[ "$t" -le 1000 ] || pt_fail "$1: after $t ms, not within a second"
	echo "$1: $t ms"
}

# ---- (a) addresses that appear after the start ----
pt_ctl status > "$PT_DIR/status" || pt_fail "status"
pt_assert_grep "^late4 +waiting " "$PT_DIR/status" "late4 is not 'waiting' in status"
pt_assert_grep "^ +waiting for address 192\.0\.2\.10:$P4/tcp$" "$PT_DIR/status" \
	"status does not say which address late4 waits for"
pt_assert_grep "^ +waiting for address \[2001:db8::10\]:$P6/tcp$" "$PT_DIR/status" \
	"status does not say which address late6 waits for"
pt_assert_grep "late4: waiting for address 192\.0\.2\.10:$P4/tcp" "$PT_LOG" "no 'waiting' line for late4"
listens "192.0.2.10:$P4" && pt_fail "late4 listens before its address exists"

ip addr add 192.0.2.10/24 dev veth0 || pt_error "ip addr add 192.0.2.10"
within_second "192.0.2.10 listening after ip addr add" 'listens "192.0.2.10:$P4"'
answers 192.0.2.10 "$P4" || pt_fail "late4 does not answer on 192.0.2.10"
answers_from_client 192.0.2.10 "$P4" || pt_fail "late4 does not answer the client on 192.0.2.10"
pt_assert_grep "late4: now listening on 192\.0\.2\.10:$P4/tcp" "$PT_LOG" "no 'now listening' line for late4"

ip addr add 2001:db8::10/64 dev veth0 nodad || pt_error "ip addr add 2001:db8::10"
within_second "2001:db8::10 listening after ip addr add" 'listens "[2001:db8::10]:$P6"'
answers 2001:db8::10 "$P6" || pt_fail "late6 does not answer on 2001:db8::10"

# With duplicate address detection the address is tentative for a while,
# and bind() fails with EADDRNOTAVAIL meanwhile; the RTM_NEWADDR that ends
# DAD is what binds it.
ip addr add 2001:db8::11/64 dev veth0 || pt_error "ip addr add 2001:db8::11"
if ip -6 addr show dev veth0 | grep -q "2001:db8::11/64 scope global tentative"; then
	listens "[2001:db8::11]:$PDAD" && pt_fail "dad6 listens on a tentative address"
	echo "2001:db8::11 tentative, dad6 still waiting"
fi
pt_wait_until '! ip -6 addr show dev veth0 | grep -q "2001:db8::11/64 .*tentative"' ||
	pt_fail "DAD of 2001:db8::11 never ended"
within_second "2001:db8::11 listening after DAD" 'listens "[2001:db8::11]:$PDAD"'
answers 2001:db8::11 "$PDAD" || pt_fail "dad6 does not answer on 2001:db8::11"

pt_ctl status --json > "$PT_DIR/status.json" || pt_fail "status --json"
python3 - "$PT_DIR/status.json" <<'PY' || pt_fail "status --json after the addresses came"
import json, sys
svc = {s["id"]: s for s in json.load(open(sys.argv[1]))["services"]}
for i in ("late4", "late6", "dad6"):
    assert svc[i]["state"] == "listening" and svc[i]["waiting"] == [], svc[i]
PY

# Linux keeps a listening socket whose address goes away: bound, listening,
# and answering again once the address is back. portierd keeps it too.
ip addr del 192.0.2.10/24 dev veth0 || pt_error "ip addr del 192.0.2.10"
in_client $PT_CLIENT tcp 192.0.2.10 "$P4" x > /dev/null 2>&1 &&
	pt_fail "late4 answered on an address the host no longer has"
listens "192.0.2.10:$P4" || pt_fail "the socket of a deleted address is gone"
ip addr add 192.0.2.10/24 dev veth0 || pt_error "ip addr add 192.0.2.10 again"
pt_wait_until 'answers_from_client 192.0.2.10 "$P4"' ||
	pt_fail "late4 does not answer once its address is back"
[ "$(grep -c "late4: now listening" "$PT_LOG")" -eq 1 ] ||
	pt_fail "the same socket was expected to answer again, not a new one"

# ---- (b) freebind ----
listens "198.51.100.20:$PFREE" || pt_fail "freebind: 198.51.100.20 not bound at start"
listens "[2001:db8::20]:$PFREE" || pt_fail "freebind: 2001:db8::20 not bound at start"
grep -q "free: waiting" "$PT_LOG" && pt_fail "freebind: free waited"
ip addr add 198.51.100.20/24 dev veth1 || pt_error "ip addr add 198.51.100.20"
pt_wait_until 'answers_from_client 198.51.100.20 "$PFREE"' ||
	pt_fail "freebind: no answer once the address is there"

# ---- (c) interface = veth0 ----
listens "0.0.0.0%veth0:$PIF" || pt_fail "ifbound: no socket bound to veth0"
answers_from_client 192.0.2.1 "$PIF" || pt_fail "ifbound does not answer on veth0's address"
answers_from_client 198.51.100.1 "$PIF" && pt_fail "ifbound answered on veth1's address"
answers 127.0.0.1 "$PIF" && pt_fail "ifbound answered on the loopback"
pt_ctl status > "$PT_DIR/status" || pt_fail "status"
pt_assert_grep "0\.0\.0\.0:$PIF/tcp@veth0" "$PT_DIR/status" "status does not show the interface"
# the audit reads the interface from the kernel (sock_diag's idiag_if);
# its exit status says whether it found something to warn about
COLUMNS=200 "$PORTIERCTL" -s "$PT_CTL" audit -c "$PT_CONFD" -r "$REGISTRY" > "$PT_DIR/audit"
[ $? -le 1 ] || pt_fail "portierctl audit failed"
pt_assert_grep "0\.0\.0\.0@veth0 +$PIF " "$PT_DIR/audit" "the audit does not show the interface"
COLUMNS=200 "$PORTIERCTL" -s "$PT_CTL" audit -c "$PT_CONFD" -r "$REGISTRY" --json > "$PT_DIR/audit.json"
python3 - "$PT_DIR/audit.json" "$PIF" <<'PY' || pt_fail "audit --json: the interface is wrong"
import json, sys
doc = json.load(open(sys.argv[1]))
mine = [k for k in doc["sockets"] if k["port"] == int(sys.argv[2])]
assert mine and all(k["interface"] == "veth0" for k in mine), mine
assert all(k["service"] == "ifbound" for k in mine), mine
PY

# A reload that changes the interface binds the sockets again: from veth0
# to veth1, then to none (every interface; Linux refuses a socket without
# an interface on the port of one with, so the old socket is closed first).
sed -i '0,/interface = veth0/s//interface = veth1/' "$PT_CONFD/ifbound.conf"
pt_ctl reload > /dev/null || pt_fail "reload moving ifbound to veth1 failed"
pt_wait_until 'answers_from_client 198.51.100.1 "$PIF"' || pt_fail "ifbound does not answer on veth1 after the reload"
answers_from_client 192.0.2.1 "$PIF" && pt_fail "ifbound still answers on veth0 after the reload"
sed -i '/interface = veth1/d' "$PT_CONFD/ifbound.conf"
pt_ctl reload > /dev/null || pt_fail "reload dropping ifbound's interface failed"
pt_wait_until 'answers_from_client 192.0.2.1 "$PIF"' || pt_fail "ifbound does not answer on veth0 without interface"
answers_from_client 198.51.100.1 "$PIF" || pt_fail "ifbound does not answer on veth1 without interface"
listens "0.0.0.0:$PIF" || pt_fail "ifbound: no socket on every interface after the reload"
pt_ctl status > "$PT_DIR/status" || pt_fail "status"

# ---- (d) an interface that comes later ----
pt_assert_grep "^late-if +waiting " "$PT_DIR/status" "late-if is not 'waiting'"
pt_assert_grep "waiting for address .*0\.0\.0\.0:$PLATE/tcp@vethx" "$PT_DIR/status" \
	"status does not show what late-if waits for"
pt_assert_grep "late-if: waiting for interface vethx" "$PT_LOG" "no 'waiting for interface' line"
veth_pair vethx 203.0.113.1 203.0.113.2 || pt_error "ip link add vethx"
within_second "vethx bound after ip link add" 'listens "0.0.0.0%vethx:$PLATE"'
pt_wait_until 'answers_from_client 203.0.113.1 "$PLATE"' || pt_fail "late-if does not answer on vethx"

# ---- (e) the interface goes, and comes again ----
ip link del vethx || pt_error "ip link del vethx"
pt_wait_log "late-if: interface vethx is gone" || pt_fail "no line about vethx going"
listens "0.0.0.0%vethx:$PLATE" && pt_fail "the socket of a deleted interface is still open"
pt_ctl status > "$PT_DIR/status" || pt_fail "status"
pt_assert_grep "^late-if +waiting " "$PT_DIR/status" "late-if is not 'waiting' again"
veth_pair vethx 203.0.113.1 203.0.113.2 || pt_error "ip link add vethx again"
pt_wait_until 'answers_from_client 203.0.113.1 "$PLATE"' ||
	pt_fail "late-if does not answer on the new vethx"

# the rest was never disturbed
answers 127.0.0.1 "$PLOCAL" || pt_fail "the loopback service stopped answering"
pt_stop || pt_fail "portierd exit status on SIGTERM"
exit 0
