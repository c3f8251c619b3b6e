/* PELT against its closed form: y^32 = 1/2, 1024 us periods. */
#include <check.h>
#include <math.h>
#include <stdlib.h>

#include "sched/pelt.h"

#define PERIOD_NS (1024 * 1024ULL)

START_TEST(test_decay_load)
{
	/* 32 periods halve, 64 quarter: exact shifts, then * (2^32-1)/2^32 */
	ck_assert_uint_eq(pelt_decay_load(1 << 20, 32), (1 << 19) - 1);
	ck_assert_uint_eq(pelt_decay_load(1 << 20, 64), (1 << 18) - 1);
	ck_assert_uint_eq(pelt_decay_load(12345, 32 * 63 + 1), 0);
	for (int n = 1; n < 100; n += 7) {
		double want = 1e9 * pow(0.5, n / 32.0);
		double got = (double)pelt_decay_load(1000000000ULL, (uint64_t)n);
		ck_assert_msg(fabs(got - want) / want < 1e-6, "n=%d got %f want %f", n, got, want);
	}
}
END_TEST

/* An always-running entity: util = 1024 * (1 - y^n) after n periods. */
START_TEST(test_ramp_up_closed_form)
{
	struct sched_avg sa = { 0 };
	double y = pow(0.5, 1.0 / 32);

	for (int n = 1; n <= 400; n++) {
		pelt_update(&sa, n * PERIOD_NS, 1, 1, 1, 1024);
		if (n == 8 || n == 32 || n == 100 || n == 400) {
			double want = 1024.0 * (1 - pow(y, n));
			ck_assert_msg(fabs((double)sa.util_avg - want) <= 0.02 * 1024,
				      "n=%d util %lu want %.1f", n, sa.util_avg, want);
			ck_assert_msg(fabs((double)sa.load_avg - want) <= 0.02 * 1024,
				      "n=%d load %lu want %.1f", n, sa.load_avg, want);
		}
	}
	/* saturates at the weight / capacity */
	ck_assert_uint_ge(sa.util_avg, 1000);
	ck_assert_uint_le(sa.util_avg, 1024);
}
END_TEST

/* From saturation, idle for 32 ms halves the signal; 64 ms quarters it. */
START_TEST(test_decay_half_life)
{
	struct sched_avg sa = { 0 };
	uint64_t t = 0;
	unsigned long full;

	for (int n = 1; n <= 1000; n++)
		pelt_update(&sa, t = n * PERIOD_NS, 1, 1, 1, 1024);
	full = sa.util_avg;
	pelt_update(&sa, t + 32 * PERIOD_NS, 0, 0, 0, 1024);
	ck_assert_msg(labs((long)sa.util_avg - (long)full / 2) <= 12, "half %lu of %lu", sa.util_avg, full);
	pelt_update(&sa, t + 64 * PERIOD_NS, 0, 0, 0, 1024);
	ck_assert_msg(labs((long)sa.util_avg - (long)full / 4) <= 12, "quarter %lu of %lu", sa.util_avg, full);
}
END_TEST

/* A 25% duty cycle converges to util ~256. */
START_TEST(test_duty_cycle)
{
	struct sched_avg sa = { 0 };
	uint64_t t = 0;

	for (int i = 0; i < 2000; i++) {
		t += PERIOD_NS;
		pelt_update(&sa, t, 1, 1, 1, 1024);
		t += 3 * PERIOD_NS;
		pelt_update(&sa, t, 0, 0, 0, 1024);
	}
	ck_assert_msg(sa.util_avg > 200 && sa.util_avg < 300, "util %lu", sa.util_avg);
}
END_TEST

/* Attach then detach leaves a runqueue where it was. */
START_TEST(test_attach_detach)
{
	struct sched_avg rq = { 0 }, se = { 0 };

	for (int n = 1; n <= 100; n++) {
		pelt_update(&rq, n * PERIOD_NS, 1024, 1, 1, 1);
		pelt_update(&se, n * PERIOD_NS, 1, 1, 1, 1024);
	}
	unsigned long u = rq.util_avg, l = rq.load_avg;
	pelt_attach(&rq, &se, 1024);
	ck_assert_uint_eq(rq.util_avg, u + se.util_avg);
	ck_assert_uint_eq(rq.load_avg, l + se.load_avg);
	pelt_detach(&rq, &se, 1024);
	ck_assert_uint_eq(rq.util_avg, u);
	ck_assert_uint_eq(rq.load_avg, l);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("pelt");
	TCase *tc = tcase_create("pelt");
	SRunner *sr;
	int nf;

	tcase_add_test(tc, test_decay_load);
	tcase_add_test(tc, test_ramp_up_closed_form);
	tcase_add_test(tc, test_decay_half_life);
	tcase_add_test(tc, test_duty_cycle);
	tcase_add_test(tc, test_attach_detach);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	nf = srunner_ntests_failed(sr);
	srunner_free(sr);
	return nf ? EXIT_FAILURE : EXIT_SUCCESS;
}
