#!/bin/sh
# t0046-import-real: `cassim import perf-sched` on what people record: a real
# `perf sched record` of perf bench sched messaging (tests/fixtures/perf-sched/
# SOURCES.md), printed with the PID column and in perf script's default form.
# Its wakeups are sched_waking events (no sched_wakeup); the import finds the
# benchmark's process with its 41 threads and wake edges between them, and
# leaves out perf and the kernel threads unless --keep asks.  A trace
# without wake edges is an error (exit 2, one line, nothing written).
. "${CASSIM_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/e2e/lib.sh"
: "${CASSIM_DATADIR:=$CASSIM_SRCDIR}"
export CASSIM_DATADIR
cd "$TMP" || bail_out "cannot cd to $TMP"
FIX=$CASSIM_SRCDIR/tests/fixtures/perf-sched
command -v python3 >/dev/null 2>&1 || bail_out "python3 not found"

# jcheck DESC FILE PYEXPR: the Python expression is true, with d the JSON of
# FILE, P its processes by name and T its threads by name
jcheck() {
	if _jc_out=$(python3 -c '
import json, re, sys
d = json.load(open(sys.argv[1]))
P = {p["name"]: p for p in d.get("processes", [])}
T = {t["name"]: t for p in d.get("processes", []) for t in p["threads"]}
def wakes(p): return sum(1 for t in p["threads"] for o in t["ops"] if "wake" in o)
if not eval(sys.argv[2]):
    sys.exit("false: " + sys.argv[2])
' "$2" "$3" 2>&1); then ok "$1"; else not_ok "$1" "$_jc_out"; fi
}
MSG=sched-messaging-7778
NOT_IMPORTED='not [n for n in T if re.match(r"(perf|kworker|ksoftirqd|migration|rcu)[-_]", n)]'

check "the recording has sched_waking and no sched_wakeup lines" sh -c \
	"grep -q ' sched:sched_waking: ' '$FIX/messaging-tgid.txt' && ! grep -q ' sched:sched_wakeup: ' '$FIX/messaging-tgid.txt'"

# ---- with the PID column -------------------------------------------------------
expect_exit 0 "import the recording (PID column)" "$CASSIM" import perf-sched "$FIX/messaging-tgid.txt" -o tgid.json
check "summary: counts, left-out tasks, grouping by tgid" grep -Eq \
	"^imported .*messaging-tgid.txt: 47 threads in 7 processes \(left out: 3 kernel threads, 1 thread of recording tools\) over 39.845 ms, [1-9][0-9]* wake edges .* processes by tgid -> tgid.json$" "$OUT"
check "summary: more than 100 wake edges" \
	awk '{ for (i = 2; i <= NF; i++) if ($i == "wake" && $(i + 1) ~ /^edges/) n = $(i - 1) } END { exit !(n > 100) }' "$OUT"
jcheck "the benchmark is one process of 41 threads (20 senders, 20 receivers, main)" tgid.json \
	"len(P['$MSG']['threads']) == 41 and all(t['name'].startswith('sched-messaging-') for t in P['$MSG']['threads'])"
jcheck "its threads wake each other: 20 wakes, each a dominant waker's" tgid.json "wakes(P['$MSG']) == 20"
jcheck "every wake names an imported thread" tgid.json \
	'all(o["wake"] in T for t in T.values() for o in t["ops"] if "wake" in o)'
jcheck "no perf, no kernel threads" tgid.json "$NOT_IMPORTED"
expect_exit 0 "the imported workload runs" "$CASSIM" run --workload tgid.json --duration 50ms --quiet --json run.json
jcheck "in the run, the benchmark's threads wake each other" run.json \
	"[p for p in d['results']['processes'] if p['name'] == '$MSG'][0]['nr_wakeups'] >= 20"

# ---- perf script's default form: threads grouped by fork ----------------------------
expect_exit 0 "import the recording (default form)" "$CASSIM" import perf-sched "$FIX/messaging.txt" -o plain.json --quiet
jcheck "default form: the same 41-thread process, by fork" plain.json \
	"len(P['$MSG']['threads']) == 41 and sorted(T) == sorted(t['name'] for p in json.load(open('tgid.json'))['processes'] for t in p['threads'])"
jcheck "default form: no perf, no kernel threads" plain.json "$NOT_IMPORTED"

# ---- --keep ---------------------------------------------------------------------------
expect_exit 0 "--keep all" "$CASSIM" import perf-sched "$FIX/messaging-tgid.txt" -o all.json --keep all
check "--keep all: 51 threads, none left out" grep -q "51 threads in 11 processes over" "$OUT"
jcheck "--keep all: perf and the kernel threads are in" all.json \
	'"perf-7775" in P and "migration_0-18" in P and "rcu_preempt-15" in P'
expect_exit 0 "--keep tools" "$CASSIM" import perf-sched "$FIX/messaging-tgid.txt" -o tools.json --keep tools --quiet
jcheck "--keep tools: perf, not the kernel threads" tools.json '"perf-7775" in P and "migration_0-18" not in P'
expect_exit 2 "--keep with an unknown word" "$CASSIM" import perf-sched "$FIX/messaging-tgid.txt" -o bad.json --keep kernel,perl
expect_one_line_stderr "--keep: the message names it" \
	"^cassim: error: --keep kernel,perl: unknown word \(expected a list of kernel, tools, all, none\)$"

# ---- no wake edges: exit 2 --------------------------------------------------------------
grep -v ' sched:sched_waking: ' "$FIX/messaging-tgid.txt" >nowake.txt
expect_exit 2 "a trace without wakeups" "$CASSIM" import perf-sched nowake.txt -o out.json
expect_one_line_stderr "without wakeups: one line saying what to record" \
	"^cassim: error: nowake.txt: no wake edges: the trace has no sched:sched_waking or sched:sched_wakeup events \(record them: perf sched record"
check "without wakeups: nothing written" test ! -e out.json
cat >kwonly.txt <<'TRACE'
  a 10/10 [000] 1.000000: sched:sched_switch: prev_comm=a prev_pid=10 prev_prio=120 prev_state=S ==> next_comm=kworker/0:1 next_pid=77 next_prio=120
  kworker/0:1 77/77 [000] 1.000002: sched:sched_waking: comm=a pid=10 prio=120 target_cpu=000
  kworker/0:1 77/77 [000] 1.000003: sched:sched_switch: prev_comm=kworker/0:1 prev_pid=77 prev_prio=120 prev_state=I ==> next_comm=a next_pid=10 next_prio=120
TRACE
expect_exit 2 "only a kernel thread wakes" "$CASSIM" import perf-sched kwonly.txt -o out.json
expect_one_line_stderr "only a kernel thread wakes: the counts say why" \
	"^cassim: error: kwonly.txt: no wake edges between the imported threads \(1 wakeup read: 0 from the idle task or interrupts, 1 from left-out kernel threads or tools; "
check "only a kernel thread wakes: nothing written" test ! -e out.json
expect_exit 0 "... imported with --keep kernel" "$CASSIM" import perf-sched kwonly.txt -o out.json --keep kernel
check "... with 1 wake edge" grep -q "2 threads in 2 processes over 0.003 ms, 1 wake edge " "$OUT"

done_testing
