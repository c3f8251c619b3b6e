/*
 * The teo cpuidle governor (drivers/cpuidle/governors/teo.c, v6.15): per
 * idle state a bin with decayed "hits" (the CPU woke in the bin of its
 * sleep length: a timer woke it) and "intercepts" (it woke in a shallower
 * bin: something else woke it); the deepest state is the candidate unless
 * the intercepts of the shallower bins outweigh the rest, and the sleep
 * length caps it.  Integer arithmetic as the kernel's.  Pure: the caller
 * owns the state table (struct idle_state, hw/menu.h) and one struct
 * teo_dev per CPU.
 *
 * Not the default: cpuidle_register_governor() (governor.c) keeps the
 * registered governor of the highest .rating unless cpuidle.governor=
 * names another, and menu's rating is 20, teo's 19 (menu.c menu_governor,
 * teo.c teo_governor); drivers/cpuidle/Kconfig has CPU_IDLE select
 * CPU_IDLE_GOV_MENU on NO_HZ_IDLE kernels while CPU_IDLE_GOV_TEO is an
 * opt-in.  --set idle_teo=1 is cpuidle.governor=teo.
 */
#ifndef CASSIM_HW_TEO_H
#define CASSIM_HW_TEO_H

#include <stdbool.h>
#include <stdint.h>

#include "hw/menu.h"

/* struct teo_bin */
struct teo_bin {
	unsigned intercepts, hits;
};

/* struct teo_cpu (artificial_wakeup is a local of teo_update() here:
 * teo_reflect() and teo_update() run back to back in the model) */
struct teo_dev {
	int64_t sleep_length_ns;
	struct teo_bin bins[MENU_MAX_STATES];
	unsigned total, tick_intercepts, short_idles;
};

/* teo_enable_device(): all metrics 0. */
void teo_init(struct teo_dev *t);

/* teo_select(): the state to enter among @st[0..@n) (st[0] the POLL state),
 * with no PM QoS limit.  @sleep_ns, @delta_tick_ns: what
 * tick_nohz_get_sleep_length() would return, used only where teo calls it;
 * @tick_stopped: tick_nohz_tick_stopped(); *@stop_tick as menu_select(). */
int teo_select(struct teo_dev *t, const struct idle_state *st, int n, uint64_t sleep_ns,
	       uint64_t delta_tick_ns, bool tick_stopped, uint64_t tick_ns, bool *stop_tick);

/* teo_reflect() then teo_update() for the state @idx just left after
 * @residency_ns (dev->last_residency_ns); @tick_wakeup: the tick woke the
 * CPU (tick_nohz_idle_got_tick()); @poll_time_limit: POLL gave up at its
 * time limit (dev->poll_time_limit). */
void teo_update(struct teo_dev *t, const struct idle_state *st, int n, int idx,
		uint64_t residency_ns, bool tick_wakeup, bool poll_time_limit, uint64_t tick_ns);

#endif
