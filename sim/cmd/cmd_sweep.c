/*
 * cassim sweep: run a plan's jobs (sweep.h) on local cores, resumable, or
 * hand them to GNU parallel or Slurm (--emit-jobs, --emit-slurm: `cassim
 * sweep ... --only ID,...` per job or array task; sweep_emit.c), merge result directories
 * (--merge) and compare policies with statistics (--report).  The options
 * are parsed here; checking, running, storing and reporting are the study
 * layer's (study/sweep.h, sweep_run.c), and this file prints what they did.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd/cmd.h"
#include "cmd/opt.h"
#include "cmd/progress.h"
#include "study/jobs.h"
#include "study/sweep.h"
#include "report/file.h"
#include "base/xalloc.h"

#define DEFAULT_OUT "sweep-out"

static void sweep_usage(FILE *f)
{
	fputs("usage: cassim sweep PLAN.json [--out DIR] [--jobs N] [--dry-run] [--quiet]\n"
	      "                    [--emit-jobs FILE] [--only ID[,ID...]]\n"
	      "                    [--emit-slurm FILE|DIR/ [--time T] [--mem M] [--partition P]\n"
	      "                     [--output PATTERN] [--max-array-size N] [--max-running N]\n"
	      "                     [--jobs-per-task N]]\n"
	      "       cassim sweep --merge OUTDIR DIR...\n"
	      "       cassim sweep --report DIR [--baseline POLICY] [--metric NAME]\n"
	      "                    [--test welch|paired] [--report-csv FILE] [--json]\n"
	      "\n"
	      "Run every job of a sweep plan (topologies x workloads x parameter grids x\n"
	      "policies x --set grids x seeds; see sweeps/README.md) and collect the results.\n"
	      "Each job's result goes to DIR/jobs/ID.json as soon as the job ends; a re-run\n"
	      "skips the jobs that have one (resume after a kill); DIR/results.csv has one\n"
	      "row per job and metric, in job order, byte-identical however the jobs ran.\n"
	      "\n"
	      "  -o, --out DIR         result directory (default ./" DEFAULT_OUT "); holds plan.json\n"
	      "  -j, --jobs N          jobs in parallel (default: the online CPUs)\n"
	      "      --dry-run         print the jobs per axis, how many are done, and a time\n"
	      "                        estimate; run nothing\n"
	      "      --emit-jobs FILE  write one shell command per pending job, for\n"
	      "                        `parallel < FILE` (GNU parallel); run nothing\n"
	      "      --emit-slurm FILE|DIR/  write Slurm job-array scripts (in a directory:\n"
	      "                        DIR/cassim-sweep.sbatch; NAME-1.EXT, NAME-2.EXT ... when\n"
	      "                        split) over the tasks holding a pending job; task g runs\n"
	      "                        line g+1 of DIR/slurm/tasks-K.txt, written once, so a\n"
	      "                        queued task keeps its jobs when DIR is emitted again;\n"
	      "                        run nothing.  With it:\n"
	      "      --time T          #SBATCH --time per task (default " SWEEP_SLURM_TIME "; M, H:MM:SS,\n"
	      "                        D-HH[:MM[:SS]])\n"
	      "      --mem M           #SBATCH --mem per task (default " SWEEP_SLURM_MEM "; MB, or K/M/G/T)\n"
	      "      --partition P     #SBATCH --partition (default: none, the cluster's default)\n"
	      "      --output PATTERN  #SBATCH --output, its directory must exist (default\n"
	      "                        DIR/slurm/%x-%A_%a.out)\n"
	      "      --max-array-size N  the cluster's MaxArraySize (default 1001): an array\n"
	      "                        has indices 0..N-1, larger ones are split into parts\n"
	      "      --max-running N   at most N tasks of an array at once, --array=...%N\n"
	      "                        (default 100; 0: no throttle)\n"
	      "      --jobs-per-task N  N jobs per array task, one after another (default 1)\n"
	      "      --only ID,...     run only these jobs; results.csv is not rewritten\n"
	      "                        (--merge or a plain re-run writes it)\n"
	      "  -q, --quiet           no progress line\n"
	      "      --merge OUTDIR DIR...  merge the job files of several directories of one\n"
	      "                        plan into OUTDIR and write OUTDIR/results.csv\n"
	      "      --report DIR      tables per topology, workload and metric: one row per\n"
	      "                        parameter combination, one column per policy, mean,\n"
	      "                        % change vs the baseline (+ = better) and marks from\n"
	      "                        Holm-adjusted p-values over the whole report\n"
	      "  -b, --baseline POLICY the policy compared against (default: the plan's)\n"
	      "  -m, --metric NAME     report this metric only\n"
	      "      --test welch|paired  Welch's t-test (default) or paired by seed\n"
	      "      --report-csv FILE also write the statistics as CSV\n"
	      "      --json            the statistics as JSON on stdout instead of tables\n"
	      "\n"
	      "Exit status 0, 1 if a job failed or is missing (listed) or an output cannot\n"
	      "be written (checked before any run; another sweep holding DIR counts too),\n"
	      "2 for bad input (nothing is run or written).\n", f);
}

static int online_cpus(void)
{
	long c = sysconf(_SC_NPROCESSORS_ONLN);
	return c > 0 ? (int)c : 1;
}

/* ---- --dry-run ----------------------------------------------------------------------------- */

static void print_axis(const char *name, int n, const char *const *vals, const char *note)
{
	printf("  %-22s %4d  ", name, n);
	for (int i = 0; i < n; i++) {
		if (i == 8) {
			printf(", ... (%d more)", n - 8);
			break;
		}
		printf("%s%s", i ? ", " : "", vals[i]);
	}
	printf("%s\n", note ? note : "");
}

/* The plan's axes, what is done, and the time estimate (sweep_estimate). */
static int dry_run(const struct sweep_plan *p, const char *dir, const struct sweep_job **todo, int n, int workers)
{
	char seeds[64];
	int done = p->nr_jobs - n;
	struct sweep_estimate e;
	struct diag err;

	printf("plan %s: %d jobs", p->file, p->nr_jobs);
	if (p->nr_filtered)
		printf(" (%d combinations filtered out)", p->nr_filtered);
	putchar('\n');
	print_axis("topologies", p->nr_topologies, p->topologies, NULL);
	print_axis("workloads", p->nr_workloads, p->workloads, NULL);
	for (int a = 0; a < p->nr_axes; a++)
		if (!p->axes[a].is_set)
			print_axis(p->axes[a].name, p->axes[a].nr_values, p->axes[a].values, "  (workload parameter)");
	print_axis("policies", p->nr_policies, p->policies, NULL);
	for (int a = 0; a < p->nr_axes; a++)
		if (p->axes[a].is_set) {
			char note[512] = "  (--set";
			size_t m = strlen(note);
			int users = 0;

			for (int k = 0; k < p->nr_policies; k++)
				for (int j = 0; j < p->nr_jobs; j++)
					if (p->jobs[j].policy == p->policies[k] && p->jobs[j].values[a]) {
						m += (size_t)snprintf(note + m, sizeof(note) - m, "%s%s", users++ ? ", " : "; ", p->policies[k]);
						break;
					}
			snprintf(note + m, sizeof(note) - m, "%s)", users < p->nr_policies ? " only" : "");
			if (users == p->nr_policies)
				snprintf(note, sizeof(note), "  (--set)");
			print_axis(p->axes[a].name, p->axes[a].nr_values, p->axes[a].values, note);
		}
	snprintf(seeds, sizeof(seeds), "%d", p->nr_seeds);
	printf("  %-22s %4d  %" PRIu64 "%s%" PRIu64 "\n", "seeds", p->nr_seeds, p->seeds[0],
	       p->nr_seeds > 1 ? " .. " : "", p->nr_seeds > 1 ? p->seeds[p->nr_seeds - 1] : p->seeds[0]);
	printf("done in %s: %d of %d; to run: %d\n", dir, done, p->nr_jobs, n);
	if (!n)
		return 0;
	if (!p->duration)
		printf("the plan gives no duration: each job runs its workload's own; the estimate assumes %g ms\n",
		       SWEEP_CALIBRATION_NS / 1e6);
	diag_quiet_warnings(1);
	if (sweep_estimate(p, todo, n, &e, &err)) {
		cmd_error(err.msg);
		return EXIT_BADINPUT;
	}
	{
		int w = workers > 0 ? workers : online_cpus();
		char t[32];

		jobs_fmt_time(t, sizeof(t), e.total_s / (w < n ? w : n));
		printf("estimate: %s on %d workers (%.1f s of runs; timed %g ms of one job per topology and workload, scaled to each job%s)\n",
		       t, w < n ? w : n, e.total_s, e.timed_ns / 1e6, e.all_ok ? "" : "; a timed run failed");
	}
	return 0;
}

/* ---- the command ------------------------------------------------------------------------------ */

static int parse_only(const struct sweep_plan *p, char *list, const struct sweep_job ***out, int *n)
{
	*out = xcalloc((size_t)p->nr_jobs, sizeof(**out));
	*n = 0;
	for (char *tok = list, *next; tok; tok = next) {
		const struct sweep_job *j;

		next = strchr(tok, ',');
		if (next)
			*next++ = '\0';
		j = sweep_plan_find(p, tok);
		if (!j)
			return cmd_bad("--only %s: no job of %s has this id (cassim sweep --emit-jobs lists them)", tok, p->file);
		(*out)[(*n)++] = j;
		if (*n == p->nr_jobs)
			break;
	}
	return 0;
}

int cmd_sweep(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "out", required_argument, NULL, 'o' },
		{ "jobs", required_argument, NULL, 'j' },
		{ "dry-run", no_argument, NULL, 'n' },
		{ "emit-jobs", required_argument, NULL, 'E' },
		{ "emit-slurm", required_argument, NULL, 'S' },
		{ "only", required_argument, NULL, 'O' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "merge", required_argument, NULL, 'M' },
		{ "report", required_argument, NULL, 'R' },
		{ "baseline", required_argument, NULL, 'b' },
		{ "metric", required_argument, NULL, 'm' },
		{ "test", required_argument, NULL, 'T' },
		{ "report-csv", required_argument, NULL, 'C' },
		{ "json", no_argument, NULL, 'J' },
		{ "time", required_argument, NULL, 'L' },
		{ "mem", required_argument, NULL, 'L' },
		{ "partition", required_argument, NULL, 'L' },
		{ "output", required_argument, NULL, 'L' },
		{ "max-array-size", required_argument, NULL, 'L' },
		{ "max-running", required_argument, NULL, 'L' },
		{ "jobs-per-task", required_argument, NULL, 'L' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	const char *out = DEFAULT_OUT, *emit = NULL, *slurm = NULL, *merge = NULL, *report = NULL;
	char *only = NULL;
	struct sweep_report_opts ro = { 0 };
	struct sweep_slurm_opts so;
	const char *slurm_opt = NULL;
	struct sweep_plan *p = NULL;
	const struct sweep_job **todo = NULL;
	struct sweep_failure *fail = NULL;
	struct diag err = { { 0 } };
	int opt, idx, workers = 0, dry = 0, quiet = 0, n = 0, nr_fail = 0, ret = EXIT_BADINPUT;

	sweep_slurm_defaults(&so);
	optind = 1;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":o:j:b:m:qh", opts, &idx)) != -1) {
		switch (opt) {
		case 'o': out = optarg; break;
		case 'j': {
			long long v;
			if (cmd_opt_int("--jobs", optarg, 1, 4096, "", &v))
				return EXIT_BADINPUT;
			workers = (int)v;
			break;
		}
		case 'n': dry = 1; break;
		case 'E': emit = optarg; break;
		case 'S': slurm = optarg; break;
		case 'O': only = optarg; break;
		case 'q': quiet = 1; break;
		case 'M': merge = optarg; break;
		case 'R': report = optarg; break;
		case 'b': ro.baseline = optarg; break;
		case 'm': ro.metric = optarg; break;
		case 'T':
			if (strcmp(optarg, "welch") && strcmp(optarg, "paired"))
				return cmd_bad("--test %s: expected welch or paired", optarg);
			ro.paired = !strcmp(optarg, "paired");
			break;
		case 'C': ro.csv = optarg; break;
		case 'J': ro.json = true; break;
		case 'L':
			if (sweep_slurm_option(&so, opts[idx].name, optarg, &err)) {
				cmd_error(err.msg);
				return EXIT_BADINPUT;
			}
			slurm_opt = opts[idx].name;
			break;
		case 'h': sweep_usage(stdout); return 0;
		case ':':
		default:
			return cmd_opt_error("sweep", opt, argv);
		}
	}
	if (slurm_opt && !slurm)
		return cmd_bad("--%s goes with --emit-slurm (see cassim sweep --help)", slurm_opt);
	if (!!merge + !!report > 1)
		return cmd_bad("--merge and --report do not go together");
	if (merge) {
		if (optind >= argc)
			return cmd_bad("--merge %s: expected the directories to merge after it (cassim sweep --merge OUTDIR DIR...)", merge);
		return sweep_store_merge(merge, (const char *const *)argv + optind, argc - optind,
					 study_data_dirs("topologies"), cmd_io());
	}
	if (report) {
		char path[PATH_MAX];

		if (optind < argc)
			return cmd_bad("unexpected argument '%s' (see cassim sweep --help)", argv[optind]);
		snprintf(path, sizeof(path), "%s/plan.json", report);
		if (sweep_plan_load(path, study_data_dirs("topologies"), &p, &err)) {
			cmd_error(err.msg);
			return EXIT_BADINPUT;
		}
		if (cmd_probe_outputs(&ro.csv, 1)) {
			sweep_plan_free(p);
			return EXIT_OUTPUT;
		}
		ret = sweep_report(p, report, &ro, cmd_io());
		sweep_plan_free(p);
		return ret;
	}
	if (ro.baseline || ro.metric || ro.csv || ro.json || ro.paired)
		return cmd_bad("--baseline, --metric, --test, --report-csv and --json go with --report DIR");
	if (optind >= argc)
		return cmd_bad("expected a plan file (cassim sweep PLAN.json; see cassim sweep --help)");
	if (optind + 1 < argc)
		return cmd_bad("unexpected argument '%s' (see cassim sweep --help)", argv[optind + 1]);
	if (!!dry + !!(emit || slurm) + !!only > 1)
		return cmd_bad("--dry-run, --emit-jobs/--emit-slurm and --only do not go together");
	if (sweep_plan_load(argv[optind], study_data_dirs("topologies"), &p, &err)) {
		cmd_error(err.msg);
		return EXIT_BADINPUT;
	}
	if (only) {
		if (parse_only(p, only, &todo, &n))
			goto out;
	} else {
		todo = xcalloc((size_t)p->nr_jobs, sizeof(*todo));
	}
	/* the pending jobs: without a result file (a failed job runs again) */
	{
		int k = 0;
		if (only) {
			for (int i = 0; i < n; i++)
				if (!sweep_store_done(out, todo[i]))
					todo[k++] = todo[i];
		} else {
			for (int i = 0; i < p->nr_jobs; i++)
				if (!sweep_store_done(out, &p->jobs[i]))
					todo[k++] = &p->jobs[i];
		}
		n = k;
	}
	if (quiet)
		diag_quiet_warnings(1);
	/* the outputs, before any work */
	if (!dry && (afile_probe_dir(out, &err) || (emit && afile_probe(emit, &err)))) {
		cmd_error(err.msg);
		ret = EXIT_OUTPUT;
		goto out;
	}
	/* the whole plan's values, done or not: a resumed sweep checks what a
	 * fresh one did; --only records a failure in its job's .error instead */
	if (!only) {
		const struct sweep_job **all = xmalloc((size_t)p->nr_jobs * sizeof(*all));

		for (int i = 0; i < p->nr_jobs; i++)
			all[i] = &p->jobs[i];
		ret = sweep_precheck(p, all, p->nr_jobs, cmd_io());
		free(all);
		if (ret)
			goto out;
	}
	ret = EXIT_BADINPUT;
	if (dry) {
		ret = dry_run(p, out, todo, n, workers);
		goto out;
	}
	/* the directory, ours alone (--only jobs share it), and its plan:
	 * another plan's directory is refused */
	if (sweep_store_mkdirs(out, &err) || sweep_store_lock(out, only || emit || slurm, &err)) {
		cmd_error(err.msg);
		ret = EXIT_OUTPUT;
		goto out;
	}
	if (sweep_store_plan(p, out, &err)) {
		cmd_error(err.msg);
		goto out;
	}
	if (emit || slurm) {
		if (!n) {
			printf("every job of %s is done in %s: nothing to emit\n", p->file, out);
			ret = 0;
			goto out;
		}
		ret = 1;
		if (emit && sweep_emit_jobs(emit, out, todo, n, &err)) {
			cmd_error(err.msg);
			goto out;
		}
		if (emit)
			printf("wrote %s: %d job lines (of %d; the others are done)\n", emit, n, p->nr_jobs);
		if (slurm && (ret = sweep_emit_slurm(p, out, slurm, &so, todo, n, &err))) {
			cmd_error(err.msg);
			ret = ret > 0 ? EXIT_BADINPUT : 1;
			goto out;
		}
		printf("then: cassim sweep --merge OUTDIR %s [other directories...]\n", out);
		ret = 0;
		goto out;
	}
	fail = xcalloc((size_t)(n ? n : 1), sizeof(*fail));
	ret = 1;
	if (n) {
		struct cmd_progress pr;

		if (sweep_run_jobs(p, out, todo, n, workers, cmd_progress(&pr, "sweep", !quiet), fail, &nr_fail,
				   cmd_io()))
			goto out;
	}
	if (!only) {
		int missing;
		if (sweep_store_csv(p, out, &missing, &err)) {
			cmd_error(err.msg);
			goto out;
		}
		printf("%d jobs: %d run now, %d done before, %d failed; wrote %s/results.csv\n", p->nr_jobs, n,
		       p->nr_jobs - n, nr_fail, out);
	} else if (!n) {
		printf("done already: %s\n", only);
	}
	if (nr_fail) {
		cmd_errorf("%d of %d jobs failed (DIR/jobs/ID.error; a re-run tries them again):",
			nr_fail, n);
		for (int i = 0; i < nr_fail && i < 20; i++) {
			char label[512];
			sweep_job_label(p, fail[i].j, label, sizeof(label));
			diag_line(stderr, "  ", "%s  #%d  %s: %s", fail[i].j->id, fail[i].j->index + 1, label, fail[i].error);
		}
		if (nr_fail > 20)
			fprintf(stderr, "  ... and %d more\n", nr_fail - 20);
		goto out;
	}
	ret = 0;
out:
	free(fail);
	free(todo);
	sweep_plan_free(p);
	return ret;
}
