#!/bin/sh
# t0067-observe: cassim observe prints public observables beside the
# model's figures (papers/validation/observables.csv, study/observe.c).
# The model's column must be the run's own counters: migrations.total over
# the simulated run length and the wakeup-latency p99 of the same run as
# `cassim run --json` gives it (same topology, workload, --set pairs and
# seed); a malformed table is one file:line error with exit status 2.
. "${CASSIM_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/e2e/lib.sh"
tmpdir
: "${CASSIM_DATADIR:=$CASSIM_SRCDIR}"
export CASSIM_DATADIR
cd "$TMP" || bail_out "cannot cd to $TMP"
command -v python3 >/dev/null 2>&1 || bail_out "python3 not found (tools/setup.sh installs it)"

TOPO="synthetic:pack:1 l3:2 core:4 pu:2"
SETS="mode=thread ipc=pipe groups=1 fds=4 loops=300"
HDR="id,topology,workload,params,policy,duration,observable,published,source"
{
	echo "# a comment line"
	echo "$HDR"
	echo "hb-migr,$TOPO,hackbench,$SETS,,100ms,migrations_per_s,7500,\"test figure, with a comma\""
	echo "hb-p99,$TOPO,hackbench,$SETS,cfs,100ms,wakeup_lat_p99_us,50,test figure"
} >obs.csv

check "observe runs the table" $CASSIM observe obs.csv --seeds 1 --quiet --out obs.md
set --
for kv in $SETS; do set -- "$@" --set "$kv"; done
check "the same run with cassim run" $CASSIM run -t "$TOPO" -w hackbench "$@" -d 100ms --seed 1 --json run.json --quiet

PYLIB='
import json, sys
def row(md, rid):
    for line in open(md):
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if cells and cells[0] == rid:
            return cells
    raise AssertionError("no row " + rid)
res = json.load(open("run.json"))["results"]
'
py "migrations_per_s = migrations.total / simulated seconds of the run" '
tot = res["total"]["migrations"]["total"]
want = tot / (res["duration_ns"] / 1e9)
assert tot > 0, tot
c = row("obs.md", "hb-migr")
assert c[4] == "7500", c
assert c[5] == "%.4g" % want, (c[5], want)
assert c[6] == "%.2f" % (want / 7500), (c[6], want)
assert c[7] == "test figure, with a comma", c
'
py "wakeup_lat_p99_us = the run's wakeup-latency p99" '
want = res["total"]["wakeup_lat_p99_us"]
c = row("obs.md", "hb-p99")
assert c[5] == "%.4g" % want, (c[5], want)
assert c[6] == "%.2f" % (want / 50), (c[6], want)
'
check "the table says it is not scored" grep -q "not scored" obs.md

{ echo "$HDR"; echo "x,$TOPO,hackbench,,,100ms,llc_misses,3,src"; } >bad1.csv
expect_exit 2 "unknown observable" $CASSIM observe bad1.csv --quiet
expect_one_line_stderr "names file, line and the observables" "^cassim: error: bad1.csv:2: observable 'llc_misses': expected one of migrations_per_s"
{ echo "$HDR"; echo "x,$TOPO,hackbench,,,100ms,migrations_per_s,many,src"; } >bad2.csv
expect_exit 2 "published not a number" $CASSIM observe bad2.csv --quiet
expect_one_line_stderr "names the value" "bad2.csv:2: published 'many'"
{ echo "id,topology,workload"; } >bad3.csv
expect_exit 2 "wrong header" $CASSIM observe bad3.csv --quiet
expect_one_line_stderr "names the field count" "bad3.csv:1: expected 9 fields"
{ echo "$HDR"; echo "x,$TOPO,hackbench,loops,,100ms,migrations_per_s,1,src"; } >bad4.csv
expect_exit 2 "params entry without =" $CASSIM observe bad4.csv --quiet
expect_one_line_stderr "names the entry" "bad4.csv:2: params: 'loops' is not KEY=VALUE"
{ echo "$HDR"; echo "x,$TOPO,hackbench,nosuch=1,,100ms,migrations_per_s,1,src"; } >bad5.csv
expect_exit 2 "unknown --set key, before any run" $CASSIM observe bad5.csv --quiet
expect_one_line_stderr "names the line and the key" "bad5.csv:2: .*nosuch"
done_testing
