#!/bin/sh
# SPDX-License-Identifier: ISC
# portierctl lookup against the shipped registry: a name, an alias, a port,
# a port/protocol, a local file added with -r, misses (exit 1) and usage
# errors (exit 2). Needs no daemon and no network.
set -u

. "${top_srcdir:-../..}/tests/lib/lib.sh"
pt_cmd_init lookup

# A name: a header, then one line per protocol, aligned, with class and
# description.
pt_cmd 0 ssh -r "$REGISTRY"
pt_lines out 4
pt_has out '^NAME +PORT +CLASS +ALIASES +DESCRIPTION$'
pt_has out '^ssh +22/tcp +well-known +- +The Secure Shell \(SSH\) Protocol$'
pt_has out '^ssh +22/udp +well-known '
pt_has out '^ssh +22/sctp +well-known '
[ -s "$PT_DIR/err" ] && pt_cmd_fail "lookup ssh wrote to stderr"

# An alias finds its entry.
pt_cmd 0 www -r "$REGISTRY"
pt_lines out 2
pt_has out '^http +80/tcp +well-known +www +WorldWideWeb HTTP$'
pt_cmd 0 mail -r "$REGISTRY"
pt_has out '^smtp +25/tcp +well-known +mail +Simple Mail Transfer$'

# A port: every entry of every protocol, in protocol order, columns aligned.
pt_cmd 0 80 -r "$REGISTRY"
pt_has out '^http +80/tcp '
pt_has out '^www-http +80/udp '
pt_has out '^http +80/sctp '
[ "$(awk 'NR > 1 { print index($0, " 80/") }' "$PT_DIR/out" | sort -u | wc -l)" -eq 1 ] ||
	pt_cmd_fail "lookup 80: the port column is not aligned"
pt_cmd 0 25 -r "$REGISTRY"
pt_lines out 3
pt_has out '^smtp +25/tcp '
pt_has out '^smtp +25/udp '

# A port and protocol.
pt_cmd 0 53/udp -r "$REGISTRY"
pt_lines out 2
pt_has out '^domain +53/udp +well-known +- +Domain Name Server$'
pt_cmd 0 8080/tcp -r "$REGISTRY"
pt_lines out 2
pt_has out '^http-alt +8080/tcp +registered +webcache '

# Options may come first; a later file adds names; its problems go to stderr.
cat >"$PT_DIR/local.db" <<'EOF'
myapp	50000/tcp	mine	# a local service
broken line here
EOF
pt_cmd 0 -r "$REGISTRY" -r "$PT_DIR/local.db" mine
pt_lines out 2
pt_has out '^myapp +50000/tcp +dynamic +mine +a local service$'
pt_has err "^$PT_DIR/local.db:2: warning: 'line' is not PORT/PROTOCOL"

# Every alias is printed, however long the list.
long=$(printf 'alias-number-%02d-of-a-long-list ' $(seq 1 32))
printf 'many 50001/udp %s # many aliases\n' "$long" >"$PT_DIR/many.db"
pt_cmd 0 many -r "$PT_DIR/many.db"
pt_has out '^many +50001/udp +dynamic +alias-number-01-of-a-long-list,alias-number-02-.*,alias-number-32-of-a-long-list  many aliases$'
pt_cmd 0 alias-number-32-of-a-long-list -r "$PT_DIR/many.db"
pt_lines out 2

# Nothing matches: exit 1, a message on stderr, nothing on stdout.
pt_cmd 1 no-such-service -r "$REGISTRY"
pt_has err 'no-such-service: no such name or alias'
[ -s "$PT_DIR/out" ] && pt_cmd_fail "a miss printed to stdout"
pt_cmd 1 4/tcp -r "$REGISTRY"
pt_has err '4/tcp: no such port'
pt_cmd 1 ssh -r "$PT_DIR/missing.db"
pt_has err "^$PT_DIR/missing.db: cannot open: No such file or directory$"

# Usage errors: exit 2.
pt_cmd 2
pt_has err '^usage: portierctl lookup'
pt_cmd 2 ssh telnet -r "$REGISTRY"
pt_cmd 2 70000 -r "$REGISTRY"
pt_has err 'port 70000 out of range'
pt_cmd 2 25/xyz -r "$REGISTRY"
pt_has err "unknown protocol 'xyz'"
pt_cmd 2 -x ssh
pt_has err "unknown option '-x'"
pt_cmd 2 ssh -r
pt_has err '-r needs a FILE'
pt_cmd 0 --help
pt_has out '^usage: portierctl lookup'

exit $PT_FAILED
