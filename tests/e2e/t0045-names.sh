#!/bin/sh
# t0045-names: names that can be found.  `cassim list topologies|workloads|
# policies|metrics` prints what the other commands take (plain, one per
# line, and --json); a mistyped topology, workload, policy, metric, list or
# --set key gets "did you mean X?"; a workload name that is no file lists the
# shipped ones; a cache-aware tunable given to cfs names the policies that
# have it; a --set value a workload rejects names the --set, not a line of
# the shipped file.  Every error: exit 2, one line.
. "${CASSIM_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/e2e/lib.sh"
: "${CASSIM_DATADIR:=$CASSIM_SRCDIR}"
: "${CASSIM_BUILDDIR:=$(dirname "$CASSIM")}"
export CASSIM_DATADIR
cd "$TMP" || bail_out "cannot cd to $TMP"
S=$CASSIM_SRCDIR
command -v python3 >/dev/null 2>&1 || bail_out "python3 not found"

# ---- cassim list ----------------------------------------------------------------
expect_exit 0 "list topologies" "$CASSIM" list topologies
(cd "$S/topologies" && ls *.xml | sed 's/\.xml$//' | LC_ALL=C sort) >want
check "list topologies: the shipped topologies/*.xml, one per line" cmp "$OUT" want
check "list topologies: includes xeon6-6980p-2s-snc3" grep -qx xeon6-6980p-2s-snc3 "$OUT"
expect_exit 0 "list workloads" "$CASSIM" list workloads
(cd "$S/workloads" && ls *.json | sed 's/\.json$//' | LC_ALL=C sort) >want
check "list workloads: the shipped workloads/*.json, one per line" cmp "$OUT" want
expect_exit 0 "list workloads --json" "$CASSIM" list workloads --json
check "list workloads --json: the same names as a JSON array" python3 -c '
import json, sys
sys.exit(json.load(open(sys.argv[1])) != open(sys.argv[2]).read().split())' "$OUT" want
expect_exit 0 "list policies" "$CASSIM" list policies
cp "$OUT" listed
"$CASSIM" policies --json >all-policies.json
check "list policies: cfs first, then the revisions" sh -c "head -n 1 listed | grep -qx cfs && grep -qx cas-v4 listed && grep -qx cas-rfc listed"
check "list policies: the same names, in the same order, as cassim policies" python3 -c '
import json
want = [p["name"] for p in json.load(open("all-policies.json"))]
got = open("listed").read().split()
assert got == want and len(got) >= 11, (got, want)
'
MY=$CASSIM_BUILDDIR/examples/policy-module/my_cas.so
if [ -f "$MY" ]; then
	expect_exit 0 "list policies with a --policy-module" "$CASSIM" --policy-module "$MY" list policies
	check "list policies: the module's policy too" grep -qx my-llc-pack "$OUT"
else
	skip "list policies with a --policy-module" "no $MY (make check builds it)"
	skip "list policies: the module's policy too" "no $MY"
fi
expect_exit 0 "list metrics of hackbench under cas-v3" "$CASSIM" list metrics -w hackbench -p cas-v3 -t spr-2s-1node-2llc
check "list metrics: the workload's, the common ones and the policy's" sh -c \
	"grep -qx time '$OUT' && grep -qx time_after_warmup '$OUT' && grep -qx total_wakeup_lat_p99 '$OUT' && grep -qx cpu_util_mean '$OUT' && grep -qx policy_gate_trips_memory '$OUT'"
expect_exit 0 "list metrics --json" "$CASSIM" list metrics -w hackbench -p cas-v3 -t spr-2s-1node-2llc --json
check "list metrics --json: name, unit and direction" python3 -c '
import json, sys
m = {x["name"]: x for x in json.load(open(sys.argv[1]))}
sys.exit(not (m["time"]["unit"] == "s" and m["time"]["better"] == "lower" and "policy_active" in m))' "$OUT"
expect_exit 0 "list metrics under cfs" "$CASSIM" list metrics -w hackbench -t spr-2s-1node-2llc
check "list metrics under cfs: no policy_ metrics" sh -c "! grep -q '^policy_' '$OUT' && grep -qx time '$OUT'"
expect_exit 0 "list --help" "$CASSIM" list --help
check "list --help: the usage" grep -q "^usage: cassim list topologies|workloads|policies" "$OUT"
expect_exit 0 "cassim --help" "$CASSIM" --help
check "cassim --help lists list" grep -Eq "^ +list " "$OUT"
expect_exit 2 "list topologys" "$CASSIM" list topologys
expect_one_line_stderr "list topologys: did you mean topologies?" \
	"^cassim: error: list topologys: unknown list, did you mean topologies\? \(expected topologies, workloads, policies or metrics\)$"
expect_exit 2 "list without what" "$CASSIM" list
expect_one_line_stderr "list without what: says what it takes" "expected topologies, workloads, policies or metrics"
expect_exit 2 "-w with list workloads" "$CASSIM" list workloads -w hackbench
expect_one_line_stderr "-w with list workloads: refused" "go with list metrics, not list workloads"
expect_exit 2 "list metrics of a mistyped workload" "$CASSIM" list metrics -w hackbenc
expect_one_line_stderr "list metrics: the workload's did-you-mean" "no workload named hackbenc, did you mean hackbench\?"

# ---- did you mean ------------------------------------------------------------------
expect_exit 2 "a mistyped topology" "$CASSIM" run -t xeon6-6980p-2s-snc -d 1ms
expect_one_line_stderr "topology: did you mean" \
	"^cassim: error: xeon6-6980p-2s-snc: unknown topology, did you mean xeon6-6980p-2s-snc3\? \(no xeon6-6980p-2s-snc.xml in .*; cassim list topologies shows the shipped ones\)$"
expect_exit 2 "a mistyped workload" "$CASSIM" run -w hackbenc -d 1ms
expect_one_line_stderr "workload: no workload named X, did you mean, the shipped ones" \
	"^cassim: error: --workload hackbenc: no workload named hackbenc, did you mean hackbench\? \(shipped: cas-hotplug, cas-spin, chacha20-verilator, cpu-mix, hackbench, .*wakeup-mix; or give a workload file's path\)$"
expect_exit 2 "a workload name far from any" "$CASSIM" run -w nosuchthing -d 1ms
expect_one_line_stderr "far-off workload: no suggestion, the shipped ones" \
	"^cassim: error: --workload nosuchthing: no workload named nosuchthing \(shipped: "
expect_exit 2 "a missing workload file" "$CASSIM" run -w ./nosuch.json -d 1ms
expect_one_line_stderr "a missing file (a path) is a file error" "^cassim: error: ./nosuch.json: cannot open"
expect_exit 2 "a mistyped policy (run)" "$CASSIM" run -p cas-v44 -d 1ms
expect_one_line_stderr "run: policy did you mean" \
	"^cassim: error: --policy cas-v44: unknown policy, did you mean cas-v4\? \(expected one of: cfs, "
expect_exit 2 "a mistyped policy (compare)" "$CASSIM" compare -p cfs,cas-v44 -d 1ms
expect_one_line_stderr "compare: policy did you mean" "unknown policy 'cas-v44', did you mean cas-v4\? \(expected one of: "
expect_exit 2 "a mistyped policy (policies)" "$CASSIM" policies cas-merge
expect_one_line_stderr "policies: did you mean" "^cassim: error: cas-merge: unknown policy, did you mean cas-merged\? "
expect_exit 2 "a policy far from any" "$CASSIM" run -p bfs-is-better -d 1ms
expect_one_line_stderr "far-off policy: no suggestion" "^cassim: error: --policy bfs-is-better: unknown policy \(expected one of: "
expect_exit 2 "a mistyped --set key" "$CASSIM" run -w hackbench --set grups=1 -d 1ms
expect_one_line_stderr "--set key: did you mean" \
	"^cassim: error: --set grups=1: unknown key, did you mean groups\? \(not a scheduler tunable, a machine-model value nor a parameter of .*hackbench.json; see cassim run --help\)$"
expect_exit 2 "a mistyped scheduler tunable" "$CASSIM" run --set base_slice_n=3ms -d 1ms
expect_one_line_stderr "--set tunable: did you mean" "^cassim: error: --set base_slice_n=3ms: unknown key, did you mean base_slice_ns\? "
expect_exit 2 "a mistyped metric (plot)" "$CASSIM" plot lines "$S/plots/examples/sweep-results.csv" --x threads --metric tim -o fig
expect_one_line_stderr "plot --metric: did you mean" "^cassim: error: --metric tim: no metric 'tim' in .*sweep-results.csv, did you mean time\? \(expected one of: time, "

# ---- a cache-aware tunable with -p cfs ---------------------------------------------------
expect_exit 2 "a cache-aware tunable with cfs" "$CASSIM" run -p cfs -w hackbench --set llc_aggr_tolerance=90 -d 1ms
expect_one_line_stderr "cfs: the tunable's policies are named" \
	"^cassim: error: --set llc_aggr_tolerance=90: not a tunable of cfs but of cas-v1, cas-v2, cas-v3 \(choose one of those with --policy\)$"
check "... and those policies have it" sh -c "\"$CASSIM\" policies cas-v2 | grep -q llc_aggr_tolerance"

# ---- a --set value the workload rejects ---------------------------------------------------
expect_exit 2 "a --set value hackbench rejects" "$CASSIM" run -w hackbench --set groups=-3 -d 1ms
expect_one_line_stderr "the --set is named, not a line of the shipped file" \
	"^cassim: error: --set groups=-3: rejected by the workload .*hackbench.json: processes\[0\]\.threads\[0\]\.count: count -3 out of range \(expected 1\.\.1000000[^)]*\)$"
check "... no line:column of the file" sh -c "! grep -q 'hackbench.json:[0-9]' '$ERR'"
expect_exit 2 "a --set value schbench rejects, among other --set" "$CASSIM" run -w schbench --set wake_sync=1 --set workers=abc -d 1ms
expect_one_line_stderr "the rejected one is named" \
	"^cassim: error: --set workers=abc: rejected by the workload .*schbench.json: .*is not an integer"
expect_exit 2 "a broken workload file is still reported at its line" "$CASSIM" run -w "$S/tests/fixtures/wl-malformed.json" --set x=1 -d 1ms
expect_one_line_stderr "broken file: FILE:LINE:COL" "wl-malformed.json:[0-9]+:[0-9]+: "

done_testing
