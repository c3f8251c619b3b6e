#!/bin/sh
# t0012-sweep: `cassim sweep` end to end.  sweeps/example-small.json (24
# jobs of 20 ms) runs locally; results.csv is checked by value against the
# job files and against `cassim run`; a re-run runs nothing; a sweep
# killed with SIGKILL, resumed, stopped with SIGTERM and resumed again
# gives a results.csv identical to an uninterrupted one; GNU parallel on
# --emit-jobs lines, split over two directories and merged, gives the same
# bytes; --merge refuses different plans and conflicting results and lists
# missing jobs; a job failing at run time is recorded and the sweep goes
# on; bad plans exit 2 naming the field and write nothing; the --report
# statistics agree with results.csv; a SIGKILL loses only the jobs in
# flight.  About 20 s on 2 cores.
. "${CASSIM_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/e2e/lib.sh"
tmpdir
: "${CASSIM_DATADIR:=$CASSIM_SRCDIR}"
export CASSIM_DATADIR
cd "$TMP" || bail_out "cannot cd to $TMP"
command -v python3 >/dev/null 2>&1 || bail_out "python3 not found (tools/setup.sh installs it)"
PLAN=$CASSIM_SRCDIR/sweeps/example-small.json
TOPO=spr-2s-1node-2llc

# py DESC PYTHON-BODY ARGS...: ok if the Python code (which may assert)
# exits 0; sys.argv[1:] are ARGS.
PYLIB='import json, math, sys, csv, os, glob
HEADER = ["topology", "workload", "parameters", "policy", "seed", "scope", "process", "metric", "stat",
          "unit", "value", "text"]
AXES = ("workers", "aggr_tolerance")
def params(r):
    return dict(kv.split("=", 1) for kv in r["parameters"].split(";") if kv)
# tidy(PATH): the rows of a tidy CSV, each with its parameters as keys ("" where absent)
def tidy(path):
    rows = list(csv.DictReader(open(path)))
    for r in rows:
        p = params(r)
        r.update({a: p.get(a, "") for a in AXES})
    return rows
# cells(PATH): a --report-csv pivoted to one dict per cell, a key per stat
def cells(path):
    out, at = [], {}
    for r in tidy(path):
        k = (r["topology"], r["workload"], r["parameters"], r["policy"])
        if k not in at:
            at[k] = dict(r)
            out.append(at[k])
        at[k][r["stat"]] = r["value"] if r["stat"] not in ("mark", "better", "verdict") else r["text"]
    return out
# the job file of a results.csv row (its spec: topology, workload, policy, seed, params and set)
def job_of(r):
    for f in glob.glob("local/jobs/*.json"):
        d = json.load(open(f))
        s = d["spec"]
        if (s["topology"], s["workload"], s["policy"], str(s["seed"])) == (r["topology"], r["workload"], r["policy"], r["seed"]) \
           and {**s["params"], **s["set"]} == params(r):
            return d
    raise SystemExit("no job file for %r" % r)'

# absent DESC PATH: ok if PATH does not exist.
absent() {
	if [ -e "$2" ]; then not_ok "$1" "$2 exists"; else ok "$1"; fi
}

# ---- a local sweep ----------------------------------------------------------
expect_exit 0 "--dry-run" "$CASSIM" sweep "$PLAN" --out dry --dry-run
check "--dry-run: 24 jobs, 3 filtered out" grep -q "^plan .*: 24 jobs (3 combinations filtered out)$" "$OUT"
check "--dry-run: the CAS tunable is cas-v4's only" grep -Eq "^  aggr_tolerance +2  1, 4  \(--set; cas-v4 only\)$" "$OUT"
check "--dry-run: seeds and an estimate" sh -c "grep -Eq '^  seeds +3  1 .. 3$' '$OUT' && grep -q '^estimate: ' '$OUT'"
absent "--dry-run writes nothing" dry

expect_exit 0 "sweep on 2 workers" "$CASSIM" sweep "$PLAN" --out local --jobs 2
cp "$ERR" progress.txt
check "summary line" grep -q "^24 jobs: 24 run now, 0 done before, 0 failed; wrote local/results.csv$" "$OUT"
check "progress lines on stderr (not a terminal)" grep -q "^sweep: 24/24 runs, .* elapsed, done$" progress.txt
check "plan.json, jobs/ and results.csv, nothing else" \
	sh -c '[ "$(ls -A local | tr "\n" " ")" = "jobs plan.json results.csv " ]'
py "24 job files, each {id, spec, result}, named by id" '
names = sorted(os.listdir("local/jobs"))
assert len(names) == 24 and all(n.endswith(".json") and len(n) == 17 for n in names), names
for n in names:
    d = json.load(open("local/jobs/" + n))
    assert d["id"] + ".json" == n and set(d) == {"id", "spec", "result"}, n
    assert d["spec"]["duration"] == 20000000 and d["result"]["config"]["seed"] == d["spec"]["seed"], n
'
py "results.csv: header, job order, no parameter where an axis does not apply" '
rows = list(csv.reader(open("local/results.csv")))
assert rows[0] == HEADER, rows[0]
rows = tidy("local/results.csv")
jobs = []
for r in rows:
    k = [r["topology"], r["workload"], r["policy"], r["seed"], r["workers"], r["aggr_tolerance"]]
    if not jobs or jobs[-1] != k:
        jobs.append(k)
assert all(r["stat"] == "value" and r["process"] == "" for r in rows)
want = []
for wl, workers in (("schbench", "2"), ("schbench", "4"), ("pingpong", "")):
    for pol, tols in (("cfs", [""]), ("cas-v4", ["1"] if wl == "pingpong" else ["1", "4"])):
        for tol in tols:
            for seed in "123":
                want.append(["spr-2s-1node-2llc", wl, pol, seed, workers, tol])
assert jobs == want, jobs
'
py "results.csv values are the job files values (rps, latency p99, cpu_util_mean, migrations)" '
rows = tidy("local/results.csv")
n = 0
res = None
for r in rows:
    if res is None or res[0] != r["parameters"] + r["workload"] + r["policy"] + r["seed"]:
        res = (r["parameters"] + r["workload"] + r["policy"] + r["seed"], job_of(r)["result"]["results"])
    m = r["metric"]
    if m == "rps":
        want = res[1]["metrics"]["rps"]["value"]
    elif m == "request_latency_p99":
        want = res[1]["metrics"]["request_latency"]["p99"]
    elif m == "cpu_util_mean":
        want = res[1]["cpu_util"]["mean"]
    elif m == "migrations_xllc":
        want = res[1]["total"]["migrations"]["xllc"]
    else:
        continue
    assert float(r["value"]) == want, (r, want)
    n += 1
assert n == 18 * 4 + 6 * 2, n
'
expect_exit 0 "cassim run of one job (schbench workers=4, cas-v4, aggr_tolerance=4, seed 2)" \
	"$CASSIM" run -q --topology "$TOPO" --workload schbench --policy cas-v4 --set workers=4 \
	--set aggr_tolerance=4 --seed 2 --duration 20ms --json run.json
py "the sweep's row of that job = cassim run" '
r = json.load(open("run.json"))["results"]
rows = [x for x in tidy("local/results.csv") if x["workers"] == "4" and
        x["policy"] == "cas-v4" and x["aggr_tolerance"] == "4" and x["seed"] == "2"]
vals = {x["metric"]: float(x["value"]) for x in rows if x["value"]}
assert vals["rps"] == r["metrics"]["rps"]["value"], vals["rps"]
assert vals["wakeup_latency_p99"] == r["metrics"]["wakeup_latency"]["p99"]
assert vals["cpu_util_mean"] == r["cpu_util"]["mean"]
'

# ---- resume: nothing runs again ---------------------------------------------
touch marker
expect_exit 0 "re-run" "$CASSIM" sweep "$PLAN" --out local --jobs 2
check "re-run: every job was done before" grep -q "^24 jobs: 0 run now, 24 done before, 0 failed" "$OUT"
check "re-run: no job file rewritten" sh -c '[ -z "$(find local/jobs -newer marker)" ]'
check "re-run: no progress line (nothing ran)" test ! -s "$ERR"
cp local/results.csv local.csv
check "re-run: results.csv byte-identical" cmp local.csv local/results.csv

# ---- SIGKILL, resume, SIGTERM, resume ---------------------------------------
cat >kill.json <<EOF
{ "topologies": ["$TOPO"],
  "workloads": [ { "workload": "wakeup-mix", "params": { "pairs": [100, 200] } } ],
  "policies": ["cfs", "cas-v4"], "set": { "aggr_tolerance": [1, 4] },
  "seeds": 4, "duration": "30ms" }
EOF
expect_exit 0 "uninterrupted reference sweep (24 heavier jobs)" "$CASSIM" sweep kill.json --out ref --jobs 2 --quiet

# run_until DIR N SIG: start the sweep of kill.json into DIR, send SIG once
# DIR/jobs holds N results, wait; the exit status in $st, done jobs in $nd.
run_until() {
	"$CASSIM" sweep kill.json --out "$1" --jobs 2 --quiet >/dev/null 2>"$1.err" &
	_pid=$!
	while kill -0 "$_pid" 2>/dev/null &&
		[ "$(ls "$1/jobs" 2>/dev/null | grep -c '\.json$')" -lt "$2" ]; do
		sleep 0.05
	done
	kill "-$3" "$_pid" 2>/dev/null
	# (the shell's "Killed" notice to /dev/null)
	if { wait "$_pid"; } 2>/dev/null; then st=0; else st=$?; fi
	nd=$(ls "$1/jobs" | grep -c '\.json$')
}
run_until killed 4 KILL
if [ "$st" -eq 137 ] && [ "$nd" -lt 24 ]; then
	ok "SIGKILL mid-sweep ($nd of 24 done)"
else
	not_ok "SIGKILL mid-sweep" "exit status $st, $nd of 24 done"
fi
py "after SIGKILL: every job file whole (parses, is its job)" '
for n in os.listdir("killed/jobs"):
    if n.endswith(".json"):
        assert json.load(open("killed/jobs/" + n))["id"] + ".json" == n, n
'
check "after SIGKILL: no results.csv yet" test ! -e killed/results.csv
before=$nd
run_until killed $((nd + 4)) TERM
if [ "$st" -eq 143 ] && [ "$nd" -lt 24 ] && [ "$nd" -gt "$before" ]; then
	ok "resumed, then SIGTERM ($before -> $nd of 24 done)"
else
	not_ok "resumed, then SIGTERM" "exit status $st, $before -> $nd of 24 done"
fi
check "SIGTERM: no temporary file left" sh -c '[ -z "$(ls -A killed/jobs | grep -v "\.json$")" ]'
check "SIGTERM: the message counts the results on disk" \
	grep -q "^cassim: interrupted after [0-9]* of [0-9]* runs; $nd of 24 results on disk in killed (a re-run resumes)$" killed.err
expect_exit 0 "resume to the end" "$CASSIM" sweep kill.json --out killed --jobs 2 --quiet
check "resume ran only the rest" grep -q "^24 jobs: $((24 - nd)) run now, $nd done before, 0 failed" "$OUT"
check "killed + resumed: results.csv byte-identical to the uninterrupted sweep" cmp ref/results.csv killed/results.csv

# ---- SIGKILL loses only the jobs in flight ------------------------------------
# Job 1 of 10 is heavy (256 threads for 2 s: seconds of wall time), the 9
# others light (milliseconds): on 2 workers, one runs job 1 while the other
# runs the 9 light ones.  Each file is written as its job finishes, before
# the progress line counts it, so a SIGKILL once the line says 9/10 leaves
# exactly the 9 light files; batches of 2 x --jobs (how the sweep ran
# before) would leave none, job 1 holding up its batch.
cat >light.json <<'EOF'
{ "name": "light", "description": "one thread, variant ${n}", "params": { "n": 1 },
  "processes": [ { "name": "p", "threads": [ { "name": "t", "count": 1, "ops": [ { "run": "1ms" }, { "sleep": "1ms" } ] } ] } ] }
EOF
cat >heavy.json <<'EOF'
{ "name": "heavy", "description": "many short sleepers",
  "processes": [ { "name": "p", "threads": [ { "name": "t", "count": 256, "ops": [ { "run": "20us" }, { "sleep": "20us" } ] } ] } ] }
EOF
cat >inflight.json <<EOF
{ "topologies": ["$TOPO"],
  "workloads": ["./heavy.json", { "workload": "./light.json", "params": { "n": [1, 2, 3, 4, 5, 6, 7, 8, 9] } }],
  "policies": ["cfs"], "seeds": 1, "duration": "2s" }
EOF
"$CASSIM" sweep inflight.json --out inflight --emit-jobs inflight.txt >/dev/null 2>&1
heavy=$(sed -n '1s/.*--only //p' inflight.txt)
"$CASSIM" sweep inflight.json --out inflight --jobs 2 >/dev/null 2>inflight.err &
pid=$!
i=0
while kill -0 "$pid" 2>/dev/null && ! grep -q "^sweep: 9/10 runs" inflight.err && [ "$i" -lt 400 ]; do
	sleep 0.05
	i=$((i + 1))
done
kill -KILL "$pid" 2>/dev/null
if { wait "$pid"; } 2>/dev/null; then st=0; else st=$?; fi
nd=$(ls inflight/jobs | grep -c '\.json$')
said=$(sed -n 's|^sweep: \([0-9]*\)/10 runs.*|\1|p' inflight.err | tail -n 1)
if [ "$st" -eq 137 ] && [ "$nd" -eq 9 ] && [ "$said" = 9 ]; then
	ok "SIGKILL while job 1 runs: the 9 finished jobs are on disk, as the progress line said"
else
	not_ok "SIGKILL while job 1 runs" "exit status $st, $nd job files, progress said '${said:-nothing}'"
fi
check "... job 1 (in flight) left no file" test -n "$heavy" -a ! -e "inflight/jobs/$heavy.json"
check "... and nothing else (no temporary file, no .error)" sh -c '[ "$(ls -A inflight/jobs | wc -l)" -eq 9 ]'

# ---- GNU parallel, two directories, merge ------------------------------------
expect_exit 0 "--emit-jobs and --emit-slurm" "$CASSIM" sweep "$PLAN" --out pa --emit-jobs jobs.txt --emit-slurm slurm.sh
check "--emit-jobs: 24 lines" sh -c '[ "$(wc -l <jobs.txt)" -eq 24 ]'
check "--emit-jobs: self-contained lines (absolute cassim, plan, --only ID)" \
	grep -Eq "^cd '/.*' && '/.*cassim' sweep '/.*/pa/plan.json' --out '/.*/pa' --quiet --only [0-9a-f]{12}$" jobs.txt
check "--emit-jobs: only the plan (and the Slurm task list) is written" \
	sh -c '[ "$(ls -A pa | tr "\n" " ")" = "jobs plan.json slurm " ] && [ -z "$(ls -A pa/jobs)" ] && [ "$(ls -A pa/slurm)" = tasks-1.txt ]'
check "--emit-slurm: a job array over the 24 jobs of pa/slurm/tasks-1.txt" \
	sh -c "grep -qx '#SBATCH --array=0-23%100' slurm.sh && grep -q \"^TASKS='/.*/pa/slurm/tasks-1.txt'\$\" slurm.sh"
expect_exit 0 "--emit-slurm DIR/: the script goes into the directory" \
	"$CASSIM" sweep "$PLAN" --out pa --emit-slurm slurmdir/
check "... slurmdir/cassim-sweep.sbatch, the same script but its name" \
	sh -c "grep -v '^# directory is emitted again' slurm.sh >a && grep -v '^# directory is emitted again' slurmdir/cassim-sweep.sbatch | cmp - a"
check "... and no jobs file without --emit-jobs" test ! -e pa/jobs.txt
expect_exit 0 "the Slurm script runs task 5 (line 6)" env SLURM_ARRAY_TASK_ID=5 sh slurm.sh
id6=$(sed -n '6s/.*--only //p' jobs.txt)
check "... which wrote that job's file only" sh -c "[ \"\$(ls pa/jobs)\" = '$id6.json' ]"
rm -f "pa/jobs/$id6.json"
# the first 14 lines into pa, the other 10 into pb (a copy of the directory)
cp -r pa pb
head -n 14 jobs.txt >first.txt
tail -n 10 jobs.txt | sed "s|/pa'|/pb'|g; s|/pa/plan.json'|/pb/plan.json'|" >rest.txt
if command -v parallel >/dev/null 2>&1; then
	check "parallel -j2 < first half (into pa)" parallel -j2 --halt now,fail=1 <first.txt
	check "parallel -j2 < second half (into pb)" parallel -j2 --halt now,fail=1 <rest.txt
else
	skip "parallel -j2 < first half (into pa)" "GNU parallel not installed"
	skip "parallel -j2 < second half (into pb)" "GNU parallel not installed"
	sh first.txt && sh rest.txt
fi
check "14 and 10 job files" sh -c '[ "$(ls pa/jobs | wc -l)" -eq 14 ] && [ "$(ls pb/jobs | wc -l)" -eq 10 ]'
expect_exit 1 "--merge of pa alone: exit 1" "$CASSIM" sweep --merge half pa
py "... lists the 10 missing jobs: the ids of the other half" '
import re
err = open(sys.argv[1]).read()
listed = re.findall(r"^  ([0-9a-f]{12})  #[0-9]+  ", err, re.M)
want = [l.split("--only ")[1].strip() for l in open("rest.txt")]
assert sorted(listed) == sorted(want), (listed, want)
assert "10 of 24 jobs missing" in err, err
' "$ERR"
expect_exit 0 "--merge pa pb" "$CASSIM" sweep --merge merged pa pb
check "merged results.csv byte-identical to the local sweep's" cmp local.csv merged/results.csv
check "merged plan.json identical" cmp local/plan.json merged/plan.json
expect_exit 0 "--merge again into the same directory (idempotent)" "$CASSIM" sweep --merge merged pa pb
check "... still identical" cmp local.csv merged/results.csv
expect_exit 0 "a plain re-run completes pa" "$CASSIM" sweep "$PLAN" --out pa --jobs 2 --quiet
check "... 10 run now, 14 done before" grep -q "^24 jobs: 10 run now, 14 done before" "$OUT"

# conflicts: another plan; another result for one job
mkdir other && cp -r local/jobs other/ && sed 's/"seeds": 3/"seeds": 2/' local/plan.json >other/plan.json
expect_exit 2 "--merge of two plans: exit 2" "$CASSIM" sweep --merge conflict local other
expect_one_line_stderr "... naming the plan" "other/plan.json holds another plan"
absent "... nothing written" conflict
cp -r local tampered
f=$(ls tampered/jobs | head -n 1)
python3 -c "
import json, sys
d = json.load(open(sys.argv[1]))
d['result']['results']['cpu_util']['mean'] += 1
open(sys.argv[1], 'w').write(json.dumps(d))" "tampered/jobs/$f"
expect_exit 2 "--merge of different results of one job: exit 2" "$CASSIM" sweep --merge conflict local tampered
expect_one_line_stderr "... naming the job" "job ${f%.json} .*hold different results"
absent "... nothing written" conflict

# ---- a job failing at run time --------------------------------------------------
# n=x is fine for wa (a label) but not for wb (a thread count); the check
# before the sweep tries each value once (on wa), so wb's n=x fails in its run.
cat >wa.json <<'EOF'
{ "name": "wa", "description": "label ${n}", "params": { "n": 1 },
  "processes": [ { "name": "p", "threads": [ { "name": "t", "count": 2, "ops": [ { "run": "1ms" }, { "sleep": "1ms" } ] } ] } ] }
EOF
sed 's/"wa", "description": "label ${n}"/"wb"/; s/"count": 2/"count": "${n}"/' wa.json >wb.json
cat >fail.json <<EOF
{ "topologies": ["$TOPO"], "workloads": ["./wa.json", "./wb.json"], "policies": ["cfs"],
  "set": { "n": ["2", "x"] }, "seeds": 1, "duration": "10ms" }
EOF
expect_exit 1 "a failing job: exit 1" "$CASSIM" sweep fail.json --out failed --quiet
check "... the others ran" grep -q "^4 jobs: 4 run now, 0 done before, 1 failed" "$OUT"
check "... the failure is listed with its message" \
	grep -Eq "^  [0-9a-f]{12}  #4  \./wb\.json cfs n=x seed 1 on $TOPO: .*is not an integer" "$ERR"
check "... recorded as jobs/ID.error, 3 results" \
	sh -c '[ "$(ls failed/jobs/*.error | wc -l)" -eq 1 ] && [ "$(ls failed/jobs/*.json | wc -l)" -eq 3 ]'
expect_exit 1 "a re-run tries it again" "$CASSIM" sweep fail.json --out failed --quiet
check "... and only it" grep -q "^4 jobs: 1 run now, 3 done before, 1 failed" "$OUT"
# a job file that cannot be written (its .error path is a directory) stops
# the sweep: with --jobs 1 the jobs after it never start
sed 's/"seeds": 1/"seeds": 3/' fail.json >fail3.json
"$CASSIM" sweep fail3.json --out unwritable --emit-jobs unwritable.txt >/dev/null
id10=$(sed -n '10s/.*--only //p' unwritable.txt)
mkdir "unwritable/jobs/$id10.error"
expect_exit 1 "a job file that cannot be written: exit 1" "$CASSIM" sweep fail3.json --out unwritable --jobs 1 --quiet
expect_one_line_stderr "... naming the file" "unwritable/jobs/$id10\.error: "
check "... no job started after it (jobs 1-9 saved, 11 and 12 not run), no results.csv" \
	sh -c '[ "$(ls unwritable/jobs | grep -c "\.json$")" -eq 9 ] && [ ! -e unwritable/results.csv ]'

# ---- bad plans: exit 2, the field named, nothing written -------------------------
bad_plan() {
	printf '%s\n' "$2" >bad.json
	expect_exit 2 "bad plan ($1): exit 2" "$CASSIM" sweep bad.json --out badout
	expect_one_line_stderr "bad plan ($1): one line naming the field" "$3"
	absent "bad plan ($1): nothing written" badout
}
bad_plan "unknown key" '{"topologies": ["t"], "workloads": ["w"], "policies": ["cfs"], "seeds": 1, "sed": 1}' \
	"^cassim: error: bad.json:1:[0-9]+: sed: unknown key"
bad_plan "JSON syntax" '{"topologies": ["t"],,}' "^cassim: error: bad.json:1:[0-9]+: "
bad_plan "empty axis" '{"topologies": ["t"], "workloads": ["w"], "policies": [], "seeds": 1}' \
	"policies: expected a non-empty array"
bad_plan "wrong type" '{"topologies": ["t"], "workloads": [{"workload": "w", "params": {"n": [null]}}], "policies": ["cfs"], "seeds": 1}' \
	"bad.json:1:[0-9]+: workloads\[0\]\.params\.n\[0\]: expected a number"
bad_plan "tunable out of range" "{\"topologies\": [\"$TOPO\"], \"workloads\": [\"pingpong\"], \"policies\": [\"cfs\", \"cas-v4\"], \"seeds\": 1, \"set\": {\"aggr_tolerance\": [1, 5000]}}" \
	"cas-v4 aggr_tolerance=5000 .*out of range"
bad_plan "unknown topology" '{"topologies": ["nosuch"], "workloads": ["pingpong"], "policies": ["cfs"], "seeds": 1}' \
	"nosuch: unknown topology"
bad_plan "filter matching nothing" "{\"topologies\": [\"$TOPO\"], \"workloads\": [\"pingpong\"], \"policies\": [\"cfs\"], \"seeds\": 1, \"filters\": {\"exclude\": [{\"seed\": 2}]}}" \
	"filters\.exclude\[0\]: matches no job"
expect_exit 2 "a directory of another plan is refused" "$CASSIM" sweep kill.json --out local
expect_one_line_stderr "... naming it" "local/plan.json holds another plan"

# ---- the report ---------------------------------------------------------------
expect_exit 0 "--report --metric rps --report-csv" "$CASSIM" sweep --report local --metric rps --report-csv rep.csv
cp "$OUT" table.txt
py "report CSV: means and % change computed from results.csv" '
res = [r for r in tidy("local/results.csv") if r["metric"] == "rps"]
assert next(csv.reader(open("rep.csv"))) == HEADER
assert all(r["seed"] == "" for r in tidy("rep.csv"))
rep = cells("rep.csv")
assert rep and all(r["metric"] == "rps" and r["better"] == "higher" and r["scope"] == "bench" for r in rep)
def mean(xs): return sum(xs) / len(xs)
# rows: workers x aggr_tolerance; cfs (no tolerance) in every row
assert [(r["workers"], r["aggr_tolerance"], r["policy"]) for r in rep] == [
    (w, t, p) for w in ("2", "4") for t in ("1", "4") for p in ("cfs", "cas-v4")], rep
for r in rep:
    xs = [float(x["value"]) for x in res if x["workers"] == r["workers"] and x["policy"] == r["policy"]
          and x["aggr_tolerance"] in ("", r["aggr_tolerance"]) and (r["policy"] == "cfs" or x["aggr_tolerance"] == r["aggr_tolerance"])]
    assert len(xs) == 3 and int(r["n"]) == 3, (r, xs)
    assert abs(float(r["mean"]) - mean(xs)) <= 1e-9 * abs(mean(xs)), (r["mean"], mean(xs))
    if r["policy"] == "cas-v4":
        base = [b for b in rep if b["policy"] == "cfs" and b["workers"] == r["workers"] and b["aggr_tolerance"] == r["aggr_tolerance"]][0]
        pct = (float(r["mean"]) - float(base["mean"])) / abs(float(base["mean"])) * 100
        assert abs(float(r["change_pct"]) - pct) < 1e-9, (r["change_pct"], pct)
        assert r["p_holm"] == "" or float(r["p_holm"]) >= float(r["p"]), r
'
py "report table: the same means, one row per parameter combination" '
rep = cells("rep.csv")
lines = open("table.txt").read().split("\n")
i = lines.index("schbench on spr-2s-1node-2llc: rps (requests/s, higher is better)")
assert lines[i + 1].split() == ["workers", "aggr_tolerance", "cfs", "cas-v4"], lines[i + 1]
for k in range(4):
    f = lines[i + 2 + k].split()
    r = [x for x in rep if x["workers"] == f[0] and x["aggr_tolerance"] == f[1]]
    assert float(f[2]) == float("%.6g" % float(r[0]["mean"])), (f, r[0]["mean"])
    assert float(f[3]) == float("%.6g" % float(r[1]["mean"])), (f, r[1]["mean"])
    assert f[4].startswith("(") and f[5].endswith("%)"), f
assert "pingpong on spr-2s-1node-2llc: rps" not in lines  # pingpong has no rps
assert not any(l != l.rstrip() for l in lines), "trailing blanks"
'
expect_exit 0 "--report --json --baseline cas-v4 --test paired" "$CASSIM" sweep --report local --json --baseline cas-v4 --test paired
py "--json: baseline cas-v4 first, paired test, Holm over the family" '
d = json.load(open(sys.argv[1]))
assert d["baseline"] == "cas-v4" and d["test"] == "paired"
ps = [q["p"] for r in d["rows"] for q in r["policies"][1:] if q["p"] is not None]
assert d["comparisons"] == len(ps) and d["comparisons"] > 0, (d["comparisons"], len(ps))
for r in d["rows"]:
    assert r["policies"][0]["policy"] == "cas-v4", r
    for q in r["policies"][1:]:
        if q["p"] is not None:
            assert min(1, q["p"] * 1) <= q["p_holm"] <= min(1, q["p"] * d["comparisons"]) + 1e-12, q
' "$OUT"
py "--json: a verdict per cache-aware cell (cas-v4 per workload and parameter combination), none for cfs" '
d = json.load(open(sys.argv[1]))
v = d["verdicts"]
assert v and all(x["policy"] == "cas-v4" for x in v), v
assert all(set(x) == {"topology", "workload", "params", "policy", "kind", "code", "text"} for x in v), v[0]
assert all("aggr_tolerance" in x["params"] and x["text"] for x in v), v
assert len({(x["workload"], tuple(sorted(x["params"].items()))) for x in v}) == len(v), "one per cell"
' "$OUT"
check "report table: the verdict lines under the tables, one per cache-aware cell" \
	sh -c 'n=$(grep -c "^  [a-z]* on spr-2s-1node-2llc .*aggr_tolerance=[14].*, cas-v4: [a-z]" table.txt) &&
		grep -q "^what each cache-aware policy did" table.txt && [ "$n" -ge 4 ] && ! grep -q ", cfs: " table.txt'
expect_exit 2 "--report --baseline not in the plan" "$CASSIM" sweep --report local --baseline cas-v3
expect_one_line_stderr "... one line" "not a policy of"
expect_exit 2 "--report --metric unknown" "$CASSIM" sweep --report local --metric nosuch
expect_one_line_stderr "... one line" "--metric nosuch"
expect_exit 2 "--report --metric mistyped" "$CASSIM" sweep --report local --metric rpz
expect_one_line_stderr "... did you mean the metric the jobs report" "--metric rpz: no job of .* reports it, did you mean rps\\? "

done_testing
