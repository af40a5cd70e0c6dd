#!/usr/bin/env python3
# SPDX-License-Identifier: ISC
"""Clients for the access, limits and fault tests (standard library only).

  access.py conn HOST PORT [SRC]       connect (from SRC if given), print all
                                       that arrives until EOF
  access.py limit KIND HOST PORT N [SRC2]
                                       KIND instances or per_source: N held
                                       connections are served, the next is
                                       refused; with per_source another source
                                       SRC2 is still served; after one is
                                       closed, a new one is served again
  access.py cps HOST PORT RATE WAIT    RATE connections served, the next one
                                       refused, the one after waits in the
                                       backlog while paused, then is served
  access.py flood HOST PORT N LIMIT PROBE_PORT
                                       N connections from one source, LIMIT of
                                       them served; meanwhile a service on
                                       PROBE_PORT answers every probe in 1 s
  access.py srcflood HOST PORT N SRC PROBE_SRC
                                       N connections at once from SRC while
                                       PROBE_SRC makes one request every 50 ms;
                                       prints what each source got and the
                                       probes' 99th percentile (ms)
  access.py burst HOST PORT N          N connections at once; prints how many
                                       were served and refused, and the
                                       seconds until the last one ended
  access.py fault HOST PORT PID SECS N CMD...
                                       N connections over SECS seconds while
                                       portierd (PID) cannot serve them; prints
                                       its CPU time over SECS, runs CMD (the
                                       fix), then counts served and refused

Served connections of a limit/flood/fault service are those to a /bin/cat
(or /bin/echo) handler that answer; refused ones are closed without a byte.
Every wait is bounded. Exit status 0 pass, 1 fail, 2 usage.
"""
import os
import selectors
import socket
import subprocess
import sys
import threading
import time

TIMEOUT = 5.0


def fail(msg):
    print("access.py: " + msg, file=sys.stderr)
    sys.exit(1)


def family(host):
    return socket.AF_INET6 if ":" in host else socket.AF_INET


def connect(host, port, src=None, timeout=TIMEOUT):
    s = socket.socket(family(host), socket.SOCK_STREAM)
    s.settimeout(timeout)
    if src:
        s.bind((src, 0))
    s.connect((host, port))
    return s


def read_all(s, timeout=TIMEOUT):
    """Everything until EOF; None when nothing ends within timeout."""
    s.settimeout(timeout)
    out = b""
    try:
        while True:
            b = s.recv(65536)
            if not b:
                return out
            out += b
    except socket.timeout:
        return out or None
    except ConnectionResetError:
        return out	# closed on us: that is an end too


def served(s, tag):
    """A /bin/cat handler echoes tag back: served. EOF first: refused."""
    s.settimeout(TIMEOUT)
    got = b""
    try:
        s.sendall(tag)
        while len(got) < len(tag):
            b = s.recv(64)
            if not b:
                return False
            got += b
    except (ConnectionResetError, BrokenPipeError):
        return False
    return got == tag


def conn(host, port, src=None):
    s = connect(host, port, src)
    out = read_all(s)
    s.close()
    if out is None:
        fail("no EOF from %s:%d within %d s" % (host, port, TIMEOUT))
    sys.stdout.write(out.decode(errors="replace"))


def wait_served(host, port, src, tag):
    """Bounded: until a new connection is served again (a handler was reaped)."""
    for _ in range(50):
        s = connect(host, port, src)
        if served(s, tag):
            return s
        s.close()
        time.sleep(0.1)
    fail("not served again after a connection was closed")


def limit(kind, host, port, n, src2=None):
    held = []
    for i in range(n):
        s = connect(host, port)
        if not served(s, b"held %d\n" % i):
            fail("%s: connection %d of %d refused" % (kind, i + 1, n))
        held.append(s)
    extra = connect(host, port)
    if served(extra, b"one too many\n"):
        fail("%s: connection %d served beyond the limit of %d" % (kind, n + 1, n))
    extra.close()
    if src2:
        other = connect(host, port, src2)
        if not served(other, b"other source\n"):
            fail("per_source: a connection from %s was refused" % src2)
        other.close()
    held.pop().close()
    held.append(wait_served(host, port, None, b"again\n"))
    for s in held:
        s.close()
    print("ok %s %d" % (kind, n))


def cps(host, port, rate, wait):
    start = time.monotonic()
    for i in range(rate):
        s = connect(host, port)
        if not read_all(s):
            fail("cps: connection %d of %d not served" % (i + 1, rate))
        s.close()
    # the pause, if any, begins after this moment
    tripped = time.monotonic()
    s = connect(host, port)
    out = read_all(s)
    s.close()
    if time.monotonic() - start >= 1.0:
        print("access.py: cps: too slow to make %d connections in a second" % (rate + 1),
              file=sys.stderr)
        sys.exit(77)
    if out:
        fail("cps: connection %d served beyond the rate %d" % (rate + 1, rate))
    # Paused: the kernel queues the next one, nobody answers it yet. An
    # answer is a failure only while the pause cannot be over (a loaded
    # machine may reach this line late).
    s = connect(host, port)
    out = read_all(s, timeout=0.5)
    if out is not None:
        if time.monotonic() - tripped < wait:
            fail("cps: a connection was served while the service was paused")
        print("access.py: cps: more than %d s passed: the pause was not checked" % wait,
              file=sys.stderr)
    else:
        out = read_all(s, timeout=wait + TIMEOUT)
    s.close()
    if not out:
        fail("cps: the service did not resume after %d s" % wait)
    print("ok cps %d" % rate)


def probe_loop(host, port, stop, errors):
    while not stop.is_set():
        t = time.monotonic()
        try:
            s = connect(host, port, timeout=1.0)
            out = read_all(s, timeout=1.0 - min(0.9, time.monotonic() - t))
            s.close()
            if not out:
                errors.append("probe: no answer")
        except OSError as e:
            errors.append("probe: %s" % e)
        if time.monotonic() - t > 1.0:
            errors.append("probe: answer took %.2f s" % (time.monotonic() - t))
        time.sleep(0.05)


def flood(host, port, n, lim, probe_port):
    stop = threading.Event()
    errors = []
    probe = threading.Thread(target=probe_loop, args=(host, probe_port, stop, errors))
    probe.start()
    sel = selectors.DefaultSelector()
    state = {}
    try:
        for i in range(n):
            s = socket.socket(family(host), socket.SOCK_STREAM)
            s.setblocking(False)
            s.connect_ex((host, port))
            state[s] = "connecting"
            sel.register(s, selectors.EVENT_WRITE)
        ok = refused = 0
        deadline = time.monotonic() + 60
        while ok + refused < n and time.monotonic() < deadline:
            for key, ev in sel.select(timeout=1):
                s = key.fileobj
                try:
                    if state[s] == "connecting":
                        s.send(b"x")
                        state[s] = "sent"
                        sel.modify(s, selectors.EVENT_READ)
                        continue
                    b = s.recv(16)
                except OSError:
                    b = b""
                sel.unregister(s)
                if b:
                    ok += 1	# served: keep it open (the handler keeps its slot)
                else:
                    refused += 1
                    s.close()
    finally:
        stop.set()
        probe.join()
        for s in state:
            s.close()
    if errors:
        fail("%d probe(s) failed during the flood, first: %s" % (len(errors), errors[0]))
    if ok != lim or ok + refused != n:
        fail("flood: %d served, %d refused of %d (want %d served)" % (ok, refused, n, lim))
    print("ok flood %d served %d refused" % (ok, refused))


def src_probe_loop(host, port, src, stop, times, errors):
    while not stop.is_set():
        t = time.monotonic()
        try:
            s = connect(host, port, src, timeout=2.0)
            out = read_all(s, timeout=2.0)
            s.close()
            if not out:
                errors.append("probe refused or unanswered")
        except OSError as e:
            errors.append("probe: %s" % e)
        times.append(time.monotonic() - t)
        time.sleep(0.05)


def many(host, port, n, src, deadline):
    """N non-blocking connections at once; (served, refused, seconds until
    the last ended). Served: an answer, then EOF; refused: EOF first."""
    sel = selectors.DefaultSelector()
    start = time.monotonic()
    ok = refused = 0
    last = start
    socks = []
    try:
        for i in range(n):
            s = socket.socket(family(host), socket.SOCK_STREAM)
            if src:
                s.bind((src, 0))
            s.setblocking(False)
            s.connect_ex((host, port))
            socks.append(s)
            sel.register(s, selectors.EVENT_READ)
        end = time.monotonic() + deadline
        while ok + refused < n and time.monotonic() < end:
            for key, ev in sel.select(timeout=1):
                s = key.fileobj
                try:
                    b = s.recv(64)
                except OSError:
                    b = b""
                sel.unregister(s)
                last = time.monotonic()
                if b:
                    ok += 1
                else:
                    refused += 1
    finally:
        for s in socks:
            s.close()
    return ok, refused, last - start


def srcflood(host, port, n, src, probe_src):
    stop = threading.Event()
    times, errors = [], []
    probe = threading.Thread(target=src_probe_loop,
                             args=(host, port, probe_src, stop, times, errors))
    probe.start()
    try:
        time.sleep(0.2)
        ok, refused, secs = many(host, port, n, src, 30)
        time.sleep(0.5)
    finally:
        stop.set()
        probe.join()
    times.sort()
    p99 = times[min(len(times) - 1, int(len(times) * 0.99))] * 1000 if times else -1
    print("served %d refused %d of %d; probes %d p99 %.1f ms errors %d" %
          (ok, refused, n, len(times), p99, len(errors)))
    if errors:
        print("first probe error: %s" % errors[0])


def burst(host, port, n):
    ok, refused, secs = many(host, port, n, None, 30)
    print("served %d refused %d seconds %.2f" % (ok, refused, secs))


def cpu_ticks(pid):
    with open("/proc/%d/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])	# utime + stime


def fault(host, port, pid, secs, n, cmd):
    hz = os.sysconf("SC_CLK_TCK")
    before = cpu_ticks(pid)
    socks = []
    for i in range(n):
        socks.append(connect(host, port))
        time.sleep(secs / n)
    cpu = (cpu_ticks(pid) - before) / hz
    print("cpu %.2f s over %.1f s" % (cpu, secs))
    if subprocess.call(cmd) != 0:
        fail("fix command failed: %s" % " ".join(cmd))
    ok = refused = 0
    for s in socks:
        out = read_all(s, timeout=TIMEOUT + 5)
        if out:
            ok += 1
        elif out is not None:
            refused += 1
        s.close()
    print("served %d refused %d" % (ok, refused))


def main(argv):
    if len(argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    cmd, a = argv[1], argv[2:]
    try:
        if cmd == "conn" and len(a) in (2, 3):
            conn(a[0], int(a[1]), a[2] if len(a) == 3 else None)
        elif cmd == "limit" and len(a) in (4, 5):
            limit(a[0], a[1], int(a[2]), int(a[3]), a[4] if len(a) == 5 else None)
        elif cmd == "cps" and len(a) == 4:
            cps(a[0], int(a[1]), int(a[2]), int(a[3]))
        elif cmd == "flood" and len(a) == 5:
            flood(a[0], int(a[1]), int(a[2]), int(a[3]), int(a[4]))
        elif cmd == "srcflood" and len(a) == 5:
            srcflood(a[0], int(a[1]), int(a[2]), a[3], a[4])
        elif cmd == "burst" and len(a) == 3:
            burst(a[0], int(a[1]), int(a[2]))
        elif cmd == "fault" and len(a) >= 6:
            fault(a[0], int(a[1]), int(a[2]), float(a[3]), int(a[4]), a[5:])
        else:
            print(__doc__, file=sys.stderr)
            return 2
    except OSError as e:
        fail("%s: %s" % (cmd, e))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
