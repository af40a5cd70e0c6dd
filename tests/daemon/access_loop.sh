#!/bin/sh
# SPDX-License-Identifier: ISC
# The inetd "looping" case: a wait-mode UDP service whose handler dies at once
# without reading leaves its datagram queued and is restarted again and
# again. Beyond loop_limit starts in a minute the service is disabled for
# loop_disable seconds (logged, no start meanwhile), then re-enabled: the
# queued datagram is then answered by a handler that works.
. "${top_srcdir:-../..}/tests/lib/lib.sh"
pt_init

PORT=$(pt_ports 1)
cat > "$PT_DIR/flaky" <<SH
#!/bin/sh
[ -e "$PT_DIR/looping" ] && exit 1
exec "$PT_HANDLER" udp
SH
chmod 755 "$PT_DIR/flaky"
touch "$PT_DIR/looping"
pt_conf defaults <<CONF
defaults {
	loop_limit = 3
	loop_disable = 2
}
CONF
pt_udp_service loop "$PORT" "$PT_DIR/flaky"
pt_start

$PT_CLIENT udp 127.0.0.1 "$PORT" ping > "$PT_DIR/reply" 2>&1 &
client=$!
pt_wait_log 'loop: 4 starts within a minute: the handler seems to loop; service paused for 2 s' ||
	pt_fail "the loop guard did not trip"
rm "$PT_DIR/looping"
pt_wait_log 'loop: loop guard released' 5 || pt_fail "the service was not re-enabled"
wait "$client" || pt_fail "no reply after the service was re-enabled: $(cat "$PT_DIR/reply")"
[ "$(cat "$PT_DIR/reply")" = "udp:ping" ] || pt_fail "reply: '$(cat "$PT_DIR/reply")'"
# Four starts (the fourth trips the guard), then none until the release.
starts=$(sed '/loop guard released/q' "$PT_LOG" | grep -c 'loop: start pid')
[ "$starts" -eq 4 ] || pt_fail "$starts handlers started before the release, expected 4"
n=$(grep -c 'loop: exit pid [0-9]* status 1' "$PT_LOG")
[ "$n" -eq 4 ] || pt_fail "$n looping handlers ran, expected 4 (loop_limit 3, then the guard)"

[ "$(pt_wait_zombies)" -eq 0 ] || pt_fail "zombie children left"
pt_stop || pt_fail "portierd exit status on SIGTERM"
exit 0
