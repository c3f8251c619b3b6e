/*
 * Unit tests for sim/report/stats.c against textbook and hand-computed values.
 *
 * Reference values: the Welch example of the Wikipedia article "Welch's
 * t-test" (samples A1, A2: t = 2.46, df = 24.9, p = 0.021), Student's t
 * table (t(0.975, 3) = 3.182, t(0.975, 14) = 2.145), and, to 12+ digits,
 * the same formulas evaluated in python3 with mpmath at 40 digits: the t
 * distribution as a regularized incomplete beta function, J(m) of Hedges'
 * g with log-gamma.  Holm: lists adjusted by hand (and as R's p.adjust does).
 */
#include <check.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "report/stats.h"

#define EPS 1e-9

static const double A1[] = { 27.5, 21.0, 19.0, 23.6, 17.0, 17.9, 16.9, 20.1,
			     21.9, 22.6, 23.1, 19.6, 19.0, 21.7, 21.4 };
static const double A2[] = { 27.1, 22.0, 20.8, 23.4, 23.4, 23.5, 25.8, 22.0,
			     24.8, 20.2, 21.9, 22.1, 22.9, 20.5, 24.4 };
#define N15 15

static void near(double got, double want, double tol)
{
	ck_assert_msg(fabs(got - want) <= tol * fmax(1.0, fabs(want)), "got %.17g, want %.17g", got, want);
}

START_TEST(test_summary_ci)
{
	static const double x[] = { 1, 2, 3, 4 };
	struct stats_summary s;

	stats_summarize(x, 4, 0.95, &s);
	ck_assert_uint_eq(s.n, 4);
	near(s.mean, 2.5, EPS);
	near(s.sd, sqrt(5.0 / 3.0), EPS);
	/* t(0.975, 3) = 3.1824463052837096; half = t * sd / 2 */
	near(s.ci_half, 2.054260256760522, EPS);
	near(s.ci_lo, 2.5 - 2.054260256760522, EPS);
	near(s.ci_hi, 2.5 + 2.054260256760522, EPS);
	near(s.min, 1, 0);
	near(s.max, 4, 0);

	stats_summarize(A1, N15, 0.95, &s);
	near(s.mean, 20.82, EPS);
	near(s.sd, 2.8048936827317665, EPS);
	near(s.ci_half, 1.5532983475487572, EPS); /* t(0.975, 14) = 2.1447866879 */
}
END_TEST

START_TEST(test_summary_missing_and_small)
{
	const double x[] = { NAN, 5.0, INFINITY, 7.0 };
	const double one[] = { 3.0 };
	struct stats_summary s;

	stats_summarize(x, 4, 0.95, &s);
	ck_assert_uint_eq(s.n, 2);
	near(s.mean, 6.0, EPS);
	near(s.sd, sqrt(2.0), EPS);
	/* t(0.975, 1) = 12.706204736174705 */
	near(s.ci_half, 12.706204736174705, 1e-9);

	stats_summarize(one, 1, 0.95, &s);
	ck_assert_uint_eq(s.n, 1);
	near(s.mean, 3.0, 0);
	ck_assert(isnan(s.sd) && isnan(s.ci_half));

	stats_summarize(NULL, 0, 0.95, &s);
	ck_assert_uint_eq(s.n, 0);
	ck_assert(isnan(s.mean));
}
END_TEST

START_TEST(test_welch_wikipedia)
{
	struct stats_ttest r;

	stats_welch(A1, N15, A2, N15, 0.95, &r);
	ck_assert_uint_eq(r.na, 15);
	ck_assert_uint_eq(r.nb, 15);
	near(r.diff, 2.1666666666666667, EPS);
	near(r.se, 0.88242451001375516, EPS);
	near(r.t, 2.4553563982860051, EPS);
	near(r.df, 24.988529290231414, EPS);
	near(r.p, 0.021378001462867032, 1e-9);
	near(r.ci_lo, 0.34923706619240523, 1e-9);
	near(r.ci_hi, 3.9840962671409281, 1e-9);
	/* the textbook's rounding */
	ck_assert(fabs(r.t - 2.46) < 0.005 && fabs(r.df - 24.9) < 0.1 && fabs(r.p - 0.021) < 0.0005);

	/* symmetric: swapping the samples flips t and diff, keeps p and df */
	stats_welch(A2, N15, A1, N15, 0.95, &r);
	near(r.t, -2.4553563982860051, EPS);
	near(r.p, 0.021378001462867032, 1e-9);
	near(r.df, 24.988529290231414, EPS);
}
END_TEST

START_TEST(test_welch_degenerate)
{
	static const double a[] = { 3, 3, 3 }, b[] = { 3, 3, 3 }, c[] = { 4, 4, 4 };
	static const double d[] = { 1, 2, 3 };
	struct stats_ttest r;

	/* identical samples, even with spread: t = 0, p = 1 */
	stats_welch(d, 3, d, 3, 0.95, &r);
	near(r.t, 0, 0);
	near(r.p, 1, EPS);
	/* zero variance, equal means: p = 1 */
	stats_welch(a, 3, b, 3, 0.95, &r);
	near(r.diff, 0, 0);
	near(r.t, 0, 0);
	near(r.p, 1, 0);
	near(r.df, 4, 0);
	/* zero variance, different means: an exact difference, p = 0 */
	stats_welch(a, 3, c, 3, 0.95, &r);
	near(r.diff, 1, 0);
	ck_assert(isinf(r.t) && r.t > 0);
	near(r.p, 0, 0);
	/* too few samples */
	stats_welch(a, 1, c, 3, 0.95, &r);
	ck_assert(isnan(r.p) && isnan(r.t));
}
END_TEST

START_TEST(test_paired)
{
	static const double a[] = { 1, 2, 3, 4, 5 }, b[] = { 2, 4, 3, 5, 7 };
	const double a2[] = { 1, 2, 3, 4, 5, NAN, 9 }, b2[] = { 2, 4, 3, 5, 7, 8, NAN };
	struct stats_ttest r;

	/* d = 1 2 0 1 2: mean 1.2, sd sqrt(0.7), t = 1.2 / sqrt(0.7 / 5) */
	stats_paired(a, b, 5, 0.95, &r);
	ck_assert_uint_eq(r.na, 5);
	near(r.diff, 1.2, EPS);
	near(r.t, 3.2071349029490926, EPS);
	near(r.df, 4, 0);
	near(r.p, 0.032677923336802987, 1e-9);
	near(r.ci_lo, 0.161149366316432, 1e-9);
	near(r.ci_hi, 2.238850633683568, 1e-9);
	/* pairs with a missing member are dropped */
	stats_paired(a2, b2, 7, 0.95, &r);
	ck_assert_uint_eq(r.na, 5);
	near(r.t, 3.2071349029490926, EPS);
	/* the same run twice: no difference, p = 1 */
	stats_paired(a, a, 5, 0.95, &r);
	near(r.diff, 0, 0);
	near(r.p, 1, 0);
}
END_TEST

START_TEST(test_effect_size)
{
	static const double a[] = { 3, 3, 3 }, c[] = { 4, 4, 4 };

	near(stats_cohen_d(A1, N15, A2, N15), 0.89656939070392264, EPS);
	/* exact J(28) = 0.97293211505604163 (approximation 1 - 3/(4*28-1) = 0.97297) */
	near(stats_hedges_g(A1, N15, A2, N15), 0.872301153592074, EPS);
	near(stats_hedges_g(A2, N15, A1, N15), -0.872301153592074, EPS);
	near(stats_cohen_d(a, 3, a, 3), 0, 0);
	near(stats_hedges_g(a, 3, a, 3), 0, 0);
	ck_assert(isnan(stats_cohen_d(a, 3, c, 3)));
	ck_assert(isnan(stats_hedges_g(a, 1, c, 3)));
}
END_TEST

START_TEST(test_pct_change)
{
	near(stats_pct_change(100, 110, STATS_HIGHER), 10, EPS);
	near(stats_pct_change(100, 110, STATS_LOWER), -10, EPS);
	near(stats_pct_change(100, 90, STATS_LOWER), 10, EPS);
	near(stats_pct_change(100, 110, STATS_NEUTRAL), 10, EPS);
	/* against a negative baseline: relative to |base| */
	near(stats_pct_change(-100, -90, STATS_HIGHER), 10, EPS);
	near(stats_pct_change(0, 0, STATS_LOWER), 0, 0);
	ck_assert(!signbit(stats_pct_change(5, 5, STATS_LOWER)));
	ck_assert(isnan(stats_pct_change(0, 1, STATS_HIGHER)));
	ck_assert(isnan(stats_pct_change(NAN, 1, STATS_HIGHER)));
}
END_TEST

START_TEST(test_holm)
{
	const double p[] = { 0.01, 0.04, 0.03, 0.005 };
	const double r[] = { 0.01, 0.02, 0.03, 0.04, 0.05 };
	const double q[] = { 0.5, NAN, 0.01, 0.3 };
	double adj[5];

	/* sorted 0.005 0.01 0.03 0.04: x4 x3 x2 x1 = 0.02 0.03 0.06 0.04 -> running max */
	stats_holm(p, 4, adj);
	near(adj[0], 0.03, EPS);
	near(adj[1], 0.06, EPS);
	near(adj[2], 0.06, EPS);
	near(adj[3], 0.02, EPS);
	/* R: p.adjust(c(.01,.02,.03,.04,.05), "holm") = .05 .08 .09 .09 .09 */
	stats_holm(r, 5, adj);
	near(adj[0], 0.05, EPS);
	near(adj[1], 0.08, EPS);
	near(adj[2], 0.09, EPS);
	near(adj[3], 0.09, EPS);
	near(adj[4], 0.09, EPS);
	/* NaN does not count in m; capped at 1; in place */
	memcpy(adj, q, sizeof(q));
	stats_holm(adj, 4, adj);
	near(adj[2], 0.03, EPS);
	near(adj[3], 0.6, EPS);
	near(adj[0], 0.6, EPS);
	ck_assert(isnan(adj[1]));
	adj[0] = 0.6;
	adj[1] = 0.7;
	stats_holm(adj, 2, adj);
	near(adj[0], 1, 0);
	near(adj[1], 1, 0);
}
END_TEST

START_TEST(test_mark)
{
	ck_assert_str_eq(stats_mark(0.001), "**");
	ck_assert_str_eq(stats_mark(0.0099), "**");
	ck_assert_str_eq(stats_mark(0.01), "*");
	ck_assert_str_eq(stats_mark(0.049), "*");
	ck_assert_str_eq(stats_mark(0.05), "");
	ck_assert_str_eq(stats_mark(1), "");
	ck_assert_str_eq(stats_mark(NAN), "");
}
END_TEST

static Suite *stats_suite(void)
{
	Suite *s = suite_create("stats");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_summary_ci);
	tcase_add_test(tc, test_summary_missing_and_small);
	tcase_add_test(tc, test_welch_wikipedia);
	tcase_add_test(tc, test_welch_degenerate);
	tcase_add_test(tc, test_paired);
	tcase_add_test(tc, test_effect_size);
	tcase_add_test(tc, test_pct_change);
	tcase_add_test(tc, test_holm);
	tcase_add_test(tc, test_mark);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(stats_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
