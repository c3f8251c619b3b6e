/*
 * The scheduler as a policy module sees it: opaque handles and accessor
 * functions, installed with <cassim/policy.h>.  A module never sees the
 * layout of struct sched, struct rq, struct task, struct lb_env, struct
 * sg_lb_stats or the sched-domain templates: those stay free to change
 * between versions without breaking modules (the module ABI, policies/
 * module.h, is this list of functions and the structures a module fills
 * in: struct policy, struct sched_hooks, struct param_def, struct
 * trace_arg).
 *
 * The functions are defined in sched/api.c, linked into the cassim
 * executable and resolved from it when a module is loaded.  The built-in
 * policies do not use them: they read the internal headers directly
 * (sched/sched.h, sched/task.h ...), so the accessors cost nothing on the
 * simulator's own paths.  Each accessor names the kernel field or helper
 * it stands for.  No kernel file mirrored.
 *
 * CPUs, LLCs and nodes are the dense ids of the topology (0 ..
 * cassim_nr_cpus() - 1 and so on); processes are the workload's process
 * indices ("the mm"), -1 for kernel threads.
 */
#ifndef CASSIM_SCHED_API_H
#define CASSIM_SCHED_API_H

#include "base/types.h"
#include "report/trace_arg.h"

struct sched;
struct task;
struct lb_env;
struct sg_lb_stats;
struct sd_group_tmpl;
struct sd_tmpl;

/* SCHED_CAPACITY_SCALE: a CPU's full capacity, the unit of utilisation. */
#define CASSIM_CAPACITY_SCALE 1024L

/* ---- time ---- */
simtime_t cassim_now(const struct sched *s);       /* the run's clock, ns */
uint64_t cassim_jiffies(const struct sched *s);    /* jiffies: ticks since the start */
simtime_t cassim_tick_ns(const struct sched *s);   /* TICK_NSEC */

/* ---- topology ---- */
int cassim_nr_cpus(const struct sched *s);
int cassim_nr_llcs(const struct sched *s);
int cassim_nr_nodes(const struct sched *s);
int cassim_cpu_llc(const struct sched *s, int cpu);   /* per_cpu(sd_llc_id), dense */
int cassim_cpu_node(const struct sched *s, int cpu);  /* cpu_to_node() */
int cassim_llc_node(const struct sched *s, int llc);
int cassim_llc_nr_cpus(const struct sched *s, int llc); /* per_cpu(sd_llc_size) */
int cassim_llc_first_cpu(const struct sched *s, int llc);
/* The CPU of @llc after @cpu (-1: the first), or -1 after the last. */
int cassim_llc_next_cpu(const struct sched *s, int llc, int cpu);
/* node_distance() (the SLIT: 10 local). */
int cassim_node_distance(const struct sched *s, int a, int b);

#define cassim_for_each_llc_cpu(cpu, s, llc)                                           \
	for (int cpu = cassim_llc_next_cpu((s), (llc), -1); cpu >= 0;                  \
	     cpu = cassim_llc_next_cpu((s), (llc), cpu))

/* ---- one CPU ---- */
/* rq->nr_running: fair tasks on the CPU, the running one and delayed
 * (DELAY_DEQUEUE) ones included; h_nr_runnable: without the delayed ones. */
int cassim_cpu_nr_running(const struct sched *s, int cpu);
int cassim_cpu_h_nr_runnable(const struct sched *s, int cpu);
unsigned long cassim_cpu_util(const struct sched *s, int cpu); /* cpu_util_cfs() */
bool cassim_cpu_idle(const struct sched *s, int cpu);        /* idle_cpu() */
bool cassim_cpu_online(const struct sched *s, int cpu);      /* cpu_online() */
/* The tasks on @cpu's runqueue (rq->cfs_tasks, the list the load
 * balancer detaches from), from its head: the first, then each next; NULL
 * at the end. */
struct task *cassim_cpu_first_task(const struct sched *s, int cpu);
struct task *cassim_task_next_queued(const struct task *t);

/* ---- tasks ---- */
/* Task ids 0 .. cassim_nr_tasks() - 1; cassim_task(): NULL for a free slot. */
int cassim_nr_tasks(const struct sched *s);
struct task *cassim_task(const struct sched *s, int id);
int cassim_task_id(const struct task *t);
int cassim_task_process(const struct task *t);  /* the "mm": -1 for kernel threads */
int cassim_task_cpu(const struct task *t);      /* task_cpu() */
unsigned long cassim_task_util(const struct task *t); /* p->se.avg.util_avg */
/* Started and not exited (neither TASK_NEW nor TASK_DEAD). */
bool cassim_task_alive(const struct task *t);
bool cassim_task_allowed(const struct task *t, int cpu); /* cpumask_test_cpu(cpu, p->cpus_ptr) */
/* The policy's own per-task pointer (NULL until the policy sets it). */
void **cassim_task_policy_data(struct task *t);
/* The workload's name of @process, or NULL. */
const char *cassim_process_name(const struct sched *s, int process);

/* ---- load balancing (struct lb_env of load_balance()) ---- */
int cassim_lb_src_cpu(const struct lb_env *env);
int cassim_lb_dst_cpu(const struct lb_env *env);
/* env->migration_type */
enum cassim_migration {
	CASSIM_MIGRATE_LOAD,
	CASSIM_MIGRATE_UTIL,
	CASSIM_MIGRATE_TASK,
	CASSIM_MIGRATE_MISFIT,
	CASSIM_MIGRATE_LLC_TASK, /* CAS migrate_llc_task */
};
enum cassim_migration cassim_lb_migration_type(const struct lb_env *env);
/* Whether @cpu is still a candidate of this balance (env->cpus). */
bool cassim_lb_cpu_candidate(const struct lb_env *env, int cpu);
/* The domain being balanced: sd->nr_balance_failed, sd->cache_nice_tries,
 * and whether its CPUs share an LLC (SD_SHARE_LLC). */
unsigned int cassim_lb_nr_balance_failed(const struct lb_env *env);
int cassim_lb_cache_nice_tries(const struct lb_env *env);
bool cassim_lb_shares_llc(const struct lb_env *env);

/* The CPU of group @g after @cpu (-1: the first), or -1 after the last. */
int cassim_group_next_cpu(const struct sd_group_tmpl *g, int cpu);
#define cassim_for_each_group_cpu(cpu, g)                                              \
	for (int cpu = cassim_group_next_cpu((g), -1); cpu >= 0;                       \
	     cpu = cassim_group_next_cpu((g), cpu))
/* update_sg_lb_stats() as CAS extends it: add @nr to the group's
 * nr_pref_dst_llc and raise its type to group_llc_balance if it is below;
 * true when it was raised. */
bool cassim_group_tag_llc_balance(struct sg_lb_stats *sgs, unsigned int nr);

/* ---- sched domains ---- */
/* @cpu's highest domain sharing its LLC (per_cpu(sd_llc)), or NULL (a
 * 1-CPU LLC); its parents up to the top (NULL); whether @cpu is in its
 * span. */
const struct sd_tmpl *cassim_llc_domain(const struct sched *s, int cpu);
const struct sd_tmpl *cassim_domain_parent(const struct sd_tmpl *sd);
bool cassim_domain_has_cpu(const struct sd_tmpl *sd, int cpu);

/* ---- tracing (cassim run --trace) ---- */
bool cassim_traced(const struct sched *s);
void cassim_trace(struct sched *s, int cpu, const struct task *t, const char *name,
		  const struct trace_arg *args, int nargs);
/*
 * A policy decision as an instant event on @cpu's track (-1: global) about
 * task @t (NULL: none), with arguments TRACE_NUM(key, value) /
 * TRACE_STR(key, string); not evaluated when tracing is off, e.g.
 *	cassim_trace_instant(s, cpu, p, "pref_switch", TRACE_NUM("to_llc", b));
 */
#define cassim_trace_instant(s, cpu, t, name, ...)                                     \
	do {                                                                           \
		if (cassim_traced(s)) {                                                \
			const struct trace_arg cassim_args_[] = { __VA_ARGS__ };       \
			cassim_trace((s), (cpu), (t), (name), cassim_args_,            \
				     (int)(sizeof(cassim_args_) / sizeof(cassim_args_[0]))); \
		}                                                                      \
	} while (0)

#endif
