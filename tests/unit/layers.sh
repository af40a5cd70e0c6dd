#!/bin/bash
# The layers of sbin/ (docs/architecture.md): a folder may include and call
# only its own folder and the folders it is allowed below it. Checked on the
# sources (#include "folder/...") and on the built libraries (nm): a call
# into a higher layer, or a circle between folders, fails here.
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
[ $rc = 0 ] && echo "layers: every folder includes and calls only the folders below it"
exit $rc
