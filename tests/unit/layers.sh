#!/bin/bash
# SPDX-License-Identifier: ISC
# The layers of sbin/ (docs/architecture.md): a folder may include and call
# only its own folder and the folders it is allowed below it. Checked on the
# sources (#include "folder/...") and on the built libraries (nm): a call
# into a higher layer, or a circle of calls between any two files, fails here;
# so does any convert/ symbol in portierd (inetd_compat converts in portierctl).
set -u
src=${top_srcdir:-.}/sbin
lib=${top_builddir:-.}/sbin
declare -A allowed=(
	[base]="base"
	[config]="base config"
	[spawn]="base config spawn"
	[builtin]="base config builtin"
	[daemon]="base config spawn builtin daemon"
	[convert]="base config convert"
	[ctl]="base config convert ctl"
)
rc=0

for f in "${!allowed[@]}"; do
	for inc in $(grep -ho '#include "[a-z]*/' "$src/$f"/*.[ch] | sed 's/#include "//; s|/||' | sort -u); do
		case " ${allowed[$f]} " in
		*" $inc "*) ;;
		*) echo "sbin/$f/ includes $inc/: $(grep -l "#include \"$inc/" "$src/$f"/*.[ch] | xargs -n1 basename | tr '\n' ' ')"
		   rc=1 ;;
		esac
	done
done

tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT
for f in "${!allowed[@]}"; do
	a="$lib/$f/lib$f.a"
	[ -f "$a" ] || { echo "missing $a"; exit 99; }
	nm --defined-only -g "$a" | awk 'NF == 3 { print $3 }' | sort -u > "$tmp/def.$f"
	nm -u "$a" | awk 'NF >= 2 { print $NF }' | sort -u > "$tmp/und.$f"
done
for f in "${!allowed[@]}"; do
	for g in "${!allowed[@]}"; do
		case " ${allowed[$f]} " in *" $g "*) continue ;; esac
		calls=$(comm -12 "$tmp/und.$f" "$tmp/def.$g" | tr '\n' ' ')
		[ -z "$calls" ] || { echo "sbin/$f/ calls into $g/: $calls"; rc=1; }
	done
done

# portierd links no convert/ code: inetd_compat's converter runs in a
# portierctl child (daemon/inetd_child.c).
[ -f "$lib/portierd" ] || { echo "missing $lib/portierd"; exit 99; }
linked=$(nm --defined-only "$lib/portierd" | awk 'NF == 3 { print $3 }' | sort -u |
	comm -12 - "$tmp/def.convert" | tr '\n' ' ')
[ -z "$linked" ] || { echo "portierd links convert/: $linked"; rc=1; }

# No circle of calls between any two files, inside a folder or across: the
# edges "caller callee" of every object file go through tsort(1), which
# names a loop if there is one.
for f in "${!allowed[@]}"; do
	nm -A --defined-only -g "$lib/$f/lib$f.a" |
		awk -v f="$f" 'NF == 3 { split($1, p, ":"); print $3, f "/" p[2] }'
done | sort -u > "$tmp/owner"
for f in "${!allowed[@]}"; do
	nm -A -u "$lib/$f/lib$f.a" |
		awk -v f="$f" '{ split($1, p, ":"); print $NF, f "/" p[2] }'
done | sort -u > "$tmp/uses"
join "$tmp/uses" "$tmp/owner" | awk '$2 != $3 { print $2, $3 }' | sort -u > "$tmp/edges"
[ -s "$tmp/edges" ] || { echo "no calls between files found: nm changed?"; exit 99; }
if ! tsort "$tmp/edges" > /dev/null 2> "$tmp/loop"; then
	echo "a circle of calls between files:"
	sed 's/sbin_[a-z]*_lib[a-z]*_a-//g' "$tmp/loop"
	rc=1
fi
[ $rc = 0 ] && echo "layers: every folder includes and calls only the folders below it, no circle of calls between files, portierd without convert/"
exit $rc
