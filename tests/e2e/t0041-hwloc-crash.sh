#!/bin/sh
# t0041-hwloc-crash: an XML file that crashes libhwloc's importer
# (tests/fixtures/hwloc-crash-bitmap.xml) is a bad input for every verb that
# loads a topology: exit 2 and one line naming the file and the signal, never
# a crash of cassim (topo_load() parses XML in a forked child).
#
# The fixture is a Machine whose cpuset starts with a comma: libhwloc 2.9's
# hwloc_bitmap_sscanf() fails its assertion "count > 0" (SIGABRT; an
# out-of-bounds access in a build without assertions) in both XML importers,
# and `lstopo --input` crashes on it too.  It has no comment because hwloc
# refuses XML comments before it reaches the cpuset.
. "${CASSIM_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/e2e/lib.sh"
tmpdir

: "${CASSIM_DATADIR:=$CASSIM_SRCDIR}"
export CASSIM_DATADIR
cd "$TMP" || bail_out "cannot cd to $TMP"

XML=$CASSIM_SRCDIR/tests/fixtures/hwloc-crash-bitmap.xml
# With a libhwloc that no longer crashes on the file, cassim still refuses
# it (no PU), but the message is hwloc's, not the crash report.
if command -v hwloc-info >/dev/null 2>&1; then
	hwloc-info --input "$XML" >/dev/null 2>&1
	HWLOC_ST=$?
else
	HWLOC_ST=unknown
fi
if [ "$HWLOC_ST" = unknown ] || [ "$HWLOC_ST" -gt 128 ]; then
	RE="hwloc-crash-bitmap\\.xml: not a valid hwloc XML topology: hwloc crashed while parsing \\(signal [0-9]+, [A-Za-z ]+\\)$"
else
	diag "hwloc-info exits $HWLOC_ST on the fixture: this libhwloc does not crash on it"
	RE="hwloc-crash-bitmap\\.xml: "
fi

# refused DESC CMD...: exit 2 (not a signal) and one stderr line matching RE.
refused() {
	_r_desc=$1
	shift
	expect_exit 2 "$_r_desc: exit 2" "$@"
	expect_one_line_stderr "$_r_desc: one line naming the file and the signal" "^cassim: error: .*$RE"
}

refused "topo" "$CASSIM" topo "$XML"
refused "topo --json" "$CASSIM" topo "$XML" --json
refused "run" "$CASSIM" run -t "$XML" -w pingpong --duration 10ms
refused "compare" "$CASSIM" compare --policies cfs,cfs -t "$XML" -w pingpong --duration 10ms \
	--seeds 2 --quiet
cat >plan.json <<PLAN
{ "name": "crash", "topologies": ["$XML"], "workloads": [ { "workload": "pingpong" } ],
  "policies": ["cfs"], "seeds": 1, "duration": "10ms" }
PLAN
refused "sweep" "$CASSIM" sweep plan.json --out sw --quiet
refused "HWLOC_LIBXML_IMPORT=0 (the minimal importer)" \
	env HWLOC_LIBXML_IMPORT=0 "$CASSIM" topo "$XML"

# No core file from the crashed child, and nothing written by the failed run.
if ls core* sw/jobs/*.json >/dev/null 2>&1; then
	not_ok "no core file and no job result left" "$(ls)"
else
	ok "no core file and no job result left"
fi

# The isolation keeps good files byte-identical: the same file loads as before.
check "a good XML file still loads" "$CASSIM" topo "$CASSIM_SRCDIR/tests/fixtures/AMD-19h-Zen4-2xEpyc-9654.xml"
expect_exit 2 "a truncated file keeps its own message" "$CASSIM" topo "$CASSIM_SRCDIR/tests/fixtures/truncated.xml"
expect_one_line_stderr "truncated: hwloc's refusal, not a crash" "truncated\\.xml: not a valid hwloc XML topology \\("

done_testing
