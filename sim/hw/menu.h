/*
 * The menu cpuidle governor (drivers/cpuidle/governors/menu.c, v6.15):
 * which idle state a CPU enters, and whether the tick may stop, from the
 * time to the next timer event (scaled by a per-bucket correction factor)
 * and the typical recent idle interval.  Pure: the caller owns the state
 * table and one struct menu_dev per CPU.
 *
 * menu is the governor every distribution kernel the published machines
 * ran uses: cpuidle picks the registered governor with the highest rating
 * unless cpuidle.governor= says otherwise, and menu's .rating is 20, teo's
 * 19, ladder's 10 (menu.c, teo.c, ladder.c menu_governor/teo_governor/
 * ladder_governor), and drivers/cpuidle/Kconfig has CPU_IDLE "select
 * CPU_IDLE_GOV_MENU if (NO_HZ || NO_HZ_IDLE) && !CPU_IDLE_GOV_TEO" while
 * teo is opt-in; RHEL, Ubuntu, Debian, SUSE and the LKP kernels set no
 * cpuidle.governor= (not checked against their configs here: a kernel that
 * builds teo still boots with menu, by the rating).  teo is hw/teo.h.
 */
#ifndef CASSIM_HW_MENU_H
#define CASSIM_HW_MENU_H

#include <stdbool.h>
#include <stdint.h>

#define MENU_INTERVALS 8 /* INTERVALS */
#define MENU_BUCKETS 6   /* BUCKETS (6 since the iowait buckets went, v6.14) */
#define MENU_MAX_STATES 4

/* One struct cpuidle_state: exit_latency_ns, target_residency_ns and
 * CPUIDLE_FLAG_POLLING (the POLL state of cpuidle_poll_state_init()). */
struct idle_state {
	int64_t exit_ns, target_ns;
	bool polling;
};

/* struct menu_device */
struct menu_dev {
	unsigned intervals[MENU_INTERVALS]; /* us */
	int interval_ptr;
	unsigned correction[MENU_BUCKETS];
	int bucket;
	uint64_t next_timer_ns;
};

/* menu_enable_device(): no history, every correction factor 1. */
void menu_init(struct menu_dev *d);

/* menu_select(): the state to enter among @st[0..@n) (st[0] the POLL
 * state).  @sleep_ns is tick_nohz_get_sleep_length(): the time to the next
 * timer event with the tick stopped; @delta_tick_ns its out-parameter, the
 * time to the next event with the tick running; @tick_stopped is
 * tick_nohz_tick_stopped(); *@stop_tick the cpuidle_select() out-parameter
 * (the caller sets it true first). */
int menu_select(struct menu_dev *d, const struct idle_state *st, int n, uint64_t sleep_ns,
		uint64_t delta_tick_ns, bool tick_stopped, uint64_t tick_ns, bool *stop_tick);

/* menu_update() for the state @idx just left after @residency_ns
 * (dev->last_residency_ns, exit latency included); @tick_wakeup: the tick
 * woke the CPU (tick_nohz_idle_got_tick()); @poll_time_limit: POLL gave up
 * at its time limit (dev->poll_time_limit, poll_idle()). */
void menu_update(struct menu_dev *d, const struct idle_state *st, int idx, uint64_t residency_ns,
		 bool tick_wakeup, bool poll_time_limit, uint64_t tick_ns);

/* get_typical_interval(), us; UINT32_MAX when there is no typical one. */
unsigned menu_typical_interval(const struct menu_dev *d);

#endif
