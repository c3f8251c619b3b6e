/*
 * Load balancing, mirroring kernel/sched/fair.c of Linux v6.15: periodic
 * balancing per domain from the tick (sched_balance_domains), newidle
 * balancing, and NOHZ idle balancing kicked by busy CPUs.  One struct
 * lb_env carries a pass through should_we_balance -> find_busiest_group ->
 * find_busiest_queue -> detach_tasks/can_migrate_task -> active balance,
 * as in the kernel.  Asymmetric CPU capacity (misfit tasks) is in
 * asym.c, called from here.  Not modelled: asym packing, sgc->imbalance (group_imbalanced), cgroup hierarchies
 * (task_h_load() is the task's load_avg).  Known divergence: avg_load is also computed for
 * fully busy groups (see the expected failure in tests/unit/test_lb.c).
 */
#include "sched/lb.h"
#include "sched/asym.h"
#include "sched/util_est.h"
#include "sched/hook_call.h"

#include <limits.h>

#define MAX_PINNED_INTERVAL 512

static inline const struct sd_tmpl *T(const struct sched_domain *sd) { return sd->t; }

static int max_load_balance_interval(const struct sched *s)
{
	return (int)(s->p.hz * s->nr_cpus / 10);
}

/* get_sd_balance_interval(): busy CPUs balance busy_factor times less often. */
static uint64_t get_sd_balance_interval(struct sched *s, struct sched_domain *sd, int cpu_busy)
{
	uint64_t interval = sd->balance_interval;

	if (cpu_busy)
		interval *= (uint64_t)T(sd)->busy_factor;
	/* msecs_to_jiffies() */
	interval = (interval * (uint64_t)s->p.hz + 999) / 1000;
	if (cpu_busy && interval > 0)
		interval -= 1;
	return CLAMP(interval, 1, (uint64_t)max_load_balance_interval(s));
}

static bool is_core_idle(struct sched *s, int cpu)
{
	const struct cpumask *smt = &s->topo->core_cpus[s->topo->cpu[cpu].core];

	for_each_cpu(c, smt)
		if (c != cpu && !idle_cpu(&s->rq[c]))
			return false;
	return true;
}

/* should_we_balance(): one CPU per group does the balancing: the first idle
 * core's CPU, else the first idle SMT thread, else the group balance CPU. */
static int should_we_balance(struct sched *s, struct lb_env *env)
{
	const struct sd_group_tmpl *sg = &T(env->sd)->groups[0];
	struct cpumask swb;
	int idle_smt = -1;

	if (env->idle == CPU_NEWLY_IDLE)
		return env->dst_rq->nr_running == 0;
	swb = sg->span;
	for (int cpu = cpumask_first(&swb); cpu >= 0; cpu = cpumask_next(&swb, cpu + 1)) {
		if (!idle_cpu(&s->rq[cpu]))
			continue;
		if (!(T(env->sd)->flags & SD_SHARE_CPUCAPACITY) && !is_core_idle(s, cpu)) {
			if (idle_smt == -1)
				idle_smt = cpu;
			cpumask_andnot(&swb, &swb, &s->topo->core_cpus[s->topo->cpu[cpu].core]);
			continue;
		}
		return cpu == env->dst_cpu;
	}
	if (idle_smt != -1)
		return idle_smt == env->dst_cpu;
	return sg->first_cpu == env->dst_cpu;
}

static inline bool group_is_overloaded(unsigned pct, const struct sg_lb_stats *sgs)
{
	if (sgs->sum_nr_running <= sgs->group_weight)
		return false;
	if (sgs->group_capacity * 100 < sgs->group_util * pct)
		return true;
	if (sgs->group_capacity * pct < sgs->group_runnable * 100)
		return true;
	return false;
}

/* group_has_capacity(): room for more work: fewer tasks than CPUs, or
 * utilisation clearly (by imbalance_pct) below the capacity and not much
 * runnable time waiting; the margin keeps a sliver from counting. */
static inline bool group_has_capacity(unsigned pct, const struct sg_lb_stats *sgs)
{
	if (sgs->sum_nr_running < sgs->group_weight)
		return true;
	if (sgs->group_capacity * pct < sgs->group_runnable * 100)
		return false;
	if (sgs->group_capacity * 100 > sgs->group_util * pct)
		return true;
	return false;
}

/* The asymmetric-capacity part of update_sg_lb_stats(): the group's
 * capacity is the sum of capacity_of() of its CPUs, and on an
 * SD_ASYM_CPUCAPACITY domain a non-local group records its largest
 * misfit_task_load, which also marks the root domain overloaded. */
static void update_sg_asym_stats(struct sched *s, struct lb_env *env, const struct sd_group_tmpl *g,
				 struct sg_lb_stats *sgs, int local, bool *sg_overloaded)
{
	bool misfit = !local && (T(env->sd)->flags & SD_ASYM_CPUCAPACITY);

	sgs->group_capacity = group_capacity(s, g);
	if (!misfit)
		return;
	for_each_group_cpu(i, g) {
		if (cpumask_test(&env->cpus, i) && sgs->group_misfit_task_load < s->misfit_task_load[i]) {
			sgs->group_misfit_task_load = s->misfit_task_load[i];
			*sg_overloaded = true;
		}
	}
}

/* group_classify(): the worst state first, as update_sd_pick_busiest()
 * ranks groups by it. */
enum group_type group_classify(unsigned pct, const struct sg_lb_stats *sgs)
{
	if (group_is_overloaded(pct, sgs))
		return group_overloaded;
	if (sgs->group_smt_balance)
		return group_smt_balance;
	if (sgs->group_misfit_task_load)
		return group_misfit_task;
	if (!group_has_capacity(pct, sgs))
		return group_fully_busy;
	return group_has_spare;
}

/* The group's child domain flags (sg->flags in the kernel). */
static unsigned group_flags(const struct sched_domain *sd)
{
	return sd->child ? T(sd->child)->flags : 0;
}

/* Every CPU of @g is in @cpus. */
static bool group_within(const struct sd_group_tmpl *g, const struct cpumask *cpus)
{
	for (int i = g->first_cpu >> 6; i <= g->last_cpu >> 6; i++)
		if (g->span.w[i] & ~cpus->w[i])
			return false;
	return true;
}

/* update_sg_lb_stats(): sum a group's CPUs, note whether any CPU has more
 * than one task (the root domain's "overloaded", which gates newidle
 * balancing), then classify. */
static void update_sg_lb_stats(struct sched *s, struct lb_env *env, bool all_cpus,
			       const struct sd_group_tmpl *g, struct sg_lb_stats *sgs, int local,
			       bool *sg_overloaded, unsigned long *sum_util)
{
	bool overloaded = false;

	/* for_each_cpu_and(i, sched_group_span(group), env->cpus): a CPU the
	 * pass dropped (all its tasks pinned away from dst) no longer counts;
	 * the group's running sums serve while none is dropped (@all_cpus:
	 * env->cpus holds the whole domain) */
	if (all_cpus || group_within(g, &env->cpus)) {
		const struct grp_terms *t = group_terms(s, g);

		*sgs = sg_of_terms(t);
		overloaded = t->overloaded;
	} else {
		struct sg_lb_stats acc = { 0 }; /* in registers: sgs may alias the runqueues */

		for_each_group_cpu(i, g) {
			if (!cpumask_test(&env->cpus, i))
				continue;
			sg_add_cpu(&acc, &s->rq[i]);
			overloaded |= s->rq[i].nr_running > 1;
		}
		*sgs = acc;
	}
	if (overloaded)
		*sg_overloaded = true;
	*sum_util += sgs->group_util;
	sgs->group_capacity = (unsigned long)g->weight * SCHED_CAPACITY_SCALE;
	if (s->asym_cpucap)
		update_sg_asym_stats(s, env, g, sgs, local, sg_overloaded);
	sgs->group_weight = (unsigned)g->weight;
	sgs->cores = s->topo->smt > 1 && (group_flags(env->sd) & SD_SHARE_CPUCAPACITY)
			     ? 1 : (unsigned)MAX(1, g->weight / MAX(1, s->topo->smt));
	/* smt_balance(): an SMT group running 2+ tasks while dst is idle */
	if (!local && env->idle != CPU_NOT_IDLE && sgs->group_weight > 1 &&
	    (group_flags(env->sd) & SD_SHARE_CPUCAPACITY) && sgs->sum_h_nr_running > 1)
		sgs->group_smt_balance = 1;
	sgs->group_type = group_classify((unsigned)T(env->sd)->imbalance_pct, sgs);
	HOOK(s, group_stats, env, g, sgs, local);
	/* "Computing avg_load makes sense only when group is overloaded"
	 * (update_sg_lb_stats(), v6.15): a fully busy group keeps avg_load 0
	 * until calculate_imbalance() computes the local group's */
	if (sgs->group_type == group_overloaded)
		sgs->avg_load = sgs->group_load * SCHED_CAPACITY_SCALE / sgs->group_capacity;
}

/* update_sd_pick_busiest() (fair.c, v6.15): the worst group type wins;
 * within a type, overloaded groups compare by avg_load, fully busy ones by
 * avg_load too (always 0 for them, see update_sg_lb_stats()) where a tie
 * takes the later group unless the current pick is made of SMT siblings
 * ("SMT sched groups need more help"), groups with spare capacity by
 * fewest idle CPUs, then most tasks.  @flags is the candidate's sg->flags,
 * which all groups of a domain share (the child domain's flags). */
bool update_sd_pick_busiest(struct sd_lb_stats *sds, const struct sg_lb_stats *sgs, unsigned flags)
{
	struct sg_lb_stats *busiest = &sds->busiest_stat;

	if (!sgs->sum_h_nr_running)
		return false;
	if (sgs->group_type > busiest->group_type)
		return true;
	if (sgs->group_type < busiest->group_type)
		return false;
	switch (sgs->group_type) {
	case group_overloaded:
		if (sgs->avg_load <= busiest->avg_load)
			return false;
		break;
	case group_imbalanced:
	case group_asym_packing:
		return false;
	case group_misfit_task:
		/* more than one misfit group: the biggest misfit */
		if (sgs->group_misfit_task_load < busiest->group_misfit_task_load)
			return false;
		break;
	case group_llc_balance:
		/* CAS: the group with more tasks preferring dst's LLC */
		if (sgs->nr_pref_dst_llc <= busiest->nr_pref_dst_llc)
			return false;
		break;
	case group_smt_balance:
		if (sgs->idle_cpus != 0 || busiest->idle_cpus != 0)
			goto has_spare;
		/* fall through */
	case group_fully_busy:
		if (sgs->avg_load < busiest->avg_load)
			return false;
		if (sgs->avg_load == busiest->avg_load && (flags & SD_SHARE_CPUCAPACITY))
			return false;
		break;
	case group_has_spare:
has_spare:
		if (sgs->idle_cpus > busiest->idle_cpus)
			return false;
		if (sgs->idle_cpus == busiest->idle_cpus && sgs->sum_nr_running <= busiest->sum_nr_running)
			return false;
		break;
	}
	return true;
}

/*
 * SIS_UTIL: x = sum_util / llc_weight; y = 1024 - x^2 * pct^2 / (10000 * 1024);
 * nr_scan = llc_weight * y / 1024: the scan depth falls with the square of
 * the LLC's utilisation and reaches 0 at ~85% (pct 117).
 */
int sis_util_nr_scan(unsigned long sum_util, int llc_weight, int imbalance_pct)
{
	uint64_t x, tmp, y, pct = (uint64_t)imbalance_pct, w = (uint64_t)llc_weight;

	x = sum_util / w;
	tmp = x * x * pct * pct / (10000 * SCHED_CAPACITY_SCALE);
	tmp = MIN(tmp, (uint64_t)SCHED_CAPACITY_SCALE);
	y = SCHED_CAPACITY_SCALE - tmp;
	return (int)(y * w / SCHED_CAPACITY_SCALE);
}

/* update_idle_cpu_scan(): the LLC-level periodic balance sets the depth. */
static void update_idle_cpu_scan(struct sched *s, struct lb_env *env, unsigned long sum_util)
{
	const struct topo_llc *llc = &s->topo->llc[s->topo->cpu[env->dst_cpu].llc];

	if (!s->p.sis_util || env->idle == CPU_NEWLY_IDLE)
		return;
	if (T(env->sd)->span_weight != llc->nr_cpus)
		return;
	env->dst_rq->llc_shared->nr_idle_scan =
		sis_util_nr_scan(sum_util, llc->nr_cpus, T(env->sd)->imbalance_pct);
}

/* update_sd_lb_stats(): statistics of every group of the domain, keeping
 * the local group and the busiest other one; prefer_sibling when the
 * child domains ask for tasks to be spread over their siblings. */
static void update_sd_lb_stats(struct sched *s, struct lb_env *env, struct sd_lb_stats *sds)
{
	const struct sd_tmpl *t = T(env->sd);
	struct sg_lb_stats tmp;
	/* every group's CPUs are in env->cpus (an overlapping NUMA group may
	 * reach outside the domain's span, which env->cpus starts from) */
	bool sg_overloaded = false,
	     all_cpus = t->groups_in_span && cpumask_subset(&t->span, &env->cpus);
	unsigned long sum_util = 0;

	*sds = (struct sd_lb_stats){ 0 };
	sds->busiest_stat.idle_cpus = UINT_MAX;
	sds->busiest_stat.group_type = group_has_spare;
	sds->prefer_sibling = env->sd->child && (T(env->sd->child)->flags & SD_PREFER_SIBLING);
	for (int gi = 0; gi < t->nr_groups; gi++) {
		/* groups[gi] as every CPU's domains share it (cache-warm) */
		const struct sd_group_tmpl *g = s->sdt->gid_group[t->gids[gi]];
		int local = cpumask_test(&g->span, env->dst_cpu);

		if (local) {
			sds->local = g;
			update_sg_lb_stats(s, env, all_cpus, g, &sds->local_stat, 1, &sg_overloaded, &sum_util);
		} else {
			update_sg_lb_stats(s, env, all_cpus, g, &tmp, 0, &sg_overloaded, &sum_util);
			if (update_sd_pick_busiest(sds, &tmp, group_flags(env->sd)) &&
			    !(s->asym_cpucap && asym_pick_busiest_veto(s, env, sds, g, &tmp))) {
				sds->busiest = g;
				sds->busiest_stat = tmp;
			}
		}
		sds->total_load += local ? sds->local_stat.group_load : tmp.group_load;
		sds->total_capacity += local ? sds->local_stat.group_capacity : tmp.group_capacity;
	}
	if (!env->sd->parent)
		s->rd_overloaded = sg_overloaded;
	update_idle_cpu_scan(s, env, sum_util);
}

/* sibling_imbalance(): spread running tasks so nr_running/ncores matches. */
long sibling_imbalance(struct lb_env *env, struct sd_lb_stats *sds,
		       const struct sg_lb_stats *busiest, const struct sg_lb_stats *local)
{
	long ncores_busiest, ncores_local, imbalance;

	if (env->idle == CPU_NOT_IDLE || !busiest->sum_nr_running)
		return 0;
	ncores_busiest = busiest->cores;
	ncores_local = local->cores;
	if (ncores_busiest == ncores_local) {
		imbalance = (long)busiest->sum_nr_running - (long)local->sum_nr_running;
		return MAX(imbalance, 0);
	}
	imbalance = ncores_local * (long)busiest->sum_nr_running - ncores_busiest * (long)local->sum_nr_running;
	imbalance = MAX(imbalance, 0);
	imbalance = 2 * imbalance + ncores_local + ncores_busiest;
	imbalance /= ncores_local + ncores_busiest;
	if (imbalance <= 1 && local->sum_nr_running == 0 && busiest->sum_nr_running > 1)
		imbalance = 2;
	(void)sds;
	return imbalance;
}

/*
 * calculate_imbalance(): what to move and how much.  A local group with
 * spare capacity takes utilisation from an overloaded group outside its
 * LLC (tasks would not say how much fits), otherwise evens out tasks or
 * idle CPUs, halved so that the two groups meet in the middle.  Once the
 * local group is (or would become) busy, loads are compared and it pulls
 * no more than brings both groups to the domain average.
 */
void calculate_imbalance(struct lb_env *env, struct sd_lb_stats *sds)
{
	struct sg_lb_stats *local = &sds->local_stat, *busiest = &sds->busiest_stat;
	const struct sd_tmpl *t = T(env->sd);

	if (busiest->group_type == group_misfit_task) {
		/* SD_ASYM_CPUCAPACITY is the only source of misfit here (no
		 * reduced-capacity CPUs): "allow misfit tasks to be balanced" */
		env->migration_type = migrate_misfit;
		env->imbalance = 1;
		return;
	}
	if (busiest->group_type == group_llc_balance) {
		env->migration_type = migrate_llc_task;
		env->imbalance = 1;
		return;
	}
	if (busiest->group_type == group_smt_balance || busiest->group_type == group_imbalanced) {
		env->migration_type = migrate_task;
		env->imbalance = 1;
		return;
	}
	if (local->group_type == group_has_spare) {
		if (busiest->group_type > group_fully_busy && !(t->flags & SD_SHARE_LLC)) {
			/* Use spare capacity to pull utilization */
			env->migration_type = migrate_util;
			env->imbalance = (long)(MAX(local->group_capacity, local->group_util) - local->group_util);
			if (env->idle != CPU_NOT_IDLE && env->imbalance == 0) {
				env->migration_type = migrate_task;
				env->imbalance = 1;
			}
			return;
		}
		env->migration_type = migrate_task;
		if (busiest->group_weight == 1 || sds->prefer_sibling)
			env->imbalance = sibling_imbalance(env, sds, busiest, local);
		else
			env->imbalance = MAX(0L, (long)local->idle_cpus - (long)busiest->idle_cpus);
		if (t->flags & SD_NUMA)
			env->imbalance = adjust_numa_imbalance(env->imbalance, (int)local->sum_nr_running + 1,
							       t->imb_numa_nr);
		env->imbalance >>= 1;
		return;
	}
	if (local->group_type < group_overloaded) {
		local->avg_load = local->group_load * SCHED_CAPACITY_SCALE / local->group_capacity;
		if (local->avg_load >= busiest->avg_load) {
			env->imbalance = 0;
			return;
		}
		sds->avg_load = sds->total_load * SCHED_CAPACITY_SCALE / sds->total_capacity;
		if (local->avg_load >= sds->avg_load) {
			env->imbalance = 0;
			return;
		}
	}
	env->migration_type = migrate_load;
	env->imbalance = (long)(MIN((busiest->avg_load - sds->avg_load) * busiest->group_capacity,
				    (sds->avg_load - local->avg_load) * local->group_capacity) /
				SCHED_CAPACITY_SCALE);
}

/* sched_balance_find_src_group() (find_busiest_group): the busiest group,
 * unless the domain counts as balanced: nothing busier than the local
 * group, overloaded groups within imbalance_pct of each other, or (for a
 * busiest group that is not overloaded) a busy dst, an idle-CPU count
 * that differs by at most one, or a single task that has a CPU anyway. */
const struct sd_group_tmpl *find_busiest_group(struct sched *s, struct lb_env *env,
					       struct sd_lb_stats *sds)
{
	struct sg_lb_stats *local, *busiest;

	update_sd_lb_stats(s, env, sds);
	if (!sds->busiest)
		goto out_balanced;
	busiest = &sds->busiest_stat;
	local = &sds->local_stat;
	/* "Misfit tasks should be dealt with regardless of the avg load" */
	if (busiest->group_type == group_misfit_task)
		goto force_balance;
	if (busiest->group_type == group_imbalanced)
		goto force_balance;
	if (local->group_type > busiest->group_type)
		goto out_balanced;
	if (local->group_type == group_overloaded) {
		if (local->avg_load >= busiest->avg_load)
			goto out_balanced;
		sds->avg_load = sds->total_load * SCHED_CAPACITY_SCALE / sds->total_capacity;
		if (local->avg_load >= sds->avg_load)
			goto out_balanced;
		if (100 * busiest->avg_load <= (unsigned long)T(env->sd)->imbalance_pct * local->avg_load)
			goto out_balanced;
	}
	/* CAS: a group_llc_balance busiest group is balanced whenever
	 * prefer_sibling and the local group has spare capacity (CAS.md
	 * §2.9(d)); the policy may turn this off (§2.14) or, as Hygon's RFC v2
	 * 14/23 does, on without prefer_sibling (the llc_force hook decides,
	 * given prefer_sibling) */
	if (local->group_type == group_has_spare &&
	    ((busiest->group_type == group_llc_balance &&
	      HOOK_OR(s, llc_force, sds->prefer_sibling, env, sds->prefer_sibling)) ||
	     (sds->prefer_sibling && sibling_imbalance(env, sds, busiest, local) > 1)))
		goto force_balance;
	if (busiest->group_type != group_overloaded) {
		if (env->idle == CPU_NOT_IDLE)
			goto out_balanced;
		if (busiest->group_weight > 1 && local->idle_cpus <= busiest->idle_cpus + 1)
			goto out_balanced;
		if (busiest->sum_h_nr_running == 1)
			goto out_balanced;
	}
force_balance:
	calculate_imbalance(env, sds);
	return env->imbalance ? sds->busiest : NULL;
out_balanced:
	env->imbalance = 0;
	return NULL;
}

/* sched_balance_find_src_rq() (find_busiest_queue): in the busiest group,
 * the CPU that best serves the migration type: most load, most
 * utilisation among CPUs with a task to spare, or most tasks. */
static struct rq *find_busiest_queue(struct sched *s, struct lb_env *env, const struct sd_group_tmpl *g)
{
	struct rq *busiest = NULL;
	unsigned long busiest_load = 0, busiest_util = 0;
	unsigned int busiest_nr = 0;
	const struct cpumask *runnable;

	{
		int c = HOOK_OR(s, busiest_queue, -1, env, g);
		if (c >= 0)
			return &s->rq[c];
		if (c == HOOK_NO_QUEUE)
			return NULL;
	}
	/* for_each_cpu_and(i, sched_group_span(group), env->cpus), a word at
	 * a time, skipping the CPUs with nothing runnable, which the loop body
	 * passes over ("if (!nr_running) continue") */
	runnable = grpsum_runnable(s);
	for (int w = g->first_cpu >> 6; w <= g->last_cpu >> 6; w++)
	for (uint64_t bits = g->span.w[w] & env->cpus.w[w] & runnable->w[w]; bits; bits &= bits - 1) {
		int i = w * 64 + __builtin_ctzll(bits);
		struct rq *rq = &s->rq[i];
		/* the CPU's h_nr_runnable and cpu_load() as grpsum_runnable()
		 * just brought them up to date, read from its compact copy
		 * rather than the large runqueue */
		const struct grp_terms *ct = &s->gsum.cpu[i];
		/* v6.15 sched_balance_find_src_rq(): cfs.h_nr_runnable */
		unsigned int nr_running = ct->h_nr_runnable;

		/* "don't pick a CPU that could eventually lead to active_balancing
		 * high->low capacity" */
		if ((T(env->sd)->flags & SD_ASYM_CPUCAPACITY) && nr_running == 1 &&
		    !capacity_greater(capacity_of(s, env->dst_cpu), capacity_of(s, i)))
			continue;
		switch (env->migration_type) {
		case migrate_load: {
			unsigned long load = ct->load; /* cpu_load() */
			/* a single task heavier than the imbalance stays put */
			if (nr_running == 1 && (long)load > env->imbalance)
				break;
			if (!busiest || load > busiest_load) {
				busiest_load = load;
				busiest = rq;
			}
			break;
		}
		case migrate_util: {
			unsigned long util = cpu_util_boost(rq); /* cpu_util_cfs_boost() */
			if (nr_running <= 1)
				continue;
			if (busiest_util < util) {
				busiest_util = util;
				busiest = rq;
			}
			break;
		}
		case migrate_task:
		case migrate_llc_task:
			if (busiest_nr < nr_running) {
				busiest_nr = nr_running;
				busiest = rq;
			}
			break;
		case migrate_misfit:
			/* the "biggest" misfit task */
			if (s->misfit_task_load[i] > busiest_load) {
				busiest_load = s->misfit_task_load[i];
				busiest = rq;
			}
			break;
		}
	}
	return busiest;
}

/* task_hot(): recently run tasks are cache hot (migration_cost). */
static int task_hot(struct sched *s, struct task *p, struct lb_env *env)
{
	if (T(env->sd)->flags & SD_SHARE_CPUCAPACITY)
		return 0;
	if (s->p.migration_cost_ns == 0)
		return 0;
	return eq_now(s->eq) - p->exec_start < s->p.migration_cost_ns;
}

/* can_migrate_task(): never a task pinned away from dst (but remember a
 * CPU of the local group it may use, for a retry) nor the running one; an
 * active balance takes anything else; otherwise a cache-hot task stays
 * until balancing has failed more than cache_nice_tries times. */
int can_migrate_task(struct sched *s, struct task *p, struct lb_env *env)
{
	int hot;

	/* v6.15 (since v6.14): a delayed-dequeue task moves only with
	 * migrate_load (its weight is still in the rq's load); this comes
	 * before the affinity test, so it leaves LBF_ALL_PINNED alone */
	if (p->se.sched_delayed && env->migration_type != migrate_load)
		return 0;
	if (!cpumask_test(&p->affinity, env->dst_cpu)) {
		env->flags |= LBF_SOME_PINNED;
		if (env->idle == CPU_NEWLY_IDLE || (env->flags & (LBF_DST_PINNED | LBF_ACTIVE_LB)))
			return 0;
		/* Prevent re-selecting dst_cpu: try another CPU of the local group */
		for_each_cpu(cpu, &env->dst_grp->span) {
			if (cpumask_test(&env->cpus, cpu) && cpumask_test(&p->affinity, cpu)) {
				env->flags |= LBF_DST_PINNED;
				env->new_dst_cpu = cpu;
				break;
			}
		}
		return 0;
	}
	env->flags &= ~LBF_ALL_PINNED;
	if (env->src_rq->curr == p)
		return 0;
	if (env->flags & LBF_ACTIVE_LB)
		return 1;
	/* tsk_cache_hot = migrate_degrades_locality(p, env): leaving the
	 * preferred node counts as hot, moving to it as cold; only a
	 * NUMA-neutral task goes on to the policy's filter and task_hot()
	 * (CAS.md §2.8 (g): NUMA balancing wins) */
	hot = s->numa_on && (T(env->sd)->flags & SD_NUMA)
		      ? numa_migrate_degrades_locality(s, p, env->src_cpu, env->dst_cpu, env->idle == CPU_IDLE)
		      : -1;
	if (hot == -1) {
		{
			enum hook_migrate v = HOOK_OR(s, can_migrate, HOOK_MIGRATE_DEFAULT, env, p);
			if (v == HOOK_MIGRATE_DENY_PINNED) {
				env->flags |= LBF_LLC_PINNED;
				return 0;
			}
			if (v == HOOK_MIGRATE_DENY)
				return 0;
			if (v == HOOK_MIGRATE_HOT)
				hot = 1;
		}
		if (hot == -1)
			hot = task_hot(s, p, env);
	}
	if (hot <= 0 || env->sd->nr_balance_failed > (unsigned)T(env->sd)->cache_nice_tries)
		return 1;
	return 0;
}

/* shr_bound(): halve the weight of a task per failed balance, so that
 * repeated failures let bigger tasks through. */
static unsigned long shr_bound(unsigned long val, unsigned int shift)
{
	return val >> MIN(shift, (unsigned)(sizeof(val) * 8 - 1));
}

/* detach_tasks() + attach_tasks(): walk cfs_tasks from the tail.  A policy
 * may order the walk (CAS order_tasks_by_llc()): one pass per rank. */
static int detach_tasks(struct sched *s, struct lb_env *env)
{
	struct task *p, *prevp;
	int detached = 0, passes = 1, pass = 0;
	unsigned int seen = 0, n = (unsigned)env->src_rq->nr_running;

	if (env->imbalance <= 0)
		return 0;
	passes = MAX(1, HOOK_OR(s, detach_order, 1, env, NULL));
next_pass:
	p = env->src_rq->tasks_tail;
	/* each task is visited at most once; failures rotate to the head in
	 * the kernel, which only matters for the next pass */
	for (; p && seen < n; p = prevp) {
		prevp = p->lb_prev;
		if (passes > 1 && HOOK_OR(s, detach_order, pass, env, p) != pass)
			continue;
		seen++;
		if (env->idle != CPU_NOT_IDLE && env->src_rq->nr_running <= 1)
			break;
		env->loop++;
		if (env->loop > env->loop_max)
			break;
		if (!can_migrate_task(s, p, env))
			continue;
		switch (env->migration_type) {
		case migrate_load: {
			unsigned long load = MAX(p->avg.load_avg, 1UL);
			if (shr_bound(load, env->sd->nr_balance_failed) > (unsigned long)env->imbalance)
				continue;
			env->imbalance -= (long)load;
			break;
		}
		case migrate_util: {
			unsigned long util = task_util_est_of(&p->avg); /* task_util_est(p) */
			if (shr_bound(util, env->sd->nr_balance_failed) > (unsigned long)env->imbalance)
				continue;
			env->imbalance -= (long)util;
			break;
		}
		case migrate_task:
		case migrate_llc_task:
			env->imbalance--;
			break;
		case migrate_misfit:
			/* "This is not a misfit task" */
			if (task_fits_cpu(s, p, env->src_cpu))
				continue;
			env->imbalance = 0;
			break;
		}
		sched_move_task(s, p, env->dst_cpu, MIGR_LB);
		HOOK(s, lb_moved, env, p);
		detached++;
		/* newidle balancing stops after one task (CONFIG_PREEMPTION) */
		if (env->idle == CPU_NEWLY_IDLE)
			return detached;
		if (env->imbalance <= 0)
			return detached;
	}
	if (++pass < passes && env->loop <= env->loop_max &&
	    !(env->idle != CPU_NOT_IDLE && env->src_rq->nr_running <= 1))
		goto next_pass;
	return detached;
}

/* need_active_balance(): only the running task could move, so stop it
 * from its CPU's stopper; worth it when plain balancing keeps failing. */
static int need_active_balance(struct sched *s, struct lb_env *env)
{
	struct sched_domain *sd = env->sd;

	if (HOOK_OR(s, active_balance_veto, false, env))
		return 0;
	/* imbalanced_active_balance(): migrate_task keeps failing */
	if (env->migration_type == migrate_task &&
	    sd->nr_balance_failed > (unsigned)T(sd)->cache_nice_tries + 2)
		return 1;
	if (env->migration_type == migrate_misfit || env->migration_type == migrate_llc_task)
		return 1;
	return 0;
}

/* active_load_balance_cpu_stop(): the stopper on the busiest CPU pushes its
 * running task to push_cpu. */
void active_balance_event(struct eq_event *ev, void *ctx)
{
	struct rq *busiest = container_of(ev, struct rq, active_ev);
	struct sched *s = ctx;
	struct task *p = busiest->curr;
	int target = busiest->push_cpu;

	busiest->active_balance = 0;
	/* the stopper (counted in the kernel's nr_running) preempts the
	 * running task, which becomes an ordinary queued task */
	if (!p || !cpumask_test(&p->affinity, target))
		return;
	sched_put_curr(s, busiest);
	/* detach_one_task(): the first task from the tail that may move, or
	 * the policy's choice */
	p = HOOK_OR(s, active_pick, NULL, busiest->cpu, target);
	for (struct task *q = busiest->tasks_tail; q && !p; q = q->lb_prev)
		if (cpumask_test(&q->affinity, target))
			p = q;
	if (p && p != HOOK_NO_TASK) {
		sched_move_task(s, p, target, MIGR_ACTIVE);
		/* active_load_balance_cpu_stop(): "Active balancing done, reset
		 * the failure counter" of target's domain spanning busiest */
		for (struct sched_domain *sd = s->rq[target].sd; sd; sd = sd->parent)
			if (cpumask_test(&sd->t->span, busiest->cpu)) {
				sd->nr_balance_failed = 0;
				break;
			}
		HOOK(s, lb_moved, NULL, p);
	}
	sched_resched(s, busiest->cpu);
}

/* load_balance(): one pass at @sd for @this_cpu.  Pinned tasks send it to
 * another local CPU or another source; failures count toward cache-hot
 * overrides and active balancing; a balanced domain is checked less often
 * (balance_interval doubles up to max_interval). */
int load_balance(struct sched *s, int this_cpu, struct sched_domain *sd, enum cpu_idle_type idle,
		 int *continue_balancing)
{
	struct lb_level_metrics *lm = &s->lvl[sd->level];
	struct lb_env env = {
		.sd = sd, .dst_cpu = this_cpu, .dst_rq = &s->rq[this_cpu], .idle = idle,
		.dst_grp = &T(sd)->groups[0], .loop_max = 0,
	};
	struct sd_lb_stats sds;
	const struct sd_group_tmpl *group;
	struct rq *busiest;
	int ld_moved = 0, active = 0;

	lm->attempts++;
	if (idle == CPU_NEWLY_IDLE)
		lm->newidle_attempts++;
	env.cpus = T(sd)->span;
redo:
	if (!should_we_balance(s, &env)) {
		*continue_balancing = 0;
		goto out_balanced;
	}
	group = find_busiest_group(s, &env, &sds);
	if (!group)
		goto out_balanced;
	busiest = find_busiest_queue(s, &env, group);
	if (!busiest)
		goto out_balanced;
	env.src_cpu = busiest->cpu;
	env.src_rq = busiest;
	env.flags |= LBF_ALL_PINNED;
	if (busiest->nr_running > 1) {
		env.loop_max = (unsigned)MIN(s->p.nr_migrate, busiest->nr_running);
more_balance:
		ld_moved += detach_tasks(s, &env);
		if ((env.flags & LBF_DST_PINNED) && env.imbalance > 0) {
			/* retry with another CPU of the local group */
			cpumask_unset(&env.cpus, env.dst_cpu);
			env.dst_cpu = env.new_dst_cpu;
			env.dst_rq = &s->rq[env.dst_cpu];
			env.flags &= ~LBF_DST_PINNED;
			env.loop = 0;
			goto more_balance;
		}
		if (env.flags & LBF_ALL_PINNED) {
			cpumask_unset(&env.cpus, busiest->cpu);
			if (!cpumask_subset(&env.cpus, &env.dst_grp->span)) {
				env.loop = 0;
				goto redo;
			}
			goto out_all_pinned;
		}
	}
	if (!ld_moved) {
		lm->failed++;
		if (idle != CPU_NEWLY_IDLE && !(env.flags & LBF_LLC_PINNED))
			sd->nr_balance_failed++;
		if (need_active_balance(s, &env)) {
			struct task *c = busiest->curr;
			if (!c || !cpumask_test(&c->affinity, this_cpu)) {
				env.flags |= LBF_ALL_PINNED;
				goto out_one_pinned;
			}
			if (!busiest->active_balance) {
				busiest->active_balance = 1;
				busiest->push_cpu = this_cpu;
				active = 1;
				lm->active++;
				HOOK(s, active_start, &env);
				eq_schedule(s->eq, &busiest->active_ev, eq_now(s->eq));
			}
		}
	} else {
		sd->nr_balance_failed = 0;
		lm->successes++;
		lm->tasks_moved += (uint64_t)ld_moved;
	}
	if (!active || need_active_balance(s, &env))
		sd->balance_interval = (unsigned)T(sd)->min_interval;
	return ld_moved;

out_balanced:
out_all_pinned:
	lm->balanced++;
	sd->nr_balance_failed = 0;
out_one_pinned:
	if (idle == CPU_NEWLY_IDLE)
		return 0;
	if (((env.flags & LBF_ALL_PINNED) && sd->balance_interval < MAX_PINNED_INTERVAL) ||
	    sd->balance_interval < (unsigned)T(sd)->max_interval)
		sd->balance_interval *= 2;
	return 0;
}

/* update_newidle_cost(): remember the most expensive newidle pass, decaying
 * it by ~1% per second. */
static bool update_newidle_cost(struct sched *s, struct sched_domain *sd, int64_t cost)
{
	uint64_t j = sched_jiffies(s);

	if (cost > sd->max_newidle_lb_cost) {
		sd->max_newidle_lb_cost = cost;
		sd->last_decay_max_lb_cost = j;
	} else if (j > sd->last_decay_max_lb_cost + (uint64_t)s->p.hz) {
		sd->max_newidle_lb_cost = sd->max_newidle_lb_cost * 253 / 256;
		sd->last_decay_max_lb_cost = j;
		return true;
	}
	return false;
}

static int64_t lb_cost(struct sched *s, struct sched_domain *sd);

/*
 * sched_balance_running (fair.c sched_balance_domains(), v6.15): an
 * SD_SERIALIZE level (the NUMA levels) is balanced by one CPU at a time; a
 * CPU that finds the flag taken skips the level (goto out) and goes on to
 * the next.  The flag is held for the balance pass, whose length is the
 * modelled cost of balancing the domain (lb_cost(), [E]), so two CPUs
 * meet on it when their ticks coincide (skew_tick=0, the default).  The
 * CPU that ran the pass (@exec_cpu: the ILB for the idle CPUs it balances
 * one after another) does not meet itself.  Only a due level takes the
 * flag, as since "sched/fair: Skip sched_balance_running cmpxchg when
 * balance is not due" (v6.18); before, a level not due released it at once.
 */
static bool lb_serialize_trylock(struct sched *s, struct sched_domain *sd, int exec_cpu)
{
	simtime_t now = eq_now(s->eq);

	if (!s->p.balance_serialize || !(T(sd)->flags & SD_SERIALIZE))
		return true;
	if (now < s->balance_running_until && s->balance_running_cpu != exec_cpu) {
		s->lvl[sd->level].serialize_skips++;
		return false;
	}
	s->balance_running_cpu = exec_cpu;
	s->balance_running_until = now + lb_cost(s, sd);
	return true;
}

/* sched_balance_domains() (rebalance_domains), run by @exec_cpu for @rq. */
static void balance_domains(struct sched *s, struct rq *rq, enum cpu_idle_type idle, int exec_cpu)
{
	int continue_balancing = 1, busy = idle != CPU_IDLE, update_next_balance = 0;
	uint64_t next_balance = sched_jiffies(s) + 60 * (uint64_t)s->p.hz, j;
	int64_t max_cost = 0;
	bool need_decay = false;

	if (cpu_offline(s, rq->cpu))
		return;

	for (struct sched_domain *sd = rq->sd; sd; sd = sd->parent) {
		uint64_t interval;

		need_decay = update_newidle_cost(s, sd, 0);
		max_cost += sd->max_newidle_lb_cost;
		if (!continue_balancing) {
			if (need_decay)
				continue;
			break;
		}
		interval = get_sd_balance_interval(s, sd, busy);
		j = sched_jiffies(s);
		if (j >= sd->last_balance + interval && lb_serialize_trylock(s, sd, exec_cpu)) {
			if (load_balance(s, rq->cpu, sd, idle, &continue_balancing)) {
				idle = idle_cpu(rq) ? CPU_IDLE : CPU_NOT_IDLE;
				busy = idle != CPU_IDLE;
			}
			sd->last_balance = j;
			interval = get_sd_balance_interval(s, sd, busy);
		}
		if (next_balance > sd->last_balance + interval) {
			next_balance = sd->last_balance + interval;
			update_next_balance = 1;
		}
	}
	if (need_decay)
		rq->max_idle_balance_cost = MAX(s->p.migration_cost_ns, max_cost);
	if (update_next_balance)
		rq->next_balance = next_balance;
}

void sched_balance_domains(struct sched *s, struct rq *rq, enum cpu_idle_type idle)
{
	balance_domains(s, rq, idle, rq->cpu);
}

/* Modelled wall cost of balancing a domain (the kernel measures it). */
static int64_t lb_cost(struct sched *s, struct sched_domain *sd)
{
	return s->p.lb_cost_base_ns + s->p.lb_cost_per_cpu_ns * T(sd)->span_weight;
}

static void nohz_newidle_balance(struct sched *s, struct rq *rq);

/* sched_balance_newidle() (fair.c, v6.15): pull work before going idle, as
 * far up the hierarchy as the expected idle time pays for; past the
 * avg_idle cut-off, this CPU's blocked load is decayed first.  A CPU that
 * pulls nothing decays the idle CPUs' blocked load on its way to idle
 * (nohz_newidle_balance()). */
int sched_balance_newidle(struct sched *s, struct rq *rq)
{
	int pulled = 0, continue_balancing = 1;
	int64_t curr_cost = 0;

	if (!rq->sd || cpu_offline(s, rq->cpu))
		return 0;
	if (!s->rd_overloaded)
		goto out;
	if (rq->avg_idle < rq->sd->max_newidle_lb_cost) {
		s->lvl[rq->sd->level].newidle_cutoffs++;
		goto out;
	}
	sched_update_blocked_averages(s, rq);
	for (struct sched_domain *sd = rq->sd; sd; sd = sd->parent) {
		int64_t cost;

		if (rq->avg_idle < curr_cost + sd->max_newidle_lb_cost) {
			s->lvl[sd->level].newidle_cutoffs++;
			break;
		}
		if (T(sd)->flags & SD_BALANCE_NEWIDLE) {
			pulled = load_balance(s, rq->cpu, sd, CPU_NEWLY_IDLE, &continue_balancing);
			cost = lb_cost(s, sd);
			curr_cost += cost;
			update_newidle_cost(s, sd, cost);
		}
		if (pulled || !continue_balancing)
			break;
	}
	if (curr_cost > rq->max_idle_balance_cost)
		rq->max_idle_balance_cost = curr_cost;
out:
	if (!pulled)
		nohz_newidle_balance(s, rq);
	return pulled;
}

/* ------------------------------------------------------------------ nohz */

/* nohz_flags() bits (sched.h, v6.15); a balance kick also decays. */
#define NOHZ_BALANCE_KICK 0x1
#define NOHZ_STATS_KICK 0x2
#define NOHZ_KICK_MASK (NOHZ_BALANCE_KICK | NOHZ_STATS_KICK)

/* nohz.next_blocked advances by msecs_to_jiffies(LOAD_AVG_PERIOD). */
static uint64_t blocked_period_jiffies(const struct sched *s)
{
	return ((uint64_t)LOAD_AVG_PERIOD * (uint64_t)s->p.hz + 999) / 1000;
}

/* sched_balance_update_blocked_averages() (update_blocked_averages(),
 * fair.c v6.15): decay @rq's averages to now and stamp the jiffy; the CPU
 * has blocked load left while its cfs averages are not 0
 * (cfs_rq_has_blocked(): load_avg or util_avg). */
void sched_update_blocked_averages(struct sched *s, struct rq *rq)
{
	rq->last_blocked_load_update_tick = sched_jiffies(s);
	update_rq_load(s, rq);
	if (!rq->avg.load_avg && !rq->avg.util_avg)
		rq->has_blocked_load = false;
	s->blocked_updates++;
}

/* update_nohz_stats(): a tick-stopped CPU's blocked load, at most once a
 * jiffy; true while some is left. */
static bool update_nohz_stats(struct sched *s, struct rq *rq)
{
	if (!rq->has_blocked_load || !rq->in_nohz_mask)
		return false;
	if (sched_jiffies(s) <= rq->last_blocked_load_update_tick)
		return true;
	sched_update_blocked_averages(s, rq);
	return rq->has_blocked_load;
}

/* nohz_balance_enter_idle() / nohz_balance_exit_idle(): a CPU whose tick
 * stops joins the set the ILB balances for, and its LLC counts one busy
 * CPU fewer (nohz_balancer_kick() reads that).  Entering marks its load
 * blocked (rq->has_blocked_load, nohz.has_blocked). */
void nohz_balance_enter_idle(struct sched *s, struct rq *rq)
{
	rq->has_blocked_load = true;
	s->nohz_has_blocked = true;
	if (rq->in_nohz_mask)
		return;
	rq->in_nohz_mask = true;
	cpumask_set(&s->nohz_idle, rq->cpu);
	s->nohz_nr_cpus++;
	rq->llc_shared->nr_busy_cpus--;
}

void nohz_balance_exit_idle(struct sched *s, struct rq *rq)
{
	if (!rq->in_nohz_mask)
		return;
	rq->in_nohz_mask = false;
	cpumask_unset(&s->nohz_idle, rq->cpu);
	s->nohz_nr_cpus--;
	rq->llc_shared->nr_busy_cpus++;
}

/* kick_ilb(): the first tick-stopped idle CPU balances (and/or decays
 * blocked load) for all of them; a kick while one is pending adds its
 * flags to it. */
static void kick_ilb(struct sched *s, unsigned flags)
{
	int ilb = cpumask_first(&s->nohz_idle);

	if (flags & NOHZ_BALANCE_KICK)
		s->nohz_next_balance = sched_jiffies(s) + 1;
	while (ilb >= 0 && cpu_offline(s, ilb))
		ilb = cpumask_next(&s->nohz_idle, ilb + 1);
	if (ilb < 0)
		return;
	if (eq_queued(&s->ilb_ev)) {
		s->ilb_flags |= flags;
		return;
	}
	s->ilb_cpu = ilb;
	s->ilb_flags = flags;
	if (flags & NOHZ_BALANCE_KICK)
		s->nohz_kicks++;
	else
		s->nohz_stats_kicks++;
	eq_schedule(s->eq, &s->ilb_ev, eq_now(s->eq));
}

/* nohz_balancer_kick() (v6.15): called on a busy CPU's tick; a stats kick
 * when blocked load is due for decay (nohz.next_blocked), a full kick when
 * balancing is due and this CPU or its LLC has work to share. */
static void nohz_balancer_kick(struct sched *s, struct rq *rq)
{
	uint64_t j = sched_jiffies(s);
	unsigned flags = 0;

	if (!s->nohz_nr_cpus)
		return;
	if (s->nohz_has_blocked && j > s->nohz_next_blocked)
		flags = NOHZ_STATS_KICK;
	if (j >= s->nohz_next_balance) {
		if (rq->nr_running >= 2)
			flags = NOHZ_KICK_MASK;
		else if (s->asym_cpucap && sd_asym_cpucapacity(s, rq->cpu))
			/* ASYM_CPUCAPACITY: kick only to move a misfit task to a
			 * bigger CPU; "we do not want to nicely balance cache use" */
			flags = check_misfit_status(s, rq) ? NOHZ_KICK_MASK : flags;
		else if (rq->llc_shared->nr_busy_cpus > 1)
			flags = NOHZ_KICK_MASK;
	}
	if (flags)
		kick_ilb(s, flags);
}

/* The _nohz_idle_balance() loop body for one idle CPU. */
static void nohz_balance_cpu(struct sched *s, struct rq *rq, int ilb, unsigned flags, uint64_t *next,
			     bool *visited, bool *has_blocked)
{
	if (!idle_cpu(rq))
		return;
	if (flags & NOHZ_STATS_KICK)
		*has_blocked |= update_nohz_stats(s, rq);
	if ((flags & NOHZ_BALANCE_KICK) && sched_jiffies(s) >= rq->next_balance)
		balance_domains(s, rq, CPU_IDLE, ilb);
	if (rq->next_balance < *next)
		*next = rq->next_balance;
	*visited = true;
}

/* _nohz_idle_balance() (fair.c, v6.15): for every tick-stopped idle CPU,
 * @ilb last, decay its blocked load (NOHZ_STATS_KICK) and run its
 * sched_balance_domains() if due (NOHZ_BALANCE_KICK). */
static void nohz_idle_balance(struct sched *s, int ilb, unsigned flags)
{
	uint64_t j = sched_jiffies(s), next = j + 60 * (uint64_t)s->p.hz;
	struct cpumask cpus = s->nohz_idle;
	bool visited = false, has_blocked = false;

	if (flags & NOHZ_STATS_KICK)
		s->nohz_has_blocked = false;
	for_each_cpu(c, &cpus) {
		if (c != ilb)
			nohz_balance_cpu(s, &s->rq[c], ilb, flags, &next, &visited, &has_blocked);
	}
	nohz_balance_cpu(s, &s->rq[ilb], ilb, flags, &next, &visited, &has_blocked);
	if (visited)
		s->nohz_next_balance = next;
	if (flags & NOHZ_STATS_KICK)
		s->nohz_next_blocked = j + blocked_period_jiffies(s);
	if (has_blocked)
		s->nohz_has_blocked = true;
}

void ilb_event(struct eq_event *ev, void *ctx)
{
	struct sched *s = ctx;
	unsigned flags = s->ilb_flags;

	(void)ev;
	s->ilb_flags = 0;
	nohz_idle_balance(s, s->ilb_cpu, flags);
}

/* nohz_newidle_balance() + nohz_run_idle_balance() (v6.15): a CPU going
 * idle that expects to stay idle a while decays the idle CPUs' blocked
 * load itself when it is due, instead of waiting for a kick. */
static void nohz_newidle_balance(struct sched *s, struct rq *rq)
{
	if (!s->p.nohz || rq->avg_idle < s->p.migration_cost_ns)
		return;
	if (!s->nohz_has_blocked || sched_jiffies(s) < s->nohz_next_blocked)
		return;
	nohz_idle_balance(s, rq->cpu, NOHZ_STATS_KICK);
}

/* trigger_load_balance(): from the tick; the balance softirq
 * (sched_balance_softirq(), v6.15) decays this CPU's blocked load first. */
void trigger_load_balance(struct sched *s, struct rq *rq)
{
	if (sched_jiffies(s) >= rq->next_balance) {
		sched_update_blocked_averages(s, rq);
		sched_balance_domains(s, rq, idle_cpu(rq) ? CPU_IDLE : CPU_NOT_IDLE);
	}
	if (s->p.nohz && !idle_cpu(rq))
		nohz_balancer_kick(s, rq);
}
