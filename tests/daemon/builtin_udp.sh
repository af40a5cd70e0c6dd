#!/bin/sh
# SPDX-License-Identifier: ISC
# Internal services over UDP, IPv4 and IPv6: one reply per request datagram,
# byte-exact (echo: the same octets; chargen: 0..512 octets of the RFC 864
# pattern; daytime's format; time within 2 s), no reply from discard; the loop
# guard (no reply to source ports 7, 9, 13, 19, 37, nor to ports below 1024
# for echo and chargen, nor to any address and port portierd serves itself);
# the per-source reply rate.
. "${top_srcdir:-../..}/tests/lib/lib.sh"
pt_init
BC="python3 $top_srcdir/tests/lib/builtin_client.py"

set -- $(pt_ports 10)
ECHO=$1 DISCARD=$2 CHARGEN=$3 DAYTIME=$4 TIME=$5 DENIED=$6 CPS=$7 LOOP_A=$8 LOOP_B=$9
shift 9
LOOP_W=$1
pt_loopback

# cps counts requests here; the conformance checks send more than its
# default 50 per second
pt_conf 00-defaults <<CONF
defaults {
	cps = { 0, 0 }
}
CONF
for svc in echo:$ECHO discard:$DISCARD chargen:$CHARGEN daytime:$DAYTIME time:$TIME; do
	pt_internal "${svc%:*}/udp" "${svc%:*}" "${svc#*:}"
done
PT_BIND=
# the same admission as every service
pt_internal time-denied/udp time "$DENIED" "only_from = { 192.0.2.1 }"
pt_internal time-cps/udp time "$CPS" "cps = { 5, 1 }"
# the targets of spoofed loops: two echo services and a wildcard chargen
pt_internal loop-a/udp echo "$LOOP_A"
pt_internal loop-b/udp echo "$LOOP_B"
PT_BIND='"0.0.0.0"' pt_internal loop-w/udp chargen "$LOOP_W"
TZ=UTC0
export TZ
pt_start

for h in $PT_HOSTS; do
	for k in echo:$ECHO discard:$DISCARD chargen:$CHARGEN daytime:$DAYTIME time:$TIME; do
		$BC udp "$h" "${k#*:}" "${k%:*}" || pt_fail "udp ${k%:*} over $h"
	done
done
pt_assert_grep "daytime/udp: served internal from 127\.0\.0\.1:[0-9]+" "$PT_LOG" "no log line"

# Loop guard. Binding a source port below 1024 needs root.
if [ "$(id -u)" -eq 0 ]; then
	for p in 7 9 13 19 37; do
		$BC udp-loop 127.0.0.1 "$ECHO" "$p" none || pt_fail "echo answered port $p"
		$BC udp-loop 127.0.0.1 "$DAYTIME" "$p" none || pt_fail "daytime answered port $p"
	done
	$BC udp-loop 127.0.0.1 "$CHARGEN" 19 none || pt_fail "chargen answered chargen"
	$BC udp-loop 127.0.0.1 "$ECHO" 1023 none || pt_fail "echo answered port 1023"
	$BC udp-loop 127.0.0.1 "$CHARGEN" 123 none || pt_fail "chargen answered port 123"
	# the non-amplifying services do answer other privileged ports
	$BC udp-loop 127.0.0.1 "$DAYTIME" 1023 reply || pt_fail "daytime ignored port 1023"
	$BC udp-loop 127.0.0.1 "$TIME" 1000 reply || pt_fail "time ignored port 1000"
else
	echo "not root: the privileged source ports of the loop guard are not tested"
fi
$BC udp-loop 127.0.0.1 "$DENIED" 40037 none || pt_fail "only_from did not apply to UDP"
pt_wait_log "time-denied/udp: refused connection from 127\.0\.0\.1:40037: access" ||
	pt_fail "no refusal logged for UDP"
# an ordinary client port is answered
$BC udp-loop 127.0.0.1 "$ECHO" 40007 reply || pt_fail "echo ignored an ordinary port"

# Loops through portierd's own sockets, on any port (issue 19): datagrams
# spoofed from another of its UDP services, from the service itself, or from
# a wildcard one (any local address) get no reply, and spend nothing of the
# per-source rate that a real client on 127.0.0.1 shares. Spoofing needs a
# raw socket, so root.
if [ "$(id -u)" -eq 0 ]; then
	python3 - "$LOOP_A" "$LOOP_B" "$LOOP_W" <<'PY' || pt_fail "spoofed datagrams not sent"
import socket, struct, sys
a, b, w = (int(x) for x in sys.argv[1:4])
raw = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_RAW)
def spoof(src, sport, dport):
    udp = struct.pack("!HHHH", sport, dport, 8 + 4, 0) + b"loop"	# checksum 0: none
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(udp), 0, 0, 64, socket.IPPROTO_UDP, 0,
                     socket.inet_aton(src), socket.inet_aton("127.0.0.1"))
    raw.sendto(ip + udp, ("127.0.0.1", 0))
for _ in range(20):
    spoof("127.0.0.1", b, a)	# from the other echo
    spoof("127.0.0.1", a, a)	# from itself
    spoof("127.0.0.1", w, a)	# from the wildcard chargen
    spoof("127.0.0.2", w, b)	# the same, from another local address
    spoof("127.0.0.1", a, w)	# chargen from an echo
PY
	sleep 0.5
	$BC udp-loop 127.0.0.1 "$LOOP_A" 40008 reply || pt_fail "a real client starved by a spoofed loop"
	"$PORTIERCTL" -s "$PT_DIR/control" status --json > "$PT_DIR/status.json" || pt_fail "status"
	python3 - "$PT_DIR/status.json" <<'PY' || pt_fail "spoofed datagrams were answered"
import json, sys
svc = {s["id"]: s for s in json.load(open(sys.argv[1]))["services"]}
got = {i: svc[i]["accepted"] for i in ("loop-a/udp", "loop-b/udp", "loop-w/udp")}
# the real client's request is loop-a's only one
assert got == {"loop-a/udp": 1, "loop-b/udp": 0, "loop-w/udp": 0}, got
PY
else
	echo "not root: loops spoofed from portierd's own sockets are not tested"
fi

# Rate: 50 replies per second and source, bursts of 100. After a pause that
# refills the bucket, 250 requests at once get about 100 replies.
sleep 2.5
$BC udp-rate 127.0.0.1 "$TIME" 250 50 150 || pt_fail "per-source rate limit"
# cps counts each request: 5 in a second are answered, then the socket
# rests for a second
$BC udp-rate 127.0.0.1 "$CPS" 20 5 5 || pt_fail "cps of an internal UDP service"
pt_assert_grep "time-cps/udp: cps: more than 5" "$PT_LOG" "cps pause not logged"
# another source is not affected
if pt_ipv6; then
	$BC udp ::1 "$TIME" time || pt_fail "::1 limited by 127.0.0.1's rate"
fi

pt_stop || pt_fail "portierd exit status"
exit 0
