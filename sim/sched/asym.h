/*
 * Asymmetric CPU capacity in the fair class (kernel/sched/fair.c, v6.15):
 * the CPUs of a hybrid part differ in arch_scale_cpu_capacity()
 * (topo_cpu.capacity, hw/capacity.h), the domains that span several
 * capacities carry SD_ASYM_CPUCAPACITY (sd.c), and the balancer moves a
 * task that does not fit its CPU ("misfit") to a bigger one, while wakeups
 * on such a machine look for an idle CPU that fits (select_idle_capacity()).
 * uclamp is off (util_fits_cpu() reduces to fits_capacity()) and PELT is
 * frequency- but not CPU-capacity-invariant (cassim.1, MACHINE MODEL).  Everything here is a no-op on symmetric machines:
 * s->asym_cpucap (the sched_asym_cpucapacity static key) is false there.
 */
#ifndef CASSIM_SCHED_ASYM_H
#define CASSIM_SCHED_ASYM_H

#include "sched/lb.h"

/* capacity_of() / arch_scale_cpu_capacity(): no RT/IRQ pressure modelled. */
static inline unsigned long capacity_of(const struct sched *s, int cpu)
{
	return s->topo->cpu[cpu].capacity;
}

/* sgc->capacity: the sum of capacity_of() over the group's CPUs. */
unsigned long group_capacity(const struct sched *s, const struct sd_group_tmpl *g);

/* fits_capacity(): util below 80% of the capacity (margin 1280/1024). */
static inline bool fits_capacity(unsigned long util, unsigned long cap)
{
	return util * 1280 < cap * 1024;
}

/* capacity_greater(): more than ~5% bigger. */
static inline bool capacity_greater(unsigned long cap1, unsigned long cap2)
{
	return cap1 * 1024 > cap2 * 1078;
}

/* task_fits_cpu(): util_fits_cpu(task_util_est(p), 0, 1024, cpu) > 0. */
bool task_fits_cpu(const struct sched *s, const struct task *p, int cpu);

/* update_misfit_status(): from the tick and when @rq picks @p (NULL: going
 * idle); sets s->misfit_task_load[cpu]. */
void update_misfit_status(struct sched *s, struct task *p, struct rq *rq);

/* check_misfit_status(): a misfit task on a CPU smaller than the biggest. */
bool check_misfit_status(const struct sched *s, const struct rq *rq);

/* per_cpu(sd_asym_cpucapacity): the lowest domain of @cpu with
 * SD_ASYM_CPUCAPACITY_FULL, or NULL. */
struct sched_domain *sd_asym_cpucapacity(const struct sched *s, int cpu);

/* The SD_ASYM_CPUCAPACITY clauses of update_sd_pick_busiest() that refuse
 * group @g whatever the comparison says: a misfit group that dst cannot
 * help, and a group with no more than a task per CPU whose CPUs are all
 * bigger than dst.  True = do not pick. */
bool asym_pick_busiest_veto(const struct sched *s, const struct lb_env *env,
			    const struct sd_lb_stats *sds, const struct sd_group_tmpl *g,
			    const struct sg_lb_stats *sgs);

/* select_idle_capacity(): the first idle CPU of @sd (from @target) that
 * fits @p, else the idle one of largest capacity, else -1. */
int select_idle_capacity(struct sched *s, struct task *p, const struct sched_domain *sd, int target);

/* asym_fits_cpu(): true on symmetric machines, else task_fits_cpu(). */
static inline bool asym_fits_cpu(const struct sched *s, const struct task *p, int cpu)
{
	return !s->asym_cpucap || task_fits_cpu(s, p, cpu);
}

#endif
