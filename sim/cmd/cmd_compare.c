/*
 * cassim compare: run several policies on the same seeds (seed i is the
 * same run for every policy, so the comparison is paired), in parallel
 * worker processes, and compare each metric against the first policy with
 * statistics: mean +- 95% CI, % change (+ = better), Welch's (or the paired)
 * t-test, significance marks.  Writes DIR/results.csv (tidy: one row per
 * policy x seed x metric), DIR/results.json (configuration, statistics and
 * raw values) and, with --plot, DIR/compare.png and DIR/compare.svg drawn
 * by plots/compare.gp and plots/compare-counters.gp.  Every file is written atomically, and only after
 * every run finished: bad input (exit 2) and interruptions write nothing.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#include "base/param.h"
#include "base/suggest.h"
#include "cmd/cmd.h"
#include "study/sets.h"
#include "study/jobs.h"
#include "study/verdicts.h"
#include "report/file.h"
#include "report/gnuplot.h"
#include "report/report.h"
#include "report/scalars.h"
#include "report/stats.h"
#include "policies/cas.h"
#include "policies/policy.h"
#include "sched/params.h"
#include "base/xalloc.h"

#ifndef PACKAGE_VERSION
#define PACKAGE_VERSION "unknown"
#endif

#define DEFAULT_TOPOLOGY STUDY_DEFAULT_TOPOLOGY
#define DEFAULT_WORKLOAD STUDY_DEFAULT_WORKLOAD
#define DEFAULT_SEEDS 10
#define DEFAULT_OUT "compare-out"
#define MAX_SEEDS 10000
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

static void compare_usage(FILE *f)
{
	fputs("usage: cassim compare --policies A,B[,C...] [--topology SPEC] [--workload FILE]\n"
	      "                      [--seeds N] [--seed-base N] [--set KEY=VALUE]...\n"
	      "                      [--duration TIME] [--jobs N] [--out DIR] [--plot] [--json]\n"
	      "                      [--test welch|paired] [--profile NAME] [--no-model]\n"
	      "                      [--lenient] [--quiet]\n"
	      "\n"
	      "Run every policy with the same seeds and compare each metric with the first\n"
	      "policy (the baseline): one table, metrics as rows and policies as columns,\n"
	      "mean +- 95% confidence interval, change in % (+ is better) and * (p < 0.05)\n"
	      "or ** (p < 0.01) from a two-sided t-test; then what each cache-aware policy\n"
	      "did (its verdict: not present, gated, not aggregated and why, aggregated).\n"
	      "\n"
	      "  -p, --policies LIST   comma-separated policies, the first is the baseline\n"
	      "  -t, --topology SPEC   as cassim run (default " DEFAULT_TOPOLOGY ")\n"
	      "  -w, --workload FILE   as cassim run (default " DEFAULT_WORKLOAD ")\n"
	      "  -n, --seeds N         runs per policy, seeds seed-base .. seed-base+N-1 (default 10)\n"
	      "      --seed-base N     first seed (default 1: --seeds 1 is cassim run's default run)\n"
	      "  -s, --set KEY=VALUE   as cassim run, for every policy; a tunable that only some\n"
	      "                        of the listed policies have applies to those only\n"
	      "  -d, --duration TIME   simulated time of each run (default: the workload's)\n"
	      "  -j, --jobs N          runs in parallel (default: the online CPUs)\n"
	      "  -o, --out DIR         where results.csv, results.json and the plots go\n"
	      "                        (default ./" DEFAULT_OUT "; created; files replaced atomically)\n"
	      "      --plot            also draw DIR/compare.png and .svg (needs gnuplot): each\n"
	      "                        headline metric's change against the baseline with its\n"
	      "                        95% CI around 0; DIR/compare-counters.png and .svg: the\n"
	      "                        policies' counters\n"
	      "  -m, --metrics A,B     the change figure's metrics (default: the workload's own)\n"
	      "      --json            print results.json on stdout instead of the table\n"
	      "      --test welch|paired  the test behind p and the marks (default welch:\n"
	      "                        Welch's unequal-variance t-test; paired: t-test on the\n"
	      "                        per-seed differences); results.json has both\n"
	      "      --profile NAME    machine profile, as cassim run\n"
	      "      --no-model        machine model off, as cassim run\n"
	      "      --lenient         rt-app files: skip unsupported events\n"
	      "  -q, --quiet           no progress line and no warnings\n"
	      "  -v, --verbose         after the table, one block per metric, the policies'\n"
	      "                        counters (policy_NAME) included\n"
	      "\n"
	      "Metrics: the workload's own (latencies as p50, p99 and p99.9), then\n"
	      "total_wakeup_lat_p99, cpu_util_mean, migrations_xllc/xnode/xpkg and every\n"
	      "metric a policy reports (policy_NAME).  Exit status 0, 1 if a run failed\n"
	      "(the files then hold the other runs) or an output cannot be written (--out\n"
	      "is checked before any run), 2 for bad input (nothing is run).\n", f);
}

/* ---- small helpers -------------------------------------------------------- */

static int parse_uint(const char *s, unsigned long long max, unsigned long long *out)
{
	char *end;
	unsigned long long v;

	errno = 0;
	v = strtoull(s, &end, 10);
	if (!isdigit((unsigned char)s[0]) || *end || errno || v > max)
		return -1;
	*out = v;
	return 0;
}

static double jnum(json_t *j)
{
	return json_is_number(j) ? json_number_value(j) : NAN;
}

static json_t *jreal(double d)
{
	return isfinite(d) ? json_real(d) : json_null();
}

static const char *dir_name(enum stats_dir d)
{
	return d == STATS_HIGHER ? "higher" : d == STATS_LOWER ? "lower" : "none";
}

static void fmt_num(char *buf, size_t len, const char *fmt, double v)
{
	if (isfinite(v))
		snprintf(buf, len, fmt, v);
	else
		snprintf(buf, len, "n/a");
}

/* The mean and its CI half-width the usual way: the half-width to two
 * significant digits, the mean to the same decimal place (%.6g when the
 * half-width is 0, or out of the plain range). */
static void fmt_mean_ci(char *mean, char *ci, size_t len, double m, double h)
{
	fmt_num(mean, len, "%.6g", m);
	fmt_num(ci, len, "%.2g", h);
	if (isfinite(m) && isfinite(h) && h >= 1e-4 && h < 1e6 && fabs(m) < 1e9) {
		int dec = 1 - (int)floor(log10(h));

		if (dec < 0)
			dec = 0;
		/* the half-width rounded to 2 digits may gain one (9.96 -> 10) */
		snprintf(ci, len, "%.*f", dec, h);
		snprintf(mean, len, "%.*f", dec, m);
	}
}

static void fmt_duration(char *buf, size_t len, double ns)
{
	if (!isfinite(ns) || ns <= 0)
		snprintf(buf, len, "?");
	else if (fmod(ns, 1e9) == 0)
		snprintf(buf, len, "%.0f s", ns / 1e9);
	else if (fmod(ns, 1e6) == 0)
		snprintf(buf, len, "%.0f ms", ns / 1e6);
	else if (fmod(ns, 1e3) == 0)
		snprintf(buf, len, "%.0f us", ns / 1e3);
	else
		snprintf(buf, len, "%.0f ns", ns);
}

/* ---- the metrics ------------------------------------------------------------ */

static int metric_add(struct cmp *c, const struct scalar *sc)
{
	struct metric *m;

	for (int i = 0; i < c->nr_metrics; i++)
		if (!strcmp(c->m[i].name, sc->name))
			return 0;
	m = xrealloc(c->m, (size_t)(c->nr_metrics + 1) * sizeof(*m));
	c->m = m;
	m = &c->m[c->nr_metrics++];
	memset(m, 0, sizeof(*m));
	snprintf(m->name, sizeof(m->name), "%s", sc->name);
	snprintf(m->unit, sizeof(m->unit), "%s", sc->unit);
	m->dir = sc->dir;
	return 0;
}

/* The metric list, from the runs' results in job order (deterministic):
 * the workload's metrics, the generic ones, then the policies' own. */
static int discover_metrics(struct cmp *c)
{
	int nr = c->nr_pol * c->nr_seeds;

	c->sc = xcalloc((size_t)nr, sizeof(*c->sc));
	c->nsc = xcalloc((size_t)nr, sizeof(*c->nsc));
	for (int j = 0; j < nr; j++) {
		if (c->jobs[j].status || !c->jobs[j].result)
			continue;
		c->nsc[j] = scalars_of(c->jobs[j].result, &c->sc[j]);
		for (int k = 0; k < c->nsc[j]; k++)
			if (metric_add(c, &c->sc[j][k]))
				return -1;
	}
	return 0;
}

static int collect(struct cmp *c)
{
	int P = c->nr_pol, S = c->nr_seeds;

	for (int i = 0; i < c->nr_metrics; i++) {
		struct metric *m = &c->m[i];

		m->v = xcalloc((size_t)(P * S), sizeof(*m->v));
		m->incomplete = xcalloc((size_t)P, sizeof(*m->incomplete));
		m->sum = xcalloc((size_t)P, sizeof(*m->sum));
		m->welch = xcalloc((size_t)P, sizeof(*m->welch));
		m->paired = xcalloc((size_t)P, sizeof(*m->paired));
		m->pct_change = xcalloc((size_t)P, sizeof(double));
		m->hedges_g = xcalloc((size_t)P, sizeof(double));
		m->p_holm = xcalloc((size_t)P, sizeof(double));
		for (int p = 0; p < P; p++)
			for (int s = 0; s < S; s++) {
				int j = p * S + s;

				m->v[j] = NAN;
				for (int k = 0; k < c->nsc[j]; k++)
					if (!strcmp(c->sc[j][k].name, m->name)) {
						m->v[j] = c->sc[j][k].value;
						m->incomplete[p] += c->sc[j][k].incomplete;
						break; /* the first of two same names wins */
					}
			}
	}
	return 0;
}

static double test_p(const struct cmp *c, const struct metric *m, int p)
{
	return c->paired ? m->paired[p].p : m->welch[p].p;
}

/* The chosen test's standard error is 0 and the means differ: every seed
 * gave the same value (Welch; the same difference, paired), so the
 * difference is exact and a p-value says nothing about noise.  A
 * simulation can be deterministic in a metric; a "**" on a +0.02% change
 * would mislead, so such a change is reported as exact, without a mark. */
static bool exact(const struct cmp *c, const struct metric *m, int p)
{
	const struct stats_ttest *t = c->paired ? &m->paired[p] : &m->welch[p];

	return t->se == 0 && t->diff != 0;
}

static const char *mark(const struct cmp *c, const struct metric *m, int p)
{
	return exact(c, m, p) ? "" : stats_mark(test_p(c, m, p));
}

static int analyse(struct cmp *c)
{
	int P = c->nr_pol, S = c->nr_seeds, nf = c->nr_metrics * (P - 1);
	double *fam = xmalloc((size_t)(nf > 0 ? nf : 1) * sizeof(double));

	for (int i = 0; i < c->nr_metrics; i++) {
		struct metric *m = &c->m[i];
		const double *base = m->v;

		for (int p = 0; p < P; p++) {
			const double *x = m->v + p * S;

			stats_summarize(x, (size_t)S, LEVEL, &m->sum[p]);
			m->p_holm[p] = NAN;
			if (!p) {
				memset(&m->welch[p], 0, sizeof(m->welch[p]));
				memset(&m->paired[p], 0, sizeof(m->paired[p]));
				m->pct_change[p] = m->hedges_g[p] = NAN;
				continue;
			}
			stats_welch(base, (size_t)S, x, (size_t)S, LEVEL, &m->welch[p]);
			stats_paired(base, x, (size_t)S, LEVEL, &m->paired[p]);
			m->pct_change[p] = stats_pct_change(m->sum[0].mean, m->sum[p].mean, m->dir);
			m->hedges_g[p] = stats_hedges_g(base, (size_t)S, x, (size_t)S);
			/* an exact difference is no test: out of the family */
			fam[i * (P - 1) + p - 1] = exact(c, m, p) ? NAN : test_p(c, m, p);
		}
	}
	stats_holm(fam, (size_t)nf, fam);
	for (int i = 0; i < c->nr_metrics; i++)
		for (int p = 1; p < P; p++)
			c->m[i].p_holm[p] = fam[i * (P - 1) + p - 1];
	free(fam);
	return 0;
}


/* ---- the table --------------------------------------------------------------- */

static json_t *first_config(const struct cmp *c)
{
	for (int j = 0; j < c->nr_pol * c->nr_seeds; j++)
		if (!c->jobs[j].status && c->jobs[j].result)
			return json_object_get(c->jobs[j].result, "config");
	return NULL;
}

static const char *model_name(const struct cmp *c)
{
	json_t *cfg = first_config(c);
	const char *p = json_string_value(json_object_get(json_object_get(cfg, "model"), "profile"));

	return c->model ? (p ? p : "on") : "off";
}

static int label_width(const struct cmp *c)
{
	int w = 8;

	for (int p = 0; p < c->nr_pol; p++)
		if ((int)strlen(c->label[p]) > w)
			w = (int)strlen(c->label[p]);
	return w;
}

/* The legend of the numbers. */
static void print_legend(FILE *f, const struct cmp *c)
{
	int P = c->nr_pol;

	fprintf(f, "\nmean +- 95%% CI half-width (t distribution) per policy; change: difference\n"
		   "of the means in %% of the %s mean, signed so that + is better (negated\n"
		   "where lower is better; as measured for metrics without a direction);\n"
		   "p: %s against %s, two-sided;\n"
		   "* p < 0.05, ** p < 0.01 (uncorrected: results.json has Holm-adjusted p).\n",
		c->label[0], c->paired ? "paired t-test on the per-seed differences" : "Welch's t-test",
		c->label[0]);
	for (int i = 0, done = 0; i < c->nr_metrics && !done; i++)
		for (int p = 1; p < P && !done; p++)
			if (exact(c, &c->m[i], p)) {
				fprintf(f, "exact: %s (the seeds do not move\n"
					   "this metric): the difference is not noise, no test applies.\n",
					c->paired ? "every seed gave the same difference" : "every seed gave the same value");
				done = 1;
			}

}

/* One block per metric (every metric, the policies' counters too), one row
 * per policy. */
static void print_blocks(FILE *f, const struct cmp *c)
{
	int P = c->nr_pol, S = c->nr_seeds, w = label_width(c);

	for (int i = 0; i < c->nr_metrics; i++) {
		const struct metric *m = &c->m[i];
		int inc = 0;

		fprintf(f, "\n%s (", m->name);
		if (m->unit[0])
			fprintf(f, "%s, ", m->unit);
		fprintf(f, "%s)\n", m->dir == STATS_HIGHER ? "higher is better"
				    : m->dir == STATS_LOWER ? "lower is better" : "no direction");
		for (int p = 0; p < P; p++) {
			const struct stats_summary *s = &m->sum[p];
			char mean[32], ci[32], chg[32], pv[32];

			inc += m->incomplete[p];
			fmt_mean_ci(mean, ci, sizeof(mean), s->mean, s->ci_half);
			if (!s->n) {
				fprintf(f, "  %-*s %12s (no value in any run)\n", w, c->label[p], mean);
				continue;
			}
			fprintf(f, "  %-*s %12s +- %*s", w, c->label[p], mean, p ? -9 : 0, ci);
			if (p) {
				double pp = test_p(c, m, p);
				fmt_num(chg, sizeof(chg), "%+.2f%%", m->pct_change[p]);
				fmt_num(pv, sizeof(pv), "%.2g", pp);
				/* marks aligned, no trailing blanks */
				if (exact(c, m, p))
					fprintf(f, " %9s  exact (no variance across seeds)", chg);
				else
					fprintf(f, " %9s  p=%-*s%s", chg, *mark(c, m, p) ? 8 : 0, pv, mark(c, m, p));
			}
			if (s->n != (size_t)S)
				fprintf(f, " (n=%zu)", s->n);
			fputc('\n', f);
		}
		if (inc)
			fprintf(f, "  note: incomplete in %d of %d runs (not every thread finished: raise --duration)\n",
				inc, P * S);
	}
}

/* The policies' own counters (policy_NAME) are in the blocks only. */
static bool headline_metric(const struct metric *m)
{
	return strncmp(m->name, "policy_", 7) != 0;
}

/* One table: the headline metrics as rows, the policies as columns, each
 * with mean +- CI and, against the baseline, the change and its mark
 * (mmtests style). */
static void print_headline(FILE *f, const struct cmp *c)
{
	int P = c->nr_pol, wname = (int)strlen("metric"), wcol[MAX_POLICIES];
	char cell[MAX_POLICIES][96], name[192];

	for (int pass = 0; pass < 2; pass++) {
		if (pass) {
			fprintf(f, "\n%-*s", wname, "metric");
			for (int p = 0; p < P; p++)
				fprintf(f, "  %-*s", p == P - 1 ? 0 : wcol[p], c->label[p]);
			fputc('\n', f);
		} else {
			for (int p = 0; p < P; p++)
				wcol[p] = (int)strlen(c->label[p]);
		}
		for (int i = 0; i < c->nr_metrics; i++) {
			const struct metric *m = &c->m[i];

			if (!headline_metric(m))
				continue;
			snprintf(name, sizeof(name), "%s (%s%s%s)", m->name, m->unit, m->unit[0] ? ", " : "",
				 m->dir == STATS_HIGHER ? "higher" : m->dir == STATS_LOWER ? "lower" : "-");
			for (int p = 0; p < P; p++) {
				const struct stats_summary *sm = &m->sum[p];
				char mean[32], ci[32], chg[32];
				int n;

				fmt_mean_ci(mean, ci, sizeof(mean), sm->mean, sm->ci_half);
				if (!sm->n)
					n = snprintf(cell[p], sizeof(cell[p]), "n/a");
				else
					n = snprintf(cell[p], sizeof(cell[p]), "%s +-%s", mean, ci);
				if (p && sm->n) {
					fmt_num(chg, sizeof(chg), "%+.2f%%", m->pct_change[p]);
					snprintf(cell[p] + n, sizeof(cell[p]) - (size_t)n, " %s%s%s", chg,
						 *mark(c, m, p) ? " " : "", mark(c, m, p));
				}
				if ((int)strlen(cell[p]) > wcol[p])
					wcol[p] = (int)strlen(cell[p]);
			}
			if (!pass) {
				if ((int)strlen(name) > wname)
					wname = (int)strlen(name);
				continue;
			}
			fprintf(f, "%-*s", wname, name);
			for (int p = 0; p < P; p++)
				fprintf(f, "  %-*s", p == P - 1 ? 0 : wcol[p], cell[p]);
			fputc('\n', f);
		}
	}
}

/* What each cache-aware policy did, from the mean of its seeds' counters. */
static int policy_verdict(const struct cmp *c, int p, char *buf, size_t len)
{
	double (*runs)[CAS_VERDICT_NR_COUNTERS] = xcalloc((size_t)c->nr_seeds, sizeof(*runs));
	int n = 0, k;

	for (int s = 0; s < c->nr_seeds; s++) {
		const struct job *j = &c->jobs[p * c->nr_seeds + s];

		if (!j->status && j->result)
			verdict_counters_of(j->result, runs[n++]);
	}
	k = verdict_of_runs(runs, n, buf, len);
	free(runs);
	return k;
}

static void print_verdicts(FILE *f, const struct cmp *c)
{
	int w = label_width(c), any = 0;
	char buf[256];

	for (int p = 0; p < c->nr_pol; p++) {
		if (policy_verdict(c, p, buf, sizeof(buf)) == CAS_VERDICT_NONE)
			continue;
		if (!any++)
			fprintf(f, "\nwhat each cache-aware policy did (mean over its seeds):\n");
		fprintf(f, "  %-*s %s\n", w, c->label[p], buf);
	}
}

static void print_table(FILE *f, const struct cmp *c, bool verbose)
{
	int P = c->nr_pol, S = c->nr_seeds, w = 8;
	char dur[32];
	json_t *cfg = first_config(c);

	for (int p = 0; p < P; p++)
		if ((int)strlen(c->label[p]) > w)
			w = (int)strlen(c->label[p]);
	double cap = c->duration ? (double)c->duration : jnum(json_object_get(cfg, "duration_ns"));
	double longest = 0;

	/* a workload that does a fixed amount of work ends before its cap:
	 * say how long the runs really were */
	for (int j = 0; j < P * S; j++)
		if (!c->jobs[j].status && c->jobs[j].result)
			longest = MAX(longest, jnum(json_object_get(json_object_get(c->jobs[j].result,
										   "results"), "duration_ns")));
	fmt_duration(dur, sizeof(dur), cap);
	fprintf(f, "cassim compare: %s on %s, model %s, ", c->workload, c->topology, model_name(c));
	if (longest > 0 && longest < cap) {
		char run[32];

		fmt_duration(run, sizeof(run), longest);
		fprintf(f, "runs ended by the workload within %s simulated (cap %s)\n", run, dur);
	} else {
		fprintf(f, "%s simulated\n", dur);
	}
	fprintf(f, "%d seeds (%" PRIu64 "..%" PRIu64 ") per policy, the same for each; %d runs\n", S,
		c->seed_base, c->seed_base + (uint64_t)S - 1, P * S);
	for (int i = 0; i < c->nr_sets; i++) {
		int users = 0;
		for (int p = 0; p < P; p++)
			for (int k = 0; k < c->pn[p]; k++)
				users += c->pk[p][k] == c->set_keys[i];
		fprintf(f, "%s%s=%s", i ? ", " : "set ", c->set_keys[i], c->set_values[i]);
		if (users < P) {
			const char *sep = " (";
			for (int p = 0; p < P; p++)
				for (int k = 0; k < c->pn[p]; k++)
					if (c->pk[p][k] == c->set_keys[i]) {
						fprintf(f, "%s%s", sep, c->label[p]);
						sep = ", ";
					}
			fputs(" only)", f);
		}
	}
	if (c->nr_sets)
		fputc('\n', f);
	print_headline(f, c);
	print_verdicts(f, c);
	print_legend(f, c);
	if (verbose)
		print_blocks(f, c);
	else
		fprintf(f, "(--verbose: every metric, incl. the policies' counters, with its own block)\n");
}

/* ---- files --------------------------------------------------------------------- */


static int write_csv(const struct cmp *c, const char *path, struct diag *err)
{
	struct afile a;
	int S = c->nr_seeds;

	if (afile_open(&a, path, err))
		return -1;
	fputs("policy,seed,metric,unit,value\n", a.f);
	for (int p = 0; p < c->nr_pol; p++)
		for (int s = 0; s < S; s++)
			for (int i = 0; i < c->nr_metrics; i++) {
				double v = c->m[i].v[p * S + s];

				report_csv_field(a.f, c->label[p]);
				fprintf(a.f, ",%" PRIu64 ",", c->seed_base + (uint64_t)s);
				report_csv_field(a.f, c->m[i].name);
				fputc(',', a.f);
				report_csv_field(a.f, c->m[i].unit);
				if (isfinite(v))
					fprintf(a.f, ",%.17g\n", v);
				else
					fputs(",\n", a.f);
			}
	return afile_commit(&a, err);
}

static json_t *json_ttest(const struct stats_ttest *t)
{
	return json_pack("{s:o, s:o, s:o, s:o, s:[oo]}", "diff", jreal(t->diff), "t", jreal(t->t), "df",
			 jreal(t->df), "p", jreal(t->p), "ci95", jreal(t->ci_lo), jreal(t->ci_hi));
}

/* The metrics every run has, whatever the workload (scalars_of). */
static bool generic_metric(const char *name)
{
	static const char *const g[] = { "total_wakeup_lat_p99", "cpu_util_mean", "migrations_xllc",
					 "migrations_xnode", "migrations_xpkg" };

	for (size_t k = 0; k < sizeof(g) / sizeof(g[0]); k++)
		if (!strcmp(name, g[k]))
			return true;
	return !strncmp(name, "policy_", 7);
}

/* A panel is drawn only when some policy has a value other than 0. */
static bool has_value(const struct cmp *c, const struct metric *m)
{
	for (int p = 0; p < c->nr_pol; p++)
		if (isfinite(m->sum[p].mean) && m->sum[p].mean != 0)
			return true;
	return false;
}

/* The metrics of the change figure: --metrics, else the workload's own
 * (every headline metric if it has none); only those with a value. */
static bool in_change_figure(const struct cmp *c, const struct metric *m)
{
	if (c->nr_plot_metrics) {
		for (int k = 0; k < c->nr_plot_metrics; k++)
			if (!strcmp(c->plot_metrics[k], m->name))
				return has_value(c, m);
		return false;
	}
	if (!strncmp(m->name, "policy_", 7))
		return false;
	for (int i = 0; i < c->nr_metrics; i++)
		if (!generic_metric(c->m[i].name))
			return !generic_metric(m->name) && has_value(c, m);
	return has_value(c, m);
}

/* The counters figure: what the policies report (not the verdict code,
 * which the table says in words). */
static bool in_counter_figure(const struct cmp *c, const struct metric *m)
{
	return !strncmp(m->name, "policy_", 7) && strcmp(m->name, "policy_verdict") && has_value(c, m);
}

static json_t *build_json(const struct cmp *c)
{
	int P = c->nr_pol, S = c->nr_seeds;
	json_t *root = json_object(), *cfg = json_object(), *pols = json_array(), *seeds = json_array();
	json_t *sets = json_object(), *runs = json_object(), *metrics = json_array(), *failed = json_array();
	json_t *verdicts = json_object(), *fig_change = json_array(), *fig_counters = json_array();

	json_object_set_new(root, "cassim_version", json_string(PACKAGE_VERSION));
	json_object_set_new(cfg, "topology", json_string(c->topology));
	json_object_set_new(cfg, "workload", json_string(c->workload));
	for (int p = 0; p < P; p++)
		json_array_append_new(pols, json_string(c->pol[p]));
	json_object_set_new(cfg, "policies", pols);
	json_object_set_new(cfg, "baseline", json_string(c->label[0]));
	for (int s = 0; s < S; s++)
		json_array_append_new(seeds, json_integer((json_int_t)(c->seed_base + (uint64_t)s)));
	json_object_set_new(cfg, "seeds", seeds);
	json_object_set_new(cfg, "duration_ns", c->duration ? json_integer(c->duration) : json_null());
	for (int i = 0; i < c->nr_sets; i++)
		json_object_set_new(sets, c->set_keys[i], json_string(c->set_values[i]));
	json_object_set_new(cfg, "set", sets);
	json_object_set_new(cfg, "model", json_boolean(c->model));
	json_object_set_new(cfg, "profile", c->profile ? json_string(c->profile) : json_null());
	json_object_set_new(cfg, "test", json_string(c->paired ? "paired" : "welch"));
	json_object_set_new(cfg, "confidence", json_real(LEVEL));
	/* each policy's full run configuration (its first seed's), to re-run */
	for (int p = 0; p < P; p++)
		for (int s = 0; s < S; s++) {
			const struct job *j = &c->jobs[p * S + s];
			if (!j->status && j->result) {
				json_object_set(runs, c->label[p], json_object_get(j->result, "config"));
				break;
			}
		}
	json_object_set_new(cfg, "runs", runs);
	json_object_set_new(root, "config", cfg);

	for (int i = 0; i < c->nr_metrics; i++) {
		const struct metric *m = &c->m[i];
		json_t *o = json_object(), *pa = json_array();
		int inc = 0;

		json_object_set_new(o, "name", json_string(m->name));
		json_object_set_new(o, "unit", json_string(m->unit));
		json_object_set_new(o, "better", json_string(dir_name(m->dir)));
		for (int p = 0; p < P; p++) {
			const struct stats_summary *s = &m->sum[p];
			json_t *q = json_object(), *vals = json_array();

			inc += m->incomplete[p];
			json_object_set_new(q, "policy", json_string(c->label[p]));
			json_object_set_new(q, "n", json_integer((json_int_t)s->n));
			json_object_set_new(q, "mean", jreal(s->mean));
			json_object_set_new(q, "sd", jreal(s->sd));
			json_object_set_new(q, "ci95", json_pack("[oo]", jreal(s->ci_lo), jreal(s->ci_hi)));
			json_object_set_new(q, "min", jreal(s->min));
			json_object_set_new(q, "max", jreal(s->max));
			if (p) {
				json_t *vs = json_object();
				json_object_set_new(vs, "change_pct", jreal(m->pct_change[p]));
				json_object_set_new(vs, "welch", json_ttest(&m->welch[p]));
				json_object_set_new(vs, "paired", json_ttest(&m->paired[p]));
				json_object_set_new(vs, "hedges_g", jreal(m->hedges_g[p]));
				json_object_set_new(vs, "p_holm", jreal(m->p_holm[p]));
				json_object_set_new(vs, "exact", json_boolean(exact(c, m, p)));
				json_object_set_new(vs, "mark", json_string(mark(c, m, p)));
				json_object_set_new(q, "vs_baseline", vs);
			}
			for (int s2 = 0; s2 < S; s2++)
				json_array_append_new(vals, jreal(m->v[p * S + s2]));
			json_object_set_new(q, "values", vals);
			json_array_append_new(pa, q);
		}
		json_object_set_new(o, "incomplete_runs", json_integer(inc));
		json_object_set_new(o, "policies", pa);
		json_array_append_new(metrics, o);
	}
	json_object_set_new(root, "metrics", metrics);
	for (int p = 0; p < P; p++) {
		char text[256];
		enum cas_verdict k = policy_verdict(c, p, text, sizeof(text));

		if (k != CAS_VERDICT_NONE)
			json_object_set_new(verdicts, c->label[p],
					    json_pack("{s:s, s:i, s:s}", "kind", cas_verdict_name(k), "code", (int)k,
						      "text", text));
	}
	json_object_set_new(root, "verdicts", verdicts);
	/* the panels --plot draws (or would draw) */
	for (int i = 0; i < c->nr_metrics; i++) {
		if (in_change_figure(c, &c->m[i]))
			json_array_append_new(fig_change, json_string(c->m[i].name));
		if (in_counter_figure(c, &c->m[i]))
			json_array_append_new(fig_counters, json_string(c->m[i].name));
	}
	json_object_set_new(root, "figures", json_pack("{s:o, s:o}", "compare", fig_change, "compare-counters",
						       fig_counters));
	for (int p = 0; p < P; p++)
		for (int s = 0; s < S; s++) {
			const struct job *j = &c->jobs[p * S + s];
			if (j->status)
				json_array_append_new(failed, json_pack("{s:s, s:I, s:s}", "policy", c->label[p],
									"seed", (json_int_t)j->seed, "error", j->error));
		}
	json_object_set_new(root, "failed_runs", failed);
	return root;
}

static int write_json(json_t *j, const char *path, struct diag *err)
{
	struct afile a;

	if (afile_open(&a, path, err))
		return -1;
	if (json_dumpf(j, a.f, JSON_PRESERVE_ORDER | JSON_INDENT(2)) || fputc('\n', a.f) == EOF) {
		afile_abort(&a);
		return diag_set(err, "%s: cannot write JSON", path);
	}
	return afile_commit(&a, err);
}

/* mkdir -p */
static int make_dirs(const char *dir, struct diag *err)
{
	char buf[PATH_MAX];
	size_t n = strlen(dir);

	if (n >= sizeof(buf))
		return diag_set(err, "--out %s: path too long", dir);
	memcpy(buf, dir, n + 1);
	for (char *s = buf + 1; ; s++) {
		if (*s == '/' || !*s) {
			char ch = *s;
			*s = '\0';
			if (mkdir(buf, 0777) && errno != EEXIST)
				return diag_set(err, "--out %s: cannot create %s: %s", dir, buf, strerror(errno));
			*s = ch;
			if (!ch)
				break;
		}
	}
	return 0;
}

/* ---- plots ------------------------------------------------------------------------ */

/* The 95 % CI of a policy's change against the baseline, in % and signed
 * like the change (+ is better): the chosen test's CI of the difference
 * over |baseline mean|; NaN where the baseline mean is 0. */
static void change_ci(const struct cmp *c, const struct metric *m, int p, double *lo, double *hi)
{
	const struct stats_ttest *t = c->paired ? &m->paired[p] : &m->welch[p];
	double base = fabs(m->sum[0].mean), a, b;

	*lo = *hi = NAN;
	if (!(base > 0) || !isfinite(t->ci_lo) || !isfinite(t->ci_hi))
		return;
	a = t->ci_lo / base * 100;
	b = t->ci_hi / base * 100;
	if (m->dir == STATS_LOWER) {
		*lo = -b;
		*hi = -a;
	} else {
		*lo = a;
		*hi = b;
	}
}

static void panel_title(FILE *e, const struct metric *m)
{
	char t[256];

	snprintf(t, sizeof(t), "%s%s%s%s%s", m->name, m->unit[0] || m->dir ? " (" : "", m->unit,
		 m->unit[0] && m->dir ? ", " : "",
		 m->dir == STATS_HIGHER ? "higher is better)" : m->dir == STATS_LOWER ? "lower is better)"
		 : m->unit[0] ? ")" : "");
	gp_word(e, t);
}

/* One figure: @change 1 draws each selected metric's change against the
 * baseline with its 95 % CI around 0 (one point per other policy);
 * 0 draws the policies' counters as bars from 0 with the CI of the mean,
 * never below 0 for counts.  Nothing is drawn when no panel has a value;
 * *nr_panels says how many were. */
static int write_figure(const struct cmp *c, const char *script, const char *name, int change, int *nr_panels,
			struct diag *err)
{
	int P = c->nr_pol, S = c->nr_seeds, n = 0, rc = -1;
	char dat[PATH_MAX + 64], prefix[PATH_MAX];
	char *vars = NULL;
	size_t varslen = 0;
	FILE *f, *e = NULL;

	snprintf(dat, sizeof(dat), "%s/.%s.dat.%ld", c->out, name, (long)getpid());
	snprintf(prefix, sizeof(prefix), "%s/%s", c->out, name);
	f = fopen(dat, "w");
	if (!f)
		return diag_set(err, "%s: cannot write: %s", dat, strerror(errno));
	e = open_memstream(&vars, &varslen);
	if (!e) {
		fclose(f);
		unlink(dat);
		return diag_set(err, "out of memory");
	}
	fputs("titles='", e);
	for (int i = 0; i < c->nr_metrics; i++) {
		const struct metric *m = &c->m[i];
		bool count = true;

		if (change ? !in_change_figure(c, m) : !in_counter_figure(c, m))
			continue;
		fprintf(f, "%s# %s\n", n ? "\n\n" : "", m->name);
		fputs(n ? " " : "", e);
		panel_title(e, m);
		n++;
		for (int k = 0; k < P * S; k++)
			count &= !isfinite(m->v[k]) || m->v[k] >= 0;
		for (int p = change ? 1 : 0; p < P; p++) {
			const struct stats_summary *sm = &m->sum[p];
			double y, lo, hi;
			char label[64] = "";

			if (change) {
				y = m->pct_change[p];
				change_ci(c, m, p, &lo, &hi);
				if (isfinite(y))
					snprintf(label, sizeof(label), "%+.2f%%%s", y, mark(c, m, p));
			} else {
				y = sm->mean;
				lo = sm->ci_lo;
				hi = sm->ci_hi;
				if (count && isfinite(lo) && lo < 0)
					lo = 0; /* a count is never negative */
				if (p && isfinite(m->pct_change[p]))
					snprintf(label, sizeof(label), "%+.1f%%%s", m->pct_change[p], mark(c, m, p));
			}
			if (!isfinite(y)) {
				y = lo = hi = NAN;
				snprintf(label, sizeof(label), "n/a");
			} else if (!isfinite(lo) || !isfinite(hi)) {
				lo = hi = y;
			}
			fprintf(f, "%d ", change ? p - 1 : p);
			gp_word(f, c->label[p]);
			fprintf(f, " %.17g %.17g %.17g ", y, lo, hi);
			gp_word(f, label);
			fputc('\n', f);
		}
	}
	*nr_panels = n;
	if (fclose(f) | fclose(e)) {
		diag_set(err, "%s: cannot write", dat);
		goto out;
	}
	if (!n) {
		rc = 0;
		goto out;
	}
	{
		char t[512], *all = NULL;
		size_t alllen = 0;

		snprintf(t, sizeof(t),
			 change ? "%s on %s, %d seeds: change against %s in %%, + = better, with its 95%% CI (%s); * p<0.05, ** p<0.01"
				: "%s on %s, %d seeds: the policies' counters, mean and 95%% CI (vs %s, %s)",
			 c->workload, c->topology, S, c->label[0], c->paired ? "paired t" : "Welch t");
		e = open_memstream(&all, &alllen);
		if (!e) {
			diag_set(err, "out of memory");
			goto out;
		}
		fputs("datafile=", e);
		gp_str(e, dat);
		/* vars holds "titles='t1 t2 ..." */
		fprintf(e, "; nmetrics=%d; npolicies=%d; %s'; maintitle=", n, change ? P - 1 : P, vars);
		gp_str(e, t);
		if (fclose(e)) {
			free(all);
			diag_set(err, "out of memory");
			goto out;
		}
		free(vars);
		vars = all;
	}
	if (gp_render(script, vars, prefix, err)) {
		diag_prefix(err, "--plot: ");
		goto out;
	}
	rc = 0;
out:
	free(vars);
	unlink(dat);
	return rc;
}

/* compare.png/svg: the change figure; compare-counters.png/svg: the
 * policies' counters (when any has a value). */
static int write_plots(const struct cmp *c, const char *const scripts[2], int nr_panels[2], struct diag *err)
{
	if (write_figure(c, scripts[0], "compare", 1, &nr_panels[0], err))
		return -1;
	return write_figure(c, scripts[1], "compare-counters", 0, &nr_panels[1], err);
}

/* ---- the command ---------------------------------------------------------------------- */

/* --metrics a,b,c: names kept in @list (split in place); checked against
 * the runs' metrics once they are known. */
static int parse_plot_metrics(struct cmp *c, char *list, const char *arg)
{
	c->nr_plot_metrics = 0;
	for (char *save = NULL, *t = strtok_r(list, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
		if (c->nr_plot_metrics == MAX_PLOT_METRICS)
			return cmd_bad("--metrics %s: too many metrics (at most %d)", arg, MAX_PLOT_METRICS);
		c->plot_metrics[c->nr_plot_metrics++] = t;
	}
	if (!c->nr_plot_metrics)
		return cmd_bad("--metrics %s: expected metric names, comma-separated", arg);
	return 0;
}

/* Every --metrics name must be one of the runs' metrics. */
static int check_plot_metrics(const struct cmp *c)
{
	for (int k = 0; k < c->nr_plot_metrics; k++) {
		const char *names[1024];
		char hint[160], all[2048];
		int n = 0, found = 0;

		for (int i = 0; i < c->nr_metrics && n < 1024; i++) {
			names[n++] = c->m[i].name;
			found |= !strcmp(c->m[i].name, c->plot_metrics[k]);
		}
		if (!found)
			return cmd_bad("--metrics %s: no such metric in these runs%s (metrics: %s)", c->plot_metrics[k],
				   suggest_hint(hint, sizeof(hint), c->plot_metrics[k], names, n),
				   suggest_join(all, sizeof(all), names, n));
	}
	return 0;
}

static int parse_policies(struct cmp *c, char *list, const char *arg)
{
	char names[1024];
	int n = 0;

	for (char *tok = list, *next; tok; tok = next) {
		next = strchr(tok, ',');
		if (next)
			*next++ = '\0';
		if (!*tok)
			return cmd_bad("--policies %s: empty policy name", arg);
		if (n == MAX_POLICIES)
			return cmd_bad("--policies %s: too many policies (at most %d)", arg, MAX_POLICIES);
		if (!policy_find(tok)) {
			char hint[160];

			policy_names(names, sizeof(names));
			cmd_errorf("--policies %s: unknown policy '%s'%s (expected one of: %s)",
				   arg, tok, policy_hint(hint, sizeof(hint), tok), names);
			return EXIT_BADINPUT;
		}
		c->pol[n++] = tok;
	}
	if (n < 2)
		return cmd_bad("--policies %s: expected at least two policies, the baseline first (e.g. cfs,%s)", arg,
			   c->pol[0]);
	c->nr_pol = n;
	for (int p = 0; p < n; p++) {
		int k = 1;
		for (int q = 0; q < p; q++)
			k += !strcmp(c->pol[q], c->pol[p]);
		if (k > 1)
			snprintf(c->label[p], sizeof(c->label[p]), "%.50s#%d", c->pol[p], k);
		else
			snprintf(c->label[p], sizeof(c->label[p]), "%.63s", c->pol[p]);
	}
	return 0;
}

/* Which --set pairs go to which policy: a tunable that some listed policy
 * has (and no scheduler tunable of that name) goes only to the policies that
 * have it; every other key goes to all (and the run says if it is unknown). */
static int route_sets(struct cmp *c)
{
	const struct policy **pols = xcalloc((size_t)c->nr_pol, sizeof(*pols));

	for (int p = 0; p < c->nr_pol; p++)
		pols[p] = policy_find(c->pol[p]);
	for (int p = 0; p < c->nr_pol; p++) {
		c->pk[p] = xcalloc((size_t)(c->nr_sets + 1), sizeof(char *));
		c->pv[p] = xcalloc((size_t)(c->nr_sets + 1), sizeof(char *));
		for (int i = 0; i < c->nr_sets; i++) {
			const char *k = c->set_keys[i];

			if (!set_applies(k, pols[p], pols, c->nr_pol))
				continue;
			c->pk[p][c->pn[p]] = k;
			c->pv[p][c->pn[p]] = c->set_values[i];
			c->pn[p]++;
		}
	}
	free(pols);
	return 0;
}

static void cmp_free(struct cmp *c)
{
	if (c->jobs) {
		jobs_free(c->jobs, c->nr_pol * c->nr_seeds);
		free(c->jobs);
	}
	for (int i = 0; i < c->nr_metrics; i++) {
		struct metric *m = &c->m[i];
		free(m->v);
		free(m->incomplete);
		free(m->sum);
		free(m->welch);
		free(m->paired);
		free(m->pct_change);
		free(m->hedges_g);
		free(m->p_holm);
	}
	free(c->m);
	for (int j = 0; c->sc && j < c->nr_pol * c->nr_seeds; j++)
		free(c->sc[j]);
	free(c->sc);
	free(c->nsc);
	for (int p = 0; p < c->nr_pol; p++) {
		free(c->pk[p]);
		free(c->pv[p]);
	}
}

int cmd_compare(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "policies", required_argument, NULL, 'p' },
		{ "topology", required_argument, NULL, 't' },
		{ "workload", required_argument, NULL, 'w' },
		{ "seeds", required_argument, NULL, 'n' },
		{ "seed-base", required_argument, NULL, 'B' },
		{ "set", required_argument, NULL, 's' },
		{ "duration", required_argument, NULL, 'd' },
		{ "jobs", required_argument, NULL, 'j' },
		{ "out", required_argument, NULL, 'o' },
		{ "plot", no_argument, NULL, 'G' },
		{ "json", no_argument, NULL, 'J' },
		{ "test", required_argument, NULL, 'T' },
		{ "profile", required_argument, NULL, 'R' },
		{ "no-model", no_argument, NULL, 'M' },
		{ "lenient", no_argument, NULL, 'L' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "metrics", required_argument, NULL, 'm' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	static struct cmp c; /* large: off the stack */
	char *policies = NULL, script_buf[2][PATH_MAX], path[PATH_MAX], *metrics_arg = NULL;
	const char *policies_arg = NULL, *scripts[2] = { NULL, NULL };
	int panels[2] = { 0, 0 };
	unsigned long long u;
	int opt, workers = 0, plot = 0, json = 0, quiet = 0, verbose = 0, ret = EXIT_BADINPUT, nr_jobs;
	struct diag err = { { 0 } };
	json_t *out = NULL;

	memset(&c, 0, sizeof(c));
	c.topology = DEFAULT_TOPOLOGY;
	c.workload = DEFAULT_WORKLOAD;
	c.out = DEFAULT_OUT;
	c.model = true;
	c.nr_seeds = DEFAULT_SEEDS;
	c.seed_base = 1;
	optind = 1;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":p:t:w:n:s:d:j:o:m:vqh", opts, NULL)) != -1) {
		switch (opt) {
		case 'p': policies_arg = optarg; break;
		case 't': c.topology = optarg; break;
		case 'w': c.workload = optarg; break;
		case 'n':
			if (parse_uint(optarg, MAX_SEEDS, &u) || u < 2)
				return cmd_bad("--seeds %s: expected an integer 2..%d (runs per policy)", optarg, MAX_SEEDS);
			c.nr_seeds = (int)u;
			break;
		case 'B':
			if (parse_uint(optarg, INT64_MAX, &u))
				return cmd_bad("--seed-base %s: expected an integer 0..%lld", optarg, (long long)INT64_MAX);
			c.seed_base = u;
			break;
		case 's': {
			const char *eq = strchr(optarg, '=');
			size_t kl = eq ? (size_t)(eq - optarg) : 0;
			if (!eq || !kl || kl >= sizeof(c.keybuf[0]))
				return cmd_bad("--set %s: expected KEY=VALUE", optarg);
			if (c.nr_sets == MAX_SETS)
				return cmd_bad("too many --set options (at most %d)", MAX_SETS);
			memcpy(c.keybuf[c.nr_sets], optarg, kl);
			c.keybuf[c.nr_sets][kl] = '\0';
			for (int i = 0; i < c.nr_sets; i++)
				if (!strcmp(c.keybuf[i], c.keybuf[c.nr_sets]))
					return cmd_bad("--set %s: %s is set twice", optarg, c.keybuf[i]);
			c.set_keys[c.nr_sets] = c.keybuf[c.nr_sets];
			c.set_values[c.nr_sets] = eq + 1;
			c.nr_sets++;
			break;
		}
		case 'd':
			if (parse_duration(optarg, NSEC_PER_SEC, &c.duration) || c.duration <= 0)
				return cmd_bad("--duration %s: expected a positive time such as 500ms or 2s", optarg);
			break;
		case 'j':
			if (parse_uint(optarg, 4096, &u) || u < 1)
				return cmd_bad("--jobs %s: expected an integer 1..4096", optarg);
			workers = (int)u;
			break;
		case 'o': c.out = optarg; break;
		case 'G': plot = 1; break;
		case 'J': json = 1; break;
		case 'T':
			if (!strcmp(optarg, "welch"))
				c.paired = false;
			else if (!strcmp(optarg, "paired"))
				c.paired = true;
			else
				return cmd_bad("--test %s: expected welch or paired", optarg);
			break;
		case 'R': c.profile = optarg; break;
		case 'M': c.model = false; break;
		case 'L': c.lenient = true; break;
		case 'q': quiet = 1; break;
		case 'v': verbose = 1; break;
		case 'm':
			free(metrics_arg);
			metrics_arg = xstrdup(optarg);
			if (parse_plot_metrics(&c, metrics_arg, optarg)) {
				free(metrics_arg);
				return EXIT_BADINPUT;
			}
			break;
		case 'h': compare_usage(stdout); return 0;
		case ':':
		default:
			return cmd_opt_error("compare", opt, argv);
		}
	}
	if (optind < argc)
		return cmd_bad("unexpected argument '%s' (see cassim compare --help)", argv[optind]);
	if (!policies_arg)
		return cmd_bad("--policies is required, e.g. --policies cfs,cas-v3 (see cassim compare --help)");
	policies = xstrdup(policies_arg);
	if ((ret = parse_policies(&c, policies, policies_arg)))
		goto out;
	ret = EXIT_BADINPUT;
	if (route_sets(&c)) {
		cmd_error("out of memory");
		goto out;
	}
	if (quiet)
		diag_quiet_warnings(1);

	nr_jobs = c.nr_pol * c.nr_seeds;
	c.jobs = xcalloc((size_t)nr_jobs, sizeof(*c.jobs));
	for (int p = 0; p < c.nr_pol; p++)
		for (int s = 0; s < c.nr_seeds; s++)
			c.jobs[p * c.nr_seeds + s] = (struct job){
				.topology = c.topology,
				.workload = c.workload,
				.policy = c.pol[p],
				.seed = c.seed_base + (uint64_t)s,
				.duration = c.duration,
				.nr_sets = c.pn[p],
				.set_keys = c.pk[p],
				.set_values = c.pv[p],
				.no_model = !c.model,
				.profile = c.profile,
				.lenient = c.lenient,
			};
	/* Bad input stops everything before a single run: check each distinct
	 * policy's first job here (warnings once, from the first). */
	for (int p = 0; p < c.nr_pol; p++) {
		bool seen = false;
		for (int q = 0; q < p; q++)
			seen |= !strcmp(c.pol[q], c.pol[p]);
		if (seen)
			continue;
		if (job_check(&c.jobs[p * c.nr_seeds])) {
			cmd_error(c.jobs[p * c.nr_seeds].error);
			ret = c.jobs[p * c.nr_seeds].status;
			goto out;
		}
		diag_quiet_warnings(1);
	}
	if (afile_probe_dir(c.out, &err)) {
		diag_prefix(&err, "--out ");
		cmd_error(err.msg);
		ret = EXIT_OUTPUT;
		goto out;
	}
	if (plot) {
		ret = 1;
		if (!gp_available()) {
			cmd_errorf("--plot needs gnuplot, which was not found on PATH (install the Debian package gnuplot-nox, or leave out --plot)");
			goto out;
		}
		for (int k = 0; k < 2; k++) {
			static const char *const names[2] = { "compare.gp", "compare-counters.gp" };

			scripts[k] = gp_find_script(study_data_dirs("plots"), names[k], script_buf[k], sizeof(script_buf[k]));
			if (!scripts[k]) {
				cmd_errorf("--plot: plots/%s not found in the data directories (set CASSIM_DATADIR)",
					   names[k]);
				goto out;
			}
		}
	}

	ret = 1;
	jobs_set_label("compare");
	if (jobs_run(c.jobs, nr_jobs, workers, !quiet)) {
		cmd_error(c.jobs[0].status && c.jobs[0].error[0] ? c.jobs[0].error : "cannot start the runs");
		goto out;
	}
	for (int j = 0; j < nr_jobs; j++)
		if (c.jobs[j].status) {
			if (c.failed < 5)
				cmd_errorf("%s seed %" PRIu64 ": %s",
					c.label[j / c.nr_seeds], c.jobs[j].seed, c.jobs[j].error);
			c.failed++;
		}
	if (c.failed == nr_jobs) {
		cmd_error("every run failed; nothing written");
		goto out;
	}
	if (discover_metrics(&c) || collect(&c) || analyse(&c)) {
		cmd_error("out of memory");
		goto out;
	}
	if (check_plot_metrics(&c)) {
		ret = EXIT_BADINPUT;
		goto out;
	}
	out = build_json(&c);
	if (!out || make_dirs(c.out, &err)) {
		cmd_error(out ? err.msg : "out of memory");
		goto out;
	}
	snprintf(path, sizeof(path), "%s/results.csv", c.out);
	if (write_csv(&c, path, &err)) {
		cmd_error(err.msg);
		goto out;
	}
	snprintf(path, sizeof(path), "%s/results.json", c.out);
	if (write_json(out, path, &err)) {
		cmd_error(err.msg);
		goto out;
	}
	if (plot && write_plots(&c, scripts, panels, &err)) {
		cmd_error(err.msg);
		goto out;
	}
	if (json) {
		json_dumpf(out, stdout, JSON_PRESERVE_ORDER | JSON_INDENT(2));
		fputc('\n', stdout);
	} else {
		print_table(stdout, &c, verbose);
		printf("\nwrote %s/results.csv and results.json", c.out);
		if (plot && panels[0])
			printf(", compare.png and compare.svg");
		if (plot && panels[1])
			printf(", compare-counters.png and compare-counters.svg");
		putchar('\n');
	}
	if (c.failed) {
		cmd_errorf("%d of %d runs failed (listed above%s); the statistics use the others",
			c.failed, nr_jobs, c.failed > 5 ? ", the first 5" : "");
		ret = 1;
	} else {
		ret = 0;
	}
out:
	json_decref(out);
	cmp_free(&c);
	free(policies);
	free(metrics_arg);
	return ret;
}
