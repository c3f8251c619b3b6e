#!/bin/sh
# t0050-trace-viewers: the `cassim run --trace` file as the viewers read it.
# Each flow event must bind to the slice it is meant for under both viewers'
# rules, which the Python below follows from their sources:
#  - Perfetto (json_trace_parser_impl.cc, flow_tracker.cc, slice_tracker.cc,
#    trace_sorter.h): events sorted by ts, then X slices longest first, then
#    the rest in file order; an X closes the slices that ended by its ts and
#    opens itself; "s" and "f" with "bp":"e" bind to the topmost open slice;
#  - Chrome DevTools (FlowsHandler.ts): a flow event binds to the first
#    non-flow event with the same ts, pid, tid and cat, and keys a flow's
#    events by ts (so it drops a flow whose two ends are at one instant).
# Every flow must start at its marker (the waker's or the old CPU's) and end
# at the start of the task's next slice (or at a window_end marker), in both.
# Then Chrome DevTools' own trace engine (npm package @paulirish/trace_engine)
# loads the traces when it is installed: no errors, every slice, and the
# flows exactly as the DevTools rule predicts.  Point CASSIM_TRACE_ENGINE at
# the package's directory, or install it globally (npm install -g
# @paulirish/trace_engine); otherwise those tests are skipped.  A few seconds.
. "${CASSIM_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/e2e/lib.sh"
tmpdir
: "${CASSIM_DATADIR:=$CASSIM_SRCDIR}"
export CASSIM_DATADIR
cd "$TMP" || bail_out "cannot cd to $TMP"
command -v python3 >/dev/null 2>&1 || bail_out "python3 not found (tools/setup.sh installs it)"

PYLIB='
import collections, json, sys
MARKERS = {"wakeup", "migrate", "window_end"}
def events(f): return json.load(open(f))["traceEvents"]
def ns(us): return round(us * 1000)
def track(e): return (e["pid"], e["tid"])
def is_marker(e): return e["ph"] == "X" and e["name"] in MARKERS
def flows_of(ev):
    """{(cat, name, id): [s index, f index]}, and the marker each s follows"""
    fl, mk, last = collections.defaultdict(list), {}, None
    for i, e in enumerate(ev):
        if is_marker(e): last = i
        elif e["ph"] in "sf":
            k = (e["cat"], e["name"], e["id"])
            fl[k].append(i)
            if e["ph"] == "s": mk[k] = last
    return fl, mk
def perfetto_bind(ev):
    """{flow event index: the slice index Perfetto binds it to}"""
    BIG = 1 << 62
    def key(i):
        e = ev[i]
        k = BIG - ns(e["dur"]) if e["ph"] == "X" else -BIG if e["ph"] == "E" else BIG
        return (ns(e["ts"]), k, i)
    stacks, bound = collections.defaultdict(list), {}
    for i in sorted((i for i, e in enumerate(ev) if e["ph"] in "Xsf"), key=key):
        e, st = ev[i], stacks[track(ev[i])]
        if e["ph"] == "X":
            while st and st[-1][0] <= ns(e["ts"]):
                st.pop()
            st.append((ns(e["ts"] + e["dur"]), i))
        else:
            assert e["ph"] == "s" or e.get("bp") == "e", ("an f bound to the next slice", e)
            assert st, ("flow event with no enclosing slice", e)
            bound[i] = st[-1][1]
    return bound
def devtools_bind(ev):
    """{flow event index: the event index DevTools binds it to}"""
    first = {}
    for i in sorted(range(len(ev)), key=lambda i: ev[i].get("ts", -1)):
        e = ev[i]
        if e["ph"] not in "sfM":
            first.setdefault((e["ts"], e["pid"], e["tid"], e.get("cat")), i)
    return {i: first.get((e["ts"], e["pid"], e["tid"], e["cat"])) for i, e in enumerate(ev) if e["ph"] in "sf"}
def check_binding(ev, bound, viewer):
    fl, mk = flows_of(ev)
    assert fl, "no flows"
    for k, (s, f) in fl.items():
        bs, bf, m = bound[s], bound[f], ev[mk[k]]
        assert bs is not None and bf is not None, (viewer, "unbound", ev[s], ev[f])
        # the start: its marker, or (DevTools) the first slice at that instant
        assert (ev[bs]["ts"], track(ev[bs])) == (m["ts"], track(m)), (viewer, ev[s], ev[bs])
        assert bs == mk[k] or viewer == "devtools", (viewer, ev[s], ev[bs], m)
        # the end: a slice starting there, the task s own unless a marker
        # (or, DevTools, another slice) starts at the same instant
        b = ev[bf]
        assert b["ph"] == "X" and (b["ts"], track(b)) == (ev[f]["ts"], track(ev[f])), (viewer, ev[f], b)
        assert b["name"] == m["args"]["task"] or is_marker(b) or viewer == "devtools", (viewer, m, b)
    return fl
def devtools_flows(ev):
    """the flows DevTools keeps: [(ts, pid, tid) of the start, of the end];
    it keys a flow s events by ts, so one whose ends are at the same instant
    (a wakeup onto an idle CPU, run at once) is dropped"""
    fl, _ = flows_of(ev)
    b = devtools_bind(ev)
    t = lambda i: (ev[b[i]]["ts"], ev[b[i]]["pid"], ev[b[i]]["tid"])
    return sorted([t(s), t(f)] for s, f in fl.values() if t(s)[0] != t(f)[0])
'

TOPO="-t spr-2s-1node-2llc"
expect_exit 0 "run --trace (pingpong, 5 ms)" "$CASSIM" run -q $TOPO -w pingpong --duration 5ms --trace pp.json
expect_exit 0 "run --trace (hackbench, 10 ms, window 1-2.5 ms)" "$CASSIM" run -q $TOPO -w hackbench \
	--set loops=20 --duration 10ms --trace hb.json --trace-from 1ms --trace-to 2500us

for t in pp hb; do
	py "$t: Perfetto's binding puts every flow from its marker to the task's next slice" '
ev = events(sys.argv[1])
fl = check_binding(ev, perfetto_bind(ev), "perfetto")
assert len(fl) > 100, len(fl)
' "$t.json"
	py "$t: DevTools' binding puts every flow at a slice at its instant" '
ev = events(sys.argv[1])
fl = check_binding(ev, devtools_bind(ev), "devtools")
assert len(devtools_flows(ev)) > 100
' "$t.json"
done
py "hb: migration and wakeup flows, and flows cut by the window ending at window_end markers" '
ev = events("hb.json")
fl, mk = flows_of(ev)
n = collections.Counter(k[1] for k in fl)
assert n["wakeup"] > 100 and n["migrate"] > 10, n
assert any(ev[f]["ts"] == 2500.0 and ev[mk[k]]["name"] != "window_end" for k, (s, f) in fl.items())
assert any(e["name"] == "window_end" and e["ts"] == 2500.0 for e in ev if e["ph"] == "X")
'

# ---- Chrome DevTools' trace engine, when installed ------------------------------
ENGINE=${CASSIM_TRACE_ENGINE:-}
if [ -z "$ENGINE" ] && command -v npm >/dev/null 2>&1; then
	ENGINE=$(npm root -g 2>/dev/null)/@paulirish/trace_engine
fi
if [ -z "$ENGINE" ] || [ ! -f "$ENGINE/models/trace/trace.js" ] || ! command -v node >/dev/null 2>&1; then
	for t in pp hb; do
		skip "$t: DevTools' trace engine loads the trace" "node or @paulirish/trace_engine not installed"
	done
else
	for t in pp hb; do
		if node "$CASSIM_SRCDIR/tests/e2e/trace-engine.mjs" "$ENGINE" "$t.json" >"$t.engine" 2>"$t.engine.err"; then
			py "$t: DevTools' trace engine: no errors, every slice, the flows its rule predicts" '
ev, got = events(sys.argv[1]), json.loads(open(sys.argv[2]).read())
assert got["errors"] == [], got["errors"][:5]
assert got["slices"] == sum(1 for e in ev if e["ph"] == "X"), got["slices"]
want = devtools_flows(ev)
flows = sorted([tuple(f[0]), tuple(f[-1])] for f in got["flows"])
assert len(flows) > 100 and flows == [[tuple(a), tuple(b)] for a, b in want], (len(flows), len(want))
' "$t.json" "$t.engine"
		else
			not_ok "$t: DevTools' trace engine loads the trace" "$(cat "$t.engine.err")"
		fi
	done
fi

done_testing
