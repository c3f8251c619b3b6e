/*
 * Calling the loaded policy's hooks (sched/hooks.h), the one way every file
 * of sched/ does it, and the fair.c helpers that more than one of them
 * needs.  Internal to sched/: not installed, modules never see it.
 */
#ifndef CASSIM_SCHED_HOOK_CALL_H
#define CASSIM_SCHED_HOOK_CALL_H

#include "sched/hooks.h"
#include "sched/sched.h"

/* Does the policy of @s have hook @name?  (NULL: stock behaviour.) */
#define HAS_HOOK(s, name) ((s)->hooks && (s)->hooks->name)
/* Hook @name's answer, or @dflt (the stock behaviour) without the hook. */
#define HOOK_OR(s, name, dflt, ...) \
	(HAS_HOOK(s, name) ? (s)->hooks->name((s), (s)->hook_state, __VA_ARGS__) : (dflt))
/* Tell hook @name, if the policy has it. */
#define HOOK(s, name, ...) \
	do { if (HAS_HOOK(s, name)) (s)->hooks->name((s), (s)->hook_state, __VA_ARGS__); } while (0)

/* fair.c NUMA_IMBALANCE_MIN, v6.15. */
#define NUMA_IMBALANCE_MIN 2

/* adjust_numa_imbalance() (fair.c, v6.15), for the balancer
 * (calculate_imbalance), the wakeup slow path (find_idlest_group) and NUMA
 * balancing (task_numa_find_cpu): while the destination node runs at most
 * @imb_numa_nr tasks, leave a small imbalance (a pair of communicating
 * tasks) where it is rather than split it across nodes. */
static inline long adjust_numa_imbalance(long imbalance, int dst_running, int imb_numa_nr)
{
	if (dst_running > imb_numa_nr)
		return imbalance;
	if (imbalance <= NUMA_IMBALANCE_MIN)
		return 0;
	return imbalance;
}

#endif
