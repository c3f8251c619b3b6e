/*
 * The stock scheduler's tunables: sysctls and sched_feat()s of fair.c (their
 * Linux v6.15 defaults: base slice 0.70 ms, migration cost 0.5 ms ...),
 * plus the simulator's own modelling knobs.  One X-macro table is the single
 * definition: struct sched_params, the --set parser, --help and the JSON
 * echo all come from it.
 *
 * X(name, type, default, min, max, unit, help)
 */
#ifndef CASSIM_SCHED_PARAMS_H
#define CASSIM_SCHED_PARAMS_H

#include "base/param.h"

#define SCHED_PARAMS(X) \
	X(hz, PARAM_INT, 1000, 100, 1000, "Hz", "scheduler tick rate (CONFIG_HZ): 1000 as the RHEL-derived configs of the LKP kernels and RHEL/Fedora; Debian and SUSE build 250") \
	X(base_slice_ns, PARAM_TIME, 700000, 100000, 100000000, "ns", \
	  "normalized sysctl_sched_base_slice; scaled by 1+ilog2(min(ncpus,8)) (SCHED_TUNABLESCALING_LOG)") \
	X(migration_cost_ns, PARAM_TIME, 500000, 0, 100000000, "ns", \
	  "sysctl_sched_migration_cost: task_hot() window and newidle cost floor") \
	X(nr_migrate, PARAM_INT, 32, 1, 1024, "tasks", "sysctl_sched_nr_migrate: detach_tasks() loop bound") \
	X(nohz, PARAM_BOOL, 1, 0, 1, "", "NO_HZ_IDLE: idle CPUs stop their tick; idle balancing by a kicked ILB CPU") \
	X(tick_stop, PARAM_BOOL, 1, 0, 1, "", \
	  "1: an idle CPU stops its tick only when the idle governor predicts an idle longer than a tick (cpuidle_select()'s stop_tick, v6.15); 0: on every idle entry (the old model, not Linux)") \
	X(idle_teo, PARAM_BOOL, 0, 0, 1, "", \
	  "the cpuidle governor: 0 menu (the default: its rating 20 beats teo's 19, and Kconfig selects it on NO_HZ_IDLE kernels), 1 teo (cpuidle.governor=teo; teo.c, v6.15)") \
	X(poll_limit, PARAM_BOOL, 1, 0, 1, "", \
	  "poll_idle() gives up after cpuidle_poll_time() (the first target residency >= 10 us after POLL, at most TICK_NSEC/16; a37b969a61c1) and the governor selects again; 0 polls until a wakeup or the tick (the old model, not Linux)") \
	X(idle_polling, PARAM_BOOL, 1, 0, 1, "", \
	  "a wakeup of a CPU idling in POLL or an MWAIT state sends no IPI (set_nr_if_polling(), e3baac47f0e8, v3.16; poll_idle() and mwait_idle_with_hints() set TIF_POLLING_NRFLAG with current_set_polling_and_test()); 0 always sends one (ablation)") \
	X(newidle_balance, PARAM_BOOL, 1, 0, 1, "", "balance when a CPU is about to go idle (sched_balance_newidle)") \
	X(sis_util, PARAM_BOOL, 1, 0, 1, "", "sched_feat SIS_UTIL: limit the idle-CPU scan by LLC utilisation") \
	X(util_est, PARAM_BOOL, 1, 0, 1, "", \
	  "sched_feat UTIL_EST: a task's utilisation estimate (EWMA of util_avg at each sleep) raises cpu_util() while it is queued") \
	X(freq_invariance, PARAM_BOOL, 1, 0, 1, "", \
	  "x86 frequency invariance: PELT time runs at arch_scale_freq_capacity() (APERF/MPERF over arch_max_freq_ratio, from the machine profile); 0 = capacity 1024 (an ablation, not Linux)") \
	X(wa_idle, PARAM_BOOL, 1, 0, 1, "", "sched_feat WA_IDLE: wake_affine_idle()") \
	X(wa_sync_delayed, PARAM_BOOL, 1, 0, 1, "", \
	  "wake_affine_idle()'s sync test does not count delayed-dequeue tasks (fair.c, aa3ee4f0b754 \"sched/fair: Fixup wake_up_sync() vs DELAYED_DEQUEUE\": mainline v6.16, stable 6.15.3); 0 counts them (v6.12-v6.15.2)") \
	X(wa_weight, PARAM_BOOL, 1, 0, 1, "", "sched_feat WA_WEIGHT: wake_affine_weight()") \
	X(wa_bias, PARAM_BOOL, 1, 0, 1, "", "sched_feat WA_BIAS: imbalance_pct bias in wake_affine_weight()") \
	X(run_to_parity, PARAM_BOOL, 1, 0, 1, "", "sched_feat RUN_TO_PARITY: current keeps the CPU until its slice deadline") \
	X(place_lag, PARAM_BOOL, 1, 0, 1, "", "sched_feat PLACE_LAG: keep a task's lag across sleep and migration") \
	X(place_deadline_initial, PARAM_BOOL, 1, 0, 1, "", "sched_feat PLACE_DEADLINE_INITIAL: half a slice for new tasks") \
	X(wakeup_preemption, PARAM_BOOL, 1, 0, 1, "", "sched_feat WAKEUP_PREEMPTION") \
	X(delay_dequeue, PARAM_BOOL, 1, 0, 1, "", \
	  "sched_feat DELAY_DEQUEUE: a task that sleeps while not eligible stays queued until picked or woken") \
	X(delay_zero, PARAM_BOOL, 1, 0, 1, "", \
	  "sched_feat DELAY_ZERO: a delayed task's positive lag is clipped to 0 when it is dequeued or woken") \
	X(wake_sync, PARAM_BOOL, 1, 0, 1, "", \
	  "pipe and socket wakeups carry WF_SYNC as Linux's wake_up_interruptible_sync_poll() does; 0 drops the flag (an ablation, not Linux)") \
	X(lb_cost_base_ns, PARAM_TIME, 2000, 0, 10000000, "ns", \
	  "modelled fixed cost of one newidle load_balance() pass (the sched_clock_cpu() interval sched_balance_newidle() measures) [E]; feeds max_newidle_lb_cost") \
	X(lb_cost_per_cpu_ns, PARAM_TIME, 40, 0, 100000, "ns", \
	  "modelled cost per CPU of the balanced domain: update_sd_lb_stats() reads every CPU of the span once; the per-group work is folded in [E]") \
	X(pipe_mutex, PARAM_BOOL, 1, 0, 1, "", \
	  "pipe reads and writes serialise on pipe->mutex for their copy; a contended mutex spins while its owner runs, else sleeps, with handoff (fs/pipe.c, mutex.c). 0: no mutex (an ablation, not Linux)") \
	X(futex_hold_ns, PARAM_TIME, 100, 0, 100000, "ns", \
	  "hold time of a futex hash bucket's spinlock per futex_wait()/futex_wake() (kernel/futex: the user-word read and plist insert, or the plist walk, with the bucket's line from the last CPU) [E]; callers on the same futex word spin FIFO. 0: no bucket lock (an ablation, not Linux)") \
	X(sock_lock, PARAM_BOOL, 1, 0, 1, "", \
	  "AF_UNIX stream senders and the reader serialise on the receiving socket's spinlocks (unix_state_lock(), the receive queue's lock) per skb queued, peeked or unlinked, each hold sock_lock_ns plus the socket's lines from the last holder; others spin FIFO. 0: no lock (an ablation, not Linux)") \
	X(balance_serialize, PARAM_BOOL, 1, 0, 1, "", \
	  "SD_SERIALIZE (NUMA) levels are balanced by one CPU at a time (sched_balance_running); a CPU that finds it taken skips the level. 0: no serialisation (an ablation, not Linux)") \
	X(wait_watch_ns, PARAM_TIME, 20000000, 1000000, 10000000000, "ns", \
	  "invariant watch: count a task waiting this long while some CPU idles") \
	X(numa_balancing, PARAM_INT, -1, -1, 1, "", \
	  "NUMA balancing: 1 on, 0 off, -1 auto (on when the machine has more than one node, as Linux)") \
	X(numa_scan_delay_ns, PARAM_TIME, 1000000000, 0, 600000000000, "ns", \
	  "sysctl numa_balancing_scan_delay_ms: first scan after a task starts") \
	X(numa_scan_period_min_ns, PARAM_TIME, 1000000000, 1000000, 600000000000, "ns", \
	  "sysctl numa_balancing_scan_period_min_ms") \
	X(numa_scan_period_max_ns, PARAM_TIME, 60000000000, 1000000, 600000000000, "ns", \
	  "sysctl numa_balancing_scan_period_max_ms")

struct sched_params {
#define SCHED_PARAM_FIELD_PARAM_INT int64_t
#define SCHED_PARAM_FIELD_PARAM_BOOL bool
#define SCHED_PARAM_FIELD_PARAM_TIME simtime_t
#define SCHED_PARAM_FIELD_PARAM_DOUBLE double
#define X(name, type, def, lo, hi, unit, help) SCHED_PARAM_FIELD_##type name;
	SCHED_PARAMS(X)
#undef X
};

extern const struct param_def sched_param_defs[];
extern const size_t sched_nr_param_defs;

void sched_params_defaults(struct sched_params *p);

#endif
