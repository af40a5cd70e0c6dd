#!/bin/sh
# SPDX-License-Identifier: ISC
# run.sh: `make bench`. Measures portierd against the reference servers (the
# least a server can do, tests/bench/refserver.c) and against every peer that
# is installed, with the same handler (tests/bench/hello.c) and the same load
# (tests/bench/loadgen.c), and prints one table row per server and test.
# docs/performance.md explains the method and keeps the latest table.
#
# Every server runs in the foreground on 127.0.0.x with its own configuration
# in a temporary directory; nothing of the system's is read or changed, and
# every process started here is stopped on exit. Peers that are not installed
# are skipped with a note.
#
# Scale with (defaults in brackets):
#   BENCH_RUNS [3]            runs per figure; the table shows medians
#   BENCH_CONNS [2000]        connections per run, exec'd handler, 8 clients
#   BENCH_LAT_CONNS [500]     connections per run at concurrency 1
#   BENCH_INPROC_CONNS [20000] connections per run, internal services
#   BENCH_UDP_CONNS [1000]    datagrams per run, UDP wait mode
#   BENCH_GROWTH [5000]       long-running handlers alive in the growth test
#   BENCH_SERVICES [1000]     services for the startup and reload figures
#   BENCH_SECONDS [20]        time limit of one run
#   BENCH_UDP_SECONDS [5]     time limit of one UDP run (some peers are slow)
#   BENCH_PORT [20000]        first TCP/UDP port used (below the ephemeral range)
#   BENCH_PEER_ROOT []        a `dpkg -x` tree to find peers in (openbsd-inetd
#                             cannot be installed beside xinetd)
#   BENCH_ONLY []             space-separated sections to run: exec latency
#                             internal udp growth startup load
#   BENCH_OUT [bench-results.md] where the table is also written
set -u

: "${BENCH_BIN:?BENCH_BIN: the directory of the built tests/bench programs}"
: "${PORTIERD:=}"
: "${REGISTRY:=}"
RUNS=${BENCH_RUNS:-3}
CONNS=${BENCH_CONNS:-2000}
LAT_CONNS=${BENCH_LAT_CONNS:-500}
INPROC_CONNS=${BENCH_INPROC_CONNS:-20000}
UDP_CONNS=${BENCH_UDP_CONNS:-1000}
GROWTH=${BENCH_GROWTH:-5000}
NSERVICES=${BENCH_SERVICES:-1000}
SECONDS_MAX=${BENCH_SECONDS:-20}
UDP_SECONDS=${BENCH_UDP_SECONDS:-5}
PORT=${BENCH_PORT:-20000}
PEER_ROOT=${BENCH_PEER_ROOT:-}
ONLY=${BENCH_ONLY:-exec latency internal udp growth startup load}
OUT=${BENCH_OUT:-bench-results.md}
SLEEP_SECS=600		# bound on a growth-test handler's life (it dies with its server anyway)

LOADGEN=$BENCH_BIN/loadgen
TMP=$(mktemp -d "${TMPDIR:-/tmp}/portier-bench.XXXXXX") || exit 99
# Handlers run as nobody: they and their directory must be reachable.
chmod 755 "$TMP"
cp "$BENCH_BIN/hello" "$TMP/hello" || exit 99
HELLO=$TMP/hello
PIDS=

cleanup() {
	local p
	for p in $PIDS; do
		kill "$p" 2>/dev/null
	done
	for p in $PIDS; do
		wait "$p" 2>/dev/null
	done
	rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

note() {
	printf '%s\n' "$*" | tee -a "$OUT" >&2
}

row() {
	printf '%s\n' "$*" | tee -a "$OUT"
}

want() {
	case " $ONLY " in *" $1 "*) return 0 ;; esac
	return 1
}

# The ephemeral range must not hold our ports: a client could connect to itself.
low=$(cut -f1 /proc/sys/net/ipv4/ip_local_port_range 2>/dev/null || echo 32768)
if [ $((PORT + 200)) -ge "$low" ] && [ "$PORT" -lt 61000 ]; then
	echo "run.sh: BENCH_PORT=$PORT overlaps the ephemeral range (from $low)" >&2
	exit 99
fi

if [ "$(id -u)" = 0 ]; then
	RUNAS=nobody
	RUNAS_GROUP=$(id -gn nobody)
	IS_ROOT=1
else
	RUNAS=$(id -un)
	RUNAS_GROUP=$(id -gn)
	IS_ROOT=
fi

# --- measuring -------------------------------------------------------------

# CPU time of a process in nanoseconds: schedstat's run time summed over its
# threads (the same accounting as /proc/PID/stat's utime+stime, without the
# 10 ms ticks); /proc/PID/stat when schedstat is missing.
cpu_ns() {
	if [ -r "/proc/$1/schedstat" ]; then
		cat /proc/"$1"/task/*/schedstat 2>/dev/null | awk '{ s += $1 } END { printf "%.0f", s }'
	else
		awk -v hz="$(getconf CLK_TCK)" '{ printf "%.0f", ($14 + $15) * 1e9 / hz }' "/proc/$1/stat"
	fi
}

# The same plus the CPU of its reaped children (cutime+cstime, in ticks): for
# servers that fork to run an internal service (xinetd's echo and daytime).
cpu_ns_children() {
	local own
	own=$(cpu_ns "$1")
	awk -v hz="$(getconf CLK_TCK)" -v own="$own" \
		'{ printf "%.0f", own + ($16 + $17) * 1e9 / hz }' "/proc/$1/stat"
}

# The whole machine's busy time in nanoseconds: every CPU's user, nice,
# system, irq and softirq time from /proc/stat (10 ms ticks): what a run cost
# the client, the server, the handlers and the kernel together.
machine_ns() {
	awk -v hz="$(getconf CLK_TCK)" '/^cpu / { printf "%.0f", ($2 + $3 + $4 + $7 + $8) * 1e9 / hz; exit }' /proc/stat
}

rss_kb() {
	awk '/^VmRSS:/ { print $2 }' "/proc/$1/status" 2>/dev/null || echo 0
}

# loadgen's "key=value" output: field NAME LINE
field() {
	printf '%s\n' "$2" | tr ' ' '\n' | sed -n "s/^$1=//p"
}

# Median of the numbers on stdin.
median() {
	sort -g | awk '{ v[NR] = $1 } END { if (NR == 0) print 0; else if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# measure KEY PID CPUFN LOADGEN_ARGS…: one run; appends
# "conn_s p50 p99 errors cpu_us_per_conn machine_us_per_conn" to $TMP/KEY.
measure() {
	local key pid cpufn c0 m0 out c1 m1 conns errs cpu mcpu
	key=$1 pid=$2 cpufn=$3
	shift 3
	[ -d "/proc/$pid" ] || { echo "0 0 0 -1 0 0" >>"$TMP/$key"; return; }
	c0=$($cpufn "$pid")
	m0=$(machine_ns)
	out=$("$LOADGEN" -t "$SECONDS_MAX" "$@" 2>>"$TMP/loadgen.err")
	m1=$(machine_ns)
	c1=$($cpufn "$pid" 2>/dev/null || echo "$c0")
	conns=$(field conns "$out")
	errs=$(field errors "$out")
	[ -n "$conns" ] || { conns=0; errs=-1; }
	cpu=$(awk -v a="$c0" -v b="$c1" -v n="$conns" 'BEGIN { printf "%.1f", n ? (b - a) / n / 1000 : 0 }')
	mcpu=$(awk -v a="$m0" -v b="$m1" -v n="$conns" 'BEGIN { printf "%.0f", n ? (b - a) / n / 1000 : 0 }')
	echo "$(field conn_s "$out") $(field p50_us "$out") $(field p99_us "$out") $errs $cpu $mcpu" >>"$TMP/$key"
}

# summary KEY: the medians "conn_s p50 p99 errors(sum) cpu machine_cpu"
summary() {
	local f
	f=$TMP/$1
	[ -s "$f" ] || { echo "0 0 0 -1 0 0"; return; }
	echo "$(cut -d' ' -f1 "$f" | median) $(cut -d' ' -f2 "$f" | median)" \
	     "$(cut -d' ' -f3 "$f" | median) $(awk '{ s += $4 } END { print s }' "$f")" \
	     "$(cut -d' ' -f5 "$f" | median) $(cut -d' ' -f6 "$f" | median)"
}

# --- starting servers -------------------------------------------------------

# wait_ready tcp|udp ADDR PORT [PID]: true once the server answers (5 s at most);
# with $WAIT_SEND, sends that first (echo answers nothing before it).
wait_ready() {
	local i
	i=0
	while [ $i -lt 100 ]; do
		if [ $# -ge 4 ] && ! kill -0 "$4" 2>/dev/null; then
			return 1
		fi
		if [ "$1" = udp ]; then
			"$LOADGEN" -u -n 1 -T 100 "$2" "$3" >/dev/null 2>&1 && return 0
		else
			"$LOADGEN" -n 1 -T 500 ${WAIT_SEND:+-s "$WAIT_SEND"} "$2" "$3" \
				>/dev/null 2>&1 && return 0
		fi
		sleep 0.05
		i=$((i + 1))
	done
	return 1
}

# spawn NAME CMD…: starts a server in the background and records its PID.
spawn() {
	local name
	name=$1
	shift
	"$@" >"$TMP/$name.out" 2>&1 </dev/null &
	LAST_PID=$!
	PIDS="$PIDS $LAST_PID"
}

find_peer() {
	local d
	for d in ${PEER_ROOT:+"$PEER_ROOT/usr/sbin" "$PEER_ROOT/usr/bin"} /usr/sbin /usr/bin /sbin /bin; do
		[ -x "$d/$1" ] && { echo "$d/$1"; return 0; }
	done
	return 1
}

# The servers. Each start_X PREFIX PORT_BASE ADDR sets up the exec'd handler
# on PORT_BASE, the sleeping handler on PORT_BASE+1, the UDP wait service on
# PORT_BASE+2 and, where the server has them, daytime (13) and echo (7) on
# ADDR; it sets SRV_PID (empty when the server cannot run here) and
# SRV_INTERNAL (yes when daytime/echo are served in-process).

start_ref() {
	local kind port
	kind=$1 port=$2
	spawn "ref-$kind" "$BENCH_BIN/refserver" "$kind" "$port" "$HELLO"
	SRV_PID=$LAST_PID
}

start_portierd() {
	local port addr d
	port=$2 addr=$3
	SRV_PID=
	[ -x "$PORTIERD" ] || return 1
	d=$TMP/portierd-$1
	mkdir -p "$d"
	portier_defaults >"$d/00-defaults.conf"
	portier_service bench-hello tcp "$port" "$HELLO" >"$d/hello.conf"
	portier_service bench-sleep tcp $((port + 1)) "$HELLO" -s "$SLEEP_SECS" >"$d/sleep.conf"
	portier_service bench-udp udp $((port + 2)) "$HELLO" -u >"$d/udp.conf"
	if [ -n "$IS_ROOT" ]; then
		portier_internal daytime "$addr" 13 >"$d/daytime.conf"
		portier_internal echo "$addr" 7 >"$d/echo.conf"
	fi
	spawn "portierd-$1" "$PORTIERD" -f -c "$d" -r "$REGISTRY"
	SRV_PID=$LAST_PID
	SRV_INTERNAL=yes
}

# portierd's configuration (portier.conf(5)): no limits, no per-connection log.
portier_defaults() {
	cat <<EOF
defaults {
	log = stderr
	control_socket = ""
	max_children = UNLIMITED
	instances = UNLIMITED
	per_source = UNLIMITED
	cps = {0, 0}
	loop_limit = 100000000
	log_on_success = {}
	log_on_failure = {}
	user = $RUNAS
}
EOF
}

# portier_service ID tcp|udp PORT SERVER [ARG...]
portier_service() {
	local id proto p srv sep a
	id=$1 proto=$2 p=$3 srv=$4
	shift 4
	echo "service $id {"
	if [ "$proto" = udp ]; then
		echo "	socket_type = dgram"
		echo "	protocol = udp"
		echo "	wait = yes"
	else
		echo "	socket_type = stream"
		echo "	protocol = tcp"
		echo "	wait = no"
	fi
	echo "	port = $p"
	echo "	bind = {\"127.0.0.1\"}"
	echo "	server = \"$srv\""
	if [ $# -gt 0 ]; then
		printf '	server_args = {'
		sep=
		for a in "$@"; do
			printf '%s"%s"' "$sep" "$a"
			sep=', '
		done
		echo '}'
	fi
	echo "}"
}

# portier_internal NAME ADDRESS PORT
portier_internal() {
	cat <<EOF
service $1 {
	type = internal
	socket_type = stream
	protocol = tcp
	wait = no
	bind = {"$2"}
	port = $3
}
EOF
}

start_xinetd() {
	local port addr x c
	port=$2 addr=$3
	SRV_PID=
	x=$(find_peer xinetd) || return 1
	c=$TMP/xinetd-$1.conf
	{
		cat <<EOF
defaults
{
	instances = UNLIMITED
	per_source = UNLIMITED
	cps = 1000000 1
	log_type = FILE $TMP/xinetd-$1.log
	log_on_success =
	log_on_failure =
}
EOF
		xinetd_service bench-hello stream tcp no "$port" "$HELLO" ""
		xinetd_service bench-sleep stream tcp no $((port + 1)) "$HELLO" "-s $SLEEP_SECS"
		xinetd_service bench-udp dgram udp yes $((port + 2)) "$HELLO" "-u"
		if [ -n "$IS_ROOT" ]; then
			for s in daytime echo; do
				printf 'service %s\n{\n\ttype = INTERNAL\n\tid = %s-stream\n' "$s" "$s"
				printf '\tsocket_type = stream\n\tprotocol = tcp\n\twait = no\n'
				printf '\tuser = root\n\tbind = %s\n}\n' "$addr"
			done
		fi
	} >"$c"
	spawn "xinetd-$1" "$x" -dontfork -f "$c" -pidfile "$TMP/xinetd-$1.pid"
	SRV_PID=$LAST_PID
	SRV_INTERNAL=fork
}

xinetd_service() {
	printf 'service %s\n{\n\ttype = UNLISTED\n\tsocket_type = %s\n\tprotocol = %s\n' "$1" "$2" "$3"
	printf '\twait = %s\n\tuser = %s\n\tserver = %s\n' "$4" "$RUNAS" "$6"
	[ -n "$7" ] && printf '\tserver_args = %s\n' "$7"
	printf '\tport = %s\n\tbind = 127.0.0.1\n}\n' "$5"
}

# openbsd-inetd writes /run/inetd.pid even in the foreground (-i): it runs in
# a mount namespace of its own whose /run is a directory of ours.
start_obsd_inetd() {
	local port addr x c
	port=$2 addr=$3
	SRV_PID=
	x=$(find_peer inetd) || return 1
	# /usr/sbin/inetd may be another inetd: openbsd-inetd's usage names -R.
	"$x" -h 2>&1 | grep -q -- '-R rate' || return 1
	[ -n "$IS_ROOT" ] || return 1
	c=$TMP/obsd-$1.conf
	{
		echo "127.0.0.1:$port stream tcp nowait $RUNAS $HELLO hello"
		echo "127.0.0.1:$((port + 1)) stream tcp nowait $RUNAS $HELLO hello -s $SLEEP_SECS"
		echo "127.0.0.1:$((port + 2)) dgram udp wait $RUNAS $HELLO hello -u"
		echo "$addr:daytime stream tcp nowait root internal"
		echo "$addr:echo stream tcp nowait root internal"
	} >"$c"
	mkdir -p "$TMP/obsd-run-$1"
	spawn "obsd-inetd-$1" unshare -m sh -c 'mount --bind "$1" /run && shift && exec "$@"' sh \
		"$TMP/obsd-run-$1" "$x" -i -R 100000000 "$c"
	SRV_PID=$LAST_PID
	SRV_INTERNAL=yes
}

# inetutils-inetd has no foreground mode without debug output: it detaches and
# tells its PID through a pidfile of ours.
start_inetutils() {
	local port addr x c i
	port=$2 addr=$3
	SRV_PID=
	x=$(find_peer inetutils-inetd) || return 1
	[ -n "$IS_ROOT" ] || return 1
	c=$TMP/inetutils-$1.conf
	{
		echo "127.0.0.1:$port stream tcp nowait.100000000 $RUNAS $HELLO hello"
		echo "127.0.0.1:$((port + 1)) stream tcp nowait.100000000 $RUNAS $HELLO hello -s $SLEEP_SECS"
		echo "127.0.0.1:$((port + 2)) dgram udp wait.100000000 $RUNAS $HELLO hello -u"
		echo "$addr:daytime stream tcp nowait.100000000 root internal"
		echo "$addr:echo stream tcp nowait.100000000 root internal"
	} >"$c"
	"$x" -R 100000000 --pidfile="$TMP/inetutils-$1.pid" "$c" >"$TMP/inetutils-$1.out" 2>&1 </dev/null
	i=0
	while [ ! -s "$TMP/inetutils-$1.pid" ] && [ $i -lt 100 ]; do
		sleep 0.05
		i=$((i + 1))
	done
	SRV_PID=$(cat "$TMP/inetutils-$1.pid" 2>/dev/null)
	[ -n "$SRV_PID" ] || return 1
	PIDS="$PIDS $SRV_PID"
	SRV_INTERNAL=yes
}

start_tcpserver() {
	local port x uid gid
	port=$2
	SRV_PID=
	x=$(find_peer tcpserver) || return 1
	uid=$(id -u "$RUNAS") gid=$(getent group "$RUNAS_GROUP" | cut -d: -f3)
	# -c: tcpserver's own limit of 40 children would cap the growth test.
	spawn "tcpserver-$1" "$x" -HRl0 -c 100000 -u "$uid" -g "$gid" 127.0.0.1 "$port" "$HELLO"
	SRV_PID=$LAST_PID
}

start_sd_activate() {
	local port x
	port=$2
	SRV_PID=
	x=$(find_peer systemd-socket-activate) || return 1
	spawn "sd-activate-$1" "$x" -l "127.0.0.1:$port" --accept --inetd "$HELLO"
	SRV_PID=$LAST_PID
}

# --- the sections -------------------------------------------------------------

var() {
	printf '%s' "$1" | tr -c 'a-zA-Z0-9\n' _
}

get() {
	eval "printf '%s' \"\${$1_$(var "$2"):-}\""
}

stop_server() {
	local pid i
	pid=$(get PID "$1")
	[ -n "$pid" ] || return 0
	kill "$pid" 2>/dev/null
	i=0
	while kill -0 "$pid" 2>/dev/null && [ $i -lt 100 ]; do
		sleep 0.05
		i=$((i + 1))
	done
	kill -9 "$pid" 2>/dev/null
	eval "PID_$(var "$1")="
	ACTIVE=$(printf '%s\n' $ACTIVE | grep -vx -- "$1" | tr '\n' ' ')
}

# Starts every server at once, each on its own ports and loopback address.
start_all() {
	local i n base addr
	ACTIVE=
	i=0
	for n in ref-fork ref-vfork ref-inproc ref-udp portierd tcpserver xinetd obsd-inetd \
		 inetutils sd-activate; do
		base=$((PORT + 10 * i)) addr=127.0.0.$((10 + i))
		i=$((i + 1))
		SRV_PID= SRV_INTERNAL= SRV_UDP=yes
		case $n in
		ref-fork) start_ref fork $base; SRV_UDP= ;;
		ref-vfork) start_ref vfork $base; SRV_UDP= ;;
		ref-inproc)
			spawn ref-daytime "$BENCH_BIN/refserver" daytime $((base + 3))
			PIDS_INPROC=$LAST_PID
			spawn ref-echo "$BENCH_BIN/refserver" echo $((base + 4))
			PIDS_INPROC="$PIDS_INPROC $LAST_PID"
			eval "PID_ref_inproc='$PIDS_INPROC' BASE_ref_inproc=$base"
			wait_ready tcp 127.0.0.1 $((base + 3)) &&
				WAIT_SEND=x wait_ready tcp 127.0.0.1 $((base + 4)) ||
				note "- ref-inproc: did not start"
			continue ;;
		ref-udp)
			spawn ref-udp "$BENCH_BIN/refserver" udp $((base + 2)) "$HELLO" -u
			eval "PID_ref_udp=$LAST_PID BASE_ref_udp=$base"
			wait_ready udp 127.0.0.1 $((base + 2)) || note "ref-udp: did not start"
			continue ;;
		portierd) start_portierd b $base "$addr" ;;
		tcpserver) start_tcpserver b $base; SRV_UDP= ;;
		xinetd) start_xinetd b $base "$addr" ;;
		obsd-inetd) start_obsd_inetd b $base "$addr" ;;
		inetutils) start_inetutils b $base "$addr" ;;
		sd-activate) start_sd_activate b $base; SRV_UDP= ;;
		esac
		if [ -z "$SRV_PID" ]; then
			note "- $n: not installed or cannot run here: skipped"
			continue
		fi
		if ! wait_ready tcp 127.0.0.1 $base "$SRV_PID"; then
			note "- $n: did not answer on 127.0.0.1:$base: skipped"
			sed 's/^/    /' "$TMP"/"$n"-b.out 2>/dev/null | head -5 >&2
			continue
		fi
		ACTIVE="$ACTIVE $n"
		eval "PID_$(var $n)=$SRV_PID BASE_$(var $n)=$base ADDR_$(var $n)=$addr" \
		     "INT_$(var $n)=$SRV_INTERNAL UDP_$(var $n)=$SRV_UDP"
		# Warm the page cache and the server's allocator before measuring.
		"$LOADGEN" -c 8 -n 200 127.0.0.1 $base >/dev/null 2>&1
	done
}

header() {
	row ""
	row "### $1"
	row ""
	row "| server | conn/s | p50 µs | p99 µs | errors | CPU µs/conn | machine µs/conn | RSS KiB | $2 |"
	row "|---|---:|---:|---:|---:|---:|---:|---:|---:|"
}

# table KEY_PREFIX REF_KEY RATIO_KIND NAMES: one row per server with results.
# RATIO_KIND: rate (conn/s ÷ reference's) or p50 (p50 ÷ reference's).
table() {
	local prefix ref kind ref_rate ref_p50 n pid rss p ratio
	prefix=$1 ref=$2 kind=$3
	shift 3
	set -- $(summary "$prefix.$ref")
	ref_rate=$1 ref_p50=$2
	for n in $NAMES; do
		[ -s "$TMP/$prefix.$n" ] || continue
		set -- $(summary "$prefix.$n")
		pid=$(get PID "$n")
		rss=0
		for p in $pid; do
			rss=$((rss + $(rss_kb "$p")))
		done
		if [ "$kind" = p50 ]; then
			ratio=$(awk -v a="$2" -v b="$ref_p50" 'BEGIN { printf "%.2f", b ? a / b : 0 }')
		else
			ratio=$(awk -v a="$1" -v b="$ref_rate" 'BEGIN { printf "%.2f", b ? a / b : 0 }')
		fi
		row "| $n | $(printf '%.0f' "$1") | $2 | $3 | $4 | $5 | $6 | $rss | $ratio |"
	done
}

# cpu_ratio KEY_PREFIX NAME REF: NAME's median CPU per connection ÷ REF's.
cpu_ratio() {
	local a b
	a=$(summary "$1.$2" | cut -d' ' -f5) b=$(summary "$1.$3" | cut -d' ' -f5)
	awk -v a="$a" -v b="$b" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }'
}

section_exec() {
	local conc key conns r n
	conc=$1 key=$2 conns=$3
	r=0
	while [ $r -lt "$RUNS" ]; do
		# Servers take turns within a run, so that a noisy moment is shared.
		for n in $ACTIVE; do
			measure "$key.$n" "$(get PID "$n")" cpu_ns -c "$conc" -n "$conns" -e hello \
				127.0.0.1 "$(get BASE "$n")"
		done
		r=$((r + 1))
	done
	NAMES="ref-fork ref-vfork $ACTIVE"
	NAMES=$(printf '%s\n' $NAMES | awk '!seen[$0]++' | tr '\n' ' ')
}

section_internal() {
	local svc port refport r refpid n
	svc=$1 port=$2 refport=$3
	shift 3
	r=0
	while [ $r -lt "$RUNS" ]; do
		set -- $(get PID ref-inproc)
		refpid=$1
		[ "$svc" = echo ] && refpid=$2
		measure "int-$svc.ref-inproc" "$refpid" cpu_ns_children -j 2 -c 8 \
			-n "$INPROC_CONNS" $SEND 127.0.0.1 $(($(get BASE ref-inproc) + refport))
		for n in $ACTIVE; do
			[ -n "$(get INT "$n")" ] || continue
			measure "int-$svc.$n" "$(get PID "$n")" cpu_ns_children -j 2 -c 8 \
				-n "$INPROC_CONNS" $SEND "$(get ADDR "$n")" "$port"
		done
		r=$((r + 1))
	done
}

section_udp() {
	local r n
	r=0
	while [ $r -lt "$RUNS" ]; do
		measure "udp.ref-udp" "$(get PID ref-udp)" cpu_ns -u -c 1 -T 1000 -t "$UDP_SECONDS" \
			-n "$UDP_CONNS" -e hello 127.0.0.1 $(($(get BASE ref-udp) + 2))
		for n in $ACTIVE; do
			[ -n "$(get UDP "$n")" ] || continue
			case $n in ref-*) continue ;; esac
			measure "udp.$n" "$(get PID "$n")" cpu_ns -u -c 1 -T 1000 -t "$UDP_SECONDS" \
				-n "$UDP_CONNS" -e hello 127.0.0.1 $(($(get BASE "$n") + 2))
		done
		r=$((r + 1))
	done
}

# children PID: how many processes PID has.
children() {
	local pid
	ps --ppid "$1" -o pid= 2>/dev/null | wc -l
}

# growth NAME: conn/s with no handler alive, then with $GROWTH of them.
section_growth() {
	local n pid base r i alive rss r0 c0 m0 ratio
	n=$1 pid=$(get PID "$1") base=$(get BASE "$1")
	r=0
	while [ $r -lt "$RUNS" ]; do
		measure "grow0.$n" "$pid" cpu_ns -c 8 -n "$CONNS" -e hello 127.0.0.1 "$base"
		r=$((r + 1))
	done
	"$LOADGEN" -c 8 -n "$GROWTH" -t 120 127.0.0.1 $((base + 1)) >/dev/null 2>>"$TMP/loadgen.err"
	i=0
	while [ "$(children "$pid")" -lt $((GROWTH * 99 / 100)) ] && [ $i -lt 300 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	alive=$(children "$pid")
	r=0
	while [ $r -lt "$RUNS" ]; do
		measure "growN.$n" "$pid" cpu_ns -c 8 -n "$CONNS" -e hello 127.0.0.1 "$base"
		r=$((r + 1))
	done
	rss=$(rss_kb "$pid")
	stop_server "$n"
	set -- $(summary "grow0.$n")
	r0=$1 c0=$5 m0=$6
	set -- $(summary "growN.$n")
	ratio=$(awk -v a="$1" -v b="$r0" 'BEGIN { printf "%.2f", b ? a / b : 0 }')
	row "| $n | $(printf '%.0f' "$r0") | $(printf '%.0f' "$1") | $alive | $c0 | $5 | $m0 | $6 | $rss | $ratio |"
	# The handlers die with their server (PR_SET_PDEATHSIG); let them go.
	i=0
	while [ "$(ps -C hello -o pid= | wc -l)" -gt 0 ] && [ $i -lt 100 ]; do
		sleep 0.1
		i=$((i + 1))
	done
}

# gen_services DIR COUNT FIRST_PORT: COUNT exec'd services, one file each.
gen_services() {
	local i
	mkdir -p "$1"
	portier_defaults >"$1/00-defaults.conf"
	i=0
	while [ $i -lt "$2" ]; do
		portier_service "bench$i" tcp $(($3 + i)) "$HELLO" >"$1/bench$i.conf"
		i=$((i + 1))
	done
}

gen_xinetd_services() {
	local i
	{
		printf 'defaults\n{\n\tinstances = UNLIMITED\n\tlog_type = FILE %s\n}\n' "$TMP/xinetd-s.log"
		i=0
		while [ $i -lt "$2" ]; do
			xinetd_service "bench$i" stream tcp no $(($3 + i)) "$HELLO" ""
			i=$((i + 1))
		done
	} >"$1"
}

# startup_runs KEY LASTPORT CMD…: median time to ready, CPU time used until
# then, and RSS once idle.
startup_runs() {
	local key last r out
	key=$1 last=$2
	shift 2
	r=0
	: >"$TMP/$key"
	while [ $r -lt "$RUNS" ]; do
		out=$("$BENCH_BIN/readytime" -n -p "$last" -s 300 -t 20000 -o "$TMP/$key.log" -- "$@")
		echo "$(field ready_ms "$out") $(field cpu_ms "$out") $(field rss_kb "$out")" >>"$TMP/$key"
		r=$((r + 1))
	done
	echo "$(cut -d' ' -f1 "$TMP/$key" | median) $(cut -d' ' -f2 "$TMP/$key" | median)" \
	     "$(cut -d' ' -f3 "$TMP/$key" | median)"
}

section_startup() {
	local first x reg
	first=$((PORT + 1000))
	if [ $((first + NSERVICES)) -ge "$low" ]; then
		note "startup: BENCH_SERVICES=$NSERVICES does not fit below port $low: skipped"
		return
	fi
	row ""
	row "### Startup, idle memory, reload"
	row ""
	row "Ready: from exec to the first of READY=1 on \$NOTIFY_SOCKET (when the server sends it)"
	row "and a connection to the last port accepted;"
	row "CPU: the server's CPU time until then (steadier than the wall time on a busy machine)."
	row "Reload: SIGHUP until portierd logs \`reload: generation N, S services, T.T ms\`"
	row "(wall time, and T.T, portierd's own figure); medians of $RUNS."
	row ""
	row "| server | services | registry | ready ms | CPU ms | idle RSS KiB | reload ms (wall) | reload ms (portierd's) |"
	row "|---|---:|---|---:|---:|---:|---:|---:|"
	reg=$(grep -c '^[^#]' "$REGISTRY" 2>/dev/null)
	if [ -x "$PORTIERD" ]; then
		gen_services "$TMP/conf-100" 100 "$first"
		set -- $(startup_runs start100 $((first + 99)) "$PORTIERD" -f -c "$TMP/conf-100" -r "$REGISTRY")
		row "| portierd | 100 | full ($reg entries) | $1 | $2 | $3 | | |"
		gen_services "$TMP/conf-n" "$NSERVICES" "$first"
		set -- $(startup_runs startN $((first + NSERVICES - 1)) \
			"$PORTIERD" -f -c "$TMP/conf-n" -r "$REGISTRY")
		row "| portierd | $NSERVICES | full ($reg entries) | $1 | $2 | $3 | $(reload_ms "$first" "$REGISTRY") |"
		# The same without the registry's share: one line.
		printf 'tcpmux\t1/tcp\n' >"$TMP/one.db"
		set -- $(startup_runs startN1 $((first + NSERVICES - 1)) \
			"$PORTIERD" -f -c "$TMP/conf-n" -r "$TMP/one.db")
		row "| portierd | $NSERVICES | one entry | $1 | $2 | $3 | | |"
	fi
	if x=$(find_peer xinetd); then
		gen_xinetd_services "$TMP/xinetd-s.conf" "$NSERVICES" "$first"
		set -- $(startup_runs xstartN $((first + NSERVICES - 1)) \
			"$x" -dontfork -f "$TMP/xinetd-s.conf" -pidfile "$TMP/xinetd-s.pid")
		row "| xinetd | $NSERVICES | /etc/services | $1 | $2 | $3 | | |"
	fi
}

# reload_ms FIRST_PORT REGISTRY: "WALL | OWN" medians over $RUNS SIGHUPs, each
# waited for at most 3 s; a portierd that does not log the line within that
# time has no reload.
reload_ms() {
	local out wall own
	out=$("$BENCH_BIN/readytime" -n -p $(($1 + NSERVICES - 1)) -r "$RUNS" \
		-R "reload: generation" -T 3000 -t 20000 -o "$TMP/reload.log" -- \
		"$PORTIERD" -f -c "$TMP/conf-n" -r "$2" 2>/dev/null)
	wall=$(field reload_ms "$out")
	own=$(field reload_said_ms "$out")
	if [ -z "$wall" ]; then
		echo "n/a (reload not available in this build) | n/a"
		return
	fi
	echo "$(printf '%s\n' "$wall" | tr ',' '\n' | median) | $(printf '%s\n' "$own" | tr ',' '\n' | median)"
}

section_load() {
	if [ ! -x "$BENCH_BIN/bench_load" ]; then
		note "load: bench_load not built: skipped"
		return
	fi
	mkdir -p "$TMP/load-conf"
	row ""
	row "### Loading (median of 7, in-process: tests/bench/bench_load.c)"
	row ""
	row "| what | time |"
	row "|---|---:|"
	"$BENCH_BIN/bench_load" -r "$REGISTRY" -n "$NSERVICES" -d "$TMP/load-conf" -s "$HELLO" |
		tee -a "$OUT"
}

machine() {
	row "## portier bench, $(date -u '+%Y-%m-%d %H:%M UTC')"
	row ""
	row "- machine: $(nproc) CPU ($(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)), \
$(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo), Linux $(uname -r), \
$(cat /etc/debian_version 2>/dev/null | sed 's/^/Debian /')"
	row "- load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
	row "- runs: $RUNS (medians), $CONNS conns/run (exec), $LAT_CONNS (concurrency 1), \
$INPROC_CONNS (internal), $UDP_CONNS (UDP); handlers run as $RUNAS"
	[ -x "$PORTIERD" ] || row "- portierd: not built: skipped"
}

: >"$OUT"
machine
start_all
if want exec; then
	section_exec 8 exec8 "$CONNS"
	header "Exec'd handler, 8 concurrent clients" "÷ fork loop"
	table exec8 ref-fork rate
	row ""
	row "CPU per connection ÷ vfork loop's: $(for n in $NAMES; do
		printf '%s %s; ' "$n" "$(cpu_ratio exec8 "$n" ref-vfork)"; done)"
fi
if want latency; then
	section_exec 1 exec1 "$LAT_CONNS"
	header "Exec'd handler, 1 client (latency)" "p50 ÷ vfork loop's"
	table exec1 ref-vfork p50
fi
if want internal; then
	SEND=
	section_internal daytime 13 3
	SEND="-s hello -e hello"
	section_internal echo 7 4
	NAMES="ref-inproc $ACTIVE"
	header "Internal daytime (in-process where the server can), 8 clients, 2 client threads" \
		"÷ in-process loop"
	table int-daytime ref-inproc rate
	header "Internal echo, 8 clients, 2 client threads" "÷ in-process loop"
	table int-echo ref-inproc rate
fi
if want udp; then
	section_udp
	NAMES="ref-udp $ACTIVE"
	header "UDP wait mode, one datagram per handler, 1 client" "÷ minimal wait loop"
	table udp ref-udp rate
fi
if want growth; then
	row ""
	row "### Growth: exec'd handler, 8 clients, with $GROWTH long-running handlers alive"
	row ""
	row "| server | conn/s, none alive | conn/s, $GROWTH alive | alive | CPU µs/conn before | after | machine µs/conn before | after | RSS KiB after | ratio |"
	row "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
	# The vfork loop with a second listener for the sleeping handlers.
	spawn ref-grow "$BENCH_BIN/refserver" vfork $((PORT + 150)) "$HELLO" \
		-- $((PORT + 151)) "$HELLO" -s "$SLEEP_SECS"
	if wait_ready tcp 127.0.0.1 $((PORT + 150)) "$LAST_PID"; then
		PID_ref_vfork_2=$LAST_PID BASE_ref_vfork_2=$((PORT + 150))
		ACTIVE="$ACTIVE ref-vfork-2"
	fi
	for n in ref-vfork-2 portierd xinetd; do
		case " $ACTIVE " in *" $n "*) section_growth "$n" ;; esac
	done
fi
for n in $ACTIVE; do
	stop_server "$n"
done
want startup && section_startup
want load && section_load
if [ -s "$TMP/loadgen.err" ]; then
	note ""
	note "loadgen reported (first lines):"
	sort "$TMP/loadgen.err" | uniq -c | sort -rn | head -5 >&2
fi
exit 0
