# control_lib.sh: what the control_*.sh tests share, on top of tests/lib.sh.
#   PT_CTL             the control socket, $PT_DIR/control
#   pt_ctl ARGS        portierctl -s $PT_CTL ARGS
#   pt_echo ID PORT [OPTION...]   an internal echo service ID on 127.0.0.1:PORT
#   pt_answers PORT    true when 127.0.0.1:PORT echoes
#   pt_start_ctl       pt_start with --control-socket $PT_CTL
: "${PORTIERCTL:=$top_builddir/sbin/portierctl}"
PT_CTL=

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

pt_start_ctl() {
	PT_CTL="$PT_DIR/control"
	pt_start --control-socket "$PT_CTL" "$@"
	for _ in $(seq 50); do
		[ -S "$PT_CTL" ] && return 0
		sleep 0.1
	done
	pt_fail "no control socket at $PT_CTL"
}
