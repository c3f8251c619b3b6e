/*
 * A run's scalar metrics: the flat list (name, unit, direction, value) that
 * tables and tidy CSVs are made of, read from the run's result JSON
 * (report_json).  The names are the ones cassim compare uses: the
 * workload's metrics (a latency as NAME_p50, NAME_p99 and NAME_p99.9), then
 * total_wakeup_lat_p99, cpu_util_mean, migrations_xllc/xnode/xpkg, each
 * metric the policy reports, as policy_NAME, and the run's verdict code as
 * policy_verdict (results.verdict.code, its text beside it).
 */
#ifndef CASSIM_REPORT_SCALARS_H
#define CASSIM_REPORT_SCALARS_H

#include <jansson.h>
#include <stdbool.h>

#include "report/stats.h"
#include "report/tidy.h"

struct scalar {
	char name[128];
	char unit[32];
	enum stats_dir dir;
	double value;       /* NaN: missing */
	bool incomplete;    /* an elapsed-time metric whose threads did not all finish */
	char text[256];     /* policy_verdict: the verdict's text */
};

/* The scalars of @result in the order above; *out is malloc'd (free it).
 * Returns their number. */
int scalars_of(json_t *result, struct scalar **out);

/* The tidy CSV scope of the scalar @name: "bench" for the workload's own
 * metrics, "total" for the rest (the run's totals and the policy's). */
const char *scalars_scope(const char *name);

/* The @n scalars of the run @k as tidy CSV rows (stat "value"). */
void scalars_csv(FILE *f, const struct tidy_key *k, const struct scalar *s, int n);

#endif
