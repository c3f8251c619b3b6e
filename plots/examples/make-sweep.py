#!/usr/bin/env python3
"""Build plots/examples/sweep-results.csv, a small results table in the
format of `cassim sweep` (job,topology,workload,policy,seed,PARAMS...,
metric,unit,value), from `cassim compare` runs over a grid: two topologies;
schbench over its workers and tbench over its clients (each parameter's
column is empty for the other workload); cfs and cas-v3, and cas-v3's
llc_aggr_tolerance (empty for cfs, which is run once per point).  Only a few
metrics are kept, so that the file stays small.  Run from the source tree:

    python3 plots/examples/make-sweep.py [CASSIM] > plots/examples/sweep-results.csv

Until `cassim sweep` exists this stands in for it; afterwards the file can be
regenerated with cassim sweep over the same grid.
"""
import csv
import os
import subprocess
import sys
import tempfile

CASSIM = sys.argv[1] if len(sys.argv) > 1 else "./cassim"
TOPOLOGIES = ["spr-2s-1node-2llc", "epyc-milan-2node-8llc"]
WORKLOADS = [("schbench", "workers", ["2", "4", "8", "16"]), ("tbench", "clients", ["1", "2", "4", "8"])]
TOLERANCE = ["1", "100"]
SEEDS = 3
DURATION = "50ms"
KEEP = {"rps", "request_latency_p99", "throughput", "total_wakeup_lat_p99", "migrations_xllc",
        "cpu_util_mean"}
PARAMS = ["workers", "clients", "llc_aggr_tolerance"]


def compare(topo, wl, policies, sets):
    with tempfile.TemporaryDirectory() as d:
        cmd = [CASSIM, "compare", "--quiet", "--policies", policies, "--topology", topo,
               "--workload", wl, "--seeds", str(SEEDS), "--duration", DURATION, "--out", d]
        for k, v in sets:
            cmd += ["--set", "%s=%s" % (k, v)]
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
        with open(os.path.join(d, "results.csv"), newline="") as f:
            return list(csv.DictReader(f))


def main():
    out = csv.writer(sys.stdout, lineterminator="\n")
    out.writerow(["job", "topology", "workload", "policy", "seed"] + PARAMS + ["metric", "unit", "value"])
    job = 0
    for topo in TOPOLOGIES:
        for wl, param, values in WORKLOADS:
            for v in values:
                base = [(param, v)]
                runs = [("cfs", dict(base), compare(topo, wl, "cfs,cfs", base))]
                for tol in TOLERANCE:
                    sets = base + [("llc_aggr_tolerance", tol)]
                    runs.append(("cas-v3", dict(sets), compare(topo, wl, "cfs,cas-v3", sets)))
                for pol, sets, rows in runs:
                    seen = {}
                    for r in rows:
                        if r["policy"] != pol or r["metric"] not in KEEP:
                            continue
                        if r["seed"] not in seen:
                            job += 1
                            seen[r["seed"]] = "j%04d" % job
                        out.writerow([seen[r["seed"]], topo, wl, pol, r["seed"]] +
                                     [sets.get(p, "") for p in PARAMS] + [r["metric"], r["unit"], r["value"]])


main()
