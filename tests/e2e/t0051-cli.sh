#!/bin/sh
# t0051-cli: one command-line convention (issue 18 item 5): `cassim help
# VERB` prints what `cassim VERB --help` prints; every verb reports an
# unknown option and a missing value in one style with exit 2; the short
# options of the convention mean the same in every verb (compare -p is the
# policies, -n the seeds; sweep and import no longer give -n or -m another
# meaning); topo parses with getopt_long (--opt=VALUE, options after the
# operand).
. "${CASSIM_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/e2e/lib.sh"
tmpdir

: "${CASSIM_DATADIR:=$CASSIM_SRCDIR}"
export CASSIM_DATADIR
cd "$TMP" || bail_out "cannot cd to $TMP"

VERBS="run compare policies list validate sweep plot topo bench import"

for v in $VERBS; do
	"$CASSIM" help "$v" >help.txt 2>&1; hs=$?
	"$CASSIM" "$v" --help >dash.txt 2>&1; ds=$?
	check "help $v = $v --help (same text)" cmp help.txt dash.txt
	check "help $v and $v --help exit 0 with a usage line" \
		sh -c "[ $hs -eq 0 ] && [ $ds -eq 0 ] && grep -q '^usage: cassim $v' help.txt"
	expect_exit 2 "$v --no-such-option exits 2" "$CASSIM" "$v" --no-such-option
	expect_one_line_stderr "$v: unknown option in the one style" \
		"^cassim: error: unknown option --no-such-option \\(see cassim $v --help\\)$"
done
expect_exit 2 "a short option in a cluster is named alone" "$CASSIM" run -qZ
expect_one_line_stderr "run -qZ: the letter is named" "^cassim: error: unknown option -Z \\(see cassim run --help\\)$"

# a missing value, for each verb that has an option taking one
for a in "run --duration" "compare --seeds" "validate --seeds" "sweep --out" "plot --metric" \
	 "topo --profile" "import --output" "list --topology"; do
	set -- $a
	expect_exit 2 "$1 $2 without a value exits 2" "$CASSIM" "$1" "$2"
	expect_one_line_stderr "$1 $2: 'needs a value' in the one style" \
		"^cassim: error: option $2 needs a value \\(see cassim $1 --help\\)$"
done

expect_exit 2 "help of an unknown command" "$CASSIM" help nosuch
expect_one_line_stderr "... says it is unknown" "unknown command 'nosuch'"

# the same letter, the same meaning
expect_exit 0 "compare -p is --policies, -n --seeds, -d --duration" \
	"$CASSIM" compare -p cfs,cfs -n 2 -d 2ms -w cpu-mix -t "synthetic:pack:1 l3:1 core:2 pu:1" --quiet
check "... two seeds of cfs and cfs#2" grep -q "cfs#2" "$OUT"
expect_exit 2 "compare -P is no longer an option" "$CASSIM" compare -P cfs,cfs
expect_exit 2 "sweep -n (was --dry-run) is no longer an option" "$CASSIM" sweep -n plan.json
expect_exit 2 "import -n (was --name) is no longer an option" "$CASSIM" import -n x perf-sched t.txt
expect_exit 2 "import -m (was --mode) is no longer an option" "$CASSIM" import -m fit perf-sched t.txt
expect_exit 2 "plot -w (was --where) is no longer an option" "$CASSIM" plot lines r.csv -w a=b

# topo: getopt_long's forms
expect_exit 0 "topo --set=KEY=VALUE after the operand" \
	"$CASSIM" topo "synthetic:pack:1 l3:1 core:2 pu:1" --set=dram_local_ns=123 --quiet
check "... the value is shown" grep -Eq "dram_local_ns +123 " "$OUT"
expect_exit 0 "topo -q before the operand" "$CASSIM" topo -q "synthetic:pack:1 l3:1 core:2 pu:1"
expect_exit 2 "topo with two operands" "$CASSIM" topo a b
expect_one_line_stderr "... names both" "more than one topology given \\('a' and 'b'\\)"

# the man page's synopsis lists every verb
if [ -r "$CASSIM_SRCDIR/sim/cassim.1" ]; then
	syn=$(sed -n '/^\.SH SYNOPSIS/,/^\.SH DESCRIPTION/p' "$CASSIM_SRCDIR/sim/cassim.1")
	for v in $VERBS help; do
		check "man SYNOPSIS lists $v" sh -c "printf '%s\n' \"\$1\" | grep -q '^\\.B cassim $v'" _ "$syn"
	done
	sed -n '/^\.SH SEE ALSO/,$p' "$CASSIM_SRCDIR/sim/cassim.1" | tr '\n' ' ' >seealso.txt
	for name in 'perf\-sched (1)' hackbench schbench rt-app; do
		check "man SEE ALSO names $name" grep -qF "$name" seealso.txt
	done
fi

done_testing
