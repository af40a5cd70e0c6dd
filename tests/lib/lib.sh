# SPDX-License-Identifier: ISC
# lib.sh: the one shell library of the tests: portierd's integration tests
# (pt_init, then a daemon), its control commands, and portierctl's commands
# without a daemon (pt_cmd_init). Source it first thing:
#
#   . "${top_srcdir:-../..}/tests/lib/lib.sh"
#
# Environment (set by Makefile.am's TESTS_ENVIRONMENT): PORTIERD, PORTIERCTL,
# REGISTRY, top_srcdir, top_builddir. Exit codes follow automake: 0 pass,
# 1 fail, 77 skip, 99 hard error.
#
# Variables after pt_init:
#   PT_DIR       a fresh temporary directory (removed at exit)
#   PT_CONFD     $PT_DIR/conf.d, where pt_conf writes
#   PT_LOG       portierd's log (stderr of the foreground daemon)
#   PT_PID       the running portierd's pid (after pt_start)
#   PT_READY     the time (seconds since the epoch) pt_start saw portierd ready:
#                windows a test measures (expires, open --for) start here
#   PT_HANDLER   the test handler program (tests/lib/handler.c)
#   PT_CLIENT    python3 tests/lib/client.py (tcp, udp, flood, freeport, ready)
#
# Functions:
#   pt_init                 temp dir, traps: portierd is always stopped
#   pt_fail MSG / pt_skip MSG / pt_error MSG   end the test (1 / 77 / 99)
#   pt_ports N              N free ports (TCP and UDP, 127.0.0.1 and ::1), at
#                           random outside the kernel's ephemeral range and the
#                           demo's 10000-10199, reserved against the other tests
#                           until this one ends (client.py freeport)
#   pt_conf NAME <<EOF      writes $PT_CONFD/NAME.conf from stdin
#   pt_start [ARGS]         portierd -f -c $PT_CONFD -r $REGISTRY ARGS in the
#                           background, logging to $PT_LOG; waits until ready
#                           (its control socket is in $PT_DIR, never the
#                           system's; a --control-socket in ARGS wins)
#   pt_wait_until 'COMMAND' [SECS]   until COMMAND (eval'd) succeeds
#   pt_wait_log REGEX [SECS]   until REGEX appears in $PT_LOG
#   pt_wait_count REGEX N [SECS]   until N lines of $PT_LOG match REGEX
#                           Each wait polls every 0.1 s and returns as soon as
#                           the thing happened; SECS bounds a thing that must
#                           happen, so it is never less than PT_WAIT_MIN (30 s):
#                           a loaded machine is slow, a broken daemon is not
#                           helped by waiting less.
#   pt_run [ARGS]           portierd -f … ARGS expected to exit by itself: runs it
#                           (at most 30 s, then killed: status 124), log to $PT_LOG
#   pt_stop                 SIGTERM, waits (bounded); returns portierd's status
#   pt_fd_count [PID]       open descriptors of PID (default $PT_PID)
#   pt_zombies [PID]        zombie children of PID
#   pt_wait_zombies [PID]   waits (bounded) until PID has no zombie, echoes count
#   pt_ipv6                 true when ::1 is usable
#   pt_loopback             PT_HOSTS: 127.0.0.1, and ::1 when usable; PT_BIND:
#                           the same as a bind list ("127.0.0.1", "::1")
#   pt_service ID KIND PORT SERVER [ARGS [OPTION...]]   a service ID of KIND
#                           tcp, tcp-wait or udp on PORT of 127.0.0.1 (of
#                           PT_BIND when set) that runs SERVER with server_args
#                           ARGS ('"a", "b"'), with extra option lines
#   pt_tcp_service ID PORT SERVER [ARGS [OPTION...]]   pt_service ID tcp ...
#   pt_udp_service ID PORT SERVER [ARGS [OPTION...]]   pt_service ID udp ...
#   pt_internal ID NAME PORT [OPTION...]   an internal service NAME (echo,
#                           daytime…) as ID on PORT of 127.0.0.1 (of every
#                           PT_HOSTS address when PT_BIND is set), with extra
#                           option lines
#   pt_assert_grep REGEX FILE MSG   fail with MSG (and the file) unless it matches
#   pt_bg CMD [ARGS]        runs CMD in the background, killed at exit
#   pt_lock NAME [SECS]     waits (bounded, 900 s) for a lock that every test
#                           run on this machine shares (all build trees: other
#                           suites may run at once), held until the test exits:
#                           for what is global (the demo's fixed ports, dpkg)
#   pt_hold_port HOST PORT  a background TCP listener that keeps PORT busy
#
# Networks of the test's own (only 192.0.2.0/24, 198.51.100.0/24,
# 203.0.113.0/24 and 2001:db8::/32 on them):
#   pt_netns [--strict] [ARGS]   first thing: SKIP unless root and unshare
#                           works (--strict: ERROR when unshare fails); re-runs
#                           the test in new network, PID and mount namespaces
#                           (every process it starts dies with it), loopback up
#   pt_client_ns            a second network namespace, the clients', held by
#                           a process of the test (PT_CLIENT_PID);
#                           "$PT_IN_CLIENT CMD" runs CMD there; no duplicate
#                           address detection in either (IPv6 usable at once)
#   pt_veth NAME PEER       a veth link, NAME here and PEER in the clients'
#                           namespace, both up; false when it cannot be made
#
# Runtime control (tests/daemon/control_*.sh):
#   PT_CTL                  the control socket, $PT_DIR/control (after pt_start_ctl)
#   pt_start_ctl [ARGS]     pt_start, then waits for the control socket
#   pt_ctl ARGS             portierctl -s $PT_CTL ARGS
#   pt_echo ID PORT [OPTION...]   an internal echo service ID on 127.0.0.1:PORT
#   pt_answers PORT         true when 127.0.0.1:PORT echoes
#
# portierctl's commands without a daemon (tests/ctl/): a failed check is
# reported and counted, not fatal, so that one run shows every broken check;
# the test ends with `exit $PT_FAILED`.
#   pt_cmd_init COMMAND     temp dir $PT_DIR (removed at exit); COMMAND is the
#                           portierctl subcommand under test
#   pt_cmd RC [ARGS]        portierctl COMMAND ARGS must exit with RC; its
#                           stdout and stderr are in $PT_DIR/out and $PT_DIR/err
#   pt_has out|err REGEX    a line of the last stdout or stderr matches
#   pt_lines [out|err] N    the last stdout (by default) or stderr has N lines
#   pt_cmd_fail MSG         reports MSG and the last output; PT_FAILED=1
# Every wait is bounded in tries and time.

set -u

: "${top_srcdir:=../..}"
: "${top_builddir:=../..}"
: "${PORTIERD:=$top_builddir/sbin/portierd}"
: "${PORTIERCTL:=$top_builddir/sbin/portierctl}"
: "${REGISTRY:=$top_srcdir/services.db}"
PT_HANDLER="$top_builddir/tests/lib/handler"
PT_CLIENT="python3 $top_srcdir/tests/lib/client.py"
PT_PID=
PT_READY=
PT_DIR=
PT_BG=
PT_CTL=
PT_CMD=
PT_FAILED=0
# The least bound of a wait for something that must happen (pt_wait_until).
PT_WAIT_MIN=30

pt_fail() {
	echo "FAIL: $*" >&2
	if [ -n "$PT_DIR" ] && [ -s "$PT_DIR/portierd.log" ]; then
		echo "--- portierd log (last 40 lines) ---" >&2
		tail -n 40 "$PT_DIR/portierd.log" >&2
	fi
	exit 1
}

pt_skip() {
	echo "SKIP: $*" >&2
	exit 77
}

pt_error() {
	echo "ERROR: $*" >&2
	exit 99
}

pt_cleanup() {
	for p in $PT_BG; do
		kill -TERM "$p" 2>/dev/null
	done
	if [ -n "$PT_PID" ] && kill -0 "$PT_PID" 2>/dev/null; then
		kill -TERM "$PT_PID" 2>/dev/null
		for _ in $(seq 50); do
			kill -0 "$PT_PID" 2>/dev/null || break
			sleep 0.1
		done
		kill -KILL "$PT_PID" 2>/dev/null
	fi
	if [ -n "$PT_DIR" ]; then
		# the ports pt_ports reserved for this test (client.py freeport)
		grep -lxF -- "$PT_DIR" /tmp/portier-test-ports/* 2>/dev/null | xargs -r rm -f
		rm -rf "$PT_DIR"
	fi
}

# pt_tmpdir: $PT_DIR, removed at exit with whatever the test started.
pt_tmpdir() {
	PT_DIR=$(mktemp -d "${TMPDIR:-/tmp}/portier-test.XXXXXX") || pt_error "mktemp"
	chmod 755 "$PT_DIR"
	trap pt_cleanup EXIT
	trap 'exit 99' INT TERM HUP
}

pt_init() {
	[ -x "$PORTIERD" ] || pt_error "no portierd at $PORTIERD"
	[ -x "$PT_HANDLER" ] || pt_error "no test handler at $PT_HANDLER"
	command -v python3 >/dev/null || pt_skip "python3 is needed"
	# As root, portierd refuses files that others own or may write
	# (StrictModes): the test's files are root's and 644, and the registry
	# is used from a copy, wherever the source tree lives.
	umask 022
	pt_tmpdir
	PT_CONFD="$PT_DIR/conf.d"
	PT_LOG="$PT_DIR/portierd.log"
	mkdir "$PT_CONFD"
	cp "$REGISTRY" "$PT_DIR/services.db" || pt_error "cannot copy $REGISTRY"
	REGISTRY="$PT_DIR/services.db"
}

pt_ports() {
	PT_DIR=$PT_DIR $PT_CLIENT freeport "${1:-1}" || pt_error "no free port"
}

pt_conf() {
	cat > "$PT_CONFD/$1.conf"
}

pt_ipv6() {
	python3 -c 'import socket; s = socket.socket(socket.AF_INET6); s.bind(("::1", 0))' 2>/dev/null
}

pt_internal() {
	local id=$1 name=$2 port=$3 opt

	shift 3
	{
		echo "service $id {"
		echo "	type = internal"
		echo "	name = $name"
		echo "	port = $port"
		echo "	bind = { ${PT_BIND:-\"127.0.0.1\"} }"
		for opt in "$@"; do
			echo "	$opt"
		done
		echo "}"
	} > "$PT_CONFD/$(echo "$id" | tr / _).conf"
}

# pt_service ID KIND PORT SERVER [ARGS [OPTION...]]: a section for service
# ID in $PT_CONFD/ID.conf ('/' in ID becomes '_'), on PORT of $PT_BIND
# (127.0.0.1). KIND is tcp (stream, nowait), tcp-wait (stream, wait) or udp
# (dgram, wait). ARGS is server_args' list as written in the file
# ('"a", "b"'; empty: no server_args), each OPTION one more line. Written
# with printf: a backslash in ARGS or an OPTION reaches the file as it is.
pt_service() {
	local id=$1 kind=$2 port=$3 server=$4 args=${5:-} stype proto waits opt

	case $kind in
	tcp)		stype=stream proto=tcp waits=no ;;
	tcp-wait)	stype=stream proto=tcp waits=yes ;;
	udp)		stype=dgram proto=udp waits=yes ;;
	*)		pt_error "pt_service $id: no kind '$kind'" ;;
	esac
	shift 4
	[ $# -gt 0 ] && shift
	{
		printf 'service %s {\n' "$id"
		printf '\tsocket_type = %s\n\tprotocol = %s\n\twait = %s\n' "$stype" "$proto" "$waits"
		printf '\tport = %s\n' "$port"
		printf '\tbind = { %s }\n' "${PT_BIND:-\"127.0.0.1\"}"
		printf '\tserver = "%s"\n' "$server"
		[ -z "$args" ] || printf '\tserver_args = { %s }\n' "$args"
		for opt in "$@"; do
			printf '\t%s\n' "$opt"
		done
		printf '}\n'
	} > "$PT_CONFD/$(echo "$id" | tr / _).conf"
}

# pt_tcp_service ID PORT SERVER [ARGS [OPTION...]]: pt_service ID tcp ...
pt_tcp_service() {
	local id=$1

	shift
	pt_service "$id" tcp "$@"
}

# pt_udp_service ID PORT SERVER [ARGS [OPTION...]]: pt_service ID udp ...
pt_udp_service() {
	local id=$1

	shift
	pt_service "$id" udp "$@"
}

pt_loopback() {
	PT_HOSTS=127.0.0.1
	PT_BIND='"127.0.0.1"'
	if pt_ipv6; then
		PT_HOSTS="$PT_HOSTS ::1"
		PT_BIND="$PT_BIND, \"::1\""
	fi
}

# pt_wait_until 'COMMAND' [SECS]: polls COMMAND (eval'd) every 0.1 s until
# it succeeds (status 0) or max(SECS, PT_WAIT_MIN) seconds have passed
# (status 1). The bound is in wall-clock time, not in tries: on a loaded
# machine a try itself may take long.
pt_wait_until() {
	local pt_secs=${2:-0} pt_end

	[ "$pt_secs" -ge "$PT_WAIT_MIN" ] 2>/dev/null || pt_secs=$PT_WAIT_MIN
	pt_end=$(( $(date +%s) + pt_secs ))
	while :; do
		eval "$1" && return 0
		[ "$(date +%s)" -lt "$pt_end" ] || return 1
		sleep 0.1
	done
}

pt_wait_log() {
	local pt_re=$1

	pt_wait_until 'grep -Eq -- "$pt_re" "$PT_LOG" 2>/dev/null' "${2:-}"
}

pt_wait_count() {
	local pt_re=$1 pt_n=$2

	pt_wait_until '[ "$(grep -Ec -- "$pt_re" "$PT_LOG" 2>/dev/null)" -ge "$pt_n" ]' "${3:-}"
}

pt_start() {
	: > "$PT_LOG"
	PT_READY=
	"$PORTIERD" -f -c "$PT_CONFD" -r "$REGISTRY" --control-socket "$PT_DIR/control" "$@" \
		>> "$PT_LOG" 2>&1 &
	PT_PID=$!
	pt_wait_until 'grep -q "started" "$PT_LOG" || ! kill -0 "$PT_PID" 2>/dev/null' ||
		pt_fail "portierd not ready after $PT_WAIT_MIN s"
	grep -q "started" "$PT_LOG" || pt_fail "portierd exited during start-up"
	PT_READY=$(date +%s)
}

pt_run() {
	timeout 30 "$PORTIERD" -f -c "$PT_CONFD" -r "$REGISTRY" --control-socket "$PT_DIR/control" \
		"$@" > "$PT_LOG" 2>&1
}

pt_stop() {
	local rc

	[ -n "$PT_PID" ] || return 0
	kill -TERM "$PT_PID" 2>/dev/null
	pt_wait_until '! kill -0 "$PT_PID" 2>/dev/null' ||
		pt_fail "portierd did not stop on SIGTERM"
	wait "$PT_PID"
	rc=$?
	PT_PID=
	return $rc
}

pt_fd_count() {
	ls "/proc/${1:-$PT_PID}/fd" | wc -l
}

pt_zombies() {
	ps -o stat= --ppid "${1:-$PT_PID}" | grep -c '^Z' || true
}

pt_wait_zombies() {
	local pt_n pt_zpid=${1:-$PT_PID}

	pt_wait_until 'pt_n=$(pt_zombies "$pt_zpid"); [ "$pt_n" -eq 0 ]'
	echo "$pt_n"
}

pt_assert_grep() {
	grep -Eq -- "$1" "$2" || { echo "--- $2 ---" >&2; cat "$2" >&2; pt_fail "$3"; }
}

pt_bg() {
	"$@" &
	PT_BG="$PT_BG $!"
}

pt_lock() {
	local secs=${2:-900} file="/tmp/portier-test-$1.lock"

	command -v flock >/dev/null || pt_skip "flock (util-linux) is needed"
	# readable by all: root's and other users' runs share it
	[ -e "$file" ] || (umask 0; : >> "$file") 2>/dev/null
	# fd 9 stays open, and the lock held, until the test's shell exits
	exec 9< "$file" || pt_error "cannot open $file"
	flock -w "$secs" 9 || pt_skip "another test run held the $1 lock for $secs s"
}

pt_hold_port() {
	local pt_held="$PT_DIR/held.$2"

	pt_bg python3 -c 'import socket, sys, time
s = socket.socket(socket.AF_INET6 if ":" in sys.argv[1] else socket.AF_INET)
s.bind((sys.argv[1], int(sys.argv[2])))
s.listen()
open(sys.argv[3], "w").close()
time.sleep(120)' "$1" "$2" "$PT_DIR/held.$2"
	pt_wait_until '[ -e "$pt_held" ]' || pt_error "could not occupy port $2"
}

pt_netns() {
	local err fail=pt_skip

	[ "${1:-}" = --strict ] && fail=pt_error && shift
	[ "$(id -u)" = 0 ] || pt_skip "needs root: network namespaces, veth links, addresses"
	if [ -z "${PT_IN_NETNS:-}" ]; then
		err=$(unshare --net --pid --fork --mount-proc true 2>&1) ||
			$fail "cannot make namespaces (unshare): $err"
		PT_IN_NETNS=1
		export PT_IN_NETNS
		exec unshare --net --pid --fork --mount-proc /bin/sh "$0" "$@"
	fi
	ip link set lo up || pt_error "cannot bring loopback up in the namespace"
}

pt_client_ns() {
	local ns

	command -v nsenter >/dev/null || pt_skip "nsenter (util-linux) is needed"
	pt_bg unshare --net sleep 600
	PT_CLIENT_PID=${PT_BG##* }
	pt_wait_until '[ "$(readlink /proc/$PT_CLIENT_PID/ns/net 2>/dev/null)" != "$(readlink /proc/self/ns/net)" ]' ||
		pt_error "the clients' namespace did not come"
	PT_IN_CLIENT="nsenter --net=/proc/$PT_CLIENT_PID/ns/net"
	for ns in "" "$PT_IN_CLIENT"; do
		$ns sh -c 'echo 0 > /proc/sys/net/ipv6/conf/default/accept_dad' ||
			pt_skip "no IPv6 in the namespace"
	done
	$PT_IN_CLIENT ip link set lo up || pt_error "cannot bring the clients' loopback up"
}

pt_veth() {
	ip link add "$1" type veth peer name "$2" netns "$PT_CLIENT_PID" &&
		ip link set "$1" up && $PT_IN_CLIENT ip link set "$2" up
}

pt_start_ctl() {
	PT_CTL="$PT_DIR/control"
	pt_start --control-socket "$PT_CTL" "$@"
	pt_wait_until '[ -S "$PT_CTL" ]' || pt_fail "no control socket at $PT_CTL"
}

pt_ctl() {
	"$PORTIERCTL" -s "$PT_CTL" "$@"
}

pt_echo() {
	local id=$1 port=$2

	shift 2
	pt_internal "$id" echo "$port" "$@"
}

pt_answers() {
	[ "$($PT_CLIENT tcp 127.0.0.1 "$1" ping 2>/dev/null)" = ping ]
}

pt_cmd_init() {
	PT_CMD=$1
	[ -x "$PORTIERCTL" ] || pt_error "$PORTIERCTL: not built"
	[ -r "$REGISTRY" ] || pt_error "$REGISTRY: not readable"
	pt_tmpdir
	: > "$PT_DIR/out"
	: > "$PT_DIR/err"
}

pt_cmd_fail() {
	echo "FAIL: $*"
	sed 's/^/  stdout: /' "$PT_DIR/out"
	sed 's/^/  stderr: /' "$PT_DIR/err"
	PT_FAILED=1
}

pt_cmd() {
	local want=$1 rc

	shift
	"$PORTIERCTL" "$PT_CMD" "$@" > "$PT_DIR/out" 2> "$PT_DIR/err"
	rc=$?
	[ "$rc" = "$want" ] || pt_cmd_fail "$PT_CMD $*: exit $rc, expected $want"
}

pt_has() {
	grep -Eq -- "$2" "$PT_DIR/$1" || pt_cmd_fail "$1 has no line matching /$2/"
}

pt_lines() {
	local n

	[ $# -eq 1 ] && set -- out "$1"
	n=$(wc -l < "$PT_DIR/$1")
	[ "$n" -eq "$2" ] || pt_cmd_fail "$1 has $n lines, expected $2"
}
