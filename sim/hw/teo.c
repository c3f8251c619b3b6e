/*
 * The teo cpuidle governor, drivers/cpuidle/governors/teo.c as of v6.15
 * (the January 2025 rework of v6.14: no "recent" intercepts, no
 * utilization check, tick_intercepts and short_idles, the sleep length
 * skipped when idles are mostly short).  Read from the teo.c text of that
 * era as stored in public kernel trees (struct teo_cpu with
 * tick_intercepts, short_idles, artificial_wakeup; rating 19).
 */
#include "hw/teo.h"

#include <string.h>

#define NSEC_PER_USEC 1000ULL
#define PULSE 1024
#define DECAY_SHIFT 3
/* drivers/cpuidle/governors/gov.h */
#define RESIDENCY_THRESHOLD_NS (15 * NSEC_PER_USEC)
#define KTIME_MAX INT64_MAX

void teo_init(struct teo_dev *t)
{
	memset(t, 0, sizeof(*t));
}

/* teo_state_ok(): with the tick stopped only a state whose target
 * residency reaches a tick is acceptable (nothing would end a shallow one
 * early) */
static bool state_ok(const struct idle_state *st, int i, bool tick_stopped, uint64_t tick_ns)
{
	return !tick_stopped || (uint64_t)st[i].target_ns >= tick_ns;
}

/* teo_find_shallower_state(): the deepest state below @idx whose target
 * residency fits in @duration_ns, else state 0 (all states enabled) */
static int find_shallower_state(const struct idle_state *st, int idx, int64_t duration_ns)
{
	for (int i = idx - 1; i >= 0; i--) {
		idx = i;
		if (st[i].target_ns <= duration_ns)
			break;
	}
	return idx;
}

void teo_update(struct teo_dev *t, const struct idle_state *st, int n, int idx,
		uint64_t residency_ns, bool tick_wakeup, bool poll_time_limit, uint64_t tick_ns)
{
	/* teo_reflect(): POLL's time limit, or a tick that woke a CPU whose
	 * next timer was beyond it, is a safety net, not a genuine wakeup */
	bool artificial = poll_time_limit || (tick_wakeup && t->sleep_length_ns > (int64_t)tick_ns);
	int idx_timer = 0, idx_duration = 0;
	uint64_t measured_ns;

	t->short_idles -= t->short_idles >> DECAY_SHIFT;
	if (artificial) {
		/* it may have been a long sleep */
		measured_ns = UINT64_MAX;
	} else {
		uint64_t lat_ns = (uint64_t)st[idx].exit_ns;

		/* half the exit latency: it is a worst case */
		measured_ns = residency_ns;
		if (measured_ns >= lat_ns) {
			measured_ns -= lat_ns / 2;
			if (measured_ns < RESIDENCY_THRESHOLD_NS)
				t->short_idles += PULSE;
		} else {
			measured_ns /= 2;
			t->short_idles += PULSE;
		}
	}
	/* decay every bin; find the bins of the sleep length and of the
	 * measured idle */
	for (int i = 0; i < n; i++) {
		struct teo_bin *b = &t->bins[i];

		b->hits -= b->hits >> DECAY_SHIFT;
		b->intercepts -= b->intercepts >> DECAY_SHIFT;
		if (st[i].target_ns <= t->sleep_length_ns) {
			idx_timer = i;
			if ((uint64_t)st[i].target_ns <= measured_ns)
				idx_duration = i;
		}
	}
	t->tick_intercepts -= t->tick_intercepts >> DECAY_SHIFT;
	if (idx_timer == idx_duration) {
		t->bins[idx_timer].hits += PULSE;
	} else {
		t->bins[idx_duration].intercepts += PULSE;
		/* v6.15 counts an intercept at or beyond a tick here, the
		 * reverse of what the field's name says (d619b5cc6780, v6.14);
		 * "cpuidle: governors: teo: Fix tick_intercepts handling in
		 * teo_update()" (linux-pm, November 2025, for v6.19) turns it
		 * round.  Mirrored as v6.15 has it. */
		if (tick_ns <= measured_ns)
			t->tick_intercepts += PULSE;
	}
	t->total -= t->total >> DECAY_SHIFT;
	t->total += PULSE;
}

int teo_select(struct teo_dev *t, const struct idle_state *st, int n, uint64_t sleep_ns,
	       uint64_t delta_tick_ns, bool tick_stopped, uint64_t tick_ns, bool *stop_tick)
{
	/* no PM QoS request: constraint_idx is the deepest state and
	 * latency_req never below LATENCY_THRESHOLD_NS */
	uint64_t delta_tick = tick_ns / 2;
	unsigned idx_intercept_sum = 0, intercept_sum = 0, idx_hit_sum = 0, hit_sum = 0;
	int idx = 0;
	int64_t duration_ns;

	/* unknown until tick_nohz_get_sleep_length() is called below */
	t->sleep_length_ns = KTIME_MAX;
	if (n < 2)
		goto out_tick;
	/* every state enabled: the candidate is the deepest (idx0 = 0, so
	 * teo's "only one state enabled" path never applies); the sums are
	 * over the bins below it */
	for (int i = 1; i < n; i++) {
		intercept_sum += t->bins[i - 1].intercepts;
		hit_sum += t->bins[i - 1].hits;
		idx = i;
		idx_intercept_sum = intercept_sum;
		idx_hit_sum = hit_sum;
	}
	/* the intercepts below the candidate outweigh its hits and every
	 * metric at or above it (unsigned, as the kernel's) */
	if (2 * idx_intercept_sum > t->total - idx_hit_sum) {
		int first_suitable_idx = idx;

		/* the deepest state whose target residency the idle reached in
		 * over half of the intercepted cases; with the tick stopped,
		 * none shallower than a tick */
		intercept_sum = 0;
		for (int i = idx - 1; i >= 0; i--) {
			intercept_sum += t->bins[i].intercepts;
			if (2 * intercept_sum > idx_intercept_sum) {
				idx = state_ok(st, i, tick_stopped, tick_ns) ? i : first_suitable_idx;
				break;
			}
			if (state_ok(st, i, tick_stopped, tick_ns)) {
				first_suitable_idx = i;
				continue;
			}
			if (first_suitable_idx == idx)
				break;
		}
	}
	/* mostly short idles and a shallow candidate: skip the sleep length
	 * (the next wakeup then counts as an intercept) */
	if ((!idx || (uint64_t)st[idx].target_ns < RESIDENCY_THRESHOLD_NS) &&
	    2 * t->short_idles >= t->total)
		goto out_tick;
	/* tick_nohz_get_sleep_length() */
	duration_ns = (int64_t)sleep_ns;
	delta_tick = delta_tick_ns;
	t->sleep_length_ns = duration_ns;
	if (!idx)
		goto out_tick;
	/* the next timer comes before the candidate's target residency */
	if (st[idx].target_ns > duration_ns) {
		int i = find_shallower_state(st, idx, duration_ns);

		if (state_ok(st, i, tick_stopped, tick_ns))
			idx = i;
	}
	/* a shallow state and mostly tick_intercepts: keep the tick */
	if ((uint64_t)st[idx].target_ns < tick_ns &&
	    t->tick_intercepts > t->total / 2 + t->total / 8)
		duration_ns = (int64_t)(tick_ns / 2);
	/* the tick may stop unless the state polls or the idle is expected
	 * to end within a tick */
	if ((!st[idx].polling && (uint64_t)duration_ns >= tick_ns) || tick_stopped)
		return idx;
	/* the tick stays: a state that fits before it */
	if (idx > 0 && (uint64_t)st[idx].target_ns > delta_tick)
		idx = find_shallower_state(st, idx, (int64_t)delta_tick);
out_tick:
	*stop_tick = false;
	return idx;
}
