/*
 * The stock fair-class scheduler model: per-CPU runqueues with EEVDF, PELT,
 * the tick with NOHZ idle, wakeup/fork placement, periodic / newidle / nohz
 * load balancing (CAS.md §6), mirroring kernel/sched/fair.c and core.c of
 * Linux v6.15.  The simulation drives it through this API and tells it,
 * through struct sched_ops, what each task does next.
 */
#ifndef CASSIM_SCHED_SCHED_H
#define CASSIM_SCHED_SCHED_H

#include "base/eq.h"
#include "hw/perf.h"
#include "hw/topo.h"
#include "report/metrics.h"
#include "sched/grpsum.h"
#include "sched/hooks.h"
#include "sched/params.h"
#include "sched/sd.h"
#include "sched/task.h"

struct sched_ops {
	/* Next step of task @t (called when it starts, after each run burst,
	 * after a sleep or wait ends). */
	struct task_action (*next)(void *ctx, struct task *t);
	/* Name of process @process for policy reports; NULL (or a NULL
	 * answer): "proc<N>". */
	const char *(*proc_name)(void *ctx, int process);
	void *ctx;
};

/* Kernel enums, same order (fair.c). */
enum group_type {
	group_has_spare = 0,
	group_fully_busy,
	group_misfit_task,
	group_smt_balance,
	group_asym_packing,
	group_imbalanced,
	group_llc_balance, /* CAS (unused by cfs) */
	group_overloaded,
};

enum migration_type {
	migrate_load = 0,
	migrate_util,
	migrate_task,
	migrate_misfit,
	migrate_llc_task, /* CAS */
};

enum cpu_idle_type {
	CPU_NOT_IDLE = 0,
	CPU_IDLE,
	CPU_NEWLY_IDLE,
};

struct sg_lb_stats {
	unsigned long avg_load, group_load, group_capacity, group_util, group_runnable;
	unsigned int sum_nr_running, sum_h_nr_running, idle_cpus, group_weight, cores;
	enum group_type group_type;
	unsigned int group_smt_balance;
	unsigned int nr_pref_dst_llc; /* CAS: tasks in the group preferring dst's LLC */
	unsigned long group_misfit_task_load; /* largest misfit_task_load of its CPUs (asym.h) */
};

/* Per-CPU mutable state of one sched domain (the template is immutable). */
struct sched_domain {
	const struct sd_tmpl *t;
	struct sched_domain *parent, *child;
	int level; /* global level index, for metrics */
	unsigned int balance_interval; /* ms */
	unsigned int nr_balance_failed;
	uint64_t last_balance; /* jiffies */
	int64_t max_newidle_lb_cost;
	uint64_t last_decay_max_lb_cost;
};

/* Per-LLC shared state (sched_domain_shared). */
struct sd_shared {
	int nr_busy_cpus;
	int has_idle_cores;
	int nr_idle_scan;
};

struct rq {
	int cpu;
	struct sched *s;
	struct cfs_rq cfs;
	struct task *curr;         /* NULL = idle */
	int nr_running;            /* fair tasks on the rq incl. curr and delayed ones */
	struct sched_avg avg;      /* cfs_rq->avg */
	/* rq->clock_pelt (pelt.h of Linux v6.15): PELT's time, scaled by the
	 * frequency scale while the CPU runs, synced to the clock when idle */
	uint64_t clock_pelt, clock_pelt_at, lost_idle_time;
	bool pelt_idle;            /* the last advance found the CPU idle */
	struct task *tasks_head, *tasks_tail; /* cfs_tasks */

	struct eq_event tick_ev;
	struct eq_event poll_ev;   /* poll_idle()'s time limit */
	struct eq_event done_ev;   /* curr's run burst completes */
	struct eq_event resched_ev;
	struct eq_event active_ev; /* active balance stopper */
	struct eq_event hotplug_ev;/* drains the CPU when it goes offline */
	bool tick_stopped;         /* NOHZ idle */
	bool need_resched;
	int active_balance;        /* pending push to push_cpu */
	int push_cpu;

	uint64_t next_balance;     /* jiffies */
	simtime_t idle_stamp;      /* 0 when not idle */
	int64_t avg_idle;
	int64_t max_idle_balance_cost;
	bool in_nohz_mask;
	bool in_cstate;            /* idle and in a hardware idle state (machine model) */
	simtime_t ready_at;        /* leaving the idle state: nothing runs before this */

	struct sched_domain *sd;   /* bottom domain, NULL if none */
	struct sched_domain *doms; /* storage */
	int nr_doms;
	struct sd_shared *llc_shared;

	simtime_t busy_since;      /* -1 when idle */
	double busy_ns;

	/* blocked load (fair.c, v6.15): set when the CPU enters nohz idle,
	 * cleared when sched_balance_update_blocked_averages() finds its
	 * averages decayed to 0 */
	bool has_blocked_load;
	uint64_t last_blocked_load_update_tick; /* jiffies */

	/* cfs.h_nr_runnable (Linux v6.14+ name): nr_running minus the
	 * delayed-dequeue tasks (sched_delayed), which sleep but stay queued */
	int h_nr_runnable;
};

struct lb_env {
	struct sched_domain *sd;
	int src_cpu, dst_cpu;
	struct rq *src_rq, *dst_rq;
	enum cpu_idle_type idle;
	long imbalance;
	unsigned int flags;
	unsigned int loop, loop_max;
	enum migration_type migration_type;
	const struct sd_group_tmpl *dst_grp;
	int new_dst_cpu;
	struct cpumask cpus;
};

#define LBF_ALL_PINNED 0x01
#define LBF_NEED_BREAK 0x02
#define LBF_DST_PINNED 0x04
#define LBF_SOME_PINNED 0x08
#define LBF_ACTIVE_LB 0x10
#define LBF_LLC_PINNED 0x20

struct sched {
	const struct topo *topo;
	const struct sd_topology *sdt;
	struct perf *perf;      /* machine model, NULL = every CPU runs work at speed 1 */
	unsigned long freq_scale; /* arch_scale_freq_capacity(): 1024 unless freq_invariance and the profile say less */
	bool numa_on;           /* NUMA balancing enabled (needs the machine model) */
	struct cpumask offline; /* CPUs taken offline by the workload */
	void *numa_state;       /* numa.c's per-run state */
	struct sched_params p;
	struct eq *eq;
	struct sched_ops ops;
	const struct sched_hooks *hooks;
	void *hook_state;

	int nr_cpus;
	struct rq *rq;          /* [nr_cpus] */
	struct sd_shared *llc_shared; /* [nr_llcs] */
	int nr_tasks, cap_tasks;
	struct task **tasks;

	int64_t tick_ns;
	int64_t base_slice;     /* sysctl_sched_base_slice after scaling */
	bool smt_active;
	int nr_levels;

	/* nohz */
	struct cpumask nohz_idle;
	int nohz_nr_cpus;
	uint64_t nohz_next_balance;
	struct eq_event ilb_ev;
	int ilb_cpu;
	unsigned ilb_flags;      /* NOHZ_*_KICK pending for the ILB (nohz_flags()) */
	bool nohz_has_blocked;   /* nohz.has_blocked */
	uint64_t nohz_next_blocked; /* nohz.next_blocked, jiffies */
	bool rd_overloaded;      /* root domain: some CPU has > 1 task */
	/* sched_balance_running (fair.c, v6.15): the CPU balancing an
	 * SD_SERIALIZE level and until when (lb_serialize_trylock()) */
	int balance_running_cpu;
	simtime_t balance_running_until;

	struct eq_event watch_ev; /* idle-while-waiting invariant watch */

	/* metrics */
	struct lb_level_metrics *lvl;
	uint64_t nr_forks, nr_exits, nohz_kicks;
	uint64_t nohz_stats_kicks;  /* ILB kicks for blocked-load decay only */
	uint64_t blocked_updates;   /* sched_balance_update_blocked_averages() calls */
	simtime_t last_exit;     /* time of the latest task exit */
	uint64_t idle_exits;     /* wakeups of a CPU from a hardware idle state */
	uint64_t nr_hotplug;     /* CPU offline/online transitions */
	uint64_t affinity_broken;/* tasks given every CPU because theirs went offline */
	double idle_exit_ns;     /* exit latency they paid */
	uint64_t idle_while_waiting;
	double idle_while_waiting_ns;
	uint64_t next_task_id;

	/* trace observer (sched/trace.h), NULL = off.  (Policy modules do not
	 * see this layout: they use sched/api.h.) */
	struct sched_trace *trace;
	/* background OS activity (sched/osnoise.h): the tick handler's cost on
	 * a busy CPU, 0 = free, and how many ticks paid it */
	double tick_irq_ns;
	uint64_t tick_irqs;

	/* asymmetric CPU capacity (sched/asym.h), after trace for the same reason */
	bool asym_cpucap;                 /* sched_asym_cpucapacity: a domain has SD_ASYM_CPUCAPACITY */
	unsigned long max_cpu_capacity;   /* rd->max_cpu_capacity */
	unsigned long *misfit_task_load;  /* [nr_cpus] rq->misfit_task_load */

	/* the tick and the idle governor (sched/sched.c idle_select()) */
	struct task **timers;    /* [nr_cpus] tasks whose timer is armed on the CPU */
	uint64_t idle_ticks;     /* ticks that woke an idle CPU (the governor kept the tick) */
	uint64_t poll_timeouts;  /* POLL gave up at its time limit (poll_idle()) */
	uint64_t ipis;           /* wakeups of an idle CPU that sent it an IPI */
	uint64_t ipis_saved;     /* ... that found it polling and sent none (set_nr_if_polling()) */

	/* update_sg_lb_stats()'s sums per group span (sched/grpsum.h): every
	 * write of a runqueue's averages, nr_running, h_nr_runnable or curr
	 * calls rq_terms_changed() */
	struct grpsum gsum;
};

static inline void rq_terms_changed(struct sched *s, const struct rq *rq)
{
	grpsum_touch(&s->gsum, rq->cpu);
}

/* Create the scheduler for a topology (domains from @sdt) on queue @eq. */
struct sched *sched_new(const struct topo *t, const struct sd_topology *sdt,
			const struct sched_params *p, struct eq *eq,
			const struct sched_hooks *hooks, const void *hook_params, struct sched_ops ops);
void sched_free(struct sched *s);

/* Create a task; it is not runnable until sched_start_task(). */
struct task *sched_create_task(struct sched *s, int process, int nice,
			       const struct cpumask *affinity);
/* Start @t at time @at: forked from @parent_cpu with fork balancing
 * (wake_up_new_task), or placed on @cpu directly when @cpu >= 0. */
void sched_start_task(struct sched *s, struct task *t, simtime_t at, int parent_cpu, int cpu);
/* Create-time alternative for a task blocked since before the run (kernel
 * threads): on @cpu, with decayed signals, until sched_wake_blocked(). */
void sched_start_blocked(struct sched *s, struct task *t, int cpu);
/* Wake blocked @p with no waker task (from an interrupt). */
void sched_wake_blocked(struct sched *s, struct task *p);

/* Attach the machine model (before any task starts); this also starts NUMA
 * balancing when it is on. */
void sched_set_perf(struct sched *s, struct perf *pf);
/* The machine's arch_scale_freq_capacity() (hw/freq.h profile_freq_scale());
 * kept at 1024 with freq_invariance=0. */
void sched_set_freq_scale(struct sched *s, unsigned long scale);
/* perf_retime_fn: the running task of @cpu changed speed. */
void sched_retime(void *ctx, int cpu);
/* End a task's ACT_SPIN with ns < 0 (the lock it spins on was handed to it). */
void sched_spin_release(struct sched *s, struct task *p);

/* Finish the run: account busy time up to now and fill level metrics. */
void sched_finish(struct sched *s);

static inline uint64_t sched_jiffies(const struct sched *s)
{
	return (uint64_t)(eq_now(s->eq) / s->tick_ns);
}

static inline struct sched *rq_sched(const struct rq *rq) { return rq->s; }

/* Migration classification between two CPUs. */
enum mig_kind sched_mig_kind(const struct sched *s, int from, int to);

/* --- internal, shared by sched.c / wakeup.c / lb.c --- */
static inline unsigned long cpu_load(const struct rq *rq) { return rq->avg.load_avg; }
static inline unsigned long cpu_runnable(const struct rq *rq) { return rq->avg.runnable_avg; }
/* cpu_util_cfs() = cpu_util(cpu, NULL, -1, 0) (fair.c, v6.15): util_avg or,
 * with UTIL_EST, the estimates of the enqueued tasks if larger (the sum is
 * 0 with util_est off) */
static inline unsigned long cpu_util(const struct rq *rq)
{
	return MIN(MAX(rq->avg.util_avg, (unsigned long)rq->avg.util_est),
		   (unsigned long)SCHED_CAPACITY_SCALE);
}
/* cpu_util_cfs_boost() = cpu_util(cpu, NULL, -1, 1): runnable_avg too */
static inline unsigned long cpu_util_boost(const struct rq *rq)
{
	unsigned long util = MAX(rq->avg.util_avg, rq->avg.runnable_avg);

	return MIN(MAX(util, (unsigned long)rq->avg.util_est), (unsigned long)SCHED_CAPACITY_SCALE);
}
static inline bool idle_cpu(const struct rq *rq) { return rq->nr_running == 0 && !rq->curr; }
/* Why a task stopped running on its CPU / changed CPU (sched/trace.h). */
enum sched_switch_why { SW_PREEMPT, SW_BLOCK, SW_EXIT, SW_MIGRATE };
enum sched_mig_why { MIGR_WAKEUP, MIGR_LB, MIGR_ACTIVE, MIGR_NUMA, MIGR_HOTPLUG };
void sched_move_task(struct sched *s, struct task *p, int dst_cpu, enum sched_mig_why why);
/* Preempt @rq's running task into its queue (a stopper took the CPU); the
 * caller reschedules. */
void sched_put_curr(struct sched *s, struct rq *rq);
/* CPU hotplug: an offline CPU runs nothing and takes no tasks. */
void sched_cpu_hotplug(struct sched *s, int cpu, bool online);
int sched_fallback_cpu(struct sched *s, struct task *p, int cpu);
static inline bool cpu_offline(const struct sched *s, int cpu)
{
	return cpumask_test(&s->offline, cpu);
}
void sched_resched(struct sched *s, int cpu);
/* An interrupt took @ns of @rq's CPU from its running task (osnoise.h). */
void sched_irq_steal(struct sched *s, struct rq *rq, double ns);
/*
 * rq_clock_pelt(), advanced as update_rq_clock_pelt() does (pelt.h, v6.15):
 * while the CPU runs, the elapsed time scaled by the frequency scale
 * (cap_scale(delta, arch_scale_freq_capacity()); CPU capacity is 1024);
 * idle, synced to the clock (_update_idle_rq_clock_pelt()).  The first
 * idle advance is update_idle_rq_clock_pelt() of set_next_task_idle(): a
 * runqueue whose util_sum is at its maximum counts the skipped time as
 * lost idle time, not idle.  Every change of rq->curr follows an advance
 * at the same instant (a PELT update), so each interval is scaled by the
 * state it was spent in.
 */
static inline uint64_t rq_clock_pelt(struct sched *s, struct rq *rq)
{
	uint64_t now = (uint64_t)eq_now(s->eq);

	if (s->freq_scale == SCHED_CAPACITY_SCALE)
		return now; /* clock_pelt == clock: nothing is ever lost */
	if (rq->curr) {
		rq->clock_pelt += (now - rq->clock_pelt_at) * s->freq_scale >> SCHED_CAPACITY_SHIFT;
		rq->pelt_idle = false;
	} else {
		if (!rq->pelt_idle && rq->avg.util_sum >= PELT_IDLE_LOST_DIVIDER)
			rq->lost_idle_time += now - rq->clock_pelt;
		rq->pelt_idle = true;
		rq->clock_pelt = now;
	}
	rq->clock_pelt_at = now;
	return rq->clock_pelt - rq->lost_idle_time;
}

/* Bring @rq's PELT signals to now (inline: balancing calls it per CPU visited). */
static inline void update_rq_load(struct sched *s, struct rq *rq)
{
	/* __update_load_avg_cfs_rq(), v6.15: runnable counts h_nr_runnable; a
	 * delayed task's weight stays in cfs.load */
	pelt_update(&rq->avg, rq_clock_pelt(s, rq), rq->cfs.load, (unsigned long)rq->h_nr_runnable,
		    rq->curr != NULL, 1);
	rq_terms_changed(s, rq);
}
void update_task_load(struct sched *s, struct task *p, struct rq *rq);
void update_curr(struct sched *s, struct rq *rq);
void sched_update_idle_core(struct sched *s, int cpu);

/* One CPU's share of a group's statistics (update_sg_lb_stats() loop body,
 * also used by the wakeup slow path's update_sg_wakeup_stats()); inline:
 * balancing runs it for every CPU of every group it looks at.  It reads
 * the averages as last stored, as cpu_load()/cpu_util_cfs() read
 * rq->cfs.avg (fair.c, v6.15): a busy CPU's are brought up to date by its
 * tick and its enqueues/dequeues, an idle CPU's blocked load by
 * sched_balance_update_blocked_averages() (lb.c). */
static inline void sg_add_cpu(struct sg_lb_stats *sgs, const struct rq *rq)
{
	sgs->group_load += cpu_load(rq);
	sgs->group_util += cpu_util(rq);
	sgs->group_runnable += cpu_runnable(rq);
	/* v6.15 (since v6.14): delayed tasks count in nr_running only */
	sgs->sum_h_nr_running += (unsigned)rq->h_nr_runnable;
	sgs->sum_nr_running += (unsigned)rq->nr_running;
	if (idle_cpu(rq))
		sgs->idle_cpus++;
}

/* sg_add_cpu() over every CPU of @g, from the running sums (sched/grpsum.h). */
static inline const struct grp_terms *group_terms(struct sched *s, const struct sd_group_tmpl *g)
{
	if (s->gsum.nr_dirty)
		grpsum_flush(s);
#ifdef GRPSUM_CHECK
	grpsum_check(s, g);
#endif
	return &s->gsum.sum[g->id];
}

/* The sg_lb_stats those sums fill (the rest 0). */
static inline struct sg_lb_stats sg_of_terms(const struct grp_terms *t)
{
	return (struct sg_lb_stats){ .group_load = t->load, .group_util = t->util,
				     .group_runnable = t->runnable, .sum_h_nr_running = t->h_nr_runnable,
				     .sum_nr_running = t->nr_running, .idle_cpus = t->idle_cpus };
}

/* lb.c and wakeup.c: sched/lb.h, sched/wakeup.h */

#define WF_TTWU 0x08
#define WF_FORK 0x04
#define WF_SYNC 0x10

#endif
