#!/bin/sh
# t0074-man-tunables: the man page's lists of tunables are the ones their
# declarations generate (SCHED_PARAMS, CAS_FIELDS, MODEL_PARAMS through
# tools/man-tunables), so the page cannot drift from the code: after
# editing a declaration, `make man-update` rewrites the lists.
. "${CASSIM_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/e2e/lib.sh"
tmpdir
: "${MAN_TUNABLES:=$(pwd)/tools/man-tunables}"
MAN=$CASSIM_SRCDIR/sim/cassim.1

check "man-tunables regenerates the page" sh -c '"$1" "$2" > "$3"' sh "$MAN_TUNABLES" "$MAN" "$TMP/cassim.1"
check "sim/cassim.1 lists what the declarations say (else: make man-update)" diff -u "$MAN" "$TMP/cassim.1"

# Each list is there and complete: one entry per declared name, e.g. the
# first and last of each table.
for key in sched cas model; do
	check "the $key list is in the page" grep -q "^\\.\\\\\" BEGIN GENERATED $key:" "$MAN"
done
for name in hz numa_scan_period_max_ns enabled asym_misfit_fix freq_ghz noise_sigma; do
	check "$name has its entry" grep -q "^\\.BR $name \" (" "$MAN"
done
check "sched entries carry type, default, range and unit" \
	grep -qxF '.BR base_slice_ns " (time, default 700000, 100000..100000000 ns)"' "$MAN"
check "cas switches carry their feature's value names" \
	grep -qxF '.BR mem_gate " (integer, 0..2; feature mem_gate: 0 none, 1 rss, 2 numa-footprint)"' "$MAN"

# The check can fail: a stale or hand-edited list is rewritten.
sed '/^\.BR overaggr_pct /{n;s/.*/an old description/;}' "$MAN" > "$TMP/stale.1"
"$MAN_TUNABLES" "$TMP/stale.1" > "$TMP/fixed.1"
check "a hand-edited entry is rewritten" cmp -s "$TMP/fixed.1" "$TMP/cassim.1"
check "... so the page differed" sh -c '! cmp -s "$1" "$2"' sh "$TMP/stale.1" "$TMP/cassim.1"

# Bad input: one line naming the file and line, exit 2.
printf '.TH X 1\n.\\" BEGIN GENERATED nosuch\n.\\" END GENERATED nosuch\n' > "$TMP/bad.1"
expect_exit 2 "an unknown list is an error" "$MAN_TUNABLES" "$TMP/bad.1"
expect_one_line_stderr "it names the file, line and list" "bad.1:2: unknown generated list 'nosuch'"
printf '.TH X 1\n.\\" BEGIN GENERATED cas\n' > "$TMP/open.1"
expect_exit 2 "a list without its END line is an error" "$MAN_TUNABLES" "$TMP/open.1"
expect_one_line_stderr "it names the BEGIN line" "open.1:2: generated list without its END line"

if command -v groff >/dev/null 2>&1; then
	# (-Wbreak: a long URL elsewhere in the page cannot be adjusted)
	check "groff reads the page without warnings" sh -c \
		'groff -man -Tutf8 -ww -Wbreak -z "$1" 2>"$2" && ! [ -s "$2" ]' sh "$MAN" "$TMP/groff.err"
else
	skip "groff reads the page without warnings" "groff not installed"
fi
done_testing
