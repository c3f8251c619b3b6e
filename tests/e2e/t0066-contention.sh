#!/bin/sh
# t0066-contention: contention where threads meet.
#  - pipe->mutex (fs/pipe.c, kernel/locking/mutex.c): thread-mode pipe
#    hackbench (10 groups of 20 senders writing to 20 receivers' pipes)
#    contends on each receiver's pipe mutex: waiters spin while the owner
#    runs, sleep when it was preempted, and the first waiter that lost the
#    mutex to a spinner gets it handed over; pipe_mutex=0 removes the mutex.
#  - sched_balance_running (fair.c sched_balance_domains()): on a 2-node
#    machine the NUMA level (SD_SERIALIZE) is balanced by one CPU at a
#    time; CPUs whose NUMA balance falls due on the same tick skip it, no
#    other level ever does; balance_serialize=0 removes the skip.
#  - futex hash buckets (kernel/futex): chacha20-verilator's barrier
#    sleeps and wakes take their word's bucket lock, and some meet on it;
#    futex_hold_ns=0 removes it.  The barrier sleeps at once
#    (barrier_spin=0): the default spins first as Verilator's workers do,
#    and a barrier that never sleeps never enters the kernel.
. "${CASSIM_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/e2e/lib.sh"
tmpdir
cd "$TMP" || bail_out "cannot cd to $TMP"
command -v python3 >/dev/null 2>&1 && HAVE_PY=1 || HAVE_PY=0

HB="run -q -t spr-2s-1node-2llc -w hackbench --set ipc=pipe --set mode=thread --set loops=30"
expect_exit 0 "hackbench pipe threads" "$CASSIM" $HB --json hb.json --csv hb.csv
expect_exit 0 "... again" "$CASSIM" $HB --json hb2.json
check "... deterministic" cmp hb.json hb2.json
expect_exit 0 "... pipe_mutex=0" "$CASSIM" $HB --set pipe_mutex=0 --json hb0.json
check "the CSV has the mutex counters" grep -q 'pipe_mutex_handoffs' hb.csv
expect_exit 2 "pipe_mutex=2 is bad input" "$CASSIM" $HB --set pipe_mutex=2
expect_one_line_stderr "... one line naming it" 'pipe_mutex'

MIX="run -q -t epyc-milan-2node-8llc -w cpu-mix -d 3s"
expect_exit 0 "cpu-mix on 2 nodes" "$CASSIM" $MIX --json mix.json
expect_exit 0 "... balance_serialize=0" "$CASSIM" $MIX --set balance_serialize=0 --json mix0.json

CH="run -q -t spr-2s-1node-2llc -w chacha20-verilator -d 100ms --set barrier_spin=0"
expect_exit 0 "chacha20-verilator" "$CASSIM" $CH --json ch.json
expect_exit 0 "... futex_hold_ns=0" "$CASSIM" $CH --set futex_hold_ns=0 --json ch0.json

PYLIB='import json, sys
def res(f): return json.load(open(f))["results"]
def lb(f): return {l["level"]: l for l in res(f)["load_balance"]}'
if [ "$HAVE_PY" = 1 ]; then
	py "mutex: waiters spun (about 93,000 of 240,000 pipe reads and writes)" \
		'r = res("hb.json"); assert r["pipe_mutex_spins"] > 10000, r["pipe_mutex_spins"]'
	py "mutex: some slept on a preempted owner (about 100)" \
		'r = res("hb.json"); assert r["pipe_mutex_sleeps"] > 0, r["pipe_mutex_sleeps"]'
	py "mutex: handoffs to a first waiter, no more than sleeps" \
		'r = res("hb.json"); assert 0 < r["pipe_mutex_handoffs"] <= r["pipe_mutex_sleeps"], r'
	py "pipe_mutex=0: no contention counted" \
		'r = res("hb0.json"); assert r["pipe_mutex_spins"] == r["pipe_mutex_sleeps"] == r["pipe_mutex_handoffs"] == 0, r'
	py "pipe_mutex=0: hackbench finishes sooner (no spinning on the pipes)" \
		'assert res("hb0.json")["metrics"]["time"]["value"] < res("hb.json")["metrics"]["time"]["value"]'
	py "serialise: the NUMA level was skipped" \
		'l = lb("mix.json"); assert l["NUMA"]["serialize_skips"] > 0, l["NUMA"]'
	py "serialise: no other level ever is (not SD_SERIALIZE)" \
		'l = lb("mix.json"); assert all(v["serialize_skips"] == 0 for k, v in l.items() if k != "NUMA"), l'
	py "balance_serialize=0: no skips" \
		'l = lb("mix0.json"); assert all(v["serialize_skips"] == 0 for v in l.values()), l'
	py "futex: barrier sleeps and wakes took the bucket lock, some spun on it" \
		'r = res("ch.json"); assert r["futex_ops"] > 1000 and 0 < r["futex_bucket_spins"] < r["futex_ops"], r'
	py "futex: a spin waits for at most the 7 other threads ahead of it (mean <= 7 x 100 ns)" \
		'r = res("ch.json"); assert 0 < r["futex_bucket_spin_ns"] / r["futex_bucket_spins"] <= 700, r'
	py "futex_hold_ns=0: no bucket lock" \
		'r = res("ch0.json"); assert r["futex_ops"] == r["futex_bucket_spins"] == 0, r'
else
	skip "counters" "python3 not found"
fi

done_testing
