#!/bin/sh
# t0011-validate: `cassim validate` end to end on a small fixture CSV
# (tests/fixtures/validate/small.csv): CSV errors with file:line, the row
# mapping (--dry-run), verdicts by the agreement rule, unmapped rows, the
# output files, --only, what-if --set, --ablate, and determinism.  Short runs (--duration-scale 0.01) and
# 2 seeds, so the script takes a few seconds.  Rows with revision "cfs"
# compare cfs with itself (change exactly 0), so their verdicts do not
# depend on which CAS policies the build has.
. "${CASSIM_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/e2e/lib.sh"
tmpdir

: "${CASSIM_DATADIR:=$CASSIM_SRCDIR}"
export CASSIM_DATADIR
cd "$TMP" || bail_out "cannot cd to $TMP"

CSV=$CASSIM_SRCDIR/tests/fixtures/validate/small.csv
FAST="--seeds 2 --duration-scale 0.01 --quiet"
command -v python3 >/dev/null 2>&1 && HAVE_PY=1 || HAVE_PY=0
command -v gnuplot >/dev/null 2>&1 && HAVE_GP=1 || HAVE_GP=0

# jcheck DESC FILE PYEXPR: ok if the Python expression is true, with d the
# parsed JSON of FILE and rows its rows by id.
jcheck() {
	if [ "$HAVE_PY" = 0 ]; then
		skip "$1" "python3 not found"
		return 0
	fi
	if _jc_out=$(python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
rows = {r["id"]: r for r in d["rows"]}
if not eval(sys.argv[2]):
    print("false: " + sys.argv[2])
    sys.exit(1)
' "$2" "$3" 2>&1); then
		ok "$1"
	else
		not_ok "$1" "$_jc_out"
	fi
}

# ---- usage and CSV errors ---------------------------------------------------
check "validate --help" "$CASSIM" validate --help
expect_exit 2 "no CSV is a usage error" "$CASSIM" validate
expect_one_line_stderr "usage error is one line" "expected a CSV file"
expect_exit 2 "--seeds 0 is rejected" "$CASSIM" validate --seeds 0 "$CSV"
expect_exit 2 "--duration-scale -1 is rejected" "$CASSIM" validate --duration-scale -1 "$CSV"
expect_exit 2 "--plot without --out is rejected" "$CASSIM" validate --plot "$CSV"
expect_exit 2 "a missing file is an error" "$CASSIM" validate no-such.csv
expect_one_line_stderr "missing file: one line naming it" "no-such.csv"

HDR=id,revision,machine,benchmark,params,metric,change_pct,source
printf '# comment\n%s\nr1,v3,spr-2s-1node-2llc,hackbench,groups=1,time,20\n' "$HDR" >fields.csv
expect_exit 2 "a row with too few fields" "$CASSIM" validate fields.csv
expect_one_line_stderr "too few fields: file:line" "fields.csv:3:"
printf '%s\nr1,v3,spr-2s-1node-2llc,hackbench,groups=1,time,lots,x\n' "$HDR" >num.csv
expect_exit 2 "a non-numeric change_pct" "$CASSIM" validate num.csv
expect_one_line_stderr "non-numeric change: file:line and the column" "num.csv:2:.*change_pct"
printf 'id,revision,machine,benchmark,params,metric\n' >hdr.csv
expect_exit 2 "a header without change_pct" "$CASSIM" validate hdr.csv
expect_one_line_stderr "bad header: file:line" "hdr.csv:1:.*change_pct"
printf '%s\nr1,v3,m,b,p,time,1,x\nr1,v3,m,b,p,time,2,x\n' "$HDR" >dup.csv
expect_exit 2 "a duplicate id" "$CASSIM" validate dup.csv
expect_one_line_stderr "duplicate id: file:line" "dup.csv:3:.*duplicate"
printf '%s\nr1,v3,m,b,"p, q,time,1,x\n' "$HDR" >quote.csv
expect_exit 2 "an unterminated quote" "$CASSIM" validate quote.csv
expect_one_line_stderr "unterminated quote: file:line" "quote.csv:2:"

# ---- mapping ------------------------------------------------------------------
expect_exit 0 "--dry-run maps the fixture" "$CASSIM" validate --dry-run "$CSV"
check "dry run: hackbench row maps to --set fds=4 thread pipe" \
	grep -q "fds=4 mode=thread ipc=pipe" "$OUT"
check "dry run: stream row has two variants (64 and 128 MB)" \
	sh -c "grep -q 'share_mib=32 ' '$OUT' && grep -q 'share_mib=64 ' '$OUT'"
check "dry run: unknown machine is unmapped with the reason" \
	grep -q "bad-machine.*unmapped.*no-such-machine" "$OUT"
check "dry run: unknown benchmark is unmapped with the reason" \
	grep -q "bad-bench.*unmapped.*fio.*no workload model" "$OUT"
check "dry run: counts the distinct runs" grep -Eq "^runs: [0-9]+$" "$OUT"

# ---- a run ----------------------------------------------------------------------
PLOT=
[ "$HAVE_GP" = 1 ] && PLOT=--plot
expect_exit 0 "validate the fixture (2 seeds, scale 0.01)" \
	"$CASSIM" validate $FAST --out vout $PLOT "$CSV"
cp "$OUT" run1.txt
check "the last line is the agreement line" \
	sh -c "tail -n 1 run1.txt | grep -Eq '^agreement: [0-9]+ of [0-9]+ scored rows$'"
check "per row: id, published, simulated and verdict" \
	grep -Eq "^cfs-neutral .* \+0\.0 +\+0\.0 ± 0\.0 +agree" run1.txt
check "cfs vs cfs against +20 % is a miss: its CI includes 0" grep -Eq "^cfs-gain .* miss \(CI includes 0\)" run1.txt
check "the two unmapped rows (|published| >= 5) count as scored misses" \
	grep -Eq "^7 rows: 5 mapped, 2 unmapped; 6 scored " run1.txt
check "-4 % published is not scored" grep -Eq "^cfs-between .* not scored" run1.txt
check "unmapped rows are listed with the reason" \
	sh -c "grep -q 'bad-machine.*not a loadable topology' run1.txt && grep -q 'bad-bench.*no workload model' run1.txt"
check "the CAS row ran or says the policy is not available" \
	grep -Eq "^cas-stream .* (agree|miss|policy not available)" run1.txt
for f in report.md results.csv results.json; do
	check "--out writes $f" test -s "vout/$f"
done
check "report.md ends with the agreement line" \
	sh -c "tail -n 1 vout/report.md | grep -Eq '^agreement: [0-9]+ of [0-9]+ scored rows$'"
check "report.md explains the miss (no aggregation observed: the gate note)" grep -q "cfs-gain.*the revision did not keep this process in one LLC in the model" vout/report.md
check "report.md names the clause the miss failed" grep -q "cfs-gain.*CI includes 0" vout/report.md
check "report.md states the rule: the CI must exclude 0" grep -q "CI excludes 0" vout/report.md
check "report.md lists the unmapped rows" grep -q "## Unmapped rows" vout/report.md
check "results.csv: one line per row and seed" \
	sh -c "[ \$(grep -c '^validation,cfs-neutral,' vout/results.csv) -eq 2 ]"
jcheck "results.json: cfs rows scored as the rule says" vout/results.json \
	'rows["cfs-neutral"]["verdict"] == "agree" and rows["cfs-gain"]["verdict"] == "miss" and rows["cfs-schbench"]["verdict"] == "agree" and rows["cfs-between"]["verdict"] == "not scored"'
jcheck "results.json: the agreement counts match the rows" vout/results.json \
	'd["agreement"]["agree"] == sum(r["verdict"] == "agree" for r in d["rows"]) and d["agreement"]["scored"] == sum(r["scored"] for r in d["rows"])'
jcheck "results.json: unmapped rows count as scored misses, not-scored rows do not" vout/results.json \
	'rows["bad-machine"]["scored"] and rows["bad-bench"]["scored"] and not rows["cfs-between"]["scored"] and d["agreement"]["scored"] == 6 and rows["cfs-gain"]["miss_why"] == "CI includes 0"'
# at 1 % of its length the stream run ends before any nohz balance pass:
# cas-v3 sets a preferred LLC but nothing moves the threads toward it
V3="preferred LLC set, not aggregated (0 % of runtime in it; no balance pass reached it: 0 nohz kicks)"
jcheck "results.json: the CAS row says what its policy did and why; cfs rows say nothing" vout/results.json \
	'rows["cas-stream"]["policy_verdict"] == {"kind": "not-aggregated", "code": 3, "text": "'"$V3"'"} and "policy_verdict" not in rows["cfs-neutral"]'
check "report.md and the table show that verdict beside the row" \
	sh -c 'grep -qF "| agree | $1 |" vout/report.md && grep -A1 "^cas-stream " run1.txt | grep -qxF "                           cas-v3: $1"' sh "$V3"
jcheck "results.json: unmapped rows carry a reason" vout/results.json \
	'rows["bad-machine"]["verdict"] == "unmapped" and "reason" in rows["bad-bench"]'
if [ "$HAVE_GP" = 1 ]; then
	check "--plot writes scatter.png" test -s vout/scatter.png
	check "--plot writes scatter.svg" test -s vout/scatter.svg
else
	skip "--plot writes scatter.png" "gnuplot not found"
	skip "--plot writes scatter.svg" "gnuplot not found"
fi

# ---- the optional baseline column ----------------------------------------------------
# merged vs merged: the same runs on both sides, so the change is exactly 0 (against cfs it is not);
# the row's CAS tunable goes to both sides; unknown baselines and a tunable the baseline lacks are
# unmapped with the reason; an empty baseline is cfs.
{
	printf 'id,revision,machine,benchmark,params,metric,change_pct,source,baseline\n'
	printf 'b-same,merged,epyc-milan-4node-4llc,hackbench,threads pipe fd=8 groups=2 aggr_tolerance=90,time,1,fixture,merged\n'
	printf 'b-cfs,merged,epyc-milan-4node-4llc,hackbench,threads pipe fd=8 groups=2 aggr_tolerance=90,time,1,fixture,\n'
	printf 'b-fixes,7.2-fixes,epyc-milan-4node-4llc,hackbench,threads pipe fd=8 groups=2,time,1,fixture,cas-merged\n'
	printf 'b-bogus,merged,epyc-milan-4node-4llc,hackbench,threads pipe fd=8 groups=2,time,1,fixture,v9\n'
	printf 'b-lacks,merged,epyc-milan-4node-4llc,hackbench,threads pipe fd=8 groups=2 aggr_tolerance=90,time,1,fixture,v1\n'
} >base.csv
expect_exit 0 "baseline column: --dry-run" "$CASSIM" validate --dry-run base.csv
check "baseline column: a revision baseline is listed" \
	sh -c "grep -A3 '^b-same ' '$OUT' | grep -q 'baseline: cas-merged' && grep -A3 '^b-fixes ' '$OUT' | grep -q 'baseline: cas-merged'"
check "baseline column: the row's tunable goes to both sides" \
	sh -c "grep -A4 '^b-same ' '$OUT' | grep -q 'both: --set aggr_tolerance=90'"
check "baseline column: an empty baseline is cfs (revision only)" \
	sh -c "grep -A4 '^b-cfs ' '$OUT' | grep -q 'revision only: --set aggr_tolerance=90' && ! grep -A4 '^b-cfs ' '$OUT' | grep -q 'baseline:'"
check "baseline column: an unknown baseline is unmapped" grep -q "^b-bogus .*unmapped.*baseline 'v9' unknown" "$OUT"
check "baseline column: a tunable the baseline lacks is unmapped" \
	grep -q "^b-lacks .*unmapped.*'aggr_tolerance' is not a tunable of the baseline cas-v1" "$OUT"
expect_exit 0 "baseline column: a run" "$CASSIM" validate $FAST --json --only 'b-same,b-cfs' base.csv
cp "$OUT" base.json
jcheck "baseline column: merged vs merged changes exactly 0, merged vs cfs does not" base.json \
	'rows["b-same"]["baseline_policy"] == "cas-merged" and rows["b-same"]["simulated_pct"] == 0 and rows["b-cfs"]["baseline"] == "cfs" and rows["b-cfs"]["simulated_pct"] != 0'

# ---- --only and what-if --set -------------------------------------------------------
expect_exit 0 "--only keeps the rows whose id matches" "$CASSIM" validate --dry-run --only 'cfs-*,bad-bench' "$CSV"
check "--only: the matching rows are listed" \
	sh -c "[ \$(grep -Ec '^(cfs-neutral|cfs-gain|cfs-between|cfs-schbench|bad-bench) ' '$OUT') -eq 5 ]"
check "--only: the other rows are not" sh -c "! grep -Eq '^(cas-stream|bad-machine) ' '$OUT'"
expect_exit 2 "--only that matches no row" "$CASSIM" validate --dry-run --only 'nothing-*' "$CSV"
expect_one_line_stderr "--only: says no row matches" "no row of .*small.csv has a matching id"
expect_exit 2 "what-if --set of an unknown key" "$CASSIM" validate --dry-run --set bogus_ns=1 "$CSV"
expect_one_line_stderr "unknown key: named, with where the keys are listed" "bogus_ns=1: not a machine-model value"
expect_exit 2 "what-if --set of a revision tunable" "$CASSIM" validate --dry-run --set llc_overload_pct=100 "$CSV"
expect_one_line_stderr "revision tunable: refused with the reason" "llc_overload_pct=100: a revision tunable"
expect_exit 2 "what-if --set out of range" "$CASSIM" validate --dry-run --set ipi_ns=-1 "$CSV"
expect_one_line_stderr "out of range: the range" "ipi_ns=-1: out of range"
expect_exit 2 "what-if --set of one key twice" "$CASSIM" validate --dry-run --set hz=250 --set hz=300 "$CSV"
expect_exit 0 "what-if --dry-run lists the values" "$CASSIM" validate --dry-run --only cfs-neutral --set syscall_ns=800 "$CSV"
check "what-if --dry-run: every run gets them" grep -q "what-if, every run: --set syscall_ns=800" "$OUT"
expect_exit 0 "a what-if run of one row" \
	"$CASSIM" validate $FAST --only cfs-neutral --set syscall_ns=800 --out wout "$CSV"
check "what-if: the table says the values are not the profiles'" \
	grep -q "what-if: every run also had syscall_ns=800 (not the machine profiles)" "$OUT"
check "what-if: report.md's command line has the whole --set" \
	grep -q "Generated by .*--set syscall_ns=800 " wout/report.md
check "what-if: report.md says so instead of 'no row is tuned'" \
	sh -c "grep -q 'What-if run.*syscall_ns=800' wout/report.md && ! grep -q 'no row is tuned' wout/report.md"
jcheck "what-if: results.json has the values and only the selected row" wout/results.json \
	'd["what_if"] == {"syscall_ns": "800"} and d["only"] == "cfs-neutral" and list(rows) == ["cfs-neutral"]'
# the value reaches the runs: a dearer read()/write() makes hackbench slower
jcheck "what-if: the baseline time is longer than without it" wout/results.json \
	'rows["cfs-neutral"]["mapping"]["variants"][0]["baseline_mean"] > 1.2 * [r for r in json.load(open("vout/results.json"))["rows"] if r["id"] == "cfs-neutral"][0]["mapping"]["variants"][0]["baseline_mean"]'

# ---- --ablate ---------------------------------------------------------------------------
expect_exit 2 "--ablate of an unknown key" "$CASSIM" validate --dry-run --ablate bogus_ns=1 "$CSV"
expect_one_line_stderr "--ablate of an unknown key: one line naming the option" "^cassim: error: --ablate bogus_ns=1: "
expect_exit 2 "--ablate of a revision tunable" "$CASSIM" validate --dry-run --ablate llc_overload_pct=100 "$CSV"
expect_exit 2 "--ablate of a what-if key" "$CASSIM" validate --dry-run --set hz=250 --ablate hz=300 "$CSV"
expect_one_line_stderr "--ablate of a what-if key: why" "hz is also a what-if --set"
expect_exit 2 "--ablate-seeds 0" "$CASSIM" validate --dry-run --ablate hz=250 --ablate-seeds 0 "$CSV"
expect_exit 0 "--ablate --dry-run lists the ablation" \
	"$CASSIM" validate --dry-run --seeds 2 --only cfs-neutral --ablate syscall_ns=800 --ablate-seeds 1 "$CSV"
check "... with its seeds" grep -q "ablation, each row again (1 seeds): --set syscall_ns=800" "$OUT"
check "... and one more run (cfs vs cfs is one run per seed)" grep -qx "runs: 3" "$OUT"
# the default value as an "ablation": the same runs, so the row moves by exactly 0 while
# its change is not 0 (cas-v3 against cfs)
expect_exit 0 "--ablate with the default value of hz" \
	"$CASSIM" validate $FAST --only cas-stream --ablate hz=1000 --ablate mlp=1 --out aout "$CSV"
check "... the table has the ablation block" grep -q "^ABLATION (2 seeds)" "$OUT"
check "report.md has the ablation section" grep -q "^## Ablation: what each mechanism moved" aout/report.md
jcheck "results.json: hz=1000 (the default) moved the row by exactly 0, mlp=1 changed its runs" aout/results.json \
	'd["ablation"] == {"seeds": 2, "sets": ["hz=1000", "mlp=1"]} and rows["cas-stream"]["ablation"][0]["simulated_pct"] == rows["cas-stream"]["simulated_pct"] and rows["cas-stream"]["ablation"][0]["moved_pct"] == 0 and rows["cas-stream"]["simulated_pct"] != 0 and rows["cas-stream"]["ablation"][1]["simulated_pct"] != rows["cas-stream"]["simulated_pct"]'

# a plot of rows without a miss or a clipped value (gnuplot 5.4 crashed on
# a labels series with no point)
if [ "$HAVE_GP" = 1 ]; then
	expect_exit 0 "--plot of one agreeing row" "$CASSIM" validate $FAST --only cfs-neutral --out pout --plot "$CSV"
	check "--plot of one agreeing row writes scatter.png and .svg" \
		sh -c "test -s pout/scatter.png && test -s pout/scatter.svg"
else
	skip "--plot of one agreeing row" "gnuplot not found"
	skip "--plot of one agreeing row writes scatter.png and .svg" "gnuplot not found"
fi

# ---- determinism ------------------------------------------------------------------
expect_exit 0 "again with --jobs 1 --json" "$CASSIM" validate $FAST --jobs 1 --json "$CSV"
cp "$OUT" run2.json
jcheck "--json prints the results document" run2.json '"agreement" in d and len(d["rows"]) == 7'
if [ "$HAVE_PY" = 1 ]; then
	check "same seeds, 1 or N workers: same results" python3 -c '
import json, sys
a = json.load(open(sys.argv[1])); b = json.load(open(sys.argv[2]))
sys.exit(0 if a["rows"] == b["rows"] and a["agreement"] == b["agreement"] else 1)' vout/results.json run2.json
else
	skip "same seeds, 1 or N workers: same results" "python3 not found"
fi

done_testing
