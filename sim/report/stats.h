/*
 * Statistics for comparing runs (GSL): summaries with t-distribution
 * confidence intervals, Welch's and the paired t-test, effect sizes,
 * percent change against a baseline with a metric's direction, and Holm's
 * step-down correction for a family of p-values.
 *
 * Missing values: every function ignores non-finite samples (NaN marks a
 * run or a metric that is missing); the paired test drops a pair when
 * either member is non-finite.  A result that cannot be computed (too few
 * samples, 0/0) is NaN.
 *
 * Zero variance: simulations can be deterministic in a metric.  A t-test
 * whose standard error is 0 gives t = 0 and p = 1 when the means are equal,
 * t = +-inf and p = 0 when they differ (the difference is exact).
 */
#ifndef CASSIM_REPORT_STATS_H
#define CASSIM_REPORT_STATS_H

#include <stddef.h>

/* Which way a metric is better. */
enum stats_dir {
	STATS_LOWER = -1,  /* latencies, elapsed time, migrations */
	STATS_NEUTRAL = 0, /* no direction: changes are reported as measured */
	STATS_HIGHER = 1,  /* throughput */
};

struct stats_summary {
	size_t n;          /* finite samples */
	double mean;
	double sd;         /* sample standard deviation (n - 1); NaN if n < 2 */
	double ci_half;    /* half-width of the confidence interval of the mean */
	double ci_lo, ci_hi;
	double min, max;
};

/* Mean, sd and the @level (e.g. 0.95) confidence interval of the mean,
 * mean +- t(1 - (1 - level) / 2, n - 1) * sd / sqrt(n).  n = 1: CI NaN. */
void stats_summarize(const double *x, size_t n, double level, struct stats_summary *s);

struct stats_ttest {
	size_t na, nb;     /* samples used (pairs for the paired test) */
	double diff;       /* mean(b) - mean(a) (paired: mean of b_i - a_i) */
	double se;         /* standard error of diff */
	double t, df, p;   /* statistic, degrees of freedom, two-sided p-value */
	double ci_lo, ci_hi; /* @level confidence interval of diff */
};

/* Welch's unequal-variance t-test of b against a, Welch-Satterthwaite df. */
void stats_welch(const double *a, size_t na, const double *b, size_t nb, double level,
		 struct stats_ttest *r);

/* Paired t-test on d_i = b_i - a_i (same seed i), df = pairs - 1. */
void stats_paired(const double *a, const double *b, size_t n, double level, struct stats_ttest *r);

/* Cohen's d = (mean(b) - mean(a)) / pooled sd, pooled over n_a + n_b - 2
 * degrees of freedom; Hedges' g = d * J(df), with the exact small-sample
 * correction J(m) = Gamma(m/2) / (sqrt(m/2) Gamma((m-1)/2)).
 * Both are 0 when the pooled sd is 0 and the means are equal, NaN when
 * only the pooled sd is 0. */
double stats_cohen_d(const double *a, size_t na, const double *b, size_t nb);
double stats_hedges_g(const double *a, size_t na, const double *b, size_t nb);

/* Change of @x against @base in percent of |base|, signed so that + is
 * better: negated for STATS_LOWER, as measured for STATS_NEUTRAL.
 * 0 when both are 0, NaN when only base is 0 or either is non-finite. */
double stats_pct_change(double base, double x, enum stats_dir dir);

/* Holm's step-down adjustment of @n p-values into @adj (may be @p): the
 * i-th smallest becomes max over j <= i of min(1, (m - j + 1) p_(j)), with
 * m the number of finite p-values; NaN entries stay NaN and do not count. */
void stats_holm(const double *p, size_t n, double *adj);

/* "**" for p < 0.01, "*" for p < 0.05, "" otherwise (and for NaN). */
const char *stats_mark(double p);

#endif
