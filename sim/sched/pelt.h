/*
 * Per-entity load tracking, integer arithmetic as kernel/sched/pelt.c of
 * Linux v6.15:
 * 1024 us (1024*1024 ns) periods, y^32 = 1/2, LOAD_AVG_MAX = 47742.
 */
#ifndef CASSIM_SCHED_PELT_H
#define CASSIM_SCHED_PELT_H

#include "base/types.h"

#define LOAD_AVG_PERIOD 32
#define LOAD_AVG_MAX 47742
#define SCHED_CAPACITY_SHIFT 10
#define SCHED_CAPACITY_SCALE (1L << SCHED_CAPACITY_SHIFT)
#define PELT_MIN_DIVIDER (LOAD_AVG_MAX - 1024)
/* update_idle_rq_clock_pelt(): a util_sum at least this is "always running" */
#define PELT_IDLE_LOST_DIVIDER (((uint32_t)(LOAD_AVG_MAX - 1024) << SCHED_CAPACITY_SHIFT) - LOAD_AVG_MAX)

struct sched_avg {
	uint64_t last_update_time; /* ns, multiple of 1024 ns steps */
	uint64_t load_sum;
	uint64_t runnable_sum;
	uint32_t util_sum;
	uint32_t period_contrib;
	unsigned long load_avg;
	unsigned long runnable_avg;
	unsigned long util_avg;
	/* util_est (fair.c, v6.15): a task's EWMA with UTIL_AVG_UNCHANGED in
	 * its top bit; a runqueue's sum of its enqueued tasks' estimates */
	unsigned int util_est;
};

#define UTIL_AVG_UNCHANGED 0x80000000u

/* decay_load(): val * y^n. */
uint64_t pelt_decay_load(uint64_t val, uint64_t n);

/*
 * ___update_load_sum() + ___update_load_avg(): bring @sa to @now with the
 * given state held since the last update.  @load: 0/1 for an entity
 * (on_rq), the weight for a runqueue; @runnable: 0/1 or h_nr_runnable;
 * @running: 0/1.  @weight multiplies load_sum into load_avg (the entity's
 * weight, or 1 for a runqueue).  Returns 1 if a period boundary was crossed.
 */
int pelt_update_elapsed(struct sched_avg *sa, uint64_t now, unsigned long load,
			unsigned long runnable, int running, unsigned long weight);

static inline int pelt_update(struct sched_avg *sa, uint64_t now, unsigned long load,
			      unsigned long runnable, int running, unsigned long weight)
{
	/* less than one 1024 ns step since the last update: nothing to do
	 * (balancing reads a CPU at every level of one pass); a clock that
	 * went back wraps to a large delta and takes the full path */
	if (now - sa->last_update_time < 1024)
		return 0;
	return pelt_update_elapsed(sa, now, load, runnable, running, weight);
}

static inline uint32_t pelt_divider(const struct sched_avg *sa)
{
	return PELT_MIN_DIVIDER + sa->period_contrib;
}

/* Add / remove an entity's signals to / from a runqueue's (attach/detach). */
void pelt_attach(struct sched_avg *rq, const struct sched_avg *se, unsigned long se_weight);
void pelt_detach(struct sched_avg *rq, const struct sched_avg *se, unsigned long se_weight);

#endif
