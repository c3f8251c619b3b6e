/*
 * util_est (fair.c util_est_update()/cpu_util(), Linux v6.15) and x86
 * frequency invariance (aperfmperf.c / acpi/cppc.c and pelt.h
 * update_rq_clock_pelt(), v6.15) against values computed by hand from the
 * kernel code.
 */
#include <check.h>
#include <stdlib.h>

#include "base/eq.h"
#include "hw/freq.h"
#include "sched/pelt.h"
#include "sched/sched.h"
#include "sched/util_est.h"

#define PERIOD_NS (1024 * 1024ULL)
#define U UTIL_AVG_UNCHANGED

/* One sleep of a task whose util_avg is @util and runnable_avg @runnable;
 * @fresh: PELT crossed a period since the last update (flag cleared). */
static unsigned int sleep_with(struct sched_avg *se, unsigned long util, unsigned long runnable,
			       bool fresh)
{
	se->util_avg = util;
	se->runnable_avg = runnable;
	if (fresh)
		se->util_est &= ~U;
	util_est_update(se, SCHED_CAPACITY_SCALE);
	return se->util_est;
}

START_TEST(test_ewma_up_at_once_down_slowly)
{
	struct sched_avg se = { 0 };

	/* an increase replaces the estimate: ewma <= dequeued */
	ck_assert_uint_eq(sleep_with(&se, 300, 300, true), 300 | U);
	/* (300 * 4 - 200) >> 2 = 250; then (250 * 4 - 150) >> 2 = 212;
	 * (212 * 4 - 112) >> 2 = 184 */
	ck_assert_uint_eq(sleep_with(&se, 100, 100, true), 250 | U);
	ck_assert_uint_eq(sleep_with(&se, 100, 100, true), 212 | U);
	ck_assert_uint_eq(sleep_with(&se, 100, 100, true), 184 | U);
	/* and up again in one step */
	ck_assert_uint_eq(sleep_with(&se, 500, 500, true), 500 | U);
	ck_assert_uint_eq(task_util_est_of(&se), 500);
}
END_TEST

START_TEST(test_ewma_skips)
{
	struct sched_avg se = { 0 };

	sleep_with(&se, 300, 300, true);
	/* UTIL_AVG_UNCHANGED: PELT did not move since the last update */
	ck_assert_uint_eq(sleep_with(&se, 100, 100, false), 300 | U);
	/* within the 1 % margin (1024 / 100 = 10): 300 - 291 = 9 keeps it */
	ck_assert_uint_eq(sleep_with(&se, 291, 291, true), 300 | U);
	/* 300 - 290 = 10 is not within: (1200 - 10) >> 2 = 297 */
	ck_assert_uint_eq(sleep_with(&se, 290, 290, true), 297 | U);
	/* the task waited (dequeued + 10 < runnable_avg): no learning */
	ck_assert_uint_eq(sleep_with(&se, 100, 111, true), 297 | U);
	/* 100 + 10 == 110 is not below runnable 110: learns, (1188 - 197) >> 2 */
	ck_assert_uint_eq(sleep_with(&se, 100, 110, true), 247 | U);
	/* util above the CPU's capacity: return without even setting the flag */
	se.util_est = 900;
	se.util_avg = 600;
	se.runnable_avg = 600;
	util_est_update(&se, 512);
	ck_assert_uint_eq(se.util_est, 900);
}
END_TEST

/* The PELT update that crosses a period clears the flag (cfs_se_util_change()). */
START_TEST(test_pelt_clears_flag)
{
	struct sched_avg se = { 0 };

	se.util_est = 123 | U;
	pelt_update(&se, PERIOD_NS / 2, 1, 1, 1, 1024);
	ck_assert_uint_eq(se.util_est, 123 | U); /* no period crossed */
	pelt_update(&se, 2 * PERIOD_NS, 1, 1, 1, 1024);
	ck_assert_uint_eq(se.util_est, 123);
}
END_TEST

START_TEST(test_rq_sum_and_cpu_util)
{
	struct rq rq = { 0 };
	struct sched_avg a = { .util_est = 200 | U }, b = { .util_est = 150 };

	util_est_enqueue(&rq.avg, &a);
	util_est_enqueue(&rq.avg, &b);
	ck_assert_uint_eq(rq.avg.util_est, 350); /* the flag is not summed */
	rq.avg.util_avg = 100;
	rq.avg.runnable_avg = 400;
	/* cpu_util_cfs(): max(util_avg, util_est) */
	ck_assert_uint_eq(cpu_util(&rq), 350);
	/* cpu_util_cfs_boost(): runnable_avg joins the max */
	ck_assert_uint_eq(cpu_util_boost(&rq), 400);
	util_est_dequeue(&rq.avg, &a);
	ck_assert_uint_eq(rq.avg.util_est, 150);
	ck_assert_uint_eq(cpu_util(&rq), 150);
	/* the sum never underflows (min_t in util_est_dequeue()) */
	util_est_dequeue(&rq.avg, &a);
	ck_assert_uint_eq(rq.avg.util_est, 0);
	ck_assert_uint_eq(cpu_util(&rq), 100);
	/* capped at the capacity */
	rq.avg.util_est = 3000;
	ck_assert_uint_eq(cpu_util(&rq), 1024);
}
END_TEST

START_TEST(test_max_freq_ratio_and_scale)
{
	/* Intel, SPR profile: base ratio 20, 4C turbo ratio 38:
	 * 38 * 1024 / 20 = 1945; at 3.0 GHz APERF/MPERF = 3000/2000:
	 * (3000 << 20) / (2000 * 1945) = 808 */
	ck_assert_uint_eq(x86_max_freq_ratio(FI_INTEL, 2000, 3800), 1945);
	ck_assert_uint_eq(x86_freq_scale(3000, 2000, 1945), 808);
	/* AMD, Genoa profile: 3700 * 1024 / 2400 = 1578; (1578 + 1024) >> 1
	 * = 1301; at base (2.4 GHz): (2400 << 20) / (2400 * 1301) = 805 */
	ck_assert_uint_eq(x86_max_freq_ratio(FI_AMD, 2400, 3700), 1301);
	ck_assert_uint_eq(x86_freq_scale(2400, 2400, 1301), 805);
	/* above the reference clock: capped at 1024 */
	ck_assert_uint_eq(x86_freq_scale(3900, 2000, 1945), 1024);
	/* no rule or unknown clocks: the kernel keeps 1024 */
	ck_assert_uint_eq(x86_max_freq_ratio(FI_NONE, 2000, 3800), 0);
	ck_assert_uint_eq(x86_max_freq_ratio(FI_INTEL, 0, 3800), 0);
	ck_assert_uint_eq(x86_freq_scale(3000, 2000, 0), 1024);
}
END_TEST

static void advance_to(struct eq *q, simtime_t t)
{
	eq_run(q, t);
}

/*
 * A CPU at half its reference clock (scale 512) runs for two periods: its
 * PELT clock advances one period, and its util_avg is that of one period
 * at full speed: contrib = decay_load(1024, 1) + (LOAD_AVG_MAX -
 * decay_load(LOAD_AVG_MAX, 1) - 1024) = 1002 + 0; util_sum = 1002 << 10,
 * divider 46718 + 0: util_avg = 1026048 / 46718 = 21 (43 unscaled).  Going
 * idle syncs the clock to the wall clock: the gap counts as idle time.
 */
START_TEST(test_invariant_accumulation)
{
	struct eq *q = eq_new(4, NULL);
	struct sched s = { 0 };
	struct rq rq = { 0 };
	struct task t = { 0 };
	struct sched_avg ref = { 0 }, unscaled = { 0 };

	s.eq = q;
	s.freq_scale = 512;
	rq.curr = &t;
	ck_assert_uint_eq(rq_clock_pelt(&s, &rq), 0);
	advance_to(q, 2 * PERIOD_NS);
	ck_assert_uint_eq(rq_clock_pelt(&s, &rq), PERIOD_NS);
	pelt_update(&rq.avg, rq_clock_pelt(&s, &rq), 1, 1, 1, 1);
	pelt_update(&ref, PERIOD_NS, 1, 1, 1, 1);
	pelt_update(&unscaled, 2 * PERIOD_NS, 1, 1, 1, 1);
	ck_assert_uint_eq(rq.avg.util_avg, 21);
	ck_assert_uint_eq(ref.util_avg, 21);
	ck_assert_uint_eq(unscaled.util_avg, 43);
	/* idle from 2P to 4P: the clock jumps to 4P, the 3 periods since the
	 * last pelt time decay the sum as idle ones */
	rq.curr = NULL;
	advance_to(q, 4 * PERIOD_NS);
	ck_assert_uint_eq(rq_clock_pelt(&s, &rq), 4 * PERIOD_NS);
	pelt_update(&rq.avg, rq_clock_pelt(&s, &rq), 0, 0, 0, 1);
	pelt_update(&ref, 4 * PERIOD_NS, 0, 0, 0, 1);
	ck_assert_uint_eq(rq.avg.util_avg, ref.util_avg);
	ck_assert_uint_eq(rq.lost_idle_time, 0);
	eq_free(q);
}
END_TEST

/*
 * An always-running CPU saturates at 1024 whatever its clock (PELT's time
 * runs slower, but it is all running time); when it then goes idle the
 * skipped time is lost idle time (update_idle_rq_clock_pelt()): the task
 * clock does not jump.
 */
START_TEST(test_saturated_lost_idle)
{
	struct eq *q = eq_new(4, NULL);
	struct sched s = { 0 };
	struct rq rq = { 0 };
	struct task t = { 0 };

	s.eq = q;
	s.freq_scale = 512;
	rq.curr = &t;
	for (uint64_t n = 1; n <= 800; n++) {
		advance_to(q, (simtime_t)(n * PERIOD_NS));
		pelt_update(&rq.avg, rq_clock_pelt(&s, &rq), 1, 1, 1, 1);
	}
	ck_assert_uint_ge(rq.avg.util_avg, 1023); /* saturated */
	ck_assert_uint_ge(rq.avg.util_sum, PELT_IDLE_LOST_DIVIDER);
	rq.curr = NULL;
	advance_to(q, 801 * PERIOD_NS);
	/* the busy stretch ended at 400P of PELT time; 401P of wall time were
	 * skipped and are lost */
	ck_assert_uint_eq(rq_clock_pelt(&s, &rq), 400 * PERIOD_NS);
	ck_assert_uint_eq(rq.lost_idle_time, 401 * PERIOD_NS);
	/* later idle time counts again */
	advance_to(q, 802 * PERIOD_NS);
	ck_assert_uint_eq(rq_clock_pelt(&s, &rq), 401 * PERIOD_NS);
	eq_free(q);
}
END_TEST

int main(void)
{
	Suite *su = suite_create("util_est");
	TCase *tc = tcase_create("core");
	SRunner *sr;
	int nf;

	tcase_add_test(tc, test_ewma_up_at_once_down_slowly);
	tcase_add_test(tc, test_ewma_skips);
	tcase_add_test(tc, test_pelt_clears_flag);
	tcase_add_test(tc, test_rq_sum_and_cpu_util);
	tcase_add_test(tc, test_max_freq_ratio_and_scale);
	tcase_add_test(tc, test_invariant_accumulation);
	tcase_add_test(tc, test_saturated_lost_idle);
	suite_add_tcase(su, tc);
	sr = srunner_create(su);
	srunner_run_all(sr, CK_NORMAL);
	nf = srunner_ntests_failed(sr);
	srunner_free(sr);
	return nf ? EXIT_FAILURE : EXIT_SUCCESS;
}
