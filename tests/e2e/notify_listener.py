#!/usr/bin/env python3
"""A stand-in for systemd's notify socket: binds a unix datagram socket at argv[1] and appends
every datagram, one per line with a monotonic timestamp, to argv[2]."""
import os
import socket
import sys
import time

path, log = sys.argv[1], sys.argv[2]
if os.path.exists(path):
    os.unlink(path)
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(path)
with open(log, "a", buffering=1) as f:
    while True:
        data = s.recv(4096).decode("utf-8", "replace").replace("\n", " ")
        f.write("%.3f %s\n" % (time.monotonic(), data))
