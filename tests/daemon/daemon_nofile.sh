#!/bin/sh
# SPDX-License-Identifier: ISC
# More listening sockets than RLIMIT_NOFILE allows (issue 19): portierd says
# in one line what is missing and refuses to start, instead of an error per
# socket and then no descriptor for itself; a reload that would need more is
# refused with the same line and the running configuration stays; a soft
# limit below what is needed is raised to the hard one.
. "${top_srcdir:-../..}/tests/lib/lib.sh"
pt_init

set -- $(pt_ports 4)
# many ID PORT N: internal echo ID on 127.0.0.1 to 127.0.0.N, port PORT: N sockets
many() {
	local list='"127.0.0.1"' i

	for i in $(seq 2 "$3"); do
		list="$list, \"127.0.0.$i\""
	done
	PT_BIND=$list pt_internal "$1" echo "$2"
}
ulimit -S -n 40 && ulimit -H -n 160 || pt_skip "cannot lower RLIMIT_NOFILE"

# 100 sockets under a soft limit of 40 and a hard one of 160: raised, served
many a "$1" 50
many b "$2" 50
pt_start
[ "$($PT_CLIENT tcp 127.0.0.50 "$2" ping)" = ping ] || pt_fail "127.0.0.50 not served"
pt_assert_grep "^Max open files +160 +160 " "/proc/$PT_PID/limits" "soft limit not raised"

# a reload that needs 100 more: refused, in one line, nothing changed
many c "$3" 50
many d "$4" 50
"$PORTIERCTL" -s "$PT_DIR/control" reload > "$PT_DIR/out" 2> "$PT_DIR/err"; rc=$?
[ $rc -eq 1 ] || pt_fail "reload beyond the limit: exit $rc"
pt_assert_grep "^100 sockets needed \(and [0-9]+ descriptors open, 32 kept free\), RLIMIT_NOFILE allows 160: raise LimitNOFILE= / ulimit -n$" \
	"$PT_DIR/err" "reload: no line saying what is missing"
grep -q "Too many open files" "$PT_LOG" && pt_fail "reload: sockets opened beyond the limit"
[ "$($PT_CLIENT tcp 127.0.0.50 "$2" ping)" = ping ] || pt_fail "b lost by a refused reload"
$PT_CLIENT tcp 127.0.0.1 "$3" ping > /dev/null 2>&1 && pt_fail "c served after a refused reload"
pt_stop || pt_fail "exit status"

# 200 sockets with a hard limit of 160: one line, and no start
pt_run && pt_fail "portierd started with 200 sockets and 160 descriptors"
pt_assert_grep "^portierd\[[0-9]+\]: 200 sockets needed \(and [0-9]+ descriptors open, 32 kept free\), RLIMIT_NOFILE allows 160: raise LimitNOFILE= / ulimit -n; refusing to start$" \
	"$PT_LOG" "start: no line saying what is missing"
n=$(grep -c -v 'control socket' "$PT_LOG")
[ "$n" -eq 1 ] || pt_fail "start: $n lines logged, expected 1"
exit 0
