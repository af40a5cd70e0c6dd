#!/bin/sh
# portierctl check: a valid conf.d (exit 0, one resolved line per enabled
# service), an invalid one (exit 1, every error as FILE:LINE on stderr),
# warnings that do not fail, a strict registry, expiry notices, NUL bytes,
# entries that are no regular files, quoted secrets, portierd's StrictModes
# (as root), and usage errors (exit 2). Needs no daemon and no network.
set -u

. "$(dirname "$0")/ctl_lib.sh"
ctl_command=check

# Handlers run as portierd's user when it is not root, else as nobody.
if [ "$(id -u)" -eq 0 ]; then user=nobody; else user=$(id -un); fi
# As root, check applies portierd's StrictModes: the files are root's and
# 644, and the registry is used from a copy, wherever the source tree lives.
umask 022
cp "$REGISTRY" "$tmp/services.db" || exit 99
REGISTRY="$tmp/services.db"

# A valid configuration: the enabled services, resolved, in file order.
mkdir "$tmp/ok"
cat >"$tmp/ok/10-builtin.conf" <<'EOF'
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
cat >"$tmp/ok/20-cat.conf" <<'EOF'
service cat {
	server = /bin/cat
	server_args = { -u, "a b" }
	port = 5555
	bind = { 127.0.0.1, "::1" }
}
EOF
echo 'not read: no .conf' >"$tmp/ok/20-cat.conf~"
run 0 -c "$tmp/ok" -r "$REGISTRY"
lines out 3
has out '^echo 7/tcp stream nowait internal$'
has out '^echo/udp 7/udp dgram wait internal$'
has out "^cat 127.0.0.1:5555/tcp,\[::1\]:5555/tcp stream nowait user=$user /bin/cat -u 'a b'$"
[ -s "$tmp/err" ] && fail "a valid configuration wrote to stderr"
# Long options and option order do not matter.
run 0 --registry="$REGISTRY" --confdir "$tmp/ok"
lines out 3

# Every error of every file, each with its file and line, and a count.
mkdir "$tmp/bad"
cat >"$tmp/bad/a.conf" <<'EOF'
service echo {
	type = internal
	bogus = yes
}
EOF
cat >"$tmp/bad/b.conf" <<'EOF'
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
run 1 -c "$tmp/bad" -r "$REGISTRY"
has err "^$tmp/bad/a.conf:3: no such option 'bogus'$"
has err "^$tmp/bad/b.conf:3: service 'telnet': port: '70000' is not a number from 1 to 65535$"
has err "^$tmp/bad/b.conf:2: service 'telnet': server /nonexistent/in.telnetd: No such file or directory$"
has err "^$tmp/bad/b.conf:8: service 'tftp': wait = no does not work with dgram sockets"
has err "^$tmp/bad/b.conf:11: service 'echo2': port 7/tcp on all IPv4 addresses is already used by service 'echo'"
has err '^portierctl check: 5 errors$'
[ -s "$tmp/out" ] && fail "an invalid configuration printed services"

# Warnings do not fail: a disabled service whose handler is not installed,
# a file that is not *.conf, a service that expired or soon will.
mkdir "$tmp/warn"
soon=$(date -u -d '+2 days' +%Y-%m-%dT%H:%M:%SZ)
cat >"$tmp/warn/a.conf" <<EOF
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
echo 'stray' >"$tmp/warn/README"
run 0 -c "$tmp/warn" -r "$REGISTRY"
lines out 3
has err "^$tmp/warn/a.conf:3: warning: service 'telnet': server /nonexistent/in.telnetd: No such file or directory$"
has err "^$tmp/warn/README: warning: ignored: the name does not end in .conf$"
has err "^$tmp/warn/a.conf:5: warning: service 'echo' expired on 2001-01-01 "
has err "^$tmp/warn/a.conf:9: warning: service 'discard' expires on .*, in (47|48) hours$"
grep -q chargen "$tmp/err" && fail "a far expiry date was warned about"
lines err 4

# The registry is read strictly: its errors fail the check too.
printf 'myapp 50000/tcp\nbroken line here\n' >"$tmp/local.db"
run 1 -c "$tmp/ok" -r "$REGISTRY" -r "$tmp/local.db"
has err "^$tmp/local.db:2: 'line' is not PORT/PROTOCOL"
# A name that only a later registry file has is found.
mkdir "$tmp/mine"
echo 'service myapp { server = /bin/cat }' >"$tmp/mine/myapp.conf"
printf 'myapp 50000/tcp\n' >"$tmp/local.db"
run 0 -c "$tmp/mine" -r "$REGISTRY" -r "$tmp/local.db"
has out "^myapp 50000/tcp stream nowait user=$user /bin/cat$"
run 1 -c "$tmp/mine" -r "$REGISTRY"
has err "service 'myapp': 'myapp' has no tcp port in the registry: set port$"
run 1 -c "$tmp/ok" -r "$tmp/missing.db"
has err "^$tmp/missing.db: cannot open"

# No such directory.
run 1 -c "$tmp/missing" -r "$REGISTRY"
has err "^$tmp/missing: cannot open directory: No such file or directory$"

# A NUL byte fails the check at its line, whatever else the file says
# (libconfuse would stop there and drop the rest without a word).
mkdir "$tmp/nul"
printf 'service tr {\n\tserver = "/bin/tr\000ue"\n\tport = 5555\n}\n' >"$tmp/nul/tr.conf"
run 1 -c "$tmp/nul" -r "$REGISTRY"
has err "^$tmp/nul/tr.conf:2: a NUL byte: the file is damaged or not text"
[ -s "$tmp/out" ] && fail "a file with a NUL byte printed services"

# A *.conf that is no regular file is never opened (a FIFO does not block)
# and is named; a secret file behind a link shows 32 bytes of its first line.
mkdir "$tmp/odd"
cp "$tmp/ok/20-cat.conf" "$tmp/odd/"
mkfifo "$tmp/odd/fifo.conf"
ln -s "$tmp/vanished.conf" "$tmp/odd/telnet.conf"
printf 'root:$6$saltsaltsaltsalt$hashhashhashhashhashhash:19000:0:99999:7:::\n' >"$tmp/shadow"
chmod 600 "$tmp/shadow"
timeout 10 "$PORTIERCTL" check -c "$tmp/odd" -r "$REGISTRY" >"$tmp/out" 2>"$tmp/err"
[ $? -eq 0 ] || fail "check with a FIFO and a dangling link in conf.d: exit $?"
has err "^$tmp/odd/fifo.conf: warning: ignored: not a regular file \(a FIFO\)$"
has err "^$tmp/odd/telnet.conf: warning: ignored: not a regular file \(a dangling symbolic link\)$"
lines out 1
ln -s "$tmp/shadow" "$tmp/odd/secret.conf"
run 1 -c "$tmp/odd" -r "$REGISTRY"
has err "^$tmp/odd/secret.conf:1: no such option 'root:\\\$6\\\$saltsaltsaltsalt\\\$hashhas\.\.\.'$"
grep -q hashhashhashhash "$tmp/err" && fail "a secret's first line was quoted in full"
rm "$tmp/odd/secret.conf"

# A registry that is a FIFO is refused at once (no writer: an open would wait).
mkfifo "$tmp/fifo.db"
timeout 10 "$PORTIERCTL" check -c "$tmp/ok" -r "$REGISTRY" -r "$tmp/fifo.db" >"$tmp/out" 2>"$tmp/err"
[ $? -eq 1 ] || fail "check with a FIFO registry: exit $? (124: it blocked)"
has err "^$tmp/fifo.db: not a regular file$"

# As root, what portierd would refuse to run with (StrictModes) fails the
# check with the daemon's words; --insecure-config turns it off, as for
# portierd. portierd --check says the same.
if [ "$(id -u)" -eq 0 ] && id nobody >/dev/null 2>&1; then
	chmod o+w "$tmp/ok/20-cat.conf"
	run 1 -c "$tmp/ok" -r "$REGISTRY"
	has err "^$tmp/ok/20-cat.conf: writable by others \(fix: chmod go-w $tmp/ok/20-cat.conf, or run with --insecure-config\); portierd would refuse to run$"
	[ -s "$tmp/out" ] && fail "an insecure configuration printed services"
	run 0 -c "$tmp/ok" -r "$REGISTRY" --insecure-config
	lines out 3
	"$PORTIERD" --check -c "$tmp/ok" -r "$REGISTRY" >"$tmp/out" 2>"$tmp/err"
	[ $? -eq 1 ] || fail "portierd --check on a world-writable file: exit $?"
	has err "20-cat.conf: writable by others .*; portierd would refuse to run$"
	"$PORTIERD" --check --insecure-config -c "$tmp/ok" -r "$REGISTRY" >"$tmp/out" 2>"$tmp/err" ||
		fail "portierd --check --insecure-config: exit $?"
	chmod o-w "$tmp/ok/20-cat.conf"
	chown nobody "$tmp/local.db"
	run 1 -c "$tmp/mine" -r "$REGISTRY" -r "$tmp/local.db"
	has err "^$tmp/local.db: owned by uid [0-9]+, not root \(fix: chown root $tmp/local.db, or run with --insecure-config\); portierd would refuse to run$"
	chown root "$tmp/local.db"
	chmod g+w "$tmp/mine"
	run 1 -c "$tmp/mine" -r "$REGISTRY" -r "$tmp/local.db"
	has err "^$tmp/mine: writable by its group"
	chmod g-w "$tmp/mine"
	run 0 -c "$tmp/mine" -r "$REGISTRY" -r "$tmp/local.db"
else
	echo "not root (or no user nobody): StrictModes of check not tested"
fi

# Usage errors: exit 2.
run 2 -x
has err "unknown option '-x'"
has err '^usage: portierctl check'
run 2 -c
has err '-c needs an argument'
run 2 -c "$tmp/ok" extra
has err "unexpected argument 'extra'"
run 0 --help
has out '^usage: portierctl check \[-c DIR\] \[-r FILE\]\.\.\. \[--insecure-config\]$'

exit $failed
