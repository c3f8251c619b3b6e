#!/bin/sh
# t0063-tidy-csv: the one tidy CSV layout (cassim(1) CSV, sim/report/tidy.h).
# run --csv, compare's results.csv, sweep's results.csv and sweep
# --report-csv start with the same header; values are printed
# shortest-round-trip (Python's repr of the same double) and read back as the
# JSON's doubles exactly; a process named "total" stays apart from the total
# scope; two CSVs concatenate into one table.
. "${CASSIM_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/e2e/lib.sh"
tmpdir
: "${CASSIM_DATADIR:=$CASSIM_SRCDIR}"
export CASSIM_DATADIR
cd "$TMP" || bail_out "cannot cd to $TMP"
command -v python3 >/dev/null 2>&1 || bail_out "python3 not found (tools/setup.sh installs it)"

HEADER=topology,workload,parameters,policy,seed,scope,process,metric,stat,unit,value,text
TOPO=spr-2s-1node-2llc
PYLIB='import csv, json, math, sys'

# cpu-mix with its "hogs" renamed "total": a process whose name is a scope's
python3 - "$CASSIM_SRCDIR/workloads/cpu-mix.json" >mix-total.json <<'PY'
import json, sys
w = json.load(open(sys.argv[1]))
w["processes"][0]["name"] = "total"
json.dump(w, sys.stdout, indent=1)
PY

expect_exit 0 "run --csv (a process named total)" "$CASSIM" run -q -t $TOPO -w mix-total.json --seed 3 \
	--duration 30ms --set nr_hogs=2 --json r.json --csv r.csv
expect_exit 0 "compare" "$CASSIM" compare -t $TOPO -w schbench --set workers=2 --seeds 2 --duration 20ms \
	-p cfs,cas-v4 --out cmp
cat >plan.json <<EOF
{ "name": "t0063", "topologies": ["$TOPO"],
  "workloads": [ { "workload": "schbench", "params": { "workers": [2] } } ],
  "policies": ["cfs", "cas-v4"], "set": { "aggr_tolerance": [50] }, "seeds": 2, "duration": "20ms" }
EOF
expect_exit 0 "sweep" "$CASSIM" sweep plan.json --out sw --quiet
expect_exit 0 "sweep --report --report-csv" "$CASSIM" sweep --report sw --metric rps --report-csv rep.csv

for f in r.csv cmp/results.csv sw/results.csv rep.csv; do
	check "$f: the tidy header" sh -c 'test "$(head -n 1 "$1")" = "$2"' sh "$f" "$HEADER"
done

py "every row has the 12 fields; a run row has its seed and stat value, a report row neither" '
for f in sys.argv[1:]:
    rows = list(csv.reader(open(f, newline="")))
    assert all(len(r) == 12 for r in rows), f
    for r in rows[1:]:
        d = dict(zip(rows[0], r))
        if f == "rep.csv":
            assert d["seed"] == "" and d["stat"] in ("n", "mean", "sd", "better", "change_pct", "p", "p_holm", "hedges_g", "mark", "verdict"), d
        else:
            assert d["seed"].isdigit() and d["stat"] == "value", d
' r.csv cmp/results.csv sw/results.csv rep.csv

py "values print shortest-round-trip: an integer in full, else exactly Python repr of the double" '
n = 0
for f in sys.argv[1:]:
    for d in csv.DictReader(open(f, newline="")):
        v = d["value"]
        if not v:
            continue
        x = float(v)
        if x == math.trunc(x) and abs(x) < 2 ** 53:
            assert v == "%d" % x, (f, v)
        else:
            assert v == repr(x), (f, v, repr(x))
            n += 1
assert n > 50, n
' r.csv cmp/results.csv sw/results.csv rep.csv

py "run --csv: the values are the JSON doubles, read back exactly" '
j = json.load(open("r.json"))["results"]
rows = {(d["scope"], d["process"], d["metric"]): d for d in csv.DictReader(open("r.csv"))}
assert float(rows["total", "", "work"]["value"]) == j["total"]["work_ns"]
assert float(rows["total", "", "cpu_util_mean"]["value"]) == j["cpu_util"]["mean"]
p = [p for p in j["processes"] if p["name"] == "total"][0]
assert float(rows["process", "total", "work"]["value"]) == p["work_ns"]
assert float(rows["process", "total", "wakeup_lat_p99"]["value"]) == p["wakeup_lat_p99_us"]
'

py "a process named total is scope process, process total: apart from the total scope" '
rows = list(csv.DictReader(open("r.csv")))
key = [(d["scope"], d["process"], d["metric"]) for d in rows]
assert len(key) == len(set(key)), "two rows with one key"
tot = {d["metric"]: d["value"] for d in rows if d["scope"] == "total"}
proc = {d["metric"]: d["value"] for d in rows if d["scope"] == "process" and d["process"] == "total"}
assert tot["nr_threads"] != proc["nr_threads"] and proc["nr_threads"] == "2", (tot["nr_threads"], proc["nr_threads"])
assert all(d["process"] == "" for d in rows if d["scope"] != "process")
'

py "no unit in a metric name: times carry their unit in the unit column" '
for f in sys.argv[1:]:
    for d in csv.DictReader(open(f)):
        m = d["metric"]
        assert not (m.endswith("_ns") and not m.startswith("policy_")) and not m.endswith("_us"), (f, m)
rows = {(d["scope"], d["process"], d["metric"]): d["unit"] for d in csv.DictReader(open(sys.argv[1]))}
assert rows["total", "", "work"] == "ns" and rows["total", "", "wakeup_lat_p99"] == "us"
' r.csv cmp/results.csv sw/results.csv

py "the policy verdict, code and text, in every verb" '
for f in ("r.csv", "cmp/results.csv", "sw/results.csv", "rep.csv"):
    # (compare writes every metric for every policy: empty where cfs has none)
    v = [d for d in csv.DictReader(open(f)) if d["metric"] == "policy_verdict" and d["value"]]
    if f == "r.csv":
        assert not v, "cfs has no verdict"
        continue
    assert v and all(d["policy"] == "cas-v4" and d["unit"] == "code" and d["text"] for d in v), (f, v)
'

# two machines, one table: the bodies append under one header
tail -n +2 sw/results.csv >body.csv
cat cmp/results.csv body.csv >both.csv
py "concatenated CSVs read as one table (pandas/R read_csv without editing)" '
rows = list(csv.DictReader(open("both.csv")))
assert {d["parameters"] for d in rows} >= {"workers=2", "workers=2;aggr_tolerance=50"}, {d["parameters"] for d in rows}
assert all(len(d) == 12 for d in rows)
'
done_testing
