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

static const struct wl_env env = { NULL, f_now, f_cpu, f_release, f_xfer, f_sys, NULL };

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

/* Pipe semantics: capacity 250 B, 100-B messages: the third send blocks
 * until the reader drains one; each recv charges syscall + copy. */
START_TEST(test_inbox_blocking)
{
	struct workload *w = mk(2);
	struct wl_interp *in;
	struct wl_act a;

	w->threads[1].inbox_capacity = 250;
	for (int i = 0; i < 3; i++) {
		struct wl_op *s = op(w, 0, WL_OP_SEND);
		s->target = 1;
		s->bytes = 100;
	}
	op(w, 1, WL_OP_RECV)->bytes = 100;
	op(w, 1, WL_OP_RECV)->bytes = 100;
	op(w, 1, WL_OP_RECV)->bytes = 100;
	in = wl_interp_new(w, &env, 1, 4);

	/* receiver first: nothing there, it blocks */
	ck_assert_int_eq(wl_interp_next(in, 1).kind, WA_BLOCK);
	/* sender: the first send wakes the reader; each send charges its syscall (10) */
	a = wl_interp_next(in, 0);
	ck_assert_int_eq(a.kind, WA_WAKE);
	ck_assert_int_eq(a.target, 1);
	ck_assert(a.sync); /* pipe_write: wake_up_interruptible_sync_poll */
	a = wl_interp_next(in, 0);
	ck_assert_int_eq(a.kind, WA_CHARGE);
	ck_assert_int_eq(a.ns, 10);
	ck_assert_int_eq(wl_interp_next(in, 0).ns, 10);        /* second send: 200 <= 250 */
	ck_assert_int_eq(wl_interp_next(in, 0).kind, WA_BLOCK); /* third: 300 > 250 */
	/* reader: recv 100 B written on CPU 0, read on CPU 1: 10 + 100; it frees
	 * space, so the blocked sender retries */
	a = wl_interp_next(in, 1);
	ck_assert_int_eq(a.kind, WA_WAKE);
	ck_assert_int_eq(a.target, 0);
	ck_assert(a.sync); /* pipe_read wakes a writer with a sync wakeup too */
	a = wl_interp_next(in, 1);
	ck_assert_int_eq(a.kind, WA_CHARGE);
	ck_assert_int_eq(a.ns, 110);
	ck_assert_int_eq(wl_interp_next(in, 1).ns, 110);
	ck_assert_int_eq(wl_interp_next(in, 1).kind, WA_BLOCK);
	/* the sender's retry goes through and wakes the reader */
	ck_assert_int_eq(wl_interp_next(in, 0).kind, WA_WAKE);
	ck_assert_int_eq(wl_interp_next(in, 0).kind, WA_CHARGE);
	ck_assert_int_eq(wl_interp_next(in, 0).kind, WA_EXIT);
	ck_assert_int_eq(wl_interp_next(in, 1).kind, WA_CHARGE);
	ck_assert_int_eq(wl_interp_next(in, 1).kind, WA_EXIT);
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
 * it drew (uniform in [150, 160) B) while 100-B messages arrive: the first
 * does not release it, the second does; it then reads exactly the drawn
 * whole number of bytes (charge 10 + size), and 200 - size remain, which a
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
	ck_assert_int_eq(wl_interp_next(in, 0).kind, WA_CHARGE); /* 100 B: not enough, no wake */
	ck_assert_int_eq(wl_interp_next(in, 0).kind, WA_WAKE);   /* 200 B */
	ck_assert_int_eq(wl_interp_next(in, 0).kind, WA_CHARGE);
	a = wl_interp_next(in, 1);
	ck_assert_int_eq(a.kind, WA_CHARGE);
	size = (double)a.ns - 10;
	ck_assert_msg(size >= 150 && size < 160 && size == (double)(int)size, "size %g", size);
	/* 200 - size (40..50 B) are left: a 40-B recv goes through */
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
	tcase_add_test(tc, test_inbox_blocking);
	tcase_add_test(tc, test_msg_size_dist);
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
