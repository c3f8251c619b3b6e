/* Statistics for comparing runs; see stats.h.  The distributions and the
 * moments come from GSL. */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "report/stats.h"
#include "base/xalloc.h"

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_sf_gamma.h>
#include <gsl/gsl_statistics_double.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* The finite entries of @x, copied into a new array (*out, free it); their
 * count.  *out may be NULL when nothing is finite. */
static size_t finite_copy(const double *x, size_t n, double **out)
{
	double *y = n ? xmalloc(n * sizeof(*y)) : NULL;
	size_t m = 0;

	for (size_t i = 0; y && i < n; i++)
		if (isfinite(x[i]))
			y[m++] = x[i];
	*out = y;
	return m;
}

/* Two-sided quantile t(1 - (1 - level) / 2, df). */
static double t_crit(double level, double df)
{
	if (!(df > 0) || !(level > 0 && level < 1))
		return NAN;
	return gsl_cdf_tdist_Pinv(1.0 - (1.0 - level) / 2.0, df);
}

/* Two-sided p-value of t with df degrees of freedom. */
static double t_p(double t, double df)
{
	if (isnan(t) || !(df > 0))
		return NAN;
	if (isinf(t))
		return 0.0;
	return 2.0 * gsl_cdf_tdist_Q(fabs(t), df);
}

void stats_summarize(const double *x, size_t n, double level, struct stats_summary *s)
{
	double *y;
	size_t m = finite_copy(x, n, &y);

	s->n = m;
	s->mean = s->sd = s->ci_half = s->ci_lo = s->ci_hi = s->min = s->max = NAN;
	if (m >= 1) {
		s->mean = gsl_stats_mean(y, 1, m);
		gsl_stats_minmax(&s->min, &s->max, y, 1, m);
	}
	if (m >= 2) {
		s->sd = sqrt(gsl_stats_variance_m(y, 1, m, s->mean));
		s->ci_half = t_crit(level, (double)(m - 1)) * s->sd / sqrt((double)m);
		s->ci_lo = s->mean - s->ci_half;
		s->ci_hi = s->mean + s->ci_half;
	}
	free(y);
}

static void ttest_nan(struct stats_ttest *r)
{
	r->diff = r->se = r->t = r->df = r->p = r->ci_lo = r->ci_hi = NAN;
}

/* t, p and the CI from diff, se and df; the zero-variance convention. */
static void ttest_finish(struct stats_ttest *r, double level)
{
	if (r->se > 0) {
		double tc = t_crit(level, r->df);
		r->t = r->diff / r->se;
		r->p = t_p(r->t, r->df);
		r->ci_lo = r->diff - tc * r->se;
		r->ci_hi = r->diff + tc * r->se;
	} else if (r->se == 0) {
		r->t = r->diff == 0 ? 0.0 : copysign(INFINITY, r->diff);
		r->p = r->diff == 0 ? 1.0 : 0.0;
		r->ci_lo = r->ci_hi = r->diff;
	}
}

void stats_welch(const double *a, size_t na, const double *b, size_t nb, double level,
		 struct stats_ttest *r)
{
	double *x, *y;
	size_t m = finite_copy(a, na, &x), k = finite_copy(b, nb, &y);

	ttest_nan(r);
	r->na = m;
	r->nb = k;
	if (m >= 2 && k >= 2) {
		double ma = gsl_stats_mean(x, 1, m), mb = gsl_stats_mean(y, 1, k);
		double qa = gsl_stats_variance_m(x, 1, m, ma) / (double)m;
		double qb = gsl_stats_variance_m(y, 1, k, mb) / (double)k;

		r->diff = mb - ma;
		r->se = sqrt(qa + qb);
		/* Welch-Satterthwaite; 0/0 when both variances are 0: report
		 * the pooled df then, for information only */
		if (qa + qb > 0)
			r->df = (qa + qb) * (qa + qb) /
				(qa * qa / (double)(m - 1) + qb * qb / (double)(k - 1));
		else
			r->df = (double)(m + k - 2);
		ttest_finish(r, level);
	}
	free(x);
	free(y);
}

void stats_paired(const double *a, const double *b, size_t n, double level, struct stats_ttest *r)
{
	double *d = n ? xmalloc(n * sizeof(*d)) : NULL;
	size_t m = 0;

	ttest_nan(r);
	for (size_t i = 0; d && i < n; i++)
		if (isfinite(a[i]) && isfinite(b[i]))
			d[m++] = b[i] - a[i];
	r->na = r->nb = m;
	if (m >= 2) {
		double md = gsl_stats_mean(d, 1, m);

		r->diff = md;
		r->se = sqrt(gsl_stats_variance_m(d, 1, m, md) / (double)m);
		r->df = (double)(m - 1);
		ttest_finish(r, level);
	}
	free(d);
}

double stats_cohen_d(const double *a, size_t na, const double *b, size_t nb)
{
	double *x, *y, d = NAN;
	size_t m = finite_copy(a, na, &x), k = finite_copy(b, nb, &y);

	if (m >= 2 && k >= 2) {
		double ma = gsl_stats_mean(x, 1, m), mb = gsl_stats_mean(y, 1, k);
		double ss = (double)(m - 1) * gsl_stats_variance_m(x, 1, m, ma) +
			    (double)(k - 1) * gsl_stats_variance_m(y, 1, k, mb);
		double sp = sqrt(ss / (double)(m + k - 2));

		if (sp > 0)
			d = (mb - ma) / sp;
		else if (mb == ma)
			d = 0.0;
	}
	free(x);
	free(y);
	return d;
}

double stats_hedges_g(const double *a, size_t na, const double *b, size_t nb)
{
	double d = stats_cohen_d(a, na, b, nb), df = 0;

	for (size_t i = 0; i < na; i++)
		df += isfinite(a[i]);
	for (size_t i = 0; i < nb; i++)
		df += isfinite(b[i]);
	df -= 2;
	/* d is finite only with >= 2 samples a side: df >= 2 */
	if (!isfinite(d) || d == 0)
		return d;
	/* J(df) = Gamma(df/2) / (sqrt(df/2) Gamma((df-1)/2)) */
	return d * exp(gsl_sf_lngamma(df / 2) - 0.5 * log(df / 2) - gsl_sf_lngamma((df - 1) / 2));
}

double stats_pct_change(double base, double x, enum stats_dir dir)
{
	double pct;

	if (!isfinite(base) || !isfinite(x))
		return NAN;
	if (base == 0)
		return x == 0 ? 0.0 : NAN;
	pct = (x - base) / fabs(base) * 100.0;
	if (dir == STATS_LOWER)
		pct = -pct;
	return pct == 0 ? 0.0 : pct; /* no "-0.0%" */
}

struct pidx {
	double p;
	size_t i;
};

static int pidx_cmp(const void *x, const void *y)
{
	const struct pidx *a = x, *b = y;

	if (a->p != b->p)
		return a->p < b->p ? -1 : 1;
	return a->i < b->i ? -1 : a->i > b->i;
}

void stats_holm(const double *p, size_t n, double *adj)
{
	struct pidx *v = n ? xmalloc(n * sizeof(*v)) : NULL;
	size_t m = 0;
	double run = 0;

	if (!v) {
		for (size_t i = 0; i < n; i++)
			adj[i] = NAN;
		return;
	}
	for (size_t i = 0; i < n; i++)
		if (isfinite(p[i]))
			v[m++] = (struct pidx){ p[i], i };
	for (size_t i = 0; i < n; i++)
		if (!isfinite(p[i]))
			adj[i] = NAN;
	qsort(v, m, sizeof(*v), pidx_cmp);
	for (size_t j = 0; j < m; j++) {
		double q = (double)(m - j) * v[j].p;

		if (q > 1)
			q = 1;
		if (q > run)
			run = q;
		adj[v[j].i] = run;
	}
	free(v);
}

const char *stats_mark(double p)
{
	if (!(p < 0.05))
		return "";
	return p < 0.01 ? "**" : "*";
}
