/*
 * Public observables as sanity checks (issue 15 item 10): placement and
 * latency quantities that someone measured on a stated machine (migrations
 * per second of a benchmark, wakeup-latency percentiles, ...), each with its
 * source, printed beside the model's figure for the same run.  Not scored
 * and never a fitting target: a figure far off says which mechanism to read,
 * not which number to change.  The table is papers/validation/observables.csv
 * (header id,topology,workload,params,policy,duration,observable,published,
 * source; '#' lines are comments); `cassim observe` runs it.
 */
#ifndef CASSIM_STUDY_OBSERVE_H
#define CASSIM_STUDY_OBSERVE_H

#include <stdio.h>

#include <jansson.h>

#include "base/diag.h"
#include "base/types.h"
#include "study/jobs.h"

#define OBS_MAX_SETS 16

struct obs_row {
	int line;                 /* in the CSV, for messages */
	char *id, *topology, *workload, *params, *policy, *observable, *source;
	simtime_t duration;       /* 0: the workload's */
	double published;
	int nr_sets;              /* params as --set KEY=VALUE pairs */
	char *keys[OBS_MAX_SETS], *values[OBS_MAX_SETS];
};

/* The observables the model reports, for the CSV's observable column and
 * the documentation: "migrations_per_s", ... (NULL-terminated). */
extern const char *const obs_names[];

/* Read @path into *rows (obs_free it), *nr rows; -1 with "file:line: ..."
 * in @err (an unknown observable, a bad number or duration, a params entry
 * without '='). */
int obs_read_csv(const char *path, struct obs_row **rows, int *nr, struct diag *err);
void obs_free(struct obs_row *rows, int nr);

/* The model's figure of @observable in a run's result JSON (cassim run
 * --json: config + results): 0 and *out, or -1 if the result lacks it. */
int obs_value(const char *observable, const json_t *result, double *out);

/* The jobs of @nr rows x @seeds seeds (seed 1..@seeds), job r * seeds + s;
 * they point into @rows (keep them until jobs_free). */
struct job *obs_plan(const struct obs_row *rows, int nr, int seeds);

/* The Markdown table: per row the published figure, the model's mean over
 * the seeds (with the range when seeds > 1), their ratio and the source.
 * Returns the number of rows whose runs failed. */
int obs_report(FILE *f, const struct obs_row *rows, int nr, const struct job *jobs, int seeds);

#endif
