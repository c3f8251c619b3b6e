/*
 * What one simulation run measured.  Filled by the scheduler/simulation,
 * read by the report writers.  Units are in the field names.
 */
#ifndef CASSIM_REPORT_METRICS_H
#define CASSIM_REPORT_METRICS_H

#include <stdbool.h>

#include "base/types.h"
#include "report/hist.h"

/* Where a task moved, by the closest level the two CPUs share. */
enum mig_kind {
	MIG_SMT,       /* SMT sibling (same core) */
	MIG_LLC,       /* other core, same LLC */
	MIG_XLLC,      /* other LLC, same NUMA node */
	MIG_XNODE,     /* other node, same package */
	MIG_XPKG,      /* other package */
	MIG_NR,
};

extern const char *const mig_kind_name[MIG_NR]; /* "smt", "llc", "xllc", "xnode", "xpkg" */

struct task_counters {
	double work_ns;      /* work completed (ns of idle-machine CPU time) */
	double cpu_ns;       /* CPU time consumed (>= work when slowed down) */
	double overhead_ns;  /* CPU time of modelled kernel overhead (switches, wakeups, syscalls, copies) */
	double spin_ns;      /* CPU time busy-waiting (spin locks, rt-app runtime) */
	double wait_ns;      /* time runnable but not running (runqueue wait) */
	uint64_t nr_wakeups;
	uint64_t nr_switches;        /* times switched in */
	uint64_t nr_migrations[MIG_NR];
	uint64_t loops_done;         /* completed iterations of the op list */
};

struct proc_metrics {
	char name[64];
	int nr_threads;
	struct task_counters c;
	struct hist wakeup_lat; /* wakeup -> running, ns */
};

struct lb_level_metrics {
	char name[8];     /* domain level name: SMT, MC, PKG, NODE, NUMA */
	int numa_distance;
	uint64_t attempts;  /* load_balance() calls at this level (periodic + idle + newidle) */
	uint64_t balanced;  /* found nothing to do */
	uint64_t successes; /* moved at least one task */
	uint64_t failed;    /* imbalance found but nothing could move */
	uint64_t tasks_moved;
	uint64_t active;    /* active balances started */
	uint64_t newidle_attempts;
	uint64_t newidle_cutoffs; /* newidle passes stopped here by avg_idle < cost */
	uint64_t serialize_skips; /* SD_SERIALIZE level skipped: another CPU was balancing one */
};

/* A metric the workload reports the way its benchmark does (wl_metric). */
struct bench_metric {
	char name[64];
	char unit[16];
	bool latency;         /* percentiles of h, in ns */
	bool higher_is_better;
	bool incomplete;      /* elapsed: not every thread finished within the run */
	double value;         /* scalar metrics; latency: the mean */
	struct hist h;        /* latency */
};

/* A policy's observation (CAS: preference switches, gate trips ...). */
struct policy_metric {
	char scope[64];   /* "total" or a process name */
	char name[48];
	double value;
};

/* Machine-model totals of a run. */
struct model_metrics {
	bool on;
	char profile[32];
	uint64_t idle_exits;
	double idle_exit_ns;      /* summed exit latencies paid */
	uint64_t idle_ticks;      /* ticks that woke an idle CPU (the governor kept the tick) */
	uint64_t poll_timeouts;   /* POLL gave up at its time limit */
	uint64_t ipis;            /* wakeups of an idle CPU that sent it an IPI */
	uint64_t ipis_saved;      /* ... that found it polling: no IPI */
};

/* Background OS activity of a run (sched/osnoise.h): how often each source
 * took a CPU and the CPU time it took. */
struct noise_metrics {
	bool on;
	uint64_t tick_irqs;        /* ticks on busy CPUs that paid the handler's cost */
	double tick_irq_ns;
	uint64_t kthread_wakeups;  /* per-CPU kernel thread bursts run */
	double kthread_ns;         /* their CPU time */
	uint64_t irqs;             /* device interrupts / softirqs */
	double irq_ns;             /* their time (all of it, busy CPUs or idle) */
};

struct results {
	/* identification (the full config travels separately as JSON) */
	char policy[32];
	char topology[128];
	char workload[128];
	uint64_t seed;
	simtime_t duration_ns;   /* simulated time actually run */

	int nr_procs;
	struct proc_metrics *procs; /* [nr_procs] */
	struct proc_metrics total;

	int nr_cpus;
	double *cpu_util;           /* [nr_cpus]: busy fraction of the run */
	double util_mean, util_min, util_max, util_stddev;

	int nr_levels;
	struct lb_level_metrics *levels; /* [nr_levels], bottom-up */

	uint64_t nr_forks, nr_exits;
	uint64_t nr_hotplug, affinity_broken;
	uint64_t nohz_kicks;
	uint64_t nohz_stats_kicks; /* ILB kicks only to decay blocked load */
	uint64_t blocked_updates;  /* blocked-average decays (update_blocked_averages) */
	/* pipe->mutex (wl_interp.c pipe_lock()): contended acquisitions that
	 * spun or slept, unlocks that handed it to a waiter */
	uint64_t pipe_mutex_spins, pipe_mutex_sleeps, pipe_mutex_handoffs;
	/* futex hash buckets (wl_interp.c futex_bucket()): futex_wait()/
	 * futex_wake() calls, those that spun on the bucket lock, the time */
	uint64_t futex_ops, futex_bucket_spins;
	double futex_bucket_spin_ns;
	/* AF_UNIX receive queue spinlocks (wl_interp.c sock_lock()):
	 * acquisitions, those that spun, the time */
	uint64_t sock_lock_ops, sock_lock_spins;
	double sock_lock_spin_ns;
	/* Invariant watch: time some CPU sat idle while a task waited on another
	 * CPU's queue for longer than the balancer should allow (counted and
	 * reported, not asserted). */
	uint64_t idle_while_waiting;
	double idle_while_waiting_ns;

	int nr_metrics;
	struct bench_metric *metrics; /* [nr_metrics] */
	int nr_policy_metrics, cap_policy_metrics;
	struct policy_metric *policy_metrics; /* in the order the policy reported them */
	/* What a cache-aware policy did, in one line (policies/cas_verdict.c);
	 * verdict_kind -1: no verdict (not a cache-aware run). */
	int verdict_kind;
	char verdict_name[24];
	char verdict[256];
	struct model_metrics model;
	struct noise_metrics noise;
	/* NUMA balancing totals */
	uint64_t numa_scans, numa_task_migrations, numa_pref_changes;
	double numa_pages_migrated_bytes;

	uint64_t events;       /* events processed */
	double wall_s;         /* wall-clock seconds of the run (not in JSON: nondeterministic) */
	double setup_cpu_s;    /* CPU seconds of sim_run() before the first event (nor these) */
	double loop_cpu_s;     /* CPU seconds of the event loop */
};

#endif
