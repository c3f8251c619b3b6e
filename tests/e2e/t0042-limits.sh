#!/bin/sh
# t0042-limits: limits are enforced before the work they bound.  A synthetic
# topology over the 2,048-CPU cap is refused from its level counts before
# hwloc builds it (that took 8-30 s), in topo, run and a sweep plan's
# pre-check; hackbench counts set huge are refused on the thread count, naming
# the --set values, before any thread is made; `validate` maps such a row
# without overflowing groups x fds x fds.  Each command runs under
# `timeout 5`: a timeout (exit 124) is a failure.
. "${CASSIM_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/e2e/lib.sh"
tmpdir

: "${CASSIM_DATADIR:=$CASSIM_SRCDIR}"
export CASSIM_DATADIR
cd "$TMP" || bail_out "cannot cd to $TMP"
command -v timeout >/dev/null 2>&1 || bail_out "timeout(1) not found"

# fast DESC ERE CMD...: CMD exits 2 within 5 s with one stderr line matching ERE.
fast() {
	_f_desc=$1
	_f_re=$2
	shift 2
	expect_exit 2 "$_f_desc: exit 2 within 5 s" timeout 5 "$@"
	expect_one_line_stderr "$_f_desc: one line naming the limit" "$_f_re"
}

fast "topo pack:2049 l3:2 core:2 pu:1" \
	'^cassim: error: synthetic:pack:2049 l3:2 core:2 pu:1: 8196 CPUs .*more than the supported 2048$' \
	"$CASSIM" topo 'synthetic:pack:2049 l3:2 core:2 pu:1'
fast "topo pack:8192 pu:1" '8192 CPUs .*more than the supported 2048' \
	"$CASSIM" topo 'synthetic:pack:8192 pu:1'
fast "run on pack:8192 pu:1" '8192 CPUs .*more than the supported 2048' \
	"$CASSIM" run -t 'synthetic:pack:8192 pu:1' -w pingpong --duration 10ms
fast "counts whose product overflows" 'over [0-9]+ CPUs .*more than the supported 2048' \
	"$CASSIM" topo 'synthetic:pack:4294967296 core:4294967296 pu:4294967296'

cat >plan.json <<'PLAN'
{ "name": "huge", "topologies": ["synthetic:pack:8192 pu:1"],
  "workloads": [ { "workload": "pingpong" } ], "policies": ["cfs"], "seeds": 1, "duration": "10ms" }
PLAN
fast "sweep plan naming pack:8192 pu:1" '8192 CPUs .*more than the supported 2048' \
	"$CASSIM" sweep plan.json --out sw --quiet

# The largest topology the cap allows still loads.
check "pack:2 l3:4 core:128 pu:2 (2048 CPUs) loads" \
	"$CASSIM" topo 'synthetic:pack:2 l3:4 core:128 pu:2'

fast "hackbench groups=9999 fds=9999" \
	'hackbench.json:[0-9]+:[0-9]+: processes\[0\]\.threads: 199960002 threads \(expected at most 1000000 in a workload; from --set groups=9999 fds=9999\)$' \
	"$CASSIM" run -w hackbench --set groups=9999 --set fds=9999
fast "hackbench groups=99999999 fds=99999999" \
	'count 99999999 out of range \(expected 1\.\.1000000 threads or block instances; from --set groups=99999999\)$' \
	"$CASSIM" run -w hackbench --set groups=99999999 --set fds=99999999

# validate: the row maps (loops at its floor of 10) and fails by name.
{
	echo 'id,revision,machine,benchmark,params,metric,change_pct'
	echo 'huge,cfs,spr-2s-1node-2llc,hackbench,threads pipe fd=99999999 groups=99999999,time,0'
} >huge.csv
expect_exit 0 "validate --dry-run maps a huge hackbench row" \
	timeout 5 "$CASSIM" validate huge.csv --dry-run
if grep -q -- '--set groups=99999999 fds=99999999 .*loops=10 ' "$OUT"; then
	ok "validate --dry-run: loops at the floor"
else
	not_ok "validate --dry-run: loops at the floor" "$(cat "$OUT")"
fi
expect_exit 1 "validate runs the huge row within 5 s (a failed row: exit 1)" \
	timeout 5 "$CASSIM" validate huge.csv --seeds 1 --duration-scale 0.01 --quiet
if grep -q 'failed, a miss: cfs run failed: .*count 99999999 out of range' "$OUT"; then
	ok "validate: the row fails naming the count"
else
	not_ok "validate: the row fails naming the count" "$(cat "$OUT")"
fi

done_testing
