/*
 * The accessors of sched/api.h: what a policy module reads and changes of
 * the scheduler, behind functions so that the internal layout is not the
 * module ABI.  Linked into the cassim executable (not libcassim.a: nothing
 * in cassim calls them, and an archive member nobody references would not
 * be linked) and exported from it with --export-dynamic.  Each is one
 * field or inline helper of sched/sched.h, task.h, sd.h or hw/topo.h.
 */
#include "sched/api.h"

#include "base/eq.h"
#include "hw/topo.h"
#include "sched/pelt.h"
#include "sched/sched.h"
#include "sched/sd.h"
#include "sched/task.h"
#include "sched/trace.h"

_Static_assert(CASSIM_CAPACITY_SCALE == SCHED_CAPACITY_SCALE, "sched/api.h: capacity scale");

simtime_t cassim_now(const struct sched *s) { return eq_now(s->eq); }
uint64_t cassim_jiffies(const struct sched *s) { return sched_jiffies(s); }
simtime_t cassim_tick_ns(const struct sched *s) { return s->tick_ns; }

int cassim_nr_cpus(const struct sched *s) { return s->topo->nr_cpus; }
int cassim_nr_llcs(const struct sched *s) { return s->topo->nr_llcs; }
int cassim_nr_nodes(const struct sched *s) { return s->topo->nr_nodes; }
int cassim_cpu_llc(const struct sched *s, int cpu) { return s->topo->cpu[cpu].llc; }
int cassim_cpu_node(const struct sched *s, int cpu) { return s->topo->cpu[cpu].node; }
int cassim_llc_node(const struct sched *s, int llc) { return s->topo->llc[llc].node; }
int cassim_llc_nr_cpus(const struct sched *s, int llc) { return s->topo->llc[llc].nr_cpus; }
int cassim_llc_first_cpu(const struct sched *s, int llc) { return s->topo->llc[llc].first_cpu; }

int cassim_llc_next_cpu(const struct sched *s, int llc, int cpu)
{
	return cpumask_next(&s->topo->llc[llc].cpus, cpu + 1);
}

int cassim_node_distance(const struct sched *s, int a, int b)
{
	return s->topo->dist[a * s->topo->nr_nodes + b];
}

int cassim_cpu_nr_running(const struct sched *s, int cpu) { return s->rq[cpu].nr_running; }
int cassim_cpu_h_nr_runnable(const struct sched *s, int cpu) { return s->rq[cpu].h_nr_runnable; }
unsigned long cassim_cpu_util(const struct sched *s, int cpu) { return cpu_util(&s->rq[cpu]); }
bool cassim_cpu_idle(const struct sched *s, int cpu) { return idle_cpu(&s->rq[cpu]); }
bool cassim_cpu_online(const struct sched *s, int cpu) { return !cpu_offline(s, cpu); }
struct task *cassim_cpu_first_task(const struct sched *s, int cpu) { return s->rq[cpu].tasks_head; }
struct task *cassim_task_next_queued(const struct task *t) { return t->lb_next; }

int cassim_nr_tasks(const struct sched *s) { return s->nr_tasks; }
struct task *cassim_task(const struct sched *s, int id) { return s->tasks[id]; }
int cassim_task_id(const struct task *t) { return t->id; }
int cassim_task_process(const struct task *t) { return t->process; }
int cassim_task_cpu(const struct task *t) { return t->cpu; }
unsigned long cassim_task_util(const struct task *t) { return t->avg.util_avg; }
bool cassim_task_alive(const struct task *t) { return t->state != TASK_NEW && t->state != TASK_DEAD; }
bool cassim_task_allowed(const struct task *t, int cpu) { return cpumask_test(&t->affinity, cpu); }
void **cassim_task_policy_data(struct task *t) { return &t->policy_data; }

const char *cassim_process_name(const struct sched *s, int process)
{
	return s->ops.proc_name ? s->ops.proc_name(s->ops.ctx, process) : NULL;
}

int cassim_lb_src_cpu(const struct lb_env *env) { return env->src_cpu; }
int cassim_lb_dst_cpu(const struct lb_env *env) { return env->dst_cpu; }

enum cassim_migration cassim_lb_migration_type(const struct lb_env *env)
{
	switch (env->migration_type) {
	case migrate_load: return CASSIM_MIGRATE_LOAD;
	case migrate_util: return CASSIM_MIGRATE_UTIL;
	case migrate_task: return CASSIM_MIGRATE_TASK;
	case migrate_misfit: return CASSIM_MIGRATE_MISFIT;
	case migrate_llc_task: return CASSIM_MIGRATE_LLC_TASK;
	}
	return CASSIM_MIGRATE_LOAD; /* not reached: the switch is exhaustive (-Wswitch) */
}

bool cassim_lb_cpu_candidate(const struct lb_env *env, int cpu) { return cpumask_test(&env->cpus, cpu); }
unsigned int cassim_lb_nr_balance_failed(const struct lb_env *env) { return env->sd->nr_balance_failed; }
int cassim_lb_cache_nice_tries(const struct lb_env *env) { return env->sd->t->cache_nice_tries; }
bool cassim_lb_shares_llc(const struct lb_env *env) { return env->sd->t->flags & SD_SHARE_LLC; }

int cassim_group_next_cpu(const struct sd_group_tmpl *g, int cpu) { return cpumask_next(&g->span, cpu + 1); }

bool cassim_group_tag_llc_balance(struct sg_lb_stats *sgs, unsigned int nr)
{
	sgs->nr_pref_dst_llc += nr;
	if (sgs->group_type >= group_llc_balance)
		return false;
	sgs->group_type = group_llc_balance;
	return true;
}

const struct sd_tmpl *cassim_llc_domain(const struct sched *s, int cpu) { return s->sdt->llc[cpu]; }
const struct sd_tmpl *cassim_domain_parent(const struct sd_tmpl *sd) { return sd->parent; }
bool cassim_domain_has_cpu(const struct sd_tmpl *sd, int cpu) { return cpumask_test(&sd->span, cpu); }

bool cassim_traced(const struct sched *s) { return sched_traced(s); }

void cassim_trace(struct sched *s, int cpu, const struct task *t, const char *name, const struct trace_arg *args,
		  int nargs)
{
	__sched_trace_instant(s, cpu, t, name, args, nargs);
}
