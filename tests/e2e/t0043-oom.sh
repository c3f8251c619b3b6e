#!/bin/sh
# t0043-oom: out of memory is a clean end, never a crash.  Every allocation
# goes through sim/base/xalloc.c, and CASSIM_FAIL_ALLOC_AFTER=N makes
# allocation N+1 and all later ones fail.  Scanning N over a run (topology
# load in its child, workload load, scheduler set-up and the simulation) and
# over `topo`, each command must exit 0 (N past its last allocation) or 4 with
# exactly one line, "cassim: out of memory (BYTES bytes in FUNCTION)", and
# never die of a signal.
. "${CASSIM_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/e2e/lib.sh"
tmpdir

: "${CASSIM_DATADIR:=$CASSIM_SRCDIR}"
export CASSIM_DATADIR
cd "$TMP" || bail_out "cannot cd to $TMP"

LINE='^cassim: out of memory \([0-9]+ bytes in [A-Za-z_ ]+\)$'

expect_exit 2 "CASSIM_FAIL_ALLOC_AFTER=abc is bad input" env CASSIM_FAIL_ALLOC_AFTER=abc "$CASSIM" topo spr-2s-1node-2llc
expect_one_line_stderr "CASSIM_FAIL_ALLOC_AFTER=abc: one line" "CASSIM_FAIL_ALLOC_AFTER=abc: expected a non-negative integer"

# scan NAME CMD...: run CMD with N = 0, 1, 2, ... (the step grows by one per
# 20 runs) until it exits 0; every other exit must be 4 with one $LINE.  The
# messages go to NAME.msgs; the result is one TAP line.
scan() {
	_s_name=$1
	shift
	_s_n=0
	_s_bad=
	: >"$_s_name.msgs"
	while [ "$_s_n" -le 100000 ]; do
		CASSIM_FAIL_ALLOC_AFTER=$_s_n "$@" >/dev/null 2>"$_s_name.err"
		_s_st=$?
		[ "$_s_st" -eq 0 ] && break
		if [ "$_s_st" -ne 4 ] || [ "$(wc -l <"$_s_name.err")" -ne 1 ] ||
		   ! grep -Eq "$LINE" "$_s_name.err"; then
			_s_bad="N=$_s_n: exit $_s_st: $(cat "$_s_name.err")"
			break
		fi
		cat "$_s_name.err" >>"$_s_name.msgs"
		_s_n=$((_s_n + 1 + _s_n / 20))
	done
	if [ -n "$_s_bad" ]; then
		not_ok "$_s_name: every injected failure exits 4 with one line" "$_s_bad"
	elif [ "$_s_st" -ne 0 ]; then
		not_ok "$_s_name: every injected failure exits 4 with one line" "no N up to 100000 let it finish"
	else
		ok "$_s_name: every injected failure exits 4 with one line (finished at N=$_s_n)"
	fi
}

# phase NAME DESC ERE: some injected failure hit a function matching ERE.
phase() {
	if grep -Eq "bytes in ($3)\\)" "$1.msgs"; then
		ok "$1: failures injected into $2"
	else
		not_ok "$1: failures injected into $2" "no message names $3:" "$(sort -u "$1.msgs" | head -20)"
	fi
}

scan topo "$CASSIM" topo spr-2s-1node-2llc
phase topo "the topology load (in its child)" 'topo_load_internal|extract_[a-z_]+|add_info'
phase topo "receiving the topology from the child" 'recv_topo'

scan run "$CASSIM" run -t spr-2s-1node-2llc -w pingpong --duration 5ms --quiet
phase run "the topology load" 'topo_load_internal|extract_[a-z_]+|add_info|recv_topo'
phase run "the workload load" 'wl_load|read_file|expand|grow_buf|nmap_put'
phase run "the scheduler and the simulation" 'sched_new|cfs_init|sd_build|build_groups|sim_run|wl_interp_new'

done_testing
