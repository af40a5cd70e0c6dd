#!/bin/sh
# portierctl lookup against the shipped registry: a name, an alias, a port,
# a port/protocol, a local file added with -r, misses (exit 1) and usage
# errors (exit 2). Needs no daemon and no network.
set -u

. "$(dirname "$0")/ctl_lib.sh"
ctl_command=lookup

# A name: a header, then one line per protocol, aligned, with class and
# description.
run 0 ssh -r "$REGISTRY"
lines out 4
has out '^NAME +PORT +CLASS +ALIASES +DESCRIPTION$'
has out '^ssh +22/tcp +well-known +- +The Secure Shell \(SSH\) Protocol$'
has out '^ssh +22/udp +well-known '
has out '^ssh +22/sctp +well-known '
[ -s "$tmp/err" ] && fail "lookup ssh wrote to stderr"

# An alias finds its entry.
run 0 www -r "$REGISTRY"
lines out 2
has out '^http +80/tcp +well-known +www +WorldWideWeb HTTP$'
run 0 mail -r "$REGISTRY"
has out '^smtp +25/tcp +well-known +mail +Simple Mail Transfer$'

# A port: every entry of every protocol, in protocol order, columns aligned.
run 0 80 -r "$REGISTRY"
has out '^http +80/tcp '
has out '^www-http +80/udp '
has out '^http +80/sctp '
[ "$(awk 'NR > 1 { print index($0, " 80/") }' "$tmp/out" | sort -u | wc -l)" -eq 1 ] ||
	fail "lookup 80: the port column is not aligned"
run 0 25 -r "$REGISTRY"
lines out 3
has out '^smtp +25/tcp '
has out '^smtp +25/udp '

# A port and protocol.
run 0 53/udp -r "$REGISTRY"
lines out 2
has out '^domain +53/udp +well-known +- +Domain Name Server$'
run 0 8080/tcp -r "$REGISTRY"
lines out 2
has out '^http-alt +8080/tcp +registered +webcache '

# Options may come first; a later file adds names; its problems go to stderr.
cat >"$tmp/local.db" <<'EOF'
myapp	50000/tcp	mine	# a local service
broken line here
EOF
run 0 -r "$REGISTRY" -r "$tmp/local.db" mine
lines out 2
has out '^myapp +50000/tcp +dynamic +mine +a local service$'
has err "^$tmp/local.db:2: warning: 'line' is not PORT/PROTOCOL"

# Every alias is printed, however long the list.
long=$(printf 'alias-number-%02d-of-a-long-list ' $(seq 1 32))
printf 'many 50001/udp %s # many aliases\n' "$long" >"$tmp/many.db"
run 0 many -r "$tmp/many.db"
has out '^many +50001/udp +dynamic +alias-number-01-of-a-long-list,alias-number-02-.*,alias-number-32-of-a-long-list  many aliases$'
run 0 alias-number-32-of-a-long-list -r "$tmp/many.db"
lines out 2

# Nothing matches: exit 1, a message on stderr, nothing on stdout.
run 1 no-such-service -r "$REGISTRY"
has err 'no-such-service: no such name or alias'
[ -s "$tmp/out" ] && fail "a miss printed to stdout"
run 1 4/tcp -r "$REGISTRY"
has err '4/tcp: no such port'
run 1 ssh -r "$tmp/missing.db"
has err "^$tmp/missing.db: cannot open: No such file or directory$"

# Usage errors: exit 2.
run 2
has err '^usage: portierctl lookup'
run 2 ssh telnet -r "$REGISTRY"
run 2 70000 -r "$REGISTRY"
has err 'port 70000 out of range'
run 2 25/xyz -r "$REGISTRY"
has err "unknown protocol 'xyz'"
run 2 -x ssh
has err "unknown option '-x'"
run 2 ssh -r
has err '-r needs a FILE'
run 0 --help
has out '^usage: portierctl lookup'

exit $failed
