/*
 * Wakeup and fork placement (wakeup.c), mirroring kernel/sched/fair.c of
 * Linux v6.15: select_task_rq_fair() for sched.c, and the steps of the
 * fast path (wake_wide, wake_affine, select_idle_sibling and its idle
 * searches) that tests/unit/test_wakeup.c drives directly.  Internal to
 * sched/.
 */
#ifndef CASSIM_SCHED_WAKEUP_H
#define CASSIM_SCHED_WAKEUP_H

#include <limits.h>

#include "sched/sched.h"

/* "No CPU" answer of the wake_affine helpers (the kernel's nr_cpumask_bits). */
#define NO_CPU INT_MAX

int select_task_rq_fair(struct sched *s, struct task *p, int prev_cpu, int this_cpu,
			struct task *waker, int wake_flags);

/* Steps of the fast path. */
void record_wakee(struct sched *s, struct task *waker, struct task *p);
int wake_wide(struct sched *s, struct task *waker, struct task *p, int this_cpu);
/* sched_balance_find_dst_group_cpu() (v6.15): the CPU of @g for @p
 * (exported for tests) */
int find_idlest_group_cpu(struct sched *s, const struct sd_group_tmpl *g, struct task *p, int this_cpu);
int wake_affine_idle(struct sched *s, int this_cpu, int prev_cpu, int sync);
int wake_affine_weight(struct sched *s, const struct sd_tmpl *sd, struct task *p,
		       struct task *waker, int this_cpu, int prev_cpu, int sync);
int wake_affine(struct sched *s, const struct sd_tmpl *sd, struct task *p, struct task *waker,
		int this_cpu, int prev_cpu, int sync);
int select_idle_core(struct sched *s, int core, struct cpumask *cpus, int *idle);
int select_idle_cpu(struct sched *s, struct task *p, int has_idle_core, int target);
int select_idle_sibling(struct sched *s, struct task *p, int prev, int target);

#endif
