# SPDX-License-Identifier: ISC
# lab.sh: helpers for the legacy-lab tests (tests/lab/lab_*.sh), on top of lib.sh.
#
#   . "${top_srcdir:-../..}/tests/lab/lab.sh"
#   lab_init NAME "$@"
#
# Each lab test runs the real handlers of Debian's packages (telnetd, ftpd,
# exim4, mailutils, in.tftpd) under portierd on their real well-known ports.
# To do that without touching the host, the test re-runs itself in new
# network, PID and mount namespaces: the loopback is its own, and every
# process it starts (portierd, handlers, the sessions they fork) dies with it.
# What cannot live in a namespace (the test user, its home and mailbox) is
# created here and removed by lab_cleanup, always (trap).
#
# Exit codes: those of lib.sh; 77 (SKIP) only when not root; 99 when a
# package is missing (.ci/run installs them).
#
# Variables after lab_init / lab_user:
#   LAB_USER LAB_PASS LAB_HOME   the test user, its random password and home
#   LAB_TIMEOUT                  seconds for any one wait or client run
#
# Functions:
#   lab_init NAME "$@"     SKIP unless root, namespaces, loopback up, pt_init
#   lab_need PATH PACKAGE  ERROR unless the handler is installed
#   lab_user               the test user (useradd, chpasswd), home, mailbox
#   lab_conf FILE...       copy conf.d/FILE into $PT_CONFD with disable = no;
#                          check it with its commented lines uncommented
#   lab_start PORT/PROTO...   pt_start, then wait until each port is bound
#   lab_client ARGS...     tests/lab/clients.py ARGS, FAIL if it fails
#   lab_outsider           loopback also gets $LAB_OUT4 and $LAB_OUT6, addresses
#                          outside the examples' only_from (documentation ranges)
#   lab_refused SERVICE PORT   connections from the outsider addresses are
#                          closed unanswered, and logged as refused for access
#   lab_say MSG            a progress line

. "${top_srcdir:-../..}/tests/lib/lib.sh"

LAB_TIMEOUT=20
# Debian's Python: telnetlib is still in 3.11 (deprecated, removed in 3.13).
LAB_PYTHON=/usr/bin/python3
[ -x "$LAB_PYTHON" ] || LAB_PYTHON=python3
LAB_USER=
LAB_OUT4=192.0.2.9
LAB_OUT6=2001:db8::9

lab_say() {
	printf '%s: %s\n' "$LAB_NAME" "$*"
}

lab_init() {
	LAB_NAME=$1
	shift
	[ "$(id -u)" = 0 ] ||
		pt_skip "$LAB_NAME: needs root (network namespace, ports below 1024, a test user)"
	pt_netns --strict "$@"
	pt_init
	trap lab_cleanup EXIT
}

lab_need() {
	[ -x "$1" ] || pt_error "$1 missing: apt-get install $2 (see .ci/run)"
}

lab_user() {
	LAB_USER=plab$(od -An -N4 -tx1 /dev/urandom | tr -d ' \n')
	LAB_PASS=Lab-$(od -An -N9 -tx1 /dev/urandom | tr -d ' \n')
	LAB_HOME=$PT_DIR/home
	useradd --create-home --home-dir "$LAB_HOME" --shell /bin/sh \
		--comment "portier lab test" "$LAB_USER" ||
		{ LAB_USER=; pt_error "useradd failed"; }
	printf '%s:%s\n' "$LAB_USER" "$LAB_PASS" | chpasswd || pt_error "chpasswd failed"
	# Debian's mail spool: /var/mail/USER, the user's, group mail.
	install -m 660 -o "$LAB_USER" -g mail /dev/null "/var/mail/$LAB_USER" ||
		pt_error "cannot create /var/mail/$LAB_USER"
	lab_say "user $LAB_USER, home $LAB_HOME"
}

lab_conf() {
	mkdir -p "$PT_DIR/widened" || pt_error "mkdir"
	for f in "$@"; do
		sed 's/^\([[:space:]]*\)disable = yes$/\1disable = no/' \
			"$top_srcdir/conf.d/$f" > "$PT_CONFD/$f" || pt_error "cannot copy conf.d/$f"
		grep -q '^[[:space:]]*disable = no$' "$PT_CONFD/$f" ||
			pt_error "conf.d/$f has no 'disable = yes' line to flip"
		# What the comments offer must be valid too: the private ranges
		# and an expiry date, uncommented.
		sed 's/^\([[:space:]]*\)# \(only_from +=\|expires =\)/\1\2/' \
			"$PT_CONFD/$f" > "$PT_DIR/widened/$f" || pt_error "sed"
		[ "$(grep -Ec '^[[:space:]]*(only_from \+=|expires =)' "$PT_DIR/widened/$f")" -eq 2 ] ||
			pt_fail "conf.d/$f lacks the commented only_from += and expires lines"
	done
	"$PORTIERCTL" check -c "$PT_DIR/widened" -r "$REGISTRY" > "$PT_DIR/check.out" 2>&1 ||
		{ cat "$PT_DIR/check.out" >&2; pt_fail "$* with only_from += and expires uncommented: invalid"; }
}

lab_start() {
	pt_start
	for p in "$@"; do
		lab_wait_port "${p%/*}" "${p#*/}"
	done
	lab_say "portierd $PT_PID listening on $*"
}

# lab_wait_port PORT tcp|udp: until a socket is bound there.
lab_wait_port() {
	for _ in $(seq $((LAB_TIMEOUT * 10))); do
		ss -Hln --"$2" "sport = :$1" | grep -q . && return 0
		kill -0 "$PT_PID" 2>/dev/null || pt_fail "portierd exited before binding $1/$2"
		sleep 0.1
	done
	pt_fail "port $1/$2 not bound after ${LAB_TIMEOUT}s"
}

lab_client() {
	timeout $((LAB_TIMEOUT * 3)) "$LAB_PYTHON" "$top_srcdir/tests/lab/clients.py" "$@" ||
		pt_fail "client check '$1 $2 $3' failed"
}

lab_outsider() {
	ip addr add "$LAB_OUT4/32" dev lo &&
		ip -6 addr add "$LAB_OUT6/128" dev lo nodad ||
		pt_error "cannot add $LAB_OUT4 and $LAB_OUT6 to the namespace's loopback"
}

# A connection to an outsider address comes from it: only_from must refuse it.
lab_refused() {
	lab_client refused "$LAB_OUT4" "$2"
	lab_client refused "$LAB_OUT6" "$2"
	pt_wait_log "$1: refused connection from $LAB_OUT4:[0-9]+: access" ||
		pt_fail "$1: no refusal of $LAB_OUT4 logged"
	pt_wait_log "$1: refused connection from \\[$LAB_OUT6\\]:[0-9]+: access" ||
		pt_fail "$1: no refusal of $LAB_OUT6 logged"
}

# What is left of the test user's sessions (a shell from the telnet login, a
# mail delivery) ends, one process at a time by pid: the PID namespace limits
# pgrep to what this test started.
lab_reap_user() {
	for _ in $(seq 30); do
		pgrep -u "$LAB_USER" > /dev/null || return 0
		sleep 0.1
	done
	for pid in $(pgrep -u "$LAB_USER"); do
		kill -KILL "$pid" 2>/dev/null
	done
}

lab_cleanup() {
	rc=$?
	trap - EXIT
	pt_cleanup
	if [ -n "$LAB_USER" ]; then
		lab_reap_user
		userdel --remove --force "$LAB_USER" 2> /dev/null
		id "$LAB_USER" > /dev/null 2>&1 && echo "warning: userdel $LAB_USER failed" >&2
		rm -f "/var/mail/$LAB_USER"
	fi
	exit $rc
}
