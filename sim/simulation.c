#include "simulation.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/eq.h"
#include "base/rng.h"
#include "base/xalloc.h"
#include "hw/freq.h"
#include "hw/perf.h"
#include "policies/cas.h"
#include "sched/numa.h"
#include "sched/osnoise.h"
#include "sched/sched.h"
#include "sched/trace.h"
#include "workload/wl_interp.h"

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

void sim_config_init(struct sim_config *c)
{
	memset(c, 0, sizeof(*c));
	c->policy = &policy_cfs;
	c->seed = 1;
	sched_params_defaults(&c->sp);
}

simtime_t sim_duration(const struct sim_config *c, const struct workload *w)
{
	if (c->duration > 0)
		return c->duration;
	if (w && w->duration > 0)
		return w->duration;
	return SIM_DEFAULT_DURATION;
}

/* The names and places trace sinks label their events with. */
struct sim_layout {
	struct trace_layout l;
	int *cpu_llc, *cpu_node, *task_proc;
	const char **task_name, **proc_name;
};

struct sim {
	const struct workload *w;
	const struct sim_config *c;
	struct wl_interp *in;
	struct sched *s;
	struct perf *pf;
	struct perf_mem **pmem; /* [thread][op]: the machine model's view of each run op */
	struct osnoise *noise;  /* background OS activity, NULL = off */
	simtime_t phase;        /* when the workload starts, within the first tick */
	struct sim_layout lay;
};

static struct task_action thread_next(void *ctx, struct task *t)
{
	struct sim *sim = ctx;
	struct wl_act wa;
	struct task_action a;

	if (t->kthread)
		return osnoise_next(sim->noise, t);
	wa = wl_interp_next(sim->in, t->id);
	a = (struct task_action){ .ns = wa.ns, .target = wa.target, .sync = wa.sync };
	switch (wa.kind) {
	case WA_RUN:
		a.kind = ACT_RUN;
		a.mem = &sim->pmem[t->id][wa.op];
		break;
	case WA_SPIN:
		a.kind = ACT_SPIN;
		break;
	case WA_CHARGE:
		a.kind = ACT_CHARGE;
		break;
	case WA_SLEEP:
		a.kind = ACT_SLEEP;
		break;
	case WA_WAKE:
		a.kind = ACT_WAKE;
		break;
	case WA_BLOCK:
		a.kind = ACT_WAIT;
		break;
	case WA_EXIT:
		a.kind = ACT_EXIT;
		break;
	}
	return a;
}

static const char *thread_proc_name(void *ctx, int process)
{
	struct sim *sim = ctx;
	return process >= 0 && process < sim->w->nr_procs ? sim->w->procs[process].name : NULL;
}

/* ---- what the interpreter needs from the outside world */

static simtime_t env_now(void *ctx)
{
	return eq_now(((struct sim *)ctx)->s->eq);
}

static int env_cpu_of(void *ctx, int tid)
{
	return ((struct sim *)ctx)->s->tasks[tid]->cpu;
}

static void env_spin_release(void *ctx, int tid)
{
	struct sim *sim = ctx;
	sched_spin_release(sim->s, sim->s->tasks[tid]);
}

static double env_xfer_ns(void *ctx, int from_cpu, int to_cpu, double bytes)
{
	struct sim *sim = ctx;
	return sim->pf && from_cpu >= 0 ? perf_xfer_ns(sim->pf, from_cpu, to_cpu, bytes) : 0;
}

static double env_syscall_ns(void *ctx, bool socket)
{
	const struct machine_profile *p = ((struct sim *)ctx)->c->prof;
	return p ? p->v[MP_syscall_ns] + (socket ? p->v[MP_sock_extra_ns] : 0) : 0;
}

/* task_struct on_cpu: the task is its CPU's current one. */
static bool env_on_cpu(void *ctx, int tid)
{
	const struct sched *s = ((struct sim *)ctx)->s;
	const struct task *p = s->tasks[tid];

	return s->rq[p->cpu].curr == p;
}

static void env_hotplug(void *ctx, int cpu, bool online)
{
	sched_cpu_hotplug(((struct sim *)ctx)->s, cpu, online);
}

static void add_counters(struct task_counters *d, const struct task_counters *c)
{
	d->work_ns += c->work_ns;
	d->cpu_ns += c->cpu_ns;
	d->overhead_ns += c->overhead_ns;
	d->spin_ns += c->spin_ns;
	d->wait_ns += c->wait_ns;
	d->nr_wakeups += c->nr_wakeups;
	d->nr_switches += c->nr_switches;
	d->loops_done += c->loops_done;
	for (int k = 0; k < MIG_NR; k++)
		d->nr_migrations[k] += c->nr_migrations[k];
}

/* The workload's own metrics, the way its benchmark reports them: rates
 * over the time until every thread exited when they all did (hackbench's
 * "Time:"), else over the run. */
static void collect_bench_metrics(struct sim *sim, struct results *r)
{
	const struct workload *w = sim->w;
	bool done = sim->s->nr_exits == (uint64_t)w->nr_threads;
	double secs = (double)((done ? sim->s->last_exit : r->duration_ns) - sim->phase) / 1e9;

	r->metrics = xcalloc((size_t)w->nr_metrics + 1, sizeof(*r->metrics));
	r->nr_metrics = w->nr_metrics;
	for (int i = 0; i < w->nr_metrics; i++) {
		const struct wl_metric *m = &w->metrics[i];
		struct bench_metric *b = &r->metrics[i];

		snprintf(b->name, sizeof(b->name), "%s", m->name);
		snprintf(b->unit, sizeof(b->unit), "%s", m->unit);
		b->higher_is_better = m->higher_is_better;
		switch (m->kind) {
		case WL_METRIC_ELAPSED:
			b->value = secs;
			b->incomplete = !done;
			if (m->src >= 0) {
				/* "since": from the counter's last change (e.g. the
				 * last thread leaving its warm-up) to the end */
				simtime_t from = wl_interp_counter_at(sim->in, m->src);
				if (wl_interp_counter(sim->in, m->src) != 0)
					b->value = (double)((done ? sim->s->last_exit : r->duration_ns) - from) / 1e9;
				else
					b->incomplete = true; /* never counted: no window */
			}
			break;
		case WL_METRIC_RATE:
			b->value = secs > 0 ? wl_interp_counter(sim->in, m->src) * m->scale / secs : 0;
			break;
		case WL_METRIC_TOTAL:
			b->value = wl_interp_counter(sim->in, m->src) * m->scale;
			break;
		case WL_METRIC_LATENCY:
			b->latency = true;
			b->h = *wl_interp_hist(sim->in, m->src);
			b->value = hist_mean(&b->h);
			break;
		}
	}
}

/* hook_emit_fn: append one policy observation to the results. */
static void emit_policy_metric(void *ctx, const char *scope, const char *name, double value)
{
	struct results *r = ctx;
	struct policy_metric *m;

	if (r->nr_policy_metrics == r->cap_policy_metrics) {
		int cap = r->cap_policy_metrics ? 2 * r->cap_policy_metrics : 32;
		m = xrealloc(r->policy_metrics, (size_t)cap * sizeof(*m));
		r->policy_metrics = m;
		r->cap_policy_metrics = cap;
	}
	m = &r->policy_metrics[r->nr_policy_metrics++];
	snprintf(m->scope, sizeof(m->scope), "%s", scope);
	snprintf(m->name, sizeof(m->name), "%s", name);
	m->value = value;
}

/* cas_counter_fn over one run's results: the policy's "total" counters,
 * the run's nohz kicks, and the policy's present_rule tunable. */
struct verdict_ctx {
	const struct results *r;
	const struct sim_config *c;
};

static double run_counter(void *ctx, const char *name)
{
	const struct verdict_ctx *v = ctx;
	const struct policy *p = v->c->policy;

	if (!strcmp(name, "nohz_kicks"))
		return (double)v->r->nohz_kicks;
	if (!strcmp(name, "present_rule")) {
		const struct param_def *d = p && p->params ? param_find(p->params, p->nr_params, name) : NULL;
		return d && v->c->policy_params ? param_get(d, v->c->policy_params) : NAN;
	}
	for (int k = 0; k < v->r->nr_policy_metrics; k++)
		if (!strcmp(v->r->policy_metrics[k].scope, "total") && !strcmp(v->r->policy_metrics[k].name, name))
			return v->r->policy_metrics[k].value;
	return NAN;
}

static void collect(struct sim *sim, const struct topo *t, struct results *r)
{
	struct sched *s = sim->s;
	double sum = 0, sq = 0, dur = (double)r->duration_ns;

	for (int i = 0; i < sim->w->nr_threads; i++) { /* the noise's kernel threads follow */
		struct task *p = s->tasks[i];
		struct proc_metrics *pm = &r->procs[p->process];
		add_counters(&pm->c, &p->c);
		add_counters(&r->total.c, &p->c);
	}
	r->total.nr_threads = sim->w->nr_threads;
	for (int i = 0; i < r->nr_procs; i++)
		hist_merge(&r->total.wakeup_lat, &r->procs[i].wakeup_lat);
	r->nr_cpus = t->nr_cpus;
	r->util_min = 1e300;
	r->util_max = 0;
	for (int c = 0; c < t->nr_cpus; c++) {
		double u = dur > 0 ? s->rq[c].busy_ns / dur : 0;
		r->cpu_util[c] = u;
		sum += u;
		sq += u * u;
		r->util_min = MIN(r->util_min, u);
		r->util_max = MAX(r->util_max, u);
	}
	r->util_mean = sum / t->nr_cpus;
	r->util_stddev = sqrt(MAX(0.0, sq / t->nr_cpus - r->util_mean * r->util_mean));
	r->nr_levels = s->nr_levels;
	r->levels = xcalloc((size_t)s->nr_levels + 1, sizeof(*r->levels));
	if (r->levels)
		memcpy(r->levels, s->lvl, (size_t)s->nr_levels * sizeof(*r->levels));
	r->nr_forks = s->nr_forks;
	r->nr_exits = s->nr_exits;
	r->nohz_kicks = s->nohz_kicks;
	r->nohz_stats_kicks = s->nohz_stats_kicks;
	r->blocked_updates = s->blocked_updates;
	{
		struct wl_lock_stats ls = wl_interp_lock_stats(sim->in);

		r->pipe_mutex_spins = ls.spins;
		r->pipe_mutex_sleeps = ls.sleeps;
		r->pipe_mutex_handoffs = ls.handoffs;
		r->futex_ops = ls.futex.ops;
		r->futex_bucket_spins = ls.futex.spins;
		r->futex_bucket_spin_ns = ls.futex.spin_ns;
		r->sock_lock_ops = ls.sock.ops;
		r->sock_lock_spins = ls.sock.spins;
		r->sock_lock_spin_ns = ls.sock.spin_ns;
	}
	r->idle_while_waiting = s->idle_while_waiting;
	r->idle_while_waiting_ns = s->idle_while_waiting_ns;
	r->nr_hotplug = s->nr_hotplug;
	r->affinity_broken = s->affinity_broken;
	r->model.idle_exits = s->idle_exits;
	r->model.idle_exit_ns = s->idle_exit_ns;
	r->model.idle_ticks = s->idle_ticks;
	r->model.poll_timeouts = s->poll_timeouts;
	r->model.ipis = s->ipis;
	r->model.ipis_saved = s->ipis_saved;
	osnoise_totals(sim->noise, &r->noise);
	if (s->numa_on) {
		struct numa_totals nt;
		numa_totals(s, &nt);
		r->numa_scans = nt.scans;
		r->numa_task_migrations = nt.task_migrations;
		r->numa_pref_changes = nt.pref_changes;
		r->numa_pages_migrated_bytes = nt.pages_migrated_bytes;
	}
	collect_bench_metrics(sim, r);
	if (s->hooks && s->hooks->report)
		s->hooks->report(s, s->hook_state, emit_policy_metric, r);
	{
		struct verdict_ctx v = { r, sim->c };

		r->verdict_kind = cas_verdict(run_counter, &v, r->verdict, sizeof(r->verdict));
		snprintf(r->verdict_name, sizeof(r->verdict_name), "%s", cas_verdict_name(r->verdict_kind));
	}
}

static void perf_mems_free(struct sim *sim)
{
	for (int i = 0; sim->pmem && i < sim->w->nr_threads; i++)
		free(sim->pmem[i]);
	free(sim->pmem);
}

/* The machine model's view of every run op, resolved once. */
static void perf_mems_init(struct sim *sim)
{
	const struct workload *w = sim->w;

	sim->pmem = xcalloc((size_t)w->nr_threads, sizeof(*sim->pmem));
	for (int i = 0; i < w->nr_threads; i++) {
		const struct wl_thread *wt = &w->threads[i];

		sim->pmem[i] = xcalloc((size_t)wt->nr_ops + 1, sizeof(**sim->pmem));
		for (int k = 0; k < wt->nr_ops; k++) {
			const struct wl_mem *m = &wt->ops[k].mem;
			sim->pmem[i][k] = (struct perf_mem){ .refs_per_us = m->refs_per_us,
							     .footprint = m->footprint,
							     .shared = m->shared,
							     .mlp = m->mlp };
		}
	}
}

static void layout_free(struct sim_layout *y)
{
	free(y->cpu_llc);
	free(y->cpu_node);
	free(y->task_proc);
	free(y->task_name);
	free(y->proc_name);
}

/* Start the trace sinks: the machine's and the workload's names. */
static int trace_begin(struct sim *sim, const struct topo *t, struct diag *err)
{
	const struct workload *w = sim->w;
	struct sim_layout *y = &sim->lay;

	y->cpu_llc = xcalloc((size_t)t->nr_cpus, sizeof(int));
	y->cpu_node = xcalloc((size_t)t->nr_cpus, sizeof(int));
	y->task_proc = xcalloc((size_t)w->nr_threads + 1, sizeof(int));
	y->task_name = xcalloc((size_t)w->nr_threads + 1, sizeof(char *));
	y->proc_name = xcalloc((size_t)w->nr_procs + 1, sizeof(char *));
	for (int c = 0; c < t->nr_cpus; c++) {
		y->cpu_llc[c] = t->cpu[c].llc;
		y->cpu_node[c] = t->cpu[c].node;
	}
	for (int i = 0; i < w->nr_threads; i++) {
		y->task_proc[i] = w->threads[i].process;
		y->task_name[i] = w->threads[i].name;
	}
	for (int i = 0; i < w->nr_procs; i++)
		y->proc_name[i] = w->procs[i].name;
	y->l = (struct trace_layout){ .nr_cpus = t->nr_cpus, .nr_llcs = t->nr_llcs,
				      .cpu_llc = y->cpu_llc, .cpu_node = y->cpu_node,
				      .nr_tasks = w->nr_threads, .nr_procs = w->nr_procs,
				      .task_proc = y->task_proc, .task_name = y->task_name,
				      .proc_name = y->proc_name };
	for (int i = 0; i < sim->c->nr_trace_sinks; i++) {
		const struct trace_sink *k = sim->c->trace_sinks[i];
		if (k->begin && k->begin(k->ctx, &y->l, err))
			return -1;
	}
	if (sched_set_trace(sim->s, sim->c->trace_sinks, sim->c->nr_trace_sinks))
		return diag_set(err, "cannot attach %d trace outputs", sim->c->nr_trace_sinks);
	return 0;
}

static void trace_end(struct sim *sim, simtime_t now)
{
	for (int i = 0; i < sim->c->nr_trace_sinks; i++) {
		const struct trace_sink *k = sim->c->trace_sinks[i];
		if (k->end)
			k->end(k->ctx, now);
	}
}

static enum perf_mempolicy mempolicy(enum wl_mempolicy p)
{
	return p == WL_MEM_INTERLEAVE ? PERF_MEM_INTERLEAVE
	       : p == WL_MEM_BIND     ? PERF_MEM_BIND
				      : PERF_MEM_FIRST_TOUCH;
}

/* CPU time of this process: what a run costs, whatever else the machine runs. */
static double cpu_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

int sim_run(const struct sim_config *c, const struct topo *t, const struct sd_topology *sdt,
	    const struct workload *w, struct results *r, struct diag *err)
{
	struct sim sim = { .w = w, .c = c };
	struct sched_ops ops = { .next = thread_next, .proc_name = thread_proc_name, .ctx = &sim };
	struct wl_env env = { .ctx = &sim, .now = env_now, .cpu_of = env_cpu_of,
			      .spin_release = env_spin_release, .xfer_ns = env_xfer_ns,
			      .syscall_ns = env_syscall_ns, .hotplug = env_hotplug,
			      .on_cpu = env_on_cpu, .pipe_mutex = c->sp.pipe_mutex,
			      .futex_hold_ns = (double)c->sp.futex_hold_ns, .sock_lock = c->sp.sock_lock,
			      .sock_lock_ns = c->prof ? c->prof->v[MP_sock_lock_ns] : 0 };
	simtime_t dur = sim_duration(c, w), now = 0;
	struct timespec t0, t1;
	double setup0 = cpu_s(), c0;
	struct eq *eq;
	uint64_t events = 0;
	int ret = -1, mask_bound = cpumask_bound_cpus(t->nr_cpus); /* every mask of the run fits */

	memset(r, 0, sizeof(*r));
	r->verdict_kind = CAS_VERDICT_NONE;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	snprintf(r->policy, sizeof(r->policy), "%s", c->policy->name);
	snprintf(r->topology, sizeof(r->topology), "%s", t->name);
	snprintf(r->workload, sizeof(r->workload), "%s", w->name);
	r->seed = c->seed;
	r->nr_procs = w->nr_procs;
	r->procs = xcalloc((size_t)w->nr_procs, sizeof(*r->procs));
	r->cpu_util = xcalloc((size_t)t->nr_cpus, sizeof(*r->cpu_util));
	/* heap: ~4 events per CPU (tick, done, resched, stopper) + 1 per thread */
	eq = eq_new((size_t)(4 * t->nr_cpus + w->nr_threads + 16), NULL);
	perf_mems_init(&sim);
	hist_init(&r->total.wakeup_lat);
	snprintf(r->total.name, sizeof(r->total.name), "total");
	for (int i = 0; i < w->nr_procs; i++) {
		snprintf(r->procs[i].name, sizeof(r->procs[i].name), "%s", w->procs[i].name);
		r->procs[i].nr_threads = w->procs[i].nr_threads;
		hist_init(&r->procs[i].wakeup_lat);
	}
	sim.s = sched_new(t, sdt, &c->sp, eq, c->policy->hooks, c->policy_params, ops);
	if (!sim.s) {
		diag_set(err, "cannot set up the scheduler (out of memory or policy init failed)");
		goto out;
	}
	sim.in = wl_interp_new(w, &env, c->seed, t->nr_cpus);
	if (!sim.in) {
		diag_set(err, "out of memory");
		goto out;
	}
	if (c->prof) {
		r->model.on = true;
		snprintf(r->model.profile, sizeof(r->model.profile), "%s", c->prof->name);
		sim.pf = perf_new(t, c->prof, w->nr_threads + osnoise_nr_kthreads(c->prof, t->nr_cpus),
				  w->nr_procs, sched_retime, sim.s);
		if (!sim.pf) {
			diag_set(err, "out of memory");
			goto out;
		}
		for (int i = 0; i < w->nr_procs; i++) {
			const struct wl_process *wp = &w->procs[i];
			perf_set_process(sim.pf, i, wp->shared_bytes, wp->write_fraction,
					 mempolicy(wp->mempolicy), wp->bind_node);
		}
		for (int i = 0; i < w->nr_threads; i++)
			perf_set_thread(sim.pf, i, w->threads[i].process);
		perf_seed(sim.pf, c->seed);
		sched_set_perf(sim.s, sim.pf);
		sched_set_freq_scale(sim.s, profile_freq_scale(c->prof));
		if (sim.s->numa_on)
			numa_set_rates(sim.s, c->prof->v[MP_numa_scan_mb], c->prof->v[MP_numa_migrate_mbps]);
	}
	for (int i = 0; i < w->nr_threads; i++) {
		const struct wl_thread *wt = &w->threads[i];
		struct task *p = sched_create_task(sim.s, wt->process, wt->nice,
						   wt->has_affinity ? &wt->affinity : NULL);
		p->wakeup_hist = &r->procs[wt->process].wakeup_lat;
	}
	/* after the workload's threads, whose task ids index the workload */
	sim.noise = osnoise_new(sim.s, c->prof, c->seed);
	if (c->nr_trace_sinks && trace_begin(&sim, t, err))
		goto out;
	/* A real run starts at an unknown phase of the scheduler tick: draw it
	 * from the seed, so that seeds give the run-to-run variation that the
	 * tick grid, balance intervals and wakeup timing interleave into
	 * (workloads with fixed timings would otherwise repeat exactly). */
	{
		struct rng pr;
		if (rng_init(&pr, c->seed, "start-phase", 0)) {
			diag_set(err, "out of memory");
			goto out;
		}
		sim.phase = (simtime_t)rng_below(&pr, (uint64_t)sim.s->tick_ns);
		rng_destroy(&pr);
	}
	for (int i = 0; i < w->nr_threads; i++)
		sched_start_task(sim.s, sim.s->tasks[i], sim.phase + w->threads[i].start_delay,
				 CLAMP(c->fork_cpu, 0, t->nr_cpus - 1), -1);
	c0 = cpu_s();
	r->setup_cpu_s = c0 - setup0;
	/* run in slices so that a workload whose threads all exit ends early */
	while (now < dur) {
		simtime_t until = MIN(dur, now + 10 * NSEC_PER_MSEC);
		events += eq_run(eq, until);
		now = until;
		if (sim.s->nr_exits == (uint64_t)w->nr_threads)
			break;
	}
	r->loop_cpu_s = cpu_s() - c0;
	r->duration_ns = now;
	sched_finish(sim.s);
	if (c->nr_trace_sinks)
		trace_end(&sim, now);
	collect(&sim, t, r);
	r->events = events;
	ret = 0;
out:
	clock_gettime(CLOCK_MONOTONIC, &t1);
	r->wall_s = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) * 1e-9;
	/* the queue first: it touches the events embedded in the scheduler */
	eq_free(eq);
	sched_free(sim.s);
	perf_free(sim.pf);
	osnoise_free(sim.noise);
	wl_interp_free(sim.in);
	perf_mems_free(&sim);
	layout_free(&sim.lay);
	if (ret)
		sim_results_free(r);
	cpumask_bound_cpus(mask_bound);
	return ret;
}

void sim_results_free(struct results *r)
{
	free(r->procs);
	free(r->cpu_util);
	free(r->levels);
	free(r->metrics);
	free(r->policy_metrics);
	r->policy_metrics = NULL;
	r->nr_policy_metrics = r->cap_policy_metrics = 0;
	r->metrics = NULL;
	r->nr_metrics = 0;
	r->procs = NULL;
	r->cpu_util = NULL;
	r->levels = NULL;
}

json_t *sim_config_json(const struct sim_config *c, const struct topo *t, const struct workload *w)
{
	json_t *o = json_object(), *sp = json_object(), *wp = json_object();

	json_object_set_new(o, "topology", json_string(c->topology_spec ? c->topology_spec : t->name));
	json_object_set_new(o, "topology_source", json_string(t->source));
	json_object_set_new(o, "workload", json_string(c->workload_path ? c->workload_path : w->path));
	for (int i = 0; i < w->nr_params; i++)
		json_object_set_new(wp, w->param_names[i], json_string(w->param_values[i]));
	json_object_set_new(o, "workload_params", wp);
	json_object_set_new(o, "policy", json_string(c->policy->name));
	if (c->policy->nr_params) {
		json_t *pp = json_object();
		for (size_t i = 0; i < c->policy->nr_params; i++) {
			const struct param_def *d = &c->policy->params[i];
			double v = param_get(d, c->policy_params);
			json_object_set_new(pp, d->name, d->type == PARAM_DOUBLE ? json_real(v)
						       : d->type == PARAM_BOOL ? json_boolean(v != 0)
									       : json_integer((json_int_t)v));
		}
		json_object_set_new(o, "policy_params", pp);
	}
	json_object_set_new(o, "seed", json_integer((json_int_t)c->seed));
	json_object_set_new(o, "duration_ns", json_integer((json_int_t)sim_duration(c, w)));
	json_object_set_new(o, "fork_cpu", json_integer(c->fork_cpu));
	for (size_t i = 0; i < sched_nr_param_defs; i++) {
		const struct param_def *d = &sched_param_defs[i];
		double v = param_get(d, &c->sp);
		json_object_set_new(sp, d->name, d->type == PARAM_DOUBLE ? json_real(v)
					       : d->type == PARAM_BOOL ? json_boolean(v != 0)
								       : json_integer((json_int_t)v));
	}
	json_object_set_new(o, "sched", sp);
	if (c->prof) {
		json_t *m = json_object();
		json_object_set_new(m, "profile", json_string(c->prof->name));
		for (int i = 0; i < MP_NR; i++)
			json_object_set_new(m, model_param_defs[i].name, json_real(c->prof->v[i]));
		json_object_set_new(o, "model", m);
	} else {
		json_object_set_new(o, "model", json_null());
	}
	return o;
}
