#!/bin/sh
# t0005-model: `cassim topo SPEC --show-model`: every model parameter of
# sim/hw/profile.h is printed with a value and a source, the JSON form
# parses and says the same, --set and --profile change what is shown, and
# bad names or values are usage errors (exit 2, one line).
. "${CASSIM_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/e2e/lib.sh"
tmpdir

# The parameter names, from the X-macro list that defines them.
PARAMS=$(sed -n 's/^[[:space:]]*X(\([a-z0-9_]*\),.*/\1/p' "$CASSIM_SRCDIR/sim/hw/profile.h")
[ -n "$PARAMS" ] || bail_out "no MODEL_PARAMS found in $CASSIM_SRCDIR/sim/hw/profile.h"

expect_exit 0 "topo --show-model exits 0" "$CASSIM" topo epyc-9965-2s-nps1 --show-model
cp "$OUT" "$TMP/model.txt"
[ -s "$ERR" ] && not_ok "--show-model: no warnings" "$(cat "$ERR")" || ok "--show-model: no warnings"
check "names the profile" grep -q '^machine profile: turin-dense$' "$TMP/model.txt"
missing=
for p in $PARAMS; do
	# NAME VALUE [UNIT] SOURCE, the source tagged [X] or from the topology
	grep -Eq "^$p +[-0-9.e+]+ +([^ ]+ +)?(\[[A-Z/]+\]|topology|--set)" "$TMP/model.txt" || missing="$missing $p"
done
if [ -z "$missing" ]; then
	ok "every parameter is printed with a value and a source"
else
	not_ok "every parameter is printed with a value and a source" "missing or unsourced:$missing"
fi
check "prints the relation latencies" grep -q 'other LLC, same package' "$TMP/model.txt"
check "prints the idle states" grep -Eq '^  C2 +mid +400 us / 800 us' "$TMP/model.txt"

expect_exit 0 "topo --show-model --json exits 0" "$CASSIM" topo epyc-9965-2s-nps1 --show-model --json
cp "$OUT" "$TMP/model.json"
check "--json parses" python3 -c 'import json, sys; json.load(open(sys.argv[1]))' "$TMP/model.json"
got=$(python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
names = sys.argv[2].split()
p = d["params"]
bad = [n for n in names if n not in p or not p[n]["source"] or not isinstance(p[n]["value"], (int, float))]
print(d["profile"], len(p) == len(names), ",".join(bad) or "-", len(d["relations"]), len(d["idle_states"]))
' "$TMP/model.json" "$PARAMS" 2>&1)
want="turin-dense True - 4 3"
[ "$got" = "$want" ] && ok "--json: every parameter with value and source" ||
	not_ok "--json: every parameter with value and source" "want: $want" "got:  $got"

expect_exit 0 "--set smt_factor=0.7" "$CASSIM" topo epyc-9965-2s-nps1 --show-model --set smt_factor=0.7
check "--set value and source shown" grep -Eq '^smt_factor +0\.7 +--set$' "$OUT"
expect_exit 0 "--set=NAME=VALUE form, with --json" "$CASSIM" topo epyc-9965-2s-nps1 --json --set=smt_factor=0.7
got=$(python3 -c 'import json, sys; p = json.load(open(sys.argv[1]))["params"]["smt_factor"]; print(p["value"], p["source"])' "$OUT" 2>&1)
[ "$got" = "0.7 --set" ] && ok "--json shows the --set value" || not_ok "--json shows the --set value" "got: $got"

expect_exit 0 "--profile forces a profile" "$CASSIM" topo epyc-9965-2s-nps1 --show-model --profile granite-rapids
check "forced profile named" grep -q '^machine profile: granite-rapids$' "$OUT"
expect_exit 0 "GNR SNC3 topology" "$CASSIM" topo xeon6-6980p-2s-snc3 --show-model
check "SNC3: c2c in the LLC 80 ns, measured" grep -Eq '^c2c_llc_ns +80 +ns +\[M\] S5' "$OUT"
expect_exit 0 "GNR HEX topology" "$CASSIM" topo xeon6-6980p-2s --show-model
check "HEX: c2c in the LLC 180 ns, measured" grep -Eq '^c2c_llc_ns +180 +ns +\[M\] S5' "$OUT"

expect_exit 2 "unknown --set name exits 2" "$CASSIM" topo epyc-9965-2s-nps1 --show-model --set no_such_param=1
expect_one_line_stderr "unknown --set name: one line naming it" "no_such_param"
expect_exit 2 "out-of-range --set exits 2" "$CASSIM" topo epyc-9965-2s-nps1 --show-model --set smt_factor=1.5
expect_one_line_stderr "out-of-range --set: one line with the range" "smt_factor=1\.5: out of range \(expected 0\.1\.\.1\)"
expect_exit 2 "non-numeric --set exits 2" "$CASSIM" topo epyc-9965-2s-nps1 --set mlp=many
expect_one_line_stderr "non-numeric --set: one line" "mlp=many: not a number"
expect_exit 2 "--set without = exits 2" "$CASSIM" topo epyc-9965-2s-nps1 --set smt_factor
expect_one_line_stderr "--set without =: one line" "--set smt_factor: expected KEY=VALUE"
expect_exit 2 "unknown --profile exits 2" "$CASSIM" topo epyc-9965-2s-nps1 --profile pentium
expect_one_line_stderr "unknown --profile: one line listing the profiles" "pentium.*turin-dense"
expect_exit 2 "--profile without a name exits 2" "$CASSIM" topo epyc-9965-2s-nps1 --profile

# without --show-model the output is the topology, as before
expect_exit 0 "plain topo still prints the topology" "$CASSIM" topo epyc-9965-2s-nps1
check "plain topo: sched domains, no model" sh -c "grep -q '^sched domains of cpu 0' '$OUT' && ! grep -q '^machine profile' '$OUT'"

done_testing
