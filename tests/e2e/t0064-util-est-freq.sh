#!/bin/sh
# t0064-util-est-freq: util_est and x86 frequency invariance (fair.c and
# pelt.h, aperfmperf.c / acpi/cppc.c, Linux v6.15) as the cache-aware rules
# see them.
#
# Four threads of one process run 0.5 ms in every 2 ms on two LLCs of four
# CPUs (no SMT), under RFC v2, whose valid_target_cpu() refuses to
# aggregate into an LLC at >= 25 % of its capacity once the process has as
# many threads as the LLC has CPUs.  The process's util_avg is about 25 %
# of one LLC: util_est (each task's estimate is the util_avg it last slept
# with, the peak, not the decayed average) makes the LLC look busier, so
# fewer wakeups are redirected into the preferred LLC and less of the run
# is spent there than with util_est=0.  Frequency invariance (SPR: all-core
# 3.0 GHz over the 4C turbo bin 3.8, scale 808) makes it look less busy:
# more aggregation than with freq_invariance=0 (util_est off to isolate it).
# A clock at or above the turbo bin caps the scale at 1024, and Hygon has no
# invariance at all: both give the same run as freq_invariance=0.
. "${CASSIM_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/e2e/lib.sh"
tmpdir
cd "$TMP" || bail_out "cannot cd to $TMP"
cat >duty.json <<'JSON'
{
  "name": "duty",
  "description": "t0064: four threads of one process, each running 0.5 ms in every 2 ms",
  "duration": "300ms",
  "processes": [
    { "name": "duty",
      "threads": [
        { "name": "d", "count": 4, "ops": [ { "run": "500us" }, { "sleep": "1500us" } ] }
      ] }
  ]
}
JSON
T='synthetic:pack:1 l3:2 core:4 pu:1'
# counter NAME FILE: the process total of a policy counter
counter() { awk -v n="$1" '$1 == "total" && $2 == n { print $3 }' "$2"; }
# more A B: A > B (floats)
more() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a > b) }'; }

run() { # run OUT SEED SET...
	_o=$1 _seed=$2
	shift 2
	expect_exit 0 "run $*" "$CASSIM" run -t "$T" --profile sapphire-rapids -p cas-rfc-v2 -w duty.json \
		-d 300ms --seed "$_seed" "$@"
	cp "$OUT" "$_o"
}

# ---- util_est ---------------------------------------------------------------
run ue1 1
run ue0 1 --set util_est=0
check "util_est on: fewer wake redirects into the preferred LLC" \
	more "$(counter wake_redirects ue0)" "$(counter wake_redirects ue1)"
check "util_est on: less runtime in the preferred LLC" \
	more "$(counter pref_llc_runtime_frac ue0)" "$(counter pref_llc_runtime_frac ue1)"

# ---- frequency invariance -----------------------------------------------------
# The effect is a few redirects per run and ties on some seeds, so it is
# judged on the sums over seeds 1-8 (each seed the same for both sides).
sum_fi1=0 sum_fi0=0 frac_fi1=0 frac_fi0=0
for s in 1 2 3 4 5 6 7 8; do
	run fi1-$s "$s" --set util_est=0
	run fi0-$s "$s" --set util_est=0 --set freq_invariance=0
	sum_fi1=$(awk -v a="$sum_fi1" -v b="$(counter wake_redirects fi1-$s)" 'BEGIN { print a + b }')
	sum_fi0=$(awk -v a="$sum_fi0" -v b="$(counter wake_redirects fi0-$s)" 'BEGIN { print a + b }')
	frac_fi1=$(awk -v a="$frac_fi1" -v b="$(counter pref_llc_runtime_frac fi1-$s)" 'BEGIN { print a + b }')
	frac_fi0=$(awk -v a="$frac_fi0" -v b="$(counter pref_llc_runtime_frac fi0-$s)" 'BEGIN { print a + b }')
done
cp fi0-3 fi0
check "invariant util is lower: more wake redirects into the preferred LLC (8 seeds: $sum_fi1 vs $sum_fi0)" \
	more "$sum_fi1" "$sum_fi0"
check "invariant util is lower: more runtime in the preferred LLC (8 seeds)" \
	more "$frac_fi1" "$frac_fi0"
# strip the wall-clock line before comparing runs
same() { grep -v '^events ' "$1" >"$1.x"; grep -v '^events ' "$2" >"$2.x"; cmp -s "$1.x" "$2.x"; }
run turbo 3 --set util_est=0 --set freq_ghz=3.8
check "at the 4C turbo clock the scale is 1024: the run equals freq_invariance=0" same turbo fi0
expect_exit 0 "hygon profile" "$CASSIM" run -t "$T" --profile hygon-c86 -p cas-rfc-v2 -w duty.json -d 300ms --seed 3
cp "$OUT" hy1
expect_exit 0 "hygon profile, freq_invariance=0" "$CASSIM" run -t "$T" --profile hygon-c86 -p cas-rfc-v2 \
	-w duty.json -d 300ms --seed 3 --set freq_invariance=0
check "Hygon: no frequency invariance in Linux, the switch changes nothing" same "$OUT" hy1

# ---- the profile says where the numbers come from ----------------------------
expect_exit 0 "show-model" "$CASSIM" topo spr-2s-1node-2llc --show-model
check "SPR: base 2.0 GHz" grep -Eq "^base_ghz +2 +GHz" "$OUT"
check "SPR: turbo bin 3.8 GHz" grep -Eq "^turbo_ghz +3.8 +GHz" "$OUT"
check "SPR: Intel rule with its kernel function" grep -Eq "^fi_rule +1 .*intel_set_max_freq_ratio" "$OUT"
expect_exit 0 "show-model genoa" "$CASSIM" topo epyc-genoa-4node-2llc --show-model
check "Genoa: AMD midpoint rule" grep -Eq "^fi_rule +2 .*amd_set_max_freq_ratio" "$OUT"

done_testing
