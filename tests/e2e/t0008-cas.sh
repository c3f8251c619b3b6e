#!/bin/sh
# t0008-cas: the Cache Aware Scheduling revisions end to end.  `cassim
# policies` lists them with their features and tunables; each revision runs;
# revision knobs are set by their own names; on spr-2s-1node-2llc a one-group
# thread-mode hackbench aggregates into one LLC under cas-v3 / cas-merged and
# not under cfs; too many running threads stop cas-merged (thread gate);
# single-threaded processes get no preference and process-mode hackbench is
# identical to cfs; the scan visits the CPUs §2.12 says and costs CPU time;
# LLC ids are freed and reused across hotplug (v4) or static (v3); the
# memory gates trip on large footprints (RSS; NUMA faults only with NUMA
# balancing).
. "${CASSIM_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/e2e/lib.sh"
tmpdir
: "${CASSIM_DATADIR:=$CASSIM_SRCDIR}"
export CASSIM_DATADIR
cd "$TMP" || bail_out "cannot cd to $TMP"
command -v python3 >/dev/null 2>&1 || bail_out "python3 not found (tools/setup.sh installs it)"
WL=$CASSIM_SRCDIR/workloads
REVS="cas-rfc cas-rfc-v2 cas-rfc-v3 cas-rfc-v4 cas-v1 cas-v2 cas-v3 cas-v4 cas-merged"

# py DESC SCRIPT ARGS...: ok if the python assertion script passes.

# Helpers available to the python snippets.
PYLIB='
import json, sys
def res(f): return json.load(open(f))["results"]
def pol(f, scope="total"): return res(f)["policy"][scope]
def llc_share(f, llcs):
    u = res(f)["cpu_util"]["per_cpu"]
    s = [sum(u[c] for c in l) for l in llcs]
    return max(s) / sum(s)
SPR = [list(range(0, 30)) + list(range(60, 90)), list(range(30, 60)) + list(range(90, 120))]
'

# ---- cassim policies ----------------------------------------------------------
expect_exit 0 "policies lists cfs and nine revisions" "$CASSIM" policies
py "policies: one line per policy, in revision order" "$PYLIB"'
names = [l.split()[0] for l in open(sys.argv[1]) if l.strip() and not l.startswith("cassim")]
assert names[:10] == ["cfs"] + sys.argv[2].split(), names
' "$OUT" "$REVS"
expect_exit 0 "policies cas-merged shows features and tunables" "$CASSIM" policies cas-merged
check "cas-merged: overaggr_pct default 50" grep -Eq "overaggr_pct +default 50, range" "$OUT"
check "cas-merged: thread gate feature fits-80" grep -Eq "thread_gate +fits-80" "$OUT"
expect_exit 0 "policies cas-v1" "$CASSIM" policies cas-v1
check "cas-v1: llc_overload_pct" grep -Eq "llc_overload_pct +default 50" "$OUT"
expect_exit 0 "policies cas-rfc-v4" "$CASSIM" policies cas-rfc-v4
check "cas-rfc-v4: sched_cache_ignore_rss and SCHED_CACHE_WAKE" \
	sh -c "grep -Eq 'sched_cache_ignore_rss +default 1' '$OUT' && grep -Eq 'SCHED_CACHE_WAKE +default 0' '$OUT'"
expect_exit 0 "policies --json" "$CASSIM" policies --json
py "policies --json: every revision with features and tunables" "$PYLIB"'
d = json.load(open(sys.argv[1]))
by = {p["name"]: p for p in d}
for n in sys.argv[2].split():
    p = by[n]
    assert p["features"] and p["tunables"], n
    assert all({"name", "default", "min", "max", "help"} <= set(t) for t in p["tunables"]), n
assert by["cas-v4"]["features"]["llc_ids"] == "bitmask"
assert by["cfs"]["tunables"] == []
' "$OUT" "$REVS"
expect_exit 2 "policies: unknown name is a usage error" "$CASSIM" policies cas-v9
expect_one_line_stderr "policies: unknown name, one line" "cas-v9"

# ---- each revision runs; its own knob names ----------------------------------
for p in $REVS; do
	expect_exit 0 "$p runs hotplug-demo" "$CASSIM" run -q -t spr-2s-1node-2llc -w hotplug-demo \
		-p "$p" --duration 60ms --json "run-$p.json"
done
py "every revision is active on a 2-LLC machine and reports its observations" "$PYLIB"'
for n in sys.argv[1].split():
    t = pol("run-%s.json" % n)
    assert t["active"] == 1 and "pref_switches" in t and "gate_trips_threads" in t, n
' "$REVS"
expect_exit 0 "cas-v1 --set llc_overload_pct=30" "$CASSIM" run -q -t spr-2s-1node-2llc -w hotplug-demo \
	-p cas-v1 --set llc_overload_pct=30 --set switch_2x=0 --duration 20ms --json v1set.json
py "the revision knob and a switch are echoed in the configuration" "$PYLIB"'
c = json.load(open("v1set.json"))["config"]["policy_params"]
assert c["llc_overload_pct"] == 30 and c["switch_2x"] is False and c["llc_imb_pct"] == 20, c
'
expect_exit 2 "cas-v1 has no overaggr_pct (v4 name)" "$CASSIM" run -q -p cas-v1 --set overaggr_pct=30 \
	-w hotplug-demo --duration 10ms

# ---- hackbench thread mode: aggregation into one LLC -------------------------
HB="-t spr-2s-1node-2llc -w hackbench --set groups=1 --set fds=10 --set mode=thread --set ipc=pipe"
# shellcheck disable=SC2086
"$CASSIM" run -q $HB --set loops=100000 -p cfs --json hb-cfs.json
# cfs with WF_SYNC either collapses the group into one LLC or settles at
# about 0.58 of it, depending on the seed's early wakeups: three more seeds
for seed in 2 3 4; do
	# shellcheck disable=SC2086
	"$CASSIM" run -q $HB --set loops=100000 -p cfs --seed $seed --json hb-cfs-s$seed.json
done
# shellcheck disable=SC2086
"$CASSIM" run -q $HB --set loops=300000 -p cas-v3 --json hb-v3.json
# (300,000 loops: about 2.8 s simulated, aggregated within the first
# second; 700,000 before the pipe mutex doubled hackbench's events)
# the same without WF_SYNC (an ablation): pipe wakeups are then not sync, so
# wake_affine() does not pull the wakees to the waker and cfs spreads them
# shellcheck disable=SC2086
"$CASSIM" run -q $HB --set loops=100000 -p cfs --set wake_sync=0 --json hb-cfs-nosync.json
# shellcheck disable=SC2086
"$CASSIM" run -q $HB --set loops=300000 -p cas-v3 --set wake_sync=0 --json hb-v3-nosync.json
py "hackbench 1 group thread/pipe: with WF_SYNC cfs keeps more of its runtime in one LLC than without (mean of 4 seeds)" "$PYLIB"'
a = [llc_share(f, SPR) for f in ("hb-cfs.json", "hb-cfs-s2.json", "hb-cfs-s3.json", "hb-cfs-s4.json")]
b = llc_share("hb-cfs-nosync.json", SPR)
assert sum(a) / len(a) > b + 0.2 and max(a) > 0.9, (a, b)
'
py "hackbench 1 group thread/pipe, wake_sync=0: cfs keeps < 70 % of its runtime in one LLC" "$PYLIB"'
s = llc_share("hb-cfs-nosync.json", SPR); assert s < 0.7, s
'
py "hackbench 1 group thread/pipe: cas-v3 keeps >= 90 % of its runtime in one LLC" "$PYLIB"'
s = llc_share("hb-v3.json", SPR); assert s >= 0.9, s
t = pol("hb-v3.json", "hackbench")
assert abs(t["top_llc_runtime_frac"] - s) < 0.02, (t["top_llc_runtime_frac"], s)
assert t["pref_switches"] >= 1 and t["pref_llc_runtime_frac"] >= 0.9, t
'
# with WF_SYNC (Linux's pipe wakeups) wake_affine() alone keeps the group in one
# LLC, so CAS has little left to do; without the flag, where cfs spreads them,
# CAS's active balances do the aggregating (about ten)
py "cas-v3, wake_sync=0: aggregation by CAS active balances, one scan per epoch over all 120 CPUs" "$PYLIB"'
t = pol("hb-v3-nosync.json")
assert t["llc_active_migrations"] >= 5 and t["pref_llc_runtime_frac"] >= 0.9, t
assert t["scan_cpus_visited"] == 120 * t["scans"], t
dur = res("hb-v3-nosync.json")["duration_ns"] / 10e6
assert 0.5 * dur <= t["scans"] <= 1.1 * dur, (t["scans"], dur)
assert t["scan_cpu_ns"] > 0
'
# ---- the verdict: what the revision did, and why -----------------------------
py "verdict: cas-v3 on hackbench thread/pipe is aggregated, in JSON and CSV terms" "$PYLIB"'
v = json.load(open("hb-v3.json"))["results"]["verdict"]
assert v["kind"] == "aggregated" and v["code"] == 5, v
assert v["text"].startswith("aggregated: ") and "% of runtime in the preferred LLC" in v["text"], v
assert "verdict" not in json.load(open("hb-cfs.json"))["results"]
'
CH="-w chacha20-verilator --set cycles=2000 --seed 3"
# shellcheck disable=SC2086
expect_exit 0 "cas-v4 on Xeon 6 SNC3" "$CASSIM" run -t xeon6-6980p-2s-snc3 $CH -p cas-v4 --csv v4-snc3.csv
check "verdict: cas-v4 is not present on Xeon 6 SNC3 (one LLC per node), with the rule" \
	grep -qx "verdict    not present on this topology (present_rule=some-node: no NUMA node has more than one LLC)" "$OUT"
check "verdict: the CSV has its code (1: absent) and its text" grep -qx \
	"xeon6-6980p-2s-snc3,chacha20-verilator,cycles=2000,cas-v4,3,total,,policy_verdict,value,code,1,not present on this topology (present_rule=some-node: no NUMA node has more than one LLC)" \
	v4-snc3.csv
# shellcheck disable=SC2086
expect_exit 0 "cas-v4 on Turin, 6 threads" "$CASSIM" run -t epyc-9755-2s-nps1 $CH --set threads=6 -p cas-v4
check "verdict: cas-v4 on Turin is gated by memory (the RSS gate), with its trip count" \
	grep -Eqx "verdict    present, no preference \(gate: memory, [0-9]+ trips\)" "$OUT"
# os_noise=0: without background OS activity one busy CPU per LLC never runs
# two tasks, so no nohz kick comes (with the noise on, the default, the
# kernel threads kick the balancer and the threads aggregate: t0056-osnoise)
# shellcheck disable=SC2086
expect_exit 0 "cas-merged on Turin, 6 threads, no OS noise" "$CASSIM" run -t epyc-9755-2s-nps1 $CH --set threads=6 -p cas-merged --set os_noise=0
check "verdict: cas-merged on Turin sets a preference that no balance pass acts on (0 nohz kicks)" \
	grep -Eqx "verdict    preferred LLC set, not aggregated \([0-9]+ % of runtime in it; no balance pass reached it: 0 nohz kicks\)" "$OUT"
# shellcheck disable=SC2086
expect_exit 0 "cas-merged switched off" "$CASSIM" run -t epyc-9755-2s-nps1 $CH --set threads=6 -p cas-merged \
	--set enabled=0
check "verdict: switched off" grep -qx "verdict    switched off (enabled=0)" "$OUT"

# With Linux's sync pipe wakeups cfs itself keeps the pairs together (wake_affine_idle()
# pulls the wakee to a waker running alone), and cas-v3 gains little; with WF_SYNC dropped
# (the ablation) aggregation is what makes it faster.
py "cas-v3 is not slower than cfs at hackbench (per message)" "$PYLIB"'
a = res("hb-cfs.json")["metrics"]["time"]["value"] / 100000
b = res("hb-v3.json")["metrics"]["time"]["value"] / 700000
assert b <= a, (a, b)
'
py "wake_sync=0: cas-v3 finishes hackbench faster than cfs (per message)" "$PYLIB"'
a = res("hb-cfs-nosync.json")["metrics"]["time"]["value"] / 100000
b = res("hb-v3-nosync.json")["metrics"]["time"]["value"] / 700000
assert b < 0.9 * a, (a, b)
'

# ---- task_work on return from a system call ----------------------------------
# Threads that only make system calls (sends and receives into a pipe too big
# to fill: nobody ever blocks) return to user mode at the end of each call,
# where the occupancy scan queued by the tick runs: one scan per epoch.
cat >syscalls.json <<'EOF_WL'
{ "name": "syscalls", "processes": [ { "name": "p", "mode": "thread", "threads": [
  { "name": "w", "ops": [ { "send": "r", "bytes": "100B" } ], "loops": 100000000 },
  { "name": "r", "inbox": { "type": "pipe", "capacity": "1GiB" },
    "ops": [ { "recv": true, "bytes": "100B" } ], "loops": 100000000 } ] } ] }
EOF_WL
"$CASSIM" run -q -t spr-2s-1node-2llc -w syscalls.json -p cas-v3 --duration 300ms --json sys.json
py "a thread in system calls runs its queued scan when the call returns to user" "$PYLIB"'
t = pol("sys.json")
assert t["scans"] >= 0.5 * 300 / 10 * 2, t
'

# ---- too many running threads: the merged thread gate ------------------------
SP="-t spr-2s-1node-2llc -w $WL/cas-spin.json --duration 3s"
# shellcheck disable=SC2086
"$CASSIM" run -q $SP -p cas-merged --json spin36.json
# shellcheck disable=SC2086
"$CASSIM" run -q $SP -p cas-merged --set aggr_tolerance=100 --json spin36-inf.json
# shellcheck disable=SC2086
"$CASSIM" run -q $SP -p cas-merged --set threads=16 --json spin16.json
py "cas-merged: 36 running threads (> 80 % of 30 cores) are not aggregated" "$PYLIB"'
t = pol("spin36.json", "spin")
assert t["gate_trips_threads"] > 0 and t["nr_running_avg"] >= 24, t
assert llc_share("spin36.json", SPR) < 0.56, llc_share("spin36.json", SPR)
'
py "cas-merged: the same threads aggregate with aggr_tolerance=100 (gate off)" "$PYLIB"'
assert pol("spin36-inf.json", "spin")["gate_trips_threads"] == 0
assert llc_share("spin36-inf.json", SPR) > llc_share("spin36.json", SPR) + 0.05
'
py "cas-merged: 16 running threads are aggregated" "$PYLIB"'
assert pol("spin16.json", "spin")["gate_trips_threads"] == 0
assert llc_share("spin16.json", SPR) > 0.8, llc_share("spin16.json", SPR)
'

# ---- single-threaded processes: process-mode hackbench -----------------------
HP="-t spr-2s-1node-2llc -w hackbench --set groups=2 --set fds=10 --set mode=process --set ipc=pipe --set loops=20000"
for p in cfs cas-v3 cas-merged; do
	# shellcheck disable=SC2086
	"$CASSIM" run -q $HP -p $p --json "hp-$p.json"
done
py "process-mode hackbench: no process gets a preference" "$PYLIB"'
for f in ("hp-cas-v3.json", "hp-cas-merged.json"):
    t = pol(f)
    assert t["pref_switches"] == 0 and t["pref_time_ns"] == 0 and t["scans"] == 0, (f, t)
    assert set(res(f)["policy"]) == {"total"}, res(f)["policy"].keys()
'
py "process-mode hackbench: identical to cfs under cas-v3 and cas-merged" "$PYLIB"'
base = res("hp-cfs.json")
for f in ("hp-cas-v3.json", "hp-cas-merged.json"):
    r = res(f)
    assert r["metrics"]["time"]["value"] == base["metrics"]["time"]["value"], f
    assert r["events"] == base["events"] and r["total"]["migrations"] == base["total"]["migrations"], f
'

# ---- the scan set and its cost (§2.12) ---------------------------------------
NS="-t epyc-9755-2s-nps1 -w $WL/cas-spin.json --set threads=8 --duration 500ms --set numa_scan_delay_ns=20ms --set numa_scan_period_min_ns=20ms"
# shellcheck disable=SC2086
"$CASSIM" run -q $NS -p cas-v3 --json scan-v3.json
# shellcheck disable=SC2086
"$CASSIM" run -q $NS -p cas-v4 --json scan-v4.json
# shellcheck disable=SC2086
"$CASSIM" run -q $NS -p cas-v4 --set numa_balancing=0 --json scan-v4-nonuma.json
# shellcheck disable=SC2086
"$CASSIM" run -q $NS -p cas-v1 --set numa_balancing=0 --json scan-v1-nonuma.json
# shellcheck disable=SC2086
"$CASSIM" run -q $NS -p cas-v3 --no-model --json scan-v3-nomodel.json
py "scan set: v3 all 512 CPUs; v4 fewer with NUMA balancing, all without; v1 one node without" "$PYLIB"'
per = lambda f: pol(f)["scan_cpus_visited"] / pol(f)["scans"]
assert per("scan-v3.json") == 512, per("scan-v3.json")
assert 256 <= per("scan-v4.json") < 512, per("scan-v4.json")
assert per("scan-v4-nonuma.json") == 512
assert per("scan-v1-nonuma.json") == 256
'
py "scan cost: perf scan_cpu_ns per CPU visited is charged, nothing without the model" "$PYLIB"'
t = pol("scan-v3.json")
assert t["scan_cpu_ns"] > 0 and abs(t["scan_cpu_ns"] / t["scan_cpus_visited"] - round(t["scan_cpu_ns"] / t["scan_cpus_visited"])) < 1e-6
assert pol("scan-v3-nomodel.json")["scan_cpu_ns"] == 0
'

# ---- memory gates -------------------------------------------------------------
# shellcheck disable=SC2086
"$CASSIM" run -q $NS -p cas-v4 --set shared=64MiB --json mem-v4.json
# shellcheck disable=SC2086
"$CASSIM" run -q $NS -p cas-merged --set shared=256MiB --json mem-m.json
# shellcheck disable=SC2086
"$CASSIM" run -q $NS -p cas-merged --set shared=256MiB --set numa_balancing=0 --json mem-m-nonuma.json
py "memory gate: RSS 66 MiB > 32 MiB CCX trips v4; NUMA footprint trips merged, inert without NUMA balancing" "$PYLIB"'
assert pol("mem-v4.json")["gate_trips_memory"] > 0 and pol("mem-v4.json")["pref_time_ns"] == 0
assert pol("mem-m.json")["gate_trips_memory"] > 0
assert pol("mem-m-nonuma.json")["gate_trips_memory"] == 0 and pol("mem-m-nonuma.json")["pref_switches"] >= 1
'

# ---- LLC ids across hotplug (§2.13) ------------------------------------------
SYN="synthetic:pack:1 l3:2 core:4 pu:1"
"$CASSIM" run -q -t "$SYN" -w "$WL/cas-hotplug.json" -p cas-v4 --json hp-v4.json
"$CASSIM" run -q -t "$SYN" -w "$WL/cas-hotplug.json" -p cas-v3 --json hp-v3.json
py "LLC ids: v4 frees the empty LLC id and reuses it; v3 ids are static" "$PYLIB"'
a, b = pol("hp-v4.json"), pol("hp-v3.json")
assert res("hp-v4.json")["hotplug_transitions"] == 8
assert a["llc_id_frees"] == 1 and a["llc_id_allocs"] == 1 and a["llc_id_max"] == 1, a
assert b["llc_id_frees"] == 0 and b["llc_id_allocs"] == 0 and b["llc_id_max"] == 1, b
assert a["domain_rebuilds"] == 8
'

done_testing
