#!/bin/sh
# t0072-teo: the teo cpuidle governor (teo.c, v6.15) beside menu, the
# default.  4 CPUs, two LLCs, generic profile (POLL, C1 1/2 us with MWAIT,
# C6 150/600 us), no OS noise:
#  - a ping-pong pair on CPUs 1 and 3, 300 us of work a turn, no timer
#    pending (the sleep length is the model's 1 s): menu's typical interval
#    is ~300 us, below a tick, so it keeps the tick and every tick that
#    falls in an idle half wakes the CPU: ~2 x 100 ms x 1/2 = ~100 idle
#    ticks.  teo counts each wakeup as an intercept in C1's bin (C6's
#    600 us target is above the ~225 us measured idle) and picks C1, but
#    reads the 1 s sleep length, and v6.15 counts in tick_intercepts only
#    intercepts at or beyond a tick, so the expected idle stays 1 s: the
#    tick stops and no tick wakes an idle CPU;
#  - a thread that sleeps on a 500 us timer: both governors see the timer,
#    pick C1 and keep the tick (~83 idle ticks, as t0065); on a 3 ms timer
#    both stop it (none): the same counts either way;
#  - bursts of 200 ping-pongs of 200 ns turns, then a 5 ms pause (~18 of
#    them): teo's bins fill with intercepts below C1's 2 us target, so when
#    the pause begins it picks POLL and keeps the tick.  poll_idle() gives
#    up after cpuidle_poll_time() (C1's 2 us is under CPUIDLE_POLL_MIN, C6's
#    600 us over TICK_NSEC / 16: 62.5 us), teo_reflect() calls that
#    artificial (a hit in C6's bin) and selects again: at least one time
#    limit per pause, and fewer ticks wake the idle CPUs than with
#    poll_limit=0, where POLL holds the tick until a tick changes teo's mind.
. "${CASSIM_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/e2e/lib.sh"
tmpdir
: "${CASSIM_DATADIR:=$CASSIM_SRCDIR}"
export CASSIM_DATADIR
cd "$TMP" || bail_out "cannot cd to $TMP"
command -v python3 >/dev/null 2>&1 || bail_out "python3 not found (tools/setup.sh installs it)"

cat > pair.json <<'JSON'
{ "name": "pair300", "description": "t0072: a ping-pong pair on CPUs 1 and 3, 300 us of work a turn, no timers", "duration": "100ms",
  "processes": [ { "name": "pair", "threads": [
    { "name": "ping", "cpus": "1", "ops": [ { "run": "300us" }, { "wake": "pong" }, { "wait": true } ] },
    { "name": "pong", "cpus": "3", "ops": [ { "wait": true }, { "run": "300us" }, { "wake": "ping" } ] } ] } ] }
JSON
cat > sleeper.json <<'JSON'
{ "name": "sleeper", "description": "t0072: one thread on CPU 0: 100 us of work, then a ${sleep} sleep (a timer)", "duration": "100ms",
  "params": { "sleep": "500us" },
  "processes": [ { "name": "sleeper", "threads": [ { "name": "sleeper", "cpus": "0", "ops": [ { "run": "100us" }, { "sleep": "${sleep}" } ] } ] } ] }
JSON

cat > burst.json <<'JSON'
{ "name": "burst", "description": "t0072: bursts of 200 short ping-pongs between CPUs 1 and 3, then a 5 ms pause", "duration": "100ms",
  "processes": [ { "name": "burst", "threads": [
    { "name": "ping", "cpus": "1", "ops": [ { "loop": 200, "ops": [ { "run": "200ns" }, { "wake": "pong" }, { "wait": true } ] }, { "sleep": "5ms" } ] },
    { "name": "pong", "cpus": "3", "ops": [ { "wait": true }, { "run": "200ns" }, { "wake": "ping" } ] } ] } ] }
JSON

T="synthetic:pack:1 l3:2 core:2 pu:1"
PYLIB='
import json
def res(f): return json.load(open(f))["results"]
def proc(f): return res(f)["processes"][0]
'
check "pair, menu (default)" $CASSIM run -t "$T" -w pair.json --set os_noise=0 --json menu.json
check "pair, idle_teo=1" $CASSIM run -t "$T" -w pair.json --set os_noise=0 --set idle_teo=1 --json teo.json
check "sleeper 500 us, menu" $CASSIM run -t "$T" -w sleeper.json --set os_noise=0 --json s500m.json
check "sleeper 500 us, teo" $CASSIM run -t "$T" -w sleeper.json --set os_noise=0 --set idle_teo=1 --json s500t.json
check "sleeper 3 ms, teo" $CASSIM run -t "$T" -w sleeper.json --set os_noise=0 --set sleep=3ms --set idle_teo=1 --json s3t.json
check "bursts, teo" $CASSIM run -t "$T" -w burst.json --set os_noise=0 --set idle_teo=1 --json bt.json --csv bt.csv
check "bursts, teo, poll_limit=0" $CASSIM run -t "$T" -w burst.json --set os_noise=0 --set idle_teo=1 --set poll_limit=0 --json bt0.json

py "menu keeps the tick through ~300 us idles: ~100 ticks wake the idle CPUs" "$PYLIB
r, p = res('menu.json'), proc('menu.json')
assert 85 <= r['idle_ticks'] <= 105, r['idle_ticks']
assert r['idle_state_exits'] == p['nr_wakeups'] + r['idle_ticks'], (r['idle_state_exits'], p['nr_wakeups'], r['idle_ticks'])
"
py "teo (v6.15 tick_intercepts) stops the tick: no tick wakes an idle CPU; every exit is a wakeup" "$PYLIB
r, p = res('teo.json'), proc('teo.json')
assert r['idle_ticks'] == 0, r['idle_ticks']
assert r['idle_state_exits'] == p['nr_wakeups'], (r['idle_state_exits'], p['nr_wakeups'])
q = proc('menu.json')
assert abs(p['nr_wakeups'] - q['nr_wakeups']) <= 5, (p['nr_wakeups'], q['nr_wakeups'])
"
py "a 500 us timer: teo keeps the tick as menu does, the same counts" "$PYLIB
m, t = res('s500m.json'), res('s500t.json')
assert 78 <= t['idle_ticks'] <= 88, t['idle_ticks']
assert t['idle_ticks'] == m['idle_ticks'] and t['idle_state_exits'] == m['idle_state_exits'], (t, m)
"
py "a 3 ms timer: teo stops the tick (C6, no idle ticks)" "$PYLIB
r, p = res('s3t.json'), proc('s3t.json')
assert r['idle_ticks'] == 0, r['idle_ticks']
assert 35 <= p['wakeup_lat_p50_us'] <= 55, p['wakeup_lat_p50_us']
"
py "POLL's time limit: at least one per pause; fewer idle ticks than without it" "$PYLIB
import csv
r, p, r0, p0 = res('bt.json'), proc('bt.json'), res('bt0.json'), proc('bt0.json')
assert r0['idle_poll_timeouts'] == 0, r0['idle_poll_timeouts']
assert r['idle_poll_timeouts'] >= 17, r['idle_poll_timeouts']
assert r['idle_ticks'] < r0['idle_ticks'], (r['idle_ticks'], r0['idle_ticks'])
for x, q in ((r, p), (r0, p0)):
    assert x['idle_state_exits'] == q['nr_wakeups'] + x['idle_ticks'], (x['idle_state_exits'], q['nr_wakeups'], x['idle_ticks'])
rows = {(c['scope'], c['metric']): float(c['value']) for c in csv.DictReader(open('bt.csv'))}
assert rows[('total', 'idle_poll_timeouts')] == r['idle_poll_timeouts'], rows.get(('total', 'idle_poll_timeouts'))
"
expect_exit 0 "cassim run --help lists idle_teo" $CASSIM run --help
if grep -q '^  idle_teo  *default 0, range 0..1' "$OUT"; then ok "idle_teo: default 0 (menu)"; else not_ok "idle_teo in run --help" "$(grep idle_teo "$OUT")"; fi
expect_exit 0 "text summary: poll time limits on the idle line" $CASSIM run -t "$T" -w burst.json --set os_noise=0 --set idle_teo=1 -d 20ms
if grep -q '^idle: .* saved by polling, [0-9]* poll time limits$' "$OUT"; then ok "text names the poll time limits"; else not_ok "text idle line" "$(grep '^idle:' "$OUT")"; fi
expect_exit 2 "idle_teo out of range" $CASSIM run -t "$T" -w pair.json --set idle_teo=2
expect_one_line_stderr "the error names the parameter" "idle_teo"
done_testing
