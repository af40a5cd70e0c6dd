#!/bin/sh
# SPDX-License-Identifier: ISC
# The registry's default search order (services.db(5)): the shipped file,
# then every *.db of services.d. Each program that reads the registry shows
# it with the paths configure chose (PORTIER_DEFAULT_REGISTRY and
# PORTIER_DEFAULT_REGISTRY_DIR, from Makefile.am). The order itself is
# tested by tests/unit/check_regpaths.c and, with the compiled-in paths,
# by tests/daemon/daemon_registry.sh.
set -u

. "${top_srcdir:-../..}/tests/lib/lib.sh"
[ -n "${PORTIER_DEFAULT_REGISTRY:-}" ] && [ -n "${PORTIER_DEFAULT_REGISTRY_DIR:-}" ] ||
	pt_error "run through make check (PORTIER_DEFAULT_REGISTRY* unset)"
pt_cmd_init lookup

# has FILE TEXT: FILE contains TEXT, as a fixed string.
has() {
	grep -Fq -- "$2" "$PT_DIR/$1" || pt_cmd_fail "$1 does not say '$2'"
}

"$PORTIERD" --help > "$PT_DIR/out" 2> "$PT_DIR/err" || pt_cmd_fail "portierd --help failed"
has out "by default"
has out "$PORTIER_DEFAULT_REGISTRY, then every *.db"
has out "in $PORTIER_DEFAULT_REGISTRY_DIR, in name order"

"$PORTIERCTL" --help > "$PT_DIR/out" 2> "$PT_DIR/err" || pt_cmd_fail "portierctl --help failed"
has out "$PORTIER_DEFAULT_REGISTRY, then every *.db in"
has out "$PORTIER_DEFAULT_REGISTRY_DIR, in name order (services.db(5))."

# Every command that reads the registry, the same two lines under -r.
for cmd in check convert list lookup; do
	PT_CMD=$cmd
	pt_cmd 0 --help
	has out "(default $PORTIER_DEFAULT_REGISTRY,"
	has out "then $PORTIER_DEFAULT_REGISTRY_DIR/*.db)"
	[ "$(grep -c -- '-r, --registry' "$PT_DIR/out")" = 1 ] ||
		pt_cmd_fail "$cmd --help: not one -r line"
done

# None names the old place, beside conf.d (a conffile there).
old=${PORTIER_DEFAULT_REGISTRY_DIR%/services.d}/services.db
for cmd in "$PORTIERD --help" "$PORTIERCTL --help" "$PORTIERCTL lookup --help"; do
	$cmd | grep -Fq -- "$old" && pt_cmd_fail "$cmd names $old"
done

exit $PT_FAILED
