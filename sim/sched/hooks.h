/*
 * The hook interface: named points where the stock fair-class mechanism in
 * sched/ asks the loaded policy for a decision or tells it about an event.
 * They sit at the places the Cache Aware Scheduling revisions touch
 * (CAS.md §2): runtime charge (account_mm_sched), tick (task_tick_cache),
 * wakeup target (select_cache_cpu), group statistics and classification
 * (update_sg_lb_stats / llc_balance), busiest queue choice, the
 * can-migrate filter (migrate_degrades_llc), the active-balance veto
 * (alb_break_llc), enqueue/dequeue counters, fork/exit and CPU
 * online/offline.  A NULL hook means "stock behaviour": the cfs policy has
 * no hooks at all.  No kernel file mirrors this one: the points are where
 * the CAS patches (on v6.14 .. v6.19-rc3, CAS.md §1) change fair.c.
 */
#ifndef CASSIM_SCHED_HOOKS_H
#define CASSIM_SCHED_HOOKS_H

#include "base/types.h"

struct sched;
struct task;
struct lb_env;
struct sg_lb_stats;
struct sd_group_tmpl;

/* Verdicts of the can-migrate hook. */
enum hook_migrate {
	HOOK_MIGRATE_DEFAULT = 0, /* no opinion: stock checks decide */
	HOOK_MIGRATE_DENY,        /* refuse (e.g. would leave the preferred LLC) */
	HOOK_MIGRATE_DENY_PINNED, /* refuse, and do not count as a balance failure (LBF_LLC_PINNED) */
	HOOK_MIGRATE_HOT,         /* cache hot (RFC task_hot variants): refused unless
				   * nr_balance_failed > cache_nice_tries */
};

/* busiest_queue(): no queue qualifies (the balance is over). */
#define HOOK_NO_QUEUE (-2)
/* active_pick(): no queued task qualifies (the stopper moves nothing). */
#define HOOK_NO_TASK ((struct task *)-1)

/* Bumped whenever struct sched_hooks or a structure hooks see changes, or
 * what the headers give modules changes (policy modules built against
 * another version are refused).  4: init() receives the hook set's data;
 * eq_now(), cpu_load/util/runnable(), update_rq_load(), pelt_update() and
 * sg_add_cpu() are inline, the cpumask queries read cpumask_nr_words,
 * groups have last_cpu.  5: sg_add_cpu() reads the stored averages (no
 * struct sched argument); struct rq and struct sched grew blocked-load
 * fields; struct rq has h_nr_runnable and struct sched_entity
 * sched_delayed (DELAY_DEQUEUE); llc_force() receives prefer_sibling and
 * is asked also without it; numa_task_veto(); policies/cas.h (the CAS
 * revisions' configuration and rules) is installed, so that a module can
 * be written on top of a built-in revision.  6: struct sched keeps the
 * group sums (sched/grpsum.h; a module that writes a runqueue's averages,
 * nr_running, h_nr_runnable or curr calls rq_terms_changed()), groups have
 * an id and domains gids[], struct cfs_rq has keys[]. */
#define SCHED_HOOKS_VERSION 6

/* Where a policy reports its observations at the end of a run (CAS:
 * preference switches, gate trips ...): one call per value; @scope is
 * "total" or a process name. */
typedef void (*hook_emit_fn)(void *ctx, const char *scope, const char *name, double value);

struct sched_hooks {
	int version; /* SCHED_HOOKS_VERSION */
	/* The implementation's own context, handed to init: one hook set can
	 * serve several policies (the CAS revisions pass their table row). */
	const void *data;
	/* A run starts / ends: allocate / free policy state.  @data is the
	 * field above; @params is the policy's tunables struct
	 * (struct policy.params_size bytes), or NULL. */
	int (*init)(struct sched *s, const void *data, const void *params, void **state);
	void (*fini)(struct sched *s, void *state);
	/* update_curr(): @t was charged @delta_ns of runtime on @cpu. */
	void (*account)(struct sched *s, void *state, int cpu, struct task *t, int64_t delta_ns);
	/* task_tick_fair(): tick on @cpu while @t runs. */
	void (*tick)(struct sched *s, void *state, int cpu, struct task *t);
	/* @t returns to user mode (where task_work runs): after a context
	 * switch to it, and at the end of its kernel work (a system call's
	 * CPU time) unless that work leads into a sleep. */
	void (*return_to_user)(struct sched *s, void *state, int cpu, struct task *t);
	/* enqueue/dequeue accounting of @t on @cpu. */
	void (*enqueue)(struct sched *s, void *state, int cpu, struct task *t);
	void (*dequeue)(struct sched *s, void *state, int cpu, struct task *t);
	/* select_task_rq_fair(), WF_TTWU: may replace prev_cpu (wakeup
	 * redirection, CAS select_cache_cpu()).  What the CAS RFC adds around
	 * the call is the core's, for every policy that redirects (wakeup.c):
	 * when select_idle_sibling() finds nothing idle around the returned
	 * CPU and the real previous CPU is in another LLC, it searches once
	 * more there (Peter's RFC select_task_rq_fair(), CAS.md §2). */
	int (*wakeup_prev)(struct sched *s, void *state, struct task *t, int prev_cpu, int this_cpu);
	/* update_sg_lb_stats(): per-group statistics, then classification; the
	 * hook may raise the group type (e.g. to group_llc_balance). */
	void (*group_stats)(struct sched *s, void *state, struct lb_env *env,
			    const struct sd_group_tmpl *g, struct sg_lb_stats *sgs, int local);
	/* find_busiest_queue(): return a CPU, -1 for the stock choice, or
	 * HOOK_NO_QUEUE. */
	int (*busiest_queue)(struct sched *s, void *state, struct lb_env *env,
			     const struct sd_group_tmpl *busiest);
	/* can_migrate_task() after the hard filters (affinity, running). */
	enum hook_migrate (*can_migrate)(struct sched *s, void *state, struct lb_env *env, struct task *t);
	/* need_active_balance(): return true to veto. */
	bool (*active_balance_veto)(struct sched *s, void *state, struct lb_env *env);
	void (*fork)(struct sched *s, void *state, struct task *t);
	void (*exit)(struct sched *s, void *state, struct task *t);
	void (*cpu_online)(struct sched *s, void *state, int cpu);
	void (*cpu_offline)(struct sched *s, void *state, int cpu);
	/* find_busiest_group(): with a local group with spare capacity, force
	 * a balance toward a group_llc_balance busiest group?  NULL: when
	 * @prefer_sibling (the child domain's SD_PREFER_SIBLING), as merged
	 * CAS does; a policy may also force it without (Hygon RFC v2 14/23). */
	bool (*llc_force)(struct sched *s, void *state, struct lb_env *env, bool prefer_sibling);
	/* detach_tasks(): called with @t == NULL, the number of passes over
	 * the busiest queue (<= 1: one pass, stock order); then, per task, the
	 * pass (0..) in which @t is considered (order_tasks_by_llc). */
	int (*detach_order)(struct sched *s, void *state, struct lb_env *env, struct task *t);
	/* load_balance() starts an active balance: env->src_cpu's stopper will
	 * push a task to env->dst_cpu. */
	void (*active_start)(struct sched *s, void *state, struct lb_env *env);
	/* The stopper of @busiest_cpu pushes a task to @target_cpu: the task
	 * (queued on @busiest_cpu, allowed on @target_cpu), NULL for the
	 * stock choice (the first movable task from the tail), or
	 * HOOK_NO_TASK: none may move. */
	struct task *(*active_pick)(struct sched *s, void *state, int busiest_cpu, int target_cpu);
	/* A balance moved @t to env->dst_cpu (detach_tasks), or an active
	 * balance moved it (@env == NULL). */
	void (*lb_moved)(struct sched *s, void *state, struct lb_env *env, struct task *t);
	/* numa_migrate_preferred(): NUMA balancing is about to try moving @t
	 * to its preferred node (task_numa_migrate()); return true to veto, so
	 * that NUMA balancing migrates only pages (Hygon RFC v1 7/8, v2
	 * 17-19/23).  NULL: no veto. */
	bool (*numa_task_veto)(struct sched *s, void *state, struct task *t);
	/* End of run: report observations through @emit. */
	void (*report)(struct sched *s, void *state, hook_emit_fn emit, void *ctx);
};

#endif
