#!/bin/sh
# Internal services over UDP, IPv4 and IPv6: one reply per request datagram,
# byte-exact (echo: the same octets; chargen: 0..512 octets of the RFC 864
# pattern; daytime's format; time within 2 s), no reply from discard; the loop
# guard (no reply to source ports 7, 9, 13, 19, 37, nor to ports below 1024
# for echo and chargen); the per-source reply rate.
. "${top_srcdir:-../..}/tests/lib/lib.sh"
pt_init
BC="python3 $top_srcdir/tests/lib/builtin_client.py"

set -- $(pt_ports 7)
ECHO=$1 DISCARD=$2 CHARGEN=$3 DAYTIME=$4 TIME=$5 DENIED=$6 CPS=$7
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
