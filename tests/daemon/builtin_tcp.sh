#!/bin/sh
# SPDX-License-Identifier: ISC
# Internal services over TCP, IPv4 and IPv6: byte-exact RFC 862/863/864/867/868
# conformance (echo of 1 MiB of random data, discard of 10 MiB, chargen's
# first 10 lines and its rotation, daytime's format, time within 2 s of the
# clock), the idle timeout, admission (only_from, per_source) and the log
# lines.
. "${top_srcdir:-../..}/tests/lib/lib.sh"
pt_init
BC="python3 $top_srcdir/tests/lib/builtin_client.py"

set -- $(pt_ports 8)
ECHO=$1 DISCARD=$2 CHARGEN=$3 DAYTIME=$4 TIME=$5 IDLE=$6 DENIED=$7 LIMITED=$8
pt_loopback

for svc in echo:$ECHO discard:$DISCARD chargen:$CHARGEN daytime:$DAYTIME time:$TIME; do
	pt_internal "${svc%:*}" "${svc%:*}" "${svc#*:}"
done
PT_BIND=
# the same echo under another id, with a 2 s idle timeout
pt_internal echo-idle echo "$IDLE" "idle_timeout = 2"
# the same admission as every service: an address list, per-source counts
pt_internal daytime-denied daytime "$DENIED" "only_from = { 192.0.2.1 }"
pt_internal echo-limited echo "$LIMITED" "per_source = 3"

# daytime is local time: give the daemon and the client the same zone
TZ=EST5EDT
export TZ
pt_start
fds0=$(pt_fd_count)

for h in $PT_HOSTS; do
	$BC echo "$h" "$ECHO" 1048576 || pt_fail "echo over $h"
	$BC echo "$h" "$ECHO" 0 || pt_fail "empty echo over $h"
	$BC discard "$h" "$DISCARD" 10485760 || pt_fail "discard over $h"
	$BC chargen "$h" "$CHARGEN" 10 || pt_fail "chargen over $h"
	$BC chargen-rotation "$h" "$CHARGEN" || pt_fail "chargen rotation over $h"
	$BC daytime "$h" "$DAYTIME" || pt_fail "daytime over $h"
	$BC time "$h" "$TIME" || pt_fail "time over $h"
done

# nothing sent, nothing received: closed after idle_timeout (2 s): not
# before 1.5 s, and (generously) within 10 s
$BC silent 127.0.0.1 "$IDLE" 1.5 10 || pt_fail "idle timeout"
pt_wait_log "echo-idle: end internal from 127\.0\.0\.1:[0-9]+ duration" ||
	pt_fail "no end line for the idle connection"

$BC refused 127.0.0.1 "$DENIED" || pt_fail "only_from did not apply"
pt_wait_log "daytime-denied: refused connection from 127\.0\.0\.1:[0-9]+: access" ||
	pt_fail "no refusal logged"
$BC per-source 127.0.0.1 "$LIMITED" 3 || pt_fail "per_source did not apply"
pt_wait_log "echo-limited: refused connection from 127\.0\.0\.1:[0-9]+: per_source" ||
	pt_fail "no per_source refusal logged"

# logged as handlers are: HOST on start, DURATION at the end
pt_assert_grep "echo: start internal from 127\.0\.0\.1:[0-9]+" "$PT_LOG" "no start line"
pt_wait_log "echo: end internal from 127\.0\.0\.1:[0-9]+ duration" || pt_fail "no end line"
pt_assert_grep "daytime: served internal from 127\.0\.0\.1:[0-9]+" "$PT_LOG" "no daytime line"
# every connection is closed again
pt_wait_until '[ "$(pt_fd_count)" -le "$fds0" ]' || pt_fail "$(pt_fd_count) descriptors open, $fds0 at start"

pt_stop || pt_fail "portierd exit status"
exit 0
