# tests/lab.sh: shared by the legacy-lab tests (tests/lab-*.sh), sourced.
#
# Each lab test runs the real handlers of Debian's packages (telnetd, ftpd,
# exim4, mailutils, in.tftpd) under portierd on their real well-known ports.
# To do that without touching the host, the test re-executes itself in new
# network, PID and mount namespaces: its loopback is its own, and every
# process it starts (portierd, handlers, the sessions they fork) dies with it.
# What cannot live in a namespace (the test user, its home and mailbox, the
# TFTP root) is created here and removed by lab_cleanup, always (trap).
#
# Exit codes follow automake: 0 pass, 77 skip (only when not root), 99 hard
# error (a package is missing or the machine cannot do what the test needs).

LAB_TIMEOUT=20		# seconds for any one wait below
LAB_PYTHON=/usr/bin/python3	# Debian's Python: telnetlib is still in 3.11
[ -x "$LAB_PYTHON" ] || LAB_PYTHON=python3

lab_say() { printf '%s: %s\n' "$LAB_NAME" "$*"; }
lab_fail() { lab_say "FAIL: $*" >&2; exit 1; }
lab_error() { lab_say "ERROR: $*" >&2; exit 99; }

# lab_init NAME "$@": SKIP unless root, else re-run this script inside its
# own namespaces, bring loopback up and arrange the cleanup.
lab_init()
{
	LAB_NAME=$1
	shift
	if [ "$(id -u)" != 0 ]; then
		echo "SKIP: $LAB_NAME: needs root (network namespace, ports below 1024, a test user)"
		exit 77
	fi
	if [ -z "${LAB_IN_NETNS:-}" ]; then
		LAB_IN_NETNS=1
		export LAB_IN_NETNS
		exec unshare --net --pid --fork --mount-proc /bin/sh "$0" "$@"
		lab_error "cannot run unshare"
	fi
	ip link set lo up || lab_error "cannot bring loopback up in the namespace"
	: "${top_srcdir:?top_srcdir not set: run through make check}"
	: "${PORTIERD:?PORTIERD not set: run through make check}"
	: "${REGISTRY:?REGISTRY not set: run through make check}"
	LAB_DIR=$(mktemp -d "${TMPDIR:-/tmp}/portier-lab.XXXXXX") ||
		lab_error "mktemp failed"
	# The test user must be able to reach its home below this directory.
	chmod 755 "$LAB_DIR"
	LAB_USER=
	LAB_PID=
	trap lab_cleanup EXIT
	trap 'exit 1' HUP INT TERM
}

# lab_need PATH PACKAGE: the handler must be installed (.ci/run does it).
lab_need()
{
	[ -x "$1" ] || lab_error "$1 missing: apt-get install $2 (see .ci/run)"
}

# lab_user: a fresh user with a random password, a home and an empty mailbox.
# Sets LAB_USER, LAB_PASS, LAB_HOME.
lab_user()
{
	LAB_USER=plab$(od -An -N4 -tx1 /dev/urandom | tr -d ' \n')
	LAB_PASS=Lab-$(od -An -N9 -tx1 /dev/urandom | tr -d ' \n')
	LAB_HOME=$LAB_DIR/home
	useradd --create-home --home-dir "$LAB_HOME" --shell /bin/sh \
		--comment "portier lab test" "$LAB_USER" ||
		{ LAB_USER=; lab_error "useradd failed"; }
	printf '%s:%s\n' "$LAB_USER" "$LAB_PASS" | chpasswd ||
		lab_error "chpasswd failed"
	# Debian's mail spool: /var/mail/USER, owner the user, group mail.
	install -m 660 -o "$LAB_USER" -g mail /dev/null "/var/mail/$LAB_USER" ||
		lab_error "cannot create /var/mail/$LAB_USER"
	lab_say "user $LAB_USER, home $LAB_HOME"
}

# lab_conf FILE...: copy the shipped examples into the test's conf.d and
# enable them; the defaults section puts the control socket in LAB_DIR.
lab_conf()
{
	mkdir -p "$LAB_DIR/conf.d" || lab_error "mkdir conf.d"
	for f in "$@"; do
		sed -e 's/^\([[:space:]]*\)disable[[:space:]]*=[[:space:]]*yes/\1disable = no/' \
			"$top_srcdir/conf.d/$f" >"$LAB_DIR/conf.d/$f" ||
			lab_error "cannot copy conf.d/$f"
		grep -q 'disable = no' "$LAB_DIR/conf.d/$f" ||
			lab_error "conf.d/$f has no 'disable = yes' line to flip"
	done
}

# lab_start PORT/PROTO...: start portierd on the test's conf.d and wait until
# every listed port is bound.
lab_start()
{
	"$PORTIERD" -f -c "$LAB_DIR/conf.d" -r "$REGISTRY" \
		>"$LAB_DIR/portierd.log" 2>&1 &
	LAB_PID=$!
	for p in "$@"; do
		lab_wait_port "${p%/*}" "${p#*/}"
	done
	lab_say "portierd $LAB_PID listening on $*"
}

# lab_wait_port PORT tcp|udp
lab_wait_port()
{
	i=0
	while [ $i -lt $((LAB_TIMEOUT * 10)) ]; do
		kill -0 "$LAB_PID" 2>/dev/null || {
			cat "$LAB_DIR/portierd.log" >&2
			lab_fail "portierd exited before binding $1/$2"
		}
		case $2 in
		tcp) ss -Hltn "sport = :$1" | grep -q . && return 0 ;;
		udp) ss -Hlun "sport = :$1" | grep -q . && return 0 ;;
		esac
		sleep 0.1
		i=$((i + 1))
	done
	cat "$LAB_DIR/portierd.log" >&2
	lab_fail "port $1/$2 not bound after ${LAB_TIMEOUT}s"
}

# lab_client ARGS...: one of tests/lab/clients.py's checks.
lab_client()
{
	timeout $((LAB_TIMEOUT * 4)) "$LAB_PYTHON" "$top_srcdir/tests/lab/clients.py" "$@" ||
		{ lab_dump; lab_fail "client check '$1' failed"; }
}

lab_dump()
{
	lab_say "portierd's log:" >&2
	cat "$LAB_DIR/portierd.log" >&2
}

# lab_stop: SIGTERM portierd, wait a bounded time, then SIGKILL it.
lab_stop()
{
	[ -n "$LAB_PID" ] || return 0
	kill -TERM "$LAB_PID" 2>/dev/null
	i=0
	while kill -0 "$LAB_PID" 2>/dev/null && [ $i -lt 50 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	kill -KILL "$LAB_PID" 2>/dev/null
	wait "$LAB_PID" 2>/dev/null
	LAB_PID=
}

# lab_reap_user: end what is left of the test user's sessions (a shell from
# the telnet login, a mail delivery): only those, one by one by pid; the PID
# namespace confines pgrep to the processes this test started.
lab_reap_user()
{
	i=0
	while pgrep -u "$LAB_USER" >/dev/null && [ $i -lt 30 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	for pid in $(pgrep -u "$LAB_USER"); do
		kill -KILL "$pid" 2>/dev/null
	done
}

lab_cleanup()
{
	rc=$?
	trap - EXIT
	lab_stop
	if [ -n "$LAB_USER" ]; then
		lab_reap_user
		userdel --remove --force "$LAB_USER" 2>/dev/null ||
			lab_say "warning: userdel $LAB_USER failed" >&2
		rm -f "/var/mail/$LAB_USER"
	fi
	[ -n "${LAB_DIR:-}" ] && rm -rf "$LAB_DIR"
	exit $rc
}
