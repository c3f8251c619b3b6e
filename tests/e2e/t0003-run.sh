#!/bin/sh
# t0003-run: `cassim run` end to end: determinism, the JSON and CSV result
# files, the configuration echo, --set for tunables and workload parameters,
# the text summary and a run with every default.  Runs are short (100-200 ms
# of simulated time) so the script takes a few seconds.
. "${CASSIM_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/e2e/lib.sh"
tmpdir

# Shipped topologies and workloads by name, also from a VPATH build.
: "${CASSIM_DATADIR:=$CASSIM_SRCDIR}"
export CASSIM_DATADIR
# Run from the scratch directory: nothing can land in the source tree.
cd "$TMP" || bail_out "cannot cd to $TMP"

WL=$CASSIM_SRCDIR/workloads/cpu-mix.json
TOPO=epyc-9755-2s-nps1
run() {
	"$CASSIM" run --topology "$TOPO" --workload "$WL" "$@"
}

command -v python3 >/dev/null 2>&1 && HAVE_PY=1 || HAVE_PY=0

# jcheck DESC FILE PYEXPR: ok if the Python expression is true, with d the
# parsed JSON of FILE (and tunables the names from sim/sched/params.h).
jcheck() {
	if [ "$HAVE_PY" = 0 ]; then
		skip "$1" "python3 not found"
		return 0
	fi
	if _jc_out=$(python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
tunables = [l.split()[0] for l in open(sys.argv[3]) if l.strip()]
procs = {p["name"]: p for p in d["results"]["processes"]}
r = eval(sys.argv[2])
if not r:
    print("false: " + sys.argv[2])
    sys.exit(1)
' "$2" "$3" "$TMP/tunables" 2>&1); then
		ok "$1"
	else
		not_ok "$1" "$_jc_out"
	fi
}

# The tunables' one definition (name default), for the config echo checks.
sed -n 's/^[[:space:]]*X(\([a-z_0-9]*\), *PARAM_[A-Z]*, *\(-\{0,1\}[0-9.e]*\),.*/\1 \2/p' \
	"$CASSIM_SRCDIR/sim/sched/params.h" >"$TMP/tunables"

# ---- determinism ----------------------------------------------------------
expect_exit 0 "run seed 7 -> a.json" run --seed 7 --duration 200ms --json a.json
cp "$OUT" summary.txt
expect_exit 0 "run seed 7 again -> b.json" run --seed 7 --duration 200ms --json b.json
check "same inputs and seed: identical JSON" cmp a.json b.json
expect_exit 0 "run seed 8 -> c.json" run --seed 8 --duration 200ms --json c.json
if cmp -s a.json c.json; then
	not_ok "a different seed gives different results" "a.json and c.json are identical"
else
	ok "a different seed gives different results"
fi
check "no temporary files left next to the result" sh -c '! ls a.json.tmp* b.json.tmp* >/dev/null 2>&1'

# ---- the JSON file ------------------------------------------------------
jcheck "JSON has config and results" a.json '"config" in d and "results" in d'
jcheck "config echoes every scheduler tunable" a.json \
	'len(tunables) > 10 and sorted(d["config"]["sched"]) == sorted(tunables)'
jcheck "config echoes the tunables' defaults" a.json \
	'all(float(d["config"]["sched"][l.split()[0]]) == float(l.split()[1]) for l in open(sys.argv[3]) if l.strip())'
jcheck "config: hz, base_slice_ns, migration_cost_ns" a.json \
	'd["config"]["sched"]["hz"] == 1000 and d["config"]["sched"]["base_slice_ns"] == 700000 and d["config"]["sched"]["migration_cost_ns"] == 500000'
jcheck "config: workload parameters with their defaults" a.json \
	'd["config"]["workload_params"] == {"nr_hogs": "8", "hog_burst": "4ms", "nr_batch": "4", "nr_interactive": "16"}'
jcheck "config: seed 7" a.json 'd["config"]["seed"] == 7'
jcheck "config: policy cfs" a.json 'd["config"]["policy"] == "cfs"'
jcheck "config: topology and duration" a.json \
	'd["config"]["topology"] == "epyc-9755-2s-nps1" and d["config"]["duration_ns"] == 200000000'
jcheck "seed 8 is echoed as 8" c.json 'd["config"]["seed"] == 8'
jcheck "results: total work_ns > 0" a.json 'd["results"]["total"]["work_ns"] > 0'
jcheck "results: duration_ns is --duration" a.json 'd["results"]["duration_ns"] == 200000000'
jcheck "results: the four processes of cpu-mix" a.json \
	'sorted(procs) == ["batch", "daemon", "hogs", "interactive"]'
jcheck "results: default thread counts (8 hogs, 4 batch, 16 ui, 1 daemon)" a.json \
	'[procs[n]["nr_threads"] for n in ("hogs", "batch", "interactive", "daemon")] == [8, 4, 16, 1] and d["results"]["total"]["nr_threads"] == 29'
# 8 hogs each run the whole 200 ms (512 CPUs, no contention)
jcheck "results: hogs did 8 x 200 ms of work" a.json \
	'abs(procs["hogs"]["work_ns"] - 8 * 200e6) <= 8 * 4e6'
jcheck "results: work adds up" a.json \
	'abs(sum(p["work_ns"] for p in procs.values()) - d["results"]["total"]["work_ns"]) < 1'

# ---- CSV ----------------------------------------------------------------
expect_exit 0 "--csv writes a file" run --seed 7 --duration 200ms --csv a.csv --quiet
[ -s "$OUT" ] && not_ok "--quiet prints no summary" "$(head -n 3 "$OUT")" || ok "--quiet prints no summary"
check "CSV header is the tidy layout" \
	sh -c 'test "$(head -n 1 a.csv)" = "topology,workload,parameters,policy,seed,scope,process,metric,stat,unit,value,text"'
_rows=$(($(wc -l <a.csv) - 1))
[ "$_rows" -gt 10 ] && ok "CSV has rows ($_rows)" || not_ok "CSV has rows" "got $_rows"
check "CSV: every row has twelve fields" awk -F, 'NF != 12 { exit 1 }' a.csv
check "CSV: every row names the run" \
	awk -F, 'NR > 1 && !($1 == "epyc-9755-2s-nps1" && $2 == "cpu-mix" && $3 == "" && $4 == "cfs" && $5 == 7 && $9 == "value") { exit 1 }' a.csv
check "CSV: total work > 0, in ns" awk -F, '$6 == "total" && $7 == "" && $8 == "work" && $10 == "ns" && $11 > 0 { f = 1 } END { exit !f }' a.csv
check "CSV: a row per process, in scope process" \
	sh -c 'for p in hogs batch interactive daemon; do grep -q "^[^,]*,[^,]*,[^,]*,[^,]*,[^,]*,process,$p,work," a.csv || exit 1; done'
check "CSV: the JSON's values, read back exactly" python3 -c '
import csv, json, sys
rows = {(r["scope"], r["process"], r["metric"]): r for r in csv.DictReader(open("a.csv"))}
j = json.load(open("a.json"))["results"]
assert float(rows["total", "", "work"]["value"]) == j["total"]["work_ns"]
assert float(rows["process", "hogs", "work"]["value"]) == [p for p in j["processes"] if p["name"] == "hogs"][0]["work_ns"]
assert float(rows["total", "", "cpu_util_mean"]["value"]) == j["cpu_util"]["mean"]
assert rows["total", "", "cpu_util_mean"]["unit"] == "fraction"
'
expect_exit 0 "--json and --csv together" run --seed 7 --duration 200ms --json d.json --csv d.csv --quiet
check "--json with --csv: same JSON" cmp a.json d.json
check "--csv with --json: same CSV" cmp a.csv d.csv

# ---- --set --------------------------------------------------------------
expect_exit 0 "--set hz=250" run --seed 7 --duration 200ms --set hz=250 --json hz.json --quiet
jcheck "--set hz=250 is echoed" hz.json 'd["config"]["sched"]["hz"] == 250'
jcheck "--set hz=250 leaves the other tunables" hz.json \
	'd["config"]["sched"]["migration_cost_ns"] == 500000 and d["config"]["sched"]["base_slice_ns"] == 700000'
expect_exit 0 "--set a time tunable with a unit" \
	run --seed 7 --duration 200ms --set migration_cost_ns=1ms --set nohz=off --json mc.json --quiet
jcheck "--set migration_cost_ns=1ms is 1000000 ns, nohz=off is false" mc.json \
	'd["config"]["sched"]["migration_cost_ns"] == 1000000 and d["config"]["sched"]["nohz"] is False'
expect_exit 0 "--set the same key twice: the last wins" \
	run --seed 7 --duration 200ms --set hz=250 --set hz=300 --json hz2.json --quiet
jcheck "--set hz=250 --set hz=300 gives 300" hz2.json 'd["config"]["sched"]["hz"] == 300'

expect_exit 0 "--set nr_hogs=2" run --seed 7 --duration 200ms --set nr_hogs=2 --json hogs.json --quiet
jcheck "--set nr_hogs=2 is echoed" hogs.json 'd["config"]["workload_params"]["nr_hogs"] == "2"'
jcheck "--set nr_hogs=2 gives 2 hog threads, 23 in all" hogs.json \
	'procs["hogs"]["nr_threads"] == 2 and d["results"]["total"]["nr_threads"] == 23'
expect_exit 0 "--set hog_burst=1ms" run --seed 7 --duration 200ms --set hog_burst=1ms --json burst.json --quiet
jcheck "--set hog_burst=1ms: 4x the hog loops" burst.json \
	'd["config"]["workload_params"]["hog_burst"] == "1ms" and procs["hogs"]["loops_done"] >= 4 * json.load(open("a.json"))["results"]["processes"][0]["loops_done"] - 8'

# ---- text summary -------------------------------------------------------
for p in hogs batch interactive daemon; do
	check "summary names process $p" grep -Eq "^$p +[0-9]" summary.txt
done
check "summary names the topology, workload and seed" \
	sh -c 'grep -q epyc-9755-2s-nps1 summary.txt && grep -q cpu-mix summary.txt && grep -Eq "^seed +7" summary.txt'
check "summary has a total row" grep -Eq "^total +29 " summary.txt

# ---- defaults -------------------------------------------------------------
expect_exit 0 "run with default topology and workload" "$CASSIM" run --duration 100ms
check "default run prints a summary" grep -q "^hogs " "$OUT"
[ -s "$ERR" ] && not_ok "default run: nothing on stderr" "$(cat "$ERR")" || ok "default run: nothing on stderr"
expect_exit 0 "default run --json" "$CASSIM" run --duration 100ms --json def.json --quiet
jcheck "default run: seed 1, policy cfs, cpu-mix on epyc-9755-2s-nps1" def.json \
	'd["config"]["seed"] == 1 and d["config"]["policy"] == "cfs" and d["config"]["topology"] == "epyc-9755-2s-nps1" and "cpu-mix" in d["config"]["workload"]'
expect_exit 0 "shipped workload by name" "$CASSIM" run --workload pingpong --duration 100ms --quiet --json pp.json
jcheck "pingpong by name: 16 threads" pp.json 'd["results"]["total"]["nr_threads"] == 16'

# ---- elapsed "since" and loop 0 -------------------------------------------
# One thread: 1 ms, a skipped loop (0 iterations), the "warm" count, 2 ms.
# Without the machine model run times are exact: time 3 ms, 2 ms since warm;
# a counter never reached leaves the metric incomplete.
cat > since.json <<'JSON'
{ "name": "since", "params": { "skip": 0 },
  "processes": [ { "name": "p", "threads": [ { "name": "a", "loops": 1, "ops": [
    { "run": "1ms" }, { "loop": "${skip}", "ops": [ { "run": "5ms" } ] },
    { "count": "warm" }, { "run": "2ms" } ] } ] } ],
  "metrics": [ { "name": "time", "kind": "elapsed", "unit": "s" },
               { "name": "after", "kind": "elapsed", "since": "warm", "unit": "s" } ] }
JSON
expect_exit 0 "elapsed since a counter: run" "$CASSIM" run --topology "$TOPO" --workload since.json --no-model --quiet --json since-out.json
jcheck "elapsed since: time 3 ms, 2 ms after the count (loop 0 skipped)" since-out.json \
	'abs(d["results"]["metrics"]["time"]["value"] - 0.003) < 1e-6 and abs(d["results"]["metrics"]["after"]["value"] - 0.002) < 1e-6'
expect_exit 0 "elapsed since: loop 2 runs its body twice" "$CASSIM" run --topology "$TOPO" --workload since.json --no-model --quiet --set skip=2 --json since2.json
jcheck "elapsed since: time 13 ms, still 2 ms after the count" since2.json \
	'abs(d["results"]["metrics"]["time"]["value"] - 0.013) < 1e-6 and abs(d["results"]["metrics"]["after"]["value"] - 0.002) < 1e-6'

# load_balance() with every task of the busiest CPU pinned away (LBF_ALL_PINNED):
# the retry drops that CPU from the pass (fair.c for_each_cpu_and(..., env->cpus)
# in update_sg_lb_stats and find_busiest_queue); it once found the same CPU forever
expect_exit 0 "three threads pinned to CPUs 0 and 8 of two LLCs: the 200 ms run ends (no endless retry)" \
	timeout 60 "$CASSIM" run --topology "synthetic:pack:1 l3:2 core:4 pu:2" \
	--workload "$CASSIM_SRCDIR/tests/fixtures/wl-pinned-two-cpus.json" --set cpus=0,8 --json pinned.json --quiet
jcheck "... for the whole 200 ms, both allowed CPUs busy (work 390-400 ms)" pinned.json \
	'd["results"]["duration_ns"] == 200e6 and 390e6 <= d["results"]["total"]["work_ns"] <= 400e6'

done_testing
