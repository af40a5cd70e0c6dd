#!/bin/sh
# SPDX-License-Identifier: ISC
# portierd's command line: --help, --version, usage errors (2), --check
# (portierctl check's code: 0 or 1 with FILE:LINE messages), and an invalid
# configuration or directory stops it with status 1 before it binds.
. "${top_srcdir:-../..}/tests/lib/lib.sh"
pt_init

"$PORTIERD" --help > "$PT_DIR/out" || pt_fail "--help: exit status $?"
pt_assert_grep '^usage: portierd' "$PT_DIR/out" "--help prints no usage"
"$PORTIERD" --version > "$PT_DIR/out" || pt_fail "--version: exit status $?"
pt_assert_grep '^portierd [0-9]' "$PT_DIR/out" "--version prints no version"
"$PORTIERD" --no-such-option 2> "$PT_DIR/out"
[ $? -eq 2 ] || pt_fail "an unknown option does not exit with 2"
"$PORTIERD" -f extra-argument 2> "$PT_DIR/out"
[ $? -eq 2 ] || pt_fail "an extra argument does not exit with 2"

PORT=$(pt_ports 1)
pt_tcp_service good "$PORT" /bin/cat
"$PORTIERD" --check -c "$PT_CONFD" -r "$REGISTRY" > "$PT_DIR/out" 2>&1 ||
	pt_fail "--check on a valid configuration: exit status $?"
pt_assert_grep "^good 127\.0\.0\.1:$PORT/tcp" "$PT_DIR/out" "--check does not describe the service"
$PT_CLIENT tcp 127.0.0.1 "$PORT" x > /dev/null 2>&1 && pt_fail "--check started serving"

printf 'service bad {\n\tno_such_option = 1\n}\n' > "$PT_CONFD/bad.conf"
"$PORTIERD" --check -c "$PT_CONFD" -r "$REGISTRY" > "$PT_DIR/out" 2>&1
[ $? -eq 1 ] || pt_fail "--check on an invalid configuration does not exit with 1"
pt_assert_grep "bad\.conf:2: " "$PT_DIR/out" "--check: no FILE:LINE message"

pt_run
rc=$?
[ "$rc" -eq 1 ] || pt_fail "an invalid configuration: exit status $rc, expected 1"
pt_assert_grep "bad\.conf:2: " "$PT_LOG" "portierd: no FILE:LINE message"
pt_assert_grep "configuration invalid" "$PT_LOG" "portierd: no summary of the failure"

"$PORTIERD" -f -c "$PT_DIR/no-such-dir" -r "$REGISTRY" > "$PT_LOG" 2>&1
[ $? -eq 1 ] || pt_fail "a missing configuration directory does not exit with 1"
exit 0
