/*
 * Many runs in parallel, for compare, validate and sweep: each job is one
 * (topology, workload, policy, --set list, seed) run executed in a forked
 * worker process (isolation: a crash or an out-of-memory loses one job, not
 * the batch), whose results come back as the run's result JSON.
 * Deterministic: a job's result does not depend on the number of workers
 * or the order they finish in.
 */
#ifndef CASSIM_STUDY_JOBS_H
#define CASSIM_STUDY_JOBS_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "base/types.h"

struct job {
	/* input */
	const char *topology;        /* topology spec */
	const char *workload;        /* path or shipped name */
	const char *policy;          /* policy name */
	uint64_t seed;
	simtime_t duration;          /* 0: the workload's */
	int nr_sets;
	const char *const *set_keys; /* --set KEY=VALUE pairs */
	const char *const *set_values;
	bool no_model;               /* machine model off */
	const char *profile;         /* machine profile name; NULL: the topology's */
	bool lenient;                /* rt-app files: skip unsupported events */
	/* cassim run: the run's Chrome trace JSON and timeline CSV (NULL: none),
	 * written atomically by job_run_one, and their window [from, to)
	 * (trace_to 0: the end of the run); an unwritable path is status 1 */
	const char *trace_path;
	const char *timeline_path;
	simtime_t trace_from, trace_to;
	/* output */
	int status;                  /* 0 ok, 1 run failed or output unwritable, 2 bad input */
	char error[1024];            /* the one-line message when status != 0 */
	json_t *result;              /* the run's JSON (report_json: config + results), owned */
};

/*
 * How a batch shows itself (a verb draws it: cmd/progress.c): @update after
 * each job that finished (@tick false) and on a timer tick about every
 * quarter second (@tick true); @clear before anything else is printed;
 * @interrupted when a signal ends the batch, with what stays (@note).
 */
struct jobs_display {
	void (*update)(void *arg, int done, int total, bool tick);
	void (*clear)(void *arg);
	void (*interrupted)(void *arg, int done, int total, const char *note);
	void *arg;
};

/*
 * Run @nr jobs on up to @workers processes (<= 0: the online CPUs), shown
 * by @display (NULL: nothing).  Returns 0 when every job ran (each job's
 * status says how it went), -1 if workers could not be started, 1 after
 * jobs_cancel().
 *
 * @done, if not NULL, is called in this process as each job finishes, in
 * completion order, with the job (status, error, result filled), its index
 * and @arg; it runs before the progress line counts the job.  It may take
 * job->result (set it to NULL) so that a long batch does not hold every
 * result.  SIGINT, SIGTERM and SIGHUP wait until a running callback
 * returns, then kill and reap the workers, tell @display->interrupted and
 * end the process with the signal: what callbacks did stays, the jobs in
 * flight are lost.
 */
int jobs_run_cb(struct job *jobs, int nr, int workers, const struct jobs_display *display,
		void (*done)(struct job *job, int index, void *arg), void *arg);
/* jobs_run_cb without a callback: the results are in @jobs on return. */
int jobs_run(struct job *jobs, int nr, int workers, const struct jobs_display *display);

/* From a done callback (a result that cannot be saved): start no more
 * jobs, kill the ones in flight; jobs_run_cb returns 1, the jobs that did
 * not finish keep status 1, "not run". */
void jobs_cancel(void);

/* The note of the next jobs_run_cb call's interruption, which
 * the caller may rewrite from its callback (a sweep: how many results are
 * on disk); default "nothing written", or "the runs in flight are lost"
 * with a callback.  Reset when jobs_run_cb returns. */
void jobs_set_interrupt_note(const char *note);
void jobs_free(struct job *jobs, int nr);

/*
 * Run one job in this process (what each worker does; also `cassim run`'s
 * core): load the topology, profile, policy tunables, workload and --set
 * values, simulate, and fill job->result.  Errors go to job->status/error.
 */
void job_run_one(struct job *job);

/*
 * job_run_one without the simulation: load and check every input (policy,
 * topology, profile, workload, --set routing).  Returns 0, or -1 with
 * job->status and job->error set as job_run_one would set them; no result.
 * Lets a batch refuse bad input before it forks anything.
 */
int job_check(struct job *job);

/* job_run_one that also hands back the raw results (cassim run prints them
 * as text and CSV).  @res is filled when job->status is 0 (free it with
 * sim_results_free), zeroed otherwise. */
struct results;
void job_run_results(struct job *job, struct results *res);

/* Monotonic wall-clock seconds (progress, ETAs, calibration). */
double jobs_now_s(void);

/* @s seconds as progress lines print them: MM:SS, or H:MM:SS from an
 * hour on. */
void jobs_fmt_time(char *buf, size_t len, double s);

#endif
