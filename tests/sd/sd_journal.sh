#!/bin/sh
# SPDX-License-Identifier: ISC
# The journal (docs/systemd.md): with `log = journal`, and by default when
# stderr is the journal's stream (JOURNAL_STREAM), portierd's lines reach
# the journal with their fields (SERVICE_ID, REMOTE_ADDR, REMOTE_PORT,
# HANDLER_PID, EXIT_STATUS, DURATION_USEC, REFUSED_REASON), so that
# `journalctl SERVICE_ID=…` finds them, and each kind of event with its
# MESSAGE_ID (the table of docs/systemd.md). The test needs no running systemd:
# it re-runs itself in private mount and PID namespaces with a journald of
# its own on tmpfs (the host's journal, if any, is never touched). SKIP when
# the build has no journal support, without root or without journald.
# The formatting of the fields is also unit-tested (tests/unit/check_log.c).
. "${top_srcdir:-../..}/tests/lib/lib.sh"

"$PORTIERD" --version | grep -q '^features:.*+journal' ||
	pt_skip "portierd built without journal support"
[ "$(id -u)" = 0 ] || pt_skip "needs root (a private journald in a mount namespace)"
JOURNALD=/lib/systemd/systemd-journald
[ -x "$JOURNALD" ] || JOURNALD=/usr/lib/systemd/systemd-journald
[ -x "$JOURNALD" ] && command -v journalctl >/dev/null ||
	pt_skip "no systemd-journald/journalctl to reach (package systemd)"
if [ -z "${SD_JOURNAL_NS:-}" ]; then
	unshare --mount --propagation private --pid --fork --mount-proc true 2>/dev/null ||
		pt_skip "cannot make mount and PID namespaces"
	SD_JOURNAL_NS=1
	export SD_JOURNAL_NS
	exec unshare --mount --propagation private --pid --fork --mount-proc /bin/sh "$0" "$@"
fi

pt_init
for d in /run/systemd/journal /run/log /var/log/journal; do
	[ -d "$d" ] || mkdir -p "$d" || pt_error "mkdir $d"
	mount -t tmpfs tmpfs "$d" || pt_error "cannot mount a tmpfs on $d"
done
pt_bg "$JOURNALD"
pt_wait_until '[ -S /run/systemd/journal/socket ]' || pt_error "journald did not start"

set -- $(pt_ports 2)
OK=$1 DENY=$2
pt_tcp_service jok "$OK" /bin/echo '"journal"'
pt_tcp_service jdeny "$DENY" /bin/echo "" 'only_from = { "192.0.2.1" }'

jwait() {	# PID MATCH...: until journalctl _PID=PID MATCH… finds an entry
	pid=$1
	shift
	end=$(( $(date +%s) + PT_WAIT_MIN ))
	until [ -n "$(journalctl --no-pager -q -o cat "_PID=$pid" "$@" 2>/dev/null)" ]; do
		[ "$(date +%s)" -lt "$end" ] || return 1
		sleep 0.1
	done
}

# field PID NAME MATCH…: the values of NAME in the entries that match
field() {
	pid=$1 name=$2
	shift 2
	journalctl --no-pager -q -o export "_PID=$pid" "$@" | sed -n "s/^$name=//p"
}

jstart() {
	: > "$PT_LOG"
	"$PORTIERD" -f -c "$PT_CONFD" -r "$REGISTRY" 2>> "$PT_LOG" &
	PT_PID=$!
	jwait "$PT_PID" "MESSAGE=portierd 0.1.0 started: 2 service(s) configured" ||
		pt_fail "no start-up line in the journal"
}

exercise() {
	out=$($PT_CLIENT tcp 127.0.0.1 "$OK") || pt_fail "jok does not answer"
	[ "$out" = journal ] || pt_fail "jok answered '$out'"
	python3 -c 'import socket, sys
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=10)
s.settimeout(10)
s.recv(1)' "$DENY" || pt_fail "jdeny: the refused connection was not closed"
	jwait "$PT_PID" SERVICE_ID=jok EXIT_STATUS="status 0" || pt_fail "no exit line for jok"
	jwait "$PT_PID" SERVICE_ID=jdeny REFUSED_REASON=access || pt_fail "no refusal of jdeny"
}

# 1. log = journal
pt_conf log <<CONF
defaults {
	log = journal
}
CONF
jstart
exercise
[ "$(field "$PT_PID" REMOTE_ADDR SERVICE_ID=jok | head -n 1)" = 127.0.0.1 ] ||
	pt_fail "REMOTE_ADDR missing"
field "$PT_PID" REMOTE_PORT SERVICE_ID=jok | grep -Eqx '[0-9]+' || pt_fail "REMOTE_PORT missing"
field "$PT_PID" HANDLER_PID SERVICE_ID=jok | grep -Eqx '[0-9]+' || pt_fail "HANDLER_PID missing"
field "$PT_PID" DURATION_USEC SERVICE_ID=jok | grep -Eqx '[0-9]+' || pt_fail "DURATION_USEC missing"
field "$PT_PID" MESSAGE SERVICE_ID=jdeny | grep -q "jdeny: refused connection from 127.0.0.1:[0-9]*: access" ||
	pt_fail "the refusal's MESSAGE"
[ "$(field "$PT_PID" PRIORITY SERVICE_ID=jdeny | head -n 1)" = 5 ] || pt_fail "PRIORITY of the refusal"
[ "$(field "$PT_PID" SYSLOG_IDENTIFIER SERVICE_ID=jok | head -n 1)" = portierd ] ||
	pt_fail "SYSLOG_IDENTIFIER"
grep -q "jok" "$PT_LOG" && pt_fail "log = journal, but lines went to stderr"
# MESSAGE_ID: start-up, a handler's start and exit, a refusal, a reload
# (good, then bad), the stop
jwait "$PT_PID" MESSAGE_ID=509453c49d024f7eb0c7611bd300677b || pt_fail "no MESSAGE_ID of start-up"
jwait "$PT_PID" MESSAGE_ID=0f20d3c015904264b4f3b7a68e9d50dd SERVICE_ID=jok ||
	pt_fail "no MESSAGE_ID of jok's handler start"
jwait "$PT_PID" MESSAGE_ID=016d1b5ee7404e2ebbadfe964b25ebbd SERVICE_ID=jok ||
	pt_fail "no MESSAGE_ID of jok's handler exit"
jwait "$PT_PID" MESSAGE_ID=7cae5b880d8746719b3aaa75048c3fe5 SERVICE_ID=jdeny ||
	pt_fail "no MESSAGE_ID of jdeny's refusal"
field "$PT_PID" MESSAGE MESSAGE_ID=0f20d3c015904264b4f3b7a68e9d50dd | grep -q '^jok: start pid' ||
	pt_fail "the start entry's MESSAGE"
kill -HUP "$PT_PID"
jwait "$PT_PID" MESSAGE_ID=00819a06c33a4c809d6b941203b12473 || pt_fail "no MESSAGE_ID of a reload"
echo 'service broken {' > "$PT_CONFD/broken.conf"
kill -HUP "$PT_PID"
jwait "$PT_PID" MESSAGE_ID=42d9ec9670004e96bab8ada187745e9e ||
	pt_fail "no MESSAGE_ID of a failed reload"
rm "$PT_CONFD/broken.conf"
pid=$PT_PID
pt_stop || pt_fail "portierd exited with status $?"
jwait "$pid" MESSAGE_ID=220c94229d734effaa1480bbbce4be6b || pt_fail "no MESSAGE_ID of the stop"

# 2. No `log`, in the foreground, stderr is "the journal's stream": the
#    journal is the default.
rm "$PT_CONFD/log.conf"
: > "$PT_LOG"
JOURNAL_STREAM=$(stat -c '%d:%i' "$PT_LOG")
export JOURNAL_STREAM
jstart
unset JOURNAL_STREAM
exercise
grep -q "jok" "$PT_LOG" && pt_fail "stderr is the journal's, but lines went to stderr"
pt_stop || pt_fail "portierd exited with status $?"

# 3. The same without JOURNAL_STREAM: stderr, as before.
pt_start
out=$($PT_CLIENT tcp 127.0.0.1 "$OK") || pt_fail "jok does not answer"
pt_wait_log "jok: exit" || pt_fail "without JOURNAL_STREAM, nothing on stderr"
[ -z "$(journalctl --no-pager -q -o cat "_PID=$PT_PID" 2>/dev/null)" ] ||
	pt_fail "without JOURNAL_STREAM, lines went to the journal"
pt_stop || pt_fail "portierd exited with status $?"
exit 0
