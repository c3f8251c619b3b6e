/*
 * A run from a spec (struct job): the one place that wires a run together
 * (policy, --set values routed to their namespace, topology, machine
 * profile, workload, sched domains, trace sinks) and calls sim_run.  Also
 * the core of `cassim run`; the worker pool (pool.c) calls it in each
 * worker.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "study/jobs.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "base/param.h"
#include "base/suggest.h"
#include "base/xalloc.h"
#include "report/report.h"
#include "report/timeline.h"
#include "report/trace.h"
#include "simulation.h"
#include "study/sets.h"
#include "study/study.h"

#define KEY_MAX 64 /* as cassim run: a --set key is shorter than this */

/* ---- one job ------------------------------------------------------------ */

static bool is_file(const char *p)
{
	struct stat st;
	return stat(p, &st) == 0 && S_ISREG(st.st_mode);
}

/* A workload argument is a path, or a shipped name looked up in the data
 * directories (with or without .json).  A name that is neither: NULL, with
 * the shipped names in @err. */
static const char *resolve_workload(const char *arg, char *buf, size_t len, struct diag *err)
{
	char **names = NULL, hint[160], list[DIAG_MSG_MAX / 2];
	int n;

	if (is_file(arg) || strchr(arg, '/'))
		return arg;
	for (const char *const *d = study_data_dirs("workloads"); *d; d++) {
		snprintf(buf, len, "%s/%s", *d, arg);
		if (is_file(buf))
			return buf;
		snprintf(buf, len, "%s/%s.json", *d, arg);
		if (is_file(buf))
			return buf;
	}
	n = suggest_files(study_data_dirs("workloads"), ".json", &names);
	if (n < 0)
		n = 0;
	suggest_hint(hint, sizeof(hint), arg, (const char *const *)names, n);
	suggest_join(list, sizeof(list), (const char *const *)names, n);
	diag_set(err, "--workload %s: no workload named %s%s (shipped: %s; or give a workload file's path)",
		 arg, arg, hint, n ? list : "none found");
	suggest_names_free(names, n);
	return NULL;
}

/* Add @name to the candidate list @v (of *n, room for @cap). */
static void cand_add(const char **v, int *n, int cap, const char *name)
{
	if (*n < cap)
		v[(*n)++] = name;
}

/* The message for a --set key nothing took: the policies that have it as a
 * tunable when the chosen one does not (a cache-aware tunable with -p cfs),
 * else the closest known key. */
static void unknown_set(struct diag *err, const struct wl_set *s, const struct policy *pol,
			const struct workload *w, const char *wl_path)
{
	int nr, n = 0, cap;
	const struct policy *const *pl = policy_list(&nr);
	char owners[512] = "", hint[160];
	size_t k = 0;
	const char **v;

	for (int i = 0; i < nr; i++)
		if (pl[i] != pol && param_find(pl[i]->params, pl[i]->nr_params, s->name) && k < sizeof(owners))
			k += (size_t)snprintf(owners + k, sizeof(owners) - k, "%s%s", k ? ", " : "", pl[i]->name);
	if (k) {
		diag_set(err, "--set %s=%s: not a tunable of %s but of %s (choose one of those with --policy)",
			 s->name, s->value, pol->name, owners);
		return;
	}
	cap = (int)sched_nr_param_defs + MP_NR + w->nr_params;
	for (int i = 0; i < nr; i++)
		cap += (int)pl[i]->nr_params;
	v = xcalloc((size_t)cap, sizeof(*v));
	if (v) {
		for (size_t i = 0; i < sched_nr_param_defs; i++)
			cand_add(v, &n, cap, sched_param_defs[i].name);
		for (int i = 0; i < MP_NR; i++)
			cand_add(v, &n, cap, model_param_defs[i].name);
		for (int i = 0; i < w->nr_params; i++)
			cand_add(v, &n, cap, w->param_names[i]);
		for (int i = 0; i < nr; i++)
			for (size_t j = 0; j < pl[i]->nr_params; j++)
				cand_add(v, &n, cap, pl[i]->params[j].name);
	}
	suggest_hint(hint, sizeof(hint), s->name, v, n);
	free(v);
	diag_set(err, "--set %s=%s: unknown key%s (not a scheduler tunable, a machine-model value nor a "
		 "parameter of %s; see cassim run --help)", s->name, s->value, hint, wl_path);
}

/* wl_load failed on @path with the --set values @sets: if the workload
 * loads without them, the error is a --set value's: name the --set (the
 * first that fails alone; the others' keys are tunables the workload
 * ignores, or its parameters) instead of a line of the workload file,
 * which the user did not write. */
static void blame_set(struct diag *err, const char *path, const struct wl_opts *o, const struct wl_set *sets,
		      int nr_sets)
{
	struct workload *w = NULL;
	struct diag e2 = { { 0 } };
	const char *msg = err->msg;
	size_t pl = strlen(path);
	int culprit = -1;

	/* the thread cap already names the --set values it came from (wl_proc.c
	 * check_thread_count); reloading with each --set alone could expand
	 * hundreds of thousands of threads for nothing */
	if (strstr(msg, " in a workload; from --set "))
		return;
	if (wl_load(path, o, NULL, 0, &w, &e2))
		return; /* the file itself is bad */
	wl_free(w);
	for (int i = 0; i < nr_sets && culprit < 0; i++) {
		struct wl_set one = { sets[i].name, sets[i].value, false };

		w = NULL;
		if (wl_load(path, o, &one, 1, &w, &e2))
			culprit = i;
		wl_free(w);
	}
	if (culprit < 0)
		return;
	/* "PATH:LINE:COL: what" -> "what" */
	if (!strncmp(msg, path, pl) && msg[pl] == ':') {
		const char *p = msg + pl + 1;

		p += strspn(p, "0123456789");
		if (*p == ':')
			p += 1 + strspn(p + 1, "0123456789");
		if (*p == ':' && p[1] == ' ')
			msg = p + 2;
	}
	snprintf(e2.msg, sizeof(e2.msg), "%s", msg);
	diag_set(err, "--set %s=%s: rejected by the workload %s: %s", sets[culprit].name, sets[culprit].value,
		 path, e2.msg);
}

static void job_fail(struct job *job, int status, const char *msg)
{
	size_t n = strlen(msg);

	if (n >= sizeof(job->error))
		n = sizeof(job->error) - 1;
	memcpy(job->error, msg, n);
	job->error[n] = '\0';
	job->status = status;
}

/*
 * Everything `cassim run` does between parsing its options and printing:
 * policy and its tunables, --set routing (scheduler tunables, then the
 * policy's, then machine-model values, then workload parameters; anything
 * left is an unknown key), topology, profile, workload, sched domains and,
 * with @simulate, the run itself (filling @res and job->result).
 */
static void job_exec(struct job *job, bool simulate, struct results *res)
{
	struct sim_config cfg;
	struct machine_profile prof;
	struct wl_opts wlo = { 0 };
	struct diag err = { { 0 } };
	struct topo *topo = NULL;
	struct sd_topology *sdt = NULL;
	struct workload *w = NULL;
	struct wl_set *sets = NULL;
	char (*keys)[KEY_MAX] = NULL;
	char wlbuf[4096];
	void *polbuf = NULL;
	json_t *config = NULL;
	struct trace_json *tj = NULL;
	struct timeline *tl = NULL;
	const struct trace_sink *sinks[2];
	int nr_sinks = 0;
	int status = EXIT_BADINPUT;
	int nr_sets = job->nr_sets > 0 ? job->nr_sets : 0;

	job->status = 0;
	job->error[0] = '\0';
	json_decref(job->result);
	job->result = NULL;
	if (res)
		memset(res, 0, sizeof(*res));

	sim_config_init(&cfg);
	cfg.seed = job->seed;
	cfg.duration = job->duration;
	cfg.policy = policy_find(job->policy ? job->policy : "cfs");
	if (!cfg.policy) {
		char names[1024];
		char hint[160];

		policy_names(names, sizeof(names));
		diag_set(&err, "--policy %s: unknown policy%s (expected one of: %s)", job->policy,
			 policy_hint(hint, sizeof(hint), job->policy), names);
		goto fail;
	}
	if (nr_sets) {
		sets = xcalloc((size_t)nr_sets, sizeof(*sets));
		keys = xcalloc((size_t)nr_sets, sizeof(*keys));
	}
	for (int i = 0; i < nr_sets; i++) {
		size_t kl = strlen(job->set_keys[i]);
		if (!kl || kl >= KEY_MAX) {
			diag_set(&err, "--set %s=%s: expected KEY=VALUE", job->set_keys[i], job->set_values[i]);
			goto fail;
		}
		memcpy(keys[i], job->set_keys[i], kl + 1);
		sets[i] = (struct wl_set){ keys[i], job->set_values[i], false };
	}
	if (cfg.policy->params_size) {
		polbuf = xcalloc(1, cfg.policy->params_size);
		param_defaults(cfg.policy->params, cfg.policy->nr_params, polbuf);
		cfg.policy_params = polbuf;
	}
	/* scheduler tunables first, then the policy's; machine-model values
	 * and workload parameters below */
	for (int i = 0; i < nr_sets; i++) {
		const struct param_def *d = NULL;
		void *cfgp = NULL;

		switch (set_namespace(sets[i].name, cfg.policy)) {
		case SET_SCHED:
			d = param_find(sched_param_defs, sched_nr_param_defs, sets[i].name);
			cfgp = &cfg.sp;
			break;
		case SET_POLICY:
			d = param_find(cfg.policy->params, cfg.policy->nr_params, sets[i].name);
			cfgp = polbuf;
			break;
		case SET_PROFILE:
		case SET_WORKLOAD:
			continue;
		}
		if (param_set(d, sets[i].value, cfgp, &err))
			goto fail;
		sets[i].used = true;
	}
	cfg.topology_spec = job->topology;
	if (topo_load(job->topology, study_data_dirs("topologies"), &topo, &err))
		goto fail;
	if (profile_for_topo(topo, job->profile, &prof, &err))
		goto fail;
	for (int i = 0; i < nr_sets; i++)
		if (!sets[i].used && set_namespace(sets[i].name, cfg.policy) == SET_PROFILE) {
			if (profile_set(&prof, sets[i].name, sets[i].value, &err))
				goto fail;
			sets[i].used = true;
		}
	if (!job->no_model)
		cfg.prof = &prof;
	cfg.workload_path = resolve_workload(job->workload, wlbuf, sizeof(wlbuf), &err);
	if (!cfg.workload_path)
		goto fail;
	wlo.nr_cpus = topo->nr_cpus;
	wlo.nr_nodes = topo->nr_nodes;
	wlo.lenient = job->lenient;
	if (wl_load(cfg.workload_path, &wlo, sets, nr_sets, &w, &err)) {
		blame_set(&err, cfg.workload_path, &wlo, sets, nr_sets);
		goto fail;
	}
	for (int i = 0; i < nr_sets; i++)
		if (!sets[i].used) {
			unknown_set(&err, &sets[i], cfg.policy, w, cfg.workload_path);
			goto fail;
		}
	if (sd_build(topo, &sdt, &err))
		goto fail;
	if (simulate) {
		struct results local, *r = res ? res : &local;
		struct trace_window win = { job->trace_from, job->trace_to > 0 ? job->trace_to : -1 };

		/* the trace files, before the run (cmd_run probed them already) */
		status = EXIT_OUTPUT;
		if (job->trace_path && !(tj = trace_json_open(job->trace_path, win, &err)))
			goto fail;
		if (job->timeline_path && !(tl = timeline_open(job->timeline_path, win, &err)))
			goto fail;
		if (tj)
			sinks[nr_sinks++] = trace_json_sink(tj);
		if (tl)
			sinks[nr_sinks++] = timeline_sink(tl);
		cfg.trace_sinks = sinks;
		cfg.nr_trace_sinks = nr_sinks;
		config = sim_config_json(&cfg, topo, w);
		if (sim_run(&cfg, topo, sdt, w, r, &err)) {
			status = 1;
			sim_results_free(r);
			memset(r, 0, sizeof(*r));
			goto fail;
		}
		/* a commit frees its writer, whether it works or not */
		status = 1;
		if (tj) {
			int e = trace_json_commit(tj, &err);
			tj = NULL;
			if (e)
				goto fail_results;
		}
		if (tl) {
			int e = timeline_commit(tl, &err);
			tl = NULL;
			if (e)
				goto fail_results;
		}
		job->result = report_json(r, config);
		if (!job->result) {
			diag_set(&err, "out of memory");
			goto fail_results;
		}
		if (!res)
			sim_results_free(&local);
		goto out;
fail_results:
		if (res)
			sim_results_free(res), memset(res, 0, sizeof(*res));
		else
			sim_results_free(&local);
		goto fail;
	}
	goto out;
fail:
	job_fail(job, status, err.msg);
out:
	trace_json_abort(tj);
	timeline_abort(tl);
	json_decref(config);
	free(polbuf);
	free(sets);
	free(keys);
	wl_free(w);
	sd_free(sdt);
	topo_free(topo);
}

void job_run_one(struct job *job)
{
	job_exec(job, true, NULL);
}

void job_run_results(struct job *job, struct results *res)
{
	job_exec(job, true, res);
}

int job_check(struct job *job)
{
	job_exec(job, false, NULL);
	return job->status ? -1 : 0;
}

void jobs_free(struct job *jobs, int nr)
{
	for (int i = 0; i < nr; i++) {
		json_decref(jobs[i].result);
		jobs[i].result = NULL;
	}
}

/* ---- progress ------------------------------------------------------------ */

