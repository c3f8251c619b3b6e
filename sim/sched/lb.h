/*
 * Load balancing (lb.c), mirroring kernel/sched/fair.c of Linux v6.15:
 * the entry points that the tick, __schedule() and the NOHZ machinery call,
 * and the steps of one balance pass (group statistics and classification,
 * the busiest group and its imbalance, the can-migrate filter) that
 * tests/unit/test_lb.c drives directly.  Internal to sched/: policy modules
 * see the hooks (sched/hooks.h), not these functions.
 */
#ifndef CASSIM_SCHED_LB_H
#define CASSIM_SCHED_LB_H

#include "sched/sched.h"

/* One domain's statistics during a balance pass (fair.c sd_lb_stats). */
struct sd_lb_stats {
	const struct sd_group_tmpl *busiest, *local;
	unsigned long total_load, total_capacity, avg_load;
	int prefer_sibling;
	struct sg_lb_stats busiest_stat, local_stat;
};

/* Entry points. */
void trigger_load_balance(struct sched *s, struct rq *rq);
int sched_balance_newidle(struct sched *s, struct rq *rq);
void sched_balance_domains(struct sched *s, struct rq *rq, enum cpu_idle_type idle);
void nohz_balance_enter_idle(struct sched *s, struct rq *rq);
void nohz_balance_exit_idle(struct sched *s, struct rq *rq);
void ilb_event(struct eq_event *ev, void *ctx);
/* Decay @rq's blocked load to now (sched_balance_update_blocked_averages()). */
void sched_update_blocked_averages(struct sched *s, struct rq *rq);
void active_balance_event(struct eq_event *ev, void *ctx);
int load_balance(struct sched *s, int this_cpu, struct sched_domain *sd,
		 enum cpu_idle_type idle, int *continue_balancing);

/* Group statistics, shared with the wakeup slow path (wakeup.c). */
/* sg_add_cpu() is inline in sched.h */
enum group_type group_classify(unsigned pct, const struct sg_lb_stats *sgs);
/* SIS_UTIL: how many CPUs select_idle_cpu() may scan in an LLC. */
int sis_util_nr_scan(unsigned long sum_util, int llc_weight, int imbalance_pct);

/* Steps of one pass. */
bool update_sd_pick_busiest(struct sd_lb_stats *sds, const struct sg_lb_stats *sgs, unsigned flags);
long sibling_imbalance(struct lb_env *env, struct sd_lb_stats *sds,
		       const struct sg_lb_stats *busiest, const struct sg_lb_stats *local);
void calculate_imbalance(struct lb_env *env, struct sd_lb_stats *sds);
const struct sd_group_tmpl *find_busiest_group(struct sched *s, struct lb_env *env,
					       struct sd_lb_stats *sds);
int can_migrate_task(struct sched *s, struct task *p, struct lb_env *env);

#endif
