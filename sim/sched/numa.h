/*
 * NUMA balancing (kernel/sched/fair.c task_numa_*, as of v6.6 .. v6.13),
 * simplified with the kernel's time scales; the model is described at the top of numa.c.
 * Per-task state lives in struct task (task.h embeds struct numa_task, so
 * this header uses only base types); the per-node fault arrays, the
 * per-process (mm / numa_group) state and the stopper events live in
 * numa.c's state behind sched->numa_state.
 */
#ifndef CASSIM_SCHED_NUMA_H
#define CASSIM_SCHED_NUMA_H

#include "base/types.h"

struct sched;
struct task;
struct rq;

struct numa_task {
	int preferred_nid;        /* numa_preferred_nid, -1 = none */
	simtime_t next_scan;      /* runtime (sum_exec_runtime) of the next task_tick_numa() trigger:
				   * node_stamp + scan_period */
	simtime_t scan_period;    /* numa_scan_period, ns */

	/* kernel fields behind the model (numa.c) */
	simtime_t node_stamp;     /* runtime ns */
	simtime_t scan_period_max;/* numa_scan_period_max, ns */
	simtime_t migrate_retry;  /* numa_migrate_retry, wall ns */
	simtime_t last_placement; /* last_task_numa_placement (wall ns, 0 = never) */
	int64_t last_sum_exec;    /* last_sum_exec_runtime */
	int64_t fault_runtime;    /* sum_exec_runtime at its last fault batch */
	int scan_seq;             /* numa_scan_seq: the mm's pass it last placed for */
	int8_t fault_nodes[32];   /* CPU node of its last faults, one entry per scan window (ring):
				   * the last_cpupid its private pages carry from the previous pass */
	int fault_pos, nr_fault_nodes;
	int last_node;            /* node seen at the previous tick (update_scan_period detection) */
	bool has_faults;          /* p->numa_faults allocated: it took a hinting fault */
	bool fault_pending;       /* a scan unmapped its pages while it was not running: its
				   * next tick takes the first hinting fault */
	bool in_group;            /* member of its process's numa_group */
	bool started;
	double total_faults;      /* total_numa_faults: decayed memory faults (pages); the CAS footprint */
	double locality[3];       /* numa_faults_locality: remote, local, failed migrations (pages) */

	/* counters */
	uint64_t nr_scans;        /* task_numa_work() passes this task ran */
	uint64_t nr_task_migrations; /* moved to (or swapped onto) its preferred node */
	uint64_t nr_swaps;        /* part of a migrate_swap() */
	uint64_t nr_migrate_failed; /* task_numa_migrate() found no CPU, or the move went stale */
	uint64_t nr_pref_changes; /* sched_setnuma() */
	double faults;            /* hinting faults taken (pages) */
	double pages_migrated_bytes; /* pages its faults moved toward its node */
	double migrate_fail_bytes;   /* misplaced pages the rate limit kept in place */
};

/* Totals over all tasks (numa_totals()). */
struct numa_totals {
	uint64_t scans;           /* task_numa_work() passes */
	uint64_t task_migrations; /* tasks moved to their preferred node (migrate_task_to / migrate_swap) */
	uint64_t swaps;           /* of which migrate_swap() exchanges */
	uint64_t migrate_failed;
	uint64_t pref_changes;    /* preferred-node changes */
	double faults;            /* hinting faults (pages) */
	double pages_migrated_bytes;
	double migrate_fail_bytes;
};

/* Allocate the state (sched_set_perf() when NUMA balancing is on). */
void numa_init(struct sched *s);
void numa_fini(struct sched *s);
/* Scan size (numa_scan_mb, sysctl numa_balancing_scan_size_mb) and page
 * migration rate limit (numa_migrate_mbps) from the machine profile;
 * defaults 256 MB and 1280 MB/s until called. */
void numa_set_rates(struct sched *s, double scan_mb, double migrate_mbps);
/* init_numa_balancing(): @p starts (wake_up_new_task). */
void numa_task_init(struct sched *s, struct task *p);
/* task_tick_numa() for the running task of @rq, plus the periodic retry of
 * numa_migrate_preferred(). */
void numa_task_tick(struct sched *s, struct rq *rq, struct task *curr);
/* migrate_degrades_locality() as can_migrate_task() calls it for a balance
 * in an SD_NUMA domain (the caller checks the flag): 1 degrades, 0
 * improves, -1 no opinion.  @idle: env->idle == CPU_IDLE. */
int numa_migrate_degrades_locality(struct sched *s, struct task *p, int src_cpu, int dst_cpu, bool idle);
void numa_totals(const struct sched *s, struct numa_totals *out);

/* Decayed memory faults (pages) of @p on node @nid (task_faults()); 0 when off. */
double numa_task_faults(const struct sched *s, const struct task *p, int nid);
/* Tests: set @p's decayed memory faults on @nid (private, shared) and its preferred node. */
void numa_test_set_faults(struct sched *s, struct task *p, int nid, double priv, double shared,
			  int preferred_nid);

#endif
