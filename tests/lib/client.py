#!/usr/bin/env python3
# SPDX-License-Identifier: ISC
"""Test client for portierd's integration tests (standard library only).

  client.py freeport [N]            N ports (default 1) free for TCP and UDP on
                                    both 127.0.0.1 and ::1, one per line, at
                                    random outside the ephemeral range and
                                    the demo's 10000-10199
  client.py tcp HOST PORT [DATA]    connect, send DATA, half-close, print the
                                    whole reply to stdout
  client.py udp HOST PORT DATA      send one datagram, print the reply
  client.py udpfrom HOST PORT DATA  send one datagram from an unconnected
                                    socket, print "ADDRESS REPLY": the
                                    address the reply came from, and it
  client.py ready HOST PORT         wait (bounded) until HOST:PORT accepts
  client.py flood HOST PORT N       N concurrent connections to an echo
                                    service, each sends its own payload and
                                    must get exactly it back; prints "ok N"

Every socket operation has a timeout (TIMEOUT seconds); exit status 0 means
success, 1 a failed check, 2 a usage error.
"""
import os
import random
import selectors
import socket
import sys
import time

TIMEOUT = 10.0


def family(host):
    return socket.AF_INET6 if ":" in host else socket.AF_INET


# freeport's candidates: never the demo set's ports (conf.d/demo-*.conf,
# 10007, 10013, 10107, 10113: tests/daemon/daemon_demo.sh runs it as it is)
# nor the kernel's ephemeral range, where any client's connect() or bind(0)
# takes its port; at random, so that tests run in parallel (make -j) rarely
# pick the same one between the check here and portierd's bind.
PORT_LOW = 1024
PORT_HIGH = 65535
DEMO_PORTS = range(10000, 10200)


def ephemeral_range():
    try:
        with open("/proc/sys/net/ipv4/ip_local_port_range") as f:
            low, high = (int(x) for x in f.read().split())
        return range(low, high + 1)
    except (OSError, ValueError):
        return range(32768, 61000)


def port_candidates():
    eph = ephemeral_range()
    rng = random.SystemRandom()
    for _ in range(2000):
        port = rng.randint(PORT_LOW, PORT_HIGH)
        if port not in eph and port not in DEMO_PORTS:
            yield port


def port_free(port):
    held = []
    try:
        for fam, typ, host in ((socket.AF_INET, socket.SOCK_STREAM, "127.0.0.1"),
                               (socket.AF_INET, socket.SOCK_DGRAM, "127.0.0.1"),
                               (socket.AF_INET6, socket.SOCK_STREAM, "::1"),
                               (socket.AF_INET6, socket.SOCK_DGRAM, "::1")):
            t = socket.socket(fam, typ)
            held.append(t)
            t.bind((host, port))
        return True
    except OSError:
        return False
    finally:
        for t in held:
            t.close()


# Ports are free when picked, but portierd binds them later, some only at a
# reload near the test's end: meanwhile a test run in parallel must not pick
# them too. A port is reserved by a file here naming the test's temporary
# directory (PT_DIR); the reservation lasts while that directory exists
# (lib.sh's cleanup removes both).
RESERVED = "/tmp/portier-test-ports"


def reserve(port, owner):
    if not owner:
        return True
    try:
        os.mkdir(RESERVED)
        os.chmod(RESERVED, 0o1777)
    except FileExistsError:
        pass
    path = os.path.join(RESERVED, str(port))
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    except FileExistsError:
        try:
            with open(path) as f:
                holder = f.read().strip()
        except OSError:
            return False
        if holder == owner or os.path.isdir(holder):
            return holder == owner
        # the holder's test is over: take the port over (atomic rename)
        tmp = "%s.%d" % (path, os.getpid())
        try:
            with open(tmp, "w") as f:
                f.write(owner + "\n")
            os.rename(tmp, path)
            with open(path) as f:
                return f.read().strip() == owner
        except OSError:	# another user's file in the sticky directory
            try:
                os.unlink(tmp)
            except OSError:
                pass
            return False
    with os.fdopen(fd, "w") as f:
        f.write(owner + "\n")
    return True


def freeport(count):
    found = []
    owner = os.environ.get("PT_DIR", "")
    for port in port_candidates():
        if len(found) == count:
            break
        if port not in found and port_free(port) and reserve(port, owner):
            found.append(port)
    if len(found) < count:
        return 1
    for p in found:
        print(p)
    return 0


def tcp(host, port, data):
    with socket.create_connection((host, port), timeout=TIMEOUT) as s:
        if data:
            s.sendall(data.encode())
        s.shutdown(socket.SHUT_WR)
        out = b""
        while True:
            b = s.recv(65536)
            if not b:
                break
            out += b
    sys.stdout.write(out.decode(errors="replace"))
    return 0


def udp(host, port, data):
    with socket.socket(family(host), socket.SOCK_DGRAM) as s:
        s.settimeout(TIMEOUT)
        s.sendto(data.encode(), (host, port))
        reply, _ = s.recvfrom(65536)
    sys.stdout.write(reply.decode(errors="replace"))
    return 0


def udpfrom(host, port, data):
    # Unconnected: a reply from another address than HOST is read too, and
    # shown (a connected socket would drop it, as clients do).
    with socket.socket(family(host), socket.SOCK_DGRAM) as s:
        s.settimeout(TIMEOUT)
        s.sendto(data.encode(), (host, port))
        reply, src = s.recvfrom(65536)
    print("%s %s" % (src[0], reply.decode(errors="replace")))
    return 0


def ready(host, port):
    deadline = time.monotonic() + TIMEOUT
    while time.monotonic() < deadline:
        try:
            with socket.create_connection((host, port), timeout=1):
                return 0
        except OSError:
            time.sleep(0.05)
    return 1


def flood(host, port, n):
    sel = selectors.DefaultSelector()
    conns = {}
    for i in range(n):
        s = socket.socket(family(host), socket.SOCK_STREAM)
        s.setblocking(False)
        s.connect_ex((host, port))
        payload = ("connection %d %s\n" % (i, "x" * (i % 97))).encode()
        conns[s] = {"i": i, "out": payload, "sent": 0, "in": b"", "want": payload}
        sel.register(s, selectors.EVENT_WRITE)
    done = 0
    bad = 0
    deadline = time.monotonic() + 60
    while done < n and time.monotonic() < deadline:
        for key, ev in sel.select(timeout=1):
            s = key.fileobj
            c = conns[s]
            try:
                if ev & selectors.EVENT_WRITE:
                    c["sent"] += s.send(c["out"][c["sent"]:])
                    if c["sent"] == len(c["out"]):
                        s.shutdown(socket.SHUT_WR)
                        sel.modify(s, selectors.EVENT_READ)
                    continue
                b = s.recv(65536)
            except OSError as e:
                print("connection %d: %s" % (c["i"], e), file=sys.stderr)
                b = b""
                c["in"] = None
            if b:
                c["in"] += b
                continue
            sel.unregister(s)
            s.close()
            done += 1
            if c["in"] != c["want"]:
                bad += 1
                print("connection %d: got %r" % (c["i"], c["in"]), file=sys.stderr)
    for s in list(sel.get_map().values()):
        s.fileobj.close()
    if done < n or bad:
        print("flood: %d of %d finished, %d wrong" % (done, n, bad), file=sys.stderr)
        return 1
    print("ok %d" % n)
    return 0


def main(argv):
    if len(argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    cmd, args = argv[1], argv[2:]
    try:
        if cmd == "freeport":
            return freeport(int(args[0]) if args else 1)
        if cmd == "tcp" and len(args) in (2, 3):
            return tcp(args[0], int(args[1]), args[2] if len(args) == 3 else "")
        if cmd == "udp" and len(args) == 3:
            return udp(args[0], int(args[1]), args[2])
        if cmd == "udpfrom" and len(args) == 3:
            return udpfrom(args[0], int(args[1]), args[2])
        if cmd == "ready" and len(args) == 2:
            return ready(args[0], int(args[1]))
        if cmd == "flood" and len(args) == 3:
            return flood(args[0], int(args[1]), int(args[2]))
    except OSError as e:
        print("client.py %s: %s" % (cmd, e), file=sys.stderr)
        return 1
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
