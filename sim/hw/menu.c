/*
 * The menu cpuidle governor, drivers/cpuidle/governors/menu.c as of v6.15
 * (after "cpuidle: menu: Remove iowait influence", v6.14, and the v6.15
 * outlier-filter changes of get_typical_interval()).  Integer arithmetic
 * as the kernel's, so the choices match it to the nanosecond.  Checked
 * against the menu.c text of that era (public kernel trees and the
 * pre-image of 779b1a1cb13a, v6.17): the predicted_ns cap on latency_req
 * and the exit-latency test in the polling exception are v6.15's; the
 * poll_time_limit branch of menu_update() is there (the model's POLL
 * keeps its time limit, hw/perf.h perf_idle_poll_limit()).
 */
#include "hw/menu.h"

#include <limits.h>
#include <string.h>

#define RESOLUTION 1024
#define DECAY 8
#define NSEC_PER_USEC 1000ULL
#define MAX_INTERESTING (50000 * NSEC_PER_USEC)
#define RESIDENCY_THRESHOLD_NS (15 * NSEC_PER_USEC)
#define KTIME_MAX ((uint64_t)INT64_MAX)

void menu_init(struct menu_dev *d)
{
	memset(d, 0, sizeof(*d));
	for (int i = 0; i < MENU_BUCKETS; i++)
		d->correction[i] = RESOLUTION * DECAY;
}

/* which_bucket(): decades of the time to the next timer */
static int which_bucket(uint64_t duration_ns)
{
	if (duration_ns < 10 * NSEC_PER_USEC)
		return 0;
	if (duration_ns < 100 * NSEC_PER_USEC)
		return 1;
	if (duration_ns < 1000 * NSEC_PER_USEC)
		return 2;
	if (duration_ns < 10000 * NSEC_PER_USEC)
		return 3;
	if (duration_ns < 100000 * NSEC_PER_USEC)
		return 4;
	return 5;
}

/* get_typical_interval(), v6.15: the average of the last 8 intervals when
 * their spread is small (variance <= 400 us^2, or avg^2 > 36 variance with
 * at least 6 samples left);
 * else drop the outliers on the far side of the average and retry; once
 * only 3/4 of the samples are left, the maximum if at least half remain,
 * else no prediction. */
unsigned menu_typical_interval(const struct menu_dev *d)
{
	int64_t min_thresh = -1, max_thresh = UINT_MAX;

	for (;;) {
		unsigned max = 0, min = UINT_MAX, divisor = 0;
		uint64_t avg = 0, variance = 0, avg_sq;

		for (int i = 0; i < MENU_INTERVALS; i++) {
			int64_t value = d->intervals[i];

			if (value <= min_thresh || value >= max_thresh)
				continue;
			divisor++;
			avg += (uint64_t)value;
			variance += (uint64_t)value * (uint64_t)value;
			if ((unsigned)value > max)
				max = (unsigned)value;
			if ((unsigned)value < min)
				min = (unsigned)value;
		}
		if (!max)
			return UINT_MAX;
		avg /= divisor;
		variance /= divisor;
		avg_sq = avg * avg;
		variance -= avg_sq;
		/* the spread relative to the average counts only while at
		 * least 3/4 of the samples remain (the divisor test v6.15 has,
		 * older than the outlier changes) */
		if (variance <= 400 || (variance <= UINT64_MAX / 36 && avg_sq > variance * 36 &&
					divisor * 4 >= MENU_INTERVALS * 3))
			return (unsigned)avg;
		if (divisor * 4 <= MENU_INTERVALS * 3)
			return divisor >= MENU_INTERVALS / 2 ? max : UINT_MAX;
		if (avg - min > max - avg)
			min_thresh = min;
		else
			max_thresh = max;
	}
}

int menu_select(struct menu_dev *d, const struct idle_state *st, int n, uint64_t sleep_ns,
		uint64_t delta_tick, bool tick_stopped, uint64_t tick_ns, bool *stop_tick)
{
	/* no PM QoS request: cpuidle_governor_latency_req() is unbounded */
	uint64_t latency_req = KTIME_MAX;
	uint64_t predicted_ns = (uint64_t)menu_typical_interval(d) * NSEC_PER_USEC;
	int idx = -1;

	if (predicted_ns > RESIDENCY_THRESHOLD_NS) {
		uint64_t timer_us;

		d->next_timer_ns = sleep_ns;
		d->bucket = which_bucket(sleep_ns);
		/* round up the result for half microseconds */
		timer_us = (RESOLUTION * DECAY * NSEC_PER_USEC / 2 +
			    d->next_timer_ns * d->correction[d->bucket]) /
			   (RESOLUTION * DECAY * NSEC_PER_USEC);
		if (timer_us * NSEC_PER_USEC < predicted_ns)
			predicted_ns = timer_us * NSEC_PER_USEC;
	} else {
		/* the next timer is not looked up: assume it is far and the
		 * tick half a period away */
		d->next_timer_ns = KTIME_MAX;
		delta_tick = tick_ns / 2;
		d->bucket = which_bucket(KTIME_MAX);
	}
	if (n <= 1 || d->next_timer_ns < (uint64_t)st[1].target_ns) {
		/* state 0 whatever happens; keep the tick if it polls */
		*stop_tick = !st[0].polling;
		return 0;
	}
	if (tick_stopped) {
		/* stuck in a shallow state for long if wrong: trust the timer */
		if (predicted_ns < tick_ns)
			predicted_ns = d->next_timer_ns;
	} else if (latency_req > predicted_ns) {
		/* the "interactivity" cap on the exit latency, predicted_ns
		 * itself since 38f83090f515 "cpuidle: menu: Remove iowait
		 * influence" (v6.14); present in v6.15, gone in v6.17
		 * (779b1a1cb13a) */
		latency_req = predicted_ns;
	}
	for (int i = 0; i < n; i++) {
		const struct idle_state *s = &st[i];

		if (idx == -1)
			idx = i;
		if ((uint64_t)s->target_ns > predicted_ns) {
			/* a physical state rather than polling when a timer
			 * comes soon enough and its exit latency is within
			 * latency_req, which is predicted_ns here with the
			 * tick running (v6.15; 779b1a1cb13a "cpuidle:
			 * governors: menu: Avoid selecting states with too
			 * much latency", v6.17 and stable, moved the latency
			 * test ahead and dropped the predicted_ns cap) */
			if (st[idx].polling && (uint64_t)s->exit_ns <= latency_req &&
			    (uint64_t)s->target_ns <= d->next_timer_ns) {
				predicted_ns = (uint64_t)s->target_ns;
				idx = i;
				break;
			}
			if (predicted_ns < tick_ns)
				break;
			if (!tick_stopped) {
				/* shallow so far: keep the tick, choose again
				 * on the next pass of the idle loop */
				predicted_ns = (uint64_t)st[idx].target_ns;
				break;
			}
			if ((uint64_t)st[idx].target_ns < tick_ns && (uint64_t)s->target_ns <= delta_tick)
				idx = i;
			return idx;
		}
		if ((uint64_t)s->exit_ns > latency_req)
			break;
		idx = i;
	}
	if (idx == -1)
		idx = 0;
	/* a polling state or a predicted idle shorter than a tick keeps it */
	if ((st[idx].polling || predicted_ns < tick_ns) && !tick_stopped) {
		*stop_tick = false;
		if (idx > 0 && (uint64_t)st[idx].target_ns > delta_tick) {
			/* the tick will come first: a state that fits before it */
			for (int i = idx - 1; i >= 0; i--) {
				idx = i;
				if ((uint64_t)st[i].target_ns <= delta_tick)
					break;
			}
		}
	}
	return idx;
}

void menu_update(struct menu_dev *d, const struct idle_state *st, int idx, uint64_t residency_ns,
		 bool tick_wakeup, bool poll_time_limit, uint64_t tick_ns)
{
	uint64_t measured_ns;
	unsigned new_factor;

	if (tick_wakeup && d->next_timer_ns > tick_ns) {
		/* the tick was kept although no timer was due within it: the
		 * CPU could have idled long */
		measured_ns = 9 * MAX_INTERESTING / 10;
	} else if (st[idx].polling && poll_time_limit) {
		/* POLL gave up at its limit: a better prediction would have
		 * slept until the next timer (5f26bdceb9c0 "cpuidle: menu:
		 * Fix wakeup statistics updates for polling state") */
		measured_ns = d->next_timer_ns;
	} else {
		/* deduct the exit latency */
		measured_ns = residency_ns;
		if (measured_ns > 2 * (uint64_t)st[idx].exit_ns)
			measured_ns -= (uint64_t)st[idx].exit_ns;
		else
			measured_ns /= 2;
	}
	/* make sure the coefficients do not exceed unity */
	if (measured_ns > d->next_timer_ns)
		measured_ns = d->next_timer_ns;
	new_factor = d->correction[d->bucket];
	new_factor -= new_factor / DECAY;
	if (d->next_timer_ns > 0 && measured_ns < MAX_INTERESTING)
		new_factor += (unsigned)(RESOLUTION * measured_ns / d->next_timer_ns);
	else
		new_factor += RESOLUTION;
	d->correction[d->bucket] = new_factor;
	/* menu_update_intervals() */
	d->intervals[d->interval_ptr++] = (unsigned)(measured_ns / NSEC_PER_USEC);
	if (d->interval_ptr >= MENU_INTERVALS)
		d->interval_ptr = 0;
}
