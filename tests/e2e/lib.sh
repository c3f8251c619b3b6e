# lib.sh: a tiny TAP library for cassim's end-to-end scripts (git t/ style).
#
# A test script, tests/e2e/tNNNN-name.sh, looks like:
#
#	. "$(dirname "$0")/lib.sh"
#	plan 3                         # optional: done_testing prints 1..N otherwise
#	check "help works" "$CASSIM" --help
#	expect_exit 2 "unknown option is a usage error" "$CASSIM" run --no-such
#	expect_one_line_stderr "usage error is one line" "no-such"
#	done_testing
#
# One behaviour per test; each helper prints exactly one "ok"/"not ok" line
# and, on failure, "# " diagnostics explaining why.  Plain POSIX sh: make
# check runs the scripts with $(SHELL), which may be dash.
#
# Environment (set by make check's AM_TESTS_ENVIRONMENT):
#   CASSIM         the cassim binary under test
#   CASSIM_SRCDIR  the source tree (fixtures, workloads, topologies)
#   CASSIM_KEEP_TMP=1 keeps the scratch directory for inspection
#
# Variables this file provides:
#   TMP   scratch directory, removed at exit
#   OUT   file holding the stdout of the last expect_exit command
#   ERR   file holding the stderr of the last expect_exit command

: "${CASSIM_SRCDIR:=$(cd "$(dirname "$0")/../.." && pwd)}"
if [ -z "${CASSIM:-}" ]; then
	if [ -x ./cassim ]; then CASSIM=$(pwd)/cassim; else CASSIM=$CASSIM_SRCDIR/cassim; fi
fi
export CASSIM CASSIM_SRCDIR

_tap_n=0        # tests run so far
_tap_failed=0   # of which failed
_tap_plan=      # number announced by plan, if any

# diag LINE...: TAP diagnostics, one "# " line per input line.
diag() {
	printf '%s\n' "$@" | sed 's/^/# /'
}

# plan N: announce the number of tests up front.
plan() {
	_tap_plan=$1
	echo "1..$1"
}

# ok DESC: record a passing test.
ok() {
	_tap_n=$((_tap_n + 1))
	echo "ok $_tap_n - $1"
}

# not_ok DESC [DIAG...]: record a failing test and say why.
not_ok() {
	_tap_n=$((_tap_n + 1))
	_tap_failed=$((_tap_failed + 1))
	echo "not ok $_tap_n - $1"
	shift
	[ $# -gt 0 ] && diag "$@"
	return 0
}

# skip DESC REASON: a test that cannot run here (counts as passing).
skip() {
	_tap_n=$((_tap_n + 1))
	echo "ok $_tap_n - $1 # SKIP $2"
}

# todo DESC REASON: a known failure, recorded and not counted as one (TAP
# "not ok ... # TODO"); replace it with a real check once fixed.
todo() {
	_tap_n=$((_tap_n + 1))
	echo "not ok $_tap_n - $1 # TODO $2"
}

# bail_out REASON: give up on the whole script.
bail_out() {
	echo "Bail out! $*"
	exit 1
}

# tmpdir: create $TMP (once) and arrange for its removal at exit.
tmpdir() {
	[ -n "${TMP:-}" ] && [ -d "$TMP" ] && return 0
	TMP=$(mktemp -d "${TMPDIR:-/tmp}/cassim-e2e.XXXXXX") ||
		bail_out "cannot create a temporary directory"
	OUT=$TMP/out
	ERR=$TMP/err
	: >"$OUT"
	: >"$ERR"
	if [ "${CASSIM_KEEP_TMP:-0}" = 1 ]; then
		trap 'echo "# kept $TMP"' EXIT
	else
		trap 'rm -rf "$TMP"' EXIT
	fi
	# Make signals run the EXIT trap too.
	trap 'exit 129' HUP
	trap 'exit 130' INT
	trap 'exit 143' TERM
}

# _tap_tail FILE: the last lines of FILE as diagnostics (if any).
_tap_tail() {
	[ -s "$1" ] && diag "$(basename "$1"):" "$(tail -n 10 "$1")"
	return 0
}

# py DESC PYTHON-BODY ARGS...: ok if the Python code (which may assert)
# exits 0; sys.argv[1:] are ARGS.  The test's $PYLIB (helpers) comes first.
py() {
	_py_desc=$1
	_py_code=$2
	shift 2
	if _py_out=$(python3 -c "${PYLIB:-}
$_py_code" "$@" 2>&1); then
		ok "$_py_desc"
	else
		not_ok "$_py_desc" "$_py_out"
	fi
}

# check DESC CMD...: ok if CMD exits 0.  Its output goes to $TMP/check.out
# and check.err, NOT $OUT/$ERR, so "check ... grep -q x "$OUT"" works.
check() {
	_tap_desc=$1
	shift
	if "$@" >"$TMP/check.out" 2>"$TMP/check.err"; then
		ok "$_tap_desc"
	else
		_tap_st=$?
		not_ok "$_tap_desc" "command: $*" "exit status $_tap_st"
		_tap_tail "$TMP/check.out"
		_tap_tail "$TMP/check.err"
	fi
}

# expect_exit CODE DESC CMD...: ok if CMD exits with CODE; stdout and stderr
# are left in $OUT and $ERR for the checks that follow.
expect_exit() {
	_tap_want=$1
	_tap_desc=$2
	shift 2
	if "$@" >"$OUT" 2>"$ERR"; then _tap_st=0; else _tap_st=$?; fi
	if [ "$_tap_st" -eq "$_tap_want" ]; then
		ok "$_tap_desc"
	else
		not_ok "$_tap_desc" "command: $*" \
			"expected exit status $_tap_want, got $_tap_st"
		_tap_tail "$OUT"
		_tap_tail "$ERR"
	fi
}

# expect_one_line_stderr DESC [ERE]: ok if the last expect_exit wrote exactly
# one non-empty line to stderr (cassim's "file:line:col: what" contract),
# matching the extended regular expression ERE when given.
expect_one_line_stderr() {
	_tap_lines=$(wc -l <"$ERR" | tr -d ' ')
	if [ "$_tap_lines" -ne 1 ] || ! [ -s "$ERR" ] || grep -q '^$' "$ERR"; then
		not_ok "$1" "expected one line on stderr, got $_tap_lines:"
		_tap_tail "$ERR"
	elif [ $# -ge 2 ] && ! grep -Eq -- "$2" "$ERR"; then
		not_ok "$1" "stderr does not match /$2/:" "$(cat "$ERR")"
	else
		ok "$1"
	fi
}

# done_testing: print the plan if plan was not called, check it otherwise,
# and exit 1 if anything failed.
done_testing() {
	if [ -z "$_tap_plan" ]; then
		echo "1..$_tap_n"
	elif [ "$_tap_plan" -ne "$_tap_n" ]; then
		diag "planned $_tap_plan tests but ran $_tap_n"
		exit 1
	fi
	if [ "$_tap_failed" -gt 0 ]; then
		diag "failed $_tap_failed of $_tap_n tests"
		exit 1
	fi
	exit 0
}

tmpdir
