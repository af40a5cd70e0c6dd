#!/bin/sh
# SPDX-License-Identifier: ISC
# make fuzz's run (docs/architecture.md, "Fuzzing"), once Makefile.am has built the
# harnesses: each of FUZZ_TARGETS for FUZZ_SECONDS. Fails when any target
# crashed, leaked, timed out or ran out of memory. Make passes srcdir,
# FUZZ_DIR (the build's tests/fuzz), FUZZ_TARGETS, FUZZ_SECONDS, FUZZ_RSS_MB,
# FUZZ_TIMEOUT, FUZZ_FLAGS (more libFuzzer flags) and FUZZ_UBSAN_SUPP (a
# UBSan suppression file, to go on past a known report) in the environment.
set -eu

# The last of libFuzzer's status lines: "#RUNS DONE cov: ... exec/s: N ...".
stats() {
	grep -E '^#[0-9]+' "$1" | tail -n 1 | tr '\t' ' ' || true
}

# An exploration's finding may not come back in the next run (libFuzzer's
# mutations depend on timing): how to replay it, and the input itself in
# base64 so that a CI log alone keeps it.
show() {
	size=$(wc -c < "$2")
	echo "    input: $2 ($size bytes); replay: $FUZZ_DIR/fuzz_$1 $2"
	[ "$size" -le 4096 ] || return 0
	echo "    the input in base64 (base64 -d > FILE):"
	base64 "$2" | sed 's/^/      /'
}

run_one() {
	t=$1
	base=${t%_roundtrip}
	work="$FUZZ_DIR/run/$t"
	art="$FUZZ_DIR/artifacts/$t"
	log="$FUZZ_DIR/run/$t.log"
	mkdir -p "$work/corpus" "$work/tmp" "$art"
	rm -rf "$work/tmp"/*
	: > "$work/stamp"
	# The first directory receives what the run finds; the seeds and the
	# inputs of past findings (tests/fuzz/found/) are only read.
	set -- "$work/corpus" "$srcdir/tests/fuzz/corpus/$base"
	[ -d "$srcdir/tests/fuzz/found/$t" ] && set -- "$@" "$srcdir/tests/fuzz/found/$t"
	echo "fuzz_$t: ${FUZZ_SECONDS}s, log in $log"
	rc=0
	# Every UBSan report is fatal unless the suppression file names it.
	ubsan=print_stacktrace=1:halt_on_error=1
	[ -z "${FUZZ_UBSAN_SUPP-}" ] || ubsan="$ubsan:suppressions=$FUZZ_UBSAN_SUPP"
	TMPDIR="$work/tmp" UBSAN_OPTIONS=$ubsan \
	"$FUZZ_DIR/fuzz_$t" -max_total_time="$FUZZ_SECONDS" \
		-rss_limit_mb="$FUZZ_RSS_MB" -timeout="$FUZZ_TIMEOUT" \
		-dict="$srcdir/tests/fuzz/$base.dict" -artifact_prefix="$art/" \
		-print_final_stats=1 $FUZZ_FLAGS "$@" > "$log" 2>&1 || rc=$?
	# In fork mode (FUZZ_FLAGS=-fork=1 -ignore_crashes=1 ...) libFuzzer
	# goes on after a finding and exits 0: its artefacts say.
	new=$(find "$art" -type f -newer "$work/stamp" \( -name 'crash-*' -o \
		-name 'leak-*' -o -name 'timeout-*' -o -name 'oom-*' \))
	found=$(echo "$new" | grep -c . || true)
	slow=$(find "$art" -type f -newer "$work/stamp" -name 'slow-unit-*' | wc -l)
	line=$(stats "$log")
	[ "$slow" -eq 0 ] || echo "note: fuzz_$t: $slow input(s) slower than 10 s in $art"
	if [ "$rc" -ne 0 ] || [ "$found" -ne 0 ]; then
		echo "FAIL: fuzz_$t (exit $rc, $found new artefact(s) in $art): $line"
		grep -E '^(==[0-9]+==ERROR|SUMMARY|.*runtime error|converted:)' "$log" | head -n 5 | sed 's/^/    /'
		for f in $new; do
			show "$t" "$f"
		done
		return 1
	fi
	echo "PASS: fuzz_$t: $line"
}

run() {
	failed=0
	for t in $FUZZ_TARGETS; do
		run_one "$t" || failed=$((failed + 1))
	done
	n=$(echo $FUZZ_TARGETS | wc -w)
	echo "fuzz: $((n - failed)) passed, $failed failed"
	[ "$failed" -eq 0 ]
}

run
