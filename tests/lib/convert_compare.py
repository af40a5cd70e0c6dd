#!/usr/bin/env python3
# SPDX-License-Identifier: ISC
"""Asks xinetd and portierd the same questions of their internal services
and compares the answers (tests/ctl/convert_xinetd.sh).

usage: convert_compare.py XINETD_PORTS PORTIER_PORTS
  each a comma-separated list of the chargen,daytime,discard,echo,time ports
  on 127.0.0.1 (the TCP and the UDP service share the number).

Prints one line per check and, as NOTE lines, where the two answer with
different bytes of the same meaning. Exit status: 0 when every check passes,
1 otherwise."""

import calendar
import os
import re
import socket
import sys
import time

HOST = "127.0.0.1"
TIMEOUT = 2.0          # seconds for an answer that must come
QUIET = 0.5            # seconds of silence that count as "no answer"
SLACK = 2              # seconds two clocks may differ
RING = bytes(range(0x20, 0x7F))    # RFC 864: the 95 printing characters
LINE = 72
EPOCH_1900 = 2208988800

failures = []


def check(ok, what):
    print(("ok    " if ok else "FAIL  ") + what)
    if not ok:
        failures.append(what)


def note(what):
    print("NOTE  " + what)


def tcp_talk(port, send=b"", want=None):
    """Connects, sends, reads until want bytes, EOF or QUIET seconds of
    silence. Returns (data, eof)."""
    s = socket.create_connection((HOST, port), timeout=TIMEOUT)
    try:
        if send:
            s.sendall(send)
        data, eof = b"", False
        s.settimeout(QUIET)
        deadline = time.monotonic() + TIMEOUT
        while (want is None or len(data) < want) and time.monotonic() < deadline:
            try:
                chunk = s.recv(65536 if want is None else want - len(data))
            except socket.timeout:
                break
            if not chunk:
                eof = True
                break
            data += chunk
        return data, eof
    finally:
        s.close()


def udp_talk(port, send, wait=TIMEOUT):
    """One datagram out, the first one back (None after wait seconds)."""
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        s.settimeout(wait)
        s.sendto(send, (HOST, port))
        try:
            return s.recv(65536)
        except socket.timeout:
            return None
    finally:
        s.close()


def ring_offset(line, whole=True):
    """The ring position a chargen line starts at, or None if it is not one.
    A datagram may carry shortened lines: their prefix must fit."""
    if len(line) > LINE or (whole and len(line) != LINE) or not line:
        return None
    start = RING.find(line[:1])
    doubled = RING + RING
    return start if start >= 0 and doubled[start:start + len(line)] == line else None


def chargen_lines(data, whole=True):
    """The ring offsets of the lines (the last one may lack its CRLF when
    not whole), each one after the line before it; None if any is not."""
    if not whole and data.endswith(b"\r"):
        data = data[:-1]        # a datagram cut between CR and LF
    parts = data.split(b"\r\n")
    if whole or parts[-1] == b"":
        parts = parts[:-1]
    offsets = []
    for line in parts:
        off = ring_offset(line, whole)
        if off is None:
            return None
        if offsets and off != (offsets[-1] + 1) % len(RING):
            return None
        offsets.append(off)
    return offsets


MONTHS = {m.upper(): i for i, m in enumerate(calendar.month_abbr) if m}
FULL_MONTHS = {m.upper(): i for i, m in enumerate(calendar.month_name) if m}


def parse_daytime(text):
    """Seconds since the epoch from the daytime formats in use, with the
    format's name; (None, None) when none fits. Times are local."""
    forms = [
        # xinetd: "23 NOV 2026 19:56:41 UTC"
        ("xinetd", r"(\d{1,2}) ([A-Z]{3}) (\d{4}) (\d\d):(\d\d):(\d\d) \S+",
         lambda g: (int(g[2]), MONTHS.get(g[1]), int(g[0]), g[3], g[4], g[5])),
        # RFC 867's example: "Monday, November 23, 2026 19:56:41-UTC"
        ("RFC 867", r"[A-Za-z]+, ([A-Za-z]+) (\d\d), (\d{4}) (\d\d):(\d\d):(\d\d)-\S+",
         lambda g: (int(g[2]), FULL_MONTHS.get(g[0].upper()), int(g[1]), g[3], g[4], g[5])),
        # ctime(3): "Mon Nov 23 19:56:41 2026"
        ("ctime", r"[A-Za-z]{3} ([A-Za-z]{3}) +(\d{1,2}) (\d\d):(\d\d):(\d\d) (\d{4})",
         lambda g: (int(g[5]), MONTHS.get(g[0].upper()), int(g[1]), g[2], g[3], g[4])),
    ]
    for name, rx, pick in forms:
        m = re.fullmatch(rx, text)
        if not m:
            continue
        year, mon, day, hh, mm, ss = pick(m.groups())
        if not mon:
            continue
        tm = (year, mon, day, int(hh), int(mm), int(ss), 0, 0, -1)
        return time.mktime(tm), name
    return None, None


def same_time(label, answers):
    now = time.time()
    for who, t in answers:
        check(t is not None and abs(t - now) <= SLACK,
              "%s %s: the current time (±%d s)" % (label, who, SLACK))
    if all(t is not None for _, t in answers):
        check(abs(answers[0][1] - answers[1][1]) <= SLACK,
              "%s: xinetd and portierd agree (±%d s)" % (label, SLACK))


def test_echo(xp, pp):
    payload = os.urandom(3000)
    got = [tcp_talk(p, payload, want=len(payload))[0] for p in (xp, pp)]
    check(got[0] == payload, "echo tcp xinetd: returns the 3000 bytes sent")
    check(got[1] == got[0], "echo tcp: portierd answers the same bytes as xinetd")
    dgram = b"portier convert echo \x00\xff test"
    got = [udp_talk(p, dgram) for p in (xp, pp)]
    check(got[0] == dgram, "echo udp xinetd: returns the datagram")
    check(got[1] == got[0], "echo udp: portierd answers the same bytes as xinetd")


def test_discard(xp, pp):
    got = [tcp_talk(p, b"x" * 5000) for p in (xp, pp)]
    check(got[0] == (b"", False), "discard tcp xinetd: nothing back, connection open")
    check(got[1] == got[0], "discard tcp: portierd behaves as xinetd")
    got = [udp_talk(p, b"into the void", QUIET) for p in (xp, pp)]
    check(got[0] is None, "discard udp xinetd: no answer")
    check(got[1] == got[0], "discard udp: portierd behaves as xinetd")


def test_chargen(xp, pp):
    want = 10 * (LINE + 2)
    got = [tcp_talk(p, want=want)[0] for p in (xp, pp)]
    offs = [chargen_lines(g) for g in got]
    for who, g, o in zip(("xinetd", "portierd"), got, offs):
        check(len(g) == want and o is not None and len(o) == 10,
              "chargen tcp %s: 10 lines of the RFC 864 ring" % who)
    if got[0] != got[1]:
        note("chargen tcp: the first line starts at %r (xinetd) and %r (portierd)"
             % (got[0][:1], got[1][:1]))
    got = [udp_talk(p, b"?") for p in (xp, pp)]
    for who, g in zip(("xinetd", "portierd"), got):
        # RFC 864: a random length from 0 to 512, so an empty datagram is valid.
        o = chargen_lines(g, whole=False) if g else None
        check(g is not None and (g == b"" or o is not None),
              "chargen udp %s: one datagram of ring text" % who)
    if got[0] and got[1] and got[0] != got[1]:
        note("chargen udp: %d bytes (xinetd) and %d bytes (portierd)"
             % (len(got[0]), len(got[1])))


def test_daytime(xp, pp):
    for proto in ("tcp", "udp"):
        answers, texts, forms = [], [], []
        for who, p in (("xinetd", xp), ("portierd", pp)):
            raw = tcp_talk(p)[0] if proto == "tcp" else udp_talk(p, b"?")
            ok = raw is not None and raw.endswith(b"\r\n") and raw.count(b"\n") == 1
            check(ok, "daytime %s %s: one line ending in CRLF" % (proto, who))
            text = raw[:-2].decode("ascii", "replace") if ok else ""
            t, form = parse_daytime(text)
            answers.append((who, t))
            texts.append(text)
            forms.append(form)
        same_time("daytime " + proto, answers)
        if texts[0] != texts[1] and forms[0] != forms[1]:
            note("daytime %s: formats differ: xinetd %r (%s), portierd %r (%s)"
                 % (proto, texts[0], forms[0], texts[1], forms[1]))


def test_time(xp, pp):
    for proto in ("tcp", "udp"):
        answers = []
        for who, p in (("xinetd", xp), ("portierd", pp)):
            raw = tcp_talk(p)[0] if proto == "tcp" else udp_talk(p, b"")
            ok = raw is not None and len(raw) == 4
            check(ok, "time %s %s: four bytes" % (proto, who))
            answers.append((who, int.from_bytes(raw, "big") - EPOCH_1900 if ok else None))
        same_time("time " + proto, answers)


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    xports = [int(p) for p in sys.argv[1].split(",")]
    pports = [int(p) for p in sys.argv[2].split(",")]
    names = ["chargen", "daytime", "discard", "echo", "time"]
    tests = {"chargen": test_chargen, "daytime": test_daytime,
             "discard": test_discard, "echo": test_echo, "time": test_time}
    for name, xp, pp in zip(names, xports, pports):
        try:
            tests[name](xp, pp)
        except OSError as e:
            check(False, "%s: %s" % (name, e))
    if failures:
        print("%d check(s) failed" % len(failures))
        sys.exit(1)


if __name__ == "__main__":
    main()
