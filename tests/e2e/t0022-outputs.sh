#!/bin/sh
# t0022-outputs: what cassim writes, and what it does when it cannot.
# A write error on standard output (> /dev/full) fails every verb with exit
# 1 and one line; a symbolic link at an output path stays a link (its
# target is written), a device is written in place, a full device is a
# failure; every output of every verb is probed before the work starts and
# an unwritable one is exit 1 at once; `run` never loses the previous good
# JSON when its CSV fails; a sweep directory is locked (a second sweep is
# refused, naming the holder's pid) and a SIGKILLed sweep's workers die
# with it.
. "${CASSIM_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/e2e/lib.sh"
tmpdir
: "${CASSIM_DATADIR:=$CASSIM_SRCDIR}"
export CASSIM_DATADIR
cd "$TMP" || bail_out "cannot cd to $TMP"

TOPO=spr-2s-1node-2llc
RUN="run --topology $TOPO --workload pingpong --duration 10ms"
CSV=$CASSIM_SRCDIR/tests/fixtures/validate/small.csv
TRACE=$CASSIM_SRCDIR/tests/fixtures/perf-sched/pingpong.txt
NOWHERE=$TMP/no-such-dir/sub

# fast DESC SECONDS CMD...: expect_exit 1 within SECONDS of wall time (the
# output is probed before the work, not found unwritable after it).
fast() {
	_f_desc=$1
	_f_max=$2
	shift 2
	_f_t0=$(date +%s)
	expect_exit 1 "$_f_desc: exit 1" "$@"
	_f_t=$(($(date +%s) - _f_t0))
	if [ "$_f_t" -le "$_f_max" ]; then ok "$_f_desc: before the work (${_f_t}s)"
	else not_ok "$_f_desc: before the work" "took ${_f_t}s"; fi
}

# ---- 3. standard output ---------------------------------------------------------
if [ -c /dev/full ] && [ -w /dev/full ]; then
	# (the shell opens /dev/full: cassim only sees a descriptor)
	for verb in "topo $TOPO --json" "policies" "$RUN" "run --topology $TOPO --workload pingpong --duration 10ms --json -" \
		"validate --dry-run $CSV" "import perf-sched $TRACE"; do
		# shellcheck disable=SC2086
		expect_exit 1 "stdout on /dev/full: $verb" sh -c "\"\$CASSIM\" $verb >/dev/full"
		expect_one_line_stderr "stdout on /dev/full: $verb: one line" \
			"^cassim: error: standard output: write error: No space left on device$"
	done
else
	skip "stdout on /dev/full" "no writable /dev/full"
fi

# ---- 4. links, devices ---------------------------------------------------------
mkdir real
ln -s real/r.json link.json
expect_exit 0 "--json through a dangling symlink" "$CASSIM" $RUN --json link.json --csv link.csv --quiet
check "the symlink is still a symlink" test -L link.json
check "its target holds the JSON" grep -q '"results"' real/r.json
ln -s ../link.json real/chain.json
expect_exit 0 "--json through a chain of relative links" "$CASSIM" $RUN --json real/chain.json --quiet
check "the chain stays links" sh -c 'test -L real/chain.json && test -L link.json && test -f real/r.json'
ls -a real >ls.txt
check "no temporary file left beside the target" sh -c '[ "$(tr "\n" " " <ls.txt)" = ". .. chain.json r.json " ]'
mkfifo fifo
cat fifo >fifo.out &
READER=$!
expect_exit 0 "--csv to a FIFO" "$CASSIM" $RUN --csv fifo --quiet
# a cassim that replaced the FIFO left its reader waiting: end it
[ -p fifo ] || kill $READER 2>/dev/null
wait $READER
check "the FIFO is still a FIFO" test -p fifo
check "the reader got the CSV" grep -q '^topology,workload,parameters,policy,seed,scope,process,metric,stat,unit,value,text$' fifo.out
# Device nodes of our own, never the system's: a cassim that replaces its
# output path would turn them into regular files.
if mknod full c 1 7 2>/dev/null && mknod null c 1 3 2>/dev/null; then
	expect_exit 1 "--csv to a full device fails" "$CASSIM" $RUN --csv full --quiet
	expect_one_line_stderr "full device: one line with the reason" "full: write error: No space left on device"
	check "the full device is still a character device" test -c full
	expect_exit 0 "--json to a null device works" "$CASSIM" $RUN --json null --quiet
	check "the null device is still a character device" test -c null
else
	skip "outputs to device nodes" "mknod needs root"
fi

# ---- 5. outputs probed before the work, one exit status ---------------------------
fast "run --json in a missing directory" 2 "$CASSIM" run --topology $TOPO --workload hackbench \
	--duration 60s --json "$NOWHERE/r.json" --quiet
expect_one_line_stderr "run --json: one line naming path and reason" \
	"^cassim: error: $NOWHERE/r.json: cannot open for writing: No such file or directory$"
fast "run --csv is a directory" 2 "$CASSIM" run --topology $TOPO --workload hackbench \
	--duration 60s --csv real --quiet
expect_one_line_stderr "run --csv directory: one line" "real: cannot open for writing: Is a directory"
fast "run --trace unwritable" 2 "$CASSIM" run --topology $TOPO --workload hackbench \
	--duration 60s --trace "$NOWHERE/t.json" --quiet
fast "run --timeline unwritable" 2 "$CASSIM" run --topology $TOPO --workload hackbench \
	--duration 60s --timeline "$NOWHERE/t.csv" --quiet
: >afile
fast "compare --out under a file" 2 "$CASSIM" compare --topology $TOPO --workload hackbench \
	--duration 60s --policies cfs,cas-v4 --seeds 2 --out afile/cmp --quiet
expect_one_line_stderr "compare --out: one line" "^cassim: error: --out afile/cmp: .*afile is not a directory$"
fast "import -o unwritable" 2 "$CASSIM" import perf-sched "$TRACE" -o "$NOWHERE/w.json" --quiet
fast "validate --out under a file" 2 "$CASSIM" validate --out afile/v --seeds 2 "$CSV"
expect_one_line_stderr "validate --out: one line" "^cassim: error: --out afile/v: .*not a directory$"
cat >slow.json <<EOF
{ "name": "slow", "topologies": ["$TOPO"],
  "workloads": [ { "workload": "hackbench", "params": { "loops": [1000000] } } ],
  "policies": ["cfs"], "seeds": 2, "duration": "30s" }
EOF
fast "sweep --out under a file" 2 "$CASSIM" sweep slow.json --out afile/sw --quiet
check "the sweep wrote nothing" test ! -e afile/sw
if command -v gnuplot >/dev/null 2>&1; then
	printf 'topology,workload,parameters,policy,seed,scope,process,metric,stat,unit,value,text\n' >t.csv
	fast "plot --out a directory's files" 2 "$CASSIM" plot lines t.csv --x x --metric m --out "$NOWHERE/p"
	mkdir figs
	ln -s figs/tl.png tl.png
	expect_exit 0 "plot through a symlink" "$CASSIM" plot timeline \
		"$CASSIM_SRCDIR/plots/examples/timeline.csv" --out tl
	check "plot: the link stays a link, its target is the PNG" \
		sh -c 'test -L tl.png && test -s figs/tl.png && test -s tl.svg'
fi

# ---- 7. run keeps the previous result; sweeps lock their directory ------------------
expect_exit 0 "a good run writes r.json" "$CASSIM" $RUN --json good.json --csv good.csv --quiet
cp good.json good.json.orig
if [ -c full ]; then
	expect_exit 1 "a run whose CSV fails" "$CASSIM" $RUN --seed 2 --json good.json --csv full --quiet
	check "the previous JSON is kept, byte for byte" cmp good.json good.json.orig
fi
chmod 0555 real 2>/dev/null
if [ "$(id -u)" != 0 ]; then
	expect_exit 1 "a run whose CSV directory is read-only" "$CASSIM" $RUN --seed 2 --json good.json \
		--csv real/x.csv --quiet
	check "the previous JSON is kept" cmp good.json good.json.orig
fi
chmod 0755 real

# wait_for PATH: up to 20 s for PATH to appear.
wait_for() {
	_w=0
	while [ ! -e "$1" ] && [ $_w -lt 200 ]; do sleep 0.1; _w=$((_w + 1)); done
}
"$CASSIM" sweep slow.json --out sw --jobs 2 --quiet >sw.out 2>sw.err &
SWEEP=$!
wait_for sw/plan.json
expect_exit 1 "a second sweep of the same plan is refused" "$CASSIM" sweep slow.json --out sw --quiet
expect_one_line_stderr "the refusal names the holder's pid" \
	"^cassim: error: sw: another cassim sweep is writing there \(pid $SWEEP holds its lock\)$"
cat >other.json <<EOF
{ "name": "other", "topologies": ["$TOPO"], "workloads": [ { "workload": "pingpong" } ],
  "policies": ["cfs"], "seeds": 2, "duration": "10ms" }
EOF
expect_exit 1 "a sweep of another plan is refused while it runs" "$CASSIM" sweep other.json --out sw --quiet
check "no job of the second sweep was written" sh -c '[ "$(ls sw/jobs | wc -l)" -eq 0 ]'
"$CASSIM" sweep slow.json --out ids --emit-jobs ids.txt >/dev/null 2>&1
ID=$(sed -n '1s/.* --only //p' ids.txt)
expect_exit 1 "an --only job is refused while a whole sweep runs" "$CASSIM" sweep slow.json --out sw --only "$ID" --quiet
expect_one_line_stderr "the --only refusal names the pid" "\(pid $SWEEP holds its lock\)$"
# the workers (hackbench -l 1000000 runs for minutes): wait until both are up
_w=0
while [ "$(pgrep -P $SWEEP | wc -l)" -lt 2 ] && [ $_w -lt 200 ]; do sleep 0.1; _w=$((_w + 1)); done
WORKERS=$(pgrep -P $SWEEP | tr '\n' ' ')
kill -9 $SWEEP
wait $SWEEP 2>/dev/null
# alive PIDS: those still running (a zombie waits for a reaper: it is dead)
alive() {
	for _p in $1; do
		[ -r /proc/$_p/stat ] && [ "$(cut -d' ' -f3 /proc/$_p/stat)" != Z ] && echo $_p
	done
}
_w=0
while [ -n "$(alive "$WORKERS")" ] && [ $_w -lt 50 ]; do sleep 0.1; _w=$((_w + 1)); done
if [ -z "$WORKERS" ]; then
	not_ok "the sweep had workers" "pgrep -P $SWEEP found none"
elif [ -n "$(alive "$WORKERS")" ]; then
	not_ok "the workers die with a SIGKILLed sweep" "still running: $(alive "$WORKERS")"
	kill -9 $(alive "$WORKERS") 2>/dev/null
else
	ok "the workers die with a SIGKILLed sweep (within $((_w * 100)) ms)"
fi
expect_exit 2 "after it, the other plan is refused as another plan" "$CASSIM" sweep other.json --out sw --quiet
expect_one_line_stderr "naming plan.json" "sw/plan.json holds another plan"

# two sweeps of different plans started together on one new directory:
# exactly one is accepted, and plan.json is its plan
i=0
while [ $i -lt 5 ]; do
	i=$((i + 1))
	sed 's/"seeds": 2/"seeds": 3/' other.json >other3.json
	"$CASSIM" sweep other.json --out race$i --quiet >/dev/null 2>&1 & A=$!
	"$CASSIM" sweep other3.json --out race$i --quiet >/dev/null 2>&1 & B=$!
	wait $A; ra=$?
	wait $B; rb=$?
	if [ $ra -eq 0 ] && [ $rb -eq 0 ]; then echo both >>race.txt; fi
done
check "of two different plans started together, never both accepted" test ! -e race.txt

done_testing
