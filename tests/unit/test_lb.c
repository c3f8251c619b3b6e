/*
 * The stock load balancer (sched/lb.c) against kernel/sched/fair.c of
 * Linux v6.15, one table per function: group_classify(),
 * calculate_imbalance() per migration type, sibling_imbalance(),
 * can_migrate_task() with task_hot(), and the gates of
 * find_busiest_group() (sched_balance_find_src_group()).  Every expected
 * value is worked out by hand from the fair.c function named in the
 * table's comment; the arithmetic is in each row's comment.
 *
 * Fixture machines (tests/unit/harness.h), CPU numbering as Linux's:
 *   T16: 1 package, 2 LLCs x 4 cores x SMT2.  LLC0 = 0-3,8-11, LLC1 =
 *        4-7,12-15; the SMT sibling of CPU c < 8 is c + 8.  Domains of
 *        CPU 0: SMT {0,8} (imbalance_pct 110), MC = LLC0 (groups: cores,
 *        117), PKG (groups: the LLCs, 117).
 *   T8N: 2 packages = 2 NUMA nodes x 4 CPUs, no SMT.  Domains: MC (the
 *        node), NUMA (groups: nodes, imb_numa_nr 1).
 *   T4:  one LLC of 4 CPUs, no SMT: MC (groups: single CPUs).
 *   T8L: 1 package, 4 LLCs x 2 CPUs, no SMT: MC, PKG (groups: LLCs).
 * No PELT decay happens at time 0, so the loads written are the loads read.
 */
#include "harness.h"

#include "sched/lb.h"

enum fixture { T16, T8N, T4, T8L };

static void rig_for(struct hrig *r, enum fixture f, const struct sched_params *p)
{
	static const int shape[][4] = {
		[T16] = { 1, 2, 4, 2 },
		[T8N] = { 2, 1, 4, 1 },
		[T4] = { 1, 1, 4, 1 },
		[T8L] = { 1, 4, 2, 1 },
	};

	hrig_new(r, shape[f][0], shape[f][1], shape[f][2], shape[f][3], p);
}

/* ------------------------------------------------------ group_classify() */

/*
 * fair.c v6.15 group_classify(): overloaded when group_is_overloaded()
 * (more tasks than CPUs AND (cap*100 < util*pct OR cap*pct < runnable*100)),
 * else smt_balance when set, else fully_busy when !group_has_capacity()
 * (fewer tasks than CPUs => has capacity; else no capacity when
 * cap*pct < runnable*100, and capacity only when cap*100 > util*pct),
 * else has_spare.  cassim models no group_imbalanced, asym packing or
 * misfit, which sit between these tests in the kernel.
 */
static const struct classify_case {
	const char *why;
	unsigned pct, nr, weight;
	unsigned long cap, util, runnable;
	unsigned smt;
	enum group_type want;
} classify_cases[] = {
	{ "fewer tasks than CPUs: spare however busy", 117, 2, 4, 4096, 3000, 3000, 0, group_has_spare },
	/* nr == weight; 4096*117=479232 >= 2000*100; 4096*100=409600 > 2000*117=234000 */
	{ "one task per CPU, util low", 117, 4, 4, 4096, 2000, 2000, 0, group_has_spare },
	/* nr == weight; 409600 > 3600*117=421200 fails: no capacity */
	{ "one task per CPU, util high", 117, 4, 4, 4096, 3600, 3600, 0, group_fully_busy },
	/* nr > weight and 409600 < 421200 */
	{ "more tasks than CPUs, util high", 117, 5, 4, 4096, 3600, 3600, 0, group_overloaded },
	/* nr > weight, but 409600 >= 3000*117=351000 and 479232 >= 420000: not
	 * overloaded; nr >= weight, 479232 >= 420000, 409600 > 351000: capacity */
	{ "more tasks than CPUs, util and runnable low", 117, 5, 4, 4096, 3000, 4200, 0, group_has_spare },
	/* nr > weight and 4096*117=479232 < 4800*100: the runnable rule */
	{ "more tasks than CPUs, runnable high", 117, 5, 4, 4096, 1000, 4800, 0, group_overloaded },
	/* nr == weight: not overloaded; 479232 < 480000: no capacity */
	{ "one task per CPU, runnable high", 117, 4, 4, 4096, 1000, 4800, 0, group_fully_busy },
	/* strict '>' in group_has_capacity(): 4096*100 > 4096*100 fails */
	{ "pct 100, util == capacity", 100, 4, 4, 4096, 4096, 0, 0, group_fully_busy },
	{ "pct 100, util one below capacity", 100, 4, 4, 4096, 4095, 0, 0, group_has_spare },
	{ "SMT core with two tasks, dst idle", 110, 2, 2, 2048, 1000, 1000, 1, group_smt_balance },
	/* overloaded is tested first: 2048*100=204800 < 2000*110=220000 */
	{ "SMT core with three tasks: overloaded wins", 110, 3, 2, 2048, 2000, 2000, 1, group_overloaded },
};

START_TEST(test_group_classify)
{
	const struct classify_case *c = &classify_cases[_i];
	struct sg_lb_stats sgs = {
		.sum_nr_running = c->nr, .sum_h_nr_running = c->nr, .group_weight = c->weight,
		.group_capacity = c->cap, .group_util = c->util, .group_runnable = c->runnable,
		.group_smt_balance = c->smt,
	};

	ck_assert_msg(group_classify(c->pct, &sgs) == c->want, "%s: group type %d, want %d", c->why,
		      group_classify(c->pct, &sgs), c->want);
}
END_TEST

/* ------------------------------------------------- calculate_imbalance() */

/*
 * fair.c v6.15 calculate_imbalance(), in order:
 *  - busiest smt_balance or imbalanced: migrate_task, 1;
 *  - local has_spare and busiest overloaded (> fully_busy) outside an LLC
 *    (!SD_SHARE_LLC): migrate_util, max(cap, util) - util; an idle dst
 *    with nothing to fill pulls one task instead (migrate_task, 1);
 *  - local has_spare otherwise: migrate_task; sibling_imbalance() when
 *    busiest is one CPU or prefer_sibling, else the difference in idle
 *    CPUs; on SD_NUMA adjust_numa_imbalance() lets up to
 *    NUMA_IMBALANCE_MIN = 2 go while the dst node runs <= imb_numa_nr
 *    tasks; then halved;
 *  - local fully_busy: avg_load computed now; no pull when local is at or
 *    above busiest or the domain average;
 *  - migrate_load: min((busiest - avg) * busiest cap, (avg - local) *
 *    local cap) / 1024.
 * CAS adds group_llc_balance -> migrate_llc_task, 1 (CAS.md §2.9).
 * cassim models no misfit tasks (symmetric capacities), so migrate_misfit
 * is never produced and has no row.
 */
static const struct imbalance_case {
	const char *why;
	enum fixture fx;
	const char *level; /* domain of CPU 0 */
	enum cpu_idle_type idle;
	int prefer_sibling;
	struct sg_lb_stats local, busiest;
	unsigned long total_load, total_capacity, sds_avg;
	enum migration_type want_type;
	long want;
	unsigned long want_local_avg; /* local->avg_load afterwards (0: not checked) */
} imbalance_cases[] = {
	{ "smt_balance busiest: one task", T16, "MC", CPU_IDLE, 1,
	  .local = { .group_type = group_has_spare }, .busiest = { .group_type = group_smt_balance },
	  .want_type = migrate_task, .want = 1 },
	{ "imbalanced busiest: one task", T16, "PKG", CPU_IDLE, 1,
	  .local = { .group_type = group_has_spare }, .busiest = { .group_type = group_imbalanced },
	  .want_type = migrate_task, .want = 1 },
	{ "CAS llc_balance busiest: one task", T16, "PKG", CPU_IDLE, 1,
	  .local = { .group_type = group_has_spare }, .busiest = { .group_type = group_llc_balance },
	  .want_type = migrate_llc_task, .want = 1 },
	/* PKG has no SD_SHARE_LLC: max(8192, 3000) - 3000 */
	{ "spare local, overloaded busiest, across LLCs: fill spare util", T16, "PKG", CPU_IDLE, 1,
	  .local = { .group_type = group_has_spare, .group_capacity = 8192, .group_util = 3000 },
	  .busiest = { .group_type = group_overloaded },
	  .want_type = migrate_util, .want = 5192 },
	/* max(8192, 8500) - 8500 = 0 with an idle dst: one task instead */
	{ "no spare util left, dst idle: one task", T16, "PKG", CPU_IDLE, 1,
	  .local = { .group_type = group_has_spare, .group_capacity = 8192, .group_util = 8500 },
	  .busiest = { .group_type = group_overloaded },
	  .want_type = migrate_task, .want = 1 },
	{ "no spare util left, dst busy: nothing", T16, "PKG", CPU_NOT_IDLE, 1,
	  .local = { .group_type = group_has_spare, .group_capacity = 8192, .group_util = 8500 },
	  .busiest = { .group_type = group_overloaded },
	  .want_type = migrate_util, .want = 0 },
	/* MC shares the LLC: tasks, sibling_imbalance (1 core each) 3 - 0 = 3, >> 1 */
	{ "inside an LLC, overloaded busiest: half the task difference", T16, "MC", CPU_IDLE, 1,
	  .local = { .group_type = group_has_spare, .sum_nr_running = 0, .idle_cpus = 2, .group_weight = 2, .cores = 1 },
	  .busiest = { .group_type = group_overloaded, .sum_nr_running = 3, .idle_cpus = 0, .group_weight = 2, .cores = 1 },
	  .want_type = migrate_task, .want = 1 },
	/* busiest fully_busy is not > fully_busy: tasks even across LLCs;
	 * sibling_imbalance 8 - 2 = 6 (4 cores each), >> 1 */
	{ "spare local, fully busy busiest: half the task difference", T16, "PKG", CPU_IDLE, 1,
	  .local = { .group_type = group_has_spare, .sum_nr_running = 2, .group_weight = 8, .cores = 4 },
	  .busiest = { .group_type = group_fully_busy, .sum_nr_running = 8, .group_weight = 8, .cores = 4 },
	  .want_type = migrate_task, .want = 3 },
	/* idle CPU difference 4 - 0 = 4; adjust_numa_imbalance(4, 0 + 1, 1): 1 <= 1 but 4 > 2 -> 4; >> 1 */
	{ "NUMA, no prefer_sibling: half the idle-CPU difference", T8N, "NUMA", CPU_IDLE, 0,
	  .local = { .group_type = group_has_spare, .sum_nr_running = 0, .idle_cpus = 4, .group_weight = 4 },
	  .busiest = { .group_type = group_fully_busy, .sum_nr_running = 4, .idle_cpus = 0, .group_weight = 4 },
	  .want_type = migrate_task, .want = 2 },
	/* 4 - 2 = 2 <= NUMA_IMBALANCE_MIN with dst running 0 + 1 <= imb_numa_nr 1 -> 0 */
	{ "NUMA: a 2-task imbalance onto an empty node is allowed", T8N, "NUMA", CPU_IDLE, 0,
	  .local = { .group_type = group_has_spare, .sum_nr_running = 0, .idle_cpus = 4, .group_weight = 4 },
	  .busiest = { .group_type = group_has_spare, .sum_nr_running = 2, .idle_cpus = 2, .group_weight = 4 },
	  .want_type = migrate_task, .want = 0 },
	/* 3 - 1 = 2, but dst running 1 + 1 = 2 > imb_numa_nr 1: kept; >> 1 */
	{ "NUMA: no allowance once the dst node is busy", T8N, "NUMA", CPU_IDLE, 0,
	  .local = { .group_type = group_has_spare, .sum_nr_running = 1, .idle_cpus = 3, .group_weight = 4 },
	  .busiest = { .group_type = group_has_spare, .sum_nr_running = 3, .idle_cpus = 1, .group_weight = 4 },
	  .want_type = migrate_task, .want = 1 },
	/* min((3000 - 2000) * 8192, (2000 - 1200) * 8192) / 1024 = 800 * 8 */
	{ "both overloaded: load to the domain average", T16, "PKG", CPU_NOT_IDLE, 1,
	  .local = { .group_type = group_overloaded, .avg_load = 1200, .group_capacity = 8192 },
	  .busiest = { .group_type = group_overloaded, .avg_load = 3000, .group_capacity = 8192 },
	  .sds_avg = 2000, .want_type = migrate_load, .want = 6400 },
	/* local avg 4000*1024/4096 = 1000; domain avg 12192*1024/8192 = 1524;
	 * min((2000 - 1524) * 4096, (1524 - 1000) * 4096) / 1024 = 476 * 4 */
	{ "fully busy local: its avg_load now counts", T16, "MC", CPU_NOT_IDLE, 1,
	  .local = { .group_type = group_fully_busy, .group_load = 4000, .group_capacity = 4096 },
	  .busiest = { .group_type = group_overloaded, .avg_load = 2000, .group_capacity = 4096 },
	  .total_load = 12192, .total_capacity = 8192,
	  .want_type = migrate_load, .want = 1904, .want_local_avg = 1000 },
	/* local avg 8192*1024/4096 = 2048 >= 2000 */
	{ "fully busy local above busiest: nothing", T16, "MC", CPU_NOT_IDLE, 1,
	  .local = { .group_type = group_fully_busy, .group_load = 8192, .group_capacity = 4096 },
	  .busiest = { .group_type = group_overloaded, .avg_load = 2000, .group_capacity = 4096 },
	  .total_load = 12192, .total_capacity = 8192,
	  .want_type = migrate_load, .want = 0, .want_local_avg = 2048 },
	/* local avg 1500 < busiest 2000, domain avg 8000*1024/8192 = 1000 <= 1500 */
	{ "fully busy local above the domain average: nothing", T16, "MC", CPU_NOT_IDLE, 1,
	  .local = { .group_type = group_fully_busy, .group_load = 6000, .group_capacity = 4096 },
	  .busiest = { .group_type = group_overloaded, .avg_load = 2000, .group_capacity = 4096 },
	  .total_load = 8000, .total_capacity = 8192,
	  .want_type = migrate_load, .want = 0, .want_local_avg = 1500 },
};

START_TEST(test_calculate_imbalance)
{
	const struct imbalance_case *c = &imbalance_cases[_i];
	struct hrig r;
	struct sd_lb_stats sds = {
		.prefer_sibling = c->prefer_sibling, .total_load = c->total_load,
		.total_capacity = c->total_capacity, .avg_load = c->sds_avg,
		.local_stat = c->local, .busiest_stat = c->busiest,
	};
	struct lb_env env = { .dst_cpu = 0, .idle = c->idle, .migration_type = migrate_load };

	rig_for(&r, c->fx, NULL);
	env.sd = hrig_sd(&r, 0, c->level);
	env.dst_rq = &r.s->rq[0];
	calculate_imbalance(&env, &sds);
	ck_assert_msg(env.migration_type == c->want_type, "%s: migration type %d, want %d", c->why,
		      env.migration_type, c->want_type);
	ck_assert_msg(env.imbalance == c->want, "%s: imbalance %ld, want %ld", c->why, env.imbalance,
		      c->want);
	if (c->want_local_avg)
		ck_assert_uint_eq(sds.local_stat.avg_load, c->want_local_avg);
	hrig_free(&r);
}
END_TEST

/* --------------------------------------------------- sibling_imbalance() */

/*
 * fair.c v6.15 sibling_imbalance(): 0 unless dst is idle and busiest runs
 * something; equal core counts: busiest - local tasks (not below 0);
 * otherwise balance tasks per core: (2 * max(0, nl * nb_tasks - nb *
 * nl_tasks) + nl + nb) / (nl + nb), raised to 2 when an empty local
 * group faces a busiest group with more than one task.
 */
static const struct sibling_case {
	const char *why;
	enum cpu_idle_type idle;
	unsigned local_nr, local_cores, busiest_nr, busiest_cores;
	long want;
} sibling_cases[] = {
	{ "dst busy", CPU_NOT_IDLE, 0, 4, 6, 4, 0 },
	{ "equal cores: task difference", CPU_IDLE, 1, 4, 6, 4, 5 },
	{ "equal cores, local busier: 0", CPU_NEWLY_IDLE, 5, 4, 2, 4, 0 },
	/* 2*6 - 4*1 = 8; (16 + 2 + 4) / 6 = 3 */
	{ "2 local cores vs 4", CPU_IDLE, 1, 2, 6, 4, 3 },
	/* 1*2 - 4*0 = 2; (4 + 1 + 4) / 5 = 1 -> empty local group: 2 */
	{ "empty local group takes 2", CPU_IDLE, 0, 1, 2, 4, 2 },
};

START_TEST(test_sibling_imbalance)
{
	const struct sibling_case *c = &sibling_cases[_i];
	struct lb_env env = { .idle = c->idle };
	struct sd_lb_stats sds = { 0 };
	struct sg_lb_stats local = { .sum_nr_running = c->local_nr, .cores = c->local_cores };
	struct sg_lb_stats busiest = { .sum_nr_running = c->busiest_nr, .cores = c->busiest_cores };

	ck_assert_msg(sibling_imbalance(&env, &sds, &busiest, &local) == c->want, "%s: %ld, want %ld",
		      c->why, sibling_imbalance(&env, &sds, &busiest, &local), c->want);
}
END_TEST

/* ---------------------------------------------------- can_migrate_task() */

#define NO_NEW_DST (-7)

/*
 * fair.c v6.15 can_migrate_task() pulling a task from CPU 1 (or 8, at
 * the SMT level) to CPU 0 of T16, env->flags starting as load_balance()
 * sets them (LBF_ALL_PINNED plus @flags):
 *  - dst not allowed: LBF_SOME_PINNED; unless newly idle or DST_PINNED /
 *    ACTIVE_LB already set, the first allowed CPU of the local group still
 *    in env->cpus becomes new_dst_cpu (LBF_DST_PINNED); refused;
 *  - allowed: LBF_ALL_PINNED cleared; the running task is refused; an
 *    active balance takes anything else;
 *  - task_hot(): never across SMT siblings (SD_SHARE_CPUCAPACITY) nor with
 *    migration_cost 0, else hot when it ran less than migration_cost ago
 *    (strict '<'); hot tasks move only once nr_balance_failed exceeds
 *    cache_nice_tries (1 at MC).
 * Times: the test runs at t = 0, so exec_start = -d means "ran d ns ago".
 */
static const struct migrate_case {
	const char *why;
	const char *level;
	int src;
	const char *affinity;
	bool running;
	int64_t exec_start;
	unsigned nr_balance_failed;
	enum cpu_idle_type idle;
	unsigned flags;          /* set before the call, on top of LBF_ALL_PINNED */
	int64_t migration_cost;  /* 0: the default (500 us); -1: 0, task_hot() off */
	int want;
	unsigned want_flags;
	int want_new_dst;
} migrate_cases[] = {
	{ "pinned away from dst, local group has 8: retry there", "MC", 1, "1-15", false, -1000000, 0,
	  CPU_IDLE, 0, 0, 0, LBF_ALL_PINNED | LBF_SOME_PINNED | LBF_DST_PINNED, 8 },
	{ "pinned, newly idle: no new dst", "MC", 1, "1-15", false, -1000000, 0,
	  CPU_NEWLY_IDLE, 0, 0, 0, LBF_ALL_PINNED | LBF_SOME_PINNED, NO_NEW_DST },
	{ "pinned away from the whole local group", "MC", 1, "1-7,9-15", false, -1000000, 0,
	  CPU_IDLE, 0, 0, 0, LBF_ALL_PINNED | LBF_SOME_PINNED, NO_NEW_DST },
	{ "pinned, new dst already chosen: kept", "MC", 1, "1-15", false, -1000000, 0,
	  CPU_IDLE, LBF_DST_PINNED, 0, 0, LBF_ALL_PINNED | LBF_SOME_PINNED | LBF_DST_PINNED, NO_NEW_DST },
	{ "pinned, active balance: no new dst", "MC", 1, "1-15", false, -1000000, 0,
	  CPU_IDLE, LBF_ACTIVE_LB, 0, 0, LBF_ALL_PINNED | LBF_SOME_PINNED | LBF_ACTIVE_LB, NO_NEW_DST },
	{ "running on src", "MC", 1, "0-15", true, -1000000, 0, CPU_IDLE, 0, 0, 0, 0, NO_NEW_DST },
	{ "cache cold (ran 1 ms ago)", "MC", 1, "0-15", false, -1000000, 0, CPU_IDLE, 0, 0, 1, 0, NO_NEW_DST },
	{ "cache hot (ran now)", "MC", 1, "0-15", false, 0, 0, CPU_IDLE, 0, 0, 0, 0, NO_NEW_DST },
	{ "hot, one failure == cache_nice_tries: still refused", "MC", 1, "0-15", false, 0, 1,
	  CPU_IDLE, 0, 0, 0, 0, NO_NEW_DST },
	{ "hot, two failures > cache_nice_tries: moves", "MC", 1, "0-15", false, 0, 2,
	  CPU_IDLE, 0, 0, 1, 0, NO_NEW_DST },
	{ "ran exactly migration_cost ago: cold", "MC", 1, "0-15", false, -500000, 0,
	  CPU_IDLE, 0, 0, 1, 0, NO_NEW_DST },
	{ "ran 1 ns less than migration_cost ago: hot", "MC", 1, "0-15", false, -499999, 0,
	  CPU_IDLE, 0, 0, 0, 0, NO_NEW_DST },
	{ "hot, but SMT siblings share the cache", "SMT", 8, "0-15", false, 0, 0,
	  CPU_IDLE, 0, 0, 1, 0, NO_NEW_DST },
	{ "hot, but an active balance", "MC", 1, "0-15", false, 0, 0,
	  CPU_IDLE, LBF_ACTIVE_LB, 0, 1, LBF_ACTIVE_LB, NO_NEW_DST },
	{ "hot window off (migration_cost 0)", "MC", 1, "0-15", false, 0, 0,
	  CPU_IDLE, 0, -1, 1, 0, NO_NEW_DST },
};

START_TEST(test_can_migrate_task)
{
	const struct migrate_case *c = &migrate_cases[_i];
	struct sched_params p;
	struct hrig r;
	struct lb_env env;
	struct task *t;
	struct rq *src;

	sched_params_defaults(&p);
	if (c->migration_cost)
		p.migration_cost_ns = c->migration_cost < 0 ? 0 : c->migration_cost;
	rig_for(&r, T16, &p);
	hrig_cpus(&r, "1,8", 2, 2048, 1024, 2048);
	src = &r.s->rq[c->src];
	t = hrig_task(&r, c->src, 1024, 512);
	t->affinity = hrig_mask(c->affinity);
	t->nr_cpus_allowed = cpumask_weight(&t->affinity);
	t->has_affinity = t->nr_cpus_allowed < r.s->nr_cpus;
	t->exec_start = c->exec_start;
	if (c->running)
		src->curr = t;
	env = (struct lb_env){
		.sd = hrig_sd(&r, 0, c->level), .dst_cpu = 0, .dst_rq = &r.s->rq[0],
		.src_cpu = c->src, .src_rq = src, .idle = c->idle,
		.flags = LBF_ALL_PINNED | c->flags, .new_dst_cpu = NO_NEW_DST,
	};
	env.dst_grp = &env.sd->t->groups[0];
	env.cpus = env.sd->t->span;
	env.sd->nr_balance_failed = c->nr_balance_failed;
	ck_assert_msg(can_migrate_task(r.s, t, &env) == c->want, "%s: verdict %d", c->why, !c->want);
	ck_assert_msg(env.flags == c->want_flags, "%s: flags %#x, want %#x", c->why, env.flags, c->want_flags);
	ck_assert_msg(env.new_dst_cpu == c->want_new_dst, "%s: new_dst_cpu %d, want %d", c->why,
		      env.new_dst_cpu, c->want_new_dst);
	hrig_free(&r);
}
END_TEST

/* --------------------------------------------------- find_busiest_group() */

struct load_spec {
	const char *cpus; /* NULL ends the list */
	int nr;
	unsigned long load, util, runnable;
};

/*
 * fair.c v6.15 sched_balance_find_src_group() on a real rig: groups are
 * classified as above (update_sg_lb_stats(): avg_load only for overloaded
 * groups; smt_balance for a non-local SMT group with 2+ tasks and an idle
 * dst), the busiest picked by update_sd_pick_busiest(), then the gates:
 * no busiest -> balanced; local type above busiest -> balanced; both
 * overloaded -> balanced unless busiest avg_load > local and domain
 * average and 100 * busiest > imbalance_pct * local; prefer_sibling with
 * spare local capacity and sibling_imbalance() > 1 -> balance; a busiest
 * group that is not overloaded is balanced when dst is busy, when it has
 * more than one CPU and at most one idle CPU fewer than local, or when it
 * runs a single task.  Otherwise calculate_imbalance(), and no group if
 * that comes to 0.
 */
static const struct fbg_case {
	const char *why;
	enum fixture fx;
	const char *level;
	enum cpu_idle_type idle;
	struct load_spec load[4];
	int want_group;           /* first CPU of the busiest group; -1: none */
	enum migration_type want_type;
	long want;
} fbg_cases[] = {
	{ "nothing runs", T16, "PKG", CPU_IDLE, { { NULL } }, -1, 0, 0 },
	/* LLC0: 16 tasks on 8 CPUs, util 8192*117 > 819200: overloaded; LLC1 has spare */
	{ "local busier than busiest", T16, "PKG", CPU_NOT_IDLE,
	  { { "0-3,8-11", 2, 2048, 1024, 2048 }, { "4-5", 1, 1024, 600, 600 } }, -1, 0, 0 },
	/* both overloaded, local avg 2048 >= busiest 2000 */
	{ "both overloaded, local heavier", T16, "PKG", CPU_NOT_IDLE,
	  { { "0-3,8-11", 2, 2048, 1024, 2048 }, { "4-7,12-15", 2, 2000, 1024, 2048 } }, -1, 0, 0 },
	/* avg 2300 vs 2048, domain avg 34784*1024/16384 = 2174 > 2048, but
	 * 100 * 2300 = 230000 <= 117 * 2048 = 239616 */
	{ "both overloaded, within imbalance_pct", T16, "PKG", CPU_NOT_IDLE,
	  { { "0-3,8-11", 2, 2048, 1024, 2048 }, { "4-7,12-15", 2, 2300, 1024, 2300 } }, -1, 0, 0 },
	/* avg 3072 vs 2048, domain avg 40960*1024/16384 = 2560, 307200 > 239616;
	 * migrate_load min(512 * 8192, 512 * 8192) / 1024 */
	{ "both overloaded, beyond imbalance_pct", T16, "PKG", CPU_NOT_IDLE,
	  { { "0-3,8-11", 2, 2048, 1024, 2048 }, { "4-7,12-15", 3, 3072, 1024, 3072 } },
	  4, migrate_load, 4096 },
	{ "busiest has spare, dst busy", T16, "PKG", CPU_NOT_IDLE,
	  { { "0", 1, 1024, 1024, 1024 }, { "4-7", 1, 1024, 1024, 1024 } }, -1, 0, 0 },
	/* prefer_sibling (MC children): 4 - 0 tasks > 1 -> migrate_task 4 >> 1 */
	{ "prefer_sibling spreads to an idle LLC", T16, "PKG", CPU_IDLE,
	  { { "4-7", 1, 1024, 1024, 1024 } }, 4, migrate_task, 2 },
	/* sibling_imbalance 4 - 3 = 1; local idle 5 <= busiest idle 4 + 1 */
	{ "one idle CPU of difference is balance", T16, "PKG", CPU_IDLE,
	  { { "1-3", 1, 1024, 1024, 1024 }, { "4-7", 1, 1024, 1024, 1024 } }, -1, 0, 0 },
	/* the CPU-1 group is fully busy (1024*100 > 1024*117 fails) with one task */
	{ "a single task is left alone", T4, "MC", CPU_IDLE,
	  { { "1", 1, 1024, 1024, 1024 } }, -1, 0, 0 },
	/* cores {1,9}, {2,10}, {3,11} run 2 tasks each: smt_balance, avg_load
	 * 0, equal: an SMT busiest is kept, so the first; then prefer_sibling
	 * 2 - 0 > 1 and calculate_imbalance() smt_balance: 1 */
	{ "SMT groups: the first one, one task", T16, "MC", CPU_IDLE,
	  { { "1-3,9-11", 1, 1024, 1024, 1024 } }, 1, migrate_task, 1 },
	/* node 1 runs 2: prefer_sibling 2 - 0 > 1, but adjust_numa_imbalance(2, 1, 1) = 0 */
	{ "NUMA: two tasks may stay on the other node", T8N, "NUMA", CPU_IDLE,
	  { { "4-5", 1, 1024, 1024, 1024 } }, -1, 0, 0 },
	/* 4 - 0 = 4 > NUMA_IMBALANCE_MIN: kept, >> 1 */
	{ "NUMA: four tasks on the other node", T8N, "NUMA", CPU_IDLE,
	  { { "4-7", 1, 1024, 1024, 1024 } }, 4, migrate_task, 2 },
};

static const struct sd_group_tmpl *run_fbg(struct hrig *r, const struct fbg_case *c, struct lb_env *env)
{
	struct sd_lb_stats sds;

	rig_for(r, c->fx, NULL);
	for (const struct load_spec *l = c->load; l < c->load + 4 && l->cpus; l++)
		hrig_cpus(r, l->cpus, l->nr, l->load, l->util, l->runnable);
	*env = (struct lb_env){ .sd = hrig_sd(r, 0, c->level), .dst_cpu = 0, .dst_rq = &r->s->rq[0],
				.idle = c->idle };
	env->dst_grp = &env->sd->t->groups[0];
	env->cpus = env->sd->t->span;
	return find_busiest_group(r->s, env, &sds);
}

static void check_fbg(const struct fbg_case *c)
{
	struct hrig r;
	struct lb_env env;
	const struct sd_group_tmpl *g = run_fbg(&r, c, &env);

	ck_assert_msg((g ? g->first_cpu : -1) == c->want_group, "%s: busiest group at CPU %d, want %d",
		      c->why, g ? g->first_cpu : -1, c->want_group);
	ck_assert_msg(env.imbalance == c->want, "%s: imbalance %ld, want %ld", c->why, env.imbalance, c->want);
	if (g)
		ck_assert_msg(env.migration_type == c->want_type, "%s: migration type %d, want %d", c->why,
			      env.migration_type, c->want_type);
	hrig_free(&r);
}

START_TEST(test_find_busiest_group)
{
	check_fbg(&fbg_cases[_i]);
}
END_TEST

/*
 * fair.c v6.15 update_sg_lb_stats() computes avg_load for overloaded groups
 * only, so fully busy groups all compare at avg_load 0 and
 * update_sd_pick_busiest() takes the LAST of them unless the current pick
 * is an SMT group.  On T8L at PKG with CPU 0 idle: LLCs {2,3}, {4,5},
 * {6,7} run one task per CPU, the middle one heavier (which avg_load
 * would have picked); the kernel picks {6,7}, then prefer_sibling
 * 2 - 0 > 1 -> migrate_task, 2 >> 1 = 1.
 */
static const struct fbg_case fbg_fully_busy_case = {
	"fully busy groups: the kernel takes the last", T8L, "PKG", CPU_NEWLY_IDLE,
	{ { "2-3,6-7", 1, 1024, 1024, 1024 }, { "4-5", 1, 1500, 1024, 1024 } }, 6, migrate_task, 1
};

START_TEST(test_find_busiest_group_fully_busy)
{
	check_fbg(&fbg_fully_busy_case);
}
END_TEST


/* ------------------------------------------- stored averages, blocked load */

/*
 * An idle runqueue whose averages were last updated at time 0 with every
 * sum at 1024 * divider (divider = LOAD_AVG_MAX - 1024 + 0 = 46718): load,
 * util and runnable averages 1024.  32 PELT periods later (32 * 1024 *
 * 1024 ns) decay_load() halves each sum (>> 1) and multiplies by
 * runnable_avg_yN_inv[0] = 2^32 - 1 (>> 32), 47839232 -> 23919615, and
 * 23919615 / 46718 = 511.99 -> 511.
 */
#define BL_SUM 47839232ULL /* 1024 * 46718 */
#define BL_32P (32LL * 1024 * 1024)

static void set_blocked(struct rq *rq)
{
	rq->avg = (struct sched_avg){ .load_sum = BL_SUM, .runnable_sum = BL_SUM, .util_sum = (uint32_t)BL_SUM,
				      .load_avg = 1024, .runnable_avg = 1024, .util_avg = 1024 };
	rq->has_blocked_load = true;
	rq_terms_changed(rq->s, rq);
}

/* fair.c v6.15 update_sg_lb_stats() reads cpu_load()/cpu_util_cfs() as
 * stored: balancing does not decay the CPUs it looks at. */
START_TEST(test_lb_reads_stored_averages)
{
	struct hrig r;
	struct lb_env env;
	struct sd_lb_stats sds;

	rig_for(&r, T4, NULL);
	set_blocked(&r.s->rq[0]);
	eq_run(r.eq, BL_32P);
	env = (struct lb_env){ .sd = hrig_sd(&r, 0, "MC"), .dst_cpu = 0, .dst_rq = &r.s->rq[0],
			       .idle = CPU_IDLE };
	env.dst_grp = &env.sd->t->groups[0];
	env.cpus = env.sd->t->span;
	find_busiest_group(r.s, &env, &sds);
	ck_assert_uint_eq(sds.local_stat.group_load, 1024);
	ck_assert_uint_eq(sds.local_stat.group_util, 1024);
	ck_assert_uint_eq(r.s->rq[0].avg.load_avg, 1024);
	ck_assert_uint_eq(r.s->blocked_updates, 0);
	hrig_free(&r);
}
END_TEST

/* sched_balance_update_blocked_averages(): the hand-computed decay, the
 * jiffy stamp, and has_blocked_load cleared once everything reached 0
 * (after LOAD_AVG_PERIOD * 63 periods decay_load() returns 0). */
START_TEST(test_blocked_averages_decay)
{
	struct hrig r;
	struct rq *rq;

	rig_for(&r, T4, NULL);
	rq = &r.s->rq[2];
	set_blocked(rq);
	eq_run(r.eq, BL_32P);
	sched_update_blocked_averages(r.s, rq);
	ck_assert_uint_eq(rq->avg.load_avg, 511);
	ck_assert_uint_eq(rq->avg.util_avg, 511);
	ck_assert_uint_eq(rq->avg.runnable_avg, 511);
	ck_assert_uint_eq(rq->last_blocked_load_update_tick, 33); /* 33554432 ns at HZ 1000 */
	ck_assert(rq->has_blocked_load);
	eq_run(r.eq, BL_32P + (LOAD_AVG_PERIOD * 63 + 1) * 1024LL * 1024);
	sched_update_blocked_averages(r.s, rq);
	ck_assert_uint_eq(rq->avg.load_avg, 0);
	ck_assert_uint_eq(rq->avg.util_avg, 0);
	ck_assert(!rq->has_blocked_load);
	ck_assert_uint_eq(r.s->blocked_updates, 2);
	hrig_free(&r);
}
END_TEST

/* nohz_balancer_kick() on a busy CPU's tick, nothing to balance but
 * blocked load due (jiffies > nohz.next_blocked): a stats-only kick; the
 * ILB (_nohz_idle_balance(NOHZ_STATS_KICK)) decays the tick-stopped CPUs
 * with blocked load, sets nohz.next_blocked = now + msecs_to_jiffies(32),
 * and keeps nohz.has_blocked while some is left. */
START_TEST(test_nohz_stats_kick)
{
	struct hrig r;
	struct sched *s;

	rig_for(&r, T4, NULL);
	s = r.s;
	hrig_cpus(&r, "0", 1, 1024, 1024, 1024);
	eq_cancel(r.eq, &s->watch_ev); /* the rig's busy CPU has no queue to check */
	nohz_balance_exit_idle(s, &s->rq[0]);
	s->rq[0].next_balance = UINT64_MAX;
	set_blocked(&s->rq[2]);
	s->nohz_has_blocked = true;
	s->nohz_next_blocked = 0;
	s->nohz_next_balance = UINT64_MAX;
	eq_run(r.eq, BL_32P);
	trigger_load_balance(s, &s->rq[0]);
	ck_assert_uint_eq(s->nohz_stats_kicks, 1);
	ck_assert_uint_eq(s->nohz_kicks, 0);
	eq_run(r.eq, BL_32P);
	ck_assert_uint_eq(s->rq[2].avg.load_avg, 511);
	ck_assert_uint_eq(s->blocked_updates, 1); /* CPUs 1 and 3 have none */
	ck_assert_uint_eq(s->nohz_next_blocked, 33 + 32);
	ck_assert(s->nohz_has_blocked);
	/* not due again before next_blocked */
	trigger_load_balance(s, &s->rq[0]);
	ck_assert_uint_eq(s->nohz_stats_kicks, 1);
	hrig_free(&r);
}
END_TEST

/* sched_balance_newidle(): the avg_idle cut-off, counted at the level it
 * stops: before the bottom domain, then (after the SMT pass cost more
 * than 1,000 ns) at MC. */
START_TEST(test_newidle_cutoff_counter)
{
	struct hrig r;
	struct sched *s;
	struct rq *rq;
	struct sched_domain *smt, *mc;

	rig_for(&r, T16, NULL);
	s = r.s;
	rq = &s->rq[0];
	smt = hrig_sd(&r, 0, "SMT");
	mc = hrig_sd(&r, 0, "MC");
	s->rd_overloaded = true;
	smt->max_newidle_lb_cost = 1000;
	mc->max_newidle_lb_cost = 3000;
	rq->avg_idle = 999;
	sched_balance_newidle(s, rq);
	ck_assert_uint_eq(s->lvl[smt->level].newidle_cutoffs, 1);
	ck_assert_uint_eq(s->lvl[smt->level].newidle_attempts, 0);
	ck_assert_uint_eq(s->blocked_updates, 0);
	rq->avg_idle = 4000;
	sched_balance_newidle(s, rq);
	ck_assert_uint_eq(s->lvl[smt->level].newidle_attempts, 1);
	ck_assert_uint_eq(s->lvl[mc->level].newidle_cutoffs, 1);
	ck_assert_uint_eq(s->lvl[mc->level].newidle_attempts, 0);
	ck_assert_uint_eq(s->blocked_updates, 1); /* this CPU, past the first cut-off */
	hrig_free(&r);
}
END_TEST

/* sched_balance_running (fair.c sched_balance_domains(), v6.15) on T8N:
 * CPUs 0 and 4 (the balance CPUs of the two nodes) find their NUMA level
 * due on the same tick.  CPU 0 takes the flag for lb_cost(NUMA) = 2000 +
 * 40 * 8 = 2,320 ns; CPU 4 skips the level (its last_balance stays 0, so
 * it is due again), still skips 2,319 ns later, and balances at 2,320 ns.
 * The CPU holding the flag does not meet itself; with balance_serialize=0
 * nobody skips. */
static void serialize_due(struct hrig *r, int cpu)
{
	struct sched_domain *numa = hrig_sd(r, cpu, "NUMA");

	hrig_sd(r, cpu, "MC")->last_balance = sched_jiffies(r->s); /* not due */
	numa->last_balance = 0;                                     /* due */
	numa->balance_interval = (unsigned)numa->t->min_interval;    /* a balanced pass doubled it */
}

START_TEST(test_balance_serialize)
{
	struct sched_params p;
	struct hrig r;
	struct sched *s;
	int numa;
	simtime_t t0 = 200 * NSEC_PER_MSEC; /* past the busy NUMA interval, 8 ms * 16 */

	sched_params_defaults(&p);
	p.balance_serialize = _i == 0;
	rig_for(&r, T8N, &p);
	s = r.s;
	numa = hrig_sd(&r, 0, "NUMA")->level;
	hrig_cpus(&r, "0-7", 1, 1024, 1024, 1024);
	eq_cancel(r.eq, &s->watch_ev);
	for (int c = 0; c < 8; c++)
		eq_cancel(r.eq, &s->rq[c].tick_ev);
	eq_run(r.eq, t0);
	serialize_due(&r, 0);
	serialize_due(&r, 4);
	sched_balance_domains(s, &s->rq[0], CPU_NOT_IDLE);
	ck_assert_uint_eq(s->lvl[numa].attempts, 1);
	sched_balance_domains(s, &s->rq[4], CPU_NOT_IDLE);
	if (!p.balance_serialize) {
		ck_assert_uint_eq(s->lvl[numa].attempts, 2);
		ck_assert_uint_eq(s->lvl[numa].serialize_skips, 0);
		hrig_free(&r);
		return;
	}
	ck_assert_uint_eq(s->lvl[numa].attempts, 1);
	ck_assert_uint_eq(s->lvl[numa].serialize_skips, 1);
	ck_assert_uint_eq(hrig_sd(&r, 4, "NUMA")->last_balance, 0);
	/* the holder itself is not held off (an ILB balancing CPU after CPU) */
	serialize_due(&r, 0);
	sched_balance_domains(s, &s->rq[0], CPU_NOT_IDLE);
	ck_assert_uint_eq(s->lvl[numa].attempts, 2);
	eq_run(r.eq, t0 + 2319);
	sched_balance_domains(s, &s->rq[4], CPU_NOT_IDLE);
	ck_assert_uint_eq(s->lvl[numa].serialize_skips, 2);
	eq_run(r.eq, t0 + 2320);
	sched_balance_domains(s, &s->rq[4], CPU_NOT_IDLE);
	ck_assert_uint_eq(s->lvl[numa].serialize_skips, 2);
	ck_assert_uint_eq(s->lvl[numa].attempts, 3);
	ck_assert_uint_eq(hrig_sd(&r, 4, "NUMA")->last_balance, sched_jiffies(s));
	hrig_free(&r);
}
END_TEST

int main(void)
{
	TCase *tc;
	Suite *s = harness_suite("lb", &tc, 60);

	tcase_add_loop_test(tc, test_group_classify, 0, (int)ARRAY_SIZE(classify_cases));
	tcase_add_loop_test(tc, test_calculate_imbalance, 0, (int)ARRAY_SIZE(imbalance_cases));
	tcase_add_loop_test(tc, test_sibling_imbalance, 0, (int)ARRAY_SIZE(sibling_cases));
	tcase_add_loop_test(tc, test_can_migrate_task, 0, (int)ARRAY_SIZE(migrate_cases));
	tcase_add_loop_test(tc, test_find_busiest_group, 0, (int)ARRAY_SIZE(fbg_cases));
	tcase_add_test(tc, test_find_busiest_group_fully_busy);
	tcase_add_test(tc, test_lb_reads_stored_averages);
	tcase_add_test(tc, test_blocked_averages_decay);
	tcase_add_test(tc, test_nohz_stats_kick);
	tcase_add_test(tc, test_newidle_cutoff_counter);
	tcase_add_loop_test(tc, test_balance_serialize, 0, 2);
	return harness_run(s);
}
