#!/bin/sh
# t0019-revisions-plans: the sweep plans of papers/revisions stay valid.
# `make -C papers/revisions dry-run` runs `cassim sweep PLAN --dry-run` on
# every plan: it parses the plan and checks one job of every distinct
# topology, workload (with its parameters), policy and --set value as
# `cassim run` would, so a renamed tunable, policy, workload parameter or
# topology makes it exit 2.  It must exit 0 and count the jobs of every
# plan; plans broken on purpose must exit 2.  Runs no study (a dry-run
# times 100 ms of one job per topology and workload): 10-40 s on 2 cores.
. "${CASSIM_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/e2e/lib.sh"
tmpdir
: "${CASSIM_DATADIR:=$CASSIM_SRCDIR}"
export CASSIM_DATADIR
cd "$TMP" || bail_out "cannot cd to $TMP"
PAPER=$CASSIM_SRCDIR/papers/revisions
[ -d "$PAPER/plans" ] || bail_out "no $PAPER/plans"
command -v make >/dev/null 2>&1 || bail_out "make not found"

plans=$(cd "$PAPER" && ls plans/*.json)
check "papers/revisions has the five studies' plans" test "$(echo "$plans" | wc -l)" -ge 5

expect_exit 0 "make -C papers/revisions dry-run exits 0" \
	make -s -C "$PAPER" dry-run CASSIM="$CASSIM" WORK="$TMP/work"
for p in $plans; do
	check "$p: the dry-run counts its jobs" grep -q "^plan $p: [1-9][0-9]* jobs" "$OUT"
done
check "the dry-run wrote no result directory" test ! -e "$TMP/work/dry-run"

# broken on purpose: an unknown policy, a misspelt tunable
sed 's/"cas-v4"/"cas-v5"/' "$PAPER/plans/revisions.json" > bad-policy.json
expect_exit 2 "a plan naming an unknown policy exits 2" \
	"$CASSIM" sweep bad-policy.json --dry-run --out "$TMP/bad1"
sed 's/"overaggr_pct"/"overaggr_pc"/g' "$PAPER/plans/tunables.json" > bad-tunable.json
expect_exit 2 "a plan with a misspelt tunable exits 2" \
	"$CASSIM" sweep bad-tunable.json --dry-run --out "$TMP/bad2"
done_testing
