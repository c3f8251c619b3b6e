#!/bin/sh
# t0057-cas-rules: the cache-aware rules checked against each revision's code
# (docs/policies.md "Present rule", CAS.md §2.11) and the old schbench.
#
# Present: v1 .. v4 enable CAS only when the domain above the LLC spans
# several LLCs, i.e. some NUMA node has more than one (v1 04/19, v3 17/21);
# RFC v4 only when every node has; 7.2 on any multi-LLC machine; the RFCs
# before v4 everywhere (no static key).  So on
# both Xeon 6 layouts (one LLC per node, with or without SNC3) v1 .. v4 and
# RFC v4 are "not present" and 7.2 is present; on Genoa (4 nodes x 2 LLCs)
# all are.  schbench-old (workloads/schbench-old.json): -m 1 -t 2 gives
# wakeup-latency percentiles and the hand-computed loop rate; `cassim
# validate` maps benchmark schbench-old.
. "${CASSIM_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/e2e/lib.sh"
tmpdir
: "${CASSIM_DATADIR:=$CASSIM_SRCDIR}"
export CASSIM_DATADIR
cd "$TMP" || bail_out "cannot cd to $TMP"
WL=$CASSIM_SRCDIR/workloads
RUN="-w cpu-mix -d 20ms --seed 1"

# ---- present rule ----------------------------------------------------------
for t in xeon6-6980p-2s xeon6-6980p-2s-snc3; do
	for p in cas-v1 cas-v2 cas-v3 cas-v4; do
		# shellcheck disable=SC2086
		expect_exit 0 "$p on $t" "$CASSIM" run -t $t -p $p $RUN
		check "$p on $t: not present, some-node rule" grep -qx \
			"verdict    not present on this topology (present_rule=some-node: no NUMA node has more than one LLC)" "$OUT"
	done
	# shellcheck disable=SC2086
	expect_exit 0 "cas-rfc-v4 on $t" "$CASSIM" run -t $t -p cas-rfc-v4 $RUN
	check "cas-rfc-v4 on $t: not present, all-nodes rule" grep -qx \
		"verdict    not present on this topology (present_rule=all-nodes: some NUMA node has only one LLC)" "$OUT"
	# shellcheck disable=SC2086
	expect_exit 0 "cas-merged on $t" "$CASSIM" run -t $t -p cas-merged $RUN
	check "cas-merged on $t: present" grep -Eq "^  total +present +1$" "$OUT"
done
for p in cas-rfc-v4 cas-v1 cas-v4 cas-merged; do
	# shellcheck disable=SC2086
	expect_exit 0 "$p on Genoa (2 LLCs per node)" "$CASSIM" run -t epyc-genoa-4node-2llc -p $p $RUN
	check "$p on Genoa: present" grep -Eq "^  total +present +1$" "$OUT"
done
# the 7.2 rule on LLCs of one CPU (sd_in_multi_llcs: "it does not make sense
# to aggregate to 1 CPU"): not present; v1's rule counts them
# shellcheck disable=SC2086
expect_exit 0 "cas-merged on 4 one-CPU LLCs" "$CASSIM" run -t 'synthetic:pack:1 l3:4 core:1 pu:1' -p cas-merged $RUN
check "cas-merged on one-CPU LLCs: not present" grep -Eq "^  total +present +0$" "$OUT"
# shellcheck disable=SC2086
expect_exit 0 "cas-v1 on 4 one-CPU LLCs" "$CASSIM" run -t 'synthetic:pack:1 l3:4 core:1 pu:1' -p cas-v1 $RUN
check "cas-v1 on one-CPU LLCs: present" grep -Eq "^  total +present +1$" "$OUT"
# before RFC v4 there is no static key: the RFCs run even on one LLC
for p in cas-rfc cas-rfc-v3; do
	# shellcheck disable=SC2086
	expect_exit 0 "$p on one LLC" "$CASSIM" run -t 'synthetic:pack:1 l3:1 core:4 pu:2' -p $p $RUN
	check "$p on one LLC: present (no static key)" grep -Eq "^  total +present +1$" "$OUT"
done
# shellcheck disable=SC2086
expect_exit 0 "cas-merged on one LLC" "$CASSIM" run -t 'synthetic:pack:1 l3:1 core:4 pu:2' -p cas-merged $RUN
check "cas-merged on one LLC: not present" grep -Eq "^  total +present +0$" "$OUT"
expect_exit 0 "cassim policies cas-v4" "$CASSIM" policies cas-v4
check "policies: the present rule with its reason" grep -q \
	"1 some NUMA node has several LLCs (v1 .. v4: the domain above the LLC spans more than one LLC; off with one LLC per node, e.g. Xeon 6 with or without SNC)" "$OUT"

# ---- schbench-old ----------------------------------------------------------
expect_exit 0 "schbench-old -m 1 -t 2" "$CASSIM" run -t spr-2s-1node-2llc -w "$WL/schbench-old.json" --seed 1 \
	--set message_threads=1 --set workers=2 --set runtime=2s --json sbo.json
if command -v python3 >/dev/null 2>&1; then
	# a cycle: the workers spin 30 ms after wake_all, then post; the message
	# thread spins 30 ms and sleeps U[30, 37.5) ms: 93.75 ms on average, so
	# 2 workers make 21.3 loops/s (posts while it thinks are lost: schbench
	# resets its futex to BLOCKED before xlist_wake_all)
	py "schbench-old: wakeup percentiles exist and are ordered; loop rate as computed" '
import json
m = json.load(open("sbo.json"))["results"]["metrics"]
w = m["wakeup_latency"]
assert w["samples"] >= 30, w
assert 0 < w["p50"] <= w["p90"] <= w["p99"] <= w["p99.9"], w  # bucket values: max may be below
assert w["p99.9"] < 5000, w
assert 19.5 <= m["loops"]["value"] <= 21.4, m["loops"]
assert "request_latency" not in m and "rps" not in m, sorted(m)
'
else
	skip "schbench-old metrics" "python3 not found"
fi

# ---- cassim validate maps schbench-old ------------------------------------
CSV=$CASSIM_SRCDIR/tests/fixtures/validate/schbench-old.csv
expect_exit 0 "validate --dry-run maps schbench-old" "$CASSIM" validate --dry-run --only 'sbo-m1t2,sbo-defaults' "$CSV"
check "schbench-old -m 1 -t 2 -s 30000 -c 30000 -> its parameters" grep -q \
	"message_threads=1 workers=2 sleeptime=30000us sleep_max=37500us cputime=30000us" "$OUT"
check "schbench-old defaults: -m 2 -t 16" grep -q \
	"message_threads=2 workers=16 sleeptime=30000us sleep_max=37500us cputime=30000us" "$OUT"
check "schbench-old metric: wakeup_latency.p99" grep -q "planned: schbench-old on epyc-genoa-4node-2llc, metrics.wakeup_latency.p99" "$OUT"
expect_exit 0 "validate --dry-run with a bad -s" "$CASSIM" validate --dry-run --only 'sbo-bad' "$CSV"
check "a negative sleeptime is not mapped, with the reason" grep -q "sleeptime and cputime usec >= 0" "$OUT"
expect_exit 0 "validate runs sbo-m1t2 (1 seed, scale 0.2)" "$CASSIM" validate --seeds 1 --duration-scale 0.2 \
	--only 'sbo-m1t2' --out vout "$CSV"
check "the row got a simulated value" grep -q "sbo-m1t2" vout/results.csv

done_testing
