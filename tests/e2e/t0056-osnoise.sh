#!/bin/sh
# t0056-osnoise: background OS activity (sched/osnoise.c), on by default.
# On EPYC Turin (16-CPU LLCs) 6 write-sharing threads each start alone on
# an LLC; with one busy CPU per LLC nothing runs two tasks, so
# nohz_balancer_kick() never fires and cas-merged never gets the balance
# passes that aggregate them.  The noise's per-CPU kernel threads, queued
# behind a busy task at a tick, are what kick the idle balancer (as on a
# real machine): with noise the threads end in one LLC within a few PKG
# balance intervals; with --set os_noise=0 and --set tick_stop=0 (every
# idle entry stops the tick) they stay spread and the counters say why
# (0 nohz kicks).  With os_noise=0 alone the kernel's tick rule (the idle
# governor keeps the tick over short idles, so those CPUs stay out of
# nohz.idle_cpus and count as busy in nr_busy_cpus) kicks the balancer
# too.  Also: the counters in JSON, CSV and text, the model listing and a
# bad value's error.
. "${CASSIM_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/e2e/lib.sh"
tmpdir
: "${CASSIM_DATADIR:=$CASSIM_SRCDIR}"
export CASSIM_DATADIR
cd "$TMP" || bail_out "cannot cd to $TMP"
command -v python3 >/dev/null 2>&1 || bail_out "python3 not found (tools/setup.sh installs it)"

# 5000 cycles of ~100 us: ~0.78 s simulated, a fraction of a second to run.
# barrier_spin=0: threads that sleep at the cycle barrier, the case this test
# was written for (the shipped model spins as Verilator's workers do; its
# threads never sleep, so no wakeup places them and only balancing can)
RUN="run -t epyc-9755-2s-nps1 -w chacha20-verilator --set threads=6 --set cycles=5000 --set barrier_spin=0 -p cas-merged"

PYLIB='
import csv, json, sys
def res(f): return json.load(open(f))["results"]
def llcs(f): return sorted({r["llc"] for r in csv.DictReader(open(f))})
'

check "noise on (default)" $CASSIM $RUN --json on.json --csv on.csv --timeline on.tl --trace-from 600ms
check "noise off, tick stopped on every idle entry" $CASSIM $RUN --set os_noise=0 --set tick_stop=0 --json off.json --timeline off.tl --trace-from 600ms
check "noise off, the governor's tick rule" $CASSIM $RUN --set os_noise=0 --json offgov.json

py "noise on: kernel threads woke, interrupts and busy ticks counted with their CPU time" "$PYLIB
n = res('on.json')['os_noise']
assert n['on'], n
assert n['kthread_wakeups'] > 0 and n['kthread_ns'] > 0, n
assert n['irqs'] > 0 and n['irq_ns'] > 0, n
assert n['tick_irqs'] > 0 and n['tick_irq_ns'] == 2000 * n['tick_irqs'], n
"
py "noise on: nohz kicks, and the 6 threads run in one LLC from 0.6 s to the end (~0.78 s)" "$PYLIB
r = res('on.json')
assert r['nohz_kicks'] > 50, r['nohz_kicks']
assert len(llcs('on.tl')) == 1, llcs('on.tl')
"
py "noise on: most of the run in the preferred LLC (aggregated within ~0.3 s)" "$PYLIB
f = res('on.json')['policy']['total']['top_llc_runtime_frac']
assert f > 0.55, f
"
py "noise off, tick kept over short idles: idle ticks, and the busy-counted idle CPUs kick the balancer" "$PYLIB
r = res('offgov.json')
assert r['idle_ticks'] > 0 and r['nohz_kicks'] > 0, (r['idle_ticks'], r['nohz_kicks'])
"
py "noise off, tick_stop=0: 0 nohz kicks, the threads stay on 6 LLCs, and the verdict says why" "$PYLIB
r = res('off.json')
assert r['nohz_kicks'] == 0, r['nohz_kicks']
assert len(llcs('off.tl')) == 6, llcs('off.tl')
assert r['policy']['total']['top_llc_runtime_frac'] < 0.25, r['policy']['total']
assert '0 nohz kicks' in r['verdict']['text'], r['verdict']
n = r['os_noise']
assert not n['on'] and n['kthread_wakeups'] == 0 and n['irqs'] == 0 and n['tick_irqs'] == 0, n
"
py "CSV carries the noise counters" "$PYLIB
rows = {(r['scope'], r['metric']): float(r['value']) for r in csv.DictReader(open('on.csv'))}
n = res('on.json')['os_noise']
assert rows[('total', 'noise_kthread_wakeups')] == n['kthread_wakeups'], rows
assert rows[('total', 'noise_irqs')] == n['irqs']
"
expect_exit 0 "text summary: the os noise line" $CASSIM $RUN --set cycles=200
if grep -q '^os noise: [0-9]* busy ticks' "$OUT"; then ok "text names busy ticks, kernel-thread wakeups, interrupts"; else not_ok "text names the noise" "$(cat "$OUT")"; fi
expect_exit 0 "same seed, same noise" $CASSIM $RUN --set cycles=200 --json a.json
expect_exit 0 "second run" $CASSIM $RUN --set cycles=200 --json b.json
py "noise draws are deterministic per seed" "$PYLIB
assert res('a.json')['os_noise'] == res('b.json')['os_noise']
"
expect_exit 0 "show-model lists the noise values with sources" $CASSIM topo epyc-9755-2s-nps1 --show-model
if grep -q '^kthread_hz .*osnoise' "$OUT" && grep -q '^os_noise ' "$OUT"; then ok "kthread_hz cites the osnoise tracer"; else not_ok "show-model noise" "$(grep -i noise "$OUT")"; fi
expect_exit 2 "os_noise out of range" $CASSIM $RUN --set os_noise=-1
expect_one_line_stderr "the error names the value" "os_noise"
done_testing
