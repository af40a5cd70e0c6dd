#!/bin/sh
# SPDX-License-Identifier: ISC
# portier as a Debian package: build the source and binary packages from
# `make dist`'s tarball with the packaging kept in tests/pkg/debian/, install
# the binary one, run the installed portierd (--check on the shipped conf.d,
# then a demo service on a free loopback port, talked to and asked for its
# status; the registry is data in /usr/share/portier, not a conffile, and a
# local name in /etc/portier/services.d is seen), purge it, and check that
# nothing is left. When lintian is
# installed, it must report no error or warning that upstream causes.
#
# Root only: it installs into this machine. A portier already installed here
# (by dpkg or not) is left alone: the test skips. The package's unit is
# enabled by dh_installsystemd's scripts but never started: where systemd is
# init, /usr/sbin/policy-rc.d must deny it (exit 101) or the test skips.
# PORTIER_PKG_TEST=skip (set by `make distcheck`, see Makefile.am) skips it.
. "${top_srcdir:-../..}/tests/lib/lib.sh"

# lintian tags that this packaging causes, not upstream, and why:
#   initial-upload-closes-no-bugs  the changelog is a fixture: no ITP bug
PKG_ONLY_TAGS="initial-upload-closes-no-bugs"

[ "${PORTIER_PKG_TEST:-}" != skip ] ||
	pt_skip "PORTIER_PKG_TEST=skip (distcheck: a package build there would repeat this one)"
[ "$(id -u)" -eq 0 ] || pt_skip "installs a package into this machine: root only"
# One package test at a time on this machine (other build trees may run
# their suites at once): from the check that no portier is installed to
# the purge. The build is in the section too: it is what makes it long.
pt_lock pkg 1800
for tool in dpkg dpkg-buildpackage dh fakeroot make; do
	command -v "$tool" >/dev/null || pt_skip "$tool is not installed (dpkg-dev, debhelper, fakeroot)"
done
pkg_installed() {
	dpkg-query -W -f '${db:Status-Status}\n' portier 2>/dev/null | grep -qv '^not-installed$'
}
# a package test of a suite without the lock may be about to purge its own
if ! pt_wait_until '! pkg_installed' 120; then
	pt_skip "a portier package is installed here: not touching it"
fi
for f in /usr/sbin/portierd /usr/sbin/portierctl /etc/portier /usr/share/doc/portier; do
	[ ! -e "$f" ] || pt_skip "$f exists (a portier outside dpkg): not touching it"
done
# True when invoke-rc.d's policy forbids starting portierd.service.
pkg_start_denied() {
	[ -x /usr/sbin/policy-rc.d ] || return 1
	/usr/sbin/policy-rc.d portierd.service start >/dev/null 2>&1
	[ $? -eq 101 ]
}
if [ -d /run/systemd/system ] && ! pkg_start_denied; then
	pt_skip "systemd is init and no policy-rc.d denies starting portierd.service"
fi
VERSION=$(sed -n 's/^VERSION = //p' "$top_builddir/Makefile")
[ -n "$VERSION" ] || pt_error "no VERSION in $top_builddir/Makefile"

pt_init
W=$PT_DIR
PKG_INSTALLED=no
PKG_LOCAL_DB=/etc/portier/services.d/pkg-test.db
had_rundir=no
[ -e /run/portier ] && had_rundir=yes

# pkg_dpkg SECS LOG ARGS...: dpkg ARGS (at most SECS), again while another
# dpkg or apt on this machine holds dpkg's lock (bounded: 600 s).
pkg_dpkg() {
	local secs=$1 log=$2 end=$(( $(date +%s) + 600 ))

	shift 2
	while :; do
		timeout "$secs" dpkg "$@" > "$log" 2>&1 && return 0
		grep -q 'locked by another process' "$log" || return 1
		[ "$(date +%s)" -lt "$end" ] || return 1
		sleep 1
	done
}

# On any exit: stop the installed daemon, then purge the package.
pkg_cleanup() {
	[ -n "$PT_PID" ] && kill -KILL "$PT_PID" 2>/dev/null
	rm -f "$PKG_LOCAL_DB"
	if [ "$PKG_INSTALLED" = yes ]; then
		pkg_dpkg 120 "$W/purge.log" --purge portier ||
			{ echo "ERROR: could not purge portier:" >&2; cat "$W/purge.log" >&2; }
	fi
	pt_cleanup
}
trap pkg_cleanup EXIT

# pkg_log_fail FILE MSG: fail with MSG and FILE's last lines.
pkg_log_fail() {
	echo "--- $1 (last 40 lines) ---" >&2
	tail -n 40 "$1" >&2
	pt_fail "$2"
}

# The package is built as a distribution would: from the tarball, in a clean
# environment (none of make check's variables leak into the package's make).
env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL timeout 300 \
	make -C "$top_builddir" dist > "$W/dist.log" 2>&1 ||
	pkg_log_fail "$W/dist.log" "make dist"
mv "$top_builddir/portier-$VERSION.tar.gz" "$W/" || pt_fail "no portier-$VERSION.tar.gz"
mkdir "$W/build"
tar -xzf "$W/portier-$VERSION.tar.gz" -C "$W/build" || pt_fail "cannot unpack the tarball"
# The tarball is also the source package's .orig, so that lintian sees the
# source too (dpkg-buildpackage builds both: no -b).
ln "$W/portier-$VERSION.tar.gz" "$W/build/portier_$VERSION.orig.tar.gz" || pt_error "ln"
src=$W/build/portier-$VERSION
cp -R "$top_srcdir/tests/pkg/debian" "$src/" || pt_error "cannot copy tests/pkg/debian"
chmod -R u+w "$src/debian" && chmod +x "$src/debian/rules"
(cd "$src" && dpkg-checkbuilddeps) > "$W/builddeps.log" 2>&1 ||
	pt_skip "$(tail -n 1 "$W/builddeps.log")"
(cd "$src" && env -i PATH="$PATH" HOME="$W" LC_ALL=C.UTF-8 TMPDIR="${TMPDIR:-/tmp}" \
	timeout 900 dpkg-buildpackage -us -uc -j2) > "$W/build.log" 2>&1 ||
	pkg_log_fail "$W/build.log" "dpkg-buildpackage"
deb=$(ls "$W"/build/portier_*.deb)
changes=$(ls "$W"/build/portier_*.changes)
[ -f "$deb" ] && [ -f "$changes" ] || pt_fail "no .deb or .changes in $W/build"

if command -v lintian >/dev/null; then
	timeout 300 lintian --display-info --pedantic --display-experimental --tag-display-limit 0 \
		"$changes" > "$W/lintian.log" 2>&1
	rc=$?
	echo "--- lintian ---"
	cat "$W/lintian.log"
	# 0: no error tag, 1: some (they are judged below), else it failed.
	[ $rc -le 1 ] || pt_fail "lintian exited with status $rc"
	grep -E '^[EW]: ' "$W/lintian.log" > "$W/lintian.bad"
	for tag in $PKG_ONLY_TAGS; do
		grep -vw -- "$tag" "$W/lintian.bad" > "$W/lintian.tmp"
		mv "$W/lintian.tmp" "$W/lintian.bad"
	done
	[ ! -s "$W/lintian.bad" ] || pt_fail "lintian: $(cat "$W/lintian.bad")"
else
	echo "lintian is not installed: not run"
fi

PKG_INSTALLED=yes
pkg_dpkg 300 "$W/install.log" -i "$deb" ||
	pkg_log_fail "$W/install.log" "dpkg -i $deb"
dpkg -L portier > "$W/files" || pt_fail "dpkg -L portier after install"
echo "--- conffiles ---"
dpkg-query -W -f '${Conffiles}\n' portier | tee "$W/conffiles"
for f in /usr/sbin/portierd /usr/sbin/portierctl /etc/portier/conf.d \
    /usr/share/portier/services.db /etc/portier/services.d \
    /usr/share/doc/portier/examples/conf.d/demo-hello.conf \
    /lib/systemd/system/portierd.service /lib/systemd/system/portierd-inetd.path \
    /lib/systemd/system/portierd-inetd.service; do
	grep -qx "$f" "$W/files" || pt_fail "$f is not in the package"
done
# update-inetd wakes no portierd: the path unit (inetd_compat's build) does,
# enabled with portierd.service by dh_installsystemd's scripts.
[ -L /etc/systemd/system/portierd.service.wants/portierd-inetd.path ] ||
	pt_fail "portierd-inetd.path is not enabled (portierd.service.wants)"
if command -v systemd-analyze >/dev/null; then
	systemd-analyze verify --man=no /lib/systemd/system/portierd.service \
		/lib/systemd/system/portierd-inetd.path /lib/systemd/system/portierd-inetd.service \
		> "$W/verify.log" 2>&1 || pkg_log_fail "$W/verify.log" "systemd-analyze verify"
fi
# The registry is data that every upgrade replaces: no conffile prompt.
! grep -q 'services\.db' "$W/conffiles" || pt_fail "services.db is a conffile"
! grep -qx /etc/portier/services.db "$W/files" || pt_fail "/etc/portier/services.db is installed"
[ -z "$(ls -A /etc/portier/services.d)" ] || pt_fail "/etc/portier/services.d is not empty"

# The shipped configuration (every example disabled) is valid as installed.
timeout 10 /usr/sbin/portierd --check > "$W/check.log" 2>&1 ||
	pkg_log_fail "$W/check.log" "the installed portierd --check"
echo "--- portierd --check ---"
cat "$W/check.log"

# The default registries of the installed programs: the shipped names, and
# a local name from services.d (removed again before the purge).
timeout 10 /usr/sbin/portierctl lookup ssh > "$W/lookup.log" 2>&1 ||
	pkg_log_fail "$W/lookup.log" "the installed portierctl lookup ssh"
printf 'pkg-test-local 4999/tcp # a local name\n' > "$PKG_LOCAL_DB"
timeout 10 /usr/sbin/portierctl lookup pkg-test-local > "$W/lookup.log" 2>&1 ||
	pkg_log_fail "$W/lookup.log" "a name of /etc/portier/services.d"
pt_assert_grep "^pkg-test-local +4999/tcp" "$W/lookup.log" "lookup of a local name"
rm -f "$PKG_LOCAL_DB"

# The installed daemon on the installed demo, moved to a free port.
port=$(pt_ports 1)
sed "s/^\([[:space:]]*port[[:space:]]*=[[:space:]]*\)10013\$/\1$port/" \
	/usr/share/doc/portier/examples/conf.d/demo-hello.conf > "$PT_CONFD/demo-hello.conf"
grep -q "port = $port\$" "$PT_CONFD/demo-hello.conf" ||
	pt_error "demo-hello.conf has no 'port = 10013' line to move"
# The distribution build's inetd_compat, on without a word in conf.d: an
# entry of the test's inetd.conf (inetd_conf moved there, never the
# machine's /etc/inetd.conf) answers too.
iport=$(pt_ports 1)
printf 'defaults {\n\tinetd_conf = "%s"\n}\n' "$PT_DIR/inetd.conf" > "$PT_CONFD/00-inetd.conf"
printf '%s\tstream\ttcp\tnowait\tnobody\t/bin/cat\tcat\n' "$iport" > "$PT_DIR/inetd.conf"
PORTIERD=/usr/sbin/portierd
REGISTRY=/usr/share/portier/services.db
pt_start
[ "$($PT_CLIENT tcp 127.0.0.1 "$iport" ping)" = ping ] ||
	pt_fail "the inetd.conf entry on $iport does not answer: inetd_compat is not on"
out=$($PT_CLIENT tcp 127.0.0.1 "$port") || pt_fail "no answer from demo-hello on $port"
case $out in "Hello from portier"*) ;; *) pt_fail "demo-hello said '$out'" ;; esac
timeout 10 /usr/sbin/portierctl -s "$PT_DIR/control" status > "$W/status.log" 2>&1 ||
	pkg_log_fail "$W/status.log" "the installed portierctl status"
pt_assert_grep "demo-hello" "$W/status.log" "status does not show demo-hello"
pt_stop || pt_fail "the installed portierd's exit status on SIGTERM"

# Purge, then nothing of the package may be left.
PKG_INSTALLED=no
pkg_dpkg 120 "$W/purge.log" --purge portier ||
	pkg_log_fail "$W/purge.log" "dpkg --purge portier"
for f in /etc/portier /usr/sbin/portierd /usr/share/portier /usr/share/doc/portier; do
	[ ! -e "$f" ] || pt_fail "$f is left after purge"
done
! dpkg -L portier >/dev/null 2>&1 || pt_fail "dpkg -L portier works after purge"
while IFS= read -r f; do
	[ "$f" != /. ] || continue
	[ -e "$f" ] || [ -L "$f" ] || continue
	# A directory that another package owns (/usr/sbin...) stays.
	[ -d "$f" ] && dpkg-query -S "$f" >/dev/null 2>&1 && continue
	pt_fail "$f is left after purge"
done < "$W/files"
left=$(find /etc/systemd /var/lib/systemd /var/lib/dpkg/info \
	-name 'portierd.*' -o -name 'portierd-*' -o -name 'portier.*' 2>/dev/null)
[ -z "$left" ] || pt_fail "left after purge: $left"
[ "$had_rundir" = yes ] || [ ! -e /run/portier ] || pt_fail "/run/portier is left"
exit 0
