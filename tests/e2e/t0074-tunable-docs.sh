#!/bin/sh
# t0074-tunable-docs: the lists of tunables in the man page and the table
# of switches per revision in docs/policies.md are the ones their
# declarations generate (SCHED_PARAMS, CAS_FIELDS, MODEL_PARAMS, cas_revs
# through tools/tunable-docs), so neither can drift from the code: after
# editing a declaration, `make update-tunable-docs` rewrites them.
. "${CASSIM_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/e2e/lib.sh"
tmpdir
: "${TUNABLE_DOCS:=$(pwd)/tools/tunable-docs}"
MAN=$CASSIM_SRCDIR/sim/cassim.1
DOC=$CASSIM_SRCDIR/docs/policies.md

check "tunable-docs regenerates the man page" sh -c '"$1" "$2" > "$3"' sh "$TUNABLE_DOCS" "$MAN" "$TMP/cassim.1"
check "sim/cassim.1 lists what the declarations say (else: make update-tunable-docs)" diff -u "$MAN" "$TMP/cassim.1"
check "tunable-docs regenerates docs/policies.md" sh -c '"$1" "$2" > "$3"' sh "$TUNABLE_DOCS" "$DOC" "$TMP/policies.md"
check "docs/policies.md shows what cas_revs say (else: make update-tunable-docs)" diff -u "$DOC" "$TMP/policies.md"

# Each list is there and complete: one entry per declared name, e.g. the
# first and last of each table.
for key in sched cas model; do
	check "the $key list is in the man page" grep -q "^\\.\\\\\" BEGIN GENERATED $key:" "$MAN"
done
for name in hz numa_scan_period_max_ns enabled asym_misfit_fix freq_ghz noise_sigma; do
	check "$name has its entry" grep -q "^\\.BR $name \" (" "$MAN"
done
check "sched entries carry type, default, range and unit" \
	grep -qxF '.BR base_slice_ns " (time, default 700000, 100000..100000000 ns)"' "$MAN"
check "cas switches carry their feature's value names" \
	grep -qxF '.BR mem_gate " (integer, 0..2; feature mem_gate: 0 none, 1 rss, 2 numa-footprint)"' "$MAN"
check "the switches table is in docs/policies.md" grep -q '^<!-- BEGIN GENERATED cas-switches:' "$DOC"
# cas_rev.c: merged (D_MERGED) has the 80 % thread gate; cas-7.2-fixes
# (d6013e2465d9) the llc-only stopper; only cas-asym-fix the misfit fix;
# the RFC v3/v4 features are knobs of those two revisions only.
check "one column per revision, values from the rows" grep -qxF \
	'| alb_victim (`alb_victim`) | tail | tail | tail | tail | tail | tail | tail | tail | tail | llc-only | tail |' "$DOC"
check "... the last revision's own switch" grep -qxF \
	'| asym_misfit_fix (`asym_misfit_fix`) | off | off | off | off | off | off | off | off | off | off | on |' "$DOC"
check "... a knob some revisions lack" grep -qxF \
	'| SCHED_CACHE_LB (`SCHED_CACHE_LB`) | — | — | on | on | — | — | — | — | — | — | — |' "$DOC"

# The check can fail: a stale or hand-edited list is rewritten.
sed '/^\.BR overaggr_pct /{n;s/.*/an old description/;}' "$MAN" > "$TMP/stale.1"
"$TUNABLE_DOCS" "$TMP/stale.1" > "$TMP/fixed.1"
check "a hand-edited entry is rewritten" cmp -s "$TMP/fixed.1" "$TMP/cassim.1"
check "... so the page differed" sh -c '! cmp -s "$1" "$2"' sh "$TMP/stale.1" "$TMP/cassim.1"
sed 's/^| occupancy (`occ_sum`) | mean | mean |/| occupancy (`occ_sum`) | sum | mean |/' "$DOC" > "$TMP/stale.md"
"$TUNABLE_DOCS" "$TMP/stale.md" > "$TMP/fixed.md"
check "a hand-edited table cell is rewritten" cmp -s "$TMP/fixed.md" "$TMP/policies.md"
check "... so the table differed" sh -c '! cmp -s "$1" "$2"' sh "$TMP/stale.md" "$TMP/policies.md"

# Bad input: one line naming the file and line, exit 2.
printf '.TH X 1\n.\\" BEGIN GENERATED nosuch\n.\\" END GENERATED nosuch\n' > "$TMP/bad.1"
expect_exit 2 "an unknown list is an error" "$TUNABLE_DOCS" "$TMP/bad.1"
expect_one_line_stderr "it names the file, line and list" "bad.1:2: unknown generated list 'nosuch'"
printf 'x\n<!-- BEGIN GENERATED cas -->\n<!-- END GENERATED sched -->\n' > "$TMP/open.md"
expect_exit 2 "a list without its END line is an error" "$TUNABLE_DOCS" "$TMP/open.md"
expect_one_line_stderr "it names the BEGIN line" "open.md:2: generated list without its END line"

if command -v groff >/dev/null 2>&1; then
	# (-Wbreak: a long URL elsewhere in the page cannot be adjusted)
	check "groff reads the page without warnings" sh -c \
		'groff -man -Tutf8 -ww -Wbreak -z "$1" 2>"$2" && ! [ -s "$2" ]' sh "$MAN" "$TMP/groff.err"
else
	skip "groff reads the page without warnings" "groff not installed"
fi
done_testing
