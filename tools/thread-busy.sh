#!/bin/sh
# thread-busy.sh: how much of the time the threads of a real benchmark run.
#
#   tools/thread-busy.sh [-s SETTLE] [-w WINDOW] [-k] [--] COMMAND [ARG...]
#
# Starts COMMAND, lets it settle for SETTLE seconds (default 1), then reads
# /proc/PID/task/*/schedstat (time on the CPU, time runnable on a runqueue,
# timeslices) at the start and the end of a WINDOW-second window (default 2)
# and prints, per thread alive in both readings:
#
#   busy     time on a CPU / wall time: what the task's PELT utilisation
#            follows (before frequency scaling), and the chance that a
#            cache-aware occupancy scan finds it running;
#   waiting  time runnable but not running / wall time;
#   running  the sum of busy over the threads: the number of its threads
#            running at an instant, on average, which is what the CAS
#            thread gate averages (nr_running_avg) and, over the LLC's CPU
#            count, about what the util caps see;
#   error    how far busy and waiting may be off, as a fraction of the
#            window (the largest over the threads): the kernel brings a
#            thread's counters up to date only when it is switched or at a
#            tick, so each reading may miss the wait under way (taken as at
#            most twice the thread's mean wait per timeslice) or a tick of
#            running, and the clock is read around the reading of the
#            tasks.  It grows when the machine is loaded: measure on an
#            idle one, or over a longer window.
#
# Why: the hackbench rows of papers/validation hinge on this number (the
# report's misses; workloads/MODELS.md, "When a blocked writer is woken").
# The model's answer for the same configuration is cpu_s / (thr x simulated)
# in the process line of `cassim run`.  Example, on the machine to compare:
#
#   tools/thread-busy.sh -w 5 -- perf bench sched messaging -t -p -g 1 -l 2000000
#
# COMMAND must be the multi-threaded process itself (perf, hackbench), not a
# shell wrapping it: the threads read are those of the PID it starts.  Its
# main thread is left out when it has others (it only waits for them).  The
# command is stopped (SIGTERM) when the window closes.  Needs a kernel with
# CONFIG_SCHED_INFO (every distribution kernel).  -k prints key=value lines
# instead of the table.  Exit status 2: usage errors, or the command ended
# before the window closed (give it more loops).
set -u

me=thread-busy.sh
die() {
	printf '%s: %s\n' "$me" "$*" >&2
	exit 2
}
usage() {
	die "usage: $me [-s SETTLE] [-w WINDOW] [-k] [--] COMMAND [ARG...] (-h for help)"
}

settle=1 window=2 kv=0
while [ $# -gt 0 ]; do
	case $1 in
	-h | --help) sed -n '2,/^set -u/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
	-s) [ $# -ge 2 ] || usage; settle=$2; shift 2 ;;
	-w) [ $# -ge 2 ] || usage; window=$2; shift 2 ;;
	-k) kv=1; shift ;;
	--) shift; break ;;
	-*) die "unknown option '$1' (-h for help)" ;;
	*) break ;;
	esac
done
[ $# -gt 0 ] || usage
# seconds: a decimal number; the window must be longer than zero
is_secs() {
	printf '%s\n' "$1" | grep -Eq '^[0-9]+(\.[0-9]+)?$'
}
is_secs "$settle" || die "-s '$settle': not a number of seconds"
is_secs "$window" || die "-w '$window': not a number of seconds"
awk -v w="$window" 'BEGIN { exit !(w > 0) }' || die "-w '$window': the window must be longer than 0 s"
[ -r /proc/self/schedstat ] || die "no /proc/PID/schedstat here (kernel without CONFIG_SCHED_INFO)"
command -v "$1" >/dev/null 2>&1 || die "'$1': command not found"

log=$(mktemp) || die "mktemp failed"
"$@" >"$log" 2>&1 &
pid=$!
trap 'kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; rm -f "$log"' EXIT
trap 'exit 130' INT TERM

# snap: "tid run_ns wait_ns slices" per task of $pid, then "T ns dur_ns"
# (the wall clock, read before and after the tasks and averaged, and how
# long the reading took)
snap() {
	t0=$(date +%s%N)
	for f in /proc/"$pid"/task/*/schedstat; do
		[ -r "$f" ] || continue
		tid=${f#/proc/"$pid"/task/}
		tid=${tid%/schedstat}
		read -r run wait slices <"$f" 2>/dev/null && echo "$tid $run $wait $slices"
	done
	t1=$(date +%s%N)
	echo "T $(((t0 + t1) / 2)) $((t1 - t0))"
}
alive() {
	kill -0 "$pid" 2>/dev/null
}
ended() {
	out=$(tail -n 3 "$log" | tr '\n' ' ')
	die "'$*' ended before the window closed (make it run longer than $settle + $window s)${out:+; its output: $out}"
}

sleep "$settle"
alive || ended "$@"
a=$(snap)
sleep "$window"
alive || ended "$@"
b=$(snap)

printf "%s\n%s\n" "$a" "$b" | awk -v pid="$pid" -v kv="$kv" -v cpus="$(nproc)" '
$1 == "T" { t[++n] = $2; d[n] = $3; next }
n == 0 { run0[$1] = $2; wait0[$1] = $3; sl0[$1] = $4; next }
($1 in run0) { run[$1] = $2 - run0[$1]; wt[$1] = $3 - wait0[$1]; sl[$1] = $4 - sl0[$1]; k++ }
END {
	dt = t[2] - t[1]
	if (dt <= 0) { print "thread-busy.sh: the clock did not advance" > "/dev/stderr"; exit 2 }
	if (k > 1 && (pid in run)) { delete run[pid]; k-- }
	if (k == 0) { print "thread-busy.sh: no thread alive through the window" > "/dev/stderr"; exit 2 }
	bmin = 1e9; bmax = -1; wmin = 1e9; wmax = -1
	for (i in run) {
		b = run[i] / dt; w = wt[i] / dt
		bs += b; ws += w; ss += sl[i]
		if (b < bmin) bmin = b; if (b > bmax) bmax = b
		if (w < wmin) wmin = w; if (w > wmax) wmax = w
		# per reading: a wait under way (2 x the mean wait per slice)
		# or a tick of running (up to 10 ms at HZ=100) not yet counted
		lag = 2 * (sl[i] > 0 ? wt[i] / sl[i] : wt[i]) + 1e7
		e = (2 * lag + (d[1] + d[2]) / 2) / dt
		if (e > emax) emax = e
	}
	if (kv) {
		printf "threads=%d window_s=%.3f cpus=%d\n", k, dt / 1e9, cpus
		printf "busy_mean=%.4f busy_min=%.4f busy_max=%.4f\n", bs / k, bmin, bmax
		printf "waiting_mean=%.4f waiting_min=%.4f waiting_max=%.4f\n", ws / k, wmin, wmax
		printf "running_avg=%.3f running_pct_of_cpus=%.2f\n", bs, 100 * bs / cpus
		printf "slices_per_thread_s=%.1f\n", ss / k / (dt / 1e9)
		printf "error=%.4f\n", emax
	} else {
		printf "%d threads, %.3f s window, %d CPUs\n", k, dt / 1e9, cpus
		printf "busy      mean %.3f  min %.3f  max %.3f   (on a CPU / wall time, per thread)\n", bs / k, bmin, bmax
		printf "waiting   mean %.3f  min %.3f  max %.3f   (runnable, not running)\n", ws / k, wmin, wmax
		printf "running   %.2f threads at an instant on average (%.1f %% of the CPUs)\n", bs, 100 * bs / cpus
		printf "slices    %.0f per thread per second\n", ss / k / (dt / 1e9)
		printf "error     busy and waiting within +-%.3f (load on the machine widens it)\n", emax
	}
}'
