/* Mirrors kernel/sched/pelt.c of Linux v6.15, integer-exact. */
#include "sched/pelt.h"

#include <math.h>

/* runnable_avg_yN_inv[i] = (2^32 - 1) * y^i, generated as the kernel's
 * Documentation/scheduler/sched-pelt.c does. */
static uint32_t yN_inv[LOAD_AVG_PERIOD];
static int yN_ready;

static void pelt_init_table(void)
{
	double y = pow(0.5, 1.0 / LOAD_AVG_PERIOD);

	for (int i = 0; i < LOAD_AVG_PERIOD; i++)
		yN_inv[i] = (uint32_t)(((1UL << 32) - 1) * pow(y, i));
	yN_ready = 1;
}

uint64_t pelt_decay_load(uint64_t val, uint64_t n)
{
	unsigned int local_n;

	if (!yN_ready)
		pelt_init_table();
	if (n > LOAD_AVG_PERIOD * 63)
		return 0;
	local_n = (unsigned int)n;
	if (local_n >= LOAD_AVG_PERIOD) {
		val >>= local_n / LOAD_AVG_PERIOD;
		local_n %= LOAD_AVG_PERIOD;
	}
	/* mul_u64_u32_shr(val, yN_inv[local_n], 32) */
	return (uint64_t)(((unsigned __int128)val * yN_inv[local_n]) >> 32);
}

static uint32_t accumulate_pelt_segments(uint64_t periods, uint32_t d1, uint32_t d3)
{
	uint32_t c1, c2, c3 = d3;

	c1 = (uint32_t)pelt_decay_load((uint64_t)d1, periods);
	c2 = LOAD_AVG_MAX - (uint32_t)pelt_decay_load(LOAD_AVG_MAX, periods) - 1024;
	return c1 + c2 + c3;
}

static uint64_t accumulate_sum(uint64_t delta, struct sched_avg *sa, unsigned long load,
			       unsigned long runnable, int running)
{
	uint32_t contrib = (uint32_t)delta;
	uint64_t periods;

	delta += sa->period_contrib;
	periods = delta / 1024;
	if (periods) {
		sa->load_sum = pelt_decay_load(sa->load_sum, periods);
		sa->runnable_sum = pelt_decay_load(sa->runnable_sum, periods);
		sa->util_sum = (uint32_t)pelt_decay_load((uint64_t)sa->util_sum, periods);
		delta %= 1024;
		if (load)
			contrib = accumulate_pelt_segments(periods, 1024 - sa->period_contrib, (uint32_t)delta);
	}
	sa->period_contrib = (uint32_t)delta;
	if (load)
		sa->load_sum += load * contrib;
	if (runnable)
		sa->runnable_sum += (runnable * contrib) << SCHED_CAPACITY_SHIFT;
	if (running)
		sa->util_sum += contrib << SCHED_CAPACITY_SHIFT;
	return periods;
}

int pelt_update_elapsed(struct sched_avg *sa, uint64_t now, unsigned long load,
			unsigned long runnable, int running, unsigned long weight)
{
	uint64_t delta = now - sa->last_update_time;
	uint32_t divider;

	if ((int64_t)delta < 0) {
		sa->last_update_time = now;
		return 0;
	}
	delta >>= 10; /* ns -> ~us */
	if (!delta)
		return 0;
	sa->last_update_time += delta << 10;
	if (!load)
		runnable = running = 0;
	if (!accumulate_sum(delta, sa, load, runnable, running))
		return 0;
	divider = pelt_divider(sa);
	sa->load_avg = (unsigned long)(weight * sa->load_sum / divider);
	sa->runnable_avg = (unsigned long)(sa->runnable_sum / divider);
	sa->util_avg = sa->util_sum / divider;
	/* cfs_se_util_change(): util_avg moved since the last util_est update */
	sa->util_est &= ~UTIL_AVG_UNCHANGED;
	return 1;
}

/* attach_entity_load_avg(): the entity's sums move with it. */
void pelt_attach(struct sched_avg *rq, const struct sched_avg *se, unsigned long se_weight)
{
	uint32_t divider = pelt_divider(rq);

	rq->util_avg += se->util_avg;
	rq->util_sum = (uint32_t)(rq->util_avg * divider);
	rq->runnable_avg += se->runnable_avg;
	rq->runnable_sum = rq->runnable_avg * divider;
	rq->load_avg += se->load_avg;
	rq->load_sum += se_weight * se->load_sum;
}

#define sub_positive(p, v) do { *(p) = *(p) > (v) ? *(p) - (v) : 0; } while (0)

/* detach_entity_load_avg(). */
void pelt_detach(struct sched_avg *rq, const struct sched_avg *se, unsigned long se_weight)
{
	sub_positive(&rq->util_avg, se->util_avg);
	sub_positive(&rq->util_sum, se->util_sum);
	rq->util_sum = MAX(rq->util_sum, (uint32_t)(rq->util_avg * PELT_MIN_DIVIDER));
	sub_positive(&rq->runnable_avg, se->runnable_avg);
	sub_positive(&rq->runnable_sum, se->runnable_sum);
	rq->runnable_sum = MAX(rq->runnable_sum, (uint64_t)rq->runnable_avg * PELT_MIN_DIVIDER);
	sub_positive(&rq->load_avg, se->load_avg);
	sub_positive(&rq->load_sum, se_weight * se->load_sum);
	rq->load_sum = MAX(rq->load_sum, (uint64_t)rq->load_avg * PELT_MIN_DIVIDER);
}
