#!/bin/sh
# t0013-trace: `cassim run --trace` (Chrome trace-event JSON) and
# `--timeline` (run slices as CSV) end to end on spr-2s-1node-2llc: the
# JSON's structure (fields per phase, complete slices not overlapping per
# CPU track, s/f flow pairs each at a slice's start on its track, a named
# track per CPU grouped by LLC), its counts
# against the run's own counters (one slice per context switch, one wakeup
# flow per wakeup, one migration flow per migration), the CAS decisions as
# instant events (as many as the policy reports, none under cfs), the
# timeline's exact header, order and busy time per process, determinism,
# the --trace-from/--trace-to window, and unwritable paths refused (exit 2,
# nothing written).  A few seconds.
. "${CASSIM_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/e2e/lib.sh"
tmpdir
: "${CASSIM_DATADIR:=$CASSIM_SRCDIR}"
export CASSIM_DATADIR
cd "$TMP" || bail_out "cannot cd to $TMP"
command -v python3 >/dev/null 2>&1 || bail_out "python3 not found (tools/setup.sh installs it)"
WL=$CASSIM_SRCDIR/workloads

PYLIB='
import collections, csv, json, sys
REQ = {"X": {"ts", "dur", "pid", "tid", "name", "cat", "args"},
       "i": {"ts", "pid", "tid", "name", "s", "args"}, "s": {"ts", "pid", "tid", "name", "cat", "id"},
       "f": {"ts", "pid", "tid", "name", "cat", "id", "bp"}, "C": {"ts", "pid", "name", "args"},
       "M": {"pid", "tid", "name", "args"}}
MARKERS = {"wakeup", "migrate", "window_end"}
def events(f):
    return json.load(open(f))["traceEvents"]
def ns(us): return round(us * 1000)
def is_task(e): return e["ph"] == "X" and "process" in e["args"]
def is_marker(e): return e["ph"] == "X" and e["name"] in MARKERS and e["dur"] == 0
def check_trace(f):
    """The structure every trace must have; returns the events."""
    ev = events(f)
    threads, procs, slices, flows = {}, {}, collections.defaultdict(list), collections.defaultdict(list)
    starts = collections.defaultdict(set)  # (ts, pid, tid) -> names of the slices starting there
    for e in ev:
        ph = e["ph"]
        assert ph in REQ and REQ[ph] <= set(e), e
        if ph == "M":
            if e["name"] == "thread_name": threads[e["pid"], e["tid"]] = e["args"]["name"]
            if e["name"] == "process_name": procs[e["pid"]] = e["args"]["name"]
            continue
        assert isinstance(e["ts"], float) and e["ts"] >= 0, e
        if ph == "C":
            continue
        k = (e["pid"], e["tid"])
        assert k in threads and e["pid"] in procs, ("event on an unnamed track", e)
        if ph == "X":
            assert e["cat"] == "sched" and isinstance(e["dur"], float) and e["dur"] >= 0, e
            assert is_task(e) or is_marker(e), e
            starts[e["ts"], e["pid"], e["tid"]].add(e["name"])
            if is_task(e):
                slices[k].append((ns(e["ts"]), ns(e["ts"] + e["dur"]), e))
        elif ph in "sf":
            assert e["cat"] == "sched" and e["name"] in ("wakeup", "migrate"), e
            flows[e["name"], e["id"]].append(e)
    for k, v in slices.items():
        v.sort(key=lambda x: x[:2])
        for a, b in zip(v, v[1:]):
            assert a[1] <= b[0], ("two slices at once on a CPU", a[2], b[2])
    bad = [k for k, v in flows.items() if [e["ph"] for e in v] != ["s", "f"]]
    assert not bad, ("flows not in s/f pairs", bad[:5])
    for (name, _), (s, f) in flows.items():
        # DevTools binds a flow event to a slice at its very ts, pid, tid
        # and cat; Perfetto to the slice open there (t0050 runs both rules)
        assert name in starts[s["ts"], s["pid"], s["tid"]], ("flow start without its marker", s)
        assert f["bp"] == "e" and starts[f["ts"], f["pid"], f["tid"]], ("flow end without a slice", f)
    return ev
def flow_markers(ev):
    """{flow id: the marker its "s" starts at} (written just before it)"""
    last, m = None, {}
    for e in ev:
        if is_marker(e): last = e
        elif e["ph"] == "s":
            assert last and (last["ts"], last["tid"], last["name"]) == (e["ts"], e["tid"], e["name"]), (last, e)
            m[e["id"]] = last
    return m
def count(ev, ph, **kw):
    return sum(1 for e in ev if e["ph"] == ph and all(e.get(k) == v for k, v in kw.items()))
def res(f): return json.load(open(f))["results"]
HEADER = "cpu,llc,node,start_ns,end_ns,pid,tid,process,thread"
def timeline(f):
    rows = list(csv.reader(open(f, newline="")))
    assert ",".join(rows[0]) == HEADER, rows[0]
    return [[int(x) for x in r[:7]] + r[7:] for r in rows[1:]]
'

TOPO="-t spr-2s-1node-2llc"

# ---- pingpong under cfs: the whole run --------------------------------------
expect_exit 0 "run --trace --timeline (pingpong, cfs, 5 ms)" "$CASSIM" run -q $TOPO -w pingpong \
	--duration 5ms --trace pp.json --timeline pp.csv --json pp-r.json
check "no temporary files left" sh -c '[ "$(ls -A | grep -v -x -e out -e err -e check.out -e check.err | tr "\n" " ")" = "pp-r.json pp.csv pp.json " ]'
py "trace: valid JSON; fields per phase; X slices apart per CPU track; flows in pairs, bound" '
ev = check_trace("pp.json")
assert count(ev, "X") > 1000 and count(ev, "s") > 1000, (count(ev, "X"), count(ev, "s"))
assert count(ev, "B") == count(ev, "E") == 0
' 
py "trace: a process per LLC (node / LLC), a named thread per CPU, sort indexes" '
ev = events("pp.json")
m = [e for e in ev if e["ph"] == "M"]
procs = {e["pid"]: e["args"]["name"] for e in m if e["name"] == "process_name"}
assert procs == {1: "node 0 / LLC 0", 2: "node 0 / LLC 1"}, procs
th = {(e["pid"], e["tid"]): e["args"]["name"] for e in m if e["name"] == "thread_name"}
assert sorted(th.values()) == sorted("CPU %d" % c for c in range(120)), len(th)
# spr-2s-1node-2llc: CPUs 0-29 and 60-89 share LLC 0
assert th[1, 1] == "CPU 0" and th[1, 61] == "CPU 60" and th[2, 31] == "CPU 30"
assert {e["args"]["sort_index"] for e in m if e["name"] == "thread_sort_index"} == set(range(120))
assert sum(1 for e in m if e["name"] == "process_sort_index") == 2
'
py "trace: one slice per context switch, one wakeup flow per wakeup (the run JSON)" '
ev, t = events("pp.json"), res("pp-r.json")["total"]
b = [e for e in ev if is_task(e)]
assert len(b) == t["nr_switches"], (len(b), t["nr_switches"])
assert count(ev, "s", name="wakeup") == t["nr_wakeups"], (count(ev, "s", name="wakeup"), t["nr_wakeups"])
assert count(ev, "X", name="wakeup") == t["nr_wakeups"]
assert all(e["name"].startswith("pingpong/p") and e["args"]["process"] == "pingpong" for e in b)
assert {e["args"]["end"] for e in b} <= {"preempt", "block", "exit", "migrate", "window"}
assert max(e["ts"] for e in ev if "ts" in e) <= 5000.0
'
py "trace: no policy instant events under cfs" '
assert count(events("pp.json"), "i") == 0
'
py "timeline: exact header; slices non-empty, sorted by (start_ns, cpu), not overlapping per CPU" '
rows = timeline("pp.csv")
assert len(rows) > 1000
keys = [(r[3], r[0]) for r in rows]
assert keys == sorted(keys) and len(set(keys)) == len(keys)
end = {}
for r in rows:
    assert r[3] < r[4] <= 5000000, r
    assert end.get(r[0], 0) <= r[3], ("overlap", r)
    end[r[0]] = r[4]
    assert r[1] == (0 if r[0] % 60 < 30 else 1) and r[2] == 0, r
'
py "timeline: busy time per process = its cpu_ns in the run JSON (1 ns per slice)" '
rows, procs = timeline("pp.csv"), res("pp-r.json")["processes"]
busy, n = collections.Counter(), collections.Counter()
for r in rows:
    busy[r[5]] += r[4] - r[3]
    n[r[5]] += 1
for i, p in enumerate(procs):
    assert abs(busy[i] - p["cpu_ns"]) <= n[i], (i, busy[i], p["cpu_ns"])
assert busy[0] > 0
'
py "timeline = the trace: the same slices (start, end, CPU, task), none of 0 ns" '
rows = timeline("pp.csv")
ev = events("pp.json")
sl = [(ns(e["ts"]), e["tid"] - 1, e["args"]["tid"], ns(e["ts"] + e["dur"])) for e in ev if is_task(e)]
assert all(e["dur"] > 0 for e in ev if is_task(e)), "a 0 ns slice"
assert sorted(sl) == sorted((r[3], r[0], r[6], r[4]) for r in rows), len(sl)
'

# ---- determinism and the window ----------------------------------------------
"$CASSIM" run -q $TOPO -w pingpong --duration 5ms --trace pp2.json --timeline pp2.csv
check "trace: same seed, byte-identical" cmp pp.json pp2.json
check "timeline: same seed, byte-identical" cmp pp.csv pp2.csv
"$CASSIM" run -q $TOPO -w pingpong --duration 5ms --seed 2 --trace pp3.json
check "trace: another seed, another trace" sh -c '! cmp -s pp.json pp3.json'
expect_exit 0 "run --trace-from 2ms --trace-to 3500us" "$CASSIM" run -q $TOPO -w pingpong --duration 5ms \
	--trace w.json --timeline w.csv --trace-from 2ms --trace-to 3500us
py "window: trace events within [2000, 3500] us, well formed, slices open at 2000 us" '
ev = check_trace("w.json")
ts = [e["ts"] + e.get("dur", 0) for e in ev if "ts" in e]
assert min(e["ts"] for e in ev if "ts" in e) == 2000.0 and max(ts) == 3500.0, (min(ts), max(ts))
w = [e for e in ev if is_task(e) and e["args"]["end"] == "window"]
assert count(ev, "X") > 100 and w and all(ns(e["ts"] + e["dur"]) == 3500000 for e in w)
assert any(e["ts"] == 2000.0 for e in ev if is_task(e))
'
py "window: the timeline is the whole run clipped to [2 ms, 3.5 ms)" '
full, w = timeline("pp.csv"), timeline("w.csv")
clip = []
for r in full:
    s, e = max(r[3], 2000000), min(r[4], 3500000)
    if s < e:
        clip.append([r[0], r[1], r[2], s, e] + r[5:])
clip.sort(key=lambda r: (r[3], r[0]))
assert w == clip, (len(w), len(clip))
'

# ---- migrations: hackbench, 400 tasks on 120 CPUs -------------------------------
# shellcheck disable=SC2086
expect_exit 0 "run --trace (hackbench, cfs, 10 ms)" "$CASSIM" run -q $TOPO -w hackbench --set loops=20 \
	--duration 10ms --trace hb.json --json hb-r.json
py "migrations: one flow per migration, with its reason" '
ev = check_trace("hb.json")
m = [e for e in ev if e["ph"] == "s" and e["name"] == "migrate"]
tot = res("hb-r.json")["total"]["migrations"]["total"]
assert len(m) == tot and tot > 100, (len(m), tot)
mk = flow_markers(ev)
why = collections.Counter(mk[e["id"]]["args"]["reason"] for e in m)
assert set(why) <= {"wakeup", "lb", "active", "numa", "hotplug"} and why["wakeup"] and why["lb"], why
ends = {e["id"]: e for e in ev if e["ph"] == "f" and e["name"] == "migrate"}
assert all(ends[e["id"]]["tid"] - 1 == mk[e["id"]]["args"]["to_cpu"] for e in m)
'

# ---- CAS decisions as instant events -------------------------------------------
SPIN="$TOPO -w $WL/cas-spin.json --duration 300ms"
# shellcheck disable=SC2086
"$CASSIM" run -q $SPIN --set threads=16 -p cas-v3 --trace v3.json --json v3-r.json
# shellcheck disable=SC2086
"$CASSIM" run -q $SPIN --set threads=16 -p cfs --trace spin-cfs.json
# shellcheck disable=SC2086
"$CASSIM" run -q $SPIN --set threads=36 -p cas-merged --trace m36.json --json m36-r.json
py "cas-v3: pref_switch, active_balance_llc and llc_filter_refusal instants, as many as it reports" '
ev = check_trace("v3.json")
pol = res("v3-r.json")["policy"]["total"]
assert count(ev, "i", name="pref_switch") == pol["pref_switches"] >= 1, pol
assert count(ev, "i", name="active_balance_llc") == pol["llc_active_balances"] >= 1, pol
assert count(ev, "i", name="llc_filter_refusal") == pol["llc_filter_refusals"]
p = [e for e in ev if e["name"] == "pref_switch"][0]
assert p["s"] == "t" and p["cat"] == "policy" and p["args"]["process"] == "spin", p
assert p["args"]["from_llc"] == -1 and p["args"]["to_llc"] in (0, 1), p["args"]
'
py "cfs: no instant events on the same workload" '
ev = check_trace("spin-cfs.json")
assert count(ev, "i") == 0 and count(ev, "X") > 0
'
py "cas-merged, 36 running threads: a gate_trip instant per thread-gate trip" '
ev = check_trace("m36.json")
pol = res("m36-r.json")["policy"]["total"]
g = [e for e in ev if e["ph"] == "i" and e["name"] == "gate_trip"]
assert len(g) == pol["gate_trips_threads"] >= 1, (len(g), pol["gate_trips_threads"])
assert {e["args"]["gate"] for e in g} == {"threads"}
'

# ---- a slice open for the whole run: the timeline spills, stays exact ----------
# A hog alone on CPU 0 keeps its row open while pingpong switches ~185,000
# times elsewhere: the rows wait behind it, past the 65,536 kept in memory.
# os_noise=0: CPU 0's kernel thread would preempt the hog and close its row
# (the noise's kernel threads are left out of timelines).
expect_exit 0 "run --timeline (hog on CPU 0 + pingpong, 200 ms)" "$CASSIM" run -q $TOPO \
	-w "$CASSIM_SRCDIR/tests/fixtures/wl-hog-pingpong.json" --set os_noise=0 --timeline hog.csv --json hog-r.json
py "spilled timeline: sorted by (start_ns, cpu), no overlap per CPU, busy time = cpu_ns" '
rows, procs = timeline("hog.csv"), res("hog-r.json")["processes"]
assert len(rows) > 2 * 65536, len(rows)
keys = [(r[3], r[0]) for r in rows]
assert keys == sorted(keys) and len(set(keys)) == len(keys)
end = {}
busy, n = collections.Counter(), collections.Counter()
for r in rows:
    assert r[3] < r[4] <= 200000000, r
    assert end.get(r[0], 0) <= r[3], ("overlap", r)
    end[r[0]] = r[4]
    busy[r[5]] += r[4] - r[3]
    n[r[5]] += 1
for i, p in enumerate(procs):
    assert abs(busy[i] - p["cpu_ns"]) <= n[i], (i, busy[i], p["cpu_ns"])
hog = [r for r in rows if r[8] == "hog"]
assert len(hog) == 1 and hog[0][0] == 0 and hog[0][4] == 200000000, hog
assert all(r[0] >= 2 for r in rows if r[8] != "hog")
'

# ---- bad input and outputs: one line, nothing written --------------------------
mkdir bad && cd bad || bail_out "cannot cd"
# an output that cannot be written is exit status 1, as in every verb (cassim(1))
expect_exit 1 "--trace into a missing directory: exit 1" "$CASSIM" run -q $TOPO -w pingpong \
	--duration 5ms --trace /nonexistent-dir/t.json
expect_one_line_stderr "--trace: one line naming the path" "/nonexistent-dir/t.json"
expect_exit 1 "--timeline unwritable with a good --trace: exit 1" "$CASSIM" run -q $TOPO -w pingpong \
	--duration 5ms --trace t.json --timeline /nonexistent-dir/t.csv --json r.json
expect_one_line_stderr "--timeline: one line naming the path" "/nonexistent-dir/t.csv"
check "nothing written (no trace, no result, no temporary file)" sh -c '[ -z "$(ls -A)" ]'
expect_exit 2 "--trace-to before --trace-from" "$CASSIM" run -q -w pingpong --trace t.json \
	--trace-from 3ms --trace-to 2ms
expect_one_line_stderr "--trace-to before --trace-from: one line" "trace-to"
expect_exit 2 "--trace-from without --trace or --timeline" "$CASSIM" run -q -w pingpong --trace-from 1ms
expect_exit 2 "--trace-to 0" "$CASSIM" run -q -w pingpong --trace t.json --trace-to 0
expect_one_line_stderr "--trace-to 0: one line" "trace-to 0"
check "still nothing written" sh -c '[ -z "$(ls -A)" ]'
cd .. || bail_out "cannot cd"

expect_exit 0 "run --help documents --trace, --timeline and the window" "$CASSIM" run --help
check "--help: the four options" sh -c "grep -q -- '--trace FILE' '$OUT' && grep -q -- '--timeline FILE' '$OUT' && grep -q -- '--trace-from TIME' '$OUT' && grep -q -- '--trace-to TIME' '$OUT'"

done_testing
