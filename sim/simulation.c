#include "simulation.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/eq.h"
#include "base/rng.h"
#include "sched/sched.h"

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

/* Interpreter state of one thread: where it is in its op list. */
struct thread_state {
	const struct wl_thread *wt;
	int pc;
	int64_t loops_done;
	struct rng rng;
};

struct sim {
	const struct workload *w;
	struct thread_state *ts;
	struct sched *s;
};

static struct task_action thread_next(void *ctx, struct task *t)
{
	struct sim *sim = ctx;
	struct thread_state *ts = t->wl;
	const struct wl_thread *wt = ts->wt;
	const struct wl_op *op;
	struct task_action a = { 0 };

	if (ts->pc == wt->nr_ops) {
		ts->pc = 0;
		ts->loops_done++;
		t->c.loops_done++;
		if (wt->loops >= 0 && ts->loops_done >= wt->loops) {
			a.kind = ACT_EXIT;
			return a;
		}
	}
	op = &wt->ops[ts->pc++];
	switch (op->kind) {
	case WL_OP_RUN:
		a.kind = ACT_RUN;
		a.ns = wl_sample(&op->dist, &ts->rng);
		break;
	case WL_OP_SLEEP:
		a.kind = ACT_SLEEP;
		a.ns = wl_sample(&op->dist, &ts->rng);
		break;
	case WL_OP_WAKE:
		a.kind = ACT_WAKE;
		a.target = op->target;
		break;
	case WL_OP_WAIT:
		a.kind = ACT_WAIT;
		break;
	}
	(void)sim;
	return a;
}

static void add_counters(struct task_counters *d, const struct task_counters *c)
{
	d->work_ns += c->work_ns;
	d->cpu_ns += c->cpu_ns;
	d->wait_ns += c->wait_ns;
	d->nr_wakeups += c->nr_wakeups;
	d->nr_switches += c->nr_switches;
	d->loops_done += c->loops_done;
	for (int k = 0; k < MIG_NR; k++)
		d->nr_migrations[k] += c->nr_migrations[k];
}

static void collect(struct sim *sim, const struct topo *t, struct results *r)
{
	struct sched *s = sim->s;
	double sum = 0, sq = 0, dur = (double)r->duration_ns;

	for (int i = 0; i < s->nr_tasks; i++) {
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
	r->levels = calloc((size_t)s->nr_levels + 1, sizeof(*r->levels));
	if (r->levels)
		memcpy(r->levels, s->lvl, (size_t)s->nr_levels * sizeof(*r->levels));
	r->nr_forks = s->nr_forks;
	r->nr_exits = s->nr_exits;
	r->nohz_kicks = s->nohz_kicks;
	r->idle_while_waiting = s->idle_while_waiting;
	r->idle_while_waiting_ns = s->idle_while_waiting_ns;
}

int sim_run(const struct sim_config *c, const struct topo *t, const struct sd_topology *sdt,
	    const struct workload *w, struct results *r, struct diag *err)
{
	struct sim sim = { .w = w };
	struct sched_ops ops = { .next = thread_next, .ctx = &sim };
	simtime_t dur = sim_duration(c, w), now = 0;
	struct timespec t0, t1;
	struct eq *eq;
	uint64_t events = 0;
	int ret = -1;

	memset(r, 0, sizeof(*r));
	clock_gettime(CLOCK_MONOTONIC, &t0);
	snprintf(r->policy, sizeof(r->policy), "%s", c->policy->name);
	snprintf(r->topology, sizeof(r->topology), "%s", t->name);
	snprintf(r->workload, sizeof(r->workload), "%s", w->name);
	r->seed = c->seed;
	r->nr_procs = w->nr_procs;
	r->procs = calloc((size_t)w->nr_procs, sizeof(*r->procs));
	r->cpu_util = calloc((size_t)t->nr_cpus, sizeof(*r->cpu_util));
	sim.ts = calloc((size_t)w->nr_threads, sizeof(*sim.ts));
	/* heap: ~4 events per CPU (tick, done, resched, stopper) + 1 per thread */
	eq = eq_new((size_t)(4 * t->nr_cpus + w->nr_threads + 16), NULL);
	if (!r->procs || !r->cpu_util || !sim.ts || !eq) {
		diag_set(err, "out of memory");
		goto out;
	}
	hist_init(&r->total.wakeup_lat);
	snprintf(r->total.name, sizeof(r->total.name), "total");
	for (int i = 0; i < w->nr_procs; i++) {
		snprintf(r->procs[i].name, sizeof(r->procs[i].name), "%s", w->procs[i].name);
		r->procs[i].nr_threads = w->procs[i].nr_threads;
		hist_init(&r->procs[i].wakeup_lat);
	}
	sim.s = sched_new(t, sdt, &c->sp, eq, c->policy->hooks, ops);
	if (!sim.s) {
		diag_set(err, "cannot set up the scheduler (out of memory or policy init failed)");
		goto out;
	}
	for (int i = 0; i < w->nr_threads; i++) {
		const struct wl_thread *wt = &w->threads[i];
		struct task *p = sched_create_task(sim.s, wt->process, wt->nice,
						   wt->has_affinity ? &wt->affinity : NULL);
		if (!p || rng_init(&sim.ts[i].rng, c->seed, "thread", (uint64_t)i)) {
			diag_set(err, "out of memory");
			goto out;
		}
		sim.ts[i].wt = wt;
		p->wl = &sim.ts[i];
		p->wakeup_hist = &r->procs[wt->process].wakeup_lat;
	}
	for (int i = 0; i < w->nr_threads; i++)
		sched_start_task(sim.s, sim.s->tasks[i], w->threads[i].start_delay,
				 CLAMP(c->fork_cpu, 0, t->nr_cpus - 1), -1);
	/* run in slices so that a workload whose threads all exit ends early */
	while (now < dur) {
		simtime_t until = MIN(dur, now + 10 * NSEC_PER_MSEC);
		events += eq_run(eq, until);
		now = until;
		if (sim.s->nr_exits == (uint64_t)w->nr_threads)
			break;
	}
	r->duration_ns = now;
	sched_finish(sim.s);
	collect(&sim, t, r);
	r->events = events;
	ret = 0;
out:
	clock_gettime(CLOCK_MONOTONIC, &t1);
	r->wall_s = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) * 1e-9;
	sched_free(sim.s);
	if (sim.ts)
		for (int i = 0; i < w->nr_threads; i++)
			rng_destroy(&sim.ts[i].rng);
	free(sim.ts);
	eq_free(eq);
	if (ret)
		sim_results_free(r);
	return ret;
}

void sim_results_free(struct results *r)
{
	free(r->procs);
	free(r->cpu_util);
	free(r->levels);
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
	return o;
}
