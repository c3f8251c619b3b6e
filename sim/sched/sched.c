/*
 * Core of the fair-class model: runqueues, enqueue/dequeue, update_curr,
 * __schedule(), the tick, try_to_wake_up() and the interpreter loop that
 * asks the simulation what each task does next.  Placement is in wakeup.c,
 * balancing in lb.c.  Mirrors kernel/sched/fair.c and core.c of Linux
 * v6.15 (the fair class only: no RT/DL tasks, no cgroups).
 */
#include "sched/sched.h"
#include "sched/lb.h"
#include "sched/hook_call.h"
#include "sched/asym.h"
#include "sched/trace.h"
#include "sched/wakeup.h"
#include "sched/util_est.h"
#include "base/xalloc.h"

#include <assert.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>


static void tick_event(struct eq_event *ev, void *ctx);
static void poll_limit_event(struct eq_event *ev, void *ctx);
static void done_event(struct eq_event *ev, void *ctx);
static void resched_event(struct eq_event *ev, void *ctx);
static void timer_event(struct eq_event *ev, void *ctx);
static void watch_event(struct eq_event *ev, void *ctx);
static void hotplug_event(struct eq_event *ev, void *ctx);
static void __schedule(struct sched *s, struct rq *rq);
static void seg_close(struct sched *s, struct task *p);
static void task_step(struct sched *s, struct rq *rq, struct task *p);

static inline simtime_t now_of(const struct sched *s) { return eq_now(s->eq); }

static int ilog2_int(int v)
{
	int r = 0;
	while (v >>= 1)
		r++;
	return r;
}

/* ------------------------------------------------------------------ setup */

static int level_index(struct sched *s, const struct sd_tmpl *t, struct lb_level_metrics *lv, int *nr)
{
	for (int i = 0; i < *nr; i++)
		if (!strcmp(lv[i].name, t->name) && lv[i].numa_distance == t->numa_distance)
			return i;
	snprintf(lv[*nr].name, sizeof(lv[*nr].name), "%s", t->name);
	lv[*nr].numa_distance = t->numa_distance;
	return (*nr)++;
}

struct sched *sched_new(const struct topo *t, const struct sd_topology *sdt,
			const struct sched_params *p, struct eq *eq,
			const struct sched_hooks *hooks, const void *hook_params, struct sched_ops ops)
{
	struct sched *s = xcalloc(1, sizeof(*s));
	int maxlv = 0;

	s->topo = t;
	s->sdt = sdt;
	s->p = *p;
	s->freq_scale = SCHED_CAPACITY_SCALE; /* sched_set_freq_scale() */
	s->eq = eq;
	eq_set_ctx(eq, s);
	s->ops = ops;
	s->hooks = hooks;
	s->nr_cpus = t->nr_cpus;
	s->tick_ns = NSEC_PER_SEC / p->hz;
	/* update_sysctl(): SCHED_TUNABLESCALING_LOG, factor 1 + ilog2(min(ncpus, 8)) */
	s->base_slice = p->base_slice_ns * (1 + ilog2_int(MIN(t->nr_cpus, 8)));
	s->smt_active = t->smt > 1;
	s->rq = xcalloc((size_t)t->nr_cpus, sizeof(*s->rq));
	s->llc_shared = xcalloc((size_t)t->nr_llcs, sizeof(*s->llc_shared));
	s->misfit_task_load = xcalloc((size_t)t->nr_cpus, sizeof(*s->misfit_task_load));
	s->timers = xcalloc((size_t)t->nr_cpus, sizeof(*s->timers));
	for (int c = 0; c < t->nr_cpus; c++) {
		/* build_sched_domains(): has_asym enables sched_asym_cpucapacity;
		 * rd->max_cpu_capacity is the largest arch_scale_cpu_capacity() */
		s->max_cpu_capacity = MAX(s->max_cpu_capacity, (unsigned long)t->cpu[c].capacity);
		for_each_domain_tmpl(d, sdt->base[c]) {
			maxlv++;
			if (d->flags & SD_ASYM_CPUCAPACITY)
				s->asym_cpucap = true;
		}
	}
	s->lvl = xcalloc((size_t)maxlv + 1, sizeof(*s->lvl));
	for (int l = 0; l < t->nr_llcs; l++) {
		s->llc_shared[l].nr_idle_scan = t->llc[l].nr_cpus;
		s->llc_shared[l].has_idle_cores = s->smt_active;
	}
	for (int c = 0; c < t->nr_cpus; c++) {
		struct rq *rq = &s->rq[c];
		int n = 0;

		rq->cpu = c;
		rq->s = s;
		cfs_init(&rq->cfs, 8);
		eq_event_init(&rq->tick_ev, tick_event);
		eq_event_init(&rq->poll_ev, poll_limit_event);
		eq_event_init(&rq->done_ev, done_event);
		eq_event_init(&rq->resched_ev, resched_event);
		eq_event_init(&rq->active_ev, active_balance_event);
		eq_event_init(&rq->hotplug_ev, hotplug_event);
		rq->tick_stopped = true;
		rq->busy_since = -1;
		rq->avg_idle = 2 * p->migration_cost_ns;
		rq->max_idle_balance_cost = p->migration_cost_ns;
		rq->llc_shared = &s->llc_shared[t->cpu[c].llc];
		for_each_domain_tmpl(d, sdt->base[c])
			n++;
		rq->nr_doms = n;
		rq->doms = n ? xcalloc((size_t)n, sizeof(*rq->doms)) : NULL;
		n = 0;
		for_each_domain_tmpl(d, sdt->base[c]) {
			struct sched_domain *sd = &rq->doms[n];
			sd->t = d;
			sd->child = n ? &rq->doms[n - 1] : NULL;
			if (n)
				rq->doms[n - 1].parent = sd;
			sd->level = level_index(s, d, s->lvl, &s->nr_levels);
			sd->balance_interval = (unsigned)d->min_interval;
			sd->max_newidle_lb_cost = 0;
			n++;
		}
		rq->sd = n ? &rq->doms[0] : NULL;
	}
	/* every CPU starts idle: tick stopped and in the nohz mask (NO_HZ_IDLE),
	 * or ticking from the first jiffy without it */
	for (int c = 0; c < t->nr_cpus; c++) {
		struct rq *rq = &s->rq[c];
		if (p->nohz) {
			rq->in_nohz_mask = true;
			cpumask_set(&s->nohz_idle, c);
			s->nohz_nr_cpus++;
		} else {
			rq->tick_stopped = false;
			rq->llc_shared->nr_busy_cpus++;
			eq_schedule(eq, &rq->tick_ev, s->tick_ns);
		}
	}
	grpsum_init(s);
	eq_event_init(&s->ilb_ev, ilb_event);
	eq_event_init(&s->watch_ev, watch_event);
	eq_schedule(eq, &s->watch_ev, p->wait_watch_ns / 2);
	s->cap_tasks = 64;
	s->tasks = xmalloc((size_t)s->cap_tasks * sizeof(*s->tasks));
	if (hooks && hooks->init && hooks->init(s, hooks->data, hook_params, &s->hook_state)) {
		sched_free(s);
		return NULL;
	}
	return s;
}

void sched_free(struct sched *s)
{
	if (!s)
		return;
	if (s->hooks && s->hooks->fini)
		s->hooks->fini(s, s->hook_state);
	if (s->numa_on)
		numa_fini(s);
	for (int c = 0; s->rq && c < s->nr_cpus; c++) {
		cfs_destroy(&s->rq[c].cfs);
		free(s->rq[c].doms);
	}
	for (int i = 0; i < s->nr_tasks; i++)
		free(s->tasks[i]);
	free(s->tasks);
	free(s->misfit_task_load);
	free(s->timers);
	free(s->rq);
	free(s->llc_shared);
	free(s->lvl);
	free(s->trace);
	grpsum_fini(&s->gsum);
	free(s);
}

struct task *sched_create_task(struct sched *s, int process, int nice, const struct cpumask *affinity)
{
	struct task *t = xcalloc(1, sizeof(*t));

	if (s->nr_tasks == s->cap_tasks) {
		s->cap_tasks *= 2;
		s->tasks = xrealloc(s->tasks, (size_t)s->cap_tasks * sizeof(*s->tasks));
	}
	t->id = s->nr_tasks;
	s->tasks[s->nr_tasks++] = t;
	t->process = process;
	t->nice = nice;
	t->state = TASK_NEW;
	t->se.weight = nice_to_weight(nice);
	t->se.slice = s->base_slice;
	t->se.queue_idx = -1;
	t->se.id = (uint64_t)t->id;
	t->cpu = 0;
	t->recent_used_cpu = -1;
	t->numa.preferred_nid = -1;
	t->runnable_since = -1;
	t->wake_time = -1;
	t->tm_cpu = -1;
	if (affinity && !cpumask_empty(affinity)) {
		t->has_affinity = true;
		t->affinity = *affinity;
	} else {
		cpumask_set_first(&t->affinity, s->nr_cpus);
	}
	t->nr_cpus_allowed = cpumask_weight(&t->affinity);
	eq_event_init(&t->timer, timer_event);
	return t;
}

/* ---------------------------------------------------------------- loads */

/* __update_load_avg_se(), v6.15: a delayed task still adds its load
 * (on_rq) but is not runnable (se_runnable() is false while sched_delayed). */
void update_task_load(struct sched *s, struct task *p, struct rq *rq)
{
	/* the entity's time is its cfs_rq's PELT clock (cfs_rq_clock_pelt()) */
	pelt_update(&p->avg, rq_clock_pelt(s, rq), p->se.on_rq, p->se.on_rq && !p->se.sched_delayed,
		    rq->curr == p, p->se.weight);
}

/* Bring a blocked task's signals to now and take them off its old rq
 * (migrate_task_rq_fair() -> remove_entity_load_avg()). */
static void detach_task_load(struct sched *s, struct task *p, struct rq *rq)
{
	update_rq_load(s, rq);
	update_task_load(s, p, rq);
	pelt_detach(&rq->avg, &p->avg, p->se.weight);
	rq_terms_changed(s, rq);
}

static void attach_task_load(struct sched *s, struct task *p, struct rq *rq)
{
	update_rq_load(s, rq);
	p->avg.last_update_time = rq->avg.last_update_time;
	pelt_attach(&rq->avg, &p->avg, p->se.weight);
	rq_terms_changed(s, rq);
}

/* post_init_entity_util_avg(): a new task starts with half the spare
 * capacity of its CPU, scaled by its weight. */
static void init_task_load(struct sched *s, struct task *p, struct rq *rq)
{
	struct sched_avg *sa = &p->avg;
	long cap;

	update_rq_load(s, rq);
	memset(sa, 0, sizeof(*sa));
	sa->load_avg = p->se.weight;
	sa->load_sum = PELT_MIN_DIVIDER;
	cap = ((long)SCHED_CAPACITY_SCALE - (long)rq->avg.util_avg) / 2;
	if (cap > 0) {
		if (rq->avg.util_avg) {
			sa->util_avg = rq->avg.util_avg * p->se.weight / (rq->avg.load_avg + 1);
			if ((long)sa->util_avg > cap)
				sa->util_avg = (unsigned long)cap;
		} else {
			sa->util_avg = (unsigned long)cap;
		}
	}
	sa->runnable_avg = sa->util_avg;
	sa->util_sum = (uint32_t)(sa->util_avg * PELT_MIN_DIVIDER);
	sa->runnable_sum = (uint64_t)sa->runnable_avg * PELT_MIN_DIVIDER;
	sa->last_update_time = rq->avg.last_update_time;
	pelt_attach(&rq->avg, sa, p->se.weight);
	rq_terms_changed(s, rq);
}

/* ------------------------------------------------------------ accounting */

static void rq_set_busy(struct sched *s, struct rq *rq, bool busy)
{
	if (busy && rq->busy_since < 0) {
		rq->busy_since = now_of(s);
	} else if (!busy && rq->busy_since >= 0) {
		rq->busy_ns += (double)(now_of(s) - rq->busy_since);
		rq->busy_since = -1;
	}
}

enum mig_kind sched_mig_kind(const struct sched *s, int from, int to)
{
	const struct topo_cpu *a = &s->topo->cpu[from], *b = &s->topo->cpu[to];

	if (a->core == b->core)
		return MIG_SMT;
	if (a->llc == b->llc)
		return MIG_LLC;
	if (a->pkg != b->pkg)
		return MIG_XPKG;
	if (a->node != b->node)
		return MIG_XNODE;
	return MIG_XLLC;
}

static void set_task_cpu(struct sched *s, struct task *p, int cpu, enum sched_mig_why why)
{
	if (p->cpu != cpu) {
		p->c.nr_migrations[sched_mig_kind(s, p->cpu, cpu)]++;
		sched_trace_migrate(s, p, p->cpu, cpu, why);
	}
	p->cpu = cpu;
}

/* update_curr(): charge the running task's runtime up to now. */
void update_curr(struct sched *s, struct rq *rq)
{
	struct task *curr = rq->curr;
	int64_t delta;
	double work;

	if (!curr)
		return;
	delta = now_of(s) - curr->exec_start;
	if (delta <= 0)
		return;
	curr->exec_start = now_of(s);
	curr->sum_exec_runtime += delta;
	curr->c.cpu_ns += (double)delta;
	/* the machine model says how much work the wall time bought; spins and
	 * overhead bursts progress in wall time */
	work = (double)delta;
	if (curr->seg_open) {
		double w = perf_advance(s->perf, curr->id, now_of(s));
		if (curr->burst == BURST_RUN)
			work = w;
	}
	curr->remaining_work -= work;
	if (curr->burst == BURST_RUN)
		curr->c.work_ns += work;
	else if (curr->burst == BURST_CHARGE)
		curr->c.overhead_ns += (double)delta;
	else
		curr->c.spin_ns += (double)delta;
	if (cfs_update_curr(&rq->cfs, delta) && rq->cfs.nr_queued > 1)
		sched_resched(s, rq->cpu);
	HOOK(s, account, rq->cpu, curr, delta);
}

/* --------------------------------------------------------- cfs_tasks list */

static void tasks_list_del(struct rq *rq, struct task *p)
{
	if (p->lb_prev)
		p->lb_prev->lb_next = p->lb_next;
	else
		rq->tasks_head = p->lb_next;
	if (p->lb_next)
		p->lb_next->lb_prev = p->lb_prev;
	else
		rq->tasks_tail = p->lb_prev;
	p->lb_prev = p->lb_next = NULL;
}

static void tasks_list_add_head(struct rq *rq, struct task *p)
{
	p->lb_prev = NULL;
	p->lb_next = rq->tasks_head;
	if (rq->tasks_head)
		rq->tasks_head->lb_prev = p;
	else
		rq->tasks_tail = p;
	rq->tasks_head = p;
}

/* ------------------------------------------------------- enqueue/dequeue */

/* A task's timer (a sleep's hrtimer, a delayed start) is armed on the CPU
 * it is set from (hrtimer_start() on the local base); the idle governor
 * reads the earliest one per CPU. */
static void timer_disarm(struct sched *s, struct task *p)
{
	if (p->tm_cpu < 0)
		return;
	if (p->tm_prev)
		p->tm_prev->tm_next = p->tm_next;
	else
		s->timers[p->tm_cpu] = p->tm_next;
	if (p->tm_next)
		p->tm_next->tm_prev = p->tm_prev;
	p->tm_cpu = -1;
}

static void timer_arm(struct sched *s, struct task *p, int cpu, simtime_t at)
{
	timer_disarm(s, p);
	eq_schedule(s->eq, &p->timer, at);
	p->tm_cpu = cpu;
	p->tm_prev = NULL;
	p->tm_next = s->timers[cpu];
	if (p->tm_next)
		p->tm_next->tm_prev = p;
	s->timers[cpu] = p;
}

/* With no timer pending the sleep length is taken as 1 s [E]: a real CPU
 * always has some (timer wheel, RCU); any value above 100 ms gives menu
 * the same bucket and a prediction far beyond a tick. */
#define NO_TIMER_NS NSEC_PER_SEC

/* tick_nohz_get_sleep_length() (tick-sched.c, v6.15) at @at: the time to
 * the next timer on @rq's CPU with the tick stopped, and in *@delta_tick to
 * the next event with it running (the tick device's next_event). */
static simtime_t sleep_length(struct sched *s, struct rq *rq, simtime_t at, simtime_t *delta_tick)
{
	simtime_t next = at + NO_TIMER_NS, tick;

	for (const struct task *p = s->timers[rq->cpu]; p; p = p->tm_next)
		next = MIN(next, p->timer.time);
	tick = eq_queued(&rq->tick_ev) ? rq->tick_ev.time : (at / s->tick_ns + 1) * s->tick_ns;
	*delta_tick = (rq->tick_stopped ? next : MIN(next, tick)) - at;
	return next - at;
}

/* One pass of do_idle() -> cpuidle_idle_call() (idle.c, v6.15) at @at:
 * cpuidle_select() picks the state and says whether the tick may stop;
 * tick_nohz_idle_stop_tick() stops it when the governor asks or it is
 * already stopped, else tick_nohz_idle_retain_tick() keeps it, and the
 * stopping tick calls nohz_balance_enter_idle() (so nohz.idle_cpus holds
 * only tick-stopped CPUs).  tick_stop=0 stops it on every idle entry (the
 * model before the governor decided it; not Linux). */
static void idle_select(struct sched *s, struct rq *rq, simtime_t at)
{
	bool stop = true;

	if (s->perf) {
		simtime_t delta_tick, sleep = sleep_length(s, rq, at, &delta_tick);

		stop = perf_idle_enter(s->perf, rq->cpu, at, sleep, delta_tick, rq->tick_stopped,
				       s->tick_ns) || !s->p.tick_stop;
		rq->in_cstate = true;
		if (s->p.poll_limit) {
			simtime_t limit = perf_idle_poll_limit(s->perf, rq->cpu, s->tick_ns);

			if (limit > 0)
				eq_schedule(s->eq, &rq->poll_ev, at + limit);
		}
	}
	if (s->p.nohz && stop && !rq->tick_stopped) {
		rq->tick_stopped = true;
		eq_cancel(s->eq, &rq->tick_ev);
		nohz_balance_enter_idle(s, rq);
	}
}

static void cpu_wake_from_idle(struct sched *s, struct rq *rq)
{
	if (rq->in_cstate) {
		/* the hardware idle state's exit latency delays whatever runs next */
		simtime_t exit = perf_idle_exit(s->perf, rq->cpu, now_of(s), false, false, s->tick_ns);

		rq->in_cstate = false;
		eq_cancel(s->eq, &rq->poll_ev);
		rq->ready_at = MAX(rq->ready_at, now_of(s)) + exit;
		s->idle_exits++;
		s->idle_exit_ns += (double)exit;
	}
	if (rq->idle_stamp) {
		/* update_rq_avg_idle() */
		int64_t delta = now_of(s) - rq->idle_stamp, max = 2 * rq->max_idle_balance_cost;
		rq->avg_idle += (delta - rq->avg_idle) / 8;
		if (rq->avg_idle > max)
			rq->avg_idle = max;
		rq->idle_stamp = 0;
	}
	if (rq->tick_stopped) {
		rq->tick_stopped = false;
		nohz_balance_exit_idle(s, rq);
		/* the tick restarts on the next jiffy boundary */
		eq_schedule(s->eq, &rq->tick_ev, (now_of(s) / s->tick_ns + 1) * s->tick_ns);
	}
}

/* enqueue_task_fair().  A delayed task arrives here only when a balance
 * moves it (detach_task/attach_task); it stays delayed and out of
 * h_nr_runnable on its new CPU (v6.15 enqueue_task_fair(): h_nr_runnable
 * is 0 for a sched_delayed se that is not woken). */
static void enqueue_task(struct sched *s, struct rq *rq, struct task *p, bool initial)
{
	update_curr(s, rq);
	update_rq_load(s, rq);
	update_task_load(s, p, rq); /* decay the sleep (on_rq == 0) first */
	place_entity(&rq->cfs, &p->se, initial, s->p.place_lag, s->p.place_deadline_initial);
	cfs_account_enqueue(&rq->cfs, &p->se);
	cfs_queue_add(&rq->cfs, &p->se);
	rq->nr_running++;
	if (rq->nr_running > 1)
		s->rd_overloaded = true;
	tasks_list_add_head(rq, p);
	if (!p->se.sched_delayed) {
		/* enqueue_task_fair(): util_est_enqueue() unless a delayed task
		 * merely moves (ENQUEUE_DELAYED is requeue_delayed()'s) */
		if (s->p.util_est)
			util_est_enqueue(&rq->avg, &p->avg);
		rq->h_nr_runnable++;
		p->state = TASK_RUNNABLE;
		p->runnable_since = now_of(s);
	}
	rq_terms_changed(s, rq);
	HOOK(s, enqueue, rq->cpu, p);
	if (!rq->curr)
		cpu_wake_from_idle(s, rq);
}

/*
 * Head of dequeue_task_fair(), v6.15: a task that is not delayed takes its
 * estimate out of the runqueue's sum (util_est_dequeue()); one going to
 * sleep (DEQUEUE_SLEEP) then folds its util_avg into its EWMA
 * (util_est_update()), both before the dequeue's PELT update.
 */
static void dequeue_util_est(struct sched *s, struct rq *rq, struct task *p, bool sleep)
{
	if (!s->p.util_est)
		return;
	if (!p->se.sched_delayed) {
		util_est_dequeue(&rq->avg, &p->avg);
		rq_terms_changed(s, rq);
	}
	if (sleep)
		util_est_update(&p->avg, capacity_of(s, rq->cpu)); /* arch_scale_cpu_capacity() */
}

/* Remove @p (queued or current) from its runqueue; @sleep: DEQUEUE_SLEEP
 * through dequeue_task_fair() (not a picked delayed task's final dequeue,
 * which is dequeue_entities() alone). */
static void dequeue_task(struct sched *s, struct rq *rq, struct task *p, bool sleep)
{
	dequeue_util_est(s, rq, p, sleep);
	update_curr(s, rq);
	update_rq_load(s, rq);
	update_task_load(s, p, rq);
	update_entity_lag(&rq->cfs, &p->se, s->tick_ns);
	if (p->se.queue_idx >= 0)
		cfs_queue_del(&rq->cfs, &p->se);
	cfs_account_dequeue(&rq->cfs, &p->se);
	rq->nr_running--;
	if (!p->se.sched_delayed) /* set_delayed() already took it off */
		rq->h_nr_runnable--;
	tasks_list_del(rq, p);
	if (p->runnable_since >= 0 && rq->curr != p)
		p->c.wait_ns += (double)(now_of(s) - p->runnable_since);
	p->runnable_since = -1;
	rq_terms_changed(s, rq);
	HOOK(s, dequeue, rq->cpu, p);
}

/*
 * DELAY_DEQUEUE (fair.c dequeue_entity(), v6.15): the running task @p goes
 * to sleep (DEQUEUE_SLEEP); if it is not eligible (negative lag) it stays
 * queued, sched_delayed, so that it keeps competing until its lag is burnt
 * off: set_delayed() takes it out of h_nr_runnable, nr_running keeps it.
 * Returns true if the dequeue was delayed.
 */
static bool dequeue_sleep_delayed(struct sched *s, struct rq *rq, struct task *p)
{
	update_curr(s, rq);
	if (!s->p.delay_dequeue || entity_eligible(&rq->cfs, &p->se))
		return false;
	dequeue_util_est(s, rq, p, true);
	/* update_load_avg() before set_delayed(): it ran up to now */
	update_rq_load(s, rq);
	update_task_load(s, p, rq);
	p->se.sched_delayed = 1;
	rq->h_nr_runnable--;
	rq_terms_changed(s, rq);
	return true;
}

/* pick_next_entity(), v6.15: a picked delayed entity is dequeued for good
 * (dequeue_entities(DEQUEUE_SLEEP | DEQUEUE_DELAYED)); then
 * finish_delayed_dequeue_entity(): clear_delayed() and, with DELAY_ZERO,
 * a positive lag clipped to 0. */
static void dequeue_delayed(struct sched *s, struct rq *rq, struct task *p)
{
	dequeue_task(s, rq, p, false);
	p->se.sched_delayed = 0;
	if (s->p.delay_zero && p->se.vlag > 0)
		p->se.vlag = 0;
}

/* ttwu_runnable() -> enqueue_task(ENQUEUE_DELAYED) -> requeue_delayed_entity(),
 * v6.15: the delayed task is woken where it is queued; with DELAY_ZERO a
 * positive lag is clipped to 0 and the entity placed again at the average. */
static void requeue_delayed(struct sched *s, struct rq *rq, struct task *p)
{
	struct sched_entity *se = &p->se;

	update_curr(s, rq);
	update_rq_load(s, rq);
	update_task_load(s, p, rq);
	if (s->p.delay_zero) {
		update_entity_lag(&rq->cfs, se, s->tick_ns);
		if (se->vlag > 0) {
			bool queued = se->queue_idx >= 0;

			if (queued)
				cfs_queue_del(&rq->cfs, se);
			se->vlag = 0;
			place_entity(&rq->cfs, se, 0, s->p.place_lag, s->p.place_deadline_initial);
			if (queued)
				cfs_queue_add(&rq->cfs, se);
		}
	}
	/* clear_delayed() */
	se->sched_delayed = 0;
	if (s->p.util_est) /* enqueue_task_fair(ENQUEUE_DELAYED) */
		util_est_enqueue(&rq->avg, &p->avg);
	rq->h_nr_runnable++;
	rq_terms_changed(s, rq);
	p->state = TASK_RUNNABLE;
	p->runnable_since = now_of(s);
}

/* Move a queued, not running task to @dst_cpu (detach_task + attach_task). */
void sched_move_task(struct sched *s, struct task *p, int dst_cpu, enum sched_mig_why why)
{
	struct rq *src = &s->rq[p->cpu], *dst = &s->rq[dst_cpu];
	simtime_t since = p->runnable_since;

	assert(src->curr != p && p->se.on_rq);
	dequeue_task(s, src, p, false);
	pelt_detach(&src->avg, &p->avg, p->se.weight);
	rq_terms_changed(s, src);
	set_task_cpu(s, p, dst_cpu, why);
	attach_task_load(s, p, dst);
	enqueue_task(s, dst, p, false);
	if (since >= 0) { /* keep waiting time continuous across the move */
		p->c.wait_ns -= (double)(now_of(s) - since);
		p->runnable_since = since;
	}
	/* check_preempt_curr() on the destination */
	if (!dst->curr || pick_eevdf(&dst->cfs, s->p.run_to_parity) == &p->se)
		sched_resched(s, dst_cpu);
}

void sched_put_curr(struct sched *s, struct rq *rq)
{
	struct task *p = rq->curr;

	update_curr(s, rq);
	update_rq_load(s, rq);
	update_task_load(s, p, rq);
	seg_close(s, p);
	sched_trace_switch_out(s, rq->cpu, p, SW_MIGRATE);
	rq->curr = NULL;
	rq->cfs.curr = NULL;
	rq_terms_changed(s, rq);
	cfs_queue_add(&rq->cfs, &p->se);
	p->runnable_since = now_of(s);
	eq_cancel(s->eq, &rq->done_ev);
}

/* ------------------------------------------------------------ hotplug */

/*
 * select_fallback_rq(): an online CPU @p may use, the least loaded of its
 * LLC first.  The kernel rebuilds sched domains on hotplug; cassim keeps
 * them and only keeps tasks off offline CPUs (wakeup, fork, balancing).
 */
int sched_fallback_cpu(struct sched *s, struct task *p, int cpu)
{
	const struct cpumask *llc = &s->topo->llc[s->topo->cpu[cpu].llc].cpus;
	int best = -1;

	for (int pass = 0; pass < 3 && best < 0; pass++) {
		if (pass == 2) {
			/* every allowed CPU is offline: like the kernel, give the
			 * task every CPU ("no longer affine to cpuN") */
			cpumask_set_first(&p->affinity, s->nr_cpus);
			p->nr_cpus_allowed = s->nr_cpus;
			s->affinity_broken++;
		}
		for (int c = 0; c < s->nr_cpus; c++) {
			if (cpu_offline(s, c) || !cpumask_test(&p->affinity, c) ||
			    (pass == 0 && !cpumask_test(llc, c)))
				continue;
			if (best < 0 || s->rq[c].nr_running < s->rq[best].nr_running)
				best = c;
		}
	}
	return best < 0 ? cpu : best; /* no CPU online at all */
}

static void hotplug_event(struct eq_event *ev, void *ctx)
{
	struct rq *rq = container_of(ev, struct rq, hotplug_ev);
	struct sched *s = ctx;
	struct task *p;

	if (!cpu_offline(s, rq->cpu))
		return;
	if (rq->curr)
		sched_put_curr(s, rq);
	while ((p = rq->tasks_tail)) {
		int dst = sched_fallback_cpu(s, p, rq->cpu);
		if (dst == rq->cpu)
			break;
		sched_move_task(s, p, dst, MIGR_HOTPLUG);
	}
	sched_resched(s, rq->cpu);
}

void sched_cpu_hotplug(struct sched *s, int cpu, bool online)
{
	struct rq *rq = &s->rq[cpu];

	if (online != cpu_offline(s, cpu))
		return;
	s->nr_hotplug++;
	if (online) {
		cpumask_unset(&s->offline, cpu);
		HOOK(s, cpu_online, cpu);
		return;
	}
	cpumask_set(&s->offline, cpu);
	HOOK(s, cpu_offline, cpu);
	/* the running task may be the one taking the CPU down: drain from an
	 * event, like the kernel's stopper-driven takedown */
	eq_schedule(s->eq, &rq->hotplug_ev, now_of(s));
}

/* ------------------------------------------------------------- schedule */

void sched_resched(struct sched *s, int cpu)
{
	struct rq *rq = &s->rq[cpu];

	rq->need_resched = true;
	if (!eq_queued(&rq->resched_ev))
		eq_schedule(s->eq, &rq->resched_ev, now_of(s));
}

static void resched_event(struct eq_event *ev, void *ctx)
{
	struct rq *rq = container_of(ev, struct rq, resched_ev);
	struct sched *s = rq_sched(rq);

	(void)ctx;
	if (!rq->need_resched)
		return;
	/* a switch ends one segment and begins the next at this instant: the
	 * SMT sibling is re-timed once, if at all */
	if (s->perf)
		perf_batch_begin(s->perf);
	__schedule(s, rq);
	if (s->perf)
		perf_batch_end(s->perf, now_of(s));
}

/* Longer than any run: a spin that only sched_spin_release() ends. */
#define SPIN_FOREVER 1e30

static const struct perf_mem pure_compute;

/* (Re-)time the completion of curr @p's burst under the current conditions,
 * opening its machine-model segment if needed. */
static void start_burst(struct sched *s, struct rq *rq, struct task *p)
{
	double rem = p->remaining_work > 0 ? p->remaining_work : 0, t = rem;
	simtime_t done;

	if (s->perf) {
		if (!p->seg_open) {
			perf_run_begin(s->perf, p->id, rq->cpu,
				       p->burst == BURST_RUN && p->mem ? p->mem : &pure_compute, now_of(s));
			p->seg_open = true;
		}
		if (p->burst == BURST_RUN)
			t = perf_time_for(s->perf, p->id, rem);
	}
	if (t >= SPIN_FOREVER / 2) {
		eq_cancel(s->eq, &rq->done_ev);
		return;
	}
	done = now_of(s) + (simtime_t)(t + 0.999999);
	/* re-timing at every tick mostly finds the same answer: keep the heap still */
	if (!eq_queued(&rq->done_ev) || rq->done_ev.time != done)
		eq_schedule(s->eq, &rq->done_ev, done);
}

/* @p stops running its burst here (switch-out, block, exit, next burst). */
static void seg_close(struct sched *s, struct task *p)
{
	if (p->seg_open) {
		perf_run_end(s->perf, p->id, now_of(s));
		p->seg_open = false;
	}
}

/* An interrupt (or the tick handler) ran @ns on @rq's CPU: its running task
 * made no progress meanwhile.  The lost time is owed as more of its current
 * burst, and counted in its runtime as without CONFIG_IRQ_TIME_ACCOUNTING
 * (the Kconfig default: irq time lands in the interrupted task's
 * sum_exec_runtime, kernel/sched/cputime.c).  A spin waits for wall time
 * and owes nothing.  Approximation: a memory-bound burst owes @ns of work,
 * i.e. @ns / its speed of wall time. */
static bool irq_owe(struct task *p, double ns)
{
	if (!p || p->burst == BURST_SPIN || ns <= 0)
		return false;
	p->remaining_work += ns;
	if (p->burst == BURST_RUN)
		p->c.work_ns -= ns;
	else
		p->c.overhead_ns -= ns;
	return true;
}

void sched_irq_steal(struct sched *s, struct rq *rq, double ns)
{
	update_curr(s, rq);
	if (irq_owe(rq->curr, ns))
		start_burst(s, rq, rq->curr);
}

void sched_retime(void *ctx, int cpu)
{
	struct sched *s = ctx;
	struct rq *rq = &s->rq[cpu];

	if (!rq->curr || !rq->curr->seg_open)
		return;
	update_curr(s, rq);
	start_burst(s, rq, rq->curr);
}

void sched_spin_release(struct sched *s, struct task *p)
{
	struct rq *rq = &s->rq[p->cpu];

	if (p->burst != BURST_SPIN)
		return;
	if (rq->curr == p) {
		update_curr(s, rq);
		p->remaining_work = 0;
		eq_schedule(s->eq, &rq->done_ev, now_of(s));
	} else {
		p->remaining_work = 0; /* completes as soon as it runs again */
	}
}

void sched_set_perf(struct sched *s, struct perf *pf)
{
	int nodes = 0;

	s->perf = pf;
	if (pf)
		perf_set_idle_governor(pf, s->p.idle_teo);
	for (int n = 0; n < s->topo->nr_nodes; n++)
		nodes += s->topo->node[n].nr_cpus > 0;
	s->numa_on = pf && (s->p.numa_balancing == 1 || (s->p.numa_balancing == -1 && nodes > 1));
	if (s->numa_on)
		numa_init(s);
}

void sched_set_freq_scale(struct sched *s, unsigned long scale)
{
	s->freq_scale = s->p.freq_invariance && scale ? MIN(scale, (unsigned long)SCHED_CAPACITY_SCALE)
						      : SCHED_CAPACITY_SCALE;
}

/* __update_idle_core(): a CPU going idle may make its whole core idle. */
void sched_update_idle_core(struct sched *s, int cpu)
{
	const struct cpumask *smt = &s->topo->core_cpus[s->topo->cpu[cpu].core];

	if (!s->smt_active)
		return;
	for_each_cpu(c, smt)
		if (!idle_cpu(&s->rq[c]))
			return;
	s->rq[cpu].llc_shared->has_idle_cores = 1;
}

/* __schedule(): @rq's running task, if any, leaves its CPU (preempted,
 * blocked or exited); one branch when tracing is off. */
static inline void trace_prev_out(struct sched *s, struct rq *rq)
{
	const struct task *p = rq->curr;

	if (sched_traced(s) && p) {
		enum sched_switch_why why = p->state == TASK_RUNNABLE ? SW_PREEMPT
					    : p->state == TASK_DEAD ? SW_EXIT : SW_BLOCK;
		__sched_trace_switch_out(s, rq->cpu, p, why);
	}
}

static void __schedule(struct sched *s, struct rq *rq)
{
	struct task *prev = rq->curr, *next;
	struct sched_entity *se;

	if (!prev && now_of(s) < rq->ready_at) {
		/* still leaving a hardware idle state (or the wakeup IPI is in flight) */
		eq_schedule(s->eq, &rq->resched_ev, rq->ready_at);
		return;
	}
	rq->need_resched = false;
	update_curr(s, rq);
	update_rq_load(s, rq);
again:
	se = pick_eevdf(&rq->cfs, s->p.run_to_parity);
	if (!se) {
		/* about to go idle: sched_balance_newidle() */
		if (prev)
			seg_close(s, prev);
		trace_prev_out(s, rq);
		rq->curr = NULL;
		rq->cfs.curr = NULL;
		rq_terms_changed(s, rq);
		update_misfit_status(s, NULL, rq); /* head of sched_balance_newidle() */
		if (s->p.newidle_balance && sched_balance_newidle(s, rq) && rq->nr_running)
			goto again;
		eq_cancel(s->eq, &rq->done_ev);
		sched_trace_idle(s, rq->cpu, true, rq->busy_since >= 0);
		rq_set_busy(s, rq, false);
		if (prev || !rq->idle_stamp)
			rq->idle_stamp = now_of(s) ? now_of(s) : 1;
		sched_update_idle_core(s, rq->cpu);
		if (!rq->in_cstate)
			idle_select(s, rq, now_of(s));
		return;
	}
	next = container_of(se, struct task, se);
	if (se->sched_delayed) {
		dequeue_delayed(s, rq, next);
		goto again;
	}
	if (next == prev) {
		if (!eq_queued(&rq->done_ev))
			start_burst(s, rq, next);
		return;
	}
	if (prev)
		seg_close(s, prev);
	trace_prev_out(s, rq);
	/* put_prev_entity(): a preempted prev goes back into the queue */
	if (prev && prev->se.on_rq) {
		update_task_load(s, prev, rq);
		cfs_queue_add(&rq->cfs, &prev->se);
		if (!prev->se.sched_delayed) /* a delayed prev sleeps: it does not wait */
			prev->runnable_since = now_of(s);
	}
	/* set_next_entity() */
	update_task_load(s, next, rq);
	cfs_queue_del(&rq->cfs, se);
	rq->cfs.curr = se;
	rq->curr = next;
	rq_terms_changed(s, rq);
	update_misfit_status(s, next, rq); /* pick_next_task_fair() */
	se->vlag = se->deadline; /* slice protection for RUN_TO_PARITY */
	next->exec_start = now_of(s);
	next->prev_sum_exec_runtime = next->sum_exec_runtime;
	tasks_list_del(rq, next);
	tasks_list_add_head(rq, next);
	if (next->runnable_since >= 0)
		next->c.wait_ns += (double)(now_of(s) - next->runnable_since);
	next->runnable_since = -1;
	next->c.nr_switches++;
	if (s->perf)
		next->charge_ns += perf_switch_ns(s->perf);
	sched_trace_idle(s, rq->cpu, false, rq->busy_since < 0);
	sched_trace_switch_in(s, rq->cpu, next);
	rq_set_busy(s, rq, true);
	eq_cancel(s->eq, &rq->done_ev);
	if (next->wake_time >= 0) {
		if (next->wakeup_hist)
			hist_add(next->wakeup_hist, (uint64_t)(now_of(s) - next->wake_time));
		next->wake_time = -1;
	}
	HOOK(s, return_to_user, rq->cpu, next);
	start_burst(s, rq, next);
}

/* ----------------------------------------------------------- wakeups */

static void check_preempt_wakeup(struct sched *s, struct rq *rq, struct task *p)
{
	if (!rq->curr) {
		sched_resched(s, rq->cpu);
		return;
	}
	if (rq->need_resched || !s->p.wakeup_preemption)
		return;
	update_curr(s, rq);
	if (pick_eevdf(&rq->cfs, s->p.run_to_parity) == &p->se)
		sched_resched(s, rq->cpu);
}

/* try_to_wake_up() of a sleeping or blocked task.  @waker is the task doing
 * the wakeup (NULL for a timer, which fires on the task's previous CPU). */
static void ttwu(struct sched *s, struct task *p, struct task *waker, int wake_flags)
{
	int prev = p->cpu, this_cpu = waker ? waker->cpu : prev, cpu;
	struct rq *rq;

	/* a delayed task is still queued: ttwu_runnable() wakes it on its rq,
	 * before (and instead of) select_task_rq() */
	cpu = p->se.sched_delayed ? prev : select_task_rq_fair(s, p, prev, this_cpu, waker, WF_TTWU | wake_flags);
	rq = &s->rq[cpu];
	if (s->perf && waker) {
		double waker_ns, delay, wakee_ns, wait;
		/* core.c ttwu_queue_cond(), v6.15: to another LLC, or to an idle
		 * CPU of this one, the wakeup goes on the target's wake list and
		 * waits there for the activations queued before it; otherwise
		 * the waker takes the target's rq lock (ttwu_queue()) */
		bool wakelist = cpu != waker->cpu &&
				(sched_mig_kind(s, waker->cpu, cpu) > MIG_LLC || !rq->nr_running);

		/* send_call_function_single_ipi() (core.c, v6.15): an idle
		 * target in a state that polls has TIF_POLLING_NRFLAG set;
		 * set_nr_if_polling() sets TIF_NEED_RESCHED and no IPI is sent
		 * (v3.16, e3baac47f0e8 "sched/idle: Optimize try-to-wake-up
		 * IPI"): no delivery latency, no send cost for the waker */
		bool to_idle = wakelist && !rq->curr && rq->in_cstate;
		bool polling = to_idle && s->p.idle_polling && perf_idle_polling(s->perf, cpu);

		perf_wake_cost(s->perf, waker->cpu, cpu, &waker_ns, &delay, &wakee_ns);
		if (polling) {
			delay = 0;
			waker_ns = perf_wake_local_ns(s->perf);
			s->ipis_saved++;
		} else if (to_idle) {
			s->ipis++;
		}
		wait = perf_rq_wait(s->perf, cpu, waker->cpu, now_of(s), wakelist);
		if (wakelist)
			delay += wait;
		else
			waker_ns += wait;
		waker->charge_ns += waker_ns;
		p->charge_ns += wakee_ns;
		if (!rq->curr && delay > 0) /* the IPI reaches an idle CPU after @delay */
			rq->ready_at = MAX(rq->ready_at, now_of(s) + (simtime_t)delay);
	}
	if (cpu != prev) {
		detach_task_load(s, p, &s->rq[prev]);
		set_task_cpu(s, p, cpu, MIGR_WAKEUP);
		attach_task_load(s, p, &s->rq[cpu]);
	}
	p->c.nr_wakeups++;
	p->wake_time = now_of(s);
	sched_trace_wakeup(s, waker, this_cpu, p, cpu);
	if (p->se.sched_delayed)
		requeue_delayed(s, rq, p);
	else
		enqueue_task(s, rq, p, false);
	check_preempt_wakeup(s, rq, p);
}

/* wake_up_process() from interrupt context (no waker task): a blocked @p
 * wakes; one still paying its pre-block overhead will not block; one awake
 * has its work already pending (queue_work() on a pending item: no-op). */
void sched_wake_blocked(struct sched *s, struct task *p)
{
	if (p->state == TASK_BLOCKED)
		ttwu(s, p, NULL, 0);
	else if (p->has_stashed)
		p->wake_pending = true;
}

/* ------------------------------------------------------ the task's program */

static void block_current(struct sched *s, struct rq *rq, struct task *p, enum task_state st)
{
	if (!dequeue_sleep_delayed(s, rq, p))
		dequeue_task(s, rq, p, true);
	p->state = st;
	__schedule(s, rq);
}

/* The interpreter's blocking or final step for the running task @p. */
static void task_leave(struct sched *s, struct rq *rq, struct task *p, struct task_action a)
{
	switch (a.kind) {
	case ACT_WAIT:
		if (p->wake_pending) {
			/* woken while it paid its overhead before blocking */
			p->wake_pending = false;
			task_step(s, rq, p);
			return;
		}
		block_current(s, rq, p, TASK_BLOCKED);
		return;
	case ACT_SLEEP:
		timer_arm(s, p, rq->cpu, now_of(s) + a.ns);
		block_current(s, rq, p, TASK_SLEEPING);
		return;
	case ACT_EXIT:
		seg_close(s, p);
		dequeue_task(s, rq, p, true);
		pelt_detach(&rq->avg, &p->avg, p->se.weight);
		rq_terms_changed(s, rq);
		p->state = TASK_DEAD;
		s->nr_exits++;
		s->last_exit = now_of(s);
		HOOK(s, exit, p);
		__schedule(s, rq);
		return;
	default:
		assert(0);
	}
}

/*
 * The running task @p finished its step: ask the interpreter what comes
 * next until it runs again, sleeps, blocks or exits.  Zero-time steps
 * (wakes, charges) are taken in the same instant.
 */
static void task_step(struct sched *s, struct rq *rq, struct task *p)
{
	for (;;) {
		struct task_action a = s->ops.next(s->ops.ctx, p);

		switch (a.kind) {
		case ACT_RUN:
			/* overheads owed are folded into the burst: kernel time runs on
			 * the same core at the same speed, and one event is cheaper
			 * than two */
			seg_close(s, p);
			p->burst = BURST_RUN;
			p->mem = a.mem;
			p->remaining_work = (double)a.ns + p->charge_ns;
			p->c.overhead_ns += p->charge_ns;
			p->c.work_ns -= p->charge_ns;
			p->charge_ns = 0;
			if (p->remaining_work > 0) {
				start_burst(s, rq, p);
				return;
			}
			continue;
		case ACT_SPIN:
			seg_close(s, p);
			p->burst = BURST_SPIN;
			p->remaining_work = a.ns < 0 ? SPIN_FOREVER : (double)a.ns;
			if (p->remaining_work > 0) {
				start_burst(s, rq, p);
				return;
			}
			continue;
		case ACT_CHARGE:
			/* the task's own kernel work (a system call, a copy): it
			 * takes its time before the next step happens, so that a
			 * loop of sends is paced by their cost */
			p->charge_ns += (double)a.ns;
			if (p->charge_ns >= 1) {
				seg_close(s, p);
				p->burst = BURST_CHARGE;
				p->remaining_work = p->charge_ns;
				p->charge_ns = 0;
				start_burst(s, rq, p);
				return;
			}
			continue;
		case ACT_WAIT:
			/* CPU time it spends before it sleeps (a futex_wait()'s bucket
			 * lock): paid below, and a wake delivered meanwhile keeps it
			 * awake (wake_pending) */
			if (a.ns > 0)
				p->charge_ns += (double)a.ns;
			break;
		case ACT_WAKE: {
			struct task *t = s->tasks[a.target];
			if (t->state == TASK_BLOCKED)
				ttwu(s, t, p, a.sync && s->p.wake_sync ? WF_SYNC : 0);
			else if (t->has_stashed)
				t->wake_pending = true; /* still running its pre-block overhead */
			continue;
		}
		default:
			break;
		}
		/* the task leaves the CPU: first pay what it owes */
		if (p->charge_ns >= 1) {
			seg_close(s, p);
			p->burst = BURST_CHARGE;
			p->remaining_work = p->charge_ns;
			p->charge_ns = 0;
			p->stashed = a;
			p->has_stashed = true;
			start_burst(s, rq, p);
			return;
		}
		task_leave(s, rq, p, a);
		return;
	}
}

/* @p's burst completed: a blocking step stashed behind an overhead burst
 * comes first, else the next step. */
static void task_continue(struct sched *s, struct rq *rq, struct task *p)
{
	if (p->has_stashed) {
		p->has_stashed = false;
		task_leave(s, rq, p, p->stashed);
		return;
	}
	task_step(s, rq, p);
}

/* The running task @p's burst completed (done_ev): its next step. */
static void burst_done(struct sched *s, struct rq *rq, struct task *p)
{
	update_curr(s, rq);
	if (p->remaining_work > 0.5) { /* re-timed elsewhere; not done yet */
		start_burst(s, rq, p);
		return;
	}
	p->remaining_work = 0;
	/* the end of the task's kernel work (a system call) returns to user
	 * mode, where task_work runs (Linux: exit_to_user_mode_loop), unless
	 * the work was the way into a sleep */
	if (p->burst == BURST_CHARGE && !p->has_stashed)
		HOOK(s, return_to_user, rq->cpu, p);
	if (rq->need_resched) {
		/* a pending preemption wins; the task steps when it runs again */
		__schedule(s, rq);
		if (rq->curr == p)
			task_continue(s, rq, p);
		return;
	}
	task_continue(s, rq, p);
}

static void done_event(struct eq_event *ev, void *ctx)
{
	struct rq *rq = container_of(ev, struct rq, done_ev);
	struct sched *s = rq_sched(rq);

	(void)ctx;
	if (!rq->curr)
		return;
	/* the next burst, or the next task, usually begins at this instant on
	 * this CPU: the SMT sibling is re-timed once, if at all */
	if (s->perf)
		perf_batch_begin(s->perf);
	burst_done(s, rq, rq->curr);
	if (s->perf)
		perf_batch_end(s->perf, now_of(s));
}

static void timer_event(struct eq_event *ev, void *ctx)
{
	struct task *p = container_of(ev, struct task, timer);
	struct sched *s = ctx;

	timer_disarm(s, p);
	if (p->state == TASK_SLEEPING)
		ttwu(s, p, NULL, 0);
	else if (p->state == TASK_NEW)
		sched_start_task(s, p, now_of(s), p->cpu, -1);
}

/* wake_up_new_task(): fork balancing, then enqueue with an initial slice. */
void sched_start_task(struct sched *s, struct task *p, simtime_t at, int parent_cpu, int cpu)
{
	struct rq *rq;

	if (at > now_of(s)) {
		p->cpu = parent_cpu;
		timer_arm(s, p, parent_cpu, at);
		return;
	}
	s->nr_forks++;
	if (s->numa_on)
		numa_task_init(s, p);
	HOOK(s, fork, p);
	if (cpu < 0)
		cpu = select_task_rq_fair(s, p, parent_cpu, parent_cpu, NULL, WF_FORK);
	p->cpu = cpu;
	rq = &s->rq[cpu];
	init_task_load(s, p, rq);
	p->remaining_work = 0;
	enqueue_task(s, rq, p, true);
	check_preempt_wakeup(s, rq, p);
}

/* A task that exists blocked when the run begins (a kernel thread forked at
 * boot, waiting for work, osnoise.h): last ran on @cpu so long ago that its
 * PELT signals have decayed to zero.  Not a fork of the workload. */
void sched_start_blocked(struct sched *s, struct task *p, int cpu)
{
	p->cpu = cpu;
	memset(&p->avg, 0, sizeof(p->avg));
	p->avg.last_update_time = (uint64_t)now_of(s);
	p->state = TASK_BLOCKED;
}

/* ---------------------------------------------------------------- tick */

static void tick_event(struct eq_event *ev, void *ctx)
{
	struct rq *rq = container_of(ev, struct rq, tick_ev);
	struct sched *s = ctx;
	bool idle_wake = !rq->curr && rq->in_cstate;

	if (idle_wake) {
		/* the governor kept the tick: it wakes the CPU from its state
		 * (the exit latency, then the handler's time) and the idle
		 * loop selects again (do_idle(), v6.15); menu_update() knows
		 * the tick woke it (tick_nohz_idle_got_tick()) */
		simtime_t exit = perf_idle_exit(s->perf, rq->cpu, now_of(s), true, false, s->tick_ns);

		rq->in_cstate = false;
		eq_cancel(s->eq, &rq->poll_ev);
		rq->ready_at = MAX(rq->ready_at, now_of(s)) + exit + (simtime_t)s->tick_irq_ns;
		s->idle_ticks++;
		s->idle_exits++;
		s->idle_exit_ns += (double)exit;
	}
	update_curr(s, rq);
	if (rq->curr) {
		/* entity_tick() -> update_load_avg() (v6.15): only a busy CPU's
		 * tick updates its averages; an idle one's blocked load decays in
		 * trigger_load_balance() / nohz idle balancing */
		update_rq_load(s, rq);
		/* the tick handler's own time (osnoise.h), then one re-timing */
		bool owed = s->tick_irq_ns > 0 && irq_owe(rq->curr, s->tick_irq_ns);

		s->tick_irqs += s->tick_irq_ns > 0;
		/* conditions elsewhere (bandwidth, sharing) reach the model here */
		if (rq->curr->seg_open || owed)
			start_burst(s, rq, rq->curr);
		update_task_load(s, rq->curr, rq);
		HOOK(s, tick, rq->cpu, rq->curr);
		if (s->numa_on)
			numa_task_tick(s, rq, rq->curr);
		update_misfit_status(s, rq->curr, rq); /* task_tick_fair() */
	}
	trigger_load_balance(s, rq);
	if (idle_wake && idle_cpu(rq) && !rq->in_cstate)
		idle_select(s, rq, rq->ready_at);
	if (!(s->p.nohz && idle_cpu(rq) && rq->tick_stopped))
		eq_schedule(s->eq, &rq->tick_ev, now_of(s) + s->tick_ns);
}

/* poll_idle() (poll_state.c, v6.15) gave up at its time limit with the CPU
 * still idle: dev->poll_time_limit goes to the governor (cpuidle_reflect())
 * and do_idle() selects again, a deeper state now as a rule. */
static void poll_limit_event(struct eq_event *ev, void *ctx)
{
	struct rq *rq = container_of(ev, struct rq, poll_ev);
	struct sched *s = ctx;

	perf_idle_exit(s->perf, rq->cpu, now_of(s), false, true, s->tick_ns);
	rq->in_cstate = false;
	s->poll_timeouts++;
	idle_select(s, rq, now_of(s));
}

/* ------------------------------------------------------ invariant watch */

#ifndef NDEBUG
/* Debug builds: each runnable task sits on exactly one runqueue, as curr
 * or queued, and every queue's counters match its contents. */
static void check_invariants(struct sched *s)
{
	int seen = 0;

	for (int c = 0; c < s->nr_cpus; c++) {
		struct rq *rq = &s->rq[c];
		int n = rq->cfs.nr_queue + (rq->curr ? 1 : 0), listed = 0, delayed = 0;

		assert(n == rq->nr_running && n == rq->cfs.nr_queued);
		assert(!rq->curr || (rq->curr->cpu == c && rq->curr->se.on_rq && rq->curr->se.queue_idx < 0));
		for (int i = 0; i < rq->cfs.nr_queue; i++) {
			struct task *p = container_of(rq->cfs.queue[i], struct task, se);
			assert(p->cpu == c && p->se.queue_idx == i);
			assert(p->se.sched_delayed ? p->state == TASK_BLOCKED || p->state == TASK_SLEEPING
						   : p->state == TASK_RUNNABLE);
			delayed += p->se.sched_delayed;
		}
		assert(!rq->curr || !rq->curr->se.sched_delayed);
		assert(rq->h_nr_runnable == n - delayed);
		for (struct task *p = rq->tasks_head; p; p = p->lb_next)
			listed++;
		assert(listed == n);
		seen += n;
	}
	for (int i = 0; i < s->nr_tasks; i++)
		seen -= s->tasks[i]->state == TASK_RUNNABLE || s->tasks[i]->se.sched_delayed;
	assert(seen == 0);
}
#endif

/* A task waiting on a queue for wait_watch_ns while some CPU it may use is
 * idle means the balancer failed to spread load in time: count it. */
static void watch_event(struct eq_event *ev, void *ctx)
{
	struct sched *s = ctx;
	simtime_t now = now_of(s), period = s->p.wait_watch_ns / 2;
	struct cpumask idle;
	int nidle = 0;

#ifndef NDEBUG
	check_invariants(s);
#endif
	cpumask_clear(&idle);
	for (int c = 0; c < s->nr_cpus; c++)
		if (idle_cpu(&s->rq[c])) {
			cpumask_set(&idle, c);
			nidle++;
		}
	if (nidle) {
		for (int c = 0; c < s->nr_cpus; c++) {
			struct rq *rq = &s->rq[c];
			for (int i = 0; i < rq->cfs.nr_queue; i++) {
				struct task *p = container_of(rq->cfs.queue[i], struct task, se);
				if (p->runnable_since >= 0 && now - p->runnable_since >= s->p.wait_watch_ns &&
				    cpumask_intersects(&p->affinity, &idle)) {
					s->idle_while_waiting++;
					s->idle_while_waiting_ns += (double)period;
				}
			}
		}
	}
	eq_schedule(s->eq, ev, now + period);
}

void sched_finish(struct sched *s)
{
	for (int c = 0; c < s->nr_cpus; c++) {
		struct rq *rq = &s->rq[c];
		update_curr(s, rq);
		rq_set_busy(s, rq, false);
		if (rq->curr)
			rq->busy_since = now_of(s);
		for (int i = 0; i < rq->cfs.nr_queue; i++) {
			struct task *p = container_of(rq->cfs.queue[i], struct task, se);
			if (p->runnable_since >= 0) {
				p->c.wait_ns += (double)(now_of(s) - p->runnable_since);
				p->runnable_since = now_of(s);
			}
		}
	}
}
