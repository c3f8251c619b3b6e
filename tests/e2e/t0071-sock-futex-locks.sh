#!/bin/sh
# t0071-sock-futex-locks: the locks hackbench's sockets and schbench's
# futex words meet.
#  - AF_UNIX receive queue spinlock (af_unix.c v6.15 unix_stream_sendmsg(),
#    unix_stream_read_generic()): thread-mode socket hackbench, one group
#    of 8 senders writing 100-B messages to 8 receivers, 30 loops: 1,920
#    messages, each one skb taken once by its sender (skb_queue_tail()
#    under unix_state_lock()) and twice by its reader (peek, unlink), plus
#    one empty peek per reader sleep: between 3 and 4 acquisitions per
#    message.  Senders meet on a receiver's lock and spin; sock_lock=0
#    removes it and the run finishes sooner.
#  - schbench's per-thread futex words (kernel/futex/waitwake.c v6.15): a
#    worker's wait that sleeps is a futex_wait() on its own word and the
#    message thread's wake of it a futex_wake(): at least two bucket
#    operations per recorded wakeup, at most four (the message thread's
#    own wait and wake); the holds delay the wakeups.  futex_hold_ns=0
#    removes the bucket lock.  With one worker the message thread, woken
#    while the worker still holds its bucket, must not run before that
#    wake is delivered (it would wake the worker before the worker waits,
#    and both would sleep for good): the waiter's own hold is CPU time
#    before it sleeps, and it sleeps unless the wake came meanwhile.
. "${CASSIM_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/e2e/lib.sh"
tmpdir
cd "$TMP" || bail_out "cannot cd to $TMP"
command -v python3 >/dev/null 2>&1 && HAVE_PY=1 || HAVE_PY=0

HB="run -q -t spr-2s-1node-2llc -w hackbench --set groups=1 --set fds=8 --set mode=thread --set ipc=socket --set loops=30 -p cfs"
expect_exit 0 "hackbench socket threads" "$CASSIM" $HB --json hb.json --csv hb.csv
expect_exit 0 "... again" "$CASSIM" $HB --json hb2.json
check "... deterministic" cmp hb.json hb2.json
expect_exit 0 "... sock_lock=0" "$CASSIM" $HB --set sock_lock=0 --json hb0.json
expect_exit 0 "... sock_lock_ns=0 (lines only)" "$CASSIM" $HB --set sock_lock_ns=0 --json hbns.json
check "the CSV has the socket lock counters" grep -q 'sock_lock_spin_time' hb.csv
expect_exit 2 "sock_lock=2 is bad input" "$CASSIM" $HB --set sock_lock=2
expect_one_line_stderr "... one line naming it" 'sock_lock'

SB="run -q -t spr-2s-1node-2llc -w schbench -d 1s"
expect_exit 0 "schbench" "$CASSIM" $SB --json sb.json
expect_exit 0 "... futex_hold_ns=0" "$CASSIM" $SB --set futex_hold_ns=0 --json sb0.json
expect_exit 0 "schbench -m 1 -t 1" "$CASSIM" $SB --set workers=1 --json sb1.json

PYLIB='import json, sys
def res(f): return json.load(open(f))["results"]
M = 1 * 8 * 8 * 30'
if [ "$HAVE_PY" = 1 ]; then
	py "socket: 3 to 4 lock acquisitions per message (send, peek, unlink, empty peeks)" \
		'r = res("hb.json"); assert 3 * M <= r["sock_lock_ops"] < 4 * M, (r["sock_lock_ops"], M)'
	py "socket: senders met on a receiver's lock and spun" \
		'r = res("hb.json"); assert 0 < r["sock_lock_spins"] < r["sock_lock_ops"] and r["sock_lock_spin_ns"] > 0, r'
	py "socket: no futex calls (a socket is no futex)" \
		'r = res("hb.json"); assert r["futex_ops"] <= 16, r["futex_ops"]'
	py "sock_lock=0: no lock counted" \
		'r = res("hb0.json"); assert r["sock_lock_ops"] == r["sock_lock_spins"] == 0 and r["sock_lock_spin_ns"] == 0, r'
	py "sock_lock=0: hackbench finishes sooner (no spinning on the queues)" \
		'assert res("hb0.json")["metrics"]["time"]["value"] < res("hb.json")["metrics"]["time"]["value"]'
	py "sock_lock_ns=0: the lock is still taken and its holds (the lines' pulls) still make senders spin" \
		'a = res("hbns.json"); assert 3 * M <= a["sock_lock_ops"] < 4 * M and a["sock_lock_spins"] > 0, a'
	py "schbench: 2 to 4 bucket operations per recorded wakeup" \
		'r = res("sb.json"); n = r["metrics"]["wakeup_latency"]["samples"]; assert 2 * n <= r["futex_ops"] <= 4 * n, (r["futex_ops"], n)'
	py "schbench: the bucket holds delay the wakeups" \
		'assert res("sb.json")["metrics"]["wakeup_latency"]["mean"] > res("sb0.json")["metrics"]["wakeup_latency"]["mean"]'
	py "schbench -m 1 -t 1: requests go on (about 175 in 1 s of 5.6-ms requests)" \
		'r = res("sb1.json"); assert r["metrics"]["wakeup_latency"]["samples"] > 150, r["metrics"]["wakeup_latency"]'
	py "futex_hold_ns=0: no bucket operations" \
		'r = res("sb0.json"); assert r["futex_ops"] == r["futex_bucket_spins"] == 0, r'
else
	skip "counters" "python3 not found"
fi

done_testing
