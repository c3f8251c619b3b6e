/* Draws from a workload distribution (struct wl_dist). */
#include <math.h>

#include <gsl/gsl_randist.h>

#include "workload/wl.h"

simtime_t wl_sample(const struct wl_dist *d, struct rng *r)
{
	double x;

	switch (d->kind) {
	case WL_DIST_UNIFORM:
		x = d->a + (d->b - d->a) * gsl_rng_uniform(r->r);
		break;
	case WL_DIST_EXPONENTIAL:
		x = d->a > 0 ? gsl_ran_exponential(r->r, d->a) : 0;
		break;
	case WL_DIST_NORMAL:
		x = d->a + (d->b > 0 ? gsl_ran_gaussian(r->r, d->b) : 0);
		break;
	case WL_DIST_LOGNORMAL:
		if (d->a <= 0) {
			x = 0;
		} else if (d->b <= 0) {
			x = d->a;
		} else {
			/* mean m, stddev s of the result: sigma^2 = ln(1 + s^2/m^2),
			 * mu = ln(m) - sigma^2/2 */
			double s2 = log1p((d->b * d->b) / (d->a * d->a));
			x = gsl_ran_lognormal(r->r, log(d->a) - s2 / 2, sqrt(s2));
		}
		break;
	case WL_DIST_FIXED:
	default:
		x = d->a;
		break;
	}
	if (!(x > 0))
		return 0;
	if (x > 9.2e18)
		return (simtime_t)9.2e18;
	return (simtime_t)llround(x);
}
