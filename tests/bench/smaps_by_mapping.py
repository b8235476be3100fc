#!/usr/bin/env python3
"""Where a process's memory is, by mapping (issue 11): /proc/PID/smaps summed per file (shared
libraries, fonts), [heap], [anon], X's shared window image (SYSV…), with the shared libraries'
total. Read-only; run it beside a running kiosk:

  smaps_by_mapping.py PID [TOP]

PSS shares each page among the processes that map it: compare two builds back to back on the
same machine, never numbers taken at different times."""
import collections
import os
import sys

pid, top = int(sys.argv[1]), int(sys.argv[2]) if len(sys.argv) > 2 else 30
agg = collections.defaultdict(collections.Counter)
name = None
with open("/proc/%d/smaps" % pid) as f:
    for line in f:
        fields = line.split()
        if "-" in fields[0] and not fields[0].endswith(":"):
            name = os.path.basename(fields[5]) if len(fields) > 5 else "[anon]"
        elif fields[0] in ("Pss:", "Rss:", "Private_Dirty:"):
            agg[name][fields[0]] += int(fields[1])
print("%-40s %8s %8s %8s" % ("mapping", "Pss KiB", "Rss KiB", "PrivDirty"))
for k, v in sorted(agg.items(), key=lambda kv: -kv[1]["Pss:"])[:top]:
    print("%-40s %8d %8d %8d" % (k[:40], v["Pss:"], v["Rss:"], v["Private_Dirty:"]))
libs = [k for k in agg if ".so" in k]
print("shared libraries: %d, Pss %d KiB, Rss %d KiB" % (
    len(libs), sum(agg[k]["Pss:"] for k in libs), sum(agg[k]["Rss:"] for k in libs)))
print("total: Pss %d KiB, Rss %d KiB" % (
    sum(v["Pss:"] for v in agg.values()), sum(v["Rss:"] for v in agg.values())))
