/* The verdict of a cache-aware policy over several runs; see verdicts.h. */
#include "study/verdicts.h"

#include <math.h>
#include <string.h>

void verdict_counters_of(json_t *result, double out[CAS_VERDICT_NR_COUNTERS])
{
	json_t *res = json_object_get(result, "results");
	json_t *total = json_object_get(json_object_get(res, "policy"), "total");
	json_t *params = json_object_get(json_object_get(result, "config"), "policy_params");

	for (int k = 0; k < CAS_VERDICT_NR_COUNTERS; k++) {
		const char *name = cas_verdict_counters[k];
		json_t *v = !strcmp(name, "nohz_kicks")     ? json_object_get(res, name)
			    : !strcmp(name, "present_rule") ? json_object_get(params, name)
							    : json_object_get(total, name);

		out[k] = json_is_number(v) ? json_number_value(v) : NAN;
	}
}

struct means {
	double m[CAS_VERDICT_NR_COUNTERS];
};

static double mean_counter(void *ctx, const char *name)
{
	const struct means *x = ctx;

	for (int k = 0; k < CAS_VERDICT_NR_COUNTERS; k++)
		if (!strcmp(cas_verdict_counters[k], name))
			return x->m[k];
	return NAN;
}

enum cas_verdict verdict_of_runs(const double (*runs)[CAS_VERDICT_NR_COUNTERS], int n, char *buf, size_t len)
{
	struct means x;

	for (int k = 0; k < CAS_VERDICT_NR_COUNTERS; k++) {
		double sum = 0;
		int nv = 0;

		for (int i = 0; i < n; i++)
			if (!isnan(runs[i][k])) {
				sum += runs[i][k];
				nv++;
			}
		x.m[k] = nv ? sum / nv : NAN;
	}
	return cas_verdict(mean_counter, &x, buf, len);
}
