#!/bin/sh
# t0010-module: policy modules (--policy-module PATH.so).  The example
# module (examples/policy-module/my_cas.c, policy "my-llc-pack") and the
# test modules (tests/modules/test-module.c) are built by make check into
# the build tree; the installed-header build is make installcheck's job.
. "${CASSIM_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/e2e/lib.sh"
tmpdir

: "${CASSIM_DATADIR:=$CASSIM_SRCDIR}"
: "${CASSIM_BUILDDIR:=$(dirname "$CASSIM")}"
export CASSIM_DATADIR
MY=$CASSIM_BUILDDIR/examples/policy-module/my_cas.so
BAD=$CASSIM_BUILDDIR/tests/modules/bad-abi.so
CLASH=$CASSIM_BUILDDIR/tests/modules/clash.so
BADLAYOUT=$CASSIM_BUILDDIR/tests/modules/bad-layout.so
NOOP=$CASSIM_BUILDDIR/tests/modules/test-noop.so
for m in "$MY" "$BAD" "$CLASH" "$NOOP"; do
	[ -f "$m" ] || bail_out "$m not built (run make check, which builds the test modules)"
done
cd "$TMP" || bail_out "cannot cd to $TMP"

RUN="run --topology spr-2s-1node-2llc --workload pingpong --duration 50ms"

command -v python3 >/dev/null 2>&1 && HAVE_PY=1 || HAVE_PY=0
# jcheck DESC FILE PYEXPR: ok if the expression holds, d = FILE's JSON.
jcheck() {
	if [ "$HAVE_PY" = 0 ]; then
		skip "$1" "python3 not found"
		return 0
	fi
	if _jc_out=$(python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
if not eval(sys.argv[2]):
    print("false: " + sys.argv[2])
    sys.exit(1)
' "$2" "$3" 2>&1); then
		ok "$1"
	else
		not_ok "$1" "$_jc_out"
	fi
}

# ---- loading and listing ----------------------------------------------------
expect_exit 0 "--policy-module before the command: policies" "$CASSIM" --policy-module "$MY" policies
check "policies lists the module's policy" grep -q 'my-llc-pack' "$OUT"
check "policies still lists the built-in cfs" grep -q 'cfs' "$OUT"
expect_exit 0 "--policy-module=PATH among the command's options" "$CASSIM" policies --policy-module="$MY"
check "... lists it too" grep -q 'my-llc-pack' "$OUT"
expect_exit 0 "two modules, one before and one after the command word" \
	"$CASSIM" --policy-module "$MY" policies --policy-module "$NOOP"
check "... both policies listed" sh -c "grep -q my-llc-pack '$OUT' && grep -q test-noop '$OUT'"
expect_exit 0 "the same module twice is loaded once" \
	"$CASSIM" --policy-module "$MY" policies --policy-module "$MY"
cp "$MY" ./local.so
expect_exit 0 "a bare file name means ./NAME (not the library path)" \
	"$CASSIM" --policy-module local.so policies
check "... and loads it" grep -q 'my-llc-pack' "$OUT"
expect_exit 0 "run --help names the module's policy" "$CASSIM" --policy-module "$MY" run --help
check "... in its list of policies" grep -q 'my-llc-pack' "$OUT"

# ---- running the module's policy -------------------------------------------
expect_exit 0 "run --policy my-llc-pack (module after run)" \
	"$CASSIM" $RUN --policy-module "$MY" --policy my-llc-pack --json a.json
check "text summary has the policy's report" grep -q 'enqueue_in_pref_llc_pct' "$OUT"
jcheck "JSON config names the policy" a.json 'd["config"]["policy"] == "my-llc-pack"'
jcheck "JSON config echoes the module's tunables at their defaults" a.json \
	'd["config"]["policy_params"] == {"pack_epoch_ns": 10000000, "pack_extra_tries": 0, "pack_max_util_pct": 80}'
jcheck "JSON results carry the module's metrics" a.json \
	'set(d["results"]["policy"]["total"]) == {"pref_llc_switches", "migrations_denied", "enqueue_in_pref_llc_pct"}'
jcheck "the policy ran (it saw enqueues in preferred LLCs)" a.json \
	'd["results"]["policy"]["total"]["enqueue_in_pref_llc_pct"] > 0'
expect_exit 0 "same run again" \
	"$CASSIM" --policy-module "$MY" $RUN --policy my-llc-pack --json b.json
check "module runs are deterministic" cmp a.json b.json
expect_exit 0 "--set of the module's tunables" \
	"$CASSIM" --policy-module "$MY" $RUN --policy my-llc-pack \
	--set pack_epoch_ns=2ms --set pack_extra_tries=3 --json c.json
jcheck "... echoed in the JSON" c.json \
	'd["config"]["policy_params"]["pack_epoch_ns"] == 2000000 and d["config"]["policy_params"]["pack_extra_tries"] == 3'
expect_exit 2 "--set out of the tunable's range is bad input" \
	"$CASSIM" --policy-module "$MY" $RUN --policy my-llc-pack --set pack_max_util_pct=101
expect_one_line_stderr "... one line naming the tunable" 'pack_max_util_pct'
expect_exit 2 "without the module its policy is unknown" "$CASSIM" $RUN --policy my-llc-pack
expect_one_line_stderr "... one line" 'my-llc-pack'

# ---- refusals: one line, exit 2, nothing run --------------------------------
expect_exit 2 "a module built for another ABI is refused" "$CASSIM" --policy-module "$BAD" policies
expect_one_line_stderr "... naming both ABI versions" \
	'bad-abi\.so: built for cassim policy ABI 999, this cassim has [0-9]+ \(rebuild the module'
check "... and nothing ran" test ! -s "$OUT"
expect_exit 2 "the ABI is checked for run too (module among run's options)" \
	"$CASSIM" $RUN --policy-module "$BAD" --policy cfs --json bad.json
check "... no result file written" test ! -e bad.json
expect_exit 2 "a module whose structures are laid out unlike cassim's is refused" \
	"$CASSIM" --policy-module "$BADLAYOUT" policies
expect_one_line_stderr "... one line: other structure layouts, rebuild" \
	'bad-layout\.so: built with other structure layouts than this cassim.s at policy ABI [0-9]+ \(rebuild the module'
check "... and nothing ran" test ! -s "$OUT"
expect_exit 2 "a missing module" "$CASSIM" --policy-module ./no-such-module.so policies
expect_one_line_stderr "... one line: PATH: cannot load: why" \
	'no-such-module\.so: cannot load: .*No such file'
expect_exit 2 "a file that is not a shared object" "$CASSIM" --policy-module "$CASSIM_SRCDIR/NEWS" policies
expect_one_line_stderr "... one line: cannot load" 'NEWS: cannot load:'
expect_exit 2 "a policy named like a built-in one" "$CASSIM" --policy-module "$CLASH" policies
expect_one_line_stderr "... one line naming the policy" "clash\\.so: policy 'cfs'"
expect_exit 2 "--policy-module without a PATH" "$CASSIM" policies --policy-module
expect_one_line_stderr "... one line" 'policy-module'
expect_exit 2 "--policy-module= with an empty PATH" "$CASSIM" --policy-module= policies
expect_one_line_stderr "... one line" 'policy-module'
expect_exit 2 "a module and no command is a usage error" "$CASSIM" --policy-module "$MY"

done_testing
