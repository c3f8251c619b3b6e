#!/bin/sh
# t0061-topo-rfc: Hygon's topology-aware aggregation, the policy module
# examples/cas-topo-rfc/cas_topo.so (cas-topo-rfc, cas-topo-rfc-v2 on top of
# cas-merged; built by make check like the example module of t0010).
# Behaviour on the Hygon machine: one process whose utilisation exceeds an
# LLC (48 threads at 25 % duty: about 12 CPUs, 3 LLCs' worth at the 50 %
# threshold of 8-CPU LLCs) spreads over its node's next LLCs under
# cas-topo-rfc-v2 and stays in that node, while cas-merged (same settings:
# numa_balancing=0, aggr_tolerance=90, as the Hygon runs) packs part of it
# into one LLC and leaves the rest spread over the other nodes.
. "${CASSIM_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/e2e/lib.sh"
tmpdir

: "${CASSIM_DATADIR:=$CASSIM_SRCDIR}"
: "${CASSIM_BUILDDIR:=$(dirname "$CASSIM")}"
export CASSIM_DATADIR
TOPO=$CASSIM_BUILDDIR/examples/cas-topo-rfc/cas_topo.so
[ -f "$TOPO" ] || bail_out "$TOPO not built (run make check, which builds the modules)"
cd "$TMP" || bail_out "cannot cd to $TMP"
command -v python3 >/dev/null 2>&1 && HAVE_PY=1 || HAVE_PY=0

cat > grow.json <<'JSON'
{ "name": "topo-grow", "description": "one process of ${threads} threads, each ${run} of CPU then ${sleep} asleep",
  "duration": "2s", "params": { "threads": 48, "run": "500us", "sleep": "1500us" },
  "processes": [ { "name": "grow", "threads": [ { "name": "worker", "count": "${threads}",
      "ops": [ { "run": "${run}" }, { "sleep": "${sleep}" } ] } ] } ] }
JSON
RUN="run -t hygon-c86-2s-8node-4llc -w grow.json -d 2s --set numa_balancing=0 --set aggr_tolerance=90"

# ---- the module and its policies ------------------------------------------
expect_exit 0 "the module lists both revisions" "$CASSIM" --policy-module "$TOPO" policies
check "... cas-topo-rfc" grep -q '^cas-topo-rfc ' "$OUT"
check "... cas-topo-rfc-v2" grep -q '^cas-topo-rfc-v2 ' "$OUT"
expect_exit 0 "policies cas-topo-rfc-v2" "$CASSIM" --policy-module "$TOPO" policies cas-topo-rfc-v2
check "... written as a change of cas-topo-rfc" grep -q 'changes from cas-topo-rfc:' "$OUT"
check "... has cas-merged's tunables (aggr_tolerance)" grep -q '^    aggr_tolerance ' "$OUT"
check "... and its own (topo_fit_pct)" grep -q '^    topo_fit_pct ' "$OUT"
expect_exit 2 "a topo_ tunable out of range is bad input" \
	"$CASSIM" --policy-module "$TOPO" $RUN -p cas-topo-rfc-v2 --set topo_extent=3
expect_one_line_stderr "... one line naming it" 'topo_extent'

# ---- behaviour ------------------------------------------------------------
expect_exit 0 "cas-merged" "$CASSIM" $RUN -p cas-merged --json merged.json
expect_exit 0 "cas-topo-rfc-v2" "$CASSIM" --policy-module "$TOPO" $RUN -p cas-topo-rfc-v2 --json v2.json
expect_exit 0 "cas-topo-rfc-v2 again" "$CASSIM" --policy-module "$TOPO" $RUN -p cas-topo-rfc-v2 --json v2b.json
check "module runs are deterministic" cmp v2.json v2b.json
expect_exit 0 "cas-topo-rfc (v1)" "$CASSIM" --policy-module "$TOPO" $RUN -p cas-topo-rfc --json v1.json
expect_exit 0 "cas-topo-rfc-v2 with topo_extent=0 (no extent)" \
	"$CASSIM" --policy-module "$TOPO" $RUN -p cas-topo-rfc-v2 --set topo_extent=0 --json v2off.json

# where(FILE): per node and per LLC busy CPU-seconds per second, from the
# per-CPU utilisation (node n: cores 16n..16n+15; LLC l: cores 4l..4l+3;
# CPU i is core i mod 128)
if [ "$HAVE_PY" = 1 ]; then
	cat > where.py <<'PY'
import json, sys
def where(f):
    pc = json.load(open(f))["results"]["cpu_util"]["per_cpu"]
    node, llc = [0.0] * 8, [0.0] * 32
    for i, u in enumerate(pc):
        node[(i % 128) // 16] += u
        llc[(i % 128) // 4] += u
    return node, llc, sum(pc)
PY
fi
pycheck() { # DESC EXPR (names: where(), json)
	if [ "$HAVE_PY" = 0 ]; then skip "$1" "python3 not found"; return 0; fi
	if _o=$(python3 -c "
import sys; sys.path.insert(0, '.')
from where import where
import json
if not ($2):
    print('false: ' + '''$2''')
    sys.exit(1)" 2>&1); then ok "$1"; else not_ok "$1" "$_o"; fi
}

pycheck "v2: the extent is a prefix of 4 LLCs (U ~ 13600 < 4 x 4096)" \
	'json.load(open("v2.json"))["results"]["policy"]["grow"]["topo_extent_llcs"] == 4'
pycheck "v2: at least 80 % of the runtime in one node (about 86 % here)" \
	'max(where("v2.json")[0]) >= 0.8 * where("v2.json")[2]'
pycheck "v2: balancing moved tasks into the extent" \
	'json.load(open("v2.json"))["results"]["policy"]["total"]["topo_pulls_into_extent"] > 0'
pycheck "v2: that node is the anchor LLC's node (the preferred node)" \
	'(lambda n, d: n.index(max(n)) == d["results"]["policy"]["grow"]["topo_pref_node"] == d["results"]["policy"]["grow"]["topo_anchor_llc"] // 4)(where("v2.json")[0], json.load(open("v2.json")))'
pycheck "v2: spread beyond one LLC: every LLC of that node busier than 1.5 CPUs" \
	'(lambda n, l: all(l[4 * n.index(max(n)) + k] > 1.5 for k in range(4)))(*where("v2.json")[:2])'
pycheck "v2: the module's own count agrees (4 LLCs with >= 5 % of the runtime)" \
	'json.load(open("v2.json"))["results"]["policy"]["grow"]["topo_llcs_used"] == 4'
pycheck "cas-merged: no node holds more than 60 % of the runtime (spread over nodes)" \
	'max(where("merged.json")[0]) < 0.6 * where("merged.json")[2]'
pycheck "cas-merged: at least three nodes run a tenth of it or more (spread over nodes)" \
	'sum(x >= 0.1 * where("merged.json")[2] for x in where("merged.json")[0]) >= 3'
pycheck "v1: the extent is the node (the NODE domain, 4 LLCs, is the first that fits)" \
	'json.load(open("v1.json"))["results"]["policy"]["grow"]["topo_extent_llcs"] == 4'
pycheck "v1: more of it in one node than under cas-merged" \
	'max(where("v1.json")[0]) / where("v1.json")[2] > max(where("merged.json")[0]) / where("merged.json")[2]'
pycheck "topo_extent=0 behaves like cas-merged (same per-CPU utilisation)" \
	'json.load(open("v2off.json"))["results"]["cpu_util"] == json.load(open("merged.json"))["results"]["cpu_util"]'

done_testing
