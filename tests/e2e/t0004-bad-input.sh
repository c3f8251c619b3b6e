#!/bin/sh
# t0004-bad-input: every bad input to `cassim run` exits 2 with exactly one
# line on stderr, "cassim: error: ...", naming what is wrong, and leaves no
# result file behind (not even a temporary one).  One fixture per parser
# error lives in tests/fixtures/.
. "${CASSIM_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/e2e/lib.sh"
tmpdir

: "${CASSIM_DATADIR:=$CASSIM_SRCDIR}"
export CASSIM_DATADIR
cd "$TMP" || bail_out "cannot cd to $TMP"

FIX=$CASSIM_SRCDIR/tests/fixtures
WL=$CASSIM_SRCDIR/workloads/cpu-mix.json
TOPO=epyc-9755-2s-nps1

# bad DESC ERE ARGS...: `cassim run ARGS --json out.json --csv out.csv`
# exits 2, prints one stderr line "cassim: error: ..." matching ERE, and
# writes neither result file.
bad() {
	_b_desc=$1
	_b_re=$2
	shift 2
	rm -f out.json out.csv out.json.tmp* out.csv.tmp* .out.json* .out.csv*
	expect_exit 2 "$_b_desc: exit 2" "$CASSIM" run "$@" --duration 50ms --json out.json --csv out.csv
	expect_one_line_stderr "$_b_desc: one line on stderr" "^cassim: error: .*$_b_re"
	_b_left=$(ls -a | grep -E '^\.?out\.(json|csv)' | tr '\n' ' ')
	if [ -n "$_b_left" ]; then
		not_ok "$_b_desc: no result file" "left behind: $_b_left"
	else
		ok "$_b_desc: no result file"
	fi
}

# The good command line the cases below break one piece of.
expect_exit 0 "the baseline run succeeds" "$CASSIM" run --topology "$TOPO" --workload "$WL" \
	--duration 50ms --json ok.json --quiet
check "the baseline run writes its JSON" test -s ok.json

# ---- files --------------------------------------------------------------
bad "missing workload file" "no-such-workload\.json: cannot open" \
	--topology "$TOPO" --workload "$TMP/no-such-workload.json"
bad "missing shipped workload name" "no-such-workload" \
	--topology "$TOPO" --workload no-such-workload
bad "missing topology file" "no-such-topology\.xml" \
	--topology "$TMP/no-such-topology.xml" --workload "$WL"
bad "unknown topology name" "no-such-machine" \
	--topology no-such-machine --workload "$WL"
bad "truncated topology XML" "truncated\.xml: " \
	--topology "$FIX/truncated.xml" --workload "$WL"
bad "non-hwloc topology XML" "not-hwloc\.xml: " \
	--topology "$FIX/not-hwloc.xml" --workload "$WL"

# ---- workload parser (position: jansson's for syntax, else the key's) -----
bad "malformed workload JSON" "wl-malformed\.json:4:27: " \
	--topology "$TOPO" --workload "$FIX/wl-malformed.json"
bad "unknown workload key" "wl-unknown-key\.json:8:11: unknown key \"priority\"" \
	--topology "$TOPO" --workload "$FIX/wl-unknown-key.json"
bad "negative duration in workload" "wl-negative-duration\.json:9:15: .*negative duration" \
	--topology "$TOPO" --workload "$FIX/wl-negative-duration.json"
bad "non-numeric duration in workload" "wl-nonnumeric-duration\.json:8:47: .*not a duration" \
	--topology "$TOPO" --workload "$FIX/wl-nonnumeric-duration.json"
bad "unknown wake target" "wl-unknown-target\.json:7:40: .*unknown wake target \"pnog\"" \
	--topology "$TOPO" --workload "$FIX/wl-unknown-target.json"

# ---- control characters from the input stay out of the terminal -------------
# plain DESC: the last stderr holds no control character (but its newline)
# and no byte >= 0x80: what the input put there came out escaped.
plain() {
	if LC_ALL=C tr -d '\000-\011\013-\037\177-\377' <"$ERR" | cmp -s - "$ERR"; then
		ok "$1: no raw control character"
	else
		not_ok "$1: no raw control character" "$(od -c "$ERR" | head -5)"
	fi
}
printf '{"name": "x", "\\u001b[31m": 1, "processes": []}\n' >ctl-key.json
bad "a key with an escape sequence" 'ctl-key\.json:1:15: unknown key "\\x1b\[31m" in the top level' \
	--topology "$TOPO" --workload ctl-key.json
plain "a key with an escape sequence"
printf '{"name": "x", "a.b[0]": 1, "processes": []}\n' >dot-key.json
bad "a key with path syntax in it is located" 'dot-key\.json:1:15: unknown key "a\.b\[0\]"' \
	--topology "$TOPO" --workload dot-key.json
printf '{"processes": [{"name": "p", "bogus\\nkey\\r\\u009b2J": 1}]}\n' >nl-key.json
bad "a key with a decoded newline, CR and a C1 control" 'nl-key\.json:1:30: unknown key "bogus\\nkey\\r\\xc2\\x9b2J" in processes\[0\]' \
	--topology "$TOPO" --workload nl-key.json
plain "a key with a decoded newline, CR and a C1 control"
printf '{"processes": [], "a\377\376b": 1}\n' >utf8.json
bad "invalid UTF-8 in the file" 'utf8\.json:1:20: unable to decode byte 0xff' \
	--topology "$TOPO" --workload utf8.json
plain "invalid UTF-8 in the file"
CTL=$(printf 'wl-\033]0;owned\007\r\034\377.json')
bad "a file name with control characters and invalid UTF-8" 'wl-\\x1b\]0;owned\\x07\\r\\x1c\\xff\.json: (cannot open|no workload named)' \
	--topology "$TOPO" --workload "$CTL"
plain "a file name with control characters and invalid UTF-8"
bad "a --set value with an escape sequence" 'hz=\\x1b\[2J: not a number' \
	--topology "$TOPO" --workload "$WL" --set "hz=$(printf '\033[2J')"
plain "a --set value with an escape sequence"
printf '{"name": "x", "caf\303\251": 1, "processes": []}\n' >utf8-ok.json
bad "well-formed UTF-8 is kept as it is" "$(printf 'unknown key "caf\303\251"')" \
	--topology "$TOPO" --workload utf8-ok.json

# ---- options ----------------------------------------------------------
bad "--set unknown key" "nosuchkey.*unknown key" \
	--topology "$TOPO" --workload "$WL" --set nosuchkey=1
bad "--set hz out of range" "hz=7.*out of range.*100\.\.1000" \
	--topology "$TOPO" --workload "$WL" --set hz=7
bad "--set hz not a number" "hz=abc.*not a number" \
	--topology "$TOPO" --workload "$WL" --set hz=abc
bad "--set hz not an integer" "hz=250\.5.*not an integer" \
	--topology "$TOPO" --workload "$WL" --set hz=250.5
bad "--set bool not a boolean" "nohz=maybe.*not a boolean" \
	--topology "$TOPO" --workload "$WL" --set nohz=maybe
bad "--set time not a duration" "migration_cost_ns=fast.*not a duration" \
	--topology "$TOPO" --workload "$WL" --set migration_cost_ns=fast
bad "--set workload parameter not an integer" "nr_hogs" \
	--topology "$TOPO" --workload "$WL" --set nr_hogs=abc
bad "--set without =" "--set hz: expected KEY=VALUE" \
	--topology "$TOPO" --workload "$WL" --set hz
bad "--set with an empty key" "--set =1: expected KEY=VALUE" \
	--topology "$TOPO" --workload "$WL" --set =1
bad "--duration -1s" "--duration -1s" \
	--topology "$TOPO" --workload "$WL" --duration -1s
bad "--duration abc" "--duration abc" \
	--topology "$TOPO" --workload "$WL" --duration abc
bad "--duration 0" "--duration 0" \
	--topology "$TOPO" --workload "$WL" --duration 0
bad "--seed -3" "--seed -3" \
	--topology "$TOPO" --workload "$WL" --seed -3
bad "--seed abc" "--seed abc" \
	--topology "$TOPO" --workload "$WL" --seed abc
bad "--seed beyond int64" "--seed 99999999999999999999" \
	--topology "$TOPO" --workload "$WL" --seed 99999999999999999999
bad "--seed with a leading space and sign" "--seed  -3" \
	--topology "$TOPO" --workload "$WL" --seed ' -3'
bad "--policy nosuch" "--policy nosuch: unknown policy" \
	--topology "$TOPO" --workload "$WL" --policy nosuch
bad "unknown option" "--no-such-option" \
	--topology "$TOPO" --workload "$WL" --no-such-option

done_testing
