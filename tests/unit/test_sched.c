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

int main(void)
{
	TCase *tc;
	Suite *s = harness_suite("sched", &tc, 120);

	tcase_add_test(tc, test_sis_util_formula);
	tcase_add_test(tc, test_spread_16);
	tcase_add_test(tc, test_spread_256);
	return harness_run(s);
}
