# tests/ctl_lib.sh: what the portierctl tests share. Source it, then set
# ctl_command to the subcommand under test:
#   . "$(dirname "$0")/ctl_lib.sh"; ctl_command=check
# It checks the environment make check provides, makes $tmp (removed on
# exit) and defines run, has, lines and fail; $failed is the exit status.

: "${PORTIERCTL:?PORTIERCTL not set (run through make check)}"
: "${REGISTRY:?REGISTRY not set (run through make check)}"
[ -x "$PORTIERCTL" ] || { echo "$PORTIERCTL: not built"; exit 99; }
[ -r "$REGISTRY" ] || { echo "$REGISTRY: not readable"; exit 99; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/portier-test.XXXXXX") || exit 99
trap 'rm -rf "$tmp"' EXIT
: >"$tmp/out"
: >"$tmp/err"
failed=0

fail() {
	echo "FAIL: $*"
	sed 's/^/  stdout: /' "$tmp/out"
	sed 's/^/  stderr: /' "$tmp/err"
	failed=1
}

# run RC ARGS...: portierctl $ctl_command ARGS must exit with RC.
run() {
	want=$1
	shift
	"$PORTIERCTL" "$ctl_command" "$@" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	[ "$rc" = "$want" ] || fail "$ctl_command $*: exit $rc, expected $want"
}

# has out|err REGEX: a line of stdout or stderr matches.
has() {
	grep -Eq -- "$2" "$tmp/$1" || fail "$1 has no line matching /$2/"
}

# lines out|err N: stdout or stderr has N lines.
lines() {
	n=$(wc -l <"$tmp/$1")
	[ "$n" -eq "$2" ] || fail "$1 has $n lines, expected $2"
}
