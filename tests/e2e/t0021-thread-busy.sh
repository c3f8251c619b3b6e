#!/bin/sh
# t0021-thread-busy: tools/thread-busy.sh, which reads from schedstat how much
# of the time a real benchmark's threads run (the number the hackbench rows of
# the validation hinge on).  Checked on commands whose answer is known
# whatever else the machine runs: a busy loop is always runnable (on a CPU
# or queued), a sleep never runs; a two-thread pipe ping-pong
# (tools/pipe-probe) reports its two threads, not its waiting main thread,
# and a running average equal to the sum of the busy fractions.  Usage errors
# exit 2.  Takes about 3 s (each measurement waits out its window).
. "${CASSIM_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/e2e/lib.sh"
tmpdir
cd "$TMP" || bail_out "cannot cd to $TMP"
TB=$CASSIM_SRCDIR/tools/thread-busy.sh
: "${PIPE_PROBE:=${CASSIM_BUILDDIR:-$CASSIM_SRCDIR}/tools/pipe-probe}"
[ -x "$PIPE_PROBE" ] || bail_out "no $PIPE_PROBE (make check builds it)"
[ -r /proc/self/schedstat ] || bail_out "no /proc/PID/schedstat on this kernel"

# kv KEY: the value of KEY=... in $OUT
kv() {
	sed -n "s/.*\\<$1=\\([^ ]*\\).*/\\1/p" "$OUT" | head -n 1
}
# not_running WORDS: no process's command line is WORDS (read from /proc:
# procps may not be installed; a function, so no process carries WORDS)
not_running() {
	for _f in /proc/[0-9]*/cmdline; do
		[ "$(tr '\0' ' ' <"$_f" 2>/dev/null)" = "$* " ] && return 1
	done
	return 0
}
# within V LO HI: LO <= V <= HI
within() {
	awk -v v="$1" -v lo="$2" -v hi="$3" 'BEGIN { exit !(v != "" && v + 0 >= lo && v + 0 <= hi) }'
}

expect_exit 2 "no command: usage, exit 2" sh "$TB"
expect_one_line_stderr "usage: one line" "usage: thread-busy.sh"
expect_exit 2 "unknown option" sh "$TB" -x true
expect_one_line_stderr "unknown option: named" "unknown option '-x'"
expect_exit 2 "window of 0 s" sh "$TB" -w 0 true
expect_one_line_stderr "window of 0 s: why" "longer than 0 s"
expect_exit 2 "window that is not a number" sh "$TB" -w 2s true
expect_one_line_stderr "window not a number: names it" "-w '2s'"
expect_exit 2 "a command that does not exist" sh "$TB" no-such-command-here
expect_one_line_stderr "missing command: named" "'no-such-command-here': command not found"
expect_exit 2 "a command that ends before the window closes" sh "$TB" -s 0 -w 0.3 sh -c 'echo bye'
expect_one_line_stderr "early end: says so, with its output" "ended before the window closed.*its output: bye"
expect_exit 0 "-h: help, exit 0" sh "$TB" -h
check "-h: shows the synopsis" grep -q "tools/thread-busy.sh \[-s SETTLE\]" "$OUT"

expect_exit 0 "busy loop: measured" sh "$TB" -k -s 0.1 -w 0.5 sh -c 'while :; do :; done'
check "busy loop: one thread" test "$(kv threads)" = 1
# A busy loop is always runnable: each instant it is either on a CPU (busy)
# or queued behind other tasks (waiting), so busy + waiting is 1 however
# loaded the machine is (busy alone was 0.25 under a load of 7), within the
# error the tool reports (which grows with the load: 0.08-0.11 measured on
# a lightly loaded 2-CPU VM, 0.29-0.44 with 3 more busy loops per CPU).
check "busy loop: busy + waiting = 1 within the reported error" \
	awk -v b="$(kv busy_mean)" -v w="$(kv waiting_mean)" -v e="$(kv error)" \
	'BEGIN { d = b + w - 1; exit !(e != "" && e > 0 && e < 1 && d <= e && d >= -e) }'
check "busy loop: on a CPU part of the window" within "$(kv busy_mean)" 0.001 1.02
check "busy loop: window about 0.5 s" within "$(kv window_s)" 0.45 0.9

# the command lines carry this shell's pid, so that another run of this
# test on the machine (a concurrent suite) cannot look like a leftover
SLEEP_S=30.$$
expect_exit 0 "sleep: measured" sh "$TB" -k -s 0.1 -w 0.5 sleep "$SLEEP_S"
check "sleep: runs under 2 % of the window" within "$(kv busy_mean)" 0 0.02
check "sleep: the command is stopped at the end" not_running sleep "$SLEEP_S"

LOOPS=$((100000000 + $$))
expect_exit 0 "pipe ping-pong: measured" sh "$TB" -k -s 0.2 -w 0.5 "$PIPE_PROBE" hackbench 1 "$LOOPS"
check "pipe ping-pong: its 2 threads, not the main thread" test "$(kv threads)" = 2
check "pipe ping-pong: each thread busy 5-102 %" \
	sh -c "awk -v a='$(kv busy_min)' -v b='$(kv busy_max)' 'BEGIN { exit !(a >= 0.05 && b <= 1.02 && a <= b) }'"
check "pipe ping-pong: running = 2 x mean busy" \
	awk -v r="$(kv running_avg)" -v m="$(kv busy_mean)" 'BEGIN { d = r - 2 * m; exit !(r > 0 && d < 0.002 && d > -0.002) }'
check "pipe ping-pong: the probe is stopped at the end" not_running "$PIPE_PROBE" hackbench 1 "$LOOPS"

done_testing
