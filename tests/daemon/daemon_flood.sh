#!/bin/sh
# SPDX-License-Identifier: ISC
# portierd under 500 concurrent connections to a /bin/cat service: every
# connection gets exactly its own bytes back; afterwards no zombie is left
# and portierd holds as many descriptors as before the burst.
. "${top_srcdir:-../..}/tests/lib/lib.sh"
pt_init

N=500
PORT=$(pt_ports 1)
pt_conf defaults <<CONF
defaults {
	max_children = UNLIMITED
}
CONF
pt_tcp_service flood "$PORT" /bin/cat "" 'instances = UNLIMITED' 'per_source = UNLIMITED' \
	'cps = { 0, 0 }' 'log_on_success = { PID, EXIT }'
# the client holds N sockets at once
[ "$(ulimit -n)" = unlimited ] || [ "$(ulimit -n)" -ge $((N + 100)) ] ||
	ulimit -n $((N + 100)) 2>/dev/null || pt_skip "cannot open $N descriptors"
pt_start

before=$(pt_fd_count)
$PT_CLIENT flood 127.0.0.1 "$PORT" "$N" || pt_fail "$N concurrent connections"
pt_wait_count "flood: exit pid" "$N" 20 ||
	pt_fail "only $(grep -c 'flood: exit pid' "$PT_LOG") of $N handlers were reaped"
z=$(pt_wait_zombies)
[ "$z" -eq 0 ] || pt_fail "$z zombie children after the burst"
after=$(pt_fd_count)
[ "$after" -eq "$before" ] || pt_fail "portierd had $before descriptors before, $after after"
n=$(grep -c 'flood: exit pid [0-9]* status 0' "$PT_LOG")
[ "$n" -eq "$N" ] || pt_fail "$n of $N handlers exited with status 0"

pt_stop || pt_fail "portierd exit status on SIGTERM"
exit 0
