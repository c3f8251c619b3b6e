/*
 * cassim sweep: a plan file (JSON) names axes (topologies, workloads with
 * parameter grids, policies, a grid of --set tunables, seeds); the plan
 * expands into jobs in a fixed order, each with an id hashed from its
 * canonical spec, so that an id survives reordering the plan.  Results
 * live in DIR/jobs/<id>.json, written atomically as jobs finish; DIR/
 * results.csv is regenerated from them, byte-identical however the sweep
 * ran (locally, resumed, by GNU parallel or Slurm, then merged).
 *
 *   sweep_plan.c    plan parsing, expansion, ids, strides, filters
 *   sweep_store.c   job files, results.csv, merging directories
 *   sweep_report.c  the statistics report
 *   sweep_emit.c    job lines for GNU parallel, Slurm job-array scripts
 *   sweep_slurm.c   the Slurm options' values, --array ranges
 *   sweep_run.c     the check before any run, the runs, the time estimate
 *   cmd_sweep.c     the command: options in, this layer's calls, printing
 */
#ifndef CASSIM_STUDY_SWEEP_H
#define CASSIM_STUDY_SWEEP_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "base/diag.h"
#include "base/types.h"
#include "study/study.h"

#define SWEEP_ID_LEN 12 /* hex digits of a job id */

/* A parameter axis: a workload parameter or a --set key (a results.csv
 * column).  Workload parameters come first, then set keys, in plan order. */
struct sweep_axis {
	const char *name;
	bool is_set;
	int nr_values;        /* distinct values over the whole sweep */
	const char **values;  /* in order of first appearance */
};

struct sweep_job {
	int index;                  /* position in the plan's job order (shown as #index+1) */
	char id[SWEEP_ID_LEN + 1];
	const char *topology, *workload, *policy;
	uint64_t seed;
	const char **values;        /* [nr_axes]; NULL where the axis does not apply */
	json_t *spec;               /* canonical spec (topology, workload, params, policy, set, seed, duration) */
};

struct sweep_plan {
	char file[1024];
	json_t *root;                /* the plan as parsed */
	char *canonical;             /* the text of DIR/plan.json: sorted keys, indent 2 */
	simtime_t duration;          /* 0: the workloads' own */
	const char *baseline;        /* "baseline" or the first policy */
	int nr_topologies, nr_workloads, nr_policies, nr_seeds;
	const char **topologies, **workloads, **policies;
	uint64_t *seeds;
	int nr_axes;
	struct sweep_axis *axes;
	int nr_jobs, nr_filtered;    /* jobs kept; combinations the filters removed */
	struct sweep_job *jobs;
	char **pool;                 /* interned strings */
	int nr_pool;
};

/*
 * Parse @text (the plan file @file) and expand it into jobs; topologies are
 * loaded from @topo_dirs to expand strides.  Bad input: -1 with
 * "file:line:col: field: what (expected ...)" in @err, exit status 2.
 */
int sweep_plan_parse(const char *file, const char *text, size_t len, const char *const *topo_dirs,
		     struct sweep_plan **out, struct diag *err);
/* sweep_plan_parse on the contents of @path. */
int sweep_plan_load(const char *path, const char *const *topo_dirs, struct sweep_plan **out,
		    struct diag *err);
void sweep_plan_free(struct sweep_plan *p);

/* The job with id @id, or NULL. */
const struct sweep_job *sweep_plan_find(const struct sweep_plan *p, const char *id);

/* The --set pairs of @j (workload parameters, then set keys), pointing
 * into the plan; @keys and @values have room for nr_axes.  Returns n. */
int sweep_job_sets(const struct sweep_plan *p, const struct sweep_job *j, const char **keys,
		   const char **values);

/* "schbench workers=4 cas-v4 aggr_tolerance=2 seed 3 on spr-2s-1node-2llc" */
void sweep_job_label(const struct sweep_plan *p, const struct sweep_job *j, char *buf, size_t len);

/* ---- running the jobs (sweep_run.c) -------------------------------------- */

/*
 * Bad input stops the sweep before any run: check each job of @todo that
 * brings a value no checked job had (a topology, a workload with its
 * parameter values on a topology, a policy, a policy with one --set value),
 * so every value is checked once rather than every combination.  Returns 0,
 * or EXIT_BADINPUT after one @io->error.
 */
int sweep_precheck(const struct sweep_plan *p, const struct sweep_job **todo, int n, const struct study_io *io);

struct sweep_failure {
	const struct sweep_job *j;
	char error[1024];
};

/* Run @todo on @workers (<= 0: the online CPUs), shown by @display, saving
 * each job in @dir as it finishes; the failed jobs go to @fail (room for
 * @n) and *@nr_fail.  Returns 0, or 1 after an @io->error if the workers
 * could not start or a file could not be written. */
struct jobs_display;
int sweep_run_jobs(const struct sweep_plan *p, const char *dir, const struct sweep_job **todo, int n, int workers,
		   const struct jobs_display *display, struct sweep_failure *fail, int *nr_fail,
		   const struct study_io *io);

/* --dry-run times this much simulated time of a job (or the plan's
 * duration if shorter). */
#define SWEEP_CALIBRATION_NS (100 * NSEC_PER_MSEC)

struct sweep_estimate {
	double total_s;     /* wall seconds of every job of @todo, one after another */
	simtime_t timed_ns; /* simulated time of each timed run */
	bool all_ok;        /* every timed run succeeded */
};

/*
 * The time estimate: the first job of each (topology, workload) of @todo
 * runs here for timed_ns simulated; its wall time, scaled linearly to the
 * job's simulated time, stands for each job of that pair.  Rough:
 * parameters (thread counts) and policies change the cost too.  0, or -1
 * with @err.
 */
int sweep_estimate(const struct sweep_plan *p, const struct sweep_job **todo, int n, struct sweep_estimate *e,
		   struct diag *err);

/* ---- the result directory (sweep_store.c) --------------------------------- */

/* DIR/plan.json: write it, or check that it holds this plan (-1 with
 * @err if it holds another). */
int sweep_store_plan(const struct sweep_plan *p, const char *dir, struct diag *err);
/* @path holds @text from now on: write it if absent (atomically, one
 * writer wins a race); 0 if written or equal, 1 if it holds another text
 * (left as it is), -1 with @err. */
int sweep_store_once(const char *path, const char *text, struct diag *err);

/* Lock DIR (flock on the directory) for this process: exclusive for a whole sweep,
 * @shared for --only jobs; -1 with @err naming the holder's pid if another
 * sweep has it. */
int sweep_store_lock(const char *dir, bool shared, struct diag *err);

/* Is the job done (DIR/jobs/<id>.json present)? */
bool sweep_store_done(const char *dir, const struct sweep_job *j);
/* The job's result (the run's JSON, a new reference) into *result: 0;
 * 1 if the job has no result file; -1 with @err if the file is not this
 * job's result. */
int sweep_store_load(const char *dir, const struct sweep_job *j, json_t **result, struct diag *err);
/* Record a finished job: DIR/jobs/<id>.json with @result when @status is 0,
 * DIR/jobs/<id>.error (its one-line message) otherwise; atomic. */
int sweep_store_save(const char *dir, const struct sweep_job *j, int status, const char *error,
		     json_t *result, struct diag *err);
/* The message of a failed job's .error file, into @buf; 0, or -1 if none. */
int sweep_store_error(const char *dir, const struct sweep_job *j, char *buf, size_t len);

/* DIR/results.csv from the job files, in job order (atomic).  *missing:
 * jobs without a result. */
int sweep_store_csv(const struct sweep_plan *p, const char *dir, int *missing, struct diag *err);

/* cassim sweep --merge: the job files of @dirs (one plan) into @out, then
 * @out/results.csv; a summary line on @io->out, the missing jobs listed
 * under an @io->error.  Exit status: 0, 1 jobs missing, 2 different plans
 * or two different results of one job (nothing written). */
int sweep_store_merge(const char *out, const char *const *dirs, int nr_dirs, const char *const *topo_dirs,
		      const struct study_io *io);

/* A whole file, NUL-terminated (free it); NULL with @err. */
char *sweep_read_file(const char *path, size_t *len, struct diag *err);

/* mkdir -p DIR and DIR/jobs. */
int sweep_store_mkdirs(const char *dir, struct diag *err);

/* ---- GNU parallel and Slurm (sweep_slurm.c: option values; sweep_emit.c) ---- */

/* The #SBATCH defaults: an hour and 1 GB per task (a task runs
 * --jobs-per-task jobs), Slurm's own default MaxArraySize, and at most 100
 * tasks of an array at a time. */
#define SWEEP_SLURM_TIME "1:00:00"
#define SWEEP_SLURM_MEM "1G"
#define SWEEP_SLURM_MAX_ARRAY 1001
#define SWEEP_SLURM_MAX_RUNNING 100

struct sweep_slurm_opts {
	const char *time, *mem;   /* #SBATCH --time, --mem */
	const char *partition;    /* NULL: the cluster's default */
	const char *output;       /* NULL: DIR/slurm/%x-%A_%a.out; relative: to the current directory */
	int max_array_size;       /* array indices 0..N-1 (the cluster's MaxArraySize) */
	int max_running;          /* the array's %N throttle; 0: none */
	int jobs_per_task;        /* jobs one array task runs, one after another */
};

void sweep_slurm_defaults(struct sweep_slurm_opts *o);
/* Check the value of option --@name (time, mem, partition, output,
 * max-array-size, max-running, jobs-per-task) and set it: 0, or -1 with
 * "--NAME VALUE: expected ..." in @err. */
int sweep_slurm_option(struct sweep_slurm_opts *o, const char *name, const char *value, struct diag *err);
bool sweep_slurm_time_ok(const char *s);
bool sweep_slurm_mem_ok(const char *s);
/* A path sbatch reads from an #SBATCH line as it is: no blank, quote,
 * backslash or control character. */
bool sweep_slurm_word_ok(const char *s);
/* The indices set in @set[0..n-1] as Slurm's --array ranges, "0-3,7,9-12",
 * into @buf (truncated to @len); returns the full length. */
size_t sweep_slurm_ranges(const bool *set, int n, char *buf, size_t len);

/* One shell line per job of @todo into @file: cd here, then this cassim on
 * DIR/plan.json --out DIR --quiet --only ID. */
int sweep_emit_jobs(const char *file, const char *dir, const struct sweep_job **todo, int n, struct diag *err);
/* The Slurm job-array script(s) for the tasks holding a job of @todo (the
 * pending jobs), at @arg (a file, or DIR/ for DIR/cassim-sweep.sbatch),
 * and DIR/slurm/tasks-K.txt; prints what it wrote and how to submit it.
 * 0; 1 (bad input) if the task list there is not this plan's or the
 * output path has a blank or quote; -1 with @err if a file cannot be
 * written. */
int sweep_emit_slurm(const struct sweep_plan *p, const char *dir, const char *arg, const struct sweep_slurm_opts *o,
		     const struct sweep_job **todo, int n, struct diag *err);

/* ---- the report (sweep_report.c) --------------------------------------------- */

struct sweep_report_opts {
	const char *baseline;  /* NULL: the plan's */
	const char *metric;    /* NULL: every metric */
	bool paired;           /* paired t-test by seed instead of Welch */
	const char *csv;       /* also write this CSV */
	bool json;             /* JSON on @io->out instead of the tables */
};

/* The report's tables (or JSON) on @io->out, errors to @io->error.  Returns
 * the exit status (0, 1 if jobs are missing, 2 bad input). */
int sweep_report(const struct sweep_plan *p, const char *dir, const struct sweep_report_opts *o,
		 const struct study_io *io);

#endif
