#!/usr/bin/env python3
"""Write plots/examples/timeline.csv, a small made-up timeline in the format
of `cassim run --timeline` (cpu,llc,node,start_ns,end_ns,pid,tid,process,
thread; one row per slice, sorted by start_ns then cpu): 100 ms on 16 CPUs,
two LLCs of 8 (CPUs 0-7 and 8-15) on one node.  Four db threads run on LLC 0
and move to LLC 1 at 50 ms (one comes back at 70 ms), three web threads and
two batch threads stay put, and 50 us kworker slices dot every CPU.  Each
CPU round-robins the threads placed on it (1-3 ms slices, sometimes an idle
gap); a thread's slices stop at its move, so it is never on two CPUs at once.
Seeded: the output is the same every time.

    python3 plots/examples/make-timeline.py > plots/examples/timeline.csv

It stands in for `cassim run --timeline FILE` until that exists.
"""
import csv
import random
import sys

MS = 1000000
END = 100 * MS
rng = random.Random(1)

# (process, pid, thread, tid, [(from_ns, cpu), ...]): where each thread is placed over time
THREADS = [("db", 100, "db-%d" % i, 101 + i, [(0, i), (50 * MS, 8 + i)] + ([(70 * MS, 4)] if i == 3 else []))
           for i in range(4)]
THREADS += [("web", 200, "web-%d" % i, 201 + i, [(0, cpu)]) for i, cpu in enumerate([5, 6, 12])]
THREADS += [("batch", 300, "batch-%d" % i, 301 + i, [(0, cpu)]) for i, cpu in enumerate([7, 14])]


def cpu_of(th, t):
    cpu = None
    for start, c in th[4]:
        if t >= start:
            cpu = c
    return cpu


def next_move(th, t):
    return min([s for s, _ in th[4] if s > t] + [END])


rows = []
for cpu in range(16):
    t, rr = 0, 0
    while t < END:
        here = [th for th in THREADS if cpu_of(th, t) == cpu]
        if rng.random() < 0.08:
            d = 50000
            rows.append((cpu, t, min(t + d, END), 2, 1000 + cpu, "kworker", "kworker/%d" % cpu))
            t += d
            continue
        if not here:
            t = min([next_move(th, t) for th in THREADS if next_move(th, t) > t] + [END])
            continue
        th = here[rr % len(here)]
        rr += 1
        lo, hi = (4, 9) if th[0] == "batch" else (1, 3)
        d = rng.randint(lo * 1000, hi * 1000) * 1000
        end = min(t + d, next_move(th, t), END)
        rows.append((cpu, t, end, th[1], th[3], th[0], th[2]))
        t = end
        if rng.random() < 0.3:
            t += rng.randint(300, 2000) * 1000

rows.sort(key=lambda r: (r[1], r[0]))
out = csv.writer(sys.stdout, lineterminator="\n")
out.writerow(["cpu", "llc", "node", "start_ns", "end_ns", "pid", "tid", "process", "thread"])
for cpu, s, e, pid, tid, proc, thread in rows:
    if e > s:
        out.writerow([cpu, cpu // 8, 0, s, e, pid, tid, proc, thread])
