#!/bin/sh
# SPDX-License-Identifier: ISC
# only_from / no_access on IPv4 (127.0.0.1 against 127.0.0.2: all of
# 127.0.0.0/8 is loopback), IPv6 (::1), mapped rules and host names; the more
# specific match wins, no_access a tie; access_times with windows computed
# around now; banner, banner_success and banner_fail; every refusal is closed
# at once and logged with its reason.
. "${top_srcdir:-../..}/tests/lib/lib.sh"
pt_init
ACCESS="python3 $top_srcdir/tests/lib/access.py"

# 127.0.0.2 as a source needs nothing but loopback; ::1 may be missing.
V6=; pt_ipv6 && V6=yes

set -- $(pt_ports 8)
P_ONLY=$1 P_SPEC=$2 P_MAPPED=$3 P_V6=$4 P_HOST=$5 P_TIME_IN=$6 P_TIME_OUT=$7 P_BANNER=$8

svc() {	# name port bind-list extra-options
	(PT_BIND=$3; pt_tcp_service "$1" "$2" /bin/echo '"served"' 'log_on_failure = { HOST }' "$4")
}
BOTH='"127.0.0.1"'
[ -n "$V6" ] && BOTH='"127.0.0.1", "::1"'

svc only "$P_ONLY" "$BOTH" 'only_from = { "127.0.0.1", "::1" }'
# a /32 allow inside a /8 deny, a /16 deny inside a /8 allow, and a tie
svc spec "$P_SPEC" '"127.0.0.1"' '
	only_from = { "127.0.0.0/8", "127.0.0.4", "127.0.0.5" }
	no_access = { "127.0.0.0/16", "127.0.0.5/32" }'
# a rule written as a mapped address is the IPv4 address
svc mapped "$P_MAPPED" '"127.0.0.1"' 'only_from = { "::ffff:127.0.0.3" }'
svc v6 "$P_V6" "$BOTH" 'no_access = { "::1/128" }'
svc host "$P_HOST" '"127.0.0.1"' 'only_from = { "localhost" }'

# Windows around the local time: one holds now (from two minutes ago to
# 30 minutes ahead: a loaded machine may take long to get there), the other
# starts in 45 minutes and ends in 50 (windows across midnight are valid).
hhmm() { date -d "@$(( $(date +%s) + $1 * 60 ))" +%H:%M; }
svc time-in "$P_TIME_IN" '"127.0.0.1"' "access_times = { \"$(hhmm -2)-$(hhmm 30)\" }"
svc time-out "$P_TIME_OUT" '"127.0.0.1"' "access_times = { \"$(hhmm 45)-$(hhmm 50)\" }"

printf 'Welcome to portier\r\n' > "$PT_DIR/banner"
printf 'access granted\r\n' > "$PT_DIR/banner.ok"
printf 'access denied\r\n' > "$PT_DIR/banner.no"
svc banner "$P_BANNER" '"127.0.0.1"' "
	only_from = { \"127.0.0.1\" }
	banner = \"$PT_DIR/banner\"
	banner_success = \"$PT_DIR/banner.ok\"
	banner_fail = \"$PT_DIR/banner.no\""
pt_start

# expect PORT HOST SRC WANT: WANT is served or refused
expect() {
	out=$($ACCESS conn "$2" "$1" "$3") || pt_fail "connection to $2 port $1 from $3"
	case "$4" in
	served) [ "$out" = served ] || pt_fail "port $1 from $3: '$out', expected to be served" ;;
	refused) [ -z "$out" ] || pt_fail "port $1 from $3: '$out', expected to be refused" ;;
	esac
}

expect "$P_ONLY" 127.0.0.1 127.0.0.1 served
expect "$P_ONLY" 127.0.0.1 127.0.0.2 refused
pt_wait_log 'only: refused connection from 127\.0\.0\.2:[0-9]+: access' ||
	pt_fail "refusal of 127.0.0.2 not logged with its reason"

expect "$P_SPEC" 127.0.0.1 127.0.0.1 refused	# /16 deny beats /8 allow
expect "$P_SPEC" 127.0.0.1 127.1.0.1 served	# only the /8 allow matches
expect "$P_SPEC" 127.0.0.1 127.0.0.4 served	# /32 allow beats /16 deny
expect "$P_SPEC" 127.0.0.1 127.0.0.5 refused	# /32 against /32: no_access wins

expect "$P_MAPPED" 127.0.0.1 127.0.0.3 served
expect "$P_MAPPED" 127.0.0.1 127.0.0.1 refused
if [ -n "$V6" ]; then
	# an IPv4 client that speaks IPv6: ::ffff:127.0.0.3 is 127.0.0.3
	expect "$P_MAPPED" ::ffff:127.0.0.1 ::ffff:127.0.0.3 served
	expect "$P_ONLY" ::1 ::1 served
	expect "$P_V6" ::1 ::1 refused
	expect "$P_V6" 127.0.0.1 127.0.0.1 served
	pt_wait_log 'v6: refused connection from \[::1\]:[0-9]+: access' ||
		pt_fail "refusal of ::1 not logged"
fi

expect "$P_HOST" 127.0.0.1 127.0.0.1 served
expect "$P_HOST" 127.0.0.1 127.0.0.2 refused

expect "$P_TIME_IN" 127.0.0.1 127.0.0.1 served
expect "$P_TIME_OUT" 127.0.0.1 127.0.0.1 refused
pt_wait_log 'time-out: refused connection from 127\.0\.0\.1:[0-9]+: time' ||
	pt_fail "refusal outside access_times not logged"

out=$($ACCESS conn 127.0.0.1 "$P_BANNER" 127.0.0.1) || pt_fail "banner connection"
want=$(printf 'Welcome to portier\r\naccess granted\r\nserved')
[ "$out" = "$want" ] || pt_fail "admitted connection got '$out'"
out=$($ACCESS conn 127.0.0.1 "$P_BANNER" 127.0.0.2) || pt_fail "banner connection"
want=$(printf 'Welcome to portier\r\naccess denied\r')
[ "$out" = "$want" ] || pt_fail "refused connection got '$out'"

pt_stop || pt_fail "portierd exit status on SIGTERM"
exit 0
