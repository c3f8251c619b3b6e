/* The workload interpreter's semantics, driven by hand: each test builds a
 * small workload in C and plays the scheduler (asks for the next action of
 * a thread, delivers its wakes). */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "workload/wl_interp.h"

static simtime_t now_ns;
static int released[16], nr_released;

static simtime_t f_now(void *ctx) { (void)ctx; return now_ns; }
static int f_cpu(void *ctx, int tid) { (void)ctx; return tid % 4; }
static void f_release(void *ctx, int tid) { (void)ctx; released[nr_released++] = tid; }
static double f_xfer(void *ctx, int from, int to, double bytes) { (void)ctx; return from == to ? 0 : bytes; }
static double f_sys(void *ctx, bool socket) { (void)ctx; return socket ? 20 : 10; }

static const struct wl_env env = { NULL, f_now, f_cpu, f_release, f_xfer, f_sys, NULL, NULL, false, 0, false, 0 };

/* A workload of @n threads with up to 16 ops each; ops filled by the test. */
static struct workload *mk(int n)
{
	struct workload *w = calloc(1, sizeof(*w));

	w->nr_threads = n;
	w->threads = calloc((size_t)n, sizeof(*w->threads));
	w->nr_procs = 1;
	w->procs = calloc(1, sizeof(*w->procs));
	w->procs[0].nr_threads = n;
	for (int i = 0; i < n; i++) {
		w->threads[i].loops = 1;
		w->threads[i].inbox_capacity = 65536;
		w->threads[i].ops = calloc(16, sizeof(struct wl_op));
	}
	w->objs = calloc(8, sizeof(*w->objs));
	return w;
}

static void rm(struct workload *w)
{
	for (int i = 0; i < w->nr_threads; i++)
		free(w->threads[i].ops);
	free(w->threads);
	free(w->procs);
	free(w->objs);
	free(w);
}

static struct wl_op *op(struct workload *w, int t, enum wl_op_kind k)
{
	struct wl_thread *th = &w->threads[t];
	struct wl_op *o = &th->ops[th->nr_ops++];

	o->kind = k;
	o->obj = -1;
	o->record = -1;
	o->lock = -1;
	o->nr_targets = 1;
	return o;
}

START_TEST(test_loop_and_exit)
{
	struct workload *w = mk(1);
	struct wl_op *o = op(w, 0, WL_OP_LOOP);
	struct wl_interp *in;
	struct wl_act a;

	o->count = 3;
	o->end = 2;
	op(w, 0, WL_OP_RUN)->dist = (struct wl_dist){ WL_DIST_FIXED, 500, 0 };
	op(w, 0, WL_OP_END)->end = 0;
	in = wl_interp_new(w, &env, 1, 4);
	for (int i = 0; i < 3; i++) {
		a = wl_interp_next(in, 0);
		ck_assert_int_eq(a.kind, WA_RUN);
		ck_assert_int_eq(a.ns, 500);
		ck_assert_int_eq(a.op, 1);
	}
	ck_assert_int_eq(wl_interp_next(in, 0).kind, WA_EXIT);
	ck_assert(wl_interp_exited(in, 0));
	wl_interp_free(in);
	rm(w);
}
END_TEST

/* Thread @t: @n messages of @bytes, SEND to @dst (dst >= 0) or RECV. */
static void msgs(struct workload *w, int t, int dst, double bytes, int n)
{
	int first = w->threads[t].nr_ops;
	struct wl_op *o = op(w, t, WL_OP_LOOP);

	o->count = n;
	o->end = first + 2;
	o = op(w, t, dst >= 0 ? WL_OP_SEND : WL_OP_RECV);
	o->target = dst;
	o->bytes = bytes;
	op(w, t, WL_OP_END)->end = first;
}

/* The next action of @tid is a sync wake of @target. */
static void want_wake(struct wl_interp *in, int tid, int target)
{
	struct wl_act a = wl_interp_next(in, tid);

	ck_assert_int_eq(a.kind, WA_WAKE);
	ck_assert_int_eq(a.target, target);
	ck_assert(a.sync); /* wake_up_interruptible_sync_poll() */
}

static void want(struct wl_interp *in, int tid, enum wl_act_kind kind, simtime_t ns)
{
	struct wl_act a = wl_interp_next(in, tid);

	ck_assert_int_eq(a.kind, kind);
	if (kind == WA_CHARGE)
		ck_assert_int_eq(a.ns, ns);
}

/* The next action of @tid blocks after @ns of its own CPU time (a thread
 * WAIT's futex_wait() bucket lock), which a wake delivered meanwhile cuts
 * short. */
static void want_block_after(struct wl_interp *in, int tid, simtime_t ns)
{
	struct wl_act a = wl_interp_next(in, tid);

	ck_assert_int_eq(a.kind, WA_BLOCK);
	ck_assert_int_eq(a.ns, ns);
}

/*
 * fs/pipe.c v6.14, a 64 KiB pipe (16 one-page slots) filled with 16 pages
 * by W0; W1 and W2 block on it (exclusive waiters on wr_wait, FIFO).
 *  - a read that frees a slot of the full pipe wakes W1 only;
 *  - a second read frees a slot of a pipe no longer full: no wake;
 *  - W1 writes one page (15 of 16 used): not full, so it wakes the next
 *    writer, W2 (wake_next_writer);
 *  - W2 fills the pipe: it wakes nobody; a read of part of a page of the
 *    full pipe frees no slot and wakes nobody either (v6.14).
 * Reader on CPU 3, writers on 0..2 (f_cpu): a read costs 10 + 4096 B.
 */
START_TEST(test_pipe_full_wakeups)
{
	struct workload *w = mk(4);
	struct wl_interp *in;

	msgs(w, 0, 3, 4096, 16);
	msgs(w, 1, 3, 4096, 1);
	msgs(w, 2, 3, 4096, 1);
	msgs(w, 3, -1, 4096, 3);
	msgs(w, 3, -1, 100, 1);
	in = wl_interp_new(w, &env, 1, 4);
	for (int i = 0; i < 16; i++)
		want(in, 0, WA_CHARGE, 10); /* the reader never slept: no wakes */
	want(in, 0, WA_EXIT, 0);
	want(in, 1, WA_BLOCK, 0); /* 16 of 16 slots used */
	want(in, 2, WA_BLOCK, 0);
	want_wake(in, 3, 1);      /* freed a slot of a full pipe: one writer */
	want(in, 3, WA_CHARGE, 4106);
	want(in, 3, WA_CHARGE, 4106); /* 15 used: not full, no wake */
	/* W1: one page in (15 of 16), the pipe is not full: wake W2; the
	 * bookkeeping lines come from the reader's CPU (0 B at f_xfer) */
	want_wake(in, 1, 2);
	want(in, 1, WA_CHARGE, 10);
	want(in, 1, WA_EXIT, 0);
	want(in, 2, WA_CHARGE, 10); /* full again: no next writer */
	want(in, 2, WA_EXIT, 0);
	want(in, 3, WA_CHARGE, 4106); /* third page: 15 used; nobody waits */
	want(in, 3, WA_CHARGE, 110);  /* 100 B of a page: no slot freed */
	want(in, 3, WA_EXIT, 0);
	wl_interp_free(in);
	rm(w);
}
END_TEST

/*
 * pipe_write()'s merge path: a one-page pipe (capacity 4096) takes 40
 * writes of 100 B in one slot (the first on an empty pipe opens the page
 * and wakes the sleeping reader, was_empty; 39 merge behind it and wake
 * nobody); the 41st (4000 + 100 > 4096) needs a new slot and sleeps.  The
 * reader's 100-B reads free the page at the 40th read only, which wakes
 * the writer; its write opens a page on the now empty pipe and wakes the
 * reader, asleep again on it.
 */
START_TEST(test_pipe_merge)
{
	struct workload *w = mk(4);
	struct wl_interp *in;

	w->threads[3].inbox_capacity = 4096;
	msgs(w, 0, 3, 100, 41);
	msgs(w, 3, -1, 100, 41);
	in = wl_interp_new(w, &env, 1, 4);
	want(in, 3, WA_BLOCK, 0);
	want_wake(in, 0, 3);
	for (int i = 0; i < 40; i++)
		want(in, 0, WA_CHARGE, 10);
	want(in, 0, WA_BLOCK, 0);
	for (int i = 0; i < 39; i++)
		want(in, 3, WA_CHARGE, 110); /* 10 + 100 B from CPU 0 */
	want_wake(in, 3, 0);
	want(in, 3, WA_CHARGE, 110);
	want(in, 3, WA_BLOCK, 0);
	want_wake(in, 0, 3);
	want(in, 0, WA_CHARGE, 10);
	want(in, 0, WA_EXIT, 0);
	want(in, 3, WA_CHARGE, 110);
	want(in, 3, WA_EXIT, 0);
	wl_interp_free(in);
	rm(w);
}
END_TEST

/* A read takes what is there and sleeps for the rest: 150 B wanted, 100 B
 * queued: 100 B read (one syscall + copy), then sleep; the next write
 * finds the pipe empty and wakes the reader, which reads 50 B of it. */
START_TEST(test_pipe_partial_read)
{
	struct workload *w = mk(4);
	struct wl_interp *in;

	msgs(w, 0, 3, 100, 2);
	msgs(w, 3, -1, 150, 1);
	in = wl_interp_new(w, &env, 1, 4);
	want(in, 0, WA_CHARGE, 10);
	want(in, 3, WA_CHARGE, 110);
	want(in, 3, WA_BLOCK, 0);
	want_wake(in, 0, 3);
	want(in, 0, WA_CHARGE, 10);
	want(in, 0, WA_EXIT, 0);
	want(in, 3, WA_CHARGE, 60);
	want(in, 3, WA_EXIT, 0);
	wl_interp_free(in);
	rm(w);
}
END_TEST

/*
 * pipe->mutex (fs/pipe.c __pipe_lock(); kernel/locking/mutex.c, v6.15):
 * writers W0..W2 on CPUs 0..2, reader R (thread 3) on CPU 3.  The hold is
 * the op's copy: f_xfer_lines costs 50 ns + 1 ns/B between CPUs (the
 * bookkeeping lines a writer pulls from the last user, the payload the
 * reader pulls from the writer), 0 on one CPU.
 *  1. W0 writes into the empty pipe: no hold (nobody used it before).
 *  2. W1 writes: holds it 50 ns (lines from CPU 0).
 *  3. W0 writes again while W1 runs: spins (mutex_optimistic_spin()).
 *  4. W1 is preempted; R reads: the owner is off-CPU, R sleeps.
 *  5. W1 unlocks: spinner W0 takes the mutex; R, the first waiter, is
 *     woken (not WF_SYNC).
 *  6. W0 holds it 50 ns (lines from CPU 1) and runs; W2 arrives: spins.
 *  7. R runs, its trylock fails: it sets MUTEX_FLAG_HANDOFF and spins as
 *     the first waiter (W0 runs).
 *  8. W0 unlocks: handed to R (__mutex_handoff()) past spinner W2.
 *  9. R reads 300 B from CPU 0 under the mutex (350 ns), unlocks: W2.
 * Spins 3 (W0, R, W2), sleeps 1 (R), handoffs 1.
 */
static bool running[4];
static bool f_on_cpu(void *ctx, int tid) { (void)ctx; return running[tid]; }
static double f_xfer_lines(void *ctx, int from, int to, double bytes)
{
	(void)ctx;
	return from == to ? 0 : 50 + bytes;
}
static const struct wl_env env_mutex = { NULL, f_now, f_cpu, f_release, f_xfer_lines, f_sys, NULL,
					 f_on_cpu, true, 0, false, 0 };

static void want_plain_wake(struct wl_interp *in, int tid, int target)
{
	struct wl_act a = wl_interp_next(in, tid);

	ck_assert_int_eq(a.kind, WA_WAKE);
	ck_assert_int_eq(a.target, target);
	ck_assert(!a.sync); /* the unlocker's wake_up_q(): a plain wakeup */
}

START_TEST(test_pipe_mutex)
{
	struct workload *w = mk(4);
	struct wl_interp *in;
	struct wl_lock_stats st;

	msgs(w, 0, 3, 100, 2);
	msgs(w, 1, 3, 100, 1);
	msgs(w, 2, 3, 100, 1);
	msgs(w, 3, -1, 300, 1);
	nr_released = 0;
	in = wl_interp_new(w, &env_mutex, 1, 4);
	want(in, 0, WA_CHARGE, 10);                  /* 1: the system call only */
	running[1] = true;
	want(in, 1, WA_CHARGE, 50);                  /* 2: the hold */
	want(in, 0, WA_SPIN, 0);                     /* 3 */
	running[1] = false;
	want(in, 3, WA_BLOCK, 0);                    /* 4 */
	want_plain_wake(in, 1, 3);                   /* 5 */
	ck_assert_int_eq(nr_released, 1);
	ck_assert_int_eq(released[0], 0);
	want(in, 1, WA_CHARGE, 10);
	want(in, 1, WA_EXIT, 0);
	running[0] = true;
	want(in, 0, WA_CHARGE, 50);                  /* 6 */
	want(in, 2, WA_SPIN, 0);
	want(in, 3, WA_SPIN, 0);                     /* 7 */
	want(in, 0, WA_CHARGE, 10);                  /* 8: no wake, a spin ends */
	ck_assert_int_eq(nr_released, 2);
	ck_assert_int_eq(released[1], 3);
	want(in, 0, WA_EXIT, 0);
	want(in, 3, WA_CHARGE, 350);                 /* 9 */
	want(in, 3, WA_CHARGE, 10);
	ck_assert_int_eq(nr_released, 3);
	ck_assert_int_eq(released[2], 2);
	want(in, 3, WA_EXIT, 0);
	want(in, 2, WA_CHARGE, 50);                  /* lines from CPU 3 */
	want(in, 2, WA_CHARGE, 10);
	want(in, 2, WA_EXIT, 0);
	st = wl_interp_lock_stats(in);
	ck_assert_uint_eq(st.spins, 3);
	ck_assert_uint_eq(st.sleeps, 1);
	ck_assert_uint_eq(st.handoffs, 1);
	wl_interp_free(in);
	rm(w);
}
END_TEST

/*
 * Futex hash bucket spinlock (kernel/futex, v6.15), a 100-ns hold: T0
 * holds a mutex; at t = 0 T1 and T2 find it taken and sleep in
 * futex_wait(): T1 takes the bucket lock at 0 (100 ns), T2 spins until
 * 100 and holds it to 200 (200 ns).  At t = 150 T0 unlocks with waiters:
 * futex_wake() spins 50 ns, holds 100: 150 ns before it wakes T1.
 * Three bucket operations, two spun, 100 + 50 ns of spinning.
 */
static const struct wl_env env_futex = { NULL, f_now, f_cpu, f_release, f_xfer, f_sys, NULL, NULL,
					 false, 100, false, 0 };

START_TEST(test_futex_bucket)
{
	struct workload *w = mk(3);
	struct wl_interp *in;
	struct wl_lock_stats st;
	struct wl_act a;

	w->nr_objs = 1;
	w->objs[0].kind = WL_OBJ_LOCK;
	for (int t = 0; t < 3; t++) {
		op(w, t, WL_OP_LOCK)->obj = 0;
		op(w, t, WL_OP_RUN)->dist = (struct wl_dist){ WL_DIST_FIXED, 100, 0 };
		op(w, t, WL_OP_UNLOCK)->obj = 0;
	}
	now_ns = 0;
	in = wl_interp_new(w, &env_futex, 1, 4);
	want(in, 0, WA_RUN, 0);
	want(in, 1, WA_CHARGE, 100);
	want(in, 1, WA_BLOCK, 0);
	want(in, 2, WA_CHARGE, 200);
	want(in, 2, WA_BLOCK, 0);
	now_ns = 150;
	want(in, 0, WA_CHARGE, 150); /* before the wake: woken after the bucket unlock */
	a = wl_interp_next(in, 0);
	ck_assert_int_eq(a.kind, WA_WAKE);
	ck_assert_int_eq(a.target, 1);
	ck_assert(!a.sync);
	st = wl_interp_lock_stats(in);
	ck_assert_uint_eq(st.futex.ops, 3);
	ck_assert_uint_eq(st.futex.spins, 2);
	ck_assert_double_eq_tol(st.futex.spin_ns, 150, 1e-9);
	now_ns = 0;
	wl_interp_free(in);
	rm(w);
}
END_TEST

/*
 * skb truesize on x86-64 (af_unix.c unix_stream_sendmsg(), skbuff.c
 * __alloc_skb()/kmalloc_reserve(), v6.15): head SKB_DATA_ALIGN(len) + 320
 * in the 640-B small-head cache or a power-of-two kmalloc cache, + 256 for
 * struct sk_buff, + whole pages of frags beyond SKB_MAX_HEAD(0) = 3776.
 */
START_TEST(test_skb_truesize)
{
	ck_assert_int_eq(wl_skb_truesize(1), 640 + 256);
	ck_assert_int_eq(wl_skb_truesize(100), 640 + 256);
	ck_assert_int_eq(wl_skb_truesize(320), 640 + 256);    /* 320 + 320 */
	ck_assert_int_eq(wl_skb_truesize(321), 1024 + 256);   /* 384 + 320 */
	ck_assert_int_eq(wl_skb_truesize(3776), 4096 + 256);  /* 3776 + 320 */
	ck_assert_int_eq(wl_skb_truesize(3777), 896 + 4096);  /* all in one frag page */
	ck_assert_int_eq(wl_skb_truesize(3776 + 32768), 4352 + 32768);
	/* unix_writable(): (wmem + 2) << 2 <= sndbuf, the refcount's bias of 2
	 * inside sock_wfree(); 212992 = net.core.wmem_default */
	ck_assert(wl_unix_writable(53246, 212992));
	ck_assert(!wl_unix_writable(53247, 212992));
}
END_TEST

/*
 * AF_UNIX stream, sk_sndbuf 8960 = 10 skbs of 100 B (truesize 896): ten
 * writes go through (sock_alloc_send_pskb() checks wmem < sndbuf before
 * each: 8064 < 8960), the eleventh sleeps (8960 >= 8960).  Every enqueue
 * wakes a sleeping reader.  Each skb read uncharges 896; the writer is
 * woken only when (wmem + 2) * 4 <= 8960, i.e. wmem <= 2238: at the
 * eighth read (wmem 1792), not before (2688 after the seventh).
 */
START_TEST(test_unix_wmem_threshold)
{
	struct workload *w = mk(4);
	struct wl_interp *in;

	w->threads[3].inbox = WL_INBOX_SOCKET;
	w->threads[3].inbox_capacity = 8960;
	msgs(w, 0, 3, 100, 11);
	msgs(w, 3, -1, 100, 11);
	in = wl_interp_new(w, &env, 1, 4);
	want(in, 3, WA_BLOCK, 0);
	want_wake(in, 0, 3); /* sk_data_ready */
	for (int i = 0; i < 10; i++)
		want(in, 0, WA_CHARGE, 20);
	want(in, 0, WA_BLOCK, 0);
	for (int i = 0; i < 7; i++)
		want(in, 3, WA_CHARGE, 120); /* 20 + 100 B from CPU 0 */
	want_wake(in, 3, 0);                 /* unix_write_space() */
	want(in, 3, WA_CHARGE, 120);
	want(in, 0, WA_CHARGE, 20);          /* the eleventh skb */
	want(in, 0, WA_EXIT, 0);
	for (int i = 0; i < 3; i++)
		want(in, 3, WA_CHARGE, 120);
	want(in, 3, WA_EXIT, 0);
	wl_interp_free(in);
	rm(w);
}
END_TEST

/*
 * The receiving socket's spinlock (af_unix.c, v6.15: unix_state_lock() and
 * the receive queue's lock), a 30-ns critical section plus the socket's
 * lines from the last holder's CPU (f_xfer_lines: 50 ns between CPUs).
 * Senders S0..S2 on CPUs 0..2 each send one 100-B skb to reader R
 * (thread 3, CPU 3), which reads 300 B.
 *  t = 0:   R peeks an empty queue: holds 30 (nobody held it), free at 30;
 *           sleeps.
 *  t = 0:   S0 queues: spins 30, holds 30 + 50 (lines from CPU 3) to 110;
 *           wakes R after the unlock (sk_data_ready, sync).  S1 spins 110,
 *           holds to 190; S2 spins 190, holds to 270.  Each then pays its
 *           20-ns system call.
 *  t = 100: R peeks skb 1: spins 170, holds 80 (lines from CPU 2) to 350;
 *           unlinks it (30, its own lines) to 380; skbs 2 and 3: peek and
 *           unlink, 30 each, to 500; then the copy, 300 B from CPU 2 with
 *           the lines already pulled under the lock: 350 - 50, and its
 *           20-ns system call, before any wake of a writer: 720.
 * Ten acquisitions, four spun, 30 + 110 + 190 + 170 = 500 ns of spinning.
 */
static const struct wl_env env_sock = { NULL, f_now, f_cpu, f_release, f_xfer_lines, f_sys, NULL,
					f_on_cpu, false, 0, true, 30 };

START_TEST(test_sock_lock)
{
	struct workload *w = mk(4);
	struct wl_interp *in;
	struct wl_lock_stats st;

	w->threads[3].inbox = WL_INBOX_SOCKET;
	for (int t = 0; t < 3; t++)
		msgs(w, t, 3, 100, 1);
	msgs(w, 3, -1, 300, 1);
	now_ns = 0;
	in = wl_interp_new(w, &env_sock, 1, 4);
	want(in, 3, WA_CHARGE, 30);
	want(in, 3, WA_BLOCK, 0);
	want(in, 0, WA_CHARGE, 110); /* before the wake: after the unlock */
	want_wake(in, 0, 3);
	want(in, 0, WA_CHARGE, 20);
	want(in, 0, WA_EXIT, 0);
	want(in, 1, WA_CHARGE, 190);
	want(in, 1, WA_CHARGE, 20);
	want(in, 1, WA_EXIT, 0);
	want(in, 2, WA_CHARGE, 270);
	want(in, 2, WA_CHARGE, 20);
	want(in, 2, WA_EXIT, 0);
	now_ns = 100;
	want(in, 3, WA_CHARGE, 720);
	want(in, 3, WA_EXIT, 0);
	st = wl_interp_lock_stats(in);
	ck_assert_uint_eq(st.sock.ops, 10);
	ck_assert_uint_eq(st.sock.spins, 4);
	ck_assert_double_eq_tol(st.sock.spin_ns, 500, 1e-9);
	ck_assert_uint_eq(st.futex.ops, 0);
	now_ns = 0;
	wl_interp_free(in);
	rm(w);
}
END_TEST

/* sock_lock=0: no lock; the reader pays its copy, the lines included (50 +
 * 100 B), with its system call, after any wake, as before the lock. */
START_TEST(test_sock_lock_off)
{
	struct workload *w = mk(4);
	struct wl_interp *in;
	struct wl_env e = env_sock;

	e.sock_lock = false;
	w->threads[3].inbox = WL_INBOX_SOCKET;
	msgs(w, 0, 3, 100, 1);
	msgs(w, 3, -1, 100, 1);
	now_ns = 0;
	in = wl_interp_new(w, &e, 1, 4);
	want(in, 3, WA_BLOCK, 0);
	want_wake(in, 0, 3);
	want(in, 0, WA_CHARGE, 20);
	want(in, 0, WA_EXIT, 0);
	want(in, 3, WA_CHARGE, 170); /* 20 + 100 B and the lines from CPU 0 */
	want(in, 3, WA_EXIT, 0);
	ck_assert_uint_eq(wl_interp_lock_stats(in).sock.ops, 0);
	wl_interp_free(in);
	rm(w);
}
END_TEST

/*
 * A thread's own futex word (schbench's fwait()/fpost(); kernel/futex/
 * waitwake.c futex_wait(), futex_wake(), v6.15), 100-ns bucket holds.
 * t = 0: T0 and T1 wait: each takes its own word's bucket (no spin: two
 * buckets) and sleeps after that 100 ns.  t = 50: T2 wakes both (WAKE_ALL): futex_wake() on
 * T0's word spins 50 and holds 100, then T0 is woken; at t = 200 the call
 * on T1's word holds 100, then T1 is woken.  A wake of T0, now running, is
 * remembered with no system call (fpost() finds the word not FUTEX_BLOCKED).
 * Four bucket operations, one spun 50 ns.
 */
START_TEST(test_futex_thread_word)
{
	struct workload *w = mk(3);
	struct wl_interp *in;
	struct wl_lock_stats st;
	struct wl_act a;
	struct wl_op *o;

	op(w, 0, WL_OP_WAIT);
	op(w, 1, WL_OP_WAIT);
	o = op(w, 2, WL_OP_WAKE_ALL);
	o->target = 0;
	o->nr_targets = 2;
	op(w, 2, WL_OP_WAKE)->target = 0;
	now_ns = 0;
	in = wl_interp_new(w, &env_futex, 1, 4);
	want_block_after(in, 0, 100);
	want_block_after(in, 1, 100);
	now_ns = 50;
	want(in, 2, WA_CHARGE, 150);
	a = wl_interp_next(in, 2);
	ck_assert_int_eq(a.kind, WA_WAKE);
	ck_assert_int_eq(a.target, 0);
	ck_assert(!a.sync);
	now_ns = 200;
	want(in, 2, WA_CHARGE, 100);
	a = wl_interp_next(in, 2);
	ck_assert_int_eq(a.kind, WA_WAKE);
	ck_assert_int_eq(a.target, 1);
	want(in, 2, WA_EXIT, 0);
	st = wl_interp_lock_stats(in);
	ck_assert_uint_eq(st.futex.ops, 4);
	ck_assert_uint_eq(st.futex.spins, 1);
	ck_assert_double_eq_tol(st.futex.spin_ns, 50, 1e-9);
	now_ns = 0;
	wl_interp_free(in);
	rm(w);
}
END_TEST

/* Mutex: FIFO hand-over to the longest waiter; a spin lock's waiter spins
 * and is released through env->spin_release. */
START_TEST(test_locks)
{
	struct workload *w = mk(3);
	struct wl_interp *in;
	struct wl_act a;

	w->nr_objs = 2;
	w->objs[0].kind = WL_OBJ_LOCK;
	w->objs[1].kind = WL_OBJ_LOCK;
	w->objs[1].spin = true;
	for (int t = 0; t < 3; t++) {
		op(w, t, WL_OP_LOCK)->obj = 0;
		op(w, t, WL_OP_UNLOCK)->obj = 0;
		op(w, t, WL_OP_LOCK)->obj = 1;
		op(w, t, WL_OP_RUN)->dist = (struct wl_dist){ WL_DIST_FIXED, 100, 0 };
		op(w, t, WL_OP_UNLOCK)->obj = 1;
	}
	/* thread 0 takes mutex 0; 1 and 2 queue */
	w->threads[0].ops[1].kind = WL_OP_RUN; /* hold it across a run */
	w->threads[0].ops[1].dist = (struct wl_dist){ WL_DIST_FIXED, 50, 0 };
	w->threads[0].ops[2].kind = WL_OP_UNLOCK;
	w->threads[0].ops[2].obj = 0;
	w->threads[0].nr_ops = 3;
	in = wl_interp_new(w, &env, 1, 4);
	ck_assert_int_eq(wl_interp_next(in, 0).kind, WA_RUN);
	ck_assert_int_eq(wl_interp_next(in, 1).kind, WA_BLOCK);
	ck_assert_int_eq(wl_interp_next(in, 2).kind, WA_BLOCK);
	a = wl_interp_next(in, 0); /* unlock: hand to 1 */
	ck_assert_int_eq(a.kind, WA_WAKE);
	ck_assert_int_eq(a.target, 1);
	ck_assert(!a.sync); /* a futex wake is not WF_SYNC */
	ck_assert_int_eq(wl_interp_next(in, 0).kind, WA_EXIT);
	/* 1 owns it, releases to 2, then takes spin lock 1 and runs */
	a = wl_interp_next(in, 1);
	ck_assert_int_eq(a.kind, WA_WAKE);
	ck_assert_int_eq(a.target, 2);
	ck_assert_int_eq(wl_interp_next(in, 1).kind, WA_RUN);
	/* 2: mutex released, spin lock held by 1: spins */
	a = wl_interp_next(in, 2);
	ck_assert_int_eq(a.kind, WA_SPIN);
	ck_assert_int_lt(a.ns, 0);
	nr_released = 0;
	ck_assert_int_eq(wl_interp_next(in, 1).kind, WA_EXIT); /* unlock hands it to 2 */
	ck_assert_int_eq(nr_released, 1);
	ck_assert_int_eq(released[0], 2);
	ck_assert_int_eq(wl_interp_next(in, 2).kind, WA_RUN);
	ck_assert_int_eq(wl_interp_next(in, 2).kind, WA_EXIT);
	wl_interp_free(in);
	rm(w);
}
END_TEST

/* Barrier of 3: the last arrival wakes the two others and goes on. */
START_TEST(test_barrier)
{
	struct workload *w = mk(3);
	struct wl_interp *in;
	struct wl_act a;

	w->nr_objs = 1;
	w->objs[0].kind = WL_OBJ_BARRIER;
	w->objs[0].participants = 3;
	for (int t = 0; t < 3; t++)
		op(w, t, WL_OP_BARRIER)->obj = 0;
	in = wl_interp_new(w, &env, 1, 4);
	ck_assert_int_eq(wl_interp_next(in, 0).kind, WA_BLOCK);
	ck_assert_int_eq(wl_interp_next(in, 1).kind, WA_BLOCK);
	a = wl_interp_next(in, 2);
	ck_assert_int_eq(a.kind, WA_WAKE);
	ck_assert_int_eq(a.target, 0);
	a = wl_interp_next(in, 2);
	ck_assert_int_eq(a.kind, WA_WAKE);
	ck_assert_int_eq(a.target, 1);
	ck_assert_int_eq(wl_interp_next(in, 2).kind, WA_EXIT);
	ck_assert_int_eq(wl_interp_next(in, 0).kind, WA_EXIT);
	wl_interp_free(in);
	rm(w);
}
END_TEST

/* A barrier with a spin time: an early arrival spins that long; released
 * while spinning it goes on without a wakeup; a spin that runs out sleeps
 * and is woken (not sync) by the last arrival. */
START_TEST(test_barrier_spin)
{
	struct workload *w = mk(3);
	struct wl_interp *in;
	struct wl_act a;

	w->nr_objs = 1;
	w->objs[0].kind = WL_OBJ_BARRIER;
	w->objs[0].participants = 3;
	for (int t = 0; t < 3; t++) {
		struct wl_op *b = op(w, t, WL_OP_BARRIER);
		b->obj = 0;
		b->dist = (struct wl_dist){ WL_DIST_FIXED, 5000, 0 };
	}
	in = wl_interp_new(w, &env, 1, 4);
	a = wl_interp_next(in, 0);
	ck_assert_int_eq(a.kind, WA_SPIN);
	ck_assert_int_eq(a.ns, 5000);
	a = wl_interp_next(in, 1);
	ck_assert_int_eq(a.kind, WA_SPIN);
	ck_assert_int_eq(a.ns, 5000);
	/* thread 0's spin ran out: it sleeps */
	ck_assert_int_eq(wl_interp_next(in, 0).kind, WA_BLOCK);
	/* the last arrival: releases spinner 1, wakes sleeper 0 */
	nr_released = 0;
	a = wl_interp_next(in, 2);
	ck_assert_int_eq(a.kind, WA_WAKE);
	ck_assert_int_eq(a.target, 0);
	ck_assert(!a.sync);
	ck_assert_int_eq(nr_released, 1);
	ck_assert_int_eq(released[0], 1);
	ck_assert_int_eq(wl_interp_next(in, 2).kind, WA_EXIT);
	ck_assert_int_eq(wl_interp_next(in, 1).kind, WA_EXIT);
	ck_assert_int_eq(wl_interp_next(in, 0).kind, WA_EXIT);
	wl_interp_free(in);
	rm(w);
}
END_TEST

/* Thread wakes are remembered; wake_all only wakes waiters; the wakeup
 * latency is recorded from the time of the wake. */
START_TEST(test_wake_wait_record)
{
	struct workload *w = mk(3);
	struct wl_interp *in;
	struct wl_op *o;
	const struct hist *h;

	w->nr_hists = 1;
	o = op(w, 0, WL_OP_WAKE);
	o->target = 1;
	o = op(w, 0, WL_OP_WAKE_ALL);
	o->target = 1;
	o->nr_targets = 2;
	op(w, 1, WL_OP_WAIT)->record = 0;
	op(w, 2, WL_OP_WAIT)->record = 0;
	in = wl_interp_new(w, &env, 1, 4);
	now_ns = 1000;
	ck_assert_int_eq(wl_interp_next(in, 2).kind, WA_BLOCK);
	/* wake of 1 (not waiting): remembered; wake_all wakes only 2 */
	ck_assert_int_eq(wl_interp_next(in, 0).target, 2);
	ck_assert_int_eq(wl_interp_next(in, 0).kind, WA_EXIT);
	now_ns = 1700;
	ck_assert_int_eq(wl_interp_next(in, 2).kind, WA_EXIT);
	ck_assert_int_eq(wl_interp_next(in, 1).kind, WA_EXIT); /* consumed the remembered wake */
	h = wl_interp_hist(in, 0);
	ck_assert_uint_eq(h->n, 2);
	ck_assert_uint_eq(h->min, 700);
	ck_assert_uint_eq(h->max, 700);
	now_ns = 0;
	wl_interp_free(in);
	rm(w);
}
END_TEST

/* Condition variable with its mutex, and a counting semaphore. */
START_TEST(test_cond_sem)
{
	struct workload *w = mk(2);
	struct wl_interp *in;
	struct wl_op *o;

	w->nr_objs = 3;
	w->objs[0].kind = WL_OBJ_LOCK;
	w->objs[1].kind = WL_OBJ_COND;
	w->objs[2].kind = WL_OBJ_SEM;
	op(w, 0, WL_OP_LOCK)->obj = 0;
	o = op(w, 0, WL_OP_WAIT);
	o->obj = 1;
	o->lock = 0;
	op(w, 0, WL_OP_UNLOCK)->obj = 0;
	op(w, 0, WL_OP_WAIT)->obj = 2; /* sem */
	op(w, 1, WL_OP_LOCK)->obj = 0;
	op(w, 1, WL_OP_WAKE)->obj = 1; /* signal */
	op(w, 1, WL_OP_WAKE)->obj = 2; /* post, nobody waits yet: counted */
	op(w, 1, WL_OP_UNLOCK)->obj = 0;
	in = wl_interp_new(w, &env, 1, 4);
	ck_assert_int_eq(wl_interp_next(in, 0).kind, WA_BLOCK); /* waits, mutex released */
	ck_assert_int_eq(wl_interp_next(in, 1).target, 0);      /* signal */
	ck_assert_int_eq(wl_interp_next(in, 1).kind, WA_EXIT);  /* post counted, unlock */
	ck_assert_int_eq(wl_interp_next(in, 0).kind, WA_EXIT);  /* re-took the mutex, took the sem */
	wl_interp_free(in);
	rm(w);
}
END_TEST

/* A periodic timer keeps its grid: sleeps are measured from the previous
 * expiry, and missed expiries are skipped. */
START_TEST(test_timer)
{
	struct workload *w = mk(1);
	struct wl_interp *in;
	struct wl_op *o;
	struct wl_act a;

	w->nr_timers = 1;
	w->threads[0].loops = -1;
	o = op(w, 0, WL_OP_TIMER);
	o->obj = 0;
	o->dist = (struct wl_dist){ WL_DIST_FIXED, 1000, 0 };
	in = wl_interp_new(w, &env, 1, 4);
	now_ns = 0;
	a = wl_interp_next(in, 0);
	ck_assert_int_eq(a.kind, WA_SLEEP);
	ck_assert_int_eq(a.ns, 1000);
	now_ns = 1300; /* woke late */
	ck_assert_int_eq(wl_interp_next(in, 0).ns, 700);
	now_ns = 3500; /* missed 3000 */
	ck_assert_int_eq(wl_interp_next(in, 0).ns, 500);
	now_ns = 0;
	wl_interp_free(in);
	rm(w);
}
END_TEST

/* Message sizes drawn from a distribution: a recv that blocks keeps the size
 * it drew (uniform in [150, 160) B) while 100-B messages arrive.  Each write
 * to the empty pipe wakes the reader (pipe_write's was_empty); the first
 * read takes the 100 B (charge 10 ns a read and a nanosecond per byte: 110)
 * and sleeps again, the second takes exactly the rest of the drawn whole
 * number of bytes (charge 10 + size - 100), and 200 - size remain, which a
 * fixed 40-B recv takes. */
START_TEST(test_msg_size_dist)
{
	struct workload *w = mk(2);
	struct wl_interp *in;
	struct wl_op *r;
	struct wl_act a;
	double size;

	for (int i = 0; i < 2; i++) {
		struct wl_op *s = op(w, 0, WL_OP_SEND);
		s->target = 1;
		s->bytes = 100;
	}
	r = op(w, 1, WL_OP_RECV);
	r->dist = (struct wl_dist){ WL_DIST_UNIFORM, 150, 160 };
	r->bytes = 155;
	op(w, 1, WL_OP_RECV)->bytes = 40;
	in = wl_interp_new(w, &env, 1, 4);

	ck_assert_int_eq(wl_interp_next(in, 1).kind, WA_BLOCK);
	ck_assert_int_eq(wl_interp_next(in, 0).kind, WA_WAKE);   /* 100 B into the empty pipe */
	a = wl_interp_next(in, 1);                               /* 100 B read ... */
	ck_assert_int_eq(a.kind, WA_CHARGE);
	ck_assert_int_eq(a.ns, 110);
	ck_assert_int_eq(wl_interp_next(in, 1).kind, WA_BLOCK);  /* ... 50..59 to go */
	/* the first write's cost, then the second 100 B */
	ck_assert_int_eq(wl_interp_next(in, 0).kind, WA_CHARGE);
	ck_assert_int_eq(wl_interp_next(in, 0).kind, WA_WAKE);
	a = wl_interp_next(in, 1);
	ck_assert_int_eq(a.kind, WA_CHARGE);
	size = (double)a.ns - 10 + 100;
	ck_assert_msg(size >= 150 && size < 160 && size == (double)(int)size, "size %g", size);
	/* 200 - size (41..50 B) are left: a 40-B recv goes through */
	ck_assert_int_eq(wl_interp_next(in, 1).ns, 10 + 40);
	wl_interp_free(in);
	rm(w);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("interp");
	TCase *tc = tcase_create("interp");
	SRunner *sr;
	int nf;

	tcase_add_test(tc, test_loop_and_exit);
	tcase_add_test(tc, test_msg_size_dist);
	tcase_add_test(tc, test_pipe_full_wakeups);
	tcase_add_test(tc, test_pipe_merge);
	tcase_add_test(tc, test_pipe_partial_read);
	tcase_add_test(tc, test_pipe_mutex);
	tcase_add_test(tc, test_futex_bucket);
	tcase_add_test(tc, test_skb_truesize);
	tcase_add_test(tc, test_unix_wmem_threshold);
	tcase_add_test(tc, test_sock_lock);
	tcase_add_test(tc, test_sock_lock_off);
	tcase_add_test(tc, test_futex_thread_word);
	tcase_add_test(tc, test_locks);
	tcase_add_test(tc, test_barrier);
	tcase_add_test(tc, test_barrier_spin);
	tcase_add_test(tc, test_wake_wait_record);
	tcase_add_test(tc, test_cond_sem);
	tcase_add_test(tc, test_timer);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	nf = srunner_ntests_failed(sr);
	srunner_free(sr);
	return nf ? EXIT_FAILURE : EXIT_SUCCESS;
}
