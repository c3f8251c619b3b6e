#!/bin/sh
# t0009-compare: `cassim compare` end to end on a small schbench (50 ms, 3
# seeds, two policies): the table, results.csv (one row per policy x seed x
# metric), results.json, the statistics of two identical policies (0%
# change, p = 1), determinism whatever the number of workers, agreement
# with `cassim run`, --plot's PNG and SVG, and bad input refused (exit 2)
# before any run and without writing a file.  A few seconds on 2 cores.
. "${CASSIM_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/e2e/lib.sh"
tmpdir
: "${CASSIM_DATADIR:=$CASSIM_SRCDIR}"
export CASSIM_DATADIR
cd "$TMP" || bail_out "cannot cd to $TMP"
command -v python3 >/dev/null 2>&1 || bail_out "python3 not found (tools/setup.sh installs it)"

TOPO=spr-2s-1node-2llc
cmp_run() {
	"$CASSIM" compare --topology "$TOPO" --workload schbench --set workers=4 \
		--seeds 3 --duration 50ms "$@"
}

# py DESC PYTHON-BODY ARGS...: ok if the Python code (which may assert)
# exits 0; sys.argv[1:] are ARGS.
PYLIB='import json, math, sys, csv'

# nothing_in DESC DIR: ok if DIR does not exist or is empty.
nothing_in() {
	if [ ! -e "$2" ] || [ -z "$(ls -A "$2")" ]; then
		ok "$1"
	else
		not_ok "$1" "$2 holds: $(ls -A "$2" | tr '\n' ' ')"
	fi
}

# ---- a comparison of cfs with itself --------------------------------------
expect_exit 0 "compare cfs,cfs with 2 workers" cmp_run --policies cfs,cfs --jobs 2 --out j2
cp "$OUT" table.txt
cp "$ERR" progress.txt
check "results.csv and results.json written" test -s j2/results.csv -a -s j2/results.json
check "nothing else in the output directory (no temporary files)" \
	sh -c '[ "$(ls -A j2 | tr "\n" " ")" = "results.csv results.json " ]'
py "results.json parses: config, seeds, policies" '
d = json.load(open(sys.argv[1]))
c = d["config"]
assert c["policies"] == ["cfs", "cfs"], c["policies"]
assert c["baseline"] == "cfs" and c["seeds"] == [1, 2, 3] and c["test"] == "welch"
assert c["duration_ns"] == 50000000 and c["set"] == {"workers": "4"}
assert sorted(c["runs"]) == ["cfs", "cfs#2"] and c["runs"]["cfs"]["seed"] == 1
' j2/results.json
py "metrics: the workload's (latency p50/p99/p99.9) first, then the generic ones" '
d = json.load(open(sys.argv[1]))
names = [m["name"] for m in d["metrics"]]
want = ["wakeup_latency_p50", "wakeup_latency_p99", "wakeup_latency_p99.9",
        "request_latency_p50", "request_latency_p99", "request_latency_p99.9", "rps",
        "total_wakeup_lat_p99", "cpu_util_mean", "migrations_xllc", "migrations_xnode",
        "migrations_xpkg"]
assert names[:len(want)] == want, names
assert all(n.startswith("policy_") for n in names[len(want):]), names
better = {m["name"]: m["better"] for m in d["metrics"]}
assert better["rps"] == "higher" and better["request_latency_p99"] == "lower", better
' j2/results.json
py "results.csv: header and policies x seeds x metrics rows" '
d = json.load(open(sys.argv[1]))
rows = list(csv.reader(open(sys.argv[2])))
assert rows[0] == ["topology", "workload", "parameters", "policy", "seed", "scope", "process", "metric",
                   "stat", "unit", "value", "text"], rows[0]
nm = len(d["metrics"])
assert len(rows) - 1 == 2 * 3 * nm, (len(rows) - 1, nm)
keys = {(r[3], r[4], r[7]) for r in rows[1:]}
assert len(keys) == 2 * 3 * nm, "duplicate rows"
assert {r[3] for r in rows[1:]} == {"cfs", "cfs#2"} and {r[4] for r in rows[1:]} == {"1", "2", "3"}
assert {(r[0], r[1], r[2], r[6], r[8]) for r in rows[1:]} == {(d["config"]["topology"], "schbench", "workers=4", "", "value")}
scope = {r[7]: r[5] for r in rows[1:]}
assert scope["rps"] == "bench" and scope["cpu_util_mean"] == "total", scope
for r in rows[1:]:
    assert r[10] == "" or math.isfinite(float(r[10])), r
' j2/results.json j2/results.csv
py "CSV values are the JSON raw values" '
d = json.load(open(sys.argv[1]))
rows = list(csv.reader(open(sys.argv[2])))[1:]
val = {(r[3], int(r[4]), r[7]): r[10] for r in rows}
for m in d["metrics"]:
    for p in m["policies"]:
        for s, v in zip(d["config"]["seeds"], p["values"]):
            c = val[(p["policy"], s, m["name"])]
            assert (v is None and c == "") or float(c) == v, (m["name"], p["policy"], s, c, v)
' j2/results.json j2/results.csv
py "identical policies: 0% change, Welch and paired p = 1 (or n/a), no mark" '
d = json.load(open(sys.argv[1]))
for m in d["metrics"]:
    b = m["policies"][1]
    assert b["policy"] == "cfs#2" and "vs_baseline" not in m["policies"][0]
    v = b["vs_baseline"]
    assert v["change_pct"] in (0, None), (m["name"], v)
    assert v["welch"]["p"] in (1, None) and v["paired"]["p"] in (1, None), (m["name"], v)
    assert v["mark"] == "", (m["name"], v)
    assert m["policies"][0]["values"] == b["values"], m["name"]
' j2/results.json
py "statistics agree with the raw values (mean, 95% CI)" '
d = json.load(open(sys.argv[1]))
t2 = 4.302652729911275  # t(0.975, 2)
for m in d["metrics"]:
    for p in m["policies"]:
        x = [v for v in p["values"] if v is not None]
        mean = sum(x) / len(x)
        sd = (sum((v - mean) ** 2 for v in x) / (len(x) - 1)) ** 0.5
        assert abs(p["mean"] - mean) <= 1e-9 * max(1, abs(mean)), (m["name"], p["mean"], mean)
        half = t2 * sd / len(x) ** 0.5
        assert abs(p["ci95"][1] - p["ci95"][0] - 2 * half) <= 1e-9 * max(1, half), m["name"]
' j2/results.json

# ---- the table --------------------------------------------------------------
check "table: header names workload, topology and seeds" \
	grep -q "^cassim compare: schbench on $TOPO, .*50 ms simulated" table.txt
# a workload that ends by itself: the header gives the real run length, not the cap
"$CASSIM" compare --topology "$TOPO" --workload hackbench --set groups=1 --set fds=2 \
	--set mode=thread --set ipc=pipe --set loops=200 --policies cfs,cas-v3 --seeds 2 --quiet >hb.txt 2>&1
check "table: a run that ends early is not called \"60 s simulated\"" \
	grep -q "^cassim compare: hackbench on $TOPO, .*runs ended by the workload within [0-9.]* [mun]*s simulated (cap 60 s)" hb.txt
check "table: a verdict line for the cache-aware policy, none for cfs" \
	sh -c 'grep -A2 "^what each cache-aware policy did" hb.txt | grep -Eq "^  cas-v3 +[a-z]" &&
		! grep -Eq "^  cfs +(not present|present|preferred|partly|aggregated|switched)" hb.txt'
py "results.json: verdicts for the cache-aware policy only, with kind, code and text" '
v = json.load(open("compare-out/results.json"))["verdicts"]
assert list(v) == ["cas-v3"], v
assert set(v["cas-v3"]) == {"kind", "code", "text"} and v["cas-v3"]["text"], v
'
check "table: the sign convention is stated" grep -q "signed so that + is better" table.txt
check "table: the test is named" grep -q "Welch's t-test against cfs" table.txt
py "table: the headline first: one row per metric (policy counters left out), one column per policy" '
d = json.load(open(sys.argv[1]))
lines = open(sys.argv[2]).read().split("\n")
head = [k for k, l in enumerate(lines) if l.startswith("metric ")]
assert len(head) == 1 and lines[head[0]].split() == ["metric", "cfs", "cfs#2"], lines[head[0]]
rows = {}
for l in lines[head[0] + 1:]:
    if not l:
        break
    rows[l.split(" (")[0]] = l
names = [m["name"] for m in d["metrics"] if not m["name"].startswith("policy_")]
assert list(rows) == names, (list(rows), names)
for n, l in rows.items():
    assert (l.count(" +-") == 2 and "+0.00%" in l) or l.split()[-1] == "n/a", l
    assert "*" not in l, l
assert any(l.startswith("(--verbose: every metric") for l in lines), "no pointer to --verbose"
' j2/results.json table.txt
expect_exit 0 "compare --verbose" cmp_run --policies cfs,cfs --jobs 2 --out jv --verbose --quiet
cp "$OUT" table-v.txt
py "table --verbose: one block per metric, one row per policy, 0% and p=1 on the second" '
d = json.load(open(sys.argv[1]))
lines = open(sys.argv[2]).read().split("\n")
lines = lines[[k for k, l in enumerate(lines) if l.startswith("* p < 0.05")][0]:]
for m in d["metrics"]:
    i = [k for k, l in enumerate(lines) if l.startswith(m["name"] + " (")]
    assert len(i) == 1, (m["name"], i)
    a, b = lines[i[0] + 1], lines[i[0] + 2]
    assert a.split()[0] == "cfs" and b.split()[0] == "cfs#2", (a, b)
    assert " +- " in a and " +- " in b, (a, b)
    assert "+0.00%" in b or "n/a" in b, b
    assert "p=1" in b or "p=n/a" in b, b
    assert "*" not in b, b
assert not any(l != l.rstrip() for l in lines), "trailing blanks"
' j2/results.json table-v.txt
check "progress lines on stderr (not a terminal)" grep -q "^compare: 6/6 runs, .* elapsed, done$" progress.txt

# ---- determinism and agreement with cassim run ------------------------------
expect_exit 0 "compare again with 1 worker" cmp_run --policies cfs,cfs --jobs 1 --out j1 --quiet
check "--quiet: nothing on stderr" test ! -s "$ERR"
check "1 or 2 workers: byte-identical results.csv" cmp j1/results.csv j2/results.csv
check "1 or 2 workers: byte-identical results.json" cmp j1/results.json j2/results.json
expect_exit 0 "cassim run of seed 2" "$CASSIM" run -q --topology "$TOPO" --workload schbench \
	--set workers=4 --seed 2 --duration 50ms --json run2.json
py "compare seed 2 = cassim run --seed 2 (rps, request p99, cpu_util_mean)" '
d = json.load(open(sys.argv[1]))
r = json.load(open(sys.argv[2]))["results"]
want = {"rps": r["metrics"]["rps"]["value"],
        "request_latency_p99": r["metrics"]["request_latency"]["p99"],
        "cpu_util_mean": r["cpu_util"]["mean"],
        "total_wakeup_lat_p99": r["total"]["wakeup_lat_p99_us"]}
for m in d["metrics"]:
    if m["name"] in want:
        for p in m["policies"]:
            assert p["values"][1] == want[m["name"]], (m["name"], p["values"], want[m["name"]])
' j2/results.json run2.json
expect_exit 0 "--json prints results.json on stdout; --test paired" \
	cmp_run --policies cfs,cfs --out jp --json --quiet --test paired
py "--json output is results.json; the test is paired" '
a = json.load(open(sys.argv[1]))
assert a == json.load(open(sys.argv[2]))
assert a["config"]["test"] == "paired"
' "$OUT" jp/results.json

# ---- plots ------------------------------------------------------------------
py "figures: the change figure has the workload's own metrics, no counters figure for cfs" '
d = json.load(open(sys.argv[1]))
f = d["figures"]
assert f["compare"] == ["wakeup_latency_p50", "wakeup_latency_p99", "wakeup_latency_p99.9",
                        "request_latency_p50", "request_latency_p99", "request_latency_p99.9", "rps"], f
assert f["compare-counters"] == [], f
' j2/results.json
expect_exit 0 "--metrics rps,migrations_xpkg,cpu_util_mean" cmp_run --policies cfs,cfs --out jm --quiet \
	--metrics rps,migrations_xpkg,cpu_util_mean
py "--metrics: the named metrics, in the runs' order, less the all-zero ones (migrations_xpkg)" '
f = json.load(open("jm/results.json"))["figures"]
assert f["compare"] == ["rps", "cpu_util_mean"], f
'
expect_exit 2 "--metrics with an unknown name: exit 2" cmp_run --policies cfs,cfs --out jbad --quiet --metrics request_latency_p90
expect_one_line_stderr "... one line naming it, with a suggestion" "request_latency_p90: no such metric in these runs, did you mean request_latency_p[59][09]?"
py "figures: a cache-aware policy gets a counters figure, without the verdict code" '
f = json.load(open("compare-out/results.json"))["figures"]
assert "policy_scans" in f["compare-counters"] and "policy_verdict" not in f["compare-counters"], f
assert all(not n.startswith("policy_") for n in f["compare"]), f
'
if command -v gnuplot >/dev/null 2>&1; then
	expect_exit 0 "--plot" cmp_run --policies cfs,cfs --out pl --plot --quiet
	py "compare.png is a PNG image" '
b = open(sys.argv[1], "rb").read()
assert b[:8] == b"\x89PNG\r\n\x1a\n" and len(b) > 1000, b[:8]
' pl/compare.png
	py "compare.svg is an SVG document (XML)" '
import xml.etree.ElementTree as ET
root = ET.parse(sys.argv[1]).getroot()
assert root.tag.endswith("svg"), root.tag
' pl/compare.svg
	check "no temporary files left by the plot" \
		sh -c '[ "$(ls -A pl | tr "\n" " ")" = "compare.png compare.svg results.csv results.json " ]'
	expect_exit 0 "--plot with a cache-aware policy" "$CASSIM" compare --topology "$TOPO" --workload hackbench \
		--set groups=1 --set fds=2 --set mode=thread --set ipc=pipe --set loops=200 --policies cfs,cas-v3 \
		--seeds 2 --quiet --out plc --plot
	check "... draws the change figure and the counters figure" \
		sh -c '[ "$(ls -A plc | tr "\n" " ")" = "compare-counters.png compare-counters.svg compare.png compare.svg results.csv results.json " ]'
else
	skip "--plot" "gnuplot not installed"
	skip "compare.png is a PNG image" "gnuplot not installed"
	skip "compare.svg is an SVG document (XML)" "gnuplot not installed"
	skip "no temporary files left by the plot" "gnuplot not installed"
fi
expect_exit 1 "--plot without gnuplot: exit 1" \
	env PATH=/nonexistent CASSIM_GNUPLOT= "$CASSIM" compare --topology "$TOPO" --workload schbench \
	--policies cfs,cfs --seeds 2 --duration 10ms --out nogp --plot
expect_one_line_stderr "... with one line naming gnuplot" "gnuplot"
nothing_in "... and nothing written" nogp

# ---- bad input: exit 2, one line, no run, no file ----------------------------
bad() {
	_desc=$1
	_re=$2
	shift 2
	expect_exit 2 "$_desc: exit 2" "$CASSIM" compare --topology "$TOPO" --workload schbench \
		--seeds 2 --duration 10ms --out bad "$@"
	expect_one_line_stderr "$_desc: one line" "$_re"
}
bad "unknown policy" "unknown policy 'nosuch'" --policies cfs,nosuch
bad "one policy" "at least two policies" --policies cfs
bad "empty policy name" "empty policy name" --policies cfs,,cfs
bad "no --policies" "--policies is required"
bad "--seeds 1" "--seeds 1: expected an integer 2\.\." --policies cfs,cfs --seeds 1
bad "--seeds x" "--seeds x" --policies cfs,cfs --seeds x
bad "--jobs 0" "--jobs 0" --policies cfs,cfs --jobs 0
bad "--set without =" "expected KEY=VALUE" --policies cfs,cfs --set workers
bad "--set unknown key" "--set nosuch=1: unknown key" --policies cfs,cfs --set nosuch=1
bad "--set out of range" "--set hz=1: out of range" --policies cfs,cfs --set hz=1
bad "--set a bad workload value" "count -3 out of range" --policies cfs,cfs --set workers=-3
bad "unknown topology" "nosuch-topo" --policies cfs,cfs --topology nosuch-topo
bad "unknown profile" "--profile nosuch" --policies cfs,cfs --profile nosuch
bad "--test other" "--test other" --policies cfs,cfs --test other
bad "unknown option" "--frobnicate" --policies cfs,cfs --frobnicate
nothing_in "bad input wrote nothing" bad
: >notadir
# an output that cannot be written is exit status 1 in every verb (cassim(1))
expect_exit 1 "--out under a file: exit 1" "$CASSIM" compare --topology "$TOPO" --workload schbench \
	--seeds 2 --duration 10ms --policies cfs,cfs --out notadir/x
expect_one_line_stderr "--out under a file: one line" "notadir is not a directory"

done_testing
