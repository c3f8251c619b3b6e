/*
 * Asymmetric CPU capacity (sched/asym.c, sd.c, lb.c) on the shipped hybrid
 * machine lnl-258v-hybrid: CPUs 0-3 are P-cores of capacity 1024 (LLC 0),
 * CPUs 4-7 E-cores of capacity 676 (LLC 1; hw/capacity.h: (37 << 10) / 56).
 * Expected values are worked out from fair.c / topology.c of Linux v6.15:
 *   fits_capacity(util, cap) = util * 1280 < cap * 1024; on an E-core
 *   676 * 1024 = 692224, so util 540 fits (691200) and 541 does not (692480);
 *   capacity_greater(a, b) = a * 1024 > b * 1078.
 */
#include "harness.h"

#include "policies/cas.h"
#include "policies/policy.h"
#include "sched/asym.h"
#include "sched/lb.h"

static const char *srcdir(void)
{
	const char *s = getenv("CASSIM_SRCDIR");
	return s && *s ? s : ".";
}

static void *policy_cfg; /* rig_policy(): the policy's parameters, freed by unrig() */

/* hrig_new() on a shipped topology file, under policy @pol (NULL: stock). */
static void rig_policy(struct hrig *r, const char *name, const char *pol)
{
	char path[1024];
	struct sched_params p;
	struct sched_ops ops = { .next = harness_hog_next };
	struct diag err = { "" };
	const struct policy *po = pol ? policy_find(pol) : NULL;

	memset(r, 0, sizeof(*r));
	snprintf(path, sizeof(path), "%s/topologies/%s.xml", srcdir(), name);
	ck_assert_msg(topo_load(path, NULL, &r->t, &err) == 0, "%s", err.msg);
	ck_assert_int_eq(sd_build(r->t, &r->sdt, &err), 0);
	r->eq = eq_new(1024, NULL);
	sched_params_defaults(&p);
	policy_cfg = NULL;
	if (po) {
		policy_cfg = calloc(1, po->params_size);
		param_defaults(po->params, po->nr_params, policy_cfg);
	}
	r->s = sched_new(r->t, r->sdt, &p, r->eq, po ? po->hooks : NULL, policy_cfg, ops);
	ck_assert_ptr_nonnull(r->s);
}

static void rig_file(struct hrig *r, const char *name)
{
	rig_policy(r, name, NULL);
}

static void unrig(struct hrig *r)
{
	hrig_free(r);
	free(policy_cfg);
	policy_cfg = NULL;
}

/* asym_cpu_capacity_classify(): only PKG sees both capacities (and so all
 * of them: _FULL); it takes SD_PREFER_SIBLING off its child (sd_init()). */
START_TEST(test_sd_flags)
{
	struct hrig r;
	struct sched_domain *pkg, *mc;

	rig_file(&r, "lnl-258v-hybrid");
	ck_assert(r.s->asym_cpucap);
	ck_assert_uint_eq(r.s->max_cpu_capacity, 1024);
	for (int c = 0; c < 8; c += 4) {
		pkg = hrig_sd(&r, c, "PKG");
		ck_assert_uint_eq(pkg->t->flags & (SD_ASYM_CPUCAPACITY | SD_ASYM_CPUCAPACITY_FULL),
				  SD_ASYM_CPUCAPACITY | SD_ASYM_CPUCAPACITY_FULL);
		ck_assert(sd_asym_cpucapacity(r.s, c) == pkg);
		ck_assert(!(r.s->rq[c].sd->t->flags & SD_ASYM_CPUCAPACITY));
	}
	mc = hrig_sd(&r, 0, "MC");
	ck_assert(!(mc->t->flags & SD_PREFER_SIBLING));
	hrig_free(&r);

	/* the 7950X3D differs in LLC size only: no asymmetric capacity */
	rig_file(&r, "ryzen-7950x3d-asym-llc");
	ck_assert(!r.s->asym_cpucap);
	for (struct sched_domain *sd = r.s->rq[0].sd; sd; sd = sd->parent)
		ck_assert(!(sd->t->flags & (SD_ASYM_CPUCAPACITY | SD_ASYM_CPUCAPACITY_FULL)));
	ck_assert(hrig_sd(&r, 0, "MC")->t->flags & SD_PREFER_SIBLING);
	hrig_free(&r);
}
END_TEST

/* update_misfit_status() with hand-computed util vs capacity. */
START_TEST(test_misfit_status)
{
	struct hrig r;
	struct task *p;

	rig_file(&r, "lnl-258v-hybrid");
	p = hrig_task(&r, 4, 800, 541);
	update_misfit_status(r.s, p, &r.s->rq[4]);
	ck_assert_uint_eq(r.s->misfit_task_load[4], 800); /* max(task_h_load, 1) */
	ck_assert(check_misfit_status(r.s, &r.s->rq[4]));
	p->avg.util_avg = 540;
	update_misfit_status(r.s, p, &r.s->rq[4]);
	ck_assert_uint_eq(r.s->misfit_task_load[4], 0);
	/* load 0 still marks the misfit */
	p->avg.util_avg = 1000;
	p->avg.load_avg = 0;
	update_misfit_status(r.s, p, &r.s->rq[4]);
	ck_assert_uint_eq(r.s->misfit_task_load[4], 1);
	/* on a P-core: already the biggest allowed capacity */
	update_misfit_status(r.s, p, &r.s->rq[0]);
	ck_assert_uint_eq(r.s->misfit_task_load[0], 0);
	/* allowed only on E-cores: nowhere bigger to go */
	p->affinity = hrig_mask("4-7");
	p->nr_cpus_allowed = 4;
	update_misfit_status(r.s, p, &r.s->rq[4]);
	ck_assert_uint_eq(r.s->misfit_task_load[4], 0);
	/* pinned */
	p->affinity = hrig_mask("4");
	p->nr_cpus_allowed = 1;
	update_misfit_status(r.s, p, &r.s->rq[4]);
	ck_assert_uint_eq(r.s->misfit_task_load[4], 0);
	/* going idle clears it */
	r.s->misfit_task_load[5] = 7;
	update_misfit_status(r.s, NULL, &r.s->rq[5]);
	ck_assert_uint_eq(r.s->misfit_task_load[5], 0);
	hrig_free(&r);
}
END_TEST

/* find_busiest_group() at PKG with dst @dst idle, after @setup. */
static const struct sd_group_tmpl *fbg(struct hrig *r, int dst, struct lb_env *env)
{
	struct sd_lb_stats sds;

	*env = (struct lb_env){ .sd = hrig_sd(r, dst, "PKG"), .dst_cpu = dst, .dst_rq = &r->s->rq[dst],
				.idle = CPU_IDLE };
	env->dst_grp = &env->sd->t->groups[0];
	env->cpus = env->sd->t->span;
	return find_busiest_group(r->s, env, &sds);
}

/* group_misfit_task: classification, the pick and migrate_misfit. */
START_TEST(test_misfit_group)
{
	struct hrig r;
	struct lb_env env;
	const struct sd_group_tmpl *g;
	struct sg_lb_stats sgs = { .sum_nr_running = 1, .sum_h_nr_running = 1, .group_weight = 4,
				   .group_capacity = 4 * 676, .group_util = 600, .group_runnable = 600,
				   .group_misfit_task_load = 800 };

	/* group_classify(): misfit comes after overloaded / smt_balance, before
	 * fully_busy; one task on four CPUs would otherwise have spare */
	ck_assert_int_eq(group_classify(117, &sgs), group_misfit_task);
	sgs.group_misfit_task_load = 0;
	ck_assert_int_eq(group_classify(117, &sgs), group_has_spare);

	/* CPU 4 runs a task of util 600 (600 * 1280 = 768000 >= 692224): the
	 * E group is misfit, the idle P-core 0 takes it: migrate_misfit, 1 */
	rig_file(&r, "lnl-258v-hybrid");
	hrig_cpus(&r, "4", 1, 800, 600, 600);
	update_misfit_status(r.s, r.s->rq[4].curr, &r.s->rq[4]);
	g = fbg(&r, 0, &env);
	ck_assert_ptr_nonnull(g);
	ck_assert_int_eq(g->first_cpu, 4);
	ck_assert_int_eq(env.migration_type, migrate_misfit);
	ck_assert_int_eq(env.imbalance, 1);
	/* the local P group is not has_spare (4 tasks of util 1000: 4096 * 100
	 * > 4000 * 117 fails -> fully busy): "misfit tasks we can't help" */
	hrig_cpus(&r, "1-3", 1, 1024, 1000, 1000);
	r.s->rq[0].nr_running = 1;
	r.s->rq[0].avg.util_avg = 1000;
	r.s->rq[0].avg.runnable_avg = 1000;
	r.s->rq[0].avg.load_avg = 1024;
	rq_terms_changed(r.s, &r.s->rq[0]);
	ck_assert_ptr_null(fbg(&r, 0, &env));
	hrig_free(&r);
}
END_TEST

/* update_sd_pick_busiest(): an idle E-core does not pull from a fully busy
 * group of bigger CPUs (capacity_greater(1024, 676): 1048576 > 728728). */
START_TEST(test_no_pull_to_smaller)
{
	struct hrig r;
	struct lb_env env;

	rig_file(&r, "lnl-258v-hybrid");
	hrig_cpus(&r, "0-3", 1, 1024, 1000, 1000);
	ck_assert_ptr_null(fbg(&r, 4, &env));
	hrig_free(&r);
}
END_TEST

/* select_idle_capacity(): from target, the first idle CPU that fits, else
 * the idle CPU of largest capacity (the first of them in wrap order). */
START_TEST(test_select_idle_capacity)
{
	struct hrig r;
	struct task *p;
	struct sched_domain *sd;

	rig_file(&r, "lnl-258v-hybrid");
	sd = sd_asym_cpucapacity(r.s, 4);
	p = hrig_task(&r, 4, 600, 600);
	ck_assert_int_eq(select_idle_capacity(r.s, p, sd, 4), 0);  /* 4-7 do not fit */
	p->avg.util_avg = 300;
	ck_assert_int_eq(select_idle_capacity(r.s, p, sd, 4), 4);  /* fits the target */
	p->avg.util_avg = 600;
	hrig_cpus(&r, "0-3,4", 1, 1024, 1000, 1000);
	ck_assert_int_eq(select_idle_capacity(r.s, p, sd, 4), 5);  /* no fit: biggest idle */
	hrig_free(&r);
}
END_TEST

/* Behaviour: a CPU-bound thread started on an E-core of an otherwise idle
 * machine becomes misfit (its util passes 540 after ~35 ms of PELT ramp)
 * and the balancer moves it to a P-core; a second one placed on a P-core
 * is never moved to an E-core. */
START_TEST(test_misfit_moves_up)
{
	struct hrig r;
	struct task *e, *p;

	rig_file(&r, "lnl-258v-hybrid");
	e = sched_create_task(r.s, 0, 0, NULL);
	p = sched_create_task(r.s, 0, 0, NULL);
	sched_start_task(r.s, e, 0, 0, 5);
	sched_start_task(r.s, p, 0, 0, 1);
	eq_run(r.eq, 300 * NSEC_PER_MSEC);
	ck_assert_int_lt(e->cpu, 4);
	ck_assert_int_lt(p->cpu, 4);
	ck_assert_int_ne(e->cpu, p->cpu);
	hrig_free(&r);
}
END_TEST

/* ------------------------------------------- the CAS fix f0d243a96f26 */

/* A CPU-bound task started on @cpu of LNL under @pol, its util then set to
 * @util; @env is a PKG-level pass from @src to @dst. */
static struct task *cas_setup(struct hrig *r, const char *pol, int cpu, unsigned long util, int src, int dst,
			      enum migration_type type, struct lb_env *env)
{
	struct task *t;

	rig_policy(r, "lnl-258v-hybrid", pol);
	t = sched_create_task(r->s, 0, 0, NULL);
	sched_start_task(r->s, t, 0, 0, cpu);
	eq_run(r->eq, NSEC_PER_MSEC);
	ck_assert_ptr_eq(r->s->rq[cpu].curr, t);
	t->avg.util_avg = util;
	*env = (struct lb_env){ .sd = hrig_sd(r, dst, "PKG"), .src_cpu = src, .dst_cpu = dst,
				.src_rq = &r->s->rq[src], .dst_rq = &r->s->rq[dst], .idle = CPU_IDLE,
				.migration_type = type };
	env->cpus = env->sd->t->span;
	return t;
}

/* can_migrate_llc_task(): a task that fits the P-core it is on (util 600:
 * 768000 < 1048576) but not an E-core (768000 >= 692224) may not go there
 * under the fix; merged CAS has no opinion (the process has no preferred
 * LLC).  A task that fits both (300), one that already misfits on src
 * (900: 1152000 >= 1048576) and a move up (E -> P) are left alone. */
START_TEST(test_cas_fix_can_migrate)
{
	static const struct {
		const char *pol;
		unsigned long util;
		int src, dst;
		enum hook_migrate want;
	} c[] = {
		{ "cas-merged", 600, 0, 4, HOOK_MIGRATE_DEFAULT },
		/* llc_pinned (merged): the refusal is not a balance failure */
		{ "cas-asym-fix", 600, 0, 4, HOOK_MIGRATE_DENY_PINNED },
		{ "cas-asym-fix", 300, 0, 4, HOOK_MIGRATE_DEFAULT },
		{ "cas-asym-fix", 900, 0, 4, HOOK_MIGRATE_DEFAULT },
		{ "cas-asym-fix", 600, 4, 0, HOOK_MIGRATE_DEFAULT },
	};

	for (size_t i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		struct hrig r;
		struct lb_env env;
		struct task *t = cas_setup(&r, c[i].pol, c[i].src, c[i].util, c[i].src, c[i].dst, migrate_load,
					   &env);

		ck_assert_msg(r.s->hooks->can_migrate(r.s, r.s->hook_state, &env, t) == c[i].want,
			      "case %zu: %s util %lu %d -> %d", i, c[i].pol, c[i].util, c[i].src, c[i].dst);
		unrig(&r);
	}
}
END_TEST

/* alb_break_llc(): the fix vetoes an active balance that would make the
 * running task misfit, and never vetoes a misfit migration. */
START_TEST(test_cas_fix_alb)
{
	struct hrig r;
	struct lb_env env;

	cas_setup(&r, "cas-merged", 0, 600, 0, 4, migrate_load, &env);
	ck_assert(!r.s->hooks->active_balance_veto(r.s, r.s->hook_state, &env));
	unrig(&r);
	cas_setup(&r, "cas-asym-fix", 0, 600, 0, 4, migrate_load, &env);
	ck_assert(r.s->hooks->active_balance_veto(r.s, r.s->hook_state, &env));
	env.migration_type = migrate_misfit;
	ck_assert(!r.s->hooks->active_balance_veto(r.s, r.s->hook_state, &env));
	unrig(&r);
}
END_TEST

/* llc_balance(): a misfit task on E-core 4 that prefers the P-cores' LLC
 * makes its group group_llc_balance under merged CAS (which outranks
 * group_misfit_task); under the fix the group stays misfit and the idle
 * P-core pulls it by migrate_misfit. */
START_TEST(test_cas_fix_llc_balance)
{
	static const char *const pols[2] = { "cas-merged", "cas-asym-fix" };

	for (int i = 0; i < 2; i++) {
		struct hrig r;
		struct lb_env env;
		struct task *t = cas_setup(&r, pols[i], 4, 600, 4, 0, migrate_load, &env);
		const struct sd_group_tmpl *g = &env.sd->t->groups[1];
		struct sg_lb_stats sgs = { .group_type = group_misfit_task, .group_misfit_task_load = 800,
					   .sum_nr_running = 1, .sum_h_nr_running = 1, .group_weight = 4,
					   .group_capacity = 4 * 676 };

		ck_assert_int_eq(g->first_cpu, 4);
		cas_debug_set_task_pref(r.s->hook_state, t->id, cas_debug_llc_id(r.s->hook_state, 0));
		r.s->hooks->group_stats(r.s, r.s->hook_state, &env, g, &sgs, 0);
		ck_assert_uint_eq(sgs.nr_pref_dst_llc, 1);
		ck_assert_int_eq(sgs.group_type, i ? group_misfit_task : group_llc_balance);
		if (i) {
			update_misfit_status(r.s, t, &r.s->rq[4]);
			ck_assert_ptr_eq(fbg(&r, 0, &env), g);
			ck_assert_int_eq(env.migration_type, migrate_misfit);
		}
		unrig(&r);
	}
}
END_TEST

int main(void)
{
	TCase *tc;
	Suite *s = harness_suite("asym", &tc, 30);

	tcase_add_test(tc, test_sd_flags);
	tcase_add_test(tc, test_misfit_status);
	tcase_add_test(tc, test_misfit_group);
	tcase_add_test(tc, test_no_pull_to_smaller);
	tcase_add_test(tc, test_select_idle_capacity);
	tcase_add_test(tc, test_misfit_moves_up);
	tcase_add_test(tc, test_cas_fix_can_migrate);
	tcase_add_test(tc, test_cas_fix_alb);
	tcase_add_test(tc, test_cas_fix_llc_balance);
	return harness_run(s);
}
