/*
 * cassim compare's study: the runs of several policies on the same seeds
 * (seed i is the same run for every policy: paired), each metric's
 * statistics against the first policy (mean +- 95% CI, % change, Welch's
 * and the paired t-test, Holm-corrected p, Hedges' g), and the outputs:
 * results.csv (tidy), results.json, and the figures drawn by
 * plots/compare.gp and plots/compare-counters.gp.  The verb
 * (cmd/cmd_compare.c) parses the options into a struct cmp, runs the jobs
 * and prints the tables.
 */
#ifndef CASSIM_STUDY_COMPARE_H
#define CASSIM_STUDY_COMPARE_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/diag.h"
#include "base/types.h"
#include "report/scalars.h"
#include "report/stats.h"
#include "study/jobs.h"

#define MAX_POLICIES 64
#define MAX_SETS 256
#define MAX_PLOT_METRICS 64
#define LEVEL 0.95

struct metric {
	char name[128];
	char unit[32];
	enum stats_dir dir;
	double *v;             /* [policy * nr_seeds + seed], NaN: missing */
	int *incomplete;       /* [policy]: runs whose elapsed metric did not complete */
	struct stats_summary *sum;   /* [policy] */
	struct stats_ttest *welch;   /* [policy], vs the baseline */
	struct stats_ttest *paired;  /* [policy] */
	double *pct_change, *hedges_g, *p_holm; /* [policy] */
};

struct cmp {
	const char *topology, *workload, *profile, *out;
	bool model, lenient, paired;
	int nr_pol, nr_seeds;
	const char *pol[MAX_POLICIES];     /* policy names */
	char label[MAX_POLICIES][64];      /* names made unique: cfs, cfs#2 */
	uint64_t seed_base;
	simtime_t duration;
	int nr_sets;
	const char *set_keys[MAX_SETS], *set_values[MAX_SETS];
	char keybuf[MAX_SETS][64];
	/* per policy, the --set pairs that apply to it */
	const char **pk[MAX_POLICIES], **pv[MAX_POLICIES];
	int pn[MAX_POLICIES];
	struct job *jobs;                  /* [policy * nr_seeds + seed] */
	struct scalar **sc;                /* [job]: its metrics (scalars_of) */
	int *nsc;
	int nr_metrics;
	struct metric *m;
	int failed;
	/* --metrics: the change figure's panels (else the workload's own) */
	const char *plot_metrics[MAX_PLOT_METRICS];
	int nr_plot_metrics;
};

/* Which --set pairs go to which policy (sets.h's rule): c->pk, pv, pn. */
int compare_route_sets(struct cmp *c);
/* After the runs: the metrics the runs report, their values per policy and
 * seed, and the statistics; -1 on out of memory. */
int compare_discover_metrics(struct cmp *c);
int compare_collect(struct cmp *c);
int compare_analyse(struct cmp *c);
/* Every --metrics name is one of the runs' metrics: 0, or -1 with @err. */
int compare_check_plot_metrics(const struct cmp *c, struct diag *err);
/* The test's p (paired or Welch's, Holm-corrected) of policy @p against the
 * baseline; whether every seed gave the same value on both sides (no test);
 * the significance mark ("*", "**" or ""). */
double compare_test_p(const struct cmp *c, const struct metric *m, int p);
bool compare_exact(const struct cmp *c, const struct metric *m, int p);
const char *compare_mark(const struct cmp *c, const struct metric *m, int p);
/* The first successful run's configuration JSON (borrowed), the machine
 * model's name, a JSON number as a double (NaN if not one). */
json_t *compare_first_config(const struct cmp *c);
const char *compare_model_name(const struct cmp *c);
double compare_jnum(json_t *j);
/* Policy @p's activity verdict line into @buf (verdicts.h); its kind. */
int compare_policy_verdict(const struct cmp *c, int p, char *buf, size_t len);
/* The outputs, each atomic: results.csv, the results JSON (compare_json,
 * new reference) written to @path, the output directory, and the two
 * figures (nr_panels: panels drawn in each). */
int compare_write_csv(const struct cmp *c, const char *path, struct diag *err);
json_t *compare_json(const struct cmp *c);
int compare_write_json(json_t *j, const char *path, struct diag *err);
int compare_make_dirs(const char *dir, struct diag *err);
int compare_write_plots(const struct cmp *c, const char *const scripts[2], int nr_panels[2], struct diag *err);
void compare_free(struct cmp *c);

#endif
