#!/usr/bin/env python3
# SPDX-License-Identifier: ISC
"""Test client for portierd's internal services (echo, discard, daytime,
chargen, time, tcpmux). Each subcommand talks to a running portierd on a
loopback address, asserts what RFC 862/863/864/867/868/1078 require, prints
what it checked and exits 0, or prints why not and exits 1. Every wait is
bounded by a timeout."""

import os
import random
import re
import selectors
import socket
import struct
import sys
import time

TIMEOUT = 10.0
RFC868_OFFSET = 2208988800
PRINTABLE = bytes(range(32, 127))


def fail(msg):
    print("FAIL: " + msg, file=sys.stderr)
    sys.exit(1)


def ok(msg):
    print("ok: " + msg)


def family(host):
    return socket.AF_INET6 if ":" in host else socket.AF_INET


def tcp(host, port, timeout=TIMEOUT):
    s = socket.socket(family(host), socket.SOCK_STREAM)
    s.settimeout(timeout)
    s.connect((host, port))
    return s


def recv_all(s, limit=1 << 20):
    out = b""
    while len(out) < limit:
        b = s.recv(65536)
        if not b:
            break
        out += b
    return out


def recv_exact(s, n):
    out = b""
    while len(out) < n:
        b = s.recv(n - len(out))
        if not b:
            fail("connection closed after %d of %d octets" % (len(out), n))
        out += b
    return out


def chargen_line(n):
    return bytes(PRINTABLE[(n + i) % 95] for i in range(72)) + b"\r\n"


def chargen_stream(nbytes, first_line=0):
    out = b""
    n = first_line
    while len(out) < nbytes:
        out += chargen_line(n)
        n += 1
    return out[:nbytes]


DAYTIME_RE = re.compile(
    rb"^(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday), "
    rb"(January|February|March|April|May|June|July|August|September|October|November|December) "
    rb"(\d\d), (\d{4}) (\d\d):(\d\d):(\d\d)-([A-Za-z0-9+-]+)\r\n$")


def check_daytime(data):
    m = DAYTIME_RE.match(data)
    if not m:
        fail("daytime %r does not match 'Weekday, Month DD, YYYY HH:MM:SS-ZONE\\r\\n'" % data)
    # The daemon's local time: portierd runs with the test's TZ.
    t = time.strptime(data.decode()[:-2].rsplit("-", 1)[0], "%A, %B %d, %Y %H:%M:%S")
    now = time.localtime()
    delta = abs(time.mktime(t) - time.mktime(now))
    if delta > 2:
        fail("daytime %r is %d s away from the clock" % (data, delta))
    want_zone = time.strftime("%Z", now).encode()
    if m.group(8) != want_zone:
        fail("daytime zone %r, expected %r" % (m.group(8), want_zone))
    ok("daytime %r" % data)


def check_time(data):
    if len(data) != 4:
        fail("time answer is %d octets, not 4: %r" % (len(data), data))
    v = struct.unpack("!I", data)[0]
    now = (int(time.time()) + RFC868_OFFSET) & 0xFFFFFFFF
    if abs(v - now) > 2:
        fail("time %d is %d s away from the clock (%d)" % (v, v - now, now))
    ok("time %d (clock %d)" % (v, now))


def echo_stream(s, data):
    """Sends data and reads it back at the same time; returns what came back."""
    s.setblocking(False)
    sel = selectors.DefaultSelector()
    sel.register(s, selectors.EVENT_READ | selectors.EVENT_WRITE)
    sent, got = 0, bytearray()
    if not data:
        s.shutdown(socket.SHUT_WR)
    deadline = time.monotonic() + 60
    while len(got) < len(data):
        if time.monotonic() > deadline:
            fail("echo: timed out after %d sent, %d back" % (sent, len(got)))
        for key, ev in sel.select(timeout=1):
            if ev & selectors.EVENT_WRITE and sent < len(data):
                try:
                    sent += s.send(data[sent:sent + 65536])
                except BlockingIOError:
                    pass
                if sent == len(data):
                    s.shutdown(socket.SHUT_WR)
                    sel.modify(s, selectors.EVENT_READ)
            if ev & selectors.EVENT_READ:
                try:
                    b = s.recv(65536)
                except BlockingIOError:
                    continue
                if not b:
                    fail("echo: closed after %d of %d octets" % (len(got), len(data)))
                got += b
    sel.close()
    s.setblocking(True)
    s.settimeout(TIMEOUT)
    rest = recv_all(s)
    if rest:
        fail("echo: %d octets more than sent" % len(rest))
    return bytes(got)


def cmd_echo(host, port, size):
    data = os.urandom(int(size))
    s = tcp(host, int(port))
    back = echo_stream(s, data)
    s.close()
    if back != data:
        fail("echo: %d octets back differ from the %d sent" % (len(back), len(data)))
    ok("echo %d octets byte-exact" % len(data))


def cmd_discard(host, port, size):
    s = tcp(host, int(port))
    chunk = os.urandom(65536)
    left = int(size)
    while left > 0:
        n = s.send(chunk[:min(left, len(chunk))])
        left -= n
    s.shutdown(socket.SHUT_WR)
    rest = recv_all(s)
    s.close()
    if rest:
        fail("discard answered %d octets" % len(rest))
    ok("discard took %s octets, answered nothing, closed" % size)


def cmd_chargen(host, port, lines):
    lines = int(lines)
    s = tcp(host, int(port))
    data = recv_exact(s, lines * 74)
    s.close()
    for n in range(lines):
        got = data[n * 74:(n + 1) * 74]
        if got != chargen_line(n):
            fail("chargen line %d: %r, expected %r" % (n, got, chargen_line(n)))
    ok("chargen first %d lines exact" % lines)


def cmd_chargen_rotation(host, port):
    """Three full periods (285 lines): line 95 is line 0 again."""
    s = tcp(host, int(port))
    data = recv_exact(s, 3 * 95 * 74)
    s.close()
    if data != chargen_stream(len(data)):
        fail("chargen stream differs from RFC 864's rotation")
    if data[95 * 74:96 * 74] != data[:74]:
        fail("chargen line 95 is not line 0")
    ok("chargen rotates through all 95 characters over 285 lines")


def cmd_daytime(host, port):
    s = tcp(host, int(port))
    data = recv_all(s)
    s.close()
    check_daytime(data)


def cmd_time(host, port):
    s = tcp(host, int(port))
    data = recv_all(s)
    s.close()
    check_time(data)


def udp_sock(host, src_port=0, timeout=2.0):
    s = socket.socket(family(host), socket.SOCK_DGRAM)
    s.settimeout(timeout)
    if src_port:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind((host, src_port))
    return s


def udp_ask(host, port, payload, src_port=0, timeout=TIMEOUT):
    """The reply, or None when none came within timeout. Loopback answers
    take milliseconds: a check that none comes passes a short timeout, one
    that waits for a reply the long default (a loaded machine is slow)."""
    s = udp_sock(host, src_port, timeout)
    s.sendto(payload, (host, int(port)))
    try:
        data, _ = s.recvfrom(70000)
    except socket.timeout:
        data = None
    s.close()
    return data


def cmd_udp(host, port, kind):
    if kind == "echo":
        for size in (0, 1, 512, 1400, 8192, 65000):
            payload = os.urandom(size)
            back = udp_ask(host, port, payload)
            if back != payload:
                fail("udp echo of %d octets: got %r" % (size, None if back is None else len(back)))
        ok("udp echo byte-exact for 0..65000 octets")
    elif kind == "daytime":
        back = udp_ask(host, port, b"x")
        if back is None:
            fail("udp daytime: no reply")
        check_daytime(back)
    elif kind == "time":
        back = udp_ask(host, port, b"")
        if back is None:
            fail("udp time: no reply")
        check_time(back)
    elif kind == "chargen":
        lengths = set()
        stream = chargen_stream(2 * 95 * 74)
        for _ in range(30):
            back = udp_ask(host, port, b"")
            if back is None:
                fail("udp chargen: no reply")
            if len(back) > 512:
                fail("udp chargen reply of %d octets (> 512)" % len(back))
            # a window of the pattern starting at a line's start
            if back and not any(stream[l * 74:l * 74 + len(back)] == back for l in range(95)):
                fail("udp chargen reply is not the RFC 864 pattern: %r" % back[:80])
            lengths.add(len(back))
        if len(lengths) < 5:
            fail("udp chargen lengths do not vary: %s" % sorted(lengths))
        ok("udp chargen: 30 replies of the pattern, lengths %d..%d" % (min(lengths), max(lengths)))
    elif kind == "discard":
        back = udp_ask(host, port, b"hello", 0, 1.0)
        if back is not None:
            fail("udp discard answered %r" % back)
        ok("udp discard: no reply")
    else:
        fail("unknown kind " + kind)


def cmd_udp_loop(host, port, src_port, expect):
    """expect 'none': a request from src_port gets no reply; 'reply': it does."""
    back = udp_ask(host, port, b"ping", int(src_port), 1.0 if expect == "none" else TIMEOUT)
    if expect == "none" and back is not None:
        fail("request from port %s got a reply %r" % (src_port, back))
    if expect == "reply" and back is None:
        fail("request from port %s got no reply" % src_port)
    ok("udp request from port %s: %s" % (src_port, "no reply" if back is None else "reply"))


def cmd_udp_rate(host, port, count, lo, hi):
    """count requests in a burst from one source: lo..hi are answered."""
    s = udp_sock(host)
    s.settimeout(0.5)
    for _ in range(int(count)):
        s.sendto(b"r", (host, int(port)))
    answered = 0
    try:
        while True:
            s.recvfrom(100)
            answered += 1
    except socket.timeout:
        pass
    s.close()
    if answered < int(lo) or answered > int(hi):
        fail("rate limit: %d of %s answered, expected %s..%s" % (answered, count, lo, hi))
    ok("rate limit: %d of %s burst requests answered" % (answered, count))


def cmd_echo_many(host, port, n):
    """n clients connected at once, each echoing its own data."""
    n = int(n)
    socks = []
    for i in range(n):
        socks.append(tcp(host, int(port)))
    payloads = [os.urandom(random.randint(1, 4096)) for _ in range(n)]
    for s, p in zip(socks, payloads):
        s.sendall(p)
    for i, (s, p) in enumerate(zip(socks, payloads)):
        back = recv_exact(s, len(p))
        if back != p:
            fail("client %d: echo differs" % i)
    for s in socks:
        s.close()
    ok("%d concurrent echo clients, all byte-exact" % n)


def rss_kib(pid):
    with open("/proc/%s/status" % pid) as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    fail("no VmRSS for pid %s" % pid)


def cmd_echo_flood(host, port, mib, pid, limit_kib, dport):
    """Writes mib MiB to echo without reading; the daemon's RSS stays under
    limit_kib above where it started, and daytime on dport keeps answering."""
    before = rss_kib(pid)
    s = tcp(host, int(port))
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 65536)
    s.setblocking(False)
    chunk = b"\xa5" * 65536
    total, left, peak = 0, int(mib) << 20, before
    deadline = time.monotonic() + 30
    stalled_since = None
    while left > 0 and time.monotonic() < deadline:
        try:
            n = s.send(chunk[:min(left, len(chunk))])
            total += n
            left -= n
            stalled_since = None
        except BlockingIOError:
            if stalled_since is None:
                stalled_since = time.monotonic()
            elif time.monotonic() - stalled_since > 2:
                break       # echo stopped reading: the point of the test
            time.sleep(0.01)
        peak = max(peak, rss_kib(pid))
    peak = max(peak, rss_kib(pid))
    # other services, and other echo clients, still answer while it is stuck
    d = tcp(host, int(dport), timeout=TIMEOUT)
    data = recv_all(d)
    d.close()
    check_daytime(data)
    e = tcp(host, int(port), timeout=TIMEOUT)
    probe = os.urandom(1000)
    if echo_stream(e, probe) != probe:
        fail("echo to another client differs during the flood")
    e.close()
    ok("another echo client served during the flood")
    peak = max(peak, rss_kib(pid))
    s.close()
    if peak - before > int(limit_kib):
        fail("RSS grew by %d KiB (limit %s KiB) after %d octets" % (peak - before, limit_kib, total))
    if total >= int(mib) << 20:
        ok("client wrote all %s MiB (echo kept up)" % mib)
    ok("flood of %d octets without reading: RSS %d -> %d KiB (peak growth %d KiB)"
       % (total, before, rss_kib(pid), peak - before))


def mux_ask(host, port, line, timeout=TIMEOUT):
    s = tcp(host, int(port), timeout)
    s.sendall(line)
    return s


def cmd_tcpmux_help(host, port, *names):
    s = mux_ask(host, port, b"HeLp\r\n")
    data = recv_all(s)
    s.close()
    got = data.split(b"\r\n")
    if got[-1] != b"":
        fail("help list does not end in CR LF: %r" % data)
    got = sorted(x.decode() for x in got[:-1])
    if got != sorted(names):
        fail("help lists %s, expected %s" % (got, sorted(names)))
    ok("tcpmux help lists %s" % got)


def cmd_tcpmux_refused(host, port, what, expect="^-.*\r\n$"):
    """what: "unknown" (a name no service has), "long" (a 302-octet line) or
    the name of a service that refuses us: the answer matches expect ("-", a
    reason and CR LF), then the connection closes."""
    lines = {"unknown": b"no-such-service\r\n", "long": b"a" * 300 + b"\r\n"}
    s = mux_ask(host, port, lines.get(what, what.encode() + b"\r\n"))
    data = recv_all(s)
    s.close()
    if not re.match(expect.encode(), data, re.S):
        fail("tcpmux %s request answered %r, expected /%s/" % (what, data, expect))
    ok("tcpmux %s request refused: %r" % (what, data))


def cmd_tcpmux_go(host, port, name, expect, payload=""):
    """name's handler answers expect (a regular expression) after +Go.
    payload, sent right behind the request line, is the handler's input."""
    s = mux_ask(host, port, name.encode() + b"\r\n" + payload.encode())
    s.shutdown(socket.SHUT_WR)
    data = recv_all(s)
    s.close()
    if not data.startswith(b"+Go\r\n"):
        fail("tcpmux %s answered %r" % (name, data))
    rest = data[5:].decode(errors="replace")
    if not re.search(expect, rest):
        fail("handler of %s answered %r, expected /%s/" % (name, rest, expect))
    ok("tcpmux %s: +Go, then %r" % (name, rest.strip()[:60]))


def cmd_silent(host, port, min_s, max_s):
    """Connects and says nothing (an idle echo client, a tcpmux client that
    never names a service): portierd closes after min_s to max_s seconds,
    without sending anything."""
    s = tcp(host, int(port), timeout=float(max_s) + 5)
    t0 = time.monotonic()
    data = recv_all(s)
    waited = time.monotonic() - t0
    s.close()
    if waited > float(max_s) or waited < float(min_s) or data:
        fail("silent client closed after %.1f s, got %r" % (waited, data))
    ok("silent client closed after %.1f s" % waited)


def cmd_refused(host, port):
    """The connection is closed at once without an octet (admission said no);
    an admitted echo client would wait for input instead."""
    s = tcp(host, int(port), timeout=TIMEOUT)
    try:
        data = recv_all(s)
    except ConnectionResetError:
        data = b""
    s.close()
    if data:
        fail("refused connection got %r" % data)
    ok("connection refused (closed without data)")


def echo_once(s, payload):
    s.sendall(payload)
    return recv_exact(s, len(payload)) == payload


def cmd_per_source(host, port, limit):
    """limit echo connections from one address at once are served; one more
    is refused; when one of them closes, a new one is served again."""
    limit = int(limit)
    held = [tcp(host, int(port)) for _ in range(limit)]
    for i, s in enumerate(held):
        if not echo_once(s, b"held %d\n" % i):
            fail("connection %d of %d not served" % (i + 1, limit))
    extra = tcp(host, int(port), timeout=TIMEOUT)
    try:
        data = extra.recv(100)
    except (ConnectionResetError, socket.timeout) as e:
        data = b"" if isinstance(e, ConnectionResetError) else None
    extra.close()
    if data != b"":
        fail("connection %d was not refused (%r)" % (limit + 1, data))
    held.pop().close()
    # the slot is free once portierd has seen the close: retry briefly
    for _ in range(50):
        s = tcp(host, int(port), timeout=TIMEOUT)
        try:
            if echo_once(s, b"again\n"):
                s.close()
                break
        except OSError:
            pass
        s.close()
        time.sleep(0.1)
    else:
        fail("no connection served after one of %d closed" % limit)
    for s in held:
        s.close()
    ok("%d connections served, one more refused, a freed slot reused" % limit)


COMMANDS = {
    "echo": cmd_echo, "discard": cmd_discard, "chargen": cmd_chargen,
    "chargen-rotation": cmd_chargen_rotation, "daytime": cmd_daytime,
    "time": cmd_time, "udp": cmd_udp, "udp-loop": cmd_udp_loop,
    "udp-rate": cmd_udp_rate, "echo-many": cmd_echo_many,
    "echo-flood": cmd_echo_flood, "tcpmux-help": cmd_tcpmux_help,
    "tcpmux-refused": cmd_tcpmux_refused,
    "tcpmux-go": cmd_tcpmux_go,
    "silent": cmd_silent, "refused": cmd_refused, "per-source": cmd_per_source,
}


def main():
    if len(sys.argv) < 2 or sys.argv[1] not in COMMANDS:
        print("usage: builtin_client.py {%s} ARGS" % ",".join(sorted(COMMANDS)), file=sys.stderr)
        sys.exit(2)
    try:
        COMMANDS[sys.argv[1]](*sys.argv[2:])
    except (OSError, socket.timeout) as e:
        fail("%s: %s" % (sys.argv[1], e))


if __name__ == "__main__":
    main()
