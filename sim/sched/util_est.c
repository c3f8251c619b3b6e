/* util_est_update(), kernel/sched/fair.c of Linux v6.15. */
#include "sched/util_est.h"

void util_est_update(struct sched_avg *se, unsigned long cpu_capacity)
{
	unsigned int ewma = se->util_est, dequeued, last_ewma_diff;

	/* PELT has not moved since the last update (no period crossed):
	 * nothing new to learn */
	if (ewma & UTIL_AVG_UNCHANGED)
		return;
	dequeued = (unsigned int)se->util_avg;
	/* an increase is taken at once; the EWMA only smooths decreases */
	if (ewma <= dequeued) {
		ewma = dequeued;
		goto done;
	}
	/* within ~1 % of the estimate: keep it */
	last_ewma_diff = ewma - dequeued;
	if (last_ewma_diff < UTIL_EST_MARGIN)
		goto done;
	/* no idle time on the CPU is guaranteed: do not learn */
	if (dequeued > cpu_capacity)
		return;
	/* the task waited: it did not get all the CPU time it wanted */
	if (dequeued + UTIL_EST_MARGIN < se->runnable_avg)
		goto done;
	/* ewma(t) = ewma(t-1) - w * last_ewma_diff, w = 1/4 */
	ewma <<= UTIL_EST_WEIGHT_SHIFT;
	ewma -= last_ewma_diff;
	ewma >>= UTIL_EST_WEIGHT_SHIFT;
done:
	se->util_est = ewma | UTIL_AVG_UNCHANGED;
}
