#!/usr/bin/python3
"""Benchmark, not a test: the desk's page time with 1,000 screens reporting, and its memory.

  bench_desk.py BANGTIN SOURCE_DIR WORK_DIR [SCREENS] [REQUESTS]

A mosquitto on 127.0.0.1 (free port) gets SCREENS (1000) retained status documents shaped
like a kiosk's (units taken from assets/admin-units, 3% offline) and, for each of 5 notices
the desk signed, an ack from every screen (95% shown, 3% refused with a reason). The desk
runs over HTTPS with its generated certificate; REQUESTS (200) GETs of /notices and /fleet
are timed one after another with one keep-alive client (Python http.client). Prints p50/p99
per page and the desk's VmRSS/VmHWM. Uses an unencrypted minisign key so that the numbers
are about pages, not scrypt."""
import http.client
import json
import os
import random
import re
import shutil
import socket
import ssl
import statistics
import subprocess
import sys
import time
import urllib.parse

bangtin, src, work = sys.argv[1], sys.argv[2], sys.argv[3]
n_screens = int(sys.argv[4]) if len(sys.argv) > 4 else 1000
n_req = int(sys.argv[5]) if len(sys.argv) > 5 else 200
mosq = shutil.which("mosquitto") or "/usr/sbin/mosquitto"
shutil.rmtree(work, ignore_errors=True)
os.makedirs(work)
procs = []


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    p = s.getsockname()[1]
    s.close()
    return p


mport, dport = free_port(), free_port()
with open(f"{work}/mosquitto.conf", "w") as f:
    import pwd
    f.write(f"user {pwd.getpwuid(os.getuid()).pw_name}\nlistener {mport} 127.0.0.1\n"
            f"allow_anonymous true\npersistence false\nmax_queued_messages 100000\n")
procs.append(subprocess.Popen([mosq, "-c", f"{work}/mosquitto.conf"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
time.sleep(0.5)

units = [l.split(",") for l in open(f"{src}/assets/admin-units/units-2025.csv",
                                    encoding="utf-8").read().splitlines()[1:]]
rnd = random.Random(14)
screens = []
for i in range(n_screens):
    u = rnd.choice(units)
    screens.append((f"bt-{i:04d}", u[0], u[2], u[3]))

subprocess.run(["minisign", "-G", "-W", "-p", f"{work}/k.pub", "-s", f"{work}/k.key"],
               check=True, capture_output=True)
with open(f"{work}/desk.conf", "w") as f:
    f.write(f"""[desk]
listen = 127.0.0.1:{dport}
tls_cert = {work}/cert.pem
tls_key = {work}/key.pem
secret_key = {work}/k.key
signer_name = UBND tỉnh
users_file = {work}/users
webroot = {work}/www
[push]
broker = mqtt://127.0.0.1:{mport}
""")
subprocess.run([bangtin, "passwd", "--config", f"{work}/desk.conf", "bench"],
               input="bench-password\n", text=True, check=True, capture_output=True)
env = dict(os.environ, SDL_VIDEODRIVER="dummy")
desk = subprocess.Popen([bangtin, "desk", "--config", f"{work}/desk.conf", "--log-level",
                         "warning"], stdout=subprocess.DEVNULL,
                        stderr=open(f"{work}/desk.log", "w"), env=env)
procs.append(desk)
time.sleep(2)
ctx = ssl.create_default_context(cafile=f"{work}/cert.pem")
ctx.check_hostname = False
conn = http.client.HTTPSConnection("127.0.0.1", dport, context=ctx, timeout=60)
cookie = ""


def req(method, path, form=None):
    global cookie
    h = {"Cookie": f"bt_sid={cookie}"} if cookie else {}
    body = None
    if form is not None:
        body = urllib.parse.urlencode(form, doseq=True)
        h["Content-Type"] = "application/x-www-form-urlencoded"
    conn.request(method, path, body=body, headers=h)
    r = conn.getresponse()
    data = r.read().decode("utf-8", "replace")
    m = re.search(r"bt_sid=([^;]+)", r.getheader("Set-Cookie") or "")
    if m:
        cookie = m.group(1)
    return r.status, data


def csrf(page):
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


_, page = req("GET", "/login")
req("POST", "/login", {"csrf_token": csrf(page), "user": "bench", "password": "bench-password"})
_, page = req("GET", "/notices/new")
tok = csrf(page)
ids = []
for k in range(5):
    st, _ = req("POST", "/notices", {"csrf_token": tok, "title": f"Thông báo thử {k}",
                                     "body": "Nội dung", "severity": "severe", "expires": "1d",
                                     "targets": "all", "key_password": ""})
    assert st == 303, (st, re.findall(r"class=\"err\"[^<]*", _))
ids = [f[:-5] for f in os.listdir(f"{work}/www/notices") if f.endswith(".json")]

# The fleet: retained statuses and acks through one MQTT client (Debian python3-paho-mqtt).
t0 = time.time()
import paho.mqtt.client as mqtt  # noqa: E402
cl = mqtt.Client(client_id="bench-fleet")
cl.connect("127.0.0.1", mport)
cl.loop_start()
infos = []


def pub(topic, payload):
    infos.append(cl.publish(topic, payload, qos=1, retain=True))


for i, (dev, prov, comm, name) in enumerate(screens):
    online = i % 33 != 0
    pub(f"bangtin/v1/status/{dev}", json.dumps({
        "online": online, "device": dev, "version": "0.1", "province": prov, "commune": comm,
        "office": f"UBND {name}", "showing": f"urgent:signed:X:{ids[0]}",
        "last_error": "" if i % 10 else "HTTP 503 từ cổng TTĐT", "ip": "10.0.0.1",
        "uptime_s": 3600, "at": "2026-12-06T18:00:00Z",
        "sources": [{"name": "Cổng TTĐT", "last_success": 1796580000, "last_error": ""}],
        "active_notices": [f"signed:X:{x}" for x in ids]}, ensure_ascii=False))
    for nid in ids:
        res = "refused" if i % 33 == 1 else "shown"
        pub(f"bangtin/v1/ack/{nid}/{dev}", json.dumps(
            {"result": res, "reason": "expired" if res == "refused" else "",
             "at": "2026-12-06T18:00:01Z"}))
for info in infos:
    info.wait_for_publish()
cl.loop_stop()
cl.disconnect()
print(f"published {n_screens} statuses and {n_screens * len(ids)} acks in "
      f"{time.time() - t0:.1f} s")
time.sleep(2)

conn.close()  # the keep-alive connection may have timed out while publishing
for path in ["/notices", "/fleet", "/api/fleet"]:
    st, body = req("GET", path)
    assert st == 200, (path, st)
    if path == "/fleet":
        m = re.search(r"(\d+) màn hình: (\d+) trực tuyến", body)
        print(f"/fleet lists {m.group(1)} screens, {m.group(2)} online, {len(body)} bytes")
    times = []
    for _ in range(n_req):
        t = time.perf_counter()
        st, body = req("GET", path)
        times.append((time.perf_counter() - t) * 1000)
    times.sort()
    p50 = statistics.median(times)
    p99 = times[min(len(times) - 1, int(len(times) * 0.99))]
    print(f"{path}: p50 {p50:.1f} ms, p99 {p99:.1f} ms ({n_req} requests, {len(body)} bytes)")

status = open(f"/proc/{desk.pid}/status").read()
rss = re.search(r"VmRSS:\s+(\d+) kB", status).group(1)
hwm = re.search(r"VmHWM:\s+(\d+) kB", status).group(1)
print(f"desk memory: VmRSS {int(rss) / 1024:.1f} MiB, VmHWM {int(hwm) / 1024:.1f} MiB "
      f"(after {3 * n_req + 10} requests, {n_screens} screens)")
for p in procs:
    p.terminate()
for p in procs:
    p.wait()
