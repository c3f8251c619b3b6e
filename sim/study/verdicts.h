/*
 * The verdict of a cache-aware policy over several runs (compare's seeds,
 * a sweep cell's seeds): each run's counters are read from its result JSON
 * once, and cas_verdict() is applied to their means.
 */
#ifndef CASSIM_STUDY_VERDICTS_H
#define CASSIM_STUDY_VERDICTS_H

#include <jansson.h>
#include <stddef.h>

#include "policies/cas.h"

/* A run's verdict counters (cas_verdict_counters order): the policy's
 * "total" counters, results.nohz_kicks and config.policy_params'
 * present_rule; NaN where the run has none. */
void verdict_counters_of(json_t *result, double out[CAS_VERDICT_NR_COUNTERS]);

/* cas_verdict() over the means of @n runs' counters (NaNs left out). */
enum cas_verdict verdict_of_runs(const double (*runs)[CAS_VERDICT_NR_COUNTERS], int n, char *buf, size_t len);

#endif
