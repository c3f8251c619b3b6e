/*
 * util_est: a task's estimated utilisation, as kernel/sched/fair.c of Linux
 * v6.15 keeps it (sched_feat UTIL_EST, on by default).  At each sleep the
 * task's util_avg is folded into an EWMA (weight 1/4) that follows an
 * increase at once and a decrease slowly; a runqueue sums the estimates of
 * its enqueued tasks, and cpu_util() reads max(util_avg, that sum), so a
 * CPU whose periodic task just woke counts its full size, not the decayed
 * average of its sleep.  Gated by the caller on the util_est switch: with
 * it off the sums stay 0 and cpu_util() is util_avg.
 */
#ifndef CASSIM_SCHED_UTIL_EST_H
#define CASSIM_SCHED_UTIL_EST_H

#include "base/types.h"
#include "sched/pelt.h"

#define UTIL_EST_WEIGHT_SHIFT 2
#define UTIL_EST_MARGIN ((unsigned int)(SCHED_CAPACITY_SCALE / 100))

/* _task_util_est() */
static inline unsigned int task_util_est_raw(const struct sched_avg *se)
{
	return se->util_est & ~UTIL_AVG_UNCHANGED;
}

/* task_util_est(): max(task_util(p), _task_util_est(p)) */
static inline unsigned long task_util_est_of(const struct sched_avg *se)
{
	return MAX(se->util_avg, (unsigned long)task_util_est_raw(se));
}

/* util_est_enqueue(): the task's estimate joins its runqueue's sum. */
static inline void util_est_enqueue(struct sched_avg *rq, const struct sched_avg *se)
{
	rq->util_est += task_util_est_raw(se);
}

/* util_est_dequeue() */
static inline void util_est_dequeue(struct sched_avg *rq, const struct sched_avg *se)
{
	rq->util_est -= MIN(rq->util_est, task_util_est_raw(se));
}

/*
 * util_est_update() with task_sleep (dequeue_task_fair(DEQUEUE_SLEEP)):
 * fold the util_avg the task sleeps with into its EWMA.  Called before the
 * dequeue's PELT update, as fair.c does, so util_avg is as last updated.
 * @cpu_capacity: arch_scale_cpu_capacity() of its CPU.
 */
void util_est_update(struct sched_avg *se, unsigned long cpu_capacity);

#endif
