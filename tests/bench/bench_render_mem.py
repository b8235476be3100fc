#!/usr/bin/env python3
"""Memory, first frame and idle CPU of the screen (issue 11), measured from outside the process:

  bench_render_mem.py BIN WORKDIR

  1. `bangtin --screenshot` with 50 cached items at 1920x1080: peak RSS (5 runs);
  2. the running kiosk with 50 cached items after ROTATE_S seconds (default 60) of rotation with
     fade transitions (1-2 s a page), PSS from /proc/PID/smaps_rollup (median, min and max of 40
     samples over the next 10 s): under Xvfb 1920x1080 with
     the renderer chosen automatically, with [display] renderer = software, and with
     SDL_VIDEODRIVER=offscreen (no X server, as on a board without a desktop);
  3. exec -> first frame under Xvfb: time from just before exec until the kiosk's "first frame"
     log line (written after the first present) is read from its stderr, 10 runs, median
     (XVFB_NORESET=1: Xvfb -noreset, see docs/numbers-render.md, fourth round);
  4. idle CPU on a static page (no transition, 600 s dwell) over IDLE_S seconds (default 30),
     and the PSS of a kiosk at rest on a static page after its first fetch (Xvfb, offscreen);
  5. a kiosk at rest polling a loopback HTTP source every 30 s, so that its fetch process
     stays: PSS of the kiosk and of the fetch process, after POLL_S seconds (default 70).
SCREENSHOT_ONLY=1 runs block 1 alone; FIRST_FRAME_VS=OTHER_BIN block 3 alone, BIN and OTHER_BIN
alternating (ROUNDS rounds, default 4, of FIRST_FRAME_RUNS each).
Nothing is asserted: the numbers go into docs/numbers-render.md."""
import os
import shutil
import signal
import statistics
import subprocess
import sys
import time

BIN, WORK = sys.argv[1], sys.argv[2]
HERE = os.path.dirname(os.path.abspath(__file__))
ROTATE_S = float(os.environ.get("ROTATE_S", "60"))
IDLE_S = float(os.environ.get("IDLE_S", "30"))
RUNS = int(os.environ.get("FIRST_FRAME_RUNS", "10"))
POLL_S = float(os.environ.get("POLL_S", "70"))
VS = os.environ.get("FIRST_FRAME_VS")  # another binary: first frames alternating, nothing else
ROUNDS = int(os.environ.get("ROUNDS", "4"))
os.makedirs(WORK, exist_ok=True)


def run(cmd, **kw):
    return subprocess.run(cmd, check=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE, **kw)


def conf(path, feed, extra):
    with open(path, "w", encoding="utf-8") as f:
        f.write("[display]\noffice_name = UBND XÃ HƯƠNG KHÊ\n%s\n"
                "[network]\nstartup_delay_max = 0s\n"
                "[source tinh]\nurl = file://%s\nlocal = true\npoll_interval = 10m\n"
                % (extra, feed))


def data_copy(name):
    d = os.path.join(WORK, name)
    shutil.rmtree(d, ignore_errors=True)
    shutil.copytree(os.path.join(WORK, "d50"), d)
    return d


def pss_kib(pid):
    with open("/proc/%d/smaps_rollup" % pid) as f:
        for line in f:
            if line.startswith("Pss:"):
                return int(line.split()[1])
    return -1


def pss_samples(pid, n=20):
    """PSS median, min and max (MiB) of n readings 0.25 s apart."""
    s = []
    for _ in range(n):
        s.append(pss_kib(pid))
        time.sleep(0.25)
    return statistics.median(s) / 1024, min(s) / 1024, max(s) / 1024


def status_kib(pid, key):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith(key + ":"):
                return int(line.split()[1])
    return -1


def start_xvfb():
    r, w = os.pipe()
    # XVFB_NORESET=1: the X server does not reset when its last client goes (as an X server
    # that runs on, with other clients); by default it does, between two first-frame runs.
    noreset = ["-noreset"] if os.environ.get("XVFB_NORESET") == "1" else []
    xvfb = subprocess.Popen(["Xvfb", "-displayfd", str(w), "-screen", "0", "1920x1080x24",
                             "-nolisten", "tcp"] + noreset, pass_fds=(w,),
                            stderr=subprocess.DEVNULL)
    os.close(w)
    num = b""
    while not num.endswith(b"\n"):
        c = os.read(r, 1)
        if not c:
            break
        num += c
    os.close(r)
    return xvfb, ":" + num.decode().strip()


def kiosk(env, cfg, data, log):
    return subprocess.Popen([BIN, "--config", cfg, "--data-dir", data, "--size", "1920x1080"],
                            env=env, stdout=subprocess.DEVNULL, stderr=open(log, "w"))


def first_frame_ms(env, cfg, data, binary=None):
    t0 = time.monotonic()
    p = subprocess.Popen([binary or BIN, "--config", cfg, "--data-dir", data, "--size", "1920x1080"],
                         env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    ms = None
    for line in p.stderr:
        if b"first frame" in line:
            ms = (time.monotonic() - t0) * 1000
            break
    p.terminate()
    p.wait()
    return ms


def first_frame_rounds(env, feed):
    """FIRST_FRAME_VS=OTHER_BIN: block 3 only, BIN and OTHER_BIN alternating, ROUNDS rounds of
    FIRST_FRAME_RUNS runs each (on a noisy machine only alternating rounds compare)."""
    cfg = os.path.join(WORK, "ff.conf")
    conf(cfg, feed, "")
    bins = [BIN, VS]
    data = {b: data_copy("dff%d" % i) for i, b in enumerate(bins)}
    for b in bins:
        first_frame_ms(env, cfg, data[b], b)  # page cache warm, renderer probe remembered
    every = {b: [] for b in bins}
    for n in range(ROUNDS):
        line = []
        for b in bins:
            ms = [m for m in (first_frame_ms(env, cfg, data[b], b) for _ in range(RUNS)) if m]
            every[b] += ms
            line.append("%s %.0f ms" % (b, statistics.median(ms) if ms else -1))
        print("round %d (load %s): %s" % (n + 1, open("/proc/loadavg").read().split()[0],
                                          ", ".join(line)), flush=True)
    for b in bins:
        print("%s: median of all %d runs %.0f ms" % (b, len(every[b]),
                                                     statistics.median(every[b])))


def main():
    feed = os.path.join(WORK, "feed50.xml")
    run([sys.executable, os.path.join(HERE, "make_feed.py"), "50", feed])
    shutil.rmtree(os.path.join(WORK, "d50"), ignore_errors=True)
    run([BIN, "--data-dir", os.path.join(WORK, "d50"), "--source", "file://" + feed,
         "--fetch-once"])
    base = dict(os.environ)
    base.pop("SDL_RENDER_DRIVER", None)
    base.pop("SDL_VIDEODRIVER", None)  # scripts/bench sets dummy; each case says its own

    if not VS:
        print("== --screenshot, 50 cached items, 1920x1080: peak RSS (5 runs)")
    peaks = []
    for _ in range(0 if VS else 5):
        r = subprocess.run(["/usr/bin/time", "-f", "%M", BIN, "--data-dir",
                            os.path.join(WORK, "d50"), "--screenshot",
                            os.path.join(WORK, "s.png"), "--size", "1920x1080"],
                           env=dict(base, SDL_VIDEODRIVER="dummy"), stdout=subprocess.DEVNULL,
                           stderr=subprocess.PIPE, check=True)
        peaks.append(int(r.stderr.decode().strip().splitlines()[-1]))
    if peaks:
        print("peak RSS KiB: %s (median %d KiB = %.1f MiB)" % (
            peaks, statistics.median(peaks), statistics.median(peaks) / 1024))
    if os.environ.get("SCREENSHOT_ONLY") == "1":  # block 1 alone
        return

    xvfb, display = start_xvfb()
    try:
        if VS:
            print("== exec -> first frame, Xvfb 1920x1080%s, 50 cached items, alternating" % (
                " -noreset" if os.environ.get("XVFB_NORESET") == "1" else ""))
            first_frame_rounds(dict(base, DISPLAY=display), feed)
            return
        rot = "transition = fade\ntransition_ms = 400\n[rotation]\ndwell_min_s = 1\ndwell_max_s = 2"
        cases = [("Xvfb 1920x1080, renderer = auto", dict(base, DISPLAY=display), ""),
                 ("Xvfb 1920x1080, SDL_RENDER_DRIVER=software",
                  dict(base, DISPLAY=display, SDL_RENDER_DRIVER="software"), ""),
                 ("SDL_VIDEODRIVER=offscreen (no X)", dict(base, SDL_VIDEODRIVER="offscreen"), "")]
        print("== running kiosk, 50 cached items, %.0f s of rotation with fades (1-2 s a page)"
              % ROTATE_S)
        for name, env, extra in cases:
            cfg = os.path.join(WORK, "rot.conf")
            conf(cfg, feed, extra + rot)
            log = os.path.join(WORK, "kiosk.log")
            p = kiosk(env, cfg, data_copy("dk"), log)
            time.sleep(ROTATE_S)
            if p.poll() is not None:
                print("%s: exited early, see %s" % (name, log))
                continue
            # 40 samples over 10 s: most fall between page changes, some inside a 0.4 s fade
            # (two pages alive); one sample alone says little.
            samples = []
            for _ in range(40):
                samples.append(pss_kib(p.pid))
                time.sleep(0.25)
            hwm = status_kib(p.pid, "VmHWM")
            p.terminate()
            p.wait()
            chosen = [l.strip() for l in open(log, errors="replace") if "renderer" in l]
            print("%s: PSS median %.1f MiB (min %.1f, max %.1f, 40 samples over 10 s), "
                  "peak RSS %.1f MiB  [%s]" % (
                      name, statistics.median(samples) / 1024, min(samples) / 1024,
                      max(samples) / 1024, hwm / 1024,
                      chosen[-1].split("  ")[-1] if chosen else "?"))

        print("== exec -> first frame, Xvfb 1920x1080, 50 cached items (%d runs)" % RUNS)
        cfg = os.path.join(WORK, "ff.conf")
        conf(cfg, feed, "")
        data = data_copy("dff")
        env = dict(base, DISPLAY=display)
        first_frame_ms(env, cfg, data)  # warm the page cache of the files once
        ms = [first_frame_ms(env, cfg, data) for _ in range(RUNS)]
        ok = [m for m in ms if m is not None]
        print("first frame ms: %s; median %.0f ms" % (
            ", ".join("%.0f" % m for m in ok), statistics.median(ok) if ok else -1))

        print("== idle CPU on a static page (Xvfb, %.0f s)" % IDLE_S)
        cfg = os.path.join(WORK, "idle.conf")
        conf(cfg, feed, "transition = none\n[rotation]\ndwell_min_s = 600\ndwell_max_s = 600")
        p = kiosk(dict(base, DISPLAY=display), cfg, data_copy("didle"),
                  os.path.join(WORK, "idle.log"))
        time.sleep(5)
        hz = os.sysconf("SC_CLK_TCK")

        def ticks():
            f = open("/proc/%d/stat" % p.pid).read().rsplit(")", 1)[1].split()
            return int(f[11]) + int(f[12])
        t0 = ticks()
        time.sleep(IDLE_S)
        t1 = ticks()
        rest = pss_samples(p.pid)
        p.terminate()
        p.wait()
        print("idle CPU: %d ticks of 1/%d s in %.0f s = %.3f %% of one core" % (
            t1 - t0, hz, IDLE_S, 100.0 * (t1 - t0) / hz / IDLE_S))
        # At rest the rotation's fades do not blur the reading: the number to compare.
        print("== kiosk at rest on a static page after its first fetch: PSS median of 20 readings")
        print("Xvfb 1920x1080: %.1f MiB (min %.1f, max %.1f)" % rest)
        p = kiosk(dict(base, SDL_VIDEODRIVER="offscreen"), cfg, data_copy("didle2"),
                  os.path.join(WORK, "idle2.log"))
        time.sleep(10)
        rest = pss_samples(p.pid)
        p.terminate()
        p.wait()
        print("SDL_VIDEODRIVER=offscreen: %.1f MiB (min %.1f, max %.1f)" % rest)

        print("== kiosk at rest polling a loopback HTTP source every 30 s (Xvfb, %.0f s)" % POLL_S)
        srv = subprocess.Popen([sys.executable, os.path.join(HERE, "..", "e2e", "feed_server.py"),
                                "--dir", WORK, "--log", os.path.join(WORK, "requests.log")],
                               stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        try:
            port = srv.stdout.readline().decode().strip()
            cfg = os.path.join(WORK, "poll.conf")
            with open(cfg, "w", encoding="utf-8") as f:
                f.write("[display]\noffice_name = UBND XÃ HƯƠNG KHÊ\ntransition = none\n"
                        "[rotation]\ndwell_min_s = 600\ndwell_max_s = 600\n"
                        "[network]\nstartup_delay_max = 0s\n"
                        "[source tinh]\nurl = http://127.0.0.1:%s/feed50.xml\n"
                        "poll_interval = 30s\n" % port)
            p = kiosk(dict(base, DISPLAY=display), cfg, data_copy("dpoll"),
                      os.path.join(WORK, "poll.log"))
            time.sleep(POLL_S)
            kiosk_s, child_s = [], []
            for _ in range(20):
                kiosk_s.append(pss_kib(p.pid))
                kids = subprocess.run(["ps", "-o", "pid=", "--ppid", str(p.pid)],
                                      stdout=subprocess.PIPE).stdout.split()
                child_s.append(sum(pss_kib(int(k)) for k in kids))
                time.sleep(0.25)
            polls = sum(1 for _ in open(os.path.join(WORK, "requests.log")))
            p.terminate()
            p.wait()
            print("kiosk PSS median %.1f MiB, its fetch process %.1f MiB, together %.1f MiB "
                  "(%d requests served)" % (
                      statistics.median(kiosk_s) / 1024, statistics.median(child_s) / 1024,
                      (statistics.median(kiosk_s) + statistics.median(child_s)) / 1024, polls))
        finally:
            srv.terminate()
            srv.wait()
    finally:
        xvfb.terminate()
        xvfb.wait()


signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))  # stop Xvfb and the kiosk on the way out
main()
