#!/usr/bin/env python3
# SPDX-License-Identifier: ISC
"""The service manager's side of sd_notify(3), for tests/sd/sd_notify.sh.

  notify_recv.py SOCKET OUT SECONDS

Binds a unix datagram socket at SOCKET and appends every message received
to OUT, one line each (the message's own newlines become " | "), flushed at
once; stops after SECONDS or after a message with STOPPING=1.
"""
import os
import socket
import sys
import time


def main():
    path, out, seconds = sys.argv[1], sys.argv[2], float(sys.argv[3])
    s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    s.bind(path + ".tmp")
    os.rename(path + ".tmp", path)  # appears only once bound
    end = time.monotonic() + seconds
    with open(out, "a") as f:
        while time.monotonic() < end:
            s.settimeout(max(0.05, end - time.monotonic()))
            try:
                msg = s.recv(4096).decode(errors="replace")
            except socket.timeout:
                break
            f.write(msg.strip("\n").replace("\n", " | ") + "\n")
            f.flush()
            if "STOPPING=1" in msg.split("\n"):
                break
    return 0


if __name__ == "__main__":
    sys.exit(main())
