/*
 * cassim compare: run several policies on the same seeds in parallel worker
 * processes and compare each metric against the first policy.  This verb
 * parses the options into a struct cmp, runs the jobs, has the study
 * (study/compare.c: statistics, results.csv, results.json, figures) do the
 * rest, and prints the headline table, the verdicts and, with --verbose, a
 * block per metric.  Every file is written atomically, and only after every
 * run finished: bad input (exit 2) and interruptions write nothing.
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
#include "cmd/opt.h"
#include "cmd/progress.h"
#include "study/compare.h"
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
			if (compare_exact(c, &c->m[i], p)) {
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
				double pp = compare_test_p(c, m, p);
				fmt_num(chg, sizeof(chg), "%+.2f%%", m->pct_change[p]);
				fmt_num(pv, sizeof(pv), "%.2g", pp);
				/* marks aligned, no trailing blanks */
				if (compare_exact(c, m, p))
					fprintf(f, " %9s  exact (no variance across seeds)", chg);
				else
					fprintf(f, " %9s  p=%-*s%s", chg, *compare_mark(c, m, p) ? 8 : 0, pv, compare_mark(c, m, p));
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
						 *compare_mark(c, m, p) ? " " : "", compare_mark(c, m, p));
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

static void print_verdicts(FILE *f, const struct cmp *c)
{
	int w = label_width(c), any = 0;
	char buf[256];

	for (int p = 0; p < c->nr_pol; p++) {
		if (compare_policy_verdict(c, p, buf, sizeof(buf)) == CAS_VERDICT_NONE)
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
	json_t *cfg = compare_first_config(c);

	for (int p = 0; p < P; p++)
		if ((int)strlen(c->label[p]) > w)
			w = (int)strlen(c->label[p]);
	double cap = c->duration ? (double)c->duration : compare_jnum(json_object_get(cfg, "duration_ns"));
	double longest = 0;

	/* a workload that does a fixed amount of work ends before its cap:
	 * say how long the runs really were */
	for (int j = 0; j < P * S; j++)
		if (!c->jobs[j].status && c->jobs[j].result)
			longest = MAX(longest, compare_jnum(json_object_get(json_object_get(c->jobs[j].result,
										   "results"), "duration_ns")));
	fmt_duration(dur, sizeof(dur), cap);
	fprintf(f, "cassim compare: %s on %s, model %s, ", c->workload, c->topology, compare_model_name(c));
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
	long long u;
	int opt, workers = 0, plot = 0, json = 0, quiet = 0, verbose = 0, ret = EXIT_BADINPUT, nr_jobs;
	struct diag err = { { 0 } };
	json_t *out = NULL;
	struct cmd_progress pr;

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
			if (cmd_opt_int("--seeds", optarg, 2, MAX_SEEDS, " (runs per policy)", &u))
				return EXIT_BADINPUT;
			c.nr_seeds = (int)u;
			break;
		case 'B':
			if (cmd_opt_int("--seed-base", optarg, 0, INT64_MAX, "", &u))
				return EXIT_BADINPUT;
			c.seed_base = u;
			break;
		case 's': {
			const char *value;
			if (c.nr_sets == MAX_SETS)
				return cmd_bad("too many --set options (at most %d)", MAX_SETS);
			if (cmd_opt_keyvalue("--set", optarg, c.keybuf[c.nr_sets], sizeof(c.keybuf[0]), &value))
				return EXIT_BADINPUT;
			for (int i = 0; i < c.nr_sets; i++)
				if (!strcmp(c.keybuf[i], c.keybuf[c.nr_sets]))
					return cmd_bad("--set %s: %s is set twice", optarg, c.keybuf[i]);
			c.set_keys[c.nr_sets] = c.keybuf[c.nr_sets];
			c.set_values[c.nr_sets] = value;
			c.nr_sets++;
			break;
		}
		case 'd':
			if (cmd_opt_time("--duration", optarg, NSEC_PER_SEC, true, "", &c.duration))
				return EXIT_BADINPUT;
			break;
		case 'j':
			if (cmd_opt_int("--jobs", optarg, 1, 4096, "", &u))
				return EXIT_BADINPUT;
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
	if (compare_route_sets(&c)) {
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
	if (jobs_run(c.jobs, nr_jobs, workers, cmd_progress(&pr, "compare", !quiet))) {
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
	if (compare_discover_metrics(&c) || compare_collect(&c) || compare_analyse(&c)) {
		cmd_error("out of memory");
		goto out;
	}
	if (compare_check_plot_metrics(&c, &err)) {
		cmd_error(err.msg);
		ret = EXIT_BADINPUT;
		goto out;
	}
	out = compare_json(&c);
	if (!out || compare_make_dirs(c.out, &err)) {
		cmd_error(out ? err.msg : "out of memory");
		goto out;
	}
	snprintf(path, sizeof(path), "%s/results.csv", c.out);
	if (compare_write_csv(&c, path, &err)) {
		cmd_error(err.msg);
		goto out;
	}
	snprintf(path, sizeof(path), "%s/results.json", c.out);
	if (compare_write_json(out, path, &err)) {
		cmd_error(err.msg);
		goto out;
	}
	if (plot && compare_write_plots(&c, scripts, panels, &err)) {
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
	compare_free(&c);
	free(policies);
	free(metrics_arg);
	return ret;
}
