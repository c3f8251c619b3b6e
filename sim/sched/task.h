/* A simulated thread: its scheduling entity, PELT signals, wakeup history
 * and the accounting the report needs. */
#ifndef CASSIM_SCHED_TASK_H
#define CASSIM_SCHED_TASK_H

#include "base/cpumask.h"
#include "base/eq.h"
#include "out/metrics.h"
#include "sched/eevdf.h"
#include "sched/pelt.h"

enum task_state {
	TASK_NEW,      /* not started yet (start delay) */
	TASK_RUNNABLE, /* on a runqueue (queued or running) */
	TASK_SLEEPING, /* timed sleep */
	TASK_BLOCKED,  /* waiting to be woken */
	TASK_DEAD,
};

struct task {
	int id;            /* index in sched.tasks */
	int process;       /* owning process index (the "mm") */
	int nice;
	enum task_state state;
	struct sched_entity se;
	struct sched_avg avg;
	int cpu;           /* task_cpu(): where it is queued or last ran */
	int recent_used_cpu;
	bool has_affinity;
	struct cpumask affinity;
	int nr_cpus_allowed;

	/* cfs_tasks list of its runqueue (fair.c: head = most recently
	 * enqueued or picked; detach_tasks() scans from the tail). */
	struct task *lb_prev, *lb_next;

	/* wakee flips (record_wakee/wake_wide) */
	unsigned int wakee_flips;
	uint64_t wakee_flip_decay_ts; /* jiffies */
	struct task *last_wakee;

	/* execution */
	int64_t exec_start;        /* se.exec_start: last time its runtime was charged */
	int64_t sum_exec_runtime;
	int64_t prev_sum_exec_runtime;
	double remaining_work;     /* ns of work left in the current run burst */
	int pending_wakes;         /* wakes that arrived while not waiting */
	struct eq_event timer;     /* sleep expiry / start */

	/* accounting */
	simtime_t runnable_since;  /* queued-not-running since (for wait time); -1 if not */
	simtime_t wake_time;       /* last wakeup, -1 once it ran */
	struct task_counters c;
	struct hist *wakeup_hist;  /* where wakeup latencies go (the process's), or NULL */

	void *wl;                  /* the simulation's per-thread interpreter state */
	void *policy_data;         /* per-task state of the loaded policy */
};

#endif
