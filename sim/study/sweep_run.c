/*
 * Running a sweep plan's jobs (sweep.h): the check of every input before
 * any run, the runs on the worker pool with each job saved as it ends, and
 * the calibration behind --dry-run's time estimate.  cmd/cmd_sweep.c parses
 * the options and prints; this file never prints, errors go to the caller's
 * study_io or struct diag.
 *
 * The pending jobs go to one jobs_run_cb() call whose callback writes each
 * job's file (temporary file + rename) as the job finishes: a SIGKILL loses
 * the jobs in flight only, SIGINT/SIGTERM/SIGHUP kill the workers between
 * two files (jobs_run_cb) and leave only whole files.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/xalloc.h"
#include "study/jobs.h"
#include "study/sweep.h"

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

/* ---- the check before any run ---------------------------------------------------------- */

int sweep_precheck(const struct sweep_plan *p, const struct sweep_job **todo, int n, const struct study_io *io)
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
				study_errorf(io, "out of memory");
				rc = EXIT_BADINPUT;
				break;
			}
			seen = ns;
			nr_seen++;
		}
		if (fresh && !rc) {
			struct job r;
			char label[512];

			if (run_init(p, j, &r)) {
				study_errorf(io, "out of memory");
				rc = EXIT_BADINPUT;
				break;
			}
			if (job_check(&r)) {
				sweep_job_label(p, j, label, sizeof(label));
				study_errorf(io, "%s: job %s #%d (%s): %s", p->file, j->id, j->index + 1, label, r.error);
				rc = EXIT_BADINPUT;
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

/* What the callback needs, and what it leaves. */
struct sweep_run {
	const struct sweep_plan *p;
	const char *dir;
	const struct sweep_job **todo;
	struct sweep_failure *fail;
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

int sweep_run_jobs(const struct sweep_plan *p, const char *dir, const struct sweep_job **todo, int n, int workers,
		   const struct jobs_display *display, struct sweep_failure *fail, int *nr_fail,
		   const struct study_io *io)
{
	struct sweep_run s = { .p = p, .dir = dir, .todo = todo, .fail = fail };
	struct job *runs = xcalloc((size_t)n, sizeof(*runs));
	int rc;

	for (int i = 0; i < n; i++)
		if (run_init(p, todo[i], &runs[i])) {
			run_free(runs, i);
			free(runs);
			study_errorf(io, "out of memory");
			return 1;
		}
	for (int i = 0; i < p->nr_jobs; i++)
		s.on_disk += sweep_store_done(dir, &p->jobs[i]);
	snprintf(s.note, sizeof(s.note), "%d of %d results on disk in %s (a re-run resumes)", s.on_disk, p->nr_jobs, dir);
	jobs_set_interrupt_note(s.note);
	rc = jobs_run_cb(runs, n, workers, display, save_job, &s);
	*nr_fail = s.nr_fail;
	if (rc < 0) {
		const char *msg = "cannot start the workers";
		for (int i = 0; i < n; i++)
			if (!strncmp(runs[i].error, "cannot start", 12))
				msg = runs[i].error;
		io->error(msg);
	} else if (s.err.msg[0]) {
		io->error(s.err.msg);
	}
	run_free(runs, n);
	free(runs);
	return rc ? 1 : 0;
}

/* ---- the time estimate (--dry-run) ------------------------------------------------------- */

int sweep_estimate(const struct sweep_plan *p, const struct sweep_job **todo, int n, struct sweep_estimate *e,
		   struct diag *err)
{
	simtime_t full = p->duration ? p->duration : SWEEP_CALIBRATION_NS;

	*e = (struct sweep_estimate){
		.timed_ns = p->duration && p->duration < SWEEP_CALIBRATION_NS ? p->duration : SWEEP_CALIBRATION_NS,
		.all_ok = true,
	};
	for (int i = 0; i < n; i++) {
		bool first = true;
		double t0, wall;
		struct job r;

		for (int k = 0; k < i && first; k++)
			first = !(todo[k]->topology == todo[i]->topology && !strcmp(todo[k]->workload, todo[i]->workload));
		if (!first)
			continue;
		if (run_init(p, todo[i], &r))
			return diag_set(err, "out of memory");
		r.duration = e->timed_ns;
		t0 = jobs_now_s();
		job_run_one(&r);
		wall = (jobs_now_s() - t0) * (double)full / (double)r.duration;
		e->all_ok &= !r.status;
		run_free(&r, 1);
		for (int k = i; k < n; k++)
			if (todo[k]->topology == todo[i]->topology && !strcmp(todo[k]->workload, todo[i]->workload))
				e->total_s += wall;
	}
	return 0;
}
