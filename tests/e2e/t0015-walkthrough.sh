#!/bin/sh
# t0015-walkthrough: the policy module of papers/walkthrough (the example module + my_variant.patch,
# policy "my-llc-wake": my-llc-pack plus a wakeup pull into the preferred
# LLC), built by make check from the source-tree headers.  It loads, lists
# its rule and tunables, pulls at wakeup, and every pull it counts is an
# "llc_pull" instant event of --trace; the walkthrough build itself
# (make -C papers/walkthrough) builds it against the installed headers.
. "${CASSIM_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/e2e/lib.sh"
tmpdir

: "${CASSIM_DATADIR:=$CASSIM_SRCDIR}"
: "${CASSIM_BUILDDIR:=$(dirname "$CASSIM")}"
export CASSIM_DATADIR
MOD=$CASSIM_BUILDDIR/papers/walkthrough/my_variant.so
[ -f "$MOD" ] || bail_out "$MOD not built (run make check, which builds it)"
command -v python3 >/dev/null 2>&1 || bail_out "python3 not found (tools/setup.sh installs it)"
cd "$TMP" || bail_out "cannot cd to $TMP"

expect_exit 0 "policies lists my-llc-wake" "$CASSIM" --policy-module "$MOD" policies my-llc-wake
check "its wakeup rule and its tunables" sh -c 'grep -q "wakeup_pull" "$1" && grep -q "pack_max_util_pct" "$1"' sh "$OUT"

# 4 threads spread over 4 LLCs of epyc-milan-2node-8llc: the pull gathers them
# (barrier_spin=0: threads that sleep at the cycle barrier and are woken, as
# in the walkthrough; the shipped model spins there and is never woken)
RUN="run --policy my-llc-wake --topology epyc-milan-2node-8llc --workload chacha20-verilator --set threads=4 --set cycles=300 --set barrier_spin=0"
expect_exit 0 "a run with --trace and --json" "$CASSIM" --policy-module "$MOD" $RUN --quiet --json run.json --trace trace.json
check "the pulls are counted and each is an llc_pull instant event" python3 -c '
import json, sys
pulls = json.load(open("run.json"))["results"]["policy"]["total"]["wakeup_pulls"]
ev = json.load(open("trace.json"))
ev = ev["traceEvents"] if isinstance(ev, dict) else ev
n = sum(1 for e in ev if e.get("name") == "llc_pull" and e.get("ph") in ("i", "I"))
assert pulls > 0 and n == pulls, (pulls, n)
'
expect_exit 0 "pack_max_util_pct=0 (no pull into a busy LLC)" "$CASSIM" --policy-module "$MOD" $RUN --quiet \
	--set pack_max_util_pct=0 --json gate.json
check "a 0 % gate pulls less" python3 -c '
import json
r = lambda f: json.load(open(f))["results"]["policy"]["total"]["wakeup_pulls"]
assert r("gate.json") < r("run.json"), (r("gate.json"), r("run.json"))
'
expect_exit 0 "the same run again" "$CASSIM" --policy-module "$MOD" $RUN --quiet --json again.json --trace again-trace.json
check "deterministic: the same trace" cmp trace.json again-trace.json

done_testing
