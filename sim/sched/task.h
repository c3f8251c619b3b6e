/* A simulated thread: its scheduling entity, PELT signals, wakeup history
 * and the accounting the report needs (the parts of the kernel's
 * task_struct / sched_entity, Linux v6.15, that fair.c reads). */
#ifndef CASSIM_SCHED_TASK_H
#define CASSIM_SCHED_TASK_H

#include "base/cpumask.h"
#include "base/eq.h"
#include "hw/perf.h"
#include "report/metrics.h"
#include "sched/eevdf.h"
#include "sched/numa.h"
#include "sched/pelt.h"

/* What a task does when its current step finishes (the interpreter's answer). */
enum task_action_kind {
	ACT_RUN,    /* consume @ns of work, at the machine model's speed for @mem */
	ACT_SPIN,   /* busy-wait @ns of wall time; @ns < 0: until sched_spin_release() */
	ACT_CHARGE, /* add @ns of CPU time (kernel overhead: syscalls, copies), then ask again */
	ACT_SLEEP,  /* timed sleep of @ns */
	ACT_WAKE,   /* wake blocked task @target, then ask again */
	ACT_WAIT,   /* block until woken, after ns > 0 of CPU time (a wake meanwhile: no block) */
	ACT_EXIT,
};

struct task_action {
	enum task_action_kind kind;
	simtime_t ns;
	int target;
	bool sync;                  /* ACT_WAKE: WF_SYNC, the waker will soon sleep */
	const struct perf_mem *mem; /* ACT_RUN; NULL = pure compute */
};

enum task_state {
	TASK_NEW,      /* not started yet (start delay) */
	TASK_RUNNABLE, /* on a runqueue (queued or running) */
	TASK_SLEEPING, /* timed sleep */
	TASK_BLOCKED,  /* waiting to be woken */
	TASK_DEAD,
};

struct task {
	int id;            /* index in sched.tasks */
	int process;       /* owning process index (the "mm"); -1 for kernel threads */
	bool kthread;      /* PF_KTHREAD: a per-CPU kernel thread of the noise model */
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
	double remaining_work;     /* ns of work left in the current burst */
	enum { BURST_RUN, BURST_SPIN, BURST_CHARGE } burst;
	const struct perf_mem *mem;/* BURST_RUN: memory behaviour, NULL = pure compute */
	bool seg_open;             /* a machine-model segment is open (running a burst) */
	double charge_ns;          /* CPU overhead owed: folded into the next run burst, or run
				    * as a burst of its own before the task blocks */
	bool has_stashed;          /* the blocking step that waits behind that burst */
	bool wake_pending;         /* woken during that burst: do not block */
	struct task_action stashed;
	struct eq_event timer;     /* sleep expiry / start */

	/* accounting */
	simtime_t runnable_since;  /* queued-not-running since (for wait time); -1 if not */
	simtime_t wake_time;       /* last wakeup, -1 once it ran */
	struct task_counters c;
	struct hist *wakeup_hist;  /* where wakeup latencies go (the process's), or NULL */

	struct numa_task numa;     /* NUMA balancing */
	void *wl;                  /* the simulation's per-thread interpreter state */
	void *policy_data;         /* per-task state of the loaded policy */
	/* the timer's place on its CPU's list of pending timers (the idle
	 * governor's next timer event) */
	int tm_cpu;                /* -1: not armed */
	struct task *tm_prev, *tm_next;
};

#endif
