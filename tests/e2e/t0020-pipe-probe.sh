#!/bin/sh
# t0020-pipe-probe: tools/pipe-probe, the program that measures on a real
# machine the pipe facts the hackbench model depends on, builds and reports
# what it says: every key, values in range, the message count it was asked
# for, and usage errors with exit status 2.  Timings are the host's and
# are not checked, only their shape.  Takes well under a second.
. "${CASSIM_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/e2e/lib.sh"
tmpdir
cd "$TMP" || bail_out "cannot cd to $TMP"
: "${PIPE_PROBE:=${CASSIM_BUILDDIR:-$CASSIM_SRCDIR}/tools/pipe-probe}"
[ -x "$PIPE_PROBE" ] || bail_out "no $PIPE_PROBE (make check builds it)"
command -v python3 >/dev/null 2>&1 || bail_out "python3 not found"

# kv KEY FILE: the value of KEY=... on the first line of FILE that has it
kv() {
	sed -n "s/.*\\<$1=\\([^ ]*\\).*/\\1/p" "$2" | head -n 1
}

expect_exit 2 "no command: usage, exit 2" "$PIPE_PROBE"
expect_one_line_stderr "usage: one line" "^usage: pipe-probe"
expect_exit 2 "hackbench without LOOPS" "$PIPE_PROBE" hackbench 2
expect_exit 2 "hackbench with bad CPUs" "$PIPE_PROBE" hackbench 2 10 zero

expect_exit 0 "costs" "$PIPE_PROBE" costs
check "costs: a write line and a read line" \
	sh -c "grep -c '^call=write median_ns=[0-9]* p10_ns=[0-9]* p90_ns=[0-9]* p99_ns=[0-9]* cv=' '$OUT' | grep -qx 1 && grep -q '^call=read ' '$OUT'"
check "costs: p10 <= median <= p90 <= p99, all positive" python3 -c '
import re, sys
for line in open(sys.argv[1]):
    v = dict(kv.split("=") for kv in line.split())
    p10, med, p90, p99 = (float(v[k]) for k in ("p10_ns", "median_ns", "p90_ns", "p99_ns"))
    if not 0 < p10 <= med <= p90 <= p99:
        sys.exit(1)' "$OUT"

expect_exit 0 "hackbench 3 fds, 200 loops" "$PIPE_PROBE" hackbench 3 200
cp "$OUT" hb.txt
check "hackbench: the fds and loops asked for" \
	sh -c "[ '$(kv fds hb.txt)' = 3 ] && [ '$(kv loops hb.txt)' = 200 ]"
check "hackbench: busy fractions between 0 and 1 (a little over for clock skew)" python3 -c '
import sys
v = dict(kv.split("=") for kv in open(sys.argv[1]).read().split())
sys.exit(not all(0 <= float(v[k]) <= 1.05 for k in ("sender_busy", "receiver_busy")))' hb.txt
check "hackbench: ns per message is wall time / (fds x fds x loops)" python3 -c '
import sys
v = dict(kv.split("=") for kv in open(sys.argv[1]).read().split())
want = float(v["wall_s"]) / (3 * 3 * 200) * 1e9
sys.exit(not abs(float(v["ns_per_msg"]) - want) <= 0.01 * want + 1000)' hb.txt
expect_exit 0 "hackbench pinned to CPU 0" "$PIPE_PROBE" hackbench 1 100 0,0
check "pinned: one line" test "$(wc -l <"$OUT")" -eq 1

done_testing
