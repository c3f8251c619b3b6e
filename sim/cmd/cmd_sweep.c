/*
 * cassim sweep: run a plan's jobs (sweep.h) on local cores, resumable, or
 * hand them to GNU parallel or Slurm (--emit-jobs, --emit-slurm: `cassim
 * sweep ... --only ID,...` per job or array task; sweep_emit.c), merge result directories
 * (--merge) and compare policies with statistics (--report).
 *
 * The pending jobs go to one jobs_run_cb() call whose callback writes each
 * job's file (temporary file + rename) as the job finishes: a SIGKILL loses
 * the jobs in flight only, SIGINT/SIGTERM/SIGHUP kill the workers between
 * two files (jobs_run_cb) and leave only whole files.
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
#include <stdbool.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "base/param.h"
#include "cmd/cmd.h"
#include "cmd/opt.h"
#include "cmd/progress.h"
#include "study/jobs.h"
#include "study/sweep.h"
#include "report/file.h"
#include "base/xalloc.h"

#define DEFAULT_OUT "sweep-out"
#define CALIBRATION_NS (100 * NSEC_PER_MSEC) /* --dry-run times this much of a job */

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

/* ---- jobs of the plan as runs -------------------------------------------------------- */

/* A struct job for @j; its --set arrays are malloc'd (run_free). */
static int run_init(const struct sweep_plan *p, const struct sweep_job *j, struct job *r)
{
	const char **k = xcalloc((size_t)p->nr_axes + 1, sizeof(*k)), **v = xcalloc((size_t)p->nr_axes + 1, sizeof(*v));

	if (!k || !v) {
		free(k);
		free(v);
		return -1;
	}
	*r = (struct job){
		.topology = j->topology,
		.workload = j->workload,
		.policy = j->policy,
		.seed = j->seed,
		.duration = p->duration,
		.nr_sets = sweep_job_sets(p, j, k, v),
		.set_keys = k,
		.set_values = v,
	};
	return 0;
}

static void run_free(struct job *r, int n)
{
	jobs_free(r, n);
	for (int i = 0; i < n; i++) {
		free((void *)r[i].set_keys);
		free((void *)r[i].set_values);
	}
}

/*
 * Bad input stops the sweep before any run: check each job that brings a
 * value no checked job had (a topology, a workload with its parameter
 * values on a topology, a policy, a policy with one --set value), so every
 * value is checked once rather than every combination.  Returns 0 or the
 * exit status.
 */
static int precheck(const struct sweep_plan *p, const struct sweep_job **todo, int n)
{
	char **seen = NULL;
	int nr_seen = 0, rc = 0;

	for (int t = 0; t < n && !rc; t++) {
		const struct sweep_job *j = todo[t];
		char keys[64][1024];
		int nk = 0;
		bool fresh = false;
		size_t m;

		snprintf(keys[nk++], sizeof(keys[0]), "T %s", j->topology);
		m = (size_t)snprintf(keys[nk], sizeof(keys[0]), "W %s %s", j->topology, j->workload);
		for (int a = 0; a < p->nr_axes && m < sizeof(keys[0]); a++)
			if (j->values[a] && !p->axes[a].is_set)
				m += (size_t)snprintf(keys[nk] + m, sizeof(keys[0]) - m, " %s=%s", p->axes[a].name, j->values[a]);
		nk++;
		snprintf(keys[nk++], sizeof(keys[0]), "P %s", j->policy);
		for (int a = 0; a < p->nr_axes && nk < 64; a++)
			if (j->values[a] && p->axes[a].is_set)
				snprintf(keys[nk++], sizeof(keys[0]), "S %s %s=%s", j->policy, p->axes[a].name, j->values[a]);
		for (int k = 0; k < nk; k++) {
			bool have = false;
			for (int s = 0; s < nr_seen && !have; s++)
				have = !strcmp(seen[s], keys[k]);
			if (have)
				continue;
			fresh = true;
			char **ns = xrealloc(seen, (size_t)(nr_seen + 1) * sizeof(*ns));
			if (!ns || !(ns[nr_seen] = xstrdup(keys[k]))) {
				seen = ns ? ns : seen;
				rc = cmd_bad("out of memory");
				break;
			}
			seen = ns;
			nr_seen++;
		}
		if (fresh && !rc) {
			struct job r;
			char label[512];

			if (run_init(p, j, &r)) {
				rc = cmd_bad("out of memory");
				break;
			}
			if (job_check(&r)) {
				sweep_job_label(p, j, label, sizeof(label));
				rc = cmd_bad("%s: job %s #%d (%s): %s", p->file, j->id, j->index + 1, label, r.error);
			}
			run_free(&r, 1);
			diag_quiet_warnings(1); /* warnings once, from the first check */
		}
	}
	for (int s = 0; s < nr_seen; s++)
		free(seen[s]);
	free(seen);
	return rc;
}

/* ---- running ------------------------------------------------------------------------------ */

struct failure {
	const struct sweep_job *j;
	char error[1024];
};

/* What the callback needs, and what it leaves. */
struct sweep_run {
	const struct sweep_plan *p;
	const char *dir;
	const struct sweep_job **todo;
	struct failure *fail;
	int nr_fail;
	int on_disk;                /* DIR/jobs/ID.json files of the plan */
	char note[PATH_MAX + 128];  /* jobs_set_interrupt_note */
	struct diag err;            /* the file that could not be written */
};

/* jobs_run_cb's callback: save the job now (a later kill keeps it), drop
 * its result, count it. */
static void save_job(struct job *r, int i, void *arg)
{
	struct sweep_run *s = arg;

	if (sweep_store_save(s->dir, s->todo[i], r->status, r->error, r->result, &s->err)) {
		jobs_cancel();
		return;
	}
	json_decref(r->result);
	r->result = NULL;
	if (r->status) {
		s->fail[s->nr_fail].j = s->todo[i];
		snprintf(s->fail[s->nr_fail].error, sizeof(s->fail[0].error), "%s", r->error);
		s->nr_fail++;
	} else {
		s->on_disk++;
	}
	snprintf(s->note, sizeof(s->note), "%d of %d results on disk in %s (a re-run resumes)", s->on_disk,
		 s->p->nr_jobs, s->dir);
}

/* Run @todo on @workers, saving each job as it finishes.  Returns 0, or 1
 * if workers could not start or a file could not be written. */
static int run_jobs(const struct sweep_plan *p, const char *dir, const struct sweep_job **todo, int n, int workers,
		    bool progress, struct failure *fail, int *nr_fail)
{
	struct sweep_run s = { .p = p, .dir = dir, .todo = todo, .fail = fail };
	struct cmd_progress pr;
	struct job *runs = xcalloc((size_t)n, sizeof(*runs));
	int rc;

	for (int i = 0; i < n; i++)
		if (run_init(p, todo[i], &runs[i])) {
			run_free(runs, i);
			free(runs);
			cmd_bad("out of memory");
			return 1;
		}
	for (int i = 0; i < p->nr_jobs; i++)
		s.on_disk += sweep_store_done(dir, &p->jobs[i]);
	snprintf(s.note, sizeof(s.note), "%d of %d results on disk in %s (a re-run resumes)", s.on_disk, p->nr_jobs, dir);
	jobs_set_interrupt_note(s.note);
	rc = jobs_run_cb(runs, n, workers, cmd_progress(&pr, "sweep", progress), save_job, &s);
	*nr_fail = s.nr_fail;
	if (rc < 0) {
		const char *msg = "cannot start the workers";
		for (int i = 0; i < n; i++)
			if (!strncmp(runs[i].error, "cannot start", 12))
				msg = runs[i].error;
		cmd_error(msg);
	} else if (s.err.msg[0]) {
		cmd_error(s.err.msg);
	}
	run_free(runs, n);
	free(runs);
	return rc ? 1 : 0;
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

/*
 * The estimate: the first job of each (topology, workload) runs here for
 * min(its duration, 100 ms) simulated; its wall time, scaled linearly to the
 * job's simulated time, stands for each job of that pair, and the sum is
 * divided among the workers.  Rough: parameters (thread counts) and
 * policies change the cost too.
 */
static int dry_run(const struct sweep_plan *p, const char *dir, const struct sweep_job **todo, int n, int workers)
{
	char seeds[64];
	int done = p->nr_jobs - n;
	double total = 0;
	bool timed = true;

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
		       CALIBRATION_NS / 1e6);
	diag_quiet_warnings(1);
	for (int i = 0; i < n; i++) {
		bool first = true;
		double t0, wall;
		struct job r;

		for (int k = 0; k < i && first; k++)
			first = !(todo[k]->topology == todo[i]->topology && !strcmp(todo[k]->workload, todo[i]->workload));
		if (!first)
			continue;
		if (run_init(p, todo[i], &r))
			return cmd_bad("out of memory");
		r.duration = p->duration && p->duration < CALIBRATION_NS ? p->duration : CALIBRATION_NS;
		t0 = jobs_now_s();
		job_run_one(&r);
		wall = (jobs_now_s() - t0) * (double)(p->duration ? p->duration : CALIBRATION_NS) / (double)r.duration;
		timed &= !r.status;
		run_free(&r, 1);
		for (int k = i; k < n; k++)
			if (todo[k]->topology == todo[i]->topology && !strcmp(todo[k]->workload, todo[i]->workload))
				total += wall;
	}
	{
		int w = workers > 0 ? workers : online_cpus();
		char t[32];

		jobs_fmt_time(t, sizeof(t), total / (w < n ? w : n));
		printf("estimate: %s on %d workers (%.1f s of runs; timed %g ms of one job per topology and workload, scaled to each job%s)\n",
		       t, w < n ? w : n, total, (p->duration && p->duration < CALIBRATION_NS ? p->duration : CALIBRATION_NS) / 1e6,
		       timed ? "" : "; a timed run failed");
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
	struct failure *fail = NULL;
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
		ret = precheck(p, all, p->nr_jobs);
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
	if (n && run_jobs(p, out, todo, n, workers, !quiet, fail, &nr_fail))
		goto out;
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
