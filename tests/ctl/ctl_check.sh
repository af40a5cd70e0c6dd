#!/bin/sh
# SPDX-License-Identifier: ISC
# portierctl check: a valid conf.d (exit 0, one resolved line per enabled
# service), an invalid one (exit 1, every error as FILE:LINE on stderr),
# warnings that do not fail, a strict registry, expiry notices, NUL bytes,
# entries that are no regular files, quoted secrets, portierd's StrictModes
# (as root), and usage errors (exit 2). Needs no daemon and no network.
set -u

. "${top_srcdir:-../..}/tests/lib/lib.sh"
pt_cmd_init check

# Handlers run as portierd's user when it is not root, else as nobody.
if [ "$(id -u)" -eq 0 ]; then user=nobody; else user=$(id -un); fi
# As root, check applies portierd's StrictModes: the files are root's and
# 644, and the registry is used from a copy, wherever the source tree lives.
umask 022
cp "$REGISTRY" "$PT_DIR/services.db" || pt_error "cannot copy $REGISTRY"
REGISTRY="$PT_DIR/services.db"

# A valid configuration: the enabled services, resolved, in file order.
mkdir "$PT_DIR/ok"
cat >"$PT_DIR/ok/10-builtin.conf" <<'EOF'
# built-in services
defaults {
	instances = 20
}
service echo { type = internal }
service echo/udp { type = internal }
service daytime {
	type = internal
	disable = yes
}
EOF
cat >"$PT_DIR/ok/20-cat.conf" <<'EOF'
service cat {
	server = /bin/cat
	server_args = { -u, "a b" }
	port = 5555
	bind = { 127.0.0.1, "::1" }
}
EOF
echo 'not read: no .conf' >"$PT_DIR/ok/20-cat.conf~"
pt_cmd 0 -c "$PT_DIR/ok" -r "$REGISTRY"
pt_lines out 3
pt_has out '^echo 7/tcp stream nowait internal$'
pt_has out '^echo/udp 7/udp dgram wait internal$'
pt_has out "^cat 127.0.0.1:5555/tcp,\[::1\]:5555/tcp stream nowait user=$user /bin/cat -u 'a b'$"
pt_has err '^portierctl check: 4 services \(3 enabled\), 0 errors, 0 warnings$'
pt_lines err 1
# Long options and option order do not matter.
pt_cmd 0 --registry="$REGISTRY" --confdir "$PT_DIR/ok"
pt_lines out 3

# Every error of every file, each with its file and line, and a count.
mkdir "$PT_DIR/bad"
cat >"$PT_DIR/bad/a.conf" <<'EOF'
service echo {
	type = internal
	bogus = yes
}
EOF
cat >"$PT_DIR/bad/b.conf" <<'EOF'
service telnet {
	server = /nonexistent/in.telnetd
	port = 70000
}
service tftp {
	server = /bin/cat
	socket_type = dgram
	wait = no
}
service echo { type = internal }
service echo2 {
	type = internal
	name = echo
}
EOF
pt_cmd 1 -c "$PT_DIR/bad" -r "$REGISTRY"
pt_has err "^$PT_DIR/bad/a.conf:3: no such option 'bogus'$"
pt_has err "^$PT_DIR/bad/b.conf:3: service 'telnet': port: '70000' is not a number from 1 to 65535$"
pt_has err "^$PT_DIR/bad/b.conf:2: service 'telnet': server /nonexistent/in.telnetd: No such file or directory$"
pt_has err "^$PT_DIR/bad/b.conf:8: service 'tftp': wait = no does not work with dgram sockets"
pt_has err "^$PT_DIR/bad/b.conf:11: service 'echo2': port 7/tcp on all IPv4 addresses is already used by service 'echo'"
pt_has err '^portierctl check: 5 errors, 0 warnings: the configuration is not valid$'
[ -s "$PT_DIR/out" ] && pt_cmd_fail "an invalid configuration printed services"

# Warnings do not fail: a disabled service whose handler is not installed,
# a file that is not *.conf, a service that expired or soon will.
mkdir "$PT_DIR/warn"
soon=$(date -u -d '+2 days' +%Y-%m-%dT%H:%M:%SZ)
cat >"$PT_DIR/warn/a.conf" <<EOF
service telnet {
	disable = yes
	server = /nonexistent/in.telnetd
}
service echo {
	type = internal
	expires = "2001-01-01T00:00:00Z"
}
service discard {
	type = internal
	expires = "$soon"
}
service chargen {
	type = internal
	expires = "2999-01-01"
}
EOF
echo 'stray' >"$PT_DIR/warn/README"
pt_cmd 0 -c "$PT_DIR/warn" -r "$REGISTRY"
pt_lines out 3
pt_has err "^$PT_DIR/warn/a.conf:3: warning: service 'telnet': server /nonexistent/in.telnetd: No such file or directory$"
pt_has err "^$PT_DIR/warn/README: warning: ignored: the name does not end in .conf$"
pt_has err "^$PT_DIR/warn/a.conf:5: warning: service 'echo' expired on 2001-01-01 "
pt_has err "^$PT_DIR/warn/a.conf:9: warning: service 'discard' expires on .*, in (47|48) hours$"
grep -q chargen "$PT_DIR/err" && pt_cmd_fail "a far expiry date was warned about"
pt_has err '^portierctl check: 4 services \(3 enabled\), 0 errors, 4 warnings$'
pt_lines err 5

# The registry is read strictly: its errors fail the check too.
printf 'myapp 50000/tcp\nbroken line here\n' >"$PT_DIR/local.db"
pt_cmd 1 -c "$PT_DIR/ok" -r "$REGISTRY" -r "$PT_DIR/local.db"
pt_has err "^$PT_DIR/local.db:2: 'line' is not PORT/PROTOCOL"
# A name that only a later registry file has is found.
mkdir "$PT_DIR/mine"
echo 'service myapp { server = /bin/cat }' >"$PT_DIR/mine/myapp.conf"
printf 'myapp 50000/tcp\n' >"$PT_DIR/local.db"
pt_cmd 0 -c "$PT_DIR/mine" -r "$REGISTRY" -r "$PT_DIR/local.db"
pt_has out "^myapp 50000/tcp stream nowait user=$user /bin/cat$"
pt_cmd 1 -c "$PT_DIR/mine" -r "$REGISTRY"
pt_has err "service 'myapp': 'myapp' has no tcp port in the registry: set port$"
pt_cmd 1 -c "$PT_DIR/ok" -r "$PT_DIR/missing.db"
pt_has err "^$PT_DIR/missing.db: cannot open"

# No such directory.
pt_cmd 1 -c "$PT_DIR/missing" -r "$REGISTRY"
pt_has err "^$PT_DIR/missing: cannot open directory: No such file or directory$"

# A NUL byte fails the check at its line, whatever else the file says
# (libconfuse would stop there and drop the rest without a word).
mkdir "$PT_DIR/nul"
printf 'service tr {\n\tserver = "/bin/tr\000ue"\n\tport = 5555\n}\n' >"$PT_DIR/nul/tr.conf"
pt_cmd 1 -c "$PT_DIR/nul" -r "$REGISTRY"
pt_has err "^$PT_DIR/nul/tr.conf:2: a NUL byte: the file is damaged or not text"
[ -s "$PT_DIR/out" ] && pt_cmd_fail "a file with a NUL byte printed services"

# A *.conf that is no regular file is never opened (a FIFO does not block)
# and is named; a secret file behind a link shows 32 bytes of its first line.
mkdir "$PT_DIR/odd"
cp "$PT_DIR/ok/20-cat.conf" "$PT_DIR/odd/"
mkfifo "$PT_DIR/odd/fifo.conf"
ln -s "$PT_DIR/vanished.conf" "$PT_DIR/odd/telnet.conf"
printf 'root:$6$saltsaltsaltsalt$hashhashhashhashhashhash:19000:0:99999:7:::\n' >"$PT_DIR/shadow"
chmod 600 "$PT_DIR/shadow"
timeout 10 "$PORTIERCTL" check -c "$PT_DIR/odd" -r "$REGISTRY" >"$PT_DIR/out" 2>"$PT_DIR/err"
[ $? -eq 0 ] || pt_cmd_fail "check with a FIFO and a dangling link in conf.d: exit $?"
pt_has err "^$PT_DIR/odd/fifo.conf: warning: ignored: not a regular file \(a FIFO\)$"
pt_has err "^$PT_DIR/odd/telnet.conf: warning: ignored: not a regular file \(a dangling symbolic link\)$"
pt_lines out 1
ln -s "$PT_DIR/shadow" "$PT_DIR/odd/secret.conf"
pt_cmd 1 -c "$PT_DIR/odd" -r "$REGISTRY"
pt_has err "^$PT_DIR/odd/secret.conf:1: no such option 'root:\\\$6\\\$saltsaltsaltsalt\\\$hashhas\.\.\.'$"
grep -q hashhashhashhash "$PT_DIR/err" && pt_cmd_fail "a secret's first line was quoted in full"
rm "$PT_DIR/odd/secret.conf"

# A registry that is a FIFO is refused at once (no writer: an open would wait).
mkfifo "$PT_DIR/fifo.db"
timeout 10 "$PORTIERCTL" check -c "$PT_DIR/ok" -r "$REGISTRY" -r "$PT_DIR/fifo.db" >"$PT_DIR/out" 2>"$PT_DIR/err"
[ $? -eq 1 ] || pt_cmd_fail "check with a FIFO registry: exit $? (124: it blocked)"
pt_has err "^$PT_DIR/fifo.db: not a regular file$"

# As root, what portierd would refuse to run with (StrictModes) fails the
# check with the daemon's words; --insecure-config turns it off, as for
# portierd. portierd --check says the same.
if [ "$(id -u)" -eq 0 ] && id nobody >/dev/null 2>&1; then
	chmod o+w "$PT_DIR/ok/20-cat.conf"
	pt_cmd 1 -c "$PT_DIR/ok" -r "$REGISTRY"
	pt_has err "^$PT_DIR/ok/20-cat.conf: writable by others \(fix: chmod go-w $PT_DIR/ok/20-cat.conf, or run with --insecure-config\); portierd would refuse to run$"
	[ -s "$PT_DIR/out" ] && pt_cmd_fail "an insecure configuration printed services"
	pt_cmd 0 -c "$PT_DIR/ok" -r "$REGISTRY" --insecure-config
	pt_lines out 3
	"$PORTIERD" --check -c "$PT_DIR/ok" -r "$REGISTRY" >"$PT_DIR/out" 2>"$PT_DIR/err"
	[ $? -eq 1 ] || pt_cmd_fail "portierd --check on a world-writable file: exit $?"
	pt_has err "20-cat.conf: writable by others .*; portierd would refuse to run$"
	"$PORTIERD" --check --insecure-config -c "$PT_DIR/ok" -r "$REGISTRY" >"$PT_DIR/out" 2>"$PT_DIR/err" ||
		pt_cmd_fail "portierd --check --insecure-config: exit $?"
	chmod o-w "$PT_DIR/ok/20-cat.conf"
	chown nobody "$PT_DIR/local.db"
	pt_cmd 1 -c "$PT_DIR/mine" -r "$REGISTRY" -r "$PT_DIR/local.db"
	pt_has err "^$PT_DIR/local.db: owned by uid [0-9]+, not root \(fix: chown root $PT_DIR/local.db, or run with --insecure-config\); portierd would refuse to run$"
	chown root "$PT_DIR/local.db"
	chmod g+w "$PT_DIR/mine"
	pt_cmd 1 -c "$PT_DIR/mine" -r "$REGISTRY" -r "$PT_DIR/local.db"
	pt_has err "^$PT_DIR/mine: writable by its group"
	chmod g-w "$PT_DIR/mine"
	pt_cmd 0 -c "$PT_DIR/mine" -r "$REGISTRY" -r "$PT_DIR/local.db"
else
	echo "not root (or no user nobody): StrictModes of check not tested"
fi

# Usage errors: exit 2.
pt_cmd 2 -x
pt_has err "unknown option '-x'"
pt_has err '^usage: portierctl check'
pt_cmd 2 -c
pt_has err '-c needs an argument'
pt_cmd 2 -c "$PT_DIR/ok" extra
pt_has err "unexpected argument 'extra'"
pt_cmd 0 --help
pt_has out '^usage: portierctl check \[-c DIR\] \[-r FILE\]\.\.\. \[--json\] \[--insecure-config\]$'

exit $PT_FAILED
