/* The stock scheduler end to end on small machines: spreading, SIS_UTIL. */
#include "harness.h"

#include "sched/lb.h"

static int max_nr_running(struct sched *s)
{
	int m = 0;
	for (int c = 0; c < s->nr_cpus; c++)
		m = MAX(m, s->rq[c].nr_running);
	return m;
}

/*
 * N CPU-bound tasks all started on CPU 0 (no fork balancing) on an N-CPU
 * machine: periodic, idle and nohz balancing must leave exactly one task per
 * CPU.  Returns the simulated time it took, or -1 if not spread by @limit.
 */
static simtime_t spread_time(int pkgs, int llcs, int cores, int smt, simtime_t limit)
{
	struct hrig r;
	struct sched *s;
	simtime_t when = -1;

	hrig_new(&r, pkgs, llcs, cores, smt, NULL);
	s = r.s;
	for (int i = 0; i < r.t->nr_cpus; i++)
		sched_start_task(s, sched_create_task(s, 0, 0, NULL), 0, 0, 0);
	ck_assert_int_eq(s->rq[0].nr_running, r.t->nr_cpus);
	for (simtime_t now = 0; now < limit; now += NSEC_PER_MSEC) {
		eq_run(r.eq, now);
		if (max_nr_running(s) == 1) {
			when = now;
			break;
		}
	}
	if (when >= 0) {
		/* and it stays spread */
		eq_run(r.eq, when + 200 * NSEC_PER_MSEC);
		ck_assert_int_eq(max_nr_running(s), 1);
		for (int c = 0; c < r.t->nr_cpus; c++)
			ck_assert_ptr_nonnull(s->rq[c].curr);
	}
	hrig_free(&r);
	return when;
}

/* 16 CPUs: 1 package, 2 LLCs x 4 cores x SMT2. */
START_TEST(test_spread_16)
{
	simtime_t t = spread_time(1, 2, 4, 2, 2 * NSEC_PER_SEC);
	ck_assert_msg(t >= 0, "16 tasks not spread over 16 CPUs within 2 s");
	/* a handful of balance intervals of the 16-CPU domain (16-32 ms) */
	ck_assert_msg(t <= 300 * NSEC_PER_MSEC, "spreading took %lld ms", (long long)(t / NSEC_PER_MSEC));
}
END_TEST

/* 256 CPUs: 2 packages (nodes) x 4 LLCs x 16 cores x SMT2. */
START_TEST(test_spread_256)
{
	simtime_t t = spread_time(2, 4, 16, 2, 10 * NSEC_PER_SEC);
	ck_assert_msg(t >= 0, "256 tasks not spread over 256 CPUs within 10 s");
	/* The last few stragglers go one per idle-group balance, and an idle
	 * CPU balances the 128-CPU PKG level at most every max_interval =
	 * 256 ms once it has doubled there; a dozen such rounds bound it. */
	ck_assert_msg(t <= 5 * NSEC_PER_SEC, "spreading took %lld ms", (long long)(t / NSEC_PER_MSEC));
}
END_TEST

/* SIS_UTIL depth: full scan when idle, none at ~85% and above (pct 117). */
START_TEST(test_sis_util_formula)
{
	ck_assert_int_eq(sis_util_nr_scan(0, 16, 117), 16);
	/* 50%: x = 512, tmp = 512^2 * 117^2 / (10000 * 1024) = 350 -> y = 674 -> 16*674/1024 = 10 */
	ck_assert_int_eq(sis_util_nr_scan(512 * 16, 16, 117), 10);
	ck_assert_int_eq(sis_util_nr_scan(880 * 16, 16, 117), 0);
	ck_assert_int_eq(sis_util_nr_scan(1024 * 32, 32, 117), 0);
	/* 25% on a 32-CPU LLC: x = 256, tmp = 87 -> y = 937 -> 29 */
	ck_assert_int_eq(sis_util_nr_scan(256 * 32, 32, 117), 29);
}
END_TEST

/*
 * DELAY_DEQUEUE (fair.c v6.15 dequeue_entity(), pick_next_entity(),
 * requeue_delayed_entity(), ttwu_runnable()), by hand on one CPU (base
 * slice 0.7 ms, HZ 1000, weights 1024, no machine model).  Task A (id 0)
 * runs 1.2 ms of work and then sleeps for @sleep_ns (< 0: waits for a wake
 * that never comes); task B is CPU-bound; both start on CPU 0 at time 0.
 *   0 ms    A picked (equal deadlines 0.35 ms, lower id)
 *   1 ms    tick: A.v = 1.0 ms past its deadline, ineligible (V = 0.5 ms): B runs
 *   2 ms    tick: B.v = 1.0 ms; both deadlines 1.7 ms, A (lower id) runs
 *   2.2 ms  A sleeps at v = 1.2 ms with V = (1.0 + 1.2) / 2 = 1.1 ms: lag
 *           -0.1 ms, not eligible: delayed (queued, in nr_running, not in
 *           h_nr_runnable); B runs
 *   3 ms    tick: B.v = 1.8 ms, past its deadline 1.7 ms; V = 1.5 ms, A
 *           eligible with the earliest deadline: picked, so dequeued for
 *           good, with lag V - v = 0.3 ms (DELAY_ZERO: clipped to 0)
 */
struct delay_prog {
	simtime_t sleep_ns;
	int step;
};

static struct task_action delay_next(void *ctx, struct task *t)
{
	struct delay_prog *pg = ctx;

	if (t->id == 0 && pg->step < 2) {
		if (pg->step++ == 0)
			return (struct task_action){ .kind = ACT_RUN, .ns = 1200 * NSEC_PER_USEC };
		if (pg->sleep_ns >= 0)
			return (struct task_action){ .kind = ACT_SLEEP, .ns = pg->sleep_ns };
		return (struct task_action){ .kind = ACT_WAIT };
	}
	return harness_hog_next(ctx, t);
}

/* The rig above on @cores CPUs, A and B pinned to CPU 0. */
static struct sched *delay_rig(struct hrig *r, struct delay_prog *pg, int cores, bool delay, bool zero)
{
	struct sched_params p;
	struct cpumask cpu0;

	sched_params_defaults(&p);
	p.delay_dequeue = delay;
	p.delay_zero = zero;
	hrig_new(r, 1, 1, cores, 1, &p);
	r->s->ops = (struct sched_ops){ .next = delay_next, .ctx = pg };
	cpumask_clear(&cpu0);
	cpumask_set(&cpu0, 0);
	for (int i = 0; i < 2; i++)
		sched_start_task(r->s, sched_create_task(r->s, 0, 0, &cpu0), 0, 0, 0);
	return r->s;
}

START_TEST(test_delay_dequeue_pick)
{
	for (int zero = 0; zero < 2; zero++) {
		struct delay_prog pg = { .sleep_ns = -1 };
		struct hrig r;
		struct sched *s = delay_rig(&r, &pg, 1, true, zero);
		struct task *a = s->tasks[0], *b = s->tasks[1];

		eq_run(r.eq, 2500 * NSEC_PER_USEC);
		ck_assert_ptr_eq(s->rq[0].curr, b);
		ck_assert_int_eq(a->state, TASK_BLOCKED);
		ck_assert_int_eq(a->se.sched_delayed, 1);
		ck_assert_int_eq(a->se.on_rq, 1);
		ck_assert_int_eq(a->se.vruntime, 1200000);
		ck_assert_int_eq(s->rq[0].nr_running, 2);
		ck_assert_int_eq(s->rq[0].h_nr_runnable, 1);
		ck_assert_int_eq(s->rq[0].cfs.nr_queued, 2);
		eq_run(r.eq, 3100 * NSEC_PER_USEC);
		ck_assert_int_eq(a->se.sched_delayed, 0);
		ck_assert_int_eq(a->se.on_rq, 0);
		ck_assert_int_eq(a->se.vlag, zero ? 0 : 300000);
		ck_assert_int_eq(s->rq[0].nr_running, 1);
		ck_assert_int_eq(s->rq[0].h_nr_runnable, 1);
		ck_assert_ptr_eq(s->rq[0].curr, b);
		hrig_free(&r);
	}
}
END_TEST

/* Without DELAY_DEQUEUE A leaves at 2.2 ms with its lag -0.1 ms. */
START_TEST(test_delay_dequeue_off)
{
	struct delay_prog pg = { .sleep_ns = -1 };
	struct hrig r;
	struct sched *s = delay_rig(&r, &pg, 1, false, true);
	struct task *a = s->tasks[0];

	eq_run(r.eq, 2500 * NSEC_PER_USEC);
	ck_assert_int_eq(a->state, TASK_BLOCKED);
	ck_assert_int_eq(a->se.sched_delayed, 0);
	ck_assert_int_eq(a->se.on_rq, 0);
	ck_assert_int_eq(a->se.vlag, -100000);
	ck_assert_int_eq(s->rq[0].nr_running, 1);
	ck_assert_int_eq(s->rq[0].h_nr_runnable, 1);
	hrig_free(&r);
}
END_TEST

/*
 * A delayed task woken (requeue_delayed_entity()).  At 2.3 ms B.v = 1.1
 * ms, V = 1.15 ms: A's lag is -0.05 ms, it keeps v = 1.2 ms.  At 2.5 ms
 * B.v = 1.3 ms, V = 1.25 ms: lag +0.05 ms, which DELAY_ZERO clips: A is
 * placed at V without itself (B alone, 1.3 ms), deadline 1.3 + 0.7 ms, and
 * B (eligible, v = V) keeps the CPU (RUN_TO_PARITY, its slice is
 * protected).  Without DELAY_ZERO A keeps v = 1.2 ms and B, at 1.3 ms, is
 * not eligible: A (deadline 1.7 ms) preempts it.
 */
START_TEST(test_delay_dequeue_wakeup)
{
	static const struct { simtime_t sleep; bool zero; int64_t v, deadline; int curr; } c[] = {
		{ 100 * NSEC_PER_USEC, true, 1200000, 1700000, 1 },
		{ 300 * NSEC_PER_USEC, true, 1300000, 2000000, 1 },
		{ 300 * NSEC_PER_USEC, false, 1200000, 1700000, 0 },
	};

	for (size_t i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		struct delay_prog pg = { .sleep_ns = c[i].sleep };
		struct hrig r;
		struct sched *s = delay_rig(&r, &pg, 1, true, c[i].zero);
		struct task *a = s->tasks[0], *b = s->tasks[1];

		eq_run(r.eq, 2250 * NSEC_PER_USEC);
		ck_assert_int_eq(a->se.sched_delayed, 1);
		eq_run(r.eq, 2200 * NSEC_PER_USEC + c[i].sleep + 50 * NSEC_PER_USEC);
		ck_assert_int_eq(a->state, TASK_RUNNABLE);
		ck_assert_int_eq(a->se.sched_delayed, 0);
		ck_assert_int_eq(a->se.on_rq, 1);
		ck_assert_int_eq(a->cpu, 0);
		ck_assert_int_eq(a->c.nr_wakeups, 1);
		ck_assert_int_eq(a->se.vruntime, c[i].v);
		ck_assert_int_eq(a->se.deadline, c[i].deadline);
		ck_assert_int_eq(s->rq[0].nr_running, 2);
		ck_assert_int_eq(s->rq[0].h_nr_runnable, 2);
		ck_assert_ptr_eq(s->rq[0].curr, c[i].curr ? b : a);
		hrig_free(&r);
	}
}
END_TEST

/* ttwu_runnable() wakes a delayed task where it is queued: no
 * select_task_rq(), so A stays on busy CPU 0 next to an idle CPU 1, where
 * the wakeup path puts it when it had left the queue (2 CPUs: slice 1.4
 * ms, the same timeline to 2.2 ms; A may use CPU 1 from 2.25 ms). */
START_TEST(test_delay_dequeue_no_migration)
{
	for (int delay = 0; delay < 2; delay++) {
		struct delay_prog pg = { .sleep_ns = 100 * NSEC_PER_USEC };
		struct hrig r;
		struct sched *s = delay_rig(&r, &pg, 2, delay, true);
		struct task *a = s->tasks[0];

		eq_run(r.eq, 2250 * NSEC_PER_USEC);
		ck_assert_int_eq(a->se.sched_delayed, delay);
		cpumask_set(&a->affinity, 1);
		a->nr_cpus_allowed = 2;
		eq_run(r.eq, 2350 * NSEC_PER_USEC);
		ck_assert_int_eq(a->state, TASK_RUNNABLE);
		ck_assert_int_eq(a->cpu, delay ? 0 : 1);
		ck_assert_int_eq(s->rq[0].h_nr_runnable, delay ? 2 : 1);
		hrig_free(&r);
	}
}
END_TEST

int main(void)
{
	TCase *tc;
	Suite *s = harness_suite("sched", &tc, 120);

	tcase_add_test(tc, test_sis_util_formula);
	tcase_add_test(tc, test_spread_16);
	tcase_add_test(tc, test_spread_256);
	tcase_add_test(tc, test_delay_dequeue_pick);
	tcase_add_test(tc, test_delay_dequeue_off);
	tcase_add_test(tc, test_delay_dequeue_wakeup);
	tcase_add_test(tc, test_delay_dequeue_no_migration);
	return harness_run(s);
}
