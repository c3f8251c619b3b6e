#!/bin/sh
# t0001-cli: the command line itself: help, version, usage errors and the
# tunables listed by `cassim run --help` (one definition per fact: every
# tunable of sim/sched/params.h appears with its default).
. "${CASSIM_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/e2e/lib.sh"
tmpdir

expect_exit 0 "--help exits 0" "$CASSIM" --help
for verb in run topo bench; do
	check "--help mentions $verb" grep -Eq "^ +$verb " "$OUT"
done
[ -s "$ERR" ] && not_ok "--help writes nothing on stderr" "$(cat "$ERR")" ||
	ok "--help writes nothing on stderr"
expect_exit 0 "-h exits 0" "$CASSIM" -h
check "-h prints the usage" grep -q "^usage: cassim" "$OUT"

expect_exit 0 "--version exits 0" "$CASSIM" --version
check "--version prints 'cassim X.Y.Z'" grep -Eq '^cassim [0-9]+\.[0-9]+' "$OUT"
_n=$(wc -l <"$OUT" | tr -d ' ')
[ "$_n" -eq 1 ] && ok "--version is one line" || not_ok "--version is one line" "got $_n lines"
expect_exit 0 "-V exits 0" "$CASSIM" -V

expect_exit 2 "no arguments: exit 2" "$CASSIM"
check "no arguments: usage on stderr" grep -q "^usage: cassim" "$ERR"
[ -s "$OUT" ] && not_ok "no arguments: nothing on stdout" "$(cat "$OUT")" ||
	ok "no arguments: nothing on stdout"

expect_exit 2 "unknown command: exit 2" "$CASSIM" frobnicate
expect_one_line_stderr "unknown command: one line naming it" "^cassim: error: .*frobnicate"
expect_exit 2 "unknown top-level option: exit 2" "$CASSIM" --frobnicate
expect_one_line_stderr "unknown top-level option: one line" "frobnicate"

# `cassim run --help` lists every tunable with its default.  The list is
# read from the one definition, the X-macro table in sim/sched/params.h
# ("X(name, PARAM_TYPE, default, ..."), so a new tunable is checked too.
expect_exit 0 "run --help exits 0" "$CASSIM" run --help
cp "$OUT" "$TMP/run-help"
check "run --help prints the usage" grep -q "^usage: cassim run" "$TMP/run-help"
for opt in --topology --workload --policy --set --duration --seed --json --csv --quiet; do
	check "run --help documents $opt" grep -q -- "$opt" "$TMP/run-help"
done
sed -n 's/^[[:space:]]*X(\([a-z_0-9]*\), *PARAM_[A-Z]*, *\(-\{0,1\}[0-9.e]*\),.*/\1 \2/p' \
	"$CASSIM_SRCDIR/sim/sched/params.h" >"$TMP/tunables"
for name in hz base_slice_ns migration_cost_ns nr_migrate nohz; do
	check "params.h declares $name" grep -q "^$name " "$TMP/tunables"
done
while read -r name def; do
	if grep -Eq "^ +$name +default $def," "$TMP/run-help"; then
		ok "run --help lists $name (default $def)"
	else
		not_ok "run --help lists $name (default $def)" \
			"$(grep -E "^ +$name " "$TMP/run-help" || echo "$name not listed")"
	fi
done <"$TMP/tunables"
check "run --help shows the hz range and unit" \
	grep -Eq "^ +hz +default 1000, range 100\.\.1000 Hz" "$TMP/run-help"
_want=$(wc -l <"$TMP/tunables" | tr -d ' ')
_got=$(grep -Ec "^  [a-z_0-9]+ +default " "$TMP/run-help")
[ "$_got" -eq "$_want" ] && ok "run --help lists exactly the $_want tunables of params.h" ||
	not_ok "run --help lists exactly the $_want tunables of params.h" "it lists $_got"
expect_exit 0 "run -h exits 0" "$CASSIM" run -h

expect_exit 2 "run: unknown option: exit 2" "$CASSIM" run --no-such-option
expect_one_line_stderr "run: unknown option: one line naming it" "^cassim: error: .*no-such-option"
expect_exit 2 "run: option missing its value: exit 2" "$CASSIM" run --duration
expect_one_line_stderr "run: missing value: one line naming the option" "^cassim: error: .*--duration"
expect_exit 2 "run: stray argument: exit 2" "$CASSIM" run stray
expect_one_line_stderr "run: stray argument: one line naming it" "^cassim: error: .*stray"
expect_exit 2 "topo: unknown option: exit 2" "$CASSIM" topo --no-such-option
expect_one_line_stderr "topo: unknown option: one line" "^cassim: error: "

done_testing
