#!/bin/bash
# SPDX-License-Identifier: ISC
# convert-xinetd.sh: the xinetd package's own xinetd.d files (Debian's copies
# in tests/ctl/convert/debian-xinetd.d) converted by portierctl convert, loaded,
# and run by portierd next to xinetd running the same files: both answer
# chargen, daytime, discard, echo and time over TCP and UDP, and
# tests/lib/convert_compare.py compares the answers.
. "${top_srcdir:-../..}/tests/lib/lib.sh"

XINETD=$(command -v xinetd || echo /usr/sbin/xinetd)
[ -x "$XINETD" ] || pt_skip "xinetd is not installed (.ci/run installs the xinetd package)"
pt_init

SRC="$top_srcdir/tests/ctl/convert/debian-xinetd.d"
SERVICES="chargen daytime discard echo time"
# 1. The pristine files: every one converts, the result loads. Five services
#    twice (tcp, udp); the udp twins of chargen-udp & co. are duplicates, and
#    services/servers have no portier counterpart: seven kept as comments.
"$PORTIERCTL" convert --from-xinetd "$SRC" -r "$REGISTRY" --no-host-checks \
	--out "$PT_DIR/pristine" > "$PT_DIR/pristine.out" 2> "$PT_DIR/pristine.err" ||
	{ cat "$PT_DIR/pristine.err" >&2; pt_fail "the Debian xinetd.d files do not convert"; }
pt_assert_grep "10 services converted, 7 kept as comments only" "$PT_DIR/pristine.err" \
	"not every Debian service was converted"
pt_assert_grep "the result loads: 10 services" "$PT_DIR/pristine.err" "the result does not load"
pt_assert_grep "services:4: warning: service services: .*portierctl status" "$PT_DIR/pristine.err" \
	"no warning names xinetd's services service"
pt_assert_grep "servers:4: warning: service servers:" "$PT_DIR/pristine.err" \
	"no warning names xinetd's servers service"
[ "$(ls "$PT_DIR/pristine" | wc -l)" -eq 17 ] || pt_fail "expected 17 files: $(ls "$PT_DIR/pristine")"
for s in $SERVICES; do
	[ -s "$PT_DIR/pristine/xinetd-$s.conf" ] && [ -s "$PT_DIR/pristine/xinetd-$s-udp.conf" ] ||
		pt_fail "no xinetd-$s.conf and xinetd-$s-udp.conf"
done
grep -q '^# service "xinetd-services"' "$PT_DIR/pristine/xinetd-services.conf" ||
	pt_fail "xinetd-services.conf is not all comments"

# The Debian files say `user = root`: xinetd runs them only as root.
[ "$(id -u)" -eq 0 ] ||
	pt_skip "converted; running the files side by side with xinetd needs root (they say user = root)"

# 2. Copies of the five files, enabled, UNLISTED on free loopback ports: one
#    set for xinetd, one for portier (converted, so its port is the copy's).
mkdir "$PT_DIR/xinetd.d" "$PT_DIR/portier.d" "$PT_DIR/xinetd-run"
read -r -a PORTS <<< "$(pt_ports 10 | tr '\n' ' ')"
[ "${#PORTS[@]}" -eq 10 ] || pt_error "could not find 10 free ports"
i=0
XPORTS= PPORTS=
for s in $SERVICES; do
	xp=${PORTS[$i]} pp=${PORTS[$((i + 5))]}
	for pair in "xinetd.d:$xp" "portier.d:$pp"; do
		sed -e 's/^\(\tdisable\t*= \)yes/\1no/' \
		    -e 's/^\(\ttype\t*= INTERNAL\)$/\1 UNLISTED/' \
		    -e "s/^\(\tid\t*= .*\)\$/\1\n\tport\t\t= ${pair#*:}\n\tbind\t\t= 127.0.0.1/" \
		    "$SRC/$s" > "$PT_DIR/${pair%%:*}/$s"
	done
	grep -q "port		= $xp" "$PT_DIR/xinetd.d/$s" || pt_error "rewriting $s failed"
	XPORTS=$XPORTS${XPORTS:+,}$xp
	PPORTS=$PPORTS${PPORTS:+,}$pp
	i=$((i + 1))
done
printf 'defaults\n{\n}\n\nincludedir %s\n' "$PT_DIR/xinetd.d" > "$PT_DIR/xinetd.conf"

# xinetd in the foreground, stopped by pt_cleanup like every pt_bg process;
# its log is outside the directory it includes.
pt_bg "$XINETD" -dontfork -f "$PT_DIR/xinetd.conf" -filelog "$PT_DIR/xinetd-run/log" \
	-pidfile "$PT_DIR/xinetd-run/pid" < /dev/null > "$PT_DIR/xinetd-run/out" 2>&1
for p in ${XPORTS//,/ }; do
	$PT_CLIENT ready 127.0.0.1 "$p" > /dev/null ||
		{ cat "$PT_DIR/xinetd-run/log" >&2; pt_fail "xinetd does not listen on $p"; }
done

"$PORTIERCTL" convert --from-xinetd "$PT_DIR/portier.d" -r "$REGISTRY" --out "$PT_CONFD" \
	> "$PT_DIR/convert.out" 2> "$PT_DIR/convert.err" ||
	{ cat "$PT_DIR/convert.err" >&2; pt_fail "the enabled copies do not convert"; }
pt_assert_grep "10 services converted, 0 kept" "$PT_DIR/convert.err" "copies lost in conversion"
pt_assert_grep "the result loads: 10 services" "$PT_DIR/convert.err" "converted copies do not load"
pt_start
for p in ${PPORTS//,/ }; do
	$PT_CLIENT ready 127.0.0.1 "$p" > /dev/null || pt_fail "portierd does not listen on $p"
done

# 3. The same questions to both.
python3 "$top_srcdir/tests/lib/convert_compare.py" "$XPORTS" "$PPORTS" > "$PT_DIR/compare" 2>&1
rc=$?
cat "$PT_DIR/compare"
[ $rc -eq 0 ] || pt_fail "portierd does not answer as xinetd does"
pt_stop || pt_fail "portierd did not exit cleanly"
exit 0
