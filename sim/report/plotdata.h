/*
 * Reductions of results tables for cassim plot: a metric against one or two
 * of the table's axes, mean and 95% CI over the seeds, and the change of one
 * policy against another with Welch's t-test (out/stats.h).
 *
 * A results table is a tidy CSV of runs (report/tidy.h: cassim sweep's or
 * compare's results.csv, cassim run --csv, or several of them concatenated):
 * one row per run and metric.  Its parameters field becomes a column per
 * KEY; a row whose field lacks the key has an empty cell there: the axis
 * does not apply to that run (a policy's tunable for another policy), and
 * the row counts for every value of the axis, in --where filters and on plot
 * axes alike.  An empty value is a missing measurement (NaN).
 */
#ifndef CASSIM_REPORT_PLOTDATA_H
#define CASSIM_REPORT_PLOTDATA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "base/diag.h"
#include "report/stats.h"

#define PD_LEVEL 0.95

/* One string column; its distinct values in order of first appearance. */
struct pd_col {
	char *name;
	int nvals, cap;
	char **vals;
	int last;          /* the value found last: rows come grouped */
};

struct pd_table {
	char *file;
	int ncols;         /* string columns: topology, workload, policy, seed,
			      scope, process, metric, stat, unit, then the parameters */
	struct pd_col *cols;
	int c_policy, c_seed, c_metric, c_stat, c_unit;
	int first_param, nparams;   /* the parameter columns: the last ones */
	size_t nrows, cap;
	int *cell;         /* [row * ncols + col]: index into cols[col].vals */
	struct pd_col raw_params;   /* while loading: the parameters fields */
	int *raw;          /* [row]: index into raw_params.vals */
	double *value;     /* [row], NaN: empty */
	int *line;         /* [row]: line in the file */
};

/* Load a results table; -1 with @err ("file:line: ...") on bad input. */
int pd_load(struct pd_table *t, const char *path, struct diag *err);
int pd_load_file(struct pd_table *t, FILE *f, const char *name, struct diag *err);
void pd_free(struct pd_table *t);

int pd_col_find(const struct pd_table *t, const char *name);
int pd_val_find(const struct pd_col *c, const char *v);
/* "a, b, c" (the column's values, or the table's column names) into @buf. */
void pd_col_values(const struct pd_col *c, char *buf, size_t len);

/* Which way @metric is better, from its name and unit, by the rules that
 * give compare's directions (cmd_compare.c discover_metrics, and wl.c for a
 * workload's metrics: elapsed and latency lower, rate and total higher):
 * migrations_* and time units (ns, us, ms, s) lower; rates (unit x/s) and
 * other counted units higher; policy_*, cpu_util_mean and no unit neutral. */
enum stats_dir pd_metric_dir(const char *metric, const char *unit);

struct pd_where {
	int col, val;
};

/* What to reduce: rows of @metric matching every @where; @x (and @y for a
 * heatmap) are axis columns; every other column except job, seed and
 * policy must then hold one value (empty cells aside). */
struct pd_query {
	int metric;        /* value index in the metric column */
	int x, y;          /* columns; y = -1 for lines */
	const struct pd_where *where;
	int nwhere;
	int policy, baseline;  /* heatmap: value indexes in the policy column */
	enum stats_dir dir;
};

/* An axis: the values of its column among the selected rows; numeric
 * (sorted by value) when every one is a number, else in file order. */
struct pd_axis {
	int col, n;
	int *val;          /* [i]: value index in the column */
	double *pos;       /* [i]: the number, or i */
	bool numeric;
};

struct pd_point {
	struct stats_summary s;   /* over the seeds */
};

struct pd_lines {
	struct pd_axis x;
	int nseries;
	int *policy;              /* [series]: value index in the policy column */
	struct pd_point *pt;      /* [series * x.n + i] */
};

struct pd_cell {
	struct stats_summary p, b;  /* policy and baseline over the seeds */
	double pct;                 /* change of p against b, + = better */
	double p_welch;             /* Welch's t-test, two-sided */
};

struct pd_heatmap {
	struct pd_axis x, y;
	struct pd_cell *cell;       /* [yi * x.n + xi] */
};

/*
 * Check the query against the table and reduce.  Bad queries (an axis that
 * is the policy, seed, metric ... column; other columns that vary, listed
 * with their values; a run with two different values) fail with @err.
 */
int pd_lines(const struct pd_table *t, const struct pd_query *q, struct pd_lines *out, struct diag *err);
void pd_lines_free(struct pd_lines *l);
int pd_heatmap(const struct pd_table *t, const struct pd_query *q, struct pd_heatmap *out, struct diag *err);
void pd_heatmap_free(struct pd_heatmap *h);

#endif
