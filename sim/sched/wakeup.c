/*
 * Wakeup and fork placement, mirroring kernel/sched/fair.c of Linux v6.15
 * (select_task_rq_fair() and friends): record_wakee / wake_wide,
 * wake_affine (WA_IDLE then WA_WEIGHT), select_idle_sibling with prev /
 * target / recent_used_cpu, the idle-core search and the SIS_UTIL scan
 * limit; find_idlest_group/cpu for fork; on asymmetric-capacity machines
 * the fit checks and select_idle_capacity() (asym.c).  Not modelled: clusters (sched_cluster_active), SCHED_IDLE CPUs, core
 * scheduling cookies, EAS.
 */
#include "sched/wakeup.h"

#include <limits.h>
#include <stdlib.h>

#include "sched/asym.h"
#include "sched/lb.h"
#include "sched/hook_call.h"

static inline bool cpus_share_cache(const struct sched *s, int a, int b)
{
	return s->topo->cpu[a].llc == s->topo->cpu[b].llc;
}

static inline bool allowed(const struct task *p, int cpu)
{
	return cpumask_test(&p->affinity, cpu);
}

/* available_idle_cpu(): idle and nothing queued for it (no ttwu pending). */
static inline bool available_idle_cpu(const struct sched *s, int cpu)
{
	return idle_cpu(&s->rq[cpu]);
}

static inline unsigned long task_h_load(const struct task *p)
{
	return p->avg.load_avg;
}

/* record_wakee(): the waker counts how often it switches wakees. */
void record_wakee(struct sched *s, struct task *waker, struct task *p)
{
	uint64_t j = sched_jiffies(s);

	if (!waker)
		return;
	if (j > waker->wakee_flip_decay_ts + (uint64_t)s->p.hz) {
		waker->wakee_flips >>= 1;
		waker->wakee_flip_decay_ts = j;
	}
	if (waker->last_wakee != p) {
		waker->last_wakee = p;
		waker->wakee_flips++;
	}
}

/* wake_wide(): a waker with many wakees (and vice versa) is a 1:N
 * relationship; pulling them all to the waker's LLC would overload it. */
int wake_wide(struct sched *s, struct task *waker, struct task *p, int this_cpu)
{
	unsigned int master, slave;
	unsigned int factor = (unsigned)s->topo->llc[s->topo->cpu[this_cpu].llc].nr_cpus;

	if (!waker)
		return 0;
	master = waker->wakee_flips;
	slave = p->wakee_flips;
	if (master < slave) {
		unsigned int tmp = master;
		master = slave;
		slave = tmp;
	}
	if (slave < factor || master < slave * factor)
		return 0;
	return 1;
}

/* wake_affine_idle(): decide by idleness alone when it is clear-cut;
 * NO_CPU leaves it to wake_affine_weight(). */
int wake_affine_idle(struct sched *s, int this_cpu, int prev_cpu, int sync)
{
	/* If this_cpu is idle, the wakeup is likely from interrupt context:
	 * only pull if it shares the cache with prev. */
	if (available_idle_cpu(s, this_cpu) && cpus_share_cache(s, this_cpu, prev_cpu))
		return available_idle_cpu(s, prev_cpu) ? prev_cpu : this_cpu;
	/* aa3ee4f0b754 "sched/fair: Fixup wake_up_sync() vs DELAYED_DEQUEUE"
	 * (mainline v6.16, in 6.15.y from 6.15.3 as its stable review series
	 * of 17 June 2025 shows; not in v6.15.0): cpu_rq(this_cpu)->nr_running
	 * - cfs_h_nr_delayed() == 1; delayed-dequeue tasks are not the
	 * waker's competition */
	if (sync && (s->p.wa_sync_delayed ? s->rq[this_cpu].h_nr_runnable
					  : s->rq[this_cpu].nr_running) == 1)
		return this_cpu;
	if (available_idle_cpu(s, prev_cpu))
		return prev_cpu;
	return NO_CPU;
}

/* wake_affine_weight(): pull when this_cpu would be less loaded with the
 * wakee than prev_cpu without it; WA_BIAS favours prev by half of
 * imbalance_pct (the wakee's cache is there).  A sync waker is about to
 * sleep, so its load is not counted, and a tie goes to this_cpu. */
int wake_affine_weight(struct sched *s, const struct sd_tmpl *sd, struct task *p,
		       struct task *waker, int this_cpu, int prev_cpu, int sync)
{
	int64_t this_eff_load, prev_eff_load;
	unsigned long task_load;

	this_eff_load = (int64_t)cpu_load(&s->rq[this_cpu]);
	if (sync && waker) {
		unsigned long current_load = task_h_load(waker);
		if ((int64_t)current_load > this_eff_load)
			return this_cpu;
		this_eff_load -= (int64_t)current_load;
	}
	task_load = task_h_load(p);
	this_eff_load += (int64_t)task_load;
	if (s->p.wa_bias)
		this_eff_load *= 100;
	this_eff_load *= SCHED_CAPACITY_SCALE;
	prev_eff_load = (int64_t)cpu_load(&s->rq[prev_cpu]);
	prev_eff_load -= (int64_t)task_load;
	if (s->p.wa_bias)
		prev_eff_load *= 100 + (sd->imbalance_pct - 100) / 2;
	prev_eff_load *= SCHED_CAPACITY_SCALE;
	if (sync)
		prev_eff_load += 1;
	return this_eff_load < prev_eff_load ? this_cpu : NO_CPU;
}

/* wake_affine(): the wakee moves to the waker's CPU only on a positive
 * answer; anything else keeps it on prev_cpu. */
int wake_affine(struct sched *s, const struct sd_tmpl *sd, struct task *p, struct task *waker,
		int this_cpu, int prev_cpu, int sync)
{
	int target = NO_CPU;

	if (s->p.wa_idle)
		target = wake_affine_idle(s, this_cpu, prev_cpu, sync);
	if (s->p.wa_weight && target == NO_CPU)
		target = wake_affine_weight(s, sd, p, waker, this_cpu, prev_cpu, sync);
	if (target != this_cpu)
		return prev_cpu;
	return target;
}

/* select_idle_smt(): an idle SMT sibling of @target inside the LLC. */
static int select_idle_smt(struct sched *s, struct task *p, int target)
{
	const struct cpumask *smt = &s->topo->core_cpus[s->topo->cpu[target].core];

	for_each_cpu(cpu, smt) {
		if (cpu == target || !allowed(p, cpu))
			continue;
		if (available_idle_cpu(s, cpu))
			return cpu;
	}
	return -1;
}

/* select_idle_core(): is the whole core of @core idle?  A whole idle core
 * beats an idle SMT thread next to a busy one; the first idle thread seen
 * is kept as the fallback, and a busy core's siblings leave the scan. */
int select_idle_core(struct sched *s, int core, struct cpumask *cpus, int *idle)
{
	const struct cpumask *smt = &s->topo->core_cpus[s->topo->cpu[core].core];
	bool all_idle = true;

	for_each_cpu(cpu, smt) {
		if (!available_idle_cpu(s, cpu)) {
			all_idle = false;
			if (*idle == -1)
				continue;
			break;
		}
		if (*idle == -1 && cpumask_test(cpus, cpu))
			*idle = cpu;
	}
	if (all_idle)
		return core;
	cpumask_andnot(cpus, cpus, smt);
	return -1;
}

/* for_each_cpu_wrap() step: the next CPU of @m after @cpu, starting over
 * at 0 once past the end and stopping (-1) on reaching @start again. */
static int next_wrap(const struct cpumask *m, int cpu, int start, bool *wrapped)
{
	int n = cpumask_next(m, cpu + 1);

	if (n < 0 && !*wrapped) {
		*wrapped = true;
		n = cpumask_first(m);
	}
	if (*wrapped && n >= start)
		return -1;
	return n;
}

/* select_idle_cpu(): scan the LLC for an idle core (when one is known to
 * exist) or an idle CPU, at most nr_idle_scan CPUs under SIS_UTIL. */
int select_idle_cpu(struct sched *s, struct task *p, int has_idle_core, int target)
{
	const struct topo_llc *llc = &s->topo->llc[s->topo->cpu[target].llc];
	struct sd_shared *sds = s->rq[target].llc_shared;
	struct cpumask cpus;
	int i, idle = -1, nr = INT_MAX;

	cpumask_and(&cpus, &llc->cpus, &p->affinity);
	if (s->p.sis_util) {
		/* because !--nr is the condition to stop scan */
		nr = sds->nr_idle_scan + 1;
		/* overloaded LLC is unlikely to have idle cpu/core */
		if (nr == 1)
			return -1;
	}
	bool wrapped = false;
	int start = target + 1 < s->nr_cpus ? target + 1 : 0;
	int first = cpumask_next(&cpus, start);

	if (first < 0) {
		wrapped = true;
		first = cpumask_first(&cpus);
	}
	for (int cpu = first; cpu >= 0; cpu = next_wrap(&cpus, cpu, start, &wrapped)) {
		if (!cpumask_test(&cpus, cpu))
			continue; /* removed by select_idle_core() */
		if (has_idle_core) {
			i = select_idle_core(s, cpu, &cpus, &idle);
			if (i >= 0)
				return i;
		} else {
			if (--nr <= 0)
				return -1;
			if (available_idle_cpu(s, cpu)) {
				idle = cpu;
				break;
			}
		}
	}
	if (has_idle_core)
		sds->has_idle_cores = 0;
	return idle;
}

/* select_idle_sibling(): the cheapest idle CPU sharing the target's cache:
 * target, prev, the task's recent CPU, prev's SMT sibling, then a bounded
 * scan of the LLC; else stack on target. */
int select_idle_sibling(struct sched *s, struct task *p, int prev, int target)
{
	int has_idle_core = 0, i, recent_used_cpu;

	/* on an asymmetric system the task's utilisation is brought up to date
	 * (sync_entity_load_avg()): the CPUs below must fit it */
	if (s->asym_cpucap && p->cpu >= 0)
		update_task_load(s, p, &s->rq[p->cpu]);
	if (available_idle_cpu(s, target) && asym_fits_cpu(s, p, target))
		return target;
	/* If the previous CPU is cache affine and idle, don't be stupid. */
	if (prev != target && cpus_share_cache(s, prev, target) && available_idle_cpu(s, prev) &&
	    asym_fits_cpu(s, p, prev))
		return prev;
	/* Check a recently used CPU as a potential idle candidate. */
	recent_used_cpu = p->recent_used_cpu;
	p->recent_used_cpu = prev;
	if (recent_used_cpu >= 0 && recent_used_cpu != prev && recent_used_cpu != target &&
	    cpus_share_cache(s, recent_used_cpu, target) && available_idle_cpu(s, recent_used_cpu) &&
	    allowed(p, recent_used_cpu) && asym_fits_cpu(s, p, recent_used_cpu))
		return recent_used_cpu;
	/* "For asymmetric CPU capacity systems, our domain of interest is
	 * sd_asym_cpucapacity rather than sd_llc." */
	if (s->asym_cpucap) {
		struct sched_domain *sd = sd_asym_cpucapacity(s, target);

		if (sd) {
			i = select_idle_capacity(s, p, sd, target);
			return i >= 0 ? i : target;
		}
	}
	if (s->smt_active) {
		has_idle_core = s->rq[target].llc_shared->has_idle_cores;
		if (!has_idle_core && cpus_share_cache(s, prev, target)) {
			i = select_idle_smt(s, p, prev);
			if (i >= 0)
				return i;
		}
	}
	i = select_idle_cpu(s, p, has_idle_core, target);
	if (i >= 0)
		return i;
	return target;
}

/* ------------------------------------------------ slow path: find_idlest_* */

/* update_sg_wakeup_stats(): like update_sg_lb_stats() without @p's own
 * contribution.  Only fork reaches the slow path here (no SD_BALANCE_WAKE,
 * exec not modelled), and a new task has no last_update_time: Linux's
 * cpu_util_without()/cpu_load_without() then read cpu_util_cfs()/cpu_load(),
 * util_est included, as sg_add_cpu() does. */
static void update_sg_wakeup_stats(struct sched *s, const struct sd_tmpl *sd,
				   const struct sd_group_tmpl *g, struct sg_lb_stats *sgs)
{
	*sgs = sg_of_terms(group_terms(s, g)); /* sg_add_cpu() over the group's CPUs */
	sgs->group_capacity = s->asym_cpucap ? group_capacity(s, g)
					     : (unsigned long)g->weight * SCHED_CAPACITY_SCALE;
	sgs->group_weight = (unsigned)g->weight;
	sgs->group_type = group_classify((unsigned)sd->imbalance_pct, sgs);
	if (sgs->group_type == group_fully_busy || sgs->group_type == group_overloaded)
		sgs->avg_load = sgs->group_load * SCHED_CAPACITY_SCALE / sgs->group_capacity;
}

/* update_pick_idlest(): the least busy group type wins; then the lower
 * avg_load, or the most idle CPUs and least utilisation. */
static bool update_pick_idlest(const struct sg_lb_stats *idlest, const struct sg_lb_stats *sgs)
{
	if (sgs->group_type < idlest->group_type)
		return true;
	if (sgs->group_type > idlest->group_type)
		return false;
	switch (sgs->group_type) {
	case group_overloaded:
	case group_fully_busy:
		if (idlest->avg_load <= sgs->avg_load)
			return false;
		break;
	case group_has_spare:
		if (idlest->idle_cpus > sgs->idle_cpus)
			return false;
		if (idlest->idle_cpus == sgs->idle_cpus && idlest->group_util <= sgs->group_util)
			return false;
		break;
	default:
		return false;
	}
	return true;
}

/* sched_balance_find_dst_group() (find_idlest_group): the idlest group, or
 * NULL to stay in the local group unless another is clearly better (by
 * imbalance_pct in load, or in idle CPUs beyond the NUMA allowance). */
static const struct sd_group_tmpl *find_idlest_group(struct sched *s, const struct sd_tmpl *sd,
						     struct task *p, int this_cpu)
{
	const struct sd_group_tmpl *idlest = NULL, *local = NULL;
	struct sg_lb_stats local_sgs = { 0 }, tmp, idlest_sgs = { .avg_load = ULONG_MAX,
								 .group_type = group_overloaded };
	unsigned long imbalance;

	for (int gi = 0; gi < sd->nr_groups; gi++) {
		/* groups[gi] as every CPU's domains share it (cache-warm) */
		const struct sd_group_tmpl *g = s->sdt->gid_group[sd->gids[gi]];
		int local_group;

		/* (a task created without a mask has every CPU in p->affinity) */
		if (p->has_affinity && !cpumask_intersects(&g->span, &p->affinity))
			continue;
		local_group = cpumask_test(&g->span, this_cpu);
		if (local_group) {
			update_sg_wakeup_stats(s, sd, g, &local_sgs);
			local = g;
		} else {
			update_sg_wakeup_stats(s, sd, g, &tmp);
			if (update_pick_idlest(&idlest_sgs, &tmp)) {
				idlest = g;
				idlest_sgs = tmp;
			}
		}
	}
	if (!idlest)
		return NULL;
	if (!local)
		return idlest;
	if (local_sgs.group_type < idlest_sgs.group_type)
		return NULL;
	if (local_sgs.group_type > idlest_sgs.group_type)
		return idlest;
	switch (local_sgs.group_type) {
	case group_overloaded:
	case group_fully_busy:
		imbalance = (unsigned long)NICE_0_LOAD * (unsigned long)(sd->imbalance_pct - 100) / 100;
		if (idlest_sgs.avg_load >= local_sgs.avg_load + imbalance)
			return NULL;
		if (100 * local_sgs.avg_load <= (unsigned long)sd->imbalance_pct * idlest_sgs.avg_load)
			return NULL;
		break;
	case group_has_spare:
		if (sd->flags & SD_NUMA) {
			long imb = labs((long)local_sgs.idle_cpus - (long)idlest_sgs.idle_cpus);
			int imb_numa_nr = sd->imb_numa_nr;
			if (p->has_affinity)
				imb_numa_nr = MIN(p->nr_cpus_allowed, sd->imb_numa_nr);
			if (!adjust_numa_imbalance(imb, (int)local_sgs.sum_nr_running + 1, imb_numa_nr))
				return NULL;
		}
		if (local_sgs.idle_cpus >= idlest_sgs.idle_cpus)
			return NULL;
		break;
	default:
		return NULL;
	}
	return idlest;
}

/* sched_balance_find_dst_group_cpu() (fair.c, v6.15): among the idle CPUs
 * the one in the shallowest idle state (smallest exit_latency of
 * idle_get_state()), the most recently idled among equals or among those
 * in no state; else the least loaded. */
int find_idlest_group_cpu(struct sched *s, const struct sd_group_tmpl *g, struct task *p, int this_cpu)
{
	unsigned long load, min_load = ULONG_MAX;
	int64_t min_exit_latency = INT64_MAX;
	simtime_t latest_idle = -1;
	int least_loaded_cpu = this_cpu, shallowest_idle_cpu = -1;

	if (g->weight == 1)
		return g->first_cpu;
	for_each_group_cpu(i, g) {
		struct rq *rq = &s->rq[i];
		if (!allowed(p, i))
			continue;
		if (available_idle_cpu(s, i)) {
			/* idle_get_state(): NULL (-1) outside a state */
			int64_t exit_latency = s->perf && rq->in_cstate ? perf_idle_exit_latency(s->perf, i) : -1;

			if (exit_latency >= 0 && exit_latency < min_exit_latency) {
				min_exit_latency = exit_latency;
				latest_idle = rq->idle_stamp;
				shallowest_idle_cpu = i;
			} else if ((exit_latency < 0 || exit_latency == min_exit_latency) &&
				   rq->idle_stamp > latest_idle) {
				latest_idle = rq->idle_stamp;
				shallowest_idle_cpu = i;
			}
		} else if (shallowest_idle_cpu == -1) {
			load = cpu_load(rq);
			if (load < min_load) {
				min_load = load;
				least_loaded_cpu = i;
			}
		}
	}
	return shallowest_idle_cpu != -1 ? shallowest_idle_cpu : least_loaded_cpu;
}

/* sched_balance_find_dst_cpu() (find_idlest_cpu). */
static int find_idlest_cpu(struct sched *s, const struct sd_tmpl *sd, struct task *p, int cpu,
			   int prev_cpu, unsigned sd_flag)
{
	int new_cpu = cpu;

	if (!cpumask_intersects(&sd->span, &p->affinity))
		return prev_cpu;
	while (sd) {
		const struct sd_group_tmpl *g;
		int weight;

		if (!(sd->flags & sd_flag)) {
			sd = sd->child;
			continue;
		}
		g = find_idlest_group(s, sd, p, cpu);
		if (!g) {
			sd = sd->child;
			continue;
		}
		new_cpu = find_idlest_group_cpu(s, g, p, cpu);
		if (new_cpu == cpu) {
			sd = sd->child;
			continue;
		}
		/* Now try balancing at a lower domain level of new_cpu */
		cpu = new_cpu;
		weight = sd->span_weight;
		sd = NULL;
		for_each_domain_tmpl(tmp, s->sdt->base[cpu]) {
			if (weight <= tmp->span_weight)
				break;
			if (tmp->flags & sd_flag)
				sd = tmp;
		}
	}
	return new_cpu;
}

/* select_task_rq_fair(): fork balancing takes the slow path down the
 * SD_BALANCE_FORK domains; a wakeup takes the fast path: wake_affine() in
 * the lowest domain spanning waker and wakee (unless wake_wide()), then an
 * idle CPU near the chosen one. */
int select_task_rq_fair(struct sched *s, struct task *p, int prev_cpu, int this_cpu,
			struct task *waker, int wake_flags)
{
	int sync = (wake_flags & WF_SYNC) != 0;
	unsigned sd_flag = (wake_flags & WF_FORK) ? SD_BALANCE_FORK : 0;
	const struct sd_tmpl *sd = NULL;
	int new_cpu = prev_cpu, want_affine = 0, real_prev = prev_cpu;

	if (p->nr_cpus_allowed == 1)
		return cpumask_first(&p->affinity);
	if (wake_flags & WF_TTWU) {
		record_wakee(s, waker, p);
		new_cpu = prev_cpu = HOOK_OR(s, wakeup_prev, prev_cpu, p, prev_cpu, this_cpu);
		want_affine = !wake_wide(s, waker, p, this_cpu) && allowed(p, this_cpu);
	}
	for_each_domain_tmpl(tmp, s->sdt->base[this_cpu]) {
		/* If both this_cpu and prev_cpu are part of this domain, this_cpu
		 * is a valid SD_WAKE_AFFINE target. */
		if (want_affine && (tmp->flags & SD_WAKE_AFFINE) && cpumask_test(&tmp->span, prev_cpu)) {
			if (this_cpu != prev_cpu)
				new_cpu = wake_affine(s, tmp, p, waker, this_cpu, prev_cpu, sync);
			sd = NULL; /* Prefer wake_affine over balance flags */
			break;
		}
		if (tmp->flags & sd_flag)
			sd = tmp;
		else if (!want_affine)
			break;
	}
	if (sd)
		new_cpu = find_idlest_cpu(s, sd, p, this_cpu, prev_cpu, sd_flag);
	else if (wake_flags & WF_TTWU) {
		new_cpu = select_idle_sibling(s, p, prev_cpu, new_cpu);
		/* CAS wakeup redirection (RFC .. RFC v4): nothing idle around the
		 * preferred CPU and the real previous CPU is in another LLC: one
		 * more search there (wake_affine is lost for that pass) */
		if (prev_cpu != real_prev && !available_idle_cpu(s, new_cpu) &&
		    !cpus_share_cache(s, prev_cpu, real_prev))
			new_cpu = select_idle_sibling(s, p, real_prev, real_prev);
	}
	if (!allowed(p, new_cpu))
		new_cpu = cpumask_next(&p->affinity, 0);
	if (cpu_offline(s, new_cpu))
		new_cpu = sched_fallback_cpu(s, p, new_cpu);
	return new_cpu;
}
