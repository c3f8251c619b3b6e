#!/bin/sh
# t0006-import: `cassim import perf-sched` end to end: the fixtures of
# tests/fixtures/perf-sched/ (one ping-pong + timer scenario in three perf
# script output forms, see tests/unit/test_import.c) become workload files
# with the expected processes, threads and ops; those files run; bad traces
# exit 2 with one FILE:LINE line on stderr and write nothing.
. "${CASSIM_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/e2e/lib.sh"
tmpdir

: "${CASSIM_DATADIR:=$CASSIM_SRCDIR}"
export CASSIM_DATADIR
# Run from the scratch directory: nothing can land in the source tree.
cd "$TMP" || bail_out "cannot cd to $TMP"

FIX=$CASSIM_SRCDIR/tests/fixtures/perf-sched
# The fixtures' scenario has a kworker in it: keep it (kernel threads are
# left out by default: checked below and in t0046-import-real)
imp() {
	"$CASSIM" import perf-sched --keep kernel "$@"
}

command -v python3 >/dev/null 2>&1 && HAVE_PY=1 || HAVE_PY=0

# jcheck DESC FILE PYEXPR: ok if the Python expression is true, with d the
# parsed JSON of FILE and, for a workload, P the processes by name, T the
# threads by name, ops(name) the op keys of a thread's program and val(name, i)
# the value of its op i.
jcheck() {
	if [ "$HAVE_PY" = 0 ]; then
		skip "$1" "python3 not found"
		return 0
	fi
	if _jc_out=$(python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
P = {p["name"]: p for p in d.get("processes", [])}
T = {t["name"]: t for p in d.get("processes", []) for t in p["threads"]}
def ops(n): return [list(o)[0] for o in T[n]["ops"]]
def val(n, i): return list(T[n]["ops"][i].values())[0]
r = eval(sys.argv[2])
if not r:
    print("false: " + sys.argv[2])
    sys.exit(1)
' "$2" "$3" 2>&1); then
		ok "$1"
	else
		not_ok "$1" "$_jc_out"
	fi
}

# ---- help -------------------------------------------------------------------
expect_exit 0 "import --help exits 0" "$CASSIM" import --help
check "import --help prints the usage" grep -q "^usage: cassim import perf-sched FILE" "$OUT"
for opt in --output --mode --group-by --keep --max-ops --name --quiet; do
	check "import --help documents $opt" grep -q -- "$opt" "$OUT"
done
expect_exit 0 "cassim --help" "$CASSIM" --help
check "cassim --help lists import" grep -Eq "^ +import " "$OUT"

# ---- the pid/tid form, replay (default) --------------------------------------
expect_exit 0 "import the pid/tid form" imp "$FIX/pingpong-tgid.txt" -o tgid.json
check "summary on stdout" grep -q "4 threads in 3 processes over 2.302 ms, 2 wake edges (2 modelled as wake/wait), mode replay, processes by tgid -> tgid.json" "$OUT"
check "no warning: its two sched_waking lines are read, not skipped" test ! -s "$ERR"
check "no temporary file left" sh -c '! ls tgid.json.tmp* >/dev/null 2>&1'
jcheck "name, duration and description" tgid.json \
	'd["name"] == "pingpong-tgid" and d["duration"] == "2302us" and "pingpong-tgid.txt" in d["description"] and "mode replay" in d["description"]'
jcheck "processes by tgid, in order of appearance" tgid.json \
	'[p["name"] for p in d["processes"]] == ["pp-1000", "tick-2000", "kworker_2_1-77"]'
jcheck "threads comm-tid, the two ping-pong threads in one process" tgid.json \
	'[t["name"] for t in P["pp-1000"]["threads"]] == ["pp-1000", "pp-1001"] and len(T) == 4'
jcheck "replay: each thread runs its history once" tgid.json \
	'all(t["loops"] == 1 for t in T.values())'
jcheck "pp-1000: 11 bursts split at their wake, 10 waits" tgid.json \
	'ops("pp-1000") == ["run", "wake", "run", "wait"] * 10 + ["run", "wake", "run"] and val("pp-1000", 0) == "20us" and val("pp-1000", 1) == "pp-1001" and val("pp-1000", 2) == "5us"'
jcheck "pp-1001: starts at 5 us, run 10 us, then waits for pp-1000" tgid.json \
	'T["pp-1001"]["start_delay"] == "5us" and ops("pp-1001")[:3] == ["run", "wait", "run"] and val("pp-1001", 0) == "10us" and val("pp-1001", 3) == "pp-1000" and len(ops("pp-1001")) == 43'
jcheck "tick-2000: timer sleeps, a preempted burst merged, nice -10" tgid.json \
	'[val("tick-2000", i) for i in range(5)] == ["200us", "798us", "200us", "788us", "200us"] and ops("tick-2000") == ["run", "sleep", "run", "sleep", "run"] and T["tick-2000"]["nice"] == -10 and T["tick-2000"]["start_delay"] == "100us"'
jcheck "wakes name existing threads" tgid.json \
	'all(list(o.values())[0] in T for t in T.values() for o in t["ops"] if "wake" in o)'
expect_exit 0 "import again" imp "$FIX/pingpong-tgid.txt" -o tgid2.json --quiet
check "same trace: identical file" cmp tgid.json tgid2.json
[ -s "$OUT" ] || [ -s "$ERR" ] && not_ok "--quiet: no summary, no warning" "$(cat "$OUT" "$ERR")" ||
	ok "--quiet: no summary, no warning"

# ---- by default, kernel threads are left out ------------------------------------
expect_exit 0 "import without --keep" "$CASSIM" import perf-sched "$FIX/pingpong-tgid.txt" -o nokw.json
check "without --keep: the kworker is left out, the summary says so" grep -q \
	"3 threads in 2 processes (left out: 1 kernel thread, 0 threads of recording tools) over 2.302 ms, 2 wake edges" "$OUT"
jcheck "without --keep: no kworker process" nokw.json \
	'[p["name"] for p in d["processes"]] == ["pp-1000", "tick-2000"]'
jcheck "without --keep: the other programs unchanged" nokw.json \
	'd["processes"] == json.load(open("tgid.json"))["processes"][:2]'

# ---- the default form (tid only) and the sched plugin's text ------------------
expect_exit 0 "import the default form" imp "$FIX/pingpong.txt" -o tid.json
check "default form: processes by fork" grep -q "processes by fork" "$OUT"
jcheck "default form: the forked thread joins its parent's process" tid.json \
	'[p["name"] for p in d["processes"]] == ["pp-1000", "tick-2000", "kworker_2_1-77"] and [t["name"] for t in P["pp-1000"]["threads"]] == ["pp-1000", "pp-1001"]'
jcheck "default form: the same programs as the pid/tid form" tid.json \
	'd["processes"] == json.load(open("tgid.json"))["processes"]'
expect_exit 0 "import the sched plugin form" imp "$FIX/pingpong-plugin.txt" -o plugin.json --quiet
jcheck "plugin form: the same programs" plugin.json \
	'd["processes"] == json.load(open("tgid.json"))["processes"]'
expect_exit 0 "--group-by comm" imp "$FIX/pingpong-tgid.txt" -o comm.json --group-by comm --quiet
jcheck "--group-by comm: processes named by comm" comm.json \
	'[p["name"] for p in d["processes"]] == ["pp", "tick", "kworker_2_1"] and len(P["pp"]["threads"]) == 2'
expect_exit 0 "--name" imp "$FIX/pingpong-tgid.txt" -o named.json --name mytrace --quiet
jcheck "--name sets the workload name" named.json 'd["name"] == "mytrace"'

# ---- -o - and --max-ops ----------------------------------------------------------
expect_exit 0 "-o - writes to standard output" imp "$FIX/pingpong-tgid.txt" -o -
check "-o -: the document on stdout" cmp "$OUT" tgid.json
check "-o -: the summary on stderr" grep -q "4 threads in 3 processes" "$ERR"
expect_exit 0 "--max-ops 5" imp "$FIX/pingpong-tgid.txt" -o max.json --max-ops 5
check "--max-ops: a warning names the cut threads" grep -q "2 threads cut at --max-ops ops" "$ERR"
jcheck "--max-ops 5: at most 5 ops per thread" max.json \
	'max(len(t["ops"]) for t in T.values()) == 5 and ops("tick-2000") == ["run", "sleep", "run", "sleep", "run"]'

# ---- fit ----------------------------------------------------------------------------
expect_exit 0 "--mode fit" imp "$FIX/pingpong.txt" -o fit.json --mode fit --quiet
jcheck "fit: description says so" fit.json '"mode fit" in d["description"]'
jcheck "fit: pp-1000 loops run 25 us, wakes pp-1001, waits" fit.json \
	'T["pp-1000"]["loops"] == -1 and T["pp-1000"]["ops"] == [{"run": "25us"}, {"wake": "pp-1001"}, {"wait": True}]'
jcheck "fit: pp-1001 exited: 12 loops of a lognormal run" fit.json \
	'T["pp-1001"]["loops"] == 12 and T["pp-1001"]["ops"][0]["run"] == {"dist": "lognormal", "mean": "23750ns", "stddev": "4146ns"} and ops("pp-1001") == ["run", "wake", "wait"]'
jcheck "fit: tick-2000 runs 200 us, sleeps lognormal 793 us" fit.json \
	'T["tick-2000"]["ops"] == [{"run": "200us"}, {"sleep": {"dist": "lognormal", "mean": "793us", "stddev": "5us"}}]'

# ---- the imported workloads run ----------------------------------------------------
for f in tgid.json fit.json comm.json max.json; do
	expect_exit 0 "run the imported $f" "$CASSIM" run --workload "$f" --duration 100ms --quiet --json "run-$f"
	jcheck "run of $f: every process did work" "run-$f" \
		'len(d["results"]["processes"]) >= 3 and all(p["work_ns"] > 0 for p in d["results"]["processes"])'
done

# ---- bad input: exit 2, one line FILE:LINE, nothing written ---------------------------
# bad DESC ERE ARGS...: `cassim import ARGS -o out.json` exits 2 with one
# stderr line matching ERE and leaves out.json as it was (absent).
bad() {
	_b_desc=$1
	_b_re=$2
	shift 2
	rm -f out.json out.json.tmp*
	expect_exit 2 "$_b_desc: exit 2" "$CASSIM" import "$@" -o out.json
	expect_one_line_stderr "$_b_desc: one line on stderr" "^cassim: error: $_b_re"
	_b_left=$(ls -a | grep -E '^out\.json' | tr '\n' ' ')
	if [ -n "$_b_left" ]; then
		not_ok "$_b_desc: nothing written" "left behind: $_b_left"
	else
		ok "$_b_desc: nothing written"
	fi
}
bad "a switch without next_pid" ".*/bad-switch\.txt:4: sched:sched_switch: no next_pid \(expected prev_comm=COMM " \
	perf-sched "$FIX/bad-switch.txt"
# thread ids are bounded by the kernel's PID_MAX_LIMIT (4194304) before they
# size anything: 2^31-1 crashed, 2e9 took 8 GB (found by tests/fuzz)
bad "a next_pid of 2^31-1" ".*/tid-above-pid-max\.txt:3: sched:sched_switch: bad next_pid \(expected prev_comm=COMM " \
	perf-sched "$CASSIM_SRCDIR/tests/fuzz/corpus/import/tid-above-pid-max.txt"
bad "a child_pid of 2e9" ".*/child-pid-2e9\.txt:1: sched:sched_process_fork: bad child_pid \(expected comm=COMM " \
	perf-sched "$CASSIM_SRCDIR/tests/fuzz/corpus/import/child-pid-2e9.txt"
bad "a line that is not perf script output" ".*/bad-line\.txt:4: cannot parse \"Warning: 3 out of order events recorded\.\" \(expected " \
	perf-sched "$FIX/bad-line.txt"
bad "a bad timestamp" ".*/bad-time\.txt:3: bad timestamp \"5000,000020:\" \(expected SECONDS\.FRACTION" \
	perf-sched "$FIX/bad-time.txt"
bad "no sched events" ".*/empty\.txt: no sched events in 5 lines \(expected perf script output of " \
	perf-sched "$FIX/empty.txt"
bad "a missing trace" "no-such\.txt: cannot open: No such file or directory" perf-sched no-such.txt
bad "--group-by tgid without the PID column" ".*/pingpong\.txt: --group-by tgid needs the PID/TID column" \
	perf-sched "$FIX/pingpong.txt" --group-by tgid
bad "unknown format" "import: unknown trace format 'ftrace' \(expected perf-sched\)" ftrace "$FIX/pingpong.txt"
bad "missing file argument" "import perf-sched: missing trace file" perf-sched
bad "unknown mode" "--mode exact: unknown mode \(expected replay or fit\)" perf-sched "$FIX/pingpong.txt" --mode exact
bad "unknown grouping" "--group-by pgid: unknown rule \(expected tgid, fork or comm\)" perf-sched "$FIX/pingpong.txt" --group-by pgid
bad "--max-ops 0" "--max-ops 0: expected an integer 1\\.\\." perf-sched "$FIX/pingpong.txt" --max-ops 0
bad "unknown option" "unknown option --frob" perf-sched "$FIX/pingpong.txt" --frob

echo old >keep.json
expect_exit 2 "a bad trace over an existing file: exit 2" imp "$FIX/bad-switch.txt" -o keep.json
check "the existing file is left as it was" sh -c 'test "$(cat keep.json)" = old && ! ls keep.json.tmp* >/dev/null 2>&1'

done_testing
