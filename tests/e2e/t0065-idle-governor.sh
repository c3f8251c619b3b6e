#!/bin/sh
# t0065-idle-governor: the tick and idle as the kernel has them (issue 15
# item 6).  On a 4-CPU machine with two LLCs (generic profile: POLL, C1
# 1/2 us with MWAIT, C6 150/600 us without), no OS noise:
#  - a thread on CPU 0 that runs 100 us and sleeps 500 us: menu sees the
#    500 us timer, predicts less than a tick, keeps the tick
#    (cpuidle_select()'s stop_tick, v6.15), and every tick that falls in an
#    idle period wakes the CPU: about 100 ms x 500/606 = 83 ticks, and every
#    idle-state exit is a wakeup or such a tick;
#  - the same with a 3 ms sleep: the prediction exceeds a tick, the tick
#    stops, no idle ticks (C6: the wakeup pays ~45 us); with nohz=0 the
#    tick wakes it every jiffy instead (~100 x 3/3.1 = 96);
#  - tick_stop=0 (the old model: the tick stops on every idle entry): none;
#  - a ping-pong pair pinned to CPUs 1 and 3 (two LLCs): every wakeup goes
#    through the wake list to an idle CPU; in C1 (MWAIT) it polls, so
#    set_nr_if_polling() saves the IPI; with idle_polling=0 every one of
#    them sends an IPI and the wakeup latency grows by the IPI's 1.5 us.
. "${CASSIM_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/e2e/lib.sh"
tmpdir
: "${CASSIM_DATADIR:=$CASSIM_SRCDIR}"
export CASSIM_DATADIR
cd "$TMP" || bail_out "cannot cd to $TMP"
command -v python3 >/dev/null 2>&1 || bail_out "python3 not found (tools/setup.sh installs it)"

cat > sleeper.json <<'JSON'
{ "name": "sleeper", "description": "t0065: one thread on CPU 0: 100 us of work, then a ${sleep} sleep (a timer)", "duration": "100ms",
  "params": { "sleep": "500us" },
  "processes": [ { "name": "sleeper", "threads": [ { "name": "sleeper", "cpus": "0", "ops": [ { "run": "100us" }, { "sleep": "${sleep}" } ] } ] } ] }
JSON
cat > pair.json <<'JSON'
{ "name": "pair", "description": "t0065: a ping-pong pair on CPUs 1 and 3 (two LLCs)", "duration": "100ms",
  "processes": [ { "name": "pair", "threads": [
    { "name": "ping", "cpus": "1", "ops": [ { "run": "5us" }, { "wake": "pong" }, { "wait": true } ] },
    { "name": "pong", "cpus": "3", "ops": [ { "wait": true }, { "run": "5us" }, { "wake": "ping" } ] } ] } ] }
JSON

T="synthetic:pack:1 l3:2 core:2 pu:1"
PYLIB='
import csv, json
def res(f): return json.load(open(f))["results"]
def proc(f): return res(f)["processes"][0]
'

check "sleeper, 500 us timer" $CASSIM run -t "$T" -w sleeper.json --set os_noise=0 --json s500.json --csv s500.csv
check "sleeper, 3 ms timer" $CASSIM run -t "$T" -w sleeper.json --set os_noise=0 --set sleep=3ms --json s3.json
check "sleeper, 3 ms timer, nohz=0" $CASSIM run -t "$T" -w sleeper.json --set os_noise=0 --set sleep=3ms --set nohz=0 --json s3hz.json
check "sleeper, tick_stop=0" $CASSIM run -t "$T" -w sleeper.json --set os_noise=0 --set tick_stop=0 --json s500old.json
check "pair, polling idle" $CASSIM run -t "$T" -w pair.json --set os_noise=0 --json poll.json
check "pair, idle_polling=0" $CASSIM run -t "$T" -w pair.json --set os_noise=0 --set idle_polling=0 --json ipi.json

py "500 us timer: the tick is kept; ~83 ticks wake the idle CPU; exits = wakeups + idle ticks" "$PYLIB
r, p = res('s500.json'), proc('s500.json')
assert 78 <= r['idle_ticks'] <= 88, r['idle_ticks']
assert r['idle_state_exits'] == p['nr_wakeups'] + r['idle_ticks'], (r['idle_state_exits'], p['nr_wakeups'], r['idle_ticks'])
assert r['idle_ipis'] == 0 and r['idle_ipis_saved'] == 0, r
"
py "3 ms timer: the governor stops the tick: no idle ticks, C6 exits (~45 us median)" "$PYLIB
r, p = res('s3.json'), proc('s3.json')
assert r['idle_ticks'] == 0, r['idle_ticks']
assert r['idle_state_exits'] == p['nr_wakeups'], (r['idle_state_exits'], p['nr_wakeups'])
assert 35 <= p['wakeup_lat_p50_us'] <= 55, p['wakeup_lat_p50_us']
"
py "3 ms timer without NO_HZ_IDLE: the tick wakes the idle CPU every jiffy (~96)" "$PYLIB
r, p = res('s3hz.json'), proc('s3hz.json')
assert 92 <= r['idle_ticks'] <= 98, r['idle_ticks']
assert r['idle_state_exits'] == p['nr_wakeups'] + r['idle_ticks'], r
"
py "tick_stop=0 (old model): the tick stops on every idle entry: no idle ticks" "$PYLIB
r, p = res('s500old.json'), proc('s500old.json')
assert r['idle_ticks'] == 0, r['idle_ticks']
assert r['idle_state_exits'] == p['nr_wakeups'], r
"
py "ping-pong across LLCs: every wakeup of the idle partner is on the wake list; polling saves the IPI" "$PYLIB
r, p = res('poll.json'), proc('poll.json')
assert r['idle_ipis'] + r['idle_ipis_saved'] == p['nr_wakeups'], (r['idle_ipis'], r['idle_ipis_saved'], p['nr_wakeups'])
assert r['idle_ipis'] <= 4, r['idle_ipis']  # only wakeups from C6, which is not MWAIT here
"
py "idle_polling=0: every such wakeup sends an IPI, and waits 1.5 us longer" "$PYLIB
r, p = res('ipi.json'), proc('ipi.json')
assert r['idle_ipis_saved'] == 0 and r['idle_ipis'] == p['nr_wakeups'], (r['idle_ipis'], p['nr_wakeups'])
q = proc('poll.json')
assert p['wakeup_lat_p50_us'] - q['wakeup_lat_p50_us'] > 1.0, (p['wakeup_lat_p50_us'], q['wakeup_lat_p50_us'])
"
py "CSV carries the idle counters" "$PYLIB
rows = {(r['scope'], r['metric']): float(r['value']) for r in csv.DictReader(open('s500.csv'))}
assert rows[('total', 'idle_ticks')] == res('s500.json')['idle_ticks'], rows.get(('total', 'idle_ticks'))
assert ('total', 'idle_ipis_saved') in rows
"
expect_exit 0 "text summary: the idle line" $CASSIM run -t "$T" -w pair.json --set os_noise=0 -d 10ms
if grep -q '^idle: [0-9]* ticks woke an idle CPU, [0-9]* wakeup IPIs to idle CPUs, [0-9]* saved by polling' "$OUT"; then ok "text names idle ticks and IPIs"; else not_ok "text idle line" "$(cat "$OUT")"; fi
expect_exit 0 "show-model lists idle_mwait_max with its source" $CASSIM topo spr-2s-1node-2llc --show-model
if grep -q '^idle_mwait_max .*intel_idle' "$OUT"; then ok "idle_mwait_max cites intel_idle"; else not_ok "show-model idle_mwait_max" "$(grep -i mwait "$OUT")"; fi
expect_exit 2 "tick_stop out of range" $CASSIM run -t "$T" -w pair.json --set tick_stop=2
expect_one_line_stderr "the error names the parameter" "tick_stop"
done_testing
