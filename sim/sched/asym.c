/* Asymmetric CPU capacity in the fair class: see asym.h. */
#include "sched/asym.h"

#include <limits.h>

#include "sched/util_est.h"

/* task_util_est() (fair.c, v6.15): util_est_update() keeps the estimate
 * only with UTIL_EST on; off, it stays 0 and this is util_avg */
static inline unsigned long task_util_est(const struct task *p)
{
	return task_util_est_of(&p->avg);
}

bool task_fits_cpu(const struct sched *s, const struct task *p, int cpu)
{
	/* util_fits_cpu() with uclamp unused: fits_capacity(util, capacity_of(cpu)) */
	return fits_capacity(task_util_est(p), capacity_of(s, cpu));
}

/* p->max_allowed_capacity (get_max_allowed_capacity()): the biggest CPU
 * the task may run on. */
static unsigned long max_allowed_capacity(const struct sched *s, const struct task *p)
{
	unsigned long max = 0;

	for_each_cpu(c, &p->affinity)
		if (capacity_of(s, c) > max)
			max = capacity_of(s, c);
	return max;
}

void update_misfit_status(struct sched *s, struct task *p, struct rq *rq)
{
	int cpu = rq->cpu;

	if (!s->asym_cpucap)
		return;
	/* affinity allows no bigger CPU, already on the biggest, or it fits */
	if (!p || p->nr_cpus_allowed == 1 || capacity_of(s, cpu) == max_allowed_capacity(s, p) ||
	    task_fits_cpu(s, p, cpu)) {
		s->misfit_task_load[cpu] = 0;
		return;
	}
	/* never 0 even if task_h_load() is */
	s->misfit_task_load[cpu] = MAX(p->avg.load_avg, 1UL);
}

unsigned long group_capacity(const struct sched *s, const struct sd_group_tmpl *g)
{
	unsigned long cap = 0;

	for_each_group_cpu(i, g)
		cap += capacity_of(s, i);
	return cap;
}

bool check_misfit_status(const struct sched *s, const struct rq *rq)
{
	/* check_cpu_capacity() (RT/IRQ pressure) is never true here */
	return s->misfit_task_load[rq->cpu] && capacity_of(s, rq->cpu) < s->max_cpu_capacity;
}

struct sched_domain *sd_asym_cpucapacity(const struct sched *s, int cpu)
{
	/* update_top_cache_domain(): lowest_flag_domain(cpu, SD_ASYM_CPUCAPACITY_FULL) */
	for (struct sched_domain *sd = s->rq[cpu].sd; sd; sd = sd->parent)
		if (sd->t->flags & SD_ASYM_CPUCAPACITY_FULL)
			return sd;
	return NULL;
}

bool asym_pick_busiest_veto(const struct sched *s, const struct lb_env *env,
			    const struct sd_lb_stats *sds, const struct sd_group_tmpl *g,
			    const struct sg_lb_stats *sgs)
{
	unsigned long dst_cap, min_cap = ULONG_MAX, max_cap = 0;

	if (!(env->sd->t->flags & SD_ASYM_CPUCAPACITY))
		return false;
	dst_cap = capacity_of(s, env->dst_cpu);
	/* sg->sgc->min_capacity / max_capacity */
	for_each_group_cpu(c, g) {
		min_cap = MIN(min_cap, capacity_of(s, c));
		max_cap = MAX(max_cap, capacity_of(s, c));
	}
	/* "Don't try to pull misfit tasks we can't help." */
	if (sgs->group_type == group_misfit_task &&
	    (!capacity_greater(dst_cap, max_cap) || sds->local_stat.group_type != group_has_spare))
		return true;
	/* "Candidate sg has no more than one task per CPU and has higher
	 * per-CPU capacity. Migrating tasks to less capable CPUs may harm
	 * throughput." */
	return sgs->group_type <= group_fully_busy && capacity_greater(min_cap, dst_cap);
}

int select_idle_capacity(struct sched *s, struct task *p, const struct sched_domain *sd, int target)
{
	unsigned long util = task_util_est(p), best_cap = 0;
	int best_cpu = -1, n = s->nr_cpus;

	/* for_each_cpu_wrap(cpu, sched_domain_span(sd) & p->cpus_ptr, target) */
	for (int k = 0; k < n; k++) {
		int cpu = (target + k) % n;
		unsigned long cap = capacity_of(s, cpu);

		if (!cpumask_test(&sd->t->span, cpu) || !cpumask_test(&p->affinity, cpu))
			continue;
		if (!idle_cpu(&s->rq[cpu]) || cpu_offline(s, cpu))
			continue;
		if (fits_capacity(util, cap))
			return cpu;
		/* fits == 0 for every candidate left: the biggest wins */
		if (cap > best_cap) {
			best_cap = cap;
			best_cpu = cpu;
		}
	}
	return best_cpu;
}
